#pragma once
// The run of `check`: the paths are scanned and grouped into export setups (setup_plan.h), the
// setups checked `jobs` at a time, and the findings merged into one report in path order, with
// the project configuration's ignores, suppressions and severities applied.

#include <ostream>
#include <string>
#include <vector>

#include "analysis/discover.h"
#include "analysis/pipeline.h"
#include "analysis/project_config.h"
#include "analysis/results.h"
#include "analysis/setup_plan.h"
#include "export/settings.h"
#include "source/loader.h"

namespace gdl::analysis {

struct CheckRequest {
  std::vector<std::string> paths;      // files, directories, "-" for standard input
  exportcfg::ExportSettings settings;  // the project's, --config and the flags, merged
  const LintOptions* options = nullptr;
  const ProjectConfig* project = nullptr;  // the project configuration, when there is one
  std::vector<std::string> include;        // scan globs (empty: the project's, or the default)
  std::vector<std::string> exclude;
  unsigned jobs = 0;                 // 0: one per core
  std::ostream* progress = nullptr;  // where a long scan shows its progress (a terminal)
  bool keep_sources = false;         // keep the text of files with findings (text format)
  bool keep_verdicts = true;         // each setup's verdict into report.setups (JSON, SARIF)
  std::size_t max_bytes = kDefaultMaxInputBytes;  // inputs larger than this are refused
  bool settings_invalid = false;  // --config was invalid: only the inputs are listed
  // Where the findings go, in path order, as soon as they are final (a streamed report); null:
  // into report.diagnostics (and report.sources).
  FindingSink* sink = nullptr;
  // One directory alone is planned as it is walked (StreamedPlan); false plans it whole, as
  // named files and several roots are (the tests compare the two).
  bool stream_plan = true;
};

// Checks what the request names; adds to `report` (which may already hold --config findings).
// Memory stays bounded with a sink: at most a window of work items runs ahead of the first
// unfinished one, and a file's findings and text are released once the sink has them.
void check(const CheckRequest& request, Report& report);

// The include and exclude globs a scan of the request's directories uses (the request's, else
// the project's, else the defaults).
ScanOptions scan_options_of(const CheckRequest& request);

// What the plan asks of a Terraform file (setup_plan.h): whether it is its module's and which
// local modules it calls, read from the file (one that cannot be read is its module's by name:
// the check of its caller says why).
TerraformFile read_module_file(const std::string& path, std::size_t max_bytes);

// The settings a run used, as the text and JSON outputs show them (stand-ins as placeholders).
std::vector<ReportSetting> describe_settings(const exportcfg::ExportSettings& settings);

// Loads `--rules DIR`: every *.json there is a scenario rule, registered for this run. On a
// problem returns false with `error` set; the rules' own problems are in `problems`.
bool load_scenario_rules(const std::string& dir, LintOptions& options, Report& problems,
                         std::string& error);

// Rules from --rules belong to one run: they leave the catalog when it ends.
class ScenarioRulesScope {
 public:
  explicit ScenarioRulesScope(const LintOptions& options) : options_(options) {}
  ~ScenarioRulesScope();
  ScenarioRulesScope(const ScenarioRulesScope&) = delete;
  ScenarioRulesScope& operator=(const ScenarioRulesScope&) = delete;

 private:
  const LintOptions& options_;
};

}  // namespace gdl::analysis
