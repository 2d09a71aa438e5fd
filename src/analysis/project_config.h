#pragma once
// The project configuration, `.gd-export-lint.json`, found by walking up from the current
// directory (or given with --project-config): default export settings, setups (the manifest that
// pairs documents), rule enable/disable and severity overrides, per-path ignores, suppressions
// with reasons, fail-on level, include/exclude globs. Unknown keys are errors with positions.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "export/settings.h"

namespace gdl::analysis {

struct Suppression {
  std::string path;                      // glob, relative to the configuration's directory
  std::string rule;                      // id
  std::optional<std::string> statement;  // Sid, or index as decimal text
  std::string reason;
};

struct Ignore {
  std::string path;
  std::vector<std::string> rules;  // ids; empty: every rule
};

struct Setup {
  std::string name;
  std::vector<std::string> documents;  // paths relative to the configuration's directory
  exportcfg::ExportSettings settings;
};

struct ProjectConfig {
  std::filesystem::path directory;  // where the file is: paths in it are relative to this
  std::string file;
  exportcfg::ExportSettings settings;
  std::vector<std::string> disable;  // ids
  std::map<std::string, Severity> severity;
  std::optional<std::string> fail_on;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::vector<Ignore> ignores;
  std::vector<Suppression> suppressions;
  std::vector<Setup> setups;
};

struct ProjectConfigResult {
  std::optional<ProjectConfig> config;  // absent when there is no file
  std::vector<Diagnostic> diagnostics;  // GD004 problems
  std::unique_ptr<SourceFile> source;   // kept for the report's snippets
};

// `explicit_path` empty: search upwards from the current directory.
ProjectConfigResult load_project_config(const std::string& explicit_path);

// The path of `file` (as given on the command line) relative to the configuration's directory.
std::string relative_to(const ProjectConfig& config, const std::string& file);

// Applies ignores (dropped), suppressions (marked) and severity overrides.
void apply_project_rules(const ProjectConfig& config, std::vector<Diagnostic>& diagnostics);

}  // namespace gdl::analysis
