// Analysis 1, visits: which of the home city's officials (by default its mayors) visited the
// partner while in office, as the events and sourced claims show; the partners' visits in return;
// and the gaps between visits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/common.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// Options of `citydip analyze visits` (`--exclude-acting`).
struct VisitsOptions {
  Scope scope;  // the period granularity is not used
  /// The office whose holders are counted (Official::office, case-insensitive).
  std::string office = "mayor";
  /// Drop acting officials (`--exclude-acting`).
  bool exclude_acting = false;
  /// The event types that count as a visit when outbound at level mayor.
  std::vector<EventType> visit_types = {
      EventType::kLeaderVisit, EventType::kAgreement,           EventType::kCommitteeMeeting,
      EventType::kForum,       EventType::kMultilateralMeeting, EventType::kDelegationVisit};
  /// Visit events at most this many days apart form one trip.
  int trip_gap_days = 7;
};

/// What the records say about one official.
enum class VisitStatus : std::uint8_t {
  kVisited,     // an outbound visit event in the term, or a sourced "yes" claim
  kNotVisited,  // a sourced "no" claim and no visit event
  kUnknown,     // nothing either way
};

/// "visited", "not_visited" or "unknown".
[[nodiscard]] std::string_view VisitStatusName(VisitStatus status);

/// One official and what the records say about their visits.
struct OfficialVisits {
  std::string name;
  PartialDate term_start;
  PartialDate term_end;
  bool acting = false;
  VisitStatus status = VisitStatus::kUnknown;
  /// "events", "claim", "events+claim" (visited); "claim" (not visited); "" (unknown).
  std::string basis;
  std::vector<std::string> visit_events;    // outbound visit events in the term
  std::vector<std::string> partial_events;  // of those, events whose date only partly overlaps
  std::vector<std::string> claim_sources;   // sources of the claim that decided or agreed
  /// A sourced claim contradicts the events (a "no" claim with a visit event, or a "yes" claim
  /// that no event confirms is NOT a conflict: events may be missing).
  bool conflict = false;
  std::vector<std::string> inbound_events;  // partner leaders' visits during the term
};

/// Visit events on consecutive days (up to trip_gap_days apart) form one trip.
struct Trip {
  PartialDate start;
  PartialDate end;
  std::vector<std::string> events;
};

/// Counts, rates, per-official detail, trips, reciprocity and gaps.
struct VisitsResult {
  int officials = 0;
  int visited = 0;
  int not_visited = 0;
  int unknown = 0;
  double rate_confirmed = 0.0;  // visited / officials; NaN without officials
  double rate_lower = 0.0;      // visited / officials
  double rate_upper = 0.0;      // (visited + unknown) / officials
  std::vector<OfficialVisits> per_official;
  std::vector<std::string> excluded_acting;  // names dropped by exclude_acting
  std::vector<Trip> outbound_trips;
  std::vector<Trip> inbound_trips;
  /// Days between the starts of consecutive outbound trips.
  std::vector<double> gaps_days;
  double gap_mean_days = 0.0;    // NaN with fewer than 2 trips
  double gap_median_days = 0.0;  // NaN with fewer than 2 trips
  double gap_max_days = 0.0;     // NaN with fewer than 2 trips
};

/// Runs the visits analysis. Fails on an invalid scope (see ValidateScope), an empty office or a
/// negative trip gap.
[[nodiscard]] Result<VisitsResult> AnalyzeVisits(const Registry& registry,
                                                 const VisitsOptions& options);

/// JSON with the keys `officials`, `visited`, `not_visited`, `unknown`, `rate_confirmed`,
/// `rate_bounds` [lower, upper], `per_official`, `reciprocity`, `gaps`, `excluded_acting`.
[[nodiscard]] nlohmann::json ToJson(const VisitsResult& result);

}  // namespace citydip::analytics
