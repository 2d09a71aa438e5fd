#include "containers/stand_ins.h"

#include <fmt/format.h>

namespace gdl::containers {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string hex_digits(std::string_view seed, std::size_t count) {
  std::string out;
  std::uint64_t hash = fnv1a(seed);
  while (out.size() < count) {
    out += "0123456789abcdef"[hash & 0xF];
    hash >>= 4;
    if (hash == 0) hash = fnv1a(out + std::string(seed));
  }
  return out;
}

std::string bucket_name_stand_in(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
  }
  out = out.substr(0, 48);
  return (out.empty() ? std::string("cfn") : out) + "-" + hex_digits(name, 8);
}

std::string key_id_stand_in(std::string_view name) {
  const std::string h = hex_digits(name, 32);
  return fmt::format("{}-{}-4{}-8{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 3),
                     h.substr(15, 3), h.substr(18, 12));
}

std::string detector_id_stand_in(std::string_view name) {
  return hex_digits(name, 32);
}

}  // namespace gdl::containers
