#include "checks/fixes.h"

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/settings_view.h"
#include "export/setup.h"
#include "iam/conditions.h"
#include "util/text.h"

namespace gdl::support {

std::string unique_sid(const exportcfg::PolicyDocument& doc, std::string_view wanted) {
  auto taken = [&doc](std::string_view sid) {
    return std::any_of(doc.policy.statements.begin(), doc.policy.statements.end(),
                       [sid](const policy::Statement& s) { return s.sid && s.sid->value == sid; });
  };
  std::string sid(wanted);
  for (int n = 2; taken(sid); ++n) sid = fmt::format("{}{}", wanted, n);
  return sid;
}

namespace {

std::string quoted_list(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& v : values) quoted.push_back(fmt::format("\"{}\"", v));
  if (quoted.size() == 1) return quoted.front();
  return fmt::format("[{}]", fmt::join(quoted, ", "));
}

// What a fix writing <ACCOUNT_ID> where the check assumed the key owner's account asks.
std::string account_caveat(const exportcfg::ExportSettings& settings) {
  if (!settings.account.origin.owner_guess || !settings.account.known()) return {};
  return "; <ACCOUNT_ID> is the account GuardDuty exports from, which no policy names (the key "
         "owner's was simulated: --account writes yours)";
}

// An HCL `[for x in ... : ...]` after its bracket: its elements are made by the expression,
// not written one by one (no JSON list starts so).
bool is_for_expression(std::string_view after_bracket) {
  const std::size_t at = after_bracket.find_first_not_of(" \t\r\n");
  if (at == std::string_view::npos || !after_bracket.substr(at).starts_with("for")) return false;
  const std::size_t next = at + 3;
  return next < after_bracket.size() &&
         (after_bracket[next] == ' ' || after_bracket[next] == '\t' ||
          after_bracket[next] == '\n' || after_bracket[next] == '\r');
}

}  // namespace

std::optional<Fix> append_statement_fix(const exportcfg::PolicyDocument& doc,
                                        std::string description,
                                        const std::string& statement_json) {
  // A statement without its policy: the wrap GD102 offers comes first (two insertions at
  // its end would be applied in either order).
  if (doc.policy.statements.empty() || !doc.policy.statement_present || doc.policy.bare_statement)
    return std::nullopt;
  const policy::Statement& last = doc.policy.statements.back();
  const Span at{last.span.end, last.span.end};
  // The statement's Sid is one no statement has (a wrong "DenyNonHTTPSAccess" may be there).
  std::string statement = statement_json;
  constexpr std::string_view kSid = "\"Sid\": \"";
  if (const std::size_t sid = statement.find(kSid); sid != std::string::npos) {
    const std::size_t begin = sid + kSid.size();
    const std::size_t end = statement.find('"', begin);
    if (end != std::string::npos) {
      statement.replace(begin, end - begin,
                        unique_sid(doc, std::string_view(statement).substr(begin, end - begin)));
    }
  }
  return Fix{std::move(description),
             {TextEdit{make_location(*doc.source, at), ",\n    " + statement}}};
}

std::string source_condition_json(const exportcfg::ExportSettings& settings,
                                  std::string_view indent) {
  // An account taken from who owns the key is written as a placeholder, as a stand-in is: in a
  // cross-account setup it is not GuardDuty's. One a template names and its ${AWS::AccountId}
  // was checked as is written as that symbol (its origin's).
  exportcfg::ExportSettings written = settings;
  written.account.origin.stand_in = written.account.origin.stand_in ||
                                    settings.account.origin.owner_guess ||
                                    !settings.account.origin.symbol.empty();
  std::vector<std::string> arns;
  for (const std::string& region : written.regions) {
    std::string arn = fmt::format("\"{}\"", detector_arn(written, region));
    if (std::find(arns.begin(), arns.end(), arn) == arns.end()) arns.push_back(std::move(arn));
  }
  std::string list = fmt::format("{}", fmt::join(arns, ", "));
  if (arns.size() > 1) list = "[" + list + "]";
  return fmt::format(
      "\"Condition\": {{\n{0}  \"StringEquals\": {{\n{0}    \"aws:SourceAccount\": \"{1}\",\n{0}   "
      " "
      "\"aws:SourceArn\": {2}\n{0}  }}\n{0}}}",
      indent, exportcfg::shown(written.account, "<ACCOUNT_ID>"), list);
}

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
  return Fix{"add aws:SourceAccount and aws:SourceArn conditions with your account and detector" +
                 account_caveat(settings),
             {TextEdit{make_location(*doc.source, {last, last}),
                       ",\n      " + source_condition_json(settings, "      ")}}};
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

namespace {

// Whether `statement` lists only actions GuardDuty calls on its document's service, by name
// (no wildcard, no NotAction).
bool only_guardduty_actions(const SetupContext& ctx, const policy::Statement& statement) {
  if (statement.action_negated || statement.action.items.empty()) return false;
  return std::all_of(
      statement.action.items.begin(), statement.action.items.end(), [&](const policy::Text& a) {
        return std::any_of(ctx.requests.begin(), ctx.requests.end(),
                           [&](const auto& r) { return iequals(r.request.action, a.value); });
      });
}

// Whether `span` of the document is written inside `statement` in the user's file: a value
// taken from a Terraform local or variable is written elsewhere, where an edit would change
// every use of it.
bool written_in_statement(const exportcfg::PolicyDocument& doc, const policy::Statement& statement,
                          Span span) {
  const Location at = make_location(*doc.source, span);
  const Location whole = make_location(*doc.source, statement.span);
  return at.file == whole.file && whole.span.begin <= at.span.begin &&
         at.span.end <= whole.span.end;
}

// Whether `value` is written in `statement` itself, not only implied: a Terraform statement
// without `effect` is rendered with the provider's default "Allow", placed at the block's start.
bool written_inside(const exportcfg::PolicyDocument& doc, const policy::Statement& statement,
                    Span value) {
  return written_in_statement(doc, statement, value) &&
         make_location(*doc.source, value).span.begin >
             make_location(*doc.source, statement.span).span.begin;
}

}  // namespace

std::optional<Fix> add_principal_fix(const exportcfg::PolicyDocument& doc,
                                     const policy::Statement& statement,
                                     const std::string& principal_json, std::string description) {
  if (!statement.effect_text || statement.effect_text->span.end == 0 ||
      !written_inside(doc, statement, statement.effect_text->span))
    return std::nullopt;
  const Span after{statement.effect_text->span.end, statement.effect_text->span.end};
  return Fix{std::move(description),
             {TextEdit{make_location(*doc.source, after),
                       fmt::format(", \"Principal\": {}", principal_json)}}};
}

const policy::Statement* allow_missing_effect(const SetupContext& ctx,
                                              const exportcfg::PolicyDocument& doc,
                                              const iam::Request& request) {
  for (const policy::Statement& s : doc.policy.statements) {
    if (s.effect != policy::Effect::invalid || s.effect_text) continue;
    const bool negated = std::any_of(s.conditions.begin(), s.conditions.end(), [](const auto& c) {
      const auto op = iam::parse_operator(c.op.value);
      return !op || op->negated;
    });
    if (!exportcfg::names_guardduty(s) || !only_guardduty_actions(ctx, s) || negated) continue;
    policy::Policy alone;
    alone.version = doc.policy.version;
    alone.statements.push_back(s);
    alone.statements.back().effect = policy::Effect::allow;
    const iam::Evaluator as_allow(alone, documents::evaluation_type(doc.kind));
    if (as_allow.evaluate(request, false).decision == iam::Decision::allow) return &s;
  }
  return nullptr;
}

std::optional<Fix> add_allow_effect_fix(const exportcfg::PolicyDocument& doc,
                                        const policy::Statement& statement,
                                        std::string description) {
  std::optional<Span> anchor;
  if (statement.sid && written_inside(doc, statement, statement.sid->span)) {
    anchor = statement.sid->span;
  } else if (statement.action.present && written_inside(doc, statement, statement.action.span)) {
    anchor = statement.action.span;
  }
  if (!anchor || anchor->end == 0) return std::nullopt;
  const Span after{anchor->end, anchor->end};
  return Fix{std::move(description),
             {TextEdit{make_location(*doc.source, after), ", \"Effect\": \"Allow\""}}};
}

const policy::Statement* deny_missing_principal(const exportcfg::PolicyDocument& doc,
                                                const iam::Request& request) {
  const iam::Evaluation e = doc.evaluator->evaluate(request, false);
  for (const iam::StatementTrace& t : e.statements) {
    if (t.applies || t.effect != policy::Effect::deny || t.element != "Principal") continue;
    const policy::Statement& s = statement_at(doc, t.index);
    if (!s.principal.present && !s.principal_negated) return &s;
  }
  return nullptr;
}

bool complete_deny(Diagnostic& d, const exportcfg::PolicyDocument& doc,
                   const policy::Statement& unnamed, const std::string& principal_json,
                   std::string_view principal_label) {
  std::optional<Fix> fix = add_principal_fix(
      doc, unnamed, principal_json,
      fmt::format("give {} the Principal it lacks: {}", unnamed.label(), principal_label));
  if (!fix) return false;
  d.fix = std::move(fix);
  d.location = make_location(*doc.source, unnamed.span);
  d.notes.push_back(fmt::format(
      "{} would deny it, but has no Principal: it applies to no one, and AWS rejects the policy",
      unnamed.label()));
  return true;
}

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
    const policy::Statement& s = statement_at(doc, closest->index);
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
      // A list written in place gains the element after its last one: the elements as written
      // (a Terraform reference, a template's symbol) stay as they are.
      const std::string_view text = doc.source->text();
      const Span list = s.resource.span;
      if (resource != "*" && !s.resource.items.empty() && list.begin < text.size() &&
          text[list.begin] == '[' && !is_for_expression(text.substr(list.begin + 1)) &&
          s.resource.items.back().span.begin >= list.begin &&
          s.resource.items.back().span.end < list.end) {
        const Span after{s.resource.items.back().span.end, s.resource.items.back().span.end};
        return Fix{
            std::move(description),
            {TextEdit{make_location(*doc.source, after), fmt::format(", \"{}\"", resource)}}};
      }
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
    // A statement of GuardDuty's actions only that lacks a Principal (AWS rejects it in a key or
    // bucket policy: GD102) gains GuardDuty's: a second statement beside it would leave the
    // policy rejected all the same. Not one of wider actions (an administrator's s3:* that lost
    // its Principal), which GuardDuty must not be given.
    if (closest->element == "Principal" && !s.principal.present && !s.principal_negated &&
        only_guardduty_actions(ctx, s)) {
      if (auto fix = add_principal_fix(
              doc, s, guardduty_principal_json(ctx.settings),
              fmt::format("{}: make {} GuardDuty's: add the Principal it lacks", what, s.label())))
        return fix;
    }
    // A GuardDuty statement whose condition does not match: which value is right is the
    // user's to say (the message names the condition); a second statement would be a duplicate.
    if (guardduty && closest->element == "Condition") return std::nullopt;
  }
  return append_statement_fix(
      doc, fmt::format("{}: add a statement{}", what, account_caveat(ctx.settings)),
      allow_statement_json(ctx.settings, unique_sid(doc, sid), action, resource));
}

std::optional<Fix> deny_exception_fix(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                                      const iam::Evaluation& evaluation) {
  if (evaluation.decision != iam::Decision::explicit_deny || evaluation.deciding.empty())
    return std::nullopt;
  const policy::Statement& s =
      statement_at(doc, evaluation.statements[evaluation.deciding.front()].index);
  constexpr std::string_view kOperator = "StringNotEqualsIfExists";
  if (s.has_other_operator(kOperator, Span{})) return std::nullopt;
  // The guide's hardening Denies (for GuardDuty itself, or on TLS and encryption headers) are
  // meant to apply to GuardDuty's requests: sparing GuardDuty would undo them. What is wrong there
  // is a value (an inverted Bool, a key id for an ARN), which is the user's to correct.
  const bool hardening =
      exportcfg::names_guardduty(s) ||
      std::any_of(s.conditions.begin(), s.conditions.end(), [](const policy::ConditionClause& c) {
        return iequals(c.key.value, "aws:SecureTransport") ||
               iequals(c.key.value, "s3:x-amz-server-side-encryption") ||
               iequals(c.key.value, "s3:x-amz-server-side-encryption-aws-kms-key-id");
      });
  if (hardening) {
    // The one hardening value that is plainly inverted: a TLS Deny written with "true".
    if (const policy::ConditionClause* clause = inverted_https_clause(s))
      return invert_https_clause_fix(doc, s, *clause);
    return std::nullopt;
  }
  // GuardDuty's principals in the configured Regions (regional ones in opt-in Regions).
  std::vector<std::string> services;
  for (const exportcfg::GuardDutyRequest& r : ctx.requests) {
    const iam::ContextValue* name = r.request.find("aws:PrincipalServiceName");
    if (name == nullptr) continue;
    for (const std::string& v : name->values) {
      if (std::find(services.begin(), services.end(), v) == services.end()) services.push_back(v);
    }
  }
  if (services.empty()) return std::nullopt;
  const std::string value =
      services.size() == 1 ? fmt::format("\"{}\"", services.front()) : quoted_list(services);
  const std::string clause =
      fmt::format("\"{}\": {{\"aws:PrincipalServiceName\": {}}}", kOperator, value);
  const std::string description =
      fmt::format("spare GuardDuty from {}: add {} aws:PrincipalServiceName {} to its Condition",
                  s.label(), kOperator, value);
  if (s.has_condition) {
    const Span block = s.condition_span;
    // A Condition not written as a JSON object (a YAML mapping, Terraform condition blocks):
    // the fix is said in words, so that the finding still tells what to change.
    if (block.size() < 2 || doc.source->text()[block.begin] != '{') return Fix{description, {}};
    const std::string text = s.conditions.empty() ? fmt::format("\n        {}\n      ", clause)
                                                  : fmt::format("\n        {},", clause);
    return Fix{description,
               {TextEdit{make_location(*doc.source, {block.begin + 1, block.begin + 1}), text}}};
  }
  std::size_t last = 0;
  for (Span span :
       {s.sid ? s.sid->span : Span{}, s.effect_text ? s.effect_text->span : Span{},
        s.principal.present ? s.principal.span : Span{}, s.action.present ? s.action.span : Span{},
        s.resource.present ? s.resource.span : Span{}})
    last = std::max(last, span.end);
  if (last == 0) return std::nullopt;
  return Fix{description,
             {TextEdit{make_location(*doc.source, {last, last}),
                       fmt::format(",\n      \"Condition\": {{\n        {}\n      }}", clause)}}};
}

const policy::ConditionClause* inverted_https_clause(const policy::Statement& statement) {
  if (statement.effect != policy::Effect::deny) return nullptr;
  for (const policy::ConditionClause& c : statement.conditions) {
    // Bool, BoolIfExists, and either with a set qualifier (ForAnyValue:Bool "true" on this
    // single-valued key refuses the same requests); in any case, as the evaluator reads them.
    std::string_view op = c.op.value;
    for (const std::string_view qualifier : {"ForAnyValue:", "ForAllValues:"}) {
      if (istarts_with(op, qualifier)) op.remove_prefix(qualifier.size());
    }
    if (!iequals(c.key.value, "aws:SecureTransport") ||
        !(iequals(op, "Bool") || iequals(op, "BoolIfExists")) || c.values.empty())
      continue;
    if (std::all_of(c.values.begin(), c.values.end(),
                    [](const policy::Text& v) { return iequals(v.value, "true"); }))
      return &c;
  }
  return nullptr;
}

std::optional<Fix> invert_https_clause_fix(const exportcfg::PolicyDocument& doc,
                                           const policy::Statement& statement,
                                           const policy::ConditionClause& clause) {
  Fix fix{fmt::format("make {} deny the requests without TLS: aws:SecureTransport \"false\", "
                      "not \"true\"",
                      statement.label()),
          {}};
  const std::string_view text = doc.source->text();
  for (const policy::Text& value : clause.values) {
    // The value as the document writes it: a JSON string, or a boolean (a YAML template's).
    const Span span = value.span;
    if (span.end > text.size() || span.begin >= span.end) return std::nullopt;
    const std::string_view written = text.substr(span.begin, span.size());
    // "true", 'true' (YAML) or true: a quoted one becomes "false", valid in JSON, YAML and HCL.
    const bool quoted = written.size() == 6 &&
                        (written.front() == '"' || written.front() == '\'') &&
                        written.back() == written.front() && iequals(written.substr(1, 4), "true");
    if (!quoted && !iequals(written, "true")) return std::nullopt;
    // A value written elsewhere (a Terraform local other statements use) is the user's to change.
    if (!written_in_statement(doc, statement, span)) {
      fix.edits.clear();
      return fix;
    }
    fix.edits.push_back(TextEdit{make_location(*doc.source, span), quoted ? "\"false\"" : "false"});
  }
  return fix;
}

}  // namespace gdl::support
