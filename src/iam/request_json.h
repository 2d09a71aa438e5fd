#pragma once
// Reads a request from JSON: {"principal": {"Service": "..."} | {"AWS": "arn or account"} | "*",
// "action": "s3:PutObject", "resource": "arn:...", "context": {"key": "value" | ["v1", "v2"]}}.

#include <string>
#include <variant>

#include "iam/request.h"
#include "json/value.h"

namespace gdl::iam {

// A Request, or a message saying what is wrong with the JSON.
std::variant<Request, std::string> request_from_json(const json::Value& value);

}  // namespace gdl::iam
