// GD402 key-arn-mismatch: the bucket's key-id Deny refuses every key the key policy checked
// with it can belong to.

#include <fmt/format.h>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl {
namespace {

// GD402: the bucket's key-id Deny refuses every key the key policy can be the policy of. Asked
// of the evaluator (GuardDuty's upload with each of those keys), so a Deny that accepts two keys
// during a rotation, or a key policy naming its key among keys of other Regions, is fine.
// The key-id value of the Deny that refuses GuardDuty's upload `put` with every one of `keys`,
// or null when one of them is accepted (or refused for another reason: GD309 says why).
const policy::Text* refused_key(const exportcfg::GuardDutyRequest& put,
                                const exportcfg::PolicyDocument& bucket_doc,
                                const std::vector<std::string>& keys) {
  const policy::Text* refusing = nullptr;
  for (const std::string& key : keys) {
    iam::Request upload = put.request;
    upload.set(support::kKeyIdKey, key);
    const iam::Evaluation e = bucket_doc.evaluator->evaluate(upload, false);
    if (e.decision != iam::Decision::explicit_deny) return nullptr;
    const policy::Statement& deny =
        support::statement_at(bucket_doc, e.statements[e.deciding.front()].index);
    if (!support::has_condition_key(deny, support::kKeyIdKey)) return nullptr;
    for (const policy::ConditionClause& c : deny.conditions) {
      if (iequals(c.key.value, support::kKeyIdKey) && !c.values.empty())
        refusing = &c.values.front();
    }
  }
  return refusing;
}

class KeyArnMismatchRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    // A key the user gave is judged against each document on its own (GD201, GD306).
    if (support::given(ctx.settings.key_arn)) return;
    for (const exportcfg::PolicyDocument* key_doc : ctx.of_kind(documents::Kind::key_policy)) {
      const std::vector<std::string> keys = exportcfg::keys_named(*key_doc);
      if (keys.empty()) continue;
      for (const exportcfg::PolicyDocument* bucket_doc :
           ctx.of_kind(documents::Kind::bucket_policy)) {
        // Each exported Region's upload is its own request (an opt-in Region's principal is its
        // own, and a Deny may name only one of them): the finding says whose exports fail.
        const policy::Text* refusing = nullptr;
        std::vector<std::string> refused_regions;
        std::size_t exported_regions = 0;
        for (const exportcfg::GuardDutyRequest& put : ctx.documented_requests) {
          if (put.name != "PutObject") continue;
          ++exported_regions;
          const policy::Text* value = refused_key(put, *bucket_doc, keys);
          if (value == nullptr) continue;
          if (refusing == nullptr) refusing = value;
          refused_regions.push_back(put.region);
        }
        if (refusing == nullptr) continue;
        const std::string failing =
            refused_regions.size() == exported_regions
                ? std::string("every export fails")
                : support::exports_from(ctx.settings, refused_regions) + " fail";
        Diagnostic d = make_diagnostic(
            id(), make_location(*bucket_doc->source, refusing->span),
            fmt::format("the bucket policy requires uploads encrypted with {}, but the key policy "
                        "checked with it ({}) is the policy of {}: GuardDuty encrypts with one "
                        "key, so one of the two documents refers to the wrong key and {}",
                        refusing->value, key_doc->name(), fmt::join(keys, " or "), failing));
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

}  // namespace

std::unique_ptr<SetupRule> make_key_arn_mismatch_rule() {
  return std::make_unique<KeyArnMismatchRule>();
}

}  // namespace gdl
