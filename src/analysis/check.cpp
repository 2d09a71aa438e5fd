// The run of `check`: which files, grouped into which export setups, checked how many at a time,
// merged into one report in path order.

#include "analysis/check.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <variant>

#include "analysis/discover.h"
#include "analysis/setup_plan.h"
#include "checks/scenario_rule.h"
#include "checks/setup_rule.h"
#include "containers/container.h"
#include "diag/rule_catalog.h"
#include "source/loader.h"
#include "util/text.h"

namespace gdl::analysis {

namespace {

std::string origin_text(const exportcfg::Origin& origin) {
  if (origin.owner_guess) {
    exportcfg::Origin plain = origin;
    plain.owner_guess = false;
    return origin_text(plain) + "; the key owner's, taken for the exporting account";
  }
  switch (origin.kind) {
    case exportcfg::Origin::Kind::flag:
      return origin.detail;
    case exportcfg::Origin::Kind::config:
      // A template's or module's own value that exists only once deployed (the ARN of a key
      // the module creates): where it comes from, and that what was checked stands in for it.
      return origin.stand_in
                 ? fmt::format("config {}; known only once deployed: checked with a stand-in",
                               origin.detail)
                 : "config " + origin.detail;
    case exportcfg::Origin::Kind::inferred:
      return "inferred from " + origin.detail;
    case exportcfg::Origin::Kind::assumed:
      return "assumed: " + origin.detail;
    case exportcfg::Origin::Kind::unset:
      return "unset";
  }
  return "unset";
}

}  // namespace

std::vector<ReportSetting> describe_settings(const exportcfg::ExportSettings& s) {
  std::vector<ReportSetting> out;
  // A stand-in is never shown as a fact: an assumed value is shown as its placeholder.
  auto add = [&out](std::string_view name, const exportcfg::Value& v) {
    if (!v.known()) return;
    std::string value = v.get();
    if (v.origin.stand_in && !value.empty() && !v.origin.symbol.empty()) {
      value = v.origin.symbol;  // as the template or module writes it
    } else if (v.origin.stand_in && !value.empty()) {
      value = name == "account"              ? "<ACCOUNT_ID>"
              : name == "bucket"             ? "<BUCKET>"
              : name == "kmsKeyArn"          ? "<KEY_ARN>"
              : name.starts_with("detector") ? "<DETECTOR_ID>"
              : name == "prefix"             ? "<PREFIX>"
                                             : "<" + std::string(name) + ">";
    }
    out.push_back({std::string(name), std::move(value), origin_text(v.origin)});
  };
  add("account", s.account);
  std::string regions;
  for (const std::string& r : s.regions) regions += (regions.empty() ? "" : ",") + r;
  if (s.regions_origin.stand_in) regions = "<REGION>";
  out.push_back({"regions", regions, origin_text(s.regions_origin)});
  for (const auto& [region, id] : s.detector_ids) add(fmt::format("detector {}", region), id);
  add("detectorId", s.detector_id);
  add("bucket", s.bucket);
  add("prefix", s.prefix);
  add("bucketRegion", s.bucket_region);
  add("bucketAccount", s.bucket_account);
  add("kmsKeyArn", s.key_arn);
  return out;
}

bool load_scenario_rules(const std::string& dir, LintOptions& options, Report& problems,
                         std::string& error) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) {
    error = fmt::format("--rules {}: {}", dir, ec.message());
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    LoadResult loaded = load_source(file.string());
    if (auto* failed = std::get_if<LoadError>(&loaded)) {
      error = fmt::format("cannot read {}: {}", failed->path, failed->message);
      return false;
    }
    auto source = std::move(std::get<std::unique_ptr<SourceFile>>(loaded));
    RuleInfo info;
    auto rule = read_scenario_rule(*source, info, problems.diagnostics);
    if (rule && !register_rule(info)) {
      problems.diagnostics.push_back(make_diagnostic(
          "GD004", make_location(*source, {0, 0}),
          fmt::format("scenario rule: the id {} or name {} is already taken", info.id, info.name)));
      rule.reset();
    }
    if (rule) options.extra_rules.push_back(std::move(rule));
    problems.sources.emplace(source->path(), std::move(source));
  }
  if (problems.diagnostics.empty()) return true;
  error = fmt::format("--rules {} holds invalid scenario rules", dir);
  return false;
}

ScenarioRulesScope::~ScenarioRulesScope() {
  for (const auto& rule : options_.extra_rules) unregister_rule(rule->id());
}

namespace {

constexpr std::uintmax_t kMaxSiblingBytes = 1024 * 1024;

// Whether the text opens a JSON object or array: past blanks and byte-order marks (UTF-8, or
// UTF-16/32 with their NUL bytes), a '{' before a key (or '}', or a curled quote a word
// processor made), or a '[' before a value. A README's "[![CI](...)]" badge is not one.
bool begins_like_json(std::string_view text) {
  text = text.substr(0, 4096);
  auto next = [&](std::size_t from) {
    for (std::size_t i = from; i < text.size(); ++i) {
      const char c = text[i];
      const auto byte = static_cast<unsigned char>(c);
      const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
      const bool bom = byte == 0xEF || byte == 0xBB || byte == 0xBF || byte == 0xFE || byte == 0xFF;
      if (!blank && !(bom && i < 4)) return i;
    }
    return text.size();
  };
  const std::size_t open = next(0);
  if (open == text.size() || (text[open] != '{' && text[open] != '[')) return false;
  const std::size_t after = next(open + 1);
  if (after == text.size()) return true;
  const char c = text[after];
  // ('{' and a letter: a key someone forgot to quote, which GD001 is there to say.)
  if (text[open] == '{')
    return c == '"' || c == '}' || c == '\'' || static_cast<unsigned char>(c) >= 0x80 ||
           (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  return std::string_view("{[]\"-0123456789tfn").find(c) != std::string_view::npos;
}

// The outcome of one work item (a directory's setups, or a configured setup).
struct Outcome {
  std::vector<std::unique_ptr<SourceFile>> sources;  // kept only when they have findings
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> notes;
  std::vector<InputError> errors;
  std::size_t checked = 0;
  std::size_t skipped = 0;
  std::size_t setups = 0;
  std::size_t partly_judged = 0;
  std::optional<LintResult> last;  // the settings of the last setup, for --verbose
  std::vector<SetupVerdict> verdicts;
};

// Whether a rule judges a document alone (GD0xx input, GD1xx grammar), not the export setup.
bool judges_document_alone(std::string_view rule_id) {
  return rule_id.starts_with("GD0") || rule_id.starts_with("GD1");
}

// The verdict of an export setup from its errors (suppressed or not: the auditor's question is
// what AWS would do).
SetupVerdict verdict_of(const LintResult& result) {
  SetupVerdict v;
  v.documents = result.document_paths;
  bool fails = false;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity != Severity::error) continue;
    fails = fails || !judges_document_alone(d.rule_id);
    v.reasons.push_back(fmt::format("{} {}:{}:{}", d.rule_id, d.location.file,
                                    d.location.start.line, d.location.start.column));
  }
  // With a policy of the setup not read (known only when deployed), or none read at all (kept
  // elsewhere), nothing says the export works.
  v.verdict = !v.reasons.empty()                         ? (fails ? "fails" : "rejected")
              : v.documents.empty() || result.unread > 0 ? "undecided"
                                                         : "exports";
  return v;
}

// Reads a work item's files and checks its setups: a directory's templates and plans each on
// their own, its other inputs together; a configured setup's documents together.
Outcome check_item(const WorkItem& item, const exportcfg::ExportSettings& defaults,
                   const ProjectConfig* config, const LintOptions& options, bool keep_sources,
                   std::size_t max_bytes) {
  Outcome o;
  struct Loaded {
    std::unique_ptr<SourceFile> source;
    bool context = false;  // a sibling read for its setup
    bool alone = false;    // a template or plan: a setup of its own
  };
  std::vector<Loaded> loaded;
  std::vector<Loaded> module_files;     // .tf files that write no policy themselves
  std::vector<std::string> unreadable;  // files of the item that could not be read
  auto load = [&](const std::string& path, bool context) {
    // A sibling is read only when it could be a policy or a module file: no key (32 KB) or
    // bucket policy (20 KB), CLI output or .tf file comes near 1 MB, and a named file must not
    // cost the reading of every big file beside it.
    if (context) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(path, ec);
      if (!ec && size > kMaxSiblingBytes) return;  // one that cannot be read says why below
    }
    LoadResult result = load_source(path, max_bytes);
    if (auto* error = std::get_if<LoadError>(&result)) {
      // A sibling that cannot be read is reported as a scan of the directory reports it: it
      // may be the setup's key or bucket policy, so the setup's verdict cannot be "exports".
      o.errors.push_back({error->path, error->message});
      if (!error->too_large) unreadable.push_back(error->path);
      return;
    }
    auto source = std::move(std::get<std::unique_ptr<SourceFile>>(result));
    // (CDK source gets its own note below.)
    if (!context && !begins_like_json(source->text()) &&
        !containers::is_program_source(source->path()) &&
        std::find(item.named_by_content.begin(), item.named_by_content.end(), path) !=
            item.named_by_content.end()) {
      ++o.skipped;
      o.notes.push_back(fmt::format(
          "{}: named, but a scan would not read a file of this name (--include) and it does not "
          "begin like a JSON policy: skipped",
          source->path()));
      return;
    }
    // Standard input that is empty or blank is no file to skip: a pipeline whose `aws kms
    // get-key-policy` wrote nothing passed. Nor is a named file given a kind (--kind key): it is
    // said to be a policy. Read as JSON, either is GD001's error. (Another named file that is
    // empty is skipped, as a scan skips it: the pre-commit hook names every changed *.json.)
    const bool named = std::find(item.named.begin(), item.named.end(), path) != item.named.end();
    if (!context && (path == "-" || (named && options.kind_override)) &&
        source->text().find_first_not_of(" \t\r\n") == std::string_view::npos) {
      loaded.push_back({std::move(source), context, false});
      return;
    }
    if (!containers::looks_like_input(source->path(), source->text())) {
      if (containers::is_terraform_module_file(*source)) {
        // Variables and locals of a module that writes a policy are part of it: held until
        // it is known whether one of the directory's files does.
        module_files.push_back({std::move(source), context});
        return;
      }
      if (context) return;
      ++o.skipped;
      if (named) {
        o.notes.push_back(
            containers::is_program_source(path)
                ? fmt::format("{}: CDK (or other program) source is not read: run `cdk synth` "
                              "and check the templates in cdk.out/ (*.template.json)",
                              source->path())
                : fmt::format("{}: holds no policy and none of the resources read (no Statement "
                              "or Effect, or none at a policy's top level): skipped",
                              source->path()));
      }
      return;
    }
    // A template or plan beside a named file is a setup of its own, not the named file's.
    const bool alone = containers::stands_alone(source->path(), source->text());
    if (context && alone) return;
    loaded.push_back({std::move(source), context, alone});
  };
  for (const std::string_view path : item.paths) load(std::string(path), false);
  for (const std::string& path : item.context) load(path, true);
  // The directories whose modules are read: a loaded file is one of their files.
  std::set<std::string> modules_read;
  if (!module_files.empty()) {
    for (const Loaded& l : loaded) {
      if (containers::is_terraform_module_file(*l.source))
        modules_read.insert(std::filesystem::path(l.source->path()).parent_path().string());
    }
  }
  for (Loaded& held : module_files) {
    // A caller of local modules (the plan folded their files into this item) is read whatever
    // its text holds: its calls give those modules their values, and through it they are read.
    if ((!held.context && !item.reads.empty()) ||
        modules_read.contains(std::filesystem::path(held.source->path()).parent_path().string())) {
      loaded.push_back(std::move(held));
    } else if (!held.context) {
      ++o.skipped;
    }
  }

  exportcfg::ExportSettings settings = defaults;
  if (item.configured && config != nullptr)
    exportcfg::merge_settings(settings, config->setups[*item.configured].settings);
  struct Setup {
    std::vector<const SourceFile*> files;
    bool alone = false;  // one template or plan
  };
  std::vector<Setup> setups;
  Setup together;
  for (const Loaded& l : loaded) {
    if (item.directory && !l.context && l.alone) {
      setups.push_back({{l.source.get()}, true});
    } else {
      together.files.push_back(l.source.get());
      together.alone = together.files.size() == 1 && l.alone;
    }
  }
  // Siblings read for a named file belong to its setup: without a named or scanned file among
  // them (a named template stands alone), they are not checked at all.
  const bool any_reported =
      std::any_of(together.files.begin(), together.files.end(), [&](const SourceFile* f) {
        return std::any_of(loaded.begin(), loaded.end(),
                           [f](const Loaded& l) { return l.source.get() == f && !l.context; });
      });
  if (any_reported) setups.push_back(std::move(together));
  const auto is_caller = [&item](const std::string& path) {
    return std::find(item.callers.begin(), item.callers.end(), path) != item.callers.end();
  };
  std::set<std::string> reported;
  for (const Loaded& l : loaded) {
    if (!l.context && !is_caller(l.source->path())) reported.insert(l.source->path());
  }
  if (!item.callers.empty())
    o.notes.push_back(fmt::format(
        "modules named or scanned are read through the modules of their work tree that call them, "
        "with the calls' arguments, as a scan of the work tree reads them: {}",
        fmt::join(item.callers, ", ")));
  // Read for a named module's callers: of the modules they read, only the named ones report
  // (and they and what they call). A file a module reads with file() or templatefile() is
  // reported as a scan reports it: which module read it is not known here.
  const auto in_named_module = [&item](const std::string& path) {
    if (item.shown_modules.empty() || !detail::is_terraform_file_name(path)) return true;
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) parent = ".";
    std::string dir = std::filesystem::weakly_canonical(parent, ec).string();
    if (ec) return false;
    dir += '/';
    return std::any_of(
        item.shown_modules.begin(), item.shown_modules.end(), [&dir](const std::string& shown) {
          // A directory, or (ending with '/') everything below it.
          return shown.ends_with('/') ? dir.starts_with(shown)
                                      : dir.size() == shown.size() + 1 && dir.starts_with(shown);
        });
  };
  LintOptions item_options = options;
  if (item.configured) item_options.export_declared = true;
  std::set<std::string> siblings;  // read for a named file's setup or its callers, not named
  for (const Loaded& l : loaded) {
    if (!reported.contains(l.source->path())) siblings.insert(l.source->path());
  }
  // A directory's files may hold several exports (lint_exports): a file is counted, a finding
  // reported and a note given once, whichever of them reads it.
  std::set<std::string> counted;
  std::set<std::string> read_too;
  std::set<std::tuple<std::string, std::string, std::size_t, std::size_t, std::string>>
      reported_once;
  std::set<std::string> notes_given;
  for (const Setup& setup : setups) {
    std::vector<LintResult> results;
    if (item.configured) {
      results.push_back(lint_setup(setup.files, settings, item_options));
    } else {
      results = lint_exports(setup.files, settings, item_options);
    }
    const bool several = results.size() > 1;
    std::set<std::string_view> setup_paths;
    for (const SourceFile* source : setup.files) {
      setup_paths.insert(source->path());
      if (reported.contains(source->path()) && counted.insert(source->path()).second) ++o.checked;
    }
    // A named file's siblings read into its setup are said to be (-v): the count is of the
    // named files, and a finding (two key policies, GD007) may name a sibling.
    std::vector<std::string> beside;
    for (const SourceFile* source : setup.files) {
      if (!reported.contains(source->path()) && !is_caller(source->path()))
        beside.push_back(source->path());
    }
    if (!beside.empty())
      o.notes.push_back(fmt::format(
          "read with the named files as one setup, as a scan of their directory reads them: {}",
          fmt::join(beside, ", ")));
    for (LintResult& result : results) {
      auto give_notes = [&] {
        for (std::string& note : result.notes) {
          if (!several || notes_given.insert(note).second) o.notes.push_back(std::move(note));
        }
      };
      // Of a named file's directory, only the exports it is in are its setup's: not one made of
      // siblings only.
      if (several && !result.documents_only && !result.document_paths.empty() &&
          std::all_of(result.document_paths.begin(), result.document_paths.end(),
                      [&](const std::string& path) { return siblings.contains(path); })) {
        give_notes();
        continue;
      }
      if (!result.documents_only) ++o.setups;
      // Findings in a sibling read for context count when it is one of the export's documents;
      // on a link to a file reported elsewhere, only the setup's (a shared key's GD201 for this
      // account), not the document's own, which are reported once, where the file is.
      std::set<std::string> export_documents;
      std::set<std::string> setup_findings_only;
      if (result.export_setup) {
        for (const std::string& path : result.document_paths) {
          if (std::find(item.linked.begin(), item.linked.end(), path) != item.linked.end()) {
            setup_findings_only.insert(path);
          } else {
            export_documents.insert(path);
            if (setup_paths.contains(path) && counted.insert(path).second) ++o.checked;
          }
        }
      }
      std::set<std::string> read_files;
      // A local module's files, read through the call, are checked as part of this one; so are
      // the files a module reads with file() or templatefile(): a policy held there is checked as
      // one written inline is, whether or not the export uses it.
      for (const std::string& path : result.read_paths) {
        // Variable files and -var values the module was read with: their errors are shown (a
        // broken terraform.tfvars was ignored without a word), but they are not policy files.
        if (path.ends_with(".tfvars") || path.ends_with(".tfvars.json") ||
            path.starts_with("--var ")) {
          read_files.insert(path);
          continue;
        }
        if (reported.contains(path) || !in_named_module(path)) continue;
        read_files.insert(path);
        // A file read with file() is counted where a scan lists it (its directory's item), as a
        // named file's sibling is not: only a module's .tf files are counted here.
        if (detail::is_terraform_file_name(path) && read_too.insert(path).second) ++o.checked;
      }
      auto shown = [&](const std::string& path) {
        return reported.contains(path) || export_documents.contains(path) ||
               read_files.contains(path);
      };
      if (result.export_setup) {
        SetupVerdict v = verdict_of(result);
        // A file of the directory that could not be read may be the setup's policy: the README's
        // "rejected (... or it could not be read)". A template or plan stands alone: not its.
        if (!setup.alone && !unreadable.empty()) {
          v.verdict = "rejected";
          for (const std::string& path : unreadable)
            v.reasons.push_back(fmt::format("unreadable {}", path));
        }
        o.verdicts.push_back(std::move(v));
      }
      for (Diagnostic& d : result.diagnostics) {
        if (!shown(d.location.file) &&
            (judges_document_alone(d.rule_id) || !setup_findings_only.contains(d.location.file)))
          continue;
        if (several && !reported_once
                            .emplace(d.rule_id, d.location.file, d.location.span.begin,
                                     d.location.span.end, d.message)
                            .second)
          continue;
        o.diagnostics.push_back(std::move(d));
      }
      give_notes();
      o.partly_judged += result.partly_judged;
      result.diagnostics.clear();
      if (!result.documents_only) o.last = std::move(result);
    }
  }
  for (Loaded& l : loaded) {
    const bool has_findings =
        std::any_of(o.diagnostics.begin(), o.diagnostics.end(),
                    [&](const Diagnostic& d) { return d.location.file == l.source->path(); });
    if (keep_sources && has_findings) o.sources.push_back(std::move(l.source));
  }
  return o;
}

// The work items of a run, given one at a time in the plan's order: a planned list, or a
// streamed plan that makes each item as its directory comes.
class WorkSource {
 public:
  WorkSource() = default;
  WorkSource(const WorkSource&) = delete;
  WorkSource& operator=(const WorkSource&) = delete;
  virtual ~WorkSource() = default;
  virtual std::optional<WorkItem> next() = 0;
  // Every path an item still to come lists is at least this (nullopt: none lists a path).
  [[nodiscard]] virtual std::optional<std::string_view> lower_bound() const = 0;
  [[nodiscard]] virtual std::size_t files() const = 0;  // about how many, for the progress
  [[nodiscard]] virtual bool more_than_one() const { return true; }  // worth a second thread
  // Whether an item may read a file another item lists (Terraform files are among the inputs).
  [[nodiscard]] virtual bool reads_listed_files() const = 0;
};

// The files an item's findings may name: its own, its context and the modules its calls read.
// Standard input ("-", reported as <stdin>) is not placed: it would hold back every file after
// it until the end; its findings go with the unlisted ones.
template <typename Visit>
void for_each_listed(const WorkItem& item, Visit&& visit) {
  auto visit_all = [&visit](const auto& list) {
    for (const std::string_view path : list) {
      if (path != "-") visit(path);
    }
  };
  visit_all(item.paths);
  visit_all(item.context);
  visit_all(item.reads);
}

std::optional<std::string_view> first_listed(const WorkItem& item) {
  std::optional<std::string_view> first;
  for_each_listed(item, [&first](std::string_view path) {
    if (!first || path < *first) first = path;
  });
  return first;
}

class PlannedItems final : public WorkSource {
 public:
  explicit PlannedItems(std::vector<WorkItem> items) : items_(std::move(items)) {
    // The least path each suffix of the list names, for lower_bound().
    least_from_.resize(items_.size());
    for (std::size_t i = items_.size(); i-- > 0;) {
      const std::optional<std::string_view> first = first_listed(items_[i]);
      least_from_[i] = i + 1 < items_.size() ? least_from_[i + 1] : std::nullopt;
      if (first && (!least_from_[i] || *first < *least_from_[i]))
        least_from_[i] = std::string(*first);
    }
    for (const WorkItem& item : items_) {
      files_ += item.paths.size();
      for (const std::string_view path : item.paths)
        terraform_ = terraform_ || detail::is_terraform_file_name(path);
      for (const std::string& path : item.context)
        terraform_ = terraform_ || detail::is_terraform_file_name(path);
    }
  }
  [[nodiscard]] bool reads_listed_files() const override { return terraform_; }
  std::optional<WorkItem> next() override {
    if (next_ == items_.size()) return std::nullopt;
    return std::move(items_[next_++]);
  }
  [[nodiscard]] std::optional<std::string_view> lower_bound() const override {
    if (next_ == items_.size() || !least_from_[next_]) return std::nullopt;
    return *least_from_[next_];
  }
  [[nodiscard]] std::size_t files() const override { return files_; }
  [[nodiscard]] bool more_than_one() const override { return items_.size() > 1; }

 private:
  std::vector<WorkItem> items_;
  std::vector<std::optional<std::string>> least_from_;
  std::size_t next_ = 0;
  std::size_t files_ = 0;
  bool terraform_ = false;
};

class StreamedItems final : public WorkSource {
 public:
  explicit StreamedItems(StreamedPlan& plan) : plan_(plan) {}
  std::optional<WorkItem> next() override { return plan_.next(); }
  [[nodiscard]] std::optional<std::string_view> lower_bound() const override {
    return plan_.lower_bound();
  }
  [[nodiscard]] std::size_t files() const override { return plan_.files(); }
  [[nodiscard]] bool reads_listed_files() const override { return plan_.has_terraform(); }

 private:
  StreamedPlan& plan_;
};

// Findings reach the sink in path order, each file's together, while items finish in any order.
// A file may go once no unfinished item lists it or anything before it: every item still to come
// lists paths at least the source's lower bound, and of the items started and unfinished the
// least listed path is kept. Only the listed paths of finished items that are still ahead of
// that bound are held: an item's paths pass the bound as it finishes, unless an unfinished item
// lists a smaller path (in a scan, a directory whose name is a prefix of another's: "a/z.json"
// waits for "a/b/"). Memory grows with the items under way, not with the files. A file's
// findings are sorted and deduplicated (a document of two configured setups is checked in both).
// Files no item lists (a module's files read through a call) are reported after the others.
// Not thread-safe: the caller serialises finished() and finish(). (Writing outside the caller's
// lock, with the source walked under a lock of its own, was measured twice and changed nothing:
// bench/README.md, twentieth and twenty-fifth rounds.)
class PathOrderEmitter {
 public:
  // `reads_listed`: an item may report findings on a file another item lists (a Terraform
  // module reading a scanned policy through templatefile()); those that repeat the file's own
  // findings are then dropped, which needs a digest of every finding written.
  PathOrderEmitter(const ProjectConfig* config, FindingSink& sink, bool reads_listed)
      : config_(config), sink_(sink), reads_listed_(reads_listed) {}

  // Item `index` was taken from the source: its least path holds back every file from there on.
  void started(std::size_t index, const WorkItem& item) {
    if (const auto first = first_listed(item))
      unfinished_.emplace(std::string(*first), static_cast<std::uint32_t>(index));
  }

  // Item `index` is done: its findings wait for their turn, then every file now complete goes.
  // `to_come` is the source's lower bound now.
  void finished(std::size_t index, const WorkItem& item, std::vector<Diagnostic>& findings,
                std::vector<std::unique_ptr<SourceFile>>& sources,
                std::optional<std::string_view> to_come) {
    if (config_ != nullptr) apply_project_rules(*config_, findings);
    // Findings on a file the item does not list (a template its module reads, standard input)
    // go after the scanned files, whenever the item finishes: the output never depends on how
    // far the other items have got. Those that repeat findings already written for the file (the
    // module read a policy the scan lists) are dropped there.
    std::set<std::string_view> listed;
    for_each_listed(item, [&listed](std::string_view path) { listed.insert(path); });
    const auto held_for = [&](const std::string& file) -> Files& {
      return listed.contains(file) ? held_ : trailing_;
    };
    for (Diagnostic& d : findings) {
      Files& files = held_for(d.location.file);
      files[d.location.file].findings.push_back(std::move(d));
    }
    for (auto& source : sources) {
      Files& files = held_for(source->path());
      auto it = files.find(source->path());
      if (it != files.end() && !it->second.source) it->second.source = std::move(source);
    }
    if (const auto first = first_listed(item))
      unfinished_.erase({std::string(*first), static_cast<std::uint32_t>(index)});
    for_each_listed(item, [this](std::string_view path) { listed_ahead_.emplace(path); });
    advance(to_come);
  }

  // Every file now complete goes: before the least path an unfinished item, or one to come
  // (at least `to_come`), lists.
  void advance(std::optional<std::string_view> to_come) {
    const auto complete = [&](std::string_view path) {
      return (unfinished_.empty() || path < unfinished_.begin()->first) &&
             (!to_come || path < *to_come);
    };
    while (!listed_ahead_.empty() && complete(*listed_ahead_.begin())) {
      if (auto it = held_.find(*listed_ahead_.begin()); it != held_.end()) emit(held_, it);
      listed_ahead_.erase(listed_ahead_.begin());
    }
  }

  // Every item is done: what is left, in path order. Findings on files their item does not list
  // (a template read through templatefile(), standard input) wait until here: which items read
  // them is not known beforehand.
  void finish() {
    while (!held_.empty()) emit(held_, held_.begin());
    while (!trailing_.empty()) {
      std::vector<Diagnostic>& findings = trailing_.begin()->second.findings;
      std::erase_if(findings,
                    [this](const Diagnostic& d) { return written_.contains(digest_of(d)); });
      emit(trailing_, trailing_.begin());
    }
  }

 private:
  struct Held {
    std::vector<Diagnostic> findings;
    std::unique_ptr<SourceFile> source;
  };

  using Files = std::map<std::string, Held, std::less<>>;

  void emit(Files& files, Files::iterator it) {
    std::vector<Diagnostic>& findings = it->second.findings;
    std::stable_sort(findings.begin(), findings.end(), diagnostic_less);
    findings.erase(std::unique(findings.begin(), findings.end(),
                               [](const Diagnostic& a, const Diagnostic& b) {
                                 return a.location.span == b.location.span &&
                                        a.rule_id == b.rule_id && a.message == b.message;
                               }),
                   findings.end());
    if (reads_listed_ && &files == &held_) {
      for (const Diagnostic& d : findings) written_.insert(digest_of(d));
    }
    if (!findings.empty()) sink_.accept(findings, it->second.source);
    files.erase(it);
  }

  // A finding's file, span, rule and message in 64 bits (FNV-1a): equal findings are equal here.
  static std::uint64_t digest_of(const Diagnostic& d) {
    std::uint64_t h = 14695981039346656037ULL;
    const auto mix = [&h](std::string_view text) {
      for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      h = (h ^ 0xffU) * 1099511628211ULL;  // a separator no UTF-8 text holds
    };
    mix(d.location.file);
    mix(d.rule_id);
    mix(d.message);
    for (const std::size_t at : {d.location.span.begin, d.location.span.end})
      h = (h ^ static_cast<std::uint64_t>(at)) * 1099511628211ULL;
    return h;
  }

  const ProjectConfig* config_;
  FindingSink& sink_;
  std::set<std::pair<std::string, std::uint32_t>, std::less<>> unfinished_;  // least path, item
  std::set<std::string, std::less<>> listed_ahead_;  // finished items' paths not yet complete
  Files held_;      // findings on files their item lists, waiting for their turn
  Files trailing_;  // findings on files their item does not list: written last
  bool reads_listed_;
  std::unordered_set<std::uint64_t> written_;  // digests of the findings written, if reads_listed_
};

// Without a sink, findings (and the text of their files) are collected into the report.
class CollectingSink final : public FindingSink {
 public:
  explicit CollectingSink(Report& report) : report_(report) {}
  void accept(std::vector<Diagnostic>& findings, std::unique_ptr<SourceFile>& source) override {
    report_.diagnostics.insert(report_.diagnostics.end(), std::make_move_iterator(findings.begin()),
                               std::make_move_iterator(findings.end()));
    if (source) {
      const std::string path = source->path();
      report_.sources.emplace(path, std::move(source));
    }
  }

 private:
  Report& report_;
};

// The most threads a check starts, whatever --jobs asks for.
constexpr unsigned kMaxThreads = 256;

// How many work items may finish ahead of the first unfinished one, per thread: enough to keep
// both cores busy behind a slow item, few enough that waiting findings stay small.
constexpr std::size_t kWindowPerThread = 32;

// Checks the work items `jobs` at a time. Findings reach the sink in path order and the rest of
// each item (counts, notes, verdicts) the report in item order, so the output does not depend on
// the thread count; a file's text is released once its findings are written.
void check_items(WorkSource& source, const CheckRequest& request, FindingSink& sink,
                 Report& report) {
  const ProjectConfig* config = request.project;
  std::ostream* progress_out = request.progress;
  PathOrderEmitter emitter(config, sink, source.reads_listed_files());
  std::map<std::size_t, WorkItem> taken;  // taken from the source, not yet done
  std::map<std::size_t, Outcome> parked;  // done, waiting for the items before them
  std::size_t low = 0;                    // the first item not merged into the report
  std::size_t next = 0;                   // the next item to start
  bool exhausted = false;                 // the source has no more items
  std::size_t setups = 0;
  std::optional<LintResult> only;  // the settings of the first setup, for --verbose
  std::mutex mutex;
  std::condition_variable window_moved;
  std::size_t done = 0;
  const std::size_t files = source.files();
  const bool progress = progress_out != nullptr && ::isatty(STDERR_FILENO) == 1 && files >= 500;
  const auto started = std::chrono::steady_clock::now();
  // At most kMaxThreads: each costs a stack and a window of items, and `-j 100000` asked the
  // system for more threads than it would start (the run aborted).
  const unsigned threads = std::clamp(
      request.jobs == 0 ? std::thread::hardware_concurrency() : request.jobs, 1U, kMaxThreads);
  const std::size_t window = kWindowPerThread * threads;
  // The first exception of any thread (an allocation failure) stops every thread, and is
  // rethrown once they are joined: a thread must never wait for an item that will not finish.
  std::exception_ptr failure;
  auto work_on_items = [&] {
    for (;;) {
      std::size_t i = 0;
      const WorkItem* item = nullptr;
      {
        std::unique_lock lock(mutex);
        window_moved.wait(lock,
                          [&] { return failure != nullptr || exhausted || next < low + window; });
        if (failure != nullptr || exhausted) return;
        std::optional<WorkItem> made = source.next();
        if (!made) {
          exhausted = true;
          emitter.advance(std::nullopt);  // no item is to come: what the finished ones listed
          window_moved.notify_all();
          return;
        }
        i = next++;
        item = &taken.emplace(i, std::move(*made)).first->second;  // a map's nodes do not move
        emitter.started(i, *item);
      }
      Outcome o = check_item(*item, request.settings, config, *request.options,
                             request.keep_sources, request.max_bytes);
      const std::lock_guard lock(mutex);
      emitter.finished(i, *item, o.diagnostics, o.sources, source.lower_bound());
      o.diagnostics.clear();
      o.sources.clear();
      done += item->paths.size();
      taken.erase(i);
      parked.emplace(i, std::move(o));
      for (auto it = parked.begin(); it != parked.end() && it->first == low;
           it = parked.erase(it), ++low) {
        Outcome& merged = it->second;
        report.input_errors.insert(report.input_errors.end(), merged.errors.begin(),
                                   merged.errors.end());
        report.files_skipped += merged.skipped;
        report.files_checked += merged.checked;
        report.partly_judged += merged.partly_judged;
        report.notes.insert(report.notes.end(), merged.notes.begin(), merged.notes.end());
        if (request.keep_verdicts) {
          for (SetupVerdict& v : merged.verdicts) report.setups.push_back(std::move(v));
        }
        setups += merged.setups;
        if (merged.last && !only) only = std::move(merged.last);
      }
      window_moved.notify_all();
      if (progress) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        *progress_out << fmt::format("\r{}/{} files ({:.0f} files/s)", done, std::max(files, done),
                                     seconds > 0 ? static_cast<double>(done) / seconds : 0.0)
                      << std::flush;
      }
    }
  };
  auto work = [&] {
    try {
      work_on_items();
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (failure == nullptr) failure = std::current_exception();
      window_moved.notify_all();
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threads && source.more_than_one(); ++t) {
      try {
        helpers.emplace_back(work);
      } catch (const std::system_error&) {
        break;  // the system starts no more threads: the ones running do the work
      }
    }
    work();
  }
  if (failure != nullptr) std::rethrow_exception(failure);
  emitter.finish();
  if (progress) *progress_out << "\r" << std::string(40, ' ') << "\r" << std::flush;
  // --verbose and the JSON output show the settings when the run checked one setup.
  if (setups == 1 && only) {
    report.settings = describe_settings(only->settings);
    // Settings taken from a template show its symbols, not the stand-ins checked for them.
    for (ReportSetting& setting : report.settings) {
      for (const auto& [value, symbol] : only->stand_ins) {
        for (std::string* text : {&setting.name, &setting.value}) replace_all(*text, value, symbol);
      }
    }
  }
}

// The configured setups' documents as paths to open, relative to here when they are below it.
// A document listed twice in one setup ("key.json" and "./key.json", or a link to it) is read
// once: read twice, the setup would hold two key policies and be checked for grammar only.
std::vector<ConfiguredSetup> configured_setups(const ProjectConfig& config,
                                               std::vector<std::string>& notes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path here = fs::current_path(ec);
  std::vector<ConfiguredSetup> setups;
  for (const Setup& setup : config.setups) {
    ConfiguredSetup c{setup.name, {}, setup.settings};
    std::map<std::string, std::string> listed;  // identity -> the document as first written
    for (const std::string& doc : setup.documents) {
      fs::path path = (config.directory / doc).lexically_normal();
      std::error_code canonical_ec;
      const fs::path canonical = fs::weakly_canonical(path, canonical_ec);
      const auto [first, fresh] =
          listed.emplace(canonical_ec ? path.string() : canonical.string(), doc);
      if (!fresh) {
        notes.push_back(
            fmt::format("{}: setup \"{}\" lists \"{}\" and \"{}\", one file: it is read once",
                        config.file, setup.name, first->second, doc));
        continue;
      }
      if (!ec && path.is_absolute()) {
        const fs::path relative = path.lexically_relative(here);
        if (!relative.empty() && *relative.begin() != "..") path = relative;
      }
      c.documents.push_back(path.string());
    }
    setups.push_back(std::move(c));
  }
  return setups;
}

}  // namespace

ScanOptions scan_options_of(const CheckRequest& request) {
  ScanOptions scan_options;
  if (request.project != nullptr && !request.project->include.empty())
    scan_options.include = request.project->include;
  if (request.project != nullptr) scan_options.exclude = request.project->exclude;
  if (!request.include.empty()) scan_options.include = request.include;
  if (!request.exclude.empty()) scan_options.exclude = request.exclude;
  return scan_options;
}

TerraformFile read_module_file(const std::string& path, std::size_t max_bytes) {
  LoadResult loaded = load_source(path, max_bytes);
  const auto* source = std::get_if<std::unique_ptr<SourceFile>>(&loaded);
  if (source == nullptr) return TerraformFile{};
  if (!containers::is_terraform_module_file(**source)) return TerraformFile{false, {}};
  return TerraformFile{true, containers::local_module_directories(**source)};
}

void check(const CheckRequest& given, Report& report) {
  // A named path that leaves the repository it is spelled in is not read (source/loader.h):
  // judged by its directory (a named file's link is load_source's to refuse), once each.
  std::map<std::string, std::string> leaves;  // directory -> why, empty when read
  std::vector<std::string> kept;
  for (const std::string& path : given.paths) {
    if (path != "-") {  // standard input has no directory
      std::error_code ec;
      std::string dir = std::filesystem::is_directory(path, ec)
                            ? path
                            : std::filesystem::path(path).parent_path().string();
      if (dir.empty()) dir = ".";
      const auto [it, fresh] = leaves.try_emplace(dir);
      if (fresh) it->second = directory_leaves_work_tree(dir);
      if (!it->second.empty()) {
        report.input_errors.push_back({path, it->second});
        continue;
      }
    }
    kept.push_back(path);
  }
  const bool refused = kept.size() != given.paths.size();
  CheckRequest confined;
  if (refused) {
    confined = given;
    confined.paths = std::move(kept);
  }
  const CheckRequest& request = refused ? confined : given;
  const ScanOptions scan_options = scan_options_of(request);
  // Findings already in the report (--config's) are judged by the project's rules too.
  if (request.project != nullptr) apply_project_rules(*request.project, report.diagnostics);
  CollectingSink collect(report);
  FindingSink& sink = request.sink != nullptr ? *request.sink : collect;
  const auto read_module_file = [&request](const std::string& path) {
    return analysis::read_module_file(path, request.max_bytes);
  };
  // A module whose callers are elsewhere in its git work tree (its file named alone, or its
  // directory scanned) is read through them, as a scan of the work tree reads it.
  std::error_code ec;
  std::vector<std::string> scanned_roots;
  if (!request.settings_invalid) {
    for (const std::string& path : request.paths) {
      if (path != "-" && std::filesystem::is_directory(path, ec)) scanned_roots.push_back(path);
    }
  }
  // A scan of one directory is planned as it is walked: its memory does not grow with the files.
  ModuleCallers callers;
  if (request.stream_plan && !request.settings_invalid && request.paths.size() == 1 &&
      scanned_roots.size() == 1) {
    callers = callers_in_work_tree({}, scanned_roots, scan_options, read_module_file);
    if (callers.files.empty()) {
      StreamedPlan plan(request.paths.front(), scan_options,
                        request.project != nullptr
                            ? configured_setups(*request.project, report.notes)
                            : std::vector<ConfiguredSetup>{},
                        read_module_file);
      std::vector<InputError> errors = plan.take_errors();
      report.input_errors.insert(report.input_errors.end(), errors.begin(), errors.end());
      StreamedItems items(plan);
      check_items(items, request, sink, report);
      return;
    }
  }
  Discovered found = discover(request.paths, scan_options);
  report.input_errors.insert(report.input_errors.end(), found.errors.begin(), found.errors.end());
  if (!request.settings_invalid) {
    PlanInput plan;
    plan.named = std::move(found.named);
    name_modules_of_variable_files(
        plan.named,
        [&scan_options](const std::string& path) { return scan_accepts(scan_options, path); },
        report.notes, report.files_skipped);
    if (callers.files.empty())
      callers = callers_in_work_tree(plan.named, scanned_roots, scan_options, read_module_file);
    plan.named.insert(plan.named.end(), callers.files.begin(), callers.files.end());
    plan.scanned = std::move(found.scanned);
    if (request.project != nullptr)
      plan.configured = configured_setups(*request.project, report.notes);
    plan.scan_filter = [&scan_options](const std::string& path) {
      return scan_accepts(scan_options, path);
    };
    plan.name_filter = [&scan_options](const std::string& path) {
      return scan_takes_name(scan_options, path);
    };
    std::vector<WorkItem> planned = plan_setups(std::move(plan));
    // The scan's list is the items' now: what is left of the discovery goes before the run.
    found = Discovered{};
    for (WorkItem& item : planned) {
      for (const std::string& path : item.named) {
        if (std::binary_search(callers.files.begin(), callers.files.end(), path))
          item.callers.push_back(path);
      }
      if (!item.callers.empty()) item.shown_modules = callers.shown;
    }
    fold_called_modules(planned, read_module_file);
    PlannedItems items(std::move(planned));
    check_items(items, request, sink, report);
  }
  // --config's own findings (the run checked nothing else then), in path order.
  if (request.settings_invalid)
    std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(), diagnostic_less);
}

}  // namespace gdl::analysis
