#pragma once
// A loaded input: its display path, its bytes, and a line index that maps byte offsets to
// 1-based line:column positions. Columns count characters (UTF-8 code points) of the line.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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
  std::vector<std::size_t> line_starts_;
  std::vector<std::size_t> checkpoints_;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string bytes);
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string_view text() const { return bytes_; }
  [[nodiscard]] const LineIndex& lines() const { return lines_; }
  [[nodiscard]] Position position(std::size_t offset) const { return lines_.position(offset); }

 private:
  std::string path_;
  std::string bytes_;
  LineIndex lines_;
};

// Counts UTF-8 code points in `text`: every byte except a continuation byte (10xxxxxx) starts
// one character, so invalid input still yields monotonic columns.
std::size_t count_code_points(std::string_view text);

}  // namespace gdl
