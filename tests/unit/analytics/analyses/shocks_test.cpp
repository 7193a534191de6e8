#include "citydip/analytics/analyses/shocks.h"

#include <cmath>

#include <gtest/gtest.h>

#include "registry_builder.h"

namespace citydip::analytics {
namespace {

using testing::Beijing;
using testing::D;
using testing::RegistryBuilder;
using testing::Shanghai;

// Synthetic yearly activity 2010–2024 with Beijing (institutionalized since 2013) and Shanghai:
//   Beijing  3/yr, 2 in 2016–2017, 1 in 2020–2022, 3 after;
//   Shanghai 2/yr, 0 in 2016–2017, 0 in 2020–2022, 1 in 2023, 2 in 2024.
RegistryBuilder TwoPartners() {
  RegistryBuilder b;
  b.AddMechanism("Seoul-Beijing Council", "2013-04");
  for (int y = 2010; y <= 2024; ++y) {
    const bool thaad = y == 2016 || y == 2017;
    const bool covid = y >= 2020 && y <= 2022;
    const int beijing = thaad ? 2 : (covid ? 1 : 3);
    const int shanghai = (thaad || covid) ? 0 : (y == 2023 ? 1 : 2);
    for (int k = 0; k < beijing; ++k) {
      b.AddEvent(std::to_string(y) + "-0" + std::to_string(k + 1) + "-10", EventType::kForum,
                 Beijing());
    }
    for (int k = 0; k < shanghai; ++k) {
      b.AddEvent(std::to_string(y) + "-0" + std::to_string(k + 5) + "-10", EventType::kForum,
                 Shanghai());
    }
  }
  return b;
}

ShocksOptions ChinaOptions() {
  ShocksOptions options;
  options.scope.home = testing::Seoul();
  options.scope.partner.country = "CHN";
  options.scope.period = Granularity::kYear;
  return options;
}

TEST(ShocksTest, BuiltInEpisodesAreThaadAndCovid) {
  const auto episodes = BuiltInEpisodes();
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_EQ(episodes[0].name, "THAAD");
  EXPECT_EQ(episodes[0].from.ToString(), "2016-07");
  EXPECT_EQ(episodes[0].to.ToString(), "2017-10");
  EXPECT_EQ(episodes[1].from.ToString(), "2020-01");
  EXPECT_EQ(episodes[1].to.ToString(), "2022-12");
}

TEST(ShocksTest, DepthRecoveryAndGroupComparisonForKnownDrops) {
  const RegistryBuilder b = TwoPartners();
  auto r = AnalyzeShocks(b.registry(), {}, ChinaOptions());
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->episodes.size(), 2u);
  const auto& thaad = r->episodes[0];
  EXPECT_TRUE(thaad.unavailable.empty()) << thaad.unavailable;
  EXPECT_EQ(thaad.from_period, "2016");
  EXPECT_EQ(thaad.to_period, "2017");
  EXPECT_EQ(thaad.baseline_periods, 3);  // 2013–2015
  EXPECT_DOUBLE_EQ(thaad.baseline_mean, 5.0);
  EXPECT_DOUBLE_EQ(thaad.episode_mean, 2.0);
  EXPECT_DOUBLE_EQ(thaad.depth, 0.6);
  EXPECT_DOUBLE_EQ(thaad.trough, 2.0);
  ASSERT_TRUE(thaad.recovery_periods);
  EXPECT_EQ(*thaad.recovery_periods, 3);  // 2016, 2017, back to 5 in 2018
  EXPECT_EQ(thaad.recovered_in, "2018");
  EXPECT_EQ(thaad.institutionalized.partners, (std::vector<std::string>{"Beijing"}));
  EXPECT_EQ(thaad.others.partners, (std::vector<std::string>{"Shanghai"}));
  EXPECT_NEAR(thaad.institutionalized.depth, 1.0 - 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(thaad.others.depth, 1.0);
  EXPECT_FALSE(thaad.counterfactual);
  EXPECT_EQ(thaad.counterfactual_unavailable, "no national index given");
}

TEST(ShocksTest, CovidBaselineIncludesTheThaadYearBeforeIt) {
  const RegistryBuilder b = TwoPartners();
  auto r = AnalyzeShocks(b.registry(), {}, ChinaOptions());
  ASSERT_TRUE(r);
  const auto& covid = r->episodes[1];
  EXPECT_DOUBLE_EQ(covid.baseline_mean, (2.0 + 5.0 + 5.0) / 3.0);  // 2017–2019
  EXPECT_DOUBLE_EQ(covid.episode_mean, 1.0);
  ASSERT_TRUE(covid.recovery_periods);
  EXPECT_EQ(*covid.recovery_periods, 4);  // 2023 has 4 >= 4: the fourth period from 2020
  EXPECT_EQ(covid.recovered_in, "2023");
}

TEST(ShocksTest, CounterfactualWithAnIndexThatDropsDuringTheEpisodes) {
  const RegistryBuilder b = TwoPartners();
  IndexSeries index;
  for (int y = 2010; y <= 2024; ++y) {
    const bool thaad = y == 2016 || y == 2017;
    const bool covid = y >= 2020 && y <= 2022;
    index.emplace_back(std::to_string(y), thaad ? -1.0 : (covid ? -2.0 : 0.2 * (y % 2)));
  }
  auto r = AnalyzeShocks(b.registry(), index, ChinaOptions());
  ASSERT_TRUE(r) << r.error().ToString();
  const auto& thaad = r->episodes[0];
  ASSERT_TRUE(thaad.counterfactual) << thaad.counterfactual_unavailable;
  const auto& cf = *thaad.counterfactual;
  EXPECT_DOUBLE_EQ(cf.observed, 4.0);
  EXPECT_GT(cf.index_effect.value, 0.0);  // lower index, less activity
  EXPECT_GT(cf.expected_at_baseline, cf.expected_given_index);
  EXPECT_NEAR(cf.insulation, cf.observed / cf.expected_at_baseline, 1e-12);
  EXPECT_LT(cf.insulation, 1.0);
  const auto json = ToJson(*r);
  EXPECT_TRUE(json["episodes"][0]["counterfactual"]["insulation"].is_number());
}

TEST(ShocksTest, DetectsRunsBelowTheBaseline) {
  AlignedIndex index;
  index.granularity = Granularity::kMonth;
  index.first_ordinal = Period::Parse("2015-01")->Ordinal();
  index.values.assign(36, 0.0);
  for (int i = 0; i < 36; ++i) {
    index.values[static_cast<std::size_t>(i)] = (i % 3) * 0.1;
  }
  for (int i = 18; i < 22; ++i) {
    index.values[static_cast<std::size_t>(i)] = -3.0;  // 2016-07 .. 2016-10
  }
  index.values[30] = -3.0;  // a single dip: shorter than N
  auto episodes = DetectEpisodes(index, {1.0, 3, true});
  ASSERT_TRUE(episodes) << episodes.error().message;
  ASSERT_EQ(episodes->size(), 1u);
  EXPECT_EQ((*episodes)[0].from.ToString(), "2016-07");
  EXPECT_EQ((*episodes)[0].to.ToString(), "2016-10");
  EXPECT_EQ((*episodes)[0].origin, "detected");
  auto above = DetectEpisodes(index, {1.0, 1, false});
  ASSERT_TRUE(above);
  EXPECT_TRUE(above->empty());
  EXPECT_FALSE(DetectEpisodes(index, {0.0, 3, true}));
}

TEST(ShocksTest, UserEpisodesAndDetectionNeedValidInput) {
  const RegistryBuilder b = TwoPartners();
  ShocksOptions options = ChinaOptions();
  options.builtin = false;
  options.episodes = {{"Spring", D("2014-03"), D("2014-05"), ""}};
  options.scope.period = Granularity::kMonth;
  auto r = AnalyzeShocks(b.registry(), {}, options);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->episodes.size(), 1u);
  EXPECT_EQ(r->episodes[0].episode.origin, "user");
  EXPECT_EQ(r->episodes[0].periods, 3);
  options.episodes = {{"Inverted", D("2014-05"), D("2014-03"), ""}};
  EXPECT_FALSE(AnalyzeShocks(b.registry(), {}, options));
  options.episodes.clear();
  options.detect = ShockDetection{};
  auto no_index = AnalyzeShocks(b.registry(), {}, options);
  ASSERT_FALSE(no_index);
  EXPECT_NE(no_index.error().message.find("--index"), std::string::npos);
}

TEST(ShocksTest, EpisodeOutsideTheDataIsReportedUnavailable) {
  const RegistryBuilder b = TwoPartners();
  ShocksOptions options = ChinaOptions();
  options.builtin = false;
  options.episodes = {{"Early", D("1999"), D("2000"), "user"}};
  auto r = AnalyzeShocks(b.registry(), {}, options);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->episodes[0].unavailable.empty());
  EXPECT_TRUE(ToJson(*r)["episodes"][0].contains("unavailable"));
}

}  // namespace
}  // namespace citydip::analytics
