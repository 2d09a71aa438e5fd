#pragma once
// Policies held as JSON strings: `aws s3api get-bucket-policy` prints {"Policy": "<policy>"} and
// Terraform plans hold `"policy": "<policy>"`. The string is decoded into a document of its own
// whose every byte maps back to where it is written in the container file.

#include <memory>
#include <string>

#include "source/source_file.h"
#include "util/text.h"

namespace gdl::containers {

// Decodes the JSON string literal at `quoted` (its span, quotes included) in `container`.
// Locations in the result are reported in `container`; edits to it must be JSON-escaped.
std::unique_ptr<SourceFile> decode_json_string(const SourceFile& container, Span quoted,
                                               std::string path);

using gdl::escape_json_string;  // util/text.h

}  // namespace gdl::containers
