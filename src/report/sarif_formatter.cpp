// SARIF 2.1.0 for GitHub code scanning: rules with help text, results with regions (columns in
// Unicode code points, declared by run.columnKind), related locations, fixes and fingerprints.

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "diag/rule_catalog.h"
#include "report/json_writer.h"
#include "report/report.h"

namespace gdl {

void begin_sarif_log(JsonOut& j, std::string_view tool) {
  j.begin_object();
  j.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  j.field("version", "2.1.0");
  j.key("runs");
  j.begin_array();
  j.begin_object();
  j.key("tool");
  j.begin_object();
  j.key("driver");
  j.begin_object();
  j.field("name", tool);
  j.field("version", GDL_VERSION);
  j.field("semanticVersion", GDL_VERSION);
  j.field("informationUri", "https://github.com/gd-export-lint/gd-export-lint");
  j.key("rules");
  j.begin_array();
}
// Percent-encodes a path into a URI reference; relative paths are resolved against %SRCROOT%.
namespace {
std::string path_to_uri(std::string_view path) {
  std::string out;
  if (path.starts_with('/')) out = "file://";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

}  // namespace

void write_artifact(JsonOut& j, std::string_view file) {
  j.key("artifactLocation");
  j.begin_object();
  j.field("uri", path_to_uri(file));
  if (!file.starts_with('/')) j.field("uriBaseId", "%SRCROOT%");
  j.end_object();
}

void write_uri_base_ids(JsonOut& j) {
  // %SRCROOT%, which relative artifact URIs are based on, is where the run started.
  std::error_code ec;
  std::string root = std::filesystem::current_path(ec).generic_string();
  if (!root.ends_with('/')) root += '/';
  j.key("originalUriBaseIds");
  j.begin_object();
  j.key("%SRCROOT%");
  j.begin_object();
  j.field("uri", path_to_uri(root));
  j.end_object();
  j.end_object();
}

namespace {

void write_region(JsonOut& j, const Location& loc) {
  j.begin_object();
  j.field("startLine", loc.start.line);
  j.field("startColumn", loc.start.column);
  j.field("endLine", loc.end.line);
  j.field("endColumn", loc.end.column);
  j.field("byteOffset", loc.span.begin);
  j.field("byteLength", loc.span.size());
  j.end_object();
}

void write_physical(JsonOut& j, const Location& loc) {
  j.key("physicalLocation");
  j.begin_object();
  write_artifact(j, loc.file);
  j.key("region");
  write_region(j, loc);
  j.end_object();
}

void write_rule(JsonOut& j, const RuleInfo& rule) {
  j.begin_object();
  j.field("id", rule.id);
  j.field("name", rule.name);
  j.key("shortDescription");
  j.begin_object();
  j.field("text", rule.summary);
  j.end_object();
  j.key("fullDescription");
  j.begin_object();
  j.field("text", rule.why);
  j.end_object();
  j.key("help");
  j.begin_object();
  j.field("text",
          fmt::format("{}\n\nWhy: {}\n\nFix: {}\n\nExample (bad):\n{}\n\nExample (good):\n{}",
                      rule.summary, rule.why, rule.fix, rule.example_bad, rule.example_good));
  j.field(
      "markdown",
      fmt::format(
          "**{}**\n\n**Why is this bad?** {}\n\n**Fix:** {}\n\n**Example**\n```json\n{}\n```\n\n"
          "**Use instead**\n```json\n{}\n```",
          rule.summary, rule.why, rule.fix, rule.example_bad, rule.example_good));
  j.end_object();
  j.field("helpUri", rule_help_uri(rule));
  j.key("defaultConfiguration");
  j.begin_object();
  j.field("level", style_of(rule.severity).sarif_level);
  j.end_object();
  // GitHub code scanning ranks security alerts by "security-severity" (>= 7 high, >= 4 medium,
  // else low) and shows "precision". An export that fails (error) is high; a hardening gap
  // shown by someone else's request (warning) medium; an assumption or style (note) low. The
  // evaluator decides exactly, so precision follows how much a finding rests on: errors and
  // warnings very high and high, notes (assumptions) medium. GD0xx are about reading the input:
  // not security findings.
  const bool input_rule = rule.id.starts_with("GD0");
  const double security_severity = rule.severity == Severity::error     ? 7.5
                                   : rule.severity == Severity::warning ? 5.0
                                                                        : 2.0;
  j.key("properties");
  j.begin_object();
  j.key("tags");
  j.begin_array();
  j.string(input_rule ? "correctness" : "security");
  j.string("guardduty");
  j.end_array();
  j.field("security-severity", fmt::format("{:.1f}", input_rule ? 0.0 : security_severity));
  j.field("precision", rule.severity == Severity::error     ? "very-high"
                       : rule.severity == Severity::warning ? "high"
                                                            : "medium");
  j.end_object();
  j.end_object();
}

void write_invocation(JsonOut& j, const Report& report) {
  j.key("invocations");
  j.begin_array();
  j.begin_object();
  j.key("executionSuccessful");
  j.boolean(report.input_errors.empty());
  j.key("toolExecutionNotifications");
  j.begin_array();
  for (const InputError& e : report.input_errors) {
    j.begin_object();
    j.field("level", "error");
    j.key("message");
    j.begin_object();
    j.field("text", fmt::format("cannot read {}: {}", e.path, e.message));
    j.end_object();
    j.key("locations");
    j.begin_array();
    j.begin_object();
    j.key("physicalLocation");
    j.begin_object();
    write_artifact(j, e.path);
    j.end_object();
    j.end_object();
    j.end_array();
    j.end_object();
  }
  // How containers were read (stand-ins for template symbols, values unknown offline).
  for (const std::string& note : report.notes) {
    j.begin_object();
    j.field("level", "note");
    j.key("message");
    j.begin_object();
    j.field("text", note);
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.end_array();
}

void write_related(JsonOut& j, const Diagnostic& d) {
  if (d.related.empty()) return;
  j.key("relatedLocations");
  j.begin_array();
  for (std::size_t i = 0; i < d.related.size(); ++i) {
    j.begin_object();
    j.field("id", i + 1);
    write_physical(j, d.related[i].location);
    j.key("message");
    j.begin_object();
    j.field("text", d.related[i].message);
    j.end_object();
    j.end_object();
  }
  j.end_array();
}

void write_fix(JsonOut& j, const Diagnostic& d) {
  if (!d.fix || d.fix->edits.empty()) return;
  j.key("fixes");
  j.begin_array();
  j.begin_object();
  j.key("description");
  j.begin_object();
  j.field("text", d.fix->description);
  j.end_object();
  j.key("artifactChanges");
  j.begin_array();
  j.begin_object();
  write_artifact(j, d.fix->edits.front().location.file);
  j.key("replacements");
  j.begin_array();
  for (const TextEdit& e : d.fix->edits) {
    j.begin_object();
    j.key("deletedRegion");
    write_region(j, e.location);
    j.key("insertedContent");
    j.begin_object();
    j.field("text", e.replacement);
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.end_array();
  j.end_object();
  j.end_array();
}

// One result. Identical findings in one file get an occurrence number so fingerprints stay
// unique.
void write_result(JsonOut& j, const Diagnostic& d,
                  const std::map<std::string, std::size_t, std::less<>>& rule_index,
                  std::map<std::string, std::size_t, std::less<>>& occurrences) {
  j.begin_object();
  j.field("ruleId", d.rule_id);
  if (auto it = rule_index.find(d.rule_id); it != rule_index.end())
    j.field("ruleIndex", it->second);
  j.field("level", style_of(d.severity).sarif_level);
  std::string text = d.message;
  for (const std::string& note : d.notes) text += "\n" + note;
  j.key("message");
  j.begin_object();
  j.field("text", text);
  j.end_object();
  j.key("locations");
  j.begin_array();
  j.begin_object();
  write_physical(j, d.location);
  j.end_object();
  j.end_array();
  write_related(j, d);
  write_fix(j, d);
  if (d.suppression_reason) {
    j.key("suppressions");
    j.begin_array();
    j.begin_object();
    j.field("kind", "external");
    j.field("justification", *d.suppression_reason);
    j.end_object();
    j.end_array();
  }
  j.key("partialFingerprints");
  j.begin_object();
  const std::string hash = fingerprint(d);
  j.field("gdExportLint/v1", fmt::format("{}:{}", hash, ++occurrences[hash]));
  j.end_object();
  j.end_object();
}

// The SARIF log, written as it goes: the run's tool and results first; what is known only at
// the end (the verdicts, the invocation with the inputs that could not be read) after them.
class SarifStream final : public ReportStream {
 public:
  explicit SarifStream(std::ostream& out) : out_(out), j_(out) {
    const auto rules = all_rules();
    for (std::size_t i = 0; i < rules.size(); ++i) rule_index_.emplace(rules[i].id, i);
    JsonOut& j = j_;
    begin_sarif_log(j, "gd-export-lint");
    for (const RuleInfo& rule : rules) write_rule(j, rule);
    j.end_array();
    j.end_object();
    j.end_object();
    j.field("columnKind", "unicodeCodePoints");
    write_uri_base_ids(j);
    j.key("results");
    j.begin_array();
  }

  void finding(const Diagnostic& d, const SourceFile* /*source*/) override {
    // Occurrence numbers count identical findings of one file; findings come file by file.
    if (d.location.file != occurrences_file_) {
      occurrences_.clear();
      occurrences_file_ = d.location.file;
    }
    write_result(j_, d, rule_index_, occurrences_);
  }

  void finish(const Report& report) override {
    JsonOut& j = j_;
    j.end_array();
    // Per export setup, would it export (auditors): a property bag, as SARIF allows on a run.
    j.key("properties");
    j.begin_object();
    j.key("setups");
    write_setup_verdicts(j, report.setups);
    j.end_object();
    write_invocation(j, report);
    j.end_object();
    j.end_array();
    j.end_object();
    j.finish();
    out_ << '\n';
  }

 private:
  std::ostream& out_;
  JsonOut j_;
  std::map<std::string, std::size_t, std::less<>> rule_index_;
  std::map<std::string, std::size_t, std::less<>> occurrences_;
  std::string occurrences_file_;
};

}  // namespace

std::unique_ptr<ReportStream> open_sarif_stream(std::ostream& out) {
  return std::make_unique<SarifStream>(out);
}

}  // namespace gdl
