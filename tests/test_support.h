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

// Changes the current directory for a scope.
struct CurrentDirectory {
  std::filesystem::path saved = std::filesystem::current_path();
  explicit CurrentDirectory(const std::filesystem::path& dir) {
    std::filesystem::current_path(dir);
  }
  ~CurrentDirectory() { std::filesystem::current_path(saved); }
  CurrentDirectory(const CurrentDirectory&) = delete;
  CurrentDirectory& operator=(const CurrentDirectory&) = delete;
};

}  // namespace gdl::test
