#pragma once
// Findings about documents that sit in containers, made fit for the user's own file: findings
// about values unknown offline are dropped, template symbols replace the stand-ins checked for
// them, and edits are written the way the container writes the document.

#include <optional>
#include <string>
#include <vector>

#include "containers/container.h"
#include "diag/diagnostic.h"
#include "policy/model.h"

namespace gdl::containers {

// Where one embedded document sits in its container.
struct Placement {
  std::string file;
  Span outer;  // the document's bytes in the container file
  Quoting quoting = Quoting::verbatim;
  std::string_view text;                  // the container file's text
  const SourceFile* container = nullptr;  // the file `text` is of
  std::vector<Span> unknown_spans;        // in the container file
  std::vector<Span> computed_spans;       // in the container file: edits there are suggestions
  const std::vector<std::pair<std::string, std::string>>* stand_ins = nullptr;
  const std::vector<std::pair<std::string, std::string>>* unwritable = nullptr;  // symbol, why
  const std::vector<Extraction::FixSymbol>* fix_symbols = nullptr;
  // A policy written as a CloudFormation template's own structure (not held in a string): a
  // string holding a symbol is written as an Fn::Sub (!Sub).
  bool cloudformation = false;
  // A policy held in a plain string of a CloudFormation template (not an Fn::Sub): its text is
  // passed as written, so a template symbol (${AWS::Region}) cannot be written into it.
  bool verbatim_string = false;
  // The document is in a file the container read on the way (a module it calls): a symbol of
  // the reading module (its data sources and resources) is not declared there.
  bool called_module_file = false;
  // The document is in a file of Terraform's JSON syntax (.tf.json): edits are written in the
  // native syntax's forms, not in JSON's, so none is written there.
  bool terraform_json = false;
  // The address of that module ("module.b."): its own resources' symbols are written there
  // without it (EmbeddedDocument::module_address).
  std::string module_address;
  // Statements holding an unknown value (container spans): a conclusion that needs every
  // Allow (a missing permission) or every Deny (a missing deny) of this document is then not
  // certain, unless the statement's known actions cannot cover the request concluded about.
  struct Uncertain {
    Span where;
    bool deny = false;
    std::optional<std::vector<std::string>> actions;  // when the Action element is known
    bool not_action = false;
    // Its principals cannot be a service principal: the unknown values are in account ARNs
    // (`arn:aws:iam::${...}:root`), never "*" or a service.
    bool service_free = false;
    // Its principals are GuardDuty's service principals alone, all known: it cannot cover a
    // request by anyone else.
    bool guardduty_only = false;
    // Its principals, when they are all known service principals: it covers GuardDuty's
    // request only if it names the principal GuardDuty calls as in the setup's Regions.
    std::optional<std::vector<std::string>> services;
  };
  std::vector<Uncertain> uncertain;
  // An unknown value in place of whole statements: it may be any Allow or Deny.
  bool unknown_statements = false;
  // Each statement's bytes in the container: a YAML template's appended statement or element is
  // written at the indentation of its siblings.
  std::vector<Span> statements;
  // The Statement element's value (the list as the document writes it), when present.
  std::optional<Span> statement_list;
};

// The placement of `document` (whose tree is built) from `extraction` of the file `path`.
Placement place(const EmbeddedDocument& document, const Extraction& extraction,
                const std::string& path);

// Records where the statements of `policy` are, and marks those that hold one of the
// placement's unknown values.
void mark_uncertain_statements(Placement& placement, const policy::Policy& policy,
                               const SourceFile& source);

// Applies the placements to every finding; `extractions[i]` is what `sources[i]` held. With
// `drop_uncertain`, findings that rest on a value unknown offline are dropped (by what their
// rule says it needs); the readers' own findings about the container keep theirs.
// `guardduty_principals` are the principals GuardDuty calls as in the setup's Regions (empty
// when the Regions are stand-ins: then any of GuardDuty's may be).
void adapt_findings(std::vector<Diagnostic>& diagnostics, const std::vector<Placement>& placements,
                    const std::vector<const SourceFile*>& sources,
                    const std::vector<Extraction>& extractions, bool drop_uncertain,
                    const std::vector<std::string>& guardduty_principals = {});

// Binds a template's symbolic values (stand-ins for a generated bucket name, a parameter without
// default, ${AWS::AccountId}) to the values the user gave for the same setting: the bucket the
// user named is the template's bucket when its name is symbolic and matches. The documents and
// stated settings get the user's values; the bound stand-ins are dropped.
void bind_stand_ins(Extraction& extraction, const exportcfg::ExportSettings& given);

// Whether `given` (the user's bucket name or key ARN) can be `symbolic`, a name or ARN that
// holds stand-ins (`findings-${AWS::AccountId}` checked as findings-409732615928): each
// stand-in matches any text, the same wherever it recurs.
bool matches_with_stand_ins(std::string_view symbolic, std::string_view given,
                            const std::vector<std::pair<std::string, std::string>>& stand_ins);

// Applies the bindings bind_stand_ins made to a tree parsed later (a document held as text).
void apply_bindings(const Extraction& extraction, json::Value& tree);

// Settings a template or plan states that the flags or --config contradict: a GD007 warning at
// the file's value (the given value is the one used).
void report_contradictions(const exportcfg::ExportSettings& stated,
                           const exportcfg::ExportSettings& given, std::vector<Diagnostic>& out);

}  // namespace gdl::containers
