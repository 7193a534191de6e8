#include "citydip/analytics/stats/correlation.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "reference.h"

namespace citydip::analytics::stats {
namespace {

using testing::ExpectNear;
using testing::LoadReference;
using testing::ToVector;

TEST(CrossCorrelationTest, MatchesStatsmodelsCcfAtEveryLag) {
  const auto ref = LoadReference("correlation.json");
  const auto x = ToVector(ref.at("x"));
  const auto y = ToVector(ref.at("y"));
  auto result = CrossCorrelation(x, y, ref.at("max_lag").get<int>());
  ASSERT_TRUE(result) << result.error().message;
  const auto expected = ToVector(ref.at("ccf"));
  ASSERT_EQ(result->lags.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(result->lags[i].lag, ref.at("lags").at(i).get<int>());
    ExpectNear(result->lags[i].correlation, expected[i], "lag " + std::to_string(i));
  }
  ExpectNear(result->band, ref.at("band").get<double>(), "band");
}

TEST(CrossCorrelationTest, FindsTheKnownLagOfAFollowingSeries) {
  const auto ref = LoadReference("correlation.json");
  auto result = CrossCorrelation(ToVector(ref.at("x")), ToVector(ref.at("y")), 8);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->best.lag, ref.at("true_lag").get<int>());
  EXPECT_TRUE(result->best.significant);
}

TEST(CrossCorrelationTest, PositiveLagMeansFirstSeriesFollowsSecond) {
  // x copies y two periods later; deterministic, non-periodic y.
  std::vector<double> y;
  for (int t = 0; t < 50; ++t) {
    y.push_back(std::sin(0.37 * t * t) + 0.05 * t);
  }
  std::vector<double> x(50, 0.0);
  for (int t = 2; t < 50; ++t) {
    x[static_cast<std::size_t>(t)] = y[static_cast<std::size_t>(t - 2)];
  }
  auto result = CrossCorrelation(x, y, 5);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->best.lag, 2);
  EXPECT_GT(result->best.correlation, 0.9);
}

TEST(CrossCorrelationTest, RejectsBadInput) {
  const std::vector<double> a = {1, 2, 3, 4, 5};
  const std::vector<double> flat = {1, 1, 1, 1, 1};
  EXPECT_FALSE(CrossCorrelation(a, std::vector<double>{1, 2, 3}, 1));
  EXPECT_FALSE(CrossCorrelation(a, a, 5));
  EXPECT_FALSE(CrossCorrelation(a, a, -1));
  auto constant = CrossCorrelation(a, flat, 1);
  ASSERT_FALSE(constant);
  EXPECT_NE(constant.error().message.find("constant"), std::string::npos);
}

TEST(RollingCorrelationTest, MatchesPandasRollingCorr) {
  const auto ref = LoadReference("correlation.json");
  auto result =
      RollingCorrelation(ToVector(ref.at("x")), ToVector(ref.at("y")), ref.at("window").get<int>());
  ASSERT_TRUE(result) << result.error().message;
  const auto expected = ToVector(ref.at("rolling"));
  ASSERT_EQ(result->size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan((*result)[i])) << i;
    } else {
      ExpectNear((*result)[i], expected[i], "window ending " + std::to_string(i));
    }
  }
}

TEST(RollingCorrelationTest, RejectsWindowBelowTwoAndMismatchedLengths) {
  const std::vector<double> a = {1, 2, 3};
  EXPECT_FALSE(RollingCorrelation(a, a, 1));
  EXPECT_FALSE(RollingCorrelation(a, std::vector<double>{1, 2}, 2));
}

}  // namespace
}  // namespace citydip::analytics::stats
