// Interrupted time series by segmented regression: y_t = b0 + b1 t + b2 D_t + b3 (t − T0) D_t +
// e_t, D_t = [t >= T0], with Newey–West (HAC) standard errors.
#pragma once

#include <optional>
#include <span>

#include "citydip/analytics/stats/ols.h"
#include "citydip/core/result.h"

namespace citydip::analytics::stats {

/// A coefficient with its standard error, confidence interval and two-sided p-value.
struct Estimate {
  double value = 0.0;
  double std_error = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  double p_value = 1.0;
};

/// Inference settings of the segmented regression.
struct ItsOptions {
  /// HAC truncation lag; nullopt: floor(4 (n/100)^(2/9)).
  std::optional<int> hac_lags;
  /// n / (n − k) correction of the HAC covariance (statsmodels' use_correction).
  bool hac_small_sample = false;
  /// Student t (true) or normal (false) inference; normal matches statsmodels' HAC default.
  bool use_t = false;
  double alpha = 0.05;
};

/// The four coefficients of the segmented regression and the fit.
struct ItsResult {
  Estimate intercept;     // b0: level at t = 0
  Estimate pre_slope;     // b1: trend before the break
  Estimate level_change;  // b2: jump at the break
  Estimate slope_change;  // b3: change of trend after the break
  int break_index = 0;    // T0
  int n_before = 0;
  int n_after = 0;
  OlsResult fit;
};

/// Fits the segmented regression to `y` (t = 0, 1, ...) with the break at index `break_index`
/// (the first period after the interruption). Needs at least 2 observations on each side and 6 in
/// all; fails with kInvalidArgument otherwise.
[[nodiscard]] Result<ItsResult> FitInterruptedTimeSeries(std::span<const double> y,
                                                         int break_index,
                                                         const ItsOptions& options = {});

}  // namespace citydip::analytics::stats
