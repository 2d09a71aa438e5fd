// The house's layers, held against the code: every `#include "folder/..."` in src/ must run from
// a folder to one it may use. Data flows one way (README, Development):
//
//   util, source  <  diag  <  json  <  policy  <  iam  <  documents  <  export
//     <  containers, checks  <  rules  <  analysis  <  report  <  cli
//
// containers and checks are siblings (readers know no rules; rules never parse); report only
// formats what analysis found; cli only turns arguments into requests. app holds what only the
// executable links (its allocator).

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

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
    t["hcl"] = {"json", "diag", "source", "util"};  // HCL syntax and values (jsondecode uses json)
    t["policy"] = {"json", "diag", "source", "util"};
    t["iam"] = {"policy", "json", "diag", "source", "util"};
    // A document kind says how the evaluator reads it (iam/policy_type.h): below it in the order.
    t["documents"] = {"iam", "policy", "diag", "source", "util"};
    t["export"] = {"documents", "iam", "policy", "json", "diag", "source", "util"};
    t["containers"] = {"export", "documents", "policy", "json", "hcl", "diag", "source", "util"};
    t["checks"] = {"export", "documents", "iam", "policy", "json", "diag", "source", "util"};
    t["rules"] = {"checks", "export", "documents", "iam", "policy", "diag", "source", "util"};
    t["analysis"] = {"rules",  "checks", "containers", "export", "documents", "iam",
                     "policy", "json",   "diag",       "source", "util"};
    // report writes generated policies (export/generate.h) as JSON, CloudFormation, Terraform.
    t["report"] = {"analysis", "export", "diag", "source", "util"};
    // The command line turns arguments into settings (export's model) and requests.
    t["cli"] = {"analysis", "report", "export", "diag", "source", "util"};
    // The executable's own pieces beside main.cpp (its operator new), never in the library.
    t["app"] = {"util"};
    return t;
  }();
  return table;
}

// The folder of a project include (`#include "folder/file.h"`), or nullopt. (No std::regex: GCC 12
// warns inside it under the sanitizer build.)
std::optional<std::string> included_folder(std::string_view line) {
  auto skip_space = [&line] {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  };
  skip_space();
  if (!line.starts_with('#')) return std::nullopt;
  line.remove_prefix(1);
  skip_space();
  if (!line.starts_with("include")) return std::nullopt;
  line.remove_prefix(7);
  skip_space();
  if (!line.starts_with('"')) return std::nullopt;
  line.remove_prefix(1);
  const std::size_t slash = line.find('/');
  const std::size_t quote = line.find('"');
  if (slash == std::string_view::npos || quote == std::string_view::npos || slash > quote)
    return std::nullopt;
  const std::string_view folder = line.substr(0, slash);
  if (folder.empty() || !std::all_of(folder.begin(), folder.end(),
                                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; }))
    return std::nullopt;
  return std::string(folder);
}

}  // namespace

TEST_CASE("architecture: every include runs down the layers") {
  const fs::path src = gdl::test::source_dir() / "src";
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
      const auto to_folder = included_folder(line);
      if (!to_folder) continue;
      ++includes;
      const std::string& to = *to_folder;
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
