#pragma once
// Every request that could matter to a set of policies, one representative per class: principals,
// actions, resources and each condition key's values are split into cells by the policies' own
// literals and patterns (iam/cells.h), and the cells' product is evaluated with the evaluator.
// Which keys a request can carry follows a request schema (keys tied to the principal, keys only
// a service principal or only an IAM principal sends, service-specific keys), so no impossible
// request is ever a witness. The evaluator knows nothing about GuardDuty and neither does this.
//
// Not modelled (a space that meets one is "not complete", never a wrong "nobody"): policy
// variables, IpAddress ranges beyond one cell per CIDR, date keys beyond the literals' edges,
// multi-valued keys with more than three set clauses, federated and canonical-user principals.

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "iam/cells.h"
#include "iam/evaluator.h"
#include "iam/request.h"
#include "policy/model.h"

namespace gdl::iam {

struct SpaceSpec {
  std::vector<const policy::Policy*> policies;  // patterns come from all of them
  PolicyType type = PolicyType::any;            // how they read a statement without a Principal
  // Fixed actions; empty: one per class of the policies' Action/NotAction patterns.
  std::vector<std::string> actions;
  // Resources must match every one of these (e.g. the export prefix); preferred witnesses.
  std::vector<CellPattern> resource_within;
  std::vector<std::string> preferred_resources;
  // Patterns that only split the resources into classes, each tried on both sides (a caller's
  // own findings apart from another account's when the policies' patterns cover both alike).
  std::vector<CellPattern> resource_splits;
  // Accounts and service principals tried besides those the policies name.
  std::vector<std::string> accounts;
  std::vector<std::string> services;
  // Service principals that always send aws:SourceAccount and aws:SourceArn (GuardDuty does);
  // null: none is known to.
  std::function<bool(std::string_view service)> sends_source_keys;
  // Service names to show a class of services by, where one falls in it (a real service).
  std::vector<std::string> example_services;
  // Values to show a class of a key's values by (lower-case key name), where one falls in it.
  std::map<std::string, std::vector<std::string>, std::less<>> example_values;
  std::string partition = "aws";
  bool anonymous = true;
  std::size_t budget = 100000;      // evaluations
  std::size_t cell_budget = 10000;  // automaton states per dimension (iam/cells.h)
};

struct SpaceStats {
  bool complete = true;
  std::vector<std::string> incomplete;  // why not, in plain words
  std::size_t evaluated = 0;
  bool stopped = false;  // the visitor asked to stop
};

// Calls `visit` with each representative request and its evaluation under each policy (in
// spec.policies order); `visit` returns false to stop.
using SpaceVisitor = std::function<bool(const Request&, std::span<const Evaluation>)>;
SpaceStats enumerate_requests(const SpaceSpec& spec, const SpaceVisitor& visit);

// A request in `simulate --request` JSON, context keys in their canonical spelling.
std::string request_to_json(const Request& request);

// The account a principal belongs to (an AWS principal's account id), or empty.
std::string principal_account(const RequestPrincipal& principal);

}  // namespace gdl::iam
