#pragma once
// Rules that judge an export setup: the documents named together, the export settings and the
// requests GuardDuty makes. Permission checks are simulated requests through the evaluator.
// One rule per file, registered in rules/registry.cpp.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "export/setup.h"

namespace gdl {

// A bucket the setup's files create for a publishing destination with no bucket policy among
// them (a Terraform aws_s3_bucket without an aws_s3_bucket_policy, a template's AWS::S3::Bucket
// without an AWS::S3::BucketPolicy): GuardDuty is denied without one, unless another
// configuration attaches it.
struct BucketWithoutPolicy {
  std::string bucket;       // "aws_s3_bucket.findings"
  std::string destination;  // "aws_guardduty_publishing_destination.s3"
  Location at;              // the destination's bucket ARN
  std::string remedy;       // how to add the policy, in the file's format
};

struct SetupContext {
  const std::vector<std::unique_ptr<exportcfg::PolicyDocument>>& documents;
  const exportcfg::ExportSettings& settings;
  // GuardDuty's requests for every Region, with the assumed context keys and without them.
  const std::vector<exportcfg::GuardDutyRequest>& requests;
  const std::vector<exportcfg::GuardDutyRequest>& documented_requests;
  // The same requests with every stand-in replaced by another (exportcfg::with_other_stand_ins):
  // a failure that does not happen there rests on a stand-in. Index for index.
  const std::vector<exportcfg::GuardDutyRequest>& other_requests;
  const std::vector<exportcfg::GuardDutyRequest>& other_documented_requests;
  // The values checked for symbols a container leaves open (a template's ${AWS::Region}), with
  // their symbols: a conclusion about such a value itself would be about a guess.
  std::span<const std::pair<std::string, std::string>> stand_ins = {};
  std::span<const BucketWithoutPolicy> buckets_without_policy = {};
  // The stand-ins for names that may be anything when deployed (containers::Extraction).
  std::span<const std::string> free_names = {};

  [[nodiscard]] std::vector<const exportcfg::PolicyDocument*> of_kind(documents::Kind kind) const;
};

class SetupRule {
 public:
  SetupRule() = default;
  SetupRule(const SetupRule&) = delete;
  SetupRule& operator=(const SetupRule&) = delete;
  virtual ~SetupRule() = default;
  [[nodiscard]] std::string_view id() const { return id_; }
  // The registry gives each rule its id from its metadata (the id is written once, there).
  void set_id(std::string id) { id_ = std::move(id); }
  virtual void check(const SetupContext& context, std::vector<Diagnostic>& out) const = 0;

 private:
  std::string id_;
};

std::span<const std::unique_ptr<SetupRule>> setup_rules();

}  // namespace gdl
