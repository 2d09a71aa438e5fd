#include "iam/compiled_value.h"

#include <utility>

namespace gdl::iam::detail {

std::vector<ValuePiece> split_variables(std::string_view text) {
  std::vector<ValuePiece> pieces;
  std::size_t pos = 0;
  std::string literal;
  while (pos < text.size()) {
    const std::size_t open = text.find("${", pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      literal += text.substr(pos);
      break;
    }
    literal += text.substr(pos, open - pos);
    std::string_view inner = text.substr(open + 2, close - open - 2);
    // Special characters: ${*}, ${?} and ${$} stand for the literal character.
    if (inner == "*" || inner == "?" || inner == "$") {
      if (!literal.empty()) pieces.push_back({false, std::exchange(literal, {}), std::nullopt});
      pieces.push_back({true, std::string(inner), std::string(inner)});
      pieces.back().text = "";  // no key: always the fallback
      pos = close + 1;
      continue;
    }
    ValuePiece variable{true, {}, std::nullopt};
    if (const std::size_t comma = inner.find(','); comma != std::string_view::npos) {
      std::string_view fallback = inner.substr(comma + 1);
      while (!fallback.empty() && fallback.front() == ' ') fallback.remove_prefix(1);
      while (!fallback.empty() && fallback.back() == ' ') fallback.remove_suffix(1);
      if (fallback.size() >= 2 && fallback.front() == '\'' && fallback.back() == '\'') {
        variable.fallback = std::string(fallback.substr(1, fallback.size() - 2));
      }
      inner = inner.substr(0, comma);
    }
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    variable.text = std::string(inner);
    if (!literal.empty()) pieces.push_back({false, std::exchange(literal, {}), std::nullopt});
    pieces.push_back(std::move(variable));
    pos = close + 1;
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal), std::nullopt});
  return pieces;
}

std::optional<Pattern> resolve_pattern(const CompiledValue& v, const Request& request,
                                       bool fold_case, bool glob) {
  if (!v.has_variables) return v.pattern;
  Pattern p = Pattern::glob("", fold_case);
  for (const ValuePiece& piece : v.pieces) {
    if (!piece.variable) {
      glob ? p.append_glob(piece.text) : p.append_literal(piece.text);
      continue;
    }
    const ContextValue* value = piece.text.empty() ? nullptr : request.find(piece.text);
    if (value != nullptr && value->values.size() == 1 && !value->multivalued) {
      p.append_literal(value->values.front());
    } else if (piece.fallback) {
      p.append_literal(*piece.fallback);
    } else {
      return std::nullopt;
    }
  }
  return p;
}

bool pattern_matches(const CompiledValue& v, std::string_view text, const Request& request,
                     bool fold_case) {
  if (!v.has_variables) return v.pattern.matches(text);
  const auto pattern = resolve_pattern(v, request, fold_case, true);
  return pattern && pattern->matches(text);
}

std::optional<std::string> resolve_text(const CompiledValue& v, const Request& request) {
  if (!v.has_variables) return std::string(v.text);
  std::string out;
  for (const ValuePiece& piece : v.pieces) {
    if (!piece.variable) {
      out += piece.text;
      continue;
    }
    const ContextValue* value = piece.text.empty() ? nullptr : request.find(piece.text);
    if (value != nullptr && value->values.size() == 1 && !value->multivalued) {
      out += value->values.front();
    } else if (piece.fallback) {
      out += *piece.fallback;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

CompiledValue compile_value(std::string_view text, bool variables, bool fold_case, bool glob) {
  CompiledValue v;
  v.text = text;
  v.has_variables = variables && text.find("${") != std::string_view::npos;
  if (v.has_variables) {
    v.pieces = split_variables(text);
  } else {
    v.pattern = glob ? Pattern::glob(text, fold_case) : Pattern::glob("", fold_case);
    if (!glob) v.pattern.append_literal(text);
  }
  return v;
}

std::optional<std::array<Pattern, 6>> resolve_arn_parts(const CompiledValue& v,
                                                        const Request& request) {
  std::vector<std::pair<std::string, bool>> runs;  // text, is_glob
  for (const ValuePiece& piece : v.pieces) {
    if (!piece.variable) {
      runs.emplace_back(piece.text, true);
      continue;
    }
    const ContextValue* value = piece.text.empty() ? nullptr : request.find(piece.text);
    if (value != nullptr && value->values.size() == 1 && !value->multivalued) {
      runs.emplace_back(value->values.front(), false);
    } else if (piece.fallback) {
      runs.emplace_back(*piece.fallback, false);
    } else {
      return std::nullopt;
    }
  }
  std::array<Pattern, 6> parts;
  for (Pattern& p : parts) p = Pattern::glob("", false);
  std::size_t part = 0;
  for (const auto& [text, is_glob] : runs) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && !(text[i] == ':' && part < 5)) continue;
      const std::string_view chunk = std::string_view(text).substr(start, i - start);
      is_glob ? parts[part].append_glob(chunk) : parts[part].append_literal(chunk);
      if (i < text.size()) ++part;
      start = i + 1;
    }
  }
  if (part < 5) return std::nullopt;  // fewer than six components: not an ARN pattern
  return parts;
}

bool arn_matches(const CompiledValue& v, std::string_view request_value, const Request& request) {
  std::string_view parts[6];
  if (!v.has_variables && !v.arn_split) return v.text == "*";
  if (!split_arn(request_value, parts)) return false;
  if (!v.has_variables) {
    for (int i = 0; i < 6; ++i) {
      if (!v.arn_parts[i].matches(parts[i])) return false;
    }
    return true;
  }
  const auto resolved = resolve_arn_parts(v, request);
  if (!resolved) return false;
  for (std::size_t i = 0; i < 6; ++i) {
    if (!(*resolved)[i].matches(parts[i])) return false;
  }
  return true;
}

}  // namespace gdl::iam::detail
