#include "citydip/analytics/analyses/institutionalization.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/analytics/analyses/internal/mechanisms.h"
#include "citydip/analytics/stats/summary.h"
#include "citydip/core/taxonomy.h"

namespace citydip::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string CityLabel(const CityRef& c) {
  return c.country.empty() ? c.name : c.name + " (" + c.country + ")";
}

void AddUnique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(std::move(value));
  }
}

MechanismReport ReportMechanism(const Registry& registry,
                                const Mechanism& m,
                                const InstitutionalizationOptions& options) {
  const Scope& scope = options.scope;
  MechanismReport r;
  r.name = m.name_en;
  r.founded = m.founded;
  r.ended = m.ended;
  for (const auto& c : m.cities) {
    r.cities.push_back(CityLabel(c));
  }
  for (const auto& f : m.fields) {
    AddUnique(r.fields, f);
  }
  std::vector<const Event*> sessions;
  for (const auto& e : registry.events) {
    if (!e.date.empty() && SameCity(scope.home, e.home_city) && internal::IsSessionOf(e, m) &&
        scope.range.Match(e.date) != RangeMatch::kOutside) {
      sessions.push_back(&e);
    }
  }
  std::stable_sort(sessions.begin(), sessions.end(),
                   [](const Event* a, const Event* b) { return a->date < b->date; });
  std::vector<const Event*> held;
  for (const Event* e : sessions) {
    r.session_events.push_back(EventKey(*e));
    switch (e->status) {
      case EventStatus::kHeld:
        ++r.held;
        held.push_back(e);
        for (Topic t : e->topics) {
          AddUnique(r.fields, std::string(ToCode(t)));
        }
        break;
      case EventStatus::kPlanned:
        ++r.planned;
        break;
      case EventStatus::kPostponed:
        ++r.postponed;
        break;
      case EventStatus::kCancelled:
        ++r.cancelled;
        break;
    }
  }
  for (std::size_t i = 1; i < held.size(); ++i) {
    r.intervals_days.push_back(held[i]->date.FirstDay() - held[i - 1]->date.FirstDay());
  }
  r.interval_mean_days = r.intervals_days.empty() ? kNaN : stats::Mean(r.intervals_days);
  r.interval_cv =
      r.intervals_days.size() < 2 ? kNaN : stats::CoefficientOfVariation(r.intervals_days);

  // Observation window: from the founding (or first session) to the mechanism's end, else the
  // range's end, else the home city's last recorded event.
  DayNumber lo = !m.founded.empty()
                     ? m.founded.FirstDay()
                     : (sessions.empty() ? INT32_MAX : sessions.front()->date.FirstDay());
  DayNumber hi = INT32_MIN;
  if (!m.ended.empty()) {
    hi = m.ended.LastDay();
  } else if (!scope.range.to.empty()) {
    hi = scope.range.to.LastDay();
  } else {
    for (const auto& e : registry.events) {
      if (!e.date.empty() && SameCity(scope.home, e.home_city)) {
        hi = std::max(hi, e.date.LastDay());
      }
    }
  }
  for (const Official* o : internal::OfficeHolders(registry, scope.home, options.office)) {
    const DayNumber start = o->term_start.empty() ? INT32_MIN : o->term_start.FirstDay();
    const DayNumber end = o->term_end.empty() ? INT32_MAX : o->term_end.LastDay();
    if (start > hi || end < lo) {
      continue;
    }
    HolderSessions h;
    h.name = o->name_en;
    for (const Event* e : held) {
      const DayNumber d = e->date.FirstDay();
      if (d >= start && d <= end) {
        ++h.sessions;
      }
    }
    r.by_holder.push_back(h);
    if (!o->term_start.empty() && start > lo && start <= hi) {
      Succession s;
      s.holder = o->name_en;
      s.date = o->term_start;
      s.survived = std::any_of(held.begin(), held.end(),
                               [&](const Event* e) { return e->date.FirstDay() >= start; });
      r.changes_survived += s.survived ? 1 : 0;
      r.successions.push_back(std::move(s));
    }
  }
  r.holder_changes = static_cast<int>(r.successions.size());
  return r;
}

}  // namespace

Result<InstitutionalizationResult> AnalyzeInstitutionalization(
    const Registry& registry, const InstitutionalizationOptions& options) {
  if (auto ok = ValidateScope(registry, options.scope); !ok) {
    return Fail(ok.error());
  }
  if (options.break_date && options.break_date->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the break date is empty (expected --break DATE)");
  }
  InstitutionalizationResult out;
  const auto mechanisms = internal::MechanismsInScope(registry, options.scope);
  for (const Mechanism* m : mechanisms) {
    out.mechanisms.push_back(ReportMechanism(registry, *m, options));
  }

  std::optional<PartialDate> break_date = options.break_date;
  std::string basis;
  if (break_date) {
    basis = "--break " + break_date->ToString();
  } else {
    const Mechanism* earliest = nullptr;
    for (const Mechanism* m : mechanisms) {
      if (!m->founded.empty() && (!earliest || m->founded < earliest->founded)) {
        earliest = m;
      }
    }
    if (earliest) {
      break_date = earliest->founded;
      basis = "founding of " + earliest->name_en + " (" + earliest->founded.ToString() + ")";
    }
  }
  if (!break_date) {
    return out;
  }
  ItsReport its;
  its.basis = basis;
  const Period break_period = Period::Containing(break_date->FirstDay(), options.scope.period);
  its.break_period = break_period.ToString();
  const auto events = SelectEvents(registry, options.scope);
  const auto span = SeriesSpan(options.scope, events);
  if (!span) {
    its.unavailable = "no activity in the range";
  } else {
    const ActivitySeries series =
        BuildActivitySeries(events, options.scope.period, span->first, span->second);
    its.periods = series.Labels();
    its.activity = series.values;
    for (const Event* e : events) {
      its.evidence.push_back(EventKey(*e));
    }
    const int break_index = break_period.Ordinal() - span->first;
    auto fit = stats::FitInterruptedTimeSeries(series.values, break_index, options.its);
    if (!fit) {
      its.unavailable = fit.error().message;
    } else if (!(fit->level_change.std_error > 0.0) || !(fit->slope_change.std_error > 0.0)) {
      its.unavailable =
          "interrupted time series: the activity has no residual variation (standard errors "
          "are zero)";
    } else {
      its.fit = *std::move(fit);
    }
  }
  out.its = std::move(its);
  return out;
}

nlohmann::json ToJson(const InstitutionalizationResult& result) {
  using internal::Number;
  nlohmann::json mechanisms = nlohmann::json::array();
  for (const auto& m : result.mechanisms) {
    nlohmann::json holders = nlohmann::json::array();
    for (const auto& h : m.by_holder) {
      holders.push_back({{"name", h.name}, {"sessions", h.sessions}});
    }
    nlohmann::json successions = nlohmann::json::array();
    for (const auto& s : m.successions) {
      successions.push_back(
          {{"holder", s.holder}, {"date", internal::DateJson(s.date)}, {"survived", s.survived}});
    }
    mechanisms.push_back({{"name", m.name},
                          {"founded", internal::DateJson(m.founded)},
                          {"ended", internal::DateJson(m.ended)},
                          {"cities", m.cities},
                          {"sessions",
                           {{"held", m.held},
                            {"planned", m.planned},
                            {"postponed", m.postponed},
                            {"cancelled", m.cancelled},
                            {"events", m.session_events}}},
                          {"intervals",
                           {{"days", internal::Numbers(m.intervals_days)},
                            {"mean_days", Number(m.interval_mean_days)},
                            {"cv", Number(m.interval_cv)}}},
                          {"continuity",
                           {{"by_holder", holders},
                            {"successions", successions},
                            {"holder_changes", m.holder_changes},
                            {"changes_survived", m.changes_survived}}},
                          {"fields", m.fields}});
  }
  nlohmann::json its = nullptr;
  if (result.its) {
    const auto& r = *result.its;
    its = {{"break", r.break_period},
           {"basis", r.basis},
           {"periods", r.periods},
           {"activity", internal::Numbers(r.activity)},
           {"evidence", r.evidence}};
    if (r.fit) {
      its["level_change"] = internal::EstimateJson(r.fit->level_change);
      its["slope_change"] = internal::EstimateJson(r.fit->slope_change);
      its["pre_slope"] = internal::EstimateJson(r.fit->pre_slope);
      its["hac_lags"] = r.fit->fit.hac_lags;
      its["n_before"] = r.fit->n_before;
      its["n_after"] = r.fit->n_after;
    } else {
      its["level_change"] = nullptr;
      its["slope_change"] = nullptr;
      its["unavailable"] = r.unavailable;
    }
  }
  return {{"mechanisms", mechanisms}, {"its", its}};
}

}  // namespace citydip::analytics
