#include "iam/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

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
  context[to_lower(key)] = ContextValue{{std::move(value)}, false};
}

void Request::set(std::string_view key, std::vector<std::string> values) {
  context[to_lower(key)] = ContextValue{std::move(values), true};
}

const ContextValue* Request::find(std::string_view key) const {
  auto it = context.find(to_lower(key));
  return it == context.end() ? nullptr : &it->second;
}

namespace {

// ---- Policy variables ("IAM policy elements: Variables and tags") ------------------------------

// A policy value split into the policy's own text (where * and ? are wildcards) and variables.
struct ValuePiece {
  bool variable = false;
  std::string text;                     // policy text, or the variable's key name
  std::optional<std::string> fallback;  // ${key, 'default'}
};

std::vector<ValuePiece> split_variables(std::string_view text) {
  std::vector<ValuePiece> pieces;
  std::size_t pos = 0;
  std::string literal;
  while (pos < text.size()) {
    const std::size_t open = text.find("${", pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      literal += text.substr(pos);
      break;
    }
    literal += text.substr(pos, open - pos);
    std::string_view inner = text.substr(open + 2, close - open - 2);
    // Special characters: ${*}, ${?} and ${$} stand for the literal character.
    if (inner == "*" || inner == "?" || inner == "$") {
      if (!literal.empty()) pieces.push_back({false, std::exchange(literal, {}), std::nullopt});
      pieces.push_back({true, std::string(inner), std::string(inner)});
      pieces.back().text = "";  // no key: always the fallback
      pos = close + 1;
      continue;
    }
    ValuePiece variable{true, {}, std::nullopt};
    if (const std::size_t comma = inner.find(','); comma != std::string_view::npos) {
      std::string_view fallback = inner.substr(comma + 1);
      while (!fallback.empty() && fallback.front() == ' ') fallback.remove_prefix(1);
      while (!fallback.empty() && fallback.back() == ' ') fallback.remove_suffix(1);
      if (fallback.size() >= 2 && fallback.front() == '\'' && fallback.back() == '\'') {
        variable.fallback = std::string(fallback.substr(1, fallback.size() - 2));
      }
      inner = inner.substr(0, comma);
    }
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    variable.text = std::string(inner);
    if (!literal.empty()) pieces.push_back({false, std::exchange(literal, {}), std::nullopt});
    pieces.push_back(std::move(variable));
    pos = close + 1;
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal), std::nullopt});
  return pieces;
}

// A value from the policy, compiled once. When it holds variables, it is resolved per request.
struct CompiledValue {
  std::string text;  // as written
  bool has_variables = false;
  std::vector<ValuePiece> pieces;  // when has_variables
  Pattern pattern;                 // when !has_variables
  Pattern arn_parts[6];            // ARN operators: one pattern per ARN component
  bool arn_split = false;
};

// Resolves variables against the request. nullopt: a variable has no value and no default, so
// the value "matches nothing" ("Policy variables with no value").
std::optional<Pattern> resolve_pattern(const CompiledValue& v, const Request& request,
                                       bool fold_case, bool glob) {
  if (!v.has_variables) return v.pattern;
  Pattern p = Pattern::glob("", fold_case);
  for (const ValuePiece& piece : v.pieces) {
    if (!piece.variable) {
      glob ? p.append_glob(piece.text) : p.append_literal(piece.text);
      continue;
    }
    const ContextValue* value = piece.text.empty() ? nullptr : request.find(piece.text);
    if (value != nullptr && value->values.size() == 1 && !value->multivalued) {
      p.append_literal(value->values.front());
    } else if (piece.fallback) {
      p.append_literal(*piece.fallback);
    } else {
      return std::nullopt;
    }
  }
  return p;
}

// Matches `text` against a glob value; only a value with policy variables builds a new pattern.
bool pattern_matches(const CompiledValue& v, std::string_view text, const Request& request,
                     bool fold_case) {
  if (!v.has_variables) return v.pattern.matches(text);
  const auto pattern = resolve_pattern(v, request, fold_case, true);
  return pattern && pattern->matches(text);
}

std::optional<std::string> resolve_text(const CompiledValue& v, const Request& request) {
  if (!v.has_variables) return v.text;
  std::string out;
  for (const ValuePiece& piece : v.pieces) {
    if (!piece.variable) {
      out += piece.text;
      continue;
    }
    const ContextValue* value = piece.text.empty() ? nullptr : request.find(piece.text);
    if (value != nullptr && value->values.size() == 1 && !value->multivalued) {
      out += value->values.front();
    } else if (piece.fallback) {
      out += *piece.fallback;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

CompiledValue compile_value(std::string_view text, bool variables, bool fold_case, bool glob) {
  CompiledValue v;
  v.text = std::string(text);
  v.has_variables = variables && text.find("${") != std::string_view::npos;
  if (v.has_variables) {
    v.pieces = split_variables(text);
  } else {
    v.pattern = glob ? Pattern::glob(text, fold_case) : Pattern::glob("", fold_case);
    if (!glob) v.pattern.append_literal(text);
  }
  return v;
}

// ---- Principals ("AWS JSON policy elements: Principal") -----------------------------------------

struct AwsIdentity {
  std::string account;
  std::string arn;        // as given
  std::string role_name;  // for a role or an assumed-role session
  bool is_root = false;
  bool is_session = false;
};

std::optional<AwsIdentity> parse_aws_identity(std::string_view value) {
  AwsIdentity id;
  id.arn = std::string(value);
  if (value.size() == 12 && value.find_first_not_of("0123456789") == std::string_view::npos) {
    id.account = std::string(value);
    id.is_root = true;
    return id;
  }
  std::string_view parts[6];
  if (!split_arn(value, parts) || parts[0] != "arn") return std::nullopt;
  id.account = std::string(parts[4]);
  const std::string_view resource = parts[5];
  if (parts[2] == "iam" && resource == "root") {
    id.is_root = true;
  } else if (parts[2] == "iam" && resource.starts_with("role/")) {
    const std::size_t slash = resource.rfind('/');
    id.role_name = std::string(resource.substr(slash + 1));
  } else if (parts[2] == "sts" && resource.starts_with("assumed-role/")) {
    const std::string_view rest = resource.substr(13);
    id.role_name = std::string(rest.substr(0, rest.find('/')));
    id.is_session = true;
  }
  return id;
}

enum class PrincipalMatch { none, identity, account };

// How a policy principal entry matches the request principal: it names the caller itself
// (identity), or the caller's whole account (account), or not at all.
PrincipalMatch match_entry(const policy::PrincipalEntry& entry, const RequestPrincipal& caller) {
  const std::string& value = entry.value.value;
  if (entry.type == "AWS") {
    // {"AWS": "*"}: every principal. AWS documents it as equal to "*" for anonymous callers and
    // does not settle service principals; we treat it as "*" (see README, "Evaluator").
    if (value == "*") return PrincipalMatch::identity;
    if (caller.kind != RequestPrincipal::Kind::aws) return PrincipalMatch::none;
    const auto policy_id = parse_aws_identity(value);
    const auto caller_id = parse_aws_identity(caller.value);
    if (!policy_id || !caller_id)
      return value == caller.value ? PrincipalMatch::identity : PrincipalMatch::none;
    // An account id or :root ARN stands for every principal of the account.
    if (policy_id->is_root) {
      if (policy_id->account != caller_id->account) return PrincipalMatch::none;
      return caller_id->is_root ? PrincipalMatch::identity : PrincipalMatch::account;
    }
    if (value == caller.value) return PrincipalMatch::identity;
    // A role ARN matches the role's sessions.
    if (!policy_id->role_name.empty() && !policy_id->is_session && caller_id->is_session &&
        policy_id->account == caller_id->account && policy_id->role_name == caller_id->role_name) {
      return PrincipalMatch::identity;
    }
    return PrincipalMatch::none;
  }
  if (entry.type == "Service") {
    // A service principal matches only its exact name: guardduty.amazonaws.com is not
    // guardduty.me-south-1.amazonaws.com.
    if (value == "*") return PrincipalMatch::identity;
    return caller.kind == RequestPrincipal::Kind::service && value == caller.value
               ? PrincipalMatch::identity
               : PrincipalMatch::none;
  }
  return PrincipalMatch::none;  // Federated / CanonicalUser callers are not modelled
}

bool principal_listed(const policy::PrincipalElement& element, const RequestPrincipal& caller) {
  if (element.everyone) return true;
  for (const auto& entry : element.entries) {
    if (match_entry(entry, caller) != PrincipalMatch::none) return true;
  }
  return false;
}

// NotPrincipal spares a caller only when it is listed; an AWS principal other than an account
// root must be listed together with its account ("NotPrincipal": "you must also specify the
// account ARN"), because a request is evaluated for the principal and for its account.
bool spared_by_not_principal(const policy::PrincipalElement& element,
                             const RequestPrincipal& caller) {
  if (element.everyone) return true;
  bool identity = false;
  bool account = false;
  for (const auto& entry : element.entries) {
    const PrincipalMatch m = match_entry(entry, caller);
    if (m == PrincipalMatch::identity) identity = true;
    if (m == PrincipalMatch::account) account = true;
    if (m == PrincipalMatch::identity && entry.type == "AWS") {
      const auto id = parse_aws_identity(entry.value.value);
      if (id && id->is_root) account = true;
    }
  }
  if (caller.kind != RequestPrincipal::Kind::aws) return identity;
  const auto caller_id = parse_aws_identity(caller.value);
  if (caller_id && caller_id->is_root) return identity;
  return identity && account;
}

std::string describe(const RequestPrincipal& p) {
  switch (p.kind) {
    case RequestPrincipal::Kind::anonymous:
      return "an anonymous caller";
    case RequestPrincipal::Kind::service:
      return fmt::format("service principal {}", p.value);
    case RequestPrincipal::Kind::aws:
      return fmt::format("AWS principal {}", p.value);
  }
  return "the caller";
}

// ---- Conditions ---------------------------------------------------------------------------------

struct CompiledClause {
  const policy::ConditionClause* source = nullptr;
  std::optional<Operator> op;
  std::string key;  // lower-cased
  std::vector<CompiledValue> values;
};

// Splits a resolved ARN value into its six components, keeping which characters came from the
// policy text (wildcards) and which from variables (literal: ${*} is a literal '*').
std::optional<std::array<Pattern, 6>> resolve_arn_parts(const CompiledValue& v,
                                                        const Request& request) {
  std::vector<std::pair<std::string, bool>> runs;  // text, is_glob
  for (const ValuePiece& piece : v.pieces) {
    if (!piece.variable) {
      runs.emplace_back(piece.text, true);
      continue;
    }
    const ContextValue* value = piece.text.empty() ? nullptr : request.find(piece.text);
    if (value != nullptr && value->values.size() == 1 && !value->multivalued) {
      runs.emplace_back(value->values.front(), false);
    } else if (piece.fallback) {
      runs.emplace_back(*piece.fallback, false);
    } else {
      return std::nullopt;
    }
  }
  std::array<Pattern, 6> parts;
  for (Pattern& p : parts) p = Pattern::glob("", false);
  std::size_t part = 0;
  for (const auto& [text, is_glob] : runs) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && !(text[i] == ':' && part < 5)) continue;
      const std::string_view chunk = std::string_view(text).substr(start, i - start);
      is_glob ? parts[part].append_glob(chunk) : parts[part].append_literal(chunk);
      if (i < text.size()) ++part;
      start = i + 1;
    }
  }
  if (part < 5) return std::nullopt;  // fewer than six components: not an ARN pattern
  return parts;
}

// ArnEquals/ArnLike: "Each of the six colon-delimited components of the ARN is checked separately"
// (Condition operators, ARN). A value with fewer than six components matches nothing, except "*".
bool arn_matches(const CompiledValue& v, std::string_view request_value, const Request& request) {
  std::string_view parts[6];
  if (!v.has_variables && !v.arn_split) return v.text == "*";
  if (!split_arn(request_value, parts)) return false;
  if (!v.has_variables) {
    for (int i = 0; i < 6; ++i) {
      if (!v.arn_parts[i].matches(parts[i])) return false;
    }
    return true;
  }
  const auto resolved = resolve_arn_parts(v, request);
  if (!resolved) return false;
  for (std::size_t i = 0; i < 6; ++i) {
    if (!(*resolved)[i].matches(parts[i])) return false;
  }
  return true;
}

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
  const ContextValue* present = request.find(c.key);
  if (op.family == OperatorFamily::null) {
    // Null: "true" means the key must be absent, "false" that it must be present.
    const bool absent = present == nullptr;
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
    for (const CompiledValue& v : c.values) policy_values.push_back(v.text);
    *why = fmt::format("{} {}: request value {} does not satisfy {}", op_name, key_name,
                       quoted_values(request_values), quoted_values(policy_values));
  }
  return result;
}

struct CompiledStatement {
  const policy::Statement* source = nullptr;
  std::vector<CompiledValue> actions;
  std::vector<CompiledValue> resources;
  std::vector<CompiledClause> clauses;
};

}  // namespace

struct Evaluator::Compiled {
  std::vector<CompiledStatement> statements;
};

Evaluator::Evaluator(const policy::Policy& policy) : compiled_(std::make_unique<Compiled>()) {
  const bool variables = policy.variables_enabled();
  for (const policy::Statement& s : policy.statements) {
    CompiledStatement cs;
    cs.source = &s;
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

StatementTrace trace_statement(const CompiledStatement& cs, const Request& request, bool explain) {
  const policy::Statement& s = *cs.source;
  StatementTrace t;
  t.index = s.index;
  if (s.sid) t.sid = s.sid->value;
  t.effect = s.effect;
  // The reason is built only when explaining (it is the costly part of a trace).
  auto fail = [&t, explain](std::string_view element, Span span, auto&& reason) {
    t.applies = false;
    t.element = element;
    t.span = span;
    if (explain) t.reason = reason();
    return t;
  };
  if (s.effect == policy::Effect::invalid) {
    return fail("Effect", s.effect_text ? s.effect_text->span : s.span,
                [] { return std::string("the Effect is not \"Allow\" or \"Deny\""); });
  }
  // Principal. A statement without one (an identity policy) applies to its own principal.
  if (s.principal.present) {
    const bool negated = s.principal_negated;
    const bool matched = negated ? !spared_by_not_principal(s.principal, request.principal)
                                 : principal_listed(s.principal, request.principal);
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
                s.action.present ? s.action.span : s.span, [&] {
                  return !s.action.present  ? std::string("the statement has no Action")
                         : s.action_negated ? fmt::format("NotAction excludes {}", action)
                                            : fmt::format("Action does not include {}", action);
                });
  }
  // Resource / NotResource. An entry whose variable has no value matches no resource.
  const bool resource_listed = any_matches(cs.resources, request.resource, request);
  if (!s.resource.present || resource_listed == s.resource_negated) {
    return fail(s.resource_negated ? "NotResource" : "Resource",
                s.resource.present ? s.resource.span : s.span, [&] {
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
  t.applies = true;
  t.span = s.span;
  if (explain) {
    t.reason = s.effect == policy::Effect::deny ? "the statement applies and denies the request"
                                                : "the statement applies and allows the request";
  }
  return t;
}

}  // namespace

Evaluation Evaluator::evaluate(const Request& request, bool explain) const {
  Evaluation result;
  result.statements.reserve(compiled_->statements.size());
  for (const CompiledStatement& cs : compiled_->statements)
    result.statements.push_back(trace_statement(cs, request, explain));
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
