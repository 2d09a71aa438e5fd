// The data-driven fixture suite.
//
// Single-document fixtures: testdata/<dir>/<case>.json with <case>.expect beside it, one
// "line:col RULE severity: message" per expected diagnostic, followed by "  fix: ..." when it
// has a fix (the description and every edit): positions, severities, messages and fixes are
// pinned. An optional first line "# only: GD0 GD1" restricts
// the comparison to rules whose ids start with those prefixes (grammar fixtures hold partial
// policies, so the export rules' findings on them are not their subject).
//
// Export-setup fixtures: a directory testdata/<dir>/<case>/ holding case.expect, the policy
// documents (*.json, or containers: *.yaml, *.tf) checked together as one setup, and optionally
// export-settings.json (read as
// --config). Its expectation lines are "file.json:line:col RULE".
//
// Adding a case is adding files; this test walks them all.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "analysis/pipeline.h"
#include "diag/rule_catalog.h"
#include "export/settings.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

struct Expectation {
  std::vector<std::string> only;  // rule id prefixes; empty: every rule
  std::vector<std::string> lines;
};

Expectation read_expectation(const fs::path& expect) {
  Expectation e;
  std::istringstream in(gdl::test::read_file(expect));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("# only:")) {
      std::istringstream words(line.substr(7));
      for (std::string w; words >> w;) e.only.push_back(w);
      continue;
    }
    if (!line.empty() && line[0] != '#') e.lines.push_back(line);
  }
  return e;
}

bool selected(const Expectation& e, const std::string& rule) {
  return e.only.empty() || std::any_of(e.only.begin(), e.only.end(),
                                       [&](const std::string& p) { return rule.starts_with(p); });
}

fs::path testdata() {
  return gdl::test::source_dir() / "testdata";
}

// GDL_UPDATE_EXPECT=1 rewrites the expectations from the current output (keeping "# only:");
// review the diff before committing.
bool updating() {
  return std::getenv("GDL_UPDATE_EXPECT") != nullptr;
}

void compare_or_update(const fs::path& expect, const Expectation& expectation,
                       const std::vector<std::string>& actual) {
  if (!updating()) {
    CHECK(actual == expectation.lines);
    return;
  }
  std::ofstream out(expect, std::ios::binary);
  if (!expectation.only.empty()) {
    out << "# only:";
    for (const std::string& p : expectation.only) out << ' ' << p;
    out << '\n';
  }
  for (const std::string& line : actual) out << line << '\n';
}

// Real-world fixtures keep the files they were rendered from under original/: provenance, not
// inputs of the suite.
bool in_original(const fs::path& path) {
  return std::any_of(path.begin(), path.end(), [](const fs::path& p) { return p == "original"; });
}

std::vector<fs::path> single_fixtures() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(testdata())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    if (in_original(entry.path())) continue;
    // A Terraform module's file in JSON syntax (a called module's, beside its setup's
    // case.expect one directory up) is no policy document of its own.
    if (entry.path().filename().string().ends_with(".tf.json")) continue;
    const fs::path dir = entry.path().parent_path();
    if (dir.filename() == "schemas" || fs::exists(dir / "case.expect")) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> setup_fixtures() {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::recursive_directory_iterator(testdata())) {
    if (entry.is_regular_file() && entry.path().filename() == "case.expect")
      dirs.push_back(entry.path().parent_path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// The rule id of an expectation line ("12:5 GD302 error: ..."), or empty for a "  fix:" line.
std::string rule_of(const std::string& line) {
  if (line.empty() || line[0] == ' ') return {};
  std::istringstream words(line);
  std::string position, rule;
  words >> position >> rule;
  return rule;
}

// Expectations are one line each: backslashes, line breaks and other control characters in a
// message or a replacement are written as escapes.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

// One expected-output entry per finding: where, which rule, how severe, what it says; then its
// fix, edit by edit.
void describe(const gdl::Diagnostic& d, const std::string& where, std::vector<std::string>& out) {
  out.push_back(fmt::format("{} {} {}: {}", where, d.rule_id, gdl::to_string(d.severity),
                            one_line(d.message)));
  if (!d.fix) return;
  std::string line = "  fix: " + one_line(d.fix->description);
  for (const gdl::TextEdit& e : d.fix->edits) {
    line += fmt::format(" [{}:{}-{}:{} '{}']", e.location.start.line, e.location.start.column,
                        e.location.end.line, e.location.end.column, one_line(e.replacement));
  }
  out.push_back(line);
}

std::vector<std::string> all_expected_rules() {
  std::vector<std::string> rules;
  auto add = [&rules](const Expectation& e) {
    for (const std::string& line : e.lines) {
      if (auto rule = rule_of(line); !rule.empty()) rules.push_back(rule);
    }
  };
  for (const fs::path& file : single_fixtures())
    add(read_expectation(fs::path(file).replace_extension(".expect")));
  for (const fs::path& dir : setup_fixtures()) add(read_expectation(dir / "case.expect"));
  return rules;
}

}  // namespace

TEST_CASE("every single-document fixture produces exactly the diagnostics its .expect lists") {
  static const auto files = single_fixtures();
  REQUIRE(files.size() >= 30);
  for (const fs::path& file : files) {
    SUBCASE(file.lexically_relative(testdata()).string().c_str()) {
      fs::path expect = file;
      expect.replace_extension(".expect");
      REQUIRE_MESSAGE(fs::exists(expect), "fixture without an .expect file");
      const Expectation expectation = read_expectation(expect);
      const gdl::SourceFile source(file.filename().string(), gdl::test::read_file(file));
      std::vector<std::string> actual;
      for (const gdl::Diagnostic& d : gdl::lint_source(source)) {
        if (!selected(expectation, d.rule_id)) continue;
        describe(d, fmt::format("{}:{}", d.location.start.line, d.location.start.column), actual);
      }
      compare_or_update(expect, expectation, actual);
    }
  }
}

namespace {

void check_setup_fixture(const fs::path& dir) {
  const Expectation expectation = read_expectation(dir / "case.expect");
  std::vector<std::unique_ptr<gdl::SourceFile>> sources;
  std::vector<const gdl::SourceFile*> documents;
  gdl::exportcfg::ExportSettings settings;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path ext = entry.path().extension();
    if (ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".tf")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> actual;
  auto where = [](const gdl::Diagnostic& d) {
    return fmt::format("{}:{}:{}", d.location.file, d.location.start.line, d.location.start.column);
  };
  for (const fs::path& file : files) {
    sources.push_back(
        std::make_unique<gdl::SourceFile>(file.filename().string(), gdl::test::read_file(file)));
    if (file.filename() == "export-settings.json") {
      auto config = gdl::exportcfg::read_config(*sources.back());
      settings = std::move(config.settings);
      for (const gdl::Diagnostic& d : config.diagnostics) describe(d, where(d), actual);
    } else {
      documents.push_back(sources.back().get());
    }
  }
  {
    // Files the inputs refer to (a Terraform module's templates and submodules) are read
    // relative to the fixture, as the file names are.
    const gdl::test::CurrentDirectory here(dir);
    for (const gdl::Diagnostic& d : gdl::lint_setup(documents, std::move(settings)).diagnostics) {
      if (selected(expectation, d.rule_id)) describe(d, where(d), actual);
    }
  }
  compare_or_update(dir / "case.expect", expectation, actual);
}

}  // namespace

TEST_CASE("every export-setup fixture produces exactly the diagnostics its case.expect lists") {
  static const auto dirs = setup_fixtures();
  REQUIRE(dirs.size() >= 20);
  for (const fs::path& dir : dirs) {
    SUBCASE(dir.lexically_relative(testdata()).string().c_str()) {
      check_setup_fixture(dir);
    }
  }
}

TEST_CASE("every rule folder has a fixture that triggers its rule and one that does not") {
  // testdata/<ID>/: at least one case lists the rule, at least one is clean of it.
  for (const auto& entry : fs::directory_iterator(testdata())) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !id.starts_with("GD")) continue;
    CAPTURE(id);
    std::size_t triggering = 0, clean = 0;
    auto count = [&](const Expectation& e) {
      const bool lists = std::any_of(e.lines.begin(), e.lines.end(),
                                     [&](const std::string& l) { return rule_of(l) == id; });
      // A case whose "# only:" filter hides this rule says nothing about whether it is clean.
      if (lists) {
        ++triggering;
      } else if (selected(e, id)) {
        ++clean;
      }
    };
    for (const auto& f : fs::recursive_directory_iterator(entry.path())) {
      if (f.path().extension() == ".expect") count(read_expectation(f.path()));
    }
    CHECK(triggering > 0);
    CHECK(clean > 0);
  }
}

TEST_CASE("every rule has at least one fixture that triggers it") {
  const auto triggered = all_expected_rules();
  for (const gdl::RuleInfo& rule : gdl::all_rules()) {
    // GD000 is for defects in the tool itself: no input triggers it; registry_test makes a rule
    // fail on purpose instead.
    if (rule.id == "GD000") continue;
    CAPTURE(rule.id);
    CHECK(std::find(triggered.begin(), triggered.end(), rule.id) != triggered.end());
  }
}
