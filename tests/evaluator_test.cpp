// Table-driven unit tests of the IAM evaluator and its building blocks (condition operators, dates,
// IP ranges, wildcard patterns). Every row names the rule of AWS's documentation it checks; the
// page titles are those of the IAM User Guide ("IAM JSON policy elements: ...", "Policy evaluation
// logic", "IAM policy elements: Variables and tags").
//
// Rows take a policy as JSON text (a whole policy, or one statement / a statement array that is
// wrapped into a Version 2012-10-17 policy) and a request; nullptr fields take the defaults below:
// GuardDuty (global service principal) calling s3:PutObject on an object of bucket "bkt".

#include "iam/evaluator.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "iam/conditions.h"
#include "iam/request_json.h"
#include "iam/wildcard.h"
#include "json/parser.h"
#include "policy/builder.h"

using gdl::iam::Decision;

namespace {

constexpr Decision kAllow = Decision::allow;
constexpr Decision kDeny = Decision::explicit_deny;
constexpr Decision kImplicit = Decision::implicit_deny;

constexpr const char* kDefaultPrincipal = "svc:guardduty.amazonaws.com";
constexpr const char* kDefaultAction = "s3:PutObject";
constexpr const char* kObject =
    "arn:aws:s3:::bkt/AWSLogs/111122223333/GuardDuty/us-east-1/2026/11/24/f.jsonl.gz";

// One evaluator row.
struct Case {
  const char* rule;  // the AWS documentation rule this row checks
  const char*
      policy;  // a policy, or one statement / a statement array (wrapped in Version 2012-10-17)
  const char*
      principal;       // "*" anonymous, "svc:<name>" a service, otherwise an AWS ARN or account id
  const char* action;  // nullptr: s3:PutObject
  const char* resource;  // nullptr: kObject
  const char* context;   // a JSON object; nullptr: no context keys
  Decision expected;
};

// One condition row:
// {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":<condition>} under
// Version 2012-10-17, against the default request carrying `context`.
struct ConditionCase {
  const char* rule;
  const char* condition;
  const char* context;
  Decision expected;
};

std::string policy_text(std::string_view policy) {
  if (policy.find("\"Statement\"") != std::string_view::npos) return std::string(policy);
  if (!policy.empty() && policy.front() == '[')
    return fmt::format(R"({{"Version":"2012-10-17","Statement":{}}})", policy);
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[{}]}})", policy);
}

// A policy loaded from text and compiled; it owns everything the evaluator points into.
class Loaded {
 public:
  explicit Loaded(std::string text) : source_("policy.json", std::move(text)) {
    auto parsed = gdl::json::parse(source_);
    REQUIRE(parsed.root);
    REQUIRE(parsed.diagnostics.empty());
    auto built = gdl::policy::build_policy(*parsed.root, source_);
    REQUIRE(built.policy);
    policy_.emplace(std::move(*built.policy));
    evaluator_.emplace(*policy_);
  }

  [[nodiscard]] gdl::iam::Evaluation evaluate(const gdl::iam::Request& request) const {
    return evaluator_->evaluate(request);
  }
  [[nodiscard]] std::string_view slice(gdl::Span span) const {
    return source_.text().substr(span.begin, span.size());
  }

 private:
  gdl::SourceFile source_;
  std::optional<gdl::policy::Policy> policy_;
  std::optional<gdl::iam::Evaluator> evaluator_;
};

gdl::iam::Request make_request(const char* principal, const char* action, const char* resource,
                               const char* context) {
  const std::string_view p = principal == nullptr ? kDefaultPrincipal : principal;
  std::string principal_json;
  if (p == "*") {
    principal_json = R"("*")";
  } else if (p.starts_with("svc:")) {
    principal_json = fmt::format(R"({{"Service":"{}"}})", p.substr(4));
  } else {
    principal_json = fmt::format(R"({{"AWS":"{}"}})", p);
  }
  const std::string text =
      fmt::format(R"({{"principal":{},"action":"{}","resource":"{}","context":{}}})",
                  principal_json, action == nullptr ? kDefaultAction : action,
                  resource == nullptr ? kObject : resource, context == nullptr ? "{}" : context);
  const gdl::SourceFile source("request.json", text);
  auto parsed = gdl::json::parse(source);
  REQUIRE(parsed.root);
  REQUIRE(parsed.diagnostics.empty());
  auto request = gdl::iam::request_from_json(*parsed.root);
  if (const auto* error = std::get_if<std::string>(&request)) FAIL(*error);
  return std::get<gdl::iam::Request>(std::move(request));
}

std::string name(Decision decision) {
  return std::string(gdl::iam::to_string(decision));
}

template <std::size_t N>
void run_cases(const Case (&rows)[N]) {
  for (const Case& row : rows) {
    INFO(("rule: " + std::string(row.rule)));
    INFO(("policy: " + std::string(row.policy)));
    const Loaded loaded(policy_text(row.policy));
    const auto evaluation =
        loaded.evaluate(make_request(row.principal, row.action, row.resource, row.context));
    CHECK(name(evaluation.decision) == name(row.expected));
  }
}

template <std::size_t N>
void run_conditions(const ConditionCase (&rows)[N]) {
  for (const ConditionCase& row : rows) {
    INFO(("rule: " + std::string(row.rule)));
    INFO(("condition: " + std::string(row.condition)));
    INFO(("context: " + std::string(row.context == nullptr ? "{}" : row.context)));
    const Loaded loaded(policy_text(fmt::format(
        R"({{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{}}})",
        row.condition)));
    const auto evaluation = loaded.evaluate(make_request(nullptr, nullptr, nullptr, row.context));
    CHECK(name(evaluation.decision) == name(row.expected));
  }
}

}  // namespace

// ---- Action / NotAction ------------------------------------------------------------------------

TEST_CASE("evaluator table: Action and NotAction") {
  static const Case rows[] = {
      {"Action: an exact action name matches",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"Action: action names are case-insensitive (policy side)",
       R"({"Effect":"Allow","Principal":"*","Action":"S3:putobject","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"Action: action names are case-insensitive (request side)",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"})", nullptr,
       "S3:PUTOBJECT", nullptr, nullptr, kAllow},
      {"Action: * matches any run of characters",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:Put*","Resource":"*"})", nullptr, nullptr,
       nullptr, nullptr, kAllow},
      {"Action: * may appear in the middle",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:*Object","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"Action: a wildcard still has to match the rest of the name",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:Get*","Resource":"*"})", nullptr, nullptr,
       nullptr, nullptr, kImplicit},
      {"Action: ? matches exactly one character",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:Put?bject","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"Action: ? does not match zero characters",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:PutObject?","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kImplicit},
      {"Action: ? is case-insensitive too",
       R"({"Effect":"Allow","Principal":"*","Action":"S3:PUTOBJEC?","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"Action: \"*\" matches every action",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})", nullptr, "kms:Decrypt",
       nullptr, nullptr, kAllow},
      {"Action: the service prefix must match",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"})", nullptr,
       "kms:Decrypt", nullptr, nullptr, kImplicit},
      {"Action: a list matches when any entry matches",
       R"({"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Action: a list matches nothing when no entry matches",
       R"({"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, kImplicit},
      {"NotAction: the statement applies to every action not listed",
       R"({"Effect":"Allow","Principal":"*","NotAction":"s3:Get*","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"NotAction: a listed action is excluded",
       R"({"Effect":"Allow","Principal":"*","NotAction":"s3:PutObject","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kImplicit},
      {"NotAction: matching is case-insensitive",
       R"({"Effect":"Allow","Principal":"*","NotAction":"S3:PUT*","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kImplicit},
      {"NotAction: with Deny, denies everything not listed",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","NotAction":"kms:*","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kDeny},
      {"NotAction: with Deny, spares the listed actions",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","NotAction":"s3:*","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kAllow},
  };
  run_cases(rows);
}

// ---- Resource / NotResource --------------------------------------------------------------------

TEST_CASE("evaluator table: Resource and NotResource") {
  static const Case rows[] = {
      {"Resource: an exact ARN matches",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt"})", nullptr,
       "s3:ListBucket", "arn:aws:s3:::bkt", nullptr, kAllow},
      {"Resource: ARNs are case-sensitive",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::BKT/*"})",
       nullptr, nullptr, nullptr, nullptr, kImplicit},
      {"Resource: * spans '/' (bkt/* covers nested keys)",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Resource: bkt* covers the bucket itself",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt*"})", nullptr,
       "s3:ListBucket", "arn:aws:s3:::bkt", nullptr, kAllow},
      {"Resource: bkt* covers the bucket's objects",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt*"})", nullptr,
       nullptr, nullptr, nullptr, kAllow},
      {"Resource: bkt/* does not cover the bucket itself",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/*"})",
       nullptr, "s3:ListBucket", "arn:aws:s3:::bkt", nullptr, kImplicit},
      {"Resource: a prefix with * matches keys under it",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/AWSLogs/111122223333/*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Resource: a prefix with * does not match other prefixes",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/AWSLogs/444455556666/*"})",
       nullptr, nullptr, nullptr, nullptr, kImplicit},
      {"Resource: ? matches one character",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b?t/*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Resource: * spans ':' as well",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:*/AWSLogs/*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Resource: \"*\" matches every resource",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})", nullptr, "kms:Decrypt",
       "arn:aws:kms:us-east-1:111122223333:key/abcd", nullptr, kAllow},
      {"Resource: a list matches when any entry matches",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":["arn:aws:s3:::other/*","arn:aws:s3:::bkt/*"]})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Resource: another bucket does not match",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt2/x", nullptr, kImplicit},
      {"NotResource: the statement applies to every resource not listed",
       R"({"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::other/*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"NotResource: a listed resource is excluded",
       R"({"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::bkt/*"})",
       nullptr, nullptr, nullptr, nullptr, kImplicit},
      {"NotResource: with Deny, denies resources outside the list",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::bkt/*"}])",
       nullptr, nullptr, "arn:aws:s3:::other/x", nullptr, kDeny},
      {"NotResource: with Deny, spares the listed resources",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::bkt/*"}])",
       nullptr, nullptr, nullptr, nullptr, kAllow},
  };
  run_cases(rows);
}

// ---- Principal / NotPrincipal ------------------------------------------------------------------

TEST_CASE("evaluator table: Principal") {
  static const Case rows[] = {
      {"Principal: \"*\" includes service principals",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})", nullptr, nullptr,
       nullptr, nullptr, kAllow},
      {"Principal: \"*\" includes anonymous callers",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})", "*", nullptr, nullptr,
       nullptr, kAllow},
      {"Principal: \"*\" includes IAM roles",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:role/Auditor", nullptr, nullptr, nullptr, kAllow},
      {"Principal: {\"AWS\":\"*\"} includes IAM users",
       R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:user/alice", nullptr, nullptr, nullptr, kAllow},
      {"Principal: {\"AWS\":\"*\"} is equivalent to \"*\" (anonymous callers included)",
       R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"})", "*", nullptr,
       nullptr, nullptr, kAllow},
      {"Principal: an account id stands for every principal of the account",
       R"({"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:role/Auditor", nullptr, nullptr, nullptr, kAllow},
      {"Principal: an account id does not include other accounts",
       R"({"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::777788889999:role/Auditor", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a :root ARN stands for every principal of the account (users)",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:user/alice", nullptr, nullptr, nullptr, kAllow},
      {"Principal: a :root ARN stands for every principal of the account (role sessions)",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"})",
       "arn:aws:sts::444455556666:assumed-role/Auditor/audit-session", nullptr, nullptr, nullptr,
       kAllow},
      {"Principal: a :root ARN matches the account root itself",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:root", nullptr, nullptr, nullptr, kAllow},
      {"Principal: a :root ARN does not include other accounts",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::777788889999:root", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a role ARN matches the role",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Auditor"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:role/Auditor", nullptr, nullptr, nullptr, kAllow},
      {"Principal: a role ARN matches its assumed-role sessions",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Auditor"},"Action":"*","Resource":"*"})",
       "arn:aws:sts::444455556666:assumed-role/Auditor/audit-session", nullptr, nullptr, nullptr,
       kAllow},
      {"Principal: a role ARN with a path matches its sessions (session ARNs carry no path)",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ops/Auditor"},"Action":"*","Resource":"*"})",
       "arn:aws:sts::444455556666:assumed-role/Auditor/s1", nullptr, nullptr, nullptr, kAllow},
      {"Principal: a role ARN does not match another role's sessions",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Auditor"},"Action":"*","Resource":"*"})",
       "arn:aws:sts::444455556666:assumed-role/Admin/s1", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a role ARN does not match a same-named role's sessions in another account",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Auditor"},"Action":"*","Resource":"*"})",
       "arn:aws:sts::777788889999:assumed-role/Auditor/s1", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a user ARN matches that user",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/alice"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:user/alice", nullptr, nullptr, nullptr, kAllow},
      {"Principal: a user ARN does not match another user",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/alice"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:user/bob", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a user ARN does not match the account root",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/alice"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:root", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a list of AWS principals matches any of them",
       R"({"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:user/bob","arn:aws:iam::444455556666:user/alice"]},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:user/alice", nullptr, nullptr, nullptr, kAllow},
      {"Principal: a service principal matches its exact name",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Principal: the global service principal is not the regional one",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       "svc:guardduty.me-south-1.amazonaws.com", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: the regional service principal is not the global one",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.me-south-1.amazonaws.com"},"Action":"*","Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a regional service principal matches itself",
       R"({"Effect":"Allow","Principal":{"Service":["guardduty.amazonaws.com","guardduty.me-south-1.amazonaws.com"]},"Action":"*","Resource":"*"})",
       "svc:guardduty.me-south-1.amazonaws.com", nullptr, nullptr, nullptr, kAllow},
      {"Principal: another service does not match",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       "svc:cloudtrail.amazonaws.com", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a service principal does not match an IAM role",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:role/Auditor", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: an AWS account principal does not match a service",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, kImplicit},
      {"Principal: an AWS account principal does not match an anonymous caller",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"})",
       "*", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: a service principal does not match an anonymous caller",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       "*", nullptr, nullptr, nullptr, kImplicit},
      {"Principal: several principal types in one element are OR'ed",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root","Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       "arn:aws:iam::444455556666:user/alice", nullptr, nullptr, nullptr, kAllow},
  };
  run_cases(rows);
}

TEST_CASE("evaluator table: NotPrincipal with Deny") {
  // Statement 0 allows everyone; statement 1 denies everyone except the NotPrincipal list.
  static const Case rows[] = {
      {"NotPrincipal: a listed service is spared by the Deny",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"NotPrincipal: a service matches only its exact name, so the regional one is denied",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"}])",
       "svc:guardduty.me-south-1.amazonaws.com", nullptr, nullptr, nullptr, kDeny},
      {"NotPrincipal: a principal not listed is denied",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"}])",
       "arn:aws:iam::444455556666:role/Auditor", nullptr, nullptr, nullptr, kDeny},
      {"NotPrincipal: an anonymous caller is denied",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"}])",
       "*", nullptr, nullptr, nullptr, kDeny},
      {"NotPrincipal: a user listed together with its account is spared",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/alice","arn:aws:iam::444455556666:root"]},"Action":"*","Resource":"*"}])",
       "arn:aws:iam::444455556666:user/alice", nullptr, nullptr, nullptr, kAllow},
      {"NotPrincipal: another user of the listed account is still denied",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/alice","arn:aws:iam::444455556666:root"]},"Action":"*","Resource":"*"}])",
       "arn:aws:iam::444455556666:user/bob", nullptr, nullptr, nullptr, kDeny},
      {"NotPrincipal: the listed account root is spared",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"}])",
       "arn:aws:iam::444455556666:root", nullptr, nullptr, nullptr, kAllow},
      {"NotPrincipal: Deny still applies to principals of other accounts",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/alice","arn:aws:iam::444455556666:root"]},"Action":"*","Resource":"*"}])",
       "arn:aws:iam::777788889999:user/alice", nullptr, nullptr, nullptr, kDeny},
  };
  run_cases(rows);
}

// ---- Effect and evaluation logic ---------------------------------------------------------------

TEST_CASE("evaluator table: Effect, explicit Deny and implicit deny") {
  static const Case rows[] = {
      {"Policy evaluation logic: an explicit Deny overrides an Allow",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kDeny},
      {"Policy evaluation logic: a Deny listed before the Allow still wins",
       R"([{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kDeny},
      {"Policy evaluation logic: a Deny alone is an explicit deny",
       R"({"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"})", nullptr, nullptr,
       nullptr, nullptr, kDeny},
      {"Policy evaluation logic: a Deny that does not apply leaves the Allow",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Policy evaluation logic: no applicable statement is an implicit deny",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, kImplicit},
      {"Effect: only \"Allow\" and \"Deny\" are valid; a lowercase \"allow\" statement is ignored",
       R"({"Effect":"allow","Principal":"*","Action":"*","Resource":"*"})", nullptr, nullptr,
       nullptr, nullptr, kImplicit},
      {"Effect: an invalid Deny statement is ignored",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"DENY","Principal":"*","Action":"*","Resource":"*"}])",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Statement: a single statement object (not an array) is accepted",
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}})",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Condition: a Deny whose condition is false does not apply",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}])",
       nullptr, nullptr, nullptr, R"({"aws:SecureTransport":"true"})", kAllow},
      {"Condition: a Deny on Bool false does not apply when the key is absent",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}])",
       nullptr, nullptr, nullptr, nullptr, kAllow},
      {"Condition: a Deny whose condition is true applies",
       R"([{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}])",
       nullptr, nullptr, nullptr, R"({"aws:SourceAccount":"444455556666"})", kDeny},
  };
  run_cases(rows);
}

// ---- Condition operators -----------------------------------------------------------------------

TEST_CASE("evaluator table: string condition operators") {
  static const ConditionCase rows[] = {
      {"Condition operators: StringEquals matches an exact value",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})",
       R"({"aws:SourceAccount":"111122223333"})", kAllow},
      {"Condition operators: StringEquals is false for a different value",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})",
       R"({"aws:SourceAccount":"444455556666"})", kImplicit},
      {"Condition operators: StringEquals is case-sensitive",
       R"({"StringEquals":{"aws:PrincipalTag/team":"Ops"}})", R"({"aws:PrincipalTag/team":"ops"})",
       kImplicit},
      {"Condition operators: StringEquals is false when the key is absent",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})", nullptr, kImplicit},
      {"Condition operators: * is literal under StringEquals (no match against other text)",
       R"({"StringEquals":{"aws:SourceAccount":"1111*"}})",
       R"({"aws:SourceAccount":"111122223333"})", kImplicit},
      {"Condition operators: * is literal under StringEquals (matches a literal *)",
       R"({"StringEquals":{"aws:SourceAccount":"1111*"}})", R"({"aws:SourceAccount":"1111*"})",
       kAllow},
      {"Condition operators: StringNotEquals is true for a different value",
       R"({"StringNotEquals":{"aws:SourceAccount":"111122223333"}})",
       R"({"aws:SourceAccount":"444455556666"})", kAllow},
      {"Condition operators: StringNotEquals is false for the same value",
       R"({"StringNotEquals":{"aws:SourceAccount":"111122223333"}})",
       R"({"aws:SourceAccount":"111122223333"})", kImplicit},
      {"Condition operators: StringNotEquals is true when the key is absent",
       R"({"StringNotEquals":{"aws:SourceAccount":"111122223333"}})", nullptr, kAllow},
      {"Condition operators: StringEqualsIgnoreCase ignores case",
       R"({"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"OPS"}})",
       R"({"aws:PrincipalTag/team":"ops"})", kAllow},
      {"Condition operators: StringEqualsIgnoreCase still compares the text",
       R"({"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"OPS"}})",
       R"({"aws:PrincipalTag/team":"dev"})", kImplicit},
      {"Condition operators: StringNotEqualsIgnoreCase is false for the same text in another case",
       R"({"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"OPS"}})",
       R"({"aws:PrincipalTag/team":"ops"})", kImplicit},
      {"Condition operators: StringNotEqualsIgnoreCase is true when the key is absent",
       R"({"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"OPS"}})", nullptr, kAllow},
      {"Condition operators: StringLike supports * wildcards",
       R"({"StringLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kAllow},
      {"Condition operators: StringLike supports ? wildcards",
       R"({"StringLike":{"aws:SourceAccount":"11112222333?"}})",
       R"({"aws:SourceAccount":"111122223333"})", kAllow},
      {"Condition operators: StringLike is case-sensitive",
       R"({"StringLike":{"aws:PrincipalTag/team":"Ops*"}})",
       R"({"aws:PrincipalTag/team":"ops-east"})", kImplicit},
      {"Condition operators: StringLike is false when the key is absent",
       R"({"StringLike":{"aws:SourceArn":"*"}})", nullptr, kImplicit},
      {"Condition operators: StringNotLike is false when the value matches",
       R"({"StringNotLike":{"aws:SourceArn":"arn:aws:guardduty:*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kImplicit},
      {"Condition operators: StringNotLike is true when the value does not match",
       R"({"StringNotLike":{"aws:SourceArn":"arn:aws:cloudtrail:*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kAllow},
      {"Condition operators: StringNotLike is true when the key is absent",
       R"({"StringNotLike":{"aws:SourceArn":"arn:aws:guardduty:*"}})", nullptr, kAllow},
      {"Condition: several values for one key are OR'ed",
       R"({"StringEquals":{"aws:SourceAccount":["444455556666","111122223333"]}})",
       R"({"aws:SourceAccount":"111122223333"})", kAllow},
      {"Condition: several values for one key are OR'ed (none matches)",
       R"({"StringEquals":{"aws:SourceAccount":["444455556666","777788889999"]}})",
       R"({"aws:SourceAccount":"111122223333"})", kImplicit},
      {"Condition: a negated operator with several values is true only if no value matches",
       R"({"StringNotEquals":{"aws:SourceAccount":["444455556666","111122223333"]}})",
       R"({"aws:SourceAccount":"111122223333"})", kImplicit},
      {"Condition: a negated operator with several values is true when none matches",
       R"({"StringNotEquals":{"aws:SourceAccount":["444455556666","777788889999"]}})",
       R"({"aws:SourceAccount":"111122223333"})", kAllow},
      {"Condition: condition key names are case-insensitive (policy side)",
       R"({"StringEquals":{"AWS:SOURCEACCOUNT":"111122223333"}})",
       R"({"aws:SourceAccount":"111122223333"})", kAllow},
      {"Condition: condition key names are case-insensitive (request side)",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})",
       R"({"AWS:sourceaccount":"111122223333"})", kAllow},
      {"Condition: condition values are case-sensitive even though key names are not",
       R"({"StringEquals":{"AWS:SOURCEARN":"ARN:AWS:GUARDDUTY:US-EAST-1:111122223333:DETECTOR/12ABC"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kImplicit},
      {"Condition: a JSON number as condition value is its text",
       R"({"StringEquals":{"s3:max-keys":10}})", R"({"s3:max-keys":"10"})", kAllow},
  };
  run_conditions(rows);
}

TEST_CASE("evaluator table: ARN condition operators") {
  static const ConditionCase rows[] = {
      {"Condition operators: ArnEquals matches an exact ARN",
       R"({"ArnEquals":{"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kAllow},
      {"Condition operators: ArnEquals accepts wildcards like ArnLike",
       R"({"ArnEquals":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kAllow},
      {"Condition operators: ArnLike matches * per component",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:eu-west-1:111122223333:detector/12abc"})", kAllow},
      {"Condition operators: ArnLike matches ? per component",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:us-east-?:11112222333?:detector/12abc"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kAllow},
      {"Condition operators: ArnLike is false for another account",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:444455556666:detector/12abc"})", kImplicit},
      {"Condition operators: ArnLike checks the six components separately (* does not absorb a "
       "':')",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/x"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us:east:111122223333:detector/x"})", kImplicit},
      {"Condition operators: ArnLike is case-sensitive",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:US-EAST-1:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kImplicit},
      {"Condition operators: ArnLike is false for a value that is not an ARN",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:*:*"}})",
       R"({"aws:SourceArn":"guardduty"})", kImplicit},
      {"Condition operators: ArnLike is false when the key is absent",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:*:*"}})", nullptr, kImplicit},
      {"Condition operators: ArnNotEquals is false for a matching ARN",
       R"({"ArnNotEquals":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc"})", kImplicit},
      {"Condition operators: ArnNotLike is true for a non-matching ARN",
       R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:444455556666:detector/12abc"})", kAllow},
      {"Condition operators: ArnNotLike is true when the key is absent",
       R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})", nullptr,
       kAllow},
  };
  run_conditions(rows);
}

TEST_CASE("evaluator table: Bool, Null and Binary condition operators") {
  static const ConditionCase rows[] = {
      {"Condition operators: Bool true matches \"true\"",
       R"({"Bool":{"aws:SecureTransport":"true"}})", R"({"aws:SecureTransport":"true"})", kAllow},
      {"Condition operators: Bool true does not match \"false\"",
       R"({"Bool":{"aws:SecureTransport":"true"}})", R"({"aws:SecureTransport":"false"})",
       kImplicit},
      {"Condition operators: Bool with a JSON boolean value",
       R"({"Bool":{"aws:SecureTransport":false}})", R"({"aws:SecureTransport":"false"})", kAllow},
      {"Condition operators: Bool is false when the key is absent",
       R"({"Bool":{"aws:SecureTransport":"false"}})", nullptr, kImplicit},
      {"Condition operators: Null true is true when the key is absent",
       R"({"Null":{"aws:SourceAccount":"true"}})", nullptr, kAllow},
      {"Condition operators: Null true is false when the key is present",
       R"({"Null":{"aws:SourceAccount":"true"}})", R"({"aws:SourceAccount":"111122223333"})",
       kImplicit},
      {"Condition operators: Null false is true when the key is present",
       R"({"Null":{"aws:SourceAccount":"false"}})", R"({"aws:SourceAccount":"111122223333"})",
       kAllow},
      {"Condition operators: Null false is false when the key is absent",
       R"({"Null":{"aws:SourceAccount":"false"}})", nullptr, kImplicit},
      {"Condition operators: Null with a JSON boolean value",
       R"({"Null":{"aws:SourceAccount":true}})", nullptr, kAllow},
      {"Condition operators: BinaryEquals matches the same base64 value",
       R"({"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}})",
       R"({"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="})", kAllow},
      {"Condition operators: BinaryEquals is false for another value",
       R"({"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}})",
       R"({"key":"T3RoZXJWYWx1ZQ=="})", kImplicit},
      {"Condition operators: BinaryEquals is false when the key is absent",
       R"({"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}})", nullptr, kImplicit},
  };
  run_conditions(rows);
}

TEST_CASE("evaluator table: numeric condition operators") {
  static const ConditionCase rows[] = {
      {"Condition operators: NumericEquals", R"({"NumericEquals":{"s3:max-keys":"10"}})",
       R"({"s3:max-keys":"10"})", kAllow},
      {"Condition operators: NumericEquals compares numbers, not text",
       R"({"NumericEquals":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"10.0"})", kAllow},
      {"Condition operators: NumericEquals is false for another number",
       R"({"NumericEquals":{"s3:max-keys":10}})", R"({"s3:max-keys":"11"})", kImplicit},
      {"Condition operators: NumericNotEquals is true for another number",
       R"({"NumericNotEquals":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"11"})", kAllow},
      {"Condition operators: NumericNotEquals is true when the key is absent",
       R"({"NumericNotEquals":{"s3:max-keys":"10"}})", nullptr, kAllow},
      {"Condition operators: NumericLessThan (less)", R"({"NumericLessThan":{"s3:max-keys":"10"}})",
       R"({"s3:max-keys":"9"})", kAllow},
      {"Condition operators: NumericLessThan (equal is not less)",
       R"({"NumericLessThan":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"10"})", kImplicit},
      {"Condition operators: NumericLessThan is false when the key is absent",
       R"({"NumericLessThan":{"s3:max-keys":"10"}})", nullptr, kImplicit},
      {"Condition operators: NumericLessThanEquals (equal)",
       R"({"NumericLessThanEquals":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"10"})", kAllow},
      {"Condition operators: NumericLessThanEquals (greater)",
       R"({"NumericLessThanEquals":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"10.5"})", kImplicit},
      {"Condition operators: NumericGreaterThan (greater)",
       R"({"NumericGreaterThan":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"11"})", kAllow},
      {"Condition operators: NumericGreaterThan (negative numbers)",
       R"({"NumericGreaterThan":{"s3:max-keys":"-5"}})", R"({"s3:max-keys":"-4.5"})", kAllow},
      {"Condition operators: NumericGreaterThanEquals (less)",
       R"({"NumericGreaterThanEquals":{"s3:max-keys":"10"}})", R"({"s3:max-keys":"9"})", kImplicit},
      {"Condition operators: NumericGreaterThanEquals (equal)",
       R"({"NumericGreaterThanEquals":{"s3:max-keys":10}})", R"({"s3:max-keys":"10"})", kAllow},
  };
  run_conditions(rows);
}

TEST_CASE("evaluator table: date condition operators") {
  // 2026-11-24T00:00:00Z is epoch 1795478400; 2027-01-01T00:00:00Z is 1798761600.
  static const ConditionCase rows[] = {
      {"Condition operators: DateLessThan with ISO 8601 on both sides",
       R"({"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:00Z"})", kAllow},
      {"Condition operators: DateGreaterThan with ISO 8601 on both sides",
       R"({"DateGreaterThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:00Z"})", kImplicit},
      {"Condition operators: DateEquals compares instants: ISO 8601 policy value, epoch request "
       "value",
       R"({"DateEquals":{"aws:EpochTime":"2026-11-24T00:00:00Z"}})",
       R"({"aws:EpochTime":"1795478400"})", kAllow},
      {"Condition operators: DateLessThan compares instants: epoch policy value, ISO 8601 request "
       "value",
       R"({"DateLessThan":{"aws:CurrentTime":"1798761600"}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:00Z"})", kAllow},
      {"Condition operators: DateGreaterThan compares instants: epoch policy value, ISO 8601 "
       "request value",
       R"({"DateGreaterThan":{"aws:CurrentTime":1798761600}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:00Z"})", kImplicit},
      {"Condition operators: a date-only ISO 8601 value is midnight UTC",
       R"({"DateEquals":{"aws:CurrentTime":"2026-11-24"}})",
       R"({"aws:CurrentTime":"2026-11-24T00:00:00Z"})", kAllow},
      {"Condition operators: ISO 8601 zone offsets are applied",
       R"({"DateEquals":{"aws:CurrentTime":"2026-11-24T01:00:00+01:00"}})",
       R"({"aws:CurrentTime":"2026-11-24T00:00:00Z"})", kAllow},
      {"Condition operators: DateGreaterThanEquals (equal instants)",
       R"({"DateGreaterThanEquals":{"aws:CurrentTime":"2026-11-24T10:00:00Z"}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:00Z"})", kAllow},
      {"Condition operators: DateLessThanEquals (later instant)",
       R"({"DateLessThanEquals":{"aws:CurrentTime":"2026-11-24T10:00:00Z"}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:01Z"})", kImplicit},
      {"Condition operators: DateLessThan honours fractional seconds",
       R"({"DateLessThan":{"aws:CurrentTime":"2026-11-24T10:00:00.500Z"}})",
       R"({"aws:CurrentTime":"2026-11-24T10:00:00.250Z"})", kAllow},
      {"Condition operators: DateNotEquals is true when the key is absent",
       R"({"DateNotEquals":{"aws:CurrentTime":"2026-11-24T10:00:00Z"}})", nullptr, kAllow},
      {"Condition operators: DateLessThan is false when the key is absent",
       R"({"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}})", nullptr, kImplicit},
  };
  run_conditions(rows);
}

TEST_CASE("evaluator table: IP address condition operators") {
  static const ConditionCase rows[] = {
      {"Condition operators: IpAddress matches an address inside the CIDR block",
       R"({"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})", R"({"aws:SourceIp":"203.0.113.7"})",
       kAllow},
      {"Condition operators: IpAddress is false outside the CIDR block",
       R"({"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})", R"({"aws:SourceIp":"203.0.114.7"})",
       kImplicit},
      {"Condition operators: an address without a prefix is a /32 (same address)",
       R"({"IpAddress":{"aws:SourceIp":"203.0.113.7"}})", R"({"aws:SourceIp":"203.0.113.7"})",
       kAllow},
      {"Condition operators: an address without a prefix is a /32 (neighbour)",
       R"({"IpAddress":{"aws:SourceIp":"203.0.113.7"}})", R"({"aws:SourceIp":"203.0.113.8"})",
       kImplicit},
      {"Condition operators: 0.0.0.0/0 holds every IPv4 address",
       R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})", R"({"aws:SourceIp":"198.51.100.200"})",
       kAllow},
      {"Condition operators: a prefix that is not a whole octet",
       R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/25"}})", R"({"aws:SourceIp":"10.0.0.128"})",
       kImplicit},
      {"Condition operators: IpAddress matches IPv6 CIDR blocks",
       R"({"IpAddress":{"aws:SourceIp":"2001:db8::/32"}})", R"({"aws:SourceIp":"2001:db8:1::1"})",
       kAllow},
      {"Condition operators: IPv6 outside the block",
       R"({"IpAddress":{"aws:SourceIp":"2001:db8::/32"}})", R"({"aws:SourceIp":"2001:db9::1"})",
       kImplicit},
      {"Condition operators: IPv6 written in different but equivalent forms",
       R"({"IpAddress":{"aws:SourceIp":"2001:0db8:0000::/48"}})",
       R"({"aws:SourceIp":"2001:DB8::5"})", kAllow},
      {"Condition operators: an IPv6 caller is outside an IPv4 range, even 0.0.0.0/0",
       R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})", R"({"aws:SourceIp":"2001:db8::1"})",
       kImplicit},
      {"Condition operators: NotIpAddress is true for an IPv6 caller against an IPv4 range",
       R"({"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}})", R"({"aws:SourceIp":"2001:db8::1"})",
       kAllow},
      {"Condition operators: NotIpAddress is false inside the range",
       R"({"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}})", R"({"aws:SourceIp":"203.0.113.9"})",
       kImplicit},
      {"Condition operators: NotIpAddress is true when the key is absent",
       R"({"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}})", nullptr, kAllow},
      {"Condition operators: IpAddress is false when the key is absent",
       R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})", nullptr, kImplicit},
      {"Condition: several CIDR blocks are OR'ed",
       R"({"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}})",
       R"({"aws:SourceIp":"203.0.113.9"})", kAllow},
  };
  run_conditions(rows);
}

TEST_CASE("evaluator table: IfExists, set qualifiers and AND/OR") {
  static const ConditionCase rows[] = {
      {"Condition operators: ...IfExists is true when the key is absent",
       R"({"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}})", nullptr, kAllow},
      {"Condition operators: ...IfExists compares normally when the key is present",
       R"({"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}})",
       R"({"aws:SourceAccount":"444455556666"})", kImplicit},
      {"Condition operators: ArnLikeIfExists is true when the key is absent",
       R"({"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       nullptr, kAllow},
      {"Condition operators: BoolIfExists is true when the key is absent",
       R"({"BoolIfExists":{"aws:SecureTransport":"true"}})", nullptr, kAllow},
      {"Condition operators: NumericLessThanIfExists is true when the key is absent",
       R"({"NumericLessThanIfExists":{"s3:max-keys":"10"}})", nullptr, kAllow},
      {"Condition operators: IpAddressIfExists compares normally when the key is present",
       R"({"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}})",
       R"({"aws:SourceIp":"203.0.113.1"})", kAllow},
      {"Multivalued context keys: ForAnyValue is false when the key is absent",
       R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}})", nullptr, kImplicit},
      {"Multivalued context keys: ForAllValues is true when the key is absent",
       R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}})", nullptr, kAllow},
      {"Multivalued context keys: ForAllValues is true for an empty set",
       R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}})", R"({"aws:TagKeys":[]})",
       kAllow},
      {"Multivalued context keys: ForAnyValue is false for an empty set",
       R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}})", R"({"aws:TagKeys":[]})",
       kImplicit},
      {"Multivalued context keys: ForAllValues is true when the request values are a subset",
       R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","team","cost"]}})",
       R"({"aws:TagKeys":["env","team"]})", kAllow},
      {"Multivalued context keys: ForAllValues is false when a request value is not listed",
       R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}})",
       R"({"aws:TagKeys":["env","owner"]})", kImplicit},
      {"Multivalued context keys: ForAnyValue is true when one request value is listed",
       R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}})",
       R"({"aws:TagKeys":["owner","team"]})", kAllow},
      {"Multivalued context keys: ForAnyValue is false when no request value is listed",
       R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}})",
       R"({"aws:TagKeys":["owner","cost"]})", kImplicit},
      {"Multivalued context keys: ForAnyValue:StringLike with wildcards",
       R"({"ForAnyValue:StringLike":{"aws:TagKeys":["te*"]}})",
       R"({"aws:TagKeys":["owner","team"]})", kAllow},
      {"Multivalued context keys: ForAllValues:StringLike needs every value to match",
       R"({"ForAllValues:StringLike":{"aws:TagKeys":["te*","en?"]}})",
       R"({"aws:TagKeys":["team","env","owner"]})", kImplicit},
      {"Multivalued context keys: ForAnyValue:StringEqualsIgnoreCase",
       R"({"ForAnyValue:StringEqualsIgnoreCase":{"aws:TagKeys":["TEAM"]}})",
       R"({"aws:TagKeys":["team"]})", kAllow},
      {"Multivalued context keys: ForAnyValue:StringNotEquals is true when some value is not "
       "listed",
       R"({"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env","team"]}})",
       R"({"aws:TagKeys":["env","owner"]})", kAllow},
      {"Multivalued context keys: ForAllValues:StringNotEquals is true when no value is listed",
       R"({"ForAllValues:StringNotEquals":{"aws:TagKeys":["env","team"]}})",
       R"({"aws:TagKeys":["owner","cost"]})", kAllow},
      {"Multivalued context keys: ForAllValues:StringNotEquals is false when some value is listed",
       R"({"ForAllValues:StringNotEquals":{"aws:TagKeys":["env","team"]}})",
       R"({"aws:TagKeys":["owner","env"]})", kImplicit},
      {"Multivalued context keys: the set qualifier's key name is case-insensitive",
       R"({"ForAllValues:StringEquals":{"AWS:TAGKEYS":["env","team"]}})",
       R"({"aws:TagKeys":["env"]})", kAllow},
      {"Condition: several keys under one operator are AND'ed (both true)",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333","aws:PrincipalTag/team":"ops"}})",
       R"({"aws:SourceAccount":"111122223333","aws:PrincipalTag/team":"ops"})", kAllow},
      {"Condition: several keys under one operator are AND'ed (one false)",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333","aws:PrincipalTag/team":"ops"}})",
       R"({"aws:SourceAccount":"111122223333","aws:PrincipalTag/team":"dev"})", kImplicit},
      {"Condition: several operators are AND'ed (both true)",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceAccount":"111122223333","aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/1"})",
       kAllow},
      {"Condition: several operators are AND'ed (one false)",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:111122223333:detector/*"}})",
       R"({"aws:SourceAccount":"111122223333","aws:SourceArn":"arn:aws:guardduty:us-east-1:444455556666:detector/1"})",
       kImplicit},
      {"Condition: several operators are AND'ed (one key absent)",
       R"({"StringEquals":{"aws:SourceAccount":"111122223333"},"Bool":{"aws:SecureTransport":"true"}})",
       R"({"aws:SourceAccount":"111122223333"})", kImplicit},
      {"Condition: one key under two operators (a range) is AND'ed",
       R"({"NumericGreaterThan":{"s3:max-keys":"5"},"NumericLessThan":{"s3:max-keys":"10"}})",
       R"({"s3:max-keys":"12"})", kImplicit},
      {"Condition: an unknown operator can never be true",
       R"({"StringEqual":{"aws:SourceAccount":"111122223333"}})",
       R"({"aws:SourceAccount":"111122223333"})", kImplicit},
  };
  run_conditions(rows);
}

// ---- Policy variables --------------------------------------------------------------------------

TEST_CASE("evaluator table: policy variables") {
  static const Case rows[] = {
      {"Variables: ${aws:username} is substituted in Resource under Version 2012-10-17",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/alice/notes.txt", R"({"aws:username":"alice"})",
       kAllow},
      {"Variables: the substituted value must match",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/bob/notes.txt", R"({"aws:username":"alice"})",
       kImplicit},
      {"Variables: without Version 2012-10-17 (2008-10-17) ${...} is literal text",
       R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"}]})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/alice/notes.txt", R"({"aws:username":"alice"})",
       kImplicit},
      {"Variables: without Version 2012-10-17 ${...} matches itself literally",
       R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"}]})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/${aws:username}/notes.txt",
       R"({"aws:username":"alice"})", kAllow},
      {"Variables: with no Version at all ${...} is literal text",
       R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}}]})",
       nullptr, nullptr, nullptr,
       R"({"aws:SourceAccount":"111122223333","aws:PrincipalAccount":"111122223333"})", kImplicit},
      {"Variables: ${aws:SourceAccount} inside an ArnLike value",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:${aws:SourceAccount}:detector/*"}}})",
       nullptr, nullptr, nullptr,
       R"({"aws:SourceAccount":"111122223333","aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/1"})",
       kAllow},
      {"Variables: ${aws:SourceAccount} inside an ArnLike value (account mismatch)",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:${aws:SourceAccount}:detector/*"}}})",
       nullptr, nullptr, nullptr,
       R"({"aws:SourceAccount":"111122223333","aws:SourceArn":"arn:aws:guardduty:us-east-1:444455556666:detector/1"})",
       kImplicit},
      {"Variables: ${aws:SourceAccount} in a Resource ARN",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/AWSLogs/${aws:SourceAccount}/*"})",
       nullptr, nullptr, nullptr, R"({"aws:SourceAccount":"111122223333"})", kAllow},
      {"Variables: substituted in StringEquals",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"home/${aws:username}"}}})",
       nullptr, nullptr, nullptr, R"({"aws:username":"alice","s3:prefix":"home/alice"})", kAllow},
      {"Variables: substituted in StringLike, wildcards around it still work",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}})",
       nullptr, nullptr, nullptr, R"({"aws:username":"alice","s3:prefix":"home/alice/docs/a.txt"})",
       kAllow},
      {"Variables: the variable's key name is case-insensitive",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${AWS:UserName}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/alice/x", R"({"aws:username":"alice"})", kAllow},
      {"Variables: a default value ${aws:username, 'guest'} is used when the key is absent",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${aws:username, 'guest'}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/guest/x", nullptr, kAllow},
      {"Variables: a default value is not used when the key is present",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/home/${aws:username, 'guest'}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/home/guest/x", R"({"aws:username":"alice"})", kImplicit},
      {"Variables: a default value in a condition",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:ResourceTag/team, 'ops'}"}}})",
       nullptr, nullptr, nullptr, R"({"aws:PrincipalTag/team":"ops"})", kAllow},
      {"Variables with no value: StringEquals is false",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:username}"}}})",
       nullptr, nullptr, nullptr, R"({"s3:prefix":"alice"})", kImplicit},
      {"Variables with no value: StringNotEquals is true",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"s3:prefix":"${aws:username}"}}})",
       nullptr, nullptr, nullptr, R"({"s3:prefix":"alice"})", kAllow},
      {"Variables with no value: StringLike is false",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"${aws:username}*"}}})",
       nullptr, nullptr, nullptr, R"({"s3:prefix":"alice"})", kImplicit},
      {"Variables with no value: StringNotLike is true",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotLike":{"s3:prefix":"${aws:username}*"}}})",
       nullptr, nullptr, nullptr, R"({"s3:prefix":"alice"})", kAllow},
      {"Variables with no value: ArnNotLike is true",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnNotLike":{"aws:SourceArn":"arn:aws:guardduty:*:${aws:SourceAccount}:detector/*"}}})",
       nullptr, nullptr, nullptr,
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/1"})", kAllow},
      {"Variables with no value: a Resource entry holding it matches nothing",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/${aws:username}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/alice/x", nullptr, kImplicit},
      {"Variables with no value: the other Resource entries still match",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":["arn:aws:s3:::bkt/${aws:username}/*","arn:aws:s3:::bkt/public/*"]})",
       nullptr, nullptr, "arn:aws:s3:::bkt/public/x", nullptr, kAllow},
      {"Variables with no value: a NotResource entry holding it excludes nothing",
       R"({"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::bkt/${aws:username}/*"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/alice/x", nullptr, kAllow},
      {"Variables: ${*} stands for a literal * in Resource",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/${*}"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/*", nullptr, kAllow},
      {"Variables: ${*} in Resource is not a wildcard",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bkt/${*}"})",
       nullptr, nullptr, "arn:aws:s3:::bkt/x", nullptr, kImplicit},
      {"Variables: ${*} in StringLike is not a wildcard",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"a${*}"}}})",
       nullptr, nullptr, nullptr, R"({"s3:prefix":"abc"})", kImplicit},
  };
  run_cases(rows);
}

// ---- The trace ---------------------------------------------------------------------------------

namespace {

struct TraceCase {
  const char* rule;
  const char* policy;
  const char* principal;
  const char* action;
  const char* resource;
  const char* context;
  const char* element;  // of statement 0, which must not apply
};

}  // namespace

TEST_CASE("evaluator trace: a non-matching statement names the failing element") {
  static const TraceCase rows[] = {
      {"Effect: an invalid Effect",
       R"({"Effect":"Permit","Principal":"*","Action":"*","Resource":"*"})", nullptr, nullptr,
       nullptr, nullptr, "Effect"},
      {"Principal: caller not listed",
       R"({"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"*","Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, "Principal"},
      {"NotPrincipal: caller spared",
       R"({"Effect":"Deny","NotPrincipal":{"Service":"guardduty.amazonaws.com"},"Action":"*","Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, "NotPrincipal"},
      {"Action: action not listed",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, "Action"},
      {"NotAction: action excluded",
       R"({"Effect":"Allow","Principal":"*","NotAction":"s3:Put*","Resource":"*"})", nullptr,
       nullptr, nullptr, nullptr, "NotAction"},
      {"Resource: resource not listed",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::other/*"})",
       nullptr, nullptr, nullptr, nullptr, "Resource"},
      {"NotResource: resource excluded",
       R"({"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::bkt/*"})",
       nullptr, nullptr, nullptr, nullptr, "NotResource"},
      {"Condition: a false condition",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}})",
       nullptr, nullptr, nullptr, R"({"aws:SourceAccount":"444455556666"})", "Condition"},
      {"Condition: an absent key",
       R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}})",
       nullptr, nullptr, nullptr, nullptr, "Condition"},
      {"Principal is checked before Action",
       R"({"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetObject","Resource":"*"})",
       nullptr, nullptr, nullptr, nullptr, "Principal"},
  };
  for (const TraceCase& row : rows) {
    INFO(("rule: " + std::string(row.rule)));
    const Loaded loaded(policy_text(row.policy));
    const auto evaluation =
        loaded.evaluate(make_request(row.principal, row.action, row.resource, row.context));
    REQUIRE(evaluation.statements.size() == 1);
    const auto& trace = evaluation.statements[0];
    CHECK_FALSE(trace.applies);
    CHECK(trace.index == 0);
    CHECK(trace.element == row.element);
    CHECK_FALSE(trace.reason.empty());
    CHECK(trace.span.size() > 0);
    CHECK(evaluation.deciding.empty());
  }
}

TEST_CASE("evaluator trace: deciding names the statements that decided") {
  const Loaded loaded(policy_text(R"([
    {"Sid":"OtherPrincipal","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"*","Resource":"*"},
    {"Sid":"OtherAction","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
    {"Sid":"Allows","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*"},
    {"Sid":"AlsoAllows","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},
    {"Sid":"DenyHttp","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}
  ])"));

  SUBCASE("every Allow that applies decides an Allow") {
    const auto evaluation = loaded.evaluate(
        make_request(nullptr, nullptr, nullptr, R"({"aws:SecureTransport":"true"})"));
    CHECK(evaluation.decision == Decision::allow);
    REQUIRE(evaluation.statements.size() == 5);
    CHECK(evaluation.deciding == std::vector<std::size_t>{2, 3});
    CHECK(evaluation.statements[0].element == "Principal");
    CHECK(evaluation.statements[1].element == "Action");
    CHECK(evaluation.statements[2].applies);
    CHECK(evaluation.statements[2].sid == "Allows");
    CHECK(evaluation.statements[2].effect == gdl::policy::Effect::allow);
    CHECK(evaluation.statements[2].element.empty());
    CHECK(evaluation.statements[3].applies);
    CHECK_FALSE(evaluation.statements[4].applies);
    CHECK(evaluation.statements[4].element == "Condition");
    CHECK(evaluation.statements[4].reason.find("aws:SecureTransport") != std::string::npos);
    CHECK(loaded.slice(evaluation.statements[4].span).find("Bool") != std::string_view::npos);
    for (std::size_t i = 0; i < evaluation.statements.size(); ++i)
      CHECK(evaluation.statements[i].index == i);
  }

  SUBCASE("an applicable Deny alone decides, the Allows do not") {
    const auto evaluation = loaded.evaluate(
        make_request(nullptr, nullptr, nullptr, R"({"aws:SecureTransport":"false"})"));
    CHECK(evaluation.decision == Decision::explicit_deny);
    CHECK(evaluation.deciding == std::vector<std::size_t>{4});
    CHECK(evaluation.statements[4].applies);
    CHECK(evaluation.statements[4].effect == gdl::policy::Effect::deny);
    CHECK(evaluation.statements[2].applies);  // still applies, but an explicit Deny wins
  }

  SUBCASE("nothing decides an implicit deny") {
    const auto evaluation = loaded.evaluate(
        make_request(nullptr, "kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k", nullptr));
    CHECK(evaluation.decision == Decision::implicit_deny);
    CHECK(evaluation.deciding.empty());
    CHECK(evaluation.statements[3].element == "Action");
  }
}

// ---- parse_operator ----------------------------------------------------------------------------

TEST_CASE("evaluator parts: parse_operator") {
  using gdl::iam::Comparison;
  using gdl::iam::OperatorFamily;
  using gdl::iam::parse_operator;
  using gdl::iam::SetQualifier;

  struct Row {
    const char* name;
    OperatorFamily family;
    Comparison comparison;
    bool negated;
    bool ignore_case;
    bool if_exists;
    SetQualifier set;
    const char* base;
  };
  static const Row rows[] = {
      {"StringEquals", OperatorFamily::string, Comparison::equals, false, false, false,
       SetQualifier::none, "StringEquals"},
      {"StringNotEqualsIgnoreCase", OperatorFamily::string, Comparison::equals, true, true, false,
       SetQualifier::none, "StringNotEqualsIgnoreCase"},
      {"ForAnyValue:StringLikeIfExists", OperatorFamily::string, Comparison::like, false, false,
       true, SetQualifier::for_any_value, "StringLike"},
      {"ForAllValues:StringNotLike", OperatorFamily::string, Comparison::like, true, false, false,
       SetQualifier::for_all_values, "StringNotLike"},
      {"NumericLessThanEqualsIfExists", OperatorFamily::numeric, Comparison::less_than_equals,
       false, false, true, SetQualifier::none, "NumericLessThanEquals"},
      {"NumericGreaterThan", OperatorFamily::numeric, Comparison::greater_than, false, false, false,
       SetQualifier::none, "NumericGreaterThan"},
      {"DateGreaterThanEquals", OperatorFamily::date, Comparison::greater_than_equals, false, false,
       false, SetQualifier::none, "DateGreaterThanEquals"},
      {"DateNotEquals", OperatorFamily::date, Comparison::equals, true, false, false,
       SetQualifier::none, "DateNotEquals"},
      {"Bool", OperatorFamily::boolean, Comparison::equals, false, false, false, SetQualifier::none,
       "Bool"},
      {"BoolIfExists", OperatorFamily::boolean, Comparison::equals, false, false, true,
       SetQualifier::none, "Bool"},
      {"BinaryEquals", OperatorFamily::binary, Comparison::equals, false, false, false,
       SetQualifier::none, "BinaryEquals"},
      {"IpAddress", OperatorFamily::ip, Comparison::in_range, false, false, false,
       SetQualifier::none, "IpAddress"},
      {"NotIpAddressIfExists", OperatorFamily::ip, Comparison::in_range, true, false, true,
       SetQualifier::none, "NotIpAddress"},
      {"ArnEquals", OperatorFamily::arn, Comparison::like, false, false, false, SetQualifier::none,
       "ArnEquals"},
      {"ArnNotLikeIfExists", OperatorFamily::arn, Comparison::like, true, false, true,
       SetQualifier::none, "ArnNotLike"},
      {"ForAnyValue:ArnLike", OperatorFamily::arn, Comparison::like, false, false, false,
       SetQualifier::for_any_value, "ArnLike"},
      {"Null", OperatorFamily::null, Comparison::equals, false, false, false, SetQualifier::none,
       "Null"},
  };
  for (const Row& row : rows) {
    INFO(std::string(row.name));
    const auto op = parse_operator(row.name);
    REQUIRE(op.has_value());
    CHECK(op->family == row.family);
    CHECK(op->comparison == row.comparison);
    CHECK(op->negated == row.negated);
    CHECK(op->ignore_case == row.ignore_case);
    CHECK(op->if_exists == row.if_exists);
    CHECK(op->set == row.set);
    CHECK(op->base_name == row.base);
  }

  // "Condition operators": Null has no IfExists form; unknown and misspelled names are rejected.
  for (const char* bad :
       {"NullIfExists", "StringEqual", "IfExists", "", "ForAnyValue:", "ForSomeValues:StringEquals",
        "StringEqualsIfExist", "ForAnyValue:ForAllValues:StringEquals", "StringLikeIgnoreCase"}) {
    INFO(std::string(bad));
    CHECK_FALSE(parse_operator(bad).has_value());
  }

  const auto& names = gdl::iam::operator_names();
  CHECK(names.size() == 27);
  for (const std::string_view n : names) CHECK(parse_operator(n).has_value());
}

// ---- parse_date --------------------------------------------------------------------------------

TEST_CASE("evaluator parts: parse_date") {
  using gdl::iam::parse_date;
  struct Row {
    const char* text;
    double seconds;
  };
  static const Row valid[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"1970-01-01", 0},
      {"2026-11-24", 1795478400},
      {"2026-11-24T00:00:00Z", 1795478400},
      {"2026-11-24T10:00:00Z", 1795514400},
      {"2026-11-24T11:00:00+01:00", 1795514400},
      {"2026-11-24T05:00:00-05:00", 1795514400},
      {"2026-11-24T10:00:00.5Z", 1795514400.5},
      {"2024-02-29T00:00:00Z", 1709164800},
      {"1795478400", 1795478400},
      {"1795478400.25", 1795478400.25},
      {"0", 0},
  };
  for (const Row& row : valid) {
    INFO(std::string(row.text));
    const auto parsed = parse_date(row.text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == doctest::Approx(row.seconds));
  }
  for (const char* bad :
       {"", "not a date", "2026-13-01", "2026-00-10", "2026-11-32", "2026-11-24T25:00:00Z",
        "2026-11-24T10:61:00Z", "2026-11-24T10:00:00Zjunk", "26-11-24"}) {
    INFO(std::string(bad));
    CHECK_FALSE(parse_date(bad).has_value());
  }
  // ISO 8601 and epoch seconds denote the same instant.
  CHECK(*parse_date("2027-01-01T00:00:00Z") == *parse_date("1798761600"));
}

// ---- parse_ip / ip_in_range --------------------------------------------------------------------

TEST_CASE("evaluator parts: parse_ip and ip_in_range") {
  using gdl::iam::ip_in_range;
  using gdl::iam::parse_ip;

  SUBCASE("parsing") {
    const auto v4 = parse_ip("203.0.113.7");
    REQUIRE(v4);
    CHECK_FALSE(v4->v6);
    CHECK(v4->prefix == 32);  // no prefix: a /32
    CHECK(v4->bytes[0] == 203);
    CHECK(v4->bytes[3] == 7);

    const auto block = parse_ip("10.1.0.0/16");
    REQUIRE(block);
    CHECK(block->prefix == 16);

    const auto v6 = parse_ip("2001:db8::1");
    REQUIRE(v6);
    CHECK(v6->v6);
    CHECK(v6->prefix == 128);
    CHECK(v6->bytes[0] == 0x20);
    CHECK(v6->bytes[1] == 0x01);
    CHECK(v6->bytes[2] == 0x0d);
    CHECK(v6->bytes[3] == 0xb8);
    CHECK(v6->bytes[15] == 1);

    const auto mapped = parse_ip("::ffff:192.0.2.1");
    REQUIRE(mapped);
    CHECK(mapped->v6);
    CHECK(mapped->bytes[10] == 0xff);
    CHECK(mapped->bytes[12] == 192);
    CHECK(mapped->bytes[15] == 1);

    const auto all = parse_ip("::/0");
    REQUIRE(all);
    CHECK(all->prefix == 0);

    for (const char* bad : {"", "256.0.0.1", "1.2.3", "1.2.3.4.5", "10.0.0.0/33", "10.0.0.1/",
                            "10.0.0.1/x", "2001:db8::/129", "1:2:3:4:5:6:7:8:9", "1::2::3",
                            "2001:db8::g", "12345::1", "1:2:3:4:5:6:7:", "not an ip"}) {
      INFO(std::string(bad));
      CHECK_FALSE(parse_ip(bad).has_value());
    }
  }

  SUBCASE("ranges") {
    struct Row {
      const char* address;
      const char* range;
      bool inside;
    };
    static const Row rows[] = {
        {"203.0.113.7", "203.0.113.0/24", true},
        {"203.0.114.7", "203.0.113.0/24", false},
        {"203.0.113.7", "203.0.113.7", true},
        {"203.0.113.8", "203.0.113.7", false},
        {"198.51.100.1", "0.0.0.0/0", true},
        {"10.0.0.127", "10.0.0.0/25", true},
        {"10.0.0.128", "10.0.0.0/25", false},
        {"10.0.0.1", "10.0.0.0/31", true},
        {"10.0.0.2", "10.0.0.0/31", false},
        {"172.31.255.255", "172.16.0.0/12", true},
        {"172.32.0.0", "172.16.0.0/12", false},
        {"2001:db8:1::1", "2001:db8::/32", true},
        {"2001:db9::1", "2001:db8::/32", false},
        {"2001:db8::1", "2001:db8::1", true},
        {"2001:db8::2", "2001:db8::1", false},
        {"2001:db8::1", "::/0", true},
        {"2001:db8::1", "0.0.0.0/0", false},  // an IPv6 caller is outside any IPv4 range
        {"10.0.0.1", "::/0", false},          // and an IPv4 caller outside any IPv6 range
    };
    for (const Row& row : rows) {
      INFO((std::string(row.address) + " in " + row.range));
      const auto address = parse_ip(row.address);
      const auto range = parse_ip(row.range);
      REQUIRE(address);
      REQUIRE(range);
      CHECK(ip_in_range(*address, *range) == row.inside);
    }
  }
}

// ---- Pattern -----------------------------------------------------------------------------------

TEST_CASE("evaluator parts: wildcard Pattern") {
  using gdl::iam::Pattern;
  struct Row {
    const char* glob;
    bool fold_case;
    const char* text;
    bool matches;
  };
  static const Row rows[] = {
      {"s3:GetObject", false, "s3:GetObject", true},
      {"s3:GetObject", false, "s3:getobject", false},
      {"s3:GetObject", true, "S3:GETOBJECT", true},
      {"s3:Get*", true, "s3:getobjectacl", true},
      {"*", false, "", true},
      {"*", false, "anything/at:all", true},
      {"?", false, "", false},
      {"?", false, "x", true},
      {"??", false, "x", false},
      {"a*b*c", false, "aXXbYYc", true},
      {"a*b*c", false, "abc", true},
      {"a*b*c", false, "acb", false},
      {"a**b", false, "ab", true},
      {"*.jsonl.gz", false, "a/b/c.jsonl.gz", true},
      {"*.jsonl.gz", false, "a/b/c.jsonl.gzip", false},
      {"arn:aws:s3:::bkt/*", false, "arn:aws:s3:::bkt", false},
      {"", false, "", true},
      {"", false, "x", false},
      {"*a", false, "aaaa", true},
      {"*ab", false, "aaaab", true},
      {"a*", false, "b", false},
      // A star that ends the pattern takes the rest, whatever it is.
      {"a*", false, "a", true},
      {"kms:*", true, "KMS:Decrypt", true},
      {"kms:*", true, "km", false},
      {"a*b*", false, "aXb\xE2\x82", true},
      {"a*b*", false, "aXc", false},
      {"a?*", false, "a", false},
      // '?' is one character, however many UTF-8 bytes it takes (IAM: "any single character").
      {"a?b", false, "a\u00fcb", true},
      {"a??b", false, "a\u00fcb", false},
      {"r?sum?.pdf", false, "r\u00e9sum\u00e9.pdf", true},
      {"?", false, "\u20ac", true},
      {"?", false, "\U0001F600", true},
      {"??", false, "\U0001F600", false},
      {"*?", false, "\u00e9", true},
      {"*??", false, "\u00e9", false},
      {"*?b", false, "a\u00e9b", true},
      {"*\u00e9", false, "a\u00e9", true},
      {"?", false, "\xC3", true},       // a lone lead byte is a character of its own
      {"??", false, "\xC3(", true},     // not a sequence: two characters
      {"?", false, "\xE2\x82", false},  // a cut sequence: two bytes, two characters
      // Folding touches 'A'..'Z' only, in long literal runs too (they are folded 16 at a time).
      {"ARN:AWS:S3:::MY-BUCKET/PREFIX/*", true, "arn:aws:s3:::my-bucket/prefix/x", true},
      {"arn:aws:s3:::my-bucket/prefix@x", true, "arn:aws:s3:::my-bucket/prefix`x", false},
      {"arn:aws:s3:::my-bucket/prefix[x", true, "arn:aws:s3:::my-bucket/prefix{x", false},
      {"arn:aws:s3:::my-bucket/prefix`x", true, "arn:aws:s3:::my-bucket/prefix@x", false},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZ?", true, "abcdefghijklmnopqrstuvwxyz!", true},
      {"abcdefghijklmnopqrstuvwxyz", false, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", false},
      {"\u00c9t\u00e9-long-enough-to-vectorize", true, "\u00c9T\u00c9-LONG-ENOUGH-TO-VECTORIZE",
       false},
      {"\u00c9t\u00e9-long-enough-to-vectorize", true, "\u00c9T\u00e9-LONG-ENOUGH-TO-VECTORIZE",
       true},
  };
  for (const Row& row : rows) {
    INFO((std::string(row.glob) + " vs " + row.text));
    CHECK(Pattern::glob(row.glob, row.fold_case).matches(row.text) == row.matches);
  }

  SUBCASE("has_wildcards") {
    CHECK(Pattern::glob("s3:Get*", false).has_wildcards());
    CHECK(Pattern::glob("s3:Get?bject", false).has_wildcards());
    CHECK_FALSE(Pattern::glob("s3:GetObject", false).has_wildcards());
  }

  SUBCASE("append_literal keeps * and ? literal") {
    Pattern p = Pattern::glob("bkt/", false);
    p.append_literal("*?");
    p.append_glob("*");
    CHECK(p.matches("bkt/*?"));
    CHECK(p.matches("bkt/*?/x"));
    CHECK_FALSE(p.matches("bkt/ab"));
  }

  SUBCASE("an adversarial pattern against 100 KB finishes (no exponential backtracking)") {
    const std::string text(100 * 1024, 'a');
    const Pattern p = Pattern::glob("*a*a*a*a*a*a*a*a*b", false);
    CHECK_FALSE(p.matches(text));
    CHECK(p.matches(text + "b"));
    CHECK(Pattern::glob("*a*a*a*a*a*a*a*a*a", false).matches(text));
    CHECK_FALSE(Pattern::glob("a?*?*?*?*?*?*?*?*b", true).matches(text));
  }

  SUBCASE("split_arn") {
    std::string_view parts[6];
    REQUIRE(gdl::iam::split_arn("arn:aws:kms:us-east-1:111122223333:key/abc:extra", parts));
    CHECK(parts[0] == "arn");
    CHECK(parts[2] == "kms");
    CHECK(parts[3] == "us-east-1");
    CHECK(parts[4] == "111122223333");
    CHECK(parts[5] == "key/abc:extra");
    REQUIRE(gdl::iam::split_arn("arn:aws:s3:::bkt/x", parts));
    CHECK(parts[3].empty());
    CHECK(parts[5] == "bkt/x");
    CHECK_FALSE(gdl::iam::split_arn("arn:aws:s3", parts));
    CHECK_FALSE(gdl::iam::split_arn("arn:aws:s3::", parts));  // four colons: five fields
    REQUIRE(gdl::iam::split_arn("arn:aws:s3:::", parts));     // five: the sixth is empty
    CHECK(parts[4].empty());
    CHECK(parts[5].empty());
  }
}

// ---- Variables inside ARN operator values
// ---------------------------------------------------------

// "IAM policy elements: Variables and tags", Special characters: ${*} stands for a literal '*'.
// "Condition operators", ARN: each of the six colon-delimited components is checked separately,
// so a value with fewer than six components is not an ARN pattern and matches nothing.
TEST_CASE("evaluator: ${*} in an ArnLike value is a literal *; short ARN patterns match nothing") {
  static const ConditionCase rows[] = {
      {"Variables, special characters: ${*} in ArnLike matches only a literal *",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/${*}"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/abc"})", kImplicit},
      {"Variables, special characters: ${*} in ArnLike matches a literal *",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/${*}"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/*"})", kAllow},
      {"Condition operators, ARN: six components are matched separately (short pattern)",
       R"({"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*"}})",
       R"({"aws:SourceArn":"arn:aws:guardduty:us-east-1:111122223333:detector/abc"})", kImplicit},
      {"Condition operators, ARN: a variable holding a full ARN is split into components",
       R"({"ArnEquals":{"aws:SourceArn":"${aws:PrincipalArn}"}})",
       R"({"aws:SourceArn":"arn:aws:iam::111122223333:role/x","aws:PrincipalArn":"arn:aws:iam::111122223333:role/x"})",
       kAllow},
  };
  run_conditions(rows);
}

// ---- The operator matrix -----------------------------------------------------------------------
//
// Every condition operator (but Null) × the key absent / present with a matching value / present
// with another value × plain / ...IfExists × no set qualifier / ForAnyValue / ForAllValues (with
// request sets of one, two and no values). The expected result is the documented truth table
// ("Condition operators", "...IfExists condition operators", "Multivalued context keys"), written
// here once, independently of the evaluator:
//   absent key:  IfExists -> true; ForAnyValue -> false; ForAllValues -> true;
//                otherwise a negated operator is true and a positive one false;
//   a value v:   matches(v) for a positive operator, !matches(v) for a negated one;
//   no qualifier: that, for the request's single value; ForAnyValue: some value; ForAllValues:
//                every value (so true for an empty set).

namespace {

struct OperatorRow {
  const char* op;        // the operator's name
  bool negated;          // documented as the negation of `positive` below
  const char* policy;    // the policy value
  const char* matching;  // a request value the positive form matches
  const char* other;     // a request value it does not match
};

// Matching and non-matching values sit at each operator's boundary (equal values for the
// ordered comparisons, the neighbour outside a CIDR block, one character off for strings).
constexpr OperatorRow kOperatorRows[] = {
    {"StringEquals", false, "abc", "abc", "abC"},
    {"StringNotEquals", true, "abc", "abc", "abC"},
    {"StringEqualsIgnoreCase", false, "ABC", "abc", "abd"},
    {"StringNotEqualsIgnoreCase", true, "ABC", "abc", "abd"},
    {"StringLike", false, "a?c*", "abcdef", "ac"},
    {"StringNotLike", true, "a?c*", "abcdef", "ac"},
    {"NumericEquals", false, "10", "10.0", "10.5"},
    {"NumericNotEquals", true, "10", "10.0", "10.5"},
    {"NumericLessThan", false, "10", "9.5", "10"},
    {"NumericLessThanEquals", false, "10", "10", "10.5"},
    {"NumericGreaterThan", false, "10", "10.5", "10"},
    {"NumericGreaterThanEquals", false, "10", "10", "9.5"},
    {"DateEquals", false, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00+01:00",
     "2026-11-24T10:00:01Z"},
    {"DateNotEquals", true, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00+01:00",
     "2026-11-24T10:00:01Z"},
    {"DateLessThan", false, "2026-11-24T10:00:00Z", "2026-11-24T09:59:59Z", "2026-11-24T10:00:00Z"},
    {"DateLessThanEquals", false, "2026-11-24T10:00:00Z", "2026-11-24T10:00:00Z",
     "2026-11-24T10:00:01Z"},
    {"DateGreaterThan", false, "2026-11-24T10:00:00Z", "2026-11-24T10:00:01Z",
     "2026-11-24T10:00:00Z"},
    {"DateGreaterThanEquals", false, "2026-11-24T10:00:00Z", "2026-11-24T10:00:00Z",
     "2026-11-24T09:59:59Z"},
    {"Bool", false, "true", "true", "false"},
    {"BinaryEquals", false, "QUJD", "QUJD", "QUJE"},
    {"IpAddress", false, "10.0.0.0/8", "10.255.255.255", "11.0.0.0"},
    {"NotIpAddress", true, "10.0.0.0/8", "10.255.255.255", "11.0.0.0"},
    {"ArnEquals", false, "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt/x", "arn:aws:s3:::bkt2/x"},
    {"ArnLike", false, "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt/x", "arn:aws:s3:::bkt2/x"},
    {"ArnNotEquals", true, "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt/x", "arn:aws:s3:::bkt2/x"},
    {"ArnNotLike", true, "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt/x", "arn:aws:s3:::bkt2/x"},
};

enum class Qualifier { none, for_any_value, for_all_values };

// The documented truth table (see above). `values` is empty for an absent key.
bool expected_result(const OperatorRow& row, Qualifier q, bool if_exists, bool absent,
                     const std::vector<bool>& matches) {
  if (absent) {
    if (if_exists) return true;
    if (q == Qualifier::for_any_value) return false;
    if (q == Qualifier::for_all_values) return true;
    return row.negated;
  }
  auto satisfied = [&](bool m) { return row.negated ? !m : m; };
  if (q == Qualifier::for_all_values) return std::all_of(matches.begin(), matches.end(), satisfied);
  return std::any_of(matches.begin(), matches.end(), satisfied);
}

std::string json_list(const std::vector<const char*>& values) {
  std::string out = "[";
  for (const char* v : values) out += fmt::format("{}\"{}\"", out.size() > 1 ? "," : "", v);
  return out + "]";
}

}  // namespace

TEST_CASE("evaluator matrix: every operator x key absent/present x IfExists x set qualifier") {
  // The key stands for any context key; the evaluator does not type keys.
  constexpr const char* kKey = "test:key";
  int rows = 0;
  for (const OperatorRow& row : kOperatorRows) {
    for (const Qualifier q :
         {Qualifier::none, Qualifier::for_any_value, Qualifier::for_all_values}) {
      for (const bool if_exists : {false, true}) {
        const std::string op = std::string(q == Qualifier::for_any_value    ? "ForAnyValue:"
                                           : q == Qualifier::for_all_values ? "ForAllValues:"
                                                                            : "") +
                               row.op + (if_exists ? "IfExists" : "");
        const Loaded loaded(policy_text(
            fmt::format(R"({{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",)"
                        R"("Condition":{{"{}":{{"{}":"{}"}}}}}})",
                        op, kKey, row.policy)));
        // The request sets: single values without a qualifier, sets of zero to two with one.
        std::vector<std::vector<const char*>> requests = {{}, {row.matching}, {row.other}};
        if (q != Qualifier::none) {
          requests.push_back({row.matching, row.other});
          requests.push_back({row.matching, row.matching});
        }
        for (std::size_t i = 0; i < requests.size(); ++i) {
          const bool absent = i == 0;
          std::vector<bool> matches;
          for (const char* v : requests[i]) matches.push_back(v == row.matching);
          std::string context = "{}";
          if (!absent) {
            context = q == Qualifier::none
                          ? fmt::format(R"({{"{}":"{}"}})", kKey, requests[i].front())
                          : fmt::format(R"({{"{}":{}}})", kKey, json_list(requests[i]));
          }
          CAPTURE(op);
          CAPTURE(context);
          const bool expected = expected_result(row, q, if_exists, absent, matches);
          const auto decision =
              loaded.evaluate(make_request(nullptr, nullptr, nullptr, context.c_str())).decision;
          CHECK(name(decision) == name(expected ? kAllow : kImplicit));
          ++rows;
        }
        // ForAllValues on an empty set is true (vacuously), ForAnyValue false.
        if (q != Qualifier::none) {
          const std::string context = fmt::format(R"({{"{}":[]}})", kKey);
          CAPTURE(op);
          const bool expected = q == Qualifier::for_all_values;
          CHECK(name(loaded.evaluate(make_request(nullptr, nullptr, nullptr, context.c_str()))
                         .decision) == name(expected ? kAllow : kImplicit));
        }
      }
    }
  }
  CHECK(rows == 26 * 2 * (3 + 5 + 5));
}

TEST_CASE("evaluator matrix: Null has no IfExists form; Null true/false against absent/present") {
  const struct {
    const char* condition;
    const char* context;
    Decision expected;
  } rows[] = {
      {R"({"NullIfExists":{"test:key":"true"}})", nullptr, kImplicit},
      {R"({"NullIfExists":{"test:key":"false"}})", R"({"test:key":"x"})", kImplicit},
      {R"({"Null":{"test:key":"true"}})", nullptr, kAllow},
      {R"({"Null":{"test:key":"true"}})", R"({"test:key":"x"})", kImplicit},
      {R"({"Null":{"test:key":"false"}})", nullptr, kImplicit},
      {R"({"Null":{"test:key":"false"}})", R"({"test:key":"x"})", kAllow},
      {R"({"Null":{"test:key":"TRUE"}})", nullptr, kAllow},
      // A multivalued key with no values is null: "false" guards ForAllValues against it.
      {R"({"Null":{"test:key":"true"}})", R"({"test:key":[]})", kAllow},
      {R"({"Null":{"test:key":"false"}})", R"({"test:key":[]})", kImplicit},
      {R"({"Null":{"test:key":"false"}})", R"({"test:key":["a"]})", kAllow},
      {R"({"Null":{"test:key":"false"},"ForAllValues:StringEquals":{"test:key":"a"}})",
       R"({"test:key":[]})", kImplicit},
  };
  for (const auto& row : rows) {
    CAPTURE(row.condition);
    const Loaded loaded(policy_text(fmt::format(
        R"({{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{}}})",
        row.condition)));
    CHECK(name(loaded.evaluate(make_request(nullptr, nullptr, nullptr, row.context)).decision) ==
          name(row.expected));
  }
}

TEST_CASE("evaluator matrix: ArnLike/ArnEquals check each of the six ARN components") {
  // "Each of the six colon-delimited components of the ARN is checked separately": changing any
  // one component of the request misses, a * in exactly that component matches it again (and
  // only it), with and without a policy variable in the value.
  const std::array<std::string, 6> arn = {"arn",       "aws",          "guardduty",
                                          "us-east-1", "111122223333", "detector/abc"};
  const std::array<std::string, 6> changed = {"urn",       "aws-cn",       "cloudtrail",
                                              "eu-west-1", "444455556666", "detector/abd"};
  auto join = [](const std::array<std::string, 6>& parts) {
    return fmt::format("{}:{}:{}:{}:{}:{}", parts[0], parts[1], parts[2], parts[3], parts[4],
                       parts[5]);
  };
  for (const char* op : {"ArnLike", "ArnEquals"}) {
    for (const bool variable : {false, true}) {
      for (std::size_t star = 0; star <= 6; ++star) {
        std::array<std::string, 6> pattern = arn;
        if (star < 6) pattern[star] = "*";
        // ${test:account} resolves to the account from the request's context.
        if (variable && star != 4) pattern[4] = "${test:account}";
        const Loaded loaded(policy_text(
            fmt::format(R"({{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",)"
                        R"("Condition":{{"{}":{{"aws:SourceArn":"{}"}}}}}})",
                        op, join(pattern))));
        for (std::size_t flip = 0; flip <= 6; ++flip) {
          std::array<std::string, 6> request = arn;
          if (flip < 6) request[flip] = changed[flip];
          const std::string context = fmt::format(
              R"({{"aws:SourceArn":"{}","test:account":"111122223333"}})", join(request));
          CAPTURE(op);
          CAPTURE(join(pattern));
          CAPTURE(context);
          const bool expected = flip == 6 || flip == star;
          CHECK(name(loaded.evaluate(make_request(nullptr, nullptr, nullptr, context.c_str()))
                         .decision) == name(expected ? kAllow : kImplicit));
        }
      }
    }
  }
}
