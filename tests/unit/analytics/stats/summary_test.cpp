#include "citydip/analytics/stats/summary.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace citydip::analytics::stats {
namespace {

TEST(SummaryTest, MeanStdDevCvMedian) {
  const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(Mean(v), 5.0);
  EXPECT_DOUBLE_EQ(StdDev(v, 0), 2.0);
  EXPECT_NEAR(StdDev(v, 1), std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_NEAR(CoefficientOfVariation(v), std::sqrt(32.0 / 7.0) / 5.0, 1e-12);
  EXPECT_DOUBLE_EQ(Median(v), 4.5);
  EXPECT_DOUBLE_EQ(Median(std::vector<double>{3, 1, 2}), 2.0);
}

TEST(SummaryTest, UndefinedCasesAreNaN) {
  const std::vector<double> empty;
  const std::vector<double> one = {3};
  EXPECT_TRUE(std::isnan(Mean(empty)));
  EXPECT_TRUE(std::isnan(StdDev(one, 1)));
  EXPECT_TRUE(std::isnan(CoefficientOfVariation(std::vector<double>{-1, 1})));
  EXPECT_TRUE(std::isnan(Median(empty)));
  EXPECT_TRUE(std::isnan(PearsonCorrelation(one, one)));
  EXPECT_TRUE(std::isnan(PearsonCorrelation(std::vector<double>{1, 1}, std::vector<double>{1, 2})));
}

TEST(SummaryTest, PearsonCorrelationOfLinearSeriesIsOne) {
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> y = {3, 5, 7, 9};
  const std::vector<double> z = {4, 3, 2, 1};
  EXPECT_NEAR(PearsonCorrelation(x, y), 1.0, 1e-12);
  EXPECT_NEAR(PearsonCorrelation(x, z), -1.0, 1e-12);
}

}  // namespace
}  // namespace citydip::analytics::stats
