#include "export/access.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "iam/conditions.h"
#include "iam/evaluator.h"
#include "iam/request_space.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl::exportcfg {

std::string_view to_string(AccessClass access_class) {
  switch (access_class) {
    case AccessClass::anonymous:
      return "anonymous";
    case AccessClass::other_account:
      return "other-account";
    case AccessClass::other_guardduty:
      return "other-guardduty";
    case AccessClass::other_service:
      return "other-service";
    case AccessClass::own_by_wildcard:
      return "own-by-wildcard";
    case AccessClass::plain_http:
      return "plain-http";
    case AccessClass::unencrypted_upload:
      return "unencrypted-upload";
  }
  return "anonymous";
}

std::string_view describe(AccessClass access_class) {
  switch (access_class) {
    case AccessClass::anonymous:
      return "anyone, unauthenticated";
    case AccessClass::other_account:
      return "another account";
    case AccessClass::other_guardduty:
      return "another account's GuardDuty";
    case AccessClass::other_service:
      return "another AWS service";
    case AccessClass::own_by_wildcard:
      return "the account's own principals, through a wildcard Principal";
    case AccessClass::plain_http:
      return "a caller over plain HTTP";
    case AccessClass::unencrypted_upload:
      return "an upload without SSE-KMS with the export's key";
  }
  return "";
}

namespace {

const iam::ContextValue* context_of(const iam::Request& r, std::string_view key) {
  return r.find(key);
}

std::string single(const iam::Request& r, std::string_view key) {
  const iam::ContextValue* v = context_of(r, key);
  return v == nullptr || v->values.empty() ? std::string() : v->values.front();
}

std::string account_of_arn(std::string_view arn) {
  std::string_view parts[6];
  return iam::split_arn(arn, parts) ? std::string(parts[4]) : std::string();
}

// Whether `resource` is an object GuardDuty writes under `base`:
// AWSLogs/<twelve-digit account>/GuardDuty/...
bool is_findings_object(std::string_view resource, std::string_view base) {
  constexpr std::string_view kLogs = "AWSLogs/";
  constexpr std::string_view kGuardDuty = "/GuardDuty/";
  auto findings_at = [&](std::size_t at) {
    return resource.substr(at).starts_with(kLogs) &&
           is_account_id(resource.substr(at + kLogs.size(), 12)) &&
           resource.substr(std::min(resource.size(), at + kLogs.size() + 12))
               .starts_with(kGuardDuty);
  };
  // A bucket or prefix name with '*' or '?' (read as a wildcard): wherever AWSLogs/ begins.
  if (base.find_first_of("*?") != std::string_view::npos) {
    for (std::size_t at = resource.find(kLogs); at != std::string_view::npos;
         at = resource.find(kLogs, at + 1)) {
      if (findings_at(at)) return true;
    }
    return false;
  }
  return resource.starts_with(base) && findings_at(base.size());
}

// The accounts that count as the resource owner's. When the owner is only a stand-in, any
// account the policy names might be it, so none of those is called "another account".
std::set<std::string> own_accounts(const Value& owner, const policy::Policy& policy) {
  std::set<std::string> own;
  if (owner.known() && !owner.origin.stand_in) {
    own.insert(owner.get());
    return own;
  }
  if (owner.known()) own.insert(owner.get());
  for (const policy::Statement& s : policy.statements) {
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      const std::string& v = e.value.value;
      if (is_account_id(v)) own.insert(v);
      const std::string account = account_of_arn(v);
      if (is_account_id(account)) own.insert(account);
    }
    for (const policy::ConditionClause& c : s.conditions) {
      for (const policy::Text& v : c.values) {
        if (is_account_id(v.value)) own.insert(v.value);
        const std::string account = account_of_arn(v.value);
        if (is_account_id(account)) own.insert(account);
      }
    }
  }
  return own;
}

bool wildcard_principal(const policy::Statement& s) {
  return s.principal_negated || names_everyone(s);
}

const policy::Statement* statement_at(const policy::Policy& p, std::size_t index) {
  for (const policy::Statement& s : p.statements) {
    if (s.index == index) return &s;
  }
  return nullptr;
}

std::vector<std::size_t> allow_indices(const iam::Evaluation& e) {
  std::vector<std::size_t> out;
  if (e.decision != iam::Decision::allow) return out;
  for (const std::size_t d : e.deciding) out.push_back(e.statements[d].index);
  return out;
}

// The partition the policy's ARNs are in, when the settings say nothing else: a GovCloud or
// China policy is asked about its own partition's principals and resources.
std::string partition_of(const policy::Policy& policy, const std::string& configured) {
  if (configured != "aws") return configured;
  std::set<std::string> seen;
  auto note = [&](std::string_view text) {
    if (!text.starts_with("arn:")) return;
    const auto end = text.find(':', 4);
    if (end != std::string_view::npos) seen.emplace(text.substr(4, end - 4));
  };
  for (const policy::Statement& s : policy.statements) {
    for (const policy::Text& r : s.resource.items) note(r.value);
    for (const policy::PrincipalEntry& e : s.principal.entries) note(e.value.value);
    for (const policy::ConditionClause& c : s.conditions) {
      for (const policy::Text& v : c.values) note(v.value);
    }
  }
  seen.erase("*");
  return seen.size() == 1 ? *seen.begin() : configured;
}

// A bounded proof searches the patterns' automata within the same kind of bound.
std::size_t cell_budget_for(std::size_t budget) {
  return std::max<std::size_t>(budget / 4, 1000);
}

// GuardDuty acting for an account the policy does not name: the witness of a confused deputy.
constexpr std::string_view kStrangerAccount = "111122223333";
std::string stranger_detector(std::string_view region) {
  return fmt::format("arn:aws:guardduty:{}:{}:detector/12abc34d567e8fa901bc2d34eexample", region,
                     kStrangerAccount);
}

// GuardDuty always sends aws:SourceAccount and aws:SourceArn ("Confused deputy prevention" in
// the GuardDuty guide); a class of service names that holds a GuardDuty principal of an opt-in
// Region is shown by one.
void set_guardduty_schema(iam::SpaceSpec& spec) {
  spec.sends_source_keys = [](std::string_view service) { return is_guardduty_principal(service); };
  spec.example_services = {"guardduty.amazonaws.com", guardduty_principal("ap-east-1"),
                           guardduty_principal("me-south-1")};
  spec.example_values["aws:sourceaccount"] = {std::string(kStrangerAccount)};
  spec.example_values["aws:sourcearn"] = {stranger_detector("us-east-1")};
}

struct Question {
  std::string action;
  std::vector<AccessClass> classes;
};

}  // namespace

AccessReport verify_access(const PolicyDocument& document, const ExportSettings& settings,
                           std::size_t budget) {
  const bool bucket = document.kind == documents::Kind::bucket_policy;
  const bool key = document.kind == documents::Kind::key_policy;
  if (!bucket && !key) return {};
  const policy::Policy& policy = document.policy;

  iam::SpaceSpec spec;
  spec.policies = {&policy};
  spec.type = iam::PolicyType::resource;
  spec.partition = partition_of(policy, settings.partition);
  spec.budget = budget;
  spec.cell_budget = cell_budget_for(budget);
  std::string resource_shown;
  std::string findings_base;  // a bucket's <bucket>/<prefix>/, under which AWSLogs/ is
  Value owner = bucket ? settings.bucket_owner() : settings.account;
  if (bucket) {
    const std::string bucket_name = settings.bucket.known() ? settings.bucket.get() : "";
    const std::string prefix = settings.prefix.known() ? settings.prefix.get() : "";
    const std::string base = fmt::format("arn:{}:s3:::{}/{}", spec.partition, bucket_name,
                                         prefix.empty() ? "" : prefix + "/");
    // The findings: GuardDuty writes them under <prefix>/AWSLogs/<account>/GuardDuty/ (any
    // member account's, for an organization). Another path of a shared bucket is not theirs:
    // the account is twelve characters, so AWSLogs/<account>/Config/GuardDuty/... is not a
    // findings object (with '*' there, AWS Config's grant on AWSLogs/<account>/Config/* read as
    // one that reaches the findings). (A '*' or '?' in a bucket or prefix name, never a valid
    // S3 name, reads as a wildcard.)
    spec.resource_within.push_back(
        {base + "AWSLogs/" + std::string(12, '?') + "/GuardDuty/*", iam::CellPattern::Mode::glob});
    findings_base = base;
    const std::string account = settings.account.known() ? settings.account.get() : "111122223333";
    spec.preferred_resources = {
        base + fmt::format("AWSLogs/{}/GuardDuty/{}/2026/12/01/finding.jsonl.gz", account,
                           settings.regions.empty() ? "us-east-1" : settings.regions.front()),
        base + "AWSLogs/111122223333/GuardDuty/x"};
    resource_shown = fmt::format("arn:{}:s3:::{}/{}AWSLogs/*/GuardDuty/*", spec.partition,
                                 settings.bucket.origin.stand_in ? "<BUCKET>" : bucket_name,
                                 prefix.empty() ? "" : prefix + "/");
  } else {
    std::string key_arn = settings.key_arn.known() ? settings.key_arn.get() : "";
    if (key_arn.empty()) key_arn = document.belongs_to;
    spec.resource_within.push_back({key_arn, iam::CellPattern::Mode::literal});
    spec.preferred_resources = {key_arn};
    const std::string account = account_of_arn(key_arn);
    if (!account.empty() && !settings.key_arn.origin.stand_in) {
      owner.value = account;
      owner.origin = settings.key_arn.origin;
    }
    resource_shown = settings.key_arn.origin.stand_in ? "<KEY_ARN>" : key_arn;
  }
  const std::set<std::string> own = own_accounts(owner, policy);
  spec.accounts.assign(own.begin(), own.end());
  // The exporting account, when it is not the owner (a central bucket or key of another
  // account): its GuardDuty writing its own findings (<prefix>/AWSLogs/<exporter>/) or using the
  // key is the export itself, and its principals reaching those findings in the bucket are its
  // own data, not someone else's access (check's GD313 judges them alike). Its reach beyond them
  // is still someone else's, and so is its principals' use of another account's key (the key
  // decrypts every member's findings).
  const std::string exporter = settings.account.known() && !settings.account.origin.stand_in &&
                                       !own.contains(settings.account.get()) &&
                                       settings.account.get() != kStrangerAccount
                                   ? settings.account.get()
                                   : std::string();
  if (!exporter.empty()) spec.accounts.push_back(exporter);
  const std::string exporter_findings =
      exporter.empty() ? std::string() : findings_base + "AWSLogs/" + exporter + "/";
  if (bucket && !exporter.empty())
    spec.resource_splits.push_back({exporter_findings + "*", iam::CellPattern::Mode::glob});
  auto the_export = [&](std::string_view account, const iam::Request& r) {
    return !exporter.empty() && account == exporter &&
           (key || std::string_view(r.resource).starts_with(exporter_findings));
  };
  std::vector<std::string> regions = settings.regions;
  if (regions.empty()) regions.push_back("us-east-1");
  for (const std::string& region : regions) spec.services.push_back(guardduty_principal(region));
  spec.services.emplace_back("guardduty.amazonaws.com");
  set_guardduty_schema(spec);

  const std::vector<AccessClass> who_else = {
      AccessClass::anonymous, AccessClass::other_account, AccessClass::other_guardduty,
      AccessClass::other_service, AccessClass::own_by_wildcard};
  std::vector<Question> questions;
  if (bucket) {
    auto with = [&](std::vector<AccessClass> extra) {
      std::vector<AccessClass> all = who_else;
      all.insert(all.end(), extra.begin(), extra.end());
      return all;
    };
    questions = {{"s3:PutObject", with({AccessClass::plain_http, AccessClass::unencrypted_upload})},
                 {"s3:DeleteObject", with({AccessClass::plain_http})},
                 {"s3:GetObject", with({AccessClass::plain_http})}};
  } else {
    questions = {{"kms:Decrypt", who_else}, {"kms:GenerateDataKey", who_else}};
  }

  const std::string key_arn = settings.key_arn.known() ? settings.key_arn.get() : "";
  const bool key_known = !key_arn.empty() && !settings.key_arn.origin.stand_in;
  // One enumeration answers every question: the cells are the same for each action.
  AccessReport report;
  std::vector<AccessAnswer>& answers = report.answers;
  if (!exporter.empty()) {
    report.not_counted =
        bucket ? fmt::format(
                     "the exporting account {0}'s own findings (AWSLogs/{0}/): its GuardDuty "
                     "writing them and its principals reaching them are the export itself",
                     exporter)
               : fmt::format("GuardDuty for the exporting account {}: the export itself", exporter);
  }
  std::vector<std::set<AccessClass>> found(questions.size());
  std::size_t asked_total = 0;
  spec.actions.clear();
  for (const Question& q : questions) {
    AccessAnswer answer;
    answer.action = q.action;
    answer.resource = resource_shown;
    answer.asked = q.classes;
    answers.push_back(std::move(answer));
    spec.actions.push_back(q.action);
    asked_total += q.classes.size();
  }
  std::size_t found_total = 0;
  std::size_t qi = 0;  // the question of the request being visited
  auto add = [&](AccessClass c, const iam::Request& r, const iam::Evaluation& e) {
    const std::vector<AccessClass>& asked = questions[qi].classes;
    if (std::find(asked.begin(), asked.end(), c) == asked.end() || !found[qi].insert(c).second)
      return;
    ++found_total;
    answers[qi].found.push_back({c, r, allow_indices(e)});
  };
  // A service acts for some account: for the one the source keys name, or, when the request
  // has neither (no applicable statement reads them), for any account. Acting for the owner is
  // the owner's own doing; for anyone else it is someone else's access. GuardDuty sends both keys,
  // of one account: a combination of classes that pairs accounts differently is tried as the two
  // real requests it stands for.
  const iam::Evaluator evaluator(policy, iam::PolicyType::resource);  // a key or bucket policy
  auto classify_service = [&](const iam::Request& r, const iam::Evaluation& e) {
    const bool guardduty = is_guardduty_principal(r.principal.value);
    const iam::ContextValue* source_account = r.find("aws:SourceAccount");
    const iam::ContextValue* arn = r.find("aws:SourceArn");
    const std::string named = source_account == nullptr || source_account->values.empty()
                                  ? std::string()
                                  : source_account->values.front();
    const std::string arn_account =
        arn == nullptr || arn->values.empty() ? std::string() : account_of_arn(arn->values.front());
    if (guardduty && !named.empty() && is_account_id(arn_account) && arn_account != named) {
      for (const std::string& account : {named, arn_account}) {
        iam::Request real = r;
        real.set("aws:SourceAccount", account);
        real.set("aws:SourceArn",
                 fmt::format("arn:{}:guardduty:{}:{}:detector/12abc34d567e8fa901bc2d34eexample",
                             spec.partition, regions.front(), account));
        const iam::Evaluation again = evaluator.evaluate(real, false);
        if (again.decision == iam::Decision::allow && !own.contains(account) &&
            !the_export(account, real))
          add(AccessClass::other_guardduty, real, again);
      }
      return;
    }
    // GuardDuty acting for the exporting account on its findings is the export (it sends both
    // keys, of one account); another service acting for it is someone else's access.
    auto party = [&](const std::string& account) {
      return own.contains(account) || (guardduty && the_export(account, r));
    };
    const bool foreign = (!named.empty() && !party(named)) ||
                         (!arn_account.empty() && !party(arn_account)) ||
                         (source_account == nullptr && arn == nullptr);
    if (!foreign) return;
    iam::Request witness = r;
    if (source_account == nullptr && arn == nullptr && guardduty) {
      witness.set("aws:SourceAccount", std::string(kStrangerAccount));
      witness.set("aws:SourceArn", stranger_detector(regions.front()));
    }
    add(guardduty ? AccessClass::other_guardduty : AccessClass::other_service, witness, e);
  };
  {
    const iam::SpaceStats stats = iam::enumerate_requests(
        spec, [&](const iam::Request& r, std::span<const iam::Evaluation> ev) {
          // '?' also matches '/': an object whose account part is not twelve digits
          // (AWSLogs/o-abcdefghij/..., AWSLogs/-----/Config/GuardDuty/...) is no finding.
          if (bucket && !is_findings_object(r.resource, findings_base)) return true;
          qi = 0;
          while (qi + 1 < questions.size() && questions[qi].action != r.action) ++qi;
          const iam::Evaluation& e = ev.front();
          const bool allowed = e.decision == iam::Decision::allow;
          const std::string account = iam::principal_account(r.principal);
          const bool own_principal = !account.empty() && own.contains(account);
          // S3 leaves the account's own principals to their identity policies: what the
          // bucket policy does not deny, an identity policy may allow. A key policy must allow.
          const bool reachable =
              allowed || (bucket && own_principal && e.decision != iam::Decision::explicit_deny);
          switch (r.principal.kind) {
            case iam::RequestPrincipal::Kind::anonymous:
              if (allowed) add(AccessClass::anonymous, r, e);
              break;
            case iam::RequestPrincipal::Kind::aws:
              if (allowed && !own_principal && !(bucket && the_export(account, r)))
                add(AccessClass::other_account, r, e);
              if (allowed && own_principal) {
                for (const std::size_t index : allow_indices(e)) {
                  const policy::Statement* s = statement_at(policy, index);
                  if (s != nullptr && wildcard_principal(*s)) {
                    add(AccessClass::own_by_wildcard, r, e);
                    break;
                  }
                }
              }
              break;
            case iam::RequestPrincipal::Kind::service:
              if (allowed) classify_service(r, e);
              break;
          }
          const bool caller = r.principal.kind != iam::RequestPrincipal::Kind::service;
          if (reachable && caller) {
            const std::string tls = single(r, "aws:SecureTransport");
            if (tls.empty() || tls == "false") {
              iam::Request http = r;
              http.set("aws:SecureTransport", "false");
              add(AccessClass::plain_http, http, e);
            }
            if (r.action == "s3:PutObject") {
              const std::string sse = single(r, "s3:x-amz-server-side-encryption");
              const std::string key_id =
                  single(r, "s3:x-amz-server-side-encryption-aws-kms-key-id");
              const bool kms = sse == "aws:kms" || sse == "aws:kms:dsse";
              const bool export_key = !key_known || key_id == key_arn ||
                                      (!key_id.empty() && key_arn.ends_with("/" + key_id));
              if (!kms || !export_key) add(AccessClass::unencrypted_upload, r, e);
            }
          }
          return found_total < asked_total;
        });
    for (AccessAnswer& answer : answers) {
      answer.complete = stats.complete;
      answer.incomplete = stats.incomplete;
      answer.evaluated = stats.evaluated;
    }
  }
  return report;
}

namespace {

// A statement the request space can decide: its principals are of types it models, and it has
// no policy variable (a template's ${name} reads as one, and a variable without a value in the
// request matches nothing, so "never applies" would be a statement about the template).
bool modelled(const policy::Policy& policy, const policy::Statement& s) {
  const bool principals = std::all_of(
      s.principal.entries.begin(), s.principal.entries.end(),
      [](const policy::PrincipalEntry& e) { return e.type == "AWS" || e.type == "Service"; });
  if (!principals) return false;
  // An element with no values left is a container's list known only when Terraform runs.
  if ((s.resource.present && s.resource.items.empty()) ||
      (s.action.present && s.action.items.empty()))
    return false;
  auto variable = [](const policy::Text& t) { return policy::is_unresolved(t.value); };
  // Principal and Action take no policy variables: "${" there is a template left unresolved.
  if (std::any_of(s.principal.entries.begin(), s.principal.entries.end(),
                  [&](const policy::PrincipalEntry& e) { return variable(e.value); }) ||
      std::any_of(s.action.items.begin(), s.action.items.end(), variable))
    return false;
  auto unknown = [](const policy::Text& t) { return t.value == policy::kUnknownValue; };
  if (std::any_of(s.resource.items.begin(), s.resource.items.end(), unknown) ||
      std::any_of(s.conditions.begin(), s.conditions.end(), [&](const auto& c) {
        return std::any_of(c.values.begin(), c.values.end(), unknown);
      }))
    return false;
  if (!policy.variables_enabled()) return true;
  if (std::any_of(s.resource.items.begin(), s.resource.items.end(), variable)) return false;
  return std::none_of(s.conditions.begin(), s.conditions.end(), [&](const auto& c) {
    return std::any_of(c.values.begin(), c.values.end(), variable);
  });
}

}  // namespace

StatementAnswer verify_statements(const policy::Policy& policy, std::size_t budget) {
  // Each statement in a space of its own: whether it applies at all depends on its own literals
  // only, and whether an Allow is always overridden on its literals and the Denies' (a policy of
  // forty statements is forty small spaces, not one product of all their cells).
  StatementAnswer answer;
  // One budget for all the statements' spaces together.
  // Returns whether every request was tried: only then is "never" a proof.
  auto merge = [&](const iam::SpaceStats& stats) {
    answer.evaluated += stats.evaluated;
    budget -= std::min(budget, stats.evaluated);
    if (stats.complete) return true;
    answer.complete = false;
    for (const std::string& why : stats.incomplete) {
      if (std::find(answer.incomplete.begin(), answer.incomplete.end(), why) ==
          answer.incomplete.end())
        answer.incomplete.push_back(why);
    }
    return false;
  };
  std::vector<policy::Statement> denies;
  for (const policy::Statement& s : policy.statements) {
    if (s.effect == policy::Effect::deny) denies.push_back(s);
  }
  const std::string partition = partition_of(policy, "aws");
  // Each statement is analysed alone in the policy's frame (its Version decides whether policy
  // variables apply): one copy, its statement replaced each time.
  policy::Policy alone = policy;
  alone.statements.clear();
  for (const policy::Statement& s : policy.statements) {
    if (!modelled(policy, s)) {
      answer.not_checked.push_back(s.index);
      continue;
    }
    alone.statements = {s};
    iam::SpaceSpec spec;
    spec.policies = {&alone};
    spec.partition = partition;
    spec.budget = budget;
    set_guardduty_schema(spec);
    bool applies = false;
    bool applies_direct = false;  // to a request without aws:CalledVia
    const bool complete = merge(iam::enumerate_requests(
        spec, [&](const iam::Request& r, std::span<const iam::Evaluation> ev) {
          if (!ev.front().statements.front().applies) return true;
          applies = true;
          applies_direct = applies_direct || r.find("aws:CalledVia") == nullptr;
          return s.effect == policy::Effect::deny && !applies_direct;
        }));
    if (!complete && !(applies && (s.effect != policy::Effect::deny || applies_direct))) continue;
    if (!applies) {
      answer.findings.push_back({s.index, StatementFinding::Kind::never_applies, {}});
      continue;
    }
    if (s.effect == policy::Effect::deny && !applies_direct) {
      answer.findings.push_back({s.index, StatementFinding::Kind::deny_never_direct, {}});
      continue;
    }
    if (s.effect != policy::Effect::allow || denies.empty()) continue;
    policy::Policy with_denies = policy;
    with_denies.statements = {s};
    with_denies.statements.insert(with_denies.statements.end(), denies.begin(), denies.end());
    spec.policies = {&with_denies};
    spec.budget = budget;
    bool effective = false;
    std::set<std::size_t> denied_by;
    const bool all_tried = merge(iam::enumerate_requests(
        spec, [&](const iam::Request&, std::span<const iam::Evaluation> ev) {
          const iam::Evaluation& e = ev.front();
          if (!e.statements.front().applies) return true;
          if (e.decision != iam::Decision::explicit_deny) {
            effective = true;
            return false;
          }
          for (const std::size_t d : e.deciding) denied_by.insert(e.statements[d].index);
          return true;
        }));
    if (!effective && all_tried) {
      answer.findings.push_back({s.index,
                                 StatementFinding::Kind::allow_always_denied,
                                 {denied_by.begin(), denied_by.end()}});
    }
  }
  return answer;
}

namespace {

// The shapes of Condition block that can hold for no request although every operator parses and
// no exact-match value holds a wildcard: a key in two clauses (contradictions), a set operator
// (ForAnyValue is false on an absent key), a key the statement's callers never send (a service's
// aws:SourceAccount on a statement for IAM principals, CalledVia for a service), a key tied to
// the caller, or a service's key on another service's actions. Only these are proved in `check`;
// `verify` proves every statement.
bool may_never_hold(const policy::Statement& s) {
  bool aws = !s.principal.present || s.principal.everyone || s.principal_negated;
  bool service = s.principal.everyone || s.principal_negated;
  for (const policy::PrincipalEntry& e : s.principal.entries) {
    aws = aws || e.type == "AWS";
    service = service || e.type == "Service";
  }
  std::set<std::string> keys;
  for (const policy::ConditionClause& c : s.conditions) {
    const std::string key = to_lower(c.key.value);
    if (!keys.insert(key).second) return true;
    const auto op = iam::parse_operator(c.op.value);
    if (op && op->set != iam::SetQualifier::none) return true;
    if (key.starts_with("aws:source") && !service) return true;
    if ((key.starts_with("aws:calledvia") || key.starts_with("aws:principalorg") ||
         key.starts_with("aws:principaltag/")) &&
        !aws)
      return true;
    if (key == "aws:principalarn" || key == "aws:principalaccount" ||
        key == "aws:principalservicename" || key == "aws:principalisawsservice" ||
        key == "kms:calleraccount")
      return true;
    const std::string prefix = key.substr(0, key.find(':') + 1);
    if (prefix == "aws:") continue;
    const bool same_service =
        std::any_of(s.action.items.begin(), s.action.items.end(), [&](const policy::Text& a) {
          const std::string action = to_lower(a.value);
          return action == "*" || action.starts_with(prefix);
        });
    if (!same_service || s.action_negated) return true;
    if (key.starts_with("s3:x-amz-server-side-encryption") &&
        std::none_of(s.action.items.begin(), s.action.items.end(), [](const policy::Text& a) {
          return iam::Pattern::glob(a.value, true).matches("s3:PutObject");
        }))
      return true;
  }
  return false;
}

}  // namespace

std::vector<StatementFinding> dead_conditions(const policy::Policy& policy, std::size_t budget) {
  std::vector<StatementFinding> out;
  // Built once, and only when some statement gets this far (few do): the partition, and the
  // policy's frame each statement is analysed alone in.
  std::optional<std::string> partition;
  std::optional<policy::Policy> alone;
  for (const policy::Statement& s : policy.statements) {
    if (s.conditions.empty() || s.effect == policy::Effect::invalid || !modelled(policy, s))
      continue;
    const bool plain = std::all_of(s.conditions.begin(), s.conditions.end(), [](const auto& c) {
      const auto op = iam::parse_operator(c.op.value);
      if (!op) return false;
      const bool exact =
          op->family == iam::OperatorFamily::string && op->comparison == iam::Comparison::equals;
      return !exact || std::none_of(c.values.begin(), c.values.end(),
                                    [](const policy::Text& v) { return has_glob_char(v.value); });
    });
    if (!plain || !may_never_hold(s)) continue;
    if (!alone) {
      partition = partition_of(policy, "aws");
      alone = policy;
      alone->statements.clear();
    }
    alone->statements = {s};
    iam::SpaceSpec spec;
    spec.policies = {&*alone};
    spec.partition = *partition;
    spec.budget = budget;
    spec.cell_budget = cell_budget_for(budget);
    set_guardduty_schema(spec);
    bool reached = false;  // Principal, Action and Resource matched: the Condition decided
    bool applies = false;
    bool applies_direct = false;
    const iam::SpaceStats stats = iam::enumerate_requests(
        spec, [&](const iam::Request& r, std::span<const iam::Evaluation> ev) {
          const iam::StatementTrace& t = ev.front().statements.front();
          reached = reached || t.applies || t.element == "Condition";
          if (!t.applies) return true;
          applies = true;
          applies_direct = applies_direct || r.find("aws:CalledVia") == nullptr;
          return s.effect == policy::Effect::deny && !applies_direct;
        });
    budget -= std::min(budget, stats.evaluated);
    // A conclusion about every request needs every request tried.
    if (!stats.complete && !applies) continue;
    if (!applies && reached) {
      out.push_back({s.index, StatementFinding::Kind::never_applies, {}});
    } else if (applies && s.effect == policy::Effect::deny && !applies_direct && stats.complete) {
      out.push_back({s.index, StatementFinding::Kind::deny_never_direct, {}});
    }
  }
  return out;
}

ChangeAnswer verify_change(const policy::Policy& before, const policy::Policy& after,
                           const ExportSettings& settings, std::size_t limit) {
  ChangeAnswer answer;
  iam::SpaceSpec spec;
  spec.policies = {&before, &after};
  spec.partition = partition_of(after, settings.partition);
  if (settings.account.known()) spec.accounts.push_back(settings.account.get());
  for (const std::string& region : settings.regions)
    spec.services.push_back(guardduty_principal(region));
  set_guardduty_schema(spec);
  std::set<std::pair<iam::RequestPrincipal::Kind, std::string>> shown;
  const iam::SpaceStats stats = iam::enumerate_requests(
      spec, [&](const iam::Request& r, std::span<const iam::Evaluation> ev) {
        const iam::Decision old_decision = ev[0].decision;
        const iam::Decision new_decision = ev[1].decision;
        const bool newly_allowed =
            new_decision == iam::Decision::allow && old_decision != iam::Decision::allow;
        const bool undenied = old_decision == iam::Decision::explicit_deny &&
                              new_decision != iam::Decision::explicit_deny;
        if (!newly_allowed && !undenied) return true;
        // One witness per kind of caller and action is enough to show each loosening.
        if (!shown.emplace(r.principal.kind, r.action + (newly_allowed ? "+" : "-")).second)
          return true;
        answer.loosened.push_back({r, newly_allowed});
        return answer.loosened.size() < limit;
      });
  answer.complete = stats.complete;
  answer.incomplete = stats.incomplete;
  answer.evaluated = stats.evaluated;
  return answer;
}

}  // namespace gdl::exportcfg
