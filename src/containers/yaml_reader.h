#pragma once
// YAML (CloudFormation templates) into the located JSON tree, through yaml-cpp. Short-form
// intrinsic tags become their long form: `!Sub "x"` is {"Fn::Sub": "x"}, `!GetAtt A.Arn` is
// {"Fn::GetAtt": ["A", "Arn"]}. Spans are byte ranges of the user's file.

#include <optional>
#include <vector>

#include "diag/diagnostic.h"
#include "json/value.h"
#include "source/source_file.h"

namespace gdl::containers {

struct YamlResult {
  std::optional<json::Value> root;
  bool repaired = false;  // a line with a syntax error was left out to read the rest
  std::vector<Diagnostic> diagnostics;
};

YamlResult read_yaml(const SourceFile& source);

}  // namespace gdl::containers
