#pragma once
// Explaining a simulated decision: which statement decided or came closest, why a request was
// denied, and where in the document a finding points.

#include <string>
#include <string_view>

#include "diag/diagnostic.h"
#include "export/setup.h"
#include "iam/evaluator.h"

namespace gdl::support {

// "Statement[2] 'DenyNonOrg' (line 41)".
std::string statement_name(const exportcfg::PolicyDocument& doc, std::size_t index);

// The statement in `doc` with this index.
const policy::Statement& statement_at(const exportcfg::PolicyDocument& doc, std::size_t index);

// Whether the statement's Action (or NotAction) covers the action.
bool covers_action(const policy::Statement& statement, std::string_view action);

// The statement that came closest to applying among statements of `effect` (the one that failed
// latest: Condition after Resource after Action after Principal), preferring statements whose
// Action covers the request's and that name GuardDuty. Returns its trace.
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

// The opening bracket of the Statement array (or the policy): where findings about something
// missing from a policy point.
Location statements_start(const exportcfg::PolicyDocument& doc);

// Whether the statement has a condition on `key` (case-insensitive).
bool has_condition_key(const policy::Statement& statement, std::string_view key);
inline constexpr std::string_view kKeyIdKey = "s3:x-amz-server-side-encryption-aws-kms-key-id";

// "one edit" or "two edits" when two different account ids are that close (a digit changed,
// added or dropped, two neighbours swapped), else empty. Two random 12-digit ids are that close
// about once in ten billion pairs; one account written twice by hand, often.
std::string_view typo_apart(std::string_view account, std::string_view other);

}  // namespace gdl::support
