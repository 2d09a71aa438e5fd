#include "report/report.h"

namespace gdl {

Summary Report::summary() const {
  Summary s;
  s.files = files_checked;
  s.skipped = files_skipped;
  s.baselined = baselined;
  for (const Diagnostic& d : diagnostics) {
    if (d.suppression_reason) {
      ++s.suppressed;
      continue;
    }
    switch (d.severity) {
      case Severity::error:
        ++s.errors;
        break;
      case Severity::warning:
        ++s.warnings;
        break;
      case Severity::note:
        ++s.notes;
        break;
    }
  }
  return s;
}

const SourceFile* Report::source(std::string_view path) const {
  auto it = sources.find(path);
  return it == sources.end() ? nullptr : it->second.get();
}

void write_report(const Report& report, OutputFormat format, const FormatOptions& options,
                  std::ostream& out) {
  switch (format) {
    case OutputFormat::text:
      write_text(report, options, out);
      break;
    case OutputFormat::json:
      write_json(report, out);
      break;
    case OutputFormat::sarif:
      write_sarif(report, out);
      break;
    case OutputFormat::github:
      write_github(report, out);
      break;
  }
}

}  // namespace gdl
