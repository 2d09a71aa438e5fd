#pragma once
// `verify`'s outputs: text and JSON print the whole table (every question, "nobody (proved)"
// included); SARIF carries the findings, each with its witness request in its properties.

#include <ostream>

#include "analysis/verify.h"

namespace gdl {

void write_verify_text(const analysis::VerifyRun& run, std::ostream& out);
void write_verify_json(const analysis::VerifyRun& run, std::ostream& out);
void write_verify_sarif(const analysis::VerifyRun& run, std::ostream& out);

}  // namespace gdl
