#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/analytics/strategy/model.h"
#include "citydip/analytics/strategy/scorecard.h"
#include "test_registry.h"

namespace citydip::analytics::strategy {
namespace {

using testing::D;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeRegistry;
using testing::PlanHeader;

const std::string kPlan = PlanHeader() + R"(
[[strategy]]
id = "multilateral"
name_en = "Multilateralization"
name_ko = "다자화"

[[strategy.action]]
id = "M2"
name_en = "Beijing in Seoul's networks"
name_ko = "서울 주도 네트워크에 베이징 참여"
opportunities = ["invite", "unused_venue"]

[[strategy.action.kpi]]
id = "beijing-in-led"
name_en = "Networks Seoul leads that Beijing joined"
name_ko = "베이징이 가입한 서울 주도 네트워크"
measure = "count"
of = "organizations"
where = { home_role = ["president", "board"], partner_member = true, partner = "Beijing" }
target = 2
weight = 2

[[strategy.action]]
id = "M1"
name_en = "Bilateral meetings in networks"
name_ko = "네트워크 안의 양자 회담"
advice_en = "meet partners at shared networks"
advice_ko = "공동 네트워크에서 만나십시오"

[[strategy.action.kpi]]
id = "bwm"
name_en = "Bilateral meetings inside networks"
name_ko = "네트워크 안의 양자 회담"
measure = "count"
where = { framework = "bilateral_within_multilateral" }
target = 3

[[strategy]]
id = "digital"
name_en = "Digital"
name_ko = "디지털"

[[strategy.action]]
id = "G3"
name_en = "Online routine"
name_ko = "온라인 정례화"

[[strategy.action.kpi]]
id = "met"
name_en = "Exchanges"
name_ko = "교류"
measure = "count"
target = 1

[[strategy.action.kpi]]
id = "tone"
name_en = "Tone"
name_ko = "논조"
measure = "metric"
metric = "image.tone"
target = 1
)";

AnalysisInputs Inputs() {
  AnalysisInputs inputs;
  inputs.metrics["image.tone"] = MetricValue{std::nullopt, std::nullopt, "no GDELT tables", {}};
  inputs.opportunity_kinds = {"invite", "unused_venue"};
  // One opportunity repeats what the KPI says; one is new; one is for a city out of scope.
  inputs.opportunities = {
      {"invite", {"Beijing", "CHN"}, "Metropolis", "invite Beijing into Metropolis", ""},
      {"unused_venue",
       {"Beijing", "CHN"},
       "C40 Cities",
       "Seoul and Beijing are both in C40 Cities but never met bilaterally there",
       ""},
      {"unused_venue", {"Tokyo", "JPN"}, "World Smart Sustainable Cities Organization", "x", ""}};
  return inputs;
}

std::vector<Recommendation> RecommendAll() {
  auto plan = ParseStrategyPlan(kPlan, "plan.toml");
  EXPECT_TRUE(plan) << plan.error().ToString();
  const Registry registry = MakeRegistry();
  auto card = ScorePlan(*plan, registry, Inputs(), {D(2024, 12, 31), 5});
  EXPECT_TRUE(card) << card.error().ToString();
  return Recommend(*plan, *card, registry, Inputs());
}

TEST(RecommendTest, RanksByWeightedGapAndSkipsMetKpis) {
  const auto recommendations = RecommendAll();
  // Strategy weights 1:1; the digital strategy's "tone" has no data (gap 0.5 × 1/2 × 100 = 25);
  // M2's KPI is 0 of 2 (gap 0.5 × 0.5 × 100 = 25, as its action's opportunity); M1's is 1 of 3.
  ASSERT_GE(recommendations.size(), 4u);
  for (std::size_t i = 1; i < recommendations.size(); ++i) {
    EXPECT_GE(recommendations[i - 1].gap, recommendations[i].gap - 1e-12);
  }
  for (const auto& item : recommendations) {
    EXPECT_NE(item.kpi, "met");
  }
  const auto bwm = std::find_if(recommendations.begin(), recommendations.end(),
                                [](const Recommendation& r) { return r.kpi == "bwm"; });
  ASSERT_NE(bwm, recommendations.end());
  EXPECT_NEAR(bwm->gap, (1.0 - 1.0 / 3.0) * 0.5 * 0.5 * 100, 1e-9);
  EXPECT_EQ(bwm->kind, "raise");
}

TEST(RecommendTest, InviteNamesThePartnerTheNetworkAndTheHomeRole) {
  const auto recommendations = RecommendAll();
  const auto invite =
      std::find_if(recommendations.begin(), recommendations.end(),
                   [](const Recommendation& r) { return r.kpi == "beijing-in-led"; });
  ASSERT_NE(invite, recommendations.end());
  EXPECT_EQ(invite->action, "M2");
  EXPECT_EQ(invite->strategy, "multilateral");
  EXPECT_THAT(invite->organizations,
              ElementsAre("World Smart Sustainable Cities Organization", "Metropolis"));
  ASSERT_FALSE(invite->partners.empty());
  EXPECT_EQ(invite->partners[0].en, "Beijing");
  EXPECT_THAT(invite->text_en,
              HasSubstr("Invite Beijing into World Smart Sustainable Cities Organization, which "
                        "Seoul presides and Beijing has not joined."));
  EXPECT_THAT(invite->text_en, HasSubstr("Invite Beijing into Metropolis, which Seoul sits on "
                                         "the board of and Beijing has not joined."));
  EXPECT_THAT(invite->text_en, HasSubstr("0 against a target of 2 (as at 2024-12-31)"));
  EXPECT_THAT(invite->text_ko,
              HasSubstr("Metropolis: 서울 이사, 베이징 미가입 — 베이징 가입 초청"));
  EXPECT_NEAR(invite->gap, 25.0, 1e-9);
}

TEST(RecommendTest, OpportunitiesServingAnActionBecomeRecommendations) {
  const auto recommendations = RecommendAll();
  std::vector<std::string> kinds;
  for (const auto& item : recommendations) {
    if (item.kpi.empty()) {
      kinds.push_back(item.kind + ":" + item.organizations.at(0));
    }
  }
  // The invite into Metropolis repeats the KPI's recommendation; Tokyo is not a partner in scope.
  EXPECT_THAT(kinds, ElementsAre("unused_venue:C40 Cities"));
  const auto venue = std::find_if(recommendations.begin(), recommendations.end(),
                                  [](const Recommendation& r) { return r.kind == "unused_venue"; });
  EXPECT_EQ(venue->action, "M2");
  EXPECT_THAT(
      venue->text_en,
      HasSubstr("Seoul and Beijing are both in C40 Cities but never met bilaterally there."));
  EXPECT_NEAR(venue->gap, 25.0, 1e-9);  // the action's whole gap
}

TEST(RecommendTest, EventKpisNameQuietPartnersAndVenuesAndUseTheOfficesAdvice) {
  const auto recommendations = RecommendAll();
  const auto bwm = std::find_if(recommendations.begin(), recommendations.end(),
                                [](const Recommendation& r) { return r.kpi == "bwm"; });
  ASSERT_NE(bwm, recommendations.end());
  // Tianjin and Shanghai had no such meeting; Beijing had one (E4).
  ASSERT_EQ(bwm->partners.size(), 3u);
  EXPECT_EQ(bwm->partners[0].en, "Tianjin");
  EXPECT_EQ(bwm->partners[1].en, "Shanghai");
  EXPECT_EQ(bwm->partners[2].en, "Beijing");
  // Networks Seoul shares with them, the one it leads most strongly first.
  // (WeGO, which Seoul presides, has none of them as a member.)
  EXPECT_THAT(bwm->organizations, ElementsAre("Metropolis", "C40 Cities"));
  EXPECT_THAT(bwm->text_en, HasSubstr("Meet partners at shared networks."));
  EXPECT_THAT(bwm->text_en, HasSubstr("from 2022-01-01 to 2024-12-31"));
  EXPECT_THAT(bwm->text_ko, HasSubstr("공동 네트워크에서 만나십시오."));
  EXPECT_THAT(bwm->text_ko, HasSubstr("톈진, 상하이, 베이징"));
}

TEST(RecommendTest, NoDataBecomesARecordingRecommendation) {
  const auto recommendations = RecommendAll();
  const auto tone = std::find_if(recommendations.begin(), recommendations.end(),
                                 [](const Recommendation& r) { return r.kpi == "tone"; });
  ASSERT_NE(tone, recommendations.end());
  EXPECT_EQ(tone->kind, "record");
  EXPECT_THAT(tone->text_en, HasSubstr("no data (no GDELT tables)"));
}

TEST(RecommendTest, LimitKeepsTheLargestGaps) {
  auto plan = ParseStrategyPlan(kPlan, "plan.toml");
  ASSERT_TRUE(plan);
  const Registry registry = MakeRegistry();
  auto card = ScorePlan(*plan, registry, Inputs(), {D(2024, 12, 31), 5});
  ASSERT_TRUE(card);
  const auto all = Recommend(*plan, *card, registry, Inputs());
  const auto two = Recommend(*plan, *card, registry, Inputs(), 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].text_en, all[0].text_en);
  EXPECT_EQ(two[1].text_en, all[1].text_en);
}

}  // namespace
}  // namespace citydip::analytics::strategy
