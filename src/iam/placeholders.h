#pragma once
// The example values of AWS's guides (rules/data/placeholders.txt: 123456789012, SourceDetectorID,
// "KMS key ARN", "[optional prefix]", amzn-s3-demo-bucket, ...): GD005 reports them, and settings
// inference never prefers one to a real value.

#include <string>
#include <string_view>

namespace gdl::data {

// The placeholder found in `value` (a token or phrase of the list), or empty. Template
// interpolations (${var.x}, {bucketName}) are not placeholders and are skipped.
std::string find_placeholder(std::string_view value);

}  // namespace gdl::data
