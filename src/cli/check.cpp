// `gd-export-lint check`: load each input, lint it, render the report, choose the exit code.

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <variant>

#include "analysis/setup_plan.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/project_config.h"
#include "cli/scan.h"
#include "containers/container.h"
#include "export/settings.h"
#include "report/baseline.h"
#include "report/report.h"
#include "diag/rule_catalog.h"
#include "rules/engine.h"
#include "rules/scenario_rule.h"
#include "rules/setup_rule.h"
#include "source/loader.h"

namespace gdl::cli {

void add_check_options(CLI::App& command, CheckArgs& args) {
  command
      .add_option("PATH", args.paths,
                  "Policy files (checked together as one export setup) or directories to scan; '-' "
                  "reads standard input")
      ->required();
  command.add_option("-f,--format", args.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
  command.add_option("-o,--output", args.output,
                     "Write the report to FILE instead of standard output");
  command
      .add_option("--fail-on", args.fail_on,
                  "Lowest severity that makes the exit code 1 (default: error)")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  command.add_option(
      "--project-config", args.project_config,
      "The project configuration (default: .gd-export-lint.json, searched upwards from here)");
  command
      .add_option("--disable", args.disable, "Rules to turn off, by id or name (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  command.add_option("--color", args.color, "Colour in text output (NO_COLOR is honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", args.quiet, "Text output: one line per finding, no summary");
  command.add_flag("-v,--verbose", args.verbose,
                   "Text output: also the export settings and where each came from");
  command.add_option(
      "--config", args.config,
      "Export settings: a JSON file (account, regions, detectorIds, detectorId, bucket, prefix, "
      "bucketRegion, bucketAccount, kmsKeyArn) or `aws guardduty describe-publishing-destination` "
      "output");
  command.add_option("--account", args.account, "The exporting account id");
  command.add_option("--region", args.regions, "A Region whose findings are exported (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--detector-id", args.detector_id, "The detector id (32 hex characters)");
  command.add_option("--bucket", args.bucket, "The export bucket's name");
  // --prefix "" says "no prefix" (a given value), unlike leaving the option out.
  command
      .add_option("--prefix", args.prefix,
                  "The export prefix (folder) in the bucket; \"\" for none")
      ->each([&args](const std::string&) { args.prefix_given = true; });
  command.add_option("--bucket-region", args.bucket_region, "The bucket's Region");
  command.add_option("--bucket-account", args.bucket_account, "The account that owns the bucket");
  command.add_option("--key-arn", args.key_arn, "The KMS key ARN GuardDuty encrypts findings with");
  command.add_option("-j,--jobs", args.jobs, "Threads for directory scans (default: one per core)");
  command
      .add_option("--include", args.include,
                  "Glob of files to scan in directories (default *.json; repeatable)")
      ->allow_extra_args(false);
  command
      .add_option("--exclude", args.exclude,
                  "Glob of files to leave out of directory scans (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--baseline", args.baseline,
                     "Hide the findings recorded in this baseline file; report new ones");
  command.add_option("--write-baseline", args.write_baseline,
                     "Record the current findings in this baseline file (written atomically)");
  command.add_option("--max-size", args.max_size_mb, "Refuse inputs larger than this many MB")
      ->check(CLI::Range(1, 4095))
      ->capture_default_str();
  command.add_option(
      "--rules", args.rules_dir,
      "A directory of scenario rules (*.json, the format of rules/scenarios/) to run as well");
  command
      .add_option("--kind", args.kind, "Treat every document as this kind instead of detecting it")
      ->check(CLI::IsMember({"key", "bucket", "identity"}));
}

namespace {

OutputFormat parse_format(std::string_view name) {
  if (name == "json") return OutputFormat::json;
  if (name == "sarif") return OutputFormat::sarif;
  if (name == "github") return OutputFormat::github;
  return OutputFormat::text;
}

bool use_color(const CheckArgs& args, bool stdout_is_tty) {
  if (args.color == "always") return true;
  if (args.color == "never" || !args.output.empty() || args.format != "text") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return stdout_is_tty;
}

// Writes to a temporary file beside the target and renames it, so an interrupted run never
// leaves a half-written report in place of the old one.
bool write_file_atomically(const std::string& path, const std::string& content, std::ostream& err) {
  const std::string temporary = path + ".gd-export-lint.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(content.data(), static_cast<std::streamsize>(content.size())) ||
        !out.flush()) {
      err << fmt::format("gd-export-lint: error: cannot write {}\n", path);
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    err << fmt::format("gd-export-lint: error: cannot write {}\n", path);
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

// Command-line settings override the config file. Returns what is wrong with a flag, if anything.
std::optional<std::string> apply_flags(const CheckArgs& args, exportcfg::ExportSettings& settings) {
  using exportcfg::Origin;
  auto set = [](exportcfg::Value& target, std::string value, std::string_view flag) {
    target.value = std::move(value);
    target.origin = {Origin::Kind::flag, std::string(flag), std::nullopt};
  };
  if (!args.account.empty()) {
    if (!exportcfg::is_account_id(args.account))
      return fmt::format("--account {} is not a 12-digit account id", args.account);
    set(settings.account, args.account, "--account");
  }
  if (!args.regions.empty()) {
    for (const std::string& r : args.regions) {
      if (!exportcfg::is_region(r))
        return fmt::format("--region {} is not a Region such as us-east-1", r);
    }
    settings.regions = args.regions;
    settings.regions_origin = {Origin::Kind::flag, "--region", std::nullopt};
  }
  if (!args.detector_id.empty()) {
    if (!exportcfg::is_detector_id(args.detector_id)) {
      return fmt::format(
          "--detector-id {} is not a detector id (32 lower-case hexadecimal characters)",
          args.detector_id);
    }
    set(settings.detector_id, args.detector_id, "--detector-id");
  }
  if (!args.bucket.empty()) set(settings.bucket, args.bucket, "--bucket");
  if (args.prefix_given || !args.prefix.empty())
    set(settings.prefix, exportcfg::normalize_prefix(args.prefix), "--prefix");
  if (!args.bucket_region.empty()) {
    if (!exportcfg::is_region(args.bucket_region))
      return fmt::format("--bucket-region {} is not a Region", args.bucket_region);
    set(settings.bucket_region, args.bucket_region, "--bucket-region");
  }
  if (!args.bucket_account.empty()) {
    if (!exportcfg::is_account_id(args.bucket_account)) {
      return fmt::format("--bucket-account {} is not a 12-digit account id", args.bucket_account);
    }
    set(settings.bucket_account, args.bucket_account, "--bucket-account");
  }
  if (!args.key_arn.empty()) {
    if (auto problem = exportcfg::key_arn_problem(args.key_arn))
      return fmt::format("--key-arn: {}", *problem);
    set(settings.key_arn, args.key_arn, "--key-arn");
  }
  return std::nullopt;
}

std::string origin_text(const exportcfg::Origin& origin) {
  switch (origin.kind) {
    case exportcfg::Origin::Kind::flag:
      return origin.detail;
    case exportcfg::Origin::Kind::config:
      return "config " + origin.detail;
    case exportcfg::Origin::Kind::inferred:
      return "inferred from " + origin.detail;
    case exportcfg::Origin::Kind::assumed:
      return "assumed: " + origin.detail;
    case exportcfg::Origin::Kind::unset:
      return "unset";
  }
  return "unset";
}

std::vector<ReportSetting> describe_settings(const exportcfg::ExportSettings& s) {
  std::vector<ReportSetting> out;
  // A stand-in is never shown as a fact: an assumed value is shown as its placeholder.
  auto add = [&out](std::string_view name, const exportcfg::Value& v) {
    if (!v.known()) return;
    std::string value = v.get();
    if (v.origin.stand_in && !value.empty()) {
      value = name == "account"              ? "<ACCOUNT_ID>"
              : name == "bucket"             ? "<BUCKET>"
              : name == "kmsKeyArn"          ? "<KEY_ARN>"
              : name.starts_with("detector") ? "<DETECTOR_ID>"
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

}  // namespace

// Loads `--rules DIR`: every *.json there is a scenario rule. Returns false on any problem, after
// printing it with its position.
bool load_scenario_rules(const std::string& dir, LintOptions& options, std::ostream& err) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) {
    err << fmt::format("gd-export-lint: error: --rules {}: {}\n", dir, ec.message());
    return false;
  }
  std::sort(files.begin(), files.end());
  Report problems;
  for (const auto& file : files) {
    LoadResult loaded = load_source(file.string());
    if (auto* error = std::get_if<LoadError>(&loaded)) {
      err << fmt::format("gd-export-lint: error: cannot read {}: {}\n", error->path,
                         error->message);
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
  write_text(problems, {.color = false, .quiet = true}, err);
  err << fmt::format("gd-export-lint: error: --rules {} holds invalid scenario rules\n", dir);
  return false;
}

constexpr std::uintmax_t kMaxSiblingBytes = 1024 * 1024;

// The outcome of one work item (a directory's setups, or a configured setup).
struct Outcome {
  std::vector<std::unique_ptr<SourceFile>> sources;  // kept only when they have findings
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> notes;
  std::vector<InputError> errors;
  std::size_t checked = 0;
  std::size_t skipped = 0;
  std::size_t setups = 0;
  std::optional<LintResult> last;  // the settings of the last setup, for --verbose
};

// Reads a work item's files and checks its setups: a directory's templates and plans each on
// their own, its other inputs together; a configured setup's documents together.
Outcome check_item(const analysis::WorkItem& item, const exportcfg::ExportSettings& defaults,
                   const ProjectConfig* config, const LintOptions& options, bool keep_sources,
                   std::size_t max_bytes) {
  Outcome o;
  struct Loaded {
    std::unique_ptr<SourceFile> source;
    bool context = false;  // a sibling read for its setup
  };
  std::vector<Loaded> loaded;
  auto load = [&](const std::string& path, bool context) {
    // A sibling is read only when it could be a policy or a module file: no key (32 KB) or
    // bucket policy (20 KB), CLI output or .tf file comes near 1 MB, and a named file must not
    // cost the reading of every big file beside it.
    if (context) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(path, ec);
      if (ec || size > kMaxSiblingBytes) return;
    }
    LoadResult result = load_source(path, max_bytes);
    if (auto* error = std::get_if<LoadError>(&result)) {
      if (!context) o.errors.push_back({error->path, error->message});
      return;
    }
    auto source = std::move(std::get<std::unique_ptr<SourceFile>>(result));
    if (!containers::looks_like_input(source->path(), source->text())) {
      if (context) return;
      ++o.skipped;
      if (std::find(item.named.begin(), item.named.end(), path) != item.named.end()) {
        o.notes.push_back(fmt::format(
            "{}: holds no policy and none of the resources read (no Statement or Effect): "
            "skipped",
            source->path()));
      }
      return;
    }
    // A template or plan beside a named file is a setup of its own, not the named file's.
    if (context && containers::stands_alone(source->path(), source->text())) return;
    loaded.push_back({std::move(source), context});
  };
  for (const std::string& path : item.paths) load(path, false);
  for (const std::string& path : item.context) load(path, true);

  exportcfg::ExportSettings settings = defaults;
  if (item.configured && config != nullptr)
    exportcfg::merge_settings(settings, config->setups[*item.configured].settings);
  std::vector<std::vector<const SourceFile*>> setups;
  std::vector<const SourceFile*> together;
  for (const Loaded& l : loaded) {
    if (item.directory && !l.context &&
        containers::stands_alone(l.source->path(), l.source->text())) {
      setups.push_back({l.source.get()});
    } else {
      together.push_back(l.source.get());
    }
  }
  // Siblings read for a named file belong to its setup: without a named or scanned file among
  // them (a named template stands alone), they are not checked at all.
  const bool any_reported = std::any_of(together.begin(), together.end(), [&](const SourceFile* f) {
    return std::any_of(loaded.begin(), loaded.end(),
                       [f](const Loaded& l) { return l.source.get() == f && !l.context; });
  });
  if (any_reported) setups.push_back(std::move(together));
  std::set<std::string> reported;
  for (const Loaded& l : loaded) {
    if (!l.context) reported.insert(l.source->path());
  }
  LintOptions item_options = options;
  if (item.configured) item_options.export_declared = true;
  for (const auto& setup : setups) {
    LintResult result = lint_setup(setup, settings, item_options);
    ++o.setups;
    // Findings in a sibling read for context count when it is one of the export's documents.
    std::set<std::string> shown = reported;
    if (result.export_setup)
      shown.insert(result.document_paths.begin(), result.document_paths.end());
    for (const SourceFile* source : setup) {
      if (shown.contains(source->path())) ++o.checked;
    }
    for (Diagnostic& d : result.diagnostics) {
      if (shown.contains(d.location.file)) o.diagnostics.push_back(std::move(d));
    }
    o.notes.insert(o.notes.end(), result.notes.begin(), result.notes.end());
    result.diagnostics.clear();
    o.last = std::move(result);
  }
  for (Loaded& l : loaded) {
    const bool has_findings =
        std::any_of(o.diagnostics.begin(), o.diagnostics.end(),
                    [&](const Diagnostic& d) { return d.location.file == l.source->path(); });
    if (keep_sources && has_findings) o.sources.push_back(std::move(l.source));
  }
  return o;
}

// Checks the work items `jobs` at a time. Results are merged in item order, so the output does
// not depend on the thread count; a clean file's text is released at once.
void check_items(const std::vector<analysis::WorkItem>& items,
                 const exportcfg::ExportSettings& settings, const ProjectConfig* config,
                 const LintOptions& options, unsigned jobs, bool progress_allowed,
                 bool keep_sources, std::size_t max_bytes, Report& report, std::ostream& err) {
  std::vector<Outcome> outcomes(items.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::size_t files = 0;
  for (const auto& item : items) files += item.paths.size();
  const bool progress = progress_allowed && ::isatty(STDERR_FILENO) == 1 && files >= 500;
  std::mutex progress_mutex;
  const auto started = std::chrono::steady_clock::now();
  auto work = [&] {
    for (std::size_t i = next++; i < items.size(); i = next++) {
      outcomes[i] = check_item(items[i], settings, config, options, keep_sources, max_bytes);
      const std::size_t finished = (done += items[i].paths.size());
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        err << fmt::format("\r{}/{} files ({:.0f} files/s)", finished, files,
                           seconds > 0 ? static_cast<double>(finished) / seconds : 0.0)
            << std::flush;
      }
    }
  };
  const unsigned threads = std::max(1U, jobs == 0 ? std::thread::hardware_concurrency() : jobs);
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threads && t < items.size(); ++t) helpers.emplace_back(work);
    work();
  }
  if (progress) err << "\r" << std::string(40, ' ') << "\r" << std::flush;
  std::size_t setups = 0;
  const LintResult* only = nullptr;
  for (Outcome& o : outcomes) {
    report.input_errors.insert(report.input_errors.end(), o.errors.begin(), o.errors.end());
    report.files_skipped += o.skipped;
    report.files_checked += o.checked;
    report.diagnostics.insert(report.diagnostics.end(),
                              std::make_move_iterator(o.diagnostics.begin()),
                              std::make_move_iterator(o.diagnostics.end()));
    report.notes.insert(report.notes.end(), o.notes.begin(), o.notes.end());
    for (auto& source : o.sources) {
      const std::string path = source->path();
      report.sources.emplace(path, std::move(source));
    }
    setups += o.setups;
    if (o.last) only = &*o.last;
  }
  // --verbose and the JSON output show the settings when the run checked one setup.
  if (setups == 1 && only != nullptr) {
    report.settings = describe_settings(only->settings);
    // Settings taken from a template show its symbols, not the stand-ins checked for them.
    for (ReportSetting& setting : report.settings) {
      for (const auto& [value, symbol] : only->stand_ins) {
        for (std::string* text : {&setting.name, &setting.value}) {
          for (std::size_t at = text->find(value); at != std::string::npos;
               at = text->find(value, at + symbol.size()))
            text->replace(at, value.size(), symbol);
        }
      }
    }
  }
}

// The configured setups' documents as paths to open, relative to here when they are below it.
std::vector<analysis::ConfiguredSetup> configured_setups(const ProjectConfig& config) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path here = fs::current_path(ec);
  std::vector<analysis::ConfiguredSetup> setups;
  for (const Setup& setup : config.setups) {
    analysis::ConfiguredSetup c{setup.name, {}, setup.settings};
    for (const std::string& doc : setup.documents) {
      fs::path path = (config.directory / doc).lexically_normal();
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

// Rules from --rules belong to one run: they leave the catalog when it ends.
struct RuntimeRules {
  explicit RuntimeRules(const LintOptions& o) : options(o) {}
  const LintOptions& options;
  ~RuntimeRules() {
    for (const auto& rule : options.extra_rules) unregister_rule(rule->id());
  }
  RuntimeRules(const RuntimeRules&) = delete;
  RuntimeRules& operator=(const RuntimeRules&) = delete;
};

int run_check(const CheckArgs& args, std::ostream& out, std::ostream& err, bool stdout_is_tty) {
  LintOptions lint_options;
  const RuntimeRules runtime_rules{lint_options};
  if (!args.rules_dir.empty() && !load_scenario_rules(args.rules_dir, lint_options, err))
    return kExitUsage;
  for (const std::string& name : args.disable) {
    const RuleInfo* rule = find_rule(name);
    if (rule == nullptr) {
      err << fmt::format("gd-export-lint: error: --disable: unknown rule '{}' (see list-rules)\n",
                         name);
      return kExitUsage;
    }
    lint_options.disabled_rules.insert(rule->id);
  }

  if (!args.kind.empty()) lint_options.kind_override = documents::parse_kind(args.kind);
  // Export settings from flags or --config declare every setup an export; the project
  // configuration's defaults do not (its `setups` do, each for its own documents).
  lint_options.export_declared = !args.config.empty() || !args.account.empty() ||
                                 !args.regions.empty() || !args.detector_id.empty() ||
                                 !args.bucket.empty() || args.prefix_given ||
                                 !args.prefix.empty() || !args.bucket_region.empty() ||
                                 !args.bucket_account.empty() || !args.key_arn.empty();

  Report report;
  bool settings_invalid = false;
  exportcfg::ExportSettings settings;
  ProjectConfigResult project = load_project_config(args.project_config);
  if (!project.diagnostics.empty()) {
    Report problems;
    problems.diagnostics = std::move(project.diagnostics);
    if (project.source) problems.sources.emplace(project.source->path(), std::move(project.source));
    write_text(problems, {.color = false, .quiet = true}, err);
    err << "gd-export-lint: error: the project configuration is invalid; nothing was checked\n";
    return kExitUsage;
  }
  if (project.config) {
    settings = project.config->settings;
    for (const std::string& id : project.config->disable) lint_options.disabled_rules.insert(id);
  }
  if (!args.config.empty()) {
    LoadResult loaded = load_source(args.config);
    if (auto* error = std::get_if<LoadError>(&loaded)) {
      err << fmt::format("gd-export-lint: error: cannot read --config {}: {}\n", error->path,
                         error->message);
      return kExitUsage;
    }
    auto source = std::move(std::get<std::unique_ptr<SourceFile>>(loaded));
    exportcfg::ConfigResult config = exportcfg::read_config(*source);
    settings_invalid = !config.diagnostics.empty();
    report.diagnostics = std::move(config.diagnostics);
    exportcfg::merge_settings(settings, config.settings);
    report.sources.emplace(source->path(), std::move(source));
  }
  if (auto problem = apply_flags(args, settings)) {
    err << fmt::format("gd-export-lint: error: {}\n", *problem);
    return kExitUsage;
  }

  ScanOptions scan_options;
  if (project.config && !project.config->include.empty())
    scan_options.include = project.config->include;
  if (project.config) scan_options.exclude = project.config->exclude;
  if (!args.include.empty()) scan_options.include = args.include;
  if (!args.exclude.empty()) scan_options.exclude = args.exclude;
  Discovered found = discover(args.paths, scan_options);
  report.input_errors = std::move(found.errors);
  if (!settings_invalid) {
    analysis::PlanInput plan;
    plan.named = std::move(found.named);
    plan.scanned = std::move(found.scanned);
    if (project.config) plan.configured = configured_setups(*project.config);
    plan.scan_filter = [&scan_options](const std::string& path) {
      return scan_accepts(scan_options, path);
    };
    const std::vector<analysis::WorkItem> items = analysis::plan_setups(plan);
    check_items(items, settings, project.config ? &*project.config : nullptr, lint_options,
                args.jobs, &err == &std::cerr, args.format == "text",
                args.max_size_mb * 1024 * 1024, report, err);
  }
  if (project.config) apply_project_rules(*project.config, report.diagnostics);
  std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(), diagnostic_less);
  // A document in two configured setups is checked in both: one finding is reported once.
  report.diagnostics.erase(std::unique(report.diagnostics.begin(), report.diagnostics.end(),
                                       [](const Diagnostic& a, const Diagnostic& b) {
                                         return a.location.file == b.location.file &&
                                                a.location.span == b.location.span &&
                                                a.rule_id == b.rule_id && a.message == b.message;
                                       }),
                           report.diagnostics.end());

  if (!args.write_baseline.empty() &&
      !write_file_atomically(args.write_baseline, baseline_json(report.diagnostics), err)) {
    return kExitUsage;
  }
  if (!args.baseline.empty()) {
    LoadResult loaded = load_source(args.baseline);
    if (auto* error = std::get_if<LoadError>(&loaded)) {
      err << fmt::format("gd-export-lint: error: cannot read --baseline {}: {}\n", error->path,
                         error->message);
      return kExitUsage;
    }
    std::string problem;
    auto fingerprints = read_baseline(*std::get<std::unique_ptr<SourceFile>>(loaded), problem);
    if (!fingerprints) {
      err << fmt::format("gd-export-lint: error: --baseline {}: {}\n", args.baseline, problem);
      return kExitUsage;
    }
    report.baselined = apply_baseline(report.diagnostics, std::move(*fingerprints));
  }

  const FormatOptions format_options{use_color(args, stdout_is_tty), args.quiet, args.verbose};
  if (args.output.empty()) {
    write_report(report, parse_format(args.format), format_options, out);
    out.flush();
  } else {
    std::ostringstream buffer;
    write_report(report, parse_format(args.format), format_options, buffer);
    if (!write_file_atomically(args.output, buffer.str(), err)) return kExitUsage;
  }
  if (settings_invalid) {
    err << fmt::format("gd-export-lint: error: --config {} is invalid; nothing else was checked\n",
                       args.config);
    return kExitUsage;
  }
  if (!report.input_errors.empty()) {
    for (const InputError& e : report.input_errors) {
      err << fmt::format("gd-export-lint: error: cannot read {}: {}\n", e.path, e.message);
    }
    return kExitUsage;
  }
  const std::string fail_on = !args.fail_on.empty()                       ? args.fail_on
                              : project.config && project.config->fail_on ? *project.config->fail_on
                                                                          : std::string("error");
  if (fail_on == "never") return kExitClean;
  const Severity threshold = parse_severity(fail_on).value_or(Severity::error);
  for (const Diagnostic& d : report.diagnostics) {
    if (!d.suppression_reason && d.severity >= threshold) return kExitFindings;
  }
  return kExitClean;
}

}  // namespace gdl::cli
