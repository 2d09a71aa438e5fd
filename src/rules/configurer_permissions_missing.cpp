// GD501 configurer-permissions-missing: the identity policy of whoever configures the export
// lacks what the console needs: s3:GetBucketLocation and s3:PutObject on the destination, with a
// prefix also s3:GetObject and s3:ListBucket, kms:ListAliases, and the GuardDuty
// publishing-destination actions.

#include <fmt/format.h>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

struct Needed {
  std::string action;
  std::string resource;
};

class ConfigurerPermissionsMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const auto& s = ctx.settings;
    const std::string bucket = support::request_bucket_arn(s);
    const std::string object = support::request_object_arn(s, s.regions.front(), "test.jsonl.gz");
    std::vector<Needed> needed = {{"s3:GetBucketLocation", bucket}, {"s3:PutObject", object}};
    if (!s.prefix.get().empty()) {
      needed.push_back({"s3:GetObject", object});
      needed.push_back({"s3:ListBucket", bucket});
    }
    needed.push_back({"kms:ListAliases", "*"});
    const std::string detector = support::request_detector_arn(s, s.regions.front());
    for (const char* action :
         {"guardduty:CreatePublishingDestination", "guardduty:UpdatePublishingDestination",
          "guardduty:DescribePublishingDestination"}) {
      needed.push_back({action, detector});
    }
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::identity_policy)) {
      std::vector<std::string> missing;
      for (const Needed& n : needed) {
        iam::Request r;
        r.principal = {
            iam::RequestPrincipal::Kind::aws,
            fmt::format("arn:{}:iam::{}:role/guardduty-admin", s.partition, s.account.get())};
        r.action = n.action;
        r.resource = n.resource;
        r.set("aws:SecureTransport", "true");
        if (doc->evaluator->evaluate(r, false).decision != iam::Decision::allow)
          missing.push_back(n.action);
      }
      if (missing.empty()) continue;
      out.push_back(make_diagnostic(
          id(), support::statements_start(*doc),
          fmt::format("whoever uses this identity policy cannot configure the export to {}: it "
                      "does not allow {}",
                      support::export_objects_arn(s), fmt::join(missing, ", "))));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_configurer_permissions_missing_rule() {
  return std::make_unique<ConfigurerPermissionsMissingRule>();
}

}  // namespace gdl
