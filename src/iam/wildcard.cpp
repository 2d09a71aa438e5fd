#include "iam/wildcard.h"

namespace gdl::iam {

namespace {
std::int16_t fold(char c, bool fold_case) {
  auto u = static_cast<unsigned char>(c);
  if (fold_case && u >= 'A' && u <= 'Z') u = static_cast<unsigned char>(u - 'A' + 'a');
  return static_cast<std::int16_t>(u);
}
}  // namespace

Pattern Pattern::glob(std::string_view text, bool fold_case) {
  Pattern p;
  p.fold_case_ = fold_case;
  p.append_glob(text);
  return p;
}

void Pattern::append_literal(std::string_view text) {
  tokens_.reserve(tokens_.size() + text.size());
  for (const char c : text) tokens_.push_back(fold(c, fold_case_));
  if (!wildcards_) literal_prefix_ = tokens_.size();
}

void Pattern::append_glob(std::string_view text) {
  tokens_.reserve(tokens_.size() + text.size());
  for (const char c : text) {
    if (c == '*') {
      if (tokens_.empty() || tokens_.back() != kStar) tokens_.push_back(kStar);  // ** is *
      wildcards_ = true;
    } else if (c == '?') {
      tokens_.push_back(kAnyChar);
      wildcards_ = true;
    } else {
      tokens_.push_back(fold(c, fold_case_));
      if (!wildcards_) literal_prefix_ = tokens_.size();
    }
  }
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
      star = ++p;
      star_text = t;
    } else if (p < tokens_.size() &&
               (tokens_[p] == kAnyChar || tokens_[p] == fold(text[t], fold_case_))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < tokens_.size() && tokens_[p] == kStar) ++p;
  return p == tokens_.size();
}

bool split_arn(std::string_view arn, std::string_view (&parts)[6]) {
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = arn.substr(start);
  return true;
}

}  // namespace gdl::iam
