#pragma once
// Baselines: `--baseline FILE` hides the findings a baseline file records (by fingerprint) and
// reports only new ones. The file is written by report/baseline.h.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "diag/diagnostic.h"

namespace gdl {

// Reads a baseline; on a problem returns nullopt and sets `error` (with position).
std::optional<std::vector<std::string>> read_baseline(const SourceFile& source, std::string& error);

// A finding's file as a baseline names it: relative to `root`, in '/' form ("<stdin>" as is).
std::string baseline_file(const std::string& file, const std::string& root);

struct BaselineMatch {
  std::size_t entries = 0;  // findings the baseline records
  std::size_t hidden = 0;   // findings of this run it hid
  std::size_t stale = 0;    // entries that matched nothing (fixed, or written elsewhere)
};

// Hides the findings a baseline records, a run of findings at a time (a streamed report): each
// recorded fingerprint hides one finding; files are named relative to `root`, as
// --write-baseline wrote them.
class BaselineFilter {
 public:
  BaselineFilter(std::vector<std::string> fingerprints, std::string root);
  void filter(std::vector<Diagnostic>& diagnostics);
  [[nodiscard]] BaselineMatch match() const;

 private:
  std::unordered_map<std::string, std::size_t> remaining_;
  std::string root_;
  BaselineMatch match_;
};

// Removes the findings the baseline holds (each recorded fingerprint hides one finding; files
// are named relative to `root`, as --write-baseline wrote them).
BaselineMatch apply_baseline(std::vector<Diagnostic>& diagnostics,
                             std::vector<std::string> fingerprints, const std::string& root);

// The project root baselines name files from: the project configuration's directory, else the
// git work tree holding the current directory, else the current directory.
std::string project_root(const std::string& config_directory);

}  // namespace gdl
