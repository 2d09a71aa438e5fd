// Tests of `verify`: the string cells against brute force and the evaluator's own matchers, the
// request space against brute-force enumeration on small random policies, every witness of the
// real setups confirmed by the evaluator through simulate's request format, "nobody" proved on a
// hardened setup, and --against on tightenings and loosenings.

#include "analysis/verify.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "cli/cli.h"
#include "export/access.h"
#include "iam/cells.h"
#include "iam/evaluator.h"
#include "iam/request_json.h"
#include "iam/request_space.h"
#include "iam/wildcard.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "report/verify_report.h"
#include "test_support.h"
#include "util/text.h"

namespace {

using gdl::iam::CellPattern;

// A policy from text, kept alive with its source.
class Loaded {
 public:
  explicit Loaded(std::string text) : source_("policy.json", std::move(text)) {
    auto parsed = gdl::json::parse(source_);
    REQUIRE(parsed.root);
    auto built = gdl::policy::build_policy(*parsed.root, source_);
    REQUIRE(built.policy);
    policy_.emplace(std::move(*built.policy));
  }
  [[nodiscard]] const gdl::policy::Policy& policy() const { return *policy_; }

 private:
  gdl::SourceFile source_;
  std::optional<gdl::policy::Policy> policy_;
};

// The evaluator's own matching of one pattern (the reference the cells must agree with).
bool reference_matches(const CellPattern& p, std::string_view text) {
  switch (p.mode) {
    case CellPattern::Mode::literal:
      if (!p.fold_case) return p.text == text;
      return gdl::iam::Pattern::glob("", true).matches("") && p.text.size() == text.size() &&
             std::equal(p.text.begin(), p.text.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
             });
    case CellPattern::Mode::glob:
      return gdl::iam::Pattern::glob(p.text, p.fold_case).matches(text);
    case CellPattern::Mode::arn: {
      if (p.text == "*") return true;
      std::string_view pattern_parts[6];
      std::string_view text_parts[6];
      if (!gdl::iam::split_arn(p.text, pattern_parts)) return false;
      if (!gdl::iam::split_arn(text, text_parts)) return false;
      for (int i = 0; i < 6; ++i) {
        if (!gdl::iam::Pattern::glob(pattern_parts[i], false).matches(text_parts[i])) return false;
      }
      return true;
    }
  }
  return false;
}

void all_strings(std::string_view alphabet, std::size_t max_length,
                 const std::function<void(const std::string&)>& visit) {
  std::vector<std::string> level = {""};
  visit("");
  for (std::size_t n = 1; n <= max_length; ++n) {
    std::vector<std::string> next;
    for (const std::string& s : level) {
      for (const char c : alphabet) {
        next.push_back(s + c);
        visit(next.back());
      }
    }
    level = std::move(next);
  }
}

}  // namespace

TEST_CASE("string cells: every class brute force finds, with witnesses the evaluator agrees with") {
  std::mt19937 random(20261201);
  const std::string pattern_chars = "ab:*?A";
  // Short strings over the patterns' characters plus one they never mention.
  const std::string alphabet = "abA:z";
  for (int round = 0; round < 300; ++round) {
    std::vector<CellPattern> patterns;
    const int count = 1 + static_cast<int>(random() % 3);
    for (int i = 0; i < count; ++i) {
      CellPattern p;
      const int length = static_cast<int>(random() % 5);
      for (int k = 0; k < length; ++k) p.text += pattern_chars[random() % pattern_chars.size()];
      switch (random() % 4) {
        case 0:
          p.mode = CellPattern::Mode::literal;
          break;
        case 1:
          p.mode = CellPattern::Mode::arn;
          p.text = "a:" + p.text + "::b:" + p.text + ":*";
          break;
        default:
          p.mode = CellPattern::Mode::glob;
      }
      p.fold_case = p.mode != CellPattern::Mode::arn && random() % 3 == 0;
      patterns.push_back(p);
    }
    CAPTURE(patterns.size());
    CAPTURE(patterns.front().text);
    const gdl::iam::CellSet cells = gdl::iam::string_cells(patterns);
    REQUIRE(cells.complete);
    std::set<std::vector<bool>> found;
    for (const gdl::iam::Cell& cell : cells.cells) {
      // Each witness is in the class it stands for, by the evaluator's matchers.
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        CAPTURE(patterns[i].text);
        CAPTURE(cell.witness);
        CHECK(reference_matches(patterns[i], cell.witness) == cell.matches[i]);
        CHECK(gdl::iam::cell_pattern_matches(patterns[i], cell.witness) == cell.matches[i]);
      }
      found.insert(cell.matches);
    }
    const std::size_t max_length = patterns.front().mode == CellPattern::Mode::arn ? 9 : 6;
    all_strings(alphabet, std::min<std::size_t>(max_length, 7), [&](const std::string& s) {
      std::vector<bool> signature;
      for (const CellPattern& p : patterns) signature.push_back(reference_matches(p, s));
      if (!found.contains(signature)) {
        FAIL_CHECK("a class brute force reaches is missing: ", s);
        found.insert(signature);  // report each missing class once
      }
    });
  }
}

// A hostile pattern within a policy's size limit ("*a*a*a...b", 2,100 stars) makes every search
// state thousands of positions long: the search stops on its work bound (it took 22 s on its
// state bound alone), says it is incomplete, and what it found is still exact.
TEST_CASE("string cells: a search over hostile patterns stops on its work bound") {
  std::string hostile;
  for (int i = 0; i < 2100; ++i) hostile += "*a";
  const std::vector<CellPattern> patterns = {{hostile + "b", CellPattern::Mode::glob},
                                             {hostile + "c", CellPattern::Mode::glob}};
  const gdl::iam::CellSet cells = gdl::iam::string_cells(patterns);
  CHECK_FALSE(cells.complete);
  REQUIRE(!cells.cells.empty());
  for (const gdl::iam::Cell& cell : cells.cells) {
    for (std::size_t i = 0; i < patterns.size(); ++i)
      CHECK(cell.matches[i] == gdl::iam::cell_pattern_matches(patterns[i], cell.witness));
  }
}

TEST_CASE("string cells: a '?' beside a multi-byte character is not claimed complete") {
  // The search steps bytes; the evaluator's '?' is one character ("a?b" matches "a\u00e9b"):
  // the class needing that character at the '?' is not reached, so no proof is claimed.
  using gdl::iam::CellPattern;
  const gdl::iam::CellSet mixed = gdl::iam::string_cells(
      {{"b/a?b", CellPattern::Mode::glob}, {"b/*\u00e9*", CellPattern::Mode::glob}});
  CHECK_FALSE(mixed.complete);
  CHECK(mixed.incomplete_reason.find("UTF-8") != std::string::npos);
  // Either alone is searched as before.
  CHECK(gdl::iam::string_cells({{"b/a?b", CellPattern::Mode::glob}}).complete);
  CHECK(gdl::iam::string_cells({{"b/*\u00e9*", CellPattern::Mode::glob}}).complete);
}

TEST_CASE("string cells: required patterns bound the witnesses; preferred strings show classes") {
  gdl::iam::CellOptions options;
  options.required.push_back({"arn:aws:s3:::bkt/p/*", CellPattern::Mode::glob});
  options.preferred.push_back("arn:aws:s3:::bkt/p/AWSLogs/1/x.gz");
  const gdl::iam::CellSet cells =
      gdl::iam::string_cells({{"arn:aws:s3:::bkt/*", CellPattern::Mode::glob},
                              {"arn:aws:s3:::bkt/p/AWSLogs/*", CellPattern::Mode::glob},
                              {"arn:aws:s3:::other/*", CellPattern::Mode::glob}},
                             options);
  REQUIRE(cells.complete);
  // Inside the prefix: under AWSLogs/ or not; never in the other bucket.
  CHECK(cells.cells.size() == 2);
  CHECK(cells.cells.front().witness == "arn:aws:s3:::bkt/p/AWSLogs/1/x.gz");
  for (const gdl::iam::Cell& cell : cells.cells) {
    CHECK(cell.witness.starts_with("arn:aws:s3:::bkt/p/"));
    CHECK_FALSE(cell.matches[2]);
  }
}

namespace {

// A random policy over a small pool of principals, actions, resources and clauses.
std::string random_policy(std::mt19937& random) {
  const std::vector<std::string> principals = {R"("*")",
                                               R"({"AWS": "arn:aws:iam::111111111111:root"})",
                                               R"({"AWS": "222222222222"})",
                                               R"({"AWS": "arn:aws:iam::111111111111:role/Admin"})",
                                               R"({"Service": "guardduty.amazonaws.com"})",
                                               R"({"Service": "logs.amazonaws.com"})"};
  const std::vector<std::string> actions = {
      R"("s3:PutObject")", R"("s3:Get*")", R"("s3:*")",
      R"("kms:Decrypt")",  R"("*")",       R"(["s3:PutObject", "kms:*"])"};
  const std::vector<std::string> resources = {R"("*")", R"("arn:aws:s3:::b/*")",
                                              R"("arn:aws:s3:::b/p/*")", R"("arn:aws:s3:::c*")"};
  const std::vector<std::string> clauses = {
      R"("StringEquals": {"aws:SourceAccount": "111111111111"})",
      R"("StringNotEquals": {"aws:SourceAccount": ["111111111111", "222222222222"]})",
      R"("ArnLike": {"aws:SourceArn": "arn:aws:guardduty:*:111111111111:detector/*"})",
      R"("StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/A*"})",
      R"("StringEquals": {"aws:PrincipalAccount": "222222222222"})",
      R"("Bool": {"aws:SecureTransport": "false"})",
      R"("StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"})",
      R"("ForAnyValue:StringEquals": {"aws:CalledVia": "x.amazonaws.com"})",
      R"("ForAllValues:StringNotEquals": {"aws:CalledVia": ["y.amazonaws.com"]})",
      R"("NumericLessThan": {"s3:max-keys": "10"})",
      R"("Null": {"aws:SourceArn": "true"})",
      R"("StringEqualsIgnoreCase": {"aws:PrincipalServiceName": "LOGS.amazonaws.com"})"};
  std::vector<std::string> statements;
  const int count = 1 + static_cast<int>(random() % 3);
  for (int i = 0; i < count; ++i) {
    std::string condition;
    const int n = static_cast<int>(random() % 3);
    std::vector<std::string> chosen;
    for (int k = 0; k < n; ++k) {
      std::string c = clauses[random() % clauses.size()];
      // One key per operator: JSON objects cannot repeat the operator.
      const std::string op = c.substr(0, c.find(':'));
      if (std::any_of(chosen.begin(), chosen.end(),
                      [&](const std::string& x) { return x.starts_with(op); }))
        continue;
      chosen.push_back(c);
    }
    if (!chosen.empty())
      condition = fmt::format(R"(, "Condition": {{{}}})", fmt::join(chosen, ", "));
    statements.push_back(fmt::format(
        R"({{"Effect": "{}", "Principal": {}, "Action": {}, "Resource": {}{}}})",
        random() % 3 == 0 ? "Deny" : "Allow", principals[random() % principals.size()],
        actions[random() % actions.size()], resources[random() % resources.size()], condition));
  }
  return fmt::format(R"({{"Version": "2012-10-17", "Statement": [{}]}})",
                     fmt::join(statements, ", "));
}

// What a request does under a policy: the decision and which statements apply.
std::vector<bool> outcome(const gdl::iam::Evaluation& e) {
  std::vector<bool> out = {e.decision == gdl::iam::Decision::allow,
                           e.decision == gdl::iam::Decision::explicit_deny};
  for (const auto& t : e.statements) out.push_back(t.applies);
  return out;
}

// Every request of a finite universe that follows the request schema, by brute force.
void brute_force(const std::function<void(const gdl::iam::Request&)>& visit) {
  using gdl::iam::Request;
  using gdl::iam::RequestPrincipal;
  struct Who {
    RequestPrincipal principal;
    std::vector<std::pair<std::string, std::string>> tied;
  };
  std::vector<Who> who = {{{RequestPrincipal::Kind::anonymous, ""}, {}}};
  for (const char* service : {"guardduty.amazonaws.com", "logs.amazonaws.com", "x.amazonaws.com"}) {
    who.push_back({{RequestPrincipal::Kind::service, service},
                   {{"aws:PrincipalIsAWSService", "true"}, {"aws:PrincipalServiceName", service}}});
  }
  for (const char* account : {"111111111111", "222222222222", "333333333333"}) {
    for (const char* name : {"root", "role/Admin", "role/Auditor", "user/u"}) {
      const std::string arn = fmt::format("arn:aws:iam::{}:{}", account, name);
      who.push_back({{RequestPrincipal::Kind::aws, arn},
                     {{"aws:PrincipalAccount", account},
                      {"aws:PrincipalArn", arn},
                      {"aws:PrincipalIsAWSService", "false"}}});
    }
  }
  const std::vector<std::string> actions = {"s3:PutObject", "s3:GetObject", "s3:ListBucket",
                                            "kms:Decrypt", "ec2:RunInstances"};
  const std::vector<std::string> resources = {"arn:aws:s3:::b/x", "arn:aws:s3:::b/p/x",
                                              "arn:aws:s3:::c1", "arn:aws:s3:::d",
                                              "arn:aws:kms:us-east-1:111111111111:key/k"};
  using Values = std::vector<std::optional<std::vector<std::string>>>;  // nullopt: absent
  const Values accounts = {std::nullopt, std::vector<std::string>{"111111111111"},
                           std::vector<std::string>{"222222222222"}};
  const Values arns = {
      std::nullopt, std::vector<std::string>{"arn:aws:guardduty:us-east-1:111111111111:detector/d"},
      std::vector<std::string>{"arn:aws:guardduty:us-east-1:222222222222:detector/d"}};
  const Values tls = {std::vector<std::string>{"true"}, std::vector<std::string>{"false"}};
  const Values sse = {std::nullopt, std::vector<std::string>{"aws:kms"},
                      std::vector<std::string>{"AES256"}};
  const Values via = {std::nullopt, std::vector<std::string>{},
                      std::vector<std::string>{"x.amazonaws.com"},
                      std::vector<std::string>{"y.amazonaws.com"},
                      std::vector<std::string>{"x.amazonaws.com", "y.amazonaws.com"}};
  const Values max_keys = {std::nullopt, std::vector<std::string>{"5"},
                           std::vector<std::string>{"10"}};
  for (const Who& w : who) {
    const bool service = w.principal.kind == RequestPrincipal::Kind::service;
    const bool iam = w.principal.kind == RequestPrincipal::Kind::aws;
    for (const std::string& action : actions) {
      const bool s3 = action.starts_with("s3:");
      for (const std::string& resource : resources) {
        for (const auto& a : accounts) {
          if (a && !service) continue;
          for (const auto& n : arns) {
            if (n && !service) continue;
            for (const auto& t : tls) {
              for (const auto& e : sse) {
                if (e && action != "s3:PutObject") continue;
                for (const auto& v : via) {
                  if (v && !iam) continue;
                  for (const auto& m : max_keys) {
                    if (m && !s3) continue;
                    Request r;
                    r.principal = w.principal;
                    r.action = action;
                    r.resource = resource;
                    for (const auto& [key, value] : w.tied) r.set(key, value);
                    if (a) r.set("aws:SourceAccount", a->front());
                    if (n) r.set("aws:SourceArn", n->front());
                    r.set("aws:SecureTransport", t->front());
                    if (e) r.set("s3:x-amz-server-side-encryption", e->front());
                    if (v) r.set("aws:CalledVia", *v);
                    if (m) r.set("s3:max-keys", m->front());
                    visit(r);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("request space: every outcome brute force reaches on small random policies") {
  std::mt19937 random(4242);
  for (int round = 0; round < 40; ++round) {
    const std::string text = random_policy(random);
    CAPTURE(text);
    const Loaded loaded(text);
    const gdl::iam::Evaluator evaluator(loaded.policy());
    gdl::iam::SpaceSpec spec;
    spec.policies = {&loaded.policy()};
    std::set<std::vector<bool>> abstract;
    const gdl::iam::SpaceStats stats = gdl::iam::enumerate_requests(
        spec, [&](const gdl::iam::Request& r, std::span<const gdl::iam::Evaluation> e) {
          // Each representative is a request the evaluator treats as enumerated.
          CHECK(outcome(evaluator.evaluate(r, false)) == outcome(e.front()));
          abstract.insert(outcome(e.front()));
          return true;
        });
    REQUIRE(stats.complete);
    std::set<std::vector<bool>> missing;
    brute_force([&](const gdl::iam::Request& r) {
      const auto o = outcome(evaluator.evaluate(r, false));
      if (!abstract.contains(o) && missing.insert(o).second)
        FAIL_CHECK("an outcome brute force reaches is missing: ", gdl::iam::request_to_json(r));
    });
  }
}

namespace {

// Evaluates a witness the way `simulate --request` reads it.
gdl::iam::Decision simulate(const gdl::policy::Policy& policy, const gdl::iam::Request& request) {
  const std::string json = gdl::iam::request_to_json(request);
  const gdl::SourceFile source("request.json", json);
  auto parsed = gdl::json::parse(source);
  REQUIRE(parsed.root);
  auto read = gdl::iam::request_from_json(*parsed.root);
  REQUIRE(std::holds_alternative<gdl::iam::Request>(read));
  // As `simulate` reads a key or bucket policy (a statement without a Principal applies to no one).
  return gdl::iam::Evaluator(policy, gdl::iam::PolicyType::resource)
      .evaluate(std::get<gdl::iam::Request>(read), false)
      .decision;
}

gdl::analysis::VerifyRun verify_paths(std::vector<std::string> paths) {
  gdl::analysis::CheckRequest request;
  request.paths = std::move(paths);
  request.jobs = 1;
  return gdl::analysis::verify(request);
}

}  // namespace

TEST_CASE("verify: every witness on the real setups is confirmed by simulate") {
  // The real setups, and every export-setup fixture the rules keep (their failing and passing
  // cases: the mistakes a holdout would make).
  std::vector<std::filesystem::path> setups;
  for (const auto& entry :
       std::filesystem::directory_iterator(gdl::test::source_dir() / "testdata" / "realworld")) {
    if (entry.is_directory()) setups.push_back(entry.path());
  }
  for (const auto& rule :
       std::filesystem::directory_iterator(gdl::test::source_dir() / "testdata")) {
    if (!rule.is_directory() || !rule.path().filename().string().starts_with("GD")) continue;
    for (const auto& entry : std::filesystem::directory_iterator(rule.path())) {
      if (entry.is_directory() && std::filesystem::exists(entry.path() / "case.expect"))
        setups.push_back(entry.path());
    }
  }
  std::size_t witnesses = 0;
  std::set<gdl::exportcfg::AccessClass> classes;
  for (const auto& path : setups) {
    const std::filesystem::directory_entry entry(path);
    const gdl::analysis::VerifyRun run = verify_paths({entry.path().string()});
    for (const gdl::analysis::VerifiedDocument& doc : run.documents) {
      CAPTURE(doc.name);
      for (const gdl::exportcfg::AccessAnswer& answer : doc.access) {
        for (const gdl::exportcfg::AccessWitness& w : answer.found) {
          CAPTURE(gdl::iam::request_to_json(w.request));
          const gdl::iam::Decision decision = simulate(doc.policy, w.request);
          // The bucket policy leaves the account's own principals to their identity policies:
          // for them the witness shows that the bucket policy does not deny.
          if (w.statements.empty()) {
            CHECK(decision != gdl::iam::Decision::explicit_deny);
          } else {
            CHECK(decision == gdl::iam::Decision::allow);
          }
          CHECK(w.request.action == answer.action);
          ++witnesses;
          classes.insert(w.access_class);
        }
      }
    }
  }
  CHECK(witnesses > 100);
  // The real setups show each class the issue names: another service writing into AWSLogs/,
  // another account's GuardDuty, another account, plain HTTP and unencrypted uploads.
  for (const auto c :
       {gdl::exportcfg::AccessClass::other_service, gdl::exportcfg::AccessClass::other_guardduty,
        gdl::exportcfg::AccessClass::other_account, gdl::exportcfg::AccessClass::plain_http,
        gdl::exportcfg::AccessClass::unencrypted_upload}) {
    CAPTURE(gdl::exportcfg::to_string(c));
    CHECK(classes.contains(c));
  }
}

TEST_CASE("verify: a hardened setup is proved to let nobody else in") {
  const auto dir = gdl::test::source_dir() / "testdata" / "verify" / "hardened";
  const gdl::analysis::VerifyRun run =
      verify_paths({(dir / "bucket-policy.json").string(), (dir / "key-policy.json").string()});
  REQUIRE(run.documents.size() == 2);
  for (const gdl::analysis::VerifiedDocument& doc : run.documents) {
    CAPTURE(doc.name);
    for (const gdl::exportcfg::AccessAnswer& answer : doc.access) {
      CAPTURE(answer.action);
      CHECK(answer.complete);
      for (const auto& w : answer.found) {
        CAPTURE(gdl::exportcfg::to_string(w.access_class));
        CAPTURE(gdl::iam::request_to_json(w.request));
        CHECK(false);
      }
    }
    CHECK(doc.statements.complete);
    CHECK(doc.statements.findings.empty());
  }
}

// From the session-33 Terraform sweep: a principal known only once deployed matched nothing in
// the request space, and "nobody (proved)" was printed for a statement that was never tried.
TEST_CASE("verify: a principal known only when deployed leaves 'nobody' not proved") {
  const auto dir =
      gdl::test::source_dir() / "testdata" / "verify" / "tf-principal-known-when-deployed";
  const gdl::analysis::VerifyRun run = verify_paths({(dir / "main.tf").string()});
  REQUIRE(run.documents.size() == 1);
  for (const gdl::exportcfg::AccessAnswer& answer : run.documents.front().access) {
    CAPTURE(answer.action);
    CHECK_FALSE(answer.complete);
    CHECK(std::find(answer.incomplete.begin(), answer.incomplete.end(),
                    "a principal known only when deployed") != answer.incomplete.end());
  }
}

// From the session-33 Terraform sweep: the question's resource named the bucket by the stand-in
// it is checked with (awss3bucketlogs-...), as if it were the user's.
TEST_CASE("verify: a bucket named only when deployed is shown by its symbol") {
  const auto dir =
      gdl::test::source_dir() / "testdata" / "verify" / "tf-bucket-named-when-deployed";
  const gdl::analysis::VerifyRun run = verify_paths({(dir / "main.tf").string()});
  REQUIRE(run.documents.size() == 1);
  std::ostringstream text;
  gdl::write_verify_text(run, text);
  const std::string out = text.str();
  CAPTURE(out);
  CHECK(out.find("who else can s3:PutObject on arn:aws:s3:::${aws_s3_bucket.logs.id}/AWSLogs/") !=
        std::string::npos);
  // The witnesses keep the value (simulate runs them), and a line says what it stands for.
  CHECK(out.find(" for ${aws_s3_bucket.logs.id}") != std::string::npos);
}

TEST_CASE("verify: each mistake of the holdout-style fixtures is found with its witness") {
  const auto dir = gdl::test::source_dir() / "testdata" / "verify";
  struct Row {
    const char* file;  // a directory: the bucket policy with the mistake, the hardened key policy
    gdl::exportcfg::AccessClass expected;
    const char* action;
  };
  const Row rows[] = {
      {"log-delivery-writes-prefix", gdl::exportcfg::AccessClass::other_service, "s3:PutObject"},
      {"public-read", gdl::exportcfg::AccessClass::anonymous, "s3:GetObject"},
      {"other-account-delete", gdl::exportcfg::AccessClass::other_account, "s3:DeleteObject"},
      {"no-source-condition", gdl::exportcfg::AccessClass::other_guardduty, "s3:PutObject"},
      {"wildcard-own-account", gdl::exportcfg::AccessClass::own_by_wildcard, "s3:GetObject"},
  };
  for (const Row& row : rows) {
    const std::string name = row.file;
    CAPTURE(name);
    const gdl::analysis::VerifyRun run = verify_paths({(dir / row.file).string()});
    REQUIRE(run.documents.size() == 2);
    bool found = false;
    for (const auto& doc : run.documents) {
      for (const auto& answer : doc.access) {
        if (answer.action != row.action) continue;
        for (const auto& w : answer.found) {
          if (w.access_class != row.expected) continue;
          found = true;
          CHECK(simulate(doc.policy, w.request) == gdl::iam::Decision::allow);
        }
      }
    }
    CHECK(found);
  }
}

TEST_CASE("verify: dead statements, Allows a Deny always overrides, Denies only for services") {
  const Loaded loaded(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Live", "Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "Contradiction", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"},
     "StringNotLike": {"aws:SourceAccount": "1111*"}}},
    {"Sid": "Shadowed", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "DenyGet", "Effect": "Deny", "Principal": "*", "Action": "s3:Get*",
     "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "OnlyViaServices", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
     "Resource": "*", "Condition": {"ForAnyValue:StringNotEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}},
    {"Sid": "NeverMatchesKeyArn", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::b/*", "Condition": {"ArnLike": {"aws:SourceArn": "not-an-arn"}}}
  ]})");
  const gdl::exportcfg::StatementAnswer answer = gdl::exportcfg::verify_statements(loaded.policy());
  REQUIRE(answer.complete);
  using Kind = gdl::exportcfg::StatementFinding::Kind;
  std::vector<std::pair<std::size_t, Kind>> got;
  for (const auto& f : answer.findings) got.emplace_back(f.index, f.kind);
  const std::vector<std::pair<std::size_t, Kind>> expected = {{1, Kind::never_applies},
                                                              {2, Kind::allow_always_denied},
                                                              {4, Kind::deny_never_direct},
                                                              {5, Kind::never_applies}};
  CHECK(got == expected);
  CHECK(answer.findings[1].denied_by == std::vector<std::size_t>{3});
}

TEST_CASE("verify --against: tightenings add nothing, each loosening has a witness") {
  const char* base = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/p/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})";
  struct Row {
    const char* name;
    const char* after;
    bool loosens;
  };
  const Row rows[] = {
      {"the same policy", base, false},
      {"a narrower resource",
       R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/p/AWSLogs/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})",
       false},
      {"an added source ARN condition",
       R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/p/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"},
                   "ArnLike": {"aws:SourceArn": "arn:aws:guardduty:*:111111111111:detector/*"}}},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})",
       false},
      {"the source condition dropped",
       R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/p/*"},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})",
       true},
      {"the HTTPS Deny dropped",
       R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/p/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}]})",
       true},
      {"a wider action",
       R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
     "Action": "s3:*", "Resource": "arn:aws:s3:::b/p/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})",
       true},
  };
  const Loaded before(base);
  for (const Row& row : rows) {
    const std::string name = row.name;
    CAPTURE(name);
    const Loaded after(row.after);
    const gdl::exportcfg::ChangeAnswer answer =
        gdl::exportcfg::verify_change(before.policy(), after.policy(), {});
    CHECK(answer.complete);
    CHECK(answer.loosened.empty() == !row.loosens);
    for (const auto& l : answer.loosened) {
      CAPTURE(gdl::iam::request_to_json(l.request));
      const auto old_decision = simulate(before.policy(), l.request);
      const auto new_decision = simulate(after.policy(), l.request);
      if (l.newly_allowed) {
        CHECK(new_decision == gdl::iam::Decision::allow);
        CHECK(old_decision != gdl::iam::Decision::allow);
      } else {
        CHECK(old_decision == gdl::iam::Decision::explicit_deny);
        CHECK(new_decision != gdl::iam::Decision::explicit_deny);
      }
    }
  }
}

TEST_CASE("verify --against git:REV compares a file with its committed version") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-verify-git-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path fixtures = gdl::test::source_dir() / "testdata" / "verify";
  fs::copy_file(fixtures / "hardened" / "bucket-policy.json", dir / "bucket-policy.json");
  fs::copy_file(fixtures / "hardened" / "key-policy.json", dir / "key-policy.json");
  const std::string git = fmt::format(
      "cd '{}' && git init -q && git -c user.email=t@example.com -c user.name=t add . && git -c "
      "user.email=t@example.com -c user.name=t commit -qm base",
      dir.string());
  if (std::system((git + " > /dev/null 2>&1").c_str()) != 0) {
    MESSAGE("git is not available: --against git:REV not tested");
    fs::remove_all(dir);
    return;
  }
  auto run = [&](const fs::path& bucket) {
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    const int code = gdl::cli::run_cli(
        {"gd-export-lint", "verify", bucket.string(), (dir / "key-policy.json").string(),
         "--against", "git:HEAD", "--format", "json"},
        in, out, err, false);
    return std::make_pair(code, out.str());
  };
  // Unchanged: nothing new, proved.
  auto [same_code, same] = run(dir / "bucket-policy.json");
  CHECK(same_code == 0);
  CHECK(same.find("\"loosened\": []") != std::string::npos);
  CHECK(same.find("newly-allowed") == std::string::npos);
  // The source condition dropped from GuardDuty's grant: another account's GuardDuty is newly
  // allowed, and the witness says so.
  fs::copy_file(fixtures / "no-source-condition" / "bucket-policy.json", dir / "bucket-policy.json",
                fs::copy_options::overwrite_existing);
  auto [loose_code, loose] = run(dir / "bucket-policy.json");
  CHECK(loose_code == 1);
  CHECK(loose.find("newly-allowed") != std::string::npos);
  // The user's file is never modified.
  CHECK(gdl::test::read_file(dir / "bucket-policy.json") ==
        gdl::test::read_file(fixtures / "no-source-condition" / "bucket-policy.json"));
  fs::remove_all(dir);
}

TEST_CASE("a hostile policy past the budgets is 'not proved' with the reason, never 'nobody'") {
  // Many overlapping wildcards: the string search stops at its state budget.
  std::vector<CellPattern> patterns;
  for (int i = 0; i < 12; ++i) {
    patterns.push_back(
        {fmt::format("*a{}*b*{}?*", std::string(static_cast<std::size_t>(i), 'a'), i),
         CellPattern::Mode::glob});
  }
  gdl::iam::CellOptions options;
  options.state_budget = 200;
  const gdl::iam::CellSet cells = gdl::iam::string_cells(patterns, options);
  CHECK_FALSE(cells.complete);

  // Many keys in one statement: the product of their values passes the evaluation budget.
  std::string conditions;
  for (int i = 0; i < 8; ++i) {
    conditions +=
        fmt::format(R"({}"aws:PrincipalTag/t{}": ["a*", "b*", "ab", "c"])", i == 0 ? "" : ", ", i);
  }
  const Loaded loaded(fmt::format(R"({{"Version": "2012-10-17", "Statement": [
    {{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
      "Condition": {{"StringLike": {{{}}}}}}}]}})",
                                  conditions));
  gdl::iam::SpaceSpec spec;
  spec.policies = {&loaded.policy()};
  spec.budget = 2000;
  bool allowed = false;
  const gdl::iam::SpaceStats stats = gdl::iam::enumerate_requests(
      spec, [&](const gdl::iam::Request&, std::span<const gdl::iam::Evaluation> e) {
        allowed = allowed || e.front().decision == gdl::iam::Decision::allow;
        return true;
      });
  CHECK_FALSE(stats.complete);
  CHECK(stats.evaluated <= spec.budget);
  REQUIRE_FALSE(stats.incomplete.empty());
  CHECK(stats.incomplete.front().find("budget") != std::string::npos);
}

namespace {

// Runs the CLI on one bucket policy in a directory of its own; returns the exit code and output.
std::pair<int, std::string> run_on(const std::string& policy, std::vector<std::string> args) {
  namespace fs = std::filesystem;
  static int serial = 0;
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("gdl-verify-{}-{}", ::getpid(), ++serial);
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "bucket-policy.json");
    out << policy;
  }
  args.insert(args.begin(), "gd-export-lint");
  args.push_back(dir.string());
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  const int code = gdl::cli::run_cli(args, in, out, err, false);
  fs::remove_all(dir);
  return {code, out.str()};
}

// The answer verify gives for one class and action: "nobody", "not-proved" or "reachable".
std::string answer_of(const std::string& json, const std::string& action, const std::string& cls) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  for (const auto& doc : d["documents"].GetArray()) {
    for (const auto& a : doc["access"].GetArray()) {
      if (a["action"].GetString() != action) continue;
      for (const auto& c : a["classes"].GetArray()) {
        if (c["class"].GetString() == cls) return c["answer"].GetString();
      }
    }
  }
  return "absent";
}

constexpr const char* kGuardDutyGrant =
    R"({"Sid":"GD","Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}})";

}  // namespace

TEST_CASE("verify: defects found in review stay fixed") {
  struct Row {
    const char* name;
    const char* statements;  // after GuardDuty's grant
    const char* action;
    const char* access_class;
    const char* not_expected;  // the answer that would be wrong
  };
  const Row rows[] = {
      {"a PrincipalArn pattern of fewer than six components is not a proof of nobody",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::9999*"}}})",
       "s3:GetObject", "other-account", "nobody"},
      {"StringEqualsIgnoreCase on aws:PrincipalArn folds case",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringEqualsIgnoreCase":{"aws:PrincipalArn":"arn:aws:iam::444455556666:role/SECOPS"}}},
          {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:role/SECOPS"}}})",
       "s3:GetObject", "other-account", "nobody"},
      {"a principal whose account is not 12 digits (a CloudFront origin access identity)",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*"})",
       "s3:GetObject", "other-account", "nobody"},
      {"an assumed-role session's aws:PrincipalArn is its role's",
       R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::444455556666:assumed-role/Auditor/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*"},
          {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringNotEquals":{"aws:PrincipalArn":["arn:aws:iam::444455556666:role/Auditor","arn:aws:iam::123456789012:role/Admin"]}}})",
       "s3:GetObject", "other-account", "nobody"},
      {"a CanonicalUser grant makes the answer 'not proved'",
       R"({"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*"})",
       "s3:GetObject", "other-account", "nobody"},
      {"patterns that mention every usual fresh character",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringLike":{"aws:UserAgent":"?"}}},
          {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringEquals":{"aws:UserAgent":[":","x","0","y","z","q","X","Q","-","_"]}}})",
       "s3:GetObject", "anonymous", "nobody"},
      {"a key compared as a string and as a number",
       R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringLike":{"aws:UserAgent":"1*"},"NumericGreaterThan":{"aws:UserAgent":"5"}}})",
       "s3:GetObject", "anonymous", "nobody"},
      {"GuardDuty's source keys name one account",
       R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::B/P/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},"ArnLike":{"aws:SourceArn":"arn:aws:guardduty:*:*:detector/*"}}})",
       "s3:PutObject", "other-guardduty", "reachable"},
      {"a service writing for the owner's own account elsewhere in a shared bucket",
       R"({"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::B/s3-access-logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}})",
       "s3:PutObject", "other-service", "reachable"},
  };
  for (const Row& row : rows) {
    const std::string name = row.name;
    CAPTURE(name);
    const std::string policy = fmt::format(R"({{"Version":"2012-10-17","Statement":[{},{}]}})",
                                           kGuardDutyGrant, row.statements);
    const auto [code, out] =
        run_on(policy, {"verify", "--kind", "bucket", "--bucket", "B", "--prefix", "P", "--account",
                        "123456789012", "--format", "json"});
    REQUIRE(code != 2);
    CHECK(answer_of(out, row.action, row.access_class) != row.not_expected);
  }
}

// A central bucket (owner 210987654321) that member 123456789012 exports to: the member's
// GuardDuty writing, and its roles reading, its own findings are the export itself; its reach
// into another member's findings, and anything when the exporting account is not given, is
// someone else's access (relative to the owner).
TEST_CASE("verify: in another account's bucket, the exporter's own findings are not counted") {
  struct Row {
    const char* name;
    const char* statements;
    bool exporter_given;
    const char* action;
    const char* access_class;
    const char* expected;
  };
  constexpr const char* kOwnRead =
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/Reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/AWSLogs/123456789012/*"})";
  constexpr const char* kEveryRead =
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/Reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::B/P/AWSLogs/*"})";
  constexpr const char* kOwnWrite =
      R"({"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::B/P/AWSLogs/123456789012/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}})";
  const Row rows[] = {
      {"its role reads its own findings", kOwnRead, true, "s3:GetObject", "other-account",
       "nobody"},
      {"its role reads every member's findings", kEveryRead, true, "s3:GetObject", "other-account",
       "reachable"},
      {"its GuardDuty writes its own findings", kOwnWrite, true, "s3:PutObject", "other-guardduty",
       "nobody"},
      {"the exporting account not given: its role is another account", kOwnRead, false,
       "s3:GetObject", "other-account", "reachable"},
  };
  for (const Row& row : rows) {
    const std::string name = row.name;
    CAPTURE(name);
    const std::string policy =
        fmt::format(R"({{"Version":"2012-10-17","Statement":[{}]}})", row.statements);
    std::vector<std::string> args = {"verify", "--kind",           "bucket",      "--bucket",
                                     "B",      "--prefix",         "P",           "--format",
                                     "json",   "--bucket-account", "210987654321"};
    if (row.exporter_given) {
      args.emplace_back("--account");
      args.emplace_back("123456789012");
    }
    const auto [code, out] = run_on(policy, args);
    REQUIRE(code != 2);
    CHECK(answer_of(out, row.action, row.access_class) == row.expected);
    // Said once for the document (the same for its three questions), only when it leaves
    // something out.
    std::size_t said = 0;
    for (std::size_t at = out.find("\"notCounted\""); at != std::string::npos;
         at = out.find("\"notCounted\"", at + 1))
      ++said;
    CHECK(said == (row.exporter_given ? 1U : 0U));
  }
}

TEST_CASE("GD111 and GD313: no finding on ordinary policies the review found flagged") {
  const char* policies[] = {
      // s3:Put* with the encryption header: the header comes with PutObject.
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:Put*","Resource":"arn:aws:s3:::B/incoming/*","Condition":{"StringEquals":{"aws:PrincipalAccount":["444455556666"],"s3:x-amz-server-side-encryption":"aws:kms"}}}]})",
      // GovCloud: the policy's own partition.
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws-us-gov:s3:::B/P/*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws-us-gov:iam::123456789012:role/Auditor"}}}]})",
      // A shared log bucket: S3 server access logs for the owner, elsewhere in the bucket.
      R"({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:GetBucketLocation","Resource":"arn:aws:s3:::central-logs","Condition":{"StringEquals":{"aws:SourceAccount":"210987654321"}}},
        {"Effect":"Allow","Principal":{"Service":"guardduty.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::central-logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"210987654321"}}},
        {"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::central-logs/s3-access-logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"210987654321"}}}]})",
  };
  for (const char* policy : policies) {
    CAPTURE(policy);
    const auto [code, out] = run_on(policy, {"check", "--kind", "bucket", "--format", "json"});
    CHECK(code != 2);
    CHECK(out.find("GD111") == std::string::npos);
    CHECK(out.find("GD313") == std::string::npos);
  }
}

// Found by a robustness sweep: documents of one kind were paired in order, so a sibling read by
// both runs was compared with itself ("grants nothing new (proved)") while the changed file was
// never compared; and a --against that held no policy dropped the comparison without a word.
TEST_CASE("verify --against pairs by file, lists what it could not pair, refuses unread input") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-verify-pair-{}", ::getpid());
  fs::remove_all(dir);
  const fs::path fixtures = gdl::test::source_dir() / "testdata" / "verify";
  for (const char* side : {"old", "new", "other"}) {
    fs::create_directories(dir / side);
    fs::copy_file(fixtures / "hardened" / "key-policy.json", dir / side / "key-policy.json");
  }
  fs::copy_file(fixtures / "hardened" / "bucket-policy.json", dir / "old" / "a.json");
  fs::copy_file(fixtures / "no-source-condition" / "bucket-policy.json", dir / "new" / "a.json");
  fs::copy_file(fixtures / "hardened" / "bucket-policy.json", dir / "other" / "bucket.json");
  auto run = [&](std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    args.insert(args.begin(), {"gd-export-lint", "verify", "--format", "json"});
    const int code = gdl::cli::run_cli(args, in, out, err, false);
    return std::make_tuple(code, out.str(), err.str());
  };
  const std::string old_a = (dir / "old" / "a.json").string();
  {
    std::ofstream(dir / "empty.json") << "{}";
    const auto [code, out, err] =
        run({(dir / "new" / "a.json").string(), "--against", (dir / "empty.json").string()});
    CHECK(code == 2);
    CHECK(err.find("--against") != std::string::npos);
    CHECK(out.empty());
  }
  {
    // Nothing to verify: exit 2, and the machine-readable format is still a document.
    const auto [code, out, err] = run({(dir / "empty.json").string()});
    CHECK(code == 2);
    rapidjson::Document parsed;
    parsed.Parse(out.c_str());
    REQUIRE_FALSE(parsed.HasParseError());
    CHECK(parsed["documents"].Empty());
  }
  {
    // Each file with its namesake (the key policies are siblings both runs read).
    const auto [code, out, err] = run({(dir / "new" / "a.json").string(), "--against", old_a});
    CHECK(code == 1);
    CHECK(out.find("\"against\": \"" + old_a + "\"") != std::string::npos);
    CHECK(out.find("newly-allowed") != std::string::npos);
    CHECK(out.find("\"unpaired\": []") != std::string::npos);
  }
  {
    // Another setup named beside it: its documents have no counterpart and are listed as such,
    // and the changed file is still compared with its own old version.
    const auto [code, out, err] =
        run({(dir / "new" / "a.json").string(), (dir / "other" / "key-policy.json").string(),
             "--against", old_a});
    CHECK(code == 1);
    CHECK(out.find("\"against\": \"" + old_a + "\"") != std::string::npos);
    CHECK(out.find("newly-allowed") != std::string::npos);
    const std::size_t unpaired = out.find("\"unpaired\"");
    REQUIRE(unpaired != std::string::npos);
    CHECK(out.find((dir / "other" / "bucket.json").string(), unpaired) != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE(
    "verify: of a directory of several exports, a named file's export; a shared key once per "
    "export") {
  // Two exports (prod, dev) share one key policy. `verify FILE` verifies what `check FILE`
  // checks: the file's export only. A key policy proved differently in each export (GuardDuty of
  // the other export's account is someone else for each) is shown once per export, named with
  // the export's other files; the same answers would be shown once.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gdl-verify-exports-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [name, account] : {std::pair{"prod", "111122223333"}, {"dev", "444455556666"}}) {
    std::ofstream(dir / fmt::format("{}-bucket.json", name)) << fmt::format(
        R"({{"Version": "2012-10-17", "Statement": [
 {{"Effect": "Allow", "Principal": {{"Service": "guardduty.amazonaws.com"}},
  "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::{0}-gd-findings-{1}",
  "Condition": {{"StringEquals": {{"aws:SourceAccount": "{1}"}}}}}},
 {{"Effect": "Allow", "Principal": {{"Service": "guardduty.amazonaws.com"}},
  "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{0}-gd-findings-{1}/*",
  "Condition": {{"StringEquals": {{"aws:SourceAccount": "{1}"}}}}}}]}})",
        name, account);
  }
  const std::string key = R"({"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "kms:*",
  "Resource": "*"},
 {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
  "Action": "kms:GenerateDataKey", "Resource": "*",
  "Condition": {"StringEquals": {"aws:SourceAccount": ["111122223333", "444455556666"]}}}]})";
  std::ofstream(dir / "key.json") << key;
  auto documents_verified = [](std::vector<std::string> args) {
    args.insert(args.begin(), "gd-export-lint");
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    const int code = gdl::cli::run_cli(args, in, out, err, false);
    CHECK(code != 2);
    std::vector<std::string> names;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.front() != ' ') names.push_back(line);
    }
    return names;
  };
  const std::string prod = (dir / "prod-bucket.json").string();
  const std::string dev = (dir / "dev-bucket.json").string();
  const std::string shared = (dir / "key.json").string();
  CHECK(documents_verified({"verify", prod}) ==
        std::vector<std::string>{shared + ": key policy", prod + ": bucket policy"});
  CHECK(documents_verified({"verify", dir.string()}) ==
        std::vector<std::string>{
            dev + ": bucket policy",
            shared + " (in the export with " + dev + "): key policy",
            shared + " (in the export with " + prod + "): key policy",
            prod + ": bucket policy",
        });
  // A third export in prod's account: the key is proved for it as for prod, and shown once for
  // both.
  std::string qa_bucket = gdl::test::read_file(dir / "prod-bucket.json");
  gdl::replace_all(qa_bucket, "prod-gd-findings", "qa-gd-findings");
  std::ofstream(dir / "qa-bucket.json") << qa_bucket;
  const std::string qa = (dir / "qa-bucket.json").string();
  CHECK(documents_verified({"verify", dir.string()}) ==
        std::vector<std::string>{
            dev + ": bucket policy",
            shared + " (in the export with " + dev + "): key policy",
            shared + " (in the exports with " + prod + "; " + qa + "): key policy",
            prod + ": bucket policy",
            qa + ": bucket policy",
        });
  // Proved the same for every export (no source condition): shown once.
  std::ofstream(dir / "key.json") << R"({"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
  "Action": "kms:GenerateDataKey", "Resource": "*"}]})";
  const std::vector<std::string> once = documents_verified({"verify", dir.string()});
  CHECK(std::count(once.begin(), once.end(), shared + ": key policy") == 1);
  CHECK(once.size() == 4);
  fs::remove_all(dir);
}
