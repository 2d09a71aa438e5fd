// The HCL evaluator: every expression form and every function it evaluates, against values a
// test scope gives (var.*, local.*), and what stays unknown.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>

#include "hcl/eval.h"
#include "hcl/functions.h"
#include "hcl/parser.h"

namespace {

// var.NAME and local.NAME from HCL source text; files by name; anything else is not known.
class TestScope final : public gdl::hcl::Scope {
 public:
  std::map<std::string, std::string> vars;   // name -> HCL expression
  std::map<std::string, std::string> files;  // path -> contents
  std::vector<std::unique_ptr<gdl::SourceFile>> owned;

  std::optional<gdl::hcl::Value> reference(const std::string& root,
                                           const std::vector<std::string>& steps, std::size_t& used,
                                           const gdl::SourceFile& file, gdl::Span span) override {
    if ((root != "var" && root != "local") || steps.empty()) return std::nullopt;
    used = 1;
    const auto it = vars.find(steps[0]);
    if (it == vars.end())
      return gdl::hcl::unknown_value(root + "." + steps[0] + " has no value", &file, span);
    owned.push_back(std::make_unique<gdl::SourceFile>("var.hcl", it->second));
    auto parsed = gdl::hcl::parse_expression(*owned.back());
    REQUIRE(parsed.expr);
    gdl::hcl::Evaluator e(*this, *owned.back());
    return e.evaluate(*parsed.expr);
  }

  const gdl::SourceFile* load_file(const std::string& path) override {
    const auto it = files.find(path);
    if (it == files.end()) return nullptr;
    owned.push_back(std::make_unique<gdl::SourceFile>(path, it->second));
    return owned.back().get();
  }
};

// A value as text: JSON for known values, ? for unknown ones (and inside strings, the unknown
// ranges bracketed as <?>).
std::string show(const gdl::hcl::Value& v) {
  using gdl::hcl::ValueKind;
  switch (v.kind) {
    case ValueKind::unknown:
      return "?";
    case ValueKind::string: {
      if (v.unknown_ranges.empty()) return gdl::hcl::to_json(v);
      std::string text;
      std::size_t at = 0;
      for (const auto& [b, e] : v.unknown_ranges) {
        text += v.text.substr(at, b - at) + "<?>";
        at = e;
      }
      return "\"" + text + v.text.substr(at) + "\"";
    }
    case ValueKind::tuple: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.items.size(); ++i) out += (i ? "," : "") + show(v.items[i]);
      return out + "]";
    }
    case ValueKind::object: {
      std::string out = "{";
      for (std::size_t i = 0; i < v.members.size(); ++i)
        out += fmt::format("{}\"{}\":{}", i ? "," : "", v.members[i].key, show(v.members[i].value));
      return out + "}";
    }
    default:
      return gdl::hcl::to_json(v);
  }
}

std::string eval(TestScope& scope, const std::string& text, gdl::hcl::Value* out = nullptr) {
  const gdl::SourceFile source("x.tf", text);
  auto parsed = gdl::hcl::parse_expression(source);
  if (!parsed.expr) return "parse error: " + parsed.diagnostics.front().message;
  gdl::hcl::Evaluator e(scope, source);
  gdl::hcl::Value v = e.evaluate(*parsed.expr);
  if (out != nullptr) *out = v;
  return show(v);
}

}  // namespace

TEST_CASE("HCL evaluation: expression forms") {
  TestScope scope;
  scope.vars = {{"bucket", R"("findings")"},
                {"regions", R"(["us-east-1", "eu-west-1"])"},
                {"tags", R"({env = "prod", team = "sec"})"},
                {"enabled", "true"},
                {"enabled_text", R"("true")"},
                {"count", "3"},
                {"objects", R"([{name = "a", id = 1}, {name = "b", id = 2}])"}};
  const struct {
    const char* expr;
    const char* value;
  } rows[] = {
      {R"("arn:aws:s3:::${var.bucket}/*")", R"("arn:aws:s3:::findings/*")"},
      {R"("${var.regions}")", R"(["us-east-1","eu-west-1"])"},  // unwrapped
      {R"("n=${var.count}")", R"("n=3")"},
      {R"("%{ if var.enabled }on%{ else }off%{ endif }")", R"("on")"},
      {R"("%{ for r in var.regions }${r};%{ endfor }")", R"("us-east-1;eu-west-1;")"},
      {R"(var.enabled ? "a" : "b")", R"("a")"},
      {R"(var.count > 2 && !false)", "true"},
      {"1 + 2 * 3 - 4 / 2", "5"},
      {"7 % 3", "1"},
      {R"(var.bucket == "findings")", "true"},
      {"var.regions[1]", R"("eu-west-1")"},
      {"var.regions.0", R"("us-east-1")"},
      {R"(var.tags["env"])", R"("prod")"},
      {"var.tags.team", R"("sec")"},
      {"var.objects[*].name", R"(["a","b"])"},
      {"var.objects.*.id", "[1,2]"},
      {"[for r in var.regions : upper(r)]", R"(["US-EAST-1","EU-WEST-1"])"},
      {"[for i, r in var.regions : i if r != \"us-east-1\"]", "[1]"},
      {"{for k, v in var.tags : v => k}", R"({"prod":"env","sec":"team"})"},
      {"{for o in var.objects : o.name => o.id...}", R"({"a":[1],"b":[2]})"},
      {"{ a = 1, (var.bucket) = 2 }", R"({"a":1,"findings":2})"},
      // A string where a bool is needed converts as Terraform converts it (a -var is text).
      {R"(var.enabled_text ? 1 : 0)", "1"},
      {R"("false" ? 1 : 0)", "0"},
      {R"(!var.enabled_text)", "false"},
      {R"(var.enabled_text && "false")", "false"},
      {R"("0" ? 1 : 0)", "0"},
      {R"("yes" ? 1 : 0)", "?"},
      // Unknowns: the reason is kept, the known text around it too.
      {"var.missing", "?"},
      {R"("arn:aws:s3:::${var.missing}/*")", R"("arn:aws:s3:::<?>/*")"},
      {"var.missing ? 1 : 2", "?"},
      {"[for r in var.missing : r]", "?"},
      {"nosuchthing.attr", "?"},
  };
  for (const auto& row : rows) {
    CAPTURE(std::string(row.expr));
    CHECK(eval(scope, row.expr) == row.value);
  }
}

TEST_CASE("HCL evaluation: every function evaluated offline, and one that is not") {
  TestScope scope;
  scope.vars = {{"list", R"(["b", "a", "b", ""])"}, {"map", R"({x = 1})"}};
  const struct {
    const char* expr;
    const char* value;
  } rows[] = {
      {R"(format("arn:%s:s3:::%s/%d/%t/%q/%%", "aws", "b", 7, true, "q"))",
       R"("arn:aws:s3:::b/7/true/\"q\"/%")"},
      {R"(join(",", ["a", "b"], ["c"]))", R"("a,b,c")"},
      {R"(split("/", "a/b/c"))", R"(["a","b","c"])"},
      {R"(lower("AbC"))", R"("abc")"},
      {R"(upper("AbC"))", R"("ABC")"},
      {R"(trimspace("  x \n"))", R"("x")"},
      {R"(chomp("x\n"))", R"("x")"},
      {R"(trimprefix("arn:aws", "arn:"))", R"("aws")"},
      {R"(trimsuffix("a/*", "/*"))", R"("a")"},
      {R"(startswith("arn:aws", "arn:"))", "true"},
      {R"(endswith("arn:aws", "gcp"))", "false"},
      {R"(replace("a-b-c", "-", "/"))", R"("a/b/c")"},
      {R"(replace("key/abc", "/^key\\/(.*)$/", "id=$1"))", R"("id=abc")"},
      {R"(formatlist("arn:aws:s3:::%s/%s", ["a", "b"], "p"))",
       R"(["arn:aws:s3:::a/p","arn:aws:s3:::b/p"])"},
      {R"(formatlist("%s", ["a"], ["b", "c"]))", "?"},
      {R"(format("arn:aws:iam::%s:root", var.missing))", R"("arn:aws:iam::<?>:root")"},
      {R"(formatlist("arn:aws:iam::%s:root", var.missing))", R"(["arn:aws:iam::<?>:root"])"},
      {R"(format("%d", var.missing))", "?"},
      {R"(regex("^arn:aws:kms:([^:]+):(\\d+):", "arn:aws:kms:eu-west-1:141421356237:key/k"))",
       R"(["eu-west-1","141421356237"])"},
      {R"(regex("key/(?P<id>.+)$", "arn:aws:kms:r:1:key/abc"))", R"({"id":"abc"})"},
      {R"(regex("[0-9]+", "account 123 of 456"))", R"("123")"},
      {R"(regex("x", "abc"))", "?"},
      {R"(regexall("[0-9]+", "1 and 23"))", R"(["1","23"])"},
      {R"(sort(["b", "c", "a"]))", R"(["a","b","c"])"},
      {"reverse([1, 2, 3])", "[3,2,1]"},
      {"concat([1], [2, 3])", "[1,2,3]"},
      {"merge({a = 1, b = 2}, {b = 3}, null)", R"({"a":1,"b":3})"},
      {"flatten([[1, [2]], 3])", "[1,2,3]"},
      {"distinct(var.list)", R"(["b","a",""])"},
      {"toset(var.list)", R"(["","a","b"])"},
      // Each kind apart ("true" is not true, "1" not 1), numbers by value (1 and 1.0, 0 and
      // -0 are one), null once, equal collections once.
      {R"(distinct(["1", 1, 1.0, true, "true", 0, -0, null, null, [1, "a"], [1, "a"], [1], {a = 1},
                    {a = 1}]))",
       R"(["1",1,true,"true",0,null,[1,"a"],[1],{"a":1}])"},
      {"tolist(var.list)", R"(["b","a","b",""])"},
      {"tomap(var.map)", R"({"x":1})"},
      {"compact(var.list)", R"(["b","a","b"])"},
      {"element(var.list, 5)", R"("a")"},
      {R"(lookup(var.map, "x"))", "1"},
      {R"(lookup(var.map, "y", "d"))", R"("d")"},
      {"length(var.list)", "4"},
      {R"(length("héllo"))", "5"},
      {"keys({b = 1, a = 2})", R"(["a","b"])"},
      {"values({b = 1, a = 2})", "[2,1]"},
      {R"(contains(var.list, "a"))", "true"},
      {R"(coalesce("", null, "x"))", R"("x")"},
      {"coalescelist([], [1])", "[1]"},
      {"one([5])", "5"},
      {"slice([1, 2, 3], 1, 3)", "[2,3]"},
      {R"(zipmap(["a", "b"], [1, 2]))", R"({"a":1,"b":2})"},
      {R"(jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow"}]}))",
       R"("{\"Statement\":[{\"Effect\":\"Allow\"}],\"Version\":\"2012-10-17\"}")"},
      {R"(jsondecode("{\"a\": [1, true]}"))", R"({"a":[1,true]})"},
      {"tostring(5)", R"("5")"},
      {R"(tonumber("5"))", "5"},
      {R"(tobool("true"))", "true"},
      {"try(var.missing, \"fallback\")", R"("fallback")"},
      {R"(file("policy.json"))", R"("{\"Version\": \"2012-10-17\"}")"},
      {R"(templatefile("p.tpl", {bucket = "b"}))", R"("arn:aws:s3:::b/*")"},
      // Not evaluated: the value is unknown, not wrong.
      {R"(sha256("x"))", "?"},
      {R"(file("missing.json"))", "?"},
      {"upper(var.missing)", "?"},
  };
  scope.files = {{"policy.json", R"({"Version": "2012-10-17"})"},
                 {"p.tpl", "arn:aws:s3:::${bucket}/*"}};
  for (const auto& row : rows) {
    CAPTURE(std::string(row.expr));
    CHECK(eval(scope, row.expr) == row.value);
  }
  // Every function the evaluator claims is in the table above.
  std::string all;
  for (const auto& row : rows) all += row.expr;
  for (const std::string_view name : gdl::hcl::evaluated_functions()) {
    CAPTURE(std::string(name));
    CHECK(all.find(std::string(name) + "(") != std::string::npos);
  }
}

TEST_CASE("HCL evaluation: strings map back to the file, jsonencode keeps the encoded value") {
  TestScope scope;
  gdl::hcl::Value v;
  // Verbatim text maps byte for byte; an interpolated value maps to the interpolation.
  const std::string text = R"("arn:${"x"}:s3")";
  eval(scope, text, &v);
  REQUIRE(v.text == "arn:x:s3");
  CHECK(v.map.to_outer(0) == 1);  // 'a' right after the opening quote
  CHECK(v.map.to_outer(2) == 3);
  CHECK(v.map.to_outer(4) == text.find('x'));
  CHECK(v.map.to_outer(6) == text.find(":s3") + 1);
  // An escape maps to its backslash.
  eval(scope, R"("a\nb")", &v);
  CHECK(v.text == "a\nb");
  CHECK(v.map.to_outer(1) == 2);
  CHECK(v.map.to_outer(2) == 4);
  // A heredoc keeps backslashes as written: the bytes after one still map one to one.
  const std::string heredoc = "<<EOT\n{\"a\": \"x \\\" y\", \"b\": 1}\nEOT\n";
  eval(scope, heredoc, &v);
  REQUIRE(v.text == "{\"a\": \"x \\\" y\", \"b\": 1}\n");
  const std::size_t b = v.text.find("\"b\"");
  CHECK(v.map.to_outer(b) == heredoc.find("\"b\""));
  // An unknown value inside a JSON string stands as the interpolation written, outside as null.
  eval(scope, R"("{\"r\": \"arn:${var.missing}\", \"n\": ${var.missing}}")", &v);
  CHECK(v.text == R"({"r": "arn:${var.missing}", "n": null})");
  CHECK(v.unknown_ranges.size() == 2);
  // In text that is not JSON (a bucket name) it stands as written too, never as "null" that
  // would read as a name; a template over it keeps the range and the reason.
  eval(scope, R"("gd-findings-${var.missing}")", &v);
  CHECK(v.text == "gd-findings-${var.missing}");
  scope.vars["name"] = R"("gd-${var.missing}")";
  eval(scope, R"("arn:aws:s3:::${local.name}/*")", &v);
  CHECK(v.text == "arn:aws:s3:::gd-${var.missing}/*");
  REQUIRE(v.unknown_ranges.size() == 1);
  CHECK(v.why == "var.missing has no value");
  eval(scope, R"(jsonencode({a = "b"}))", &v);
  REQUIRE(v.encodes != nullptr);
  CHECK(v.encodes->kind == gdl::hcl::ValueKind::object);
  CHECK(v.encodes->member("a")->span.begin == std::string(R"(jsonencode({a = )").size());
}

TEST_CASE("HCL evaluation bounds: huge collections and deep templates stay bounded") {
  TestScope scope;
  // A for expression over a large list is cut off as unknown, not evaluated forever.
  std::string big = "[";
  for (int i = 0; i < 20000; ++i) big += "1,";
  big += "1]";
  scope.vars = {{"big", big}};
  CHECK(eval(scope, "[for x in var.big : x]") == "?");
}

TEST_CASE("HCL to_json escapes as Terraform's jsonencode does") {
  // Go's encoding/json: quote, backslash and control characters escaped, and <, > and & as
  // \u003c, \u003e, \u0026; every other byte (UTF-8 included) verbatim, runs of them intact.
  const struct {
    std::string_view text;
    std::string_view json;
  } rows[] = {
      {"", R"("")"},
      {"arn:aws:s3:::bucket/findings/*", R"("arn:aws:s3:::bucket/findings/*")"},
      {"a<b>&c", R"("a\u003cb\u003e\u0026c")"},
      {"<", R"("\u003c")"},
      {"say \"hi\"\\", R"("say \"hi\"\\")"},
      {"line\nnext\r\ttab", R"("line\nnext\r\ttab")"},
      {std::string_view("nul\0x\x1f", 6), R"("nul\u0000x\u001f")"},
      {"h\xC3\xA9llo", "\"h\xC3\xA9llo\""},
  };
  for (const auto& row : rows) {
    CAPTURE(std::string(row.text));
    CHECK(gdl::hcl::to_json(gdl::hcl::string_value(std::string(row.text), nullptr, {})) ==
          row.json);
  }
  gdl::hcl::Value object;
  object.kind = gdl::hcl::ValueKind::object;
  object.members.emplace_back("b<", gdl::hcl::string_value("x", nullptr, {}));
  object.members.emplace_back("a", gdl::hcl::string_value("&", nullptr, {}));
  CHECK(gdl::hcl::to_json(object) == R"({"a":"\u0026","b\u003c":"x"})");
}
