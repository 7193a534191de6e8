// Poisson and negative-binomial (NB2) regression with a log link, fitted by iteratively reweighted
// least squares on Eigen; matches statsmodels 0.13 `GLM(y, X, family=..., offset=...).fit()`.
// Counts of city-diplomacy events are small and overdispersed: NB2 has Var = μ + α μ².
#pragma once

#include <cstdint>

#include <Eigen/Dense>

#include "citydip/core/result.h"

namespace citydip::analytics::stats {

/// The response distribution (both with a log link).
enum class GlmFamily : std::uint8_t { kPoisson, kNegativeBinomial };

/// The family, offset and convergence settings of FitGlm.
struct GlmOptions {
  GlmFamily family = GlmFamily::kPoisson;
  /// NB2 dispersion α (> 0), fixed during the fit; statsmodels' default is 1.
  double nb_alpha = 1.0;
  /// Added to the linear predictor (log exposure); empty for none, else one value per row.
  Eigen::VectorXd offset;
  int max_iterations = 100;
  /// Stops when no coefficient moves by more than tolerance × (1 + |coefficient|).
  double tolerance = 1e-10;
  /// Confidence intervals are at level 1 − ci_alpha (normal reference, as in statsmodels).
  double ci_alpha = 0.05;
};

/// A fitted GLM. Vectors have one entry per column of X (or per row for mu).
struct GlmResult {
  GlmFamily family = GlmFamily::kPoisson;
  double nb_alpha = 0.0;  // 0 for Poisson
  Eigen::VectorXd params;
  Eigen::VectorXd std_errors;  // from the expected information (X'WX)⁻¹, scale 1
  Eigen::VectorXd z_values;
  Eigen::VectorXd p_values;
  Eigen::MatrixXd conf_int;  // k × 2
  Eigen::MatrixXd covariance;
  Eigen::VectorXd mu;                // fitted means
  Eigen::VectorXd linear_predictor;  // X b + offset
  double deviance = 0.0;
  double pearson_chi2 = 0.0;
  double log_likelihood = 0.0;
  double aic = 0.0;  // −2 llf + 2k
  int nobs = 0;
  int df_resid = 0;
  int iterations = 0;
};

/// Fits the GLM. Fails with kInvalidArgument for mismatched sizes, negative or non-finite counts,
/// an all-zero response, α <= 0, a rank-deficient X, or no convergence within max_iterations.
[[nodiscard]] Result<GlmResult> FitGlm(const Eigen::MatrixXd& x,
                                       const Eigen::VectorXd& y,
                                       const GlmOptions& options = {});

/// exp(X b + offset) for new rows; `offset` empty means zero. Columns must match the fit.
[[nodiscard]] Eigen::VectorXd PredictMean(const GlmResult& fit,
                                          const Eigen::MatrixXd& x,
                                          const Eigen::VectorXd& offset = {});

/// An NB2 fit whose α is the maximum-likelihood estimate.
struct NegativeBinomialMle {
  double alpha = 0.0;
  GlmResult fit;  // the GLM at α̂ (standard errors conditional on α̂)
};

/// Estimates α by maximum likelihood (the root of the profile score in α, coefficients refitted by
/// IRLS at every trial α), then fits the GLM at α̂. Fails when the data show no overdispersion
/// (the likelihood increases towards α = 0: use Poisson) or on the FitGlm errors.
/// `options.family` and `options.nb_alpha` are ignored.
[[nodiscard]] Result<NegativeBinomialMle> FitNegativeBinomialMle(const Eigen::MatrixXd& x,
                                                                 const Eigen::VectorXd& y,
                                                                 const GlmOptions& options = {});

}  // namespace citydip::analytics::stats
