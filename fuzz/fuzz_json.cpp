// libFuzzer harness: the located JSON front end on raw bytes.
#include <cstdint>
#include <string>

#include "json/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gdl::SourceFile source("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  const auto result = gdl::json::parse(source);
  for (const auto& d : result.diagnostics) {
    // Every diagnostic must point inside the file.
    if (d.location.span.begin > size || d.location.span.end > size ||
        d.location.span.begin > d.location.span.end) {
      __builtin_trap();
    }
  }
  return 0;
}
