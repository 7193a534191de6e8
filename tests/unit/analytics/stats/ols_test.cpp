#include "citydip/analytics/stats/ols.h"

#include <gtest/gtest.h>

#include "reference.h"

namespace citydip::analytics::stats {
namespace {

using testing::ExpectNear;
using testing::LoadReference;
using testing::ToEigenMatrix;
using testing::ToEigenVector;

TEST(OlsTest, NonRobustMatchesStatsmodels) {
  const auto ref = LoadReference("ols_hac.json");
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    auto fit = FitOls(ToEigenMatrix(c.at("x")), ToEigenVector(c.at("y")));
    ASSERT_TRUE(fit) << fit.error().message;
    const auto& e = c.at("nonrobust");
    ExpectNear(fit->params, ToEigenVector(e.at("params")), name + " params");
    ExpectNear(fit->std_errors, ToEigenVector(e.at("bse")), name + " bse");
    ExpectNear(fit->p_values, ToEigenVector(e.at("pvalues")), name + " p");
    ExpectNear(fit->conf_int, ToEigenMatrix(e.at("conf_int")), name + " ci");
    ExpectNear(fit->ssr, e.at("ssr"), name + " ssr");
    ExpectNear(fit->r_squared, e.at("rsquared"), name + " r2");
    ExpectNear(fit->log_likelihood, e.at("llf"), name + " llf");
    ExpectNear(fit->aic, e.at("aic"), name + " aic");
    ExpectNear(fit->bic, e.at("bic"), name + " bic");
    EXPECT_EQ(fit->df_resid, e.at("df_resid").get<double>());
    EXPECT_TRUE(fit->used_t);
  }
}

TEST(OlsTest, HacMatchesStatsmodelsForEveryLagAndCorrection) {
  const auto ref = LoadReference("ols_hac.json");
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    for (const auto& h : c.at("hac")) {
      OlsOptions options;
      options.covariance = CovarianceKind::kHac;
      options.hac_lags = h.at("maxlags").get<int>();
      options.hac_small_sample = h.at("use_correction").get<bool>();
      auto fit = FitOls(ToEigenMatrix(c.at("x")), ToEigenVector(c.at("y")), options);
      ASSERT_TRUE(fit) << fit.error().message;
      const std::string what = name + " lag " + std::to_string(*options.hac_lags) +
                               (options.hac_small_sample ? " corrected" : "");
      EXPECT_FALSE(fit->used_t);
      ExpectNear(fit->std_errors, ToEigenVector(h.at("bse")), what + " bse");
      ExpectNear(fit->p_values, ToEigenVector(h.at("pvalues")), what + " p");
      ExpectNear(fit->conf_int, ToEigenMatrix(h.at("conf_int")), what + " ci");
    }
  }
}

TEST(OlsTest, HacDefaultLagIsNeweyWestRuleOfThumb) {
  const auto ref = LoadReference("ols_hac.json");
  for (const auto& c : ref.at("cases")) {
    OlsOptions options;
    options.covariance = CovarianceKind::kHac;
    auto fit = FitOls(ToEigenMatrix(c.at("x")), ToEigenVector(c.at("y")), options);
    ASSERT_TRUE(fit) << fit.error().message;
    EXPECT_EQ(fit->hac_lags, c.at("hac_default_lag").at("nlags").get<int>());
    ExpectNear(fit->std_errors, ToEigenVector(c.at("hac_default_lag").at("bse")), "default lag");
  }
}

TEST(OlsTest, NeweyWestLagsFollowsTheFormula) {
  EXPECT_EQ(NeweyWestLags(100), 4);
  EXPECT_EQ(NeweyWestLags(60), 3);
  EXPECT_EQ(NeweyWestLags(20), 2);
  EXPECT_EQ(NeweyWestLags(1), 1);
}

TEST(OlsTest, RecoversExactLineWithoutNoise) {
  Eigen::MatrixXd x(5, 2);
  Eigen::VectorXd y(5);
  for (int i = 0; i < 5; ++i) {
    x(i, 0) = 1.0;
    x(i, 1) = i;
    y(i) = 3.0 - 2.0 * i + (i % 2 == 0 ? 0.1 : -0.1);
  }
  auto fit = FitOls(x, y);
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->params(1), -2.0, 0.05);
  EXPECT_NEAR(fit->params(0), 3.0, 0.1);
}

TEST(OlsTest, RejectsRankDeficientDesign) {
  Eigen::MatrixXd x(4, 2);
  x << 1, 2, 1, 2, 1, 2, 1, 2;
  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(4, 0, 3);
  auto fit = FitOls(x, y);
  ASSERT_FALSE(fit);
  EXPECT_EQ(fit.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(fit.error().message.find("rank deficient"), std::string::npos);
}

TEST(OlsTest, RejectsMismatchedSizesTooFewRowsAndNonFiniteValues) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(3, 2);
  EXPECT_FALSE(FitOls(x, Eigen::VectorXd::Zero(4)));
  EXPECT_FALSE(FitOls(Eigen::MatrixXd::Ones(2, 2), Eigen::VectorXd::Zero(2)));
  Eigen::MatrixXd bad = Eigen::MatrixXd::Random(5, 2);
  bad(2, 1) = std::numeric_limits<double>::infinity();
  auto fit = FitOls(bad, Eigen::VectorXd::Zero(5));
  ASSERT_FALSE(fit);
  EXPECT_NE(fit.error().message.find("non-finite"), std::string::npos);
  OlsOptions negative;
  negative.covariance = CovarianceKind::kHac;
  negative.hac_lags = -1;
  EXPECT_FALSE(FitOls(Eigen::MatrixXd::Random(8, 2), Eigen::VectorXd::Random(8), negative));
}

}  // namespace
}  // namespace citydip::analytics::stats
