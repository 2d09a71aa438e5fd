#include "source/source_file.h"

#include <algorithm>

namespace gdl {

namespace {

// How many bytes of `text` `holds` is true of. Counted in blocks of 255 bytes into a one-byte
// counter, which GCC vectorizes to a compare and a subtract per 16 bytes: std::count and a plain
// loop widen every byte's count to 64 bits (3 instructions a byte, most of a LineIndex's cost on
// a policy file; 0.5 this way).
template <class Holds>
std::size_t count_bytes(std::string_view text, Holds holds) {
  std::size_t total = 0;
  const char* at = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const std::size_t block = std::min<std::size_t>(left, 255);
    unsigned char in_block = 0;
    for (std::size_t i = 0; i < block; ++i)
      in_block =
          static_cast<unsigned char>(in_block + (holds(static_cast<unsigned char>(at[i])) ? 1 : 0));
    total += in_block;
    at += block;
    left -= block;
  }
  return total;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  // Allocated once, at (nearly) its exact size: a 50 MB file has a million lines, and doubling
  // growth would hold up to twice that. A lone CR is rare enough to grow the vector.
  line_starts_.reserve(count_bytes(text, [](unsigned char c) { return c == '\n'; }) + 1);
  line_starts_.push_back(0);
  if (text.find('\r') == std::string_view::npos) {
    for (std::size_t at = text.find('\n'); at != std::string_view::npos;
         at = text.find('\n', at + 1))
      line_starts_.push_back(static_cast<std::uint32_t>(at + 1));
  } else {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n') {
        line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
      } else if (c == '\r') {
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
      }
    }
  }
  // Checkpoints serve only lines longer than kCheckpoint; most files have none.
  bool long_line = text.size() - line_starts_.back() > kCheckpoint;
  for (std::size_t i = 1; i < line_starts_.size() && !long_line; ++i)
    long_line = line_starts_[i] - line_starts_[i - 1] > kCheckpoint;
  if (!long_line) return;
  checkpoints_.reserve(text.size() / kCheckpoint + 1);
  std::size_t code_points = 0;
  for (std::size_t at = 0; at <= text.size(); at += kCheckpoint) {
    checkpoints_.push_back(code_points);
    code_points += count_code_points(text.substr(at, kCheckpoint));
  }
}

Position LineIndex::position(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  const std::size_t start = line_starts_[line_index];
  // Most lines are short: count from the line's start. Only a long line (a minified policy, a
  // hostile 10 MB line) takes the checkpoints, so no column costs more than O(kCheckpoint).
  const std::size_t column = offset - start <= kCheckpoint
                                 ? count_code_points(text_.substr(start, offset - start)) + 1
                                 : code_points_before(offset) - code_points_before(start) + 1;
  // Editors do not show a byte-order mark: it is no column of the first line.
  const bool after_bom = line_index == 0 && offset >= 3 && text_.starts_with("\xEF\xBB\xBF");
  return {static_cast<std::uint32_t>(line_index + 1),
          static_cast<std::uint32_t>(after_bom ? column - 1 : column)};
}

std::size_t LineIndex::code_points_before(std::size_t offset) const {
  const std::size_t block = offset / kCheckpoint;
  const std::size_t from = block * kCheckpoint;
  return checkpoints_[block] + count_code_points(text_.substr(from, offset - from));
}

std::size_t LineIndex::line_start(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return text_.size();
  return line_starts_[line - 1];
}

std::string_view LineIndex::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t start = line_starts_[line - 1];
  std::size_t end = start;
  while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
  return text_.substr(start, end - start);
}

SourceFile::SourceFile(std::string path, std::string bytes)
    : path_(std::move(path)), bytes_(std::move(bytes)) {}

SourceFile::SourceFile(std::string path, std::string bytes, Embedding embedding)
    : path_(std::move(path)), bytes_(std::move(bytes)), embedding_(std::move(embedding)) {}

std::size_t OffsetMap::to_outer(std::size_t inner) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), inner,
                             [](std::size_t value, const Segment& s) { return value < s.inner; });
  if (it == segments_.begin()) return inner;
  --it;
  return it->verbatim ? it->outer + (inner - it->inner) : it->outer;
}

std::size_t count_code_points(std::string_view text) {
  // Continuation bytes (10xxxxxx) do not start a character.
  return count_bytes(text, [](unsigned char c) { return (c & 0xC0U) != 0x80U; });
}

}  // namespace gdl
