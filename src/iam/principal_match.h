#pragma once
// Internal to iam/: matching a request's principal against a policy's Principal or NotPrincipal
// ("AWS JSON policy elements: Principal").

#include <optional>
#include <string>
#include <string_view>

#include "iam/request.h"
#include "policy/model.h"

namespace gdl::iam::detail {

// Views into the parsed text, which must outlive it (it is parsed for every principal entry of
// every evaluation: owning copies were 3% of a scan).
struct AwsIdentity {
  std::string_view account;
  std::string_view role_name;  // for a role or an assumed-role session
  bool is_root = false;
  bool is_session = false;
};

std::optional<AwsIdentity> parse_aws_identity(std::string_view value);

enum class PrincipalMatch { none, identity, account };

// How a policy principal entry matches the request principal: it names the caller itself
// (identity), or the caller's whole account (account), or not at all.
PrincipalMatch match_entry(const policy::PrincipalEntry& entry, const RequestPrincipal& caller);

bool principal_listed(const policy::PrincipalElement& element, const RequestPrincipal& caller);

// NotPrincipal spares a caller only when it is listed; an AWS principal other than an account
// root must be listed together with its account ("NotPrincipal": "you must also specify the
// account ARN"), because a request is evaluated for the principal and for its account.
bool spared_by_not_principal(const policy::PrincipalElement& element,
                             const RequestPrincipal& caller);

std::string describe(const RequestPrincipal& p);

}  // namespace gdl::iam::detail
