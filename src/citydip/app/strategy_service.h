// Strategy use cases: score a strategy file against the registry (`citydip strategy score`), rank
// next steps (`strategy recommend`), simulate a downturn in national relations (`scenario`) and
// check the latest national index against a warning threshold (`watch`). Reads the strategy file
// and the national index, loads the registry, computes the analysis metrics the plan reads, and
// calls the pure strategy engine (analytics/strategy). Docs: docs/strategy.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/strategy/model.h"
#include "citydip/analytics/strategy/scenario.h"
#include "citydip/analytics/strategy/scorecard.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::app {

/// The shipped datasets' folder: $CITYDIP_DATA_DIR when set, else ./data.
[[nodiscard]] std::string DataDirectory();
/// The default strategy file: DataDirectory()/strategy/seoul-china.toml.
[[nodiscard]] std::string DefaultStrategyPath();

/// Reads and parses a strategy file (kNotFound when it cannot be read; kInvalidData with
/// FILE:LINE:COL for a malformed one).
[[nodiscard]] Result<analytics::strategy::StrategyPlan> LoadStrategyPlan(const std::string& path);

/// The metric names the application computes for KPIs with measure = "metric", with what each
/// means (docs/strategy.md lists them).
struct MetricInfo {
  std::string name;
  std::string description;
};
[[nodiscard]] const std::vector<MetricInfo>& StrategyMetrics();

struct StrategyRequest {
  /// Empty: DefaultStrategyPath().
  std::string strategy_path;
  /// The national index (`period,value` CSV) for the national.index_z metric. Empty: the only CSV
  /// in DataDirectory()/national-index/, if there is exactly one; else the metric has no data.
  std::string index_path;
  /// Empty: today.
  PartialDate as_of;
  std::size_t max_evidence = 5;
  /// recommend: at most this many (0: all).
  std::size_t limit = 0;
};

struct StrategyReport {
  std::string strategy_path;
  std::string index_path;  // "" when none was used
  analytics::strategy::Scorecard scorecard;
  std::vector<analytics::strategy::Recommendation> recommendations;  // recommend only
};

/// Scores the plan at the as-of date over the registry in `store`.
[[nodiscard]] Result<StrategyReport> ScoreStrategy(storage::Store& store,
                                                   const StrategyRequest& request);
/// Scores the plan and ranks the next steps.
[[nodiscard]] Result<StrategyReport> RecommendStrategy(storage::Store& store,
                                                       const StrategyRequest& request);

struct ScenarioRequest {
  std::string strategy_path;  // for the defaults (home, partner, lags, episodes); empty: default
  std::string home;           // empty: the plan's home city
  std::string partner;        // empty: the plan's [scenario] partner
  std::string index_path;     // empty: as StrategyRequest::index_path (required here)
  double shock_sd = -2.0;
  int months = 12;
  std::vector<int> lags;  // empty: the plan's, else the barometer's, else by AIC
  analytics::strategy::CountFamily family = analytics::strategy::CountFamily::kAuto;
  int simulations = 4000;
  std::uint64_t seed = 20240601;
  double interval_level = 0.9;
  PartialDate as_of;  // empty: today; activity is counted up to the last complete month
};

struct ScenarioReport {
  City home;
  City partner;
  std::string strategy_path;
  std::string index_path;
  /// The barometer's reading of the lag, when it was consulted.
  std::optional<int> barometer_lag;
  std::string barometer_note;
  std::vector<analytics::strategy::Episode> episodes;
  /// The first month of the activity series (the home city's first recorded event).
  int activity_first_ordinal = 0;
  analytics::strategy::ScenarioResult result;
};

/// Fits and simulates the scenario model for the home city's activity with the partner.
[[nodiscard]] Result<ScenarioReport> RunScenarioModel(storage::Store& store,
                                                      const ScenarioRequest& request);

struct WatchRequest {
  std::string strategy_path;  // for the default threshold
  std::string index_path;
  std::optional<double> threshold_sd;  // empty: the plan's [scenario] warning_sd
};

struct WatchReport {
  std::string index_path;
  analytics::strategy::WatchResult result;
};

/// Compares the latest national index value with the warning threshold.
[[nodiscard]] Result<WatchReport> WatchNationalIndex(const WatchRequest& request);

// JSON forms (documented in docs/strategy.md).
[[nodiscard]] nlohmann::json ScorecardToJson(const StrategyReport& report);
[[nodiscard]] nlohmann::json RecommendationsToJson(const StrategyReport& report);
[[nodiscard]] nlohmann::json ToJson(const ScenarioReport& report);
[[nodiscard]] nlohmann::json ToJson(const WatchReport& report);

}  // namespace citydip::app
