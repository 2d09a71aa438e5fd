#include "analysis/project_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "analysis/discover.h"
#include "diag/rule_catalog.h"
#include "json/parser.h"
#include "source/loader.h"
#include "util/text.h"

namespace gdl::analysis {

namespace fs = std::filesystem;

namespace {

class Reader {
 public:
  Reader(const SourceFile& source, ProjectConfig& config, std::vector<Diagnostic>& out)
      : source_(source), config_(config), out_(out) {}

  void read(const json::Value& root) {
    if (!root.is_object())
      return error(root.span, "the project configuration must be a JSON object");
    for (const json::Member& m : root.members) {
      if (m.key == "exportSettings") {
        exportcfg::ConfigResult settings;
        exportcfg::read_settings_object(m.value, source_, settings);
        config_.settings = std::move(settings.settings);
        append(settings.diagnostics);
      } else if (m.key == "disable") {
        for (const std::string& rule : rule_list(m)) config_.disable.push_back(rule);
      } else if (m.key == "severity") {
        read_severity(m);
      } else if (m.key == "failOn") {
        if (auto v = string(m);
            v && (*v == "error" || *v == "warning" || *v == "note" || *v == "never")) {
          config_.fail_on = *v;
        } else {
          error(m.value.span, "\"failOn\" must be \"error\", \"warning\", \"note\" or \"never\"");
        }
      } else if (m.key == "include") {
        config_.include = strings(m);
      } else if (m.key == "exclude") {
        config_.exclude = strings(m);
      } else if (m.key == "ignore") {
        read_ignores(m);
      } else if (m.key == "suppressions") {
        read_suppressions(m);
      } else if (m.key == "setups") {
        read_setups(m);
      } else {
        static const std::vector<std::string_view> kKeys = {
            "exportSettings", "setups",  "disable", "severity",    "failOn",
            "include",        "exclude", "ignore",  "suppressions"};
        const std::string_view like = closest_match(m.key, kKeys);
        error(m.key_span,
              like.empty()
                  ? fmt::format("unknown key \"{}\"; the keys are exportSettings, setups, disable, "
                                "severity, failOn, include, exclude, ignore and suppressions",
                                m.key)
                  : fmt::format("unknown key \"{}\"; did you mean \"{}\"?", m.key, like));
      }
    }
  }

 private:
  void error(Span span, std::string message) {
    out_.push_back(make_diagnostic("GD004", make_location(source_, span), std::move(message)));
  }
  void append(std::vector<Diagnostic>& more) {
    out_.insert(out_.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  }

  std::optional<std::string> string(const json::Member& m) {
    if (m.value.is_string()) return m.value.text;
    error(m.value.span, fmt::format("\"{}\" must be a string", m.key));
    return std::nullopt;
  }

  std::vector<std::string> strings(const json::Member& m) {
    std::vector<std::string> result;
    if (!m.value.is_array()) {
      error(m.value.span, fmt::format("\"{}\" must be an array of strings", m.key));
      return result;
    }
    for (const json::Value& item : m.value.items) {
      if (item.is_string()) {
        result.push_back(item.text);
      } else {
        error(item.span, fmt::format("each \"{}\" entry must be a string", m.key));
      }
    }
    return result;
  }

  // "not a rule id or name", with the rule it looks like.
  static std::string not_a_rule(std::string_view text) {
    const RuleInfo* rule = closest_rule(text);
    if (rule == nullptr) return "not a rule id or name (see list-rules)";
    return fmt::format("not a rule id or name; did you mean {} ({})?", rule->id, rule->name);
  }

  std::vector<std::string> rule_list(const json::Member& m) {
    std::vector<std::string> ids;
    if (!m.value.is_array()) {
      error(m.value.span, fmt::format("\"{}\" must be an array of rule ids or names", m.key));
      return ids;
    }
    for (const json::Value& item : m.value.items) {
      const RuleInfo* rule = item.is_string() ? find_rule(item.text) : nullptr;
      if (rule == nullptr) {
        error(item.span, item.is_string() ? not_a_rule(item.text)
                                          : std::string("a rule id or name is a string"));
        continue;
      }
      ids.push_back(rule->id);
    }
    return ids;
  }

  void read_severity(const json::Member& m) {
    if (!m.value.is_object())
      return error(m.value.span, "\"severity\" maps rules to \"error\", \"warning\" or \"note\"");
    for (const json::Member& entry : m.value.members) {
      const RuleInfo* rule = find_rule(entry.key);
      const auto level = entry.value.is_string() ? parse_severity(entry.value.text) : std::nullopt;
      if (rule == nullptr) {
        error(entry.key_span, not_a_rule(entry.key));
      } else if (!level) {
        error(entry.value.span, "a severity is \"error\", \"warning\" or \"note\"");
      } else {
        config_.severity[rule->id] = *level;
      }
    }
  }

  void read_ignores(const json::Member& m) {
    if (!m.value.is_array())
      return error(m.value.span, "\"ignore\" is an array of {\"path\": GLOB, \"rules\": [...]}");
    for (const json::Value& item : m.value.items) {
      if (!item.is_object()) {
        error(item.span, "each ignore is {\"path\": GLOB, \"rules\": [...]}");
        continue;
      }
      Ignore ignore;
      for (const json::Member& f : item.members) {
        if (f.key == "path") {
          ignore.path = string(f).value_or("");
        } else if (f.key == "rules") {
          ignore.rules = rule_list(f);
        } else {
          error(f.key_span, fmt::format("unknown key \"{}\" in an ignore (path, rules)", f.key));
        }
      }
      if (ignore.path.empty()) error(item.span, "an ignore needs a \"path\" glob");
      config_.ignores.push_back(std::move(ignore));
    }
  }

  void read_suppressions(const json::Member& m) {
    if (!m.value.is_array()) return error(m.value.span, "\"suppressions\" is an array of objects");
    for (const json::Value& item : m.value.items) {
      if (!item.is_object()) {
        error(item.span, "each suppression is {\"path\", \"rule\", \"statement\"?, \"reason\"}");
        continue;
      }
      Suppression s;
      for (const json::Member& f : item.members) {
        if (f.key == "path") {
          s.path = string(f).value_or("");
        } else if (f.key == "rule") {
          const auto ids = rule_list(json::Member{f.key, f.key_span, wrap(f.value)});
          if (!ids.empty()) s.rule = ids.front();
        } else if (f.key == "statement") {
          if (f.value.is_string() || f.value.kind == json::Kind::number) {
            s.statement = f.value.text;
          } else {
            error(f.value.span, "\"statement\" is a Sid (string) or an index (number)");
          }
        } else if (f.key == "reason") {
          s.reason = string(f).value_or("");
        } else {
          error(f.key_span,
                fmt::format("unknown key \"{}\" in a suppression (path, rule, statement, reason)",
                            f.key));
        }
      }
      // A rule that is there but wrong was reported where it is written: one error, not two.
      const bool rule_written = std::any_of(item.members.begin(), item.members.end(),
                                            [](const json::Member& f) { return f.key == "rule"; });
      if (s.path.empty() || (s.rule.empty() && !rule_written))
        error(item.span, "a suppression needs \"path\" and \"rule\"");
      if (s.reason.empty())
        error(item.span, "a suppression needs a \"reason\": say why the finding is accepted");
      config_.suppressions.push_back(std::move(s));
    }
  }

  // A one-element array around a value, to reuse rule_list for a single rule.
  static json::Value wrap(const json::Value& v) {
    json::Value array(json::Kind::array, v.span);
    json::Value copy(v.kind, v.span);
    copy.text = v.text;
    array.items.push_back(std::move(copy));
    return array;
  }

  void read_setups(const json::Member& m) {
    if (!m.value.is_array())
      return error(m.value.span,
                   "\"setups\" is an array of {\"name\", \"documents\", \"settings\"}");
    for (const json::Value& item : m.value.items) {
      if (!item.is_object()) {
        error(item.span, "each setup is {\"name\", \"documents\": [...], \"settings\": {...}}");
        continue;
      }
      Setup setup;
      for (const json::Member& f : item.members) {
        if (f.key == "name") {
          setup.name = string(f).value_or("");
        } else if (f.key == "documents") {
          setup.documents = strings(f);
        } else if (f.key == "settings") {
          exportcfg::ConfigResult settings;
          exportcfg::read_settings_object(f.value, source_, settings);
          setup.settings = std::move(settings.settings);
          append(settings.diagnostics);
        } else {
          error(f.key_span,
                fmt::format("unknown key \"{}\" in a setup (name, documents, settings)", f.key));
        }
      }
      if (setup.documents.empty()) error(item.span, "a setup needs \"documents\"");
      config_.setups.push_back(std::move(setup));
    }
  }

  const SourceFile& source_;
  ProjectConfig& config_;
  std::vector<Diagnostic>& out_;
};

std::optional<fs::path> find_upwards() {
  std::error_code ec;
  const fs::path start = fs::current_path(ec);
  if (ec) return std::nullopt;
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    // A directory without the file is the common case, not an error that ends the search.
    std::error_code missing;
    const fs::path candidate = dir / ".gd-export-lint.json";
    if (fs::is_regular_file(candidate, missing)) return candidate;
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace

ProjectConfigResult load_project_config(const std::string& explicit_path) {
  ProjectConfigResult result;
  std::optional<fs::path> path;
  if (!explicit_path.empty()) {
    path = explicit_path;
  } else {
    path = find_upwards();
  }
  if (!path) return result;
  LoadResult loaded = load_source(path->string());
  if (auto* error = std::get_if<LoadError>(&loaded)) {
    const SourceFile empty(path->string(), "");
    result.diagnostics.push_back(
        make_diagnostic("GD004", make_location(empty, {0, 0}),
                        "cannot read the project configuration: " + error->message));
    return result;
  }
  result.source = std::move(std::get<std::unique_ptr<SourceFile>>(loaded));
  ProjectConfig config;
  std::error_code ec;
  config.directory = fs::absolute(*path, ec).parent_path();
  config.file = path->string();
  auto parsed = json::parse(*result.source);
  result.diagnostics = std::move(parsed.diagnostics);
  if (parsed.root && !parsed.recovered)
    Reader(*result.source, config, result.diagnostics).read(*parsed.root);
  result.config = std::move(config);
  return result;
}

std::string relative_to(const ProjectConfig& config, const std::string& file) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  return absolute.lexically_relative(config.directory).generic_string();
}

void apply_project_rules(const ProjectConfig& config, std::vector<Diagnostic>& diagnostics) {
  auto path_matches = [&config](const std::string& glob, const std::string& file) {
    const std::string rel = relative_to(config, file);
    return glob_match(glob, rel) || glob_match(glob, file);
  };
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    return std::any_of(config.ignores.begin(), config.ignores.end(), [&](const Ignore& ignore) {
      const bool rule = ignore.rules.empty() || std::find(ignore.rules.begin(), ignore.rules.end(),
                                                          d.rule_id) != ignore.rules.end();
      return rule && path_matches(ignore.path, d.location.file);
    });
  });
  for (Diagnostic& d : diagnostics) {
    if (auto it = config.severity.find(d.rule_id); it != config.severity.end())
      d.severity = it->second;
    for (const Suppression& s : config.suppressions) {
      if (s.rule != d.rule_id || !path_matches(s.path, d.location.file)) continue;
      if (s.statement) {
        const bool by_sid = *s.statement == d.statement_sid && !d.statement_sid.empty();
        const bool by_index =
            d.statement_index && *s.statement == std::to_string(*d.statement_index);
        if (!by_sid && !by_index) continue;
      }
      d.suppression_reason = s.reason;
      break;
    }
  }
}

}  // namespace gdl::analysis
