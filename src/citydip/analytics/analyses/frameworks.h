// Analysis 6, frameworks / agenda / governance / modality: how the relation's events split, period
// by period, into bilateral, multilateral and bilateral-within-multilateral frameworks; into
// topics and problem-solving versus relationship-building purposes; into levels of government
// and society (vertical vs horizontal); and into offline, online and blended modes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/common.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// What an event is for.
enum class Purpose : std::uint8_t {
  kProblemSolving,        // policy cooperation, joint projects, agenda forums
  kRelationshipBuilding,  // courtesy calls, ceremonies, tourism promotion
  kOther,                 // visits as such, academic exchanges, unclassified
};

/// "problem_solving", "relationship_building" or "other".
[[nodiscard]] std::string_view PurposeName(Purpose purpose);

/// Problem solving: committee meetings, forums, multilateral meetings, economic missions, online
/// meetings, and agreements on a policy topic (economy, environment, smart city, transport, health,
/// governance, education). Relationship building: courtesy calls, cultural exchanges, tourism
/// promotion, youth exchanges, and other agreements (e.g. a sister-city ceremony on culture).
/// Other: leader and delegation visits (their content is recorded as separate typed events),
/// academic exchanges and "other".
[[nodiscard]] Purpose ClassifyPurpose(const Event& event);

/// Vertical: central government takes part (as level or stakeholder). An event can be vertical,
/// horizontal, both or neither.
[[nodiscard]] bool IsVertical(const Event& event);
/// Horizontal: bodies other than the city executive take part (council, departments, agencies,
/// business, civil society, media, academia; as level or stakeholder).
[[nodiscard]] bool IsHorizontal(const Event& event);

/// Counts per period and category. An event with several topics counts once in each.
struct Breakdown {
  std::vector<std::string> categories;
  std::vector<std::vector<double>> counts;         // period × category
  std::vector<double> totals;                      // per category over all periods
  std::vector<std::vector<std::string>> evidence;  // per category: event keys
};

/// The breakdowns of `citydip analyze frameworks|agenda|governance|modality`.
struct FrameworksResult {
  Granularity granularity = Granularity::kYear;
  std::vector<std::string> periods;
  std::vector<double> events;  // events per period
  Breakdown frameworks;        // bilateral, multilateral, bilateral_within_multilateral
  Breakdown topics;            // the topic codes
  Breakdown purposes;          // problem_solving, relationship_building, other
  Breakdown levels;            // the level codes and "unknown"
  Breakdown axes;              // vertical, horizontal
  Breakdown modes;             // offline, online, blended
};

/// Runs the analysis over the scope's periods. Fails on an invalid scope. With no events, the
/// result has no periods.
[[nodiscard]] Result<FrameworksResult> AnalyzeFrameworks(const Registry& registry,
                                                         const Scope& scope);

/// JSON: `frameworks`, `agenda` {topics, purposes, problem_solving_ratio},
/// `governance` {levels, vertical_share, horizontal_share}, `modality`; each breakdown is
/// {categories, periods: [{period, total, counts: {...}, shares: {...}}], overall: {counts,
/// shares}, evidence: {category: [keys]}}.
[[nodiscard]] nlohmann::json ToJson(const FrameworksResult& result);

}  // namespace citydip::analytics
