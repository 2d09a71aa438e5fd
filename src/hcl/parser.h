#pragma once
// A reader for HCL's native syntax (.tf, .tfvars). It follows HashiCorp's specification
// (hclsyntax/spec.md): bodies, blocks, attributes, comments, and every expression form. Syntax
// errors are diagnostics with their position (reported as `rule_id`); after one, reading goes on
// at the next line of the same body, so the rest of the file is still read.
//
// Resources are bounded: nesting deeper than kMaxDepth is an error (no stack overflow on a
// hostile file), and at most kMaxErrors errors are reported per file.

#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "hcl/syntax.h"
#include "source/source_file.h"

namespace gdl::hcl {

inline constexpr int kMaxDepth = 128;
inline constexpr std::size_t kMaxErrors = 20;

struct ParseResult {
  Body body;
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& source, std::string_view rule_id = "GD007");

// One expression on its own (a template file's `${...}`, a `--var` value), from `begin` to the
// end of `source`.
struct ExpressionResult {
  std::unique_ptr<Expr> expr;
  std::vector<Diagnostic> diagnostics;
};
ExpressionResult parse_expression(const SourceFile& source, std::string_view rule_id = "GD007");

// A standalone template (the contents of a `templatefile` file): literals, `${...}` and
// `%{...}` in the whole of `source`.
ExpressionResult parse_template(const SourceFile& source, std::string_view rule_id = "GD007");

}  // namespace gdl::hcl
