#include "iam/request_json.h"

#include <fmt/format.h>

namespace gdl::iam {

namespace {
std::string scalar_text(const json::Value& v) {
  if (v.kind == json::Kind::boolean) return v.boolean ? "true" : "false";
  return v.text;
}
bool is_scalar(const json::Value& v) {
  return v.kind == json::Kind::string || v.kind == json::Kind::number ||
         v.kind == json::Kind::boolean;
}
}  // namespace

std::variant<Request, std::string> request_from_json(const json::Value& value) {
  if (!value.is_object()) return std::string("a request must be a JSON object");
  Request request;
  bool has_principal = false;
  for (const json::Member& m : value.members) {
    if (m.key == "principal") {
      has_principal = true;
      if (m.value.is_string() && m.value.text == "*") {
        request.principal.kind = RequestPrincipal::Kind::anonymous;
      } else if (m.value.is_object() && m.value.members.size() == 1 &&
                 m.value.members[0].value.is_string()) {
        const json::Member& p = m.value.members[0];
        if (p.key == "Service") {
          request.principal = {RequestPrincipal::Kind::service, p.value.text};
        } else if (p.key == "AWS") {
          request.principal = {RequestPrincipal::Kind::aws, p.value.text};
        } else {
          return fmt::format("unknown principal type \"{}\" (use \"AWS\" or \"Service\")", p.key);
        }
      } else {
        return std::string(
            "\"principal\" must be \"*\" (anonymous), {\"AWS\": \"arn or account id\"} or "
            "{\"Service\": \"name\"}");
      }
    } else if (m.key == "action") {
      if (!m.value.is_string())
        return std::string("\"action\" must be a string such as \"s3:PutObject\"");
      request.action = m.value.text;
    } else if (m.key == "resource") {
      if (!m.value.is_string()) return std::string("\"resource\" must be an ARN string");
      request.resource = m.value.text;
    } else if (m.key == "context") {
      if (!m.value.is_object())
        return std::string("\"context\" must be an object of keys and values");
      for (const json::Member& key : m.value.members) {
        if (is_scalar(key.value)) {
          request.set(key.key, scalar_text(key.value));
        } else if (key.value.is_array()) {
          std::vector<std::string> values;
          for (const json::Value& item : key.value.items) {
            if (!is_scalar(item))
              return fmt::format("context key \"{}\": values must be strings", key.key);
            values.push_back(scalar_text(item));
          }
          request.set(key.key, std::move(values));
        } else {
          return fmt::format("context key \"{}\": a value must be a string or an array of strings",
                             key.key);
        }
      }
    } else {
      return fmt::format(
          "unknown request field \"{}\" (expected principal, action, resource, context)", m.key);
    }
  }
  if (!has_principal) return std::string("the request has no \"principal\"");
  if (request.action.empty()) return std::string("the request has no \"action\"");
  if (request.resource.empty()) return std::string("the request has no \"resource\"");
  return request;
}

}  // namespace gdl::iam
