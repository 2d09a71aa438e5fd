// `gd-export-lint init`: writes the policies an export needs for the given settings.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <variant>

#include "analysis/check.h"
#include "analysis/fix.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "export/generate.h"
#include "report/policy_writer.h"
#include "source/loader.h"
#include "util/diff.h"
#include "util/text.h"

namespace gdl::cli {

void add_init_options(CLI::App& command, InitArgs& args) {
  command.add_option("--format", args.format, "What to write")
      ->check(CLI::IsMember({"json", "cloudformation", "terraform"}))
      ->capture_default_str();
  command.add_option("-o,--output-dir", args.output_dir, "Directory to write the files into")
      ->capture_default_str();
  command.add_flag("--force", args.force, "Overwrite files that exist");
  command.add_flag("--configurer-policy", args.configurer_policy,
                   "Also write the identity policy of whoever sets the export up");
  command
      .add_option("--merge", args.merge,
                  "Complete this existing key or bucket policy in place instead (repeatable): "
                  "what the export needs is added, its other statements kept")
      ->check(CLI::ExistingFile)
      ->allow_extra_args(false);
  command.add_flag("--diff", args.diff, "With --merge: print the changes as a diff, write nothing");
  add_settings_options(command, args.settings);
}

namespace {

struct OutputFile {
  std::string name;
  std::string content;
};

// --merge: the checks know what an export needs, and their fixes (unsafe ones included: adding
// statements is what was asked) add it, so a merged policy is what `check` accepts.
int merge_into(const InitArgs& args, exportcfg::ExportSettings settings, std::ostream& out,
               std::ostream& err) {
  LintOptions options;
  options.export_declared = true;
  analysis::CheckRequest request;
  request.paths = args.merge;
  request.settings = std::move(settings);
  request.options = &options;
  request.jobs = 1;
  request.keep_verdicts = true;  // which documents were the export's, below
  Report report;
  const analysis::FixOutcome outcome =
      analysis::check_and_fix(request, {.unsafe = true, .write = !args.diff}, report);
  for (const std::string& problem : outcome.errors)
    err << fmt::format("gd-export-lint: error: {}\n", problem);
  for (const InputError& e : report.input_errors)
    err << fmt::format("gd-export-lint: error: cannot read {}: {}\n", e.path, e.message);
  if (!outcome.errors.empty() || !report.input_errors.empty()) return kExitUsage;
  if (args.diff) {
    for (const analysis::ChangedFile& file : outcome.files) {
      out << unified_diff(file.before, file.after, diff_name("a/", file.path),
                          diff_name("b/", file.path));
    }
  }
  write_fix_summary(outcome, args.diff, args.diff ? err : out);
  // A file none of whose policies was taken for the export's key or bucket policy (a Terraform
  // key that names no GuardDuty principal and no destination names) was not completed: said so,
  // not "Fixed 0 findings" with success.
  std::vector<std::string> export_files;
  report.setups.for_each([&](const SetupVerdict& v) {
    for (const std::string& file : v.documents) export_files.push_back(overlay_key(file));
  });
  bool unmerged = false;
  for (const std::string& path : args.merge) {
    const std::string key = overlay_key(path);
    const bool changed = std::any_of(outcome.files.begin(), outcome.files.end(),
                                     [&](const auto& f) { return overlay_key(f.path) == key; });
    if (changed || std::find(export_files.begin(), export_files.end(), key) != export_files.end())
      continue;
    err << fmt::format(
        "gd-export-lint: error: {}: no policy in it was taken for the export's key or bucket "
        "policy, so nothing was merged into it (`check -v {}` says how it was read)\n",
        escape_for_terminal(path), escape_for_terminal(path));
    unmerged = true;
  }
  if (unmerged) return kExitUsage;
  // What remains in the merged files (the files beside them were only read).
  std::vector<std::string> merged;
  for (const std::string& path : args.merge) merged.push_back(overlay_key(path));
  const std::size_t left = static_cast<std::size_t>(
      std::count_if(report.diagnostics.begin(), report.diagnostics.end(), [&](const Diagnostic& d) {
        return d.severity == Severity::error &&
               std::find(merged.begin(), merged.end(), overlay_key(d.location.file)) !=
                   merged.end();
      }));
  if (left > 0) {
    (args.diff ? err : out) << fmt::format(
        "{} error{} remain: gd-export-lint check {} shows them\n", left, left == 1 ? "" : "s",
        fmt::join(args.merge, " "));
  }
  return left > 0 ? kExitFindings : kExitClean;
}

}  // namespace

int run_init(const InitArgs& args, std::ostream& out, std::ostream& err) {
  exportcfg::ExportSettings settings;
  if (!args.settings.config.empty()) {
    LoadResult loaded = load_source(args.settings.config);
    if (auto* error = std::get_if<LoadError>(&loaded)) {
      err << fmt::format("gd-export-lint: error: cannot read --config {}: {}\n", error->path,
                         error->message);
      return kExitUsage;
    }
    exportcfg::ConfigResult config =
        exportcfg::read_config(*std::get<std::unique_ptr<SourceFile>>(loaded));
    if (!config.diagnostics.empty()) {
      for (const Diagnostic& d : config.diagnostics) {
        err << fmt::format("{}:{}:{}: error: {}\n", d.location.file, d.location.start.line,
                           d.location.start.column, d.message);
      }
      return kExitUsage;
    }
    settings = std::move(config.settings);
  }
  if (auto problem = apply_settings_flags(args.settings, settings)) {
    err << fmt::format("gd-export-lint: error: {}\n", *problem);
    return kExitUsage;
  }

  if (!args.merge.empty()) return merge_into(args, std::move(settings), out, err);
  if (args.diff) {
    err << "gd-export-lint: error: --diff goes with --merge\n";
    return kExitUsage;
  }

  const exportcfg::GeneratedSetup setup =
      exportcfg::generate_setup(settings, args.configurer_policy);
  std::vector<OutputFile> files;
  if (args.format == "json") {
    files.push_back({"key-policy.json", policy_json(setup.key_policy)});
    files.push_back({"bucket-policy.json", policy_json(setup.bucket_policy)});
    if (setup.configurer_policy)
      files.push_back({"configurer-policy.json", policy_json(*setup.configurer_policy)});
  } else if (args.format == "cloudformation") {
    files.push_back({"guardduty-export.yaml", cloudformation_template(setup)});
  } else {
    files.push_back({"guardduty-export.tf", terraform_file(setup)});
  }

  // Nothing is overwritten unless asked: all files are checked before any is written.
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(args.output_dir, ec);
  for (const OutputFile& f : files) {
    const fs::path path = fs::path(args.output_dir) / f.name;
    if (!args.force && fs::exists(path, ec)) {
      err << fmt::format("gd-export-lint: error: {} exists; --force overwrites it\n",
                         path.string());
      return kExitUsage;
    }
  }
  for (const OutputFile& f : files) {
    const fs::path path = fs::path(args.output_dir) / f.name;
    std::string error;
    if (!write_file_atomically(path.string(), f.content, error)) {
      err << fmt::format("gd-export-lint: error: {}\n", error);
      return kExitUsage;
    }
    out << fmt::format("wrote {}\n", escape_for_terminal(path.string()));
  }

  // A key the template creates needs no ARN: its reference is written instead.
  const bool key_created =
      args.format != "json" && (args.format == "cloudformation" || !setup.key_given);
  std::vector<exportcfg::Placeholder> placeholders;
  for (const exportcfg::Placeholder& p : setup.placeholders) {
    if (!(key_created && p.text == "<KEY_ARN>")) placeholders.push_back(p);
  }
  if (args.format == "cloudformation" && setup.key_given) {
    out << "note: CloudFormation cannot set the policy of an existing key: the template creates "
           "the key and the bucket requires it; use --format json or terraform to keep "
        << settings.key_arn.get() << "\n";
  }
  for (const exportcfg::Placeholder& p : placeholders) {
    out << fmt::format("placeholder {}: replace it, or give {} and run init again\n", p.text,
                       p.flag);
  }
  if (placeholders.empty()) {
    out << "check them with: gd-export-lint check " << args.output_dir << "\n";
  }
  return kExitClean;
}

}  // namespace gdl::cli
