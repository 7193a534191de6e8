// Tail probabilities and quantiles of the reference distributions used by the tests in this
// folder. A thin layer over Boost.Math, configured so that a bad argument yields NaN instead of an
// exception (citydip does not throw).
#pragma once

namespace citydip::analytics::stats {

/// P(|T| >= |t|) for Student's t with `df` degrees of freedom; NaN for df <= 0 or non-finite t.
[[nodiscard]] double StudentTwoSidedP(double t, double df);
/// The `p` quantile of Student's t with `df` degrees of freedom; NaN outside 0 < p < 1.
[[nodiscard]] double StudentQuantile(double p, double df);
/// P(|Z| >= |z|) for a standard normal Z.
[[nodiscard]] double NormalTwoSidedP(double z);
/// The `p` quantile of the standard normal; NaN outside 0 < p < 1.
[[nodiscard]] double NormalQuantile(double p);
/// P(F >= f) for Fisher's F with (df1, df2) degrees of freedom; 1 for f <= 0.
[[nodiscard]] double FisherSurvival(double f, double df1, double df2);
/// P(X >= x) for a chi-squared X with `df` degrees of freedom; 1 for x <= 0.
[[nodiscard]] double ChiSquaredSurvival(double x, double df);

}  // namespace citydip::analytics::stats
