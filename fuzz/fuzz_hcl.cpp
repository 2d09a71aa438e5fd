// libFuzzer harness: the HCL native-syntax reader on raw bytes (a whole file, a standalone
// expression and a standalone template).
#include <cstdint>
#include <string>

#include "hcl/parser.h"

namespace {

void check_inside(const std::vector<gdl::Diagnostic>& diagnostics, std::size_t size) {
  for (const auto& d : diagnostics) {
    if (d.location.span.begin > size || d.location.span.end > size ||
        d.location.span.begin > d.location.span.end) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gdl::SourceFile source("fuzz.tf", std::string(reinterpret_cast<const char*>(data), size));
  check_inside(gdl::hcl::parse(source).diagnostics, size);
  check_inside(gdl::hcl::parse_expression(source).diagnostics, size);
  check_inside(gdl::hcl::parse_template(source).diagnostics, size);
  return 0;
}
