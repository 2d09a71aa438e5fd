// GD205 key-resource: in a key policy, the GuardDuty statement's Resource is neither "*" (which
// in a key policy means "this key") nor this key's ARN.

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

class KeyResourceRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD205"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::key_policy)) {
      for (const policy::Statement& s : doc->policy.statements) {
        if (!exportcfg::names_guardduty(s) || s.resource_negated) continue;
        for (const policy::Text& r : s.resource.items) {
          if (r.value == "*" || r.value == ctx.settings.key_arn.get()) continue;
          std::string problem;
          if (r.value.find(":alias/") != std::string::npos) {
            problem = "an alias ARN never matches: a key policy's Resource is the key itself";
          } else if (!exportcfg::key_arn_problem(r.value) && support::known(ctx.settings.key_arn)) {
            problem = fmt::format("it names another key than the export key {} ({})",
                                  ctx.settings.key_arn.get(), ctx.settings.key_arn.origin.detail);
          } else {
            continue;  // not a key ARN at all: GD106 / GD005 report it
          }
          Diagnostic d =
              make_diagnostic(id(), make_location(*doc->source, r.span),
                              fmt::format("Resource \"{}\" of {}: {}; write \"*\" (this key)",
                                          r.value, s.label(), problem));
          d.fix = Fix{"use \"*\", which in a key policy means this key",
                      {TextEdit{make_location(*doc->source, r.span), "\"*\""}}};
          out.push_back(std::move(d));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_resource_rule() {
  return std::make_unique<KeyResourceRule>();
}

}  // namespace gdl
