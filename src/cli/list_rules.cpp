#include <fmt/format.h>

#include "cli/commands.h"
#include "diag/rule_catalog.h"

namespace gdl::cli {

int run_list_rules(std::ostream& out) {
  for (const RuleInfo& rule : all_rules()) {
    out << fmt::format("{}  {:<24} {:<8} {}\n", rule.id, rule.name, to_string(rule.severity),
                       rule.summary);
  }
  return 0;
}

}  // namespace gdl::cli
