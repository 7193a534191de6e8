// JSON conventions shared by the analyses' ToJson functions: non-finite numbers become null,
// estimates become {estimate, std_error, ci: [low, high], p_value}.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/stats/its.h"
#include "citydip/core/date.h"

namespace citydip::analytics::internal {

/// A number, or null when it is NaN or infinite (JSON has no NaN).
inline nlohmann::json Number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

/// A list of numbers with NaN as null.
inline nlohmann::json Numbers(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) {
    out.push_back(Number(v));
  }
  return out;
}

inline nlohmann::json EstimateJson(const stats::Estimate& e) {
  return {{"estimate", Number(e.value)},
          {"std_error", Number(e.std_error)},
          {"ci", {Number(e.ci_low), Number(e.ci_high)}},
          {"p_value", Number(e.p_value)}};
}

/// A date as "YYYY[-MM[-DD]]", or null when empty.
inline nlohmann::json DateJson(const PartialDate& date) {
  return date.empty() ? nlohmann::json(nullptr) : nlohmann::json(date.ToString());
}

}  // namespace citydip::analytics::internal
