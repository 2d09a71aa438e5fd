// Text helpers: replacing stand-ins with the symbols users wrote.

#include "util/text.h"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

TEST_CASE("replace_all and replace_whole_words: every occurrence, left to right, once") {
  struct Row {
    const char* text;
    const char* from;
    const char* to;
    const char* all;    // replace_all's result
    const char* whole;  // replace_whole_words' result
  };
  const Row rows[] = {
      {"", "a", "b", "", ""},
      {"abc", "", "x", "abc", "abc"},
      {"111122223333", "111122223333", "${AWS::AccountId}", "${AWS::AccountId}",
       "${AWS::AccountId}"},
      {"arn:aws:iam::111122223333:root", "111122223333", "<ACCOUNT_ID>",
       "arn:aws:iam::<ACCOUNT_ID>:root", "arn:aws:iam::<ACCOUNT_ID>:root"},
      // Not inside a longer word or number for the whole-word form.
      {"1111222233334 111122223333", "111122223333", "A", "A4 A", "1111222233334 A"},
      // Non-overlapping, left to right; the replacement is never searched again.
      {"aaaa", "aa", "a", "aa", "aaaa"},
      {"x-x-x", "x", "xx", "xx-xx-xx", "xx-xx-xx"},
      {"eu-north-1/eu-north-1", "eu-north-1", "${AWS::Region}", "${AWS::Region}/${AWS::Region}",
       "${AWS::Region}/${AWS::Region}"},
  };
  for (const Row& row : rows) {
    const std::string text = row.text;
    CAPTURE(text);
    std::string all = row.text;
    const bool replaced = gdl::replace_all(all, row.from, row.to);
    CHECK(replaced == (all != row.text));
    CHECK(all == row.all);
    std::string whole = row.text;
    const bool replaced_words = gdl::replace_whole_words(whole, row.from, row.to);
    CHECK(replaced_words == (whole != row.text));
    CHECK(whole == row.whole);
  }
  // Linear: a 2.4 MB value of 200,000 account ids (a template's !Sub) is replaced at once; in
  // place, each replacement moved the rest of the text (minutes, not milliseconds).
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "111122223333-";
  CHECK(gdl::replace_all(big, "111122223333", "${AWS::AccountId}"));
  CHECK(big.size() == 200000 * std::string("${AWS::AccountId}-").size());
}

TEST_CASE("replace_whole_words_each: as replace_whole_words pair by pair, in order") {
  // Twelve pairs (over the filter's threshold): later values hidden in earlier replacements, a
  // value inside another, values that share their first two bytes, one-byte values.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"409732615928", "${AWS::AccountId}"},
      {"gd-bucket-1a2b", "${Bucket}-409732615928"},  // brings back a value replaced before
      {"key-9f8e", "zz-77"},                         // brings in a later value
      {"zz-77", "${Key}"},
      {"ab", "AB"},
      {"abc", "ABC"},  // never whole once "ab" is replaced: never found
      {"x", "${X}"},
      {"us-east-1", "${AWS::Region}"},
      {"p1", "q1"},
      {"p2", "q2"},
      {"p3", "q3"},
      {"arn:aws:s3:::gd-bucket-1a2b", "${BucketArn}"},  // a prefix shared with other ARNs
      {"", "never"},
  };
  const char* texts[] = {
      "",
      "arn:aws:s3:::gd-bucket-1a2b/AWSLogs/409732615928/*",
      "key-9f8e and zz-77 in us-east-1",
      "ab abc x-x p1p2 p3",
      "nothing to replace here",
      "409732615928409732615928 409732615928",
      "arn:aws:s3:::gd-bucket-9z9z and arn:aws:s3:::gd-bucket-1a2b",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    std::string one_by_one = text;
    bool changed = false;
    for (const auto& [from, to] : pairs)
      changed = gdl::replace_whole_words(one_by_one, from, to) || changed;
    std::string at_once = text;
    CHECK(gdl::replace_whole_words_each(at_once, pairs) == changed);
    CHECK(at_once == one_by_one);
  }
  std::string chained = "key-9f8e";
  gdl::replace_whole_words_each(chained, pairs);
  CHECK(chained == "${Key}");
}
