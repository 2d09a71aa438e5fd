#include "checks/verdict.h"

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/settings_view.h"
#include "util/text.h"

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

// A value GuardDuty's request carries that is known only when deployed: a container's stand-in
// (its made-up value; findings show its symbol) or a symbol left as written
// ("${aws_guardduty_detector.d.id}").
struct Unknown {
  std::string value;
  std::string symbol;
};

template <typename Visit>
void for_each_field(const iam::Request& request, Visit&& visit) {
  visit(request.resource);
  for (const auto& entry : request.context) {
    for (const std::string& v : entry.second.values) visit(v);
  }
}

std::vector<Unknown> unknowns_in(const SetupContext& ctx, const iam::Request& request) {
  std::vector<Unknown> out;
  const auto add = [&out](std::string value, std::string symbol) {
    if (std::none_of(out.begin(), out.end(), [&](const Unknown& u) { return u.value == value; }))
      out.push_back({std::move(value), std::move(symbol)});
  };
  for_each_field(request, [&](const std::string& field) {
    for (const auto& [value, symbol] : ctx.stand_ins) {
      if (value.size() >= 4 && field.find(value) != std::string::npos) add(value, symbol);
    }
    for (std::size_t open = field.find("${"); open != std::string::npos;
         open = field.find("${", open + 2)) {
      const std::size_t close = field.find('}', open);
      if (close == std::string::npos) break;
      const std::string symbol = field.substr(open, close + 1 - open);
      add(symbol, symbol);
    }
  });
  return out;
}

// Whether `value` can be what `u` stands for: an ARN for an ARN; for a made-up value, text of
// its kind (its classes of characters: an account's digits, a Region's or a bucket's lower-case
// letters, digits and hyphens); for a symbol, text without an ARN's separators.
bool of_its_kind(const Unknown& u, std::string_view value) {
  if (u.value.starts_with("arn:")) return value.starts_with("arn:");
  if (u.value.starts_with("${")) return value.find_first_of(":/") == std::string_view::npos;
  const auto class_of = [](char c) -> int {
    if (c >= '0' && c <= '9') return 0;
    if (c >= 'a' && c <= 'z') return 1;
    if (c >= 'A' && c <= 'Z') return 2;
    return 3 + static_cast<unsigned char>(c);  // any other character: itself
  };
  return std::all_of(value.begin(), value.end(), [&](char c) {
    return std::any_of(u.value.begin(), u.value.end(),
                       [&](char own) { return class_of(own) == class_of(c); });
  });
}

// What the policy's text `written` gives each unknown where the request's `field` holds it:
// `written` spells the field's other text around them (a '*' in it ends the comparison: an
// object ARN against the policy's "bucket/*"). Each capture is a value, never a pattern.
using Captures = std::vector<std::pair<std::size_t, std::string>>;  // unknowns' index, value

bool match_slots(std::string_view field, const std::vector<Unknown>& unknowns,
                 std::string_view written, Captures& captures) {
  if (written.starts_with('*')) return true;  // the policy's wildcard takes the rest
  if (field.empty()) return written.empty();
  // The unknown the field holds here, if any.
  const auto slot = std::find_if(unknowns.begin(), unknowns.end(),
                                 [&](const Unknown& u) { return field.starts_with(u.value); });
  if (slot == unknowns.end()) {
    if (written.empty() || written.front() != field.front()) return false;
    return match_slots(field.substr(1), unknowns, written.substr(1), captures);
  }
  const std::string_view rest = field.substr(slot->value.size());
  for (std::size_t end = 1; end <= written.size(); ++end) {
    const std::string_view value = written.substr(0, end);
    if (value.find_first_of("*?$") != std::string_view::npos) break;
    if (!of_its_kind(*slot, value)) continue;
    const auto index = static_cast<std::size_t>(slot - unknowns.begin());
    const auto earlier = std::find_if(captures.begin(), captures.end(),
                                      [&](const auto& c) { return c.first == index; });
    if (earlier != captures.end() && earlier->second != value) continue;
    const bool fresh = earlier == captures.end();
    if (fresh) captures.emplace_back(index, std::string(value));
    if (match_slots(rest, unknowns, written.substr(end), captures)) return true;
    if (fresh) captures.pop_back();
  }
  return false;
}

// A denial that values known only when deployed decide: with the values the policy itself
// writes in their place (the detector id and Region an aws:SourceArn pins, the bucket a Resource
// names), GuardDuty's request goes through. A stand-in is no fact to hold against the policy:
// the export fails unless the values deployed are those: {symbol, value} each. Empty when not.
std::vector<std::pair<std::string, std::string>> unknown_deciding(
    const SetupContext& ctx, const exportcfg::PolicyDocument& doc, const iam::Request& request,
    bool (*fails)(const exportcfg::PolicyDocument& doc, const iam::Evaluation& evaluation)) {
  const std::vector<Unknown> unknowns = unknowns_in(ctx, request);
  if (unknowns.empty()) return {};
  const auto passes_with = [&](const Captures& captures) {
    iam::Request instead = request;
    for (const auto& [u, value] : captures) {
      replace_all(instead.resource, unknowns[u].value, value);
      for (auto& entry : instead.context) {
        for (std::string& v : entry.second.values) replace_all(v, unknowns[u].value, value);
      }
    }
    return !fails(doc, doc.evaluator->evaluate(instead, false));
  };
  const auto named = [&unknowns](const Captures& captures) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [u, value] : captures) out.emplace_back(unknowns[u].symbol, value);
    return out;
  };
  Captures all;  // every value written for an unknown, the first of each: tried together last
  std::size_t tried = 0;
  // Each value the policy writes, against what the request carries in that place: a Resource
  // against the request's resource, a condition's values against its key's.
  std::vector<std::pair<const policy::Text*, const std::string*>> pairs;
  for (const policy::Statement& s : doc.policy.statements) {
    for (const policy::Text& r : s.resource.items) pairs.emplace_back(&r, &request.resource);
    for (const policy::ConditionClause& c : s.conditions) {
      const iam::ContextValue* sent = request.find(c.key.value);
      if (sent == nullptr) continue;
      for (const policy::Text& v : c.values) {
        for (const std::string& field : sent->values) pairs.emplace_back(&v, &field);
      }
    }
  }
  for (const auto& pair : pairs) {
    const policy::Text* w = pair.first;  // not a binding: clang 14 cannot capture one
    const std::string* field = pair.second;
    // The policy writing the unknown itself decides nothing about its value (the clause fails
    // for another reason).
    if (tried >= 32 || std::any_of(unknowns.begin(), unknowns.end(), [&](const Unknown& u) {
          return w->value.find(u.value) != std::string::npos;
        }))
      continue;
    Captures captures;
    if (!match_slots(*field, unknowns, w->value, captures) || captures.empty()) continue;
    ++tried;
    if (passes_with(captures)) return named(captures);
    for (auto& capture : captures) {
      if (std::none_of(all.begin(), all.end(),
                       [&](const auto& c) { return c.first == capture.first; }))
        all.push_back(std::move(capture));
    }
  }
  if (all.size() > 1 && passes_with(all)) return named(all);
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
  const std::vector<std::pair<std::string, std::string>> unknown =
      rests_on_stand_in || !container_stand_in.empty()
          ? std::vector<std::pair<std::string, std::string>>()
          : unknown_deciding(ctx, doc, failure.request->request, fails);
  const bool some_regions =
      !regions_given(ctx.settings) && failure.regions.size() < ctx.settings.regions.size();
  if (!unknown.empty()) {
    std::vector<std::string> values;
    for (const auto& [symbol, value] : unknown)
      values.push_back(fmt::format("{} is {}", symbol, value));
    verdict.severity = Severity::note;
    verdict.lead = fmt::format(
        "{} will fail unless {}, as the policy writes it (known only when deployed, checked with "
        "a stand-in)",
        exports_from(ctx.settings, failure.regions), fmt::join(values, " and "));
  } else if (!container_stand_in.empty()) {
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
