#include "analysis/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
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

std::string baseline_file(const std::string& file, const std::string& root) {
  if (file.empty() || file.front() == '<') return file;
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec).lexically_normal();
  if (ec || root.empty()) return absolute.generic_string();
  const std::filesystem::path relative = absolute.lexically_relative(root);
  return relative.empty() ? absolute.generic_string() : relative.generic_string();
}

BaselineFilter::BaselineFilter(std::vector<std::string> fingerprints, std::string root)
    : root_(std::move(root)) {
  match_.entries = fingerprints.size();
  for (std::string& fp : fingerprints) ++remaining_[std::move(fp)];
}

void BaselineFilter::filter(std::vector<Diagnostic>& diagnostics) {
  const std::size_t before = diagnostics.size();
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    auto it = remaining_.find(fingerprint(d, baseline_file(d.location.file, root_)));
    if (it == remaining_.end() || it->second == 0) return false;
    --it->second;
    return true;
  });
  match_.hidden += before - diagnostics.size();
}

BaselineMatch BaselineFilter::match() const {
  BaselineMatch m = match_;
  m.stale = m.entries - m.hidden;
  return m;
}

BaselineMatch apply_baseline(std::vector<Diagnostic>& diagnostics,
                             std::vector<std::string> fingerprints, const std::string& root) {
  BaselineFilter filter(std::move(fingerprints), root);
  filter.filter(diagnostics);
  return filter.match();
}

std::string project_root(const std::string& config_directory) {
  namespace fs = std::filesystem;
  if (!config_directory.empty()) return fs::path(config_directory).lexically_normal().string();
  std::error_code ec;
  const fs::path here = fs::current_path(ec);
  if (ec) return {};
  for (fs::path dir = here; !dir.empty(); dir = dir.parent_path()) {
    std::error_code missing;
    if (fs::exists(dir / ".git", missing)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return here.string();
}

}  // namespace gdl
