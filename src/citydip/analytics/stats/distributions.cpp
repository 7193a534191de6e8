#include "citydip/analytics/stats/distributions.h"

#include <cmath>
#include <limits>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace citydip::analytics::stats {
namespace {

namespace bmp = boost::math::policies;

// Errors become NaN (or the limit) instead of exceptions: callers validate their arguments and
// report failures as values.
using NoThrowPolicy = bmp::policy<bmp::domain_error<bmp::ignore_error>,
                                  bmp::pole_error<bmp::ignore_error>,
                                  bmp::overflow_error<bmp::ignore_error>,
                                  bmp::underflow_error<bmp::ignore_error>,
                                  bmp::evaluation_error<bmp::ignore_error>,
                                  bmp::rounding_error<bmp::ignore_error>>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsProbability(double p) {
  return std::isfinite(p) && p > 0.0 && p < 1.0;
}

}  // namespace

double StudentTwoSidedP(double t, double df) {
  if (!(df > 0.0) || std::isnan(t)) {
    return kNaN;
  }
  if (std::isinf(t)) {
    return 0.0;
  }
  const boost::math::students_t_distribution<double, NoThrowPolicy> dist(df);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

double StudentQuantile(double p, double df) {
  if (!(df > 0.0) || !IsProbability(p)) {
    return kNaN;
  }
  const boost::math::students_t_distribution<double, NoThrowPolicy> dist(df);
  return boost::math::quantile(dist, p);
}

double NormalTwoSidedP(double z) {
  if (std::isnan(z)) {
    return kNaN;
  }
  if (std::isinf(z)) {
    return 0.0;
  }
  const boost::math::normal_distribution<double, NoThrowPolicy> dist;
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(z)));
}

double NormalQuantile(double p) {
  if (!IsProbability(p)) {
    return kNaN;
  }
  const boost::math::normal_distribution<double, NoThrowPolicy> dist;
  return boost::math::quantile(dist, p);
}

double FisherSurvival(double f, double df1, double df2) {
  if (!(df1 > 0.0) || !(df2 > 0.0) || std::isnan(f)) {
    return kNaN;
  }
  if (f <= 0.0) {
    return 1.0;
  }
  if (std::isinf(f)) {
    return 0.0;
  }
  const boost::math::fisher_f_distribution<double, NoThrowPolicy> dist(df1, df2);
  return boost::math::cdf(boost::math::complement(dist, f));
}

double ChiSquaredSurvival(double x, double df) {
  if (!(df > 0.0) || std::isnan(x)) {
    return kNaN;
  }
  if (x <= 0.0) {
    return 1.0;
  }
  if (std::isinf(x)) {
    return 0.0;
  }
  const boost::math::chi_squared_distribution<double, NoThrowPolicy> dist(df);
  return boost::math::cdf(boost::math::complement(dist, x));
}

}  // namespace citydip::analytics::stats
