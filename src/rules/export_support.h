#pragma once
// Shared pieces of the GuardDuty export rules: explaining a simulated decision, finding the
// statement closest to granting a request, and writing fixes with the user's own values.

#include <optional>
#include <string>

#include "export/setup.h"
#include "iam/evaluator.h"
#include "report/diagnostic.h"
#include "rules/setup_rule.h"

namespace gdl::support {

// "Statement[2] 'DenyNonOrg' (line 41)".
std::string statement_name(const exportcfg::PolicyDocument& doc, std::size_t index);

// The statement that came closest to applying among statements of `effect` (the one that
// failed latest: Condition after Resource after Action after Principal), preferring statements
// that name GuardDuty. Returns its trace.
// Statements whose Action covers the request's action come first.
const iam::StatementTrace* closest_statement(const exportcfg::PolicyDocument& doc,
                                             const iam::Evaluation& evaluation,
                                             policy::Effect effect, std::string_view action);

// One sentence on why a denied request was denied: which Deny, or which element of the closest
// Allow.
std::string why_denied(const exportcfg::PolicyDocument& doc, const iam::Evaluation& evaluation,
                       std::string_view action);

// Where to point for a denied request: the deciding Deny's element, the closest Allow's failing
// element, or the start of the Statement array.
Location denial_location(const exportcfg::PolicyDocument& doc, const iam::Evaluation& evaluation,
                         std::string_view action);

// A fix that appends `statement_json` (one statement, as JSON text) to the Statement array.
std::optional<Fix> append_statement_fix(const exportcfg::PolicyDocument& doc,
                                        std::string description, const std::string& statement_json);

// The Condition block every GuardDuty grant should carry, with the user's values.
std::string source_condition_json(const exportcfg::ExportSettings& settings,
                                  std::string_view indent);

// "exports from us-east-2" / "exports from us-east-2 and eu-west-1".
std::string exports_from(const std::vector<std::string>& regions);

// The ARN GuardDuty uses as aws:SourceArn for a Region.
std::string detector_arn(const exportcfg::ExportSettings& settings, const std::string& region);

}  // namespace gdl::support

namespace gdl::support {

// The Principal value GuardDuty needs for the configured Regions (global and/or regional).
std::string guardduty_principal_json(const exportcfg::ExportSettings& settings);

// A complete Allow statement for GuardDuty, with the user's values.
std::string allow_statement_json(const exportcfg::ExportSettings& settings, std::string_view sid,
                                 std::string_view action, const std::string& resource);

// Failures of one kind grouped across Regions, so one diagnostic names every Region it affects.
struct RegionalFailure {
  std::vector<std::string> regions;
  iam::Evaluation evaluation;
  const exportcfg::GuardDutyRequest* request = nullptr;
};
void add_failure(std::vector<RegionalFailure>& failures, const exportcfg::PolicyDocument& doc,
                 iam::Evaluation evaluation, const exportcfg::GuardDutyRequest& request);

}  // namespace gdl::support

namespace gdl::support {

// The first request named `name` (first exported Region), or nullptr.
const exportcfg::GuardDutyRequest* find_request(
    const std::vector<exportcfg::GuardDutyRequest>& requests, std::string_view name);

// An account id that is not the exporting account: the "other account" of confused-deputy checks.
std::string other_account(const exportcfg::ExportSettings& settings);

// The same GuardDuty request as if another account's detector made it.
iam::Request from_other_account(const exportcfg::ExportSettings& settings,
                                const exportcfg::GuardDutyRequest& request);

// A fix inserting the source-condition block into a statement that has no Condition.
std::optional<Fix> add_condition_fix(const exportcfg::PolicyDocument& doc,
                                     const policy::Statement& statement,
                                     const exportcfg::ExportSettings& settings);

// The statement in `doc` with this index.
const policy::Statement& statement_at(const exportcfg::PolicyDocument& doc, std::size_t index);

// True when the setting was given by the user (flag or config), not inferred or assumed.
bool given(const exportcfg::Value& value);
// True when the setting is known from the user or the documents (not a stand-in).
bool known(const exportcfg::Value& value);

// "arn:aws:s3:::bucket" and "arn:aws:s3:::bucket/prefix/*".
std::string bucket_arn(const exportcfg::ExportSettings& settings);
std::string export_objects_arn(const exportcfg::ExportSettings& settings);

}  // namespace gdl::support

namespace gdl::support {
// Whether the statement has a condition on `key` (case-insensitive).
bool has_condition_key(const policy::Statement& statement, std::string_view key);
inline constexpr std::string_view kKeyIdKey = "s3:x-amz-server-side-encryption-aws-kms-key-id";
}  // namespace gdl::support

namespace gdl::support {
// A note naming the settings the simulation had to stand in for (neither given nor found in
// the policies), or empty when every value is known.
std::string assumptions_note(const exportcfg::ExportSettings& settings);
}  // namespace gdl::support

namespace gdl::support {
// The opening bracket of the Statement array (or the policy): where findings about something
// missing from a policy point.
Location statements_start(const exportcfg::PolicyDocument& doc);

// The guide's Deny for GuardDuty uploads whose `condition_key` is not `value` (StringNotEquals).
std::string upload_deny_statement_json(const exportcfg::ExportSettings& settings,
                                       std::string_view sid, std::string_view condition_key,
                                       std::string_view value);
}  // namespace gdl::support

namespace gdl::support {
// GD304/GD305: GuardDuty's documented PutObject, altered by `alter`, must be explicitly denied
// by every bucket policy; where it is not, report `message` at the Statement array with a fix
// that appends `deny_statement_json`.
void check_upload_denied(const SetupContext& ctx, std::string_view rule_id,
                         void (*alter)(iam::Request& request,
                                       const exportcfg::GuardDutyRequest& put,
                                       const exportcfg::ExportSettings& settings),
                         const std::string& message, std::string_view fix_description,
                         const std::string& deny_statement_json, std::vector<Diagnostic>& out);
}  // namespace gdl::support
