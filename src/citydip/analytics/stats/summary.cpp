#include "citydip/analytics/stats/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace citydip::analytics::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double Mean(std::span<const double> values) {
  if (values.empty()) {
    return kNaN;
  }
  double sum = 0.0;
  for (double v : values) {
    sum += v;
  }
  return sum / static_cast<double>(values.size());
}

double StdDev(std::span<const double> values, int ddof) {
  if (ddof < 0 || values.size() < static_cast<std::size_t>(ddof) + 1) {
    return kNaN;
  }
  const double mean = Mean(values);
  double ss = 0.0;
  for (double v : values) {
    ss += (v - mean) * (v - mean);
  }
  return std::sqrt(ss / static_cast<double>(values.size() - static_cast<std::size_t>(ddof)));
}

double CoefficientOfVariation(std::span<const double> values) {
  const double mean = Mean(values);
  if (values.size() < 2 || mean == 0.0) {
    return kNaN;
  }
  return StdDev(values, 1) / mean;
}

double Median(std::span<const double> values) {
  if (values.empty()) {
    return kNaN;
  }
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  return sorted.size() % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

double PearsonCorrelation(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) {
    return kNaN;
  }
  const double mx = Mean(x);
  const double my = Mean(y);
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0.0 || syy <= 0.0) {
    return kNaN;
  }
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace citydip::analytics::stats
