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

namespace {

// A directory being walked: its entries in the order a sort of the scan's whole list would give
// them, and the next one to visit.
enum class Kind { file, directory, dangling };  // dangling: a link to nothing

struct Frame {
  struct Entry {
    std::string key;  // the name, with a '/' after a directory's: "a-c/x" < "a.json" < "a/y"
    fs::path path;
    Kind kind = Kind::file;
  };
  std::vector<Entry> entries;
  std::size_t next = 0;
};

}  // namespace

// The walk yields each root's files already in byte order (a directory's entries are sorted,
// a directory's name compared with the '/' that follows it in its files' paths), so the list is
// never sorted whole: sorting it held the list twice, the peak of a large scan's memory.
Discovered discover(const std::vector<std::string>& paths, const ScanOptions& options) {
  Discovered found;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      found.named.push_back(path);
      continue;
    }
    // A directory that cannot be read is an input error, never skipped without a word (an
    // unreadable root would look empty).
    auto readable = [&found](const fs::path& dir) {
      if (::access(dir.c_str(), R_OK | X_OK) == 0) return true;
      found.errors.push_back({dir.string(), std::strerror(errno)});
      return false;
    };
    if (!readable(path)) continue;
    PathList& files = found.scanned;
    // Lists a directory into a frame: files a glob takes, and directories to descend into
    // (never a directory symlink, so no loops, nor .git).
    auto list = [&](const fs::path& dir) {
      Frame frame;
      std::error_code list_ec;
      fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, list_ec);
      for (; !list_ec && it != fs::directory_iterator(); it.increment(list_ec)) {
        const fs::directory_entry& entry = *it;
        std::error_code entry_ec;
        std::string name = entry.path().filename().string();
        if (entry.is_directory(entry_ec)) {
          if (name == ".git" || entry.is_symlink(entry_ec)) continue;
          name += '/';
          frame.entries.push_back({std::move(name), entry.path(), Kind::directory});
          continue;
        }
        const bool regular = entry.is_regular_file(entry_ec);
        const bool dangling = !regular && is_dangling_link(entry);
        if (!regular && !dangling) continue;
        const fs::path relative = entry.path().lexically_relative(path);
        if (!matches_any(options.include, relative) || matches_any(options.exclude, relative))
          continue;
        frame.entries.push_back(
            {std::move(name), entry.path(), dangling ? Kind::dangling : Kind::file});
      }
      if (list_ec) found.errors.push_back({dir.string(), list_ec.message()});
      std::sort(frame.entries.begin(), frame.entries.end(),
                [](const Frame::Entry& a, const Frame::Entry& b) { return a.key < b.key; });
      return frame;
    };
    std::vector<Frame> walk;
    walk.push_back(list(path));
    while (!walk.empty()) {
      Frame& top = walk.back();
      if (top.next == top.entries.size()) {
        walk.pop_back();
        continue;
      }
      const Frame::Entry& entry = top.entries[top.next++];
      if (entry.kind == Kind::file || entry.kind == Kind::dangling) {
        // A link to nothing is listed as a named file's sibling is: reading it fails with its
        // message, and its directory's setup cannot be judged "exports" without it.
        files.push_back(entry.path.native());
      } else if (readable(entry.path)) {
        Frame inner = list(entry.path);  // `top` is not used past here: the push may move it
        walk.push_back(std::move(inner));
      }
    }
  }
  return found;
}

}  // namespace gdl::analysis
