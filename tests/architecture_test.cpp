// The house's layers, held against the code: every `#include "folder/..."` in src/ must run from
// a folder to one it may use. Data flows one way (README, Development):
//
//   util, source  <  diag  <  json  <  policy  <  iam  <  documents  <  export
//     <  containers, checks  <  rules  <  analysis  <  report  <  cli
//
// containers and checks are siblings (readers know no rules; rules never parse); report only
// formats what analysis found; cli only turns arguments into requests.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "test_support.h"

namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::set<std::string>>& allowed() {
  static const std::map<std::string, std::set<std::string>> table = [] {
    std::map<std::string, std::set<std::string>> t;
    t["util"] = {};
    t["source"] = {"util"};
    t["diag"] = {"source", "util"};
    t["json"] = {"diag", "source", "util"};
    t["hcl"] = {"diag", "source", "util"};  // HCL's syntax and values: json's floor, beside it
    t["policy"] = {"json", "diag", "source", "util"};
    t["iam"] = {"policy", "json", "diag", "source", "util"};
    t["documents"] = {"policy", "diag", "source", "util"};
    t["export"] = {"documents", "iam", "policy", "json", "diag", "source", "util"};
    t["containers"] = {"export", "documents", "policy", "json", "hcl", "diag", "source", "util"};
    t["checks"] = {"export", "documents", "iam", "policy", "json", "diag", "source", "util"};
    t["rules"] = {"checks", "export", "documents", "iam", "policy", "diag", "source", "util"};
    t["analysis"] = {"rules",  "checks", "containers", "export", "documents", "iam",
                     "policy", "json",   "diag",       "source", "util"};
    t["report"] = {"analysis", "diag", "source", "util"};
    // The command line turns arguments into settings (export's model) and requests.
    t["cli"] = {"analysis", "report", "export", "diag", "source", "util"};
    return t;
  }();
  return table;
}

}  // namespace

TEST_CASE("architecture: every include runs down the layers") {
  const fs::path src = gdl::test::source_dir() / "src";
  const std::regex include(R"(^\s*#\s*include\s*"([a-z_]+)/[^"]+")");
  std::vector<std::string> violations;
  std::size_t includes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = entry.path().lexically_relative(src);
    if (relative.begin() == relative.end()) continue;
    const std::string folder = relative.begin()->string();
    if (folder == relative.string()) continue;  // src/main.cpp: wires the cli
    CAPTURE(folder);
    REQUIRE(allowed().contains(folder));
    std::istringstream lines(gdl::test::read_file(entry.path()));
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (!std::regex_search(line, m, include)) continue;
      ++includes;
      const std::string to = m[1];
      if (to == folder) continue;
      if (!allowed().at(folder).contains(to))
        violations.push_back(fmt::format("{}: {} -> {}", relative.string(), folder, to));
    }
  }
  CHECK(includes > 100);
  std::string all;
  for (const std::string& v : violations) all += v + "\n";
  CAPTURE(all);
  CHECK(violations.empty());
}
