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

// A statement a fix appends to a jsonencode() Statement list (`, {"Sid": ...}`), written as
// `terraform fmt` writes an HCL object: `Sid = "..."` items, their `=` aligned, nested objects of
// one item on one line (`{ Service = "..." }`), `indent` before the object's own lines. The
// result starts with the separator (`,\n<indent>{`); nullopt for anything else.
std::optional<std::string> statement_as_hcl_object(std::string_view fragment,
                                                   std::string_view indent);

// Members a fix inserts into a statement object of a jsonencode() policy (`, "Condition": {...}`),
// written as terraform fmt writes them, at `indent`; nullopt unless each spans lines (a one-line
// item would join the `=` alignment of the items before it, which the edit does not touch).
std::optional<std::string> members_as_hcl_object(std::string_view fragment,
                                                 std::string_view indent);

// Whether `text` is an HCL expression written only with literals (strings without
// interpolation, numbers, tuples and objects of them): an edit replacing it loses nothing,
// where replacing `var.principals` or `concat(...)` would put values in place of the user's
// expression.
bool is_literal_hcl(std::string_view text);

}  // namespace gdl::containers
