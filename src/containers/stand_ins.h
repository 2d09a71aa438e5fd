#pragma once
// Internal to containers/: the concrete values checked for symbols a container leaves open (a
// template's ${AWS::AccountId}, a generated bucket name, a Terraform resource's key id). They
// are derived from the symbol's name, so the same input always gets the same values, and are
// distinctive, so that showing the symbol instead of a stand-in never rewrites another value.

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "containers/container.h"

namespace gdl::containers {

// The account checked for an account nobody named (a run of zeros would match inside key ids).
inline constexpr std::string_view kAccountStandIn = "409732615928";

std::uint64_t fnv1a(std::string_view text);

// `count` lower-case hex digits derived from `seed`.
std::string hex_digits(std::string_view seed, std::size_t count);

// A valid bucket name derived from a name, made distinctive by a hash suffix.
std::string bucket_name_stand_in(std::string_view name);

// A KMS key id (a UUID) derived from a name.
std::string key_id_stand_in(std::string_view name);

// A GuardDuty detector id (32 hex digits) derived from a name.
std::string detector_id_stand_in(std::string_view name);

// The first Region of `candidates` that none of `texts` holds as a whole word inside a longer
// value (the first when every one is written). A stand-in Region must not be one the container
// writes itself: binding it to the user's Region would rewrite that literal (a module's
// "arn:aws:guardduty:eu-north-1:..."), and showing the stand-in's symbol would hide it.
std::string unwritten_region(std::span<const std::string_view> candidates,
                             const std::vector<std::string_view>& texts);
// Candidates for the stand-in Region: Regions enabled by default, opt-in Regions (for a container
// written for them, which names the regional principal of its own Region), GovCloud's, China's.
inline constexpr std::array<std::string_view, 5> kDefaultRegionStandIns = {
    "eu-north-1", "eu-west-3", "ca-central-1", "sa-east-1", "ap-northeast-3"};
inline constexpr std::array<std::string_view, 5> kOptInRegionStandIns = {
    "af-south-1", "ap-east-1", "me-south-1", "eu-south-1", "ap-southeast-3"};
inline constexpr std::array<std::string_view, 2> kGovCloudRegionStandIns = {"us-gov-west-1",
                                                                            "us-gov-east-1"};
inline constexpr std::array<std::string_view, 2> kChinaRegionStandIns = {"cn-north-1",
                                                                         "cn-northwest-1"};

// An organization id known only when deployed, checked as a stand-in.
struct OrganizationStandIn {
  Span at;             // where the value is written
  std::string symbol;  // "${data.aws_organizations_organization.org.id}"
  std::string value;   // "o-3f9c2a7d1e"
};

// Organization ids known only when deployed (a Terraform data source's id, a template's custom
// resource attribute) in a statement's conditions, checked as a stand-in organization instead of
// leaving the statement unjudged, where no verdict about GuardDuty can turn on which organization
// it is:
// - aws:PrincipalOrgID and aws:ResourceOrgID, in any statement: GuardDuty's requests carry
//   neither key (a service principal has no organization; the request model sends no
//   aws:ResourceOrgID), so its verdict is the same for every value; someone else's request is
//   judged against one consistent organization.
// - aws:SourceOrgID, in an Allow with a positive string operator: GuardDuty's requests carry the
//   organization the grants name, so such a grant lets them in whatever it is. In a Deny, or
//   negated, it stays unknown: a stand-in could differ from an organization written elsewhere,
//   and GuardDuty refused for it would be a false failure.
// Every such id of a container is one organization (an account belongs to one): two data sources
// or custom resources naming it get the same stand-in, shown as the first one's symbol.
// `symbol_of` gives the symbol shown for the unknown value at a span (empty: leave it unknown).
// The spans stood in for are taken out of `doc.unknown_spans`, and out of `parallel` (a
// container's list of reasons, index for index) when given.
std::vector<OrganizationStandIn> stand_in_organization_ids(
    EmbeddedDocument& doc, Extraction& out, const std::function<std::string(Span)>& symbol_of,
    std::vector<std::string>* parallel = nullptr);

}  // namespace gdl::containers
