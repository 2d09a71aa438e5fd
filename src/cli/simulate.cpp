// `gd-export-lint simulate`: evaluate one request (or a batch of policy+request pairs) with the
// IAM evaluator and print the decision with the statements that decided it.

#include "analysis/simulate.h"

#include <fmt/format.h>

#include <iostream>
#include <variant>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/report.h"
#include "source/loader.h"

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
      // One result per input line, blank ones included: a caller pairs results with its lines.
      if (line.find_first_not_of(" \t") == std::string::npos) {
        out << R"({"error":"an empty line: expected {\"policy\": {...}, \"request\": {...}}"})"
            << '\n';
        continue;
      }
      out << analysis::simulate_batch_line(line) << '\n';
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
  analysis::SimulateOutcome outcome = analysis::simulate(source, args.request_json);
  if (!outcome.policy_errors.empty()) {
    Report report;
    report.diagnostics = std::move(outcome.policy_errors);
    write_text(report, {.color = false, .quiet = true}, err);
    err << "gd-export-lint: error: the policy is not valid JSON; nothing was simulated\n";
    return kExitUsage;
  }
  if (!outcome.request_error.empty()) {
    err << fmt::format("gd-export-lint: error: --request is not valid JSON: {}\n",
                       outcome.request_error);
    return kExitUsage;
  }
  out << outcome.result << '\n';
  if (outcome.evaluated) return kExitClean;
  err << "gd-export-lint: error: nothing was simulated (the output's \"error\" says why)\n";
  return kExitUsage;
}

}  // namespace gdl::cli
