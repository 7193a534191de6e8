#include "citydip/core/taxonomy.h"

#include <array>

namespace citydip {

#define CITYDIP_DEFINE_VOCABULARY(E, NAME, ...)               \
  template <>                                                 \
  std::span<const EnumEntry<E>> EnumEntries<E>() {            \
    static constexpr EnumEntry<E> kEntries[] = {__VA_ARGS__}; \
    return kEntries;                                          \
  }                                                           \
  template <>                                                 \
  std::string_view EnumName<E>() {                            \
    return NAME;                                              \
  }

// The order of each list must match the enum's declaration order (checked by a unit test).
CITYDIP_DEFINE_VOCABULARY(CityKind,
                          "city kind",
                          {CityKind::kCity, "city", "city", "시"},
                          {CityKind::kProvince, "province", "province", "성(省)"},
                          {CityKind::kMunicipality, "municipality",
                           "municipality (province-level city)", "직할시"},
                          {CityKind::kDistrict, "district", "district", "구"})

CITYDIP_DEFINE_VOCABULARY(RelationKind,
                          "relation",
                          {RelationKind::kSister, "sister", "sister city", "자매도시"},
                          {RelationKind::kFriendship, "friendship", "friendship city", "우호도시"},
                          {RelationKind::kPartnership, "partnership", "partnership", "협력도시"})

CITYDIP_DEFINE_VOCABULARY(RelationStatus,
                          "relation status",
                          {RelationStatus::kActive, "active", "active", "활성"},
                          {RelationStatus::kDormant, "dormant", "dormant", "휴면"},
                          {RelationStatus::kEnded, "ended", "ended", "종료"})

CITYDIP_DEFINE_VOCABULARY(OrgKind,
                          "organization kind",
                          {OrgKind::kCityNetwork, "city_network", "city network", "도시 네트워크"},
                          {OrgKind::kPlatform, "platform", "exchange platform", "교류 플랫폼"},
                          {OrgKind::kAssociation, "association", "association", "협의체"},
                          {OrgKind::kForum, "forum", "forum", "포럼"},
                          {OrgKind::kEvent, "event", "event series or mega-event", "행사"},
                          {OrgKind::kOther, "other", "other", "기타"})

CITYDIP_DEFINE_VOCABULARY(MembershipRole,
                          "membership role",
                          {MembershipRole::kMember, "member", "member", "회원"},
                          {MembershipRole::kFounder, "founder", "founding member", "창립회원"},
                          {MembershipRole::kPresident, "president", "president", "회장"},
                          {MembershipRole::kBoard, "board", "board member", "이사"},
                          {MembershipRole::kSecretariatHost, "secretariat_host", "secretariat host",
                           "사무국 유치"},
                          {MembershipRole::kObserver, "observer", "observer", "옵서버"})

CITYDIP_DEFINE_VOCABULARY(Direction,
                          "direction",
                          {Direction::kOutbound, "outbound", "outbound (home city goes)",
                           "방문(출국)"},
                          {Direction::kInbound, "inbound", "inbound (partner comes)", "초청(입국)"},
                          {Direction::kOnline, "online", "online", "온라인"},
                          {Direction::kThirdPlace, "third_place", "in a third place", "제3지역"})

CITYDIP_DEFINE_VOCABULARY(
    EventType,
    "event type",
    {EventType::kAgreement, "agreement", "agreement", "협정·협약"},
    {EventType::kLeaderVisit, "leader_visit", "leader visit", "단체장 방문"},
    {EventType::kDelegationVisit, "delegation_visit", "delegation visit", "대표단 방문"},
    {EventType::kCommitteeMeeting, "committee_meeting", "committee meeting", "위원회 회의"},
    {EventType::kForum, "forum", "forum", "포럼"},
    {EventType::kCulturalExchange, "cultural_exchange", "cultural exchange", "문화 교류"},
    {EventType::kAcademicExchange, "academic_exchange", "academic exchange", "학술 교류"},
    {EventType::kYouthExchange, "youth_exchange", "youth exchange", "청소년 교류"},
    {EventType::kEconomicMission, "economic_mission", "economic mission", "경제 사절단"},
    {EventType::kTourismPromotion, "tourism_promotion", "tourism promotion", "관광 홍보"},
    {EventType::kMultilateralMeeting, "multilateral_meeting", "multilateral meeting", "다자 회의"},
    {EventType::kOnlineMeeting, "online_meeting", "online meeting", "온라인 회의"},
    {EventType::kCourtesyCall, "courtesy_call", "courtesy call", "예방"},
    {EventType::kOther, "other", "other", "기타"})

CITYDIP_DEFINE_VOCABULARY(Framework,
                          "framework",
                          {Framework::kBilateral, "bilateral", "bilateral", "양자"},
                          {Framework::kMultilateral, "multilateral", "multilateral", "다자"},
                          {Framework::kBilateralWithinMultilateral, "bilateral_within_multilateral",
                           "bilateral within multilateral", "다자 내 양자"})

CITYDIP_DEFINE_VOCABULARY(Mode,
                          "mode",
                          {Mode::kOffline, "offline", "offline", "대면"},
                          {Mode::kOnline, "online", "online", "비대면(온라인)"},
                          {Mode::kBlended, "blended", "blended online/offline", "온·오프라인 병행"})

CITYDIP_DEFINE_VOCABULARY(Level,
                          "level",
                          {Level::kCentralGovernment, "central_government", "central government",
                           "중앙정부"},
                          {Level::kMayor, "mayor", "mayor", "시장"},
                          {Level::kViceMayor, "vice_mayor", "vice mayor", "부시장"},
                          {Level::kCouncil, "council", "city council", "시의회"},
                          {Level::kDepartment, "department", "city department", "실·국"},
                          {Level::kAgency, "agency", "city agency", "산하기관"},
                          {Level::kCivilSociety, "civil_society", "civil society", "시민사회"},
                          {Level::kBusiness, "business", "business", "기업"},
                          {Level::kMedia, "media", "media", "언론"},
                          {Level::kAcademia, "academia", "academia", "학계"})

CITYDIP_DEFINE_VOCABULARY(Topic,
                          "topic",
                          {Topic::kEconomy, "economy", "economy", "경제"},
                          {Topic::kCulture, "culture", "culture", "문화"},
                          {Topic::kEducation, "education", "education", "교육"},
                          {Topic::kEnvironment, "environment", "environment", "환경"},
                          {Topic::kTourism, "tourism", "tourism", "관광"},
                          {Topic::kYouth, "youth", "youth", "청소년"},
                          {Topic::kHealth, "health", "health", "보건"},
                          {Topic::kSmartCity, "smart_city", "smart city", "스마트도시"},
                          {Topic::kTransport, "transport", "transport", "교통"},
                          {Topic::kGovernance, "governance", "governance", "행정·거버넌스"},
                          {Topic::kOther, "other", "other", "기타"})

CITYDIP_DEFINE_VOCABULARY(
    StakeholderKind,
    "stakeholder kind",
    {StakeholderKind::kCentralGovernment, "central_government", "central government", "중앙정부"},
    {StakeholderKind::kLocalGovernment, "local_government", "local government", "지방정부"},
    {StakeholderKind::kCouncil, "council", "council", "의회"},
    {StakeholderKind::kBusiness, "business", "business", "기업"},
    {StakeholderKind::kMedia, "media", "media", "언론"},
    {StakeholderKind::kAcademia, "academia", "academia", "학계"},
    {StakeholderKind::kCivilSociety, "civil_society", "civil society", "시민사회"})

CITYDIP_DEFINE_VOCABULARY(EventStatus,
                          "event status",
                          {EventStatus::kHeld, "held", "held", "개최"},
                          {EventStatus::kPlanned, "planned", "planned", "예정"},
                          {EventStatus::kPostponed, "postponed", "postponed", "연기"},
                          {EventStatus::kCancelled, "cancelled", "cancelled", "취소"})

CITYDIP_DEFINE_VOCABULARY(Claim,
                          "claim",
                          {Claim::kYes, "yes", "yes", "예"},
                          {Claim::kNo, "no", "no", "아니오"},
                          {Claim::kUnknown, "unknown", "unknown", "미상"})

#undef CITYDIP_DEFINE_VOCABULARY

}  // namespace citydip
