#include "citydip/analytics/strategy/scorecard.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/analytics/strategy/model.h"
#include "test_registry.h"

namespace citydip::analytics::strategy {
namespace {

using testing::D;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeRegistry;
using testing::PlanHeader;

AnalysisInputs Inputs() {
  AnalysisInputs inputs;
  inputs.metrics["purpose.share"] = MetricValue{0.4, 0.3, "", {}};
  inputs.metrics["not.available"] = MetricValue{std::nullopt, std::nullopt, "needs an index", {}};
  inputs.opportunity_kinds = {"invite"};
  return inputs;
}

// One strategy, one action, the KPI bodies given (each "[[strategy.action.kpi]]" block).
std::string Plan(const std::string& kpis) {
  return PlanHeader() + R"(
[[strategy]]
id = "s"
name_en = "S"
name_ko = "전략"

[[strategy.action]]
id = "a"
name_en = "A"
name_ko = "과제"
)" + kpis;
}

std::string KpiBlock(const std::string& id, const std::string& body) {
  return "\n[[strategy.action.kpi]]\nid = \"" + id + "\"\nname_en = \"" + id + "\"\nname_ko = \"" +
         id + "\"\n" + body;
}

// Scores `kpis` on the test registry at 2024-12-31 and returns the action's KPI results.
std::vector<KpiResult> Evaluate(const std::string& kpis,
                                const Registry& registry = MakeRegistry()) {
  auto plan = ParseStrategyPlan(Plan(kpis), "plan.toml");
  EXPECT_TRUE(plan) << plan.error().ToString();
  if (!plan) {
    return {};
  }
  auto card = ScorePlan(*plan, registry, Inputs(), {D(2024, 12, 31), 10});
  EXPECT_TRUE(card) << card.error().ToString();
  if (!card) {
    return {};
  }
  return card->strategies.at(0).actions.at(0).kpis;
}

KpiResult One(const std::string& body, const Registry& registry = MakeRegistry()) {
  auto results = Evaluate(KpiBlock("k", body), registry);
  EXPECT_EQ(results.size(), 1u);
  return results.empty() ? KpiResult{} : results[0];
}

TEST(ScorecardTest, CountsHeldEventsWithPartnersInScopeInTheWindow) {
  // E1..E4 are held, Chinese, in 2022–2024; E5 is cancelled, E8 Japanese, E9 after as-of.
  const KpiResult kpi = One("measure = \"count\"\ntarget = 4\n");
  ASSERT_TRUE(kpi.value);
  EXPECT_DOUBLE_EQ(*kpi.value, 4.0);
  EXPECT_EQ(kpi.status, KpiStatus::kMet);
  EXPECT_DOUBLE_EQ(*kpi.progress, 1.0);
  // The previous window (2019–2021) holds E6 and E7.
  ASSERT_TRUE(kpi.previous);
  EXPECT_DOUBLE_EQ(*kpi.previous, 2.0);
  EXPECT_EQ(kpi.trend, Trend::kUp);
  EXPECT_EQ(kpi.from, D(2022, 1, 1));
  EXPECT_EQ(kpi.to, D(2024, 12, 31));
  // Evidence: latest first.
  ASSERT_EQ(kpi.evidence.size(), 4u);
  EXPECT_EQ(kpi.evidence_total, 4u);
  EXPECT_EQ(kpi.evidence[0].ref, "E4");
  EXPECT_EQ(kpi.evidence[0].date, "2024-06-01");
  EXPECT_EQ(kpi.evidence[0].sources, std::vector<std::string>{"https://example.org/E4"});
  EXPECT_EQ(kpi.evidence[3].ref, "E1");
}

TEST(ScorecardTest, FiltersCombineWithAndAndListsWithOr) {
  EXPECT_DOUBLE_EQ(*One("measure = \"count\"\nwhere = { framework = [\"multilateral\", "
                        "\"bilateral_within_multilateral\"] }\ntarget = 1\n")
                        .value,
                   2.0);
  EXPECT_DOUBLE_EQ(
      *One("measure = \"count\"\nwhere = { level = \"mayor\", topic = \"environment\" }\n"
           "target = 1\n")
           .value,
      1.0);  // E3
  EXPECT_DOUBLE_EQ(
      *One("measure = \"count\"\nwhere = { partner = \"Beijing\" }\ntarget = 1\n").value,
      3.0);  // E1, E2, E4
  EXPECT_DOUBLE_EQ(
      *One("measure = \"count\"\nwhere = { organization = \"WeGO\" }\ntarget = 1\n").value,
      1.0);  // E4 records the acronym; the filter resolves either form
  EXPECT_DOUBLE_EQ(
      *One("measure = \"count\"\nwhere = { mechanism = \"통합위원회\" }\ntarget = 1\n").value,
      1.0);  // E2, by the mechanism's Korean name
  EXPECT_DOUBLE_EQ(
      *One("measure = \"count\"\nwhere = { status = \"cancelled\" }\ntarget = 1\n").value,
      1.0);  // E5
  EXPECT_DOUBLE_EQ(*One("measure = \"count\"\nwhere = { direction = \"outbound\", mode = "
                        "[\"online\", \"blended\"] }\ntarget = 1\n")
                        .value,
                   1.0);  // E4
  // An explicit period instead of the window: 2020–2021 holds E6 and E7.
  const KpiResult period =
      One("measure = \"count\"\nwhere = { from = \"2020\", to = \"2021\" }\ntarget = 1\n");
  EXPECT_DOUBLE_EQ(*period.value, 2.0);
  EXPECT_FALSE(period.previous);
  EXPECT_EQ(period.trend, Trend::kUnknown);
}

TEST(ScorecardTest, ImpreciseDatesCountAtTheirMidpoint) {
  // E3 is dated "2023": it counts in a window ending 2023-12-31 but not in one ending 2023-06-30.
  EXPECT_DOUBLE_EQ(*One("measure = \"count\"\nwhere = { type = \"multilateral_meeting\", to = "
                        "\"2023-12\" }\ntarget = 1\n")
                        .value,
                   1.0);
  EXPECT_DOUBLE_EQ(*One("measure = \"count\"\nwhere = { type = \"multilateral_meeting\", to = "
                        "\"2023-06\" }\ntarget = 1\n")
                        .value,
                   0.0);
}

TEST(ScorecardTest, ShareRateTrendAndDistinct) {
  const auto results = Evaluate(
      KpiBlock("share",
               "measure = \"share\"\nwhere = { framework = [\"multilateral\", "
               "\"bilateral_within_multilateral\"] }\ntarget = 0.6\n") +
      KpiBlock("share_among",
               "measure = \"share\"\namong = { partner = \"Beijing\" }\nwhere = { "
               "mode = \"online\" }\ntarget = 0.5\n") +
      KpiBlock("rate", "measure = \"rate\"\ntarget = 2\n") +
      KpiBlock("trend3", "measure = \"trend\"\ntarget = 0\n") +
      KpiBlock("trend4", "measure = \"trend\"\nwindow = \"4y\"\ntarget = 0.5\n") +
      KpiBlock("partners", "measure = \"distinct\"\nby = \"partner\"\ntarget = 3\n") +
      KpiBlock("levels", "measure = \"distinct\"\nby = \"level\"\ntarget = 3\n") +
      KpiBlock("years", "measure = \"distinct\"\nby = \"year\"\nwindow = \"all\"\ntarget = 6\n"));
  ASSERT_EQ(results.size(), 8u);
  // 2 of the 4 events are multilateral: progress 0.5 / 0.6 = 0.83 >= 0.75.
  EXPECT_DOUBLE_EQ(*results[0].value, 0.5);
  EXPECT_NEAR(*results[0].progress, 0.5 / 0.6, 1e-12);
  EXPECT_EQ(results[0].status, KpiStatus::kOnTrack);
  // Among the 3 Beijing events, E2 is online.
  EXPECT_DOUBLE_EQ(*results[1].value, 1.0 / 3.0);
  EXPECT_EQ(results[1].status, KpiStatus::kBehind);  // 0.67 of the target
  // 4 events over 1096 days.
  EXPECT_NEAR(*results[2].value, 4.0 * 365.2425 / 1096.0, 1e-12);
  // Yearly counts 2022–2024: 1, 2, 1 → slope 0; 2021–2024: 1, 1, 2, 1 → slope 0.1.
  EXPECT_NEAR(*results[3].value, 0.0, 1e-12);
  EXPECT_EQ(results[3].status, KpiStatus::kMet);
  EXPECT_NEAR(*results[4].value, 0.1, 1e-12);
  // Beijing and Shanghai (Tokyo is out of scope).
  EXPECT_DOUBLE_EQ(*results[5].value, 2.0);
  // mayor, department, vice mayor.
  EXPECT_DOUBLE_EQ(*results[6].value, 3.0);
  // All history: 2020, 2021, 2022, 2023, 2024 (E8 is Japanese, E9 after as-of).
  EXPECT_DOUBLE_EQ(*results[7].value, 5.0);
}

TEST(ScorecardTest, MembershipsOrganizationsMechanismsAndRelations) {
  const auto results = Evaluate(
      KpiBlock("memberships", "measure = \"count\"\nof = \"memberships\"\ntarget = 3\n") +
      KpiBlock("led",
               "measure = \"count\"\nof = \"memberships\"\nwhere = { role = [\"president\", "
               "\"board\"] }\ntarget = 3\n") +
      KpiBlock("partner_memberships",
               "measure = \"count\"\nof = \"memberships\"\nwhere = { city = "
               "\"partner\" }\ntarget = 1\n") +
      KpiBlock("beijing_in_led",
               "measure = \"count\"\nof = \"organizations\"\nwhere = { home_role = "
               "[\"president\", \"board\"], partner_member = true, partner = "
               "\"Beijing\" }\ntarget = 1\n") +
      KpiBlock("led_with_chinese",
               "measure = \"share\"\nof = \"organizations\"\namong = { home_role = "
               "[\"president\", \"board\"] }\nwhere = { partner_member = true }\n"
               "target = 1\n") +
      KpiBlock("mechanisms", "measure = \"count\"\nof = \"mechanisms\"\ntarget = 1\n") +
      KpiBlock("fields",
               "measure = \"distinct\"\nof = \"mechanisms\"\nby = \"field\"\ntarget = 4\n") +
      KpiBlock("relations", "measure = \"count\"\nof = \"relations\"\ntarget = 3\n") +
      KpiBlock("kinds",
               "measure = \"distinct\"\nof = \"relations\"\nby = \"relation\"\ntarget = 2\n"));
  ASSERT_EQ(results.size(), 9u);
  // Seoul: WeGO, Metropolis (two roles, one membership), C40.
  EXPECT_DOUBLE_EQ(*results[0].value, 3.0);
  EXPECT_EQ(results[0].status, KpiStatus::kMet);
  EXPECT_DOUBLE_EQ(*results[1].value, 2.0);  // president of WeGO, board of Metropolis
  // Beijing in C40, Shanghai in Metropolis.
  EXPECT_DOUBLE_EQ(*results[2].value, 2.0);
  // Seoul leads WeGO and Metropolis; Beijing is in neither: the gap names both networks.
  EXPECT_DOUBLE_EQ(*results[3].value, 0.0);
  EXPECT_EQ(results[3].status, KpiStatus::kBehind);
  EXPECT_THAT(results[3].gap_organizations,
              ElementsAre("World Smart Sustainable Cities Organization", "Metropolis"));
  ASSERT_FALSE(results[3].gap_partners.empty());
  EXPECT_EQ(results[3].gap_partners[0], (Label{"Beijing", "베이징"}));
  // Of the two networks Seoul leads, Metropolis has a Chinese member (Shanghai).
  EXPECT_DOUBLE_EQ(*results[4].value, 0.5);
  EXPECT_DOUBLE_EQ(*results[5].value, 1.0);
  EXPECT_DOUBLE_EQ(*results[6].value, 3.0);
  EXPECT_EQ(results[6].status, KpiStatus::kOnTrack);  // 3 of 4
  EXPECT_DOUBLE_EQ(*results[7].value, 3.0);
  EXPECT_DOUBLE_EQ(*results[8].value, 2.0);
  EXPECT_EQ(results[7].evidence[0].kind, "relation");
}

TEST(ScorecardTest, GapsFollowTheKpisOwnConditions) {
  const auto results =
      Evaluate(KpiBlock("sessions",
                        "measure = \"count\"\nwhere = { mechanism = \"Council\" }\ntarget = 3\n") +
               KpiBlock("led_share",
                        "measure = \"share\"\nof = \"organizations\"\namong = { home_role = "
                        "[\"president\", \"board\"] }\nwhere = { partner_member = true }\n"
                        "target = 1\n"));
  ASSERT_EQ(results.size(), 2u);
  // Only the Council's member cities can hold its sessions.
  ASSERT_EQ(results[0].gap_partners.size(), 1u);
  EXPECT_EQ(results[0].gap_partners[0].en, "Beijing");
  EXPECT_THAT(results[0].gap_organizations, ElementsAre("Council"));
  // Networks Seoul leads (the share's `among`) without a Chinese member: WeGO only.
  EXPECT_THAT(results[1].gap_organizations,
              ElementsAre("World Smart Sustainable Cities Organization"));
}

TEST(ScorecardTest, StateSubjectsAreEvaluatedAtTheAsOfDate) {
  // At the end of 2012 the Council (founded 2013) did not exist yet.
  const KpiResult kpi =
      One("measure = \"count\"\nof = \"mechanisms\"\nwhere = { to = \"2012\" }\ntarget = 1\n");
  EXPECT_DOUBLE_EQ(*kpi.value, 0.0);
  EXPECT_EQ(kpi.to, D(2012, 12, 31));
  EXPECT_EQ(kpi.status, KpiStatus::kBehind);
}

TEST(ScorecardTest, DecreaseTargetsAndBaselines) {
  const auto results = Evaluate(
      KpiBlock("at_most",
               "measure = \"count\"\nwhere = { mode = \"online\" }\ntarget = 0\n"
               "direction = \"decrease\"\n") +
      KpiBlock("ratio", "measure = \"count\"\ntarget = 2\ndirection = \"decrease\"\n") +
      KpiBlock("baseline",
               "measure = \"count\"\ntarget = 2\ndirection = \"decrease\"\nbaseline = 5\n") +
      KpiBlock("up_baseline", "measure = \"count\"\ntarget = 6\nbaseline = 2\n") +
      KpiBlock("metric", "measure = \"metric\"\nmetric = \"purpose.share\"\ntarget = 0.5\n"));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_DOUBLE_EQ(*results[0].value, 1.0);
  EXPECT_DOUBLE_EQ(*results[0].progress, 0.0);
  EXPECT_EQ(results[0].status, KpiStatus::kBehind);
  EXPECT_DOUBLE_EQ(*results[1].progress, 0.5);          // target / value = 2 / 4
  EXPECT_NEAR(*results[2].progress, 1.0 / 3.0, 1e-12);  // (5 − 4) / (5 − 2)
  EXPECT_DOUBLE_EQ(*results[3].progress, 0.5);          // (4 − 2) / (6 − 2)
  EXPECT_DOUBLE_EQ(*results[4].value, 0.4);
  EXPECT_DOUBLE_EQ(*results[4].previous, 0.3);
  EXPECT_EQ(results[4].trend, Trend::kUp);
  EXPECT_DOUBLE_EQ(*results[4].progress, 0.8);
  EXPECT_EQ(results[4].status, KpiStatus::kOnTrack);
}

TEST(ScorecardTest, NoDataWhenNothingCanBeMeasured) {
  Registry empty = MakeRegistry();
  empty.events.clear();
  const auto results = Evaluate(
      KpiBlock("events", "measure = \"count\"\ntarget = 1\n") +
          KpiBlock("metric", "measure = \"metric\"\nmetric = \"not.available\"\ntarget = 1\n") +
          KpiBlock("relations", "measure = \"count\"\nof = \"relations\"\ntarget = 1\n"),
      empty);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, KpiStatus::kNoData);
  EXPECT_FALSE(results[0].value);
  EXPECT_THAT(results[0].note, HasSubstr("no events of Seoul"));
  EXPECT_EQ(results[1].status, KpiStatus::kNoData);
  EXPECT_EQ(results[1].note, "needs an index");
  EXPECT_EQ(results[2].status, KpiStatus::kMet);
  // A share with nothing to divide by has no data either.
  const KpiResult share =
      One("measure = \"share\"\namong = { type = \"youth_exchange\" }\ntarget = 0.5\n");
  EXPECT_EQ(share.status, KpiStatus::kNoData);
  EXPECT_THAT(share.note, HasSubstr("nothing matches 'among'"));
}

TEST(ScorecardTest, WeightedScoresAndGapsPerActionStrategyAndPlan) {
  const std::string text = PlanHeader() + R"(
[[strategy]]
id = "s1"
name_en = "S1"
name_ko = "S1"
weight = 3

[[strategy.action]]
id = "a1"
name_en = "A1"
name_ko = "A1"

[[strategy.action.kpi]]
id = "met"
name_en = "met"
name_ko = "met"
measure = "count"
target = 4

[[strategy.action.kpi]]
id = "half"
name_en = "half"
name_ko = "half"
measure = "count"
target = 8
weight = 3

[[strategy.action]]
id = "a2"
name_en = "A2"
name_ko = "A2"

[[strategy.action.kpi]]
id = "none"
name_en = "none"
name_ko = "none"
measure = "metric"
metric = "not.available"
target = 1

[[strategy]]
id = "s2"
name_en = "S2"
name_ko = "S2"

[[strategy.action]]
id = "a3"
name_en = "A3"
name_ko = "A3"

[[strategy.action.kpi]]
id = "zero"
name_en = "zero"
name_ko = "zero"
measure = "count"
where = { type = "youth_exchange" }
target = 1
)";
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_TRUE(plan) << plan.error().ToString();
  auto card = ScorePlan(*plan, MakeRegistry(), Inputs(), {D(2024, 12, 31), 5});
  ASSERT_TRUE(card) << card.error().ToString();
  const auto& s1 = card->strategies[0];
  // a1: (1·1 + 3·0.5) / 4 = 0.625 → 62.5, below 75: behind.
  EXPECT_DOUBLE_EQ(*s1.actions[0].score, 62.5);
  EXPECT_EQ(s1.actions[0].status, KpiStatus::kBehind);
  EXPECT_FALSE(s1.actions[1].score);
  EXPECT_EQ(s1.actions[1].status, KpiStatus::kNoData);
  // s1 averages the actions with a score.
  EXPECT_DOUBLE_EQ(*s1.score, 62.5);
  const auto& s2 = card->strategies[1];
  EXPECT_DOUBLE_EQ(*s2.score, 0.0);
  // Plan: (3 · 62.5 + 1 · 0) / 4.
  EXPECT_DOUBLE_EQ(*card->score, 46.875);
  EXPECT_EQ(card->status, KpiStatus::kBehind);
  EXPECT_EQ(card->home, (Label{"Seoul", "서울"}));
  // Gaps: the KPI's shortfall times its share of the plan's weight, in points.
  // "half": 0.5 × (3/4 strategy) × (1/2 action) × (3/4 KPI) × 100.
  EXPECT_NEAR(s1.actions[0].kpis[1].gap, 0.5 * 0.75 * 0.5 * 0.75 * 100, 1e-9);
  EXPECT_NEAR(s1.actions[1].kpis[0].gap, 1.0 * 0.75 * 0.5 * 100, 1e-9);
  EXPECT_NEAR(s2.actions[0].kpis[0].gap, 25.0, 1e-9);
  // Action evidence merges its KPIs' evidence without duplicates, at most max_evidence.
  EXPECT_EQ(s1.actions[0].evidence.size(), 4u);
}

TEST(ScorecardTest, UnknownNamesAreReportedAtTheirLineInTheFile) {
  const std::string text = Plan(
      KpiBlock("k1",
               "measure = \"count\"\nwhere = { organization = \"Nowhere League\" }\n"
               "target = 1\n") +
      KpiBlock("k2", "measure = \"count\"\nwhere = { partner = \"Atlantis City\" }\ntarget = 1\n") +
      KpiBlock("k3", "measure = \"metric\"\nmetric = \"no.such.metric\"\ntarget = 1\n") +
      KpiBlock("k4",
               "measure = \"count\"\nwhere = { mechanism = \"Joint Committee\" }\n"
               "target = 1\n"));
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_TRUE(plan) << plan.error().ToString();
  auto status = ValidatePlan(*plan, MakeRegistry(), Inputs());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(status.error().where, "plan.toml:22:26");
  EXPECT_THAT(status.error().message, HasSubstr("unknown organization 'Nowhere League'"));
  EXPECT_THAT(status.error().message, HasSubstr("plan.toml:30:21: kpi 'k2': unknown city"));
  EXPECT_THAT(status.error().message, HasSubstr("unknown metric 'no.such.metric' (expected "
                                                "not.available, purpose.share)"));
  EXPECT_THAT(status.error().message, HasSubstr("unknown mechanism 'Joint Committee'"));
  // ScorePlan refuses the plan the same way.
  EXPECT_FALSE(ScorePlan(*plan, MakeRegistry(), Inputs(), {D(2024, 12, 31), 5}));
}

TEST(ScorecardTest, UnknownHomeAndOpportunityKindAreReported) {
  std::string text = Plan(KpiBlock("k", "measure = \"count\"\ntarget = 1\n"));
  const std::string home = "home = \"Seoul\"";
  text.replace(text.find(home), home.size(), "home = \"Busan\"");
  const std::string action = "name_ko = \"과제\"";
  text.replace(text.find(action), action.size(), action + "\nopportunities = [\"teleport\"]");
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_TRUE(plan) << plan.error().ToString();
  auto status = ValidatePlan(*plan, MakeRegistry(), Inputs());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().where, "plan.toml:3:8");
  EXPECT_THAT(status.error().message, HasSubstr("home: unknown city 'Busan'"));
  EXPECT_THAT(status.error().message, HasSubstr("unknown opportunity kind 'teleport' (expected "
                                                "invite)"));
}

TEST(ScorecardTest, RequiresAnAsOfDate) {
  auto plan = ParseStrategyPlan(Plan(KpiBlock("k", "measure = \"count\"\ntarget = 1\n")), "p.toml");
  ASSERT_TRUE(plan);
  auto card = ScorePlan(*plan, MakeRegistry(), Inputs(), {});
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code, ErrorCode::kInvalidArgument);
}

TEST(ScorecardTest, FormatsValuesForPeople) {
  EXPECT_EQ(FormatValue(Measure::kShare, 0.254), "25%");
  EXPECT_EQ(FormatValue(Measure::kCount, 3.0), "3");
  EXPECT_EQ(FormatValue(Measure::kRate, 1.333), "1.3/yr");
  EXPECT_EQ(FormatValue(Measure::kTrend, 0.1), "+0.1/yr²");
  EXPECT_EQ(FormatValue(Measure::kTrend, -0.04), "0.0/yr²");
  EXPECT_EQ(FormatValue(Measure::kMetric, 0.5), "0.5");
  EXPECT_EQ(FormatValue(Measure::kMetric, -1.25, "sd"), "-1.25 sd");
  EXPECT_EQ(FormatValue(Measure::kMetric, 2.0), "2");
}

}  // namespace
}  // namespace citydip::analytics::strategy
