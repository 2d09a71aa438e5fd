#pragma once
// Shared pieces of the GuardDuty export rules: explaining a simulated decision, finding the
// statement closest to granting a request, and writing fixes with the user's own values.

#include <optional>
#include <string>

#include "export/setup.h"
#include "iam/evaluator.h"
#include "diag/diagnostic.h"
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
// The same, or just "exports" when the Region is a stand-in.
std::string exports_from(const exportcfg::ExportSettings& settings,
                         const std::vector<std::string>& regions);

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
  const exportcfg::GuardDutyRequest* request = nullptr;             // the first Region's
  std::vector<const exportcfg::GuardDutyRequest*> region_requests;  // one per Region
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
// The value as findings and fixes may show it: the value when known, else `placeholder`
// ("<DETECTOR_ID>"): a stand-in is never shown as a fact, nor written into a fix.
std::string shown(const exportcfg::Value& value, std::string_view placeholder);

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
// "the detector id (--detector-id)", ... for each value simulated with a stand-in.
std::vector<std::string> stand_in_names(const exportcfg::ExportSettings& settings);

// How certain a failure of GuardDuty's request is. An error when it fails in every Region the
// user configured and under any stand-in; a note when it fails only in some of the Regions the
// documents name (the user did not say which are exported) or only under the stand-ins.
struct FailureVerdict {
  Severity severity = Severity::error;
  std::string lead;  // "exports from us-east-2 will fail", "if findings from ... are exported, ..."
  std::vector<std::string> notes;
};
FailureVerdict judge_failure(const SetupContext& ctx, const RegionalFailure& failure,
                             bool (*fails)(const exportcfg::PolicyDocument& doc,
                                           const iam::Evaluation& evaluation),
                             const exportcfg::PolicyDocument& doc);
// Whether the settings' Regions were given (flag, config, a template's own), not inferred.
bool regions_given(const exportcfg::ExportSettings& settings);
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

namespace gdl::support {
// The fix for a GuardDuty request no statement allows: the GuardDuty statement that came closest
// is repaired where the element at fault is its Resource (the export's resource is added) or its
// Principal (the Region's principal is added); otherwise a complete statement is appended, with
// a Sid no other statement has. None for a condition that does not match (which value is right
// is the user's to say).
std::optional<Fix> repair_or_append_fix(const SetupContext& ctx,
                                        const exportcfg::PolicyDocument& doc,
                                        const iam::Evaluation& evaluation,
                                        const exportcfg::GuardDutyRequest& request,
                                        std::string_view sid, const std::string& resource,
                                        std::string_view what);
// Whether the statement's Action (or NotAction) covers the action.
bool covers_action(const policy::Statement& statement, std::string_view action);
}  // namespace gdl::support
