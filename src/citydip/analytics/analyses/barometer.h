// Analysis 4, barometer: does the city's activity with the partner follow the national relations
// index? Cross-correlation at leads and lags with white-noise bands, Granger causality both ways
// (F tests, lag order by AIC), rolling correlation, and a plain-language verdict.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/stats/correlation.h"
#include "citydip/analytics/stats/granger.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// Options of `citydip analyze barometer`.
struct BarometerOptions {
  Scope scope;  // `period` sets the common granularity (the index is averaged into it)
  /// Event weights by type (`--weights`); types not listed weigh 1. Empty: plain counts.
  std::map<EventType, double> type_weights;
  /// Largest lead/lag of the cross-correlation; nullopt: 12 months, 4 quarters or 3 years, at
  /// most a quarter of the series.
  std::optional<int> max_lag;
  /// Largest lag order tried by AIC for Granger; nullopt: the same as max_lag, at most what the
  /// series length allows.
  std::optional<int> granger_max_lag;
  /// Rolling-correlation window; nullopt: 24 months, 8 quarters or 5 years.
  std::optional<int> rolling_window;
  /// Correlate first differences instead of levels (removes common trends).
  bool difference = false;
  double alpha = 0.05;
  /// What the index is, for the JSON ("GDELT China-Korea friction events, monthly").
  std::string index_name;
};

/// How city activity relates to the national index.
enum class Verdict : std::uint8_t { kLeads, kLags, kMovesWith, kNoRelation };

/// "leads", "lags", "moves_with" or "no_relation".
[[nodiscard]] std::string_view VerdictName(Verdict verdict);

/// One direction of the Granger test, or why it could not be run.
struct GrangerDirection {
  std::optional<stats::GrangerResult> result;
  std::string unavailable;  // why not, when result is nullopt
};

/// The aligned series, lead/lag, Granger tests, rolling correlation and verdict.
struct BarometerResult {
  Granularity granularity = Granularity::kMonth;
  std::vector<std::string> periods;  // the common periods
  std::vector<double> city;          // activity per period
  std::vector<double> national;      // index per period
  bool differenced = false;
  stats::CrossCorrelationResult ccf;  // lag > 0: the city follows the index
  /// The band the verdict uses: Bonferroni-corrected over the 2k + 1 lags looked at, so that
  /// "some lag crossed ±1.96/√n" by chance alone does not make a relation.
  double verdict_band = 0.0;
  GrangerDirection national_to_city;
  GrangerDirection city_to_national;
  int rolling_window = 0;
  std::vector<double> rolling;  // aligned with `periods`; NaN where undefined
  Verdict verdict = Verdict::kNoRelation;
  std::string verdict_text;
  std::string index_name;
  std::vector<std::string> evidence;  // events counted
};

/// Runs the barometer. Fails on an invalid scope, an index that AlignIndex rejects, fewer than 8
/// common periods, a city series that is constant (e.g. no event in the window), or bad options.
[[nodiscard]] Result<BarometerResult> AnalyzeBarometer(const Registry& registry,
                                                       const IndexSeries& index,
                                                       const BarometerOptions& options);

/// JSON: `lead_lag` {best_lag, correlation, significant, band, lags: [{lag, correlation,
/// significant}]}, `granger` {national_to_city: {p_value, f, lag, ...}, city_to_national},
/// `rolling` {window, values}, `verdict`, `verdict_text`, `series` {periods, city, national},
/// `evidence`.
[[nodiscard]] nlohmann::json ToJson(const BarometerResult& result);

}  // namespace citydip::analytics
