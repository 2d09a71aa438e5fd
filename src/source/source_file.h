#pragma once
// A loaded input: its display path, its bytes, and a line index that maps byte offsets to
// 1-based line:column positions. Columns count characters (UTF-8 code points) of the line.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdl {

struct Position {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in code points of the line
};

// A half-open byte range [begin, end) into a SourceFile's bytes.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  [[nodiscard]] std::size_t size() const { return end - begin; }
  friend bool operator==(const Span&, const Span&) = default;
};

class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);

  // Line breaks are "\n", "\r\n" and a lone "\r". An offset inside "\r\n" belongs to its line.
  [[nodiscard]] Position position(std::size_t offset) const;
  [[nodiscard]] std::size_t line_count() const { return line_starts_.size(); }
  // The text of a 1-based line, without its line break.
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
  [[nodiscard]] std::size_t line_start(std::uint32_t line) const;

 private:
  // Code points before each multiple of kCheckpoint bytes: a column on a very long line is
  // found in O(kCheckpoint), not O(line length) (hostile inputs have 10 MB lines).
  static constexpr std::size_t kCheckpoint = 4096;
  [[nodiscard]] std::size_t code_points_before(std::size_t offset) const;

  std::string_view text_;
  std::vector<std::uint32_t> line_starts_;  // inputs are limited below 4 GB (--max-size)
  std::vector<std::size_t> checkpoints_;
};

// Maps byte offsets of text decoded from a container (a policy held in a JSON string, a
// Terraform heredoc) back to byte offsets in the container's file. Segments are added in
// increasing order: a verbatim run maps byte for byte; every byte an escape such as `\n`
// produced maps to the escape's first byte.
class OffsetMap {
 public:
  void add(std::size_t inner, std::size_t outer, bool verbatim = true) {
    segments_.push_back({inner, outer, verbatim});
  }
  [[nodiscard]] std::size_t to_outer(std::size_t inner) const;
  // Appends `other`'s segments, its inner offsets moved by `shift` (text built by concatenation).
  void append(const OffsetMap& other, std::size_t shift) {
    for (const Segment& s : other.segments_)
      segments_.push_back({s.inner + shift, s.outer, s.verbatim});
  }
  [[nodiscard]] bool empty() const { return segments_.empty(); }

 private:
  struct Segment {
    std::size_t inner;
    std::size_t outer;
    bool verbatim;
  };
  std::vector<Segment> segments_;
};

class SourceFile;

// How a document embedded in another file is written there: edits suggested for it must be
// written the same way (escaped inside a JSON string), or cannot be applied mechanically (YAML).
// Terraform: `hcl_object` is jsonencode({...}), in which JSON is also HCL; `hcl_blocks` is a
// data "aws_iam_policy_document", in which a fix is written as its blocks and arguments.
enum class Quoting { verbatim, json_string, not_json, hcl_object, hcl_blocks };

struct Embedding {
  const SourceFile* container = nullptr;
  OffsetMap map;
  Quoting quoting = Quoting::verbatim;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string bytes);
  // Text decoded from `embedding.container`: locations in it are reported in the container.
  SourceFile(std::string path, std::string bytes, Embedding embedding);
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string_view text() const { return bytes_; }
  // Built on first use (most files are reported clean and never need a line:column); safe to
  // call from several threads.
  [[nodiscard]] const LineIndex& lines() const {
    // Not std::call_once: glibc's wakes futex waiters with a system call after every first
    // call, one per reported file; an uncontended mutex makes none.
    if (!lines_built_.load(std::memory_order_acquire)) {
      const std::lock_guard lock(lines_mutex_);
      if (!lines_built_.load(std::memory_order_relaxed)) {
        lines_ = LineIndex(bytes_);
        lines_built_.store(true, std::memory_order_release);
      }
    }
    return lines_;
  }
  [[nodiscard]] Position position(std::size_t offset) const { return lines().position(offset); }
  [[nodiscard]] const Embedding* embedding() const {
    return embedding_.container != nullptr ? &embedding_ : nullptr;
  }

 private:
  std::string path_;
  std::string bytes_;
  mutable std::atomic<bool> lines_built_ = false;
  mutable std::mutex lines_mutex_;
  mutable LineIndex lines_;
  Embedding embedding_;
};

// Counts UTF-8 code points in `text`: every byte except a continuation byte (10xxxxxx) starts
// one character, so invalid input still yields monotonic columns.
std::size_t count_code_points(std::string_view text);

}  // namespace gdl
