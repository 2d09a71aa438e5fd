// Export settings inferred from the policies, for whatever the user did not give.

#include <fmt/format.h>

#include <algorithm>

#include "export/setup.h"
#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "rules/iam_data.h"
#include "util/text.h"

namespace gdl::exportcfg {

bool is_guardduty_principal(std::string_view service) {
  if (service == "guardduty.amazonaws.com") return true;
  return service.starts_with("guardduty.") && service.ends_with(".amazonaws.com") &&
         is_region(service.substr(10, service.size() - 10 - 14));
}

bool names_guardduty(const policy::Statement& statement) {
  if (!statement.principal.present || statement.principal_negated) return false;
  return std::any_of(statement.principal.entries.begin(), statement.principal.entries.end(),
                     [](const policy::PrincipalEntry& e) {
                       return e.type == "Service" && is_guardduty_principal(e.value.value);
                     });
}

namespace {

bool has_wildcard(std::string_view text) {
  return text.find_first_of("*?$") != std::string_view::npos;
}

class Inference {
 public:
  Inference(ExportSettings& settings, const std::vector<std::unique_ptr<PolicyDocument>>& documents)
      : settings_(settings), documents_(documents) {}

  void run() {
    for (const auto& doc : documents_) {
      for (const policy::Statement& s : doc->policy.statements) {
        if (names_guardduty(s) && s.effect == policy::Effect::allow) from_guardduty_allow(*doc, s);
        from_key_deny(*doc, s);
      }
    }
    fill_defaults();
  }

 private:
  void infer(Value& target, std::string value, const PolicyDocument& doc, Span span,
             std::string_view what) {
    if (target.known()) return;
    target.value = std::move(value);
    const Location where = make_location(*doc.source, span);
    target.origin = {
        Origin::Kind::inferred,
        fmt::format("{}:{}:{} ({})", doc.name(), where.start.line, where.start.column, what),
        where};
  }

  void add_region(const std::string& region, const PolicyDocument& doc, Span span) {
    if (regions_given_) return;
    if (std::find(settings_.regions.begin(), settings_.regions.end(), region) !=
        settings_.regions.end())
      return;
    settings_.regions.push_back(region);
    const Location where = make_location(*doc.source, span);
    settings_.regions_origin = {
        Origin::Kind::inferred,
        fmt::format("{}:{}:{} (aws:SourceArn)", doc.name(), where.start.line, where.start.column),
        where};
  }

  void from_guardduty_allow(const PolicyDocument& doc, const policy::Statement& s) {
    for (const policy::ConditionClause& c : s.conditions) {
      const auto op = iam::parse_operator(c.op.value);
      if (!op || op->negated) continue;
      for (const policy::Text& v : c.values) {
        if (iequals(c.key.value, "aws:SourceAccount") && is_account_id(v.value)) {
          infer(settings_.account, v.value, doc, v.span, "aws:SourceAccount");
        } else if (iequals(c.key.value, "aws:SourceArn")) {
          from_source_arn(doc, v);
        }
      }
    }
    // Regional principals name the Region they serve.
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      const std::string_view name = e.value.value;
      if (e.type == "Service" && name != "guardduty.amazonaws.com" &&
          is_guardduty_principal(name)) {
        add_region(std::string(name.substr(10, name.size() - 24)), doc, e.value.span);
      }
    }
    const bool puts =
        std::any_of(s.action.items.begin(), s.action.items.end(), [](const policy::Text& a) {
          return iam::Pattern::glob(a.value, true).matches("s3:putobject");
        });
    const bool locates =
        std::any_of(s.action.items.begin(), s.action.items.end(), [](const policy::Text& a) {
          return iam::Pattern::glob(a.value, true).matches("s3:getbucketlocation");
        });
    if (s.action_negated) return;
    for (const policy::Text& r : s.resource.items) {
      if (!r.value.starts_with("arn:") || r.value.find(":s3:::") == std::string::npos) continue;
      const std::string path = r.value.substr(r.value.find(":s3:::") + 6);
      const std::size_t slash = path.find('/');
      const std::string bucket = path.substr(0, slash);
      if (has_wildcard(bucket) || bucket.empty()) continue;
      if (locates && slash == std::string::npos)
        infer(settings_.bucket, bucket, doc, r.span, "GetBucketLocation resource");
      if (!puts || slash == std::string::npos) continue;
      infer(settings_.bucket, bucket, doc, r.span, "PutObject resource");
      // The prefix is the literal path before the first wildcard or before AWSLogs/.
      std::string rest = path.substr(slash + 1);
      if (const std::size_t w = rest.find_first_of("*?$"); w != std::string::npos) rest.resize(w);
      if (const std::size_t logs = rest.find("AWSLogs/"); logs != std::string::npos)
        rest.resize(logs);
      if (const std::size_t last = rest.rfind('/'); last != std::string::npos) {
        rest.resize(last);
      } else {
        rest.clear();
      }
      infer(settings_.prefix, normalize_prefix(rest), doc, r.span, "PutObject resource");
    }
    // A key policy's GuardDuty statement may name the key.
    if (doc.kind == documents::Kind::key_policy) {
      for (const policy::Text& r : s.resource.items) {
        if (!key_arn_problem(r.value))
          infer(settings_.key_arn, r.value, doc, r.span, "key policy Resource");
      }
    }
  }

  void from_source_arn(const PolicyDocument& doc, const policy::Text& v) {
    std::string_view parts[6];
    if (!iam::split_arn(v.value, parts) || parts[2] != "guardduty") return;
    if (!has_wildcard(parts[1])) settings_.partition = std::string(parts[1]);
    if (is_region(parts[3])) add_region(std::string(parts[3]), doc, v.span);
    if (is_account_id(parts[4]))
      infer(settings_.account, std::string(parts[4]), doc, v.span, "aws:SourceArn");
    if (parts[5].starts_with("detector/") && is_detector_id(parts[5].substr(9))) {
      const std::string detector(parts[5].substr(9));
      if (is_region(parts[3])) {
        infer(settings_.detector_ids[std::string(parts[3])], detector, doc, v.span,
              "aws:SourceArn");
      }
      infer(settings_.detector_id, detector, doc, v.span, "aws:SourceArn");
    }
  }

  // A Deny on s3:x-amz-server-side-encryption-aws-kms-key-id names the key uploads must use.
  void from_key_deny(const PolicyDocument& doc, const policy::Statement& s) {
    if (s.effect != policy::Effect::deny) return;
    for (const policy::ConditionClause& c : s.conditions) {
      if (!iequals(c.key.value, "s3:x-amz-server-side-encryption-aws-kms-key-id")) continue;
      for (const policy::Text& v : c.values) {
        if (!key_arn_problem(v.value))
          infer(settings_.key_arn, v.value, doc, v.span, "key-id condition");
      }
    }
  }

  void assume(Value& target, std::string value, std::string why) {
    if (target.known()) return;
    target.value = std::move(value);
    target.origin = {Origin::Kind::assumed, std::move(why), std::nullopt};
  }

  void fill_defaults() {
    std::string_view key_parts[6];
    const bool key_known =
        settings_.key_arn.known() && iam::split_arn(settings_.key_arn.get(), key_parts);
    if (settings_.regions.empty()) {
      std::string region = "us-east-1";
      std::string why = "no Region given or found in the policies";
      if (settings_.bucket_region.known()) {
        region = settings_.bucket_region.get();
        why = "the bucket's Region";
      } else if (key_known && is_region(key_parts[3])) {
        region = std::string(key_parts[3]);
        why = "the KMS key's Region";
      }
      settings_.regions.push_back(region);
      settings_.regions_origin = {Origin::Kind::assumed, why, std::nullopt};
    }
    if (key_known && is_account_id(key_parts[4])) {
      assume(settings_.account, std::string(key_parts[4]), "the KMS key's account");
    }
    // Stand-ins where nothing constrains a value: any value would do.
    assume(settings_.account, "000011112222",
           "no account found in the policies; nothing constrains it");
    assume(settings_.detector_id, "0123456789abcdef0123456789abcdef",
           "no detector id found in the policies; nothing constrains it");
    assume(settings_.bucket, "guardduty-export-bucket", "no bucket found in the policies");
    assume(settings_.prefix, "", "no prefix found in the policies");
    assume(settings_.key_arn,
           fmt::format("arn:{}:kms:{}:{}:key/00000000-0000-4000-8000-000000000000",
                       settings_.partition, settings_.regions.front(), settings_.account.get()),
           "no key ARN found in the policies; nothing constrains it");
  }

  ExportSettings& settings_;
  const std::vector<std::unique_ptr<PolicyDocument>>& documents_;
  bool regions_given_ = !settings_.regions.empty();
};

}  // namespace

void infer_settings(ExportSettings& settings,
                    const std::vector<std::unique_ptr<PolicyDocument>>& documents) {
  Inference(settings, documents).run();
}

}  // namespace gdl::exportcfg
