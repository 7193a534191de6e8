#include "citydip/analytics/network/opportunities.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "network_test_support.h"

namespace citydip::analytics::network {
namespace {

using testing::MakeCity;
using testing::MakeRelation;

const CityRef kSeoul{"Seoul", "KOR"};
const CityRef kBeijing{"Beijing", "CHN"};
const CityRef kShanghai{"Shanghai", "CHN"};
const CityRef kTokyo{"Tokyo", "JPN"};
const CityRef kHanoi{"Hanoi", "VNM"};

Organization MakeOrg(std::string name, std::string acronym = "") {
  Organization org;
  org.name = std::move(name);
  org.acronym = std::move(acronym);
  org.sources = {"https://example.org/test"};
  return org;
}

Membership MakeMembership(const CityRef& city,
                          std::string org,
                          MembershipRole role,
                          std::string since,
                          std::string until = "") {
  Membership m;
  m.city = city;
  m.organization = std::move(org);
  m.role = role;
  m.since = PartialDate::Parse(since).value();
  if (!until.empty()) {
    m.until = PartialDate::Parse(until).value();
  }
  m.sources = {"https://example.org/test"};
  return m;
}

Event MakeEvent(std::string ref,
                std::string date,
                Framework framework,
                std::vector<CityRef> partners,
                std::string org,
                std::string title = "") {
  Event e;
  e.ref = std::move(ref);
  e.date = PartialDate::Parse(date).value();
  e.home_city = kSeoul;
  e.partner_cities = std::move(partners);
  e.framework = framework;
  e.organization = std::move(org);
  e.title_en = std::move(title);
  e.sources = {"https://example.org/test"};
  return e;
}

// A handmade registry with known answers (see the expectations below).
Registry HandmadeRegistry() {
  Registry r;
  r.cities = {MakeCity("Seoul", "KOR"), MakeCity("Beijing", "CHN"), MakeCity("Shanghai", "CHN"),
              MakeCity("Tokyo", "JPN"), MakeCity("Hanoi", "VNM")};
  PartnerRelation tokyo = MakeRelation(kSeoul, kTokyo);
  tokyo.status = RelationStatus::kEnded;
  r.partner_relations = {MakeRelation(kSeoul, kBeijing),
                         MakeRelation(kShanghai, kSeoul, RelationKind::kFriendship), tokyo};
  Organization citynet = MakeOrg("CityNet");
  citynet.secretariat_city = kSeoul;
  r.organizations = {MakeOrg("Metropolis"), citynet, MakeOrg("WeGO"),
                     MakeOrg("United Cities and Local Governments", "UCLG"),
                     MakeOrg("Old Network")};
  using R = MembershipRole;
  r.memberships = {
      MakeMembership(kSeoul, "Metropolis", R::kMember, "1987"),
      MakeMembership(kSeoul, "Metropolis", R::kPresident, "2014-10"),
      MakeMembership(kBeijing, "Metropolis", R::kMember, "2004"),
      MakeMembership(kSeoul, "CityNet", R::kMember, "1987"),
      MakeMembership(kShanghai, "CityNet", R::kMember, "1995", "2010"),
      MakeMembership(kSeoul, "WeGO", R::kFounder, "2010"),
      MakeMembership(kShanghai, "WeGO", R::kMember, "2012"),
      MakeMembership(kSeoul, "UCLG", R::kMember, "2004"),
      MakeMembership(kBeijing, "United Cities and Local Governments", R::kMember, "2004"),
      MakeMembership(kSeoul, "Old Network", R::kPresident, "2005", "2010"),
      MakeMembership(kTokyo, "Metropolis", R::kMember, "1985"),
  };
  Event cancelled = MakeEvent("E6", "2020-05-01", Framework::kMultilateral, {kBeijing}, "WeGO");
  cancelled.status = EventStatus::kCancelled;
  r.events = {
      MakeEvent("E1", "2017-10-15", Framework::kMultilateral, {kBeijing, kShanghai}, "Metropolis",
                "Metropolis annual meeting"),
      MakeEvent("E2", "2017-10-17", Framework::kBilateralWithinMultilateral, {kBeijing},
                "Metropolis", "Seoul-Beijing talks at Metropolis"),
      MakeEvent("E3", "2019-09-05", Framework::kMultilateral, {kShanghai}, "WeGO",
                "WeGO general assembly"),
      MakeEvent("E4", "2016-10-12", Framework::kMultilateral, {kBeijing}, "UCLG",
                "UCLG world congress"),
      MakeEvent("E5", "2016-10-20", Framework::kBilateral, {kBeijing}, "", "Mayor visits Beijing"),
      cancelled,
  };
  return r;
}

OpportunityOptions At(std::string as_of, std::optional<CityRef> partner = std::nullopt) {
  return {
      .home = kSeoul, .partner = std::move(partner), .as_of = PartialDate::Parse(as_of).value()};
}

struct Expected {
  OpportunityKind kind;
  std::string organization;
  std::string partner;
  double score;
};

TEST(OpportunitiesTest, RanksTheKnownOpeningsOfAHandmadeRegistry) {
  const auto report = FindOpportunities(HandmadeRegistry(), At("2024-01-01"));
  ASSERT_TRUE(report) << report.error().ToString();

  using K = OpportunityKind;
  const std::vector<Expected> expected = {
      {K::kMissedMeeting, "United Cities and Local Governments", "Beijing", 3.5},
      {K::kMissedMeeting, "WeGO", "Shanghai", 3.25},
      {K::kMissedMeeting, "Metropolis", "Shanghai", 3.25},
      {K::kUnusedVenue, "United Cities and Local Governments", "Beijing", 2.75},
      {K::kUnusedVenue, "WeGO", "Shanghai", 2.5},
      {K::kInvite, "CityNet", "Beijing", 2.0},
      {K::kInvite, "CityNet", "Shanghai", 1.75},
      {K::kInvite, "Metropolis", "Shanghai", 1.75},
      {K::kInvite, "WeGO", "Beijing", 1.75},
  };
  ASSERT_EQ(report->opportunities.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Opportunity& o = report->opportunities[i];
    EXPECT_EQ(o.kind, expected[i].kind) << i;
    EXPECT_EQ(o.organization, expected[i].organization) << i;
    EXPECT_EQ(o.partner.name, expected[i].partner) << i;
    EXPECT_DOUBLE_EQ(o.score, expected[i].score) << i;
  }
  EXPECT_EQ(report->opportunities[0].reason,
            "Beijing attended 'UCLG world congress' (2016-10-12, UCLG) with Seoul; no bilateral "
            "meeting of the two is recorded on that occasion");
  EXPECT_EQ(report->opportunities[0].event, "E4");
  EXPECT_EQ(report->opportunities[3].reason,
            "Seoul (since 2004) and Beijing (since 2004) are both members of United Cities and "
            "Local Governments; no bilateral meeting of the two inside it is recorded although "
            "both attended 1 multilateral event of it");
  EXPECT_EQ(report->opportunities[5].reason,
            "Seoul hosts the secretariat of CityNet and Beijing is not a member");
  EXPECT_EQ(report->opportunities[6].reason,
            "Seoul hosts the secretariat of CityNet and Shanghai left it in 2010");
  EXPECT_EQ(report->opportunities[7].reason,
            "Seoul is president of Metropolis since 2014-10 and Shanghai is not a member");
}

TEST(OpportunitiesTest, SummarizesEachPartnersNetworks) {
  const auto report = FindOpportunities(HandmadeRegistry(), At("2024-01-01"));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->partners.size(), 2U);  // Tokyo's relation ended; Hanoi is no partner
  const PartnerNetworks& beijing = report->partners[0];
  EXPECT_EQ(beijing.partner, kBeijing);
  EXPECT_EQ(beijing.relation, RelationKind::kSister);
  EXPECT_EQ(beijing.shared,
            (std::vector<std::string>{"Metropolis", "United Cities and Local Governments"}));
  EXPECT_EQ(beijing.led_by_home_without_partner, (std::vector<std::string>{"CityNet", "WeGO"}));
  const PartnerNetworks& shanghai = report->partners[1];
  EXPECT_EQ(shanghai.relation, RelationKind::kFriendship);
  EXPECT_EQ(shanghai.shared, (std::vector<std::string>{"WeGO"}));
  ASSERT_EQ(report->home_networks.size(), 4U);
  EXPECT_EQ(report->home_networks[0].organization, "Metropolis");
  EXPECT_EQ(report->home_networks[0].role, MembershipRole::kPresident);
  EXPECT_TRUE(report->home_networks[0].leads);
  EXPECT_EQ(report->home_networks[1].role, MembershipRole::kSecretariatHost);
  EXPECT_FALSE(report->home_networks[3].leads);  // UCLG: a plain member
}

TEST(OpportunitiesTest, OnePartnerOnly) {
  const auto report = FindOpportunities(HandmadeRegistry(), At("2024-01-01", kBeijing));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->opportunities.size(), 4U);
  for (const auto& o : report->opportunities) {
    EXPECT_EQ(o.partner, kBeijing);
  }
}

TEST(OpportunitiesTest, AnyCityCanBeAskedAboutEvenWithoutRelation) {
  const auto report = FindOpportunities(HandmadeRegistry(), At("2024-01-01", CityRef{"Hanoi", ""}));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->partners.size(), 1U);
  EXPECT_FALSE(report->partners[0].relation);
  // Seoul leads Metropolis, CityNet, WeGO; Hanoi is in none.
  ASSERT_EQ(report->opportunities.size(), 3U);
  for (const auto& o : report->opportunities) {
    EXPECT_EQ(o.kind, OpportunityKind::kInvite);
    EXPECT_EQ(o.partner, kHanoi);
  }
}

TEST(OpportunitiesTest, MembershipsCountOnlyWithinTheirPeriod) {
  // In 2008 Seoul presided over Old Network, was not yet Metropolis president and WeGO did not
  // exist; Shanghai was still in CityNet.
  const auto report = FindOpportunities(HandmadeRegistry(), At("2008-06", kShanghai));
  ASSERT_TRUE(report);
  std::vector<std::string> invites;
  for (const auto& o : report->opportunities) {
    if (o.kind == OpportunityKind::kInvite) {
      invites.push_back(o.organization);
    }
  }
  EXPECT_EQ(invites, (std::vector<std::string>{"Old Network"}));
  EXPECT_EQ(report->partners[0].shared, (std::vector<std::string>{"CityNet"}));
}

TEST(OpportunitiesTest, WithoutDateOnlyOpenMembershipsCount) {
  const auto report = FindOpportunities(HandmadeRegistry(), {.home = kSeoul, .partner = kShanghai});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->partners[0].shared, (std::vector<std::string>{"WeGO"}));
}

TEST(OpportunitiesTest, BilateralMeetingOnTheOccasionCountsWithinThreeDays) {
  Registry registry = HandmadeRegistry();
  // Move the Seoul–Beijing talks 4 days after the Metropolis meeting: no longer on its occasion.
  registry.events[1].date = PartialDate::Parse("2017-10-19").value();
  const auto report = FindOpportunities(registry, At("2024-01-01", kBeijing));
  ASSERT_TRUE(report);
  const bool missed_e1 = std::any_of(report->opportunities.begin(), report->opportunities.end(),
                                     [](const Opportunity& o) { return o.event == "E1"; });
  EXPECT_TRUE(missed_e1);
}

TEST(OpportunitiesTest, UnknownHomeIsNotFound) {
  const auto report = FindOpportunities(HandmadeRegistry(), {.home = {"Pyongyang", "PRK"}});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(report.error().message, "city Pyongyang (PRK) is not in the network");
}

TEST(OpportunitiesTest, PartnerMustDifferFromHome) {
  const auto report = FindOpportunities(HandmadeRegistry(), At("2024-01-01", kSeoul));
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(report.error().message, "partner Seoul (KOR) is the home city (expected another city)");
}

TEST(OpportunitiesTest, NoMembershipsNoOpportunities) {
  Registry registry = HandmadeRegistry();
  registry.memberships.clear();
  registry.organizations.clear();
  registry.events.clear();
  const auto report = FindOpportunities(registry, At("2024-01-01"));
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->opportunities.empty());
  EXPECT_EQ(report->partners.size(), 2U);
}

TEST(OpportunitiesTest, KindCodes) {
  EXPECT_EQ(OpportunityKindCode(OpportunityKind::kInvite), "invite");
  EXPECT_EQ(OpportunityKindCode(OpportunityKind::kUnusedVenue), "unused_venue");
  EXPECT_EQ(OpportunityKindCode(OpportunityKind::kMissedMeeting), "missed_meeting");
}

}  // namespace
}  // namespace citydip::analytics::network
