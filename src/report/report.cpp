#include "report/report.h"

namespace gdl {
namespace {

void write_all(const Report& report, ReportStream& stream) {
  for (const Diagnostic& d : report.diagnostics) stream.finding(d, report.source(d.location.file));
  stream.finish(report);
}

}  // namespace

std::unique_ptr<ReportStream> open_report_stream(OutputFormat format, const FormatOptions& options,
                                                 std::ostream& out) {
  switch (format) {
    case OutputFormat::text:
      return open_text_stream(options, out);
    case OutputFormat::json:
      return open_json_stream(out);
    case OutputFormat::sarif:
      return open_sarif_stream(out);
    case OutputFormat::github:
      return open_github_stream(out);
    case OutputFormat::junit:
      return open_junit_stream(out);
    case OutputFormat::gitlab:
      return open_gitlab_stream(out);
  }
  return open_text_stream(options, out);
}

void write_report(const Report& report, OutputFormat format, const FormatOptions& options,
                  std::ostream& out) {
  write_all(report, *open_report_stream(format, options, out));
}

void write_text(const Report& report, const FormatOptions& options, std::ostream& out) {
  write_all(report, *open_text_stream(options, out));
}
void write_json(const Report& report, std::ostream& out) {
  write_all(report, *open_json_stream(out));
}
void write_sarif(const Report& report, std::ostream& out) {
  write_all(report, *open_sarif_stream(out));
}
void write_github(const Report& report, std::ostream& out) {
  write_all(report, *open_github_stream(out));
}
void write_junit(const Report& report, std::ostream& out) {
  write_all(report, *open_junit_stream(out));
}
void write_gitlab(const Report& report, std::ostream& out) {
  write_all(report, *open_gitlab_stream(out));
}

}  // namespace gdl
