#include "citydip/analytics/analyses/barometer.h"

#include <cmath>

#include <gtest/gtest.h>

#include "registry_builder.h"
#include "synthetic.h"

namespace citydip::analytics {
namespace {

using testing::Noise;
using testing::RegistryBuilder;
using testing::SeoulBeijing;

std::string MonthLabel(int i) {  // i = 0 is 2005-01
  return Period::FromOrdinal(Granularity::kMonth, 2005 * 12 + i).ToString();
}

// Adds `count` synthetic events in month i (days 1..count).
void AddMonth(RegistryBuilder& b, int i, int count) {
  for (int d = 1; d <= count; ++d) {
    b.AddEvent(MonthLabel(i) + (d < 10 ? "-0" : "-") + std::to_string(d), EventType::kForum);
  }
}

constexpr int kMonths = 120;

// The city's monthly activity follows the index two months later (synthetic).
void CityFollowsIndex(RegistryBuilder& b, IndexSeries& index) {
  Noise noise(7);
  std::vector<double> z(kMonths, 0.0);
  for (int t = 1; t < kMonths; ++t) {
    z[static_cast<std::size_t>(t)] = 0.5 * z[static_cast<std::size_t>(t - 1)] + noise.Normal();
  }
  for (int t = 0; t < kMonths; ++t) {
    index.emplace_back(MonthLabel(t), z[static_cast<std::size_t>(t)]);
    const double driver = t >= 2 ? z[static_cast<std::size_t>(t - 2)] : 0.0;
    AddMonth(
        b, t,
        static_cast<int>(std::lround(std::max(0.0, 4.0 + 2.0 * driver + 0.3 * noise.Normal()))));
  }
}

TEST(BarometerTest, CityFollowingTheIndexByTwoMonthsLags) {
  RegistryBuilder b;
  IndexSeries index;
  CityFollowsIndex(b, index);
  BarometerOptions options;
  options.scope = SeoulBeijing(Granularity::kMonth);
  auto r = AnalyzeBarometer(b.registry(), index, options);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->periods.size(), static_cast<std::size_t>(kMonths));
  EXPECT_EQ(r->ccf.best.lag, 2);
  EXPECT_GT(r->ccf.best.correlation, 0.5);
  ASSERT_TRUE(r->national_to_city.result);
  EXPECT_LT(r->national_to_city.result->test.p_value, 1e-6);
  EXPECT_EQ(r->national_to_city.result->selected_lag, 2);
  ASSERT_TRUE(r->city_to_national.result);
  EXPECT_GT(r->city_to_national.result->test.p_value, 1e-3);  // no reverse effect built in
  EXPECT_EQ(r->verdict, Verdict::kLags);
  EXPECT_NE(r->verdict_text.find("follows the national index by about 2 months"), std::string::npos)
      << r->verdict_text;
  const auto json = ToJson(*r);
  EXPECT_EQ(json["lead_lag"]["best_lag"], 2);
  EXPECT_TRUE(json["granger"]["national_to_city"]["p_value"].is_number());
  EXPECT_TRUE(json["granger"]["city_to_national"]["p_value"].is_number());
  EXPECT_EQ(json["verdict"], "lags");
  EXPECT_EQ(json["rolling"]["values"].size(), static_cast<std::size_t>(kMonths));
  EXPECT_TRUE(json["rolling"]["values"][0].is_null());
  EXPECT_TRUE(json["rolling"]["values"][kMonths - 1].is_number());
}

TEST(BarometerTest, IndexFollowingTheCityMeansTheCityLeads) {
  RegistryBuilder b;
  IndexSeries index;
  Noise noise(11);
  std::vector<int> counts;
  for (int t = 0; t < kMonths; ++t) {
    counts.push_back(std::max(0, static_cast<int>(std::lround(4.0 + 2.0 * noise.Normal()))));
  }
  for (int t = 0; t < kMonths; ++t) {
    AddMonth(b, t, counts[static_cast<std::size_t>(t)]);
    const double driver = t >= 3 ? counts[static_cast<std::size_t>(t - 3)] - 4.0 : 0.0;
    index.emplace_back(MonthLabel(t), 0.8 * driver + 0.5 * noise.Normal());
  }
  BarometerOptions options;
  options.scope = SeoulBeijing(Granularity::kMonth);
  auto r = AnalyzeBarometer(b.registry(), index, options);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->ccf.best.lag, -3);
  EXPECT_EQ(r->verdict, Verdict::kLeads);
}

TEST(BarometerTest, IndependentSeriesShowNoRelation) {
  RegistryBuilder b;
  IndexSeries index;
  Noise noise(3);
  for (int t = 0; t < kMonths; ++t) {
    AddMonth(b, t, static_cast<int>(std::lround(std::max(0.0, 4.0 + 2.0 * noise.Normal()))));
    index.emplace_back(MonthLabel(t), noise.Normal());
  }
  BarometerOptions options;
  options.scope = SeoulBeijing(Granularity::kMonth);
  auto r = AnalyzeBarometer(b.registry(), index, options);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->verdict, Verdict::kNoRelation) << r->verdict_text;
}

TEST(BarometerTest, MonthlyIndexIsAveragedIntoQuarters) {
  RegistryBuilder b;
  IndexSeries index;
  CityFollowsIndex(b, index);
  BarometerOptions options;
  options.scope = SeoulBeijing(Granularity::kQuarter);
  auto r = AnalyzeBarometer(b.registry(), index, options);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->periods.size(), 40u);
  EXPECT_EQ(r->periods.front(), "2005-Q1");
  double first_quarter = 0.0;
  for (int i = 0; i < 3; ++i) {
    first_quarter += index[static_cast<std::size_t>(i)].second / 3.0;
  }
  EXPECT_NEAR(r->national.front(), first_quarter, 1e-12);
}

TEST(BarometerTest, WeightsScaleTheCitySeries) {
  RegistryBuilder b;
  IndexSeries index;
  CityFollowsIndex(b, index);
  BarometerOptions options;
  options.scope = SeoulBeijing(Granularity::kMonth);
  options.type_weights = {{EventType::kForum, 2.0}};
  auto weighted = AnalyzeBarometer(b.registry(), index, options);
  options.type_weights.clear();
  auto plain = AnalyzeBarometer(b.registry(), index, options);
  ASSERT_TRUE(weighted && plain);
  EXPECT_DOUBLE_EQ(weighted->city[10], 2.0 * plain->city[10]);
  EXPECT_NEAR(weighted->ccf.best.correlation, plain->ccf.best.correlation, 1e-12);
}

TEST(BarometerTest, RejectsCoarserIndexShortOverlapAndBadOptions) {
  RegistryBuilder b;
  IndexSeries index;
  CityFollowsIndex(b, index);
  BarometerOptions options;
  options.scope = SeoulBeijing(Granularity::kMonth);
  auto coarse = AnalyzeBarometer(b.registry(), {{"2005", 1.0}, {"2006", 2.0}}, options);
  ASSERT_FALSE(coarse);
  EXPECT_NE(coarse.error().message.find("--period month"), std::string::npos);
  auto short_overlap = AnalyzeBarometer(
      b.registry(), {{"2014-10", 1.0}, {"2014-11", 2.0}, {"2014-12", 1.5}}, options);
  ASSERT_FALSE(short_overlap);
  EXPECT_NE(short_overlap.error().message.find("expected at least 8"), std::string::npos);
  options.alpha = 1.5;
  EXPECT_FALSE(AnalyzeBarometer(b.registry(), index, options));
  options.alpha = 0.05;
  options.type_weights = {{EventType::kForum, -1.0}};
  EXPECT_FALSE(AnalyzeBarometer(b.registry(), index, options));
}

}  // namespace
}  // namespace citydip::analytics
