// Every rule in rules/ is implemented exactly once: the front end reports GD001-GD004 (and the
// container readers GD007), the registry holds every other rule, and every registered rule has
// metadata.

#include <doctest/doctest.h>

#include <set>

#include "report/rule_catalog.h"
#include "rules/policy_rule.h"
#include "rules/setup_rule.h"

TEST_CASE("registry and rule metadata agree") {
  std::multiset<std::string> registered;
  for (const auto& rule : gdl::policy_rules()) registered.insert(std::string(rule->id()));
  for (const auto& rule : gdl::setup_rules()) registered.insert(std::string(rule->id()));
  const std::set<std::string> front_end = {"GD001", "GD002", "GD003", "GD004", "GD007"};
  for (const gdl::RuleInfo& info : gdl::all_rules()) {
    CAPTURE(info.id);
    CHECK(registered.count(info.id) == (front_end.contains(info.id) ? 0U : 1U));
  }
  for (const std::string& id : registered) {
    CAPTURE(id);
    CHECK(gdl::find_rule(id) != nullptr);
  }
}
