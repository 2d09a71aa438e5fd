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

TEST_CASE(
    "iless orders names case-insensitively, shorter first among prefixes; istarts_with, "
    "iends_with") {
  struct Row {
    std::string_view a, b;
    bool less;
  };
  const std::vector<Row> rows = {
      {"s3:GetObject", "s3:GetObjectAcl", true},
      {"s3:GetObjectAcl", "s3:GetObject", false},
      {"s3:getobject", "S3:GETOBJECT", false},
      {"S3:GETOBJECT", "s3:getobject", false},
      {"a", "B", true},
      {"B", "a", false},
      {"Z", "a", false},  // case-sensitive order would say 'Z' < 'a'
      {"", "a", true},
      {"", "", false},
      // Letters compare lower-cased: '_' (0x5F) sorts before 'x' (0x78), though after 'X'.
      {"aws:Source_X", "aws:SourceX", true},
  };
  for (const Row& row : rows) {
    CAPTURE(row.a);
    CAPTURE(row.b);
    CHECK(iless(row.a, row.b) == row.less);
  }
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

TEST_CASE("The shipped IAM tables are in the order their look-ups assume") {
  // The tables are searched as shipped, never sorted at start-up: an entry written out of order
  // would silently not be found.
  CHECK(data::detail::shipped_tables_sorted());
  std::vector<std::string_view> names = {"s3:GetObject", "s3:getbucketlocation", "s3:PutObject"};
  CHECK_FALSE(is_sorted_by_name(names, std::identity{}));
  std::swap(names[0], names[1]);
  CHECK(is_sorted_by_name(names, std::identity{}));
}

TEST_CASE("find_by_name finds the first written among names that differ only in case") {
  // 300 names, each written twice in different cases, put in order by a stable sort: the
  // search must find the first of two equal spellings, as a table written in order has it.
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
  std::vector<Entry> sorted = entries;
  const auto name = [](const Entry& e) { return std::string_view(e.name); };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Entry& a, const Entry& b) { return iless(a.name, b.name); });
  CHECK(is_sorted_by_name(sorted, name));
  for (int k = 0; k < 150; ++k) {
    const std::string lower = "key" + std::to_string(k);
    CAPTURE(lower);
    const Entry* found = find_by_name(sorted, to_upper_ascii_for_test(lower), name);
    REQUIRE(found != nullptr);
    CHECK(found->written_at == first_of(lower));
  }
  CHECK(find_by_name(sorted, "key150", name) == nullptr);
  CHECK(find_by_name(sorted, "", name) == nullptr);
  std::vector<Entry> none;
  CHECK(find_by_name(none, "key1", name) == nullptr);
}

}  // namespace gdl
