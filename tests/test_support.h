#pragma once
// Helpers shared by the test files.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gdl::test {

inline std::filesystem::path source_dir() {
  return GDL_SOURCE_DIR;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace gdl::test
