// Unit tests of each formatter on a hand-built report (no parsing involved).

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "analysis/baseline.h"
#include "diag/rule_catalog.h"
#include "report/report.h"
#include "test_support.h"
#include "util/text.h"

namespace {

gdl::Report sample_report() {
  gdl::Report report;
  auto source = std::make_unique<gdl::SourceFile>("dir/a b.json", "{\n  \"k\": x\x1b[2J\n}\n");
  gdl::Diagnostic d = gdl::make_diagnostic("GD001", gdl::make_location(*source, {9, 10}),
                                           "bad \x1b[31m value\n::error::x");
  d.related.push_back({gdl::make_location(*source, {0, 1}), "object opened here"});
  d.notes.push_back("a note");
  d.fix = gdl::Fix{"quote it", {gdl::TextEdit{gdl::make_location(*source, {9, 9}), "\""}}};
  report.diagnostics.push_back(d);
  gdl::Diagnostic w = gdl::make_diagnostic("GD002", gdl::make_location(*source, {4, 7}), "dup");
  w.severity = gdl::Severity::warning;
  report.diagnostics.push_back(w);
  report.files_checked = 1;
  report.sources.emplace(source->path(), std::move(source));
  report.input_errors.push_back({"missing.json", "No such file or directory"});
  return report;
}

}  // namespace

TEST_CASE("text: compiler-style header, snippet, caret, notes and fix; input text escaped") {
  std::ostringstream out;
  gdl::write_text(sample_report(), {}, out);
  const std::string text = out.str();
  CHECK(text.find(
            "dir/a b.json:2:8: error: bad \\x1b[31m value\\x0a::error::x [GD001 json-syntax]\n") ==
        0);
  CHECK(text.find("    2 |   \"k\": x\\x1b[2J\n") != std::string::npos);
  CHECK(text.find("      |        ^\n") != std::string::npos);
  CHECK(text.find("  note: dir/a b.json:1:1: object opened here\n") != std::string::npos);
  CHECK(text.find("  fix: quote it [insert '\"' at 2:8]\n") != std::string::npos);
  CHECK(text.find("dir/a b.json:2:3: warning: dup [GD002 json-duplicate-key]") !=
        std::string::npos);
  // An unreadable input is said on standard error by the command; the report counts it.
  CHECK(text.find("missing.json") == std::string::npos);
  CHECK(text.find("1 input could not be read (see standard error)") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);  // no colour, no raw escape from the input
}

TEST_CASE("text: colour only when asked") {
  std::ostringstream out;
  gdl::write_text(sample_report(), {.color = true, .quiet = false}, out);
  CHECK(out.str().find("\x1b[1;31merror:\x1b[0m") != std::string::npos);
}

TEST_CASE("json: documented fields, valid JSON") {
  std::ostringstream out;
  gdl::write_json(sample_report(), out);
  rapidjson::Document doc;
  doc.Parse(out.str().c_str());
  REQUIRE(!doc.HasParseError());
  const auto& d = doc["diagnostics"][0];
  CHECK(std::string(d["ruleId"].GetString()) == "GD001");
  CHECK(std::string(d["ruleName"].GetString()) == "json-syntax");
  CHECK(std::string(d["severity"].GetString()) == "error");
  CHECK(std::string(d["message"].GetString()) == "bad \x1b[31m value\n::error::x");
  CHECK(d["line"].GetUint() == 2);
  CHECK(d["column"].GetUint() == 8);
  CHECK(d["endLine"].GetUint() == 2);
  CHECK(d["endColumn"].GetUint() == 9);
  CHECK(std::string(d["fix"]["edits"][0]["replacement"].GetString()) == "\"");
  CHECK(doc["summary"]["errors"].GetUint() == 1);
  CHECK(doc["summary"]["warnings"].GetUint() == 1);
  CHECK(doc["summary"]["inputErrors"].GetUint() == 1);
}

TEST_CASE("sarif: rules, code-point columns, relative URIs, fixes, fingerprints") {
  std::ostringstream out;
  gdl::write_sarif(sample_report(), out);
  rapidjson::Document doc;
  doc.Parse(out.str().c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(std::string(doc["version"].GetString()) == "2.1.0");
  const auto& run = doc["runs"][0];
  CHECK(std::string(run["columnKind"].GetString()) == "unicodeCodePoints");
  CHECK(run["tool"]["driver"]["rules"].Size() == gdl::all_rules().size());
  const auto& result = run["results"][0];
  CHECK(std::string(result["ruleId"].GetString()) == "GD001");
  const auto& artifact = result["locations"][0]["physicalLocation"]["artifactLocation"];
  CHECK(std::string(artifact["uri"].GetString()) == "dir/a%20b.json");
  CHECK(std::string(artifact["uriBaseId"].GetString()) == "%SRCROOT%");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startColumn"].GetUint() == 8);
  CHECK(result["fixes"][0]["artifactChanges"][0]["replacements"].Size() == 1);
  CHECK(result.HasMember("partialFingerprints"));
  CHECK(std::string(run["results"][1]["level"].GetString()) == "warning");
  CHECK(run["invocations"][0]["executionSuccessful"].GetBool() == false);
}

TEST_CASE("github: workflow commands with percent-encoded data and properties") {
  std::ostringstream out;
  gdl::write_github(sample_report(), out);
  const std::string text = out.str();
  CHECK(text.find("::error file=dir/a b.json,line=2,col=8,endLine=2,endColumn=9,title=GD001 "
                  "json-syntax::bad "
                  "\\x1b[31m value\\x0a::error::x%0Anote: 1:1: object opened here%0Anote: a "
                  "note%0Afix: quote it\n") == 0);
  CHECK(text.find("::warning file=dir/a b.json,line=2,col=3") != std::string::npos);
  // Exactly one line per diagnostic plus one per input error: nothing can start a new command.
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);
}

TEST_CASE("rule catalog: every rule is complete and findable by id and name") {
  REQUIRE(gdl::all_rules().size() >= 3);
  for (const gdl::RuleInfo& rule : gdl::all_rules()) {
    CAPTURE(rule.id);
    CHECK(rule.id.size() == 5);
    CHECK(rule.id.starts_with("GD"));
    CHECK(!rule.name.empty());
    CHECK(!rule.summary.empty());
    CHECK(rule.why.size() > rule.summary.size());
    CHECK(!rule.example_bad.empty());
    CHECK(!rule.example_good.empty());
    CHECK(!rule.fix.empty());
    CHECK(gdl::find_rule(rule.id) == &rule);
    CHECK(gdl::find_rule(rule.name) == &rule);
  }
  CHECK(gdl::find_rule("gd001") != nullptr);
  CHECK(gdl::find_rule("nope") == nullptr);
}

TEST_CASE("rules/README.md documents every rule") {
  const std::string doc = gdl::test::read_file(gdl::test::source_dir() / "rules" / "README.md");
  for (const gdl::RuleInfo& rule : gdl::all_rules()) {
    CAPTURE(rule.id);
    CHECK(doc.find("<a id=\"" + rule.anchor + "\"></a>") != std::string::npos);
    CHECK(doc.find("## " + rule.id + " " + rule.name) != std::string::npos);
  }
}

TEST_CASE("fingerprints survive line moves and tell different findings apart") {
  gdl::Diagnostic a;
  a.rule_id = "GD302";
  a.location.file = "bucket-policy.json";
  a.location.start = {12, 5};
  a.statement_sid = "AllowPutObject";
  a.message = "denied by Statement[2] (line 41)";
  gdl::Diagnostic moved = a;
  moved.location.start = {30, 5};
  moved.message = "denied by Statement[3] (line 59)";
  CHECK(gdl::fingerprint(a) == gdl::fingerprint(moved));
  gdl::Diagnostic other_rule = a;
  other_rule.rule_id = "GD301";
  CHECK(gdl::fingerprint(a) != gdl::fingerprint(other_rule));
  gdl::Diagnostic other_statement = a;
  other_statement.statement_sid = "AllowGetBucketLocation";
  CHECK(gdl::fingerprint(a) != gdl::fingerprint(other_statement));
}

// ---- Special characters through every formatter ------------------------------------------------

namespace {

// Strict percent-decoding: a '%' must start two hexadecimal digits.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2])))
      return std::nullopt;
    out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

// A report of one finding whose file name and message both hold `special`, followed by "41" so
// that an unescaped '%' would decode to something else.
gdl::Report report_with(std::string_view special) {
  gdl::Report report;
  const std::string path = fmt::format("dir/a{}41b.json", special);
  auto source = std::make_unique<gdl::SourceFile>(path, "{}\n");
  gdl::Diagnostic d = gdl::make_diagnostic("GD001", gdl::make_location(*source, {0, 1}),
                                           fmt::format("x{}41y", special));
  report.diagnostics.push_back(d);
  report.files_checked = 1;
  report.sources.emplace(source->path(), std::move(source));
  return report;
}

constexpr std::string_view kSpecials[] = {"%", "\r", "\n", ":", ",", "\r\n", "%0A", "::", "\x1b"};

}  // namespace

TEST_CASE("special characters in a path and a message survive every formatter") {
  for (const std::string_view special : kSpecials) {
    const gdl::Report report = report_with(special);
    const std::string path = report.diagnostics.front().location.file;
    const std::string message = report.diagnostics.front().message;
    CAPTURE(path);

    // text: one header line, the input text escaped for the terminal.
    std::ostringstream text;
    gdl::write_text(report, {}, text);
    CHECK(text.str().starts_with(fmt::format("{}:1:1: error: {} [GD001 json-syntax]\n",
                                             gdl::escape_for_terminal(path),
                                             gdl::escape_for_terminal(message))));
    CHECK(text.str().find('\r') == std::string::npos);

    // JSON and SARIF: exact round trips through a JSON parser; SARIF URIs percent-encoded.
    std::ostringstream json;
    gdl::write_json(report, json);
    rapidjson::Document j;
    j.Parse(json.str().c_str());
    REQUIRE(!j.HasParseError());
    CHECK(std::string(j["diagnostics"][0]["file"].GetString()) == path);
    CHECK(std::string(j["diagnostics"][0]["message"].GetString()) == message);

    std::ostringstream sarif;
    gdl::write_sarif(report, sarif);
    rapidjson::Document s;
    s.Parse(sarif.str().c_str());
    REQUIRE(!s.HasParseError());
    const auto& result = s["runs"][0]["results"][0];
    CHECK(std::string(result["message"]["text"].GetString()) == message);
    const std::string uri =
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].GetString();
    CHECK(uri.find_first_of(":,\r\n\x1b") == std::string::npos);
    CHECK(percent_decode(uri) == std::optional<std::string>(path));

    // GitHub: one command line; its properties and data percent-decode to the terminal-escaped
    // input, so nothing the input holds can end a property or start a command.
    std::ostringstream github;
    gdl::write_github(report, github);
    const std::string line = github.str();
    REQUIRE(std::count(line.begin(), line.end(), '\n') == 1);
    REQUIRE(line.starts_with("::error "));
    const std::size_t data = line.find("::", 8);
    REQUIRE(data != std::string::npos);
    const std::string properties = line.substr(8, data - 8);
    const std::string file_property = properties.substr(0, properties.find(','));
    REQUIRE(file_property.starts_with("file="));
    CHECK(file_property.find(':') == std::string::npos);
    // The file name keeps its line breaks (percent-encoded, so the annotation attaches to the
    // file); every other control character is terminal-escaped.
    std::string expected_file;
    for (std::string_view rest = path; !rest.empty();) {
      const std::size_t brk = std::min(rest.find_first_of("\r\n"), rest.size());
      expected_file += gdl::escape_for_terminal(rest.substr(0, brk));
      if (brk < rest.size()) expected_file += rest[brk];
      rest.remove_prefix(std::min(brk + 1, rest.size()));
    }
    CHECK(percent_decode(file_property.substr(5)) == std::optional<std::string>(expected_file));
    CHECK(percent_decode(line.substr(data + 2, line.size() - data - 3)) ==
          std::optional<std::string>(gdl::escape_for_terminal(message)));
  }
}

TEST_CASE("text: a fix of several edits stays on one line, line breaks shown as \\n") {
  gdl::Report report;
  auto source = std::make_unique<gdl::SourceFile>("p.json", "{\n  \"a\": 1\n}\n");
  gdl::Diagnostic d = gdl::make_diagnostic("GD001", gdl::make_location(*source, {4, 7}), "m");
  d.fix = gdl::Fix{"two edits",
                   {gdl::TextEdit{gdl::make_location(*source, {1, 1}), "x\ny"},
                    gdl::TextEdit{gdl::make_location(*source, {4, 7}), "\"b\""}}};
  report.diagnostics.push_back(d);
  report.files_checked = 1;
  report.sources.emplace(source->path(), std::move(source));
  std::ostringstream out;
  gdl::write_text(report, {}, out);
  CHECK(
      out.str().find("  fix: two edits [insert 'x\\ny' at 1:2] [replace 2:3-2:6 with '\"b\"']\n") !=
      std::string::npos);
}

TEST_CASE("a baseline hides as many copies of a finding as it records, and no other finding") {
  gdl::Diagnostic a;
  a.rule_id = "GD302";
  a.location.file = "bucket-policy.json";
  a.statement_sid = "AllowPutObject";
  a.message = "cannot call s3:PutObject";
  gdl::Diagnostic other = a;
  other.rule_id = "GD301";
  std::vector<gdl::Diagnostic> found = {a, a, other};
  const std::string root = std::filesystem::current_path().string();
  const std::string key = gdl::fingerprint(a, gdl::baseline_file(a.location.file, root));
  CHECK(gdl::apply_baseline(found, {key}, root).hidden == 1);
  REQUIRE(found.size() == 2);
  CHECK(found[0].rule_id == "GD302");
  CHECK(found[1].rule_id == "GD301");
  std::vector<gdl::Diagnostic> again = {a, a, other};
  const gdl::BaselineMatch match = gdl::apply_baseline(again, {key, key, "stale"}, root);
  CHECK(match.hidden == 2);
  CHECK(match.stale == 1);
  CHECK(again.size() == 1);
}

TEST_CASE("a baseline names files from the project root: ./a.json, a.json, /abs/a.json are one") {
  const std::string root = std::filesystem::current_path().string();
  const std::string absolute = (std::filesystem::current_path() / "dir/a.json").string();
  for (const std::string& spelling : {std::string("dir/a.json"), std::string("./dir/a.json"),
                                      std::string("dir/../dir/a.json"), absolute}) {
    CAPTURE(spelling);
    CHECK(gdl::baseline_file(spelling, root) == "dir/a.json");
  }
  CHECK(gdl::baseline_file("<stdin>", root) == "<stdin>");
}

TEST_CASE("junit: well-formed UTF-8 XML whatever bytes a path or message holds") {
  // A file named with byte 0xFF (not UTF-8): XML cannot hold it, so it becomes U+FFFD as in the
  // JSON and SARIF reports; control characters XML forbids are dropped.
  for (const std::string_view special : {"\xff", "\xc3(", "\x1b", "\xed\xa0\x80"}) {
    const gdl::Report report = report_with(special);
    std::ostringstream junit;
    gdl::write_junit(report, junit);
    const std::string xml = junit.str();
    CAPTURE(xml);
    CHECK(gdl::is_valid_utf8(xml));
    CHECK(xml.find('\x1b') == std::string::npos);
    if (!gdl::is_valid_utf8(special)) CHECK(xml.find("\xef\xbf\xbd") != std::string::npos);
  }
}
