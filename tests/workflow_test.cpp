// What CI, pre-commit and audit users run into: the project configuration found from a
// subdirectory, nothing checked is not a pass, an unreadable input said once.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

struct Run {
  int code = 0;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> args) {
  args.insert(args.begin(), "gd-export-lint");
  std::ostringstream out, err;
  std::istringstream in;
  Run r;
  r.code = gdl::cli::run_cli(args, in, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

fs::path fresh_dir(std::string_view name) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-{}-{}", name, ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("the project configuration is found from a subdirectory, however deep") {
  const fs::path root = fresh_dir("upwards");
  // A warning-only setup: it fails only with the configuration's failOn "warning".
  const fs::path setup = root / "policies" / "prod" / "bucket";
  fs::create_directories(setup);
  fs::copy(gdl::test::source_dir() / "testdata/GD307/no-https-deny", setup,
           fs::copy_options::recursive);
  fs::remove(setup / "case.expect");
  for (const fs::path& dir : {setup, setup.parent_path(), setup.parent_path().parent_path()}) {
    CAPTURE(dir.string());
    const gdl::test::CurrentDirectory here(dir);
    CHECK(run({"check", setup.string()}).code == 0);  // no configuration yet
  }
  std::ofstream(root / ".gd-export-lint.json") << R"({"failOn": "warning"})";
  for (const fs::path& dir : {setup, setup.parent_path(), root}) {
    CAPTURE(dir.string());
    const gdl::test::CurrentDirectory here(dir);
    CHECK(run({"check", setup.string()}).code == 1);
  }
  fs::remove_all(root);
}

TEST_CASE("an empty or misspelt directory is not a pass; an unreadable input is said once") {
  const fs::path empty = fresh_dir("empty");
  Run r = run({"check", empty.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("nothing was checked") != std::string::npos);
  CHECK(r.out.find("no problems found") == std::string::npos);
  // Files that are not policies were still looked at: that is a pass (a pre-commit hook given
  // an unrelated JSON file).
  std::ofstream(empty / "package.json") << R"({"name": "x"})";
  CHECK(run({"check", empty.string()}).code == 0);
  fs::remove_all(empty);

  const std::string missing = (fs::temp_directory_path() / "gdl-no-such-dir-xyz").string();
  r = run({"check", missing});
  CHECK(r.code == 2);
  const auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
      ++n;
    return n;
  };
  CHECK(count(r.out + r.err, "No such file or directory") == 1);
}

TEST_CASE("a link to nothing beside a policy is an input error, scanned or beside a named file") {
  // The same answer whether the directory is scanned or one file in it is named (a pre-commit
  // hook): the key policy the setup needs cannot be read.
  const fs::path dir = fresh_dir("dangling");
  fs::copy_file(fs::path(GDL_SOURCE_DIR) / "examples/correct/bucket-policy.json",
                dir / "bucket-policy.json");
  fs::create_symlink(dir / "gone" / "key-policy.json", dir / "key-policy.json");
  for (const std::string& input : {dir.string(), (dir / "bucket-policy.json").string()}) {
    CAPTURE(input);
    const Run r = run({"check", input});
    CHECK(r.code == 2);
    // "a symbolic link to a file that does not exist" from the scan, the loader's "No such
    // file or directory" beside a named file.
    CHECK(r.err.find((dir / "key-policy.json").string() + ": ") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("a baseline matches however the paths are spelt; it says when it matches nothing") {
  const fs::path root = fresh_dir("baseline");
  fs::create_directories(root / ".git");  // the project root
  const fs::path setup = root / "policies";
  fs::create_directories(setup);
  fs::copy(gdl::test::source_dir() / "examples/broken", setup, fs::copy_options::recursive);
  // A finding whose message names another file of its setup (GD403 names the key policy): the
  // name is spelt as the paths were given, which must not change its fingerprint.
  fs::create_directories(setup / "pair");
  for (const char* name : {"bucket-policy.json", "key-policy.json"}) {
    fs::copy_file(
        gdl::test::source_dir() / "testdata/GD403/key-and-bucket-for-different-accounts" / name,
        setup / "pair" / name);
  }
  const std::string baseline = (root / "baseline.json").string();
  {
    const gdl::test::CurrentDirectory here(setup);
    // Writing a baseline accepts the findings: that run succeeds.
    CHECK(run({"check", "./", "--write-baseline", baseline}).code == 0);
  }
  for (const std::string& spelling :
       {std::string("policies"), std::string("./policies/"), setup.string()}) {
    CAPTURE(spelling);
    const gdl::test::CurrentDirectory here(root);
    const Run r = run({"check", spelling, "--baseline", baseline});
    CHECK(r.code == 0);
    CHECK(r.err.find("matched none") == std::string::npos);
  }
  {
    // Another project root (no .git above the copy): nothing matches, and the run says so.
    const fs::path elsewhere = fresh_dir("baseline-elsewhere");
    fs::copy(gdl::test::source_dir() / "examples/broken", elsewhere, fs::copy_options::recursive);
    const gdl::test::CurrentDirectory here(elsewhere);
    const Run r = run({"check", ".", "--baseline", baseline});
    CHECK(r.code == 1);
    CHECK(r.err.find("matched none of its") != std::string::npos);
    fs::remove_all(elsewhere);
  }
  fs::remove_all(root);
}

TEST_CASE("GitHub annotations stay within GitHub's limits, say what they left out, and list it") {
  const fs::path summary = fresh_dir("step-summary") / "summary.md";
  ::setenv("GITHUB_STEP_SUMMARY", summary.string().c_str(), 1);
  const gdl::test::CurrentDirectory here(gdl::test::source_dir());
  const Run r = run({"check", "testdata", "--format", "github"});
  ::unsetenv("GITHUB_STEP_SUMMARY");
  std::size_t errors = 0, warnings = 0, notices = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("::error file=") && line.find("cannot read input") == std::string::npos)
      ++errors;
    if (line.starts_with("::warning ")) ++warnings;
    if (line.starts_with("::notice ")) ++notices;
  }
  CHECK(errors == 10);
  CHECK(warnings == 10);
  CHECK(notices <= 10);
  CHECK(r.out.find("more findings (") != std::string::npos);
  // The job summary lists every finding, not only the annotated ones.
  const std::string text = gdl::test::read_file(summary);
  CHECK(text.starts_with("## gd-export-lint"));
  std::size_t rows = 0;
  for (std::size_t at = text.find("\n| "); at != std::string::npos; at = text.find("\n| ", at + 1))
    ++rows;
  CHECK(rows > 200);
  fs::remove_all(summary.parent_path());
}

TEST_CASE("did you mean: a misspelt rule or configuration key names what it looks like, once") {
  Run r = run({"check", "--disable", "GD3O2", "examples/correct"});
  CHECK(r.code == 2);
  CHECK(r.err.find("did you mean GD302 (bucket-put-object-missing)?") != std::string::npos);
  const fs::path dir = fresh_dir("did-you-mean");
  const fs::path config = dir / ".gd-export-lint.json";
  std::ofstream(config)
      << R"({"failon": "warning", "suppressions": [{"path": "x", "rule": "bucket-put-objct-missing", "reason": "r"}]})";
  const gdl::test::CurrentDirectory here(gdl::test::source_dir());
  r = run({"check", "--project-config", config.string(), "examples/correct"});
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown key \"failon\"; did you mean \"failOn\"?") != std::string::npos);
  CHECK(r.err.find("did you mean GD302 (bucket-put-object-missing)?") != std::string::npos);
  // The misspelt rule is one error, not also "a suppression needs path and rule".
  CHECK(r.err.find("needs \"path\" and \"rule\"") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE(
    "JUnit XML is well-formed on hostile input; GitLab Code Quality fingerprints are unique") {
  const gdl::test::CurrentDirectory here(gdl::test::source_dir());
  const fs::path dir = fresh_dir("formats");
  Run r = run({"check", "--format", "junit", "testdata/hostile", "testdata/GD001"});
  CHECK(r.code == 1);
  std::ofstream(dir / "junit.xml") << r.out;
  const std::string parse = fmt::format(
      "python3 -c \"import sys, xml.etree.ElementTree as E; "
      "t = E.parse(sys.argv[1]).getroot(); sys.exit(0 if len(t.iter('testcase').__next__().attrib) "
      "else 1)\" '{}'",
      (dir / "junit.xml").string());
  CHECK(std::system(parse.c_str()) == 0);
  r = run({"check", "--format", "gitlab", "testdata"});
  std::ofstream(dir / "gitlab.json") << r.out;
  const std::string unique = fmt::format(
      "python3 -c \"import sys, json; d = json.load(open(sys.argv[1])); "
      "f = [i['fingerprint'] for i in d]; sys.exit(0 if len(f) > 100 and len(f) == len(set(f)) "
      "else 1)\" '{}'",
      (dir / "gitlab.json").string());
  CHECK(std::system(unique.c_str()) == 0);
  fs::remove_all(dir);
}

// The broken stack's inverted HTTPS Deny (Bool aws:SecureTransport true) written on another key:
// it still blocks GuardDuty, but is no HTTPS Deny, so GD307 reports the bucket has none.
namespace {
void without_https_deny(std::string& stack) {
  const std::string inverted = "aws:SecureTransport: true";
  const std::size_t at = stack.find(inverted);
  REQUIRE(at != std::string::npos);
  stack.replace(at, inverted.size(), "aws:PrincipalIsAWSService: true");
}
}  // namespace

TEST_CASE("inline suppressions in YAML and Terraform comments: with a reason they suppress") {
  const fs::path dir = fresh_dir("inline");
  const fs::path yaml = dir / "stack.yaml";
  std::string stack = gdl::test::read_file(gdl::test::source_dir() /
                                           "testdata/containers/cfn-yaml-stack-broken/stack.yaml");
  auto line_start = [](const std::string& text, int line) {
    std::size_t at = 0;
    for (int i = 1; i < line; ++i) at = text.find('\n', at) + 1;
    return at;
  };
  // The stack's HTTPS Deny is inverted (GD309's finding, which repairs it): written on another
  // key, it leaves the bucket without one, and GD307 is reported at 48:11. A comment at the end
  // of that line, with a reason; GD108 at 57:32: a comment on the line above, without one.
  without_https_deny(stack);
  stack.insert(line_start(stack, 57), "                # gd-export-lint: ignore GD108\n");
  stack.insert(stack.find('\n', line_start(stack, 48)),
               "  # gd-export-lint: ignore GD307, GD999 -- TLS is enforced by an SCP");
  std::ofstream(yaml) << stack;
  Run r = run({"check", yaml.string(), "--format", "json"});
  rapidjson::Document json;
  json.Parse(r.out.c_str());
  REQUIRE(json.IsObject());
  bool gd307_suppressed = false, gd108_open = false, reason_missing = false;
  for (const auto& d : json["diagnostics"].GetArray()) {
    const std::string rule = d["ruleId"].GetString();
    const bool suppressed = d.HasMember("suppression");
    if (rule == "GD307") gd307_suppressed = suppressed;
    if (rule == "GD108") gd108_open = !suppressed;
    if (rule == "GD004" &&
        std::string(d["message"].GetString()).find("no reason") != std::string::npos)
      reason_missing = true;
  }
  CHECK(gd307_suppressed);
  CHECK(gd108_open);
  CHECK(reason_missing);

  // Terraform: the finding is at the data source's first line.
  const fs::path tf = dir / "tf";
  fs::create_directories(tf);
  std::ofstream(tf / "main.tf") << R"(resource "aws_s3_bucket_policy" "gd" {
  bucket = "gd-findings"
  policy = data.aws_iam_policy_document.gd.json
}
# gd-export-lint: ignore GD307 -- TLS is enforced by an SCP
data "aws_iam_policy_document" "gd" {
  statement {
    actions   = ["s3:PutObject", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::gd-findings", "arn:aws:s3:::gd-findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
)";
  r = run({"check", tf.string(), "--format", "json"});
  json.Parse(r.out.c_str());
  REQUIRE(json.IsObject());
  bool tf_suppressed = false;
  for (const auto& d : json["diagnostics"].GetArray()) {
    if (std::string(d["ruleId"].GetString()) == "GD307") tf_suppressed = d.HasMember("suppression");
  }
  CHECK(tf_suppressed);
  fs::remove_all(dir);
}

TEST_CASE("a CloudFormation resource's Metadata suppresses findings inside it, with a reason") {
  const fs::path dir = fresh_dir("metadata");
  std::string stack = gdl::test::read_file(gdl::test::source_dir() /
                                           "testdata/containers/cfn-yaml-stack-broken/stack.yaml");
  const std::string type = "    Type: AWS::S3::BucketPolicy\n";
  stack.insert(stack.find(type) + type.size(),
               "    Metadata:\n      gd-export-lint:\n        ignore:\n"
               "          - rule: GD307\n            reason: TLS is enforced by an SCP\n"
               "          - rule: GD108\n");
  without_https_deny(stack);  // so that GD307 is reported (see above)
  std::ofstream(dir / "stack.yaml") << stack;
  const Run r = run({"check", (dir / "stack.yaml").string(), "--format", "json"});
  rapidjson::Document json;
  json.Parse(r.out.c_str());
  REQUIRE(json.IsObject());
  bool gd307_suppressed = false, gd108_open = false, reason_missing = false, gd202_open = false;
  for (const auto& d : json["diagnostics"].GetArray()) {
    const std::string rule = d["ruleId"].GetString();
    const bool suppressed = d.HasMember("suppression");
    if (rule == "GD307") gd307_suppressed = suppressed;
    if (rule == "GD108") gd108_open = !suppressed;
    if (rule == "GD202") gd202_open = !suppressed;  // in another resource: not covered
    if (rule == "GD004") reason_missing = true;
  }
  CHECK(gd307_suppressed);
  CHECK(gd108_open);
  CHECK(gd202_open);
  CHECK(reason_missing);
  fs::remove_all(dir);
}

TEST_CASE("a streamed report is the whole report, whatever the thread count") {
  // The plain check streams its report; --write-baseline collects every finding first and
  // writes the report at once. Both, with one thread or two, must print the same bytes: the
  // same findings, in path order (module templates read through a call in their place), with
  // the same counts and verdicts.
  const std::string root = GDL_SOURCE_DIR;
  const fs::path dir = fresh_dir("stream");
  const std::vector<std::string> inputs = {root + "/testdata/containers",
                                           root + "/testdata/realworld", root + "/testdata/setups",
                                           root + "/examples"};
  for (const std::string format : {"text", "json", "sarif", "github", "junit", "gitlab"}) {
    CAPTURE(format);
    auto run_with = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = {"check", "--format", format, "--fail-on", "never"};
      args.insert(args.end(), extra.begin(), extra.end());
      args.insert(args.end(), inputs.begin(), inputs.end());
      return run(args);
    };
    const Run one = run_with({"--jobs", "1"});
    const Run two = run_with({"--jobs", "2"});
    const Run whole = run_with({"--jobs", "2", "--write-baseline", (dir / "b.json").string()});
    CHECK(one.code == 0);
    CHECK(one.out.size() > 1000);
    CHECK(one.out == two.out);
    CHECK(one.out == whole.out);
    if (std::string_view(format) != "json") continue;
    // Path order: by file, then by position within it; files no work item lists (a template
    // read through templatefile(), not a scanned kind of file) after the scanned ones.
    rapidjson::Document doc;
    doc.Parse(one.out.c_str());
    REQUIRE(doc.IsObject());
    const auto& findings = doc["diagnostics"];
    CHECK(findings.Size() > 100);
    auto listed = [](const std::string& file) {
      return file.ends_with(".json") || file.ends_with(".yaml") || file.ends_with(".yml") ||
             file.ends_with(".template") || file.ends_with(".tf");
    };
    int unlisted = 0;
    for (rapidjson::SizeType i = 1; i < findings.Size(); ++i) {
      const std::string a = findings[i - 1]["file"].GetString();
      const std::string b = findings[i]["file"].GetString();
      CAPTURE(b);
      unlisted += listed(b) ? 0 : 1;
      CHECK((listed(a) || !listed(b)));
      if (listed(a) != listed(b)) continue;
      CHECK((a < b || (a == b && findings[i - 1]["offset"].GetUint64() <=
                                     findings[i]["offset"].GetUint64())));
    }
    CHECK(unlisted > 0);  // the fixtures hold a module's template
  }
  fs::remove_all(dir);
}

namespace {

// A bucket policy as AWS's guide writes it, for `bucket` and GuardDuty in `account`; without the
// GetBucketLocation grant when `broken`.
std::string guide_bucket_policy(std::string_view bucket, std::string_view account,
                                bool broken = false) {
  const std::string condition = fmt::format(
      R"("Condition": {{"StringEquals": {{"aws:SourceAccount": "{0}",
       "aws:SourceArn": "arn:aws:guardduty:us-east-1:{0}:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2"}}}})",
      account);
  std::string location = fmt::format(
      R"({{"Sid": "Loc", "Effect": "Allow", "Principal": {{"Service": "guardduty.amazonaws.com"}},
       "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::{}", {}}},)",
      bucket, condition);
  return fmt::format(
      R"({{"Version": "2012-10-17", "Statement": [{}
      {{"Sid": "Put", "Effect": "Allow", "Principal": {{"Service": "guardduty.amazonaws.com"}},
       "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{}/*", {}}}]}})",
      broken ? "" : location, bucket, condition);
}

std::string guide_key_policy(std::string_view account) {
  return fmt::format(
      R"({{"Version": "2012-10-17", "Statement": [
      {{"Sid": "Admin", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{0}:root"}},
       "Action": "kms:*", "Resource": "*"}},
      {{"Sid": "GD", "Effect": "Allow", "Principal": {{"Service": "guardduty.amazonaws.com"}},
       "Action": "kms:GenerateDataKey", "Resource": "*",
       "Condition": {{"StringEquals": {{"aws:SourceAccount": "{0}",
       "aws:SourceArn": "arn:aws:guardduty:us-east-1:{0}:detector/6ec5f6d1e7a2b3c4d5e6f7a8b9c0d1e2"}}}}}}]}})",
      account);
}

// `policy` with the guide's Deny of uploads encrypted with another key than `key`.
std::string requiring_key(std::string policy, const std::string& key) {
  policy.insert(policy.rfind("]}"),
                fmt::format(R"(, {{"Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny",
        "Principal": {{"Service": "guardduty.amazonaws.com"}}, "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::gd-x/*",
        "Condition": {{"StringNotEquals": {{"s3:x-amz-server-side-encryption-aws-kms-key-id": "{}"}}}}}})",
                            key));
  return policy;
}

// A key policy whose GuardDuty grant names `key` as its Resource (the policy of that key).
std::string owning_key(std::string policy, const std::string& key) {
  policy.replace(policy.rfind(R"("Resource": "*")"), 15, fmt::format(R"("Resource": "{}")", key));
  return policy;
}

std::vector<std::string> verdicts_of(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  std::vector<std::string> verdicts;
  if (!doc.IsObject() || !doc.HasMember("setups")) return {"unreadable output"};
  for (const auto& setup : doc["setups"].GetArray())
    verdicts.emplace_back(setup["verdict"].GetString());
  std::sort(verdicts.begin(), verdicts.end());
  return verdicts;
}

std::multiset<std::string> rules_in(const std::string& json, bool placed = false) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  std::multiset<std::string> found;
  if (!doc.IsObject() || !doc.HasMember("diagnostics")) return {"unreadable output"};
  for (const auto& d : doc["diagnostics"].GetArray())
    found.insert(
        fmt::format("{}{} {} {}", fs::path(d["file"].GetString()).filename().string(),
                    placed ? fmt::format(":{}:{}", d["line"].GetInt(), d["column"].GetInt()) : "",
                    d["ruleId"].GetString(), d["severity"].GetString()));
  return found;
}

}  // namespace

TEST_CASE("a directory of several exports' policies is several exports, each judged whole") {
  // A repository keeps prod-bucket.json beside dev-bucket.json: two buckets, so two exports
  // (GuardDuty writes to one bucket per detector), not one export's input error that blocked
  // both working policies and judged neither (a real-world sweep: two copies of one README's
  // bucket policy named side by side gave GD007 errors and "grammar only").
  const fs::path dir = fresh_dir("several-exports");
  const std::string prod = "141421356237";
  const std::string dev = "271828182845";
  auto write = [&dir](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  SUBCASE("two bucket policies and the one key policy both use") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", prod, true));
    write("key.json", guide_key_policy(prod));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    CHECK(rules_in(r.out).count("dev-bucket.json GD301 error") == 1);
    CHECK(rules_in(r.out).count("prod-bucket.json GD301 error") == 0);
    for (const std::string& found : rules_in(r.out))
      CHECK(found.find("GD007") == std::string::npos);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "fails"});
    // Every finding once, the shared key's too (its documents' findings are in each export).
    const std::multiset<std::string> found = rules_in(r.out, true);
    for (const std::string& f : found) {
      CAPTURE(f);
      CHECK(found.count(f) == 1);
    }
    // A named file is checked with its own export, not the other one beside it.
    const Run named =
        run({"check", "-f", "json", "--fail-on", "never", (dir / "prod-bucket.json").string()});
    CHECK(rules_in(named.out).count("dev-bucket.json GD301 error") == 0);
    CHECK(verdicts_of(named.out) == std::vector<std::string>{"exports"});
    const Run verbose = run({"check", "-v", "--fail-on", "never", dir.string()});
    CHECK(verbose.out.find("2 bucket policies and 1 key policy that grant GuardDuty, each in a "
                           "file of its own, are read as 2 exports") != std::string::npos);
  }
  SUBCASE("two accounts' exports, paired by the accounts their grants name") {
    write("bucket-a.json", guide_bucket_policy("gd-a", prod));
    write("bucket-b.json", guide_bucket_policy("gd-b", dev));
    write("key-a.json", guide_key_policy(dev));  // file names pair them crosswise: accounts win
    write("key-b.json", guide_key_policy(prod));
    const Run r = run({"check", "-f", "json", dir.string()});
    CHECK(r.code == 0);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "exports"});
    const Run verbose = run({"check", "-v", "--fail-on", "never", dir.string()});
    CHECK(verbose.out.find("bucket-a.json with " + (dir / "key-b.json").string()) !=
          std::string::npos);
  }
  SUBCASE("one account's two exports, paired by their file names") {
    write("prod-bucket-policy.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket-policy.json", guide_bucket_policy("gd-dev", prod));
    write("prod-key-policy.json", guide_key_policy(prod));
    write("dev-key-policy.json", guide_key_policy(prod));
    const Run r = run({"check", "-f", "json", dir.string()});
    CHECK(r.code == 0);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "exports"});
  }
  SUBCASE("keys that cannot be told apart: each bucket and each key checked on its own") {
    write("bucket-1.json", guide_bucket_policy("gd-one", prod));
    write("bucket-2.json", guide_bucket_policy("gd-two", prod));
    write("key-1.json", guide_key_policy(prod));
    write("key-2.json", guide_key_policy(prod));
    // bucket-1/key-1 name the same export ("1"): paired; so are bucket-2 and key-2.
    const Run r = run({"check", "-f", "json", dir.string()});
    CHECK(r.code == 0);
    CHECK(verdicts_of(r.out).size() == 2);
    fs::remove(dir / "key-2.json");
    write("kms-other.json", guide_key_policy(prod));
    const Run unpaired = run({"check", "-f", "json", dir.string()});
    CHECK(unpaired.code == 0);
    for (const std::string& found : rules_in(unpaired.out))
      CHECK(found.find("GD007") == std::string::npos);
  }
  SUBCASE("a lone key policy of another account is no bucket's: each checked alone") {
    // (A review: the one key went into every export, GD403 and GD201 on a correct key.)
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    write("prod-key.json", guide_key_policy(prod));
    const Run r = run({"check", "-f", "json", dir.string()});
    CHECK(r.code == 0);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "exports"});
  }
  SUBCASE("a misspelt account is still found: the file names pair the two") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("prod-key.json", guide_key_policy(prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    write("dev-key.json", guide_key_policy("271828182846"));
    const Run r = run({"check", "-f", "json", dir.string()});
    CHECK(r.code == 1);
    CHECK(rules_in(r.out).count("dev-key.json GD201 error") == 1);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "fails"});
  }
  SUBCASE("the key a bucket policy requires pairs it with that key's policy, not the file name") {
    const std::string key_a =
        "arn:aws:kms:us-east-1:" + prod + ":key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708";
    const std::string key_b =
        "arn:aws:kms:us-east-1:" + prod + ":key/2f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708";
    write("prod-bucket.json", requiring_key(guide_bucket_policy("gd-x", prod), key_a));
    write("dev-bucket.json", requiring_key(guide_bucket_policy("gd-y", prod), key_b));
    write("prod-key.json", owning_key(guide_key_policy(prod), key_b));
    write("dev-key.json", owning_key(guide_key_policy(prod), key_a));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    for (const std::string& found : rules_in(r.out))
      CHECK(found.find("GD402") == std::string::npos);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "exports"});
  }
  SUBCASE("a named file that is no export's document keeps its findings") {
    // (A review: it was in no export, its syntax error lost and the run "checked nothing".)
    write("a-bucket.json", guide_bucket_policy("gd-a", prod));
    write("b-bucket.json", guide_bucket_policy("gd-b", prod));
    write("broken.json", R"({"Version": "2012-10-17", "Statement": [],})");
    const Run r = run({"check", "-q", (dir / "broken.json").string()});
    CHECK(r.code == 1);
    CHECK(r.out.find("GD001") != std::string::npos);
  }
  SUBCASE("one export's error is not another's verdict, and is listed once") {
    write("a-bucket.json", guide_bucket_policy("gd-a", prod));
    std::string denny = guide_bucket_policy("gd-b", prod);
    denny.replace(denny.find(R"("Effect": "Allow")"), 17, R"("Effect": "Denny")");
    write("b-bucket.json", denny);
    write("key.json", guide_key_policy(prod));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    REQUIRE(doc.HasMember("setups"));
    for (const auto& setup : doc["setups"].GetArray()) {
      const std::string first = setup["documents"][0].GetString();
      CAPTURE(first);
      std::set<std::string> errors;
      for (const auto& e : setup["errors"].GetArray()) CHECK(errors.insert(e.GetString()).second);
      if (first.ends_with("a-bucket.json")) CHECK(errors.empty());
      if (first.ends_with("b-bucket.json")) CHECK(!errors.empty());
    }
  }
  SUBCASE("the bucket the user gave names the export: the other bucket policy is not it") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", prod));
    const Run r = run({"check", "-q", "--bucket", "gd-prod", dir.string()});
    CHECK(r.code == 0);
    CHECK(r.out.find("GD007") == std::string::npos);
    CHECK(r.out.find("GD301") == std::string::npos);
  }
  SUBCASE("a Terraform module's two bucket policies are one module's: not split") {
    write("main.tf",
          fmt::format(R"(resource "aws_s3_bucket_policy" "a" {{
  bucket = "gd-a"
  policy = <<POLICY
{}
POLICY
}}
resource "aws_s3_bucket_policy" "b" {{
  bucket = "gd-b"
  policy = <<POLICY
{}
POLICY
}}
)",
                      guide_bucket_policy("gd-a", prod), guide_bucket_policy("gd-b", prod)));
    const Run r = run({"check", "-q", dir.string()});
    CHECK(r.out.find("this export setup holds 2 bucket policies") != std::string::npos);
  }
  SUBCASE("a bucket policy that grants everyone, pinned to GuardDuty by conditions, is an export") {
    // (A second review: only grants naming GuardDuty's principal counted; dev's GD302 was lost.)
    auto to_everyone = [](std::string policy) {
      const std::string service = R"({"Service": "guardduty.amazonaws.com"})";
      for (std::size_t at; (at = policy.find(service)) != std::string::npos;)
        policy.replace(at, service.size(), R"("*")");
      return policy;
    };
    write("prod-bucket.json", to_everyone(guide_bucket_policy("gd-prod", prod)));
    std::string dev_bucket = guide_bucket_policy("gd-dev", dev);
    dev_bucket.replace(dev_bucket.find("\"s3:PutObject\""), 14, "\"s3:GetObject\"");
    write("dev-bucket.json", to_everyone(dev_bucket));
    write("prod-key.json", guide_key_policy(prod));
    write("dev-key.json", guide_key_policy(dev));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    CHECK(rules_in(r.out).count("dev-bucket.json GD302 error") == 1);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "fails"});
  }
  SUBCASE("a bucket and key that contradict each other beside another export are still paired") {
    // (A second review: a key-id Deny naming a stale key, or a misspelt account, beside another
    // export made the two "alone" and their GD402 / GD403 disappeared.)
    write("bucket-policy.json", guide_bucket_policy("gd-a", prod));
    write("key-policy.json", guide_key_policy("161803398874"));
    write("dev-bucket-policy.json", guide_bucket_policy("gd-dev", dev));
    write("dev-key-policy.json", guide_key_policy(dev));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    CHECK(rules_in(r.out).count("bucket-policy.json GD403 error") == 1);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "fails"});
  }
  SUBCASE("an identity policy is read with the exports whose bucket it names") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    // A reader of prod's findings: nothing of it concerns the dev export.
    write("prod-reader.json", R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::gd-prod/*"}]})");
    const Run json = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    rapidjson::Document doc;
    doc.Parse(json.out.c_str());
    REQUIRE(doc.HasMember("setups"));
    for (const auto& setup : doc["setups"].GetArray()) {
      std::string documents;
      for (const auto& d : setup["documents"].GetArray()) documents += d.GetString();
      CAPTURE(documents);
      CHECK((documents.find("prod-reader") == std::string::npos ||
             documents.find("dev-bucket") == std::string::npos));
    }
  }
  SUBCASE("settings the user gave are one export's: the directory stays one setup") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    const Run r = run({"check", "-q", "--account", prod, dir.string()});
    CHECK(r.out.find("this export setup holds 2 bucket policies") != std::string::npos);
    CHECK(r.out.find("GD301") == std::string::npos);
  }
  SUBCASE("one value, one finding, in an export of several as alone") {
    // (A regression sweep: the run that finds the exports reported the value's GD005 and GD106
    // again, beside the GD302 its export's run told them as notes of.)
    std::string prod_bucket = guide_bucket_policy("gd-prod", prod);
    prod_bucket.replace(prod_bucket.find("arn:aws:s3:::gd-prod/*"), 22, "KMS key ARN");
    write("prod-bucket.json", prod_bucket);
    write("prod-key.json", guide_key_policy(prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    write("dev-key.json", guide_key_policy(dev));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    CHECK(rules_in(r.out).count("prod-bucket.json GD302 error") == 1);
    CHECK(rules_in(r.out).count("prod-bucket.json GD005 warning") == 0);
    CHECK(rules_in(r.out).count("prod-bucket.json GD106 error") == 0);
  }
  SUBCASE("a file that cannot be read may be any export's: each is rejected") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("prod-key.json", guide_key_policy(prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    write("dev-key.json", guide_key_policy(dev).substr(0, 200));  // cut short
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"rejected", "rejected"});
    const Run named = run({"check", "-q", (dir / "dev-key.json").string()});
    CHECK(named.code == 1);
    CHECK(named.out.find("GD001") != std::string::npos);
  }
  SUBCASE("an identity policy read with an export is not called grammar only") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    write("prod-reader.json", R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::gd-prod/*"}]})");
    const Run r = run({"check", "-v", "--fail-on", "never", dir.string()});
    CHECK(r.out.find("grammar only") == std::string::npos);
  }
  SUBCASE("the directory's one key policy is every export's, granting GuardDuty or not") {
    // (A review: a key policy without GuardDuty's grant beside two exports was read with none,
    // and its GD201 was lost.)
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", dev));
    std::string key = guide_key_policy(prod);
    key.replace(key.find("guardduty.amazonaws.com"), 23, "cloudtrail.amazonaws.com");
    write("key.json", key);
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    CHECK(rules_in(r.out).count("key.json GD201 error") == 1);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"fails", "fails"});
  }
  SUBCASE("a key policy another bucket policy requires is that export's, not a third's") {
    // (A review: dev-bucket.json requires a key kept elsewhere; paired by its account with the
    // prod key, which prod-bucket.json requires, it had a false GD402.)
    const std::string prod_key =
        "arn:aws:kms:us-east-1:" + prod + ":key/1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708";
    const std::string dev_key =
        "arn:aws:kms:us-east-1:" + prod + ":key/3f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708";
    write("prod-bucket.json", requiring_key(guide_bucket_policy("gd-x", prod), prod_key));
    write("dev-bucket.json", requiring_key(guide_bucket_policy("gd-y", prod), dev_key));
    write("prod-key.json", owning_key(guide_key_policy(prod), prod_key));
    const Run r = run({"check", "-f", "json", "--fail-on", "never", dir.string()});
    for (const std::string& found : rules_in(r.out))
      CHECK(found.find("GD402") == std::string::npos);
    CHECK(verdicts_of(r.out) == std::vector<std::string>{"exports", "exports"});
  }
  SUBCASE("a configured setup that lists two bucket policies is the user's contradiction") {
    write("prod-bucket.json", guide_bucket_policy("gd-prod", prod));
    write("dev-bucket.json", guide_bucket_policy("gd-dev", prod));
    const fs::path config = dir / "project.json";
    std::ofstream(config) << fmt::format(
        R"({{"setups": [{{"name": "s", "documents": ["{}", "{}"]}}]}})",
        (dir / "prod-bucket.json").string(), (dir / "dev-bucket.json").string());
    const Run r = run({"check", "-q", "--project-config", config.string(), dir.string()});
    CHECK(r.code == 1);
    CHECK(r.out.find("this export setup holds 2 bucket policies that grant GuardDuty") !=
          std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("many exports in one directory are named a few at a time, not all in one note") {
  // A generated directory of copies: the note naming every export would grow with their number.
  const fs::path dir = fresh_dir("many-buckets");
  for (int i = 0; i < 9; ++i) {
    std::ofstream(dir / fmt::format("bucket-{}.json", i)) << fmt::format(
        R"({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Principal": {{"Service": "guardduty.amazonaws.com"}}, "Action": "s3:PutObject",
  "Resource": "arn:aws:s3:::gd-findings-{}/*"}}]}})",
        i);
  }
  const Run r = run({"check", "-v", "--fail-on", "never", dir.string()});
  CHECK(r.code == 0);
  const std::size_t note = r.out.find(
      "9 bucket policies that grant GuardDuty, each in a file of its own, are read as 9 exports");
  REQUIRE(note != std::string::npos);
  const std::string line = r.out.substr(note, r.out.find('\n', note) - note);
  CHECK(line.find("and 5 more") != std::string::npos);
  CHECK(line.find("bucket-8.json") == std::string::npos);
  CHECK(r.out.find("9 files checked") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a module two roots call: its findings once, in path order, whatever the thread count") {
  // Both roots read the module through their calls; naming the module's file too (as the
  // pre-commit hook does) lists it in an item of its own. Its findings are final only when
  // every item that reads it is done.
  const fs::path dir = fresh_dir("two-callers");
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  fs::create_directories(dir / "modules/gd");
  for (const char* root : {"a", "b"}) {
    std::ofstream(dir / root / "main.tf") << R"(module "gd" {
  source = "../modules/gd"
  bucket = "gd-findings-382910475620"
}
)";
  }
  std::ofstream(dir / "modules/gd/main.tf") << R"(variable "bucket" {}
resource "aws_s3_bucket_policy" "gd" {
  bucket = var.bucket
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "guardduty.amazonaws.com" }
      Action    = ["s3:PutObjects", "s3:GetBucketLocation"]
      Resource  = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*"]
    }]
  })
}
)";
  const std::string a = (dir / "a/main.tf").string();
  const std::string b = (dir / "b/main.tf").string();
  const std::string module = (dir / "modules/gd/main.tf").string();
  for (const std::vector<std::string>& inputs :
       {std::vector<std::string>{dir.string()}, std::vector<std::string>{a, b, module}}) {
    std::vector<std::string> args = {"check", "-q", "--fail-on", "never", "--jobs"};
    std::vector<std::string> one = args, two = args;
    one.push_back("1");
    two.push_back("2");
    one.insert(one.end(), inputs.begin(), inputs.end());
    two.insert(two.end(), inputs.begin(), inputs.end());
    const Run first = run(one);
    CAPTURE(first.out);
    CHECK(first.out.find("s3:PutObjects") != std::string::npos);
    for (int i = 0; i < 5; ++i) CHECK(run(two).out == first.out);
    // Each line once.
    std::istringstream lines(first.out);
    std::set<std::string> seen;
    for (std::string line; std::getline(lines, line);) CHECK(seen.insert(line).second);
  }
  fs::remove_all(dir);
}

TEST_CASE("a policy known only when deployed is not a clean pass: counted, and no verdict") {
  // A publishing destination whose bucket policy is a data source with an unknown count: the
  // policy is not read at all. The summary says a policy was not judged, and the setup is
  // undecided, not "exports". With the count known, the same setup is judged.
  const fs::path dir = fresh_dir("unread-policy");
  const std::string tf = R"(variable "create" { type = bool }
resource "aws_guardduty_detector" "this" {}
resource "aws_s3_bucket_policy" "this" {
  bucket = "gd-findings"
  policy = data.aws_iam_policy_document.s3[0].json
}
data "aws_iam_policy_document" "s3" {
  count = var.create ? 1 : 0
  statement {
    actions   = ["s3:PutObject", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::gd-findings", "arn:aws:s3:::gd-findings/*"]
    principals {
      type        = "Service"
      identifiers = ["guardduty.amazonaws.com"]
    }
  }
}
resource "aws_guardduty_publishing_destination" "this" {
  detector_id     = aws_guardduty_detector.this.id
  destination_arn = "arn:aws:s3:::gd-findings"
  kms_key_arn     = "arn:aws:kms:us-east-1:382910475620:key/7c2e9a41-3b5d-4f60-8a17-d4c9e2b0f583"
}
)";
  std::ofstream(dir / "main.tf") << tf;
  // (With the account's own statement: a policy naming only GuardDuty is refused by KMS, GD204.)
  const std::string key = R"(resource "aws_kms_key" "k" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "kms:GenerateDataKey",
    Resource = "*" }, { Effect = "Allow", Principal = { AWS = "arn:aws:iam::382910475620:root" },
    Action = "kms:*", Resource = "*" }] })
}
)";
  struct Row {
    bool key_policy;  // key.tf beside main.tf
    std::vector<std::string> extra;
    const char* verdict;
    int partly_judged;
  };
  const std::vector<Row> rows = {
      // The bucket policy not read; the key's read.
      {true, {}, "undecided", 1},
      {true, {"--var", "create=true"}, "exports", 0},
      // The destination's key is in no file read (kept elsewhere): its policy is not judged.
      {false, {"--var", "create=true"}, "undecided", 1},
      {false, {}, "undecided", 2},
  };
  for (const Row& row : rows) {
    if (row.key_policy) {
      std::ofstream(dir / "key.tf") << key;
    } else {
      fs::remove(dir / "key.tf");
    }
    std::vector<std::string> args = {"check", "--format", "json", dir.string()};
    args.insert(args.end(), row.extra.begin(), row.extra.end());
    CAPTURE(fmt::format("{} (key.tf: {})", fmt::join(args, " "), row.key_policy));
    const Run r = run(args);
    rapidjson::Document json;
    json.Parse(r.out.c_str());
    REQUIRE(!json.HasParseError());
    REQUIRE(json["setups"].Size() == 1);
    CHECK(std::string(json["setups"][0]["verdict"].GetString()) == row.verdict);
    CHECK(json["summary"]["partlyJudgedPolicies"].GetInt() == row.partly_judged);
  }
  const Run text = run({"check", "--var", "create=true", (dir / "main.tf").string()});
  CHECK(text.out.find("1 policy was judged in part") != std::string::npos);
  const Run verbose = run({"check", "-v", "--var", "create=true", (dir / "main.tf").string()});
  CHECK(verbose.out.find("no key policy among the files read is that of "
                         "aws_guardduty_publishing_destination.this's KMS key") !=
        std::string::npos);
  // Another file of the setup that holds the key's policy (a JSON policy beside the module) is
  // read: the setup is judged.
  std::ofstream(dir / "key-policy.json") << R"({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
    "Action": "kms:GenerateDataKey", "Resource": "*"}]})";
  {
    const Run r = run({"check", "--format", "json", "--var", "create=true", dir.string()});
    rapidjson::Document json;
    json.Parse(r.out.c_str());
    REQUIRE(!json.HasParseError());
    REQUIRE(json["setups"].Size() == 1);
    CHECK(std::string(json["setups"][0]["verdict"].GetString()) == "exports");
    CHECK(json["summary"]["partlyJudgedPolicies"].GetInt() == 0);
  }
  fs::remove(dir / "key-policy.json");
  // A key the module makes but that the destination does not name (an SNS key, its default
  // policy not the export's) is not the destination's key.
  std::ofstream(dir / "sns.tf") << R"(resource "aws_kms_key" "sns" {}
)";
  {
    const Run r = run({"check", "--format", "json", "--var", "create=true", dir.string()});
    rapidjson::Document json;
    json.Parse(r.out.c_str());
    REQUIRE(!json.HasParseError());
    REQUIRE(json["setups"].Size() == 1);
    CHECK(std::string(json["setups"][0]["verdict"].GetString()) == "undecided");
  }
  fs::remove(dir / "sns.tf");
  fs::remove(dir / "key.tf");
  // Terraform's JSON syntax (cdktf's cdk.tf.json): a policy built by interpolation is not read.
  const fs::path json_dir = dir / "cdktf";
  fs::create_directories(json_dir);
  std::ofstream(json_dir / "cdk.tf.json") << R"({"resource": {"aws_s3_bucket_policy": {"b": {
    "bucket": "gd-findings", "policy": "${data.aws_iam_policy_document.b.json}"}}}})";
  const Run cdktf = run({"check", (json_dir / "cdk.tf.json").string()});
  CHECK(cdktf.out.find("1 policy was judged in part") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a file of the setup that cannot be read leaves no 'exports' verdict, however passed") {
  // A link to nothing in the directory may be its key policy: scanned or beside a named file,
  // the same message and a setup that is not judged to export.
  const fs::path dir = fresh_dir("unreadable-sibling");
  const fs::path examples = gdl::test::source_dir() / "examples/correct";
  fs::copy_file(examples / "bucket-policy.json", dir / "bucket-policy.json");
  fs::copy_file(examples / "key-policy.json", dir / "key-policy.json");
  fs::create_symlink(dir / "missing.json", dir / "old-key-policy.json");
  for (const std::string& target :
       {dir.string(), (dir / "bucket-policy.json").string(), (dir / ".").string()}) {
    CAPTURE(target);
    const Run r = run({"check", "--format", "json", target});
    rapidjson::Document json;
    json.Parse(r.out.c_str());
    REQUIRE(!json.HasParseError());
    REQUIRE(json["setups"].Size() == 1);
    CHECK(std::string(json["setups"][0]["verdict"].GetString()) == "rejected");
    REQUIRE(json["inputErrors"].Size() == 1);
    CHECK(std::string(json["inputErrors"][0]["message"].GetString()) ==
          "a symbolic link to a file that does not exist");
  }
  fs::remove(dir / "old-key-policy.json");
  const Run clean = run({"check", "--format", "json", dir.string()});
  CHECK(clean.out.find("\"verdict\": \"exports\"") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a module's '../' source is resolved from where a linked directory really is") {
  // `check link/x` where link points into a repository: source = "../../" is the repository's
  // root module (as the system and Terraform resolve it), not the directory beside the link.
  const fs::path root = fresh_dir("linked-module");
  fs::create_directories(root / "repo/examples/x");
  fs::create_directories(root / "l");
  std::ofstream(root / "repo/main.tf") << R"(variable "bucket" { type = string }
resource "aws_s3_bucket_policy" "b" {
  bucket = var.bucket
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "guardduty.amazonaws.com" },
    Action = ["s3:GetBucketLocation", "s3:PutObject"],
    Resource = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*"] }] })
}
)";
  std::ofstream(root / "repo/examples/x/main.tf") << R"(module "logs" {
  source = "../../"
  bucket = "gd-findings"
}
)";
  // What a lexical "l/x/../../" would read instead: a Deny of everything GuardDuty does.
  std::ofstream(root / "decoy.tf") << R"(resource "aws_s3_bucket_policy" "p" {
  bucket = "decoy"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny",
    Principal = { Service = "guardduty.amazonaws.com" }, Action = "s3:*", Resource = "*" }] })
}
)";
  fs::create_directory_symlink(root / "repo/examples/x", root / "l/x");
  const Run linked = run({"check", "--format", "json", (root / "l/x").string()});
  const Run real = run({"check", "--format", "json", (root / "repo/examples/x").string()});
  for (const Run* r : {&linked, &real}) {
    rapidjson::Document json;
    json.Parse(r->out.c_str());
    REQUIRE(!json.HasParseError());
    CHECK(r->out.find("decoy") == std::string::npos);
    REQUIRE(json["setups"].Size() == 1);
    CHECK(std::string(json["setups"][0]["documents"][0].GetString()).ends_with("repo/main.tf"));
    CHECK(std::string(json["setups"][0]["verdict"].GetString()) != "fails");
  }
  fs::remove_all(root);
}
