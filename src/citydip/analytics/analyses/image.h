// Analysis 7, image: media tone in both directions between the home and the partner country
// (e.g. KOR→CHN and CHN→KOR) and between the two cities where the GDELT city-actor dictionary
// finds them, from the GDELT barometer tables; and the asymmetry between the directions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/stats/its.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// Options of `citydip analyze image`.
struct ImageOptions {
  std::string home_country;     // CAMEO/ISO3 code, e.g. KOR
  std::string partner_country;  // e.g. CHN
  /// City ids of the city-actor dictionary (e.g. "seoul", "beijing"); empty: no city pair.
  std::string home_city;
  std::string partner_city;
  Granularity period = Granularity::kMonth;
  DateRange range;
  /// HAC lag for the mean asymmetry; nullopt: floor(4 (n/100)^(2/9)).
  std::optional<int> hac_lags;
};

/// Mean tone per period in one direction (Σ tone / Σ events).
struct ToneSeries {
  std::vector<std::string> periods;
  std::vector<double> tone;
  std::vector<double> events;
  double mean = 0.0;  // event-weighted over all periods; NaN without events
  double total_events = 0.0;
};

/// Home→partner minus partner→home tone over the periods both directions have.
struct Asymmetry {
  std::vector<std::string> periods;
  std::vector<double> difference;
  std::optional<stats::Estimate> mean;  // mean difference with a HAC interval; nullopt if < 3
  double correlation = 0.0;             // of the two directions' tone; NaN when undefined
};

/// Tone in both directions between two actors (countries or cities).
struct PairImage {
  std::string home;
  std::string partner;
  ToneSeries home_to_partner;
  ToneSeries partner_to_home;
  Asymmetry asymmetry;
  std::vector<std::string> evidence;  // "gdelt:PERIOD:A1>A2" rows used
};

/// The country pair and, when found, the city pair.
struct ImageResult {
  Granularity granularity = Granularity::kMonth;
  PairImage countries;
  std::optional<PairImage> cities;  // nullopt without city ids or without city rows
};

/// Runs the analysis over `rows` (the barometer tables). Fails when a country code is empty,
/// when a row's period does not parse or is coarser than the requested period, or when there is
/// no row for the country pair in either direction.
[[nodiscard]] Result<ImageResult> AnalyzeImage(const std::vector<PairAggregate>& rows,
                                               const ImageOptions& options);

/// JSON: `countries` and `cities` (or null), each {home, partner, home_to_partner: {mean,
/// events, periods: [{period, tone, events}]}, partner_to_home, asymmetry: {mean: {estimate,
/// std_error, ci, p_value}, correlation, by_period}, evidence}.
[[nodiscard]] nlohmann::json ToJson(const ImageResult& result);

}  // namespace citydip::analytics
