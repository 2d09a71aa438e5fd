#pragma once
// A POSIX file descriptor owned for a scope: closed when it goes out of scope (a file being
// loaded, a directory being listed).

#include <unistd.h>

namespace gdl {

struct FileDescriptor {
  explicit FileDescriptor(int descriptor) : fd(descriptor) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
  int fd;  // negative: none (the open failed)
};

}  // namespace gdl
