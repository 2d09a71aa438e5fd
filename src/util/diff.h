#pragma once
// Unified diffs (`diff -u`, as `patch` applies them) between two versions of a text.

#include <string>
#include <string_view>

namespace gdl {

// The unified diff turning `before` into `after`, with `context` lines around each change and
// headers naming `old_name` and `new_name`; empty when the texts are equal. A last line without a
// newline is marked as `diff` marks it.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view old_name,
                         std::string_view new_name, std::size_t context = 3);

}  // namespace gdl
