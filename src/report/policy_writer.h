#pragma once
// Writes generated policies (export/generate.h) as users keep them: policy JSON files, a
// CloudFormation template, a Terraform file of aws_iam_policy_document data sources and the
// resources that use them.

#include <string>

#include "export/generate.h"

namespace gdl {

// One policy document as JSON, formatted as AWS's guide shows policies.
std::string policy_json(const exportcfg::GeneratedPolicy& policy);

// A template that creates the key (its policy cannot be set on an existing key) and the bucket
// policy of the named bucket; the bucket policy requires that key (!GetAtt).
std::string cloudformation_template(const exportcfg::GeneratedSetup& setup);

// Data sources for each policy, the key policy applied to the given key (aws_kms_key_policy) or
// a new key (aws_kms_key), the bucket policy (aws_s3_bucket_policy) and, when generated, the
// configurer's policy (aws_iam_policy).
std::string terraform_file(const exportcfg::GeneratedSetup& setup);

}  // namespace gdl
