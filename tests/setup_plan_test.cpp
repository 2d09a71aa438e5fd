// The planner's file identities: one file named several ways (through a linked directory, with
// "." and "..", relative and absolute) is one file of one setup, read once.

#include "analysis/setup_plan.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "analysis/discover.h"
#include "path_list_printer.h"

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

TEST_CASE("the planner keeps a file's first spelling: named files first, then in scan order") {
  const fs::path root = fs::temp_directory_path() / fmt::format("gdl-plan-first-{}", ::getpid());
  fs::remove_all(root);
  fs::create_directories(root / "real" / "team");
  for (const char* name : {"a.json", "b.json", "d.json"})
    std::ofstream(root / "real" / "team" / name) << "{}";
  fs::create_directory_symlink(root / "real", root / "alias");
  const std::string team = (root / "real" / "team").string();
  const std::string alias = (root / "alias" / "team").string();

  gdl::analysis::PlanInput input;
  input.named = {team + "/a.json"};
  // a.json is named (the scan's spellings of it go); b.json is scanned through the link first.
  input.scanned = {alias + "/a.json", alias + "/b.json", team + "/a.json", team + "/b.json"};
  auto items = gdl::analysis::plan_setups(std::move(input));
  REQUIRE(items.size() == 1);
  CHECK(items[0].label == team);  // the directory as first seen
  CHECK(items[0].paths == gdl::PathList{alias + "/b.json", team + "/a.json"});
  CHECK(items[0].named == std::vector<std::string>{team + "/a.json"});
  // The named file's siblings: b.json is scanned, so reported, not context; d.json is context.
  CHECK(items[0].context == std::vector<std::string>{team + "/d.json"});

  // Scanned only: the first spelling in scan order, whichever directory spelling it has.
  gdl::analysis::PlanInput scanned_only;
  scanned_only.scanned = {team + "/b.json", alias + "/b.json", alias + "/a.json", team + "/a.json"};
  items = gdl::analysis::plan_setups(std::move(scanned_only));
  REQUIRE(items.size() == 1);
  CHECK(items[0].label == team);
  CHECK(items[0].paths == gdl::PathList{alias + "/a.json", team + "/b.json"});
  CHECK(items[0].context.empty());
  fs::remove_all(root);
}

TEST_CASE("the planner's items: configured setups, then directories by identity, then stdin") {
  const fs::path root = fs::temp_directory_path() / fmt::format("gdl-plan-items-{}", ::getpid());
  fs::remove_all(root);
  fs::create_directories(root / "team");
  fs::create_directories(root / "other");
  for (const char* name : {"a.json", "b.json", "d.json"})
    std::ofstream(root / "team" / name) << "{}";
  // A link in another directory, scanned first: that spelling is kept, in its own directory.
  fs::create_symlink(root / "team" / "b.json", root / "other" / "link.json");
  const std::string team = (root / "team").string();
  const std::string other = (root / "other").string();

  gdl::analysis::PlanInput input;
  input.named = {"-"};
  input.scanned = {other + "/link.json", team + "/a.json", team + "/b.json", team + "/d.json"};
  input.configured.push_back({"prod", {team + "/d.json"}, {}});  // d.json is checked there only
  const auto items = gdl::analysis::plan_setups(std::move(input));
  REQUIRE(items.size() == 4);
  CHECK(items[0].label == "prod");
  CHECK(items[0].configured == std::optional<std::size_t>(0));
  CHECK(items[0].paths == gdl::PathList{team + "/d.json"});
  CHECK(items[1].label == other);
  CHECK(items[1].paths == gdl::PathList{other + "/link.json"});
  CHECK(items[2].label == team);
  CHECK(items[2].paths == gdl::PathList{team + "/a.json"});
  CHECK(items[3].label == "<stdin>");
  CHECK(items[3].paths == gdl::PathList{"-"});
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

TEST_CASE("a directory's listing: what each kind of entry is to a scan") {
  // list_directory reads the entries itself (getdents64): a link is judged by what it points to,
  // as std::filesystem's is_directory() and is_regular_file() judge it.
  const fs::path root = fs::temp_directory_path() / fmt::format("gdl-list-{}", ::getpid());
  fs::remove_all(root);
  fs::create_directories(root / "sub");
  fs::create_directories(root / ".git");
  std::ofstream(root / "plain.json") << "{}";
  std::ofstream(root / "notes.txt") << "";
  fs::create_symlink(root / "plain.json", root / "link.json");        // a file, through a link
  fs::create_symlink(root / "missing.json", root / "dangling.json");  // a link to nothing
  fs::create_symlink(root / "loop.json", root / "loop.json");         // a link to itself
  fs::create_directory_symlink(root / "sub", root / "linked-dir");    // never entered
  fs::create_symlink(root / "sub", root / "linked-dir.json");         // a directory, named .json
  // Not a regular file: listed, so that reading it is refused with an input error, as when it
  // is named (it vanished from the scan without a word).
  REQUIRE(::mkfifo((root / "pipe.json").c_str(), 0600) == 0);
  fs::create_symlink("/dev/null", root / "placeholder.json");  // a device: not opened, not listed
  const gdl::analysis::ScanOptions options;
  const auto listing = gdl::analysis::list_directory(root, root, options);
  CHECK(listing.error.empty());
  std::vector<std::string> files;
  for (const auto& f : listing.files) {
    files.push_back(
        fmt::format("{} link={} dangling={}", f.path.filename().string(), f.link, f.dangling));
  }
  CHECK(files == std::vector<std::string>{
                     "dangling.json link=true dangling=true", "link.json link=true dangling=false",
                     "loop.json link=true dangling=true", "pipe.json link=false dangling=false",
                     "plain.json link=false dangling=false"});
  REQUIRE(listing.directories.size() == 1);
  CHECK(listing.directories.front() == root / "sub");
  // Not a directory: the reason, and nothing listed.
  const auto not_dir = gdl::analysis::list_directory(root, root / "plain.json", options);
  CHECK(not_dir.error == "Not a directory");
  CHECK(not_dir.files.empty());
  fs::remove_all(root);
}

TEST_CASE("a scan lists its files in byte order, as a sort of the whole list would") {
  // The walk sorts each directory's entries, a directory's name compared with the '/' after it:
  // "a-c/x" < "a.json" < "a/y" < "a0", whatever order the file system returns them in.
  const fs::path root = fs::temp_directory_path() / fmt::format("gdl-walk-{}", ::getpid());
  fs::remove_all(root);
  const std::vector<std::string> files = {
      "a-c/x.json", "a.json",         "a/b/z.json",   "a/y.json", "a0.json",    "a 1/q.json",
      "a!/r.json",  "b/.hidden.json", "b/c/d/e.json", "b/c.json", "b/c-d.json", "B.json",
      "z.tf"};
  for (const std::string& file : files) {
    fs::create_directories((root / file).parent_path());
    std::ofstream(root / file) << "{}";
  }
  fs::create_directories(root / ".git");
  std::ofstream(root / ".git" / "config.json") << "{}";                  // never scanned
  std::ofstream(root / "notes.txt") << "";                               // no glob takes it
  fs::create_directory_symlink(root / "a", root / "linked");             // never followed
  fs::create_symlink(root / "a.json", root / "b" / "linked-file.json");  // a file: taken
  gdl::analysis::ScanOptions options;
  options.exclude = {"b/c/**"};
  const auto found = gdl::analysis::discover({root.string(), (root / "a").string()}, options);
  CHECK(found.errors.empty());
  std::vector<std::string> expected;
  for (const std::string& file : files) {
    if (!file.starts_with("b/c/")) expected.push_back((root / file).string());
  }
  expected.push_back((root / "b" / "linked-file.json").string());
  std::sort(expected.begin(), expected.end());
  // A second root's files follow the first's, sorted on their own.
  for (const std::string file : {"a/b/z.json", "a/y.json"})
    expected.push_back((root / file).string());
  CHECK(found.scanned.strings() == expected);
  fs::remove_all(root);
}
