// A small briefing for the report tests: Seoul and Beijing, three events (one with a title that
// is HTML), a relation, a membership, a mechanism; stats present, the rest missing.
#pragma once

#include "citydip/report/briefing.h"

namespace citydip::report::testing {

inline Event MakeEvent(const char* ref,
                       const char* date,
                       const char* title_en,
                       const char* title_ko,
                       const char* source) {
  Event event;
  event.ref = ref;
  event.date = PartialDate::Parse(date).value();
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = {{"Beijing", "CHN"}};
  event.direction = Direction::kOutbound;
  event.type = EventType::kLeaderVisit;
  event.level = Level::kMayor;
  event.title_en = title_en;
  event.title_ko = title_ko;
  event.sources = {source};
  return event;
}

inline BriefingData MakeBriefing() {
  BriefingData data;
  data.home.name_en = "Seoul";
  data.home.name_ko = "서울";
  data.home.country = "KOR";
  data.partner.name_en = "Beijing";
  data.partner.name_ko = "베이징";
  data.partner.country = "CHN";
  data.partner.kind = CityKind::kMunicipality;
  data.partner.sources = {"https://example.org/beijing"};
  data.generated_on = "2024-06-01";
  PartnerRelation relation;
  relation.city_a = {"Seoul", "KOR"};
  relation.city_b = {"Beijing", "CHN"};
  relation.since = PartialDate::Parse("1993-10-23").value();
  relation.sources = {"https://example.org/sister"};
  data.relations.push_back(relation);
  Membership membership;
  membership.city = {"Beijing", "CHN"};
  membership.organization = "Metropolis";
  membership.sources = {"https://example.org/metropolis"};
  data.memberships.push_back(membership);
  Mechanism mechanism;
  mechanism.name_en = "Seoul-Beijing Integration Council";
  mechanism.name_ko = "서울-베이징 통합위원회";
  mechanism.cities = {{"Seoul", "KOR"}, {"Beijing", "CHN"}};
  mechanism.founded = PartialDate::Parse("2013").value();
  mechanism.sources = {"https://example.org/council"};
  data.mechanisms.push_back(mechanism);
  data.events.push_back(MakeEvent("E001", "1993-10-23", "Sister-city agreement signed",
                                  "자매결연 체결", "https://example.org/e1"));
  data.events.push_back(MakeEvent("E002", "2013-05", "<script>alert('x')</script> & \"visit\"",
                                  "<b>방문</b>", "javascript:alert(1)"));
  data.events.push_back(MakeEvent("E003", "2014-07-03", "Mayor visits Beijing", "시장 베이징 방문",
                                  "https://example.org/e3?a=1&b=2"));
  data.visits = data.events;
  data.partner_events_per_year = {{1993, 1}, {2013, 1}, {2014, 2}};
  BriefingStats stats;
  stats.counts = {{"cities", 2}, {"events", 3}};
  stats.events_per_type = {{"leader_visit", 3}};
  stats.supported_claims = 1;
  data.stats.data = stats;
  data.scorecard.missing = "no strategy file";
  data.network.missing = "no network in this build";
  data.analyses.missing = "no analyses in this build";
  return data;
}

}  // namespace citydip::report::testing
