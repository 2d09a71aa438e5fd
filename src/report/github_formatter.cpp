// GitHub Actions workflow commands. Input text is escaped per the runner's rules
// (% \r \n in data; also : and , in properties) so a crafted policy cannot start a new command.

#include <fmt/format.h>

#include <algorithm>

#include "report/report.h"
#include "util/text.h"

namespace gdl {
namespace {

// Our own line breaks become %0A; every other control character in input text is made visible
// by escape_for_terminal, so no raw CR/LF from a policy reaches the log.
std::string escape_data(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t newline = std::min(text.find('\n', start), text.size());
    for (const char c : escape_for_terminal(text.substr(start, newline - start))) {
      if (c == '%') {
        out += "%25";
      } else {
        out += c;
      }
    }
    if (newline == text.size()) break;
    out += "%0A";
    start = newline + 1;
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (const char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view command(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "notice";
  }
  return "error";
}

}  // namespace

void write_github(const Report& report, std::ostream& out) {
  for (const Diagnostic& d : report.diagnostics) {
    const Location& l = d.location;
    std::string message = d.message;
    for (const RelatedLocation& r : d.related) {
      message += fmt::format("\nnote: {}:{}: {}", r.location.start.line, r.location.start.column, r.message);
    }
    for (const std::string& note : d.notes) message += "\nnote: " + note;
    if (d.fix) message += "\nfix: " + d.fix->description;
    out << fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", command(d.severity),
                       escape_property(l.file), l.start.line, l.start.column, l.end.line, l.end.column,
                       escape_property(fmt::format("{} {}", d.rule_id, d.rule_name)), escape_data(message));
  }
  for (const InputError& e : report.input_errors) {
    out << fmt::format("::error file={},title=gd-export-lint::{}\n", escape_property(e.path),
                       escape_data("cannot read input: " + e.message));
  }
}

}  // namespace gdl
