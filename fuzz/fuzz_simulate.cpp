// libFuzzer harness: simulate on a {"policy": ..., "request": ...} pair.
#include <cstdint>
#include <string>
#include <variant>

#include "iam/evaluator.h"
#include "iam/request_json.h"
#include "json/parser.h"
#include "policy/builder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gdl::SourceFile source("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  auto parsed = gdl::json::parse(source);
  if (!parsed.root || !parsed.root->is_object()) return 0;
  const auto* policy = parsed.root->find("policy");
  const auto* request = parsed.root->find("request");
  if (policy == nullptr || request == nullptr) return 0;
  auto built = gdl::policy::build_policy(policy->value, source);
  auto r = gdl::iam::request_from_json(request->value);
  if (!built.policy || !std::holds_alternative<gdl::iam::Request>(r)) return 0;
  const gdl::iam::Evaluator evaluator(*built.policy);
  (void)evaluator.evaluate(std::get<gdl::iam::Request>(r), true);
  (void)evaluator.evaluate(std::get<gdl::iam::Request>(r), false);
  return 0;
}
