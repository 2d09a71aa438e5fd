#include "containers/terraform_json_syntax.h"

#include <fmt/format.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "containers/json_string.h"
#include "diag/rule_catalog.h"
#include "json/parser.h"
#include "util/text.h"

namespace gdl::containers::tf {
namespace {

// What a JSON object's members are, by the block that holds them.
enum class Schema {
  attributes,       // every member an attribute (a resource's, a module call's, locals)
  policy_document,  // data "aws_iam_policy_document": statement blocks
  statement,        // principals, not_principals and condition blocks
  dynamic,          // a dynamic block: its content block has the schema of the block it makes
};

Schema nested_schema(std::string_view block_type) {
  if (block_type == "statement") return Schema::statement;
  return Schema::attributes;
}

// The nested block types of a schema (a dynamic block's are handled apart).
bool is_block_type(Schema schema, std::string_view name) {
  switch (schema) {
    case Schema::policy_document:
      return name == "statement" || name == "dynamic";
    case Schema::statement:
      return name == "principals" || name == "not_principals" || name == "condition" ||
             name == "dynamic";
    case Schema::dynamic:
      return name == "content";
    case Schema::attributes:
      return false;
  }
  return false;
}

class Converter {
 public:
  explicit Converter(const SourceFile& file) : file_(file) {}

  hcl::Body top_level(const json::Value& root) {
    hcl::Body body;
    body.span = root.span;
    for_each_object(root, [&](const json::Value& object) {
      for (const json::Member& m : object.members) {
        const std::string& type = m.key;
        if (type == "resource" || type == "data") {
          labelled(body, m, 2);
        } else if (type == "module" || type == "variable" || type == "output" ||
                   type == "provider") {
          labelled(body, m, 1);
        } else if (type == "locals") {
          for_each_object(m.value, [&](const json::Value& locals) {
            hcl::Block& block = add_block(body, m, {});
            block.span = locals.span;
            block.body = attributes_of(locals, Schema::attributes);
          });
        }
        // "terraform", "moved", "import", "check" and comments ("//") hold no policy.
      }
    });
    return body;
  }

  std::vector<Diagnostic> diagnostics;

 private:
  // The objects of a block's value: one object, or each object of an array (the specification
  // allows both for every level of a block, and the file's root). Anything else there is an
  // error Terraform refuses the configuration for.
  template <typename Visit>
  void for_each_object(const json::Value& v, Visit&& visit) {
    if (v.is_object()) {
      visit(v);
    } else if (v.is_array()) {
      for (const json::Value& item : v.items) {
        if (item.is_object()) {
          visit(item);
        } else {
          not_an_object(item);
        }
      }
    } else {
      not_an_object(v);
    }
  }

  void not_an_object(const json::Value& v) {
    diagnostics.push_back(make_diagnostic(
        "GD007", make_location(file_, v.span),
        fmt::format("{} where Terraform's JSON syntax takes a block's object (or an array of "
                    "objects): Terraform refuses the configuration, so nothing in it is deployed",
                    v.kind == json::Kind::null ? std::string("null")
                                               : fmt::format("a {}", json::to_string(v.kind)))));
  }

  // A block type with `levels` labels: {"type": {"label": ... {"label": body}}}, each level an
  // object or an array of objects.
  void labelled(hcl::Body& into, const json::Member& type, std::size_t levels) {
    labelled_value(into, type, type.value, levels, {});
  }

  void labelled_value(hcl::Body& into, const json::Member& type, const json::Value& value,
                      std::size_t levels, const std::vector<hcl::Label>& labels) {
    if (levels == 0) {
      for_each_object(value, [&](const json::Value& object) {
        hcl::Block& block = add_block(into, type, labels);
        block.span = object.span;
        const bool document = block.type == "data" && block.labels.size() == 2 &&
                              block.labels[0].text == "aws_iam_policy_document";
        block.body = attributes_of(object, document ? Schema::policy_document : Schema::attributes,
                                   block.type);
      });
      return;
    }
    for_each_object(value, [&](const json::Value& object) {
      for (const json::Member& label : object.members) {
        if (label.key == "//") continue;
        std::vector<hcl::Label> deeper = labels;
        deeper.push_back({label.key, label.key_span});
        labelled_value(into, type, label.value, levels - 1, deeper);
      }
    });
  }

  // A block's span is its body object: unique to the block (the reader keys what it computes
  // from a block by where it is), where blocks of one type share the key naming the type.
  static hcl::Block& add_block(hcl::Body& into, const json::Member& type,
                               std::vector<hcl::Label> labels) {
    hcl::Block& block = into.blocks.emplace_back();
    block.type = type.key;
    block.type_span = type.key_span;
    block.labels = std::move(labels);
    return block;
  }

  // A block body: its members as attributes, or as nested blocks where the schema has them.
  hcl::Body attributes_of(const json::Value& object, Schema schema, std::string_view owner = {}) {
    hcl::Body body;
    body.span = object.span;
    for (const json::Member& m : object.members) {
      if (m.key == "//") continue;  // a comment
      if (is_block_type(schema, m.key)) {
        // Nested blocks recurse: a hostile file must not nest them past the native syntax's
        // own bound.
        if (depth_ >= hcl::kMaxDepth) {
          too_deep(m.key_span, "blocks");
          continue;
        }
        ++depth_;
        nested(body, m);
        --depth_;
        continue;
      }
      // A property name may repeat in Terraform's JSON syntax (HCL's JSON specification keeps
      // every definition: blocks), but an argument set twice is refused, as in a .tf file.
      if (body.attribute(m.key) != nullptr) {
        diagnostics.push_back(
            make_diagnostic("GD007", make_location(file_, m.key_span),
                            fmt::format("\"{}\" is defined twice in this body", m.key)));
      }
      hcl::Attribute& a = body.attributes.emplace_back();
      a.name = m.key;
      a.name_span = m.key_span;
      a.value = value_of(owner, m);
      a.span = {m.key_span.begin, m.value.span.end};
    }
    return body;
  }

  void nested(hcl::Body& into, const json::Member& m) {
    if (m.key == "dynamic") {
      // {"dynamic": {"statement": {"for_each": ..., "content": {...}}}}: one label, the kind.
      for_each_object(m.value, [&](const json::Value& kinds) {
        for (const json::Member& kind : kinds.members) {
          if (kind.key == "//") continue;
          for_each_object(kind.value, [&](const json::Value& object) {
            hcl::Block& block = add_block(into, m, {{kind.key, kind.key_span}});
            block.span = object.span;
            dynamic_kind_ = kind.key;
            block.body = attributes_of(object, Schema::dynamic);
          });
        }
      });
      return;
    }
    // A dynamic block's content has the schema of the blocks it makes.
    const std::string& made = m.key == "content" ? dynamic_kind_ : m.key;
    for_each_object(m.value, [&](const json::Value& object) {
      hcl::Block& block = add_block(into, m, {});
      block.span = object.span;
      const std::string saved = dynamic_kind_;
      block.body = attributes_of(object, nested_schema(made));
      dynamic_kind_ = saved;
    });
  }

  // An attribute's value: an expression, or one written as a string where Terraform's JSON
  // syntax says so (`owner` is the top-level block type the attribute is in).
  std::unique_ptr<hcl::Expr> value_of(std::string_view owner, const json::Member& m) {
    if ((m.key == "provider" && (owner == "resource" || owner == "data")) ||
        (m.key == "type" && owner == "variable") || m.key == "iterator")
      return expression_string(m.value);
    // Values Terraform reads without evaluating: a variable's default, a call's source and
    // version (a "${" there is text, not an interpolation).
    if ((m.key == "default" && owner == "variable") ||
        ((m.key == "source" || m.key == "version") && owner == "module"))
      return expression(m.value, true);
    if (m.key == "providers" && owner == "module" && m.value.is_object()) {
      auto object = make(hcl::ExprKind::object, m.value.span);
      for (const json::Member& p : m.value.members) {
        auto key = make(hcl::ExprKind::literal_text, p.key_span, p.key);
        key->flag = true;
        object->children.push_back(std::move(key));
        object->children.push_back(expression_string(p.value));
      }
      return object;
    }
    return expression(m.value);
  }

  // Past the native syntax's depth bound (blocks or a value): a GD007 error, said once a file.
  void too_deep(Span at, std::string_view what) {
    if (!too_deep_) {
      diagnostics.push_back(make_diagnostic(
          "GD007", make_location(file_, at),
          fmt::format("{} nested more than {} deep: Terraform's JSON syntax is not read past here",
                      what, hcl::kMaxDepth)));
    }
    too_deep_ = true;
  }

  std::unique_ptr<hcl::Expr> make(hcl::ExprKind kind, Span span, std::string text = {}) {
    auto e = std::make_unique<hcl::Expr>();
    e->kind = kind;
    e->span = span;
    e->text = std::move(text);
    return e;
  }

  // An attribute's value in expression mode. Iterative over arrays and objects: a .tf.json
  // file may be hostile, and its tree is already bounded in depth by the JSON reader only.
  // `literal_strings`: strings are taken as written (a variable's default, which Terraform
  // evaluates without a context: HCL's JSON reader then returns the string unchanged).
  std::unique_ptr<hcl::Expr> expression(const json::Value& root, bool literal_strings = false) {
    struct Pending {
      const json::Value* value;
      std::unique_ptr<hcl::Expr>* slot;
      int depth;
    };
    std::unique_ptr<hcl::Expr> out;
    std::vector<Pending> pending{{&root, &out, 0}};
    while (!pending.empty()) {
      const Pending p = pending.back();
      pending.pop_back();
      const json::Value& v = *p.value;
      // Built without recursion, but freed recursively (~Expr), as the native syntax's trees
      // are, whose reader stops at the same depth.
      if (p.depth >= hcl::kMaxDepth && (v.is_array() || v.is_object())) {
        too_deep({v.span.begin, v.span.begin + 1}, "a value");
        *p.slot = make(hcl::ExprKind::null, v.span);
        continue;
      }
      switch (v.kind) {
        case json::Kind::null:
          *p.slot = make(hcl::ExprKind::null, v.span);
          break;
        case json::Kind::boolean:
          *p.slot = make(hcl::ExprKind::boolean, v.span);
          (*p.slot)->flag = v.boolean;
          break;
        case json::Kind::number:
          *p.slot = make(hcl::ExprKind::number, v.span, v.text);
          break;
        case json::Kind::string:
          *p.slot = literal_strings ? literal_string(v) : string_template(v);
          break;
        case json::Kind::array: {
          *p.slot = make(hcl::ExprKind::tuple, v.span);
          hcl::Expr& tuple = **p.slot;
          tuple.children.resize(v.items.size());
          for (std::size_t i = 0; i < v.items.size(); ++i)
            pending.push_back({&v.items[i], &tuple.children[i], p.depth + 1});
          break;
        }
        case json::Kind::object: {
          // In an expression every member is one ("//" is a comment only in a block body).
          *p.slot = make(hcl::ExprKind::object, v.span);
          hcl::Expr& object = **p.slot;
          for (const json::Member& m : v.members) {
            auto key = make(hcl::ExprKind::literal_text, m.key_span, m.key);
            key->flag = true;
            object.children.push_back(std::move(key));
            object.children.emplace_back();
          }
          std::size_t slot = 1;
          for (const json::Member& m : v.members) {
            pending.push_back({&m.value, &object.children[slot], p.depth + 1});
            slot += 2;
          }
          break;
        }
      }
    }
    return out;
  }

  // A string as written: a template of one literal (its JSON escapes decoded).
  std::unique_ptr<hcl::Expr> literal_string(const json::Value& v) {
    auto t = make(hcl::ExprKind::template_, v.span);
    if (!v.text.empty()) {
      auto literal =
          make(hcl::ExprKind::literal_text,
               {v.span.begin + 1, v.span.end > v.span.begin ? v.span.end - 1 : v.span.end}, v.text);
      literal->flag = true;  // JSON's backslash escapes, decoded
      t->children.push_back(std::move(literal));
    }
    return t;
  }

  // A string is a template: decoded from JSON, then read as HCL's template syntax, every span
  // mapped back to the bytes of the .tf.json file.
  std::unique_ptr<hcl::Expr> string_template(const json::Value& v) {
    const std::string& text = v.text;
    if (text.find("${") == std::string::npos && text.find("%{") == std::string::npos)
      return literal_string(v);
    std::unique_ptr<hcl::Expr> t = parsed_string(v, hcl::parse_template);
    if (t->kind == hcl::ExprKind::template_) t->span = v.span;
    return t;
  }

  // A string Terraform reads as an expression, not a template: a resource's `provider`
  // ("aws.west"), a variable's `type` ("list(string)"), the values of a module call's
  // `providers` (HCL's JSON specification leaves these to the application).
  std::unique_ptr<hcl::Expr> expression_string(const json::Value& v) {
    if (!v.is_string()) return expression(v);
    return parsed_string(v, hcl::parse_expression);
  }

  // `v` decoded from JSON and parsed as HCL, every span mapped back to the .tf.json file.
  std::unique_ptr<hcl::Expr> parsed_string(const json::Value& v,
                                           hcl::ExpressionResult (*parse)(const SourceFile&,
                                                                          std::string_view)) {
    const std::unique_ptr<SourceFile> decoded = decode_json_string(file_, v.span, file_.path());
    hcl::ExpressionResult parsed = parse(*decoded, "GD007");
    for (Diagnostic& d : parsed.diagnostics) diagnostics.push_back(std::move(d));
    if (!parsed.expr) return make(hcl::ExprKind::null, v.span);
    const Embedding* embedding = decoded->embedding();
    // Iteratively: an expression nests.
    std::vector<hcl::Expr*> nodes{parsed.expr.get()};
    while (!nodes.empty()) {
      hcl::Expr* e = nodes.back();
      nodes.pop_back();
      if (embedding != nullptr) {
        // An end maps as an offset of its own (as make_location maps one): the byte before it
        // may end inside an escape (`\"`), whose last byte is not where the next one starts.
        const std::size_t begin = embedding->map.to_outer(e->span.begin);
        const std::size_t end = embedding->map.to_outer(e->span.end);
        e->span = {begin, std::max(begin, end)};
      }
      // Its text is written with JSON's backslash escapes in the file.
      if (e->kind == hcl::ExprKind::literal_text) e->flag = true;
      for (auto& child : e->children) {
        if (child) nodes.push_back(child.get());
      }
    }
    return std::move(parsed.expr);
  }

  const SourceFile& file_;
  std::string dynamic_kind_;  // the kind of the dynamic block being read ("statement")
  int depth_ = 0;             // nested blocks being read
  bool too_deep_ = false;     // said once
};

}  // namespace

bool is_json_syntax_file(std::string_view path) {
  // As Terraform matches it: by the suffix as written (`MAIN.TF.JSON` is no configuration).
  return path.ends_with(".tf.json");
}

namespace {

// The top-level members that tell another input from a module file, and the kinds of their
// values: the tests extract() applies to a located tree (containers/container.cpp), read from
// the reader's events, or from the recovered tree of a file with a syntax error.
class TopLevelMembers : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TopLevelMembers> {
 public:
  enum class Kind { string, object, other };

  // One member of the root object and its value's kind.
  void member(std::string_view key, Kind kind) {
    if (key == "Policy") cli_policy_ = kind == Kind::string;
    statement_ = statement_ || key == "Statement";
    destination_ = destination_ || key == "DestinationProperties";
    resources_ = resources_ || (key == "Resources" && kind == Kind::object);
    plan_version_ = plan_version_ || key == "format_version";
    plan_values_ = plan_values_ || key == "planned_values" || key == "values" ||
                   key == "resource_changes" || key == "prior_state";
  }

  // CLI output (a "Policy" string, not a policy's "Statement"), a publishing destination, a
  // CloudFormation template (its "Resources" object) or a plan ("format_version" with values).
  [[nodiscard]] bool another_input() const {
    return (cli_policy_ && !statement_) || destination_ || resources_ ||
           (plan_version_ && plan_values_);
  }

  // The reader's events.
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    if (depth_ == 1) key_.assign(str, length);
    return true;
  }
  bool String(const char*, rapidjson::SizeType, bool) { return value(Kind::string); }
  bool Default() { return value(Kind::other); }
  bool StartObject() {
    value(Kind::object);
    ++depth_;
    return true;
  }
  bool StartArray() {
    value(Kind::other);
    ++depth_;
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return end(); }
  bool EndArray(rapidjson::SizeType) { return end(); }
  // Whether the root is an object (the members above are only an object's).
  bool root_object = false;

 private:
  bool value(Kind kind) {
    if (depth_ == 0) root_object = kind == Kind::object;
    if (depth_ == 1 && root_object) member(key_, kind);
    return true;
  }
  bool end() {
    --depth_;
    return true;
  }

  int depth_ = 0;
  std::string key_;  // the top-level member whose value comes next
  bool cli_policy_ = false;
  bool statement_ = false;
  bool destination_ = false;
  bool resources_ = false;
  bool plan_version_ = false;
  bool plan_values_ = false;
};

}  // namespace

bool is_json_syntax_module(std::string_view path, std::string_view text) {
  if (!is_json_syntax_file(path)) return false;
  // One pass of the reader without a tree (a NUL byte inside stops it early: read as an error).
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);  // a UTF-8 byte order mark
  rapidjson::MemoryStream stream(body.data(), body.size());
  TopLevelMembers members;
  rapidjson::Reader reader;
  reader.Parse<rapidjson::kParseIterativeFlag>(stream, members);
  if (!reader.HasParseError() && stream.Tell() == body.size())
    return !members.root_object || !members.another_input();
  // A syntax error (or a NUL inside): what the file is, as extract() would tell it, is read from
  // the tree the parser recovers. Terraform refuses the module then; a template's errors are
  // reported as a template's.
  const SourceFile file{std::string(path), std::string(text)};
  const json::ParseResult parsed = json::parse(file);
  if (!parsed.root || !parsed.root->is_object()) return true;
  TopLevelMembers recovered;
  for (const json::Member& m : parsed.root->members) {
    recovered.member(m.key, m.value.is_string()   ? TopLevelMembers::Kind::string
                            : m.value.is_object() ? TopLevelMembers::Kind::object
                                                  : TopLevelMembers::Kind::other);
  }
  return !recovered.another_input();
}

bool is_json_syntax_module(const SourceFile& file) {
  return is_json_syntax_module(file.path(), file.text());
}

hcl::ParseResult parse_json_syntax(const SourceFile& file) {
  hcl::ParseResult result;
  json::ParseResult parsed = json::parse(file);
  // A repeated property name (GD002 in a policy, where JSON readers disagree) is legal here:
  // HCL's JSON specification keeps every definition, in order (two "resource" objects are two
  // sets of blocks); an argument set twice is reported below.
  std::erase_if(parsed.diagnostics, [](const Diagnostic& d) { return d.rule_id == "GD002"; });
  result.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.root || parsed.recovered) return result;
  Converter converter(file);
  result.body = converter.top_level(*parsed.root);
  for (Diagnostic& d : converter.diagnostics) result.diagnostics.push_back(std::move(d));
  return result;
}

}  // namespace gdl::containers::tf
