#pragma once
// Files compiled into the binary (cmake/embed_rules.cmake writes their definitions from rules/):
// the rule metadata, the scenario rules and the data tables, so the installed tool needs no
// data files.

#include <span>
#include <string_view>

namespace gdl::embedded {

std::span<const std::string_view> rule_files();      // rules/*.json and rules/scenarios/*.json
std::span<const std::string_view> scenario_files();  // rules/scenarios/*.json
// rules/data/<name>, or empty if there is no such file.
std::string_view data_file(std::string_view name);

}  // namespace gdl::embedded
