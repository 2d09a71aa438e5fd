#include "report/policy_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "util/text.h"

namespace gdl {

namespace {

using exportcfg::GeneratedCondition;
using exportcfg::GeneratedPolicy;
using exportcfg::GeneratedSetup;
using exportcfg::GeneratedStatement;

// A JSON string literal (also a YAML double-quoted scalar, and an HCL string without "${").
std::string quoted(std::string_view text) {
  return '"' + escape_json_string(text) + '"';
}

// The key-id the bucket requires: a literal ARN, or a reference to the key the file creates.
struct KeyReference {
  std::string literal;  // used when `symbol` is empty
  std::string symbol;   // written as is (an HCL reference, a YAML !GetAtt)
};

// An HCL string: "${" and "%{" start templates, so they are escaped as "$${" and "%%{".
std::string hcl_quoted(std::string_view text) {
  return escape_hcl_templates(quoted(text));
}

bool is_key_id_value(const GeneratedCondition& c) {
  return c.key == "s3:x-amz-server-side-encryption-aws-kms-key-id";
}

// ---- JSON and YAML share one shape: a small tree of maps, lists and scalars. ----

struct Field;

// (No std::pair<std::string, Node> inside Node: a pair of an incomplete type does not compile
// with clang's standard library checks.)
struct Node {
  enum class Kind { scalar, raw, list, map } kind = Kind::scalar;
  std::string text;           // scalar (unquoted) or raw text
  std::vector<Field> fields;  // map
  std::vector<Node> items;    // list
};

struct Field {
  std::string first;  // the key
  Node second;        // its value
};

Node scalar(std::string text) {
  return {Node::Kind::scalar, std::move(text), {}, {}};
}

Node one_or_list(const std::vector<std::string>& values) {
  if (values.size() == 1) return scalar(values.front());
  Node list{Node::Kind::list, {}, {}, {}};
  for (const std::string& v : values) list.items.push_back(scalar(v));
  return list;
}

Node policy_node(const GeneratedPolicy& policy, const KeyReference& key) {
  Node root{Node::Kind::map, {}, {}, {}};
  root.fields.push_back({"Version", scalar("2012-10-17")});
  Node statements{Node::Kind::list, {}, {}, {}};
  for (const GeneratedStatement& s : policy.statements) {
    Node st{Node::Kind::map, {}, {}, {}};
    st.fields.push_back({"Sid", scalar(s.sid)});
    st.fields.push_back({"Effect", scalar(s.allow ? "Allow" : "Deny")});
    if (s.principal_type == "*") {
      st.fields.push_back({"Principal", scalar("*")});
    } else if (!s.principal_type.empty()) {
      Node principal{Node::Kind::map, {}, {}, {}};
      principal.fields.push_back({s.principal_type, one_or_list(s.principals)});
      st.fields.push_back({"Principal", std::move(principal)});
    }
    st.fields.push_back({"Action", one_or_list(s.actions)});
    st.fields.push_back({"Resource", one_or_list(s.resources)});
    if (!s.conditions.empty()) {
      Node condition{Node::Kind::map, {}, {}, {}};
      for (const GeneratedCondition& c : s.conditions) {
        auto block = std::find_if(condition.fields.begin(), condition.fields.end(),
                                  [&](const auto& f) { return f.first == c.op; });
        if (block == condition.fields.end()) {
          condition.fields.push_back({c.op, Node{Node::Kind::map, {}, {}, {}}});
          block = condition.fields.end() - 1;
        }
        Node value = one_or_list(c.values);
        if (is_key_id_value(c) && !key.symbol.empty())
          value = {Node::Kind::raw, key.symbol, {}, {}};
        block->second.fields.push_back({c.key, std::move(value)});
      }
      st.fields.push_back({"Condition", std::move(condition)});
    }
    statements.items.push_back(std::move(st));
  }
  root.fields.push_back({"Statement", std::move(statements)});
  return root;
}

void write_json(const Node& node, std::size_t indent, std::string& out) {
  const std::string pad(indent, ' ');
  const std::string inner(indent + 2, ' ');
  switch (node.kind) {
    case Node::Kind::scalar:
      out += quoted(node.text);
      return;
    case Node::Kind::raw:
      out += node.text;
      return;
    case Node::Kind::list:
      out += "[\n";
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        out += inner;
        write_json(node.items[i], indent + 2, out);
        out += i + 1 < node.items.size() ? ",\n" : "\n";
      }
      out += pad + "]";
      return;
    case Node::Kind::map:
      out += "{\n";
      for (std::size_t i = 0; i < node.fields.size(); ++i) {
        out += inner + quoted(node.fields[i].first) + ": ";
        write_json(node.fields[i].second, indent + 2, out);
        out += i + 1 < node.fields.size() ? ",\n" : "\n";
      }
      out += pad + "}";
      return;
  }
}

// Block YAML; scalars double-quoted (JSON escapes are YAML's too).
void write_yaml_value(const Node& node, std::size_t indent, std::string& out);

void write_yaml_map(const Node& node, std::size_t indent, std::string& out, bool first_inline) {
  for (std::size_t i = 0; i < node.fields.size(); ++i) {
    if (i > 0 || !first_inline) out += std::string(indent, ' ');
    out += node.fields[i].first + ":";
    write_yaml_value(node.fields[i].second, indent + 2, out);
  }
}

void write_yaml_value(const Node& node, std::size_t indent, std::string& out) {
  switch (node.kind) {
    case Node::Kind::scalar:
      out += " " + quoted(node.text) + "\n";
      return;
    case Node::Kind::raw:
      out += " " + node.text + "\n";
      return;
    case Node::Kind::list:
      out += "\n";
      for (const Node& item : node.items) {
        out += std::string(indent, ' ') + "-";
        if (item.kind == Node::Kind::map) {
          out += " ";
          write_yaml_map(item, indent + 2, out, true);
        } else {
          write_yaml_value(item, indent + 2, out);
        }
      }
      return;
    case Node::Kind::map:
      out += "\n";
      write_yaml_map(node, indent, out, false);
      return;
  }
}

// ---- Terraform ----

std::string hcl_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i > 0 ? ", " : "") + hcl_quoted(values[i]);
  return out + "]";
}

std::string policy_document_hcl(const GeneratedPolicy& policy, std::string_view name,
                                const KeyReference& key) {
  std::string out = fmt::format("data \"aws_iam_policy_document\" \"{}\" {{\n", name);
  for (const GeneratedStatement& s : policy.statements) {
    out += "  statement {\n";
    out += fmt::format("    sid       = {}\n", hcl_quoted(s.sid));
    out += fmt::format("    effect    = {}\n", hcl_quoted(s.allow ? "Allow" : "Deny"));
    out += fmt::format("    actions   = {}\n", hcl_list(s.actions));
    out += fmt::format("    resources = {}\n", hcl_list(s.resources));
    if (!s.principal_type.empty()) {
      const bool everyone = s.principal_type == "*";
      out += "\n    principals {\n";
      out += fmt::format("      type        = {}\n", hcl_quoted(s.principal_type));
      out += fmt::format("      identifiers = {}\n",
                         hcl_list(everyone ? std::vector<std::string>{"*"} : s.principals));
      out += "    }\n";
    }
    for (const GeneratedCondition& c : s.conditions) {
      out += "\n    condition {\n";
      out += fmt::format("      test     = {}\n", hcl_quoted(c.op));
      out += fmt::format("      variable = {}\n", hcl_quoted(c.key));
      out += fmt::format("      values   = {}\n", is_key_id_value(c) && !key.symbol.empty()
                                                      ? "[" + key.symbol + "]"
                                                      : hcl_list(c.values));
      out += "    }\n";
    }
    out += "  }\n";
  }
  return out + "}\n";
}

}  // namespace

std::string policy_json(const GeneratedPolicy& policy) {
  std::string out;
  write_json(policy_node(policy, {}), 0, out);
  return out + "\n";
}

std::string cloudformation_template(const GeneratedSetup& setup) {
  const KeyReference key{{}, "!GetAtt FindingsKey.Arn"};
  std::string out =
      "AWSTemplateFormatVersion: \"2010-09-09\"\n"
      "Description: \"GuardDuty findings exported to S3, encrypted with a KMS key (written by "
      "gd-export-lint init)\"\n"
      "Resources:\n"
      "  FindingsKey:\n"
      "    Type: \"AWS::KMS::Key\"\n"
      "    Properties:\n"
      "      Description: \"Encrypts the GuardDuty findings exported to S3\"\n"
      "      EnableKeyRotation: true\n"
      "      KeyPolicy:";
  write_yaml_value(policy_node(setup.key_policy, key), 8, out);
  out +=
      "  FindingsBucketPolicy:\n"
      "    Type: \"AWS::S3::BucketPolicy\"\n"
      "    Properties:\n"
      "      Bucket: " +
      quoted(setup.bucket) +
      "\n"
      "      PolicyDocument:";
  write_yaml_value(policy_node(setup.bucket_policy, key), 8, out);
  if (setup.configurer_policy) {
    out +=
        "  FindingsExportConfigurerPolicy:\n"
        "    Type: \"AWS::IAM::ManagedPolicy\"\n"
        "    Properties:\n"
        "      Description: \"What whoever sets up the GuardDuty export needs\"\n"
        "      PolicyDocument:";
    write_yaml_value(policy_node(*setup.configurer_policy, key), 8, out);
  }
  out +=
      "Outputs:\n"
      "  FindingsKeyArn:\n"
      "    Description: \"The key to give GuardDuty's publishing destination\"\n"
      "    Value: !GetAtt FindingsKey.Arn\n";
  return out;
}

std::string terraform_file(const GeneratedSetup& setup) {
  const KeyReference key{{}, setup.key_given ? "" : "aws_kms_key.guardduty_findings.arn"};
  std::string out =
      "# GuardDuty findings exported to S3, encrypted with a KMS key (written by gd-export-lint "
      "init).\n\n";
  out += policy_document_hcl(setup.key_policy, "guardduty_findings_key", key) + "\n";
  if (setup.key_given) {
    out += fmt::format(
        "resource \"aws_kms_key_policy\" \"guardduty_findings\" {{\n"
        "  key_id = {}\n"
        "  policy = data.aws_iam_policy_document.guardduty_findings_key.json\n"
        "}}\n\n",
        hcl_quoted(setup.key_arn));
  } else {
    out +=
        "resource \"aws_kms_key\" \"guardduty_findings\" {\n"
        "  description         = \"Encrypts the GuardDuty findings exported to S3\"\n"
        "  enable_key_rotation = true\n"
        "  policy              = data.aws_iam_policy_document.guardduty_findings_key.json\n"
        "}\n\n";
  }
  out += policy_document_hcl(setup.bucket_policy, "guardduty_findings_bucket", key) + "\n";
  out += fmt::format(
      "resource \"aws_s3_bucket_policy\" \"guardduty_findings\" {{\n"
      "  bucket = {}\n"
      "  policy = data.aws_iam_policy_document.guardduty_findings_bucket.json\n"
      "}}\n",
      hcl_quoted(setup.bucket));
  if (setup.configurer_policy) {
    out += "\n" +
           policy_document_hcl(*setup.configurer_policy, "guardduty_findings_configurer", key) +
           "\n"
           "resource \"aws_iam_policy\" \"guardduty_findings_configurer\" {\n"
           "  name   = \"GuardDutyFindingsExportConfigurer\"\n"
           "  policy = data.aws_iam_policy_document.guardduty_findings_configurer.json\n"
           "}\n";
  }
  return out;
}

}  // namespace gdl
