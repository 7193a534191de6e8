#include "citydip/analytics/analyses/frameworks.h"

#include <algorithm>
#include <limits>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/core/taxonomy.h"

namespace citydip::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename E>
std::vector<std::string> Codes() {
  std::vector<std::string> out;
  for (const auto& entry : EnumEntries<E>()) {
    out.emplace_back(entry.code);
  }
  return out;
}

Breakdown MakeBreakdown(std::vector<std::string> categories, std::size_t periods) {
  Breakdown b;
  b.categories = std::move(categories);
  b.counts.assign(periods, std::vector<double>(b.categories.size(), 0.0));
  b.totals.assign(b.categories.size(), 0.0);
  b.evidence.assign(b.categories.size(), {});
  return b;
}

// Adds the event's share `w` in period `p` to category `c`; evidence once per event.
void Add(Breakdown& b, std::size_t p, std::size_t c, double w, const std::string& key) {
  b.counts[p][c] += w;
  b.totals[c] += w;
  auto& ev = b.evidence[c];
  if (ev.empty() || ev.back() != key) {
    ev.push_back(key);
  }
}

nlohmann::json BreakdownJson(const Breakdown& b, const std::vector<std::string>& periods) {
  using internal::Number;
  const auto row = [&](const std::vector<double>& counts) {
    double total = 0.0;
    for (double c : counts) {
      total += c;
    }
    nlohmann::json cj;
    nlohmann::json sj;
    for (std::size_t k = 0; k < b.categories.size(); ++k) {
      cj[b.categories[k]] = Number(counts[k]);
      sj[b.categories[k]] = Number(total > 0.0 ? counts[k] / total : kNaN);
    }
    return std::make_tuple(total, cj, sj);
  };
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t p = 0; p < periods.size(); ++p) {
    const auto [total, cj, sj] = row(b.counts[p]);
    rows.push_back(
        {{"period", periods[p]}, {"total", Number(total)}, {"counts", cj}, {"shares", sj}});
  }
  const auto [total, cj, sj] = row(b.totals);
  nlohmann::json evidence = nlohmann::json::object();
  for (std::size_t k = 0; k < b.categories.size(); ++k) {
    evidence[b.categories[k]] = b.evidence[k];
  }
  return {{"categories", b.categories},
          {"periods", rows},
          {"overall", {{"total", Number(total)}, {"counts", cj}, {"shares", sj}}},
          {"evidence", evidence}};
}

constexpr bool IsPolicyTopic(Topic t) {
  return t == Topic::kEconomy || t == Topic::kEnvironment || t == Topic::kSmartCity ||
         t == Topic::kTransport || t == Topic::kHealth || t == Topic::kGovernance ||
         t == Topic::kEducation;
}

}  // namespace

std::string_view PurposeName(Purpose purpose) {
  switch (purpose) {
    case Purpose::kProblemSolving:
      return "problem_solving";
    case Purpose::kRelationshipBuilding:
      return "relationship_building";
    case Purpose::kOther:
      return "other";
  }
  return "other";
}

Purpose ClassifyPurpose(const Event& event) {
  switch (event.type) {
    case EventType::kCommitteeMeeting:
    case EventType::kForum:
    case EventType::kMultilateralMeeting:
    case EventType::kEconomicMission:
    case EventType::kOnlineMeeting:
      return Purpose::kProblemSolving;
    case EventType::kAgreement:
      return std::any_of(event.topics.begin(), event.topics.end(), IsPolicyTopic)
                 ? Purpose::kProblemSolving
                 : Purpose::kRelationshipBuilding;
    case EventType::kCourtesyCall:
    case EventType::kCulturalExchange:
    case EventType::kTourismPromotion:
    case EventType::kYouthExchange:
      return Purpose::kRelationshipBuilding;
    case EventType::kLeaderVisit:
    case EventType::kDelegationVisit:
    case EventType::kAcademicExchange:
    case EventType::kOther:
      return Purpose::kOther;
  }
  return Purpose::kOther;
}

bool IsVertical(const Event& event) {
  return (event.level && *event.level == Level::kCentralGovernment) ||
         std::any_of(
             event.stakeholders.begin(), event.stakeholders.end(),
             [](const Stakeholder& s) { return s.kind == StakeholderKind::kCentralGovernment; });
}

bool IsHorizontal(const Event& event) {
  if (event.level) {
    switch (*event.level) {
      case Level::kCouncil:
      case Level::kDepartment:
      case Level::kAgency:
      case Level::kCivilSociety:
      case Level::kBusiness:
      case Level::kMedia:
      case Level::kAcademia:
        return true;
      case Level::kCentralGovernment:
      case Level::kMayor:
      case Level::kViceMayor:
        break;
    }
  }
  return std::any_of(event.stakeholders.begin(), event.stakeholders.end(),
                     [](const Stakeholder& s) {
                       return s.kind != StakeholderKind::kCentralGovernment &&
                              s.kind != StakeholderKind::kLocalGovernment;
                     });
}

Result<FrameworksResult> AnalyzeFrameworks(const Registry& registry, const Scope& scope) {
  if (auto ok = ValidateScope(registry, scope); !ok) {
    return Fail(ok.error());
  }
  FrameworksResult out;
  out.granularity = scope.period;
  const auto events = SelectEvents(registry, scope);
  const auto span = SeriesSpan(scope, events);
  const int first = span ? span->first : 0;
  const int last = span ? span->second : -1;
  const ActivitySeries series = BuildActivitySeries(events, scope.period, first, last);
  out.periods = series.Labels();
  out.events = series.values;
  const std::size_t n = series.size();

  std::vector<std::string> levels = Codes<Level>();
  levels.emplace_back("unknown");
  out.frameworks = MakeBreakdown(Codes<Framework>(), n);
  out.topics = MakeBreakdown(Codes<Topic>(), n);
  out.purposes = MakeBreakdown({"problem_solving", "relationship_building", "other"}, n);
  out.levels = MakeBreakdown(levels, n);
  out.axes = MakeBreakdown({"vertical", "horizontal"}, n);
  out.modes = MakeBreakdown(Codes<Mode>(), n);

  for (const Event* e : events) {
    const auto [lo, hi] = OrdinalSpan(e->date, scope.period);
    const double share = 1.0 / static_cast<double>(hi - lo + 1);
    const std::string key = EventKey(*e);
    for (int o = std::max(lo, first); o <= std::min(hi, last); ++o) {
      const auto p = static_cast<std::size_t>(o - first);
      Add(out.frameworks, p, static_cast<std::size_t>(e->framework), share, key);
      for (Topic t : e->topics) {
        Add(out.topics, p, static_cast<std::size_t>(t), share, key);
      }
      Add(out.purposes, p, static_cast<std::size_t>(ClassifyPurpose(*e)), share, key);
      Add(out.levels, p, e->level ? static_cast<std::size_t>(*e->level) : levels.size() - 1, share,
          key);
      if (IsVertical(*e)) {
        Add(out.axes, p, 0, share, key);
      }
      if (IsHorizontal(*e)) {
        Add(out.axes, p, 1, share, key);
      }
      Add(out.modes, p, static_cast<std::size_t>(e->mode), share, key);
    }
  }
  return out;
}

nlohmann::json ToJson(const FrameworksResult& result) {
  using internal::Number;
  nlohmann::json ratio = nlohmann::json::array();
  nlohmann::json vertical = nlohmann::json::array();
  nlohmann::json horizontal = nlohmann::json::array();
  for (std::size_t p = 0; p < result.periods.size(); ++p) {
    const double ps = result.purposes.counts[p][0];
    const double rb = result.purposes.counts[p][1];
    ratio.push_back({{"period", result.periods[p]}, {"ratio", Number(rb > 0.0 ? ps / rb : kNaN)}});
    const double total = result.events[p];
    vertical.push_back({{"period", result.periods[p]},
                        {"share", Number(total > 0.0 ? result.axes.counts[p][0] / total : kNaN)}});
    horizontal.push_back(
        {{"period", result.periods[p]},
         {"share", Number(total > 0.0 ? result.axes.counts[p][1] / total : kNaN)}});
  }
  double all = 0.0;
  for (double v : result.events) {
    all += v;
  }
  const double ps_all = result.purposes.totals[0];
  const double rb_all = result.purposes.totals[1];
  return {
      {"period", GranularityName(result.granularity)},
      {"periods", result.periods},
      {"events", internal::Numbers(result.events)},
      {"frameworks", BreakdownJson(result.frameworks, result.periods)},
      {"agenda",
       {{"topics", BreakdownJson(result.topics, result.periods)},
        {"purposes", BreakdownJson(result.purposes, result.periods)},
        {"problem_solving_ratio",
         {{"overall", Number(rb_all > 0.0 ? ps_all / rb_all : kNaN)}, {"by_period", ratio}}}}},
      {"governance",
       {{"levels", BreakdownJson(result.levels, result.periods)},
        {"axes", BreakdownJson(result.axes, result.periods)},
        {"vertical_share",
         {{"overall", Number(all > 0.0 ? result.axes.totals[0] / all : kNaN)},
          {"by_period", vertical}}},
        {"horizontal_share",
         {{"overall", Number(all > 0.0 ? result.axes.totals[1] / all : kNaN)},
          {"by_period", horizontal}}}}},
      {"modality", BreakdownJson(result.modes, result.periods)},
  };
}

}  // namespace citydip::analytics
