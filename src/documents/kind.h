#pragma once
// What a policy document is for: a KMS key policy, an S3 bucket policy, or an identity policy.

#include <cstddef>
#include <optional>
#include <string_view>

#include "iam/policy_type.h"
#include "policy/model.h"

namespace gdl::documents {

enum class Kind { unknown, key_policy, bucket_policy, identity_policy };

std::string_view to_string(Kind kind);
std::optional<Kind> parse_kind(std::string_view text);  // "key", "bucket", "identity"

// Auto-detection: no statement names a principal -> identity policy; else kms actions or key
// ARNs -> key policy; s3 actions or S3 ARNs -> bucket policy.
Kind detect_kind(const policy::Policy& policy);

// The largest document AWS accepts for a kind, in bytes: 20 KB for a bucket policy (S3), 32 KB
// for a key policy (KMS); identity policies are not limited here (no limit: SIZE_MAX).
std::size_t size_limit(Kind kind);

// How the evaluator reads the kind's statements without a Principal: in a key or bucket policy
// they apply to no one (AWS rejects such a policy); elsewhere to the policy's own principal.
iam::PolicyType evaluation_type(Kind kind);

}  // namespace gdl::documents
