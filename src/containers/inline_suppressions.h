#pragma once
// Suppressions written where the policy is, in containers that allow comments (CloudFormation
// YAML, Terraform): `# gd-export-lint: ignore GD303, GD304 -- why it is accepted` on the line of
// a finding or the line above it. A reason is required, as in the project configuration.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "source/source_file.h"

namespace gdl::containers {

// Marks the findings in `file` that an inline suppression covers (suppression_reason), and adds
// a GD004 warning for each suppression comment without a reason (which then suppresses nothing).
// Only files whose syntax has comments (.yaml, .yml, .template, .tf) are read.
void apply_inline_suppressions(const SourceFile& file, std::vector<Diagnostic>& diagnostics);

}  // namespace gdl::containers
