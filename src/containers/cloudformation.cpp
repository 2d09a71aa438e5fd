#include "containers/cloudformation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

#include "containers/cfn_values.h"
#include "containers/findings.h"
#include "containers/json_string.h"
#include "containers/stand_ins.h"
#include "containers/yaml_reader.h"
#include "diag/rule_catalog.h"
#include "json/parser.h"

namespace gdl::containers {
namespace {

// Where each byte of a YAML scalar's value is written, when the value is its text as written: a
// literal block (`|`, `|-`, `|+`: each line less its indentation) or a quoted or plain scalar on
// one line without escapes. Checked against `value` (what the reader decoded), trailing line
// breaks aside (chomping); nullopt for any other scalar (folded, escapes, an indentation digit).
std::optional<OffsetMap> yaml_scalar_map(std::string_view text, Span span, std::string_view value,
                                         bool* byte_for_byte = nullptr) {
  // Whether each line's bytes are the value's (no escape, no CRLF): an Fn::Sub's map is built on
  // that (sub_result_map).
  if (byte_for_byte != nullptr) *byte_for_byte = true;
  if (span.begin >= text.size() || span.end > text.size() || span.end <= span.begin)
    return std::nullopt;
  std::string_view written = text.substr(span.begin, span.size());
  // A tag or an anchor before the scalar (`!Sub |`, `&policy "..."`) is part of its event.
  while (!written.empty() && (written.front() == '!' || written.front() == '&')) {
    const std::size_t after = written.find_first_of(" \t\n");
    if (after == std::string_view::npos) return std::nullopt;
    const std::size_t next = written.find_first_not_of(" \t", after);
    if (next == std::string_view::npos || written[next] == '\n') return std::nullopt;
    span.begin += next;
    written.remove_prefix(next);
  }
  OffsetMap map;
  std::string built;
  if (written.front() == '|') {
    const std::size_t header_end = written.find('\n');
    if (header_end == std::string_view::npos) return std::nullopt;
    const std::string_view header = written.substr(1, header_end - 1);
    if (header.find_first_of("123456789") != std::string_view::npos) return std::nullopt;
    std::optional<std::size_t> indent;
    for (std::size_t pos = header_end + 1; pos < written.size();) {
      std::size_t end = written.find('\n', pos);
      const bool last = end == std::string_view::npos;
      if (last) end = written.size();
      std::string_view line = written.substr(pos, end - pos);
      const bool crlf = line.ends_with('\r');
      if (crlf) line.remove_suffix(1);
      const std::size_t spaces = std::min(line.find_first_not_of(' '), line.size());
      if (spaces == line.size()) {
        // A blank line: a line break of the value.
        map.add(built.size(), span.begin + pos, false);
        built += '\n';
      } else {
        if (!indent) indent = spaces;
        if (spaces < *indent) return std::nullopt;  // not this block's line
        map.add(built.size(), span.begin + pos + *indent);
        if (crlf && byte_for_byte != nullptr) *byte_for_byte = false;
        built.append(line.substr(*indent));
        if (crlf) map.add(built.size(), span.begin + pos + line.size(), false);
        built += '\n';
      }
      if (last) break;
      pos = end + 1;
    }
  } else if (written.front() == '"' && written.size() >= 2 && written.back() == '"' &&
             written.find_first_of("\n\r") == std::string_view::npos) {
    // One line, double-quoted: each escape is one run of the bytes it stands for, at its `\`.
    const std::string_view inner = written.substr(1, written.size() - 2);
    std::size_t run = 0;  // where the current verbatim run starts in `inner`
    map.add(0, span.begin + 1);
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '"') return std::nullopt;
      if (inner[i] != '\\') continue;
      if (byte_for_byte != nullptr) *byte_for_byte = false;
      built.append(inner.substr(run, i - run));
      if (i + 1 >= inner.size()) return std::nullopt;
      const char e = inner[i + 1];
      std::size_t hex = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      std::size_t bytes = 1;
      if (hex != 0) {
        unsigned long code = 0;
        const std::string_view digits = inner.substr(i + 2, hex);
        if (digits.size() != hex ||
            std::from_chars(digits.data(), digits.data() + hex, code, 16).ptr !=
                digits.data() + hex)
          return std::nullopt;
        bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      } else if (std::string_view("0abtnvfre \"/\\\t").find(e) == std::string_view::npos) {
        return std::nullopt;  // \N, \_, \L, \P and the like: not worth placing
      }
      map.add(built.size(), span.begin + 1 + i, false);
      if (built.size() + bytes > value.size()) return std::nullopt;
      built.append(value.substr(built.size(), bytes));
      i += 1 + hex;
      run = i + 1;
      map.add(built.size(), span.begin + 1 + run);
    }
    built.append(inner.substr(run));
  } else if (written.front() == '\'') {
    const std::string_view inner = written.substr(1, written.size() >= 2 ? written.size() - 2 : 0);
    if (written.size() < 2 || written.back() != '\'' ||
        inner.find_first_of("'\n\r") != std::string_view::npos)
      return std::nullopt;
    map.add(0, span.begin + 1);
    built = inner;
  } else {
    if (written.find_first_of("\n\r") != std::string_view::npos) return std::nullopt;
    map.add(0, span.begin);
    built = written;
  }
  auto trimmed = [](std::string_view t) {
    while (t.ends_with('\n')) t.remove_suffix(1);
    return t;
  };
  if (trimmed(built) != trimmed(value)) return std::nullopt;
  return map;
}

// The map of an Fn::Sub's result from its template's: literal runs where the template writes
// them, each substituted value at its `${...}`. Each literal run must be found in order and the
// whole result covered; nullopt otherwise (${!Literal}, two substitutions side by side).
std::optional<OffsetMap> sub_result_map(std::string_view format, const OffsetMap& format_map,
                                        std::string_view result) {
  OffsetMap out;
  std::size_t j = 0;  // in result
  auto literal = [&](std::size_t from, std::size_t to) {
    if (result.compare(j, to - from, format.substr(from, to - from)) != 0) return false;
    // One segment per line: a line of the template is written byte for byte.
    for (std::size_t k = from; k < to;) {
      out.add(j + (k - from), format_map.to_outer(k));
      const std::size_t line_break = format.find('\n', k);
      if (line_break == std::string_view::npos || line_break + 1 >= to) break;
      k = line_break + 1;
    }
    j += to - from;
    return true;
  };
  for (std::size_t i = 0; i <= format.size();) {
    const std::size_t open = format.find("${", i);
    if (!literal(i, open == std::string_view::npos ? format.size() : open)) return std::nullopt;
    if (open == std::string_view::npos) break;
    const std::size_t close = format.find('}', open + 2);
    if (close == std::string_view::npos || format.substr(open + 2, 1) == "!") return std::nullopt;
    i = close + 1;
    const std::size_t next_open = format.find("${", i);
    const std::string_view next =
        format.substr(i, (next_open == std::string_view::npos ? format.size() : next_open) - i);
    std::size_t at = 0;
    if (next_open == std::string_view::npos) {
      if (result.size() < j + next.size()) return std::nullopt;
      at = result.size() - next.size();
    } else {
      if (next.empty()) return std::nullopt;
      at = result.find(next, j);
      if (at == std::string_view::npos) return std::nullopt;
    }
    out.add(j, format_map.to_outer(open), false);
    j = at;
  }
  if (j != result.size()) return std::nullopt;
  return out;
}

// Where a policy written as a YAML string (a scalar, or !Sub of one) is written byte by byte.
std::optional<OffsetMap> yaml_policy_string_map(std::string_view text, const json::Value& written,
                                                std::string_view resolved) {
  if (written.is_string()) {
    if (written.text != resolved) return std::nullopt;
    return yaml_scalar_map(text, written.span, written.text);
  }
  if (!written.is_object() || written.members.size() != 1 || written.members[0].key != "Fn::Sub")
    return std::nullopt;
  const json::Value& arg = written.members[0].value;
  const json::Value* format = arg.is_array() && !arg.items.empty() ? &arg.items[0] : &arg;
  if (!format->is_string()) return std::nullopt;
  // Literal runs are placed line by line (a template with escapes or CRLF lines is not), and the
  // search for each run is bounded by the size of a policy AWS accepts (beyond it GD006 says
  // AWS rejects the policy anyway): a hostile template does not make it quadratic.
  constexpr std::size_t kMaxMappedBytes = 64 * 1024;
  if (resolved.size() > kMaxMappedBytes) return std::nullopt;
  bool byte_for_byte = false;
  const std::optional<OffsetMap> format_map =
      yaml_scalar_map(text, format->span, format->text, &byte_for_byte);
  if (!format_map || !byte_for_byte) return std::nullopt;
  return sub_result_map(format->text, *format_map, resolved);
}

using cfn::kDeploymentFunctions;
using cfn::kResolvedFunctions;
using cfn::kRuleFunctions;
using cfn::Resource;
using cfn::string_value;

// A template's documents: its keys' KeyPolicy, its bucket policies' PolicyDocument, its publishing
// destination's settings; which of them are the export's.
class Template : private cfn::TemplateValues {
 public:
  Template(const json::Value& root, const SourceFile& source, const Hints& hints, Extraction& out)
      : TemplateValues(root, source, hints, out),
        given_bucket_(hints.bucket),
        given_key_arn_(hints.key_arn) {
    report_unknown_functions(root);
  }

  void read(Quoting quoting, bool repaired) {
    // A template that creates the detector or its destination exports from the stack's own
    // account and Region: those are the export's, as symbols.
    if (exports_here_) {
      const exportcfg::Origin origin{
          exportcfg::Origin::Kind::config,
          fmt::format("{} (the stack's own account and Region)", source_.path()), std::nullopt};
      // An account the template names, guessed as the stack's own, is said to be a guess (the
      // symbol is the fact; -v and the reports show where the value came from).
      exportcfg::Origin account_origin = origin;
      if (account_named_guess_)
        account_origin.detail = fmt::format(
            "{} (the stack's own account, ${{AWS::AccountId}}: checked as the only account the "
            "template names)",
            source_.path());
      out_.settings.account = {account_, account_origin};
      out_.settings.regions = {region_};
      out_.settings.regions_origin = origin;
      out_.has_settings = true;
    }
    // The destination first: it says which key and bucket are the export's.
    for (const auto& [id, resource] : resources_) {
      if (resource.type == "AWS::GuardDuty::PublishingDestination" && resource.properties)
        read_destination(id, resource);
    }
    // No destination says which detector exports (one a custom resource creates, say): the one
    // detector the stack creates unconditionally is the export's, since GuardDuty has one
    // detector per account and Region ("You can have only one detector per account per Region",
    // CreateDetector). Fixes then name it ${Detector}, not <DETECTOR_ID>.
    if (exports_here_ && !out_.settings.detector_id.known()) {
      const std::string* only = nullptr;
      std::size_t detectors = 0;
      for (const auto& [id, resource] : resources_) {
        if (resource.type != "AWS::GuardDuty::Detector") continue;
        ++detectors;
        if (resource.condition.empty()) only = &id;
      }
      if (detectors == 1 && only != nullptr) {
        out_.settings.detector_id = {
            detector_id(*only),
            {exportcfg::Origin::Kind::config,
             fmt::format("{} (the detector the stack creates, {})", source_.path(), *only),
             std::nullopt}};
        out_.has_settings = true;
      }
    }
    std::vector<std::pair<std::string, std::size_t>> keys, bucket_policies;  // id, document
    for (const auto& [id, resource] : resources_) {
      if (resource.type == "AWS::KMS::Key") {
        std::optional<std::size_t> doc =
            add_document(id, resource, "KeyPolicy", documents::Kind::key_policy, quoting, repaired);
        if (!doc && is_export_key(id) && !has_property(resource, "KeyPolicy"))
          doc = add_default_key_policy(id, resource);
        if (doc) {
          keys.emplace_back(id, *doc);
          // BypassPolicyLockoutSafetyCheck: false unless the template sets it.
          const json::Member* bypass =
              resource.properties != nullptr
                  ? resource.properties->find("BypassPolicyLockoutSafetyCheck")
                  : nullptr;
          out_.documents[*doc].lockout_check_bypassed =
              bypass == nullptr ? std::optional<bool>(false)
              : bypass->value.kind == json::Kind::boolean
                  ? std::optional<bool>(bypass->value.boolean)
              : bypass->value.is_string() &&
                      (bypass->value.text == "true" || bypass->value.text == "false")
                  ? std::optional<bool>(bypass->value.text == "true")
                  : std::nullopt;
          // The key's ARN as the stack makes it: a given key ARN binds its account, Region and
          // id (bind_stand_ins), so ${AWS::AccountId} in the policy is the key owner's.
          if (auto arn = get_att(id, "Arn")) out_.documents[*doc].belongs_to = *arn;
        }
      } else if (resource.type == "AWS::S3::BucketPolicy") {
        if (auto doc = add_document(id, resource, "PolicyDocument", documents::Kind::bucket_policy,
                                    quoting, repaired)) {
          bucket_policies.emplace_back(id, *doc);
          if (auto bucket = bucket_of_policy(id)) out_.documents[*doc].belongs_to = *bucket;
        }
      }
    }
    mark_conditional_resources();
    given_keys_ = given_matches(keys, given_key_arn_,
                                [this](const std::string& id) { return get_att(id, "Arn"); });
    given_buckets_ = given_matches(bucket_policies, given_bucket_,
                                   [this](const std::string& id) { return bucket_of_policy(id); });
    select_export_documents(
        keys, [this](const std::string& id) { return is_export_key(id); }, "key",
        [&](const std::string& id) { return required_by_guardduty_bucket(id, bucket_policies); });
    select_export_documents(
        bucket_policies, [this](const std::string& id) { return is_export_bucket_policy(id); },
        "bucket", [](const std::string&) { return false; });
    record_bucket_without_policy();
  }

 private:
  // CloudFormation rejects a template that calls a function it does not know, wherever it is.
  void report_unknown_functions(const json::Value& root) {
    std::vector<const json::Value*> pending{&root};
    while (!pending.empty()) {
      const json::Value* v = pending.back();
      pending.pop_back();
      for (const json::Value& item : v->items) pending.push_back(&item);
      // A member a later one with the same key shadows is not deployed (GD002 warns).
      const json::LastWins last(v->members);
      for (std::size_t i = 0; i < v->members.size(); ++i) {
        if (last.shadowed(i)) continue;
        const json::Member& m = v->members[i];
        pending.push_back(&m.value);
        const std::string_view fn = m.key;
        if (v->members.size() != 1 || !fn.starts_with("Fn::")) continue;
        const auto known = [fn](const auto& names) {
          return std::find(names.begin(), names.end(), fn) != names.end();
        };
        if (known(kDeploymentFunctions) || known(kResolvedFunctions) || known(kRuleFunctions) ||
            fn.starts_with("Fn::ForEach::"))
          continue;
        out_.diagnostics.push_back(make_diagnostic(
            "GD007", make_location(source_, m.key_span),
            fmt::format("unknown intrinsic function {}: CloudFormation rejects the template", fn)));
      }
    }
  }

  static bool has_property(const Resource& resource, std::string_view name) {
    return resource.properties != nullptr && resource.properties->find(name) != nullptr;
  }

  // Whether a template key is the one the publishing destination names.
  // A resource with a Condition attribute exists only when its condition holds, and a resource
  // without it cannot refer to it then (CloudFormation's Condition attribute): a fix is not
  // written with its symbol (a GD303 fix naming a conditional detector broke the template),
  // and -v says the check assumes the export's resources are created.
  void mark_conditional_resources() {
    for (const auto& [id, resource] : resources_) {
      if (resource.condition.empty()) continue;
      const std::string symbol = "${" + id;
      for (const auto& [value, s] : out_.stand_ins) {
        if (!s.starts_with(symbol) ||
            (s.size() > symbol.size() && s[symbol.size()] != '}' && s[symbol.size()] != '.'))
          continue;
        out_.unwritable.emplace_back(
            s, fmt::format("{} exists only when condition {} holds, and only a resource with "
                           "the same condition may refer to it",
                           id, resource.condition));
      }
      if (!resource.condition_holds &&
          (resource.type.starts_with("AWS::GuardDuty::") || resource.type == "AWS::KMS::Key" ||
           resource.type.starts_with("AWS::S3::Bucket")))
        out_.notes.push_back(fmt::format(
            "{}: {} is created only when condition {} holds; it is checked as if it were",
            source_.path(), id, resource.condition));
    }
  }

  // Whether a key is the one the publishing destination names, or the one the user gave
  // (--key-arn): a stack that makes only the bucket and key is checked as the export's.
  bool is_export_key(const std::string& id) {
    if (given_keys_.contains(id)) return true;
    const auto arn = get_att(id, "Arn");
    return arn && out_.settings.key_arn.known() && *arn == out_.settings.key_arn.get();
  }

  // The documents whose bucket or key the user's value can be: the one that is it exactly, else
  // the only one that can be it with its stand-ins (a name built from ${AWS::AccountId}); of
  // several that can, none (which one is meant cannot be told).
  template <typename NameOf>
  std::set<std::string> given_matches(const std::vector<std::pair<std::string, std::size_t>>& docs,
                                      const std::optional<std::string>& given, NameOf name_of) {
    std::set<std::string> exact, possible;
    if (!given) return {};
    for (const auto& [id, index] : docs) {
      const std::optional<std::string> name = name_of(id);
      if (!name) continue;
      if (*name == *given) exact.insert(id);
      if (matches_with_stand_ins(*name, *given, out_.stand_ins)) possible.insert(id);
    }
    if (!exact.empty()) return exact;
    return possible.size() == 1 ? possible : std::set<std::string>{};
  }

  // The name of the bucket a bucket policy is for, when the template decides it.
  std::optional<std::string> bucket_of_policy(const std::string& id) {
    const Resource& r = resources_.find(id)->second;
    const json::Member* bucket = r.properties ? r.properties->find("Bucket") : nullptr;
    if (bucket == nullptr) return std::nullopt;
    const std::vector<Span> saved = unknown_spans_;
    auto name = resolve_string(bucket->value, 0);
    unknown_spans_ = saved;
    return name;
  }

  // Whether a bucket policy is for the bucket the publishing destination names, or the one the
  // user gave (--bucket, --config): a policy that does not name GuardDuty is then still the
  // export's, and what it does not allow GuardDuty is an error.
  bool is_export_bucket_policy(const std::string& id) {
    if (given_buckets_.contains(id)) return true;
    const auto name = bucket_of_policy(id);
    return name && out_.settings.bucket.known() && *name == out_.settings.bucket.get();
  }

  // Whether a document names GuardDuty: a policy written as a string is parsed for this here
  // (and again, with its findings, when it is checked).
  static bool grants_guardduty(const EmbeddedDocument& d) {
    if (d.tree) return names_guardduty(*d.tree);
    if (!d.needs_parse || d.source == nullptr) return false;
    const json::ParseResult parsed = json::parse(*d.source);
    return parsed.root && names_guardduty(*parsed.root);
  }

  // Whether a bucket policy of the template that grants GuardDuty names the key `id` (its
  // stand-in id, as !GetAtt or !Ref of the key resolves to).
  bool required_by_guardduty_bucket(
      const std::string& id, const std::vector<std::pair<std::string, std::size_t>>& buckets) {
    const std::string key = key_id_stand_in(id);
    return std::any_of(buckets.begin(), buckets.end(), [&](const auto& bucket) {
      const EmbeddedDocument& d = out_.documents[bucket.second];
      if (!d.tree || !names_guardduty(*d.tree)) return false;
      bool named = false;
      json::for_each_value(*d.tree, [&](const json::Value& v) {
        named = named || (v.is_string() && v.text.find(key) != std::string::npos);
      });
      return named;
    });
  }

  static bool names_guardduty(const json::Value& v) {
    std::vector<const json::Value*> pending{&v};
    while (!pending.empty()) {
      const json::Value* at = pending.back();
      pending.pop_back();
      if (at->is_string() && at->text.starts_with("guardduty.") &&
          at->text.ends_with(".amazonaws.com"))
        return true;
      for (const json::Value& item : at->items) pending.push_back(&item);
      for (const json::Member& m : at->members) pending.push_back(&m.value);
    }
    return false;
  }

  // A template can hold keys and bucket policies that have nothing to do with GuardDuty (a
  // CloudTrail bucket, an RDS key). The export's own are those the publishing destination
  // names; without one, those that name the GuardDuty principal. The others are checked for
  // grammar only: GuardDuty's requests are not theirs to allow. (A bare policy file is always
  // the export's: the user named it.)
  // `required`: with neither, those the export's other documents require (the key a
  // GuardDuty bucket policy's key-id Deny names: GuardDuty must encrypt with it).
  template <typename IsExport, typename Required>
  void select_export_documents(const std::vector<std::pair<std::string, std::size_t>>& docs,
                               IsExport is_export, std::string_view what, Required required) {
    std::vector<bool> chosen(docs.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < docs.size(); ++i) any |= chosen[i] = is_export(docs[i].first);
    if (!any) {
      for (std::size_t i = 0; i < docs.size(); ++i) {
        const EmbeddedDocument& d = out_.documents[docs[i].second];
        any |= chosen[i] = grants_guardduty(d);
      }
    }
    if (!any) {
      for (std::size_t i = 0; i < docs.size(); ++i) chosen[i] = required(docs[i].first);
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (chosen[i]) continue;
      out_.documents[docs[i].second].simulate = false;
      out_.notes.push_back(
          fmt::format("{}: {} is not the GuardDuty export's {}; only its grammar is checked",
                      source_.path(), docs[i].first, what));
    }
  }

  // A key without KeyPolicy gets KMS's default key policy: the account may use and manage the
  // key through IAM, and no service principal may use it, GuardDuty included.
  std::size_t add_default_key_policy(const std::string& id, const Resource& resource) {
    const Span at = resource.span;
    auto text = [at](std::string value) { return string_value(std::move(value), at); };
    auto object = [at](std::vector<std::pair<std::string, json::Value>> members) {
      json::Value v(json::Kind::object, at);
      for (auto& [key, value] : members) {
        json::Member m;
        m.key = key;
        m.key_span = at;
        m.value = std::move(value);
        v.members.push_back(std::move(m));
      }
      return v;
    };
    std::vector<std::pair<std::string, json::Value>> principal;
    principal.emplace_back("AWS", text(fmt::format("arn:{}:iam::{}:root", partition(), account_)));
    std::vector<std::pair<std::string, json::Value>> statement;
    statement.emplace_back("Sid", text("Enable IAM User Permissions"));
    statement.emplace_back("Effect", text("Allow"));
    statement.emplace_back("Principal", object(std::move(principal)));
    statement.emplace_back("Action", text("kms:*"));
    statement.emplace_back("Resource", text("*"));
    json::Value statements(json::Kind::array, at);
    statements.items.push_back(object(std::move(statement)));
    std::vector<std::pair<std::string, json::Value>> policy;
    policy.emplace_back("Version", text("2012-10-17"));
    policy.emplace_back("Statement", std::move(statements));
    EmbeddedDocument doc;
    doc.label = fmt::format("{} (no KeyPolicy: KMS's default key policy)", id);
    doc.kind = documents::Kind::key_policy;
    doc.source = &source_;
    doc.tree = object(std::move(policy));
    out_.documents.push_back(std::move(doc));
    out_.notes.push_back(
        fmt::format("{}: {} has no KeyPolicy; it is checked with KMS's default key policy",
                    source_.path(), id));
    return out_.documents.size() - 1;
  }

  // An Allow's organization id known only when deployed (`!GetAtt Organization.Id` of a custom
  // resource, a `!Ref` that cannot be resolved): checked as a stand-in organization shown as
  // the symbol (containers/stand_ins.h says why only there). Its "treated as unknown" note
  // becomes the stand-in's.
  void stand_in_organizations(EmbeddedDocument& doc, const json::Value& written) {
    auto symbol_of = [&written](Span span) {
      std::string symbol;
      json::for_each_value(written, [&](const json::Value& v) {
        if (!symbol.empty() || v.span != span || !v.is_object() || v.members.size() != 1) return;
        const json::Member& fn = v.members.front();
        if (fn.key == "Ref" && fn.value.is_string()) {
          symbol = fmt::format("${{{}}}", fn.value.text);
        } else if (fn.key == "Fn::GetAtt" && fn.value.is_string()) {
          symbol = fmt::format("${{{}}}", fn.value.text);
        } else if (fn.key == "Fn::GetAtt" && fn.value.is_array() && fn.value.items.size() == 2 &&
                   fn.value.items[0].is_string() && fn.value.items[1].is_string()) {
          symbol = fmt::format("${{{}.{}}}", fn.value.items[0].text, fn.value.items[1].text);
        }
      });
      return symbol;
    };
    for (const OrganizationStandIn& o : stand_in_organization_ids(doc, out_, symbol_of)) {
      const Position p = source_.position(o.at.begin);
      const std::string at = fmt::format("{}:{}:{}: ", source_.path(), p.line, p.column);
      const std::string note = fmt::format(
          "{}{} is an organization id known only when the stack is deployed; checked as {}", at,
          o.symbol, o.value);
      const auto old = std::find_if(out_.notes.begin(), out_.notes.end(), [&at](const auto& n) {
        return n.starts_with(at) && n.ends_with("; treated as unknown");
      });
      if (old != out_.notes.end()) {
        *old = note;
      } else {
        out_.notes.push_back(note);
      }
    }
  }

  std::optional<std::size_t> add_document(const std::string& id, const Resource& resource,
                                          std::string_view property, documents::Kind kind,
                                          Quoting quoting, bool repaired) {
    if (resource.properties == nullptr) return std::nullopt;
    const json::Member* policy = resource.properties->find(property);
    if (policy == nullptr) return std::nullopt;
    unknown_spans_.clear();
    EmbeddedDocument doc;
    doc.label = fmt::format("{} {}", id, property);
    doc.kind = kind;
    doc.source = &source_;
    std::optional<json::Value> resolved = resolve(policy->value, 0);
    if (!resolved) return std::nullopt;
    if (resolved->is_string()) {
      // CloudFormation also takes a policy as a JSON string. In a JSON template the string is
      // decoded and checked where it is written; elsewhere (YAML scalars, Fn::Sub results) its
      // bytes cannot be placed exactly, so it is noted, not guessed at.
      if (policy->value.is_string() && quoting == Quoting::verbatim) {
        doc.decoded = decode_json_string(source_, policy->value.span, source_.path());
        doc.source = doc.decoded.get();
        doc.needs_parse = true;
        doc.simulate = !repaired;
        out_.documents.push_back(std::move(doc));
        return out_.documents.size() - 1;
      } else if (unknown_spans_.empty()) {
        // A YAML scalar (quoted, or a block) or a function's result: the decoded JSON is
        // checked all the same, every finding in it placed at the string's start (its bytes
        // cannot be mapped one by one), and fixes shown as suggestions (computed text).
        // A literal block or a plain one-line string (and !Sub of one) is placed byte by byte.
        std::optional<OffsetMap> exact =
            yaml_policy_string_map(source_.text(), policy->value, resolved->text);
        OffsetMap map;
        if (exact) {
          map = std::move(*exact);
        } else {
          map.add(0, policy->value.span.begin, /*verbatim=*/false);
        }
        doc.decoded = std::make_unique<SourceFile>(
            source_.path(), resolved->text, Embedding{&source_, std::move(map), Quoting::not_json});
        doc.source = doc.decoded.get();
        doc.needs_parse = true;
        doc.simulate = !repaired;
        doc.quoting = Quoting::not_json;
        doc.plain_template_string = policy->value.is_string();
        doc.computed_spans.push_back(policy->value.span);
        const Position p = source_.position(policy->value.span.begin);
        out_.notes.push_back(
            exact ? fmt::format("{}:{}:{}: {} of {} is written as a string: it is checked where "
                                "it is written, and fixes inside it are shown as suggestions",
                                source_.path(), p.line, p.column, property, id)
                  : fmt::format("{}:{}:{}: {} of {} is written as a string: it is checked, and "
                                "findings inside it are reported at the string's start (write "
                                "it as a mapping or a literal block for exact positions)",
                                source_.path(), p.line, p.column, property, id));
        out_.documents.push_back(std::move(doc));
        return out_.documents.size() - 1;
      } else {
        ++out_.unread_policies;
        const Position p = source_.position(policy->value.span.begin);
        out_.notes.push_back(fmt::format(
            "{}:{}:{}: {} of {} is a string built from values known only when the stack is "
            "deployed; it is not checked",
            source_.path(), p.line, p.column, property, id));
      }
      return std::nullopt;
    }
    doc.tree = std::move(*resolved);
    doc.unknown_spans = unknown_spans_;
    doc.simulate = !repaired;
    doc.quoting = quoting;
    stand_in_organizations(doc, policy->value);
    if (!doc.unknown_spans.empty()) {
      out_.notes.push_back(fmt::format(
          "{}: {} holds {} value(s) that cannot be known offline; the statements holding them "
          "are not judged",
          source_.path(), doc.label, doc.unknown_spans.size()));
    }
    out_.documents.push_back(std::move(doc));
    return out_.documents.size() - 1;
  }

  // A publishing destination exporting to a bucket the template creates (DestinationArn
  // !GetAtt B.Arn, or a !Sub of "${B}"), in a template with no AWS::S3::BucketPolicy: GuardDuty
  // gets into a bucket only through its policy, which is then in no file of this template
  // (another file of the setup may hold it: the setup decides, lint_setup).
  void record_bucket_without_policy() {
    const bool any_policy = std::any_of(resources_.begin(), resources_.end(), [](const auto& r) {
      return r.second.type == "AWS::S3::BucketPolicy";
    });
    if (any_policy) return;
    for (const auto& [id, resource] : resources_) {
      if (resource.type != "AWS::GuardDuty::PublishingDestination" || !resource.properties)
        continue;
      const json::Member* props = resource.properties->find("DestinationProperties");
      const json::Member* arn = props != nullptr && props->value.is_object()
                                    ? props->value.find("DestinationArn")
                                    : nullptr;
      if (arn == nullptr) continue;
      const std::string bucket = created_bucket(arn->value);
      if (bucket.empty()) continue;
      const Position p = source_.position(arn->value.span.begin);
      out_.unseen_policies.push_back(
          {documents::Kind::bucket_policy,
           fmt::format("{}:{}:{}: no bucket policy among the files read is that of {}, the bucket "
                       "the publishing destination {} exports to: the export is not judged in "
                       "full (GuardDuty is denied if it has none; if it is kept elsewhere, "
                       "check it there)",
                       source_.path(), p.line, p.column, bucket, id),
           bucket, id, make_location(source_, arn->value.span),
           fmt::format("add an AWS::S3::BucketPolicy for {} with GuardDuty's statements "
                       "(gd-export-lint init --format cloudformation writes them)",
                       bucket)});
      return;
    }
  }

  // The logical id of the AWS::S3::Bucket a DestinationArn as written refers to, or "".
  std::string created_bucket(const json::Value& written) const {
    if (!written.is_object() || written.members.size() != 1) return {};
    const json::Member& fn = written.members.front();
    std::string id;
    if (fn.key == "Fn::GetAtt") {
      if (fn.value.is_string() && fn.value.text.ends_with(".Arn"))
        id = fn.value.text.substr(0, fn.value.text.size() - 4);
      else if (fn.value.is_array() && fn.value.items.size() == 2 && fn.value.items[0].is_string() &&
               fn.value.items[1].is_string() && fn.value.items[1].text == "Arn")
        id = fn.value.items[0].text;
    } else if (fn.key == "Fn::Sub" && fn.value.is_string()) {
      // "arn:${AWS::Partition}:s3:::${Bucket}": the name is the whole rest of the ARN.
      const std::string_view text = fn.value.text;
      const std::size_t at = text.find(":s3:::${");
      if (at != std::string_view::npos && text.ends_with("}"))
        id = text.substr(at + 8, text.size() - at - 9);
    }
    const auto r = resources_.find(id);
    return r != resources_.end() && r->second.type == "AWS::S3::Bucket" ? id : std::string();
  }

  void read_destination(const std::string& id, const Resource& resource) {
    unknown_spans_.clear();
    std::optional<json::Value> properties = resolve(*resource.properties, 0);
    if (!properties || !unknown_spans_.empty()) {
      out_.notes.push_back(fmt::format(
          "{}: the publishing destination {} holds values that cannot be known offline; its "
          "settings are not used",
          source_.path(), id));
      return;
    }
    read_destination_settings(*properties, source_, out_, "GD007");
  }

  std::optional<std::string> given_bucket_;
  std::optional<std::string> given_key_arn_;
  std::set<std::string> given_buckets_;  // bucket policies of the given bucket
  std::set<std::string> given_keys_;     // keys of the given key ARN
};

}  // namespace

namespace {

// A key a template repeats is no reason for CloudFormation to reject it: it deploys the template
// with the last value (validate-template and update-stack accept it, aws/aws-cli#2404; AWS's own
// SRA GuardDuty template shipped with repeated "Condition" keys), and the model reads the last
// one too. So GD002 in a template is a warning about the value that is ignored.
void soften_duplicate_keys(std::vector<Diagnostic>& diagnostics) {
  for (Diagnostic& d : diagnostics) {
    if (d.rule_id != "GD002" || d.severity != Severity::error) continue;
    d.severity = Severity::warning;
    // The reason follows the position, after the key (which may itself hold "); ").
    const std::size_t reason = d.message.rfind("); ");
    if (reason != std::string::npos) d.message.resize(reason + 3);
    d.message +=
        "CloudFormation accepts the template and keeps the last value, so the first one is "
        "ignored";
  }
}

}  // namespace

void read_cloudformation(const json::Value& root, const SourceFile& source, Quoting quoting,
                         bool repaired, const Hints& hints, Extraction& out) {
  out.format = Format::cloudformation;
  soften_duplicate_keys(out.diagnostics);
  Template(root, source, hints, out).read(quoting, repaired);
}

Extraction read_cloudformation_yaml(const SourceFile& source, const Hints& hints) {
  Extraction out;
  out.format = Format::cloudformation;
  YamlResult yaml = read_yaml(source);
  out.diagnostics = std::move(yaml.diagnostics);
  if (!yaml.root) return out;
  if (yaml.root->is_object() && yaml.root->find("Statement") != nullptr) {
    // A bare policy written in YAML.
    out.format = Format::policy;
    EmbeddedDocument doc;
    doc.tree = std::move(*yaml.root);
    doc.source = &source;
    doc.simulate = !yaml.repaired;
    doc.quoting = Quoting::not_json;
    out.documents.push_back(std::move(doc));
    return out;
  }
  if (!yaml.root->is_object() || yaml.root->find("Resources") == nullptr) {
    Diagnostic d = make_diagnostic(
        "GD007", make_location(source, {0, 0}),
        "this YAML file is neither a CloudFormation template (no Resources) nor a policy (no "
        "Statement), so nothing in it was checked");
    d.severity = Severity::warning;
    out.diagnostics.push_back(std::move(d));
    return out;
  }
  read_cloudformation(*yaml.root, source, Quoting::not_json, yaml.repaired, hints, out);
  return out;
}

}  // namespace gdl::containers
