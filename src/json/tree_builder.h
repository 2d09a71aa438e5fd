#pragma once
// Internal to json/: the located tree's builder. RapidJSON's iterative SAX reader feeds a
// Handler through a TrackingStream; each handler call comes just after its token is taken, so
// every value and key gets its exact span from where its token ends. Duplicate keys are
// recorded, and large inputs keep a bounded tree.

#include <rapidjson/error/error.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "json/value.h"
#include "source/source_file.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gdl::json::detail {

// No kParseValidateEncodingFlag: check_encoding() has already blanked every byte that is not
// valid UTF-8 (overlong forms and surrogates included) in the text the reader gets, and repairs
// only insert or replace whole ASCII tokens; validating again was 5% of a scan.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
constexpr std::size_t kNoOffset = std::string::npos;

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
inline bool is_structural(char c) {
  return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
}
inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || c == '/' || c == '*' || c == '?' || c == '$' ||
         c == '@' || c == '+' || static_cast<unsigned char>(c) >= 0x80;
}

// A RapidJSON input stream over the working text. A value's span is found from where its
// token ends, or from where the token before it ended (string_begin() here, Handler::bare_span()
// for numbers and literals), so the stream does no per-character bookkeeping on the hot path; only
// the diagnoser, after a syntax error, asks where the token being read began (token_start(), which
// replays the text read so far).
//
// `text` must be followed by a NUL byte, as a std::string's data is: like RapidJSON's own
// StringStream, the stream relies on the reader stopping at '\0' (it only takes a character after
// peeking at it), so no character needs a bounds check. check_encoding() has blanked any NUL byte
// inside the text.
class TrackingStream {
 public:
  using Ch = char;
  explicit TrackingStream(std::string_view text) : text_(text), at_(text.data()) {
    assert(text.data()[text.size()] == '\0');
  }

  [[nodiscard]] Ch Peek() const { return *at_; }
  Ch Take() { return *at_++; }
  [[nodiscard]] std::size_t Tell() const { return static_cast<std::size_t>(at_ - text_.data()); }
  // Output-stream half of the concept; never used because we do not parse in situ.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

  // Where the token read last began: the opening quote of a string, or the first character of
  // a bare word (number, literal, or the invalid word the reader stopped in). O(text read):
  // for error paths only.
  [[nodiscard]] std::size_t token_start() const;

  // The opening quote of the string token that begins at or after `from`, the end of the token
  // or bracket read before it: between two tokens the reader accepted only whitespace, ',' and
  // ':', so it is the first '"' there (one memchr over the gap, not a rescan of the string).
  [[nodiscard]] std::size_t string_begin(std::size_t from) const {
    const std::size_t at = text_.find('"', from);
    return at < Tell() ? at : 0;
  }

  // The bytes from here that a string holds as written: up to the first quote, backslash or
  // control byte (or the text's end). Only those stop RapidJSON's string loop, which otherwise
  // takes one byte at a time (it has a SIMD scan for its own StringStream only).
  [[nodiscard]] std::size_t unescaped_run() const;
  [[nodiscard]] const Ch* current() const { return at_; }
  void skip(std::size_t bytes) { at_ += bytes; }

 private:
  std::string_view text_;
  const char* at_;
};

inline std::size_t TrackingStream::token_start() const {
  std::size_t start = 0;
  bool in_string = false;
  bool escaped = false;
  bool in_bare_token = false;
  for (std::size_t i = 0, end = Tell(); i < end; ++i) {
    const char c = text_[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      start = i;
      in_string = true;
      in_bare_token = false;
    } else if (is_space(c) || is_structural(c)) {
      in_bare_token = false;
    } else if (!in_bare_token) {
      start = i;
      in_bare_token = true;
    }
  }
  return start;
}

inline std::size_t TrackingStream::unescaped_run() const {
  const char* p = at_;
  const char* const end = text_.data() + text_.size();
  const auto plain = [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  };
#if defined(__SSE2__)
  // 16 bytes at a time, never past the text's end (no over-read, for the sanitizers too).
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1f);
  while (end - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // A byte is below 0x20 when max(byte, 0x1f) is 0x1f (unsigned).
    const __m128i stop =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)),
                     _mm_cmpeq_epi8(_mm_max_epu8(block, control_max), control_max));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
    if (mask != 0)
      return static_cast<std::size_t>(p - at_) + static_cast<unsigned>(__builtin_ctz(mask));
    p += 16;
  }
#endif
  while (p != end && plain(*p)) ++p;
  return static_cast<std::size_t>(p - at_);
}

struct OpenContainer {
  Kind kind;
  std::size_t begin;
  bool statements;  // the value of a member named "Statement" (for the diagnoser's wording)
};

// SAX handler: always tracks the open containers (for diagnosis); builds the tree on request.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  Handler(const TrackingStream& stream, bool build_tree,
          std::size_t max_children = std::numeric_limits<std::size_t>::max())
      : stream_(stream), build_(build_tree), max_children_(max_children) {}

  // Each handler is called just after its token is taken: the token ends at stream_.Tell().
  bool Null() { return scalar(Kind::null, bare_span(4), {}); }
  bool Bool(bool b) {
    if (build_) {
      if (Value* v = place(Kind::boolean, bare_span(b ? 4 : 5))) v->boolean = b;
      return true;
    }
    return scalar(Kind::boolean, {}, {});
  }
  // The number's text is copied verbatim from the input, so its length is its span's.
  bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
    return scalar(Kind::number, bare_span(length), std::string_view(str, length));
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    return scalar(Kind::string, build_ ? string_span() : Span{}, std::string_view(str, length));
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    pending_key_.assign(str, length);
    pending_key_span_ = build_ ? string_span() : Span{};
    last_end_ = stream_.Tell();
    token_gap_ = last_end_;
    return true;
  }
  bool StartObject() { return start(Kind::object); }
  bool StartArray() { return start(Kind::array); }
  bool EndObject(rapidjson::SizeType) { return end(); }
  bool EndArray(rapidjson::SizeType) { return end(); }

  [[nodiscard]] const std::vector<OpenContainer>& open() const { return open_; }
  [[nodiscard]] std::size_t last_end() const { return last_end_; }
  [[nodiscard]] std::size_t root_end() const { return root_end_; }
  std::optional<Value>& root() { return root_; }
  std::vector<std::pair<Span, Span>>& duplicates() { return duplicates_; }
  std::vector<std::string>& duplicate_keys() { return duplicate_keys_; }
  [[nodiscard]] std::size_t dropped() const { return dropped_; }

 private:
  [[nodiscard]] Span bare_span(std::size_t length) const {
    return {stream_.Tell() - length, stream_.Tell()};
  }
  [[nodiscard]] Span string_span() const {
    return {stream_.string_begin(token_gap_), stream_.Tell()};
  }

  bool scalar(Kind kind, Span span, std::string_view text) {
    last_end_ = stream_.Tell();
    token_gap_ = last_end_;
    if (open_.empty()) root_end_ = last_end_;
    if (!build_) return true;
    if (Value* v = place(kind, span)) v->text.assign(text);
    return true;
  }

  bool start(Kind kind) {
    // The iterative reader calls StartObject/StartArray before it takes the bracket.
    const std::size_t begin = stream_.Tell();
    token_gap_ = begin + 1;
    const bool statements =
        !open_.empty() && open_.back().kind == Kind::object && pending_key_ == "Statement";
    if (build_) {
      const bool kept = place(kind, Span{begin, begin + 1}) != nullptr;
      building_.push_back(
          {building_.empty() ? kRootSlot : pending_.size() - 1, pending_.size(), kept});
    }
    open_.push_back({kind, begin, statements});
    return true;
  }

  bool end() {
    last_end_ = stream_.Tell() + 1;  // called before the closing bracket is taken
    token_gap_ = last_end_;
    open_.pop_back();
    if (open_.empty()) root_end_ = last_end_;
    if (!build_) return true;
    const Building done = building_.back();
    building_.pop_back();
    if (!done.kept) return true;
    Value& container = done.slot == kRootSlot ? *root_ : pending_[done.slot].value;
    // Its children, complete now, move into a vector of exactly their number.
    const auto first = pending_.begin() + static_cast<std::ptrdiff_t>(done.first_child);
    if (container.kind == Kind::array) {
      container.items.reserve(pending_.size() - done.first_child);
      for (auto it = first; it != pending_.end(); ++it)
        container.items.push_back(std::move(it->value));
    } else {
      container.members.assign(std::make_move_iterator(first),
                               std::make_move_iterator(pending_.end()));
    }
    pending_.erase(first, pending_.end());
    container.span.end = last_end_;
    if (container.kind == Kind::object) find_duplicates(container);
    return true;
  }

  // Appends a value to the innermost open container (or makes it the root); null when the cap
  // drops it. The children of open containers wait in one stack (`pending_`, as members: an array
  // element's key stays empty) and move into their container when it closes, so each container
  // allocates once instead of growing. The returned pointer stays valid until the next value is
  // placed.
  Value* place(Kind kind, Span span) {
    if (building_.empty()) {
      root_.emplace(kind, span);
      return &*root_;
    }
    const Building& parent = building_.back();
    if (!parent.kept) return nullptr;  // inside a value dropped by the cap
    if (pending_.size() - parent.first_child >= max_children_) {
      ++dropped_;
      pending_key_.clear();
      return nullptr;
    }
    Member& member = pending_.emplace_back();
    if (open_.back().kind == Kind::object) {
      member.key = std::move(pending_key_);
      pending_key_.clear();
      member.key_span = pending_key_span_;
    }
    member.value.kind = kind;
    member.value.span = span;
    return &member.value;
  }

  void find_duplicates(const Value& object) {
    const auto& members = object.members;
    if (members.size() < 2) return;
    if (members.size() <= 16) {
      for (std::size_t i = 1; i < members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (members[j].key == members[i].key) {
            record_duplicate(members[j], members[i]);
            break;
          }
        }
      }
      return;
    }
    std::unordered_map<std::string_view, std::size_t> first_index;
    first_index.reserve(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      auto [it, inserted] = first_index.emplace(members[i].key, i);
      if (!inserted) record_duplicate(members[it->second], members[i]);
    }
  }

  void record_duplicate(const Member& first, const Member& again) {
    duplicates_.emplace_back(first.key_span, again.key_span);
    duplicate_keys_.push_back(again.key);
  }

  const TrackingStream& stream_;
  bool build_;
  std::vector<OpenContainer> open_;
  // An open container being built: where it is (a slot of pending_, or the root), where its
  // children begin in pending_, and whether it is kept (false beyond the cap).
  struct Building {
    std::size_t slot;
    std::size_t first_child;
    bool kept;
  };
  static constexpr std::size_t kRootSlot = std::numeric_limits<std::size_t>::max();
  std::vector<Building> building_;
  std::vector<Member> pending_;
  std::optional<Value> root_;
  std::string pending_key_;
  Span pending_key_span_;
  std::size_t last_end_ = 0;
  std::size_t token_gap_ = 0;  // where the gap before the next token begins
  std::size_t root_end_ = kNoOffset;
  std::vector<std::pair<Span, Span>> duplicates_;
  std::vector<std::string> duplicate_keys_;
  std::size_t max_children_;
  std::size_t dropped_ = 0;
};

}  // namespace gdl::json::detail

// RapidJSON's hook for copying a string's plain bytes at once, specialized for our stream (its
// generic version does nothing, and the byte-at-a-time loop was the largest single cost of a
// scan: 8% of its instructions). An explicit specialization may name the reader's private
// StackStream (C++20 [temp.spec]/6, P0692R1: access is not checked in it). The loop that calls it
// still handles the escapes, the closing quote and the errors.
template <>
template <>
inline void rapidjson::Reader::ScanCopyUnescapedString<gdl::json::detail::TrackingStream,
                                                       rapidjson::Reader::StackStream<char>>(
    gdl::json::detail::TrackingStream& is, rapidjson::Reader::StackStream<char>& os) {
  // RapidJSON counts a string's length in 32 bits: a longer run is copied in pieces.
  const std::size_t run = std::min<std::size_t>(is.unescaped_run(), std::size_t{1} << 30);
  if (run == 0) return;
  std::memcpy(os.Push(static_cast<rapidjson::SizeType>(run)), is.current(), run);
  is.skip(run);
}

namespace gdl::json::detail {

struct Attempt {
  rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;
  std::size_t offset = 0;
  [[nodiscard]] bool ok() const { return code == rapidjson::kParseErrorNone; }
};

inline Attempt run_reader(Handler& handler, TrackingStream& stream) {
  rapidjson::Reader reader;
  reader.Parse<kParseFlags>(stream, handler);
  return {reader.GetParseErrorCode(), reader.GetErrorOffset()};
}

inline Attempt trial_parse(const std::string& text) {
  TrackingStream stream(text);
  Handler handler(stream, false);
  return run_reader(handler, stream);
}

}  // namespace gdl::json::detail
