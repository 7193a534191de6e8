#include "citydip/analytics/analyses/visits.h"

#include <algorithm>
#include <climits>
#include <limits>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/analytics/stats/summary.h"
#include "citydip/core/taxonomy.h"
#include "citydip/core/text.h"

namespace citydip::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "Oh Se-hoon (2nd tenure)" and "oh se-hoon" name the same person.
std::string PersonKey(std::string_view name) {
  std::string out;
  int depth = 0;
  for (char c : name) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = std::max(0, depth - 1);
    } else if (depth == 0) {
      out += c;
    }
  }
  return ToLowerAscii(Trim(out));
}

struct Span {
  DayNumber lo = INT32_MIN;
  DayNumber hi = INT32_MAX;
};

Span TermOf(const Official& o) {
  Span s;
  if (!o.term_start.empty()) {
    s.lo = o.term_start.FirstDay();
  }
  if (!o.term_end.empty()) {
    s.hi = o.term_end.LastDay();
  }
  return s;
}

bool Overlaps(const PartialDate& date, const Span& span) {
  return date.FirstDay() <= span.hi && date.LastDay() >= span.lo;
}

bool Inside(const PartialDate& date, const Span& span) {
  return date.FirstDay() >= span.lo && date.LastDay() <= span.hi;
}

// Does the event belong to this official's term? Named officials decide when the event names any.
bool Attributable(const Event& event, const Official& official, bool term_known) {
  if (!event.officials.empty()) {
    const std::string key = PersonKey(official.name_en);
    const bool named = std::any_of(event.officials.begin(), event.officials.end(),
                                   [&](const std::string& n) { return PersonKey(n) == key; });
    return named && (!term_known || Overlaps(event.date, TermOf(official)));
  }
  return term_known && Overlaps(event.date, TermOf(official));
}

std::vector<Trip> GroupTrips(std::vector<const Event*> events, int gap_days) {
  std::sort(events.begin(), events.end(),
            [](const Event* a, const Event* b) { return a->date < b->date; });
  std::vector<Trip> trips;
  DayNumber trip_last = 0;
  for (const Event* e : events) {
    if (trips.empty() || e->date.FirstDay() - trip_last > gap_days) {
      trips.push_back({e->date, e->date, {}});
      trip_last = e->date.LastDay();
    }
    Trip& trip = trips.back();
    trip.events.push_back(EventKey(*e));
    if (e->date.LastDay() > trip_last) {
      trip_last = e->date.LastDay();
      trip.end = e->date;
    }
  }
  return trips;
}

nlohmann::json TripsJson(const std::vector<Trip>& trips) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : trips) {
    out.push_back({{"start", internal::DateJson(t.start)},
                   {"end", internal::DateJson(t.end)},
                   {"events", t.events}});
  }
  return out;
}

}  // namespace

std::string_view VisitStatusName(VisitStatus status) {
  switch (status) {
    case VisitStatus::kVisited:
      return "visited";
    case VisitStatus::kNotVisited:
      return "not_visited";
    case VisitStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<VisitsResult> AnalyzeVisits(const Registry& registry, const VisitsOptions& options) {
  if (auto ok = ValidateScope(registry, options.scope); !ok) {
    return Fail(ok.error());
  }
  if (Trim(options.office).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the office is empty (expected e.g. mayor)");
  }
  if (options.trip_gap_days < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "trip gap " + std::to_string(options.trip_gap_days) + " days (expected >= 0)");
  }
  const std::string office = ToLowerAscii(Trim(options.office));
  // The office's own level when the vocabulary has one ("mayor", "vice_mayor").
  const std::optional<Level> level = ParseEnum<Level>(office);
  const CityDirectory directory(registry);

  std::vector<const Event*> outbound;
  std::vector<const Event*> inbound;
  for (const Event* e : SelectEvents(registry, options.scope)) {
    const bool type_ok = std::find(options.visit_types.begin(), options.visit_types.end(),
                                   e->type) != options.visit_types.end();
    const bool level_ok = !level || (e->level && *e->level == *level);
    if (!type_ok || !level_ok || !e->direction) {
      continue;
    }
    if (*e->direction == Direction::kOutbound) {
      outbound.push_back(e);
    } else if (*e->direction == Direction::kInbound) {
      inbound.push_back(e);
    }
  }

  Span range;
  if (!options.scope.range.from.empty()) {
    range.lo = options.scope.range.from.FirstDay();
  }
  if (!options.scope.range.to.empty()) {
    range.hi = options.scope.range.to.LastDay();
  }

  VisitsResult out;
  std::vector<const Official*> officials;
  for (const auto& o : registry.officials) {
    if (!SameCity(options.scope.home, o.city) || ToLowerAscii(Trim(o.office)) != office) {
      continue;
    }
    const Span term = TermOf(o);
    if (term.lo > range.hi || term.hi < range.lo) {
      continue;
    }
    if (options.exclude_acting && o.acting) {
      out.excluded_acting.push_back(o.name_en);
      continue;
    }
    officials.push_back(&o);
  }
  std::stable_sort(officials.begin(), officials.end(), [](const Official* a, const Official* b) {
    return a->term_start < b->term_start;
  });

  for (const Official* o : officials) {
    OfficialVisits row;
    row.name = o->name_en;
    row.term_start = o->term_start;
    row.term_end = o->term_end;
    row.acting = o->acting;
    const bool term_known = !o->term_start.empty() || !o->term_end.empty();
    const Span term = TermOf(*o);
    for (const Event* e : outbound) {
      if (Attributable(*e, *o, term_known)) {
        row.visit_events.push_back(EventKey(*e));
        if (!Inside(e->date, term)) {
          row.partial_events.push_back(EventKey(*e));
        }
      }
    }
    for (const Event* e : inbound) {
      if (term_known && Overlaps(e->date, term)) {
        row.inbound_events.push_back(EventKey(*e));
      }
    }
    std::vector<std::string> yes_sources;
    std::vector<std::string> no_sources;
    for (const auto& claim : o->visit_claims) {
      if (claim.sources.empty() || !directory.Selects(options.scope.partner, claim.partner)) {
        continue;  // an unsourced claim decides nothing
      }
      auto& sink = claim.claim == Claim::kYes ? yes_sources : no_sources;
      if (claim.claim != Claim::kUnknown) {
        sink.insert(sink.end(), claim.sources.begin(), claim.sources.end());
      }
    }
    if (!row.visit_events.empty()) {
      row.status = VisitStatus::kVisited;
      row.basis = yes_sources.empty() ? "events" : "events+claim";
      row.claim_sources = yes_sources;
      row.conflict = yes_sources.empty() && !no_sources.empty();
      if (row.conflict) {
        row.claim_sources = no_sources;
      }
    } else if (!yes_sources.empty()) {
      row.status = VisitStatus::kVisited;
      row.basis = "claim";
      row.claim_sources = yes_sources;
    } else if (!no_sources.empty()) {
      row.status = VisitStatus::kNotVisited;
      row.basis = "claim";
      row.claim_sources = no_sources;
    }
    switch (row.status) {
      case VisitStatus::kVisited:
        ++out.visited;
        break;
      case VisitStatus::kNotVisited:
        ++out.not_visited;
        break;
      case VisitStatus::kUnknown:
        ++out.unknown;
        break;
    }
    out.per_official.push_back(std::move(row));
  }
  out.officials = static_cast<int>(out.per_official.size());
  if (out.officials > 0) {
    out.rate_confirmed = static_cast<double>(out.visited) / out.officials;
    out.rate_lower = out.rate_confirmed;
    out.rate_upper = static_cast<double>(out.visited + out.unknown) / out.officials;
  } else {
    out.rate_confirmed = out.rate_lower = out.rate_upper = kNaN;
  }

  out.outbound_trips = GroupTrips(outbound, options.trip_gap_days);
  out.inbound_trips = GroupTrips(inbound, options.trip_gap_days);
  for (std::size_t i = 1; i < out.outbound_trips.size(); ++i) {
    out.gaps_days.push_back(out.outbound_trips[i].start.FirstDay() -
                            out.outbound_trips[i - 1].start.FirstDay());
  }
  out.gap_mean_days = out.gaps_days.empty() ? kNaN : stats::Mean(out.gaps_days);
  out.gap_median_days = out.gaps_days.empty() ? kNaN : stats::Median(out.gaps_days);
  out.gap_max_days =
      out.gaps_days.empty() ? kNaN : *std::max_element(out.gaps_days.begin(), out.gaps_days.end());
  return out;
}

nlohmann::json ToJson(const VisitsResult& result) {
  using internal::Number;
  nlohmann::json per_official = nlohmann::json::array();
  for (const auto& o : result.per_official) {
    per_official.push_back({{"name", o.name},
                            {"term_start", internal::DateJson(o.term_start)},
                            {"term_end", internal::DateJson(o.term_end)},
                            {"acting", o.acting},
                            {"status", VisitStatusName(o.status)},
                            {"basis", o.basis},
                            {"visit_events", o.visit_events},
                            {"partial_date_events", o.partial_events},
                            {"claim_sources", o.claim_sources},
                            {"conflict", o.conflict},
                            {"inbound_events", o.inbound_events}});
  }
  const auto out_trips = static_cast<double>(result.outbound_trips.size());
  const auto in_trips = static_cast<double>(result.inbound_trips.size());
  return {
      {"officials", result.officials},
      {"visited", result.visited},
      {"not_visited", result.not_visited},
      {"unknown", result.unknown},
      {"rate_confirmed", Number(result.rate_confirmed)},
      {"rate_bounds", {Number(result.rate_lower), Number(result.rate_upper)}},
      {"per_official", per_official},
      {"excluded_acting", result.excluded_acting},
      {"reciprocity",
       {{"outbound_trips", result.outbound_trips.size()},
        {"inbound_trips", result.inbound_trips.size()},
        {"inbound_per_outbound", Number(out_trips > 0 ? in_trips / out_trips : kNaN)},
        {"outbound", TripsJson(result.outbound_trips)},
        {"inbound", TripsJson(result.inbound_trips)}}},
      {"gaps",
       {{"days", internal::Numbers(result.gaps_days)},
        {"mean_days", Number(result.gap_mean_days)},
        {"median_days", Number(result.gap_median_days)},
        {"max_days", Number(result.gap_max_days)}}},
  };
}

}  // namespace citydip::analytics
