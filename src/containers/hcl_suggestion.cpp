#include "containers/hcl_suggestion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "hcl/parser.h"
#include "json/parser.h"
#include "source/source_file.h"

namespace gdl::containers {

namespace {

// An HCL quoted string. A `${...}` in the value is a template symbol restored for a stand-in
// (`${data.aws_caller_identity.current.account_id}`): in HCL it is that same expression.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + '"';
}

// A JSON string or list of strings as an HCL list; nullopt for anything else.
std::optional<std::string> list_of(const json::Value& v) {
  std::vector<std::string> items;
  if (v.is_string()) {
    items.push_back(quoted(v.text));
  } else if (v.is_array()) {
    for (const json::Value& item : v.items) {
      if (!item.is_string()) return std::nullopt;
      items.push_back(quoted(item.text));
    }
  } else {
    return std::nullopt;
  }
  return fmt::format("[{}]", fmt::join(items, ", "));
}

class BlockWriter {
 public:
  void line(int depth, std::string_view text) { lines_.push_back({depth, std::string(text), {}}); }
  // `name = value`, its `=` aligned with the attributes next to it, as `terraform fmt` aligns a
  // run of consecutive one-line attributes of a block (a nested block ends the run).
  void attribute(int depth, std::string_view name, std::string value) {
    lines_.push_back({depth, std::string(name), std::move(value), true});
  }

  [[nodiscard]] std::string text() const {
    std::string out;
    for (std::size_t i = 0; i < lines_.size();) {
      std::size_t end = i + 1;
      std::size_t width = lines_[i].text.size();
      if (lines_[i].attribute) {
        while (end < lines_.size() && lines_[end].attribute && lines_[end].depth == lines_[i].depth)
          width = std::max(width, lines_[end++].text.size());
      }
      for (; i < end; ++i) {
        const Line& l = lines_[i];
        out.append(static_cast<std::size_t>(l.depth) * 2, ' ');
        out += l.text;
        if (l.attribute) {
          out.append(width - l.text.size(), ' ');
          out += " = ";
          out += l.value;
        }
        out += '\n';
      }
    }
    return out;
  }

  bool principals(int depth, std::string_view block, const json::Value& principal) {
    if (principal.is_string() && principal.text == "*") {
      line(depth, fmt::format("{} {{", block));
      attribute(depth + 1, "type", "\"*\"");
      attribute(depth + 1, "identifiers", "[\"*\"]");
      line(depth, "}");
      return true;
    }
    if (!principal.is_object()) return false;
    for (const json::Member& m : principal.members) {
      const auto ids = list_of(m.value);
      if (!ids) return false;
      line(depth, fmt::format("{} {{", block));
      attribute(depth + 1, "type", quoted(m.key));
      attribute(depth + 1, "identifiers", *ids);
      line(depth, "}");
    }
    return true;
  }

  bool conditions(int depth, const json::Value& condition) {
    if (!condition.is_object()) return false;
    for (const json::Member& op : condition.members) {
      if (!op.value.is_object()) return false;
      for (const json::Member& key : op.value.members) {
        const auto values = list_of(key.value);
        if (!values) return false;
        line(depth, "condition {");
        attribute(depth + 1, "test", quoted(op.key));
        attribute(depth + 1, "variable", quoted(key.key));
        attribute(depth + 1, "values", *values);
        line(depth, "}");
      }
    }
    return true;
  }

  // One member of a statement as the data source's argument or blocks.
  bool member(int depth, const json::Member& m) {
    struct Argument {
      std::string_view json;
      std::string_view hcl;
    };
    static constexpr Argument kLists[] = {{"Action", "actions"},
                                          {"NotAction", "not_actions"},
                                          {"Resource", "resources"},
                                          {"NotResource", "not_resources"}};
    if (m.key == "Sid" || m.key == "Effect" || m.key == "Version") {
      if (!m.value.is_string()) return false;
      const std::string_view name = m.key == "Sid"      ? "sid"
                                    : m.key == "Effect" ? "effect"
                                                        : "version";
      attribute(depth, name, quoted(m.value.text));
      return true;
    }
    for (const Argument& a : kLists) {
      if (m.key != a.json) continue;
      const auto values = list_of(m.value);
      if (!values) return false;
      attribute(depth, a.hcl, *values);
      return true;
    }
    if (m.key == "Principal") return principals(depth, "principals", m.value);
    if (m.key == "NotPrincipal") return principals(depth, "not_principals", m.value);
    if (m.key == "Condition") return conditions(depth, m.value);
    return false;
  }

 private:
  struct Line {
    int depth = 0;
    std::string text;   // the whole line, or an attribute's name
    std::string value;  // an attribute's value
    bool attribute = false;
  };
  std::vector<Line> lines_;
};

bool literal(const hcl::Expr& e, int depth = 0) {
  using hcl::ExprKind;
  if (depth > 32) return false;
  switch (e.kind) {
    case ExprKind::number:
    case ExprKind::boolean:
    case ExprKind::null:
    case ExprKind::literal_text:
      return true;
    case ExprKind::template_:
      for (const auto& part : e.children) {
        if (part == nullptr || part->kind != ExprKind::literal_text) return false;
      }
      return true;
    case ExprKind::tuple:
    case ExprKind::object:
    case ExprKind::parens:
      for (const auto& child : e.children) {
        if (child == nullptr || !literal(*child, depth + 1)) return false;
      }
      return true;
    default:
      return false;
  }
}

// An object key as terraform fmt leaves it: an identifier bare, anything else quoted.
std::string hcl_key(std::string_view key) {
  const bool identifier =
      !key.empty() &&
      (std::isalpha(static_cast<unsigned char>(key.front())) != 0 || key.front() == '_') &&
      std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
      });
  return identifier ? std::string(key) : quoted(key);
}

// A value on one line, when it is a string, a list of strings, or an object of one such item.
std::optional<std::string> one_line_value(const json::Value& v) {
  if (v.is_string()) return quoted(v.text);
  if (v.is_array()) return list_of(v);  // nullopt unless every element is a string
  if (v.is_object() && v.members.size() == 1 && !v.members.front().value.is_object()) {
    if (const auto inner = one_line_value(v.members.front().value))
      return fmt::format("{{ {} = {} }}", hcl_key(v.members.front().key), *inner);
  }
  return std::nullopt;
}

// The members of `object` at `depth` (two spaces each, after `indent`): a run of one-line items
// has its `=` aligned; an item whose value spans lines ends the run and is not aligned.
bool write_members(std::string& out, const json::Value& object, std::string_view indent,
                   int depth) {
  const std::string pad =
      std::string(indent) + std::string(static_cast<std::size_t>(depth) * 2, ' ');
  const auto& members = object.members;
  for (std::size_t i = 0; i < members.size();) {
    if (!one_line_value(members[i].value)) {
      if (!members[i].value.is_object()) return false;
      out += fmt::format("\n{}{} = {{", pad, hcl_key(members[i].key));
      if (!write_members(out, members[i].value, indent, depth + 1)) return false;
      out += fmt::format("\n{}}}", pad);
      ++i;
      continue;
    }
    std::size_t end = i;
    std::size_t width = 0;
    while (end < members.size() && one_line_value(members[end].value)) {
      width = std::max(width, hcl_key(members[end].key).size());
      ++end;
    }
    for (; i < end; ++i) {
      const std::string key = hcl_key(members[i].key);
      out += fmt::format("\n{}{}{} = {}", pad, key, std::string(width - key.size(), ' '),
                         *one_line_value(members[i].value));
    }
  }
  return true;
}

// What a fix inserts after the `,` that separates it from the element before; empty when it does
// not begin with one (then it is no insertion these writers take).
std::string_view after_separator(std::string_view fragment) {
  if (!fragment.starts_with(',')) return {};
  fragment.remove_prefix(1);
  while (!fragment.empty() && (fragment.front() == ' ' || fragment.front() == '\n'))
    fragment.remove_prefix(1);
  return fragment;
}

}  // namespace

std::optional<std::string> statement_as_hcl_object(std::string_view fragment,
                                                   std::string_view indent) {
  fragment = after_separator(fragment);
  if (!fragment.starts_with('{')) return std::nullopt;
  const SourceFile text("suggestion.json", std::string(fragment));
  const json::ParseResult parsed = json::parse(text);
  if (!parsed.root || parsed.recovered || !parsed.root->is_object() ||
      parsed.root->find("Effect") == nullptr)
    return std::nullopt;
  std::string out = fmt::format(",\n{}{{", indent);
  if (!write_members(out, *parsed.root, indent, 1)) return std::nullopt;
  out += fmt::format("\n{}}}", indent);
  return out;
}

std::optional<std::string> members_as_hcl_object(std::string_view fragment,
                                                 std::string_view indent) {
  fragment = after_separator(fragment);
  if (!fragment.starts_with('"')) return std::nullopt;
  const SourceFile text("suggestion.json", "{" + std::string(fragment) + "}");
  const json::ParseResult parsed = json::parse(text);
  if (!parsed.root || parsed.recovered || !parsed.root->is_object() || parsed.root->members.empty())
    return std::nullopt;
  for (const json::Member& m : parsed.root->members) {
    if (one_line_value(m.value)) return std::nullopt;
  }
  std::string out = ",";
  if (!write_members(out, *parsed.root, indent, 0)) return std::nullopt;
  return out;
}

bool is_literal_hcl(std::string_view text) {
  const SourceFile file("edit.hcl", std::string(text));
  const hcl::ExpressionResult parsed = hcl::parse_expression(file);
  return parsed.expr != nullptr && parsed.diagnostics.empty() && literal(*parsed.expr);
}

std::optional<std::string> policy_fragment_as_blocks(std::string_view fragment,
                                                     std::string_view indent) {
  while (!fragment.empty() &&
         (fragment.front() == ',' || fragment.front() == ' ' || fragment.front() == '\n'))
    fragment.remove_prefix(1);
  if (fragment.empty()) return std::nullopt;
  // A member of a statement is parsed inside an object of its own.
  const bool member = fragment.front() == '"' && fragment.find(':') != std::string_view::npos &&
                      fragment.find('{') != std::string_view::npos;
  const SourceFile text("suggestion.json",
                        member ? "{" + std::string(fragment) + "}" : std::string(fragment));
  const json::ParseResult parsed = json::parse(text);
  if (!parsed.root || parsed.recovered) return std::nullopt;
  const json::Value& root = *parsed.root;
  BlockWriter w;
  if (member) {
    for (const json::Member& m : root.members) {
      if (!w.member(0, m)) return std::nullopt;
    }
  } else if (root.is_object() && root.find("Effect") != nullptr) {
    w.line(0, "statement {");
    for (const json::Member& m : root.members) {
      if (!w.member(1, m)) return std::nullopt;
    }
    w.line(0, "}");
  } else if (root.is_object() || (root.is_string() && root.text == "*")) {
    if (!w.principals(0, "principals", root)) return std::nullopt;
  } else if (auto values = list_of(root)) {
    return *values;
  } else {
    return std::nullopt;
  }
  // Every line after the first gets the indentation of the place it goes.
  std::string out;
  const std::string written = w.text();
  std::string_view rest = written;
  if (rest.ends_with('\n')) rest.remove_suffix(1);
  for (bool first = true; !rest.empty(); first = false) {
    const std::size_t end = rest.find('\n');
    if (!first) out += "\n" + std::string(indent);
    out += rest.substr(0, end);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace gdl::containers
