// GD006 policy-size: a bucket policy over 20 KB or a key policy over 32 KB is rejected by AWS
// (S3: "bucket policies are limited to 20 KB"; KMS: "32 kilobytes (32768 bytes)").

#include <fmt/format.h>

#include "checks/setup_rule.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

class PolicySizeRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const auto& doc : ctx.documents) {
      const std::size_t limit = documents::size_limit(doc->kind);
      const std::size_t size = doc->submitted_size;
      if (!doc->too_large) continue;
      out.push_back(make_diagnostic(
          id(), make_location(*doc->source, {doc->policy.span.begin, doc->policy.span.begin + 1}),
          fmt::format(
              "this {} is {} bytes; AWS accepts at most {} bytes ({} KB), so saving it fails (and "
              "its permissions are not simulated)",
              documents::to_string(doc->kind), size, limit, limit / 1024)));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_policy_size_rule() {
  return std::make_unique<PolicySizeRule>();
}

}  // namespace gdl
