#pragma once
// Directory scans: which files a `check` covers, and content recognition of policies.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/results.h"
#include "util/path_list.h"

namespace gdl::analysis {

struct ScanOptions {
  std::vector<std::string> include = {"*.json", "*.yaml", "*.yml", "*.template",
                                      "*.tf"};  // file name or relative-path globs
  std::vector<std::string> exclude;
};

struct Discovered {
  std::vector<std::string> named;  // files named on the command line
  PathList scanned;                // files found under named directories
  std::vector<InputError> errors;
};

// Walks directories depth-first, each root's files in byte order (never following directory
// symlinks, so no loops; skipping .git); keeps files whose name or path below the scanned
// directory matches an include glob and no exclude glob.
Discovered discover(const std::vector<std::string>& paths, const ScanOptions& options);

// Whether a file beside a named one would be taken by a scan of its directory: its name matches
// an include glob and no exclude glob.
bool scan_accepts(const ScanOptions& options, const std::string& path);

// Whether a scan would take a file of this name (an include glob matches it; excludes aside).
bool scan_takes_name(const ScanOptions& options, const std::string& path);

// Whether the entry is a symbolic link to nothing: a scan reports it, and a named file's setup
// lists it, so that reading it fails with a message rather than skipping it without a word.
bool is_dangling_link(const std::filesystem::directory_entry& entry);

// Glob match: '*' and '?' within one path component, '**' across components.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace gdl::analysis
