// GD109 condition-key: malformed condition keys, and unknown aws:, s3: and kms: keys with a
// suggestion. Key names are case-insensitive.

#include <fmt/format.h>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "iam/iam_data.h"
#include "policy/builder.h"

namespace gdl {
namespace {

class ConditionKeyRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      for (const policy::ConditionClause& c : s.conditions) {
        const std::string_view key = c.key.value;
        // Computed only for a finding: a line and column cost more than the checks.
        auto where = [&] { return make_location(ctx.source, c.key.span); };
        const std::size_t colon = key.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == key.size()) {
          out.push_back(make_diagnostic(id(), where(),
                                        fmt::format("\"{}\" is not a condition key: keys are "
                                                    "written prefix:name, e.g. aws:SourceAccount",
                                                    key)));
          continue;
        }
        if (!data::knows_key_prefix(key.substr(0, colon)) ||
            data::find_condition_key(key) != nullptr)
          continue;
        const std::string_view suggestion = policy::closest_match(key, data::condition_key_names());
        std::string message = fmt::format(
            "unknown condition key \"{}\" in {}: no request carries it, so the condition always "
            "treats it as "
            "absent (a positive operator is never true, a negated one always true)",
            key, s.label());
        if (!suggestion.empty()) message += fmt::format("; did you mean \"{}\"?", suggestion);
        const Location at = where();
        Diagnostic d = make_diagnostic(id(), at, std::move(message));
        if (!suggestion.empty() && suggestion.find("${") == std::string_view::npos) {
          d.fix = Fix{fmt::format("write \"{}\"", suggestion),
                      {TextEdit{at, fmt::format("\"{}\"", suggestion)}}};
        }
        out.push_back(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_condition_key_rule() {
  return std::make_unique<ConditionKeyRule>();
}

}  // namespace gdl
