// `gd-export-lint check`: load each input, lint it, render the report, choose the exit code.

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/report.h"
#include "report/rule_catalog.h"
#include "rules/engine.h"
#include "source/loader.h"

namespace gdl::cli {

void add_check_options(CLI::App& command, CheckArgs& args) {
  command.add_option("PATH", args.paths, "Policy files to check ('-' reads standard input)")
      ->required();
  command.add_option("-f,--format", args.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
  command.add_option("-o,--output", args.output,
                     "Write the report to FILE instead of standard output");
  command.add_option("--fail-on", args.fail_on, "Lowest severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}))
      ->capture_default_str();
  command
      .add_option("--disable", args.disable, "Rules to turn off, by id or name (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  command.add_option("--color", args.color, "Colour in text output (NO_COLOR is honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", args.quiet, "Text output: one line per finding, no summary");
}

namespace {

OutputFormat parse_format(std::string_view name) {
  if (name == "json") return OutputFormat::json;
  if (name == "sarif") return OutputFormat::sarif;
  if (name == "github") return OutputFormat::github;
  return OutputFormat::text;
}

bool use_color(const CheckArgs& args, bool stdout_is_tty) {
  if (args.color == "always") return true;
  if (args.color == "never" || !args.output.empty() || args.format != "text") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return stdout_is_tty;
}

// Writes to a temporary file beside the target and renames it, so an interrupted run never
// leaves a half-written report in place of the old one.
bool write_file_atomically(const std::string& path, const std::string& content, std::ostream& err) {
  const std::string temporary = path + ".gd-export-lint.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(content.data(), static_cast<std::streamsize>(content.size())) ||
        !out.flush()) {
      err << fmt::format("gd-export-lint: error: cannot write {}\n", path);
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    err << fmt::format("gd-export-lint: error: cannot write {}\n", path);
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace

int run_check(const CheckArgs& args, std::ostream& out, std::ostream& err, bool stdout_is_tty) {
  LintOptions lint_options;
  for (const std::string& name : args.disable) {
    const RuleInfo* rule = find_rule(name);
    if (rule == nullptr) {
      err << fmt::format("gd-export-lint: error: --disable: unknown rule '{}' (see list-rules)\n",
                         name);
      return kExitUsage;
    }
    lint_options.disabled_rules.insert(rule->id);
  }

  Report report;
  for (const std::string& path : args.paths) {
    LoadResult loaded = load_source(path);
    if (auto* error = std::get_if<LoadError>(&loaded)) {
      report.input_errors.push_back({error->path, error->message});
      continue;
    }
    auto source = std::move(std::get<std::unique_ptr<SourceFile>>(loaded));
    if (report.sources.contains(source->path())) continue;  // named twice: check once
    std::vector<Diagnostic> found = lint_source(*source, lint_options);
    report.diagnostics.insert(report.diagnostics.end(), std::make_move_iterator(found.begin()),
                              std::make_move_iterator(found.end()));
    ++report.files_checked;
    report.sources.emplace(source->path(), std::move(source));
  }
  std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(), diagnostic_less);

  const FormatOptions format_options{use_color(args, stdout_is_tty), args.quiet};
  if (args.output.empty()) {
    write_report(report, parse_format(args.format), format_options, out);
    out.flush();
  } else {
    std::ostringstream buffer;
    write_report(report, parse_format(args.format), format_options, buffer);
    if (!write_file_atomically(args.output, buffer.str(), err)) return kExitUsage;
  }
  if (!report.input_errors.empty()) {
    for (const InputError& e : report.input_errors) {
      err << fmt::format("gd-export-lint: error: cannot read {}: {}\n", e.path, e.message);
    }
    return kExitUsage;
  }
  if (args.fail_on == "never") return kExitClean;
  const Severity threshold = parse_severity(args.fail_on).value_or(Severity::error);
  for (const Diagnostic& d : report.diagnostics) {
    if (d.severity >= threshold) return kExitFindings;
  }
  return kExitClean;
}

}  // namespace gdl::cli
