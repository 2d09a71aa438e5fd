// GD403 account-mismatch: the key and bucket policies allow GuardDuty for different accounts,
// so no account can export.

#include <fmt/format.h>

#include <set>

#include "checks/explain.h"
#include "checks/probes.h"
#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl {
namespace {

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

std::unique_ptr<SetupRule> make_account_mismatch_rule() {
  return std::make_unique<AccountMismatchRule>();
}

}  // namespace gdl
