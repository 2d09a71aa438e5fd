// The stable JSON output (schema documented in README.md, "JSON output").

#include "diag/rule_catalog.h"
#include "report/json_writer.h"
#include "report/report.h"

namespace gdl {
namespace {

void write_range(JsonOut& j, const Location& loc) {
  j.field("file", loc.file);
  j.field("line", loc.start.line);
  j.field("column", loc.start.column);
  j.field("endLine", loc.end.line);
  j.field("endColumn", loc.end.column);
  j.field("offset", loc.span.begin);
  j.field("endOffset", loc.span.end);
}

}  // namespace

void write_setup_verdicts(JsonOut& j, const SetupVerdicts& setups) {
  j.begin_array();
  setups.for_each([&j](const SetupVerdict& v) {
    j.begin_object();
    j.key("documents");
    j.begin_array();
    for (const std::string& d : v.documents) j.string(d);
    j.end_array();
    j.field("verdict", v.verdict);
    j.key("errors");
    j.begin_array();
    for (const std::string& r : v.reasons) j.string(r);
    j.end_array();
    j.end_object();
  });
  j.end_array();
}

namespace {

// The JSON report, written as it goes: the findings array first, the rest when the run ends.
class JsonStream final : public ReportStream {
 public:
  explicit JsonStream(std::ostream& out) : out_(out), j_(out) {
    j_.begin_object();
    j_.field("tool", "gd-export-lint");
    j_.field("version", GDL_VERSION);
    j_.field("schemaVersion", 1);
    j_.key("diagnostics");
    j_.begin_array();
  }

  void finding(const Diagnostic& d, const SourceFile* /*source*/) override {
    JsonOut& j = j_;
    j.begin_object();
    j.field("ruleId", d.rule_id);
    j.field("ruleName", d.rule_name);
    if (const RuleInfo* rule = find_rule(d.rule_id)) j.field("helpUri", rule_help_uri(*rule));
    j.field("severity", to_string(d.severity));
    j.field("message", d.message);
    write_range(j, d.location);
    if (d.suppression_reason) {
      j.key("suppression");
      j.begin_object();
      j.field("reason", *d.suppression_reason);
      j.end_object();
    }
    j.key("related");
    j.begin_array();
    for (const RelatedLocation& r : d.related) {
      j.begin_object();
      write_range(j, r.location);
      j.field("message", r.message);
      j.end_object();
    }
    j.end_array();
    j.key("notes");
    j.begin_array();
    for (const std::string& note : d.notes) j.string(note);
    j.end_array();
    if (d.fix) {
      j.key("fix");
      j.begin_object();
      j.field("description", d.fix->description);
      j.key("edits");
      j.begin_array();
      for (const TextEdit& e : d.fix->edits) {
        j.begin_object();
        write_range(j, e.location);
        j.field("replacement", e.replacement);
        j.end_object();
      }
      j.end_array();
      j.end_object();
    }
    j.end_object();
  }

  void finish(const Report& report) override {
    JsonOut& j = j_;
    j.end_array();
    j.key("inputErrors");
    j.begin_array();
    for (const InputError& e : report.input_errors) {
      j.begin_object();
      j.field("file", e.path);
      j.field("message", e.message);
      j.end_object();
    }
    j.end_array();
    j.key("exportSettings");
    j.begin_array();
    for (const ReportSetting& setting : report.settings) {
      j.begin_object();
      j.field("name", setting.name);
      j.field("value", setting.value);
      j.field("origin", setting.origin);
      j.end_object();
    }
    j.end_array();
    // How containers were read: stand-ins for template symbols, values unknown offline.
    j.key("inputNotes");
    j.begin_array();
    for (const std::string& note : report.notes) j.string(note);
    j.end_array();
    const Summary s = report.summary();
    // Per export setup: would it export, and if not, why (auditors).
    j.key("setups");
    write_setup_verdicts(j, report.setups);
    j.key("summary");
    j.begin_object();
    j.field("files", s.files);
    j.field("skipped", s.skipped);
    j.field("baselined", s.baselined);
    j.field("suppressed", s.suppressed);
    j.field("errors", s.errors);
    j.field("warnings", s.warnings);
    j.field("notes", s.notes);
    j.field("partlyJudgedPolicies", s.partly_judged);
    j.field("inputErrors", report.input_errors.size());
    j.end_object();
    j.end_object();
    j.finish();
    out_ << '\n';
  }

 private:
  std::ostream& out_;
  JsonOut j_;
};

}  // namespace

std::unique_ptr<ReportStream> open_json_stream(std::ostream& out) {
  return std::make_unique<JsonStream>(out);
}

}  // namespace gdl
