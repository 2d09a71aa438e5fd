#pragma once
// The interface of a rule that inspects a policy model. One rule per file (src/rules/), its
// metadata in rules/<ID>-<name>.json; checks/registry.h makes it.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"
#include "policy/model.h"

namespace gdl {

struct PolicyContext {
  const SourceFile& source;
  const policy::Policy& policy;
  // A resource-based policy (key or bucket policy): some statement names a Principal.
  bool resource_policy = false;
  // Values a template's symbols are checked as (stand-in, symbol), none given by the user: a
  // conclusion that rests on one is a guess, not a fact.
  std::span<const std::pair<std::string, std::string>> stand_ins = {};
  // The values the user gave (--account, --bucket, --key-arn, ... or --config): theirs by their
  // own word, so never "an example value left in" (a template's symbol checked as one of them
  // is not in the file at all).
  std::span<const std::string> given_values = {};
};

class PolicyRule {
 public:
  PolicyRule() = default;
  PolicyRule(const PolicyRule&) = delete;
  PolicyRule& operator=(const PolicyRule&) = delete;
  virtual ~PolicyRule() = default;
  [[nodiscard]] std::string_view id() const { return id_; }
  // The registry gives each rule its id from its metadata (the id is written once, there).
  void set_id(std::string id) { id_ = std::move(id); }
  virtual void check(const PolicyContext& context, std::vector<Diagnostic>& out) const = 0;

 private:
  std::string id_;
};

// Every policy rule, in id order.
std::span<const std::unique_ptr<PolicyRule>> policy_rules();

}  // namespace gdl
