#include "hcl/functions.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>

#include "hcl/eval.h"
#include "hcl/parser.h"
#include "json/parser.h"

namespace gdl::hcl {

namespace {

struct Call {
  std::string_view name;
  std::vector<Value>& args;
  const SourceFile* file;
  Span span;

  [[nodiscard]] Value unknown(std::string why) const {
    return unknown_value(fmt::format("{}(): {}", name, why), file, span);
  }
  [[nodiscard]] Value string(std::string text) const {
    return string_value(std::move(text), file, span);
  }
  [[nodiscard]] Value tuple(std::vector<Value> items) const {
    Value v;
    v.kind = ValueKind::tuple;
    v.items = std::move(items);
    v.file = file;
    v.span = span;
    return v;
  }
  [[nodiscard]] Value object(std::vector<ValueMember> members) const {
    Value v;
    v.kind = ValueKind::object;
    v.members = std::move(members);
    v.file = file;
    v.span = span;
    return v;
  }
  // The i-th argument's text, when it is a known string (or number/bool converted).
  [[nodiscard]] std::optional<std::string> text(std::size_t i) const {
    return i < args.size() ? as_string(args[i]) : std::nullopt;
  }
  [[nodiscard]] const Value* list(std::size_t i) const {
    return i < args.size() && args[i].kind == ValueKind::tuple ? &args[i] : nullptr;
  }
  [[nodiscard]] const Value* map(std::size_t i) const {
    return i < args.size() && args[i].kind == ValueKind::object ? &args[i] : nullptr;
  }
};

using Function = std::function<Value(Call&)>;

// Terraform's format verbs: %s %d %f %t %v %q and %%; a width or other flags are not evaluated.
Value format(Call& c) {
  const auto spec = c.text(0);
  if (!spec) return c.unknown("a format known only when Terraform runs");
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  std::string why;
  std::string out;
  std::size_t next = 1;
  for (std::size_t i = 0; i < spec->size(); ++i) {
    if ((*spec)[i] != '%') {
      out += (*spec)[i];
      continue;
    }
    if (i + 1 >= spec->size()) return c.unknown("a format ending in %");
    const char verb = (*spec)[++i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (next >= c.args.size()) return c.unknown("fewer arguments than the format needs");
    const Value& arg = c.args[next++];
    if (!arg.known() && (verb == 's' || verb == 'v') && arg.kind == ValueKind::unknown) {
      // The known text around an unknown value is kept, as in a template: an account ARN
      // "arn:aws:iam::${...}:root" is still an account ARN.
      ranges.emplace_back(out.size(), out.size() + 6);
      out += "${...}";
      if (why.empty()) why = arg.why;
      continue;
    }
    if (!arg.known()) return c.unknown("an argument known only when Terraform runs");
    const auto text = as_string(arg);
    switch (verb) {
      case 's':
      case 'v':
        if (!text) return c.unknown("%s of a value that is not a string");
        out += *text;
        break;
      case 'd':
        if (arg.kind != ValueKind::number) return c.unknown("%d of a value that is not a number");
        out += fmt::format("{}", static_cast<long long>(arg.number));
        break;
      case 'f':
        if (arg.kind != ValueKind::number) return c.unknown("%f of a value that is not a number");
        out += fmt::format("{:f}", arg.number);
        break;
      case 't':
        if (arg.kind != ValueKind::boolean) return c.unknown("%t of a value that is not a bool");
        out += arg.text;
        break;
      case 'q':
        if (!text) return c.unknown("%q of a value that is not a string");
        out += to_json(c.string(*text));
        break;
      default:
        return c.unknown(fmt::format("the verb %{} is not evaluated offline", verb));
    }
  }
  Value v = c.string(std::move(out));
  v.unknown_ranges = std::move(ranges);
  v.why = std::move(why);
  return v;
}

// formatlist: format() applied to each index of the list arguments (scalars repeat); the lists
// must be of one length, as Terraform requires.
Value formatlist(Call& c) {
  std::optional<std::size_t> length;
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    if (!c.args[i].known()) {
      // A list known only when Terraform runs: its elements' shape is known, their number is
      // not. One element of that shape stands for them (every conclusion on it is uncertain).
      Call one{"format", c.args, c.file, c.span};
      Value v = format(one);
      if (v.kind != ValueKind::string) return c.unknown(v.why);
      return c.tuple({std::move(v)});
    }
    if (const Value* list = c.list(i)) {
      if (length && *length != list->items.size())
        return c.unknown("lists of different lengths (Terraform rejects the call)");
      length = list->items.size();
    }
  }
  if (!length) length = 1;
  std::vector<Value> out;
  for (std::size_t n = 0; n < *length; ++n) {
    std::vector<Value> args;
    args.push_back(c.args[0]);
    for (std::size_t i = 1; i < c.args.size(); ++i)
      args.push_back(c.list(i) != nullptr ? c.list(i)->items[n] : c.args[i]);
    Call one{"format", args, c.file, c.span};
    Value v = format(one);
    if (!v.known()) return c.unknown(v.why);
    out.push_back(std::move(v));
  }
  return c.tuple(std::move(out));
}

// What regex() returns for one match: the matched text without capture groups, the groups as a
// list, or as an object when they are named.
Value regex_match(const Call& c, const RE2& pattern, const std::vector<re2::StringPiece>& groups) {
  const int count = pattern.NumberOfCapturingGroups();
  if (count == 0) return c.string(std::string(groups[0]));
  const auto& names = pattern.CapturingGroupNames();
  if (!names.empty()) {
    std::vector<ValueMember> members;
    for (const auto& [index, name] : names)
      members.emplace_back(name, c.string(std::string(groups[static_cast<std::size_t>(index)])),
                           c.span);
    return c.object(std::move(members));
  }
  std::vector<Value> items;
  for (int i = 1; i <= count; ++i)
    items.push_back(c.string(std::string(groups[static_cast<std::size_t>(i)])));
  return c.tuple(std::move(items));
}

// A regular expression as Terraform's functions take it, compiled with bounds: a pattern longer
// than any policy needs, or one whose automaton outgrows RE2's memory budget, is refused (a
// 50,000-deep nesting of groups took gigabytes). RE2 does not log its errors: the caller
// reports an invalid pattern as an unknown value, with its place.
std::unique_ptr<RE2> compile_regex(std::string_view expression) {
  constexpr std::size_t kMaxPatternBytes = 4096;
  if (expression.size() > kMaxPatternBytes) return nullptr;
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(std::int64_t{8} << 20);
  auto pattern =
      std::make_unique<RE2>(re2::StringPiece(expression.data(), expression.size()), options);
  if (!pattern->ok()) return nullptr;
  return pattern;
}

// regex() and regexall() (RE2, Terraform's own syntax). A regex without a match is an error in
// Terraform: unknown here.
Value regex(Call& c, bool all) {
  const auto expression = c.text(0);
  const auto text = c.text(1);
  if (!expression || !text) return c.unknown("arguments known only when Terraform runs");
  const std::unique_ptr<RE2> compiled = compile_regex(*expression);
  if (!compiled) return c.unknown("an invalid or oversized regular expression");
  const RE2& pattern = *compiled;
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(pattern.NumberOfCapturingGroups()) +
                                       1);
  std::vector<Value> matches;
  std::size_t at = 0;
  while (at <= text->size()) {
    // More matches than any policy value holds: the list would be cut short, so unknown.
    if (matches.size() >= 1024) return c.unknown("more than 1024 matches");
    if (!pattern.Match(*text, at, text->size(), RE2::UNANCHORED, groups.data(),
                       static_cast<int>(groups.size())))
      break;
    matches.push_back(regex_match(c, pattern, groups));
    if (!all) return matches.front();
    const std::size_t end =
        static_cast<std::size_t>(groups[0].data() - text->data()) + groups[0].size();
    at = groups[0].empty() ? end + 1 : end;
  }
  if (!all) return c.unknown("the pattern does not match (Terraform fails the call)");
  return c.tuple(std::move(matches));
}

Value join(Call& c) {
  const auto separator = c.text(0);
  if (!separator) return c.unknown("a separator known only when Terraform runs");
  std::string out;
  bool first = true;
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    const Value* list = c.list(i);
    if (list == nullptr) return c.unknown("a list known only when Terraform runs");
    for (const Value& item : list->items) {
      const auto text = as_string(item);
      if (!text) return c.unknown("an element known only when Terraform runs");
      if (!first) out += *separator;
      out += *text;
      first = false;
      if (out.size() > kMaxStringBytes) return c.unknown("a result far longer than any policy");
    }
  }
  return c.string(std::move(out));
}

Value split(Call& c) {
  const auto separator = c.text(0);
  const auto text = c.text(1);
  if (!separator || !text || separator->empty())
    return c.unknown("arguments known only when Terraform runs");
  std::vector<Value> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text->find(*separator, start);
    items.push_back(
        c.string(text->substr(start, at == std::string::npos ? std::string::npos : at - start)));
    if (at == std::string::npos) break;
    start = at + separator->size();
  }
  return c.tuple(std::move(items));
}

Value map_text(Call& c, const std::function<std::string(std::string)>& f) {
  const auto text = c.text(0);
  if (!text) return c.unknown("a string known only when Terraform runs");
  return c.string(f(*text));
}

Value replace(Call& c) {
  const auto text = c.text(0);
  const auto search = c.text(1);
  const auto with = c.text(2);
  if (!text || !search || !with) return c.unknown("arguments known only when Terraform runs");
  if (search->size() >= 2 && search->front() == '/' && search->back() == '/') {
    const std::unique_ptr<RE2> compiled =
        compile_regex(std::string_view(*search).substr(1, search->size() - 2));
    if (!compiled) return c.unknown("an invalid or oversized regular expression");
    const RE2& pattern = *compiled;
    // Every position may match: bound the result before building it.
    if ((text->size() + 1) * with->size() > kMaxStringBytes)
      return c.unknown("a result that may be far longer than any policy");
    std::string out = *text;
    // Terraform writes $1 for a group; RE2 writes \1.
    std::string rewrite;
    for (std::size_t i = 0; i < with->size(); ++i) {
      if ((*with)[i] == '$' && i + 1 < with->size() &&
          std::isdigit(static_cast<unsigned char>((*with)[i + 1]))) {
        rewrite += '\\';
        continue;
      }
      if ((*with)[i] == '\\') rewrite += '\\';
      rewrite += (*with)[i];
    }
    RE2::GlobalReplace(&out, pattern, rewrite);
    return c.string(std::move(out));
  }
  if (search->empty()) return c.string(*text);
  std::string out;
  std::size_t start = 0;
  for (std::size_t at = text->find(*search); at != std::string::npos;
       at = text->find(*search, start)) {
    out += text->substr(start, at - start) + *with;
    start = at + search->size();
    if (out.size() > kMaxStringBytes) return c.unknown("a result far longer than any policy");
  }
  out += text->substr(start);
  return c.string(std::move(out));
}

Value concat(Call& c) {
  std::vector<Value> items;
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    const Value* list = c.list(i);
    if (list == nullptr) return c.unknown("a list known only when Terraform runs");
    items.insert(items.end(), list->items.begin(), list->items.end());
    if (items.size() > kMaxItems) return c.unknown("a list too large to evaluate offline");
  }
  return c.tuple(std::move(items));
}

Value merge(Call& c) {
  std::vector<ValueMember> members;
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    if (c.args[i].kind == ValueKind::null) continue;
    const Value* map = c.map(i);
    if (map == nullptr) return c.unknown("a map known only when Terraform runs");
    for (const ValueMember& added : map->members) {
      auto it = std::find_if(members.begin(), members.end(),
                             [&](const auto& m) { return m.key == added.key; });
      if (it != members.end()) {
        it->value = added.value;
      } else {
        members.push_back(added);
      }
    }
  }
  return c.object(std::move(members));
}

void flatten_into(const Value& v, std::vector<Value>& out, int depth) {
  if (v.kind == ValueKind::tuple && depth < 64) {
    for (const Value& item : v.items) flatten_into(item, out, depth + 1);
  } else {
    out.push_back(v);
  }
}

Value flatten(Call& c) {
  const Value* list = c.list(0);
  if (list == nullptr) return c.unknown("a list known only when Terraform runs");
  std::vector<Value> items;
  for (const Value& item : list->items) flatten_into(item, items, 0);
  for (const Value& item : items) {
    if (!item.known()) return c.unknown("an element known only when Terraform runs");
  }
  return c.tuple(std::move(items));
}

// Elements in order, each once (toset also sorts strings, as Terraform's sets of strings do).
Value distinct(Call& c, bool sort) {
  const Value* list = c.list(0);
  if (list == nullptr) return c.unknown("a list known only when Terraform runs");
  std::vector<Value> items;
  // Scalars are told apart by a key (a set of 100,000 names was quadratic: a minute); only
  // collections, rare in a set, are compared one by one.
  std::unordered_set<std::string> scalars;
  std::vector<const Value*> collections;
  for (const Value& item : list->items) {
    if (!item.known()) return c.unknown("an element known only when Terraform runs");
    bool fresh = false;
    switch (item.kind) {
      case ValueKind::null:
        fresh = scalars.insert("z").second;
        break;
      case ValueKind::string:
      case ValueKind::boolean:
        fresh = scalars.insert((item.kind == ValueKind::string ? "s" : "b") + item.text).second;
        break;
      case ValueKind::number:
        // equal() compares the numbers: 0 and -0 are one, and the shortest text that reads
        // back as the same double tells the others apart.
        fresh = scalars.insert(item.number == 0 ? "n0" : fmt::format("n{}", item.number)).second;
        break;
      default:
        fresh = std::none_of(collections.begin(), collections.end(),
                             [&](const Value* v) { return equal(*v, item); });
        if (fresh) collections.push_back(&item);
        break;
    }
    if (fresh) items.push_back(item);
  }
  if (sort && std::all_of(items.begin(), items.end(), [](const Value& v) { return v.is_string(); }))
    std::sort(items.begin(), items.end(),
              [](const Value& a, const Value& b) { return a.text < b.text; });
  return c.tuple(std::move(items));
}

Value compact(Call& c) {
  const Value* list = c.list(0);
  if (list == nullptr) return c.unknown("a list known only when Terraform runs");
  std::vector<Value> items;
  for (const Value& item : list->items) {
    if (!item.known()) return c.unknown("an element known only when Terraform runs");
    if (item.kind == ValueKind::null || (item.is_string() && item.text.empty())) continue;
    items.push_back(item);
  }
  return c.tuple(std::move(items));
}

Value element(Call& c) {
  const Value* list = c.list(0);
  if (list == nullptr || c.args.size() < 2 || c.args[1].kind != ValueKind::number)
    return c.unknown("arguments known only when Terraform runs");
  if (list->items.empty()) return c.unknown("element() of an empty list");
  const auto i = static_cast<long long>(c.args[1].number);
  if (i < 0) return c.unknown("a negative index");
  return list->items[static_cast<std::size_t>(i) % list->items.size()];
}

Value lookup(Call& c) {
  const Value* map = c.map(0);
  const auto key = c.text(1);
  if (map == nullptr || !key) return c.unknown("arguments known only when Terraform runs");
  if (const Value* v = map->member(*key)) return *v;
  if (c.args.size() > 2) return c.args[2];
  return c.unknown(fmt::format("the map has no key \"{}\"", *key));
}

Value length(Call& c) {
  if (c.args.empty() || !c.args[0].known())
    return c.unknown("a value known only when Terraform runs");
  const Value& v = c.args[0];
  if (v.kind == ValueKind::tuple)
    return number_value(static_cast<double>(v.items.size()), c.file, c.span);
  if (v.kind == ValueKind::object)
    return number_value(static_cast<double>(v.members.size()), c.file, c.span);
  if (v.is_string()) {
    std::size_t n = 0;
    for (const char ch : v.text) n += (static_cast<unsigned char>(ch) & 0xC0U) != 0x80U ? 1 : 0;
    return number_value(static_cast<double>(n), c.file, c.span);
  }
  return c.unknown("length() of a value that is not a collection or string");
}

Value keys_or_values(Call& c, bool keys) {
  const Value* map = c.map(0);
  if (map == nullptr) return c.unknown("a map known only when Terraform runs");
  std::vector<const ValueMember*> sorted;
  for (const auto& m : map->members) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->key < b->key; });
  std::vector<Value> items;
  for (const auto* m : sorted) items.push_back(keys ? c.string(m->key) : m->value);
  return c.tuple(std::move(items));
}

Value contains(Call& c) {
  const Value* list = c.list(0);
  if (list == nullptr || c.args.size() < 2 || !c.args[1].known())
    return c.unknown("arguments known only when Terraform runs");
  for (const Value& item : list->items) {
    if (!item.known()) return c.unknown("an element known only when Terraform runs");
    if (equal(item, c.args[1])) return bool_value(true, c.file, c.span);
  }
  return bool_value(false, c.file, c.span);
}

Value coalesce(Call& c) {
  for (const Value& arg : c.args) {
    if (!arg.known()) return c.unknown("an argument known only when Terraform runs");
    if (arg.kind == ValueKind::null || (arg.is_string() && arg.text.empty())) continue;
    return arg;
  }
  return c.unknown("no argument is set");
}

Value slice(Call& c) {
  const Value* list = c.list(0);
  if (list == nullptr || c.args.size() < 3 || c.args[1].kind != ValueKind::number ||
      c.args[2].kind != ValueKind::number)
    return c.unknown("arguments known only when Terraform runs");
  const double from = c.args[1].number;
  const double to = c.args[2].number;
  if (from < 0 || to < from || to > static_cast<double>(list->items.size()))
    return c.unknown("indexes outside the list");
  return c.tuple(std::vector<Value>(list->items.begin() + static_cast<std::ptrdiff_t>(from),
                                    list->items.begin() + static_cast<std::ptrdiff_t>(to)));
}

Value zipmap(Call& c) {
  const Value* keys = c.list(0);
  const Value* values = c.list(1);
  if (keys == nullptr || values == nullptr || keys->items.size() != values->items.size())
    return c.unknown("arguments known only when Terraform runs");
  std::vector<ValueMember> members;
  for (std::size_t i = 0; i < keys->items.size(); ++i) {
    const auto key = as_string(keys->items[i]);
    if (!key) return c.unknown("a key known only when Terraform runs");
    members.emplace_back(*key, values->items[i]);
  }
  return c.object(std::move(members));
}

Value jsonencode(Call& c) {
  if (c.args.empty()) return c.unknown("no value to encode");
  if (!c.args[0].wholly_known()) {
    // Its JSON text is not known, but what it encodes mostly is: a policy written with
    // jsonencode() around a few unknown values is still read from `encodes`.
    Value v = c.unknown("a value known only when Terraform runs");
    v.encodes = std::make_shared<const Value>(c.args[0]);
    return v;
  }
  Value v = c.string(to_json(c.args[0]));
  v.encodes = std::make_shared<const Value>(c.args[0]);
  return v;
}

Value from_json(const json::Value& j, const Call& c) {
  switch (j.kind) {
    case json::Kind::object: {
      std::vector<ValueMember> members;
      for (const json::Member& m : j.members) members.emplace_back(m.key, from_json(m.value, c));
      return c.object(std::move(members));
    }
    case json::Kind::array: {
      std::vector<Value> items;
      for (const json::Value& item : j.items) items.push_back(from_json(item, c));
      return c.tuple(std::move(items));
    }
    case json::Kind::string:
      return c.string(j.text);
    case json::Kind::number:
      return number_value(std::strtod(j.text.c_str(), nullptr), c.file, c.span);
    case json::Kind::boolean:
      return bool_value(j.boolean, c.file, c.span);
    default:
      return null_value(c.file, c.span);
  }
}

// How deeply `root` nests arrays and objects (iterative: the tree may come from hostile input).
std::size_t json_depth(const json::Value& root) {
  std::size_t deepest = 0;
  std::vector<std::pair<const json::Value*, std::size_t>> pending{{&root, 1}};
  while (!pending.empty()) {
    const auto [v, depth] = pending.back();
    pending.pop_back();
    deepest = std::max(deepest, depth);
    for (const json::Value& item : v->items) pending.emplace_back(&item, depth + 1);
    for (const json::Member& m : v->members) pending.emplace_back(&m.value, depth + 1);
  }
  return deepest;
}

Value jsondecode(Call& c) {
  const auto text = c.text(0);
  if (!text) return c.unknown("a string known only when Terraform runs");
  const SourceFile source("jsondecode", *text);
  const auto parsed = json::parse(source);
  if (!parsed.root || !parsed.diagnostics.empty()) return c.unknown("the text is not valid JSON");
  // Values decoded from JSON are evaluated and destroyed recursively, as HCL's own are, which
  // the parser bounds at kMaxDepth: JSON nested deeper (a variables file, hostile or not) is
  // not read into a value.
  if (json_depth(*parsed.root) > static_cast<std::size_t>(kMaxDepth))
    return c.unknown(fmt::format("the JSON is nested more than {} levels deep", kMaxDepth));
  return from_json(*parsed.root, c);
}

Value convert(Call& c, ValueKind to) {
  if (c.args.empty() || !c.args[0].known())
    return c.unknown("a value known only when Terraform runs");
  const Value& v = c.args[0];
  if (v.kind == to || v.kind == ValueKind::null) return v;
  if (to == ValueKind::string) {
    if (auto text = as_string(v)) return c.string(*text);
  } else if (to == ValueKind::number && v.is_string()) {
    try {
      std::size_t used = 0;
      const double d = std::stod(v.text, &used);
      if (used == v.text.size()) return number_value(d, c.file, c.span);
    } catch (const std::exception&) {
    }
  } else if (to == ValueKind::boolean && v.is_string() && (v.text == "true" || v.text == "false")) {
    return bool_value(v.text == "true", c.file, c.span);
  }
  return c.unknown("a value that cannot be converted");
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

Value affix(Call& c, bool prefix, bool trim) {
  const auto text = c.text(0);
  const auto part = c.text(1);
  if (!text || !part) return c.unknown("arguments known only when Terraform runs");
  const bool has = prefix ? text->starts_with(*part) : text->ends_with(*part);
  if (!trim) return bool_value(has, c.file, c.span);
  if (!has) return c.string(*text);
  return c.string(prefix ? text->substr(part->size())
                         : text->substr(0, text->size() - part->size()));
}

const std::map<std::string_view, Function>& table() {
  static const std::map<std::string_view, Function> functions = {
      {"format", format},
      {"join", join},
      {"split", split},
      {"lower", [](Call& c) { return map_text(c, lower); }},
      {"upper", [](Call& c) { return map_text(c, upper); }},
      {"trimspace",
       [](Call& c) {
         return map_text(c, [](std::string s) {
           const auto b = s.find_first_not_of(" \t\r\n");
           const auto e = s.find_last_not_of(" \t\r\n");
           return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
         });
       }},
      {"chomp",
       [](Call& c) {
         return map_text(c, [](std::string s) {
           while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
           return s;
         });
       }},
      {"trimprefix", [](Call& c) { return affix(c, true, true); }},
      {"trimsuffix", [](Call& c) { return affix(c, false, true); }},
      {"startswith", [](Call& c) { return affix(c, true, false); }},
      {"endswith", [](Call& c) { return affix(c, false, false); }},
      {"replace", replace},
      {"concat", concat},
      {"merge", merge},
      {"flatten", flatten},
      {"formatlist", formatlist},
      {"regex", [](Call& c) { return regex(c, false); }},
      {"regexall", [](Call& c) { return regex(c, true); }},
      {"sort",
       [](Call& c) {
         const Value* list = c.list(0);
         if (list == nullptr) return c.unknown("a list known only when Terraform runs");
         std::vector<std::string> texts;
         for (const Value& item : list->items) {
           const auto text = as_string(item);
           if (!text) return c.unknown("an element known only when Terraform runs");
           texts.push_back(*text);
         }
         std::sort(texts.begin(), texts.end());
         std::vector<Value> items;
         for (std::string& t : texts) items.push_back(c.string(std::move(t)));
         return c.tuple(std::move(items));
       }},
      {"reverse",
       [](Call& c) {
         const Value* list = c.list(0);
         if (list == nullptr) return c.unknown("a list known only when Terraform runs");
         std::vector<Value> items(list->items.rbegin(), list->items.rend());
         return c.tuple(std::move(items));
       }},
      {"distinct", [](Call& c) { return distinct(c, false); }},
      {"toset", [](Call& c) { return distinct(c, true); }},
      {"tolist",
       [](Call& c) {
         return c.list(0) ? c.args[0] : c.unknown("a list known only when Terraform runs");
       }},
      {"tomap",
       [](Call& c) {
         return c.map(0) ? c.args[0] : c.unknown("a map known only when Terraform runs");
       }},
      {"compact", compact},
      {"element", element},
      {"lookup", lookup},
      {"length", length},
      {"keys", [](Call& c) { return keys_or_values(c, true); }},
      {"values", [](Call& c) { return keys_or_values(c, false); }},
      {"contains", contains},
      {"coalesce", coalesce},
      {"coalescelist",
       [](Call& c) {
         for (std::size_t i = 0; i < c.args.size(); ++i) {
           const Value* list = c.list(i);
           if (list == nullptr) return c.unknown("a list known only when Terraform runs");
           if (!list->items.empty()) return *list;
         }
         return c.unknown("every list is empty");
       }},
      {"one",
       [](Call& c) {
         const Value* list = c.list(0);
         if (list == nullptr || list->items.size() > 1)
           return c.unknown("a list of at most one element known only when Terraform runs");
         return list->items.empty() ? null_value(c.file, c.span) : list->items.front();
       }},
      {"slice", slice},
      {"zipmap", zipmap},
      {"jsonencode", jsonencode},
      {"jsondecode", jsondecode},
      {"tostring", [](Call& c) { return convert(c, ValueKind::string); }},
      {"tonumber", [](Call& c) { return convert(c, ValueKind::number); }},
      {"tobool", [](Call& c) { return convert(c, ValueKind::boolean); }},
      {"try",
       [](Call& c) {
         for (const Value& arg : c.args) {
           if (arg.wholly_known()) return arg;
         }
         return c.unknown("no argument is known offline");
       }},
  };
  return functions;
}

}  // namespace

Value call_function(std::string_view name, std::vector<Value> args, const SourceFile* file,
                    Span span) {
  Call call{name, args, file, span};
  const auto& functions = table();
  const auto it = functions.find(name);
  if (it == functions.end()) return call.unknown("this function is not evaluated offline");
  return it->second(call);
}

const std::vector<std::string_view>& evaluated_functions() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v{"file", "templatefile"};
    for (const auto& [name, f] : table()) v.push_back(name);
    return v;
  }();
  return names;
}

}  // namespace gdl::hcl
