#include "citydip/analytics/strategy/scorecard.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "citydip/analytics/strategy/internal/calendar.h"
#include "citydip/analytics/strategy/internal/evaluator.h"
#include "citydip/analytics/strategy/internal/registry_index.h"

namespace citydip::analytics::strategy {

std::string_view KpiStatusName(KpiStatus status) {
  switch (status) {
    case KpiStatus::kMet:
      return "met";
    case KpiStatus::kOnTrack:
      return "on_track";
    case KpiStatus::kBehind:
      return "behind";
    case KpiStatus::kNoData:
      return "no_data";
  }
  return "no_data";
}

std::string_view KpiStatusLabel(KpiStatus status, bool korean) {
  switch (status) {
    case KpiStatus::kMet:
      return korean ? "달성" : "met";
    case KpiStatus::kOnTrack:
      return korean ? "순항" : "on track";
    case KpiStatus::kBehind:
      return korean ? "미흡" : "behind";
    case KpiStatus::kNoData:
      return korean ? "자료 없음" : "no data";
  }
  return "no data";
}

std::string_view TrendName(Trend trend) {
  switch (trend) {
    case Trend::kUp:
      return "up";
    case Trend::kDown:
      return "down";
    case Trend::kFlat:
      return "flat";
    case Trend::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string FormatValue(Measure measure, double value, std::string_view unit) {
  const auto fixed = [](double number, int decimals) {
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof(buffer), number, std::chars_format::fixed, decimals);
    std::string text(buffer, result.ptr);
    if (text == "-0" || text == "-0.0" || text == "-0.000") {
      text.erase(0, 1);
    }
    return text;
  };
  std::string text;
  switch (measure) {
    case Measure::kShare:
      text = fixed(value * 100.0, 0) + "%";
      break;
    case Measure::kCount:
    case Measure::kDistinct:
      text = fixed(value, 0);
      break;
    case Measure::kRate:
      text = fixed(value, 1) + "/yr";
      break;
    case Measure::kTrend:
      text = (value > 0 ? "+" : "") + fixed(value, 1) + "/yr²";
      break;
    case Measure::kMetric: {
      text = fixed(value, 3);
      while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
        const bool dot = text.back() == '.';
        text.pop_back();
        if (dot) {
          break;
        }
      }
      break;
    }
  }
  if (!unit.empty()) {
    text += " " + std::string(unit);
  }
  return text;
}

Status ValidatePlan(const StrategyPlan& plan,
                    const Registry& registry,
                    const AnalysisInputs& inputs) {
  const internal::RegistryIndex index(registry);
  internal::Evaluator evaluator(plan, index, inputs);
  return evaluator.Resolve();
}

namespace {

// Weighted mean of `scores` (entries without a score are skipped); nullopt when none has one.
std::optional<double> WeightedMean(
    const std::vector<std::pair<double, std::optional<double>>>& items) {
  double sum = 0.0;
  double weights = 0.0;
  for (const auto& [weight, score] : items) {
    if (score) {
      sum += weight * *score;
      weights += weight;
    }
  }
  if (weights <= 0.0) {
    return std::nullopt;
  }
  return sum / weights;
}

// met when every part with data is met; on track when the score reaches the threshold.
KpiStatus Aggregate(const std::vector<KpiStatus>& parts,
                    std::optional<double> score,
                    double on_track) {
  bool any_data = false;
  bool all_met = true;
  for (auto status : parts) {
    if (status == KpiStatus::kNoData) {
      continue;
    }
    any_data = true;
    all_met = all_met && status == KpiStatus::kMet;
  }
  if (!any_data || !score) {
    return KpiStatus::kNoData;
  }
  if (all_met) {
    return KpiStatus::kMet;
  }
  return *score >= on_track * 100.0 - 1e-9 ? KpiStatus::kOnTrack : KpiStatus::kBehind;
}

// Latest first: by date, then id; a record cited by two KPIs is kept once.
std::vector<Evidence> MergeEvidence(const std::vector<KpiResult>& kpis, std::size_t max) {
  std::vector<Evidence> all;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& kpi : kpis) {
    for (const auto& item : kpi.evidence) {
      const std::string key = item.id != 0 ? std::to_string(item.id) : item.text_en;
      if (seen.emplace(item.kind, key).second) {
        all.push_back(item);
      }
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Evidence& a, const Evidence& b) {
    if (a.date != b.date) {
      return a.date > b.date;
    }
    return a.id > b.id;
  });
  if (all.size() > max) {
    all.resize(max);
  }
  return all;
}

double SumWeights(const auto& items) {
  double sum = 0.0;
  for (const auto& item : items) {
    sum += item.weight;
  }
  return sum;
}

}  // namespace

Result<Scorecard> ScorePlan(const StrategyPlan& plan,
                            const Registry& registry,
                            const AnalysisInputs& inputs,
                            const ScoreOptions& options) {
  if (options.as_of.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the as-of date is empty (expected YYYY-MM-DD)");
  }
  const internal::RegistryIndex index(registry);
  internal::Evaluator evaluator(plan, index, inputs);
  if (auto status = evaluator.Resolve(); !status) {
    return Fail(status.error());
  }
  const DayNumber as_of = options.as_of.LastDay();

  Scorecard card;
  card.name_en = plan.name_en;
  card.name_ko = plan.name_ko;
  card.home = index.LabelOf(evaluator.home());
  card.as_of = internal::DateOfDay(as_of);

  const double plan_weight = SumWeights(plan.strategies);
  std::vector<std::pair<double, std::optional<double>>> strategy_scores;
  std::vector<KpiStatus> strategy_statuses;
  for (const auto& strategy : plan.strategies) {
    StrategyResult strategy_result;
    strategy_result.id = strategy.id;
    strategy_result.name_en = strategy.name_en;
    strategy_result.name_ko = strategy.name_ko;
    strategy_result.weight = strategy.weight;
    const double strategy_share = strategy.weight / plan_weight;
    const double strategy_weight = SumWeights(strategy.actions);

    std::vector<std::pair<double, std::optional<double>>> action_scores;
    std::vector<KpiStatus> action_statuses;
    for (const auto& action : strategy.actions) {
      ActionResult action_result;
      action_result.id = action.id;
      action_result.name_en = action.name_en;
      action_result.name_ko = action.name_ko;
      action_result.weight = action.weight;
      action_result.owner = action.owner;
      const double action_share = strategy_share * action.weight / strategy_weight;
      const double action_weight = SumWeights(action.kpis);

      std::vector<std::pair<double, std::optional<double>>> kpi_scores;
      std::vector<KpiStatus> kpi_statuses;
      for (const auto& kpi : action.kpis) {
        KpiResult result = evaluator.Evaluate(kpi, as_of, options.max_evidence);
        const double kpi_share = action_share * kpi.weight / action_weight;
        result.gap = (1.0 - result.progress.value_or(0.0)) * kpi_share * 100.0;
        action_result.gap += result.gap;
        kpi_scores.emplace_back(kpi.weight, result.progress);
        kpi_statuses.push_back(result.status);
        action_result.kpis.push_back(std::move(result));
      }
      const auto mean = WeightedMean(kpi_scores);
      if (mean) {
        action_result.score = *mean * 100.0;
      }
      action_result.status = Aggregate(kpi_statuses, action_result.score, plan.on_track);
      action_result.evidence = MergeEvidence(action_result.kpis, options.max_evidence);
      strategy_result.gap += action_result.gap;
      action_scores.emplace_back(action.weight, action_result.score);
      action_statuses.push_back(action_result.status);
      strategy_result.actions.push_back(std::move(action_result));
    }
    strategy_result.score = WeightedMean(action_scores);
    strategy_result.status = Aggregate(action_statuses, strategy_result.score, plan.on_track);
    strategy_scores.emplace_back(strategy.weight, strategy_result.score);
    strategy_statuses.push_back(strategy_result.status);
    card.strategies.push_back(std::move(strategy_result));
  }
  card.score = WeightedMean(strategy_scores);
  card.status = Aggregate(strategy_statuses, card.score, plan.on_track);
  return card;
}

}  // namespace citydip::analytics::strategy
