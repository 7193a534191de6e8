// The shipped default plan (data/strategy/seoul-china.toml) loads and scores the reference data
// (data/seoul-china/, read with the ingest module; no database).
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/analytics/strategy/model.h"
#include "citydip/analytics/strategy/scorecard.h"
#include "citydip/core/text.h"
#include "citydip/ingest/registry_io.h"

namespace citydip::analytics::strategy {
namespace {

const std::string kSource = CITYDIP_SOURCE_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Registry LoadReferenceRegistry() {
  Registry registry;
  for (const char* name : {"cities", "partner_relations", "organizations", "memberships",
                           "officials", "mechanisms", "events"}) {
    const std::string path = kSource + "/data/seoul-china/" + name + ".csv";
    auto parsed = ingest::ParseRecordFile(path, {});
    EXPECT_TRUE(parsed) << parsed.error().ToString();
    if (!parsed) {
      continue;
    }
    EXPECT_TRUE(parsed->diagnostics.empty())
        << path << ": " << (parsed->diagnostics.empty() ? "" : parsed->diagnostics[0].ToString());
    RecordId id = 0;
    for (auto& row : parsed->rows) {
      std::visit(
          [&](auto& record) {
            record.id = ++id;
            using T = std::decay_t<decltype(record)>;
            if constexpr (std::is_same_v<T, City>) {
              registry.cities.push_back(record);
            } else if constexpr (std::is_same_v<T, PartnerRelation>) {
              registry.partner_relations.push_back(record);
            } else if constexpr (std::is_same_v<T, Organization>) {
              registry.organizations.push_back(record);
            } else if constexpr (std::is_same_v<T, Membership>) {
              registry.memberships.push_back(record);
            } else if constexpr (std::is_same_v<T, Official>) {
              registry.officials.push_back(record);
            } else if constexpr (std::is_same_v<T, Mechanism>) {
              registry.mechanisms.push_back(record);
            } else {
              registry.events.push_back(record);
            }
          },
          row.record);
    }
  }
  return registry;
}

// The metrics the default plan reads, as the application supplies them (values unknown here).
AnalysisInputs Catalogue() {
  AnalysisInputs inputs;
  for (const char* name :
       {"continuity.survival_share", "purpose.problem_solving_share", "governance.vertical_share",
        "governance.horizontal_share", "national.index_z"}) {
    inputs.metrics[name] = MetricValue{std::nullopt, std::nullopt, "not computed in this test", {}};
  }
  inputs.opportunity_kinds = {"invite", "unused_venue", "missed_meeting"};
  return inputs;
}

Result<StrategyPlan> LoadDefaultPlan() {
  const std::string path = kSource + "/data/strategy/seoul-china.toml";
  return ParseStrategyPlan(ReadFile(path), "data/strategy/seoul-china.toml");
}

bool IsChinese(const Registry& registry, const CityRef& ref) {
  if (!ref.country.empty()) {
    return ref.country == "CHN";
  }
  for (const auto& city : registry.cities) {
    if (city.name_en == ref.name) {
      return city.country == "CHN";
    }
  }
  return false;
}

TEST(DefaultPlanTest, EncodesTheReportsFourStrategiesOfThreeActions) {
  auto plan = LoadDefaultPlan();
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_EQ(plan->strategies.size(), 4u);
  std::vector<std::string> ids;
  for (const auto& strategy : plan->strategies) {
    ids.push_back(strategy.id);
    ASSERT_EQ(strategy.actions.size(), 3u) << strategy.id;
    EXPECT_FALSE(strategy.name_ko.empty());
    for (const auto& action : strategy.actions) {
      EXPECT_FALSE(action.name_en.empty());
      EXPECT_FALSE(action.name_ko.empty());
      EXPECT_GE(action.kpis.size(), 2u) << action.id;
      for (const auto& kpi : action.kpis) {
        EXPECT_FALSE(kpi.name_ko.empty()) << kpi.id;
      }
    }
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("multilateralization", "institutionalization",
                                          "specialization", "multilayered-governance"));
  ASSERT_EQ(plan->scenario.episodes.size(), 2u);
  EXPECT_EQ(plan->scenario.episodes[0].name, "THAAD");
  EXPECT_FALSE(plan->scenario.episodes[0].sources.empty());
}

TEST(DefaultPlanTest, ScoresTheReferenceData) {
  auto plan = LoadDefaultPlan();
  ASSERT_TRUE(plan) << plan.error().ToString();
  const Registry registry = LoadReferenceRegistry();
  ASSERT_FALSE(registry.events.empty());
  const PartialDate as_of = PartialDate::FromParts(2025, 12, 31);
  auto card = ScorePlan(*plan, registry, Catalogue(), {as_of, 5});
  ASSERT_TRUE(card) << card.error().ToString();
  ASSERT_TRUE(card->score);
  EXPECT_GE(*card->score, 0.0);
  EXPECT_LE(*card->score, 100.0);

  // Independent counts over the same registry for two KPIs (window 2023-01-01..2025-12-31; an
  // event counts when its date's midpoint is inside and a partner is Chinese).
  const DayNumber from = PartialDate::FromParts(2023, 1, 1).FirstDay();
  const DayNumber to = as_of.LastDay();
  double in_window = 0.0;
  double bilateral_in_networks = 0.0;
  for (const auto& event : registry.events) {
    const DayNumber mid =
        event.date.FirstDay() + (event.date.LastDay() - event.date.FirstDay()) / 2;
    const bool chinese = std::any_of(event.partner_cities.begin(), event.partner_cities.end(),
                                     [&](const CityRef& c) { return IsChinese(registry, c); });
    if (event.date.empty() || mid < from || mid > to || !chinese ||
        event.status != EventStatus::kHeld) {
      continue;
    }
    in_window += 1.0;
    bilateral_in_networks += event.framework == Framework::kBilateralWithinMultilateral ? 1.0 : 0.0;
  }
  const KpiResult* bwm = nullptr;
  const KpiResult* share = nullptr;
  for (const auto& strategy : card->strategies) {
    for (const auto& action : strategy.actions) {
      EXPECT_FALSE(action.kpis.empty());
      for (const auto& kpi : action.kpis) {
        if (kpi.id == "M1.bilateral-in-networks") {
          bwm = &kpi;
        } else if (kpi.id == "M1.network-share") {
          share = &kpi;
        }
        // Metrics are not computed in this test; everything else has data.
        EXPECT_EQ(kpi.subject == Subject::kMetric, kpi.status == KpiStatus::kNoData) << kpi.id;
      }
    }
  }
  ASSERT_NE(bwm, nullptr);
  ASSERT_NE(share, nullptr);
  EXPECT_DOUBLE_EQ(*bwm->value, bilateral_in_networks);
  ASSERT_GT(in_window, 0.0);
  EXPECT_GT(share->evidence_total, 0u);
  // The share's evidence is its numerator.
  EXPECT_NEAR(*share->value * in_window, static_cast<double>(share->evidence_total), 1e-9);
}

TEST(DefaultPlanTest, BeijingIsCountedInTheNetworksSeoulLeads) {
  auto plan = LoadDefaultPlan();
  ASSERT_TRUE(plan);
  const Registry registry = LoadReferenceRegistry();
  auto card = ScorePlan(*plan, registry, Catalogue(), {PartialDate::FromParts(2025, 12, 31), 5});
  ASSERT_TRUE(card) << card.error().ToString();
  // Independently: city networks where Seoul holds a leading role and Beijing is a member.
  std::set<std::string> led;
  std::set<std::string> beijing;
  for (const auto& m : registry.memberships) {
    const Organization* org = nullptr;
    for (const auto& o : registry.organizations) {
      if (o.name == m.organization) {
        org = &o;
      }
    }
    if (org == nullptr || org->kind != OrgKind::kCityNetwork || !m.until.empty()) {
      continue;
    }
    if (m.city.name == "Seoul" && m.role != MembershipRole::kMember &&
        m.role != MembershipRole::kObserver) {
      led.insert(m.organization);
    }
    if (m.city.name == "Beijing") {
      beijing.insert(m.organization);
    }
  }
  double expected = 0.0;
  for (const auto& name : led) {
    expected += beijing.count(name) != 0 ? 1.0 : 0.0;
  }
  const auto& kpi = card->strategies[0].actions[1].kpis[0];
  ASSERT_EQ(kpi.id, "M2.beijing-in-led-networks");
  EXPECT_DOUBLE_EQ(*kpi.value, expected);
  // The networks Beijing has not joined are named for the recommendation.
  for (const auto& name : kpi.gap_organizations) {
    EXPECT_EQ(led.count(name), 1u) << name;
    EXPECT_EQ(beijing.count(name), 0u) << name;
  }
}

}  // namespace
}  // namespace citydip::analytics::strategy
