#include "rules/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "containers/container.h"
#include "containers/findings.h"
#include "export/setup.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "report/rule_catalog.h"
#include "rules/policy_rule.h"
#include "rules/setup_rule.h"
#include "util/text.h"

namespace gdl {

std::vector<const exportcfg::PolicyDocument*> SetupContext::of_kind(documents::Kind kind) const {
  std::vector<const exportcfg::PolicyDocument*> result;
  for (const auto& doc : documents) {
    if (doc->kind == kind) result.push_back(doc.get());
  }
  return result;
}

namespace {

void append_notes(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

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

namespace {

// A rule that fails (it should not: rules do not throw) costs its own findings on this input,
// reported as GD000 where the document starts, not the run: the other rules and files go on.
template <typename Rule, typename Context>
void run_guarded(const Rule& rule, const Context& context, const SourceFile& where, Span span,
                 std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  try {
    rule.check(context, out);
  } catch (const std::exception& e) {
    out.resize(before);
    out.push_back(make_diagnostic(
        "GD000", make_location(where, {span.begin, span.begin}),
        fmt::format("internal error: rule {} failed on this input ({}); its findings are "
                    "missing, the other rules ran. Please report this with the input",
                    rule.id(), e.what())));
  }
}

bool starts_in(Span outer, Span inner) {
  return inner.begin >= outer.begin && inner.begin < outer.end;
}

}  // namespace

LintResult lint_setup(const std::vector<const SourceFile*>& sources,
                      exportcfg::ExportSettings settings, const LintOptions& options) {
  LintResult result;
  std::vector<std::unique_ptr<exportcfg::PolicyDocument>> documents;
  std::vector<containers::Extraction> extractions;
  extractions.reserve(sources.size());
  std::vector<containers::Placement> placements;
  containers::Hints hints;
  hints.account = settings.account.value;
  if (!settings.regions.empty()) hints.region = settings.regions.front();
  exportcfg::ExportSettings stated;  // what the containers say about the export
  bool any_stated = false;

  for (const SourceFile* source : sources) {
    containers::Extraction& extraction = extractions.emplace_back();
    try {
      extraction = containers::extract(*source, hints);
    } catch (const std::exception& e) {
      extraction = {};
      result.diagnostics.push_back(make_diagnostic(
          "GD000", make_location(*source, {0, 0}),
          fmt::format("internal error: the file could not be read ({}); nothing in it was "
                      "checked, the other files were. Please report this with the input",
                      e.what())));
    }
    append(result.diagnostics, std::move(extraction.diagnostics));
    append_notes(result.notes, extraction.notes);
    result.stand_ins.insert(result.stand_ins.end(), extraction.stand_ins.begin(),
                            extraction.stand_ins.end());
    if (extraction.has_settings) {
      exportcfg::merge_settings(stated, extraction.settings);
      any_stated = true;
    }
    for (containers::EmbeddedDocument& embedded : extraction.documents) {
      const SourceFile& doc_source = *embedded.source;
      bool simulate = embedded.simulate;
      if (embedded.needs_parse) {
        json::ParseResult parsed = json::parse(doc_source);
        append(result.diagnostics, std::move(parsed.diagnostics));
        if (!parsed.root) continue;
        simulate = simulate && !parsed.recovered;
        embedded.tree = std::move(*parsed.root);
      }
      if (!embedded.tree) continue;
      placements.push_back(containers::place(embedded, extraction, source->path()));

      policy::BuildResult built = policy::build_policy(*embedded.tree, doc_source);
      append(result.diagnostics, std::move(built.diagnostics));
      if (!built.policy) continue;
      auto doc = std::make_unique<exportcfg::PolicyDocument>();
      doc->source = &doc_source;
      doc->policy = std::move(*built.policy);
      containers::mark_uncertain_statements(placements.back(), doc->policy, doc_source);
      doc->label = embedded.label;
      // A container's own word on the kind (the resource type) beats --kind, which is for
      // bare policies.
      doc->kind = embedded.kind
                      ? *embedded.kind
                      : options.kind_override.value_or(documents::detect_kind(doc->policy));
      // What AWS receives: the text as written, or (a template's policy) the policy as JSON.
      const bool written_as_json =
          embedded.needs_parse || (extraction.format == containers::Format::policy &&
                                   embedded.quoting != Quoting::not_json);
      doc->submitted_size =
          written_as_json ? doc_source.text().size() : json::compact_size(*embedded.tree);
      const bool resource_policy =
          std::any_of(doc->policy.statements.begin(), doc->policy.statements.end(),
                      [](const policy::Statement& s) { return s.principal.present; });
      const PolicyContext context{doc_source, doc->policy, resource_policy};
      for (const auto& rule : policy_rules()) {
        if (enabled(options, rule->id()))
          run_guarded(*rule, context, doc_source, embedded.tree->span, result.diagnostics);
      }
      embedded.tree.reset();  // the model has what the later stages need; free the tree early
      // A document repaired from broken JSON is not simulated: AWS would reject it anyway, and
      // its permissions are reported once the syntax error is fixed. Nor is one holding values
      // that cannot be known offline: a guess would produce false findings.
      if (!simulate) continue;
      doc->evaluator = std::make_unique<iam::Evaluator>(doc->policy);
      result.documents.push_back({doc->name(), doc->kind});
      documents.push_back(std::move(doc));
    }
  }

  if (any_stated) {
    // The flags and --config are stronger than what a template or plan states.
    containers::report_contradictions(stated, settings, result.diagnostics);
    exportcfg::merge_settings(stated, settings);
    settings = std::move(stated);
  }
  exportcfg::infer_settings(settings, documents);
  const std::size_t before_setup_rules = result.diagnostics.size();
  if (options.setup_rules && !documents.empty()) {
    const auto requests = exportcfg::guardduty_requests(settings, true);
    const auto documented = exportcfg::guardduty_requests(settings, false);
    const exportcfg::ExportSettings other = exportcfg::with_other_stand_ins(settings);
    const auto other_requests = exportcfg::guardduty_requests(other, true);
    const auto other_documented = exportcfg::guardduty_requests(other, false);
    const SetupContext context{documents,      settings,        requests, documented,
                               other_requests, other_documented};
    for (const auto& rule : setup_rules()) {
      if (enabled(options, rule->id()))
        run_guarded(*rule, context, *documents.front()->source, documents.front()->policy.span,
                    result.diagnostics);
    }
    for (const auto& rule : options.extra_rules) {
      if (enabled(options, rule->id()))
        run_guarded(*rule, context, *documents.front()->source, documents.front()->policy.span,
                    result.diagnostics);
    }
  }
  // The setup rules' findings (and the evaluator's reasons they quote) never show a stand-in
  // as a fact: each becomes its placeholder.
  const auto placeholders = exportcfg::stand_in_placeholders(settings);
  for (std::size_t i = before_setup_rules; i < result.diagnostics.size(); ++i) {
    Diagnostic& d = result.diagnostics[i];
    auto replace = [&placeholders](std::string& text) {
      for (const auto& [value, placeholder] : placeholders) replace_whole_words(text, value, placeholder);
    };
    replace(d.message);
    for (std::string& note : d.notes) replace(note);
    for (RelatedLocation& r : d.related) replace(r.message);
    if (d.fix) {
      replace(d.fix->description);
      for (TextEdit& edit : d.fix->edits) replace(edit.replacement);
    }
  }
  result.settings = std::move(settings);

  // Which statement each finding is in (for fingerprints and statement-level suppressions).
  for (const auto& doc : documents) {
    for (const policy::Statement& s : doc->policy.statements) {
      const Span where = container_span(*doc->source, s.span);
      const std::string& file = container_path(*doc->source);
      for (Diagnostic& d : result.diagnostics) {
        if (d.statement_index || file != d.location.file) continue;
        if (starts_in(where, d.location.span)) {
          d.statement_index = s.index;
          if (s.sid) d.statement_sid = s.sid->value;
        }
      }
    }
  }
  containers::adapt_findings(result.diagnostics, placements, sources, extractions);

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
