#include "citydip/analytics/analyses/visits.h"

#include <gtest/gtest.h>

#include "registry_builder.h"

namespace citydip::analytics {
namespace {

using testing::Beijing;
using testing::D;
using testing::RegistryBuilder;
using testing::SeoulBeijing;

// Five mayors with every kind of evidence (synthetic):
//   Ahn   2000-01..2003-12  an outbound leader visit (plus a department-level trip that does not
//                           count)                                  -> visited (events)
//   Baek  2004-01..2007-06-15  only a month-dated visit "2007-06" (the month overlaps the term)
//                                                                   -> visited (events, partial)
//   Choi  2007-07-01..2007-12 acting, nothing known                 -> unknown
//   Dong  2008-01..2011-12  a sourced "no" claim                    -> not visited
//   Eom   2012-01..       a sourced "yes" claim, no event          -> visited (claim)
RegistryBuilder FiveMayors() {
  RegistryBuilder b;
  b.AddMayor("Ahn", "2000-01", "2003-12");
  b.AddMayor("Baek", "2004-01", "2007-06-15");
  b.AddMayor("Choi (acting)", "2007-07-01", "2007-12", true);
  b.AddMayor("Dong", "2008-01", "2011-12").visit_claims = {
      {Beijing(), Claim::kNo, {"https://example.org/no"}}};
  b.AddMayor("Eom", "2012-01", "").visit_claims = {
      {Beijing(), Claim::kYes, {"https://example.org/yes"}}};
  b.AddEvent("2001-04-10", EventType::kLeaderVisit);  // E1 Ahn
  b.AddEvent("2001-04-11", EventType::kAgreement);    // E2 same trip
  b.AddEvent("2002-09-01", EventType::kLeaderVisit, Beijing(), Direction::kOutbound,
             Level::kDepartment);            // E3 not mayor
  b.AddEvent("2007-06", EventType::kForum);  // E4 Baek partial
  b.AddEvent("2003-03-03", EventType::kLeaderVisit, Beijing(), Direction::kInbound);  // E5
  b.AddEvent("2005-05-05", EventType::kCulturalExchange);  // E6 wrong type
  return b;
}

TEST(VisitsTest, ClassifiesEveryOfficialAndComputesRates) {
  const RegistryBuilder b = FiveMayors();
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->officials, 5);
  EXPECT_EQ(r->visited, 3);
  EXPECT_EQ(r->not_visited, 1);
  EXPECT_EQ(r->unknown, 1);
  EXPECT_DOUBLE_EQ(r->rate_confirmed, 0.6);
  EXPECT_DOUBLE_EQ(r->rate_lower, 0.6);
  EXPECT_DOUBLE_EQ(r->rate_upper, 0.8);
  ASSERT_EQ(r->per_official.size(), 5u);
  const auto& ahn = r->per_official[0];
  EXPECT_EQ(ahn.basis, "events");
  EXPECT_EQ(ahn.visit_events, (std::vector<std::string>{"E1", "E2"}));
  EXPECT_EQ(ahn.inbound_events, (std::vector<std::string>{"E5"}));
  const auto& baek = r->per_official[1];
  EXPECT_EQ(baek.status, VisitStatus::kVisited);
  EXPECT_EQ(baek.partial_events, (std::vector<std::string>{"E4"}));
  EXPECT_EQ(r->per_official[2].status, VisitStatus::kUnknown);
  EXPECT_EQ(r->per_official[3].status, VisitStatus::kNotVisited);
  EXPECT_EQ(r->per_official[3].claim_sources, (std::vector<std::string>{"https://example.org/no"}));
  EXPECT_EQ(r->per_official[4].basis, "claim");
}

TEST(VisitsTest, ExcludeActingDropsActingOfficials) {
  const RegistryBuilder b = FiveMayors();
  VisitsOptions options;
  options.scope = SeoulBeijing();
  options.exclude_acting = true;
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->officials, 4);
  EXPECT_EQ(r->unknown, 0);
  EXPECT_DOUBLE_EQ(r->rate_confirmed, 0.75);
  EXPECT_EQ(r->excluded_acting, (std::vector<std::string>{"Choi (acting)"}));
}

TEST(VisitsTest, MonthDatedEventOutsideEveryTermIsNotCounted) {
  RegistryBuilder b;
  b.AddMayor("Ahn", "2000-01-01", "2000-05-31");
  b.AddEvent("2000-06", EventType::kLeaderVisit);  // the month lies after the term
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->visited, 0);
  EXPECT_EQ(r->unknown, 1);
}

TEST(VisitsTest, AmbiguousMonthCountsForBothTermsAndIsMarkedPartial) {
  RegistryBuilder b;
  b.AddMayor("Ahn", "2000-01", "2000-06-10");
  b.AddMayor("Baek", "2000-06-11", "2004-06");
  b.AddEvent("2000-06", EventType::kLeaderVisit);  // no official named: either may have gone
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->visited, 2);
  EXPECT_EQ(r->per_official[0].partial_events, (std::vector<std::string>{"E1"}));
  EXPECT_EQ(r->per_official[1].partial_events, (std::vector<std::string>{"E1"}));
}

TEST(VisitsTest, NamedOfficialsDecideAttributionAtTermBoundaries) {
  RegistryBuilder b;
  b.AddMayor("Ahn", "2000-01", "2000-06-10");
  b.AddMayor("Baek (2nd tenure)", "2000-06-11", "2004-06");
  b.AddEvent("2000-06", EventType::kLeaderVisit).officials = {"Baek"};
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->per_official[0].status, VisitStatus::kUnknown);
  EXPECT_EQ(r->per_official[1].status, VisitStatus::kVisited);
}

TEST(VisitsTest, EventContradictingANoClaimIsFlagged) {
  RegistryBuilder b;
  b.AddMayor("Ahn", "2000-01", "2003-12").visit_claims = {
      {Beijing(), Claim::kNo, {"https://example.org/no"}}};
  b.AddEvent("2001-01-01", EventType::kLeaderVisit);
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->per_official[0].status, VisitStatus::kVisited);
  EXPECT_TRUE(r->per_official[0].conflict);
}

TEST(VisitsTest, TripsReciprocityAndGaps) {
  const RegistryBuilder b = FiveMayors();
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->outbound_trips.size(), 2u);  // 2001-04 (E1+E2) and 2007-06 (E4)
  EXPECT_EQ(r->outbound_trips[0].events, (std::vector<std::string>{"E1", "E2"}));
  EXPECT_EQ(r->inbound_trips.size(), 1u);
  ASSERT_EQ(r->gaps_days.size(), 1u);
  EXPECT_DOUBLE_EQ(r->gaps_days[0], DaysFromCivil(2007, 6, 1) - DaysFromCivil(2001, 4, 10));
  const auto json = ToJson(*r);
  EXPECT_EQ(json["reciprocity"]["outbound_trips"], 2);
  EXPECT_EQ(json["reciprocity"]["inbound_trips"], 1);
}

TEST(VisitsTest, RangeRestrictsOfficialsAndEvents) {
  const RegistryBuilder b = FiveMayors();
  VisitsOptions options;
  options.scope = SeoulBeijing();
  options.scope.range = {D("2004"), D("2011")};
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->officials, 3);  // Baek, Choi, Dong
  EXPECT_EQ(r->visited, 1);
}

TEST(VisitsTest, JsonHasTheDocumentedKeys) {
  const RegistryBuilder b = FiveMayors();
  VisitsOptions options;
  options.scope = SeoulBeijing();
  const auto json = ToJson(*AnalyzeVisits(b.registry(), options));
  for (const char* key : {"officials", "visited", "not_visited", "unknown", "rate_confirmed",
                          "rate_bounds", "per_official", "reciprocity", "gaps"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_DOUBLE_EQ(json["rate_bounds"][0].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(json["rate_bounds"][1].get<double>(), 0.8);
}

TEST(VisitsTest, NoOfficialsGivesNullRates) {
  RegistryBuilder b;
  b.AddEvent("2001-01-01", EventType::kLeaderVisit);
  VisitsOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeVisits(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->officials, 0);
  EXPECT_TRUE(ToJson(*r)["rate_confirmed"].is_null());
}

TEST(VisitsTest, RejectsBadOptions) {
  const RegistryBuilder b = FiveMayors();
  VisitsOptions options;
  options.scope = SeoulBeijing();
  options.office = " ";
  EXPECT_FALSE(AnalyzeVisits(b.registry(), options));
  options.office = "mayor";
  options.trip_gap_days = -1;
  EXPECT_FALSE(AnalyzeVisits(b.registry(), options));
  options.trip_gap_days = 7;
  options.scope.home = {"Nowhere", ""};
  auto unknown = AnalyzeVisits(b.registry(), options);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace citydip::analytics
