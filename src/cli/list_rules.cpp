// `gd-export-lint list-rules`: every rule, as a table or as JSON.

#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.h"
#include "diag/rule_catalog.h"
#include "report/json_writer.h"

namespace gdl::cli {

int run_list_rules(const std::string& format, std::ostream& out) {
  const auto rules = all_rules();
  if (format == "json") {
    JsonOut j(out);
    j.begin_array();
    for (const RuleInfo& rule : rules) {
      j.begin_object();
      j.field("id", rule.id);
      j.field("name", rule.name);
      j.field("severity", to_string(rule.severity));
      j.field("summary", rule.summary);
      j.field("fixKind", to_string(rule.fix_kind));
      j.field("helpUri", rule_help_uri(rule));
      j.end_object();
    }
    j.end_array();
    j.finish();
    out << '\n';
    return 0;
  }
  // Columns as wide as their longest entry, so a long name never shifts the rest.
  std::size_t name_width = 4;
  for (const RuleInfo& rule : rules) name_width = std::max(name_width, rule.name.size());
  out << fmt::format("{:<6} {:<{}} {:<8} {}\n", "id", "name", name_width, "severity", "summary");
  for (const RuleInfo& rule : rules) {
    out << fmt::format("{:<6} {:<{}} {:<8} {}\n", rule.id, rule.name, name_width,
                       to_string(rule.severity), rule.summary);
  }
  return 0;
}

}  // namespace gdl::cli
