#pragma once
// How certain a failure of GuardDuty's request is: failures grouped across Regions, judged an
// error, or a note when they rest on an inferred Region or a stand-in.

#include <string>
#include <vector>

#include "checks/setup_rule.h"
#include "diag/diagnostic.h"
#include "export/setup.h"
#include "iam/evaluator.h"

namespace gdl::support {

// Failures of one kind grouped across Regions, so one diagnostic names every Region it affects.
struct RegionalFailure {
  std::vector<std::string> regions;
  iam::Evaluation evaluation;
  const exportcfg::GuardDutyRequest* request = nullptr;             // the first Region's
  std::vector<const exportcfg::GuardDutyRequest*> region_requests;  // one per Region
};
void add_failure(std::vector<RegionalFailure>& failures, const exportcfg::PolicyDocument& doc,
                 iam::Evaluation evaluation, const exportcfg::GuardDutyRequest& request);

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

}  // namespace gdl::support
