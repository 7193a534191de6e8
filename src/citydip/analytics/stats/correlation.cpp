#include "citydip/analytics/stats/correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "citydip/analytics/stats/distributions.h"
#include "citydip/analytics/stats/summary.h"

namespace citydip::analytics::stats {

Result<CrossCorrelationResult> CrossCorrelation(std::span<const double> x,
                                                std::span<const double> y,
                                                int max_lag,
                                                double alpha) {
  const int n = static_cast<int>(x.size());
  if (y.size() != x.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "cross-correlation: series of " + std::to_string(x.size()) + " and " +
                    std::to_string(y.size()) + " values (expected equal lengths)");
  }
  if (n < 3) {
    return Fail(ErrorCode::kInvalidArgument,
                "cross-correlation: " + std::to_string(n) + " observations (expected at least 3)");
  }
  if (max_lag < 0 || max_lag >= n) {
    return Fail(ErrorCode::kInvalidArgument,
                "cross-correlation: max lag " + std::to_string(max_lag) + " (expected 0 <= lag < " +
                    std::to_string(n) + ")");
  }
  if (!(alpha > 0.0 && alpha < 1.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "cross-correlation: alpha " + std::to_string(alpha) + " is not in (0, 1)");
  }
  const double mx = Mean(x);
  const double my = Mean(y);
  const double sx = StdDev(x, 0);
  const double sy = StdDev(y, 0);
  if (!(sx > 0.0) || !(sy > 0.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "cross-correlation: a series is constant (correlation undefined)");
  }
  CrossCorrelationResult out;
  out.nobs = n;
  out.band = NormalQuantile(1.0 - alpha / 2.0) / std::sqrt(static_cast<double>(n));
  for (int lag = -max_lag; lag <= max_lag; ++lag) {
    double sum = 0.0;
    for (int t = std::max(0, -lag); t + lag < n && t < n; ++t) {
      sum += (x[static_cast<std::size_t>(t + lag)] - mx) * (y[static_cast<std::size_t>(t)] - my);
    }
    LagCorrelation entry;
    entry.lag = lag;
    entry.correlation = sum / n / (sx * sy);
    entry.significant = std::fabs(entry.correlation) > out.band;
    out.lags.push_back(entry);
  }
  out.best = out.lags.front();
  for (const auto& entry : out.lags) {
    const double a = std::fabs(entry.correlation);
    const double b = std::fabs(out.best.correlation);
    if (a > b + 1e-12 ||
        (std::fabs(a - b) <= 1e-12 && std::abs(entry.lag) < std::abs(out.best.lag))) {
      out.best = entry;
    }
  }
  return out;
}

Result<std::vector<double>> RollingCorrelation(std::span<const double> x,
                                               std::span<const double> y,
                                               int window) {
  if (y.size() != x.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "rolling correlation: series of " + std::to_string(x.size()) + " and " +
                    std::to_string(y.size()) + " values (expected equal lengths)");
  }
  if (window < 2) {
    return Fail(ErrorCode::kInvalidArgument,
                "rolling correlation: window " + std::to_string(window) + " (expected >= 2)");
  }
  const auto w = static_cast<std::size_t>(window);
  std::vector<double> out(x.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t end = w; end <= x.size(); ++end) {
    out[end - 1] = PearsonCorrelation(x.subspan(end - w, w), y.subspan(end - w, w));
  }
  return out;
}

}  // namespace citydip::analytics::stats
