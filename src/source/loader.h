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

// Reads `path` ("-" means standard input, shown as "<stdin>").
LoadResult load_source(const std::string& path);

}  // namespace gdl
