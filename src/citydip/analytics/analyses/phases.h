// Analysis 2, phases: segments the relation's years into exchange & cooperation,
// institutionalization and city diplomacy from yearly indicators, by change-point detection (PELT,
// BIC penalty) on the Anscombe-transformed indicator counts; every boundary is explained by the
// indicators that moved.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/stats/change_points.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// The three phases of a city-diplomacy relation (and the three yearly indicators).
enum class Phase : std::uint8_t {
  kExchangeCooperation,   // one-off exchanges, courtesy calls, tourism, ceremonies
  kInstitutionalization,  // agreements, standing mechanisms, recurring sessions
  kCityDiplomacy,         // multilateral activity, agenda forums, network work
};
inline constexpr int kPhaseCount = 3;

/// "exchange_cooperation", "institutionalization" or "city_diplomacy".
[[nodiscard]] std::string_view PhaseName(Phase phase);

/// The indicator an event feeds: city diplomacy for forums and multilateral meetings;
/// institutionalization for agreements, committee meetings and sessions of a mechanism; exchange &
/// cooperation for courtesy calls, cultural, youth and academic exchanges, tourism promotion and
/// visits, whatever their framework; the remaining types (economic missions, online meetings,
/// other) count as city diplomacy when multilateral (framework not bilateral, or an organization
/// named), else as exchange & cooperation.
[[nodiscard]] Phase IndicatorOf(const Event& event);

/// Options of `citydip analyze phases`.
struct PhasesOptions {
  Scope scope;  // the series is always yearly
  stats::ChangePointMethod method = stats::ChangePointMethod::kPelt;
  /// Penalty per change; nullopt: BIC, (3 + 1) log n.
  std::optional<double> penalty;
  int min_segment_years = 2;
  /// An indicator "moved" at a boundary when its Anscombe-scale mean changed by at least this
  /// much (1 ≈ one Poisson standard deviation).
  double moved_threshold = 1.0;
};

/// One indicator's change at a boundary (yearly means, raw counts).
struct IndicatorMove {
  Phase indicator = Phase::kExchangeCooperation;
  double before = 0.0;
  double after = 0.0;
  double change_anscombe = 0.0;  // difference of the transformed means
  bool moved = false;
};

/// A detected change point and the indicators that moved there.
struct PhaseBoundary {
  int year = 0;                      // the first year of the new segment
  bool phase_change = false;         // false when both sides got the same phase name
  std::vector<IndicatorMove> moves;  // the largest |change| first
  std::string explanation;
};

/// A run of years with one phase name, and why it got that name.
struct PhaseSpan {
  Phase phase = Phase::kExchangeCooperation;
  int from = 0;                                     // first year
  int to = 0;                                       // last year
  std::array<double, kPhaseCount> mean_per_year{};  // indicator means over the span
  std::array<double, kPhaseCount> score{};          // share in span / share overall, per indicator
  /// Best score / second-best score; a name with a margin below 1.1 is `weak` (the span's mix is
  /// close to the relation's overall mix, so the name says little).
  double margin = 0.0;
  bool weak = false;
  bool quiet = false;                 // no documented event in the span
  std::vector<std::string> evidence;  // event keys and "mechanism:NAME"
};

/// The yearly indicators, the phases and their boundaries.
struct PhasesResult {
  int first_year = 0;
  int last_year = 0;
  /// Per year, the count per indicator (mechanism foundings count for institutionalization).
  std::vector<std::array<double, kPhaseCount>> indicators;
  std::vector<PhaseSpan> phases;
  std::vector<PhaseBoundary> boundaries;
  stats::ChangePointResult detection;
};

/// Runs the phases analysis. Fails on an invalid scope, when neither the range nor any event or
/// mechanism places the years, or when there are fewer years than `min_segment_years`.
[[nodiscard]] Result<PhasesResult> AnalyzePhases(const Registry& registry,
                                                 const PhasesOptions& options);

/// JSON: `phases`: [{`name`, `from`, `to`, `evidence`: {events, indicators, score}}],
/// `boundaries`, `indicators` (per year), `method`, `penalty`.
[[nodiscard]] nlohmann::json ToJson(const PhasesResult& result);

}  // namespace citydip::analytics
