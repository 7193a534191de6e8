// The scorecard: every KPI of a strategy plan evaluated at an as-of date over a registry and the
// analysis metrics the application supplies, with status, trend and evidence, and weighted scores
// per action, strategy and plan (method in docs/strategy.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/analytics/strategy/model.h"
#include "citydip/core/date.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics::strategy {

/// A record or finding behind a KPI value, cited in the scorecard.
struct Evidence {
  /// "event", "membership", "organization", "mechanism", "relation" or "metric".
  std::string kind;
  RecordId id = 0;
  std::string ref;   // an event's file id, when it has one
  std::string date;  // as precise as known
  std::string text_en;
  std::string text_ko;
  std::vector<std::string> sources;
};

/// A named metric computed by an analysis. The application computes metrics (analytics stays
/// free of I/O and of the store); a KPI with measure = "metric" reads one by name.
struct MetricValue {
  /// Nullopt: a metric the application knows but cannot compute now (`note` says why).
  std::optional<double> value;
  /// The same metric one period earlier, when known (for the trend).
  std::optional<double> previous;
  std::string note;
  std::vector<Evidence> evidence;
};

/// An opening for action that an analysis found, e.g. a network the home city presides that a
/// partner has not joined ("invite"). Actions list the kinds that serve them.
struct Opportunity {
  std::string kind;
  CityRef partner;
  std::string organization;
  std::string text_en;
  std::string text_ko;
};

/// What the application supplies besides the registry.
struct AnalysisInputs {
  /// Every metric the application knows, by name (a KPI naming another is an error).
  std::map<std::string, MetricValue> metrics;
  /// The opportunity kinds the application can produce (an action naming another is an error).
  std::vector<std::string> opportunity_kinds;
  std::vector<Opportunity> opportunities;
};

/// Where a KPI, action or strategy stands.
enum class KpiStatus : std::uint8_t { kMet, kOnTrack, kBehind, kNoData };
/// "met", "on_track", "behind", "no_data".
[[nodiscard]] std::string_view KpiStatusName(KpiStatus status);
/// "met", "on track", "behind", "no data" and Korean labels.
[[nodiscard]] std::string_view KpiStatusLabel(KpiStatus status, bool korean = false);

/// The change against the previous period of the same length.
enum class Trend : std::uint8_t { kUp, kDown, kFlat, kUnknown };
/// "up", "down", "flat", "unknown".
[[nodiscard]] std::string_view TrendName(Trend trend);

/// A KPI value for people: a share as a percentage ("25%"), a count as an integer, a rate or
/// trend with one decimal ("1.3/yr", "+0.5/yr²"), a metric with up to 3 decimals; then the unit.
[[nodiscard]] std::string FormatValue(Measure measure, double value, std::string_view unit = {});

/// An English and a Korean name.
struct Label {
  std::string en;
  std::string ko;

  friend bool operator==(const Label&, const Label&) = default;
};

struct KpiResult {
  std::string id;
  std::string name_en;
  std::string name_ko;
  Subject subject = Subject::kEvents;
  Measure measure = Measure::kCount;
  /// Nullopt when there is no data (`note` says why).
  std::optional<double> value;
  std::optional<double> previous;
  double target = 0.0;
  TargetDirection direction = TargetDirection::kIncrease;
  /// Progress toward the target, clipped to 0..1 (nullopt without data).
  std::optional<double> progress;
  KpiStatus status = KpiStatus::kNoData;
  Trend trend = Trend::kUnknown;
  double weight = 1.0;
  std::string owner;
  std::string unit;
  /// The period evaluated: events dated from..to; state subjects as at `to`. `from` is empty for
  /// all history and for state subjects.
  PartialDate from;
  PartialDate to;
  std::string note;
  /// The latest matching records (at most ScoreOptions::max_evidence) and how many matched.
  std::vector<Evidence> evidence;
  std::size_t evidence_total = 0;
  /// Who and where to act, for recommendations: partners with least activity of this kind, and
  /// organizations or mechanisms that could host it (or, for organization KPIs, the networks a
  /// partner has not joined).
  std::vector<Label> gap_partners;
  std::vector<std::string> gap_organizations;
  /// The KPI's shortfall weighted by its share of the plan, in points of 100 (docs/strategy.md).
  double gap = 0.0;
};

struct ActionResult {
  std::string id;
  std::string name_en;
  std::string name_ko;
  double weight = 1.0;
  std::string owner;
  /// Weighted mean of the KPIs' progress with data, 0..100; nullopt when no KPI has data.
  std::optional<double> score;
  KpiStatus status = KpiStatus::kNoData;
  std::vector<KpiResult> kpis;
  /// The KPIs' evidence, latest first, without duplicates, at most ScoreOptions::max_evidence.
  std::vector<Evidence> evidence;
  double gap = 0.0;
};

struct StrategyResult {
  std::string id;
  std::string name_en;
  std::string name_ko;
  double weight = 1.0;
  std::optional<double> score;
  KpiStatus status = KpiStatus::kNoData;
  std::vector<ActionResult> actions;
  double gap = 0.0;
};

struct Scorecard {
  std::string name_en;
  std::string name_ko;
  Label home;
  PartialDate as_of;
  std::optional<double> score;
  KpiStatus status = KpiStatus::kNoData;
  std::vector<StrategyResult> strategies;
};

struct ScoreOptions {
  /// The evaluation date (day precision); a coarser date means its last day.
  PartialDate as_of;
  /// Evidence items kept per KPI and per action.
  std::size_t max_evidence = 5;
};

/// Checks every name of the plan against the registry and the inputs: the home city, partner
/// cities, organizations (name or acronym), mechanisms (English or Korean name), metric names and
/// opportunity kinds. All problems in one kInvalidData error, each as FILE:LINE:COL.
[[nodiscard]] Status ValidatePlan(const StrategyPlan& plan,
                                  const Registry& registry,
                                  const AnalysisInputs& inputs);

/// Validates the plan (ValidatePlan) and evaluates it at options.as_of. kInvalidArgument for an
/// empty as-of date.
[[nodiscard]] Result<Scorecard> ScorePlan(const StrategyPlan& plan,
                                          const Registry& registry,
                                          const AnalysisInputs& inputs,
                                          const ScoreOptions& options);

/// A next step, ranked by the weighted gap of what it addresses.
struct Recommendation {
  std::string strategy;  // ids
  std::string action;
  std::string kpi;  // empty for an opportunity that serves the action as a whole
  /// "raise", "lower", "record" (no data yet) or the opportunity's kind.
  std::string kind;
  std::string text_en;
  std::string text_ko;
  std::vector<Label> partners;
  std::vector<std::string> organizations;
  double gap = 0.0;
};

/// Next steps for every KPI not met and for the (at most 3, in the inputs' order) opportunities
/// serving each action not met, ranked by weighted gap (largest first; ties keep plan order). A
/// KPI's gap is its own; an action's opportunities share the action's gap equally. At most
/// `limit` (0: all).
[[nodiscard]] std::vector<Recommendation> Recommend(const StrategyPlan& plan,
                                                    const Scorecard& scorecard,
                                                    const Registry& registry,
                                                    const AnalysisInputs& inputs,
                                                    std::size_t limit = 0);

}  // namespace citydip::analytics::strategy
