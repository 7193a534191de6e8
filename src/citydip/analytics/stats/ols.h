// Ordinary least squares with classical or Newey–West (HAC) standard errors, matching statsmodels
// 0.13 `OLS(y, X).fit(cov_type=..., cov_kwds=...)` (see docs/analyses.md for the conventions).
#pragma once

#include <cstdint>
#include <optional>

#include <Eigen/Dense>

#include "citydip/core/result.h"

namespace citydip::analytics::stats {

/// How the covariance of the coefficients is estimated.
enum class CovarianceKind : std::uint8_t {
  kNonRobust,  // s² (X'X)⁻¹, s² = SSR / (n − k)
  kHac,        // Newey–West: (X'X)⁻¹ S (X'X)⁻¹ with Bartlett weights
};

/// The covariance estimator and inference settings of FitOls.
struct OlsOptions {
  CovarianceKind covariance = CovarianceKind::kNonRobust;
  /// HAC truncation lag; nullopt picks floor(4 (n/100)^(2/9)) (Newey & West 1994), which is also
  /// what statsmodels' `cov_hac` uses when `maxlags` is None.
  std::optional<int> hac_lags;
  /// Multiplies the HAC covariance by n / (n − k): statsmodels' `use_correction=True`. Off by
  /// default, as in `OLS.fit(cov_type="HAC")`.
  bool hac_small_sample = false;
  /// Student t (true) or normal (false) reference distribution for p-values and intervals;
  /// nullopt follows statsmodels: t for non-robust, normal for HAC.
  std::optional<bool> use_t;
  /// Confidence intervals are at level 1 − alpha.
  double alpha = 0.05;
};

/// A fitted OLS model. Vectors have one entry per column of X.
struct OlsResult {
  Eigen::VectorXd params;
  Eigen::VectorXd std_errors;
  Eigen::VectorXd t_values;  // z values when `used_t` is false
  Eigen::VectorXd p_values;
  Eigen::MatrixXd conf_int;  // k × 2: lower, upper
  Eigen::MatrixXd covariance;
  Eigen::VectorXd fitted;
  Eigen::VectorXd residuals;
  double ssr = 0.0;
  double r_squared = 0.0;  // centered when X has a constant column, else uncentered
  double log_likelihood = 0.0;
  double aic = 0.0;  // −2 llf + 2k
  double bic = 0.0;  // −2 llf + k log n
  int nobs = 0;
  int df_resid = 0;
  int hac_lags = 0;  // the lag actually used (0 for non-robust)
  bool used_t = true;
};

/// Fits y = X b + e. Fails with kInvalidArgument when the sizes disagree, there are no more
/// observations than columns, a value is not finite, or X is rank deficient.
[[nodiscard]] Result<OlsResult> FitOls(const Eigen::MatrixXd& x,
                                       const Eigen::VectorXd& y,
                                       const OlsOptions& options = {});

/// The Newey–West truncation lag floor(4 (n/100)^(2/9)).
[[nodiscard]] int NeweyWestLags(int nobs);

/// The HAC "meat" S = Σ_{l=−L..L} w_l Σ_t u_t u_{t−l}' with Bartlett weights w_l = 1 − |l|/(L+1),
/// where row t of `scores` is u_t (x_t e_t for OLS).
[[nodiscard]] Eigen::MatrixXd HacMeat(const Eigen::MatrixXd& scores, int lags);

}  // namespace citydip::analytics::stats
