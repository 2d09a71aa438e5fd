#pragma once
// The command line. run_cli is the whole program minus process setup, so tests drive it in-process.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace gdl::cli {

// Exit codes (README "Exit codes").
inline constexpr int kExitClean = 0;     // nothing at or above --fail-on
inline constexpr int kExitFindings = 1;  // findings at or above --fail-on
inline constexpr int kExitUsage = 2;     // usage error or unreadable input

// `args` holds the program name first, like argv. `stdout_is_tty` decides --color auto.
int run_cli(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
            std::ostream& err, bool stdout_is_tty = false);

}  // namespace gdl::cli
