#include "iam/iam_data.h"

#include <algorithm>
#include <map>
#include <span>
#include <unordered_map>

#include "source/embedded.h"
#include "util/text.h"

namespace gdl {
namespace data {

namespace {

// Non-empty lines that are not '#' comments.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') lines.push_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t next = line.find(separator, start);
    parts.push_back(line.substr(start, next == std::string_view::npos ? line.npos : next - start));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return parts;
}

struct Actions {
  std::unordered_map<std::string, std::string> by_lower;  // lower-case -> canonical
  std::map<std::string, std::vector<std::string_view>, std::less<>> by_service;
  std::unordered_map<std::string, std::vector<std::string>> s3_types;  // lower-case action
};

const Actions& actions() {
  static const Actions instance = [] {
    Actions a;
    for (const char* service : {"s3", "kms", "guardduty", "iam"}) {
      auto& list = a.by_service[service];
      for (std::string_view line :
           lines_of(embedded::data_file(std::string("actions-") + service + ".txt"))) {
        a.by_lower.emplace(to_lower(line), std::string(line));
        list.push_back(line);
      }
    }
    for (std::string_view line : lines_of(embedded::data_file("s3-action-resources.txt"))) {
      const auto parts = split(line, '\t');
      if (parts.size() != 2) continue;
      std::vector<std::string> types;
      for (std::string_view t : split(parts[1], ',')) types.emplace_back(t);
      a.s3_types.emplace(to_lower(parts[0]), std::move(types));
    }
    return a;
  }();
  return instance;
}

struct Keys {
  std::vector<ConditionKey> keys;
  std::unordered_map<std::string, std::size_t> exact;            // lower-case name -> index
  std::vector<std::pair<std::string, std::size_t>> placeholder;  // lower-case prefix before "${"
  std::vector<std::string_view> names;
};

KeyType parse_type(std::string_view t) {
  if (t == "ARN") return KeyType::arn;
  if (t == "Bool") return KeyType::boolean;
  if (t == "Numeric") return KeyType::numeric;
  if (t == "Date") return KeyType::date;
  if (t == "IPAddress") return KeyType::ip;
  if (t == "Binary") return KeyType::binary;
  return KeyType::string;
}

const Keys& keys() {
  static const Keys instance = [] {
    Keys k;
    for (std::string_view line : lines_of(embedded::data_file("condition-keys.txt"))) {
      const auto parts = split(line, '\t');
      if (parts.size() != 3) continue;
      k.keys.push_back({std::string(parts[0]), parse_type(parts[1]), parts[2] == "multi"});
    }
    for (std::size_t i = 0; i < k.keys.size(); ++i) {
      const std::string& name = k.keys[i].name;
      k.names.push_back(name);
      if (const std::size_t open = name.find("${"); open != std::string::npos) {
        k.placeholder.emplace_back(to_lower(name.substr(0, open)), i);
      } else {
        k.exact.emplace(to_lower(name), i);
      }
    }
    return k;
  }();
  return instance;
}

// A per-thread buffer for lower-cased lookup names (each function below uses it once).
std::string& lookup_buffer() {
  thread_local std::string buffer;
  return buffer;
}

}  // namespace

std::string_view file(std::string_view name) {
  return embedded::data_file(name);
}

bool knows_service(std::string_view service) {
  return actions().by_service.find(to_lower(service, lookup_buffer())) !=
         actions().by_service.end();
}

const std::string* find_action(std::string_view action) {
  const auto& by_lower = actions().by_lower;
  auto it = by_lower.find(to_lower(action, lookup_buffer()));
  return it == by_lower.end() ? nullptr : &it->second;
}

const std::vector<std::string_view>& actions_of(std::string_view service) {
  static const std::vector<std::string_view> none;
  auto it = actions().by_service.find(to_lower(service, lookup_buffer()));
  return it == actions().by_service.end() ? none : it->second;
}

const std::vector<std::string>& s3_resource_types(std::string_view action) {
  static const std::vector<std::string> none;
  auto it = actions().s3_types.find(to_lower(action, lookup_buffer()));
  return it == actions().s3_types.end() ? none : it->second;
}

const ConditionKey* find_condition_key(std::string_view key) {
  const Keys& k = keys();
  const std::string lower = to_lower(key);
  if (auto it = k.exact.find(lower); it != k.exact.end()) return &k.keys[it->second];
  for (const auto& [prefix, index] : k.placeholder) {
    if (lower.size() > prefix.size() && lower.starts_with(prefix)) return &k.keys[index];
  }
  return nullptr;
}

bool knows_key_prefix(std::string_view prefix) {
  const std::string lower = to_lower(prefix);
  return lower == "aws" || lower == "s3" || lower == "kms";
}

const std::vector<std::string_view>& condition_key_names() {
  return keys().names;
}

bool is_opt_in_region(std::string_view region) {
  static const std::vector<std::string_view> regions =
      lines_of(embedded::data_file("opt-in-regions.txt"));
  return std::find(regions.begin(), regions.end(), region) != regions.end();
}

}  // namespace data
}  // namespace gdl
