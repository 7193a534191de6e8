// Granger causality by the SSR-based F test (statsmodels'
// `grangercausalitytests(...)["ssr_ftest"]`) with the lag order chosen by AIC.
#pragma once

#include <span>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::analytics::stats {

/// One lag order's test of "cause does not Granger-cause effect".
struct GrangerTest {
  int lag = 0;
  double f_statistic = 0.0;
  double p_value = 1.0;
  int df_num = 0;
  int df_denom = 0;
};

/// The test at `lag`: regress effect_t on a constant and effect_{t−1..t−lag} (restricted), then
/// also on cause_{t−1..t−lag} (unrestricted), each on its own sample t = lag..n−1;
/// F = ((SSR_r − SSR_u) / lag) / (SSR_u / (n − lag − 2 lag − 1)). Fails when n <= 3 lag + 1
/// (statsmodels' limit), lag < 1, lengths differ or the unrestricted model fits perfectly.
[[nodiscard]] Result<GrangerTest> GrangerFTest(std::span<const double> effect,
                                               std::span<const double> cause,
                                               int lag);

/// The AIC of each unrestricted model with 1..max_lag lags, all fitted on the common sample
/// t = max_lag..n−1 so that they are comparable; entry i is lag i + 1.
[[nodiscard]] Result<std::vector<double>> GrangerAicByLag(std::span<const double> effect,
                                                          std::span<const double> cause,
                                                          int max_lag);

/// The AIC-selected lag order and the F test at that order.
struct GrangerResult {
  int selected_lag = 0;  // argmin of `aic_by_lag` (+1)
  std::vector<double> aic_by_lag;
  GrangerTest test;  // at the selected lag
};

/// Selects the lag order by AIC (1..max_lag) and runs the F test at that order.
[[nodiscard]] Result<GrangerResult> GrangerCausality(std::span<const double> effect,
                                                     std::span<const double> cause,
                                                     int max_lag);

}  // namespace citydip::analytics::stats
