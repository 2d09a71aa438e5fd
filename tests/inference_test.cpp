// Settings inference: what gd-export-lint concludes from the policies when the user gives no
// settings, and what it must not conclude. Each row is a bucket policy (and optionally a key
// policy) and the settings expected; "stand-in" means nothing in the policies may be taken as
// the value (it is assumed and shown as a placeholder).

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/pipeline.h"
#include "export/settings.h"

namespace {

constexpr const char* kDetector = "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2";

std::string bucket_policy(std::string_view statements) {
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[{}]}})", statements);
}

// A GuardDuty Allow of `action` on `resource` with a condition block (may be empty).
std::string allow(std::string_view action, std::string_view resource,
                  std::string_view condition = "") {
  return fmt::format(R"({{"Effect":"Allow","Principal":{{"Service":"guardduty.amazonaws.com"}},)"
                     R"("Action":"{}","Resource":"{}"{}}})",
                     action, resource,
                     condition.empty() ? "" : fmt::format(R"(,"Condition":{})", condition));
}

std::string key_policy(std::string_view condition) {
  return fmt::format(
      R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":)"
      R"("guardduty.amazonaws.com"}},"Action":"kms:GenerateDataKey","Resource":"*",)"
      R"("Condition":{}}}]}})",
      condition);
}

struct Row {
  const char* what;
  std::string bucket_policy;
  std::string key_policy;  // empty: none
  const char* account;     // expected; "stand-in" for an assumed stand-in, "key owner X" for
                           // an account only a key policy's principals name
  const char* bucket;
  const char* prefix;
  const char* region;
};

std::string shown(const gdl::exportcfg::Value& v) {
  if (!v.known()) return "(unknown)";
  if (v.origin.stand_in) return "stand-in";
  // An account only the key's owner suggests: simulated with, never written into a fix.
  return v.origin.owner_guess ? "key owner " + v.get() : v.get();
}

}  // namespace

TEST_CASE("settings inference: positive evidence is taken, negated or misleading evidence is not") {
  const std::string arn =
      fmt::format("arn:aws:guardduty:eu-west-1:111122223333:detector/{}", kDetector);
  const std::string source = fmt::format(
      R"({{"StringEquals":{{"aws:SourceAccount":"111122223333","aws:SourceArn":"{}"}}}})", arn);
  const std::vector<Row> rows = {
      {"account, Region and a nested prefix from a plain setup",
       bucket_policy(
           allow("s3:PutObject", "arn:aws:s3:::acme-findings/guardduty/exports/*", source)),
       "", "111122223333", "acme-findings", "guardduty/exports", "eu-west-1"},
      {"the prefix ends before AWSLogs/ and keeps its nesting",
       bucket_policy(allow("s3:PutObject",
                           "arn:aws:s3:::acme-findings/a/b/c/AWSLogs/111122223333/*", source)),
       "", "111122223333", "acme-findings", "a/b/c", "eu-west-1"},
      {"a wildcard inside the prefix's segment: the prefix the resource covers",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/findings*", source)), "",
       "111122223333", "acme-findings", "findings", "eu-west-1"},
      {"a wildcard right after a nested prefix's segment",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/gd/exports*", source)), "",
       "111122223333", "acme-findings", "gd/exports", "eu-west-1"},
      {"a wildcard that covers the empty prefix keeps it",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/*", source)), "",
       "111122223333", "acme-findings", "", "eu-west-1"},
      // A wildcard where the prefix is written: the prefix another statement names, when the
      // pattern covers it; else the literal part, when covered; else a stand-in instance.
      {"a '?' in the prefix: the prefix the bucket's Deny names",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/finding?/*", source) + "," +
                     R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":)"
                     R"("arn:aws:s3:::acme-findings/findings/*","Condition":{"Bool":)"
                     R"({"aws:SecureTransport":"false"}}})"),
       "", "111122223333", "acme-findings", "findings", "eu-west-1"},
      {"'*/AWSLogs/*' alone: some prefix, none named",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/*/AWSLogs/*", source)), "",
       "111122223333", "acme-findings", "gd-stand-in", "eu-west-1"},
      {"'f*s/*' alone: its literal part, which it covers",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/f*s/*", source)), "",
       "111122223333", "acme-findings", "f", "eu-west-1"},
      {"a prefix written with a leading slash is normalised",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings//exports/*", source)), "",
       "111122223333", "acme-findings", "exports", "eu-west-1"},
      {"a negated condition on an Allow names accounts that are NOT the exporter",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/*",
                           R"({"StringNotEquals":{"aws:SourceAccount":"444455556666"}})")),
       "", "stand-in", "acme-findings", "", "stand-in"},
      {"ArnNotLike on an Allow names no Region or account",
       bucket_policy(allow(
           "s3:PutObject", "arn:aws:s3:::acme-findings/*",
           R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:guardduty:ap-south-1:444455556666:detector/*"}})")),
       "", "stand-in", "acme-findings", "", "stand-in"},
      {"a Deny unless the source is X names X",
       bucket_policy(
           allow("s3:PutObject", "arn:aws:s3:::acme-findings/*") + "," +
           R"({"Effect":"Deny","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:PutObject",)"
           R"("Resource":"arn:aws:s3:::acme-findings/*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}})"),
       "", "111122223333", "acme-findings", "", "stand-in"},
      {"a Deny when the source IS X does not name X as the exporter",
       bucket_policy(
           allow("s3:PutObject", "arn:aws:s3:::acme-findings/*") + "," +
           R"({"Effect":"Deny","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:PutObject",)"
           R"("Resource":"arn:aws:s3:::acme-findings/*","Condition":{"StringEquals":{"aws:SourceAccount":"444455556666"}}})"),
       "", "stand-in", "acme-findings", "", "stand-in"},
      {"several candidate accounts: the one under which GuardDuty's requests are allowed wins",
       bucket_policy(allow("s3:GetBucketLocation", "arn:aws:s3:::acme-findings",
                           R"({"StringEquals":{"aws:SourceAccount":"444455556666"}})") +
                     "," +
                     allow("s3:PutObject", "arn:aws:s3:::acme-findings/*",
                           R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})")),
       key_policy(R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})"), "111122223333",
       "acme-findings", "", "stand-in"},
      {"a regional principal names its Region",
       bucket_policy(
           R"({"Effect":"Allow","Principal":{"Service":"guardduty.ap-east-1.amazonaws.com"},)"
           R"("Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-findings/*"})"),
       "", "stand-in", "acme-findings", "", "ap-east-1"},
      {"a key policy's account principal names the account (the ARN's account field)",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/*")),
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},)"
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"kms:GenerateDataKey","Resource":"*"}]})",
       "key owner 111122223333", "acme-findings", "", "stand-in"},
      {"the key owner's account gives way to the source account a grant names",
       bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/*",
                           R"({"StringEquals":{"aws:SourceAccount":"729104638215"}})")),
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},)"
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"kms:GenerateDataKey","Resource":"*"}]})",
       "729104638215", "acme-findings", "", "stand-in"},
      {"the key ARN's account when nothing else names one is the key owner's too; its Region is "
       "simulated as a stand-in (one key takes findings from every Region)",
       bucket_policy(
           allow("s3:PutObject", "arn:aws:s3:::acme-findings/*") + "," +
           R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-findings/*",)"
           R"("Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":)"
           R"("arn:aws:kms:eu-west-1:111122223333:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"}}})"),
       "", "key owner 111122223333", "acme-findings", "", "stand-in"},
      {"a detector id that is not 32 lower-case hexadecimal characters is not one",
       bucket_policy(allow(
           "s3:PutObject", "arn:aws:s3:::acme-findings/*",
           R"({"StringEquals":{"aws:SourceArn":"arn:aws:guardduty:eu-west-1:111122223333:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1dz"}})")),
       "", "111122223333", "acme-findings", "", "eu-west-1"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    std::vector<std::unique_ptr<gdl::SourceFile>> sources;
    std::vector<const gdl::SourceFile*> pointers;
    sources.push_back(std::make_unique<gdl::SourceFile>("bucket-policy.json", row.bucket_policy));
    if (!row.key_policy.empty())
      sources.push_back(std::make_unique<gdl::SourceFile>("key-policy.json", row.key_policy));
    for (const auto& s : sources) pointers.push_back(s.get());
    const gdl::LintResult result = gdl::lint_setup(pointers, {});
    const auto& s = result.settings;
    CHECK(shown(s.account) == row.account);
    CHECK(shown(s.bucket) == row.bucket);
    CHECK(s.prefix.value.value_or("(unknown)") == row.prefix);
    REQUIRE(!s.regions.empty());
    CHECK((s.regions_origin.stand_in ? std::string("stand-in") : s.regions.front()) == row.region);
  }
}

TEST_CASE("settings inference: a detector id comes only from a well-formed aws:SourceArn") {
  const std::string good = fmt::format(
      R"({{"StringEquals":{{"aws:SourceArn":"arn:aws:guardduty:eu-west-1:111122223333:detector/{}"}}}})",
      kDetector);
  const gdl::SourceFile with(
      "bucket-policy.json",
      bucket_policy(allow("s3:PutObject", "arn:aws:s3:::acme-findings/*", good)));
  CHECK(gdl::lint_setup({&with}, {}).settings.detector_for("eu-west-1") == kDetector);
  const gdl::SourceFile without(
      "bucket-policy.json",
      bucket_policy(allow(
          "s3:PutObject", "arn:aws:s3:::acme-findings/*",
          R"({"StringEquals":{"aws:SourceArn":"arn:aws:guardduty:eu-west-1:111122223333:detector/5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1dz"}})")));
  CHECK(gdl::lint_setup({&without}, {}).settings.detector_for("eu-west-1") !=
        "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1dz");
}

TEST_CASE("a key ARN setting: what is wrong with it, in words that lead to the right fix") {
  struct Row {
    const char* text;
    const char* says;  // a part of the problem; "" when the ARN is fine
  };
  const Row rows[] = {
      {"arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708", ""},
      {"arn:aws:kms:us-east-2:382910475620:alias/gd-findings", "is an alias ARN"},
      {"alias/gd-findings", "an alias name"},
      // An AWS managed key: its ARN would not help either.
      {"arn:aws:kms:us-east-2:382910475620:alias/aws/s3", "AWS managed key"},
      {"alias/aws/s3", "AWS managed key"},
      {"arn:aws:kms:us-east-2:382910475620:alias/aws-findings", "is an alias ARN"},
      {"arn:aws:kms:us-east-2:382910475620:key/*", "is a pattern"},
      {"arn:aws:s3:::bucket", "is not a KMS key ARN"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    const std::optional<std::string> problem = gdl::exportcfg::key_arn_problem(row.text);
    if (std::string_view(row.says).empty()) {
      CHECK(!problem);
    } else {
      REQUIRE(problem);
      CHECK(problem->find(row.says) != std::string::npos);
    }
  }
}

// add_written_accounts skips ahead twelve bytes at a time; a plain scan of every run of digits
// is the reference. Table rows pin the edges (a run at either end, 11/12/13 digits, runs one
// byte apart, repeats); the generated texts mix digits and separators at every density.
TEST_CASE("written accounts: each run of exactly 12 digits, once, in order") {
  const auto reference = [](std::string_view text) {
    std::vector<std::string> found;
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] < '0' || text[i] > '9') {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      const std::string run(text.substr(i, end - i));
      if (run.size() == 12 && std::find(found.begin(), found.end(), run) == found.end())
        found.push_back(run);
      i = end;
    }
    return found;
  };
  const std::vector<std::pair<std::string, std::vector<std::string>>> rows = {
      {"", {}},
      {"12345678901", {}},
      {"123456789012", {"123456789012"}},
      {"1234567890123", {}},
      {"arn:aws:iam::111122223333:root", {"111122223333"}},
      {"111122223333/444455556666", {"111122223333", "444455556666"}},
      {"x111122223333y111122223333", {"111122223333"}},
      {"12345678901x123456789012x1234567890123", {"123456789012"}},
      {"2012-10-17 999988887777", {"999988887777"}},
  };
  for (const auto& row : rows) {
    CAPTURE(row.first);
    std::vector<std::string> got;
    gdl::exportcfg::add_written_accounts(row.first, got);
    CHECK(got == row.second);
  }
  std::uint32_t state = 12345;
  const auto next = [&state] { return state = state * 1103515245U + 12345U; };
  for (int round = 0; round < 2000; ++round) {
    const std::size_t length = next() % 80;
    const std::uint32_t density = next() % 16;  // digits per 16 bytes
    std::string text;
    for (std::size_t i = 0; i < length; ++i) {
      text += (next() >> 8) % 16 < density ? static_cast<char>('0' + (next() >> 8) % 3) : ':';
    }
    CAPTURE(text);
    std::vector<std::string> got;
    gdl::exportcfg::add_written_accounts(text, got);
    CHECK(got == reference(text));
  }
}
