// GD501 configurer-permissions-missing: the identity policy of whoever configures the export
// lacks what the console needs: s3:GetBucketLocation and s3:PutObject on the destination, with a
// prefix also s3:GetObject and s3:ListBucket, kms:ListAliases, and the GuardDuty
// publishing-destination actions. An identity policy is taken as the configurer's only when it
// grants one of those GuardDuty actions somewhere.

#include <fmt/format.h>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

// Whether an Allow statement of the evaluated policy names the request's action: it applied, or
// only its Resource or Condition did not match (the evaluator checks Action before them).
bool allow_covers_action(const iam::Evaluation& e) {
  for (const iam::StatementTrace& t : e.statements) {
    if (t.effect != policy::Effect::allow) continue;
    if (t.applies || t.element == "Resource" || t.element == "NotResource" ||
        t.element == "Condition")
      return true;
  }
  return false;
}

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
      bool configures_guardduty = false;
      for (const Needed& n : needed) {
        iam::Request r;
        r.principal = {
            iam::RequestPrincipal::Kind::aws,
            fmt::format("arn:{}:iam::{}:role/guardduty-admin", s.partition, s.account.get())};
        r.action = n.action;
        r.resource = n.resource;
        r.set("aws:SecureTransport", "true");
        const iam::Evaluation e = doc->evaluator->evaluate(r, false);
        if (e.decision != iam::Decision::allow) missing.push_back(n.action);
        if (n.action.starts_with("guardduty:") && allow_covers_action(e))
          configures_guardduty = true;
      }
      // Only the configurer's policy is judged: one that grants a publishing-destination action
      // (on any resource, under any condition). Other identity policies beside the export's (a
      // reader's, a function's) are someone else's and need none of this.
      if (missing.empty() || !configures_guardduty) continue;
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
