// GitLab Code Quality (a JSON array of issues, shown in merge requests): each finding with its
// description, the rule as check_name, a fingerprint unique in the report, a severity and its
// file and line. Suppressed findings are left out (GitLab has no "suppressed" state).

#include <fmt/format.h>

#include <map>

#include "report/json_writer.h"
#include "report/report.h"

namespace gdl {

void write_gitlab(const Report& report, std::ostream& out) {
  JsonOut j(out);
  j.begin_array();
  std::map<std::string, std::size_t, std::less<>> seen;
  for (const Diagnostic& d : report.diagnostics) {
    if (d.suppression_reason) continue;
    // Two findings with one fingerprint (the same rule twice in a statement) stay two issues.
    std::string print = fingerprint(d);
    if (const std::size_t n = seen[print]++; n > 0) print += fmt::format("-{}", n);
    j.begin_object();
    j.field("description", fmt::format("{} [{} {}]", d.message, d.rule_id, d.rule_name));
    j.field("check_name", d.rule_id);
    j.field("fingerprint", print);
    // An export that fails is critical, a hardening gap major, an assumption or style info.
    j.field("severity", d.severity == Severity::error     ? "critical"
                        : d.severity == Severity::warning ? "major"
                                                          : "info");
    j.key("location");
    j.begin_object();
    j.field("path", d.location.file);
    j.key("lines");
    j.begin_object();
    j.field("begin", d.location.start.line);
    j.field("end", d.location.end.line);
    j.end_object();
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.finish();
  out << '\n';
}

}  // namespace gdl
