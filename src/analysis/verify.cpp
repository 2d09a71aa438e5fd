#include "analysis/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

#include "checks/setup_rule.h"
#include "iam/request_space.h"
#include "util/text.h"

namespace gdl::analysis {

namespace {

// Not a rule: it rides on the setup-rule pass to see each setup's documents and settings, and
// reports nothing into the check.
class Collector final : public SetupRule {
 public:
  Collector() { set_id("verify"); }

  void check(const SetupContext& context, std::vector<Diagnostic>&) const override {
    std::vector<std::string> setup_paths;
    for (const auto& doc : context.documents) setup_paths.push_back(container_path(*doc->source));
    std::sort(setup_paths.begin(), setup_paths.end());
    setup_paths.erase(std::unique(setup_paths.begin(), setup_paths.end()), setup_paths.end());
    for (const documents::Kind kind :
         {documents::Kind::bucket_policy, documents::Kind::key_policy}) {
      for (const exportcfg::PolicyDocument* doc : context.of_kind(kind)) {
        VerifiedDocument v;
        v.setup_paths = setup_paths;
        v.name = doc->name();
        v.path = container_path(*doc->source);
        v.start = make_location(*doc->source, doc->policy.span).start;
        v.kind = doc->kind;
        v.policy = doc->policy;
        v.settings = context.settings;
        v.stand_ins = exportcfg::stand_in_placeholders(context.settings);
        // A container's values known only once deployed, checked as stand-ins (a bucket named
        // by aws_s3_bucket.logs.id): shown as their symbols, as check shows them.
        for (const auto& [value, symbol] : context.stand_ins) {
          const std::string& known = value;  // not a binding: clang 14 cannot capture one
          if (std::none_of(v.stand_ins.begin(), v.stand_ins.end(),
                           [&known](const auto& s) { return s.first == known; }))
            v.stand_ins.emplace_back(value, symbol);
        }
        for (const policy::Statement& s : doc->policy.statements) {
          const Position at = make_location(*doc->source, s.span).start;
          v.statement_labels[s.index] = fmt::format("{} at line {}", s.label(), at.line);
          v.statement_positions[s.index] = at;
        }
        exportcfg::AccessReport access = exportcfg::verify_access(*doc, context.settings);
        v.access = std::move(access.answers);
        v.not_counted = std::move(access.not_counted);
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

void compare(const VerifyRun& before, VerifyRun& after, bool git_copy) {
  // A document's name without its directory: "bucket.json", "stack.yaml (Bucket Policy)".
  auto base_name = [](const VerifiedDocument& doc, bool copy) {
    std::string name = doc.name.substr(std::min(doc.name.size(), doc.path.size()));
    std::string file = std::filesystem::path(doc.path).filename().string();
    if (copy) {
      const std::size_t dash = file.find('-');
      if (dash != std::string::npos) file.erase(0, dash + 1);
    }
    return file + name;
  };
  std::vector<bool> before_used(before.documents.size(), false);
  std::vector<bool> after_used(after.documents.size(), false);
  auto pair = [&](std::size_t d, std::size_t i) {
    before_used[i] = after_used[d] = true;
    after.changes.push_back(
        {d, before.documents[i].name,
         exportcfg::verify_change(before.documents[i].policy, after.documents[d].policy,
                                  after.documents[d].settings)});
  };
  // The same file in both runs (a sibling of a named file, read by both) is its own version:
  // it must not stand in for another file's.
  for (std::size_t d = 0; d < after.documents.size(); ++d) {
    for (std::size_t i = 0; i < before.documents.size() && !after_used[d]; ++i) {
      if (!before_used[i] && before.documents[i].name == after.documents[d].name) pair(d, i);
    }
  }
  for (std::size_t d = 0; d < after.documents.size(); ++d) {
    for (std::size_t i = 0; i < before.documents.size() && !after_used[d]; ++i) {
      if (!before_used[i] && before.documents[i].kind == after.documents[d].kind &&
          base_name(before.documents[i], git_copy) == base_name(after.documents[d], false))
        pair(d, i);
    }
  }
  for (const documents::Kind kind : {documents::Kind::key_policy, documents::Kind::bucket_policy}) {
    std::vector<std::size_t> left_after, left_before;
    for (std::size_t d = 0; d < after.documents.size(); ++d)
      if (!after_used[d] && after.documents[d].kind == kind) left_after.push_back(d);
    for (std::size_t i = 0; i < before.documents.size(); ++i)
      if (!before_used[i] && before.documents[i].kind == kind) left_before.push_back(i);
    if (left_after.size() == 1 && left_before.size() == 1)
      pair(left_after.front(), left_before.front());
  }
  for (std::size_t d = 0; d < after.documents.size(); ++d) {
    if (!after_used[d]) after.unpaired.push_back(after.documents[d].name);
  }
  std::sort(
      after.changes.begin(), after.changes.end(),
      [](const VerifiedChange& a, const VerifiedChange& b) { return a.document < b.document; });
}

std::string request_json(const iam::Request& request) {
  return iam::request_to_json(request);
}

std::string with_placeholders(const VerifiedDocument& doc, std::string text) {
  replace_whole_words_each(text, doc.stand_ins);
  return text;
}

namespace {

std::string shown_witness(const VerifiedDocument& doc, const exportcfg::AccessWitness& w) {
  return fmt::format("{} {} {}", static_cast<int>(w.access_class), fmt::join(w.statements, ","),
                     with_placeholders(doc, iam::request_to_json(w.request)));
}

// What verify shows of a document: the same in two setups (a key policy every export of a
// directory shares, proved the same for each) is shown once.
bool same_verification(const VerifiedDocument& a, const VerifiedDocument& b) {
  auto same_answer = [&](const exportcfg::AccessAnswer& x, const exportcfg::AccessAnswer& y) {
    return x.action == y.action &&
           with_placeholders(a, x.resource) == with_placeholders(b, y.resource) &&
           x.asked == y.asked && x.complete == y.complete && x.incomplete == y.incomplete &&
           std::equal(x.found.begin(), x.found.end(), y.found.begin(), y.found.end(),
                      [&](const exportcfg::AccessWitness& v, const exportcfg::AccessWitness& w) {
                        return shown_witness(a, v) == shown_witness(b, w);
                      });
  };
  auto same_findings = [](const exportcfg::StatementAnswer& x,
                          const exportcfg::StatementAnswer& y) {
    return x.not_checked == y.not_checked &&
           std::equal(
               x.findings.begin(), x.findings.end(), y.findings.begin(), y.findings.end(),
               [](const exportcfg::StatementFinding& f, const exportcfg::StatementFinding& g) {
                 return f.index == g.index && f.kind == g.kind && f.denied_by == g.denied_by;
               });
  };
  auto placeholders = [](const VerifiedDocument& doc) {
    std::set<std::string> names;
    for (const auto& stand_in : doc.stand_ins) names.insert(stand_in.second);
    return names;
  };
  return a.name == b.name && a.not_counted == b.not_counted && placeholders(a) == placeholders(b) &&
         std::equal(a.access.begin(), a.access.end(), b.access.begin(), b.access.end(),
                    same_answer) &&
         same_findings(a.statements, b.statements);
}

// The documents of the setups check reported: of a named file's directory read as several
// exports, only the exports the file is in (check skips those made of its siblings only). A
// document of several exports is shown once when it is proved the same in each, else once per
// export, named with the export's other files.
void keep_reported(VerifyRun& run) {
  std::set<std::vector<std::string>> reported;
  run.check_report.setups.for_each([&reported](const SetupVerdict& v) {
    std::vector<std::string> paths = v.documents;
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    reported.insert(std::move(paths));
  });
  std::erase_if(run.documents, [&reported](const VerifiedDocument& doc) {
    return !reported.contains(doc.setup_paths);
  });
  // Each document shown, with the exports (their files) it stands for.
  struct Shown {
    VerifiedDocument doc;
    std::vector<std::vector<std::string>> exports;
  };
  std::vector<Shown> kept;
  for (VerifiedDocument& doc : run.documents) {
    const auto same = std::find_if(kept.begin(), kept.end(), [&doc](const Shown& k) {
      return k.doc.name == doc.name && k.doc.setup_paths != doc.setup_paths &&
             same_verification(k.doc, doc);
    });
    if (same != kept.end()) {
      same->exports.push_back(doc.setup_paths);
      continue;
    }
    std::vector<std::vector<std::string>> exports{doc.setup_paths};
    kept.push_back({std::move(doc), std::move(exports)});
  }
  // Named with the export's other files where one document is shown for different exports
  // (decided before any is renamed).
  std::vector<bool> several(kept.size(), false);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    for (std::size_t j = 0; j < kept.size(); ++j) {
      if (i != j && kept[j].doc.name == kept[i].doc.name &&
          kept[j].doc.setup_paths != kept[i].doc.setup_paths)
        several[i] = true;
    }
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (!several[i]) continue;
    Shown& one = kept[i];
    std::vector<std::string> exports;
    for (const std::vector<std::string>& paths : one.exports) {
      std::vector<std::string> others;
      for (const std::string& path : paths) {
        if (path != one.doc.path) others.push_back(path);
      }
      if (!others.empty()) exports.push_back(fmt::format("{}", fmt::join(others, ", ")));
    }
    if (!exports.empty())
      one.doc.name += fmt::format(" (in the export{} with {})", exports.size() > 1 ? "s" : "",
                                  fmt::join(exports, "; "));
  }
  run.documents.clear();
  for (Shown& one : kept) run.documents.push_back(std::move(one.doc));
}

}  // namespace

VerifyRun verify(CheckRequest request) {
  VerifyRun run;
  auto collector = std::make_shared<Collector>();
  LintOptions options = request.options != nullptr ? *request.options : LintOptions{};
  options.extra_rules.push_back(collector);
  request.options = &options;
  request.sink = nullptr;
  request.progress = nullptr;
  request.keep_verdicts = true;  // which setups check reported (keep_reported)
  check(request, run.check_report);
  run.documents = collector->take();
  // In the order the setups were run (one thread): an export's documents before the next's.
  std::stable_sort(run.documents.begin(), run.documents.end(),
                   [](const VerifiedDocument& a, const VerifiedDocument& b) {
                     return a.setup_paths < b.setup_paths;
                   });
  keep_reported(run);
  std::stable_sort(
      run.documents.begin(), run.documents.end(),
      [](const VerifiedDocument& a, const VerifiedDocument& b) { return a.name < b.name; });
  return run;
}

}  // namespace gdl::analysis
