#pragma once
// IAM wildcard patterns: `*` matches any run of characters (including '/' and ':'), `?` any one
// character. Matching is iterative with single-star backtracking: O(pattern x text) in the worst
// case, never exponential, whatever the pattern.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdl::iam {

class Pattern {
 public:
  static constexpr std::int16_t kStar = -1;
  static constexpr std::int16_t kAnyChar = -2;

  Pattern() = default;
  // `*` and `?` in `glob` are wildcards; with fold_case the pattern matches case-insensitively.
  static Pattern glob(std::string_view glob, bool fold_case);
  // Appends literal text (wildcard characters in it match only themselves).
  void append_literal(std::string_view text);
  void append_glob(std::string_view text);

  [[nodiscard]] bool matches(std::string_view text) const;
  [[nodiscard]] bool has_wildcards() const { return wildcards_; }

 private:
  [[nodiscard]] bool matches_from(std::string_view text, std::size_t p, std::size_t t) const;

  std::vector<std::int16_t> tokens_;
  std::size_t literal_prefix_ = 0;  // tokens before the first wildcard
  bool fold_case_ = false;
  bool wildcards_ = false;
};

// Splits an ARN into its six colon-separated parts (the resource part keeps any further colons).
// Returns false if `arn` has fewer than six parts.
bool split_arn(std::string_view arn, std::string_view (&parts)[6]);

// The bucket/key part of an S3 ARN ("bucket/prefix/*" of "arn:aws:s3:::bucket/prefix/*"), or
// nullopt for another ARN. S3 ARNs have an empty Region and account; a policy may write either
// as "*" ("arn:aws:s3:*:*:bucket/*"), which matches the empty text: the same resources.
std::optional<std::string_view> s3_resource_path(std::string_view arn);
// The bucket part of an S3 ARN ("bucket" of "arn:aws:s3:::bucket/prefix/*", as written: it may
// be empty or a pattern), or nullopt for another ARN.
std::optional<std::string_view> s3_bucket_part(std::string_view arn);

}  // namespace gdl::iam
