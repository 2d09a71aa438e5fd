// The baseline of the scan benchmark: read every file named on standard input (one path per
// line) and parse it with RapidJSON's SAX Reader and a handler that does nothing. No tree, no
// locations, no rules: the floor a linter of JSON files cannot go below.

#include <rapidjson/reader.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main() {
  std::size_t files = 0;
  std::size_t bytes = 0;
  std::size_t invalid = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::string path; std::getline(std::cin, path);) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = std::move(buffer).str();
    rapidjson::Reader reader;
    rapidjson::BaseReaderHandler<> handler;
    rapidjson::StringStream stream(text.c_str());
    if (reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler).IsError()) ++invalid;
    ++files;
    bytes += text.size();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "bare RapidJSON parse: %zu files, %.1f MB, %zu invalid, %.3f s: %.0f files/s, %.1f MB/s\n",
      files, static_cast<double>(bytes) / 1e6, invalid, seconds,
      static_cast<double>(files) / seconds, static_cast<double>(bytes) / 1e6 / seconds);
  return 0;
}
