#include "citydip/analytics/stats/change_points.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "citydip/analytics/stats/summary.h"

namespace citydip::analytics::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Segment costs in O(d) from prefix sums of the (standardized) columns and their squares.
class SegmentCost {
 public:
  explicit SegmentCost(const Eigen::MatrixXd& data) : n_(data.rows()), d_(data.cols()) {
    sum_ = Eigen::MatrixXd::Zero(n_ + 1, d_);
    sum_sq_ = Eigen::MatrixXd::Zero(n_ + 1, d_);
    for (Eigen::Index t = 0; t < n_; ++t) {
      sum_.row(t + 1) = sum_.row(t) + data.row(t);
      sum_sq_.row(t + 1) = sum_sq_.row(t) + data.row(t).cwiseProduct(data.row(t));
    }
  }

  // Within-segment sum of squares of rows [a, b).
  [[nodiscard]] double operator()(int a, int b) const {
    const double len = b - a;
    double cost = 0.0;
    for (Eigen::Index j = 0; j < d_; ++j) {
      const double s = sum_(b, j) - sum_(a, j);
      cost += sum_sq_(b, j) - sum_sq_(a, j) - s * s / len;
    }
    return std::max(cost, 0.0);
  }

 private:
  Eigen::Index n_;
  Eigen::Index d_;
  Eigen::MatrixXd sum_;
  Eigen::MatrixXd sum_sq_;
};

std::vector<int> Pelt(const SegmentCost& cost, int n, int min_segment, double penalty) {
  std::vector<double> best(static_cast<std::size_t>(n) + 1, kInf);
  std::vector<int> last(static_cast<std::size_t>(n) + 1, 0);
  best[0] = -penalty;
  std::vector<int> candidates;
  std::vector<double> values;
  for (int t = min_segment; t <= n; ++t) {
    const int newest = t - min_segment;
    if (std::isfinite(best[static_cast<std::size_t>(newest)])) {
      candidates.push_back(newest);
    }
    values.assign(candidates.size(), kInf);
    double best_t = kInf;
    int arg = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const int tau = candidates[i];
      values[i] = best[static_cast<std::size_t>(tau)] + cost(tau, t);
      if (values[i] + penalty < best_t) {
        best_t = values[i] + penalty;
        arg = tau;
      }
    }
    best[static_cast<std::size_t>(t)] = best_t;
    last[static_cast<std::size_t>(t)] = arg;
    // Prune candidates that can never be optimal again (K = 0 holds for this cost).
    std::vector<int> kept;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (values[i] <= best_t) {
        kept.push_back(candidates[i]);
      }
    }
    candidates.swap(kept);
  }
  std::vector<int> changes;
  for (int t = last[static_cast<std::size_t>(n)]; t > 0; t = last[static_cast<std::size_t>(t)]) {
    changes.push_back(t);
  }
  std::reverse(changes.begin(), changes.end());
  return changes;
}

void BinarySplit(const SegmentCost& cost,
                 int a,
                 int b,
                 int min_segment,
                 double penalty,
                 std::vector<int>& changes) {
  if (b - a < 2 * min_segment) {
    return;
  }
  const double whole = cost(a, b);
  double best_gain = -kInf;
  int best_split = -1;
  for (int s = a + min_segment; s <= b - min_segment; ++s) {
    const double gain = whole - cost(a, s) - cost(s, b);
    if (gain > best_gain) {
      best_gain = gain;
      best_split = s;
    }
  }
  if (best_split < 0 || best_gain <= penalty) {
    return;
  }
  changes.push_back(best_split);
  BinarySplit(cost, a, best_split, min_segment, penalty, changes);
  BinarySplit(cost, best_split, b, min_segment, penalty, changes);
}

}  // namespace

Eigen::VectorXd NoiseScale(const Eigen::MatrixXd& data) {
  const Eigen::Index d = data.cols();
  Eigen::VectorXd scales = Eigen::VectorXd::Ones(d);
  if (data.rows() < 2) {
    return scales;
  }
  for (Eigen::Index j = 0; j < d; ++j) {
    std::vector<double> diffs;
    for (Eigen::Index t = 1; t < data.rows(); ++t) {
      diffs.push_back(data(t, j) - data(t - 1, j));
    }
    const double median = Median(diffs);
    std::vector<double> deviations;
    for (double v : diffs) {
      deviations.push_back(std::fabs(v - median));
    }
    // Scales below `tiny` are rounding noise of an exactly repeating pattern, not a scale.
    const double tiny = 1e-9 * std::max(1.0, data.col(j).cwiseAbs().maxCoeff());
    const double mad = Median(deviations);
    double scale = mad / (0.6744897501960817 * std::sqrt(2.0));
    if (!(scale > tiny)) {
      scale = StdDev(diffs, 1) / std::sqrt(2.0);
    }
    scales(j) = scale > tiny && std::isfinite(scale) ? scale : 1.0;
  }
  return scales;
}

Result<ChangePointResult> DetectChangePoints(const Eigen::MatrixXd& data,
                                             const ChangePointOptions& options) {
  const int n = static_cast<int>(data.rows());
  const auto d = static_cast<double>(data.cols());
  if (n == 0 || data.cols() == 0) {
    return Fail(ErrorCode::kInvalidArgument, "change points: empty series");
  }
  if (!data.allFinite()) {
    return Fail(ErrorCode::kInvalidArgument, "change points: the series holds a non-finite value");
  }
  if (options.min_segment < 1) {
    return Fail(ErrorCode::kInvalidArgument, "change points: minimum segment " +
                                                 std::to_string(options.min_segment) +
                                                 " (expected 1 or more)");
  }
  if (n < options.min_segment) {
    return Fail(ErrorCode::kInvalidArgument,
                "change points: " + std::to_string(n) +
                    " observations are fewer than the minimum segment of " +
                    std::to_string(options.min_segment));
  }
  ChangePointResult out;
  out.penalty = options.penalty.value_or((d + 1.0) * std::log(static_cast<double>(n)));
  if (!(out.penalty >= 0.0) || !std::isfinite(out.penalty)) {
    return Fail(ErrorCode::kInvalidArgument, "change points: penalty " +
                                                 std::to_string(out.penalty) +
                                                 " (expected a finite value >= 0)");
  }
  out.scales = options.standardize ? NoiseScale(data) : Eigen::VectorXd::Ones(data.cols());
  const Eigen::MatrixXd scaled = data.array().rowwise() / out.scales.transpose().array();
  const SegmentCost cost(scaled);
  if (options.method == ChangePointMethod::kPelt) {
    out.change_points = Pelt(cost, n, options.min_segment, out.penalty);
  } else {
    BinarySplit(cost, 0, n, options.min_segment, out.penalty, out.change_points);
    std::sort(out.change_points.begin(), out.change_points.end());
  }
  int begin = 0;
  std::vector<int> ends = out.change_points;
  ends.push_back(n);
  for (int end : ends) {
    Segment segment;
    segment.begin = begin;
    segment.end = end;
    segment.mean = data.middleRows(begin, end - begin).colwise().mean().transpose();
    out.cost += cost(begin, end);
    out.segments.push_back(std::move(segment));
    begin = end;
  }
  out.penalized_cost = out.cost + out.penalty * static_cast<double>(out.change_points.size());
  return out;
}

}  // namespace citydip::analytics::stats
