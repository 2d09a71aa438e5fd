#include "rules/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "containers/container.h"
#include "containers/json_string.h"
#include "export/setup.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "report/rule_catalog.h"
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

// The bytes of `root` written as compact JSON: what CloudFormation submits for a policy written
// in a template. Iterative: the tree may come from hostile input.
std::size_t compact_json_size(const json::Value& root) {
  auto string_size = [](std::string_view text) {
    std::size_t n = 2;
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      n += (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r') ? 2 : u < 0x20 ? 6 : 1;
    }
    return n;
  };
  std::size_t size = 0;
  std::vector<const json::Value*> pending{&root};
  while (!pending.empty()) {
    const json::Value* v = pending.back();
    pending.pop_back();
    switch (v->kind) {
      case json::Kind::null:
        size += 4;
        break;
      case json::Kind::boolean:
        size += v->boolean ? 4 : 5;
        break;
      case json::Kind::number:
        size += v->text.size();
        break;
      case json::Kind::string:
        size += string_size(v->text);
        break;
      case json::Kind::array:
        size += 2 + (v->items.empty() ? 0 : v->items.size() - 1);
        for (const json::Value& item : v->items) pending.push_back(&item);
        break;
      case json::Kind::object:
        size += 2 + (v->members.empty() ? 0 : v->members.size() - 1);
        for (const json::Member& m : v->members) {
          size += string_size(m.key) + 1;
          pending.push_back(&m.value);
        }
        break;
    }
  }
  return size;
}

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

// Where one embedded document sits in its container, for the passes over the findings.
struct Placement {
  std::string file;
  Span outer;  // the document's bytes in the container file
  Quoting quoting = Quoting::verbatim;
  std::vector<Span> unknown_spans;  // in the container file
  const std::vector<std::pair<std::string, std::string>>* stand_ins = nullptr;
};

bool contains(Span outer, Span inner) {
  return inner.begin >= outer.begin && inner.begin < outer.end;
}

// Whether a finding's span touches an unknown value: a finding about a string that holds one
// (or a statement that does) would be a guess.
bool overlaps(Span unknown, Span finding) {
  if (finding.end <= finding.begin) return contains(unknown, finding);
  return finding.begin < unknown.end && unknown.begin < finding.end;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// A quoted JSON string on one line is also a valid YAML scalar, so such an edit applies to both.
bool is_json_scalar_line(std::string_view text) {
  return text.size() >= 2 && text.front() == '"' && text.back() == '"' &&
         text.find('\n') == std::string_view::npos;
}

// A multi-line suggestion on one line: line breaks and the indentation after them go.
std::string one_line(std::string_view text) {
  std::string out;
  bool in_break = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      in_break = true;
      continue;
    }
    if (in_break && c == ' ') continue;
    if (in_break && !out.empty() && out.back() != '{' && out.back() != '[' && c != '}' && c != ']')
      out += ' ';
    in_break = false;
    out += c;
  }
  return out;
}

// Findings about a document inside a container: stand-ins shown as the template's symbols,
// edits written the way the container writes the document (escaped in a JSON string; as a
// suggestion only where the document is YAML or the edit holds a symbol).
void adapt_to_container(Diagnostic& d, const Placement& place) {
  auto restore = [&](std::string& text) {
    bool changed = false;
    for (const auto& [value, symbol] : *place.stand_ins) {
      if (text.find(value) == std::string::npos) continue;
      replace_all(text, value, symbol);
      changed = true;
    }
    return changed;
  };
  if (place.stand_ins != nullptr && !place.stand_ins->empty()) {
    restore(d.message);
    for (std::string& note : d.notes) restore(note);
    for (RelatedLocation& r : d.related) restore(r.message);
  }
  if (!d.fix) return;
  if (place.stand_ins != nullptr) restore(d.fix->description);
  std::vector<TextEdit> kept;
  for (TextEdit& edit : d.fix->edits) {
    const bool symbolic = place.stand_ins != nullptr && restore(edit.replacement);
    if (place.quoting == Quoting::json_string) {
      edit.replacement = containers::escape_json_string(edit.replacement);
    } else if ((place.quoting == Quoting::not_json && !is_json_scalar_line(edit.replacement)) ||
               symbolic) {
      // A JSON statement cannot be pasted into YAML (nor a symbol into a template value as-is):
      // it is shown as a suggestion on one line instead of an edit.
      d.notes.push_back(fmt::format("suggested text at line {}: {}", edit.location.start.line,
                                    one_line(edit.replacement)));
      continue;
    }
    kept.push_back(std::move(edit));
  }
  d.fix->edits = std::move(kept);
}

}  // namespace

LintResult lint_setup(const std::vector<const SourceFile*>& sources,
                      exportcfg::ExportSettings settings, const LintOptions& options) {
  LintResult result;
  std::vector<std::unique_ptr<exportcfg::PolicyDocument>> documents;
  std::vector<containers::Extraction> extractions;
  extractions.reserve(sources.size());
  std::vector<Placement> placements;
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
      Placement place;
      place.outer = container_span(doc_source, embedded.tree->span);
      place.file = source->path();
      place.quoting =
          doc_source.embedding() != nullptr ? doc_source.embedding()->quoting : embedded.quoting;
      place.unknown_spans = embedded.unknown_spans;
      place.stand_ins = &extraction.stand_ins;
      placements.push_back(std::move(place));

      policy::BuildResult built = policy::build_policy(*embedded.tree, doc_source);
      append(result.diagnostics, std::move(built.diagnostics));
      if (!built.policy) continue;
      auto doc = std::make_unique<exportcfg::PolicyDocument>();
      doc->source = &doc_source;
      doc->policy = std::move(*built.policy);
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
          written_as_json ? doc_source.text().size() : compact_json_size(*embedded.tree);
      const bool resource_policy =
          std::any_of(doc->policy.statements.begin(), doc->policy.statements.end(),
                      [](const policy::Statement& s) { return s.principal.present; });
      const PolicyContext context{doc_source, doc->policy, resource_policy};
      for (const auto& rule : policy_rules()) {
        if (enabled(options, rule->id()))
          run_guarded(*rule, context, doc_source, embedded.tree->span, result.diagnostics);
      }
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
    // The flags and --config are stronger than what a template or plan states; where they
    // disagree, the user hears about it at the template's value.
    auto compare = [&](const exportcfg::Value& in_file, const exportcfg::Value& given,
                       std::string_view what) {
      if (!in_file.known() || !given.known() || in_file.get() == given.get() ||
          !in_file.origin.location)
        return;
      Diagnostic d = make_diagnostic(
          "GD007", *in_file.origin.location,
          fmt::format("this file's publishing destination gives the {} as {}, but {} gives {}; "
                      "the checks use {}",
                      what, in_file.get(), given.origin.detail, given.get(), given.get()));
      d.severity = Severity::warning;
      result.diagnostics.push_back(std::move(d));
    };
    compare(stated.bucket, settings.bucket, "bucket");
    compare(stated.prefix, settings.prefix, "prefix");
    compare(stated.key_arn, settings.key_arn, "KMS key ARN");
    compare(stated.detector_id, settings.detector_id, "detector id");
    exportcfg::merge_settings(stated, settings);
    settings = std::move(stated);
  }
  exportcfg::infer_settings(settings, documents);
  if (options.setup_rules && !documents.empty()) {
    const auto requests = exportcfg::guardduty_requests(settings, true);
    const auto documented = exportcfg::guardduty_requests(settings, false);
    const SetupContext context{documents, settings, requests, documented};
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
  result.settings = std::move(settings);

  // Which statement each finding is in (for fingerprints and statement-level suppressions).
  for (const auto& doc : documents) {
    for (const policy::Statement& s : doc->policy.statements) {
      const Span where = container_span(*doc->source, s.span);
      const std::string& file = container_path(*doc->source);
      for (Diagnostic& d : result.diagnostics) {
        if (d.statement_index || file != d.location.file) continue;
        if (contains(where, d.location.span)) {
          d.statement_index = s.index;
          if (s.sid) d.statement_sid = s.sid->value;
        }
      }
    }
  }
  // Findings about values that cannot be known offline are dropped: they would be guesses.
  std::erase_if(result.diagnostics, [&](const Diagnostic& d) {
    if (d.rule_id == "GD007") return false;
    return std::any_of(placements.begin(), placements.end(), [&](const Placement& p) {
      return p.file == d.location.file &&
             std::any_of(p.unknown_spans.begin(), p.unknown_spans.end(),
                         [&](Span u) { return overlaps(u, d.location.span); });
    });
  });
  for (Diagnostic& d : result.diagnostics) {
    bool placed = false;
    for (const Placement& p : placements) {
      if (p.file == d.location.file &&
          (contains(p.outer, d.location.span) || p.outer.begin == d.location.span.begin)) {
        adapt_to_container(d, p);
        placed = true;
        break;
      }
    }
    if (placed) continue;
    // Findings outside a policy (a template's publishing destination) show symbols too.
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if (sources[i]->path() != d.location.file || extractions[i].stand_ins.empty()) continue;
      Placement symbols_only;
      symbols_only.stand_ins = &extractions[i].stand_ins;
      adapt_to_container(d, symbols_only);
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
