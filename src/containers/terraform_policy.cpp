// Policies as Terraform builds them: the aws_iam_policy_document data source, and any policy
// value (jsonencode(), a decoded document) as a located JSON tree.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "containers/terraform_module.h"
#include "diag/rule_catalog.h"
#include "hcl/functions.h"

namespace gdl::containers::tf {

namespace {

// Deeper values than this are unknown in a tree (a policy is a few levels deep).
constexpr int kMaxTreeDepth = 64;
// Blocks that dynamic blocks may make in one document (a real policy has a few dozen): nested
// dynamic blocks over large lists would otherwise multiply (a hostile file), and more are
// unknown.
constexpr std::size_t kMaxMadeBlocks = 1000;
// Statements one document may take from source and override documents. AWS's largest resource
// policy, a key policy, is 32 KB, a few hundred statements; documents that each merge another
// twice double at every level (a hostile file of 5 KB asked for 2^36 statements and 2.4 GB).
constexpr std::size_t kMaxMergedStatements = 2000;

std::string sid_of(const hcl::Value& statement) {
  const hcl::Value* sid = statement.member("Sid");
  return sid != nullptr && sid->is_string() ? sid->text : std::string();
}

// Adds `statement` to `statements`, replacing one with the same non-empty Sid when `replace`
// (the provider's rule for a document's own statements and for override documents).
void add_statement(std::vector<hcl::Value>& statements, hcl::Value statement, bool replace) {
  const std::string sid = sid_of(statement);
  if (replace && !sid.empty()) {
    auto same = std::find_if(statements.begin(), statements.end(),
                             [&](const hcl::Value& s) { return sid_of(s) == sid; });
    if (same != statements.end()) {
      *same = std::move(statement);
      return;
    }
  }
  statements.push_back(std::move(statement));
}

// Adds `values` under `key` of `object` (a principal type's identifiers, a condition key's
// values): a key given again adds its list to the one there; what cannot be joined is `clash`.
void add_values(hcl::Value& object, const std::string& key, Span key_span, hcl::Value values,
                hcl::Value clash) {
  auto same = std::find_if(object.members.begin(), object.members.end(),
                           [&](const hcl::ValueMember& m) { return m.key == key; });
  if (same == object.members.end()) {
    object.members.emplace_back(key, std::move(values), key_span);
  } else if (same->value.kind == hcl::ValueKind::tuple && values.kind == hcl::ValueKind::tuple) {
    same->value.items.insert(same->value.items.end(), values.items.begin(), values.items.end());
  } else {
    same->value = std::move(clash);
  }
}

// Binds a dynamic block's iterator for the life of the scope (none for a block as written).
class IteratorScope {
 public:
  IteratorScope(std::vector<hcl::ValueMember>& iterators, std::optional<hcl::ValueMember> it)
      : iterators_(iterators), bound_(it.has_value()) {
    if (bound_) iterators_.push_back(std::move(*it));
  }
  IteratorScope(const IteratorScope&) = delete;
  IteratorScope& operator=(const IteratorScope&) = delete;
  ~IteratorScope() {
    if (bound_) iterators_.pop_back();
  }

 private:
  std::vector<hcl::ValueMember>& iterators_;
  bool bound_;
};

}  // namespace

Span unknown_range_span(const hcl::Value& v, std::size_t begin, std::size_t end) {
  std::size_t from = v.map.to_outer(begin);
  const std::size_t to = std::max(from + 1, v.map.to_outer(end));
  if (v.file != nullptr) {
    const std::string_view text = v.file->text();
    std::size_t at = std::min(from, text.size());
    while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t' || text[at - 1] == '~')) --at;
    if (at >= 2 && text[at - 1] == '{' && (text[at - 2] == '$' || text[at - 2] == '%'))
      from = at - 2;
  }
  return {from, to};
}

hcl::Value object_value(const SourceFile& file, Span span) {
  hcl::Value v;
  v.kind = hcl::ValueKind::object;
  v.file = &file;
  v.span = span;
  return v;
}

hcl::Value tuple_value(const SourceFile& file, Span span, std::vector<hcl::Value> items) {
  hcl::Value v;
  v.kind = hcl::ValueKind::tuple;
  v.file = &file;
  v.span = span;
  v.items = std::move(items);
  return v;
}

namespace {

// The provider writes IAM policy variables `&{aws:username}` in a document's actions,
// resources, principals' identifiers and condition values (`${...}` would be Terraform's own
// interpolation) and renders them `${aws:username}` (dataSourcePolicyDocumentReplaceVarsInList).
// One byte for one: the positions stay.
void render_policy_variables(hcl::Value& v) {
  if (v.is_string()) {
    for (std::size_t at = v.text.find("&{"); at != std::string::npos;
         at = v.text.find("&{", at + 2))
      v.text[at] = '$';
  }
  for (hcl::Value& item : v.items) render_policy_variables(item);
}

}  // namespace

hcl::Value PolicyDocumentBuilder::eval(const hcl::Expr& e) {
  hcl::Evaluator evaluator(scope_, file_);
  for (const hcl::ValueMember& iterator : iterators_) evaluator.bind(iterator);
  return evaluator.evaluate(e);
}

// Terraform's dynamic blocks: `dynamic "KIND" { for_each = C; iterator = NAME; content {...} }`
// makes one KIND block per element of C, in order, its content evaluated with NAME.key and
// NAME.value (NAME defaults to KIND): for a list the index and the element, for a map the key
// and the value. A for_each known offline (a toggle `var.on ? [1] : []`, a literal list) makes
// known blocks; anything else leaves them unknown, as before.
std::vector<PolicyDocumentBuilder::Instance> PolicyDocumentBuilder::instances(
    const hcl::Body& body, std::string_view kind) {
  std::vector<Instance> out;
  for (const hcl::Block& b : body.blocks) {
    if (b.type == kind) {
      out.push_back({&b, b.span, std::nullopt, false});
      continue;
    }
    if (b.type != "dynamic" || b.labels.empty() || b.labels[0].text != kind) continue;
    const hcl::Attribute* for_each = b.body.attribute("for_each");
    const hcl::Attribute* iterator = b.body.attribute("iterator");
    const auto content = std::find_if(b.body.blocks.begin(), b.body.blocks.end(),
                                      [](const hcl::Block& c) { return c.type == "content"; });
    const hcl::Value collection = for_each != nullptr ? eval(*for_each->value) : hcl::Value{};
    const bool named_plainly =
        iterator == nullptr || iterator->value->kind == hcl::ExprKind::variable;
    const std::size_t count = collection.items.size() + collection.members.size();
    if (content == b.body.blocks.end() || !named_plainly ||
        (collection.kind != hcl::ValueKind::tuple && collection.kind != hcl::ValueKind::object) ||
        made_ + count > kMaxMadeBlocks) {
      out.push_back({&b, b.span, std::nullopt, true});
      continue;
    }
    made_ += count;
    const std::string name = iterator != nullptr ? iterator->value->text : std::string(kind);
    auto add = [&](hcl::Value key, const hcl::Value& value) {
      hcl::Value it = object_value(file_, b.span);
      it.members.emplace_back("key", std::move(key));
      it.members.emplace_back("value", value);
      out.push_back({&*content, b.span, hcl::ValueMember(name, std::move(it)), false});
    };
    if (collection.kind == hcl::ValueKind::tuple) {
      for (std::size_t i = 0; i < collection.items.size(); ++i)
        add(hcl::number_value(static_cast<double>(i), &file_, b.span), collection.items[i]);
    } else {
      for (const hcl::ValueMember& m : collection.members)
        add(hcl::string_value(m.key, &file_, b.span), m.value);
    }
  }
  return out;
}

hcl::Value PolicyDocumentBuilder::build() {
  // The provider's rendering (aws_iam_policy_document): Version defaults to 2012-10-17; source
  // documents' statements come first, this document's statements replace those with the same
  // Sid, then override documents' statements replace or are added the same way.
  hcl::Value doc = object_value(file_, block_.span);
  if (const hcl::Attribute* version = block_.body.attribute("version")) {
    doc.members.emplace_back("Version", eval(*version->value), version->name_span);
  } else {
    doc.members.emplace_back("Version", hcl::string_value("2012-10-17", &file_, block_.type_span),
                             block_.type_span);
  }
  if (const hcl::Attribute* id = block_.body.attribute("policy_id"))
    doc.members.emplace_back("Id", eval(*id->value), id->name_span);
  std::vector<hcl::Value> statements;
  if (const hcl::Attribute* sources = block_.body.attribute("source_policy_documents"))
    merge_documents(*sources, statements, false);
  // The provider refuses a document two of whose own statements have the same non-empty sid
  // ("duplicate Sid"): Terraform plans nothing. Both are kept, as the author meant them,
  // the second without its sid (this finding says what GD104 would).
  std::map<std::string, Span, std::less<>> own_sids;
  for (Instance& i : instances(block_.body, "statement")) {
    if (i.unknown) {
      statements.push_back(hcl::unknown_value(
          "statements made by a dynamic block are known only when Terraform runs", &file_,
          i.block->span));
      continue;
    }
    const IteratorScope bound(iterators_, std::move(i.iterator));
    hcl::Value made = statement(*i.block, i.span);
    const hcl::Value* sid = made.member("Sid");
    if (sid != nullptr && sid->is_string() && !sid->text.empty()) {
      // Where this block writes its sid (the value may come from a local in another file).
      const hcl::Attribute* written = i.block->body.attribute("sid");
      const Span at = written != nullptr ? written->value->span : i.span;
      const auto [first, added] = own_sids.emplace(sid->text, at);
      if (!added) {
        diagnostics_.push_back(make_diagnostic(
            "GD007", make_location(file_, at),
            fmt::format("sid \"{}\" is already the sid of the statement at line {}: the AWS "
                        "provider refuses this policy document (\"duplicate Sid\"), so Terraform "
                        "applies nothing; give each statement its own sid",
                        sid->text, file_.position(first->second.begin).line)));
        std::erase_if(made.members, [](const hcl::ValueMember& m) { return m.key == "Sid"; });
        statements.push_back(std::move(made));
        continue;
      }
    }
    add_statement(statements, std::move(made), true);
  }
  if (const hcl::Attribute* overrides = block_.body.attribute("override_policy_documents"))
    merge_documents(*overrides, statements, true);
  doc.members.emplace_back("Statement", tuple_value(file_, block_.span, std::move(statements)),
                           block_.type_span);
  return doc;
}

hcl::Value PolicyDocumentBuilder::statement(const hcl::Block& block, Span span) {
  hcl::Value s = object_value(file_, span);
  auto copy = [&](std::string_view argument, std::string element) {
    if (const hcl::Attribute* a = block.body.attribute(argument)) {
      hcl::Value v = eval(*a->value);
      if (argument != "sid") render_policy_variables(v);
      s.members.emplace_back(std::move(element), std::move(v), a->name_span);
    }
  };
  copy("sid", "Sid");
  if (block.body.attribute("effect") != nullptr) {
    copy("effect", "Effect");
  } else {
    s.members.emplace_back("Effect", hcl::string_value("Allow", &file_, block.type_span),
                           block.type_span);
  }
  copy("actions", "Action");
  copy("not_actions", "NotAction");
  copy("resources", "Resource");
  copy("not_resources", "NotResource");
  for (const std::string_view kind : {"principals", "not_principals"}) {
    const std::string element = kind == "principals" ? "Principal" : "NotPrincipal";
    std::optional<hcl::Value> principal;
    Span key_span;
    for (Instance& i : instances(block.body, kind)) {
      const hcl::Block& b = *i.block;
      const bool unknown_dynamic = i.unknown;
      const IteratorScope bound(iterators_, std::move(i.iterator));
      if (!principal) {
        principal = object_value(file_, i.span);
        key_span = b.type_span;
      }
      if (!principal->known()) continue;
      const hcl::Attribute* type_attr = b.body.attribute("type");
      const hcl::Attribute* ids_attr = b.body.attribute("identifiers");
      const hcl::Value type = type_attr != nullptr ? eval(*type_attr->value) : hcl::Value{};
      if (unknown_dynamic || !type.is_string() || !type.unknown_ranges.empty() ||
          ids_attr == nullptr) {
        principal = hcl::unknown_value(unknown_dynamic ? "principals made by a dynamic block"
                                                       : "a principal type known only when "
                                                         "Terraform runs",
                                       &file_, i.span);
        continue;
      }
      hcl::Value ids = eval(*ids_attr->value);
      render_policy_variables(ids);
      if (type.text == "*") {
        // type "*" renders as "Principal": "*" (identifiers must be ["*"]).
        principal = hcl::string_value("*", &file_, type.span);
        break;
      }
      add_values(*principal, type.text, type.span, std::move(ids),
                 hcl::unknown_value("principals of one type given twice", &file_, i.span));
    }
    if (principal) s.members.emplace_back(element, std::move(*principal), key_span);
  }
  std::optional<hcl::Value> conditions;
  Span condition_key;
  for (Instance& i : instances(block.body, "condition")) {
    const hcl::Block& b = *i.block;
    const bool unknown_dynamic = i.unknown;
    const IteratorScope bound(iterators_, std::move(i.iterator));
    if (!conditions) {
      conditions = object_value(file_, i.span);
      condition_key = b.type_span;
    }
    if (!conditions->known()) continue;
    const hcl::Attribute* test_attr = b.body.attribute("test");
    const hcl::Attribute* variable_attr = b.body.attribute("variable");
    const hcl::Attribute* values_attr = b.body.attribute("values");
    const hcl::Value test = test_attr != nullptr ? eval(*test_attr->value) : hcl::Value{};
    const hcl::Value variable =
        variable_attr != nullptr ? eval(*variable_attr->value) : hcl::Value{};
    if (unknown_dynamic || !test.is_string() || !variable.is_string() ||
        !test.unknown_ranges.empty() || !variable.unknown_ranges.empty() ||
        values_attr == nullptr) {
      conditions =
          hcl::unknown_value(unknown_dynamic ? "conditions made by a dynamic block"
                                             : "a condition known only when Terraform runs",
                             &file_, i.span);
      continue;
    }
    hcl::Value values = eval(*values_attr->value);
    render_policy_variables(values);
    auto op = std::find_if(conditions->members.begin(), conditions->members.end(),
                           [&](const hcl::ValueMember& m) { return m.key == test.text; });
    if (op == conditions->members.end()) {
      conditions->members.emplace_back(test.text, object_value(file_, i.span), test.span);
      op = conditions->members.end() - 1;
    }
    add_values(op->value, variable.text, variable.span, std::move(values),
               hcl::unknown_value("a condition key given twice", &file_, i.span));
  }
  if (conditions) s.members.emplace_back("Condition", std::move(*conditions), condition_key);
  return s;
}

void PolicyDocumentBuilder::merge_documents(const hcl::Attribute& attr,
                                            std::vector<hcl::Value>& statements, bool override) {
  const hcl::Value list = eval(*attr.value);
  if (list.kind != hcl::ValueKind::tuple) {
    statements.push_back(hcl::unknown_value(
        fmt::format("{} known only when Terraform runs", attr.name), &file_, attr.span));
    return;
  }
  for (const hcl::Value& item : list.items) {
    const hcl::Value* doc = item.encodes.get();
    hcl::Value decoded;
    if (doc == nullptr && item.is_string() && item.unknown_ranges.empty()) {
      decoded = hcl::call_function("jsondecode", {item}, &file_, item.span);
      doc = &decoded;
    }
    const hcl::Value* list_of =
        doc != nullptr && doc->kind == hcl::ValueKind::object ? doc->member("Statement") : nullptr;
    if (doc == nullptr || doc->kind != hcl::ValueKind::object ||
        (list_of != nullptr && list_of->kind != hcl::ValueKind::tuple &&
         list_of->kind != hcl::ValueKind::object)) {
      statements.push_back(hcl::unknown_value(
          fmt::format("a document in {} known only when Terraform runs", attr.name), &file_,
          item.file == &file_ ? item.span : attr.span));
      continue;
    }
    if (list_of == nullptr) continue;
    const std::size_t adding = list_of->kind == hcl::ValueKind::object ? 1 : list_of->items.size();
    if (statements.size() + adding > kMaxMergedStatements) {
      statements.push_back(hcl::unknown_value(
          fmt::format("{} would merge more than {} statements, far beyond any policy AWS accepts",
                      attr.name, kMaxMergedStatements),
          &file_, attr.span));
      return;
    }
    if (list_of->kind == hcl::ValueKind::object) {
      add_statement(statements, *list_of, override);
      continue;
    }
    for (const hcl::Value& s : list_of->items) add_statement(statements, s, override);
  }
}

json::Value to_tree(const hcl::Value& v, const SourceFile& file, Span anchor,
                    std::vector<Span>& unknown, std::vector<std::string>& why) {
  struct Converter {
    const SourceFile& file;
    std::vector<Span>& unknown;
    std::vector<std::string>& why;

    Span root;

    // Whether `span` is written inside the document (not at a variable's declaration).
    [[nodiscard]] bool inside(Span span) const {
      return span.begin >= root.begin && span.end <= root.end;
    }

    // `anchor` is the nearest enclosing place inside the document.
    json::Value convert(const hcl::Value& v, Span anchor, int depth) {
      const Span at = v.file == &file && v.span.end > v.span.begin ? v.span : anchor;
      if (!v.known() || depth > kMaxTreeDepth) {
        // Where it is used: the statement that holds it is the one made uncertain, not the
        // variable block a value without default was declared in.
        const Span used = inside(at) ? at : anchor;
        unknown.push_back(used);
        why.push_back(v.known() ? std::string("nested too deeply") : v.why);
        json::Value s(json::Kind::string, used);
        s.text = std::string(policy::kUnknownValue);
        return s;
      }
      switch (v.kind) {
        case hcl::ValueKind::null:
          return json::Value(json::Kind::null, at);
        case hcl::ValueKind::boolean: {
          json::Value b(json::Kind::boolean, at);
          b.boolean = v.boolean;
          b.text = v.boolean ? "true" : "false";
          return b;
        }
        case hcl::ValueKind::number: {
          json::Value n(json::Kind::number, at);
          n.text = v.text;
          return n;
        }
        case hcl::ValueKind::string: {
          // A string holding unknowns that was written outside the document (a local, a
          // variable's default) is placed where it is used, as a wholly unknown value is: the
          // findings about it must meet the unknown span, which marks the statement using it.
          const Span where = v.unknown_ranges.empty() || inside(at) ? at : anchor;
          json::Value s(json::Kind::string, where);
          s.text = v.text;
          for (const auto& [b, e] : v.unknown_ranges) {
            const Span range = v.file == &file ? unknown_range_span(v, b, e) : at;
            unknown.push_back(inside(range) ? range : anchor);
            why.push_back(v.why);
          }
          return s;
        }
        case hcl::ValueKind::tuple: {
          json::Value a(json::Kind::array, at);
          for (const hcl::Value& item : v.items)
            a.items.push_back(convert(item, inside(at) ? at : anchor, depth + 1));
          return a;
        }
        case hcl::ValueKind::object: {
          json::Value o(json::Kind::object, at);
          for (const hcl::ValueMember& m : v.members) {
            json::Member member;
            member.key = m.key;
            member.key_span =
                v.file == &file && m.key_span.end > m.key_span.begin ? m.key_span : at;
            if (depth == 0 && m.key == "Statement") {
              member.value = convert_statements(m.value, inside(at) ? at : anchor);
            } else {
              member.value = convert(m.value, inside(at) ? at : anchor, depth + 1);
            }
            o.members.push_back(std::move(member));
          }
          return o;
        }
        case hcl::ValueKind::unknown:
          break;
      }
      return json::Value(json::Kind::null, at);
    }

    // A statement merged from another document (source_policy_documents,
    // override_policy_documents) is written outside this document's block. It is still written
    // in the file, so its unknown values are placed in it: the statement that holds them is the
    // one left unjudged (placed at the document, they marked no statement, and the statement
    // was judged on its `${...}` text).
    json::Value convert_statement(const hcl::Value& statement, Span anchor) {
      const bool elsewhere = statement.file == &file && statement.span.end > statement.span.begin &&
                             !inside(statement.span);
      if (!elsewhere) return convert(statement, anchor, 2);
      const Span document = root;
      root = statement.span;
      json::Value out = convert(statement, statement.span, 2);
      root = document;
      return out;
    }

    json::Value convert_statements(const hcl::Value& v, Span anchor) {
      if (!v.known() || (v.kind != hcl::ValueKind::tuple && v.kind != hcl::ValueKind::object))
        return convert(v, anchor, 1);
      if (v.kind == hcl::ValueKind::object) return convert_statement(v, anchor);
      const Span at = v.file == &file && v.span.end > v.span.begin ? v.span : anchor;
      json::Value a(json::Kind::array, at);
      for (const hcl::Value& item : v.items)
        a.items.push_back(convert_statement(item, inside(at) ? at : anchor));
      return a;
    }
  };
  const Span root = v.file == &file && v.span.end > v.span.begin ? v.span : anchor;
  Converter converter{file, unknown, why, root};
  return converter.convert(v, root, 0);
}

}  // namespace gdl::containers::tf
