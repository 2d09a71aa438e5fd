// JUnit XML (GitLab test reports, Jenkins, Azure Pipelines): one test case per finding, failed
// for errors and warnings; a suppressed finding is skipped; a run without findings is one passed
// test case, so the report is never empty.

#include <fmt/format.h>

#include "report/report.h"
#include "util/text.h"

namespace gdl {
namespace {

// XML 1.0 text: the five escapes, and characters XML cannot hold at all dropped (input text may
// hold control characters).
std::string xml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') continue;
        out += c;
    }
  }
  return out;
}

}  // namespace

void write_junit(const Report& report, std::ostream& out) {
  const Summary s = report.summary();
  const std::size_t failures = s.errors + s.warnings;
  const std::size_t cases =
      std::max<std::size_t>(1, report.diagnostics.size()) + report.input_errors.size();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<testsuites name=\"gd-export-lint\" tests=\"{0}\" failures=\"{1}\" errors=\"{2}\">\n"
      "  <testsuite name=\"gd-export-lint\" tests=\"{0}\" failures=\"{1}\" errors=\"{2}\" "
      "skipped=\"{3}\">\n",
      cases, failures, report.input_errors.size(), s.suppressed);
  for (const Diagnostic& d : report.diagnostics) {
    const Location& l = d.location;
    out << fmt::format(
        "    <testcase classname=\"{}\" name=\"{} {} at {}:{}\" file=\"{}\" line=\"{}\">",
        xml(l.file), d.rule_id, xml(d.rule_name), l.start.line, l.start.column, xml(l.file),
        l.start.line);
    std::string details = fmt::format("{}:{}:{}: {}: {}", l.file, l.start.line, l.start.column,
                                      to_string(d.severity), d.message);
    for (const std::string& note : d.notes) details += "\nnote: " + note;
    if (d.fix) details += "\nfix: " + d.fix->description;
    if (d.suppression_reason) {
      out << fmt::format("<skipped message=\"suppressed: {}\"/>", xml(*d.suppression_reason));
    } else if (d.severity == Severity::note) {
      out << fmt::format("<system-out>{}</system-out>", xml(details));
    } else {
      out << fmt::format("<failure type=\"{}\" message=\"{}\">{}</failure>", to_string(d.severity),
                         xml(d.message), xml(details));
    }
    out << "</testcase>\n";
  }
  for (const InputError& e : report.input_errors) {
    out << fmt::format(
        "    <testcase classname=\"{0}\" name=\"read {0}\"><error type=\"input\" "
        "message=\"{1}\"/></testcase>\n",
        xml(e.path), xml(e.message));
  }
  if (report.diagnostics.empty()) {
    out << fmt::format("    <testcase classname=\"gd-export-lint\" name=\"{} files checked\"/>\n",
                       s.files);
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace gdl
