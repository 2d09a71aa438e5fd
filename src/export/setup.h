#pragma once
// One export setup: the policy documents named together (key policy, bucket policy, identity
// policies), their evaluators, and the export settings (given or inferred).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "documents/kind.h"
#include "export/settings.h"
#include "iam/evaluator.h"
#include "iam/request.h"
#include "policy/model.h"

namespace gdl::exportcfg {

struct PolicyDocument {
  const SourceFile* source = nullptr;
  policy::Policy policy;
  documents::Kind kind = documents::Kind::unknown;
  std::unique_ptr<iam::Evaluator> evaluator;  // built over `policy`; the document never moves
  std::string label;                          // where in a container: "FindingsKey KeyPolicy"
  std::size_t submitted_size = 0;  // bytes AWS receives: the text, or a template's policy as JSON
  // The bucket (bucket policy) or key (key policy) a container says the document belongs to.
  std::string belongs_to;
  // Whether the key resource bypasses KMS's lockout safety check (containers::EmbeddedDocument).
  std::optional<bool> lockout_check_bypassed;
  // Larger than AWS accepts for its kind (GD006): AWS rejects it, so its permissions are not
  // simulated (SetupContext::of_kind leaves it out).
  bool too_large = false;

  [[nodiscard]] std::string name() const {
    return label.empty() ? source->path() : source->path() + " (" + label + ")";
  }
};

// A statement whose Principal names a GuardDuty service principal (global or regional).
bool names_guardduty(const policy::Statement& statement);
// A statement whose Principal is "*" or names "*" (of any type): it applies to every principal
// of that type, GuardDuty's service principal among them as the evaluator reads it.
bool names_everyone(const policy::Statement& statement);
bool is_guardduty_principal(std::string_view service);
// The key ARNs a key policy's GuardDuty statements name (one of them is the key itself), or none
// when one of them is "*" or a pattern (the policy names no other key than its own).
std::vector<std::string> keys_named(const PolicyDocument& doc);

// The accounts a document's GuardDuty grants name as the source (aws:SourceAccount values, the
// account of aws:SourceArn values), sorted: which export of several a document is for.
std::vector<std::string> source_accounts_granted(const PolicyDocument& doc);

// The key ARNs a bucket policy's key-id conditions name (the key uploads must use).
std::vector<std::string> key_arns_required(const PolicyDocument& doc);

// A condition operator whose values are values of the key (String or Arn, not negated):
// aws:SourceArn values under it are ARNs, unlike those under Null or Bool.
bool is_value_operator(std::string_view op_text);

// Fills the settings the user did not give from the documents: SourceAccount/SourceArn values,
// bucket and prefix from the PutObject resource, the key ARN from the key-id deny. What cannot
// be inferred gets a stand-in value marked "assumed" (nothing in the policies constrains it).
void infer_settings(ExportSettings& settings,
                    const std::vector<std::unique_ptr<PolicyDocument>>& documents);

// The same settings with every stand-in replaced by another stand-in: a conclusion that changes
// with them rests on a stand-in, not on the policies. Nullopt when the settings hold no stand-in
// (the other settings would be the same).
std::optional<ExportSettings> with_other_stand_ins(const ExportSettings& settings);

// The stand-ins the settings hold, each with the placeholder findings show instead
// ("000011112222" -> "<ACCOUNT_ID>"): a stand-in is never shown as a fact.
std::vector<std::pair<std::string, std::string>> stand_in_placeholders(
    const ExportSettings& settings);

// One request GuardDuty makes, built from rules/data/guardduty-requests.json.
struct GuardDutyRequest {
  // "PutObject". The name and the assumed keys view the request model, which lives as long as
  // the program (guardduty_request_lists builds these for every setup: copies were allocations).
  std::string_view name;
  std::string region;  // the exported Region it is for
  iam::Request request;
  std::vector<std::string_view> assumed_keys;     // context keys present only by assumption
  std::vector<std::string_view> assumed_reasons;  // for each assumed key: why it is assumed
  // The k-th assumption as findings state it: "s3:x-amz-acl = bucket-owner-full-control (why)".
  [[nodiscard]] std::string assumption(std::size_t k) const;
  // The resource as findings show it: stand-ins replaced by placeholders such as <BUCKET>.
  std::string shown_resource;
  // Its place in the list guardduty_requests() returned, and whether that list holds the assumed
  // keys: the same request built from other settings has the same place.
  std::size_t index = 0;
  bool with_assumed = true;
};

// Every request GuardDuty makes for every configured Region. With `include_assumed` false the
// context keys marked "assumed" in the request model are left out.
std::vector<GuardDutyRequest> guardduty_requests(const ExportSettings& settings,
                                                 bool include_assumed = true);

// Both lists at once (with the assumed keys, and without them when `documented`), built from
// one expansion of the request model.
struct RequestLists {
  std::vector<GuardDutyRequest> with_assumed;
  std::vector<GuardDutyRequest> documented;
};
RequestLists guardduty_request_lists(const ExportSettings& settings, bool documented = true);

// Replaces ${name} with vars[name]. An unknown name is left as written, or reported through
// `unknown` (when given) so callers whose templates are built in can treat it as a defect.
using TemplateVars = std::map<std::string, std::string, std::less<>>;
std::string expand_template(std::string_view text, const TemplateVars& vars,
                            void (*unknown)(std::string_view text) = nullptr);

// A setting as findings and fixes show it: a known fact as itself; a stand-in as its symbol in
// the module that makes it (${aws_kms_key.x.arn}) or else as `placeholder` ("<KEY_ARN>"), since a
// stand-in is never shown as a fact nor written into a fix. The one place this is decided.
std::string shown(const Value& value, std::string_view placeholder);
std::string shown_detector(const ExportSettings& settings, const std::string& region);
// GuardDuty's aws:SourceArn for a Region, as findings show it: each stand-in replaced by a
// placeholder (<ACCOUNT_ID>, <REGION>, <DETECTOR_ID>).
std::string shown_source_arn(const ExportSettings& settings, const std::string& region);

// The GuardDuty service principal for a Region: regional in opt-in Regions.
std::string guardduty_principal(std::string_view region);

}  // namespace gdl::exportcfg
