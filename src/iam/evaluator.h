#pragma once
// The IAM policy evaluator: would AWS allow this exact request under this one policy?
// It follows "Policy evaluation logic" for a single resource-based policy: an applicable Deny
// wins, else an applicable Allow allows, else the request is implicitly denied. A statement
// applies when its principal, action, resource and every condition match.
//
// Patterns are compiled once per policy; evaluating a request allocates only for policy
// variables. The evaluator knows nothing about GuardDuty.

#include <memory>
#include <string>
#include <vector>

#include "iam/conditions.h"
#include "iam/policy_type.h"
#include "iam/request.h"
#include "iam/wildcard.h"
#include "policy/model.h"

namespace gdl::iam {

enum class Decision { allow, explicit_deny, implicit_deny };
std::string_view to_string(Decision decision);

// Why one statement did or did not apply to the request.
struct StatementTrace {
  std::size_t index = 0;
  std::string_view sid;  // points into the policy
  policy::Effect effect = policy::Effect::invalid;
  bool applies = false;
  std::string_view element;  // the element that decided: "Principal", "Action", "Condition", ...
  std::string reason;        // plain English; empty when evaluated without explanations
  Span span;                 // where in the source: the element or condition clause that decided
};

struct Evaluation {
  Decision decision = Decision::implicit_deny;
  std::vector<StatementTrace> statements;  // one per statement, in policy order
  // Indices into `statements` of the statements that decided (the Denies or the Allows that
  // applied).
  std::vector<std::size_t> deciding;

  // The trace of the statement at `index` of the Statement array (policy::Statement::index);
  // nullptr for an entry that is not a statement. (Traces are in model order, which skips such
  // entries, so a trace is never looked up by position.)
  [[nodiscard]] const StatementTrace* trace_of(std::size_t index) const {
    for (const StatementTrace& t : statements) {
      if (t.index == index) return &t;
    }
    return nullptr;
  }
};

class Evaluator {
 public:
  explicit Evaluator(const policy::Policy& policy, PolicyType type = PolicyType::any);
  ~Evaluator();
  Evaluator(Evaluator&&) noexcept;
  Evaluator& operator=(Evaluator&&) noexcept;

  // With `explain`, every statement's trace carries a plain-English reason; without, only the
  // decision, the deciding statements and each trace's element and span (no string building).
  // The policy the evaluator was built from must outlive it.
  [[nodiscard]] Evaluation evaluate(const Request& request, bool explain = true) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace gdl::iam
