#include "analysis/discover.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "util/file_descriptor.h"

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

namespace {

// What a directory entry is to a scan. As directory_entry's is_directory() and
// is_regular_file() do, a link is judged by what it points to: a link to a directory is never
// entered (no loops), a link to a file is a file, a link to nothing is listed as one. A FIFO or
// socket (or a link to one) is listed as a file too when the globs take its name: reading it is
// refused with an input error, as when it is named, rather than passed over without a word (a
// FIFO named bucket-policy.json vanished from the scan). A device is not: a link to /dev/null
// stands for an empty file on purpose, and a scan opens no device.
enum class EntryKind { skip, directory, file, linked_file, dangling_link };

// A regular file, FIFO or socket: what a scan lists as a file (not a directory or device).
bool listed_as_file(mode_t mode) {
  return S_ISREG(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

EntryKind kind_of(int dir_fd, const char* name, unsigned char type) {
  struct stat info {};
  switch (type) {
    case DT_DIR:
      return EntryKind::directory;
    case DT_REG:
      return EntryKind::file;
    case DT_LNK:
      break;
    case DT_UNKNOWN:  // a file system that does not say: ask
      if (::fstatat(dir_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) return EntryKind::skip;
      if (S_ISDIR(info.st_mode)) return EntryKind::directory;
      if (listed_as_file(info.st_mode)) return EntryKind::file;
      if (!S_ISLNK(info.st_mode)) return EntryKind::skip;  // a device
      break;
    case DT_FIFO:
    case DT_SOCK:
      return EntryKind::file;
    default:  // devices
      return EntryKind::skip;
  }
  if (::fstatat(dir_fd, name, &info, 0) != 0) return EntryKind::dangling_link;
  return listed_as_file(info.st_mode) ? EntryKind::linked_file : EntryKind::skip;
}

}  // namespace

DirectoryListing list_directory(const fs::path& root, const fs::path& dir,
                                const ScanOptions& options) {
  DirectoryListing listing;
  // A file's path below the root is the directory's and its name (lexically_relative for each
  // file was a tenth of a scan's planning).
  std::string relative = dir.lexically_relative(root).generic_string();
  if (relative == ".") relative.clear();
  if (!relative.empty()) relative += '/';
  const std::size_t prefix = relative.size();
  // Read with getdents64 on a descriptor of our own rather than a directory_iterator, whose
  // fdopendir() adds an fstat and two fcntl calls to every directory: a scan lists each
  // directory twice (setup_plan.h), and those were a fifth of its system calls.
  const FileDescriptor handle(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (handle.fd < 0) {
    // As directory_options::skip_permission_denied: a directory we may not read lists empty
    // (walk_root has said so when it could not enter it).
    if (errno != EACCES) listing.error = std::strerror(errno);
    return listing;
  }
  alignas(struct dirent64) std::array<char, 32768> buffer;
  for (;;) {
    const ssize_t got = ::getdents64(handle.fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      listing.error = std::strerror(errno);
      break;
    }
    if (got == 0) break;
    for (std::size_t at = 0; at < static_cast<std::size_t>(got);) {
      const char* record = buffer.data() + at;
      unsigned short length = 0;
      std::memcpy(&length, record + offsetof(struct dirent64, d_reclen), sizeof length);
      if (length == 0) break;  // never from the kernel; no endless loop if it were
      at += length;
      const auto type = static_cast<unsigned char>(record[offsetof(struct dirent64, d_type)]);
      const char* name_data = record + offsetof(struct dirent64, d_name);
      const std::string_view name(name_data);
      if (name == "." || name == "..") continue;
      const EntryKind kind = kind_of(handle.fd, name_data, type);
      if (kind == EntryKind::skip) continue;
      if (kind == EntryKind::directory) {
        if (name != ".git") listing.directories.push_back(dir / name);
        continue;
      }
      relative.resize(prefix);
      relative += name;
      if (!matches_any(options.include, relative, name) ||
          matches_any(options.exclude, relative, name))
        continue;
      listing.files.push_back(
          {dir / name, kind != EntryKind::file, kind == EntryKind::dangling_link});
    }
  }
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
               std::vector<InputError>& errors, std::set<std::string>* unreadable) {
  // A directory that cannot be read is an input error, never skipped without a word (an
  // unreadable root would look empty).
  auto readable = [&errors, unreadable](const fs::path& dir) {
    std::string why;
    if (directory_readable(dir, why)) return true;
    if (unreadable != nullptr) unreadable->insert(dir.string());
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
