#include "citydip/analytics/analyses/barometer.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/analytics/stats/distributions.h"
#include "citydip/core/taxonomy.h"

namespace citydip::analytics {
namespace {

int DefaultMaxLag(Granularity g) {
  switch (g) {
    case Granularity::kMonth:
      return 12;
    case Granularity::kQuarter:
      return 4;
    case Granularity::kYear:
      return 3;
  }
  return 3;
}

int DefaultWindow(Granularity g) {
  switch (g) {
    case Granularity::kMonth:
      return 24;
    case Granularity::kQuarter:
      return 8;
    case Granularity::kYear:
      return 5;
  }
  return 5;
}

std::string Units(Granularity g, int n) {
  const std::string unit(GranularityName(g));
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::string Fixed(double v, int digits) {
  if (!std::isfinite(v)) {
    return "n/a";
  }
  const double scale = std::pow(10.0, digits);
  std::string s = std::to_string(std::round(v * scale) / scale);  // six decimals, then cut
  const auto dot = s.find('.');
  return dot == std::string::npos ? s : s.substr(0, dot + 1 + static_cast<std::size_t>(digits));
}

std::vector<double> Differences(const std::vector<double>& v) {
  std::vector<double> out;
  for (std::size_t i = 1; i < v.size(); ++i) {
    out.push_back(v[i] - v[i - 1]);
  }
  return out;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kLeads:
      return "leads";
    case Verdict::kLags:
      return "lags";
    case Verdict::kMovesWith:
      return "moves_with";
    case Verdict::kNoRelation:
      return "no_relation";
  }
  return "no_relation";
}

Result<BarometerResult> AnalyzeBarometer(const Registry& registry,
                                         const IndexSeries& index,
                                         const BarometerOptions& options) {
  if (auto ok = ValidateScope(registry, options.scope); !ok) {
    return Fail(ok.error());
  }
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "alpha " + std::to_string(options.alpha) + " is not in (0, 1)");
  }
  for (const auto& [type, w] : options.type_weights) {
    if (!std::isfinite(w) || w < 0.0) {
      return Fail(ErrorCode::kInvalidArgument, "weight " + std::to_string(w) + " for " +
                                                   std::string(ToCode(type)) +
                                                   " (expected a finite value >= 0)");
    }
  }
  const Granularity g = options.scope.period;
  auto aligned = AlignIndex(index, g);
  if (!aligned) {
    return Fail(aligned.error());
  }
  const auto events = SelectEvents(registry, options.scope);
  const auto span = SeriesSpan(options.scope, events);
  if (!span) {
    return Fail(ErrorCode::kInvalidArgument, "barometer: no event of " + options.scope.home.name +
                                                 " with " + options.scope.partner.Label() +
                                                 " in the range");
  }
  const int first = std::max(span->first, aligned->first_ordinal);
  const int last = std::min(span->second, aligned->last_ordinal());
  const int n = last - first + 1;
  if (n < 8) {
    return Fail(ErrorCode::kInvalidArgument,
                "barometer: the city's activity and the index overlap in " +
                    std::to_string(std::max(n, 0)) + " " + std::string(GranularityName(g)) +
                    "s (expected at least 8)");
  }
  EventWeight weight;
  if (!options.type_weights.empty()) {
    weight = [&](const Event& e) {
      const auto it = options.type_weights.find(e.type);
      return it == options.type_weights.end() ? 1.0 : it->second;
    };
  }
  const ActivitySeries series = BuildActivitySeries(events, g, first, last, weight);

  BarometerResult out;
  out.granularity = g;
  out.index_name = options.index_name;
  out.periods = series.Labels();
  out.city = series.values;
  out.national.assign(aligned->values.begin() + (first - aligned->first_ordinal),
                      aligned->values.begin() + (first - aligned->first_ordinal) + n);
  std::set<std::string> seen;
  for (const auto& keys : series.evidence) {
    for (const auto& k : keys) {
      if (seen.insert(k).second) {
        out.evidence.push_back(k);
      }
    }
  }
  std::vector<double> city = out.city;
  std::vector<double> national = out.national;
  if (options.difference) {
    city = Differences(city);
    national = Differences(national);
    out.differenced = true;
  }
  const int m = static_cast<int>(city.size());

  const int max_lag = options.max_lag.value_or(std::max(1, std::min(DefaultMaxLag(g), m / 4)));
  if (max_lag < 0 || max_lag >= m) {
    return Fail(ErrorCode::kInvalidArgument, "barometer: max lag " + std::to_string(max_lag) +
                                                 " (expected 0 <= lag < " + std::to_string(m) +
                                                 ")");
  }
  auto ccf = stats::CrossCorrelation(city, national, max_lag, options.alpha);
  if (!ccf) {
    return Fail(ccf.error().code, "barometer: " + ccf.error().message);
  }
  out.ccf = *std::move(ccf);

  const int granger_cap = (m - 2) / 3;  // statsmodels needs n > 3 lag + 1
  const int granger_lag =
      std::min(options.granger_max_lag.value_or(std::max(max_lag, 1)), granger_cap);
  const auto run_granger = [&](const std::vector<double>& effect,
                               const std::vector<double>& cause) {
    GrangerDirection d;
    if (granger_lag < 1) {
      d.unavailable = "series too short for a Granger test";
      return d;
    }
    auto r = stats::GrangerCausality(effect, cause, granger_lag);
    if (r) {
      d.result = *std::move(r);
    } else {
      d.unavailable = r.error().message;
    }
    return d;
  };
  out.national_to_city = run_granger(city, national);
  out.city_to_national = run_granger(national, city);

  out.rolling_window = options.rolling_window.value_or(DefaultWindow(g));
  if (out.rolling_window < 2) {
    return Fail(ErrorCode::kInvalidArgument, "barometer: rolling window " +
                                                 std::to_string(out.rolling_window) +
                                                 " (expected 2 or more)");
  }
  if (out.rolling_window <= m) {
    auto rolling = stats::RollingCorrelation(city, national, out.rolling_window);
    if (rolling) {
      out.rolling = *std::move(rolling);
      if (out.differenced) {
        out.rolling.insert(out.rolling.begin(), std::nan(""));  // keep aligned with `periods`
      }
    }
  }

  // Verdict: one-way Granger causality decides; otherwise the strongest significant lag.
  const auto significant = [&](const GrangerDirection& d) {
    return d.result && d.result->test.p_value < options.alpha;
  };
  const bool n2c = significant(out.national_to_city);
  const bool c2n = significant(out.city_to_national);
  const auto& best = out.ccf.best;
  out.verdict_band =
      stats::NormalQuantile(1.0 - options.alpha / (2.0 * static_cast<double>(2 * max_lag + 1))) /
      std::sqrt(static_cast<double>(m));
  const bool best_significant = std::fabs(best.correlation) > out.verdict_band;
  if (n2c && !c2n) {
    out.verdict = Verdict::kLags;
  } else if (c2n && !n2c) {
    out.verdict = Verdict::kLeads;
  } else if (best_significant) {
    out.verdict =
        best.lag > 0 ? Verdict::kLags : (best.lag < 0 ? Verdict::kLeads : Verdict::kMovesWith);
  } else {
    out.verdict = Verdict::kNoRelation;
  }
  const std::string p_n2c =
      out.national_to_city.result ? Fixed(out.national_to_city.result->test.p_value, 3) : "n/a";
  const std::string p_c2n =
      out.city_to_national.result ? Fixed(out.city_to_national.result->test.p_value, 3) : "n/a";
  const std::string corr =
      "strongest cross-correlation r = " + Fixed(best.correlation, 2) + " at lag " +
      std::to_string(best.lag) + (best_significant ? " (outside" : " (inside") + " the ±" +
      Fixed(out.verdict_band, 2) + " multiple-lag band); Granger p national→city " + p_n2c +
      ", city→national " + p_c2n;
  switch (out.verdict) {
    case Verdict::kLags:
      out.verdict_text = "city activity follows the national index" +
                         (best.lag > 0 ? " by about " + Units(g, best.lag) : std::string()) + ": " +
                         corr;
      break;
    case Verdict::kLeads:
      out.verdict_text = "city activity moves ahead of the national index" +
                         (best.lag < 0 ? " by about " + Units(g, -best.lag) : std::string()) +
                         ": " + corr;
      break;
    case Verdict::kMovesWith:
      out.verdict_text = "city activity moves with the national index in the same " +
                         std::string(GranularityName(g)) + ": " + corr;
      break;
    case Verdict::kNoRelation:
      out.verdict_text =
          "no detectable relation between city activity and the national index: " + corr;
      break;
  }
  return out;
}

nlohmann::json ToJson(const BarometerResult& result) {
  using internal::Number;
  nlohmann::json lags = nlohmann::json::array();
  for (const auto& l : result.ccf.lags) {
    lags.push_back(
        {{"lag", l.lag}, {"correlation", Number(l.correlation)}, {"significant", l.significant}});
  }
  const auto granger = [](const GrangerDirection& d) -> nlohmann::json {
    if (!d.result) {
      return {{"p_value", nullptr}, {"unavailable", d.unavailable}};
    }
    return {{"p_value", Number(d.result->test.p_value)},
            {"f", Number(d.result->test.f_statistic)},
            {"lag", d.result->selected_lag},
            {"df_num", d.result->test.df_num},
            {"df_denom", d.result->test.df_denom},
            {"aic_by_lag", internal::Numbers(d.result->aic_by_lag)}};
  };
  return {{"lead_lag",
           {{"best_lag", result.ccf.best.lag},
            {"correlation", Number(result.ccf.best.correlation)},
            {"significant", result.ccf.best.significant},
            {"band", Number(result.ccf.band)},
            {"verdict_band", Number(result.verdict_band)},
            {"nobs", result.ccf.nobs},
            {"lags", lags}}},
          {"granger",
           {{"national_to_city", granger(result.national_to_city)},
            {"city_to_national", granger(result.city_to_national)}}},
          {"rolling",
           {{"window", result.rolling_window}, {"values", internal::Numbers(result.rolling)}}},
          {"verdict", VerdictName(result.verdict)},
          {"verdict_text", result.verdict_text},
          {"index", result.index_name},
          {"period", GranularityName(result.granularity)},
          {"differenced", result.differenced},
          {"series",
           {{"periods", result.periods},
            {"city", internal::Numbers(result.city)},
            {"national", internal::Numbers(result.national)}}},
          {"evidence", result.evidence}};
}

}  // namespace citydip::analytics
