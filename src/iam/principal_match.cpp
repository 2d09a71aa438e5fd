#include "iam/principal_match.h"

#include <fmt/format.h>

#include "iam/wildcard.h"

namespace gdl::iam::detail {

std::optional<AwsIdentity> parse_aws_identity(std::string_view value) {
  AwsIdentity id;
  if (value.size() == 12 && value.find_first_not_of("0123456789") == std::string_view::npos) {
    id.account = value;
    id.is_root = true;
    return id;
  }
  std::string_view parts[6];
  if (!split_arn(value, parts) || parts[0] != "arn") return std::nullopt;
  id.account = parts[4];
  const std::string_view resource = parts[5];
  if (parts[2] == "iam" && resource == "root") {
    id.is_root = true;
  } else if (parts[2] == "iam" && resource.starts_with("role/")) {
    const std::size_t slash = resource.rfind('/');
    id.role_name = resource.substr(slash + 1);
  } else if (parts[2] == "sts" && resource.starts_with("assumed-role/")) {
    const std::string_view rest = resource.substr(13);
    id.role_name = rest.substr(0, rest.find('/'));
    id.is_session = true;
  }
  return id;
}

std::optional<AwsIdentity> caller_identity(const RequestPrincipal& caller) {
  if (caller.kind != RequestPrincipal::Kind::aws) return std::nullopt;
  return parse_aws_identity(caller.value);
}

namespace {

// How a policy principal entry matches the request principal: it names the caller itself
// (identity), or the caller's whole account (account), or not at all.
PrincipalMatch match_entry(const CompiledPrincipal& entry, const RequestPrincipal& caller,
                           const std::optional<AwsIdentity>& caller_id) {
  const std::string_view value = entry.value;
  switch (entry.type) {
    case CompiledPrincipal::Type::aws: {
      // {"AWS": "*"}: every principal. AWS documents it as equal to "*" for anonymous callers
      // and does not settle service principals; we treat it as "*" (see README, "Evaluator").
      if (value == "*") return PrincipalMatch::identity;
      if (caller.kind != RequestPrincipal::Kind::aws) return PrincipalMatch::none;
      const auto& policy_id = entry.identity;
      if (!policy_id || !caller_id)
        return value == caller.value ? PrincipalMatch::identity : PrincipalMatch::none;
      // An account id or :root ARN stands for every principal of the account.
      if (policy_id->is_root) {
        if (policy_id->account != caller_id->account) return PrincipalMatch::none;
        return caller_id->is_root ? PrincipalMatch::identity : PrincipalMatch::account;
      }
      if (value == caller.value) return PrincipalMatch::identity;
      // A role ARN matches the role's sessions.
      if (!policy_id->role_name.empty() && !policy_id->is_session && caller_id->is_session &&
          policy_id->account == caller_id->account &&
          policy_id->role_name == caller_id->role_name) {
        return PrincipalMatch::identity;
      }
      return PrincipalMatch::none;
    }
    case CompiledPrincipal::Type::service:
      // A service principal matches only its exact name: guardduty.amazonaws.com is not
      // guardduty.me-south-1.amazonaws.com.
      if (value == "*") return PrincipalMatch::identity;
      return caller.kind == RequestPrincipal::Kind::service && value == caller.value
                 ? PrincipalMatch::identity
                 : PrincipalMatch::none;
    case CompiledPrincipal::Type::other:
      break;
  }
  return PrincipalMatch::none;  // Federated / CanonicalUser callers are not modelled
}

}  // namespace

CompiledPrincipals compile_principals(const policy::PrincipalElement& element) {
  CompiledPrincipals out;
  out.everyone = element.everyone;
  out.entries.reserve(element.entries.size());
  for (const policy::PrincipalEntry& e : element.entries) {
    CompiledPrincipal& c = out.entries.emplace_back();
    c.value = e.value.value;
    if (e.type == "AWS") {
      c.type = CompiledPrincipal::Type::aws;
      c.identity = parse_aws_identity(c.value);
    } else if (e.type == "Service") {
      c.type = CompiledPrincipal::Type::service;
    }
  }
  return out;
}

bool principal_listed(const CompiledPrincipals& element, const RequestPrincipal& caller,
                      const std::optional<AwsIdentity>& caller_id) {
  if (element.everyone) return true;
  for (const CompiledPrincipal& entry : element.entries) {
    if (match_entry(entry, caller, caller_id) != PrincipalMatch::none) return true;
  }
  return false;
}

bool spared_by_not_principal(const CompiledPrincipals& element, const RequestPrincipal& caller,
                             const std::optional<AwsIdentity>& caller_id) {
  if (element.everyone) return true;
  bool identity = false;
  bool account = false;
  for (const CompiledPrincipal& entry : element.entries) {
    const PrincipalMatch m = match_entry(entry, caller, caller_id);
    if (m == PrincipalMatch::identity) identity = true;
    if (m == PrincipalMatch::account) account = true;
    if (m == PrincipalMatch::identity && entry.type == CompiledPrincipal::Type::aws &&
        entry.identity && entry.identity->is_root)
      account = true;
  }
  if (caller.kind != RequestPrincipal::Kind::aws) return identity;
  if (caller_id && caller_id->is_root) return identity;
  return identity && account;
}

std::string describe(const RequestPrincipal& p) {
  switch (p.kind) {
    case RequestPrincipal::Kind::anonymous:
      return "an anonymous caller";
    case RequestPrincipal::Kind::service:
      return fmt::format("service principal {}", p.value);
    case RequestPrincipal::Kind::aws:
      return fmt::format("AWS principal {}", p.value);
  }
  return "the caller";
}

}  // namespace gdl::iam::detail
