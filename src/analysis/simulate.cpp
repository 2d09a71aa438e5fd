// `simulate`: one request (or a batch of policy+request pairs) through the IAM evaluator, the
// decision and every statement's trace as one JSON object.

#include "analysis/simulate.h"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <variant>

#include "documents/kind.h"
#include "iam/evaluator.h"
#include "iam/request_json.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "util/text.h"

namespace gdl::analysis {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
  const std::string clean = sanitize_utf8(s);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

std::string error_result(std::string_view message) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("error");
  write_string(w, message);
  w.EndObject();
  return buffer.GetString();
}

std::string_view effect_name(policy::Effect e) {
  switch (e) {
    case policy::Effect::allow:
      return "Allow";
    case policy::Effect::deny:
      return "Deny";
    case policy::Effect::invalid:
      return "invalid";
  }
  return "invalid";
}

std::string result_json(const iam::Evaluation& evaluation, const SourceFile& source) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("decision");
  write_string(w, iam::to_string(evaluation.decision));
  w.Key("decidingStatements");
  w.StartArray();
  for (std::size_t i : evaluation.deciding) w.Uint64(evaluation.statements[i].index);
  w.EndArray();
  w.Key("statements");
  w.StartArray();
  for (const iam::StatementTrace& t : evaluation.statements) {
    const Position p = source.position(t.span.begin);
    w.StartObject();
    w.Key("index");
    w.Uint64(t.index);
    w.Key("sid");
    write_string(w, t.sid);
    w.Key("effect");
    write_string(w, effect_name(t.effect));
    w.Key("applies");
    w.Bool(t.applies);
    w.Key("element");
    write_string(w, t.element);
    w.Key("reason");
    write_string(w, t.reason);
    w.Key("line");
    w.Uint(p.line);
    w.Key("column");
    w.Uint(p.column);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

// Evaluates the policy held in `policy_value` (located in `source`) for `request_value`.
std::string evaluate(const json::Value& policy_value, const json::Value& request_value,
                     const SourceFile& source) {
  auto built = policy::build_policy(policy_value, source);
  if (!built.policy) {
    return error_result(built.diagnostics.empty()
                            ? std::string("the policy is not a JSON object")
                            : "invalid policy: " + built.diagnostics.front().message);
  }
  // Nothing to evaluate is no decision: "ImplicitDeny" for a file that holds no statements (a
  // wrapper this command does not read, a Statement that is a string) answered wrongly, with
  // success.
  if (!built.policy->statement_present)
    return error_result("invalid policy: it has no \"Statement\" element");
  const json::Member* statement = policy_value.find("Statement");
  const bool empty_list = statement != nullptr && statement->value.is_array() &&
                          statement->value.items.empty();  // no statement applies: ImplicitDeny
  if (built.policy->statements.empty() && !empty_list && !built.diagnostics.empty())
    return error_result("invalid policy: " + built.diagnostics.front().message);
  auto request = iam::request_from_json(request_value);
  if (auto* error = std::get_if<std::string>(&request))
    return error_result("invalid request: " + *error);
  // As check reads it: a policy that names principals is a key or bucket policy, where a
  // statement without a Principal applies to no one.
  const iam::Evaluator evaluator(*built.policy,
                                 documents::evaluation_type(documents::detect_kind(*built.policy)));
  return result_json(evaluator.evaluate(std::get<iam::Request>(request)), source);
}

}  // namespace

std::string simulate_batch_line(std::string_view line) {
  const SourceFile source("<batch>", std::string(line));
  auto parsed = json::parse(source);
  if (!parsed.root || parsed.recovered) {
    const std::string why =
        parsed.diagnostics.empty() ? "invalid JSON" : parsed.diagnostics.front().message;
    return error_result("invalid JSON line: " + why);
  }
  if (!parsed.root->is_object())
    return error_result("each line must be an object {\"policy\": ..., \"request\": ...}");
  const json::Member* policy_member = parsed.root->find("policy");
  const json::Member* request_member = parsed.root->find("request");
  if (policy_member == nullptr || request_member == nullptr) {
    return error_result("each line needs both \"policy\" and \"request\"");
  }
  return evaluate(policy_member->value, request_member->value, source);
}

SimulateOutcome simulate(const SourceFile& policy, std::string_view request_json) {
  SimulateOutcome outcome;
  auto parsed = json::parse(policy);
  if (!parsed.root || parsed.recovered) {
    outcome.policy_errors = std::move(parsed.diagnostics);
    return outcome;
  }
  // `aws s3api get-bucket-policy` / `aws kms get-key-policy` output, as check reads it: the
  // policy is the JSON text of its "Policy" member (positions are then within that text).
  std::optional<SourceFile> inner;
  const json::Member* wrapped =
      parsed.root->is_object() && parsed.root->find("Statement") == nullptr
          ? parsed.root->find("Policy")
          : nullptr;
  if (wrapped != nullptr && wrapped->value.is_string()) {
    inner.emplace(policy.path() + " (Policy)", wrapped->value.text);
    auto unwrapped = json::parse(*inner);
    if (!unwrapped.root || unwrapped.recovered) {
      outcome.policy_errors = std::move(unwrapped.diagnostics);
      return outcome;
    }
    parsed = std::move(unwrapped);
  }
  const SourceFile& text = inner ? *inner : policy;
  const SourceFile request_source("--request", std::string(request_json));
  auto request = json::parse(request_source);
  if (!request.root || request.recovered) {
    outcome.request_error = request.diagnostics.empty() ? std::string("invalid JSON")
                                                        : request.diagnostics.front().message;
    return outcome;
  }
  outcome.result = evaluate(*parsed.root, *request.root, text);
  outcome.evaluated = !outcome.result.starts_with("{\"error\"");
  return outcome;
}

}  // namespace gdl::analysis
