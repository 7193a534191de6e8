#include "citydip/analytics/analyses/image.h"

#include <climits>
#include <cmath>
#include <limits>
#include <map>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/analytics/stats/ols.h"
#include "citydip/analytics/stats/summary.h"
#include "citydip/core/text.h"

namespace citydip::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Sums {
  double tone = 0.0;
  double events = 0.0;
};

// Per-period sums of one direction at the requested granularity, inside the range.
Result<std::map<int, Sums>> Collect(const std::vector<PairAggregate>& rows,
                                    bool city_level,
                                    const std::string& from,
                                    const std::string& to,
                                    const ImageOptions& options,
                                    std::vector<std::string>& evidence) {
  std::map<int, Sums> out;
  for (const auto& row : rows) {
    if (row.city_level != city_level || ToLowerAscii(row.actor1) != ToLowerAscii(from) ||
        ToLowerAscii(row.actor2) != ToLowerAscii(to)) {
      continue;
    }
    auto target = PeriodOfLabel(row.period, options.period);
    if (!target) {
      return Fail(ErrorCode::kInvalidArgument, "image: " + target.error().message);
    }
    const DayNumber lo = options.range.from.empty() ? INT32_MIN : options.range.from.FirstDay();
    const DayNumber hi = options.range.to.empty() ? INT32_MAX : options.range.to.LastDay();
    if (target->LastDay() < lo || target->FirstDay() > hi) {
      continue;
    }
    auto& s = out[target->Ordinal()];
    s.tone += row.tone_sum;
    s.events += row.events;
    evidence.push_back("gdelt:" + row.period + ":" + row.actor1 + ">" + row.actor2);
  }
  return out;
}

ToneSeries ToSeries(const std::map<int, Sums>& sums, Granularity g) {
  ToneSeries s;
  double tone = 0.0;
  for (const auto& [ordinal, v] : sums) {
    if (v.events <= 0.0) {
      continue;
    }
    s.periods.push_back(Period::FromOrdinal(g, ordinal).ToString());
    s.tone.push_back(v.tone / v.events);
    s.events.push_back(v.events);
    tone += v.tone;
    s.total_events += v.events;
  }
  s.mean = s.total_events > 0.0 ? tone / s.total_events : kNaN;
  return s;
}

Result<PairImage> BuildPair(const std::vector<PairAggregate>& rows,
                            bool city_level,
                            const std::string& home,
                            const std::string& partner,
                            const ImageOptions& options) {
  PairImage out;
  out.home = home;
  out.partner = partner;
  auto h2p = Collect(rows, city_level, home, partner, options, out.evidence);
  if (!h2p) {
    return Fail(h2p.error());
  }
  auto p2h = Collect(rows, city_level, partner, home, options, out.evidence);
  if (!p2h) {
    return Fail(p2h.error());
  }
  out.home_to_partner = ToSeries(*h2p, options.period);
  out.partner_to_home = ToSeries(*p2h, options.period);
  std::vector<double> a;
  std::vector<double> b;
  for (const auto& [ordinal, v] : *h2p) {
    const auto it = p2h->find(ordinal);
    if (v.events <= 0.0 || it == p2h->end() || it->second.events <= 0.0) {
      continue;
    }
    a.push_back(v.tone / v.events);
    b.push_back(it->second.tone / it->second.events);
    out.asymmetry.periods.push_back(Period::FromOrdinal(options.period, ordinal).ToString());
    out.asymmetry.difference.push_back(a.back() - b.back());
  }
  out.asymmetry.correlation = stats::PearsonCorrelation(a, b);
  const auto n = static_cast<Eigen::Index>(out.asymmetry.difference.size());
  if (n >= 3) {
    stats::OlsOptions ols;
    ols.covariance = stats::CovarianceKind::kHac;
    ols.hac_lags = options.hac_lags;
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(out.asymmetry.difference.data(), n);
    auto fit = stats::FitOls(Eigen::MatrixXd::Ones(n, 1), y, ols);
    if (fit && fit->std_errors(0) > 0.0) {
      out.asymmetry.mean = stats::Estimate{fit->params(0), fit->std_errors(0), fit->conf_int(0, 0),
                                           fit->conf_int(0, 1), fit->p_values(0)};
    }
  }
  return out;
}

nlohmann::json SeriesJson(const ToneSeries& s) {
  using internal::Number;
  nlohmann::json periods = nlohmann::json::array();
  for (std::size_t i = 0; i < s.periods.size(); ++i) {
    periods.push_back(
        {{"period", s.periods[i]}, {"tone", Number(s.tone[i])}, {"events", Number(s.events[i])}});
  }
  return {{"mean", Number(s.mean)}, {"events", Number(s.total_events)}, {"periods", periods}};
}

nlohmann::json PairJson(const PairImage& p) {
  using internal::Number;
  nlohmann::json by_period = nlohmann::json::array();
  for (std::size_t i = 0; i < p.asymmetry.periods.size(); ++i) {
    by_period.push_back(
        {{"period", p.asymmetry.periods[i]}, {"difference", Number(p.asymmetry.difference[i])}});
  }
  return {{"home", p.home},
          {"partner", p.partner},
          {"home_to_partner", SeriesJson(p.home_to_partner)},
          {"partner_to_home", SeriesJson(p.partner_to_home)},
          {"asymmetry",
           {{"mean", p.asymmetry.mean ? internal::EstimateJson(*p.asymmetry.mean)
                                      : nlohmann::json(nullptr)},
            {"correlation", Number(p.asymmetry.correlation)},
            {"by_period", by_period}}},
          {"evidence", p.evidence}};
}

}  // namespace

Result<ImageResult> AnalyzeImage(const std::vector<PairAggregate>& rows,
                                 const ImageOptions& options) {
  if (Trim(options.home_country).empty() || Trim(options.partner_country).empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "image: home and partner country codes are required (expected e.g. KOR and CHN)");
  }
  ImageResult out;
  out.granularity = options.period;
  auto countries = BuildPair(rows, false, options.home_country, options.partner_country, options);
  if (!countries) {
    return Fail(countries.error());
  }
  if (countries->home_to_partner.periods.empty() && countries->partner_to_home.periods.empty()) {
    return Fail(ErrorCode::kNotFound,
                "image: the GDELT tables have no " + options.home_country + "/" +
                    options.partner_country +
                    " rows in the range (expected barometer rows for the pair; run the GDELT "
                    "ingest with these countries)");
  }
  out.countries = *std::move(countries);
  if (!options.home_city.empty() && !options.partner_city.empty()) {
    auto cities = BuildPair(rows, true, options.home_city, options.partner_city, options);
    if (!cities) {
      return Fail(cities.error());
    }
    if (!cities->home_to_partner.periods.empty() || !cities->partner_to_home.periods.empty()) {
      out.cities = *std::move(cities);
    }
  }
  return out;
}

nlohmann::json ToJson(const ImageResult& result) {
  return {{"period", GranularityName(result.granularity)},
          {"countries", PairJson(result.countries)},
          {"cities", result.cities ? PairJson(*result.cities) : nlohmann::json(nullptr)}};
}

}  // namespace citydip::analytics
