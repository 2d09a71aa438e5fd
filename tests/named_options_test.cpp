// check registers only the options a command line can name (cli/named_options.h). The reading
// must be a superset: every line below is parsed twice, with every option registered and with
// only the named ones, and the two parses must agree on the result or on the error.

#include "cli/named_options.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/pipeline.h"
#include "cli/cli.h"
#include "cli/commands.h"

namespace {

using gdl::cli::CheckArgs;
using gdl::cli::NamedOptions;

std::string join(const std::vector<std::string>& v) {
  return fmt::format("[{}]", fmt::join(v, "|"));
}

std::string dump(const CheckArgs& a) {
  return fmt::format(
      "paths={} format={} output={} fail_on={} project_config={} disable={} color={} quiet={} "
      "verbose={} config={} account={} regions={} detector={} bucket={} prefix={}({}) "
      "bucket_region={} bucket_account={} key_arn={} kind={} rules={} vars={} var_files={} "
      "jobs={} max_size={} baseline={} write_baseline={} include={} exclude={} fix={} diff={} "
      "unsafe={}",
      join(a.paths), a.format, a.output, a.fail_on, a.project_config, join(a.disable), a.color,
      a.quiet, a.verbose, a.config, a.account, join(a.regions), a.detector_id, a.bucket, a.prefix,
      a.prefix_given, a.bucket_region, a.bucket_account, a.key_arn, a.kind, a.rules_dir,
      join(a.terraform_vars), join(a.terraform_var_files), a.jobs, a.max_size_mb, a.baseline,
      a.write_baseline, join(a.include), join(a.exclude), a.fix, a.diff, a.unsafe_fixes);
}

// The parse's outcome: the arguments it filled, or the error CLI11 gave.
std::string parse(const std::vector<std::string>& words, bool only_named) {
  CLI::App app{"test", "gd-export-lint"};
  CLI::App* check = app.add_subcommand("check", "");
  CheckArgs args;
  add_check_options(*check, args, only_named ? NamedOptions(words) : NamedOptions::all());
  std::vector<std::string> argv{"gd-export-lint", "check"};
  argv.insert(argv.end(), words.begin(), words.end());
  std::vector<const char*> c_argv;
  for (const std::string& w : argv) c_argv.push_back(w.c_str());
  try {
    app.parse(static_cast<int>(c_argv.size()), c_argv.data());
  } catch (const CLI::Error& e) {
    return fmt::format("error {} {}: {}", e.get_name(), e.get_exit_code(), e.what());
  }
  record_terraform_order(*check, args);
  return fmt::format("{} terraform_order={}", dump(args), fmt::join(args.terraform_order, ""));
}

}  // namespace

TEST_CASE("check's options: a line parses the same with only the options it names") {
  const std::vector<std::vector<std::string>> lines = {
      {"a.json"},
      {"a.json", "b.json", "-"},
      {"-q", "a.json"},
      {"-qv", "a.json"},
      {"-vq", "-f", "json", "a.json"},
      {"-fjson", "a.json"},
      {"-j2", "dir"},
      {"-j", "2", "dir"},
      {"--jobs=2", "dir"},
      {"-ofile.txt", "a.json"},
      {"--format=sarif", "--output", "out.sarif", "a.json"},
      {"--format", "yaml", "a.json"},
      {"--format"},
      {"--bucket", "--quiet", "a.json"},
      {"--bucket", "-q", "a.json"},
      {"--prefix", "", "a.json"},
      {"--prefix=", "a.json"},
      {"--region", "us-east-1", "--region", "eu-west-1", "a.json"},
      {"--region", "us-east-1", "a.json", "b.json"},
      {"--disable", "GD303,GD304", "a.json"},
      {"--include", "*.json", "--exclude", "tests/*", "dir"},
      {"--unknown", "a.json"},
      {"-x", "a.json"},
      {"-qx", "a.json"},
      {"-1", "a.json"},
      {"--jobs", "-1", "a.json"},
      {"--max-size", "0", "a.json"},
      {"--max-size", "5", "a.json"},
      {"--fix", "--diff", "--unsafe-fixes", "a.json"},
      {"--kind", "key", "a.json"},
      {"--kind=queue", "a.json"},
      {"--var", "x=1", "--var=y=2", "a.tf"},
      {"--var", "x=1", "--var-file", "a.tfvars", "--var=y=2", "--var-file=b.tfvars", "a.tf"},
      {"--fail-on", "never", "--color", "always", "a.json"},
      {"--", "--fix", "-q"},
      {"a.json", "--", "-weird.json"},
      {"-weird.json"},
      {"-foo.json"},
      {"--quiet=yes", "a.json"},
      {"--account", "123456789012", "--key-arn", "arn:aws:kms:us-east-1:123456789012:key/x",
       "--bucket-region", "us-east-1", "--bucket-account", "123456789012", "--detector-id",
       "0123456789abcdef0123456789abcdef", "--config", "c.json", "a.json"},
      {"--baseline", "b.json", "--write-baseline", "w.json", "--rules", "r", "--project-config",
       "p.json", "a.json"},
      {},
  };
  for (const auto& words : lines) {
    CAPTURE(fmt::format("{}", fmt::join(words, " ")));
    CHECK(parse(words, true) == parse(words, false));
  }
}

TEST_CASE("NamedOptions: which options a line names") {
  struct Row {
    std::vector<std::string> words;
    const char* option;
    bool named;
  };
  const std::vector<Row> rows = {
      {{"a.json"}, "-f,--format", false},
      {{"-f", "json"}, "-f,--format", true},
      {{"--format=json"}, "-f,--format", true},
      {{"--format"}, "-f,--format", true},
      {{"--formats"}, "-f,--format", false},
      {{"-qvf", "json"}, "-f,--format", true},
      {{"-qv"}, "-j,--jobs", false},
      {{"-j4"}, "-j,--jobs", true},
      {{"--bucket-region", "x"}, "--bucket", false},
      {{"--bucket-region", "x"}, "--bucket-region", true},
      {{"-"}, "-q,--quiet", false},
      {{"--help"}, "--kind", true},  // help lists every option
      {{"-h"}, "--kind", true},
      {{"-qh"}, "--kind", true},
      {{"a.json"}, "PATH", true},  // not an option name: always registered
  };
  for (const Row& row : rows) {
    CAPTURE(fmt::format("{} / {}", fmt::join(row.words, " "), row.option));
    CHECK(NamedOptions(row.words).any(row.option) == row.named);
  }
  CHECK(NamedOptions::all().any("--anything"));
}

// Only the command a line names is registered (cli.cpp): another command's name later in the
// line is what it was with every command registered, a value or an unexpected argument.
TEST_CASE("a command's name later in another command's line is a value or unexpected") {
  struct Row {
    std::vector<std::string> words;
    int exit_code;
    const char* said;  // on standard error
  };
  const std::vector<Row> rows = {
      {{"check", "explain"}, 2, "cannot read explain"},
      {{"check", "--", "init"}, 2, "cannot read init"},
      {{"explain", "GD301", "check"}, 2, "The following argument was not expected: check"},
      {{"list-rules", "verify"}, 2, "The following argument was not expected: verify"},
      {{"explain", "check"}, 2, "unknown rule 'check'"},
  };
  for (const Row& row : rows) {
    CAPTURE(fmt::format("{}", fmt::join(row.words, " ")));
    std::vector<std::string> args{"gd-export-lint"};
    args.insert(args.end(), row.words.begin(), row.words.end());
    std::ostringstream out, err;
    std::istringstream in;
    CHECK(gdl::cli::run_cli(args, in, out, err, false) == row.exit_code);
    CHECK(err.str().find(row.said) != std::string::npos);
  }
}

// Terraform applies -var and -var-file "in the order they are provided", the later winning: the
// parsed line must keep that order into the lint options.
TEST_CASE("check: --var and --var-file reach the options in command-line order") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("gdl-var-order-{}", ::getpid());
  std::filesystem::create_directories(dir);
  for (const char* name : {"a.tfvars", "b.tfvars"}) std::ofstream(dir / name) << "x = 1\n";
  const std::string a = (dir / "a.tfvars").string();
  const std::string b = (dir / "b.tfvars").string();
  struct Row {
    std::vector<std::string> words;
    const char* order;  // v: --var (with its name), f: --var-file (with its file's name)
  };
  const std::vector<Row> rows = {
      {{"--var", "x=1", "--var-file", a, "--var", "y=2", "m.tf"}, "vx fa vy"},
      {{"--var-file", b, "--var=x=1", "--var-file=" + a, "m.tf"}, "fb vx fa"},
      {{"--var", "x=1", "y=2", "--var-file", a, "m.tf"}, "vx vy fa"},
      {{"--var-file", a, "--var-file", b, "m.tf"}, "fa fb"},
      {{"m.tf"}, ""},
  };
  for (const Row& row : rows) {
    CAPTURE(fmt::format("{}", fmt::join(row.words, " ")));
    CLI::App app{"test", "gd-export-lint"};
    CLI::App* check = app.add_subcommand("check", "");
    CheckArgs args;
    add_check_options(*check, args, NamedOptions(row.words));
    std::vector<std::string> argv{"gd-export-lint", "check"};
    argv.insert(argv.end(), row.words.begin(), row.words.end());
    std::vector<const char*> c_argv;
    for (const std::string& w : argv) c_argv.push_back(w.c_str());
    app.parse(static_cast<int>(c_argv.size()), c_argv.data());
    record_terraform_order(*check, args);
    gdl::LintOptions options;
    std::ostringstream err;
    REQUIRE(gdl::cli::lint_options_from(args, options, err));
    std::vector<std::string> order;
    for (const auto& input : options.terraform_inputs) {
      order.push_back(
          input.is_file
              ? "f" + std::string(1, std::filesystem::path(input.value).filename().string().front())
              : "v" + input.name);
    }
    CHECK(fmt::format("{}", fmt::join(order, " ")) == row.order);
  }
  std::filesystem::remove_all(dir);
}
