#include "diag/diagnostic.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>

#include "util/text.h"

namespace gdl {

namespace {
constexpr SeverityStyle kStyles[] = {
    {Severity::note, "note", "note", "notice", "1;36"},
    {Severity::warning, "warning", "warning", "warning", "1;35"},
    {Severity::error, "error", "error", "error", "1;31"},
};
}  // namespace

const SeverityStyle& style_of(Severity severity) {
  return kStyles[static_cast<std::size_t>(severity)];
}

std::string_view to_string(Severity severity) {
  return style_of(severity).name;
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (const SeverityStyle& s : kStyles) {
    if (s.name == text) return s.severity;
  }
  return std::nullopt;
}

Span container_span(const SourceFile& source, Span span) {
  if (const Embedding* e = source.embedding()) {
    const Span outer{e->map.to_outer(span.begin), e->map.to_outer(span.end)};
    return container_span(*e->container, Span{outer.begin, std::max(outer.begin, outer.end)});
  }
  return span;
}

const std::string& container_path(const SourceFile& source) {
  const Embedding* e = source.embedding();
  return e != nullptr ? container_path(*e->container) : source.path();
}

Location make_location(const SourceFile& source, Span span) {
  // A document decoded from a container (CLI output, a Terraform string) is reported where
  // its bytes are written in the user's own file.
  if (const Embedding* e = source.embedding()) {
    const Span outer{e->map.to_outer(span.begin), e->map.to_outer(span.end)};
    Location location =
        make_location(*e->container, Span{outer.begin, std::max(outer.begin, outer.end)});
    location.embedded = span;  // the innermost document's, set last
    return location;
  }
  return Location{source.path(), span, source.position(span.begin), source.position(span.end), {}};
}

std::string fingerprint(const Diagnostic& d) {
  return fingerprint(d, d.location.file);
}

std::string fingerprint(const Diagnostic& d, std::string_view file) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  auto mix = [&hash](std::string_view text, bool blank_digits = false) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(blank_digits && c >= '0' && c <= '9' ? '#' : c);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xFF;
    hash *= 1099511628211ULL;
  };
  mix(d.rule_id);
  mix(file);
  mix(!d.statement_sid.empty()
          ? d.statement_sid
          : (d.statement_index ? std::to_string(*d.statement_index) : std::string("-")));
  // Other files a message names (a key policy beside this bucket policy) are spelled as this
  // one was given ("./setup/", "/abs/setup/"): the baseline's spelling of the directory stands
  // for them, so that `check .` and `check setup` give one fingerprint.
  const std::size_t given_slash = d.location.file.rfind('/');
  const std::size_t file_slash = file.rfind('/');
  if (given_slash != std::string::npos && file != d.location.file) {
    const std::string_view given_dir = std::string_view(d.location.file).substr(0, given_slash + 1);
    const std::string_view file_dir =
        file_slash == std::string_view::npos ? std::string_view() : file.substr(0, file_slash + 1);
    std::string message = d.message;
    replace_all(message, given_dir, file_dir);
    mix(message, true);
  } else {
    mix(d.message, true);
  }
  char buffer[17];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    buffer[i] = kHex[hash & 0xF];
    hash >>= 4;
  }
  buffer[16] = '\0';
  return buffer;
}

bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.location.file, a.location.span.begin, a.rule_id, a.message) <
         std::tie(b.location.file, b.location.span.begin, b.rule_id, b.message);
}

}  // namespace gdl
