#pragma once
// Small text helpers shared by every stage.

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdl {

bool iequals(std::string_view a, std::string_view b);
// Whether `text` starts (ends) with `prefix` (`suffix`), ASCII letters compared
// case-insensitively.
bool istarts_with(std::string_view text, std::string_view prefix);
bool iends_with(std::string_view text, std::string_view suffix);

// Whether `text` holds a '*' or '?'. A plain loop: find_first_of("*?") calls memchr on the
// two-character set for every character, which showed in profiles of the per-value rules.
inline bool has_glob_char(std::string_view text) {
  for (const char c : text) {
    if (c == '*' || c == '?') return true;
  }
  return false;
}
std::string to_lower(std::string_view text);
// Lower-cases `text` into `buffer` (reusing its capacity) and returns it: for lookups by a
// lower-cased name without an allocation per lookup.
const std::string& to_lower(std::string_view text, std::string& buffer);

// Replaces invalid UTF-8 sequences with U+FFFD so the text can go into JSON/SARIF output.
std::string sanitize_utf8(std::string_view text);
// Whether sanitize_utf8 would return the text unchanged.
bool is_valid_utf8(std::string_view text);

// Length in bytes of the valid UTF-8 sequence starting at text[0], or 0 if it is invalid
// (overlong, surrogate, above U+10FFFF, truncated, or a stray continuation byte).
std::size_t valid_utf8_sequence_length(std::string_view text);

// The offset of the first byte at or after `from` that is a NUL or starts an invalid UTF-8
// sequence, or text.size() if there is none. Plain ASCII is skipped eight bytes at a time.
std::size_t next_invalid_utf8(std::string_view text, std::size_t from);

// Whether the text is UTF-16 or UTF-32, as Windows tools save it: a byte-order mark, or the NUL
// bytes its first ASCII characters carry (x 0 y 0 / x 0 0 0 little-endian, 0 x 0 y / 0 0 0 x
// big-endian). The one test that both the encoding check and the scan's recognition use.
bool looks_wide(std::string_view text);

// Decodes the code point of a valid sequence of `length` bytes.
char32_t decode_utf8(std::string_view text, std::size_t length);

// Makes text safe for a terminal or CI log: control characters (C0, DEL, C1), bidirectional
// overrides and invalid UTF-8 become visible escapes such as \x1b or \u{202e}.
std::string escape_for_terminal(std::string_view text);

// Whether the `size` bytes at `at` of `text` are a whole word: not inside a longer word or number
// (no letter or digit just before or after).
bool is_whole_word(std::string_view text, std::size_t at, std::size_t size);
// Replaces whole occurrences of `from` (not inside a longer word or number) with `to`; returns
// whether it replaced any. Used to show template symbols and placeholders instead of stand-ins.
bool replace_whole_words(std::string& text, std::string_view from, std::string_view to);
// replace_whole_words(text, from, to) for each pair in order, with the same result; a pair none
// of whose occurrences can be in the text (its first two bytes are nowhere side by side there)
// is not searched. A template's findings are each restored against every stand-in of the
// template, hundreds in a large one: searched one by one, that was 40% of checking it.
bool replace_whole_words_each(std::string& text,
                              std::span<const std::pair<std::string, std::string>> pairs);
// Replaces every occurrence of `from` (left to right, not overlapping); whether it replaced any.
bool replace_all(std::string& text, std::string_view from, std::string_view to);

// Optimal string alignment distance (an adjacent transposition is one edit), case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate to `word` for a did-you-mean (a few edits, more for long names), or
// empty.
std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates);

// The text as the inside of a JSON string literal: quotes, backslashes and control characters
// escaped (\n, \r, \t, else \u00XX).
std::string escape_json_string(std::string_view text);

// The text as HCL string or heredoc content that reads back as itself: "${" and "%{" start
// templates there, so they are written "$${" and "%%{".
std::string escape_hcl_templates(std::string_view text);

// Whether the inside of `${...}` is an IAM policy variable (${aws:username}, ${s3:prefix},
// ${aws:x, 'default'}, ${*} ${?} ${$}) rather than a template's interpolation (${bucket_name},
// ${var.x}, ${AWS::AccountId}): IAM variable names always have a service prefix.
bool is_policy_variable(std::string_view inner);
// Whether `text` holds an IAM policy variable.
bool holds_policy_variable(std::string_view text);

}  // namespace gdl
