// Export settings inferred from the policies, for whatever the user did not give.
//
// What the documents say comes first: every legal value a document names for a setting (an
// account id in aws:SourceAccount, the Region and detector of an aws:SourceArn, the bucket of an
// S3 ARN, a key ARN in the key policy or in the bucket's key-id Deny) is a candidate. Where the
// documents name several (a central bucket's list of accounts, a key-id Deny naming two keys
// during a rotation, a key policy naming keys of several Regions), the candidate chosen is the
// one under which the most GuardDuty requests are allowed: a value the user did not give cannot
// be held against the policies. Only legal values are candidates (a literal '*' is never a
// Region), so a broken statement is never made to agree with itself. Candidates are ordered by
// document name and position, never by the order the files were passed in.
//
// Regions: without --region, every Region the documents name in aws:SourceArn values (else in
// the object paths, else in regional principals) is simulated; the rules treat a failure in only
// some of them as depending on that Region being exported.
//
// What nothing names gets a stand-in, marked `assumed`; a key or bucket pattern is instantiated
// into a stand-in that matches it.

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "export/evidence.h"
#include "export/setup.h"
#include "iam/conditions.h"
#include "iam/iam_data.h"
#include "iam/placeholders.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl::exportcfg {

bool is_guardduty_principal(std::string_view service) {
  if (service == "guardduty.amazonaws.com") return true;
  return service.starts_with("guardduty.") && service.ends_with(".amazonaws.com") &&
         is_region(service.substr(10, service.size() - 10 - 14));
}

bool names_guardduty(const policy::Statement& statement) {
  if (!statement.principal.present || statement.principal_negated) return false;
  return std::any_of(statement.principal.entries.begin(), statement.principal.entries.end(),
                     [](const policy::PrincipalEntry& e) {
                       return e.type == "Service" && is_guardduty_principal(e.value.value);
                     });
}

bool names_everyone(const policy::Statement& statement) {
  return statement.principal.everyone ||
         std::any_of(statement.principal.entries.begin(), statement.principal.entries.end(),
                     [](const policy::PrincipalEntry& e) { return e.value.value == "*"; });
}

std::vector<std::string> keys_named(const PolicyDocument& doc) {
  std::vector<std::string> keys;
  for (const policy::Statement& s : doc.policy.statements) {
    if (!names_guardduty(s) || s.effect != policy::Effect::allow) continue;
    if (s.resource_negated) return {};
    for (const policy::Text& r : s.resource.items) {
      if (key_arn_problem(r.value)) return {};
      keys.push_back(r.value);
    }
  }
  return keys;
}

std::vector<std::string> source_accounts_granted(const PolicyDocument& doc) {
  std::vector<std::string> accounts;
  auto add = [&accounts](std::string_view account) {
    if (!is_account_id(account)) return;
    if (std::find(accounts.begin(), accounts.end(), account) == accounts.end())
      accounts.emplace_back(account);
  };
  for (const policy::Statement& s : doc.policy.statements) {
    if (!names_guardduty(s) || s.effect != policy::Effect::allow) continue;
    for (const policy::ConditionClause& c : s.conditions) {
      if (!is_value_operator(c.op.value)) continue;
      const bool account = iequals(c.key.value, "aws:SourceAccount");
      if (!account && !iequals(c.key.value, "aws:SourceArn")) continue;
      for (const policy::Text& v : c.values) {
        std::string_view parts[6];
        if (account) {
          add(v.value);
        } else if (iam::split_arn(v.value, parts)) {
          add(parts[4]);
        }
      }
    }
  }
  std::sort(accounts.begin(), accounts.end());
  return accounts;
}

std::vector<std::string> key_arns_required(const PolicyDocument& doc) {
  std::vector<std::string> keys;
  for (const policy::Statement& s : doc.policy.statements) {
    for (const policy::ConditionClause& c : s.conditions) {
      if (!iequals(c.key.value, "s3:x-amz-server-side-encryption-aws-kms-key-id")) continue;
      for (const policy::Text& v : c.values) {
        if (!key_arn_problem(v.value) && std::find(keys.begin(), keys.end(), v.value) == keys.end())
          keys.push_back(v.value);
      }
    }
  }
  return keys;
}

bool is_value_operator(std::string_view op_text) {
  const auto op = iam::parse_operator(op_text);
  return op && !op->negated &&
         (op->family == iam::OperatorFamily::string || op->family == iam::OperatorFamily::arn);
}

namespace stand_in {
const std::string kAccount = "000011112222";
const std::string kDetector = "0123456789abcdef0123456789abcdef";
const std::string kBucket = "guardduty-export-bucket";
const std::string kKeyId = "00000000-0000-4000-8000-000000000000";
const std::string kRegion = "us-east-1";
// Other stand-ins, to tell a conclusion that rests on a stand-in from one that does not.
const std::string kOtherAccount = "000033334444";
const std::string kOtherDetector = "fedcba9876543210fedcba9876543210";
const std::string kOtherBucket = "guardduty-export-other-bucket";
const std::string kOtherKeyId = "99999999-9999-4999-8999-999999999999";
const std::string kOtherRegion = "eu-west-3";
}  // namespace stand_in

namespace {

// "1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708": 8-4-4-4-12 hex digits, as KMS key ids are.
bool uuid_shaped(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Whether S3 accepts the text as a bucket name: 3 to 63 lowercase letters, digits, dots and
// hyphens, starting and ending with a letter or digit (S3 user guide, bucket naming rules).
bool s3_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return alnum(name.front()) && alnum(name.back()) &&
         std::all_of(name.begin(), name.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '-'; });
}

using namespace detail;

class Inference : private Evidence {
 public:
  Inference(ExportSettings& settings, const std::vector<std::unique_ptr<PolicyDocument>>& documents)
      : settings_(settings), documents_(documents), sorted_(by_name(documents)) {}

  void run() {
    for (const PolicyDocument* doc : sorted_) statements_ += doc->policy.statements.size();
    gather(sorted_);
    resolve_prefix_patterns();
    choose_regions();
    // An assumed account (a Terraform module's own, when it creates the destination) gives way
    // to one the policies name for GuardDuty's requests, as an assumed Region does; not to one
    // only a key policy's principals name.
    if (settings_.account.known() && settings_.account.origin.kind == Origin::Kind::assumed &&
        std::any_of(accounts_.list().begin(), accounts_.list().end(),
                    [](const Candidate& c) { return c.tier < kKeyOwnerTier; }))
      settings_.account = {};
    const bool key_open = !settings_.key_arn.known();
    // The choices depend on each other (the detector in aws:SourceArn only matches with the
    // right account): a second round chooses each open value again, one at a time, with the
    // others as the first round left them.
    const ExportSettings given = settings_;
    for (int round = 0; round < 2; ++round) {
      const bool again = round == 1;
      rechoose(settings_.account, given.account, accounts_, again);
      choose_detectors(given, again);
      if (round == 0 && key_open) add_key_pattern_instances();
      rechoose(settings_.bucket, given.bucket, buckets_, again);
      rechoose(settings_.prefix, given.prefix, prefixes_, again);
      rechoose(settings_.key_arn, given.key_arn, keys_, again);
      rechoose(settings_.source_org_id, given.source_org_id, org_ids_, again);
      rechoose(settings_.source_org_path, given.source_org_path, org_paths_, again);
      rechoose(settings_.bucket_account, given.bucket_account, bucket_accounts_, again);
    }
    if (!settings_.bucket.known()) add_bucket_pattern_instance();
    fill_stand_ins();
  }

 private:
  // ---- choosing ----------------------------------------------------------------------------

  // A PutObject Resource pattern with a wildcard where the prefix is written ("finding?/*",
  // "*/AWSLogs/*", "f*s/*") has as candidates the prefixes the bucket's statements about
  // GuardDuty or everyone name that it covers (the guide's Denies on "bucket/findings/*"), its
  // literal part when it covers that, and an instance of it (a stand-in); a pattern covering no
  // export object, its literal part.
  void resolve_prefix_patterns() {
    for (const PrefixPattern& p : prefix_patterns_) {
      const iam::Pattern covers = iam::Pattern::glob(p.pattern, false);
      // Every candidate is weighed by choose() (the most GuardDuty requests allowed): a prefix
      // a Deny names ("archive/*") is not taken for the export's just because the pattern
      // covers it.
      bool any = false;
      for (const NamedPrefix& n : prefixes_named_) {
        if (!covers.matches(object_under(n.prefix))) continue;
        prefixes_.add(n.prefix, n.tier, *p.doc, p.span, "a prefix the PutObject resource covers");
        any = true;
      }
      if (p.fallback_covered) {
        prefixes_.add(p.fallback, 0, *p.doc, p.span, "PutObject resource");
        any = true;
      }
      // An instance of the pattern, a stand-in: distinctive (shown as <PREFIX> wherever it
      // appears, so never a short word of other text).
      const std::string head = prefix_part(p.pattern);
      for (const std::string_view many : {std::string_view(), std::string_view("gd-stand-in")}) {
        const std::string prefix = normalize_prefix(fill_glob(head, many, 'x'));
        if (prefix.size() < 6 || !covers.matches(object_under(prefix))) continue;
        prefixes_.add(prefix, 2, *p.doc, p.span,
                      "a prefix matching the PutObject resource's " + p.pattern);
        prefix_instances_.push_back(prefix);
        any = true;
        break;
      }
      if (!any) prefixes_.add(p.fallback, 0, *p.doc, p.span, "PutObject resource");
    }
    prefixes_.sort();
  }

  void choose_regions() {
    // An assumed Region (a Terraform module's own, named by its data "aws_region") gives way to
    // one the policies name.
    const bool assumed = settings_.regions_origin.kind == Origin::Kind::assumed;
    if (!settings_.regions.empty() && !assumed) return;
    for (const Candidates* c :
         {&regions_from_arns_, &regions_from_paths_, &regions_from_principals_}) {
      // Only Regions of the partition the policies' ARNs name: a GovCloud policy that also
      // lists commercial opt-in Regions' principals is not exported from those.
      std::vector<const Candidate*> in_partition;
      for (const Candidate& r : c->list()) {
        if (!partition_ || partition_of_region(r.value) == *partition_) in_partition.push_back(&r);
      }
      if (in_partition.empty()) continue;
      settings_.regions.clear();
      for (const Candidate* r : in_partition) {
        if (std::find(settings_.regions.begin(), settings_.regions.end(), r->value) ==
            settings_.regions.end())
          settings_.regions.push_back(r->value);
      }
      settings_.regions_origin = origin_of(*in_partition.front());
      return;
    }
  }

  void choose_detectors(const ExportSettings& given, bool again) {
    // A detector the user gave (--detector-id, the config's detectorId) is the one GuardDuty
    // sends in every Region not given one of its own: one a policy names must not replace it.
    // Unless the policies name it for a Region: detector ids are per Region, so it is that
    // Region's, and the others' are the ones the policies name.
    const bool one_given = support_known(given.detector_id);
    const bool given_named =
        one_given && std::any_of(detectors_.begin(), detectors_.end(), [&](const auto& entry) {
          const auto& list = entry.second.list();
          return std::any_of(list.begin(), list.end(), [&](const Candidate& c) {
            return c.value == given.detector_id.get();
          });
        });
    for (const std::string& region : settings_.regions) {
      if (one_given && !given_named && given.detector_ids.find(region) == given.detector_ids.end())
        continue;
      auto it = detectors_.find(region);
      if (it == detectors_.end()) continue;
      const auto was = given.detector_ids.find(region);
      rechoose(settings_.detector_ids[region],
               was != given.detector_ids.end() ? was->second : Value{}, it->second, again);
      if (!settings_.detector_ids[region].known()) settings_.detector_ids.erase(region);
    }
    rechoose(settings_.detector_id, given.detector_id, detectors_any_, again);
  }

  // How well a candidate fits, below one more allowed request (a score step is 4): a key ARN of
  // the exporting account (the key policy's own account, usually), in an exported Region or the
  // bucket's; a bucket name S3 accepts that is no guide's example.
  int fits(const Value& target, const std::string& value) const {
    // A name S3 would refuse or an example value of AWS's guides (amzn-s3-demo-bucket,
    // "...bucket[optional prefix]") is no one's bucket: a real name beats it whichever
    // statement is written first.
    if (&target == &settings_.bucket)
      return (s3_bucket_name(value) ? 1 : 0) + (data::find_placeholder(value).empty() ? 1 : 0);
    // A prefix a GuardDuty grant writes beats none: a grant on the whole bucket (bucket/*) lets
    // the export's requests in under any prefix, one on bucket/findings/* says which it is,
    // whichever statement comes first (the order of statements decides nothing in AWS).
    if (&target == &settings_.prefix) return value.empty() ? 0 : 1;
    if (&target != &settings_.key_arn) return 0;
    std::string_view parts[6];
    if (!iam::split_arn(value, parts)) return 0;
    int fit = 0;
    if (settings_.account.known() && parts[4] == settings_.account.get()) fit += 2;
    const std::string region(parts[3]);
    if ((settings_.bucket_region.known() && region == settings_.bucket_region.get()) ||
        std::find(settings_.regions.begin(), settings_.regions.end(), region) !=
            settings_.regions.end())
      fit += 1;
    return fit;
  }

  // The candidate under which the most GuardDuty requests are allowed; on a tie, the one that
  // fits the other settings best, then the first.
  void choose(Value& target, const Candidates& candidates) {
    if (target.known() || candidates.empty()) return;
    const Candidate* best = &candidates.list().front();
    std::size_t alike = 1;  // candidates weighed as good as the one taken
    // Weighing candidates simulates every request once per candidate: for documents far larger
    // than any real policy (a hostile file), the first candidate is taken instead.
    if (candidates.list().size() > 1 && statements_ <= kMaxStatementsToWeigh &&
        work_ < kWorkBudget) {
      int best_score = -1;
      for (const Candidate& c : candidates.list()) {
        target.value = c.value;
        const int score = allowed_requests() * 4 + fits(target, c.value);
        if (score > best_score) {
          best_score = score;
          best = &c;
          alike = 1;
        } else if (score == best_score) {
          ++alike;
        }
      }
    }
    target.value = best->value;
    target.origin = origin_of(*best);
    // An organization's bucket lists every member account in aws:SourceAccount: the one taken is
    // the first of equals, not the policies' answer, and the settings say so.
    // (Not for a detector id: with ids per Region it is only the fallback of the others.)
    if (const std::string_view option = option_of(target); alike > 1 && !option.empty()) {
      // (At most Candidates::kMax are kept: a longer list is "that many or more".)
      target.origin.detail += fmt::format(
          "; the first of {}{} values the policies allow alike: give {} to choose", alike,
          candidates.list().size() >= Candidates::kMax ? " or more" : "", option);
    }
  }

  // The command-line option that gives `target`, for the settings a user is asked to choose.
  [[nodiscard]] std::string_view option_of(const Value& target) const {
    if (&target == &settings_.account) return "--account";
    if (&target == &settings_.bucket) return "--bucket";
    if (&target == &settings_.prefix) return "--prefix";
    if (&target == &settings_.key_arn) return "--key-arn";
    if (&target == &settings_.bucket_account) return "--bucket-account";
    return {};
  }

  // How many of GuardDuty's requests the documents allow under the settings as they are now
  // (values still unknown are simulated with their stand-ins).
  int allowed_requests() {
    ExportSettings trial = settings_;
    trial.partition = partition();
    complete_with_stand_ins(trial);
    int allowed = 0;
    const auto requests = guardduty_requests(trial, true);
    work_ += requests.size() * std::max<std::size_t>(statements_, 1);
    for (const GuardDutyRequest& r : requests) {
      const bool key_request = r.request.action.starts_with("kms:");
      for (const auto& doc : documents_) {
        if (doc->evaluator == nullptr || doc->too_large) continue;
        const bool relevant = key_request ? doc->kind == documents::Kind::key_policy
                                          : doc->kind == documents::Kind::bucket_policy;
        if (relevant && doc->evaluator->evaluate(r.request, false).decision == iam::Decision::allow)
          ++allowed;
      }
    }
    return allowed;
  }

  // Key ARNs that match a key policy's Resource pattern ("arn:aws:kms:*:111122223333:key/*"),
  // with the chosen account and Regions where the pattern leaves them open.
  void add_key_pattern_instances() {
    for (const Candidate& c : key_patterns_.list()) {
      std::string_view parts[6];
      if (!iam::split_arn(c.value, parts)) continue;
      std::vector<std::string> regions = settings_.regions;
      regions.push_back(stand_in::kRegion);
      for (const std::string& region : regions) {
        auto part = [](std::string_view written, const std::string& value) {
          return has_wildcard(written) ? value : std::string(written);
        };
        // The key id: the pattern's own ("key/1f2e...f708*" of a key-id Deny) when filling its
        // wildcards makes one, else the stand-in id.
        const std::string account =
            settings_.account.known() ? settings_.account.get() : stand_in::kAccount;
        std::string arn;
        // Only a filled id shaped like a key id (a UUID: "1f2e...f708*"), not a bare "1f2e",
        // which would be a stand-in that is a leading part of the user's own text.
        const std::string filled =
            parts[5].starts_with("key/") ? fill_glob(parts[5].substr(4), "", '0') : "";
        for (const std::string& key_id :
             {uuid_shaped(filled) ? filled : std::string(), stand_in::kKeyId}) {
          if (key_id.empty()) continue;
          const std::string candidate =
              fmt::format("arn:{}:kms:{}:{}:key/{}", part(parts[1], settings_.partition),
                          part(parts[3], region), part(parts[4], account), key_id);
          if (key_arn_problem(candidate) || !iam::Pattern::glob(c.value, false).matches(candidate))
            continue;
          arn = candidate;
          break;
        }
        if (arn.empty()) continue;
        pattern_instances_.push_back(arn);
        keys_.add(arn, 2, *c.doc, c.span,
                  (c.tier == 0 ? "a key matching the key policy's Resource "
                               : "a key matching the key-id condition ") +
                      c.value);
        break;
      }
    }
    keys_.sort();
  }

  // Chooses `target` (again, in the second round, unless the user gave it).
  void rechoose(Value& target, const Value& given, const Candidates& candidates, bool again) {
    if (again && !given.known()) target = {};
    choose(target, candidates);
  }

  // A stand-in bucket name that matches the GuardDuty statements' bucket pattern: each '*' or
  // '?' becomes letters a bucket name may hold.
  void add_bucket_pattern_instance() {
    bucket_patterns_.sort();
    for (const Candidate& c : bucket_patterns_.list()) {
      std::string name;
      for (const char ch : c.value) {
        if (ch == '*') {
          name += "stand-in";
        } else if (ch == '?') {
          name += 'x';
        } else {
          name += ch;
        }
      }
      if (!iam::Pattern::glob(c.value, false).matches(name)) continue;
      settings_.bucket.value = name;
      settings_.bucket.origin = {Origin::Kind::assumed,
                                 "a bucket matching the GuardDuty statements' " + c.value,
                                 std::nullopt, true};
      return;
    }
  }

  // ---- stand-ins ---------------------------------------------------------------------------

  // `stand_in`: nothing gave or derived the value (unlike the KMS key's own account).
  static void assume(Value& target, std::string value, std::string why, bool stand_in = true) {
    if (target.known()) return;
    target.value = std::move(value);
    target.origin = {Origin::Kind::assumed, std::move(why), std::nullopt, stand_in};
  }

  void complete_with_stand_ins(ExportSettings& s) const {
    if (s.regions.empty()) s.regions.push_back(stand_in_region(s));
    assume(s.account, stand_in::kAccount, "");
    assume(s.detector_id, stand_in::kDetector, "");
    assume(s.bucket, stand_in::kBucket, "");
    assume(s.prefix, "", "");
    assume(s.key_arn, stand_in_key(s), "");
  }

  static std::string stand_in_region(const ExportSettings& s) {
    if (s.bucket_region.known()) return s.bucket_region.get();
    std::string_view parts[6];
    if (s.key_arn.known() && iam::split_arn(s.key_arn.get(), parts) && is_region(parts[3]))
      return std::string(parts[3]);
    return stand_in::kRegion;
  }

  // In the account the key policy's aws:ResourceAccount names (its owner), else the exporter's.
  [[nodiscard]] std::string stand_in_key(const ExportSettings& s) const {
    return fmt::format("arn:{}:kms:{}:{}:key/{}", s.partition,
                       s.bucket_region.known() ? s.bucket_region.get() : s.regions.front(),
                       key_accounts_.empty() ? s.account.get() : key_accounts_.list().front().value,
                       stand_in::kKeyId);
  }

  // A value chosen from an instance of a pattern (a candidate of the instances' tier, 2, that
  // no document names exactly) is a stand-in shaped by the pattern, not a fact.
  static void mark_instance(Value& v, const Candidates& candidates,
                            const std::vector<std::string>& instances) {
    if (!v.known() || v.origin.kind != Origin::Kind::inferred ||
        std::find(instances.begin(), instances.end(), v.get()) == instances.end())
      return;
    const auto& list = candidates.list();
    const auto c = std::find_if(list.begin(), list.end(),
                                [&](const Candidate& x) { return x.value == v.get(); });
    if (c == list.end() || c->tier != 2) return;
    v.origin.kind = Origin::Kind::assumed;
    v.origin.stand_in = true;
  }

  // The partition GuardDuty's ARNs are in: one given or named by the policies' GuardDuty ARNs,
  // else the Regions' own when they agree (an ARN GuardDuty sends in us-gov-west-1 starts
  // arn:aws-us-gov:).
  [[nodiscard]] std::string partition() const {
    if (settings_.partition != "aws") return settings_.partition;
    if (partition_) return *partition_;
    const auto common = common_partition(settings_.regions);
    return common ? std::string(*common) : settings_.partition;
  }

  void fill_stand_ins() {
    settings_.partition = partition();
    mark_instance(settings_.detector_id, detectors_any_, detector_instances_);
    for (auto& [region, id] : settings_.detector_ids) {
      const auto c = detectors_.find(region);
      if (c != detectors_.end()) mark_instance(id, c->second, detector_instances_);
    }
    mark_instance(settings_.prefix, prefixes_, prefix_instances_);
    if (settings_.account.origin.kind == Origin::Kind::inferred) {
      const auto& list = accounts_.list();
      const auto c = std::find_if(list.begin(), list.end(), [&](const Candidate& x) {
        return x.value == settings_.account.get();
      });
      settings_.account.origin.owner_guess = c != list.end() && c->tier >= kKeyOwnerTier;
    }
    // A key chosen from a pattern is a stand-in shaped by it, not a fact.
    if (settings_.key_arn.origin.kind == Origin::Kind::inferred &&
        std::find(pattern_instances_.begin(), pattern_instances_.end(), settings_.key_arn.get()) !=
            pattern_instances_.end()) {
      settings_.key_arn.origin.kind = Origin::Kind::assumed;
      settings_.key_arn.origin.stand_in = true;
    }
    if (settings_.regions.empty()) {
      std::string_view parts[6];
      const bool from_bucket = settings_.bucket_region.known();
      const bool from_key = !from_bucket && settings_.key_arn.known() &&
                            !settings_.key_arn.origin.stand_in &&
                            iam::split_arn(settings_.key_arn.get(), parts) && is_region(parts[3]);
      settings_.regions.push_back(from_bucket ? settings_.bucket_region.get()
                                  : from_key  ? std::string(parts[3])
                                              : stand_in::kRegion);
      // The bucket's or key's Region is where the findings go, not where the detector is ("You
      // can use the same S3 bucket and KMS key pair to export the findings from any applicable
      // Region", the export guide). Simulated, but a stand-in:
      // never written into an aws:SourceArn of a fix as if it were GuardDuty's.
      settings_.regions_origin = {
          Origin::Kind::assumed,
          from_bucket ? fmt::format("the bucket's Region, {}; the detector's may differ (--region)",
                                    settings_.regions.front())
          : from_key ? fmt::format("the KMS key's Region, {}; the detector's may differ (--region)",
                                   settings_.regions.front())
                     : std::string("no Region given or found in the policies"),
          std::nullopt, true};
    }
    std::string_view key_parts[6];
    if (!settings_.account.known() && support_known(settings_.key_arn) &&
        iam::split_arn(settings_.key_arn.get(), key_parts) && is_account_id(key_parts[4])) {
      assume(settings_.account, std::string(key_parts[4]), "the KMS key's account", false);
      settings_.account.origin.owner_guess = true;
    }
    assume(settings_.account, stand_in::kAccount,
           "no account found in the policies; nothing constrains it");
    assume(settings_.detector_id, stand_in::kDetector,
           "no detector id found in the policies; nothing constrains it");
    assume(settings_.bucket, stand_in::kBucket, "no bucket found in the policies");
    assume(settings_.prefix, "", "no prefix found in the policies");
    assume(settings_.key_arn, stand_in_key(settings_),
           settings_.key_arn_rejected
               ? "the key ARN given cannot be the export key (GD007 says why), and the policies "
                 "name no other"
               : "no key ARN found in the policies; nothing constrains it");
  }

  static bool support_known(const Value& v) {
    return v.known() && v.origin.kind != Origin::Kind::assumed;
  }

  ExportSettings& settings_;
  const std::vector<std::unique_ptr<PolicyDocument>>& documents_;
  std::vector<const PolicyDocument*> sorted_;
  std::vector<std::string> pattern_instances_;
  std::size_t statements_ = 0;
  std::size_t work_ = 0;  // statements evaluated while weighing candidates
  static constexpr std::size_t kMaxStatementsToWeigh = 1000;
  // Weighing stops after this many statement evaluations (a real setup needs a few thousand).
  static constexpr std::size_t kWorkBudget = 200'000;
};

}  // namespace

void infer_settings(ExportSettings& settings,
                    const std::vector<std::unique_ptr<PolicyDocument>>& documents) {
  Inference(settings, documents).run();
}

std::optional<ExportSettings> with_other_stand_ins(const ExportSettings& settings) {
  ExportSettings other = settings;
  bool any = other.regions_origin.stand_in && !other.regions.empty();
  auto swap = [&any](Value& v, const std::string& from, const std::string& to) {
    if (!v.known() || !v.origin.stand_in) return;
    any = true;
    std::string text = v.get();
    replace_all(text, from, to);
    v.value = text == v.get() ? to : text;
  };
  if (other.regions_origin.stand_in) {
    for (std::string& region : other.regions) {
      region = region == stand_in::kOtherRegion ? stand_in::kRegion : stand_in::kOtherRegion;
    }
  }
  swap(other.account, stand_in::kAccount, stand_in::kOtherAccount);
  swap(other.detector_id, stand_in::kDetector, stand_in::kOtherDetector);
  for (auto& [region, id] : other.detector_ids)
    swap(id, stand_in::kDetector, stand_in::kOtherDetector);
  swap(other.bucket, stand_in::kBucket, stand_in::kOtherBucket);
  if (other.bucket.known() && other.bucket.origin.stand_in)
    replace_whole_words(*other.bucket.value, "stand-in", "other-stand-in");
  swap(other.key_arn, stand_in::kKeyId, stand_in::kOtherKeyId);
  if (!any) return std::nullopt;
  return other;
}

std::vector<std::pair<std::string, std::string>> stand_in_placeholders(
    const ExportSettings& settings) {
  std::vector<std::pair<std::string, std::string>> pairs;
  auto add = [&pairs](const Value& v, std::string placeholder) {
    if (v.known() && v.origin.stand_in && !v.get().empty())
      pairs.emplace_back(v.get(),
                         v.origin.symbol.empty() ? std::move(placeholder) : v.origin.symbol);
  };
  add(settings.key_arn, "<KEY_ARN>");  // first: it holds the account
  add(settings.detector_id, "<DETECTOR_ID>");
  for (const auto& [region, id] : settings.detector_ids) add(id, "<DETECTOR_ID>");
  add(settings.bucket, "<BUCKET>");
  add(settings.prefix, "<PREFIX>");  // a pattern's instance; no prefix is no stand-in
  add(settings.account, "<ACCOUNT_ID>");
  pairs.emplace_back(stand_in::kKeyId, "<KEY_ID>");
  // A stand-in Region is a real Region's name (us-east-1), which free text may hold as a fact:
  // it is shown as a placeholder only as the findings path's Region segment, as an object key
  // of a witness request has it (.../AWSLogs/<account>/GuardDuty/us-east-1/...).
  if (settings.regions_origin.stand_in) {
    const std::string shown = settings.regions_origin.symbol.empty()
                                  ? std::string("<REGION>")
                                  : settings.regions_origin.symbol;
    for (const std::string& region : settings.regions)
      pairs.emplace_back("GuardDuty/" + region, "GuardDuty/" + shown);
  }
  return pairs;
}

}  // namespace gdl::exportcfg
