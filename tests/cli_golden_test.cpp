// Golden tests of the CLI: exact standard output and exit code for each case in
// tests/golden/cases.txt. Run with GDL_UPDATE_GOLDEN=1 to rewrite the .out files after an
// intended change, then review the diff.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

// A case's standard input: tests/golden/NAME.stdin when it exists.
std::string stdin_text(const fs::path& golden, const std::string& name) {
  const fs::path file = golden / (name + ".stdin");
  return fs::exists(file) ? gdl::test::read_file(file) : std::string();
}

}  // namespace

TEST_CASE("CLI golden output") {
  const fs::path root = gdl::test::source_dir();
  const fs::path golden = root / "tests" / "golden";
  const bool update = std::getenv("GDL_UPDATE_GOLDEN") != nullptr;
  gdl::test::CurrentDirectory in_root(root);
  std::istringstream cases(gdl::test::read_file(golden / "cases.txt"));
  int count = 0;
  for (std::string line; std::getline(cases, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string name;
    int expected_exit = 0;
    words >> name >> expected_exit;
    std::vector<std::string> args{"gd-export-lint"};
    for (std::string word; words >> word;) args.push_back(word);
    CAPTURE(name);
    std::ostringstream out;
    std::ostringstream err;
    std::istringstream in(stdin_text(golden, name));
    const int exit_code = gdl::cli::run_cli(args, in, out, err);
    CHECK(exit_code == expected_exit);
    const fs::path expected_file = golden / (name + ".out");
    // SARIF's %SRCROOT% is where the run started: the checkout, wherever it is.
    std::string text = out.str();
    const std::string here = "file://" + root.generic_string() + "/";
    for (std::size_t at = text.find(here); at != std::string::npos; at = text.find(here, at))
      text.replace(at, here.size(), "file://%CHECKOUT%/");
    if (update) {
      std::ofstream(expected_file, std::ios::binary) << text;
    } else {
      REQUIRE_MESSAGE(fs::exists(expected_file),
                      "missing golden file; run with GDL_UPDATE_GOLDEN=1");
      CHECK(text == gdl::test::read_file(expected_file));
    }
    if (expected_exit == 2) CHECK(!err.str().empty());
    ++count;
  }
  CHECK(count >= 15);
}
