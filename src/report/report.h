#pragma once
// The formatters: text, JSON, SARIF and GitHub annotations of a run's results. Formatters
// never judge and never parse: they only render.

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/results.h"

namespace gdl {

enum class OutputFormat { text, json, sarif, github, junit, gitlab };

struct FormatOptions {
  bool color = false;
  bool quiet = false;    // text: one line per diagnostic, no summary
  bool verbose = false;  // text: also the export settings and where each came from
};

// A report written while the run goes on: the findings one at a time in path order (with their
// file's text when the run kept it, for the text format's lines), then the rest of the report
// (counts, inputs that could not be read, settings, notes, verdicts) when the run ends. Only
// what a format must print after the findings is held (GitHub's ten annotations of each
// kind, JUnit's testcases, spooled to a temporary file for its counts), so memory does not
// grow with the number of findings.
class ReportStream {
 public:
  ReportStream() = default;
  ReportStream(const ReportStream&) = delete;
  ReportStream& operator=(const ReportStream&) = delete;
  virtual ~ReportStream() = default;
  virtual void finding(const Diagnostic& diagnostic, const SourceFile* source) = 0;
  // `report` holds what was not streamed; its summary() counts the streamed findings too.
  virtual void finish(const Report& report) = 0;
};

std::unique_ptr<ReportStream> open_report_stream(OutputFormat format, const FormatOptions& options,
                                                 std::ostream& out);
std::unique_ptr<ReportStream> open_text_stream(const FormatOptions& options, std::ostream& out);
std::unique_ptr<ReportStream> open_json_stream(std::ostream& out);
std::unique_ptr<ReportStream> open_sarif_stream(std::ostream& out);
std::unique_ptr<ReportStream> open_github_stream(std::ostream& out);
std::unique_ptr<ReportStream> open_junit_stream(std::ostream& out);
std::unique_ptr<ReportStream> open_gitlab_stream(std::ostream& out);

// A whole report at once (its findings through the same streams).
void write_text(const Report& report, const FormatOptions& options, std::ostream& out);
void write_json(const Report& report, std::ostream& out);
void write_sarif(const Report& report, std::ostream& out);
void write_github(const Report& report, std::ostream& out);
void write_junit(const Report& report, std::ostream& out);
void write_gitlab(const Report& report, std::ostream& out);

void write_report(const Report& report, OutputFormat format, const FormatOptions& options,
                  std::ostream& out);

}  // namespace gdl
