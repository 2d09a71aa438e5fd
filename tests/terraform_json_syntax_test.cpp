// Terraform's JSON syntax read into the native syntax's tree (containers/terraform_json_syntax.h):
// the blocks and labels of every level, the nested blocks of a policy document, strings read as
// templates or as expressions, spans in the .tf.json file, and the same policy as the native
// syntax's.

#include "containers/terraform_json_syntax.h"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "containers/container.h"
#include "json/parser.h"

namespace {

using gdl::hcl::ExprKind;

// The text of the file at a node's span.
std::string_view text_at(const gdl::SourceFile& file, gdl::Span span) {
  return file.text().substr(span.begin, span.size());
}

// The first expression node of `kind` under `e` (depth first), or null.
const gdl::hcl::Expr* find_kind(const gdl::hcl::Expr* e, ExprKind kind) {
  if (e == nullptr) return nullptr;
  if (e->kind == kind) return e;
  for (const auto& child : e->children) {
    if (const auto* found = find_kind(child.get(), kind)) return found;
  }
  return nullptr;
}

// A tree's content in one line: {key:value,...}, [a,b], strings bare (members in source order).
std::string compact(const gdl::json::Value& v) {
  switch (v.kind) {
    case gdl::json::Kind::object: {
      std::string out = "{";
      for (const auto& m : v.members)
        out += (out.size() > 1 ? "," : "") + m.key + ":" + compact(m.value);
      return out + "}";
    }
    case gdl::json::Kind::array: {
      std::string out = "[";
      for (const auto& item : v.items) out += (out.size() > 1 ? "," : "") + compact(item);
      return out + "]";
    }
    case gdl::json::Kind::boolean:
      return v.boolean ? "true" : "false";
    case gdl::json::Kind::null:
      return "null";
    default:
      return v.text;
  }
}

}  // namespace

TEST_CASE("Terraform JSON syntax: blocks, labels and nested blocks as the native syntax has them") {
  const gdl::SourceFile file("main.tf.json", R"json({
  "//": "a comment the specification ignores",
  "provider": {"aws": [{"region": "us-east-2"}, {"alias": "west", "region": "us-west-2"}]},
  "variable": {"names": {"type": "list(string)", "default": ["a", "b"]}},
  "locals": [{"prefix": "findings"}, {"bucket": "${var.bucket}"}],
  "data": {"aws_iam_policy_document": {"doc": {
    "statement": [
      {"sid": "One", "actions": ["s3:PutObject"],
       "principals": {"type": "Service", "identifiers": ["guardduty.amazonaws.com"]},
       "condition": [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]}]},
      {"sid": "Two", "actions": ["s3:GetBucketLocation"]}
    ],
    "dynamic": {"statement": {"for_each": "${var.names}",
                              "content": {"sid": "${statement.value}",
                                          "principals": {"type": "AWS", "identifiers": ["*"]}}}}
  }}},
  "resource": [{"aws_s3_bucket_policy": {"p": {"provider": "aws.west", "bucket": "b",
                                               "policy": "${data.aws_iam_policy_document.doc.json}"}}}],
  "module": {"m": {"source": "./m", "providers": {"aws": "aws.west"}}}
})json");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
  CHECK(parsed.diagnostics.empty());
  const auto& blocks = parsed.body.blocks;
  // Two providers, a variable, two locals blocks, a data source, a resource, a module call.
  REQUIRE(blocks.size() == 8);

  CHECK(blocks[0].type == "provider");
  REQUIRE(blocks[0].labels.size() == 1);
  CHECK(blocks[0].labels[0].text == "aws");
  CHECK(blocks[1].body.attribute("alias") != nullptr);

  // A variable's type is an expression written as a string: a call, not the text "list(string)".
  const auto* type = blocks[2].body.attribute("type");
  REQUIRE(type != nullptr);
  CHECK(type->value->kind == ExprKind::call);
  CHECK(type->value->text == "list");

  CHECK(blocks[3].type == "locals");
  CHECK(blocks[3].labels.empty());
  CHECK(blocks[4].body.attribute("bucket") != nullptr);

  const gdl::hcl::Block& document = blocks[5];
  REQUIRE(document.labels.size() == 2);
  CHECK(document.labels[0].text == "aws_iam_policy_document");
  CHECK(document.labels[1].text == "doc");
  const auto statements = document.body.blocks_of("statement");
  REQUIRE(statements.size() == 2);
  CHECK(statements[0]->body.blocks_of("principals").size() == 1);
  CHECK(statements[0]->body.blocks_of("condition").size() == 1);
  CHECK(statements[1]->body.blocks.empty());
  const auto dynamics = document.body.blocks_of("dynamic");
  REQUIRE(dynamics.size() == 1);
  REQUIRE(dynamics[0]->labels.size() == 1);
  CHECK(dynamics[0]->labels[0].text == "statement");
  const auto content = dynamics[0]->body.blocks_of("content");
  REQUIRE(content.size() == 1);
  CHECK(content[0]->body.blocks_of("principals").size() == 1);  // a statement's own blocks
  // Blocks of one type are told apart by their spans (the reader keys its work by them).
  CHECK(statements[0]->span.begin != statements[1]->span.begin);

  const gdl::hcl::Block& resource = blocks[6];
  CHECK(resource.type == "resource");
  REQUIRE(resource.labels.size() == 2);
  CHECK(resource.labels[1].text == "p");
  // `provider` is a reference written as a string; `bucket` a plain string.
  const auto* provider = resource.body.attribute("provider");
  REQUIRE(provider != nullptr);
  CHECK(provider->value->kind == ExprKind::get_attr);
  CHECK(text_at(file, provider->value->span) == "aws.west");
  const auto* bucket = resource.body.attribute("bucket");
  REQUIRE(bucket != nullptr);
  CHECK(bucket->value->kind == ExprKind::template_);

  const auto* providers = blocks[7].body.attribute("providers");
  REQUIRE(providers != nullptr);
  REQUIRE(providers->value->kind == ExprKind::object);
  CHECK(providers->value->child(1)->kind == ExprKind::get_attr);
}

TEST_CASE("Terraform JSON syntax: a string's template, escapes included, points into the file") {
  // `\"` inside the interpolation is a quote of the HCL expression, escaped for JSON.
  const gdl::SourceFile file(
      "main.tf.json",
      R"json({"locals": {"name": "pre-${format(\"%s-x\", var.project)}-$${literal}"}})json");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.body.blocks.size() == 1);
  const auto* name = parsed.body.blocks[0].body.attribute("name");
  REQUIRE(name != nullptr);
  const gdl::hcl::Expr* value = name->value.get();
  REQUIRE(value->kind == ExprKind::template_);
  const gdl::hcl::Expr* call = find_kind(value, ExprKind::call);
  REQUIRE(call != nullptr);
  CHECK(call->text == "format");
  CHECK(text_at(file, call->span) == R"json(format(\"%s-x\", var.project))json");
  const gdl::hcl::Expr* variable = find_kind(call, ExprKind::get_attr);
  REQUIRE(variable != nullptr);
  CHECK(text_at(file, variable->span) == "var.project");
  // The last literal keeps `$${` as the template's escape of a literal `${`.
  const gdl::hcl::Expr* last = value->children.back().get();
  REQUIRE(last->kind == ExprKind::literal_text);
  CHECK(last->text == "-${literal}");
}

TEST_CASE("Terraform JSON syntax: a bad template is a GD007 error at its place, the rest is read") {
  const gdl::SourceFile file("main.tf.json",
                             R"json({"locals": {"bad": "${var.}", "good": "x"}})json");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
  REQUIRE(!parsed.diagnostics.empty());
  CHECK(parsed.diagnostics.front().rule_id == "GD007");
  CHECK(parsed.diagnostics.front().location.start.line == 1);
  REQUIRE(parsed.body.blocks.size() == 1);
  CHECK(parsed.body.blocks[0].body.attribute("good") != nullptr);
}

TEST_CASE("Terraform JSON syntax: the same policy as the native syntax's") {
  // One bucket policy written three ways: native HCL with jsonencode, and Terraform's JSON
  // syntax with "${jsonencode(...)}" and with a policy document. Each reads as the same policy.
  const std::string statement =
      R"json({"Sid" = "AllowPutObject", "Effect" = "Allow", "Principal" = {"Service" = "guardduty.amazonaws.com"}, "Action" = "s3:PutObject", "Resource" = "arn:aws:s3:::b/*"})json";
  const gdl::SourceFile native(
      "native.tf",
      "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n  "
      "policy = jsonencode({\"Version\" = \"2012-10-17\", \"Statement\" = [" +
          statement + "]})\n}\n");
  std::string escaped;
  for (const char c : statement) {
    if (c == '"') escaped += '\\';
    escaped += c;
  }
  const gdl::SourceFile json_template(
      "template.tf.json",
      R"json({"resource": {"aws_s3_bucket_policy": {"p": {"bucket": "b", "policy": "${jsonencode({\"Version\" = \"2012-10-17\", \"Statement\" = [)json" +
          escaped + R"json(]})}"}}}})json");
  const gdl::SourceFile json_document("document.tf.json", R"json({
  "data": {"aws_iam_policy_document": {"d": {"statement": [{
    "sid": "AllowPutObject", "effect": "Allow", "actions": ["s3:PutObject"],
    "resources": ["arn:aws:s3:::b/*"],
    "principals": [{"type": "Service", "identifiers": ["guardduty.amazonaws.com"]}]}]}}},
  "resource": {"aws_s3_bucket_policy": {"p": {"bucket": "b",
    "policy": "${data.aws_iam_policy_document.d.json}"}}}
})json");
  const auto policy_of = [](const gdl::SourceFile& file) {
    gdl::containers::Extraction out = gdl::containers::extract(file, {});
    REQUIRE(out.documents.size() == 1);
    const gdl::containers::EmbeddedDocument& doc = out.documents.front();
    if (doc.tree) return compact(*doc.tree);
    // A policy held as text (the provider's JSON of a policy document): parsed as the pipeline
    // parses it.
    REQUIRE(doc.source != nullptr);
    const gdl::json::ParseResult parsed = gdl::json::parse(*doc.source);
    REQUIRE(parsed.root);
    return compact(*parsed.root);
  };
  const std::string expected = policy_of(native);
  CHECK(expected.find("Sid:AllowPutObject") != std::string::npos);
  CHECK(policy_of(json_template) == expected);
  // The provider's document writes lists where jsonencode wrote strings: compared by content.
  const std::string from_document = policy_of(json_document);
  CHECK(from_document.find("Sid:AllowPutObject") != std::string::npos);
  CHECK(from_document.find("Action:[s3:PutObject]") != std::string::npos);
  CHECK(from_document.find("Resource:[arn:aws:s3:::b/*]") != std::string::npos);
  CHECK(from_document.find("Principal:{Service:[guardduty.amazonaws.com]}") != std::string::npos);
}

TEST_CASE(
    "Terraform JSON syntax: blocks nested past the bound are an error, not a stack overflow") {
  std::string text = R"json({"sid": "x"})json";
  for (int i = 0; i < 20000; ++i)
    text = R"json({"dynamic": {"statement": {"content": )json" + text + "}}}";
  const gdl::SourceFile file(
      "main.tf.json", R"json({"data": {"aws_iam_policy_document": {"d": )json" + text + "}}}");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics.front().rule_id == "GD007");
  CHECK(parsed.diagnostics.front().message.find("nested more than") != std::string::npos);
  CHECK(parsed.body.blocks.size() == 1);
}

TEST_CASE(
    "Terraform JSON syntax: a repeated property name is two blocks; an argument set twice is "
    "an error") {
  // HCL's JSON specification: "A JSON HCL parser must support duplicate definitions of the same
  // property name within a single object, preserving all of them and the relative ordering".
  const gdl::SourceFile blocks_twice("main.tf.json", R"json({
  "resource": {"aws_s3_bucket": {"a": {"bucket": "x"}}},
  "resource": {"aws_s3_bucket": {"b": {"bucket": "y"}}}
})json");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(blocks_twice);
  CHECK(parsed.diagnostics.empty());  // not GD002: Terraform reads both
  REQUIRE(parsed.body.blocks.size() == 2);
  CHECK(parsed.body.blocks[0].labels[1].text == "a");
  CHECK(parsed.body.blocks[1].labels[1].text == "b");

  const gdl::SourceFile argument_twice(
      "main.tf.json",
      R"json({"resource": {"aws_s3_bucket": {"a": {"bucket": "x", "bucket": "y"}}}})json");
  const gdl::hcl::ParseResult refused = gdl::containers::tf::parse_json_syntax(argument_twice);
  REQUIRE(refused.diagnostics.size() == 1);
  CHECK(refused.diagnostics.front().rule_id == "GD007");
  CHECK(refused.diagnostics.front().message.find("defined twice") != std::string::npos);
}

TEST_CASE(
    "Terraform JSON syntax: values nested past the bound are an error, not a stack overflow") {
  // The tree is freed recursively (~Expr), as the native syntax's is, whose reader stops at the
  // same depth; a JSON file nests far deeper at little cost.
  std::string deep(200000, '[');
  deep += std::string(200000, ']');
  const gdl::SourceFile file("main.tf.json", R"json({"locals": {"deep": )json" + deep + "}}");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics.front().rule_id == "GD007");
  CHECK(parsed.diagnostics.front().message.find("nested more than") != std::string::npos);
}

TEST_CASE("Terraform JSON syntax: strings Terraform does not read as templates") {
  const gdl::SourceFile file("main.tf.json", R"json({
  "variable": {"p": {"default": "arn:aws:s3:::b/home/${aws:username}/*"}},
  "module": {"m": {"source": "./m${x}"}},
  "data": {"aws_iam_policy_document": {"d": {"dynamic": {"statement": {
    "for_each": "${var.names}", "iterator": "s", "content": {"sid": "${s.value}"}}}}}}
})json");
  const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
  CHECK(parsed.diagnostics.empty());  // `${aws:username}` is no interpolation in a default
  REQUIRE(parsed.body.blocks.size() == 3);
  const auto* default_value = parsed.body.blocks[0].body.attribute("default");
  REQUIRE(default_value != nullptr);
  REQUIRE(default_value->value->children.size() == 1);
  CHECK(default_value->value->child(0)->kind == ExprKind::literal_text);
  CHECK(default_value->value->child(0)->text == "arn:aws:s3:::b/home/${aws:username}/*");
  const auto* source = parsed.body.blocks[1].body.attribute("source");
  REQUIRE(source != nullptr);
  CHECK(source->value->child(0)->text == "./m${x}");
  const auto dynamics = parsed.body.blocks[2].body.blocks_of("dynamic");
  REQUIRE(dynamics.size() == 1);
  const auto* iterator = dynamics[0]->body.attribute("iterator");
  REQUIRE(iterator != nullptr);
  CHECK(iterator->value->kind == ExprKind::variable);  // a name, as `iterator = s` is
  CHECK(iterator->value->text == "s");
}

TEST_CASE("Terraform JSON syntax: which .tf.json files are their module's") {
  struct Case {
    std::string_view path;
    std::string_view text;
    bool module_file;
  };
  const Case cases[] = {
      {"main.tf.json", R"({"resource": {"aws_s3_bucket": {"b": {}}}})", true},
      {"vars.tf.json", R"({"variable": {"x": {"default": 1}}, "//": "comment"})", true},
      {"a.tf.json", R"([{"locals": {"x": 1}}])", true},              // a root array is allowed
      {"broken.tf.json", R"({"resource": {"aws_kms_key": )", true},  // Terraform refuses it
      {"nul.tf.json", std::string_view("{\"locals\": {}}\0{}", 17), true},
      {"policy.tf.json", R"({"Version": "2012-10-17", "Statement": []})", true},
      {"bom.tf.json", "\xEF\xBB\xBF{\"locals\": {}}", true},
      // Other inputs saved under the name: read as what they are.
      {"stack.tf.json", R"({"Resources": {"K": {"Type": "AWS::KMS::Key"}}})", false},
      {"plan.tf.json", R"({"format_version": "1.2", "planned_values": {}})", false},
      {"cli.tf.json", R"({"Policy": "{\"Statement\": []}"})", false},
      {"dest.tf.json", R"({"DestinationProperties": {}})", false},
      // With a syntax error, what the recovered tree is (a template's errors are a template's).
      {"stack-error.tf.json", R"({"Resources": {"K": {"Type": "AWS::KMS::Key"}},})", false},
      {"module-error.tf.json", R"({"resource": {"aws_kms_key": {"k": {}}},})", true},
      // The members decide at the top level only, and by their values' kinds.
      {"nested.tf.json", R"({"locals": {"Resources": {}, "Policy": "x"}})", true},
      {"number.tf.json", R"({"Policy": 5})", true},
      {"keyword.tf.json", R"({"format_version": "1.2", "variable": {}})", true},
      // Not the JSON syntax at all (Terraform matches the suffix as written).
      {"MAIN.TF.JSON", R"({"module": {"m": {"source": "./m"}}})", false},
      {"main.tf", R"(locals {})", false},
      {"policy.json", R"({"locals": {}})", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    const gdl::SourceFile file(std::string(c.path), std::string(c.text));
    CHECK(gdl::containers::tf::is_json_syntax_module(file) == c.module_file);
  }
}

TEST_CASE("Terraform JSON syntax: a block's body that is not an object is an error") {
  struct Case {
    std::string_view text;
    std::string_view at;  // the value reported
  };
  const Case cases[] = {
      {R"(null)", "null"},
      {R"("s")", R"("s")"},
      {R"([{"locals": {}}, 1])", "1"},
      {R"({"resource": {"aws_kms_key": {"k": true}}})", "true"},
      {R"({"locals": [null]})", "null"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const gdl::SourceFile file("main.tf.json", std::string(c.text));
    const gdl::hcl::ParseResult parsed = gdl::containers::tf::parse_json_syntax(file);
    REQUIRE(parsed.diagnostics.size() == 1);
    CHECK(parsed.diagnostics.front().rule_id == "GD007");
    CHECK(text_at(file, parsed.diagnostics.front().location.span) == c.at);
  }
  // An empty file's root array, and "//" comments, are no error.
  for (const std::string_view text : {R"([])", R"({"//": "note", "locals": {}})"}) {
    const gdl::SourceFile file("main.tf.json", std::string(text));
    CHECK(gdl::containers::tf::parse_json_syntax(file).diagnostics.empty());
  }
}
