#pragma once
// Evaluates HCL expressions offline: literals, templates, collections, for expressions,
// conditionals, operators, splats and traversals, and the common functions over known values
// (format, join, concat, merge, lower, replace, jsonencode, ...). What the application names
// (Terraform's var., local., resources, data sources) comes from a Scope. Anything that cannot
// be known offline is an unknown value with the reason; no conclusion may rest on it.

#include <optional>
#include <string>
#include <vector>

#include "hcl/syntax.h"
#include "hcl/value.h"

namespace gdl::hcl {

class Scope {
 public:
  Scope() = default;
  virtual ~Scope() = default;
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // The value of a reference `root.steps...` written at `span` in `file`; `used` says how many
  // steps the scope took (the evaluator applies the others). nullopt: the scope has no such
  // name (the evaluator makes it unknown).
  virtual std::optional<Value> reference(const std::string& root,
                                         const std::vector<std::string>& steps, std::size_t& used,
                                         const SourceFile& file, Span span) = 0;
  // A file for file() / templatefile(), by the path the configuration gives; nullptr when it
  // cannot be read (the value is then unknown).
  virtual const SourceFile* load_file(const std::string& path) {
    (void)path;
    return nullptr;
  }
  // Told when load_file() gave nothing for `path`, written at `span` of `at`: a scope that reads
  // files reports one that does not exist (Terraform refuses such a configuration).
  virtual void file_not_loaded(const std::string& path, const SourceFile& at, Span span) {
    (void)path;
    (void)at;
    (void)span;
  }
};

// Collections larger than this, or an evaluation taking more steps than kMaxSteps, give unknown
// values: a hostile file cannot make evaluation slow or large.
inline constexpr std::size_t kMaxItems = 10'000;
inline constexpr std::size_t kMaxSteps = 1'000'000;
// Strings longer than this are unknown: a policy is at most 32 KB, and a chain of locals that
// doubles a string (`s1 = "${local.s0}${local.s0}"`, ... s63) would otherwise take all memory.
inline constexpr std::size_t kMaxStringBytes = std::size_t{1} << 20;
// A value built of more than this many values (a list of copies of a large local) is unknown:
// each copy costs memory, and no policy comes near.
inline constexpr std::size_t kMaxValues = 100'000;

class Evaluator {
 public:
  Evaluator(Scope& scope, const SourceFile& file) : scope_(scope), file_(file) {}

  Value evaluate(const Expr& e);
  // Makes `local.key` name `local.value` in what is evaluated next (a dynamic block's iterator).
  void bind(ValueMember local) { locals_.push_back(std::move(local)); }
  // A template file's contents with `vars` as its variables (templatefile()).
  Value evaluate_template(const Expr& e, const SourceFile& file,
                          const std::vector<ValueMember>& vars);

 private:
  friend struct FunctionCall;
  Value eval(const Expr& e);
  Value eval_node(const Expr& e);  // eval() without its bounds
  Value eval_template(const Expr& e);
  Value eval_traversal(const Expr& e);
  Value eval_for(const Expr& e);
  Value eval_binary(const Expr& e);
  Value eval_call(const Expr& e);
  Value apply_step(const Value& from, const std::string& step, Span span);
  // `root.steps...` read through `scope` (this evaluator's, or the one an instance is in).
  Value resolve(Scope& scope, const std::string& root, const std::vector<std::string>& steps,
                Span span);
  Value index(const Value& from, const Value& key, Span span);
  const Value* local(const std::string& name) const;
  Value unknown(std::string why, Span span) const;
  void map_literal(const Expr& part, std::size_t inner, OffsetMap& map) const;
  std::string interpolation_text(const Expr& part) const;

  Scope& scope_;
  const SourceFile* current_ = nullptr;
  const SourceFile& file_;
  std::vector<ValueMember> locals_;  // for-expression and template variables
  std::vector<const Value*> splat_items_;
  std::size_t steps_ = 0;
};

}  // namespace gdl::hcl
