#include "citydip/analytics/stats/distributions.h"

#include <cmath>

#include <gtest/gtest.h>

namespace citydip::analytics::stats {
namespace {

// Textbook values (e.g. scipy.stats: t.sf(2.0, 10) * 2, f.sf(3.0, 2, 20), chi2.sf(3.84, 1)).
TEST(DistributionsTest, MatchKnownValues) {
  EXPECT_NEAR(StudentTwoSidedP(2.0, 10.0), 0.07338803477074039, 1e-12);
  EXPECT_NEAR(StudentQuantile(0.975, 10.0), 2.2281388519649385, 1e-10);
  EXPECT_NEAR(NormalTwoSidedP(1.959963984540054), 0.05, 1e-12);
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(FisherSurvival(3.0, 2.0, 20.0), 0.07253815028640576, 1e-10);
  EXPECT_NEAR(ChiSquaredSurvival(3.841458820694124, 1.0), 0.05, 1e-12);
}

TEST(DistributionsTest, BadArgumentsGiveNaNNotExceptions) {
  EXPECT_TRUE(std::isnan(StudentTwoSidedP(1.0, 0.0)));
  EXPECT_TRUE(std::isnan(StudentQuantile(1.5, 3.0)));
  EXPECT_TRUE(std::isnan(NormalQuantile(0.0)));
  EXPECT_TRUE(std::isnan(FisherSurvival(1.0, -1.0, 3.0)));
  EXPECT_TRUE(std::isnan(ChiSquaredSurvival(std::nan(""), 2.0)));
  EXPECT_EQ(FisherSurvival(-2.0, 1.0, 3.0), 1.0);
  EXPECT_EQ(NormalTwoSidedP(INFINITY), 0.0);
}

}  // namespace
}  // namespace citydip::analytics::stats
