#include "iam/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "iam/compiled_value.h"
#include "iam/principal_match.h"
#include "util/text.h"

namespace gdl::iam {

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::allow:
      return "Allow";
    case Decision::explicit_deny:
      return "ExplicitDeny";
    case Decision::implicit_deny:
      return "ImplicitDeny";
  }
  return "ImplicitDeny";
}

void Request::set(std::string_view key, std::string value) {
  // Not ContextValue{{std::move(value)}, false}: an initializer list would copy the string.
  std::vector<std::string> values;
  values.push_back(std::move(value));
  context.insert_or_assign(to_lower(key), ContextValue{std::move(values), false});
}

void Request::set(std::string_view key, std::vector<std::string> values) {
  context.insert_or_assign(to_lower(key), ContextValue{std::move(values), true});
}

const ContextValue* Request::find(std::string_view key) const {
  thread_local std::string lowered;  // no allocation per lookup
  auto it = context.find(to_lower(key, lowered));
  return it == context.end() ? nullptr : &it->second;
}

namespace {

using namespace detail;

// ---- Conditions ---------------------------------------------------------------------------------

struct CompiledClause {
  const policy::ConditionClause* source = nullptr;
  std::optional<Operator> op;
  std::string key;  // lower-cased
  std::vector<CompiledValue> values;
};

// Numeric and Date comparisons; a value that does not parse never matches.
bool compare(std::optional<double> request_value, std::optional<double> policy_value,
             Comparison comparison) {
  if (!request_value || !policy_value) return false;
  const double a = *request_value;
  const double b = *policy_value;
  switch (comparison) {
    case Comparison::equals:
      return a == b;
    case Comparison::less_than:
      return a < b;
    case Comparison::less_than_equals:
      return a <= b;
    case Comparison::greater_than:
      return a > b;
    case Comparison::greater_than_equals:
      return a >= b;
    default:
      return false;
  }
}

// Does one request value satisfy the positive form of the operator against one policy value?
bool value_matches(const CompiledClause& c, const CompiledValue& v, std::string_view rv,
                   const Request& request) {
  const Operator& op = *c.op;
  switch (op.family) {
    case OperatorFamily::string: {
      if (op.comparison == Comparison::like) return pattern_matches(v, rv, request, false);
      const auto text = resolve_text(v, request);
      if (!text) return false;
      return op.ignore_case ? iequals(*text, rv) : *text == rv;
    }
    case OperatorFamily::arn:
      return arn_matches(v, rv, request);
    case OperatorFamily::numeric:
      return compare(parse_number(rv), parse_number(v.text), op.comparison);
    case OperatorFamily::date:
      // Dates compare as instants, whichever of ISO 8601 or epoch seconds each side uses.
      return compare(parse_date(rv), parse_date(v.text), op.comparison);
    case OperatorFamily::boolean:
      return iequals(v.text, rv);
    case OperatorFamily::binary:
      return v.text == rv;
    case OperatorFamily::ip: {
      const auto address = parse_ip(rv);
      const auto range = parse_ip(v.text);
      return address && range && ip_in_range(*address, *range);
    }
    case OperatorFamily::null:
      return false;  // handled by the caller
  }
  return false;
}

bool any_value_matches(const CompiledClause& c, std::string_view rv, const Request& request) {
  return std::any_of(c.values.begin(), c.values.end(),
                     [&](const CompiledValue& v) { return value_matches(c, v, rv, request); });
}

std::string quoted_values(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", v);
  return values.size() == 1 ? out : "[" + out + "]";
}

// Evaluates one condition clause; on false, `why` says why.
bool evaluate_clause(const CompiledClause& c, const Request& request, std::string* why) {
  const std::string& op_name = c.source->op.value;
  const std::string& key_name = c.source->key.value;
  if (!c.op) {
    if (why)
      *why = fmt::format("unknown condition operator {}: the condition can never be true", op_name);
    return false;
  }
  const Operator& op = *c.op;
  const ContextValue* present = request.find_lowered(c.key);
  if (op.family == OperatorFamily::null) {
    // Null: "true" means the key must be absent, "false" that it must be present. A
    // multivalued key with no values counts as absent: "include the Null condition operator
    // with a false value to check if the context key exists and its value is not null", which
    // keeps "context keys with empty values" from satisfying ForAllValues (IAM User Guide,
    // "Multivalued context keys").
    const bool absent = present == nullptr || present->values.empty();
    for (const CompiledValue& v : c.values) {
      if (iequals(v.text, "true") && absent) return true;
      if (iequals(v.text, "false") && !absent) return true;
    }
    if (why)
      *why = fmt::format("{} {}: the key is {}", op_name, key_name, absent ? "absent" : "present");
    return false;
  }
  if (present == nullptr) {
    // Absent key: ...IfExists is true; ForAnyValue is false, ForAllValues true; otherwise
    // negated operators are true and the others false ("Condition operators", "IfExists",
    // "Multivalued context keys").
    bool result = op.negated;
    if (op.if_exists) {
      result = true;
    } else if (op.set == SetQualifier::for_any_value) {
      result = false;
    } else if (op.set == SetQualifier::for_all_values) {
      result = true;
    }
    if (!result && why)
      *why = fmt::format("{} {}: the request has no {} key", op_name, key_name, key_name);
    return result;
  }
  const std::vector<std::string>& request_values = present->values;
  auto satisfied = [&](std::string_view rv) {
    const bool matches = any_value_matches(c, rv, request);
    return op.negated ? !matches : matches;
  };
  bool result = false;
  switch (op.set) {
    case SetQualifier::none:
      // A single-valued key: several policy values are OR'ed; a negated operator is true when
      // no policy value matches.
      if (op.negated) {
        result =
            std::none_of(request_values.begin(), request_values.end(),
                         [&](const std::string& rv) { return any_value_matches(c, rv, request); });
      } else {
        result =
            std::any_of(request_values.begin(), request_values.end(),
                        [&](const std::string& rv) { return any_value_matches(c, rv, request); });
      }
      break;
    case SetQualifier::for_any_value:
      result = std::any_of(request_values.begin(), request_values.end(), satisfied);
      break;
    case SetQualifier::for_all_values:
      result = std::all_of(request_values.begin(), request_values.end(), satisfied);
      break;
  }
  if (!result && why) {
    std::vector<std::string> policy_values;
    for (const CompiledValue& v : c.values) policy_values.emplace_back(v.text);
    *why = fmt::format("{} {}: request value {} does not satisfy {}", op_name, key_name,
                       quoted_values(request_values), quoted_values(policy_values));
  }
  return result;
}

struct CompiledStatement {
  const policy::Statement* source = nullptr;
  CompiledPrincipals principals;
  std::vector<CompiledValue> actions;
  std::vector<CompiledValue> resources;
  std::vector<CompiledClause> clauses;
  // In a key or bucket policy every statement names whom it applies to: one without a Principal
  // (or NotPrincipal) makes AWS reject the policy (GD102), and grants or denies no one.
  bool applies_to_no_one = false;
};

}  // namespace

struct Evaluator::Compiled {
  std::vector<CompiledStatement> statements;
};

Evaluator::Evaluator(const policy::Policy& policy, PolicyType type)
    : compiled_(std::make_unique<Compiled>()) {
  const bool variables = policy.variables_enabled();
  compiled_->statements.reserve(policy.statements.size());
  for (const policy::Statement& s : policy.statements) {
    CompiledStatement cs;
    cs.source = &s;
    cs.applies_to_no_one = type == PolicyType::resource && !s.principal.present;
    cs.principals = compile_principals(s.principal);
    // Sized up front: a compiled value holds seven patterns, costly to move on regrowth.
    cs.actions.reserve(s.action.items.size());
    cs.resources.reserve(s.resource.items.size());
    cs.clauses.reserve(s.conditions.size());
    // Action names are case-insensitive; resource ARNs case-sensitive, `*` spanning '/' and ':'.
    // Variables are not allowed in Action.
    for (const policy::Text& a : s.action.items)
      cs.actions.push_back(compile_value(a.value, false, true, true));
    for (const policy::Text& r : s.resource.items)
      cs.resources.push_back(compile_value(r.value, variables, false, true));
    for (const policy::ConditionClause& clause : s.conditions) {
      CompiledClause cc;
      cc.source = &clause;
      cc.op = parse_operator(clause.op.value);
      cc.key = to_lower(clause.key.value);
      const bool like =
          cc.op && cc.op->comparison == Comparison::like && cc.op->family == OperatorFamily::string;
      const bool fold = cc.op && cc.op->ignore_case;
      const bool var_family = cc.op && (cc.op->family == OperatorFamily::string ||
                                        cc.op->family == OperatorFamily::arn);
      cc.values.reserve(clause.values.size());
      for (const policy::Text& v : clause.values) {
        CompiledValue value = compile_value(v.value, variables && var_family, fold, like);
        if (cc.op && cc.op->family == OperatorFamily::arn && !value.has_variables) {
          std::string_view parts[6];
          if (split_arn(value.text, parts)) {
            value.arn_split = true;
            for (int i = 0; i < 6; ++i) value.arn_parts[i] = Pattern::glob(parts[i], false);
          } else {
            value.pattern = Pattern::glob(value.text, false);
          }
        }
        cc.values.push_back(std::move(value));
      }
      cs.clauses.push_back(std::move(cc));
    }
    compiled_->statements.push_back(std::move(cs));
  }
}

Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

namespace {

bool any_matches(const std::vector<CompiledValue>& values, std::string_view text,
                 const Request& request) {
  return std::any_of(values.begin(), values.end(), [&](const CompiledValue& v) {
    return pattern_matches(v, text, request, false);
  });
}

// Fills `t` (constructed in place in the evaluation's list: a trace returned by value was moved
// there, a string move per statement and request).
void trace_statement(const CompiledStatement& cs, const Request& request,
                     const std::optional<AwsIdentity>& caller_id, bool explain, StatementTrace& t) {
  const policy::Statement& s = *cs.source;
  t.index = s.index;
  if (s.sid) t.sid = s.sid->value;
  t.effect = s.effect;
  // The reason is built only when explaining (it is the costly part of a trace).
  // A list of one value is the value, as AWS reads it: ["X"] (or ["X", "X"]) is reported where
  // "X" would be.
  auto value_span = [](const policy::TextList& list) {
    const bool one_value =
        !list.items.empty() &&
        std::all_of(list.items.begin(), list.items.end(), [&](const policy::Text& item) {
          return item.value == list.items.front().value;
        });
    return one_value ? list.items.front().span : list.span;
  };
  auto fail = [&t, explain](std::string_view element, Span span, auto&& reason) {
    t.applies = false;
    t.element = element;
    t.span = span;
    if (explain) t.reason = reason();
  };
  if (s.effect == policy::Effect::invalid) {
    return fail("Effect", s.effect_text ? s.effect_text->span : s.span,
                [] { return std::string("the Effect is not \"Allow\" or \"Deny\""); });
  }
  // Principal. A statement without one applies to the identity policy's own principal; in a
  // resource policy to no one (below: the other elements are read first, so that a statement
  // missing only its Principal is told from one that would not match anyway).
  if (s.principal.present) {
    const bool negated = s.principal_negated;
    const bool matched = negated
                             ? !spared_by_not_principal(cs.principals, request.principal, caller_id)
                             : principal_listed(cs.principals, request.principal, caller_id);
    if (!matched) {
      return fail(negated ? "NotPrincipal" : "Principal", s.principal.span, [&] {
        return negated ? fmt::format("NotPrincipal spares {}", describe(request.principal))
                       : fmt::format("Principal does not include {}", describe(request.principal));
      });
    }
  }
  // Action / NotAction.
  const std::string& action = request.action;
  const bool action_listed = any_matches(cs.actions, action, request);
  if (!s.action.present || action_listed == s.action_negated) {
    return fail(s.action_negated ? "NotAction" : "Action",
                s.action.present ? value_span(s.action) : s.span, [&] {
                  return !s.action.present  ? std::string("the statement has no Action")
                         : s.action_negated ? fmt::format("NotAction excludes {}", action)
                                            : fmt::format("Action does not include {}", action);
                });
  }
  // Resource / NotResource. An entry whose variable has no value matches no resource.
  const bool resource_listed = any_matches(cs.resources, request.resource, request);
  if (!s.resource.present || resource_listed == s.resource_negated) {
    return fail(s.resource_negated ? "NotResource" : "Resource",
                s.resource.present ? value_span(s.resource) : s.span, [&] {
                  return !s.resource.present ? std::string("the statement has no Resource")
                         : s.resource_negated
                             ? fmt::format("NotResource excludes {}", request.resource)
                             : fmt::format("Resource does not include {}", request.resource);
                });
  }
  // Conditions: every clause must hold (keys and operators AND'ed).
  for (const CompiledClause& clause : cs.clauses) {
    std::string why;
    if (!evaluate_clause(clause, request, explain ? &why : nullptr)) {
      return fail("Condition", {clause.source->op.span.begin, clause.source->values_span.end},
                  [&why] { return std::move(why); });
    }
  }
  if (cs.applies_to_no_one) {
    return fail("Principal", s.span, [] {
      return std::string(
          "the statement has no Principal: in a key or bucket policy it applies to no one (AWS "
          "rejects the policy)");
    });
  }
  t.applies = true;
  t.span = s.span;
  if (explain) {
    t.reason = s.effect == policy::Effect::deny ? "the statement applies and denies the request"
                                                : "the statement applies and allows the request";
  }
}

}  // namespace

Evaluation Evaluator::evaluate(const Request& request, bool explain) const {
  Evaluation result;
  result.statements.reserve(compiled_->statements.size());
  const std::optional<AwsIdentity> caller_id = caller_identity(request.principal);
  for (const CompiledStatement& cs : compiled_->statements)
    trace_statement(cs, request, caller_id, explain, result.statements.emplace_back());
  std::vector<std::size_t> allows;
  std::vector<std::size_t> denies;
  for (std::size_t i = 0; i < result.statements.size(); ++i) {
    const StatementTrace& t = result.statements[i];
    if (!t.applies) continue;
    (t.effect == policy::Effect::deny ? denies : allows).push_back(i);
  }
  if (!denies.empty()) {
    result.decision = Decision::explicit_deny;  // an explicit Deny overrides any Allow
    result.deciding = std::move(denies);
  } else if (!allows.empty()) {
    result.decision = Decision::allow;
    result.deciding = std::move(allows);
  }
  return result;
}

}  // namespace gdl::iam
