// A small handmade registry with known answers for the strategy tests (synthetic: invented
// records, not the reference data). Evaluated at 2024-12-31 with a 3-year window
// (2022-01-01..2024-12-31; the previous window is 2019-01-01..2021-12-31):
//
//   E1 2022-03-10 Beijing   leader_visit       bilateral        mayor       economy      offline
//   E2 2023-05    Beijing   committee_meeting  bilateral        department  environment  online
//                 (a session of the Council)
//   E3 2023       Shanghai, Tokyo  multilateral_meeting  multilateral  mayor  environment
//   (Metropolis) E4 2024-06-01 Beijing   forum   bilateral_within_multilateral  vice_mayor
//   smart_city  blended (WeGO) E5 2024-09-01 Beijing   cultural_exchange  CANCELLED E6 2020-07-01
//   Beijing   leader_visit       (previous window) E7 2021-02-01 Tianjin   delegation_visit
//   department (previous window) E8 2019-12-31 Tokyo     leader_visit       (not a Chinese partner)
//   E9 2025-02-01 Beijing   leader_visit       (after the as-of date)
#pragma once

#include <string>
#include <vector>

#include "citydip/core/model.h"

namespace citydip::analytics::strategy::testing {

inline City MakeCity(const std::string& en, const std::string& ko, const std::string& country) {
  City city;
  city.name_en = en;
  city.name_ko = ko;
  city.country = country;
  return city;
}

inline PartialDate D(int year, int month = 0, int day = 0) {
  return PartialDate::FromParts(year, month, day);
}

inline Event MakeEvent(RecordId id,
                       const std::string& ref,
                       PartialDate date,
                       std::vector<CityRef> partners,
                       EventType type,
                       Framework framework,
                       Level level,
                       std::vector<Topic> topics) {
  Event event;
  event.id = id;
  event.ref = ref;
  event.date = date;
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = std::move(partners);
  event.type = type;
  event.framework = framework;
  event.level = level;
  event.topics = std::move(topics);
  event.title_en = ref + " title";
  event.title_ko = ref + " 제목";
  event.sources = {"https://example.org/" + ref};
  return event;
}

inline Registry MakeRegistry() {
  Registry registry;
  registry.cities = {MakeCity("Seoul", "서울", "KOR"), MakeCity("Beijing", "베이징", "CHN"),
                     MakeCity("Shanghai", "상하이", "CHN"), MakeCity("Tianjin", "톈진", "CHN"),
                     MakeCity("Tokyo", "도쿄", "JPN")};
  const CityRef seoul{"Seoul", "KOR"};
  const CityRef beijing{"Beijing", "CHN"};
  const CityRef shanghai{"Shanghai", "CHN"};
  const CityRef tianjin{"Tianjin", "CHN"};
  const CityRef tokyo{"Tokyo", "JPN"};

  const auto relation = [&](const CityRef& other, RelationKind kind, PartialDate since) {
    PartnerRelation r;
    r.city_a = seoul;
    r.city_b = other;
    r.relation = kind;
    r.since = since;
    return r;
  };
  registry.partner_relations = {relation(beijing, RelationKind::kSister, D(1993, 10, 23)),
                                relation(tianjin, RelationKind::kFriendship, D(2009, 4, 13)),
                                relation(shanghai, RelationKind::kFriendship, D(2014, 11, 4))};

  const auto organization = [](const std::string& name, const std::string& acronym, OrgKind kind) {
    Organization o;
    o.name = name;
    o.acronym = acronym;
    o.kind = kind;
    return o;
  };
  registry.organizations = {
      organization("World Smart Sustainable Cities Organization", "WeGO", OrgKind::kCityNetwork),
      organization("Metropolis", "", OrgKind::kCityNetwork),
      organization("C40 Cities", "", OrgKind::kCityNetwork),
      organization("Governors' Meeting", "", OrgKind::kForum)};

  RecordId membership_id = 100;
  const auto membership = [&](const CityRef& city, const std::string& org, MembershipRole role,
                              PartialDate since) {
    Membership m;
    m.id = ++membership_id;
    m.city = city;
    m.organization = org;
    m.role = role;
    m.since = since;
    return m;
  };
  registry.memberships = {membership(seoul, "World Smart Sustainable Cities Organization",
                                     MembershipRole::kPresident, D(2010)),
                          membership(seoul, "Metropolis", MembershipRole::kMember, D(1987)),
                          membership(seoul, "Metropolis", MembershipRole::kBoard, D(2011)),
                          membership(seoul, "C40 Cities", MembershipRole::kMember, D(2006)),
                          membership(beijing, "C40 Cities", MembershipRole::kMember, {}),
                          membership(shanghai, "Metropolis", MembershipRole::kMember, {}),
                          membership(tokyo, "World Smart Sustainable Cities Organization",
                                     MembershipRole::kMember, {})};

  Mechanism council;
  council.id = 50;
  council.name_en = "Council";
  council.name_ko = "통합위원회";
  council.cities = {seoul, beijing};
  council.founded = D(2013);
  council.fields = {"economy", "culture", "environment"};
  registry.mechanisms = {council};

  Event e1 = MakeEvent(1, "E1", D(2022, 3, 10), {beijing}, EventType::kLeaderVisit,
                       Framework::kBilateral, Level::kMayor, {Topic::kEconomy});
  e1.direction = Direction::kOutbound;
  Event e2 = MakeEvent(2, "E2", D(2023, 5), {beijing}, EventType::kCommitteeMeeting,
                       Framework::kBilateral, Level::kDepartment, {Topic::kEnvironment});
  e2.mechanism = "Council";
  e2.mode = Mode::kOnline;
  e2.direction = Direction::kInbound;
  Event e3 = MakeEvent(3, "E3", D(2023), {shanghai, tokyo}, EventType::kMultilateralMeeting,
                       Framework::kMultilateral, Level::kMayor, {Topic::kEnvironment});
  e3.organization = "Metropolis";
  e3.direction = Direction::kThirdPlace;
  Event e4 =
      MakeEvent(4, "E4", D(2024, 6, 1), {beijing}, EventType::kForum,
                Framework::kBilateralWithinMultilateral, Level::kViceMayor, {Topic::kSmartCity});
  e4.organization = "WeGO";
  e4.mode = Mode::kBlended;
  e4.direction = Direction::kOutbound;
  Event e5 = MakeEvent(5, "E5", D(2024, 9, 1), {beijing}, EventType::kCulturalExchange,
                       Framework::kBilateral, Level::kMayor, {Topic::kCulture});
  e5.status = EventStatus::kCancelled;
  Event e6 = MakeEvent(6, "E6", D(2020, 7, 1), {beijing}, EventType::kLeaderVisit,
                       Framework::kBilateral, Level::kMayor, {Topic::kEconomy});
  Event e7 = MakeEvent(7, "E7", D(2021, 2, 1), {tianjin}, EventType::kDelegationVisit,
                       Framework::kBilateral, Level::kDepartment, {Topic::kEconomy});
  Event e8 = MakeEvent(8, "E8", D(2019, 12, 31), {tokyo}, EventType::kLeaderVisit,
                       Framework::kBilateral, Level::kMayor, {Topic::kEconomy});
  Event e9 = MakeEvent(9, "E9", D(2025, 2, 1), {beijing}, EventType::kLeaderVisit,
                       Framework::kBilateral, Level::kMayor, {Topic::kEconomy});
  registry.events = {e6, e7, e8, e1, e2, e3, e4, e5, e9};
  return registry;
}

/// The header of a plan on that registry: home Seoul, partners in China, a 3-year window.
inline std::string PlanHeader() {
  return R"(name_en = "Test"
name_ko = "시험"
home = "Seoul"
partner_countries = ["CHN"]
window = "3y"
)";
}

}  // namespace citydip::analytics::strategy::testing
