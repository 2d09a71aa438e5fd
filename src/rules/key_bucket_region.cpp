// GD401 key-bucket-region: the KMS key's Region differs from the bucket's Region: GuardDuty
// requires them in one Region, so the export cannot be configured.

#include <fmt/format.h>

#include <algorithm>

#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

class KeyBucketRegionRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    // A key whose Region is the module's assumed one (its provider writes none) is in a Region
    // nobody stated: comparing it would report a guess as a fact.
    if (!support::known(ctx.settings.key_arn) || !ctx.settings.bucket_region.known() ||
        ctx.settings.key_arn.origin.region_assumed)
      return;
    std::string_view parts[6];
    if (!iam::split_arn(ctx.settings.key_arn.get(), parts) ||
        parts[3] == ctx.settings.bucket_region.get())
      return;
    // Nor one checked in a stand-in Region (a template's ${AWS::Region} nobody gave).
    if (std::any_of(ctx.stand_ins.begin(), ctx.stand_ins.end(),
                    [&](const auto& stand_in) { return stand_in.first == parts[3]; }))
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

}  // namespace

std::unique_ptr<SetupRule> make_key_bucket_region_rule() {
  return std::make_unique<KeyBucketRegionRule>();
}

}  // namespace gdl
