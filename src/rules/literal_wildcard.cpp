// GD108 literal-wildcard: '*' or '?' in a value of StringEquals / StringNotEquals (and their
// IgnoreCase forms), where it is a literal character. Not for ArnEquals/ArnNotEquals: AWS
// documents that they take wildcards like ArnLike ("Condition operators", ARN).

#include <fmt/format.h>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "iam/conditions.h"

namespace gdl {
namespace {

// A wildcard outside policy-variable syntax (${*} and ${?} are the escaped literal forms).
bool has_literal_wildcard(std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i).starts_with("${*}") || value.substr(i).starts_with("${?}")) {
      i += 3;
      continue;
    }
    if (value[i] == '*' || value[i] == '?') return true;
  }
  return false;
}

class LiteralWildcardRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      for (const policy::ConditionClause& c : s.conditions) {
        const auto op = iam::parse_operator(c.op.value);
        if (!op || op->family != iam::OperatorFamily::string ||
            op->comparison != iam::Comparison::equals)
          continue;
        for (const policy::Text& v : c.values) {
          if (!has_literal_wildcard(v.value)) continue;
          std::string consequence;
          if (op->negated && s.effect == policy::Effect::deny) {
            consequence = fmt::format(
                "no real {} equals it, so this Deny applies to every request, GuardDuty's included",
                c.key.value);
          } else if (op->negated) {
            consequence =
                fmt::format("no real {} equals it, so the condition is always true", c.key.value);
          } else {
            consequence =
                fmt::format("no real {} equals it, so the condition never matches", c.key.value);
          }
          Diagnostic d = make_diagnostic(
              id(), make_location(ctx.source, v.span),
              fmt::format(
                  "\"{}\" under {} is compared literally ('*' and '?' are not wildcards there): {}",
                  v.value, c.op.value, consequence));
          if (!op->ignore_case) {
            std::string fixed = c.op.value;
            const std::string from = op->negated ? "StringNotEquals" : "StringEquals";
            const std::string to = op->negated ? "StringNotLike" : "StringLike";
            fixed.replace(fixed.find(from), from.size(), to);
            if (!s.has_other_operator(fixed, c.op.span))
              d.fix = Fix{
                  fmt::format("use {} to match a pattern", fixed),
                  {TextEdit{make_location(ctx.source, c.op.span), fmt::format("\"{}\"", fixed)}}};
          }
          out.push_back(std::move(d));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_literal_wildcard_rule() {
  return std::make_unique<LiteralWildcardRule>();
}

}  // namespace gdl
