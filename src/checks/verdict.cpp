#include "checks/verdict.h"

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/settings_view.h"

namespace gdl::support {

namespace {

// The same request built with the other stand-ins (same place in the parallel list).
const exportcfg::GuardDutyRequest* counterpart(const SetupContext& ctx,
                                               const exportcfg::GuardDutyRequest* request) {
  const auto& list = request->with_assumed ? ctx.other_requests : ctx.other_documented_requests;
  return request->index < list.size() ? &list[request->index] : nullptr;
}

// The symbol of a container's stand-in (an account known only when deployed, checked as a
// made-up one) that the Condition clause deciding the statement of trace `t` compares with
// something else than the request carries, or empty. Where the policy holds the stand-in and the
// request a value of its own in that key (a caller identity's account against an account the
// other policy writes), the real value may match, so a denial decided there rests on the
// stand-in. Where the request carries the same stand-in (a template's ${AWS::AccountId} on both
// sides), the clause fails for another reason (a wildcard under StringEquals): not the
// stand-in's doing. (Only conditions: a root principal of the stand-in account cannot let
// GuardDuty in, whatever the account.)
std::string stand_in_deciding(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                              const iam::StatementTrace& t, const iam::Request& request) {
  if (t.element != "Condition") return {};
  for (const policy::ConditionClause& c : statement_at(doc, t.index).conditions) {
    if (c.op.span.begin != t.span.begin) continue;
    const iam::ContextValue* sent = request.find(c.key.value);
    for (const policy::Text& v : c.values) {
      for (const auto& stand_in : ctx.stand_ins) {
        const std::string& value = stand_in.first;  // not a binding: clang 14 cannot capture one
        if (value.empty() || v.value.find(value) == std::string::npos) continue;
        const bool request_has_it =
            sent != nullptr &&
            std::any_of(sent->values.begin(), sent->values.end(), [&value](const std::string& x) {
              return x.find(value) != std::string::npos;
            });
        if (!request_has_it) return stand_in.second;
      }
    }
  }
  return {};
}

// The container stand-in the denial `e` of GuardDuty's `request` may be the doing of: the Deny
// that refused it, or an Allow that would otherwise have let it in, failed on a condition
// comparing one (stand_in_deciding). Empty when none.
std::string denial_rests_on_container_stand_in(const SetupContext& ctx,
                                               const exportcfg::PolicyDocument& doc,
                                               const iam::Evaluation& e,
                                               const iam::Request& request) {
  if (ctx.stand_ins.empty()) return {};
  for (const iam::StatementTrace& t : e.statements) {
    const bool deciding_deny =
        e.decision == iam::Decision::explicit_deny &&
        std::any_of(e.deciding.begin(), e.deciding.end(),
                    [&](std::size_t i) { return e.statements[i].index == t.index; });
    const bool failed_allow = e.decision == iam::Decision::implicit_deny &&
                              t.effect == policy::Effect::allow && !t.applies;
    if (!deciding_deny && !failed_allow) continue;
    if (std::string symbol = stand_in_deciding(ctx, doc, t, request); !symbol.empty())
      return symbol;
  }
  return {};
}

}  // namespace

void add_failure(std::vector<RegionalFailure>& failures, const exportcfg::PolicyDocument& doc,
                 iam::Evaluation evaluation, const exportcfg::GuardDutyRequest& request) {
  const std::string& action = request.request.action;
  const std::size_t at = denial_location(doc, evaluation, action).span.begin;
  for (RegionalFailure& f : failures) {
    if (f.evaluation.decision == evaluation.decision &&
        denial_location(doc, f.evaluation, action).span.begin == at) {
      f.regions.push_back(request.region);
      f.region_requests.push_back(&request);
      return;
    }
  }
  failures.push_back({{request.region}, std::move(evaluation), &request, {&request}});
}

FailureVerdict judge_failure(const SetupContext& ctx, const RegionalFailure& failure,
                             bool (*fails)(const exportcfg::PolicyDocument& doc,
                                           const iam::Evaluation& evaluation),
                             const exportcfg::PolicyDocument& doc) {
  FailureVerdict verdict;
  // Rests on a stand-in: with other stand-ins the same request goes through.
  bool rests_on_stand_in = false;
  for (const exportcfg::GuardDutyRequest* r : failure.region_requests) {
    const exportcfg::GuardDutyRequest* other = counterpart(ctx, r);
    if (other != nullptr && !fails(doc, doc.evaluator->evaluate(other->request, false)))
      rests_on_stand_in = true;
  }
  // Or on a container's stand-in in the policy itself (a caller identity's account compared
  // with an account the other policy writes).
  const std::string container_stand_in =
      rests_on_stand_in ? std::string()
                        : denial_rests_on_container_stand_in(ctx, doc, failure.evaluation,
                                                             failure.request->request);
  const bool some_regions =
      !regions_given(ctx.settings) && failure.regions.size() < ctx.settings.regions.size();
  if (!container_stand_in.empty()) {
    verdict.severity = Severity::note;
    verdict.lead = fmt::format(
        "{} may fail (this rests on {}, known only when deployed and checked with a stand-in)",
        exports_from(ctx.settings, failure.regions), container_stand_in);
  } else if (rests_on_stand_in) {
    verdict.severity = Severity::note;
    verdict.lead = fmt::format(
        "{} may fail (this rests on stand-ins for {}: give them for an exact check)",
        exports_from(ctx.settings, failure.regions), fmt::join(stand_in_names(ctx.settings), ", "));
  } else if (some_regions) {
    verdict.severity = Severity::note;
    verdict.lead = fmt::format(
        "if findings from {} are exported, those exports will fail (the other Regions the policies "
        "name work; give --region for the Regions you export from)",
        fmt::join(failure.regions, ", "));
  } else {
    verdict.lead = fmt::format("{} will fail", exports_from(ctx.settings, failure.regions));
  }
  if (!regions_given(ctx.settings) &&
      ctx.settings.regions_origin.kind == exportcfg::Origin::Kind::inferred)
    verdict.notes.push_back(
        fmt::format("the Regions are inferred from {}", ctx.settings.regions_origin.detail));
  return verdict;
}

}  // namespace gdl::support
