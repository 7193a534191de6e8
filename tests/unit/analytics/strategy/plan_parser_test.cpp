#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/analytics/strategy/model.h"

namespace citydip::analytics::strategy {
namespace {

using ::testing::HasSubstr;

// A minimal valid plan; tests append to it or replace lines.
const std::string kHeader = R"(name_en = "Test plan"
name_ko = "시험 계획"
home = "Seoul"
partner_countries = ["CHN"]
window = "3y"

[[strategy]]
id = "s1"
name_en = "Strategy one"
name_ko = "전략 1"
weight = 2

[[strategy.action]]
id = "a1"
name_en = "Action one"
name_ko = "과제 1"
opportunities = ["invite"]
)";

std::string KpiBlock(const std::string& body) {
  return "\n[[strategy.action.kpi]]\nid = \"k1\"\nname_en = \"KPI\"\nname_ko = \"지표\"\n" + body;
}

TEST(PlanParserTest, ParsesStrategiesActionsAndKpis) {
  const std::string text = kHeader + KpiBlock(R"(measure = "share"
of = "events"
where = { framework = ["multilateral", "bilateral_within_multilateral"], partner = "Beijing" }
among = { level = "mayor" }
target = 0.25
direction = "increase"
weight = 3
owner = "team"
window = "18m"
)");
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->file, "plan.toml");
  EXPECT_EQ(plan->home.name, "Seoul");
  EXPECT_EQ(plan->home.pos.line, 3);
  ASSERT_EQ(plan->partner_countries.size(), 1u);
  EXPECT_EQ(plan->partner_countries[0], "CHN");
  EXPECT_EQ(plan->window_months, 36);
  ASSERT_EQ(plan->strategies.size(), 1u);
  const Strategy& strategy = plan->strategies[0];
  EXPECT_EQ(strategy.id, "s1");
  EXPECT_DOUBLE_EQ(strategy.weight, 2.0);
  ASSERT_EQ(strategy.actions.size(), 1u);
  const Action& action = strategy.actions[0];
  ASSERT_EQ(action.opportunities.size(), 1u);
  EXPECT_EQ(action.opportunities[0].name, "invite");
  ASSERT_EQ(action.kpis.size(), 1u);
  const Kpi& kpi = action.kpis[0];
  EXPECT_EQ(kpi.measure, Measure::kShare);
  EXPECT_EQ(kpi.subject, Subject::kEvents);
  EXPECT_EQ(
      kpi.where.frameworks,
      (std::vector<Framework>{Framework::kMultilateral, Framework::kBilateralWithinMultilateral}));
  ASSERT_EQ(kpi.where.partners.size(), 1u);
  EXPECT_EQ(kpi.where.partners[0].name, "Beijing");
  EXPECT_EQ(kpi.where.partners[0].pos.line, 25);
  EXPECT_EQ(kpi.among.levels, std::vector<Level>{Level::kMayor});
  EXPECT_DOUBLE_EQ(kpi.target, 0.25);
  EXPECT_DOUBLE_EQ(kpi.weight, 3.0);
  EXPECT_EQ(kpi.window_months, 18);
  EXPECT_EQ(kpi.owner, "team");
}

TEST(PlanParserTest, ParsesMetricAndOrganizationKpisAndScenario) {
  const std::string text = kHeader + KpiBlock(R"(measure = "metric"
metric = "purpose.problem_solving_share"
target = 0.5
)") + R"(
[[strategy.action.kpi]]
id = "k2"
name_en = "Networks"
name_ko = "네트워크"
measure = "count"
of = "organizations"
where = { home_role = ["president", "board"], partner_member = false, org_kind = "city_network" }
target = 1
direction = "decrease"
baseline = 3

[scenario]
partner = "Beijing"
lags = [0, 3]
warning_sd = -2

[[scenario.episode]]
name = "THAAD"
start = "2016-07"
sources = ["https://example.org/thaad"]
)";
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_TRUE(plan) << plan.error().ToString();
  const auto& kpis = plan->strategies[0].actions[0].kpis;
  ASSERT_EQ(kpis.size(), 2u);
  EXPECT_EQ(kpis[0].subject, Subject::kMetric);
  EXPECT_EQ(kpis[0].metric.name, "purpose.problem_solving_share");
  EXPECT_EQ(kpis[1].subject, Subject::kOrganizations);
  EXPECT_EQ(kpis[1].where.home_roles,
            (std::vector<MembershipRole>{MembershipRole::kPresident, MembershipRole::kBoard}));
  EXPECT_EQ(kpis[1].where.partner_member, false);
  EXPECT_EQ(kpis[1].direction, TargetDirection::kDecrease);
  EXPECT_EQ(kpis[1].baseline, 3.0);
  EXPECT_EQ(plan->scenario.partner.name, "Beijing");
  EXPECT_EQ(plan->scenario.lags, (std::vector<int>{0, 3}));
  EXPECT_DOUBLE_EQ(plan->scenario.warning_sd, -2.0);
  ASSERT_EQ(plan->scenario.episodes.size(), 1u);
  EXPECT_EQ(plan->scenario.episodes[0].start, PartialDate::FromParts(2016, 7));
}

TEST(PlanParserTest, UnknownKeyIsReportedAtItsLineAndColumn) {
  const std::string text = kHeader + KpiBlock("measure = \"count\"\ntarget = 1\n  targte = 2\n");
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(plan.error().where, "plan.toml:25:3");
  EXPECT_THAT(plan.error().message, HasSubstr("unknown key 'targte' in kpi"));
  EXPECT_THAT(plan.error().message, HasSubstr("expected id, name_en"));
}

TEST(PlanParserTest, FilterThatDoesNotApplyToTheSubjectIsRejected) {
  const std::string text = kHeader + KpiBlock(R"(measure = "count"
of = "memberships"
where = { role = "president", framework = "multilateral" }
target = 1
)");
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().where, "plan.toml:25:31");
  EXPECT_THAT(plan.error().message,
              HasSubstr("filter 'framework' does not apply to memberships (expected city, role"));
}

TEST(PlanParserTest, BadVocabularyValueListsTheAllowedCodes) {
  const std::string text = kHeader + KpiBlock(
                                         "measure = \"count\"\nwhere = { type = \"visitt\" }\n"
                                         "target = 1\n");
  auto plan = ParseStrategyPlan(text, "plan.toml");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().where, "plan.toml:24:18");
  EXPECT_THAT(plan.error().message,
              HasSubstr("'visitt' is not a valid event type (expected agreement, leader_visit"));
}

TEST(PlanParserTest, TomlSyntaxErrorIsReportedWithPosition) {
  const std::string text = kHeader + KpiBlock("measure = \"count\"\ntarget = [1,\n");
  auto plan = ParseStrategyPlan(text, "bad.toml");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidData);
  EXPECT_THAT(plan.error().where, HasSubstr("bad.toml:"));
  EXPECT_THAT(plan.error().message, HasSubstr("not valid TOML"));
}

TEST(PlanParserTest, MissingRequiredKeysAndEmptyStrategiesAreReported) {
  auto no_strategy = ParseStrategyPlan("home = \"Seoul\"\n", "p.toml");
  ASSERT_FALSE(no_strategy);
  EXPECT_THAT(no_strategy.error().message, HasSubstr("missing [[strategy]] entries"));

  const std::string text = kHeader + "\n[[strategy.action.kpi]]\nid = \"k1\"\nname_en = \"x\"\n";
  auto plan = ParseStrategyPlan(text, "p.toml");
  ASSERT_FALSE(plan);
  // Every problem is listed, each with its location.
  EXPECT_THAT(plan.error().ToString(), HasSubstr("missing required key 'name_ko'"));
  EXPECT_THAT(plan.error().message, HasSubstr("missing required key 'measure'"));
  EXPECT_THAT(plan.error().message, HasSubstr("missing required key 'target'"));
  EXPECT_THAT(plan.error().message, HasSubstr("p.toml:19:1: "));
}

TEST(PlanParserTest, RejectsInconsistentKpiDefinitions) {
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"measure = \"trend\"\nwindow = \"18m\"\ntarget = 0\n",
       "a trend needs a window of whole years, at least 2"},
      {"measure = \"rate\"\nof = \"memberships\"\ntarget = 1\n",
       "measure 'rate' applies only to events, not memberships"},
      {"measure = \"distinct\"\nby = \"colour\"\ntarget = 1\n", "cannot count distinct 'colour'"},
      {"measure = \"distinct\"\nof = \"organizations\"\nby = \"partner\"\ntarget = 1\n",
       "(count them instead)"},
      {"measure = \"count\"\nby = \"partner\"\ntarget = 1\n", "'by' applies only to measure"},
      {"measure = \"count\"\namong = { type = \"forum\" }\ntarget = 1\n",
       "'among' applies only to measure = \"share\""},
      {"measure = \"share\"\ntarget = 25\n", "a share's target is a fraction"},
      {"measure = \"count\"\ntarget = 1\nweight = 0\n", "'weight' must be greater than 0"},
      {"measure = \"count\"\ntarget = 1\ndirection = \"up\"\n", "not a valid direction"},
      {"measure = \"count\"\ntarget = 1\nwindow = \"3 years\"\n", "not a valid window"},
      {"measure = \"metric\"\ntarget = 1\n", "missing required key 'metric'"},
      {"measure = \"count\"\nmetric = \"x\"\ntarget = 1\n", "'metric' applies only to"},
      {"measure = \"count\"\nof = \"people\"\ntarget = 1\n", "'people' is not a valid subject"},
      {"measure = \"median\"\ntarget = 1\n", "'median' is not a valid measure"},
      {"measure = \"count\"\ntarget = \"one\"\n", "'target' must be a number, not a string"},
      {"measure = \"count\"\nwhere = { partner_country = \"Atlantis\" }\ntarget = 1\n",
       "'Atlantis' is not a known country"},
      {"measure = \"count\"\nwhere = { from = \"2020\", to = \"2019\" }\ntarget = 1\n",
       "'to' (2019) is before 'from' (2020)"},
      {"measure = \"count\"\nwhere = { from = \"2020-13\" }\ntarget = 1\n", "'from'"},
  };
  for (const auto& c : cases) {
    auto plan = ParseStrategyPlan(kHeader + KpiBlock(c.body), "p.toml");
    ASSERT_FALSE(plan) << c.body;
    EXPECT_THAT(plan.error().ToString(), HasSubstr(c.message)) << c.body;
    EXPECT_THAT(plan.error().where, HasSubstr("p.toml:")) << c.body;
  }
}

TEST(PlanParserTest, DuplicateIdsAreRejected) {
  const std::string text = kHeader + KpiBlock("measure = \"count\"\ntarget = 1\n") +
                           KpiBlock("measure = \"count\"\ntarget = 2\n");
  auto plan = ParseStrategyPlan(text, "p.toml");
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("duplicate kpi id 'k1'"));
  EXPECT_EQ(plan.error().where, "p.toml:27:1");
}

TEST(PlanParserTest, EpisodesNeedAMonthAndSources) {
  const std::string text = kHeader + KpiBlock("measure = \"count\"\ntarget = 1\n") +
                           "\n[[scenario.episode]]\nname = \"X\"\nstart = \"2016\"\n";
  auto plan = ParseStrategyPlan(text, "p.toml");
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().ToString(), HasSubstr("'start' needs a month"));
  EXPECT_THAT(plan.error().ToString(), HasSubstr("missing 'sources'"));
}

TEST(PlanParserTest, WindowsParseAndFormat) {
  EXPECT_EQ(ParseWindow("3y"), 36);
  EXPECT_EQ(ParseWindow("18m"), 18);
  EXPECT_EQ(ParseWindow("all"), 0);
  EXPECT_FALSE(ParseWindow("0y"));
  EXPECT_FALSE(ParseWindow("3"));
  EXPECT_FALSE(ParseWindow("y"));
  EXPECT_FALSE(ParseWindow("-2y"));
  EXPECT_EQ(FormatWindow(36), "3y");
  EXPECT_EQ(FormatWindow(18), "18m");
  EXPECT_EQ(FormatWindow(0), "all");
}

}  // namespace
}  // namespace citydip::analytics::strategy
