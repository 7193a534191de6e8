// Cross-correlation at leads and lags (statsmodels' `ccf(x, y, adjusted=False)` convention) and
// rolling-window Pearson correlation (pandas' `x.rolling(w).corr(y)`).
#pragma once

#include <span>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::analytics::stats {

/// The correlation at one lag and whether it falls outside the white-noise band.
struct LagCorrelation {
  int lag = 0;
  double correlation = 0.0;
  bool significant = false;  // |r| > band
};

/// Correlations at every lag, the white-noise band and the strongest lag.
struct CrossCorrelationResult {
  std::vector<LagCorrelation> lags;  // lag −k .. k, in order
  double band = 0.0;                 // z_{1−alpha/2} / sqrt(n), 1.96/sqrt(n) at alpha 0.05
  int nobs = 0;
  /// The lag with the largest |r| (ties: the smaller |lag|, then the negative one).
  LagCorrelation best;
};

/// r(k) = c_xy(k) / (sd_x sd_y), c_xy(k) = (1/n) Σ_t (x_{t+k} − x̄)(y_t − ȳ), for k = −max_lag ..
/// max_lag, with population standard deviations. A positive lag k pairs x with y from k periods
/// earlier: x follows y. Fails when lengths differ, n < 3, max_lag < 0 or >= n, or a series is
/// constant.
[[nodiscard]] Result<CrossCorrelationResult> CrossCorrelation(std::span<const double> x,
                                                              std::span<const double> y,
                                                              int max_lag,
                                                              double alpha = 0.05);

/// Pearson correlation over each window of `window` consecutive observations, aligned with the
/// window's last observation; NaN for the first window − 1 entries and for windows where a
/// series is constant. Fails when lengths differ or window < 2.
[[nodiscard]] Result<std::vector<double>> RollingCorrelation(std::span<const double> x,
                                                             std::span<const double> y,
                                                             int window);

}  // namespace citydip::analytics::stats
