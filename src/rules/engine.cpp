#include "rules/engine.h"

#include <algorithm>

#include "json/parser.h"

namespace gdl {

std::vector<Diagnostic> lint_source(const SourceFile& source, const LintOptions& options) {
  json::ParseResult parsed = json::parse(source);
  std::vector<Diagnostic> diagnostics = std::move(parsed.diagnostics);
  std::erase_if(diagnostics,
                [&](const Diagnostic& d) { return options.disabled_rules.contains(d.rule_id); });
  std::stable_sort(diagnostics.begin(), diagnostics.end(), diagnostic_less);
  return diagnostics;
}

}  // namespace gdl
