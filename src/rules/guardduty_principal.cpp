// GD311 guardduty-principal: a malformed GuardDuty principal, the global principal used for an
// opt-in Region (GuardDuty uses guardduty.<region>.amazonaws.com there), or a regional principal
// for a Region that is not exported.

#include <fmt/format.h>

#include <algorithm>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/iam_data.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

class GuardDutyPrincipalRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD311"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const auto& regions = ctx.settings.regions;
    for (const auto& doc : ctx.documents) {
      if (doc->kind != documents::Kind::key_policy && doc->kind != documents::Kind::bucket_policy)
        continue;
      for (const policy::Statement& s : doc->policy.statements) {
        bool has_global = false;
        std::vector<std::string> regional;
        for (const policy::PrincipalEntry& e : s.principal.entries) {
          if (e.type != "Service") continue;
          const std::string& name = e.value.value;
          if (name == "guardduty.amazonaws.com") {
            has_global = true;
            continue;
          }
          if (!name.starts_with("guardduty")) continue;
          const Location where = make_location(*doc->source, e.value.span);
          if (!exportcfg::is_guardduty_principal(name)) {
            out.push_back(make_diagnostic(
                id(), where,
                fmt::format(
                    "\"{}\" is not a GuardDuty service principal; use guardduty.amazonaws.com, or "
                    "guardduty.REGION.amazonaws.com for an opt-in Region",
                    name)));
            continue;
          }
          const std::string region = name.substr(10, name.size() - 24);
          regional.push_back(region);
          if (std::find(regions.begin(), regions.end(), region) == regions.end() &&
              ctx.settings.regions_origin.kind != exportcfg::Origin::Kind::assumed) {
            out.push_back(make_diagnostic(
                id(), where,
                fmt::format(
                    "{} names the regional principal of {}, which is not an exported Region ({})",
                    s.label(), region, fmt::join(regions, ", "))));
          } else if (!data::is_opt_in_region(region)) {
            out.push_back(make_diagnostic(id(), where,
                                          fmt::format("{} is not an opt-in Region: GuardDuty calls "
                                                      "from there as guardduty.amazonaws.com, "
                                                      "never as \"{}\"",
                                                      region, name)));
          }
        }
        if (!has_global || s.principal_negated) continue;
        for (const std::string& region : regions) {
          if (!data::is_opt_in_region(region)) continue;
          if (std::find(regional.begin(), regional.end(), region) != regional.end()) continue;
          const std::string principal = exportcfg::guardduty_principal(region);
          Diagnostic d = make_diagnostic(
              id(), make_location(*doc->source, s.principal.span),
              fmt::format("{} is an opt-in Region: GuardDuty there calls as {}, but {} names only "
                          "guardduty.amazonaws.com",
                          region, principal, s.label()));
          d.fix =
              Fix{fmt::format("name both principals"),
                  {TextEdit{make_location(*doc->source, s.principal.span),
                            fmt::format("{{\"Service\": [\"guardduty.amazonaws.com\", \"{}\"]}}",
                                        principal)}}};
          out.push_back(std::move(d));
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
