#pragma once
// Internal to containers/: Terraform source read the way Terraform reads it. The .tf files of a
// directory are one module. Its variables (defaults, terraform.tfvars, *.auto.tfvars,
// --var-file, --var), locals, the data sources that name the account, Region and partition, and
// the resources that name the export's bucket, key and detector have values offline (the
// symbolic ones as consistent stand-ins that findings show as the symbols). Modules called with
// a local source are read with the call's arguments. Everything else is an unknown value, and
// no conclusion rests on it.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "containers/container.h"
#include "hcl/eval.h"
#include "hcl/syntax.h"

namespace gdl::containers::tf {

// An instance's index as Terraform writes it: `[1]` by count, `["k"]` by for_each.
std::string written_index(std::string_view key, bool by_key);

// The instance a reference names (`x[1]`, `x["k"]`); both empty for a block read as itself.
struct InstanceIndex {
  std::string key;      // "1", "k"
  std::string written;  // written_index(key)
};

// Deeper module nesting (containers::kMaxModuleDepth) or more module files than these are not
// read (a note says so).
using containers::kMaxModuleDepth;
inline constexpr std::size_t kMaxModuleFiles = 500;
// Module calls read in all (a call in a module called from several places is read once per
// caller): four calls per level, eight levels deep, were 16,384 reads and 30 s for 8 files.
inline constexpr std::size_t kMaxModuleReads = 2000;

// Terraform's override files (override.tf, *_override.tf, and their .tf.json), which it merges
// into the module's other files after reading them.
bool is_override_file(const SourceFile& file);

struct ParsedFile {
  const SourceFile* source = nullptr;
  hcl::Body body;
};

// What every module of one reading shares: the output, the user's hints, the files read, and
// the account and Region the module's data sources stand for.
struct Session {
  Session(const Hints& h, Extraction& o) : hints(h), out(o) {}
  const Hints& hints;
  Extraction& out;
  std::string root_dir;  // the root module's directory (Terraform's working directory)
  // Whether the root's files are spelled "./main.tf" (a scan of "."): the files read through
  // it are spelled so too, one path for a file whether read through a call or scanned.
  bool dot_prefix = false;
  std::string account;
  std::string region;
  bool account_stands_in = false;
  bool region_stands_in = false;
  bool one_region_given = false;  // the user gave exactly one Region
  // The default provider's Region is known from the key given: the module creates that key, or
  // the bucket that must be in its Region (region holds it).
  bool region_of_given_key = false;
  std::size_t files_read = 0;
  std::size_t modules_read = 0;  // calls read, against kMaxModuleReads
  std::map<std::string, const SourceFile*, std::less<>> loaded;  // by path
  // What the module addresses each document belongs to (its resource, the bucket or key
  // resource its `bucket`/`key_id` refers to), by index in out.documents; and what the
  // publishing destination's bucket and key arguments refer to.
  std::map<std::size_t, std::vector<std::string>> owners;
  std::vector<std::string> destination_bucket;
  std::vector<std::string> destination_key;
  // ARNs of resources the module creates built in its assumed Region (no provider or argument
  // writes it): their Region is not a fact (GD401 compares none).
  std::set<std::string, std::less<>> arns_in_assumed_region;
  // The Regions the publishing destinations export from (their providers'), when each is a
  // fact: one that is unknown or the stand-in Region leaves them all open.
  std::vector<std::string> destination_regions;
  bool destination_region_open = false;
  // Whether some destination's Region is unknown otherwise than as the module's own stand-in
  // Region (an aliased provider whose Region is a variable, say).
  bool destination_region_unknown = false;
  // Whether some destination is created by another provider configuration than the root
  // module's default one (an alias, which may assume a role in another account, or a called
  // module's): its account need not be the module's aws_caller_identity.
  bool destination_elsewhere = false;
  // Where a publishing destination is declared, and the kinds of policy whose value could not be
  // read at all (counted in out.unread_policies already): a destination's bucket or key policy
  // that is neither read nor counted is kept where this reading cannot see it.
  std::string destination;  // the first one's address
  const SourceFile* destination_file = nullptr;
  Span destination_span;
  std::set<documents::Kind> unread_kinds;
  // The aws_s3_bucket resource the first publishing destination exports to, when a module read
  // declares it ("module.logs.aws_s3_bucket.findings"); and whether some module call is not read
  // (it may attach a bucket policy this reading never sees).
  std::string destination_bucket_resource;
  const SourceFile* destination_bucket_file = nullptr;  // where its destination_arn is written
  Span destination_bucket_span;
  bool module_unread = false;

  // Where `terraform init` installed the registry and remote modules the root calls
  // (.terraform/modules/modules.json: "a.b" -> directory), read on first use.
  std::optional<std::map<std::string, std::string>> installed;
  const std::string* installed_module(const std::string& key);

  // The git work tree the root module is in (the nearest directory above it holding `.git`):
  // file(), templatefile() and local module calls read nothing outside it, so that a
  // configuration in a pull request cannot put other files of the machine that checks it (a
  // runner's credentials) into the findings. Empty when the root is in no work tree: then only
  // system files are refused. Found on first use.
  const std::string& repository();
  // Whether load() refused `full` for being outside repository().
  [[nodiscard]] bool outside_repository(const std::string& full) const {
    return outside_.contains(full);
  }
  // A file by its path from the current directory, read once; nullptr when it cannot be read.
  // With `module_file`, a file of a called module: a .tf.json file that is another input saved
  // under that name (a template, a plan) is no file of the module, and nullptr too.
  const SourceFile* load(const std::string& full, bool module_file = false);
  // Records a stand-in checked for a symbol, once per value.
  void stand_in(const std::string& value, const std::string& symbol);
  // The symbol as the module's own reference spells it (data.aws_region.this.id): it replaces
  // a symbol made up for the value, never another spelling of the module's.
  void spelled_stand_in(const std::string& value, const std::string& symbol);
  std::set<std::string, std::less<>> spelled_values;
  // Keeps a file made while reading (a --var value) alive for the findings pointing into it.
  const SourceFile* keep(std::unique_ptr<SourceFile> file);
  void note(const SourceFile& file, Span span, const std::string& text);
  // The same note once, however often the value it explains is evaluated.
  void note_once(const SourceFile& file, Span span, const std::string& text) {
    if (noted_.insert(file.path() + ":" + std::to_string(span.begin) + text).second)
      note(file, span, text);
  }
  std::set<std::string, std::less<>> noted_;
  std::optional<std::string> repository_;
  std::set<std::string, std::less<>> outside_;  // paths refused by load()
  std::string spelled(std::string path) const;
  // A module file parsed, its syntax errors reported.
  ParsedFile parse(const SourceFile& file);
};

class Module final : public hcl::Scope {
 public:
  // `address` is "" for the root module, "module.NAME." for a called one; `caller` evaluates the
  // call's arguments (`call` in `call_file`).
  Module(Session& session, std::vector<ParsedFile> files, std::string dir, std::string address,
         Module* caller, const hcl::Block* call, const SourceFile* call_file, int depth);

  std::optional<hcl::Value> reference(const std::string& root,
                                      const std::vector<std::string>& steps, std::size_t& used,
                                      const SourceFile& file, Span span) override;
  const SourceFile* load_file(const std::string& path) override;
  void file_not_loaded(const std::string& path, const SourceFile& at, Span span) override;

  // Whether this module or one it calls creates a detector or a publishing destination: its
  // account is then the exporting one.
  [[nodiscard]] bool exports() const;
  // How many resources of `type` this module itself creates with its default provider.
  [[nodiscard]] std::size_t creates(std::string_view type) const;
  // Whether the module declares `data "TYPE" "NAME"` (`type_and_name` is "TYPE.NAME").
  [[nodiscard]] bool declares_data(std::string_view type_and_name) const {
    return data_.contains(type_and_name);
  }
  // The symbol of a stand-in from data source `type`: the root module's own data block of the
  // default provider with no Region argument ("current" among several, else the first by
  // name), or `fallback` (<REGION>) when it declares none, rather than a name it does not use.
  [[nodiscard]] std::string data_symbol(std::string_view type, std::string_view attr,
                                        std::string_view fallback) const;
  // The policies and export settings of this module and those it calls, into the session's out.
  void read();
  // The module's Region: --region, its default provider's, or the stand-in (registered with the
  // symbol the module spells it by).
  std::string region();
  // The module's account: --account (its own when it exports), else the stand-in (registered
  // with the module's aws_caller_identity symbol).
  std::string account();
  // Whether the module's default "aws" provider is the root module's own (not passed in by
  // `providers`, nor configured in the module).
  [[nodiscard]] bool uses_root_default_provider() const;
  // Whether a module this one calls is read (its files may hold the policies a fix edits).
  [[nodiscard]] bool reads_modules() const {
    return std::any_of(children_.begin(), children_.end(),
                       [](const auto& c) { return c != nullptr; });
  }

 private:
  // A policy document naming GuardDuty that nothing in the module refers to is no policy of
  // any bucket or key: said in a note, rather than passed over without a word.
  void note_unused_guardduty_documents();
  struct Named {
    const hcl::Block* block = nullptr;
    const SourceFile* file = nullptr;
  };
  bool is_s3_bucket_module(const Named& call);
  bool may_add_denies(const Named& call);
  // An argument's value as written, or nullopt when it is not written or null (not set).
  std::optional<hcl::Value> written_argument(const Named& n, const std::string& name);
  // A data source of the default provider with no Region or name argument of its own.
  bool plain_data_source(const Named& d) const;
  struct Definition {
    const hcl::Expr* expr = nullptr;
    const SourceFile* file = nullptr;
  };

  void index();
  void read_var_file(const std::string& path);
  void read_var(const std::string& name, const std::string& text);
  void load_children();
  void read_module_call(const Named& call);
  void read_destination(const Named& r);
  void add_policy(const std::string& label, std::optional<documents::Kind> kind,
                  const std::string& belongs_to, const hcl::Attribute& attr,
                  const SourceFile& file);
  void add_policy_value(const std::string& label, std::optional<documents::Kind> kind,
                        const std::string& belongs_to, const hcl::Value& v, const SourceFile& file,
                        const hcl::Expr& written);
  void add_default_key_policy(const std::string& label, const std::string& id, const Named& r);

  hcl::Value evaluate(const hcl::Expr& e, const SourceFile& file);
  // `v`, or unknown when it holds more than kMaxNamedValues values (`what` says whose).
  static constexpr std::size_t kMaxNamedValues = hcl::kMaxValues;
  static hcl::Value bounded(hcl::Value v, const std::string& what);
  // `compute()` for `key`, remembered when `remember`; a reference back to `key` while it is
  // computed is a cycle, whose value is `cycle()`.
  template <typename Compute, typename Cycle>
  hcl::Value once(const std::string& key, bool remember, Compute&& compute, Cycle&& cycle) {
    if (remember) {
      if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    if (!evaluating_.insert(key).second) return cycle();
    hcl::Value v = compute();
    evaluating_.erase(key);
    if (remember) cache_.insert_or_assign(key, v);
    return v;
  }
  // How many instances `count` makes (1 without count); nullopt with for_each or an unknown
  // count.
  std::optional<std::size_t> count_of(const Named& block);
  // count.index, each.key or each.value written at `span` in a block with one instance: its
  // value; nullopt otherwise.
  std::optional<hcl::Value> single_instance_value(const std::string& root, const std::string& name,
                                                  const SourceFile& file, Span span);
  // The instance keys of a block with for_each over a known set or map.
  std::optional<std::vector<std::string>> for_each_keys(const Named& block);
  std::optional<hcl::Value> attribute(const Named& r, std::string_view name);
  std::string known_string(const Named& r, std::string_view name);
  // The Region a resource is created in: its `provider = aws.ALIAS`'s region, else the
  // module's. Empty, with `why` set, when that provider's region is not known offline. Without
  // `stand_in`, also empty where it would be the stand-in Region (which it then records as used).
  // `assumed`, when given, says whether the Region is the module's assumed one (the stand-in
  // or a Region given for a provider that writes none), not one the configuration writes.
  std::string region_of(const Named& r, std::string& why, bool stand_in = true,
                        bool* assumed = nullptr);
  // `arn`, recorded as built in an assumed Region when it is.
  std::string in_region(std::string arn, bool assumed);
  // The partition of the Region block `r` is created in ("aws", "aws-us-gov" in us-gov-west-1).
  [[nodiscard]] std::string partition(const Named& r);
  // The AWS provider configuration a resource names: "" for the default one (no `provider`
  // argument, `aws`, or Terraform 0.11's string "aws"), "west" for `aws.west` (or "aws.west"),
  // none for another provider's.
  static std::optional<std::string> provider_alias(const Named& r);
  // The `region` of the AWS provider configuration this module calls `alias` ("" for the
  // default one) when written and known offline, else "": its own provider block, else what
  // its caller passes it.
  std::string provider_region(const std::string& alias);
  // What a `providers` map of this module's call passes as its configuration `alias`: "" for
  // the caller's default one, the caller's alias, none when not passed or not AWS's.
  [[nodiscard]] std::optional<std::string> passed_provider(const std::string& alias) const;
  hcl::Value variable(const std::string& name, const SourceFile& file, Span span);
  // `v`, the value of var.NAME, recorded as a value fixes may spell ${var.NAME}.
  hcl::Value spelled_by_variable(const std::string& name, hcl::Value v);
  // The symbol of the key a key ARN names when the modules read create it (its id a created
  // key's stand-in: "${aws_kms_key.x.key_id}"), else nullptr.
  const std::string* created_key_symbol(std::string_view key_arn);
  // The module's files, where its own symbols may be written.
  [[nodiscard]] std::vector<const SourceFile*> source_files() const;
  hcl::Value root_input(const std::string& name, const Named& declaration);
  // The value given or defaulted, before its type's optional attributes are filled in.
  hcl::Value untyped_input(const std::string& name, const Named& declaration);
  hcl::Value local(const std::string& name, const SourceFile& file, Span span);
  // `instance` is the one the reference names in a counted block, so a stand-in's symbol is a
  // reference Terraform accepts.
  hcl::Value resource(const std::string& type, const std::string& name, const std::string& attr,
                      const InstanceIndex& instance, const SourceFile& file, Span span);
  // The value of this module's output `name` (as its caller sees module.X.name).
  hcl::Value output(const std::string& name, const SourceFile& file, Span span);
  // data "template_file" "x" { template = file(...), vars = {...} }: x.rendered.
  hcl::Value rendered_template(const Named& d, const SourceFile& file, Span span);
  hcl::Value render_template_file(const Named& d, const SourceFile& file, Span span);
  hcl::Value data(const std::string& type, const std::string& name, const std::string& attr,
                  const SourceFile& file, Span span);
  hcl::Value policy_document(const Named& d, const SourceFile& file, Span span);
  // `instance` is the written index of the instance read when it is one of several (`[1]`,
  // `["k"]`), or ""; `spelled` the index the reference writes, for the stand-in's symbol.
  std::string bucket_name(const std::string& key, const Named& r, const std::string& instance = {},
                          const std::string& spelled = {});
  hcl::Value unknown(std::string why, const SourceFile& file, Span span) const;

  Session& session_;
  std::vector<ParsedFile> files_;
  std::string dir_;
  std::string address_;
  Module* caller_;
  const hcl::Block* call_;
  const SourceFile* call_file_;
  int depth_;
  std::map<std::string, Definition, std::less<>> locals_;
  std::map<std::string, Named, std::less<>> variables_;
  std::map<std::string, Named, std::less<>> resources_;  // "type.name"
  // A resource's block in an override file, merged into it by Terraform: its policy argument
  // is the resource's (the rest of the merge is not modelled).
  std::map<std::string, Named, std::less<>> resource_overrides_;
  std::map<std::string, Named, std::less<>> data_;  // "type.name"
  std::map<std::string, Named, std::less<>> outputs_;
  // provider "aws" blocks by alias ("" for the default one).
  std::map<std::string, Named, std::less<>> aws_providers_;
  std::vector<Named> module_calls_;
  std::vector<std::unique_ptr<Module>> children_;  // parallel to module_calls_ (null: not read)
  std::map<std::string, hcl::Value, std::less<>> cache_;  // "var.x", "local.x", ...
  // The instances being read (`aws_s3_bucket.x[1].arn` reads x's arguments with count.index 1),
  // innermost last.
  struct Instance {
    const hcl::Block* block = nullptr;
    std::string key;  // "1", "k"
  };
  std::vector<Instance> instances_;
  class InstanceScope {
   public:
    InstanceScope(std::vector<Instance>& stack, const hcl::Block* block, std::string key)
        : stack_(stack) {
      stack_.push_back({block, std::move(key)});
    }
    ~InstanceScope() { stack_.pop_back(); }
    InstanceScope(const InstanceScope&) = delete;
    InstanceScope& operator=(const InstanceScope&) = delete;

   private:
    std::vector<Instance>& stack_;
  };
  std::set<std::string, std::less<>> evaluating_;          // cycles become unknown values
  std::map<std::string, hcl::Value, std::less<>> inputs_;  // root: tfvars, --var-file, --var
};

// The policy of an aws_iam_policy_document data source, as the object its `json` encodes (with
// the positions of the block's arguments), its arguments evaluated in `scope`.
class PolicyDocumentBuilder {
 public:
  // Findings about the block as Terraform reads it (a duplicate sid) go to `diagnostics`.
  PolicyDocumentBuilder(const hcl::Block& block, const SourceFile& file, hcl::Scope& scope,
                        std::vector<Diagnostic>& diagnostics)
      : block_(block), file_(file), scope_(scope), diagnostics_(diagnostics) {}
  hcl::Value build();

 private:
  // One block of a kind as written, or made by a `dynamic` block whose for_each is known (its
  // `content` block, with the iterator bound); `unknown` for a dynamic block whose instances are
  // known only when Terraform runs.
  struct Instance {
    const hcl::Block* block = nullptr;  // the block as written, or the dynamic block's content
    Span span;  // where it is written: the dynamic block for the blocks it makes (edits go after)
    std::optional<hcl::ValueMember> iterator;
    bool unknown = false;
  };
  std::vector<Instance> instances(const hcl::Body& body, std::string_view kind);
  hcl::Value statement(const hcl::Block& block, Span span);
  void merge_documents(const hcl::Attribute& attr, std::vector<hcl::Value>& statements,
                       bool override);
  hcl::Value eval(const hcl::Expr& e);
  const hcl::Block& block_;
  const SourceFile& file_;
  hcl::Scope& scope_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<hcl::ValueMember> iterators_;  // of the dynamic blocks being expanded
  std::size_t made_ = 0;                     // blocks made by dynamic blocks so far
};

// The span of an unknown range of a string, widened to the `${ ... }` written around it.
Span unknown_range_span(const hcl::Value& v, std::size_t begin, std::size_t end);

// The module addresses an expression refers to ("aws_s3_bucket.findings", "module.bucket"),
// with `prefix` (a called module's "module.NAME.") before each.
std::vector<std::string> referenced_addresses(const hcl::Expr& e, const std::string& prefix);

// Whether text (HCL or JSON) writes a GuardDuty service principal, "guardduty.amazonaws.com"
// or a regional one ("guardduty.${...}.amazonaws.com"): for choosing and noting, not judging.
bool names_guardduty_text(std::string_view text);

// Keeps only the documents of the bucket and key the publishing destination refers to among
// several of a kind that grant GuardDuty (a module with a log bucket or a replica).
void select_destination_documents(Session& session);
// Records a publishing destination's bucket or key policy that no document read is.
void record_unseen_policies(Session& session);

hcl::Value object_value(const SourceFile& file, Span span);
hcl::Value tuple_value(const SourceFile& file, Span span, std::vector<hcl::Value> items);

// A publishing destination's arguments (strings located in `source`) as export settings.
void read_destination_values(const json::Value* destination_arn, const json::Value* key_arn,
                             const json::Value* detector_id, const SourceFile& source,
                             Extraction& out);

// Marks the documents that are not the export's (no GuardDuty principal, not named by the
// publishing destination) as checked for grammar only.
void select_export_documents(Extraction& out, const SourceFile& source, const Hints& hints);

// A policy value as a located JSON tree in `file` (values written elsewhere are placed at
// `anchor`); unknown values become strings whose spans are added to `unknown`, with their
// reasons in `why`.
json::Value to_tree(const hcl::Value& v, const SourceFile& file, Span anchor,
                    std::vector<Span>& unknown, std::vector<std::string>& why);

}  // namespace gdl::containers::tf
