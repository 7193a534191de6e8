// Loads the offline reference values committed under tests/reference/stats/ (see the .py scripts
// there) and converts JSON arrays to Eigen.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace citydip::analytics::stats::testing {

inline constexpr double kTolerance = 1e-6;

inline nlohmann::json LoadReference(const std::string& name) {
  const std::string path = std::string(CITYDIP_SOURCE_DIR) + "/tests/reference/stats/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return nlohmann::json::parse(in);
}

inline std::vector<double> ToVector(const nlohmann::json& j) {
  std::vector<double> out;
  for (const auto& v : j) {
    out.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>());
  }
  return out;
}

inline Eigen::VectorXd ToEigenVector(const nlohmann::json& j) {
  const std::vector<double> v = ToVector(j);
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

inline Eigen::MatrixXd ToEigenMatrix(const nlohmann::json& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()),
                      static_cast<Eigen::Index>(rows.at(0).size()));
  for (Eigen::Index i = 0; i < out.rows(); ++i) {
    for (Eigen::Index j = 0; j < out.cols(); ++j) {
      out(i, j) =
          rows.at(static_cast<std::size_t>(i)).at(static_cast<std::size_t>(j)).get<double>();
    }
  }
  return out;
}

/// Compares element-wise to `tolerance`, relative to max(1, |expected|).
inline void ExpectNear(const Eigen::MatrixXd& actual,
                       const Eigen::MatrixXd& expected,
                       const std::string& what,
                       double tolerance = kTolerance) {
  ASSERT_EQ(actual.rows(), expected.rows()) << what;
  ASSERT_EQ(actual.cols(), expected.cols()) << what;
  for (Eigen::Index i = 0; i < actual.rows(); ++i) {
    for (Eigen::Index j = 0; j < actual.cols(); ++j) {
      const double scale = std::max(1.0, std::fabs(expected(i, j)));
      EXPECT_NEAR(actual(i, j), expected(i, j), tolerance * scale)
          << what << " at (" << i << ", " << j << ")";
    }
  }
}

inline void ExpectNear(double actual,
                       double expected,
                       const std::string& what,
                       double tolerance = kTolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::max(1.0, std::fabs(expected))) << what;
}

}  // namespace citydip::analytics::stats::testing
