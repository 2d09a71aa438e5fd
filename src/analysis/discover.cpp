#include "analysis/discover.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

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

// `relative` is the path below the scanned directory, `name` its last component.
bool matches_any(const std::vector<std::string>& globs, std::string_view relative,
                 std::string_view name) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return g.find('/') == std::string::npos ? glob_match(g, name) : glob_match(g, relative);
  });
}

bool matches_any(const std::vector<std::string>& globs, const fs::path& relative) {
  return matches_any(globs, relative.generic_string(), relative.filename().string());
}

}  // namespace

bool scan_accepts(const ScanOptions& options, const std::string& path) {
  const fs::path name = fs::path(path).filename();
  return matches_any(options.include, name) && !matches_any(options.exclude, name) &&
         !matches_any(options.exclude, fs::path(path));
}

bool scan_takes_name(const ScanOptions& options, const std::string& path) {
  if (matches_any(options.include, fs::path(path).filename())) return true;
  // A glob with a '/' ("stacks/*.yaml") is matched by a scan against the path below the scanned
  // directory, which a named file does not have: any tail of its path at a '/' may be it.
  const std::string spelled = fs::path(path).generic_string();
  return std::any_of(options.include.begin(), options.include.end(), [&](const std::string& g) {
    if (g.find('/') == std::string::npos) return false;
    for (std::size_t from = 0; from < spelled.size();) {
      if (glob_match(g, std::string_view(spelled).substr(from))) return true;
      const std::size_t slash = spelled.find('/', from);
      if (slash == std::string::npos) break;
      from = slash + 1;
    }
    return false;
  });
}

bool is_dangling_link(const fs::directory_entry& entry) {
  std::error_code ec;
  return entry.is_symlink(ec) && !fs::exists(entry.path(), ec);
}

bool directory_readable(const fs::path& dir, std::string& why) {
  if (::access(dir.c_str(), R_OK | X_OK) == 0) return true;
  why = std::strerror(errno);
  return false;
}

DirectoryListing list_directory(const fs::path& root, const fs::path& dir,
                                const ScanOptions& options) {
  DirectoryListing listing;
  // A file's path below the root is the directory's and its name (lexically_relative for each
  // file was a tenth of a scan's planning).
  std::string relative = dir.lexically_relative(root).generic_string();
  if (relative == ".") relative.clear();
  if (!relative.empty()) relative += '/';
  const std::size_t prefix = relative.size();
  std::error_code list_ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, list_ec);
  for (; !list_ec && it != fs::directory_iterator(); it.increment(list_ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code entry_ec;
    if (entry.is_directory(entry_ec)) {
      if (entry.path().filename() == ".git" || entry.is_symlink(entry_ec)) continue;
      listing.directories.push_back(entry.path());
      continue;
    }
    const bool regular = entry.is_regular_file(entry_ec);
    const bool dangling = !regular && is_dangling_link(entry);
    if (!regular && !dangling) continue;
    const std::string& path = entry.path().native();
    const std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
    relative.resize(prefix);
    relative += name;
    if (!matches_any(options.include, relative, name) ||
        matches_any(options.exclude, relative, name))
      continue;
    listing.files.push_back({entry.path(), entry.is_symlink(entry_ec), dangling});
  }
  if (list_ec) listing.error = list_ec.message();
  // One directory's entries share its spelling up to their names.
  const auto by_name = [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); };
  std::sort(listing.files.begin(), listing.files.end(),
            [&](const DirectoryListing::File& a, const DirectoryListing::File& b) {
              return by_name(a.path, b.path);
            });
  std::sort(listing.directories.begin(), listing.directories.end(), by_name);
  return listing;
}

namespace {

// A directory being walked: its entries in the order a sort of the scan's whole list would give
// them, and the next one to visit.
struct Frame {
  struct Entry {
    std::string key;        // the name, with a '/' after a directory's: "a-c/x" < "a.json" < "a/y"
    std::size_t index = 0;  // in the listing's files, or its directories
    bool directory = false;
  };
  DirectoryListing listing;
  std::vector<Entry> entries;
  std::size_t next = 0;
};

}  // namespace

// The walk yields a root's files already in byte order (a directory's entries are sorted, a
// directory's name compared with the '/' that follows it in its files' paths), so the list is
// never sorted whole: sorting it held the list twice, the peak of a large scan's memory.
void walk_root(const std::string& root, const ScanOptions& options,
               const std::function<void(const DirectoryListing::File&)>& visit,
               std::vector<InputError>& errors) {
  // A directory that cannot be read is an input error, never skipped without a word (an
  // unreadable root would look empty).
  auto readable = [&errors](const fs::path& dir) {
    std::string why;
    if (directory_readable(dir, why)) return true;
    errors.push_back({dir.string(), std::move(why)});
    return false;
  };
  auto list = [&](const fs::path& dir) {
    Frame frame;
    frame.listing = list_directory(root, dir, options);
    if (!frame.listing.error.empty()) errors.push_back({dir.string(), frame.listing.error});
    for (std::size_t i = 0; i < frame.listing.files.size(); ++i)
      frame.entries.push_back({frame.listing.files[i].path.filename().string(), i, false});
    for (std::size_t i = 0; i < frame.listing.directories.size(); ++i)
      frame.entries.push_back({frame.listing.directories[i].filename().string() + '/', i, true});
    std::sort(frame.entries.begin(), frame.entries.end(),
              [](const Frame::Entry& a, const Frame::Entry& b) { return a.key < b.key; });
    return frame;
  };
  if (!readable(root)) return;
  std::vector<Frame> walk;
  walk.push_back(list(root));
  while (!walk.empty()) {
    Frame& top = walk.back();
    if (top.next == top.entries.size()) {
      walk.pop_back();
      continue;
    }
    const Frame::Entry& entry = top.entries[top.next++];
    if (!entry.directory) {
      // A link to nothing is listed as a named file's sibling is: reading it fails with its
      // message, and its directory's setup cannot be judged "exports" without it.
      visit(top.listing.files[entry.index]);
    } else if (const fs::path dir = top.listing.directories[entry.index]; readable(dir)) {
      Frame inner = list(dir);  // `top` is not used past here: the push may move it
      walk.push_back(std::move(inner));
    }
  }
}

Discovered discover(const std::vector<std::string>& paths, const ScanOptions& options) {
  Discovered found;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      found.named.push_back(path);
      continue;
    }
    walk_root(
        path, options,
        [&found](const DirectoryListing::File& file) {
          found.scanned.push_back(file.path.native());
        },
        found.errors);
  }
  return found;
}

}  // namespace gdl::analysis
