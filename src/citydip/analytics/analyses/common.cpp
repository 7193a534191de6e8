#include "citydip/analytics/analyses/common.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "citydip/core/text.h"

namespace citydip::analytics {
namespace {

bool ParseInt(std::string_view text, int& out) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string TwoDigits(int value) {
  std::string out = std::to_string(value);
  return out.size() < 2 ? "0" + out : out;
}

int FloorDiv(int a, int b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

std::string_view GranularityName(Granularity granularity) {
  switch (granularity) {
    case Granularity::kYear:
      return "year";
    case Granularity::kQuarter:
      return "quarter";
    case Granularity::kMonth:
      return "month";
  }
  return "year";
}

Result<Granularity> ParseGranularity(std::string_view text) {
  for (auto g : {Granularity::kYear, Granularity::kQuarter, Granularity::kMonth}) {
    if (text == GranularityName(g)) {
      return g;
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) + "' is not a period (expected year, quarter or month)");
}

Result<Period> Period::Parse(std::string_view text) {
  const auto bad = [&] {
    return Fail(
        ErrorCode::kInvalidArgument,
        "'" + std::string(text) + "' is not a period (expected YYYY, YYYY-Qn, YYYY-MM or YYYYMM)");
  };
  Period p;
  if (text.size() < 4 || !ParseInt(text.substr(0, 4), p.year) || p.year < 1000) {
    return bad();
  }
  if (text.size() == 4) {
    p.granularity = Granularity::kYear;
    return p;
  }
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q')) {
    if (!ParseInt(text.substr(6, 1), p.sub) || p.sub < 1 || p.sub > 4) {
      return bad();
    }
    p.granularity = Granularity::kQuarter;
    return p;
  }
  std::string_view month;
  if (text.size() == 7 && text[4] == '-') {
    month = text.substr(5, 2);
  } else if (text.size() == 6) {
    month = text.substr(4, 2);
  } else {
    return bad();
  }
  if (!ParseInt(month, p.sub) || p.sub < 1 || p.sub > 12) {
    return bad();
  }
  p.granularity = Granularity::kMonth;
  return p;
}

Period Period::Containing(DayNumber day, Granularity granularity) {
  const CivilDate civil = CivilFromDays(day);
  Period p;
  p.granularity = granularity;
  p.year = civil.year;
  switch (granularity) {
    case Granularity::kYear:
      p.sub = 0;
      break;
    case Granularity::kQuarter:
      p.sub = (civil.month - 1) / 3 + 1;
      break;
    case Granularity::kMonth:
      p.sub = civil.month;
      break;
  }
  return p;
}

Period Period::FromOrdinal(Granularity granularity, int ordinal) {
  Period p;
  p.granularity = granularity;
  switch (granularity) {
    case Granularity::kYear:
      p.year = ordinal;
      break;
    case Granularity::kQuarter:
      p.year = FloorDiv(ordinal, 4);
      p.sub = ordinal - 4 * p.year + 1;
      break;
    case Granularity::kMonth:
      p.year = FloorDiv(ordinal, 12);
      p.sub = ordinal - 12 * p.year + 1;
      break;
  }
  return p;
}

int Period::Ordinal() const {
  switch (granularity) {
    case Granularity::kYear:
      return year;
    case Granularity::kQuarter:
      return 4 * year + sub - 1;
    case Granularity::kMonth:
      return 12 * year + sub - 1;
  }
  return year;
}

DayNumber Period::FirstDay() const {
  switch (granularity) {
    case Granularity::kYear:
      return DaysFromCivil(year, 1, 1);
    case Granularity::kQuarter:
      return DaysFromCivil(year, 3 * (sub - 1) + 1, 1);
    case Granularity::kMonth:
      return DaysFromCivil(year, sub, 1);
  }
  return 0;
}

DayNumber Period::LastDay() const {
  return FromOrdinal(granularity, Ordinal() + 1).FirstDay() - 1;
}

std::string Period::ToString() const {
  switch (granularity) {
    case Granularity::kYear:
      return std::to_string(year);
    case Granularity::kQuarter:
      return std::to_string(year) + "-Q" + std::to_string(sub);
    case Granularity::kMonth:
      return std::to_string(year) + "-" + TwoDigits(sub);
  }
  return {};
}

std::optional<Period> Period::CoarsenTo(Granularity target) const {
  if (static_cast<int>(target) > static_cast<int>(granularity)) {
    return std::nullopt;  // finer than this period
  }
  return Containing(FirstDay(), target);
}

CivilDate CivilFromDays(DayNumber day) {
  // Howard Hinnant's civil_from_days.
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  CivilDate out;
  out.day = doy - (153 * mp + 2) / 5 + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

std::string IsoDate(DayNumber day) {
  const CivilDate c = CivilFromDays(day);
  return std::to_string(c.year) + "-" + TwoDigits(c.month) + "-" + TwoDigits(c.day);
}

std::string PartnerSelector::Label() const {
  if (city) {
    return city->country.empty() ? city->name : city->name + " (" + city->country + ")";
  }
  return country.empty() ? "any partner" : country;
}

bool SameCity(const CityRef& want, const CityRef& have) {
  if (ToLowerAscii(want.name) != ToLowerAscii(have.name)) {
    return false;
  }
  return want.country.empty() || have.country.empty() || want.country == have.country;
}

CityDirectory::CityDirectory(const Registry& registry) : registry_(&registry) {}

std::string CityDirectory::CountryOf(const CityRef& city) const {
  if (!city.country.empty()) {
    return city.country;
  }
  const std::string name = ToLowerAscii(city.name);
  for (const auto& c : registry_->cities) {
    if (ToLowerAscii(c.name_en) == name) {
      return c.country;
    }
  }
  return {};
}

bool CityDirectory::Selects(const PartnerSelector& partner, const CityRef& city) const {
  if (partner.city) {
    return SameCity(*partner.city, city);
  }
  if (!partner.country.empty()) {
    return CountryOf(city) == partner.country;
  }
  return true;
}

std::string EventKey(const Event& event) {
  return event.ref.empty() ? "event#" + std::to_string(event.id) : event.ref;
}

Status ValidateScope(const Registry& registry, const Scope& scope) {
  if (Trim(scope.home.name).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the home city is empty (expected --home CITY)");
  }
  if (!scope.partner.city && !scope.partner.country.empty() && scope.partner.country.size() != 3) {
    return Fail(ErrorCode::kInvalidArgument,
                "partner country '" + scope.partner.country +
                    "' is not an ISO 3166-1 alpha-3 code (expected e.g. CHN)");
  }
  if (scope.partner.city && Trim(scope.partner.city->name).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the partner city is empty");
  }
  if (!scope.range.from.empty() && !scope.range.to.empty() &&
      scope.range.from.FirstDay() > scope.range.to.LastDay()) {
    return Fail(ErrorCode::kInvalidArgument, "the range starts (" + scope.range.from.ToString() +
                                                 ") after it ends (" + scope.range.to.ToString() +
                                                 ")");
  }
  const bool known =
      std::any_of(registry.cities.begin(), registry.cities.end(),
                  [&](const City& c) { return SameCity(scope.home, c.Ref()); }) ||
      std::any_of(registry.events.begin(), registry.events.end(),
                  [&](const Event& e) { return SameCity(scope.home, e.home_city); }) ||
      std::any_of(registry.officials.begin(), registry.officials.end(),
                  [&](const Official& o) { return SameCity(scope.home, o.city); });
  if (!known) {
    return Fail(ErrorCode::kNotFound, "home city '" + scope.home.name +
                                          "' is not in the registry (no city, event or "
                                          "official names it)");
  }
  return Ok();
}

std::vector<const Event*> SelectEvents(const Registry& registry,
                                       const Scope& scope,
                                       const EventSelection& selection) {
  const CityDirectory directory(registry);
  std::vector<const Event*> out;
  for (const auto& event : registry.events) {
    if (event.date.empty() || !SameCity(scope.home, event.home_city)) {
      continue;
    }
    if (selection.held_only && event.status != EventStatus::kHeld) {
      continue;
    }
    const RangeMatch match = scope.range.Match(event.date);
    if (match == RangeMatch::kOutside ||
        (match == RangeMatch::kPartial && !selection.include_partial)) {
      continue;
    }
    if (!scope.partner.Any()) {
      const bool selected =
          std::any_of(event.partner_cities.begin(), event.partner_cities.end(),
                      [&](const CityRef& c) { return directory.Selects(scope.partner, c); });
      if (!selected) {
        continue;
      }
    }
    out.push_back(&event);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Event* a, const Event* b) { return a->date < b->date; });
  return out;
}

std::pair<int, int> OrdinalSpan(const PartialDate& date, Granularity granularity) {
  return {Period::Containing(date.FirstDay(), granularity).Ordinal(),
          Period::Containing(date.LastDay(), granularity).Ordinal()};
}

std::string ActivitySeries::Label(std::size_t i) const {
  return Period::FromOrdinal(granularity, first_ordinal + static_cast<int>(i)).ToString();
}

std::vector<std::string> ActivitySeries::Labels() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    out.push_back(Label(i));
  }
  return out;
}

ActivitySeries BuildActivitySeries(const std::vector<const Event*>& events,
                                   Granularity granularity,
                                   int first,
                                   int last,
                                   const EventWeight& weight) {
  ActivitySeries out;
  out.granularity = granularity;
  out.first_ordinal = first;
  const std::size_t n = last >= first ? static_cast<std::size_t>(last - first + 1) : 0;
  out.values.assign(n, 0.0);
  out.evidence.assign(n, {});
  for (const Event* event : events) {
    const auto [lo, hi] = OrdinalSpan(event->date, granularity);
    const double w = weight ? weight(*event) : 1.0;
    const double share = w / static_cast<double>(hi - lo + 1);
    if (hi > lo) {
      ++out.spread_events;
    }
    for (int o = std::max(lo, first); o <= std::min(hi, last); ++o) {
      const auto i = static_cast<std::size_t>(o - first);
      out.values[i] += share;
      out.evidence[i].push_back(EventKey(*event));
    }
  }
  return out;
}

std::optional<std::pair<int, int>> SeriesSpan(const Scope& scope,
                                              const std::vector<const Event*>& events) {
  std::optional<int> first;
  std::optional<int> last;
  if (!scope.range.from.empty()) {
    first = Period::Containing(scope.range.from.FirstDay(), scope.period).Ordinal();
  }
  if (!scope.range.to.empty()) {
    last = Period::Containing(scope.range.to.LastDay(), scope.period).Ordinal();
  }
  for (const Event* e : events) {
    const auto [lo, hi] = OrdinalSpan(e->date, scope.period);
    if (scope.range.from.empty()) {
      first = std::min(first.value_or(lo), lo);
    }
    if (scope.range.to.empty()) {
      last = std::max(last.value_or(hi), hi);
    }
  }
  if (!first || !last) {
    return std::nullopt;
  }
  return std::make_pair(*first, *last);
}

Result<AlignedIndex> AlignIndex(const IndexSeries& index, Granularity target) {
  if (index.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the national index is empty");
  }
  std::optional<Granularity> given;
  std::map<int, double> by_ordinal;
  for (const auto& [label, value] : index) {
    auto period = Period::Parse(label);
    if (!period) {
      return Fail(period.error().code, "national index: " + period.error().message);
    }
    if (given && *given != period->granularity) {
      return Fail(ErrorCode::kInvalidArgument,
                  "national index: period '" + label + "' is a " +
                      std::string(GranularityName(period->granularity)) +
                      " but earlier periods are " + std::string(GranularityName(*given)) +
                      "s (expected one granularity)");
    }
    given = period->granularity;
    if (!std::isfinite(value)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "national index: the value for " + label + " is not a finite number");
    }
    if (!by_ordinal.emplace(period->Ordinal(), value).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  "national index: period " + label + " appears twice (expected each once)");
    }
  }
  if (static_cast<int>(target) > static_cast<int>(*given)) {
    return Fail(ErrorCode::kInvalidArgument,
                "national index is by " + std::string(GranularityName(*given)) +
                    " but the analysis asks for --period " + std::string(GranularityName(target)) +
                    " (expected an index at least as fine as the period)");
  }
  const int first = by_ordinal.begin()->first;
  const int last = by_ordinal.rbegin()->first;
  if (static_cast<int>(by_ordinal.size()) != last - first + 1) {
    for (int o = first; o <= last; ++o) {
      if (!by_ordinal.contains(o)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "national index has no value for " + Period::FromOrdinal(*given, o).ToString() +
                        " (expected a value for every period between the first and the last)");
      }
    }
  }
  // Average into target periods.
  std::map<int, std::pair<double, int>> sums;
  for (const auto& [ordinal, value] : by_ordinal) {
    const int t = Period::FromOrdinal(*given, ordinal).CoarsenTo(target)->Ordinal();
    auto& [sum, count] = sums[t];
    sum += value;
    ++count;
  }
  AlignedIndex out;
  out.granularity = target;
  out.first_ordinal = sums.begin()->first;
  for (const auto& [ordinal, sum_count] : sums) {
    out.values.push_back(sum_count.first / sum_count.second);
  }
  return out;
}

Result<IndexSeries> ParseIndexCsv(std::string_view text, std::string_view where) {
  IndexSeries out;
  bool header_seen = false;
  int line_no = 0;
  std::size_t pos = 0;
  const std::string file(where);
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) {
      line.remove_prefix(3);  // UTF-8 byte order mark
    }
    const std::string at = file + ":" + std::to_string(line_no);
    if (Trim(line).empty() || Trim(line).front() == '#') {
      continue;
    }
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos || line.find(',', comma + 1) != std::string_view::npos) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "expected two comma-separated fields (period,value), got '" + std::string(line) + "'",
          at + ":1");
    }
    const std::string_view period = Trim(line.substr(0, comma));
    const std::string_view value = Trim(line.substr(comma + 1));
    if (!header_seen) {
      if (ToLowerAscii(period) != "period" || ToLowerAscii(value) != "value") {
        return Fail(ErrorCode::kInvalidArgument,
                    "expected the header 'period,value', got '" + std::string(line) + "'",
                    at + ":1");
      }
      header_seen = true;
      continue;
    }
    auto parsed = Period::Parse(period);
    if (!parsed) {
      return Fail(ErrorCode::kInvalidArgument, parsed.error().message, at + ":1");
    }
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() ||
        !std::isfinite(v)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "'" + std::string(value) + "' is not a number (expected a decimal value)",
                  at + ":" + std::to_string(comma + 2));
    }
    out.emplace_back(std::string(period), v);
  }
  if (!header_seen) {
    return Fail(ErrorCode::kInvalidArgument,
                "expected the header 'period,value', got an empty file", file);
  }
  if (out.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no data rows after the header", file);
  }
  return out;
}

std::string_view GdeltMetricName(GdeltMetric metric) {
  switch (metric) {
    case GdeltMetric::kGoldsteinMean:
      return "goldstein_mean";
    case GdeltMetric::kToneMean:
      return "tone_mean";
    case GdeltMetric::kCooperationShare:
      return "cooperation_share";
    case GdeltMetric::kEvents:
      return "events";
  }
  return "goldstein_mean";
}

Result<GdeltMetric> ParseGdeltMetric(std::string_view text) {
  for (auto m : {GdeltMetric::kGoldsteinMean, GdeltMetric::kToneMean,
                 GdeltMetric::kCooperationShare, GdeltMetric::kEvents}) {
    if (text == GdeltMetricName(m)) {
      return m;
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) +
                  "' is not an index metric (expected goldstein_mean, tone_mean, "
                  "cooperation_share or events)");
}

Result<Period> PeriodOfLabel(std::string_view label, Granularity granularity) {
  std::optional<Period> period;
  if (label.size() == 10) {
    auto day = PartialDate::Parse(label);
    if (!day) {
      return Fail(ErrorCode::kInvalidArgument, "GDELT period: " + day.error().message);
    }
    period = Period::Containing(day->FirstDay(), granularity);
  } else {
    auto parsed = Period::Parse(label);
    if (!parsed) {
      return Fail(parsed.error());
    }
    auto coarse = parsed->CoarsenTo(granularity);
    if (!coarse) {
      return Fail(ErrorCode::kInvalidArgument,
                  "period " + std::string(label) + " is coarser than " +
                      std::string(GranularityName(granularity)) +
                      " (expected tables at least as fine as the period)");
    }
    period = *coarse;
  }
  return *period;
}

Result<IndexSeries> NationalIndexFromGdelt(const std::vector<PairAggregate>& rows,
                                           std::string_view country_a,
                                           std::string_view country_b,
                                           GdeltMetric metric,
                                           Granularity granularity) {
  struct Sums {
    double events = 0.0;
    double goldstein = 0.0;
    double tone = 0.0;
    double cooperation = 0.0;
  };
  std::map<int, Sums> by_period;
  for (const auto& row : rows) {
    if (row.city_level) {
      continue;
    }
    const bool pair = (row.actor1 == country_a && row.actor2 == country_b) ||
                      (row.actor1 == country_b && row.actor2 == country_a);
    if (!pair) {
      continue;
    }
    auto period = PeriodOfLabel(row.period, granularity);
    if (!period) {
      return Fail(period.error());
    }
    auto& s = by_period[period->Ordinal()];
    s.events += row.events;
    s.goldstein += row.goldstein_sum;
    s.tone += row.tone_sum;
    s.cooperation += row.cooperation_events;
  }
  IndexSeries out;
  for (const auto& [ordinal, s] : by_period) {
    if (s.events <= 0.0) {
      continue;
    }
    double value = s.events;
    switch (metric) {
      case GdeltMetric::kGoldsteinMean:
        value = s.goldstein / s.events;
        break;
      case GdeltMetric::kToneMean:
        value = s.tone / s.events;
        break;
      case GdeltMetric::kCooperationShare:
        value = s.cooperation / s.events;
        break;
      case GdeltMetric::kEvents:
        break;
    }
    out.emplace_back(Period::FromOrdinal(granularity, ordinal).ToString(), value);
  }
  return out;
}

}  // namespace citydip::analytics
