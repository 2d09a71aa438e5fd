// Each rule's documented example (rules/<ID>-*.json "example": bad / good, shown in
// rules/README.md and by `explain`) runs: its "runs" field says where the snippet goes in the
// correct example setup (examples/correct), and the rule must report the bad variant and not the
// good one. Docs cannot drift from what the rule does. A rule whose example is an illustration
// that cannot run as written (a byte-order mark, a 21 KB policy) says so in "illustrative".

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/pipeline.h"
#include "export/settings.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::string to_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

rapidjson::Value* statement_with_sid(rapidjson::Document& doc, const std::string& sid) {
  for (auto& s : doc["Statement"].GetArray()) {
    if (s.HasMember("Sid") && s["Sid"].IsString() && sid == s["Sid"].GetString()) return &s;
  }
  return nullptr;
}

// The files of the example setup with the snippet put where "runs" says:
//   "as": "statement"  the snippet is a statement; it replaces the one with Sid "statement", or
//                      is added to "document";
//   "as": "members"    the snippet is members ("Key": value, ... or an object) set on the
//                      statement with Sid "statement" (on the document without one), or on the
//                      object found from it through the keys in "at";
//   "as": "statements" the snippet is statements (s1, s2, ...): "document" becomes a policy of
//                      them;
//   "as": "settings"   the snippet is export-settings.json;
//   "as": "document"   the snippet is the whole of "document", as written.
// "settings" (an object) adds an export-settings.json to any of them; "remove" (Sids) takes
// statements out of "document" first. A remark after three
// spaces at the end of an example ("   (export prefix: findings)") is for the reader.
std::map<std::string, std::string> setup_with(const rapidjson::Value& runs, std::string snippet) {
  // An example may end with a remark for the reader: "...   (export prefix: findings)".
  if (const auto remark = snippet.rfind("   (");
      remark != std::string::npos && snippet.ends_with(')'))
    snippet.resize(remark);
  const fs::path correct = gdl::test::source_dir() / "examples" / "correct";
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(correct))
    files[entry.path().filename().string()] = gdl::test::read_file(entry.path());
  if (runs.HasMember("settings")) files["export-settings.json"] = to_text(runs["settings"]);
  const std::string as = runs["as"].GetString();
  if (as == "settings") {
    files["export-settings.json"] = snippet;
    return files;
  }
  const std::string document = runs["document"].GetString();
  if (as == "document") {
    files[document] = snippet;
    return files;
  }
  if (as == "statements") {
    files[document] = R"({"Version": "2012-10-17", "Statement": [)" + snippet + "]}";
    return files;
  }
  rapidjson::Document doc;
  doc.Parse(files.at(document).c_str());
  REQUIRE(!doc.HasParseError());
  auto& alloc = doc.GetAllocator();
  if (runs.HasMember("remove")) {
    for (const auto& sid : runs["remove"].GetArray()) {
      auto& statements = doc["Statement"];
      const rapidjson::Value* gone = statement_with_sid(doc, sid.GetString());
      REQUIRE(gone != nullptr);
      statements.Erase(gone);
    }
  }
  rapidjson::Value* target = &doc;
  if (runs.HasMember("statement")) {
    target = statement_with_sid(doc, runs["statement"].GetString());
    REQUIRE_MESSAGE(target != nullptr, "no statement with that Sid in examples/correct");
  }
  rapidjson::Document parsed;
  parsed.Parse(snippet.c_str());
  if (as == "members" && (parsed.HasParseError() || !parsed.IsObject()))
    parsed.Parse(("{" + snippet + "}").c_str());
  REQUIRE_MESSAGE(!parsed.HasParseError(), "the example is not valid JSON as \"runs\" says");
  if (as == "statement") {
    rapidjson::Value copy(parsed, alloc);
    if (target != &doc) {
      *target = copy;
    } else {
      doc["Statement"].PushBack(copy, alloc);
    }
  } else {
    REQUIRE(as == "members");
    if (runs.HasMember("at")) {
      for (const auto& key : runs["at"].GetArray()) {
        REQUIRE(target->HasMember(key.GetString()));
        target = &(*target)[key.GetString()];
      }
    }
    // `<`, not `!=`: RapidJSON's != is ambiguous with C++20's reversed == under clang.
    for (auto m = parsed.MemberBegin(); m < parsed.MemberEnd(); ++m) {
      target->RemoveMember(m->name.GetString());
      target->AddMember(rapidjson::Value(m->name, alloc), rapidjson::Value(m->value, alloc), alloc);
    }
  }
  files[document] = to_text(doc);
  return files;
}

std::vector<std::string> rules_reported(const std::map<std::string, std::string>& files) {
  std::vector<std::unique_ptr<gdl::SourceFile>> sources;
  std::vector<const gdl::SourceFile*> documents;
  gdl::exportcfg::ExportSettings settings;
  std::vector<std::string> rules;
  for (const auto& [name, text] : files) {
    sources.push_back(std::make_unique<gdl::SourceFile>(name, text));
    if (name == "export-settings.json") {
      auto config = gdl::exportcfg::read_config(*sources.back());
      settings = std::move(config.settings);
      for (const auto& d : config.diagnostics) rules.push_back(d.rule_id);
    } else {
      documents.push_back(sources.back().get());
    }
  }
  for (const auto& d : gdl::lint_setup(documents, std::move(settings)).diagnostics)
    rules.push_back(d.rule_id);
  return rules;
}

}  // namespace

TEST_CASE("every rule's documented example runs: the bad one triggers it, the good one not") {
  int ran = 0;
  for (const auto& entry : fs::directory_iterator(gdl::test::source_dir() / "rules")) {
    if (entry.path().extension() != ".json") continue;
    rapidjson::Document rule;
    rule.Parse(gdl::test::read_file(entry.path()).c_str());
    REQUIRE(!rule.HasParseError());
    const std::string id = rule["id"].GetString();
    CAPTURE(id);
    const auto& example = rule["example"];
    if (example.HasMember("illustrative")) {
      CHECK(!example.HasMember("runs"));
      CHECK(std::string(example["illustrative"].GetString()).size() > 10);  // says why
      continue;
    }
    REQUIRE_MESSAGE(example.HasMember("runs"),
                    "give the example a \"runs\" (or say why it is \"illustrative\")");
    const auto bad = rules_reported(setup_with(example["runs"], example["bad"].GetString()));
    const auto good = rules_reported(setup_with(example["runs"], example["good"].GetString()));
    CHECK_MESSAGE(std::count(bad.begin(), bad.end(), id) > 0, "the bad example does not trigger");
    CHECK_MESSAGE(std::count(good.begin(), good.end(), id) == 0, "the good example triggers");
    ++ran;
  }
  CHECK(ran >= 25);
}
