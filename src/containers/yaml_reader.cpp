#include "containers/yaml_reader.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "diag/rule_catalog.h"
#include "json/parser.h"
#include "util/text.h"

// libyaml's event parser rather than a DOM library: it is iterative (no recursion, so hostile
// nesting cannot overflow the stack), streams (memory is our own tree), and gives every node
// its exact start and end, so spans need no guessing. Aliases are expanded by us, on a budget.

namespace gdl::containers {

namespace {

constexpr int kMaxRepairs = 8;
constexpr std::size_t kLargeInput = 1024 * 1024;  // CloudFormation's own limit for a template
constexpr std::size_t kMaxChildren = 10000;
// libyaml re-examines every open flow level on each token, so hostile nesting is quadratic;
// deeper input is refused before it reaches the parser. Real templates nest a few dozen levels.
constexpr std::size_t kMaxDepth = 400;

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

constexpr std::array<std::string_view, 20> kShortForms = {
    "Ref",       "Sub",         "GetAtt", "Join",      "Select", "Split",       "If",
    "FindInMap", "ImportValue", "Base64", "GetAZs",    "Equals", "Not",         "And",
    "Or",        "Condition",   "Cidr",   "Transform", "Length", "ToJsonString"};

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

// libyaml counts characters; spans are bytes. Byte offsets of every kStride-th character make
// each conversion O(kStride).
class CharToByte {
 public:
  explicit CharToByte(std::string_view text) : text_(text) {
    // libyaml does not count a UTF-8 byte-order mark as a character.
    const std::size_t first = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    std::size_t chars = 0;
    for (std::size_t i = first; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
      if (chars % kStride == 0) checkpoints_.push_back(i);
      ++chars;
    }
  }

  [[nodiscard]] std::size_t operator()(std::size_t index) const {
    const std::size_t block = index / kStride;
    if (block >= checkpoints_.size()) return text_.size();
    std::size_t at = checkpoints_[block];
    for (std::size_t left = index % kStride; left > 0 && at < text_.size(); --left) {
      ++at;
      while (at < text_.size() && (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) ++at;
    }
    return std::min(at, text_.size());
  }

 private:
  static constexpr std::size_t kStride = 256;
  std::string_view text_;
  std::vector<std::size_t> checkpoints_;
};

json::Value clone(const json::Value& v) {
  json::Value copy(v.kind, v.span);
  copy.boolean = v.boolean;
  copy.text = v.text;
  copy.items.reserve(v.items.size());
  for (const json::Value& item : v.items) copy.items.push_back(clone(item));
  for (const json::Member& m : v.members) {
    json::Member member;
    member.key = m.key;
    member.key_span = m.key_span;
    member.value = clone(m.value);
    copy.members.push_back(std::move(member));
  }
  return copy;
}

std::size_t count_values(const json::Value& v) {
  std::size_t n = 1;
  for (const json::Value& item : v.items) n += count_values(item);
  for (const json::Member& m : v.members) n += count_values(m.value);
  return n;
}

std::string_view tag_of(const yaml_char_t* tag) {
  return tag == nullptr ? std::string_view() : reinterpret_cast<const char*>(tag);
}

class Builder {
 public:
  Builder(const SourceFile& source, std::string_view text, std::vector<Diagnostic>& diagnostics)
      : source_(source), text_(text), bytes_(text), diagnostics_(diagnostics) {}

  // Consumes one event; false once the first document is complete.
  bool on_event(const yaml_event_t& e) {
    const Span span{bytes_(e.start_mark.index), bytes_(e.end_mark.index)};
    switch (e.type) {
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        const std::string_view tag = tag_of(s.tag);
        const std::string value(reinterpret_cast<const char*>(s.value), s.length);
        json::Kind kind = json::Kind::string;
        const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE && tag.empty();
        if (plain) {
          if (value.empty() || value == "~" || value == "null" || value == "Null" ||
              value == "NULL") {
            kind = json::Kind::null;
          } else if (value == "true" || value == "True" || value == "TRUE" || value == "false" ||
                     value == "False" || value == "FALSE") {
            kind = json::Kind::boolean;
          } else if (is_plain_number(value)) {
            kind = json::Kind::number;
          }
        }
        json::Value v(kind, span);
        v.boolean = kind == json::Kind::boolean && (value[0] == 't' || value[0] == 'T');
        v.text = value;
        // Only a plain, untagged << is a merge key ("<<" quoted is a key like any other).
        next_is_merge_key_ = plain && value == "<<";
        finish(std::move(v), tag, tag_of(s.anchor), span, 1);
        return !stopped();
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        const bool map = e.type == YAML_MAPPING_START_EVENT;
        Frame frame;
        frame.value = json::Value(map ? json::Kind::object : json::Kind::array, span);
        frame.flow = map ? e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                         : e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        frame.tag = tag_of(map ? e.data.mapping_start.tag : e.data.sequence_start.tag);
        frame.anchor = tag_of(map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor);
        frame.start = span;
        stack_.push_back(std::move(frame));
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        if (stack_.empty()) return true;
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        // A flow collection ends at its bracket; a block one after its last value (libyaml's
        // end mark for it is the start of whatever follows).
        if (frame.flow) {
          frame.value.span.end = std::max(frame.value.span.begin, span.end);
        } else {
          frame.value.span.end = std::max(frame.value.span.begin, frame.last_end);
        }
        if (frame.value.is_object()) {
          report_duplicate_keys(frame.value, frame.merges);
          merge_keys(frame.value, frame.merges);
        }
        finish(std::move(frame.value), frame.tag, frame.anchor, frame.start, frame.child_depth + 1);
        return !stopped();
      }
      case YAML_ALIAS_EVENT: {
        const std::string_view name = tag_of(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          diagnostics_.push_back(make_diagnostic(
              "GD007", make_location(source_, span),
              fmt::format("*{} names no anchor (&{}) defined before it", name, name)));
          emit(json::Value(json::Kind::null, span), 1);
          return true;
        }
        // Aliases share values: a few lines can expand to billions ("billion laughs").
        // Without aliases a document has fewer values than bytes, so past that we stop.
        values_ += it->second.size;
        if (values_ > text_.size() + 64) {
          over_budget_ = true;
          diagnostics_.push_back(make_diagnostic(
              "GD007", make_location(source_, span),
              "the YAML's aliases (*name) expand to more values than the file has bytes; the "
              "template was not read"));
          return false;
        }
        if (too_deep(stack_.size() + it->second.depth, span)) return false;
        if (!first_alias_) first_alias_ = span;
        json::Value copy = clone(it->second.value);
        copy.span = span;
        emit(std::move(copy), it->second.depth);
        return true;
      }
      case YAML_DOCUMENT_END_EVENT:
        return false;
      default:
        return true;
    }
  }

  // A second YAML document starts at `at`: CloudFormation reads one template per file.
  void another_document(std::size_t at) {
    diagnostics_.push_back(make_diagnostic(
        "GD007", make_location(source_, {at, std::min(at + 3, text_.size())}),
        "a second YAML document starts here; a template is one document, so only the first was "
        "read"));
  }

  std::optional<json::Value> take_root() {
    if (stopped()) return std::nullopt;
    return std::move(root_);
  }

 private:
  struct Frame {
    json::Value value;
    bool flow = false;
    std::string tag;
    std::string anchor;
    Span start;
    std::size_t last_end = 0;
    bool has_key = false;
    bool drop_pair = false;
    std::string key;
    Span key_span;
    bool key_is_merge = false;
    std::vector<std::size_t> merges;  // members whose key is the merge key <<
    std::size_t child_depth = 0;      // the deepest value placed in it
  };
  struct Anchor {
    json::Value value;
    std::size_t size = 0;   // values in it
    std::size_t depth = 0;  // levels in it
  };

  [[nodiscard]] bool stopped() const { return over_budget_ || too_deep_; }

  // Aliases nest values without nesting the text (anchor of anchors of ...): past the same
  // depth the text check allows, the template is refused, before anything recurses into it.
  bool too_deep(std::size_t depth, Span at) {
    if (depth <= kMaxDepth) return false;
    if (!too_deep_) {
      diagnostics_.push_back(make_diagnostic(
          "GD007", make_location(source_, at),
          fmt::format("the YAML's aliases (*name) nest values more than {} levels deep; no "
                      "template nests like this, so it was not read",
                      kMaxDepth)));
    }
    too_deep_ = true;
    return true;
  }

  // A completed node: its tag applied, its anchor remembered, then placed in its parent.
  void finish(json::Value v, std::string_view tag, std::string_view anchor, Span tag_at,
              std::size_t depth) {
    ++values_;
    if (tag.size() > 1 && tag[0] == '!' && tag[1] != '!') {
      v = intrinsic(std::move(v), tag, tag_at);
      ++depth;
    }
    if (too_deep(stack_.size() + depth, tag_at)) return;
    if (!anchor.empty()) {
      // The anchor keeps its own copy: that copy counts against the budget like an expansion.
      Anchor a;
      a.value = clone(v);
      a.size = count_values(v);
      a.depth = depth;
      values_ += a.size;
      if (values_ > text_.size() + 64 && !over_budget_) {
        over_budget_ = true;
        diagnostics_.push_back(make_diagnostic(
            "GD007", make_location(source_, tag_at),
            "the YAML's anchors and aliases (&name, *name) copy more values than the file has "
            "bytes; the template was not read"));
        return;
      }
      anchors_.insert_or_assign(std::string(anchor), std::move(a));
    }
    emit(std::move(v), depth);
  }

  json::Value intrinsic(json::Value inner, std::string_view tag, Span at) {
    const std::string_view name = tag.substr(1);
    const bool known = std::find(kShortForms.begin(), kShortForms.end(), name) != kShortForms.end();
    const Span tag_span{at.begin, std::min(text_.size(), at.begin + tag.size())};
    if (!known) {
      diagnostics_.push_back(make_diagnostic(
          "GD007", make_location(source_, tag_span),
          fmt::format("unknown tag {}: CloudFormation's short-form functions are !Ref, !Sub, "
                      "!GetAtt, !Join, !Select, !Split, !If, !FindInMap, !ImportValue, !Base64, "
                      "!GetAZs, !Cidr and the condition functions; the value is treated as "
                      "unknown",
                      tag)));
    }
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
    if (inner.kind == json::Kind::null || inner.kind == json::Kind::boolean ||
        inner.kind == json::Kind::number) {
      inner.kind = json::Kind::string;  // `!Ref Name`: the argument is text
    }
    json::Value object(json::Kind::object, Span{at.begin, std::max(at.begin, inner.span.end)});
    json::Member member;
    member.key = !known                                 ? std::string(tag)
                 : name == "Ref" || name == "Condition" ? std::string(name)
                                                        : "Fn::" + std::string(name);
    member.key_span = tag_span;
    member.value = std::move(inner);
    object.members.push_back(std::move(member));
    return object;
  }

  // GD002 for each key a mapping repeats (as for JSON): YAML requires a mapping's keys to be
  // unique, and readers disagree on which value counts.
  void report_duplicate_keys(const json::Value& mapping, const std::vector<std::size_t>& merges) {
    std::unordered_map<std::string_view, const json::Member*> first;
    first.reserve(mapping.members.size());
    for (std::size_t i = 0; i < mapping.members.size(); ++i) {
      const json::Member& m = mapping.members[i];
      // A collection as key; merge keys (which may repeat).
      if (m.key.empty() || std::find(merges.begin(), merges.end(), i) != merges.end()) continue;
      auto [it, inserted] = first.emplace(m.key, &m);
      if (inserted) continue;
      const Position p = make_location(source_, it->second->key_span).start;
      Diagnostic d = make_diagnostic(
          "GD002", make_location(source_, m.key_span),
          fmt::format("duplicate key \"{}\" in the same mapping (first at line {}, column {}); "
                      "YAML requires a mapping's keys to be unique, and readers disagree on which "
                      "value counts",
                      m.key, p.line, p.column));
      d.related.push_back(
          {make_location(source_, it->second->key_span), "first occurrence of the key"});
      d.notes.push_back("merge the two entries into one, or remove the one you do not mean");
      diagnostics_.push_back(std::move(d));
    }
  }

  // YAML 1.1's merge key, as the YAML reader of `aws cloudformation package` and `sam` (PyYAML)
  // resolves it: `<<: *defaults` adds the keys of the named mapping that the mapping does not
  // set itself; of a list (`<<: [*a, *b]`) the earlier mapping wins, of two merge keys the later.
  // A value that is no mapping makes them refuse the template: GD007, and it is left out.
  void merge_keys(json::Value& mapping, const std::vector<std::size_t>& merges) {
    if (merges.empty()) return;
    auto mergeable = [](const json::Value& v) {
      // A short-form function (`!Ref X`, `!GetAtt A.B`) is read as a one-key mapping of a
      // string or list, but is a scalar; a written {Condition: {...}} is a mapping.
      return v.is_object() &&
             !(v.members.size() == 1 && !v.members[0].value.is_object() &&
               (v.members[0].key == "Ref" || v.members[0].key.starts_with("Fn::") ||
                v.members[0].key == "Condition"));
    };
    std::vector<bool> is_merge(mapping.members.size(), false);
    for (const std::size_t i : merges) is_merge[i] = true;
    std::vector<json::Value*> sources;  // in the order they win
    for (auto i = merges.rbegin(); i != merges.rend(); ++i) {
      json::Member& m = mapping.members[*i];
      const bool list =
          m.value.is_array() && std::all_of(m.value.items.begin(), m.value.items.end(), mergeable);
      if (mergeable(m.value)) {
        sources.push_back(&m.value);
      } else if (list) {
        for (json::Value& item : m.value.items) sources.push_back(&item);
      } else {
        diagnostics_.push_back(make_diagnostic(
            "GD007", make_location(source_, m.key_span),
            "a merge key (<<) takes a mapping or a list of mappings: `aws cloudformation "
            "package` and `sam deploy` refuse this template, and the merge is left out here"));
      }
    }
    std::vector<json::Member> kept;
    std::unordered_set<std::string> present;
    for (std::size_t i = 0; i < mapping.members.size(); ++i) {
      if (is_merge[i]) continue;
      present.insert(mapping.members[i].key);
    }
    std::vector<json::Member> merged;
    for (json::Value* source : sources) {
      for (json::Member& m : source->members) {
        if (present.insert(m.key).second) merged.push_back(std::move(m));
      }
    }
    for (std::size_t i = 0; i < mapping.members.size(); ++i) {
      if (!is_merge[i]) kept.push_back(std::move(mapping.members[i]));
    }
    for (json::Member& m : merged) kept.push_back(std::move(m));
    mapping.members = std::move(kept);
  }

  void emit(json::Value v, std::size_t depth) {
    const bool merge_key = std::exchange(next_is_merge_key_, false);
    if (stack_.empty()) {
      if (!root_) root_ = std::move(v);
      return;
    }
    Frame& parent = stack_.back();
    parent.last_end = std::max(parent.last_end, v.span.end);
    parent.child_depth = std::max(parent.child_depth, depth);
    // As in the JSON front end: past 1 MB, only the first elements of each collection are kept.
    const bool full = text_.size() > kLargeInput &&
                      parent.value.items.size() + parent.value.members.size() >= kMaxChildren;
    if (parent.value.is_array()) {
      if (full) {
        ++dropped_;
        return;
      }
      parent.value.items.push_back(std::move(v));
    } else if (!parent.has_key) {
      parent.has_key = true;
      parent.drop_pair = full;
      parent.key = v.is_object() || v.is_array() ? std::string() : v.text;
      parent.key_span = v.span;
      parent.key_is_merge = merge_key;
    } else {
      parent.has_key = false;
      if (parent.drop_pair) {
        ++dropped_;
        return;
      }
      json::Member member;
      member.key = std::move(parent.key);
      member.key_span = parent.key_span;
      member.value = std::move(v);
      if (parent.key_is_merge) parent.merges.push_back(parent.value.members.size());
      parent.value.members.push_back(std::move(member));
    }
  }

  const SourceFile& source_;
  std::string_view text_;
  CharToByte bytes_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchor, std::less<>> anchors_;
  std::optional<json::Value> root_;
  std::size_t values_ = 0;
  bool over_budget_ = false;
  bool too_deep_ = false;
  std::optional<Span> first_alias_;
  bool next_is_merge_key_ = false;  // the scalar being placed is a plain <<
  std::size_t dropped_ = 0;

 public:
  [[nodiscard]] std::size_t dropped() const { return dropped_; }
  // Where the first alias is, when the template was read through.
  [[nodiscard]] std::optional<Span> first_alias() const {
    return stopped() ? std::nullopt : first_alias_;
  }
};

struct ParserError {
  std::size_t at = 0;  // byte offset
  std::string message;
};

// Parses the first document of `text`; on a syntax error returns where and why.
std::optional<ParserError> parse_events(std::string_view text, Builder& builder) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) return ParserError{0, "out of memory"};
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  std::optional<ParserError> error;
  const CharToByte bytes(text);
  for (;;) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) {
      std::string message = parser.problem != nullptr ? parser.problem : "invalid YAML";
      if (parser.context != nullptr) message = fmt::format("{} {}", message, parser.context);
      error = ParserError{bytes(parser.problem_mark.index), std::move(message)};
      break;
    }
    const bool stream_end = event.type == YAML_STREAM_END_EVENT;
    const bool more = builder.on_event(event);
    yaml_event_delete(&event);
    if (stream_end) break;
    if (!more) {
      // After the first document: another one is not read, but said (a template is one).
      if (yaml_parser_parse(&parser, &event) != 0) {
        if (event.type == YAML_DOCUMENT_START_EVENT)
          builder.another_document(bytes(event.start_mark.index));
        yaml_event_delete(&event);
      }
      break;
    }
  }
  yaml_parser_delete(&parser);
  return error;
}

}  // namespace

YamlResult read_yaml(const SourceFile& source) {
  YamlResult result;
  // libyaml would decode UTF-16, but positions, fixes and the rest of the tool work on UTF-8
  // bytes (a fix written into the file corrupted it): reported as a JSON policy's is.
  if (looks_wide(source.text())) {
    result.diagnostics.push_back(json::not_utf8_error(source, "templates must be UTF-8"));
    return result;
  }
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
    std::vector<Diagnostic> diagnostics;
    Builder builder(source, text, diagnostics);
    const std::optional<ParserError> error = parse_events(text, builder);
    if (!error) {
      if (builder.dropped() > 0) {
        Diagnostic d = make_diagnostic(
            "GD006", make_location(source, {0, 0}),
            fmt::format("this file is {} MB, above CloudFormation's 1 MB limit for a template; "
                        "only the first {} elements of each list and mapping were examined ({} "
                        "more were parsed but not checked)",
                        source.text().size() / (1024 * 1024), kMaxChildren, builder.dropped()));
        d.severity = Severity::note;
        diagnostics.push_back(std::move(d));
      }
      if (const std::optional<Span> alias = builder.first_alias()) {
        // `aws cloudformation package` and `sam deploy` expand aliases (and merge keys) before
        // CloudFormation, which refuses them, sees the template.
        Diagnostic d = make_diagnostic(
            "GD007", make_location(source, *alias),
            "CloudFormation refuses YAML aliases (*name) and merge keys (<<): the template is "
            "read as `aws cloudformation package` or `sam deploy` expands them before deploying");
        d.severity = Severity::note;
        diagnostics.push_back(std::move(d));
      }
      result.root = builder.take_root();
      result.diagnostics.insert(result.diagnostics.end(), diagnostics.begin(), diagnostics.end());
      return result;
    }
    const std::size_t at = std::min(error->at, text.size());
    if (attempt == 0) {
      result.diagnostics.push_back(make_diagnostic(
          "GD007", make_location(source, {at, std::min(text.size(), at + 1)}),
          fmt::format("invalid YAML: {}; the line was left out so the rest of the template "
                      "could be checked",
                      error->message)));
    }
    result.repaired = true;
    std::size_t start = at;
    while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r') --start;
    std::size_t stop = at;
    while (stop < text.size() && text[stop] != '\n' && text[stop] != '\r') ++stop;
    bool changed = false;
    for (std::size_t i = start; i < stop; ++i) {
      if (text[i] != ' ') changed = true;
      text[i] = ' ';
    }
    if (!changed) break;
  }
  return result;
}

}  // namespace gdl::containers
