#include "documents/kind.h"

#include <algorithm>
#include <cstdint>

#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl::documents {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::key_policy:
      return "key policy";
    case Kind::bucket_policy:
      return "bucket policy";
    case Kind::identity_policy:
      return "identity policy";
    case Kind::unknown:
      return "policy";
  }
  return "policy";
}

std::optional<Kind> parse_kind(std::string_view text) {
  if (text == "key") return Kind::key_policy;
  if (text == "bucket") return Kind::bucket_policy;
  if (text == "identity") return Kind::identity_policy;
  return std::nullopt;
}

Kind detect_kind(const policy::Policy& policy) {
  const bool any_principal =
      std::any_of(policy.statements.begin(), policy.statements.end(),
                  [](const policy::Statement& s) { return s.principal.present; });
  if (!any_principal && !policy.statements.empty()) return Kind::identity_policy;
  int kms = 0;
  int s3 = 0;
  for (const policy::Statement& s : policy.statements) {
    for (const policy::Text& a : s.action.items) {
      if (istarts_with(a.value, "kms:")) ++kms;
      if (istarts_with(a.value, "s3:")) ++s3;
    }
    for (const policy::Text& r : s.resource.items) {
      if (iam::s3_resource_path(r.value)) ++s3;
      if (r.value.find(":kms:") != std::string::npos) ++kms;
    }
  }
  if (s3 > 0 && s3 >= kms) return Kind::bucket_policy;
  if (kms > 0) return Kind::key_policy;
  return Kind::unknown;
}

std::size_t size_limit(Kind kind) {
  if (kind == Kind::bucket_policy) return 20 * 1024;
  if (kind == Kind::key_policy) return 32 * 1024;
  return SIZE_MAX;
}

iam::PolicyType evaluation_type(Kind kind) {
  return kind == Kind::key_policy || kind == Kind::bucket_policy ? iam::PolicyType::resource
                                                                 : iam::PolicyType::any;
}

}  // namespace gdl::documents
