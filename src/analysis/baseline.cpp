#include "analysis/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "json/parser.h"

namespace gdl {

std::optional<std::vector<std::string>> read_baseline(const SourceFile& source,
                                                      std::string& error) {
  auto parsed = json::parse(source);
  if (!parsed.root || parsed.recovered) {
    error = parsed.diagnostics.empty() ? "not valid JSON" : parsed.diagnostics.front().message;
    return std::nullopt;
  }
  const json::Member* findings = parsed.root->is_object() ? parsed.root->find("findings") : nullptr;
  if (findings == nullptr || !findings->value.is_array()) {
    error = "a baseline is an object with a \"findings\" array (written by --write-baseline)";
    return std::nullopt;
  }
  std::vector<std::string> result;
  for (const json::Value& f : findings->value.items) {
    const json::Member* fp = f.is_object() ? f.find("fingerprint") : nullptr;
    if (fp == nullptr || !fp->value.is_string()) {
      const Position p = source.position(f.span.begin);
      error = fmt::format("line {}, column {}: each finding needs a \"fingerprint\" string", p.line,
                          p.column);
      return std::nullopt;
    }
    result.push_back(fp->value.text);
  }
  return result;
}

std::size_t apply_baseline(std::vector<Diagnostic>& diagnostics,
                           std::vector<std::string> fingerprints) {
  std::unordered_map<std::string, std::size_t> remaining;
  for (std::string& fp : fingerprints) ++remaining[std::move(fp)];
  const std::size_t before = diagnostics.size();
  std::erase_if(diagnostics, [&remaining](const Diagnostic& d) {
    auto it = remaining.find(fingerprint(d));
    if (it == remaining.end() || it->second == 0) return false;
    --it->second;
    return true;
  });
  return before - diagnostics.size();
}

}  // namespace gdl
