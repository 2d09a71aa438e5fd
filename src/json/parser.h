#pragma once
// The JSON front end: RapidJSON's iterative SAX reader feeding a located tree, plus precise
// diagnostics for syntax (GD001), duplicate keys (GD002) and encoding (GD003) problems.
//
// On a syntax error the parser diagnoses the cause, proposes repairs and re-parses the repaired
// text; the repair that gets furthest is kept, so one run reports every independent defect and,
// where the repaired document parses, later stages still see a tree (marked `recovered`).

#include <optional>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "json/value.h"
#include "source/source_file.h"

namespace gdl::json {

struct ParseOptions {
  std::size_t max_syntax_errors = 10;  // stop diagnosing after this many syntax errors
  // Inputs larger than this keep only the first `max_children_when_large` elements of each
  // array and object in the tree (the rest is still parsed, counted and reported as a note): no
  // real policy or template is that large, and a hostile one must not take gigabytes.
  std::size_t large_input = 1024 * 1024;
  std::size_t max_children_when_large = 10000;
};

struct ParseResult {
  std::optional<Value> root;         // absent when the text could not be parsed, even after repair
  bool recovered = false;            // root was built from a repaired copy of the text
  std::size_t children_dropped = 0;  // elements past the cap of a large input (not in the tree)
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& source, const ParseOptions& options = {});

// GD003's error for a file saved as UTF-16 or UTF-32 (looks_wide(), util/text.h), which no
// reader of ours reads further: `requirement` says who wants UTF-8 ("policies must be UTF-8").
Diagnostic not_utf8_error(const SourceFile& source, std::string_view requirement);

}  // namespace gdl::json
