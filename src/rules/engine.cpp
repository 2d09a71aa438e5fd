#include "rules/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "export/setup.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "rules/policy_rule.h"
#include "rules/setup_rule.h"

namespace gdl {

std::vector<const exportcfg::PolicyDocument*> SetupContext::of_kind(documents::Kind kind) const {
  std::vector<const exportcfg::PolicyDocument*> result;
  for (const auto& doc : documents) {
    if (doc->kind == kind) result.push_back(doc.get());
  }
  return result;
}

namespace {

void append(std::vector<Diagnostic>& to, std::vector<Diagnostic>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

bool enabled(const LintOptions& options, std::string_view id) {
  return !options.disabled_rules.contains(std::string(id));
}

// A hostile file can hold a million unknown keys: after kMaxPerRule findings of one rule in one
// file, the rest are counted in a note on the last one shown instead of listed.
constexpr std::size_t kMaxPerRule = 50;

void cap_per_rule(std::vector<Diagnostic>& diagnostics) {
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  std::map<std::pair<std::string, std::string>, std::size_t> last_kept;
  std::vector<Diagnostic> kept;
  kept.reserve(std::min(diagnostics.size(), std::size_t{4096}));
  for (Diagnostic& d : diagnostics) {
    const auto key = std::make_pair(d.location.file, d.rule_id);
    if (++seen[key] > kMaxPerRule) continue;
    last_kept[key] = kept.size();
    kept.push_back(std::move(d));
  }
  for (const auto& [key, count] : seen) {
    if (count > kMaxPerRule) {
      kept[last_kept[key]].notes.push_back(fmt::format(
          "{} more {} findings in this file are not shown", count - kMaxPerRule, key.second));
    }
  }
  diagnostics = std::move(kept);
}

}  // namespace

LintResult lint_setup(const std::vector<const SourceFile*>& sources,
                      exportcfg::ExportSettings settings, const LintOptions& options) {
  LintResult result;
  std::vector<std::unique_ptr<exportcfg::PolicyDocument>> documents;
  for (const SourceFile* source : sources) {
    json::ParseResult parsed = json::parse(*source);
    append(result.diagnostics, std::move(parsed.diagnostics));
    if (!parsed.root) continue;
    policy::BuildResult built = policy::build_policy(*parsed.root, *source);
    append(result.diagnostics, std::move(built.diagnostics));
    if (!built.policy) continue;
    auto doc = std::make_unique<exportcfg::PolicyDocument>();
    doc->source = source;
    doc->policy = std::move(*built.policy);
    doc->kind = options.kind_override.value_or(documents::detect_kind(doc->policy));
    const bool resource_policy =
        std::any_of(doc->policy.statements.begin(), doc->policy.statements.end(),
                    [](const policy::Statement& s) { return s.principal.present; });
    const PolicyContext context{*source, doc->policy, resource_policy};
    for (const auto& rule : policy_rules()) {
      if (enabled(options, rule->id())) rule->check(context, result.diagnostics);
    }
    // A document repaired from broken JSON is not simulated: AWS would reject it anyway, and
    // its permissions are reported once the syntax error is fixed.
    if (parsed.recovered) continue;
    doc->evaluator = std::make_unique<iam::Evaluator>(doc->policy);
    result.documents.push_back({source->path(), doc->kind});
    documents.push_back(std::move(doc));
  }

  exportcfg::infer_settings(settings, documents);
  if (options.setup_rules && !documents.empty()) {
    const auto requests = exportcfg::guardduty_requests(settings, true);
    const auto documented = exportcfg::guardduty_requests(settings, false);
    const SetupContext context{documents, settings, requests, documented};
    for (const auto& rule : setup_rules()) {
      if (enabled(options, rule->id())) rule->check(context, result.diagnostics);
    }
    for (const auto& rule : options.extra_rules) {
      if (enabled(options, rule->id())) rule->check(context, result.diagnostics);
    }
  }
  result.settings = std::move(settings);

  // Which statement each finding is in (for fingerprints and statement-level suppressions).
  for (Diagnostic& d : result.diagnostics) {
    for (const auto& doc : documents) {
      if (doc->source->path() != d.location.file) continue;
      for (const policy::Statement& s : doc->policy.statements) {
        if (d.location.span.begin >= s.span.begin && d.location.span.begin < s.span.end) {
          d.statement_index = s.index;
          if (s.sid) d.statement_sid = s.sid->value;
          break;
        }
      }
    }
  }

  std::erase_if(result.diagnostics,
                [&](const Diagnostic& d) { return !enabled(options, d.rule_id); });
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), diagnostic_less);
  cap_per_rule(result.diagnostics);
  return result;
}

std::vector<Diagnostic> lint_source(const SourceFile& source, const LintOptions& options) {
  return lint_setup({&source}, {}, options).diagnostics;
}

}  // namespace gdl
