#include "analysis/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "checks/policy_rule.h"
#include "checks/setup_rule.h"
#include "containers/container.h"
#include "containers/findings.h"
#include "containers/inline_suppressions.h"
#include "diag/rule_catalog.h"
#include "export/setup.h"
#include "iam/iam_data.h"
#include "iam/wildcard.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "util/interval_index.h"
#include "util/text.h"

namespace gdl {

namespace {

// The file a document's bytes are written in (a decoded document reports into its container).
const SourceFile& home(const SourceFile& source) {
  const SourceFile* file = &source;
  while (const Embedding* e = file->embedding()) file = e->container;
  return *file;
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

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

// One value, one finding: where findings share the exact span of a value (a guide's "KMS key
// ARN" left in a Resource is a placeholder, not an ARN, and the reason GuardDuty's request is
// denied), the findings about the value's text (rules that need only the document) without a
// fix and no more severe are told as notes of the one that carries the fix (or, when none has a
// fix, of the one about what the value does to GuardDuty's requests). Findings at a
// statement's first byte are about the statement and each keep their own fix, so one-byte spans are
// left alone. `diagnostics` is sorted.
void fold_same_value(std::vector<Diagnostic>& diagnostics) {
  auto about_text = [](const Diagnostic& d) {
    const RuleInfo* rule = find_rule(d.rule_id);
    return rule != nullptr && rule->needs == RuleNeeds::document;
  };
  // A value's span; in a string whose bytes map to the container only as a whole (a YAML string
  // folded over lines: every value at its start), the value's span in the decoded document.
  auto value_span = [](const Diagnostic& d) {
    return d.location.span.size() > 1 ? std::make_pair(d.location.span, Span{})
                                      : std::make_pair(d.location.span, d.location.embedded);
  };
  auto same_value = [&](const Diagnostic& a, const Diagnostic& b) {
    return a.location.file == b.location.file && value_span(a) == value_span(b);
  };
  auto one_value = [](const Diagnostic& d) {
    return d.location.span.size() > 1 || d.location.embedded.size() > 1;
  };
  // The findings of one value next to each other (those of a folded string share a place).
  auto place = [&](const Diagnostic& d) {
    const auto [span, embedded] = value_span(d);
    return std::make_tuple(std::string_view(d.location.file), span.begin, span.end, embedded.begin,
                           embedded.end);
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return place(a) < place(b); });
  std::vector<Diagnostic> kept;
  kept.reserve(diagnostics.size());
  for (std::size_t i = 0; i < diagnostics.size();) {
    std::size_t end = i + 1;
    while (end < diagnostics.size() && same_value(diagnostics[i], diagnostics[end])) ++end;
    if (end - i == 1 || !one_value(diagnostics[i])) {
      for (; i < end; ++i) kept.push_back(std::move(diagnostics[i]));
      continue;
    }
    // The finding the others become notes of: the most severe one with a fix. Without a fix,
    // the most severe one about what the value does to GuardDuty's requests (a setup rule's:
    // GD312's "no request matches") over those about its text (GD005's placeholder), which
    // become its notes; when every one is about the text, all are kept.
    std::optional<std::size_t> main;
    for (std::size_t j = i; j < end; ++j) {
      if (diagnostics[j].fix && (!main || diagnostics[j].severity > diagnostics[*main].severity))
        main = j;
    }
    if (!main) {
      for (std::size_t j = i; j < end; ++j) {
        const Diagnostic& d = diagnostics[j];
        if (!about_text(d) && !d.suppression_reason &&
            (!main || d.severity > diagnostics[*main].severity))
          main = j;
      }
    }
    if (!main) {
      for (; i < end; ++i) kept.push_back(std::move(diagnostics[i]));
      continue;
    }
    Diagnostic primary = std::move(diagnostics[*main]);
    for (std::size_t j = i; j < end; ++j) {
      if (j == *main) continue;
      Diagnostic& d = diagnostics[j];
      if (about_text(d) && !d.fix && d.severity <= primary.severity && !d.suppression_reason) {
        primary.notes.push_back(
            fmt::format("the same value: {} [{} {}]", d.message, d.rule_id, d.rule_name));
      } else {
        kept.push_back(std::move(d));
      }
    }
    kept.push_back(std::move(primary));
    i = end;
  }
  std::stable_sort(kept.begin(), kept.end(), diagnostic_less);
  diagnostics = std::move(kept);
}

// One root cause, one finding. A statement's second identical finding (a value written twice
// in a list, ["k", "k"], is the same value to AWS: values are OR'ed) becomes a note of the
// first ("also at 60:13"); and findings of one rule at one place with the same fix (a Deny that
// blocks GetBucketLocation and PutObject alike), or without one (below), become one, the
// others' messages its notes.
// `diagnostics` is sorted.
void fold_repeated_values(std::vector<Diagnostic>& diagnostics) {
  const auto about_document = [](const Diagnostic& d) {
    const RuleInfo* rule = find_rule(d.rule_id);
    return rule == nullptr || rule->needs == RuleNeeds::document;
  };
  // Copies, not views: a moved short string's bytes move with it.
  std::map<std::tuple<std::string, std::size_t, std::string, std::string, bool>, std::size_t> first;
  std::map<std::tuple<std::string, std::size_t, std::size_t, std::string, std::string, bool>,
           std::size_t>
      same_fix;
  auto fix_text = [](const Fix& fix) {
    std::string text = fix.description;
    for (const TextEdit& e : fix.edits)
      text += fmt::format("\n{}-{}:{}", e.location.span.begin, e.location.span.end, e.replacement);
    return text;
  };
  std::vector<Diagnostic> kept;
  kept.reserve(diagnostics.size());
  // Places listed per finding; the rest are counted ("and 329,990 more"): a list of 330,000
  // copies of one value made one finding 15 MB.
  constexpr std::size_t kListedRepeats = 10;
  std::map<std::size_t, std::size_t> repeats;  // by index in `kept`
  for (Diagnostic& d : diagnostics) {
    const bool suppressed = d.suppression_reason.has_value();
    std::optional<decltype(first)::key_type> value_key;
    if (d.statement_index) {
      value_key.emplace(d.location.file, d.statement_offset, d.rule_id, d.message, suppressed);
      if (const auto it = first.find(*value_key); it != first.end()) {
        Diagnostic& kept_one = kept[it->second];
        if (++repeats[it->second] <= kListedRepeats) {
          kept_one.notes.push_back(fmt::format("the same value is written again at {}:{}",
                                               d.location.start.line, d.location.start.column));
        }
        // Its edit goes with the first one's: the fix mends every copy of the value.
        if (kept_one.fix && d.fix && kept_one.fix->description == d.fix->description) {
          for (TextEdit& e : d.fix->edits) kept_one.fix->edits.push_back(std::move(e));
        }
        continue;
      }
    }
    std::optional<decltype(same_fix)::key_type> fix_key;
    // Without a fix too, a finding of GuardDuty's simulated requests (a Deny refusing
    // GetBucketLocation and PutObject alike, whose fix cannot be written because the value
    // comes from a variables file), or a note (an assumption deciding both): one finding. Two
    // findings about the text of one statement (no Action, no Resource) are two defects.
    if (d.fix || d.severity == Severity::note || !about_document(d)) {
      fix_key.emplace(d.location.file, d.location.span.begin, d.location.span.end, d.rule_id,
                      d.fix ? fix_text(*d.fix) : std::string(), suppressed);
      if (const auto it = same_fix.find(*fix_key);
          it != same_fix.end() && kept[it->second].severity == d.severity) {
        kept[it->second].notes.push_back(fmt::format("also: {}", d.message));
        continue;
      }
    }
    // Only a finding that is kept is what later ones fold into.
    if (value_key) first.try_emplace(std::move(*value_key), kept.size());
    if (fix_key) same_fix.try_emplace(std::move(*fix_key), kept.size());
    kept.push_back(std::move(d));
  }
  for (const auto& [index, count] : repeats) {
    if (count > kListedRepeats) {
      kept[index].notes.push_back(
          fmt::format("and {} more places with the same value", count - kListedRepeats));
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

}  // namespace

namespace {

// Whether the user gave any export setting (flags, --config, the project configuration).
std::vector<std::string> given_values(const exportcfg::ExportSettings& s) {
  std::vector<std::string> values;
  auto add = [&values](const exportcfg::Value& v) {
    if (v.known() && !v.get().empty()) values.push_back(v.get());
  };
  for (const exportcfg::Value* v :
       {&s.account, &s.bucket_account, &s.bucket, &s.prefix, &s.key_arn, &s.detector_id})
    add(*v);
  for (const auto& [region, detector] : s.detector_ids) add(detector);
  return values;
}

bool settings_given(const exportcfg::ExportSettings& s) {
  if (!s.regions.empty()) return true;
  for (const exportcfg::Value* v : {&s.account, &s.detector_id, &s.bucket, &s.prefix,
                                    &s.bucket_region, &s.bucket_account, &s.key_arn}) {
    if (v->known()) return true;
  }
  return std::any_of(s.detector_ids.begin(), s.detector_ids.end(),
                     [](const auto& entry) { return entry.second.known(); });
}

// An Effect written in another case ("allow", "DENY") makes AWS reject the document: GD103's
// error, whose fix writes "Allow" or "Deny". The setup is simulated as that fix writes it, so
// the same cause is not reported again as a permission GuardDuty lacks or a Deny the bucket
// lacks. (The evaluator itself stays exact: such a statement applies to nothing, as `simulate`
// shows.) An Effect that is missing or another word says nothing of what was meant: left as is.
void read_effects_as_fixed(policy::Policy& policy) {
  for (policy::Statement& s : policy.statements) {
    if (s.effect != policy::Effect::invalid || !s.effect_text) continue;
    if (iequals(s.effect_text->value, "Allow")) s.effect = policy::Effect::allow;
    if (iequals(s.effect_text->value, "Deny")) s.effect = policy::Effect::deny;
  }
}

// The value a template's ${AWS::Region} stands in as, or "" when it has none (a Region given).
std::string region_stand_in(const containers::Extraction& extraction) {
  for (const auto& [value, symbol] : extraction.stand_ins) {
    if (symbol == "${AWS::Region}") return value;
  }
  return {};
}

// What `token` was bound to by bind_stand_ins, or "" when it was not (or to itself).
std::string bound_value(const containers::Extraction& extraction, const std::string& token) {
  if (token.empty()) return {};
  for (const auto& [from, to] : extraction.bound) {
    if (from == token && to != token) return to;
  }
  return {};
}

// Whether a statement may be about the export's requests. GuardDuty's service principal is named
// in a key policy only for the export (the lists it reads are decrypted by its service-linked
// role), but a bucket policy may grant it reads of its threat lists (s3:GetObject,
// s3:ListBucket): a statement whose actions are all S3 actions we know, none covering s3:PutObject
// or s3:GetBucketLocation as IAM matches actions (wildcards, any case), is not the export's. A
// misspelt or unknown action may be meant as one, and must not turn the export checks off.
bool may_be_export_statement(const policy::Statement& s) {
  if (!s.action.present || s.action_negated || s.action.items.empty()) return true;
  static constexpr std::string_view kBucketRequests[] = {"s3:PutObject", "s3:GetBucketLocation"};
  return std::any_of(s.action.items.begin(), s.action.items.end(), [](const policy::Text& a) {
    if (!istarts_with(a.value, "s3:")) return true;
    const iam::Pattern pattern = iam::Pattern::glob(a.value, true);
    if (std::any_of(std::begin(kBucketRequests), std::end(kBucketRequests),
                    [&](std::string_view action) { return pattern.matches(action); }))
      return true;
    return !pattern.has_wildcards() && data::find_action(a.value) == nullptr;
  });
}

// Whether a document lets GuardDuty make an export's request: an Allow of the export's requests
// that names GuardDuty's service principal, or everyone ("*", which GuardDuty is too: AWS's
// examples pin such a grant to GuardDuty with aws:SourceArn conditions).
bool grants_guardduty(const exportcfg::PolicyDocument& doc) {
  return std::any_of(doc.policy.statements.begin(), doc.policy.statements.end(),
                     [](const policy::Statement& s) {
                       return s.effect == policy::Effect::allow && !s.principal_negated &&
                              (exportcfg::names_guardduty(s) || exportcfg::names_everyone(s)) &&
                              may_be_export_statement(s);
                     });
}

// Whether a document is about GuardDuty's export, spelled right or not: a statement about the
// export's requests (may_be_export_statement) with a Service principal that looks like
// GuardDuty's (guarduty.amazonaws.com, guardduty.us-east1.amazonaws.com) or an aws:SourceArn of a
// detector, or an object path of GuardDuty's. A misspelt grant must not turn the export checks
// off; a bucket GuardDuty only reads its threat lists from is not an export's.
bool mentions_guardduty(const exportcfg::PolicyDocument& doc) {
  auto looks = [](std::string_view text, std::string_view word) {
    return to_lower(text).find(word) != std::string::npos;
  };
  for (const policy::Statement& s : doc.policy.statements) {
    const bool export_statement = may_be_export_statement(s);
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      if (export_statement && e.type == "Service" &&
          (looks(e.value.value, "guard") || looks(e.value.value, "gaurd")))
        return true;
    }
    for (const policy::ConditionClause& c : s.conditions) {
      for (const policy::Text& v : c.values) {
        if (export_statement && looks(v.value, ":guardduty:")) return true;
      }
    }
    for (const policy::Text& r : s.resource.items) {
      if (r.value.find("/GuardDuty/") != std::string::npos) return true;
    }
  }
  return false;
}

// Whether a document is tied to the export's bucket or key by the settings the user gave: a
// container says so, or (a policy file) its GuardDuty grants name that bucket or key.
bool belongs_to_export(const exportcfg::PolicyDocument& doc,
                       const exportcfg::ExportSettings& given) {
  const bool key = doc.kind == documents::Kind::key_policy;
  const exportcfg::Value& target = key ? given.key_arn : given.bucket;
  if (!target.known()) return false;
  const std::string& value = target.get();
  if (!doc.belongs_to.empty())
    return doc.belongs_to == value || (key && value.ends_with("/" + doc.belongs_to));
  if (key) {
    const std::vector<std::string> named = exportcfg::keys_named(doc);
    return std::find(named.begin(), named.end(), value) != named.end();
  }
  for (const policy::Statement& s : doc.policy.statements) {
    if (s.effect != policy::Effect::allow || !exportcfg::names_guardduty(s)) continue;
    for (const policy::Text& r : s.resource.items) {
      if (iam::s3_bucket_part(r.value) == std::string_view(value)) return true;
    }
  }
  return false;
}

// The documents of `kind` that may be the export's: those tied to what the user gave, else those
// that grant GuardDuty.
std::vector<const exportcfg::PolicyDocument*> export_candidates(
    const std::vector<std::unique_ptr<exportcfg::PolicyDocument>>& documents, documents::Kind kind,
    const exportcfg::ExportSettings& given) {
  std::vector<const exportcfg::PolicyDocument*> chosen;
  for (const auto& doc : documents) {
    if (doc->kind == kind && belongs_to_export(*doc, given)) chosen.push_back(doc.get());
  }
  if (!chosen.empty()) return chosen;
  for (const auto& doc : documents) {
    if (doc->kind == kind && grants_guardduty(*doc)) chosen.push_back(doc.get());
  }
  return chosen;
}

// The S3 buckets a document's statements name in their Resources (sorted).
std::vector<std::string> buckets_named(const exportcfg::PolicyDocument& doc) {
  std::vector<std::string> buckets;
  for (const policy::Statement& s : doc.policy.statements) {
    for (const policy::Text& r : s.resource.items) {
      const auto bucket = iam::s3_bucket_part(r.value);
      if (bucket && !bucket->empty() &&
          std::find(buckets.begin(), buckets.end(), *bucket) == buckets.end())
        buckets.emplace_back(*bucket);
    }
  }
  std::sort(buckets.begin(), buckets.end());
  return buckets;
}

// Records the setup's several exports (LintResult::several_exports) when its bucket (or key)
// policies several grant GuardDuty and each is a policy file of its own: a directory of exports,
// prod-bucket.json beside dev-bucket.json. Not when one file holds several (a template's or a
// Terraform module's: what it states ties them) or a module's file holds one.
bool record_several_exports(
    const std::vector<std::unique_ptr<exportcfg::PolicyDocument>>& documents,
    const exportcfg::ExportSettings& given, LintResult& result) {
  auto keys = export_candidates(documents, documents::Kind::key_policy, given);
  auto buckets = export_candidates(documents, documents::Kind::bucket_policy, given);
  if (keys.size() <= 1 && buckets.size() <= 1) return false;
  // The one key (or bucket) policy of the directory is the exports' even when it does not grant
  // GuardDuty, as it is one setup's: its GD201 (GD301) is theirs.
  for (auto* kind_docs : {&keys, &buckets}) {
    const documents::Kind kind =
        kind_docs == &keys ? documents::Kind::key_policy : documents::Kind::bucket_policy;
    if (!kind_docs->empty()) continue;
    std::vector<const exportcfg::PolicyDocument*> of_kind;
    for (const auto& doc : documents) {
      if (doc->kind == kind) of_kind.push_back(doc.get());
    }
    if (of_kind.size() == 1) *kind_docs = std::move(of_kind);
  }
  std::set<std::string_view> files;
  for (const auto& kind_docs : {keys, buckets}) {
    for (const auto* doc : kind_docs) {
      const SourceFile& file = home(*doc->source);
      if (containers::is_terraform_module_file(file) || !files.insert(file.path()).second)
        return false;
    }
  }
  for (const auto& kind_docs : {keys, buckets}) {
    for (const auto* doc : kind_docs) {
      std::vector<std::string> key_arns = doc->kind == documents::Kind::key_policy
                                              ? exportcfg::keys_named(*doc)
                                              : exportcfg::key_arns_required(*doc);
      std::sort(key_arns.begin(), key_arns.end());
      result.several_exports.push_back({doc->kind, container_path(*doc->source), doc->name(),
                                        exportcfg::source_accounts_granted(*doc),
                                        std::move(key_arns), buckets_named(*doc)});
    }
  }
  // The identity policies beside them (whoever configures or reads the export): each export is
  // checked with those that name its bucket, or no bucket.
  for (const auto& doc : documents) {
    if (doc->kind != documents::Kind::identity_policy) continue;
    result.several_exports.push_back(
        {doc->kind, container_path(*doc->source), doc->name(), {}, {}, buckets_named(*doc)});
  }
  return true;
}

// One export has one key and one bucket. Where a setup holds several key (or bucket) policies,
// the export's is the one tied to the given key or bucket, else the one that grants GuardDuty;
// the others are checked for grammar only. Two candidates are an input error: which one
// GuardDuty uses cannot be told from the files. With `split` (LintOptions::split_exports), a
// directory's several are several exports instead: recorded, and none checked here
// (lint_exports checks each).
void select_export_documents(std::vector<std::unique_ptr<exportcfg::PolicyDocument>>& documents,
                             std::vector<std::unique_ptr<exportcfg::PolicyDocument>>& grammar_only,
                             const exportcfg::ExportSettings& given, bool split,
                             LintResult& result) {
  if (split && record_several_exports(documents, given, result)) {
    for (auto& doc : documents) {
      if (doc->kind == documents::Kind::key_policy || doc->kind == documents::Kind::bucket_policy)
        grammar_only.push_back(std::move(doc));
    }
    std::erase(documents, nullptr);
    return;
  }
  for (const documents::Kind kind : {documents::Kind::key_policy, documents::Kind::bucket_policy}) {
    std::vector<const exportcfg::PolicyDocument*> of_kind;
    for (const auto& doc : documents) {
      if (doc->kind == kind) of_kind.push_back(doc.get());
    }
    if (of_kind.size() <= 1) continue;
    std::vector<const exportcfg::PolicyDocument*> chosen =
        export_candidates(documents, kind, given);
    const std::string_view what = kind == documents::Kind::key_policy ? "key" : "bucket";
    // A few names, then a count: one finding per document, each naming all of hundreds of
    // documents (a generated template), would make the report grow as their square.
    constexpr std::size_t kNamesShown = 4;
    std::vector<std::string> names;
    const auto& listed = chosen.empty() ? of_kind : chosen;
    for (const auto* doc : listed) {
      if (names.size() == kNamesShown) {
        names.push_back(fmt::format("and {} more", listed.size() - kNamesShown));
        break;
      }
      names.push_back(doc->name());
    }
    if (chosen.size() > 1) {
      for (const auto* doc : chosen) {
        result.diagnostics.push_back(make_diagnostic(
            "GD007",
            make_location(*doc->source, {doc->policy.span.begin, doc->policy.span.begin + 1}),
            fmt::format("this export setup holds {} {} policies that grant GuardDuty ({}), but an "
                        "export writes to one bucket with one key: pair the export's documents "
                        "in the project configuration's \"setups\"; until then they are checked "
                        "for grammar only",
                        chosen.size(), what, fmt::join(names, ", "))));
      }
      chosen.clear();
    } else if (chosen.empty()) {
      result.notes.push_back(fmt::format(
          "{} {} policies and none grants GuardDuty ({}): which one is the export's is unknown, so "
          "they are checked for grammar only; pair them in the project configuration's "
          "\"setups\" to check the export",
          of_kind.size(), what, fmt::join(names, ", ")));
    }
    for (auto& doc : documents) {
      if (doc->kind == kind && std::find(chosen.begin(), chosen.end(), doc.get()) == chosen.end())
        grammar_only.push_back(std::move(doc));
    }
    std::erase(documents, nullptr);
  }
}

// What reading and modelling one plain policy file gave a run, for the runs after it that read
// the same file with the same settings and options (lint_exports: the run that finds a
// directory's several exports, then each export's own run), which take it instead of parsing,
// modelling and checking the file's grammar again. Only files whose reading depends on nothing
// else: a plain policy in a file of its own (not a template, a Terraform module or a string
// decoded from CLI output, whose readings hold symbols, settings or decoded text).
struct ReadSource {
  std::vector<Diagnostic> reader_findings;  // the reader's own (GD001 of a broken file)
  std::vector<std::string> notes;
  std::size_t unread = 0;
  std::size_t partly_judged = 0;
  std::vector<Diagnostic> diagnostics;  // the model's and the grammar rules'
  std::vector<containers::Placement> placements;
  bool holds_documents = false;
  // The documents the run kept, taken from it once it is done (each run copies them: a key
  // policy may be several exports').
  std::vector<const exportcfg::PolicyDocument*> kept;
  std::vector<std::unique_ptr<exportcfg::PolicyDocument>> documents;
};

struct ReadCache {
  bool recording = true;  // the first run records, the runs after it replay
  std::map<const SourceFile*, ReadSource> sources;
};

std::unique_ptr<exportcfg::PolicyDocument> copy_document(const exportcfg::PolicyDocument& doc) {
  auto copy = std::make_unique<exportcfg::PolicyDocument>();
  copy->source = doc.source;
  copy->policy = doc.policy;
  copy->kind = doc.kind;
  copy->label = doc.label;
  copy->submitted_size = doc.submitted_size;
  copy->belongs_to = doc.belongs_to;
  copy->lockout_check_bypassed = doc.lockout_check_bypassed;
  copy->too_large = doc.too_large;
  return copy;  // without an evaluator: the run that simulates it builds its own
}

// Whether what reading `source` gave depends on it alone (ReadSource).
bool read_alone(const SourceFile& source, const containers::Extraction& e) {
  return e.format == containers::Format::policy && !e.has_settings && e.stand_ins.empty() &&
         e.unwritable.empty() && e.fix_symbols.empty() && e.suppressions.empty() &&
         e.unseen_policies.empty() && e.files.empty() && e.free_names.empty() &&
         e.guessed_account.empty() && !e.deployed_per_region &&
         std::all_of(e.documents.begin(), e.documents.end(),
                     [&](const containers::EmbeddedDocument& d) { return d.source == &source; });
}

// One setup's run through the stages: the containers are read (and their symbols bound to the
// settings the user gave), each document modelled and checked for grammar, the export's
// documents chosen, the settings inferred, the setup rules run, and the findings made fit for
// the user's files.
class SetupRun {
 public:
  // With `cache`, plain policy files read by an earlier run with the same settings and options
  // are taken from it, and (while it records) those this run reads are put in it.
  SetupRun(const std::vector<const SourceFile*>& sources, exportcfg::ExportSettings settings,
           const LintOptions& options, ReadCache* cache = nullptr)
      : sources_(sources),
        cache_(cache),
        settings_(std::move(settings)),
        given_(settings_),
        given_values_(given_values(given_)),
        options_(options),
        declared_(options.export_declared.value_or(settings_given(settings_))) {}

  LintResult run() {
    read_containers();
    for (std::size_t i = 0; i < sources_.size(); ++i) model_documents(i);
    settle_settings();
    std::vector<std::unique_ptr<exportcfg::PolicyDocument>> grammar_only;
    // Several exports: not when the setup states what ties one (a publishing destination) or the
    // user gave settings (they are one export's: the document naming a given bucket or key is
    // the export's, and a given account or Region would be held against the others).
    const bool split = options_.split_exports && !any_stated_ && !settings_given(given_);
    select_export_documents(documents_, grammar_only, given_, split, result_);
    count_unseen_policies();
    decide_export_setup();
    place_in_given_partition();
    // Several exports: each is checked in a run of its own (lint_exports); this one gives the
    // documents' own findings.
    if (result_.several_exports.empty()) {
      // The export's documents are simulated: their evaluators are built now, not for those
      // checked for grammar only (a setup read as several exports builds them in each).
      for (const auto& doc : documents_)
        doc->evaluator =
            std::make_unique<iam::Evaluator>(doc->policy, documents::evaluation_type(doc->kind));
      exportcfg::infer_settings(settings_, documents_);
      mark_guessed_account();
      const std::size_t before_setup_rules = result_.diagnostics.size();
      run_setup_rules();
      show_placeholders(before_setup_rules);
    }
    result_.settings = settings_;
    for (auto& doc : grammar_only) documents_.push_back(std::move(doc));
    finish();
    hand_documents_to_cache();
    return std::move(result_);
  }

 private:
  void read_containers() {
    containers::Hints hints;
    hints.account = settings_.account.value;
    if (!settings_.regions.empty()) hints.region = settings_.regions.front();
    hints.one_region = settings_.regions.size() == 1;
    hints.bucket_account = settings_.bucket_account.value;
    hints.bucket_region = settings_.bucket_region.value;
    hints.bucket = settings_.bucket.value;
    hints.key_arn = settings_.key_arn.value;
    hints.terraform_inputs = options_.terraform_inputs;
    hints.read_files = options_.read_files;
    // The .tf and .tf.json files of one directory are one Terraform module: read together,
    // into the extraction of the first of them (the others' stay empty).
    std::map<std::string, std::vector<const SourceFile*>> modules;
    module_files_.reserve(sources_.size());
    for (const SourceFile* source : sources_) {
      module_files_.push_back(containers::is_terraform_module_file(*source));
      if (module_files_.back()) modules[directory_of(source->path())].push_back(source);
    }
    extractions_.reserve(sources_.size());
    replayed_.assign(sources_.size(), nullptr);
    recorded_.assign(sources_.size(), false);
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      const SourceFile* source = sources_[i];
      containers::Extraction& extraction = extractions_.emplace_back();
      const std::vector<const SourceFile*>* module =
          module_files_[i] ? &modules[directory_of(source->path())] : nullptr;
      if (cache_ != nullptr && !cache_->recording && module == nullptr) {
        if (const auto it = cache_->sources.find(source); it != cache_->sources.end()) {
          replayed_[i] = &it->second;  // read alone: its extraction held nothing else
          if (it->second.holds_documents) ++holding_documents_;
          continue;
        }
      }
      if (module != nullptr && module->front() != source) {
        extraction.format = containers::Format::terraform_source;
        continue;
      }
      bool extracted = true;
      try {
        extraction = module != nullptr ? containers::extract_module(*module, hints)
                                       : containers::extract(*source, hints);
      } catch (const std::exception& e) {
        extracted = false;  // its GD000 is this run's, not a reading to replay
        extraction = {};
        result_.diagnostics.push_back(make_diagnostic(
            "GD000", make_location(*source, {0, 0}),
            fmt::format("internal error: the file could not be read ({}); nothing in it was "
                        "checked, the other files were. Please report this with the input",
                        e.what())));
      }
      // A template's symbolic bucket, key or account takes the value the user gave for it.
      const std::string stand_in_region = region_stand_in(extraction);
      containers::bind_stand_ins(extraction, settings_);
      // Its stand-in Region bound to one the user gave (the Region of a given key ARN, of a
      // given bucket's name): read again in that Region, so that ${AWS::Region} is that Region
      // from the start and the template's own literals naming the stand-in stay as written
      // (once Fn::Sub has run, replacing text cannot tell them apart).
      if (const std::string bound = bound_value(extraction, stand_in_region);
          !bound.empty() && module == nullptr &&
          extraction.format == containers::Format::cloudformation) {
        containers::Hints in_region = hints;
        in_region.region = bound;
        in_region.one_region = true;
        extraction = containers::extract(*source, in_region);
        containers::bind_stand_ins(extraction, settings_);
      }
      result_.deployed_per_region = result_.deployed_per_region || extraction.deployed_per_region;
      recorded_[i] = extracted && cache_ != nullptr && cache_->recording && module == nullptr &&
                     read_alone(*source, extraction);
      if (!extraction.documents.empty()) {
        ++holding_documents_;
        if (extraction.format == containers::Format::cloudformation)
          guessed_account_ = extraction.guessed_account;
      }
    }
    drop_rendered_templates();
  }

  // GuardDuty's account, when nothing gave it and it is the one a template names, checked as its
  // ${AWS::AccountId} (a likely guess): simulated as that account, but a fix writes the symbol
  // (source_condition_json), so that the stack deployed elsewhere names its own account. Only
  // when that template holds every document of the setup: a plain policy file beside it cannot
  // hold the symbol, and another template may be deployed in another account. Nor when the
  // account was only taken from who owns the key: then no grant says it is GuardDuty's, and a
  // fix writes <ACCOUNT_ID> (a bucket stack may be deployed in a log-archive account).
  void mark_guessed_account() {
    exportcfg::Value& account = settings_.account;
    if (given_.account.known() || !account.known() || account.origin.owner_guess ||
        !account.origin.symbol.empty() || holding_documents_ != 1 ||
        guessed_account_ != account.get())
      return;
    account.origin.symbol = "${AWS::AccountId}";
  }

  // A file a Terraform module of the setup reads (templatefile("bucket-policy.json", ...),
  // file(...)) is the template of what the module renders, whatever its name: read on its own
  // too, its ${...} and %{...} were syntax errors and its policy a second bucket policy.
  void drop_rendered_templates() {
    std::set<std::string> read_by_modules;
    for (const containers::Extraction& extraction : extractions_) {
      if (extraction.format != containers::Format::terraform_source) continue;
      for (const auto& file : extraction.files)
        read_by_modules.insert(std::filesystem::path(file->path()).lexically_normal().string());
    }
    if (read_by_modules.empty()) return;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      if (module_files_[i]) continue;
      if (read_by_modules.contains(
              std::filesystem::path(sources_[i]->path()).lexically_normal().string())) {
        const containers::Format format = extractions_[i].format;
        extractions_[i] = containers::Extraction{};
        extractions_[i].format = format;
        recorded_[i] = false;  // dropped beside the module that reads it, not alone
      }
    }
  }

  // The documents of source `i`: parsed where held in a string, modelled, checked for grammar;
  // those that can be simulated are kept.
  void model_documents(std::size_t i) {
    if (replayed_[i] != nullptr) {
      replay(*replayed_[i], extractions_[i]);
      return;
    }
    if (!recorded_[i]) {
      read_and_model(i);
      return;
    }
    // What reading it adds to the run, kept for the runs after this one.
    const std::size_t reader_before = reader_findings_.size();
    const std::size_t notes_before = result_.notes.size();
    const std::size_t unread_before = result_.unread;
    const std::size_t partly_before = result_.partly_judged;
    const std::size_t found_before = result_.diagnostics.size();
    const std::size_t placed_before = placements_.size();
    const std::size_t kept_before = documents_.size();
    const bool holds_documents = !extractions_[i].documents.empty();
    read_and_model(i);
    ReadSource& read = cache_->sources[sources_[i]];
    const auto since = [](const auto& all, std::size_t from) {
      return std::vector(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
    };
    read.reader_findings = since(reader_findings_, reader_before);
    read.notes = since(result_.notes, notes_before);
    read.unread = result_.unread - unread_before;
    read.partly_judged = result_.partly_judged - partly_before;
    read.diagnostics = since(result_.diagnostics, found_before);
    read.placements = since(placements_, placed_before);
    read.holds_documents = holds_documents;
    for (std::size_t d = kept_before; d < documents_.size(); ++d)
      read.kept.push_back(documents_[d].get());
  }

  // A plain policy file as an earlier run read it: the same findings, placements and documents.
  void replay(const ReadSource& read, containers::Extraction& extraction) {
    reader_findings_.insert(reader_findings_.end(), read.reader_findings.begin(),
                            read.reader_findings.end());
    result_.notes.insert(result_.notes.end(), read.notes.begin(), read.notes.end());
    result_.unread += read.unread;
    result_.partly_judged += read.partly_judged;
    result_.diagnostics.insert(result_.diagnostics.end(), read.diagnostics.begin(),
                               read.diagnostics.end());
    for (containers::Placement placement : read.placements) {
      // Its extraction's lists (all empty for a file read alone) are this run's.
      placement.stand_ins = &extraction.stand_ins;
      placement.unwritable = &extraction.unwritable;
      placement.fix_symbols = &extraction.fix_symbols;
      placements_.push_back(std::move(placement));
    }
    for (const auto& doc : read.documents) documents_.push_back(copy_document(*doc));
  }

  // The documents of the files this run recorded, which it no longer needs: the cache's.
  void hand_documents_to_cache() {
    if (cache_ == nullptr || !cache_->recording) return;
    if (result_.several_exports.empty()) {
      cache_->sources.clear();  // one export: no run reads these files again
      return;
    }
    std::map<const exportcfg::PolicyDocument*, std::unique_ptr<exportcfg::PolicyDocument>*> held;
    for (auto& doc : documents_) held.emplace(doc.get(), &doc);
    for (auto& [source, read] : cache_->sources) {
      for (const exportcfg::PolicyDocument* kept : read.kept) {
        if (const auto it = held.find(kept); it != held.end())
          read.documents.push_back(std::move(*it->second));
      }
      read.kept.clear();
    }
  }

  void read_and_model(std::size_t i) {
    containers::Extraction& extraction = extractions_[i];
    append(reader_findings_, std::move(extraction.diagnostics));
    append_notes(result_.notes, extraction.notes);
    for (const auto& file : extraction.files) result_.read_paths.push_back(file->path());
    result_.stand_ins.insert(result_.stand_ins.end(), extraction.stand_ins.begin(),
                             extraction.stand_ins.end());
    free_names_.insert(free_names_.end(), extraction.free_names.begin(),
                       extraction.free_names.end());
    result_.partly_judged += extraction.unread_policies;
    result_.unread += extraction.unread_policies;
    if (extraction.has_settings) {
      exportcfg::merge_settings(stated_, extraction.settings);
      any_stated_ = true;
    }
    for (containers::EmbeddedDocument& embedded : extraction.documents) {
      bool simulate = embedded.simulate;
      if (embedded.needs_parse) {
        json::ParseResult parsed = json::parse(*embedded.source);
        append(result_.diagnostics, std::move(parsed.diagnostics));
        if (!parsed.root) continue;
        simulate = simulate && !parsed.recovered;
        embedded.tree = std::move(*parsed.root);
        containers::apply_bindings(extraction, *embedded.tree);
      }
      if (!embedded.tree) continue;
      placements_.push_back(containers::place(embedded, extraction, home(*embedded.source).path()));
      auto doc = model(embedded, extraction);
      embedded.tree.reset();  // the model has what the later stages need; free the tree early
      // A document repaired from broken JSON is not simulated: AWS would reject it anyway, and
      // its permissions are reported once the syntax error is fixed. Nor is one holding values
      // that cannot be known offline: a guess would produce false findings.
      if (!doc || !simulate) continue;
      read_effects_as_fixed(doc->policy);
      documents_.push_back(std::move(doc));
    }
  }

  // Consumes the document's tree: the model takes its strings (the caller drops it next).
  std::unique_ptr<exportcfg::PolicyDocument> model(containers::EmbeddedDocument& embedded,
                                                   const containers::Extraction& extraction) {
    const SourceFile& source = *embedded.source;
    // What AWS receives: the text as written, or (a template's policy) the policy as JSON,
    // measured before the model takes the tree's strings.
    const bool written_as_json =
        embedded.needs_parse ||
        (extraction.format == containers::Format::policy && embedded.quoting != Quoting::not_json);
    const std::size_t submitted_size =
        written_as_json ? source.text().size() : json::compact_size(*embedded.tree);
    policy::BuildResult built = policy::take_policy(*embedded.tree, source);
    append(result_.diagnostics, std::move(built.diagnostics));
    if (!built.policy) return nullptr;
    auto doc = std::make_unique<exportcfg::PolicyDocument>();
    doc->source = &source;
    doc->policy = std::move(*built.policy);
    containers::mark_uncertain_statements(placements_.back(), doc->policy, source);
    if (!placements_.back().uncertain.empty() || placements_.back().unknown_statements)
      ++result_.partly_judged;
    doc->label = embedded.label;
    doc->belongs_to = embedded.belongs_to;
    doc->lockout_check_bypassed = embedded.lockout_check_bypassed;
    // A container's own word on the kind (the resource type) beats --kind, which is for bare
    // policies.
    doc->kind = embedded.kind
                    ? *embedded.kind
                    : options_.kind_override.value_or(documents::detect_kind(doc->policy));
    doc->submitted_size = submitted_size;
    doc->too_large = doc->submitted_size > documents::size_limit(doc->kind);
    const bool resource_policy =
        std::any_of(doc->policy.statements.begin(), doc->policy.statements.end(),
                    [](const policy::Statement& s) { return s.principal.present; });
    const PolicyContext context{source, doc->policy, resource_policy, extraction.stand_ins,
                                given_values_};
    for (const auto& rule : policy_rules()) {
      if (enabled(options_, rule->id()))
        run_guarded(*rule, context, source, embedded.tree->span, result_.diagnostics);
    }
    return doc;
  }

  // A publishing destination's bucket or key policy that no document of the setup is, in any
  // file (a key kept in another stack): not read, so the setup is undecided, not "exports" on
  // the half that was read. Once per kind, however many readings miss it.
  void count_unseen_policies() {
    std::set<documents::Kind> counted;
    for (const containers::Extraction& extraction : extractions_) {
      for (const auto& unseen : extraction.unseen_policies) {
        const bool in_setup =
            std::any_of(documents_.begin(), documents_.end(),
                        [&](const auto& doc) { return doc->kind == unseen.kind; });
        if (in_setup || !counted.insert(unseen.kind).second) continue;
        if (!unseen.created_by.empty())
          buckets_without_policy_.push_back(
              {unseen.created_by, unseen.destination, unseen.at, unseen.remedy});
        ++result_.unread;
        ++result_.partly_judged;
        result_.notes.push_back(unseen.note);
      }
    }
  }

  // The flags and --config are stronger than what a template or plan states.
  // Regions the user gave (--region, a configuration) place the export in their partition
  // before the policies' ARNs can say another: GuardDuty in us-gov-west-1 sends
  // arn:aws-us-gov: ARNs, which a policy writing arn:aws: never matches. (A template's or
  // module's own Region is not the user's: a stand-in, or what the file says of itself.)
  void place_in_given_partition() {
    if (settings_.partition != "aws" || given_.regions.empty() || given_.regions_origin.stand_in)
      return;
    if (const auto partition = exportcfg::common_partition(given_.regions))
      settings_.partition = std::string(*partition);
  }

  void settle_settings() {
    if (!any_stated_) return;
    containers::report_contradictions(stated_, settings_, reader_findings_);
    exportcfg::merge_settings(stated_, settings_);
    settings_ = std::move(stated_);
  }

  // A setup is checked as a GuardDuty export when something says it is one: a document grants
  // GuardDuty, a template or plan has a publishing destination, or the user gave settings.
  void decide_export_setup() {
    for (const auto& doc : documents_) {
      result_.documents.push_back({doc->name(), doc->kind});
      result_.document_paths.push_back(container_path(*doc->source));
    }
    export_setup_ = declared_ || any_stated_ ||
                    std::any_of(documents_.begin(), documents_.end(),
                                [](const auto& doc) { return mentions_guardduty(*doc); });
    result_.export_setup = export_setup_;
    // (Read as several exports: each export's run says it of its own documents.)
    if (export_setup_ || documents_.empty() || !result_.several_exports.empty()) return;
    std::vector<std::string> names;
    for (const auto& doc : documents_) names.push_back(doc->name());
    result_.notes.push_back(fmt::format(
        "{}: no document grants GuardDuty an export's requests and no export settings were "
        "given, so this is not checked as a GuardDuty export (grammar only); give --bucket or "
        "--config to check it as one",
        fmt::join(names, ", ")));
  }

  void run_setup_rules() {
    if (!options_.setup_rules || documents_.empty()) return;
    // The accounts the setup's files write, each file once (a template holds several documents).
    std::vector<const SourceFile*> read;
    for (const auto& doc : documents_) {
      if (std::find(read.begin(), read.end(), doc->source) != read.end()) continue;
      read.push_back(doc->source);
      exportcfg::add_written_accounts(doc->source->text(), settings_.written_accounts);
    }
    exportcfg::RequestLists lists = exportcfg::guardduty_request_lists(settings_);
    const auto requests = std::move(lists.with_assumed);
    documented_ = std::move(lists.documented);
    const auto& documented = documented_;
    // Settings without a stand-in have no other: the same requests serve (a scan builds these
    // lists for every setup, and they were a tenth of its work).
    const std::optional<exportcfg::ExportSettings> other =
        exportcfg::with_other_stand_ins(settings_);
    std::vector<exportcfg::GuardDutyRequest> other_requests;
    std::vector<exportcfg::GuardDutyRequest> other_documented;
    if (other) {
      exportcfg::RequestLists other_lists = exportcfg::guardduty_request_lists(*other);
      other_requests = std::move(other_lists.with_assumed);
      other_documented = std::move(other_lists.documented);
    }
    const SetupContext context{documents_,
                               settings_,
                               requests,
                               documented,
                               other ? other_requests : requests,
                               other ? other_documented : documented,
                               result_.stand_ins,
                               buckets_without_policy_,
                               free_names_};
    auto runs = [&](std::string_view id) {
      if (!enabled(options_, id)) return false;
      if (export_setup_) return true;
      const RuleInfo* rule = find_rule(id);
      return rule != nullptr && rule->needs == RuleNeeds::document;
    };
    const exportcfg::PolicyDocument& first = *documents_.front();
    for (const auto& rule : setup_rules()) {
      if (runs(rule->id()))
        run_guarded(*rule, context, *first.source, first.policy.span, result_.diagnostics);
    }
    for (const auto& rule : options_.extra_rules) {
      if (runs(rule->id()))
        run_guarded(*rule, context, *first.source, first.policy.span, result_.diagnostics);
    }
  }

  // The setup rules' findings (and the evaluator's reasons they quote) never show a stand-in as
  // a fact: each becomes its placeholder.
  void show_placeholders(std::size_t from) {
    auto placeholders = exportcfg::stand_in_placeholders(settings_);
    // Whole request values too (the evaluator quotes them): the object key and aws:SourceArn as
    // GuardDuty sends them, shown with placeholders where they hold a stand-in Region.
    if (options_.setup_rules && !documents_.empty()) {
      for (const exportcfg::GuardDutyRequest& r : documented_) {
        if (r.shown_resource != r.request.resource)
          placeholders.emplace_back(r.request.resource, r.shown_resource);
        const iam::ContextValue* arn = r.request.find("aws:SourceArn");
        const std::string shown_arn = exportcfg::shown_source_arn(settings_, r.region);
        if (arn != nullptr && !arn->values.empty() && arn->values.front() != shown_arn)
          placeholders.emplace_back(arn->values.front(), shown_arn);
      }
    }
    // Longest first: a bucket ARN is a prefix of the object ARNs in it.
    std::stable_sort(placeholders.begin(), placeholders.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    auto replace = [&placeholders](std::string& text) {
      replace_whole_words_each(text, placeholders);
    };
    for (std::size_t i = from; i < result_.diagnostics.size(); ++i) {
      Diagnostic& d = result_.diagnostics[i];
      replace(d.message);
      for (std::string& note : d.notes) replace(note);
      for (RelatedLocation& r : d.related) replace(r.message);
      if (d.fix) {
        replace(d.fix->description);
        for (TextEdit& edit : d.fix->edits) replace(edit.replacement);
      }
    }
  }

  // Which statement each finding is in (for fingerprints and statement-level suppressions); the
  // findings made fit for the containers; sorted, capped.
  void finish() {
    name_statements();
    // The principals GuardDuty calls as: an uncertain grant to another covers none of its
    // requests (with stand-in Regions, any of GuardDuty's may be the one).
    // Only Regions that are facts: given, or named by the policies (not assumed from the key,
    // nor a template's or module's stand-in Region, which may be any).
    std::vector<std::string> principals;
    const exportcfg::Origin::Kind kind = settings_.regions_origin.kind;
    const bool regions_known =
        !settings_.regions_origin.stand_in &&
        (kind == exportcfg::Origin::Kind::flag || kind == exportcfg::Origin::Kind::config ||
         kind == exportcfg::Origin::Kind::inferred) &&
        std::none_of(settings_.regions.begin(), settings_.regions.end(), [&](const auto& region) {
          return std::any_of(result_.stand_ins.begin(), result_.stand_ins.end(),
                             [&](const auto& s) { return s.first == region; });
        });
    if (regions_known) {
      for (const std::string& region : settings_.regions)
        principals.push_back(exportcfg::guardduty_principal(region));
    }
    containers::adapt_findings(result_.diagnostics, placements_, sources_, extractions_, true,
                               principals);
    containers::adapt_findings(reader_findings_, placements_, sources_, extractions_, false);
    append(result_.diagnostics, std::move(reader_findings_));
    std::erase_if(result_.diagnostics,
                  [&](const Diagnostic& d) { return !enabled(options_, d.rule_id); });
    for (const SourceFile* source : sources_)
      containers::apply_inline_suppressions(*source, result_.diagnostics);
    // A CloudFormation resource's Metadata suppressions cover the findings inside it.
    for (std::size_t i = 0; i < extractions_.size() && i < sources_.size(); ++i) {
      for (const containers::ScopedSuppression& s : extractions_[i].suppressions) {
        for (Diagnostic& d : result_.diagnostics) {
          if (d.suppression_reason || d.rule_id != s.rule_id ||
              d.location.file != sources_[i]->path() ||
              !(s.where.begin <= d.location.span.begin && d.location.span.begin < s.where.end))
            continue;
          d.suppression_reason = s.reason + " (resource Metadata)";
        }
      }
    }
    std::stable_sort(result_.diagnostics.begin(), result_.diagnostics.end(), diagnostic_less);
    // Repeats first: the first of a repeated value may then fold into the finding it is the
    // same value as.
    fold_repeated_values(result_.diagnostics);
    fold_same_value(result_.diagnostics);
    cap_per_rule(result_.diagnostics);
  }

  // Each finding is told the statement it starts in: the first, in document and statement order,
  // whose bytes in the container hold the finding's first byte. Statements are indexed by file
  // and span (comparing every finding with every statement was quadratic on large templates).
  void name_statements() {
    std::vector<const policy::Statement*> statements;
    std::vector<std::size_t> begins;  // each statement's first byte in its file
    FileIntervalIndex by_span;
    for (const auto& doc : documents_) {
      const std::string& file = container_path(*doc->source);
      for (const policy::Statement& s : doc->policy.statements) {
        const Span where = container_span(*doc->source, s.span);
        if (where.begin < where.end)
          by_span.add(file, where.begin, where.end - 1, statements.size());
        statements.push_back(&s);
        begins.push_back(where.begin);
      }
    }
    by_span.build();
    std::vector<std::size_t> ids;  // reused by every query
    for (Diagnostic& d : result_.diagnostics) {
      if (d.statement_index) continue;
      by_span.meeting(d.location.file, d.location.span.begin, d.location.span.begin, ids);
      if (ids.empty()) continue;
      const policy::Statement& s = *statements[ids.front()];
      d.statement_index = s.index;
      d.statement_offset = begins[ids.front()];
      if (s.sid) d.statement_sid = s.sid->value;
    }
  }

  const std::vector<const SourceFile*>& sources_;
  ReadCache* cache_;
  std::vector<const ReadSource*> replayed_;  // each source's earlier reading, if taken from it
  std::vector<bool> recorded_;               // whether each source's reading is recorded
  std::vector<bool> module_files_;           // whether each source is a Terraform module's file
  std::vector<std::string> free_names_;      // the extractions' (SetupContext::free_names)
  exportcfg::ExportSettings settings_;
  // GuardDuty's requests without the assumed keys, built once by run_setup_rules() and read
  // again by show_placeholders().
  std::vector<exportcfg::GuardDutyRequest> documented_;
  // Buckets the files create for the export with no bucket policy among them (the setup rules').
  std::vector<BucketWithoutPolicy> buckets_without_policy_;
  const exportcfg::ExportSettings given_;        // as the user gave them
  const std::vector<std::string> given_values_;  // their known values, for the policy rules
  const LintOptions& options_;
  const bool declared_;
  LintResult result_;
  std::vector<containers::Extraction> extractions_;
  std::size_t holding_documents_ = 0;  // extractions holding policy documents
  std::string guessed_account_;        // a template's (Extraction::guessed_account)
  std::vector<containers::Placement> placements_;
  std::vector<std::unique_ptr<exportcfg::PolicyDocument>> documents_;
  std::vector<Diagnostic> reader_findings_;  // the readers' own, about the containers
  exportcfg::ExportSettings stated_;         // what the containers say about the export
  bool any_stated_ = false;
  bool export_setup_ = false;
};

}  // namespace

namespace {

// A finding's message as every Region's stack has it: the Region it was found in written as
// the template's ${AWS::Region} ("guardduty-findings-${AWS::Region}-..." is each stack's bucket).
std::string region_neutral(std::string message, std::string_view region) {
  replace_whole_words(message, region, "${AWS::Region}");
  return message;
}

bool same_fix(const std::optional<Fix>& a, const std::optional<Fix>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->description == b->description && a->discards_text == b->discards_text &&
         std::equal(a->edits.begin(), a->edits.end(), b->edits.begin(), b->edits.end(),
                    [](const TextEdit& x, const TextEdit& y) {
                      return x.location.span == y.location.span && x.replacement == y.replacement;
                    });
}

// Adds the findings, notes and stand-ins of `other` (the stack of `region`) not already in
// `into`. A finding at the same place with the same fix whose message differs only by the
// Region (each Region's stack names its own bucket) is one finding: the template's, told with
// ${AWS::Region}. `neutral` holds each of `into`'s findings' region-neutral message.
void merge_region_run(LintResult& into, std::vector<std::string>& neutral, LintResult&& other,
                      std::string_view region) {
  for (Diagnostic& d : other.diagnostics) {
    std::string message = region_neutral(d.message, region);
    bool known = false;
    for (std::size_t k = 0; k < into.diagnostics.size() && !known; ++k) {
      Diagnostic& kept = into.diagnostics[k];
      if (kept.rule_id != d.rule_id || kept.location.file != d.location.file ||
          kept.location.span != d.location.span || neutral[k] != message ||
          !(kept.message == d.message || same_fix(kept.fix, d.fix)))
        continue;
      known = true;
      if (kept.message != d.message) kept.message = message;
    }
    if (known) continue;
    into.diagnostics.push_back(std::move(d));
    neutral.push_back(std::move(message));
  }
  for (std::string& note : other.notes) {
    if (std::find(into.notes.begin(), into.notes.end(), note) == into.notes.end())
      into.notes.push_back(std::move(note));
  }
  for (auto& stand_in : other.stand_ins) {
    if (std::find(into.stand_ins.begin(), into.stand_ins.end(), stand_in) == into.stand_ins.end())
      into.stand_ins.push_back(std::move(stand_in));
  }
  into.export_setup = into.export_setup || other.export_setup;
}

// One setup's run, once per Region for a stack deployed in each.
// With `cache`, the run over every Region reads plain policy files through it (the runs per
// Region have other settings: they read their own).
LintResult lint_one(const std::vector<const SourceFile*>& sources,
                    const exportcfg::ExportSettings& settings, const LintOptions& options,
                    ReadCache* cache = nullptr) {
  const std::vector<std::string> regions = settings.regions;
  LintResult result = SetupRun(sources, settings, options, cache).run();
  if (!result.deployed_per_region || regions.size() < 2) return result;
  // A stack that creates the detector or its destination is deployed in every Region it exports
  // from (a StackSet): the Region's own ${AWS::Region}, key and detector ARN. Checked as each
  // Region's stack in turn, not as the first Region's receiving every Region's findings (which
  // failed a correct stack for the others, and compared only the first Region's key with the
  // bucket's). A finding of one Region's stack is reported once, those that differ each.
  LintResult merged;
  std::vector<std::string> neutral;  // merged's findings' messages, region-neutral
  for (std::size_t i = 0; i < regions.size(); ++i) {
    exportcfg::ExportSettings one = settings;
    one.regions = {regions[i]};
    LintResult run = SetupRun(sources, std::move(one), options).run();
    if (i == 0) {
      merged = std::move(run);
      for (const Diagnostic& d : merged.diagnostics)
        neutral.push_back(region_neutral(d.message, regions[i]));
    } else {
      merge_region_run(merged, neutral, std::move(run), regions[i]);
    }
  }
  std::stable_sort(merged.diagnostics.begin(), merged.diagnostics.end(), diagnostic_less);
  merged.settings.regions = regions;
  merged.settings.regions_origin = result.settings.regions_origin;
  return merged;
}

// "prod" of "prod-key-policy.json" and of "prod_bucket_policy.json": what tells one export's
// files from another's in a directory that keeps several (empty when the name says only kinds).
std::string export_stem(std::string_view path) {
  static const std::set<std::string, std::less<>> kind_words{
      "bucket", "cmk", "export",   "findings", "gd", "guardduty", "json",
      "key",    "kms", "policies", "policy",   "s3", "txt"};
  const std::string name = to_lower(std::filesystem::path(path).filename().string());
  std::string stem;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    const bool word_char = i < name.size() && std::isalnum(static_cast<unsigned char>(name[i]));
    if (word_char) continue;
    const std::string_view word = std::string_view(name).substr(start, i - start);
    if (!word.empty() && !kind_words.contains(word)) {
      if (!stem.empty()) stem += '-';
      stem += word;
    }
    start = i + 1;
  }
  return stem;
}

bool share_one(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&b](const std::string& value) {
    return std::binary_search(b.begin(), b.end(), value);
  });
}

// The exports several candidates make: each bucket policy with the key policy it pairs with, or
// alone; a key policy no bucket policy pairs with, alone. A bucket policy pairs with the only key
// policy that owns the key it requires; else the only one that grants a source account it
// grants (a key ARN of another export's then is GD402's); else the only one that contradicts it
// in nothing; else the only one whose file name names the same export (prod-key.json with
// prod-bucket.json; an account misspelt in one of them is then GD403's). Among several, the file
// name decides. One bucket policy and one key policy left over are one export, as they would be
// alone in their directory.
std::vector<std::vector<const ExportCandidate*>> exports_of(
    const std::vector<const ExportCandidate*>& buckets,
    const std::vector<const ExportCandidate*>& keys) {
  std::vector<std::vector<const ExportCandidate*>> exports;
  std::vector<bool> paired(keys.size(), false);
  std::vector<std::size_t> alone;  // of `exports`
  const auto disjoint = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return !a.empty() && !b.empty() && !share_one(a, b);
  };
  // Per key policy, once: its file name's stem, and whether a bucket policy requires its key.
  std::vector<std::string> key_stems;
  std::vector<bool> required;
  for (const ExportCandidate* key : keys) {
    key_stems.push_back(export_stem(key->path));
    required.push_back(std::any_of(buckets.begin(), buckets.end(), [key](const ExportCandidate* b) {
      return share_one(b->key_arns, key->key_arns);
    }));
  }
  for (const ExportCandidate* bucket : buckets) {
    const std::string stem = export_stem(bucket->path);
    auto only = [&](auto&& keep) {
      std::vector<std::size_t> kept;
      for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keep(*keys[k], k)) kept.push_back(k);
      }
      return kept;
    };
    auto same_stem = [&](std::size_t k) { return !stem.empty() && key_stems[k] == stem; };
    std::vector<std::size_t> chosen = only([&](const ExportCandidate& k, std::size_t) {
      return share_one(bucket->key_arns, k.key_arns);
    });
    // A source account both grant pairs them even when the key it requires is another (GD402 then
    // says so), unless that key policy is the one another bucket policy requires: then it is
    // that export's, and this one's key is kept elsewhere.
    if (chosen.empty()) {
      chosen = only([&](const ExportCandidate& k, std::size_t i) {
        return share_one(bucket->accounts, k.accounts) &&
               !(disjoint(bucket->key_arns, k.key_arns) && required[i]);
      });
    }
    if (chosen.empty()) {
      chosen = only([&](const ExportCandidate& k, std::size_t) {
        return !disjoint(bucket->key_arns, k.key_arns) && !disjoint(bucket->accounts, k.accounts);
      });
    }
    if (chosen.size() > 1) {
      std::erase_if(chosen, [&](std::size_t k) { return !same_stem(k); });
    } else if (chosen.empty()) {
      chosen = only([&](const ExportCandidate&, std::size_t k) { return same_stem(k); });
    }
    if (chosen.size() == 1) {
      paired[chosen.front()] = true;
      exports.push_back({bucket, keys[chosen.front()]});
    } else {
      alone.push_back(exports.size());
      exports.push_back({bucket});
    }
  }
  std::vector<std::size_t> unpaired;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (!paired[k]) unpaired.push_back(k);
  }
  if (alone.size() == 1 && unpaired.size() == 1) {
    exports[alone.front()].push_back(keys[unpaired.front()]);
    unpaired.clear();
  }
  for (const std::size_t k : unpaired) exports.push_back({keys[k]});
  return exports;
}

std::string describe_exports(const std::vector<const ExportCandidate*>& buckets,
                             const std::vector<const ExportCandidate*>& keys,
                             const std::vector<std::vector<const ExportCandidate*>>& exports) {
  const auto count = [](std::size_t n, std::string_view what) {
    return fmt::format("{} {} polic{}", n, what, n == 1 ? "y" : "ies");
  };
  std::vector<std::string> counts;
  if (!buckets.empty()) counts.push_back(count(buckets.size(), "bucket"));
  if (!keys.empty()) counts.push_back(count(keys.size(), "key"));
  const bool paired = !keys.empty() && !buckets.empty();
  // A few exports named, then a count: a directory of hundreds must not make a note of each.
  constexpr std::size_t kShown = 4;
  std::vector<std::string> shown;
  for (const auto& e : exports) {
    if (shown.size() == kShown) {
      shown.push_back(fmt::format("and {} more", exports.size() - kShown));
      break;
    }
    shown.push_back(e.size() == 2 ? fmt::format("{} with {}", e[0]->name, e[1]->name)
                    : paired      ? e[0]->name + " alone"
                                  : e[0]->name);
  }
  return fmt::format(
      "{} that grant GuardDuty, each in a file of its own, are read as {} exports ({}); to pair "
      "them otherwise, list each export's documents in the project configuration's \"setups\"",
      fmt::join(counts, " and "), exports.size(), fmt::join(shown, "; "));
}

}  // namespace

LintResult lint_setup(const std::vector<const SourceFile*>& sources,
                      exportcfg::ExportSettings settings, const LintOptions& options) {
  return lint_one(sources, settings, options);
}

std::vector<LintResult> lint_exports(const std::vector<const SourceFile*>& sources,
                                     const exportcfg::ExportSettings& settings,
                                     const LintOptions& options) {
  LintOptions split = options;
  split.split_exports = true;
  std::vector<LintResult> results;
  // The run that finds the exports reads every file; each export's run takes its plain policy
  // files from that reading (the same settings and options but the split) instead of parsing and
  // checking them again.
  ReadCache cache;
  results.push_back(lint_one(sources, settings, split, &cache));
  cache.recording = false;
  LintResult& documents_only = results.front();
  const std::vector<ExportCandidate> all = std::move(documents_only.several_exports);
  if (all.empty()) return results;
  std::vector<const ExportCandidate*> buckets;
  std::vector<const ExportCandidate*> keys;
  std::vector<const ExportCandidate*> identities;
  std::map<std::string_view, const SourceFile*> by_path;
  for (const SourceFile* source : sources) by_path.emplace(source->path(), source);
  for (const ExportCandidate& c : all) {
    if (!by_path.contains(c.path)) continue;  // (a file the setup does not list: none)
    (c.kind == documents::Kind::key_policy      ? keys
     : c.kind == documents::Kind::bucket_policy ? buckets
                                                : identities)
        .push_back(&c);
  }
  const auto exports = exports_of(buckets, keys);
  // Each export reads its own files and the identity policies that may be its configurer's: past
  // a bound on that work (thousands of exports beside thousands of identity policies), the setup
  // is one, as before, and a note says why.
  constexpr std::size_t kMaxReads = 1'000'000;
  if (exports.size() * (identities.size() + 2) > kMaxReads) {
    results.front() = lint_one(sources, settings, options, &cache);
    results.front().notes.push_back(fmt::format(
        "{} exports beside {} identity policies are too many to check one by one: read as one "
        "setup; list each export's documents in the project configuration's \"setups\"",
        exports.size(), identities.size()));
    return results;
  }
  // A file AWS rejects or that cannot be read as a policy (a key policy cut short) may be any
  // export's: its errors are each export's too, whose verdict is "rejected" as a setup's would
  // be (copied, not read again: the caller reports each finding once).
  std::set<std::string_view> candidate_files;
  for (const ExportCandidate& c : all) candidate_files.insert(c.path);
  std::vector<Diagnostic> rejected;
  for (const Diagnostic& d : documents_only.diagnostics) {
    if (d.severity == Severity::error && !candidate_files.contains(d.location.file))
      rejected.push_back(d);
  }
  documents_only.documents_only = true;
  documents_only.export_setup = false;
  documents_only.notes.insert(documents_only.notes.begin(),
                              describe_exports(buckets, keys, exports));
  std::set<std::string_view> covered;  // the export documents' files some export reads
  for (const ExportCandidate* c : buckets) covered.insert(c->path);
  for (const ExportCandidate* c : keys) covered.insert(c->path);
  for (const auto& picks : exports) {
    std::vector<const std::string*> named;  // the export's buckets
    for (const ExportCandidate* c : picks) {
      for (const std::string& b : c->buckets) named.push_back(&b);
    }
    std::vector<const SourceFile*> own;
    for (const ExportCandidate* identity : identities) {
      if (identity->buckets.empty() ||
          std::any_of(named.begin(), named.end(), [&](const std::string* b) {
            return std::binary_search(identity->buckets.begin(), identity->buckets.end(), *b);
          })) {
        own.push_back(by_path.at(identity->path));
        covered.insert(identity->path);
      }
    }
    for (const ExportCandidate* c : picks) own.push_back(by_path.at(c->path));
    std::sort(own.begin(), own.end(),
              [](const SourceFile* a, const SourceFile* b) { return a->path() < b->path(); });
    own.erase(std::unique(own.begin(), own.end()), own.end());
    results.push_back(lint_one(own, settings, options, &cache));
    // Policies judged in part are counted over all the documents once, in the first result.
    results.back().partly_judged = 0;
    if (!rejected.empty()) {
      std::vector<Diagnostic>& found = results.back().diagnostics;
      found.insert(found.end(), rejected.begin(), rejected.end());
      std::stable_sort(found.begin(), found.end(), diagnostic_less);
    }
  }
  // An export's documents have their findings from its run, where those about one value are one
  // finding (GD005 and GD106 told as notes of the GD302 they cause): not again from the run that
  // found the exports, where nothing was simulated. (A rejected file's stay: a named one whose
  // exports are its siblings' is reported from there.)
  std::erase_if(results.front().diagnostics,
                [&](const Diagnostic& d) { return covered.contains(d.location.file); });
  return results;
}

std::vector<Diagnostic> lint_source(const SourceFile& source, const LintOptions& options) {
  return lint_setup({&source}, {}, options).diagnostics;
}

}  // namespace gdl
