// GD105 action-name: malformed actions, and unknown actions of the services whose action lists
// we ship (s3, kms, guardduty, iam), with a "did you mean" suggestion. Case-insensitive, as AWS is.

#include <fmt/format.h>

#include <algorithm>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "iam/iam_data.h"
#include "iam/wildcard.h"
#include "policy/builder.h"
#include "util/text.h"

namespace gdl {
namespace {

bool well_formed(std::string_view action, std::string_view& service, std::string_view& name) {
  const std::size_t colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size()) return false;
  service = action.substr(0, colon);
  name = action.substr(colon + 1);
  const bool service_ok = std::all_of(service.begin(), service.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
  const bool name_ok = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' ||
           c == '?' || c == '-' || c == '_';
  });
  return service_ok && name_ok;
}

class ActionNameRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      for (const policy::Text& a : s.action.items) check_action(ctx, s, a, out);
    }
  }

 private:
  void check_action(const PolicyContext& ctx, const policy::Statement& s, const policy::Text& a,
                    std::vector<Diagnostic>& out) const {
    const std::string_view action = a.value;
    if (action == "*") return;
    // Computed only for a finding: a line and column cost more than the checks.
    auto where = [&] { return make_location(ctx.source, a.span); };
    std::string_view service;
    std::string_view name;
    if (!well_formed(action, service, name)) {
      out.push_back(make_diagnostic(
          id(), where(),
          fmt::format("\"{}\" in {} is not an action: actions are written service:ActionName, e.g. "
                      "\"s3:PutObject\" or \"kms:GenerateDataKey\"",
                      action, s.label())));
      return;
    }
    if (!data::knows_service(service)) return;
    const auto& known = data::actions_of(service);
    if (has_glob_char(action)) {
      const iam::Pattern pattern = iam::Pattern::glob(action, true);
      const bool matches_any = std::any_of(known.begin(), known.end(),
                                           [&](std::string_view k) { return pattern.matches(k); });
      if (!matches_any) {
        out.push_back(
            make_diagnostic(id(), where(),
                            fmt::format("\"{}\" in {} matches no {} action, so the statement never "
                                        "applies to it",
                                        action, s.label(), service)));
      }
      return;
    }
    if (data::find_action(action) != nullptr) return;
    const std::string_view suggestion = policy::closest_match(action, known);
    std::string message = fmt::format("unknown action \"{}\" in {}: {} has no such action", action,
                                      s.label(), service);
    if (!suggestion.empty()) message += fmt::format("; did you mean \"{}\"?", suggestion);
    const Location at = where();
    Diagnostic d = make_diagnostic(id(), at, std::move(message));
    if (!suggestion.empty()) {
      d.fix = Fix{fmt::format("write \"{}\"", suggestion),
                  {TextEdit{at, fmt::format("\"{}\"", suggestion)}}};
    }
    out.push_back(std::move(d));
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_action_name_rule() {
  return std::make_unique<ActionNameRule>();
}

}  // namespace gdl
