// GD101 policy-version: Version missing, or not 2012-10-17 / 2008-10-17.

#include <fmt/format.h>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl {
namespace {

bool uses_variables(const policy::Policy& policy) {
  for (const auto& s : policy.statements) {
    for (const auto& r : s.resource.items) {
      if (holds_policy_variable(r.value)) return true;
    }
    for (const auto& c : s.conditions) {
      for (const auto& v : c.values) {
        if (holds_policy_variable(v.value)) return true;
      }
    }
  }
  return false;
}

class PolicyVersionRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    const policy::Policy& p = ctx.policy;
    const bool variables = uses_variables(p);
    // A misspelt "Version" key, or one whose value is not a string, is one mistake, reported by
    // GD102: adding another "Version" would repeat the key, and --fix would add one each round.
    if (!p.version && (p.version_misspelt || p.version_not_string || p.bare_statement)) return;
    if (!p.version) {
      Diagnostic d = make_diagnostic(
          id(), make_location(ctx.source, {p.span.begin, p.span.begin + 1}),
          variables
              ? "the policy has no \"Version\", so AWS reads it as 2008-10-17 and its policy "
                "variables "
                "(${...}) are compared as literal text: those values never match"
              : "the policy has no \"Version\"; AWS then uses the 2008-10-17 grammar, where policy "
                "variables are not substituted");
      d.fix = Fix{"add \"Version\": \"2012-10-17\"",
                  {TextEdit{make_location(ctx.source, {p.span.begin + 1, p.span.begin + 1}),
                            "\n  \"Version\": \"2012-10-17\","}}};
      out.push_back(std::move(d));
      return;
    }
    const std::string& v = p.version->value;
    if (v != "2012-10-17" && v != "2008-10-17") {
      Diagnostic d = make_diagnostic(id(), make_location(ctx.source, p.version->span),
                                     fmt::format("\"Version\": \"{}\" is not a policy language "
                                                 "version; AWS accepts only \"2012-10-17\" "
                                                 "(current) and \"2008-10-17\"",
                                                 v));
      d.severity = Severity::error;
      d.fix = Fix{"use \"2012-10-17\"",
                  {TextEdit{make_location(ctx.source, p.version->span), "\"2012-10-17\""}}};
      out.push_back(std::move(d));
    } else if (v == "2008-10-17" && variables) {
      Diagnostic d = make_diagnostic(
          id(), make_location(ctx.source, p.version->span),
          "with \"Version\": \"2008-10-17\" the policy variables (${...}) in this policy "
          "are compared as literal text and never match");
      d.fix = Fix{"use \"2012-10-17\"",
                  {TextEdit{make_location(ctx.source, p.version->span), "\"2012-10-17\""}}};
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_policy_version_rule() {
  return std::make_unique<PolicyVersionRule>();
}

}  // namespace gdl
