#pragma once
// Internal to json/: diagnosing a syntax error and proposing repairs. The Diagnoser names the
// cause at the reader's error offset (a missing comma between statements, a comment, typographic
// quotes, an annotation pasted from a guide...) with candidate edits; the parser tries them and
// keeps the one that gets furthest.

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "json/tree_builder.h"
#include "source/source_file.h"
#include "util/text.h"

namespace gdl::json::detail {

// One edit of the working text, in working-text offsets.
struct Edit {
  std::size_t at = 0;
  std::size_t erase = 0;
  std::string insert;
  // In the working text a shorter replacement is padded with spaces to keep offsets: after it,
  // or before it (an opening quote, whose padding must stay outside the string).
  bool pad_before = false;
};
struct Repair {
  std::string description;  // the fix as the user reads it
  std::vector<Edit> edits;
  bool discards_text = false;  // deletes words on a guess that they are stray (Fix::discards_text)
};

struct Related {
  Span span;  // working offsets
  std::string message;
};

struct Diagnosis {
  Span span;  // working offsets
  std::string message;
  std::vector<Related> related;
  std::vector<Repair> repairs;  // candidate fixes, in order of preference
  bool truncate_rest = false;   // recovery only: ignore everything from span.begin on
};

// Maps offsets in the working text (which may have characters inserted by repairs) back to the
// original source.
class OffsetMap {
 public:
  void record_insertion(std::size_t at, std::size_t length) {
    for (auto& [start, len] : insertions_) {
      if (start >= at) start += length;
    }
    insertions_.emplace_back(at, length);
  }
  [[nodiscard]] std::size_t to_original(std::size_t offset) const {
    std::size_t result = offset;
    for (const auto& [start, len] : insertions_) {
      if (offset >= start + len) {
        result -= len;
      } else if (offset > start) {
        result -= offset - start;
      }
    }
    return result;
  }
  [[nodiscard]] bool empty() const { return insertions_.empty(); }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> insertions_;
};

// Applies a repair to the working text. Deletions become spaces so offsets do not move; only
// text longer than what it replaces shifts later offsets (recorded in `map` when given).
inline void apply_repair(std::string& text, const Repair& repair, OffsetMap* map) {
  std::vector<Edit> edits = repair.edits;
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at > b.at; });
  for (const Edit& e : edits) {
    if (e.insert.size() <= e.erase) {
      std::string replacement = e.insert;
      if (e.pad_before) {
        replacement.insert(0, e.erase - e.insert.size(), ' ');
      } else {
        replacement.append(e.erase - e.insert.size(), ' ');
      }
      text.replace(e.at, e.erase, replacement);
    } else {
      text.replace(e.at, e.erase, e.insert);
      if (map != nullptr) map->record_insertion(e.at + e.erase, e.insert.size() - e.erase);
    }
  }
}

class Diagnoser {
 public:
  Diagnoser(std::string_view text, const SourceFile& source, const OffsetMap& map)
      : w_(text), source_(source), map_(map) {}

  Diagnosis diagnose(const Attempt& attempt, const Handler& handler, const TrackingStream& stream);

 private:
  [[nodiscard]] char at(std::size_t i) const { return i < w_.size() ? w_[i] : '\0'; }
  [[nodiscard]] std::size_t prev_non_space(std::size_t i) const {
    while (i > 0) {
      --i;
      if (!is_space(w_[i])) return i;
    }
    return kNoOffset;
  }
  [[nodiscard]] std::size_t line_end(std::size_t i) const {
    while (i < w_.size() && w_[i] != '\n' && w_[i] != '\r') ++i;
    return i;
  }
  [[nodiscard]] std::size_t trimmed_line_end(std::size_t begin) const {
    std::size_t end = line_end(begin);
    while (end > begin && is_space(w_[end - 1])) --end;
    return end;
  }
  [[nodiscard]] std::size_t word_end(std::size_t i) const {
    while (i < w_.size() && is_word_char(w_[i])) ++i;
    return i;
  }
  // One UTF-8 character starting at i (at least one byte, never past the end).
  [[nodiscard]] std::size_t char_end(std::size_t i) const {
    if (i >= w_.size()) return i;
    return i + std::max<std::size_t>(1, valid_utf8_sequence_length(w_.substr(i)));
  }
  [[nodiscard]] std::string where(std::size_t working_offset) const {
    const Position p =
        make_location(source_, {map_.to_original(working_offset), map_.to_original(working_offset)})
            .start;
    return fmt::format("line {}, column {}", p.line, p.column);
  }
  [[nodiscard]] std::string quoted(std::size_t begin, std::size_t end, std::size_t max = 40) const {
    std::string_view s = w_.substr(begin, end - begin);
    std::string out(s.substr(0, max));
    if (s.size() > max) out += "...";
    const char* mark = s.find('\'') == std::string_view::npos ? "'" : "\"";
    return mark + out + mark;
  }
  [[nodiscard]] static std::string_view container_name(Kind kind) {
    return kind == Kind::object ? "object" : "array";
  }
  [[nodiscard]] static char closer(Kind kind) { return kind == Kind::object ? '}' : ']'; }

  std::optional<Diagnosis> comment_or_annotation(std::size_t o) const;
  Diagnosis end_of_file(const Handler& handler) const;
  Diagnosis string_error(const Attempt& attempt, const Handler& handler,
                         const TrackingStream& stream) const;
  Diagnosis missing_comma(std::size_t o, const Handler& handler) const;
  Diagnosis bare_word(std::size_t o, bool is_key) const;
  Diagnosis single_quotes(std::size_t o, bool is_key) const;
  Diagnosis curly_quotes(std::size_t o, bool is_key) const;
  [[nodiscard]] bool curly_quote_at(std::size_t o) const;
  Diagnosis after_document(std::size_t o, const Handler& handler) const;
  Diagnosis wrong_closer(std::size_t o, const Handler& handler) const;
  Diagnosis missing_separator(std::size_t o, const Handler& handler) const;
  Diagnosis missing_colon(std::size_t o) const;
  Diagnosis trailing_comma(std::size_t comma, char closer) const;
  Diagnosis missing_key(std::size_t o, const Handler& handler) const;
  Diagnosis invalid_value(std::size_t o, const Handler& handler) const;

  std::string_view w_;
  const SourceFile& source_;
  const OffsetMap& map_;
};

}  // namespace gdl::json::detail
