#pragma once
// Reads inputs into SourceFiles. A failure is a value (with a user-facing message), not an
// exception.

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "source/source_file.h"

namespace gdl {

struct LoadError {
  std::string path;
  std::string message;
  bool too_large = false;  // refused for its size (no policy is that large), not unreadable
};

using LoadResult = std::variant<std::unique_ptr<SourceFile>, LoadError>;

// Inputs larger than this are refused with a clear error instead of using unbounded memory. The
// default is far above the largest real template (CloudFormation's own limit is 1 MB).
inline constexpr std::size_t kDefaultMaxInputBytes = 64U * 1024U * 1024U;

// The git work tree the directory `dir` (absolute, resolved) is in: the nearest directory above
// it holding `.git`; empty when none. What is read is confined to it: a symbolic link out of it
// is not followed (load_source), nor a Terraform module's file() of a path outside it.
std::filesystem::path work_tree_of(std::filesystem::path dir);
// Whether the resolved path `real` is `tree` or below it (both resolved).
bool within(const std::filesystem::path& real, const std::filesystem::path& tree);
// A relative, lexically normal path spelled at its shortest from `here` (the current directory,
// physical, so ".." from it is what the system resolves): one that goes above it and comes back
// in ("../../modules/x" from /r/modules/x) is "."; any other as given.
std::filesystem::path shortest_from(const std::filesystem::path& relative,
                                    const std::filesystem::path& here);

// Why the files of `dir` (a directory named on the command line, or a named file's) are not
// read: spelled inside a git work tree, it resolves outside it (a symbolic link to a directory,
// its own or one on the way). Empty when they are read. A scan never enters a linked directory
// and load_source refuses a linked file out of its tree: a named path is the one way left out.
std::string directory_leaves_work_tree(const std::string& dir);

// Reads `path` ("-" means standard input, shown as "<stdin>").
LoadResult load_source(const std::string& path, std::size_t max_bytes = kDefaultMaxInputBytes);

// Replaces the file at `path` with `content`: written to a temporary file beside it, given the
// old file's permissions, and renamed over it, so an interrupted run never leaves half a file.
// False with `error` set on a problem (the old file is then unchanged).
bool write_file_atomically(const std::string& path, std::string_view content, std::string& error);

// A file written in pieces (a streamed report) and replaced atomically, as
// write_file_atomically does: the text goes to a temporary file beside `path`, renamed over it by
// commit(); without a commit (an error, an early return) the temporary file is removed. A
// symbolic link's target is replaced (the link stays); a device or pipe (/dev/stdout, a FIFO) is
// written to directly, never replaced by a file.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  [[nodiscard]] bool is_open() const { return static_cast<bool>(out_); }
  std::ostream& stream() { return out_; }
  // False with `error` set on a problem (the old file is then unchanged).
  bool commit(std::string& error);

 private:
  std::string path_;
  bool in_place_ = false;
  std::string temporary_;
  std::ofstream out_;
  int open_errno_ = 0;  // why the file could not be opened (a read-only directory)
  bool committed_ = false;
};

// Contents that stand in for files on disk while it lives (`check --diff` checks fixed text it
// does not write), keyed by overlay_key(path). Set before a run starts and only read during it;
// one at a time.
class LoadOverlay {
 public:
  explicit LoadOverlay(const std::map<std::string, std::string>& contents);
  ~LoadOverlay();
  LoadOverlay(const LoadOverlay&) = delete;
  LoadOverlay& operator=(const LoadOverlay&) = delete;
};

// The files a run will write (--output, --write-baseline), watched while it reads its inputs:
// a file loaded while the scope lives that is one of them (the same file, however spelt or
// linked) is recorded, so that the run refuses to replace a file it read, which a look at the
// command line's own paths cannot see (a scanned policy, a file a Terraform module reads, an
// auto-loaded terraform.tfvars). Set before a run starts, only read during it.
class WriteTargetWatch {
 public:
  explicit WriteTargetWatch(const std::vector<std::string>& targets);
  ~WriteTargetWatch();
  WriteTargetWatch(const WriteTargetWatch&) = delete;
  WriteTargetWatch& operator=(const WriteTargetWatch&) = delete;
  // The first target that was read, as the run spelt the target; empty if none.
  [[nodiscard]] std::string read_target() const;
};

// The key a file has in an overlay: its absolute, lexically normal path, so that "./a.json",
// "a.json" and "/abs/a.json" are one file.
std::string overlay_key(const std::string& path);

}  // namespace gdl
