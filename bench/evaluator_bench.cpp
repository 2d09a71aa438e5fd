// Microbenchmark: how long does each stage take for a ~20 KB GuardDuty export bucket policy?
//
//   1. a bare RapidJSON SAX parse of the text (the baseline: no tree, no locations)
//   2. gdl::json::parse (located tree, duplicate-key and encoding checks)
//   3. gdl::policy::build_policy (typed model and structural diagnostics)
//   4. gdl::iam::Evaluator construction (patterns compiled once per policy)
//   5. Evaluator::evaluate for one GuardDuty s3:PutObject request (with reasons)
//   6. the same without explanations (decision, deciding statements, failing elements)
//
// Every stage is repeated and the median is reported (the minimum too, as a noise check).
// Build with -DCMAKE_BUILD_TYPE=Release -DGDL_BUILD_BENCH=ON; see bench/README.md.

#include <fmt/format.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "iam/evaluator.h"
#include "json/parser.h"
#include "policy/builder.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kBucket = "gd-findings-bucket";
constexpr const char* kAccount = "111122223333";
constexpr const char* kKeyArn =
    "arn:aws:kms:us-east-1:111122223333:key/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
constexpr const char* kDetector =
    "arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789ab";

// Keeps results observable so the optimizer cannot drop the measured work.
volatile std::size_t g_sink = 0;

// The GuardDuty statements from AWS's export guide, followed by filler statements of the shapes
// people add to such buckets (team prefixes, IP and date restrictions, deny guards), until the
// policy is at least `target_bytes` long. The request below is allowed by statement 1 and must get
// past every other statement, so each one is evaluated up to the element that rejects it.
std::string make_policy(std::size_t target_bytes) {
  std::vector<std::string> statements;
  statements.push_back(fmt::format(
      R"({{"Sid":"AllowGetBucketLocation","Effect":"Allow","Principal":{{"Service":"guardduty.amazonaws.com"}},)"
      R"("Action":"s3:GetBucketLocation","Resource":"arn:aws:s3:::{0}",)"
      R"("Condition":{{"StringEquals":{{"aws:SourceAccount":"{1}"}},"StringLike":{{"aws:SourceArn":"{2}"}}}}}})",
      kBucket, kAccount, kDetector));
  statements.push_back(fmt::format(
      R"({{"Sid":"AllowPutObject","Effect":"Allow","Principal":{{"Service":"guardduty.amazonaws.com"}},)"
      R"("Action":"s3:PutObject","Resource":"arn:aws:s3:::{0}/AWSLogs/*",)"
      R"("Condition":{{"StringEquals":{{"aws:SourceAccount":"{1}"}},"ArnLike":{{"aws:SourceArn":"arn:aws:guardduty:*:${{aws:SourceAccount}}:detector/*"}}}}}})",
      kBucket, kAccount));
  statements.push_back(fmt::format(
      R"({{"Sid":"DenyUnencryptedUploadsThis","Effect":"Deny","Principal":{{"Service":"guardduty.amazonaws.com"}},)"
      R"("Action":"s3:PutObject","Resource":"arn:aws:s3:::{0}/*",)"
      R"("Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}}}}}})",
      kBucket));
  statements.push_back(fmt::format(
      R"({{"Sid":"DenyIncorrectHeader","Effect":"Deny","Principal":{{"Service":"guardduty.amazonaws.com"}},)"
      R"("Action":"s3:PutObject","Resource":"arn:aws:s3:::{0}/*",)"
      R"("Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption-aws-kms-key-id":"{1}"}}}}}})",
      kBucket, kKeyArn));
  statements.push_back(fmt::format(
      R"({{"Sid":"DenyNon-HTTPS","Effect":"Deny","Principal":"*","Action":"s3:*",)"
      R"("Resource":"arn:aws:s3:::{0}/*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}})",
      kBucket));
  std::size_t size = 0;
  for (const auto& s : statements) size += s.size() + 1;
  for (int i = 0; size < target_bytes; ++i) {
    std::string s;
    switch (i % 4) {
      case 0:  // an Allow for another principal: rejected at Principal
        s = fmt::format(
            R"({{"Sid":"TeamRead{0}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::4444555566{0:02}:role/reader-{0}"}},)"
            R"("Action":["s3:GetObject","s3:List*"],"Resource":["arn:aws:s3:::{1}/team-{0}/*","arn:aws:s3:::{1}"],)"
            R"("Condition":{{"StringLike":{{"aws:PrincipalTag/team":"team-{0}*"}},"IpAddress":{{"aws:SourceIp":["10.{0}.0.0/16","2001:db8:{0}::/48"]}}}}}})",
            i, kBucket);
        break;
      case 1:  // a Deny on other actions: rejected at Action
        s = fmt::format(
            R"({{"Sid":"DenyDelete{0}","Effect":"Deny","Principal":"*","Action":["s3:Delete*","s3:PutBucket*","s3:PutLifecycle?onfiguration"],)"
            R"("Resource":["arn:aws:s3:::{1}","arn:aws:s3:::{1}/*"],)"
            R"("Condition":{{"ArnNotLike":{{"aws:PrincipalArn":"arn:aws:iam::{2}:role/admin-{0}-*"}}}}}})",
            i, kBucket, kAccount);
        break;
      case 2:  // a Deny on other prefixes: rejected at Resource
        s = fmt::format(
            R"({{"Sid":"DenyRestricted{0}","Effect":"Deny","Principal":"*","Action":"s3:*Object*",)"
            R"("Resource":"arn:aws:s3:::{1}/restricted-{0}/*",)"
            R"("Condition":{{"DateGreaterThan":{{"aws:CurrentTime":"2027-0{2}-01T00:00:00Z"}}}}}})",
            i, kBucket, 1 + i % 9);
        break;
      default:  // a Deny for GuardDuty that reaches its conditions and is rejected there
        s = fmt::format(
            R"({{"Sid":"DenyWrongSource{0}","Effect":"Deny","Principal":{{"Service":"guardduty.amazonaws.com"}},)"
            R"("Action":"s3:PutObject","Resource":"arn:aws:s3:::{1}/*",)"
            R"("Condition":{{"StringEquals":{{"aws:SourceAccount":"{2}"}},"StringNotLike":{{"aws:SourceArn":["arn:aws:guardduty:*:{2}:detector/*","arn:aws:guardduty:*:{2}:detector/x{0}*"]}},)"
            R"("ForAnyValue:StringEquals":{{"aws:TagKeys":["blocked-{0}"]}},"NumericLessThanIfExists":{{"s3:max-keys":"{0}"}}}}}})",
            i, kBucket, kAccount);
        break;
    }
    size += s.size() + 1;
    statements.push_back(std::move(s));
  }
  std::string policy = R"({"Version":"2012-10-17","Id":"GuardDutyExportBench","Statement":[)";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (i != 0) policy += ",\n";
    policy += statements[i];
  }
  policy += "]}\n";
  return policy;
}

gdl::iam::Request make_request() {
  gdl::iam::Request r;
  r.principal = {gdl::iam::RequestPrincipal::Kind::service, "guardduty.amazonaws.com"};
  r.action = "s3:PutObject";
  r.resource = fmt::format(
      "arn:aws:s3:::{}/AWSLogs/{}/GuardDuty/us-east-1/2026/11/24/"
      "0f1e2d3c-aaaa-bbbb-cccc-000011112222.jsonl.gz",
      kBucket, kAccount);
  r.set("aws:SourceAccount", kAccount);
  r.set("aws:SourceArn", kDetector);
  r.set("aws:SecureTransport", "true");
  r.set("s3:x-amz-server-side-encryption", "aws:kms");
  r.set("s3:x-amz-server-side-encryption-aws-kms-key-id", kKeyArn);
  return r;
}

struct Result {
  double median_ns = 0;
  double min_ns = 0;
  std::size_t samples = 0;
  std::size_t per_sample = 1;
};

// Runs `body` `batch` times per sample, `samples` times, after a short warm-up.
template <typename Body>
Result measure(std::size_t samples, std::size_t batch, Body&& body) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, samples / 10); ++i) body();
  std::vector<double> ns;
  ns.reserve(samples);
  for (std::size_t s = 0; s < samples; ++s) {
    const auto start = Clock::now();
    for (std::size_t b = 0; b < batch; ++b) body();
    const auto stop = Clock::now();
    ns.push_back(std::chrono::duration<double, std::nano>(stop - start).count() /
                 static_cast<double>(batch));
  }
  std::sort(ns.begin(), ns.end());
  return {ns[ns.size() / 2], ns.front(), samples, batch};
}

std::string human(double ns) {
  if (ns < 1e3) return fmt::format("{:.0f} ns", ns);
  if (ns < 1e6) return fmt::format("{:.1f} us", ns / 1e3);
  return fmt::format("{:.2f} ms", ns / 1e6);
}

void row(const char* stage, const Result& r) {
  fmt::print("{:<40} {:>12} {:>12} {:>10}\n", stage, human(r.median_ns), human(r.min_ns),
             r.samples * r.per_sample);
}

// A SAX handler that accepts everything: the baseline pays only for tokenizing.
struct NullHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, NullHandler> {
  std::size_t events = 0;
  bool Default() {
    ++events;
    return true;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t target = 20 * 1024;
  if (argc > 1) target = static_cast<std::size_t>(std::strtoul(argv[1], nullptr, 10));
  const std::string text = make_policy(target);
  const gdl::SourceFile source("bench-bucket-policy.json", text);

  // One untimed pass to check the input and to print what is being measured.
  auto parsed = gdl::json::parse(source);
  if (!parsed.root || !parsed.diagnostics.empty()) {
    std::fprintf(stderr, "generated policy does not parse cleanly\n");
    return 1;
  }
  auto built = gdl::policy::build_policy(*parsed.root, source);
  if (!built.policy) {
    std::fprintf(stderr, "generated policy could not be built\n");
    return 1;
  }
  const gdl::iam::Request request = make_request();
  const gdl::iam::Evaluator evaluator(*built.policy);
  const gdl::iam::Evaluation check = evaluator.evaluate(request);
  if (check.decision != gdl::iam::Decision::allow) {
    std::fprintf(stderr, "unexpected decision %s\n",
                 std::string(gdl::iam::to_string(check.decision)).c_str());
    return 1;
  }
  std::size_t conditions = 0;
  for (const auto& s : built.policy->statements) conditions += s.conditions.size();
  fmt::print("policy: {} bytes, {} statements, {} condition clauses; build diagnostics: {}\n",
             text.size(), built.policy->statements.size(), conditions, built.diagnostics.size());
  fmt::print("request: guardduty.amazonaws.com s3:PutObject -> {} (deciding statement {})\n\n",
             gdl::iam::to_string(check.decision), check.deciding.front());

  fmt::print("{:<40} {:>12} {:>12} {:>10}\n", "stage", "median", "min", "runs");
  fmt::print("{:-<40} {:->12} {:->12} {:->10}\n", "", "", "", "");

  row("1. RapidJSON Reader (SAX, baseline)", measure(400, 1, [&] {
        NullHandler handler;
        rapidjson::Reader reader;
        rapidjson::StringStream stream(text.c_str());
        reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
        g_sink = g_sink + handler.events;
      }));
  row("2. gdl::json::parse", measure(400, 1, [&] {
        auto r = gdl::json::parse(source);
        g_sink = g_sink + r.root->members.size();
      }));
  row("3. gdl::policy::build_policy", measure(400, 1, [&] {
        auto r = gdl::policy::build_policy(*parsed.root, source);
        g_sink = g_sink + r.policy->statements.size();
      }));
  row("4. gdl::iam::Evaluator construction", measure(400, 1, [&] {
        const gdl::iam::Evaluator e(*built.policy);
        g_sink = g_sink + 1;
      }));
  row("5. Evaluator::evaluate (one request)", measure(2000, 50, [&] {
        const auto e = evaluator.evaluate(request);
        g_sink = g_sink + e.deciding.size();
      }));
  row("6. evaluate without explanations", measure(2000, 50, [&] {
        const auto e = evaluator.evaluate(request, false);
        g_sink = g_sink + e.deciding.size();
      }));
  return 0;
}
