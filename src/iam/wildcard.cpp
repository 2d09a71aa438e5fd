#include "iam/wildcard.h"

#include <algorithm>

#include "util/text.h"

namespace gdl::iam {

namespace {
std::int16_t fold(char c, bool fold_case) {
  auto u = static_cast<unsigned char>(c);
  if (fold_case && u >= 'A' && u <= 'Z') u = static_cast<unsigned char>(u - 'A' + 'a');
  return static_cast<std::int16_t>(u);
}
// The same without a branch, for a loop the compiler vectorizes: 'A'..'Z' gain 32 when folding.
std::int16_t fold_branch_free(char c, unsigned fold_case) {
  const auto u = static_cast<unsigned>(static_cast<unsigned char>(c));
  return static_cast<std::int16_t>(u + ((fold_case & static_cast<unsigned>(u - 'A' < 26U)) << 5U));
}
// The bytes of the character that starts at text[t]: '?' matches "any single character" (IAM
// User Guide, condition operators and Resource element), so one UTF-8 sequence, not one byte of
// it; a byte that starts no valid sequence is a character of its own.
std::size_t char_length(std::string_view text, std::size_t t) {
  if (static_cast<unsigned char>(text[t]) < 0x80) return 1;  // inline: a star steps every byte
  return std::max<std::size_t>(1, valid_utf8_sequence_length(text.substr(t)));
}

// Appends `text` as literal tokens, folded without a branch per byte (a loop the compiler
// vectorizes): written into the vector sized once, as a push_back per character was 2% of a scan
// (every action, resource and condition value is compiled).
void append_folded(std::vector<std::int16_t>& tokens, std::string_view text, bool fold_case) {
  const std::size_t n = tokens.size();
  tokens.resize(n + text.size());
  std::int16_t* out = tokens.data() + n;
  const auto folding = static_cast<unsigned>(fold_case);
  for (std::size_t j = 0; j < text.size(); ++j) out[j] = fold_branch_free(text[j], folding);
}

}  // namespace

Pattern Pattern::glob(std::string_view text, bool fold_case) {
  Pattern p;
  p.fold_case_ = fold_case;
  p.append_glob(text);
  return p;
}

void Pattern::append_literal(std::string_view text) {
  append_folded(tokens_, text, fold_case_);
  if (!wildcards_) literal_prefix_ = tokens_.size();
}

void Pattern::append_glob(std::string_view text) {
  // The literal run before the first wildcard (most of a value: "arn:aws:s3:::bucket/" before
  // "*") is found with two memchr calls and appended as a literal; the rest a byte at a time,
  // into the vector sized for the worst case, then trimmed.
  std::size_t i = 0;
  if (!wildcards_) {
    i = std::min({text.find('*'), text.find('?'), text.size()});
    append_literal(text.substr(0, i));
  }
  std::size_t n = tokens_.size();
  tokens_.resize(n + text.size() - i);
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '*') {
      if (n == 0 || tokens_[n - 1] != kStar) tokens_[n++] = kStar;  // ** is *
      wildcards_ = true;
    } else if (c == '?') {
      tokens_[n++] = kAnyChar;
      wildcards_ = true;
    } else {
      tokens_[n++] = fold(c, fold_case_);
    }
  }
  tokens_.resize(n);
}

bool Pattern::matches(std::string_view text) const {
  // Fast rejections: a literal pattern must have the text's length, and every pattern its
  // literal prefix.
  if (!wildcards_ && tokens_.size() != text.size()) return false;
  if (literal_prefix_ > text.size()) return false;
  for (std::size_t i = 0; i < literal_prefix_; ++i) {
    if (tokens_[i] != fold(text[i], fold_case_)) return false;
  }
  return matches_from(text, literal_prefix_, literal_prefix_);
}

bool Pattern::matches_from(std::string_view text, std::size_t p, std::size_t t) const {
  std::size_t star = std::string_view::npos;  // position after the last star seen
  std::size_t star_text = 0;                  // text position that star is currently absorbing to
  while (t < text.size()) {
    if (p < tokens_.size() && tokens_[p] == kStar) {
      // A star that ends the pattern takes whatever text is left ("kms:*", "arn:...:bucket/*").
      if (p + 1 == tokens_.size()) return true;
      star = ++p;
      star_text = t;
    } else if (p < tokens_.size() && tokens_[p] == kAnyChar) {
      ++p;
      t += char_length(text, t);
    } else if (p < tokens_.size() && tokens_[p] == fold(text[t], fold_case_)) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      // A star absorbs whole characters, so that a later '?' starts where a character does.
      p = star;
      star_text += char_length(text, star_text);
      t = star_text;
    } else {
      return false;
    }
  }
  while (p < tokens_.size() && tokens_[p] == kStar) ++p;
  return p == tokens_.size();
}

bool split_arn(std::string_view arn, std::string_view (&parts)[6]) {
  // One pass over the first five fields (a few dozen bytes): a memchr call per field cost more
  // than the bytes it skipped (290 calls per scanned file).
  std::size_t start = 0;
  std::size_t field = 0;
  for (std::size_t i = 0; i < arn.size() && field < 5; ++i) {
    if (arn[i] != ':') continue;
    parts[field++] = arn.substr(start, i - start);
    start = i + 1;
  }
  if (field < 5) return false;
  parts[5] = arn.substr(start);
  return true;
}

std::optional<std::string_view> s3_resource_path(std::string_view arn) {
  if (!arn.starts_with("arn:")) return std::nullopt;
  // Every resource of every policy comes here: the usual form is found with one search, the
  // split only for an ARN of S3 that writes something where the Region or account is.
  if (const std::size_t at = arn.find(":s3:::"); at != std::string_view::npos)
    return arn.substr(at + 6);
  if (arn.find(":s3:") == std::string_view::npos) return std::nullopt;
  std::string_view parts[6];
  if (!split_arn(arn, parts) || parts[2] != "s3") return std::nullopt;
  const auto matches_empty = [](std::string_view field) {
    return field.find_first_not_of('*') == std::string_view::npos;
  };
  if (!matches_empty(parts[3]) || !matches_empty(parts[4])) return std::nullopt;
  return parts[5];
}

std::optional<std::string_view> s3_bucket_part(std::string_view arn) {
  const auto path = s3_resource_path(arn);
  if (!path) return std::nullopt;
  return path->substr(0, path->find('/'));
}

}  // namespace gdl::iam
