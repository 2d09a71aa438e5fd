#pragma once
// Baseline files: `--write-baseline FILE` records the current findings by fingerprint (reading
// and applying a baseline is the analysis's: analysis/baseline.h).

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace gdl {

// The baseline file's text for these findings (JSON, one entry per finding).
// Files are named relative to `root` (the project root), as fingerprints are.
std::string baseline_json(const std::vector<Diagnostic>& diagnostics, const std::string& root);

}  // namespace gdl
