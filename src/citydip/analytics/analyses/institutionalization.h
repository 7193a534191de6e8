// Analysis 3, institutionalization: per standing mechanism, its sessions (held, postponed,
// cancelled), their regularity, continuity across changes of mayor and fields covered; and an
// interrupted time series of the relation's activity around the mechanism's founding.
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

/// Options of `citydip analyze institutionalization` (`--break DATE`).
struct InstitutionalizationOptions {
  Scope scope;
  /// The ITS break (`--break DATE`); nullopt: the founding of the earliest mechanism in scope.
  std::optional<PartialDate> break_date;
  stats::ItsOptions its;
  /// Whose changes in office test a mechanism's continuity.
  std::string office = "mayor";
};

/// Sessions of a mechanism during one office holder's term.
struct HolderSessions {
  std::string name;
  int sessions = 0;
};

/// A change of office holder while the mechanism existed, and whether a held session followed.
struct Succession {
  std::string holder;  // the new holder
  PartialDate date;    // their term start
  bool survived = false;
};

/// What the records say about one standing mechanism.
struct MechanismReport {
  std::string name;
  PartialDate founded;
  PartialDate ended;
  std::vector<std::string> cities;
  int held = 0;
  int planned = 0;
  int postponed = 0;
  int cancelled = 0;
  std::vector<std::string> session_events;  // every session, any status
  std::vector<double> intervals_days;       // between consecutive held sessions
  double interval_mean_days = 0.0;          // NaN with fewer than 2 held sessions
  double interval_cv = 0.0;                 // sample sd / mean; NaN with fewer than 3
  std::vector<HolderSessions> by_holder;    // holders in office while the mechanism existed
  /// Successions after the founding up to the end of observation (the mechanism's end, else the
  /// range's end, else the home city's last recorded event).
  std::vector<Succession> successions;
  int holder_changes = 0;
  int changes_survived = 0;         // successions followed by a held session
  std::vector<std::string> fields;  // declared fields and the topics of its sessions
};

/// The interrupted time series of the relation's activity.
struct ItsReport {
  std::string break_period;  // label of the first period after the break
  std::string basis;         // "--break 2013-04" or "founding of MECHANISM (2013-04-21)"
  std::vector<std::string> periods;
  std::vector<double> activity;
  std::optional<stats::ItsResult> fit;  // nullopt when not estimable
  std::string unavailable;              // why not, when fit is nullopt
  std::vector<std::string> evidence;    // the events counted
};

/// Every mechanism in scope and the interrupted time series.
struct InstitutionalizationResult {
  std::vector<MechanismReport> mechanisms;
  std::optional<ItsReport> its;  // nullopt without a break (no --break, no dated mechanism)
};

/// Runs the analysis. Fails on an invalid scope or an empty break date; an ITS that cannot be
/// estimated (too few periods around the break) is reported in `its.unavailable`, not as an error.
[[nodiscard]] Result<InstitutionalizationResult> AnalyzeInstitutionalization(
    const Registry& registry, const InstitutionalizationOptions& options);

/// JSON: `mechanisms` [{name, founded, sessions: {held, planned, postponed, cancelled, events},
/// intervals: {days, mean_days, cv}, continuity: {by_holder, successions, holder_changes,
/// changes_survived}, fields}], `its`: {break, basis, periods, activity, `level_change`,
/// `slope_change` (each {estimate, std_error, ci: [low, high], p_value}), pre_slope, hac_lags,
/// evidence} or null.
[[nodiscard]] nlohmann::json ToJson(const InstitutionalizationResult& result);

}  // namespace citydip::analytics
