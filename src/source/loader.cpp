#include "source/loader.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace gdl {

LoadResult load_source(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return std::make_unique<SourceFile>("<stdin>", std::move(buffer).str());
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return LoadError{path, std::strerror(errno)};
  }
  if (S_ISDIR(info.st_mode)) {
    return LoadError{path, "is a directory; name the policy files to check"};
  }
  if (!S_ISREG(info.st_mode)) {
    return LoadError{path, "is not a regular file"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoadError{path, std::strerror(errno)};
  std::string bytes;
  bytes.resize(static_cast<std::size_t>(info.st_size));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return LoadError{path, "read error"};
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  // The file may have grown since stat(): read whatever is left.
  bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return std::make_unique<SourceFile>(path, std::move(bytes));
}

}  // namespace gdl
