#include "policy/builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "diag/rule_catalog.h"
#include "util/text.h"

namespace gdl::policy {

std::string Statement::label() const {
  if (sid && !sid->value.empty()) return fmt::format("Statement[{}] '{}'", index, sid->value);
  return fmt::format("Statement[{}]", index);
}

namespace {

constexpr std::string_view kTopLevelElements[] = {"Version", "Id", "Statement"};
constexpr std::string_view kStatementElements[] = {"Sid",          "Effect",      "Principal",
                                                   "NotPrincipal", "Action",      "NotAction",
                                                   "Resource",     "NotResource", "Condition"};

// A value's string for the model: copied from a tree the caller keeps (Node is const), moved
// out of one the caller hands over (each value is read into the model once).
std::string take_text(const std::string& text) {
  return text;
}
std::string take_text(std::string& text) {
  return std::move(text);
}

// Node is `const json::Value` (build_policy) or `json::Value` (take_policy).
template <typename Node>
class Builder {
  using MemberNode = std::conditional_t<std::is_const_v<Node>, const json::Member, json::Member>;

 public:
  Builder(const SourceFile& source, std::vector<Diagnostic>& out) : source_(source), out_(out) {}

  std::optional<Policy> build(Node& root) {
    if (!root.is_object()) {
      report(root.span, fmt::format("a policy must be a JSON object, not {}", a_kind(root.kind)));
      return std::nullopt;
    }
    Policy policy;
    policy.span = root.span;
    if (bare_statement(root)) {
      // A statement copied from a guide or README without its policy around it: one finding
      // (each of its elements is not "unknown top-level"), and its content still checked.
      Diagnostic d = make_diagnostic(
          "GD102", make_location(source_, root.span),
          "this is a single statement, not a policy: AWS rejects it; a policy holds its "
          "statements in \"Statement\": [...], beside \"Version\": \"2012-10-17\"");
      d.fix = Fix{"put the statement inside a policy",
                  {TextEdit{make_location(source_, {root.span.begin, root.span.begin}),
                            "{\"Version\": \"2012-10-17\", \"Statement\": ["},
                   TextEdit{make_location(source_, {root.span.end, root.span.end}), "]}"}}};
      out_.push_back(std::move(d));
      policy.statement_present = true;
      policy.bare_statement = true;
      policy.statement_span = root.span;
      read_statement(root, 0, policy);
      return policy;
    }
    const json::LastWins root_last(root.members);
    for (std::size_t i = 0; i < root.members.size(); ++i) {
      if (root_last.shadowed(i)) continue;
      MemberNode& m = root.members[i];
      const std::string_view key = m.key;  // compared by length first, no strlen
      if (key == "Version") {
        policy.version = string_element(m);
        policy.version_not_string = !policy.version;
      } else if (key == "Id") {
        policy.id = string_element(m);
      } else if (key == "Statement") {
        policy.statement_present = true;
        policy.statement_span = m.value.span;
        read_statements(m, policy);
      } else {
        if (unknown_element(m, root.members, kTopLevelElements, "top-level") == "Version")
          policy.version_misspelt = true;
      }
    }
    if (!policy.statement_present) {
      report(root.span, "the policy has no \"Statement\" element, so it grants and denies nothing");
    }
    return policy;
  }

 private:
  // An object with a statement's Effect and Action (or NotAction) and none of a policy's own
  // elements.
  static bool bare_statement(const Node& root) {
    bool effect = false, action = false;
    for (const json::Member& m : root.members) {
      const std::string_view key = m.key;
      if (key == "Statement" || key == "Version" || key == "Id") return false;
      effect = effect || key == "Effect";
      action = action || key == "Action" || key == "NotAction";
    }
    return effect && action;
  }

  // The kind with its article: "a number", "an array", "null".
  static std::string a_kind(json::Kind kind) {
    if (kind == json::Kind::null) return "null";
    return fmt::format("{} {}",
                       kind == json::Kind::array || kind == json::Kind::object ? "an" : "a",
                       json::to_string(kind));
  }

  void report(Span span, std::string message) {
    out_.push_back(make_diagnostic("GD102", make_location(source_, span), std::move(message)));
  }

  template <std::size_t N>
  // Reports an unknown element; returns the element it is a misspelling of, if any.
  std::string_view unknown_element(MemberNode& m, const std::vector<json::Member>& siblings,
                                   const std::string_view (&known)[N], std::string_view where) {
    // A hostile document can hold a million keys: report the first ones, count the rest.
    if (++unknown_elements_ > kMaxUnknownElements) {
      if (unknown_elements_ == kMaxUnknownElements + 1 && !out_.empty()) {
        out_.back().notes.push_back(
            "more unknown elements follow; they are not reported one by one");
      }
      return {};
    }
    const std::vector<std::string_view> candidates(std::begin(known), std::end(known));
    const std::string_view suggestion = closest_match(m.key, candidates);
    std::string message = fmt::format("unknown {} element \"{}\"", where, m.key);
    if (!suggestion.empty()) {
      message += fmt::format(
          "; did you mean \"{}\"? AWS rejects the policy, or ignores what you meant", suggestion);
    }
    Diagnostic d = make_diagnostic("GD102", make_location(source_, m.key_span), message);
    // No rename into a key the object already has, nor two keys renamed into one: either would
    // make a duplicate key (which value AWS reads is then anyone's guess).
    const auto named = [&](const json::Member& other) {
      return &other != &m &&
             (other.key == suggestion ||
              (&other < &m && closest_match(other.key, candidates) == suggestion &&
               std::find(std::begin(known), std::end(known), other.key) == std::end(known)));
    };
    if (!suggestion.empty() && std::any_of(siblings.begin(), siblings.end(), named)) {
      d.notes.push_back(fmt::format(
          "not renamed for you: this object already has a \"{}\" (or another key that looks like "
          "it); merge them by hand",
          suggestion));
    } else if (!suggestion.empty()) {
      d.fix =
          Fix{fmt::format("rename it to \"{}\"", suggestion),
              {TextEdit{make_location(source_, m.key_span), fmt::format("\"{}\"", suggestion)}}};
    }
    out_.push_back(std::move(d));
    return suggestion;
  }

  std::optional<Text> string_element(MemberNode& m) {
    if (!m.value.is_string()) {
      report(m.value.span,
             fmt::format("\"{}\" must be a string, not {}", m.key, a_kind(m.value.kind)));
      return std::nullopt;
    }
    return Text{take_text(m.value.text), m.value.span};
  }

  // String or array of strings.
  TextList text_list(MemberNode& m) {
    TextList list;
    list.present = true;
    list.span = m.value.span;
    list.key_span = m.key_span;
    auto take = [&](Node& v) {
      if (v.is_string()) {
        list.items.push_back({take_text(v.text), v.span});
      } else {
        report(v.span,
               fmt::format("each \"{}\" entry must be a string, not {}", m.key, a_kind(v.kind)));
      }
    };
    if (m.value.is_array()) {
      list.items.reserve(m.value.items.size());
      if (m.value.items.empty())
        report(m.value.span, fmt::format("\"{}\" is an empty array: it matches nothing", m.key));
      for (Node& item : m.value.items) take(item);
    } else {
      take(m.value);
    }
    return list;
  }

  void read_statements(MemberNode& m, Policy& policy) {
    if (m.value.is_object()) {
      read_statement(m.value, 0, policy);
    } else if (m.value.is_array()) {
      if (m.value.items.empty())
        report(m.value.span, "\"Statement\" is empty: the policy grants and denies nothing");
      for (std::size_t i = 0; i < m.value.items.size(); ++i) {
        Node& item = m.value.items[i];
        if (item.is_object()) {
          read_statement(item, i, policy);
        } else {
          report(item.span,
                 fmt::format("each statement must be a JSON object, not {}", a_kind(item.kind)));
        }
      }
    } else {
      report(m.value.span,
             fmt::format("\"Statement\" must be an object or an array of objects, not {}",
                         a_kind(m.value.kind)));
    }
  }

  void read_statement(Node& object, std::size_t index, Policy& policy) {
    Statement s;
    s.index = index;
    s.span = object.span;
    MemberNode* action = nullptr;
    MemberNode* not_action = nullptr;
    MemberNode* resource = nullptr;
    MemberNode* not_resource = nullptr;
    MemberNode* principal = nullptr;
    MemberNode* not_principal = nullptr;
    const json::LastWins last(object.members);
    for (std::size_t i = 0; i < object.members.size(); ++i) {
      if (last.shadowed(i)) continue;
      MemberNode& m = object.members[i];
      const std::string_view key = m.key;  // compared by length first, no strlen
      if (key == "Sid") {
        s.sid = string_element(m);
      } else if (key == "Effect") {
        s.effect_text = string_element(m);
      } else if (key == "Action") {
        action = &m;
      } else if (key == "NotAction") {
        not_action = &m;
      } else if (key == "Resource") {
        resource = &m;
      } else if (key == "NotResource") {
        not_resource = &m;
      } else if (key == "Principal") {
        principal = &m;
      } else if (key == "NotPrincipal") {
        not_principal = &m;
      } else if (key == "Condition") {
        read_condition(m, s);
      } else {
        unknown_element(m, object.members, kStatementElements, "statement");
      }
    }
    if (s.effect_text) {
      if (s.effect_text->value == "Allow") s.effect = Effect::allow;
      if (s.effect_text->value == "Deny") s.effect = Effect::deny;
    }
    pick_pair(action, not_action, "Action", s.action, s.action_negated, s, true);
    pick_pair(resource, not_resource, "Resource", s.resource, s.resource_negated, s, true);
    if (principal != nullptr && not_principal != nullptr) {
      report(not_principal->key_span,
             fmt::format("{} has both \"Principal\" and \"NotPrincipal\"; use one of them",
                         s.label()));
    }
    if (principal != nullptr) {
      read_principal(*principal, s.principal);
    } else if (not_principal != nullptr) {
      read_principal(*not_principal, s.principal);
      s.principal_negated = true;
    }
    policy.statements.push_back(std::move(s));
  }

  void pick_pair(MemberNode* positive, MemberNode* negative, std::string_view name, TextList& into,
                 bool& negated, const Statement& s, bool required) {
    if (positive != nullptr && negative != nullptr) {
      report(negative->key_span,
             fmt::format("{} has both \"{}\" and \"Not{}\"; a statement takes one of them",
                         s.label(), name, name));
    }
    if (positive != nullptr) {
      into = text_list(*positive);
    } else if (negative != nullptr) {
      into = text_list(*negative);
      negated = true;
    } else if (required) {
      Diagnostic d = make_diagnostic(
          "GD102", make_location(source_, {s.span.begin, s.span.begin + 1}),
          fmt::format("{} has no \"{}\" (or \"Not{}\") element; AWS rejects the policy", s.label(),
                      name, name));
      out_.push_back(std::move(d));
    }
  }

  void read_principal(MemberNode& m, PrincipalElement& p) {
    p.present = true;
    p.span = m.value.span;
    p.key_span = m.key_span;
    if (m.value.is_string()) {
      if (m.value.text == "*") {
        p.everyone = true;
      } else {
        report(m.value.span,
               fmt::format("\"{}\" must be \"*\" or an object such as {{\"AWS\": \"...\"}} or "
                           "{{\"Service\": \"...\"}}; a bare string other than \"*\" is rejected",
                           m.key));
      }
      return;
    }
    if (!m.value.is_object()) {
      report(m.value.span,
             fmt::format("\"{}\" must be \"*\" or an object, not {}", m.key, a_kind(m.value.kind)));
      return;
    }
    const json::LastWins last(m.value.members);
    for (std::size_t i = 0; i < m.value.members.size(); ++i) {
      if (last.shadowed(i)) continue;
      MemberNode& typed = m.value.members[i];
      static const std::vector<std::string_view> kTypes = {"AWS", "Service", "Federated",
                                                           "CanonicalUser"};
      if (std::find(kTypes.begin(), kTypes.end(), typed.key) == kTypes.end()) {
        const std::string_view suggestion = closest_match(typed.key, kTypes);
        report(typed.key_span,
               fmt::format("unknown principal type \"{}\"{}", typed.key,
                           suggestion.empty()
                               ? std::string("; use AWS, Service, Federated or CanonicalUser")
                               : fmt::format("; did you mean \"{}\"?", suggestion)));
        continue;
      }
      TextList values = text_list(typed);
      for (Text& value : values.items)
        p.entries.push_back({typed.key, typed.key_span, std::move(value)});
    }
  }

  void read_condition(MemberNode& m, Statement& s) {
    s.has_condition = true;
    s.condition_span = m.value.span;
    if (!m.value.is_object()) {
      report(m.value.span, fmt::format("\"Condition\" must be an object of operators, not {}",
                                       a_kind(m.value.kind)));
      return;
    }
    const json::LastWins last_op(m.value.members);
    for (std::size_t i = 0; i < m.value.members.size(); ++i) {
      if (last_op.shadowed(i)) continue;
      MemberNode& op = m.value.members[i];
      if (!op.value.is_object()) {
        report(op.value.span,
               fmt::format(
                   "condition operator \"{}\" must map to an object of keys and values, not {}",
                   op.key, a_kind(op.value.kind)));
        continue;
      }
      const json::LastWins last_key(op.value.members);
      for (std::size_t k = 0; k < op.value.members.size(); ++k) {
        if (last_key.shadowed(k)) continue;
        MemberNode& key = op.value.members[k];
        ConditionClause clause;
        clause.op = {op.key, op.key_span};
        clause.key = {key.key, key.key_span};
        clause.values_span = key.value.span;
        auto take = [&](Node& v) {
          switch (v.kind) {
            case json::Kind::string:
            case json::Kind::number:
              clause.values.push_back({take_text(v.text), v.span});
              break;
            case json::Kind::boolean:
              clause.values.push_back({v.boolean ? "true" : "false", v.span});
              break;
            default:
              report(v.span,
                     fmt::format("a condition value must be a string, number or boolean, not {}",
                                 a_kind(v.kind)));
          }
        };
        if (key.value.is_array()) {
          for (Node& item : key.value.items) take(item);
        } else {
          take(key.value);
        }
        s.conditions.push_back(std::move(clause));
      }
    }
  }

  static constexpr std::size_t kMaxUnknownElements = 50;
  const SourceFile& source_;
  std::vector<Diagnostic>& out_;
  std::size_t unknown_elements_ = 0;
};

}  // namespace

BuildResult build_policy(const json::Value& root, const SourceFile& source) {
  BuildResult result;
  Builder<const json::Value> builder(source, result.diagnostics);
  result.policy = builder.build(root);
  return result;
}

BuildResult take_policy(json::Value& root, const SourceFile& source) {
  BuildResult result;
  Builder<json::Value> builder(source, result.diagnostics);
  result.policy = builder.build(root);
  return result;
}

}  // namespace gdl::policy
