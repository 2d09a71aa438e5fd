#pragma once
// Suggestions for a policy written as Terraform blocks (data "aws_iam_policy_document"): the
// JSON a fix would insert or write, rendered as the blocks and arguments that build it, so a
// user can paste it into the data source.

#include <optional>
#include <string>
#include <string_view>

namespace gdl::containers {

// `fragment` is what a fix writes into a JSON policy: a statement object (`, {"Sid": ...}`), a
// statement's member (`, "Condition": {...}`), a Principal object (`{"Service": [...]}`) or a
// list of values. Returns it as HCL (statement, principals and condition blocks; a list as a
// list), each line after the first indented by `indent`; nullopt for anything else.
std::optional<std::string> policy_fragment_as_blocks(std::string_view fragment,
                                                     std::string_view indent);

// Whether `text` is an HCL expression written only with literals (strings without
// interpolation, numbers, tuples and objects of them): an edit replacing it loses nothing,
// where replacing `var.principals` or `concat(...)` would put values in place of the user's
// expression.
bool is_literal_hcl(std::string_view text);

}  // namespace gdl::containers
