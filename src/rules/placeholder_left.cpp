// GD005 placeholder-left: a value from AWS's example policies left unreplaced (123456789012,
// SourceDetectorID, Region2, "KMS key ARN", "[optional prefix]", amzn-s3-demo-bucket, ...).
// Template interpolation (${var.x}, ${AWS::AccountId}, {bucketName}) and IAM policy variables
// are unknown values, not placeholders, and are skipped.

#include <fmt/format.h>

#include <algorithm>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "iam/placeholders.h"

namespace gdl {
namespace {

class PlaceholderLeftRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      for (const policy::PrincipalEntry& e : s.principal.entries)
        check_value(ctx, s, "Principal", e.value, out);
      for (const policy::Text& r : s.resource.items) check_value(ctx, s, "Resource", r, out);
      for (const policy::ConditionClause& c : s.conditions) {
        for (const policy::Text& v : c.values) check_value(ctx, s, c.key.value, v, out);
      }
    }
  }

 private:
  void check_value(const PolicyContext& ctx, const policy::Statement& s, std::string_view element,
                   const policy::Text& value, std::vector<Diagnostic>& out) const {
    const std::string found = data::find_placeholder(value.value);
    if (found.empty()) return;
    // A value the user gave (an AWS example account passed as --account, say) is theirs.
    // (The whole given value is in the policy's, and holds the placeholder: --bucket
    // my-bucket-prod does not excuse a "my-bucket" left elsewhere.)
    if (std::any_of(ctx.given_values.begin(), ctx.given_values.end(),
                    [&found, &value](const std::string& given) {
                      return given.find(found) != std::string::npos &&
                             value.value.find(given) != std::string::npos;
                    }))
      return;
    const std::string what = value.value == found
                                 ? fmt::format("\"{}\"", found)
                                 : fmt::format("\"{}\" (in \"{}\")", found, value.value);
    const bool ours = found.starts_with('<');
    out.push_back(make_diagnostic(
        id(), make_location(ctx.source, value.span),
        fmt::format(
            "{} in {} of {} is {}, not yours: replace it, or this element never matches "
            "the real requests",
            what, element, s.label(),
            ours ? "a placeholder gd-export-lint wrote into a fix for a value it did not know"
                 : "a placeholder of the kind AWS's example policies write")));
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_placeholder_left_rule() {
  return std::make_unique<PlaceholderLeftRule>();
}

}  // namespace gdl
