#include "citydip/analytics/stats/its.h"

#include <vector>

#include <gtest/gtest.h>

#include "reference.h"

namespace citydip::analytics::stats {
namespace {

using testing::ExpectNear;
using testing::LoadReference;
using testing::ToEigenMatrix;
using testing::ToEigenVector;
using testing::ToVector;

TEST(ItsTest, MatchesStatsmodelsSegmentedRegressionWithHac) {
  const auto ref = LoadReference("its.json");
  for (const auto& c : ref.at("cases")) {
    const std::vector<double> y = ToVector(c.at("y"));
    ItsOptions options;
    options.hac_lags = c.at("maxlags").get<int>();
    auto fit = FitInterruptedTimeSeries(y, c.at("break_index").get<int>(), options);
    ASSERT_TRUE(fit) << fit.error().message;
    ExpectNear(fit->fit.params, ToEigenVector(c.at("params")), "params");
    ExpectNear(fit->fit.std_errors, ToEigenVector(c.at("bse")), "bse");
    ExpectNear(fit->fit.p_values, ToEigenVector(c.at("pvalues")), "p");
    ExpectNear(fit->fit.conf_int, ToEigenMatrix(c.at("conf_int")), "ci");
    const auto ci = ToEigenMatrix(c.at("conf_int"));
    ExpectNear(fit->level_change.ci_low, ci(2, 0), "level ci low");
    ExpectNear(fit->slope_change.ci_high, ci(3, 1), "slope ci high");
  }
}

TEST(ItsTest, DefaultLagMatchesTheReferenceDefault) {
  const auto ref = LoadReference("its.json");
  const auto& c = ref.at("cases").at(0);
  auto fit = FitInterruptedTimeSeries(ToVector(c.at("y")), c.at("break_index").get<int>());
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->fit.hac_lags, c.at("maxlags").get<int>());
  ExpectNear(fit->level_change.value, ToEigenVector(c.at("params"))(2), "level");
}

TEST(ItsTest, RecoversKnownLevelShiftAndSlopeChange) {
  // Synthetic: level 5, trend 0.2, jump +4 at t = 20, then the trend falls by 0.3; tiny
  // deterministic wiggle so that the residuals are not exactly zero.
  std::vector<double> y;
  for (int t = 0; t < 40; ++t) {
    const double after = t >= 20 ? 1.0 : 0.0;
    y.push_back(5.0 + 0.2 * t + 4.0 * after - 0.3 * (t - 20) * after + 0.01 * ((t * 7) % 5 - 2));
  }
  auto fit = FitInterruptedTimeSeries(y, 20);
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->level_change.value, 4.0, 0.02);
  EXPECT_NEAR(fit->slope_change.value, -0.3, 0.002);
  EXPECT_NEAR(fit->pre_slope.value, 0.2, 0.002);
  EXPECT_LT(fit->level_change.ci_low, 4.0);
  EXPECT_GT(fit->level_change.ci_high, 4.0);
  EXPECT_LT(fit->level_change.p_value, 1e-6);
  EXPECT_EQ(fit->n_before, 20);
  EXPECT_EQ(fit->n_after, 20);
}

TEST(ItsTest, RejectsBreakTooCloseToTheEnds) {
  const std::vector<double> y(10, 1.0);
  EXPECT_FALSE(FitInterruptedTimeSeries(y, 1));
  EXPECT_FALSE(FitInterruptedTimeSeries(y, 9));
  auto short_series = FitInterruptedTimeSeries(std::vector<double>(5, 1.0), 2);
  ASSERT_FALSE(short_series);
  EXPECT_NE(short_series.error().message.find("at least 2 periods"), std::string::npos);
}

}  // namespace
}  // namespace citydip::analytics::stats
