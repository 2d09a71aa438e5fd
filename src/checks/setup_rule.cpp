#include "checks/setup_rule.h"

namespace gdl {

std::vector<const exportcfg::PolicyDocument*> SetupContext::of_kind(documents::Kind kind) const {
  std::vector<const exportcfg::PolicyDocument*> result;
  for (const auto& doc : documents) {
    if (doc->kind == kind && !doc->too_large) result.push_back(doc.get());
  }
  return result;
}

}  // namespace gdl
