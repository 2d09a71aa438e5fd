#pragma once
// A request as the evaluator sees it: who asks, for what action, on which resource, with which
// request context. Nothing is implied: a context key that is not listed is absent.

#include <map>
#include <string>
#include <vector>

namespace gdl::iam {

struct RequestPrincipal {
  enum class Kind { anonymous, aws, service };
  Kind kind = Kind::anonymous;
  std::string value;  // an ARN or 12-digit account id (aws), a service name (service)
};

struct ContextValue {
  std::vector<std::string> values;
  bool multivalued = false;  // given as an array
};

struct Request {
  RequestPrincipal principal;
  std::string action;
  std::string resource;
  // Keyed by the lower-cased key name: condition key names are case-insensitive.
  std::map<std::string, ContextValue, std::less<>> context;

  void set(std::string_view key, std::string value);
  void set(std::string_view key, std::vector<std::string> values);
  [[nodiscard]] const ContextValue* find(std::string_view key) const;
};

}  // namespace gdl::iam
