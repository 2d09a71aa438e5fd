#include "analysis/results.h"

namespace gdl {

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
