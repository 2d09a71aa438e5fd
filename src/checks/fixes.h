#pragma once
// Fixes written with the user's own values (placeholders where a value is unknown): statements
// to append, conditions to add, and repairs of the GuardDuty statement at fault.

#include <optional>
#include <string>
#include <string_view>

#include "checks/setup_rule.h"
#include "diag/diagnostic.h"
#include "export/setup.h"
#include "iam/evaluator.h"

namespace gdl::support {

// `wanted`, or `wanted` followed by the first number that makes it a Sid no statement has.
std::string unique_sid(const exportcfg::PolicyDocument& doc, std::string_view wanted);

// A fix that appends `statement_json` (one statement, as JSON text) to the Statement array.
std::optional<Fix> append_statement_fix(const exportcfg::PolicyDocument& doc,
                                        std::string description, const std::string& statement_json);

// The Condition block every GuardDuty grant should carry, with the user's values.
std::string source_condition_json(const exportcfg::ExportSettings& settings,
                                  std::string_view indent);

// The Principal value GuardDuty needs for the configured Regions (global and/or regional).
std::string guardduty_principal_json(const exportcfg::ExportSettings& settings);

// A complete Allow statement for GuardDuty, with the user's values.
std::string allow_statement_json(const exportcfg::ExportSettings& settings, std::string_view sid,
                                 std::string_view action, const std::string& resource);

// A fix inserting the source-condition block into a statement that has no Condition.
std::optional<Fix> add_condition_fix(const exportcfg::PolicyDocument& doc,
                                     const policy::Statement& statement,
                                     const exportcfg::ExportSettings& settings);

// The guide's Deny for GuardDuty uploads whose `condition_key` is not `value` (StringNotEquals).
std::string upload_deny_statement_json(const exportcfg::ExportSettings& settings,
                                       std::string_view sid, std::string_view condition_key,
                                       std::string_view value);

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

// The fix for a Deny that refuses GuardDuty's request: not deleting the Deny, but the narrowest
// exception, a condition that leaves out GuardDuty's service principals
// (StringNotEqualsIfExists aws:PrincipalServiceName, which AWS sets on every request a service
// principal makes; conditions are ANDed, so the Deny still applies to everyone else). None when
// the Deny is not a JSON statement the fix can edit, or its Condition already uses that operator.
std::optional<Fix> deny_exception_fix(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                                      const iam::Evaluation& evaluation);

// Adds `"Principal": <principal_json>` to `statement`, which has none, after its Effect; nullopt
// when the Effect is not written in the statement itself.
std::optional<Fix> add_principal_fix(const exportcfg::PolicyDocument& doc,
                                     const policy::Statement& statement,
                                     const std::string& principal_json, std::string description);

// A Deny that would refuse `request` but for its missing Principal (which makes AWS reject a key
// or bucket policy, GD102): the statement to complete, rather than to add a second one beside.
const policy::Statement* deny_missing_principal(const exportcfg::PolicyDocument& doc,
                                                const iam::Request& request);

// A statement without an Effect (AWS rejects the policy: GD103) that would let `request` in if it
// said "Allow": the request is refused for want of that word, not of a grant. nullptr when none.
// A missing Effect says nothing of what was meant, so only a grant that is plainly GuardDuty's is
// taken for an Allow: its Principal names GuardDuty, its actions are the export's, and no
// condition is negated (a Deny of "everyone but" with its Effect lost would otherwise become an
// Allow of s3:* to anyone).
const policy::Statement* allow_missing_effect(const SetupContext& ctx,
                                              const exportcfg::PolicyDocument& doc,
                                              const iam::Request& request);

// Writes `"Effect": "Allow"` into `statement` (an allow_missing_effect), after its Sid or its
// Action; nullopt when neither is written in the statement itself.
std::optional<Fix> add_allow_effect_fix(const exportcfg::PolicyDocument& doc,
                                        const policy::Statement& statement,
                                        std::string description);

// Makes `d` the completion of `unnamed` (a deny_missing_principal), when that statement can take
// a Principal: the fix adds `principal_json`, `d` moves to the statement and says why it fails.
// False, with `d` untouched, when it cannot.
bool complete_deny(Diagnostic& d, const exportcfg::PolicyDocument& doc,
                   const policy::Statement& unnamed, const std::string& principal_json,
                   std::string_view principal_label);

// The clause of a Deny that makes it the guide's HTTPS Deny inverted: Bool (or BoolIfExists, or
// either with a set qualifier) aws:SecureTransport "true", which refuses the requests made with
// TLS (GuardDuty's, every SDK's) instead of those without. nullptr when `statement` has none.
const policy::ConditionClause* inverted_https_clause(const policy::Statement& statement);

// The repair of such a clause: each "true" written "false", in the user's own quoting.
std::optional<Fix> invert_https_clause_fix(const exportcfg::PolicyDocument& doc,
                                           const policy::Statement& statement,
                                           const policy::ConditionClause& clause);

}  // namespace gdl::support
