// Exit codes: each --fail-on level against inputs whose worst finding is an error, a warning, a
// note, or nothing. The inputs' severities are checked first (JSON output), so a fixture that
// changes cannot make this table vacuous.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "test_support.h"

namespace {

struct Input {
  const char* path;
  const char* worst;  // the most severe finding: "error", "warning", "note" or "none"
};

constexpr Input kInputs[] = {
    {"examples/broken", "error"},
    {"testdata/GD307/no-https-deny", "warning"},
    {"testdata/GD308/https-deny-only-on-prefix", "note"},
    {"testdata/GD307/no-https-deny-fixed", "none"},
};

int run(std::vector<std::string> args, std::string* out_text = nullptr) {
  args.insert(args.begin(), "gd-export-lint");
  std::ostringstream out, err;
  std::istringstream in;
  const int code = gdl::cli::run_cli(args, in, out, err);
  if (out_text) *out_text = out.str();
  return code;
}

std::string worst_severity(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE(!doc.HasParseError());
  const auto& summary = doc["summary"];
  if (summary["errors"].GetUint() > 0) return "error";
  if (summary["warnings"].GetUint() > 0) return "warning";
  if (summary["notes"].GetUint() > 0) return "note";
  return "none";
}

}  // namespace

TEST_CASE("--fail-on: exit 1 exactly when a finding reaches the level, 0 otherwise") {
  gdl::test::CurrentDirectory in_root(gdl::test::source_dir());
  // Rows: the level, then for each worst severity (error, warning, note, none) the exit code.
  const struct {
    const char* level;  // nullptr: the default (error)
    int exit_for[4];
  } rows[] = {
      {nullptr, {1, 0, 0, 0}}, {"error", {1, 0, 0, 0}}, {"warning", {1, 1, 0, 0}},
      {"note", {1, 1, 1, 0}},  {"never", {0, 0, 0, 0}},
  };
  for (std::size_t i = 0; i < std::size(kInputs); ++i) {
    const Input& input = kInputs[i];
    CAPTURE(input.path);
    std::string json;
    run({"check", "--format", "json", "--fail-on", "never", input.path}, &json);
    REQUIRE(worst_severity(json) == input.worst);
    for (const auto& row : rows) {
      std::vector<std::string> args = {"check", input.path};
      if (row.level) args.insert(args.begin() + 1, {"--fail-on", row.level});
      CAPTURE(row.level ? row.level : "(default)");
      CHECK(run(args) == row.exit_for[i]);
    }
  }
  CHECK(run({"check", "--fail-on", "sometimes", "examples/correct"}) == 2);
}

TEST_CASE("--fail-on: a finding suppressed in the project configuration does not fail the run") {
  gdl::test::CurrentDirectory in_root(gdl::test::source_dir());
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("gdl-exit-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const std::filesystem::path config = dir / ".gd-export-lint.json";
  auto write_config = [&](const char* suppressions) {
    std::ofstream(config) << fmt::format(R"({{"failOn":"warning","suppressions":{}}})",
                                         suppressions);
  };
  const std::string input = "testdata/GD307/no-https-deny";
  write_config("[]");
  CHECK(run({"check", "--project-config", config.string(), input}) == 1);
  write_config(
      R"([{"path":"testdata/GD307/**","rule":"GD307","reason":"accepted until the bucket moves"}])");
  CHECK(run({"check", "--project-config", config.string(), input}) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "A report or baseline written over a file the run reads is refused, and nothing is written") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-overwrite-{}", ::getpid());
  fs::create_directories(dir);
  const fs::path policy = dir / "p.json";
  fs::copy_file(gdl::test::source_dir() / "examples/broken/bucket-policy.json", policy,
                fs::copy_options::overwrite_existing);
  const std::string original = gdl::test::read_file(policy.string());
  fs::create_symlink(policy, dir / "link.json");
  const std::string p = policy.string();
  const std::string link = (dir / "link.json").string();
  const std::string other = (dir / "report.txt").string();
  // Rows: the command line, and whether it is refused (exit 2).
  const struct {
    std::vector<std::string> args;
    bool refused;
  } rows[] = {
      {{"check", p, "-o", p}, true},
      {{"check", p, "--output=" + p}, true},
      {{"check", link, "-o", p}, true},  // the same file through a link
      {{"check", p, "--write-baseline", p}, true},
      {{"check", p, "-f", "json", "-o", other}, false},
      {{"check", p, "-o", "-"}, false},
  };
  for (const auto& row : rows) {
    CAPTURE(fmt::format("{}", fmt::join(row.args, " ")));
    const int code = run(row.args);
    CHECK((code == 2) == row.refused);
    CHECK(gdl::test::read_file(p) == original);
  }
  CHECK(fs::exists(other));
  fs::remove_all(dir);
}

TEST_CASE("--var-file that cannot be read as a file is a usage error, not a silent pass") {
  gdl::test::CurrentDirectory in_root(gdl::test::source_dir());
  const std::string module = "testdata/containers/tf-source-broken/main.tf";
  CHECK(run({"check", module, "--var-file", "/dev/null"}) == 2);  // a device
  CHECK(run({"check", module, "--var-file", "examples"}) == 2);   // a directory
  CHECK(run({"check", module, "--var-file", "no/such.tfvars"}) == 2);
}

TEST_CASE("A report is never written over a file the run read, however it was reached") {
  // A scanned policy, a policy a Terraform module reads with file(): the command line does not
  // name them, the loader sees them. A report of ours from an earlier run is replaced.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-read-target-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir / "policies");
  const std::string policy_text =
      gdl::test::read_file(gdl::test::source_dir() / "examples/broken/bucket-policy.json");
  std::ofstream(dir / "bucket-policy.json") << policy_text;
  std::ofstream(dir / "policies/kms.json") << policy_text;
  std::ofstream(dir / "main.tf") << "resource \"aws_kms_key\" \"k\" {\n  policy = "
                                    "file(\"${path.module}/policies/kms.json\")\n}\n";
  const std::string d = dir.string();
  CHECK(run({"check", d, "-o", d + "/bucket-policy.json"}) == 2);  // scanned
  CHECK(gdl::test::read_file(dir / "bucket-policy.json") == policy_text);
  CHECK(run({"check", d + "/main.tf", "-o", d + "/policies/kms.json"}) == 2);  // read by file()
  CHECK(gdl::test::read_file(dir / "policies/kms.json") == policy_text);
  CHECK(run({"check", d, "-o", d + "/r.json", "--write-baseline", d + "/./r.json"}) == 2);
  CHECK_FALSE(fs::exists(dir / "r.json"));
  // Our own report, scanned on the next run, is replaced.
  CHECK(run({"check", d, "-f", "json", "-o", d + "/report.json"}) == 1);
  CHECK(run({"check", d, "-f", "json", "-o", d + "/report.json"}) == 1);
  CHECK(gdl::test::read_file(dir / "report.json").find("\"tool\": \"gd-export-lint\"") !=
        std::string::npos);
  fs::remove_all(dir);
}
