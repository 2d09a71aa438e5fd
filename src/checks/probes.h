#pragma once
// Requests of someone else than the export's GuardDuty: another account's detector, an altered
// upload; the hardening checks simulate them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/setup_rule.h"
#include "diag/diagnostic.h"
#include "export/setup.h"
#include "iam/request.h"

namespace gdl::support {

// The ARNs the simulated requests carry, stand-ins included (findings show placeholders instead:
// settings_view.h): the bucket, an object of the export under GuardDuty/<region>/, and the
// detector of a Region.
std::string request_bucket_arn(const exportcfg::ExportSettings& settings);
std::string request_object_arn(const exportcfg::ExportSettings& settings, const std::string& region,
                               std::string_view name);
std::string request_detector_arn(const exportcfg::ExportSettings& settings,
                                 const std::string& region);

// The account that owns the bucket, when known: --bucket-account, else the exporting account's
// (not a stand-in).
std::optional<std::string> bucket_owner(const exportcfg::ExportSettings& settings);

// A request over plain HTTP (aws:SecureTransport false) by a role of the bucket's own account
// (another account's when that is not known).
iam::Request plain_http_request(const exportcfg::ExportSettings& settings, std::string_view action,
                                std::string resource);

// The index of a Deny of `doc` that refuses the plain-HTTP request `plain` because of its
// transport: it does not refuse the same request over TLS. A Deny refusing everyone outside an
// organization refuses the probe's plain-HTTP request too (the probe's role carries no
// organization), but it is no HTTPS-only Deny: the organization's own principals pass it.
std::optional<std::size_t> transport_deny(const exportcfg::PolicyDocument& doc,
                                          const iam::Request& plain);

// GuardDuty's request `name` as `doc` sees it: of every exported Region's (in the order the
// Regions are given), the first the document allows, else the first. A rule that judges a
// document through GuardDuty's own request takes this one, so that the order of the Regions
// changes nothing when only some of their principals are granted (an opt-in Region's regional
// principal left out of a key policy that grants guardduty.amazonaws.com).
const exportcfg::GuardDutyRequest* request_seen_by(
    const std::vector<exportcfg::GuardDutyRequest>& requests, const exportcfg::PolicyDocument& doc,
    std::string_view name);

// Whether GuardDuty's request goes to a document of `kind`: kms: actions to the key policy, s3:
// actions to the bucket policy.
bool addressed_to(const iam::Request& request, documents::Kind kind);

// An account id that is not the exporting account: the "other account" of confused-deputy checks.
std::string other_account(const exportcfg::ExportSettings& settings);

// GuardDuty's request `r` as GuardDuty of `account` makes it, from `region` and `detector`
// (empty: the request's own Region, the export's detector there).
iam::Request as_account(const exportcfg::ExportSettings& settings,
                        const exportcfg::GuardDutyRequest& r, const std::string& account,
                        std::string_view region, std::string_view detector);

// The same GuardDuty request as if another account's detector (outside the organization) made it.
iam::Request from_other_account(const exportcfg::ExportSettings& settings,
                                const exportcfg::GuardDutyRequest& request);

// GD304/GD305: each of the uploads `altered` makes of GuardDuty's documented PutObject (in
// every Region) must be refused by every bucket policy: denied, or not allowed although
// GuardDuty's own upload is (an Allow that requires what the alteration changed). Where one is
// not, report `message` at the Statement array with a fix that appends `deny_statement_json`.
using UploadVariants = std::vector<iam::Request> (*)(const exportcfg::GuardDutyRequest& put,
                                                     const exportcfg::ExportSettings& settings);
void check_upload_denied(const SetupContext& ctx, std::string_view rule_id, UploadVariants altered,
                         const std::string& message, std::string_view fix_description,
                         const std::string& deny_statement_json, std::vector<Diagnostic>& out);

}  // namespace gdl::support
