// The differential suite: testdata/oracle/vectors.jsonl (copied from shared/oracle) holds
// policy + request cases labelled with AWS's decision; the evaluator must agree on every one.
// testdata/oracle/extra.jsonl holds our own cases in the same format.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sstream>
#include <variant>

#include "iam/evaluator.h"
#include "iam/request_json.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "test_support.h"

namespace {

struct Outcome {
  std::string decision;
  std::string error;
};

Outcome run_vector(const std::string& line) {
  const gdl::SourceFile source("vector", line);
  auto parsed = gdl::json::parse(source);
  if (!parsed.root || !parsed.diagnostics.empty()) return {"", "vector is not valid JSON"};
  const auto* policy_member = parsed.root->find("policy");
  const auto* request_member = parsed.root->find("request");
  if (policy_member == nullptr || request_member == nullptr)
    return {"", "vector lacks policy or request"};
  auto built = gdl::policy::build_policy(policy_member->value, source);
  if (!built.policy) return {"", "policy could not be built"};
  auto request = gdl::iam::request_from_json(request_member->value);
  if (auto* error = std::get_if<std::string>(&request)) return {"", *error};
  const gdl::iam::Evaluator evaluator(*built.policy);
  return {std::string(gdl::iam::to_string(
              evaluator.evaluate(std::get<gdl::iam::Request>(request)).decision)),
          ""};
}

void check_file(const char* name, std::size_t minimum) {
  std::istringstream in(
      gdl::test::read_file(gdl::test::source_dir() / "testdata" / "oracle" / name));
  std::size_t count = 0;
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    ++count;
    const gdl::SourceFile source("vector", line);
    auto parsed = gdl::json::parse(source);
    REQUIRE(parsed.root);
    const auto* expected = parsed.root->find("decision");
    REQUIRE(expected != nullptr);
    const auto* tag = parsed.root->find("tag");
    CAPTURE(name);
    CAPTURE(line_number);
    CAPTURE(tag != nullptr ? tag->value.text : std::string());
    const Outcome outcome = run_vector(line);
    CHECK(outcome.error == "");
    CHECK(outcome.decision == expected->value.text);
  }
  CHECK(count >= minimum);
}

}  // namespace

TEST_CASE("oracle vectors: the evaluator agrees with AWS's documented decision on every one") {
  check_file("vectors.jsonl", 402);
}

TEST_CASE("our own evaluator vectors") {
  check_file("extra.jsonl", 1);
}
