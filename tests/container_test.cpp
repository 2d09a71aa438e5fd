// The same defect is found at the same place whatever holds the policy. Every policy fixture is
// wrapped in each container kind (AWS CLI output, a Terraform plan, a .tf heredoc, a
// CloudFormation template in JSON and in YAML) and must give the same rules, each at the byte of
// the container where the bare finding's byte is written.

#include "containers/container.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include "analysis/pipeline.h"
#include "containers/json_string.h"
#include "containers/yaml_reader.h"
#include "export/settings.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "test_support.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace {

struct Wrapped {
  std::string name;
  std::string path;
  std::string text;
  std::function<std::size_t(std::size_t)> to_outer;
};

std::string_view resource_type(gdl::documents::Kind kind, bool terraform) {
  if (kind == gdl::documents::Kind::key_policy) return terraform ? "aws_kms_key" : "AWS::KMS::Key";
  return terraform ? "aws_s3_bucket_policy" : "AWS::S3::BucketPolicy";
}

std::string_view policy_property(gdl::documents::Kind kind) {
  return kind == gdl::documents::Kind::key_policy ? "KeyPolicy" : "PolicyDocument";
}

std::vector<Wrapped> wrap(const std::string& policy, gdl::documents::Kind kind, bool parses) {
  using gdl::containers::escape_json_string;
  std::vector<Wrapped> out;
  {
    const std::string prefix = "{\n    \"Policy\": \"";
    out.push_back({"cli", "get-policy.json", prefix + escape_json_string(policy) + "\"\n}\n",
                   [prefix, policy](std::size_t o) {
                     return prefix.size() + escape_json_string(policy.substr(0, o)).size();
                   }});
  }
  const bool resource_policy =
      kind == gdl::documents::Kind::key_policy || kind == gdl::documents::Kind::bucket_policy;
  if (!resource_policy) return out;
  {
    const std::string prefix = fmt::format(
        "{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{\"resources\": "
        "[{{\"address\": \"{0}.p\", \"mode\": \"managed\", \"type\": \"{0}\", \"name\": \"p\", "
        "\"values\": {{\"bucket\": \"b\", \"policy\": \"",
        resource_type(kind, true));
    out.push_back({"plan", "plan.json", prefix + escape_json_string(policy) + "\"}}]}}}\n",
                   [prefix, policy](std::size_t o) {
                     return prefix.size() + escape_json_string(policy.substr(0, o)).size();
                   }});
  }
  const bool interpolates =
      policy.find("${") != std::string::npos || policy.find("%{") != std::string::npos;
  if (!interpolates && policy.find("EOT") == std::string::npos) {
    const std::string prefix =
        fmt::format("resource \"{}\" \"p\" {{\n  bucket = \"b\"\n  policy = <<-EOT\n",
                    resource_type(kind, true));
    std::string body;
    std::size_t line_start = 0;
    while (line_start < policy.size()) {
      std::size_t end = policy.find('\n', line_start);
      end = end == std::string::npos ? policy.size() : end + 1;
      body += "    " + policy.substr(line_start, end - line_start);
      line_start = end;
    }
    if (!body.ends_with('\n')) body += '\n';
    // The end of the document is the end of the heredoc's body (where the marker line starts).
    out.push_back({"heredoc", "main.tf", prefix + body + "  EOT\n}\n",
                   [prefix, policy, body_size = body.size()](std::size_t o) {
                     if (o >= policy.size()) return prefix.size() + body_size;
                     const auto lines = std::count(
                         policy.begin(), policy.begin() + static_cast<std::ptrdiff_t>(o), '\n');
                     return prefix.size() + o + 4 * static_cast<std::size_t>(lines + 1);
                   }});
  }
  if (!parses) return out;
  {
    const std::string prefix = fmt::format(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"P\": {{\"Type\": "
        "\"{}\", \"Properties\": {{\"Bucket\": \"b\", \"{}\": ",
        resource_type(kind, false), policy_property(kind));
    out.push_back({"template-json", "template.json", prefix + policy + "}}}}\n",
                   [prefix](std::size_t o) { return prefix.size() + o; }});
  }
  if (policy.find('\t') == std::string::npos && policy.find('\r') == std::string::npos) {
    // YAML is a superset of JSON: the policy is written as a flow mapping, its continuation
    // lines indented under the property.
    const std::string prefix = fmt::format(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n    Type: {}\n    "
        "Properties:\n      Bucket: b\n      {}: ",
        resource_type(kind, false), policy_property(kind));
    std::string body;
    for (const char c : policy) {
      body += c;
      if (c == '\n') body += "        ";
    }
    out.push_back(
        {"template-yaml", "template.yaml", prefix + body + "\n", [prefix, policy](std::size_t o) {
           const auto lines =
               std::count(policy.begin(), policy.begin() + static_cast<std::ptrdiff_t>(o), '\n');
           return prefix.size() + o + 8 * static_cast<std::size_t>(lines);
         }});
  }
  // The policy as a string: a literal block, each line indented, and one double-quoted line.
  // (A line of blanks only, or leading blanks on the first, is not kept as written by YAML.)
  const bool blank_line =
      policy.starts_with(' ') || std::string_view(policy).find('\r') != std::string_view::npos;
  bool only_blanks = false;
  for (std::size_t start = 0; start < policy.size();) {
    std::size_t end = policy.find('\n', start);
    if (end == std::string::npos) end = policy.size();
    const std::string_view line(policy.data() + start, end - start);
    if (!line.empty() && line.find_first_not_of(" \t") == std::string_view::npos)
      only_blanks = true;
    start = end + 1;
  }
  if (!blank_line && !only_blanks && !policy.empty() && policy.front() != '\n') {
    const std::string prefix = fmt::format(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n    Type: {}\n    "
        "Properties:\n      Bucket: b\n      {}: |\n        ",
        resource_type(kind, false), policy_property(kind));
    std::string body;
    for (std::size_t i = 0; i < policy.size(); ++i) {
      body += policy[i];
      if (policy[i] == '\n' && i + 1 < policy.size() && policy[i + 1] != '\n') body += "        ";
    }
    out.push_back({"template-yaml-literal", "template.yaml", prefix + body + "\n",
                   [prefix, policy](std::size_t o) {
                     std::size_t indented = 0;  // lines before `o` that are indented
                     for (std::size_t i = 0; i < o && i < policy.size(); ++i)
                       if (policy[i] == '\n' && i + 1 < policy.size() && policy[i + 1] != '\n')
                         ++indented;
                     return prefix.size() + o + 8 * indented;
                   }});
  }
  {
    auto escape = [](std::string_view text) {
      std::string e;
      for (const char c : text) {
        if (c == '"' || c == '\\') {
          e += '\\';
          e += c;
        } else if (c == '\n') {
          e += "\\n";
        } else if (c == '\t') {
          e += "\\t";
        } else if (c == '\r') {
          e += "\\r";
        } else if (static_cast<unsigned char>(c) < 0x20) {
          e += fmt::format("\\x{:02X}", static_cast<unsigned>(c));
        } else {
          e += c;
        }
      }
      return e;
    };
    const std::string prefix = fmt::format(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n    Type: {}\n    "
        "Properties:\n      Bucket: b\n      {}: \"",
        resource_type(kind, false), policy_property(kind));
    out.push_back({"template-yaml-quoted", "template.yaml", prefix + escape(policy) + "\"\n",
                   [prefix, policy, escape](std::size_t o) {
                     return prefix.size() + escape(policy.substr(0, o)).size();
                   }});
  }
  return out;
}

// Whether a string "guardduty.<...>.amazonaws.com" (a GuardDuty service principal) is in `text`.
bool names_guardduty(const std::string& text) {
  for (std::size_t at = text.find("\"guardduty."); at != std::string::npos;
       at = text.find("\"guardduty.", at + 1)) {
    const std::size_t end = text.find('"', at + 1);
    if (end != std::string::npos && text.substr(at + 1, end - at - 1).ends_with(".amazonaws.com"))
      return true;
  }
  return false;
}

std::vector<std::string> findings(const std::vector<gdl::Diagnostic>& diagnostics,
                                  const std::function<std::size_t(std::size_t)>& to_outer,
                                  bool with_size, bool grammar_only) {
  std::vector<std::string> out;
  for (const gdl::Diagnostic& d : diagnostics) {
    if (d.rule_id == "GD006" && !with_size) continue;
    if (grammar_only && d.rule_id >= "GD200") continue;
    out.push_back(fmt::format("{}@{}", d.rule_id, to_outer(d.location.span.begin)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a policy finding is the same finding, at the mapped byte, in every container") {
  std::vector<fs::path> policies;
  for (const auto& entry : fs::recursive_directory_iterator(gdl::test::source_dir() / "testdata")) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file() || p.extension() != ".json") continue;
    const std::string dir = p.parent_path().filename().string();
    // Encoding fixtures hold bytes a container cannot carry unchanged; setups are directories.
    if (dir == "GD003" || dir == "oracle" || dir == "schemas" || dir == "hostile") continue;
    if (fs::exists(p.parent_path() / "case.expect")) continue;
    // A called module's file in Terraform's JSON syntax is no policy.
    if (p.filename().string().ends_with(".tf.json")) continue;
    // Real-world fixtures' original/ files are provenance (templates with ${...}), not policies.
    if (p.string().find("/original/") != std::string::npos) continue;
    policies.push_back(p);
  }
  for (const auto& entry : fs::directory_iterator(gdl::test::source_dir() / "examples/broken"))
    if (entry.path().extension() == ".json") policies.push_back(entry.path());
  std::sort(policies.begin(), policies.end());
  REQUIRE(policies.size() > 50);

  std::size_t compared = 0;
  for (const fs::path& path : policies) {
    const std::string policy = gdl::test::read_file(path);
    const gdl::SourceFile bare("policy.json", policy);
    gdl::json::ParseResult parsed = gdl::json::parse(bare);
    const bool parses = parsed.root && parsed.diagnostics.empty();
    gdl::documents::Kind kind = gdl::documents::Kind::unknown;
    if (parsed.root) {
      auto built = gdl::policy::build_policy(*parsed.root, bare);
      if (built.policy) kind = gdl::documents::detect_kind(*built.policy);
    }
    const auto bare_diagnostics = gdl::lint_source(bare);
    for (const Wrapped& w : wrap(policy, kind, parses)) {
      CAPTURE(path.string());
      CAPTURE(w.name);
      const gdl::SourceFile container(w.path, w.text);
      const bool sized = w.name == "cli" || w.name == "plan" || w.name == "heredoc";
      // In a template, plan or configuration, a policy that names no GuardDuty principal (and
      // that no destination names) is not the export's: only its grammar is checked there.
      const bool grammar_only = w.name != "cli" && !names_guardduty(policy);
      CHECK(findings(
                gdl::lint_source(container), [](std::size_t o) { return o; }, sized,
                grammar_only) == findings(bare_diagnostics, w.to_outer, sized, grammar_only));
      ++compared;
    }
  }
  MESSAGE(compared << " container documents compared");
}

TEST_CASE("offset maps: verbatim runs map byte for byte, escapes to their first byte") {
  const gdl::SourceFile outer("cli.json", R"({"Policy": "a\"b\u00e9\ud83d\ude00c\\d"})");
  // The string literal starts at byte 11 (its opening quote).
  const auto inner =
      gdl::containers::decode_json_string(outer, {11, outer.text().size() - 1}, "cli.json");
  CHECK(inner->text() ==
        "a\"b\xc3\xa9\xf0\x9f\x98\x80"
        "c\\d");
  struct Row {
    std::size_t inner;
    std::size_t outer;
  };
  // a=12, \"=13, b=15, \u00e9=16 (2 bytes), surrogate pair=22 (4 bytes), c=34, \\=35, d=37
  for (const Row row : {Row{0, 12}, Row{1, 13}, Row{2, 15}, Row{3, 16}, Row{4, 16}, Row{5, 22},
                        Row{8, 22}, Row{9, 34}, Row{10, 35}, Row{11, 37}, Row{12, 38}}) {
    CAPTURE(row.inner);
    CHECK(gdl::make_location(*inner, {row.inner, row.inner}).span.begin == row.outer);
  }
  CHECK(gdl::make_location(*inner, {0, 1}).file == "cli.json");
}

namespace {

// The resolved text of Statement[0].Resource in the first document a template yields.
std::string resolved_resource(const std::string& template_text, const std::string& path) {
  const gdl::SourceFile source(path, template_text);
  gdl::containers::Extraction ex = gdl::containers::extract(source);
  if (ex.documents.empty() || !ex.documents.front().tree) return "<no document>";
  if (!ex.documents.front().unknown_spans.empty()) return "<unknown>";
  const gdl::json::Value& policy = *ex.documents.front().tree;
  const gdl::json::Member* statements = policy.find("Statement");
  if (statements == nullptr || statements->value.items.empty()) return "<no statement>";
  const gdl::json::Member* resource = statements->value.items.front().find("Resource");
  if (resource == nullptr) return "<removed>";
  if (resource->value.is_array()) {
    std::string joined;
    for (const auto& item : resource->value.items) joined += item.text + ";";
    return joined;
  }
  return resource->value.text;
}

}  // namespace

TEST_CASE("CloudFormation intrinsic functions resolve offline where the template decides") {
  struct Row {
    const char* resource;  // YAML for Statement[0].Resource
    const char* expected;
  };
  const Row rows[] = {
      {R"("*")", "*"},
      {R"(!GetAtt Bucket.Arn)", "arn:aws:s3:::findings-bucket"},
      {R"(!Sub "${Bucket.Arn}/${Prefix}/*")", "arn:aws:s3:::findings-bucket/gd/*"},
      {R"(!Sub ["${B}/x", {B: !GetAtt Bucket.Arn}])", "arn:aws:s3:::findings-bucket/x"},
      {R"(!Join ["", ["arn:", !Ref AWS::Partition, ":s3:::", !Ref Bucket]])",
       "arn:aws:s3:::findings-bucket"},
      {R"(!Join [":", [arn, aws, s3, "", "", findings-bucket]])", "arn:aws:s3:::findings-bucket"},
      {R"(!Select [1, [a, b, c]])", "b"},
      {R"(!Select [2, [a, b, c]])", "c"},
      {R"(!Select [3, [a, b, c]])", "<unknown>"},
      {R"(!Select [1, !Split [",", "x,y,z"]])", "y"},
      {R"(!FindInMap [Names, Prod, Bucket])", "mapped-bucket"},
      {R"(!Sub "arn:aws:s3:::${!Literal}")", "arn:aws:s3:::${Literal}"},
      {R"([!Ref AWS::NoValue, "x"])", "x;"},
      {R"(!Ref AWS::NoValue)", "<removed>"},
      {R"(!ImportValue shared-bucket-arn)", "<unknown>"},
      {R"(!If [IsProd, a, b])", "<unknown>"},
      {R"(!GetAtt Bucket.DomainName)", "<unknown>"},
      {R"(!Ref NoSuchThing)", "<unknown>"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.resource);
    const std::string yaml = std::string(R"(Parameters:
  Prefix: {Type: String, Default: gd}
Mappings:
  Names: {Prod: {Bucket: mapped-bucket}}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: findings-bucket}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: guardduty.amazonaws.com}
            Action: s3:PutObject
            Resource: )") + row.resource +
                             "\n";
    CHECK(resolved_resource(yaml, "stack.yaml") == row.expected);
  }
  // Fn::Split makes at most 10,000 pieces; more are unknown (900,000 took 1 GB).
  for (const auto& row : {std::pair{9999, "last"}, std::pair{10000, "<unknown>"}}) {
    const int commas = row.first;
    const std::string expected = row.second;
    CAPTURE(commas);
    const std::string yaml =
        "Resources:\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n"
        "      Bucket: b\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Action: s3:PutObject\n            Resource: !Select [" +
        std::to_string(commas) + ", !Split [\",\", \"" +
        std::string(static_cast<std::size_t>(commas), ',') + "last\"]]\n";
    CHECK(resolved_resource(yaml, "stack.yaml") == expected);
  }
}

TEST_CASE("unknown short-form tags and Fn:: functions are GD007 at their position") {
  const gdl::SourceFile yaml("stack.yaml",
                             "Resources:\n  K:\n    Type: AWS::KMS::Key\n"
                             "    Properties:\n      KeyPolicy:\n"
                             "        Statement: !Subb x\n");
  const auto from_yaml = gdl::containers::extract(yaml).diagnostics;
  REQUIRE(from_yaml.size() == 1);
  CHECK(from_yaml[0].rule_id == "GD007");
  CHECK(from_yaml[0].location.start.line == 6);
  CHECK(from_yaml[0].location.start.column == 20);
  const gdl::SourceFile json("stack.json",
                             R"({"Resources": {"K": {"Type": "AWS::KMS::Key", "Properties": {)"
                             R"("Tags": [{"Fn::Joinn": ["", []]}]}}}})");
  const auto from_json = gdl::containers::extract(json).diagnostics;
  REQUIRE(from_json.size() == 1);
  CHECK(from_json[0].location.span.begin == json.text().find("\"Fn::Joinn\""));
}

TEST_CASE("Terraform heredoc interpolations are unknown spans; $${ is a literal") {
  const std::string tf =
      "resource \"aws_s3_bucket_policy\" \"p\" {\n  policy = <<EOF\n"
      "{\"Statement\": [{\"Principal\": {\"Service\": \"guardduty.amazonaws.com\"}, "
      "\"Resource\": \"${aws_s3_bucket.b.arn}/*\", "
      "\"Sid\": \"$${x}\"}]}\nEOF\n}\n";
  const gdl::SourceFile source("main.tf", tf);
  gdl::containers::Extraction ex = gdl::containers::extract(source);
  REQUIRE(ex.documents.size() == 1);
  const auto& doc = ex.documents.front();
  REQUIRE(doc.unknown_spans.size() == 1);
  CHECK(tf.substr(doc.unknown_spans[0].begin, doc.unknown_spans[0].size()) ==
        "${aws_s3_bucket.b.arn}");
  CHECK(doc.simulate);  // the statements without unknown values are still judged
  CHECK(std::string(doc.source->text()).find("\"Sid\": \"${x}\"") != std::string::npos);
}

// A scan reads only files that look like inputs. A policy saved as UTF-16 or UTF-32 (with or
// without a byte-order mark, as Windows tools write) is one: it must reach the reader, which
// reports its encoding, not be skipped as "not a policy" with exit 0.
TEST_CASE("a scan recognizes policies saved as UTF-16 or UTF-32") {
  const std::string policy = R"({"Version": "2012-10-17", "Statement": []})";
  auto widen = [](std::string_view bom, int width, bool big_endian,
                  std::string_view text = R"({"Version": "2012-10-17", "Statement": []})") {
    std::string out(bom);
    for (const char c : text) {
      std::string unit(static_cast<std::size_t>(width), '\0');
      unit[big_endian ? unit.size() - 1 : 0] = c;
      out += unit;
    }
    return out;
  };
  const std::vector<std::pair<const char*, std::string>> rows = {
      {"UTF-16LE with BOM", widen("\xFF\xFE", 2, false)},
      {"UTF-16BE with BOM", widen("\xFE\xFF", 2, true)},
      {"UTF-16LE", widen("", 2, false)},
      {"UTF-32LE with BOM", widen(std::string_view("\xFF\xFE\0\0", 4), 4, false)},
      {"UTF-32BE", widen("", 4, true)},
      {"UTF-32BE with BOM", widen(std::string_view("\0\0\xFE\xFF", 4), 4, true)},
      {"UTF-8", policy},
  };
  for (const auto& row : rows) {
    CAPTURE(row.first);  // (not a structured binding: clang 14 cannot capture one)
    CHECK(gdl::containers::looks_like_input("policy.json", row.second));
    // The reader then names the encoding with the same test (they had two heuristics, and a
    // UTF-32BE file with a byte-order mark got only NUL-byte findings).
    const bool wide = row.second != policy;
    CHECK(gdl::looks_wide(row.second) == wide);
    const gdl::SourceFile source("policy.json", row.second);
    const auto parsed = gdl::json::parse(source);
    const bool named = std::any_of(
        parsed.diagnostics.begin(), parsed.diagnostics.end(), [](const gdl::Diagnostic& d) {
          return d.rule_id == "GD003" && d.message.find("UTF-16 or UTF-32") != std::string::npos;
        });
    CHECK(named == wide);
  }
  // JSON escapes spell the same keys: "\u0053tatement" is "Statement".
  CHECK(gdl::containers::looks_like_input("policy.json",
                                          R"({"Version": "2012-10-17", "\u0053tatement": []})"));
  CHECK(gdl::containers::looks_like_input(
      "policy.json", R"({"\u0056ersion": "2012-10-17", "\u0053\u0074\u0061tement": []})"));
  // Wide text that is not a policy is still skipped; so is a short binary file.
  CHECK_FALSE(gdl::containers::looks_like_input(
      "notes.json", widen("\xFF\xFE", 2, false, R"({"name": "build notes", "pages": 3})")));
  CHECK_FALSE(gdl::containers::looks_like_input("x.bin", std::string("\0\0\0\x01", 4)));
}

// A file is read as a policy when it names "statement" or "\"effect\"" in any case (a curly-quoted
// or pasted fragment), unless it is a JSON object none of whose top-level keys could be a
// policy's or a read container's. The search skips ahead (Horspool): it must agree with a plain
// scan on texts full of near misses and overlapping prefixes.
TEST_CASE("recognition: a policy word in any case, and nothing else") {
  const std::vector<std::pair<std::string, bool>> rows = {
      {"STATEMENT", true},
      {"x sTaTeMeNt", true},
      {"statestatement", true},
      {"ssstatementt", true},
      {"\xE2\x80\x9CStatement\xE2\x80\x9D: []", true},
      {"{\"EFFECT\": \"Allow\"}", true},
      {"statemen t", false},
      {"stat", false},
      {"", false},
      {"{\"name\": \"build notes\", \"pages\": 3}", false},
      {"\"effect \"", false},
      // This tool's own baseline and JSON or SARIF report quote policy words: no input.
      {"{\n  \"tool\": \"gd-export-lint\",\n  \"baselineVersion\": 1,\n  \"findings\": "
       "[{\"message\": "
       "\"Statement[0] ...\"}]}",
       false},
      {"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": "
       "[{\"tool\": "
       "{\"driver\": {\"name\": \"gd-export-lint\"}}, \"results\": [\"Statement\"]}]}",
       false},
      // JSON objects whose top level is no policy's, the word below it or in a string (a
      // real-world sweep: CDK's cdk.out/manifest.json and tree.json gave GD102 errors).
      {R"({"version": "36.0.0", "notes": "Minimize IAM policies by combining Statements"})", false},
      {R"({"name": "x", "version": "1.0.0", "description": "Statement"})", false},
      {R"({"version":"tree-0.1","tree":{"p":{"Statement":[{"Effect":"Allow"}]}}})", false},
      {R"({"version":"tree-0.1","tree":{"fqn":"aws-cdk-lib.aws_s3.CfnBucketPolicy",)"
       R"("type":"AWS::S3::BucketPolicy"}})",
       false},
      {R"({"RoleName": "r", "PolicyDocument": {"Statement": []}})", false},
      // A policy, misspelt, broken, curly-quoted, or a container that is read: still one.
      {R"({"Versoin": "2012-10-17", "Statements": []})", true},
      {R"({"statement": []})", true},
      {R"({"Id": "x", "Statement": [)", true},
      {"{\xE2\x80\x9CVersion\xE2\x80\x9D: 1, \xE2\x80\x9CStatement\xE2\x80\x9D: []}", true},
      {R"({"Resources": {"B": {"Type": "AWS::S3::BucketPolicy"}}})", true},
      {R"({"Policy": "{\"Statement\": []}"})", true},
      {R"([{"Effect": "Allow"}])", true},
  };
  for (const auto& row : rows) {
    CAPTURE(row.first);  // (not a structured binding: clang 14 cannot capture one)
    CHECK(gdl::containers::looks_like_input("notes.json", row.first) == row.second);
  }
  // Texts of pieces of the word (no quote, colon or marker of another format): the only way in is
  // the word itself, so the answer is a plain case-insensitive scan's.
  const std::vector<std::string_view> pieces = {"s",    "t",   "a",   "e",     "m",       "n",
                                                "x",    "st",  "sta", "state", "stateme", "tat",
                                                "ment", "men", "ent", "tement"};
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  int found = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const std::size_t count = next() % 12;
    for (std::size_t j = 0; j < count; ++j) text += pieces[next() % pieces.size()];
    for (char& c : text) {
      if (next() % 3 == 0) c = static_cast<char>(c & ~0x20);  // upper case, now and then
    }
    std::string folded = text;
    for (char& c : folded) c = static_cast<char>(c | 0x20);
    CAPTURE(text);
    const bool expected = folded.find("statement") != std::string::npos;
    found += expected ? 1 : 0;
    CHECK(gdl::containers::looks_like_input("notes.json", text) == expected);
  }
  CHECK(found > 100);  // the texts hold the word often enough to test both answers
}

// YAML as CloudFormation reads it: a template is one document, and a mapping's keys are unique.
// Both were resolved silently (the first document read, the last duplicate kept).
TEST_CASE("YAML: merge keys add the keys a mapping does not set, as sam and package read them") {
  // As PyYAML (the reader of `aws cloudformation package` and `sam`) resolves them.
  struct Row {
    const char* text;      // mapping A
    const char* expected;  // A's members, key=value in order
    bool refused = false;  // a GD007 error: the tools refuse the template
  };
  const std::vector<Row> rows = {
      {"b: &b {x: 1, y: 1}\nA:\n  <<: *b\n  y: 2\n", "y=2 x=1"},
      {"b: &b {x: 1}\nc: &c {x: 2, z: 3}\nA:\n  <<: [*b, *c]\n", "x=1 z=3"},
      {"b: &b {x: 1}\nA: {<<: [{x: 0}, *b], w: 4}\n", "w=4 x=0"},
      // Of two merge keys the later wins (of a list, the earlier).
      {"b: &b {x: 1}\nc: &c {x: 2}\nA:\n  <<: *b\n  <<: *c\n", "x=2"},
      // An anchor that merges is merged first, then merged again.
      {"b: &b {x: 1}\nc: &c {<<: *b, z: 3}\nA:\n  <<: *c\n", "z=3 x=1"},
      // A quoted or tagged << is a key like any other.
      {"A:\n  \"<<\": {x: 1}\n", "<<=?"},
      {"A:\n  !!str <<: {x: 1}\n", "<<=?"},
      // What is no mapping is refused (a short-form function, a scalar, null, a list of them).
      {"A:\n  <<: !Ref X\n  y: 1\n", "y=1", true},
      {"A:\n  <<: 5\n", "", true},
      {"A:\n  <<:\n", "", true},
      {"b: &b {x: 1}\nA:\n  <<: [*b, 5]\n", "", true},
      // A written one-key mapping is a mapping, whatever its key; an empty list merges nothing.
      {"c: &c {Condition: {Bool: {x: y}}}\nA:\n  <<: *c\n  y: 1\n", "y=1 Condition=?"},
      {"A:\n  <<: []\n  y: 1\n", "y=1"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    const gdl::SourceFile source("t.yaml", row.text);
    const gdl::containers::YamlResult result = gdl::containers::read_yaml(source);
    REQUIRE(result.root);
    const gdl::json::Member* a = result.root->find("A");
    REQUIRE(a != nullptr);
    std::vector<std::string> members;
    for (const gdl::json::Member& m : a->value.members)
      members.push_back(m.key + "=" + (m.value.is_object() ? "?" : m.value.text));
    CHECK(fmt::format("{}", fmt::join(members, " ")) == row.expected);
    const bool refused = std::any_of(
        result.diagnostics.begin(), result.diagnostics.end(),
        [](const auto& d) { return d.rule_id == "GD007" && d.severity == gdl::Severity::error; });
    CHECK(refused == row.refused);
  }
}

TEST_CASE("YAML: a second document and a repeated key are reported at their place") {
  struct Row {
    const char* name;
    std::string text;
    const char* rule;   // the one finding expected, or "" for none
    const char* where;  // line:column
  };
  const std::vector<Row> rows = {
      {"one document", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n", "", ""},
      {"explicit start and end", "---\nResources: {}\n...\n", "", ""},
      {"two documents", "Resources: {}\n---\nResources:\n  B: {}\n", "GD007", "2:1"},
      {"repeated key", "Statement:\n  - Effect: Allow\n    Effect: Deny\n", "GD002", "3:5"},
      {"repeated key in flow style", "A: {x: 1, y: 2, x: 3}\n", "GD002", "1:17"},
      {"same key in two mappings", "A: {x: 1}\nB: {x: 2}\n", "", ""},
      // Not a repeated key: merged (CloudFormation alone refuses aliases: a note).
      {"merge keys", "base: &b {x: 1}\nA:\n  <<: *b\n  <<: *b\n  y: 2\n", "GD007", "3:7"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const gdl::SourceFile source("t.yaml", row.text);
    const gdl::containers::YamlResult result = gdl::containers::read_yaml(source);
    REQUIRE(result.root);
    if (std::string_view(row.rule).empty()) {
      CHECK(result.diagnostics.empty());
      continue;
    }
    REQUIRE(result.diagnostics.size() == 1);
    const gdl::Diagnostic& d = result.diagnostics.front();
    CHECK(d.rule_id == row.rule);
    CHECK(fmt::format("{}:{}", d.location.start.line, d.location.start.column) == row.where);
  }
}

TEST_CASE("a rendered policy's interpolations are counted by value and named once each") {
  struct Row {
    const char* resources;  // the statement's Resource list
    const char* note;       // what -v says
  };
  const std::vector<Row> rows = {
      {R"(["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/*"])",
       "2 values hold a template's interpolation (${bucket})"},
      {R"(["arn:aws:s3:::${bucket}/${prefix}/${account}/*", "arn:aws:s3:::${bucket}"])",
       "2 values hold a template's interpolation (${bucket}, ${prefix}, ${account})"},
      {R"(["${a}", "${b}", "${c}", "${d}", "${a}"])",
       "5 values hold a template's interpolation (${a}, ${b}, ${c}, ...)"},
      // IAM's own policy variables are not a template's.
      {R"(["arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::${bucket}"])",
       "1 values hold a template's interpolation (${bucket})"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.resources);
    const gdl::SourceFile source(
        "p.json", fmt::format(R"({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
      "Principal": "*", "Action": "s3:GetObject", "Resource": {}}}]}})",
                              row.resources));
    const gdl::containers::Extraction ex = gdl::containers::extract(source);
    REQUIRE(ex.notes.size() == 1);
    CHECK_MESSAGE(ex.notes[0].find(row.note) != std::string::npos, ex.notes[0]);
  }
}

TEST_CASE("a plan's or .tf.json's policy of the configured bucket or key is the export's") {
  // Nothing in the file names GuardDuty, but the user said which bucket and key the export
  // uses: their policies are simulated, as in every other container (a plan read them as
  // grammar only, and hid that GuardDuty is allowed nothing).
  const std::string bucket_policy =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", )"
      R"("Resource": "arn:aws:s3:::acme-gd/*", "Principal": {"AWS": "arn:aws:iam::141421356237:root"}}]})";
  const std::string key_arn =
      "arn:aws:kms:us-east-1:141421356237:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const std::string key_policy =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", )"
      R"("Resource": "*", "Principal": {"AWS": "arn:aws:iam::141421356237:root"}}]})";
  using gdl::containers::escape_json_string;
  auto plan = [&](std::string_view type, std::string_view owner_key, std::string_view owner,
                  const std::string& policy) {
    return fmt::format(
        R"({{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [)"
        R"({{"address": "{0}.p", "mode": "managed", "type": "{0}", "name": "p", "values": )"
        R"({{"{1}": "{2}", "policy": "{3}"}}}}]}}}}}})",
        type, owner_key, owner, escape_json_string(policy));
  };
  auto tf_json = [&](std::string_view type, std::string_view owner_key, std::string_view owner,
                     const std::string& policy) {
    return fmt::format(R"({{"resource": {{"{}": {{"p": {{"{}": "{}", "policy": "{}"}}}}}}}})", type,
                       owner_key, owner, escape_json_string(policy));
  };
  const gdl::SourceFile config(
      "settings.json",
      fmt::format(R"({{"account": "141421356237", "regions": ["us-east-1"], "bucket": "acme-gd", )"
                  R"("kmsKeyArn": "{}"}})",
                  key_arn));
  const gdl::exportcfg::ExportSettings given = gdl::exportcfg::read_config(config).settings;
  struct Row {
    const char* what;
    std::string path;
    std::string text;
    const char* expected;  // the error with the export's settings
  };
  const Row rows[] = {
      {"plan, bucket", "plan.json",
       plan("aws_s3_bucket_policy", "bucket", "acme-gd", bucket_policy), "GD301"},
      {"tf.json, bucket", "main.tf.json",
       tf_json("aws_s3_bucket_policy", "bucket", "acme-gd", bucket_policy), "GD301"},
      {"plan, key", "plan.json", plan("aws_kms_key", "arn", key_arn, key_policy), "GD201"},
      {"tf.json, key policy", "main.tf.json",
       tf_json("aws_kms_key_policy", "key_id", key_arn, key_policy), "GD201"},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.what));
    const gdl::SourceFile file(row.path, row.text);
    auto error_ids = [&](const gdl::exportcfg::ExportSettings& settings) {
      std::set<std::string> ids;
      for (const gdl::Diagnostic& d : gdl::lint_setup({&file}, settings).diagnostics)
        if (d.severity == gdl::Severity::error) ids.insert(d.rule_id);
      return ids;
    };
    CHECK(error_ids(given).contains(row.expected));
    // Without settings, nothing says the policy is the export's: its grammar only.
    CHECK(error_ids({}).empty());
  }
}

TEST_CASE("a policy written as a YAML string is placed byte by byte, !Sub included") {
  // A literal block (and !Sub of one, each ${...} where its value went) or a one-line quoted
  // string maps every byte to where it is written; a folded scalar or ${!Literal} does not, and
  // its findings stay at the string's start.
  struct Row {
    const char* what;
    const char* value;  // PolicyDocument's value
    std::uint32_t line;
    std::uint32_t column;
  };
  const Row rows[] = {
      {"!Sub literal block",
       "!Sub |\n"
       "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Principal\": {\"AWS\":\n"
       "          \"arn:aws:iam::${AWS::AccountId}:root\"}, \"Effect\": \"allow\",\n"
       "          \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}\n",
       9, 61},
      {"literal block, stripped",
       "|-\n"
       "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Principal\": \"*\",\n"
       "          \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n",
       9, 21},
      {"single-quoted line",
       "'{\"Version\": \"2012-10-17\", \"Statement\": [{\"Principal\": \"*\", \"Effect\": "
       "\"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}'\n",
       7, 93},
      {"literal block, CRLF lines",
       "|-\r\n"
       "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Principal\": \"*\",\r\n"
       "          \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\r\n",
       9, 21},
      // An escape, or a CRLF line, under !Sub: the literal runs are not placed line by line.
      {"!Sub of a double-quoted line",
       "!Sub \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Principal\\\": "
       "\\\"*\\\", "
       "\\\"Effect\\\": \\\"allow\\\", \\\"Action\\\": \\\"s3:GetObject\\\", \\\"Resource\\\": "
       "\\\"arn:aws:s3:::${AWS::Region}/*\\\"}]}\"\n",
       7, 23},
      {"!Sub with ${!Literal}",
       "!Sub |\n"
       "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Principal\": \"*\", \"Sid\": "
       "\"${!x}\",\n"
       "          \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n",
       7, 23},
      {"folded block",
       ">\n"
       "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Principal\": \"*\",\n"
       "          \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n",
       7, 23},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.what));
    const gdl::SourceFile stack(
        "stack.yaml", std::string("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n"
                                  "    Type: AWS::S3::BucketPolicy\n    Properties:\n"
                                  "      Bucket: b\n      PolicyDocument: ") +
                          row.value);
    const auto diagnostics = gdl::lint_source(stack);
    const auto effect = std::find_if(diagnostics.begin(), diagnostics.end(),
                                     [](const gdl::Diagnostic& d) { return d.rule_id == "GD103"; });
    REQUIRE(effect != diagnostics.end());
    CHECK(effect->location.start.line == row.line);
    CHECK(effect->location.start.column == row.column);
  }
}

TEST_CASE("a stack checked in each Region: a finding every Region's stack has is one finding") {
  // The stack (the AWS guide's export written as one template: key, bucket, destination; its
  // HTTPS Deny left out) names its bucket after its Region (guardduty-findings-${AWS::Region}-
  // ...): each Region's stack lacks the same Deny, at the same place with the same fix. One
  // finding, told with ${AWS::Region}, however many Regions are given (it was one per Region).
  const gdl::SourceFile file("stack.yaml", R"(AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DetectorId:
    Type: String
    Default: 5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2
Resources:
  GuardDutyKey:
    Type: AWS::KMS::Key
    Properties:
      Description: KMS key for GuardDuty findings export
      EnableKeyRotation: true
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Allow GuardDuty To GenerateDataKey
            Effect: Allow
            Principal:
              Service: guardduty.amazonaws.com
            Action: kms:GenerateDataKey
            Resource: '*'
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                aws:SourceArn: !Sub arn:aws:guardduty:${AWS::Region}:${AWS::AccountId}:detector/${DetectorId}
          - Sid: Allow Root Account Access to KMS Key
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
            Action: '*'
            Resource: !Sub arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*
  FindingsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub guardduty-findings-${AWS::Region}-${AWS::AccountId}
  FindingsBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref FindingsBucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: Allow GetBucketLocation
            Effect: Allow
            Principal:
              Service: guardduty.amazonaws.com
            Action: s3:GetBucketLocation
            Resource: !GetAtt FindingsBucket.Arn
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                aws:SourceArn: !Sub arn:aws:guardduty:${AWS::Region}:${AWS::AccountId}:detector/${DetectorId}
          - Sid: Allow PutObject
            Effect: Allow
            Principal:
              Service: guardduty.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub ${FindingsBucket.Arn}/*
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                aws:SourceArn: !Sub arn:aws:guardduty:${AWS::Region}:${AWS::AccountId}:detector/${DetectorId}
          - Sid: Deny unencrypted object uploads
            Effect: Deny
            Principal:
              Service: guardduty.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub ${FindingsBucket.Arn}/*
            Condition:
              StringNotEquals:
                s3:x-amz-server-side-encryption: aws:kms
          - Sid: Deny incorrect encryption header
            Effect: Deny
            Principal:
              Service: guardduty.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub ${FindingsBucket.Arn}/*
            Condition:
              StringNotEquals:
                s3:x-amz-server-side-encryption-aws-kms-key-id: !GetAtt GuardDutyKey.Arn
  Destination:
    Type: AWS::GuardDuty::PublishingDestination
    DependsOn: FindingsBucketPolicy
    Properties:
      DetectorId: !Ref DetectorId
      DestinationType: S3
      DestinationProperties:
        DestinationArn: !GetAtt FindingsBucket.Arn
        KmsKeyArn: !GetAtt GuardDutyKey.Arn
)");
  auto findings = [&](std::vector<std::string> regions) {
    gdl::exportcfg::ExportSettings settings;
    settings.regions = std::move(regions);
    settings.regions_origin.kind = gdl::exportcfg::Origin::Kind::flag;
    std::vector<std::string> shown;
    for (const gdl::Diagnostic& d : gdl::lint_setup({&file}, settings).diagnostics) {
      if (d.rule_id == "GD307") shown.push_back(d.message);
    }
    return shown;
  };
  const std::vector<std::string> one = findings({"eu-west-1"});
  REQUIRE(one.size() == 1);
  CHECK(one.front().find("guardduty-findings-eu-west-1-") != std::string::npos);
  for (const auto& regions : {std::vector<std::string>{"eu-west-1", "us-east-1"},
                              std::vector<std::string>{"eu-west-1", "us-east-1", "ap-south-1"}}) {
    CAPTURE(regions.size());
    const std::vector<std::string> each = findings(regions);
    REQUIRE(each.size() == 1);
    CHECK(each.front().find("guardduty-findings-${AWS::Region}-") != std::string::npos);
  }
}
