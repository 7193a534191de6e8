// What every analysis shares: calendar periods (year, quarter, month), the scope of an analysis
// (home city, partner city or country, date range, period), event selection with imprecise dates,
// activity series, national index series, and the keys by which results cite their records.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics {

/// The calendar granularity of a series.
enum class Granularity : std::uint8_t { kYear, kQuarter, kMonth };

/// "year", "quarter" or "month".
[[nodiscard]] std::string_view GranularityName(Granularity granularity);
/// Parses "year", "quarter" or "month"; fails with kInvalidArgument naming the text.
[[nodiscard]] Result<Granularity> ParseGranularity(std::string_view text);

/// One calendar period. Periods of one granularity are numbered consecutively by `Ordinal`, so
/// series are plain vectors indexed by ordinal − first ordinal.
struct Period {
  Granularity granularity = Granularity::kYear;
  int year = 0;
  int sub = 0;  // quarter 1–4 or month 1–12; 0 for a year

  /// Parses "2013", "2013-Q2" or "2013-05" (also "201305", GDELT's MonthYear). Fails with
  /// kInvalidArgument naming the text and the accepted forms.
  [[nodiscard]] static Result<Period> Parse(std::string_view text);
  /// The period of `granularity` containing `day`.
  [[nodiscard]] static Period Containing(DayNumber day, Granularity granularity);
  /// The period with this ordinal.
  [[nodiscard]] static Period FromOrdinal(Granularity granularity, int ordinal);

  /// year, 4·year + quarter − 1, or 12·year + month − 1.
  [[nodiscard]] int Ordinal() const;
  [[nodiscard]] DayNumber FirstDay() const;
  [[nodiscard]] DayNumber LastDay() const;
  /// "2013", "2013-Q2" or "2013-05" (the labels of the GDELT barometer tables).
  [[nodiscard]] std::string ToString() const;
  /// The coarser (or equal) period containing this one; nullopt when `target` is finer.
  [[nodiscard]] std::optional<Period> CoarsenTo(Granularity target) const;

  friend bool operator==(const Period&, const Period&) = default;
};

/// A calendar date (year, month 1–12, day 1–31).
struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};
/// The civil date of day number `day`.
[[nodiscard]] CivilDate CivilFromDays(DayNumber day);
/// "YYYY-MM-DD".
[[nodiscard]] std::string IsoDate(DayNumber day);

/// The partner side of an analysis: one city, every city of one country (ISO3), or anyone.
struct PartnerSelector {
  std::optional<CityRef> city;
  std::string country;  // ISO 3166-1 alpha-3; used when `city` is not set

  /// True when no partner is selected (every partner counts).
  [[nodiscard]] bool Any() const { return !city && country.empty(); }
  /// "Beijing (CHN)", "CHN" or "any partner".
  [[nodiscard]] std::string Label() const;
};

/// The common options of the analyses: `citydip analyze NAME --home --partner --from --to
/// --period`.
struct Scope {
  CityRef home;
  PartnerSelector partner;
  DateRange range;
  Granularity period = Granularity::kYear;
};

/// True when `have` names the city `want` asks for: names equal ignoring ASCII case, and the
/// countries equal when both are given.
[[nodiscard]] bool SameCity(const CityRef& want, const CityRef& have);

/// Resolves the countries of city references against the registry's cities, so that a partner
/// country can be matched even when an event's reference omits it.
class CityDirectory {
 public:
  explicit CityDirectory(const Registry& registry);
  /// The country of `city`: its own when given, else the registry's for that name, else "".
  [[nodiscard]] std::string CountryOf(const CityRef& city) const;
  /// True when `city` is selected by `partner`.
  [[nodiscard]] bool Selects(const PartnerSelector& partner, const CityRef& city) const;

 private:
  const Registry* registry_;
};

/// The key a result cites an event by: its file id ("E017") when it has one, else "event#ID".
[[nodiscard]] std::string EventKey(const Event& event);

/// Fails with kInvalidArgument when the home city is missing, the partner country is not three
/// letters, or the range is inverted; kNotFound when neither the registry's cities nor any event
/// or official knows the home city.
[[nodiscard]] Status ValidateScope(const Registry& registry, const Scope& scope);

/// Which events an analysis looks at.
struct EventSelection {
  bool held_only = true;  // drop planned, postponed and cancelled events
  /// Keep events whose (imprecise) date only partly overlaps the range (series then count only
  /// the part inside).
  bool include_partial = true;
};

/// The home city's events with the selected partner(s) whose date overlaps the scope's range, in
/// date order (undated events are dropped).
[[nodiscard]] std::vector<const Event*> SelectEvents(const Registry& registry,
                                                     const Scope& scope,
                                                     const EventSelection& selection = {});

/// The first and last ordinal of the periods `date` may fall in.
[[nodiscard]] std::pair<int, int> OrdinalSpan(const PartialDate& date, Granularity granularity);

/// Per-period activity: events counted (optionally weighted) in the period they happened. An
/// event whose date is coarser than the period (a year-dated event in a monthly series) is spread
/// evenly over the periods it may mean; only the part inside the series counts.
struct ActivitySeries {
  Granularity granularity = Granularity::kYear;
  int first_ordinal = 0;
  std::vector<double> values;
  std::vector<std::vector<std::string>> evidence;  // event keys per period
  int spread_events = 0;                           // events spread over more than one period

  [[nodiscard]] std::size_t size() const { return values.size(); }
  [[nodiscard]] std::string Label(std::size_t i) const;
  [[nodiscard]] std::vector<std::string> Labels() const;
};

/// The event's weight in a series (1 for plain counts).
using EventWeight = std::function<double(const Event&)>;

/// Builds the series over ordinals [first, last] (inclusive; empty when last < first).
[[nodiscard]] ActivitySeries BuildActivitySeries(const std::vector<const Event*>& events,
                                                 Granularity granularity,
                                                 int first,
                                                 int last,
                                                 const EventWeight& weight = {});

/// The ordinals a scope's series spans: the range's bounds when given, else the first and last
/// event's periods; nullopt when there are neither bounds nor events.
[[nodiscard]] std::optional<std::pair<int, int>> SeriesSpan(
    const Scope& scope, const std::vector<const Event*>& events);

/// A national relations index as given: (period label, value) pairs, e.g. from a `period,value`
/// CSV file or from the GDELT barometer tables.
using IndexSeries = std::vector<std::pair<std::string, double>>;

/// An index on consecutive periods of one granularity.
struct AlignedIndex {
  Granularity granularity = Granularity::kYear;
  int first_ordinal = 0;
  std::vector<double> values;

  [[nodiscard]] int last_ordinal() const {
    return first_ordinal + static_cast<int>(values.size()) - 1;
  }
};

/// Parses the periods of `index`, checks that they share one granularity, have no duplicates and
/// no gaps, and averages them into `target` periods when `target` is coarser (a quarter is the
/// mean of its months). Fails with kInvalidArgument naming the bad period; the index may not be
/// coarser than `target`.
[[nodiscard]] Result<AlignedIndex> AlignIndex(const IndexSeries& index, Granularity target);

/// Parses the text of a `period,value` CSV file (header required; '#' comment lines and blank
/// lines skipped). Errors name `where`:LINE:COLUMN and what was expected.
[[nodiscard]] Result<IndexSeries> ParseIndexCsv(std::string_view text, std::string_view where);

/// One row of the GDELT barometer tables, as the ingest module aggregates them: the sums of the
/// events of one period whose Actor1 is `actor1` and Actor2 is `actor2` (CAMEO country codes such
/// as KOR, or city ids of the city-actor dictionary such as seoul).
struct PairAggregate {
  std::string period;  // "2016-07", "2016-Q3" or "2016"
  bool city_level = false;
  std::string actor1;
  std::string actor2;
  double events = 0.0;
  double goldstein_sum = 0.0;
  double tone_sum = 0.0;            // Σ AvgTone
  double cooperation_events = 0.0;  // QuadClass 1 (verbal) + 2 (material cooperation)
};

/// The national index series one can read from the barometer tables.
enum class GdeltMetric : std::uint8_t { kGoldsteinMean, kToneMean, kCooperationShare, kEvents };

/// "goldstein_mean", "tone_mean", "cooperation_share" or "events".
[[nodiscard]] std::string_view GdeltMetricName(GdeltMetric metric);
/// Parses a metric name; fails with kInvalidArgument listing the names.
[[nodiscard]] Result<GdeltMetric> ParseGdeltMetric(std::string_view text);

/// The period of `granularity` a GDELT table label falls in: labels are periods ("2016-07",
/// "2016-Q3", "2016", "201607") or days ("2016-07-18", the barometer's day tables). Fails with
/// kInvalidArgument when the label is malformed or coarser than `granularity`.
[[nodiscard]] Result<Period> PeriodOfLabel(std::string_view label, Granularity granularity);

/// The country-level index between `country_a` and `country_b` (both directions pooled): per
/// `granularity` period, Σ Goldstein / Σ events, Σ tone / Σ events, Σ cooperation / Σ events, or
/// Σ events — sums are pooled before dividing, so finer rows roll up exactly. Periods without
/// events are left out. Fails on a label PeriodOfLabel rejects.
[[nodiscard]] Result<IndexSeries> NationalIndexFromGdelt(const std::vector<PairAggregate>& rows,
                                                         std::string_view country_a,
                                                         std::string_view country_b,
                                                         GdeltMetric metric,
                                                         Granularity granularity);

}  // namespace citydip::analytics
