// GD311 guardduty-principal: a GuardDuty-like service principal that GuardDuty never calls as: a
// misspelt one (guardduty.me-south1.amazonaws.com), or the regional principal of a Region that
// is not opt-in (GuardDuty calls from there as guardduty.amazonaws.com).
//
// Whether GuardDuty's requests are allowed is simulated (GD201, GD301, GD302), with the regional
// principal in opt-in Regions; a Deny that names only the global principal is a hardening gap
// the simulated uploads show (GD304, GD305). A principal list is OR'ed, so the regional
// principals of Regions that are not exported grant nothing and are no finding: org-wide
// templates name every opt-in Region on purpose.

#include <fmt/format.h>

#include <algorithm>

#include "checks/probes.h"
#include "checks/settings_view.h"
#include "checks/setup_rule.h"
#include "diag/rule_catalog.h"
#include "export/setup.h"
#include "iam/iam_data.h"

namespace gdl {
namespace {

class GuardDutyPrincipalRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const documents::Kind kind :
         {documents::Kind::key_policy, documents::Kind::bucket_policy}) {
      for (const exportcfg::PolicyDocument* doc : ctx.of_kind(kind)) {
        check_document(*doc, out);
        check_regions_beyond_opt_in(ctx, *doc, out);
      }
    }
  }

 private:
  // Regions inferred from regional principals alone (nothing gave them) are opt-in Regions, and
  // so are the only ones checked. GuardDuty calls from every other Region as
  // guardduty.amazonaws.com: when the policy lets GuardDuty in from the opt-in Regions but not
  // as that principal, a note says the export works from those Regions only (an assumption the
  // user should confirm, not a failure: an opt-in-only export is possible).
  void check_regions_beyond_opt_in(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                                   std::vector<Diagnostic>& out) const {
    const exportcfg::ExportSettings& settings = ctx.settings;
    // (Inference takes Regions from ARNs and object paths first: these came from principals.)
    if (settings.regions_origin.kind != exportcfg::Origin::Kind::inferred ||
        !settings.regions_origin.detail.ends_with("(regional principal)") ||
        settings.regions_origin.stand_in || settings.regions.empty() ||
        !std::all_of(settings.regions.begin(), settings.regions.end(),
                     [](const std::string& r) { return data::is_opt_in_region(r); }))
      return;
    auto ours = [&doc](const iam::Request& r) { return support::addressed_to(r, doc.kind); };
    const bool opt_in_allowed =
        std::any_of(ctx.requests.begin(), ctx.requests.end(), [&](const auto& r) {
          return ours(r.request) &&
                 doc.evaluator->evaluate(r.request, false).decision == iam::Decision::allow;
        });
    if (!opt_in_allowed) return;  // GD201/GD301/GD302 report the Regions checked
    exportcfg::ExportSettings elsewhere = settings;
    const std::string region = settings.partition == "aws-us-gov" ? "us-gov-west-1"
                               : settings.partition == "aws-cn"   ? "cn-north-1"
                                                                  : "us-east-1";
    elsewhere.regions = {region};
    const std::vector<exportcfg::GuardDutyRequest> requests =
        exportcfg::guardduty_requests(elsewhere, false);
    const exportcfg::GuardDutyRequest* refused = nullptr;
    for (const exportcfg::GuardDutyRequest& r : requests) {
      if (!ours(r.request)) continue;
      if (doc.evaluator->evaluate(r.request, false).decision == iam::Decision::allow) return;
      if (refused == nullptr) refused = &r;
    }
    if (refused == nullptr) return;
    const policy::PrincipalEntry* regional = nullptr;
    for (const policy::Statement& st : doc.policy.statements) {
      for (const policy::PrincipalEntry& e : st.principal.entries) {
        if (regional == nullptr && e.type == "Service" &&
            e.value.value != "guardduty.amazonaws.com" &&
            exportcfg::is_guardduty_principal(e.value.value))
          regional = &e;
      }
    }
    if (regional == nullptr) return;
    out.push_back(make_diagnostic(
        id(), make_location(*doc.source, regional->value.span),
        fmt::format("the Regions checked, {}, are the opt-in Regions whose principals this policy "
                    "names: GuardDuty in any other Region calls as guardduty.amazonaws.com, "
                    "which it does not let call {} (an export from {} would fail); give "
                    "--region to check the Regions you export from",
                    support::regions_list(settings.regions), refused->request.action, region)));
  }

  void check_document(const exportcfg::PolicyDocument& d, std::vector<Diagnostic>& out) const {
    const exportcfg::PolicyDocument* doc = &d;
    {
      for (const policy::Statement& s : doc->policy.statements) {
        for (const policy::PrincipalEntry& e : s.principal.entries) {
          if (e.type != "Service") continue;
          const std::string& name = e.value.value;
          if (name == "guardduty.amazonaws.com" || !name.starts_with("guardduty")) continue;
          std::string problem;
          if (!exportcfg::is_guardduty_principal(name)) {
            problem = fmt::format(
                "\"{}\" is not a GuardDuty service principal (guardduty.amazonaws.com, or "
                "guardduty.REGION.amazonaws.com in an opt-in Region): GuardDuty never calls as it",
                name);
          } else if (const std::string region = name.substr(10, name.size() - 24);
                     !data::is_opt_in_region(region)) {
            problem = fmt::format(
                "{} is not an opt-in Region: GuardDuty calls from there as "
                "guardduty.amazonaws.com, never as \"{}\", so this entry of {} never matches",
                region, name, s.label());
          }
          if (problem.empty()) continue;
          out.push_back(
              make_diagnostic(id(), make_location(*doc->source, e.value.span), std::move(problem)));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_guardduty_principal_rule() {
  return std::make_unique<GuardDutyPrincipalRule>();
}

}  // namespace gdl
