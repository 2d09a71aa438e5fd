// GitHub Actions workflow commands. Input text is escaped per the runner's rules
// (% \r \n in data; also : and , in properties) so a crafted policy cannot start a new command.

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <vector>

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

// A file property must name the file as it is for the annotation to attach to it: line breaks
// are escaped the runner's way (%0A), not shown as \x0a; other control characters are still
// made harmless for the log.
std::string file_property(std::string_view path) {
  std::string shown;
  while (!path.empty()) {
    const std::size_t brk = std::min(path.find_first_of("\r\n"), path.size());
    shown += escape_for_terminal(path.substr(0, brk));
    if (brk < path.size()) shown += path[brk];
    path.remove_prefix(std::min(brk + 1, path.size()));
  }
  return escape_property(shown);
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
  return fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                     style_of(d.severity).github_command, file_property(l.file), l.start.line,
                     l.start.column, l.end.line, l.end.column,
                     escape_property(fmt::format("{} {}", d.rule_id, d.rule_name)),
                     escape_data(message));
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

constexpr std::size_t kStepSummaryRows = 1000;

// Annotations are printed most severe first, so those that fit are held until the run ends
// (at most ten of each kind), with the job summary's table (at most 1000 rows).
class GithubStream final : public ReportStream {
 public:
  explicit GithubStream(std::ostream& out) : out_(out) {}

  void finding(const Diagnostic& d, const SourceFile* /*source*/) override {
    if (d.suppression_reason) return;
    const auto level = static_cast<std::size_t>(d.severity);
    // One notice is kept for the count of what was left out.
    if (annotated_[level].size() ==
        kAnnotationsPerSeverity - (d.severity == Severity::note ? 1 : 0)) {
      ++omitted_[level];
    } else {
      annotated_[level].push_back(annotation(d));
    }
    if (++rows_ > kStepSummaryRows) return;
    table_ += fmt::format("| {} | `{}:{}:{}` | {} {} | {} |\n", to_string(d.severity),
                          cell(d.location.file), d.location.start.line, d.location.start.column,
                          d.rule_id, d.rule_name, cell(d.message));
  }

  void finish(const Report& report) override {
    for (const Severity severity : {Severity::error, Severity::warning}) {
      for (const std::string& a : annotated_[static_cast<std::size_t>(severity)]) out_ << a;
    }
    const std::size_t left = omitted_[0] + omitted_[1] + omitted_[2];
    if (left > 0) {
      out_ << fmt::format(
          "::notice title=gd-export-lint::{} more findings ({} errors, {} warnings, {} notes) are "
          "not annotated: GitHub shows at most 10 of each kind per step. The job summary lists "
          "them all; --format sarif uploads them to code scanning.\n",
          left, omitted_[2], omitted_[1], omitted_[0]);
    }
    for (const std::string& a : annotated_[static_cast<std::size_t>(Severity::note)]) out_ << a;
    for (const InputError& e : report.input_errors) {
      out_ << fmt::format("::error file={},title=gd-export-lint::{}\n", file_property(e.path),
                          escape_data(escape_for_terminal("cannot read input: " + e.message)));
    }
    if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
        summary != nullptr && *summary != '\0') {
      std::ofstream file(summary, std::ios::app);
      if (file) write_step_summary(report, file);
    }
  }

 private:
  void write_step_summary(const Report& report, std::ostream& out) const {
    const Summary s = report.summary();
    out << "## gd-export-lint\n\n";
    out << fmt::format("{} files checked: **{} errors**, {} warnings, {} notes", s.files, s.errors,
                       s.warnings, s.notes);
    if (!report.input_errors.empty())
      out << fmt::format(", {} inputs could not be read", report.input_errors.size());
    const std::size_t shown = annotated_[0].size() + annotated_[1].size() + annotated_[2].size();
    out << fmt::format(" ({} annotated on the pull request)\n\n", shown);
    if (rows_ == 0) return;
    out << "| severity | location | rule | finding |\n|---|---|---|---|\n" << table_;
    if (rows_ > kStepSummaryRows) out << "| | | | more findings: see the SARIF or JSON report |\n";
    out << '\n';
  }

  std::ostream& out_;
  std::vector<std::string> annotated_[3];  // by Severity
  std::size_t omitted_[3] = {0, 0, 0};
  std::string table_;
  std::size_t rows_ = 0;
};

}  // namespace

std::unique_ptr<ReportStream> open_github_stream(std::ostream& out) {
  return std::make_unique<GithubStream>(out);
}

}  // namespace gdl
