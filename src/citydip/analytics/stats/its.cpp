#include "citydip/analytics/stats/its.h"

#include <string>

namespace citydip::analytics::stats {
namespace {

Estimate EstimateAt(const OlsResult& fit, Eigen::Index j) {
  return {fit.params(j), fit.std_errors(j), fit.conf_int(j, 0), fit.conf_int(j, 1),
          fit.p_values(j)};
}

}  // namespace

Result<ItsResult> FitInterruptedTimeSeries(std::span<const double> y,
                                           int break_index,
                                           const ItsOptions& options) {
  const int n = static_cast<int>(y.size());
  if (break_index < 2 || n - break_index < 2 || n < 6) {
    return Fail(ErrorCode::kInvalidArgument,
                "interrupted time series: break at index " + std::to_string(break_index) + " of " +
                    std::to_string(n) +
                    " periods (expected at least 2 periods before and after the break and 6 in "
                    "all)");
  }
  Eigen::MatrixXd x(n, 4);
  Eigen::VectorXd yy(n);
  for (int t = 0; t < n; ++t) {
    const bool after = t >= break_index;
    x(t, 0) = 1.0;
    x(t, 1) = t;
    x(t, 2) = after ? 1.0 : 0.0;
    x(t, 3) = after ? static_cast<double>(t - break_index) : 0.0;
    yy(t) = y[static_cast<std::size_t>(t)];
  }
  OlsOptions ols;
  ols.covariance = CovarianceKind::kHac;
  ols.hac_lags = options.hac_lags;
  ols.hac_small_sample = options.hac_small_sample;
  ols.use_t = options.use_t;
  ols.alpha = options.alpha;
  auto fit = FitOls(x, yy, ols);
  if (!fit) {
    return Fail(fit.error().code, "interrupted time series: " + fit.error().message);
  }
  ItsResult out;
  out.intercept = EstimateAt(*fit, 0);
  out.pre_slope = EstimateAt(*fit, 1);
  out.level_change = EstimateAt(*fit, 2);
  out.slope_change = EstimateAt(*fit, 3);
  out.break_index = break_index;
  out.n_before = break_index;
  out.n_after = n - break_index;
  out.fit = *std::move(fit);
  return out;
}

}  // namespace citydip::analytics::stats
