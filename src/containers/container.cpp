#include "containers/container.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <functional>
#include <map>

#include "containers/cloudformation.h"
#include "containers/json_string.h"
#include "containers/terraform.h"
#include "containers/terraform_json_syntax.h"
#include "containers/yaml_reader.h"
#include "diag/rule_catalog.h"
#include "json/parser.h"
#include "util/text.h"

namespace gdl::containers {

std::string_view to_string(Format format) {
  switch (format) {
    case Format::policy:
      return "policy";
    case Format::cli_policy:
      return "AWS CLI policy output";
    case Format::publishing_destination:
      return "describe-publishing-destination output";
    case Format::cloudformation:
      return "CloudFormation template";
    case Format::terraform_plan:
      return "Terraform plan";
    case Format::terraform_source:
      return "Terraform source";
  }
  return "file";
}

namespace {

// Whether `text` holds `needle`. glibc's memmem: the markers looked for start with '"', the most
// common byte of JSON, which makes find()'s memchr stop at every string, and every scanned file
// is tested for several markers. memmem skips by pairs of bytes: a policy file is searched 3.5x
// faster than with std::boyer_moore_horspool_searcher, whose every step is a mispredicted branch
// (4.4% of a scan's time when it was used).
bool contains(std::string_view text, std::string_view needle) {
  return memmem(text.data(), text.size(), needle.data(), needle.size()) != nullptr;
}

// Whether `text` holds `lower_word` in any case: a byte matches when (byte | 0x20) is the word's
// (ASCII letters and '"' compare alike). Horspool over the folded bytes, as contains() does: an
// unrelated JSON file is searched whole, twice, before it is skipped.
bool contains_icase(std::string_view text, std::string_view lower_word) {
  const std::size_t m = lower_word.size();
  if (m == 0 || text.size() < m) return false;
  std::array<std::size_t, 256> skip{};
  skip.fill(m);
  for (std::size_t j = 0; j + 1 < m; ++j) {
    // Both bytes that fold to the word's (a letter's two cases) shift alike; a later position
    // of the word overwrites an earlier one (the smaller shift).
    const auto c = static_cast<unsigned char>(lower_word[j]);
    skip[c] = m - 1 - j;
    skip[c & 0xDFU] = m - 1 - j;
  }
  for (std::size_t at = 0; at + m <= text.size();
       at += skip[static_cast<unsigned char>(text[at + m - 1])]) {
    std::size_t j = m;
    while (j > 0 && (text[at + j - 1] | 0x20) == lower_word[j - 1]) --j;
    if (j == 0) return true;
  }
  return false;
}

// The first character that is not whitespace, a byte-order mark or a YAML/HCL comment line.
char first_significant(std::string_view text) {
  std::size_t i = 0;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      return c;
    }
  }
  return '\0';
}

bool is_terraform_source(std::string_view path, std::string_view text) {
  return iends_with(path, ".tf") && first_significant(text) != '{';
}

// YAML by name, or (stdin, .template) by content: JSON always starts with '{' or '['.
bool is_yaml(std::string_view path, std::string_view text) {
  const char first = first_significant(text);
  if (first == '{' || first == '[' || first == '\0') return false;
  if (iends_with(path, ".yaml") || iends_with(path, ".yml")) return true;
  return text.find("AWSTemplateFormatVersion") != std::string_view::npos ||
         text.find("\nResources:") != std::string_view::npos || text.starts_with("Resources:");
}

bool is_cli_policy(const json::Value& root) {
  const json::Member* policy = root.find("Policy");
  return policy != nullptr && policy->value.is_string() && root.find("Statement") == nullptr;
}

bool is_terraform_plan(const json::Value& root) {
  return root.find("format_version") != nullptr &&
         (root.find("planned_values") != nullptr || root.find("values") != nullptr ||
          root.find("resource_changes") != nullptr || root.find("prior_state") != nullptr);
}

// Strings of a bare policy that hold a template's interpolation (a Terraform templatefile or a
// CDK/Jinja-rendered file: "arn:aws:s3:::${guardduty_bucket}/*"): values unknown offline.
void find_interpolations(const json::Value& root, std::vector<Span>& spans,
                         std::vector<std::string>& names) {
  std::map<std::string, std::size_t, std::less<>> first_at;  // each name, where it first is
  json::for_each_value(root, [&](const json::Value& v) {
    if (!v.is_string()) return;
    const std::string& text = v.text;
    bool holds = false;
    for (std::size_t open = text.find("${"); open != std::string::npos;
         open = text.find("${", open + 2)) {
      const std::size_t close = text.find('}', open);
      if (close == std::string::npos) break;
      const std::string_view inner = std::string_view(text).substr(open + 2, close - open - 2);
      if (is_policy_variable(inner)) continue;
      holds = true;
      // Where it is written (close enough: an escape before it shifts it a little).
      const std::size_t at = v.span.begin + open;
      auto [it, added] = first_at.try_emplace(text.substr(open, close - open + 1), at);
      if (!added) it->second = std::min(it->second, at);
    }
    if (holds) spans.push_back(v.span);
  });
  // Named in the order they are written, each once; past three, the rest as "...".
  std::vector<std::pair<std::size_t, std::string_view>> order;
  for (const auto& [name, at] : first_at) order.emplace_back(at, name);
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size() && i < 4; ++i)
    names.emplace_back(i < 3 ? std::string(order[i].second) : std::string("..."));
}

}  // namespace

bool is_cloudformation(const json::Value& root) {
  const json::Member* resources = root.find("Resources");
  if (resources == nullptr || !resources->value.is_object()) return false;
  if (root.find("AWSTemplateFormatVersion") != nullptr) return true;
  return std::any_of(
      resources->value.members.begin(), resources->value.members.end(), [](const json::Member& m) {
        const json::Member* type = m.value.find("Type");
        return type != nullptr && type->value.is_string() && type->value.text.starts_with("AWS::");
      });
}

void read_destination_settings(const json::Value& object, const SourceFile& source, Extraction& out,
                               std::string_view rule_id) {
  exportcfg::ConfigResult config;
  exportcfg::read_settings_object(object, source, config);
  for (Diagnostic& d : config.diagnostics) {
    if (d.rule_id != rule_id) d = make_diagnostic(rule_id, d.location, d.message);
    out.diagnostics.push_back(std::move(d));
  }
  exportcfg::merge_settings(out.settings, config.settings);
  out.has_settings = true;
}

EmbeddedDocument document_in_string(const SourceFile& container, Span quoted, std::string label,
                                    std::optional<documents::Kind> kind, bool simulate) {
  EmbeddedDocument doc;
  doc.label = std::move(label);
  doc.kind = kind;
  doc.decoded = decode_json_string(container, quoted, container.path());
  doc.source = doc.decoded.get();
  doc.needs_parse = true;
  doc.simulate = simulate;
  return doc;
}

bool is_terraform_module_file(const SourceFile& source) {
  return is_terraform_source(source.path(), source.text()) || tf::is_json_syntax_module(source);
}

Extraction extract_module(const std::vector<const SourceFile*>& files, const Hints& hints) {
  return read_terraform_module(files, hints);
}

Extraction extract(const SourceFile& source, const Hints& hints) {
  const std::string_view text = source.text();
  if (is_terraform_module_file(source)) return read_terraform_source(source, hints);
  if (is_yaml(source.path(), text)) return read_cloudformation_yaml(source, hints);

  json::ParseResult parsed = json::parse(source);
  // A YAML file in flow style ({AWSTemplateFormatVersion: ..., Resources: {...}}) starts like
  // JSON but is YAML: read as JSON it is all syntax errors. As `aws cloudformation package`
  // does, JSON first, then YAML.
  if (parsed.recovered &&
      (iends_with(source.path(), ".yaml") || iends_with(source.path(), ".yml") ||
       iends_with(source.path(), ".template"))) {
    const YamlResult yaml = read_yaml(source);
    if (yaml.root && !yaml.repaired) return read_cloudformation_yaml(source, hints);
  }
  Extraction out;
  out.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.root) return out;
  json::Value& root = *parsed.root;
  if (root.is_object()) {
    if (is_cli_policy(root)) {
      // `aws s3api get-bucket-policy` / `aws kms get-key-policy`: the policy is a JSON string.
      out.format = Format::cli_policy;
      out.documents.push_back(document_in_string(source, root.find("Policy")->value.span, "Policy",
                                                 std::nullopt, !parsed.recovered));
      return out;
    }
    if (root.find("DestinationProperties") != nullptr) {
      out.format = Format::publishing_destination;
      read_destination_settings(root, source, out, "GD004");
      return out;
    }
    if (is_cloudformation(root)) {
      read_cloudformation(root, source, Quoting::verbatim, parsed.recovered, hints, out);
      return out;
    }
    if (is_terraform_plan(root)) {
      read_terraform_plan(root, source, parsed.recovered, hints, out);
      return out;
    }
  }
  EmbeddedDocument doc;
  std::vector<std::string> names;
  find_interpolations(root, doc.unknown_spans, names);
  if (!doc.unknown_spans.empty()) {
    out.notes.push_back(fmt::format(
        "{}: {} values hold a template's interpolation ({}): they are unknown offline, and no "
        "conclusion rests on them",
        source.path(), doc.unknown_spans.size(), fmt::join(names, ", ")));
  }
  doc.tree = std::move(root);
  doc.source = &source;
  doc.simulate = !parsed.recovered;
  out.documents.push_back(std::move(doc));
  return out;
}

bool is_yaml_or_terraform_name(std::string_view path) {
  return iends_with(path, ".yaml") || iends_with(path, ".yml") || iends_with(path, ".template") ||
         iends_with(path, ".tf");
}

bool stands_alone(std::string_view path, std::string_view text) {
  // A module's file, whatever text it holds (a local may hold a template's object).
  if (is_terraform_source(path, text) || tf::is_json_syntax_module(path, text)) return false;
  if (is_yaml(path, text)) return true;
  // JSON templates and plans, by the members only they have.
  if (contains(text, "\"AWSTemplateFormatVersion\"")) return true;
  if (contains(text, "\"Resources\"") && contains(text, "\"AWS::")) return true;
  return contains(text, "\"format_version\"") &&
         (contains(text, "\"planned_values\"") || contains(text, "\"values\"") ||
          contains(text, "\"resource_changes\""));
}

bool is_program_source(std::string_view path) {
  for (const std::string_view ext :
       {".ts", ".tsx", ".js", ".mjs", ".py", ".java", ".cs", ".go", ".kt", ".rb"}) {
    if (iends_with(path, ext)) return true;
  }
  return false;
}

namespace {

// A root module that only calls local modules (`source = "./modules/s3"`, passing a policy or
// the bucket's name) is where those modules get their values: it is read, and them with it.
bool calls_local_module(std::string_view text) {
  for (std::size_t at = text.find("source"); at != std::string_view::npos;
       at = text.find("source", at + 1)) {
    // `source = "./x"`, or `"source": "./x"` in Terraform's JSON syntax.
    std::size_t i = at + 6;
    const bool quoted = i < text.size() && text[i] == '"' && at > 0 && text[at - 1] == '"';
    i = text.find_first_not_of(" \t\r\n", quoted ? i + 1 : i);
    if (i == std::string_view::npos || text[i] != (quoted ? ':' : '=')) continue;
    i = text.find_first_not_of(" \t\r\n", i + 1);
    if (i == std::string_view::npos) break;
    const std::string_view value = text.substr(i);
    if (value.starts_with("\"./") || value.starts_with("\"../") ||
        (quoted && (value.starts_with("\".\\/") || value.starts_with("\"..\\/"))))
      return true;  // JSON may escape the slash: ".\/modules/s3"
  }
  return false;
}

}  // namespace

// A file saved as UTF-16 or UTF-32 (a BOM, or NUL bytes between its ASCII characters, as
// Windows tools write): its ASCII characters without the NULs, to be recognized like any other
// (it is then reported as not UTF-8), or empty when the file is not one.
static std::string wide_as_ascii(std::string_view text) {
  if (!looks_wide(text)) return {};
  std::string ascii;
  for (const char c : text.substr(0, 1 << 20)) {
    if (c != '\0' && static_cast<unsigned char>(c) < 0x80) ascii += c;  // no BOM bytes
  }
  return ascii;
}

static bool looks_like_utf8_input(std::string_view path, std::string_view text);

bool looks_like_input(std::string_view path, std::string_view text) {
  // Program source (a CDK stack) writes policies as code, not as JSON: never read as a policy.
  if (is_program_source(path)) return false;
  // This tool's own output kept beside the policies (a baseline, a JSON or SARIF report) quotes
  // policy words in its messages, and is no input: it starts by naming the tool.
  // (One search for a word that starts with a rare letter: a search for a quote stops at every
  // quote of a JSON file, and this runs on every scanned file.)
  const std::string_view head = text.substr(0, 256);
  if (const std::size_t at = head.find("gd-export-lint\"");
      at != std::string_view::npos && at >= 9) {
    const std::string_view before = head.substr(at - 9, 9);
    if (before == "\"tool\": \"" || before == "\"name\": \"") return false;
  }
  if (const std::string ascii = wide_as_ascii(text); !ascii.empty())
    return looks_like_utf8_input(path, ascii);
  if (looks_like_utf8_input(path, text)) return true;
  // JSON may spell any character as an escape ("\u0053tatement" is "Statement"): read the ASCII
  // ones as what they stand for.
  if (text.find("\\u00") == std::string_view::npos) return false;
  std::string plain;
  plain.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text.substr(i, 4) == "\\u00" && i + 6 <= text.size() &&
        std::from_chars(text.data() + i + 4, text.data() + i + 6, value, 16).ptr ==
            text.data() + i + 6 &&
        value > 0 && value < 0x80) {
      plain += static_cast<char>(value);
      i += 5;
      continue;
    }
    plain += text[i];
  }
  return looks_like_utf8_input(path, plain);
}

// Whether a JSON object's key could be a policy's or a statement's element, as written or
// misspelt ("Statment", "statement"): "Version" only as a policy spells it (package.json and
// CDK's manifest.json have a "version").
static bool policy_like_key(std::string_view key) {
  // Or a container's that is read (is_cloudformation, is_terraform_plan, is_cli_policy,
  // publishing-destination output).
  static constexpr std::array<std::string_view, 7> kContainers = {"Version",
                                                                  "Id",
                                                                  "Resources",
                                                                  "AWSTemplateFormatVersion",
                                                                  "Policy",
                                                                  "format_version",
                                                                  "DestinationProperties"};
  if (std::find(kContainers.begin(), kContainers.end(), key) != kContainers.end()) return true;
  std::string letters;
  for (const char c : key.substr(0, 40)) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0)
      letters += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  static constexpr std::array<std::string_view, 10> kElements = {
      "statement", "sid",       "effect",   "principal",   "notprincipal",
      "action",    "notaction", "resource", "notresource", "condition"};
  return std::any_of(kElements.begin(), kElements.end(), [&](std::string_view element) {
    return letters == element || (element.size() >= 6 && edit_distance(letters, element) <= 2);
  });
}

// False only for a JSON object whose top-level keys are read and none could be a policy's
// (CDK's tree.json holds policies below its "tree", a role's --cli-input-json below
// "AssumeRolePolicyDocument"; a package.json's description may say "statement"): the words
// that made it look like a policy are elsewhere in it. Anything else may be a policy (an array,
// a fragment, quotes a word processor curled): true.
static bool top_level_may_be_policy(std::string_view text) {
  std::size_t i = 0;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
  if (i == text.size() || text[i] != '{') return true;
  int depth = 0;
  std::size_t keys = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) break;
    } else if (c == '"') {
      const std::size_t begin = i + 1;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i >= text.size()) return true;  // an unclosed string: not read
      if (depth != 1) continue;
      std::size_t after = i + 1;
      while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after])) != 0)
        ++after;
      if (after < text.size() && text[after] == ':') {
        ++keys;
        if (policy_like_key(text.substr(begin, i - begin))) return true;
      }
    }
  }
  return keys == 0 || depth != 0;  // unbalanced: not read whole
}

static bool looks_like_utf8_input(std::string_view path, std::string_view text) {
  // A policy whose quotes a word processor curled, or a fragment pasted from a guide, is still
  // a policy with a syntax error: it is checked, not skipped.
  if ((contains(text, "\"Statement\"") ||
       (!iends_with(path, ".tf") &&
        (contains_icase(text, "statement") || contains_icase(text, "\"effect\"")))) &&
      top_level_may_be_policy(text))
    return true;
  if ((iends_with(path, ".yaml") || iends_with(path, ".yml")) && contains(text, "Statement:"))
    return true;
  // A module file that writes a policy or the export, or calls a local module (its other files
  // are read with it), in either of Terraform's syntaxes; only a Terraform file is searched for
  // them (every scanned file comes here).
  const bool native = iends_with(path, ".tf");
  if (native || tf::is_json_syntax_file(path)) {
    const bool module_file =
        contains(text, "aws_s3_bucket_policy") || contains(text, "aws_kms_key") ||
        contains(text, "aws_guardduty") || contains(text, "aws_iam_policy_document") ||
        (contains(text, "aws_s3_bucket") && contains(text, "policy")) || calls_local_module(text);
    if (native || module_file) return module_file;
  }
  // Templates and plans: only those that mention a resource we read, and whose top level is a
  // container's (CDK's tree.json names the resource types of the templates beside it).
  return (contains(text, "AWS::S3::BucketPolicy") || contains(text, "AWS::KMS::Key") ||
          contains(text, "AWS::GuardDuty::") || contains(text, "aws_s3_bucket_policy") ||
          contains(text, "aws_kms_key") || contains(text, "aws_guardduty_publishing_destination") ||
          contains(text, "\"DestinationProperties\"") ||
          contains(text, "Statement\\\"")) &&  // a policy held in a string
         (tf::is_json_syntax_file(path) || top_level_may_be_policy(text));
}

// An ARN's six fields (arn, partition, service, Region, account, resource); fewer when it is
// not one. The resource keeps its own colons.
std::vector<std::string_view> split_arn_fields(std::string_view arn) {
  std::vector<std::string_view> fields;
  while (fields.size() < 5) {
    const std::size_t colon = arn.find(':');
    if (colon == std::string_view::npos) break;
    fields.push_back(arn.substr(0, colon));
    arn.remove_prefix(colon + 1);
  }
  fields.push_back(arn);
  return fields;
}

}  // namespace gdl::containers
