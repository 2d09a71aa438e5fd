#include "containers/terraform.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "containers/json_string.h"
#include "containers/terraform_module.h"
#include "diag/rule_catalog.h"

namespace gdl::containers {

namespace {

// A policy that is not read: said where it is, and the result is judged in part rather than
// passed without it.
void not_read(const SourceFile& source, const json::Value& policy, Extraction& out,
              std::string_view why) {
  ++out.unread_policies;
  const Position p = source.position(policy.span.begin);
  out.notes.push_back(fmt::format("{}:{}:{}: {}", source.path(), p.line, p.column, why));
}

// "an object", "a number": what a value is, in a sentence.
std::string a_kind(json::Kind kind) {
  const std::string_view name = json::to_string(kind);
  return fmt::format("{} {}", kind == json::Kind::array || kind == json::Kind::object ? "an" : "a",
                     name);
}

std::optional<documents::Kind> policy_kind(std::string_view type) {
  if (type == "aws_s3_bucket_policy") return documents::Kind::bucket_policy;
  if (type == "aws_kms_key" || type == "aws_kms_key_policy") return documents::Kind::key_policy;
  return std::nullopt;
}

json::Value string_at(std::string text, Span span) {
  json::Value v(json::Kind::string, span);
  v.text = std::move(text);
  return v;
}

json::Member member(std::string key, json::Value value) {
  json::Member m;
  m.key = std::move(key);
  m.key_span = value.span;
  m.value = std::move(value);
  return m;
}

}  // namespace

// Builds the settings object read_settings_object understands from a publishing destination's
// attributes (values with their spans, so problems point into the user's file).
void tf::read_destination_values(const json::Value* destination_arn, const json::Value* key_arn,
                                 const json::Value* detector_id, const SourceFile& source,
                                 Extraction& out) {
  json::Value properties(json::Kind::object, {});
  if (destination_arn != nullptr)
    properties.members.push_back(
        member("DestinationArn", string_at(destination_arn->text, destination_arn->span)));
  if (key_arn != nullptr)
    properties.members.push_back(member("KmsKeyArn", string_at(key_arn->text, key_arn->span)));
  json::Value root(json::Kind::object, {});
  root.members.push_back(member("DestinationProperties", std::move(properties)));
  if (detector_id != nullptr)
    root.members.push_back(member("DetectorId", string_at(detector_id->text, detector_id->span)));
  read_destination_settings(root, source, out, "GD007");
}

bool tf::names_guardduty_text(std::string_view text) {
  for (std::size_t at = text.find("\"guardduty."); at != std::string_view::npos;
       at = text.find("\"guardduty.", at + 1)) {
    const std::size_t end = text.find('"', at + 1);
    if (end != std::string_view::npos &&
        text.substr(at + 1, end - at - 1).ends_with(".amazonaws.com"))
      return true;
  }
  return false;
}

namespace {

// The bucket or key a resource's policy belongs to, as its values write it plainly (a plan's
// values): "" when none does.
std::string owner_of(const json::Value& values) {
  for (const std::string_view key : {"bucket", "arn", "key_id"}) {
    const json::Member* owner = values.find(key);
    if (owner != nullptr && owner->value.is_string() &&
        owner->value.text.find("${") == std::string::npos)
      return owner->value.text;
  }
  return {};
}

// Whether a document names a GuardDuty service principal: in its tree when it has one (the
// tree of a .tf module is one value of a larger file), else in its text.
bool names_guardduty(const EmbeddedDocument& doc) {
  if (!doc.tree) return doc.source != nullptr && tf::names_guardduty_text(doc.source->text());
  bool found = false;
  json::for_each_value(*doc.tree, [&](const json::Value& v) {
    found = found || (v.is_string() && v.text.starts_with("guardduty.") &&
                      v.text.ends_with(".amazonaws.com"));
  });
  return found;
}

}  // namespace

// A plan or configuration can hold keys and bucket policies that have nothing to do with
// GuardDuty. The export's own are those the publishing destination names and those that name
// the GuardDuty principal; the others are checked for grammar only (as in templates).
void tf::select_export_documents(Extraction& out, const SourceFile& source, const Hints& hints) {
  auto is_key = [](const std::string& owner, const std::string& arn) {
    return owner == arn || arn.ends_with("/" + owner);
  };
  for (EmbeddedDocument& doc : out.documents) {
    const std::string& owner = doc.belongs_to;
    const bool named_by_destination =
        !owner.empty() &&
        ((out.settings.bucket.known() && owner == out.settings.bucket.get()) ||
         (out.settings.key_arn.known() && is_key(owner, out.settings.key_arn.get())) ||
         (hints.bucket && owner == *hints.bucket) ||
         (hints.key_arn && is_key(owner, *hints.key_arn)));
    if (named_by_destination || names_guardduty(doc)) continue;
    doc.simulate = false;
    out.notes.push_back(fmt::format(
        "{}: {} names no GuardDuty principal and no publishing destination names it; only its "
        "grammar is checked",
        doc.source != nullptr ? doc.source->path() : source.path(), doc.label));
  }
}

void read_terraform_plan(const json::Value& root, const SourceFile& source, bool repaired,
                         const Hints& hints, Extraction& out) {
  out.format = Format::terraform_plan;
  const json::Member* values = root.find("planned_values");
  if (values == nullptr) values = root.find("values");
  if (values == nullptr || !values->value.is_object()) {
    out.notes.push_back(fmt::format("{}: the plan has no planned_values or values", source.path()));
    return;
  }
  std::vector<const json::Value*> modules;
  if (const json::Member* rm = values->value.find("root_module")) modules.push_back(&rm->value);
  // Modules nest; a stack, not recursion, walks them (a hostile plan can nest deeply).
  while (!modules.empty()) {
    const json::Value* module = modules.back();
    modules.pop_back();
    if (const json::Member* children = module->find("child_modules");
        children && children->value.is_array()) {
      for (const json::Value& child : children->value.items) modules.push_back(&child);
    }
    const json::Member* resources = module->find("resources");
    if (resources == nullptr || !resources->value.is_array()) continue;
    for (const json::Value& resource : resources->value.items) {
      const json::Member* type = resource.find("type");
      const json::Member* mode = resource.find("mode");
      const json::Member* address = resource.find("address");
      const json::Member* attrs = resource.find("values");
      if (type == nullptr || !type->value.is_string() || attrs == nullptr ||
          !attrs->value.is_object())
        continue;
      if (mode != nullptr && mode->value.is_string() && mode->value.text != "managed") continue;
      const std::string label =
          address != nullptr && address->value.is_string() ? address->value.text : type->value.text;
      if (type->value.text == "aws_guardduty_publishing_destination") {
        auto attr = [&](std::string_view key) -> const json::Value* {
          const json::Member* m = attrs->value.find(key);
          return m != nullptr && m->value.is_string() ? &m->value : nullptr;
        };
        tf::read_destination_values(attr("destination_arn"), attr("kms_key_arn"),
                                    attr("detector_id"), source, out);
        continue;
      }
      const auto kind = policy_kind(type->value.text);
      if (!kind) continue;
      const json::Member* policy = attrs->value.find("policy");
      if (policy == nullptr || policy->value.kind == json::Kind::null) {
        if (type->value.text != "aws_kms_key") {
          out.notes.push_back(
              fmt::format("{}: {} has no policy value in the plan (known only after apply)",
                          source.path(), label));
        }
        continue;
      }
      if (!policy->value.is_string()) {
        not_read(source, policy->value, out,
                 fmt::format("the policy of {} in the plan is {}, not a JSON string as Terraform "
                             "writes it: not read",
                             label, a_kind(policy->value.kind)));
        continue;
      }
      EmbeddedDocument doc = document_in_string(source, policy->value.span, label, kind, !repaired);
      doc.belongs_to = owner_of(attrs->value);
      out.documents.push_back(std::move(doc));
    }
  }
  tf::select_export_documents(out, source, hints);
}

}  // namespace gdl::containers
