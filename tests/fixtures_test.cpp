// The data-driven fixture suite: every testdata/<dir>/<case>.json has a <case>.expect beside it
// listing the expected diagnostics as "line:col RULE", one per line (empty file: no findings).
// Adding a case is adding two files.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "report/rule_catalog.h"
#include "rules/engine.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> expected_lines(const fs::path& expect) {
  std::vector<std::string> lines;
  std::istringstream in(gdl::test::read_file(expect));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

std::vector<fs::path> fixture_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(gdl::test::source_dir() / "testdata")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    if (entry.path().parent_path().filename() == "schemas") continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every fixture produces exactly the diagnostics its .expect lists") {
  const auto files = fixture_files();
  REQUIRE(files.size() >= 30);
  for (const fs::path& file : files) {
    CAPTURE(file.string());
    fs::path expect = file;
    expect.replace_extension(".expect");
    REQUIRE_MESSAGE(fs::exists(expect), "fixture without an .expect file");
    const gdl::SourceFile source(file.filename().string(), gdl::test::read_file(file));
    std::vector<std::string> actual;
    for (const gdl::Diagnostic& d : gdl::lint_source(source)) {
      actual.push_back(
          fmt::format("{}:{} {}", d.location.start.line, d.location.start.column, d.rule_id));
    }
    CHECK(actual == expected_lines(expect));
  }
}

TEST_CASE("every rule has at least one fixture that triggers it") {
  std::set<std::string> triggered;
  for (const fs::path& file : fixture_files()) {
    fs::path expect = file;
    expect.replace_extension(".expect");
    for (const std::string& line : expected_lines(expect))
      triggered.insert(line.substr(line.find(' ') + 1));
  }
  for (const gdl::RuleInfo& rule : gdl::all_rules()) {
    CAPTURE(rule.id);
    CHECK(triggered.contains(rule.id));
  }
}
