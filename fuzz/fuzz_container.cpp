// libFuzzer harness: the container readers (CloudFormation YAML and JSON, Terraform plans and
// source, AWS CLI output) through the whole check pipeline. The first byte picks the file name,
// which decides how the rest is read.
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include "report/report.h"
#include "analysis/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char* name = data[0] == 'y' ? "fuzz.yaml" : data[0] == 't' ? "fuzz.tf" : "fuzz.json";
  auto source = std::make_unique<gdl::SourceFile>(
      name, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  gdl::Report report;
  gdl::LintResult result = gdl::lint_setup({source.get()}, {});
  report.diagnostics = std::move(result.diagnostics);
  report.notes = std::move(result.notes);
  report.files_checked = 1;
  report.sources.emplace(source->path(), std::move(source));
  for (auto format : {gdl::OutputFormat::text, gdl::OutputFormat::sarif}) {
    std::ostringstream out;
    gdl::write_report(report, format, {.color = false, .quiet = false, .verbose = true}, out);
  }
  return 0;
}
