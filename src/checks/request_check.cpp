#include "checks/request_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "checks/verdict.h"
#include "diag/rule_catalog.h"
#include "export/setup.h"
#include "util/text.h"

namespace gdl::support {

namespace {

// No Allow applies, whatever the Denies do: a Deny never grants, so a Deny that also applies
// (another rule's finding, or a statement holding a value unknown offline, whose findings are
// dropped) must not hide the missing Allow.
bool not_allowed(const exportcfg::PolicyDocument&, const iam::Evaluation& e) {
  if (e.decision != iam::Decision::explicit_deny) return e.decision == iam::Decision::implicit_deny;
  return std::none_of(e.statements.begin(), e.statements.end(), [](const iam::StatementTrace& t) {
    return t.applies && t.effect == policy::Effect::allow;
  });
}

// The evaluation as the missing-Allow rules report it: without the Denies, which are not what
// they conclude about (the closest Allow, and the Allow to add, are what the user needs).
iam::Evaluation without_denies(iam::Evaluation e) {
  if (e.decision == iam::Decision::explicit_deny) {
    e.decision = iam::Decision::implicit_deny;
    e.deciding.clear();
  }
  return e;
}

bool denied(const exportcfg::PolicyDocument&, const iam::Evaluation& e) {
  return e.decision != iam::Decision::allow;
}

// A Deny on the encryption key id that blocks the export key is GD306's finding.
bool on_key_id(const exportcfg::PolicyDocument& doc, const iam::Evaluation& e, std::size_t i) {
  return has_condition_key(statement_at(doc, e.statements[i].index), kKeyIdKey);
}

// Denied by a Deny other than one on the key id, whichever comes first in the document: the
// order of statements decides nothing in AWS's evaluation, and must not here.
bool explicitly_denied(const exportcfg::PolicyDocument& doc, const iam::Evaluation& e) {
  if (e.decision != iam::Decision::explicit_deny) return false;
  return std::any_of(e.deciding.begin(), e.deciding.end(),
                     [&](std::size_t i) { return !on_key_id(doc, e, i); });
}

// A statement's content, whatever its place, its Sid and the order of its lists (values are
// OR'ed, condition clauses AND'ed: AWS reads them in any order).
std::string content_key(const policy::Statement& s) {
  auto sorted = [](std::vector<std::string> parts) {
    std::sort(parts.begin(), parts.end());
    std::string joined;
    for (const std::string& p : parts) joined += p + '\x1f';
    return joined;
  };
  auto values = [&](const std::vector<policy::Text>& items) {
    std::vector<std::string> parts;
    for (const policy::Text& t : items) parts.push_back(t.value);
    return sorted(std::move(parts));
  };
  std::vector<std::string> principals;
  if (s.principal.everyone) principals.emplace_back("*");
  for (const policy::PrincipalEntry& p : s.principal.entries)
    principals.push_back(p.type + ':' + p.value.value);
  std::vector<std::string> conditions;
  for (const policy::ConditionClause& c : s.conditions)
    conditions.push_back(c.op.value + ':' + to_lower(c.key.value) + '=' + values(c.values));
  return fmt::format("{}{}\x1e{}{}\x1e{}{}\x1e{}", s.principal_negated ? "!" : "",
                     sorted(std::move(principals)), s.action_negated ? "!" : "",
                     values(s.action.items), s.resource_negated ? "!" : "",
                     values(s.resource.items), sorted(std::move(conditions)));
}

// How many of GuardDuty's requests to the document (every name and Region) each Deny refuses,
// by statement index.
std::map<std::size_t, std::size_t> requests_refused(const SetupContext& ctx,
                                                    const exportcfg::PolicyDocument& doc) {
  std::map<std::size_t, std::size_t> refused;
  for (const exportcfg::GuardDutyRequest& r : ctx.requests) {
    if (!addressed_to(r.request, doc.kind)) continue;
    const iam::Evaluation e = doc.evaluator->evaluate(r.request, false);
    if (e.decision != iam::Decision::explicit_deny) continue;
    for (const std::size_t i : e.deciding) ++refused[e.statements[i].index];
  }
  return refused;
}

// The evaluation as the explicit-Deny rule reports it: only the Denies it concludes about (not
// on the key id, which are GD306's finding, whose root cause the message must not repeat), the
// one refusing most of GuardDuty's requests first. The finding is placed at that Deny, so a Deny
// that blocks GetBucketLocation and PutObject alike is one finding, whichever Deny the document
// writes first (the order of statements decides nothing in AWS's evaluation).
iam::Evaluation without_key_id_denies(const exportcfg::PolicyDocument& doc, iam::Evaluation e,
                                      const std::map<std::size_t, std::size_t>& refused) {
  std::erase_if(e.deciding, [&](std::size_t i) { return on_key_id(doc, e, i); });
  auto weight = [&](std::size_t i) {
    const auto it = refused.find(e.statements[i].index);
    return it == refused.end() ? std::size_t{0} : it->second;
  };
  // Of Denies refusing as many requests, the one whose content comes first (not its place, nor
  // its Sid: a rewrite that moves or renames statements keeps the finding where it was).
  std::map<std::size_t, std::string> keys;
  for (const std::size_t i : e.deciding)
    keys.emplace(i, content_key(statement_at(doc, e.statements[i].index)));
  std::stable_sort(e.deciding.begin(), e.deciding.end(), [&](std::size_t a, std::size_t b) {
    if (weight(a) != weight(b)) return weight(a) > weight(b);
    return keys.at(a) < keys.at(b);
  });
  return e;
}

using Fails = bool (*)(const exportcfg::PolicyDocument&, const iam::Evaluation&);

// The assumed keys whose presence alone turns the documented request's outcome: "s3:x-amz-acl =
// bucket-owner-full-control (why)". All of them when no single one does.
std::vector<std::string> deciding_assumptions(const exportcfg::PolicyDocument& doc,
                                              const exportcfg::GuardDutyRequest& documented,
                                              const exportcfg::GuardDutyRequest& with_assumed,
                                              Fails fails) {
  const bool documented_fails = fails(doc, doc.evaluator->evaluate(documented.request, false));
  std::vector<std::string> deciding;
  for (std::size_t k = 0; k < with_assumed.assumed_keys.size(); ++k) {
    iam::Request one = documented.request;
    if (const iam::ContextValue* v = with_assumed.request.find(with_assumed.assumed_keys[k]))
      one.context.emplace(to_lower(with_assumed.assumed_keys[k]), *v);
    if (fails(doc, doc.evaluator->evaluate(one, false)) != documented_fails)
      deciding.push_back(with_assumed.assumption(k));
  }
  if (deciding.empty()) {
    for (std::size_t k = 0; k < with_assumed.assumed_keys.size(); ++k)
      deciding.push_back(with_assumed.assumption(k));
  }
  return deciding;
}

}  // namespace

void check_request(const SetupContext& ctx, std::string_view rule_id, documents::Kind kind,
                   std::string_view request_name, RequestFailure failure, std::string_view sid,
                   const std::string& resource, std::vector<Diagnostic>& out) {
  const Fails fails = failure == RequestFailure::not_allowed ? not_allowed
                      : failure == RequestFailure::denied    ? denied
                                                             : explicitly_denied;
  std::map<const exportcfg::PolicyDocument*, std::map<std::size_t, std::size_t>> refused;
  const auto settle = [&](const exportcfg::PolicyDocument& doc, iam::Evaluation e) {
    if (failure == RequestFailure::not_allowed) return without_denies(std::move(e));
    if (failure == RequestFailure::explicitly_denied) {
      auto [at, fresh] = refused.try_emplace(&doc);
      if (fresh) at->second = requests_refused(ctx, doc);
      return without_key_id_denies(doc, std::move(e), at->second);
    }
    return e;
  };
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(kind)) {
    std::vector<RegionalFailure> failures;
    std::vector<RegionalFailure> assumption_only;  // the outcome depends on an assumed context key
    std::vector<std::string> assumptions;          // for each assumption-only group
    for (std::size_t i = 0; i < ctx.requests.size(); ++i) {
      const exportcfg::GuardDutyRequest& with_assumed = ctx.requests[i];
      if (with_assumed.name != request_name) continue;
      const exportcfg::GuardDutyRequest& documented = ctx.documented_requests[i];
      // Decided without the reasons first (most requests are allowed); a failing request is
      // evaluated again with the reasons its finding quotes.
      iam::Evaluation e_doc = doc->evaluator->evaluate(documented.request, false);
      const bool fails_documented = fails(*doc, e_doc);
      if (fails_documented) e_doc = settle(*doc, doc->evaluator->evaluate(documented.request));
      if (with_assumed.assumed_keys.empty()) {
        if (fails_documented) add_failure(failures, *doc, std::move(e_doc), documented);
        continue;
      }
      iam::Evaluation e_assumed = doc->evaluator->evaluate(with_assumed.request, false);
      const bool fails_assumed = fails(*doc, e_assumed);
      if (fails_assumed) e_assumed = settle(*doc, doc->evaluator->evaluate(with_assumed.request));
      if (fails_documented && fails_assumed) {
        // It fails whatever GuardDuty sends: the reason shown must hold either way, so not
        // "the request has no s3:x-amz-acl key" when the request with the key fails for a
        // reason of its own (an aws:SourceArn of another Region).
        const auto names_assumed = [&](const iam::Evaluation& e, const iam::Request& r) {
          const std::string reason = to_lower(why_denied(*doc, e, r.action));
          return std::any_of(with_assumed.assumed_keys.begin(), with_assumed.assumed_keys.end(),
                             [&](std::string_view key) {
                               return reason.find(to_lower(key)) != std::string::npos;
                             });
        };
        if (names_assumed(e_doc, documented.request) &&
            !names_assumed(e_assumed, with_assumed.request)) {
          add_failure(failures, *doc, std::move(e_assumed), with_assumed);
        } else {
          add_failure(failures, *doc, std::move(e_doc), documented);
        }
      } else if (fails_documented || fails_assumed) {
        const std::size_t before = assumption_only.size();
        add_failure(assumption_only, *doc,
                    fails_documented ? std::move(e_doc) : std::move(e_assumed),
                    fails_documented ? documented : with_assumed);
        if (assumption_only.size() > before) {
          assumptions.push_back(fmt::format(
              "{}",
              fmt::join(deciding_assumptions(*doc, documented, with_assumed, fails), " or ")));
        }
      }
    }
    auto report = [&](const RegionalFailure& f, const std::string* assumption) {
      const iam::Request& r = f.request->request;
      const FailureVerdict verdict = judge_failure(ctx, f, fails, *doc);
      // Not allowed because the statement granting it has no Effect (GD103): said so, and the
      // fix writes the word rather than a second statement beside it.
      const policy::Statement* unmarked =
          assumption == nullptr && failure == RequestFailure::not_allowed &&
                  f.evaluation.decision == iam::Decision::implicit_deny
              ? allow_missing_effect(ctx, *doc, r)
              : nullptr;
      std::string message;
      const std::string target = kind == documents::Kind::key_policy && !known(ctx.settings.key_arn)
                                     ? std::string("the key")
                                     : f.request->shown_resource;
      if (assumption != nullptr) {
        // Which way the assumption decides: the failing request is the one without the assumed
        // keys (it fails unless GuardDuty sends them), or the one with them.
        const bool fails_without = f.request->assumed_keys.empty();
        message =
            fmt::format("{} fail {} GuardDuty sends {}: GuardDuty's {} on {} {} it: {}",
                        exports_from(ctx.settings, f.regions), fails_without ? "unless" : "if",
                        *assumption, r.action, target, fails_without ? "without" : "with",
                        why_denied(*doc, f.evaluation, r.action));
      } else if (unmarked != nullptr) {
        message = fmt::format(
            "{}: GuardDuty ({}) cannot call {} on {}: no statement allows it; {} would, but it "
            "has no Effect, so it applies to nothing (and AWS rejects the policy)",
            verdict.lead, r.principal.value, r.action, target,
            statement_name(*doc, unmarked->index));
      } else {
        message = fmt::format("{}: GuardDuty ({}) cannot call {} on {}: {}", verdict.lead,
                              r.principal.value, r.action, target,
                              why_denied(*doc, f.evaluation, r.action));
      }
      Diagnostic d =
          make_diagnostic(rule_id,
                          unmarked != nullptr ? make_location(*doc->source, unmarked->span)
                                              : denial_location(*doc, f.evaluation, r.action),
                          std::move(message));
      d.severity = assumption != nullptr ? Severity::note : verdict.severity;
      d.notes = verdict.notes;
      d.notes.push_back(fmt::format("simulated with aws:SourceAccount {}, aws:SourceArn {}",
                                    exportcfg::shown(ctx.settings.account, "<ACCOUNT_ID>"),
                                    detector_arn(ctx.settings, f.regions.front())));
      if (auto note = assumptions_note(ctx.settings); !note.empty())
        d.notes.push_back(std::move(note));
      if (unmarked != nullptr) {
        d.fix = add_allow_effect_fix(
            *doc, *unmarked,
            fmt::format("allow GuardDuty's {}: write \"Effect\": \"Allow\" in {}", r.action,
                        unmarked->label()));
      } else if (failure != RequestFailure::explicitly_denied && assumption == nullptr &&
                 f.evaluation.decision == iam::Decision::implicit_deny) {
        d.fix = repair_or_append_fix(ctx, *doc, f.evaluation, *f.request, sid, resource,
                                     fmt::format("allow GuardDuty's {}", r.action));
      } else if (assumption == nullptr && f.evaluation.decision == iam::Decision::explicit_deny) {
        d.fix = deny_exception_fix(ctx, *doc, f.evaluation);
      }
      out.push_back(std::move(d));
    };
    for (const RegionalFailure& f : failures) report(f, nullptr);
    for (std::size_t i = 0; i < assumption_only.size(); ++i)
      report(assumption_only[i], &assumptions[i]);
  }
}

}  // namespace gdl::support
