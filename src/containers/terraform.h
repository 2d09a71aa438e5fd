#pragma once
// Terraform: plans and state from `terraform show -json` (policies are JSON strings in resource
// values), Terraform's JSON syntax, and `.tf` source read as a module with its values offline
// (aws_iam_policy_document, jsonencode(), templatefile(), file(), heredocs).

#include "containers/container.h"

namespace gdl::containers {

void read_terraform_plan(const json::Value& root, const SourceFile& source, bool repaired,
                         const Hints& hints, Extraction& out);

// The .tf files of one directory, read as one module (src/containers/terraform_module.h): the
// documents and settings of all of them, in one extraction.
Extraction read_terraform_module(const std::vector<const SourceFile*>& files, const Hints& hints);

// One .tf or .tf.json file as a module of its own (Terraform's JSON syntax is read into the
// native syntax's tree: containers/terraform_json_syntax.h).
Extraction read_terraform_source(const SourceFile& source, const Hints& hints);

}  // namespace gdl::containers
