#pragma once
// The formatters: text, JSON, SARIF and GitHub annotations of a run's results. Formatters
// never judge and never parse: they only render.

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/results.h"

namespace gdl {

enum class OutputFormat { text, json, sarif, github, junit, gitlab };

struct FormatOptions {
  bool color = false;
  bool quiet = false;    // text: one line per diagnostic, no summary
  bool verbose = false;  // text: also the export settings and where each came from
};

void write_text(const Report& report, const FormatOptions& options, std::ostream& out);
void write_json(const Report& report, std::ostream& out);
void write_sarif(const Report& report, std::ostream& out);
void write_github(const Report& report, std::ostream& out);
void write_junit(const Report& report, std::ostream& out);
void write_gitlab(const Report& report, std::ostream& out);

void write_report(const Report& report, OutputFormat format, const FormatOptions& options,
                  std::ostream& out);

}  // namespace gdl
