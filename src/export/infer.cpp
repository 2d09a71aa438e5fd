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

#include "export/setup.h"
#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "iam/iam_data.h"
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

bool has_wildcard(std::string_view text) {
  return text.find_first_of("*?$") != std::string_view::npos;
}

bool covers(const policy::Statement& s, std::string_view action) {
  const bool listed = std::any_of(
      s.action.items.begin(), s.action.items.end(),
      [&](const policy::Text& a) { return iam::Pattern::glob(a.value, true).matches(action); });
  return listed != s.action_negated;
}

// A value a document names for a setting, and where.
struct Candidate {
  std::string value;
  int tier = 0;  // lower is stronger evidence
  const PolicyDocument* doc = nullptr;
  Span span;
  std::string what;
};

class Candidates {
 public:
  void add(std::string value, int tier, const PolicyDocument& doc, Span span, std::string what) {
    for (Candidate& c : list_) {
      if (c.value != value) continue;
      if (tier < c.tier) c = {std::move(value), tier, &doc, span, std::move(what)};
      return;
    }
    if (list_.size() < kMax) {
      list_.push_back({std::move(value), tier, &doc, span, std::move(what)});
      return;
    }
    // A hostile or huge policy naming thousands: keep the strongest evidence (a weaker
    // candidate makes room for a stronger one; among equals, the first ones stay).
    auto weakest =
        std::max_element(list_.begin(), list_.end(),
                         [](const Candidate& a, const Candidate& b) { return a.tier < b.tier; });
    if (tier < weakest->tier) *weakest = {std::move(value), tier, &doc, span, std::move(what)};
  }
  // Strongest evidence first; then by document name and position (not the order of the files).
  void sort() {
    std::stable_sort(list_.begin(), list_.end(), [](const Candidate& a, const Candidate& b) {
      if (a.tier != b.tier) return a.tier < b.tier;
      const std::string an = a.doc->name(), bn = b.doc->name();
      if (an != bn) return an < bn;
      return a.span.begin < b.span.begin;
    });
  }
  [[nodiscard]] const std::vector<Candidate>& list() const { return list_; }
  [[nodiscard]] bool empty() const { return list_.empty(); }

 private:
  static constexpr std::size_t kMax = 24;
  std::vector<Candidate> list_;
};

Origin origin_of(const Candidate& c) {
  const Location where = make_location(*c.doc->source, c.span);
  return {Origin::Kind::inferred,
          fmt::format("{}:{}:{} ({})", c.doc->name(), where.start.line, where.start.column, c.what),
          where};
}

// Documents in name order: inference must not depend on the order the files were passed in.
std::vector<const PolicyDocument*> by_name(
    const std::vector<std::unique_ptr<PolicyDocument>>& documents) {
  std::vector<const PolicyDocument*> sorted;
  for (const auto& d : documents) sorted.push_back(d.get());
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const PolicyDocument* a, const PolicyDocument* b) { return a->name() < b->name(); });
  return sorted;
}

class Inference {
 public:
  Inference(ExportSettings& settings, const std::vector<std::unique_ptr<PolicyDocument>>& documents)
      : settings_(settings), documents_(documents), sorted_(by_name(documents)) {}

  void run() {
    for (const PolicyDocument* doc : sorted_) statements_ += doc->policy.statements.size();
    for (const PolicyDocument* doc : sorted_) {
      for (const policy::Statement& s : doc->policy.statements) collect(*doc, s);
    }
    for (Candidates* c :
         {&accounts_, &buckets_, &prefixes_, &keys_, &key_patterns_, &org_ids_, &org_paths_,
          &regions_from_arns_, &regions_from_paths_, &regions_from_principals_}) {
      c->sort();
    }
    for (auto& [region, c] : detectors_) c.sort();
    detectors_any_.sort();
    choose_regions();
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
    }
    if (!settings_.bucket.known()) add_bucket_pattern_instance();
    fill_stand_ins();
  }

 private:
  // ---- what the documents name -------------------------------------------------------------

  void collect(const PolicyDocument& doc, const policy::Statement& s) {
    const bool guardduty_allow = names_guardduty(s) && s.effect == policy::Effect::allow;
    if (guardduty_allow) {
      for (const policy::ConditionClause& c : s.conditions) {
        if (!is_value_operator(c.op.value)) continue;
        for (const policy::Text& v : c.values) {
          if (iequals(c.key.value, "aws:SourceOrgID") && !has_wildcard(v.value)) {
            org_ids_.add(v.value, 0, doc, v.span, "aws:SourceOrgID");
          } else if (iequals(c.key.value, "aws:SourceOrgPaths")) {
            // "o-a1b2/r-c3d4/ou-e5f6/*": a path in that subtree.
            std::string path = v.value;
            if (!path.empty() && path.back() == '*') path.pop_back();
            if (!path.empty() && !has_wildcard(path))
              org_paths_.add(path, 0, doc, v.span, "aws:SourceOrgPaths");
          } else if (iequals(c.key.value, "aws:SourceAccount") && is_account_id(v.value)) {
            accounts_.add(v.value, 0, doc, v.span, "aws:SourceAccount");
          } else if (iequals(c.key.value, "aws:SourceArn")) {
            from_source_arn(doc, v);
          }
        }
      }
      for (const policy::PrincipalEntry& e : s.principal.entries) {
        const std::string_view name = e.value.value;
        if (e.type == "Service" && name != "guardduty.amazonaws.com" &&
            is_guardduty_principal(name)) {
          regions_from_principals_.add(std::string(name.substr(10, name.size() - 24)), 0, doc,
                                       e.value.span, "regional principal");
        }
      }
      if (!s.resource_negated) from_guardduty_resources(doc, s);
    }
    // A Deny "unless the source is X" (StringNotEquals aws:SourceAccount X) names the exporter.
    if (s.effect == policy::Effect::deny) {
      for (const policy::ConditionClause& c : s.conditions) {
        const auto op = iam::parse_operator(c.op.value);
        if (!op || !op->negated ||
            (op->family != iam::OperatorFamily::string && op->family != iam::OperatorFamily::arn))
          continue;
        for (const policy::Text& v : c.values) {
          if (iequals(c.key.value, "aws:SourceAccount") && is_account_id(v.value)) {
            accounts_.add(v.value, 1, doc, v.span, "aws:SourceAccount of a Deny");
          } else if (iequals(c.key.value, "aws:SourceArn")) {
            from_source_arn(doc, v, 1);
          }
        }
      }
    }
    // The key-id Deny names the key uploads must use.
    if (s.effect == policy::Effect::deny) {
      for (const policy::ConditionClause& c : s.conditions) {
        if (!iequals(c.key.value, "s3:x-amz-server-side-encryption-aws-kms-key-id")) continue;
        for (const policy::Text& v : c.values) {
          if (!key_arn_problem(v.value)) keys_.add(v.value, 1, doc, v.span, "key-id condition");
        }
      }
    }
    // Weaker evidence from any statement: the bucket a bucket policy protects, the account of a
    // key policy's account principals.
    if (doc.kind == documents::Kind::bucket_policy && !s.resource_negated) {
      for (const policy::Text& r : s.resource.items) {
        if (auto bucket = bucket_of(r.value)) buckets_.add(*bucket, 2, doc, r.span, "Resource");
      }
    }
    if (doc.kind == documents::Kind::key_policy && !s.principal_negated) {
      for (const policy::PrincipalEntry& e : s.principal.entries) {
        if (e.type != "AWS") continue;
        std::string_view parts[6];
        std::string_view account = e.value.value;
        if (iam::split_arn(account, parts) && parts[2] == "iam") account = parts[4];
        if (is_account_id(account))
          accounts_.add(std::string(account), 3, doc, e.value.span, "key policy principal");
      }
    }
  }

  void from_source_arn(const PolicyDocument& doc, const policy::Text& v, int tier = 0) {
    std::string_view parts[6];
    if (!iam::split_arn(v.value, parts) || parts[0] != "arn" || parts[2] != "guardduty") return;
    if (!has_wildcard(parts[1]) && !parts[1].empty()) partition_ = std::string(parts[1]);
    const bool region = is_region(parts[3]);
    if (region) regions_from_arns_.add(std::string(parts[3]), tier, doc, v.span, "aws:SourceArn");
    if (is_account_id(parts[4]))
      accounts_.add(std::string(parts[4]), tier, doc, v.span, "aws:SourceArn");
    if (parts[5].starts_with("detector/") && is_detector_id(parts[5].substr(9))) {
      const std::string detector(parts[5].substr(9));
      if (region)
        detectors_[std::string(parts[3])].add(detector, tier, doc, v.span, "aws:SourceArn");
      detectors_any_.add(detector, tier, doc, v.span, "aws:SourceArn");
    }
  }

  static std::optional<std::string> bucket_of(std::string_view arn) {
    const std::size_t at = arn.find(":s3:::");
    if (!arn.starts_with("arn:") || at == std::string_view::npos) return std::nullopt;
    const std::string_view path = arn.substr(at + 6);
    const std::string_view bucket = path.substr(0, path.find('/'));
    if (bucket.empty() || has_wildcard(bucket)) return std::nullopt;
    return std::string(bucket);
  }

  void from_guardduty_resources(const PolicyDocument& doc, const policy::Statement& s) {
    const bool puts = covers(s, "s3:putobject");
    const bool locates = covers(s, "s3:getbucketlocation");
    for (const policy::Text& r : s.resource.items) {
      if (r.value.starts_with("arn:") && r.value.find(":s3:::") != std::string::npos) {
        const std::string path = r.value.substr(r.value.find(":s3:::") + 6);
        const std::size_t slash = path.find('/');
        const auto bucket = bucket_of(r.value);
        if (!bucket) {
          // "arn:aws:s3:::acme-*-findings/...": a pattern the stand-in bucket must match.
          const std::string name = path.substr(0, slash);
          if (!name.empty() && name != "*" && name.find('$') == std::string::npos &&
              (locates || puts))
            bucket_patterns_.add(name, 0, doc, r.span, "bucket pattern");
          if (puts && slash != std::string::npos) from_object_path(doc, r, path.substr(slash + 1));
          continue;
        }
        if (locates && slash == std::string::npos)
          buckets_.add(*bucket, 0, doc, r.span, "GetBucketLocation resource");
        if (!puts || slash == std::string::npos) continue;
        buckets_.add(*bucket, 0, doc, r.span, "PutObject resource");
        from_object_path(doc, r, path.substr(slash + 1));
      }
    }
    if (doc.kind == documents::Kind::key_policy) {
      for (const policy::Text& r : s.resource.items) {
        if (!key_arn_problem(r.value)) {
          keys_.add(r.value, 0, doc, r.span, "key policy Resource");
        } else if (r.value.starts_with("arn:") && has_wildcard(r.value)) {
          key_patterns_.add(r.value, 0, doc, r.span, "key policy Resource pattern");
        }
      }
    }
  }

  // "prefix/AWSLogs/111122223333/GuardDuty/us-east-1/*": the prefix is the literal path before
  // the first wildcard or before AWSLogs/; the account and Region may follow AWSLogs/.
  void from_object_path(const PolicyDocument& doc, const policy::Text& r, std::string rest) {
    const std::size_t logs = rest.find("AWSLogs/");
    if (logs != std::string::npos) {
      std::string_view after = std::string_view(rest).substr(logs + 8);
      const std::string_view account = after.substr(0, after.find('/'));
      if (is_account_id(account))
        accounts_.add(std::string(account), 1, doc, r.span, "PutObject resource");
      if (after.size() > account.size() + 1) {
        after.remove_prefix(account.size() + 1);
        if (after.starts_with("GuardDuty/")) {
          after.remove_prefix(10);
          const std::string_view region = after.substr(0, after.find('/'));
          if (is_region(region))
            regions_from_paths_.add(std::string(region), 0, doc, r.span, "PutObject resource");
        }
      }
    }
    if (const std::size_t w = rest.find_first_of("*?$"); w != std::string::npos) rest.resize(w);
    if (const std::size_t at = rest.find("AWSLogs/"); at != std::string::npos) rest.resize(at);
    if (const std::size_t last = rest.rfind('/'); last != std::string::npos) {
      rest.resize(last);
    } else {
      rest.clear();
    }
    prefixes_.add(normalize_prefix(rest), 0, doc, r.span, "PutObject resource");
  }

  // ---- choosing ----------------------------------------------------------------------------

  void choose_regions() {
    if (!settings_.regions.empty()) return;
    for (const Candidates* c :
         {&regions_from_arns_, &regions_from_paths_, &regions_from_principals_}) {
      if (c->empty()) continue;
      for (const Candidate& r : c->list()) {
        if (std::find(settings_.regions.begin(), settings_.regions.end(), r.value) ==
            settings_.regions.end())
          settings_.regions.push_back(r.value);
      }
      settings_.regions_origin = origin_of(c->list().front());
      return;
    }
  }

  void choose_detectors(const ExportSettings& given, bool again) {
    for (const std::string& region : settings_.regions) {
      auto it = detectors_.find(region);
      if (it == detectors_.end()) continue;
      const auto was = given.detector_ids.find(region);
      rechoose(settings_.detector_ids[region],
               was != given.detector_ids.end() ? was->second : Value{}, it->second, again);
      if (!settings_.detector_ids[region].known()) settings_.detector_ids.erase(region);
    }
    rechoose(settings_.detector_id, given.detector_id, detectors_any_, again);
  }

  // How well a key ARN fits the other settings: the key of the exporting account (the key
  // policy's own account, usually), in an exported Region or the bucket's.
  int fits(const Value& target, const std::string& value) const {
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
        }
      }
    }
    target.value = best->value;
    target.origin = origin_of(*best);
  }

  // How many of GuardDuty's requests the documents allow under the settings as they are now
  // (values still unknown are simulated with their stand-ins).
  int allowed_requests() {
    ExportSettings trial = settings_;
    trial.partition = partition_.value_or(settings_.partition);
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
        const std::string arn = fmt::format(
            "arn:{}:kms:{}:{}:key/{}", part(parts[1], settings_.partition), part(parts[3], region),
            part(parts[4],
                 settings_.account.known() ? settings_.account.get() : stand_in::kAccount),
            stand_in::kKeyId);
        if (key_arn_problem(arn) || !iam::Pattern::glob(c.value, false).matches(arn)) continue;
        pattern_instances_.push_back(arn);
        keys_.add(arn, 2, *c.doc, c.span, "a key matching the key policy's Resource " + c.value);
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

  static std::string stand_in_key(const ExportSettings& s) {
    return fmt::format("arn:{}:kms:{}:{}:key/{}", s.partition,
                       s.bucket_region.known() ? s.bucket_region.get() : s.regions.front(),
                       s.account.get(), stand_in::kKeyId);
  }

  void fill_stand_ins() {
    if (partition_ && settings_.partition == "aws") settings_.partition = *partition_;
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
      settings_.regions_origin = {Origin::Kind::assumed,
                                  from_bucket ? "the bucket's Region"
                                  : from_key  ? "the KMS key's Region"
                                              : "no Region given or found in the policies",
                                  std::nullopt, !from_bucket && !from_key};
    }
    std::string_view key_parts[6];
    if (support_known(settings_.key_arn) && iam::split_arn(settings_.key_arn.get(), key_parts) &&
        is_account_id(key_parts[4]))
      assume(settings_.account, std::string(key_parts[4]), "the KMS key's account", false);
    assume(settings_.account, stand_in::kAccount,
           "no account found in the policies; nothing constrains it");
    assume(settings_.detector_id, stand_in::kDetector,
           "no detector id found in the policies; nothing constrains it");
    assume(settings_.bucket, stand_in::kBucket, "no bucket found in the policies");
    assume(settings_.prefix, "", "no prefix found in the policies");
    assume(settings_.key_arn, stand_in_key(settings_),
           "no key ARN found in the policies; nothing constrains it");
  }

  static bool support_known(const Value& v) {
    return v.known() && v.origin.kind != Origin::Kind::assumed;
  }

  ExportSettings& settings_;
  const std::vector<std::unique_ptr<PolicyDocument>>& documents_;
  std::vector<const PolicyDocument*> sorted_;
  std::optional<std::string> partition_;
  Candidates accounts_, buckets_, prefixes_, keys_, key_patterns_, org_ids_, org_paths_;
  Candidates regions_from_arns_, regions_from_paths_, regions_from_principals_;
  std::map<std::string, Candidates> detectors_;
  Candidates detectors_any_;
  std::vector<std::string> pattern_instances_;
  std::size_t statements_ = 0;
  std::size_t work_ = 0;  // statements evaluated while weighing candidates
  static constexpr std::size_t kMaxStatementsToWeigh = 1000;
  // Weighing stops after this many statement evaluations (a real setup needs a few thousand).
  static constexpr std::size_t kWorkBudget = 200'000;
  Candidates bucket_patterns_;
};

}  // namespace

void infer_settings(ExportSettings& settings,
                    const std::vector<std::unique_ptr<PolicyDocument>>& documents) {
  Inference(settings, documents).run();
}

ExportSettings with_other_stand_ins(const ExportSettings& settings) {
  ExportSettings other = settings;
  auto swap = [](Value& v, const std::string& from, const std::string& to) {
    if (!v.known() || !v.origin.stand_in) return;
    std::string text = v.get();
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
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
  return other;
}

std::vector<std::pair<std::string, std::string>> stand_in_placeholders(
    const ExportSettings& settings) {
  std::vector<std::pair<std::string, std::string>> pairs;
  auto add = [&pairs](const Value& v, std::string placeholder) {
    if (v.known() && v.origin.stand_in && !v.get().empty())
      pairs.emplace_back(v.get(), std::move(placeholder));
  };
  add(settings.key_arn, "<KEY_ARN>");  // first: it holds the account
  add(settings.detector_id, "<DETECTOR_ID>");
  for (const auto& [region, id] : settings.detector_ids) add(id, "<DETECTOR_ID>");
  add(settings.bucket, "<BUCKET>");
  add(settings.account, "<ACCOUNT_ID>");
  pairs.emplace_back(stand_in::kKeyId, "<KEY_ID>");
  return pairs;
}

}  // namespace gdl::exportcfg
