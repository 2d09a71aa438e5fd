#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/cli.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GDL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
#define GDL_SANITIZED 1
#endif
#endif

namespace {

// Whether standard output is a pipe or socket whose reader has gone (`gd-export-lint ... | head
// -1`): the reader took what it wanted, which is not a failure. A pipe without readers reports
// POLLERR; a socket whose peer closed, POLLHUP.
bool reader_gone() {
  pollfd out{STDOUT_FILENO, POLLOUT, 0};
  return ::poll(&out, 1, 0) == 1 && (out.revents & (POLLERR | POLLHUP)) != 0;
}

// A report that never reached its reader (a full disk, a closed file) must not pass for a clean
// run: exit code 2, as for an input that cannot be read.
int flush_output(int code) {
  errno = 0;
  std::cout.flush();
  const int error = errno;
  if (std::cout.fail() && error != EPIPE && !reader_gone()) {
    std::cerr << "gd-export-lint: error: cannot write the report to standard output"
              << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << '\n';
    code = gdl::cli::kExitUsage;
  }
  std::cerr.flush();
  std::clog.flush();
  std::fflush(nullptr);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // Writing to a closed pipe (`gd-export-lint ... | head -1`) must not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  const int code = [&] {
    const std::vector<std::string> args(argv, argv + argc);
    return gdl::cli::run_cli(args, std::cin, std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1);
  }();
#ifdef GDL_SANITIZED
  return flush_output(code);
#else
  // Everything the run wrote is flushed: the tables built on first use (rule data, the request
  // model, each thread's freed blocks) die with the process. Destroying them one by one was 7%
  // of the instructions of checking one small file.
  std::_Exit(flush_output(code));
#endif
}
