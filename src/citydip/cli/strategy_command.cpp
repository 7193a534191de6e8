// strategy score | recommend, scenario, watch: the strategy engine's commands (docs/strategy.md).
#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "citydip/app/store_factory.h"
#include "citydip/app/strategy_service.h"
#include "citydip/cli/context.h"
#include "citydip/core/text.h"
#include "citydip/report/table.h"

namespace citydip::cli {
namespace {

namespace strategy = analytics::strategy;
using report::Align;
using report::Table;

std::string Fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return "-";
  }
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, decimals);
  std::string text(buffer, result.ptr);
  if (text.size() > 1 && text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) {
    text.erase(0, 1);  // "-0.0"
  }
  return text;
}

std::string Signed(double value, int decimals) {
  return (value > 0 ? "+" : "") + Fixed(value, decimals);
}

Status ParseAsOf(const std::string& text, PartialDate& out) {
  if (text.empty()) {
    return Ok();
  }
  auto date = PartialDate::Parse(text);
  if (!date) {
    return Fail(ErrorCode::kInvalidArgument, date.error().message, "--as-of");
  }
  out = *date;
  return Ok();
}

std::string_view StatusLabel(strategy::KpiStatus status, bool korean) {
  return strategy::KpiStatusLabel(status, korean);
}

std::string TrendArrow(strategy::Trend trend) {
  switch (trend) {
    case strategy::Trend::kUp:
      return "↑";
    case strategy::Trend::kDown:
      return "↓";
    case strategy::Trend::kFlat:
      return "→";
    case strategy::Trend::kUnknown:
      break;
  }
  return "";
}

std::string Score(const std::optional<double>& score) {
  return score ? Fixed(*score, 1) : "-";
}

std::string RenderScorecard(const app::StrategyReport& report, bool korean, bool evidence) {
  const strategy::Scorecard& card = report.scorecard;
  std::string out = (korean ? card.name_ko : card.name_en);
  out += korean ? " — " + card.as_of.ToString() + " 기준 — 종합 "
                : " — as of " + card.as_of.ToString() + " — overall ";
  out += Score(card.score) + " (" + std::string(StatusLabel(card.status, korean)) + ")\n";
  for (const auto& s : card.strategies) {
    out += "\n" + (korean ? s.name_ko : s.name_en) + "  " + Score(s.score) + "  " +
           std::string(StatusLabel(s.status, korean)) + "\n";
    Table table;
    table.AddColumn("");
    table.AddColumn(korean ? "과제 / 지표" : "action / KPI", Align::kLeft, 64);
    table.AddColumn(korean ? "값" : "value", Align::kRight);
    table.AddColumn(korean ? "목표" : "target", Align::kRight);
    table.AddColumn(korean ? "상태" : "status");
    table.AddColumn(korean ? "추세" : "trend");
    for (const auto& a : s.actions) {
      table.AddRow({a.id, korean ? a.name_ko : a.name_en, Score(a.score), "",
                    std::string(StatusLabel(a.status, korean)), ""});
      for (const auto& k : a.kpis) {
        const std::string target =
            (k.direction == strategy::TargetDirection::kDecrease ? "≤ " : "≥ ") +
            strategy::FormatValue(k.measure, k.target, k.unit);
        table.AddRow({"", "  " + (korean ? k.name_ko : k.name_en),
                      k.value ? strategy::FormatValue(k.measure, *k.value, k.unit) : "-", target,
                      std::string(StatusLabel(k.status, korean)), TrendArrow(k.trend)});
      }
    }
    out += table.Render();
    if (evidence) {
      for (const auto& a : s.actions) {
        for (const auto& item : a.evidence) {
          out += "  " + a.id + "  " + item.date + "  " + (korean ? item.text_ko : item.text_en) +
                 (item.sources.empty() ? "" : "  " + item.sources.front()) + "\n";
        }
      }
    }
  }
  return out;
}

std::string RenderRecommendations(const app::StrategyReport& report, bool korean) {
  std::string out;
  if (report.recommendations.empty()) {
    return korean ? "모든 지표가 목표를 달성했습니다.\n" : "Every KPI meets its target.\n";
  }
  int rank = 0;
  for (const auto& r : report.recommendations) {
    out += std::to_string(++rank) + ". [" + Fixed(r.gap, 1) + "] " +
           (korean ? r.text_ko : r.text_en) + "\n";
  }
  out += korean ? "\n[ ] 안의 수치: 가중 격차(종합 점수 100점 중 미달분)\n"
                : "\n[gap]: the weighted shortfall, in points of the overall score of 100\n";
  return out;
}

std::string Interval(double low, double high) {
  return Fixed(low, 0) + "–" + Fixed(high, 0);
}

std::string MonthOf(int ordinal) {
  return analytics::Period::FromOrdinal(analytics::Granularity::kMonth, ordinal).ToString();
}

std::string RenderScenario(const app::ScenarioReport& report) {
  const strategy::ScenarioResult& r = report.result;
  const strategy::ScenarioModel& m = r.model;
  const int level = static_cast<int>(std::lround(r.interval_level * 100));
  std::string lags;
  for (int lag : m.lags) {
    lags += (lags.empty() ? "" : ", ") + std::to_string(lag);
  }
  std::string out = "Scenario: " + report.home.name_en + "'s exchanges with " +
                    report.partner.name_en + " if the national index moves " +
                    Signed(r.shock_sd, 1) + " sd (from " + Fixed(r.index_baseline, 3) + " to " +
                    Fixed(r.index_shocked, 3) + ")\n";
  out += "Index: " + report.index_path + " (last month " + MonthOf(r.index_last_ordinal) + ")\n";
  out += "Model: " +
         std::string(m.family == analytics::stats::GlmFamily::kPoisson
                         ? "Poisson"
                         : "negative binomial (alpha " + Fixed(m.nb_alpha, 3) + ")") +
         ", index lag " + lags + " month(s) (" + m.lag_basis + "), " + std::to_string(m.nobs) +
         " months " + MonthOf(m.first_ordinal) + "..." + MonthOf(m.last_ordinal) + "\n";
  for (std::size_t i = 1; i < m.params.size(); ++i) {
    out += "  lag " + std::to_string(m.lags[i - 1]) + ": " + Signed(m.params[i], 3) +
           " per sd of the index (se " + Fixed(m.std_errors[i], 3) + "), activity x" +
           Fixed(std::exp(m.params[i]), 2) + "\n";
  }
  if (!report.barometer_note.empty()) {
    out += "  barometer: " + report.barometer_note + "\n";
  }
  out += "Next " + std::to_string(r.horizon_months) + " months (" + MonthOf(r.origin_ordinal + 1) +
         "..." + MonthOf(r.origin_ordinal + r.horizon_months) + "), expected exchanges:\n";
  out += "  baseline  " + Fixed(r.baseline.expected_total, 1) + "  (" + std::to_string(level) +
         "% interval " + Interval(r.baseline.interval_low, r.baseline.interval_high) + ")\n";
  out += "  scenario  " + Fixed(r.scenario.expected_total, 1) + "  (" + std::to_string(level) +
         "% interval " + Interval(r.scenario.interval_low, r.scenario.interval_high) + ")\n";
  out += "  change    " + Signed(r.change, 1) + "  (" + std::to_string(level) + "% interval " +
         Fixed(r.change_low, 0) + " to " + Fixed(r.change_high, 0) + ")\n";
  if (!r.backtest.empty()) {
    out += "Back-tests (model fitted before the episode, forecast from the index then observed):\n";
    for (const auto& b : r.backtest) {
      out += "  " + b.episode + " (" + MonthOf(b.start_ordinal) + ", " + std::to_string(b.months) +
             " months): ";
      if (!b.unavailable.empty()) {
        out += "not possible: " + b.unavailable + "\n";
        continue;
      }
      out += "predicted " + Fixed(b.predicted, 1) + ", actual " + Fixed(b.actual, 0) + ", error " +
             Signed(b.error, 1) + " (interval " + Interval(b.interval_low, b.interval_high) +
             (b.covered ? ", covered)" : ", missed)") + "\n";
    }
  }
  return out;
}

std::string RenderWatch(const app::WatchReport& report) {
  const strategy::WatchResult& r = report.result;
  std::string out = "National index " + r.latest_period + ": " + Fixed(r.latest_value, 3) +
                    " (z = " + Signed(r.latest_z, 2) + "; history mean " + Fixed(r.mean, 3) +
                    ", sd " + Fixed(r.sd, 3) + ")\n";
  const std::string side = r.threshold_sd < 0 ? "below" : "above";
  if (r.warning) {
    out += std::string("WARNING: ") + side + " the threshold of " + Signed(r.threshold_sd, 1) +
           " sd (" + Fixed(r.threshold_value, 3) + ")" +
           (r.crossed ? "; crossed since " + r.previous_period : "; also in " + r.previous_period) +
           "\n";
  } else {
    out += "ok: not " + side + " the threshold of " + Signed(r.threshold_sd, 1) + " sd (" +
           Fixed(r.threshold_value, 3) + ")\n";
  }
  return out;
}

struct StrategyArgs {
  std::string strategy;
  std::string index;
  std::string as_of;
  bool json = false;
  std::string lang = "en";
  bool evidence = false;
  std::size_t max_evidence = 5;
  std::size_t limit = 0;
};

void AddCommonOptions(CLI::App* command, StrategyArgs& args) {
  command->add_option("--strategy", args.strategy,
                      "strategy file (TOML; default: data/strategy/seoul-china.toml under "
                      "$CITYDIP_DATA_DIR or ./data)");
  command->add_option("--as-of", args.as_of, "evaluation date YYYY[-MM[-DD]] (default: today)");
  command->add_option("--index", args.index,
                      "national index CSV (period,value) for national.index_z (default: the one "
                      "CSV in data/national-index/)");
  command->add_option("--lang", args.lang, "en or ko")->check(CLI::IsMember({"en", "ko"}));
}

Result<app::StrategyRequest> MakeRequest(const StrategyArgs& args) {
  app::StrategyRequest request;
  request.strategy_path = args.strategy;
  request.index_path = args.index;
  request.max_evidence = args.max_evidence;
  request.limit = args.limit;
  if (auto status = ParseAsOf(args.as_of, request.as_of); !status) {
    return Fail(status.error());
  }
  return request;
}

}  // namespace

void RegisterStrategyCommand(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand(
      "strategy", "the strategy scorecard: KPIs per action, scores and next steps");
  group->require_subcommand(1);

  // strategy score
  auto score_args = std::make_shared<StrategyArgs>();
  auto* score = group->add_subcommand(
      "score", "evaluate every KPI of the strategy file: value, target, status, trend, evidence");
  AddCommonOptions(score, *score_args);
  score->add_flag("--evidence", score_args->evidence, "list each action's evidence");
  score
      ->add_option("--max-evidence", score_args->max_evidence,
                   "evidence items kept per KPI and action")
      ->capture_default_str();
  score->add_flag("--json", score_args->json, "JSON: {\"strategies\": [...]}");
  score->callback([&ctx, score_args] {
    auto request = MakeRequest(*score_args);
    if (!Check(ctx, request)) {
      return;
    }
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto report = app::ScoreStrategy(**store, *request);
    if (!Check(ctx, report)) {
      return;
    }
    if (score_args->json) {
      *ctx.out << app::ScorecardToJson(*report).dump(2) << "\n";
    } else {
      *ctx.out << RenderScorecard(*report, score_args->lang == "ko", score_args->evidence);
    }
  });

  // strategy recommend
  auto recommend_args = std::make_shared<StrategyArgs>();
  auto* recommend = group->add_subcommand(
      "recommend", "next steps ranked by weighted gap, naming partners, networks and mechanisms");
  AddCommonOptions(recommend, *recommend_args);
  recommend->add_option("--limit", recommend_args->limit, "at most N recommendations (0: all)");
  recommend->add_flag("--json", recommend_args->json, "JSON: {\"recommendations\": [...]}");
  recommend->callback([&ctx, recommend_args] {
    auto request = MakeRequest(*recommend_args);
    if (!Check(ctx, request)) {
      return;
    }
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto report = app::RecommendStrategy(**store, *request);
    if (!Check(ctx, report)) {
      return;
    }
    if (recommend_args->json) {
      *ctx.out << app::RecommendationsToJson(*report).dump(2) << "\n";
    } else {
      *ctx.out << RenderRecommendations(*report, recommend_args->lang == "ko");
    }
  });

  // scenario
  struct ScenarioArgs {
    app::ScenarioRequest request;
    std::string shock = "-2sd";
    std::string family = "auto";
    std::string as_of;
    bool json = false;
  };
  auto scenario_args = std::make_shared<ScenarioArgs>();
  auto* scenario = root.add_subcommand(
      "scenario", "what a downturn in national relations would do to the city's exchanges");
  scenario->add_option("--home", scenario_args->request.home,
                       "home city (default: the strategy file's)");
  scenario->add_option("--partner", scenario_args->request.partner,
                       "partner city (default: the strategy file's [scenario] partner)");
  scenario->add_option("--index", scenario_args->request.index_path,
                       "national index CSV (period,value), monthly (default: the one CSV in "
                       "data/national-index/)");
  scenario
      ->add_option("--index-shock", scenario_args->shock,
                   "shock to the index in standard deviations, e.g. -2sd")
      ->capture_default_str();
  scenario->add_option("--months", scenario_args->request.months, "months to simulate")
      ->capture_default_str()
      ->check(CLI::Range(1, 60));
  scenario
      ->add_option("--lags", scenario_args->request.lags,
                   "index lags in months (default: the strategy file's, else the barometer's, "
                   "else by AIC)")
      ->delimiter(',');
  scenario->add_option("--family", scenario_args->family, "auto, poisson or negbin")
      ->check(CLI::IsMember({"auto", "poisson", "negbin"}))
      ->capture_default_str();
  scenario
      ->add_option("--simulations", scenario_args->request.simulations,
                   "Monte Carlo draws for the intervals")
      ->capture_default_str()
      ->check(CLI::Range(100, 100000));
  scenario->add_option("--seed", scenario_args->request.seed, "random seed")->capture_default_str();
  scenario
      ->add_option("--level", scenario_args->request.interval_level,
                   "central probability of the intervals")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.999));
  scenario->add_option("--as-of", scenario_args->as_of,
                       "count activity up to this date's last complete month (default: today)");
  scenario->add_option("--strategy", scenario_args->request.strategy_path,
                       "strategy file for the defaults and the back-test episodes");
  scenario->add_flag("--json", scenario_args->json,
                     "JSON: {\"baseline\", \"scenario\", \"backtest\", ...}");
  scenario->callback([&ctx, scenario_args] {
    ScenarioArgs& args = *scenario_args;
    auto shock = strategy::ParseSd(args.shock);
    if (!shock) {
      ReportError(ctx, Error{shock.error().code, shock.error().message, "--index-shock"});
      return;
    }
    args.request.shock_sd = *shock;
    args.request.family = args.family == "poisson"  ? strategy::CountFamily::kPoisson
                          : args.family == "negbin" ? strategy::CountFamily::kNegativeBinomial
                                                    : strategy::CountFamily::kAuto;
    if (auto status = ParseAsOf(args.as_of, args.request.as_of); !status) {
      ReportError(ctx, status.error());
      return;
    }
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto report = app::RunScenarioModel(**store, args.request);
    if (!Check(ctx, report)) {
      return;
    }
    if (args.json) {
      *ctx.out << app::ToJson(*report).dump(2) << "\n";
    } else {
      *ctx.out << RenderScenario(*report);
    }
  });

  // watch
  struct WatchArgs {
    app::WatchRequest request;
    std::string threshold;
    bool json = false;
  };
  auto watch_args = std::make_shared<WatchArgs>();
  auto* watch = root.add_subcommand(
      "watch", "flag when the latest national index crosses the warning threshold");
  watch->add_option("--index", watch_args->request.index_path,
                    "national index CSV (default: the one CSV in data/national-index/)");
  watch->add_option("--threshold", watch_args->threshold,
                    "warning threshold in standard deviations, e.g. -1.5sd (default: the "
                    "strategy file's [scenario] warning_sd)");
  watch->add_option("--strategy", watch_args->request.strategy_path,
                    "strategy file for the default threshold");
  watch->add_flag("--json", watch_args->json, "JSON: {\"latest\", \"threshold\", \"warning\"}");
  watch->callback([&ctx, watch_args] {
    WatchArgs& args = *watch_args;
    if (!args.threshold.empty()) {
      auto threshold = strategy::ParseSd(args.threshold);
      if (!threshold) {
        ReportError(ctx, Error{threshold.error().code, threshold.error().message, "--threshold"});
        return;
      }
      args.request.threshold_sd = *threshold;
    }
    auto report = app::WatchNationalIndex(args.request);
    if (!Check(ctx, report)) {
      return;
    }
    if (args.json) {
      *ctx.out << app::ToJson(*report).dump(2) << "\n";
    } else {
      *ctx.out << RenderWatch(*report);
    }
  });
}

}  // namespace citydip::cli
