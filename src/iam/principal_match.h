#pragma once
// Internal to iam/: matching a request's principal against a policy's Principal or NotPrincipal
// ("AWS JSON policy elements: Principal").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam/request.h"
#include "policy/model.h"

namespace gdl::iam::detail {

// Views into the parsed text, which must outlive it (the caller's is parsed on every
// evaluation: owning copies were 3% of a scan).
struct AwsIdentity {
  std::string_view account;
  std::string_view role_name;  // for a role or an assumed-role session
  bool is_root = false;
  bool is_session = false;
};

std::optional<AwsIdentity> parse_aws_identity(std::string_view value);

enum class PrincipalMatch { none, identity, account };

// A policy principal entry compiled with its policy's evaluator: its type decided and an AWS
// principal's ARN parsed once, not on every evaluation. `value` views the policy's text.
struct CompiledPrincipal {
  enum class Type : std::uint8_t { aws, service, other };
  Type type = Type::other;
  std::string_view value;
  std::optional<AwsIdentity> identity;  // an AWS principal that parses as an account or ARN
};

struct CompiledPrincipals {
  bool everyone = false;  // "Principal": "*"
  std::vector<CompiledPrincipal> entries;
};

CompiledPrincipals compile_principals(const policy::PrincipalElement& element);

// The caller's identity when it is an AWS principal: parsed once per request, by the evaluator.
std::optional<AwsIdentity> caller_identity(const RequestPrincipal& caller);

bool principal_listed(const CompiledPrincipals& element, const RequestPrincipal& caller,
                      const std::optional<AwsIdentity>& caller_id);

// NotPrincipal spares a caller only when it is listed; an AWS principal other than an account
// root must be listed together with its account ("NotPrincipal": "you must also specify the
// account ARN"), because a request is evaluated for the principal and for its account.
bool spared_by_not_principal(const CompiledPrincipals& element, const RequestPrincipal& caller,
                             const std::optional<AwsIdentity>& caller_id);

std::string describe(const RequestPrincipal& p);

}  // namespace gdl::iam::detail
