// Terraform source (.tf): a module's policies and publishing destination, read with the module's
// values (src/containers/terraform_module.h).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "containers/stand_ins.h"
#include "containers/terraform.h"
#include "containers/terraform_json_syntax.h"
#include "containers/terraform_module.h"
#include "diag/rule_catalog.h"
#include "hcl/functions.h"
#include "hcl/parser.h"
#include "util/text.h"

namespace gdl::containers {

namespace tf {

namespace {

// How an edit to a policy written by `e` can be written back: into a heredoc or a file as is,
// into a quoted string escaped (HCL's escapes include JSON's), and not at all where the text was
// computed (only suggested).
Quoting quoting_for(const hcl::Expr& e, const SourceFile& file) {
  const std::string_view text = file.text().substr(std::min(e.span.begin, file.text().size()));
  if (e.kind == hcl::ExprKind::template_) {
    if (text.starts_with("<<")) return Quoting::verbatim;
    if (text.starts_with("\"")) return Quoting::json_string;
  }
  if (e.kind == hcl::ExprKind::call && (e.text == "file" || e.text == "templatefile"))
    return Quoting::verbatim;
  return Quoting::not_json;
}

// The `${...}` and `%{...}` of a template written in `range` of `file` (`$${` is a literal).
std::vector<Span> interpolations(const SourceFile& file, Span range) {
  std::vector<Span> out;
  const std::string_view text = file.text();
  const std::size_t end = std::min(range.end, text.size());
  for (std::size_t i = range.begin; i + 1 < end; ++i) {
    if ((text[i] != '$' && text[i] != '%') || text[i + 1] != '{') continue;
    if (i > 0 && text[i - 1] == text[i]) continue;  // $${ or %%{
    std::size_t depth = 0;
    std::size_t j = i + 1;
    for (; j < end; ++j) {
      if (text[j] == '{') ++depth;
      if (text[j] == '}' && --depth == 0) break;
    }
    out.push_back({i, std::min(j + 1, end)});
    i = j;
  }
  return out;
}

json::Value json_string_at(std::string text, Span span) {
  json::Value v(json::Kind::string, span);
  v.text = std::move(text);
  return v;
}

// A value that is a policy document: an object with a Statement, directly or as JSON text.
bool is_policy_value(const hcl::Value& v, const SourceFile& file) {
  const hcl::Value* object = v.encodes.get();
  hcl::Value decoded;
  if (object == nullptr && v.is_string() && v.unknown_ranges.empty()) {
    const std::size_t first = v.text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || v.text[first] != '{') return false;
    decoded = hcl::call_function("jsondecode", {v}, &file, v.span);
    object = &decoded;
  }
  return object != nullptr && object->kind == hcl::ValueKind::object &&
         object->member("Statement") != nullptr;
}

}  // namespace

void Module::read() {
  // Keys with a separate aws_kms_key_policy have that policy, not KMS's default one.
  std::vector<std::string> keys_with_policy;
  for (const auto& [key, r] : resources_) {
    if (key.starts_with("aws_kms_key_policy."))
      keys_with_policy.push_back(known_string(r, "key_id"));
  }
  for (const ParsedFile& f : files_) {
    // An override file's blocks are merged into the others' (index()), not resources of their own.
    if (is_override_file(*f.source)) continue;
    for (const hcl::Block& block : f.body.blocks) {
      if (block.type != "resource" || block.labels.size() != 2) continue;
      const Named r{&block, f.source};
      if (count_of(r) == std::size_t{0}) continue;  // count = 0: the resource does not exist
      const std::string& type = block.labels[0].text;
      const std::string key = type + "." + block.labels[1].text;
      const std::string label = address_ + key;
      const hcl::Attribute* policy = block.body.attribute("policy");
      const SourceFile* policy_file = f.source;
      if (const auto overridden = resource_overrides_.find(key);
          overridden != resource_overrides_.end()) {
        policy = overridden->second.block->body.attribute("policy");
        policy_file = overridden->second.file;
      }
      // The document is this resource's, and that of the bucket or key it is attached to.
      std::vector<std::string> owners{label};
      for (const std::string_view argument : {"bucket", "key_id"}) {
        if (const hcl::Attribute* a = block.body.attribute(argument)) {
          for (std::string& ref : referenced_addresses(*a->value, address_))
            owners.push_back(std::move(ref));
        }
      }
      const std::size_t documents_before = session_.out.documents.size();
      // The AWS Cloud Control provider's resources (hashicorp/awscc) are not read: the policies
      // and the destination they hold are not judged, and a clean result must not hide them.
      if (type == "awscc_kms_key" || type == "awscc_s3_bucket_policy" ||
          type == "awscc_guardduty_publishing_destination") {
        ++session_.out.unread_policies;
        session_.note(*f.source, block.labels[0].span,
                      fmt::format("{}: resources of the AWS Cloud Control provider (awscc) are not "
                                  "read, so {} is not judged; the aws provider's resources are",
                                  label,
                                  type == "awscc_kms_key"            ? "its key policy"
                                  : type == "awscc_s3_bucket_policy" ? "its bucket policy"
                                                                     : "the destination"));
      }
      if (type == "aws_guardduty_publishing_destination") {
        read_destination(r);
      } else if (type == "aws_s3_bucket_policy" && policy != nullptr) {
        add_policy(label, documents::Kind::bucket_policy, known_string(r, "bucket"), *policy,
                   *policy_file);
      } else if (type == "aws_s3_bucket" && policy != nullptr) {
        add_policy(label, documents::Kind::bucket_policy, bucket_name(key, r), *policy,
                   *policy_file);
      } else if (type == "aws_kms_key_policy" && policy != nullptr) {
        add_policy(label, documents::Kind::key_policy, known_string(r, "key_id"), *policy,
                   *policy_file);
      } else if (type == "aws_kms_key") {
        const std::string id = key_id_stand_in(label);
        if (policy != nullptr) {
          add_policy(label, documents::Kind::key_policy, id, *policy, *policy_file);
        } else if (std::find(keys_with_policy.begin(), keys_with_policy.end(), id) ==
                   keys_with_policy.end()) {
          add_default_key_policy(label, id, r);
        }
      }
      for (std::size_t i = documents_before; i < session_.out.documents.size(); ++i)
        session_.owners[i] = owners;
      // A key's policy: the provider's bypass_policy_lockout_safety_check (false by default).
      // (Two flags, not an optional: g++'s -O2 warns on one here.)
      if (type == "aws_kms_key" || type == "aws_kms_key_policy") {
        bool bypass_known = true;
        bool bypassed = false;
        if (const hcl::Attribute* a = block.body.attribute("bypass_policy_lockout_safety_check")) {
          const hcl::Value v = evaluate(*a->value, *f.source);
          bypassed = v.kind == hcl::ValueKind::boolean && v.boolean;
          bypass_known = v.kind == hcl::ValueKind::boolean || v.kind == hcl::ValueKind::null;
        }
        for (std::size_t i = documents_before; bypass_known && i < session_.out.documents.size();
             ++i)
          session_.out.documents[i].lockout_check_bypassed = bypassed;
      }
    }
  }
  note_unused_guardduty_documents();
  for (std::size_t i = 0; i < module_calls_.size(); ++i) {
    if (count_of(module_calls_[i]) == std::size_t{0}) continue;
    if (children_[i]) {
      children_[i]->read();
    } else {
      read_module_call(module_calls_[i]);
    }
  }
}

void Module::note_unused_guardduty_documents() {
  // Every data.aws_iam_policy_document.NAME any expression of the module refers to.
  std::set<std::string, std::less<>> referred;
  auto refer = [&](const hcl::Traversal& t) {
    if (t.root != "data" || t.steps.size() < 2 || t.steps[0] != "aws_iam_policy_document")
      return false;
    referred.insert(t.steps[1]);
    return true;
  };
  std::vector<const hcl::Body*> bodies;
  for (const ParsedFile& f : files_) bodies.push_back(&f.body);
  while (!bodies.empty()) {
    const hcl::Body* body = bodies.back();
    bodies.pop_back();
    for (const hcl::Attribute& a : body->attributes) {
      if (a.value) hcl::for_each_traversal(*a.value, refer);
    }
    for (const hcl::Block& b : body->blocks) bodies.push_back(&b.body);
  }
  for (const ParsedFile& f : files_) {
    for (const hcl::Block& block : f.body.blocks) {
      if (block.type != "data" || block.labels.size() != 2 ||
          block.labels[0].text != "aws_iam_policy_document" ||
          referred.contains(block.labels[1].text))
        continue;
      const std::string_view text = f.source->text().substr(
          block.span.begin, std::min(block.span.size(), f.source->text().size()));
      if (!names_guardduty_text(text)) continue;
      session_.note(*f.source, block.labels[1].span,
                    fmt::format("{}data.aws_iam_policy_document.{} names a GuardDuty principal, "
                                "but nothing in the module refers to it (no policy, output or "
                                "module argument): it is no bucket's or key's policy, and is "
                                "not checked",
                                address_, block.labels[1].text));
    }
  }
}

void Module::add_default_key_policy(const std::string& label, const std::string& id,
                                    const Named& r) {
  // A key without a policy gets KMS's default key policy: the account may use and manage the
  // key through IAM, and no service principal may use it, GuardDuty included.
  const Span at = r.block->labels[1].span;
  auto text = [&](std::string value) { return hcl::string_value(std::move(value), r.file, at); };
  hcl::Value principal = object_value(*r.file, at);
  principal.members.emplace_back(
      "AWS", text(fmt::format("arn:{}:iam::{}:root", partition(r), account())), at);
  hcl::Value statement = object_value(*r.file, at);
  statement.members.emplace_back("Sid", text("Enable IAM User Permissions"), at);
  statement.members.emplace_back("Effect", text("Allow"), at);
  statement.members.emplace_back("Principal", std::move(principal), at);
  statement.members.emplace_back("Action", text("kms:*"), at);
  statement.members.emplace_back("Resource", text("*"), at);
  hcl::Value policy = object_value(*r.file, at);
  policy.members.emplace_back("Version", text("2012-10-17"), at);
  policy.members.emplace_back("Statement", tuple_value(*r.file, at, {std::move(statement)}), at);
  EmbeddedDocument doc;
  doc.label = fmt::format("{} (no policy: KMS's default key policy)", label);
  doc.kind = documents::Kind::key_policy;
  doc.belongs_to = id;
  doc.module_address = address_;
  doc.source = r.file;
  doc.quoting = Quoting::not_json;
  std::vector<std::string> why;
  doc.tree = to_tree(policy, *r.file, at, doc.unknown_spans, why);
  session_.out.documents.push_back(std::move(doc));
  session_.note(
      *r.file, at,
      fmt::format("{} has no policy; it is checked with KMS's default key policy", label));
}

void Module::add_policy(const std::string& label, std::optional<documents::Kind> kind,
                        const std::string& belongs_to, const hcl::Attribute& attr,
                        const SourceFile& file) {
  hcl::Value v = evaluate(*attr.value, file);
  // A policy document's data source itself, however it comes (directly, through a local, a
  // list, one() of a splat), not its `.json`.
  if (const hcl::InstanceRef* whole = v.instance.get();
      whole != nullptr && whole->root == "data" && whole->steps.size() >= 2 &&
      whole->steps[0] == "aws_iam_policy_document") {
    // The argument is a string: Terraform rejects the data source's object. The document it
    // names is still checked, as the `.json` that was surely meant.
    session_.out.diagnostics.push_back(make_diagnostic(
        "GD007", make_location(file, attr.value->span),
        fmt::format("the {} of {} is the data source, not its JSON: Terraform rejects it (a "
                    "string is required); write data.{}.json",
                    attr.name, label, whole->written)));
    std::vector<std::string> steps = whole->steps;
    steps.emplace_back("json");
    std::size_t used = 0;
    hcl::Scope& owner = whole->scope != nullptr ? *whole->scope : *this;
    std::optional<hcl::Value> json = owner.reference("data", steps, used, file, attr.value->span);
    if (json && used == steps.size()) v = std::move(*json);
  }
  add_policy_value(label, kind, belongs_to, v, file, *attr.value);
}

void Module::add_policy_value(const std::string& label, std::optional<documents::Kind> kind,
                              const std::string& belongs_to, const hcl::Value& v,
                              const SourceFile& file, const hcl::Expr& written) {
  EmbeddedDocument doc;
  doc.label = label;
  doc.kind = kind;
  doc.belongs_to = belongs_to;
  doc.module_address = address_;
  std::vector<std::string> why;
  if (v.encodes) {
    // jsonencode() or a policy document's json: the value itself, where it was written.
    const hcl::Value& root = *v.encodes;
    const SourceFile* home = root.file != nullptr ? root.file : &file;
    const Span anchor = root.file != nullptr ? root.span : written.span;
    doc.tree = to_tree(root, *home, anchor, doc.unknown_spans, why);
    doc.source = home;
    // A data source's document is written as blocks; jsonencode's object is HCL in which JSON
    // text is valid too.
    const std::string_view at = home->text().substr(std::min(anchor.begin, home->text().size()));
    doc.quoting = at.starts_with("data") ? Quoting::hcl_blocks : Quoting::hcl_object;
    // An Allow's organization id known only when Terraform runs
    // (data.aws_organizations_organization.org.id): a stand-in organization shown as the
    // expression (containers/stand_ins.h says why only there).
    auto symbol_of = [home](Span span) {
      const std::string_view text = home->text();
      if (span.begin >= span.end || span.end > text.size()) return std::string();
      const std::string_view expression = text.substr(span.begin, span.end - span.begin);
      // A plain reference only: a function call or template is shown as written nowhere else.
      if (expression.find_first_of("(\"${} \n") != std::string_view::npos) return std::string();
      return fmt::format("${{{}}}", expression);
    };
    for (const OrganizationStandIn& o :
         stand_in_organization_ids(doc, session_.out, symbol_of, &why)) {
      session_.note(*home, o.at,
                    fmt::format("{} is an organization id known only when Terraform runs; "
                                "checked as {}",
                                o.symbol, o.value));
    }
  } else if (v.is_string()) {
    // JSON text (a heredoc, a quoted string, file(), templatefile()): parsed where written.
    const SourceFile* home = v.file != nullptr && !v.map.empty() ? v.file : &file;
    OffsetMap map;
    if (home == v.file) {
      map = v.map;
    } else {
      map.add(0, written.span.begin, false);
    }
    for (const auto& [b, e] : v.unknown_ranges) {
      if (home == v.file) {
        doc.unknown_spans.push_back(unknown_range_span(v, b, e));
      } else {
        doc.unknown_spans.push_back(written.span);
      }
      why.push_back(v.why);
    }
    doc.quoting = home == &file ? quoting_for(written, file) : Quoting::verbatim;
    const Span mapped{map.to_outer(0), map.to_outer(v.text.size())};
    doc.computed_spans = interpolations(*home, mapped);
    // Text no file writes (a function's result: `replace(local.p, ...)`, all of whose bytes map
    // to one place) is computed where the expression is: an edit would land in the expression.
    if (!v.text.empty() && mapped.end <= mapped.begin) {
      doc.computed_spans.push_back(home == &file ? written.span
                                                 : Span{mapped.begin, mapped.begin + 1});
    }
    doc.decoded = std::make_unique<SourceFile>(home->path(), v.text,
                                               Embedding{home, std::move(map), doc.quoting});
    doc.source = doc.decoded.get();
    doc.needs_parse = true;
  } else {
    ++session_.out.unread_policies;
    if (kind) session_.unread_kinds.insert(*kind);
    // A .tf.json policy written as a JSON object is an object to Terraform, which wants the
    // policy's text: the usual form is "${jsonencode({...})}".
    if (v.known() && tf::is_json_syntax_file(file.path())) {
      session_.note(file, written.span,
                    fmt::format("the policy of {} is {}, not a string (Terraform's JSON syntax "
                                "writes it as a string, usually \"${{jsonencode(...)}}\"): not "
                                "read",
                                label,
                                v.kind == hcl::ValueKind::object  ? "an object"
                                : v.kind == hcl::ValueKind::tuple ? "a list"
                                : v.kind == hcl::ValueKind::null  ? "null"
                                                                  : "a number or boolean"));
      return;
    }
    session_.note(
        file, written.span,
        fmt::format("the policy of {} is {}; check the plan (terraform show -json) for "
                    "its value",
                    label,
                    v.known() ? "not a string"
                              : fmt::format("known only when Terraform runs ({})", v.why)));
    return;
  }
  if (!doc.unknown_spans.empty()) {
    session_.note(file, written.span,
                  fmt::format("the policy of {} holds {} value(s) known only when Terraform runs "
                              "({}); the statements holding them are not judged",
                              label, doc.unknown_spans.size(), why.front()));
  }
  session_.out.documents.push_back(std::move(doc));
}

void Module::read_destination(const Named& r) {
  const std::string label = address_ + r.block->labels[0].text + "." + r.block->labels[1].text;
  if (session_.destination.empty()) {
    session_.destination = label;
    session_.destination_file = r.file;
    session_.destination_span = r.block->labels[1].span;
  }
  auto argument = [&](std::string_view name) -> std::optional<json::Value> {
    const hcl::Attribute* a = r.block->body.attribute(name);
    if (a == nullptr) return std::nullopt;
    const hcl::Value v = evaluate(*a->value, *r.file);
    // A literal null is GD007's (below): Terraform reports the argument as missing.
    if (a->value->kind == hcl::ExprKind::null) return std::nullopt;
    if (!v.is_string() || !v.unknown_ranges.empty()) {
      session_.note(*r.file, a->value->span,
                    fmt::format("{} of {} is known only when Terraform runs ({}); not used", name,
                                label, v.why.empty() ? "not a string" : v.why));
      return std::nullopt;
    }
    const Span at = v.file == r.file && v.span.end > v.span.begin ? v.span : a->value->span;
    return json_string_at(v.text, at);
  };
  for (const auto& [name, refs] : {std::pair{"destination_arn", &session_.destination_bucket},
                                   std::pair{"kms_key_arn", &session_.destination_key}}) {
    if (const hcl::Attribute* a = r.block->body.attribute(name)) {
      for (std::string& ref : referenced_addresses(*a->value, address_))
        refs->push_back(std::move(ref));
    }
  }
  // The provider's schema requires these (terraform validate fails without them); the export
  // cannot be set up, which is an error, and the rest of the module is still checked.
  // A literal null is no value: Terraform reports the argument as missing.
  for (const std::string_view required : {"detector_id", "destination_arn", "kms_key_arn"}) {
    const hcl::Attribute* a = r.block->body.attribute(required);
    const bool null = a != nullptr && a->value->kind == hcl::ExprKind::null;
    if (a != nullptr && !null) continue;
    session_.out.diagnostics.push_back(make_diagnostic(
        "GD007",
        null ? make_location(*r.file, a->value->span)
             : make_location(*r.file, r.block->labels[1].span),
        fmt::format("{} {} {}: the argument is required, so Terraform rejects the resource "
                    "and no findings are exported{}",
                    label, null ? "sets" : "has no",
                    null ? fmt::format("{} to null", required) : std::string(required),
                    required == "kms_key_arn" ? " (GuardDuty exports only with a KMS key)" : "")));
  }
  // GuardDuty exports only to S3 (CreatePublishingDestination's DestinationType is S3): a
  // destination_arn that is another resource's ARN (a CloudWatch log group's) is refused.
  if (const hcl::Attribute* a = r.block->body.attribute("destination_arn")) {
    // `x.y.arn` or "${x.y.arn}", of a resource whose ARN is never an S3 bucket's (not, say,
    // aws_lakeformation_resource, whose arn argument is one).
    const hcl::Expr& e = *a->value;
    const hcl::Traversal t =
        e.kind == hcl::ExprKind::template_ && e.children.size() == 1 && e.children[0]
            ? hcl::static_traversal(*e.children[0])
            : hcl::static_traversal(e);
    constexpr std::array<std::string_view, 11> kNotBuckets = {
        "aws_cloudwatch_", "aws_kinesis",      "aws_sns_",        "aws_sqs_",
        "aws_kms_",        "aws_lambda_",      "aws_iam_",        "aws_dynamodb_",
        "aws_guardduty_",  "aws_securityhub_", "aws_eventbridge_"};
    const bool not_bucket = std::any_of(kNotBuckets.begin(), kNotBuckets.end(),
                                        [&](std::string_view p) { return t.root.starts_with(p); });
    // `aws_s3_bucket.findings.arn` of a bucket this module declares (the first destination's).
    if (session_.destination == label && t.root == "aws_s3_bucket" && !t.steps.empty() &&
        resources_.contains("aws_s3_bucket." + t.steps.front()) &&
        session_.destination_bucket_resource.empty()) {
      session_.destination_bucket_resource = address_ + "aws_s3_bucket." + t.steps.front();
      session_.destination_bucket_file = r.file;
      session_.destination_bucket_span = a->value->span;
    }
    if (not_bucket && t.steps.size() >= 2 && t.steps.back() == "arn") {
      session_.out.diagnostics.push_back(make_diagnostic(
          "GD007", make_location(*r.file, a->value->span),
          fmt::format("destination_arn of {} is the ARN of {}.{}, not of an S3 bucket: GuardDuty "
                      "exports findings only to S3 buckets, so creating the destination fails "
                      "and nothing is exported",
                      label, t.root, t.steps.front())));
    }
  }
  if (const std::optional<std::string> alias = provider_alias(r);
      !alias || !alias->empty() || !uses_root_default_provider())
    session_.destination_elsewhere = true;
  // A destination exports the findings of its detector's Region, its provider's.
  std::string why;  // empty for a Region left open only as the module's own
  const std::string home = region_of(r, why, false);
  if (home.empty()) {
    session_.destination_region_open = true;
    // In the module's own Region when that is the stand-in and the module names it (data
    // "aws_region"): then the export's Region is written as that symbol (read_with_region).
    // (Not a v6 `region` argument of its own, nor a destination in a called module, whose file
    // cannot refer to the root's data source.)
    if (!why.empty() || !session_.region_stands_in || !address_.empty() ||
        r.block->body.attribute("region") != nullptr ||
        data_symbol("aws_region", "name", "").empty())
      session_.destination_region_unknown = true;
  } else if (std::find(session_.destination_regions.begin(), session_.destination_regions.end(),
                       home) == session_.destination_regions.end()) {
    session_.destination_regions.push_back(home);
  }
  const auto destination = argument("destination_arn");
  const auto key = argument("kms_key_arn");
  const auto detector = argument("detector_id");
  if (!destination && !key && !detector) return;
  read_destination_values(destination ? &*destination : nullptr, key ? &*key : nullptr,
                          detector ? &*detector : nullptr, *r.file, session_.out);
  // The ARN of a key the module creates holds the Region and account it is assumed to be
  // created in (which provider creates it is not modelled): not a fact to hold the given
  // key ARN against (nor the bucket's Region, GD401). Named directly, or through a variable of
  // a called module, a local or an output: its key id is then a created key's stand-in.
  const std::string* created = key ? created_key_symbol(key->text) : nullptr;
  if (key && (!session_.destination_key.empty() || created != nullptr)) {
    exportcfg::Origin& origin = session_.out.settings.key_arn.origin;
    origin.stand_in = true;
    origin.region_assumed = session_.arns_in_assumed_region.contains(key->text);
    // `kms_key_arn = aws_kms_key.findings.arn` in the root module: findings and fixes name
    // the key as the module does.
    const hcl::Attribute* a = r.block->body.attribute("kms_key_arn");
    const hcl::Traversal t = a != nullptr ? hcl::static_traversal(*a->value) : hcl::Traversal{};
    // (`aws_kms_key.findings[0].arn` for a counted key: written as the module writes it.)
    const std::string_view text = r.file->text();
    const Span at = a != nullptr ? a->value->span : Span{};
    // (Not a for_each key, aws_kms_key.k["main"].arn: its quotes would need escaping in JSON.)
    const bool counted = t.steps.size() == 3 && !t.steps[1].empty() &&
                         t.steps[1].find_first_not_of("0123456789") == std::string::npos;
    if (address_.empty() && t.root == "aws_kms_key" && (t.steps.size() == 2 || counted) &&
        t.steps.back() == "arn" && at.end <= text.size() &&
        text.substr(at.begin, at.size()).find('"') == std::string_view::npos)
      origin.symbol = fmt::format("${{{}}}", text.substr(at.begin, at.size()));
    // Passed in from the root (a called module's variable): the root's key, named as its
    // stand-in's symbol names it, with .arn for .key_id (the root's files declare it).
    if (origin.symbol.empty() && created != nullptr && created->starts_with("${aws_kms_key.") &&
        created->find('"') == std::string::npos)
      origin.symbol = created->substr(0, created->size() - 8) + ".arn}";
  }
}

const std::string* Module::created_key_symbol(std::string_view key_arn) {
  const std::size_t id = key_arn.rfind(":key/");
  if (id == std::string_view::npos) return nullptr;
  const std::string* symbol = session_.out.symbol_for(key_arn.substr(id + 5));
  return symbol != nullptr && symbol->ends_with(".key_id}") ? symbol : nullptr;
}

// Whether a module that is not read may add Denies to the bucket policy passed to it. Of
// terraform-aws-modules/s3-bucket the options are known: its attach_deny_* and
// attach_require_latest_tls_policy, all false by default (its variables.tf), add them. Any
// other module may do anything.
bool Module::is_s3_bucket_module(const Named& call) {
  const hcl::Attribute* source = call.block->body.attribute("source");
  const hcl::Value where = source != nullptr ? evaluate(*source->value, *call.file) : hcl::Value{};
  // The registry module, or its repository (not another project's s3-bucket module, such as
  // cloudposse's, whose options differ).
  return where.is_string() &&
         (where.text.starts_with("terraform-aws-modules/s3-bucket/") ||
          where.text.find("terraform-aws-modules/terraform-aws-s3-bucket") != std::string::npos);
}

bool Module::may_add_denies(const Named& call) {
  if (!is_s3_bucket_module(call)) return true;
  for (const hcl::Attribute& a : call.block->body.attributes) {
    if (!a.name.starts_with("attach_deny_") && a.name != "attach_require_latest_tls_policy")
      continue;
    const hcl::Value v = evaluate(*a.value, *call.file);
    if (v.kind != hcl::ValueKind::boolean || v.boolean) return true;  // true, or not known
  }
  return false;
}

void Module::read_module_call(const Named& call) {
  // A module that is not read (a registry or remote source): policies passed to it as
  // arguments are read where the call writes them.
  const std::string name = call.block->labels[0].text;
  for (const hcl::Attribute& a : call.block->body.attributes) {
    if (a.name == "source" || a.name == "version" || a.name == "providers" || a.name == "count" ||
        a.name == "for_each" || a.name == "depends_on")
      continue;
    const hcl::Value v = evaluate(*a.value, *call.file);
    const bool policy_name = a.name.find("policy") != std::string::npos;
    if (!is_policy_value(v, *call.file)) {
      if (policy_name && !v.known() && !v.encodes)
        session_.note(*call.file, a.value->span,
                      fmt::format("{} of module {} is known only when Terraform runs ({})", a.name,
                                  name, v.why));
      continue;
    }
    if (a.name == "policy" && is_s3_bucket_module(call)) {
      // The module attaches `policy` only with attach_policy = true (false by default).
      const hcl::Attribute* attach = call.block->body.attribute("attach_policy");
      const hcl::Value on = attach != nullptr ? evaluate(*attach->value, *call.file) : hcl::Value{};
      if (attach == nullptr || (on.kind == hcl::ValueKind::boolean && !on.boolean)) {
        Diagnostic d = make_diagnostic(
            "GD007", make_location(*call.file, a.value->span),
            fmt::format("module {} (terraform-aws-modules/s3-bucket) attaches this policy only "
                        "with attach_policy = true, which defaults to false: the bucket gets no "
                        "policy from it, so nothing in it lets GuardDuty in",
                        name));
        d.severity = Severity::warning;
        d.notes.push_back("add attach_policy = true to the module call");
        session_.out.diagnostics.push_back(std::move(d));
        continue;
      }
    }
    std::optional<documents::Kind> kind;
    if (a.name.find("bucket") != std::string::npos) {
      kind = documents::Kind::bucket_policy;
    } else if (a.name.find("key") != std::string::npos || a.name.find("kms") != std::string::npos) {
      kind = documents::Kind::key_policy;
    } else {
      // A module's `policy`: a bucket's or a key's by the actions it names.
      const std::string text = v.encodes ? hcl::to_json(*v.encodes) : v.text;
      const bool s3 = text.find("\"s3:") != std::string::npos;
      const bool kms = text.find("\"kms:") != std::string::npos;
      if (s3 != kms) kind = s3 ? documents::Kind::bucket_policy : documents::Kind::key_policy;
    }
    const std::size_t index = session_.out.documents.size();
    add_policy_value(fmt::format("{}module.{} ({})", address_, name, a.name), kind, "", v,
                     *call.file, *a.value);
    session_.owners[index] = {address_ + "module." + name};
    if (index < session_.out.documents.size() && kind != documents::Kind::key_policy &&
        may_add_denies(call)) {
      session_.out.documents[index].passed_to_unread_module = address_ + "module." + name;
      session_.note(*call.file, a.value->span,
                    fmt::format("{} is passed to module {}, which is not read: the Denies it may "
                                "add are unknown, so nothing is concluded from what {} does not "
                                "deny",
                                a.name, name, a.name));
    }
  }
}

std::vector<std::string> referenced_addresses(const hcl::Expr& e, const std::string& prefix) {
  std::vector<std::string> out;
  hcl::for_each_traversal(e, [&](const hcl::Traversal& t) {
    if (t.root.empty() || t.steps.empty() || t.root == "var" || t.root == "local" ||
        t.root == "data" || t.root == "path" || t.root == "count" || t.root == "each")
      return false;
    out.push_back(prefix + t.root + "." + t.steps[0]);
    return true;
  });
  return out;
}

void select_destination_documents(Session& session) {
  auto refers = [](const std::vector<std::string>& owners, const std::vector<std::string>& refs) {
    return std::any_of(owners.begin(), owners.end(), [&](const std::string& owner) {
      return std::any_of(refs.begin(), refs.end(), [&](const std::string& ref) {
        return owner == ref || owner.starts_with(ref + ".") || ref.starts_with(owner + ".");
      });
    });
  };
  const exportcfg::ExportSettings& named = session.out.settings;
  for (const auto& [kind, refs] :
       {std::pair{documents::Kind::bucket_policy, &session.destination_bucket},
        std::pair{documents::Kind::key_policy, &session.destination_key}}) {
    // A destination that names its bucket or key by value (a literal ARN, a data source's)
    // refers to the document that belongs to that bucket or key.
    const bool bucket = kind == documents::Kind::bucket_policy;
    const exportcfg::Value& value = bucket ? named.bucket : named.key_arn;
    const std::string by_value = value.known() ? value.get() : std::string();
    const std::vector<std::string>& wanted = *refs;  // (clang 14 cannot capture a binding)
    auto names = [&](std::size_t i) {
      const std::string& owner = session.out.documents[i].belongs_to;
      return refers(session.owners[i], wanted) ||
             (!by_value.empty() && !owner.empty() &&
              (owner == by_value || (!bucket && by_value.ends_with(":key/" + owner))));
    };
    if (refs->empty() && by_value.empty()) continue;
    std::vector<std::size_t> of_kind;
    bool any_named = false;
    for (std::size_t i = 0; i < session.out.documents.size(); ++i) {
      const EmbeddedDocument& doc = session.out.documents[i];
      if (doc.kind != kind || !doc.simulate) continue;
      of_kind.push_back(i);
      any_named = any_named || names(i);
    }
    if (of_kind.size() < 2 || !any_named) continue;
    for (const std::size_t i : of_kind) {
      if (names(i)) continue;
      EmbeddedDocument& doc = session.out.documents[i];
      doc.simulate = false;
      session.out.notes.push_back(fmt::format(
          "{} is not the {} the publishing destination refers to; only its grammar is checked",
          doc.label, kind == documents::Kind::bucket_policy ? "bucket" : "key"));
    }
  }
}

// A publishing destination whose bucket or key policy no document of this reading is (a key
// made by a module that is not read, an existing key looked up by a data source, a bucket of
// another stack, a bucket without a policy): the export cannot be judged without it, unless
// another file of the setup holds it (the setup decides, lint_setup). After the export's
// documents are chosen: one that is not the export's (grammar only) does not count.
void record_unseen_policies(Session& session) {
  if (session.destination.empty()) return;
  for (const auto kind : {documents::Kind::bucket_policy, documents::Kind::key_policy}) {
    const bool read =
        std::any_of(session.out.documents.begin(), session.out.documents.end(),
                    [&](const EmbeddedDocument& doc) { return doc.kind == kind && doc.simulate; });
    if (read || session.unread_kinds.contains(kind)) continue;
    const bool bucket = kind == documents::Kind::bucket_policy;
    const Position p = session.destination_file->position(session.destination_span.begin);
    session.out.unseen_policies.push_back(
        {kind,
         fmt::format("{}:{}:{}: no {} policy among the files read is that of {}'s {}: "
                     "the export is not judged in full (GuardDuty is denied if it has "
                     "none; if it is kept elsewhere, check it there)",
                     session.destination_file->path(), p.line, p.column, bucket ? "bucket" : "key",
                     session.destination, bucket ? "bucket" : "KMS key"),
         bucket && !session.module_unread ? session.destination_bucket_resource : std::string(),
         session.destination,
         session.destination_bucket_file != nullptr
             ? make_location(*session.destination_bucket_file, session.destination_bucket_span)
             : Location{},
         fmt::format("add an aws_s3_bucket_policy for {} with GuardDuty's statements "
                     "(gd-export-lint init --format terraform writes them)",
                     session.destination_bucket_resource)});
  }
}

}  // namespace tf

namespace {

// The stand-ins' symbols that an edit of the root module's files cannot hold: a caller sees a
// called module's outputs only, never its resources ("${module.NAME.aws_kms_key.k.key_id}");
// and a data source must be declared to be referred to (a called module's own
// data.aws_region). A module that declares none has <REGION> or <ACCOUNT_ID>, which only the
// user can fill in.
void mark_unwritable_symbols(const tf::Module& root, Extraction& out) {
  for (const auto& [value, symbol] : out.stand_ins) {
    if (symbol == "<REGION>" || symbol == "<ACCOUNT_ID>") {
      const bool region = symbol == "<REGION>";
      out.unwritable.emplace_back(
          symbol, fmt::format("the {}: give {}, or declare a data \"{}\" to refer to",
                              region ? "Region" : "account", region ? "--region" : "--account",
                              region ? "aws_region" : "aws_caller_identity"));
      continue;
    }
    const std::string_view inner =
        std::string_view(symbol).substr(2, symbol.size() >= 3 ? symbol.size() - 3 : 0);
    if (!symbol.starts_with("${") || !symbol.ends_with("}")) continue;
    if (inner.starts_with("module.")) {
      const std::string_view rest = inner.substr(7);
      out.unwritable.emplace_back(
          symbol, fmt::format("a value inside module {}, which its caller can only refer to "
                              "through an output of the module",
                              rest.substr(0, rest.find('.'))));
    } else if (inner.starts_with("data.")) {
      const std::string_view rest = inner.substr(5);
      const std::size_t type_end = rest.find('.');
      const std::size_t name_end =
          type_end == std::string_view::npos ? type_end : rest.find('.', type_end + 1);
      const std::string_view type_and_name = rest.substr(0, name_end);
      if (!root.declares_data(type_and_name))
        out.unwritable.emplace_back(symbol, fmt::format("the module declares no data \"{}\" \"{}\"",
                                                        type_and_name.substr(0, type_end),
                                                        type_end == std::string_view::npos
                                                            ? std::string_view{}
                                                            : type_and_name.substr(type_end + 1)));
    }
  }
}

// Reads the module with `region` standing for the Region when none is given.
Extraction read_with_region(const std::vector<const SourceFile*>& files, const Hints& hints,
                            const std::string& region) {
  Extraction out;
  out.format = Format::terraform_source;
  tf::Session session(hints, out);
  const std::string dir = std::filesystem::path(files.front()->path()).parent_path().string();
  session.root_dir = dir.empty() ? "." : dir;
  session.dot_prefix = files.front()->path().starts_with("./");
  std::vector<tf::ParsedFile> parsed;
  for (const SourceFile* file : files) {
    parsed.push_back(session.parse(*file));
    session.loaded.emplace(file->path(), file);
  }
  tf::Module root(session, std::move(parsed), session.root_dir, "", nullptr, nullptr, nullptr, 0);
  // The account the module's aws_caller_identity stands for: the exporting one when the module
  // creates the detector or its destination, else the bucket's account when given (a
  // log-archive module), else a stand-in shown as the symbol.
  const bool exports = root.exports();
  // A module that only holds the key or bucket: one creating the one key (with its default
  // provider) is where the key given is, in its account unless it creates the bucket too; one
  // creating the bucket is in the bucket's Region, given or the key's (GuardDuty requires the
  // bucket in the key's Region: GD401).
  const std::vector<std::string_view> key_fields =
      hints.key_arn ? split_arn_fields(*hints.key_arn) : std::vector<std::string_view>{};
  const bool key_known = key_fields.size() == 6 && exportcfg::is_region(key_fields[3]) &&
                         exportcfg::is_account_id(key_fields[4]);
  const bool creates_bucket = root.creates("aws_s3_bucket") > 0;
  const bool creates_key = root.creates("aws_kms_key") == 1;
  const bool key_module = !exports && key_known && creates_key && !creates_bucket;
  const std::optional<std::string> deployed_in =
      exports      ? hints.account
      : key_module ? std::optional<std::string>(std::string(key_fields[4]))
                   : hints.bucket_account;
  session.account = deployed_in.value_or(std::string(kAccountStandIn));
  session.account_stands_in = !deployed_in;
  session.region = hints.region.value_or(region);
  session.region_stands_in = !hints.region;
  if (!exports && (creates_key || creates_bucket)) {
    std::optional<std::string> home;
    if (creates_bucket && hints.bucket_region) {
      home = hints.bucket_region;
    } else if (key_known) {
      home = std::string(key_fields[3]);
    }
    if (home) {
      session.region = *home;
      session.region_stands_in = false;
      session.region_of_given_key = true;
    }
  }
  // (Not when a given key ARN is in another Region: then a provider not known offline may well
  // be the one that creates it there.)
  session.one_region_given =
      hints.region && hints.one_region &&
      (!hints.key_arn || hints.key_arn->find(":" + *hints.region + ":") != std::string::npos);
  root.read();
  // The Regions the module's publishing destinations export from, when every one is a fact
  // (provider "aws" { alias = "eu_west_1", region = "eu-west-1" }): the Regions to check, as a
  // template's destination gives its stack's.
  if (out.has_settings && !session.destination_regions.empty() &&
      !session.destination_region_open) {
    out.settings.regions = session.destination_regions;
    out.settings.regions_origin = {
        exportcfg::Origin::Kind::config,
        fmt::format("{} (the Regions of its publishing destinations' providers)",
                    files.front()->path()),
        std::nullopt};
  } else if (out.has_settings && session.destination_regions.empty() &&
             session.destination_region_open && !session.destination_region_unknown &&
             !root.reads_modules()) {
    // Every destination is in the module's own Region, which the module names as data
    // "aws_region": the export's Region is that symbol, as its account is aws_caller_identity's
    // (a fix's aws:SourceArn then reads the module's Region, not a placeholder).
    root.region();  // the stand-in, registered with the module's spelling
    const std::string* symbol = out.symbol_for(session.region);
    if (symbol != nullptr && symbol->starts_with("${data.aws_region.")) {
      out.settings.regions = {session.region};
      // Assumed: a Region the policies name (an aws:SourceArn) is taken before it.
      out.settings.regions_origin = {
          exportcfg::Origin::Kind::assumed,
          fmt::format("the Region of the publishing destination's provider in {}, {}",
                      files.front()->path(), *symbol),
          std::nullopt};
    }
  }
  // A module that creates the publishing destination with its default provider exports from its
  // own account, which it names as data "aws_caller_identity": that symbol is the export's
  // account (as a template's ${AWS::AccountId}), not a guess from who owns the key. Assumed: an
  // account the policies name for GuardDuty's requests is taken before it, as the module's
  // Region is.
  if (out.has_settings && !session.destination_elsewhere && !out.settings.account.known() &&
      !root.data_symbol("aws_caller_identity", "account_id", "").empty()) {
    const std::string account = root.account();
    const std::string* symbol = out.symbol_for(account);
    if (symbol != nullptr && symbol->starts_with("${data.aws_caller_identity.")) {
      out.settings.account = {
          account,
          {exportcfg::Origin::Kind::assumed,
           fmt::format("the account of the module that creates the publishing destination, {}",
                       *symbol),
           std::nullopt}};
    }
  }
  // A key the module creates has a stand-in id whether or not a reference reads it: a key ARN
  // the user gives is then this key's when it is the module's only one, and so are its account
  // and Region (bind_stand_ins). A key that is referenced has its symbol already, spelled as the
  // reference spells it (aws_kms_key.gd[0]).
  for (const EmbeddedDocument& doc : out.documents) {
    if (doc.kind == documents::Kind::key_policy && !doc.belongs_to.empty() &&
        doc.belongs_to == key_id_stand_in(doc.label))
      session.stand_in(doc.belongs_to, fmt::format("${{{}.key_id}}", doc.label));
  }
  tf::select_destination_documents(session);
  for (const auto& [value, symbol] : out.stand_ins) {
    if (session.account_stands_in && value == session.account) {
      out.notes.push_back(fmt::format(
          "{}: {} is checked as {} ({})", files.front()->path(), symbol, value,
          exports ? "give --account to use yours"
                  : "the module's account: give --bucket-account when it holds the bucket"));
    } else if (session.region_stands_in && value == session.region) {
      // Named for what it is: --region also names the exports' Regions, which the policies
      // may state apart from this one (an aws:SourceArn in another Region).
      out.notes.push_back(fmt::format(
          "{}: {}, the Region of the module's default provider, is checked as {} (give --region "
          "to use yours)",
          files.front()->path(), symbol, value));
    }
  }
  tf::select_export_documents(out, *files.front(), hints);
  tf::record_unseen_policies(session);
  mark_unwritable_symbols(root, out);
  return out;
}

// Whether a document names GuardDuty's regional principal of `region`.
bool names_regional_principal(const Extraction& out, const std::string& region) {
  const std::string principal = "guardduty." + region + ".amazonaws.com";
  return std::any_of(out.documents.begin(), out.documents.end(), [&](const EmbeddedDocument& d) {
    if (!d.tree)
      return d.source != nullptr && d.source->text().find(principal) != std::string::npos;
    bool found = false;
    json::for_each_value(*d.tree,
                         [&](const json::Value& v) { found = found || v.text == principal; });
    return found;
  });
}

// A Region of another partition than `stand_in`'s where the module's own key is, by its key
// policy's Resource (`arn:aws-us-gov:kms:us-gov-west-1:...:key/*`, or `arn:${local.partition}:kms:
// us-gov-west-1:...` with the partition chosen from the stand-in Region); empty when there is
// none, or the keys name Regions of several partitions.
std::string own_key_region_elsewhere(const Extraction& out, std::string_view stand_in) {
  const std::string_view stand_in_partition = exportcfg::partition_of_region(stand_in);
  std::string found;
  bool several = false;
  for (const EmbeddedDocument& doc : out.documents) {
    const bool own_key =
        doc.kind == documents::Kind::key_policy && doc.simulate && doc.tree &&
        std::any_of(out.stand_ins.begin(), out.stand_ins.end(),
                    [&](const auto& token) { return token.first == doc.belongs_to; });
    if (!own_key) continue;
    json::for_each_value(*doc.tree, [&](const json::Value& v) {
      if (!v.is_string()) return;
      const std::vector<std::string_view> parts = split_arn_fields(v.text);
      if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "kms" ||
          !exportcfg::is_region(parts[3]))
        return;
      const std::string_view partition = exportcfg::partition_of_region(parts[3]);
      if (partition == stand_in_partition) return;
      if (!found.empty() && exportcfg::partition_of_region(found) != partition) several = true;
      if (found.empty()) found = std::string(parts[3]);
    });
  }
  return several ? std::string() : found;
}

}  // namespace

Extraction read_terraform_module(const std::vector<const SourceFile*>& files, const Hints& hints) {
  if (files.empty()) {
    Extraction out;
    out.format = Format::terraform_source;
    return out;
  }
  // Without --region, the Region is a stand-in: a default Region, unless the module's policies
  // name the regional principal of the Region they are deployed in (written for opt-in
  // Regions): then an opt-in one, read again.
  // The stand-in is a Region the module does not write itself (its files, and those read on the
  // way: called modules, templates), so that no literal is taken for it.
  std::vector<std::string_view> texts;
  for (const SourceFile* file : files) texts.push_back(file->text());
  std::string stand_in = unwritten_region(kDefaultRegionStandIns, texts);
  Extraction out = read_with_region(files, hints, stand_in);
  // The files read on the way are kept while their texts are looked at: reading the module
  // again replaces `out` and frees them.
  const std::vector<std::shared_ptr<const SourceFile>> read_on_the_way = out.files;
  for (const auto& file : read_on_the_way) texts.push_back(file->text());
  if (const std::string unwritten = unwritten_region(kDefaultRegionStandIns, texts);
      unwritten != stand_in) {
    stand_in = unwritten;
    out = read_with_region(files, hints, stand_in);
  }
  if (!hints.region && names_regional_principal(out, stand_in)) {
    stand_in = unwritten_region(kOptInRegionStandIns, texts);
    out = read_with_region(files, hints, stand_in);
  }
  // Nor when its own key is in another partition (GovCloud, China): then read again in the
  // key's Region, so what the module computes from its Region (its key's ARN, a partition
  // chosen by Region) is in that partition. Rewriting the ARNs afterwards cannot follow a
  // partition computed from the Region (`contains(gov_regions, region) ? "aws-us-gov" : "aws"`).
  if (!hints.region) {
    // (The reader notes the Region it is checked as.)
    if (const std::string home = own_key_region_elsewhere(out, stand_in); !home.empty())
      out = read_with_region(files, hints, home);
  }
  return out;
}

Extraction read_terraform_source(const SourceFile& source, const Hints& hints) {
  return read_terraform_module({&source}, hints);
}

}  // namespace gdl::containers
