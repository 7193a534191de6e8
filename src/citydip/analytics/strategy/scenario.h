// Scenarios of a downturn in national relations: a count model of the city's monthly activity
// with a partner on the lagged national index (Poisson or negative-binomial GLM, stats/glm.h),
// simulated with prediction intervals and back-tested on past episodes; and the warning check of
// `citydip watch`. Method and limits: docs/strategy.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/stats/glm.h"
#include "citydip/core/result.h"

namespace citydip::analytics::strategy {

/// Which count distribution the model uses.
enum class CountFamily : std::uint8_t {
  kAuto,  // negative binomial when a likelihood-ratio test finds overdispersion, else Poisson
  kPoisson,
  kNegativeBinomial,
};

/// A past episode to back-test on: the model is fitted on the months before `start_ordinal`
/// (Period ordinal, 12·year + month − 1) and forecasts the horizon from there.
struct BacktestEpisode {
  std::string name;
  int start_ordinal = 0;
};

struct ScenarioOptions {
  /// Months forecast after the origin.
  int horizon_months = 12;
  /// The shock to the national index, in standard deviations of the index (−2: two below).
  double shock_sd = -2.0;
  /// Lags (months) of the index in the model. Empty: `suggested_lag` when given, else the lag
  /// 0..max_lag with the lowest Poisson AIC on a common sample.
  std::vector<int> lags;
  /// The lag the barometer found (the city's activity follows the index by this many months).
  std::optional<int> suggested_lag;
  int max_lag = 12;
  CountFamily family = CountFamily::kAuto;
  /// Monte Carlo draws for the prediction intervals; the seed makes runs repeatable.
  int simulations = 4000;
  std::uint64_t seed = 20240601;
  /// Central probability of the prediction intervals.
  double interval_level = 0.9;
  /// Months of index history averaged into the level held over the horizon.
  int baseline_months = 12;
  std::vector<BacktestEpisode> episodes;
};

/// The fitted count model.
struct ScenarioModel {
  stats::GlmFamily family = stats::GlmFamily::kPoisson;
  double nb_alpha = 0.0;  // 0 for Poisson
  std::vector<int> lags;
  /// How the lags were chosen: "given", "barometer" or "aic".
  std::string lag_basis;
  /// Intercept, then one coefficient per lag on the standardized index (per standard deviation).
  std::vector<double> params;
  std::vector<double> std_errors;
  /// The index's mean and standard deviation (sample, ddof 1) over the estimation months, used to
  /// standardize it.
  double index_mean = 0.0;
  double index_sd = 0.0;
  int first_ordinal = 0;  // estimation months, inclusive
  int last_ordinal = 0;
  int nobs = 0;
  double log_likelihood = 0.0;
  double aic = 0.0;
  /// Pearson χ² / residual degrees of freedom of the Poisson fit (about 1 without overdispersion).
  double poisson_dispersion = 0.0;
  /// 2 (llf_NB − llf_Poisson), when the negative binomial could be fitted.
  std::optional<double> overdispersion_lr;
};

/// One simulated path of the horizon.
struct Forecast {
  /// Σ of the expected monthly counts at the estimated coefficients.
  double expected_total = 0.0;
  /// Central `interval_level` prediction interval of the total (parameter and count uncertainty).
  double interval_low = 0.0;
  double interval_high = 0.0;
  std::vector<double> monthly_expected;
  /// The index assumed (raw units) at each lag-shifted month the forecast used, per horizon month
  /// for the first lag.
  std::vector<double> index_path;
};

struct BacktestResult {
  std::string episode;
  int start_ordinal = 0;
  int months = 0;
  double predicted = 0.0;  // expected total over the episode's horizon, given the observed index
  double actual = 0.0;
  double error = 0.0;  // predicted − actual
  double interval_low = 0.0;
  double interval_high = 0.0;
  bool covered = false;  // actual within the interval
  /// Why the episode could not be back-tested (too little data before it or after it); the
  /// other fields are then zero.
  std::string unavailable;
};

struct ScenarioResult {
  ScenarioModel model;
  /// The last month of the estimation sample; the horizon is the months after it.
  int origin_ordinal = 0;
  int horizon_months = 0;
  /// The last month of the index; from the month after it the index is assumed.
  int index_last_ordinal = 0;
  /// The level the index is held at (mean of its last baseline_months months), and the shocked
  /// level (raw units).
  double index_baseline = 0.0;
  double index_shocked = 0.0;
  double shock_sd = 0.0;
  Forecast baseline;
  Forecast scenario;
  /// scenario − baseline expected totals, with the interval of the simulated difference.
  double change = 0.0;
  double change_low = 0.0;
  double change_high = 0.0;
  double interval_level = 0.0;
  std::vector<BacktestResult> backtest;
};

/// Fits the model of `activity` (monthly counts, Period ordinals) on the lagged standardized
/// `index` (monthly) and simulates the baseline (index held at its recent level) and the scenario
/// (that level shifted by shock_sd standard deviations from the month after the index's last
/// observation). kInvalidArgument when a series is not monthly, options are out of range
/// (horizon 1..60, lags 0..36, simulations 100..100000, level in (0, 1)); kFailedPrecondition
/// when the two series overlap on fewer than 24 usable months or all counts are zero.
[[nodiscard]] Result<ScenarioResult> RunScenario(const ActivitySeries& activity,
                                                 const AlignedIndex& index,
                                                 const ScenarioOptions& options);

/// The warning check of `citydip watch`.
struct WatchResult {
  std::string latest_period;
  double latest_value = 0.0;
  /// Mean and standard deviation (ddof 1) of the history before the latest period.
  double mean = 0.0;
  double sd = 0.0;
  double latest_z = 0.0;
  std::string previous_period;
  double previous_z = 0.0;
  /// The threshold in standard deviations and in index units.
  double threshold_sd = 0.0;
  double threshold_value = 0.0;
  /// The latest value is beyond the threshold (below a negative one, above a positive one).
  bool warning = false;
  /// ... and the previous one was not: the index has just crossed it.
  bool crossed = false;
};

/// Compares the latest index value with the threshold. kInvalidArgument for a zero threshold;
/// kFailedPrecondition with fewer than 4 values of history or a constant history.
[[nodiscard]] Result<WatchResult> WatchIndex(const AlignedIndex& index, double threshold_sd);

/// Parses a shock or threshold written in standard deviations: "-2sd", "-1.5", "+2 sd".
[[nodiscard]] Result<double> ParseSd(std::string_view text);

}  // namespace citydip::analytics::strategy
