#include "report/report.h"

namespace gdl {

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
    case OutputFormat::junit:
      write_junit(report, out);
      break;
    case OutputFormat::gitlab:
      write_gitlab(report, out);
      break;
  }
}

}  // namespace gdl
