#pragma once
// The container stage: what a file holds and where the policies in it are. A file can be a bare
// policy, AWS CLI output (`get-bucket-policy`, `get-key-policy`, `describe-publishing-
// destination`), a CloudFormation template (JSON or YAML), a Terraform plan or state (`terraform
// show -json`) or Terraform source (`.tf`). Each yields the policy documents it holds, located in
// the user's own file, and the export settings it states.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "documents/kind.h"
#include "export/settings.h"
#include "json/value.h"
#include "source/source_file.h"

namespace gdl::containers {

enum class Format {
  policy,                  // a bare policy document
  cli_policy,              // {"Policy": "<policy as a JSON string>"}
  publishing_destination,  // describe-publishing-destination output: settings only
  cloudformation,          // a template, JSON or YAML
  terraform_plan,          // terraform show -json
  terraform_source,        // .tf
};

std::string_view to_string(Format format);

struct EmbeddedDocument {
  // Where the document is in the container, for messages: "Resources.FindingsKey" or "Policy".
  std::string label;
  std::optional<documents::Kind> kind;  // from the resource type, when the container says
  // The bucket name (bucket policy) or key ARN or id (key policy) the document belongs to, when
  // the container says: it tells the export's own documents from others.
  std::string belongs_to;
  // A key policy's resource on KMS's lockout safety check (BypassPolicyLockoutSafetyCheck,
  // bypass_policy_lockout_safety_check): false when it leaves the check on (the default), true
  // when it bypasses it, unset when not known (a bare policy, a value known only when deployed).
  std::optional<bool> lockout_check_bypassed;
  // The document as a located tree, in the coordinates of `source`: the container itself (a
  // template), or text decoded from a string in it (CLI output, a plan), which reports its
  // locations in the container.
  std::optional<json::Value> tree;
  const SourceFile* source = nullptr;
  std::unique_ptr<SourceFile> decoded;  // owns `source` when it was decoded
  bool needs_parse = false;             // `tree` is empty: parse `source`
  // False when the document was repaired or holds values that cannot be known offline: the
  // grammar rules still run, but GuardDuty's requests are not simulated against it.
  bool simulate = true;
  std::vector<Span> unknown_spans;  // values not known offline (findings inside are dropped)
  // Text computed where it is written (a template's `${...}`): an edit there would replace the
  // expression with its value, so it is shown as a suggestion instead.
  std::vector<Span> computed_spans;
  Quoting quoting = Quoting::verbatim;  // how edits to a tree in the container are written
  // Held in a template's plain string (a YAML scalar, not an Fn::Sub): CloudFormation passes it
  // as written, so a template symbol (${AWS::Region}) cannot be written into it.
  bool plain_template_string = false;
  // The module the document is passed to, when it is not read ("module.bucket"): it may add
  // Denies to it (as terraform-aws-modules/s3-bucket's attach_deny_* options do), so no
  // conclusion rests on what the document does not deny.
  std::string passed_to_unread_module;
  // The address of the Terraform module whose file holds the document ("module.b."), when it is
  // a called module's: the stand-ins' symbols of its own resources carry it from the root's view
  // ("${module.b.aws_s3_bucket.this.id}") and are spelled without it in that file.
  std::string module_address;
};

// A document held as a JSON string literal (its span, quotes included) in `container`: decoded,
// to be parsed, and reporting its locations in the container.
EmbeddedDocument document_in_string(const SourceFile& container, Span quoted, std::string label,
                                    std::optional<documents::Kind> kind, bool simulate);

struct Extraction;

// Reads a publishing destination's settings object ({"DestinationProperties": {...},
// "DetectorId": ...}) into `out`; its problems are reported as `rule_id` (GD004 for CLI output,
// which is export configuration; GD007 for a template's or plan's resource).
void read_destination_settings(const json::Value& object, const SourceFile& source, Extraction& out,
                               std::string_view rule_id);

// A CloudFormation resource's own suppression (Metadata: {gd-export-lint: {ignore: [{rule,
// reason}]}}): it covers the findings inside the resource.
struct ScopedSuppression {
  Span where;  // the resource, in the container
  std::string rule_id;
  std::string reason;
};

struct Extraction {
  Format format = Format::policy;
  std::vector<EmbeddedDocument> documents;
  exportcfg::ExportSettings settings;  // what the container says about the export
  bool has_settings = false;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> notes;  // for --verbose: values treated as unknown, stand-ins used
  // Policies whose whole value is known only when deployed (not read at all): a clean result
  // must not hide them, as it does not hide those judged in part.
  std::size_t unread_policies = 0;
  // A publishing destination's bucket or key policy that none of this reading's documents is
  // (a key of another stack or of a module not read, a bucket without a policy here): whether
  // another file of the setup holds it is the setup's to say (a policy that none does is not
  // read, and the setup undecided). Each with its note, "path:line:col: ...".
  struct UnseenPolicy {
    documents::Kind kind;
    std::string note;
    // A bucket the files read create (aws_s3_bucket.findings), with every module call read: no
    // policy of it among them is a policy it has not, unless another configuration attaches
    // one. Empty otherwise. `destination` is the publishing destination, `at` its bucket ARN.
    std::string created_by;
    std::string destination;
    Location at;
    std::string remedy;  // how to add the policy in this format
  };
  std::vector<UnseenPolicy> unseen_policies;
  // Symbolic template values checked as concrete stand-ins ("000000000000" for
  // ${AWS::AccountId}): findings show the symbol, not the stand-in.
  std::vector<std::pair<std::string, std::string>> stand_ins;
  // Of those, the names that may be anything when deployed (a variable or parameter without a
  // value): a policy's literal may be the deployed name. A generated name (a bucket without one,
  // a bucket_prefix) or one with written parts ("${var.env}-findings") is not among them.
  std::vector<std::string> free_names;
  // The one account a template names, checked as its ${AWS::AccountId} (a likely guess: the key
  // administrator's account, say): when GuardDuty's account is taken from it, fixes write
  // ${AWS::AccountId}, not that account. Empty when the template's ${AWS::AccountId} is not so
  // guessed (given by --account), or the template does not create the detector or its
  // destination (its account then need not be GuardDuty's).
  std::string guessed_account;
  // A template creating the detector or its destination whose values depend on its Region (a
  // key it creates, ${AWS::Region}): deployed in each Region it exports from, so with several
  // Regions given the setup is checked once per Region (lint_setup).
  bool deployed_per_region = false;
  // Records a stand-in shown before every other (a bucket name that holds the account's
  // stand-in), unless the value has a symbol already.
  void stand_in_first(const std::string& value, const std::string& symbol) {
    if (symbol_for(value) == nullptr) stand_ins.insert(stand_ins.begin(), {value, symbol});
  }
  // A value a module spells through an expression a fix can write in its files: a variable's
  // value (a --var, a default, a call's argument), a bucket's literal name. A fix of a document
  // of that module that refers to `referred_as` writes `symbol` for the value, so that a
  // reusable module is not given one deployment's value; messages keep the value, this run's
  // fact.
  struct FixSymbol {
    std::string value;
    std::string symbol;  // "${var.bucket_name}"; empty when two expressions yield the value
    // "var.bucket_name", as the document must refer to it; empty for a template's pseudo
    // parameters, which every policy of the template may name.
    std::string referred_as;
    // Where the symbol is declared (a Terraform module's files); empty for a template's, which
    // holds every policy it is written into.
    std::vector<const SourceFile*> module_files;
  };
  std::vector<FixSymbol> fix_symbols;
  void fix_symbol(const std::string& value, std::string symbol, std::string referred_as,
                  const std::vector<const SourceFile*>& module_files) {
    for (FixSymbol& known : fix_symbols) {
      if (known.value != value || known.module_files != module_files) continue;
      if (known.symbol != symbol) known.symbol.clear();  // which one a fix means is unknown
      return;
    }
    fix_symbols.push_back({value, std::move(symbol), std::move(referred_as), module_files});
  }
  // The symbol recorded for a stand-in value, or nullptr (every reader's one look-up).
  [[nodiscard]] std::string* symbol_for(std::string_view value) {
    for (auto& [v, s] : stand_ins) {
      if (v == value) return &s;
    }
    return nullptr;
  }
  // Symbols among the stand-ins' that a fix cannot write into the container (a resource inside
  // a called Terraform module, a data source the module does not declare), with why: findings
  // may show them, edits holding them are withheld.
  std::vector<std::pair<std::string, std::string>> unwritable;
  // Stand-ins bound to the values the user gave (bind_stand_ins), for documents parsed later.
  std::vector<std::pair<std::string, std::string>> bound;
  // Files read on the way (a Terraform module's templates and the modules it calls), kept for
  // the documents and findings that point into them.
  std::vector<std::shared_ptr<const SourceFile>> files;
  std::vector<ScopedSuppression> suppressions;
};

// A root module input from the command line, as terraform takes them: `-var NAME=VALUE` or
// `-var-file PATH`.
struct TerraformInput {
  bool is_file = false;
  std::string name;   // -var's NAME; empty for a file
  std::string value;  // -var's VALUE, or the file's path

  static TerraformInput var(std::string name, std::string value) {
    return {false, std::move(name), std::move(value)};
  }
  static TerraformInput file(std::string path) { return {true, {}, std::move(path)}; }
};

// What the user told us (flags, config) that gives symbolic template values a concrete value:
// `${AWS::AccountId}` is the exporting account when --account names it.
struct Hints {
  std::optional<std::string> account;
  std::optional<std::string> region;
  bool one_region = false;  // `region` is the only Region given (not the first of several)
  std::optional<std::string> bucket_account;  // the account a bucket-only stack is deployed in
  std::optional<std::string> bucket_region;   // the Region a stack creating the bucket is in
  // The export's bucket and key as the user gave them: a plan's or module's policy of that
  // bucket or key is the export's even when nothing in the file says so.
  std::optional<std::string> bucket;
  std::optional<std::string> key_arn;
  // Terraform: `--var name=value` and `--var-file PATH` in the order given (later ones win).
  std::vector<TerraformInput> terraform_inputs;
  // Whether files the inputs refer to may be read from disk (templatefile(), a module's
  // source, terraform.tfvars): yes for a scan, no for text with no place (a fuzzer's input).
  bool read_files = false;
};

// Reads `source`: JSON containers by their shape, YAML and Terraform source by their content
// and name. A bare policy is parsed here as well (once), and comes back as one document.
Extraction extract(const SourceFile& source, const Hints& hints = {});

// The directories of the local modules `file` calls (`module "x" { source = "./modules/x" }`),
// spelled as the file's directory joined with the source; remote and registry modules are not.
std::vector<std::string> local_module_directories(const SourceFile& file);
// Modules nested deeper below the root module than this are not read (a note says so).
inline constexpr int kMaxModuleDepth = 8;

// Terraform source (.tf, not Terraform's JSON syntax): the .tf files of one directory are one
// module, read together by extract_module (into one extraction: its documents and findings
// point into whichever file they are written in).
bool is_terraform_module_file(const SourceFile& source);
Extraction extract_module(const std::vector<const SourceFile*>& files, const Hints& hints);

// A JSON object shaped like a CloudFormation template.
bool is_cloudformation(const json::Value& root);

// Program source (.ts, .py, .js, .java, .cs, .go, ...): a CDK stack, never a policy itself.
bool is_program_source(std::string_view path);

// Whether a scanned file is worth checking: a policy, or a container that may hold one.
bool looks_like_input(std::string_view path, std::string_view text);

// Whether a file is an export setup on its own: a CloudFormation template or a Terraform plan
// or state states its own setup. Every other input (policies, CLI output, publishing-destination
// output, Terraform source) joins the setup of its directory.
bool stands_alone(std::string_view path, std::string_view text);

// .yaml, .yml, .template or .tf: files that are often something else entirely.
bool is_yaml_or_terraform_name(std::string_view path);

// An ARN's six fields (arn, partition, service, Region, account, resource); fewer when it is
// not one. The resource keeps its own colons.
std::vector<std::string_view> split_arn_fields(std::string_view arn);

}  // namespace gdl::containers
