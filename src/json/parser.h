#pragma once
// The JSON front end: RapidJSON's iterative SAX reader feeding a located tree, plus precise
// diagnostics for syntax (GD001), duplicate keys (GD002) and encoding (GD003) problems.
//
// On a syntax error the parser diagnoses the cause, proposes repairs and re-parses the repaired
// text; the repair that gets furthest is kept, so one run reports every independent defect and,
// where the repaired document parses, later stages still see a tree (marked `recovered`).

#include <optional>
#include <vector>

#include "json/value.h"
#include "report/diagnostic.h"
#include "source/source_file.h"

namespace gdl::json {

struct ParseOptions {
  std::size_t max_syntax_errors = 10;  // stop diagnosing after this many syntax errors
};

struct ParseResult {
  std::optional<Value> root;  // absent when the text could not be parsed, even after repair
  bool recovered = false;     // root was built from a repaired copy of the text
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& source, const ParseOptions& options = {});

}  // namespace gdl::json
