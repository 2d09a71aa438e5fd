// The HCL native-syntax reader: every expression form of HashiCorp's specification
// (hclsyntax/spec.md), bodies and blocks, and syntax errors with their positions.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <set>
#include <string>

#include "hcl/parser.h"
#include "util/text.h"

namespace {

// A compact, unambiguous rendering of a syntax tree: (kind ...children) with texts quoted.
std::string dump(const gdl::hcl::Expr* e) {
  using gdl::hcl::ExprKind;
  if (e == nullptr) return "-";
  auto kids = [&](std::size_t from = 0) {
    std::string out;
    for (std::size_t i = from; i < e->children.size(); ++i) out += " " + dump(e->child(i));
    return out;
  };
  switch (e->kind) {
    case ExprKind::number:
      return e->text;
    case ExprKind::boolean:
      return e->flag ? "true" : "false";
    case ExprKind::null:
      return "null";
    case ExprKind::literal_text:
      return fmt::format("'{}'", e->text);
    case ExprKind::template_:
      return "(tpl" + kids() + ")";
    case ExprKind::template_if:
      return "(%if" + kids() + ")";
    case ExprKind::template_for:
      return fmt::format("(%for {},{}{})", e->key_var(), e->value_var(), kids());
    case ExprKind::variable:
      return e->text;
    case ExprKind::call:
      return fmt::format("({}{}{})", e->text, kids(), e->flag ? " ..." : "");
    case ExprKind::tuple:
      return "[" + kids() + "]";
    case ExprKind::object:
      return "{" + kids() + "}";
    case ExprKind::for_tuple:
      return fmt::format("[for {},{}{}]", e->key_var(), e->value_var(), kids());
    case ExprKind::for_object:
      return fmt::format("{{for {},{}{}{}}}", e->key_var(), e->value_var(), kids(),
                         e->flag ? " ..." : "");
    case ExprKind::index:
      return "(idx" + kids() + ")";
    case ExprKind::get_attr:
      return fmt::format("(. {} {})", dump(e->child(0)), e->text);
    case ExprKind::splat:
      return "(splat" + kids() + ")";
    case ExprKind::splat_item:
      return "@";
    case ExprKind::unary:
    case ExprKind::binary:
      return fmt::format("({}{})", e->text, kids());
    case ExprKind::conditional:
      return "(?" + kids() + ")";
    case ExprKind::parens:
      return "(paren" + kids() + ")";
  }
  return "?";
}

std::string parse_one(const std::string& text) {
  const gdl::SourceFile source("x.tf", "a = " + text + "\n");
  auto result = gdl::hcl::parse(source);
  if (!result.diagnostics.empty()) return "error: " + result.diagnostics.front().message;
  const auto* a = result.body.attribute("a");
  REQUIRE(a != nullptr);
  return dump(a->value.get());
}

}  // namespace

TEST_CASE("HCL expressions: every form of the specification") {
  const struct {
    const char* text;
    const char* tree;
  } rows[] = {
      // Literals
      {"1", "1"},
      {"1.5e3", "1.5e3"},
      {"true", "true"},
      {"null", "null"},
      {R"("x")", "(tpl 'x')"},
      {R"("")", "(tpl)"},
      // Escapes and template escapes
      {R"("a\"b\\c\n\u00e9\U0001F600")", "(tpl 'a\"b\\c\né😀')"},
      {R"("$${x} %%{y}")", "(tpl '${x} %{y}')"},
      // Interpolation, unwrapping is the evaluator's business
      {R"("arn:aws:s3:::${var.bucket}/*")", "(tpl 'arn:aws:s3:::' (. var bucket) '/*')"},
      {R"("${a}${b}")", "(tpl a b)"},
      {R"("${ "nested ${x}" }")", "(tpl (tpl 'nested ' x))"},
      // Strip markers
      {R"("a ${~ x ~} b")", "(tpl 'a' x 'b')"},
      // Directives
      {R"("%{ if c }yes%{ else }no%{ endif }")", "(tpl (%if c (tpl 'yes') (tpl 'no')))"},
      {R"("%{ if c }yes%{ endif }")", "(tpl (%if c (tpl 'yes') -))"},
      {R"("%{ for k, v in m }${k}=${v};%{ endfor }")", "(tpl (%for k,v m (tpl k '=' v ';')))"},
      {R"("%{~ if c ~} x %{~ endif ~}")", "(tpl (%if c (tpl 'x') -))"},
      // Collections
      {"[]", "[]"},
      {"[1, 2,]", "[ 1 2]"},
      {"[\n  1,\n  2\n]", "[ 1 2]"},
      {"{}", "{}"},
      {"{ a = 1, b: 2 }", "{ 'a' 1 'b' 2}"},
      {"{\n  a = 1\n  \"b\" = 2\n  (k) = 3\n}", "{ 'a' 1 (tpl 'b') 2 (paren k) 3}"},
      // For expressions
      {"[for v in xs : upper(v)]", "[for ,v xs (upper v) -]"},
      {"[for i, v in xs : v if i < 2]", "[for i,v xs v (< i 2)]"},
      {"{for k, v in m : k => v}", "{for k,v m k v -}"},
      {"{for v in xs : v.k => v...}", "{for ,v xs (. v k) v - ...}"},
      {"{\n  for k, v in m :\n  k => v\n}", "{for k,v m k v -}"},
      // Variables, traversals, splats
      {"data.aws_caller_identity.current.account_id",
       "(. (. (. data aws_caller_identity) current) account_id)"},
      {"var.list[0]", "(idx (. var list) 0)"},
      {"var.list.0", "(idx (. var list) 0)"},
      {"var.m[\"k\"]", "(idx (. var m) (tpl 'k'))"},
      {"aws_kms_key.k[*].arn", "(splat (. aws_kms_key k) (. @ arn))"},
      {"aws_kms_key.k.*.arn", "(splat (. aws_kms_key k) (. @ arn))"},
      {"xs[*].a[0]", "(splat xs (idx (. @ a) 0))"},
      {"xs.*.a[0]", "(idx (splat xs (. @ a)) 0)"},
      // Function calls
      {"f()", "(f)"},
      {"jsonencode({ Version = \"2012-10-17\" })", "(jsonencode { 'Version' (tpl '2012-10-17')})"},
      {"concat(a, b...)", "(concat a b ...)"},
      {"format(\n  \"%s\",\n  x,\n)", "(format (tpl '%s') x)"},
      {"provider::aws::arn_parse(x)", "(provider::aws::arn_parse x)"},
      // Operators and precedence
      {"1 + 2 * 3", "(+ 1 (* 2 3))"},
      {"(1 + 2) * 3", "(* (paren (+ 1 2)) 3)"},
      {"a - b - c", "(- (- a b) c)"},
      {"!a && b || c", "(|| (&& (! a) b) c)"},
      {"a == b != c", "(!= (== a b) c)"},
      {"a < b == c >= d", "(== (< a b) (>= c d))"},
      {"-x % 2", "(% (- x) 2)"},
      {"c ? a : b", "(? c a b)"},
      {"c ? a : d ? e : f", "(? c a (? d e f))"},
      {"a ? b : c + 1", "(? a b (+ c 1))"},
      // A comment after an expression ends it; "//" is a comment, not a division
      {"var.id // passed from mgmt account", "(. var id)"},
      {"var.id # note", "(. var id)"},
      {"a / b // halves", "(/ a b)"},
      {"a /* inline */ / b", "(/ a b)"},
      {"(a // in parentheses\n / b)", "(paren (/ a b))"},
  };
  for (const auto& row : rows) {
    CAPTURE(std::string(row.text));
    CHECK(parse_one(row.text) == row.tree);
  }
  // Text written for HCL with its template markers escaped reads back as itself.
  CHECK(gdl::escape_hcl_templates("${x} %{y} $ % {z} $${w}") == "$${x} %%{y} $ % {z} $$${w}");
  CHECK(parse_one("\"" + gdl::escape_hcl_templates("${x} %{y}") + "\"") == "(tpl '${x} %{y}')");
}

TEST_CASE("HCL heredocs: plain and indented, with interpolation") {
  const struct {
    const char* text;
    const char* tree;
  } rows[] = {
      {"<<EOT\n{\n  \"a\": \"${x}\"\n}\nEOT", "(tpl '{\n  \"a\": \"' x '\"\n}\n')"},
      {"<<-EOT\n    {\n      \"a\": 1\n    }\n    EOT", "(tpl '{\n  \"a\": 1\n}\n')"},
      {"<<EOF\nno escapes: \\n stay\nEOF", "(tpl 'no escapes: \\n stay\n')"},
      {"<<EOT\n$${literal}\nEOT", "(tpl '${literal}\n')"},
  };
  for (const auto& row : rows) {
    CAPTURE(std::string(row.text));
    CHECK(parse_one(row.text) == row.tree);
  }
}

TEST_CASE("HCL bodies: attributes, blocks with labels, nested and one-line blocks, comments") {
  const gdl::SourceFile source("main.tf", R"(# a comment
// another
/* a block
   comment */ locals { x = 1 }

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id   # trailing comment
  policy = data.aws_iam_policy_document.b.json
}

data "aws_iam_policy_document" "b" {
  statement {
    sid     = "AllowPutObject"
    actions = ["s3:PutObject"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
)");
  const auto result = gdl::hcl::parse(source);
  CHECK(result.diagnostics.empty());
  REQUIRE(result.body.blocks.size() == 3);
  CHECK(result.body.blocks[0].type == "locals");
  CHECK(result.body.blocks[0].body.attribute("x") != nullptr);
  const auto& policy = result.body.blocks[1];
  CHECK(policy.type == "resource");
  REQUIRE(policy.labels.size() == 2);
  CHECK(policy.labels[0].text == "aws_s3_bucket_policy");
  CHECK(policy.labels[1].text == "b");
  CHECK(source.text().substr(policy.labels[1].span.begin, policy.labels[1].span.size()) == "\"b\"");
  const auto* bucket = policy.body.attribute("bucket");
  REQUIRE(bucket != nullptr);
  CHECK(source.text().substr(bucket->value->span.begin, bucket->value->span.size()) ==
        "aws_s3_bucket.b.id");
  const auto statements = result.body.blocks[2].body.blocks_of("statement");
  REQUIRE(statements.size() == 1);
  REQUIRE(statements[0]->body.blocks_of("principals").size() == 1);
  const auto traversal = gdl::hcl::static_traversal(*bucket->value);
  CHECK(traversal.root == "aws_s3_bucket");
  CHECK(traversal.steps == std::vector<std::string>{"b", "id"});
}

TEST_CASE("HCL syntax errors: position, message, and the rest of the file still read") {
  const struct {
    const char* text;
    const char* where;  // line:column of the first error
    const char* message_part;
    std::size_t attributes_read;  // top-level attributes read despite the error
  } rows[] = {
      {"a = \nb = 1\n", "1:5", "expected an expression, found a line break", 1},
      {"a = \"x\nb = 1\n", "1:5", "not closed before the end of the line", 1},
      {"a = [1 2]\nb = 1\n", "1:8", "expected ',' or ']'", 1},
      {"a = f(1\nb = 1\n", "2:1", "expected ',' or ')'", 0},
      {"a = 1 2\nb = 1\n", "1:7", "expected a line break after the attribute's value", 1},
      {"a = \"\\q\"\nb = 1\n", "1:6", "unknown escape sequence", 1},
      {"a = <<EOT\nnever closed\n", "1:5", "never closed", 0},
      {"resource \"x\" {\n  a = 1\n", "3:1", "not closed", 0},
      {"a = \"%{ if c }x\"\nb = 1\n", "1:6", "without its %{ endif }", 1},
      {"a = 1\na = 2\n", "2:1", "defined twice", 2},
      {"a = {k = 1 j = 2}\nb = 1\n", "1:12", "expected ',', a line break or '}'", 1},
      {"}\nb = 1\n", "1:1", "'}' without a block to close", 1},
      {"\xEF\xBB\xBF"
       "b = 1\n",
       "1:1", "byte-order mark", 1},
  };
  for (const auto& row : rows) {
    CAPTURE(std::string(row.text));
    const gdl::SourceFile source("x.tf", row.text);
    const auto result = gdl::hcl::parse(source);
    REQUIRE(!result.diagnostics.empty());
    const auto& d = result.diagnostics.front();
    CHECK(d.rule_id == "GD007");
    CHECK(fmt::format("{}:{}", d.location.start.line, d.location.start.column) == row.where);
    CHECK(d.message.find(row.message_part) != std::string::npos);
    CHECK(result.body.attributes.size() == row.attributes_read);
  }
}

// Terraform reads .tf files as UTF-8: an invalid byte (a file saved as Latin-1) or a NUL byte is
// GD003 at its place, reported once with a count, and the file is still read.
TEST_CASE("HCL files that are not UTF-8 are GD003 at the first bad byte, and still read") {
  struct Row {
    std::string text;
    const char* where;
    const char* message_part;
    std::size_t notes;
  };
  const Row rows[] = {
      {"a = \"caf\xE9\"\nb = 1\n", "1:9", "invalid UTF-8 byte E9", 0},
      {"a = 1\n# \xFF\xFE comment\nb = \"\xC3\"\n", "2:3", "invalid UTF-8 byte FF", 1},
      {std::string("a = 1\nb = \"x\0y\"\n", 16), "2:7", "NUL byte", 0},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    const gdl::SourceFile source("x.tf", row.text);
    const auto result = gdl::hcl::parse(source);
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics.front();
    CHECK(d.rule_id == "GD003");
    CHECK(fmt::format("{}:{}", d.location.start.line, d.location.start.column) == row.where);
    CHECK(d.message.find(row.message_part) != std::string::npos);
    CHECK(d.notes.size() == row.notes);
    CHECK(result.body.attributes.size() == 2);
  }
  const auto clean = gdl::hcl::parse(gdl::SourceFile("x.tf", "a = \"café ✓\"\n"));
  CHECK(clean.diagnostics.empty());
}

TEST_CASE("HCL reader bounds: deep nesting and many errors end cleanly") {
  const std::string deep = "a = " + std::string(100000, '[') + "\n";
  const auto nested = gdl::hcl::parse(gdl::SourceFile("deep.tf", deep));
  REQUIRE(!nested.diagnostics.empty());
  CHECK(nested.diagnostics.front().message.find("nested too deeply") != std::string::npos);
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "a" + std::to_string(i) + " = = 1\n";
  const auto errors = gdl::hcl::parse(gdl::SourceFile("many.tf", many));
  CHECK(errors.diagnostics.size() == gdl::hcl::kMaxErrors);
}

TEST_CASE("HCL errors stay inside the file and are reported once (fuzz regressions)") {
  // A backslash escape that ends the file stepped past its end; recovery that re-read a
  // stretch reported its errors twice.
  for (const std::string& text : {std::string("a = \"\\"), std::string("b {\n  c = \"x\\"),
                                  std::string("b {\n x\n y = [1: 2]\n")}) {
    CAPTURE(text);
    const gdl::SourceFile source("end.tf", text);
    const auto result = gdl::hcl::parse(source);
    REQUIRE(!result.diagnostics.empty());
    std::set<std::pair<std::size_t, std::string>> seen;
    for (const auto& d : result.diagnostics) {
      CHECK(d.location.span.begin <= text.size());
      CHECK(d.location.span.end <= text.size());
      CHECK(d.location.span.begin <= d.location.span.end);
      CHECK(seen.insert({d.location.span.begin, d.message}).second);
    }
  }
}
