#include "util/path_list.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "path_list_printer.h"

namespace {

// Paths that share prefixes, differ only in case or length, are empty, or hold bytes above 127
// and NUL: byte order must be std::string's.
std::vector<std::string> awkward_paths(std::mt19937& random, std::size_t count) {
  const std::vector<std::string> parts = {"",
                                          "a",
                                          "a/",
                                          "A",
                                          "a-c",
                                          "a/b",
                                          "a.json",
                                          "é",
                                          "\xff",
                                          "/",
                                          "./",
                                          "..",
                                          "team-15/service-4",
                                          "x.tf",
                                          std::string(1, '\0')};
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < count; ++i) {
    std::string path;
    const std::size_t pieces = random() % 4;
    for (std::size_t j = 0; j < pieces; ++j) path += parts[random() % parts.size()];
    paths.push_back(path);
  }
  return paths;
}

std::vector<std::string> as_strings(const gdl::PathList& list) {
  std::vector<std::string> result;
  for (const std::string_view path : list) result.emplace_back(path);
  return result;
}

}  // namespace

TEST_CASE("PathList holds each path as given, in order") {
  std::mt19937 random(17);
  for (const std::size_t count : {0U, 1U, 2U, 7U, 300U}) {
    CAPTURE(count);
    const std::vector<std::string> paths = awkward_paths(random, count);
    gdl::PathList list;
    for (const std::string& path : paths) list.push_back(path);
    REQUIRE(list.size() == paths.size());
    CHECK(list.empty() == paths.empty());
    for (std::size_t i = 0; i < paths.size(); ++i) CHECK(list[i] == paths[i]);
    CHECK(as_strings(list) == paths);
    CHECK(list.strings() == paths);
  }
}

TEST_CASE("PathList::sort gives std::sort's order over the same strings") {
  std::mt19937 random(29);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> paths = awkward_paths(random, random() % 60);
    gdl::PathList list;
    for (const std::string& path : paths) list.push_back(path);
    list.sort();
    std::sort(paths.begin(), paths.end());
    CHECK(list.strings() == paths);
  }
}

TEST_CASE("PathList::erase_if drops exactly the matching paths and keeps the rest's order") {
  std::mt19937 random(41);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> paths = awkward_paths(random, random() % 40);
    gdl::PathList list;
    for (const std::string& path : paths) list.push_back(path);
    const auto is_tf = [](std::string_view path) { return path.ends_with(".tf"); };
    list.erase_if(is_tf);
    std::erase_if(paths, is_tf);
    CHECK(list.strings() == paths);
  }
  gdl::PathList all = {"a.tf", "b.tf"};
  all.erase_if([](std::string_view) { return true; });
  CHECK(all.empty());
  CHECK(all.begin() == all.end());
}

TEST_CASE("PathList::append, release and equality") {
  gdl::PathList first = {"x/a.json", "", "x/b.json"};
  const gdl::PathList second = {"y/c.json", "y/"};
  first.append(second);
  CHECK(first.strings() == std::vector<std::string>{"x/a.json", "", "x/b.json", "y/c.json", "y/"});
  CHECK(first == gdl::PathList{"x/a.json", "", "x/b.json", "y/c.json", "y/"});
  CHECK_FALSE(first == gdl::PathList{"x/a.json", "x/b.json", "y/c.json", "y/"});
  // The same bytes split differently are different lists.
  CHECK_FALSE(gdl::PathList{"ab", "c"} == gdl::PathList{"a", "bc"});
  gdl::PathList empty;
  empty.append(second);
  CHECK(empty == second);
  gdl::PathList twice = second;
  twice.append(twice);
  CHECK(twice.strings() == std::vector<std::string>{"y/c.json", "y/", "y/c.json", "y/"});
  gdl::PathList reserved;
  reserved.reserve(2, 9);
  reserved.push_back("a/b.json");
  reserved.push_back("");
  CHECK(reserved == gdl::PathList{"a/b.json", ""});
  first.release();
  CHECK(first.empty());
  first.push_back("z");
  CHECK(first.strings() == std::vector<std::string>{"z"});
}

TEST_CASE("PathSelection: shared and own paths in one order, sorted and erased as strings") {
  std::mt19937 random(53);
  for (int round = 0; round < 50; ++round) {
    CAPTURE(round);
    const std::vector<std::string> scan = awkward_paths(random, random() % 60);
    gdl::PathList list;
    for (const std::string& path : scan) list.push_back(path);
    const auto shared = std::make_shared<const gdl::PathList>(std::move(list));
    // Some of the shared paths (one twice, as two spellings of a file may be) and some of its
    // own, interleaved: what a directory's item holds.
    gdl::PathSelection selection(shared);
    std::vector<std::string> expected;
    for (const std::string& own : awkward_paths(random, random() % 5 + 1)) {
      for (std::size_t i = 0; i < scan.size(); ++i) {
        if (random() % 3 != 0) continue;
        selection.push_shared(i);
        expected.push_back(scan[i]);
      }
      selection.push_back(own);
      expected.push_back(own);
    }
    REQUIRE(selection.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(selection[i] == expected[i]);
    CHECK(selection.strings() == expected);
    selection.sort();
    std::sort(expected.begin(), expected.end());
    CHECK(selection.strings() == expected);
    const auto is_tf = [](std::string_view path) { return path.ends_with(".tf"); };
    selection.erase_if(is_tf);
    std::erase_if(expected, is_tf);
    CHECK(selection.strings() == expected);
    CHECK(selection.empty() == expected.empty());
  }
}

TEST_CASE("PathSelection: equality with lists and selections, views of the shared list") {
  const auto shared = std::make_shared<const gdl::PathList>(gdl::PathList{"d/a.json", "d/b.json"});
  gdl::PathSelection selection(shared);
  selection.push_shared(1);
  selection.push_back("named.json");
  selection.push_shared(0);
  CHECK(selection == gdl::PathList{"d/b.json", "named.json", "d/a.json"});
  CHECK_FALSE(selection == gdl::PathList{"d/b.json", "named.json"});
  CHECK(selection == gdl::PathSelection{"d/b.json", "named.json", "d/a.json"});
  CHECK_FALSE(selection == gdl::PathSelection{"d/a.json", "named.json", "d/b.json"});
  // A view of a shared path outlives the selection that gave it, while the list is shared.
  const std::string_view view = selection[0];
  const auto keep = shared;
  selection = gdl::PathSelection();
  CHECK(view == "d/b.json");
  CHECK(selection.empty());
  CHECK(selection.begin() == selection.end());
  const gdl::PathSelection own_only = {"x", "", "y"};
  CHECK(own_only.strings() == std::vector<std::string>{"x", "", "y"});
  // A copy has its own paths of its own: changing one leaves the other as it was.
  gdl::PathSelection mixed(shared);
  mixed.push_shared(0);
  mixed.push_back("mine.json");
  gdl::PathSelection copy = mixed;
  copy.push_back("more.json");
  copy.erase_if([](std::string_view path) { return path == "mine.json"; });
  CHECK(mixed == gdl::PathList{"d/a.json", "mine.json"});
  CHECK(copy == gdl::PathList{"d/a.json", "more.json"});
  copy = mixed;
  CHECK(copy == mixed);
  const gdl::PathSelection& same = copy;
  copy = same;  // self-assignment keeps the paths
  CHECK(copy == gdl::PathList{"d/a.json", "mine.json"});
}
