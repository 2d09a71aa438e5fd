#include "containers/stand_ins.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/text.h"

namespace gdl::containers {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string hex_digits(std::string_view seed, std::size_t count) {
  std::string out;
  std::uint64_t hash = fnv1a(seed);
  while (out.size() < count) {
    out += "0123456789abcdef"[hash & 0xF];
    hash >>= 4;
    if (hash == 0) hash = fnv1a(out + std::string(seed));
  }
  return out;
}

std::string bucket_name_stand_in(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
  }
  out = out.substr(0, 48);
  return (out.empty() ? std::string("cfn") : out) + "-" + hex_digits(name, 8);
}

std::string key_id_stand_in(std::string_view name) {
  const std::string h = hex_digits(name, 32);
  return fmt::format("{}-{}-4{}-8{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 3),
                     h.substr(15, 3), h.substr(18, 12));
}

std::string unwritten_region(std::span<const std::string_view> candidates,
                             const std::vector<std::string_view>& texts) {
  // Only a Region written inside a longer value counts (an ARN, a regional principal): binding
  // would rewrite it. A value that is the Region alone (a map's key, a parameter's allowed value,
  // the operand of an Fn::Equals with ${AWS::Region}) is there to be compared with it.
  auto written = [&](std::string_view region) {
    return std::any_of(texts.begin(), texts.end(), [&](std::string_view text) {
      for (std::size_t at = text.find(region); at != std::string_view::npos;
           at = text.find(region, at + 1)) {
        const std::size_t end = at + region.size();
        const bool alone = (at == 0 && end == text.size()) ||
                           (at > 0 && text[at - 1] == '"' && end < text.size() && text[end] == '"');
        if (is_whole_word(text, at, region.size()) && !alone) return true;
      }
      return false;
    });
  };
  for (const std::string_view region : candidates) {
    if (!written(region)) return std::string(region);
  }
  return std::string(candidates.front());
}

std::string detector_id_stand_in(std::string_view name) {
  return hex_digits(name, 32);
}

namespace {

// Keys GuardDuty's requests never carry (the verdict for them is the same for every value).
bool absent_from_guardduty_requests(std::string_view key) {
  return iequals(key, "aws:PrincipalOrgID") || iequals(key, "aws:ResourceOrgID");
}

// StringEquals, StringLike, StringEqualsIgnoreCase, with a set prefix or IfExists.
bool positive_string_operator(std::string_view op) {
  for (const std::string_view prefix : {"ForAnyValue:", "ForAllValues:"}) {
    if (istarts_with(op, prefix)) op.remove_prefix(prefix.size());
  }
  if (iends_with(op, "IfExists")) op.remove_suffix(8);
  return iequals(op, "StringEquals") || iequals(op, "StringLike") ||
         iequals(op, "StringEqualsIgnoreCase");
}

constexpr std::string_view kOrganizationSeed = "organization";

}  // namespace

std::vector<OrganizationStandIn> stand_in_organization_ids(
    EmbeddedDocument& doc, Extraction& out, const std::function<std::string(Span)>& symbol_of,
    std::vector<std::string>* parallel) {
  std::vector<OrganizationStandIn> made;
  if (!doc.tree || doc.unknown_spans.empty()) return made;
  const json::Member* statements = doc.tree->find("Statement");
  if (statements == nullptr) return made;
  auto stand_in = [&](json::Value& value) {
    if (!value.is_string()) return;
    const auto unknown = std::find(doc.unknown_spans.begin(), doc.unknown_spans.end(), value.span);
    if (unknown == doc.unknown_spans.end()) return;
    std::string symbol = symbol_of(value.span);
    if (symbol.empty()) return;
    // One organization for the container, shown as the first symbol naming it.
    std::string id = "o-" + hex_digits(kOrganizationSeed, 10);
    if (const std::string* first = out.symbol_for(id); first != nullptr) {
      symbol = *first;
    } else {
      out.stand_ins.emplace_back(id, symbol);
    }
    const auto index = unknown - doc.unknown_spans.begin();
    doc.unknown_spans.erase(unknown);
    if (parallel != nullptr && static_cast<std::size_t>(index) < parallel->size())
      parallel->erase(parallel->begin() + index);
    value.text = id;
    made.push_back({value.span, std::move(symbol), std::move(id)});
  };
  auto visit_statement = [&](json::Value& statement) {
    if (!statement.is_object()) return;
    const json::Member* effect = statement.find("Effect");
    const bool allow =
        effect != nullptr && effect->value.is_string() && effect->value.text == "Allow";
    for (json::Member& element : statement.members) {
      if (element.key != "Condition" || !element.value.is_object()) continue;
      for (json::Member& op : element.value.members) {
        if (!op.value.is_object()) continue;
        const bool granting = allow && positive_string_operator(op.key);
        for (json::Member& key : op.value.members) {
          if (!absent_from_guardduty_requests(key.key) &&
              !(granting && iequals(key.key, "aws:SourceOrgID")))
            continue;
          stand_in(key.value);
          for (json::Value& item : key.value.items) stand_in(item);
        }
      }
    }
  };
  // (find() is const: the member is found again to be changed.)
  for (json::Member& m : doc.tree->members) {
    if (&m != statements) continue;
    visit_statement(m.value);
    for (json::Value& statement : m.value.items) visit_statement(statement);
  }
  return made;
}

}  // namespace gdl::containers
