#pragma once
// The interface of a rule that inspects a policy model. One rule per file; every rule is
// registered in rules/registry.cpp and has its metadata in rules/<ID>-<name>.json.

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "policy/model.h"

namespace gdl {

struct PolicyContext {
  const SourceFile& source;
  const policy::Policy& policy;
  // A resource-based policy (key or bucket policy): some statement names a Principal.
  bool resource_policy = false;
};

class PolicyRule {
 public:
  PolicyRule() = default;
  PolicyRule(const PolicyRule&) = delete;
  PolicyRule& operator=(const PolicyRule&) = delete;
  virtual ~PolicyRule() = default;
  [[nodiscard]] virtual std::string_view id() const = 0;
  virtual void check(const PolicyContext& context, std::vector<Diagnostic>& out) const = 0;
};

// Every policy rule, in id order.
std::span<const std::unique_ptr<PolicyRule>> policy_rules();

}  // namespace gdl
