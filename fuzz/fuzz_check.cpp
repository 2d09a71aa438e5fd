// libFuzzer harness: the whole check pipeline on one document, every rule, every formatter.
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include "report/report.h"
#include "analysis/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto source = std::make_unique<gdl::SourceFile>(
      "fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  gdl::Report report;
  report.diagnostics = gdl::lint_source(*source);
  report.files_checked = 1;
  report.sources.emplace(source->path(), std::move(source));
  for (auto format : {gdl::OutputFormat::text, gdl::OutputFormat::json, gdl::OutputFormat::sarif,
                      gdl::OutputFormat::github}) {
    std::ostringstream out;
    gdl::write_report(report, format, {.color = true, .quiet = false, .verbose = true}, out);
  }
  return 0;
}
