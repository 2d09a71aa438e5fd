#pragma once
// Directory scans: which files a `check` covers, and content recognition of policies.

#include <filesystem>
#include <functional>
#include <set>
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

// One directory's entries as a scan takes them: files an include glob takes and no exclude glob
// (matched on the path below `root`; links to nothing among them), and the directories to
// descend into (never a directory symlink, so no loops, nor .git). Each list by name.
struct DirectoryListing {
  struct File {
    std::filesystem::path path;
    bool link = false;      // a symbolic link (its identity is its target's)
    bool dangling = false;  // a link to nothing
  };
  std::vector<File> files;
  std::vector<std::filesystem::path> directories;
  std::string error;  // why the listing stopped part way (empty: it did not)
};
DirectoryListing list_directory(const std::filesystem::path& root, const std::filesystem::path& dir,
                                const ScanOptions& options);

// Whether a scan may enter `dir` (read and search it); when not, `why` says so.
bool directory_readable(const std::filesystem::path& dir, std::string& why);

// One root's files in the scan's order (byte order of their paths), as discover() lists them;
// a directory that cannot be read or listed is added to `errors`, and one that cannot be entered
// also to `unreadable` when given (a second walk then need not ask again).
void walk_root(const std::string& root, const ScanOptions& options,
               const std::function<void(const DirectoryListing::File&)>& visit,
               std::vector<InputError>& errors, std::set<std::string>* unreadable = nullptr);

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
