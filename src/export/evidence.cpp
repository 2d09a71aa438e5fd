#include "export/evidence.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "util/text.h"

namespace gdl::exportcfg::detail {

namespace {

bool covers(const policy::Statement& s, std::string_view action) {
  const bool listed = std::any_of(
      s.action.items.begin(), s.action.items.end(),
      [&](const policy::Text& a) { return iam::Pattern::glob(a.value, true).matches(action); });
  return listed != s.action_negated;
}

}  // namespace

bool has_wildcard(std::string_view text) {
  return text.find_first_of("*?$") != std::string_view::npos;
}

std::string fill_glob(std::string_view pattern, std::string_view many, char one) {
  std::string out;
  for (const char c : pattern) {
    if (c == '*') {
      out += many;
    } else if (c == '?') {
      out += one;
    } else {
      out += c;
    }
  }
  return out;
}

std::string prefix_part(std::string_view object_path) {
  if (const std::size_t at = object_path.find("AWSLogs/"); at != std::string_view::npos)
    return std::string(object_path.substr(0, at));
  const std::size_t last = object_path.rfind('/');
  return last == std::string_view::npos ? std::string()
                                        : std::string(object_path.substr(0, last + 1));
}

std::string object_under(const std::string& prefix) {
  return (prefix.empty() ? "" : prefix + "/") +
         "AWSLogs/111122223333/GuardDuty/us-east-1/2026/01/01/f.jsonl.gz";
}

Origin origin_of(const Candidate& c) {
  const Location where = make_location(*c.doc->source, c.span);
  return {Origin::Kind::inferred,
          fmt::format("{}:{}:{} ({})", c.doc->name(), where.start.line, where.start.column, c.what),
          where};
}

std::vector<const PolicyDocument*> by_name(
    const std::vector<std::unique_ptr<PolicyDocument>>& documents) {
  std::vector<const PolicyDocument*> sorted;
  for (const auto& d : documents) sorted.push_back(d.get());
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const PolicyDocument* a, const PolicyDocument* b) { return a->name() < b->name(); });
  return sorted;
}

void Evidence::gather(const std::vector<const PolicyDocument*>& documents) {
  for (const PolicyDocument* doc : documents) {
    for (const policy::Statement& s : doc->policy.statements) collect(*doc, s);
  }
  for (Candidates* c :
       {&accounts_, &buckets_, &bucket_patterns_, &prefixes_, &keys_, &key_patterns_, &org_ids_,
        &org_paths_, &regions_from_arns_, &regions_from_paths_, &regions_from_principals_,
        &detectors_any_, &bucket_accounts_, &key_accounts_}) {
    c->sort();
  }
  for (auto& [region, c] : detectors_) c.sort();
}

namespace {

// The organization path an aws:SourceOrgPaths value names ("o-a1b2/r-c3d4/ou-e5f6/*": a path in
// that subtree), or none when it is a pattern of another shape.
std::optional<std::string> org_path_in(std::string path) {
  if (!path.empty() && path.back() == '*') path.pop_back();
  if (path.empty() || has_wildcard(path)) return std::nullopt;
  return path;
}

}  // namespace

void Evidence::collect(const PolicyDocument& doc, const policy::Statement& s) {
  const bool guardduty_allow = names_guardduty(s) && s.effect == policy::Effect::allow;
  if (guardduty_allow) {
    for (const policy::ConditionClause& c : s.conditions) {
      if (!is_value_operator(c.op.value)) continue;
      for (const policy::Text& v : c.values) {
        if (iequals(c.key.value, "aws:SourceOrgID") && !has_wildcard(v.value)) {
          org_ids_.add(v.value, 0, doc, v.span, "aws:SourceOrgID");
        } else if (iequals(c.key.value, "aws:SourceOrgPaths")) {
          if (auto path = org_path_in(v.value))
            org_paths_.add(std::move(*path), 0, doc, v.span, "aws:SourceOrgPaths");
        } else if (iequals(c.key.value, "aws:SourceAccount") && is_account_id(v.value)) {
          accounts_.add(v.value, 0, doc, v.span, "aws:SourceAccount");
        } else if (iequals(c.key.value, "aws:SourceArn")) {
          from_source_arn(doc, v);
        } else if (iequals(c.key.value, "s3:x-amz-server-side-encryption-aws-kms-key-id")) {
          // An upload allowed only with this key (the key-id Deny's rule written as an Allow):
          // GuardDuty's uploads carry the destination's key, so it is the export's.
          from_key_id_value(doc, v,
                            iam::parse_operator(c.op.value)->comparison == iam::Comparison::like,
                            "key-id condition of GuardDuty's Allow");
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
  // A Deny "unless the source is X" (StringNotEquals aws:SourceAccount X) names the exporter;
  // "unless it comes from organization O" (a data perimeter's StringNotEqualsIfExists
  // aws:SourceOrgID O) its organization, which GuardDuty's requests are then assumed to carry,
  // as for an Allow naming it (the findings say the assumption).
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
        } else if (iequals(c.key.value, "aws:SourceOrgID") && !has_wildcard(v.value)) {
          org_ids_.add(v.value, 1, doc, v.span, "aws:SourceOrgID of a Deny");
        } else if (iequals(c.key.value, "aws:SourceOrgPaths")) {
          if (auto path = org_path_in(v.value))
            org_paths_.add(std::move(*path), 1, doc, v.span, "aws:SourceOrgPaths of a Deny");
        }
      }
    }
  }
  // A bucket or key policy's aws:ResourceAccount (`Deny ... StringNotEquals aws:ResourceAccount
  // X`, a data perimeter's) names the account that owns its bucket or key: every request to it
  // carries the owner's account there.
  if (doc.kind == documents::Kind::bucket_policy || doc.kind == documents::Kind::key_policy) {
    Candidates& owners =
        doc.kind == documents::Kind::bucket_policy ? bucket_accounts_ : key_accounts_;
    for (const policy::ConditionClause& c : s.conditions) {
      const auto op = iam::parse_operator(c.op.value);
      if (!op || op->family != iam::OperatorFamily::string ||
          !iequals(c.key.value, "aws:ResourceAccount"))
        continue;
      for (const policy::Text& v : c.values) {
        if (is_account_id(v.value)) owners.add(v.value, 1, doc, v.span, "aws:ResourceAccount");
      }
    }
  }
  // The key-id Deny names the key uploads must use.
  if (s.effect == policy::Effect::deny) {
    for (const policy::ConditionClause& c : s.conditions) {
      if (!iequals(c.key.value, "s3:x-amz-server-side-encryption-aws-kms-key-id")) continue;
      // "Deny unless the key matches": StringNotLike/ArnNotLike (and ArnNotEquals, which
      // matches wildcards too) hold a pattern the key must match; a StringNotEquals '*' is a
      // character, and a Deny *of* a pattern (a retired key) says nothing of the key in use.
      const auto op = iam::parse_operator(c.op.value);
      const bool unless_pattern = op && op->negated && op->comparison == iam::Comparison::like;
      // StringNotLike "arn:aws:kms:...:key/1f2e*": the stand-in key must match it.
      for (const policy::Text& v : c.values)
        from_key_id_value(doc, v, unless_pattern, "key-id condition");
    }
  }
  // Weaker evidence from any statement: the bucket a bucket policy protects, the account of a
  // key policy's account principals.
  if (doc.kind == documents::Kind::bucket_policy && !s.resource_negated) {
    for (const policy::Text& r : s.resource.items) {
      auto bucket = bucket_of(r.value);
      if (!bucket) continue;
      buckets_.add(*bucket, 2, doc, r.span, "Resource");
      // "bucket/findings/*" of a statement about GuardDuty or everyone (the guide's Denies): a
      // prefix a PutObject pattern may be resolved to. Another service's (CloudTrail's
      // "cloudtrail/AWSLogs/...") is not the export's.
      if (s.principal_negated || (!names_guardduty(s) && !names_everyone(s))) continue;
      std::string path(iam::s3_resource_path(r.value)->substr(bucket->size()));
      if (path.empty()) continue;
      path.erase(0, 1);
      if (const std::size_t w = path.find_first_of("*?$"); w != std::string::npos) path.resize(w);
      if (const std::size_t at = path.find("AWSLogs/"); at != std::string::npos) path.resize(at);
      const std::size_t last = path.rfind('/');
      if (last == std::string::npos) continue;
      path.resize(last);
      std::string named = normalize_prefix(path);
      if (!named.empty() && prefixes_named_.size() < kMaxPrefixClues &&
          std::none_of(prefixes_named_.begin(), prefixes_named_.end(),
                       [&](const NamedPrefix& n) { return n.prefix == named; }))
        prefixes_named_.push_back({std::move(named), names_guardduty(s) ? 0 : 1});
    }
  }
  if (doc.kind == documents::Kind::key_policy && !s.principal_negated) {
    for (const policy::PrincipalEntry& e : s.principal.entries) {
      if (e.type != "AWS") continue;
      std::string_view parts[6];
      std::string_view account = e.value.value;
      if (iam::split_arn(account, parts) && parts[2] == "iam") account = parts[4];
      if (is_account_id(account))
        accounts_.add(std::string(account), kKeyOwnerTier, doc, e.value.span,
                      "key policy principal");
    }
  }
}

void Evidence::note_partition(std::string_view arn) {
  // The first ARN of a GuardDuty grant says it; an aws:SourceArn overrides (from_source_arn).
  if (partition_) return;
  const std::size_t end = arn.find(':', 4);
  if (!arn.starts_with("arn:") || end == std::string_view::npos) return;
  const std::string_view partition = arn.substr(4, end - 4);
  if (is_partition(partition)) partition_ = std::string(partition);
}

void Evidence::from_key_id_value(const PolicyDocument& doc, const policy::Text& v, bool pattern,
                                 std::string what) {
  if (!key_arn_problem(v.value)) {
    keys_.add(v.value, 1, doc, v.span, std::move(what));
  } else if (pattern && v.value.starts_with("arn:") && has_wildcard(v.value)) {
    key_patterns_.add(v.value, 1, doc, v.span, "key-id condition pattern");
  }
}

void Evidence::from_source_arn(const PolicyDocument& doc, const policy::Text& v, int tier) {
  std::string_view parts[6];
  if (!iam::split_arn(v.value, parts) || parts[0] != "arn" || parts[2] != "guardduty") return;
  if (is_partition(parts[1])) partition_ = std::string(parts[1]);
  const bool region = is_region(parts[3]);
  if (region) regions_from_arns_.add(std::string(parts[3]), tier, doc, v.span, "aws:SourceArn");
  if (is_account_id(parts[4]))
    accounts_.add(std::string(parts[4]), tier, doc, v.span, "aws:SourceArn");
  if (!parts[5].starts_with("detector/")) return;
  const std::string_view id = parts[5].substr(9);
  if (is_detector_id(id)) {
    const std::string detector(id);
    if (region) detectors_[std::string(parts[3])].add(detector, tier, doc, v.span, "aws:SourceArn");
    detectors_any_.add(detector, tier, doc, v.span, "aws:SourceArn");
    return;
  }
  // "detector/5ab8*" (StringLike, ArnLike): the stand-in detector must match it, or GuardDuty's
  // simulated request fails on a value the user never gave. A detector id is 32 characters: the
  // first '*' takes what the written characters leave, the others nothing.
  // "detector/*" matches the stand-in detector already.
  if (id.find('$') != std::string_view::npos || !has_wildcard(id)) return;
  const iam::Pattern pattern = iam::Pattern::glob(id, false);
  if (pattern.matches(stand_in::kDetector)) return;
  const std::size_t fixed = static_cast<std::size_t>(
      std::count_if(id.begin(), id.end(), [](char c) { return c != '*'; }));
  if (fixed > 32) return;
  std::string instance;
  bool first_star = true;
  for (const char c : id) {
    if (c == '*') {
      if (first_star) instance.append(32 - fixed, '0');
      first_star = false;
    } else {
      instance += c == '?' ? '0' : c;
    }
  }
  if (!is_detector_id(instance) || !pattern.matches(instance)) return;
  const std::string what = "a detector matching aws:SourceArn " + v.value;
  if (region) detectors_[std::string(parts[3])].add(instance, 2, doc, v.span, what);
  detectors_any_.add(instance, 2, doc, v.span, what);
  detector_instances_.push_back(instance);
}

std::optional<std::string> Evidence::bucket_of(std::string_view arn) {
  const auto bucket = iam::s3_bucket_part(arn);
  if (!bucket || bucket->empty() || has_wildcard(*bucket)) return std::nullopt;
  return std::string(*bucket);
}

void Evidence::from_guardduty_resources(const PolicyDocument& doc, const policy::Statement& s) {
  const bool puts = covers(s, "s3:putobject");
  const bool locates = covers(s, "s3:getbucketlocation");
  for (const policy::Text& r : s.resource.items) {
    if (const auto s3_path = iam::s3_resource_path(r.value)) {
      note_partition(r.value);
      const std::string path(*s3_path);
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
        note_partition(r.value);
        keys_.add(r.value, 0, doc, r.span, "key policy Resource");
      } else if (r.value.starts_with("arn:") && has_wildcard(r.value)) {
        key_patterns_.add(r.value, 0, doc, r.span, "key policy Resource pattern");
      }
    }
  }
}

void Evidence::from_object_path(const PolicyDocument& doc, const policy::Text& r,
                                std::string rest) {
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
  const std::string pattern = rest;
  if (const std::size_t w = rest.find_first_of("*?$"); w != std::string::npos) rest.resize(w);
  if (const std::size_t at = rest.find("AWSLogs/"); at != std::string::npos) rest.resize(at);
  // The prefix is the whole path segments before the first wildcard ("findings/*"), unless the
  // resource then would not cover the export's objects: "findings*" covers a prefix
  // "findings", not an empty one (whose objects start AWSLogs/).
  std::string literal = normalize_prefix(rest);
  if (const std::size_t last = rest.rfind('/'); last != std::string::npos) {
    rest.resize(last);
  } else {
    rest.clear();
  }
  std::string prefix = normalize_prefix(rest);
  if (pattern.find('$') == std::string::npos) {
    const iam::Pattern covers = iam::Pattern::glob(pattern, false);
    if (literal != prefix && !covers.matches(object_under(prefix)) &&
        covers.matches(object_under(literal)))
      prefix = std::move(literal);
    // "finding?/*", "*/AWSLogs/*", "f*s/*": the prefix part holds a wildcard, so its literal
    // part is a guess (or no prefix the pattern covers); resolved once every statement is read
    // (Inference::resolve_prefix_patterns).
    const bool covered = covers.matches(object_under(prefix));
    if (has_wildcard(prefix_part(pattern)) && prefix_patterns_.size() < kMaxPrefixClues) {
      prefix_patterns_.push_back({pattern, std::move(prefix), covered, &doc, r.span});
      return;
    }
  }
  prefixes_.add(prefix, 0, doc, r.span, "PutObject resource");
}

}  // namespace gdl::exportcfg::detail
