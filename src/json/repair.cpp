#include "json/repair.h"

#include <fmt/format.h>
#include <rapidjson/error/en.h>

#include <algorithm>

#include "diag/diagnostic.h"
#include "util/text.h"

namespace gdl::json::detail {

std::optional<Diagnosis> Diagnoser::comment_or_annotation(std::size_t o) const {
  const char c = at(o);
  const char next = at(o + 1);
  if ((c == '/' && (next == '/' || next == '*')) || c == '#') {
    std::size_t end = trimmed_line_end(o);
    if (c == '/' && next == '*') {
      const std::size_t close = w_.find("*/", o + 2);
      end = close == std::string_view::npos ? w_.size() : close + 2;
    }
    Diagnosis d;
    d.span = {o, end};
    d.message = "comments are not allowed in JSON; AWS rejects a policy that contains one";
    d.repairs.push_back({"remove the comment", {Edit{o, end - o, ""}}});
    return d;
  }
  if (c == '<') {
    const std::size_t end = trimmed_line_end(o);
    Diagnosis d;
    d.span = {o, end};
    d.message = fmt::format(
        "leftover annotation text {} is not JSON; it looks copied from a guide's example",
        quoted(o, end));
    d.repairs.push_back(
        {"remove the annotation text (and do what it says, if anything)", {Edit{o, end - o, ""}}});
    return d;
  }
  return std::nullopt;
}

Diagnosis Diagnoser::end_of_file(const Handler& handler) const {
  Diagnosis d;
  const std::size_t end = w_.size();
  d.span = {end, end};
  const auto& open = handler.open();
  if (open.empty()) {
    d.message = "unexpected end of file";
    return d;
  }
  const OpenContainer& innermost = open.back();
  if (open.size() == 1) {
    d.message = fmt::format("unexpected end of file: the {} opened at {} is never closed",
                            container_name(innermost.kind), where(innermost.begin));
  } else {
    d.message = fmt::format(
        "unexpected end of file: {} brackets are never closed; the innermost is the {} opened at "
        "{}",
        open.size(), container_name(innermost.kind), where(innermost.begin));
  }
  std::string closers;
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    d.related.push_back({{it->begin, it->begin + 1},
                         fmt::format("this {} is not closed", container_name(it->kind))});
    closers += closer(it->kind);
  }
  Repair repair{fmt::format("add '{}' at the end", closers), {}};
  const std::size_t last = prev_non_space(end);
  if (last != kNoOffset && w_[last] == ',') repair.edits.push_back(Edit{last, 1, ""});
  repair.edits.push_back(Edit{end, 0, "\n" + closers});
  d.repairs.push_back(std::move(repair));
  return d;
}

Diagnosis Diagnoser::string_error(const Attempt& attempt, const Handler& handler,
                                  const TrackingStream& stream) const {
  const std::size_t o = attempt.offset;
  const char c = at(o);
  Diagnosis d;
  switch (attempt.code) {
    case rapidjson::kParseErrorStringEscapeInvalid:
      if (c == '\\') {
        const std::size_t end = char_end(o + 1);
        d.span = {o, end};
        d.message = fmt::format(
            "invalid escape sequence {} in a string; JSON allows only \\\", \\\\, \\/, \\b, \\f, "
            "\\n, \\r, \\t and \\uXXXX",
            quoted(o, end));
        d.repairs.push_back({"write a literal backslash as \\\\", {Edit{o, 0, "\\"}}});
        return d;
      }
      [[fallthrough]];
    case rapidjson::kParseErrorStringMissQuotationMark:
      if (o >= w_.size() || c == '\n' || c == '\r') {
        const std::size_t begin = stream.token_start();
        d.span = {begin, o};
        d.message = o >= w_.size()
                        ? "unterminated string: the string that starts here reaches the end of the "
                          "file without a closing '\"'"
                        : "unterminated string: the string that starts here is not closed before "
                          "the end of the line";
        // At the end of the file, whatever is still open must be closed too.
        std::string closers;
        if (o >= w_.size()) {
          for (auto it = handler.open().rbegin(); it != handler.open().rend(); ++it)
            closers += closer(it->kind);
        }
        // `"2012-10-17,` usually means the quote belongs before the trailing comma or bracket.
        std::size_t before_delimiters = o;
        while (before_delimiters > begin + 1 &&
               (w_[before_delimiters - 1] == ',' || w_[before_delimiters - 1] == '}' ||
                w_[before_delimiters - 1] == ']' || is_space(w_[before_delimiters - 1]))) {
          --before_delimiters;
        }
        if (before_delimiters < o) {
          d.repairs.push_back(
              {fmt::format("add the closing '\"' before {}", quoted(before_delimiters, o)),
               {Edit{before_delimiters, 0, "\""}}});
        }
        d.repairs.push_back({closers.empty()
                                 ? std::string("add the closing '\"'")
                                 : fmt::format("add the closing '\"', then '{}'", closers),
                             {Edit{o, 0, "\"" + closers}}});
        return d;
      }
      d.span = {o, o + 1};
      if (c == '\t') {
        d.message = "a tab character inside a string must be written as \\t";
        d.repairs.push_back({"replace the tab with \\t", {Edit{o, 1, "\\t"}}});
      } else {
        d.message =
            fmt::format("control character U+{:04X} inside a string must be escaped as \\u{:04x}",
                        static_cast<unsigned>(static_cast<unsigned char>(c)),
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
        d.repairs.push_back({"escape the control character",
                             {Edit{o, 1,
                                   fmt::format("\\u{:04x}", static_cast<unsigned>(
                                                                static_cast<unsigned char>(c)))}}});
      }
      return d;
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex: {
      const std::size_t end = std::min(w_.size(), o + 6);
      d.span = {o, end};
      d.message = fmt::format(
          "invalid \\u escape {}: \\u must be followed by four hexadecimal digits", quoted(o, end));
      d.repairs.push_back({"write four hex digits after \\u, or \\\\u for a literal backslash",
                           {Edit{o, 0, "\\"}}});
      return d;
    }
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid: {
      const std::size_t end = std::min(w_.size(), o + 6);
      d.span = {o, end};
      d.message = fmt::format(
          "invalid \\u escape {}: a UTF-16 high surrogate (\\uD800-\\uDBFF) must be followed by a "
          "low surrogate (\\uDC00-\\uDFFF)",
          quoted(o, end));
      d.repairs.push_back({"write the character itself, or a complete surrogate pair",
                           {Edit{o, end - o, "\\ufffd"}}});
      return d;
    }
    default:
      d.span = {o, char_end(o)};
      d.message = "invalid text inside a string";
      return d;
  }
}

Diagnosis Diagnoser::missing_comma(std::size_t o, const Handler& handler) const {
  Diagnosis d;
  const std::size_t prev = prev_non_space(o);
  const std::size_t insert_at = prev == kNoOffset ? o : prev + 1;
  std::size_t token_end = char_end(o);
  if (at(o) == '"') {
    const std::size_t close = w_.find('"', o + 1);
    token_end = close == std::string_view::npos ? line_end(o) : std::min(close + 1, line_end(o));
  } else if (is_word_char(at(o))) {
    token_end = word_end(o);
  }
  d.span = {o, token_end};
  const auto& open = handler.open();
  const bool in_statement_array =
      !open.empty() && open.back().kind == Kind::array && open.back().statements && at(o) == '{';
  if (in_statement_array) {
    d.message = fmt::format(
        "missing comma between statements: a ',' is needed after the '}}' that closes the "
        "previous statement ({})",
        where(prev == kNoOffset ? o : prev));
  } else if (!open.empty() && open.back().kind == Kind::object) {
    d.message = fmt::format("missing comma before {}: object members are separated by ','",
                            quoted(o, token_end));
  } else {
    d.message = fmt::format("missing comma before {}: array elements are separated by ','",
                            quoted(o, token_end));
  }
  if (prev != kNoOffset) d.related.push_back({{prev, prev + 1}, "the previous value ends here"});
  d.repairs.push_back({fmt::format("add ',' after the previous value ({})", where(insert_at)),
                       {Edit{insert_at, 0, ","}}});
  return d;
}

Diagnosis Diagnoser::bare_word(std::size_t o, bool is_key) const {
  Diagnosis d;
  std::size_t end = std::max(word_end(o), char_end(o));
  if (is_key) end = std::min(end, std::max(char_end(o), w_.find(':', o)));
  const std::string_view word = w_.substr(o, end - o);
  d.span = {o, end};
  for (std::string_view literal : {"true", "false", "null"}) {
    if (!is_key && iequals(word, literal)) {
      d.message = fmt::format("{} is not a JSON literal; JSON writes it in lowercase: {}",
                              quoted(o, end), literal);
      d.repairs.push_back(
          {fmt::format("write {}", literal), {Edit{o, end - o, std::string(literal)}}});
      return d;
    }
  }
  if (is_key) {
    d.message = fmt::format("object key {} must be a string in double quotes", quoted(o, end));
  } else {
    d.message = fmt::format("bare word {} is not valid JSON; strings must be in double quotes",
                            quoted(o, end));
  }
  d.repairs.push_back({fmt::format("write \"{}\"", word), {Edit{o, 0, "\""}, Edit{end, 0, "\""}}});
  // Several words up to the end of the line: maybe stray prose rather than a value.
  const std::size_t line_stop = trimmed_line_end(o);
  if (line_stop > end)
    d.repairs.push_back({"remove the stray text", {Edit{o, line_stop - o, ""}}, true});
  return d;
}

Diagnosis Diagnoser::single_quotes(std::size_t o, bool is_key) const {
  Diagnosis d;
  const std::size_t stop = line_end(o);
  const std::size_t close = w_.substr(0, stop).find('\'', o + 1);
  const std::size_t end = close == std::string_view::npos ? char_end(o) : close + 1;
  d.span = {o, end};
  d.message = fmt::format("{} uses single quotes; JSON {} must be in double quotes", quoted(o, end),
                          is_key ? "keys" : "strings");
  Repair repair{"replace the single quotes with double quotes", {Edit{o, 1, "\""}}};
  if (close != std::string_view::npos) repair.edits.push_back(Edit{close, 1, "\""});
  d.repairs.push_back(std::move(repair));
  return d;
}

// U+201C, U+201D, U+2018, U+2019: the quotes a word processor or a web page puts in place of ".
bool Diagnoser::curly_quote_at(std::size_t o) const {
  const std::string_view rest = w_.substr(std::min(o, w_.size()));
  return rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D") ||
         rest.starts_with("\xE2\x80\x98") || rest.starts_with("\xE2\x80\x99");
}

Diagnosis Diagnoser::curly_quotes(std::size_t o, bool is_key) const {
  Diagnosis d;
  // The closing curly quote on the same line, if any.
  const std::size_t stop = line_end(o);
  std::size_t close = kNoOffset;
  for (std::size_t i = o + 3; i + 3 <= stop; ++i) {
    if (curly_quote_at(i)) {
      close = i;
      break;
    }
  }
  const std::size_t end = close == kNoOffset ? o + 3 : close + 3;
  d.span = {o, end};
  d.message = fmt::format(
      "{} uses typographic quotes (“ ”), which a word processor or web page put in place of "
      "straight ones; JSON {} must be in straight double quotes (\")",
      quoted(o, end), is_key ? "keys" : "strings");
  Repair repair{"replace the typographic quotes with \"", {Edit{o, 3, "\"", true}}};
  if (close != kNoOffset) repair.edits.push_back(Edit{close, 3, "\""});
  d.repairs.push_back(std::move(repair));
  return d;
}

Diagnosis Diagnoser::after_document(std::size_t o, const Handler& handler) const {
  Diagnosis d;
  const char c = at(o);
  const std::size_t root_end = handler.root_end();
  const std::string ended =
      root_end == kNoOffset ? "" : fmt::format(" (it ended at {})", where(root_end - 1));
  if (c == '}' || c == ']') {
    d.span = {o, o + 1};
    d.message = fmt::format(
        "unmatched '{}': the document is already complete{}; there is one closing bracket too many",
        c, ended);
    d.repairs.push_back({fmt::format("remove this '{}' (or add the missing opening bracket)", c),
                         {Edit{o, 1, ""}}});
  } else {
    d.span = {o, std::max(char_end(o), trimmed_line_end(o))};
    d.message = fmt::format(
        "unexpected text after the end of the document{}: a policy is a single JSON object. Was a "
        "statement pasted outside the \"Statement\" array?",
        ended);
    d.truncate_rest = true;
  }
  if (root_end != kNoOffset)
    d.related.push_back({{root_end - 1, root_end}, "the document ends here"});
  return d;
}

Diagnosis Diagnoser::wrong_closer(std::size_t o, const Handler& handler) const {
  Diagnosis d;
  const char c = at(o);
  d.span = {o, o + 1};
  const auto& open = handler.open();
  if (open.empty()) {
    d.message = fmt::format("unexpected '{}'", c);
    return d;
  }
  const OpenContainer& inner = open.back();
  const char expected = closer(inner.kind);
  d.message =
      fmt::format("mismatched bracket: '{}' cannot close the {} opened at {}; expected '{}' first",
                  c, container_name(inner.kind), where(inner.begin), expected);
  d.related.push_back({{inner.begin, inner.begin + 1},
                       fmt::format("the {} opened here", container_name(inner.kind))});
  const std::size_t prev = prev_non_space(o);
  const std::size_t insert_at = prev == kNoOffset ? o : prev + 1;
  d.repairs.push_back({fmt::format("add the missing '{}' before this '{}'", expected, c),
                       {Edit{insert_at, 0, std::string(1, expected)}}});
  d.repairs.push_back(
      {fmt::format("replace '{}' with '{}'", c, expected), {Edit{o, 1, std::string(1, expected)}}});
  return d;
}

// The reader wanted ',' or a closing bracket.
Diagnosis Diagnoser::missing_separator(std::size_t o, const Handler& handler) const {
  const char c = at(o);
  Diagnosis d;
  d.span = {o, char_end(o)};
  if (c == '}' || c == ']') return wrong_closer(o, handler);
  if (c == '\'') {
    d = missing_comma(o, handler);
    return d;
  }
  if (c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
      c == 'f' || c == 'n') {
    return missing_comma(o, handler);
  }
  if (is_word_char(c)) {
    const std::size_t end = trimmed_line_end(o);
    d.span = {o, end};
    d.message = fmt::format("unexpected text {}: expected ',' or '{}'", quoted(o, end),
                            handler.open().empty() ? '}' : closer(handler.open().back().kind));
    d.repairs.push_back({"remove the stray text", {Edit{o, end - o, ""}}, true});
    return d;
  }
  d.message = fmt::format("unexpected {}: expected ',' or '{}'", quoted(o, d.span.end),
                          handler.open().empty() ? '}' : closer(handler.open().back().kind));
  if (c == ';') d.repairs.push_back({"replace ';' with ','", {Edit{o, 1, ","}}});
  return d;
}

// The reader wanted ':' after a key.
Diagnosis Diagnoser::missing_colon(std::size_t o) const {
  const char c = at(o);
  const std::size_t prev = prev_non_space(o);
  Diagnosis d;
  d.span = {o, char_end(o)};
  d.message = fmt::format("missing ':' after the key; found {}", quoted(o, d.span.end));
  if (c == '=') {
    d.repairs.push_back({"replace '=' with ':'", {Edit{o, 1, ":"}}});
  } else {
    d.repairs.push_back({"add ':' between the key and its value",
                         {Edit{prev == kNoOffset ? o : prev + 1, 0, ":"}}});
  }
  return d;
}

// A comma at `comma` right before the closing `closer`.
Diagnosis Diagnoser::trailing_comma(std::size_t comma, char closer) const {
  Diagnosis d;
  d.span = {comma, comma + 1};
  d.message =
      fmt::format("trailing comma before '{}': JSON does not allow a comma after the last {}",
                  closer, closer == ']' ? "element of an array" : "member of an object");
  d.repairs.push_back({"remove the comma", {Edit{comma, 1, ""}}});
  return d;
}

// The reader wanted a key in double quotes.
Diagnosis Diagnoser::missing_key(std::size_t o, const Handler& handler) const {
  const char c = at(o);
  const std::size_t prev = prev_non_space(o);
  const char before = prev == kNoOffset ? '\0' : w_[prev];
  if (c == '}' && before == ',') return trailing_comma(prev, c);
  Diagnosis d;
  d.span = {o, char_end(o)};
  if (c == '\'') return single_quotes(o, true);
  if (is_word_char(c)) return bare_word(o, true);
  if (c == ',') {
    d.message = "extra comma: expected a key in double quotes";
    d.repairs.push_back({"remove the extra comma", {Edit{o, 1, ""}}});
    return d;
  }
  if (c == ']') return wrong_closer(o, handler);
  d.message = fmt::format("expected a key in double quotes, found {}", quoted(o, d.span.end));
  return d;
}

// The reader wanted a value.
Diagnosis Diagnoser::invalid_value(std::size_t o, const Handler& handler) const {
  const char c = at(o);
  const std::size_t prev = prev_non_space(o);
  const char before = prev == kNoOffset ? '\0' : w_[prev];
  if ((c == ']' || c == '}') && before == ',') return trailing_comma(prev, c);
  Diagnosis d;
  d.span = {o, char_end(o)};
  if (c == '\'') return single_quotes(o, false);
  if (c == ',' && (before == ',' || before == '[')) {
    d.message = "extra comma: expected a value";
    d.repairs.push_back({"remove the extra comma", {Edit{o, 1, ""}}});
    return d;
  }
  if ((c == ']' || c == '}' || c == ',') && before == ':') {
    d.message = fmt::format("missing value after ':' (found {})", quoted(o, d.span.end));
    return d;
  }
  if (c == ']' || c == '}') return wrong_closer(o, handler);
  if (c == '.' || c == '+') {
    d.span = {o, word_end(o)};
    d.message = fmt::format("invalid number {}: JSON numbers start with a digit or '-'",
                            quoted(o, d.span.end));
    return d;
  }
  if (is_word_char(c)) return bare_word(o, false);
  d.message = fmt::format(
      "unexpected {}: expected a value (a string in double quotes, a number, an object, an "
      "array, true, false or null)",
      quoted(o, d.span.end));
  return d;
}

Diagnosis Diagnoser::diagnose(const Attempt& attempt, const Handler& handler,
                              const TrackingStream& stream) {
  using namespace rapidjson;
  const std::size_t o = attempt.offset;
  const char c = at(o);
  switch (attempt.code) {
    case kParseErrorStringEscapeInvalid:
    case kParseErrorStringMissQuotationMark:
    case kParseErrorStringUnicodeEscapeInvalidHex:
    case kParseErrorStringUnicodeSurrogateInvalid:
    case kParseErrorStringInvalidEncoding:
      return string_error(attempt, handler, stream);
    default:
      break;
  }
  if (auto d = comment_or_annotation(o)) return *d;
  if (o >= w_.size()) return end_of_file(handler);
  if (curly_quote_at(o) &&
      (attempt.code == kParseErrorObjectMissName || attempt.code == kParseErrorValueInvalid)) {
    return curly_quotes(o, attempt.code == kParseErrorObjectMissName);
  }
  // The reader stops inside a word it took for a literal ("nope" fails at 'o'): start at the word.
  // Not when the token read last is a string: `"Effect":Allow` fails at 'A', after a ':' that
  // is a word character only inside a bare word.
  if (attempt.code == kParseErrorValueInvalid && is_word_char(c)) {
    const std::size_t start = stream.token_start();
    if (start < o && at(start) != '"' && is_word_char(at(o - 1))) return bare_word(start, false);
  }
  switch (attempt.code) {
    case kParseErrorDocumentRootNotSingular:
      return after_document(o, handler);
    case kParseErrorObjectMissCommaOrCurlyBracket:
    case kParseErrorArrayMissCommaOrSquareBracket:
      return missing_separator(o, handler);
    case kParseErrorObjectMissColon:
      return missing_colon(o);
    case kParseErrorObjectMissName:
      return missing_key(o, handler);
    case kParseErrorValueInvalid:
      return invalid_value(o, handler);
    case kParseErrorNumberTooBig:
    case kParseErrorNumberMissFraction:
    case kParseErrorNumberMissExponent: {
      Diagnosis d;
      const std::size_t begin = stream.token_start();
      d.span = {begin, std::max(word_end(begin), o + 1)};
      d.message = fmt::format("malformed number {}: {}", quoted(d.span.begin, d.span.end),
                              rapidjson::GetParseError_En(attempt.code));
      return d;
    }
    default: {
      Diagnosis d;
      d.span = {o, char_end(o)};
      d.message = fmt::format("{} (at {})", rapidjson::GetParseError_En(attempt.code),
                              quoted(o, d.span.end));
      return d;
    }
  }
}

}  // namespace gdl::json::detail
