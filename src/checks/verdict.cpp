#include "checks/verdict.h"

#include <fmt/format.h>

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
  const bool some_regions =
      !regions_given(ctx.settings) && failure.regions.size() < ctx.settings.regions.size();
  if (rests_on_stand_in) {
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
