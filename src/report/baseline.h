#pragma once
// Baselines: `--write-baseline FILE` records the current findings by fingerprint; `--baseline
// FILE` then hides the findings recorded there and reports only new ones.

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace gdl {

// The baseline file's text for these findings (JSON, one entry per finding).
std::string baseline_json(const std::vector<Diagnostic>& diagnostics);

// Reads a baseline; on a problem returns nullopt and sets `error` (with position).
std::optional<std::vector<std::string>> read_baseline(const SourceFile& source, std::string& error);

// Removes the findings the baseline holds (each recorded fingerprint hides one finding) and
// returns how many were hidden.
std::size_t apply_baseline(std::vector<Diagnostic>& diagnostics,
                           std::vector<std::string> fingerprints);

}  // namespace gdl
