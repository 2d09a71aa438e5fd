#pragma once
// A thin RapidJSON writer for our outputs: every string is made valid UTF-8 first, and RapidJSON
// escapes control characters, so output stays valid JSON whatever bytes the input held.

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <ostream>
#include <string_view>

#include "analysis/results.h"
#include "diag/diagnostic.h"
#include "util/text.h"

namespace gdl {

class JsonOut {
 public:
  explicit JsonOut(std::ostream& out) : stream_(out), writer_(stream_) {
    writer_.SetIndent(' ', 2);
  }
  void key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void string(std::string_view s) {
    const std::string clean = sanitize_utf8(s);
    writer_.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
  }
  void number(std::uint64_t n) { writer_.Uint64(n); }
  void boolean(bool b) { writer_.Bool(b); }
  void begin_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void begin_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }
  void field(std::string_view k, std::string_view v) { key(k), string(v); }
  void field(std::string_view k, std::uint64_t v) { key(k), number(v); }
  void finish() { stream_.Flush(); }

 private:
  rapidjson::OStreamWrapper stream_;
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> writer_;
};

// The per-setup verdicts, as JSON and SARIF both write them (json_formatter.cpp).
void write_setup_verdicts(JsonOut& j, const std::vector<SetupVerdict>& setups);

}  // namespace gdl
