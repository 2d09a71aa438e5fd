#include "source/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "util/file_descriptor.h"

namespace gdl {

namespace {
const std::map<std::string, std::string>* overlay = nullptr;

// WriteTargetWatch's state: the targets' identities (set before the run's threads start), and
// the index of the first one read (written by any of them).
struct WatchedTarget {
  dev_t device;
  ino_t inode;
  std::string path;
};
std::vector<WatchedTarget> watched_targets;
std::atomic<int> read_target_index{-1};

void note_read(const struct stat& info) {
  for (std::size_t i = 0; i < watched_targets.size(); ++i) {
    if (watched_targets[i].device == info.st_dev && watched_targets[i].inode == info.st_ino) {
      int none = -1;
      read_target_index.compare_exchange_strong(none, static_cast<int>(i));
    }
  }
}

// Why `real` (a resolved path) is not read: it is outside the work tree `tree`; empty when it is
// inside. `what` begins the reason ("a symbolic link to ").
std::string outside(const std::filesystem::path& real, const std::filesystem::path& tree,
                    const std::string& what) {
  std::error_code ec;
  const std::filesystem::path real_tree = std::filesystem::weakly_canonical(tree, ec);
  if (ec || within(real, real_tree)) return {};
  return what + real.string() + ", outside the repository (" + tree.string() +
         "): not read, so that a link cannot put other files of this machine into the findings";
}

// Why a symbolic link is not followed: its target is outside the git work tree the link is in.
// A file a pull request adds as a link to the checking machine's files (a runner's credentials)
// would otherwise be read, and its first line quoted in a syntax error. Empty when it is
// followed (a link within the work tree, or a link in no work tree).
std::string link_out_of_work_tree(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path link = std::filesystem::absolute(path, ec);
  if (ec) return {};
  const std::filesystem::path tree =
      work_tree_of(std::filesystem::weakly_canonical(link.parent_path(), ec));
  if (ec || tree.empty()) return {};
  const std::filesystem::path target = std::filesystem::weakly_canonical(link, ec);
  if (ec) return {};
  return outside(target, tree, "a symbolic link to ");
}

std::string too_large(std::size_t max_bytes) {
  return "is larger than the input size limit of " + std::to_string(max_bytes / (1024 * 1024)) +
         " MB (raise it with --max-size MB)";
}
}  // namespace

std::filesystem::path shortest_from(const std::filesystem::path& relative,
                                    const std::filesystem::path& here) {
  if (here.empty() || relative.empty() || *relative.begin() != "..") return relative;
  std::filesystem::path shortest = (here / relative).lexically_normal().lexically_relative(here);
  return shortest.empty() ? relative : shortest;
}

bool within(const std::filesystem::path& real, const std::filesystem::path& tree) {
  return std::mismatch(tree.begin(), tree.end(), real.begin(), real.end()).first == tree.end();
}

std::filesystem::path work_tree_of(std::filesystem::path dir) {
  std::error_code ec;
  for (; !dir.empty(); dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / ".git", ec)) return dir;
    if (dir == dir.parent_path()) break;
  }
  return {};
}

std::string directory_leaves_work_tree(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path spelled = std::filesystem::absolute(dir, ec).lexically_normal();
  if (ec) return {};
  if (!spelled.has_filename()) spelled = spelled.parent_path();  // "a/b/" as "a/b"
  const std::filesystem::path tree = work_tree_of(spelled);
  if (tree.empty()) return {};
  const std::filesystem::path real = std::filesystem::weakly_canonical(spelled, ec);
  if (ec) return {};
  return outside(real, tree, "resolves to ");
}

LoadResult load_source(const std::string& path, std::size_t max_bytes) {
  if (path == "-") {
    std::string bytes;
    char chunk[65536];
    while (std::cin.read(chunk, sizeof chunk) || std::cin.gcount() > 0) {
      bytes.append(chunk, static_cast<std::size_t>(std::cin.gcount()));
      if (bytes.size() > max_bytes) return LoadError{"<stdin>", too_large(max_bytes), true};
    }
    return std::make_unique<SourceFile>("<stdin>", std::move(bytes));
  }
  if (overlay != nullptr) {
    if (auto it = overlay->find(overlay_key(path)); it != overlay->end())
      return std::make_unique<SourceFile>(path, it->second);
  }
  // open() then fstat(), not stat() then open(): one system call less per file, and the checks
  // are of the file actually read. O_NONBLOCK so that opening a FIFO named by mistake does not
  // wait for a writer (it is refused below as not a regular file); regular files ignore it.
  // O_NOFOLLOW first: a link is told by ELOOP without a system call more for the other files.
  constexpr int kFlags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  int descriptor = ::open(path.c_str(), kFlags | O_NOFOLLOW);
  if (descriptor < 0 && errno == ELOOP) {
    if (std::string why = link_out_of_work_tree(path); !why.empty())
      return LoadError{path, std::move(why)};
    descriptor = ::open(path.c_str(), kFlags);
  }
  const FileDescriptor file(descriptor);
  if (file.fd < 0) {
    const int error = errno;
    // A link to nothing is said so, however it is reached (a scan, a named file's sibling).
    struct stat link {};
    if (error == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
      return LoadError{path, "a symbolic link to a file that does not exist"};
    return LoadError{path, std::strerror(error)};
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) return LoadError{path, std::strerror(errno)};
  if (S_ISDIR(info.st_mode)) {
    return LoadError{path, "is a directory; name the policy files to check"};
  }
  if (!S_ISREG(info.st_mode)) {
    return LoadError{path, "is not a regular file"};
  }
  note_read(info);
  if (static_cast<std::size_t>(info.st_size) > max_bytes)
    return LoadError{path, too_large(max_bytes), true};
  // One loop reads the file whatever fstat() said: one byte more than its size shows a file that
  // grew since, and the buffer then grows (as for a file that reports no size, under /proc),
  // within the limit.
  std::string bytes(static_cast<std::size_t>(info.st_size) + 1, '\0');
  std::size_t filled = 0;
  for (;;) {
    if (filled == bytes.size()) bytes.resize(std::max<std::size_t>(2 * filled, 65536));
    const ssize_t got = ::read(file.fd, bytes.data() + filled, bytes.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return LoadError{path, "read error"};
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
    if (filled > max_bytes) return LoadError{path, too_large(max_bytes), true};
    // A regular file's read comes back short only at its end: the size fstat() gave, read
    // whole with room to spare, needs no second read to find the end (a system call less per
    // file). A file that grew fills the room and goes round again.
    if (info.st_size > 0 && filled == static_cast<std::size_t>(info.st_size)) break;
  }
  bytes.resize(filled);
  return std::make_unique<SourceFile>(path, std::move(bytes));
}

namespace {

// A device or pipe (a FIFO), or a name under /dev or /proc (/dev/stdout, which may stand for
// the file the shell redirected to, `>> log` included): written to in place, appending, never
// replaced by a file.
bool written_in_place(const std::string& path) {
  if (path.starts_with("/dev/") || path.starts_with("/proc/")) return true;
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

// Where an atomic write of `path` renames its temporary file to: the file a symbolic link
// points to, even one that does not exist yet (the link stays a link), else `path` itself.
std::string replaced_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path at = path;
  for (int hops = 0; hops < 40 && fs::is_symlink(at, ec); ++hops) {
    const fs::path target = fs::read_symlink(at, ec);
    if (ec) break;
    at = target.is_absolute() ? target : at.parent_path() / target;
  }
  return at.string();
}

}  // namespace

AtomicFile::AtomicFile(std::string path)
    : path_(written_in_place(path) ? std::move(path) : replaced_file(path)),
      in_place_(written_in_place(path_)),
      temporary_(in_place_ ? path_ : path_ + ".gd-export-lint.tmp"),
      out_(temporary_,
           in_place_ ? std::ios::binary | std::ios::app : std::ios::binary | std::ios::trunc),
      open_errno_(out_ ? 0 : errno) {}

AtomicFile::~AtomicFile() {
  if (committed_ || in_place_) return;
  out_.close();
  std::remove(temporary_.c_str());
}

bool AtomicFile::commit(std::string& error) {
  if (!out_ || !out_.flush()) {
    error = "cannot write " + path_;
    if (open_errno_ != 0) {
      error += in_place_ ? ": " + std::string(std::strerror(open_errno_))
                         : " (its temporary file " + temporary_ +
                               " cannot be created: " + std::strerror(open_errno_) + ")";
    }
    return false;
  }
  out_.close();
  if (in_place_) {
    committed_ = true;
    return true;
  }
  struct stat old {};
  if (::stat(path_.c_str(), &old) == 0) {
    // A file nobody may write (0444) is not replaced behind its owner's back, as an editor
    // would not without being forced (root could, and the file changed owner).
    if ((old.st_mode & 0222) == 0) {
      error =
          "cannot write " + path_ + ": it is read-only (make it writable to let this change it)";
      return false;
    }
    ::chmod(temporary_.c_str(), old.st_mode & 07777);
    // The replacement keeps the file's owner where the writer may give it (root).
    if (::chown(temporary_.c_str(), old.st_uid, old.st_gid) != 0) {
      // Not ours to give: the file is the writer's now, as any editor's save makes it.
    }
  }
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    error = "cannot write " + path_ + ": " + std::strerror(errno);
    return false;
  }
  committed_ = true;
  return true;
}

bool write_file_atomically(const std::string& path, std::string_view content, std::string& error) {
  AtomicFile file(path);
  if (file.is_open())
    file.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  return file.commit(error);
}

WriteTargetWatch::WriteTargetWatch(const std::vector<std::string>& targets) {
  watched_targets.clear();
  read_target_index.store(-1);
  for (const std::string& path : targets) {
    struct stat info {};
    // A target that does not exist yet cannot be read; a device or pipe is written, not replaced.
    if (path.empty() || path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
      continue;
    watched_targets.push_back({info.st_dev, info.st_ino, path});
  }
}

WriteTargetWatch::~WriteTargetWatch() {
  watched_targets.clear();
  read_target_index.store(-1);
}

std::string WriteTargetWatch::read_target() const {
  const int index = read_target_index.load();
  return index < 0 ? std::string() : watched_targets[static_cast<std::size_t>(index)].path;
}

LoadOverlay::LoadOverlay(const std::map<std::string, std::string>& contents) {
  overlay = &contents;
}

LoadOverlay::~LoadOverlay() {
  overlay = nullptr;
}

std::string overlay_key(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) return path;
  return absolute.lexically_normal().string();
}

}  // namespace gdl
