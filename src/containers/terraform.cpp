#include "containers/terraform.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "containers/json_string.h"
#include "diag/rule_catalog.h"

namespace gdl::containers {

namespace {

std::optional<documents::Kind> policy_kind(std::string_view type) {
  if (type == "aws_s3_bucket_policy") return documents::Kind::bucket_policy;
  if (type == "aws_kms_key" || type == "aws_kms_key_policy") return documents::Kind::key_policy;
  return std::nullopt;
}

json::Value string_at(std::string text, Span span) {
  json::Value v(json::Kind::string, span);
  v.text = std::move(text);
  return v;
}

json::Member member(std::string key, json::Value value) {
  json::Member m;
  m.key = std::move(key);
  m.key_span = value.span;
  m.value = std::move(value);
  return m;
}

// Builds the settings object read_settings_object understands from a publishing destination's
// attributes (values with their spans, so problems point into the user's file).
void read_destination(const json::Value* destination_arn, const json::Value* key_arn,
                      const json::Value* detector_id, const SourceFile& source, Extraction& out) {
  json::Value properties(json::Kind::object, {});
  if (destination_arn != nullptr)
    properties.members.push_back(
        member("DestinationArn", string_at(destination_arn->text, destination_arn->span)));
  if (key_arn != nullptr)
    properties.members.push_back(member("KmsKeyArn", string_at(key_arn->text, key_arn->span)));
  json::Value root(json::Kind::object, {});
  root.members.push_back(member("DestinationProperties", std::move(properties)));
  if (detector_id != nullptr)
    root.members.push_back(member("DetectorId", string_at(detector_id->text, detector_id->span)));
  read_destination_settings(root, source, out, "GD007");
}

// Whether the text names a GuardDuty service principal ("guardduty.<...>amazonaws.com").
bool names_guardduty(std::string_view text) {
  for (std::size_t at = text.find("\"guardduty."); at != std::string_view::npos;
       at = text.find("\"guardduty.", at + 1)) {
    const std::size_t end = text.find('"', at + 1);
    if (end != std::string_view::npos &&
        text.substr(at + 1, end - at - 1).ends_with(".amazonaws.com"))
      return true;
  }
  return false;
}

// A plan or configuration can hold keys and bucket policies that have nothing to do with
// GuardDuty. The export's own are those the publishing destination names and those that name
// the GuardDuty principal; the others are checked for grammar only (as in templates).
void select_export_documents(Extraction& out, const SourceFile& source) {
  for (EmbeddedDocument& doc : out.documents) {
    const bool named_by_destination =
        !doc.belongs_to.empty() &&
        ((out.settings.bucket.known() && doc.belongs_to == out.settings.bucket.get()) ||
         (out.settings.key_arn.known() &&
          (doc.belongs_to == out.settings.key_arn.get() ||
           out.settings.key_arn.get().ends_with("/" + doc.belongs_to))));
    if (named_by_destination || (doc.source != nullptr && names_guardduty(doc.source->text())))
      continue;
    doc.simulate = false;
    out.notes.push_back(fmt::format(
        "{}: {} names no GuardDuty principal and no publishing destination names it; only its "
        "grammar is checked",
        source.path(), doc.label));
  }
}

}  // namespace

void read_terraform_plan(const json::Value& root, const SourceFile& source, bool repaired,
                         Extraction& out) {
  out.format = Format::terraform_plan;
  const json::Member* values = root.find("planned_values");
  if (values == nullptr) values = root.find("values");
  if (values == nullptr || !values->value.is_object()) {
    out.notes.push_back(fmt::format("{}: the plan has no planned_values or values", source.path()));
    return;
  }
  std::vector<const json::Value*> modules;
  if (const json::Member* rm = values->value.find("root_module")) modules.push_back(&rm->value);
  // Modules nest; a stack, not recursion, walks them (a hostile plan can nest deeply).
  while (!modules.empty()) {
    const json::Value* module = modules.back();
    modules.pop_back();
    if (const json::Member* children = module->find("child_modules");
        children && children->value.is_array()) {
      for (const json::Value& child : children->value.items) modules.push_back(&child);
    }
    const json::Member* resources = module->find("resources");
    if (resources == nullptr || !resources->value.is_array()) continue;
    for (const json::Value& resource : resources->value.items) {
      const json::Member* type = resource.find("type");
      const json::Member* mode = resource.find("mode");
      const json::Member* address = resource.find("address");
      const json::Member* attrs = resource.find("values");
      if (type == nullptr || !type->value.is_string() || attrs == nullptr ||
          !attrs->value.is_object())
        continue;
      if (mode != nullptr && mode->value.is_string() && mode->value.text != "managed") continue;
      const std::string label =
          address != nullptr && address->value.is_string() ? address->value.text : type->value.text;
      if (type->value.text == "aws_guardduty_publishing_destination") {
        auto attr = [&](std::string_view key) -> const json::Value* {
          const json::Member* m = attrs->value.find(key);
          return m != nullptr && m->value.is_string() ? &m->value : nullptr;
        };
        read_destination(attr("destination_arn"), attr("kms_key_arn"), attr("detector_id"), source,
                         out);
        continue;
      }
      const auto kind = policy_kind(type->value.text);
      if (!kind) continue;
      const json::Member* policy = attrs->value.find("policy");
      if (policy == nullptr || policy->value.kind == json::Kind::null) {
        if (type->value.text != "aws_kms_key") {
          out.notes.push_back(
              fmt::format("{}: {} has no policy value in the plan (known only after apply)",
                          source.path(), label));
        }
        continue;
      }
      if (!policy->value.is_string()) continue;
      EmbeddedDocument doc = document_in_string(source, policy->value.span, label, kind, !repaired);
      for (const std::string_view key : {"bucket", "arn", "key_id"}) {
        const json::Member* owner = attrs->value.find(key);
        if (owner != nullptr && owner->value.is_string()) {
          doc.belongs_to = owner->value.text;
          break;
        }
      }
      out.documents.push_back(std::move(doc));
    }
  }
  select_export_documents(out, source);
}

void read_terraform_json(const json::Value& root, const SourceFile& source, bool repaired,
                         Extraction& out) {
  out.format = Format::terraform_source;
  const json::Member* resources = root.find("resource");
  if (resources == nullptr || !resources->value.is_object()) return;
  for (const json::Member& type : resources->value.members) {
    const auto kind = policy_kind(type.key);
    if (!type.value.is_object()) continue;
    for (const json::Member& block : type.value.members) {
      if (!block.value.is_object()) continue;
      const std::string label = type.key + "." + block.key;
      if (type.key == "aws_guardduty_publishing_destination") {
        auto literal = [&](std::string_view key) -> const json::Value* {
          const json::Member* m = block.value.find(key);
          return m != nullptr && m->value.is_string() &&
                         m->value.text.find("${") == std::string::npos
                     ? &m->value
                     : nullptr;
        };
        read_destination(literal("destination_arn"), literal("kms_key_arn"), literal("detector_id"),
                         source, out);
        continue;
      }
      if (!kind) continue;
      const json::Member* policy = block.value.find("policy");
      if (policy == nullptr || !policy->value.is_string()) continue;
      if (policy->value.text.find("${") != std::string::npos ||
          policy->value.text.find("%{") != std::string::npos) {
        const Position p = source.position(policy->value.span.begin);
        out.notes.push_back(fmt::format(
            "{}:{}:{}: the policy of {} is built with interpolation, not plain JSON; check the "
            "plan (terraform show -json) instead",
            source.path(), p.line, p.column, label));
        continue;
      }
      out.documents.push_back(
          document_in_string(source, policy->value.span, label, kind, !repaired));
    }
  }
  select_export_documents(out, source);
}

namespace {

// A small scanner for the parts of HCL we read: resource blocks and their string attributes.
class HclScanner {
 public:
  HclScanner(const SourceFile& source, Extraction& out)
      : source_(source), text_(source.text()), out_(out) {}

  void run() {
    std::size_t i = 0;
    while (i < text_.size()) {
      i = skip_space_and_comments(i);
      if (i >= text_.size()) break;
      if (text_.compare(i, 8, "resource") == 0 && i + 8 < text_.size() &&
          (text_[i + 8] == ' ' || text_[i + 8] == '\t')) {
        i = read_resource(i + 8);
      } else {
        i = skip_item(i);
      }
    }
  }

 private:
  std::size_t skip_space_and_comments(std::size_t i) const {
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '#' || (c == '/' && i + 1 < text_.size() && text_[i + 1] == '/')) {
        while (i < text_.size() && text_[i] != '\n') ++i;
      } else if (c == '/' && i + 1 < text_.size() && text_[i + 1] == '*') {
        const std::size_t end = text_.find("*/", i + 2);
        i = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        break;
      }
    }
    return i;
  }

  // Skips one token, string, heredoc or bracketed group without interpreting it.
  std::size_t skip_item(std::size_t i) const {
    const char c = text_[i];
    if (c == '"') return skip_string(i);
    if (c == '<' && text_.compare(i, 2, "<<") == 0) {
      if (auto heredoc = read_heredoc(i)) return heredoc->end;
    }
    if (c == '{' || c == '[' || c == '(') return skip_group(i);
    return i + 1;
  }

  std::size_t skip_string(std::size_t i) const {
    for (++i; i < text_.size() && text_[i] != '"' && text_[i] != '\n'; ++i) {
      if (text_[i] == '\\') ++i;
    }
    return std::min(i + 1, text_.size());
  }

  // Bracket matching that skips strings, heredocs and comments; iterative, depth-counted.
  std::size_t skip_group(std::size_t i) const {
    std::size_t depth = 0;
    while (i < text_.size()) {
      i = skip_space_and_comments(i);
      if (i >= text_.size()) break;
      const char c = text_[i];
      if (c == '{' || c == '[' || c == '(') {
        ++depth;
        ++i;
      } else if (c == '}' || c == ']' || c == ')') {
        ++i;
        if (--depth == 0) return i;
      } else if (c == '"') {
        i = skip_string(i);
      } else if (c == '<' && text_.compare(i, 2, "<<") == 0) {
        auto heredoc = read_heredoc(i);
        i = heredoc ? heredoc->end : i + 2;
      } else {
        ++i;
      }
    }
    return text_.size();
  }

  struct Heredoc {
    std::size_t body_begin = 0;  // first byte of the first body line
    std::size_t body_end = 0;    // the line break before the closing marker
    std::size_t end = 0;         // after the closing marker
    bool indented = false;       // <<-
  };

  std::optional<Heredoc> read_heredoc(std::size_t i) const {
    Heredoc h;
    i += 2;
    if (i < text_.size() && text_[i] == '-') {
      h.indented = true;
      ++i;
    }
    const std::size_t name_begin = i;
    while (i < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '_'))
      ++i;
    if (i == name_begin) return std::nullopt;
    const std::string_view marker = text_.substr(name_begin, i - name_begin);
    const std::size_t eol = text_.find('\n', i);
    if (eol == std::string_view::npos) return std::nullopt;
    h.body_begin = eol + 1;
    // The closing line is looked up in an index of every line that could close a heredoc: a
    // scan from each opener would make a file of unclosed heredocs quadratic.
    const auto& lines = marker_lines();
    const auto it = lines.find(marker);
    if (it == lines.end()) return std::nullopt;
    const auto at = std::lower_bound(it->second.begin(), it->second.end(), h.body_begin);
    if (at == it->second.end()) return std::nullopt;
    h.body_end = *at;
    const std::size_t next = text_.find('\n', *at);
    h.end = next == std::string_view::npos ? text_.size() : next;
    return h;
  }

  // Start offsets of the lines that hold nothing but an identifier (possible heredoc closers),
  // by identifier; built once, on the first heredoc.
  const std::map<std::string_view, std::vector<std::size_t>, std::less<>>& marker_lines() const {
    if (marker_lines_built_) return marker_lines_;
    marker_lines_built_ = true;
    for (std::size_t line = 0; line < text_.size();) {
      std::size_t next = text_.find('\n', line);
      if (next == std::string_view::npos) next = text_.size();
      std::string_view content = text_.substr(line, next - line);
      if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
      while (!content.empty() && (content.front() == ' ' || content.front() == '\t'))
        content.remove_prefix(1);
      const bool identifier =
          !content.empty() && std::all_of(content.begin(), content.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
          });
      if (identifier) marker_lines_[content].push_back(line);
      line = next + 1;
    }
    return marker_lines_;
  }

  std::size_t read_resource(std::size_t i) {
    i = skip_space_and_comments(i);
    if (i >= text_.size() || text_[i] != '"') return i;
    const std::size_t type_end = skip_string(i);
    const std::string type(text_.substr(i + 1, type_end - i - 2));
    i = skip_space_and_comments(type_end);
    if (i >= text_.size() || text_[i] != '"') return i;
    const std::size_t name_end = skip_string(i);
    const std::string name(text_.substr(i + 1, name_end - i - 2));
    i = skip_space_and_comments(name_end);
    if (i >= text_.size() || text_[i] != '{') return i;
    const std::size_t block_end = skip_group(i);
    const std::string label = type + "." + name;
    if (auto kind = policy_kind(type)) {
      if (auto value = attribute(i + 1, block_end, "policy")) add_policy(label, *kind, *value);
    } else if (type == "aws_guardduty_publishing_destination") {
      read_destination_block(label, i + 1, block_end);
    }
    return block_end;
  }

  // The value of `name = ...` at the top level of the block body [from, to).
  std::optional<Span> attribute(std::size_t from, std::size_t to, std::string_view name) const {
    std::size_t i = from;
    while (i < to) {
      i = skip_space_and_comments(i);
      if (i >= to) break;
      if (text_.compare(i, name.size(), name) == 0) {
        std::size_t j = i + name.size();
        while (j < to && (text_[j] == ' ' || text_[j] == '\t')) ++j;
        if (j < to && text_[j] == '=' && (j + 1 >= to || text_[j + 1] != '=')) {
          j = skip_space_and_comments(j + 1);
          const std::size_t end = value_end(j, to);
          return Span{j, end};
        }
      }
      // Not it: skip this line's item (a nested block is skipped whole).
      const char c = text_[i];
      if (c == '{' || c == '"' || c == '[' || c == '(' || c == '<') {
        i = skip_item(i);
      } else {
        ++i;
      }
    }
    return std::nullopt;
  }

  std::size_t value_end(std::size_t i, std::size_t to) const {
    if (i >= to) return i;
    if (text_[i] == '"') return skip_string(i);
    if (text_.compare(i, 2, "<<") == 0) {
      if (auto h = read_heredoc(i)) return h->end;
    }
    std::size_t j = i;
    while (j < to && text_[j] != '\n') {
      if (text_[j] == '(' || text_[j] == '{' || text_[j] == '[') {
        j = skip_group(j);
      } else {
        ++j;
      }
    }
    return j;
  }

  void add_policy(const std::string& label, documents::Kind kind, Span value) {
    const std::string_view raw = text_.substr(value.begin, value.size());
    EmbeddedDocument doc;
    doc.label = label;
    doc.kind = kind;
    if (raw.starts_with("<<")) {
      const auto h = read_heredoc(value.begin);
      if (!h) return;
      // Directives (%{ for }, %{ if }) shape the JSON itself: only Terraform can render it.
      if (has_directive(text_.substr(h->body_begin, h->body_end - h->body_begin)))
        return note_not_plain(label, value, "template directives (%{...})");
      doc.decoded = heredoc_source(*h, doc.unknown_spans);
      if (!doc.unknown_spans.empty()) {
        // Interpolated values are known only when Terraform runs: the JSON around them is
        // still checked, and the statements that hold none.
        const Position p = source_.position(value.begin);
        out_.notes.push_back(fmt::format(
            "{}:{}:{}: the policy of {} interpolates {} value(s) known only when Terraform runs; "
            "the statements holding them are not judged (the plan has their values)",
            source_.path(), p.line, p.column, label, doc.unknown_spans.size()));
      }
    } else if (raw.starts_with("\"")) {
      if (has_interpolation(raw)) return note_not_plain(label, value, "interpolation");
      doc.decoded = decode_json_string(source_, value, source_.path());
    } else {
      return note_not_plain(label, value,
                            raw.starts_with("jsonencode") ? "jsonencode()" : "a reference");
    }
    doc.source = doc.decoded.get();
    doc.needs_parse = true;
    out_.documents.push_back(std::move(doc));
  }

  static bool has_directive(std::string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == '%' && text[i + 1] == '{' && (i == 0 || text[i - 1] != '%')) return true;
    }
    return false;
  }

  static bool has_interpolation(std::string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      if ((text[i] == '$' || text[i] == '%') && text[i + 1] == '{' &&
          (i == 0 || text[i - 1] != text[i]))
        return true;
    }
    return false;
  }

  void note_not_plain(const std::string& label, Span value, std::string_view why) {
    const Position p = source_.position(value.begin);
    out_.notes.push_back(
        fmt::format("{}:{}:{}: the policy of {} is built with {}, not plain JSON; check the plan "
                    "(terraform show -json) instead",
                    source_.path(), p.line, p.column, label, why));
  }

  // The heredoc body as its own text; with <<- the common indentation is removed, and each
  // line's bytes map back to where they are in the .tf file. Interpolations (`${...}`, `%{...}`)
  // become stand-ins (inside a JSON string) or a JSON string (outside one); their spans are
  // recorded as unknown. `$${` and `%%{` are HCL's escapes for a literal `${` and `%{`.
  std::unique_ptr<SourceFile> heredoc_source(const Heredoc& h, std::vector<Span>& unknown) const {
    std::vector<std::pair<std::size_t, std::size_t>> lines;  // [begin, end) incl. line break
    for (std::size_t line = h.body_begin; line < h.body_end;) {
      std::size_t next = text_.find('\n', line);
      next = next == std::string_view::npos || next >= h.body_end ? h.body_end : next + 1;
      lines.emplace_back(line, next);
      line = next;
    }
    std::size_t strip = 0;
    if (h.indented) {
      strip = std::string_view::npos;
      for (const auto& [b, e] : lines) {
        std::size_t k = b;
        while (k < e && (text_[k] == ' ' || text_[k] == '\t')) ++k;
        if (k < e && text_[k] != '\n' && text_[k] != '\r') strip = std::min(strip, k - b);
      }
      if (strip == std::string_view::npos) strip = 0;
    }
    Embedding embedding{&source_, {}, Quoting::verbatim};
    std::string body;
    bool in_string = false;
    for (const auto& [b, e] : lines) {
      std::size_t from = b;
      while (from < e && from - b < strip && (text_[from] == ' ' || text_[from] == '\t')) ++from;
      embedding.map.add(body.size(), from);
      for (std::size_t i = from; i < e;) {
        const char c = text_[i];
        const bool opens = (c == '$' || c == '%') && i + 1 < e && text_[i + 1] == '{';
        const bool escaped =
            (c == '$' || c == '%') && i + 2 < e && text_[i + 1] == c && text_[i + 2] == '{';
        if (escaped) {
          embedding.map.add(body.size(), i, false);
          body += c;
          body += '{';
          i += 3;
          embedding.map.add(body.size(), i);
          continue;
        }
        if (opens) {
          std::size_t depth = 0, j = i + 1;
          for (; j < e; ++j) {
            if (text_[j] == '{') ++depth;
            if (text_[j] == '}' && --depth == 0) break;
          }
          const std::size_t end = std::min(j + 1, e);
          unknown.push_back({i, end});
          embedding.map.add(body.size(), i, false);
          body += in_string ? "tf-unknown" : "\"tf-unknown\"";
          i = end;
          embedding.map.add(body.size(), i);
          continue;
        }
        if (c == '"' && (i == from || text_[i - 1] != '\\')) in_string = !in_string;
        body += c;
        ++i;
      }
    }
    embedding.map.add(body.size(), h.body_end);
    return std::make_unique<SourceFile>(source_.path(), std::move(body), std::move(embedding));
  }

  void read_destination_block(const std::string& label, std::size_t from, std::size_t to) {
    std::vector<json::Value> values;
    auto literal = [&](std::string_view name) -> std::optional<json::Value> {
      auto span = attribute(from, to, name);
      if (!span) return std::nullopt;
      const std::string_view raw = text_.substr(span->begin, span->size());
      if (!raw.starts_with("\"") || has_interpolation(raw) || raw.size() < 2) {
        const Position p = source_.position(span->begin);
        out_.notes.push_back(fmt::format("{}:{}:{}: {} of {} is not a literal; not used",
                                         source_.path(), p.line, p.column, name, label));
        return std::nullopt;
      }
      return string_at(std::string(raw.substr(1, raw.size() - 2)), *span);
    };
    auto destination = literal("destination_arn");
    auto key = literal("kms_key_arn");
    auto detector = literal("detector_id");
    if (!destination && !key && !detector) return;
    read_destination(destination ? &*destination : nullptr, key ? &*key : nullptr,
                     detector ? &*detector : nullptr, source_, out_);
  }

  const SourceFile& source_;
  std::string_view text_;
  Extraction& out_;
  mutable std::map<std::string_view, std::vector<std::size_t>, std::less<>> marker_lines_;
  mutable bool marker_lines_built_ = false;
};

}  // namespace

Extraction read_terraform_source(const SourceFile& source) {
  Extraction out;
  out.format = Format::terraform_source;
  HclScanner(source, out).run();
  select_export_documents(out, source);
  return out;
}

}  // namespace gdl::containers
