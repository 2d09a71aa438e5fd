#include "json/parser.h"

#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <unordered_map>

#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl::json {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;
constexpr std::size_t kNoOffset = std::string::npos;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_structural(char c) {
  return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
}
bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || c == '/' || c == '*' || c == '?' || c == '$' ||
         c == '@' || c == '+' || static_cast<unsigned char>(c) >= 0x80;
}

// A RapidJSON input stream over the working text that remembers where the current token began,
// so the SAX handler can give every value its exact span.
class TrackingStream {
 public:
  using Ch = char;
  explicit TrackingStream(std::string_view text) : text_(text) {}

  [[nodiscard]] Ch Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  Ch Take() {
    if (pos_ >= text_.size()) return '\0';
    const char c = text_[pos_];
    track(c);
    ++pos_;
    return c;
  }
  [[nodiscard]] std::size_t Tell() const { return pos_; }
  // Output-stream half of the concept; never used because we do not parse in situ.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

  [[nodiscard]] std::size_t token_start() const { return token_start_; }
  [[nodiscard]] bool in_string() const { return in_string_; }

 private:
  void track(char c) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return;
    }
    if (c == '"') {
      token_start_ = pos_;
      in_string_ = true;
      in_bare_token_ = false;
    } else if (is_space(c) || is_structural(c)) {
      in_bare_token_ = false;
    } else if (!in_bare_token_) {
      token_start_ = pos_;
      in_bare_token_ = true;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t token_start_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool in_bare_token_ = false;
};

struct OpenContainer {
  Kind kind;
  std::size_t begin;
  std::string key;  // the member key this container is the value of, if any
};

// SAX handler: always tracks the open containers (for diagnosis); builds the tree on request.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  Handler(const TrackingStream& stream, bool build_tree,
          std::size_t max_children = std::numeric_limits<std::size_t>::max())
      : stream_(stream), build_(build_tree), max_children_(max_children) {}

  bool Null() { return scalar(Kind::null, {}); }
  bool Bool(bool b) {
    if (build_) {
      Value v(Kind::boolean, current_span());
      v.boolean = b;
      return add(std::move(v));
    }
    return scalar(Kind::boolean, {});
  }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
    return scalar(Kind::number, std::string_view(str, length));
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    return scalar(Kind::string, std::string_view(str, length));
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    pending_key_.assign(str, length);
    pending_key_span_ = current_span();
    last_end_ = stream_.Tell();
    return true;
  }
  bool StartObject() { return start(Kind::object); }
  bool StartArray() { return start(Kind::array); }
  bool EndObject(rapidjson::SizeType) { return end(); }
  bool EndArray(rapidjson::SizeType) { return end(); }

  [[nodiscard]] const std::vector<OpenContainer>& open() const { return open_; }
  [[nodiscard]] std::size_t last_end() const { return last_end_; }
  [[nodiscard]] std::size_t root_end() const { return root_end_; }
  std::optional<Value>& root() { return root_; }
  std::vector<std::pair<Span, Span>>& duplicates() { return duplicates_; }
  std::vector<std::string>& duplicate_keys() { return duplicate_keys_; }
  [[nodiscard]] std::size_t dropped() const { return dropped_; }

 private:
  [[nodiscard]] Span current_span() const { return {stream_.token_start(), stream_.Tell()}; }

  bool scalar(Kind kind, std::string_view text) {
    last_end_ = stream_.Tell();
    if (open_.empty()) root_end_ = last_end_;
    if (!build_) return true;
    Value v(kind, current_span());
    v.text.assign(text);
    return add(std::move(v));
  }

  bool start(Kind kind) {
    // The iterative reader calls StartObject/StartArray before it takes the bracket.
    const std::size_t begin = stream_.Tell();
    std::string key;
    if (!open_.empty() && open_.back().kind == Kind::object) key = pending_key_;
    if (build_) {
      Value v(kind, Span{begin, begin + 1});
      building_.push_back(place(std::move(v)));  // null: beyond the cap, not built
    }
    open_.push_back({kind, begin, std::move(key)});
    return true;
  }

  bool end() {
    last_end_ = stream_.Tell() + 1;  // called before the closing bracket is taken
    open_.pop_back();
    if (open_.empty()) root_end_ = last_end_;
    if (!build_) return true;
    Value* done = building_.back();
    building_.pop_back();
    if (done == nullptr) return true;
    done->span.end = last_end_;
    if (done->kind == Kind::object) find_duplicates(*done);
    return true;
  }

  bool add(Value v) {
    place(std::move(v));
    return true;
  }

  // Appends v to the innermost open container (or makes it the root); the returned pointer stays
  // valid until that container grows again, which only happens after v is complete.
  Value* place(Value v) {
    if (building_.empty()) {
      root_.emplace(std::move(v));
      return &*root_;
    }
    Value* parent = building_.back();
    if (parent == nullptr) return nullptr;  // inside a value dropped by the cap
    if (parent->items.size() + parent->members.size() >= max_children_) {
      ++dropped_;
      pending_key_.clear();
      return nullptr;
    }
    if (parent->kind == Kind::array) {
      parent->items.push_back(std::move(v));
      return &parent->items.back();
    }
    parent->members.push_back(Member{std::move(pending_key_), pending_key_span_, std::move(v)});
    pending_key_.clear();
    return &parent->members.back().value;
  }

  void find_duplicates(const Value& object) {
    const auto& members = object.members;
    if (members.size() < 2) return;
    if (members.size() <= 16) {
      for (std::size_t i = 1; i < members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (members[j].key == members[i].key) {
            record_duplicate(members[j], members[i]);
            break;
          }
        }
      }
      return;
    }
    std::unordered_map<std::string_view, std::size_t> first_index;
    first_index.reserve(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      auto [it, inserted] = first_index.emplace(members[i].key, i);
      if (!inserted) record_duplicate(members[it->second], members[i]);
    }
  }

  void record_duplicate(const Member& first, const Member& again) {
    duplicates_.emplace_back(first.key_span, again.key_span);
    duplicate_keys_.push_back(again.key);
  }

  const TrackingStream& stream_;
  bool build_;
  std::vector<OpenContainer> open_;
  std::vector<Value*> building_;
  std::optional<Value> root_;
  std::string pending_key_;
  Span pending_key_span_;
  std::size_t last_end_ = 0;
  std::size_t root_end_ = kNoOffset;
  std::vector<std::pair<Span, Span>> duplicates_;
  std::vector<std::string> duplicate_keys_;
  std::size_t max_children_;
  std::size_t dropped_ = 0;
};

struct Attempt {
  rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;
  std::size_t offset = 0;
  [[nodiscard]] bool ok() const { return code == rapidjson::kParseErrorNone; }
};

Attempt run_reader(Handler& handler, TrackingStream& stream) {
  rapidjson::Reader reader;
  reader.Parse<kParseFlags>(stream, handler);
  return {reader.GetParseErrorCode(), reader.GetErrorOffset()};
}

Attempt trial_parse(std::string_view text) {
  TrackingStream stream(text);
  Handler handler(stream, false);
  return run_reader(handler, stream);
}

// One edit of the working text, in working-text offsets.
struct Edit {
  std::size_t at = 0;
  std::size_t erase = 0;
  std::string insert;
  // In the working text a shorter replacement is padded with spaces to keep offsets: after it,
  // or before it (an opening quote, whose padding must stay outside the string).
  bool pad_before = false;
};
struct Repair {
  std::string description;  // the fix as the user reads it
  std::vector<Edit> edits;
};

struct Related {
  Span span;  // working offsets
  std::string message;
};

struct Diagnosis {
  Span span;  // working offsets
  std::string message;
  std::vector<Related> related;
  std::vector<Repair> repairs;  // candidate fixes, in order of preference
  bool truncate_rest = false;   // recovery only: ignore everything from span.begin on
};

// Maps offsets in the working text (which may have characters inserted by repairs) back to the
// original source.
class OffsetMap {
 public:
  void record_insertion(std::size_t at, std::size_t length) {
    for (auto& [start, len] : insertions_) {
      if (start >= at) start += length;
    }
    insertions_.emplace_back(at, length);
  }
  [[nodiscard]] std::size_t to_original(std::size_t offset) const {
    std::size_t result = offset;
    for (const auto& [start, len] : insertions_) {
      if (offset >= start + len) {
        result -= len;
      } else if (offset > start) {
        result -= offset - start;
      }
    }
    return result;
  }
  [[nodiscard]] bool empty() const { return insertions_.empty(); }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> insertions_;
};

// Applies a repair to the working text. Deletions become spaces so offsets do not move; only
// text longer than what it replaces shifts later offsets (recorded in `map` when given).
void apply_repair(std::string& text, const Repair& repair, OffsetMap* map) {
  std::vector<Edit> edits = repair.edits;
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at > b.at; });
  for (const Edit& e : edits) {
    if (e.insert.size() <= e.erase) {
      std::string replacement = e.insert;
      if (e.pad_before) {
        replacement.insert(0, e.erase - e.insert.size(), ' ');
      } else {
        replacement.append(e.erase - e.insert.size(), ' ');
      }
      text.replace(e.at, e.erase, replacement);
    } else {
      text.replace(e.at, e.erase, e.insert);
      if (map != nullptr) map->record_insertion(e.at + e.erase, e.insert.size() - e.erase);
    }
  }
}

class Diagnoser {
 public:
  Diagnoser(std::string_view text, const SourceFile& source, const OffsetMap& map)
      : w_(text), source_(source), map_(map) {}

  Diagnosis diagnose(const Attempt& attempt, const Handler& handler, const TrackingStream& stream);

 private:
  [[nodiscard]] char at(std::size_t i) const { return i < w_.size() ? w_[i] : '\0'; }
  [[nodiscard]] std::size_t prev_non_space(std::size_t i) const {
    while (i > 0) {
      --i;
      if (!is_space(w_[i])) return i;
    }
    return kNoOffset;
  }
  [[nodiscard]] std::size_t line_end(std::size_t i) const {
    while (i < w_.size() && w_[i] != '\n' && w_[i] != '\r') ++i;
    return i;
  }
  [[nodiscard]] std::size_t trimmed_line_end(std::size_t begin) const {
    std::size_t end = line_end(begin);
    while (end > begin && is_space(w_[end - 1])) --end;
    return end;
  }
  [[nodiscard]] std::size_t word_end(std::size_t i) const {
    while (i < w_.size() && is_word_char(w_[i])) ++i;
    return i;
  }
  // One UTF-8 character starting at i (at least one byte, never past the end).
  [[nodiscard]] std::size_t char_end(std::size_t i) const {
    if (i >= w_.size()) return i;
    return i + std::max<std::size_t>(1, valid_utf8_sequence_length(w_.substr(i)));
  }
  [[nodiscard]] std::string where(std::size_t working_offset) const {
    const Position p =
        make_location(source_, {map_.to_original(working_offset), map_.to_original(working_offset)})
            .start;
    return fmt::format("line {}, column {}", p.line, p.column);
  }
  [[nodiscard]] std::string quoted(std::size_t begin, std::size_t end, std::size_t max = 40) const {
    std::string_view s = w_.substr(begin, end - begin);
    std::string out(s.substr(0, max));
    if (s.size() > max) out += "...";
    const char* mark = s.find('\'') == std::string_view::npos ? "'" : "\"";
    return mark + out + mark;
  }
  [[nodiscard]] static std::string_view container_name(Kind kind) {
    return kind == Kind::object ? "object" : "array";
  }
  [[nodiscard]] static char closer(Kind kind) { return kind == Kind::object ? '}' : ']'; }

  std::optional<Diagnosis> comment_or_annotation(std::size_t o) const;
  Diagnosis end_of_file(const Handler& handler) const;
  Diagnosis string_error(const Attempt& attempt, const Handler& handler,
                         const TrackingStream& stream) const;
  Diagnosis missing_comma(std::size_t o, const Handler& handler) const;
  Diagnosis bare_word(std::size_t o, bool is_key) const;
  Diagnosis single_quotes(std::size_t o, bool is_key) const;
  Diagnosis curly_quotes(std::size_t o, bool is_key) const;
  [[nodiscard]] bool curly_quote_at(std::size_t o) const;
  Diagnosis after_document(std::size_t o, const Handler& handler) const;
  Diagnosis wrong_closer(std::size_t o, const Handler& handler) const;

  std::string_view w_;
  const SourceFile& source_;
  const OffsetMap& map_;
};

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
  const bool in_statement_array = !open.empty() && open.back().kind == Kind::array &&
                                  open.back().key == "Statement" && at(o) == '{';
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
  if (line_stop > end) d.repairs.push_back({"remove the stray text", {Edit{o, line_stop - o, ""}}});
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
  if (attempt.code == kParseErrorValueInvalid && is_word_char(c) && stream.token_start() < o &&
      is_word_char(at(o - 1))) {
    return bare_word(stream.token_start(), false);
  }

  const std::size_t prev = prev_non_space(o);
  const char before = prev == kNoOffset ? '\0' : w_[prev];
  Diagnosis d;
  d.span = {o, char_end(o)};
  switch (attempt.code) {
    case kParseErrorDocumentRootNotSingular:
      return after_document(o, handler);
    case kParseErrorObjectMissCommaOrCurlyBracket:
    case kParseErrorArrayMissCommaOrSquareBracket:
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
        d.repairs.push_back({"remove the stray text", {Edit{o, end - o, ""}}});
        return d;
      }
      d.message = fmt::format("unexpected {}: expected ',' or '{}'", quoted(o, d.span.end),
                              handler.open().empty() ? '}' : closer(handler.open().back().kind));
      if (c == ';') d.repairs.push_back({"replace ';' with ','", {Edit{o, 1, ","}}});
      return d;
    case kParseErrorObjectMissColon:
      d.message = fmt::format("missing ':' after the key; found {}", quoted(o, d.span.end));
      if (c == '=') {
        d.repairs.push_back({"replace '=' with ':'", {Edit{o, 1, ":"}}});
      } else {
        d.repairs.push_back({"add ':' between the key and its value",
                             {Edit{prev == kNoOffset ? o : prev + 1, 0, ":"}}});
      }
      return d;
    case kParseErrorObjectMissName:
      if ((c == '}') && before == ',') {
        d.span = {prev, prev + 1};
        d.message =
            "trailing comma before '}': JSON does not allow a comma after the last member of an "
            "object";
        d.repairs.push_back({"remove the comma", {Edit{prev, 1, ""}}});
        return d;
      }
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
    case kParseErrorValueInvalid:
      if ((c == ']' || c == '}') && before == ',') {
        d.span = {prev, prev + 1};
        d.message =
            fmt::format("trailing comma before '{}': JSON does not allow a comma after the last {}",
                        c, c == ']' ? "element of an array" : "member of an object");
        d.repairs.push_back({"remove the comma", {Edit{prev, 1, ""}}});
        return d;
      }
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
    case kParseErrorNumberTooBig:
    case kParseErrorNumberMissFraction:
    case kParseErrorNumberMissExponent: {
      const std::size_t begin = stream.token_start();
      d.span = {begin, std::max(word_end(begin), o + 1)};
      d.message = fmt::format("malformed number {}: {}", quoted(d.span.begin, d.span.end),
                              rapidjson::GetParseError_En(attempt.code));
      return d;
    }
    default:
      d.message = fmt::format("{} (at {})", rapidjson::GetParseError_En(attempt.code),
                              quoted(o, d.span.end));
      return d;
  }
}

// ---- Encoding (GD003) -------------------------------------------------------------------------

// The text the reader sees: the source's own bytes until a repair (or an encoding blank) needs to
// change them. Most files parse as they are, so most are never copied.
class WorkingText {
 public:
  explicit WorkingText(std::string_view original) : original_(original) {}
  [[nodiscard]] std::string_view view() const { return owned_ ? copy_ : original_; }
  std::string& edit() {
    if (!owned_) {
      copy_.assign(original_);
      owned_ = true;
    }
    return copy_;
  }

 private:
  std::string_view original_;
  std::string copy_;
  bool owned_ = false;
};

constexpr std::size_t kMaxEncodingDiagnostics = 10;

// Reports a byte-order mark, invalid UTF-8 and NUL bytes, and blanks them in the working text so
// the syntax check still runs on the rest of the file. Returns false if the file is not UTF-8 at
// all (UTF-16/32), in which case nothing else is checked.
bool check_encoding(const SourceFile& source, WorkingText& working, std::vector<Diagnostic>& out) {
  const std::string_view text = source.text();
  auto report = [&](Span span, std::string message, std::string fix) {
    Diagnostic d = make_diagnostic("GD003", make_location(source, span), std::move(message));
    if (!fix.empty()) d.fix = Fix{std::move(fix), {TextEdit{d.location, ""}}};
    out.push_back(std::move(d));
  };
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF") ||
      (text.size() >= 4 && text[0] != '\0' && text[1] == '\0' && text[3] == '\0') ||
      (text.size() >= 4 && text[0] == '\0' && text[2] == '\0')) {
    Diagnostic d =
        make_diagnostic("GD003", make_location(source, {0, std::min<std::size_t>(2, text.size())}),
                        "the file is UTF-16 or UTF-32 encoded; policies must be UTF-8");
    d.notes.push_back(
        "re-save the file as UTF-8 (without a byte-order mark); nothing else was checked");
    out.push_back(std::move(d));
    return false;
  }
  std::size_t start = 0;
  if (text.starts_with("\xEF\xBB\xBF")) {
    report({0, 3},
           "the file starts with a UTF-8 byte-order mark (EF BB BF); JSON text must not (RFC 8259 "
           "section 8.1) and AWS can reject the policy as malformed",
           "remove the byte-order mark");
    working.edit().replace(0, 3, "   ");
    start = 3;
  }
  std::size_t reported = 0;
  std::size_t suppressed = 0;
  for (std::size_t i = start; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte != 0 && byte < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = byte == 0 ? 0 : valid_utf8_sequence_length(text.substr(i));
    if (n > 0) {
      i += n;
      continue;
    }
    // A run of bad bytes of the same sort is one problem.
    const bool nul = byte == 0;
    std::size_t end = i + 1;
    while (end < text.size() &&
           (nul ? text[end] == '\0'
                : (text[end] != '\0' && static_cast<unsigned char>(text[end]) >= 0x80 &&
                   valid_utf8_sequence_length(text.substr(end)) == 0))) {
      ++end;
    }
    std::string& blanked = working.edit();
    for (std::size_t k = i; k < end; ++k) blanked[k] = ' ';
    if (reported < kMaxEncodingDiagnostics) {
      if (nul) {
        report({i, end},
               fmt::format("{} NUL byte{} (0x00) in the file; JSON text cannot contain them",
                           end - i == 1 ? "a" : std::to_string(end - i), end - i == 1 ? "" : "s"),
               "remove the NUL bytes");
      } else {
        std::string bytes;
        for (std::size_t k = i; k < std::min(end, i + 8); ++k) {
          bytes += fmt::format("{}{:02X}", bytes.empty() ? "" : " ",
                               static_cast<unsigned char>(text[k]));
        }
        if (end - i > 8) bytes += " ...";
        report({i, end},
               fmt::format("invalid UTF-8 byte sequence ({}); the file must be UTF-8 (was it saved "
                           "as Latin-1 or Windows-1252?)",
                           bytes),
               "");
      }
      ++reported;
    } else {
      ++suppressed;
    }
    i = end;
  }
  if (suppressed > 0 && !out.empty()) {
    out.back().notes.push_back(
        fmt::format("{} more encoding problems in this file are not shown", suppressed));
  }
  return true;
}

// Maps every span of the tree back to the original text, iteratively (trees can be very deep).
void remap_spans(Value& root, const OffsetMap& map) {
  std::vector<Value*> pending{&root};
  auto remap = [&map](Span& s) { s = {map.to_original(s.begin), map.to_original(s.end)}; };
  while (!pending.empty()) {
    Value* v = pending.back();
    pending.pop_back();
    remap(v->span);
    for (auto& item : v->items) pending.push_back(&item);
    for (auto& member : v->members) {
      remap(member.key_span);
      pending.push_back(&member.value);
    }
  }
}

void restore_number_text(Value& root, std::string_view original) {
  std::vector<Value*> pending{&root};
  while (!pending.empty()) {
    Value* v = pending.back();
    pending.pop_back();
    if (v->kind == Kind::number) {
      // The stand-in was shorter than the number: take the whole token from the source.
      std::size_t end = v->span.begin;
      while (end < original.size() &&
             (std::isdigit(static_cast<unsigned char>(original[end])) != 0 ||
              original[end] == '-' || original[end] == '+' || original[end] == '.' ||
              original[end] == 'e' || original[end] == 'E')) {
        ++end;
      }
      v->span.end = std::max(v->span.end, end);
      v->text.assign(original.substr(v->span.begin, v->span.size()));
    }
    for (auto& item : v->items) pending.push_back(&item);
    for (auto& member : v->members) pending.push_back(&member.value);
  }
}

Diagnostic to_diagnostic(const SourceFile& source, const OffsetMap& map, const Diagnosis& d,
                         const Repair* chosen) {
  auto location = [&](Span s) {
    return make_location(source, {map.to_original(s.begin), map.to_original(s.end)});
  };
  Diagnostic out = make_diagnostic("GD001", location(d.span), d.message);
  for (const Related& r : d.related) out.related.push_back({location(r.span), r.message});
  if (chosen != nullptr) {
    Fix fix{chosen->description, {}};
    for (const Edit& e : chosen->edits)
      fix.edits.push_back({location({e.at, e.at + e.erase}), e.insert});
    std::sort(fix.edits.begin(), fix.edits.end(), [](const TextEdit& a, const TextEdit& b) {
      return a.location.span.begin < b.location.span.begin;
    });
    out.fix = std::move(fix);
  }
  return out;
}

}  // namespace

ParseResult parse(const SourceFile& source, const ParseOptions& options) {
  ParseResult result;
  WorkingText working(source.text());
  if (!check_encoding(source, working, result.diagnostics)) return result;

  OffsetMap map;
  bool repaired = false;
  bool big_numbers = false;
  std::size_t syntax_errors = 0;
  // One pass builds the tree; only a file with errors is parsed again (after each repair).
  std::optional<TrackingStream> stream;
  std::optional<Handler> builder;
  for (;;) {
    stream.emplace(working.view());
    builder.emplace(*stream, true,
                    source.text().size() > options.large_input
                        ? options.max_children_when_large
                        : std::numeric_limits<std::size_t>::max());
    const Attempt attempt = run_reader(*builder, *stream);
    if (attempt.ok()) break;
    const Handler& handler = *builder;

    if (attempt.code == rapidjson::kParseErrorNumberTooBig) {
      // Valid JSON that merely exceeds a double (1e999999, 400-digit integers): not an error.
      // Parse a same-length stand-in; the tree takes the number's text from the source later.
      const std::size_t begin = attempt.offset;
      std::size_t end = begin;
      const std::string_view text = working.view();
      while (end < text.size() && !is_space(text[end]) && !is_structural(text[end])) ++end;
      working.edit().replace(begin, end - begin, "0" + std::string(end - begin - 1, ' '));
      big_numbers = true;
      continue;
    }
    if (attempt.code == rapidjson::kParseErrorDocumentEmpty) {
      const bool empty = source.text().empty();
      Diagnostic d =
          make_diagnostic("GD001", make_location(source, {0, 0}),
                          empty ? "the file is empty; a policy is a JSON object such as "
                                  "{\"Version\": \"2012-10-17\", \"Statement\": [...]}"
                                : "the file contains only whitespace; a policy is a JSON object "
                                  "such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}");
      result.diagnostics.push_back(std::move(d));
      return result;
    }
    if (++syntax_errors > options.max_syntax_errors) {
      result.diagnostics.back().notes.push_back(
          "more syntax errors follow; fix these and run again");
      return result;
    }

    Diagnoser diagnoser(working.view(), source, map);
    Diagnosis diagnosis = diagnoser.diagnose(attempt, handler, *stream);

    // Try each candidate repair; keep the one that lets the parser get furthest.
    const Repair* best = nullptr;
    Attempt best_attempt = attempt;
    for (const Repair& repair : diagnosis.repairs) {
      std::string trial(working.view());
      apply_repair(trial, repair, nullptr);
      const Attempt next = trial_parse(trial);
      if (next.ok() || (!best_attempt.ok() && next.offset > best_attempt.offset)) {
        best = &repair;
        best_attempt = next;
        if (next.ok()) break;
      }
    }
    if (best == nullptr && diagnosis.truncate_rest) {
      Diagnostic d = to_diagnostic(source, map, diagnosis, nullptr);
      result.diagnostics.push_back(std::move(d));
      std::string& text = working.edit();
      std::fill(text.begin() + static_cast<std::ptrdiff_t>(diagnosis.span.begin), text.end(), ' ');
      repaired = true;
      continue;
    }
    // Without progress, the user still gets the fix we would suggest first.
    const Repair* shown =
        best != nullptr ? best : (diagnosis.repairs.empty() ? nullptr : &diagnosis.repairs.front());
    Diagnostic d = to_diagnostic(source, map, diagnosis, shown);
    if (best != nullptr && best_attempt.ok()) {
      d.notes.push_back("with this fixed, the rest of the document parses");
    }
    result.diagnostics.push_back(std::move(d));
    if (best == nullptr) return result;
    apply_repair(working.edit(), *best, &map);
    repaired = true;
  }

  // The (possibly repaired) text parsed: the builder holds the located tree.
  result.root = std::move(builder->root());
  result.recovered = repaired;
  result.children_dropped = builder->dropped();
  if (result.children_dropped > 0) {
    Diagnostic d = make_diagnostic(
        "GD006", make_location(source, {0, 0}),
        fmt::format("this file is {} MB, far above anything AWS accepts as a policy or template; "
                    "only the first {} elements of each list and object were examined ({} more "
                    "were parsed but not checked)",
                    source.text().size() / (1024 * 1024), options.max_children_when_large,
                    result.children_dropped));
    d.severity = Severity::note;
    result.diagnostics.push_back(std::move(d));
  }
  if (!map.empty() && result.root) remap_spans(*result.root, map);
  if (big_numbers && result.root) restore_number_text(*result.root, source.text());

  auto& dups = builder->duplicates();
  for (std::size_t i = 0; i < dups.size(); ++i) {
    const Span first{map.to_original(dups[i].first.begin), map.to_original(dups[i].first.end)};
    const Span again{map.to_original(dups[i].second.begin), map.to_original(dups[i].second.end)};
    const Position p = make_location(source, first).start;
    Diagnostic d = make_diagnostic(
        "GD002", make_location(source, again),
        fmt::format("duplicate key \"{}\" in the same object (first at line {}, column {}); JSON "
                    "parsers disagree on which value counts, so AWS may not evaluate what you read",
                    builder->duplicate_keys()[i], p.line, p.column));
    d.related.push_back({make_location(source, first), "first occurrence of the key"});
    d.notes.push_back("merge the two members into one, or remove the one you do not mean");
    result.diagnostics.push_back(std::move(d));
  }
  return result;
}

}  // namespace gdl::json
