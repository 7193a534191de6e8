// The controlled vocabularies of the registry (event types, levels, roles, ...): each value has a
// stable snake_case code (stored and exchanged), an English and a Korean label.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace citydip {

enum class CityKind : std::uint8_t { kCity, kProvince, kMunicipality, kDistrict };
enum class RelationKind : std::uint8_t { kSister, kFriendship, kPartnership };
enum class RelationStatus : std::uint8_t { kActive, kDormant, kEnded };
enum class OrgKind : std::uint8_t { kCityNetwork, kPlatform, kAssociation, kForum, kEvent, kOther };
enum class MembershipRole : std::uint8_t {
  kMember,
  kFounder,
  kPresident,
  kBoard,
  kSecretariatHost,
  kObserver
};
enum class Direction : std::uint8_t { kOutbound, kInbound, kOnline, kThirdPlace };
enum class EventType : std::uint8_t {
  kAgreement,
  kLeaderVisit,
  kDelegationVisit,
  kCommitteeMeeting,
  kForum,
  kCulturalExchange,
  kAcademicExchange,
  kYouthExchange,
  kEconomicMission,
  kTourismPromotion,
  kMultilateralMeeting,
  kOnlineMeeting,
  kCourtesyCall,
  kOther
};
enum class Framework : std::uint8_t { kBilateral, kMultilateral, kBilateralWithinMultilateral };
enum class Mode : std::uint8_t { kOffline, kOnline, kBlended };
enum class Level : std::uint8_t {
  kCentralGovernment,
  kMayor,
  kViceMayor,
  kCouncil,
  kDepartment,
  kAgency,
  kCivilSociety,
  kBusiness,
  kMedia,
  kAcademia
};
enum class Topic : std::uint8_t {
  kEconomy,
  kCulture,
  kEducation,
  kEnvironment,
  kTourism,
  kYouth,
  kHealth,
  kSmartCity,
  kTransport,
  kGovernance,
  kOther
};
enum class StakeholderKind : std::uint8_t {
  kCentralGovernment,
  kLocalGovernment,
  kCouncil,
  kBusiness,
  kMedia,
  kAcademia,
  kCivilSociety
};
enum class EventStatus : std::uint8_t { kHeld, kPlanned, kPostponed, kCancelled };
enum class Claim : std::uint8_t { kYes, kNo, kUnknown };

/// One value of a vocabulary: its stored code and its labels.
template <typename E>
struct EnumEntry {
  E value;
  std::string_view code;
  std::string_view label_en;
  std::string_view label_ko;
};

/// All values of a vocabulary, in declaration order. Specialized for every enum above.
template <typename E>
std::span<const EnumEntry<E>> EnumEntries();
/// The vocabulary's name for messages ("event type").
template <typename E>
std::string_view EnumName();

#define CITYDIP_DECLARE_VOCABULARY(E)             \
  template <>                                     \
  std::span<const EnumEntry<E>> EnumEntries<E>(); \
  template <>                                     \
  std::string_view EnumName<E>();
CITYDIP_DECLARE_VOCABULARY(CityKind)
CITYDIP_DECLARE_VOCABULARY(RelationKind)
CITYDIP_DECLARE_VOCABULARY(RelationStatus)
CITYDIP_DECLARE_VOCABULARY(OrgKind)
CITYDIP_DECLARE_VOCABULARY(MembershipRole)
CITYDIP_DECLARE_VOCABULARY(Direction)
CITYDIP_DECLARE_VOCABULARY(EventType)
CITYDIP_DECLARE_VOCABULARY(Framework)
CITYDIP_DECLARE_VOCABULARY(Mode)
CITYDIP_DECLARE_VOCABULARY(Level)
CITYDIP_DECLARE_VOCABULARY(Topic)
CITYDIP_DECLARE_VOCABULARY(StakeholderKind)
CITYDIP_DECLARE_VOCABULARY(EventStatus)
CITYDIP_DECLARE_VOCABULARY(Claim)
#undef CITYDIP_DECLARE_VOCABULARY

/// The value whose code is `code` (exact, case-sensitive), or nullopt.
template <typename E>
std::optional<E> ParseEnum(std::string_view code) {
  for (const auto& entry : EnumEntries<E>()) {
    if (entry.code == code) {
      return entry.value;
    }
  }
  return std::nullopt;
}

template <typename E>
const EnumEntry<E>& EntryOf(E value) {
  return EnumEntries<E>()[static_cast<std::size_t>(value)];
}

/// The stored code of a value ("leader_visit").
template <typename E>
std::string_view ToCode(E value) {
  return EntryOf(value).code;
}

/// The allowed codes, comma-separated, for error messages ("bilateral, multilateral, ...").
template <typename E>
std::string AllowedCodes() {
  std::string out;
  for (const auto& entry : EnumEntries<E>()) {
    if (!out.empty()) {
      out += ", ";
    }
    out += entry.code;
  }
  return out;
}

}  // namespace citydip
