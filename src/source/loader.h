#pragma once
// Reads inputs into SourceFiles. A failure is a value (with a user-facing message), not an
// exception.

#include <memory>
#include <string>
#include <variant>

#include "source/source_file.h"

namespace gdl {

struct LoadError {
  std::string path;
  std::string message;
};

using LoadResult = std::variant<std::unique_ptr<SourceFile>, LoadError>;

// Inputs larger than this are refused with a clear error instead of using unbounded memory. The
// default is far above the largest real template (CloudFormation's own limit is 1 MB).
inline constexpr std::size_t kDefaultMaxInputBytes = 64U * 1024U * 1024U;

// Reads `path` ("-" means standard input, shown as "<stdin>").
LoadResult load_source(const std::string& path, std::size_t max_bytes = kDefaultMaxInputBytes);

}  // namespace gdl
