#include "checks/settings_view.h"

#include <fmt/format.h>

#include <algorithm>

#include "export/setup.h"

namespace gdl::support {

std::string detector_arn(const exportcfg::ExportSettings& settings, const std::string& region) {
  return exportcfg::shown_source_arn(settings, region);
}

std::string exports_from(const exportcfg::ExportSettings& settings,
                         const std::vector<std::string>& regions) {
  // A stand-in Region is not shown as a fact.
  if (settings.regions_origin.kind == exportcfg::Origin::Kind::assumed) return "exports";
  return exports_from(regions);
}

std::string regions_list(const std::vector<std::string>& regions) {
  std::string list;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (i > 0) list += i + 1 == regions.size() ? " and " : ", ";
    list += regions[i];
  }
  return list;
}

std::string exports_from(const std::vector<std::string>& regions) {
  if (regions.empty()) return "exports";
  return "exports from " + regions_list(regions);
}

bool regions_given(const exportcfg::ExportSettings& settings) {
  return settings.regions_origin.kind == exportcfg::Origin::Kind::flag ||
         settings.regions_origin.kind == exportcfg::Origin::Kind::config;
}

bool given(const exportcfg::Value& value) {
  return value.known() && (value.origin.kind == exportcfg::Origin::Kind::flag ||
                           value.origin.kind == exportcfg::Origin::Kind::config);
}

bool known(const exportcfg::Value& value) {
  return value.known() && value.origin.kind != exportcfg::Origin::Kind::assumed;
}

std::string bucket_arn(const exportcfg::ExportSettings& settings) {
  return fmt::format("arn:{}:s3:::{}", settings.partition,
                     exportcfg::shown(settings.bucket, "<BUCKET>"));
}

std::string export_objects_arn(const exportcfg::ExportSettings& settings) {
  // A prefix made to match a pattern is a stand-in; no prefix is shown as none.
  const std::string prefix = settings.prefix.known() && !settings.prefix.get().empty()
                                 ? exportcfg::shown(settings.prefix, "<PREFIX>")
                                 : std::string();
  return prefix.empty() ? bucket_arn(settings) + "/*"
                        : fmt::format("{}/{}/*", bucket_arn(settings), prefix);
}

std::string assumptions_note(const exportcfg::ExportSettings& s) {
  const std::vector<std::string> names = stand_in_names(s);
  if (names.empty()) return {};
  return fmt::format(
      "simulated with stand-ins for values neither given nor found in the policies: {}; give them "
      "for an exact check",
      fmt::join(names, ", "));
}

std::vector<std::string> stand_in_names(const exportcfg::ExportSettings& s) {
  std::vector<std::string> names;
  auto check = [&names](const exportcfg::Value& v, std::string_view name) {
    if (v.known() && v.origin.stand_in) names.emplace_back(name);
  };
  if (s.regions_origin.stand_in) names.emplace_back("the Region (--region)");
  check(s.account, "the account (--account)");
  const bool regional_detector =
      std::any_of(s.detector_ids.begin(), s.detector_ids.end(),
                  [](const auto& entry) { return entry.second.origin.stand_in; });
  if ((s.detector_id.known() && s.detector_id.origin.stand_in) || regional_detector)
    names.emplace_back("the detector id (--detector-id)");
  check(s.bucket, "the bucket (--bucket)");
  if (s.prefix.known() && !s.prefix.get().empty()) check(s.prefix, "the prefix (--prefix)");
  check(s.key_arn, "the key ARN (--key-arn)");
  return names;
}

bool holds_stand_in(std::string_view text,
                    std::span<const std::pair<std::string, std::string>> stand_ins) {
  return std::any_of(stand_ins.begin(), stand_ins.end(), [text](const auto& stand_in) {
    return !stand_in.first.empty() && text.find(stand_in.first) != std::string_view::npos;
  });
}

}  // namespace gdl::support
