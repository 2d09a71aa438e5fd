#include "checks/scenario_rule.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <variant>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "export/setup.h"
#include "iam/request_json.h"
#include "json/parser.h"
#include "source/embedded.h"
#include "util/text.h"

namespace gdl {
namespace {

using Vars = exportcfg::TemplateVars;

std::string expand(std::string_view text, const Vars& vars) {
  return exportcfg::expand_template(text, vars);
}

// Nesting depth, computed without recursion (the file may be hostile).
std::size_t depth(const json::Value& root) {
  std::size_t deepest = 0;
  std::vector<std::pair<const json::Value*, std::size_t>> pending{{&root, 1}};
  while (!pending.empty()) {
    auto [v, d] = pending.back();
    pending.pop_back();
    deepest = std::max(deepest, d);
    if (d > 64) break;
    for (const json::Value& item : v->items) pending.emplace_back(&item, d + 1);
    for (const json::Member& m : v->members) pending.emplace_back(&m.value, d + 1);
  }
  return deepest;
}

struct Expectation {
  iam::Decision decision = iam::Decision::allow;
  bool negated = false;
};

// Whether some Allow of `policy` may name a caller of this kind (a cheap test before a
// simulation that can only matter if one does): "*", NotPrincipal or no Principal may name
// anyone; an AWS entry an AWS caller; a service entry a service. Never false for a caller an
// Allow admits.
bool may_name(const policy::Policy& policy, iam::RequestPrincipal::Kind caller) {
  return std::any_of(policy.statements.begin(), policy.statements.end(),
                     [&](const policy::Statement& s) {
                       if (s.effect == policy::Effect::deny) return false;
                       if (!s.principal.present || s.principal.everyone || s.principal_negated)
                         return true;
                       return std::any_of(s.principal.entries.begin(), s.principal.entries.end(),
                                          [&](const policy::PrincipalEntry& e) {
                                            if (has_glob_char(e.value.value)) return true;
                                            switch (caller) {
                                              case iam::RequestPrincipal::Kind::aws:
                                                return e.type != "Service";
                                              case iam::RequestPrincipal::Kind::service:
                                                return e.type != "AWS";
                                              case iam::RequestPrincipal::Kind::anonymous:
                                                return false;
                                            }
                                            return true;
                                          });
                     });
}

// A request as the rule file writes it, its strings still holding ${variables}: read once when
// the rule loads, and expanded per setup string by string (keys are never expanded).
struct RequestTemplate {
  iam::Request request;

  // Whether the expansion is still a request (the file's checks: an action and a resource).
  [[nodiscard]] std::optional<iam::Request> expand(const Vars& vars) const {
    iam::Request r = request;
    const auto in_place = [&vars](std::string& text) {
      if (text.find("${") != std::string::npos) text = exportcfg::expand_template(text, vars);
    };
    in_place(r.principal.value);
    in_place(r.action);
    in_place(r.resource);
    for (auto& [key, value] : r.context) {
      for (std::string& v : value.values) in_place(v);
    }
    if (r.action.empty() || r.resource.empty()) return std::nullopt;
    return r;
  }
};

class ScenarioRule final : public SetupRule {
 public:
  ScenarioRule(std::string id, documents::Kind kind, std::vector<RequestTemplate> requests,
               Expectation expect, std::string message)
      : kind_(kind), requests_(std::move(requests)), expect_(expect), message_(std::move(message)) {
    set_id(std::move(id));
  }

  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const std::vector<const exportcfg::PolicyDocument*> docs = ctx.of_kind(kind_);
    if (docs.empty()) return;
    const auto& s = ctx.settings;
    const std::string region = s.regions.empty() ? std::string("us-east-1") : s.regions.front();
    const std::string prefix = s.prefix.known() ? s.prefix.get() : std::string();
    const Vars vars = {{"partition", s.partition},
                       {"account", s.account.known() ? s.account.get() : ""},
                       {"otherAccount", support::other_account(s)},
                       {"region", region},
                       {"bucket", s.bucket.known() ? s.bucket.get() : ""},
                       {"prefixPath", prefix.empty() ? "" : prefix + "/"},
                       {"keyArn", s.key_arn.known() ? s.key_arn.get() : ""},
                       {"principal", exportcfg::guardduty_principal(region)},
                       {"detectorArn", support::request_detector_arn(s, region)}};
    // The requests depend on the settings only: built once for every document, and only when
    // one is simulated (most bucket policies name no caller a scenario tries).
    std::vector<std::optional<iam::Request>> requests;
    const auto request = [&](std::size_t i) -> const std::optional<iam::Request>& {
      if (requests.empty()) {
        requests.reserve(requests_.size());
        for (const RequestTemplate& t : requests_) requests.push_back(t.expand(vars));
      }
      return requests[i];
    };
    // A scenario that reports an allowed request need not simulate one no Allow may name (a
    // stranger's upload to a bucket that grants only GuardDuty and the owner's roles).
    const bool reports_allow = expect_.decision == iam::Decision::allow && expect_.negated;
    for (const exportcfg::PolicyDocument* doc : docs) {
      std::array<std::optional<bool>, 3> named;  // may_name, per kind of caller
      for (std::size_t i = 0; i < requests_.size(); ++i) {
        if (reports_allow) {
          const iam::RequestPrincipal::Kind caller = requests_[i].request.principal.kind;
          auto& may = named[static_cast<std::size_t>(caller)];
          if (!may) may = may_name(doc->policy, caller);
          if (!*may) continue;
        }
        if (!request(i)) continue;
        const iam::Request& r = *request(i);
        const iam::Evaluation e = doc->evaluator->evaluate(r, false);
        if ((e.decision == expect_.decision) != expect_.negated) continue;
        Vars message_vars = vars;
        message_vars["action"] = r.action;
        message_vars["resource"] = r.resource;
        message_vars["caller"] = r.principal.kind == iam::RequestPrincipal::Kind::anonymous
                                     ? std::string("anonymous callers")
                                     : r.principal.value;
        Location where = support::statements_start(*doc);
        message_vars["statement"] = "no statement";
        if (!e.deciding.empty()) {
          const policy::Statement& st =
              support::statement_at(*doc, e.statements[e.deciding.front()].index);
          where = make_location(*doc->source, st.principal.present ? st.principal.span : st.span);
          message_vars["statement"] = support::statement_name(*doc, st.index);
        }
        out.push_back(make_diagnostic(id(), where, expand(message_, message_vars)));
        break;  // one finding per document
      }
    }
  }

 private:
  documents::Kind kind_;
  std::vector<RequestTemplate> requests_;
  Expectation expect_;
  std::string message_;
};

class Reader {
 public:
  Reader(const SourceFile& source, std::vector<Diagnostic>& errors)
      : source_(source), errors_(errors) {}

  std::unique_ptr<SetupRule> read(RuleInfo& info) {
    auto parsed = json::parse(source_);
    if (!parsed.root || parsed.recovered) {
      for (Diagnostic& d : parsed.diagnostics) errors_.push_back(std::move(d));
      if (errors_.empty()) error(Span{0, 0}, "not a JSON object");
      return nullptr;
    }
    const json::Value& root = *parsed.root;
    if (!root.is_object()) return error(root.span, "a scenario rule is a JSON object");
    for (const char* key : {"id", "name", "severity", "summary", "why", "fix", "anchor"}) {
      const json::Member* m = root.find(key);
      if (m == nullptr || !m->value.is_string())
        return error(root.span, fmt::format("missing string \"{}\"", key));
    }
    info.id = root.find("id")->value.text;
    info.name = root.find("name")->value.text;
    const auto severity = parse_severity(root.find("severity")->value.text);
    if (!severity)
      return error(root.find("severity")->value.span, "severity must be error, warning or note");
    info.severity = *severity;
    info.summary = root.find("summary")->value.text;
    info.why = root.find("why")->value.text;
    info.fix = root.find("fix")->value.text;
    info.anchor = root.find("anchor")->value.text;
    // A scenario simulates requests: its conclusion is a setup's (or, where it asserts that
    // something is denied or allowed, it may say it needs every Deny or Allow).
    if (const json::Member* needs = root.find("needs")) {
      const auto parsed_needs =
          needs->value.is_string() ? parse_rule_needs(needs->value.text) : std::nullopt;
      if (!parsed_needs || *parsed_needs == RuleNeeds::document)
        return error(needs->value.span,
                     "\"needs\" must be setup, every-allow, every-deny or allowed");
      info.needs = *parsed_needs;
    }
    if (const json::Member* example = root.find("example");
        example != nullptr && example->value.is_object()) {
      if (const json::Member* bad = example->value.find("bad")) info.example_bad = bad->value.text;
      if (const json::Member* good = example->value.find("good"))
        info.example_good = good->value.text;
    }
    const json::Member* scenario = root.find("scenario");
    if (scenario == nullptr || !scenario->value.is_object())
      return error(root.span, "missing object \"scenario\"");
    const json::Value& sc = scenario->value;
    const json::Member* document = sc.find("document");
    if (document == nullptr || !document->value.is_string() ||
        (document->value.text != "bucket" && document->value.text != "key")) {
      return error(document ? document->value.span : sc.span,
                   "\"document\" must be \"bucket\" or \"key\"");
    }
    const json::Member* requests = sc.find("requests");
    if (requests == nullptr || !requests->value.is_array() || requests->value.items.empty()) {
      return error(requests ? requests->value.span : sc.span,
                   "\"requests\" must be a non-empty array");
    }
    std::vector<RequestTemplate> templates;
    for (const json::Value& r : requests->value.items) {
      if (depth(r) > 8) return error(r.span, "a request is nested too deeply to be a request");
      // Validate with the variables as written, so a typo is reported now, not silently skipped
      // later (an unknown field, a principal that is neither "*" nor an object).
      auto checked = iam::request_from_json(r);
      if (auto* problem = std::get_if<std::string>(&checked)) return error(r.span, *problem);
      templates.push_back({std::move(std::get<iam::Request>(checked))});
    }
    const json::Member* expect = sc.find("expect");
    Expectation expectation;
    if (expect == nullptr || !expect->value.is_string() ||
        !parse_expect(expect->value.text, expectation)) {
      return error(expect ? expect->value.span : sc.span,
                   "\"expect\" must be Allow, ExplicitDeny or ImplicitDeny, optionally preceded by "
                   "\"not \"");
    }
    const json::Member* message = sc.find("message");
    if (message == nullptr || !message->value.is_string())
      return error(sc.span, "missing string \"message\"");
    return std::make_unique<ScenarioRule>(info.id,
                                          document->value.text == "bucket"
                                              ? documents::Kind::bucket_policy
                                              : documents::Kind::key_policy,
                                          std::move(templates), expectation, message->value.text);
  }

 private:
  static bool parse_expect(std::string_view text, Expectation& e) {
    if (text.starts_with("not ")) {
      e.negated = true;
      text.remove_prefix(4);
    }
    if (text == "Allow")
      e.decision = iam::Decision::allow;
    else if (text == "ExplicitDeny")
      e.decision = iam::Decision::explicit_deny;
    else if (text == "ImplicitDeny")
      e.decision = iam::Decision::implicit_deny;
    else
      return false;
    return true;
  }

  std::unique_ptr<SetupRule> error(Span span, std::string message) {
    errors_.push_back(
        make_diagnostic("GD004", make_location(source_, span), "scenario rule: " + message));
    return nullptr;
  }

  const SourceFile& source_;
  std::vector<Diagnostic>& errors_;
};

}  // namespace

std::unique_ptr<SetupRule> read_scenario_rule(const SourceFile& source, RuleInfo& info,
                                              std::vector<Diagnostic>& errors) {
  return Reader(source, errors).read(info);
}

std::vector<std::unique_ptr<SetupRule>> builtin_scenario_rules() {
  std::vector<std::unique_ptr<SetupRule>> rules;
  for (std::string_view file : embedded::scenario_files()) {
    const SourceFile source("rules/scenarios", std::string(file));
    RuleInfo info;
    std::vector<Diagnostic> errors;
    auto rule = read_scenario_rule(source, info, errors);
    if (!rule) {
      std::cerr << "gd-export-lint: internal error: built-in scenario rule: "
                << (errors.empty() ? std::string("invalid") : errors.front().message) << '\n';
      std::abort();
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace gdl
