// libFuzzer harness: the export-settings reader (--config, describe-publishing-destination),
// scenario-rule files and baselines.
#include <cstdint>
#include <string>

#include "analysis/baseline.h"
#include "checks/scenario_rule.h"
#include "export/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gdl::SourceFile source("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  (void)gdl::exportcfg::read_config(source);
  gdl::RuleInfo info;
  std::vector<gdl::Diagnostic> errors;
  (void)gdl::read_scenario_rule(source, info, errors);
  std::string error;
  (void)gdl::read_baseline(source, error);
  return 0;
}
