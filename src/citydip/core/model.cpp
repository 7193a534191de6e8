#include "citydip/core/model.h"

namespace citydip {

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return "cities";
    case RecordKind::kPartnerRelation:
      return "partner_relations";
    case RecordKind::kOrganization:
      return "organizations";
    case RecordKind::kMembership:
      return "memberships";
    case RecordKind::kOfficial:
      return "officials";
    case RecordKind::kMechanism:
      return "mechanisms";
    case RecordKind::kEvent:
      return "events";
  }
  return "events";
}

std::optional<RecordKind> ParseRecordKind(std::string_view name) {
  struct Alias {
    std::string_view name;
    RecordKind kind;
  };
  static constexpr Alias kAliases[] = {
      {"cities", RecordKind::kCity},
      {"city", RecordKind::kCity},
      {"partner_relations", RecordKind::kPartnerRelation},
      {"partner_relation", RecordKind::kPartnerRelation},
      {"partners", RecordKind::kPartnerRelation},
      {"relations", RecordKind::kPartnerRelation},
      {"organizations", RecordKind::kOrganization},
      {"organization", RecordKind::kOrganization},
      {"memberships", RecordKind::kMembership},
      {"membership", RecordKind::kMembership},
      {"officials", RecordKind::kOfficial},
      {"official", RecordKind::kOfficial},
      {"mechanisms", RecordKind::kMechanism},
      {"mechanism", RecordKind::kMechanism},
      {"events", RecordKind::kEvent},
      {"event", RecordKind::kEvent},
  };
  for (const auto& alias : kAliases) {
    if (alias.name == name) {
      return alias.kind;
    }
  }
  return std::nullopt;
}

const std::vector<RecordKind>& AllRecordKinds() {
  static const std::vector<RecordKind> kKinds = {
      RecordKind::kCity,       RecordKind::kOrganization, RecordKind::kPartnerRelation,
      RecordKind::kMembership, RecordKind::kOfficial,     RecordKind::kMechanism,
      RecordKind::kEvent};
  return kKinds;
}

RecordKind KindOf(const Record& record) {
  return static_cast<RecordKind>(record.index());
}

RecordId IdOf(const Record& record) {
  return std::visit([](const auto& value) { return value.id; }, record);
}

}  // namespace citydip
