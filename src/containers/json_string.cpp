#include "containers/json_string.h"

#include <fmt/format.h>

namespace gdl::containers {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at `at`, or -1.
long hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return -1;
  long value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int digit = hex_value(text[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::unique_ptr<SourceFile> decode_json_string(const SourceFile& container, Span quoted,
                                               std::string path) {
  const std::string_view all = container.text();
  std::size_t begin = std::min(quoted.begin + 1, all.size());
  std::size_t end = std::min(quoted.end, all.size());
  // The parser may have repaired an unterminated string: its span then has no closing quote.
  if (end > begin && all[end - 1] == '"') --end;
  end = std::max(begin, end);
  const std::string_view raw = all.substr(begin, end - begin);

  std::string text;
  text.reserve(raw.size());
  Embedding embedding{&container, {}, Quoting::json_string};
  bool in_run = false;
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] != '\\') {
      if (!in_run) embedding.map.add(text.size(), begin + i);
      in_run = true;
      text += raw[i++];
      continue;
    }
    in_run = false;
    embedding.map.add(text.size(), begin + i, false);
    const char e = i + 1 < raw.size() ? raw[i + 1] : '\\';
    std::size_t length = 2;
    switch (e) {
      case 'n':
        text += '\n';
        break;
      case 't':
        text += '\t';
        break;
      case 'r':
        text += '\r';
        break;
      case 'b':
        text += '\b';
        break;
      case 'f':
        text += '\f';
        break;
      case 'u': {
        long cp = hex4(raw, i + 2);
        length = cp < 0 ? 2 : 6;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 7 < raw.size() && raw[i + 6] == '\\' &&
            raw[i + 7] == 'u') {
          const long low = hex4(raw, i + 8);
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            length = 12;
          }
        }
        // A lone surrogate cannot be UTF-8: it becomes U+FFFD, as the parser reports (GD003).
        if (cp < 0 || (cp >= 0xD800 && cp < 0xE000)) cp = 0xFFFD;
        append_utf8(text, static_cast<unsigned long>(cp));
        break;
      }
      default:
        text += e;
        break;  // \" \\ \/ (and anything else, kept as written)
    }
    i += std::min(length, raw.size() - i);
  }
  embedding.map.add(text.size(), end);
  return std::make_unique<SourceFile>(std::move(path), std::move(text), std::move(embedding));
}

}  // namespace gdl::containers
