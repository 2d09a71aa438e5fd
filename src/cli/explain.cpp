#include <fmt/format.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "diag/rule_catalog.h"

namespace gdl::cli {

namespace {
std::string indent(std::string_view text) {
  std::string out = "    ";
  for (const char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}
}  // namespace

int run_explain(const std::string& name, std::ostream& out, std::ostream& err) {
  const RuleInfo* rule = find_rule(name);
  if (rule == nullptr) {
    err << fmt::format("gd-export-lint: error: unknown rule '{}' (see list-rules)\n", name);
    return kExitUsage;
  }
  out << fmt::format(
      "{} {} ({})\n\n{}\n\nWhy is this bad?\n{}\n\nExample:\n{}\n\nUse "
      "instead:\n{}\n\nFix:\n{}\n\nMore: {}\n",
      rule->id, rule->name, to_string(rule->severity), rule->summary, rule->why,
      indent(rule->example_bad), indent(rule->example_good), rule->fix, rule_help_uri(*rule));
  return 0;
}

}  // namespace gdl::cli
