#pragma once
// Runs every stage: each source through the JSON front end, the policy model and the policy
// rules; then all the documents together as one export setup through the setup rules.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "containers/container.h"
#include "diag/diagnostic.h"
#include "documents/kind.h"
#include "export/settings.h"
#include "source/source_file.h"

namespace gdl {

class SetupRule;

struct LintOptions {
  std::set<std::string> disabled_rules;          // rule ids
  std::optional<documents::Kind> kind_override;  // --kind
  bool setup_rules = true;                       // run the GuardDuty export rules
  // Whether the settings say this is a GuardDuty export (flags, --config, a configured setup's
  // own settings). Unset: any setting given says so. Project-wide defaults do not: they apply to
  // every setup, and an RDS key beside the export's is not the export's.
  std::optional<bool> export_declared;
  // Scenario rules from `--rules DIR`, run after the built-in rules.
  std::vector<std::shared_ptr<const class SetupRule>> extra_rules;
  // Terraform: `--var name=value` and `--var-file PATH` in the order given (later ones win);
  // whether files the inputs refer to (templates, called modules, terraform.tfvars) are read
  // from disk.
  std::vector<containers::TerraformInput> terraform_inputs;
  bool read_files = true;
  // Several bucket (or key) policies that grant GuardDuty are several exports (lint_exports),
  // not one export's input error (GD007): set for the setups a directory groups, not for those
  // the project configuration pairs (there, two bucket policies contradict the user's pairing).
  bool split_exports = false;
};

// A document one export may use, where a setup holds several of its kind that grant GuardDuty,
// each in a policy file of its own: lint_exports checks each export on its own. (An identity
// policy beside them is recorded too: it is read with each export whose bucket it names, or with
// all when it names none.)
struct ExportCandidate {
  documents::Kind kind = documents::Kind::unknown;
  std::string path;                   // its file (it holds no other candidate)
  std::string name;                   // as findings name it
  std::vector<std::string> accounts;  // the source accounts its GuardDuty grants name, sorted
  // Sorted: a key policy's own ARNs (exportcfg::keys_named); the keys a bucket policy's key-id
  // conditions require.
  std::vector<std::string> key_arns;
  std::vector<std::string> buckets;  // the S3 buckets its Resources name, sorted
};

struct DocumentSummary {
  std::string file;  // with the place in a container: "stack.yaml (FindingsKey KeyPolicy)"
  documents::Kind kind = documents::Kind::unknown;
};

struct LintResult {
  std::vector<Diagnostic> diagnostics;      // sorted by file and position
  exportcfg::ExportSettings settings;       // as given, completed by inference
  std::vector<DocumentSummary> documents;   // the export's documents (simulated)
  std::vector<std::string> document_paths;  // the files they are in
  // Files read on the way (a module's templates and the local modules it calls): part of the
  // setup, so findings in them are the setup's.
  std::vector<std::string> read_paths;
  bool export_setup = false;       // checked as a GuardDuty export (not grammar only)
  std::vector<std::string> notes;  // how containers were read, for --verbose
  // Policies with statements not judged: they hold values known only when deployed.
  std::size_t partly_judged = 0;
  std::size_t unread = 0;  // of them, policies not read at all (known only when deployed)
  // Stand-in values checked for template symbols, and the symbols ("${AWS::AccountId}").
  std::vector<std::pair<std::string, std::string>> stand_ins;
  // A template of the setup is deployed in each Region it exports from
  // (Extraction::deployed_per_region).
  bool deployed_per_region = false;
  // With LintOptions::split_exports: the key and bucket policies that grant GuardDuty, several
  // of one kind (the run checked none of them as the export's; lint_exports checks each).
  std::vector<ExportCandidate> several_exports;
  // The documents' own findings of a setup read as several exports (lint_exports): no export,
  // no verdict.
  bool documents_only = false;
};

// Checks `sources` as one export setup with the given settings (flags and config).
LintResult lint_setup(const std::vector<const SourceFile*>& sources,
                      exportcfg::ExportSettings settings, const LintOptions& options = {});

// Checks `sources` as the export setups they hold: one, or (several bucket or key policies that
// grant GuardDuty, each in a file of its own) the documents' own findings (documents_only) and
// then one result per export: a bucket policy with the key policy it pairs with, or alone. A
// file none of the candidates is in is read by each export (its findings are in each result:
// the caller reports them once).
std::vector<LintResult> lint_exports(const std::vector<const SourceFile*>& sources,
                                     const exportcfg::ExportSettings& settings,
                                     const LintOptions& options);

// One source on its own, settings inferred.
std::vector<Diagnostic> lint_source(const SourceFile& source, const LintOptions& options = {});

}  // namespace gdl
