// GD306 bucket-key-mismatch: the key the bucket policy insists on (in the Deny on
// s3:x-amz-server-side-encryption-aws-kms-key-id) is not the export key, or is a key id or alias:
// GuardDuty sends the full key ARN, so its uploads are denied.

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl {
namespace {

class BucketKeyMismatchRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      // GuardDuty's upload from every exported Region (an opt-in Region's principal is its own,
      // and a Deny may name only one of them), each Deny reported once with the Regions whose
      // uploads it blocks.
      std::vector<std::pair<std::size_t, std::vector<std::string>>> blocking;  // Deny, Regions
      std::size_t exported_regions = 0;
      for (const exportcfg::GuardDutyRequest& put : ctx.documented_requests) {
        if (put.name != "PutObject") continue;
        ++exported_regions;
        const iam::Evaluation e = doc->evaluator->evaluate(put.request, false);
        if (e.decision != iam::Decision::explicit_deny) continue;
        // Every Deny that blocks the upload, not only the first written: another Deny (an
        // organization's) may block it too, and the order of statements decides nothing.
        for (const std::size_t i : e.deciding) {
          const std::size_t index = e.statements[i].index;
          auto seen = std::find_if(blocking.begin(), blocking.end(),
                                   [&](const auto& b) { return b.first == index; });
          if (seen == blocking.end()) seen = blocking.insert(blocking.end(), {index, {}});
          seen->second.push_back(put.region);
        }
      }
      for (const auto& [index, regions] : blocking) {
        const policy::Statement& deny = support::statement_at(*doc, index);
        // "every export", or "exports from eu-south-1" when the Deny names one Region's principal.
        const std::string blocked = regions.size() == exported_regions
                                        ? std::string()
                                        : support::exports_from(ctx.settings, regions);
        for (const policy::ConditionClause& c : deny.conditions) {
          if (!iequals(c.key.value, support::kKeyIdKey)) continue;
          for (const policy::Text& v : c.values) report(ctx, *doc, deny, v, blocked, out);
        }
      }
    }
  }

 private:
  void report(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
              const policy::Statement& deny, const policy::Text& value,
              const std::string& blocked,  // empty: every export
              std::vector<Diagnostic>& out) const {
    const std::string& key = ctx.settings.key_arn.get();
    if (value.value == key) return;
    const auto problem = exportcfg::key_arn_problem(value.value);
    // A full key ARN that differs from a key the documents name (not the user) is a disagreement
    // between the key policy and the bucket policy: GD402 says which.
    if (!problem && !support::given(ctx.settings.key_arn)) return;
    // The export key known only once deployed (a key these files create, `kms_key_arn =
    // aws_kms_key.k.arn`): an ARN the Deny writes may be its own, written after the first apply,
    // so the failure rests on the stand-in. A note of the condition, not an error (DESIGN: a
    // stand-in is never a fact). A Deny naming another key the files create
    // (`aws_kms_key.k.key_id`, a stand-in too) names another key for certain: only an ARN written
    // as text may be the export key's.
    const bool written = !support::holds_stand_in(value.value, ctx.stand_ins);
    const bool undecided = !problem && ctx.settings.key_arn.origin.stand_in && written;
    const std::string denied = blocked.empty() ? "every export is" : blocked + " are";
    std::string message;
    if (problem) {
      message = fmt::format(
          "{} requires the key \"{}\", but GuardDuty sends the full key ARN in {}, so this Deny "
          "blocks {}",
          support::statement_name(doc, deny.index), value.value, support::kKeyIdKey,
          blocked.empty() ? "every export" : blocked);
    } else {
      // "..., but GuardDuty encrypts with the export key K (origin): every export is denied", or
      // for a key known only once deployed the condition under which it is.
      message = fmt::format(
          "{} requires the key {}, {} GuardDuty encrypts with the export key {} ({}){}",
          support::statement_name(doc, deny.index), value.value, undecided ? "and" : "but", key,
          ctx.settings.key_arn.origin.detail,
          undecided ? fmt::format(", whose ARN is known only once deployed: {} denied unless that "
                                  "is its ARN",
                                  denied)
                    : fmt::format(": {} denied", denied));
    }
    Diagnostic d =
        make_diagnostic(id(), make_location(*doc.source, value.span), std::move(message));
    if (undecided) d.severity = Severity::note;
    if (support::known(ctx.settings.key_arn)) {
      d.fix = Fix{undecided ? "name the export key as the destination does, so the Deny follows "
                              "the key"
                            : "use the export key's full ARN",
                  {TextEdit{make_location(*doc.source, value.span), fmt::format("\"{}\"", key)}}};
    } else {
      d.notes.push_back(
          "use the full ARN of the export key (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)");
    }
    out.push_back(std::move(d));
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_key_mismatch_rule() {
  return std::make_unique<BucketKeyMismatchRule>();
}

}  // namespace gdl
