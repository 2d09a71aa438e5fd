#include "analysis/results.h"

#include <cstdint>
#include <cstring>

namespace gdl {

namespace {

// A verdict in the spill file: each string as its length (8 bytes) and its bytes, each list as
// its size and its strings.
void put_size(std::string& out, std::size_t n) {
  const auto value = static_cast<std::uint64_t>(n);
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
void put_string(std::string& out, const std::string& text) {
  put_size(out, text.size());
  out += text;
}
void put_list(std::string& out, const std::vector<std::string>& list) {
  put_size(out, list.size());
  for (const std::string& text : list) put_string(out, text);
}
bool get_size(std::FILE* in, std::size_t& n) {
  std::uint64_t value = 0;
  if (std::fread(&value, sizeof value, 1, in) != 1) return false;
  n = static_cast<std::size_t>(value);
  return true;
}
// No record of ours holds a string or a list this long: a length past it is a damaged file.
constexpr std::size_t kMaxRecordPart = std::size_t{1} << 30;

bool get_string(std::FILE* in, std::string& text) {
  std::size_t n = 0;
  if (!get_size(in, n) || n > kMaxRecordPart) return false;
  text.resize(n);
  return n == 0 || std::fread(text.data(), 1, n, in) == n;
}
bool get_list(std::FILE* in, std::vector<std::string>& list) {
  std::size_t n = 0;
  if (!get_size(in, n) || n > kMaxRecordPart) return false;
  list.resize(n);
  for (std::string& text : list) {
    if (!get_string(in, text)) return false;
  }
  return true;
}

}  // namespace

void SetupVerdicts::push_back(SetupVerdict verdict) {
  ++count_;
  if (held_.size() < kHeld) {
    held_.push_back(std::move(verdict));
    return;
  }
  if (!spill_ && !spill_failed_) {
    spill_.reset(std::tmpfile());
    spill_failed_ = !spill_;
  }
  if (!spill_failed_ && overflow_.empty()) {
    std::string record;
    put_list(record, verdict.documents);
    put_string(record, verdict.verdict);
    put_list(record, verdict.reasons);
    // Flushed record by record: a write that fails (a full disk) must not take with it records
    // counted as written and still in stdio's buffer. What a failed write left is never read
    // (only `spilled_` records are), and this verdict and the later ones stay here.
    if (std::fwrite(record.data(), 1, record.size(), spill_.get()) == record.size() &&
        std::fflush(spill_.get()) == 0) {
      ++spilled_;
      return;
    }
    spill_failed_ = true;
  }
  overflow_.push_back(std::move(verdict));
}

void SetupVerdicts::for_each(const std::function<void(const SetupVerdict&)>& visit) const {
  for (const SetupVerdict& verdict : held_) visit(verdict);
  if (spilled_ > 0) {
    std::FILE* in = spill_.get();
    std::rewind(in);
    SetupVerdict verdict;
    for (std::size_t i = 0; i < spilled_; ++i) {
      if (!get_list(in, verdict.documents) || !get_string(in, verdict.verdict) ||
          !get_list(in, verdict.reasons))
        break;  // the file was written and flushed by this run: only a failing disk ends it early
      visit(verdict);
    }
    std::fseek(in, 0, SEEK_END);  // more may be added after (a read must not run into a write)
  }
  for (const SetupVerdict& verdict : overflow_) visit(verdict);
}

std::vector<SetupVerdict> SetupVerdicts::all() const {
  std::vector<SetupVerdict> verdicts;
  verdicts.reserve(count_);
  for_each([&verdicts](const SetupVerdict& verdict) { verdicts.push_back(verdict); });
  return verdicts;
}

void count_into(Summary& s, const Diagnostic& d) {
  if (d.suppression_reason) {
    ++s.suppressed;
    return;
  }
  switch (d.severity) {
    case Severity::error:
      ++s.errors;
      break;
    case Severity::warning:
      ++s.warnings;
      break;
    case Severity::note:
      ++s.notes;
      break;
  }
}

Summary Report::summary() const {
  Summary s = streamed;
  s.files = files_checked;
  s.skipped = files_skipped;
  s.baselined = baselined;
  s.partly_judged = partly_judged;
  for (const Diagnostic& d : diagnostics) count_into(s, d);
  return s;
}

const SourceFile* Report::source(std::string_view path) const {
  auto it = sources.find(path);
  return it == sources.end() ? nullptr : it->second.get();
}

}  // namespace gdl
