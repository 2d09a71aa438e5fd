#pragma once
// Everything one run found: the findings, the inputs that could not be read, the settings used
// and how the inputs were read. The analysis fills it; the formatters (report/) render it.

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "source/source_file.h"

namespace gdl {

struct InputError {
  std::string path;
  std::string message;
};

// One export setting as used by the run, and where it came from ("--account", "inferred from
// bucket-policy.json:12:7 (aws:SourceAccount)", "assumed: ...").
struct ReportSetting {
  std::string name;
  std::string value;
  std::string origin;
};

// What an auditor asks of each export setup: would it export?
struct SetupVerdict {
  std::vector<std::string> documents;  // the export's key and bucket policies (their files)
  // "exports": no error; "fails": a GuardDuty request is denied or the documents are provably
  // not the export's (GD2xx-GD5xx errors); "rejected": AWS rejects a document or it cannot be
  // read (GD0xx/GD1xx errors only).
  std::string verdict;
  std::vector<std::string> reasons;  // "GD201 key-policy.json:21:19" for each error
};

// Every setup's verdict, in order, as the JSON and SARIF "setups" list them at the end of the
// report. Past the first thousand they go to an anonymous temporary file and are read back when
// written, so that a scan's memory does not grow with its setups (a repository kept per account
// has one per directory); without a temporary file, or from the first write that fails, they
// stay here. for_each() moves the file's position: one caller at a time.
class SetupVerdicts {
 public:
  void push_back(SetupVerdict verdict);
  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  // Each verdict in order (the spilled ones read back one at a time).
  void for_each(const std::function<void(const SetupVerdict&)>& visit) const;
  [[nodiscard]] std::vector<SetupVerdict> all() const;

  static constexpr std::size_t kHeld = 1024;

 private:
  struct Close {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::vector<SetupVerdict> held_;  // the first kHeld
  std::unique_ptr<std::FILE, Close> spill_;
  bool spill_failed_ = false;
  std::size_t spilled_ = 0;             // verdicts in the file, after held_
  std::vector<SetupVerdict> overflow_;  // after those, once the file could not be written
  std::size_t count_ = 0;
};

struct Summary {
  std::size_t files = 0;
  std::size_t skipped = 0;
  std::size_t baselined = 0;
  std::size_t suppressed = 0;  // counted apart from errors, warnings and notes
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  // Policies judged in part: statements holding values known only when the template or module
  // is deployed were not judged (the summary says so; --verbose says which).
  std::size_t partly_judged = 0;
};

// Receives a run's findings in path order while the run goes on (a streamed report): each call
// brings all the findings of one file, with the file's text when the run kept it (the text
// format shows lines), or null. The sink may take both.
class FindingSink {
 public:
  FindingSink() = default;
  FindingSink(const FindingSink&) = delete;
  FindingSink& operator=(const FindingSink&) = delete;
  virtual ~FindingSink() = default;
  virtual void accept(std::vector<Diagnostic>& findings, std::unique_ptr<SourceFile>& source) = 0;
};

// Counts findings as Summary does (suppressed ones apart).
void count_into(Summary& summary, const Diagnostic& diagnostic);

struct Report {
  std::vector<Diagnostic> diagnostics;  // sorted by file and position
  // Findings already written by a streamed report: counted here, not kept.
  Summary streamed;
  std::vector<InputError> input_errors;
  // Sources by display path, so the text formatter can show the offending line.
  std::map<std::string, std::unique_ptr<SourceFile>, std::less<>> sources;
  std::size_t files_checked = 0;
  std::size_t files_skipped = 0;        // scanned JSON files that are not policies
  std::size_t baselined = 0;            // findings hidden by --baseline
  std::size_t partly_judged = 0;        // policies judged in part (Summary::partly_judged)
  std::vector<ReportSetting> settings;  // the export settings of the setup, when there is one
  SetupVerdicts setups;                 // each export setup checked (not grammar-only ones)
  // For --verbose: how containers were read (stand-ins for template values, values unknown
  // offline, policies that are not plain JSON).
  std::vector<std::string> notes;

  [[nodiscard]] Summary summary() const;
  [[nodiscard]] const SourceFile* source(std::string_view path) const;
};

}  // namespace gdl
