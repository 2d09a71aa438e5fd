#pragma once
// The syntax tree of HCL's native syntax (HashiCorp's "HCL Native Syntax Specification",
// hclsyntax/spec.md): bodies of attributes and blocks, and every expression form, each with its
// byte span in the file. The tree says what was written; src/hcl/eval.h says what it is worth.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_file.h"

namespace gdl::hcl {

enum class ExprKind {
  number,   // text: the literal as written ("1.5e3")
  boolean,  // flag: the value
  null,
  literal_text,  // text: decoded characters (a template's literal part, an object's bare key);
                 // flag: backslash escapes were decoded (a quoted string, not a heredoc)
  template_,     // children: the parts (literal_text, any expression, template_if/for)
  template_if,   // children: condition, then-template, else-template (or a null child)
  template_for,  // key_var()/value_var(); children: collection, body template
  variable,      // text: the name
  call,          // text: the function; children: arguments; flag: the last is expanded (...)
  tuple,         // children: elements
  object,        // children: key, value, key, value, ...
  for_tuple,     // key_var()/value_var(); children: collection, value, condition (or null)
  for_object,    // key_var()/value_var(); children: collection, key, value, condition (or null);
                 // flag: grouping (...)
  index,         // children: collection, key
  get_attr,      // text: the attribute; children: object
  splat,         // children: source, each (applied to every element; see splat_item)
  splat_item,    // the element inside a splat's `each`
  unary,         // text: "-" or "!"; children: operand
  binary,        // text: the operator; children: left, right
  conditional,   // children: condition, if true, if false
  parens,        // children: the inner expression
};

struct Expr {
  ExprKind kind = ExprKind::null;
  Span span;
  std::string text;
  bool flag = false;
  std::vector<std::unique_ptr<Expr>> children;

  [[nodiscard]] const Expr* child(std::size_t i) const {
    return i < children.size() ? children[i].get() : nullptr;
  }
  // A for expression's or directive's variables: the key's name (or empty) and the value's.
  [[nodiscard]] std::string_view key_var() const {
    return for_names ? std::string_view(for_names->key) : std::string_view();
  }
  [[nodiscard]] std::string_view value_var() const {
    return for_names ? std::string_view(for_names->value) : std::string_view();
  }
  void set_for_names(std::string key, std::string value) {
    for_names = std::make_unique<ForNames>(ForNames{std::move(key), std::move(value)});
  }

 private:
  // Held apart: only for expressions have them, and every literal and name of a module is a
  // node (two strings inline made each node 64 bytes larger; the nodes were a third of a 1 MB
  // module's peak heap).
  struct ForNames {
    std::string key;
    std::string value;
  };
  std::unique_ptr<ForNames> for_names;
};

struct Block;

struct Attribute {
  std::string name;
  Span name_span;
  std::unique_ptr<Expr> value;
  Span span;  // name through value
};

struct Label {
  std::string text;
  Span span;
};

struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  Span span;

  [[nodiscard]] const Attribute* attribute(std::string_view name) const;
  [[nodiscard]] std::vector<const Block*> blocks_of(std::string_view type) const;
};

struct Block {
  std::string type;
  Span type_span;
  std::vector<Label> labels;
  Body body;
  Span span;
};

// The variable name and attribute/index chain of a static traversal ("aws_s3_bucket.b.arn",
// "var.names[0]"), or empty when `e` is not one.
struct Traversal {
  std::string root;
  std::vector<std::string> steps;  // attribute names and constant keys, as text
};
Traversal static_traversal(const Expr& e);

// Calls `visit` with the static traversal of `e` and of each expression inside it, outermost
// first; the parts of one that `visit` takes (returns true for) are not walked.
template <class Visit>
void for_each_traversal(const Expr& e, Visit&& visit) {
  std::vector<const Expr*> pending{&e};
  while (!pending.empty()) {
    const Expr* x = pending.back();
    pending.pop_back();
    if (visit(static_traversal(*x))) continue;
    for (const auto& child : x->children) {
      if (child) pending.push_back(child.get());
    }
  }
}

}  // namespace gdl::hcl
