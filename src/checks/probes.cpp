#include "checks/probes.h"

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "diag/rule_catalog.h"

namespace gdl::support {

const exportcfg::GuardDutyRequest* request_seen_by(
    const std::vector<exportcfg::GuardDutyRequest>& requests, const exportcfg::PolicyDocument& doc,
    std::string_view name) {
  const exportcfg::GuardDutyRequest* first = nullptr;
  for (const exportcfg::GuardDutyRequest& r : requests) {
    if (r.name != name) continue;
    if (first == nullptr) first = &r;
    if (doc.evaluator->evaluate(r.request, false).decision == iam::Decision::allow) return &r;
  }
  return first;
}

bool addressed_to(const iam::Request& request, documents::Kind kind) {
  return request.action.starts_with(kind == documents::Kind::key_policy ? "kms:" : "s3:");
}

std::string other_account(const exportcfg::ExportSettings& settings) {
  // Not an account the settings name (the exporter's, the bucket owner's, the key owner's) nor
  // one the setup's files write: a policy may grant an account these stand-ins happen to be.
  auto named = [&settings](std::string_view candidate) {
    const std::string colon = fmt::format(":{}:", candidate);
    return (settings.account.known() && settings.account.get() == candidate) ||
           (settings.bucket_account.known() && settings.bucket_account.get() == candidate) ||
           (settings.key_arn.known() && settings.key_arn.get().find(colon) != std::string::npos) ||
           std::find(settings.written_accounts.begin(), settings.written_accounts.end(),
                     candidate) != settings.written_accounts.end();
  };
  for (std::string_view candidate : {"210987654321", "310987654321", "410987654321"}) {
    if (!named(candidate)) return std::string(candidate);
  }
  return "510987654321";
}

std::optional<std::size_t> transport_deny(const exportcfg::PolicyDocument& doc,
                                          const iam::Request& plain) {
  const iam::Evaluation e = doc.evaluator->evaluate(plain, false);
  if (e.decision != iam::Decision::explicit_deny) return std::nullopt;
  iam::Request secure = plain;
  secure.set("aws:SecureTransport", "true");
  const iam::Evaluation over_tls = doc.evaluator->evaluate(secure, false);
  for (const std::size_t i : e.deciding) {
    const std::size_t index = e.statements[i].index;
    const iam::StatementTrace* t = over_tls.trace_of(index);
    if (t == nullptr || !t->applies) return index;
  }
  return std::nullopt;
}

iam::Request as_account(const exportcfg::ExportSettings& settings,
                        const exportcfg::GuardDutyRequest& r, const std::string& account,
                        std::string_view region, std::string_view detector) {
  iam::Request request = r.request;
  if (settings.account.known()) {
    // The object path carries the account too: AWSLogs/<account>/GuardDuty/...
    const std::string marker = "/AWSLogs/" + settings.account.get() + "/";
    if (const std::size_t at = request.resource.find(marker); at != std::string::npos)
      request.resource.replace(at, marker.size(), "/AWSLogs/" + account + "/");
  }
  request.set("aws:SourceAccount", account);
  request.set(
      "aws:SourceArn",
      fmt::format("arn:{}:guardduty:{}:{}:detector/{}", settings.partition,
                  region.empty() ? std::string_view(r.region) : region, account,
                  detector.empty() ? settings.detector_for(r.region) : std::string(detector)));
  return request;
}

iam::Request from_other_account(const exportcfg::ExportSettings& settings,
                                const exportcfg::GuardDutyRequest& r) {
  iam::Request request = as_account(settings, r, other_account(settings), r.region,
                                    "f00dfeedf00dfeedf00dfeedf00dfeed");
  // Another account, outside the organization the grants may name.
  request.context.erase("aws:sourceorgid");
  request.context.erase("aws:sourceorgpaths");
  return request;
}

namespace {

const exportcfg::GuardDutyRequest& with_assumed_if_denied(
    const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
    const exportcfg::GuardDutyRequest& documented) {
  if (documented.index >= ctx.requests.size()) return documented;
  const exportcfg::GuardDutyRequest& assumed = ctx.requests[documented.index];
  if (assumed.assumed_keys.empty() || assumed.name != documented.name ||
      assumed.region != documented.region ||
      doc.evaluator->evaluate(documented.request, false).decision != iam::Decision::explicit_deny ||
      doc.evaluator->evaluate(assumed.request, false).decision == iam::Decision::explicit_deny)
    return documented;
  return assumed;
}

}  // namespace

void check_upload_denied(const SetupContext& ctx, std::string_view rule_id, UploadVariants altered,
                         const std::string& message, std::string_view fix_description,
                         const std::string& deny_statement_json, std::vector<Diagnostic>& out) {
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
    // Every Region: a Deny that names only guardduty.amazonaws.com leaves the regional
    // principal of an opt-in Region free to upload anything.
    std::vector<std::string> unprotected;
    std::string principal;
    for (const exportcfg::GuardDutyRequest& documented : ctx.documented_requests) {
      if (documented.name != "PutObject") continue;
      // GuardDuty's own upload refused by a Deny that a key AWS may send lifts (a Deny unless
      // aws:SourceOrgID names the organization: GD309's note) is judged as it works, with that
      // key: a Deny that refuses every upload for want of it says nothing of encryption.
      const exportcfg::GuardDutyRequest& put = with_assumed_if_denied(ctx, *doc, documented);
      // Refused by a Deny; or GuardDuty's own upload is allowed and the altered one is not: an
      // Allow requires what the alteration changed (a service principal has no identity
      // policy that could allow it instead). An upload nothing allows at all is GD302's error,
      // and the gap is still reported: the Allow its fix adds would open it.
      std::optional<bool> own_allowed;
      const bool refused =
          std::ranges::all_of(altered(put, ctx.settings), [&](const iam::Request& r) {
            const iam::Decision decision = doc->evaluator->evaluate(r, false).decision;
            if (decision == iam::Decision::explicit_deny) return true;
            if (decision == iam::Decision::allow) return false;
            if (!own_allowed)
              own_allowed =
                  doc->evaluator->evaluate(put.request, false).decision == iam::Decision::allow;
            return *own_allowed;
          });
      if (refused) continue;
      unprotected.push_back(put.region);
      if (principal.empty()) principal = put.request.principal.value;
    }
    if (unprotected.empty()) continue;
    const bool every_region = unprotected.size() == ctx.settings.regions.size();
    Diagnostic d = make_diagnostic(
        rule_id, statements_start(*doc),
        every_region ? message
                     : fmt::format("{} (for GuardDuty in {}, which calls as {})", message,
                                   fmt::join(unprotected, ", "), principal));
    // A Deny for these uploads that lacks only its Principal (AWS rejects the policy: GD102) is
    // completed with GuardDuty's, as the guide writes it, rather than doubled.
    const policy::Statement* unnamed = nullptr;
    for (const exportcfg::GuardDutyRequest& put : ctx.documented_requests) {
      if (put.name != "PutObject" || unnamed != nullptr) continue;
      for (const iam::Request& r : altered(put, ctx.settings)) {
        if ((unnamed = deny_missing_principal(*doc, r)) != nullptr) break;
      }
    }
    if (unnamed == nullptr ||
        !complete_deny(d, *doc, *unnamed, guardduty_principal_json(ctx.settings), "GuardDuty's"))
      d.fix = append_statement_fix(*doc, std::string(fix_description), deny_statement_json);
    out.push_back(std::move(d));
  }
}

std::string request_bucket_arn(const exportcfg::ExportSettings& settings) {
  return fmt::format("arn:{}:s3:::{}", settings.partition,
                     settings.bucket.known() ? settings.bucket.get() : std::string());
}

std::string request_object_arn(const exportcfg::ExportSettings& settings, const std::string& region,
                               std::string_view name) {
  const std::string prefix = settings.prefix.known() ? settings.prefix.get() : std::string();
  return fmt::format("{}/{}AWSLogs/{}/GuardDuty/{}/{}", request_bucket_arn(settings),
                     prefix.empty() ? "" : prefix + "/",
                     settings.account.known() ? settings.account.get() : std::string(), region,
                     name);
}

std::string request_detector_arn(const exportcfg::ExportSettings& settings,
                                 const std::string& region) {
  return fmt::format("arn:{}:guardduty:{}:{}:detector/{}", settings.partition, region,
                     settings.account.known() ? settings.account.get() : std::string(),
                     settings.detector_for(region));
}

std::optional<std::string> bucket_owner(const exportcfg::ExportSettings& settings) {
  const exportcfg::Value& owner = settings.bucket_owner();
  if (!owner.known() || owner.origin.stand_in || owner.get().empty()) return std::nullopt;
  return owner.get();
}

iam::Request plain_http_request(const exportcfg::ExportSettings& settings, std::string_view action,
                                std::string resource) {
  iam::Request r;
  // A role of the bucket's own account, whose identity policies may give it access (another
  // account's role has none unless the bucket policy grants it): only a Deny refuses it.
  r.principal = {iam::RequestPrincipal::Kind::aws,
                 fmt::format("arn:{}:iam::{}:role/any-role", settings.partition,
                             bucket_owner(settings).value_or(other_account(settings)))};
  r.action = std::string(action);
  r.resource = std::move(resource);
  r.set("aws:SecureTransport", "false");
  return r;
}

}  // namespace gdl::support
