#include <doctest/doctest.h>

#include <string>

#include "json/parser.h"

using gdl::SourceFile;
using gdl::json::Kind;
using gdl::json::parse;

namespace {
std::string_view slice(const SourceFile& source, gdl::Span span) {
  return source.text().substr(span.begin, span.size());
}
}  // namespace

TEST_CASE("every value and key carries its exact span") {
  const SourceFile source("t.json", R"({"a": [1, -2.5e3, true, null, "x\"y"], "b": {"c": "é"}})");
  auto result = parse(source);
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.root);
  const auto& root = *result.root;
  CHECK(root.kind == Kind::object);
  CHECK(slice(source, root.span) == source.text());
  REQUIRE(root.members.size() == 2);
  CHECK(slice(source, root.members[0].key_span) == "\"a\"");
  const auto& array = root.members[0].value;
  CHECK(slice(source, array.span) == R"([1, -2.5e3, true, null, "x\"y"])");
  REQUIRE(array.items.size() == 5);
  CHECK(slice(source, array.items[0].span) == "1");
  CHECK(array.items[1].text == "-2.5e3");
  CHECK(slice(source, array.items[1].span) == "-2.5e3");
  CHECK(array.items[2].kind == Kind::boolean);
  CHECK(array.items[2].boolean);
  CHECK(slice(source, array.items[2].span) == "true");
  CHECK(slice(source, array.items[3].span) == "null");
  CHECK(array.items[4].text == "x\"y");
  CHECK(slice(source, array.items[4].span) == R"("x\"y")");
  const auto* c = root.members[1].value.find("c");
  REQUIRE(c != nullptr);
  CHECK(c->value.text == "é");
  CHECK(source.position(c->value.span.begin).column == 51);
}

// A string's span runs from the first quote after the token or bracket before it to the closing
// quote, whatever escaped quotes and runs of backslashes it holds: each string is written as a
// key, as a value, and in arrays after a scalar, an opening bracket and a closing one, with
// whitespace of every kind in the gaps.
TEST_CASE("string spans are exact whatever the escapes before a quote") {
  const std::string_view strings[] = {
      R"("")",           R"("a")",      R"("\\")",        R"("\"")",     R"("\\\"")", R"("a\\\\")",
      R"("say \"hi\"")", R"("\"\"\"")", R"("\\\\\"x\\")", R"("\u0022")", R"("é\"ü")", R"("x\\")",
  };
  for (const std::string_view token : strings) {
    for (const char* shape :
         {"{%s: 1}", "{\"k\": %s}", "[1, %s, true]", "%s", "{\"_\":[],\r\n\t%s :1}",
          "{\"k\" :\n %s}", "[[] ,\t%s]", "[{\"a\":\"b\"},%s]", " \n[[%s]]"}) {
      std::string text(shape);
      text.replace(text.find("%s"), 2, std::string(token));
      const SourceFile source("t.json", text);
      auto result = parse(source);
      INFO(text);
      REQUIRE(result.diagnostics.empty());
      REQUIRE(result.root);
      const auto& root = *result.root;
      gdl::Span span;
      if (root.is_object() && root.members.back().key != "k") {
        span = root.members.back().key_span;
      } else if (root.is_object()) {
        span = root.members.back().value.span;
      } else if (root.is_array() && root.items[0].is_array() && !root.items[0].items.empty()) {
        span = root.items[0].items[0].span;
      } else if (root.is_array()) {
        span = root.items[1].span;
      } else {
        span = root.span;
      }
      CHECK(slice(source, span) == token);
    }
  }
}

TEST_CASE("numbers keep their source text, even beyond double range") {
  const std::string big(400, '9');
  const SourceFile source("t.json", "[1e999999, " + big + "]");
  auto result = parse(source);
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.root);
  CHECK(result.root->items[0].text == "1e999999");
  CHECK(result.root->items[1].text == big);
}

TEST_CASE("deep nesting neither overflows the stack while parsing nor while destroying") {
  const std::size_t depth = 100000;
  const SourceFile source("deep.json", std::string(depth, '[') + std::string(depth, ']'));
  auto result = parse(source);
  CHECK(result.diagnostics.empty());
  CHECK(result.root.has_value());
}

TEST_CASE("duplicate keys report both positions") {
  const SourceFile source("t.json", "{\"Effect\": \"Allow\",\n \"Effect\": \"Deny\"}");
  auto result = parse(source);
  REQUIRE(result.diagnostics.size() == 1);
  const auto& d = result.diagnostics[0];
  CHECK(d.rule_id == "GD002");
  CHECK(d.location.start.line == 2);
  CHECK(d.location.start.column == 2);
  REQUIRE(d.related.size() == 1);
  CHECK(d.related[0].location.start.line == 1);
  CHECK(d.related[0].location.start.column == 2);
  // With duplicates, lookups see the last value, as most parsers do.
  REQUIRE(result.root);
  CHECK(result.root->find("Effect")->value.text == "Deny");
}

TEST_CASE("duplicate detection also works on large objects") {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\": 1, ";
  text += "\"k7\": 2}";
  auto result = parse(SourceFile("t.json", text));
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].rule_id == "GD002");
}

TEST_CASE("a repaired document still yields a tree with spans in the original text") {
  // Missing comma: the repair inserts one character, so later spans must be mapped back.
  const SourceFile source("t.json", "[{\"a\": 1}\n {\"b\": 2}]");
  auto result = parse(source);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].rule_id == "GD001");
  REQUIRE(result.diagnostics[0].fix);
  CHECK(result.diagnostics[0].fix->edits[0].replacement == ",");
  CHECK(result.diagnostics[0].fix->edits[0].location.span.begin == 9);
  REQUIRE(result.root);
  CHECK(result.recovered);
  REQUIRE(result.root->items.size() == 2);
  CHECK(slice(source, result.root->items[1].span) == "{\"b\": 2}");
}

TEST_CASE("syntax diagnostics: position and wording of the cause") {
  struct Case {
    const char* text;
    std::uint32_t line;
    std::uint32_t column;
    const char* words;  // must appear in the message
    bool alone = true;  // the only finding: the repaired text parses
  };
  const Case cases[] = {
      {"[1,]", 1, 3, "trailing comma"},
      {"{\"a\": 1,}", 1, 8, "trailing comma"},
      {"[1 2]", 1, 4, "missing comma"},
      {"{\"Statement\": [{}\n{}]}", 2, 1, "missing comma between statements"},
      {"{\"a\": 1 // c\n}", 1, 9, "comments"},
      {"{/* c */}", 1, 2, "comments"},
      {"[1] <--Add a comma after this bracket", 1, 5, "annotation"},
      {"{\"a\": [1}", 1, 9, "mismatched bracket"},
      {"{\"a\": [1", 1, 9, "never closed"},
      {"{\"a\": \"x\n}", 1, 7, "unterminated string"},
      {"{'a': 1}", 1, 2, "single quotes"},
      {"{\"a\": Allow}", 1, 7, "bare word"},
      // No blank after the ':': the word, not the key before it (':' is a word character
      // only inside a bare word such as arn:aws:...).
      {"{\"a\":Allow}", 1, 6, "bare word 'Allow'"},
      {"{\"a\":z}", 1, 6, "bare word 'z'"},
      {"{\"a\":True}", 1, 6, "lowercase"},
      {"{\"a\":+1}", 1, 6, "invalid number '+1'"},
      {"{\"a\":-Infinity}", 1, 6, "bare word '-Infinity'"},
      {"{\"a\": TRUE}", 1, 7, "lowercase"},
      {"{} {}", 1, 4, "after the end of the document"},
      {"{}}", 1, 3, "unmatched"},
      {"{\"a\" 1}", 1, 6, "missing ':'"},
      {"{\"a\": \"\\q\"}", 1, 8, "invalid escape"},
      {"{\"a\": \"\\u12\"}", 1, 8, "four hexadecimal digits"},
      {"[01x]", 1, 3, "", false},
  };
  for (const Case& c : cases) {
    const std::string text = c.text;
    CAPTURE(text);
    auto result = parse(SourceFile("t.json", c.text));
    REQUIRE(!result.diagnostics.empty());
    const auto& d = result.diagnostics.front();
    CHECK(d.rule_id == "GD001");
    CHECK(d.location.start.line == c.line);
    CHECK(d.location.start.column == c.column);
    CHECK(d.message.find(c.words) != std::string::npos);
    // One cause, one finding (no "never closed" after a bare word).
    if (c.alone) CHECK(result.diagnostics.size() == 1);
  }
}

TEST_CASE("encoding problems are reported and the rest of the file is still parsed") {
  auto bom = parse(SourceFile("t.json", "\xEF\xBB\xBF{\"a\": 1}"));
  REQUIRE(bom.diagnostics.size() == 1);
  CHECK(bom.diagnostics[0].rule_id == "GD003");
  CHECK(bom.root.has_value());

  auto latin1 = parse(SourceFile("t.json", "{\"a\": \"caf\xE9\"}"));
  REQUIRE(latin1.diagnostics.size() == 1);
  CHECK(latin1.diagnostics[0].rule_id == "GD003");
  CHECK(latin1.diagnostics[0].location.start.column == 11);
  CHECK(latin1.root.has_value());

  auto nul = parse(SourceFile("t.json", std::string("{\"a\":\0 1}", 9)));
  REQUIRE(nul.diagnostics.size() == 1);
  CHECK(nul.diagnostics[0].rule_id == "GD003");
  CHECK(nul.root.has_value());
}

TEST_CASE("an encoding problem is found at every offset, wherever eight-byte words fall") {
  // check_encoding skips plain ASCII eight bytes at a time: a bad byte, a NUL and a valid
  // multi-byte character are put at every offset of a long ASCII string, across word boundaries.
  struct Case {
    std::string_view what;
    std::string bytes;
    bool reported;
  };
  const Case cases[] = {
      {"Latin-1 byte", "\xE9", true},
      {"NUL", std::string(1, '\0'), true},
      {"lone continuation byte", "\x80", true},
      {"high byte 0xFF", "\xFF", true},
      {"valid two-byte character", "\xC3\xA9", false},
      {"valid four-byte character", "\xF0\x9F\x98\x80", false},
  };
  for (const Case& c : cases) {
    for (std::size_t at = 0; at < 40; ++at) {
      CAPTURE(c.what);
      CAPTURE(at);
      std::string text =
          "{\"a\": \"" + std::string(at, 'x') + c.bytes + std::string(23, 'y') + "\"}";
      auto result = parse(SourceFile("t.json", text));
      CHECK(result.root.has_value());
      if (!c.reported) {
        CHECK(result.diagnostics.empty());
        continue;
      }
      REQUIRE(result.diagnostics.size() == 1);
      CHECK(result.diagnostics[0].rule_id == "GD003");
      // Columns count from 1; the string's content starts at column 8.
      CHECK(result.diagnostics[0].location.start.column == 8 + at);
    }
  }
}

TEST_CASE("the number of syntax errors reported per file is bounded") {
  std::string text = "[";
  for (int i = 0; i < 50; ++i) text += "1 ";
  text += "]";
  auto result = parse(SourceFile("t.json", text));
  CHECK(result.diagnostics.size() == gdl::json::ParseOptions{}.max_syntax_errors);
}

TEST_CASE("a large input keeps only the first elements of each collection, and says so") {
  gdl::json::ParseOptions options;
  options.large_input = 0;  // every input counts as large here
  options.max_children_when_large = 3;
  auto result = parse(
      SourceFile(
          "t.json",
          R"({"a": [1, 2, 3, 4, [5, 6]], "b": 1, "c": {"x": 1, "y": 2, "z": 3, "w": 4}, "d": 1})"),
      options);
  REQUIRE(result.root.has_value());
  REQUIRE(result.root->members.size() == 3);  // a, b, c; d dropped
  CHECK(result.root->members[0].value.items.size() == 3);
  CHECK(result.root->members[2].value.members.size() == 3);
  CHECK(result.children_dropped == 4);  // 4, [5, 6], "w", "d" (5 and 6 sit inside a dropped value)
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].rule_id == "GD006");
  CHECK(result.diagnostics[0].severity == gdl::Severity::note);
  // Spans of what is kept are unchanged.
  CHECK(result.root->members[2].key_span.begin == 36);  // where "c" is written
}

// Spans are found from where tokens end, never by recording characters (src/json/tree_builder.h):
// whitespace runs of every length and kind, starting at every offset within a 16-byte block
// (where a vectorised skip would change), before and after every kind of token, must leave every
// span exact.
TEST_CASE("spans are exact after whitespace runs of every length, kind and alignment") {
  const std::string_view kinds = " \t\n\r";
  std::size_t documents = 0;
  for (std::size_t lead = 0; lead < 16; ++lead) {
    for (std::size_t run = 0; run <= 40; run += run < 20 ? 1 : 7) {
      std::string ws;
      for (std::size_t i = 0; i < run; ++i) ws += kinds[(i + lead) % kinds.size()];
      const std::string text = std::string(lead, ' ') + "{" + ws + "\"k\"" + ws + ":" + ws + "[" +
                               ws + "\"v\"" + ws + "," + ws + "12" + ws + "," + ws + "true" + ws +
                               "]" + ws + "}" + ws;
      CAPTURE(lead);
      CAPTURE(run);
      const SourceFile source("w.json", text);
      const auto result = parse(source);
      REQUIRE(result.diagnostics.empty());
      REQUIRE(result.root);
      const auto& root = *result.root;
      CHECK(root.span.begin == lead);
      CHECK(root.span.end == text.size() - ws.size());
      REQUIRE(root.members.size() == 1);
      CHECK(slice(source, root.members[0].key_span) == "\"k\"");
      const auto& array = root.members[0].value;
      CHECK(slice(source, array.span).front() == '[');
      CHECK(slice(source, array.span).back() == ']');
      REQUIRE(array.items.size() == 3);
      CHECK(slice(source, array.items[0].span) == "\"v\"");
      CHECK(slice(source, array.items[1].span) == "12");
      CHECK(slice(source, array.items[2].span) == "true");
      ++documents;
    }
  }
  CHECK(documents == 16 * 23);
}

// The string reader copies a string's plain bytes 16 at a time (tree_builder.h): whatever byte
// ends a run (an escape, the closing quote, a control byte, the text's end) and wherever it falls
// in a block, the decoded text and the spans must be those of a byte-at-a-time reader.
TEST_CASE("strings decode exactly wherever an escape, a quote or the text's end falls") {
  struct Ending {
    std::string_view written;  // after the plain run, inside the string
    std::string_view decoded;
  };
  const Ending endings[] = {{"", ""},
                            {"\\n", "\n"},
                            {"\\\"x", "\"x"},
                            {"\\\\", "\\"},
                            {"\\u00e9", "é"},
                            {"é\\/", "é/"},
                            {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"}};
  std::size_t documents = 0;
  for (std::size_t lead = 0; lead < 16; ++lead) {
    for (std::size_t run = 0; run <= 40; ++run) {
      std::string plain;
      for (std::size_t i = 0; i < run; ++i) plain += static_cast<char>('a' + (i + lead) % 26);
      for (const Ending& ending : endings) {
        const std::string string = "\"" + plain + std::string(ending.written) + "\"";
        const std::string text = std::string(lead, ' ') + "{" + string + ":[" + string + "]}";
        CAPTURE(lead);
        CAPTURE(run);
        CAPTURE(ending.written);
        const SourceFile source("s.json", text);
        const auto result = parse(source);
        REQUIRE(result.diagnostics.empty());
        REQUIRE(result.root);
        REQUIRE(result.root->members.size() == 1);
        const auto& member = result.root->members[0];
        const std::string expected = plain + std::string(ending.decoded);
        CHECK(member.key == expected);
        CHECK(slice(source, member.key_span) == string);
        REQUIRE(member.value.items.size() == 1);
        CHECK(member.value.items[0].text == expected);
        CHECK(slice(source, member.value.items[0].span) == string);
        ++documents;
      }
    }
  }
  CHECK(documents == 16 * 41 * std::size(endings));
}

TEST_CASE("a control byte or the text's end inside a string is found at its exact place") {
  for (std::size_t run = 0; run <= 40; ++run) {
    const std::string plain(run, 'p');
    CAPTURE(run);
    // A raw tab inside a string: reported where it is, and the string's bytes before it kept.
    const SourceFile tab("t.json", "{\"k\": \"" + plain + "\tq\"}");
    const auto with_tab = parse(tab);
    REQUIRE_FALSE(with_tab.diagnostics.empty());
    CHECK(with_tab.diagnostics[0].location.start.line == 1);
    CHECK(with_tab.diagnostics[0].location.start.column == 8 + run);
    // The text ends inside the string.
    const SourceFile open("o.json", "{\"k\": \"" + plain);
    const auto unterminated = parse(open);
    REQUIRE_FALSE(unterminated.diagnostics.empty());
    CHECK(unterminated.diagnostics[0].message.find("unterminated string") != std::string::npos);
  }
}
