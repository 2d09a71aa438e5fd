#include "iam/request_space.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "iam/conditions.h"
#include "iam/iam_data.h"
#include "util/text.h"

namespace gdl::iam {

namespace {

// ---- The request schema ------------------------------------------------------------------------
// Which context keys a request can carry depends on who makes it and what it asks. The keys are
// from "AWS global condition context keys": the principal keys describe the caller; the source
// keys are sent only when a service acts for a resource owner; CalledVia and the principal's
// organization keys exist only for IAM principals; service-specific keys only on that service's
// actions, and the S3 encryption headers only on uploads.

enum class KeyRole { free, tied, service_only, iam_only, always };

KeyRole role_of(std::string_view key) {
  static const std::set<std::string_view> tied = {"aws:principalaccount", "aws:principalarn",
                                                  "aws:principalisawsservice",
                                                  "aws:principalservicename", "kms:calleraccount"};
  static const std::set<std::string_view> service_only = {"aws:sourceaccount", "aws:sourcearn",
                                                          "aws:sourceorgid", "aws:sourceorgpaths"};
  static const std::set<std::string_view> iam_only = {"aws:principalorgid",
                                                      "aws:principalorgpaths",
                                                      "aws:calledvia",
                                                      "aws:calledviafirst",
                                                      "aws:calledvialast",
                                                      "aws:viaawsservice",
                                                      "aws:userid",
                                                      "aws:username",
                                                      "aws:multifactorauthpresent",
                                                      "aws:multifactorauthage",
                                                      "aws:tokenissuetime",
                                                      "kms:viaservice"};
  if (tied.contains(key)) return KeyRole::tied;
  if (service_only.contains(key)) return KeyRole::service_only;
  if (iam_only.contains(key) || key.starts_with("aws:principaltag/")) return KeyRole::iam_only;
  if (key == "aws:securetransport") return KeyRole::always;
  return KeyRole::free;
}

// Whether a request for `action` can carry `key` at all.
bool key_fits_action(std::string_view key, std::string_view action) {
  const auto colon = key.find(':');
  if (colon == std::string_view::npos) return true;
  const std::string_view prefix = key.substr(0, colon);
  if (prefix == "aws") return true;
  const std::string lower_action = to_lower(action);
  if (!std::string_view(lower_action).starts_with(std::string(prefix) + ":")) return false;
  if (key.starts_with("s3:x-amz-server-side-encryption")) return lower_action == "s3:putobject";
  return true;
}

// ---- Collecting the policies' literals
// -----------------------------------------------------------

struct KeyClauses {
  std::string spelling;  // as the first policy wrote it
  std::vector<const policy::ConditionClause*> clauses;
  bool multivalued = false;
  std::size_t set_clauses = 0;
};

bool has_variable(std::string_view text) {
  return text.find("${") != std::string_view::npos;
}

// A value with a policy variable, as a pattern: the variable may be anything.
std::string without_variables(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 2) == "${") {
      const auto end = text.find('}', i);
      if (end != std::string_view::npos) {
        out += '*';
        i = end;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

void add_accounts_in(std::string_view text, std::set<std::string>& into) {
  std::size_t run = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++run;
      continue;
    }
    if (run == 12) into.emplace(text.substr(i - 12, 12));
    run = 0;
  }
}

struct Collected {
  std::vector<CellPattern> actions;
  std::vector<CellPattern> resources;
  std::set<std::string> accounts;
  std::set<std::string> services;
  std::set<std::string> aws_identities;  // literal principal ARNs named
  std::vector<CellPattern> account_patterns;
  // Principal ARN patterns as (account component, sixth component): the names that matter in an
  // account are those of the patterns whose account component matches it.
  std::vector<std::pair<CellPattern, CellPattern>> identity_patterns;
  std::vector<CellPattern> service_patterns;
  std::map<std::string, KeyClauses> keys;  // by lower-case name
  std::vector<std::string> incomplete;
  bool variables = false;  // a policy variable was read as a wildcard
};

// A principal ARN pattern as (account component, sixth component). Against a real principal ARN
// (six components, none of the first five with a colon) a six-component pattern matches part by
// part even under StringLike, where `*` could cross a colon; a pattern of fewer components is not
// modelled, and the answers say so.
void add_principal_arn_pattern(std::string_view text, bool glob, bool fold, Collected& c) {
  std::string_view parts[6];
  // A principal with "${" is a template left unresolved, not a pattern of real principals.
  if (policy::is_unresolved(text)) return;
  if (!split_arn(text, parts)) {
    if (text != "*")
      c.incomplete.push_back(fmt::format("aws:PrincipalArn pattern \"{}\" is not modelled", text));
    return;
  }
  const CellPattern::Mode mode = glob ? CellPattern::Mode::glob : CellPattern::Mode::literal;
  c.account_patterns.push_back({std::string(parts[4]), mode, fold});
  c.identity_patterns.push_back(
      {{std::string(parts[4]), mode, fold}, {std::string(parts[5]), mode, fold}});
}

Collected collect(const SpaceSpec& spec) {
  Collected c;
  bool variables = false;
  for (const policy::Policy* p : spec.policies) {
    for (const policy::Statement& s : p->statements) {
      // A container's value known only when deployed matches nothing here (nor does a template
      // left unresolved in a principal): what such an element would match is not tried.
      for (const policy::Text& a : s.action.items) {
        if (a.value == policy::kUnknownValue) {
          c.incomplete.emplace_back("an action known only when deployed");
          continue;
        }
        c.actions.push_back({a.value, CellPattern::Mode::glob, true});
      }
      if ((s.action.present && s.action.items.empty()) ||
          (s.resource.present && s.resource.items.empty()))
        c.incomplete.emplace_back("a list known only when deployed");
      for (const policy::Text& r : s.resource.items) {
        if (r.value == policy::kUnknownValue) {
          c.incomplete.emplace_back("a resource known only when deployed");
          continue;
        }
        if (p->variables_enabled() && has_variable(r.value)) variables = true;
        c.resources.push_back({p->variables_enabled() ? without_variables(r.value) : r.value,
                               CellPattern::Mode::glob, false});
      }
      for (const policy::PrincipalEntry& e : s.principal.entries) {
        if (policy::is_unresolved(e.value.value))
          c.incomplete.emplace_back("a principal known only when deployed");
        if (e.type != "Service" && e.type != "AWS") {
          c.incomplete.push_back(
              fmt::format("{} principals are not modelled", e.type.empty() ? "unknown" : e.type));
        }
        if (e.type == "Service") {
          if (e.value.value != "*" && !policy::is_unresolved(e.value.value))
            c.services.insert(e.value.value);
          c.service_patterns.push_back({e.value.value, CellPattern::Mode::literal});
        } else if (e.type == "AWS") {
          add_accounts_in(e.value.value, c.accounts);
          if (e.value.value.starts_with("arn:") && !policy::is_unresolved(e.value.value)) {
            c.aws_identities.insert(e.value.value);
            add_principal_arn_pattern(e.value.value, false, false, c);
          }
        }
      }
      for (const policy::ConditionClause& clause : s.conditions) {
        const std::string key = to_lower(clause.key.value);
        KeyClauses& k = c.keys[key];
        if (k.spelling.empty()) {
          const data::ConditionKey* known = data::find_condition_key(clause.key.value);
          k.spelling = known != nullptr && known->name.find("${") == std::string::npos
                           ? known->name
                           : clause.key.value;
          k.multivalued = known != nullptr && known->multivalued;
        }
        k.clauses.push_back(&clause);
        const auto op = parse_operator(clause.op.value);
        if (op && op->set != SetQualifier::none) {
          k.multivalued = true;
          ++k.set_clauses;
        }
        for (const policy::Text& v : clause.values) {
          add_accounts_in(v.value, c.accounts);
          if (p->variables_enabled() && has_variable(v.value)) variables = true;
        }
        if (!op || op->family == OperatorFamily::null) continue;
        const bool like = op->comparison == Comparison::like;
        for (const policy::Text& v : clause.values) {
          if (key == "aws:principalarn") {
            add_principal_arn_pattern(v.value, like || op->family == OperatorFamily::arn,
                                      op->ignore_case, c);
          } else if (key == "aws:principalaccount" || key == "kms:calleraccount") {
            c.account_patterns.push_back(
                {v.value, like ? CellPattern::Mode::glob : CellPattern::Mode::literal});
          } else if (key == "aws:principalservicename") {
            c.service_patterns.push_back(
                {v.value, like ? CellPattern::Mode::glob : CellPattern::Mode::literal,
                 op->ignore_case});
          }
        }
      }
    }
  }
  c.variables = variables;
  if (variables)
    c.incomplete.push_back("a policy variable is treated as matching anything (not modelled)");
  return c;
}

// ---- Values of one condition key
// -------------------------------------------------------------------

struct KeyOption {
  bool present = false;
  ContextValue value;
};

std::string number_text(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

// The single values that tell the key's clauses apart.
std::vector<std::string> key_values(const std::string& key, const KeyClauses& k,
                                    const SpaceSpec& spec, std::vector<std::string>& incomplete,
                                    bool variables) {
  std::vector<CellPattern> strings;
  std::vector<std::string> preferred;
  std::set<double> numbers;
  std::set<double> dates;
  std::vector<std::string> extra;
  std::size_t ip_ranges = 0;
  for (const policy::ConditionClause* clause : k.clauses) {
    const auto op = parse_operator(clause->op.value);
    if (!op) continue;
    for (const policy::Text& v : clause->values) {
      if (v.value == policy::kUnknownValue) {
        incomplete.push_back(fmt::format("{}: a value known only when deployed", k.spelling));
        continue;
      }
      const std::string text = variables ? without_variables(v.value) : v.value;
      switch (op->family) {
        case OperatorFamily::string:
          strings.push_back({text,
                             op->comparison == Comparison::like || text != v.value
                                 ? CellPattern::Mode::glob
                                 : CellPattern::Mode::literal,
                             op->ignore_case});
          if (!has_variable(v.value) && text.find_first_of("*?") == std::string::npos)
            preferred.push_back(text);
          break;
        case OperatorFamily::arn:
          strings.push_back({text, CellPattern::Mode::arn, false});
          if (text.find_first_of("*?") == std::string::npos) preferred.push_back(text);
          break;
        case OperatorFamily::numeric:
          if (auto n = parse_number(v.value)) numbers.insert(*n);
          break;
        case OperatorFamily::date:
          if (auto d = parse_date(v.value)) dates.insert(*d);
          break;
        case OperatorFamily::boolean:
          extra.insert(extra.end(), {"true", "false"});
          break;
        case OperatorFamily::ip:
          if (auto ip = parse_ip(v.value)) {
            ++ip_ranges;
            extra.push_back(std::string(v.value.substr(0, v.value.find('/'))));
          }
          break;
        case OperatorFamily::binary:
          extra.push_back(v.value);
          break;
        case OperatorFamily::null:
          break;
      }
    }
  }
  // Each family splits the values its own way; a value in two families' classes at once (a
  // number that is also a string pattern's) is not constructed.
  const int families = static_cast<int>(!strings.empty()) + static_cast<int>(!numbers.empty()) +
                       static_cast<int>(!dates.empty()) + static_cast<int>(ip_ranges > 0);
  if (families > 1)
    incomplete.push_back(fmt::format("{}: compared by operators of different types", k.spelling));
  std::vector<std::string> values;
  if (!strings.empty()) {
    CellOptions options;
    options.state_budget = spec.cell_budget;
    options.preferred = preferred;
    // Real-looking values for values outside every pattern.
    if (auto it = spec.example_values.find(key); it != spec.example_values.end())
      options.preferred.insert(options.preferred.end(), it->second.begin(), it->second.end());
    const CellSet cells = string_cells(strings, options);
    if (!cells.complete)
      incomplete.push_back(fmt::format("{}: {}", k.spelling, cells.incomplete_reason));
    for (const Cell& cell : cells.cells) values.push_back(cell.witness);
  }
  if (!numbers.empty()) {
    double previous = *numbers.begin() - 1;
    values.push_back(number_text(previous));
    for (const double n : numbers) {
      if (n - previous > 1e-9 && previous != *numbers.begin() - 1)
        values.push_back(number_text((n + previous) / 2));
      values.push_back(number_text(n));
      previous = n;
    }
    values.push_back(number_text(*numbers.rbegin() + 1));
  }
  if (!dates.empty()) {
    for (const double d : dates) {
      for (const double delta : {-1.0, 0.0, 1.0}) values.push_back(number_text(d + delta));
    }
    if (dates.size() > 1)
      incomplete.push_back(
          fmt::format("{}: dates are tried only at the policy's instants", k.spelling));
  }
  if (ip_ranges > 0) {
    extra.push_back("203.0.113.7");
    extra.push_back("2001:db8::7");
    if (ip_ranges > 1)
      incomplete.push_back(fmt::format("{}: IP ranges are tried one address each", k.spelling));
  }
  values.insert(values.end(), extra.begin(), extra.end());
  if (values.empty()) values.push_back("example");  // only Null clauses: any value will do
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::vector<KeyOption> key_options(const std::vector<std::string>& values, const KeyClauses& k,
                                   std::vector<std::string>& incomplete) {
  std::vector<KeyOption> options;
  if (!k.multivalued) {
    for (const std::string& v : values) options.push_back({true, ContextValue{{v}, false}});
    return options;
  }
  // A set's clauses each need at most one element to be true (ForAnyValue) or false
  // (ForAllValues), so subsets of up to as many elements as there are clauses decide them all.
  std::size_t width = std::min<std::size_t>(std::max<std::size_t>(k.clauses.size(), 1), 3);
  if (k.clauses.size() > 3)
    incomplete.push_back(
        fmt::format("{}: sets of more than three values are not tried", k.spelling));
  // Bounded: past about 2,000 sets, smaller ones only (and the answer is not a proof).
  const std::size_t n_values = values.size();
  while (width > 1 &&
         (width == 3 ? n_values * n_values * n_values / 6 : n_values * n_values / 2) > 2000) {
    --width;
    incomplete.push_back(fmt::format("{}: too many values to try every set of them", k.spelling));
  }
  options.push_back({true, ContextValue{{}, true}});
  const std::size_t n = values.size();
  for (std::size_t i = 0; i < n; ++i) {
    options.push_back({true, ContextValue{{values[i]}, true}});
    if (width < 2) continue;
    for (std::size_t j = i + 1; j < n; ++j) {
      options.push_back({true, ContextValue{{values[i], values[j]}, true}});
      if (width < 3) continue;
      for (std::size_t l = j + 1; l < n; ++l)
        options.push_back({true, ContextValue{{values[i], values[j], values[l]}, true}});
    }
  }
  return options;
}

// ---- Principals
// -----------------------------------------------------------------------------------

struct PrincipalOption {
  RequestPrincipal principal;
  std::vector<std::pair<std::string, std::string>> tied;  // lower-case key, value
  std::string account;
  bool sends_source_keys = false;
};

std::vector<PrincipalOption> principals(const SpaceSpec& spec, Collected& c) {
  std::vector<PrincipalOption> out;
  if (spec.anonymous) {
    PrincipalOption anonymous;
    anonymous.principal = {RequestPrincipal::Kind::anonymous, ""};
    out.push_back(std::move(anonymous));
  }

  // Service principals: those named, those asked for, and one that nobody names.
  std::vector<std::string> services(c.services.begin(), c.services.end());
  services.insert(services.end(), spec.services.begin(), spec.services.end());
  {
    CellOptions options;
    options.state_budget = spec.cell_budget;
    options.preferred = services;
    options.preferred.insert(options.preferred.end(), spec.example_services.begin(),
                             spec.example_services.end());
    for (const char* s : {"delivery.logs.amazonaws.com", "cloudtrail.amazonaws.com",
                          "config.amazonaws.com", "logging.s3.amazonaws.com"})
      options.preferred.emplace_back(s);
    options.required.push_back({"?*.amazonaws.com", CellPattern::Mode::glob});
    const CellSet cells = string_cells(c.service_patterns, options);
    if (!cells.complete) c.incomplete.push_back("service principals: " + cells.incomplete_reason);
    for (const Cell& cell : cells.cells) services.push_back(cell.witness);
  }
  std::sort(services.begin(), services.end());
  services.erase(std::unique(services.begin(), services.end()), services.end());
  for (const std::string& s : services) {
    const bool source = spec.sends_source_keys && spec.sends_source_keys(s);
    PrincipalOption option;
    option.principal = {RequestPrincipal::Kind::service, s};
    option.tied = {{"aws:principalisawsservice", "true"}, {"aws:principalservicename", s}};
    option.sends_source_keys = source;
    out.push_back(std::move(option));
  }

  // AWS principals: each class of account, each class of identity name within it.
  std::vector<std::string> accounts(c.accounts.begin(), c.accounts.end());
  accounts.insert(accounts.end(), spec.accounts.begin(), spec.accounts.end());
  {
    CellOptions options;
    options.state_budget = spec.cell_budget;
    options.preferred = accounts;
    for (const char* a : {"111122223333", "444455556666", "777788889999"})
      options.preferred.emplace_back(a);
    options.required.push_back({"????????????", CellPattern::Mode::glob});
    const CellSet cells = string_cells(c.account_patterns, options);
    if (!cells.complete) c.incomplete.push_back("accounts: " + cells.incomplete_reason);
    for (const Cell& cell : cells.cells) accounts.push_back(cell.witness);
    // The patterns do not tell the owner's accounts from a stranger's ("*" names both; a cell's
    // witness is the first preferred account, an owner's), but the caller's classes do: one
    // account that is neither named nor the owner's is always tried.
    for (const char* a : {"111122223333", "444455556666", "777788889999"}) {
      if (std::find(accounts.begin(), accounts.end(), a) != accounts.end()) continue;
      accounts.emplace_back(a);
      break;
    }
  }
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  // Bounded: each account's names are a search of their own.
  constexpr std::size_t kMaxAccounts = 256;
  if (accounts.size() > kMaxAccounts) {
    c.incomplete.push_back(fmt::format("more than {} accounts are not all tried", kMaxAccounts));
    std::vector<std::string> kept(spec.accounts.begin(), spec.accounts.end());
    for (const std::string& a : accounts) {
      if (kept.size() >= kMaxAccounts) break;
      if (std::find(kept.begin(), kept.end(), a) == kept.end()) kept.push_back(a);
    }
    accounts = std::move(kept);
  }
  // The identity names that tell principals of `account` apart (cached by which patterns apply).
  std::map<std::vector<bool>, std::vector<std::string>> names_by_patterns;
  auto names_in = [&](const std::string& account) -> const std::vector<std::string>& {
    std::vector<bool> applies;
    std::vector<CellPattern> patterns;
    for (const auto& [account_part, name_part] : c.identity_patterns) {
      applies.push_back(cell_pattern_matches(account_part, account));
      if (applies.back()) patterns.push_back(name_part);
    }
    auto [it, inserted] = names_by_patterns.try_emplace(std::move(applies));
    if (!inserted) return it->second;
    std::vector<std::string>& names = it->second;
    names.emplace_back("root");
    for (const char* form : {"role/?*", "user/?*"}) {
      CellOptions options;
      options.state_budget = spec.cell_budget;
      options.required.push_back({form, CellPattern::Mode::glob});
      for (const CellPattern& p : patterns) {
        if (p.text.find_first_of("*?") == std::string::npos) options.preferred.push_back(p.text);
      }
      options.preferred.push_back(form[0] == 'r' ? "role/Auditor" : "user/analyst");
      // No pattern names anyone in this account: its roles and users all behave alike.
      if (patterns.empty() && form[0] == 'u') continue;
      const CellSet cells = string_cells(patterns, options);
      if (!cells.complete) c.incomplete.push_back("principal ARNs: " + cells.incomplete_reason);
      for (const Cell& cell : cells.cells) names.push_back(cell.witness);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
  };
  std::set<std::string> added;
  auto add_aws = [&](const std::string& account, const std::string& arn) {
    if (!added.insert(arn).second) return;
    // An assumed-role session's aws:PrincipalArn is its role's ARN ("AWS global condition
    // context keys", aws:PrincipalArn).
    std::string principal_arn = arn;
    std::string_view parts[6];
    if (split_arn(arn, parts) && parts[2] == "sts" && parts[5].starts_with("assumed-role/")) {
      std::string_view role = parts[5].substr(13);
      role = role.substr(0, role.find('/'));
      principal_arn = fmt::format("arn:{}:iam::{}:role/{}", parts[1], parts[4], role);
    }
    PrincipalOption option;
    option.principal = {RequestPrincipal::Kind::aws, arn};
    option.tied = {{"aws:principalaccount", account},
                   {"aws:principalarn", principal_arn},
                   {"aws:principalisawsservice", "false"},
                   {"kms:calleraccount", account}};
    option.account = account;
    out.push_back(std::move(option));
  };
  for (const std::string& account : accounts) {
    for (const std::string& name : names_in(account))
      add_aws(account, fmt::format("arn:{}:iam::{}:{}", spec.partition, account, name));
  }
  // Principal ARNs named literally that the forms above miss: an assumed-role session, an
  // account that is not 12 digits (CloudFront's origin access identities: iam::cloudfront).
  for (const std::string& arn : c.aws_identities) {
    std::string_view parts[6];
    if (split_arn(arn, parts)) add_aws(std::string(parts[4]), arn);
  }
  return out;
}

std::vector<std::string> action_values(const SpaceSpec& spec, Collected& c) {
  if (!spec.actions.empty()) return spec.actions;
  CellOptions options;
  options.state_budget = spec.cell_budget;
  options.required.push_back({"?*:?*", CellPattern::Mode::glob});
  // Real action names first: a witness is a request someone could make. Only the services the
  // patterns name can hold a class (every class but "none of them", which any other shows).
  std::set<std::string> services;
  bool any_service = false;
  for (const CellPattern& p : c.actions) {
    const std::string prefix = to_lower(p.text.substr(0, p.text.find(':')));
    if (prefix.find_first_of("*?") != std::string::npos) any_service = true;
    services.insert(prefix);
  }
  for (const char* service : {"s3", "kms", "guardduty", "iam"}) {
    if (!any_service && !services.contains(service)) continue;
    for (const std::string_view a : data::actions_of(service)) options.preferred.emplace_back(a);
  }
  options.preferred.emplace_back("ec2:DescribeInstances");  // outside every pattern, usually
  // The schema sets actions apart too: a service's keys come only with its actions, the S3
  // encryption headers only with PutObject.
  std::vector<CellPattern> patterns = c.actions;
  for (const auto& [key, clauses] : c.keys) {
    const std::string prefix = key.substr(0, key.find(':'));
    if (prefix != "aws" && key.find(':') != std::string::npos)
      patterns.push_back({prefix + ":*", CellPattern::Mode::glob, true});
    if (key.starts_with("s3:x-amz-server-side-encryption"))
      patterns.push_back({"s3:PutObject", CellPattern::Mode::literal, true});
  }
  const CellSet cells = string_cells(patterns, options);
  if (!cells.complete) c.incomplete.push_back("actions: " + cells.incomplete_reason);
  std::vector<std::string> out;
  for (const Cell& cell : cells.cells) out.push_back(cell.witness);
  return out;
}

std::vector<std::string> resource_values(const SpaceSpec& spec, Collected& c) {
  CellOptions options;
  options.state_budget = spec.cell_budget;
  options.required = spec.resource_within;
  options.preferred = spec.preferred_resources;
  std::vector<CellPattern> patterns = c.resources;
  patterns.insert(patterns.end(), spec.resource_splits.begin(), spec.resource_splits.end());
  const CellSet cells = string_cells(patterns, options);
  if (!cells.complete) c.incomplete.push_back("resources: " + cells.incomplete_reason);
  std::vector<std::string> out;
  for (const Cell& cell : cells.cells) out.push_back(cell.witness);
  return out;
}

}  // namespace

std::string principal_account(const RequestPrincipal& principal) {
  if (principal.kind != RequestPrincipal::Kind::aws) return {};
  if (principal.value.size() == 12) return principal.value;
  std::string_view parts[6];
  if (!split_arn(principal.value, parts)) return {};
  return std::string(parts[4]);
}

SpaceStats enumerate_requests(const SpaceSpec& spec, const SpaceVisitor& visit) {
  SpaceStats stats;
  Collected c = collect(spec);
  std::vector<Evaluator> evaluators;
  evaluators.reserve(spec.policies.size());
  for (const policy::Policy* p : spec.policies) evaluators.emplace_back(*p, spec.type);

  const std::vector<PrincipalOption> who = principals(spec, c);
  const std::vector<std::string> actions = action_values(spec, c);
  const std::vector<std::string> resources = resource_values(spec, c);
  std::map<std::string, std::vector<std::string>> values_of;  // per key, single values
  std::map<std::string, std::vector<KeyOption>> options_of;   // per key, values and sets
  for (const auto& [key, k] : c.keys)
    values_of[key] = key_values(key, k, spec, c.incomplete, c.variables);

  // Which statements' clauses can matter for a principal, action and resource: those whose
  // Principal, Action and Resource all match (the evaluator stops at the first that does not).
  std::vector<Evaluation> evaluations(evaluators.size());
  auto evaluate = [&](const Request& r) {
    for (std::size_t i = 0; i < evaluators.size(); ++i)
      evaluations[i] = evaluators[i].evaluate(r, false);
    ++stats.evaluated;
  };

  for (const PrincipalOption& p : who) {
    for (const std::string& action : actions) {
      for (const std::string& resource : resources) {
        Request base;
        base.principal = p.principal;
        base.action = action;
        base.resource = resource;
        for (const auto& [key, value] : p.tied) {
          if (key_fits_action(key, action)) base.context[key] = ContextValue{{value}, false};
        }
        if (stats.evaluated >= spec.budget) {
          stats.complete = false;
          stats.incomplete.push_back(fmt::format("the budget of {} requests ran out", spec.budget));
          goto done;
        }
        evaluate(base);
        std::set<std::string> relevant;
        for (std::size_t i = 0; i < evaluators.size(); ++i) {
          for (const StatementTrace& t : evaluations[i].statements) {
            if (!t.applies && t.element != "Condition") continue;
            const policy::Statement* s = nullptr;
            for (const policy::Statement& st : spec.policies[i]->statements) {
              if (st.index == t.index) s = &st;
            }
            if (s == nullptr) continue;
            for (const policy::ConditionClause& clause : s->conditions)
              relevant.insert(to_lower(clause.key.value));
          }
        }
        // Each relevant key's options for this principal and action.
        std::vector<std::string> keys;
        std::vector<std::vector<KeyOption>> options;
        for (const std::string& key : relevant) {
          // A key the principal sets is fixed by it, and absent where it sets none: for a
          // service principal, kms:CallerAccount and kms:ViaService (sent for IAM principals'
          // calls) too.
          const KeyRole role = role_of(key);
          if (role == KeyRole::tied) continue;
          std::vector<KeyOption> opts;
          const bool allowed =
              key_fits_action(key, action) &&
              !(role == KeyRole::service_only &&
                p.principal.kind != RequestPrincipal::Kind::service) &&
              !(role == KeyRole::iam_only && p.principal.kind != RequestPrincipal::Kind::aws);
          const bool must =
              role == KeyRole::always ||
              (p.sends_source_keys && (key == "aws:sourceaccount" || key == "aws:sourcearn"));
          if (!must || !allowed) opts.push_back({false, {}});
          if (allowed) {
            auto [it, inserted] = options_of.try_emplace(key);
            if (inserted) it->second = key_options(values_of.at(key), c.keys.at(key), c.incomplete);
            opts.insert(opts.end(), it->second.begin(), it->second.end());
          }
          keys.push_back(key);
          options.push_back(std::move(opts));
        }
        if (keys.empty()) {
          if (!visit(base, evaluations)) {
            stats.stopped = true;
            goto done;
          }
          continue;
        }
        // The product of the keys' options, as an odometer.
        std::vector<std::size_t> at(keys.size(), 0);
        while (true) {
          Request r = base;
          for (std::size_t i = 0; i < keys.size(); ++i) {
            const KeyOption& o = options[i][at[i]];
            if (o.present) r.context[keys[i]] = o.value;
          }
          if (stats.evaluated >= spec.budget) {
            stats.complete = false;
            stats.incomplete.push_back(
                fmt::format("the budget of {} requests ran out", spec.budget));
            goto done;
          }
          evaluate(r);
          if (!visit(r, evaluations)) {
            stats.stopped = true;
            goto done;
          }
          std::size_t i = 0;
          while (i < keys.size() && ++at[i] == options[i].size()) at[i++] = 0;
          if (i == keys.size()) break;
        }
      }
    }
  }
done:
  std::sort(c.incomplete.begin(), c.incomplete.end());
  c.incomplete.erase(std::unique(c.incomplete.begin(), c.incomplete.end()), c.incomplete.end());
  for (std::string& why : c.incomplete) stats.incomplete.push_back(std::move(why));
  if (!stats.incomplete.empty()) stats.complete = false;
  return stats;
}

std::string request_to_json(const Request& request) {
  auto quote = [](std::string_view s) { return "\"" + escape_json_string(s) + "\""; };
  std::string principal;
  switch (request.principal.kind) {
    case RequestPrincipal::Kind::anonymous:
      principal = "\"*\"";
      break;
    case RequestPrincipal::Kind::aws:
      principal = "{\"AWS\": " + quote(request.principal.value) + "}";
      break;
    case RequestPrincipal::Kind::service:
      principal = "{\"Service\": " + quote(request.principal.value) + "}";
      break;
  }
  std::string context;
  for (const auto& [key, value] : request.context) {
    if (!context.empty()) context += ", ";
    const data::ConditionKey* known = data::find_condition_key(key);
    const std::string_view name =
        known != nullptr && known->name.find("${") == std::string_view::npos ? known->name : key;
    context += quote(name) + ": ";
    if (value.multivalued) {
      std::string list;
      for (const std::string& v : value.values) list += (list.empty() ? "" : ", ") + quote(v);
      context += "[" + list + "]";
    } else {
      context += quote(value.values.empty() ? "" : value.values.front());
    }
  }
  return fmt::format("{{\"principal\": {}, \"action\": {}, \"resource\": {}, \"context\": {{{}}}}}",
                     principal, quote(request.action), quote(request.resource), context);
}

}  // namespace gdl::iam
