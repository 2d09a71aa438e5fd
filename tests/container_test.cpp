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

#include "containers/json_string.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "rules/engine.h"
#include "test_support.h"

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
  return out;
}

std::vector<std::string> findings(const std::vector<gdl::Diagnostic>& diagnostics,
                                  const std::function<std::size_t(std::size_t)>& to_outer,
                                  bool with_size) {
  std::vector<std::string> out;
  for (const gdl::Diagnostic& d : diagnostics) {
    if (d.rule_id == "GD006" && !with_size) continue;
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
      CHECK(findings(
                gdl::lint_source(container), [](std::size_t o) { return o; }, sized) ==
            findings(bare_diagnostics, w.to_outer, sized));
      ++compared;
    }
  }
  MESSAGE(compared << " container documents compared");
}
