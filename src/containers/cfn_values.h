#pragma once
// Internal to containers/: a CloudFormation template's values, resolved offline. Ref and
// Fn::GetAtt to the template's own bucket, key and detector become consistent symbolic values;
// Fn::Sub, Fn::Join, Fn::Select, Fn::Split and Fn::FindInMap over known values are computed;
// parameters use their Default; ${AWS::AccountId} and ${AWS::Region} are stand-ins (recorded, so
// findings show the symbols). What depends on the deployment is an unknown value.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "containers/container.h"
#include "json/value.h"
#include "source/source_file.h"

namespace gdl::containers::cfn {

// Functions whose value depends on the deployment: never resolved offline.
constexpr std::array<std::string_view, 12> kDeploymentFunctions = {
    "Fn::If",     "Fn::ImportValue", "Fn::Base64", "Fn::GetAZs", "Fn::Cidr",   "Fn::Transform",
    "Fn::Equals", "Fn::Not",         "Fn::And",    "Fn::Or",     "Fn::Length", "Fn::ToJsonString"};
constexpr std::array<std::string_view, 6> kResolvedFunctions = {
    "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap"};

// Functions of a template's Rules section (and of the LanguageExtensions transform's
// Fn::ForEach:: loops, accepted by prefix).
constexpr std::array<std::string_view, 6> kRuleFunctions = {
    "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn",
    "Fn::RefAll",   "Fn::ValueOf",          "Fn::ValueOfAll"};

// Deeper than any real template; bounds the recursion on hostile JSON nested 100,000 deep.
constexpr int kMaxDepth = 200;
// Pieces one Fn::Split may make; more are unknown (no policy AWS accepts holds that many).
constexpr std::size_t kMaxSplitItems = 10'000;

struct Resource {
  std::string type;
  const json::Value* properties = nullptr;
  Span span;
  std::string condition;  // the resource's Condition attribute: it exists only when that holds
  // The condition holds where the template is checked (decided on facts): the resource is
  // checked as created, but other Regions or accounts may not create it, so a resource without
  // the condition still must not refer to it.
  bool condition_holds = false;
};

json::Value string_value(std::string text, Span span);

class TemplateValues {
 public:
  TemplateValues(const json::Value& root, const SourceFile& source, const Hints& hints,
                 Extraction& out);

 protected:
  void read_suppressions(const json::Member& resource);
  // Records a stand-in checked for a template symbol ("409732615928" for ${AWS::AccountId}).
  void stand_in(const std::string& value, std::string symbol);
  // The partition of the stack's Region (${AWS::Partition}).
  [[nodiscard]] std::string partition() const;

  json::Value unknown(Span span, std::string why);
  void note_stand_in_lookup(const json::Value& found, const std::string& map,
                            const std::string& first, const std::string& second);

  // nullopt: the value is AWS::NoValue and disappears from its object or list.
  std::optional<json::Value> resolve(const json::Value& v, int depth);

  // A resolved string, or nullopt when it is unknown (recorded) or not a string.
  std::optional<std::string> resolve_string(const json::Value& v, int depth);

  std::optional<json::Value> intrinsic(const json::Member& m, Span span, int depth);

  // A template Condition's value when it rests on facts alone (literals, a Region or account the
  // user gave): true or false; none when it depends on the deployment (a parameter, a stand-in).
  std::optional<bool> condition(const std::string& name, int depth);
  std::optional<bool> decide(const json::Value& v, int depth);
  // A string the deployment cannot change: resolved, no parameter default or stand-in in it.
  std::optional<std::string> fact_string(const json::Value& v, int depth);
  // Resources whose Condition is decided: dropped when false (CloudFormation does not create
  // them), unconditional when true.
  void apply_decided_conditions();

  std::optional<json::Value> sub(const json::Value& arg, Span span, int depth);

  std::optional<std::string> ref(const std::string& name, Span span);

  std::optional<std::string> get_att(const std::string& resource, const std::string& attribute);

  std::optional<std::string> bucket_name(const std::string& id, const Resource& r);

  std::string key_id(const std::string& id);

  std::string detector_id(const std::string& id);

  std::optional<std::string> parameter(const std::string& name, const json::Value& definition,
                                       Span span);

  void remember(const std::string& value, std::string symbol);

  const SourceFile& source_;
  Extraction& out_;
  std::map<std::string, Resource, std::less<>> resources_;
  std::map<std::string, const json::Value*, std::less<>> parameters_;
  const json::Value* mappings_ = nullptr;
  std::set<std::string, std::less<>> parameter_noted_;
  std::set<std::string, std::less<>> naming_;  // buckets whose BucketName is being resolved
  bool default_used_ = false;  // a parameter's Default was taken since this was last cleared
  bool guessed_ = false;  // a value the deployment may change (a Default, AWS::Partition) was taken
  std::map<std::string, const json::Value*, std::less<>> conditions_;  // the Conditions section
  std::map<std::string, std::optional<bool>, std::less<>> decided_;    // memo (none: open)
  std::set<std::string, std::less<>> deciding_;  // conditions being decided (a cycle is open)
  std::string account_;
  bool account_given_ = false;  // account_ is the user's (--account, --bucket-account)
  // account_ is the only account the template names literally, taken for ${AWS::AccountId}: a
  // likely guess that is shown as written (it is the user's literal) but never put into a name
  // built from ${AWS::AccountId} in a fix.
  bool account_named_guess_ = false;
  bool account_guess_used_ = false;  // ${AWS::AccountId} was so taken since this was last cleared
  bool stack_name_used_ = false;     // ${AWS::StackName} was read (its stand-in recorded)
  std::string region_;
  bool exports_here_ = false;  // the template creates the detector or its destination
  std::vector<Span> unknown_spans_;
};

}  // namespace gdl::containers::cfn
