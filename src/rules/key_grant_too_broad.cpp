// GD203 key-grant-too-broad: GuardDuty is allowed more than kms:GenerateDataKey, or a principal
// outside the key's account (or anyone) is allowed kms actions without restricting conditions.

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "checks/explain.h"
#include "checks/probes.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

constexpr std::string_view kSensitiveActions[] = {
    "kms:Decrypt",     "kms:Encrypt",      "kms:ReEncryptFrom",       "kms:ReEncryptTo",
    "kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"};

class KeyGrantTooBroadRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::key_policy)) {
      const exportcfg::GuardDutyRequest* generate =
          support::request_seen_by(ctx.requests, *doc, "GenerateDataKey");
      if (generate == nullptr) return;
      // GuardDuty itself: anything beyond GenerateDataKey. Each statement that grants more is
      // named with what it grants itself: of two such statements, neither is blamed for the
      // other's actions.
      std::vector<std::pair<std::size_t, std::vector<std::string>>> extra;  // statement, actions
      iam::Request asked = generate->request;  // the same request, for each action in turn
      for (std::string_view action : kSensitiveActions) {
        asked.action = action;
        const iam::Evaluation e = doc->evaluator->evaluate(asked, false);
        if (e.decision != iam::Decision::allow) continue;
        for (const std::size_t deciding : e.deciding) {
          const std::size_t statement = e.statements[deciding].index;
          auto it = std::find_if(extra.begin(), extra.end(),
                                 [&](const auto& entry) { return entry.first == statement; });
          if (it == extra.end()) it = extra.insert(extra.end(), {statement, {}});
          it->second.emplace_back(action);
        }
      }
      std::sort(extra.begin(), extra.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [statement, actions] : extra) {
        const policy::Statement& s = support::statement_at(*doc, statement);
        Diagnostic d = make_diagnostic(
            id(), make_location(*doc->source, s.action.present ? s.action.span : s.span),
            fmt::format(
                "{} lets GuardDuty call {} on the key; the export needs only kms:GenerateDataKey",
                support::statement_name(*doc, s.index), fmt::join(actions, ", ")));
        if (s.action.present && !s.action_negated && s.action.items.size() == 1) {
          d.fix = Fix{
              "allow only kms:GenerateDataKey",
              {TextEdit{make_location(*doc->source, s.action.span), "\"kms:GenerateDataKey\""}}};
        }
        out.push_back(std::move(d));
      }
      // Strangers, with no context at all: an anonymous caller, and a principal of an account
      // none of the files writes (other_account: an account a policy grants on purpose, a log
      // archive's, or a cross-account key's owner given kms:*, is not a stranger).
      const std::pair<iam::RequestPrincipal, std::string_view> strangers[] = {
          {{iam::RequestPrincipal::Kind::anonymous, ""}, "anyone"},
          {{iam::RequestPrincipal::Kind::aws,
            fmt::format("arn:{}:iam::{}:role/anyone", ctx.settings.partition,
                        support::other_account(ctx.settings))},
           "principals of other accounts"}};
      for (const auto& [principal, who] : strangers) {
        iam::Request r;
        r.principal = principal;
        r.action = "kms:Decrypt";
        r.resource = ctx.settings.key_arn.get();
        const iam::Evaluation e = doc->evaluator->evaluate(r, false);
        if (e.decision != iam::Decision::allow) continue;
        const policy::Statement& s =
            support::statement_at(*doc, e.statements[e.deciding.front()].index);
        out.push_back(make_diagnostic(
            id(), make_location(*doc->source, s.principal.present ? s.principal.span : s.span),
            fmt::format("{} lets {} decrypt with this key without any condition: your exported "
                        "findings are readable by them",
                        support::statement_name(*doc, s.index), who)));
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_grant_too_broad_rule() {
  return std::make_unique<KeyGrantTooBroadRule>();
}

}  // namespace gdl
