// GitHub Actions workflow commands. Input text is escaped per the runner's rules
// (% \r \n in data; also : and , in properties) so a crafted policy cannot start a new command.

#include <fmt/format.h>

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

}  // namespace

void write_github(const Report& report, std::ostream& out) {
  for (const Diagnostic& d : report.diagnostics) {
    if (d.suppression_reason) continue;
    const Location& l = d.location;
    std::string message = escape_for_terminal(d.message);
    for (const RelatedLocation& r : d.related) {
      message += fmt::format("\nnote: {}:{}: {}", r.location.start.line, r.location.start.column,
                             escape_for_terminal(r.message));
    }
    for (const std::string& note : d.notes) message += "\nnote: " + escape_for_terminal(note);
    if (d.fix) message += "\nfix: " + escape_for_terminal(d.fix->description);
    out << fmt::format(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        style_of(d.severity).github_command, escape_property(escape_for_terminal(l.file)),
        l.start.line, l.start.column, l.end.line, l.end.column,
        escape_property(fmt::format("{} {}", d.rule_id, d.rule_name)), escape_data(message));
  }
  for (const InputError& e : report.input_errors) {
    out << fmt::format("::error file={},title=gd-export-lint::{}\n",
                       escape_property(escape_for_terminal(e.path)),
                       escape_data(escape_for_terminal("cannot read input: " + e.message)));
  }
}

}  // namespace gdl
