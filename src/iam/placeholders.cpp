#include "iam/placeholders.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <unordered_set>
#include <vector>

#include "iam/iam_data.h"

namespace gdl::data {
namespace {

// Heterogeneous lookup: tokens are looked up as string_views, without allocating.
struct TokenHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Placeholders {
  std::unordered_set<std::string, TokenHash, std::equal_to<>> tokens;
  std::vector<std::string> phrases;
  // A cheap filter in front of the hash set: the tokens' lengths (all under 64) and first
  // characters. Most tokens of a policy ("arn", "aws", "s3", account ids) fail it.
  std::uint64_t token_lengths = 0;
  std::bitset<256> token_starts;

  [[nodiscard]] bool is_token(std::string_view token) const {
    if (token.empty() || token.size() >= 64 || ((token_lengths >> token.size()) & 1U) == 0 ||
        !token_starts[static_cast<unsigned char>(token.front())])
      return false;
    return tokens.find(token) != tokens.end();
  }
};

const Placeholders& placeholders() {
  static const Placeholders p = [] {
    Placeholders result;
    std::string_view text = file("placeholders.txt");
    while (!text.empty()) {
      const std::size_t end = std::min(text.find('\n'), text.size());
      std::string_view line = text.substr(0, end);
      text.remove_prefix(std::min(end + 1, text.size()));
      if (line.empty() || line.front() == '#') continue;
      if (line.find_first_of(" []<>") != std::string_view::npos) {
        result.phrases.emplace_back(line);
      } else {
        // The filter assumes short tokens; a longer one would be a defect of the list.
        if (line.size() >= 64) std::abort();
        result.tokens.emplace(line);
        result.token_lengths |= std::uint64_t{1} << line.size();
        result.token_starts.set(static_cast<unsigned char>(line.front()));
      }
    }
    return result;
  }();
  return p;
}

// The text with ${...} and {...} interpolations blanked out.
std::string without_interpolation(std::string_view value) {
  std::string out(value);
  for (std::size_t open = out.find('{'); open != std::string::npos;
       open = out.find('{', open + 1)) {
    const std::size_t close = out.find('}', open);
    if (close == std::string::npos) break;
    const std::size_t from = open > 0 && out[open - 1] == '$' ? open - 1 : open;
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(from),
              out.begin() + static_cast<std::ptrdiff_t>(close + 1), ' ');
  }
  return out;
}

}  // namespace

std::string find_placeholder(std::string_view value) {
  const Placeholders& list = placeholders();
  std::string blanked;
  std::string_view text = value;
  if (value.find('{') != std::string_view::npos) {  // interpolation is rare: copy only then
    blanked = without_interpolation(value);
    text = blanked;
  }
  // One pass over the value (every value of every policy comes here): each byte's class says
  // whether it ends a token (":/ ,*") and whether a phrase may hold it (every phrase holds one of
  // " []<>": that is how the list tells them from tokens). A phrase found wins over a token.
  enum : std::uint8_t { kSeparator = 1, kPhraseChar = 2 };
  static constexpr auto kClass = [] {
    std::array<std::uint8_t, 256> table{};
    for (const char c : std::string_view(":/ ,*"))
      table[static_cast<unsigned char>(c)] |= kSeparator;
    for (const char c : std::string_view(" []<>"))
      table[static_cast<unsigned char>(c)] |= kPhraseChar;
    return table;
  }();
  unsigned seen = 0;
  std::optional<std::string_view> token;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t cls = kClass[static_cast<unsigned char>(text[i])];
    seen |= cls;
    if ((cls & kSeparator) == 0) continue;
    if (!token && list.is_token(text.substr(start, i - start)))
      token = text.substr(start, i - start);
    start = i + 1;
  }
  if (!token && list.is_token(text.substr(start))) token = text.substr(start);
  if ((seen & kPhraseChar) != 0) {
    for (const std::string& phrase : list.phrases) {
      if (text.find(phrase) != std::string_view::npos) return phrase;
    }
  }
  if (token) return std::string(*token);
  return {};
}

}  // namespace gdl::data
