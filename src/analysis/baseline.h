#pragma once
// Baselines: `--baseline FILE` hides the findings a baseline file records (by fingerprint) and
// reports only new ones. The file is written by report/baseline.h.

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace gdl {

// Reads a baseline; on a problem returns nullopt and sets `error` (with position).
std::optional<std::vector<std::string>> read_baseline(const SourceFile& source, std::string& error);

// Removes the findings the baseline holds (each recorded fingerprint hides one finding) and
// returns how many were hidden.
std::size_t apply_baseline(std::vector<Diagnostic>& diagnostics,
                           std::vector<std::string> fingerprints);

}  // namespace gdl
