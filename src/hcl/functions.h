#pragma once
// Terraform's built-in functions that gd-export-lint evaluates offline, over known values:
// strings (format, join, split, lower, upper, replace, trim..., substr), collections (concat,
// merge, flatten, distinct, compact, element, lookup, keys, values, length, contains, slice,
// zipmap, coalesce, one, tolist, toset, tomap), conversions and encodings (jsonencode,
// jsondecode, tostring, tonumber, tobool). Any other function, or a call on unknown arguments,
// is an unknown value that says which.

#include <string_view>
#include <vector>

#include "hcl/value.h"

namespace gdl::hcl {

Value call_function(std::string_view name, std::vector<Value> args, const SourceFile* file,
                    Span span);

// The function names call_function evaluates (for documentation and tests).
const std::vector<std::string_view>& evaluated_functions();

}  // namespace gdl::hcl
