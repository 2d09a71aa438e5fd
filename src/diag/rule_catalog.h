#pragma once
// Rule metadata (rules/*.json), compiled into the binary and parsed once on first use.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"

namespace gdl {

// What a rule's conclusion rests on, so the pipeline can tell which findings a value unknown
// offline (a template's Fn::ImportValue, a Terraform interpolation) makes uncertain.
enum class RuleNeeds {
  document,     // the document's own text (grammar): values that are known
  setup,        // simulated requests of an export setup
  every_allow,  // "nothing allows it": certain only when every Allow is known
  every_deny,   // "nothing denies it": certain only when every Deny is known
  // "someone else's request is allowed": the Allow it points at, and every Deny, are known
  allowed,
};

// What applying a rule's fix does (ruff's safe and unsafe fixes): `safe` keeps what the document
// means as its author evidently wrote it (syntax, a value AWS rejects); `unsafe` adds or removes
// statements or changes who has access, and is applied only with --unsafe-fixes.
enum class FixKind { none, safe, unsafe };

std::optional<FixKind> parse_fix_kind(std::string_view text);
std::string_view to_string(FixKind kind);

struct RuleInfo {
  std::string id;    // "GD001"
  std::string name;  // "json-syntax"
  Severity severity = Severity::error;
  std::string summary;  // one line
  std::string why;      // the rationale, a paragraph
  std::string example_bad;
  std::string example_good;
  std::string fix;  // how to fix, in words
  FixKind fix_kind = FixKind::unsafe;
  std::string anchor;  // README anchor of the rule's documentation
  RuleNeeds needs = RuleNeeds::setup;
  // For an every-allow or every-deny rule: the actions of the requests its conclusion is about
  // (s3:GetBucketLocation). A statement that cannot cover them does not make it uncertain.
  std::vector<std::string> requests;
  // Whether those requests are GuardDuty's (a service principal's): a statement whose unknown
  // values are account ARNs cannot cover them.
  bool requested_by_service = false;
  // Whether they are never GuardDuty's (another service's, another account's, anyone's): a
  // statement whose principals are GuardDuty's alone cannot cover them.
  bool requested_by_others = false;
};

// "document", "setup", "every-allow", "every-deny", "allowed".
std::optional<RuleNeeds> parse_rule_needs(std::string_view text);

// All rules, sorted by id. Aborts with a message if the embedded metadata is malformed: that is a
// build defect caught by the test suite, never a user input problem.
std::span<const RuleInfo> all_rules();

// Adds a rule defined at run time (`--rules DIR`). False if its id or name is taken. Call it
// before checking starts: it may move the catalog (earlier RuleInfo pointers become invalid).
bool register_rule(RuleInfo rule);

// Removes a rule added with register_rule (the run that added it is over).
void unregister_rule(std::string_view id);

// Looks a rule up by id ("GD001") or name ("json-syntax"), case-insensitively.
const RuleInfo* find_rule(std::string_view id_or_name);

// The rule `text` is most likely a misspelling of (by id or name), for a did-you-mean; nullptr
// when none is close.
const RuleInfo* closest_rule(std::string_view text);

// A diagnostic for `rule_id` with its name and default severity filled in from the catalog.
Diagnostic make_diagnostic(std::string_view rule_id, Location location, std::string message);

// The documentation URL of a rule (README section).
std::string rule_help_uri(const RuleInfo& rule);

}  // namespace gdl
