#include "citydip/analytics/stats/change_points.h"

#include <vector>

#include <gtest/gtest.h>

#include "reference.h"

namespace citydip::analytics::stats {
namespace {

using testing::ExpectNear;
using testing::LoadReference;
using testing::ToEigenMatrix;
using testing::ToEigenVector;

std::vector<int> ToInts(const nlohmann::json& j) {
  return j.get<std::vector<int>>();
}

TEST(ChangePointsTest, PeltEqualsExhaustiveOptimalPartitioning) {
  const auto ref = LoadReference("change_points.json");
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name");
    ChangePointOptions options;
    options.min_segment = c.at("min_segment").get<int>();
    options.standardize = c.at("standardize").get<bool>();
    auto result = DetectChangePoints(ToEigenMatrix(c.at("data")), options);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->change_points, ToInts(c.at("pelt").at("change_points"))) << name;
    ExpectNear(result->penalty, c.at("penalty").get<double>(), name + " penalty");
    ExpectNear(result->scales, ToEigenVector(c.at("scales")), name + " scales");
    ExpectNear(result->cost, c.at("pelt").at("cost").get<double>(), name + " cost");
    ExpectNear(result->penalized_cost, c.at("pelt").at("penalized_cost").get<double>(),
               name + " penalized");
    const auto& means = c.at("pelt").at("means");
    ASSERT_EQ(result->segments.size(), means.size());
    for (std::size_t s = 0; s < means.size(); ++s) {
      ExpectNear(result->segments[s].mean, ToEigenVector(means.at(s)), name + " mean");
    }
  }
}

TEST(ChangePointsTest, BinarySegmentationMatchesReference) {
  const auto ref = LoadReference("change_points.json");
  for (const auto& c : ref.at("cases")) {
    ChangePointOptions options;
    options.method = ChangePointMethod::kBinarySegmentation;
    options.min_segment = c.at("min_segment").get<int>();
    options.standardize = c.at("standardize").get<bool>();
    auto result = DetectChangePoints(ToEigenMatrix(c.at("data")), options);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->change_points, ToInts(c.at("binseg").at("change_points")))
        << c.at("name").get<std::string>();
    ExpectNear(result->cost, c.at("binseg").at("cost").get<double>(), "binseg cost");
  }
}

TEST(ChangePointsTest, FindsKnownChangePointsInSyntheticSteps) {
  // Synthetic: three plateaus (1, 6, 3) over 12 + 10 + 8 periods with a small deterministic
  // wiggle; both methods must find exactly 12 and 22.
  Eigen::MatrixXd data(30, 1);
  for (int t = 0; t < 30; ++t) {
    const double level = t < 12 ? 1.0 : (t < 22 ? 6.0 : 3.0);
    data(t, 0) = level + 0.3 * ((t * 5) % 3 - 1);
  }
  for (auto method : {ChangePointMethod::kPelt, ChangePointMethod::kBinarySegmentation}) {
    ChangePointOptions options;
    options.method = method;
    auto result = DetectChangePoints(data, options);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->change_points, (std::vector<int>{12, 22}));
    ASSERT_EQ(result->segments.size(), 3u);
    EXPECT_NEAR(result->segments[1].mean(0), 6.0, 0.1);
  }
}

TEST(ChangePointsTest, ConstantSeriesHasNoChange) {
  auto result = DetectChangePoints(Eigen::MatrixXd::Constant(20, 2, 4.0));
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->change_points.empty());
  ASSERT_EQ(result->segments.size(), 1u);
  EXPECT_EQ(result->segments[0].end, 20);
}

TEST(ChangePointsTest, RespectsTheMinimumSegmentLength) {
  Eigen::MatrixXd data = Eigen::MatrixXd::Zero(20, 1);
  data(10, 0) = 50.0;  // a one-period spike cannot be its own segment with min_segment 3
  ChangePointOptions options;
  options.min_segment = 3;
  options.standardize = false;
  options.penalty = 1.0;
  auto result = DetectChangePoints(data, options);
  ASSERT_TRUE(result);
  int begin = 0;
  for (const auto& segment : result->segments) {
    EXPECT_GE(segment.end - segment.begin, 3);
    EXPECT_EQ(segment.begin, begin);
    begin = segment.end;
  }
}

TEST(ChangePointsTest, RejectsBadInput) {
  EXPECT_FALSE(DetectChangePoints(Eigen::MatrixXd(0, 1)));
  ChangePointOptions zero;
  zero.min_segment = 0;
  EXPECT_FALSE(DetectChangePoints(Eigen::MatrixXd::Ones(5, 1), zero));
  ChangePointOptions negative;
  negative.penalty = -1.0;
  EXPECT_FALSE(DetectChangePoints(Eigen::MatrixXd::Ones(5, 1), negative));
  Eigen::MatrixXd nan = Eigen::MatrixXd::Ones(5, 1);
  nan(1, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(DetectChangePoints(nan));
  ChangePointOptions long_segment;
  long_segment.min_segment = 6;
  EXPECT_FALSE(DetectChangePoints(Eigen::MatrixXd::Ones(5, 1), long_segment));
}

}  // namespace
}  // namespace citydip::analytics::stats
