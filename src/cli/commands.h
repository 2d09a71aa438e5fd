#pragma once
// One function per subcommand; cli.cpp registers them with CLI11.

#include <CLI/CLI.hpp>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/fix.h"
#include "analysis/pipeline.h"
#include "analysis/project_config.h"
#include "cli/named_options.h"
#include "export/settings.h"
#include "report/report.h"
#include "source/loader.h"

namespace gdl::cli {

struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string fail_on;  // empty: the project configuration's, else "error"
  std::string project_config;
  std::vector<std::string> disable;
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
  // Export settings.
  std::string config;
  std::string account;
  std::vector<std::string> regions;
  std::string detector_id;
  std::string bucket;
  std::string prefix;
  bool prefix_given = false;
  std::string bucket_region;
  std::string bucket_account;
  std::string key_arn;
  std::string kind;
  std::string rules_dir;
  // Terraform inputs.
  std::vector<std::string> terraform_vars;  // name=value
  std::vector<std::string> terraform_var_files;
  // Per --var and --var-file value in command-line order: true for a --var-file
  // (record_terraform_order); Terraform applies them in that order.
  std::vector<bool> terraform_order;
  // Directory scans.
  unsigned jobs = 0;  // 0: one per core
  std::size_t max_size_mb = kDefaultMaxInputBytes / (1024 * 1024);
  std::string baseline;
  std::string write_baseline;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  // Fixes.
  bool fix = false;           // apply them in place
  bool diff = false;          // print them as a unified diff, write nothing
  bool unsafe_fixes = false;  // also the unsafe ones
};

struct SimulateArgs {
  std::string policy_file;
  std::string request_json;
  bool batch = false;
};

// Export settings from the flags of `args` over `settings`; what is wrong with a flag, if any.
std::optional<std::string> apply_settings_flags(const CheckArgs& args,
                                                exportcfg::ExportSettings& settings);

// `a/PATH` or `b/PATH`, as a diff header names a file for `patch -p1`.
std::string diff_name(std::string_view prefix, const std::string& path);

// The fixes applied (or, with `diff`, that would be), those left and why, and a count.
void write_fix_summary(const analysis::FixOutcome& outcome, bool diff, std::ostream& out);

struct InitArgs {
  CheckArgs settings;  // the export settings flags and --config, as check takes them
  std::string format = "json";
  std::string output_dir = ".";
  bool force = false;
  bool configurer_policy = false;
  std::vector<std::string> merge;  // key or bucket policies to complete in place
  bool diff = false;               // with merge: print the changes as a diff, write nothing
};

// Each registers the options `named` says the command line can name (cli/named_options.h).
void add_check_options(CLI::App& command, CheckArgs& args,
                       const NamedOptions& named = NamedOptions::all());
// The export settings flags (--config, --account, ..., --key-arn) and Terraform's --var/--var-file.
void add_settings_options(CLI::App& command, CheckArgs& args,
                          const NamedOptions& named = NamedOptions::all());
void add_terraform_options(CLI::App& command, CheckArgs& args,
                           const NamedOptions& named = NamedOptions::all());
// After parsing: the order of --var and --var-file values on the command line.
void record_terraform_order(const CLI::App& command, CheckArgs& args);
// --rules, --disable and --kind into `options`. False (after saying why) on a problem.
bool lint_options_from(const CheckArgs& args, LintOptions& options, std::ostream& err);
// The export settings: the project's, then --config (its problems go to the report), then the
// flags. False (after saying why) when they cannot be read.
bool settings_from(const CheckArgs& args, const analysis::ProjectConfig* project,
                   exportcfg::ExportSettings& settings, bool& config_invalid, Report& report,
                   std::ostream& err);
void add_init_options(CLI::App& command, InitArgs& args);
int run_init(const InitArgs& args, std::ostream& out, std::ostream& err);
void add_simulate_options(CLI::App& command, SimulateArgs& args);
struct VerifyArgs {
  CheckArgs check;      // inputs and export settings, as check takes them
  std::string against;  // the policy before the change: a file, or git:REV for the same path
};
void add_verify_options(CLI::App& command, VerifyArgs& args);
int run_verify(const VerifyArgs& args, std::ostream& out, std::ostream& err);
int run_simulate(const SimulateArgs& args, std::istream& in, std::ostream& out, std::ostream& err);
int run_check(const CheckArgs& args, std::ostream& out, std::ostream& err, bool stdout_is_tty);
int run_list_rules(const std::string& format, std::ostream& out);
int run_explain(const std::string& rule, std::ostream& out, std::ostream& err);

}  // namespace gdl::cli
