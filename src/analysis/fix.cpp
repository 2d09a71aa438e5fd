#include "analysis/fix.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include "diag/rule_catalog.h"
#include "iam/placeholders.h"
#include "source/loader.h"

namespace gdl::analysis {

namespace {

// A stand-in's placeholder (<ACCOUNT_ID>, <DETECTOR_ID>...): a fix holding one needs a value
// nobody gave, and writing it would put a placeholder into the user's policy.
std::string_view placeholder_in(std::string_view text) {
  for (std::size_t at = text.find('<'); at != std::string_view::npos; at = text.find('<', at + 1)) {
    std::size_t end = at + 1;
    if (end >= text.size() || text[end] < 'A' || text[end] > 'Z') continue;
    while (end < text.size() && ((text[end] >= 'A' && text[end] <= 'Z') ||
                                 (text[end] >= '0' && text[end] <= '9') || text[end] == '_'))
      ++end;
    if (end < text.size() && text[end] == '>') return text.substr(at, end + 1 - at);
  }
  return {};
}

// An example value of AWS's guides in a fix's text: its quoted values are looked at one by one
// (the text around them is JSON, HCL or YAML syntax, and escaped quotes are quotes too).
std::string example_in(std::string_view text) {
  std::string piece;
  for (std::size_t at = 0; at <= text.size(); ++at) {
    if (at < text.size() && text[at] != '"') {
      if (text[at] != '\\') piece += text[at];
      continue;
    }
    if (std::string found = data::find_placeholder(piece); !found.empty()) return found;
    piece.clear();
  }
  return {};
}

bool overlaps(Span a, Span b) {
  if (a.size() == 0 && b.size() == 0) return false;  // two insertions at one place apply in order
  if (a.size() == 0) return b.begin < a.begin && a.begin < b.end;
  if (b.size() == 0) return a.begin < b.begin && b.begin < a.end;
  return a.begin < b.end && b.begin < a.end;
}

// The file's line break, as its first line ends: inserted lines end the same way (LF, CRLF, or
// a lone CR, which the readers accept as a line break too).
std::string_view line_break_of(std::string_view text) {
  const std::size_t at = text.find_first_of("\r\n");
  if (at == std::string_view::npos || text[at] == '\n') return "\n";
  return at + 1 < text.size() && text[at + 1] == '\n' ? "\r\n" : "\r";
}

// The files and directories the user named, as overlay keys.
struct NamedPaths {
  std::vector<std::string> files;
  std::vector<std::string> directories;

  ScanOptions scan;

  NamedPaths(const std::vector<std::string>& paths, ScanOptions options)
      : scan(std::move(options)) {
    for (const std::string& path : paths) {
      if (path == "-") continue;
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec)) {
        std::string dir = overlay_key(path);
        if (!dir.ends_with('/')) dir += '/';
        directories.push_back(std::move(dir));
      } else {
        files.push_back(overlay_key(path));
      }
    }
  }

  [[nodiscard]] bool contains(const std::string& key) const {
    // A file under a named directory that a scan of it would not take (a template read through
    // templatefile(), say) was not named.
    return std::find(files.begin(), files.end(), key) != files.end() ||
           ((scan_accepts(scan, key) || scan_takes_name(scan, key)) &&
            std::any_of(directories.begin(), directories.end(),
                        [&](const std::string& dir) { return key.starts_with(dir); }));
  }
};

// One file's text across the rounds.
struct FileState {
  std::string path;
  std::string before;
  std::string current;
};

}  // namespace

std::string unapplied_reason(const Diagnostic& d, const FixOptions& options, bool named) {
  const RuleInfo* rule = find_rule(d.rule_id);
  const FixKind kind = rule != nullptr ? rule->fix_kind : FixKind::unsafe;
  if (kind != FixKind::safe && !options.unsafe)
    return "an unsafe fix (it adds or removes statements or changes who has access): "
           "--unsafe-fixes applies it";
  if (d.fix->discards_text && !options.unsafe)
    return "it deletes text you wrote on a guess that it is stray: --unsafe-fixes applies it";
  for (const TextEdit& edit : d.fix->edits) {
    if (std::string_view placeholder = placeholder_in(edit.replacement); !placeholder.empty()) {
      return fmt::format(
          "it holds the placeholder {}: give the value (--config or a flag) and "
          "run again",
          placeholder);
    }
    // An example value of AWS's guides (111122223333, amzn-s3-demo-bucket), which the policy
    // holds and the fix copies: GD005 says it is not the user's, so neither is the fix's.
    if (const std::string example = example_in(edit.replacement); !example.empty()) {
      return fmt::format(
          "it holds {}, a placeholder of the kind AWS's example policies write (GD005): put "
          "your own value in the "
          "policy or give it (--config or a flag) and run again",
          example);
    }
  }
  if (d.location.file == "<stdin>") return "standard input cannot be fixed in place";
  if (!named) return "the file was not named on the command line (it was read with the setup)";
  return {};
}

namespace {

// The indentation of an insertion that starts on a new line; none for one that continues the
// line it is inserted in.
std::optional<std::size_t> new_line_indent(std::string_view replacement) {
  std::size_t i = 0;
  while (i < replacement.size() && replacement[i] == '\r') ++i;
  if (i >= replacement.size() || replacement[i] != '\n') return std::nullopt;
  const std::size_t start = i + 1;
  std::size_t end = start;
  while (end < replacement.size() && replacement[end] == ' ') ++end;
  return end - start;
}

}  // namespace

std::string apply_edits(std::string_view text, std::vector<TextEdit> edits) {
  // Two insertions at one place apply in the order the findings came, except that of two new
  // lines the more indented goes first: in YAML it continues the node that ends there (a
  // Condition for the last statement), the other starts a sibling after it (a new statement).
  // At one place: insertions before a replacement starting there (else the replacement moves
  // past it and the insertion is lost), text continuing the line before new lines, and new
  // lines by indentation. A total preorder, so stable_sort keeps the rest in order.
  auto rank = [](const TextEdit& e) {
    if (e.location.span.size() != 0) return std::pair<int, std::size_t>{1, 0};
    const std::optional<std::size_t> indent = new_line_indent(e.replacement);
    return std::pair<int, std::size_t>{0, indent ? SIZE_MAX - *indent : 0};
  };
  std::stable_sort(edits.begin(), edits.end(), [&rank](const TextEdit& a, const TextEdit& b) {
    if (a.location.span.begin != b.location.span.begin)
      return a.location.span.begin < b.location.span.begin;
    return rank(a) < rank(b);
  });
  const std::string_view line_break = line_break_of(text);
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t at = 0;
  for (const TextEdit& edit : edits) {
    const Span span = edit.location.span;
    if (span.begin < at || span.end > text.size() || span.end < span.begin) continue;
    out.append(text.substr(at, span.begin - at));
    for (std::size_t i = 0; i < edit.replacement.size(); ++i) {
      const char c = edit.replacement[i];
      if (c == '\n' && (i == 0 || edit.replacement[i - 1] != '\r')) {
        out += line_break;
        continue;
      }
      out += c;
    }
    at = span.end;
  }
  out.append(text.substr(at));
  return out;
}

FixOutcome check_and_fix(const CheckRequest& request, const FixOptions& options, Report& report) {
  FixOutcome outcome;
  const NamedPaths named(request.paths, scan_options_of(request));
  const std::vector<Diagnostic> given = report.diagnostics;  // --config findings
  std::map<std::string, FileState> files;                    // by overlay key
  std::map<std::string, std::string> overlay;                // overlay key -> current text
  CheckRequest round_request = request;

  for (std::size_t round = 1;; ++round) {
    Report checked;
    checked.diagnostics = given;
    {
      const LoadOverlay fixed_text(overlay);
      check(round_request, checked);
    }
    round_request.progress = nullptr;  // the first round showed it

    // The fixes of this round, per file, whole fixes only: one whose edits touch bytes another
    // accepted fix edits waits for the next round (it is computed again on the new text).
    std::map<std::string, std::vector<TextEdit>> accepted;
    std::vector<FixedFinding> fixed_now;
    std::vector<UnappliedFix> unapplied;
    // Safe fixes (a repair in place) first; an unsafe one (a statement added, access changed) is
    // computed on the text before them, so in a file a safe fix changes it waits for the next
    // round: a statement repaired by one (GD103's "Allow") made another's added grant a duplicate.
    std::vector<const Diagnostic*> ordered;
    for (const Diagnostic& d : checked.diagnostics) ordered.push_back(&d);
    auto is_safe = [](const Diagnostic& d) {
      const RuleInfo* rule = find_rule(d.rule_id);
      return rule != nullptr && rule->fix_kind == FixKind::safe;
    };
    std::stable_partition(ordered.begin(), ordered.end(),
                          [&](const Diagnostic* d) { return is_safe(*d); });
    std::set<std::string> repaired;  // files a safe fix of this round edits
    for (const Diagnostic* next : ordered) {
      const Diagnostic& d = *next;
      if (!d.fix || d.fix->edits.empty() || d.suppression_reason) continue;
      const bool all_named = std::all_of(
          d.fix->edits.begin(), d.fix->edits.end(),
          [&](const TextEdit& e) { return named.contains(overlay_key(e.location.file)); });
      std::string reason = unapplied_reason(d, options, all_named);
      if (!reason.empty()) {
        unapplied.push_back({d.location.file, d.location.start, d.rule_id, std::move(reason)});
        continue;
      }
      auto edits_of = [&](const TextEdit& e) -> std::vector<TextEdit>& {
        return accepted[overlay_key(e.location.file)];
      };
      auto already = [&](const TextEdit& e) {
        const std::vector<TextEdit>& mine = edits_of(e);
        return std::any_of(mine.begin(), mine.end(), [&](const TextEdit& m) {
          return m.location.span == e.location.span && m.replacement == e.replacement;
        });
      };
      auto clashes = [&](const TextEdit& e) {
        const std::vector<TextEdit>& mine = edits_of(e);
        return std::any_of(mine.begin(), mine.end(), [&](const TextEdit& m) {
          return overlaps(m.location.span, e.location.span);
        });
      };
      const auto& edits = d.fix->edits;
      // The same edits as another finding's (one root cause seen twice) are applied once.
      if (std::all_of(edits.begin(), edits.end(), already)) continue;
      if (std::any_of(edits.begin(), edits.end(), clashes)) continue;
      const bool safe = is_safe(d);
      if (!safe && std::any_of(edits.begin(), edits.end(), [&](const TextEdit& e) {
            return repaired.contains(overlay_key(e.location.file));
          }))
        continue;
      for (const TextEdit& e : edits) {
        edits_of(e).push_back(e);
        if (safe) repaired.insert(overlay_key(e.location.file));
      }
      fixed_now.push_back(
          {d.location.file, d.location.start, d.rule_id, d.fix->description, round});
    }
    std::erase_if(accepted, [](const auto& entry) { return entry.second.empty(); });

    const bool last = accepted.empty() || round > options.max_rounds;
    if (last) {
      outcome.converged = accepted.empty();
      outcome.unapplied = std::move(unapplied);
      report.diagnostics = std::move(checked.diagnostics);
      report.input_errors = std::move(checked.input_errors);
      for (auto& [path, source] : checked.sources)
        report.sources.insert_or_assign(path, std::move(source));
      report.files_checked = checked.files_checked;
      report.files_skipped = checked.files_skipped;
      report.partly_judged = checked.partly_judged;
      report.settings = std::move(checked.settings);
      report.notes = std::move(checked.notes);
      report.setups = std::move(checked.setups);
      break;
    }
    outcome.rounds = round;
    for (auto& [key, edits] : accepted) {
      auto it = files.find(key);
      if (it == files.end()) {
        const std::string& path = edits.front().location.file;
        LoadResult loaded = load_source(path, request.max_bytes);
        if (auto* error = std::get_if<LoadError>(&loaded)) {
          outcome.errors.push_back(fmt::format("cannot read {} again: {}", path, error->message));
          continue;
        }
        std::string text(std::get<std::unique_ptr<SourceFile>>(loaded)->text());
        it = files.emplace(key, FileState{path, text, text}).first;
      }
      it->second.current = apply_edits(it->second.current, std::move(edits));
      overlay[key] = it->second.current;
    }
    for (FixedFinding& f : fixed_now) outcome.fixed.push_back(std::move(f));
  }

  for (auto& [key, state] : files) {
    if (state.current == state.before) continue;
    if (options.write) {
      std::string error;
      if (!write_file_atomically(state.path, state.current, error)) {
        // Its fixes are not applied: listed as such, with why.
        const std::string path = state.path;
        std::erase_if(outcome.fixed, [&](const FixedFinding& f) {
          if (f.file != path) return false;
          outcome.unapplied.push_back({f.file, f.start, f.rule_id, "the file cannot be written"});
          return true;
        });
        outcome.unwritten.push_back(path);
        outcome.errors.push_back(error);
        continue;
      }
    }
    outcome.files.push_back({state.path, std::move(state.before), std::move(state.current)});
  }
  std::sort(outcome.files.begin(), outcome.files.end(),
            [](const ChangedFile& a, const ChangedFile& b) { return a.path < b.path; });
  return outcome;
}

}  // namespace gdl::analysis
