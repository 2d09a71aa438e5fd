// GD308 bucket-https-deny-scope: the HTTPS-only Deny covers the exported findings but not the
// whole bucket (the bucket itself, or objects outside the export prefix).

#include <fmt/format.h>

#include <optional>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

class BucketHttpsDenyScopeRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const auto& s = ctx.settings;
    const std::string bucket = support::request_bucket_arn(s);
    const std::string object =
        support::request_object_arn(s, s.regions.front(), "example.jsonl.gz");
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      // Only when the export path is covered by a Deny about the transport (otherwise GD307
      // reports it).
      const std::optional<std::size_t> covering =
          support::transport_deny(*doc, support::plain_http_request(s, "s3:GetObject", object));
      if (!covering) continue;
      std::vector<std::string> uncovered;
      if (!support::transport_deny(*doc, support::plain_http_request(s, "s3:ListBucket", bucket)))
        uncovered.push_back(fmt::format("the bucket itself ({})", support::bucket_arn(s)));
      if (!support::transport_deny(
              *doc, support::plain_http_request(s, "s3:GetObject", bucket + "/other-data/object")))
        uncovered.push_back("objects outside the export prefix");
      if (uncovered.empty()) continue;
      std::string what = uncovered.front();
      if (uncovered.size() > 1) what += " and " + uncovered.back();
      // Point at the Resource of the Deny that covers the findings: that is what to widen.
      const std::size_t index = *covering;
      const policy::Statement& deny = support::statement_at(*doc, index);
      const Span at = deny.resource.present ? deny.resource.span : deny.span;
      Diagnostic d = make_diagnostic(
          id(), make_location(*doc->source, at),
          fmt::format("the HTTPS-only Deny {} covers the exported findings but not {}",
                      support::statement_name(*doc, index), what));
      d.notes.push_back(fmt::format("list both \"{0}\" and \"{0}/*\" as the Deny's Resource",
                                    support::bucket_arn(s)));
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_https_deny_scope_rule() {
  return std::make_unique<BucketHttpsDenyScopeRule>();
}

}  // namespace gdl
