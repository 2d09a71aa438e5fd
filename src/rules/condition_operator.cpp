// GD107 condition-operator: unknown or misspelled operators, values of the wrong type for the
// operator, and ForAllValues on a single-valued key (true when the key is absent).

#include <fmt/format.h>

#include <algorithm>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "iam/conditions.h"
#include "iam/iam_data.h"
#include "policy/builder.h"
#include "util/text.h"

namespace gdl {
namespace {

// Suggests the operator the user probably meant, keeping their qualifier and IfExists.
std::string suggest(std::string_view written) {
  std::string_view prefix;
  std::string_view base = written;
  for (std::string_view q : {"ForAnyValue:", "ForAllValues:"}) {
    if (base.size() > q.size() && istarts_with(base, q)) {
      prefix = q;
      base.remove_prefix(q.size());
    }
  }
  std::string_view suffix;
  if (base.size() > 8 && iends_with(base, "IfExists")) {
    suffix = "IfExists";
    base.remove_suffix(8);
  }
  std::string_view match = policy::closest_match(base, iam::operator_names());
  if (match.empty() && suffix.empty()) {
    // A misspelled IfExists suffix: try the names with IfExists attached.
    static const std::vector<std::string> with_if_exists = [] {
      std::vector<std::string> names;
      for (std::string_view name : iam::operator_names())
        names.push_back(std::string(name) + "IfExists");
      return names;
    }();
    const std::vector<std::string_view> views(with_if_exists.begin(), with_if_exists.end());
    match = policy::closest_match(base, views);
  }
  if (match.empty()) return {};
  return fmt::format("{}{}{}", prefix, match, suffix);
}

std::string_view type_problem(const iam::Operator& op, std::string_view value) {
  switch (op.family) {
    case iam::OperatorFamily::boolean:
      return iequals(value, "true") || iequals(value, "false")
                 ? ""
                 : "a boolean (\"true\" or \"false\")";
    case iam::OperatorFamily::null:
      return iequals(value, "true") || iequals(value, "false")
                 ? ""
                 : "\"true\" (key absent) or \"false\" (key present)";
    case iam::OperatorFamily::numeric:
      return iam::parse_number(value) ? "" : "a number";
    case iam::OperatorFamily::date:
      return iam::parse_date(value)
                 ? ""
                 : "a date (ISO 8601 such as 2026-11-24T12:00:00Z, or epoch seconds)";
    case iam::OperatorFamily::ip:
      return iam::parse_ip(value) ? "" : "an IP address or CIDR block (203.0.113.0/24)";
    default:
      return "";
  }
}

class ConditionOperatorRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      const policy::Text* last_op = nullptr;
      for (const policy::ConditionClause& c : s.conditions) {
        const bool same_operator_as_before = last_op != nullptr && last_op->span == c.op.span;
        last_op = &c.op;
        const auto op = iam::parse_operator(c.op.value);
        if (!op) {
          if (!same_operator_as_before) report_unknown(ctx, s, c, out);
          continue;
        }
        for (const policy::Text& v : c.values) {
          const std::string_view expected = type_problem(*op, v.value);
          if (expected.empty()) continue;
          out.push_back(make_diagnostic(
              id(), make_location(ctx.source, v.span),
              fmt::format(
                  "{} expects {}, but the value for {} is \"{}\": this condition can never be true",
                  c.op.value, expected, c.key.value, v.value)));
        }
        if (op->family == iam::OperatorFamily::arn &&
            (op->base_name == "ArnEquals" || op->base_name == "ArnNotEquals")) {
          const bool wildcard =
              std::any_of(c.values.begin(), c.values.end(), [](const policy::Text& v) {
                return v.value.find_first_of("*?") != std::string::npos;
              });
          if (wildcard && !same_operator_as_before) {
            // "ArnEquals ... each can include a multi-character match wildcard": it is ArnLike.
            std::string like = c.op.value;
            like.replace(like.find("Equals"), 6, "Like");
            Diagnostic d = make_diagnostic(id(), make_location(ctx.source, c.op.span),
                                           fmt::format("{} with a wildcard value works exactly "
                                                       "like {}; write {}, which says what it does",
                                                       c.op.value, like, like));
            d.severity = Severity::note;
            if (!s.has_other_operator(like, c.op.span))
              d.fix = Fix{
                  fmt::format("use {}", like),
                  {TextEdit{make_location(ctx.source, c.op.span), fmt::format("\"{}\"", like)}}};
            out.push_back(std::move(d));
          }
        }
        if (op->set == iam::SetQualifier::for_all_values) {
          const data::ConditionKey* key = data::find_condition_key(c.key.value);
          if (key != nullptr && !key->multivalued) {
            Diagnostic d = make_diagnostic(
                id(), make_location(ctx.source, c.op.span),
                fmt::format(
                    "{} on the single-valued key {} is true when the request has no {} at all; {}",
                    c.op.value, key->name, key->name,
                    s.effect == policy::Effect::allow
                        ? "this Allow then also admits requests without the key"
                        : "use the operator without ForAllValues:"));
            // A hardening gap (the Allow admits more), not a document AWS rejects.
            d.severity = Severity::warning;
            const std::string plain = c.op.value.substr(std::string_view("ForAllValues:").size());
            if (!s.has_other_operator(plain, c.op.span))
              d.fix = Fix{
                  fmt::format("use {}", plain),
                  {TextEdit{make_location(ctx.source, c.op.span), fmt::format("\"{}\"", plain)}}};
            out.push_back(std::move(d));
          }
        }
      }
    }
  }

 private:
  void report_unknown(const PolicyContext& ctx, const policy::Statement& s,
                      const policy::ConditionClause& c, std::vector<Diagnostic>& out) const {
    const std::string suggestion = suggest(c.op.value);
    std::string message = fmt::format(
        "unknown condition operator \"{}\" in {}: AWS rejects the policy", c.op.value, s.label());
    if (!suggestion.empty()) message += fmt::format("; did you mean \"{}\"?", suggestion);
    Diagnostic d = make_diagnostic(id(), make_location(ctx.source, c.op.span), std::move(message));
    // Two misspellings of one operator: only the first is renamed (else a duplicate key).
    const bool earlier_renamed = std::any_of(
        s.conditions.begin(), s.conditions.end(), [&](const policy::ConditionClause& o) {
          return o.op.span.begin < c.op.span.begin && o.op.value != suggestion &&
                 suggest(o.op.value) == suggestion;
        });
    if (!suggestion.empty() && !earlier_renamed && !s.has_other_operator(suggestion, c.op.span)) {
      d.fix =
          Fix{fmt::format("write \"{}\"", suggestion),
              {TextEdit{make_location(ctx.source, c.op.span), fmt::format("\"{}\"", suggestion)}}};
    }
    out.push_back(std::move(d));
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_condition_operator_rule() {
  return std::make_unique<ConditionOperatorRule>();
}

}  // namespace gdl
