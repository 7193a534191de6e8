#include "citydip/analytics/stats/granger.h"

#include <gtest/gtest.h>

#include "reference.h"

namespace citydip::analytics::stats {
namespace {

using testing::ExpectNear;
using testing::LoadReference;
using testing::ToVector;

void CheckDirection(const std::vector<double>& effect,
                    const std::vector<double>& cause,
                    const nlohmann::json& expected,
                    int max_lag,
                    const std::string& what) {
  for (const auto& t : expected.at("tests")) {
    auto test = GrangerFTest(effect, cause, t.at("lag").get<int>());
    ASSERT_TRUE(test) << test.error().message;
    ExpectNear(test->f_statistic, t.at("f").get<double>(), what + " F");
    ExpectNear(test->p_value, t.at("p").get<double>(), what + " p");
    EXPECT_EQ(test->df_denom, t.at("df_denom").get<double>());
    EXPECT_EQ(test->df_num, t.at("df_num").get<int>());
  }
  auto aic = GrangerAicByLag(effect, cause, max_lag);
  ASSERT_TRUE(aic);
  const auto expected_aic = ToVector(expected.at("aic_by_lag"));
  ASSERT_EQ(aic->size(), expected_aic.size());
  for (std::size_t i = 0; i < aic->size(); ++i) {
    ExpectNear((*aic)[i], expected_aic[i], what + " aic");
  }
}

TEST(GrangerTest, SsrFTestAndAicMatchStatsmodelsBothWays) {
  const auto ref = LoadReference("granger.json");
  const auto city = ToVector(ref.at("city"));
  const auto national = ToVector(ref.at("national"));
  const int max_lag = ref.at("maxlag").get<int>();
  CheckDirection(city, national, ref.at("national_to_city"), max_lag, "national->city");
  CheckDirection(national, city, ref.at("city_to_national"), max_lag, "city->national");
}

TEST(GrangerTest, DetectsTheKnownDirectionAndSelectsTheTrueLag) {
  const auto ref = LoadReference("granger.json");
  const auto city = ToVector(ref.at("city"));
  const auto national = ToVector(ref.at("national"));
  // Synthetic truth: the city reacts to the national index two periods later.
  auto forward = GrangerCausality(city, national, 4);
  auto backward = GrangerCausality(national, city, 4);
  ASSERT_TRUE(forward);
  ASSERT_TRUE(backward);
  EXPECT_EQ(forward->selected_lag, 2);
  EXPECT_LT(forward->test.p_value, 1e-6);
  EXPECT_GT(backward->test.p_value, 0.05);
}

TEST(GrangerTest, RejectsTooShortSeriesAndBadLag) {
  const std::vector<double> a = {1, 3, 2, 5, 4, 6, 5};
  auto short_series = GrangerFTest(a, a, 2);
  ASSERT_FALSE(short_series);
  EXPECT_NE(short_series.error().message.find("too few"), std::string::npos);
  EXPECT_FALSE(GrangerFTest(a, a, 0));
  EXPECT_FALSE(GrangerFTest(a, std::vector<double>{1, 2}, 1));
}

}  // namespace
}  // namespace citydip::analytics::stats
