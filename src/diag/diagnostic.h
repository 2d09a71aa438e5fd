#pragma once
// The diagnostics model every stage produces and every formatter consumes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_file.h"

namespace gdl {

enum class Severity { note = 0, warning = 1, error = 2 };

// Everything a severity is called, in one table: its name, its SARIF level, its GitHub
// workflow command and its terminal colour.
struct SeverityStyle {
  Severity severity;
  std::string_view name;            // "error", "warning", "note"
  std::string_view sarif_level;     // SARIF result.level
  std::string_view github_command;  // ::error / ::warning / ::notice
  std::string_view color;           // ANSI SGR parameters
};
const SeverityStyle& style_of(Severity severity);

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// A location in a file: byte span plus the line:column of both ends.
struct Location {
  std::string file;
  Span span;
  Position start;
  Position end;
  // For a document decoded from a container (a policy in a YAML string, CLI output): the span in
  // that document. Where the container's bytes cannot be mapped one for one (a YAML string
  // folded over lines), `span` is where the string starts for every value in it, and this still
  // tells the values apart (one value, one finding).
  Span embedded;
};

Location make_location(const SourceFile& source, Span span);

// The bytes `span` of `source` cover in the user's file (the container, for text decoded from
// one), and that file's path: make_location without the cost of computing line and column.
Span container_span(const SourceFile& source, Span span);
const std::string& container_path(const SourceFile& source);

struct RelatedLocation {
  Location location;
  std::string message;
};

// A suggested text edit: replace the bytes of `span` with `replacement`.
struct TextEdit {
  Location location;
  std::string replacement;
};

struct Fix {
  std::string description;
  std::vector<TextEdit> edits;
  // The fix deletes words the user wrote, on a guess that they are stray (`"Version"2012-10-17"`
  // is more likely a missing `: "` than stray "-10-17\""): whatever its rule, --fix applies it
  // only with --unsafe-fixes.
  bool discards_text = false;
};

struct Diagnostic {
  std::string rule_id;    // e.g. "GD001"
  std::string rule_name;  // e.g. "json-syntax"
  Severity severity = Severity::error;
  std::string message;
  Location location;
  std::vector<RelatedLocation> related;
  std::optional<Fix> fix;
  std::vector<std::string> notes;  // extra explanation lines ("note: ...")
  // The policy statement the finding is in, when it is in one (filled by the engine).
  std::optional<std::size_t> statement_index;
  std::string statement_sid;
  // Where that statement starts in the file (container bytes): two documents of one template or
  // module both have a Statement[1].
  std::size_t statement_offset = 0;
  // Set when a suppression in the project configuration covers the finding: it is still
  // reported in JSON and SARIF, marked suppressed, but does not count.
  std::optional<std::string> suppression_reason;
};

// A fingerprint of a finding that survives line moves: rule, file, statement (Sid or index) and
// the message with its digits blanked (messages quote line numbers).
std::string fingerprint(const Diagnostic& diagnostic);

// The same with the file given as `file` (a baseline names files relative to the project root,
// so that "./a.json", "a.json" and "/abs/a.json" are one file).
std::string fingerprint(const Diagnostic& diagnostic, std::string_view file);

// Orders diagnostics by file, then position, then rule id: the order every formatter prints.
bool diagnostic_less(const Diagnostic& a, const Diagnostic& b);

}  // namespace gdl
