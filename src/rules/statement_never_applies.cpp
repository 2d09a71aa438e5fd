// GD111: a statement whose Condition block no request can satisfy (its Principal, Action and
// Resource do match requests), or a Deny that only ever applies to calls a service makes for a
// principal. Proved over every class of request (export/access.h), not read from the text.

#include <fmt/format.h>

#include <algorithm>

#include "checks/policy_rule.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "export/access.h"
#include "export/setup.h"
#include "iam/iam_data.h"
#include "util/text.h"

namespace gdl {
namespace {

const policy::ConditionClause* called_via_clause(const policy::Statement& s) {
  for (const policy::ConditionClause& c : s.conditions) {
    const std::string key = to_lower(c.key.value);
    if (key.starts_with("aws:calledvia") || key == "aws:viaawsservice") return &c;
  }
  return nullptr;
}

// GuardDuty's own grants and Denies are simulated with GuardDuty's requests (GD201-GD309 say
// what their conditions cost the export), and a misspelt or unknown key is GD109's.
bool left_to_other_rules(const policy::Statement& s) {
  if (exportcfg::names_guardduty(s)) return true;
  return std::any_of(s.conditions.begin(), s.conditions.end(), [](const auto& c) {
    const std::string_view key = c.key.value;
    const auto colon = key.find(':');
    return colon != std::string_view::npos &&
           data::knows_key_prefix(to_lower(key.substr(0, colon))) &&
           data::find_condition_key(key) == nullptr;
  });
}

// Whether a Principal or Condition value of the statement holds a stand-in (a template's
// ${AWS::AccountId} checked as a made-up account): whether the statement can apply may turn on
// the real value (a root principal of the stand-in account against a literal
// kms:CallerAccount, a stand-in aws:SourceAccount against a literal aws:SourceArn), so "never
// applies" would be a guess. A stand-in bucket name in Resource decides nothing of the kind.
bool holds_stand_in(const policy::Statement& s,
                    std::span<const std::pair<std::string, std::string>> stand_ins) {
  if (stand_ins.empty()) return false;
  for (const policy::PrincipalEntry& e : s.principal.entries) {
    if (support::holds_stand_in(e.value.value, stand_ins)) return true;
  }
  for (const policy::ConditionClause& c : s.conditions) {
    for (const policy::Text& v : c.values) {
      if (support::holds_stand_in(v.value, stand_ins)) return true;
    }
  }
  return false;
}

class StatementNeverAppliesRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::StatementFinding& f : exportcfg::dead_conditions(ctx.policy)) {
      const policy::Statement* s = nullptr;
      for (const policy::Statement& st : ctx.policy.statements) {
        if (st.index == f.index) s = &st;
      }
      if (s == nullptr || left_to_other_rules(*s) || holds_stand_in(*s, ctx.stand_ins)) continue;
      const std::string what = s->effect == policy::Effect::deny ? "this Deny protects nothing"
                                                                 : "this Allow grants nothing";
      if (f.kind == exportcfg::StatementFinding::Kind::never_applies) {
        Diagnostic d = make_diagnostic(
            id(), make_location(ctx.source, s->condition_span),
            fmt::format("{} never applies: no request its Principal, Action and Resource cover "
                        "satisfies every clause of its Condition, so {}",
                        s->label(), what));
        d.notes.push_back(
            "`gd-export-lint simulate` with a request the statement is meant for shows the "
            "clause that fails");
        out.push_back(std::move(d));
        continue;
      }
      const policy::ConditionClause* clause = called_via_clause(*s);
      const Span at = clause != nullptr ? Span{clause->op.span.begin, clause->values_span.end}
                                        : s->condition_span;
      Diagnostic d = make_diagnostic(
          id(), make_location(ctx.source, at),
          fmt::format("{} applies only to calls an AWS service makes for a principal "
                      "(aws:CalledVia present), never to the principal's own direct calls, which "
                      "carry no aws:CalledVia",
                      s->label()));
      d.notes.push_back(
          "ForAnyValue is false when the key is absent; ForAllValues:StringNotEquals is true then, "
          "so it also denies direct calls");
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_statement_never_applies_rule() {
  return std::make_unique<StatementNeverAppliesRule>();
}

}  // namespace gdl
