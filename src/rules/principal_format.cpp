// GD110 principal-format: malformed principals (account ids, IAM/STS ARNs, service names,
// wildcards inside ARNs, canonical user ids).

#include <fmt/format.h>

#include <algorithm>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Returns what is wrong with an "AWS" principal value, or empty.
std::string aws_problem(std::string_view value) {
  if (value == "*") return {};
  if (all_digits(value)) {
    return value.size() == 12
               ? std::string()
               : fmt::format("an account id has 12 digits; \"{}\" has {}", value, value.size());
  }
  if (!value.starts_with("arn:")) {
    return fmt::format("\"{}\" is neither a 12-digit account id nor an ARN", value);
  }
  std::string_view parts[6];
  if (!iam::split_arn(value, parts)) return fmt::format("\"{}\" is not a complete ARN", value);
  if (has_glob_char(value)) {
    return fmt::format(
        "\"{}\" contains a wildcard; principal ARNs cannot (use \"*\" with a condition such as "
        "aws:PrincipalArn instead)",
        value);
  }
  if (parts[2] != "iam" && parts[2] != "sts") {
    return fmt::format("\"{}\" is an ARN of service \"{}\", not an IAM or STS principal", value,
                       parts[2]);
  }
  const std::string_view account = parts[4];
  if (!(all_digits(account) && account.size() == 12)) {
    return fmt::format("the account id in \"{}\" must be 12 digits", value);
  }
  const std::string_view resource = parts[5];
  if (parts[2] == "iam") {
    if (resource == "root" || resource.starts_with("role/") || resource.starts_with("user/"))
      return {};
    return fmt::format(
        "\"{}\" is not a principal: IAM principals are :root, :role/NAME or :user/NAME", value);
  }
  if (parts[2] == "sts") {
    if (resource.starts_with("assumed-role/") || resource.starts_with("federated-user/")) return {};
    return fmt::format("\"{}\" is not a principal: STS principals are :assumed-role/ROLE/SESSION",
                       value);
  }
  return fmt::format("\"{}\" is an ARN of service \"{}\", not an IAM or STS principal", value,
                     parts[2]);
}

std::string service_problem(std::string_view value) {
  if (has_glob_char(value)) {
    return fmt::format("service principal \"{}\" contains a wildcard; name the service exactly",
                       value);
  }
  if (value.ends_with(".amazonaws.com") || value.ends_with(".amazonaws.com.cn")) {
    const std::string_view name = value.substr(0, value.find(".amazonaws.com"));
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        })) {
      return {};
    }
  }
  return fmt::format("\"{}\" is not a service principal; they look like guardduty.amazonaws.com",
                     value);
}

class PrincipalFormatRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      for (const policy::PrincipalEntry& e : s.principal.entries) {
        std::string problem;
        std::string suggestion;
        if (e.type == "AWS") {
          problem = aws_problem(e.value.value);
        } else if (e.type == "Service") {
          problem = service_problem(e.value.value);
          const std::string_view v = e.value.value;
          if (!problem.empty() && v.find('.') == std::string_view::npos && !has_glob_char(v) &&
              !v.empty()) {
            suggestion = fmt::format("{}.amazonaws.com", v);
          }
        } else if (e.type == "CanonicalUser") {
          const std::string_view v = e.value.value;
          const bool hex = v.size() == 64 && std::all_of(v.begin(), v.end(), [](char c) {
                             return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                           });
          if (!hex)
            problem = fmt::format("\"{}\" is not a canonical user id (64 hexadecimal digits)", v);
        }
        if (problem.empty()) continue;
        const Location where = make_location(ctx.source, e.value.span);
        Diagnostic d = make_diagnostic(id(), where, fmt::format("{}: {}", s.label(), problem));
        if (!suggestion.empty()) {
          d.fix = Fix{fmt::format("write \"{}\"", suggestion),
                      {TextEdit{where, fmt::format("\"{}\"", suggestion)}}};
        }
        out.push_back(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_principal_format_rule() {
  return std::make_unique<PrincipalFormatRule>();
}

}  // namespace gdl
