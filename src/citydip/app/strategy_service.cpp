#include "citydip/app/strategy_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "citydip/analytics/analyses/barometer.h"
#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/analyses/frameworks.h"
#include "citydip/analytics/analyses/institutionalization.h"
#include "citydip/analytics/network/opportunities.h"
#include "citydip/app/registry_service.h"
#include "citydip/core/text.h"

namespace citydip::app {

namespace strategy = analytics::strategy;

namespace {

constexpr int kMonthsPerYear = 12;

Result<std::string> ReadTextFile(const std::string& path, std::string_view what) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Fail(ErrorCode::kNotFound,
                "cannot read " + std::string(what) + " '" + path + "' (no such file)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "cannot open " + std::string(what) + " '" + path + "'");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kUnavailable, "cannot read " + std::string(what) + " '" + path + "'");
  }
  return text.str();
}

PartialDate Today() {
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
  return PartialDate::FromParts(static_cast<int>(day.year()),
                                static_cast<int>(static_cast<unsigned>(day.month())),
                                static_cast<int>(static_cast<unsigned>(day.day())));
}

// The last day a date may mean, as a day-precision date.
PartialDate AsOfDay(const PartialDate& requested) {
  const PartialDate date = requested.empty() ? Today() : requested;
  const analytics::CivilDate civil = analytics::CivilFromDays(date.LastDay());
  return PartialDate::FromParts(civil.year, civil.month, civil.day);
}

// The national index file: the one given, else the only CSV in data/national-index/. Empty
// when there is none (and none was required).
Result<std::string> FindIndexFile(const std::string& given, bool required) {
  if (!given.empty()) {
    return given;
  }
  const std::string folder = DataDirectory() + "/national-index";
  std::vector<std::string> candidates;
  std::error_code error;
  if (std::filesystem::is_directory(folder, error)) {
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
      if (entry.is_regular_file() && ToLowerAscii(entry.path().extension().string()) == ".csv") {
        candidates.push_back(entry.path().string());
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  if (candidates.size() == 1) {
    return candidates.front();
  }
  if (!required) {
    return std::string();
  }
  if (candidates.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no national index: pass --index FILE (a period,value CSV of monthly values); "
                "none was found in " +
                    folder);
  }
  std::string list;
  for (const auto& candidate : candidates) {
    list += (list.empty() ? "" : ", ") + candidate;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "several national indexes in " + folder + " (" + list + "): choose one with --index");
}

Result<analytics::IndexSeries> LoadIndex(const std::string& path) {
  auto text = ReadTextFile(path, "national index");
  if (!text) {
    return Fail(text.error());
  }
  return analytics::ParseIndexCsv(*text, path);
}

// The months of an index up to `as_of` (the last complete month when as_of is mid-month).
Result<analytics::AlignedIndex> MonthlyIndexUpTo(const analytics::IndexSeries& series,
                                                 int last_ordinal) {
  auto aligned = analytics::AlignIndex(series, analytics::Granularity::kMonth);
  if (!aligned) {
    return Fail(aligned.error());
  }
  const int keep = last_ordinal - aligned->first_ordinal + 1;
  if (keep <= 0) {
    return Fail(ErrorCode::kFailedPrecondition, "the national index starts after the as-of date");
  }
  if (static_cast<std::size_t>(keep) < aligned->values.size()) {
    aligned->values.resize(static_cast<std::size_t>(keep));
  }
  return aligned;
}

// The last complete month at `as_of` (Period ordinal).
int LastCompleteMonth(const PartialDate& as_of) {
  const auto month = analytics::Period::Containing(as_of.LastDay(), analytics::Granularity::kMonth);
  const bool month_end = as_of.LastDay() == month.LastDay();
  return month.Ordinal() - (month_end ? 0 : 1);
}

// The partner side the analyses use for a plan: its one country or one city, else any partner.
analytics::PartnerSelector PlanPartner(const strategy::StrategyPlan& plan,
                                       const Registry& registry) {
  analytics::PartnerSelector selector;
  if (plan.partners.empty() && plan.partner_countries.size() == 1) {
    selector.country = plan.partner_countries.front();
  } else if (plan.partner_countries.empty() && plan.partners.size() == 1) {
    for (const auto& city : registry.cities) {
      if (ToLowerAscii(city.name_en) == ToLowerAscii(plan.partners.front().name) ||
          city.name_ko == plan.partners.front().name) {
        selector.city = city.Ref();
      }
    }
  }
  return selector;
}

std::optional<CityRef> FindHome(const strategy::StrategyPlan& plan, const Registry& registry) {
  std::string name = plan.home.name;
  if (const auto comma = name.find(','); comma != std::string::npos) {
    name = std::string(Trim(std::string_view(name).substr(0, comma)));
  }
  for (const auto& city : registry.cities) {
    if (ToLowerAscii(city.name_en) == ToLowerAscii(name) || city.name_ko == name) {
      return city.Ref();
    }
  }
  return std::nullopt;
}

strategy::Evidence EventEvidence(const Event& event) {
  return {"event",
          event.id,
          event.ref,
          event.date.ToString(),
          event.title_en.empty() ? event.title_ko : event.title_en,
          event.title_ko.empty() ? event.title_en : event.title_ko,
          event.sources};
}

// Evidence for the event keys an analysis cites, latest first.
std::vector<strategy::Evidence> EvidenceForKeys(const Registry& registry,
                                                const std::vector<std::string>& keys) {
  const std::set<std::string> wanted(keys.begin(), keys.end());
  std::vector<const Event*> events;
  for (const auto& event : registry.events) {
    if (wanted.count(analytics::EventKey(event)) != 0) {
      events.push_back(&event);
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event* a, const Event* b) { return a->date > b->date; });
  std::vector<strategy::Evidence> out;
  for (const auto* event : events) {
    out.push_back(EventEvidence(*event));
  }
  return out;
}

// One category's share of the events of a frameworks analysis over `range`.
struct ShareValue {
  std::optional<double> value;
  std::vector<std::string> keys;
  std::string note;
};

ShareValue FrameworkShare(const Registry& registry,
                          analytics::Scope scope,
                          DateRange range,
                          const analytics::Breakdown analytics::FrameworksResult::*breakdown,
                          std::string_view category) {
  scope.range = range;
  scope.period = analytics::Granularity::kYear;
  ShareValue out;
  auto result = analytics::AnalyzeFrameworks(registry, scope);
  if (!result) {
    out.note = result.error().message;
    return out;
  }
  double total = 0.0;
  for (double events : result->events) {
    total += events;
  }
  if (total <= 0.0) {
    out.note = "no events in the period";
    return out;
  }
  const analytics::Breakdown& parts = (*result).*breakdown;
  for (std::size_t i = 0; i < parts.categories.size(); ++i) {
    if (parts.categories[i] == category) {
      out.value = parts.totals[i] / total;
      if (i < parts.evidence.size()) {
        out.keys = parts.evidence[i];
      }
      return out;
    }
  }
  out.value = 0.0;
  return out;
}

std::string OpportunityKo(const analytics::network::Opportunity& opportunity,
                          const strategy::Label& home,
                          const strategy::Label& partner) {
  using analytics::network::OpportunityKind;
  switch (opportunity.kind) {
    case OpportunityKind::kInvite:
      return opportunity.organization + ": " + home.ko + " 주도, " + partner.ko + " 미가입 — " +
             partner.ko + " 가입 초청";
    case OpportunityKind::kUnusedVenue:
      return opportunity.organization + ": " + home.ko + "·" + partner.ko +
             " 모두 회원이나 양자 회담 기록 없음 — 이 네트워크에서 양자 회담 추진";
    case OpportunityKind::kMissedMeeting:
      return (opportunity.organization.empty() ? opportunity.event : opportunity.organization) +
             " (" + opportunity.date.ToString() + "): " + partner.ko +
             " 참석 다자 행사에서 양자 회담 기록 없음 — 다음 회의에서 양자 회담 추진";
  }
  return opportunity.reason;
}

strategy::Label CityLabel(const Registry& registry, const CityRef& ref) {
  for (const auto& city : registry.cities) {
    if (ToLowerAscii(city.name_en) == ToLowerAscii(ref.name) &&
        (ref.country.empty() || city.country == ref.country)) {
      return {city.name_en, city.name_ko.empty() ? city.name_en : city.name_ko};
    }
  }
  return {ref.name, ref.name};
}

// Computes every metric of StrategyMetrics() that the data allow, and the network
// opportunities, for the plan at `as_of`.
strategy::AnalysisInputs BuildInputs(const strategy::StrategyPlan& plan,
                                     const Registry& registry,
                                     const PartialDate& as_of,
                                     const std::string& index_path) {
  strategy::AnalysisInputs inputs;
  for (const auto& metric : StrategyMetrics()) {
    inputs.metrics[metric.name] = strategy::MetricValue{};
  }
  inputs.opportunity_kinds = {"invite", "unused_venue", "missed_meeting"};

  const auto home = FindHome(plan, registry);
  if (!home) {
    for (auto& [name, metric] : inputs.metrics) {
      metric.note = "the home city '" + plan.home.name + "' is not in the registry";
    }
    return inputs;  // ValidatePlan reports the home city at its line
  }
  analytics::Scope scope;
  scope.home = *home;
  scope.partner = PlanPartner(plan, registry);

  // Windowed metrics: the plan's window ending at as_of, and the one before it.
  const DayNumber end = as_of.LastDay();
  DateRange current;
  DateRange previous;
  current.to = as_of;
  if (plan.window_months > 0) {
    const auto start = [&](int months_back) {
      const auto month = analytics::Period::Containing(end, analytics::Granularity::kMonth);
      const int ordinal = month.Ordinal() - months_back + 1;
      const auto first = analytics::Period::FromOrdinal(analytics::Granularity::kMonth, ordinal);
      return PartialDate::FromParts(first.year, first.sub);
    };
    current.from = start(plan.window_months);
    previous.from = start(2 * plan.window_months);
    const auto before = analytics::CivilFromDays(current.from.FirstDay() - 1);
    previous.to = PartialDate::FromParts(before.year, before.month, before.day);
  }
  const auto share_metric = [&](const std::string& name,
                                const analytics::Breakdown analytics::FrameworksResult::*part,
                                std::string_view category) {
    ShareValue now = FrameworkShare(registry, scope, current, part, category);
    strategy::MetricValue& metric = inputs.metrics[name];
    metric.value = now.value;
    metric.note = now.note;
    metric.evidence = EvidenceForKeys(registry, now.keys);
    if (plan.window_months > 0) {
      metric.previous = FrameworkShare(registry, scope, previous, part, category).value;
    }
  };
  share_metric("purpose.problem_solving_share", &analytics::FrameworksResult::purposes,
               "problem_solving");
  share_metric("governance.vertical_share", &analytics::FrameworksResult::axes, "vertical");
  share_metric("governance.horizontal_share", &analytics::FrameworksResult::axes, "horizontal");

  // Continuity of the standing mechanisms across changes of mayor, up to as_of.
  {
    analytics::InstitutionalizationOptions options;
    options.scope = scope;
    options.scope.range.to = as_of;
    strategy::MetricValue& metric = inputs.metrics["continuity.survival_share"];
    auto result = analytics::AnalyzeInstitutionalization(registry, options);
    if (!result) {
      metric.note = result.error().message;
    } else {
      int changes = 0;
      int survived = 0;
      for (const auto& mechanism : result->mechanisms) {
        changes += mechanism.holder_changes;
        survived += mechanism.changes_survived;
        for (const auto& succession : mechanism.successions) {
          metric.evidence.push_back(
              {"mechanism",
               0,
               "",
               succession.date.ToString(),
               mechanism.name + ": " + succession.holder + " took office; " +
                   (succession.survived ? "the mechanism met again" : "no session since"),
               mechanism.name + ": " + succession.holder + " 취임 — " +
                   (succession.survived ? "이후 회의 개최" : "이후 회의 없음"),
               {}});
        }
      }
      if (changes == 0) {
        metric.note = "no change of mayor while a standing mechanism existed";
      } else {
        metric.value = static_cast<double>(survived) / changes;
      }
    }
  }

  // The national index against its history.
  {
    strategy::MetricValue& metric = inputs.metrics["national.index_z"];
    if (index_path.empty()) {
      metric.note = "no national index (pass --index FILE or ship one in data/national-index/)";
    } else if (auto series = LoadIndex(index_path); !series) {
      metric.note = series.error().ToString();
    } else if (auto index = MonthlyIndexUpTo(*series, LastCompleteMonth(as_of)); !index) {
      metric.note = index.error().message;
    } else if (auto watch = strategy::WatchIndex(*index, -1.0); !watch) {
      metric.note = watch.error().message;
    } else {
      metric.value = watch->latest_z;
      metric.previous = watch->previous_z;
      metric.evidence.push_back({"metric",
                                 0,
                                 "",
                                 watch->latest_period,
                                 "national index " + std::to_string(watch->latest_value) + " in " +
                                     watch->latest_period + " (" + index_path + ")",
                                 "국가 간 관계 지수 " + std::to_string(watch->latest_value) + " (" +
                                     watch->latest_period + ")",
                                 {index_path}});
    }
  }

  // Network opportunities (invite, unused venue, missed meeting) with partners in scope.
  {
    analytics::network::OpportunityOptions options;
    options.home = *home;
    options.as_of = as_of;
    auto report = analytics::network::FindOpportunities(registry, options);
    if (report) {
      const strategy::Label home_label = CityLabel(registry, *home);
      for (const auto& opportunity : report->opportunities) {
        // A meeting missed before the plan's window is history, not a next step.
        if (opportunity.kind == analytics::network::OpportunityKind::kMissedMeeting &&
            plan.window_months > 0 && !opportunity.date.empty() &&
            opportunity.date.LastDay() < current.from.FirstDay()) {
          continue;
        }
        const strategy::Label partner = CityLabel(registry, opportunity.partner);
        inputs.opportunities.push_back(
            {std::string(analytics::network::OpportunityKindCode(opportunity.kind)),
             opportunity.partner, opportunity.organization, opportunity.reason,
             OpportunityKo(opportunity, home_label, partner)});
      }
    }
  }
  return inputs;
}

struct Loaded {
  strategy::StrategyPlan plan;
  Registry registry;
  std::string plan_path;
  std::string index_path;
  PartialDate as_of;
};

Result<Loaded> Load(storage::Store& store,
                    const std::string& strategy_path,
                    const std::string& index_path,
                    const PartialDate& as_of,
                    bool index_required) {
  Loaded loaded;
  loaded.plan_path = strategy_path.empty() ? DefaultStrategyPath() : strategy_path;
  auto plan = LoadStrategyPlan(loaded.plan_path);
  if (!plan) {
    return Fail(plan.error());
  }
  loaded.plan = std::move(*plan);
  auto index = FindIndexFile(index_path, index_required);
  if (!index) {
    return Fail(index.error());
  }
  loaded.index_path = *index;
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  loaded.registry = std::move(*registry);
  loaded.as_of = AsOfDay(as_of);
  return loaded;
}

nlohmann::json OptionalNumber(const std::optional<double>& value) {
  return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json Number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json EvidenceJson(const std::vector<strategy::Evidence>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) {
    out.push_back({{"kind", item.kind},
                   {"id", item.id},
                   {"ref", item.ref},
                   {"date", item.date},
                   {"text_en", item.text_en},
                   {"text_ko", item.text_ko},
                   {"sources", item.sources}});
  }
  return out;
}

std::string MonthLabel(int ordinal) {
  return analytics::Period::FromOrdinal(analytics::Granularity::kMonth, ordinal).ToString();
}

}  // namespace

std::string DataDirectory() {
  if (const char* dir = std::getenv("CITYDIP_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return "data";
}

std::string DefaultStrategyPath() {
  return DataDirectory() + "/strategy/seoul-china.toml";
}

Result<strategy::StrategyPlan> LoadStrategyPlan(const std::string& path) {
  auto text = ReadTextFile(path, "strategy file");
  if (!text) {
    return Fail(text.error());
  }
  return strategy::ParseStrategyPlan(*text, path);
}

const std::vector<MetricInfo>& StrategyMetrics() {
  static const std::vector<MetricInfo> kMetrics = {
      {"purpose.problem_solving_share",
       "share of the window's exchanges aimed at policy problem solving (analyze frameworks)"},
      {"governance.vertical_share",
       "share of the window's exchanges with the central government taking part"},
      {"governance.horizontal_share",
       "share of the window's exchanges with bodies beyond the mayor's office taking part"},
      {"continuity.survival_share",
       "share of changes of mayor after which a standing mechanism met again (analyze "
       "institutionalization)"},
      {"national.index_z",
       "latest national index value in standard deviations from its history (needs an index)"},
  };
  return kMetrics;
}

Result<StrategyReport> ScoreStrategy(storage::Store& store, const StrategyRequest& request) {
  auto loaded = Load(store, request.strategy_path, request.index_path, request.as_of, false);
  if (!loaded) {
    return Fail(loaded.error());
  }
  const strategy::AnalysisInputs inputs =
      BuildInputs(loaded->plan, loaded->registry, loaded->as_of, loaded->index_path);
  auto card = strategy::ScorePlan(loaded->plan, loaded->registry, inputs,
                                  {loaded->as_of, request.max_evidence});
  if (!card) {
    return Fail(card.error());
  }
  StrategyReport report;
  report.strategy_path = loaded->plan_path;
  report.index_path = loaded->index_path;
  report.scorecard = std::move(*card);
  return report;
}

Result<StrategyReport> RecommendStrategy(storage::Store& store, const StrategyRequest& request) {
  auto loaded = Load(store, request.strategy_path, request.index_path, request.as_of, false);
  if (!loaded) {
    return Fail(loaded.error());
  }
  const strategy::AnalysisInputs inputs =
      BuildInputs(loaded->plan, loaded->registry, loaded->as_of, loaded->index_path);
  auto card = strategy::ScorePlan(loaded->plan, loaded->registry, inputs,
                                  {loaded->as_of, request.max_evidence});
  if (!card) {
    return Fail(card.error());
  }
  StrategyReport report;
  report.strategy_path = loaded->plan_path;
  report.index_path = loaded->index_path;
  report.recommendations =
      strategy::Recommend(loaded->plan, *card, loaded->registry, inputs, request.limit);
  report.scorecard = std::move(*card);
  return report;
}

Result<ScenarioReport> RunScenarioModel(storage::Store& store, const ScenarioRequest& request) {
  auto loaded = Load(store, request.strategy_path, request.index_path, request.as_of, true);
  if (!loaded) {
    return Fail(loaded.error());
  }
  const strategy::StrategyPlan& plan = loaded->plan;
  ScenarioReport report;
  report.strategy_path = loaded->plan_path;
  report.index_path = loaded->index_path;
  report.episodes = plan.scenario.episodes;

  const std::string home_name = request.home.empty() ? plan.home.name : request.home;
  auto home = ResolveCity(store, home_name);
  if (!home) {
    return Fail(home.error().code, home.error().message,
                request.home.empty() ? plan.file : "--home");
  }
  const std::string partner_name =
      request.partner.empty() ? plan.scenario.partner.name : request.partner;
  if (partner_name.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no partner city: pass --partner CITY or set [scenario] partner in the strategy "
                "file",
                "--partner");
  }
  auto partner = ResolveCity(store, partner_name);
  if (!partner) {
    return Fail(partner.error().code, partner.error().message,
                request.partner.empty() ? plan.file : "--partner");
  }
  report.home = *home;
  report.partner = *partner;

  auto series = LoadIndex(loaded->index_path);
  if (!series) {
    return Fail(series.error());
  }
  const int last_month = LastCompleteMonth(loaded->as_of);
  auto index = MonthlyIndexUpTo(*series, last_month);
  if (!index) {
    return Fail(index.error().code, index.error().message, loaded->index_path);
  }

  // The activity: the home city's events with the partner per month, from the month of the home
  // city's first recorded event (earlier months are not covered by the registry, not zero).
  const Registry& registry = loaded->registry;
  analytics::Scope any_partner;
  any_partner.home = home->Ref();
  const auto all_events = analytics::SelectEvents(registry, any_partner);
  if (all_events.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the registry holds no events of " + home->name_en + " to model");
  }
  const int first_month =
      analytics::OrdinalSpan(all_events.front()->date, analytics::Granularity::kMonth).first;
  analytics::Scope scope;
  scope.home = home->Ref();
  scope.partner.city = partner->Ref();
  scope.period = analytics::Granularity::kMonth;
  const auto events = analytics::SelectEvents(registry, scope);
  const analytics::ActivitySeries activity = analytics::BuildActivitySeries(
      events, analytics::Granularity::kMonth, first_month, last_month);
  report.activity_first_ordinal = first_month;

  strategy::ScenarioOptions options;
  options.horizon_months = request.months;
  options.shock_sd = request.shock_sd;
  options.family = request.family;
  options.simulations = request.simulations;
  options.seed = request.seed;
  options.interval_level = request.interval_level;
  options.lags = request.lags.empty() ? plan.scenario.lags : request.lags;
  if (options.lags.empty()) {
    // The barometer's reading: a significant lag at which the city follows the index.
    analytics::BarometerOptions barometer;
    barometer.scope = scope;
    barometer.scope.range.to = loaded->as_of;
    auto result = analytics::AnalyzeBarometer(registry, *series, barometer);
    if (!result) {
      report.barometer_note = "barometer unavailable: " + result.error().message;
    } else if (result->verdict == analytics::Verdict::kLags && result->ccf.best.lag > 0 &&
               result->ccf.best.lag <= options.max_lag) {
      report.barometer_lag = result->ccf.best.lag;
      options.suggested_lag = result->ccf.best.lag;
      report.barometer_note = result->verdict_text;
    } else {
      report.barometer_note = result->verdict_text + " — lag chosen by AIC instead";
    }
  }
  for (const auto& episode : plan.scenario.episodes) {
    options.episodes.push_back(
        {episode.name, episode.start.year() * kMonthsPerYear + episode.start.month() - 1});
  }
  auto result = strategy::RunScenario(activity, *index, options);
  if (!result) {
    return Fail(result.error());
  }
  report.result = std::move(*result);
  return report;
}

Result<WatchReport> WatchNationalIndex(const WatchRequest& request) {
  double threshold = -1.5;
  if (request.threshold_sd) {
    threshold = *request.threshold_sd;
  } else {
    const std::string path =
        request.strategy_path.empty() ? DefaultStrategyPath() : request.strategy_path;
    auto plan = LoadStrategyPlan(path);
    if (!plan) {
      return Fail(plan.error());
    }
    threshold = plan->scenario.warning_sd;
  }
  auto path = FindIndexFile(request.index_path, true);
  if (!path) {
    return Fail(path.error());
  }
  auto series = LoadIndex(*path);
  if (!series) {
    return Fail(series.error());
  }
  auto index = analytics::AlignIndex(*series, analytics::Granularity::kMonth);
  if (!index) {
    return Fail(index.error().code, index.error().message, *path);
  }
  auto result = strategy::WatchIndex(*index, threshold);
  if (!result) {
    return Fail(result.error().code, result.error().message, *path);
  }
  return WatchReport{*path, *result};
}

nlohmann::json ScorecardToJson(const StrategyReport& report) {
  const strategy::Scorecard& card = report.scorecard;
  nlohmann::json strategies = nlohmann::json::array();
  for (const auto& s : card.strategies) {
    nlohmann::json actions = nlohmann::json::array();
    for (const auto& a : s.actions) {
      nlohmann::json kpis = nlohmann::json::array();
      for (const auto& k : a.kpis) {
        kpis.push_back({{"id", k.id},
                        {"name", k.name_en},
                        {"name_ko", k.name_ko},
                        {"subject", strategy::SubjectName(k.subject)},
                        {"measure", strategy::MeasureName(k.measure)},
                        {"value", OptionalNumber(k.value)},
                        {"target", k.target},
                        {"direction", strategy::DirectionName(k.direction)},
                        {"status", strategy::KpiStatusName(k.status)},
                        {"progress", OptionalNumber(k.progress)},
                        {"previous", OptionalNumber(k.previous)},
                        {"trend", strategy::TrendName(k.trend)},
                        {"weight", k.weight},
                        {"owner", k.owner},
                        {"unit", k.unit},
                        {"from", k.from.ToString()},
                        {"to", k.to.ToString()},
                        {"note", k.note},
                        {"gap", k.gap},
                        {"evidence_total", k.evidence_total},
                        {"evidence", EvidenceJson(k.evidence)}});
      }
      actions.push_back({{"id", a.id},
                         {"name_en", a.name_en},
                         {"name_ko", a.name_ko},
                         {"status", strategy::KpiStatusName(a.status)},
                         {"score", OptionalNumber(a.score)},
                         {"weight", a.weight},
                         {"owner", a.owner},
                         {"gap", a.gap},
                         {"kpis", kpis},
                         {"evidence", EvidenceJson(a.evidence)}});
    }
    strategies.push_back({{"id", s.id},
                          {"name_en", s.name_en},
                          {"name_ko", s.name_ko},
                          {"score", OptionalNumber(s.score)},
                          {"status", strategy::KpiStatusName(s.status)},
                          {"weight", s.weight},
                          {"gap", s.gap},
                          {"actions", actions}});
  }
  return {{"name_en", card.name_en},
          {"name_ko", card.name_ko},
          {"home", card.home.en},
          {"as_of", card.as_of.ToString()},
          {"strategy_file", report.strategy_path},
          {"index_file", report.index_path},
          {"score", OptionalNumber(card.score)},
          {"status", strategy::KpiStatusName(card.status)},
          {"strategies", strategies}};
}

nlohmann::json RecommendationsToJson(const StrategyReport& report) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : report.recommendations) {
    nlohmann::json partners = nlohmann::json::array();
    nlohmann::json partners_ko = nlohmann::json::array();
    for (const auto& partner : r.partners) {
      partners.push_back(partner.en);
      partners_ko.push_back(partner.ko);
    }
    items.push_back({{"strategy", r.strategy},
                     {"action", r.action},
                     {"kpi", r.kpi},
                     {"kind", r.kind},
                     {"text_en", r.text_en},
                     {"text_ko", r.text_ko},
                     {"partners", partners},
                     {"partners_ko", partners_ko},
                     {"organizations", r.organizations},
                     {"gap", r.gap}});
  }
  return {{"as_of", report.scorecard.as_of.ToString()},
          {"score", OptionalNumber(report.scorecard.score)},
          {"strategy_file", report.strategy_path},
          {"recommendations", items}};
}

nlohmann::json ToJson(const ScenarioReport& report) {
  const strategy::ScenarioResult& r = report.result;
  const strategy::ScenarioModel& m = r.model;
  const auto forecast = [&](const strategy::Forecast& f) {
    return nlohmann::json{{"expected_total", Number(f.expected_total)},
                          {"interval", {Number(f.interval_low), Number(f.interval_high)}},
                          {"monthly_expected", f.monthly_expected},
                          {"index", f.index_path}};
  };
  nlohmann::json backtest = nlohmann::json::array();
  for (const auto& b : r.backtest) {
    nlohmann::json item = {
        {"episode", b.episode}, {"start", MonthLabel(b.start_ordinal)}, {"months", b.months}};
    if (b.unavailable.empty()) {
      item["predicted"] = Number(b.predicted);
      item["actual"] = Number(b.actual);
      item["error"] = Number(b.error);
      item["interval"] = {Number(b.interval_low), Number(b.interval_high)};
      item["covered"] = b.covered;
    } else {
      item["error"] = nullptr;
      item["unavailable"] = b.unavailable;
    }
    for (const auto& episode : report.episodes) {
      if (episode.name == b.episode) {
        item["name_ko"] = episode.name_ko;
        item["sources"] = episode.sources;
      }
    }
    backtest.push_back(item);
  }
  return {{"home", report.home.name_en},
          {"partner", report.partner.name_en},
          {"strategy_file", report.strategy_path},
          {"index",
           {{"file", report.index_path},
            {"last_period", MonthLabel(r.index_last_ordinal)},
            {"baseline_level", Number(r.index_baseline)},
            {"shocked_level", Number(r.index_shocked)},
            {"shock_sd", r.shock_sd}}},
          {"model",
           {{"family",
             m.family == analytics::stats::GlmFamily::kPoisson ? "poisson" : "negative_binomial"},
            {"nb_alpha", Number(m.nb_alpha)},
            {"lags", m.lags},
            {"lag_basis", m.lag_basis},
            {"params", m.params},
            {"std_errors", m.std_errors},
            {"index_mean", Number(m.index_mean)},
            {"index_sd", Number(m.index_sd)},
            {"first_period", MonthLabel(m.first_ordinal)},
            {"last_period", MonthLabel(m.last_ordinal)},
            {"nobs", m.nobs},
            {"aic", Number(m.aic)},
            {"poisson_dispersion", Number(m.poisson_dispersion)},
            {"overdispersion_lr", OptionalNumber(m.overdispersion_lr)}}},
          {"barometer",
           {{"lag", report.barometer_lag ? nlohmann::json(*report.barometer_lag)
                                         : nlohmann::json(nullptr)},
            {"note", report.barometer_note}}},
          {"activity_from", MonthLabel(report.activity_first_ordinal)},
          {"horizon",
           {{"first_period", MonthLabel(r.origin_ordinal + 1)},
            {"last_period", MonthLabel(r.origin_ordinal + r.horizon_months)},
            {"months", r.horizon_months}}},
          {"interval_level", r.interval_level},
          {"baseline", forecast(r.baseline)},
          {"scenario", forecast(r.scenario)},
          {"change",
           {{"expected", Number(r.change)},
            {"interval", {Number(r.change_low), Number(r.change_high)}}}},
          {"backtest", backtest}};
}

nlohmann::json ToJson(const WatchReport& report) {
  const strategy::WatchResult& r = report.result;
  return {{"index", report.index_path},
          {"latest", {{"period", r.latest_period}, {"value", r.latest_value}, {"z", r.latest_z}}},
          {"previous", {{"period", r.previous_period}, {"z", r.previous_z}}},
          {"mean", r.mean},
          {"sd", r.sd},
          {"threshold", {{"sd", r.threshold_sd}, {"value", r.threshold_value}}},
          {"warning", r.warning},
          {"crossed", r.crossed}};
}

}  // namespace citydip::app
