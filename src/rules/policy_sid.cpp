// GD104 policy-sid: duplicate Sid within one policy.

#include <fmt/format.h>

#include <unordered_map>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

class PolicySidRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    std::unordered_map<std::string_view, const policy::Text*> first;
    for (const policy::Statement& s : ctx.policy.statements) {
      if (!s.sid || s.sid->value.empty()) continue;
      auto [it, inserted] = first.emplace(s.sid->value, &*s.sid);
      if (inserted) continue;
      const Position p = make_location(ctx.source, it->second->span).start;
      Diagnostic d = make_diagnostic(id(), make_location(ctx.source, s.sid->span),
                                     fmt::format("Sid \"{}\" is already used by the statement at "
                                                 "line {}; Sids must be unique within a policy",
                                                 s.sid->value, p.line));
      d.related.push_back(
          {make_location(ctx.source, it->second->span), "first statement with this Sid"});
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_policy_sid_rule() {
  return std::make_unique<PolicySidRule>();
}

}  // namespace gdl
