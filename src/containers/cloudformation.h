#pragma once
// CloudFormation templates (JSON or YAML): the key policies of AWS::KMS::Key, the bucket
// policies of AWS::S3::BucketPolicy, and the export settings of
// AWS::GuardDuty::PublishingDestination. Intrinsic functions are resolved offline where that is
// possible: `Ref`/`Fn::GetAtt` to resources of the same template and the pseudo parameters become
// consistent symbolic values, so the destination's bucket and key *are* the template's bucket
// and key. What cannot be known offline is treated as unknown, never as a finding.

#include "containers/container.h"

namespace gdl::containers {

void read_cloudformation(const json::Value& root, const SourceFile& source, Quoting quoting,
                         bool repaired, const Hints& hints, Extraction& out);

Extraction read_cloudformation_yaml(const SourceFile& source, const Hints& hints);

}  // namespace gdl::containers
