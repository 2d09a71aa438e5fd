#include "cli/cli.h"

#include <algorithm>
#include <array>
#include <span>

#include "cli/commands.h"

namespace gdl::cli {

namespace {
constexpr std::array<std::string_view, 6> kCommands = {"check",    "list-rules", "explain",
                                                       "simulate", "init",       "verify"};

// `gd-export-lint PATH...` is short for `gd-export-lint check PATH...`.
std::vector<std::string> with_default_command(const std::vector<std::string>& args) {
  std::vector<std::string> result = args;
  if (args.size() < 2) return result;
  const std::string& first = args[1];
  const bool is_command = std::find(kCommands.begin(), kCommands.end(), first) != kCommands.end();
  const bool top_level_flag =
      first == "--help" || first == "-h" || first == "--version" || first == "-V";
  if (!is_command && !top_level_flag) result.insert(result.begin() + 1, "check");
  return result;
}
}  // namespace

int run_cli(const std::vector<std::string>& raw_args, std::istream& in, std::ostream& out,
            std::ostream& err, bool stdout_is_tty) {
  CLI::App app{
      "gd-export-lint: checks the KMS key policy and S3 bucket policy that GuardDuty findings "
      "export needs",
      "gd-export-lint"};
  app.set_version_flag("-V,--version", std::string("gd-export-lint ") + GDL_VERSION);
  app.require_subcommand(1);

  // Only the command being run is registered, with its options: CLI11 spends tens of thousands
  // of instructions on each command and option, and registering every command's was a fifth of
  // checking one small file. A line whose first word is not a command (top-level help, an
  // unknown command, no command) gets every command with all its options, so help lists them
  // and `--help check` passes the help request down to check. A sibling command's name later in
  // a line is a value or an unexpected argument either way (CLI11 takes one command here).
  const std::vector<std::string> args = with_default_command(raw_args);
  const std::string_view first = args.size() > 1 ? std::string_view(args[1]) : "";
  const bool named_command =
      std::find(kCommands.begin(), kCommands.end(), first) != kCommands.end();
  const auto add = [&](const char* name, const char* description) -> CLI::App* {
    return !named_command || first == name ? app.add_subcommand(name, description) : nullptr;
  };

  CheckArgs check_args;
  CLI::App* check = add("check", "Check policy files (also: gd-export-lint PATH...)");
  if (check != nullptr) {
    // Only the options this line can name (cli/named_options.h): a superset, so CLI11 parses it
    // as with all 35.
    const NamedOptions named =
        named_command ? NamedOptions(std::span(args).subspan(2)) : NamedOptions::all();
    add_check_options(*check, check_args, named);
  }

  std::string list_format = "text";
  CLI::App* list_rules =
      add("list-rules", "List every rule with its id, name, severity and summary");
  if (list_rules != nullptr) {
    list_rules->add_option("--format", list_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
  }

  std::string explain_rule;
  CLI::App* explain = add("explain", "Explain a rule: why it matters and how to fix it");
  if (explain != nullptr)
    explain->add_option("RULE", explain_rule, "Rule id (GD001) or name (json-syntax)")->required();

  SimulateArgs simulate_args;
  CLI::App* simulate =
      add("simulate", "Evaluate a request against a policy with the IAM evaluator (JSON result)");
  if (simulate != nullptr) add_simulate_options(*simulate, simulate_args);

  VerifyArgs verify_args;
  CLI::App* verify =
      add("verify",
          "Prove who else can write, read or decrypt the findings, which statements never apply, "
          "and what a change newly grants (offline, with witness requests)");
  if (verify != nullptr) add_verify_options(*verify, verify_args);

  InitArgs init_args;
  CLI::App* init = add(
      "init", "Write a key policy and bucket policy (and the configurer's policy) for an export");
  if (init != nullptr) add_init_options(*init, init_args);

  if (raw_args.size() < 2) {  // no command at all: show what there is
    err << app.help();
    return kExitUsage;
  }
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return kExitUsage;
  }

  const auto parsed = [](const CLI::App* command) {
    return command != nullptr && command->parsed();
  };
  if (parsed(check)) {
    if (check_args.output == "-") check_args.output.clear();  // as most tools read it
    record_terraform_order(*check, check_args);
    return run_check(check_args, out, err, stdout_is_tty);
  }
  if (parsed(explain)) return run_explain(explain_rule, out, err);
  if (parsed(simulate)) return run_simulate(simulate_args, in, out, err);
  if (parsed(init)) return run_init(init_args, out, err);
  if (parsed(verify)) {
    record_terraform_order(*verify, verify_args.check);
    return run_verify(verify_args, out, err);
  }
  return run_list_rules(list_format, out);
}

}  // namespace gdl::cli
