// Every rule in rules/ is implemented exactly once: the engine reports GD000, the front end
// GD001-GD004 and the container readers GD007; the registry holds every other rule, and every
// registered rule has metadata. A rule that fails costs only its own findings.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "analysis/pipeline.h"
#include "checks/policy_rule.h"
#include "checks/setup_rule.h"
#include "diag/rule_catalog.h"

TEST_CASE("registry and rule metadata agree") {
  std::multiset<std::string> registered;
  for (const auto& rule : gdl::policy_rules()) registered.insert(std::string(rule->id()));
  for (const auto& rule : gdl::setup_rules()) registered.insert(std::string(rule->id()));
  const std::set<std::string> front_end = {"GD000", "GD001", "GD002", "GD003", "GD004", "GD007"};
  for (const gdl::RuleInfo& info : gdl::all_rules()) {
    CAPTURE(info.id);
    CHECK(registered.count(info.id) == (front_end.contains(info.id) ? 0U : 1U));
  }
  for (const std::string& id : registered) {
    CAPTURE(id);
    CHECK(gdl::find_rule(id) != nullptr);
  }
}

namespace {

class FailingRule final : public gdl::SetupRule {
 public:
  FailingRule() { set_id("GD302"); }
  void check(const gdl::SetupContext& /*context*/,
             std::vector<gdl::Diagnostic>& out) const override {
    out.push_back(gdl::make_diagnostic("GD302", {}, "a finding made before failing"));
    throw std::out_of_range("vector::at");
  }
};

}  // namespace

TEST_CASE("a rule that throws becomes GD000 on that input; the other rules still report") {
  const gdl::SourceFile source("key.json", R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "kms:GenerateDataKey", "Resource": "KMS key ARN"}]})");
  gdl::LintOptions options;
  options.extra_rules.push_back(std::make_shared<FailingRule>());
  const auto diagnostics = gdl::lint_setup({&source}, {}, options).diagnostics;
  std::multiset<std::string> ids;
  for (const gdl::Diagnostic& d : diagnostics) ids.insert(d.rule_id);
  CHECK(ids.count("GD000") == 1);
  // The placeholder is still found: on its own, or told with the GD201 its value causes.
  const bool placeholder_found =
      std::any_of(diagnostics.begin(), diagnostics.end(), [](const gdl::Diagnostic& d) {
        return d.rule_id == "GD005" ||
               std::any_of(d.notes.begin(), d.notes.end(), [](const std::string& note) {
                 return note.find("[GD005 placeholder-left]") != std::string::npos;
               });
      });
  CHECK(placeholder_found);
  CHECK(ids.count("GD302") == 0);  // the failed rule's partial findings are dropped
  for (const gdl::Diagnostic& d : diagnostics) {
    if (d.rule_id != "GD000") continue;
    CHECK(d.message.find("rule GD302 failed") != std::string::npos);
    CHECK(d.location.file == "key.json");
  }
}
