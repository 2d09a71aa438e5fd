#pragma once
// Runs every stage on one source and collects its diagnostics.

#include <set>
#include <string>
#include <vector>

#include "report/diagnostic.h"
#include "source/source_file.h"

namespace gdl {

struct LintOptions {
  std::set<std::string> disabled_rules;  // rule ids
};

std::vector<Diagnostic> lint_source(const SourceFile& source, const LintOptions& options = {});

}  // namespace gdl
