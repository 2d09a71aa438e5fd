#include "report/diagnostic.h"

#include <tuple>

namespace gdl {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::note:
      return "note";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note") return Severity::note;
  if (text == "warning") return Severity::warning;
  if (text == "error") return Severity::error;
  return std::nullopt;
}

Location make_location(const SourceFile& source, Span span) {
  return Location{source.path(), span, source.position(span.begin), source.position(span.end)};
}

bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.location.file, a.location.span.begin, a.rule_id, a.message) <
         std::tie(b.location.file, b.location.span.begin, b.rule_id, b.message);
}

}  // namespace gdl
