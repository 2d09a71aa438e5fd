#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // Writing to a closed pipe (`gd-export-lint ... | head -1`) must not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv, argv + argc);
  return gdl::cli::run_cli(args, std::cin, std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1);
}
