// The GuardDuty request factory. The request model itself is data:
// rules/data/guardduty-requests.json.

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "export/setup.h"
#include "iam/iam_data.h"
#include "json/parser.h"

namespace gdl::exportcfg {

namespace {

struct ContextTemplate {
  std::string key;
  std::string value;
  bool assumed = false;
  bool multivalued = false;
  std::string why;  // for assumed keys: what the assumption rests on
};

struct RequestTemplate {
  std::string name;
  std::string action;
  std::string resource;
  std::vector<ContextTemplate> context;
};

[[noreturn]] void model_defect(std::string_view what) {
  std::cerr << "gd-export-lint: internal error: rules/data/guardduty-requests.json: " << what
            << '\n';
  std::abort();
}

std::string string_member(const json::Value& object, std::string_view key) {
  const json::Member* m = object.find(key);
  if (m == nullptr || !m->value.is_string())
    model_defect(fmt::format("missing string \"{}\"", key));
  return m->value.text;
}

const std::vector<RequestTemplate>& templates() {
  static const std::vector<RequestTemplate> all = [] {
    const SourceFile source("guardduty-requests.json",
                            std::string(data::file("guardduty-requests.json")));
    auto parsed = json::parse(source);
    if (!parsed.root || !parsed.diagnostics.empty()) model_defect("not valid JSON");
    const json::Member* requests = parsed.root->find("requests");
    if (requests == nullptr || !requests->value.is_array()) model_defect("no \"requests\" array");
    std::vector<RequestTemplate> result;
    for (const json::Value& r : requests->value.items) {
      RequestTemplate t{
          string_member(r, "name"), string_member(r, "action"), string_member(r, "resource"), {}};
      const json::Member* context = r.find("context");
      if (context == nullptr || !context->value.is_array()) model_defect("no \"context\" array");
      for (const json::Value& c : context->value.items) {
        const std::string status = string_member(c, "status");
        if (status != "documented" && status != "assumed")
          model_defect("status must be documented or assumed");
        ContextTemplate entry{
            string_member(c, "key"), string_member(c, "value"), status == "assumed", false, {}};
        if (const json::Member* m = c.find("multivalued"))
          entry.multivalued = m->value.kind == json::Kind::boolean && m->value.text == "true";
        if (const json::Member* m = c.find("why"); m != nullptr && m->value.is_string())
          entry.why = m->value.text;
        t.context.push_back(std::move(entry));
      }
      result.push_back(std::move(t));
    }
    return result;
  }();
  return all;
}

void unknown_variable(std::string_view text) {
  model_defect(fmt::format("unknown variable in \"{}\"", text));
}

std::string expand(std::string_view text, const TemplateVars& vars) {
  return expand_template(text, vars, unknown_variable);
}

}  // namespace

std::string expand_template(std::string_view text, const TemplateVars& vars,
                            void (*unknown)(std::string_view)) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("${", pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    auto it = vars.find(text.substr(open + 2, close - open - 2));
    if (it != vars.end()) {
      out += it->second;
    } else {
      if (unknown != nullptr) unknown(text);
      out += text.substr(open, close - open + 1);
    }
    pos = close + 1;
  }
  return out;
}

std::string guardduty_principal(std::string_view region) {
  // In opt-in Regions GuardDuty uses its regional service principal.
  return data::is_opt_in_region(region) ? fmt::format("guardduty.{}.amazonaws.com", region)
                                        : std::string("guardduty.amazonaws.com");
}

namespace {
// A stand-in is never shown as a fact: findings show a placeholder in its place.
std::string shown(const Value& v, std::string_view placeholder) {
  if (!v.known() || v.origin.stand_in) return std::string(placeholder);
  return v.get();
}
}  // namespace

std::string shown_detector(const ExportSettings& settings, const std::string& region) {
  if (auto it = settings.detector_ids.find(region); it != settings.detector_ids.end())
    return shown(it->second, "<DETECTOR_ID>");
  return shown(settings.detector_id, "<DETECTOR_ID>");
}

TemplateVars shown_vars(const ExportSettings& settings, const std::string& region) {
  const bool region_assumed = settings.regions_origin.stand_in;
  const std::string prefix = settings.prefix.known() ? settings.prefix.get() : std::string();
  return {
      {"partition", settings.partition},
      {"account", shown(settings.account, "<ACCOUNT_ID>")},
      {"region", region_assumed ? std::string("<REGION>") : region},
      {"detectorId", shown_detector(settings, region)},
      {"bucket", shown(settings.bucket, "<BUCKET>")},
      {"prefixPath", prefix.empty() ? std::string() : prefix + "/"},
      {"keyArn", shown(settings.key_arn, "<KEY_ARN>")},
      {"sourceOrgId", settings.source_org_id.known() ? settings.source_org_id.get() : ""},
      {"sourceOrgPath", settings.source_org_path.known() ? settings.source_org_path.get() : ""},
      {"date", "2026/11/24"},
      {"uuid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
      {"principal", guardduty_principal(region)},
  };
}

std::string shown_source_arn(const ExportSettings& settings, const std::string& region) {
  return expand_template("arn:${partition}:guardduty:${region}:${account}:detector/${detectorId}",
                         shown_vars(settings, region));
}

std::vector<GuardDutyRequest> guardduty_requests(const ExportSettings& settings,
                                                 bool include_assumed) {
  std::vector<GuardDutyRequest> result;
  for (const std::string& region : settings.regions) {
    const TemplateVars shown = shown_vars(settings, region);
    const std::string prefix = settings.prefix.known() ? settings.prefix.get() : std::string();
    const TemplateVars vars = {
        {"partition", settings.partition},
        {"account", settings.account.known() ? settings.account.get() : std::string()},
        {"region", region},
        {"detectorId", settings.detector_for(region)},
        {"bucket", settings.bucket.known() ? settings.bucket.get() : std::string()},
        {"prefixPath", prefix.empty() ? std::string() : prefix + "/"},
        {"keyArn", settings.key_arn.known() ? settings.key_arn.get() : std::string()},
        // A fixed, plausible object name keeps the output reproducible.
        {"date", "2026/11/24"},
        {"uuid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
        {"principal", guardduty_principal(region)},
        {"sourceOrgId", settings.source_org_id.known() ? settings.source_org_id.get() : ""},
        {"sourceOrgPath", settings.source_org_path.known() ? settings.source_org_path.get() : ""},
    };
    for (const RequestTemplate& t : templates()) {
      GuardDutyRequest r;
      r.index = result.size();
      r.with_assumed = include_assumed;
      r.name = t.name;
      r.region = region;
      r.request.principal = {iam::RequestPrincipal::Kind::service, guardduty_principal(region)};
      r.request.action = t.action;
      r.request.resource = expand(t.resource, vars);
      r.shown_resource = expand(t.resource, shown);
      for (const ContextTemplate& c : t.context) {
        std::string value = expand(c.value, vars);
        if (c.assumed) {
          // A key whose value nothing names is not sent (an organization nobody named).
          if (!include_assumed || value.empty()) continue;
          r.assumed_keys.push_back(c.key);
          r.assumed_why.push_back(fmt::format("{} = {} ({})", c.key, value, c.why));
        }
        if (c.multivalued) {
          r.request.set(c.key, std::vector<std::string>{std::move(value)});
        } else {
          r.request.set(c.key, std::move(value));
        }
      }
      result.push_back(std::move(r));
    }
  }
  return result;
}

}  // namespace gdl::exportcfg
