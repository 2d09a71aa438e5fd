// GD313: someone besides the exporting account's GuardDuty can write, delete or read findings
// under the export prefix: another AWS service, another account, or (to read or delete) anyone.
// Proved over every class of request (export/access.h), shown with a request the policy allows.
// Another account's GuardDuty is GD303's, anyone's upload GD310's, plain HTTP GD307's.

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "checks/setup_rule.h"
#include "diag/rule_catalog.h"
#include "export/access.h"
#include "export/setup.h"
#include "iam/request_space.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl {
namespace {

std::string_view verb(std::string_view action) {
  if (action == "s3:PutObject") return "write";
  if (action == "s3:DeleteObject") return "delete";
  return "read";
}

// Whether `account` is the exporting account, as a fact (not a stand-in).
bool is_exporting_account(const exportcfg::ExportSettings& settings, std::string_view account) {
  return support::known(settings.account) && !settings.account.origin.stand_in &&
         account == settings.account.get();
}

std::string who(const exportcfg::AccessWitness& w, const exportcfg::ExportSettings& settings) {
  switch (w.access_class) {
    case exportcfg::AccessClass::other_service:
      return fmt::format("another AWS service ({})", w.request.principal.value);
    case exportcfg::AccessClass::other_account: {
      // The exporting account, in a bucket another owns, reaching other accounts' findings
      // (beyond_own_findings): not "another account".
      const std::string account = iam::principal_account(w.request.principal);
      if (is_exporting_account(settings, account))
        return fmt::format("the exporting account ({}), beyond its own findings,", account);
      // A member of the organization a condition names: said so (it is not anyone's).
      const iam::ContextValue* org = w.request.find("aws:PrincipalOrgID");
      if (org != nullptr && !org->values.empty() && !org->values.front().empty())
        return fmt::format("another account of organization {} ({})", org->values.front(), account);
      return fmt::format("another account ({})", account);
    }
    case exportcfg::AccessClass::anonymous:
      return "anyone, unauthenticated callers too,";
    default:
      return std::string(exportcfg::describe(w.access_class));
  }
}

// Drops the keys that describe who the caller is beyond its principal (its organization, its
// tags); false when the request has none.
bool drop_identity_keys(iam::Request& r) {
  std::vector<std::string> identity_keys;
  for (const auto& [key, value] : r.context) {
    if (key.starts_with("aws:principalorg") || key.starts_with("aws:principaltag/"))
      identity_keys.push_back(key);
  }
  for (const std::string& key : identity_keys) r.context.erase(key);
  return !identity_keys.empty();
}

// Whether a stranger with no organization membership or principal tags would be let in as the
// witness is: then the write is anyone's (GD310's); otherwise it takes a member of the
// organization (or a tagged principal), which GD310's stranger is not.
bool open_to_strangers(const exportcfg::PolicyDocument& doc, const iam::Request& witness) {
  iam::Request stranger = witness;
  if (!drop_identity_keys(stranger)) return true;
  return doc.evaluator->evaluate(stranger, false).decision == iam::Decision::allow;
}

// Whether any Allow can let in a principal other than the owner's own and GuardDuty: an Allow
// applies only to the principals its Principal names (a wildcard, NotPrincipal or another
// account's or service's name can). Exact, and it spares the proof for most export buckets.
bool may_admit_others(const policy::Policy& policy, const exportcfg::ExportSettings& settings) {
  const exportcfg::Value& owner = settings.bucket_owner();
  if (!owner.known() || owner.origin.stand_in) return true;
  for (const policy::Statement& s : policy.statements) {
    if (s.effect != policy::Effect::allow) continue;
    if (!s.principal.present || s.principal_negated || s.principal.everyone) return true;
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      const std::string& v = e.value.value;
      if (e.type == "Service" && exportcfg::is_guardduty_principal(v)) continue;
      if (e.type == "AWS" &&
          (v == owner.get() ||
           v.starts_with(fmt::format("arn:{}:iam::{}:", settings.partition, owner.get())))) {
        continue;
      }
      return true;
    }
  }
  return false;
}

// Within `check`, a bounded proof: what it finds is a fact; past the budget it stays silent.
constexpr std::size_t kBudget = 20000;

// The proof keeps one witness per class of principal ("another AWS service"), so a second
// statement letting in another service or account of that class would go unnamed until the
// first is fixed. The principals of that class the policy's Allows name are tried with the
// witness's request (its principal and the keys tied to it changed): each one allowed is a
// request AWS allows, so every statement reported rests on one. A reader is also tried as each
// principal the key policy's Allows name (`key_policy`, for reads): the one the key lets decrypt
// may not be the proof's.
std::vector<exportcfg::AccessWitness> namesakes(const exportcfg::PolicyDocument& doc,
                                                const exportcfg::AccessWitness& w,
                                                const exportcfg::ExportSettings& settings,
                                                const policy::Policy* key_policy) {
  std::vector<exportcfg::AccessWitness> out;
  const bool service = w.access_class == exportcfg::AccessClass::other_service;
  if (!service && w.access_class != exportcfg::AccessClass::other_account) return out;
  const std::string witness_account = iam::principal_account(w.request.principal);
  const exportcfg::Value& owner = settings.bucket_owner();
  // Another account is one only when the owner is known: otherwise every account the policy
  // names may be the owner's (as the proof takes them, export/access.cpp own_accounts).
  if (!service && (!owner.known() || owner.origin.stand_in)) return out;
  std::set<std::string> tried{service ? w.request.principal.value : witness_account};
  // The witness's identity keys are its principal's (an organization, tags): not another's.
  iam::Request base = w.request;
  drop_identity_keys(base);
  std::vector<const policy::Statement*> naming;
  for (const policy::Policy* p : {&doc.policy, key_policy}) {
    if (p == nullptr) continue;
    for (const policy::Statement& s : p->statements) naming.push_back(&s);
  }
  for (const policy::Statement* named : naming) {
    const policy::Statement& s = *named;
    if (s.effect != policy::Effect::allow || s.principal_negated) continue;
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      iam::Request r = base;
      if (service) {
        if (e.type != "Service" || exportcfg::is_guardduty_principal(e.value.value) ||
            e.value.value.find_first_of("*?$") != std::string::npos ||
            !tried.insert(e.value.value).second)
          continue;
        r.principal = {iam::RequestPrincipal::Kind::service, e.value.value};
        for (std::string_view key :
             {"aws:principalaccount", "aws:principalarn", "kms:calleraccount"})
          r.context.erase(std::string(key));
        r.set("aws:PrincipalIsAWSService", "true");
        r.set("aws:PrincipalServiceName", e.value.value);
      } else {
        if (e.type != "AWS") continue;
        std::string_view parts[6];
        std::string_view account = e.value.value;
        // A named role or user is that principal (a statement naming it lets no other role of
        // its account in); an account or its root, any principal of the account.
        const bool iam_arn = iam::split_arn(account, parts) && parts[2] == "iam";
        if (iam_arn) account = parts[4];
        if (!exportcfg::is_account_id(account) ||
            (owner.known() && !owner.origin.stand_in && owner.get() == account) ||
            !tried.insert(std::string(account)).second)
          continue;
        const bool named_principal =
            iam_arn && parts[5] != "root" && e.value.value.find_first_of("*?") == std::string::npos;
        const std::string arn = named_principal ? e.value.value
                                                : fmt::format("arn:{}:iam::{}:role/any-role",
                                                              settings.partition, account);
        r.principal = {iam::RequestPrincipal::Kind::aws, arn};
        r.context.erase("aws:principalservicename");
        r.set("aws:PrincipalAccount", std::string(account));
        r.set("aws:PrincipalArn", arn);
        r.set("aws:PrincipalIsAWSService", "false");
      }
      const iam::Evaluation e2 = doc.evaluator->evaluate(r, false);
      if (e2.decision != iam::Decision::allow) continue;
      exportcfg::AccessWitness found{w.access_class, std::move(r), {}};
      for (const std::size_t i : e2.deciding) found.statements.push_back(e2.statements[i].index);
      out.push_back(std::move(found));
    }
  }
  return out;
}

// Whether a statement holds a value unknown offline (a template's Fn::ImportValue, which the
// template reader leaves empty; a module's unknown): who it lets in is then not known.
bool holds_unknown(const policy::Statement& s) {
  const auto unknown = [](const policy::Text& t) {
    return t.value.empty() || policy::is_unresolved(t.value);
  };
  if (std::any_of(s.principal.entries.begin(), s.principal.entries.end(),
                  [&](const policy::PrincipalEntry& e) { return unknown(e.value); }) ||
      std::any_of(s.action.items.begin(), s.action.items.end(), unknown) ||
      std::any_of(s.resource.items.begin(), s.resource.items.end(), unknown))
    return true;
  return std::any_of(s.conditions.begin(), s.conditions.end(), [&](const auto& c) {
    return std::any_of(c.values.begin(), c.values.end(), unknown);
  });
}

// Whether the reader `w` can decrypt what it may GET. GuardDuty's findings are SSE-KMS objects
// encrypted with the export key, which S3 decrypts with the reader's own permission: the key
// policy must allow the reader kms:Decrypt through S3. An unauthenticated caller cannot read an
// SSE-KMS object at all (S3 requires a request signed with Signature Version 4). The reader is
// any principal of its account: one a key policy's Allow names is tried too, when the bucket
// lets it GET as well. True when the setup holds no key policy (`key_doc`) or key ARN to ask, or
// a key policy whose Allows hold unknown values.
bool may_decrypt(const SetupContext& ctx, const exportcfg::PolicyDocument& bucket,
                 const exportcfg::PolicyDocument* key_doc, const exportcfg::AccessWitness& w) {
  if (w.request.principal.kind == iam::RequestPrincipal::Kind::anonymous) return false;
  if (key_doc == nullptr || !ctx.settings.key_arn.known()) return true;
  const exportcfg::PolicyDocument& key = *key_doc;
  std::string_view parts[6];
  if (!iam::split_arn(ctx.settings.key_arn.get(), parts) || parts[3].empty()) return true;
  iam::Request r = w.request;
  r.action = "kms:Decrypt";
  r.resource = ctx.settings.key_arn.get();
  r.set("kms:ViaService", fmt::format("s3.{}.{}", parts[3], exportcfg::dns_suffix(parts[1])));
  r.set("aws:ResourceAccount", std::string(parts[4]));  // the key's owner, in every request
  const std::string account = r.principal.kind == iam::RequestPrincipal::Kind::aws
                                  ? iam::principal_account(r.principal)
                                  : std::string();
  if (!account.empty()) r.set("kms:CallerAccount", account);
  // S3 asks KMS with the object's ARN as the encryption context, or the bucket's when the bucket
  // uses an S3 Bucket Key ("S3 Bucket Keys use the bucket ARN as encryption context", S3 User
  // Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"), which is not known
  // offline: a reader the key policy lets decrypt with either is not kept out.
  const std::string& object = w.request.resource;
  const std::string bucket_arn = object.substr(0, object.find('/'));
  auto decrypts = [&](iam::Request request) {
    for (const std::string* context : {&object, &bucket_arn}) {
      request.set("kms:EncryptionContext:aws:s3:arn", *context);
      if (key.evaluator->evaluate(request, false).decision == iam::Decision::allow) return true;
    }
    return false;
  };
  if (decrypts(r)) return true;
  for (const policy::Statement& s : key.policy.statements) {
    if (s.effect != policy::Effect::allow) continue;
    if (holds_unknown(s)) return true;
    if (account.empty()) continue;
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      if (e.type != "AWS" || has_glob_char(e.value.value)) continue;
      // The principal the key names, with the witness's GET too: reading takes both.
      iam::Request named = r;
      named.principal = {iam::RequestPrincipal::Kind::aws, e.value.value};
      if (iam::principal_account(named.principal) != account) continue;
      named.set("aws:PrincipalArn", e.value.value);
      iam::Request get = w.request;
      get.principal = named.principal;
      get.set("aws:PrincipalArn", e.value.value);
      if (decrypts(named) &&
          bucket.evaluator->evaluate(get, false).decision == iam::Decision::allow)
        return true;
    }
  }
  return false;
}

// The exporting account's principal `w` reaching its own findings (AWSLogs/<its account>/
// under the prefix) in a bucket another account owns, a central log archive, reaches its own
// data, not another account's. The same request on another account's findings path decides:
// refused, nothing is reported (nullopt); allowed, that request is the witness (it reaches
// every member's findings). Any other witness is returned as it is.
std::optional<exportcfg::AccessWitness> beyond_own_findings(const SetupContext& ctx,
                                                            const exportcfg::PolicyDocument& doc,
                                                            const exportcfg::AccessWitness& w) {
  if (w.access_class != exportcfg::AccessClass::other_account ||
      !is_exporting_account(ctx.settings, iam::principal_account(w.request.principal)))
    return w;
  const std::string own_path = "/AWSLogs/" + ctx.settings.account.get() + "/";
  const std::size_t at = w.request.resource.find(own_path);
  if (at == std::string::npos) return w;
  exportcfg::AccessWitness elsewhere{w.access_class, w.request, {}};
  elsewhere.request.resource.replace(at, own_path.size(),
                                     "/AWSLogs/" + support::other_account(ctx.settings) + "/");
  const iam::Evaluation e = doc.evaluator->evaluate(elsewhere.request, false);
  if (e.decision != iam::Decision::allow) return std::nullopt;
  for (const std::size_t i : e.deciding) elsewhere.statements.push_back(e.statements[i].index);
  return elsewhere;
}

// One who may reach the findings through a statement.
struct Reach {
  std::string summary;  // "another account (...) can read findings (s3:GetObject)"
  const exportcfg::AccessWitness* witness;
  bool sealed;  // may GET the findings' objects, but the key policy keeps them from decrypting
};

class BucketFindingsReachableRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      if (!may_admit_others(doc->policy, ctx.settings)) continue;
      // One finding per statement that lets them in, with its first witness.
      std::map<std::size_t, std::vector<Reach>> by_statement;
      const std::vector<exportcfg::AccessAnswer> answers =
          exportcfg::verify_access(*doc, ctx.settings, kBudget).answers;
      std::deque<exportcfg::AccessWitness> more;  // the namesakes' witnesses (stable addresses)
      // The export key's policy, when the setup holds exactly one: readers must decrypt too.
      const std::vector<const exportcfg::PolicyDocument*> keys =
          ctx.of_kind(documents::Kind::key_policy);
      const exportcfg::PolicyDocument* key = keys.size() == 1 ? keys.front() : nullptr;
      for (const exportcfg::AccessAnswer& answer : answers) {
        const policy::Policy* read_key =
            answer.action == "s3:GetObject" && key != nullptr ? &key->policy : nullptr;
        std::vector<const exportcfg::AccessWitness*> witnesses;
        for (const exportcfg::AccessWitness& w : answer.found) {
          witnesses.push_back(&w);
          for (exportcfg::AccessWitness& n : namesakes(*doc, w, ctx.settings, read_key))
            witnesses.push_back(&more.emplace_back(std::move(n)));
        }
        for (const exportcfg::AccessWitness* witness : witnesses) {
          if (witness->statements.empty()) continue;
          std::optional<exportcfg::AccessWitness> reach = beyond_own_findings(ctx, *doc, *witness);
          if (!reach) continue;
          const exportcfg::AccessWitness& w = more.emplace_back(std::move(*reach));
          const bool read = answer.action == "s3:GetObject";
          const bool sealed = read && !may_decrypt(ctx, *doc, key, w);
          // An unauthenticated GET of an SSE-KMS object always fails: no one is let in.
          if (sealed && w.access_class == exportcfg::AccessClass::anonymous) continue;
          const policy::Statement& s = support::statement_at(*doc, w.statements.front());
          const bool put = answer.action == "s3:PutObject";
          switch (w.access_class) {
            case exportcfg::AccessClass::other_service:
              break;
            case exportcfg::AccessClass::anonymous:
              if (put) continue;  // GD310 bucket-public-write
              break;
            case exportcfg::AccessClass::other_account:
              if (put && exportcfg::names_everyone(s) && open_to_strangers(*doc, w.request))
                continue;  // GD310 bucket-public-write
              break;
            default:
              continue;
          }
          by_statement[s.index].push_back(
              {sealed ? fmt::format("{} can get the findings' objects ({}) but not decrypt them",
                                    who(w, ctx.settings), answer.action)
                      : fmt::format("{} can {} findings ({})", who(w, ctx.settings),
                                    verb(answer.action), answer.action),
               &w, sealed});
        }
      }
      for (auto& [index, reached] : by_statement) {
        // A reach that reads the findings is shown before one the key policy seals.
        std::stable_partition(reached.begin(), reached.end(),
                              [](const Reach& r) { return !r.sealed; });
        const policy::Statement& s = support::statement_at(*doc, index);
        const exportcfg::AccessWitness& first = *reached.front().witness;
        const std::string name = support::statement_name(*doc, index);
        Diagnostic d = make_diagnostic(
            id(), make_location(*doc->source, s.principal.present ? s.principal.span : s.span),
            reached.front().sealed
                ? fmt::format("{} lets {} get the findings' objects ({}): this {} request is "
                              "allowed, and only the key policy, which does not let it decrypt "
                              "them, keeps it from reading the findings",
                              name, who(first, ctx.settings), answers.front().resource,
                              first.request.action)
                : fmt::format("{} lets {} {} the findings ({}): this {} request is allowed", name,
                              who(first, ctx.settings), verb(first.request.action),
                              answers.front().resource, first.request.action));
        d.notes.push_back(fmt::format("the request (gd-export-lint simulate --request): {}",
                                      iam::request_to_json(first.request)));
        for (std::size_t i = 1; i < reached.size(); ++i)
          d.notes.push_back("also: " + reached[i].summary);
        out.push_back(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_findings_reachable_rule() {
  return std::make_unique<BucketFindingsReachableRule>();
}

}  // namespace gdl
