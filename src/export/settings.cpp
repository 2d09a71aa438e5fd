#include "export/settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "diag/rule_catalog.h"
#include "iam/wildcard.h"
#include "json/parser.h"

namespace gdl::exportcfg {

std::string ExportSettings::detector_for(const std::string& region) const {
  if (auto it = detector_ids.find(region); it != detector_ids.end() && it->second.known())
    return it->second.get();
  return detector_id.known() ? detector_id.get() : std::string();
}

std::string normalize_prefix(std::string_view prefix) {
  while (!prefix.empty() && prefix.front() == '/') prefix.remove_prefix(1);
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  return std::string(prefix);
}

bool is_account_id(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void add_written_accounts(std::string_view text, std::vector<std::string>& accounts) {
  // Every file of a scan passes through here, so it looks at one byte in twelve where digits are
  // rare: a run of 12 digits starting anywhere in [i, i + 11] covers i + 11, so when that byte is
  // not a digit the whole window is skipped. `i` never starts inside a run that goes on past it
  // (text[i] is not a digit, or the byte before it is not), so a run found around i + 11 begins
  // at or after i.
  constexpr std::size_t kAccountLength = 12;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0;
  while (text.size() - i >= kAccountLength) {
    const std::size_t probe = i + kAccountLength - 1;
    if (!digit(text[probe])) {
      i = probe + 1;
      continue;
    }
    std::size_t start = probe;
    while (start > i && digit(text[start - 1])) --start;
    std::size_t end = probe + 1;
    while (end < text.size() && digit(text[end])) ++end;
    const std::string_view run = text.substr(start, end - start);
    if (run.size() == kAccountLength &&
        std::find(accounts.begin(), accounts.end(), run) == accounts.end())
      accounts.emplace_back(run);
    i = end;
  }
}

bool is_detector_id(std::string_view text) {
  return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string_view dns_suffix(std::string_view partition) {
  return partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

bool is_partition(std::string_view text) {
  static constexpr std::string_view kPartitions[] = {
      "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"};
  return std::find(std::begin(kPartitions), std::end(kPartitions), text) != std::end(kPartitions);
}

std::string_view partition_of_region(std::string_view region) {
  // Longest prefixes first: us-isob- and us-isof- before us-iso-.
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"us-gov-", "aws-us-gov"}, {"cn-", "aws-cn"},      {"us-isob-", "aws-iso-b"},
      {"us-isof-", "aws-iso-f"}, {"us-iso-", "aws-iso"}, {"eu-isoe-", "aws-iso-e"},
      {"eusc-", "aws-eusc"}};
  for (const auto& [prefix, partition] : kPrefixes) {
    if (region.starts_with(prefix)) return partition;
  }
  return "aws";
}

std::optional<std::string_view> common_partition(const std::vector<std::string>& regions) {
  if (regions.empty()) return std::nullopt;
  const std::string_view first = partition_of_region(regions.front());
  const bool agree = std::all_of(regions.begin(), regions.end(), [first](const std::string& r) {
    return partition_of_region(r) == first;
  });
  return agree ? std::optional(first) : std::nullopt;
}

bool is_region(std::string_view text) {
  // xx-name-N, e.g. us-east-1, ap-southeast-4, us-gov-west-1.
  const std::size_t last = text.rfind('-');
  if (last == std::string_view::npos || last + 1 >= text.size() || text.find('-') == last)
    return false;
  const bool digits = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(last + 1), text.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
  const bool letters = std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(last),
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  return digits && letters;
}

std::optional<std::string> key_arn_problem(std::string_view text) {
  // alias/aws/s3 and its kind name AWS managed keys: their key policies are AWS's and cannot
  // let GuardDuty use them, so resolving the alias to its key ARN would not help.
  if (const std::size_t alias = text.find("alias/aws/");
      alias != std::string_view::npos && (alias == 0 || text[alias - 1] == ':')) {
    return fmt::format(
        "\"{}\" names an AWS managed key, whose key policy cannot be changed to let GuardDuty "
        "use it; create a customer managed key and give its ARN (…:key/KEY-ID)",
        text);
  }
  std::string_view parts[6];
  if (!text.starts_with("arn:") || !iam::split_arn(text, parts) || parts[2] != "kms") {
    if (text.starts_with("alias/")) return "an alias name; GuardDuty needs the key ARN";
    return fmt::format("\"{}\" is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)", text);
  }
  if (parts[5].starts_with("alias/")) {
    return fmt::format(
        "\"{}\" is an alias ARN; GuardDuty needs the ARN of the key itself (…:key/KEY-ID)", text);
  }
  if (!parts[5].starts_with("key/") || parts[5].size() <= 4) {
    return fmt::format("\"{}\" is not a key ARN: the resource part must be key/KEY-ID", text);
  }
  if (text.find_first_of("*?") != std::string_view::npos)
    return fmt::format("\"{}\" is a pattern, not the ARN of one key", text);
  if (!is_region(parts[3])) return fmt::format("\"{}\" has no valid Region", text);
  if (!is_account_id(parts[4])) return fmt::format("\"{}\" has no valid 12-digit account id", text);
  return std::nullopt;
}

namespace {

class ConfigReader {
 public:
  ConfigReader(const SourceFile& source, ConfigResult& result) : source_(source), result_(result) {}

  void read(const json::Value& root) {
    if (!root.is_object()) {
      error(root.span, "the export settings must be a JSON object");
      return;
    }
    if (const json::Member* destination = root.find("DestinationProperties")) {
      read_publishing_destination(root, *destination);
      return;
    }
    for (const json::Member& m : root.members) {
      if (m.key == "account") {
        if (auto v = string_value(m, is_account_id, "a 12-digit account id"))
          set(result_.settings.account, *v, m);
      } else if (m.key == "regions") {
        read_regions(m);
      } else if (m.key == "detectorId") {
        if (auto v = string_value(m, is_detector_id,
                                  "a detector id (32 lower-case hexadecimal characters)")) {
          set(result_.settings.detector_id, *v, m);
        }
      } else if (m.key == "detectorIds") {
        read_detector_ids(m);
      } else if (m.key == "bucket") {
        if (auto v = string_value(m, nullptr, "")) set(result_.settings.bucket, *v, m);
      } else if (m.key == "prefix") {
        if (auto v = string_value(m, nullptr, ""))
          set(result_.settings.prefix, normalize_prefix(*v), m);
      } else if (m.key == "bucketRegion") {
        if (auto v = string_value(m, is_region, "a Region such as us-east-1"))
          set(result_.settings.bucket_region, *v, m);
      } else if (m.key == "bucketAccount") {
        if (auto v = string_value(m, is_account_id, "a 12-digit account id"))
          set(result_.settings.bucket_account, *v, m);
      } else if (m.key == "kmsKeyArn") {
        read_key(m);
      } else {
        error(m.key_span,
              fmt::format("unknown setting \"{}\"; the settings are account, regions, detectorIds, "
                          "detectorId, bucket, prefix, bucketRegion, bucketAccount and kmsKeyArn",
                          m.key));
      }
    }
  }

 private:
  void error(Span span, std::string message) {
    result_.diagnostics.push_back(
        make_diagnostic("GD004", make_location(source_, span), std::move(message)));
  }

  void set(Value& target, std::string value, const json::Member& m) {
    target.value = std::move(value);
    target.origin = {Origin::Kind::config, fmt::format("{} (\"{}\")", source_.path(), m.key),
                     make_location(source_, m.value.span)};
  }

  std::optional<std::string> string_value(const json::Member& m, bool (*valid)(std::string_view),
                                          std::string_view what) {
    if (!m.value.is_string()) {
      error(m.value.span, fmt::format("\"{}\" must be a string", m.key));
      return std::nullopt;
    }
    if (valid != nullptr && !valid(m.value.text)) {
      error(m.value.span, fmt::format("\"{}\" must be {}, not \"{}\"", m.key, what, m.value.text));
      return std::nullopt;
    }
    return m.value.text;
  }

  void read_regions(const json::Member& m) {
    if (!m.value.is_array()) {
      error(m.value.span,
            "\"regions\" must be an array of Regions, e.g. [\"us-east-1\", \"eu-west-1\"]");
      return;
    }
    for (const json::Value& item : m.value.items) {
      if (!item.is_string() || !is_region(item.text)) {
        error(item.span, "each Region must be a string such as \"us-east-1\"");
        continue;
      }
      result_.settings.regions.push_back(item.text);
    }
    result_.settings.regions_origin = {Origin::Kind::config,
                                       fmt::format("{} (\"regions\")", source_.path()),
                                       make_location(source_, m.value.span)};
  }

  void read_detector_ids(const json::Member& m) {
    if (!m.value.is_object()) {
      error(m.value.span,
            "\"detectorIds\" must map Regions to detector ids, e.g. {\"us-east-1\": \"12abc...\"}");
      return;
    }
    for (const json::Member& entry : m.value.members) {
      if (!is_region(entry.key)) {
        error(entry.key_span, fmt::format("\"{}\" is not a Region", entry.key));
        continue;
      }
      if (auto v = string_value(entry, is_detector_id,
                                "a detector id (32 lower-case hexadecimal characters)")) {
        set(result_.settings.detector_ids[entry.key], *v, entry);
      }
    }
  }

  void read_key(const json::Member& m) {
    if (!m.value.is_string()) {
      error(m.value.span, fmt::format("\"{}\" must be a string", m.key));
      return;
    }
    if (auto problem = key_arn_problem(m.value.text)) {
      error(m.value.span, fmt::format("\"{}\": {}", m.key, *problem));
      result_.settings.key_arn_rejected = true;
      return;
    }
    set(result_.settings.key_arn, m.value.text, m);
  }

  // `aws guardduty describe-publishing-destination` output.
  void read_publishing_destination(const json::Value& root, const json::Member& destination) {
    if (!destination.value.is_object()) {
      error(destination.value.span, "\"DestinationProperties\" must be an object");
      return;
    }
    // CloudFormation and Terraform also name the detector (CLI output does not).
    if (const json::Member* detector = root.find("DetectorId")) {
      if (auto v = string_value(*detector, is_detector_id,
                                "a detector id (32 lower-case hexadecimal characters)"))
        set(result_.settings.detector_id, *v, *detector);
    }
    for (const json::Member& m : destination.value.members) {
      if (m.key == "DestinationArn") {
        if (!m.value.is_string() || !m.value.text.starts_with("arn:") ||
            m.value.text.find(":s3:::") == std::string::npos) {
          error(m.value.span,
                "\"DestinationArn\" must be an S3 ARN such as arn:aws:s3:::bucket/prefix");
          continue;
        }
        const std::string& arn = m.value.text;
        const std::string path = arn.substr(arn.find(":s3:::") + 6);
        const std::size_t slash = path.find('/');
        set(result_.settings.bucket, path.substr(0, slash), m);
        set(result_.settings.prefix,
            slash == std::string::npos ? std::string() : normalize_prefix(path.substr(slash + 1)),
            m);
        result_.settings.partition = arn.substr(4, arn.find(':', 4) - 4);
      } else if (m.key == "KmsKeyArn") {
        read_key(m);
      }
    }
  }

  const SourceFile& source_;
  ConfigResult& result_;
};

}  // namespace

ConfigResult read_config(const SourceFile& source) {
  ConfigResult result;
  json::ParseResult parsed = json::parse(source);
  result.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.root || parsed.recovered) return result;
  ConfigReader(source, result).read(*parsed.root);
  return result;
}

}  // namespace gdl::exportcfg

namespace gdl::exportcfg {
void read_settings_object(const json::Value& object, const SourceFile& source, ConfigResult& into) {
  ConfigReader(source, into).read(object);
}
}  // namespace gdl::exportcfg

namespace gdl::exportcfg {
void merge_settings(ExportSettings& base, const ExportSettings& over) {
  auto take = [](Value& to, const Value& from) {
    if (from.known()) to = from;
  };
  take(base.account, over.account);
  if (!over.regions.empty()) {
    base.regions = over.regions;
    base.regions_origin = over.regions_origin;
  }
  for (const auto& [region, id] : over.detector_ids) take(base.detector_ids[region], id);
  take(base.detector_id, over.detector_id);
  take(base.bucket, over.bucket);
  take(base.prefix, over.prefix);
  take(base.bucket_region, over.bucket_region);
  take(base.bucket_account, over.bucket_account);
  take(base.key_arn, over.key_arn);
  base.key_arn_rejected = base.key_arn_rejected || over.key_arn_rejected;
  take(base.source_org_id, over.source_org_id);
  take(base.source_org_path, over.source_org_path);
  if (over.partition != "aws") base.partition = over.partition;
}
}  // namespace gdl::exportcfg
