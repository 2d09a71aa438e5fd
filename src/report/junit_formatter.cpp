// JUnit XML (GitLab test reports, Jenkins, Azure Pipelines): one test case per finding, failed
// for errors and warnings; a suppressed finding is skipped; a run without findings is one passed
// test case, so the report is never empty.

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <sstream>

#include "report/report.h"
#include "util/text.h"

namespace gdl {
namespace {

// XML 1.0 text: the five escapes, and characters XML cannot hold at all dropped (input text may
// hold control characters); invalid UTF-8 (a file name's byte 0xFF) becomes U+FFFD, as in the
// JSON and SARIF reports, or the document is not well-formed.
std::string xml(std::string_view text) {
  if (!is_valid_utf8(text)) return xml(sanitize_utf8(text));
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

// The suite's counts come first in the XML, so the test cases are spooled to a temporary file
// (memory stays flat however many findings there are) and copied after the counts.
class JunitStream final : public ReportStream {
 public:
  explicit JunitStream(std::ostream& out) : out_(out), spool_(std::tmpfile(), &std::fclose) {}

  void finding(const Diagnostic& d, const SourceFile* /*source*/) override {
    ++cases_;
    const Location& l = d.location;
    std::string testcase = fmt::format(
        "    <testcase classname=\"{}\" name=\"{} {} at {}:{}\" file=\"{}\" line=\"{}\">",
        xml(l.file), d.rule_id, xml(d.rule_name), l.start.line, l.start.column, xml(l.file),
        l.start.line);
    std::string details = fmt::format("{}:{}:{}: {}: {}", l.file, l.start.line, l.start.column,
                                      to_string(d.severity), d.message);
    for (const std::string& note : d.notes) details += "\nnote: " + note;
    if (d.fix) details += "\nfix: " + d.fix->description;
    if (d.suppression_reason) {
      testcase += fmt::format("<skipped message=\"suppressed: {}\"/>", xml(*d.suppression_reason));
    } else if (d.severity == Severity::note) {
      testcase += fmt::format("<system-out>{}</system-out>", xml(details));
    } else {
      testcase += fmt::format("<failure type=\"{}\" message=\"{}\">{}</failure>",
                              to_string(d.severity), xml(d.message), xml(details));
    }
    testcase += "</testcase>\n";
    // Without a temporary file (none could be made, or the disk is full), held in memory.
    if (spool_ && !spool_failed_ &&
        std::fwrite(testcase.data(), 1, testcase.size(), spool_.get()) == testcase.size())
      return;
    if (spool_ && !spool_failed_) {
      // The spool failed (a full disk): what it holds moves to memory, in order.
      spool_failed_ = true;
      std::ostringstream spooled;
      copy_spool(spooled);
      held_ = std::move(spooled).str();
      const std::size_t partial = held_.rfind("</testcase>\n");
      held_.resize(partial == std::string::npos ? 0 : partial + 12);
    }
    held_ += testcase;
  }

  void finish(const Report& report) override {
    const Summary s = report.summary();
    const std::size_t failures = s.errors + s.warnings;
    const std::size_t cases = std::max<std::size_t>(1, cases_) + report.input_errors.size();
    out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out_ << fmt::format(
        "<testsuites name=\"gd-export-lint\" tests=\"{0}\" failures=\"{1}\" errors=\"{2}\">\n"
        "  <testsuite name=\"gd-export-lint\" tests=\"{0}\" failures=\"{1}\" errors=\"{2}\" "
        "skipped=\"{3}\">\n",
        cases, failures, report.input_errors.size(), s.suppressed);
    if (spool_ && !spool_failed_) copy_spool(out_);
    out_ << held_;
    for (const InputError& e : report.input_errors) {
      out_ << fmt::format(
          "    <testcase classname=\"{0}\" name=\"read {0}\"><error type=\"input\" "
          "message=\"{1}\"/></testcase>\n",
          xml(e.path), xml(e.message));
    }
    if (cases_ == 0) {
      out_ << fmt::format(
          "    <testcase classname=\"gd-export-lint\" name=\"{} files checked\"/>\n", s.files);
    }
    out_ << "  </testsuite>\n</testsuites>\n";
  }

 private:
  // The spooled testcases, copied in blocks.
  void copy_spool(std::ostream& to) {
    std::fflush(spool_.get());
    std::rewind(spool_.get());
    char buffer[1 << 16];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, spool_.get())) > 0;)
      to.write(buffer, static_cast<std::streamsize>(n));
  }

  std::ostream& out_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> spool_;
  bool spool_failed_ = false;  // then every testcase is held (spooled ones written again)
  std::string held_;
  std::size_t cases_ = 0;
};

}  // namespace

std::unique_ptr<ReportStream> open_junit_stream(std::ostream& out) {
  return std::make_unique<JunitStream>(out);
}

}  // namespace gdl
