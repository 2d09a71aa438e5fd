// Metamorphic tests: rewrites of correct export setups.
//
// A *preserving* rewrite changes the text, not what AWS decides: before it counts, the
// evaluator is asked GuardDuty's own requests (every Region) and a battery of hardening probes
// (another account's GuardDuty, an upload without SSE-KMS or with another key, plain HTTP, an
// anonymous writer, a stranger decrypting) against the original and the rewritten document. Where
// GuardDuty's requests are decided the same, the rewritten setup must have no error; where the
// probes are decided the same too, no warning it did not have before.
//
// A *breaking* rewrite makes one of GuardDuty's requests fail (or AWS reject the document): the
// setup must get an error.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "analysis/pipeline.h"
#include "export/settings.h"
#include "export/setup.h"
#include "iam/evaluator.h"
#include "json/parser.h"
#include "policy/builder.h"
#include "test_support.h"

namespace fs = std::filesystem;
using rapidjson::Document;
using rapidjson::Value;

namespace {

// ---- the setups ------------------------------------------------------------------------------

struct Setup {
  std::string name;
  std::string key;       // key policy text, empty when the setup has none
  std::string bucket;    // bucket policy text
  std::string settings;  // export-settings.json text, empty when absent
};

std::optional<Setup> read_setup(const fs::path& dir) {
  Setup s;
  s.name = dir.parent_path().filename().string() + "/" + dir.filename().string();
  if (!fs::exists(dir / "bucket-policy.json")) return std::nullopt;
  s.bucket = gdl::test::read_file(dir / "bucket-policy.json");
  if (fs::exists(dir / "key-policy.json")) s.key = gdl::test::read_file(dir / "key-policy.json");
  if (fs::exists(dir / "export-settings.json"))
    s.settings = gdl::test::read_file(dir / "export-settings.json");
  return s;
}

bool works(const fs::path& dir) {
  if (!fs::exists(dir / "README.md")) return true;
  return gdl::test::read_file(dir / "README.md").starts_with("verdict: works");
}

// Correct setups: testdata/setups/correct-*, the passing cases of the rules (good-*), and the
// working real-world setups.
std::vector<Setup> correct_setups() {
  const fs::path testdata = gdl::test::source_dir() / "testdata";
  std::vector<Setup> setups;
  for (const auto& entry : fs::recursive_directory_iterator(testdata)) {
    const fs::path& dir = entry.path();
    if (!entry.is_directory() || !fs::exists(dir / "case.expect")) continue;
    const std::string name = dir.filename().string();
    const std::string parent = dir.parent_path().filename().string();
    const bool chosen = (parent == "setups" && name.starts_with("correct-")) ||
                        (parent.starts_with("GD") && name.starts_with("good-")) ||
                        (parent == "realworld" && works(dir));
    if (!chosen) continue;
    if (auto s = read_setup(dir)) setups.push_back(std::move(*s));
  }
  std::sort(setups.begin(), setups.end(),
            [](const Setup& a, const Setup& b) { return a.name < b.name; });
  return setups;
}

// ---- linting and simulating -----------------------------------------------------------------

struct Outcome {
  std::set<std::string> errors;    // "file rule message"
  std::set<std::string> warnings;  // "file rule"
  gdl::exportcfg::ExportSettings settings;
};

Outcome lint(const Setup& s, const gdl::exportcfg::ExportSettings* fixed = nullptr) {
  std::vector<std::unique_ptr<gdl::SourceFile>> sources;
  std::vector<const gdl::SourceFile*> docs;
  if (!s.key.empty()) {
    sources.push_back(std::make_unique<gdl::SourceFile>("key-policy.json", s.key));
    docs.push_back(sources.back().get());
  }
  sources.push_back(std::make_unique<gdl::SourceFile>("bucket-policy.json", s.bucket));
  docs.push_back(sources.back().get());
  gdl::exportcfg::ExportSettings settings;
  if (fixed != nullptr) {
    settings = *fixed;
  } else if (!s.settings.empty()) {
    const gdl::SourceFile config("export-settings.json", s.settings);
    settings = gdl::exportcfg::read_config(config).settings;
  }
  gdl::LintResult result = gdl::lint_setup(docs, std::move(settings));
  Outcome o;
  for (const gdl::Diagnostic& d : result.diagnostics) {
    if (d.severity == gdl::Severity::error) {
      o.errors.insert(fmt::format("{} {} {}", d.location.file, d.rule_id, d.message));
    } else if (d.severity == gdl::Severity::warning) {
      o.warnings.insert(fmt::format("{} {}", d.location.file, d.rule_id));
    }
  }
  o.settings = std::move(result.settings);
  return o;
}

struct Model {
  std::unique_ptr<gdl::SourceFile> source;
  std::optional<gdl::policy::Policy> policy;
  std::unique_ptr<gdl::iam::Evaluator> evaluator;
};

std::unique_ptr<Model> model(const std::string& text) {
  auto m = std::make_unique<Model>();
  m->source = std::make_unique<gdl::SourceFile>("p.json", text);
  auto parsed = gdl::json::parse(*m->source);
  if (!parsed.root || parsed.recovered) return nullptr;
  auto built = gdl::policy::build_policy(*parsed.root, *m->source);
  if (!built.policy) return nullptr;
  m->policy = std::move(built.policy);
  m->evaluator = std::make_unique<gdl::iam::Evaluator>(*m->policy);
  return m;
}

struct Probe {
  std::string name;
  gdl::iam::Request request;
  bool guardduty = false;  // one of GuardDuty's own requests
};

// GuardDuty's requests and the hardening probes, for a key or a bucket policy.
std::vector<Probe> probes(const gdl::exportcfg::ExportSettings& s, bool key,
                          const std::set<std::string>& named_accounts,
                          const std::set<std::string>& named_regions) {
  std::vector<Probe> out;
  const std::string other = "210987654321";
  for (const bool assumed : {false, true}) {
    for (const auto& r : gdl::exportcfg::guardduty_requests(s, assumed)) {
      if (r.request.action.starts_with("kms:") != key) continue;
      out.push_back({fmt::format("{} {} {}", r.name, r.region, assumed), r.request, true});
      gdl::iam::Request foreign = r.request;
      foreign.set("aws:SourceAccount", other);
      foreign.set("aws:SourceArn", fmt::format("arn:aws:guardduty:{}:{}:detector/{}", r.region,
                                               other, "f00dfeedf00dfeedf00dfeedf00dfeed"));
      const std::string marker = "/AWSLogs/" + s.account.get() + "/";
      if (auto at = foreign.resource.find(marker); at != std::string::npos)
        foreign.resource.replace(at, marker.size(), "/AWSLogs/" + other + "/");
      out.push_back({fmt::format("foreign {} {}", r.name, r.region), foreign, false});
      // The GuardDuty of every other account and Region the documents name.
      for (const std::string& account : named_accounts) {
        for (const std::string& region : named_regions) {
          if (account == s.account.get() && region == r.region) continue;
          gdl::iam::Request named = r.request;
          named.set("aws:SourceAccount", account);
          named.set("aws:SourceArn", fmt::format("arn:aws:guardduty:{}:{}:detector/{}", region,
                                                 account, s.detector_for(r.region)));
          if (auto at = named.resource.find(marker); at != std::string::npos)
            named.resource.replace(at, marker.size(), "/AWSLogs/" + account + "/");
          out.push_back({fmt::format("named {} {} {}", r.name, account, region), named, false});
        }
      }
      if (r.name == "PutObject") {
        gdl::iam::Request plain = r.request;
        plain.context.erase("s3:x-amz-server-side-encryption");
        plain.context.erase("s3:x-amz-server-side-encryption-aws-kms-key-id");
        out.push_back({"no-sse " + r.region, plain, false});
        gdl::iam::Request other_key = r.request;
        other_key.set(
            "s3:x-amz-server-side-encryption-aws-kms-key-id",
            "arn:aws:kms:us-east-1:" + other + ":key/00000000-1111-4222-8333-444444444444");
        out.push_back({"other-key " + r.region, other_key, false});
        for (const std::string action : {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}) {
          gdl::iam::Request stranger;
          stranger.principal = {gdl::iam::RequestPrincipal::Kind::aws,
                                "arn:aws:iam::" + other + ":role/any"};
          stranger.action = action;
          stranger.resource = r.request.resource;
          stranger.set("aws:SecureTransport", "false");
          out.push_back({"http " + action, stranger, false});
          gdl::iam::Request anonymous = stranger;
          anonymous.principal = {};
          anonymous.set("aws:SecureTransport", "true");
          out.push_back({"anonymous " + action, anonymous, false});
        }
      }
      if (r.name == "GenerateDataKey") {
        for (const std::string action : {"kms:Decrypt", "kms:Encrypt", "kms:CreateGrant"}) {
          gdl::iam::Request g = r.request;
          g.action = action;
          out.push_back({"guardduty " + action, g, false});
          gdl::iam::Request stranger;
          stranger.principal = {gdl::iam::RequestPrincipal::Kind::aws,
                                "arn:aws:iam::" + other + ":role/any"};
          stranger.action = action;
          stranger.resource = r.request.resource;
          out.push_back({"stranger " + action, stranger, false});
        }
      }
    }
  }
  return out;
}

struct Agreement {
  bool guardduty = true;  // GuardDuty's requests decided alike
  bool hardening = true;  // every probe decided alike
};

// 12-digit account ids and Regions (in ARNs) written in a text.
void named_values(const std::string& text, std::set<std::string>& accounts,
                  std::set<std::string>& regions) {
  for (std::size_t i = 0; i + 12 <= text.size(); ++i) {
    const bool boundary =
        (i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1]))) &&
        (i + 12 == text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 12])));
    if (boundary && std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i),
                                text.begin() + static_cast<std::ptrdiff_t>(i + 12),
                                [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      accounts.insert(text.substr(i, 12));
  }
  for (std::size_t at = text.find(":guardduty:"); at != std::string::npos;
       at = text.find(":guardduty:", at + 1)) {
    const std::size_t end = text.find(':', at + 11);
    if (end != std::string::npos && gdl::exportcfg::is_region(text.substr(at + 11, end - at - 11)))
      regions.insert(text.substr(at + 11, end - at - 11));
  }
}

Agreement compare(const std::string& before, const std::string& after,
                  const gdl::exportcfg::ExportSettings& settings, bool key) {
  Agreement a;
  if (before == after) return a;
  const auto m0 = model(before);
  const auto m1 = model(after);
  if (!m0 || !m1) return {false, false};
  std::set<std::string> accounts;
  std::set<std::string> regions(settings.regions.begin(), settings.regions.end());
  named_values(before, accounts, regions);
  named_values(after, accounts, regions);
  for (const Probe& p : probes(settings, key, accounts, regions)) {
    const bool same = m0->evaluator->evaluate(p.request, false).decision ==
                      m1->evaluator->evaluate(p.request, false).decision;
    if (same) continue;
    a.hardening = false;
    if (p.guardduty) a.guardduty = false;
  }
  return a;
}

// ---- rewriting ------------------------------------------------------------------------------

struct Context {
  const gdl::exportcfg::ExportSettings& settings;
  bool key = false;  // the document is the key policy
};

using Rewrite = std::function<bool(Document&, Document::AllocatorType&, const Context&)>;

std::string text_of(const Value& v, bool pretty = true) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    v.Accept(writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
  }
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Value str(std::string_view s, Document::AllocatorType& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// The members of an object. (Iterating GetObject() compares rapidjson's member iterators,
// which clang 14 rejects as ambiguous under C++20.)
std::vector<std::reference_wrapper<Value::Member>> members(Value& v) {
  std::vector<std::reference_wrapper<Value::Member>> out;
  Value::MemberIterator it = v.MemberBegin();
  for (rapidjson::SizeType i = 0; i < v.MemberCount(); ++i) out.emplace_back(*(it + i));
  return out;
}

std::vector<Value*> statements(Document& d) {
  std::vector<Value*> out;
  if (!d.IsObject() || !d.HasMember("Statement")) return out;
  Value& st = d["Statement"];
  if (st.IsObject()) out.push_back(&st);
  if (st.IsArray()) {
    for (auto& s : st.GetArray()) out.push_back(&s);
  }
  return out;
}

bool is_allow(const Value& s) {
  return s.IsObject() && s.HasMember("Effect") && s["Effect"].IsString() &&
         std::string_view(s["Effect"].GetString()) == "Allow";
}

bool names_guardduty(const Value& s) {
  if (!s.IsObject() || !s.HasMember("Principal") || !s["Principal"].IsObject()) return false;
  const Value& p = s["Principal"];
  if (!p.HasMember("Service")) return false;
  auto gd = [](const Value& v) {
    return v.IsString() && std::string_view(v.GetString()).starts_with("guardduty.");
  };
  if (gd(p["Service"])) return true;
  if (p["Service"].IsArray()) {
    for (const auto& v : p["Service"].GetArray())
      if (gd(v)) return true;
  }
  return false;
}

std::vector<Value*> guardduty_allows(Document& d) {
  std::vector<Value*> out;
  for (Value* s : statements(d)) {
    if (is_allow(*s) && names_guardduty(*s)) out.push_back(s);
  }
  return out;
}

bool actions_include(const Value& s, std::string_view action) {
  if (!s.HasMember("Action")) return false;
  const Value& a = s["Action"];
  if (a.IsString()) return std::string_view(a.GetString()) == action;
  if (a.IsArray()) {
    for (const auto& v : a.GetArray())
      if (v.IsString() && std::string_view(v.GetString()) == action) return true;
  }
  return false;
}

// Every string (or string list) value of `member` in each of `targets`, mapped.
bool map_member(const std::vector<Value*>& targets, const char* member,
                const std::function<bool(Value&, Document::AllocatorType&)>& f,
                Document::AllocatorType& a) {
  bool changed = false;
  for (Value* s : targets) {
    if (s->IsObject() && s->HasMember(member)) changed |= f((*s)[member], a);
  }
  return changed;
}

bool to_list(Value& v, Document::AllocatorType& a) {
  if (!v.IsString()) return false;
  Value list(rapidjson::kArrayType);
  list.PushBack(Value(v, a), a);
  v = list;
  return true;
}

bool to_string_if_single(Value& v, Document::AllocatorType& a) {
  if (!v.IsArray() || v.Size() != 1 || !v[0].IsString()) return false;
  Value s(v[0], a);
  v = s;
  return true;
}

// The condition blocks of statements, for the key (case-insensitive) and operator filter.
std::vector<std::pair<Value*, std::string>> clauses(Document& d, std::string_view key,
                                                    bool guardduty_only) {
  std::vector<std::pair<Value*, std::string>> out;
  for (Value* s : statements(d)) {
    if (guardduty_only && !(is_allow(*s) && names_guardduty(*s))) continue;
    if (!s->HasMember("Condition") || !(*s)["Condition"].IsObject()) continue;
    for (Value::Member& op : members((*s)["Condition"])) {
      if (!op.value.IsObject()) continue;
      for (Value::Member& kv : members(op.value)) {
        std::string k = kv.name.GetString();
        std::transform(k.begin(), k.end(), k.begin(), ::tolower);
        std::string want(key);
        std::transform(want.begin(), want.end(), want.begin(), ::tolower);
        if (k == want) out.emplace_back(&kv.value, op.name.GetString());
      }
    }
  }
  return out;
}

std::string own_key(const gdl::exportcfg::ExportSettings& s) {
  return s.key_arn.known() && s.key_arn.origin.kind != gdl::exportcfg::Origin::Kind::assumed
             ? s.key_arn.get()
             : std::string();
}

// Replaces each statement whose list `list_of(statement)` holds several entries by one statement
// per entry (`slot_of(copy)` receives it), with distinct Sids.
bool split_statements(Document& d, Document::AllocatorType& a,
                      const std::function<Value*(Value&)>& list_of,
                      const std::function<Value&(Value&)>& slot_of) {
  if (!d["Statement"].IsArray()) return false;
  Value out(rapidjson::kArrayType);
  bool changed = false;
  for (auto& s : d["Statement"].GetArray()) {
    Value* list = list_of(s);
    if (list == nullptr) {
      out.PushBack(Value(s, a), a);
      continue;
    }
    int n = 0;
    for (auto& entry : list->GetArray()) {
      Value copy(s, a);
      slot_of(copy) = Value(entry, a);
      if (copy.HasMember("Sid") && copy["Sid"].IsString())
        copy["Sid"] = str(fmt::format("{}Part{}", s["Sid"].GetString(), n), a);
      ++n;
      out.PushBack(copy, a);
    }
    changed = true;
  }
  d["Statement"] = out;
  return changed;
}

struct NamedRewrite {
  std::string name;
  Rewrite apply;
  bool text_level = false;  // applied to the serialized text by `text`
  std::function<std::string(const std::string&)> text;
};

std::vector<NamedRewrite> preserving_rewrites() {
  std::vector<NamedRewrite> r;
  auto add = [&r](std::string name, Rewrite f) {
    r.push_back({std::move(name), std::move(f), false, nullptr});
  };
  auto add_text = [&r](std::string name, std::function<std::string(const std::string&)> f) {
    r.push_back({std::move(name), nullptr, true, std::move(f)});
  };
  add("statements-reversed", [](Document& d, auto& a, const Context&) {
    if (!d.HasMember("Statement") || !d["Statement"].IsArray() || d["Statement"].Size() < 2)
      return false;
    Value reversed(rapidjson::kArrayType);
    auto arr = d["Statement"].GetArray();
    for (auto it = arr.End(); it != arr.Begin();) reversed.PushBack(Value(*--it, a), a);
    d["Statement"] = reversed;
    return true;
  });
  add("action-string-to-list", [](Document& d, auto& a, const Context&) {
    return map_member(statements(d), "Action", to_list, a);
  });
  add("action-single-list-to-string", [](Document& d, auto& a, const Context&) {
    return map_member(statements(d), "Action", to_string_if_single, a);
  });
  add("action-case", [](Document& d, auto& a, const Context&) {
    return map_member(
        statements(d), "Action",
        [](Value& v, auto& al) {
          auto upper = [&al](Value& s) {
            std::string t = s.GetString();
            for (char& c : t)
              c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32
                                                         : c + (c >= 'A' && c <= 'Z' ? 32 : 0));
            s = str(t, al);
          };
          if (v.IsString()) upper(v);
          if (v.IsArray())
            for (auto& s : v.GetArray())
              if (s.IsString()) upper(s);
          return true;
        },
        a);
  });
  add("action-question-mark", [](Document& d, auto& a, const Context&) {
    // "s3:PutObject" -> "s3:PutObjec?": matches exactly the same action names.
    return map_member(
        guardduty_allows(d), "Action",
        [](Value& v, auto& al) {
          auto q = [&al](Value& s) {
            std::string t = s.GetString();
            if (t.empty() || t.back() == '*') return false;
            t.back() = '?';
            s = str(t, al);
            return true;
          };
          bool changed = false;
          if (v.IsString()) changed = q(v);
          if (v.IsArray())
            for (auto& s : v.GetArray()) changed |= s.IsString() && q(s);
          return changed;
        },
        a);
  });
  add("service-principal-to-list", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : guardduty_allows(d)) changed |= to_list((*s)["Principal"]["Service"], a);
    return changed;
  });
  add("service-principal-single-list-to-string", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : guardduty_allows(d))
      changed |= to_string_if_single((*s)["Principal"]["Service"], a);
    return changed;
  });
  add("unused-regional-principals", [](Document& d, auto& a, const Context& c) {
    bool changed = false;
    for (Value* s : guardduty_allows(d)) {
      Value& service = (*s)["Principal"]["Service"];
      to_list(service, a);
      for (const char* region : {"af-south-1", "ap-east-1", "me-central-1", "eu-south-2"}) {
        if (std::find(c.settings.regions.begin(), c.settings.regions.end(), region) !=
            c.settings.regions.end())
          continue;
        service.PushBack(str(fmt::format("guardduty.{}.amazonaws.com", region), a), a);
        changed = true;
      }
    }
    return changed;
  });
  add("split-statement-per-principal", [](Document& d, auto& a, const Context&) {
    return split_statements(
        d, a,
        [](Value& s) -> Value* {
          const bool split =
              is_allow(s) && names_guardduty(s) && s["Principal"]["Service"].IsArray() &&
              s["Principal"]["Service"].Size() > 1 && s["Principal"].MemberCount() == 1;
          return split ? &s["Principal"]["Service"] : nullptr;
        },
        [](Value& copy) -> Value& { return copy["Principal"]["Service"]; });
  });
  add("split-statement-per-action", [](Document& d, auto& a, const Context&) {
    return split_statements(
        d, a,
        [](Value& s) -> Value* {
          const bool split =
              s.HasMember("Action") && s["Action"].IsArray() && s["Action"].Size() > 1;
          return split ? &s["Action"] : nullptr;
        },
        [](Value& copy) -> Value& { return copy["Action"]; });
  });
  add("resource-string-to-list", [](Document& d, auto& a, const Context&) {
    return map_member(statements(d), "Resource", to_list, a);
  });
  add("resource-single-list-to-string", [](Document& d, auto& a, const Context&) {
    return map_member(statements(d), "Resource", to_string_if_single, a);
  });
  add("resource-unrelated-entry", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    return map_member(
        guardduty_allows(d), "Resource",
        [](Value& v, auto& al) {
          to_list(v, al);
          if (!v.IsArray()) return false;
          v.PushBack(str("arn:aws:s3:::some-other-bucket-7f3a/*", al), al);
          return true;
        },
        a);
  });
  add("key-resource-own-arn", [](Document& d, auto& a, const Context& c) {
    const std::string key = own_key(c.settings);
    if (!c.key || key.empty()) return false;
    return map_member(
        guardduty_allows(d), "Resource",
        [&key](Value& v, auto& al) {
          if (!v.IsString() || std::string_view(v.GetString()) != "*") return false;
          v = str(key, al);
          return true;
        },
        a);
  });
  add("key-resource-account-pattern", [](Document& d, auto& a, const Context& c) {
    const std::string key = own_key(c.settings);
    if (!c.key || key.empty()) return false;
    const std::string pattern = key.substr(0, key.find(":key/")) + ":key/*";
    return map_member(
        guardduty_allows(d), "Resource",
        [&pattern](Value& v, auto& al) {
          if (!v.IsString() || std::string_view(v.GetString()) != "*") return false;
          v = str(pattern, al);
          return true;
        },
        a);
  });
  add("key-resource-list-across-regions", [](Document& d, auto& a, const Context& c) {
    const std::string key = own_key(c.settings);
    if (!c.key || key.empty()) return false;
    std::string other = key;
    const std::size_t region_at = other.find(":kms:") + 5;
    other.replace(region_at, other.find(':', region_at) - region_at, "eu-west-3");
    other = other.substr(0, other.find(":key/")) + ":key/5d4c3b2a-1908-4f7e-8d6c-5b4a39281706";
    return map_member(
        guardduty_allows(d), "Resource",
        [&](Value& v, auto& al) {
          if (!v.IsString() || std::string_view(v.GetString()) != "*") return false;
          Value list(rapidjson::kArrayType);
          list.PushBack(str(other, al), al);
          list.PushBack(str(key, al), al);
          v = list;
          return true;
        },
        a);
  });
  add("source-account-to-list", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (auto& [v, op] : clauses(d, "aws:SourceAccount", true)) changed |= to_list(*v, a);
    return changed;
  });
  add("source-values-other-accounts", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (auto& [v, op] : clauses(d, "aws:SourceAccount", true)) {
      to_list(*v, a);
      if (!v->IsArray()) continue;
      v->PushBack(str("204918273645", a), a);
      v->PushBack(str("306185934721", a), a);
      changed = true;
    }
    return changed;
  });
  add("source-arn-other-regions", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (auto& [v, op] : clauses(d, "aws:SourceArn", true)) {
      if (!v->IsString()) continue;
      std::string arn = v->GetString();
      const std::size_t at = arn.find(":guardduty:");
      if (at == std::string::npos) continue;
      const std::size_t region_end = arn.find(':', at + 11);
      std::string other = arn;
      other.replace(at + 11, region_end - at - 11, "sa-east-1");
      to_list(*v, a);
      v->PushBack(str(other, a), a);
      changed = true;
    }
    return changed;
  });
  add("null-source-arn-false", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : guardduty_allows(d)) {
      if (!s->HasMember("Condition") || !(*s)["Condition"].IsObject()) continue;
      bool has_arn = false;
      for (Value::Member& op : members((*s)["Condition"])) {
        if (op.value.IsObject() && op.value.HasMember("aws:SourceArn")) has_arn = true;
      }
      if (!has_arn || (*s)["Condition"].HasMember("Null")) continue;
      Value null_block(rapidjson::kObjectType);
      null_block.AddMember("aws:SourceArn", "false", a);
      (*s)["Condition"].AddMember("Null", null_block, a);
      changed = true;
    }
    return changed;
  });
  add("condition-key-case", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : statements(d)) {
      if (!s->HasMember("Condition") || !(*s)["Condition"].IsObject()) continue;
      for (Value::Member& op : members((*s)["Condition"])) {
        if (!op.value.IsObject()) continue;
        for (Value::Member& kv : members(op.value)) {
          std::string k = kv.name.GetString();
          if (!k.starts_with("aws:")) continue;
          std::transform(k.begin(), k.end(), k.begin(), ::toupper);
          kv.name.SetString(k.c_str(), static_cast<rapidjson::SizeType>(k.size()), a);
          changed = true;
        }
      }
    }
    return changed;
  });
  auto rename_operator = [](std::string from, std::string to, bool only_arn_values) {
    return [from, to, only_arn_values](Document& d, auto& a, const Context&) {
      bool changed = false;
      for (Value* s : guardduty_allows(d)) {
        if (!s->HasMember("Condition") || !(*s)["Condition"].IsObject()) continue;
        Value& cond = (*s)["Condition"];
        if (!cond.HasMember(from.c_str()) || cond.HasMember(to.c_str())) continue;
        Value& block = cond[from.c_str()];
        if (!block.IsObject()) continue;
        // Move aws:SourceArn (only_arn_values) or the whole block.
        if (only_arn_values) {
          if (!block.HasMember("aws:SourceArn")) continue;
          const Value& v = block["aws:SourceArn"];
          if (v.IsString() &&
              std::string_view(v.GetString()).find_first_of("*?") != std::string_view::npos)
            continue;
          Value moved(rapidjson::kObjectType);
          moved.AddMember("aws:SourceArn", Value(v, a), a);
          block.RemoveMember("aws:SourceArn");
          if (block.MemberCount() == 0) cond.RemoveMember(from.c_str());
          cond.AddMember(str(to, a), moved, a);
        } else {
          Value copy(block, a);
          cond.RemoveMember(from.c_str());
          cond.AddMember(str(to, a), copy, a);
        }
        changed = true;
      }
      return changed;
    };
  };
  add("source-arn-arnequals", rename_operator("StringEquals", "ArnEquals", true));
  add("source-arn-arnlike", rename_operator("StringEquals", "ArnLike", true));
  add("string-equals-if-exists", rename_operator("StringEquals", "StringEqualsIfExists", false));
  add("key-id-deny-two-keys", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    bool changed = false;
    for (auto& [v, op] : clauses(d, "s3:x-amz-server-side-encryption-aws-kms-key-id", false)) {
      to_list(*v, a);
      if (!v->IsArray()) continue;
      Value copy(rapidjson::kArrayType);
      copy.PushBack(
          str("arn:aws:kms:us-east-1:204918273645:key/3e2d1c0b-a987-4654-b321-0fedcba98765", a), a);
      for (auto& x : v->GetArray()) copy.PushBack(Value(x, a), a);
      *v = copy;
      changed = true;
    }
    return changed;
  });
  add("sid-renamed", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : statements(d)) {
      if (!s->HasMember("Sid") || !(*s)["Sid"].IsString()) continue;
      (*s)["Sid"] = str(std::string("Renamed") + (*s)["Sid"].GetString(), a);
      changed = true;
    }
    return changed;
  });
  add("sid-removed", [](Document& d, auto&, const Context&) {
    bool changed = false;
    for (Value* s : statements(d)) changed |= s->RemoveMember("Sid");
    return changed;
  });
  add("statement-members-reversed", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : statements(d)) {
      if (!s->IsObject() || s->MemberCount() < 2) continue;
      Value reversed(rapidjson::kObjectType);
      std::vector<std::pair<Value, Value>> copies;
      for (Value::Member& m : members(*s)) copies.emplace_back(Value(m.name, a), Value(m.value, a));
      for (auto it = copies.rbegin(); it != copies.rend(); ++it)
        reversed.AddMember(it->first, it->second, a);
      *s = reversed;
      changed = true;
    }
    return changed;
  });
  add("secure-transport-boolean", [](Document& d, auto&, const Context&) {
    bool changed = false;
    for (auto& [v, op] : clauses(d, "aws:SecureTransport", false)) {
      if (!v->IsString()) continue;
      const std::string_view t = v->GetString();
      if (t != "false" && t != "true") continue;
      v->SetBool(t == "true");
      changed = true;
    }
    return changed;
  });
  add("everyone-as-aws-star", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : statements(d)) {
      if (!s->HasMember("Principal") || !(*s)["Principal"].IsString()) continue;
      Value p(rapidjson::kObjectType);
      p.AddMember("AWS", "*", a);
      (*s)["Principal"] = p;
      changed = true;
    }
    return changed;
  });
  add("unrelated-service-statement", [](Document& d, auto& a, const Context& c) {
    if (c.key || !d["Statement"].IsArray()) return false;
    Document extra(&a);
    extra.Parse(R"({"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl",
      "Resource": "arn:aws:s3:::some-other-bucket-7f3a"})");
    d["Statement"].PushBack(Value(extra, a), a);
    return true;
  });
  add("policy-id", [](Document& d, auto& a, const Context&) {
    if (d.HasMember("Id")) return false;
    d.AddMember("Id", "guardduty-export", a);
    return true;
  });
  add("guardduty-statement-duplicated", [](Document& d, auto& a, const Context&) {
    auto allows = guardduty_allows(d);
    if (allows.empty() || !d["Statement"].IsArray()) return false;
    Value copy(*allows.front(), a);
    if (copy.HasMember("Sid")) copy["Sid"] = str("SecondCopy", a);
    d["Statement"].PushBack(copy, a);
    return true;
  });
  add_text("minified", [](const std::string& t) {
    Document d;
    d.Parse(t.c_str());
    return text_of(d, false);
  });
  add_text("crlf-line-endings", [](const std::string& t) {
    std::string out;
    for (const char c : t) {
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  });
  add_text("tab-indentation", [](const std::string& t) {
    std::string out;
    bool start = true;
    for (const char c : t) {
      if (start && c == ' ') {
        out += '\t';
        continue;
      }
      start = c == '\n';
      out += c;
    }
    return out;
  });
  add_text("unicode-escapes", [](const std::string& t) {
    std::string out = t;
    for (const std::string_view word :
         {"\"s3:PutObject\"", "\"kms:GenerateDataKey\"", "\"Allow\""}) {
      std::string escaped(word);
      escaped.replace(4, 1, fmt::format("\\u{:04x}", static_cast<int>(word[4])));
      for (std::size_t at = out.find(word); at != std::string::npos; at = out.find(word, at + 1))
        out.replace(at, word.size(), escaped);
    }
    return out;
  });
  return r;
}

std::vector<NamedRewrite> breaking_rewrites() {
  std::vector<NamedRewrite> r;
  auto add = [&r](std::string name, Rewrite f) {
    r.push_back({std::move(name), std::move(f), false, nullptr});
  };
  auto remove_allows = [](std::string action, bool key_doc) {
    return [action, key_doc](Document& d, auto&, const Context& c) {
      if (c.key != key_doc || !d["Statement"].IsArray()) return false;
      auto arr = d["Statement"].GetArray();
      bool changed = false;
      for (auto it = arr.Begin(); it != arr.End();) {
        if (is_allow(*it) && names_guardduty(*it) &&
            (actions_include(*it, action) || actions_include(*it, "*") ||
             actions_include(*it, action.substr(0, action.find(':')) + ":*"))) {
          it = arr.Erase(it);
          changed = true;
        } else {
          ++it;
        }
      }
      return changed;
    };
  };
  add("no-get-bucket-location-allow", remove_allows("s3:GetBucketLocation", false));
  add("no-put-object-allow", remove_allows("s3:PutObject", false));
  add("no-key-allow", remove_allows("kms:GenerateDataKey", true));
  add("effect-deny", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    for (Value* s : guardduty_allows(d)) {
      if (!actions_include(*s, "s3:PutObject")) continue;
      (*s)["Effect"] = str("Deny", a);
      s->RemoveMember("Condition");
      return true;
    }
    return false;
  });
  add("source-account-of-another-account-in-bucket-only",
      [](Document& d, auto& a, const Context& c) {
        if (c.key) return false;
        bool changed = false;
        for (Value* s : guardduty_allows(d)) {
          if (!s->HasMember("Condition")) {
            Value cond(rapidjson::kObjectType);
            Value eq(rapidjson::kObjectType);
            eq.AddMember("aws:SourceAccount", "204918273645", a);
            cond.AddMember("StringEquals", eq, a);
            s->AddMember("Condition", cond, a);
            changed = true;
            continue;
          }
          for (Value::Member& op : members((*s)["Condition"])) {
            if (!op.value.IsObject()) continue;
            for (Value::Member& kv : members(op.value)) {
              const std::string k = kv.name.GetString();
              if (k == "aws:SourceAccount") {
                kv.value = str("204918273645", a);
                changed = true;
              } else if (k == "aws:SourceArn") {
                kv.value =
                    str("arn:aws:guardduty:us-east-1:204918273645:detector/"
                        "f00dfeedf00dfeedf00dfeedf00dfeed",
                        a);
                changed = true;
              }
            }
          }
        }
        return changed;
      });
  add("literal-wildcard-source-arn", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    bool changed = false;
    for (Value* s : guardduty_allows(d)) {
      Value cond(rapidjson::kObjectType);
      if (s->HasMember("Condition")) s->RemoveMember("Condition");
      Value eq(rapidjson::kObjectType);
      eq.AddMember("aws:SourceArn", "arn:aws:guardduty:*:*:detector/*", a);
      cond.AddMember("StringEquals", eq, a);
      s->AddMember("Condition", cond, a);
      changed = true;
    }
    return changed;
  });
  add("key-id-instead-of-arn", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    Document extra(&a);
    extra.Parse(R"({"Sid": "DenyWrongKey", "Effect": "Deny", "Principal": "*",
      "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringNotEquals":
      {"s3:x-amz-server-side-encryption-aws-kms-key-id": "1f2e3d4c-5b6a-4798-81a2-b3c4d5e6f708"}}})");
    d["Statement"].PushBack(Value(extra, a), a);
    return true;
  });
  add("org-deny-for-everyone", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    Document extra(&a);
    extra.Parse(R"({"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*",
      "Action": "s3:*", "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abcdef1234"}}})");
    d["Statement"].PushBack(Value(extra, a), a);
    return true;
  });
  add("deny-tls", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    Document extra(&a);
    extra.Parse(R"({"Sid": "Backwards", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
      "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})");
    d["Statement"].PushBack(Value(extra, a), a);
    return true;
  });
  add("misspelt-put-object", [](Document& d, auto& a, const Context& c) {
    if (c.key) return false;
    bool changed = false;
    for (Value* s : guardduty_allows(d)) {
      if (!actions_include(*s, "s3:PutObject")) continue;
      (*s)["Action"] = str("s3:PutObjects", a);
      changed = true;
    }
    return changed;
  });
  add("key-resource-alias", [](Document& d, auto& a, const Context& c) {
    if (!c.key) return false;
    bool changed = false;
    for (Value* s : guardduty_allows(d)) {
      (*s)["Resource"] = str("arn:aws:kms:us-east-1:204918273645:alias/guardduty", a);
      changed = true;
    }
    return changed;
  });
  add("misspelt-principal", [](Document& d, auto& a, const Context&) {
    bool changed = false;
    for (Value* s : guardduty_allows(d)) {
      (*s)["Principal"]["Service"] = str("guardduty.amazon.com", a);
      changed = true;
    }
    return changed;
  });
  r.push_back({"missing-comma", nullptr, true, [](const std::string& t) {
                 const std::size_t at = t.find("},\n");
                 if (at == std::string::npos) return t;
                 std::string out = t;
                 out.erase(at + 1, 1);
                 return out;
               }});
  return r;
}

// The settings a lint used (given or inferred from the documents), as if the user had given
// them: the export a breaking rewrite is judged against. Stand-ins stay unknown.
gdl::exportcfg::ExportSettings as_given(const gdl::exportcfg::ExportSettings& used) {
  using gdl::exportcfg::Origin;
  gdl::exportcfg::ExportSettings s = used;
  auto fix = [](gdl::exportcfg::Value& v) {
    if (!v.known() || v.origin.kind == Origin::Kind::assumed) {
      v = {};
      return;
    }
    v.origin = {Origin::Kind::flag, "test", std::nullopt, false};
  };
  for (gdl::exportcfg::Value* v : {&s.account, &s.detector_id, &s.bucket, &s.prefix,
                                   &s.bucket_region, &s.bucket_account, &s.key_arn})
    fix(*v);
  for (auto& [region, id] : s.detector_ids) fix(id);
  if (s.regions_origin.kind == Origin::Kind::assumed) {
    s.regions.clear();
    s.regions_origin = {};
  } else {
    s.regions_origin = {Origin::Kind::flag, "test", std::nullopt, false};
  }
  return s;
}

// Applies a rewrite to the key or bucket policy text; returns the new text, or empty if it did
// not apply.
std::string rewrite(const NamedRewrite& rw, const std::string& text, const Context& c) {
  Document d;
  d.Parse(text.c_str());
  if (d.HasParseError() || !d.IsObject()) return {};
  const std::string pretty = text_of(d);
  if (rw.text_level) {
    std::string out = rw.text(pretty);
    return out == pretty ? std::string() : out;
  }
  if (!d.HasMember("Statement")) return {};
  if (!rw.apply(d, d.GetAllocator(), c)) return {};
  return text_of(d);
}

}  // namespace

TEST_CASE("metamorphic: rewrites AWS evaluates identically keep a correct setup free of errors") {
  const auto setups = correct_setups();
  REQUIRE(setups.size() >= 20);
  const auto rewrites = preserving_rewrites();
  REQUIRE(rewrites.size() >= 30);
  std::map<std::string, int> applied;  // rewrite -> setups it counted for
  std::size_t runs = 0;
  for (const Setup& setup : setups) {
    CAPTURE(setup.name);
    // The setup as the suite normalises it (pretty-printed), so text-level rewrites compare
    // like with like.
    Setup base = setup;
    for (std::string* text : {&base.key, &base.bucket}) {
      if (text->empty()) continue;
      Document d;
      d.Parse(text->c_str());
      REQUIRE(!d.HasParseError());
      *text = text_of(d);
    }
    const Outcome before = lint(base);
    REQUIRE_MESSAGE(before.errors.empty(), *before.errors.begin());
    for (const NamedRewrite& rw : rewrites) {
      for (const bool key : {true, false}) {
        const std::string& original = key ? base.key : base.bucket;
        if (original.empty()) continue;
        const Context context{before.settings, key};
        const std::string changed = rewrite(rw, original, context);
        if (changed.empty()) continue;
        const Agreement agree = compare(original, changed, before.settings, key);
        // Only a rewrite AWS evaluates identically for GuardDuty's requests counts.
        if (!agree.guardduty) continue;
        Setup after = base;
        (key ? after.key : after.bucket) = changed;
        const Outcome result = lint(after);
        CAPTURE(rw.name);
        CAPTURE(key);
        CAPTURE(changed);
        const std::string first_error =
            result.errors.empty() ? std::string() : *result.errors.begin();
        CAPTURE(first_error);
        CHECK(result.errors.empty());
        if (agree.hardening) {
          std::vector<std::string> added;
          std::set_difference(result.warnings.begin(), result.warnings.end(),
                              before.warnings.begin(), before.warnings.end(),
                              std::back_inserter(added));
          const std::string first_added = added.empty() ? std::string() : added.front();
          CAPTURE(first_added);
          CHECK(added.empty());
        }
        ++applied[rw.name];
        ++runs;
      }
    }
  }
  // Every kind of rewrite was exercised (and verified by simulation) on some setup.
  for (const NamedRewrite& rw : rewrites) {
    CAPTURE(rw.name);
    CHECK(applied[rw.name] > 0);
  }
  MESSAGE(fmt::format("{} preserving rewrites checked on {} setups", runs, setups.size()));
}

TEST_CASE("metamorphic: rewrites that break the export give an error") {
  const auto setups = correct_setups();
  const auto rewrites = breaking_rewrites();
  REQUIRE(rewrites.size() >= 10);
  std::map<std::string, int> applied;
  for (const Setup& setup : setups) {
    CAPTURE(setup.name);
    const Outcome before = lint(setup);
    for (const NamedRewrite& rw : rewrites) {
      for (const bool key : {true, false}) {
        const std::string& original = key ? setup.key : setup.bucket;
        if (original.empty()) continue;
        const Context context{before.settings, key};
        const std::string changed = rewrite(rw, original, context);
        if (changed.empty()) continue;
        // It must really break GuardDuty's requests (or the JSON): checked by simulation.
        const Agreement agree = compare(original, changed, before.settings, key);
        const bool syntax = !model(changed);
        if (agree.guardduty && !syntax) continue;
        Setup after = setup;
        (key ? after.key : after.bucket) = changed;
        // Judged for the same export: the settings the correct setup was checked with.
        const gdl::exportcfg::ExportSettings fixed = as_given(before.settings);
        const Outcome result = lint(after, &fixed);
        CAPTURE(rw.name);
        CAPTURE(key);
        CAPTURE(changed);
        CHECK(!result.errors.empty());
        ++applied[rw.name];
      }
    }
  }
  for (const NamedRewrite& rw : rewrites) {
    CAPTURE(rw.name);
    CHECK(applied[rw.name] > 0);
  }
}

// Every setup of a rule's cases and testdata/setups, broken ones included (not the size limit's
// cases, GD006: a rewrite that changes a policy's size changes exactly what they test).
std::vector<Setup> rule_case_setups() {
  const fs::path testdata = gdl::test::source_dir() / "testdata";
  std::vector<Setup> setups;
  for (const auto& entry : fs::recursive_directory_iterator(testdata)) {
    const fs::path& dir = entry.path();
    if (!entry.is_directory() || !fs::exists(dir / "case.expect")) continue;
    const std::string parent = dir.parent_path().filename().string();
    if ((parent != "setups" && !parent.starts_with("GD")) || parent == "GD006") continue;
    if (auto s = read_setup(dir)) setups.push_back(std::move(*s));
  }
  std::sort(setups.begin(), setups.end(),
            [](const Setup& a, const Setup& b) { return a.name < b.name; });
  return setups;
}

// The findings of a setup as "file rule severity", counted.
std::multiset<std::string> findings_of(const Setup& s) {
  std::vector<std::unique_ptr<gdl::SourceFile>> sources;
  std::vector<const gdl::SourceFile*> docs;
  for (const auto& [name, text] :
       {std::pair{"key-policy.json", &s.key}, std::pair{"bucket-policy.json", &s.bucket}}) {
    if (text->empty()) continue;
    sources.push_back(std::make_unique<gdl::SourceFile>(name, *text));
    docs.push_back(sources.back().get());
  }
  gdl::exportcfg::ExportSettings settings;
  if (!s.settings.empty())
    settings =
        gdl::exportcfg::read_config(gdl::SourceFile("export-settings.json", s.settings)).settings;
  std::multiset<std::string> out;
  for (const gdl::Diagnostic& d : gdl::lint_setup(docs, std::move(settings)).diagnostics)
    out.insert(fmt::format("{} {} {}", d.location.file, d.rule_id, to_string(d.severity)));
  return out;
}

// Each rule-case setup against its rewrite by `change` (a JSON document to change in place;
// false when nothing changed), both pretty-printed the same way: the same findings. Returns
// how many setups were compared.
int compare_rewritten(const std::function<bool(Document&)>& change) {
  int compared = 0;
  for (const Setup& setup : rule_case_setups()) {
    CAPTURE(setup.name);
    Setup original = setup;
    Setup changed = setup;
    bool any = false;
    for (auto [from, to] :
         {std::pair{&original.key, &changed.key}, std::pair{&original.bucket, &changed.bucket}}) {
      if (from->empty()) continue;
      Document d;
      d.Parse(from->c_str(), from->size());
      if (d.HasParseError()) continue;
      *from = text_of(d);
      if (!change(d)) continue;
      *to = text_of(d);
      any = true;
    }
    if (!any) continue;
    CHECK(findings_of(original) == findings_of(changed));
    ++compared;
  }
  return compared;
}

TEST_CASE("metamorphic: a one-item list is its item, on broken setups too") {
  // "Resource": ["X"] is "Resource": "X" to AWS: every setup, broken ones included, gets the same
  // findings (rule, severity, file) either way; a finding that folds into another as "the same
  // value" in one form must fold in the other (a one-item list used to be reported at its '[').
  const int compared = compare_rewritten([](Document& d) {
    bool changed = false;
    for (const char* member : {"Action", "Resource", "NotAction", "NotResource"})
      changed |= map_member(statements(d), member, to_list, d.GetAllocator());
    return changed;
  });
  MESSAGE(compared << " setups compared with their one-item lists");
  CHECK(compared > 20);
}

TEST_CASE("metamorphic: a value written twice in a list is one value") {
  // Values of a list are OR'ed: ["x", "x"] is "x" (actions, resources, condition values). The
  // same findings, once each (a repeated value used to repeat the finding).
  auto twice = [](Value& v, Document::AllocatorType& a) {
    if (v.IsString()) {
      Value list(rapidjson::kArrayType);
      list.PushBack(Value(v, a), a);
      list.PushBack(Value(v, a), a);
      v = list;
      return true;
    }
    if (!v.IsArray() || v.Empty()) return false;
    const rapidjson::SizeType size = v.Size();
    for (rapidjson::SizeType i = 0; i < size; ++i) v.PushBack(Value(v[i], a), a);
    return true;
  };
  const int compared = compare_rewritten([&](Document& d) {
    bool changed = false;
    for (const char* member : {"Action", "Resource"})
      changed |= map_member(statements(d), member, twice, d.GetAllocator());
    for (Value* st : statements(d)) {
      if (!st->IsObject() || !st->HasMember("Condition") || !(*st)["Condition"].IsObject())
        continue;
      // (members(), not a range over GetObject(): clang 14 finds its iterators' != ambiguous.)
      for (Value::Member& op : members((*st)["Condition"])) {
        if (!op.value.IsObject()) continue;
        for (Value::Member& clause : members(op.value))
          changed |= twice(clause.value, d.GetAllocator());
      }
    }
    return changed;
  });
  MESSAGE(compared << " setups compared with every value written twice");
  CHECK(compared > 20);
}

TEST_CASE("metamorphic: the order of statements decides nothing") {
  // AWS evaluates every statement; an explicit Deny anywhere wins. Reversing the Statement list
  // gives the same findings: which of two Denies blocking one request is reported must not
  // depend on which is written first (a key-id Deny's GD306 used to vanish behind an
  // organization Deny written before it).
  const int compared = compare_rewritten([](Document& d) {
    if (!d.IsObject() || !d.HasMember("Statement") || !d["Statement"].IsArray() ||
        d["Statement"].Size() < 2)
      return false;
    Value& list = d["Statement"];
    std::vector<Value> items;
    for (auto& s : list.GetArray()) items.emplace_back(std::move(s));
    list.Clear();
    for (auto it = items.rbegin(); it != items.rend(); ++it)
      list.PushBack(std::move(*it), d.GetAllocator());
    return true;
  });
  MESSAGE(compared << " setups compared with their statements reversed");
  CHECK(compared > 20);
}

namespace {

// A finding as the user reads it: where, what, its notes and its fix.
std::string rendered(const gdl::Diagnostic& d) {
  std::string text =
      fmt::format("{} {}:{}-{} {} {}", d.rule_id, d.location.file, d.location.span.begin,
                  d.location.span.end, static_cast<int>(d.severity), d.message);
  for (const std::string& note : d.notes) text += "\n  note: " + note;
  for (const auto& r : d.related)
    text += fmt::format("\n  related {}: {}", r.location.span.begin, r.message);
  if (d.fix) {
    text += "\n  fix: " + d.fix->description;
    for (const gdl::TextEdit& e : d.fix->edits)
      text +=
          fmt::format("\n    {}-{} {}", e.location.span.begin, e.location.span.end, e.replacement);
  }
  return text;
}

}  // namespace

TEST_CASE("metamorphic: each of a directory's exports is judged as its own files alone") {
  // A directory of several exports is read once to find them, and each export's run takes its
  // plain policy files from that reading: what the run reports must be what checking the
  // export's files on their own reports (syntax repaired, placeholders, an Effect's case, a
  // duplicate key, a key policy that is every export's, an identity policy, CLI output).
  const std::string prod_bucket = R"json({"Version": "2012-10-17", "Statement": [
  {"Effect": "allow", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::prod-findings",
   "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}},
  {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": "s3:PutObject", "Resource": "arn:aws:s3:::prod-findings/*",
   "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}},
  {"Effect": "Deny", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": "s3:PutObject", "Resource": "arn:aws:s3:::prod-findings/*",
   "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id":
     "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"}}}]})json";
  const std::string prod_key = R"json({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
   "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": "kms:GenerateDataKey", "Resource": "KMS key ARN",
   "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]})json";
  // A missing comma (repaired, not simulated) and a key written twice.
  const std::string dev_bucket = R"json({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::dev-findings"}
  {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": "s3:PutObject", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::dev-findings"}]})json";
  const std::string qa_bucket = R"json({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Service": "guardduty.amazonaws.com"},
   "Action": ["s3:GetBucketLocation", "s3:PutObject"],
   "Resource": ["arn:aws:s3:::qa-findings", "arn:aws:s3:::qa-findings/*"],
   "Condition": {"StringEquals": {"aws:SourceAccount": "444455556666"}}}]})json";
  const std::string qa_key_cli =
      fmt::format(R"json({{"Policy": "{}"}})json",
                  R"({\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", )"
                  R"(\"Principal\": {\"Service\": \"guardduty.amazonaws.com\"}, )"
                  R"(\"Action\": \"kms:GenerateDataKey\", \"Resource\": \"*\", \"Condition\": )"
                  R"({\"StringEquals\": {\"aws:SourceAccount\": \"444455556666\"}}}]})");
  const std::string reader = R"json({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": "arn:aws:s3:::prod-findings/*"}]})json";
  std::vector<std::unique_ptr<gdl::SourceFile>> files;
  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"exports/dev-bucket.json", dev_bucket},
                                                        {"exports/prod-bucket.json", prod_bucket},
                                                        {"exports/prod-key.json", prod_key},
                                                        {"exports/qa-bucket.json", qa_bucket},
                                                        {"exports/qa-key.json", qa_key_cli},
                                                        {"exports/reader.json", reader}})
    files.push_back(std::make_unique<gdl::SourceFile>(name, text));
  std::vector<const gdl::SourceFile*> all;
  for (const auto& f : files) all.push_back(f.get());

  const std::vector<gdl::LintResult> results = gdl::lint_exports(all, {}, {});
  REQUIRE(results.size() >= 3);  // the documents' own findings, then each export
  for (std::size_t k = 1; k < results.size(); ++k) {
    const gdl::LintResult& exported = results[k];
    std::vector<const gdl::SourceFile*> own;
    for (const gdl::SourceFile* f : all) {
      if (std::find(exported.document_paths.begin(), exported.document_paths.end(), f->path()) !=
          exported.document_paths.end())
        own.push_back(f);
    }
    CAPTURE(k);
    REQUIRE(!own.empty());
    const gdl::LintResult alone = gdl::lint_setup(own, {});
    std::vector<std::string> from_split;
    for (const gdl::Diagnostic& d : exported.diagnostics) {
      if (std::any_of(own.begin(), own.end(),
                      [&](const gdl::SourceFile* f) { return f->path() == d.location.file; }))
        from_split.push_back(rendered(d));
    }
    std::vector<std::string> from_alone;
    for (const gdl::Diagnostic& d : alone.diagnostics) from_alone.push_back(rendered(d));
    CHECK(from_split == from_alone);
    CHECK(exported.notes == alone.notes);
    CHECK(exported.document_paths == alone.document_paths);
    CHECK(exported.export_setup == alone.export_setup);
  }
}
