#pragma once
// The run of `verify`: the same inputs, settings and setups as `check`; for each setup's bucket
// and key policy, who else can reach the findings (export/access.h) and which statements never
// apply, and with a policy from before a change, what the change newly grants.

#include <map>
#include <string>
#include <vector>

#include "analysis/check.h"
#include "export/access.h"

namespace gdl::analysis {

struct VerifiedDocument {
  std::string name;  // "bucket.json" or "stack.yaml (FindingsBucket PolicyDocument)"
  std::string path;  // the file
  Position start;    // where the policy begins in it
  documents::Kind kind = documents::Kind::unknown;
  policy::Policy policy;  // a copy: the setup's documents are gone when the run ends
  exportcfg::ExportSettings settings;
  // "Statement[2] 'Sid' at line 12", by Statement index.
  std::map<std::size_t, std::string> statement_labels;
  std::map<std::size_t, Position> statement_positions;
  // Settings nobody gave, as the witnesses hold them, with the placeholder each stands for
  // ("000011112222", "<ACCOUNT_ID>"): a witness needs a value, but it is an example, not a fact.
  std::vector<std::pair<std::string, std::string>> stand_ins;
  std::vector<exportcfg::AccessAnswer> access;
  std::string not_counted;  // exportcfg::AccessReport's: what every answer leaves out
  exportcfg::StatementAnswer statements;
  // The files of the setup it was verified in (sorted): which export of several it is.
  std::vector<std::string> setup_paths;
};

// What a change of one document newly grants (verify --against).
struct VerifiedChange {
  std::size_t document = 0;  // index into VerifyRun::documents (the policy after the change)
  std::string against;       // the name of the policy before it
  exportcfg::ChangeAnswer answer;
};

struct VerifyRun {
  std::vector<VerifiedDocument> documents;  // sorted by name
  std::vector<VerifiedChange> changes;      // with --against
  // With --against: the policies after the change that had nothing to be compared with.
  std::vector<std::string> unpaired;
  Report check_report;  // what check found on the way (input errors)

  // Something is reachable, a statement never applies, or a change loosens access.
  [[nodiscard]] bool has_findings() const;
};

// Pairs each document of `after` with its version in `before` and records what each change
// newly grants: a document is never paired with itself (the same file, read by both runs as a
// sibling of a named one); then documents of a kind pair by file name (`git_copy`: the before
// run's files are named "N-NAME"), then the last one left of a kind on each side. Documents
// left over are listed in `after.unpaired`.
void compare(const VerifyRun& before, VerifyRun& after, bool git_copy = false);

// A witness in `simulate --request` JSON.
std::string request_json(const iam::Request& request);

// `text` with the document's stand-ins shown as their placeholders or the container's symbols
// (arn:aws:s3:::${aws_s3_bucket.logs.id}/...): a value the inputs do not give is never shown as
// a fact.
std::string with_placeholders(const VerifiedDocument& doc, std::string text);

// Runs the setups of `request` (its sink is ignored) and verifies every bucket and key policy.
VerifyRun verify(CheckRequest request);

}  // namespace gdl::analysis
