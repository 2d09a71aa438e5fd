// Rules across documents and settings:
// GD401 key-bucket-region: the KMS key's Region differs from the bucket's Region.
// GD402 key-arn-mismatch: the bucket policy requires another key than the key policy's key.
// GD403 account-mismatch: the key and bucket policies allow GuardDuty for different accounts.

#include <fmt/format.h>

#include <set>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl {
namespace {

class KeyBucketRegionRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD401"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    if (!support::known(ctx.settings.key_arn) || !ctx.settings.bucket_region.known()) return;
    std::string_view parts[6];
    if (!iam::split_arn(ctx.settings.key_arn.get(), parts) ||
        parts[3] == ctx.settings.bucket_region.get())
      return;
    const exportcfg::Origin& origin = ctx.settings.key_arn.origin;
    if (!origin.location) {
      // Both from flags or config: point at the first document so the finding has a place.
      if (ctx.documents.empty()) return;
      const auto& doc = *ctx.documents.front();
      out.push_back(
          make_diagnostic(id(), make_location(*doc.source, {0, 0}), message(ctx, parts[3])));
      return;
    }
    out.push_back(make_diagnostic(id(), *origin.location, message(ctx, parts[3])));
  }

 private:
  static std::string message(const SetupContext& ctx, std::string_view key_region) {
    return fmt::format(
        "the KMS key is in {} but the bucket is in {} ({}): GuardDuty requires the key and the "
        "bucket in the same Region, so the export cannot be configured",
        key_region, ctx.settings.bucket_region.get(), ctx.settings.bucket_region.origin.detail);
  }
};

// The key ARNs a key policy's GuardDuty statements name (one of them is the key itself), or
// none when one of them is "*" or a pattern (the policy names no other key than its own).
std::vector<std::string> keys_named(const exportcfg::PolicyDocument& doc) {
  std::vector<std::string> keys;
  for (const policy::Statement& s : doc.policy.statements) {
    if (!exportcfg::names_guardduty(s) || s.effect != policy::Effect::allow) continue;
    if (s.resource_negated) return {};
    for (const policy::Text& r : s.resource.items) {
      if (exportcfg::key_arn_problem(r.value)) return {};
      keys.push_back(r.value);
    }
  }
  return keys;
}

// GD402: the bucket's key-id Deny refuses every key the key policy can be the policy of. Asked
// of the evaluator (GuardDuty's upload with each of those keys), so a Deny that accepts two keys
// during a rotation, or a key policy naming its key among keys of other Regions, is fine.
class KeyArnMismatchRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD402"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    // A key the user gave is judged against each document on its own (GD201, GD306).
    if (support::given(ctx.settings.key_arn)) return;
    const exportcfg::GuardDutyRequest* put =
        support::find_request(ctx.documented_requests, "PutObject");
    if (put == nullptr) return;
    for (const exportcfg::PolicyDocument* key_doc : ctx.of_kind(documents::Kind::key_policy)) {
      const std::vector<std::string> keys = keys_named(*key_doc);
      if (keys.empty()) continue;
      for (const exportcfg::PolicyDocument* bucket_doc :
           ctx.of_kind(documents::Kind::bucket_policy)) {
        const policy::Text* refusing = nullptr;
        bool accepted = false;
        for (const std::string& key : keys) {
          iam::Request upload = put->request;
          upload.set(support::kKeyIdKey, key);
          const iam::Evaluation e = bucket_doc->evaluator->evaluate(upload, false);
          if (e.decision != iam::Decision::explicit_deny) {
            accepted = true;
            break;
          }
          const policy::Statement& deny =
              support::statement_at(*bucket_doc, e.statements[e.deciding.front()].index);
          if (!support::has_condition_key(deny, support::kKeyIdKey)) {
            accepted = true;  // denied for another reason: GD309 says why
            break;
          }
          for (const policy::ConditionClause& c : deny.conditions) {
            if (iequals(c.key.value, support::kKeyIdKey) && !c.values.empty())
              refusing = &c.values.front();
          }
        }
        if (accepted || refusing == nullptr) continue;
        Diagnostic d = make_diagnostic(
            id(), make_location(*bucket_doc->source, refusing->span),
            fmt::format("the bucket policy requires uploads encrypted with {}, but the key policy "
                        "checked with it ({}) is the policy of {}: GuardDuty encrypts with one "
                        "key, so one of the two documents refers to the wrong key and every "
                        "export fails",
                        refusing->value, key_doc->name(), fmt::join(keys, " or ")));
        if (keys.size() == 1) {
          d.fix = Fix{"require the key whose policy grants GuardDuty",
                      {TextEdit{make_location(*bucket_doc->source, refusing->span),
                                fmt::format("\"{}\"", keys.front())}}};
        }
        out.push_back(std::move(d));
      }
    }
  }
};

// aws:SourceAccount values (and accounts of aws:SourceArn values) in GuardDuty grants.
std::set<std::string> source_accounts(const exportcfg::PolicyDocument& doc) {
  std::set<std::string> accounts;
  for (const policy::Statement& s : doc.policy.statements) {
    if (!exportcfg::names_guardduty(s) || s.effect != policy::Effect::allow) continue;
    for (const policy::ConditionClause& c : s.conditions) {
      const auto op = iam::parse_operator(c.op.value);
      if (!op || op->negated) continue;
      for (const policy::Text& v : c.values) {
        if (iequals(c.key.value, "aws:SourceAccount") && exportcfg::is_account_id(v.value))
          accounts.insert(v.value);
        std::string_view parts[6];
        if (iequals(c.key.value, "aws:SourceArn") && iam::split_arn(v.value, parts) &&
            exportcfg::is_account_id(parts[4])) {
          accounts.insert(std::string(parts[4]));
        }
      }
    }
  }
  return accounts;
}

class AccountMismatchRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD403"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* key_doc : ctx.of_kind(documents::Kind::key_policy)) {
      const auto key_accounts = source_accounts(*key_doc);
      if (key_accounts.empty()) continue;
      for (const exportcfg::PolicyDocument* bucket_doc :
           ctx.of_kind(documents::Kind::bucket_policy)) {
        const auto bucket_accounts = source_accounts(*bucket_doc);
        if (bucket_accounts.empty()) continue;
        bool shared = false;
        for (const std::string& a : key_accounts) shared = shared || bucket_accounts.contains(a);
        if (shared) continue;
        out.push_back(make_diagnostic(
            id(), support::statements_start(*bucket_doc),
            fmt::format("the bucket policy lets GuardDuty of account {} write, but the key policy "
                        "({}) lets only "
                        "account {} use the key: no account can export",
                        fmt::join(bucket_accounts, ", "), key_doc->name(),
                        fmt::join(key_accounts, ", "))));
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_bucket_region_rule() {
  return std::make_unique<KeyBucketRegionRule>();
}
std::unique_ptr<SetupRule> make_key_arn_mismatch_rule() {
  return std::make_unique<KeyArnMismatchRule>();
}
std::unique_ptr<SetupRule> make_account_mismatch_rule() {
  return std::make_unique<AccountMismatchRule>();
}

}  // namespace gdl
