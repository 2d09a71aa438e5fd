// GD106 resource-arn: malformed resource ARNs, and S3 statements whose actions never apply to
// any of their resources (an object action only on bucket ARNs, or the reverse).

#include <fmt/format.h>

#include <algorithm>

#include "checks/policy_rule.h"
#include "diag/rule_catalog.h"
#include "export/settings.h"
#include "iam/iam_data.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl {
namespace {

// Which S3 resource types an S3 resource ARN (possibly with wildcards) can denote.
struct S3Reach {
  bool bucket = false;
  bool object = false;
};

S3Reach s3_reach(std::string_view resource_part) {
  const bool wildcard = has_glob_char(resource_part);
  const std::size_t slash = resource_part.find('/');
  S3Reach reach;
  // "bucket*" can reach the bucket and its objects ('*' spans '/'); "bucket/..." only objects.
  reach.object = slash != std::string_view::npos || wildcard;
  reach.bucket = slash == std::string_view::npos;
  return reach;
}

class ResourceArnRule final : public PolicyRule {
 public:
  void check(const PolicyContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const policy::Statement& s : ctx.policy.statements) {
      bool all_valid = true;
      for (const policy::Text& r : s.resource.items)
        all_valid = check_arn(ctx, s, r, out) && all_valid;
      if (all_valid && !s.resource_negated && !s.action_negated) check_s3_types(ctx, s, out);
    }
  }

 private:
  bool check_arn(const PolicyContext& ctx, const policy::Statement& s, const policy::Text& r,
                 std::vector<Diagnostic>& out) const {
    const std::string_view arn = r.value;
    if (arn == "*") return true;
    auto report = [&](std::string message) {
      out.push_back(make_diagnostic(id(), make_location(ctx.source, r.span), std::move(message)));
      return false;
    };
    std::string_view parts[6];
    if (!arn.starts_with("arn:") || !iam::split_arn(arn, parts)) {
      return report(fmt::format(
          "\"{}\" in {} is not an ARN: resources are \"*\" or "
          "arn:partition:service:region:account:resource, e.g. arn:aws:s3:::bucket/prefix/*",
          arn, s.label()));
    }
    const std::string_view partition = parts[1];
    const bool partition_ok = partition.find_first_of("*?$") != std::string_view::npos ||
                              exportcfg::is_partition(partition);
    if (!partition_ok) {
      return report(fmt::format(
          "\"{}\" has an unknown partition \"{}\" (expected aws, aws-cn, aws-us-gov, ...)", arn,
          partition));
    }
    if (parts[2].empty()) return report(fmt::format("\"{}\" has no service part", arn));
    if (parts[5].empty()) return report(fmt::format("\"{}\" has no resource part", arn));
    if (parts[2] == "s3" && !parts[5].starts_with("accesspoint") && !parts[5].starts_with("job") &&
        !parts[5].starts_with("storage-lens") && (!parts[3].empty() || !parts[4].empty())) {
      if (!has_glob_char(parts[3]) && !has_glob_char(parts[4])) {
        return report(
            fmt::format("\"{}\": S3 bucket and object ARNs have no Region or account "
                        "(arn:aws:s3:::bucket/key), so this ARN matches nothing",
                        arn));
      }
    }
    return true;
  }

  // Pairs each S3 action of the statement with the statement's S3 resources.
  void check_s3_types(const PolicyContext& ctx, const policy::Statement& s,
                      std::vector<Diagnostic>& out) const {
    S3Reach reach;
    bool any_s3_resource = false;
    for (const policy::Text& r : s.resource.items) {
      std::string_view parts[6];
      if (r.value == "*" || !iam::split_arn(r.value, parts) || has_glob_char(parts[2])) {
        return;  // "*" or a wildcard service can reach anything
      }
      const auto path = iam::s3_resource_path(r.value);  // "arn:aws:s3:*:*:b" too
      if (!path) continue;
      any_s3_resource = true;
      const S3Reach one = s3_reach(*path);
      reach.bucket = reach.bucket || one.bucket;
      reach.object = reach.object || one.object;
    }
    if (!any_s3_resource) return;
    for (const policy::Text& a : s.action.items) {
      if (has_glob_char(a.value)) continue;
      const std::string_view types = data::s3_resource_types(a.value);
      if (types.empty()) continue;
      const bool wants_bucket = data::lists_type(types, "bucket");
      const bool wants_object = data::lists_type(types, "object");
      if (!wants_bucket && !wants_object) continue;  // access points, jobs, ...: not judged here
      if ((wants_bucket && reach.bucket) || (wants_object && reach.object)) continue;
      const char* needed = wants_object ? "object ARNs (arn:aws:s3:::bucket/prefix/*)"
                                        : "the bucket ARN (arn:aws:s3:::bucket)";
      const char* given = reach.object ? "object ARNs" : "the bucket ARN";
      out.push_back(make_diagnostic(
          id(), make_location(ctx.source, a.span),
          fmt::format("{} applies to {}, but the S3 resources of {} are only {}: the "
                      "statement never matches a {} request",
                      a.value, needed, s.label(), given, a.value)));
    }
  }
};

}  // namespace

std::unique_ptr<PolicyRule> make_resource_arn_rule() {
  return std::make_unique<ResourceArnRule>();
}

}  // namespace gdl
