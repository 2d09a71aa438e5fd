#pragma once
// Export settings: what the GuardDuty console asks for when findings are exported to S3. Each
// value remembers where it came from (a flag, the config file, or an inference from a policy),
// so `--verbose` and the JSON output can show it and contradictions can point at both places.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "json/value.h"

namespace gdl::exportcfg {

struct Origin {
  enum class Kind { unset, flag, config, inferred, assumed };
  Kind kind = Kind::unset;
  std::string detail;  // "--account", "config.json", "bucket-policy.json:12:7 (SourceAccount)"
  std::optional<Location> location;  // where in a file, when there is one
  // An assumed value that nothing gave or derived (not the KMS key's own Region, say): a
  // stand-in, never shown as a fact; findings show a placeholder such as <DETECTOR_ID>.
  bool stand_in = false;
  // The exporting account taken from who owns the key (a key policy's account principals, or the
  // key ARN's account) because nothing about GuardDuty's requests names it: right in a
  // same-account setup, wrong in a cross-account one. Simulated with and shown with its
  // provenance, but never written into a fix as the source account (a fix says <ACCOUNT_ID>).
  bool owner_guess = false;
  // An ARN whose Region is assumed: a key a Terraform module creates under a provider that
  // writes no Region, checked in the given or stand-in one. Not a fact to compare the bucket's
  // Region with.
  bool region_assumed = false;
  // A stand-in's spelling in the template or module that creates it (the key a module creates
  // and its destination names: `${aws_kms_key.findings.arn}`): findings and fixes show it in
  // the stand-in's place instead of a placeholder, as the user would write it.
  std::string symbol = {};
};

struct Value {
  std::optional<std::string> value;
  Origin origin;
  [[nodiscard]] bool known() const { return value.has_value(); }
  [[nodiscard]] const std::string& get() const { return *value; }
};

struct ExportSettings {
  Value account;                     // the exporting account
  std::vector<std::string> regions;  // Regions whose findings are exported
  Origin regions_origin;
  std::map<std::string, Value> detector_ids;  // per Region
  Value detector_id;                          // for every Region without its own
  Value bucket;
  Value prefix;  // normalised: no leading or trailing '/'
  Value bucket_region;
  Value bucket_account;
  Value key_arn;
  // The organization GuardDuty's account is in, as the GuardDuty grants' aws:SourceOrgID and
  // aws:SourceOrgPaths conditions name it (inferred only): GuardDuty may send these keys (AWS
  // sends them for organization members where a service supports them; GuardDuty does not
  // document it), so requests carry them as assumed keys.
  Value source_org_id;
  Value source_org_path;
  std::string partition = "aws";
  // Every account id the setup's files write (a run of exactly 12 digits): the "other account"
  // of the hardening probes is never one of them (a key owner's root written in a cross-account
  // key policy is not a stranger). Filled before the setup rules run.
  std::vector<std::string> written_accounts;
  // A key ARN the settings gave that cannot be the export key (an AWS managed key's alias, an
  // alias name: GD007 says why): a stand-in checked in its place says so, not "none found".
  bool key_arn_rejected = false;

  [[nodiscard]] std::string detector_for(const std::string& region) const;
  // The account that owns the bucket: the one given for it, else the exporting account (a
  // bucket is taken to be the exporter's own unless told otherwise). The one place this is
  // decided; callers check whether the answer is a stand-in.
  [[nodiscard]] const Value& bucket_owner() const {
    return bucket_account.known() ? bucket_account : account;
  }
};

// Copies every value `over` knows into `base` (a later, stronger source wins).
void merge_settings(ExportSettings& base, const ExportSettings& over);

// Normalises a prefix the way GuardDuty does: surrounding slashes are dropped.
std::string normalize_prefix(std::string_view prefix);

// Reads `--config FILE`: our settings format, or the output of `aws guardduty
// describe-publishing-destination`. Problems are diagnostics (GD004 config) with positions.
struct ConfigResult {
  ExportSettings settings;
  std::vector<Diagnostic> diagnostics;
};
ConfigResult read_config(const SourceFile& source);

// The same for a settings object nested in another file (the project configuration); adds to
// `into` (values already there are overwritten, problems appended).
void read_settings_object(const json::Value& object, const SourceFile& source, ConfigResult& into);

// The account ids `text` writes: each run of exactly 12 digits, once, in order of appearance.
void add_written_accounts(std::string_view text, std::vector<std::string>& accounts);

// Validation helpers shared by flags, config and rules.
bool is_account_id(std::string_view text);
bool is_detector_id(std::string_view text);
bool is_region(std::string_view text);
// The partition a Region belongs to ("aws-us-gov" for us-gov-west-1, "aws-cn" for cn-north-1),
// by the Region name prefixes AWS gives each partition; "aws" for every other name.
std::string_view partition_of_region(std::string_view region);
// The one partition all of `regions` are in; none when they are in several or there are none.
std::optional<std::string_view> common_partition(const std::vector<std::string>& regions);
// The DNS suffix of a partition's endpoints (amazonaws.com.cn in aws-cn).
std::string_view dns_suffix(std::string_view partition);
// Whether `text` is a partition AWS has (aws, aws-cn, aws-us-gov, aws-iso, ...).
bool is_partition(std::string_view text);
// A full KMS key ARN (arn:partition:kms:region:account:key/id); explains what is wrong otherwise.
std::optional<std::string> key_arn_problem(std::string_view text);

}  // namespace gdl::exportcfg
