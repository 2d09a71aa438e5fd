// The IAM data tables (rules/data, compiled in) and the case-insensitive text helpers they are
// looked up with: lookups are case-insensitive and find the canonical spelling.

#include "iam/iam_data.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/icase_lookup.h"
#include "util/text.h"

namespace gdl {

TEST_CASE("istarts_with and iends_with compare ASCII letters case-insensitively") {
  CHECK(istarts_with("AWS:RequestTag/env", "aws:requesttag/"));
  CHECK(istarts_with("abc", ""));
  CHECK_FALSE(istarts_with("ab", "abc"));
  CHECK_FALSE(istarts_with("aws:ResourceTag/x", "aws:RequestTag/"));
  CHECK(iends_with("policy.TF.json", ".tf.JSON"));
  CHECK(iends_with("abc", ""));
  CHECK_FALSE(iends_with("tf", ".tf"));
  CHECK_FALSE(iends_with("main.tfx", ".tf"));
}

TEST_CASE("Action lookups are case-insensitive and give the canonical spelling") {
  struct Row {
    std::string_view written;
    std::string_view canonical;  // empty: not an action we know
  };
  const std::vector<Row> rows = {
      {"s3:PutObject", "s3:PutObject"},
      {"S3:PUTOBJECT", "s3:PutObject"},
      {"kms:generatedatakey", "kms:GenerateDataKey"},
      {"guardduty:CreatePublishingDestination", "guardduty:CreatePublishingDestination"},
      {"iam:PassRole", "iam:PassRole"},
      {"s3:PutObjects", ""},
      {"s3:PutObjec", ""},
      {"ec2:RunInstances", ""},  // a service we do not ship
      {"PutObject", ""},
      {"", ""},
      {"s3:", ""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.written);
    const std::string_view* found = data::find_action(row.written);
    if (row.canonical.empty()) {
      CHECK(found == nullptr);
    } else {
      REQUIRE(found != nullptr);
      CHECK(*found == row.canonical);
    }
  }
  CHECK(data::knows_service("S3"));
  CHECK(data::knows_service("guardduty"));
  CHECK_FALSE(data::knows_service("ec2"));
  CHECK_FALSE(data::knows_service(""));
  // Every action of a service is found again by its own name, in any case.
  for (const std::string_view service : {"s3", "kms", "guardduty", "iam"}) {
    const auto& actions = data::actions_of(service);
    CHECK(actions.size() > 40);
    for (const std::string_view a : actions) {
      const std::string_view* found = data::find_action(to_lower(a));
      REQUIRE(found != nullptr);
      CHECK(*found == a);
    }
  }
  CHECK(data::actions_of("ec2").empty());
}

TEST_CASE("Condition keys: exact names and placeholder entries, case-insensitively") {
  struct Row {
    std::string_view written;
    std::string_view canonical;  // empty: unknown
    data::KeyType type;
  };
  const std::vector<Row> rows = {
      {"aws:SourceAccount", "aws:SourceAccount", data::KeyType::string},
      {"AWS:SOURCEARN", "aws:SourceArn", data::KeyType::arn},
      {"aws:SecureTransport", "aws:SecureTransport", data::KeyType::boolean},
      {"aws:RequestTag/Env", "aws:RequestTag/${TagKey}", data::KeyType::string},
      {"aws:requesttag/env", "aws:RequestTag/${TagKey}", data::KeyType::string},
      {"aws:RequestTag/", "", data::KeyType::string},  // no tag name after the prefix
      {"aws:SourceAccounts", "", data::KeyType::string},
      {"", "", data::KeyType::string},
  };
  for (const Row& row : rows) {
    CAPTURE(row.written);
    const data::ConditionKey* key = data::find_condition_key(row.written);
    if (row.canonical.empty()) {
      CHECK(key == nullptr);
    } else {
      REQUIRE(key != nullptr);
      CHECK(key->name == row.canonical);
      CHECK(key->type == row.type);
    }
  }
  CHECK(data::find_condition_key("aws:CalledVia")->multivalued);
  CHECK_FALSE(data::find_condition_key("aws:SourceAccount")->multivalued);
  CHECK(data::knows_key_prefix("AWS"));
  CHECK(data::knows_key_prefix("kms"));
  CHECK_FALSE(data::knows_key_prefix("ec2"));
  CHECK_FALSE(data::knows_key_prefix(""));
  // Every exact key is found by its own name.
  for (const std::string_view name : data::condition_key_names()) {
    if (name.find("${") != std::string_view::npos) continue;
    const data::ConditionKey* key = data::find_condition_key(to_lower(name));
    REQUIRE(key != nullptr);
    CHECK(key->name == name);
  }
}

TEST_CASE("S3 resource types by action") {
  const std::string_view put = data::s3_resource_types("S3:putobject");
  CHECK(put == "accesspointobject,object");
  CHECK(data::lists_type(put, "object"));
  CHECK(data::lists_type(put, "accesspointobject"));
  CHECK_FALSE(data::lists_type(put, "bucket"));
  CHECK_FALSE(data::lists_type(put, "objec"));
  CHECK(data::lists_type(data::s3_resource_types("s3:GetBucketLocation"), "bucket"));
  CHECK(data::s3_resource_types("s3:CreateJob") == "*");
  CHECK(data::s3_resource_types("s3:NoSuchAction").empty());
  CHECK(data::s3_resource_types("kms:Decrypt").empty());
  CHECK_FALSE(data::lists_type("", "bucket"));
}

}  // namespace gdl

namespace gdl {

namespace {
std::string to_upper_ascii_for_test(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}
}  // namespace

TEST_CASE("IcaseIndex finds the first written among names that differ only in case") {
  // 300 names, each written twice in different cases, in a scrambled order: the index must find
  // the first of two equal spellings, whatever the case it is asked in.
  struct Entry {
    std::string name;
    int written_at;
  };
  std::vector<Entry> entries;
  for (int i = 0; i < 300; ++i) {
    const int k = (i * 7919) % 150;  // every k twice, in a scrambled order
    std::string name = "key" + std::to_string(k);
    if ((i >= 150) != (k % 2 == 0)) name = to_upper_ascii_for_test(name);  // either comes first
    entries.push_back({name, i});
  }
  const auto first_of = [&](const std::string& lower) {
    for (const Entry& e : entries) {
      if (iequals(e.name, lower)) return e.written_at;
    }
    return -1;
  };
  const auto name = [](const Entry& e) { return std::string_view(e.name); };
  const IcaseIndex index(entries, name);
  for (int k = 0; k < 150; ++k) {
    const std::string lower = "key" + std::to_string(k);
    CAPTURE(lower);
    for (const std::string& asked : {lower, to_upper_ascii_for_test(lower)}) {
      const std::size_t at = index.find(asked);
      REQUIRE(at != IcaseIndex::npos);
      CHECK(entries[at].written_at == first_of(lower));
    }
  }
  CHECK(index.find("key150") == IcaseIndex::npos);
  CHECK(index.find("") == IcaseIndex::npos);
  CHECK(index.find("key1 ") == IcaseIndex::npos);
  const IcaseIndex empty(std::vector<Entry>{}, name);
  CHECK(empty.find("key1") == IcaseIndex::npos);
}

TEST_CASE("icase_hash folds ASCII letters only") {
  CHECK(icase_hash("s3:GetBucketLocation") == icase_hash("S3:getbucketlocation"));
  CHECK(icase_hash("s3:GetObject") != icase_hash("s3:GetObjects"));
  // '_' and DEL, '@' and '`' differ by the bit that folds letters: they must not fold alike.
  CHECK(icase_hash("a_b") != icase_hash("a\x7f"
                                        "b"));
  CHECK(icase_hash("@") != icase_hash("`"));
}

}  // namespace gdl
