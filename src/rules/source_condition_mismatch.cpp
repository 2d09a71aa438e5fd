// GD312 source-condition-mismatch: aws:SourceAccount / aws:SourceArn values in GuardDuty grants
// are malformed, or contradict the export settings the user gave (account, Region, detector).

#include <fmt/format.h>

#include <algorithm>

#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"
#include "util/text.h"

namespace gdl {
namespace {

bool templated(std::string_view v) {
  return v.find('{') != std::string_view::npos || v.find('$') != std::string_view::npos;
}
bool wildcard(std::string_view v) {
  return v.find_first_of("*?") != std::string_view::npos;
}

class SourceConditionMismatchRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD312"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const auto& doc : ctx.documents) {
      for (const policy::Statement& s : doc->policy.statements) {
        if (!exportcfg::names_guardduty(s)) continue;
        for (const policy::ConditionClause& c : s.conditions) {
          const auto op = iam::parse_operator(c.op.value);
          if (!op || op->negated) continue;
          for (const policy::Text& v : c.values) {
            if (templated(v.value)) continue;
            std::string problem;
            if (iequals(c.key.value, "aws:SourceAccount")) {
              problem = account_problem(ctx, v.value, "aws:SourceAccount");
            } else if (iequals(c.key.value, "aws:SourceArn")) {
              problem = arn_problem(ctx, v.value);
            }
            if (problem.empty()) continue;
            out.push_back(
                make_diagnostic(id(), make_location(*doc->source, v.span),
                                fmt::format("{} in {}: {}", c.key.value, s.label(), problem)));
          }
        }
      }
    }
  }

 private:
  static std::string account_problem(const SetupContext& ctx, std::string_view value,
                                     std::string_view what) {
    if (wildcard(value)) return {};
    if (!exportcfg::is_account_id(value)) {
      return fmt::format("\"{}\" is not a 12-digit account id, so GuardDuty's requests never match",
                         value);
    }
    if (support::given(ctx.settings.account) && ctx.settings.account.get() != value) {
      return fmt::format("{} \"{}\" is not the exporting account {} ({})", what, value,
                         ctx.settings.account.get(), ctx.settings.account.origin.detail);
    }
    return {};
  }

  static std::string arn_problem(const SetupContext& ctx, std::string_view value) {
    std::string_view parts[6];
    if (!iam::split_arn(value, parts) || parts[0] != "arn") {
      return fmt::format(
          "\"{}\" is not an ARN; GuardDuty's aws:SourceArn is "
          "arn:aws:guardduty:REGION:ACCOUNT:detector/DETECTOR-ID",
          value);
    }
    if (!wildcard(parts[2]) && parts[2] != "guardduty") {
      return fmt::format(
          "\"{}\" is an ARN of service \"{}\"; GuardDuty's aws:SourceArn is its detector ARN",
          value, parts[2]);
    }
    if (!wildcard(parts[4])) {
      if (auto p = account_problem(ctx, parts[4], "the account in aws:SourceArn"); !p.empty())
        return p;
    }
    const auto& regions = ctx.settings.regions;
    if (!wildcard(parts[3]) &&
        ctx.settings.regions_origin.kind != exportcfg::Origin::Kind::inferred &&
        ctx.settings.regions_origin.kind != exportcfg::Origin::Kind::assumed &&
        std::find(regions.begin(), regions.end(), parts[3]) == regions.end()) {
      return fmt::format("Region {} is not an exported Region ({})", parts[3],
                         fmt::join(regions, ", "));
    }
    if (!wildcard(parts[5])) {
      if (!parts[5].starts_with("detector/") || !exportcfg::is_detector_id(parts[5].substr(9))) {
        return fmt::format(
            "\"{}\" does not end in detector/DETECTOR-ID (32 lower-case hexadecimal characters)",
            value);
      }
      const std::string region(parts[3]);
      const std::string_view detector = parts[5].substr(9);
      const auto it = ctx.settings.detector_ids.find(region);
      const exportcfg::Value* configured =
          it != ctx.settings.detector_ids.end() ? &it->second : &ctx.settings.detector_id;
      if (support::given(*configured) && configured->get() != detector) {
        return fmt::format("detector {} is not the configured detector {} ({})", detector,
                           configured->get(), configured->origin.detail);
      }
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_source_condition_mismatch_rule() {
  return std::make_unique<SourceConditionMismatchRule>();
}

}  // namespace gdl
