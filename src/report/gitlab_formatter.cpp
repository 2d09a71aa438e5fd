// GitLab Code Quality (a JSON array of issues, shown in merge requests): each finding with its
// description, the rule as check_name, a fingerprint unique in the report, a severity and its
// file and line. Suppressed findings are left out (GitLab has no "suppressed" state).

#include <fmt/format.h>

#include <map>

#include "report/json_writer.h"
#include "report/report.h"

namespace gdl {

namespace {

class GitlabStream final : public ReportStream {
 public:
  explicit GitlabStream(std::ostream& out) : out_(out), j_(out) { j_.begin_array(); }

  void finding(const Diagnostic& d, const SourceFile* /*source*/) override {
    JsonOut& j = j_;
    // Fingerprints name the file: the count of equal ones starts again with each file.
    if (d.location.file != seen_file_) {
      seen_.clear();
      seen_file_ = d.location.file;
    }
    if (d.suppression_reason) return;
    // Two findings with one fingerprint (the same rule twice in a statement) stay two issues.
    std::string print = fingerprint(d);
    if (const std::size_t n = seen_[print]++; n > 0) print += fmt::format("-{}", n);
    j.begin_object();
    j.field("description", fmt::format("{} [{} {}]", d.message, d.rule_id, d.rule_name));
    j.field("check_name", d.rule_id);
    j.field("fingerprint", print);
    // An export that fails is critical, a hardening gap major, an assumption or style info.
    j.field("severity", d.severity == Severity::error     ? "critical"
                        : d.severity == Severity::warning ? "major"
                                                          : "info");
    j.key("location");
    j.begin_object();
    j.field("path", d.location.file);
    j.key("lines");
    j.begin_object();
    j.field("begin", d.location.start.line);
    j.field("end", d.location.end.line);
    j.end_object();
    j.end_object();
    j.end_object();
  }

  void finish(const Report& /*report*/) override {
    j_.end_array();
    j_.finish();
    out_ << '\n';
  }

 private:
  std::ostream& out_;
  JsonOut j_;
  std::map<std::string, std::size_t, std::less<>> seen_;
  std::string seen_file_;
};

}  // namespace

std::unique_ptr<ReportStream> open_gitlab_stream(std::ostream& out) {
  return std::make_unique<GitlabStream>(out);
}

}  // namespace gdl
