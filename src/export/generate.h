#pragma once
// The policies an export needs, as the guide writes them, for given settings: the key policy,
// the bucket policy with the guide's hardening, and the configurer's identity policy. One model,
// written out by report/policy_writer.h as JSON, CloudFormation or Terraform. A value nobody gave
// is a placeholder (<BUCKET>) and listed, never a guess.

#include <optional>
#include <string>
#include <vector>

#include "export/settings.h"

namespace gdl::exportcfg {

struct GeneratedCondition {
  std::string op;   // "StringEquals"
  std::string key;  // "aws:SourceAccount"
  std::vector<std::string> values;
};

struct GeneratedStatement {
  std::string sid;
  bool allow = true;
  // "Service", "AWS", "*" (everyone), or empty for an identity policy (no Principal).
  std::string principal_type;
  std::vector<std::string> principals;
  std::vector<std::string> actions;
  std::vector<std::string> resources;
  std::vector<GeneratedCondition> conditions;
};

struct GeneratedPolicy {
  std::string name;  // "key-policy", "bucket-policy", "configurer-policy"
  std::vector<GeneratedStatement> statements;
};

// A value written as a placeholder, and how to give it.
struct Placeholder {
  std::string text;  // "<KEY_ARN>"
  std::string flag;  // "--key-arn"
};

struct GeneratedSetup {
  GeneratedPolicy key_policy;
  GeneratedPolicy bucket_policy;
  std::optional<GeneratedPolicy> configurer_policy;
  std::string bucket;   // the bucket's name, or its placeholder
  std::string key_arn;  // the key's ARN, or its placeholder
  bool key_given = false;
  std::vector<Placeholder> placeholders;
};

GeneratedSetup generate_setup(const ExportSettings& settings, bool configurer_policy);

}  // namespace gdl::exportcfg
