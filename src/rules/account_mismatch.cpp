// GD403 account-mismatch: the key and bucket policies allow GuardDuty for different accounts:
// no account can export (error), or an account one policy lets export is written differently in
// the other, a typo of one account whose exports the other policy denies (warning).

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl {
namespace {

// The accounts a document's GuardDuty grants name (aws:SourceAccount values, and the accounts of
// aws:SourceArn values), each with the first value that names it, and the detector ARN it names
// for the account when that ARN has no wildcard.
struct NamedAccount {
  const policy::Text* value = nullptr;
  std::string detector_arn;
};

std::map<std::string, NamedAccount> source_accounts(const exportcfg::PolicyDocument& doc) {
  std::map<std::string, NamedAccount> accounts;
  for (const policy::Statement& s : doc.policy.statements) {
    if (!exportcfg::names_guardduty(s) || s.effect != policy::Effect::allow) continue;
    for (const policy::ConditionClause& c : s.conditions) {
      const auto op = iam::parse_operator(c.op.value);
      if (!op || op->negated) continue;
      for (const policy::Text& v : c.values) {
        if (iequals(c.key.value, "aws:SourceAccount") && exportcfg::is_account_id(v.value))
          accounts.try_emplace(v.value, NamedAccount{&v, {}});
        std::string_view parts[6];
        if (iequals(c.key.value, "aws:SourceArn") && iam::split_arn(v.value, parts) &&
            exportcfg::is_account_id(parts[4])) {
          NamedAccount& named =
              accounts.try_emplace(std::string(parts[4]), NamedAccount{&v, {}}).first->second;
          if (named.detector_arn.empty() && v.value.find_first_of("*?") == std::string::npos)
            named.detector_arn = v.value;
        }
      }
    }
  }
  return accounts;
}

// The value of `statement`'s source conditions that names `account`, or null.
const policy::Text* naming_value(const policy::Statement& statement, std::string_view account) {
  for (const policy::ConditionClause& c : statement.conditions) {
    const bool source_account = iequals(c.key.value, "aws:SourceAccount");
    if (!source_account && !iequals(c.key.value, "aws:SourceArn")) continue;
    for (const policy::Text& v : c.values) {
      std::string_view parts[6];
      if (source_account ? v.value == account
                         : iam::split_arn(v.value, parts) && parts[4] == account)
        return &v;
    }
  }
  return nullptr;
}

// Whether GuardDuty of `account`, as `allowing` names it (its detector ARN when it writes one),
// makes request `allowed_name` that `allowing` allows and request `denied_name` that `denying`
// does not, in some exported Region: asked of the evaluator with the requests GuardDuty would
// make if that account exported to this bucket and key. Returns the value naming the account in
// the statement of `allowing` that let it in (else its first), or null when the export does not
// fail so.
const policy::Text* export_fails_at(const exportcfg::ExportSettings& settings,
                                    const std::string& account, const NamedAccount& named,
                                    const exportcfg::PolicyDocument& allowing,
                                    std::string_view allowed_name,
                                    const exportcfg::PolicyDocument& denying,
                                    std::string_view denied_name) {
  exportcfg::ExportSettings as = settings;
  // The bucket stays its owner's: only the exporting account changes.
  if (!as.bucket_account.known() && settings.account.known()) as.bucket_account = settings.account;
  as.account = {account, {exportcfg::Origin::Kind::assumed, "the account a policy names", {}}};
  std::string_view parts[6];
  if (!named.detector_arn.empty() && iam::split_arn(named.detector_arn, parts) &&
      parts[5].starts_with("detector/")) {
    as.regions = {std::string(parts[3])};
    as.detector_ids.clear();
    as.detector_id = {std::string(parts[5].substr(9)),
                      {exportcfg::Origin::Kind::assumed, "the detector a policy names", {}}};
  }
  const std::vector<exportcfg::GuardDutyRequest> requests =
      exportcfg::guardduty_request_lists(as, false).with_assumed;
  for (const std::string& region : as.regions) {
    const policy::Text* allowed = nullptr;
    bool denied = false;
    for (const exportcfg::GuardDutyRequest& r : requests) {
      if (r.region != region) continue;
      if (r.name == allowed_name) {
        const iam::Evaluation e = allowing.evaluator->evaluate(r.request, false);
        if (e.decision != iam::Decision::allow) continue;
        allowed = named.value;
        for (const std::size_t i : e.deciding) {
          const policy::Text* v =
              naming_value(support::statement_at(allowing, e.statements[i].index), account);
          if (v != nullptr) {
            allowed = v;
            break;
          }
        }
      }
      if (r.name == denied_name)
        denied = denying.evaluator->evaluate(r.request, false).decision != iam::Decision::allow;
    }
    if (allowed != nullptr && denied) return allowed;
  }
  return nullptr;
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
        check_pair(ctx, *key_doc, key_accounts, *bucket_doc, bucket_accounts, out);
      }
    }
  }

 private:
  void check_pair(const SetupContext& ctx, const exportcfg::PolicyDocument& key_doc,
                  const std::map<std::string, NamedAccount>& key_accounts,
                  const exportcfg::PolicyDocument& bucket_doc,
                  const std::map<std::string, NamedAccount>& bucket_accounts,
                  std::vector<Diagnostic>& out) const {
    // The pairs of accounts only one side names, written within a typo of each other. A key
    // may serve several buckets and a bucket several keys, so an account one side names and the
    // other does not is no finding on its own.
    struct Near {
      const std::string* key_account;
      const std::string* bucket_account;
      std::string_view apart;
    };
    std::vector<Near> near;
    bool shared = false;
    for (const auto& [account, named] : key_accounts) {
      if (bucket_accounts.contains(account)) {
        shared = true;
        continue;
      }
      if (support::holds_stand_in(account, ctx.stand_ins)) continue;
      for (const auto& [other, other_named] : bucket_accounts) {
        if (key_accounts.contains(other) || support::holds_stand_in(other, ctx.stand_ins)) continue;
        if (const std::string_view apart = support::typo_apart(account, other); !apart.empty())
          near.push_back({&account, &other, apart});
      }
    }
    // An account known only when deployed (a caller identity checked as a made-up one) may be
    // the other side's: "no account can export" would rest on the stand-in.
    auto stands_in = [&ctx](const auto& entry) {
      return support::holds_stand_in(entry.first, ctx.stand_ins);
    };
    if (!shared && (std::any_of(key_accounts.begin(), key_accounts.end(), stands_in) ||
                    std::any_of(bucket_accounts.begin(), bucket_accounts.end(), stands_in)))
      return;
    if (!shared) {
      std::vector<std::string> bucket_list, key_list;
      for (const auto& entry : bucket_accounts) bucket_list.push_back(entry.first);
      for (const auto& entry : key_accounts) key_list.push_back(entry.first);
      Diagnostic d = make_diagnostic(
          id(), support::statements_start(bucket_doc),
          fmt::format("the bucket policy lets GuardDuty of account {} write, but the key policy "
                      "({}) lets only account {} use the key: no account can export",
                      fmt::join(bucket_list, ", "), key_doc.name(), fmt::join(key_list, ", ")));
      for (const Near& n : near) {
        d.notes.push_back(
            fmt::format("{} (key policy) and {} (bucket policy) are {} apart: "
                        "one account written two ways?",
                        *n.key_account, *n.bucket_account, n.apart));
      }
      out.push_back(std::move(d));
      return;
    }
    // Some account may export; one written differently in each policy is a typo whose exports
    // fail: the key lets it use the key and the bucket refuses its uploads, and the other way
    // round. Asked of the evaluator both ways, so that another grant letting either in (an
    // organization's, a wildcard) leaves no finding.
    for (const Near& n : near) {
      const policy::Text* in_key =
          export_fails_at(ctx.settings, *n.key_account, key_accounts.at(*n.key_account), key_doc,
                          "GenerateDataKey", bucket_doc, "PutObject");
      const policy::Text* in_bucket =
          in_key == nullptr ? nullptr
                            : export_fails_at(ctx.settings, *n.bucket_account,
                                              bucket_accounts.at(*n.bucket_account), bucket_doc,
                                              "PutObject", key_doc, "GenerateDataKey");
      if (in_bucket == nullptr) continue;
      Diagnostic d = make_diagnostic(
          id(), make_location(*bucket_doc.source, in_bucket->span),
          fmt::format("GuardDuty of account {} may write here, and the key policy ({}) lets "
                      "GuardDuty of {} use the key, {} away: if one account is meant, its exports "
                      "fail (this bucket refuses the uploads of {}, the key refuses data keys to "
                      "{})",
                      *n.bucket_account, key_doc.name(), *n.key_account, n.apart, *n.key_account,
                      *n.bucket_account));
      d.severity = Severity::warning;
      d.related.push_back({make_location(*key_doc.source, in_key->span),
                           fmt::format("account {} in the key policy", *n.key_account)});
      d.notes.push_back(
          "two accounts this close are almost never two real accounts; write the exporting "
          "account the same in both policies (aws:SourceAccount and aws:SourceArn)");
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_account_mismatch_rule() {
  return std::make_unique<AccountMismatchRule>();
}

}  // namespace gdl
