#include "citydip/analytics/stats/granger.h"

#include <string>

#include <Eigen/Dense>

#include "citydip/analytics/stats/distributions.h"
#include "citydip/analytics/stats/ols.h"

namespace citydip::analytics::stats {
namespace {

// Rows t = first..n−1 of [1, effect_{t−1..t−lag}, cause_{t−1..t−lag}] (cause columns only when
// `joint`), and the matching effect_t.
void BuildDesign(std::span<const double> effect,
                 std::span<const double> cause,
                 int lag,
                 int first,
                 bool joint,
                 Eigen::MatrixXd& x,
                 Eigen::VectorXd& y) {
  const int n = static_cast<int>(effect.size());
  const int rows = n - first;
  x.resize(rows, 1 + lag * (joint ? 2 : 1));
  y.resize(rows);
  for (int r = 0; r < rows; ++r) {
    const int t = first + r;
    y(r) = effect[static_cast<std::size_t>(t)];
    x(r, 0) = 1.0;
    for (int l = 1; l <= lag; ++l) {
      x(r, l) = effect[static_cast<std::size_t>(t - l)];
      if (joint) {
        x(r, lag + l) = cause[static_cast<std::size_t>(t - l)];
      }
    }
  }
}

Status CheckInputs(std::span<const double> effect, std::span<const double> cause, int lag) {
  if (effect.size() != cause.size()) {
    return Fail(ErrorCode::kInvalidArgument, "granger: series of " + std::to_string(effect.size()) +
                                                 " and " + std::to_string(cause.size()) +
                                                 " values (expected equal lengths)");
  }
  if (lag < 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "granger: lag " + std::to_string(lag) + " (expected 1 or more)");
  }
  const int n = static_cast<int>(effect.size());
  if (n <= 3 * lag + 1) {
    return Fail(ErrorCode::kInvalidArgument, "granger: " + std::to_string(n) +
                                                 " observations are too few for lag " +
                                                 std::to_string(lag) + " (expected more than " +
                                                 std::to_string(3 * lag + 1) + ")");
  }
  return Ok();
}

}  // namespace

Result<GrangerTest> GrangerFTest(std::span<const double> effect,
                                 std::span<const double> cause,
                                 int lag) {
  if (auto ok = CheckInputs(effect, cause, lag); !ok) {
    return Fail(ok.error());
  }
  Eigen::MatrixXd x_own;
  Eigen::MatrixXd x_joint;
  Eigen::VectorXd y;
  BuildDesign(effect, cause, lag, lag, false, x_own, y);
  BuildDesign(effect, cause, lag, lag, true, x_joint, y);
  auto own = FitOls(x_own, y);
  auto joint = FitOls(x_joint, y);
  if (!own || !joint) {
    return Fail(ErrorCode::kInvalidArgument,
                "granger: " + (!own ? own.error().message : joint.error().message));
  }
  const double tss = (y.array() - y.mean()).matrix().squaredNorm();
  if (tss == 0.0 || joint->ssr / tss < 1e-15) {
    return Fail(ErrorCode::kInvalidArgument,
                "granger: the model with both series fits perfectly (test undefined)");
  }
  GrangerTest out;
  out.lag = lag;
  out.df_num = lag;
  out.df_denom = joint->df_resid;
  out.f_statistic = (own->ssr - joint->ssr) / joint->ssr / lag * joint->df_resid;
  out.p_value = FisherSurvival(out.f_statistic, out.df_num, out.df_denom);
  return out;
}

Result<std::vector<double>> GrangerAicByLag(std::span<const double> effect,
                                            std::span<const double> cause,
                                            int max_lag) {
  if (auto ok = CheckInputs(effect, cause, max_lag); !ok) {
    return Fail(ok.error());
  }
  std::vector<double> out;
  for (int lag = 1; lag <= max_lag; ++lag) {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
    BuildDesign(effect, cause, lag, max_lag, true, x, y);
    auto fit = FitOls(x, y);
    if (!fit) {
      return Fail(ErrorCode::kInvalidArgument, "granger: " + fit.error().message);
    }
    out.push_back(fit->aic);
  }
  return out;
}

Result<GrangerResult> GrangerCausality(std::span<const double> effect,
                                       std::span<const double> cause,
                                       int max_lag) {
  auto aic = GrangerAicByLag(effect, cause, max_lag);
  if (!aic) {
    return Fail(aic.error());
  }
  GrangerResult out;
  out.aic_by_lag = *std::move(aic);
  std::size_t best = 0;
  for (std::size_t i = 1; i < out.aic_by_lag.size(); ++i) {
    if (out.aic_by_lag[i] < out.aic_by_lag[best]) {
      best = i;
    }
  }
  out.selected_lag = static_cast<int>(best) + 1;
  auto test = GrangerFTest(effect, cause, out.selected_lag);
  if (!test) {
    return Fail(test.error());
  }
  out.test = *test;
  return out;
}

}  // namespace citydip::analytics::stats
