// GD103 policy-effect: Effect missing or not exactly "Allow" / "Deny" (case-sensitive).

#include <fmt/format.h>

#include <optional>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl {
namespace {

class PolicyEffectRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      if (auto d = check_statement(ctx, s)) out.push_back(std::move(*d));
    }
  }

 private:
  [[nodiscard]] std::optional<Diagnostic> check_statement(const PolicyContext& ctx,
                                                          const policy::Statement& s) const {
    if (!s.effect_text) {
      return make_diagnostic(
          id(), make_location(ctx.source, {s.span.begin, s.span.begin + 1}),
          fmt::format("{} has no \"Effect\"; write \"Effect\": \"Allow\" or \"Effect\": \"Deny\"",
                      s.label()));
    }
    if (s.effect != policy::Effect::invalid) return std::nullopt;
    const std::string& value = s.effect_text->value;
    const Location where = make_location(ctx.source, s.effect_text->span);
    for (const char* proper : {"Allow", "Deny"}) {
      if (!iequals(value, proper)) continue;
      Diagnostic d = make_diagnostic(
          id(), where,
          fmt::format(
              "\"Effect\": \"{}\" must be written exactly \"{}\"; Effect values are case-sensitive",
              value, proper));
      d.fix = Fix{fmt::format("write \"{}\"", proper),
                  {TextEdit{where, fmt::format("\"{}\"", proper)}}};
      return d;
    }
    return make_diagnostic(
        id(), where,
        fmt::format("\"Effect\": \"{}\" is not valid; Effect must be \"Allow\" or \"Deny\"",
                    value));
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_policy_effect_rule() {
  return std::make_unique<PolicyEffectRule>();
}

}  // namespace gdl
