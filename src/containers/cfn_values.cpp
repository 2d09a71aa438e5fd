#include "containers/cfn_values.h"

#include <fmt/format.h>

#include <algorithm>

#include "containers/json_string.h"
#include "containers/stand_ins.h"
#include "diag/rule_catalog.h"
#include "export/settings.h"

namespace gdl::containers::cfn {

namespace {

bool is_account_id_text(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value a Fn::FindInMap with three literal keys gives (a key that is itself a function,
// such as !Ref AWS::Region, varies with the stack: nullptr).
const json::Value* literal_map_entry(const json::Value& arguments, const json::Value* mappings) {
  if (mappings == nullptr || !arguments.is_array() || arguments.items.size() != 3) return nullptr;
  const json::Value* at = mappings;
  for (const json::Value& key : arguments.items) {
    if (!key.is_string() || !at->is_object()) return nullptr;
    const json::Member* next = at->find(key.text);
    if (next == nullptr) return nullptr;
    at = &next->value;
  }
  return at;
}

// The one 12-digit account id the template's values name (a whole value, quoted or not, or the
// account field of an ARN), if they name exactly one.
std::optional<std::string> only_account_named(const json::Value& root) {
  const json::Member* mappings_member = root.find("Mappings");
  const json::Value* mappings = mappings_member != nullptr ? &mappings_member->value : nullptr;
  std::optional<std::string> found;
  bool several = false;
  auto consider = [&](std::string_view account) {
    if (!is_account_id_text(account)) return;
    if (found && *found != account) several = true;
    found = std::string(account);
  };
  std::vector<const json::Value*> pending{&root};
  while (!pending.empty() && !several) {
    const json::Value* v = pending.back();
    pending.pop_back();
    if (v->kind == json::Kind::string || v->kind == json::Kind::number) {
      consider(v->text);
      // Every ARN in the value, also inside a policy written as a string.
      const std::string_view text = v->text;
      for (std::size_t arn = text.find("arn:"); arn != std::string_view::npos;
           arn = text.find("arn:", arn + 4)) {
        std::size_t field = 0, from = arn;
        for (std::size_t at = arn; at <= text.size() && field <= 4; ++at) {
          if (at < text.size() && text[at] != ':') continue;
          if (field == 4) consider(text.substr(from, at - from));
          ++field;
          from = at + 1;
        }
      }
    }
    for (const json::Value& item : v->items) pending.push_back(&item);
    for (const json::Member& m : v->members) {
      // Prose and examples ("ConstraintDescription: e.g. 111122223333") are not values. Nor
      // is a map's account the stack's: it varies with the key (the ELB log-delivery account
      // of each Region, an account per environment).
      if (m.key == "Description" || m.key == "ConstraintDescription" || m.key == "Metadata" ||
          m.key == "AllowedPattern" || (v == &root && m.key == "Mappings"))
        continue;
      // An entry looked up with literal keys is as fixed as the value written in its place
      // (the same template with the literal instead must get the same verdict).
      if (m.key == "Fn::FindInMap") {
        if (const json::Value* entry = literal_map_entry(m.value, mappings))
          pending.push_back(entry);
      }
      pending.push_back(&m.value);
    }
  }
  if (several) return std::nullopt;
  return found;
}

// The one Region whose regional GuardDuty principal (guardduty.<region>.amazonaws.com) the
// template's values name, if they name exactly one.
std::optional<std::string> only_regional_principal(const json::Value& root) {
  std::optional<std::string> found;
  bool several = false;
  json::for_each_value(root, [&](const json::Value& v) {
    if (!v.is_string() || several) return;
    const std::string_view text = v.text;
    for (std::size_t at = text.find("guardduty."); at != std::string_view::npos;
         at = text.find("guardduty.", at + 10)) {
      const std::size_t end = text.find(".amazonaws.com", at + 10);
      if (end == std::string_view::npos) break;
      const std::string_view region = text.substr(at + 10, end - at - 10);
      if (!exportcfg::is_region(region)) continue;
      if (found && *found != region) several = true;
      found = std::string(region);
    }
  });
  if (several) return std::nullopt;
  return found;
}

bool icontains(std::string_view text, std::string_view word) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < word.size() && lower(text[i + j]) == word[j]) ++j;
    if (j == word.size()) return true;
  }
  return false;
}

}  // namespace

json::Value string_value(std::string text, Span span) {
  json::Value v(json::Kind::string, span);
  v.text = std::move(text);
  return v;
}

// Metadata: {"gd-export-lint": {"ignore": [{"rule": "GD307", "reason": "..."}]}} on a resource
// (as cfn-lint reads its own Metadata). A reason is required; a problem is a GD004 warning.
void TemplateValues::read_suppressions(const json::Member& resource) {
  const json::Member* metadata = resource.value.find("Metadata");
  const json::Member* ours = metadata != nullptr && metadata->value.is_object()
                                 ? metadata->value.find("gd-export-lint")
                                 : nullptr;
  if (ours == nullptr) return;
  auto problem = [this](Span at, std::string message) {
    Diagnostic d = make_diagnostic("GD004", make_location(source_, at), std::move(message));
    d.severity = Severity::warning;
    out_.diagnostics.push_back(std::move(d));
  };
  const json::Member* ignore = ours->value.is_object() ? ours->value.find("ignore") : nullptr;
  if (ignore == nullptr || !ignore->value.is_array()) {
    problem(ours->key_span,
            "gd-export-lint Metadata is {\"ignore\": [{\"rule\": \"GD307\", \"reason\": "
            "\"...\"}]}; it suppresses nothing");
    return;
  }
  for (const json::Value& entry : ignore->value.items) {
    const json::Member* rule = entry.is_object() ? entry.find("rule") : nullptr;
    const json::Member* reason = entry.is_object() ? entry.find("reason") : nullptr;
    const RuleInfo* info =
        rule != nullptr && rule->value.is_string() ? find_rule(rule->value.text) : nullptr;
    if (info == nullptr) {
      problem(entry.span,
              "this suppression names no known rule (\"rule\": \"GD307\"); it "
              "suppresses nothing");
    } else if (reason == nullptr || !reason->value.is_string() || reason->value.text.empty()) {
      problem(entry.span,
              "this suppression has no \"reason\", so it suppresses nothing: say "
              "why the finding is accepted");
    } else {
      out_.suppressions.push_back({resource.value.span, info->id, reason->value.text});
    }
  }
}

namespace {

// The one partition other than aws that the template's literal ARNs name (a GovCloud template's
// `arn:aws-us-gov:s3:::...`), when none names aws: the stack is deployed there, and what it
// builds from its Region (a key's Fn::GetAtt Arn, ${AWS::Partition}) is in that partition.
std::string_view only_other_partition(std::string_view text) {
  std::string_view found;
  for (std::size_t at = text.find("arn:aws"); at != std::string_view::npos;
       at = text.find("arn:aws", at + 7)) {
    const std::size_t end = text.find(':', at + 4);
    if (end == std::string_view::npos) break;
    const std::string_view partition = text.substr(at + 4, end - at - 4);
    if (partition == "aws") return {};
    if (!exportcfg::is_partition(partition)) continue;
    if (!found.empty() && found != partition) return {};
    found = partition;
  }
  return found;
}

// A stand-in Region of the partition (the default one's when there is none, or it has no
// Region the checks know) that none of the template's string `values` names.
std::string stand_in_region_of(std::string_view partition,
                               const std::vector<std::string_view>& values) {
  if (partition == "aws-us-gov") return unwritten_region(kGovCloudRegionStandIns, values);
  if (partition == "aws-cn") return unwritten_region(kChinaRegionStandIns, values);
  return unwritten_region(kDefaultRegionStandIns, values);
}

}  // namespace

TemplateValues::TemplateValues(const json::Value& root, const SourceFile& source,
                               const Hints& hints, Extraction& out)
    : source_(source), out_(out) {
  if (const json::Member* resources = root.find("Resources");
      resources && resources->value.is_object()) {
    for (const json::Member& m : resources->value.members) {
      Resource r;
      r.span = m.key_span;
      if (const json::Member* type = m.value.find("Type"); type && type->value.is_string())
        r.type = type->value.text;
      if (const json::Member* props = m.value.find("Properties"); props && props->value.is_object())
        r.properties = &props->value;
      if (const json::Member* c = m.value.find("Condition"); c && c->value.is_string())
        r.condition = c->value.text;
      read_suppressions(m);
      // A logical id given twice is the last one, as CloudFormation deploys it (GD002 warns).
      resources_.insert_or_assign(m.key, r);
    }
  }
  if (const json::Member* parameters = root.find("Parameters");
      parameters && parameters->value.is_object()) {
    for (const json::Member& m : parameters->value.members)
      parameters_.insert_or_assign(m.key, &m.value);
  }
  if (const json::Member* mappings = root.find("Mappings"); mappings && mappings->value.is_object())
    mappings_ = &mappings->value;
  if (const json::Member* conditions = root.find("Conditions");
      conditions && conditions->value.is_object()) {
    for (const json::Member& m : conditions->value.members)
      conditions_.insert_or_assign(m.key, &m.value);
  }

  // A template that names exactly one account literally is almost always deployed in it:
  // that account stands for ${AWS::AccountId}, so literal and symbolic uses agree.
  const std::optional<std::string> named = only_account_named(root);
  // ${AWS::AccountId} is the account the stack is deployed in. A template that creates the
  // detector or its destination exports from there: the exporting account. A template that
  // only holds the key or bucket may be deployed elsewhere (a log-archive account): the
  // bucket's account when given, else a stand-in that the given bucket's name or the
  // exporting account can bind later (see lint_setup).
  exports_here_ = std::any_of(resources_.begin(), resources_.end(), [](const auto& entry) {
    return entry.second.type == "AWS::GuardDuty::Detector" ||
           entry.second.type == "AWS::GuardDuty::PublishingDestination";
  });
  // A stack that creates the one key and no bucket is in the account of the key given (its ARN
  // names it), whoever owns the bucket.
  auto creates = [this](std::string_view type) {
    return std::count_if(resources_.begin(), resources_.end(),
                         [type](const auto& e) { return e.second.type == type; });
  };
  const std::vector<std::string_view> key_fields =
      hints.key_arn ? split_arn_fields(*hints.key_arn) : std::vector<std::string_view>{};
  const bool key_stack = !exports_here_ && creates("AWS::KMS::Key") == 1 &&
                         creates("AWS::S3::Bucket") == 0 && key_fields.size() == 6 &&
                         exportcfg::is_account_id(key_fields[4]);
  const std::optional<std::string> deployed_in =
      exports_here_ ? hints.account
      : key_stack   ? std::optional<std::string>(std::string(key_fields[4]))
                    : hints.bucket_account;
  // The stand-in is a distinctive number, so showing the symbol instead of it in findings
  // never rewrites another value (a run of zeros would match inside key ids).
  account_ = deployed_in.value_or(named.value_or(std::string(kAccountStandIn)));
  account_given_ = deployed_in.has_value();
  account_named_guess_ = !deployed_in && named.has_value();
  // A stack creating the detector or its destination exports from where it is deployed: the
  // guess is GuardDuty's account too, which fixes then write as ${AWS::AccountId} (a bucket
  // stack's account may be a log archive's: not there).
  if (account_named_guess_ && exports_here_) out_.guessed_account = account_;
  // Such a stack is deployed in each Region it exports from (a StackSet): with several Regions
  // given, its values of ${AWS::Region} (a key's ARN, aws:SourceArn) are each Region's own.
  out_.deployed_per_region =
      exports_here_ && (source.text().find("AWS::Region") != std::string_view::npos ||
                        std::any_of(resources_.begin(), resources_.end(), [](const auto& entry) {
                          return entry.second.type == "AWS::KMS::Key";
                        }));
  if (!deployed_in && !named) stand_in(account_, "${AWS::AccountId}");
  // A template that names the regional principal of one opt-in Region (written literally or
  // as a parameter's default) is deployed there: that Region stands for ${AWS::Region}. One
  // that names guardduty.${AWS::Region}.amazonaws.com is meant for opt-in Regions: its
  // stand-in Region is one.
  const std::optional<std::string> principal_region = only_regional_principal(root);
  const bool regional = source.text().find("guardduty.${AWS::Region}") != std::string_view::npos;
  // A stack creating the detector or its destination is in the Region it exports from (with
  // several given, lint_setup checks each). A bucket or key stack is deployed once: one that
  // creates the bucket is in the bucket's Region; otherwise, of several Regions given, which one
  // it is in is not known (not the first).
  std::optional<std::string> stack_region = hints.region;
  if (!exports_here_) {
    // A stack creating the one key is where the key given is (its ARN says the Region: the key
    // ARN bound to the given one names it, ${AWS::Region} in !GetAtt Key.Arn); so is one creating
    // the bucket, which GuardDuty requires in the key's Region (GD401), unless the bucket's
    // Region is given.
    const bool creates_bucket = creates("AWS::S3::Bucket") > 0;
    if (creates_bucket && hints.bucket_region) {
      stack_region = hints.bucket_region;
    } else if ((creates_bucket || creates("AWS::KMS::Key") == 1) && key_fields.size() == 6 &&
               exportcfg::is_region(key_fields[3])) {
      stack_region = std::string(key_fields[3]);
    } else if (!hints.one_region) {
      stack_region.reset();
    }
  }
  // The template's string values (not its comments or map keys) are what a stand-in must not be.
  std::vector<std::string_view> values;
  if (!stack_region && !principal_region) {
    json::for_each_value(root, [&values](const json::Value& v) {
      if (v.is_string()) values.push_back(v.text);
    });
  }
  region_ = stack_region.value_or(principal_region.value_or(
      regional ? unwritten_region(kOptInRegionStandIns, values)
               : stand_in_region_of(only_other_partition(source.text()), values)));
  if (!stack_region) {
    stand_in(region_, "${AWS::Region}");
    out_.notes.push_back(fmt::format(
        "{}: ${{AWS::Region}} is checked as {}{} ({})", source.path(), region_,
        principal_region ? ", the Region of the regional GuardDuty principal the template names"
        : regional       ? ", an opt-in Region, because the template names the regional "
                           "GuardDuty principal"
                         : "",
        hints.region ? "the stack is deployed once, in a Region not given: give --bucket-region "
                       "when it creates the bucket"
                     : "give --region to use yours"));
  }
  // A stack that exports from where it is deployed: the account and Region given are its own
  // and GuardDuty's, and a fix of a policy that refers to them writes the template's symbols,
  // not one deployment's values (a StackSet is deployed in every account and Region). A bucket
  // or key stack's are another matter (a log archive's), so its fixes keep the values.
  if (exports_here_ && deployed_in) out_.fix_symbol(account_, "${AWS::AccountId}", {}, {});
  if (exports_here_ && stack_region) out_.fix_symbol(region_, "${AWS::Region}", {}, {});
  if (!deployed_in) {
    out_.notes.push_back(fmt::format(
        "{}: ${{AWS::AccountId}} is checked as {}{} ({})", source.path(), account_,
        named ? ", the only account the template names" : "",
        exports_here_ ? "give --account to use yours"
                      : "the stack's account: give --bucket-account when it holds the bucket"));
  }
  apply_decided_conditions();
}

void TemplateValues::apply_decided_conditions() {
  for (auto it = resources_.begin(); it != resources_.end();) {
    Resource& r = it->second;
    const std::optional<bool> holds =
        r.condition.empty() ? std::nullopt : condition(r.condition, 0);
    if (holds && !*holds) {
      const std::string* region_symbol = out_.symbol_for(region_);
      out_.notes.push_back(fmt::format(
          "{}: {} is not created (condition {} is false in {}{}), so it is not checked",
          source_.path(), it->first, r.condition, region_,
          region_symbol != nullptr ? ", the Region checked: give --region to check another" : ""));
      it = resources_.erase(it);
      continue;
    }
    if (holds) r.condition_holds = true;
    ++it;
  }
}

std::optional<bool> TemplateValues::condition(const std::string& name, int depth) {
  if (const auto memo = decided_.find(name); memo != decided_.end()) return memo->second;
  const auto found = conditions_.find(name);
  // An undeclared condition, or one defined through itself, is CloudFormation's error to report.
  if (found == conditions_.end() || depth > kMaxDepth || !deciding_.insert(name).second)
    return std::nullopt;
  const std::optional<bool> value = decide(*found->second, depth + 1);
  deciding_.erase(name);
  decided_.emplace(name, value);
  return value;
}

std::optional<bool> TemplateValues::decide(const json::Value& v, int depth) {
  if (depth > kMaxDepth || !v.is_object() || v.members.size() != 1) return std::nullopt;
  const json::Member& m = v.members.front();
  const json::Value& arg = m.value;
  if (m.key == "Condition") return arg.is_string() ? condition(arg.text, depth + 1) : std::nullopt;
  if (m.key == "Fn::Equals") {
    if (!arg.is_array() || arg.items.size() != 2) return std::nullopt;
    const std::optional<std::string> a = fact_string(arg.items[0], depth + 1);
    const std::optional<std::string> b = a ? fact_string(arg.items[1], depth + 1) : std::nullopt;
    if (!a || !b) return std::nullopt;
    return *a == *b;
  }
  if (m.key == "Fn::Not") {
    if (!arg.is_array() || arg.items.size() != 1) return std::nullopt;
    const std::optional<bool> inner = decide(arg.items[0], depth + 1);
    return inner ? std::optional<bool>(!*inner) : std::nullopt;
  }
  if (m.key == "Fn::And" || m.key == "Fn::Or") {
    // One false decides an And, one true an Or, whatever the open ones turn out to be.
    const bool deciding = m.key == "Fn::Or";
    if (!arg.is_array() || arg.items.empty()) return std::nullopt;
    bool open = false;
    for (const json::Value& item : arg.items) {
      const std::optional<bool> value = decide(item, depth + 1);
      if (!value)
        open = true;
      else if (*value == deciding)
        return deciding;
    }
    return open ? std::nullopt : std::optional<bool>(!deciding);
  }
  return std::nullopt;
}

std::optional<std::string> TemplateValues::fact_string(const json::Value& v, int depth) {
  // Resolved quietly: an open value only leaves the condition open (no note of its own).
  // (Everything resolving records is put back: notes, stand-ins, the parameters noted.)
  const std::size_t notes = out_.notes.size();
  const std::size_t unknowns = unknown_spans_.size();
  const std::set<std::string, std::less<>> noted = parameter_noted_;
  const auto stand_ins = out_.stand_ins;
  const std::size_t unwritable = out_.unwritable.size();
  const bool default_used = default_used_;
  const bool account_guess_used = account_guess_used_;
  const bool outer_guess = std::exchange(guessed_, false);
  std::optional<std::string> text = resolve_string(v, depth);
  const bool guessed = guessed_;
  guessed_ = outer_guess || guessed;
  out_.notes.resize(notes);
  unknown_spans_.resize(unknowns);
  parameter_noted_ = noted;
  out_.stand_ins = stand_ins;
  out_.unwritable.resize(unwritable);
  default_used_ = default_used;
  account_guess_used_ = account_guess_used;
  if (!text || guessed) return std::nullopt;
  // The stand-in Region is the one exception: the whole template is checked as deployed there
  // (its ARNs, its principals), so its Region-only conditions are decided for it too, as
  // CloudFormation would decide them in that Region. Deciding them otherwise would judge two
  // mutually exclusive resources as one deployment (a StackSet's bucket policy for opt-in
  // Regions beside the one for the others).
  for (const auto& [value, symbol] : out_.stand_ins) {
    if (!value.empty() && symbol != "${AWS::Region}" && text->find(value) != std::string::npos)
      return std::nullopt;
  }
  return text;
}

std::string TemplateValues::partition() const {
  return std::string(exportcfg::partition_of_region(region_));
}

void TemplateValues::stand_in(const std::string& value, std::string symbol) {
  out_.stand_ins.emplace_back(value, std::move(symbol));
}

// A value a map gives for a stand-in key (the ELB account of `${AWS::Region}` checked as
// eu-north-1) holds only under that stand-in: it is shown as the look-up, never as a fact, and
// a fix holding it is a suggestion. Only distinctive values (an account, an ARN) are marked:
// showing the symbol in place of a short word would rewrite unrelated text.
void TemplateValues::note_stand_in_lookup(const json::Value& found, const std::string& map,
                                          const std::string& first, const std::string& second) {
  if (!found.is_string() || !(is_account_id_text(found.text) || found.text.starts_with("arn:")))
    return;
  auto symbol_of = [&](const std::string& key) {
    const std::string* symbol = out_.symbol_for(key);
    return symbol != nullptr ? *symbol : std::string();
  };
  const std::string a = symbol_of(first);
  const std::string b = symbol_of(second);
  if (a.empty() && b.empty()) return;
  remember(found.text, fmt::format("!FindInMap [{}, {}, {}]", map, a.empty() ? first : a,
                                   b.empty() ? second : b));
}

json::Value TemplateValues::unknown(Span span, std::string why) {
  unknown_spans_.push_back(span);
  const Position at = make_location(source_, span).start;
  out_.notes.push_back(
      fmt::format("{}:{}:{}: {}; treated as unknown", source_.path(), at.line, at.column, why));
  return string_value("", span);
}

std::optional<json::Value> TemplateValues::resolve(const json::Value& v, int depth) {
  if (depth > kMaxDepth) return unknown(v.span, "the value is nested too deeply");
  if (v.is_object() && v.members.size() == 1) {
    const json::Member& m = v.members.front();
    if (m.key == "Ref" || m.key.starts_with("Fn::") || m.key.starts_with("!"))
      return intrinsic(m, v.span, depth);
  }
  json::Value copy(v.kind, v.span);
  copy.boolean = v.boolean;
  copy.text = v.text;
  for (const json::Value& item : v.items) {
    if (auto r = resolve(item, depth + 1)) copy.items.push_back(std::move(*r));
  }
  for (const json::Member& m : v.members) {
    auto r = resolve(m.value, depth + 1);
    if (!r) continue;
    json::Member member;
    member.key = m.key;
    member.key_span = m.key_span;
    member.value = std::move(*r);
    copy.members.push_back(std::move(member));
  }
  return copy;
}

std::optional<std::string> TemplateValues::resolve_string(const json::Value& v, int depth) {
  const std::size_t before = unknown_spans_.size();
  std::optional<json::Value> r = resolve(v, depth + 1);
  if (!r || unknown_spans_.size() != before) return std::nullopt;
  if (r->kind == json::Kind::string || r->kind == json::Kind::number) return r->text;
  if (r->kind == json::Kind::boolean) return std::string(r->boolean ? "true" : "false");
  return std::nullopt;
}

std::optional<json::Value> TemplateValues::intrinsic(const json::Member& m, Span span, int depth) {
  const std::string& fn = m.key;
  const json::Value& arg = m.value;
  if (fn == "Ref") {
    if (!arg.is_string()) return unknown(span, "Ref needs a name");
    if (arg.text == "AWS::NoValue") return std::nullopt;
    if (auto value = ref(arg.text, span)) return string_value(std::move(*value), span);
    return unknown(span, fmt::format("Ref {} cannot be resolved offline", arg.text));
  }
  if (fn == "Fn::GetAtt") {
    std::string resource, attribute;
    if (arg.is_array() && arg.items.size() == 2 && arg.items[0].is_string()) {
      resource = arg.items[0].text;
      if (auto a = resolve_string(arg.items[1], depth)) attribute = *a;
    } else if (arg.is_string()) {
      const std::size_t dot = arg.text.find('.');
      resource = arg.text.substr(0, dot);
      if (dot != std::string::npos) attribute = arg.text.substr(dot + 1);
    }
    if (auto value = get_att(resource, attribute)) return string_value(std::move(*value), span);
    return unknown(span,
                   fmt::format("Fn::GetAtt {}.{} cannot be resolved offline", resource, attribute));
  }
  if (fn == "Fn::Sub") return sub(arg, span, depth);
  if (fn == "Fn::Join") {
    if (!arg.is_array() || arg.items.size() != 2)
      return unknown(span, "Fn::Join needs [delimiter, list]");
    auto delimiter = resolve_string(arg.items[0], depth);
    auto list = resolve(arg.items[1], depth + 1);
    if (!delimiter || !list || !list->is_array())
      return unknown(span, "Fn::Join's list cannot be resolved offline");
    std::string joined;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const json::Value& item = list->items[i];
      if (item.is_array() || item.is_object())
        return unknown(span, "Fn::Join's list cannot be resolved offline");
      if (i > 0) joined += *delimiter;
      joined += item.text;
    }
    return string_value(std::move(joined), span);
  }
  if (fn == "Fn::Select") {
    if (!arg.is_array() || arg.items.size() != 2)
      return unknown(span, "Fn::Select needs [index, list]");
    auto index = resolve_string(arg.items[0], depth);
    auto list = resolve(arg.items[1], depth + 1);
    if (index && list && list->is_array()) {
      char* end = nullptr;
      const unsigned long i = std::strtoul(index->c_str(), &end, 10);
      if (end != index->c_str() && *end == '\0' && i < list->items.size())
        return std::move(list->items[i]);
    }
    return unknown(span, "Fn::Select cannot be resolved offline");
  }
  if (fn == "Fn::Split") {
    if (!arg.is_array() || arg.items.size() != 2)
      return unknown(span, "Fn::Split needs [delimiter, string]");
    auto delimiter = resolve_string(arg.items[0], depth);
    auto text = resolve_string(arg.items[1], depth);
    if (!delimiter || !text || delimiter->empty())
      return unknown(span, "Fn::Split cannot be resolved offline");
    json::Value list(json::Kind::array, span);
    std::size_t from = 0;
    for (std::size_t at; (at = text->find(*delimiter, from)) != std::string::npos;
         from = at + delimiter->size()) {
      // A policy of 20 KB holds a few thousand values at most: 900,000 pieces took 1 GB.
      if (list.items.size() + 1 >= kMaxSplitItems) {  // this piece and the last
        return unknown(span, fmt::format("Fn::Split makes more than {} items, far beyond any "
                                         "policy AWS accepts",
                                         kMaxSplitItems));
      }
      list.items.push_back(string_value(text->substr(from, at - from), span));
    }
    list.items.push_back(string_value(text->substr(from), span));
    return list;
  }
  if (fn == "Fn::FindInMap") {
    if (mappings_ != nullptr && arg.is_array() && arg.items.size() == 3) {
      auto map = resolve_string(arg.items[0], depth);
      auto first = resolve_string(arg.items[1], depth);
      auto second = resolve_string(arg.items[2], depth);
      if (map && first && second) {
        const json::Member* a = mappings_->find(*map);
        const json::Member* b = a ? a->value.find(*first) : nullptr;
        const json::Member* c = b ? b->value.find(*second) : nullptr;
        if (c != nullptr) {
          std::optional<json::Value> found = resolve(c->value, depth + 1);
          if (found) note_stand_in_lookup(*found, *map, *first, *second);
          return found;
        }
        // Say which key is missing, and when it is a stand-in (${AWS::Region} checked as
        // eu-north-1) that the mapping simply has no entry for it: --region picks one it has.
        auto missing = [&](const std::string& where, const std::string& key) {
          const std::string* symbol = out_.symbol_for(key);
          if (symbol == nullptr)
            return unknown(span, fmt::format("Fn::FindInMap: {} has no key {}", where, key));
          const std::string_view then =
              *symbol == "${AWS::Region}"      ? "give --region to look up yours"
              : *symbol == "${AWS::AccountId}" ? "give --account to look up yours"
                                               : "the deployment's value may be there";
          return unknown(span, fmt::format("Fn::FindInMap: {} has no key {} ({} is checked as {}, "
                                           "a stand-in: {})",
                                           where, key, *symbol, key, then));
        };
        if (a == nullptr)
          return unknown(span, fmt::format("Fn::FindInMap: the template has no mapping {}", *map));
        if (b == nullptr) return missing("mapping " + *map, *first);
        return missing(fmt::format("mapping {} at {}", *map, *first), *second);
      }
    }
    return unknown(span, "Fn::FindInMap cannot be resolved offline");
  }
  // Fn::If on a condition the facts decide (a Region given with --region) takes its branch, as
  // CloudFormation does; AWS::NoValue there removes the property or element.
  if (fn == "Fn::If" && arg.is_array() && arg.items.size() == 3 && arg.items[0].is_string()) {
    if (const std::optional<bool> holds = condition(arg.items[0].text, depth + 1))
      return resolve(arg.items[*holds ? 1 : 2], depth + 1);
    return unknown(
        span, fmt::format("Fn::If on condition {} depends on the deployment", arg.items[0].text));
  }
  if (std::find(kDeploymentFunctions.begin(), kDeploymentFunctions.end(), fn) !=
      kDeploymentFunctions.end())
    return unknown(span, fmt::format("{} depends on the deployment", fn));
  return unknown(span, fmt::format("{} is not a known function", fn));
}

std::optional<json::Value> TemplateValues::sub(const json::Value& arg, Span span, int depth) {
  const json::Value* format = &arg;
  std::map<std::string, std::string, std::less<>> vars;
  if (arg.is_array() && !arg.items.empty()) {
    format = &arg.items[0];
    if (arg.items.size() > 1 && arg.items[1].is_object()) {
      for (const json::Member& m : arg.items[1].members) {
        auto value = resolve_string(m.value, depth);
        if (!value)
          return unknown(span,
                         fmt::format("Fn::Sub variable {} cannot be resolved offline", m.key));
        vars.insert_or_assign(m.key, std::move(*value));
      }
    }
  }
  if (!format->is_string()) return unknown(span, "Fn::Sub needs a string");
  const std::string& text = format->text;
  std::string result;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      result += text[i++];
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string::npos) {
      result += text.substr(i);
      break;
    }
    const std::string name = text.substr(i + 2, close - i - 2);
    i = close + 1;
    if (name.starts_with("!")) {  // ${!Literal} is written as ${Literal}
      result += "${" + name.substr(1) + "}";
      continue;
    }
    if (auto it = vars.find(name); it != vars.end()) {
      result += it->second;
      continue;
    }
    std::optional<std::string> value;
    if (const std::size_t dot = name.find('.');
        dot != std::string::npos && !name.starts_with("AWS::")) {
      value = get_att(name.substr(0, dot), name.substr(dot + 1));
    } else {
      value = ref(name, span);
    }
    if (!value) return unknown(span, fmt::format("${{{}}} cannot be resolved offline", name));
    result += *value;
  }
  return string_value(std::move(result), span);
}

std::optional<std::string> TemplateValues::ref(const std::string& name, Span span) {
  if (name == "AWS::AccountId") {
    // The only account the template names is a likely guess, not a fact to decide a condition.
    if (!account_given_) guessed_ = true;
    if (account_named_guess_) account_guess_used_ = true;
    return account_;
  }
  if (name == "AWS::Region") return region_;
  // The partition and URL suffix of the Region: facts when it is (--region), else a guess
  // never to decide a condition on; the stack's name is never known.
  if (((name == "AWS::Partition" || name == "AWS::URLSuffix") &&
       out_.symbol_for(region_) != nullptr) ||
      name == "AWS::StackName")
    guessed_ = true;
  if (name == "AWS::Partition") return partition();
  if (name == "AWS::URLSuffix") return std::string(exportcfg::dns_suffix(partition()));
  if (name == "AWS::StackName") {
    // Never known offline: a stand-in, shown as the symbol, so that a name built from it
    // ("${AWS::StackName}-findings") is no fact a policy's literal is held against.
    const std::string stand = "stackname-5e1d0c7b";
    if (!std::exchange(stack_name_used_, true)) {
      stand_in(stand, "${AWS::StackName}");
      out_.free_names.push_back(stand);
      out_.notes.push_back(fmt::format(
          "{}: ${{AWS::StackName}} is checked as {} (the stack's name is known only when it is "
          "deployed)",
          source_.path(), stand));
    }
    return stand;
  }
  if (name.starts_with("AWS::")) return std::nullopt;
  if (auto it = parameters_.find(name); it != parameters_.end())
    return parameter(name, *it->second, span);
  if (auto it = resources_.find(name); it != resources_.end()) {
    const Resource& r = it->second;
    if (r.type == "AWS::S3::Bucket") return bucket_name(name, r);
    if (r.type == "AWS::KMS::Key") return key_id(name);
    if (r.type == "AWS::KMS::Alias") return std::nullopt;
    if (r.type == "AWS::GuardDuty::Detector") return detector_id(name);
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> TemplateValues::get_att(const std::string& resource,
                                                   const std::string& attribute) {
  auto it = resources_.find(resource);
  if (it == resources_.end()) return std::nullopt;
  const Resource& r = it->second;
  if (r.type == "AWS::S3::Bucket" && attribute == "Arn") {
    auto name = bucket_name(resource, r);
    if (!name) return std::nullopt;
    return fmt::format("arn:{}:s3:::{}", partition(), *name);
  }
  if (r.type == "AWS::KMS::Key" && attribute == "Arn") {
    std::string arn =
        fmt::format("arn:{}:kms:{}:{}:key/{}", partition(), region_, account_, key_id(resource));
    // In the account the template names only as a guess for the stack's: shown, and written
    // into fixes, as the key's own ARN.
    if (account_named_guess_) out_.stand_in_first(arn, fmt::format("${{{}.Arn}}", resource));
    return arn;
  }
  if (r.type == "AWS::KMS::Key" && attribute == "KeyId") return key_id(resource);
  if (r.type == "AWS::GuardDuty::Detector" && attribute == "Id") return detector_id(resource);
  return std::nullopt;
}

std::optional<std::string> TemplateValues::bucket_name(const std::string& id, const Resource& r) {
  if (r.properties != nullptr) {
    if (const json::Member* name = r.properties->find("BucketName")) {
      // A name that refers back to its own bucket (directly or through others) is a cycle
      // CloudFormation rejects; here it is unknown, not an endless recursion.
      if (!naming_.insert(id).second) return std::nullopt;
      std::vector<Span> saved = unknown_spans_;
      const bool outer_default = std::exchange(default_used_, false);
      const bool outer_account = std::exchange(account_guess_used_, false);
      std::optional<std::string> resolved = resolve_string(name->value, 0);
      unknown_spans_ = std::move(saved);
      naming_.erase(id);
      // A name built from a parameter's Default ("${Env}-logs-${AWS::AccountId}") is the
      // default deployment's only: findings and fixes show the bucket itself (${LogsBucket}, its
      // name wherever it is deployed), not "prod-logs-..." as if every stack had it. First
      // among the stand-ins, so it is shown before the account inside it is; only a name long
      // enough not to be a word of other text. Likewise a name built from ${AWS::AccountId}
      // taken as the only account the template names: that account may be the key's, not the
      // stack's, and a fix must not write "guardduty-findings-<that account>" as the bucket.
      if (resolved && (default_used_ || account_guess_used_) && resolved->size() >= 8) {
        out_.stand_in_first(*resolved, fmt::format("${{{}}}", id));
      } else if (resolved && resolved->size() >= 8) {
        // A name known here (written, or built from the account and Region given): a fix of a
        // policy referring to the bucket names it as the template does, wherever it is deployed.
        out_.fix_symbol(*resolved, fmt::format("${{{}}}", id), id, {});
      }
      default_used_ = default_used_ || outer_default;
      account_guess_used_ = account_guess_used_ || outer_account;
      return resolved;
    }
  }
  std::string stand = bucket_name_stand_in(id);
  remember(stand, fmt::format("${{{}}}", id));
  return stand;
}

std::string TemplateValues::key_id(const std::string& id) {
  std::string stand = key_id_stand_in(id);
  remember(stand, fmt::format("${{{}}}", id));
  return stand;
}

std::string TemplateValues::detector_id(const std::string& id) {
  std::string stand = detector_id_stand_in(id);
  remember(stand, fmt::format("${{{}}}", id));
  return stand;
}

std::optional<std::string> TemplateValues::parameter(const std::string& name,
                                                     const json::Value& definition, Span span) {
  (void)span;
  if (const json::Member* def = definition.find("Default")) {
    if (def->value.is_string() || def->value.kind == json::Kind::number) {
      default_used_ = true;
      guessed_ = true;
      // An assumption the check rests on, listed with the others: a deployment may pass another.
      if (parameter_noted_.insert(name).second)
        out_.notes.push_back(fmt::format("{}: parameter {} is checked as its Default, {}",
                                         source_.path(), name,
                                         def->value.text.empty() ? "\"\"" : def->value.text));
      return def->value.text;
    }
  }
  // No default: a consistent stand-in shaped by what the parameter's name says it is (never a
  // fact a condition can be decided on).
  guessed_ = true;
  std::string stand;
  if (icontains(name, "account")) {
    stand = std::to_string(100000000000ULL + fnv1a(name) % 899999999999ULL);
  } else if (icontains(name, "region")) {
    stand = region_;
  } else if (icontains(name, "detector")) {
    stand = hex_digits(name, 32);
  } else if (icontains(name, "arn")) {
    return std::nullopt;  // an ARN of what? Not guessable.
  } else {
    stand = bucket_name_stand_in(name);
  }
  if (!parameter_noted_.contains(name)) {
    parameter_noted_.insert(name);
    out_.notes.push_back(
        fmt::format("{}: parameter {} has no default; checked as {}", source_.path(), name, stand));
  }
  remember(stand, fmt::format("${{{}}}", name));
  out_.free_names.push_back(stand);
  return stand;
}

void TemplateValues::remember(const std::string& value, std::string symbol) {
  if (out_.symbol_for(value) == nullptr) stand_in(value, std::move(symbol));
}

}  // namespace gdl::containers::cfn
