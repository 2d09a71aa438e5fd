// GD102 policy-element, the part that needs the whole policy: in a resource policy (some
// statement names a principal) every statement must name one. The policy builder reports the
// structural part of GD102 (unknown elements, wrong types, conflicting or missing elements).

#include <fmt/format.h>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

class PolicyElementRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    if (!ctx.resource_policy) return;
    for (const policy::Statement& s : ctx.policy.statements) {
      if (s.principal.present) continue;
      out.push_back(
          make_diagnostic(id(), make_location(ctx.source, {s.span.begin, s.span.begin + 1}),
                          fmt::format("{} has no \"Principal\" (or \"NotPrincipal\"); in a key or "
                                      "bucket policy every statement "
                                      "must say whom it applies to, and AWS rejects the policy",
                                      s.label())));
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_policy_element_rule() {
  return std::make_unique<PolicyElementRule>();
}

}  // namespace gdl
