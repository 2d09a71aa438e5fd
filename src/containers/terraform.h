#pragma once
// Terraform: plans and state from `terraform show -json` (policies are JSON strings in resource
// values), and `.tf` source where a policy is plain JSON in a heredoc or a quoted string.
// Policies built with interpolation, jsonencode() or a data source are not plain JSON: they are
// noted (--verbose), not guessed at; check the plan for those.

#include "containers/container.h"

namespace gdl::containers {

void read_terraform_plan(const json::Value& root, const SourceFile& source, bool repaired,
                         Extraction& out);

Extraction read_terraform_source(const SourceFile& source);

// Terraform's JSON syntax (`.tf.json`): {"resource": {"aws_s3_bucket_policy": {"name":
// {"policy": "<policy as a JSON string>"}}}}. Strings with interpolation are noted, not read.
void read_terraform_json(const json::Value& root, const SourceFile& source, bool repaired,
                         Extraction& out);

}  // namespace gdl::containers
