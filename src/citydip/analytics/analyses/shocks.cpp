#include "citydip/analytics/analyses/shocks.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <set>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/analytics/analyses/internal/mechanisms.h"
#include "citydip/analytics/stats/glm.h"
#include "citydip/analytics/stats/summary.h"

namespace citydip::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int PeriodsPerYear(Granularity g) {
  switch (g) {
    case Granularity::kMonth:
      return 12;
    case Granularity::kQuarter:
      return 4;
    case Granularity::kYear:
      return 1;
  }
  return 1;
}

// The partial dates spanning a period exactly (a quarter becomes its first and last month).
std::pair<PartialDate, PartialDate> PeriodDates(const Period& p) {
  switch (p.granularity) {
    case Granularity::kYear:
      return {PartialDate::FromParts(p.year), PartialDate::FromParts(p.year)};
    case Granularity::kQuarter:
      return {PartialDate::FromParts(p.year, 3 * (p.sub - 1) + 1),
              PartialDate::FromParts(p.year, 3 * p.sub)};
    case Granularity::kMonth:
      return {PartialDate::FromParts(p.year, p.sub), PartialDate::FromParts(p.year, p.sub)};
  }
  return {};
}

double Depth(double baseline, double during) {
  return baseline > 0.0 ? 1.0 - during / baseline : kNaN;
}

double MeanOver(const std::vector<double>& v, int lo, int hi) {
  double sum = 0.0;
  for (int i = lo; i <= hi; ++i) {
    sum += v[static_cast<std::size_t>(i)];
  }
  return hi >= lo ? sum / (hi - lo + 1) : kNaN;
}

std::string CityName(const CityRef& c) {
  return c.name;
}

}  // namespace

std::vector<Episode> BuiltInEpisodes() {
  return {
      {"THAAD", PartialDate::FromParts(2016, 7), PartialDate::FromParts(2017, 10), "built-in"},
      {"COVID-19", PartialDate::FromParts(2020, 1), PartialDate::FromParts(2022, 12), "built-in"}};
}

Result<std::vector<Episode>> DetectEpisodes(const AlignedIndex& index,
                                            const ShockDetection& detection) {
  if (!(detection.k_sigma > 0.0) || detection.min_periods < 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "shock detection: k = " + std::to_string(detection.k_sigma) + ", N = " +
                    std::to_string(detection.min_periods) + " (expected k > 0 and N >= 1)");
  }
  const double mean = stats::Mean(index.values);
  const double sd = stats::StdDev(index.values, 1);
  if (!(sd > 0.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                "shock detection: the index is constant (no deviation to detect)");
  }
  const double threshold =
      detection.below ? mean - detection.k_sigma * sd : mean + detection.k_sigma * sd;
  std::vector<Episode> out;
  const int n = static_cast<int>(index.values.size());
  int run_start = -1;
  for (int i = 0; i <= n; ++i) {
    const bool flagged =
        i < n && (detection.below ? index.values[static_cast<std::size_t>(i)] < threshold
                                  : index.values[static_cast<std::size_t>(i)] > threshold);
    if (flagged && run_start < 0) {
      run_start = i;
    } else if (!flagged && run_start >= 0) {
      if (i - run_start >= detection.min_periods) {
        const Period first =
            Period::FromOrdinal(index.granularity, index.first_ordinal + run_start);
        const Period last = Period::FromOrdinal(index.granularity, index.first_ordinal + i - 1);
        out.push_back({"detected " + first.ToString() + ".." + last.ToString(),
                       PeriodDates(first).first, PeriodDates(last).second, "detected"});
      }
      run_start = -1;
    }
  }
  return out;
}

Result<ShocksResult> AnalyzeShocks(const Registry& registry,
                                   const IndexSeries& index,
                                   const ShocksOptions& options) {
  const Scope& scope = options.scope;
  if (auto ok = ValidateScope(registry, scope); !ok) {
    return Fail(ok.error());
  }
  const Granularity g = scope.period;
  const int baseline_len = options.baseline_periods.value_or(3 * PeriodsPerYear(g));
  const int smoothing = options.smoothing_periods.value_or(PeriodsPerYear(g));
  if (baseline_len < 1 || smoothing < 1 || !(options.recovery_share > 0.0)) {
    return Fail(ErrorCode::kInvalidArgument, "shocks: baseline " + std::to_string(baseline_len) +
                                                 ", smoothing " + std::to_string(smoothing) +
                                                 " periods, recovery share " +
                                                 std::to_string(options.recovery_share) +
                                                 " (expected periods >= 1 and a share > 0)");
  }
  std::vector<Episode> episodes;
  if (options.builtin) {
    episodes = BuiltInEpisodes();
  }
  for (const auto& e : options.episodes) {
    if (e.from.empty() || e.to.empty() || e.from.FirstDay() > e.to.LastDay()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "episode '" + e.name + "' runs from '" + e.from.ToString() + "' to '" +
                      e.to.ToString() + "' (expected two dates, the first not after the second)");
    }
    Episode copy = e;
    if (copy.origin.empty()) {
      copy.origin = "user";
    }
    episodes.push_back(std::move(copy));
  }
  std::optional<AlignedIndex> aligned;
  if (!index.empty()) {
    auto a = AlignIndex(index, g);
    if (!a) {
      return Fail(a.error());
    }
    aligned = *std::move(a);
  }
  if (options.detect) {
    if (!aligned) {
      return Fail(ErrorCode::kInvalidArgument,
                  "shock detection needs a national index (expected --index FILE)");
    }
    auto detected = DetectEpisodes(*aligned, *options.detect);
    if (!detected) {
      return Fail(detected.error());
    }
    episodes.insert(episodes.end(), detected->begin(), detected->end());
  }

  ShocksResult out;
  out.granularity = g;
  const auto events = SelectEvents(registry, scope);
  const auto span = SeriesSpan(scope, events);
  if (!span) {
    for (const auto& e : episodes) {
      EpisodeReport r;
      r.episode = e;
      r.unavailable =
          "no activity of " + scope.home.name + " with " + scope.partner.Label() + " in the range";
      out.episodes.push_back(std::move(r));
    }
    return out;
  }
  const int first = span->first;
  const int last = span->second;
  const ActivitySeries series = BuildActivitySeries(events, g, first, last);
  out.periods = series.Labels();
  out.activity = series.values;
  const int n = static_cast<int>(series.size());

  // The comparison groups' universe: partners in the selected country (or the selected city's).
  const CityDirectory directory(registry);
  PartnerSelector universe;
  if (scope.partner.city) {
    universe.country = directory.CountryOf(*scope.partner.city);
  } else {
    universe.country = scope.partner.country;
  }
  Scope universe_scope = scope;
  universe_scope.partner = universe;
  const auto universe_events = SelectEvents(registry, universe_scope);
  std::vector<CityRef> partners;
  for (const Event* e : universe_events) {
    for (const auto& c : e->partner_cities) {
      if (directory.Selects(universe, c) && !SameCity(scope.home, c) &&
          std::none_of(partners.begin(), partners.end(),
                       [&](const CityRef& p) { return SameCity(p, c) && SameCity(c, p); })) {
        partners.push_back(c);
      }
    }
  }
  Scope mechanism_scope = scope;
  mechanism_scope.partner = universe;
  const auto mechanisms = internal::MechanismsInScope(registry, mechanism_scope);

  for (const auto& episode : episodes) {
    EpisodeReport r;
    r.episode = episode;
    const int e_first = Period::Containing(episode.from.FirstDay(), g).Ordinal();
    const int e_last = Period::Containing(episode.to.LastDay(), g).Ordinal();
    r.from_period = Period::FromOrdinal(g, e_first).ToString();
    r.to_period = Period::FromOrdinal(g, e_last).ToString();
    const int lo = std::max(e_first, first) - first;
    const int hi = std::min(e_last, last) - first;
    const int b_lo = std::max(e_first - baseline_len, first) - first;
    const int b_hi = e_first - 1 - first;
    if (hi < lo || b_hi < b_lo) {
      r.unavailable = "the data (" + out.periods.front() + ".." + out.periods.back() +
                      ") do not cover the episode and the " + std::to_string(baseline_len) +
                      " periods before it";
      out.episodes.push_back(std::move(r));
      continue;
    }
    r.truncated = e_first < first || e_last > last;
    r.periods = hi - lo + 1;
    r.baseline_periods = b_hi - b_lo + 1;
    r.baseline_mean = MeanOver(series.values, b_lo, b_hi);
    r.episode_mean = MeanOver(series.values, lo, hi);
    r.depth = Depth(r.baseline_mean, r.episode_mean);
    int trough_at = lo;
    for (int i = lo; i <= hi; ++i) {
      if (series.values[static_cast<std::size_t>(i)] <
          series.values[static_cast<std::size_t>(trough_at)]) {
        trough_at = i;
      }
    }
    r.trough = series.values[static_cast<std::size_t>(trough_at)];
    r.trough_period = series.Label(static_cast<std::size_t>(trough_at));
    const double target = options.recovery_share * r.baseline_mean;
    if (r.episode_mean >= target) {
      r.recovery_periods = 0;
    } else {
      const int onset = e_first - first;
      for (int t = std::max(onset + smoothing - 1, 0); t < n; ++t) {
        if (MeanOver(series.values, t - smoothing + 1, t) >= target) {
          r.recovery_periods = t - onset + 1;
          r.recovered_in = series.Label(static_cast<std::size_t>(t));
          break;
        }
      }
    }
    std::set<std::string> seen;
    for (int i = b_lo; i <= hi; ++i) {
      for (const auto& k : series.evidence[static_cast<std::size_t>(i)]) {
        if (seen.insert(k).second) {
          r.evidence.push_back(k);
        }
      }
    }

    // Institutionalized partners: in a mechanism with home founded before the onset and not
    // ended before it.
    const DayNumber onset_day = episode.from.FirstDay();
    std::vector<CityRef> inst;
    std::vector<CityRef> other;
    for (const auto& p : partners) {
      const bool institutionalized =
          std::any_of(mechanisms.begin(), mechanisms.end(), [&](const Mechanism* m) {
            const bool member = std::any_of(m->cities.begin(), m->cities.end(),
                                            [&](const CityRef& c) { return SameCity(c, p); });
            return member && !m->founded.empty() && m->founded.LastDay() < onset_day &&
                   (m->ended.empty() || m->ended.LastDay() >= onset_day);
          });
      (institutionalized ? inst : other).push_back(p);
    }
    const auto impact = [&](const std::vector<CityRef>& group) {
      GroupImpact gi;
      std::transform(group.begin(), group.end(), std::back_inserter(gi.partners), CityName);
      std::vector<const Event*> group_events;
      for (const Event* e : universe_events) {
        const bool in_group =
            std::any_of(e->partner_cities.begin(), e->partner_cities.end(), [&](const CityRef& c) {
              return std::any_of(group.begin(), group.end(),
                                 [&](const CityRef& p) { return SameCity(p, c); });
            });
        if (in_group) {
          group_events.push_back(e);
        }
      }
      const ActivitySeries gs = BuildActivitySeries(group_events, g, first, last);
      gi.baseline_mean = MeanOver(gs.values, b_lo, b_hi);
      gi.episode_mean = MeanOver(gs.values, lo, hi);
      gi.depth = Depth(gi.baseline_mean, gi.episode_mean);
      return gi;
    };
    r.institutionalized = impact(inst);
    r.others = impact(other);

    // Insulation counterfactual.
    if (!aligned) {
      r.counterfactual_unavailable = "no national index given";
    } else {
      const int c_first = std::max(first, aligned->first_ordinal);
      const int c_last = std::min(last, aligned->last_ordinal());
      const int m = c_last - c_first + 1;
      const int ce_lo = std::max(e_first, c_first);
      const int ce_hi = std::min(e_last, c_last);
      const int cb_lo = std::max(e_first - baseline_len, c_first);
      const int cb_hi = e_first - 1;
      if (m < 8 || ce_hi < ce_lo || cb_hi < cb_lo) {
        r.counterfactual_unavailable =
            "the index and the activity overlap too little around the episode (expected 8 "
            "common periods covering the baseline and the episode)";
      } else {
        std::vector<double> idx;
        for (int o = c_first; o <= c_last; ++o) {
          idx.push_back(aligned->values[static_cast<std::size_t>(o - aligned->first_ordinal)]);
        }
        const double mu = stats::Mean(idx);
        const double sd = stats::StdDev(idx, 1);
        if (!(sd > 0.0)) {
          r.counterfactual_unavailable = "the index is constant over the common periods";
        } else {
          Eigen::MatrixXd x(m, 3);
          Eigen::VectorXd y(m);
          for (int i = 0; i < m; ++i) {
            x(i, 0) = 1.0;
            x(i, 1) = static_cast<double>(i) / PeriodsPerYear(g);
            x(i, 2) = (idx[static_cast<std::size_t>(i)] - mu) / sd;
            y(i) = series.values[static_cast<std::size_t>(c_first - first + i)];
          }
          auto fit = stats::FitGlm(x, y);
          if (!fit) {
            r.counterfactual_unavailable = fit.error().message;
          } else {
            Counterfactual cf;
            double base_sum = 0.0;
            for (int o = cb_lo; o <= cb_hi; ++o) {
              base_sum += idx[static_cast<std::size_t>(o - c_first)];
            }
            cf.baseline_index = base_sum / (cb_hi - cb_lo + 1);
            const double z_base = (cf.baseline_index - mu) / sd;
            for (int o = ce_lo; o <= ce_hi; ++o) {
              const auto i = static_cast<Eigen::Index>(o - c_first);
              cf.observed += y(i);
              cf.expected_given_index += fit->mu(i);
              cf.expected_at_baseline +=
                  std::exp(fit->params(0) + fit->params(1) * x(i, 1) + fit->params(2) * z_base);
            }
            cf.insulation =
                cf.expected_at_baseline > 0.0 ? cf.observed / cf.expected_at_baseline : kNaN;
            cf.index_effect = {fit->params(2), fit->std_errors(2), fit->conf_int(2, 0),
                               fit->conf_int(2, 1), fit->p_values(2)};
            r.counterfactual = cf;
          }
        }
      }
    }
    out.episodes.push_back(std::move(r));
  }
  return out;
}

nlohmann::json ToJson(const ShocksResult& result) {
  using internal::Number;
  const auto group = [](const GroupImpact& g) -> nlohmann::json {
    return {{"partners", g.partners},
            {"baseline_mean", Number(g.baseline_mean)},
            {"episode_mean", Number(g.episode_mean)},
            {"depth", Number(g.depth)}};
  };
  nlohmann::json episodes = nlohmann::json::array();
  for (const auto& r : result.episodes) {
    nlohmann::json e = {{"name", r.episode.name},
                        {"origin", r.episode.origin},
                        {"from", internal::DateJson(r.episode.from)},
                        {"to", internal::DateJson(r.episode.to)}};
    if (!r.unavailable.empty()) {
      e["unavailable"] = r.unavailable;
      episodes.push_back(e);
      continue;
    }
    e["periods"] = r.periods;
    e["truncated"] = r.truncated;
    e["baseline"] = {{"periods", r.baseline_periods}, {"mean", Number(r.baseline_mean)}};
    e["during"] = {{"from", r.from_period},
                   {"to", r.to_period},
                   {"mean", Number(r.episode_mean)},
                   {"trough", Number(r.trough)},
                   {"trough_period", r.trough_period}};
    e["depth"] = Number(r.depth);
    e["recovery"] = {{"periods", r.recovery_periods ? nlohmann::json(*r.recovery_periods)
                                                    : nlohmann::json(nullptr)},
                     {"recovered_in", r.recovered_in.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(r.recovered_in)}};
    if (r.counterfactual) {
      const auto& cf = *r.counterfactual;
      e["counterfactual"] = {{"observed", Number(cf.observed)},
                             {"expected_given_index", Number(cf.expected_given_index)},
                             {"expected_at_baseline", Number(cf.expected_at_baseline)},
                             {"insulation", Number(cf.insulation)},
                             {"baseline_index", Number(cf.baseline_index)},
                             {"index_effect", internal::EstimateJson(cf.index_effect)}};
    } else {
      e["counterfactual"] = nullptr;
      e["counterfactual_unavailable"] = r.counterfactual_unavailable;
    }
    e["comparison"] = {{"institutionalized", group(r.institutionalized)},
                       {"others", group(r.others)}};
    e["evidence"] = r.evidence;
    episodes.push_back(e);
  }
  return {
      {"episodes", episodes},
      {"period", GranularityName(result.granularity)},
      {"series", {{"periods", result.periods}, {"activity", internal::Numbers(result.activity)}}}};
}

}  // namespace citydip::analytics
