#include "iam/conditions.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace gdl::iam {

namespace {

struct BaseOperator {
  std::string_view name;
  OperatorFamily family;
  Comparison comparison;
  bool negated;
  bool ignore_case;
};

// "IAM JSON policy elements: Condition operators".
constexpr std::array<BaseOperator, 27> kOperators = {{
    {"StringEquals", OperatorFamily::string, Comparison::equals, false, false},
    {"StringNotEquals", OperatorFamily::string, Comparison::equals, true, false},
    {"StringEqualsIgnoreCase", OperatorFamily::string, Comparison::equals, false, true},
    {"StringNotEqualsIgnoreCase", OperatorFamily::string, Comparison::equals, true, true},
    {"StringLike", OperatorFamily::string, Comparison::like, false, false},
    {"StringNotLike", OperatorFamily::string, Comparison::like, true, false},
    {"NumericEquals", OperatorFamily::numeric, Comparison::equals, false, false},
    {"NumericNotEquals", OperatorFamily::numeric, Comparison::equals, true, false},
    {"NumericLessThan", OperatorFamily::numeric, Comparison::less_than, false, false},
    {"NumericLessThanEquals", OperatorFamily::numeric, Comparison::less_than_equals, false, false},
    {"NumericGreaterThan", OperatorFamily::numeric, Comparison::greater_than, false, false},
    {"NumericGreaterThanEquals", OperatorFamily::numeric, Comparison::greater_than_equals, false,
     false},
    {"DateEquals", OperatorFamily::date, Comparison::equals, false, false},
    {"DateNotEquals", OperatorFamily::date, Comparison::equals, true, false},
    {"DateLessThan", OperatorFamily::date, Comparison::less_than, false, false},
    {"DateLessThanEquals", OperatorFamily::date, Comparison::less_than_equals, false, false},
    {"DateGreaterThan", OperatorFamily::date, Comparison::greater_than, false, false},
    {"DateGreaterThanEquals", OperatorFamily::date, Comparison::greater_than_equals, false, false},
    {"Bool", OperatorFamily::boolean, Comparison::equals, false, false},
    {"BinaryEquals", OperatorFamily::binary, Comparison::equals, false, false},
    {"IpAddress", OperatorFamily::ip, Comparison::in_range, false, false},
    {"NotIpAddress", OperatorFamily::ip, Comparison::in_range, true, false},
    // "ArnEquals/ArnLike ... Each of the six colon-delimited components of the ARN is checked
    // separately and each can include multi-character match wildcards (*) or single-character
    // match wildcards (?)": ArnEquals behaves like ArnLike.
    {"ArnEquals", OperatorFamily::arn, Comparison::like, false, false},
    {"ArnLike", OperatorFamily::arn, Comparison::like, false, false},
    {"ArnNotEquals", OperatorFamily::arn, Comparison::like, true, false},
    {"ArnNotLike", OperatorFamily::arn, Comparison::like, true, false},
    {"Null", OperatorFamily::null, Comparison::equals, false, false},
}};

}  // namespace

const std::vector<std::string_view>& operator_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& op : kOperators) v.push_back(op.name);
    return v;
  }();
  return names;
}

std::optional<Operator> parse_operator(std::string_view name) {
  Operator op;
  if (name.starts_with("ForAnyValue:")) {
    op.set = SetQualifier::for_any_value;
    name.remove_prefix(12);
  } else if (name.starts_with("ForAllValues:")) {
    op.set = SetQualifier::for_all_values;
    name.remove_prefix(13);
  }
  if (name.ends_with("IfExists") && name != "IfExists") {
    op.if_exists = true;
    name.remove_suffix(8);
  }
  for (const BaseOperator& base : kOperators) {
    if (base.name != name) continue;
    if (base.family == OperatorFamily::null && op.if_exists)
      return std::nullopt;  // no NullIfExists
    op.family = base.family;
    op.comparison = base.comparison;
    op.negated = base.negated;
    op.ignore_case = base.ignore_case;
    op.base_name = std::string(base.name);
    return op;
  }
  return std::nullopt;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  const char* first = text.data();
  if (*first == '+') ++first;
  const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3U : 9U)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

}  // namespace

std::optional<double> parse_date(std::string_view text) {
  // Epoch seconds: "Date values ... can be ... epoch (UNIX) time".
  if (!text.empty() && text.find_first_not_of("0123456789.") == std::string_view::npos)
    return parse_number(text);
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year)) return std::nullopt;
  if (pos < text.size() && text[pos] == '-') ++pos;
  if (!read_digits(text, pos, 2, month)) return std::nullopt;
  if (pos < text.size() && text[pos] == '-') ++pos;
  if (!read_digits(text, pos, 2, day)) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  double fraction = 0;
  long long offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!read_digits(text, pos, 2, hour)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!read_digits(text, pos, 2, minute)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, second)) return std::nullopt;
    }
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      const std::size_t start = pos;
      ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      std::string digits = "0" + std::string(text.substr(start, pos - start));
      digits[1] = '.';
      fraction = std::strtod(digits.c_str(), nullptr);
    }
    if (hour > 24 || minute > 59 || second > 60) return std::nullopt;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = 0, om = 0;
      if (!read_digits(text, pos, 2, oh)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (pos < text.size() && !read_digits(text, pos, 2, om)) return std::nullopt;
      offset_seconds = sign * (oh * 3600LL + om * 60LL);
    }
  } else if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  }
  if (pos != text.size()) return std::nullopt;
  const long long days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const long long seconds = days * 86400 + hour * 3600LL + minute * 60LL + second - offset_seconds;
  return static_cast<double>(seconds) + fraction;
}

namespace {

bool parse_ipv4(std::string_view text, unsigned char (&out)[4]) {
  int part = 0;
  std::size_t pos = 0;
  while (part < 4) {
    std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start || value > 255) return false;
    out[part++] = static_cast<unsigned char>(value);
    if (part < 4) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
  }
  return pos == text.size();
}

bool parse_ipv6(std::string_view text, unsigned char (&out)[16]) {
  std::vector<unsigned> head, tail;
  bool compressed = false;
  std::size_t pos = 0;
  if (text.starts_with("::")) {
    compressed = true;
    pos = 2;
  }
  while (pos < text.size()) {
    // An embedded IPv4 address ends the address.
    const std::size_t next_colon = text.find(':', pos);
    const std::string_view group =
        text.substr(pos, next_colon == std::string_view::npos ? text.npos : next_colon - pos);
    if (group.find('.') != std::string_view::npos) {
      unsigned char v4[4];
      if (!parse_ipv4(group, v4)) return false;
      auto& dst = compressed ? tail : head;
      dst.push_back(static_cast<unsigned>(v4[0] << 8 | v4[1]));
      dst.push_back(static_cast<unsigned>(v4[2] << 8 | v4[3]));
      pos = text.size();
      break;
    }
    if (group.empty() || group.size() > 4) return false;
    unsigned value = 0;
    for (const char c : group) {
      const int digit = (c >= '0' && c <= '9')   ? c - '0'
                        : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                        : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                 : -1;
      if (digit < 0) return false;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    (compressed ? tail : head).push_back(value);
    if (next_colon == std::string_view::npos) {
      pos = text.size();
    } else if (text.substr(next_colon, 2) == "::") {
      if (compressed) return false;
      compressed = true;
      pos = next_colon + 2;
    } else {
      pos = next_colon + 1;
      if (pos == text.size()) return false;
    }
  }
  const std::size_t groups = head.size() + tail.size();
  if (groups > 8 || (!compressed && groups != 8) || (compressed && groups == 8)) return false;
  std::vector<unsigned> all = head;
  all.resize(8 - tail.size(), 0);
  all.insert(all.end(), tail.begin(), tail.end());
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<unsigned char>(all[i] >> 8);
    out[2 * i + 1] = static_cast<unsigned char>(all[i] & 0xFF);
  }
  return true;
}

}  // namespace

std::optional<IpRange> parse_ip(std::string_view text) {
  IpRange range;
  std::string_view address = text;
  int prefix = -1;
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    const std::string_view bits = text.substr(slash + 1);
    int value = 0;
    const auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), value);
    if (error != std::errc() || end != bits.data() + bits.size() || bits.empty())
      return std::nullopt;
    prefix = value;
  }
  if (address.find(':') != std::string_view::npos) {
    range.v6 = true;
    if (!parse_ipv6(address, range.bytes)) return std::nullopt;
    range.prefix = prefix < 0 ? 128 : prefix;
    if (range.prefix > 128) return std::nullopt;
  } else {
    unsigned char v4[4];
    if (!parse_ipv4(address, v4)) return std::nullopt;
    std::copy(std::begin(v4), std::end(v4), range.bytes);
    // "If you don't specify a CIDR prefix, the address is treated as a /32" (Condition operators).
    range.prefix = prefix < 0 ? 32 : prefix;
    if (range.prefix > 32) return std::nullopt;
  }
  return range;
}

bool ip_in_range(const IpRange& address, const IpRange& range) {
  if (address.v6 != range.v6) return false;  // an IPv6 caller is outside an IPv4 range
  int bits = range.prefix;
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
    if ((address.bytes[i] & mask) != (range.bytes[i] & mask)) return false;
  }
  return true;
}

}  // namespace gdl::iam
