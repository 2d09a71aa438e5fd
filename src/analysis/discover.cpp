#include "analysis/discover.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace gdl::analysis {

namespace fs = std::filesystem;

bool glob_match(std::string_view pattern, std::string_view path) {
  // Iterative matcher with backtracking to the last star, as in iam::Pattern; '*' stops at '/'.
  std::size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
  bool star_crosses = false;
  while (t < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_crosses = p + 1 < pattern.size() && pattern[p + 1] == '*';
      p += star_crosses ? 2 : 1;
      if (star_crosses && p < pattern.size() && pattern[p] == '/')
        ++p;  // "**/" also matches nothing
      star_p = p;
      star_t = t;
    } else if (p < pattern.size() && (pattern[p] == '?' ? path[t] != '/' : pattern[p] == path[t])) {
      ++p;
      ++t;
    } else if (star_p != std::string_view::npos && (star_crosses || path[star_t] != '/')) {
      p = star_p;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

bool matches_any(const std::vector<std::string>& globs, const fs::path& relative) {
  const std::string rel = relative.generic_string();
  const std::string name = relative.filename().string();
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return g.find('/') == std::string::npos ? glob_match(g, name) : glob_match(g, rel);
  });
}

}  // namespace

bool scan_accepts(const ScanOptions& options, const std::string& path) {
  const fs::path name = fs::path(path).filename();
  return matches_any(options.include, name) && !matches_any(options.exclude, name) &&
         !matches_any(options.exclude, fs::path(path));
}

Discovered discover(const std::vector<std::string>& paths, const ScanOptions& options) {
  Discovered found;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      found.named.push_back(path);
      continue;
    }
    PathList files;
    // A directory that cannot be read is an input error, never skipped without a word (the
    // iterator skips it silently, and an unreadable root looks empty).
    auto readable = [&found](const std::string& dir) {
      if (::access(dir.c_str(), R_OK | X_OK) == 0) return true;
      found.errors.push_back({dir, std::strerror(errno)});
      return false;
    };
    if (!readable(path)) continue;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      found.errors.push_back({path, ec.message()});
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        found.errors.push_back({it->path().string(), ec.message()});
        break;
      }
      const fs::directory_entry& entry = *it;
      if (entry.is_directory(ec)) {
        if (entry.path().filename() == ".git") {
          it.disable_recursion_pending();
        } else if (!entry.is_symlink(ec)) {
          readable(entry.path().string());
        }
        continue;
      }
      if (!entry.is_regular_file(ec)) continue;
      const fs::path relative = entry.path().lexically_relative(path);
      if (!matches_any(options.include, relative) || matches_any(options.exclude, relative))
        continue;
      files.push_back(entry.path().native());
    }
    files.sort();
    if (found.scanned.empty()) {
      found.scanned = std::move(files);
    } else {
      found.scanned.append(files);
    }
  }
  return found;
}

}  // namespace gdl::analysis
