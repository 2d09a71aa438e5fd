#include "checks/explain.h"

#include <fmt/format.h>

#include <algorithm>

#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl::support {

namespace {

int element_rank(std::string_view element) {
  if (element == "Effect") return 0;
  if (element == "Principal" || element == "NotPrincipal") return 1;
  if (element == "Action" || element == "NotAction") return 2;
  if (element == "Resource" || element == "NotResource") return 3;
  if (element == "Condition") return 4;
  return 5;
}

}  // namespace

std::string statement_name(const exportcfg::PolicyDocument& doc, std::size_t index) {
  const policy::Statement& s = statement_at(doc, index);
  return fmt::format("{} (line {})", s.label(), make_location(*doc.source, s.span).start.line);
}

bool covers_action(const policy::Statement& s, std::string_view action) {
  const bool listed = std::any_of(
      s.action.items.begin(), s.action.items.end(),
      [&](const policy::Text& a) { return iam::Pattern::glob(a.value, true).matches(action); });
  return listed != s.action_negated;
}

const iam::StatementTrace* closest_statement(const exportcfg::PolicyDocument& doc,
                                             const iam::Evaluation& evaluation,
                                             policy::Effect effect, std::string_view action) {
  const iam::StatementTrace* best = nullptr;
  int best_score = -1;
  for (std::size_t i = 0; i < evaluation.statements.size(); ++i) {
    const iam::StatementTrace& t = evaluation.statements[i];
    if (t.effect != effect || t.applies) continue;
    const policy::Statement& s = doc.policy.statements[i];
    const int score = (covers_action(s, action) ? 20 : 0) + element_rank(t.element) * 2 +
                      (exportcfg::names_guardduty(s) ? 1 : 0);
    if (score > best_score) {
      best = &t;
      best_score = score;
    }
  }
  return best;
}

std::string why_denied(const exportcfg::PolicyDocument& doc, const iam::Evaluation& evaluation,
                       std::string_view action) {
  if (evaluation.decision == iam::Decision::explicit_deny) {
    // Every Deny that refuses it: each must change for the request to pass, and which one comes
    // first in the document decides nothing in AWS's evaluation.
    std::string denies;
    for (std::size_t n = 0; n < evaluation.deciding.size(); ++n) {
      if (n > 0) denies += n + 1 == evaluation.deciding.size() ? " and by " : ", by ";
      denies += statement_name(doc, evaluation.statements[evaluation.deciding[n]].index);
    }
    return "it is denied by " + denies;
  }
  const iam::StatementTrace* closest =
      closest_statement(doc, evaluation, policy::Effect::allow, action);
  if (closest == nullptr) return "no statement allows it";
  return fmt::format("no statement allows it; the closest, {}, does not match: {}",
                     statement_name(doc, closest->index), closest->reason);
}

Location denial_location(const exportcfg::PolicyDocument& doc, const iam::Evaluation& evaluation,
                         std::string_view action) {
  if (evaluation.decision == iam::Decision::explicit_deny) {
    const iam::StatementTrace& deny = evaluation.statements[evaluation.deciding.front()];
    return make_location(*doc.source, deny.span);
  }
  if (const iam::StatementTrace* closest =
          closest_statement(doc, evaluation, policy::Effect::allow, action)) {
    // A Principal that names someone else is not where GuardDuty's grant goes; a missing one
    // (every other element matched) is exactly what is wrong.
    const policy::Statement& s = statement_at(doc, closest->index);
    const bool useful = closest->element != "Effect" &&
                        (closest->element != "Principal" || exportcfg::names_guardduty(s) ||
                         (!s.principal.present && !s.principal_negated));
    if (useful) {
      return make_location(*doc.source, closest->span);
    }
  }
  const Span array = doc.policy.statement_present ? doc.policy.statement_span : doc.policy.span;
  return make_location(*doc.source, {array.begin, array.begin + 1});
}

const policy::Statement& statement_at(const exportcfg::PolicyDocument& doc, std::size_t index) {
  // `index` is the position in the Statement array, which counts entries the model skips (an
  // element that is not an object, an unknown value of a Terraform module).
  const auto& all = doc.policy.statements;
  const auto it = std::find_if(all.begin(), all.end(),
                               [index](const policy::Statement& s) { return s.index == index; });
  return it != all.end() ? *it : all.at(index);
}

bool has_condition_key(const policy::Statement& statement, std::string_view key) {
  return std::any_of(statement.conditions.begin(), statement.conditions.end(),
                     [key](const policy::ConditionClause& c) { return iequals(c.key.value, key); });
}

Location statements_start(const exportcfg::PolicyDocument& doc) {
  const Span at = doc.policy.statement_present ? doc.policy.statement_span : doc.policy.span;
  return make_location(*doc.source, {at.begin, at.begin + 1});
}

std::string_view typo_apart(std::string_view account, std::string_view other) {
  if (account == other) return {};
  switch (edit_distance(account, other)) {
    case 1:
      return "one edit";
    case 2:
      return "two edits";
    default:
      return {};
  }
}

}  // namespace gdl::support
