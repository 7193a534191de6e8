// The strategy model: a plan of strategies → actions → KPIs, as an international-relations office
// writes it in a TOML file (docs/strategy.md). A KPI is a declarative query over the registry (or a
// named analysis metric) with a target; the scorecard (scorecard.h) evaluates it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/taxonomy.h"

namespace citydip::analytics::strategy {

/// Where something was written in the strategy file (1-based; 0 when unknown), so that every
/// problem, including one found only against the registry, is reported as FILE:LINE:COL.
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// "FILE:LINE:COL" ("FILE" alone when the position is unknown).
[[nodiscard]] std::string FormatWhere(std::string_view file, SourcePos pos);

/// A name written in the file (a city, an organization, a mechanism, a metric) and where.
struct NameRef {
  std::string name;
  SourcePos pos;
};

/// What a KPI counts.
enum class Subject : std::uint8_t {
  kEvents,         // exchanges of the home city with partners in scope, dated in the window
  kMemberships,    // memberships active at the as-of date (of the home city by default)
  kOrganizations,  // organizations, with conditions on the home city's and partners' memberships
  kMechanisms,     // standing mechanisms between the home city and partners, active at as-of
  kRelations,      // partner relations of the home city with partners in scope
  kMetric,         // a named analysis metric supplied by the application (AnalysisInputs)
};

/// How the matching records become one number.
enum class Measure : std::uint8_t {
  kCount,     // number of matching records
  kShare,     // matching records over the records matching `among` (0..1)
  kRate,      // matching events per year of the window
  kTrend,     // least-squares slope of the yearly counts over the window (events per year²)
  kDistinct,  // number of distinct values of a field (`by`) among matching records
  kMetric,    // the value of the named metric
};

/// Which way is better.
enum class TargetDirection : std::uint8_t {
  kIncrease,  // met when value >= target
  kDecrease,  // met when value <= target
};

/// "events", "memberships", "organizations", "mechanisms", "relations", "metric".
[[nodiscard]] std::string_view SubjectName(Subject subject);
/// "count", "share", "rate", "trend", "distinct", "metric".
[[nodiscard]] std::string_view MeasureName(Measure measure);
/// "increase", "decrease".
[[nodiscard]] std::string_view DirectionName(TargetDirection direction);

/// Filters of a KPI. Within a key the listed values are alternatives (OR); keys combine with AND;
/// empty keys do not filter. Which keys apply depends on the subject (docs/strategy.md).
struct Filter {
  // Events.
  std::vector<EventType> types;
  std::vector<Framework> frameworks;
  std::vector<Mode> modes;
  std::vector<Level> levels;
  std::vector<Topic> topics;
  std::vector<Direction> directions;
  std::vector<StakeholderKind> stakeholders;
  std::vector<EventStatus> statuses;  // empty: held events only
  std::vector<NameRef> mechanisms;    // events: sessions of; mechanisms: these mechanisms
  // Events, memberships and organizations.
  std::vector<NameRef> organizations;
  // Every subject but metrics: narrows the plan's partner scope to these cities / countries.
  std::vector<NameRef> partners;
  std::vector<std::string> partner_countries;  // ISO3 codes
  // An explicit period instead of the rolling window (events; `to` also fixes the state date).
  PartialDate from;
  PartialDate to;
  // Memberships: whose memberships ("home", "partner" or city names; default "home").
  std::vector<NameRef> cities;
  std::vector<MembershipRole> roles;
  std::vector<OrgKind> org_kinds;  // memberships and organizations
  // Organizations: the home city holds an active membership with one of these roles ...
  std::vector<MembershipRole> home_roles;
  // ... and a partner in scope is (true) or is not (false) an active member.
  std::optional<bool> partner_member;
  // Relations.
  std::vector<RelationKind> relations;
  std::vector<RelationStatus> relation_statuses;  // empty: active relations only

  /// True when no key is set.
  [[nodiscard]] bool empty() const;
};

/// One key performance indicator.
struct Kpi {
  std::string id;
  std::string name_en;
  std::string name_ko;
  Subject subject = Subject::kEvents;
  Measure measure = Measure::kCount;
  Filter where;
  /// The denominator of a share (default: every record of the subject in scope).
  Filter among;
  /// The field counted by `distinct` (e.g. "partner", "topic", "stakeholder", "field").
  std::string by;
  /// The metric's name for `measure = "metric"`.
  NameRef metric;
  /// Rolling window in months ending at the as-of date; 0: all history; nullopt: the plan's.
  std::optional<int> window_months;
  double target = 0.0;
  TargetDirection direction = TargetDirection::kIncrease;
  /// The value progress is measured from (default 0 for increase; see docs/strategy.md).
  std::optional<double> baseline;
  double weight = 1.0;
  /// Progress at or above which a KPI not yet met is "on track" (default: the plan's).
  std::optional<double> on_track;
  std::string owner;
  std::string unit;
  std::string advice_en;
  std::string advice_ko;
  SourcePos pos;
};

/// One action of a strategy.
struct Action {
  std::string id;
  std::string name_en;
  std::string name_ko;
  double weight = 1.0;
  std::string owner;
  /// Kinds of analysis opportunities (AnalysisInputs::opportunities) that serve this action and
  /// become recommendations when it falls short, e.g. "invite".
  std::vector<NameRef> opportunities;
  std::string advice_en;
  std::string advice_ko;
  std::vector<Kpi> kpis;
  SourcePos pos;
};

/// One strategy of the plan.
struct Strategy {
  std::string id;
  std::string name_en;
  std::string name_ko;
  double weight = 1.0;
  std::vector<Action> actions;
  SourcePos pos;
};

/// A past downturn in national relations on which the scenario model is back-tested.
struct Episode {
  std::string name;
  std::string name_ko;
  PartialDate start;  // the first month of the episode
  std::vector<std::string> sources;
  SourcePos pos;
};

/// The [scenario] section: defaults of `citydip scenario` and `citydip watch`.
struct ScenarioSettings {
  /// The partner city of the scenario when the command does not name one.
  NameRef partner;
  /// Lags (months) of the national index in the count model; empty: chosen from the data.
  std::vector<int> lags;
  /// The index level, in standard deviations from its mean, below which `watch` warns.
  double warning_sd = -1.5;
  std::vector<Episode> episodes;
};

/// A whole strategy file.
struct StrategyPlan {
  /// The file name errors cite.
  std::string file;
  std::string name_en;
  std::string name_ko;
  NameRef home;
  /// The partner scope: these cities and every city of these countries (ISO3). Both empty: every
  /// partner of the home city.
  std::vector<NameRef> partners;
  std::vector<std::string> partner_countries;
  int window_months = 36;
  double on_track = 0.75;
  std::vector<Strategy> strategies;
  ScenarioSettings scenario;
};

/// Parses a strategy file's TOML text. `file` names it in errors. Every problem (TOML syntax, an
/// unknown key, a wrong type, an unknown vocabulary value, a filter that does not apply to the
/// KPI's subject, a missing required key, a duplicate id) is reported with FILE:LINE:COL, all of
/// them in one kInvalidData error (the first in `where`, the others listed in the message).
/// Names of cities, organizations, mechanisms and metrics are checked later against the registry
/// (ValidatePlan in scorecard.h).
[[nodiscard]] Result<StrategyPlan> ParseStrategyPlan(std::string_view toml_text,
                                                     std::string_view file);

/// Parses a window: "3y", "36m", "all" (0). Nullopt for anything else.
[[nodiscard]] std::optional<int> ParseWindow(std::string_view text);
/// "3y", "18m", "all".
[[nodiscard]] std::string FormatWindow(int months);

}  // namespace citydip::analytics::strategy
