// GD204 key-lockout-risk: no statement lets the key's own account manage the key
// (kms:PutKeyPolicy): neither the account root nor any principal of that account named in an Allow.

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "iam/wildcard.h"

namespace gdl {
namespace {

// Whether an Allow may admit an AWS caller at all (an AWS principal, "*", NotPrincipal): with
// none, no caller may change the policy, whatever the account or conditions.
bool names_aws_principal(const policy::Policy& policy) {
  return std::any_of(
      policy.statements.begin(), policy.statements.end(), [](const policy::Statement& s) {
        return s.effect == policy::Effect::allow &&
               (s.principal.everyone || s.principal_negated ||
                std::any_of(s.principal.entries.begin(), s.principal.entries.end(),
                            [](const policy::PrincipalEntry& e) { return e.type != "Service"; }));
      });
}

// KMS's lockout safety check refuses a policy no caller could change: when the key's resource
// leaves the check on (the default of CloudFormation and of the AWS provider), creating or
// updating the key fails, which is an error; a bare policy may be put with the check bypassed.
void refused_by_kms(const exportcfg::PolicyDocument& doc, Diagnostic& d) {
  if (names_aws_principal(doc.policy) || doc.lockout_check_bypassed != std::optional<bool>(false))
    return;
  d.severity = Severity::error;
  d.notes.push_back(
      "the key's resource leaves KMS's lockout safety check on (it does not set "
      "BypassPolicyLockoutSafetyCheck, or bypass_policy_lockout_safety_check): creating or "
      "updating the key with this policy fails (MalformedPolicyDocumentException)");
}

// The key `doc` is the policy of: the settings' key, unless the policy's GuardDuty statements
// name only keys of one other account (then the documents disagree on the key, which GD402 or
// GD201 reports; the owner is that account, not the other key's).
std::string own_key(const exportcfg::PolicyDocument& doc, const std::string& settings_key) {
  const std::vector<std::string> named = exportcfg::keys_named(doc);
  if (named.empty() || std::find(named.begin(), named.end(), settings_key) != named.end())
    return settings_key;
  std::string_view settings_parts[6];
  std::string_view first[6];
  std::string_view other[6];
  if (!iam::split_arn(settings_key, settings_parts) || !iam::split_arn(named.front(), first) ||
      first[4] == settings_parts[4])
    return settings_key;
  for (const std::string& k : named) {
    if (!iam::split_arn(k, other) || other[4] != first[4]) return settings_key;
  }
  return named.front();
}

class KeyLockoutRiskRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    if (!support::known(ctx.settings.key_arn)) {
      check_without_owner(ctx, out);
      return;
    }
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::key_policy)) {
      // A statement without its policy is a snippet to add to one (GD102 says so): its other
      // statements, the administrators among them, are not in the file.
      if (doc->policy.bare_statement) continue;
      const std::string key = own_key(*doc, ctx.settings.key_arn.get());
      std::string_view parts[6];
      if (!iam::split_arn(key, parts)) continue;
      const std::string account(parts[4]);
      std::vector<std::string> candidates = {
          fmt::format("arn:{}:iam::{}:root", ctx.settings.partition, account)};
      // A key whose ARN is a stand-in (a module's own key: its account is wherever Terraform
      // runs) may belong to any account the policy names, so each one is tried as the owner.
      const bool owner_stands_in = ctx.settings.key_arn.origin.stand_in;
      for (const policy::Statement& s : doc->policy.statements) {
        if (s.effect != policy::Effect::allow) continue;
        for (const policy::PrincipalEntry& e : s.principal.entries) {
          if (e.type == "AWS" &&
              (owner_stands_in || e.value.value.find(":" + account + ":") != std::string::npos)) {
            // A bare account id names the account's root.
            candidates.push_back(
                exportcfg::is_account_id(e.value.value)
                    ? fmt::format("arn:{}:iam::{}:root", ctx.settings.partition, e.value.value)
                    : e.value.value);
          }
        }
      }
      bool manageable = false;
      // The Statement index of a Deny that refuses the account's own request.
      std::optional<std::size_t> denied_by;
      for (const std::string& principal : candidates) {
        iam::Request r;
        r.principal = {iam::RequestPrincipal::Kind::aws, principal};
        r.action = "kms:PutKeyPolicy";
        r.resource = key;
        // Every request carries the account that owns the resource (IAM global condition keys:
        // aws:ResourceAccount), the key's: a data perimeter's Deny of other accounts' resources
        // spares it.
        r.set("aws:ResourceAccount", account);
        const iam::Evaluation evaluation = doc->evaluator->evaluate(r, false);
        if (evaluation.decision == iam::Decision::allow) {
          manageable = true;
          break;
        }
        if (evaluation.decision == iam::Decision::explicit_deny && !evaluation.deciding.empty())
          denied_by = evaluation.statements[evaluation.deciding.front()].index;
      }
      if (manageable) continue;
      Diagnostic d = make_diagnostic(
          id(), support::statements_start(*doc),
          fmt::format("no statement lets account {} (the key's owner) change this key policy: KMS "
                      "refuses a "
                      "PutKeyPolicy that locks you out, and otherwise the key becomes unmanageable",
                      account));
      if (denied_by) {
        // Another Allow would not help: the Deny wins. Which of the account's requests the
        // Deny's conditions spare (an organization id, a role) is for the user to judge.
        const auto deny =
            std::find_if(doc->policy.statements.begin(), doc->policy.statements.end(),
                         [&](const policy::Statement& s) { return s.index == *denied_by; });
        d.notes.push_back(fmt::format(
            "a request of the account's root is refused by Statement[{}]{} (line {}), as simulated "
            "without the request context your administrators may have (an organization id, a "
            "role): if its conditions spare them, this is not a risk",
            deny->index, deny->sid ? fmt::format(" '{}'", deny->sid->value) : "",
            doc->source->position(deny->span.begin).line));
        refused_by_kms(*doc, d);
        out.push_back(std::move(d));
        continue;
      }
      d.fix = support::append_statement_fix(
          *doc, "keep the account able to manage the key (the default key policy statement)",
          fmt::format("{{\n      \"Sid\": \"{}\",\n      \"Effect\": "
                      "\"Allow\",\n      "
                      "\"Principal\": {{\"AWS\": \"arn:{}:iam::{}:root\"}},\n      \"Action\": "
                      "\"kms:*\",\n      "
                      "\"Resource\": \"*\"\n    }}",
                      support::unique_sid(*doc, "EnableIAMUserPermissions"), ctx.settings.partition,
                      account));
      refused_by_kms(*doc, d);
      out.push_back(std::move(d));
    }
  }

 private:
  // With the key's account unknown, which principal should manage the key cannot be told; but
  // a policy whose Allows name no AWS principal at all (only services, as when the guide's
  // GuardDuty statement replaces the default policy) lets no caller call PutKeyPolicy, whatever
  // the account: KMS's lockout safety check refuses it (MalformedPolicyDocumentException).
  void check_without_owner(const SetupContext& ctx, std::vector<Diagnostic>& out) const {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::key_policy)) {
      if (names_aws_principal(doc->policy) || doc->policy.statements.empty() ||
          doc->policy.bare_statement)
        continue;
      Diagnostic d = make_diagnostic(
          id(), support::statements_start(*doc),
          "no statement lets any AWS principal change this key policy (its Allows name only "
          "services): KMS refuses to create or update a key with a policy that locks everyone "
          "out (MalformedPolicyDocumentException), unless its lockout safety check is bypassed, "
          "and a key created so is unmanageable");
      d.notes.push_back(
          "add the default key policy statement for the key's account (Principal "
          "arn:aws:iam::ACCOUNT:root, Action kms:*); with --key-arn given, the fix writes it");
      refused_by_kms(*doc, d);
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_lockout_risk_rule() {
  return std::make_unique<KeyLockoutRiskRule>();
}

}  // namespace gdl
