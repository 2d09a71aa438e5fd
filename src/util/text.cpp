#include "util/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>

namespace gdl {

namespace {
char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0U) == 0x80U;
}

// Bidirectional formatting and invisible characters can make displayed text differ from its bytes.
bool is_deceptive_format_char(char32_t cp) {
  return cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // most names are looked up as the table writes them
  return std::equal(a.begin(), a.end(), b.begin(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

const std::string& to_lower(std::string_view text, std::string& buffer) {
  buffer.assign(text);
  std::transform(buffer.begin(), buffer.end(), buffer.begin(), ascii_lower);
  return buffer;
}

bool looks_wide(std::string_view text) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF") ||
      text.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
    return true;
  if (text.size() < 4) return false;
  return (text[0] != '\0' && text[1] == '\0' && text[3] == '\0') ||
         (text[0] == '\0' && text[2] == '\0');
}

std::size_t next_invalid_utf8(std::string_view text, std::size_t from) {
  std::size_t i = from;
  while (i < text.size()) {
    // Eight bytes at a time while they are plain ASCII: no byte with the high bit set and none
    // zero (the classic "has a zero byte" test). Most policies are ASCII throughout.
    while (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      constexpr std::uint64_t kLow = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      if (((word | ((word - kLow) & ~word)) & kHigh) != 0) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte != 0 && byte < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = byte == 0 ? 0 : valid_utf8_sequence_length(text.substr(i));
    if (n == 0) return i;
    i += n;
  }
  return text.size();
}

std::size_t valid_utf8_sequence_length(std::string_view text) {
  if (text.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(text[0]);
  if (b0 < 0x80) return 1;
  std::size_t length = 0;
  char32_t min = 0;
  if ((b0 & 0xE0U) == 0xC0U) {
    length = 2;
    min = 0x80;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    length = 3;
    min = 0x800;
  } else if ((b0 & 0xF8U) == 0xF0U) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(static_cast<unsigned char>(text[i]))) return 0;
  }
  const char32_t cp = decode_utf8(text, length);
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

char32_t decode_utf8(std::string_view text, std::size_t length) {
  const auto b0 = static_cast<unsigned char>(text[0]);
  if (length == 1) return b0;
  char32_t cp = b0 & (0xFFU >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3FU);
  }
  return cp;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = valid_utf8_sequence_length(text.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = valid_utf8_sequence_length(text.substr(i));
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = valid_utf8_sequence_length(text.substr(i));
    if (n == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    const char32_t cp = decode_utf8(text.substr(i), n);
    if (cp == '\t') {
      out += ' ';
    } else if (cp < 0x20 || cp == 0x7F) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    } else if ((cp >= 0x80 && cp <= 0x9F) || is_deceptive_format_char(cp)) {
      out += fmt::format("\\u{{{:04x}}}", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

// Both build the result once: replacing in place moved the rest of the text at each occurrence,
// quadratic in a template's 2 MB !Sub of ${AWS::AccountId} repeated.
bool is_whole_word(std::string_view text, std::size_t at, std::size_t size) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  return (at == 0 || !word(text[at - 1])) && (at + size >= text.size() || !word(text[at + size]));
}

bool replace_whole_words(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return false;
  std::string out;
  std::size_t copied = 0;  // text before this is in `out`
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + 1)) {
    if (!is_whole_word(text, at, from.size()) || at < copied) continue;
    out.append(text, copied, at - copied);
    out.append(to);
    copied = at + from.size();
  }
  if (copied == 0) return false;
  out.append(text, copied);
  text = std::move(out);
  return true;
}

bool replace_whole_words_each(std::string& text,
                              std::span<const std::pair<std::string, std::string>> pairs) {
  // Two adjacent bytes hashed to one of 4,096 bits: a collision only costs a search.
  std::bitset<4096> grams;
  auto gram = [](char first, char second) {
    return ((static_cast<std::size_t>(static_cast<unsigned char>(first)) * 40503U) ^
            static_cast<unsigned char>(second)) &
           4095U;
  };
  auto index = [&] {
    grams.reset();
    for (std::size_t i = 0; i + 1 < text.size(); ++i) grams.set(gram(text[i], text[i + 1]));
  };
  constexpr std::size_t kFiltered = 8;  // below this, the index costs more than the searches
  const bool filter = pairs.size() > kFiltered;
  if (filter) index();
  bool changed = false;
  // A value occurs in the text only if each two adjacent bytes of it do: testing them all (not
  // only its first two, which values of one kind share: "arn:aws:s3:::") spares the search for
  // most of a template's stand-ins.
  auto may_occur = [&](std::string_view value) {
    for (std::size_t i = 0; i + 1 < value.size(); ++i) {
      if (!grams.test(gram(value[i], value[i + 1]))) return false;
    }
    return true;
  };
  for (const auto& [from, to] : pairs) {
    if (filter && !may_occur(from)) continue;
    if (!replace_whole_words(text, from, to)) continue;
    changed = true;
    if (filter) index();  // the replacement may hold a later pair's value
  }
  return changed;
}

bool replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return false;
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + from.size())) {
    out.append(text, copied, at - copied);
    out.append(to);
    copied = at + from.size();
  }
  if (copied == 0) return false;
  out.append(text, copied);
  text = std::move(out);
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::string x = to_lower(a);
  const std::string y = to_lower(b);
  std::vector<std::vector<std::size_t>> d(x.size() + 1, std::vector<std::size_t>(y.size() + 1));
  for (std::size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_distance = 5;
  for (std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    // Longer names tolerate more typos: 1 edit up to 9 characters, at most 4 for long keys.
    const std::size_t limit =
        std::max<std::size_t>(1, std::min<std::size_t>(4, candidate.size() / 5));
    if (d <= limit && d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string escape_json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string escape_hcl_templates(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == '$' || text[i] == '%') && i + 1 < text.size() && text[i + 1] == '{')
      out += text[i];
    out += text[i];
  }
  return out;
}

bool holds_policy_variable(std::string_view text) {
  for (std::size_t open = text.find("${"); open != std::string_view::npos;
       open = text.find("${", open + 2)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) return false;
    if (is_policy_variable(text.substr(open + 2, close - open - 2))) return true;
  }
  return false;
}

bool is_policy_variable(std::string_view inner) {
  if (inner == "*" || inner == "?" || inner == "$") return true;
  const std::string_view name = inner.substr(0, inner.find(','));
  const std::size_t colon = name.find(':');
  // ${AWS::AccountId}: a CloudFormation pseudo parameter in a rendered file, not a variable.
  if (colon == std::string_view::npos || colon == 0 || name.find("::") != std::string_view::npos)
    return false;
  return std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace gdl
