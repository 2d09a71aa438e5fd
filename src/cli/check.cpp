// `gd-export-lint check`: load each input, lint it, render the report, choose the exit code.

#include "analysis/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <variant>

#include "analysis/baseline.h"
#include "analysis/fix.h"
#include "analysis/pipeline.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "diag/rule_catalog.h"
#include "export/settings.h"
#include "report/baseline.h"
#include "report/report.h"
#include "source/loader.h"
#include "util/diff.h"
#include "util/text.h"

namespace gdl::cli {

// Command-line settings override the config file. Returns what is wrong with a flag, if anything.
std::optional<std::string> apply_settings_flags(const CheckArgs& args,
                                                exportcfg::ExportSettings& settings) {
  using exportcfg::Origin;
  auto set = [](exportcfg::Value& target, std::string value, std::string_view flag) {
    target.value = std::move(value);
    target.origin = {Origin::Kind::flag, std::string(flag), std::nullopt};
  };
  if (!args.account.empty()) {
    if (!exportcfg::is_account_id(args.account))
      return fmt::format("--account {} is not a 12-digit account id", args.account);
    set(settings.account, args.account, "--account");
  }
  if (!args.regions.empty()) {
    for (const std::string& r : args.regions) {
      if (!exportcfg::is_region(r))
        return fmt::format("--region {} is not a Region such as us-east-1", r);
    }
    settings.regions = args.regions;
    settings.regions_origin = {Origin::Kind::flag, "--region", std::nullopt};
  }
  if (!args.detector_id.empty()) {
    if (!exportcfg::is_detector_id(args.detector_id)) {
      return fmt::format(
          "--detector-id {} is not a detector id (32 lower-case hexadecimal characters)",
          args.detector_id);
    }
    set(settings.detector_id, args.detector_id, "--detector-id");
  }
  if (!args.bucket.empty()) set(settings.bucket, args.bucket, "--bucket");
  if (args.prefix_given || !args.prefix.empty())
    set(settings.prefix, exportcfg::normalize_prefix(args.prefix), "--prefix");
  if (!args.bucket_region.empty()) {
    if (!exportcfg::is_region(args.bucket_region))
      return fmt::format("--bucket-region {} is not a Region", args.bucket_region);
    set(settings.bucket_region, args.bucket_region, "--bucket-region");
  }
  if (!args.bucket_account.empty()) {
    if (!exportcfg::is_account_id(args.bucket_account)) {
      return fmt::format("--bucket-account {} is not a 12-digit account id", args.bucket_account);
    }
    set(settings.bucket_account, args.bucket_account, "--bucket-account");
  }
  if (!args.key_arn.empty()) {
    if (auto problem = exportcfg::key_arn_problem(args.key_arn))
      return fmt::format("--key-arn: {}", *problem);
    set(settings.key_arn, args.key_arn, "--key-arn");
  }
  return std::nullopt;
}

// Where a path is shown in a diff header: git's a/ and b/ prefixes, so `patch -p1` applies it
// from the directory the check ran in. A name holding control characters, a quote, a backslash
// or a space is written in C quotes with escapes, as git writes it and GNU patch reads it (patch
// takes an unquoted name to the first blank): raw,
// a newline in a file name started a header of its own, and an escape sequence reached the
// terminal.
std::string diff_name(std::string_view prefix, const std::string& path) {
  std::string shown =
      fmt::format("{}{}", prefix, std::string_view(path).substr(path.starts_with("./") ? 2 : 0));
  const bool plain = std::none_of(shown.begin(), shown.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '"' || c == '\\' || c == ' ';
  });
  if (plain) return shown;
  std::string quoted = "\"";
  for (const char c : shown) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          quoted += fmt::format("\\{:03o}", u);
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

void write_fix_summary(const analysis::FixOutcome& outcome, bool diff, std::ostream& out) {
  for (const analysis::FixedFinding& f : outcome.fixed) {
    out << fmt::format("{} {}:{}:{} {} {}{}\n", diff ? "would fix" : "fixed",
                       escape_for_terminal(f.file), f.start.line, f.start.column, f.rule_id,
                       f.description, f.round > 1 ? fmt::format(" (round {})", f.round) : "");
  }
  for (const analysis::UnappliedFix& u : outcome.unapplied) {
    out << fmt::format("not fixed {}:{}:{} {}: {}\n", escape_for_terminal(u.file), u.start.line,
                       u.start.column, u.rule_id, u.reason);
  }
  out << fmt::format("{} {} finding{} in {} file{}", diff ? "Would fix" : "Fixed",
                     outcome.fixed.size(), outcome.fixed.size() == 1 ? "" : "s",
                     outcome.files.size(), outcome.files.size() == 1 ? "" : "s");
  if (!outcome.converged)
    out << fmt::format("; fixes were still pending after {} rounds", outcome.rounds);
  out << ".\n";
}

namespace {

// Registers an option or flag only when the command line can name it (cli/named_options.h), so
// each option's names are written once. Returns nullptr for an option the line cannot name.
class OptionRegistrar {
 public:
  OptionRegistrar(CLI::App& command, const NamedOptions& named)
      : command_(command), named_(named) {}

  template <typename T>
  CLI::Option* option(const std::string& names, T& variable, const std::string& help) {
    return named_.any(names) ? command_.add_option(names, variable, help) : nullptr;
  }
  CLI::Option* flag(const std::string& names, bool& variable, const std::string& help) {
    return named_.any(names) ? command_.add_flag(names, variable, help) : nullptr;
  }

 private:
  CLI::App& command_;
  const NamedOptions& named_;
};

}  // namespace

void add_settings_options(CLI::App& command, CheckArgs& args, const NamedOptions& named) {
  OptionRegistrar add(command, named);
  add.option("--config", args.config,
             "Export settings: a JSON file (account, regions, detectorIds, detectorId, bucket, "
             "prefix, bucketRegion, bucketAccount, kmsKeyArn) or `aws guardduty "
             "describe-publishing-destination` output");
  add.option("--account", args.account, "The exporting account id");
  if (auto* region =
          add.option("--region", args.regions, "A Region whose findings are exported (repeatable)"))
    region->allow_extra_args(false);
  add.option("--detector-id", args.detector_id, "The detector id (32 hex characters)");
  add.option("--bucket", args.bucket, "The export bucket's name");
  // --prefix "" says "no prefix" (a given value), unlike leaving the option out.
  if (auto* prefix = add.option("--prefix", args.prefix,
                                "The export prefix (folder) in the bucket; \"\" for none"))
    prefix->each([&args](const std::string&) { args.prefix_given = true; });
  add.option("--bucket-region", args.bucket_region, "The bucket's Region");
  add.option("--bucket-account", args.bucket_account, "The account that owns the bucket");
  add.option("--key-arn", args.key_arn, "The KMS key ARN GuardDuty encrypts findings with");
}

void add_terraform_options(CLI::App& command, CheckArgs& args, const NamedOptions& named) {
  OptionRegistrar add(command, named);
  add.option("--var", args.terraform_vars,
             "Terraform: a root module variable, NAME=VALUE (repeatable; as terraform -var)");
  if (auto* var_file =
          add.option("--var-file", args.terraform_var_files,
                     "Terraform: a .tfvars file of root module variables (repeatable)"))
    var_file->check(CLI::ExistingFile);
}

void record_terraform_order(const CLI::App& command, CheckArgs& args) {
  // One entry of parse_order() per value taken, in command-line order (CLI11 2.x), so
  // `--var a=1 --var-file f --var b=2` reads as var, file, var.
  const CLI::Option* var = command.get_option_no_throw("--var");
  const CLI::Option* var_file = command.get_option_no_throw("--var-file");
  args.terraform_order.clear();
  for (const CLI::Option* option : command.parse_order()) {
    if (option == nullptr) continue;
    if (option == var) args.terraform_order.push_back(false);
    if (option == var_file) args.terraform_order.push_back(true);
  }
}

void add_check_options(CLI::App& command, CheckArgs& args, const NamedOptions& named) {
  command
      .add_option("PATH", args.paths,
                  "Policy files (each checked with the other files of its directory, as the export "
                  "setups they hold) or directories to scan; '-' reads standard input")
      ->required();
  OptionRegistrar add(command, named);
  if (auto* format = add.option("-f,--format", args.format, "Output format")) {
    format->check(CLI::IsMember({"text", "json", "sarif", "github", "junit", "gitlab"}))
        ->capture_default_str();
  }
  add.option("-o,--output", args.output,
             "Write the report to FILE instead of standard output ('-': standard output)");
  if (auto* fail_on = add.option("--fail-on", args.fail_on,
                                 "Lowest severity that makes the exit code 1 (default: error)"))
    fail_on->check(CLI::IsMember({"error", "warning", "note", "never"}));
  add.option("--project-config", args.project_config,
             "The project configuration (default: .gd-export-lint.json, searched upwards from "
             "here)");
  if (auto* disable = add.option("--disable", args.disable,
                                 "Rules to turn off, by id or name (comma-separated)"))
    disable->delimiter(',')->allow_extra_args(false);
  if (auto* color =
          add.option("--color", args.color, "Colour in text output (NO_COLOR is honoured)")) {
    color->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  }
  add.flag("-q,--quiet", args.quiet, "Text output: one line per finding, no summary");
  add.flag("-v,--verbose", args.verbose,
           "Text output: also the export settings and where each came from");
  add_settings_options(command, args, named);
  add.option("-j,--jobs", args.jobs,
             "Threads for directory scans (default: one per core; at most 256)");
  if (auto* include = add.option("--include", args.include,
                                 "Glob of files to scan in directories (default *.json, *.yaml, "
                                 "*.yml, *.template, *.tf; repeatable)"))
    include->allow_extra_args(false);
  if (auto* exclude = add.option("--exclude", args.exclude,
                                 "Glob of files to leave out of directory scans (repeatable)"))
    exclude->allow_extra_args(false);
  add.option("--baseline", args.baseline,
             "Hide the findings recorded in this baseline file; report new ones");
  add.option("--write-baseline", args.write_baseline,
             "Record the current findings in this baseline file (written atomically)");
  if (auto* max_size =
          add.option("--max-size", args.max_size_mb, "Refuse inputs larger than this many MB"))
    max_size->check(CLI::Range(1, 4095))->capture_default_str();
  add.option(
      "--rules", args.rules_dir,
      "A directory of scenario rules (*.json, the format of rules/scenarios/) to run as well");
  add_terraform_options(command, args, named);
  add.flag("--fix", args.fix,
           "Apply the safe fixes in place, check again until nothing changes, and report what "
           "remains");
  add.flag("--diff", args.diff,
           "Print the fixes --fix would apply as a unified diff (for patch -p1); write nothing");
  add.flag("--unsafe-fixes", args.unsafe_fixes,
           "With --fix or --diff: also apply fixes that add or remove statements or change who "
           "has access");
  if (auto* kind = add.option("--kind", args.kind,
                              "Treat every document as this kind instead of detecting it"))
    kind->check(CLI::IsMember({"key", "bucket", "identity"}));
}

namespace {

OutputFormat parse_format(std::string_view name) {
  if (name == "json") return OutputFormat::json;
  if (name == "sarif") return OutputFormat::sarif;
  if (name == "github") return OutputFormat::github;
  if (name == "junit") return OutputFormat::junit;
  if (name == "gitlab") return OutputFormat::gitlab;
  return OutputFormat::text;
}

bool use_color(const CheckArgs& args, bool stdout_is_tty) {
  if (args.color == "always") return true;
  if (args.color == "never" || !args.output.empty() || args.format != "text") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return stdout_is_tty;
}

bool write_file_atomically(const std::string& path, const std::string& content, std::ostream& err) {
  std::string error;
  if (gdl::write_file_atomically(path, content, error)) return true;
  err << fmt::format("gd-export-lint: error: {}\n", error);
  return false;
}

}  // namespace

// --rules, --disable and --kind. False (after saying why) on a problem.
bool lint_options_from(const CheckArgs& args, LintOptions& options, std::ostream& err) {
  if (!args.rules_dir.empty()) {
    Report problems;
    std::string error;
    if (!analysis::load_scenario_rules(args.rules_dir, options, problems, error)) {
      write_text(problems, {.color = false, .quiet = true}, err);
      err << fmt::format("gd-export-lint: error: {}\n", error);
      return false;
    }
  }
  for (const std::string& name : args.disable) {
    const RuleInfo* rule = find_rule(name);
    if (rule == nullptr) {
      const RuleInfo* meant = closest_rule(name);
      err << fmt::format("gd-export-lint: error: --disable: unknown rule '{}'{}\n", name,
                         meant != nullptr
                             ? fmt::format("; did you mean {} ({})?", meant->id, meant->name)
                             : std::string(" (see list-rules)"));
      return false;
    }
    options.disabled_rules.insert(rule->id);
  }
  if (!args.kind.empty()) options.kind_override = documents::parse_kind(args.kind);
  std::vector<containers::TerraformInput> vars;
  for (const std::string& assignment : args.terraform_vars) {
    const std::size_t eq = assignment.find('=');
    if (eq == 0 || eq == std::string::npos) {
      err << fmt::format(
          "gd-export-lint: error: --var {}: expected NAME=VALUE, as terraform -var takes\n",
          assignment);
      return false;
    }
    vars.push_back(
        containers::TerraformInput::var(assignment.substr(0, eq), assignment.substr(eq + 1)));
  }
  for (const std::string& path : args.terraform_var_files) {
    // Read as the modules read it: a device, a FIFO or an unreadable file was skipped and the
    // run passed, judged in part, without a word.
    LoadResult loaded = load_source(path);
    if (const auto* problem = std::get_if<LoadError>(&loaded)) {
      err << fmt::format("gd-export-lint: error: cannot read --var-file {}: {}\n", path,
                         problem->message);
      return false;
    }
  }
  // Terraform applies -var and -var-file in the order given, later ones winning; what the
  // order does not cover (arguments made without a command line) goes files first.
  std::size_t next_var = 0;
  std::size_t next_file = 0;
  for (const bool is_file : args.terraform_order) {
    if (is_file && next_file < args.terraform_var_files.size()) {
      options.terraform_inputs.push_back(
          containers::TerraformInput::file(args.terraform_var_files[next_file++]));
    } else if (!is_file && next_var < vars.size()) {
      options.terraform_inputs.push_back(std::move(vars[next_var++]));
    }
  }
  for (; next_file < args.terraform_var_files.size(); ++next_file)
    options.terraform_inputs.push_back(
        containers::TerraformInput::file(args.terraform_var_files[next_file]));
  for (; next_var < vars.size(); ++next_var)
    options.terraform_inputs.push_back(std::move(vars[next_var]));
  // Export settings from flags or --config declare every setup an export; the project
  // configuration's defaults do not (its `setups` do, each for its own documents).
  options.export_declared = !args.config.empty() || !args.account.empty() ||
                            !args.regions.empty() || !args.detector_id.empty() ||
                            !args.bucket.empty() || args.prefix_given || !args.prefix.empty() ||
                            !args.bucket_region.empty() || !args.bucket_account.empty() ||
                            !args.key_arn.empty();
  return true;
}

// The export settings: the project's, then --config (its problems go to the report), then the
// flags. False (after saying why) when they cannot be read.
bool settings_from(const CheckArgs& args, const analysis::ProjectConfig* project,
                   exportcfg::ExportSettings& settings, bool& config_invalid, Report& report,
                   std::ostream& err) {
  if (project != nullptr) settings = project->settings;
  if (!args.config.empty()) {
    LoadResult loaded = load_source(args.config);
    if (auto* error = std::get_if<LoadError>(&loaded)) {
      err << fmt::format("gd-export-lint: error: cannot read --config {}: {}\n", error->path,
                         error->message);
      return false;
    }
    auto source = std::move(std::get<std::unique_ptr<SourceFile>>(loaded));
    exportcfg::ConfigResult config = exportcfg::read_config(*source);
    config_invalid = !config.diagnostics.empty();
    report.diagnostics = std::move(config.diagnostics);
    exportcfg::merge_settings(settings, config.settings);
    report.sources.emplace(source->path(), std::move(source));
  }
  if (auto problem = apply_settings_flags(args, settings)) {
    err << fmt::format("gd-export-lint: error: {}\n", *problem);
    return false;
  }
  return true;
}

namespace {

// --baseline read before the run, so a streamed report hides its findings as they come. False
// (after saying why) on a problem; `filter` stays empty without --baseline.
bool load_baseline(const CheckArgs& args, const std::string& root,
                   std::optional<BaselineFilter>& filter, std::ostream& err) {
  if (args.baseline.empty()) return true;
  LoadResult loaded = load_source(args.baseline);
  if (auto* error = std::get_if<LoadError>(&loaded)) {
    err << fmt::format("gd-export-lint: error: cannot read --baseline {}: {}\n", error->path,
                       error->message);
    return false;
  }
  std::string problem;
  auto fingerprints = read_baseline(*std::get<std::unique_ptr<SourceFile>>(loaded), problem);
  if (!fingerprints) {
    err << fmt::format("gd-export-lint: error: --baseline {}: {}\n", args.baseline, problem);
    return false;
  }
  filter.emplace(std::move(*fingerprints), root);
  return true;
}

// What --baseline hid, said after the run: a baseline that matched nothing, stale entries.
void report_baseline(const CheckArgs& args, const BaselineFilter& filter, const std::string& root,
                     Report& report, std::ostream& err) {
  const BaselineMatch match = filter.match();
  report.baselined = match.hidden;
  if (match.entries > 0 && match.hidden == 0) {
    err << fmt::format(
        "gd-export-lint: warning: --baseline {} matched none of its {} findings: was it written "
        "for other files, or from another project root ({})?\n",
        args.baseline, match.entries, root);
  } else if (match.stale > 0) {
    err << fmt::format(
        "gd-export-lint: note: --baseline {}: {} of its {} findings are gone (fixed); "
        "--write-baseline {} drops them\n",
        args.baseline, match.stale, match.entries, args.baseline);
  }
}

// A streamed report: each file's findings, once final, pass the baseline, are counted and
// written; nothing is kept.
class StreamingSink final : public FindingSink {
 public:
  StreamingSink(ReportStream& stream, BaselineFilter* baseline, Report& report)
      : stream_(stream), baseline_(baseline), report_(report) {}
  void accept(std::vector<Diagnostic>& findings, std::unique_ptr<SourceFile>& source) override {
    if (baseline_ != nullptr) baseline_->filter(findings);
    for (const Diagnostic& d : findings) {
      count_into(report_.streamed, d);
      stream_.finding(d, source.get());
    }
  }

 private:
  ReportStream& stream_;
  BaselineFilter* baseline_;
  Report& report_;
};

// The exit code: usage problems and unreadable inputs first, then the findings at or above
// --fail-on (or the project's failOn).
int exit_code(const CheckArgs& args, const analysis::ProjectConfig* project, const Report& report,
              bool config_invalid, std::ostream& err) {
  if (config_invalid) {
    err << fmt::format("gd-export-lint: error: --config {} is invalid; nothing else was checked\n",
                       args.config);
    return kExitUsage;
  }
  if (!report.input_errors.empty()) {
    // Said once, here (the text report only counts them; JSON and SARIF list them too).
    for (const InputError& e : report.input_errors)
      err << fmt::format("gd-export-lint: error: cannot read {}: {}\n", e.path, e.message);
    return kExitUsage;
  }
  if (report.files_checked == 0 && report.files_skipped == 0) {
    // An empty or misspelt directory must not pass CI as "no problems found".
    err << fmt::format(
        "gd-export-lint: error: nothing was checked: no file in {} matches the include globs "
        "(--include; default *.json, *.yaml, *.yml, *.template, *.tf)\n",
        fmt::join(args.paths, ", "));
    return kExitUsage;
  }
  const std::string fail_on = !args.fail_on.empty()                    ? args.fail_on
                              : project != nullptr && project->fail_on ? *project->fail_on
                                                                       : std::string("error");
  // Writing a baseline records the findings as accepted: that run succeeds.
  if (fail_on == "never" || !args.write_baseline.empty()) return kExitClean;
  const Severity threshold = parse_severity(fail_on).value_or(Severity::error);
  const Summary s = report.summary();  // suppressed findings are counted apart
  const std::size_t failing = s.errors + (threshold <= Severity::warning ? s.warnings : 0) +
                              (threshold <= Severity::note ? s.notes : 0);
  return failing > 0 ? kExitFindings : kExitClean;
}

}  // namespace

// Whether `target`, a file to write, is one the run read as an input (a scanned policy, a file a
// module reads), which is then kept: said on `err`. A report of ours left by an earlier run (it
// names the tool near its start) is not an input the user wrote, and is replaced.
bool refuse_read_target(const WriteTargetWatch& watch, std::string_view option,
                        const std::string& target, std::ostream& err) {
  if (target.empty() || watch.read_target() != target) return false;
  std::ifstream file(target, std::ios::binary);
  std::string start(1024, '\0');
  file.read(start.data(), static_cast<std::streamsize>(start.size()));
  start.resize(static_cast<std::size_t>(file.gcount()));
  if (start.find("gd-export-lint") != std::string::npos) return false;
  err << fmt::format(
      "gd-export-lint: error: {} {} is a file this run read as an input; it is left as it was: "
      "write it elsewhere\n",
      option, target);
  return true;
}

// Writes the report through `write` to --output (atomically, AtomicFile) or to `out`. False
// (after saying why) when the file cannot be written.
template <typename Write>
bool write_output(const CheckArgs& args, std::ostream& out, std::ostream& err, Write&& write,
                  const WriteTargetWatch* watch = nullptr) {
  std::optional<AtomicFile> file;
  if (!args.output.empty()) {
    file.emplace(args.output);
    if (!file->is_open()) {
      err << fmt::format("gd-export-lint: error: cannot write {}\n", args.output);
      return false;
    }
  }
  std::ostream& destination = file ? file->stream() : out;
  write(destination);
  destination.flush();
  if (file && watch != nullptr && refuse_read_target(*watch, "-o", args.output, err)) return false;
  std::string error;
  if (file && !file->commit(error)) {
    err << fmt::format("gd-export-lint: error: {}\n", error);
    return false;
  }
  return true;
}

namespace {

// The file the run reads that `target`, a file it is asked to write, is (after links): the
// report or the baseline would replace a policy the user asked to check. Empty when none.
std::string input_written_over(const CheckArgs& args, const std::string& target) {
  if (target.empty() || target == "-") return {};
  std::vector<std::string> inputs = args.paths;
  inputs.push_back(args.config);
  inputs.push_back(args.project_config);
  inputs.insert(inputs.end(), args.terraform_var_files.begin(), args.terraform_var_files.end());
  if (&target == &args.output) {
    inputs.push_back(args.baseline);
    inputs.push_back(args.write_baseline);
  }
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!input.empty() && input != "-" && std::filesystem::is_regular_file(input, ec) &&
        std::filesystem::equivalent(target, input, ec))
      return input;
  }
  return {};
}

}  // namespace

int run_check(const CheckArgs& args, std::ostream& out, std::ostream& err, bool stdout_is_tty) {
  // Never a user's file unless --fix asks: a report or baseline written over an input is refused
  // before anything is read or written.
  if (!args.output.empty() && args.output != "-" && !args.write_baseline.empty() &&
      overlay_key(args.output) == overlay_key(args.write_baseline)) {
    err << fmt::format("gd-export-lint: error: -o {} and --write-baseline {} are the same file\n",
                       args.output, args.write_baseline);
    return kExitUsage;
  }
  for (const auto& [option, target] :
       {std::pair{"-o", &args.output}, std::pair{"--write-baseline", &args.write_baseline}}) {
    if (const std::string input = input_written_over(args, *target); !input.empty()) {
      err << fmt::format(
          "gd-export-lint: error: {} {} would replace {}, a file this run reads; write it "
          "elsewhere\n",
          option, *target, input);
      return kExitUsage;
    }
  }
  LintOptions lint_options;
  const analysis::ScenarioRulesScope scenario_rules{lint_options};
  if (!lint_options_from(args, lint_options, err)) return kExitUsage;

  analysis::ProjectConfigResult project = analysis::load_project_config(args.project_config);
  if (!project.diagnostics.empty()) {
    Report problems;
    problems.diagnostics = std::move(project.diagnostics);
    if (project.source) problems.sources.emplace(project.source->path(), std::move(project.source));
    write_text(problems, {.color = false, .quiet = true}, err);
    err << "gd-export-lint: error: the project configuration is invalid; nothing was checked\n";
    return kExitUsage;
  }
  const analysis::ProjectConfig* config = project.config ? &*project.config : nullptr;
  if (config != nullptr) {
    for (const std::string& id : config->disable) lint_options.disabled_rules.insert(id);
  }

  Report report;
  bool config_invalid = false;
  analysis::CheckRequest request;
  if (!settings_from(args, config, request.settings, config_invalid, report, err))
    return kExitUsage;
  request.paths = args.paths;
  request.options = &lint_options;
  request.project = config;
  request.include = args.include;
  request.exclude = args.exclude;
  request.jobs = args.jobs;
  request.progress = &err == &std::cerr ? &err : nullptr;
  request.keep_sources = args.format == "text";
  // Only JSON and SARIF list the setups' verdicts ("setups"); the others would spill them to a
  // temporary file for nothing.
  request.keep_verdicts = args.format == "json" || args.format == "sarif";
  request.max_bytes = args.max_size_mb * 1024 * 1024;
  request.settings_invalid = config_invalid;
  if (args.unsafe_fixes && !args.fix && !args.diff) {
    err << "gd-export-lint: error: --unsafe-fixes goes with --fix or --diff\n";
    return kExitUsage;
  }
  if (args.fix && args.diff) {
    err << "gd-export-lint: error: --fix writes the fixes and --diff only shows them: choose "
           "one\n";
    return kExitUsage;
  }
  // Files are named relative to the project root in baselines, however the run spelt them.
  const std::string root =
      project_root(config != nullptr ? config->directory.string() : std::string());
  std::optional<BaselineFilter> baseline;
  if (!load_baseline(args, root, baseline, err)) return kExitUsage;
  const FormatOptions format_options{use_color(args, stdout_is_tty), args.quiet, args.verbose};

  // The report and the baseline never replace a file the run reads as an input.
  const WriteTargetWatch watch({args.output, args.write_baseline});

  // A plain check streams its report: findings are written as soon as they are final and not
  // kept. --fix, --diff and --write-baseline need every finding at once.
  if (!args.fix && !args.diff && args.write_baseline.empty() && !config_invalid) {
    // Findings reach a terminal while the scan runs: no progress line to write over them.
    if (stdout_is_tty && args.output.empty()) request.progress = nullptr;
    const bool written = write_output(
        args, out, err,
        [&](std::ostream& destination) {
          const auto stream =
              open_report_stream(parse_format(args.format), format_options, destination);
          StreamingSink sink(*stream, baseline ? &*baseline : nullptr, report);
          request.sink = &sink;
          analysis::check(request, report);
          if (baseline) report_baseline(args, *baseline, root, report, err);
          stream->finish(report);
        },
        &watch);
    return written ? exit_code(args, config, report, config_invalid, err) : kExitUsage;
  }

  std::optional<analysis::FixOutcome> fixes;
  if (args.fix || args.diff) {
    request.keep_sources = request.keep_sources || args.diff;
    // The --config findings, if any, and their file: a report made again starts from them.
    const std::vector<Diagnostic> config_findings = report.diagnostics;
    std::vector<std::string> config_files;
    for (const auto& [path, source] : report.sources) config_files.push_back(path);
    fixes =
        analysis::check_and_fix(request, {.unsafe = args.unsafe_fixes, .write = args.fix}, report);
    for (const std::string& problem : fixes->errors)
      err << fmt::format("gd-export-lint: error: {}\n", problem);
    if (!fixes->errors.empty()) {
      // What was written stays written, and the report is still written: of the files as they
      // are now (one that could not be written keeps its findings), then exit 2. (One read-only
      // file used to leave no report at all, after others had been rewritten.)
      if (!fixes->unwritten.empty()) {
        Report now;
        now.diagnostics = config_findings;
        for (const std::string& path : config_files) {
          if (auto it = report.sources.find(path); it != report.sources.end())
            now.sources.emplace(path, std::move(it->second));
        }
        analysis::check(request, now);
        report = std::move(now);
      }
      const bool written = write_output(
          args, out, err,
          [&](std::ostream& destination) {
            write_report(report, parse_format(args.format), format_options, destination);
          },
          &watch);
      if (written && args.fix) write_fix_summary(*fixes, false, err);
      return kExitUsage;
    }
  } else {
    analysis::check(request, report);
  }
  // Writing a baseline records the findings before --baseline hides any.
  if (!args.write_baseline.empty() &&
      (refuse_read_target(watch, "--write-baseline", args.write_baseline, err) ||
       !write_file_atomically(args.write_baseline, baseline_json(report.diagnostics, root), err))) {
    return kExitUsage;
  }
  if (baseline) {
    baseline->filter(report.diagnostics);
    report_baseline(args, *baseline, root, report, err);
  }

  if (args.diff) {
    std::string patch;
    for (const analysis::ChangedFile& file : fixes->files) {
      patch += unified_diff(file.before, file.after, diff_name("a/", file.path),
                            diff_name("b/", file.path));
    }
    if (!write_output(
            args, out, err, [&](std::ostream& destination) { destination << patch; }, &watch))
      return kExitUsage;
    write_fix_summary(*fixes, true, err);
    return exit_code(args, config, report, config_invalid, err);
  }

  if (!write_output(
          args, out, err,
          [&](std::ostream& destination) {
            write_report(report, parse_format(args.format), format_options, destination);
          },
          &watch))
    return kExitUsage;
  if (fixes)
    write_fix_summary(*fixes, false, args.format == "text" && args.output.empty() ? out : err);
  return exit_code(args, config, report, config_invalid, err);
}

}  // namespace gdl::cli
