#include "export/generate.h"

#include <fmt/format.h>

#include <algorithm>

#include "export/setup.h"

namespace gdl::exportcfg {

namespace {

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

class Generator {
 public:
  Generator(const ExportSettings& settings, GeneratedSetup& out) : s_(settings), out_(out) {}

  // The value of `v`, or its placeholder (listed once).
  std::string value(const Value& v, std::string_view placeholder, std::string_view flag) {
    if (v.known() && !v.origin.stand_in) return v.get();
    placeholder_used(placeholder, flag);
    return std::string(placeholder);
  }

  void placeholder_used(std::string_view placeholder, std::string_view flag) {
    const bool listed = std::any_of(out_.placeholders.begin(), out_.placeholders.end(),
                                    [&](const Placeholder& p) { return p.text == placeholder; });
    if (!listed) out_.placeholders.push_back({std::string(placeholder), std::string(flag)});
  }

  std::vector<std::string> regions() {
    if (!s_.regions.empty() && !s_.regions_origin.stand_in) return s_.regions;
    placeholder_used("<REGION>", "--region");
    return {"<REGION>"};
  }

  // GuardDuty's service principals: the global one, and the regional one of each opt-in Region.
  std::vector<std::string> principals() {
    std::vector<std::string> names;
    for (const std::string& region : regions()) {
      add_unique(names, region == "<REGION>" ? std::string("guardduty.amazonaws.com")
                                             : guardduty_principal(region));
    }
    return names;
  }

  // aws:SourceAccount and aws:SourceArn for every configured detector. A detector nobody named
  // is matched by its account and Region (StringLike ...:detector/*), which is still no other
  // account's GuardDuty: not a placeholder that would make the policy fail.
  std::vector<GeneratedCondition> source_conditions() {
    const std::string account = value(s_.account, "<ACCOUNT_ID>", "--account");
    std::vector<std::string> arns;
    bool pattern = false;
    for (const std::string& region : regions()) {
      const bool known =
          region != "<REGION>" && (s_.detector_ids.count(region) != 0 ||
                                   (s_.detector_id.known() && !s_.detector_id.origin.stand_in));
      pattern = pattern || !known;
      add_unique(arns, fmt::format("arn:{}:guardduty:{}:{}:detector/{}", s_.partition, region,
                                   account, known ? s_.detector_for(region) : "*"));
    }
    if (!pattern) {
      return {{"StringEquals", "aws:SourceAccount", {account}},
              {"StringEquals", "aws:SourceArn", arns}};
    }
    return {{"StringEquals", "aws:SourceAccount", {account}},
            {"StringLike", "aws:SourceArn", arns}};
  }

  void run(bool configurer) {
    const std::string bucket = value(s_.bucket, "<BUCKET>", "--bucket");
    out_.bucket = bucket;
    out_.key_given = s_.key_arn.known() && !s_.key_arn.origin.stand_in;
    const std::string key_arn = value(s_.key_arn, "<KEY_ARN>", "--key-arn");
    out_.key_arn = key_arn;
    const std::string bucket_arn = fmt::format("arn:{}:s3:::{}", s_.partition, bucket);
    const std::string& prefix = s_.prefix.known() ? s_.prefix.get() : empty_;
    const std::string objects =
        prefix.empty() ? bucket_arn + "/*" : fmt::format("{}/{}/*", bucket_arn, prefix);
    const std::vector<std::string> services = principals();
    const std::vector<GeneratedCondition> source = source_conditions();

    // The key's owner keeps managing it (the default key policy statement): the key's account
    // when its ARN is given; else the key is created with the bucket policy, in the bucket's
    // account (the exporting account's unless another is given).
    std::string key_account;
    if (out_.key_given) {
      const std::string& arn = s_.key_arn.get();
      std::size_t at = 0;
      for (int field = 0; field < 4 && at != std::string::npos; ++field) at = arn.find(':', at + 1);
      if (at != std::string::npos) key_account = arn.substr(at + 1, arn.find(':', at + 1) - at - 1);
    }
    if (key_account.empty() && s_.bucket_account.known() && !s_.bucket_account.origin.stand_in)
      key_account = s_.bucket_account.get();
    if (key_account.empty()) key_account = value(s_.account, "<ACCOUNT_ID>", "--account");
    out_.key_policy.name = "key-policy";
    out_.key_policy.statements = {
        {"EnableIAMUserPermissions",
         true,
         "AWS",
         {fmt::format("arn:{}:iam::{}:root", s_.partition, key_account)},
         {"kms:*"},
         {"*"},
         {}},
        {"AllowGuardDutyKey", true, "Service", services, {"kms:GenerateDataKey"}, {"*"}, source},
    };

    out_.bucket_policy.name = "bucket-policy";
    out_.bucket_policy.statements = {
        {"AllowGetBucketLocation",
         true,
         "Service",
         services,
         {"s3:GetBucketLocation"},
         {bucket_arn},
         source},
        {"AllowPutObject", true, "Service", services, {"s3:PutObject"}, {objects}, source},
        {"DenyUnencryptedObjectUploads",
         false,
         "Service",
         services,
         {"s3:PutObject"},
         {objects},
         {{"StringNotEquals", "s3:x-amz-server-side-encryption", {"aws:kms"}}}},
        {"DenyIncorrectEncryptionHeader",
         false,
         "Service",
         services,
         {"s3:PutObject"},
         {objects},
         {{"StringNotEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id", {key_arn}}}},
        {"DenyNonHTTPSAccess",
         false,
         "*",
         {},
         {"s3:*"},
         {bucket_arn, bucket_arn + "/*"},
         {{"Bool", "aws:SecureTransport", {"false"}}}},
    };

    if (!configurer) return;
    // What the console needs to set the destination up (the guide's "Permissions required").
    std::vector<std::string> detectors;
    const std::string account = value(s_.account, "<ACCOUNT_ID>", "--account");
    for (const std::string& region : regions()) {
      const bool known =
          region != "<REGION>" && (s_.detector_ids.count(region) != 0 ||
                                   (s_.detector_id.known() && !s_.detector_id.origin.stand_in));
      add_unique(detectors, fmt::format("arn:{}:guardduty:{}:{}:detector/{}", s_.partition, region,
                                        account, known ? s_.detector_for(region) : "*"));
    }
    GeneratedPolicy identity;
    identity.name = "configurer-policy";
    identity.statements.push_back(
        {"ManagePublishingDestination",
         true,
         "",
         {},
         {"guardduty:CreatePublishingDestination", "guardduty:UpdatePublishingDestination",
          "guardduty:DescribePublishingDestination"},
         detectors,
         {}});
    identity.statements.push_back(
        {"CheckDestinationBucket", true, "", {}, {"s3:GetBucketLocation"}, {bucket_arn}, {}});
    if (!prefix.empty()) {
      identity.statements.push_back(
          {"ListDestinationPrefix", true, "", {}, {"s3:ListBucket"}, {bucket_arn}, {}});
    }
    identity.statements.push_back({"WriteTestObject",
                                   true,
                                   "",
                                   {},
                                   prefix.empty()
                                       ? std::vector<std::string>{"s3:PutObject"}
                                       : std::vector<std::string>{"s3:PutObject", "s3:GetObject"},
                                   {objects},
                                   {}});
    identity.statements.push_back({"ListKeyAliases", true, "", {}, {"kms:ListAliases"}, {"*"}, {}});
    out_.configurer_policy = std::move(identity);
  }

 private:
  const ExportSettings& s_;
  GeneratedSetup& out_;
  const std::string empty_;
};

}  // namespace

GeneratedSetup generate_setup(const ExportSettings& settings, bool configurer_policy) {
  GeneratedSetup out;
  Generator(settings, out).run(configurer_policy);
  return out;
}

}  // namespace gdl::exportcfg
