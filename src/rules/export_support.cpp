#include "rules/export_support.h"

#include <fmt/format.h>

#include <algorithm>

#include "iam/wildcard.h"
#include "diag/rule_catalog.h"
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
  const policy::Statement& s = doc.policy.statements.at(index);
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
    const iam::StatementTrace& deny = evaluation.statements[evaluation.deciding.front()];
    return fmt::format("it is denied by {}", statement_name(doc, deny.index));
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
    const bool useful = closest->element != "Effect" &&
                        (closest->element != "Principal" ||
                         exportcfg::names_guardduty(doc.policy.statements[closest->index]));
    if (useful) {
      return make_location(*doc.source, closest->span);
    }
  }
  const Span array = doc.policy.statement_present ? doc.policy.statement_span : doc.policy.span;
  return make_location(*doc.source, {array.begin, array.begin + 1});
}

std::optional<Fix> append_statement_fix(const exportcfg::PolicyDocument& doc,
                                        std::string description,
                                        const std::string& statement_json) {
  if (doc.policy.statements.empty() || !doc.policy.statement_present) return std::nullopt;
  const policy::Statement& last = doc.policy.statements.back();
  const Span at{last.span.end, last.span.end};
  return Fix{std::move(description),
             {TextEdit{make_location(*doc.source, at), ",\n    " + statement_json}}};
}

std::string detector_arn(const exportcfg::ExportSettings& settings, const std::string& region) {
  return exportcfg::shown_source_arn(settings, region);
}

std::string source_condition_json(const exportcfg::ExportSettings& settings,
                                  std::string_view indent) {
  std::vector<std::string> arns;
  for (const std::string& region : settings.regions) {
    std::string arn = fmt::format("\"{}\"", detector_arn(settings, region));
    if (std::find(arns.begin(), arns.end(), arn) == arns.end()) arns.push_back(std::move(arn));
  }
  std::string list = fmt::format("{}", fmt::join(arns, ", "));
  if (arns.size() > 1) list = "[" + list + "]";
  return fmt::format(
      "\"Condition\": {{\n{0}  \"StringEquals\": {{\n{0}    \"aws:SourceAccount\": \"{1}\",\n{0}   "
      " "
      "\"aws:SourceArn\": {2}\n{0}  }}\n{0}}}",
      indent, shown(settings.account, "<ACCOUNT_ID>"), list);
}

std::string exports_from(const exportcfg::ExportSettings& settings,
                         const std::vector<std::string>& regions) {
  // A stand-in Region is not shown as a fact.
  if (settings.regions_origin.kind == exportcfg::Origin::Kind::assumed) return "exports";
  return exports_from(regions);
}

std::string exports_from(const std::vector<std::string>& regions) {
  if (regions.empty()) return "exports";
  std::string list;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (i > 0) list += i + 1 == regions.size() ? " and " : ", ";
    list += regions[i];
  }
  return "exports from " + list;
}

}  // namespace gdl::support

namespace gdl::support {

std::string guardduty_principal_json(const exportcfg::ExportSettings& settings) {
  std::vector<std::string> names;
  for (const std::string& region : settings.regions) {
    std::string name = exportcfg::guardduty_principal(region);
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(std::move(name));
  }
  std::string list;
  for (const std::string& n : names) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", n);
  return names.size() == 1 ? fmt::format("{{\"Service\": {}}}", list)
                           : fmt::format("{{\"Service\": [{}]}}", list);
}

std::string allow_statement_json(const exportcfg::ExportSettings& settings, std::string_view sid,
                                 std::string_view action, const std::string& resource) {
  return fmt::format(
      "{{\n      \"Sid\": \"{}\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {},\n      "
      "\"Action\": \"{}\",\n"
      "      \"Resource\": \"{}\",\n      {}\n    }}",
      sid, guardduty_principal_json(settings), action, resource,
      source_condition_json(settings, "      "));
}

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

bool regions_given(const exportcfg::ExportSettings& settings) {
  return settings.regions_origin.kind == exportcfg::Origin::Kind::flag ||
         settings.regions_origin.kind == exportcfg::Origin::Kind::config;
}

namespace {
// The same request built with the other stand-ins (same place in the parallel list).
const exportcfg::GuardDutyRequest* counterpart(const SetupContext& ctx,
                                               const exportcfg::GuardDutyRequest* request) {
  const auto& list = request->with_assumed ? ctx.other_requests : ctx.other_documented_requests;
  return request->index < list.size() ? &list[request->index] : nullptr;
}
}  // namespace

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

namespace gdl::support {

const exportcfg::GuardDutyRequest* find_request(
    const std::vector<exportcfg::GuardDutyRequest>& requests, std::string_view name) {
  for (const exportcfg::GuardDutyRequest& r : requests) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::string other_account(const exportcfg::ExportSettings& settings) {
  const std::string candidate = "210987654321";
  return settings.account.known() && settings.account.get() == candidate ? "310987654321"
                                                                         : candidate;
}

iam::Request from_other_account(const exportcfg::ExportSettings& settings,
                                const exportcfg::GuardDutyRequest& r) {
  iam::Request request = r.request;
  const std::string account = other_account(settings);
  const std::string own = settings.account.known() ? settings.account.get() : std::string();
  if (!own.empty()) {
    // The object path carries the account too: AWSLogs/<account>/GuardDuty/...
    const std::string marker = "/AWSLogs/" + own + "/";
    if (const std::size_t at = request.resource.find(marker); at != std::string::npos) {
      request.resource.replace(at, marker.size(), "/AWSLogs/" + account + "/");
    }
  }
  // Another account, outside the organization the grants may name.
  request.context.erase("aws:sourceorgid");
  request.context.erase("aws:sourceorgpaths");
  request.set("aws:SourceAccount", account);
  request.set("aws:SourceArn",
              fmt::format("arn:{}:guardduty:{}:{}:detector/f00dfeedf00dfeedf00dfeedf00dfeed",
                          settings.partition, r.region, account));
  return request;
}

std::optional<Fix> add_condition_fix(const exportcfg::PolicyDocument& doc,
                                     const policy::Statement& s,
                                     const exportcfg::ExportSettings& settings) {
  if (s.has_condition) return std::nullopt;
  std::size_t last = 0;
  auto consider = [&last](bool present, Span span) {
    if (present) last = std::max(last, span.end);
  };
  consider(s.sid.has_value(), s.sid ? s.sid->span : Span{});
  consider(s.effect_text.has_value(), s.effect_text ? s.effect_text->span : Span{});
  consider(s.principal.present, s.principal.span);
  consider(s.action.present, s.action.span);
  consider(s.resource.present, s.resource.span);
  if (last == 0) return std::nullopt;
  return Fix{"add aws:SourceAccount and aws:SourceArn conditions with your account and detector",
             {TextEdit{make_location(*doc.source, {last, last}),
                       ",\n      " + source_condition_json(settings, "      ")}}};
}

const policy::Statement& statement_at(const exportcfg::PolicyDocument& doc, std::size_t index) {
  return doc.policy.statements.at(index);
}

bool given(const exportcfg::Value& value) {
  return value.known() && (value.origin.kind == exportcfg::Origin::Kind::flag ||
                           value.origin.kind == exportcfg::Origin::Kind::config);
}

bool known(const exportcfg::Value& value) {
  return value.known() && value.origin.kind != exportcfg::Origin::Kind::assumed;
}

std::string shown(const exportcfg::Value& value, std::string_view placeholder) {
  return value.known() && !value.origin.stand_in ? value.get() : std::string(placeholder);
}

std::string bucket_arn(const exportcfg::ExportSettings& settings) {
  return fmt::format("arn:{}:s3:::{}", settings.partition, shown(settings.bucket, "<BUCKET>"));
}

std::string export_objects_arn(const exportcfg::ExportSettings& settings) {
  const std::string& prefix = settings.prefix.get();
  return prefix.empty() ? bucket_arn(settings) + "/*"
                        : fmt::format("{}/{}/*", bucket_arn(settings), prefix);
}

}  // namespace gdl::support

namespace gdl::support {
bool has_condition_key(const policy::Statement& statement, std::string_view key) {
  return std::any_of(statement.conditions.begin(), statement.conditions.end(),
                     [key](const policy::ConditionClause& c) { return iequals(c.key.value, key); });
}
}  // namespace gdl::support

namespace gdl::support {
std::string assumptions_note(const exportcfg::ExportSettings& s) {
  const std::vector<std::string> names = stand_in_names(s);
  if (names.empty()) return {};
  return fmt::format(
      "simulated with stand-ins for values neither given nor found in the policies: {}; give them "
      "for an exact check",
      fmt::join(names, ", "));
}

std::vector<std::string> stand_in_names(const exportcfg::ExportSettings& s) {
  std::vector<std::string> names;
  auto check = [&names](const exportcfg::Value& v, std::string_view name) {
    if (v.known() && v.origin.stand_in) names.emplace_back(name);
  };
  if (s.regions_origin.stand_in) names.emplace_back("the Region (--region)");
  check(s.account, "the account (--account)");
  check(s.detector_id, "the detector id (--detector-id)");
  check(s.bucket, "the bucket (--bucket)");
  check(s.key_arn, "the key ARN (--key-arn)");
  return names;
}
}  // namespace gdl::support

namespace gdl::support {
Location statements_start(const exportcfg::PolicyDocument& doc) {
  const Span at = doc.policy.statement_present ? doc.policy.statement_span : doc.policy.span;
  return make_location(*doc.source, {at.begin, at.begin + 1});
}

std::string upload_deny_statement_json(const exportcfg::ExportSettings& settings,
                                       std::string_view sid, std::string_view condition_key,
                                       std::string_view value) {
  return fmt::format(
      "{{\n      \"Sid\": \"{}\",\n      \"Effect\": \"Deny\",\n      \"Principal\": {},\n      "
      "\"Action\": "
      "\"s3:PutObject\",\n      \"Resource\": \"{}\",\n      \"Condition\": {{\n        "
      "\"StringNotEquals\": {{\n"
      "          \"{}\": \"{}\"\n        }}\n      }}\n    }}",
      sid, guardduty_principal_json(settings), export_objects_arn(settings), condition_key, value);
}
}  // namespace gdl::support

namespace gdl::support {
void check_upload_denied(const SetupContext& ctx, std::string_view rule_id,
                         void (*alter)(iam::Request& request,
                                       const exportcfg::GuardDutyRequest& put,
                                       const exportcfg::ExportSettings& settings),
                         const std::string& message, std::string_view fix_description,
                         const std::string& deny_statement_json, std::vector<Diagnostic>& out) {
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
    // Every Region: a Deny that names only guardduty.amazonaws.com leaves the regional
    // principal of an opt-in Region free to upload anything.
    std::vector<std::string> unprotected;
    std::string principal;
    for (const exportcfg::GuardDutyRequest& put : ctx.documented_requests) {
      if (put.name != "PutObject") continue;
      iam::Request request = put.request;
      alter(request, put, ctx.settings);
      if (doc->evaluator->evaluate(request, false).decision == iam::Decision::explicit_deny)
        continue;
      unprotected.push_back(put.region);
      if (principal.empty()) principal = put.request.principal.value;
    }
    if (unprotected.empty()) continue;
    const bool every_region = unprotected.size() == ctx.settings.regions.size();
    Diagnostic d = make_diagnostic(
        rule_id, statements_start(*doc),
        every_region ? message
                     : fmt::format("{} (for GuardDuty in {}, which calls as {})", message,
                                   fmt::join(unprotected, ", "), principal));
    d.fix = append_statement_fix(*doc, std::string(fix_description), deny_statement_json);
    out.push_back(std::move(d));
  }
}
}  // namespace gdl::support

namespace gdl::support {

namespace {

std::string unique_sid(const exportcfg::PolicyDocument& doc, std::string_view wanted) {
  auto taken = [&doc](std::string_view sid) {
    return std::any_of(doc.policy.statements.begin(), doc.policy.statements.end(),
                       [sid](const policy::Statement& s) { return s.sid && s.sid->value == sid; });
  };
  std::string sid(wanted);
  for (int n = 2; taken(sid); ++n) sid = fmt::format("{}{}", wanted, n);
  return sid;
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& v : values) quoted.push_back(fmt::format("\"{}\"", v));
  if (quoted.size() == 1) return quoted.front();
  return fmt::format("[{}]", fmt::join(quoted, ", "));
}

}  // namespace

std::optional<Fix> repair_or_append_fix(const SetupContext& ctx,
                                        const exportcfg::PolicyDocument& doc,
                                        const iam::Evaluation& evaluation,
                                        const exportcfg::GuardDutyRequest& request,
                                        std::string_view sid, const std::string& resource,
                                        std::string_view what) {
  const std::string& action = request.request.action;
  const iam::StatementTrace* closest =
      closest_statement(doc, evaluation, policy::Effect::allow, action);
  if (closest != nullptr) {
    const policy::Statement& s = doc.policy.statements[closest->index];
    const bool guardduty = exportcfg::names_guardduty(s) && covers_action(s, action);
    if (guardduty && closest->element == "Resource" && !s.resource_negated && s.resource.present) {
      // The statement at fault is repaired: its Resource gains the export's.
      std::vector<std::string> values;
      if (resource != "*") {
        for (const policy::Text& r : s.resource.items) values.push_back(r.value);
      }
      values.push_back(resource);
      std::string description =
          resource == "*"
              ? fmt::format("{}: set the Resource of {} to \"*\" (in a key policy, this key)", what,
                            s.label())
              : fmt::format("{}: add \"{}\" to the Resource of {}", what, resource, s.label());
      return Fix{std::move(description),
                 {TextEdit{make_location(*doc.source, s.resource.span), quoted_list(values)}}};
    }
    if (guardduty && closest->element == "Principal" && s.principal.present &&
        !s.principal.everyone &&
        std::all_of(s.principal.entries.begin(), s.principal.entries.end(),
                    [](const policy::PrincipalEntry& e) { return e.type == "Service"; })) {
      std::vector<std::string> services;
      for (const policy::PrincipalEntry& e : s.principal.entries) services.push_back(e.value.value);
      services.push_back(request.request.principal.value);
      return Fix{fmt::format("{}: add {} to the Principal of {}", what,
                             request.request.principal.value, s.label()),
                 {TextEdit{make_location(*doc.source, s.principal.span),
                           fmt::format("{{\"Service\": {}}}", quoted_list(services))}}};
    }
    // A GuardDuty statement whose condition does not match: which value is right is the
    // user's to say (the message names the condition); a second statement would be a duplicate.
    if (guardduty && closest->element == "Condition") return std::nullopt;
  }
  return append_statement_fix(
      doc, fmt::format("{}: add a statement", what),
      allow_statement_json(ctx.settings, unique_sid(doc, sid), action, resource));
}

}  // namespace gdl::support
