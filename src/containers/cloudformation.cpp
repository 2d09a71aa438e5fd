#include "containers/cloudformation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "containers/json_string.h"
#include "containers/yaml_reader.h"
#include "diag/rule_catalog.h"

namespace gdl::containers {

namespace {

// Functions whose value depends on the deployment: never resolved offline.
constexpr std::array<std::string_view, 12> kDeploymentFunctions = {
    "Fn::If",     "Fn::ImportValue", "Fn::Base64", "Fn::GetAZs", "Fn::Cidr",   "Fn::Transform",
    "Fn::Equals", "Fn::Not",         "Fn::And",    "Fn::Or",     "Fn::Length", "Fn::ToJsonString"};
constexpr std::array<std::string_view, 6> kResolvedFunctions = {
    "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap"};

// Functions of a template's Rules section (and of the LanguageExtensions transform's
// Fn::ForEach:: loops, accepted by prefix).
constexpr std::array<std::string_view, 6> kRuleFunctions = {
    "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn",
    "Fn::RefAll",   "Fn::ValueOf",          "Fn::ValueOfAll"};

// Deeper than any real template; bounds the recursion on hostile JSON nested 100,000 deep.
constexpr int kMaxDepth = 200;

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Stand-ins are derived from names, so the same template always gets the same values.
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

bool is_account_id_text(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The one 12-digit account id the template's values name (a whole value, quoted or not, or the
// account field of an ARN), if they name exactly one.
std::optional<std::string> only_account_named(const json::Value& root) {
  std::optional<std::string> found;
  bool several = false;
  auto consider = [&](std::string_view account) {
    if (!is_account_id_text(account)) return;
    if (found && *found != account) several = true;
    found = std::string(account);
  };
  std::vector<const json::Value*> pending{&root};
  while (!pending.empty() && !several) {
    const json::Value* v = pending.back();
    pending.pop_back();
    if (v->kind == json::Kind::string || v->kind == json::Kind::number) {
      consider(v->text);
      // Every ARN in the value, also inside a policy written as a string.
      const std::string_view text = v->text;
      for (std::size_t arn = text.find("arn:"); arn != std::string_view::npos;
           arn = text.find("arn:", arn + 4)) {
        std::size_t field = 0, from = arn;
        for (std::size_t at = arn; at <= text.size() && field <= 4; ++at) {
          if (at < text.size() && text[at] != ':') continue;
          if (field == 4) consider(text.substr(from, at - from));
          ++field;
          from = at + 1;
        }
      }
    }
    for (const json::Value& item : v->items) pending.push_back(&item);
    for (const json::Member& m : v->members) {
      // Prose and examples ("ConstraintDescription: e.g. 111122223333") are not values.
      if (m.key == "Description" || m.key == "ConstraintDescription" || m.key == "Metadata" ||
          m.key == "AllowedPattern")
        continue;
      pending.push_back(&m.value);
    }
  }
  if (several) return std::nullopt;
  return found;
}

// The one Region whose regional GuardDuty principal (guardduty.<region>.amazonaws.com) the
// template's values name, if they name exactly one.
std::optional<std::string> only_regional_principal(const json::Value& root) {
  std::optional<std::string> found;
  bool several = false;
  json::for_each_value(root, [&](const json::Value& v) {
    if (!v.is_string() || several) return;
    const std::string_view text = v.text;
    for (std::size_t at = text.find("guardduty."); at != std::string_view::npos;
         at = text.find("guardduty.", at + 10)) {
      const std::size_t end = text.find(".amazonaws.com", at + 10);
      if (end == std::string_view::npos) break;
      const std::string_view region = text.substr(at + 10, end - at - 10);
      if (!exportcfg::is_region(region)) continue;
      if (found && *found != region) several = true;
      found = std::string(region);
    }
  });
  if (several) return std::nullopt;
  return found;
}

// A valid bucket name derived from a name, made distinctive by a hash suffix, so that showing
// the symbol instead of it in a message never rewrites ordinary words ("bucket").
std::string bucket_name_stand_in(std::string_view logical_id) {
  std::string name;
  for (const char c : logical_id) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) name += c;
    if (c >= 'A' && c <= 'Z') name += static_cast<char>(c - 'A' + 'a');
  }
  name = name.substr(0, 48);
  return (name.empty() ? std::string("cfn") : name) + "-" + hex_digits(logical_id, 8);
}

bool icontains(std::string_view text, std::string_view word) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < word.size() && lower(text[i + j]) == word[j]) ++j;
    if (j == word.size()) return true;
  }
  return false;
}

json::Value string_value(std::string text, Span span) {
  json::Value v(json::Kind::string, span);
  v.text = std::move(text);
  return v;
}

struct Resource {
  std::string type;
  const json::Value* properties = nullptr;
  Span span;
};

class Template {
 public:
  Template(const json::Value& root, const SourceFile& source, const Hints& hints, Extraction& out)
      : source_(source), out_(out) {
    if (const json::Member* resources = root.find("Resources");
        resources && resources->value.is_object()) {
      for (const json::Member& m : resources->value.members) {
        Resource r;
        r.span = m.key_span;
        if (const json::Member* type = m.value.find("Type"); type && type->value.is_string())
          r.type = type->value.text;
        if (const json::Member* props = m.value.find("Properties");
            props && props->value.is_object())
          r.properties = &props->value;
        resources_.emplace(m.key, r);
      }
    }
    if (const json::Member* parameters = root.find("Parameters");
        parameters && parameters->value.is_object()) {
      for (const json::Member& m : parameters->value.members) parameters_.emplace(m.key, &m.value);
    }
    if (const json::Member* mappings = root.find("Mappings");
        mappings && mappings->value.is_object())
      mappings_ = &mappings->value;

    report_unknown_functions(root);
    // A template that names exactly one account literally is almost always deployed in it:
    // that account stands for ${AWS::AccountId}, so literal and symbolic uses agree.
    const std::optional<std::string> named = only_account_named(root);
    // ${AWS::AccountId} is the account the stack is deployed in. A template that creates the
    // detector or its destination exports from there: the exporting account. A template that
    // only holds the key or bucket may be deployed elsewhere (a log-archive account): the
    // bucket's account when given, else a stand-in that the given bucket's name or the
    // exporting account can bind later (see lint_setup).
    exports_here_ = std::any_of(resources_.begin(), resources_.end(), [](const auto& entry) {
      return entry.second.type == "AWS::GuardDuty::Detector" ||
             entry.second.type == "AWS::GuardDuty::PublishingDestination";
    });
    const std::optional<std::string> deployed_in =
        exports_here_ ? hints.account : hints.bucket_account;
    // The stand-in is a distinctive number, so showing the symbol instead of it in findings
    // never rewrites another value (a run of zeros would match inside key ids).
    account_ = deployed_in.value_or(named.value_or("409732615928"));
    if (!deployed_in && !named) stand_in(account_, "${AWS::AccountId}");
    // A template that names the regional principal of one opt-in Region (written literally or
    // as a parameter's default) is deployed there: that Region stands for ${AWS::Region}. One
    // that names guardduty.${AWS::Region}.amazonaws.com is meant for opt-in Regions: its
    // stand-in Region is one.
    const std::optional<std::string> principal_region = only_regional_principal(root);
    const bool regional = source.text().find("guardduty.${AWS::Region}") != std::string_view::npos;
    region_ =
        hints.region.value_or(principal_region.value_or(regional ? "af-south-1" : "eu-north-1"));
    if (!hints.region) {
      stand_in(region_, "${AWS::Region}");
      out_.notes.push_back(fmt::format(
          "{}: ${{AWS::Region}} is checked as {}{} (give --region to use yours)", source.path(),
          region_,
          principal_region ? ", the Region of the regional GuardDuty principal the template names"
          : regional       ? ", an opt-in Region, because the template names the regional "
                             "GuardDuty principal"
                           : ""));
    }
    if (!deployed_in) {
      out_.notes.push_back(fmt::format(
          "{}: ${{AWS::AccountId}} is checked as {}{} ({})", source.path(), account_,
          named ? ", the only account the template names" : "",
          exports_here_ ? "give --account to use yours"
                        : "the stack's account: give --bucket-account when it holds the bucket"));
    }
  }

  void read(Quoting quoting, bool repaired) {
    // A template that creates the detector or its destination exports from the stack's own
    // account and Region: those are the export's, as symbols.
    if (exports_here_) {
      const exportcfg::Origin origin{
          exportcfg::Origin::Kind::config,
          fmt::format("{} (the stack's own account and Region)", source_.path()), std::nullopt};
      out_.settings.account = {account_, origin};
      out_.settings.regions = {region_};
      out_.settings.regions_origin = origin;
      out_.has_settings = true;
    }
    // The destination first: it says which key and bucket are the export's.
    for (const auto& [id, resource] : resources_) {
      if (resource.type == "AWS::GuardDuty::PublishingDestination" && resource.properties)
        read_destination(id, resource);
    }
    std::vector<std::pair<std::string, std::size_t>> keys, bucket_policies;  // id, document
    for (const auto& [id, resource] : resources_) {
      if (resource.type == "AWS::KMS::Key") {
        if (auto doc = add_document(id, resource, "KeyPolicy", documents::Kind::key_policy, quoting,
                                    repaired)) {
          keys.emplace_back(id, *doc);
        } else if (is_export_key(id) && !has_property(resource, "KeyPolicy")) {
          keys.emplace_back(id, add_default_key_policy(id, resource));
        }
      } else if (resource.type == "AWS::S3::BucketPolicy") {
        if (auto doc = add_document(id, resource, "PolicyDocument", documents::Kind::bucket_policy,
                                    quoting, repaired)) {
          bucket_policies.emplace_back(id, *doc);
          if (auto bucket = bucket_of_policy(id)) out_.documents[*doc].belongs_to = *bucket;
        }
      }
    }
    select_export_documents(
        keys, [this](const std::string& id) { return is_export_key(id); }, "key");
    select_export_documents(
        bucket_policies, [this](const std::string& id) { return is_export_bucket_policy(id); },
        "bucket");
  }

 private:
  // CloudFormation rejects a template that calls a function it does not know, wherever it is.
  void report_unknown_functions(const json::Value& root) {
    std::vector<const json::Value*> pending{&root};
    while (!pending.empty()) {
      const json::Value* v = pending.back();
      pending.pop_back();
      for (const json::Value& item : v->items) pending.push_back(&item);
      for (const json::Member& m : v->members) {
        pending.push_back(&m.value);
        const std::string_view fn = m.key;
        if (v->members.size() != 1 || !fn.starts_with("Fn::")) continue;
        const auto known = [fn](const auto& names) {
          return std::find(names.begin(), names.end(), fn) != names.end();
        };
        if (known(kDeploymentFunctions) || known(kResolvedFunctions) || known(kRuleFunctions) ||
            fn.starts_with("Fn::ForEach::"))
          continue;
        out_.diagnostics.push_back(make_diagnostic(
            "GD007", make_location(source_, m.key_span),
            fmt::format("unknown intrinsic function {}: CloudFormation rejects the template", fn)));
      }
    }
  }

  void stand_in(const std::string& value, std::string symbol) {
    out_.stand_ins.emplace_back(value, std::move(symbol));
  }

  static bool has_property(const Resource& resource, std::string_view name) {
    return resource.properties != nullptr && resource.properties->find(name) != nullptr;
  }

  // Whether a template key is the one the publishing destination names.
  bool is_export_key(const std::string& id) {
    if (!out_.settings.key_arn.known()) return false;
    const auto arn = get_att(id, "Arn");
    return arn && *arn == out_.settings.key_arn.get();
  }

  // The name of the bucket a bucket policy is for, when the template decides it.
  std::optional<std::string> bucket_of_policy(const std::string& id) {
    const Resource& r = resources_.find(id)->second;
    const json::Member* bucket = r.properties ? r.properties->find("Bucket") : nullptr;
    if (bucket == nullptr) return std::nullopt;
    const std::vector<Span> saved = unknown_spans_;
    auto name = resolve_string(bucket->value, 0);
    unknown_spans_ = saved;
    return name;
  }

  // Whether a bucket policy is for the bucket the publishing destination names.
  bool is_export_bucket_policy(const std::string& id) {
    if (!out_.settings.bucket.known()) return false;
    const auto name = bucket_of_policy(id);
    return name && *name == out_.settings.bucket.get();
  }

  static bool names_guardduty(const json::Value& v) {
    std::vector<const json::Value*> pending{&v};
    while (!pending.empty()) {
      const json::Value* at = pending.back();
      pending.pop_back();
      if (at->is_string() && at->text.starts_with("guardduty.") &&
          at->text.ends_with(".amazonaws.com"))
        return true;
      for (const json::Value& item : at->items) pending.push_back(&item);
      for (const json::Member& m : at->members) pending.push_back(&m.value);
    }
    return false;
  }

  // A template can hold keys and bucket policies that have nothing to do with GuardDuty (a
  // CloudTrail bucket, an RDS key). The export's own are those the publishing destination
  // names; without one, those that name the GuardDuty principal. The others are checked for
  // grammar only: GuardDuty's requests are not theirs to allow. (A bare policy file is always
  // the export's: the user named it.)
  template <typename IsExport>
  void select_export_documents(const std::vector<std::pair<std::string, std::size_t>>& docs,
                               IsExport is_export, std::string_view what) {
    std::vector<bool> chosen(docs.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < docs.size(); ++i) any |= chosen[i] = is_export(docs[i].first);
    if (!any) {
      for (std::size_t i = 0; i < docs.size(); ++i) {
        const EmbeddedDocument& d = out_.documents[docs[i].second];
        any |= chosen[i] = d.tree && names_guardduty(*d.tree);
      }
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (chosen[i]) continue;
      out_.documents[docs[i].second].simulate = false;
      out_.notes.push_back(
          fmt::format("{}: {} is not the GuardDuty export's {}; only its grammar is checked",
                      source_.path(), docs[i].first, what));
    }
  }

  // A key without KeyPolicy gets KMS's default key policy: the account may use and manage the
  // key through IAM, and no service principal may use it, GuardDuty included.
  std::size_t add_default_key_policy(const std::string& id, const Resource& resource) {
    const Span at = resource.span;
    auto text = [at](std::string value) { return string_value(std::move(value), at); };
    auto object = [at](std::vector<std::pair<std::string, json::Value>> members) {
      json::Value v(json::Kind::object, at);
      for (auto& [key, value] : members) {
        json::Member m;
        m.key = key;
        m.key_span = at;
        m.value = std::move(value);
        v.members.push_back(std::move(m));
      }
      return v;
    };
    std::vector<std::pair<std::string, json::Value>> principal;
    principal.emplace_back("AWS", text(fmt::format("arn:aws:iam::{}:root", account_)));
    std::vector<std::pair<std::string, json::Value>> statement;
    statement.emplace_back("Sid", text("Enable IAM User Permissions"));
    statement.emplace_back("Effect", text("Allow"));
    statement.emplace_back("Principal", object(std::move(principal)));
    statement.emplace_back("Action", text("kms:*"));
    statement.emplace_back("Resource", text("*"));
    json::Value statements(json::Kind::array, at);
    statements.items.push_back(object(std::move(statement)));
    std::vector<std::pair<std::string, json::Value>> policy;
    policy.emplace_back("Version", text("2012-10-17"));
    policy.emplace_back("Statement", std::move(statements));
    EmbeddedDocument doc;
    doc.label = fmt::format("{} (no KeyPolicy: KMS's default key policy)", id);
    doc.kind = documents::Kind::key_policy;
    doc.source = &source_;
    doc.tree = object(std::move(policy));
    out_.documents.push_back(std::move(doc));
    out_.notes.push_back(
        fmt::format("{}: {} has no KeyPolicy; it is checked with KMS's default key policy",
                    source_.path(), id));
    return out_.documents.size() - 1;
  }

  std::optional<std::size_t> add_document(const std::string& id, const Resource& resource,
                                          std::string_view property, documents::Kind kind,
                                          Quoting quoting, bool repaired) {
    if (resource.properties == nullptr) return std::nullopt;
    const json::Member* policy = resource.properties->find(property);
    if (policy == nullptr) return std::nullopt;
    unknown_spans_.clear();
    EmbeddedDocument doc;
    doc.label = fmt::format("{} {}", id, property);
    doc.kind = kind;
    doc.source = &source_;
    std::optional<json::Value> resolved = resolve(policy->value, 0);
    if (!resolved) return std::nullopt;
    if (resolved->is_string()) {
      // CloudFormation also takes a policy as a JSON string. In a JSON template the string is
      // decoded and checked where it is written; elsewhere (YAML scalars, Fn::Sub results) its
      // bytes cannot be placed exactly, so it is noted, not guessed at.
      if (policy->value.is_string() && quoting == Quoting::verbatim) {
        doc.decoded = decode_json_string(source_, policy->value.span, source_.path());
        doc.source = doc.decoded.get();
        doc.needs_parse = true;
        doc.simulate = !repaired;
        out_.documents.push_back(std::move(doc));
        return out_.documents.size() - 1;
      } else {
        const Position p = source_.position(policy->value.span.begin);
        out_.notes.push_back(fmt::format(
            "{}:{}:{}: {} of {} is written as a string; write it as an object to have it checked",
            source_.path(), p.line, p.column, property, id));
      }
      return std::nullopt;
    }
    doc.tree = std::move(*resolved);
    doc.unknown_spans = unknown_spans_;
    doc.simulate = !repaired;
    doc.quoting = quoting;
    if (!unknown_spans_.empty()) {
      out_.notes.push_back(fmt::format(
          "{}: {} holds {} value(s) that cannot be known offline; the statements holding them "
          "are not judged",
          source_.path(), doc.label, unknown_spans_.size()));
    }
    out_.documents.push_back(std::move(doc));
    return out_.documents.size() - 1;
  }

  void read_destination(const std::string& id, const Resource& resource) {
    unknown_spans_.clear();
    std::optional<json::Value> properties = resolve(*resource.properties, 0);
    if (!properties || !unknown_spans_.empty()) {
      out_.notes.push_back(fmt::format(
          "{}: the publishing destination {} holds values that cannot be known offline; its "
          "settings are not used",
          source_.path(), id));
      return;
    }
    read_destination_settings(*properties, source_, out_, "GD007");
  }

  json::Value unknown(Span span, std::string why) {
    unknown_spans_.push_back(span);
    const Position at = make_location(source_, span).start;
    out_.notes.push_back(
        fmt::format("{}:{}:{}: {}; treated as unknown", source_.path(), at.line, at.column, why));
    return string_value("", span);
  }

  // nullopt: the value is AWS::NoValue and disappears from its object or list.
  std::optional<json::Value> resolve(const json::Value& v, int depth) {
    if (depth > kMaxDepth) return unknown(v.span, "the value is nested too deeply");
    if (v.is_object() && v.members.size() == 1) {
      const json::Member& m = v.members.front();
      if (m.key == "Ref" || m.key.starts_with("Fn::") || m.key.starts_with("!"))
        return intrinsic(m, v.span, depth);
    }
    json::Value copy(v.kind, v.span);
    copy.boolean = v.boolean;
    copy.text = v.text;
    for (const json::Value& item : v.items) {
      if (auto r = resolve(item, depth + 1)) copy.items.push_back(std::move(*r));
    }
    for (const json::Member& m : v.members) {
      auto r = resolve(m.value, depth + 1);
      if (!r) continue;
      json::Member member;
      member.key = m.key;
      member.key_span = m.key_span;
      member.value = std::move(*r);
      copy.members.push_back(std::move(member));
    }
    return copy;
  }

  // A resolved string, or nullopt when it is unknown (recorded) or not a string.
  std::optional<std::string> resolve_string(const json::Value& v, int depth) {
    const std::size_t before = unknown_spans_.size();
    std::optional<json::Value> r = resolve(v, depth + 1);
    if (!r || unknown_spans_.size() != before) return std::nullopt;
    if (r->kind == json::Kind::string || r->kind == json::Kind::number) return r->text;
    if (r->kind == json::Kind::boolean) return std::string(r->boolean ? "true" : "false");
    return std::nullopt;
  }

  std::optional<json::Value> intrinsic(const json::Member& m, Span span, int depth) {
    const std::string& fn = m.key;
    const json::Value& arg = m.value;
    if (fn == "Ref") {
      if (!arg.is_string()) return unknown(span, "Ref needs a name");
      if (arg.text == "AWS::NoValue") return std::nullopt;
      if (auto value = ref(arg.text, span)) return string_value(std::move(*value), span);
      return unknown(span, fmt::format("Ref {} cannot be resolved offline", arg.text));
    }
    if (fn == "Fn::GetAtt") {
      std::string resource, attribute;
      if (arg.is_array() && arg.items.size() == 2 && arg.items[0].is_string()) {
        resource = arg.items[0].text;
        if (auto a = resolve_string(arg.items[1], depth)) attribute = *a;
      } else if (arg.is_string()) {
        const std::size_t dot = arg.text.find('.');
        resource = arg.text.substr(0, dot);
        if (dot != std::string::npos) attribute = arg.text.substr(dot + 1);
      }
      if (auto value = get_att(resource, attribute)) return string_value(std::move(*value), span);
      return unknown(
          span, fmt::format("Fn::GetAtt {}.{} cannot be resolved offline", resource, attribute));
    }
    if (fn == "Fn::Sub") return sub(arg, span, depth);
    if (fn == "Fn::Join") {
      if (!arg.is_array() || arg.items.size() != 2)
        return unknown(span, "Fn::Join needs [delimiter, list]");
      auto delimiter = resolve_string(arg.items[0], depth);
      auto list = resolve(arg.items[1], depth + 1);
      if (!delimiter || !list || !list->is_array())
        return unknown(span, "Fn::Join's list cannot be resolved offline");
      std::string joined;
      for (std::size_t i = 0; i < list->items.size(); ++i) {
        const json::Value& item = list->items[i];
        if (item.is_array() || item.is_object())
          return unknown(span, "Fn::Join's list cannot be resolved offline");
        if (i > 0) joined += *delimiter;
        joined += item.text;
      }
      return string_value(std::move(joined), span);
    }
    if (fn == "Fn::Select") {
      if (!arg.is_array() || arg.items.size() != 2)
        return unknown(span, "Fn::Select needs [index, list]");
      auto index = resolve_string(arg.items[0], depth);
      auto list = resolve(arg.items[1], depth + 1);
      if (index && list && list->is_array()) {
        char* end = nullptr;
        const unsigned long i = std::strtoul(index->c_str(), &end, 10);
        if (end != index->c_str() && *end == '\0' && i < list->items.size())
          return std::move(list->items[i]);
      }
      return unknown(span, "Fn::Select cannot be resolved offline");
    }
    if (fn == "Fn::Split") {
      if (!arg.is_array() || arg.items.size() != 2)
        return unknown(span, "Fn::Split needs [delimiter, string]");
      auto delimiter = resolve_string(arg.items[0], depth);
      auto text = resolve_string(arg.items[1], depth);
      if (!delimiter || !text || delimiter->empty())
        return unknown(span, "Fn::Split cannot be resolved offline");
      json::Value list(json::Kind::array, span);
      std::size_t from = 0;
      for (std::size_t at; (at = text->find(*delimiter, from)) != std::string::npos;
           from = at + delimiter->size())
        list.items.push_back(string_value(text->substr(from, at - from), span));
      list.items.push_back(string_value(text->substr(from), span));
      return list;
    }
    if (fn == "Fn::FindInMap") {
      if (mappings_ != nullptr && arg.is_array() && arg.items.size() == 3) {
        auto map = resolve_string(arg.items[0], depth);
        auto first = resolve_string(arg.items[1], depth);
        auto second = resolve_string(arg.items[2], depth);
        if (map && first && second) {
          const json::Member* a = mappings_->find(*map);
          const json::Member* b = a ? a->value.find(*first) : nullptr;
          const json::Member* c = b ? b->value.find(*second) : nullptr;
          if (c != nullptr) return resolve(c->value, depth + 1);
        }
      }
      return unknown(span, "Fn::FindInMap cannot be resolved offline");
    }
    if (std::find(kDeploymentFunctions.begin(), kDeploymentFunctions.end(), fn) !=
        kDeploymentFunctions.end())
      return unknown(span, fmt::format("{} depends on the deployment", fn));
    return unknown(span, fmt::format("{} is not a known function", fn));
  }

  std::optional<json::Value> sub(const json::Value& arg, Span span, int depth) {
    const json::Value* format = &arg;
    std::map<std::string, std::string, std::less<>> vars;
    if (arg.is_array() && !arg.items.empty()) {
      format = &arg.items[0];
      if (arg.items.size() > 1 && arg.items[1].is_object()) {
        for (const json::Member& m : arg.items[1].members) {
          auto value = resolve_string(m.value, depth);
          if (!value)
            return unknown(span,
                           fmt::format("Fn::Sub variable {} cannot be resolved offline", m.key));
          vars.emplace(m.key, std::move(*value));
        }
      }
    }
    if (!format->is_string()) return unknown(span, "Fn::Sub needs a string");
    const std::string& text = format->text;
    std::string result;
    for (std::size_t i = 0; i < text.size();) {
      if (text.compare(i, 2, "${") != 0) {
        result += text[i++];
        continue;
      }
      const std::size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        result += text.substr(i);
        break;
      }
      const std::string name = text.substr(i + 2, close - i - 2);
      i = close + 1;
      if (name.starts_with("!")) {  // ${!Literal} is written as ${Literal}
        result += "${" + name.substr(1) + "}";
        continue;
      }
      if (auto it = vars.find(name); it != vars.end()) {
        result += it->second;
        continue;
      }
      std::optional<std::string> value;
      if (const std::size_t dot = name.find('.');
          dot != std::string::npos && !name.starts_with("AWS::")) {
        value = get_att(name.substr(0, dot), name.substr(dot + 1));
      } else {
        value = ref(name, span);
      }
      if (!value) return unknown(span, fmt::format("${{{}}} cannot be resolved offline", name));
      result += *value;
    }
    return string_value(std::move(result), span);
  }

  std::optional<std::string> ref(const std::string& name, Span span) {
    if (name == "AWS::AccountId") return account_;
    if (name == "AWS::Region") return region_;
    if (name == "AWS::Partition") return std::string("aws");
    if (name == "AWS::URLSuffix") return std::string("amazonaws.com");
    if (name == "AWS::StackName") return std::string("stack");
    if (name.starts_with("AWS::")) return std::nullopt;
    if (auto it = parameters_.find(name); it != parameters_.end())
      return parameter(name, *it->second, span);
    if (auto it = resources_.find(name); it != resources_.end()) {
      const Resource& r = it->second;
      if (r.type == "AWS::S3::Bucket") return bucket_name(name, r);
      if (r.type == "AWS::KMS::Key") return key_id(name);
      if (r.type == "AWS::KMS::Alias") return std::nullopt;
      if (r.type == "AWS::GuardDuty::Detector") return detector_id(name);
      return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<std::string> get_att(const std::string& resource, const std::string& attribute) {
    auto it = resources_.find(resource);
    if (it == resources_.end()) return std::nullopt;
    const Resource& r = it->second;
    if (r.type == "AWS::S3::Bucket" && attribute == "Arn") {
      auto name = bucket_name(resource, r);
      if (!name) return std::nullopt;
      return "arn:aws:s3:::" + *name;
    }
    if (r.type == "AWS::KMS::Key" && attribute == "Arn")
      return fmt::format("arn:aws:kms:{}:{}:key/{}", region_, account_, key_id(resource));
    if (r.type == "AWS::KMS::Key" && attribute == "KeyId") return key_id(resource);
    if (r.type == "AWS::GuardDuty::Detector" && attribute == "Id") return detector_id(resource);
    return std::nullopt;
  }

  std::optional<std::string> bucket_name(const std::string& id, const Resource& r) {
    if (r.properties != nullptr) {
      if (const json::Member* name = r.properties->find("BucketName")) {
        // A name that refers back to its own bucket (directly or through others) is a cycle
        // CloudFormation rejects; here it is unknown, not an endless recursion.
        if (!naming_.insert(id).second) return std::nullopt;
        std::vector<Span> saved = unknown_spans_;
        std::optional<std::string> resolved = resolve_string(name->value, 0);
        unknown_spans_ = std::move(saved);
        naming_.erase(id);
        return resolved;
      }
    }
    std::string stand = bucket_name_stand_in(id);
    remember(stand, fmt::format("${{{}}}", id));
    return stand;
  }

  std::string key_id(const std::string& id) {
    const std::string h = hex_digits(id, 32);
    std::string stand = fmt::format("{}-{}-4{}-8{}-{}", h.substr(0, 8), h.substr(8, 4),
                                    h.substr(12, 3), h.substr(15, 3), h.substr(18, 12));
    remember(stand, fmt::format("${{{}}}", id));
    return stand;
  }

  std::string detector_id(const std::string& id) {
    std::string stand = hex_digits(id, 32);
    remember(stand, fmt::format("${{{}}}", id));
    return stand;
  }

  std::optional<std::string> parameter(const std::string& name, const json::Value& definition,
                                       Span span) {
    (void)span;
    if (const json::Member* def = definition.find("Default")) {
      if (def->value.is_string() || def->value.kind == json::Kind::number) return def->value.text;
    }
    // No default: a consistent stand-in shaped by what the parameter's name says it is.
    std::string stand;
    if (icontains(name, "account")) {
      stand = std::to_string(100000000000ULL + fnv1a(name) % 899999999999ULL);
    } else if (icontains(name, "region")) {
      stand = region_;
    } else if (icontains(name, "detector")) {
      stand = hex_digits(name, 32);
    } else if (icontains(name, "arn")) {
      return std::nullopt;  // an ARN of what? Not guessable.
    } else {
      stand = bucket_name_stand_in(name);
    }
    if (!parameter_noted_.contains(name)) {
      parameter_noted_.insert(name);
      out_.notes.push_back(fmt::format("{}: parameter {} has no default; checked as {}",
                                       source_.path(), name, stand));
    }
    remember(stand, fmt::format("${{{}}}", name));
    return stand;
  }

  void remember(const std::string& value, std::string symbol) {
    for (const auto& [v, s] : out_.stand_ins) {
      if (v == value) return;
    }
    stand_in(value, std::move(symbol));
  }

  const SourceFile& source_;
  Extraction& out_;
  std::map<std::string, Resource, std::less<>> resources_;
  std::map<std::string, const json::Value*, std::less<>> parameters_;
  const json::Value* mappings_ = nullptr;
  std::set<std::string, std::less<>> parameter_noted_;
  std::set<std::string, std::less<>> naming_;  // buckets whose BucketName is being resolved
  std::string account_;
  std::string region_;
  bool exports_here_ = false;
  std::vector<Span> unknown_spans_;
};

}  // namespace

void read_cloudformation(const json::Value& root, const SourceFile& source, Quoting quoting,
                         bool repaired, const Hints& hints, Extraction& out) {
  out.format = Format::cloudformation;
  Template(root, source, hints, out).read(quoting, repaired);
}

Extraction read_cloudformation_yaml(const SourceFile& source, const Hints& hints) {
  Extraction out;
  out.format = Format::cloudformation;
  YamlResult yaml = read_yaml(source);
  out.diagnostics = std::move(yaml.diagnostics);
  if (!yaml.root) return out;
  if (yaml.root->is_object() && yaml.root->find("Statement") != nullptr) {
    // A bare policy written in YAML.
    out.format = Format::policy;
    EmbeddedDocument doc;
    doc.tree = std::move(*yaml.root);
    doc.source = &source;
    doc.simulate = !yaml.repaired;
    doc.quoting = Quoting::not_json;
    out.documents.push_back(std::move(doc));
    return out;
  }
  if (!yaml.root->is_object() || yaml.root->find("Resources") == nullptr) {
    Diagnostic d = make_diagnostic(
        "GD007", make_location(source, {0, 0}),
        "this YAML file is neither a CloudFormation template (no Resources) nor a policy (no "
        "Statement), so nothing in it was checked");
    d.severity = Severity::warning;
    out.diagnostics.push_back(std::move(d));
    return out;
  }
  read_cloudformation(*yaml.root, source, Quoting::not_json, yaml.repaired, hints, out);
  return out;
}

}  // namespace gdl::containers
