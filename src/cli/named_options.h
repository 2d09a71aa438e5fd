#pragma once
// Which of a command's options a command line can name, so that only those are registered.
// CLI11 spends about ten thousand instructions registering an option (it builds each one twice
// and compares it with every option before it), and a pre-commit run names two or three of
// check's 35: registering them all was a fifth of checking one small file.
//
// The answer is a superset, so that CLI11 parses every command line exactly as it would with
// every option registered: an option is named when a word is one of its long names (alone or
// before '='), or a single-dash word holds one of its short letters anywhere (-qv, -j2, -ofile);
// a word after "--" counts too. A help request (-h anywhere in a short cluster, --help) names
// them all, as help lists them all.

#include <bitset>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdl::cli {

class NamedOptions {
 public:
  // Every option: for commands whose lines are not inspected.
  static NamedOptions all() {
    NamedOptions named;
    named.all_ = true;
    return named;
  }

  explicit NamedOptions(std::span<const std::string> words) {
    for (const std::string& word : words) {
      const std::string_view w = word;
      if (w.starts_with("--")) {
        const std::string_view name = w.substr(0, w.find('='));
        if (name == "--help") all_ = true;
        long_names_.push_back(name);
      } else if (w.size() > 1 && w.front() == '-') {
        for (const char c : w.substr(1)) {
          const auto letter = static_cast<unsigned char>(c);
          if (letter < short_letters_.size()) short_letters_.set(letter);
        }
      }
    }
    if (short_letters_.test('h')) all_ = true;
  }

  // Whether the line can name an option written as CLI11 names it ("-f,--format", "--bucket").
  [[nodiscard]] bool any(std::string_view names) const {
    if (all_) return true;
    while (!names.empty()) {
      const std::size_t comma = names.find(',');
      const std::string_view name = names.substr(0, comma);
      names.remove_prefix(comma == std::string_view::npos ? names.size() : comma + 1);
      if (name.starts_with("--")) {
        for (const std::string_view given : long_names_) {
          if (given == name) return true;
        }
      } else if (name.size() == 2 && name.front() == '-') {
        const auto letter = static_cast<unsigned char>(name[1]);
        if (letter < short_letters_.size() && short_letters_.test(letter)) return true;
      } else {
        return true;  // a form this reading does not know: register it
      }
    }
    return false;
  }

 private:
  NamedOptions() = default;
  bool all_ = false;
  std::vector<std::string_view> long_names_;  // views into the words, which outlive this
  std::bitset<128> short_letters_;
};

}  // namespace gdl::cli
