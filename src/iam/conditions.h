#pragma once
// Condition operators: parsing an operator name into its parts, and comparing values the way the
// IAM "Condition operators" documentation defines for each family.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdl::iam {

enum class OperatorFamily { string, arn, numeric, date, boolean, null, ip, binary };

enum class Comparison {
  equals,
  like,  // String*Like, ArnLike (and ArnEquals, which AWS documents as accepting wildcards too)
  less_than,
  less_than_equals,
  greater_than,
  greater_than_equals,
  in_range,  // IpAddress
};

enum class SetQualifier { none, for_any_value, for_all_values };

struct Operator {
  OperatorFamily family = OperatorFamily::string;
  Comparison comparison = Comparison::equals;
  bool negated = false;      // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool ignore_case = false;  // String*IgnoreCase
  bool if_exists = false;    // ...IfExists
  SetQualifier set = SetQualifier::none;
  std::string base_name;  // without qualifier and IfExists, e.g. "StringNotEquals"
};

// Parses "ForAnyValue:StringLikeIfExists" and friends; nullopt for an unknown operator.
std::optional<Operator> parse_operator(std::string_view name);

// All base operator names, for suggestions.
const std::vector<std::string_view>& operator_names();

// Parses a date (W3C ISO 8601: date, date-time with optional fraction and zone) or epoch seconds
// into seconds since the epoch.
std::optional<double> parse_date(std::string_view text);
std::optional<double> parse_number(std::string_view text);

// An IPv4 or IPv6 address or CIDR block.
struct IpRange {
  bool v6 = false;
  unsigned char bytes[16] = {};
  int prefix = 0;
};
std::optional<IpRange> parse_ip(std::string_view text);
bool ip_in_range(const IpRange& address, const IpRange& range);

}  // namespace gdl::iam
