#include "rules/engine.h"

#include <algorithm>

#include "json/parser.h"
#include "policy/builder.h"
#include "rules/policy_rule.h"

namespace gdl {

std::vector<Diagnostic> lint_source(const SourceFile& source, const LintOptions& options) {
  json::ParseResult parsed = json::parse(source);
  std::vector<Diagnostic> diagnostics = std::move(parsed.diagnostics);
  if (parsed.root) {
    policy::BuildResult built = policy::build_policy(*parsed.root, source);
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(built.diagnostics.begin()),
                       std::make_move_iterator(built.diagnostics.end()));
    if (built.policy) {
      const policy::Policy& policy = *built.policy;
      const bool resource_policy =
          std::any_of(policy.statements.begin(), policy.statements.end(),
                      [](const policy::Statement& s) { return s.principal.present; });
      const PolicyContext context{source, policy, resource_policy};
      for (const auto& rule : policy_rules()) {
        if (options.disabled_rules.contains(std::string(rule->id()))) continue;
        rule->check(context, diagnostics);
      }
    }
  }
  std::erase_if(diagnostics,
                [&](const Diagnostic& d) { return options.disabled_rules.contains(d.rule_id); });
  std::stable_sort(diagnostics.begin(), diagnostics.end(), diagnostic_less);
  return diagnostics;
}

}  // namespace gdl
