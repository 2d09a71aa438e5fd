// The planner's file identities: one file named several ways (through a linked directory, with
// "." and "..", relative and absolute) is one file of one setup, read once.

#include "analysis/setup_plan.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace fs = std::filesystem;

TEST_CASE("the planner places one file once, however its path is spelled") {
  const fs::path root = fs::temp_directory_path() / fmt::format("gdl-plan-{}", ::getpid());
  fs::remove_all(root);
  fs::create_directories(root / "real" / "team");
  std::ofstream(root / "real" / "team" / "a.json") << "{}";
  std::ofstream(root / "real" / "team" / "b.json") << "{}";
  fs::create_directory_symlink(root / "real", root / "alias");  // a linked directory
  fs::create_symlink(root / "real" / "team" / "a.json", root / "real" / "team" / "c.json");
  const std::string team = (root / "real" / "team").string();
  const std::string spellings[] = {
      team + "/a.json",
      (root / "alias" / "team" / "a.json").string(),
      team + "/./a.json",
      team + "/../team/a.json",
      (root / "alias" / "team" / ".." / "team" / "a.json").string(),
      team + "//a.json",
      team + "/c.json",  // a link to a.json
  };
  for (const std::string& first : spellings) {
    for (const std::string& second : spellings) {
      CAPTURE(first);
      CAPTURE(second);
      gdl::analysis::PlanInput input;
      input.scanned = {first, second, team + "/b.json"};
      const auto items = gdl::analysis::plan_setups(input);
      REQUIRE(items.size() == 1);              // one directory, however it was reached
      CHECK(items.front().paths.size() == 2);  // a.json once, and b.json
    }
  }
  // A directory that does not exist yet is still one directory however it is spelled.
  gdl::analysis::PlanInput missing;
  missing.scanned = {team + "/gone/x.json", team + "/./gone/x.json", team + "/gone/../gone/x.json"};
  const auto items = gdl::analysis::plan_setups(missing);
  REQUIRE(items.size() == 1);
  CHECK(items.front().paths.size() == 1);
  fs::remove_all(root);
}

TEST_CASE("an item's directory is the path's parent as std::filesystem spells it") {
  // directory_of splits a scan's paths by hand; it must answer as fs::path::parent_path does
  // (the label users see, and the key of the directory's identity), "." for none.
  const std::vector<std::string> components = {"a", "b.json", ".", "..", "", "dir.d", "x y"};
  std::vector<std::string> paths = {"/",           "//", "/a.json",   "a.json", "./a.json",
                                    "../a.json",   "a/", "a//b.json", "/a//b/", "a/./b.json",
                                    "a/../b.json", ".",  "..",        ""};
  for (const std::string& first : components) {
    for (const std::string& second : components) {
      for (const std::string_view lead : {"", "/", "./"}) {
        paths.push_back(std::string(lead) + first + "/" + second);
        paths.push_back(std::string(lead) + first + "/" + second + "/c.tf");
      }
    }
  }
  for (const std::string& path : paths) {
    CAPTURE(path);
    std::string expected = fs::path(path).parent_path().string();
    if (expected.empty()) expected = ".";
    CHECK(gdl::analysis::detail::directory_of(path) == expected);
  }
}
