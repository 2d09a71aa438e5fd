#include "containers/inline_suppressions.h"

#include <fmt/format.h>

#include <algorithm>

#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl::containers {

namespace {

constexpr std::string_view kMarker = "gd-export-lint: ignore";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool has_comments(std::string_view path) {
  return path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".template") ||
         path.ends_with(".tf");
}

struct Inline {
  std::vector<std::string> rules;  // ids
  std::string reason;
  std::size_t column = 0;  // where the marker starts (0-based byte in its line)
};

// The suppression on a line, if its comment holds one. A marker inside a string is not a
// comment, so it must follow '#' (YAML, HCL) or '//' (HCL).
std::optional<Inline> parse_line(std::string_view line) {
  const std::size_t at = line.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view before = line.substr(0, at);
  const std::size_t hash = before.rfind('#');
  const std::size_t slashes = before.rfind("//");
  const std::size_t comment = std::min(hash, slashes);
  if (comment == std::string_view::npos ||
      before.substr(comment).find_first_not_of("#/ \t") != std::string_view::npos)
    return std::nullopt;
  Inline found;
  found.column = at;
  std::string_view rest = line.substr(at + kMarker.size());
  std::string_view rules = rest;
  if (const std::size_t dash = rest.find("--"); dash != std::string_view::npos) {
    rules = rest.substr(0, dash);
    found.reason = std::string(trim(rest.substr(dash + 2)));
  }
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (const RuleInfo* rule = find_rule(word)) found.rules.push_back(rule->id);
    word.clear();
  };
  for (const char c : rules) {
    if (c == ',' || c == ' ' || c == '\t') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return found;
}

}  // namespace

void apply_inline_suppressions(const SourceFile& file, std::vector<Diagnostic>& diagnostics) {
  if (!has_comments(file.path()) || file.text().find(kMarker) == std::string_view::npos) return;
  const LineIndex& lines = file.lines();
  std::vector<Diagnostic> problems;
  std::vector<std::uint32_t> reported;
  for (Diagnostic& d : diagnostics) {
    if (d.location.file != file.path() || d.suppression_reason) continue;
    const std::uint32_t line = d.location.start.line;
    for (const std::uint32_t candidate : {line, line - 1}) {
      if (candidate == 0 || candidate > lines.line_count()) continue;
      const auto found = parse_line(lines.line_text(candidate));
      if (!found ||
          std::find(found->rules.begin(), found->rules.end(), d.rule_id) == found->rules.end())
        continue;
      if (found->reason.empty()) {
        if (std::find(reported.begin(), reported.end(), candidate) == reported.end()) {
          reported.push_back(candidate);
          const std::size_t begin = lines.line_start(candidate) + found->column;
          problems.push_back(make_diagnostic(
              "GD004", make_location(file, {begin, begin + kMarker.size()}),
              "this inline suppression has no reason, so it suppresses nothing: write "
              "\"# gd-export-lint: ignore RULE -- why it is accepted\""));
          problems.back().severity = Severity::warning;
        }
        continue;
      }
      d.suppression_reason = fmt::format("{} (inline, line {})", found->reason, candidate);
      break;
    }
  }
  for (Diagnostic& p : problems) diagnostics.push_back(std::move(p));
}

}  // namespace gdl::containers
