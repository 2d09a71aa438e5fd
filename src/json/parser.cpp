#include "json/parser.h"

#include <fmt/format.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <limits>
#include <string>

#include "diag/rule_catalog.h"
#include "json/encoding.h"
#include "json/repair.h"
#include "json/tree_builder.h"
#include "util/text.h"

namespace gdl::json {

using namespace detail;

namespace {

void remap_spans(Value& root, const OffsetMap& map) {
  std::vector<Value*> pending{&root};
  auto remap = [&map](Span& s) { s = {map.to_original(s.begin), map.to_original(s.end)}; };
  while (!pending.empty()) {
    Value* v = pending.back();
    pending.pop_back();
    remap(v->span);
    for (auto& item : v->items) pending.push_back(&item);
    for (auto& member : v->members) {
      remap(member.key_span);
      pending.push_back(&member.value);
    }
  }
}

void restore_number_text(Value& root, std::string_view original) {
  std::vector<Value*> pending{&root};
  while (!pending.empty()) {
    Value* v = pending.back();
    pending.pop_back();
    if (v->kind == Kind::number) {
      // The stand-in was shorter than the number: take the whole token from the source.
      std::size_t end = v->span.begin;
      while (end < original.size() &&
             (std::isdigit(static_cast<unsigned char>(original[end])) != 0 ||
              original[end] == '-' || original[end] == '+' || original[end] == '.' ||
              original[end] == 'e' || original[end] == 'E')) {
        ++end;
      }
      v->span.end = std::max(v->span.end, end);
      v->text.assign(original.substr(v->span.begin, v->span.size()));
    }
    for (auto& item : v->items) pending.push_back(&item);
    for (auto& member : v->members) pending.push_back(&member.value);
  }
}

Diagnostic to_diagnostic(const SourceFile& source, const OffsetMap& map, const Diagnosis& d,
                         const Repair* chosen) {
  auto location = [&](Span s) {
    return make_location(source, {map.to_original(s.begin), map.to_original(s.end)});
  };
  Diagnostic out = make_diagnostic("GD001", location(d.span), d.message);
  for (const Related& r : d.related) out.related.push_back({location(r.span), r.message});
  if (chosen != nullptr) {
    Fix fix{chosen->description, {}, chosen->discards_text};
    for (const Edit& e : chosen->edits)
      fix.edits.push_back({location({e.at, e.at + e.erase}), e.insert});
    std::sort(fix.edits.begin(), fix.edits.end(), [](const TextEdit& a, const TextEdit& b) {
      return a.location.span.begin < b.location.span.begin;
    });
    out.fix = std::move(fix);
  }
  return out;
}

// A number too large for a double (1e999999, a 400-digit integer) is valid JSON, not an error:
// a same-length stand-in is parsed, and the tree takes the number's text from the source later.
void stand_in_for_big_number(WorkingText& working, std::size_t begin) {
  std::size_t end = begin;
  const std::string_view text = working.view();
  while (end < text.size() && !is_space(text[end]) && !is_structural(text[end])) ++end;
  working.edit().replace(begin, end - begin, "0" + std::string(end - begin - 1, ' '));
}

Diagnostic empty_document(const SourceFile& source) {
  const bool empty = source.text().empty();
  return make_diagnostic("GD001", make_location(source, {0, 0}),
                         empty ? "the file is empty; a policy is a JSON object such as "
                                 "{\"Version\": \"2012-10-17\", \"Statement\": [...]}"
                               : "the file contains only whitespace; a policy is a JSON object "
                                 "such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}");
}

// Of a diagnosis's candidate repairs, the one that lets the parser get furthest (nullptr if none
// gets further than the error), and how far it got.
std::pair<const Repair*, Attempt> best_repair(const Diagnosis& diagnosis, std::string_view text,
                                              const Attempt& failed) {
  const Repair* best = nullptr;
  Attempt best_attempt = failed;
  for (const Repair& repair : diagnosis.repairs) {
    std::string trial(text);
    apply_repair(trial, repair, nullptr);
    const Attempt next = trial_parse(trial);
    if (next.ok() || (!best_attempt.ok() && next.offset > best_attempt.offset)) {
      best = &repair;
      best_attempt = next;
      if (next.ok()) break;
    }
  }
  return {best, best_attempt};
}

// GD006 note for a file so large that only the first elements of each list were kept.
Diagnostic children_dropped(const SourceFile& source, const ParseOptions& options,
                            std::size_t dropped) {
  Diagnostic d = make_diagnostic(
      "GD006", make_location(source, {0, 0}),
      fmt::format("this file is {} MB, far above anything AWS accepts as a policy or template; "
                  "only the first {} elements of each list and object were examined ({} more "
                  "were parsed but not checked)",
                  source.text().size() / (1024 * 1024), options.max_children_when_large, dropped));
  d.severity = Severity::note;
  return d;
}

// GD002 for each key an object repeats, with the first occurrence as related location.
void report_duplicates(const SourceFile& source, const OffsetMap& map, Handler& builder,
                       std::vector<Diagnostic>& out) {
  const auto& dups = builder.duplicates();
  for (std::size_t i = 0; i < dups.size(); ++i) {
    const Span first{map.to_original(dups[i].first.begin), map.to_original(dups[i].first.end)};
    const Span again{map.to_original(dups[i].second.begin), map.to_original(dups[i].second.end)};
    const Position p = make_location(source, first).start;
    Diagnostic d = make_diagnostic(
        "GD002", make_location(source, again),
        fmt::format("duplicate key \"{}\" in the same object (first at line {}, column {}); JSON "
                    "parsers disagree on which value counts, so AWS may not evaluate what you read",
                    builder.duplicate_keys()[i], p.line, p.column));
    d.related.push_back({make_location(source, first), "first occurrence of the key"});
    d.notes.push_back("merge the two members into one, or remove the one you do not mean");
    out.push_back(std::move(d));
  }
}

}  // namespace

ParseResult parse(const SourceFile& source, const ParseOptions& options) {
  ParseResult result;
  WorkingText working(source.text());
  if (!check_encoding(source, working, result.diagnostics)) return result;

  OffsetMap map;
  bool repaired = false;
  bool big_numbers = false;
  std::size_t syntax_errors = 0;
  // One pass builds the tree; only a file with errors is parsed again (after each repair).
  std::optional<TrackingStream> stream;
  std::optional<Handler> builder;
  for (;;) {
    stream.emplace(working.view());
    builder.emplace(*stream, true,
                    source.text().size() > options.large_input
                        ? options.max_children_when_large
                        : std::numeric_limits<std::size_t>::max());
    const Attempt attempt = run_reader(*builder, *stream);
    if (attempt.ok()) break;
    if (attempt.code == rapidjson::kParseErrorNumberTooBig) {
      stand_in_for_big_number(working, attempt.offset);
      big_numbers = true;
      continue;
    }
    if (attempt.code == rapidjson::kParseErrorDocumentEmpty) {
      result.diagnostics.push_back(empty_document(source));
      return result;
    }
    if (++syntax_errors > options.max_syntax_errors) {
      result.diagnostics.back().notes.push_back(
          "more syntax errors follow; fix these and run again");
      return result;
    }
    const Diagnosis diagnosis =
        Diagnoser(working.view(), source, map).diagnose(attempt, *builder, *stream);
    const auto [best, best_attempt] = best_repair(diagnosis, working.view(), attempt);
    if (best == nullptr && diagnosis.truncate_rest) {
      result.diagnostics.push_back(to_diagnostic(source, map, diagnosis, nullptr));
      std::string& text = working.edit();
      std::fill(text.begin() + static_cast<std::ptrdiff_t>(diagnosis.span.begin), text.end(), ' ');
      repaired = true;
      continue;
    }
    // Without progress, the user still gets the fix we would suggest first.
    const Repair* shown =
        best != nullptr ? best : (diagnosis.repairs.empty() ? nullptr : &diagnosis.repairs.front());
    Diagnostic d = to_diagnostic(source, map, diagnosis, shown);
    if (best != nullptr && best_attempt.ok())
      d.notes.push_back("with this fixed, the rest of the document parses");
    result.diagnostics.push_back(std::move(d));
    if (best == nullptr) return result;
    apply_repair(working.edit(), *best, &map);
    repaired = true;
  }

  // The (possibly repaired) text parsed: the builder holds the located tree.
  result.root = std::move(builder->root());
  result.recovered = repaired;
  result.children_dropped = builder->dropped();
  if (result.children_dropped > 0)
    result.diagnostics.push_back(children_dropped(source, options, result.children_dropped));
  if (!map.empty() && result.root) remap_spans(*result.root, map);
  if (big_numbers && result.root) restore_number_text(*result.root, source.text());
  report_duplicates(source, map, *builder, result.diagnostics);
  return result;
}

}  // namespace gdl::json
