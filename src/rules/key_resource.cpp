// GD205 key-resource: an entry of a key policy's GuardDuty statement Resource that can never
// match the key the policy belongs to (an alias ARN, the ARN of another service), while
// GuardDuty's request is allowed anyway. A key policy
// only ever governs its own key, and "*" names it. When the statement fails because of its
// Resource, GD201 reports the failure (and repairs the Resource); this rule never says an export
// fails: a Resource list is OR'ed, so an unused entry grants nothing and takes nothing away.

#include <fmt/format.h>

#include <algorithm>

#include "checks/probes.h"
#include "diag/rule_catalog.h"
#include "iam/wildcard.h"

namespace gdl {
namespace {

// Why `entry` can never be the key, or empty.
std::string never_the_key(std::string_view entry) {
  if (entry == "*") return {};
  std::string_view parts[6];
  if (!entry.starts_with("arn:") || !iam::split_arn(entry, parts)) return {};  // GD106 / GD005
  if (parts[2] != "kms" && parts[2].find_first_of("*?") == std::string_view::npos)
    return fmt::format("an ARN of service {}", parts[2]);
  if (parts[5].starts_with("alias/"))
    return "an alias ARN (KMS matches a key policy's Resource against the key ARN)";
  // Other keys' ARNs are no finding: one policy document is often attached to the keys of
  // several Regions, each naming all of them (the Terraform provider's own example).
  return {};
}

class KeyResourceRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::key_policy)) {
      // GuardDuty's request from every exported Region (their principals differ: an opt-in
      // Region's is its own), so that the order the Regions are given in decides nothing.
      std::vector<iam::Evaluation> evaluations;
      for (const exportcfg::GuardDutyRequest& r : ctx.requests) {
        if (r.name == "GenerateDataKey")
          evaluations.push_back(doc->evaluator->evaluate(r.request, false));
      }
      if (evaluations.empty()) return;
      const bool allowed =
          std::any_of(evaluations.begin(), evaluations.end(),
                      [](const iam::Evaluation& e) { return e.decision == iam::Decision::allow; });
      for (const policy::Statement& s : doc->policy.statements) {
        if (!exportcfg::names_guardduty(s) || s.resource_negated || !s.resource.present) continue;
        // The statement fails on its Resource (in any Region): GD201's finding, not a second one.
        if (std::any_of(evaluations.begin(), evaluations.end(), [&s](const iam::Evaluation& e) {
              const iam::StatementTrace* t = e.trace_of(s.index);
              return t != nullptr && t->element == "Resource";
            }))
          continue;
        std::vector<std::string> dead;
        for (const policy::Text& r : s.resource.items) {
          if (auto why = never_the_key(r.value); !why.empty())
            dead.push_back(fmt::format("\"{}\" ({})", r.value, why));
        }
        if (dead.empty()) continue;
        Diagnostic d = make_diagnostic(
            id(), make_location(*doc->source, s.resource.span),
            fmt::format("{} in the Resource of {} never matches this key; in a key policy \"*\" "
                        "names the key itself",
                        fmt::join(dead, ", "), s.label()));
        if (allowed) {
          d.fix = Fix{"write \"*\", which in a key policy means this key",
                      {TextEdit{make_location(*doc->source, s.resource.span), "\"*\""}}};
        }
        out.push_back(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_resource_rule() {
  return std::make_unique<KeyResourceRule>();
}

}  // namespace gdl
