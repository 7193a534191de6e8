#include "citydip/analytics/stats/ols.h"

#include <cmath>
#include <numbers>
#include <string>

#include "citydip/analytics/stats/distributions.h"

namespace citydip::analytics::stats {
namespace {

bool HasConstantColumn(const Eigen::MatrixXd& x) {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double first = x(0, j);
    if (first != 0.0 && (x.col(j).array() == first).all()) {
      return true;
    }
  }
  return false;
}

}  // namespace

int NeweyWestLags(int nobs) {
  return static_cast<int>(std::floor(4.0 * std::pow(nobs / 100.0, 2.0 / 9.0)));
}

Eigen::MatrixXd HacMeat(const Eigen::MatrixXd& scores, int lags) {
  const Eigen::Index n = scores.rows();
  Eigen::MatrixXd meat = scores.transpose() * scores;
  for (int lag = 1; lag <= lags && lag < n; ++lag) {
    const double weight = 1.0 - lag / (lags + 1.0);
    const Eigen::MatrixXd gamma = scores.bottomRows(n - lag).transpose() * scores.topRows(n - lag);
    meat += weight * (gamma + gamma.transpose());
  }
  return meat;
}

Result<OlsResult> FitOls(const Eigen::MatrixXd& x,
                         const Eigen::VectorXd& y,
                         const OlsOptions& options) {
  const Eigen::Index n = x.rows();
  const Eigen::Index k = x.cols();
  if (y.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "ols: y has " + std::to_string(y.size()) +
                                                 " values but X has " + std::to_string(n) +
                                                 " rows (expected equal lengths)");
  }
  if (k == 0 || n <= k) {
    return Fail(ErrorCode::kInvalidArgument,
                "ols: " + std::to_string(n) + " observations for " + std::to_string(k) +
                    " coefficients (expected more observations than coefficients)");
  }
  if (!x.allFinite() || !y.allFinite()) {
    return Fail(ErrorCode::kInvalidArgument, "ols: X or y holds a non-finite value");
  }
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "ols: alpha " + std::to_string(options.alpha) + " is not in (0, 1)");
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < k) {
    return Fail(ErrorCode::kInvalidArgument, "ols: X is rank deficient (rank " +
                                                 std::to_string(qr.rank()) + " of " +
                                                 std::to_string(k) + " columns)");
  }
  OlsResult out;
  out.nobs = static_cast<int>(n);
  out.df_resid = static_cast<int>(n - k);
  out.params = qr.solve(y);
  out.fitted = x * out.params;
  out.residuals = y - out.fitted;
  out.ssr = out.residuals.squaredNorm();

  // (X'X)⁻¹ = P R⁻¹ R⁻ᵀ Pᵀ from X P = Q R, without forming X'X.
  const Eigen::MatrixXd r_inv =
      qr.matrixR().topLeftCorner(k, k).triangularView<Eigen::Upper>().solve(
          Eigen::MatrixXd::Identity(k, k));
  const Eigen::MatrixXd permuted = qr.colsPermutation() * r_inv;
  const Eigen::MatrixXd xtx_inv = permuted * permuted.transpose();
  if (options.covariance == CovarianceKind::kNonRobust) {
    out.covariance = xtx_inv * (out.ssr / out.df_resid);
    out.hac_lags = 0;
  } else {
    const int lags = options.hac_lags.value_or(NeweyWestLags(out.nobs));
    if (lags < 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "ols: HAC lag " + std::to_string(lags) + " is negative (expected 0 or more)");
    }
    out.hac_lags = lags;
    const Eigen::MatrixXd scores = x.array().colwise() * out.residuals.array();
    out.covariance = xtx_inv * HacMeat(scores, lags) * xtx_inv;
    if (options.hac_small_sample) {
      out.covariance *= static_cast<double>(n) / static_cast<double>(n - k);
    }
  }
  out.used_t = options.use_t.value_or(options.covariance == CovarianceKind::kNonRobust);

  out.std_errors = out.covariance.diagonal().array().sqrt();
  out.t_values = out.params.array() / out.std_errors.array();
  out.p_values.resize(k);
  out.conf_int.resize(k, 2);
  const double q = out.used_t ? StudentQuantile(1.0 - options.alpha / 2.0, out.df_resid)
                              : NormalQuantile(1.0 - options.alpha / 2.0);
  for (Eigen::Index j = 0; j < k; ++j) {
    out.p_values(j) = out.used_t ? StudentTwoSidedP(out.t_values(j), out.df_resid)
                                 : NormalTwoSidedP(out.t_values(j));
    out.conf_int(j, 0) = out.params(j) - q * out.std_errors(j);
    out.conf_int(j, 1) = out.params(j) + q * out.std_errors(j);
  }

  const double tss =
      HasConstantColumn(x) ? (y.array() - y.mean()).matrix().squaredNorm() : y.squaredNorm();
  out.r_squared = tss > 0.0 ? 1.0 - out.ssr / tss : 0.0;
  const double half_n = static_cast<double>(n) / 2.0;
  out.log_likelihood = -half_n * std::log(2.0 * std::numbers::pi) -
                       half_n * std::log(out.ssr / static_cast<double>(n)) - half_n;
  out.aic = -2.0 * out.log_likelihood + 2.0 * static_cast<double>(k);
  out.bic = -2.0 * out.log_likelihood + std::log(static_cast<double>(n)) * static_cast<double>(k);
  return out;
}

}  // namespace citydip::analytics::stats
