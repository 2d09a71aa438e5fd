// `gd-export-lint simulate`: evaluate one request (or a batch of policy+request pairs) with the
// IAM evaluator and print the decision with the statements that decided it.

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>
#include <variant>

#include "cli/cli.h"
#include "cli/commands.h"
#include "iam/evaluator.h"
#include "iam/request_json.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "report/report.h"
#include "source/loader.h"
#include "util/text.h"

namespace gdl::cli {

void add_simulate_options(CLI::App& command, SimulateArgs& args) {
  command.add_option("--policy", args.policy_file, "Policy file ('-' for standard input)");
  command.add_option("--request", args.request_json,
                     "The request as JSON: {\"principal\": ..., \"action\": ..., \"resource\": "
                     "..., \"context\": {...}}");
  command.add_flag("--batch", args.batch,
                   "Read {\"policy\": {...}, \"request\": {...}} JSON lines on standard input; "
                   "print one result per "
                   "line");
}

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
  auto request = iam::request_from_json(request_value);
  if (auto* error = std::get_if<std::string>(&request))
    return error_result("invalid request: " + *error);
  const iam::Evaluator evaluator(*built.policy);
  return result_json(evaluator.evaluate(std::get<iam::Request>(request)), source);
}

std::string batch_line(std::string_view line) {
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

}  // namespace

int run_simulate(const SimulateArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  if (args.batch) {
    if (!args.policy_file.empty() || !args.request_json.empty()) {
      err << "gd-export-lint: error: --batch reads policies and requests from standard input; drop "
             "--policy and "
             "--request\n";
      return kExitUsage;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      out << batch_line(line) << '\n';
    }
    out.flush();
    return kExitClean;
  }
  if (args.policy_file.empty() || args.request_json.empty()) {
    err << "gd-export-lint: error: simulate needs --policy FILE and --request JSON (or --batch)\n";
    return kExitUsage;
  }
  LoadResult loaded = load_source(args.policy_file);
  if (auto* error = std::get_if<LoadError>(&loaded)) {
    err << fmt::format("gd-export-lint: error: cannot read {}: {}\n", error->path, error->message);
    return kExitUsage;
  }
  const SourceFile& source = *std::get<std::unique_ptr<SourceFile>>(loaded);
  auto parsed = json::parse(source);
  if (!parsed.root || parsed.recovered) {
    Report report;
    report.diagnostics = std::move(parsed.diagnostics);
    write_text(report, {.color = false, .quiet = true}, err);
    err << "gd-export-lint: error: the policy is not valid JSON; nothing was simulated\n";
    return kExitUsage;
  }
  const SourceFile request_source("--request", args.request_json);
  auto request = json::parse(request_source);
  if (!request.root || request.recovered) {
    err << fmt::format("gd-export-lint: error: --request is not valid JSON: {}\n",
                       request.diagnostics.empty() ? std::string("invalid JSON")
                                                   : request.diagnostics.front().message);
    return kExitUsage;
  }
  const std::string result = evaluate(*parsed.root, *request.root, source);
  out << result << '\n';
  return result.starts_with("{\"error\"") ? kExitUsage : kExitClean;
}

}  // namespace gdl::cli
