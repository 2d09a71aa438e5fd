#include "hcl/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "diag/rule_catalog.h"
#include "json/parser.h"
#include "util/text.h"

namespace gdl::hcl {

const Attribute* Body::attribute(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<const Block*> Body::blocks_of(std::string_view type) const {
  std::vector<const Block*> out;
  for (const Block& b : blocks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

Traversal static_traversal(const Expr& e) {
  std::vector<std::string> steps;
  const Expr* at = &e;
  while (true) {
    if (at->kind == ExprKind::get_attr) {
      steps.push_back(at->text);
      at = at->child(0);
    } else if (at->kind == ExprKind::index && at->child(1) != nullptr &&
               (at->child(1)->kind == ExprKind::number ||
                (at->child(1)->kind == ExprKind::template_ && at->child(1)->children.size() == 1 &&
                 at->child(1)->child(0)->kind == ExprKind::literal_text))) {
      const Expr* key = at->child(1);
      steps.push_back(key->kind == ExprKind::number ? key->text : key->child(0)->text);
      at = at->child(0);
    } else {
      break;
    }
  }
  if (at->kind != ExprKind::variable) return {};
  std::reverse(steps.begin(), steps.end());
  return {at->text, std::move(steps)};
}

namespace {

bool is_id_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_id_continue(char c) {
  return is_id_start(c) || (c >= '0' && c <= '9') || c == '-';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::unique_ptr<Expr> make(ExprKind kind, Span span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

// Unwinds to the nearest place that can go on reading (the body item being read).
struct SyntaxError {};
// Too many errors: stop reading the file.
struct GiveUp {};

class Parser {
 public:
  Parser(const SourceFile& source, std::string_view rule_id)
      : source_(source), t_(source.text()), rule_(rule_id) {}

  std::vector<Diagnostic> diagnostics;

  Body file() {
    Body body;
    if (t_.starts_with("\xEF\xBB\xBF")) {
      report({0, 3}, "a UTF-8 byte-order mark is not allowed in HCL; remove it");
      p_ = 3;
    }
    report_invalid_utf8();
    try {
      body = read_body(/*nested=*/false);
    } catch (const GiveUp&) {
    }
    body.span = {0, t_.size()};
    return body;
  }

  std::unique_ptr<Expr> standalone_expression() {
    try {
      newlines_.push_back(false);
      auto e = expression();
      skip();
      if (p_ < t_.size()) error_here("unexpected text after the expression");
      return e;
    } catch (const SyntaxError&) {
    } catch (const GiveUp&) {
    }
    return nullptr;
  }

  std::unique_ptr<Expr> standalone_template() {
    try {
      auto e = make(ExprKind::template_, {0, t_.size()});
      std::string stop;
      read_template_parts(*e, Mode::standalone, t_.size(), stop);
      if (!stop.empty())
        error_at({p_, p_}, fmt::format("%{{{}}} without its opening directive", stop));
      return e;
    } catch (const SyntaxError&) {
    } catch (const GiveUp&) {
    }
    return nullptr;
  }

 private:
  enum class Mode { quoted, heredoc, standalone };

  // ---- errors --------------------------------------------------------------------------------

  // Terraform reads configuration files as UTF-8 and refuses others: the first invalid byte
  // sequence (or NUL byte) is GD003, with how many more there are; the file is still read.
  void report_invalid_utf8() {
    std::size_t first = t_.size();
    std::size_t count = 0;
    for (std::size_t i = next_invalid_utf8(t_, 0); i < t_.size();
         i = next_invalid_utf8(t_, i + 1)) {
      if (count++ == 0) first = i;
    }
    if (count == 0) return;
    const auto byte = static_cast<unsigned char>(t_[first]);
    Diagnostic d = make_diagnostic(
        "GD003", make_location(source_, {first, first + 1}),
        byte == 0 ? std::string("a NUL byte (0x00) in the file; Terraform reads .tf files as UTF-8 "
                                "text")
                  : fmt::format("invalid UTF-8 byte {:02X}; Terraform reads .tf files as UTF-8 "
                                "(was the file saved as Latin-1 or Windows-1252?)",
                                byte));
    if (count > 1) d.notes.push_back(fmt::format("{} more invalid bytes follow", count - 1));
    diagnostics.push_back(std::move(d));
  }

  void report(Span span, std::string message) {
    if (diagnostics.size() >= kMaxErrors) throw GiveUp{};
    // A position past the end (a backslash escape that ends the file) is the end.
    span.begin = std::min(span.begin, t_.size());
    span.end = std::clamp(span.end, span.begin, t_.size());
    message = "HCL syntax: " + std::move(message);
    // Recovery can read a stretch twice: the same error is reported once.
    if (std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
          return d.location.span.begin == span.begin && d.message == message;
        }))
      return;
    diagnostics.push_back(make_diagnostic(rule_, make_location(source_, span), std::move(message)));
    if (diagnostics.size() >= kMaxErrors) {
      diagnostics.back().notes.push_back(fmt::format(
          "stopped after {} syntax errors; the rest of the file was not read", kMaxErrors));
      throw GiveUp{};
    }
  }

  [[noreturn]] void error_at(Span span, std::string message) {
    report(span, std::move(message));
    throw SyntaxError{};
  }

  [[noreturn]] void error_here(std::string_view expected) {
    if (p_ >= t_.size()) error_at({p_, p_}, fmt::format("{}, found the end of the file", expected));
    const std::size_t n = std::max<std::size_t>(utf8_length_at(p_), 1);
    const std::string_view found = t_.substr(p_, n);
    error_at({p_, p_ + n}, fmt::format("{}, found {}", expected,
                                       found == "\n" || found == "\r"
                                           ? std::string("a line break")
                                           : fmt::format("'{}'", escape_for_terminal(found))));
  }

  std::size_t utf8_length_at(std::size_t at) const {
    const auto c = static_cast<unsigned char>(t_[at]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return std::min(n, t_.size() - at);
  }

  [[noreturn]] void too_deep(std::size_t at) {
    error_at({at, at + 1}, fmt::format("nested too deeply (more than {} levels of brackets, calls, "
                                       "operators, attribute accesses or template directives)",
                                       kMaxDepth));
  }

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser, std::size_t at) : p(parser) {
      if (++p.depth_ > kMaxDepth) p.too_deep(at);
    }
    ~DepthGuard() { --p.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
  };

  // A loop that nests what it has read so far one level deeper each turn (`a + b + c` is
  // `(a + b) + c`; `x.a.b[0]` is `((x.a).b)[0]`): each turn counts as a level, so the tree, and
  // the recursions that evaluate and destroy it, stay within kMaxDepth.
  struct ChainGuard {
    Parser& p;
    int added = 0;
    explicit ChainGuard(Parser& parser) : p(parser) {}
    void deeper(std::size_t at) {
      ++added;
      if (++p.depth_ > kMaxDepth) p.too_deep(at);
    }
    ~ChainGuard() { p.depth_ -= added; }
    ChainGuard(const ChainGuard&) = delete;
    ChainGuard& operator=(const ChainGuard&) = delete;
  };

  // ---- whitespace, comments, newlines --------------------------------------------------------

  char at(std::size_t i) const { return i < t_.size() ? t_[i] : '\0'; }
  bool looking_at(std::string_view s) const { return t_.substr(p_).starts_with(s); }

  // Skips spaces, tabs and inline comments; with `newlines`, also line breaks and line comments.
  std::size_t skipped(std::size_t i, bool newlines) const {
    while (i < t_.size()) {
      const char c = t_[i];
      if (c == ' ' || c == '\t') {
        ++i;
      } else if (c == '/' && at(i + 1) == '*') {
        const std::size_t end = t_.find("*/", i + 2);
        i = end == std::string_view::npos ? t_.size() : end + 2;
      } else if (newlines && (c == '\n' || c == '\r')) {
        ++i;
      } else if (newlines && (c == '#' || (c == '/' && at(i + 1) == '/'))) {
        while (i < t_.size() && t_[i] != '\n') ++i;
      } else {
        break;
      }
    }
    return i;
  }

  // Skips what the current context ignores: inside (), [] and for-expressions line breaks too.
  void skip() { p_ = skipped(p_, !newlines_.empty() && !newlines_.back()); }
  void skip_all() { p_ = skipped(p_, true); }
  void skip_inline() { p_ = skipped(p_, false); }

  // The next significant character after what the context ignores, without moving.
  char peek() const { return at(skipped(p_, !newlines_.empty() && !newlines_.back())); }

  bool at_line_end() const {
    const std::size_t i = skipped(p_, false);
    const char c = at(i);
    return i >= t_.size() || c == '\n' || c == '\r' || c == '#' || (c == '/' && at(i + 1) == '/');
  }

  void expect(char c, std::string_view what) {
    skip();
    if (at(p_) != c) error_here(fmt::format("expected {}", what));
    ++p_;
  }

  struct NewlineScope {
    Parser& p;
    NewlineScope(Parser& parser, bool significant) : p(parser) {
      p.newlines_.push_back(significant);
    }
    ~NewlineScope() { p.newlines_.pop_back(); }
    NewlineScope(const NewlineScope&) = delete;
    NewlineScope& operator=(const NewlineScope&) = delete;
  };

  // ---- structure -----------------------------------------------------------------------------

  std::string identifier() {
    const std::size_t begin = p_;
    if (!is_id_start(at(p_))) error_here("expected a name");
    while (p_ < t_.size() && is_id_continue(t_[p_])) ++p_;
    return std::string(t_.substr(begin, p_ - begin));
  }

  // After an error in the item that began at `item`: the next item of the body, at the next
  // line break outside the item's brackets (or the '}' that closes the body).
  void recover(std::size_t item) {
    p_ = item;
    int depth = 0;
    while (p_ < t_.size()) {
      const char c = t_[p_];
      if (c == '"') {
        skip_quoted();
        continue;
      }
      if (c == '#' || (c == '/' && at(p_ + 1) == '/')) {
        while (p_ < t_.size() && t_[p_] != '\n') ++p_;
        continue;
      }
      if (c == '/' && at(p_ + 1) == '*') {
        const std::size_t end = t_.find("*/", p_ + 2);
        p_ = end == std::string_view::npos ? t_.size() : end + 2;
        continue;
      }
      if (c == '{' || c == '[' || c == '(') ++depth;
      if (c == '}' && depth == 0 && p_ > item) return;  // closes the body: its reader takes it
      if ((c == '}' || c == ']' || c == ')') && depth > 0) --depth;
      if (c == '\n' && depth == 0) return;
      ++p_;
    }
  }

  void skip_quoted() {
    ++p_;
    while (p_ < t_.size() && t_[p_] != '"' && t_[p_] != '\n') {
      p_ += t_[p_] == '\\' ? 2U : 1U;
    }
    if (p_ < t_.size() && t_[p_] == '"') ++p_;
  }

  Body read_body(bool nested) {
    Body body;
    body.span.begin = p_;
    const DepthGuard depth(*this, p_);
    const NewlineScope significant(*this, true);
    while (true) {
      skip_all();
      if (p_ >= t_.size()) {
        if (nested)
          error_at({p_, p_}, "this block is not closed: '}' expected before the end of the file");
        break;
      }
      if (t_[p_] == '}') {
        if (nested) break;
        report({p_, p_ + 1}, "'}' without a block to close");
        ++p_;
        continue;
      }
      const std::size_t item = p_;
      try {
        read_item(body);
      } catch (const SyntaxError&) {
        recover(item);
      }
    }
    body.span.end = p_;
    return body;
  }

  void read_item(Body& body) {
    const std::size_t begin = p_;
    std::string name = identifier();
    const Span name_span{begin, p_};
    skip_inline();
    if (at(p_) == '=' && at(p_ + 1) != '=') {
      ++p_;
      Attribute a;
      a.name = std::move(name);
      a.name_span = name_span;
      a.value = expression();
      a.span = {begin, a.value->span.end};
      if (!at_line_end() && peek() != '}') {
        skip_inline();
        error_here("expected a line break after the attribute's value");
      }
      if (body.attribute(a.name) != nullptr)
        report(name_span, fmt::format("\"{}\" is defined twice in this body", a.name));
      body.attributes.push_back(std::move(a));
      return;
    }
    Block block;
    block.type = std::move(name);
    block.type_span = name_span;
    while (true) {
      skip_inline();
      const char c = at(p_);
      if (c == '{') break;
      const std::size_t label_begin = p_;
      if (c == '"') {
        auto lit = quoted_string_literal();
        block.labels.push_back({std::move(lit), {label_begin, p_}});
      } else if (is_id_start(c)) {
        block.labels.push_back({identifier(), {label_begin, p_}});
      } else if (block.labels.empty()) {
        error_here("expected '=' (an attribute) or a block's labels and '{'");
      } else {
        error_here("expected a label or '{'");
      }
    }
    ++p_;  // {
    block.body = read_body(/*nested=*/true);
    ++p_;  // }
    block.span = {begin, p_};
    if (!at_line_end() && peek() != '}') {
      skip_inline();
      error_here("expected a line break after the block");
    }
    body.blocks.push_back(std::move(block));
  }

  // A block label: a string without interpolation.
  std::string quoted_string_literal() {
    auto e = make(ExprKind::template_, {p_, p_});
    ++p_;
    std::string stop;
    read_template_parts(*e, Mode::quoted, t_.size(), stop);
    e->span.end = p_;
    std::string text;
    for (const auto& part : e->children) {
      if (part->kind != ExprKind::literal_text)
        error_at(part->span, "a block label cannot hold an interpolation");
      text += part->text;
    }
    return text;
  }

  // ---- expressions ---------------------------------------------------------------------------

  std::unique_ptr<Expr> expression() {
    const DepthGuard depth(*this, p_);
    auto condition = binary(1);
    if (peek() != '?') return condition;
    skip();
    ++p_;
    auto yes = expression();
    expect(':', "':' between the conditional's two results");
    auto no = expression();
    auto e = make(ExprKind::conditional, {condition->span.begin, no->span.end});
    e->children.push_back(std::move(condition));
    e->children.push_back(std::move(yes));
    e->children.push_back(std::move(no));
    return e;
  }

  // The binary operator at this precedence level at the cursor (after what is skipped), or "".
  std::string_view operator_at(int level) const {
    // Every precedence level asks at the same position after its operand: skip once.
    const bool newlines = !newlines_.empty() && !newlines_.back();
    if (p_ != operator_memo_.from || newlines != operator_memo_.newlines)
      operator_memo_ = {p_, newlines, skipped(p_, newlines)};
    const std::size_t i = operator_memo_.to;
    const std::string_view rest = t_.substr(std::min(i, t_.size()));
    auto one = [&](char c) { return !rest.empty() && rest[0] == c; };
    switch (level) {
      case 1:
        return rest.starts_with("||") ? "||" : "";
      case 2:
        return rest.starts_with("&&") ? "&&" : "";
      case 3:
        return rest.starts_with("==") ? "==" : rest.starts_with("!=") ? "!=" : "";
      case 4:
        if (rest.starts_with("<=")) return "<=";
        if (rest.starts_with(">=")) return ">=";
        if (one('<') && !rest.starts_with("<<")) return "<";
        if (one('>')) return ">";
        return "";
      case 5:
        return one('+') ? "+" : one('-') ? "-" : "";
      case 6:
        if (one('*')) return "*";
        if (one('/') && !rest.starts_with("//")) return "/";  // "//" starts a line comment
        if (one('%') && !rest.starts_with("%{")) return "%";
        return "";
      default:
        return "";
    }
  }

  std::unique_ptr<Expr> binary(int level) {
    if (level > 6) return unary();
    auto left = binary(level + 1);
    ChainGuard chain(*this);
    while (true) {
      const std::string_view op = operator_at(level);
      if (op.empty()) return left;
      skip();
      chain.deeper(p_);
      p_ += op.size();
      auto right = binary(level + 1);
      auto e = make(ExprKind::binary, {left->span.begin, right->span.end});
      e->text = std::string(op);
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      left = std::move(e);
    }
  }

  std::unique_ptr<Expr> unary() {
    skip();
    const char c = at(p_);
    if ((c == '-' || c == '!') && at(p_ + 1) != '=') {
      const std::size_t begin = p_++;
      const DepthGuard depth(*this, begin);
      auto operand = unary();
      auto e = make(ExprKind::unary, {begin, operand->span.end});
      e->text = std::string(1, c);
      e->children.push_back(std::move(operand));
      return e;
    }
    return postfix(term());
  }

  std::unique_ptr<Expr> term() {
    skip();
    const std::size_t begin = p_;
    const char c = at(p_);
    if (c == '(') {
      ++p_;
      const NewlineScope ignored(*this, false);
      auto inner = expression();
      expect(')', "')'");
      auto e = make(ExprKind::parens, {begin, p_});
      e->children.push_back(std::move(inner));
      return e;
    }
    if (c == '[') return tuple_or_for();
    if (c == '{') return object_or_for();
    if (c == '"') {
      auto e = make(ExprKind::template_, {begin, begin});
      ++p_;
      std::string stop;
      read_template_parts(*e, Mode::quoted, t_.size(), stop);
      if (!stop.empty())
        error_at({p_, p_}, fmt::format("%{{{}}} without its opening directive", stop));
      e->span.end = p_;
      return e;
    }
    if (c == '<' && at(p_ + 1) == '<') return heredoc();
    if (is_digit(c)) return number();
    if (is_id_start(c)) {
      std::string name = identifier();
      // Provider functions: provider::name::function.
      while (looking_at("::") && is_id_start(at(p_ + 2))) {
        p_ += 2;
        name += "::" + identifier();
      }
      if (name == "true" || name == "false") {
        auto e = make(ExprKind::boolean, {begin, p_});
        e->flag = name == "true";
        return e;
      }
      if (name == "null") return make(ExprKind::null, {begin, p_});
      if (at(skipped(p_, false)) == '(') {
        skip_inline();
        return call(std::move(name), begin);
      }
      auto e = make(ExprKind::variable, {begin, p_});
      e->text = std::move(name);
      return e;
    }
    error_here("expected an expression");
  }

  std::unique_ptr<Expr> number() {
    const std::size_t begin = p_;
    while (is_digit(at(p_))) ++p_;
    if (at(p_) == '.' && is_digit(at(p_ + 1))) {
      ++p_;
      while (is_digit(at(p_))) ++p_;
    }
    if (at(p_) == 'e' || at(p_) == 'E') {
      std::size_t q = p_ + 1;
      if (at(q) == '+' || at(q) == '-') ++q;
      if (is_digit(at(q))) {
        p_ = q;
        while (is_digit(at(p_))) ++p_;
      }
    }
    auto e = make(ExprKind::number, {begin, p_});
    e->text = std::string(t_.substr(begin, p_ - begin));
    return e;
  }

  std::unique_ptr<Expr> call(std::string name, std::size_t begin) {
    ++p_;  // (
    auto e = make(ExprKind::call, {begin, begin});
    e->text = std::move(name);
    const NewlineScope ignored(*this, false);
    skip();
    while (at(p_) != ')') {
      e->children.push_back(expression());
      skip();
      if (looking_at("...")) {
        p_ += 3;
        e->flag = true;
        skip();
        if (at(p_) != ')') error_here("expected ')' after the expanded argument (...)");
        break;
      }
      if (at(p_) == ',') {
        ++p_;
        skip();
        continue;
      }
      if (at(p_) != ')') error_here("expected ',' or ')' in the function's arguments");
    }
    ++p_;
    e->span.end = p_;
    return e;
  }

  bool keyword_at(std::size_t i, std::string_view word) const {
    return t_.substr(i).starts_with(word) && !is_id_continue(at(i + word.size()));
  }

  std::unique_ptr<Expr> tuple_or_for() {
    const std::size_t begin = p_++;
    const NewlineScope ignored(*this, false);
    skip();
    if (keyword_at(p_, "for")) return for_expression(begin, ']');
    auto e = make(ExprKind::tuple, {begin, begin});
    while (at(p_) != ']') {
      e->children.push_back(expression());
      skip();
      if (at(p_) == ',') {
        ++p_;
        skip();
      } else if (at(p_) != ']') {
        error_here("expected ',' or ']' in the list");
      }
    }
    ++p_;
    e->span.end = p_;
    return e;
  }

  std::unique_ptr<Expr> object_or_for() {
    const std::size_t begin = p_++;
    if (keyword_at(skipped(p_, true), "for")) {
      const NewlineScope ignored(*this, false);
      skip();
      return for_expression(begin, '}');
    }
    auto e = make(ExprKind::object, {begin, begin});
    // Elements are separated by ',' or line breaks; values end at a line break.
    const NewlineScope significant(*this, true);
    while (true) {
      skip_all();
      if (at(p_) == '}') break;
      e->children.push_back(object_key());
      skip_inline();
      if ((at(p_) == '=' && at(p_ + 1) != '=' && at(p_ + 1) != '>') || at(p_) == ':') {
        ++p_;
      } else {
        error_here("expected '=' or ':' after the object's key");
      }
      e->children.push_back(expression());
      skip_inline();
      if (at(p_) == ',') {
        ++p_;
      } else if (!at_line_end() && at(p_) != '}') {
        error_here("expected ',', a line break or '}' after the object's value");
      }
    }
    ++p_;
    e->span.end = p_;
    return e;
  }

  // A bare identifier is the key's literal name; anything else is an expression.
  std::unique_ptr<Expr> object_key() {
    const std::size_t begin = p_;
    if (is_id_start(at(p_))) {
      std::size_t q = p_;
      while (q < t_.size() && is_id_continue(t_[q])) ++q;
      const std::size_t after = skipped(q, false);
      if ((at(after) == '=' && at(after + 1) != '=') || at(after) == ':') {
        p_ = q;
        auto key = make(ExprKind::literal_text, {begin, q});
        key->text = std::string(t_.substr(begin, q - begin));
        return key;
      }
    }
    const NewlineScope ignored(*this, false);
    return expression();
  }

  std::unique_ptr<Expr> for_expression(std::size_t begin, char close) {
    p_ += 3;  // for
    auto e = make(close == ']' ? ExprKind::for_tuple : ExprKind::for_object, {begin, begin});
    skip();
    std::string first = identifier();
    skip();
    if (at(p_) == ',') {
      ++p_;
      skip();
      e->set_for_names(std::move(first), identifier());
      skip();
    } else {
      e->set_for_names({}, std::move(first));
    }
    if (!keyword_at(p_, "in")) error_here("expected 'in' in the for expression");
    p_ += 2;
    e->children.push_back(expression());
    expect(':', "':' after the for expression's collection");
    e->children.push_back(expression());
    if (close == '}') {
      skip();
      if (!looking_at("=>")) error_here("expected '=>' between the key and the value");
      p_ += 2;
      e->children.push_back(expression());
      skip();
      if (looking_at("...")) {
        p_ += 3;
        e->flag = true;
      }
    }
    skip();
    if (keyword_at(p_, "if")) {
      p_ += 2;
      e->children.push_back(expression());
    } else {
      e->children.push_back(nullptr);
    }
    expect(close,
           close == ']' ? "']' to close the for expression" : "'}' to close the for expression");
    e->span.end = p_;
    return e;
  }

  // Index, attribute access and splats after a term.
  std::unique_ptr<Expr> postfix(std::unique_ptr<Expr> e) {
    ChainGuard chain(*this);
    while (true) {
      const char c = at(p_);
      if (c == '.' || c == '[') chain.deeper(p_);
      if (c == '.' && at(p_ + 1) == '*') {
        p_ += 2;
        e = splat(std::move(e), /*full=*/false);
      } else if (c == '[' && at(skipped(p_ + 1, true)) == '*' &&
                 at(skipped(skipped(p_ + 1, true) + 1, true)) == ']') {
        p_ = skipped(skipped(p_ + 1, true) + 1, true) + 1;
        e = splat(std::move(e), /*full=*/true);
      } else if ((c == '.' && (is_id_start(at(p_ + 1)) || is_digit(at(p_ + 1)))) || c == '[') {
        e = traverse(std::move(e));
      } else {
        return e;
      }
    }
  }

  // One attribute access (.name), legacy index (.0) or index ([key]).
  std::unique_ptr<Expr> traverse(std::unique_ptr<Expr> from) {
    const std::size_t begin = from->span.begin;
    if (at(p_) == '.') {
      ++p_;
      if (is_digit(at(p_))) {
        auto key = number();
        auto e = make(ExprKind::index, {begin, p_});
        e->children.push_back(std::move(from));
        e->children.push_back(std::move(key));
        return e;
      }
      auto e = make(ExprKind::get_attr, {begin, begin});
      e->text = identifier();
      e->span.end = p_;
      e->children.push_back(std::move(from));
      return e;
    }
    ++p_;  // [
    const NewlineScope ignored(*this, false);
    auto key = expression();
    expect(']', "']' to close the index");
    auto e = make(ExprKind::index, {begin, p_});
    e->children.push_back(std::move(from));
    e->children.push_back(std::move(key));
    return e;
  }

  std::unique_ptr<Expr> splat(std::unique_ptr<Expr> source, bool full) {
    const std::size_t begin = source->span.begin;
    auto each = make(ExprKind::splat_item, {p_, p_});
    while (true) {
      const char c = at(p_);
      if (c == '.' && is_id_start(at(p_ + 1))) {
        each = traverse(std::move(each));
      } else if (full && c == '[' && at(skipped(p_ + 1, true)) != '*') {
        each = traverse(std::move(each));
      } else {
        break;
      }
    }
    auto e = make(ExprKind::splat, {begin, p_});
    e->children.push_back(std::move(source));
    e->children.push_back(std::move(each));
    return e;
  }

  // ---- templates -----------------------------------------------------------------------------

  std::unique_ptr<Expr> heredoc() {
    const std::size_t begin = p_;
    p_ += 2;
    const bool indented = at(p_) == '-';
    if (indented) ++p_;
    if (!is_id_start(at(p_))) error_here("expected the heredoc's delimiter after <<");
    const std::string marker = identifier();
    if (at(p_) == '\r') ++p_;
    if (at(p_) != '\n') error_here("expected a line break after the heredoc's delimiter");
    ++p_;
    const std::size_t body_begin = p_;
    // The body ends at the first line that holds only the delimiter (spaces around it allowed).
    std::size_t line = body_begin;
    std::size_t body_end = std::string_view::npos;
    std::size_t after = t_.size();
    while (line <= t_.size()) {
      std::size_t next = t_.find('\n', line);
      if (next == std::string_view::npos) next = t_.size();
      std::string_view content = t_.substr(line, next - line);
      if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
      while (!content.empty() && (content.front() == ' ' || content.front() == '\t'))
        content.remove_prefix(1);
      while (!content.empty() && (content.back() == ' ' || content.back() == '\t'))
        content.remove_suffix(1);
      if (content == marker) {
        body_end = line;
        after = line + t_.substr(line, next - line).find(marker) + marker.size();
        break;
      }
      if (next >= t_.size()) break;
      line = next + 1;
    }
    if (body_end == std::string_view::npos)
      error_at({begin, p_}, fmt::format("the heredoc <<{} is never closed: no line holds only {}",
                                        marker, marker));
    auto e = make(ExprKind::template_, {begin, after});
    std::string stop;
    read_template_parts(*e, Mode::heredoc, body_end, stop);
    if (!stop.empty())
      error_at({p_, p_}, fmt::format("%{{{}}} without its opening directive", stop));
    p_ = after;
    if (indented) strip_indentation(*e, body_begin, body_end);
    return e;
  }

  // <<-: the smallest indentation of the body's non-blank lines is removed from every line.
  void strip_indentation(Expr& e, std::size_t body_begin, std::size_t body_end) const {
    std::size_t least = std::string_view::npos;
    for (std::size_t line = body_begin; line < body_end;) {
      std::size_t next = t_.find('\n', line);
      if (next == std::string_view::npos || next > body_end) next = body_end;
      const std::string_view content = t_.substr(line, next - line);
      const std::size_t indent = content.find_first_not_of(' ');
      if (indent != std::string_view::npos && content.substr(indent) != "\r")
        least = std::min(least, indent);
      line = next + 1;
    }
    if (least == 0 || least == std::string_view::npos) return;
    // Remove up to `least` spaces after each line start inside literal parts.
    bool line_start = true;
    for (auto& part : e.children) {
      if (part->kind != ExprKind::literal_text) {
        line_start = false;
        continue;
      }
      std::string out;
      std::size_t dropped = 0;
      for (const char c : part->text) {
        if (line_start && c == ' ' && dropped < least) {
          ++dropped;
          continue;
        }
        line_start = c == '\n';
        dropped = 0;
        out += c;
      }
      part->text = std::move(out);
    }
  }

  // Reads template parts into `e` until the closing quote (quoted), `end` (heredoc, standalone)
  // or a %{else}/%{endif}/%{endfor} directive, whose keyword is returned in `stop`.
  void read_template_parts(Expr& e, Mode mode, std::size_t end, std::string& stop) {
    std::string literal;
    std::size_t literal_begin = p_;
    bool strip_next = false;  // the previous sequence ended with ~}
    auto flush = [&](bool strip_trailing) {
      if (strip_next) {
        const std::size_t first = literal.find_first_not_of(" \t\r\n");
        literal.erase(0, first == std::string::npos ? literal.size() : first);
        strip_next = false;
      }
      if (strip_trailing) {
        const std::size_t last = literal.find_last_not_of(" \t\r\n");
        literal.erase(last == std::string::npos ? 0 : last + 1);
      }
      if (!literal.empty()) {
        auto part = make(ExprKind::literal_text, {literal_begin, p_});
        part->text = std::move(literal);
        part->flag = mode == Mode::quoted;  // backslash escapes were decoded
        e.children.push_back(std::move(part));
      }
      literal.clear();
    };
    while (true) {
      if (p_ >= end) {
        if (mode == Mode::quoted)
          error_at({e.span.begin, p_}, "this string is not closed: '\"' expected");
        flush(false);
        return;
      }
      const char c = t_[p_];
      if (mode == Mode::quoted && c == '"') {
        flush(false);
        ++p_;
        return;
      }
      if (mode == Mode::quoted && (c == '\n' || c == '\r'))
        error_at({e.span.begin, p_}, "this string is not closed before the end of the line");
      if ((c == '$' && at(p_ + 1) == '$' && at(p_ + 2) == '{') ||
          (c == '%' && at(p_ + 1) == '%' && at(p_ + 2) == '{')) {
        literal += c;
        literal += '{';
        p_ += 3;
        continue;
      }
      if (c == '$' && at(p_ + 1) == '{') {
        const bool strip = at(p_ + 2) == '~';
        flush(strip);
        p_ += strip ? 3 : 2;
        const NewlineScope ignored(*this, false);
        auto inner = expression();
        skip();
        strip_next = close_sequence("'}' to close the interpolation ${");
        e.children.push_back(std::move(inner));
        literal_begin = p_;
        continue;
      }
      if (c == '%' && at(p_ + 1) == '{') {
        const bool strip = at(p_ + 2) == '~';
        flush(strip);
        const std::size_t open = p_;
        p_ += strip ? 3 : 2;
        skip_all();
        if (keyword_at(p_, "if")) {
          e.children.push_back(template_if(open, mode, end));
        } else if (keyword_at(p_, "for")) {
          e.children.push_back(template_for(open, mode, end));
        } else if (keyword_at(p_, "else") || keyword_at(p_, "endif") || keyword_at(p_, "endfor")) {
          stop = identifier();
          skip_all();
          strip_next = close_sequence("'}' to close the directive");
          // The caller reads on after the directive; a ~} strips its next literal.
          pending_strip_ = strip_next;
          return;
        } else {
          error_here("expected if, for, else, endif or endfor in the directive %{");
        }
        strip_next = pending_strip_;
        pending_strip_ = false;
        literal_begin = p_;
        continue;
      }
      if (mode == Mode::quoted && c == '\\') {
        literal += escape();
        continue;
      }
      // A run of plain characters is appended at once (a policy's literal text is most of a
      // module): it ends where any case above could apply.
      std::size_t run = p_ + 1;
      while (run < end && !ends_literal_run(t_[run], mode)) ++run;
      literal.append(t_.substr(p_, run - p_));
      p_ = run;
    }
  }

  static bool ends_literal_run(char c, Mode mode) {
    if (c == '$' || c == '%') return true;
    return mode == Mode::quoted && (c == '"' || c == '\\' || c == '\n' || c == '\r');
  }

  // The closing } of an interpolation or directive (or ~}); true when it strips.
  bool close_sequence(std::string_view what) {
    bool strip = false;
    if (at(p_) == '~') {
      strip = true;
      ++p_;
    }
    if (at(p_) != '}') error_here(fmt::format("expected {}", what));
    ++p_;
    return strip;
  }

  std::unique_ptr<Expr> template_if(std::size_t open, Mode mode, std::size_t end) {
    const DepthGuard depth(*this, open);
    p_ += 2;  // if
    auto e = make(ExprKind::template_if, {open, open});
    {
      const NewlineScope ignored(*this, false);
      e->children.push_back(expression());
      skip();
    }
    bool strip = close_sequence("'}' to close %{ if");
    auto then = make(ExprKind::template_, {p_, p_});
    std::string stop;
    pending_strip_ = strip;
    read_template_with_strip(*then, mode, end, stop);
    then->span.end = p_;
    e->children.push_back(std::move(then));
    if (stop == "else") {
      auto otherwise = make(ExprKind::template_, {p_, p_});
      std::string stop2;
      read_template_with_strip(*otherwise, mode, end, stop2);
      otherwise->span.end = p_;
      e->children.push_back(std::move(otherwise));
      stop = stop2;
    } else {
      e->children.push_back(nullptr);
    }
    if (stop != "endif") error_at({open, p_}, "%{ if } without its %{ endif }");
    e->span.end = p_;
    return e;
  }

  std::unique_ptr<Expr> template_for(std::size_t open, Mode mode, std::size_t end) {
    const DepthGuard depth(*this, open);
    p_ += 3;  // for
    auto e = make(ExprKind::template_for, {open, open});
    {
      const NewlineScope ignored(*this, false);
      skip();
      std::string first = identifier();
      skip();
      if (at(p_) == ',') {
        ++p_;
        skip();
        e->set_for_names(std::move(first), identifier());
        skip();
      } else {
        e->set_for_names({}, std::move(first));
      }
      if (!keyword_at(p_, "in")) error_here("expected 'in' in %{ for }");
      p_ += 2;
      e->children.push_back(expression());
      skip();
    }
    pending_strip_ = close_sequence("'}' to close %{ for");
    auto body = make(ExprKind::template_, {p_, p_});
    std::string stop;
    read_template_with_strip(*body, mode, end, stop);
    body->span.end = p_;
    e->children.push_back(std::move(body));
    if (stop != "endfor") error_at({open, p_}, "%{ for } without its %{ endfor }");
    e->span.end = p_;
    return e;
  }

  // A sub-template whose first literal is stripped when the opening directive ended with ~}.
  void read_template_with_strip(Expr& e, Mode mode, std::size_t end, std::string& stop) {
    const bool strip_first = pending_strip_;
    pending_strip_ = false;
    const std::size_t first_part = e.children.size();
    read_template_parts(e, mode, end, stop);
    if (strip_first && e.children.size() > first_part &&
        e.children[first_part]->kind == ExprKind::literal_text) {
      std::string& text = e.children[first_part]->text;
      const std::size_t first = text.find_first_not_of(" \t\r\n");
      text.erase(0, first == std::string::npos ? text.size() : first);
    }
  }

  // One escape sequence in a quoted template, decoded.
  std::string escape() {
    const std::size_t begin = p_;
    const char c = at(p_ + 1);
    p_ += 2;
    switch (c) {
      case 'n':
        return "\n";
      case 'r':
        return "\r";
      case 't':
        return "\t";
      case '"':
        return "\"";
      case '\\':
        return "\\";
      case 'u':
      case 'U': {
        const std::size_t digits = c == 'u' ? 4 : 8;
        char32_t cp = 0;
        for (std::size_t i = 0; i < digits; ++i) {
          const char h = at(p_ + i);
          const int v = (h >= '0' && h <= '9')   ? h - '0'
                        : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                        : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                 : -1;
          if (v < 0)
            error_at({begin, p_ + i}, fmt::format("\\{} needs {} hexadecimal digits", c, digits));
          cp = cp * 16 + static_cast<char32_t>(v);
        }
        p_ += digits;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          error_at({begin, p_}, "this escape is not a Unicode character");
        return encode_utf8(cp);
      }
      default:
        error_at({begin, std::min(p_, t_.size())},
                 "unknown escape sequence; HCL strings know \\n \\r \\t \\\" \\\\ \\uNNNN "
                 "\\UNNNNNNNN");
    }
  }

  static std::string encode_utf8(char32_t cp) {
    std::string out;
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
    return out;
  }

  const SourceFile& source_;
  std::string_view t_;
  std::string rule_;
  std::size_t p_ = 0;
  int depth_ = 0;
  std::vector<bool> newlines_;  // per context: are line breaks significant?
  bool pending_strip_ = false;  // a directive ended with ~}: strip the next literal's start
  // operator_at()'s last skip: the position asked from, in which newline mode, and where the
  // skip ended (the text never changes while it is parsed).
  struct OperatorMemo {
    std::size_t from = std::string_view::npos;
    bool newlines = false;
    std::size_t to = 0;
  };
  mutable OperatorMemo operator_memo_;
};

}  // namespace

ParseResult parse(const SourceFile& source, std::string_view rule_id) {
  // Terraform reads UTF-8 only: a file saved as UTF-16 is one finding, not one per byte and line.
  if (looks_wide(source.text())) {
    ParseResult result;
    result.diagnostics.push_back(json::not_utf8_error(source, "Terraform reads only UTF-8"));
    return result;
  }
  Parser parser(source, rule_id);
  ParseResult result;
  result.body = parser.file();
  result.diagnostics = std::move(parser.diagnostics);
  return result;
}

ExpressionResult parse_expression(const SourceFile& source, std::string_view rule_id) {
  Parser parser(source, rule_id);
  ExpressionResult result;
  result.expr = parser.standalone_expression();
  result.diagnostics = std::move(parser.diagnostics);
  return result;
}

ExpressionResult parse_template(const SourceFile& source, std::string_view rule_id) {
  Parser parser(source, rule_id);
  ExpressionResult result;
  result.expr = parser.standalone_template();
  result.diagnostics = std::move(parser.diagnostics);
  return result;
}

}  // namespace gdl::hcl
