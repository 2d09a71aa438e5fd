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

#include "checks/setup_rule.h"
#include "diag/rule_catalog.h"
#include "iam/iam_data.h"

namespace gdl {
namespace {

class GuardDutyPrincipalRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const documents::Kind kind :
         {documents::Kind::key_policy, documents::Kind::bucket_policy}) {
      for (const exportcfg::PolicyDocument* doc : ctx.of_kind(kind)) check_document(*doc, out);
    }
  }

 private:
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
