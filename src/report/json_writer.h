#pragma once
// A thin RapidJSON writer for our outputs: every string is made valid UTF-8 first, and RapidJSON
// escapes control characters, so output stays valid JSON whatever bytes the input held.

#include <rapidjson/prettywriter.h>

#include <ostream>
#include <string>
#include <string_view>

#include "analysis/results.h"
#include "diag/diagnostic.h"
#include "util/text.h"

namespace gdl {

// RapidJSON's output stream concept over a std::ostream, written in blocks: its OStreamWrapper
// puts each character through the ostream (a virtual call and a sentry each), a tenth of a
// large scan's time.
class BufferedOStream {
 public:
  using Ch = char;
  explicit BufferedOStream(std::ostream& out) : out_(out) { buffer_.reserve(kBlock); }
  BufferedOStream(const BufferedOStream&) = delete;
  BufferedOStream& operator=(const BufferedOStream&) = delete;
  ~BufferedOStream() { Flush(); }
  void Put(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kBlock) Flush();
  }
  void Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  // Unused by the writer, required by the concept.
  [[nodiscard]] char Peek() const { return '\0'; }
  char Take() { return '\0'; }
  [[nodiscard]] std::size_t Tell() const { return 0; }
  char* PutBegin() { return nullptr; }
  std::size_t PutEnd(char* /*begin*/) { return 0; }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  std::ostream& out_;
  std::string buffer_;
};

class JsonOut {
 public:
  explicit JsonOut(std::ostream& out) : stream_(out), writer_(stream_) {
    writer_.SetIndent(' ', 2);
  }
  void key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void string(std::string_view s) {
    if (is_valid_utf8(s)) {  // the common case: written without a copy
      writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
      return;
    }
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
  // A value that is already JSON text (written as it is, not indented).
  void raw(std::string_view json) {
    writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  }
  void finish() { stream_.Flush(); }

 private:
  BufferedOStream stream_;
  rapidjson::PrettyWriter<BufferedOStream> writer_;
};

// Opens a SARIF 2.1.0 log with one run of `tool`, up to the open array of its driver's rules
// (sarif_formatter.cpp).
void begin_sarif_log(JsonOut& j, std::string_view tool);
// A result location's "artifactLocation": the path as a URI reference, relative ones based on
// %SRCROOT%, which write_uri_base_ids declares (the run's "originalUriBaseIds": where it started).
void write_artifact(JsonOut& j, std::string_view file);
void write_uri_base_ids(JsonOut& j);

// The per-setup verdicts, as JSON and SARIF both write them (json_formatter.cpp).
void write_setup_verdicts(JsonOut& j, const SetupVerdicts& setups);

}  // namespace gdl
