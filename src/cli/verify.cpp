// `gd-export-lint verify`: who else can write, read or decrypt the findings, which statements
// never apply, and (with --against) what a change newly grants; every answer that is not
// "nobody" with a witness request `simulate` confirms.

#include "analysis/verify.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/text.h"

namespace gdl::cli {

void add_verify_options(CLI::App& command, VerifyArgs& args) {
  command
      .add_option("PATH", args.check.paths,
                  "Policy files (one export setup) or directories to scan, as check takes them")
      ->required();
  command.add_option("-f,--format", args.check.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command.add_option(
      "--against", args.against,
      "The policies before a change: files in the order of PATH, or git:REV for the same paths; "
      "shows each request the change newly allows");
  command.add_option(
      "--project-config", args.check.project_config,
      "The project configuration (default: .gd-export-lint.json, searched upwards from here)");
  add_settings_options(command, args.check);
  add_terraform_options(command, args.check);
  command
      .add_option("--kind", args.check.kind,
                  "Treat every document as this kind instead of detecting it")
      ->check(CLI::IsMember({"key", "bucket", "identity"}));
}

namespace {

std::string kind_name(documents::Kind kind) {
  return kind == documents::Kind::bucket_policy ? "bucket policy" : "key policy";
}

std::string labels(const analysis::VerifiedDocument& doc, const std::vector<std::size_t>& indices) {
  std::vector<std::string> out;
  for (const std::size_t i : indices) {
    auto it = doc.statement_labels.find(i);
    out.push_back(it != doc.statement_labels.end() ? it->second : fmt::format("Statement[{}]", i));
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

std::string not_proved(const std::vector<std::string>& why) {
  return fmt::format("nobody found, not proved: {}", fmt::join(why, "; "));
}

struct Change {
  const analysis::VerifiedDocument* after = nullptr;
  std::string before_name;
  exportcfg::ChangeAnswer answer;
};

bool has_findings(const analysis::VerifyRun& run, const std::vector<Change>& changes) {
  for (const auto& doc : run.documents) {
    for (const auto& a : doc.access) {
      if (!a.found.empty()) return true;
    }
    if (!doc.statements.findings.empty()) return true;
  }
  for (const Change& c : changes) {
    if (!c.answer.loosened.empty()) return true;
  }
  return false;
}

void write_text(const analysis::VerifyRun& run, const std::vector<Change>& changes,
                std::ostream& out) {
  for (const analysis::VerifiedDocument& doc : run.documents) {
    out << fmt::format("{}: {}\n", doc.name, kind_name(doc.kind));
    for (const exportcfg::AccessAnswer& a : doc.access) {
      out << fmt::format("  who else can {} on {}:\n", a.action, a.resource);
      for (const exportcfg::AccessClass c : a.asked) {
        const auto found = std::find_if(a.found.begin(), a.found.end(),
                                        [c](const auto& w) { return w.access_class == c; });
        if (found == a.found.end()) {
          out << fmt::format("    {}: {}\n", exportcfg::describe(c),
                             a.complete ? "nobody (proved)" : not_proved(a.incomplete));
          continue;
        }
        out << fmt::format("    {}: YES{}\n", exportcfg::describe(c),
                           found->statements.empty()
                               ? std::string(" (no statement denies it)")
                               : " (allowed by " + labels(doc, found->statements) + ")");
        out << fmt::format("      witness: {}\n", analysis::request_json(found->request));
      }
    }
    const exportcfg::StatementAnswer& s = doc.statements;
    for (const exportcfg::StatementFinding& f : s.findings) {
      if (f.kind == exportcfg::StatementFinding::Kind::never_applies) {
        out << fmt::format("  {}: never applies to any request{}\n", labels(doc, {f.index}),
                           s.complete ? "" : " that was tried");
      } else if (f.kind == exportcfg::StatementFinding::Kind::deny_never_direct) {
        out << fmt::format(
            "  {}: this Deny never applies to a principal's direct calls, only to "
            "calls a service makes for it (aws:CalledVia is absent in direct calls)\n",
            labels(doc, {f.index}));
      } else {
        out << fmt::format(
            "  {}: this Allow never takes effect; every request it applies to is "
            "denied by {}\n",
            labels(doc, {f.index}), labels(doc, f.denied_by));
      }
    }
    if (!s.not_checked.empty())
      out << fmt::format(
          "  not checked (policy variables, Federated or CanonicalUser principals): {}\n",
          labels(doc, s.not_checked));
    if (s.findings.empty())
      out << fmt::format("  every statement applies to some request{}\n",
                         s.complete ? " (proved)" : " that was tried");
    if (!s.complete) out << fmt::format("  statements: {}\n", not_proved(s.incomplete));
  }
  for (const Change& c : changes) {
    out << fmt::format("{} against {}:\n", c.after->name, c.before_name);
    if (c.answer.loosened.empty()) {
      out << fmt::format("  grants nothing new{}\n",
                         c.answer.complete ? " (proved)" : ": " + not_proved(c.answer.incomplete));
    }
    for (const auto& l : c.answer.loosened) {
      out << fmt::format("  {}: {}\n", l.newly_allowed ? "newly allowed" : "no longer denied",
                         analysis::request_json(l.request));
    }
  }
}

std::string_view finding_name(exportcfg::StatementFinding::Kind kind) {
  switch (kind) {
    case exportcfg::StatementFinding::Kind::never_applies:
      return "never-applies";
    case exportcfg::StatementFinding::Kind::allow_always_denied:
      return "allow-always-denied";
    case exportcfg::StatementFinding::Kind::deny_never_direct:
      return "deny-never-direct";
  }
  return "never-applies";
}

std::string json_string(std::string_view s) {
  return "\"" + escape_json_string(s) + "\"";
}

std::string json_strings(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& v : values) quoted.push_back(json_string(v));
  return "[" + fmt::format("{}", fmt::join(quoted, ", ")) + "]";
}

void write_json(const analysis::VerifyRun& run, const std::vector<Change>& changes,
                std::ostream& out) {
  std::vector<std::string> docs;
  for (const analysis::VerifiedDocument& doc : run.documents) {
    std::vector<std::string> access;
    for (const exportcfg::AccessAnswer& a : doc.access) {
      std::vector<std::string> classes;
      for (const exportcfg::AccessClass c : a.asked) {
        const auto found = std::find_if(a.found.begin(), a.found.end(),
                                        [c](const auto& w) { return w.access_class == c; });
        if (found == a.found.end()) {
          classes.push_back(fmt::format("{{\"class\": {}, \"answer\": {}}}",
                                        json_string(exportcfg::to_string(c)),
                                        json_string(a.complete ? "nobody" : "not-proved")));
          continue;
        }
        std::vector<std::string> statements;
        for (const std::size_t i : found->statements) statements.push_back(fmt::format("{}", i));
        classes.push_back(fmt::format(
            "{{\"class\": {}, \"answer\": \"reachable\", \"statements\": [{}], \"witness\": {}}}",
            json_string(exportcfg::to_string(c)), fmt::join(statements, ", "),
            analysis::request_json(found->request)));
      }
      access.push_back(
          fmt::format("{{\"action\": {}, \"resource\": {}, \"complete\": {}, \"incomplete\": {}, "
                      "\"requests\": {}, \"classes\": [{}]}}",
                      json_string(a.action), json_string(a.resource), a.complete ? "true" : "false",
                      json_strings(a.incomplete), a.evaluated, fmt::join(classes, ", ")));
    }
    std::vector<std::string> statements;
    for (const exportcfg::StatementFinding& f : doc.statements.findings) {
      std::vector<std::string> by;
      for (const std::size_t i : f.denied_by) by.push_back(fmt::format("{}", i));
      statements.push_back(
          fmt::format("{{\"statement\": {}, \"label\": {}, \"finding\": {}, \"deniedBy\": [{}]}}",
                      f.index, json_string(labels(doc, {f.index})),
                      json_string(finding_name(f.kind)), fmt::join(by, ", ")));
    }
    docs.push_back(fmt::format(
        "{{\"document\": {}, \"kind\": {}, \"access\": [{}], \"statements\": {{\"complete\": {}, "
        "\"incomplete\": {}, \"findings\": [{}]}}}}",
        json_string(doc.name), json_string(documents::to_string(doc.kind)), fmt::join(access, ", "),
        doc.statements.complete ? "true" : "false", json_strings(doc.statements.incomplete),
        fmt::join(statements, ", ")));
  }
  std::vector<std::string> change_json;
  for (const Change& c : changes) {
    std::vector<std::string> loosened;
    for (const auto& l : c.answer.loosened) {
      loosened.push_back(
          fmt::format("{{\"change\": {}, \"witness\": {}}}",
                      json_string(l.newly_allowed ? "newly-allowed" : "no-longer-denied"),
                      analysis::request_json(l.request)));
    }
    change_json.push_back(
        fmt::format("{{\"document\": {}, \"against\": {}, \"complete\": {}, \"incomplete\": {}, "
                    "\"loosened\": [{}]}}",
                    json_string(c.after->name), json_string(c.before_name),
                    c.answer.complete ? "true" : "false", json_strings(c.answer.incomplete),
                    fmt::join(loosened, ", ")));
  }
  out << fmt::format("{{\"documents\": [{}], \"changes\": [{}]}}\n", fmt::join(docs, ", "),
                     fmt::join(change_json, ", "));
}

// `git show REV:PATH` of each file into a temporary directory; the new paths, or an error.
class GitCopies {
 public:
  ~GitCopies() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  bool fetch(const std::string& rev, const std::vector<std::string>& paths,
             std::vector<std::string>& out, std::string& error) {
    std::array<char, 64> name{};
    fmt::format_to_n(name.data(), name.size() - 1, "/tmp/gd-export-lint-XXXXXX");
    if (mkdtemp(name.data()) == nullptr) {
      error = "cannot create a temporary directory";
      return false;
    }
    dir_ = name.data();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const std::filesystem::path path(paths[i]);
      if (rev.find_first_of("'\"\\$`") != std::string::npos ||
          paths[i].find_first_of("'\"\\$`") != std::string::npos) {
        error = "a revision or path with quotes cannot be passed to git";
        return false;
      }
      const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
      const std::string target = fmt::format("{}/{}-{}", dir_, i, path.filename().string());
      const std::string command = fmt::format("git -C '{}' show '{}:./{}' > '{}' 2>/dev/null", dir,
                                              rev, path.filename().string(), target);
      if (std::system(command.c_str()) != 0) {
        error = fmt::format("git cannot show {} at {}", paths[i], rev);
        return false;
      }
      out.push_back(target);
    }
    return true;
  }

 private:
  std::string dir_;
};

}  // namespace

int run_verify(const VerifyArgs& args, std::ostream& out, std::ostream& err) {
  LintOptions lint_options;
  if (!lint_options_from(args.check, lint_options, err)) return kExitUsage;
  analysis::ProjectConfigResult project = analysis::load_project_config(args.check.project_config);
  if (!project.diagnostics.empty()) {
    err << "gd-export-lint: error: the project configuration is invalid; run check for details\n";
    return kExitUsage;
  }
  const analysis::ProjectConfig* config = project.config ? &*project.config : nullptr;
  Report problems;
  bool config_invalid = false;
  analysis::CheckRequest request;
  if (!settings_from(args.check, config, request.settings, config_invalid, problems, err) ||
      config_invalid) {
    err << "gd-export-lint: error: the export settings cannot be read; run check for details\n";
    return kExitUsage;
  }
  request.paths = args.check.paths;
  request.options = &lint_options;
  request.project = config;
  request.jobs = 1;
  const analysis::VerifyRun run = analysis::verify(request);

  std::vector<Change> changes;
  std::optional<analysis::VerifyRun> before;
  GitCopies copies;
  if (!args.against.empty()) {
    analysis::CheckRequest old = request;
    old.paths.clear();
    if (args.against.starts_with("git:")) {
      std::string error;
      if (!copies.fetch(args.against.substr(4), args.check.paths, old.paths, error)) {
        err << fmt::format("gd-export-lint: error: --against {}: {}\n", args.against, error);
        return kExitUsage;
      }
    } else {
      old.paths.push_back(args.against);
    }
    before = analysis::verify(old);
    std::vector<bool> used(before->documents.size(), false);
    for (const analysis::VerifiedDocument& doc : run.documents) {
      for (std::size_t i = 0; i < before->documents.size(); ++i) {
        if (used[i] || before->documents[i].kind != doc.kind) continue;
        used[i] = true;
        changes.push_back(
            {&doc, before->documents[i].name,
             exportcfg::verify_change(before->documents[i].policy, doc.policy, doc.settings)});
        break;
      }
    }
  }

  const Summary summary = run.check_report.summary();
  if (summary.errors > 0) {
    err << fmt::format(
        "gd-export-lint: note: check reports {} error(s) for these inputs; run `gd-export-lint "
        "check` for them\n",
        summary.errors);
  }
  if (run.documents.empty()) {
    err << "gd-export-lint: no bucket or key policy of a GuardDuty export setup was found in the "
           "inputs: nothing to verify\n";
    return kExitUsage;
  }
  if (args.check.format == "json") {
    write_json(run, changes, out);
  } else {
    write_text(run, changes, out);
  }
  return has_findings(run, changes) ? kExitFindings : kExitClean;
}

}  // namespace gdl::cli
