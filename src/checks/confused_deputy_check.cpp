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
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(kind)) {
    // Each exported Region in the order given, until one lets another account's detector in (one
    // finding per document): a Region whose principal the document does not grant (an opt-in
    // Region's, left out) is GD201/GD30x's to report, and must not hide the others.
    const exportcfg::GuardDutyRequest* request = nullptr;
    iam::Evaluation e;
    for (const exportcfg::GuardDutyRequest& r : ctx.requests) {
      if (r.name != request_name) continue;
      // Only meaningful when GuardDuty's own request is allowed.
      if (doc->evaluator->evaluate(r.request, false).decision != iam::Decision::allow) continue;
      e = doc->evaluator->evaluate(from_other_account(ctx.settings, r), false);
      if (e.decision != iam::Decision::allow) continue;
      request = &r;
      break;
    }
    if (request == nullptr) continue;
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
