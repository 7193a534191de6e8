#include "citydip/analytics/stats/glm.h"

#include <cmath>
#include <cstdint>
#include <exception>
#include <string>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include "citydip/analytics/stats/distributions.h"

namespace citydip::analytics::stats {
namespace {

// Var(μ) / μ² reweighting: the IRLS weight μ² / Var(μ) for the log link.
double Weight(double mu, double alpha) {
  return mu / (1.0 + alpha * mu);
}

double Variance(double mu, double alpha) {
  return mu + alpha * mu * mu;
}

double LogLikelihood(const Eigen::VectorXd& y,
                     const Eigen::VectorXd& mu,
                     GlmFamily family,
                     double alpha) {
  double llf = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double yi = y(i);
    const double mi = mu(i);
    if (family == GlmFamily::kPoisson) {
      llf += (yi > 0.0 ? yi * std::log(mi) : 0.0) - mi - std::lgamma(yi + 1.0);
    } else {
      const double r = 1.0 / alpha;
      llf += (yi > 0.0 ? yi * std::log(alpha * mi / (1.0 + alpha * mi)) : 0.0) -
             std::log1p(alpha * mi) * r + std::lgamma(yi + r) - std::lgamma(yi + 1.0) -
             std::lgamma(r);
    }
  }
  return llf;
}

double Deviance(const Eigen::VectorXd& y,
                const Eigen::VectorXd& mu,
                GlmFamily family,
                double alpha) {
  double dev = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double yi = y(i);
    const double mi = mu(i);
    const double ylog = yi > 0.0 ? yi * std::log(yi / mi) : 0.0;
    if (family == GlmFamily::kPoisson) {
      dev += 2.0 * (ylog - (yi - mi));
    } else {
      const double r = 1.0 / alpha;
      dev += 2.0 * (ylog - (yi + r) * std::log((yi + r) / (mi + r)));
    }
  }
  return dev;
}

// ψ(y + r) − ψ(r), exactly summed for integer y so that tiny α (huge r) keeps its precision.
double DigammaDifference(double y, double r) {
  if (y == std::floor(y) && y >= 0.0 && y < 1e6) {
    double sum = 0.0;
    for (std::int64_t j = static_cast<std::int64_t>(y) - 1; j >= 0; --j) {
      sum += 1.0 / (r + static_cast<double>(j));
    }
    return sum;
  }
  return boost::math::digamma(y + r) - boost::math::digamma(r);
}

// ∂ℓ/∂α of the NB2 log-likelihood at fixed μ; at the IRLS optimum this is the profile score.
double AlphaScore(const Eigen::VectorXd& y, const Eigen::VectorXd& mu, double alpha) {
  const double r = 1.0 / alpha;
  double score = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double am = alpha * mu(i);
    score += (y(i) - mu(i)) / (alpha * (1.0 + am)) +
             r * r * (std::log1p(am) - DigammaDifference(y(i), r));
  }
  return score;
}

}  // namespace

Result<GlmResult> FitGlm(const Eigen::MatrixXd& x,
                         const Eigen::VectorXd& y,
                         const GlmOptions& options) {
  const Eigen::Index n = x.rows();
  const Eigen::Index k = x.cols();
  if (y.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "glm: y has " + std::to_string(y.size()) +
                                                 " values but X has " + std::to_string(n) +
                                                 " rows (expected equal lengths)");
  }
  if (k == 0 || n <= k) {
    return Fail(ErrorCode::kInvalidArgument,
                "glm: " + std::to_string(n) + " observations for " + std::to_string(k) +
                    " coefficients (expected more observations than coefficients)");
  }
  if (options.offset.size() != 0 && options.offset.size() != n) {
    return Fail(ErrorCode::kInvalidArgument,
                "glm: offset has " + std::to_string(options.offset.size()) + " values (expected " +
                    std::to_string(n) + " or none)");
  }
  if (!x.allFinite() || !y.allFinite() ||
      (options.offset.size() != 0 && !options.offset.allFinite())) {
    return Fail(ErrorCode::kInvalidArgument, "glm: X, y or the offset holds a non-finite value");
  }
  if ((y.array() < 0.0).any()) {
    return Fail(ErrorCode::kInvalidArgument, "glm: a count is negative (expected counts >= 0)");
  }
  if (y.sum() <= 0.0) {
    return Fail(ErrorCode::kInvalidArgument,
                "glm: every count is zero (the log-linear model has no finite fit)");
  }
  const double alpha = options.family == GlmFamily::kPoisson ? 0.0 : options.nb_alpha;
  if (options.family == GlmFamily::kNegativeBinomial && !(alpha > 0.0 && std::isfinite(alpha))) {
    return Fail(ErrorCode::kInvalidArgument,
                "glm: negative-binomial alpha " + std::to_string(alpha) + " (expected > 0)");
  }
  if (!(options.ci_alpha > 0.0 && options.ci_alpha < 1.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "glm: ci_alpha " + std::to_string(options.ci_alpha) + " is not in (0, 1)");
  }
  const Eigen::VectorXd offset =
      options.offset.size() == n ? options.offset : Eigen::VectorXd::Zero(n);

  // statsmodels' start: μ = (y + ȳ) / 2, η = log μ.
  Eigen::VectorXd mu = (y.array() + y.mean()) / 2.0;
  Eigen::VectorXd eta = mu.array().log();
  Eigen::VectorXd params = Eigen::VectorXd::Zero(k);
  bool converged = false;
  int iteration = 0;
  while (iteration < options.max_iterations && !converged) {
    ++iteration;
    Eigen::VectorXd sqrt_w(n);
    Eigen::VectorXd z(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      sqrt_w(i) = std::sqrt(Weight(mu(i), alpha));
      z(i) = eta(i) + (y(i) - mu(i)) / mu(i) - offset(i);
    }
    const Eigen::MatrixXd wx = x.array().colwise() * sqrt_w.array();
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(wx);
    if (qr.rank() < k) {
      return Fail(ErrorCode::kInvalidArgument, "glm: X is rank deficient (rank " +
                                                   std::to_string(qr.rank()) + " of " +
                                                   std::to_string(k) + " columns)");
    }
    const Eigen::VectorXd next = qr.solve((z.array() * sqrt_w.array()).matrix());
    const double moved = ((next - params).array().abs() / (1.0 + next.array().abs())).maxCoeff();
    params = next;
    eta = x * params + offset;
    mu = eta.array().exp();
    if (!mu.allFinite() || (mu.array() <= 0.0).any()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "glm: the fitted means left the representable range (the data may be "
                  "separated: a coefficient runs to infinity)");
    }
    converged = iteration > 1 && moved <= options.tolerance;
  }
  if (!converged) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "glm: IRLS did not converge in " + std::to_string(options.max_iterations) + " iterations");
  }

  GlmResult out;
  out.family = options.family;
  out.nb_alpha = alpha;
  out.params = params;
  out.mu = mu;
  out.linear_predictor = eta;
  out.nobs = static_cast<int>(n);
  out.df_resid = static_cast<int>(n - k);
  out.iterations = iteration;
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    w(i) = Weight(mu(i), alpha);
  }
  const Eigen::MatrixXd info = x.transpose() * w.asDiagonal() * x;
  out.covariance = info.ldlt().solve(Eigen::MatrixXd::Identity(k, k));
  out.std_errors = out.covariance.diagonal().array().sqrt();
  out.z_values = out.params.array() / out.std_errors.array();
  out.p_values.resize(k);
  out.conf_int.resize(k, 2);
  const double q = NormalQuantile(1.0 - options.ci_alpha / 2.0);
  for (Eigen::Index j = 0; j < k; ++j) {
    out.p_values(j) = NormalTwoSidedP(out.z_values(j));
    out.conf_int(j, 0) = out.params(j) - q * out.std_errors(j);
    out.conf_int(j, 1) = out.params(j) + q * out.std_errors(j);
  }
  out.deviance = Deviance(y, mu, options.family, alpha);
  out.pearson_chi2 = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    out.pearson_chi2 += (y(i) - mu(i)) * (y(i) - mu(i)) / Variance(mu(i), alpha);
  }
  out.log_likelihood = LogLikelihood(y, mu, options.family, alpha);
  out.aic = -2.0 * out.log_likelihood + 2.0 * static_cast<double>(k);
  return out;
}

Eigen::VectorXd PredictMean(const GlmResult& fit,
                            const Eigen::MatrixXd& x,
                            const Eigen::VectorXd& offset) {
  Eigen::VectorXd eta = x * fit.params;
  if (offset.size() == eta.size()) {
    eta += offset;
  }
  return eta.array().exp();
}

Result<NegativeBinomialMle> FitNegativeBinomialMle(const Eigen::MatrixXd& x,
                                                   const Eigen::VectorXd& y,
                                                   const GlmOptions& options) {
  GlmOptions nb = options;
  nb.family = GlmFamily::kNegativeBinomial;
  Error failure;
  bool failed = false;
  // The profile score in s = log α; a failed inner fit ends the search with that error.
  const auto score = [&](double s) {
    nb.nb_alpha = std::exp(s);
    auto fit = FitGlm(x, y, nb);
    if (!fit) {
      failure = fit.error();
      failed = true;
      return 0.0;
    }
    return AlphaScore(y, fit->mu, nb.nb_alpha);
  };
  const double lo = std::log(1e-6);
  const double hi = std::log(1e4);
  const double score_lo = score(lo);
  const double score_hi = failed ? 0.0 : score(hi);
  if (failed) {
    return Fail(failure);
  }
  if (score_lo <= 0.0) {
    return Fail(ErrorCode::kInvalidArgument,
                "negative binomial: no overdispersion (the likelihood peaks at alpha -> 0; fit a "
                "Poisson model instead)");
  }
  if (score_hi >= 0.0) {
    return Fail(ErrorCode::kInvalidArgument,
                "negative binomial: the alpha estimate exceeds 1e4 (the counts are too sparse "
                "to estimate the dispersion)");
  }
  double root = 0.0;
  try {
    std::uintmax_t max_iter = 200;
    const auto bracket = boost::math::tools::toms748_solve(
        score, lo, hi, score_lo, score_hi, boost::math::tools::eps_tolerance<double>(50), max_iter);
    root = 0.5 * (bracket.first + bracket.second);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal,
                std::string("negative binomial: root finding failed: ") + e.what());
  }
  if (failed) {
    return Fail(failure);
  }
  nb.nb_alpha = std::exp(root);
  auto fit = FitGlm(x, y, nb);
  if (!fit) {
    return Fail(fit.error());
  }
  NegativeBinomialMle out;
  out.alpha = nb.nb_alpha;
  out.fit = *std::move(fit);
  return out;
}

}  // namespace citydip::analytics::stats
