// The GuardDuty request factory. The request model itself is data:
// rules/data/guardduty-requests.json.

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "export/setup.h"
#include "iam/iam_data.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl::exportcfg {

namespace {

// The request model's template variables. Templates are split into literal text and variables
// once, when the model is loaded: the requests are built for every export setup (several times:
// with and without the assumed keys, under the other stand-ins), and expanding through a map of
// names was 15% of a repository scan.
enum class Var : std::uint8_t {
  partition,
  account,
  region,
  detector_id,
  bucket,
  prefix_path,
  key_arn,
  date,
  uuid,
  principal,
  source_org_id,
  source_org_path,
  key_region,
  bucket_account,
  key_account,
};
constexpr std::size_t kVarCount = 15;
constexpr std::array<std::string_view, kVarCount> kVarNames = {
    "partition",   "account",       "region",    "detectorId",    "bucket",
    "prefixPath",  "keyArn",        "date",      "uuid",          "principal",
    "sourceOrgId", "sourceOrgPath", "keyRegion", "bucketAccount", "keyAccount"};
using VarValues = std::array<std::string, kVarCount>;

// A template: literal pieces, each followed by a variable (none after the last piece).
struct CompiledText {
  std::vector<std::string> literals;
  std::vector<Var> vars;  // vars.size() == literals.size() - 1
};

struct ContextTemplate {
  std::string key;
  std::string key_lower;  // how iam::Request keys its context (names are case-insensitive)
  CompiledText value;
  bool assumed = false;
  bool multivalued = false;
  std::string why;  // for assumed keys: what the assumption rests on
};

struct RequestTemplate {
  std::string name;
  std::string action;
  CompiledText resource;
  std::vector<ContextTemplate> context;
  // Indices into `context` in the order of their lower-cased keys: inserted in that order, every
  // key goes at the end of the request's sorted context (no element moved).
  std::vector<std::size_t> key_order;
};

[[noreturn]] void model_defect(std::string_view what) {
  std::cerr << "gd-export-lint: internal error: rules/data/guardduty-requests.json: " << what
            << '\n';
  std::abort();
}

// The model is our own compiled-in data, never user input: a plain RapidJSON document is enough
// (no spans, no duplicate-key checks). The located tree cost 70% of loading it, a tenth of
// checking one small file from process start to exit.
using Model = rapidjson::Document::ValueType;

std::string_view string_member(const Model& object, const char* key) {
  const auto m = object.FindMember(key);
  if (m == object.MemberEnd() || !m->value.IsString())
    model_defect(fmt::format("missing string \"{}\"", key));
  return {m->value.GetString(), m->value.GetStringLength()};
}

const Model& array_member(const Model& object, const char* key) {
  const auto m = object.FindMember(key);
  if (m == object.MemberEnd() || !m->value.IsArray())
    model_defect(fmt::format("no \"{}\" array", key));
  return m->value;
}

// Splits `text` at each ${name}: calls literal(piece) for the text between variables and
// variable(name, written) for each variable, in order.
template <typename Literal, typename Variable>
void scan_template(std::string_view text, Literal&& literal, Variable&& variable) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("${", pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      literal(text.substr(pos));
      return;
    }
    literal(text.substr(pos, open - pos));
    variable(text.substr(open + 2, close - open - 2), text.substr(open, close - open + 1));
    pos = close + 1;
  }
}

CompiledText compile(std::string_view text) {
  CompiledText out;
  std::string literal;
  scan_template(
      text, [&](std::string_view piece) { literal += piece; },
      [&](std::string_view name, std::string_view) {
        const auto* found = std::find(kVarNames.begin(), kVarNames.end(), name);
        if (found == kVarNames.end()) model_defect(fmt::format("unknown variable in \"{}\"", text));
        out.literals.push_back(std::move(literal));
        literal.clear();
        out.vars.push_back(static_cast<Var>(found - kVarNames.begin()));
      });
  out.literals.push_back(std::move(literal));
  return out;
}

std::string expand(const CompiledText& text, const VarValues& values) {
  std::size_t size = 0;
  for (const std::string& literal : text.literals) size += literal.size();
  for (const Var v : text.vars) size += values[static_cast<std::size_t>(v)].size();
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < text.literals.size(); ++i) {
    out += text.literals[i];
    if (i < text.vars.size()) out += values[static_cast<std::size_t>(text.vars[i])];
  }
  return out;
}

const std::vector<RequestTemplate>& templates() {
  static const std::vector<RequestTemplate> all = [] {
    // Parsed in place: the document's strings point into this copy, which outlives it.
    std::string text(data::file("guardduty-requests.json"));
    rapidjson::Document model;
    model.ParseInsitu(text.data());
    if (model.HasParseError() || !model.IsObject()) model_defect("not valid JSON");
    std::vector<RequestTemplate> result;
    for (const Model& r : array_member(model, "requests").GetArray()) {
      if (!r.IsObject()) model_defect("a request is not an object");
      RequestTemplate t{std::string(string_member(r, "name")),
                        std::string(string_member(r, "action")),
                        compile(string_member(r, "resource")),
                        {},
                        {}};
      for (const Model& c : array_member(r, "context").GetArray()) {
        if (!c.IsObject()) model_defect("a context key is not an object");
        const std::string_view status = string_member(c, "status");
        if (status != "documented" && status != "assumed")
          model_defect("status must be documented or assumed");
        const std::string key(string_member(c, "key"));
        ContextTemplate entry{
            key, to_lower(key), compile(string_member(c, "value")), status == "assumed", false, {}};
        if (const auto m = c.FindMember("multivalued"); m != c.MemberEnd())
          entry.multivalued = m->value.IsBool() && m->value.GetBool();
        if (const auto m = c.FindMember("why"); m != c.MemberEnd() && m->value.IsString())
          entry.why.assign(m->value.GetString(), m->value.GetStringLength());
        t.context.push_back(std::move(entry));
      }
      t.key_order.resize(t.context.size());
      for (std::size_t i = 0; i < t.key_order.size(); ++i) t.key_order[i] = i;
      std::sort(t.key_order.begin(), t.key_order.end(), [&t](std::size_t a, std::size_t b) {
        return t.context[a].key_lower < t.context[b].key_lower;
      });
      result.push_back(std::move(t));
    }
    return result;
  }();
  return all;
}

}  // namespace

std::string shown(const Value& v, std::string_view placeholder) {
  if (v.known() && v.origin.stand_in && !v.origin.symbol.empty()) return v.origin.symbol;
  if (!v.known() || v.origin.stand_in) return std::string(placeholder);
  return v.get();
}

namespace {

std::string known_or_empty(const Value& v) {
  return v.known() ? v.get() : std::string();
}

std::string prefix_path(const ExportSettings& settings) {
  const std::string prefix = known_or_empty(settings.prefix);
  return prefix.empty() ? std::string() : prefix + "/";
}

// The values GuardDuty sends for a Region (stand-ins as themselves).
VarValues request_values(const ExportSettings& settings, const std::string& region) {
  VarValues v;
  v[static_cast<std::size_t>(Var::partition)] = settings.partition;
  v[static_cast<std::size_t>(Var::account)] = known_or_empty(settings.account);
  v[static_cast<std::size_t>(Var::region)] = region;
  v[static_cast<std::size_t>(Var::detector_id)] = settings.detector_for(region);
  v[static_cast<std::size_t>(Var::bucket)] = known_or_empty(settings.bucket);
  v[static_cast<std::size_t>(Var::prefix_path)] = prefix_path(settings);
  v[static_cast<std::size_t>(Var::key_arn)] = known_or_empty(settings.key_arn);
  // A fixed, plausible object name keeps the output reproducible.
  v[static_cast<std::size_t>(Var::date)] = "2026/11/24";
  v[static_cast<std::size_t>(Var::uuid)] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  v[static_cast<std::size_t>(Var::principal)] = guardduty_principal(region);
  v[static_cast<std::size_t>(Var::source_org_id)] = known_or_empty(settings.source_org_id);
  v[static_cast<std::size_t>(Var::source_org_path)] = known_or_empty(settings.source_org_path);
  // The key's Region (the bucket's too: GuardDuty requires them in one Region), from its ARN.
  std::string_view arn_parts[6];
  if (iam::split_arn(v[static_cast<std::size_t>(Var::key_arn)], arn_parts)) {
    v[static_cast<std::size_t>(Var::key_region)] = std::string(arn_parts[3]);
    v[static_cast<std::size_t>(Var::key_account)] = std::string(arn_parts[4]);
  }
  v[static_cast<std::size_t>(Var::bucket_account)] = known_or_empty(settings.bucket_owner());
  return v;
}

// The same values as findings show them: each stand-in replaced by its placeholder.
VarValues shown_values(const ExportSettings& settings, const std::string& region) {
  VarValues v = request_values(settings, region);
  v[static_cast<std::size_t>(Var::account)] = shown(settings.account, "<ACCOUNT_ID>");
  if (settings.regions_origin.stand_in) v[static_cast<std::size_t>(Var::region)] = "<REGION>";
  v[static_cast<std::size_t>(Var::detector_id)] = shown_detector(settings, region);
  v[static_cast<std::size_t>(Var::bucket)] = shown(settings.bucket, "<BUCKET>");
  v[static_cast<std::size_t>(Var::key_arn)] = shown(settings.key_arn, "<KEY_ARN>");
  // A prefix made to match a pattern ("finding?/*") is a stand-in; no prefix is shown as none.
  if (settings.prefix.known() && settings.prefix.origin.stand_in && !settings.prefix.get().empty())
    v[static_cast<std::size_t>(Var::prefix_path)] = "<PREFIX>/";
  return v;
}

}  // namespace

std::string expand_template(std::string_view text, const TemplateVars& vars,
                            void (*unknown)(std::string_view)) {
  std::string out;
  scan_template(
      text, [&](std::string_view piece) { out += piece; },
      [&](std::string_view name, std::string_view written) {
        if (auto it = vars.find(name); it != vars.end()) {
          out += it->second;
          return;
        }
        if (unknown != nullptr) unknown(text);
        out += written;
      });
  return out;
}

std::string guardduty_principal(std::string_view region) {
  // In opt-in Regions GuardDuty uses its regional service principal.
  return data::is_opt_in_region(region) ? fmt::format("guardduty.{}.amazonaws.com", region)
                                        : std::string("guardduty.amazonaws.com");
}

std::string shown_detector(const ExportSettings& settings, const std::string& region) {
  if (auto it = settings.detector_ids.find(region); it != settings.detector_ids.end())
    return shown(it->second, "<DETECTOR_ID>");
  return shown(settings.detector_id, "<DETECTOR_ID>");
}

std::string shown_source_arn(const ExportSettings& settings, const std::string& region) {
  static const CompiledText source_arn =
      compile("arn:${partition}:guardduty:${region}:${account}:detector/${detectorId}");
  return expand(source_arn, shown_values(settings, region));
}

RequestLists guardduty_request_lists(const ExportSettings& settings, bool documented) {
  RequestLists lists;
  lists.with_assumed.reserve(settings.regions.size() * templates().size());
  if (documented) lists.documented.reserve(lists.with_assumed.capacity());
  std::vector<std::string> expanded;  // a template's context values, reused
  for (const std::string& region : settings.regions) {
    const VarValues values = request_values(settings, region);
    const VarValues shown = shown_values(settings, region);
    for (const RequestTemplate& t : templates()) {
      GuardDutyRequest r;
      r.index = lists.with_assumed.size();
      r.name = t.name;
      r.region = region;
      r.request.principal = {iam::RequestPrincipal::Kind::service,
                             values[static_cast<std::size_t>(Var::principal)]};
      r.request.action = t.action;
      r.request.resource = expand(t.resource, values);
      r.shown_resource = expand(t.resource, shown);
      r.request.context.reserve(t.context.size());
      // The documented request is the same without the assumed keys: built alongside, from the
      // same expanded values (a scan builds both lists for every setup).
      std::optional<GuardDutyRequest> d;
      if (documented) {
        d.emplace(r);
        d->with_assumed = false;
        d->request.context.reserve(t.context.size());  // a copy keeps no capacity
      }
      // Expanded in the template's order (the order assumptions are listed in), inserted in
      // the keys' order.
      expanded.clear();
      for (const ContextTemplate& c : t.context) {
        expanded.push_back(expand(c.value, values));
        const std::string& value = expanded.back();
        // A key whose value nothing names is not sent (an organization nobody named, the
        // owner of a key whose ARN is not one).
        if (value.empty() || !c.assumed) continue;
        r.assumed_keys.push_back(c.key);
        r.assumed_reasons.push_back(c.why);
      }
      for (const std::size_t i : t.key_order) {
        const ContextTemplate& c = t.context[i];
        std::string& value = expanded[i];
        if (value.empty()) continue;
        if (d && !c.assumed) {
          d->request.context.insert_or_assign(
              c.key_lower, iam::ContextValue{std::vector<std::string>{value}, c.multivalued});
        }
        // As Request::set does, with the key lower-cased once at load.
        std::vector<std::string> sent;
        sent.push_back(std::move(value));
        r.request.context.insert_or_assign(c.key_lower,
                                           iam::ContextValue{std::move(sent), c.multivalued});
      }
      lists.with_assumed.push_back(std::move(r));
      if (d) lists.documented.push_back(std::move(*d));
    }
  }
  return lists;
}

std::string GuardDutyRequest::assumption(std::size_t k) const {
  // The value sent is the one the request carries for the key (an assumed key is sent only
  // when its value is not empty).
  const iam::ContextValue* sent = request.find(assumed_keys[k]);
  const std::string_view value =
      sent != nullptr && !sent->values.empty() ? std::string_view(sent->values.front()) : "";
  return fmt::format("{} = {} ({})", assumed_keys[k], value, assumed_reasons[k]);
}

std::vector<GuardDutyRequest> guardduty_requests(const ExportSettings& settings,
                                                 bool include_assumed) {
  RequestLists lists = guardduty_request_lists(settings, !include_assumed);
  return include_assumed ? std::move(lists.with_assumed) : std::move(lists.documented);
}

}  // namespace gdl::exportcfg
