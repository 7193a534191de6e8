// Descriptive statistics over plain sequences: mean, standard deviation, coefficient of variation,
// median. NaN for inputs too short to define them.
#pragma once

#include <span>

namespace citydip::analytics::stats {

/// Arithmetic mean; NaN for an empty input.
[[nodiscard]] double Mean(std::span<const double> values);
/// Standard deviation with `ddof` degrees of freedom removed (1: sample, 0: population); NaN when
/// fewer than ddof + 1 values.
[[nodiscard]] double StdDev(std::span<const double> values, int ddof = 1);
/// Sample standard deviation over the mean (ddof 1); NaN for fewer than 2 values or a zero mean.
[[nodiscard]] double CoefficientOfVariation(std::span<const double> values);
/// Median (the mean of the two middle values for an even count); NaN for an empty input.
[[nodiscard]] double Median(std::span<const double> values);
/// Pearson correlation of two equally long sequences; NaN when either is constant or they are
/// shorter than 2 or of different lengths.
[[nodiscard]] double PearsonCorrelation(std::span<const double> x, std::span<const double> y);

}  // namespace citydip::analytics::stats
