#include "citydip/analytics/strategy/scenario.h"

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace citydip::analytics::strategy {
namespace {

using ::testing::HasSubstr;

constexpr double kTolerance = 1e-6;

nlohmann::json Reference() {
  const std::string path =
      std::string(CITYDIP_SOURCE_DIR) + "/tests/reference/strategy/scenario.json";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return nlohmann::json::parse(in);
}

std::vector<double> Vector(const nlohmann::json& j) {
  return j.get<std::vector<double>>();
}

ActivitySeries Activity(const nlohmann::json& ref, const std::string& key) {
  ActivitySeries series;
  series.granularity = Granularity::kMonth;
  series.first_ordinal = ref.at("first_ordinal").get<int>();
  series.values = Vector(ref.at(key));
  return series;
}

AlignedIndex Index(const nlohmann::json& ref) {
  AlignedIndex index;
  index.granularity = Granularity::kMonth;
  index.first_ordinal = ref.at("first_ordinal").get<int>();
  index.values = Vector(ref.at("index"));
  return index;
}

void ExpectNear(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, kTolerance * std::max(1.0, std::fabs(expected))) << what;
}

void ExpectNear(const std::vector<double>& actual,
                const nlohmann::json& expected,
                const std::string& what) {
  const std::vector<double> values = Vector(expected);
  ASSERT_EQ(actual.size(), values.size()) << what;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ExpectNear(actual[i], values[i], what + "[" + std::to_string(i) + "]");
  }
}

// Checks a scenario result against one block of scenario.json.
void CheckAgainst(const ScenarioResult& result, const nlohmann::json& expected) {
  EXPECT_EQ(result.model.first_ordinal, expected.at("first").get<int>());
  EXPECT_EQ(result.model.last_ordinal, expected.at("last").get<int>());
  EXPECT_EQ(result.origin_ordinal, expected.at("last").get<int>());
  ExpectNear(result.model.index_mean, expected.at("index_mean").get<double>(), "index mean");
  ExpectNear(result.model.index_sd, expected.at("index_sd").get<double>(), "index sd");
  ExpectNear(result.model.params, expected.at("params"), "params");
  ExpectNear(result.model.std_errors, expected.at("bse"), "std errors");
  ExpectNear(result.model.log_likelihood, expected.at("llf").get<double>(), "llf");
  ExpectNear(result.model.aic, expected.at("aic").get<double>(), "aic");
  ExpectNear(result.model.nb_alpha, expected.at("alpha").get<double>(), "alpha");
  ExpectNear(result.index_baseline, expected.at("index_baseline").get<double>(), "baseline level");
  ExpectNear(result.index_shocked, expected.at("index_shocked").get<double>(), "shocked level");
  ExpectNear(result.baseline.expected_total, expected.at("baseline_total").get<double>(),
             "baseline total");
  ExpectNear(result.scenario.expected_total, expected.at("scenario_total").get<double>(),
             "scenario total");
  ExpectNear(result.baseline.monthly_expected, expected.at("baseline_monthly"), "monthly");
}

ScenarioOptions Options(std::vector<int> lags, CountFamily family) {
  ScenarioOptions options;
  options.lags = std::move(lags);
  options.family = family;
  options.horizon_months = 12;
  options.shock_sd = -2.0;
  options.simulations = 2000;
  return options;
}

TEST(ScenarioTest, PoissonModelMatchesStatsmodels) {
  const auto ref = Reference();
  auto result =
      RunScenario(Activity(ref, "counts"), Index(ref), Options({3}, CountFamily::kPoisson));
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->model.family, stats::GlmFamily::kPoisson);
  EXPECT_EQ(result->model.lag_basis, "given");
  CheckAgainst(*result, ref.at("poisson_lag3"));
  // The index follows its synthetic truth: activity rises with the index, so a drop lowers it.
  EXPECT_GT(result->model.params[1], 0.0);
  EXPECT_LT(result->change, 0.0);
  EXPECT_NEAR(result->change, result->scenario.expected_total - result->baseline.expected_total,
              1e-12);
}

TEST(ScenarioTest, SeveralLagsMatchStatsmodels) {
  const auto ref = Reference();
  auto result =
      RunScenario(Activity(ref, "counts"), Index(ref), Options({6, 0}, CountFamily::kPoisson));
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->model.lags, (std::vector<int>{0, 6}));
  CheckAgainst(*result, ref.at("poisson_lags_0_6"));
}

TEST(ScenarioTest, NegativeBinomialModelMatchesStatsmodels) {
  const auto ref = Reference();
  auto result = RunScenario(Activity(ref, "counts_nb"), Index(ref),
                            Options({3}, CountFamily::kNegativeBinomial));
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->model.family, stats::GlmFamily::kNegativeBinomial);
  CheckAgainst(*result, ref.at("nb_lag3"));
}

TEST(ScenarioTest, AutoFamilyPicksNegativeBinomialForOverdispersedCounts) {
  const auto ref = Reference();
  auto poisson = RunScenario(Activity(ref, "counts"), Index(ref), Options({3}, CountFamily::kAuto));
  auto nb = RunScenario(Activity(ref, "counts_nb"), Index(ref), Options({3}, CountFamily::kAuto));
  ASSERT_TRUE(poisson && nb);
  EXPECT_EQ(nb->model.family, stats::GlmFamily::kNegativeBinomial);
  ASSERT_TRUE(nb->model.overdispersion_lr);
  EXPECT_GT(*nb->model.overdispersion_lr, 2.705543);
  EXPECT_EQ(poisson->model.family, stats::GlmFamily::kPoisson);
  EXPECT_GT(nb->model.poisson_dispersion, poisson->model.poisson_dispersion);
}

TEST(ScenarioTest, ChoosesTheLagByAicOrFromTheBarometer) {
  const auto ref = Reference();
  ScenarioOptions options = Options({}, CountFamily::kPoisson);
  options.max_lag = ref.at("aic").at("max_lag").get<int>();
  auto by_aic = RunScenario(Activity(ref, "counts"), Index(ref), options);
  ASSERT_TRUE(by_aic) << by_aic.error().ToString();
  EXPECT_EQ(by_aic->model.lag_basis, "aic");
  EXPECT_EQ(by_aic->model.lags, std::vector<int>{ref.at("aic").at("best").get<int>()});

  options.suggested_lag = 5;
  auto by_barometer = RunScenario(Activity(ref, "counts"), Index(ref), options);
  ASSERT_TRUE(by_barometer);
  EXPECT_EQ(by_barometer->model.lag_basis, "barometer");
  EXPECT_EQ(by_barometer->model.lags, std::vector<int>{5});
}

TEST(ScenarioTest, IntervalsContainTheExpectationsAndAreRepeatable) {
  const auto ref = Reference();
  const ScenarioOptions options = Options({3}, CountFamily::kPoisson);
  auto first = RunScenario(Activity(ref, "counts"), Index(ref), options);
  auto second = RunScenario(Activity(ref, "counts"), Index(ref), options);
  ASSERT_TRUE(first && second);
  for (const Forecast* forecast : {&first->baseline, &first->scenario}) {
    EXPECT_LE(forecast->interval_low, forecast->expected_total);
    EXPECT_GE(forecast->interval_high, forecast->expected_total);
    EXPECT_LT(forecast->interval_low, forecast->interval_high);
  }
  EXPECT_LE(first->change_low, first->change);
  EXPECT_GE(first->change_high, first->change);
  EXPECT_EQ(first->baseline.interval_low, second->baseline.interval_low);
  EXPECT_EQ(first->scenario.interval_high, second->scenario.interval_high);
  // The first 3 horizon months use the observed index (lag 3); the shock shows from month 4.
  EXPECT_EQ(first->baseline.index_path[0], first->scenario.index_path[0]);
  EXPECT_EQ(first->baseline.monthly_expected[2], first->scenario.monthly_expected[2]);
  EXPECT_GT(first->baseline.monthly_expected[3], first->scenario.monthly_expected[3]);
}

TEST(ScenarioTest, BacktestsOnEpisodesWithTheIndexObservedThen) {
  const auto ref = Reference();
  ScenarioOptions options = Options({3}, CountFamily::kPoisson);
  const int start = ref.at("backtest_lag3").at("start").get<int>();
  options.episodes = {{"THAAD-like", start}, {"too late", 2019 * 12 + 6}};
  auto result = RunScenario(Activity(ref, "counts"), Index(ref), options);
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->backtest.size(), 2u);
  const BacktestResult& test = result->backtest[0];
  EXPECT_TRUE(test.unavailable.empty()) << test.unavailable;
  ExpectNear(test.predicted, ref.at("backtest_lag3").at("predicted").get<double>(), "predicted");
  EXPECT_DOUBLE_EQ(test.actual, ref.at("backtest_lag3").at("actual").get<double>());
  EXPECT_DOUBLE_EQ(test.error, test.predicted - test.actual);
  EXPECT_LE(test.interval_low, test.predicted);
  EXPECT_GE(test.interval_high, test.predicted);
  EXPECT_EQ(test.covered, test.actual >= test.interval_low && test.actual <= test.interval_high);
  // An episode whose 12 months run past the data cannot be back-tested.
  EXPECT_THAT(result->backtest[1].unavailable,
              HasSubstr("do not cover the 12 months from 2019-07"));
}

TEST(ScenarioTest, RejectsBadInputs) {
  const auto ref = Reference();
  const auto activity = Activity(ref, "counts");
  const auto index = Index(ref);
  ScenarioOptions bad_horizon = Options({3}, CountFamily::kPoisson);
  bad_horizon.horizon_months = 0;
  EXPECT_EQ(RunScenario(activity, index, bad_horizon).error().code, ErrorCode::kInvalidArgument);
  ScenarioOptions bad_lag = Options({40}, CountFamily::kPoisson);
  EXPECT_EQ(RunScenario(activity, index, bad_lag).error().code, ErrorCode::kInvalidArgument);
  ActivitySeries yearly = activity;
  yearly.granularity = Granularity::kYear;
  EXPECT_EQ(RunScenario(yearly, index, Options({3}, CountFamily::kPoisson)).error().code,
            ErrorCode::kInvalidArgument);
  // Too short an overlap.
  ActivitySeries short_activity = activity;
  short_activity.values.resize(20);
  auto too_short = RunScenario(short_activity, index, Options({3}, CountFamily::kPoisson));
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(too_short.error().message, HasSubstr("at least 24 are needed"));
  // Nothing to model.
  ActivitySeries zeros = activity;
  std::fill(zeros.values.begin(), zeros.values.end(), 0.0);
  auto none = RunScenario(zeros, index, Options({3}, CountFamily::kPoisson));
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message, HasSubstr("no activity"));
}

TEST(WatchTest, WarnsWhenTheLatestValueCrossesTheThreshold) {
  AlignedIndex index;
  index.granularity = Granularity::kMonth;
  index.first_ordinal = 2023 * 12;
  index.values = {10, 12, 11, 13, 12, 11, 5};
  auto result = WatchIndex(index, -1.5);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->latest_period, "2023-07");
  EXPECT_EQ(result->previous_period, "2023-06");
  EXPECT_DOUBLE_EQ(result->mean, 11.5);
  EXPECT_NEAR(result->sd, std::sqrt(5.5 / 5.0), 1e-12);
  EXPECT_NEAR(result->latest_z, (5 - 11.5) / std::sqrt(1.1), 1e-12);
  EXPECT_TRUE(result->warning);
  EXPECT_TRUE(result->crossed);
  EXPECT_NEAR(result->threshold_value, 11.5 - 1.5 * std::sqrt(1.1), 1e-12);

  // A positive threshold warns above it (an index where higher is worse).
  auto above = WatchIndex(index, 1.5);
  ASSERT_TRUE(above);
  EXPECT_FALSE(above->warning);

  index.values.back() = 11.0;
  auto calm = WatchIndex(index, -1.5);
  ASSERT_TRUE(calm);
  EXPECT_FALSE(calm->warning);
  EXPECT_FALSE(calm->crossed);
}

TEST(WatchTest, RejectsTooShortOrConstantHistoryAndZeroThreshold) {
  AlignedIndex index;
  index.granularity = Granularity::kMonth;
  index.values = {1, 2, 3};
  EXPECT_EQ(WatchIndex(index, -1.5).error().code, ErrorCode::kFailedPrecondition);
  index.values = {2, 2, 2, 2, 1};
  EXPECT_EQ(WatchIndex(index, -1.5).error().code, ErrorCode::kFailedPrecondition);
  index.values = {1, 2, 3, 4, 5};
  EXPECT_EQ(WatchIndex(index, 0.0).error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseSdTest, AcceptsStandardDeviationForms) {
  EXPECT_DOUBLE_EQ(*ParseSd("-2sd"), -2.0);
  EXPECT_DOUBLE_EQ(*ParseSd("-1.5"), -1.5);
  EXPECT_DOUBLE_EQ(*ParseSd("+2 SD"), 2.0);
  EXPECT_DOUBLE_EQ(*ParseSd(" 0.5sd "), 0.5);
  EXPECT_FALSE(ParseSd("two"));
  EXPECT_FALSE(ParseSd("sd"));
  EXPECT_FALSE(ParseSd("-2sdx"));
  EXPECT_THAT(ParseSd("x").error().message, HasSubstr("expected e.g. -2sd"));
}

}  // namespace
}  // namespace citydip::analytics::strategy
