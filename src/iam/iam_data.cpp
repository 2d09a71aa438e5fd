#include "iam/iam_data.h"

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <span>

#include "source/embedded.h"
#include "util/icase_lookup.h"
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

// The line's tab-separated fields when it has exactly N of them (no vector per line).
template <std::size_t N>
std::optional<std::array<std::string_view, N>> fields(std::string_view line) {
  std::array<std::string_view, N> out;
  for (std::size_t i = 0; i < N; ++i) {
    const std::size_t tab = line.find('\t');
    if ((tab == std::string_view::npos) != (i + 1 == N)) return std::nullopt;
    out[i] = line.substr(0, tab);
    line.remove_prefix(tab == std::string_view::npos ? line.size() : tab + 1);
  }
  return out;
}

// The tables are views into the compiled-in text: nothing is copied or lower-cased when they are
// built, and only a few vectors are freed at exit. Building them with a lower-cased std::string per
// name was a quarter of the instructions of checking one small file (process start to exit).

// Each table is looked up through an index of its names' case-folded hashes, built with the
// table (the first time it is used).
struct ServiceActions {
  std::string_view service;
  std::vector<std::string_view> names;  // canonical spellings, in file order
  IcaseIndex index;
};

constexpr std::array<std::string_view, 4> kServices = {"s3", "kms", "guardduty", "iam"};

// Each service's table is built the first time a policy names the service: a key policy never
// reads S3's or IAM's actions (building all four was 5% of checking one small file).
const ServiceActions& actions_of_service(std::size_t i) {
  static std::array<ServiceActions, kServices.size()> tables;
  static std::array<std::once_flag, kServices.size()> built;
  std::call_once(built[i], [i] {
    ServiceActions& list = tables[i];
    list.service = kServices[i];
    list.names =
        lines_of(embedded::data_file(std::string("actions-").append(kServices[i]).append(".txt")));
    list.index = IcaseIndex(list.names, std::identity{});
  });
  return tables[i];
}

const ServiceActions* service_actions(std::string_view service) {
  for (std::size_t i = 0; i < kServices.size(); ++i) {
    if (iequals(kServices[i], service)) return &actions_of_service(i);
  }
  return nullptr;
}

struct S3ResourceTypes {
  std::string_view action;
  std::string_view types;  // comma-separated, as written: no vector per action
};

constexpr auto kS3TypeAction = [](const S3ResourceTypes& t) { return t.action; };

struct S3Types {
  std::vector<S3ResourceTypes> all;
  IcaseIndex index;
};

// Only the rule that judges S3 resource ARNs reads this table: it is built on first use.
const S3Types& s3_types() {
  static const S3Types instance = [] {
    S3Types types;
    for (std::string_view line : lines_of(embedded::data_file("s3-action-resources.txt"))) {
      const auto parts = fields<2>(line);
      if (!parts) continue;
      types.all.push_back({(*parts)[0], (*parts)[1]});
    }
    types.index = IcaseIndex(types.all, kS3TypeAction);
    return types;
  }();
  return instance;
}

struct Keys {
  std::vector<ConditionKey> keys;  // in file order
  std::vector<std::size_t> exact;  // keys without a placeholder
  IcaseIndex exact_index;
  std::vector<std::pair<std::string_view, std::size_t>> placeholder;  // the name before "${"
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
      const auto parts = fields<3>(line);
      if (!parts) continue;
      k.keys.push_back({(*parts)[0], parse_type((*parts)[1]), (*parts)[2] == "multi"});
    }
    for (std::size_t i = 0; i < k.keys.size(); ++i) {
      const std::string_view name = k.keys[i].name;
      k.names.push_back(name);
      if (const std::size_t open = name.find("${"); open != std::string_view::npos) {
        k.placeholder.emplace_back(name.substr(0, open), i);
      } else {
        k.exact.push_back(i);
      }
    }
    k.exact_index = IcaseIndex(k.exact, [&k](std::size_t i) { return k.keys[i].name; });
    return k;
  }();
  return instance;
}

}  // namespace

std::string_view file(std::string_view name) {
  return embedded::data_file(name);
}

bool knows_service(std::string_view service) {
  return service_actions(service) != nullptr;
}

const std::string_view* find_action(std::string_view action) {
  // Every action of a file is written with its service's prefix.
  const ServiceActions* service = service_actions(action.substr(0, action.find(':')));
  if (service == nullptr) return nullptr;
  const std::size_t at = service->index.find(action);
  return at == IcaseIndex::npos ? nullptr : &service->names[at];
}

const std::vector<std::string_view>& actions_of(std::string_view service) {
  static const std::vector<std::string_view> none;
  const ServiceActions* found = service_actions(service);
  return found == nullptr ? none : found->names;
}

std::string_view s3_resource_types(std::string_view action) {
  const S3Types& types = s3_types();
  const std::size_t at = types.index.find(action);
  return at == IcaseIndex::npos ? std::string_view() : types.all[at].types;
}

bool lists_type(std::string_view types, std::string_view type) {
  while (!types.empty()) {
    const std::size_t comma = types.find(',');
    if (types.substr(0, comma) == type) return true;
    types.remove_prefix(comma == std::string_view::npos ? types.size() : comma + 1);
  }
  return false;
}

const ConditionKey* find_condition_key(std::string_view key) {
  const Keys& k = keys();
  if (const std::size_t at = k.exact_index.find(key); at != IcaseIndex::npos)
    return &k.keys[k.exact[at]];
  for (const auto& [prefix, index] : k.placeholder) {
    if (key.size() > prefix.size() && istarts_with(key, prefix)) return &k.keys[index];
  }
  return nullptr;
}

bool knows_key_prefix(std::string_view prefix) {
  return iequals(prefix, "aws") || iequals(prefix, "s3") || iequals(prefix, "kms");
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
