#pragma once
// Internal to json/: encoding checks (GD003) before the syntax is read: a byte-order mark,
// invalid UTF-8 and NUL bytes are reported and blanked in the working text, so the rest of the
// file is still checked.

#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "source/source_file.h"

namespace gdl::json::detail {

// The text the reader sees: the source's own bytes until a repair (or an encoding blank) needs to
// change them. Most files parse as they are, so most are never copied.
class WorkingText {
 public:
  explicit WorkingText(std::string_view original) : original_(original) {}
  [[nodiscard]] std::string_view view() const { return owned_ ? copy_ : original_; }
  std::string& edit() {
    if (!owned_) {
      copy_.assign(original_);
      owned_ = true;
    }
    return copy_;
  }

 private:
  std::string_view original_;
  std::string copy_;
  bool owned_ = false;
};

// Reports a byte-order mark, invalid UTF-8 and NUL bytes, and blanks them in the working text so
// the syntax check still runs on the rest of the file. Returns false if the file is not UTF-8 at
// all (UTF-16/32), in which case nothing else is checked.
bool check_encoding(const SourceFile& source, WorkingText& working, std::vector<Diagnostic>& out);

}  // namespace gdl::json::detail
