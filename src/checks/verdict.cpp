#include "checks/verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <memory>

#include "checks/explain.h"
#include "checks/settings_view.h"
#include "export/settings.h"
#include "iam/conditions.h"
#include "iam/iam_data.h"
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
  bool free_name = false;  // a name that may be anything when deployed (SetupContext::free_names)
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
  const auto add = [&](std::string value, std::string symbol) {
    if (std::none_of(out.begin(), out.end(), [&](const Unknown& u) { return u.value == value; })) {
      const bool free =
          std::find(ctx.free_names.begin(), ctx.free_names.end(), value) != ctx.free_names.end();
      out.push_back({std::move(value), std::move(symbol), free});
    }
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

// A Region's name as AWS forms them: an area, a direction and a number ("us-east-1",
// "ap-southeast-4", "us-gov-west-1", "cn-northwest-1"); "us-est-1" is a typo, not a Region.
bool plausible_region(std::string_view value) {
  if (!exportcfg::is_region(value)) return false;
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    const std::size_t dash = value.find('-', from);
    parts.push_back(value.substr(from, dash - from));
    if (dash == std::string_view::npos) break;
    from = dash + 1;
  }
  constexpr std::string_view kAreas[] = {"us", "eu", "ap", "sa", "ca",
                                         "me", "af", "il", "mx", "cn"};
  constexpr std::string_view kDirections[] = {"east",      "west",      "north",
                                              "south",     "central",   "northeast",
                                              "northwest", "southeast", "southwest"};
  const auto in = [](const auto& list, std::string_view word) {
    return std::find(std::begin(list), std::end(list), word) != std::end(list);
  };
  if (parts.size() == 4 && (parts[1] == "gov" || parts[1].starts_with("iso")))
    parts.erase(parts.begin() + 1);
  return parts.size() == 3 && in(kAreas, parts[0]) && in(kDirections, parts[1]);
}

// A bucket's name as S3 takes it: 3 to 63 lower-case letters, digits, dots and hyphens, a letter
// or digit at each end, no two dots in a row, not an IP address, no reserved ending.
bool bucket_name(std::string_view value) {
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (value.size() < 3 || value.size() > 63 || !alnum(value.front()) || !alnum(value.back()) ||
      value.find("..") != std::string_view::npos || value.ends_with("-s3alias") ||
      value.ends_with("--ol-s3") || value.starts_with("xn--"))
    return false;
  if (!std::all_of(value.begin(), value.end(),
                   [&](char c) { return alnum(c) || c == '.' || c == '-'; }))
    return false;
  return !std::all_of(value.begin(), value.end(),
                      [](char c) { return (c >= '0' && c <= '9') || c == '.'; });  // 192.168.5.4
}

// Whether `value` can be what `u` stands for: a value of its type, told by the stand-in's shape
// (an account's 12 digits, a detector id's 32 hexadecimal digits, a Region, an ARN) or, for a
// symbol left as written, by its name; else a name (see below).
bool of_its_kind(const Unknown& u, std::string_view value) {
  const auto all_of = [](std::string_view text, auto&& ok) {
    return !text.empty() && std::all_of(text.begin(), text.end(), ok);
  };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  const auto account = [&](std::string_view t) { return t.size() == 12 && all_of(t, digit); };
  const auto detector = [&](std::string_view t) { return t.size() == 32 && all_of(t, hex); };
  const std::string_view own = u.value;
  if (own.starts_with("arn:")) return value.starts_with("arn:");
  if (own.starts_with("${")) {
    const std::string lowered = to_lower(own);
    if (lowered.find("detector") != std::string::npos) return detector(value);
    if (lowered.find("account") != std::string::npos) return account(value);
    if (lowered.find("region") != std::string::npos) return plausible_region(value);
    if (lowered.find(".arn") != std::string::npos) return value.starts_with("arn:");
  } else if (account(own)) {
    return account(value);
  } else if (detector(own)) {
    return detector(value);
  } else if (exportcfg::is_region(own)) {
    return plausible_region(value);
  }
  // A name: only one that may be anything when deployed (a variable or parameter without a
  // value), never a generated one or one with written parts, and only as S3 names buckets.
  return u.free_name && bucket_name(value);
}

// What the policy's text `written` gives each unknown where the request's `field` holds it:
// `written` spells the field's other text around them (a '*' in it ends the comparison: an
// object ARN against the policy's "bucket/*"). Each capture is a value, never a pattern.
using Captures = std::vector<std::pair<std::size_t, std::string>>;  // unknowns' index, value

bool match_slots(std::string_view field, const std::vector<Unknown>& unknowns,
                 std::string_view written, Captures& captures, std::size_t& budget) {
  // Bounded: several unknowns in one long name would otherwise be tried in every split.
  if (budget == 0) return false;
  --budget;
  if (written.starts_with('*')) {
    // The policy's wildcard takes any part of the field, the unknowns after it still captured.
    for (std::size_t taken = 0; taken <= field.size(); ++taken) {
      if (match_slots(field.substr(taken), unknowns, written.substr(1), captures, budget))
        return true;
    }
    return false;
  }
  if (field.empty()) return written.empty();
  // The unknown the field holds here, if any.
  const auto slot = std::find_if(unknowns.begin(), unknowns.end(),
                                 [&](const Unknown& u) { return field.starts_with(u.value); });
  if (slot == unknowns.end()) {
    if (written.empty() || (written.front() != field.front() && written.front() != '?'))
      return false;
    return match_slots(field.substr(1), unknowns, written.substr(1), captures, budget);
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
    if (match_slots(rest, unknowns, written.substr(end), captures, budget)) return true;
    if (fresh) captures.pop_back();
  }
  return false;
}

// The values a setup's unknowns take (index into the unknowns, value), and a document simulated
// with them: its own evaluator when its text holds none of the unknowns, else one built over a
// copy of its policy with them replaced too (a condition on the caller identity's account).
using Values = Captures;

iam::Request with_values(const iam::Request& request, const std::vector<Unknown>& unknowns,
                         const Values& values) {
  iam::Request instead = request;
  for (const auto& [u, value] : values) {
    replace_all(instead.resource, unknowns[u].value, value);
    for (auto& entry : instead.context) {
      for (std::string& v : entry.second.values) replace_all(v, unknowns[u].value, value);
    }
    // GuardDuty calls as its regional principal from an opt-in Region, as the global one from
    // the others: a Region taken for the unknown one decides which.
    if (instead.principal.kind == iam::RequestPrincipal::Kind::service &&
        exportcfg::is_guardduty_principal(instead.principal.value) &&
        exportcfg::is_region(unknowns[u].value) && exportcfg::is_region(value)) {
      instead.principal.value = data::is_opt_in_region(value)
                                    ? fmt::format("guardduty.{}.amazonaws.com", value)
                                    : std::string("guardduty.amazonaws.com");
    }
  }
  return instead;
}

// Calls `visit` with each value text of a policy's statements (principals, resources, condition
// values); `Policy` is a const or a mutable policy.
template <typename Policy, typename Visit>
void for_each_text(Policy& policy, Visit&& visit) {
  for (auto& s : policy.statements) {
    for (auto& e : s.principal.entries) visit(e.value);
    for (auto& r : s.resource.items) visit(r);
    for (auto& c : s.conditions) {
      for (auto& v : c.values) visit(v);
    }
  }
}

class Rebound {
 public:
  Rebound(const exportcfg::PolicyDocument& doc, const std::vector<Unknown>& unknowns,
          const Values& values) {
    bool holds = false;
    policy_ = doc.policy;
    for_each_text(policy_, [&](policy::Text& t) {
      for (const auto& [u, value] : values)
        holds = replace_all(t.value, unknowns[u].value, value) || holds;
    });
    if (holds) {
      // A key or bucket policy (asked_of): a resource policy, as its own evaluator was built.
      own_ = std::make_unique<iam::Evaluator>(policy_, iam::PolicyType::resource);
      evaluator_ = own_.get();
    } else {
      evaluator_ = doc.evaluator.get();
    }
  }
  Rebound(const Rebound&) = delete;
  Rebound& operator=(const Rebound&) = delete;
  ~Rebound() = default;
  [[nodiscard]] const iam::Evaluator& evaluator() const { return *evaluator_; }

 private:
  policy::Policy policy_;  // the evaluator built over it points into it: never moved
  std::unique_ptr<iam::Evaluator> own_;
  const iam::Evaluator* evaluator_ = nullptr;
};

// The setup's documents that GuardDuty's `request` is asked of: the key policies for KMS, the
// bucket policies for S3.
bool asked_of(const exportcfg::PolicyDocument& doc, const iam::Request& request) {
  if (doc.evaluator == nullptr || doc.too_large) return false;
  if (doc.kind == documents::Kind::key_policy) return request.action.starts_with("kms:");
  if (doc.kind == documents::Kind::bucket_policy) return request.action.starts_with("s3:");
  return false;
}

// Whether the policy's text holds `value` (a stand-in written into it).
bool doc_holds(const exportcfg::PolicyDocument& doc, const std::string& value) {
  bool holds = false;
  for_each_text(doc.policy, [&](const policy::Text& t) {
    holds = holds || t.value.find(value) != std::string::npos;
  });
  return holds;
}

// What each value the policy writes captures where the request carries an unknown in the same
// place (a Resource against the request's resource, a condition's values against its key's),
// each capture a candidate set of values. Where the policy writes the stand-in itself, that
// unknown is given no value of its own.
void candidates_from(const exportcfg::PolicyDocument& doc, const iam::Request& request,
                     const std::vector<Unknown>& unknowns, std::vector<Values>& out) {
  const auto offer = [&](const policy::Text& w, const std::string& field) {
    if (out.size() >= 32) return;
    Values captured;
    std::size_t budget = 4096;
    if (!match_slots(field, unknowns, w.value, captured, budget)) return;
    // Where the policy writes the stand-in itself (a name the template derives from it), that
    // unknown keeps it: no value of its own.
    std::erase_if(captured, [&](const auto& c) { return c.second == unknowns[c.first].value; });
    if (captured.empty()) return;
    std::sort(captured.begin(), captured.end());
    if (std::find(out.begin(), out.end(), captured) == out.end())
      out.push_back(std::move(captured));
  };
  // The values a request must hold to go through: an Allow's, and those a Deny spares (its
  // negated conditions': "deny unless the account is X"). A Deny's own Resources and positive
  // conditions name what a request must not be.
  for (const policy::Statement& s : doc.policy.statements) {
    const bool allow = s.effect == policy::Effect::allow;
    if (allow && !s.resource_negated) {
      for (const policy::Text& r : s.resource.items) offer(r, request.resource);
    }
    for (const policy::ConditionClause& c : s.conditions) {
      const auto op = iam::parse_operator(c.op.value);
      if (!op || op->negated == allow) continue;
      const iam::ContextValue* sent = request.find(c.key.value);
      if (sent == nullptr) continue;
      for (const policy::Text& v : c.values) {
        for (const std::string& field : sent->values) offer(v, field);
      }
    }
  }
}

// Denials that values known only when deployed decide. One deployment gives each unknown one
// value: the candidates are the sets of values the policies write where GuardDuty's failing
// requests carry unknowns, each candidate extended by the first value written for every other
// unknown, and the one under which the most of the setup's failing requests go through, and
// none of those that go through now is denied, is taken (the first in document order on a tie). A
// failure that goes through under it rests on those values; one that does not fails whatever they
// are, or under the values the rest of the setup writes. {symbol, value} for each unknown the
// request carries; empty when not.
std::vector<std::pair<std::string, std::string>> unknown_deciding(
    const SetupContext& ctx, const exportcfg::PolicyDocument& doc, const RegionalFailure& failure,
    bool (*fails)(const exportcfg::PolicyDocument& doc, const iam::Evaluation& evaluation)) {
  const exportcfg::GuardDutyRequest& failed = *failure.request;
  if (unknowns_in(ctx, failed.request).empty()) return {};
  const auto& list = failed.with_assumed ? ctx.requests : ctx.documented_requests;
  // The setup's failing requests, and every unknown they carry.
  std::vector<std::pair<const exportcfg::PolicyDocument*, const iam::Request*>> failing;
  std::vector<std::pair<const exportcfg::PolicyDocument*, const iam::Request*>> passing;
  std::vector<Unknown> unknowns;
  for (const auto& d : ctx.documents) {
    for (const exportcfg::GuardDutyRequest& r : list) {
      if (!asked_of(*d, r.request)) continue;
      if (d->evaluator->evaluate(r.request, false).decision == iam::Decision::allow) {
        passing.emplace_back(d.get(), &r.request);
        continue;
      }
      failing.emplace_back(d.get(), &r.request);
      for (Unknown& u : unknowns_in(ctx, r.request)) {
        if (std::none_of(unknowns.begin(), unknowns.end(),
                         [&](const Unknown& k) { return k.value == u.value; }))
          unknowns.push_back(std::move(u));
      }
    }
  }
  std::vector<Values> candidates;
  for (const auto& [d, r] : failing) candidates_from(*d, *r, unknowns, candidates);
  if (candidates.empty()) return {};
  Values first_of_each;
  for (const Values& c : candidates) {
    for (const auto& v : c) {
      if (std::none_of(first_of_each.begin(), first_of_each.end(),
                       [&](const auto& f) { return f.first == v.first; }))
        first_of_each.push_back(v);
    }
  }
  for (Values& c : candidates) {
    for (const auto& v : first_of_each) {
      if (std::none_of(c.begin(), c.end(), [&](const auto& x) { return x.first == v.first; }))
        c.push_back(v);
    }
    std::sort(c.begin(), c.end());
  }
  // A candidate under which a request that goes through now would be denied (a Deny scoped to
  // the name the policy writes) is no way for the setup to work: not taken.
  const Values* best = nullptr;
  std::size_t best_through = 0;
  for (const Values& c : candidates) {
    std::vector<std::pair<const exportcfg::PolicyDocument*, std::unique_ptr<Rebound>>> rebound;
    const auto allowed = [&](const exportcfg::PolicyDocument* d, const iam::Request& r) {
      auto it =
          std::find_if(rebound.begin(), rebound.end(), [d](const auto& e) { return e.first == d; });
      if (it == rebound.end()) {
        rebound.emplace_back(d, std::make_unique<Rebound>(*d, unknowns, c));
        it = std::prev(rebound.end());
      }
      return it->second->evaluator().evaluate(with_values(r, unknowns, c), false).decision ==
             iam::Decision::allow;
    };
    if (!std::all_of(passing.begin(), passing.end(),
                     [&](const auto& p) { return allowed(p.first, *p.second); }))
      continue;
    const auto through =
        static_cast<std::size_t>(std::count_if(failing.begin(), failing.end(), [&](const auto& f) {
          return allowed(f.first, *f.second);
        }));
    if (through > best_through) {
      best = &c;
      best_through = through;
    }
  }
  if (best == nullptr) return {};
  // Every Region of the failure goes through under those values (one pinned Region does not
  // excuse another).
  const Rebound rebound(doc, unknowns, *best);
  for (const exportcfg::GuardDutyRequest* r : failure.region_requests) {
    if (fails(doc, rebound.evaluator().evaluate(with_values(r->request, unknowns, *best), false)))
      return {};
  }
  std::vector<std::pair<std::string, std::string>> named;
  for (const auto& [u, value] : *best) {
    const Unknown& unknown = unknowns[u];  // not a binding: clang 14 cannot capture one
    bool carried = false;
    for_each_field(failed.request, [&](const std::string& field) {
      carried = carried || field.find(unknown.value) != std::string::npos;
    });
    if (carried || doc_holds(doc, unknown.value)) named.emplace_back(unknown.symbol, value);
  }
  return named;
}

}  // namespace

void add_failure(std::vector<RegionalFailure>& failures, const exportcfg::PolicyDocument& doc,
                 iam::Evaluation evaluation, const exportcfg::GuardDutyRequest& request) {
  const std::string& action = request.request.action;
  // One place: in a string whose bytes map to the container only as a whole (a YAML string
  // folded over lines), told apart by the place in the decoded document.
  const Location at = denial_location(doc, evaluation, action);
  for (RegionalFailure& f : failures) {
    const Location there = denial_location(doc, f.evaluation, action);
    if (f.evaluation.decision == evaluation.decision && there.span.begin == at.span.begin &&
        there.embedded == at.embedded) {
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
          : unknown_deciding(ctx, doc, failure, fails);
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
