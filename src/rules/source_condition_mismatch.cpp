// GD312 source-condition-mismatch: aws:SourceAccount / aws:SourceArn values of a GuardDuty grant
// that can never be GuardDuty's (malformed: an account id of 11 digits, an ARN without
// detector/), or that let other accounts' or other detectors' GuardDuty in than the export the
// user configured. One finding per condition, naming every such value.
//
// Whether GuardDuty's own requests are allowed is simulated (GD201, GD301, GD302): a list that
// includes the exporter works, because the values of a condition are OR'ed. Only values of
// String and Arn operators are source values: under Null, "false" is not an ARN.

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl {
namespace {

bool templated(std::string_view v) {
  return v.find('{') != std::string_view::npos || v.find('$') != std::string_view::npos;
}
bool wildcard(std::string_view v) {
  return has_glob_char(v);
}

// Why `value` can never be GuardDuty's aws:SourceAccount / aws:SourceArn, or empty.
std::string malformed(bool account_key, std::string_view value) {
  if (account_key) {
    if (wildcard(value) || exportcfg::is_account_id(value)) return {};
    return fmt::format("\"{}\" is not a 12-digit account id", value);
  }
  std::string_view parts[6];
  if (!iam::split_arn(value, parts) || parts[0] != "arn")
    return fmt::format("\"{}\" is not an ARN", value);
  if (!wildcard(parts[2]) && parts[2] != "guardduty")
    return fmt::format("\"{}\" is an ARN of service {}, not a GuardDuty detector", value, parts[2]);
  if (!wildcard(parts[4]) && !exportcfg::is_account_id(parts[4]))
    return fmt::format("\"{}\" has no 12-digit account id", value);
  if (!wildcard(parts[5]) &&
      (!parts[5].starts_with("detector/") || !exportcfg::is_detector_id(parts[5].substr(9))))
    return fmt::format(
        "\"{}\" does not end in detector/DETECTOR-ID (32 lower-case hexadecimal "
        "characters)",
        value);
  return {};
}

std::vector<const exportcfg::PolicyDocument*> documents_of(const SetupContext& ctx) {
  auto docs = ctx.of_kind(documents::Kind::key_policy);
  for (const auto* doc : ctx.of_kind(documents::Kind::bucket_policy)) docs.push_back(doc);
  return docs;
}

class SourceConditionMismatchRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : documents_of(ctx)) {
      const exportcfg::GuardDutyRequest* own = support::request_seen_by(
          ctx.requests, *doc,
          doc->kind == documents::Kind::key_policy ? "GenerateDataKey" : "PutObject");
      const bool own_applies_known = own != nullptr;
      const iam::Evaluation own_eval =
          own_applies_known ? doc->evaluator->evaluate(own->request, false) : iam::Evaluation{};
      for (const policy::Statement& s : doc->policy.statements) {
        if (!exportcfg::names_guardduty(s) || s.effect != policy::Effect::allow) continue;
        Findings f;
        for (const policy::ConditionClause& c : s.conditions) {
          if (!exportcfg::is_value_operator(c.op.value)) continue;
          const bool account_key = iequals(c.key.value, "aws:SourceAccount");
          if (!account_key && !iequals(c.key.value, "aws:SourceArn")) continue;
          collect(ctx, *doc, own, c, account_key, f);
        }
        report(ctx, *doc, s, f, out);
        if (own != nullptr) report_unpaired(ctx, *doc, *own, s, out);
        // Strangers only count where the configured export itself gets in through this
        // statement: a statement that lets only others in makes GuardDuty's request fail, which
        // GD201/GD301/GD302 report. They are accounts the conditions name one by one (patterns
        // are GD202's and GD303's): a central bucket's members, meant to export there, or an
        // account left from another setup. Either way the user wrote them: a note, not a gap
        // (a warning on every member's check of an organization's archive bucket was noise).
        const bool own_applies = own_applies_known && own_eval.trace_of(s.index) != nullptr &&
                                 own_eval.trace_of(s.index)->applies;
        if (own_applies && f.first_other != nullptr) {
          Diagnostic d = make_diagnostic(
              id(), make_location(*doc->source, f.first_other->span),
              fmt::format("{} also lets in the GuardDuty of {}, which its conditions name: "
                          "other accounts than the export you configured can use this grant "
                          "(remove any not meant to export here)",
                          s.label(), fmt::join(f.others, ", ")));
          d.notes.push_back(fmt::format("configured: account {}", ctx.settings.account.get()));
          d.severity = Severity::note;
          out.push_back(std::move(d));
        }
      }
    }
  }

 private:
  struct Findings {
    std::vector<std::string> broken;
    const policy::Text* first_broken = nullptr;
    std::size_t judged = 0;  // values of the key of the first broken one
    bool whole_clause_broken = false;
    std::vector<std::string> others;
    const policy::Text* first_other = nullptr;
  };

  static void collect(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                      const exportcfg::GuardDutyRequest* own, const policy::ConditionClause& c,
                      bool account_key, Findings& f) {
    std::size_t judged = 0;
    std::size_t broken = 0;
    for (const policy::Text& v : c.values) {
      if (templated(v.value)) continue;
      ++judged;
      if (auto why = malformed(account_key, v.value); !why.empty()) {
        f.broken.push_back(fmt::format("{} {}", c.key.value, why));
        ++broken;
        if (f.first_broken == nullptr) f.first_broken = &v;
      } else if (own != nullptr && widens(ctx, doc, *own, account_key, v.value)) {
        std::string shown = fmt::format("{} \"{}\"", c.key.value, v.value);
        if (std::find(f.others.begin(), f.others.end(), shown) == f.others.end())
          f.others.push_back(std::move(shown));
        if (f.first_other == nullptr) f.first_other = &v;
      }
    }
    if (broken > 0 && broken == judged) f.whole_clause_broken = true;
  }

  void report(const SetupContext&, const exportcfg::PolicyDocument& doc, const policy::Statement& s,
              const Findings& f, std::vector<Diagnostic>& out) const {
    if (f.first_broken == nullptr) return;
    // Every value of a condition broken: the statement never applies (GuardDuty's request
    // fails, which the simulation reports as an error). Some: those values are dead weight.
    Diagnostic d = make_diagnostic(
        id(), make_location(*doc.source, f.first_broken->span),
        fmt::format("{}: {}; {}", s.label(), fmt::join(f.broken, "; "),
                    f.whole_clause_broken
                        ? "no request of GuardDuty's matches, so the statement never applies"
                        : "these values never match GuardDuty's requests"));
    d.severity = f.whole_clause_broken ? Severity::warning : Severity::note;
    out.push_back(std::move(d));
  }

  // Whether a well-formed value lets in the GuardDuty of another account than the one the user
  // gave. Proven by simulating that GuardDuty's request. The account's own detectors of other
  // Regions are not strangers: they have the account's owner, and a pattern of them
  // ("arn:aws:guardduty:*:ACCOUNT:detector/*", the multi-Region idiom) must get the verdict of
  // the list it stands for (a Region listed beside the configured ones was a warning, its
  // pattern not).
  static bool widens(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                     const exportcfg::GuardDutyRequest& own, bool account_key,
                     std::string_view value) {
    if (wildcard(value)) return false;  // patterns: GD202/GD303 probe them
    std::string account;
    std::string region;
    std::string detector;
    if (account_key) {
      account = std::string(value);
    } else {
      std::string_view parts[6];
      if (!iam::split_arn(value, parts)) return false;
      account = std::string(parts[4]);
      region = std::string(parts[3]);
      detector = std::string(parts[5].substr(9));
    }
    if (!support::given(ctx.settings.account) || account == ctx.settings.account.get())
      return false;
    // The stranger's request: GuardDuty's own, from that account, Region and detector (the
    // other key keeps the value of the stranger where it names one).
    return doc.evaluator
               ->evaluate(support::as_account(ctx.settings, own, account, region, detector), false)
               .decision == iam::Decision::allow;
  }

  // aws:SourceAccount and aws:SourceArn lists of one grant that name different accounts. A
  // request of GuardDuty's carries the same account in both (its detector's), so an account in
  // one list that the other does not match can never satisfy both: that account's GuardDuty is
  // refused, which a typo in a long list of member accounts does silently (a real organization
  // setup listed 260990552251 as a source account and 026090552251 in a detector ARN). Asked
  // of the evaluator for each such account: another grant may let it in. The exporting account's
  // own refusal is GuardDuty's request failing, the error GD201/GD301/GD302 report.
  void report_unpaired(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                       const exportcfg::GuardDutyRequest& own, const policy::Statement& s,
                       std::vector<Diagnostic>& out) const {
    struct Entry {
      const policy::Text* value;
      std::string account;  // literal, or a pattern ("*", "0260*")
      std::string region;   // of an ARN, when literal
      std::string detector;
      iam::Pattern pattern{};  // `account` compiled once: every account of the other list asks
      bool stands_in = false;  // a container's stand-in: any account
    };
    std::vector<Entry> accounts, arns;
    for (const policy::ConditionClause& c : s.conditions) {
      if (!exportcfg::is_value_operator(c.op.value)) continue;
      const auto op = iam::parse_operator(c.op.value);
      if (!op || op->negated) continue;
      const bool account_key = iequals(c.key.value, "aws:SourceAccount");
      if (!account_key && !iequals(c.key.value, "aws:SourceArn")) continue;
      for (const policy::Text& v : c.values) {
        if (templated(v.value) || !malformed(account_key, v.value).empty()) continue;
        if (account_key) {
          accounts.push_back({&v, v.value, {}, {}});
          continue;
        }
        std::string_view parts[6];
        if (!iam::split_arn(v.value, parts)) continue;
        const std::string_view detector =
            parts[5].starts_with("detector/") ? parts[5].substr(9) : std::string_view();
        arns.push_back({&v, std::string(parts[4]),
                        wildcard(parts[3]) ? std::string() : std::string(parts[3]),
                        wildcard(detector) ? std::string() : std::string(detector)});
      }
    }
    if (accounts.empty() || arns.empty()) return;
    for (std::vector<Entry>* list : {&accounts, &arns}) {
      for (Entry& e : *list) {
        e.pattern = iam::Pattern::glob(e.account, false);
        e.stands_in = support::holds_stand_in(e.account, ctx.stand_ins);
      }
    }
    const std::string exporter =
        ctx.settings.account.known() && !ctx.settings.account.origin.stand_in
            ? ctx.settings.account.get()
            : std::string();
    // An account known only when deployed (a Terraform caller identity) may be any account: it
    // pairs with every account of the other list.
    auto matched_by = [](const std::vector<Entry>& list, const std::string& account) {
      return std::any_of(list.begin(), list.end(), [&account](const Entry& e) {
        return e.stands_in || e.pattern.matches(account);
      });
    };
    // The literal accounts of one list that the other list does not match and that the policy
    // refuses.
    auto unpaired = [&](const std::vector<Entry>& list, const std::vector<Entry>& other) {
      std::vector<const Entry*> found;
      for (const Entry& e : list) {
        if (wildcard(e.account) || e.account == exporter || e.stands_in ||
            matched_by(other, e.account))
          continue;
        if (std::any_of(found.begin(), found.end(),
                        [&e](const Entry* f) { return f->account == e.account; }))
          continue;
        const iam::Request request =
            support::as_account(ctx.settings, own, e.account, e.region, e.detector);
        if (doc.evaluator->evaluate(request, false).decision == iam::Decision::allow) continue;
        found.push_back(&e);
      }
      return found;
    };
    const std::vector<const Entry*> only_accounts = unpaired(accounts, arns);
    const std::vector<const Entry*> only_arns = unpaired(arns, accounts);
    if (only_accounts.empty() && only_arns.empty()) return;
    auto listed = [](const std::vector<const Entry*>& list) {
      std::vector<std::string_view> names;
      for (const Entry* e : list) names.emplace_back(e->account);
      return fmt::format("{}", fmt::join(names, ", "));
    };
    std::vector<std::string> sides;
    if (!only_accounts.empty())
      sides.push_back(fmt::format("{} only in aws:SourceAccount", listed(only_accounts)));
    if (!only_arns.empty())
      sides.push_back(fmt::format("{} only in aws:SourceArn", listed(only_arns)));
    const Entry* first = only_accounts.empty() ? only_arns.front() : only_accounts.front();
    Diagnostic d = make_diagnostic(
        id(), make_location(*doc.source, first->value->span),
        fmt::format(
            "{}: aws:SourceAccount and aws:SourceArn name different accounts ({}); "
            "GuardDuty's requests carry one account in both, so the GuardDuty of {} {}",
            s.label(), fmt::join(sides, "; "),
            only_accounts.size() + only_arns.size() == 1 ? "that account" : "these accounts",
            doc.kind == documents::Kind::key_policy ? "cannot use this key"
                                                    : "is refused by this bucket policy"));
    // Dead weight (a note), as GD312's other dead values are: nothing says those accounts
    // export. Two of them a typo apart, one in each list, are most likely one account whose
    // exports fail: a warning.
    d.severity = Severity::note;
    for (const auto* list : {&only_accounts, &only_arns}) {
      for (const Entry* e : *list) {
        if (e != first)
          d.related.push_back({make_location(*doc.source, e->value->span),
                               fmt::format("account {}, in one list only", e->account)});
      }
    }
    // Accounts a typo apart, one in each list: most likely one account written two ways.
    for (const Entry* a : only_accounts) {
      for (const Entry* b : only_arns) {
        if (const std::string_view apart = support::typo_apart(a->account, b->account);
            !apart.empty()) {
          d.notes.push_back(fmt::format("{} and {} are {} apart: one account written two ways?",
                                        a->account, b->account, apart));
          d.severity = Severity::warning;
        }
      }
    }
    d.notes.push_back(
        "name each account in both lists: the account in aws:SourceAccount, its detectors (or "
        "arn:aws:guardduty:*:ACCOUNT:detector/*) in aws:SourceArn");
    out.push_back(std::move(d));
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_source_condition_mismatch_rule() {
  return std::make_unique<SourceConditionMismatchRule>();
}

}  // namespace gdl
