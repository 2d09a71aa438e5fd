#pragma once
// Terraform's JSON syntax (`.tf.json`, what CDK for Terraform writes) read into the syntax tree
// of the native syntax, so that a module written either way is read by the same code.
//
// HCL's JSON specification (hcl/json/spec.md) gives a JSON value no meaning of its own: the
// schema of the block it is in decides whether an object is a block or an attribute's value,
// and how many levels of labels a block type has. Terraform's top-level blocks are known here
// (resource and data with two labels; module, variable, output and provider with one; locals
// an attribute list), and of the nested blocks only those the reader looks at: an
// aws_iam_policy_document's statement, principals, not_principals and condition blocks, and
// dynamic blocks of them. Any other object is an attribute's object value. Attribute values are
// expressions: a string is a template (`"${data.aws_iam_policy_document.x.json}"`, with `$${`
// for a literal `${`), decoded from JSON first; numbers, booleans, null, arrays and objects are
// their literal forms. Every node's span is its place in the .tf.json file.

#include <string_view>

#include "hcl/parser.h"
#include "source/source_file.h"

namespace gdl::containers::tf {

// Whether `path` names a file of Terraform's JSON syntax (`*.tf.json`, as Terraform matches it:
// case-sensitively).
bool is_json_syntax_file(std::string_view path);

// Whether a .tf.json file is one of its module's files, as Terraform reads every *.tf.json of a
// directory with its .tf files: unless it is another input saved under that name (a
// CloudFormation template, a plan, `aws ... get-*-policy` output or a publishing destination,
// told by their top-level members). A file with a syntax error is the module's: Terraform
// refuses the module, and the errors are what is reported; unless the tree the parser recovers
// is one of those inputs (it is reported as one, as extract() reads it). One pass of
// RapidJSON's reader, without a tree, for a file without errors.
bool is_json_syntax_module(const SourceFile& file);
bool is_json_syntax_module(std::string_view path, std::string_view text);

// The body of a .tf.json file; its JSON and template syntax errors are the diagnostics (GD007
// for the templates, as in .tf files).
hcl::ParseResult parse_json_syntax(const SourceFile& file);

}  // namespace gdl::containers::tf
