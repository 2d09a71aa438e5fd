// `verify`'s outputs: the full table as text or JSON, and the findings (every answer that is not
// "nobody") as SARIF 2.1.0 results carrying their witness requests.

#include "report/verify_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/json_writer.h"
#include "util/text.h"

namespace gdl {

namespace {

using analysis::VerifiedDocument;
using analysis::VerifyRun;
using exportcfg::AccessClass;
using exportcfg::StatementFinding;

std::string kind_name(documents::Kind kind) {
  return kind == documents::Kind::bucket_policy ? "bucket policy" : "key policy";
}

std::string labels(const VerifiedDocument& doc, const std::vector<std::size_t>& indices) {
  std::vector<std::string> out;
  for (const std::size_t i : indices) {
    auto it = doc.statement_labels.find(i);
    out.push_back(it != doc.statement_labels.end() ? it->second : fmt::format("Statement[{}]", i));
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

std::string not_proved(const std::vector<std::string>& why) {
  return fmt::format("nobody found, not proved: {}", fmt::join(why, "; "));
}

const exportcfg::AccessWitness* witness_of(const exportcfg::AccessAnswer& a, AccessClass c) {
  const auto it = std::find_if(a.found.begin(), a.found.end(),
                               [c](const auto& w) { return w.access_class == c; });
  return it == a.found.end() ? nullptr : &*it;
}

std::string_view finding_name(StatementFinding::Kind kind) {
  switch (kind) {
    case StatementFinding::Kind::never_applies:
      return "never-applies";
    case StatementFinding::Kind::allow_always_denied:
      return "allow-always-denied";
    case StatementFinding::Kind::deny_never_direct:
      return "deny-never-direct";
  }
  return "never-applies";
}

std::string statement_message(const VerifiedDocument& doc, const StatementFinding& f) {
  switch (f.kind) {
    case StatementFinding::Kind::never_applies:
      return fmt::format("{}: never applies to any request", labels(doc, {f.index}));
    case StatementFinding::Kind::deny_never_direct:
      return fmt::format(
          "{}: this Deny never applies to a principal's direct calls, only to calls a service "
          "makes for it (aws:CalledVia is absent in direct calls)",
          labels(doc, {f.index}));
    case StatementFinding::Kind::allow_always_denied:
      return fmt::format(
          "{}: this Allow never takes effect; every request it applies to is denied by {}",
          labels(doc, {f.index}), labels(doc, f.denied_by));
  }
  return {};
}

// The resource asked about with its stand-ins shown as placeholders or the container's symbols.
// The witnesses keep them, to be run with `simulate`; a line lists them.
std::string shown_resource(const VerifiedDocument& doc, const exportcfg::AccessAnswer& a) {
  return analysis::with_placeholders(doc, a.resource);
}

std::string access_message(const VerifiedDocument& doc, const exportcfg::AccessAnswer& a,
                           const exportcfg::AccessWitness& w) {
  return fmt::format("{} can {} on {}{}", exportcfg::describe(w.access_class), a.action,
                     shown_resource(doc, a),
                     w.statements.empty() ? std::string(": the policy does not deny it")
                                          : ": allowed by " + labels(doc, w.statements));
}

// The stand-ins a document's witnesses hold, as "000011112222 for <ACCOUNT_ID>".
std::vector<std::string> stand_ins_shown(const VerifiedDocument& doc) {
  // Each witness written once, not once per stand-in.
  std::vector<std::string> witnesses;
  for (const auto& a : doc.access) {
    for (const auto& w : a.found) witnesses.push_back(analysis::request_json(w.request));
  }
  std::vector<std::string> out;
  for (const auto& stand_in : doc.stand_ins) {
    const std::string& value = stand_in.first;  // not a binding: clang 14 cannot capture one
    const bool used = std::any_of(witnesses.begin(), witnesses.end(), [&value](const auto& w) {
      return w.find(value) != std::string::npos;
    });
    if (used) out.push_back(fmt::format("{} for {}", value, stand_in.second));
  }
  return out;
}

// Whether every request was tried, and if not why: what "nobody" rests on.
void write_proof(JsonOut& j, bool complete, const std::vector<std::string>& incomplete) {
  j.key("complete");
  j.boolean(complete);
  j.key("incomplete");
  j.begin_array();
  for (const std::string& why : incomplete) j.string(why);
  j.end_array();
}

}  // namespace

void write_verify_text(const VerifyRun& run, std::ostream& out) {
  for (const VerifiedDocument& doc : run.documents) {
    out << fmt::format("{}: {}\n", doc.name, kind_name(doc.kind));
    // The same for every question of a document: said once.
    if (!doc.not_counted.empty()) out << fmt::format("  not counted: {}\n", doc.not_counted);
    for (const exportcfg::AccessAnswer& a : doc.access) {
      out << fmt::format("  who else can {} on {}:\n", a.action, shown_resource(doc, a));
      for (const AccessClass c : a.asked) {
        const exportcfg::AccessWitness* w = witness_of(a, c);
        if (w == nullptr) {
          out << fmt::format("    {}: {}\n", exportcfg::describe(c),
                             a.complete ? "nobody (proved)" : not_proved(a.incomplete));
          continue;
        }
        out << fmt::format("    {}: YES{}\n", exportcfg::describe(c),
                           w->statements.empty()
                               ? std::string(" (no statement denies it)")
                               : " (allowed by " + labels(doc, w->statements) + ")");
        out << fmt::format("      witness: {}\n", analysis::request_json(w->request));
      }
    }
    const std::vector<std::string> examples = stand_ins_shown(doc);
    if (!examples.empty()) {
      out << fmt::format(
          "  the witnesses use example values for settings the inputs do not give: "
          "{}\n",
          fmt::join(examples, ", "));
    }
    const exportcfg::StatementAnswer& s = doc.statements;
    for (const StatementFinding& f : s.findings) out << "  " << statement_message(doc, f) << '\n';
    if (!s.not_checked.empty()) {
      out << fmt::format(
          "  not checked (policy variables, values known only once deployed, Federated or "
          "CanonicalUser "
          "principals): {}\n",
          labels(doc, s.not_checked));
    }
    if (s.findings.empty()) {
      out << fmt::format("  every statement applies to some request{}\n",
                         s.complete ? " (proved)" : " that was tried");
    }
    if (!s.complete) out << fmt::format("  statements: {}\n", not_proved(s.incomplete));
  }
  for (const std::string& name : run.unpaired) {
    out << fmt::format("{}: not compared: --against holds no policy of its kind to pair it with\n",
                       name);
  }
  for (const analysis::VerifiedChange& c : run.changes) {
    out << fmt::format("{} against {}:\n", run.documents[c.document].name, c.against);
    if (c.answer.loosened.empty()) {
      out << fmt::format("  grants nothing new{}\n",
                         c.answer.complete ? " (proved)" : ": " + not_proved(c.answer.incomplete));
    }
    for (const auto& l : c.answer.loosened) {
      out << fmt::format("  {}: {}\n", l.newly_allowed ? "newly allowed" : "no longer denied",
                         analysis::request_json(l.request));
    }
  }
}

void write_verify_json(const VerifyRun& run, std::ostream& out) {
  JsonOut j(out);
  j.begin_object();
  j.key("documents");
  j.begin_array();
  for (const VerifiedDocument& doc : run.documents) {
    j.begin_object();
    j.field("document", doc.name);
    j.field("kind", documents::to_string(doc.kind));
    if (!doc.not_counted.empty()) j.field("notCounted", doc.not_counted);
    j.key("access");
    j.begin_array();
    for (const exportcfg::AccessAnswer& a : doc.access) {
      j.begin_object();
      j.field("action", a.action);
      j.field("resource", shown_resource(doc, a));
      write_proof(j, a.complete, a.incomplete);
      j.field("requests", a.evaluated);
      j.key("classes");
      j.begin_array();
      for (const AccessClass c : a.asked) {
        const exportcfg::AccessWitness* w = witness_of(a, c);
        j.begin_object();
        j.field("class", exportcfg::to_string(c));
        j.field("answer", w != nullptr ? "reachable" : a.complete ? "nobody" : "not-proved");
        if (w != nullptr) {
          j.key("statements");
          j.begin_array();
          for (const std::size_t i : w->statements) j.number(i);
          j.end_array();
          j.key("witness");
          j.raw(analysis::request_json(w->request));
        }
        j.end_object();
      }
      j.end_array();
      j.end_object();
    }
    j.end_array();
    j.key("standIns");
    j.begin_array();
    for (const auto& [value, placeholder] : doc.stand_ins) {
      j.begin_object();
      j.field("value", value);
      j.field("placeholder", placeholder);
      j.end_object();
    }
    j.end_array();
    j.key("statements");
    j.begin_object();
    write_proof(j, doc.statements.complete, doc.statements.incomplete);
    j.key("findings");
    j.begin_array();
    for (const StatementFinding& f : doc.statements.findings) {
      j.begin_object();
      j.field("statement", f.index);
      j.field("label", labels(doc, {f.index}));
      j.field("finding", finding_name(f.kind));
      j.key("deniedBy");
      j.begin_array();
      for (const std::size_t i : f.denied_by) j.number(i);
      j.end_array();
      j.end_object();
    }
    j.end_array();
    j.key("notChecked");
    j.begin_array();
    for (const std::size_t i : doc.statements.not_checked) j.number(i);
    j.end_array();
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.key("changes");
  j.begin_array();
  for (const analysis::VerifiedChange& c : run.changes) {
    j.begin_object();
    j.field("document", run.documents[c.document].name);
    j.field("against", c.against);
    write_proof(j, c.answer.complete, c.answer.incomplete);
    j.key("loosened");
    j.begin_array();
    for (const auto& l : c.answer.loosened) {
      j.begin_object();
      j.field("change", l.newly_allowed ? "newly-allowed" : "no-longer-denied");
      j.key("witness");
      j.raw(analysis::request_json(l.request));
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.key("unpaired");
  j.begin_array();
  for (const std::string& name : run.unpaired) j.string(name);
  j.end_array();
  j.end_object();
  j.finish();
  out << '\n';
}

namespace {

struct SarifRule {
  std::string id;
  std::string_view text;
};

std::vector<SarifRule> sarif_rules() {
  std::vector<SarifRule> rules;
  for (const AccessClass c :
       {AccessClass::anonymous, AccessClass::other_account, AccessClass::other_guardduty,
        AccessClass::other_service, AccessClass::own_by_wildcard, AccessClass::plain_http,
        AccessClass::unencrypted_upload}) {
    rules.push_back({fmt::format("verify/{}", exportcfg::to_string(c)), exportcfg::describe(c)});
  }
  rules.push_back({"verify/never-applies", "a statement that applies to no request"});
  rules.push_back({"verify/allow-always-denied", "an Allow that a Deny always overrides"});
  rules.push_back({"verify/deny-never-direct", "a Deny that never applies to direct calls"});
  rules.push_back({"verify/newly-allowed", "a request the change newly allows"});
  rules.push_back({"verify/no-longer-denied", "a request the change no longer denies"});
  return rules;
}

void sarif_result(JsonOut& j, std::string_view rule, const std::string& message,
                  const std::string& path, Position at, const std::string* witness) {
  j.begin_object();
  j.field("ruleId", rule);
  j.field("level", "warning");
  j.key("message");
  j.begin_object();
  j.field("text", message);
  j.end_object();
  j.key("locations");
  j.begin_array();
  j.begin_object();
  j.key("physicalLocation");
  j.begin_object();
  write_artifact(j, path);
  j.key("region");
  j.begin_object();
  j.field("startLine", at.line);
  j.field("startColumn", at.column);
  j.end_object();
  j.end_object();
  j.end_object();
  j.end_array();
  if (witness != nullptr) {
    j.key("properties");
    j.begin_object();
    j.key("witness");
    j.raw(*witness);
    j.end_object();
  }
  j.end_object();
}

Position statement_position(const VerifiedDocument& doc, const std::vector<std::size_t>& indices) {
  if (indices.empty()) return doc.start;
  auto it = doc.statement_positions.find(indices.front());
  return it == doc.statement_positions.end() ? doc.start : it->second;
}

}  // namespace

void write_verify_sarif(const VerifyRun& run, std::ostream& out) {
  JsonOut j(out);
  begin_sarif_log(j, "gd-export-lint verify");
  for (const SarifRule& r : sarif_rules()) {
    j.begin_object();
    j.field("id", r.id);
    j.key("shortDescription");
    j.begin_object();
    j.field("text", r.text);
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.end_object();
  write_uri_base_ids(j);
  j.key("results");
  j.begin_array();
  for (const VerifiedDocument& doc : run.documents) {
    for (const exportcfg::AccessAnswer& a : doc.access) {
      for (const exportcfg::AccessWitness& w : a.found) {
        const std::string witness = analysis::request_json(w.request);
        sarif_result(j, fmt::format("verify/{}", exportcfg::to_string(w.access_class)),
                     access_message(doc, a, w), doc.path, statement_position(doc, w.statements),
                     &witness);
      }
    }
    for (const StatementFinding& f : doc.statements.findings) {
      sarif_result(j, fmt::format("verify/{}", finding_name(f.kind)), statement_message(doc, f),
                   doc.path, statement_position(doc, {f.index}), nullptr);
    }
  }
  for (const analysis::VerifiedChange& c : run.changes) {
    const VerifiedDocument& doc = run.documents[c.document];
    for (const auto& l : c.answer.loosened) {
      const std::string witness = analysis::request_json(l.request);
      sarif_result(j, l.newly_allowed ? "verify/newly-allowed" : "verify/no-longer-denied",
                   fmt::format("{} against {}: {} {}", doc.name, c.against,
                               l.newly_allowed ? "newly allows" : "no longer denies", witness),
                   doc.path, doc.start, &witness);
    }
  }
  j.end_array();
  j.end_object();
  j.end_array();
  j.end_object();
  j.finish();
  out << '\n';
}

}  // namespace gdl
