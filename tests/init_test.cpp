// `init` over a matrix of settings: every output passes `check` with no finding at any severity,
// and (for the JSON policies) the evaluator allows each of GuardDuty's requests.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/simulate.h"
#include "cli/cli.h"
#include "export/settings.h"
#include "export/setup.h"
#include "source/source_file.h"
#include "test_support.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace {

int run(std::vector<std::string> args, std::string& out_text, std::string& err_text) {
  args.insert(args.begin(), "gd-export-lint");
  std::ostringstream out, err;
  std::istringstream in;
  const int code = gdl::cli::run_cli(args, in, out, err);
  out_text = out.str();
  err_text = err.str();
  return code;
}

std::string request_json(const gdl::iam::Request& r) {
  std::string context;
  for (const auto& [key, value] : r.context) {
    std::string values;
    for (const std::string& v : value.values)
      values += fmt::format("{}\"{}\"", values.empty() ? "" : ", ", v);
    context += fmt::format("{}\"{}\": [{}]", context.empty() ? "" : ", ", key, values);
  }
  return fmt::format(
      R"({{"principal": {{"Service": "{}"}}, "action": "{}", "resource": "{}", "context": {{{}}}}})",
      r.principal.value, r.action, r.resource, context);
}

struct Matrix {
  std::string format;
  std::vector<std::string> regions;
  std::string prefix;
  bool cross_account;
  bool key_given;
};

}  // namespace

TEST_CASE("init output passes check with zero findings and simulate allows GuardDuty") {
  const std::string account = "382910475620";
  const std::string detector = "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2";
  std::vector<Matrix> matrix;
  for (const char* format : {"json", "cloudformation", "terraform"}) {
    for (const std::vector<std::string>& regions :
         {std::vector<std::string>{"us-east-1"}, std::vector<std::string>{"us-east-1", "ap-east-1"},
          std::vector<std::string>{"me-south-1"}}) {
      for (const char* prefix : {"", "findings/guardduty"}) {
        for (const bool cross : {false, true}) {
          for (const bool key : {true, false}) {
            // JSON policies apply to an existing key: without its ARN they hold a placeholder
            // (the next test). CloudFormation and Terraform can create the key.
            if (std::string_view(format) == "json" && !key) continue;
            // CloudFormation cannot set an existing key's policy: its template creates the key.
            if (std::string_view(format) == "cloudformation" && key) continue;
            matrix.push_back({format, regions, prefix, cross, key});
          }
        }
      }
    }
  }
  std::size_t simulated = 0;
  for (const Matrix& m : matrix) {
    const std::string name =
        fmt::format("{} {} prefix '{}'{}{}", m.format, fmt::join(m.regions, "+"), m.prefix,
                    m.cross_account ? " cross-account" : "", m.key_given ? " key given" : "");
    CAPTURE(name);
    const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-init-{}", ::getpid());
    fs::remove_all(dir);
    const std::string bucket_account = m.cross_account ? "210987654321" : account;
    const std::string key_arn =
        fmt::format("arn:aws:kms:{}:{}:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708", m.regions.front(),
                    bucket_account);
    std::vector<std::string> settings = {
        "--account",    account,           "--detector-id",
        detector,       "--bucket",        "org-guardduty-findings",
        "--prefix",     m.prefix,          "--bucket-account",
        bucket_account, "--bucket-region", m.regions.front()};
    for (const std::string& r : m.regions) {
      settings.push_back("--region");
      settings.push_back(r);
    }
    if (m.key_given) {
      settings.push_back("--key-arn");
      settings.push_back(key_arn);
    }
    std::vector<std::string> init = {"init", "--format",   m.format,
                                     "-o",   dir.string(), "--configurer-policy"};
    init.insert(init.end(), settings.begin(), settings.end());
    std::string out, err;
    REQUIRE(run(init, out, err) == 0);
    CHECK(err.empty());
    CHECK(out.find("placeholder") == std::string::npos);

    std::vector<std::string> check = {"check", dir.string(), "--format",
                                      "json",  "--fail-on",  "note"};
    check.insert(check.end(), settings.begin(), settings.end());
    const int code = run(check, out, err);
    CHECK_MESSAGE(code == 0, out);
    rapidjson::Document report;
    report.Parse(out.c_str());
    REQUIRE(report.IsObject());
    REQUIRE(report.HasMember("diagnostics"));
    CHECK_MESSAGE(report["diagnostics"].GetArray().Size() == 0, out);

    if (m.format == "json") {
      gdl::exportcfg::ExportSettings s;
      s.account.value = account;
      s.regions = m.regions;
      s.detector_id.value = detector;
      s.bucket.value = "org-guardduty-findings";
      s.prefix.value = gdl::exportcfg::normalize_prefix(m.prefix);
      s.bucket_account.value = bucket_account;
      s.bucket_region.value = m.regions.front();
      s.key_arn.value = key_arn;
      const gdl::SourceFile key("key-policy.json", gdl::test::read_file(dir / "key-policy.json"));
      const gdl::SourceFile bucket("bucket-policy.json",
                                   gdl::test::read_file(dir / "bucket-policy.json"));
      const auto requests = gdl::exportcfg::guardduty_requests(s, false);
      REQUIRE(requests.size() >= 3 * m.regions.size());
      for (const gdl::exportcfg::GuardDutyRequest& r : requests) {
        CAPTURE(r.name);
        CAPTURE(r.region);
        const bool on_key = r.request.action.starts_with("kms:");
        const gdl::analysis::SimulateOutcome outcome =
            gdl::analysis::simulate(on_key ? key : bucket, request_json(r.request));
        REQUIRE(outcome.evaluated);
        CHECK_MESSAGE(outcome.result.find("\"decision\":\"Allow\"") != std::string::npos,
                      outcome.result);
        ++simulated;
      }
    }
    fs::remove_all(dir);
  }
  CHECK(simulated >= 40);
}

TEST_CASE("init names the placeholders it wrote and never overwrites a file without --force") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-init-p-{}", ::getpid());
  fs::remove_all(dir);
  std::string out, err;
  REQUIRE(run({"init", "-o", dir.string(), "--region", "us-east-1"}, out, err) == 0);
  CHECK(out.find("placeholder <ACCOUNT_ID>") != std::string::npos);
  CHECK(out.find("placeholder <BUCKET>") != std::string::npos);
  CHECK(out.find("placeholder <KEY_ARN>") != std::string::npos);
  // No detector id: matched by account and Region, not a placeholder.
  CHECK(out.find("<DETECTOR_ID>") == std::string::npos);
  const std::string bucket = gdl::test::read_file(dir / "bucket-policy.json");
  CHECK(bucket.find("arn:aws:guardduty:us-east-1:<ACCOUNT_ID>:detector/*") != std::string::npos);
  CHECK(run({"init", "-o", dir.string(), "--region", "us-east-1"}, out, err) == 2);
  CHECK(err.find("exists; --force overwrites it") != std::string::npos);
  CHECK(gdl::test::read_file(dir / "bucket-policy.json") == bucket);
  CHECK(run({"init", "-o", dir.string(), "--region", "us-east-1", "--force"}, out, err) == 0);
  fs::remove_all(dir);
}

TEST_CASE("init --merge completes existing policies, keeps their statements, and is idempotent") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-merge-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string shared_bucket = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AWSCloudTrailWrite",
      "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::shared-logs/AWSLogs/382910475620/*",
      "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    }
  ]
}
)";
  const std::string admin_key = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Admin",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::382910475620:root"},
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
)";
  {
    std::ofstream(dir / "bucket-policy.json") << shared_bucket;
    std::ofstream(dir / "key-policy.json") << admin_key;
  }
  const std::vector<std::string> settings = {
      "--account",
      "382910475620",
      "--region",
      "us-east-1",
      "--region",
      "af-south-1",
      "--detector-id",
      "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2",
      "--bucket",
      "shared-logs",
      "--prefix",
      "guardduty",
      "--key-arn",
      "arn:aws:kms:us-east-1:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"};
  std::vector<std::string> merge = {"init", "--merge", (dir / "bucket-policy.json").string(),
                                    "--merge", (dir / "key-policy.json").string()};
  merge.insert(merge.end(), settings.begin(), settings.end());
  std::string out, err;
  CHECK_MESSAGE(run(merge, out, err) == 0, out << err);
  const std::string bucket = gdl::test::read_file(dir / "bucket-policy.json");
  const std::string key = gdl::test::read_file(dir / "key-policy.json");
  CHECK(bucket.find("AWSCloudTrailWrite") != std::string::npos);
  CHECK(bucket.find("guardduty.af-south-1.amazonaws.com") != std::string::npos);
  CHECK(key.find("\"Sid\": \"Admin\"") != std::string::npos);
  CHECK(key.find("kms:GenerateDataKey") != std::string::npos);
  std::vector<std::string> check = {"check", dir.string(), "--fail-on", "note"};
  check.insert(check.end(), settings.begin(), settings.end());
  CHECK_MESSAGE(run(check, out, err) == 0, out);
  // A second merge finds nothing to add.
  CHECK(run(merge, out, err) == 0);
  CHECK(gdl::test::read_file(dir / "bucket-policy.json") == bucket);
  CHECK(gdl::test::read_file(dir / "key-policy.json") == key);
  fs::remove_all(dir);
}

// The documented request is the request with the assumed keys, without them: the same place,
// name, Region, action, resource and every other context key; and the list with the assumed
// keys is the same whether the documented one is built beside it or not.
TEST_CASE(
    "guardduty_request_lists: the documented list is the assumed one without its assumed keys") {
  gdl::exportcfg::ExportSettings s;
  s.account.value = "382910475620";
  s.regions = {"us-east-2", "af-south-1"};
  s.detector_id.value = "5ab8e9c0d1f2a3b4c5d6e7f8a9b0c1d2";
  s.bucket.value = "example-guardduty-findings";
  s.prefix.value = "findings";
  s.key_arn.value = "arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708";
  const gdl::exportcfg::RequestLists lists = gdl::exportcfg::guardduty_request_lists(s);
  const auto alone = gdl::exportcfg::guardduty_request_lists(s, false);
  CHECK(alone.documented.empty());
  REQUIRE(lists.documented.size() == lists.with_assumed.size());
  REQUIRE(alone.with_assumed.size() == lists.with_assumed.size());
  std::size_t assumed_seen = 0;
  for (std::size_t i = 0; i < lists.with_assumed.size(); ++i) {
    CAPTURE(i);
    const auto& with = lists.with_assumed[i];
    const auto& doc = lists.documented[i];
    CHECK(with.with_assumed);
    CHECK_FALSE(doc.with_assumed);
    CHECK(doc.index == i);
    CHECK(with.index == i);
    CHECK(doc.name == with.name);
    CHECK(doc.region == with.region);
    CHECK(doc.request.action == with.request.action);
    CHECK(doc.request.resource == with.request.resource);
    CHECK(doc.shown_resource == with.shown_resource);
    CHECK(doc.assumed_keys.empty());
    CHECK(alone.with_assumed[i].request.context.size() == with.request.context.size());
    assumed_seen += with.assumed_keys.size();
    CHECK(doc.request.context.size() + with.assumed_keys.size() == with.request.context.size());
    for (const auto& entry : with.request.context) {
      const std::string& key = entry.first;
      const auto& value = entry.second;
      const bool assumed = std::any_of(with.assumed_keys.begin(), with.assumed_keys.end(),
                                       [&](std::string_view k) { return gdl::iequals(k, key); });
      const auto found = doc.request.context.find(key);
      CHECK((found == doc.request.context.end()) == assumed);
      if (found != doc.request.context.end()) CHECK(found->second.values == value.values);
    }
  }
  CHECK(assumed_seen > 0);  // PutObject's s3:x-amz-acl
}

// A file none of whose policies is taken for the export's (a Terraform key that names no
// GuardDuty principal, and no destination names it) is not completed: an error that says so, not
// "Fixed 0 findings" with success.
TEST_CASE("init --merge of a file that holds no policy of the export says so") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-init-unmerged-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string module =
      "resource \"aws_kms_key\" \"k\" {\n  policy = <<EOT\n{\"Version\": \"2012-10-17\", "
      "\"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
      "\"arn:aws:iam::382910475620:root\"}, \"Action\": \"kms:*\", \"Resource\": "
      "\"*\"}]}\nEOT\n}\n";
  std::ofstream(dir / "main.tf") << module;
  std::string out, err;
  const std::vector<std::string> merge = {
      "init",
      "--merge",
      (dir / "main.tf").string(),
      "--account",
      "382910475620",
      "--region",
      "us-east-2",
      "--bucket",
      "example-guardduty-findings",
      "--key-arn",
      "arn:aws:kms:us-east-2:382910475620:key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"};
  CHECK(run(merge, out, err) == 2);
  CHECK(err.find("no policy in it was taken for the export's key or bucket policy") !=
        std::string::npos);
  CHECK(gdl::test::read_file(dir / "main.tf") == module);
  fs::remove_all(dir);
}
