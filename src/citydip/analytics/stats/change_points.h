// Multiple change points in the mean of a (multivariate) series: PELT (Killick, Fearnhead & Eckley
// 2012), exact for the penalized cost, and binary segmentation, a greedy approximation. The cost of
// a segment is its within-segment sum of squares in noise-standardized units (the Gaussian
// log-likelihood with known variance); the default penalty is BIC: (d + 1) log n per change for
// d columns (d new means and one location).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <Eigen/Dense>

#include "citydip/core/result.h"

namespace citydip::analytics::stats {

/// The search: PELT (exact) or binary segmentation (greedy).
enum class ChangePointMethod : std::uint8_t { kPelt, kBinarySegmentation };

/// How DetectChangePoints searches and what a change costs.
struct ChangePointOptions {
  ChangePointMethod method = ChangePointMethod::kPelt;
  /// Cost added per change point; nullopt: BIC, (d + 1) log n.
  std::optional<double> penalty;
  /// Shortest segment allowed, in observations (>= 1).
  int min_segment = 2;
  /// Divide each column by its noise scale (see NoiseScale) before computing costs; off when the
  /// caller has already standardized the data.
  bool standardize = true;
};

/// Observations [begin, end) and their column means (in the data's original units).
struct Segment {
  int begin = 0;
  int end = 0;
  Eigen::VectorXd mean;
};

/// The change points found, the segments between them and the costs.
struct ChangePointResult {
  std::vector<int> change_points;  // the first index of every segment but the first, ascending
  std::vector<Segment> segments;
  double penalty = 0.0;
  double cost = 0.0;            // Σ segment costs, without penalties
  double penalized_cost = 0.0;  // cost + penalty × number of change points
  Eigen::VectorXd scales;       // the noise scale used per column (1 when not standardized)
};

/// Finds change points in the rows of `data` (n observations × d series). Fails with
/// kInvalidArgument when data is empty, holds a non-finite value, min_segment < 1, the penalty is
/// negative or not finite, or there are fewer than min_segment observations.
[[nodiscard]] Result<ChangePointResult> DetectChangePoints(const Eigen::MatrixXd& data,
                                                           const ChangePointOptions& options = {});

/// A robust noise standard deviation per column: MAD of the first differences / (0.6745 √2); when
/// that is 0 (sparse counts; "0" meaning below 1e-9 × max(1, max |x|)), the standard deviation of
/// the first differences / √2; when that is also 0 (a constant column), 1.
[[nodiscard]] Eigen::VectorXd NoiseScale(const Eigen::MatrixXd& data);

}  // namespace citydip::analytics::stats
