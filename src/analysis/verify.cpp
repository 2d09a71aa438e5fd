#include "analysis/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "checks/setup_rule.h"
#include "iam/request_space.h"

namespace gdl::analysis {

namespace {

// Not a rule: it rides on the setup-rule pass to see each setup's documents and settings, and
// reports nothing into the check.
class Collector final : public SetupRule {
 public:
  Collector() { set_id("verify"); }

  void check(const SetupContext& context, std::vector<Diagnostic>&) const override {
    for (const documents::Kind kind :
         {documents::Kind::bucket_policy, documents::Kind::key_policy}) {
      for (const exportcfg::PolicyDocument* doc : context.of_kind(kind)) {
        VerifiedDocument v;
        v.name = doc->name();
        v.path = container_path(*doc->source);
        v.start = make_location(*doc->source, doc->policy.span).start;
        v.kind = doc->kind;
        v.policy = doc->policy;
        v.settings = context.settings;
        v.stand_ins = exportcfg::stand_in_placeholders(context.settings);
        for (const policy::Statement& s : doc->policy.statements) {
          const Position at = make_location(*doc->source, s.span).start;
          v.statement_labels[s.index] = fmt::format("{} at line {}", s.label(), at.line);
          v.statement_positions[s.index] = at;
        }
        v.access = exportcfg::verify_access(*doc, context.settings);
        v.statements = exportcfg::verify_statements(doc->policy);
        const std::lock_guard lock(mutex_);
        documents_.push_back(std::move(v));
      }
    }
  }

  std::vector<VerifiedDocument> take() {
    const std::lock_guard lock(mutex_);
    return std::move(documents_);
  }

 private:
  mutable std::mutex mutex_;
  mutable std::vector<VerifiedDocument> documents_;
};

}  // namespace

bool VerifyRun::has_findings() const {
  for (const VerifiedDocument& doc : documents) {
    for (const exportcfg::AccessAnswer& a : doc.access) {
      if (!a.found.empty()) return true;
    }
    if (!doc.statements.findings.empty()) return true;
  }
  return std::any_of(changes.begin(), changes.end(),
                     [](const VerifiedChange& c) { return !c.answer.loosened.empty(); });
}

void compare(const VerifyRun& before, VerifyRun& after) {
  std::vector<bool> used(before.documents.size(), false);
  for (std::size_t d = 0; d < after.documents.size(); ++d) {
    const VerifiedDocument& doc = after.documents[d];
    for (std::size_t i = 0; i < before.documents.size(); ++i) {
      if (used[i] || before.documents[i].kind != doc.kind) continue;
      used[i] = true;
      after.changes.push_back(
          {d, before.documents[i].name,
           exportcfg::verify_change(before.documents[i].policy, doc.policy, doc.settings)});
      break;
    }
  }
}

std::string request_json(const iam::Request& request) {
  return iam::request_to_json(request);
}

VerifyRun verify(CheckRequest request) {
  VerifyRun run;
  auto collector = std::make_shared<Collector>();
  LintOptions options = request.options != nullptr ? *request.options : LintOptions{};
  options.extra_rules.push_back(collector);
  request.options = &options;
  request.sink = nullptr;
  request.progress = nullptr;
  check(request, run.check_report);
  run.documents = collector->take();
  std::sort(run.documents.begin(), run.documents.end(),
            [](const VerifiedDocument& a, const VerifiedDocument& b) { return a.name < b.name; });
  return run;
}

}  // namespace gdl::analysis
