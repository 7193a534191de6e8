// Analysis 5, shocks: how far the city's activity with the partner fell during a national-level
// shock (built in: THAAD 2016-07..2017-10 and COVID-19 2020-01..2022-12; user-defined; or detected
// in the national index), how long it took to recover, how much activity the index "explains"
// (the insulation counterfactual), and whether institutionalized partners held up better.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/stats/its.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// A shock episode: a named span of time.
struct Episode {
  std::string name;
  PartialDate from;
  PartialDate to;
  std::string origin;  // "built-in", "user" or "detected"
};

/// THAAD (2016-07..2017-10) and COVID-19 (2020-01..2022-12).
[[nodiscard]] std::vector<Episode> BuiltInEpisodes();

/// Detection in the national index: runs of at least `min_periods` periods where the index lies
/// more than `k_sigma` standard deviations below (or, with `below` false, above) its mean over the
/// whole series.
struct ShockDetection {
  double k_sigma = 1.0;
  int min_periods = 3;
  bool below = true;
};

/// The episodes detected in `index`. Fails when k_sigma <= 0, min_periods < 1 or the index is
/// constant.
[[nodiscard]] Result<std::vector<Episode>> DetectEpisodes(const AlignedIndex& index,
                                                          const ShockDetection& detection);

/// Options of `citydip analyze shocks`.
struct ShocksOptions {
  Scope scope;
  bool builtin = true;                   // include BuiltInEpisodes()
  std::vector<Episode> episodes;         // user-defined
  std::optional<ShockDetection> detect;  // needs an index
  /// Pre-episode periods whose mean is the baseline; nullopt: 3 years (36 months, 12 quarters).
  std::optional<int> baseline_periods;
  /// Activity counts as recovered when a full smoothing window after the onset averages at
  /// least this share of the baseline.
  double recovery_share = 1.0;
  /// Smoothing window for recovery; nullopt: 12 months, 4 quarters or 1 year.
  std::optional<int> smoothing_periods;
};

/// Activity of a group of partner cities before and during an episode.
struct GroupImpact {
  std::vector<std::string> partners;
  double baseline_mean = 0.0;
  double episode_mean = 0.0;
  double depth = 0.0;  // 1 − episode / baseline; NaN when the baseline is 0
};

/// Activity expected had the national index stayed at its pre-episode level, from a Poisson GLM
/// of activity on a linear trend and the standardized index fitted over all common periods.
struct Counterfactual {
  double observed = 0.0;              // Σ activity in the episode
  double expected_given_index = 0.0;  // Σ fitted values with the actual index
  double expected_at_baseline = 0.0;  // Σ fitted values with the index held at baseline
  double insulation = 0.0;            // observed / expected_at_baseline
  double baseline_index = 0.0;        // mean index over the baseline window (raw units)
  stats::Estimate index_effect;       // log rate ratio per standard deviation of the index
};

/// What happened to the activity during one episode.
struct EpisodeReport {
  Episode episode;
  std::string from_period;
  std::string to_period;
  int periods = 0;         // episode periods inside the data
  bool truncated = false;  // the data end (or start) inside the episode
  int baseline_periods = 0;
  double baseline_mean = 0.0;
  double episode_mean = 0.0;
  double depth = 0.0;  // 1 − episode / baseline; NaN when the baseline is 0
  double trough = 0.0;
  std::string trough_period;
  std::optional<int> recovery_periods;  // from the onset; 0 when there was no drop
  std::string recovered_in;             // the period recovery was reached
  std::optional<Counterfactual> counterfactual;
  std::string counterfactual_unavailable;
  GroupImpact institutionalized;  // partners sharing a mechanism with home before the onset
  GroupImpact others;
  std::vector<std::string> evidence;  // events in the baseline and the episode
  std::string unavailable;            // set when the episode lies outside the data
};

/// The activity series and one report per episode.
struct ShocksResult {
  Granularity granularity = Granularity::kYear;
  std::vector<std::string> periods;
  std::vector<double> activity;
  std::vector<EpisodeReport> episodes;
};

/// Runs the analysis; `index` may be empty (no counterfactual, no detection). Fails on an invalid
/// scope, a malformed user episode (empty or inverted dates), detection without an index, bad
/// options, or an index AlignIndex rejects.
[[nodiscard]] Result<ShocksResult> AnalyzeShocks(const Registry& registry,
                                                 const IndexSeries& index,
                                                 const ShocksOptions& options);

/// JSON: `episodes` [{name, origin, from, to, periods, baseline: {periods, mean}, during: {mean,
/// trough, trough_period}, depth, recovery: {periods, recovered_in}, counterfactual: {observed,
/// expected_given_index, expected_at_baseline, insulation, baseline_index, index_effect} | null,
/// comparison: {institutionalized, others}, evidence}], `series` {periods, activity}.
[[nodiscard]] nlohmann::json ToJson(const ShocksResult& result);

}  // namespace citydip::analytics
