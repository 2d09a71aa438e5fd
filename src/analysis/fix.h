#pragma once
// `check --fix` and `--diff`: check, apply the fixes that may be applied, check the fixed text
// again, until nothing changes (bounded). The rounds run on the fixed text in memory (a
// LoadOverlay); files are written, atomically, only at the end and only with `write`.

#include <string>
#include <vector>

#include "analysis/check.h"
#include "analysis/results.h"

namespace gdl::analysis {

struct FixOptions {
  bool unsafe = false;  // --unsafe-fixes: also the fixes of rules whose fix kind is unsafe
  bool write = true;    // false for --diff: nothing is written
  std::size_t max_rounds = 5;
};

struct FixedFinding {
  std::string file;
  Position start;  // in the text as it was in that round
  std::string rule_id;
  std::string description;
  std::size_t round = 1;
};

// A finding whose fix was not applied, and why.
struct UnappliedFix {
  std::string file;
  Position start;
  std::string rule_id;
  std::string reason;
};

struct ChangedFile {
  std::string path;    // as the report spells it
  std::string before;  // the file as it was read
  std::string after;   // with every fix applied
};

struct FixOutcome {
  std::vector<FixedFinding> fixed;
  std::vector<UnappliedFix> unapplied;  // in the final round
  std::vector<ChangedFile> files;       // in path order
  std::size_t rounds = 0;               // rounds that applied fixes
  bool converged = true;                // false: fixes were still pending after max_rounds
  std::vector<std::string> errors;      // files that could not be read back or written
  // Files whose fixes could not be written (their findings are in `unapplied`, not `fixed`): the
  // report of the fixed text is not theirs.
  std::vector<std::string> unwritten;
};

// Runs `check` for `request` until no applicable fix is left; `report` (which may already hold
// --config findings) ends up holding the findings of the fixed text.
FixOutcome check_and_fix(const CheckRequest& request, const FixOptions& options, Report& report);

// The reason a finding's fix is not applied with these options, or empty when it is.
// `named` says whether the file is one the user named (or is under a directory they named).
std::string unapplied_reason(const Diagnostic& d, const FixOptions& options, bool named);

// Applies `edits` (byte spans of `text`, none overlapping another) and returns the new text. A
// replacement's newlines become CRLF in a file whose lines end with CRLF.
std::string apply_edits(std::string_view text, std::vector<TextEdit> edits);

}  // namespace gdl::analysis
