#include "checks/confused_deputy_check.h"

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "checks/probes.h"
#include "diag/rule_catalog.h"

namespace gdl::support {

void check_confused_deputy(const SetupContext& ctx, std::string_view rule_id, documents::Kind kind,
                           std::string_view request_name, std::string_view what,
                           std::vector<Diagnostic>& out) {
  const exportcfg::GuardDutyRequest* request = find_request(ctx.requests, request_name);
  if (request == nullptr) return;
  const iam::Request foreign = from_other_account(ctx.settings, *request);
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(kind)) {
    // Only meaningful when GuardDuty's own request is allowed: otherwise GD201/GD30x report it.
    if (doc->evaluator->evaluate(request->request, false).decision != iam::Decision::allow)
      continue;
    const iam::Evaluation e = doc->evaluator->evaluate(foreign, false);
    if (e.decision != iam::Decision::allow) continue;
    const policy::Statement& s = statement_at(*doc, e.statements[e.deciding.front()].index);
    Diagnostic d = make_diagnostic(
        rule_id, make_location(*doc->source, s.principal.present ? s.principal.span : s.span),
        fmt::format(
            "{} lets GuardDuty {} for any account: a {} request from another account's detector "
            "(aws:SourceAccount {}) is allowed too, so anyone's GuardDuty could {}",
            statement_name(*doc, s.index), what, request->request.action,
            other_account(ctx.settings), what));
    d.notes.push_back(
        "AWS recommends aws:SourceAccount and aws:SourceArn conditions on service-principal grants "
        "(the confused deputy problem)");
    d.fix = add_condition_fix(*doc, s, ctx.settings);
    // Every Allow that lets the other detector in is one root cause: the fix conditions each,
    // or the request is still allowed after it (a template that grants GuardDuty twice).
    std::vector<std::size_t> named = {s.index};
    for (std::size_t i = 1; i < e.deciding.size(); ++i) {
      const policy::Statement& also = statement_at(*doc, e.statements[e.deciding[i]].index);
      if (std::find(named.begin(), named.end(), also.index) != named.end()) continue;
      named.push_back(also.index);
      d.notes.push_back(fmt::format("{} lets it in too", statement_name(*doc, also.index)));
      std::optional<Fix> more = add_condition_fix(*doc, also, ctx.settings);
      if (d.fix && more) {
        for (TextEdit& edit : more->edits) {
          // Two statements written once (a Terraform local listed twice): one insertion.
          const bool again =
              std::any_of(d.fix->edits.begin(), d.fix->edits.end(), [&](const TextEdit& done) {
                return done.location.file == edit.location.file &&
                       done.location.span.begin == edit.location.span.begin &&
                       done.location.span.end == edit.location.span.end;
              });
          if (!again) d.fix->edits.push_back(std::move(edit));
        }
      } else {
        d.fix.reset();  // a fix that leaves the request allowed is no fix
      }
    }
    out.push_back(std::move(d));
  }
}

}  // namespace gdl::support
