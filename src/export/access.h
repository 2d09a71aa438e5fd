#pragma once
// Who else can reach the findings: for the export's bucket policy (PutObject, DeleteObject and
// GetObject under the export prefix) and key policy (Decrypt, GenerateDataKey on the key), every
// class of caller the policy lets in besides the exporting account's own GuardDuty, each with a
// witness request; and statements that never apply or whose Allow is always overridden by a
// Deny. Built on the request space of iam/request_space.h, so "nobody" is a proof over every
// class of request, not a search that came up empty.

#include <string>
#include <vector>

#include "export/settings.h"
#include "export/setup.h"
#include "iam/request.h"

namespace gdl::exportcfg {

enum class AccessClass {
  anonymous,          // anyone, unauthenticated
  other_account,      // an IAM principal of another account
  other_guardduty,    // GuardDuty for another account (its aws:SourceAccount/SourceArn)
  other_service,      // another AWS service principal
  own_by_wildcard,    // the account's own principals, let in by a wildcard Principal
  plain_http,         // a caller the policy does not stop over plain HTTP
  unencrypted_upload  // an upload without SSE-KMS with the export's key
};
std::string_view to_string(AccessClass access_class);
std::string_view describe(AccessClass access_class);  // "another account's GuardDuty"

struct AccessWitness {
  AccessClass access_class = AccessClass::anonymous;
  iam::Request request;
  std::vector<std::size_t> statements;  // Statement[] indices that let it in (Allows)
};

struct AccessAnswer {
  std::string action;    // "s3:PutObject"
  std::string resource;  // the resource asked about, as findings show it
  std::vector<AccessClass> asked;
  std::vector<AccessWitness> found;  // at most one per class
  bool complete = true;              // every class of request was tried: the rest is "nobody"
  std::vector<std::string> incomplete;
  std::size_t evaluated = 0;
};

struct StatementFinding {
  std::size_t index = 0;  // in the Statement array
  enum class Kind {
    never_applies,
    allow_always_denied,
    // A Deny that applies only to calls a service makes for a principal (aws:CalledVia
    // present), never to the principal's own direct calls.
    deny_never_direct
  } kind = Kind::never_applies;
  std::vector<std::size_t> denied_by;  // for allow_always_denied: Denies that override it
};

struct StatementAnswer {
  std::vector<StatementFinding> findings;
  // Statements with principals we do not model (Federated, CanonicalUser) or policy variables.
  std::vector<std::size_t> not_checked;
  bool complete = true;
  std::vector<std::string> incomplete;
  std::size_t evaluated = 0;
};

// The answers to the access questions of one document.
struct AccessReport {
  std::vector<AccessAnswer> answers;
  // What every answer leaves out as the export's own access (the exporting account on its own
  // findings in another account's bucket, its GuardDuty on another account's key); empty when
  // nothing is.
  std::string not_counted;
};

// The access questions for the export's bucket policy or key policy.
// `budget`: requests evaluated at most (past it, the answers are "not proved").
AccessReport verify_access(const PolicyDocument& document, const ExportSettings& settings,
                           std::size_t budget = 100000);

// Statements of `policy` that apply to no request, and Allows that every request they apply to
// also meets a Deny for.
StatementAnswer verify_statements(const policy::Policy& policy, std::size_t budget = 200000);

// The cheap part of verify_statements, for `check`: statements whose Principal, Action and
// Resource match some request but whose Condition block never holds, and Denies that apply only
// to calls a service makes for a principal. Statements whose operators do not parse (GD107) or
// whose exact-match values hold wildcards (GD108) are left to those rules.
std::vector<StatementFinding> dead_conditions(const policy::Policy& policy,
                                              std::size_t budget = 20000);

// Requests `after` allows (or no longer denies) that `before` did not, up to `limit`, each a
// witness; `complete` says whether "none" is proved.
struct ChangeAnswer {
  struct Loosened {
    iam::Request request;
    bool newly_allowed = false;  // else: no longer explicitly denied
  };
  std::vector<Loosened> loosened;
  bool complete = true;
  std::vector<std::string> incomplete;
  std::size_t evaluated = 0;
};
ChangeAnswer verify_change(const policy::Policy& before, const policy::Policy& after,
                           const ExportSettings& settings, std::size_t limit = 5);

}  // namespace gdl::exportcfg
