#include "containers/terraform_module.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "containers/stand_ins.h"
#include "containers/terraform_json_syntax.h"
#include "diag/rule_catalog.h"
#include "hcl/functions.h"
#include "hcl/parser.h"
#include "json/parser.h"
#include "source/loader.h"
#include "util/text.h"

namespace gdl::containers::tf {

std::string written_index(std::string_view key, bool by_key) {
  return by_key ? fmt::format("[\"{}\"]", key) : fmt::format("[{}]", key);
}

namespace {

// Whether an expression reads a variable (a value each deployment may set otherwise: a
// default, a -var), iteratively: the expression may come from hostile input.
bool reads_inputs(const hcl::Expr& root) {
  std::vector<const hcl::Expr*> pending{&root};
  while (!pending.empty()) {
    const hcl::Expr* e = pending.back();
    pending.pop_back();
    if (e->kind == hcl::ExprKind::variable && e->text == "var") return true;
    for (const auto& child : e->children) {
      if (child) pending.push_back(child.get());
    }
  }
  return false;
}

// Files larger than this are not read on a reference (a template, a module's file).
constexpr std::size_t kMaxReferencedFileBytes = 4U * 1024U * 1024U;

std::string join_path(const std::string& dir, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || path.front() == '/') return path;
  const fs::path joined = dir.empty() || dir == "." ? fs::path(path) : fs::path(dir) / path;
  std::string lexical = joined.lexically_normal().string();
  if (lexical.starts_with("../") || lexical == "..") {
    // A module read through a caller above the current directory ("../../main.tf") that calls
    // one back below it: "../../modules/x" is "." from modules/x, as the user spells it. (Only
    // one that comes back in: a path that stays above it keeps the call's spelling.)
    std::error_code cwd_ec;
    const fs::path here = fs::current_path(cwd_ec);
    if (const fs::path shortest = cwd_ec ? fs::path() : shortest_from(lexical, here);
        !shortest.empty() && *shortest.begin() != "..")
      lexical = shortest.string();
  }
  if (path.find("..") == std::string::npos) return lexical;
  // ".." goes up from where a linked directory really is, as the system (and Terraform)
  // resolves it, not from the link's spelling: `check link-to-examples/x` with
  // source = "../../" reads the module above the real x, not files beside the link.
  std::error_code ec;
  const fs::path base = dir.empty() ? fs::path(".") : fs::path(dir);
  const fs::path real_dir = fs::canonical(base, ec);
  if (ec) return lexical;
  const fs::path spelled = fs::absolute(base, ec).lexically_normal();
  if (ec || real_dir == spelled || real_dir / "" == spelled) return lexical;
  const fs::path physical = (real_dir / path).lexically_normal();
  const fs::path here = fs::canonical(fs::current_path(ec), ec);
  if (ec) return physical.string();
  const fs::path relative = physical.lexically_relative(here);
  return relative.empty() || *relative.begin() == ".." ? physical.string() : relative.string();
}

bool has_argument(const hcl::Block& block, std::string_view name) {
  return block.body.attribute(name) != nullptr;
}

std::string label(const hcl::Block& block, std::size_t i) {
  return i < block.labels.size() ? block.labels[i].text : std::string();
}

hcl::Value string_at(std::string text, const SourceFile& file, Span span) {
  return hcl::string_value(std::move(text), &file, span);
}

// A provider configuration's name as written, quotes and blanks dropped: an alias ("x"), or a
// reference to a configuration (`aws`, `aws.x`, "aws.x").
std::string written_name(const hcl::Expr& e, const SourceFile& file) {
  const std::string_view text = file.text();
  if (e.span.end > text.size()) return {};
  std::string name(text.substr(e.span.begin, e.span.size()));
  std::erase_if(name, [](char c) { return c == '"' || c == ' ' || c == '\t'; });
  return name;
}

// An input file (terraform.tfvars, --var-file) read as attributes evaluated without references.
class NoReferences final : public hcl::Scope {
 public:
  std::optional<hcl::Value> reference(const std::string&, const std::vector<std::string>&,
                                      std::size_t&, const SourceFile&, Span) override {
    return std::nullopt;
  }
};

// The name an object type's attribute is written with: `a = string` or `"a" = string`.
std::optional<std::string> type_attribute_name(const hcl::Expr& key) {
  if (key.kind == hcl::ExprKind::literal_text || key.kind == hcl::ExprKind::variable)
    return key.text;
  if (key.kind == hcl::ExprKind::template_ && key.children.size() == 1 &&
      key.children[0]->kind == hcl::ExprKind::literal_text)
    return key.children[0]->text;
  return std::nullopt;
}

// A variable's value converted to its type constraint as far as a module reads it: an object
// type's optional attributes (`optional(string, "x")`, Terraform 1.3) are filled in where the
// value omits them or holds null, with their default or else null, in lists, sets, maps and
// tuples of objects too (HCL's typeexpr Defaults.Apply). Nothing else is converted: a value
// that does not fit its type is left as it is (Terraform rejects it; its plan says so).
hcl::Value with_type_defaults(hcl::Value v, const hcl::Expr& type, const SourceFile& file,
                              int depth = 0) {
  if (depth > hcl::kMaxDepth || type.kind != hcl::ExprKind::call || !v.known()) return v;
  const std::string_view kind = type.text;
  const hcl::Expr* inner = type.child(0);
  if (inner == nullptr) return v;
  if ((kind == "list" || kind == "set") && v.kind == hcl::ValueKind::tuple) {
    for (hcl::Value& item : v.items)
      item = with_type_defaults(std::move(item), *inner, file, depth + 1);
  } else if (kind == "map" && v.kind == hcl::ValueKind::object) {
    for (hcl::ValueMember& m : v.members)
      m.value = with_type_defaults(std::move(m.value), *inner, file, depth + 1);
  } else if (kind == "tuple" && inner->kind == hcl::ExprKind::tuple &&
             v.kind == hcl::ValueKind::tuple) {
    for (std::size_t i = 0; i < v.items.size() && i < inner->children.size(); ++i)
      v.items[i] = with_type_defaults(std::move(v.items[i]), *inner->children[i], file, depth + 1);
  } else if (kind == "object" && inner->kind == hcl::ExprKind::object &&
             v.kind == hcl::ValueKind::object) {
    for (std::size_t k = 0; k + 1 < inner->children.size(); k += 2) {
      const std::optional<std::string> name = type_attribute_name(*inner->children[k]);
      if (!name) continue;
      const hcl::Expr* attribute_type = inner->children[k + 1].get();
      const bool optional =
          attribute_type->kind == hcl::ExprKind::call && attribute_type->text == "optional";
      if (optional) {
        if (attribute_type->child(0) == nullptr) continue;
        const hcl::Expr& declared = *attribute_type->child(0);
        auto member = std::find_if(v.members.begin(), v.members.end(),
                                   [&](const hcl::ValueMember& m) { return m.key == *name; });
        if (member == v.members.end() || member->value.kind == hcl::ValueKind::null) {
          hcl::Value filled = hcl::null_value(&file, attribute_type->span);
          if (const hcl::Expr* fallback = attribute_type->child(1)) {
            NoReferences none;
            hcl::Evaluator evaluator(none, file);
            filled = with_type_defaults(evaluator.evaluate(*fallback), declared, file, depth + 1);
          }
          if (member == v.members.end()) {
            v.members.emplace_back(*name, std::move(filled));
          } else {
            member->value = std::move(filled);
          }
          continue;
        }
        member->value = with_type_defaults(std::move(member->value), declared, file, depth + 1);
        continue;
      }
      for (hcl::ValueMember& m : v.members) {
        if (m.key == *name)
          m.value = with_type_defaults(std::move(m.value), *attribute_type, file, depth + 1);
      }
    }
  }
  return v;
}

}  // namespace

const std::string& Session::repository() {
  if (!repository_) {
    repository_.emplace();
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::weakly_canonical(
        std::filesystem::absolute(root_dir.empty() ? "." : root_dir, ec), ec);
    if (!ec) *repository_ = work_tree_of(dir).string();
  }
  return *repository_;
}

const SourceFile* Session::load(const std::string& full, bool module_file) {
  if (!hints.read_files) return nullptr;
  // A template or plan saved as *.tf.json is no file of a module.
  const auto of_module = [&](const SourceFile& file) {
    return !module_file || !is_json_syntax_file(full) || is_json_syntax_module(file);
  };
  if (auto it = loaded.find(full); it != loaded.end())
    return it->second != nullptr && of_module(*it->second) ? it->second : nullptr;
  // No configuration templates a policy from the system's own files: file("/proc/self/environ")
  // in a pull request's module would put the runner's environment into the findings (a CI log
  // or a code-scanning annotation anyone can read).
  {
    std::error_code ec;
    // Absolute first: weakly_canonical leaves a relative path relative when no prefix of it
    // exists ("nope.json").
    const std::string real =
        std::filesystem::weakly_canonical(std::filesystem::absolute(full, ec), ec).string();
    for (const std::string_view system : {"/proc/", "/sys/", "/dev/"}) {
      if (real.starts_with(system) || full.starts_with(system)) {
        loaded.emplace(full, nullptr);
        return nullptr;
      }
    }
    // Nor from outside the repository (a link out of it included: `real` is resolved).
    const std::string& repo = repository();
    if (!repo.empty() && !ec && !within(real, repo)) {
      loaded.emplace(full, nullptr);
      outside_.insert(full);
      return nullptr;
    }
  }
  if (files_read >= kMaxModuleFiles) return nullptr;
  ++files_read;
  LoadResult result = load_source(full, kMaxReferencedFileBytes);
  auto* file = std::get_if<std::unique_ptr<SourceFile>>(&result);
  // Not kept (nor listed among the files read), nor remembered: a file() of it still reads it.
  if (file != nullptr && !of_module(**file)) return nullptr;
  const SourceFile* kept = file != nullptr ? keep(std::move(*file)) : nullptr;
  loaded.emplace(full, kept);
  return kept;
}

const std::string* Session::installed_module(const std::string& key) {
  if (!installed) {
    installed.emplace();
    if (!hints.read_files) return nullptr;
    // {"Modules": [{"Key": "guardduty", "Source": "registry...", "Dir": ".terraform/..."}]}
    LoadResult result = load_source(join_path(root_dir, ".terraform/modules/modules.json"),
                                    kMaxReferencedFileBytes);
    const auto* file = std::get_if<std::unique_ptr<SourceFile>>(&result);
    if (file == nullptr) return nullptr;
    const json::ParseResult parsed = json::parse(**file);
    const json::Member* modules =
        parsed.root && parsed.root->is_object() ? parsed.root->find("Modules") : nullptr;
    if (modules == nullptr || !modules->value.is_array()) return nullptr;
    for (const json::Value& m : modules->value.items) {
      const json::Member* k = m.is_object() ? m.find("Key") : nullptr;
      const json::Member* dir = m.is_object() ? m.find("Dir") : nullptr;
      if (k != nullptr && dir != nullptr && k->value.is_string() && dir->value.is_string() &&
          !k->value.text.empty())
        installed->insert_or_assign(k->value.text, dir->value.text);
    }
  }
  const auto it = installed->find(key);
  return it != installed->end() ? &it->second : nullptr;
}

std::string Session::spelled(std::string path) const {
  if (dot_prefix && path != "." && path != ".." && !path.starts_with("./") &&
      !path.starts_with("../") && !path.starts_with("/"))
    path.insert(0, "./");
  return path;
}

const SourceFile* Session::keep(std::unique_ptr<SourceFile> file) {
  std::shared_ptr<const SourceFile> shared = std::move(file);
  out.files.push_back(shared);
  return shared.get();
}

void Session::stand_in(const std::string& value, const std::string& symbol) {
  if (out.symbol_for(value) == nullptr) out.stand_ins.emplace_back(value, symbol);
}

void Session::spelled_stand_in(const std::string& value, const std::string& symbol) {
  if (!spelled_values.insert(value).second) return;
  if (std::string* known = out.symbol_for(value))
    *known = symbol;
  else
    out.stand_ins.emplace_back(value, symbol);
}

void Session::note(const SourceFile& file, Span span, const std::string& text) {
  const Position p = file.position(span.begin);
  out.notes.push_back(fmt::format("{}:{}:{}: {}", file.path(), p.line, p.column, text));
}

ParsedFile Session::parse(const SourceFile& file) {
  hcl::ParseResult parsed =
      is_json_syntax_file(file.path()) ? parse_json_syntax(file) : hcl::parse(file);
  for (Diagnostic& d : parsed.diagnostics) out.diagnostics.push_back(std::move(d));
  return {&file, std::move(parsed.body)};
}

Module::Module(Session& session, std::vector<ParsedFile> files, std::string dir,
               std::string address, Module* caller, const hcl::Block* call,
               const SourceFile* call_file, int depth)
    : session_(session),
      files_(std::move(files)),
      dir_(std::move(dir)),
      address_(std::move(address)),
      caller_(caller),
      call_(call),
      call_file_(call_file),
      depth_(depth) {
  index();
  load_children();
}

bool is_override_file(const SourceFile& file) {
  std::string name = std::filesystem::path(file.path()).filename().string();
  if (name.ends_with(".json")) name.resize(name.size() - 5);
  return name == "override.tf" || name.ends_with("_override.tf");
}

void Module::index() {
  // Override files last: their locals replace the others' value by value, as Terraform merges
  // them. Their other blocks are merged by Terraform argument by argument, which is not
  // modelled: such a block is noted, and the block as the other file writes it is read.
  std::vector<const ParsedFile*> ordered;
  for (const ParsedFile& f : files_) {
    if (!is_override_file(*f.source)) ordered.push_back(&f);
  }
  const std::size_t overrides_from = ordered.size();
  for (const ParsedFile& f : files_) {
    if (is_override_file(*f.source)) ordered.push_back(&f);
  }
  // In the lexical order of their names, as Terraform merges them (the files may come in the
  // order they were named).
  std::sort(ordered.begin() + static_cast<std::ptrdiff_t>(overrides_from), ordered.end(),
            [](const ParsedFile* a, const ParsedFile* b) {
              return std::filesystem::path(a->source->path()).filename() <
                     std::filesystem::path(b->source->path()).filename();
            });
  // A name declared twice outside override files is a configuration Terraform refuses
  // ("Duplicate resource ... configuration", "Duplicate local value definition"): an error at
  // the second declaration, which is not read.
  const auto refuse_second = [this](const SourceFile& file, Span at, const std::string& what,
                                    const SourceFile& first_file, Span first_at) {
    const Position first = first_file.position(first_at.begin);
    session_.out.diagnostics.push_back(make_diagnostic(
        "GD007", make_location(file, at),
        fmt::format("{} is declared twice (first at {}:{}:{}): Terraform refuses the "
                    "configuration, so nothing in it is deployed",
                    what, first_file.path(), first.line, first.column)));
  };
  const auto labels_span = [](const hcl::Block& block) {
    return block.labels.empty()
               ? block.type_span
               : Span{block.labels.front().span.begin, block.labels.back().span.end};
  };
  const auto described = [](const hcl::Block& block) {
    std::string what = block.type;
    for (const hcl::Label& l : block.labels) what += fmt::format(" \"{}\"", l.text);
    return what;
  };
  // An override file's block is merged into the block of the same name (noted below), so only
  // a second declaration outside override files is refused.
  using Names = std::map<std::string, Named, std::less<>>;
  const auto declare = [&](Names& names, std::string key, const Named& named, bool overriding,
                           std::string_view qualified = {}) {
    const auto [it, fresh] = names.emplace(std::move(key), named);
    if (fresh || overriding) return;
    refuse_second(*named.file, labels_span(*named.block),
                  described(*named.block) + std::string(qualified), *it->second.file,
                  labels_span(*it->second.block));
  };
  Names module_names;  // module_calls_ keeps the calls in the order written (children_ follows)
  Names providers;     // by name and alias
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const ParsedFile& f = *ordered[i];
    const bool overriding = i >= overrides_from;
    for (const hcl::Block& block : f.body.blocks) {
      const Named named{&block, f.source};
      if (overriding && block.type == "locals") {
        for (const hcl::Attribute& a : block.body.attributes)
          locals_.insert_or_assign(a.name, Definition{a.value.get(), f.source});
        continue;
      }
      if (overriding && block.type == "resource" && block.labels.size() == 2 &&
          block.body.attribute("policy") != nullptr) {
        resource_overrides_.insert_or_assign(label(block, 0) + "." + label(block, 1), named);
        continue;
      }
      if (overriding && block.type != "terraform" && block.type != "provider") {
        session_.note(
            *f.source, block.type_span,
            fmt::format("{} {} in an override file: Terraform merges it into the "
                        "block of the same name, which is read as its own file "
                        "writes it (override files' blocks are not merged here)",
                        block.type,
                        label(block, 0) + (block.labels.size() > 1 ? "." + label(block, 1) : "")));
      }
      if (block.type == "resource" && block.labels.size() == 2) {
        declare(resources_, label(block, 0) + "." + label(block, 1), named, overriding);
      } else if (block.type == "data" && block.labels.size() == 2) {
        declare(data_, label(block, 0) + "." + label(block, 1), named, overriding);
      } else if (block.type == "variable" && block.labels.size() == 1) {
        declare(variables_, label(block, 0), named, overriding);
      } else if (block.type == "locals") {
        // (An override file's locals were taken above.)
        for (const hcl::Attribute& a : block.body.attributes) {
          const auto [it, fresh] = locals_.emplace(a.name, Definition{a.value.get(), f.source});
          if (!fresh)
            refuse_second(*f.source, a.name_span, fmt::format("local.{}", a.name), *it->second.file,
                          it->second.expr->span);
        }
      } else if (block.type == "module" && block.labels.size() == 1) {
        declare(module_names, label(block, 0), named, overriding);
        module_calls_.push_back(named);
      } else if (block.type == "output" && block.labels.size() == 1) {
        declare(outputs_, label(block, 0), named, overriding);
      } else if (block.type == "provider" && block.labels.size() == 1) {
        // Each configuration of a provider needs its own alias ("Duplicate provider
        // configuration": Terraform refuses the module, even at init).
        const hcl::Attribute* alias = block.body.attribute("alias");
        const std::string alias_name =
            alias != nullptr ? written_name(*alias->value, *f.source) : std::string();
        declare(providers, label(block, 0) + '\n' + alias_name, named, overriding,
                alias_name.empty() ? " (without alias)"
                                   : fmt::format(" with alias \"{}\"", alias_name));
        if (label(block, 0) == "aws") aws_providers_.emplace(alias_name, named);
      }
    }
  }
  if (caller_ != nullptr) return;
  // The root module's inputs, in Terraform's order of precedence (later ones win):
  // terraform.tfvars, terraform.tfvars.json, *.auto.tfvars and *.auto.tfvars.json in lexical
  // order, then "any -var and -var-file options on the command line, in the order they are
  // provided" (Terraform, "Variable Definition Precedence").
  if (session_.hints.read_files) {
    std::error_code ec;
    for (const char* name : {"terraform.tfvars", "terraform.tfvars.json"}) {
      if (std::filesystem::is_regular_file(join_path(dir_, name), ec))
        read_var_file(join_path(dir_, name));
    }
    std::vector<std::string> auto_files;
    for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json"))
        auto_files.push_back(join_path(dir_, name));
    }
    std::sort(auto_files.begin(), auto_files.end());
    for (const std::string& path : auto_files) read_var_file(path);
  }
  for (const TerraformInput& input : session_.hints.terraform_inputs) {
    if (input.is_file) {
      read_var_file(input.value);
    } else {
      read_var(input.name, input.value);
    }
  }
}

// A variables file's values into the root module's inputs.
void Module::read_var_file(const std::string& path) {
  NoReferences none;
  LoadResult result = load_source(path, kMaxReferencedFileBytes);
  auto* loaded = std::get_if<std::unique_ptr<SourceFile>>(&result);
  if (loaded == nullptr) {
    // The command line refuses a --var-file it cannot read at all; one over a module read's
    // bound (4 MB), or an auto-loaded file that cannot be read, is said here, and the policies
    // are judged in part: values resting on its variables are unknown.
    const LoadError& error = std::get<LoadError>(result);
    session_.out.notes.push_back(fmt::format(
        "{}: the variables are not read ({}); values that rest on them are unknown", path,
        error.too_large ? fmt::format("larger than {} MB, the most a module's files are read to",
                                      kMaxReferencedFileBytes / (1024U * 1024U))
                        : error.message));
    ++session_.out.unread_policies;
    return;
  }
  const SourceFile* file = session_.keep(std::move(*loaded));
  if (path.ends_with(".json")) {
    // A JSON variables file is one object of names and values, read as JSON (Terraform
    // evaluates nothing in it: "${...}" is text, and HCL's escapes are not JSON's).
    json::ParseResult parsed = json::parse(*file);
    const bool valid = parsed.root && parsed.diagnostics.empty();
    for (Diagnostic& d : parsed.diagnostics) session_.out.diagnostics.push_back(std::move(d));
    if (!valid) return;
    const Span whole{0, file->text().size()};
    hcl::Value values = hcl::call_function(
        "jsondecode", {hcl::string_value(std::string(file->text()), file, whole, true)}, file,
        whole);
    if (values.kind != hcl::ValueKind::object) {
      session_.out.diagnostics.push_back(make_diagnostic(
          "GD007", make_location(*file, parsed.root->span),
          !values.known() && parsed.root->is_object()
              ? fmt::format("this JSON variables file is not read: {}", values.why)
              : std::string(
                    "a JSON variables file must be one object of variable names and values")));
      return;
    }
    for (hcl::ValueMember& m : values.members) inputs_.insert_or_assign(m.key, std::move(m.value));
    return;
  }
  hcl::ParseResult parsed = hcl::parse(*file);
  for (Diagnostic& d : parsed.diagnostics) session_.out.diagnostics.push_back(std::move(d));
  for (const hcl::Attribute& a : parsed.body.attributes) {
    hcl::Evaluator evaluator(none, *file);
    inputs_.insert_or_assign(a.name, evaluator.evaluate(*a.value));
  }
}

// A `-var NAME=VALUE` into the root module's inputs: a string unless the variable's type says
// otherwise; then the value is written as an HCL expression.
void Module::read_var(const std::string& name, const std::string& text) {
  NoReferences none;
  const auto declared = variables_.find(name);
  const hcl::Attribute* type =
      declared != variables_.end() ? declared->second.block->body.attribute("type") : nullptr;
  const hcl::Traversal t = type != nullptr ? hcl::static_traversal(*type->value) : hcl::Traversal{};
  const SourceFile* file =
      session_.keep(std::make_unique<SourceFile>(fmt::format("--var {}", name), std::string(text)));
  if (declared == variables_.end()) {
    // Terraform refuses a -var for a variable the root module does not declare. The value
    // is still used where var.NAME is written (a module read without its variables.tf).
    Diagnostic d = make_diagnostic(
        "GD007", make_location(*file, {0, text.size()}),
        fmt::format("the module in {} declares no variable \"{}\" (Terraform refuses "
                    "a -var for an undeclared variable); its value is used only where "
                    "var.{} is written",
                    dir_.empty() ? "." : dir_, name, name));
    d.severity = Severity::note;
    session_.out.diagnostics.push_back(std::move(d));
  }
  if (type == nullptr || t.root == "string" || t.root == "any") {
    inputs_.insert_or_assign(name, hcl::string_value(text, file, {0, text.size()}, true));
    return;
  }
  hcl::ExpressionResult parsed = hcl::parse_expression(*file);
  if (!parsed.expr || !parsed.diagnostics.empty()) {
    for (Diagnostic& d : parsed.diagnostics) session_.out.diagnostics.push_back(std::move(d));
    return;
  }
  hcl::Evaluator evaluator(none, *file);
  inputs_.insert_or_assign(name, evaluator.evaluate(*parsed.expr));
}

void Module::load_children() {
  for (const Named& call : module_calls_) {
    std::unique_ptr<Module>& child = children_.emplace_back();
    const hcl::Attribute* source = call.block->body.attribute("source");
    if (source == nullptr) {
      // Terraform refuses the configuration: say so where the call is.
      session_.out.diagnostics.push_back(make_diagnostic(
          "GD007", make_location(*call.file, call.block->span),
          fmt::format("module \"{}\" has no source; Terraform requires one, and refuses the "
                      "configuration without it",
                      label(*call.block, 0))));
      continue;
    }
    const hcl::Value where = evaluate(*source->value, *call.file);
    const bool local =
        where.is_string() && (where.text.starts_with("./") || where.text.starts_with("../"));
    // A registry or remote module is read where `terraform init` installed it; otherwise its
    // arguments are read at the call.
    std::string key = fmt::format("{}module.{}", address_, label(*call.block, 0));
    for (std::size_t at; (at = key.find("module.")) != std::string::npos;) key.erase(at, 7);
    const std::string* installed = local ? nullptr : session_.installed_module(key);
    if (!local && installed == nullptr) {
      session_.module_unread = true;
      session_.note(*call.file, source->span,
                    fmt::format("module {} ({}) is not read: run terraform init to have it read "
                                "from .terraform/modules, or check the plan",
                                label(*call.block, 0), where.is_string() ? where.text : "?"));
      continue;
    }
    if (depth_ + 1 > kMaxModuleDepth || !session_.hints.read_files ||
        session_.modules_read >= kMaxModuleReads) {
      // What the module holds is not judged: a clean result says it was judged in part.
      session_.module_unread = true;
      if (session_.hints.read_files) ++session_.out.unread_policies;
      session_.note_once(*call.file, call.block->span,
                         fmt::format("module {} is not read ({})", label(*call.block, 0),
                                     !session_.hints.read_files ? "files are not read here"
                                     : depth_ + 1 > kMaxModuleDepth
                                         ? "modules nest too deeply"
                                         : fmt::format("more than {} module calls are read in all",
                                                       kMaxModuleReads)));
      continue;
    }
    const std::string dir = session_.spelled(local ? join_path(dir_, where.text)
                                                   : join_path(session_.root_dir, *installed));
    std::error_code ec;
    // A module that calls itself, or one of the modules that call it, is a cycle Terraform
    // cannot load: reported once at the call, not expanded until the depth bound.
    bool cycle = false;
    for (const Module* m = this; m != nullptr && !cycle; m = m->caller_)
      cycle = std::filesystem::equivalent(dir, m->dir_.empty() ? "." : m->dir_, ec);
    if (cycle) {
      session_.out.diagnostics.push_back(make_diagnostic(
          "GD007", make_location(*call.file, source->span),
          fmt::format("module \"{}\" calls {}, a module it is itself part of: Terraform cannot "
                      "load a module cycle",
                      label(*call.block, 0), where.text)));
      continue;
    }
    std::vector<std::string> paths;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".tf" || is_json_syntax_file(it->path().native()))
        paths.push_back(it->path().string());
    }
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) {
      session_.note(*call.file, source->span,
                    fmt::format("module {}: no .tf files in {}", label(*call.block, 0), dir));
      continue;
    }
    std::vector<ParsedFile> files;
    for (const std::string& path : paths) {
      // A template or plan saved as *.tf.json is no file of the module (it is checked where
      // the scan lists it).
      if (const SourceFile* file = session_.load(path, true))
        files.push_back(session_.parse(*file));
    }
    if (files.empty() && session_.outside_repository(paths.front())) {
      // What the module holds is not judged: a clean result says it was judged in part.
      session_.module_unread = true;
      ++session_.out.unread_policies;
      session_.note_once(*call.file, call.block->span,
                         fmt::format("module {} is not read: {} is outside the repository ({}), "
                                     "whose files are not read",
                                     label(*call.block, 0), dir, session_.repository()));
      continue;
    }
    ++session_.modules_read;
    child = std::make_unique<Module>(session_, std::move(files), dir,
                                     fmt::format("{}module.{}.", address_, label(*call.block, 0)),
                                     this, call.block, call.file, depth_ + 1);
  }
}

bool Module::exports() const {
  for (const auto& [key, r] : resources_) {
    if (key.starts_with("aws_guardduty_detector.") ||
        key.starts_with("aws_guardduty_publishing_destination."))
      return true;
  }
  return std::any_of(children_.begin(), children_.end(),
                     [](const auto& child) { return child && child->exports(); });
}

std::size_t Module::creates(std::string_view type) const {
  return static_cast<std::size_t>(
      std::count_if(resources_.begin(), resources_.end(), [type](const auto& entry) {
        const auto& [key, r] = entry;
        return key.size() > type.size() && key.starts_with(type) && key[type.size()] == '.' &&
               r.block->body.attribute("provider") == nullptr &&
               r.block->body.attribute("region") == nullptr;
      }));
}

std::optional<std::vector<std::string>> Module::for_each_keys(const Named& block) {
  const hcl::Attribute* for_each = block.block->body.attribute("for_each");
  if (for_each == nullptr) return std::nullopt;
  // A set of strings or a map: its elements or keys name the instances (`x["enabled"]`).
  const hcl::Value v = evaluate(*for_each->value, *block.file);
  std::vector<std::string> keys;
  if (v.kind == hcl::ValueKind::tuple) {
    for (const hcl::Value& item : v.items) {
      if (!item.is_string() || !item.unknown_ranges.empty()) return std::nullopt;
      keys.push_back(item.text);
    }
  } else if (v.kind == hcl::ValueKind::object) {
    for (const hcl::ValueMember& m : v.members) keys.push_back(m.key);
  } else {
    return std::nullopt;
  }
  return keys;
}

std::optional<std::size_t> Module::count_of(const Named& block) {
  if (has_argument(*block.block, "for_each")) {
    const auto keys = for_each_keys(block);
    return keys ? std::optional<std::size_t>(keys->size()) : std::nullopt;
  }
  const hcl::Attribute* count = block.block->body.attribute("count");
  if (count == nullptr) return 1;
  const hcl::Value n = evaluate(*count->value, *block.file);
  // Terraform takes only a whole number (1.5 is an error, not one instance).
  if (n.kind != hcl::ValueKind::number || n.number < 0 || n.number > 1e6 ||
      n.number != std::floor(n.number))
    return std::nullopt;
  return static_cast<std::size_t>(n.number);
}

std::optional<hcl::Value> Module::single_instance_value(const std::string& root,
                                                        const std::string& name,
                                                        const SourceFile& file, Span span) {
  auto inside = [&](Span outer) { return outer.begin <= span.begin && span.end <= outer.end; };
  const Named* block = nullptr;
  auto find = [&](const Named& n) {
    if (block == nullptr && n.file == &file && inside(n.block->span)) block = &n;
  };
  for (const auto& [key, n] : resources_) find(n);
  for (const auto& [key, n] : data_) find(n);
  for (const Named& n : module_calls_) find(n);
  if (block == nullptr) return std::nullopt;
  // Terraform refuses count.index in count itself, each in for_each.
  const hcl::Attribute* instances =
      block->block->body.attribute(root == "count" ? "count" : "for_each");
  if (instances == nullptr || inside(instances->span)) return std::nullopt;
  // The instance being read (x[1].arn), or the only one; with several and none being read,
  // it stays unknown.
  // (A copy: evaluating for_each below may read other instances, growing instances_.)
  std::optional<std::string> current;
  for (auto it = instances_.rbegin(); it != instances_.rend() && !current; ++it) {
    if (it->block == block->block) current = it->key;
  }
  if (root == "count") {
    if (name != "index" || has_argument(*block->block, "for_each")) return std::nullopt;
    if (current) return hcl::number_value(std::stod(*current), &file, span);
    if (count_of(*block) != 1) return std::nullopt;
    return hcl::number_value(0, &file, span);
  }
  const hcl::Value all = evaluate(*instances->value, *block->file);
  hcl::Value key, value;
  if (all.kind == hcl::ValueKind::tuple) {
    // A set of strings: each.value is each.key.
    for (const hcl::Value& item : all.items) {
      if (!item.is_string() || !item.unknown_ranges.empty()) continue;
      if (current ? item.text == *current : all.items.size() == 1) key = value = item;
    }
  } else if (all.kind == hcl::ValueKind::object) {
    for (const hcl::ValueMember& m : all.members) {
      if (current ? m.key == *current : all.members.size() == 1) {
        key = string_at(m.key, file, span);
        value = m.value;
      }
    }
  }
  if (!key.is_string()) return std::nullopt;
  if (name == "key") return string_at(key.text, file, span);
  if (name == "value") return value;
  return std::nullopt;
}

hcl::Value Module::evaluate(const hcl::Expr& e, const SourceFile& file) {
  hcl::Evaluator evaluator(*this, file);
  return evaluator.evaluate(e);
}

hcl::Value Module::unknown(std::string why, const SourceFile& file, Span span) const {
  return hcl::unknown_value(std::move(why), &file, span);
}

std::optional<hcl::Value> Module::attribute(const Named& r, std::string_view name) {
  const hcl::Attribute* a = r.block->body.attribute(name);
  if (a == nullptr) return std::nullopt;
  return evaluate(*a->value, *r.file);
}

std::string Module::region_of(const Named& r, std::string& why, bool stand_in, bool* assumed) {
  bool ignored = false;
  bool& guessed = assumed != nullptr ? *assumed : ignored;
  guessed = false;
  // Where the provider's Region is the module's: the stand-in only when it may be used.
  auto module_region = [&] {
    // The default provider's `region` when written (provider "aws" { region = "me-south-1" }):
    // --region stands for the Region only where the module leaves it open.
    if (std::string configured = provider_region(""); !configured.empty()) return configured;
    guessed = true;
    // Of several Regions given, which one the default configuration deploys in is not known
    // (findings of every Region may go to one Region's bucket and key): not the first given.
    if (!session_.region_stands_in && !session_.one_region_given && !session_.region_of_given_key) {
      why =
          "the default provider's Region is not written, and of the Regions given which one "
          "it is is not known";
      return std::string();
    }
    if (stand_in) return region();
    return session_.region_stands_in ? std::string() : session_.region;
  };
  // AWS provider v6 takes `region` on each regional resource; null means the provider's.
  if (std::optional<hcl::Value> v = written_argument(r, "region")) {
    if (v->is_string() && v->unknown_ranges.empty() && !v->text.empty()) return v->text;
    // A variable given no value is chosen when the module is deployed, as the provider's
    // Region is: the same stand-in (or --region). Anything else (each.value) is unknown.
    const hcl::Attribute* at = r.block->body.attribute("region");
    const hcl::Traversal t = hcl::static_traversal(*at->value);
    if (t.root == "var" && t.steps.size() == 1) {
      if (stand_in)
        session_.note_once(
            *r.file, at->value->span,
            fmt::format("region = var.{} has no value: checked as the module's Region, as "
                        "the provider's is (give --var {}=... or --region)",
                        t.steps[0], t.steps[0]));
      return module_region();
    }
    why = "its region argument is known only when Terraform runs";
    return {};
  }
  // `provider = aws.us_east_2`: a reference Terraform resolves to that configuration's region.
  const std::optional<std::string> alias = provider_alias(r);
  if (!alias || alias->empty())
    return module_region();  // the default configuration, or not AWS's Region question
  if (std::string configured = provider_region(*alias); !configured.empty()) return configured;
  // Not known offline (declared in a file not read, or its region a variable): with one
  // --region, the user has said which Region is checked, and it is taken for this provider's
  // too (of several, which one is this provider's is not known).
  if (session_.one_region_given) {
    guessed = true;
    if (session_.noted_.insert("provider-region." + *alias).second) {
      const hcl::Attribute* provider = r.block->body.attribute("provider");
      session_.note(*r.file, provider->value->span,
                    fmt::format("the Region of provider aws.{} is not known offline: checked as "
                                "{}, the Region given",
                                *alias, session_.region));
    }
    return session_.region;
  }
  why = fmt::format("the Region of provider aws.{} is not known offline (give --region)", *alias);
  return {};
}

std::optional<std::string> Module::provider_alias(const Named& r) {
  const hcl::Attribute* provider = r.block->body.attribute("provider");
  if (provider == nullptr) return std::string();
  const std::string_view text = r.file->text();
  const Span span = provider->value->span;
  std::string_view ref =
      span.end <= text.size() ? text.substr(span.begin, span.size()) : std::string_view();
  if (ref.size() >= 2 && ref.front() == '"' && ref.back() == '"')
    ref = ref.substr(1, ref.size() - 2);
  if (ref == "aws") return std::string();
  if (!ref.starts_with("aws.")) return std::nullopt;
  return std::string(ref.substr(4));
}

std::string Module::provider_region(const std::string& alias) {
  if (const auto found = aws_providers_.find(alias); found != aws_providers_.end()) {
    // A region written in terms of itself (region = data.aws_region.current.name) is a cycle:
    // not known.
    return once(
               "provider-region." + alias, false,
               [&] {
                 return hcl::string_value(known_string(found->second, "region"), nullptr, {});
               },
               [] { return hcl::Value{}; })
        .text;
  }
  if (caller_ == nullptr || call_ == nullptr || call_file_ == nullptr) return {};
  const hcl::Attribute* passed = call_->body.attribute("providers");
  // Without `providers`, a called module inherits its caller's default configurations, never
  // an aliased one; with it, only what it lists ("Once the providers argument is used in a
  // module block, it overrides all of the default inheritance behavior", Terraform's
  // documentation on providers within modules).
  if (passed == nullptr) return alias.empty() ? caller_->provider_region("") : std::string();
  const std::optional<std::string> given = passed_provider(alias);
  return given ? caller_->provider_region(*given) : std::string();
}

std::optional<std::string> Module::passed_provider(const std::string& alias) const {
  const hcl::Attribute* passed = call_ != nullptr ? call_->body.attribute("providers") : nullptr;
  if (passed == nullptr || call_file_ == nullptr || passed->value->kind != hcl::ExprKind::object)
    return std::nullopt;
  const std::string wanted = alias.empty() ? "aws" : "aws." + alias;
  const auto& entries = passed->value->children;
  for (std::size_t i = 0; i + 1 < entries.size(); i += 2) {
    if (written_name(*entries[i], *call_file_) != wanted) continue;
    const std::string given = written_name(*entries[i + 1], *call_file_);
    if (given == "aws") return std::string();
    if (given.starts_with("aws.")) return given.substr(4);
    return std::nullopt;
  }
  return std::nullopt;
}

std::string Module::known_string(const Named& r, std::string_view name) {
  const auto v = attribute(r, name);
  return v && v->is_string() && v->unknown_ranges.empty() ? v->text : std::string();
}

const SourceFile* Module::load_file(const std::string& path) {
  // Paths are relative to where Terraform runs (the root module); path.module gives this one.
  return session_.load(session_.spelled(join_path(session_.root_dir, path)));
}

void Module::file_not_loaded(const std::string& path, const SourceFile& at, Span span) {
  // A file that does not exist makes Terraform refuse the configuration ("Invalid function
  // argument: no file exists at ..."), unless it is there when Terraform runs: a module checked
  // on its own may be called from another root (path.root), a file may be generated before
  // plan. A warning, where a policy built from it was only "known when Terraform runs" in -v.
  // (One that exists but is not read, too large or a system file, stays that note.)
  if (!session_.hints.read_files) return;
  const std::string full = session_.spelled(join_path(session_.root_dir, path));
  if (session_.outside_repository(full)) {
    session_.note_once(at, span,
                       fmt::format("{} is outside the repository ({}): not read, so that a "
                                   "configuration cannot put other files of this machine into the "
                                   "findings; what is read from it is not checked",
                                   full, session_.repository()));
    return;
  }
  std::error_code ec;
  if (std::filesystem::exists(full, ec) || ec) return;
  if (!session_.noted_.insert("missing-file." + at.path() + ":" + std::to_string(span.begin))
           .second)
    return;
  Diagnostic d = make_diagnostic(
      "GD007", make_location(at, span),
      fmt::format("no file exists at {}: Terraform refuses the configuration unless it is there "
                  "when Terraform runs, and what is read from it is not checked",
                  full));
  d.severity = Severity::warning;
  session_.out.diagnostics.push_back(std::move(d));
}

std::optional<hcl::Value> Module::reference(const std::string& root,
                                            const std::vector<std::string>& steps,
                                            std::size_t& used, const SourceFile& file, Span span) {
  auto step = [&](std::size_t i) { return i < steps.size() ? steps[i] : std::string(); };
  if (root == "var" || root == "local" || root == "path") {
    if (steps.empty()) return unknown(fmt::format("{} used as a whole", root), file, span);
    used = 1;
    if (root == "var") return variable(steps[0], file, span);
    if (root == "local") return local(steps[0], file, span);
    // As Terraform gives them: relative to the root module, where Terraform runs.
    if (steps[0] == "module") {
      const std::string relative =
          std::filesystem::path(dir_).lexically_relative(session_.root_dir).string();
      return string_at(relative.empty() ? "." : relative, file, span);
    }
    if (steps[0] == "root" || steps[0] == "cwd") return string_at(".", file, span);
    return unknown(fmt::format("path.{}", steps[0]), file, span);
  }
  // A whole instance (`aws_s3_bucket.b`, `module.m[0]`, an item of `aws_s3_bucket.b[*]`): read
  // when a step is applied to it.
  auto whole_instance = [&](std::vector<std::string> names, std::string written) {
    hcl::Value v = unknown(fmt::format("{}.{} used as a whole", root, written), file, span);
    v.instance = std::make_shared<const hcl::InstanceRef>(
        hcl::InstanceRef{root, std::move(names), std::move(written), this});
    return v;
  };
  auto not_known = [&](std::size_t names) {
    used = steps.size();
    return unknown(fmt::format("{}.{} has for_each or a count known only when Terraform runs", root,
                               fmt::join(steps.begin(),
                                         steps.begin() + static_cast<std::ptrdiff_t>(names), ".")),
                   file, span);
  };
  InstanceIndex index_read;
  // `type.name.attr`, or `type.name[i].attr` / `type.name["k"].attr` for an instance of a block
  // with a known count or for_each (each instance has the same symbolic values): sets `attr` and
  // returns nullopt. `type.name` or `type.name[i]` alone returns the instances (a tuple by count,
  // an object by key, as a splat, a for expression or element() reads them) or the instance.
  auto instance = [&](const Named& block, std::size_t name_at,
                      std::string& attr) -> std::optional<hcl::Value> {
    std::size_t at = name_at + 1;
    const bool by_key = has_argument(*block.block, "for_each");
    if (by_key || has_argument(*block.block, "count")) {
      const auto keys = by_key ? for_each_keys(block) : std::nullopt;
      // How many instances, when known (a plain count: g++'s -O2 warns on an optional here).
      std::size_t how_many = 0;
      bool how_many_known = false;
      if (by_key && keys) {
        how_many = keys->size();
        how_many_known = true;
      } else if (!by_key) {
        if (const std::optional<std::size_t> n = count_of(block)) {
          how_many = *n;
          how_many_known = true;
        }
      }
      if (at >= steps.size()) {
        // Every instance, each read as itself.
        if (!how_many_known || how_many > hcl::kMaxItems) return not_known(at);
        hcl::Value all;
        all.kind = by_key ? hcl::ValueKind::object : hcl::ValueKind::tuple;
        all.file = &file;
        all.span = span;
        std::vector<std::string> names = steps;
        names.emplace_back();
        for (std::size_t i = 0; i < how_many; ++i) {
          std::string key = by_key ? (*keys)[i] : std::to_string(i);
          names.back() = key;
          hcl::Value item = whole_instance(
              names, fmt::format("{}{}", fmt::join(steps, "."), written_index(key, by_key)));
          if (by_key)
            all.members.emplace_back(std::move(key), std::move(item));
          else
            all.items.push_back(std::move(item));
        }
        used = at;
        return all;
      }
      const std::string& index = steps[at];
      const bool exists = by_key
                              ? keys && std::find(keys->begin(), keys->end(), index) != keys->end()
                              : !index.empty() && index.size() <= 6 &&
                                    std::all_of(index.begin(), index.end(),
                                                [](char c) { return c >= '0' && c <= '9'; }) &&
                                    std::stoul(index) < how_many;
      if (!exists) return not_known(at);
      index_read = {index, written_index(index, by_key)};
      ++at;
    }
    if (at >= steps.size()) {
      used = at;
      std::vector<std::string> names(steps.begin(),
                                     steps.begin() + static_cast<std::ptrdiff_t>(at));
      // The block's name, then the index read as it was written.
      std::string written = fmt::format(
          "{}{}",
          fmt::join(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(name_at + 1), "."),
          index_read.written);
      return whole_instance(std::move(names), std::move(written));
    }
    attr = steps[at];
    used = at + 1;
    return std::nullopt;
  };
  if (root == "data") {
    if (steps.size() < 2) return unknown("a data source used as a whole", file, span);
    const auto found = data_.find(steps[0] + "." + steps[1]);
    if (found == data_.end())
      return unknown(fmt::format("data.{}.{} is not declared", steps[0], steps[1]), file, span);
    std::string attr;
    if (auto whole = instance(found->second, 1, attr)) return whole;
    return data(steps[0], steps[1], attr, file, span);
  }
  if (root == "module") {
    used = std::min<std::size_t>(2, steps.size());
    // A module this one reads (a local source, or installed by terraform init): its output
    // is evaluated there, with the call's arguments.
    // With count or for_each, `module.x[0].out` or `module.x["k"].out` for an instance that
    // exists: every instance is read the same, with the same symbolic values.
    for (std::size_t i = 0; i < module_calls_.size() && !steps.empty(); ++i) {
      if (label(*module_calls_[i].block, 0) != steps[0] || i >= children_.size() || !children_[i])
        continue;
      std::string output;
      if (auto whole = instance(module_calls_[i], 0, output)) return whole;
      return children_[i]->output(output, file, span);
    }
    return unknown(
        fmt::format("module.{}.{}, an output of a module, is not read offline", step(0), step(1)),
        file, span);
  }
  if (root == "count" || root == "each" || root == "self" || root == "terraform") {
    used = std::min<std::size_t>(1, steps.size());
    if ((root == "count" || root == "each") && !steps.empty()) {
      if (std::optional<hcl::Value> known = single_instance_value(root, steps[0], file, span))
        return known;
    }
    return unknown(fmt::format("{}.{} is known only when Terraform runs", root, step(0)), file,
                   span);
  }
  if (const auto found = steps.empty() ? resources_.end() : resources_.find(root + "." + steps[0]);
      found != resources_.end()) {
    std::string attr;
    if (auto whole = instance(found->second, 0, attr)) return whole;
    return resource(root, steps[0], attr, index_read, file, span);
  }
  // A resource of the provider's naming form that the files read do not declare (it may be in
  // a file not passed, or the name is mistyped): say so, not that the type is unknown.
  if (!steps.empty() && root.find('_') != std::string::npos &&
      std::all_of(root.begin(), root.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      })) {
    used = std::min<std::size_t>(1, steps.size());
    return unknown(fmt::format("{}.{} is not declared in the files read", root, steps[0]), file,
                   span);
  }
  return std::nullopt;
}

hcl::Value Module::variable(const std::string& name, const SourceFile& file, Span span) {
  const auto declared = variables_.find(name);
  if (declared == variables_.end()) {
    // Given on the command line for a module read in part (its variables.tf not passed).
    if (auto given = inputs_.find(name); given != inputs_.end())
      return spelled_by_variable(name, given->second);
    return unknown(fmt::format("var.{} is not declared", name), file, span);
  }
  return once(
      "var." + name, true,
      [&] { return spelled_by_variable(name, root_input(name, declared->second)); },
      [&] { return unknown(fmt::format("var.{} refers to itself", name), file, span); });
}

hcl::Value Module::spelled_by_variable(const std::string& name, hcl::Value v) {
  // A string variable is one deployment's value (a --var, its default, the call's argument): a
  // fix of this module's documents writes ${var.NAME} where the document refers to it. Only
  // values long enough not to be a word of other text, as a bucket's name from a variable.
  if (v.is_string() && v.unknown_ranges.empty() && v.text.size() >= 8)
    session_.out.fix_symbol(v.text, fmt::format("${{var.{}}}", name), "var." + name,
                            source_files());
  return v;
}

std::vector<const SourceFile*> Module::source_files() const {
  std::vector<const SourceFile*> sources;
  sources.reserve(files_.size());
  for (const ParsedFile& f : files_) sources.push_back(f.source);
  return sources;
}

hcl::Value Module::root_input(const std::string& name, const Named& declaration) {
  const hcl::Attribute* type = declaration.block->body.attribute("type");
  hcl::Value v = untyped_input(name, declaration);
  return type != nullptr ? with_type_defaults(std::move(v), *type->value, *declaration.file) : v;
}

hcl::Value Module::untyped_input(const std::string& name, const Named& declaration) {
  if (caller_ != nullptr) {
    // A called module's variable is the call's argument, evaluated where the call is written.
    if (const hcl::Attribute* argument = call_->body.attribute(name))
      return caller_->evaluate(*argument->value, *call_file_);
  } else if (auto it = inputs_.find(name); it != inputs_.end()) {
    return it->second;
  }
  if (auto v = attribute(declaration, "default")) return *v;
  return unknown(fmt::format("var.{} has no default (give it with --var or --var-file)", name),
                 *declaration.file, declaration.block->span);
}

hcl::Value Module::output(const std::string& name, const SourceFile& file, Span span) {
  const auto found = outputs_.find(name);
  if (found == outputs_.end())
    return unknown(
        fmt::format("{} has no output {}",
                    std::string_view(address_).substr(
                        0, address_.ends_with('.') ? address_.size() - 1 : address_.size()),
                    name),
        file, span);
  const hcl::Attribute* value = found->second.block->body.attribute("value");
  if (value == nullptr) return unknown(fmt::format("output {} has no value", name), file, span);
  return once(
      "output." + name, true,
      [&] { return bounded(evaluate(*value->value, *found->second.file), "output " + name); },
      [&] { return unknown(fmt::format("output {} refers to itself", name), file, span); });
}

hcl::Value Module::bounded(hcl::Value v, const std::string& what) {
  // A named value is copied wherever it is used: values that nest the one before twice
  // (`f2 = { a = local.f1, b = local.f1 }`, ...) double at each line. No policy needs this many.
  if (!hcl::holds_more_than(v, kMaxNamedValues)) return v;
  const SourceFile* file = v.file;
  const Span span = v.span;
  return hcl::unknown_value(fmt::format("{} holds more than {} values, more than any policy needs",
                                        what, kMaxNamedValues),
                            file, span);
}

hcl::Value Module::local(const std::string& name, const SourceFile& file, Span span) {
  const auto defined = locals_.find(name);
  if (defined == locals_.end())
    return unknown(fmt::format("local.{} is not defined", name), file, span);
  return once(
      "local." + name, true,
      [&] {
        return bounded(evaluate(*defined->second.expr, *defined->second.file), "local." + name);
      },
      [&] {
        // Terraform refuses the configuration ("Error: Cycle: local.b, local.a"): not a value
        // left to the deployment, an error where the local is defined, once.
        const SourceFile& where = *defined->second.file;
        const Span defined_at = defined->second.expr->span;
        if (session_.noted_.insert(fmt::format("cycle:{}:{}", where.path(), defined_at.begin))
                .second)
          session_.out.diagnostics.push_back(make_diagnostic(
              "GD007", make_location(where, defined_at),
              fmt::format("local.{} refers to itself (directly or through other values): "
                          "Terraform refuses the configuration with a cycle error",
                          name)));
        return unknown(fmt::format("local.{} refers to itself", name), file, span);
      });
}

std::optional<hcl::Value> Module::written_argument(const Named& n, const std::string& name) {
  const hcl::Attribute* a = n.block->body.attribute(name);
  if (a == nullptr) return std::nullopt;
  hcl::Value v = evaluate(*a->value, *n.file);
  // Terraform treats a null argument as not set: the provider computes it (`region =
  // var.region` with a null default is the provider's Region).
  if (v.kind == hcl::ValueKind::null) return std::nullopt;
  return v;
}

bool Module::plain_data_source(const Named& d) const {
  const hcl::Body& body = d.block->body;
  return body.attribute("provider") == nullptr && body.attribute("region") == nullptr &&
         body.attribute("name") == nullptr && body.attribute("endpoint") == nullptr;
}

std::string Module::data_symbol(std::string_view type, std::string_view attr,
                                std::string_view fallback) const {
  // The root module's: a symbol is written into the root's files. Only a data source of the
  // default provider with no Region of its own stands for the module's account or Region.
  const Module* root = this;
  while (root->caller_ != nullptr) root = root->caller_;
  const std::string prefix = std::string(type) + ".";
  std::string name;
  for (auto it = root->data_.lower_bound(prefix);
       it != root->data_.end() && it->first.starts_with(prefix); ++it) {
    if (!plain_data_source(it->second)) continue;
    std::string candidate = it->first.substr(prefix.size());
    if (name.empty() || candidate == "current") name = std::move(candidate);
  }
  if (name.empty()) return std::string(fallback);
  return fmt::format("${{data.{}.{}.{}}}", type, name, attr);
}

std::string Module::partition(const Named& r) {
  // The partition of the Region of the provider the block uses (its written region, else the
  // given or stand-in one): us-gov-west-1's ARNs start arn:aws-us-gov:. Read without recording
  // a stand-in: only the name's prefix matters.
  const std::optional<std::string> alias = provider_alias(r);
  std::string region = alias ? provider_region(*alias) : std::string();
  if (region.empty()) region = session_.region;
  return std::string(exportcfg::partition_of_region(region));
}

bool Module::uses_root_default_provider() const {
  // A called module inherits its caller's default configuration unless the call passes
  // `providers` or the module configures its own "aws" provider (Terraform's documentation on
  // providers within modules).
  // `providers = { aws = aws }` passes the caller's default configuration explicitly.
  if (caller_ == nullptr) return true;
  if (aws_providers_.contains("") || call_ == nullptr) return false;
  if (call_->body.attribute("providers") != nullptr) {
    const std::optional<std::string> given = passed_provider("");
    if (!given || !given->empty()) return false;
  }
  return caller_->uses_root_default_provider();
}

std::string Module::account() {
  if (session_.account_stands_in)
    session_.stand_in(session_.account,
                      data_symbol("aws_caller_identity", "account_id", "<ACCOUNT_ID>"));
  return session_.account;
}

std::string Module::region() {
  if (session_.region_stands_in)
    session_.stand_in(session_.region, data_symbol("aws_region", "name", "<REGION>"));
  return session_.region;
}

std::string Module::bucket_name(const std::string& key, const Named& r, const std::string& instance,
                                const std::string& spelled) {
  const std::string cache_key = "bucket." + key + instance;
  if (auto it = cache_.find(cache_key); it != cache_.end()) return it->second.text;
  // A name that refers back to its bucket is a cycle: no name.
  std::string name = once(
                         "bucket-argument." + key + instance, false,
                         [&] { return hcl::string_value(known_string(r, "bucket"), nullptr, {}); },
                         [] { return hcl::Value{}; })
                         .text;
  const std::string symbol =
      fmt::format("${{{}{}{}.id}}", address_, key, spelled.empty() ? instance : spelled);
  if (name.empty()) {
    // A generated name (bucket_prefix, none) or one known only when Terraform runs: a stand-in
    // for the resource's name (each instance's own), consistent wherever the module refers to it.
    name = bucket_name_stand_in(address_ + key + instance);
    session_.stand_in(name, symbol);
    // A name given whole by a root module's variable without a value (Terragrunt inputs, -var
    // when deployed) may be any name; a generated one, one with written parts, or one a local
    // or a calling module builds (its parts are not seen here) may not.
    if (const hcl::Attribute* written = r.block->body.attribute("bucket");
        written != nullptr && address_.empty() &&
        hcl::static_traversal(*written->value).root == "var")
      session_.out.free_names.push_back(name);
  } else if (const hcl::Attribute* written = r.block->body.attribute("bucket");
             written != nullptr && reads_inputs(*written->value) && name.size() >= 8) {
    // A name from a variable (its default, a -var) is this run's value only: findings and
    // fixes show the bucket itself (${aws_s3_bucket.x.id}), as the module refers to it, not
    // one deployment's name. Only a name long enough not to be a word of other text.
    session_.out.stand_in_first(name, symbol);
  } else if (spelled.empty() && name.size() >= 8 && r.block->body.attribute("count") == nullptr &&
             r.block->body.attribute("for_each") == nullptr) {
    // A literal name: a fix of a document referring to the bucket names it as the document
    // does, so that renaming the bucket keeps the added statements about it. (Not an instance
    // of several: which one the document means is its own expression's to say.)
    session_.out.fix_symbol(name, fmt::format("${{{}.id}}", key), key, source_files());
  }
  cache_.insert_or_assign(cache_key, hcl::string_value(name, nullptr, {}));
  return name;
}

std::string Module::in_region(std::string arn, bool assumed) {
  if (assumed) session_.arns_in_assumed_region.insert(arn);
  return arn;
}

hcl::Value Module::resource(const std::string& type, const std::string& name,
                            const std::string& attr, const InstanceIndex& instance,
                            const SourceFile& file, Span span) {
  const std::string key = type + "." + name;
  const Named& r = resources_.at(key);
  if (attr.empty()) return unknown(fmt::format("{} used as a whole", key), file, span);
  // An instance of a block with several is read as itself: its arguments with its count.index
  // or each.key, its own stand-ins (x[0] and x[1] are two buckets, two keys). The only instance
  // of a block is the block (its policy, its documents), shown as the reference writes it.
  const std::string& written_instance = instance.written;
  const bool several = !written_instance.empty() && count_of(r).value_or(0) > 1;
  std::optional<InstanceScope> scope;
  if (several) scope.emplace(instances_, r.block, instance.key);
  const std::string symbol = address_ + key + (several ? written_instance : "");
  const std::string spelled = address_ + key + written_instance;
  if (type == "aws_s3_bucket") {
    const std::string bucket =
        bucket_name(key, r, several ? written_instance : "", written_instance);
    if (attr == "id" || attr == "bucket") return string_at(bucket, file, span);
    if (attr == "arn")
      return string_at(fmt::format("arn:{}:s3:::{}", partition(r), bucket), file, span);
  } else if (type == "aws_kms_key" || type == "aws_guardduty_detector") {
    const bool key_resource = type == "aws_kms_key";
    // A key's id is the block's, whichever instance: its policy (inline, or an
    // aws_kms_key_policy's key_id) names the block, and only the bucket's name is read per
    // instance. A detector's is each instance's own: detectors created per Region (for_each over
    // the Regions) are one per Region, each with its id, and the policies name each in the
    // aws:SourceArn of its Region.
    const std::string block_symbol =
        address_ + key + (!key_resource && several ? written_instance : "");
    const std::string id =
        key_resource ? key_id_stand_in(block_symbol) : detector_id_stand_in(block_symbol);
    if (attr == "id" || attr == (key_resource ? "key_id" : "id")) {
      session_.stand_in(id, fmt::format("${{{}.{}}}", spelled, key_resource ? "key_id" : "id"));
      return string_at(id, file, span);
    }
    if (attr == "arn") {
      std::string why;
      bool assumed = false;
      const std::string home = region_of(r, why, true, &assumed);
      if (home.empty()) return unknown(fmt::format("{}.arn: {}", key, why), file, span);
      session_.stand_in(id, fmt::format("${{{}.{}}}", spelled, key_resource ? "key_id" : "id"));
      return string_at(
          in_region(key_resource
                        ? fmt::format("arn:{}:kms:{}:{}:key/{}",
                                      exportcfg::partition_of_region(home), home, account(), id)
                        : fmt::format("arn:{}:guardduty:{}:{}:detector/{}",
                                      exportcfg::partition_of_region(home), home, account(), id),
                    assumed),
          file, span);
    }
    if (attr == "account_id" && !key_resource) return string_at(account(), file, span);
  } else if (type == "aws_kms_alias" && attr == "arn") {
    const std::string alias = known_string(r, "name");
    std::string why;
    bool assumed = false;
    const std::string home = region_of(r, why, true, &assumed);
    if (home.empty()) return unknown(fmt::format("{}.arn: {}", key, why), file, span);
    if (!alias.empty())
      return string_at(
          in_region(fmt::format("arn:{}:kms:{}:{}:{}", exportcfg::partition_of_region(home), home,
                                account(), alias),
                    assumed),
          file, span);
  } else if (type == "aws_kms_alias" && attr == "target_key_arn") {
    // The ARN of the key its target_key_id names (a key's id or ARN): the key's own ARN when it
    // is one, else built in the alias's Region and account, as the key's is.
    const std::string target = known_string(r, "target_key_id");
    if (target.starts_with("arn:")) return string_at(target, file, span);
    std::string why;
    bool assumed = false;
    const std::string home = region_of(r, why, true, &assumed);
    if (!target.empty() && !home.empty())
      return string_at(
          in_region(fmt::format("arn:{}:kms:{}:{}:key/{}", exportcfg::partition_of_region(home),
                                home, account(), target),
                    assumed),
          file, span);
    return unknown(fmt::format("{}.target_key_arn: {}", key,
                               home.empty() ? why : "its target_key_id is not known offline"),
                   file, span);
  }
  // An argument written in the block is its own value (a null one is computed when applied),
  // read once: the instances of a block read whole, each reading others, would multiply.
  if (r.block->body.attribute(attr) != nullptr) {
    hcl::Value written = once(
        symbol + "." + attr, true,
        [&] {
          hcl::Value not_set;
          not_set.kind = hcl::ValueKind::null;
          return written_argument(r, attr).value_or(std::move(not_set));
        },
        [&] { return unknown(fmt::format("{}.{} refers to itself", key, attr), file, span); });
    if (written.kind != hcl::ValueKind::null) return written;
  }
  return unknown(fmt::format("{}.{} is known only after apply", key, attr), file, span);
}

hcl::Value Module::rendered_template(const Named& d, const SourceFile& file, Span span) {
  // The template provider's data "template_file" (before templatefile()): its template, read
  // with file(), rendered with its vars, as templatefile(path, vars) renders it.
  // Rendered once; a template that renders itself is a cycle, not a hang.
  return once(
      "template_file." + d.block->labels[1].text + ".rendered", true,
      [&] { return render_template_file(d, file, span); },
      [&] { return unknown("data.template_file renders itself", file, span); });
}

hcl::Value Module::render_template_file(const Named& d, const SourceFile& file, Span span) {
  const std::optional<hcl::Value> tpl = written_argument(d, "template");
  if (!tpl || !tpl->is_string() || tpl->file == nullptr || !tpl->unknown_ranges.empty() ||
      tpl->text != tpl->file->text())
    return unknown("data.template_file's template is not a file read with file()", file, span);
  std::vector<hcl::ValueMember> vars;
  if (std::optional<hcl::Value> given = written_argument(d, "vars")) {
    if (given->kind != hcl::ValueKind::object)
      return unknown("data.template_file's vars are known only when Terraform runs", file, span);
    vars = std::move(given->members);
  }
  const hcl::ExpressionResult parsed = hcl::parse_template(*tpl->file);
  if (!parsed.expr || !parsed.diagnostics.empty())
    return unknown(fmt::format("{} is not a valid template", tpl->file->path()), file, span);
  hcl::Evaluator evaluator(*this, *tpl->file);
  return evaluator.evaluate_template(*parsed.expr, *tpl->file, vars);
}

hcl::Value Module::data(const std::string& type, const std::string& name, const std::string& attr,
                        const SourceFile& file, Span span) {
  const std::string key = type + "." + name;
  const auto found = data_.find(key);
  if (found == data_.end()) return unknown(fmt::format("data.{} is not declared", key), file, span);
  const Named& d = found->second;
  if (type == "aws_iam_policy_document" && (attr == "json" || attr == "minified_json"))
    return policy_document(d, file, span);
  if (type == "template_file" && attr == "rendered") return rendered_template(d, file, span);
  // An argument written in the block is its own value (data "aws_region" { name = "..." }).
  if (!attr.empty() && type != "aws_iam_policy_document") {
    if (std::optional<hcl::Value> written = written_argument(d, attr)) return std::move(*written);
  }
  if (type == "aws_caller_identity" && (attr == "account_id" || attr == "id")) {
    // The stand-in is shown as the root module's own reference, when it is the default
    // provider's (not another provider's account).
    if (session_.account_stands_in && caller_ == nullptr && plain_data_source(d))
      session_.spelled_stand_in(session_.account, fmt::format("${{data.{}.{}}}", key, attr));
    // Another provider configuration's identity (an alias that assumes a role in another
    // account, say) is not known offline: it is taken to be the module's, and -v says so.
    if (const hcl::Attribute* provider = d.block->body.attribute("provider")) {
      const Span at = provider->value->span;
      const std::string_view text = d.file->text();
      if (at.end <= text.size())
        session_.note_once(
            *d.file, d.block->labels[1].span,
            fmt::format("data.{} is read through provider {}, whose account is not known "
                        "offline (it may assume a role in another account): it is checked as "
                        "the same account as the module, {}",
                        key, text.substr(at.begin, at.size()), account()));
    }
    return string_at(account(), file, span);
  }
  if (type == "aws_region" && (attr == "name" || attr == "id" || attr == "region")) {
    // name, id and region are one value: the one written (`name` before provider v6, `region`
    // since), else its provider's Region.
    for (const std::string_view other : {"name", "region"}) {
      if (other == attr) continue;
      if (std::optional<hcl::Value> written = written_argument(d, std::string(other)))
        return std::move(*written);
    }
    // An endpoint picks the Region too (ec2.us-east-1.amazonaws.com); not modelled.
    if (d.block->body.attribute("endpoint") != nullptr)
      return unknown(fmt::format("data.{}.{}: the Region of its endpoint", key, attr), file, span);
    std::string why;
    const std::string home = region_of(d, why);
    if (home.empty()) return unknown(fmt::format("data.{}.{}: {}", key, attr, why), file, span);
    if (session_.region_stands_in && home == session_.region && caller_ == nullptr &&
        plain_data_source(d))
      session_.spelled_stand_in(session_.region, fmt::format("${{data.{}.{}}}", key, attr));
    return string_at(home, file, span);
  }
  if (type == "aws_partition") {
    if (attr == "partition" || attr == "id") return string_at(partition(d), file, span);
    if (attr == "dns_suffix")
      return string_at(std::string(exportcfg::dns_suffix(partition(d))), file, span);
  }
  if (type == "aws_s3_bucket") {
    const std::string bucket = known_string(d, "bucket");
    if (!bucket.empty() && (attr == "id" || attr == "bucket")) return string_at(bucket, file, span);
    if (!bucket.empty() && attr == "arn")
      return string_at(fmt::format("arn:{}:s3:::{}", partition(d), bucket), file, span);
  }
  return unknown(fmt::format("data.{}.{} is known only when Terraform runs", key, attr), file,
                 span);
}

hcl::Value Module::policy_document(const Named& d, const SourceFile& file, Span span) {
  return once(
      "policy." + std::to_string(d.block->span.begin) + d.file->path(), true,
      [&] {
        hcl::Value object =
            PolicyDocumentBuilder(*d.block, *d.file, *this, session_.out.diagnostics).build();
        hcl::Value v = object.wholly_known()
                           ? hcl::string_value(hcl::to_json(object), d.file, d.block->span)
                           : hcl::unknown_value(
                                 "a policy document holding values known only when Terraform runs",
                                 d.file, d.block->span);
        v.encodes = std::make_shared<const hcl::Value>(std::move(object));
        return v;
      },
      [&] { return unknown("a policy document that includes itself", file, span); });
}

}  // namespace gdl::containers::tf

namespace gdl::containers {

std::vector<std::string> local_module_directories(const SourceFile& file) {
  std::vector<std::string> out;
  if (file.text().find("module") == std::string_view::npos) return out;
  const hcl::ParseResult parsed =
      tf::is_json_syntax_file(file.path()) ? tf::parse_json_syntax(file) : hcl::parse(file);
  const std::string dir = std::filesystem::path(file.path()).parent_path().string();
  tf::NoReferences none;
  for (const hcl::Block& block : parsed.body.blocks) {
    const hcl::Attribute* source =
        block.type == "module" ? block.body.attribute("source") : nullptr;
    if (source == nullptr) continue;
    // Terraform requires a literal string here, so nothing else needs evaluating.
    const hcl::Value where = hcl::Evaluator(none, file).evaluate(*source->value);
    if (where.is_string() && (where.text.starts_with("./") || where.text.starts_with("../")))
      out.push_back(tf::join_path(dir.empty() ? "." : dir, where.text));
  }
  return out;
}

}  // namespace gdl::containers
