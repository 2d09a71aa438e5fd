#include "json/encoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "diag/rule_catalog.h"
#include "json/parser.h"
#include "util/text.h"

namespace gdl::json::detail {

namespace {
constexpr std::size_t kMaxEncodingDiagnostics = 10;
}  // namespace

bool check_encoding(const SourceFile& source, WorkingText& working, std::vector<Diagnostic>& out) {
  const std::string_view text = source.text();
  auto report = [&](Span span, std::string message, std::string fix) {
    Diagnostic d = make_diagnostic("GD003", make_location(source, span), std::move(message));
    if (!fix.empty()) d.fix = Fix{std::move(fix), {TextEdit{d.location, ""}}};
    out.push_back(std::move(d));
  };
  if (looks_wide(text)) {
    out.push_back(not_utf8_error(source, "policies must be UTF-8"));
    return false;
  }
  std::size_t start = 0;
  if (text.starts_with("\xEF\xBB\xBF")) {
    report({0, 3},
           "the file starts with a UTF-8 byte-order mark (EF BB BF); JSON text must not (RFC 8259 "
           "section 8.1) and AWS can reject the policy as malformed",
           "remove the byte-order mark");
    working.edit().replace(0, 3, "   ");
    start = 3;
  }
  std::size_t reported = 0;
  std::size_t suppressed = 0;
  for (std::size_t i = next_invalid_utf8(text, start); i < text.size();
       i = next_invalid_utf8(text, i)) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // A run of bad bytes of the same sort is one problem.
    const bool nul = byte == 0;
    std::size_t end = i + 1;
    while (end < text.size() &&
           (nul ? text[end] == '\0'
                : (text[end] != '\0' && static_cast<unsigned char>(text[end]) >= 0x80 &&
                   valid_utf8_sequence_length(text.substr(end)) == 0))) {
      ++end;
    }
    std::string& blanked = working.edit();
    for (std::size_t k = i; k < end; ++k) blanked[k] = ' ';
    if (reported < kMaxEncodingDiagnostics) {
      if (nul) {
        report({i, end},
               fmt::format("{} NUL byte{} (0x00) in the file; JSON text cannot contain them",
                           end - i == 1 ? "a" : std::to_string(end - i), end - i == 1 ? "" : "s"),
               "remove the NUL bytes");
      } else {
        std::string bytes;
        for (std::size_t k = i; k < std::min(end, i + 8); ++k) {
          bytes += fmt::format("{}{:02X}", bytes.empty() ? "" : " ",
                               static_cast<unsigned char>(text[k]));
        }
        if (end - i > 8) bytes += " ...";
        report({i, end},
               fmt::format("invalid UTF-8 byte sequence ({}); the file must be UTF-8 (was it saved "
                           "as Latin-1 or Windows-1252?)",
                           bytes),
               "");
      }
      ++reported;
    } else {
      ++suppressed;
    }
    i = end;
  }
  if (suppressed > 0 && !out.empty()) {
    out.back().notes.push_back(
        fmt::format("{} more encoding problems in this file are not shown", suppressed));
  }
  return true;
}

// Maps every span of the tree back to the original text, iteratively (trees can be very deep).

}  // namespace gdl::json::detail

namespace gdl::json {

Diagnostic not_utf8_error(const SourceFile& source, std::string_view requirement) {
  Diagnostic d = make_diagnostic(
      "GD003", make_location(source, {0, std::min<std::size_t>(2, source.text().size())}),
      fmt::format("the file is UTF-16 or UTF-32 encoded; {}", requirement));
  d.notes.push_back(
      "re-save the file as UTF-8 (without a byte-order mark); nothing else in it was read");
  return d;
}

}  // namespace gdl::json
