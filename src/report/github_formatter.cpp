// GitHub Actions workflow commands. Input text is escaped per the runner's rules
// (% \r \n in data; also : and , in properties) so a crafted policy cannot start a new command.

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

#include "report/report.h"
#include "util/text.h"

namespace gdl {
namespace {

// Percent-encodes what the runner would interpret. Input text reaches here already passed
// through escape_for_terminal, so the only raw line breaks are the ones we put in.
std::string escape_data(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (const char c : escape_data(text)) {
    switch (c) {
      case ':':
        out += "%3A";
        break;
      case ',':
        out += "%2C";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// GitHub shows at most 10 error and 10 warning annotations per step (and as many notices):
// the most severe are annotated first, and what does not fit is counted in a notice and listed
// in the job summary ($GITHUB_STEP_SUMMARY), never dropped without a word.
constexpr std::size_t kAnnotationsPerSeverity = 10;

std::string annotation(const Diagnostic& d) {
  const Location& l = d.location;
  std::string message = escape_for_terminal(d.message);
  for (const RelatedLocation& r : d.related) {
    message += fmt::format("\nnote: {}:{}: {}", r.location.start.line, r.location.start.column,
                           escape_for_terminal(r.message));
  }
  for (const std::string& note : d.notes) message += "\nnote: " + escape_for_terminal(note);
  if (d.fix) message += "\nfix: " + escape_for_terminal(d.fix->description);
  return fmt::format(
      "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
      style_of(d.severity).github_command, escape_property(escape_for_terminal(l.file)),
      l.start.line, l.start.column, l.end.line, l.end.column,
      escape_property(fmt::format("{} {}", d.rule_id, d.rule_name)), escape_data(message));
}

// A Markdown table cell: no line breaks, no column separators.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : escape_for_terminal(text)) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void write_step_summary(const Report& report, std::size_t shown, std::ostream& out) {
  const Summary s = report.summary();
  out << "## gd-export-lint\n\n";
  out << fmt::format("{} files checked: **{} errors**, {} warnings, {} notes", s.files, s.errors,
                     s.warnings, s.notes);
  if (!report.input_errors.empty())
    out << fmt::format(", {} inputs could not be read", report.input_errors.size());
  out << fmt::format(" ({} annotated on the pull request)\n\n", shown);
  if (report.diagnostics.empty()) return;
  out << "| severity | location | rule | finding |\n|---|---|---|---|\n";
  std::size_t rows = 0;
  for (const Diagnostic& d : report.diagnostics) {
    if (d.suppression_reason) continue;
    if (++rows > 1000) {
      out << "| | | | more findings: see the SARIF or JSON report |\n";
      break;
    }
    out << fmt::format("| {} | `{}:{}:{}` | {} {} | {} |\n", to_string(d.severity),
                       cell(d.location.file), d.location.start.line, d.location.start.column,
                       d.rule_id, d.rule_name, cell(d.message));
  }
  out << '\n';
}

}  // namespace

void write_github(const Report& report, std::ostream& out) {
  std::size_t annotated[3] = {0, 0, 0};
  std::size_t omitted[3] = {0, 0, 0};
  std::string notices;
  for (const Severity severity : {Severity::error, Severity::warning, Severity::note}) {
    const auto level = static_cast<std::size_t>(severity);
    for (const Diagnostic& d : report.diagnostics) {
      if (d.suppression_reason || d.severity != severity) continue;
      // One notice is kept for the count of what was left out.
      if (annotated[level] == kAnnotationsPerSeverity - (severity == Severity::note ? 1 : 0)) {
        ++omitted[level];
        continue;
      }
      ++annotated[level];
      if (severity == Severity::note) {
        notices += annotation(d);
      } else {
        out << annotation(d);
      }
    }
  }
  const std::size_t left = omitted[0] + omitted[1] + omitted[2];
  if (left > 0) {
    out << fmt::format(
        "::notice title=gd-export-lint::{} more findings ({} errors, {} warnings, {} notes) are "
        "not annotated: GitHub shows at most 10 of each kind per step. The job summary lists "
        "them all; --format sarif uploads them to code scanning.\n",
        left, omitted[2], omitted[1], omitted[0]);
  }
  out << notices;
  for (const InputError& e : report.input_errors) {
    out << fmt::format("::error file={},title=gd-export-lint::{}\n",
                       escape_property(escape_for_terminal(e.path)),
                       escape_data(escape_for_terminal("cannot read input: " + e.message)));
  }
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
      summary != nullptr && *summary != '\0') {
    std::ofstream file(summary, std::ios::app);
    if (file) write_step_summary(report, annotated[0] + annotated[1] + annotated[2], file);
  }
}

}  // namespace gdl
