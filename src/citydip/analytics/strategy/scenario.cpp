#include "citydip/analytics/strategy/scenario.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "citydip/analytics/stats/summary.h"
#include "citydip/core/text.h"

namespace citydip::analytics::strategy {
namespace {

// The 95% quantile of χ²₁: a likelihood-ratio test of α = 0 at the 5% level, halved because α = 0
// lies on the boundary of the parameter space (Self & Liang 1987).
constexpr double kOverdispersionCritical = 2.705543454095404;
constexpr int kMinMonths = 24;

// One series on consecutive month ordinals.
struct Monthly {
  int first = 0;
  const std::vector<double>* values = nullptr;

  [[nodiscard]] int last() const { return first + static_cast<int>(values->size()) - 1; }
  [[nodiscard]] bool Has(int ordinal) const { return ordinal >= first && ordinal <= last(); }
  [[nodiscard]] double At(int ordinal) const {
    return (*values)[static_cast<std::size_t>(ordinal - first)];
  }
};

struct Sample {
  int first = 0;
  int last = -1;
  [[nodiscard]] int size() const { return last - first + 1; }
};

// The months t for which the count and every lagged index value exist, up to `cutoff`.
Sample UsableMonths(const Monthly& counts,
                    const Monthly& index,
                    const std::vector<int>& lags,
                    int cutoff) {
  const int max_lag = *std::max_element(lags.begin(), lags.end());
  const int min_lag = *std::min_element(lags.begin(), lags.end());
  return {std::max(counts.first, index.first + max_lag),
          std::min({counts.last(), index.last() + min_lag, cutoff})};
}

// Mean and sample sd of the index months that enter the design of `sample`.
std::pair<double, double> IndexMoments(const Monthly& index,
                                       const std::vector<int>& lags,
                                       const Sample& sample) {
  const int max_lag = *std::max_element(lags.begin(), lags.end());
  const int min_lag = *std::min_element(lags.begin(), lags.end());
  std::vector<double> values;
  for (int s = sample.first - max_lag; s <= sample.last - min_lag; ++s) {
    values.push_back(index.At(s));
  }
  return {stats::Mean(values), stats::StdDev(values, 1)};
}

std::string LagList(const std::vector<int>& lags) {
  std::string text;
  for (int lag : lags) {
    text += (text.empty() ? "" : ", ") + std::to_string(lag);
  }
  return text;
}

struct Fit {
  stats::GlmResult glm;
  double mean = 0.0;
  double sd = 0.0;
  double poisson_dispersion = 0.0;
  std::optional<double> lr;
};

// Index value at `ordinal`: observed when known, else `assumed`.
double IndexAt(const Monthly& index, int ordinal, double assumed) {
  return index.Has(ordinal) ? index.At(ordinal) : assumed;
}

Eigen::MatrixXd Design(const Monthly& index,
                       const std::vector<int>& lags,
                       int first,
                       int last,
                       double mean,
                       double sd,
                       double assumed) {
  Eigen::MatrixXd x(last - first + 1, static_cast<Eigen::Index>(lags.size()) + 1);
  for (int t = first; t <= last; ++t) {
    const Eigen::Index row = t - first;
    x(row, 0) = 1.0;
    for (std::size_t j = 0; j < lags.size(); ++j) {
      x(row, static_cast<Eigen::Index>(j) + 1) = (IndexAt(index, t - lags[j], assumed) - mean) / sd;
    }
  }
  return x;
}

Result<Fit> FitModel(const Monthly& counts,
                     const Monthly& index,
                     const std::vector<int>& lags,
                     const Sample& sample,
                     CountFamily family) {
  if (sample.size() < kMinMonths) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the activity and the national index overlap on " +
                    std::to_string(std::max(0, sample.size())) + " usable months with lag(s) " +
                    LagList(lags) + " (at least " + std::to_string(kMinMonths) + " are needed)");
  }
  Fit fit;
  std::tie(fit.mean, fit.sd) = IndexMoments(index, lags, sample);
  if (!(fit.sd > 0.0) || !std::isfinite(fit.sd)) {
    return Fail(ErrorCode::kFailedPrecondition, "the national index is constant over the sample");
  }
  const Eigen::MatrixXd x = Design(index, lags, sample.first, sample.last, fit.mean, fit.sd, 0.0);
  Eigen::VectorXd y(sample.size());
  for (int t = sample.first; t <= sample.last; ++t) {
    y(t - sample.first) = counts.At(t);
  }
  if (y.sum() <= 0.0) {
    return Fail(ErrorCode::kFailedPrecondition,
                "no activity is recorded in the estimation months, so there is nothing to model");
  }
  auto poisson = stats::FitGlm(x, y);
  if (!poisson) {
    return Fail(poisson.error());
  }
  fit.poisson_dispersion = poisson->df_resid > 0 ? poisson->pearson_chi2 / poisson->df_resid : 0.0;
  fit.glm = std::move(*poisson);
  if (family == CountFamily::kPoisson) {
    return fit;
  }
  auto nb = stats::FitNegativeBinomialMle(x, y);
  if (nb) {
    fit.lr = 2.0 * (nb->fit.log_likelihood - fit.glm.log_likelihood);
  }
  if (family == CountFamily::kNegativeBinomial) {
    if (!nb) {
      return Fail(nb.error());
    }
    fit.glm = std::move(nb->fit);
  } else if (nb && fit.lr && *fit.lr > kOverdispersionCritical) {
    fit.glm = std::move(nb->fit);
  }
  return fit;
}

// Draws of the total count over rows of `x` under parameter and count uncertainty.
class Simulator {
 public:
  Simulator(const stats::GlmResult& glm, std::uint64_t seed) : glm_(glm), rng_(seed) {
    Eigen::LLT<Eigen::MatrixXd> llt(glm.covariance);
    if (llt.info() == Eigen::Success) {
      root_ = llt.matrixL();
    } else {  // not positive definite: keep the marginal variances
      root_ = glm.covariance.diagonal().cwiseMax(0.0).cwiseSqrt().asDiagonal();
    }
  }

  Eigen::VectorXd DrawParams() {
    Eigen::VectorXd z(glm_.params.size());
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      z(i) = normal_(rng_);
    }
    return glm_.params + root_ * z;
  }

  double DrawTotal(const Eigen::MatrixXd& x, const Eigen::VectorXd& params) {
    const Eigen::VectorXd mu = (x * params).array().exp().matrix();
    double total = 0.0;
    for (Eigen::Index i = 0; i < mu.size(); ++i) {
      double mean = std::min(mu(i), 1e7);
      if (glm_.family == stats::GlmFamily::kNegativeBinomial && glm_.nb_alpha > 0.0) {
        std::gamma_distribution<double> gamma(1.0 / glm_.nb_alpha, glm_.nb_alpha * mean);
        mean = gamma(rng_);
      }
      if (mean > 0.0) {
        std::poisson_distribution<long long> poisson(mean);
        total += static_cast<double>(poisson(rng_));
      }
    }
    return total;
  }

 private:
  const stats::GlmResult& glm_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_;
  Eigen::MatrixXd root_;
};

// Linear-interpolation quantile of sorted values (numpy's default).
double Quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::pair<double, double> Interval(std::vector<double> draws, double level) {
  std::sort(draws.begin(), draws.end());
  return {Quantile(draws, (1.0 - level) / 2.0), Quantile(draws, 1.0 - (1.0 - level) / 2.0)};
}

}  // namespace

Result<double> ParseSd(std::string_view text) {
  std::string value(Trim(text));
  std::string lower = ToLowerAscii(value);
  if (lower.size() >= 2 && lower.compare(lower.size() - 2, 2, "sd") == 0) {
    value = std::string(Trim(std::string_view(value).substr(0, value.size() - 2)));
  }
  if (!value.empty() && value.front() == '+') {
    value.erase(0, 1);
  }
  double number = 0.0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
      !std::isfinite(number)) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + std::string(text) +
                    "' is not a number of standard deviations (expected e.g. -2sd or 1.5)");
  }
  return number;
}

Result<ScenarioResult> RunScenario(const ActivitySeries& activity,
                                   const AlignedIndex& index,
                                   const ScenarioOptions& options) {
  if (activity.granularity != Granularity::kMonth || index.granularity != Granularity::kMonth) {
    return Fail(ErrorCode::kInvalidArgument,
                "the scenario model needs monthly series (activity and national index)");
  }
  if (options.horizon_months < 1 || options.horizon_months > 60) {
    return Fail(ErrorCode::kInvalidArgument, "the horizon must be 1 to 60 months, not " +
                                                 std::to_string(options.horizon_months));
  }
  if (options.simulations < 100 || options.simulations > 100000) {
    return Fail(ErrorCode::kInvalidArgument,
                "simulations must be 100 to 100000, not " + std::to_string(options.simulations));
  }
  if (!(options.interval_level > 0.0 && options.interval_level < 1.0)) {
    return Fail(ErrorCode::kInvalidArgument, "the interval level must be between 0 and 1");
  }
  if (!std::isfinite(options.shock_sd)) {
    return Fail(ErrorCode::kInvalidArgument, "the index shock must be a finite number");
  }
  if (options.max_lag < 0 || options.max_lag > 36 || options.baseline_months < 1) {
    return Fail(ErrorCode::kInvalidArgument, "the largest lag must be 0 to 36 months");
  }
  for (int lag : options.lags) {
    if (lag < 0 || lag > 36) {
      return Fail(ErrorCode::kInvalidArgument,
                  "lags must be 0 to 36 months, not " + std::to_string(lag));
    }
  }
  if (activity.values.empty() || index.values.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "the activity or the national index is empty");
  }
  const Monthly counts{activity.first_ordinal, &activity.values};
  const Monthly national{index.first_ordinal, &index.values};
  const int no_cutoff = std::numeric_limits<int>::max();

  ScenarioResult result;
  ScenarioModel& model = result.model;
  if (!options.lags.empty()) {
    model.lags = options.lags;
    std::sort(model.lags.begin(), model.lags.end());
    model.lags.erase(std::unique(model.lags.begin(), model.lags.end()), model.lags.end());
    model.lag_basis = "given";
  } else if (options.suggested_lag && *options.suggested_lag >= 0 &&
             *options.suggested_lag <= options.max_lag) {
    model.lags = {*options.suggested_lag};
    model.lag_basis = "barometer";
  } else {
    // One lag at a time on the sample every candidate can use, so the AICs compare.
    std::vector<int> all_lags{0, options.max_lag};
    const Sample common = UsableMonths(counts, national, all_lags, no_cutoff);
    double best_aic = std::numeric_limits<double>::infinity();
    std::optional<Error> last_error;
    for (int lag = 0; lag <= options.max_lag; ++lag) {
      auto fit = FitModel(counts, national, {lag}, common, CountFamily::kPoisson);
      if (!fit) {
        last_error = fit.error();
        continue;
      }
      if (fit->glm.aic < best_aic - 1e-9) {
        best_aic = fit->glm.aic;
        model.lags = {lag};
      }
    }
    if (model.lags.empty()) {
      return Fail(last_error.value_or(
          Error{ErrorCode::kFailedPrecondition, "no lag of the index could be fitted", ""}));
    }
    model.lag_basis = "aic";
  }

  const Sample sample = UsableMonths(counts, national, model.lags, no_cutoff);
  auto fit = FitModel(counts, national, model.lags, sample, options.family);
  if (!fit) {
    return Fail(fit.error());
  }
  const stats::GlmResult& glm = fit->glm;
  model.family = glm.family;
  model.nb_alpha = glm.family == stats::GlmFamily::kNegativeBinomial ? glm.nb_alpha : 0.0;
  model.params.assign(glm.params.data(), glm.params.data() + glm.params.size());
  model.std_errors.assign(glm.std_errors.data(), glm.std_errors.data() + glm.std_errors.size());
  model.index_mean = fit->mean;
  model.index_sd = fit->sd;
  model.first_ordinal = sample.first;
  model.last_ordinal = sample.last;
  model.nobs = sample.size();
  model.log_likelihood = glm.log_likelihood;
  model.aic = glm.aic;
  model.poisson_dispersion = fit->poisson_dispersion;
  model.overdispersion_lr = fit->lr;

  // The horizon: the months after the estimation sample. Index months after the index's last
  // observation are assumed: its recent mean (baseline), shifted by the shock (scenario).
  result.origin_ordinal = sample.last;
  result.horizon_months = options.horizon_months;
  result.index_last_ordinal = national.last();
  result.shock_sd = options.shock_sd;
  result.interval_level = options.interval_level;
  {
    const int months = std::min(options.baseline_months, static_cast<int>(index.values.size()));
    double sum = 0.0;
    for (int s = national.last() - months + 1; s <= national.last(); ++s) {
      sum += national.At(s);
    }
    result.index_baseline = sum / months;
  }
  result.index_shocked = result.index_baseline + options.shock_sd * model.index_sd;
  const int first = sample.last + 1;
  const int last = sample.last + options.horizon_months;
  const Eigen::MatrixXd x_baseline =
      Design(national, model.lags, first, last, fit->mean, fit->sd, result.index_baseline);
  const Eigen::MatrixXd x_scenario =
      Design(national, model.lags, first, last, fit->mean, fit->sd, result.index_shocked);

  const auto fill = [&](Forecast& forecast, const Eigen::MatrixXd& x, double assumed) {
    const Eigen::VectorXd mu = stats::PredictMean(glm, x);
    forecast.monthly_expected.assign(mu.data(), mu.data() + mu.size());
    forecast.expected_total = mu.sum();
    for (int t = first; t <= last; ++t) {
      forecast.index_path.push_back(IndexAt(national, t - model.lags.front(), assumed));
    }
  };
  fill(result.baseline, x_baseline, result.index_baseline);
  fill(result.scenario, x_scenario, result.index_shocked);

  Simulator simulator(glm, options.seed);
  std::vector<double> baseline_draws;
  std::vector<double> scenario_draws;
  std::vector<double> change_draws;
  for (int s = 0; s < options.simulations; ++s) {
    const Eigen::VectorXd params = simulator.DrawParams();
    const double base = simulator.DrawTotal(x_baseline, params);
    const double shocked = simulator.DrawTotal(x_scenario, params);
    baseline_draws.push_back(base);
    scenario_draws.push_back(shocked);
    change_draws.push_back(shocked - base);
  }
  std::tie(result.baseline.interval_low, result.baseline.interval_high) =
      Interval(baseline_draws, options.interval_level);
  std::tie(result.scenario.interval_low, result.scenario.interval_high) =
      Interval(scenario_draws, options.interval_level);
  result.change = result.scenario.expected_total - result.baseline.expected_total;
  std::tie(result.change_low, result.change_high) = Interval(change_draws, options.interval_level);

  // Back-tests: the model as it would have been fitted before each episode, forecasting the
  // episode's months from the index that was then observed.
  for (const auto& episode : options.episodes) {
    BacktestResult test;
    test.episode = episode.name;
    test.start_ordinal = episode.start_ordinal;
    test.months = options.horizon_months;
    const int end = episode.start_ordinal + options.horizon_months - 1;
    const int min_lag = model.lags.front();
    if (end > counts.last() || end - min_lag > national.last()) {
      test.unavailable = "the data do not cover the " + std::to_string(options.horizon_months) +
                         " months from " +
                         Period::FromOrdinal(Granularity::kMonth, episode.start_ordinal).ToString();
      result.backtest.push_back(std::move(test));
      continue;
    }
    const Sample before = UsableMonths(counts, national, model.lags, episode.start_ordinal - 1);
    auto past =
        FitModel(counts, national, model.lags, before,
                 glm.family == stats::GlmFamily::kNegativeBinomial ? CountFamily::kNegativeBinomial
                                                                   : CountFamily::kPoisson);
    if (!past && glm.family == stats::GlmFamily::kNegativeBinomial) {
      past = FitModel(counts, national, model.lags, before, CountFamily::kPoisson);
    }
    if (!past) {
      test.unavailable =
          "cannot fit the model on the months before the episode: " + past.error().message;
      result.backtest.push_back(std::move(test));
      continue;
    }
    const Eigen::MatrixXd x =
        Design(national, model.lags, episode.start_ordinal, end, past->mean, past->sd, 0.0);
    test.predicted = stats::PredictMean(past->glm, x).sum();
    for (int t = episode.start_ordinal; t <= end; ++t) {
      test.actual += counts.At(t);
    }
    test.error = test.predicted - test.actual;
    Simulator episode_simulator(past->glm, options.seed + 1 + result.backtest.size());
    std::vector<double> draws;
    for (int s = 0; s < options.simulations; ++s) {
      draws.push_back(episode_simulator.DrawTotal(x, episode_simulator.DrawParams()));
    }
    std::tie(test.interval_low, test.interval_high) = Interval(draws, options.interval_level);
    test.covered =
        test.actual >= test.interval_low - 1e-9 && test.actual <= test.interval_high + 1e-9;
    result.backtest.push_back(std::move(test));
  }
  return result;
}

Result<WatchResult> WatchIndex(const AlignedIndex& index, double threshold_sd) {
  if (threshold_sd == 0.0 || !std::isfinite(threshold_sd)) {
    return Fail(ErrorCode::kInvalidArgument,
                "the warning threshold must be a non-zero number of standard deviations");
  }
  if (index.values.size() < 5) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the national index has " + std::to_string(index.values.size()) +
                    " values; at least 5 are needed (4 of history and the latest)");
  }
  const std::vector<double> history(index.values.begin(), index.values.end() - 1);
  WatchResult result;
  result.mean = stats::Mean(history);
  result.sd = stats::StdDev(history, 1);
  if (!(result.sd > 0.0)) {
    return Fail(ErrorCode::kFailedPrecondition, "the national index's history is constant");
  }
  const int last = index.last_ordinal();
  result.latest_period = Period::FromOrdinal(index.granularity, last).ToString();
  result.previous_period = Period::FromOrdinal(index.granularity, last - 1).ToString();
  result.latest_value = index.values.back();
  result.latest_z = (result.latest_value - result.mean) / result.sd;
  result.previous_z = (index.values[index.values.size() - 2] - result.mean) / result.sd;
  result.threshold_sd = threshold_sd;
  result.threshold_value = result.mean + threshold_sd * result.sd;
  const auto beyond = [&](double z) {
    return threshold_sd < 0 ? z <= threshold_sd : z >= threshold_sd;
  };
  result.warning = beyond(result.latest_z);
  result.crossed = result.warning && !beyond(result.previous_z);
  return result;
}

}  // namespace citydip::analytics::strategy
