#pragma once
// Internal to export/: what the documents say about the export settings. Every legal value a
// document names for a setting is a candidate, with the strength of the evidence (a GuardDuty
// grant's own condition is stronger than an account principal of the key policy) and where it is
// written; infer.cpp chooses among them.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/setup.h"

namespace gdl::exportcfg::stand_in {
extern const std::string kDetector;  // the detector simulated when nothing names one (infer.cpp)
}  // namespace gdl::exportcfg::stand_in

namespace gdl::exportcfg::detail {

bool has_wildcard(std::string_view text);

// The tier of an account only a key policy's principals name: whoever administers the key, taken
// for the exporting account (the weakest evidence, see Origin::owner_guess).
inline constexpr int kKeyOwnerTier = 3;

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
  // The most kept: a hostile policy may name thousands.
  static constexpr std::size_t kMax = 24;

 private:
  std::vector<Candidate> list_;
};

Origin origin_of(const Candidate& c);

// Documents in name order: inference must not depend on the order the files were passed in.
std::vector<const PolicyDocument*> by_name(
    const std::vector<std::unique_ptr<PolicyDocument>>& documents);

class Evidence {
 public:
  // Reads every statement of the documents (in name order), then orders each list.
  void gather(const std::vector<const PolicyDocument*>& documents);

 protected:
  void collect(const PolicyDocument& doc, const policy::Statement& s);

  void from_source_arn(const PolicyDocument& doc, const policy::Text& v, int tier = 0);
  // A value of an s3:x-amz-server-side-encryption-aws-kms-key-id condition: a key ARN is the
  // export's key; with `pattern` (the operator matches patterns), an ARN pattern is what the
  // stand-in key must match.
  void from_key_id_value(const PolicyDocument& doc, const policy::Text& v, bool pattern,
                         std::string what);

  static std::optional<std::string> bucket_of(std::string_view arn);

  void from_guardduty_resources(const PolicyDocument& doc, const policy::Statement& s);

  // "prefix/AWSLogs/111122223333/GuardDuty/us-east-1/*": the prefix is the literal path before
  // the first wildcard or before AWSLogs/; the account and Region may follow AWSLogs/.
  void from_object_path(const PolicyDocument& doc, const policy::Text& r, std::string rest);

  // The partition the policies' GuardDuty ARNs name (arn:aws-us-gov:s3:::...).
  std::optional<std::string> partition_;
  void note_partition(std::string_view arn);
  Candidates accounts_, buckets_, prefixes_, keys_, key_patterns_, org_ids_, org_paths_;
  // The accounts a bucket policy's aws:ResourceAccount conditions name: its bucket's owner.
  Candidates bucket_accounts_;
  // The same of a key policy: its key's owner (a stand-in key ARN is built in that account).
  Candidates key_accounts_;
  Candidates regions_from_arns_, regions_from_paths_, regions_from_principals_;
  std::map<std::string, Candidates> detectors_;
  Candidates detectors_any_;
  Candidates bucket_patterns_;
  // Values made to match a pattern the documents name (aws:SourceArn "...:detector/5ab8*", a
  // PutObject Resource ".../finding?/*"): stand-ins shaped by the pattern, never facts.
  std::vector<std::string> detector_instances_;
  std::vector<std::string> prefix_instances_;
  // PutObject Resource patterns that no literal prefix read from them covers, resolved once
  // every statement is read: by a prefix another statement of the bucket names, else by an
  // instance.
  struct PrefixPattern {
    std::string pattern;    // the object path after "bucket/"
    std::string fallback;   // the literal prefix read from it, when nothing better is found
    bool fallback_covered;  // whether the pattern covers the export's objects under it
    const PolicyDocument* doc;
    Span span;
  };
  std::vector<PrefixPattern> prefix_patterns_;
  // Each pattern is matched against each named prefix: both lists are bounded (a template of a
  // thousand buckets is not a thousand times slower to read); past the bound a pattern's
  // literal part is taken, as before patterns were resolved.
  static constexpr std::size_t kMaxPrefixClues = 256;
  // Literal prefixes the bucket policy's statements about GuardDuty (tier 0) or everyone
  // (tier 1) name in their Resource.
  struct NamedPrefix {
    std::string prefix;
    int tier;
  };
  std::vector<NamedPrefix> prefixes_named_;
};

// `pattern` with each '*' replaced by `many` and each '?' by `one`.
std::string fill_glob(std::string_view pattern, std::string_view many, char one);
// The part of an object path pattern a prefix is written in: up to "AWSLogs/", else up to and
// with its last '/' ("finding?/*" -> "finding?/"), else empty.
std::string prefix_part(std::string_view object_path);
// An object under `prefix` as GuardDuty writes it ("prefix/AWSLogs/...").
std::string object_under(const std::string& prefix);

}  // namespace gdl::exportcfg::detail
