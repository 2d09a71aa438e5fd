#include "containers/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>

#include "report/rule_catalog.h"

namespace gdl::containers {

namespace {

// yaml-cpp parses recursively: hostile nesting would overflow the stack, so deeper input is
// refused before it reaches the parser. Real templates nest a few dozen levels.
constexpr std::size_t kMaxDepth = 400;
constexpr int kMaxRepairs = 8;

constexpr std::array kShortForms = {
    "Ref",       "Sub",         "GetAtt", "Join",      "Select", "Split",       "If",
    "FindInMap", "ImportValue", "Base64", "GetAZs",    "Equals", "Not",         "And",
    "Or",        "Condition",   "Cidr",   "Transform", "Length", "ToJsonString"};

// An upper bound on the nesting the text can produce: block indentation plus sequence
// indicators on a line, and open flow brackets.
std::size_t estimated_depth(std::string_view text) {
  std::size_t deepest = 0, flow = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t indent = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '-' || text[i] == '?')) {
      ++indent;
      ++i;
    }
    char quote = 0;
    for (; i < text.size() && text[i] != '\n'; ++i) {
      const char c = text[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{') {
        ++flow;
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      deepest = std::max(deepest, flow + indent);
    }
    deepest = std::max(deepest, flow + indent);
    ++i;
  }
  return deepest;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::size_t line_end(std::string_view text, std::size_t at) {
  while (at < text.size() && text[at] != '\n' && text[at] != '\r') ++at;
  return at;
}

std::size_t indentation_at(std::string_view text, std::size_t at) {
  std::size_t start = at;
  while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r') --start;
  std::size_t i = start;
  while (i < text.size() && text[i] == ' ') ++i;
  return i - start;
}

// Where the scalar starting at `pos` ends: yaml-cpp gives only where nodes start.
std::size_t scalar_end(std::string_view text, std::size_t pos, bool in_flow) {
  std::size_t i = std::min(pos, text.size());
  while (i < text.size() && (text[i] == '!' || text[i] == '&')) {
    while (i < text.size() && !is_space(text[i]) && text[i] != '\n') ++i;
    while (i < text.size() && is_space(text[i])) ++i;
  }
  if (i >= text.size()) return text.size();
  const char c = text[i];
  if (c == '"') {
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') ++i;
    }
    return std::min(i + 1, text.size());
  }
  if (c == '\'') {
    for (++i; i < text.size(); ++i) {
      if (text[i] != '\'') continue;
      if (i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i + 1;
    }
    return text.size();
  }
  if (c == '|' || c == '>') {
    // A block scalar runs over the following lines indented deeper than the line it starts on.
    const std::size_t base = indentation_at(text, pos);
    std::size_t end = line_end(text, i);
    std::size_t next = end;
    while (next < text.size()) {
      next += (text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n') ? std::size_t{2} : std::size_t{1};
      const std::size_t eol = line_end(text, next);
      std::size_t first = next;
      while (first < eol && text[first] == ' ') ++first;
      if (first == eol) {  // blank line: part of the block if more follows
        next = eol;
        continue;
      }
      if (first - next <= base) break;
      end = eol;
      next = eol;
    }
    return end;
  }
  std::size_t end = i;
  for (; i < text.size() && text[i] != '\n' && text[i] != '\r'; ++i) {
    if (text[i] == '#' && i > pos && is_space(text[i - 1])) break;
    if (in_flow && (text[i] == ',' || text[i] == ']' || text[i] == '}')) break;
    if (text[i] == ':' && (i + 1 >= text.size() || is_space(text[i + 1]) || text[i + 1] == '\n' ||
                           text[i + 1] == '\r'))
      break;
    if (!is_space(text[i])) end = i + 1;
  }
  return end;
}

bool is_plain_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const std::size_t digits_from = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits_from) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const std::size_t exp_from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exp_from) return false;
  }
  return i == s.size();
}

class Converter {
 public:
  Converter(const SourceFile& source, std::vector<Diagnostic>& diagnostics)
      : source_(source), text_(source.text()), diagnostics_(diagnostics) {}

  json::Value convert(const YAML::Node& node, bool in_flow, std::size_t fallback) {
    const YAML::Mark mark = node.Mark();
    const std::size_t pos = mark.pos >= 0 && static_cast<std::size_t>(mark.pos) <= text_.size()
                                ? static_cast<std::size_t>(mark.pos)
                                : fallback;
    const std::string& tag = node.Tag();
    if (tag.size() > 1 && tag[0] == '!' && tag[1] != '!') return intrinsic(node, tag, pos, in_flow);
    return plain(node, tag, pos, in_flow);
  }

 private:
  json::Value intrinsic(const YAML::Node& node, const std::string& tag, std::size_t pos,
                        bool in_flow) {
    const std::string name = tag.substr(1);
    const bool known = std::find(kShortForms.begin(), kShortForms.end(), name) != kShortForms.end();
    const Span tag_span{pos, std::min(text_.size(), pos + tag.size())};
    if (!known) {
      diagnostics_.push_back(make_diagnostic(
          "GD007", make_location(source_, tag_span),
          fmt::format("unknown tag {}: CloudFormation's short-form functions are !Ref, !Sub, "
                      "!GetAtt, !Join, !Select, !Split, !If, !FindInMap, !ImportValue, !Base64, "
                      "!GetAZs, !Cidr and the condition functions; the value is treated as "
                      "unknown",
                      tag)));
    }
    json::Value inner = plain(node, "?", pos, in_flow);
    inner.span.begin = std::min(inner.span.begin, inner.span.end);
    if (name == "GetAtt" && inner.is_string()) {
      // `!GetAtt Resource.Attribute` is the list form [Resource, Attribute].
      const std::size_t dot = inner.text.find('.');
      json::Value list(json::Kind::array, inner.span);
      json::Value first(json::Kind::string, inner.span);
      first.text = inner.text.substr(0, dot);
      list.items.push_back(std::move(first));
      if (dot != std::string::npos) {
        json::Value second(json::Kind::string, inner.span);
        second.text = inner.text.substr(dot + 1);
        list.items.push_back(std::move(second));
      }
      inner = std::move(list);
    }
    json::Value object(json::Kind::object, Span{pos, std::max(pos, inner.span.end)});
    json::Member member;
    member.key = !known ? tag : name == "Ref" || name == "Condition" ? name : "Fn::" + name;
    member.key_span = tag_span;
    member.value = std::move(inner);
    object.members.push_back(std::move(member));
    return object;
  }

  json::Value plain(const YAML::Node& node, const std::string& tag, std::size_t pos, bool in_flow) {
    switch (node.Type()) {
      case YAML::NodeType::Scalar: {
        const std::size_t end = scalar_end(text_, pos, in_flow);
        const std::string& scalar = node.Scalar();
        const bool quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
        json::Kind kind = json::Kind::string;
        if (!quoted) {
          if (scalar.empty() || scalar == "~" || scalar == "null" || scalar == "Null" ||
              scalar == "NULL") {
            kind = json::Kind::null;
          } else if (scalar == "true" || scalar == "True" || scalar == "TRUE" ||
                     scalar == "false" || scalar == "False" || scalar == "FALSE") {
            kind = json::Kind::boolean;
          } else if (is_plain_number(scalar)) {
            kind = json::Kind::number;
          }
        }
        json::Value v(kind, Span{pos, std::max(pos, end)});
        v.text = scalar;
        v.boolean = kind == json::Kind::boolean && (scalar[0] == 't' || scalar[0] == 'T');
        return v;
      }
      case YAML::NodeType::Sequence: {
        const bool flow = node.Style() == YAML::EmitterStyle::Flow;
        json::Value v(json::Kind::array, Span{pos, pos});
        for (const YAML::Node& item : node) {
          v.items.push_back(convert(item, flow, v.span.end));
          v.span.end = std::max(v.span.end, v.items.back().span.end);
        }
        if (flow) v.span.end = closing_bracket(v.span.end, ']');
        return v;
      }
      case YAML::NodeType::Map: {
        const bool flow = node.Style() == YAML::EmitterStyle::Flow;
        json::Value v(json::Kind::object, Span{pos, pos});
        for (auto it = node.begin(); it != node.end(); ++it) {
          json::Member member;
          const YAML::Mark key_mark = it->first.Mark();
          const std::size_t key_pos =
              key_mark.pos >= 0 && static_cast<std::size_t>(key_mark.pos) <= text_.size()
                  ? static_cast<std::size_t>(key_mark.pos)
                  : v.span.end;
          member.key = it->first.IsScalar() ? it->first.Scalar() : std::string();
          member.key_span = {key_pos, std::max(key_pos, scalar_end(text_, key_pos, flow))};
          member.value = convert(it->second, flow, member.key_span.end);
          if (member.value.kind == json::Kind::null && member.value.text.empty()) {
            member.value.span = {member.key_span.end, member.key_span.end};  // `Key:` alone
          }
          v.span.end = std::max({v.span.end, member.key_span.end, member.value.span.end});
          v.members.push_back(std::move(member));
        }
        if (flow) v.span.end = closing_bracket(v.span.end, '}');
        return v;
      }
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    json::Value v(json::Kind::null, Span{pos, pos});
    return v;
  }

  // Just past the flow collection's closing bracket, found after its last item.
  std::size_t closing_bracket(std::size_t from, char bracket) const {
    for (std::size_t i = from; i < text_.size(); ++i) {
      if (text_[i] == bracket) return i + 1;
      if (!is_space(text_[i]) && text_[i] != '\n' && text_[i] != '\r' && text_[i] != ',') break;
    }
    return from;
  }

  const SourceFile& source_;
  std::string_view text_;
  std::vector<Diagnostic>& diagnostics_;
};

}  // namespace

YamlResult read_yaml(const SourceFile& source) {
  YamlResult result;
  if (estimated_depth(source.text()) > kMaxDepth) {
    result.diagnostics.push_back(make_diagnostic(
        "GD007", make_location(source, {0, 0}),
        fmt::format("the YAML is nested more than {} levels deep; no template nests like this, "
                    "so it was not read",
                    kMaxDepth)));
    return result;
  }
  // On a syntax error the offending line is blanked and the rest read again, so one mistake
  // does not hide the findings in the rest of the template.
  std::string text(source.text());
  for (int attempt = 0; attempt <= kMaxRepairs; ++attempt) {
    try {
      const YAML::Node node = YAML::Load(text);
      Converter converter(source, result.diagnostics);
      result.root = converter.convert(node, false, 0);
      return result;
    } catch (const YAML::Exception& e) {
      const std::size_t at =
          e.mark.pos >= 0 ? std::min(static_cast<std::size_t>(e.mark.pos), text.size()) : 0;
      if (attempt == 0) {
        const std::size_t end = std::min(text.size(), at + 1);
        result.diagnostics.push_back(make_diagnostic(
            "GD007", make_location(source, {at, end}),
            fmt::format("invalid YAML: {}; the line was left out so the rest of the template "
                        "could be checked",
                        e.msg)));
      }
      result.repaired = true;
      // Blank the line holding the error (and stop when it is already blank).
      std::size_t start = at;
      while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r') --start;
      const std::size_t stop = line_end(text, at);
      bool changed = false;
      for (std::size_t i = start; i < stop; ++i) {
        if (text[i] != ' ') changed = true;
        text[i] = ' ';
      }
      if (!changed) break;
    }
  }
  return result;
}

}  // namespace gdl::containers
