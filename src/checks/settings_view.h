#pragma once
// How findings judge and show the export settings: given by the user, known from the documents,
// or a stand-in (never shown as a fact: placeholders such as <DETECTOR_ID>).

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "export/settings.h"

namespace gdl::support {

// True when the setting was given by the user (flag or config), not inferred or assumed.
bool given(const exportcfg::Value& value);
// True when the setting is known from the user or the documents (not a stand-in).
bool known(const exportcfg::Value& value);

// Whether the settings' Regions were given (flag, config, a template's own), not inferred.
bool regions_given(const exportcfg::ExportSettings& settings);

// "exports from us-east-2" / "exports from us-east-2 and eu-west-1".
std::string exports_from(const std::vector<std::string>& regions);
// "us-east-1, eu-west-1 and me-south-1".
std::string regions_list(const std::vector<std::string>& regions);
// The same, or just "exports" when the Region is assumed.
std::string exports_from(const exportcfg::ExportSettings& settings,
                         const std::vector<std::string>& regions);

// The ARN GuardDuty uses as aws:SourceArn for a Region, as findings show it.
std::string detector_arn(const exportcfg::ExportSettings& settings, const std::string& region);
// "arn:aws:s3:::bucket" and "arn:aws:s3:::bucket/prefix/*", as findings show them.
std::string bucket_arn(const exportcfg::ExportSettings& settings);
std::string export_objects_arn(const exportcfg::ExportSettings& settings);

// A note naming the settings the simulation had to stand in for (neither given nor found in
// the policies), or empty when every value is known.
std::string assumptions_note(const exportcfg::ExportSettings& settings);
// "the detector id (--detector-id)", ... for each value simulated with a stand-in.
std::vector<std::string> stand_in_names(const exportcfg::ExportSettings& settings);

// Whether `text` holds one of a container's stand-ins (value, symbol): a value known only once
// deployed, so that what the text says about it is not a fact. An empty stand-in holds nothing.
bool holds_stand_in(std::string_view text,
                    std::span<const std::pair<std::string, std::string>> stand_ins);

}  // namespace gdl::support
