#include "diag/rule_catalog.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "source/embedded.h"
#include "util/text.h"

namespace gdl {
namespace {

[[noreturn]] void metadata_defect(std::string_view what) {
  std::cerr << "gd-export-lint: internal error: malformed rule metadata: " << what << '\n';
  std::abort();
}

std::string required_string(const rapidjson::Value& object, const char* key,
                            std::string_view file) {
  // HasMember/operator[] rather than comparing member iterators: that comparison is ambiguous
  // under C++20's rewritten operators (clang warns).
  if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) {
    metadata_defect(fmt::format("missing string \"{}\" in {}", key, file.substr(0, 40)));
  }
  const rapidjson::Value& v = object[key];
  return {v.GetString(), v.GetStringLength()};
}

}  // namespace

std::optional<RuleNeeds> parse_rule_needs(std::string_view text) {
  if (text == "document") return RuleNeeds::document;
  if (text == "setup") return RuleNeeds::setup;
  if (text == "every-allow") return RuleNeeds::every_allow;
  if (text == "every-deny") return RuleNeeds::every_deny;
  if (text == "allowed") return RuleNeeds::allowed;
  return std::nullopt;
}

std::optional<FixKind> parse_fix_kind(std::string_view text) {
  if (text == "none") return FixKind::none;
  if (text == "safe") return FixKind::safe;
  if (text == "unsafe") return FixKind::unsafe;
  return std::nullopt;
}

std::string_view to_string(FixKind kind) {
  switch (kind) {
    case FixKind::none:
      return "none";
    case FixKind::safe:
      return "safe";
    case FixKind::unsafe:
      return "unsafe";
  }
  return "unsafe";
}

namespace {

std::vector<RuleInfo> load_rules() {
  std::vector<RuleInfo> rules;
  for (std::string_view file : embedded::rule_files()) {
    rapidjson::Document doc;
    doc.Parse(file.data(), file.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      metadata_defect(fmt::format("{} at offset {}",
                                  rapidjson::GetParseError_En(doc.GetParseError()),
                                  doc.GetErrorOffset()));
    }
    RuleInfo rule;
    rule.id = required_string(doc, "id", file);
    rule.name = required_string(doc, "name", file);
    auto severity = parse_severity(required_string(doc, "severity", file));
    if (!severity) metadata_defect("bad severity in " + rule.id);
    rule.severity = *severity;
    rule.summary = required_string(doc, "summary", file);
    rule.why = required_string(doc, "why", file);
    rule.fix = required_string(doc, "fix", file);
    // Scenario rules may leave it out: their fixes (appended statements) are unsafe.
    if (doc.HasMember("fixKind")) {
      const auto fix_kind = parse_fix_kind(required_string(doc, "fixKind", file));
      if (!fix_kind) metadata_defect("bad \"fixKind\" in " + rule.id);
      rule.fix_kind = *fix_kind;
    }
    rule.anchor = required_string(doc, "anchor", file);
    const auto needs = parse_rule_needs(required_string(doc, "needs", file));
    if (!needs) metadata_defect("bad \"needs\" in " + rule.id);
    rule.needs = *needs;
    if (doc.HasMember("requested_by")) {
      const std::string by = doc["requested_by"].IsString() ? doc["requested_by"].GetString() : "";
      if (by != "guardduty" && by != "others")
        metadata_defect("bad \"requested_by\" in " + rule.id);
      rule.requested_by_service = by == "guardduty";
      rule.requested_by_others = by == "others";
    }
    if (doc.HasMember("requests")) {
      if (!doc["requests"].IsArray()) metadata_defect("bad \"requests\" in " + rule.id);
      for (const auto& action : doc["requests"].GetArray()) {
        if (!action.IsString()) metadata_defect("bad \"requests\" in " + rule.id);
        rule.requests.emplace_back(action.GetString(), action.GetStringLength());
      }
    }
    if (!doc.HasMember("example") || !doc["example"].IsObject())
      metadata_defect("no example in " + rule.id);
    rule.example_bad = required_string(doc["example"], "bad", file);
    rule.example_good = required_string(doc["example"], "good", file);
    rules.push_back(std::move(rule));
  }
  std::sort(rules.begin(), rules.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  return rules;
}

}  // namespace

std::vector<RuleInfo>& rule_storage() {
  static std::vector<RuleInfo> rules = load_rules();
  return rules;
}

bool register_rule(RuleInfo rule) {
  if (find_rule(rule.id) != nullptr || find_rule(rule.name) != nullptr) return false;
  auto& rules = rule_storage();
  rules.push_back(std::move(rule));
  std::sort(rules.begin(), rules.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  return true;
}

void unregister_rule(std::string_view id) {
  std::erase_if(rule_storage(), [id](const RuleInfo& r) { return r.id == id; });
}

std::span<const RuleInfo> all_rules() {
  const std::vector<RuleInfo>& rules = rule_storage();
  return rules;
}

const RuleInfo* find_rule(std::string_view id_or_name) {
  for (const RuleInfo& rule : all_rules()) {
    if (iequals(rule.id, id_or_name) || iequals(rule.name, id_or_name)) return &rule;
  }
  return nullptr;
}

Diagnostic make_diagnostic(std::string_view rule_id, Location location, std::string message) {
  const RuleInfo* rule = find_rule(rule_id);
  if (rule == nullptr) metadata_defect(fmt::format("unknown rule {}", rule_id));
  Diagnostic d;
  d.rule_id = rule->id;
  d.rule_name = rule->name;
  d.severity = rule->severity;
  d.message = std::move(message);
  d.location = std::move(location);
  return d;
}

const RuleInfo* closest_rule(std::string_view text) {
  std::vector<std::string_view> candidates;
  for (const RuleInfo& rule : all_rules()) {
    candidates.push_back(rule.id);
    candidates.push_back(rule.name);
  }
  const std::string_view like = closest_match(text, candidates);
  return like.empty() ? nullptr : find_rule(like);
}

std::string rule_help_uri(const RuleInfo& rule) {
  // The documentation of this release, not of a moving branch that may have changed the rule.
  return fmt::format("https://github.com/gd-export-lint/gd-export-lint/blob/v{}/rules/README.md#{}",
                     GDL_VERSION, rule.anchor);
}

}  // namespace gdl
