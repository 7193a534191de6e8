#include "citydip/analytics/stats/glm.h"

#include <gtest/gtest.h>

#include "reference.h"

namespace citydip::analytics::stats {
namespace {

using testing::ExpectNear;
using testing::LoadReference;
using testing::ToEigenMatrix;
using testing::ToEigenVector;

void CheckGlm(const GlmResult& fit, const nlohmann::json& e, const std::string& what) {
  ExpectNear(fit.params, ToEigenVector(e.at("params")), what + " params");
  ExpectNear(fit.std_errors, ToEigenVector(e.at("bse")), what + " bse");
  ExpectNear(fit.p_values, ToEigenVector(e.at("pvalues")), what + " p");
  ExpectNear(fit.conf_int, ToEigenMatrix(e.at("conf_int")), what + " ci");
  ExpectNear(fit.deviance, e.at("deviance").get<double>(), what + " deviance");
  ExpectNear(fit.pearson_chi2, e.at("pearson_chi2").get<double>(), what + " pearson");
  ExpectNear(fit.log_likelihood, e.at("llf").get<double>(), what + " llf");
  ExpectNear(fit.aic, e.at("aic").get<double>(), what + " aic");
  ExpectNear(fit.mu, ToEigenVector(e.at("mu")), what + " mu");
}

TEST(GlmTest, PoissonWithOffsetMatchesStatsmodels) {
  const auto ref = LoadReference("glm.json");
  GlmOptions options;
  options.offset = ToEigenVector(ref.at("offset"));
  auto fit = FitGlm(ToEigenMatrix(ref.at("x")), ToEigenVector(ref.at("y_poisson")), options);
  ASSERT_TRUE(fit) << fit.error().message;
  CheckGlm(*fit, ref.at("poisson"), "poisson");
  ExpectNear(PredictMean(*fit, ToEigenMatrix(ref.at("x_new"))),
             ToEigenVector(ref.at("poisson").at("predict_new")), "predict");
}

TEST(GlmTest, NegativeBinomialAtFixedAlphaMatchesStatsmodels) {
  const auto ref = LoadReference("glm.json");
  GlmOptions options;
  options.family = GlmFamily::kNegativeBinomial;
  options.nb_alpha = ref.at("nb_alpha").get<double>();
  options.offset = ToEigenVector(ref.at("offset"));
  auto fit = FitGlm(ToEigenMatrix(ref.at("x")), ToEigenVector(ref.at("y_nb")), options);
  ASSERT_TRUE(fit) << fit.error().message;
  CheckGlm(*fit, ref.at("nb_fixed"), "nb");
}

TEST(GlmTest, NegativeBinomialAlphaMleMatchesStatsmodelsDiscreteModel) {
  const auto ref = LoadReference("glm.json");
  GlmOptions options;
  options.offset = ToEigenVector(ref.at("offset"));
  auto mle =
      FitNegativeBinomialMle(ToEigenMatrix(ref.at("x")), ToEigenVector(ref.at("y_nb")), options);
  ASSERT_TRUE(mle) << mle.error().message;
  ExpectNear(mle->alpha, ref.at("nb_mle").at("alpha").get<double>(), "alpha");
  CheckGlm(mle->fit, ref.at("nb_mle"), "nb mle");
  ExpectNear(mle->fit.log_likelihood, ref.at("nb_mle").at("llf_discrete").get<double>(),
             "discrete llf");
}

TEST(GlmTest, RecoversKnownRateRatioFromExactMeans) {
  // Synthetic: y equals its expected count exactly (μ = exp(1 + 0.5 x)); the MLE is the truth.
  Eigen::MatrixXd x(6, 2);
  Eigen::VectorXd y(6);
  for (int i = 0; i < 6; ++i) {
    x(i, 0) = 1.0;
    x(i, 1) = i;
    y(i) = std::exp(1.0 + 0.5 * i);
  }
  auto fit = FitGlm(x, y);
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->params(0), 1.0, 1e-9);
  EXPECT_NEAR(fit->params(1), 0.5, 1e-9);
  EXPECT_NEAR(fit->deviance, 0.0, 1e-9);
}

TEST(GlmTest, PoissonDataShowNoOverdispersion) {
  // Equal counts: the variance is zero, below the Poisson variance.
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(10, 1);
  const Eigen::VectorXd y = Eigen::VectorXd::Constant(10, 3.0);
  auto mle = FitNegativeBinomialMle(x, y);
  ASSERT_FALSE(mle);
  EXPECT_NE(mle.error().message.find("no overdispersion"), std::string::npos);
}

TEST(GlmTest, RejectsNegativeCountsAllZeroBadAlphaAndBadOffset) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(4, 1);
  Eigen::VectorXd negative(4);
  negative << 1, -1, 2, 0;
  auto neg = FitGlm(x, negative);
  ASSERT_FALSE(neg);
  EXPECT_NE(neg.error().message.find("negative"), std::string::npos);
  EXPECT_FALSE(FitGlm(x, Eigen::VectorXd::Zero(4)));
  GlmOptions bad_alpha;
  bad_alpha.family = GlmFamily::kNegativeBinomial;
  bad_alpha.nb_alpha = 0.0;
  EXPECT_FALSE(FitGlm(x, Eigen::VectorXd::Ones(4), bad_alpha));
  GlmOptions bad_offset;
  bad_offset.offset = Eigen::VectorXd::Zero(3);
  EXPECT_FALSE(FitGlm(x, Eigen::VectorXd::Ones(4), bad_offset));
}

TEST(GlmTest, ReportsSeparationInsteadOfLooping) {
  // y is zero exactly where the indicator is 1: its coefficient runs to −∞.
  Eigen::MatrixXd x(6, 2);
  x << 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1;
  Eigen::VectorXd y(6);
  y << 3, 2, 4, 0, 0, 0;
  GlmOptions options;
  options.max_iterations = 60;
  auto fit = FitGlm(x, y, options);
  EXPECT_FALSE(fit);
}

}  // namespace
}  // namespace citydip::analytics::stats
