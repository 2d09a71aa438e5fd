#pragma once
// Internal to containers/: the concrete values checked for symbols a container leaves open (a
// template's ${AWS::AccountId}, a generated bucket name, a Terraform resource's key id). They
// are derived from the symbol's name, so the same input always gets the same values, and are
// distinctive, so that showing the symbol instead of a stand-in never rewrites another value.

#include <cstdint>
#include <string>
#include <string_view>

namespace gdl::containers {

// The account checked for an account nobody named (a run of zeros would match inside key ids).
inline constexpr std::string_view kAccountStandIn = "409732615928";

std::uint64_t fnv1a(std::string_view text);

// `count` lower-case hex digits derived from `seed`.
std::string hex_digits(std::string_view seed, std::size_t count);

// A valid bucket name derived from a name, made distinctive by a hash suffix.
std::string bucket_name_stand_in(std::string_view name);

// A KMS key id (a UUID) derived from a name.
std::string key_id_stand_in(std::string_view name);

// A GuardDuty detector id (32 hex digits) derived from a name.
std::string detector_id_stand_in(std::string_view name);

}  // namespace gdl::containers
