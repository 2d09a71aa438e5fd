#include "hcl/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "hcl/functions.h"
#include "hcl/parser.h"

namespace gdl::hcl {

namespace {

// A value where HCL needs a bool: a bool, or a string Terraform converts to one ("true" or "1",
// "false" or "0", as a -var or a variable without a type gives it: cty's string-to-bool
// conversion).
std::optional<bool> as_bool(const Value& v) {
  if (v.kind == ValueKind::boolean) return v.boolean;
  if (v.kind != ValueKind::string) return std::nullopt;
  if (v.text == "true" || v.text == "1") return true;
  if (v.text == "false" || v.text == "0") return false;
  return std::nullopt;
}

// Evaluation recurses along the expression tree (whose depth the parser bounds) and, through the
// scope, into other expressions: a local that names a local, a template that includes a
// template, a module output. The depth is counted per thread across evaluators, so a chain of
// 5,000 locals or a template that includes itself ends in an unknown value, not a stack
// overflow. Real configurations stay far below the bound (a policy's jsonencode() is a few
// levels of objects; chains of locals a handful of steps).
constexpr int kMaxEvalDepth = 200;
thread_local int eval_depth = 0;

struct EvalDepth {
  EvalDepth() { ++eval_depth; }
  ~EvalDepth() { --eval_depth; }
  EvalDepth(const EvalDepth&) = delete;
  EvalDepth& operator=(const EvalDepth&) = delete;
  [[nodiscard]] static bool exceeded() { return eval_depth > kMaxEvalDepth; }
};

// Appends `v`'s text to a string being built in `file`. A string written in that file keeps
// its own byte mapping; one from elsewhere (another file, a function's result) maps to `at`.
void append_text(Value& out, const Value& v, const SourceFile* file, Span at) {
  const std::size_t offset = out.text.size();
  if (v.file == file && v.kind == ValueKind::string && !v.map.empty()) {
    out.map.append(v.map, offset);
  } else {
    out.map.add(offset, at.begin, false);
  }
  for (const auto& [b, e] : v.unknown_ranges)
    out.unknown_ranges.emplace_back(offset + b, offset + e);
  if (out.why.empty() && !v.unknown_ranges.empty()) out.why = v.why;
  out.text += v.text;
}

// Maps a template literal's decoded bytes to the text it was written as in `file`: byte for byte
// where they agree, an escape's bytes (\n, \u00e9, $${) to its first character, and characters
// the reader dropped (an indentation or a ~ strip) are skipped.
void map_literal(std::string_view raw, std::size_t raw_begin, std::string_view decoded,
                 bool backslash_escapes, std::size_t inner, OffsetMap& map) {
  std::size_t i = 0;  // in raw
  std::size_t j = 0;  // in decoded
  bool in_run = false;
  while (j < decoded.size() && i < raw.size()) {
    // Heredocs and template files keep backslashes as written; quoted strings decode them.
    const bool escape = backslash_escapes && raw[i] == '\\' && i + 1 < raw.size();
    const bool doubled = (raw.substr(i, 3) == "$${" || raw.substr(i, 3) == "%%{");
    if (!escape && !doubled && raw[i] == decoded[j]) {
      if (!in_run) map.add(inner + j, raw_begin + i, true);
      in_run = true;
      ++i;
      ++j;
      continue;
    }
    in_run = false;
    if (doubled) {
      map.add(inner + j, raw_begin + i, false);
      i += 3;
      j += 2;
    } else if (escape) {
      const char kind = raw[i + 1];
      const std::size_t raw_length = kind == 'u' ? 6 : kind == 'U' ? 10 : 2;
      std::size_t produced = 1;
      if (kind == 'u' || kind == 'U') {
        const auto lead = static_cast<unsigned char>(decoded[j]);
        produced = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      }
      map.add(inner + j, raw_begin + i, false);
      i += raw_length;
      j += produced;
    } else {
      ++i;  // dropped by the reader
    }
  }
  if (j < decoded.size()) map.add(inner + j, raw_begin + std::min(i, raw.size()), false);
}

// Whether a template's text so far is JSON (a policy written in a heredoc): its first
// character opens an object or array. Any other text ("gd-findings-${var.x}") is a plain
// string, in which an unknown value stays as written.
bool is_json_text(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

// Whether the end of `text` is inside a JSON string; `scanned` and `in_string` carry the scan
// forward, so a template with many interpolations is scanned once.
bool inside_json_string(std::string_view text, std::size_t& scanned, bool& in_string) {
  for (; scanned < text.size(); ++scanned) {
    if (in_string && text[scanned] == '\\') {
      ++scanned;
    } else if (text[scanned] == '"') {
      in_string = !in_string;
    }
  }
  return in_string;
}

}  // namespace

// `${...}` as written in the file, for an unknown value inside a JSON string (text that would
// break the string is left out).
std::string Evaluator::interpolation_text(const Expr& part) const {
  const std::string_view file = current_ != nullptr ? current_->text() : std::string_view();
  if (part.span.end > file.size() || part.span.size() > 200) return "${...}";
  const std::string_view written = file.substr(part.span.begin, part.span.size());
  if (written.find_first_of("\"\\\n\r") != std::string_view::npos) return "${...}";
  return "${" + std::string(written) + "}";
}

void Evaluator::map_literal(const Expr& part, std::size_t inner, OffsetMap& map) const {
  const std::string_view file = current_ != nullptr ? current_->text() : std::string_view();
  if (part.span.end > file.size()) {
    map.add(inner, part.span.begin, false);
    return;
  }
  hcl::map_literal(file.substr(part.span.begin, part.span.size()), part.span.begin, part.text,
                   part.flag, inner, map);
}

Value Evaluator::unknown(std::string why, Span span) const {
  return unknown_value(std::move(why), current_, span);
}

Value Evaluator::evaluate(const Expr& e) {
  current_ = &file_;
  steps_ = 0;
  return eval(e);
}

Value Evaluator::evaluate_template(const Expr& e, const SourceFile& file,
                                   const std::vector<ValueMember>& vars) {
  const SourceFile* saved = current_;
  const auto saved_locals = std::move(locals_);
  current_ = &file;
  locals_ = vars;
  Value v = eval_template(e);
  locals_ = std::move(saved_locals);
  current_ = saved;
  return v;
}

const Value* Evaluator::local(const std::string& name) const {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->key == name) return &it->value;
  }
  return nullptr;
}

Value Evaluator::eval(const Expr& e) {
  if (++steps_ > kMaxSteps) return unknown("too much to evaluate offline", e.span);
  const EvalDepth depth;
  if (EvalDepth::exceeded())
    return unknown(fmt::format("nested too deeply to evaluate offline (references, templates or "
                               "expressions more than {} levels deep)",
                               kMaxEvalDepth),
                   e.span);
  Value v = eval_node(e);
  // Each step at most doubles what the steps before it made (a template of two references), so
  // checking every result keeps memory within twice the bound.
  if (v.kind == ValueKind::string && v.text.size() > kMaxStringBytes)
    return unknown(
        fmt::format("a string longer than {} MB, far beyond any policy", kMaxStringBytes >> 20),
        e.span);
  return v;
}

Value Evaluator::eval_node(const Expr& e) {
  switch (e.kind) {
    case ExprKind::number: {
      double n = 0;
      try {
        n = std::stod(e.text);
      } catch (const std::exception&) {
        return unknown("a number out of range", e.span);
      }
      Value v = number_value(n, current_, e.span);
      v.text = e.text;
      if (n == std::floor(n) && std::fabs(n) < 1e15) v.text = number_text(n);
      return v;
    }
    case ExprKind::boolean:
      return bool_value(e.flag, current_, e.span);
    case ExprKind::null:
      return null_value(current_, e.span);
    case ExprKind::literal_text:
      return string_value(e.text, current_, e.span, true);
    case ExprKind::template_:
      return eval_template(e);
    case ExprKind::template_if:
    case ExprKind::template_for:
      return unknown("a template directive outside a template", e.span);
    case ExprKind::variable:
    case ExprKind::get_attr:
    case ExprKind::index:
      return eval_traversal(e);
    case ExprKind::splat_item:
      return splat_items_.empty() ? unknown("a splat element outside a splat", e.span)
                                  : *splat_items_.back();
    case ExprKind::call:
      return eval_call(e);
    case ExprKind::tuple: {
      Value v;
      v.kind = ValueKind::tuple;
      v.file = current_;
      v.span = e.span;
      std::size_t budget = kMaxValues;
      for (const auto& item : e.children) {
        v.items.push_back(eval(*item));
        if (!count_within(v.items.back(), budget))
          return unknown("a list of more values than any policy needs", e.span);
      }
      return v;
    }
    case ExprKind::object: {
      Value v;
      v.kind = ValueKind::object;
      v.file = current_;
      v.span = e.span;
      std::size_t budget = kMaxValues;
      for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
        const Value key = eval(*e.children[i]);
        const auto name = as_string(key);
        if (!name) return unknown("an object key that is not known offline", e.children[i]->span);
        Value value = eval(*e.children[i + 1]);
        if (!count_within(value, budget))
          return unknown("an object of more values than any policy needs", e.span);
        auto existing = std::find_if(v.members.begin(), v.members.end(),
                                     [&](const auto& m) { return m.key == *name; });
        if (existing != v.members.end()) {
          existing->value = std::move(value);
          existing->key_span = e.children[i]->span;
        } else {
          v.members.emplace_back(*name, std::move(value), e.children[i]->span);
        }
      }
      return v;
    }
    case ExprKind::for_tuple:
    case ExprKind::for_object:
      return eval_for(e);
    case ExprKind::splat: {
      Value source = eval(*e.child(0));
      if (!source.known() && !source.instance) return source;
      std::vector<Value> elements;
      if (source.kind == ValueKind::null) {
        // A splat of null is an empty tuple.
      } else if (source.kind == ValueKind::tuple) {
        elements = source.items;
      } else {
        elements.push_back(source);
      }
      Value out;
      out.kind = ValueKind::tuple;
      out.file = current_;
      out.span = e.span;
      std::size_t budget = kMaxValues;
      for (const Value& element : elements) {
        splat_items_.push_back(&element);
        out.items.push_back(eval(*e.child(1)));
        splat_items_.pop_back();
        if (!count_within(out.items.back(), budget))
          return unknown("a splat of more values than any policy needs", e.span);
      }
      return out;
    }
    case ExprKind::unary: {
      Value operand = eval(*e.child(0));
      if (!operand.known()) return operand;
      if (const auto b = as_bool(operand); e.text == "!" && b)
        return bool_value(!*b, current_, e.span);
      if (e.text == "-" && operand.kind == ValueKind::number)
        return number_value(-operand.number, current_, e.span);
      return unknown(
          fmt::format("{} of a value that is not a {}", e.text, e.text == "!" ? "bool" : "number"),
          e.span);
    }
    case ExprKind::binary:
      return eval_binary(e);
    case ExprKind::conditional: {
      const Value condition = eval(*e.child(0));
      const std::optional<bool> chosen = as_bool(condition);
      if (!chosen)
        return unknown(condition.known()
                           ? "a condition that is not a bool"
                           : "a condition known only when Terraform runs (" + condition.why + ")",
                       e.span);
      return eval(*e.child(*chosen ? 1 : 2));
    }
    case ExprKind::parens:
      return eval(*e.child(0));
  }
  return unknown("an expression not evaluated offline", e.span);
}

Value Evaluator::eval_template(const Expr& e) {
  // A template of one interpolation is that value itself ("unwrapping").
  if (e.children.size() == 1 && e.child(0)->kind != ExprKind::literal_text &&
      e.child(0)->kind != ExprKind::template_if && e.child(0)->kind != ExprKind::template_for)
    return eval(*e.child(0));
  Value out = string_value("", current_, e.span);
  out.map = OffsetMap();
  std::size_t scanned = 0;  // how much of out.text inside_json_string has seen
  bool in_string = false;
  for (const auto& part : e.children) {
    if (part->kind == ExprKind::literal_text) {
      map_literal(*part, out.text.size(), out.map);
      out.text += part->text;
      continue;
    }
    Value v;
    if (part->kind == ExprKind::template_if) {
      const Value condition = eval(*part->child(0));
      if (condition.kind != ValueKind::boolean) {
        v = unknown("a %{ if } condition known only when Terraform runs", part->span);
      } else if (condition.boolean) {
        v = eval_template(*part->child(1));
      } else {
        v = part->child(2) != nullptr ? eval_template(*part->child(2))
                                      : string_value("", current_, part->span);
      }
    } else if (part->kind == ExprKind::template_for) {
      const Value collection = eval(*part->child(0));
      if (collection.kind != ValueKind::tuple && collection.kind != ValueKind::object) {
        v = unknown("a %{ for } collection known only when Terraform runs", part->span);
      } else {
        v = string_value("", current_, part->span);
        v.map = OffsetMap();
        const std::size_t n = collection.kind == ValueKind::tuple ? collection.items.size()
                                                                  : collection.members.size();
        for (std::size_t i = 0; i < n; ++i) {
          const bool tuple = collection.kind == ValueKind::tuple;
          if (!part->key_var().empty())
            locals_.emplace_back(
                std::string(part->key_var()),
                tuple ? number_value(static_cast<double>(i), current_, part->span)
                      : string_value(collection.members[i].key, current_, part->span));
          locals_.emplace_back(std::string(part->value_var()),
                               tuple ? collection.items[i] : collection.members[i].value);
          const Value body = eval_template(*part->child(1));
          locals_.pop_back();
          if (!part->key_var().empty()) locals_.pop_back();
          if (!body.known()) {
            v = body;
            break;
          }
          append_text(v, body, current_, part->span);
        }
      }
    } else {
      v = eval(*part);
    }
    if (!v.known() &&
        (part->kind == ExprKind::template_if || part->kind == ExprKind::template_for)) {
      // A directive's output is text of any shape (statements of a JSON list): the text around
      // it cannot be read without it.
      return unknown(v.why, e.span);
    }
    if (!v.known() || (v.kind != ValueKind::string && !as_string(v))) {
      // The known text around an unknown value is kept; the range stands for the value. In
      // JSON text the placeholder is `null` between values and, inside a string, the
      // interpolation as written: a message quoting the string then shows `${var.x}`, never a
      // value that looks real.
      const std::string placeholder =
          !is_json_text(out.text) || inside_json_string(out.text, scanned, in_string)
              ? interpolation_text(*part)
              : std::string("null");
      out.map.add(out.text.size(), part->span.begin, false);
      out.unknown_ranges.emplace_back(out.text.size(), out.text.size() + placeholder.size());
      out.text += placeholder;
      if (out.why.empty()) out.why = v.known() ? "a value that is not a string" : v.why;
      continue;
    }
    if (v.kind != ValueKind::string) {
      out.map.add(out.text.size(), part->span.begin, false);
      out.text += *as_string(v);
      continue;
    }
    append_text(out, v, current_, part->span);
  }
  return out;
}

Value Evaluator::apply_step(const Value& from, const std::string& step, Span span) {
  if (from.instance) {
    // An attribute of a whole instance is the reference written out: `b.arn` for b in
    // aws_s3_bucket.x reads aws_s3_bucket.x[i].arn.
    std::vector<std::string> steps = from.instance->steps;
    steps.push_back(step);
    return resolve(from.instance->scope != nullptr ? *from.instance->scope : scope_,
                   from.instance->root, steps, span);
  }
  if (!from.known()) return from;
  if (from.kind == ValueKind::object) {
    if (const Value* m = from.member(step)) return *m;
    return unknown(fmt::format("no attribute \"{}\"", step), span);
  }
  if (from.kind == ValueKind::tuple) {
    char* end = nullptr;
    const unsigned long i = std::strtoul(step.c_str(), &end, 10);
    if (end != step.c_str() && *end == '\0' && i < from.items.size()) return from.items[i];
  }
  return unknown(fmt::format("no attribute \"{}\"", step), span);
}

Value Evaluator::index(const Value& from, const Value& key, Span span) {
  if (from.instance && key.known()) {
    if (const auto step = as_string(key)) return apply_step(from, *step, span);
  }
  if (!from.known()) return from;
  if (!key.known()) return unknown("an index known only when Terraform runs", span);
  if (from.kind == ValueKind::tuple) {
    if (key.kind != ValueKind::number || key.number < 0 || key.number != std::floor(key.number) ||
        key.number >= static_cast<double>(from.items.size()))
      return unknown("an index outside the list", span);
    return from.items[static_cast<std::size_t>(key.number)];
  }
  if (from.kind == ValueKind::object) {
    const auto name = as_string(key);
    if (name) {
      if (const Value* m = from.member(*name)) return *m;
    }
    return unknown("a key the map does not hold", span);
  }
  return unknown("an index into a value that is not a collection", span);
}

Value Evaluator::resolve(Scope& scope, const std::string& root,
                         const std::vector<std::string>& steps, Span span) {
  std::size_t used = 0;
  auto v = scope.reference(root, steps, used, *current_, span);
  if (!v) return unknown(fmt::format("{} is not something gd-export-lint knows", root), span);
  Value out = std::move(*v);
  // The scope takes at least the steps an instance it returns names, so this ends.
  for (std::size_t i = used; i < steps.size(); ++i) out = apply_step(out, steps[i], span);
  return out;
}

Value Evaluator::eval_traversal(const Expr& e) {
  // A reference the scope resolves: var.x, local.y, aws_s3_bucket.b.arn, data.x.y.json, ...
  const Traversal t = static_traversal(e);
  if (!t.root.empty() && local(t.root) == nullptr) return resolve(scope_, t.root, t.steps, e.span);
  switch (e.kind) {
    case ExprKind::variable: {
      if (const Value* v = local(e.text)) return *v;
      return unknown(fmt::format("{} is not defined here", e.text), e.span);
    }
    case ExprKind::get_attr:
      return apply_step(eval(*e.child(0)), e.text, e.span);
    case ExprKind::index:
      return index(eval(*e.child(0)), eval(*e.child(1)), e.span);
    default:
      return unknown("not a reference", e.span);
  }
}

Value Evaluator::eval_for(const Expr& e) {
  const Value collection = eval(*e.child(0));
  if (collection.kind != ValueKind::tuple && collection.kind != ValueKind::object)
    return collection.known()
               ? unknown("a for expression over a value that is not a collection", e.span)
               : collection;
  const bool tuple_out = e.kind == ExprKind::for_tuple;
  const Expr* condition = tuple_out ? e.child(2) : e.child(3);
  Value out;
  out.kind = tuple_out ? ValueKind::tuple : ValueKind::object;
  out.file = current_;
  out.span = e.span;
  const bool tuple_in = collection.kind == ValueKind::tuple;
  // Objects are visited in lexicographic order of their keys.
  std::vector<std::size_t> order(tuple_in ? collection.items.size() : collection.members.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!tuple_in) {
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return collection.members[a].key < collection.members[b].key;
    });
  }
  std::size_t budget = kMaxValues;
  for (const std::size_t i : order) {
    if (!e.key_var().empty())
      locals_.emplace_back(std::string(e.key_var()),
                           tuple_in ? number_value(static_cast<double>(i), current_, e.span)
                                    : string_value(collection.members[i].key, current_, e.span));
    locals_.emplace_back(std::string(e.value_var()),
                         tuple_in ? collection.items[i] : collection.members[i].value);
    bool keep = true;
    if (condition != nullptr) {
      const Value c = eval(*condition);
      if (c.kind != ValueKind::boolean) {
        locals_.pop_back();
        if (!e.key_var().empty()) locals_.pop_back();
        return unknown("a for expression's condition known only when Terraform runs", e.span);
      }
      keep = c.boolean;
    }
    if (keep) {
      if (tuple_out) {
        out.items.push_back(eval(*e.child(1)));
        if (!count_within(out.items.back(), budget)) {
          locals_.pop_back();
          if (!e.key_var().empty()) locals_.pop_back();
          return unknown("a for expression of more values than any policy needs", e.span);
        }
      } else {
        const Value key = eval(*e.child(1));
        const auto name = as_string(key);
        if (!name) {
          locals_.pop_back();
          if (!e.key_var().empty()) locals_.pop_back();
          return unknown("a for expression's key known only when Terraform runs", e.span);
        }
        Value value = eval(*e.child(2));
        if (!count_within(value, budget)) {
          locals_.pop_back();
          if (!e.key_var().empty()) locals_.pop_back();
          return unknown("a for expression of more values than any policy needs", e.span);
        }
        auto existing = std::find_if(out.members.begin(), out.members.end(),
                                     [&](const auto& m) { return m.key == *name; });
        if (e.flag) {  // grouping: each key holds a tuple of its values
          if (existing == out.members.end()) {
            Value group;
            group.kind = ValueKind::tuple;
            group.file = current_;
            group.span = e.span;
            out.members.emplace_back(*name, std::move(group));
            existing = out.members.end() - 1;
          }
          existing->value.items.push_back(std::move(value));
        } else if (existing != out.members.end()) {
          locals_.pop_back();
          if (!e.key_var().empty()) locals_.pop_back();
          return unknown(fmt::format("the for expression produces the key \"{}\" twice", *name),
                         e.span);
        } else {
          out.members.emplace_back(*name, std::move(value));
        }
      }
    }
    locals_.pop_back();
    if (!e.key_var().empty()) locals_.pop_back();
    if (out.items.size() + out.members.size() > kMaxItems)
      return unknown("a collection too large to evaluate offline", e.span);
  }
  return out;
}

Value Evaluator::eval_binary(const Expr& e) {
  const std::string& op = e.text;
  const Value a = eval(*e.child(0));
  // && and || need both operands (HCL does not short-circuit), but a known false/true decides.
  if (op == "&&" || op == "||") {
    const Value b = eval(*e.child(1));
    const std::optional<bool> x = as_bool(a);
    const std::optional<bool> y = as_bool(b);
    if (x && y) return bool_value(op == "&&" ? *x && *y : *x || *y, current_, e.span);
    return unknown(fmt::format("{} of values known only when Terraform runs", op), e.span);
  }
  const Value b = eval(*e.child(1));
  if (!a.wholly_known() || !b.wholly_known())
    return unknown(!a.wholly_known() ? a.why : b.why, e.span);
  if (op == "==" || op == "!=") {
    // Terraform converts between a number and its string in comparisons of primitive values.
    bool same = equal(a, b);
    return bool_value(op == "==" ? same : !same, current_, e.span);
  }
  auto number = [](const Value& v) -> std::optional<double> {
    if (v.kind == ValueKind::number) return v.number;
    if (v.kind == ValueKind::string) {
      try {
        std::size_t used = 0;
        const double d = std::stod(v.text, &used);
        if (used == v.text.size()) return d;
      } catch (const std::exception&) {
      }
    }
    return std::nullopt;
  };
  const auto x = number(a);
  const auto y = number(b);
  if (!x || !y) return unknown(fmt::format("{} of values that are not numbers", op), e.span);
  if (op == "<") return bool_value(*x < *y, current_, e.span);
  if (op == "<=") return bool_value(*x <= *y, current_, e.span);
  if (op == ">") return bool_value(*x > *y, current_, e.span);
  if (op == ">=") return bool_value(*x >= *y, current_, e.span);
  if (op == "+") return number_value(*x + *y, current_, e.span);
  if (op == "-") return number_value(*x - *y, current_, e.span);
  if (op == "*") return number_value(*x * *y, current_, e.span);
  if (op == "/") {
    if (*y == 0) return unknown("a division by zero", e.span);
    return number_value(*x / *y, current_, e.span);
  }
  if (op == "%") {
    if (*y == 0) return unknown("a division by zero", e.span);
    return number_value(std::fmod(*x, *y), current_, e.span);
  }
  return unknown(fmt::format("the operator {}", op), e.span);
}

Value Evaluator::eval_call(const Expr& e) {
  const std::string& name = e.text;
  std::vector<Value> args;
  std::size_t budget = kMaxValues;
  for (const auto& arg : e.children) {
    args.push_back(eval(*arg));
    if (!count_within(args.back(), budget))
      return unknown(fmt::format("{}() of more values than any policy needs", name), e.span);
  }
  if (e.flag && !args.empty()) {  // f(a, list...): the list's elements are the last arguments
    Value last = std::move(args.back());
    args.pop_back();
    if (last.kind != ValueKind::tuple)
      return unknown(fmt::format("{}(...): the expanded argument is not a list", name), e.span);
    for (Value& item : last.items) args.push_back(std::move(item));
  }
  if (name == "file" || name == "templatefile") {
    if (args.empty() || !args[0].is_string())
      return unknown(fmt::format("{}() of a path known only when Terraform runs", name), e.span);
    const SourceFile* loaded = scope_.load_file(args[0].text);
    if (loaded == nullptr) {
      scope_.file_not_loaded(args[0].text, *current_, e.span);
      return unknown(fmt::format("{}(\"{}\"): the file cannot be read", name, args[0].text),
                     e.span);
    }
    if (name == "file") {
      Value v = string_value(std::string(loaded->text()), loaded, {0, loaded->text().size()}, true);
      return v;
    }
    std::vector<ValueMember> vars;
    if (args.size() > 1) {
      if (args[1].kind != ValueKind::object)
        return unknown("templatefile() variables known only when Terraform runs", e.span);
      vars = args[1].members;
    }
    const ExpressionResult parsed = parse_template(*loaded);
    if (!parsed.expr || !parsed.diagnostics.empty())
      return unknown(fmt::format("templatefile(\"{}\"): {}", args[0].text,
                                 parsed.diagnostics.empty() ? std::string("not a valid template")
                                                            : parsed.diagnostics.front().message),
                     e.span);
    return evaluate_template(*parsed.expr, *loaded, vars);
  }
  return call_function(name, std::move(args), current_, e.span);
}

}  // namespace gdl::hcl
