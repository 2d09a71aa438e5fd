#include "report/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "analysis/baseline.h"
#include "report/json_writer.h"

namespace gdl {

std::string baseline_json(const std::vector<Diagnostic>& diagnostics, const std::string& root) {
  std::ostringstream out;
  JsonOut j(out);
  j.begin_object();
  j.field("tool", "gd-export-lint");
  j.field("baselineVersion", 1);
  j.key("findings");
  j.begin_array();
  for (const Diagnostic& d : diagnostics) {
    if (d.suppression_reason) continue;
    j.begin_object();
    const std::string file = baseline_file(d.location.file, root);
    j.field("fingerprint", fingerprint(d, file));
    j.field("ruleId", d.rule_id);
    j.field("file", file);
    j.field("message", d.message);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.finish();
  out << '\n';
  return out.str();
}

}  // namespace gdl
