// `gd-export-lint verify`: who else can write, read or decrypt the findings, which statements
// never apply, and (with --against) what a change newly grants; every answer that is not
// "nobody" with a witness request `simulate` confirms.

#include "analysis/verify.h"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <filesystem>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/verify_report.h"

namespace gdl::cli {

void add_verify_options(CLI::App& command, VerifyArgs& args) {
  command
      .add_option("PATH", args.check.paths,
                  "Policy files (one export setup) or directories to scan, as check takes them")
      ->required();
  command.add_option("-f,--format", args.check.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  command.add_option(
      "--against", args.against,
      "The policies before a change: files in the order of PATH, or git:REV for the same paths; "
      "shows each request the change newly allows");
  command.add_option(
      "--project-config", args.check.project_config,
      "The project configuration (default: .gd-export-lint.json, searched upwards from here)");
  add_settings_options(command, args.check);
  add_terraform_options(command, args.check);
  command
      .add_option("--kind", args.check.kind,
                  "Treat every document as this kind instead of detecting it")
      ->check(CLI::IsMember({"key", "bucket", "identity"}));
}

namespace {

// `git show REV:PATH` of each file into a temporary directory; the new paths, or an error.
class GitCopies {
 public:
  ~GitCopies() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  bool fetch(const std::string& rev, const std::vector<std::string>& paths,
             std::vector<std::string>& out, std::string& error) {
    std::array<char, 64> name{};
    fmt::format_to_n(name.data(), name.size() - 1, "/tmp/gd-export-lint-XXXXXX");
    if (mkdtemp(name.data()) == nullptr) {
      error = "cannot create a temporary directory";
      return false;
    }
    dir_ = name.data();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const std::filesystem::path path(paths[i]);
      if (rev.find_first_of("'\"\\$`") != std::string::npos ||
          paths[i].find_first_of("'\"\\$`") != std::string::npos) {
        error = "a revision or path with quotes cannot be passed to git";
        return false;
      }
      const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
      const std::string target = fmt::format("{}/{}-{}", dir_, i, path.filename().string());
      const std::string command = fmt::format("git -C '{}' show '{}:./{}' > '{}' 2>/dev/null", dir,
                                              rev, path.filename().string(), target);
      if (std::system(command.c_str()) != 0) {
        error = fmt::format("git cannot show {} at {}", paths[i], rev);
        return false;
      }
      out.push_back(target);
    }
    return true;
  }

 private:
  std::string dir_;
};

}  // namespace

int run_verify(const VerifyArgs& args, std::ostream& out, std::ostream& err) {
  LintOptions lint_options;
  if (!lint_options_from(args.check, lint_options, err)) return kExitUsage;
  analysis::ProjectConfigResult project = analysis::load_project_config(args.check.project_config);
  if (!project.diagnostics.empty()) {
    err << "gd-export-lint: error: the project configuration is invalid; run check for details\n";
    return kExitUsage;
  }
  const analysis::ProjectConfig* config = project.config ? &*project.config : nullptr;
  Report problems;
  bool config_invalid = false;
  analysis::CheckRequest request;
  if (!settings_from(args.check, config, request.settings, config_invalid, problems, err) ||
      config_invalid) {
    err << "gd-export-lint: error: the export settings cannot be read; run check for details\n";
    return kExitUsage;
  }
  request.paths = args.check.paths;
  request.options = &lint_options;
  request.project = config;
  request.jobs = 1;
  analysis::VerifyRun run = analysis::verify(request);

  GitCopies copies;
  if (!args.against.empty()) {
    analysis::CheckRequest old = request;
    old.paths.clear();
    if (args.against.starts_with("git:")) {
      std::string error;
      if (!copies.fetch(args.against.substr(4), args.check.paths, old.paths, error)) {
        err << fmt::format("gd-export-lint: error: --against {}: {}\n", args.against, error);
        return kExitUsage;
      }
    } else {
      old.paths.push_back(args.against);
    }
    const analysis::VerifyRun before = analysis::verify(old);
    // A change cannot be proved against policies that were not read: say so, never "nothing new".
    for (const InputError& e : before.check_report.input_errors)
      err << fmt::format("gd-export-lint: error: --against {}: {}\n", e.path, e.message);
    if (!before.check_report.input_errors.empty()) return kExitUsage;
    if (before.documents.empty()) {
      err << fmt::format(
          "gd-export-lint: error: --against {}: no bucket or key policy of a GuardDuty export "
          "setup was found there (run check on it for why)\n",
          args.against);
      return kExitUsage;
    }
    analysis::compare(before, run, args.against.starts_with("git:"));
  }

  const Summary summary = run.check_report.summary();
  if (summary.errors > 0) {
    err << fmt::format(
        "gd-export-lint: note: check reports {} error(s) for these inputs; run `gd-export-lint "
        "check` for them\n",
        summary.errors);
  }
  if (run.documents.empty()) {
    err << "gd-export-lint: no bucket or key policy of a GuardDuty export setup was found in the "
           "inputs: nothing to verify\n";
    // A machine-readable format still gets a document (empty), so a CI step that reads it does
    // not fail on an empty file; the exit code says what happened.
    if (args.check.format == "json") write_verify_json(run, out);
    if (args.check.format == "sarif") write_verify_sarif(run, out);
    return kExitUsage;
  }
  if (args.check.format == "json") {
    write_verify_json(run, out);
  } else if (args.check.format == "sarif") {
    write_verify_sarif(run, out);
  } else {
    write_verify_text(run, out);
  }
  return run.has_findings() ? kExitFindings : kExitClean;
}

}  // namespace gdl::cli
