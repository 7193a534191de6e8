#include "citydip/analytics/analyses/phases.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "citydip/analytics/analyses/internal/json_helpers.h"
#include "citydip/analytics/analyses/internal/mechanisms.h"
#include "citydip/core/text.h"

namespace citydip::analytics {
namespace {

constexpr std::array<Phase, kPhaseCount> kPhases = {
    Phase::kExchangeCooperation, Phase::kInstitutionalization, Phase::kCityDiplomacy};

double Anscombe(double count) {
  return 2.0 * std::sqrt(count + 0.375);
}

// Sets the margin of the span's name over the runner-up.
void NameMargin(PhaseSpan& s) {
  double second = 0.0;
  for (std::size_t k = 0; k < kPhaseCount; ++k) {
    if (kPhases[k] != s.phase) {
      second = std::max(second, s.score[k]);
    }
  }
  const double best = s.score[static_cast<std::size_t>(s.phase)];
  s.margin = second > 0.0 ? best / second : std::numeric_limits<double>::infinity();
  s.weak = s.quiet || s.margin < 1.1;
}

// `v` with `digits` decimals (std::to_string gives six; cut, after rounding).
std::string FormatRate(double v, int digits = 1) {
  const double scale = std::pow(10.0, digits);
  std::string s = std::to_string(std::round(v * scale) / scale);
  s.erase(s.find('.') + 1 + static_cast<std::size_t>(digits));
  return s;
}

}  // namespace

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kExchangeCooperation:
      return "exchange_cooperation";
    case Phase::kInstitutionalization:
      return "institutionalization";
    case Phase::kCityDiplomacy:
      return "city_diplomacy";
  }
  return "exchange_cooperation";
}

Phase IndicatorOf(const Event& event) {
  switch (event.type) {
    case EventType::kForum:
    case EventType::kMultilateralMeeting:
      return Phase::kCityDiplomacy;
    case EventType::kAgreement:
    case EventType::kCommitteeMeeting:
      return Phase::kInstitutionalization;
    default:
      break;
  }
  if (!event.mechanism.empty()) {
    return Phase::kInstitutionalization;
  }
  // One-off exchanges stay exchanges even inside a multilateral frame (a tourism fair of a city
  // network is still tourism promotion).
  switch (event.type) {
    case EventType::kCourtesyCall:
    case EventType::kCulturalExchange:
    case EventType::kTourismPromotion:
    case EventType::kYouthExchange:
    case EventType::kAcademicExchange:
    case EventType::kLeaderVisit:
    case EventType::kDelegationVisit:
      return Phase::kExchangeCooperation;
    default:
      break;
  }
  if (event.framework != Framework::kBilateral || !event.organization.empty()) {
    return Phase::kCityDiplomacy;
  }
  return Phase::kExchangeCooperation;
}

Result<PhasesResult> AnalyzePhases(const Registry& registry, const PhasesOptions& options) {
  if (auto ok = ValidateScope(registry, options.scope); !ok) {
    return Fail(ok.error());
  }
  if (options.min_segment_years < 1) {
    return Fail(ErrorCode::kInvalidArgument, "minimum segment " +
                                                 std::to_string(options.min_segment_years) +
                                                 " years (expected 1 or more)");
  }
  Scope scope = options.scope;
  scope.period = Granularity::kYear;
  const auto events = SelectEvents(registry, scope);
  const auto mechanisms = internal::MechanismsInScope(registry, scope);

  auto span = SeriesSpan(scope, events);
  for (const Mechanism* m : mechanisms) {
    if (m->founded.empty() || scope.range.Match(m->founded) == RangeMatch::kOutside) {
      continue;
    }
    const int y = m->founded.year();
    if (!span) {
      span = std::make_pair(y, y);
    } else if (scope.range.IsOpen()) {
      span->first = std::min(span->first, y);
      span->second = std::max(span->second, y);
    }
  }
  if (!span) {
    return Fail(ErrorCode::kInvalidArgument, "phases: no event or mechanism of " + scope.home.name +
                                                 " with " + scope.partner.Label() +
                                                 " in the range (nothing to segment)");
  }
  PhasesResult out;
  out.first_year = span->first;
  out.last_year = span->second;
  const int n = out.last_year - out.first_year + 1;
  if (n < options.min_segment_years) {
    return Fail(ErrorCode::kInvalidArgument, "phases: " + std::to_string(n) +
                                                 " years are fewer than the minimum segment of " +
                                                 std::to_string(options.min_segment_years));
  }
  out.indicators.assign(static_cast<std::size_t>(n), {0.0, 0.0, 0.0});
  std::vector<std::vector<std::string>> evidence(static_cast<std::size_t>(n));
  for (const Event* e : events) {
    const int y = e->date.year();
    if (y < out.first_year || y > out.last_year) {
      continue;
    }
    const auto i = static_cast<std::size_t>(y - out.first_year);
    out.indicators[i][static_cast<std::size_t>(IndicatorOf(*e))] += 1.0;
    evidence[i].push_back(EventKey(*e));
  }
  for (const Mechanism* m : mechanisms) {
    if (m->founded.empty()) {
      continue;
    }
    const int y = m->founded.year();
    if (y >= out.first_year && y <= out.last_year &&
        scope.range.Match(m->founded) != RangeMatch::kOutside) {
      const auto i = static_cast<std::size_t>(y - out.first_year);
      out.indicators[i][static_cast<std::size_t>(Phase::kInstitutionalization)] += 1.0;
      evidence[i].push_back("mechanism:" + m->name_en);
    }
  }

  Eigen::MatrixXd transformed(n, kPhaseCount);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < kPhaseCount; ++k) {
      transformed(i, k) =
          Anscombe(out.indicators[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)]);
    }
  }
  stats::ChangePointOptions cp;
  cp.method = options.method;
  cp.penalty = options.penalty;
  cp.min_segment = options.min_segment_years;
  cp.standardize = false;  // the Anscombe transform gives Poisson counts unit variance
  auto detection = stats::DetectChangePoints(transformed, cp);
  if (!detection) {
    return Fail(detection.error().code, "phases: " + detection.error().message);
  }
  out.detection = *std::move(detection);

  std::array<double, kPhaseCount> overall{};
  for (const auto& row : out.indicators) {
    for (int k = 0; k < kPhaseCount; ++k) {
      overall[static_cast<std::size_t>(k)] += row[static_cast<std::size_t>(k)];
    }
  }
  const double overall_total = overall[0] + overall[1] + overall[2];

  // Name each detected segment, then merge neighbours that got the same name.
  const auto make_span = [&](int begin, int end, std::optional<Phase> previous) {
    PhaseSpan s;
    s.from = out.first_year + begin;
    s.to = out.first_year + end - 1;
    std::array<double, kPhaseCount> sums{};
    for (int i = begin; i < end; ++i) {
      for (int k = 0; k < kPhaseCount; ++k) {
        sums[static_cast<std::size_t>(k)] +=
            out.indicators[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
      }
      const auto& ev = evidence[static_cast<std::size_t>(i)];
      s.evidence.insert(s.evidence.end(), ev.begin(), ev.end());
    }
    const double total = sums[0] + sums[1] + sums[2];
    s.quiet = total == 0.0;
    double best = -1.0;
    for (int k = 0; k < kPhaseCount; ++k) {
      const auto ku = static_cast<std::size_t>(k);
      s.mean_per_year[ku] = sums[ku] / (end - begin);
      const double share_here = total > 0.0 ? sums[ku] / total : 0.0;
      const double share_all = overall_total > 0.0 ? overall[ku] / overall_total : 0.0;
      s.score[ku] = share_all > 0.0 ? share_here / share_all : 0.0;
      if (s.score[ku] > best + 1e-12) {
        best = s.score[ku];
        s.phase = kPhases[ku];
      }
    }
    if (s.quiet) {
      s.phase = previous.value_or(Phase::kExchangeCooperation);  // nothing new: the phase holds
    }
    NameMargin(s);
    return s;
  };

  std::vector<PhaseSpan> raw;
  for (const auto& seg : out.detection.segments) {
    raw.push_back(make_span(seg.begin, seg.end,
                            raw.empty() ? std::nullopt : std::optional<Phase>(raw.back().phase)));
  }
  for (std::size_t s = 0; s < raw.size(); ++s) {
    const auto& seg = out.detection.segments[s];
    if (s > 0) {
      const auto& prev = out.detection.segments[s - 1];
      PhaseBoundary b;
      b.year = out.first_year + seg.begin;
      b.phase_change = raw[s].phase != raw[s - 1].phase;
      for (int k = 0; k < kPhaseCount; ++k) {
        const auto ku = static_cast<std::size_t>(k);
        IndicatorMove m;
        m.indicator = kPhases[ku];
        m.before = raw[s - 1].mean_per_year[ku];
        m.after = raw[s].mean_per_year[ku];
        m.change_anscombe = seg.mean(k) - prev.mean(k);
        m.moved = std::fabs(m.change_anscombe) >= options.moved_threshold;
        b.moves.push_back(m);
      }
      std::stable_sort(b.moves.begin(), b.moves.end(),
                       [](const IndicatorMove& a, const IndicatorMove& c) {
                         return std::fabs(a.change_anscombe) > std::fabs(c.change_anscombe);
                       });
      for (const auto& m : b.moves) {
        if (!m.moved) {
          continue;
        }
        if (!b.explanation.empty()) {
          b.explanation += "; ";
        }
        b.explanation += std::string(PhaseName(m.indicator)) +
                         (m.after > m.before ? " rose from " : " fell from ") +
                         FormatRate(m.before) + " to " + FormatRate(m.after) + " events/year";
      }
      if (b.explanation.empty()) {
        b.explanation = "no single indicator moved by " + FormatRate(options.moved_threshold) +
                        " (Anscombe units); the indicators shifted jointly";
      }
      const auto& named = raw[s];
      b.explanation += "; from " + std::to_string(named.from) + " the mix leans to " +
                       std::string(PhaseName(named.phase)) + " (" +
                       FormatRate(named.score[static_cast<std::size_t>(named.phase)], 2) +
                       "x its overall share" + (named.weak ? ", a weak lead" : "") + ")";
      out.boundaries.push_back(std::move(b));
    }
    if (!out.phases.empty() && out.phases.back().phase == raw[s].phase) {
      // Merge: same phase on both sides of a detected change.
      PhaseSpan& last = out.phases.back();
      const int len_a = last.to - last.from + 1;
      const int len_b = raw[s].to - raw[s].from + 1;
      for (std::size_t k = 0; k < kPhaseCount; ++k) {
        last.mean_per_year[k] =
            (last.mean_per_year[k] * len_a + raw[s].mean_per_year[k] * len_b) / (len_a + len_b);
      }
      last.to = raw[s].to;
      last.quiet = last.quiet && raw[s].quiet;
      last.evidence.insert(last.evidence.end(), raw[s].evidence.begin(), raw[s].evidence.end());
      // Recompute the score over the merged span.
      const double total = last.mean_per_year[0] + last.mean_per_year[1] + last.mean_per_year[2];
      for (std::size_t k = 0; k < kPhaseCount; ++k) {
        const double share_all = overall_total > 0.0 ? overall[k] / overall_total : 0.0;
        last.score[k] =
            total > 0.0 && share_all > 0.0 ? last.mean_per_year[k] / total / share_all : 0.0;
      }
      NameMargin(last);
    } else {
      out.phases.push_back(raw[s]);
    }
  }
  return out;
}

nlohmann::json ToJson(const PhasesResult& result) {
  using internal::Number;
  const auto by_indicator = [](const std::array<double, kPhaseCount>& v) {
    nlohmann::json o;
    for (std::size_t k = 0; k < kPhaseCount; ++k) {
      o[std::string(PhaseName(kPhases[k]))] = Number(v[k]);
    }
    return o;
  };
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : result.phases) {
    phases.push_back({{"name", PhaseName(p.phase)},
                      {"from", p.from},
                      {"to", p.to},
                      {"evidence",
                       {{"records", p.evidence},
                        {"mean_per_year", by_indicator(p.mean_per_year)},
                        {"score", by_indicator(p.score)},
                        {"margin", Number(p.margin)},
                        {"weak", p.weak},
                        {"quiet", p.quiet}}}});
  }
  nlohmann::json boundaries = nlohmann::json::array();
  for (const auto& b : result.boundaries) {
    nlohmann::json moves = nlohmann::json::array();
    for (const auto& m : b.moves) {
      moves.push_back({{"indicator", PhaseName(m.indicator)},
                       {"before", Number(m.before)},
                       {"after", Number(m.after)},
                       {"change_anscombe", Number(m.change_anscombe)},
                       {"moved", m.moved}});
    }
    boundaries.push_back({{"year", b.year},
                          {"phase_change", b.phase_change},
                          {"explanation", b.explanation},
                          {"indicators", moves}});
  }
  nlohmann::json indicators = nlohmann::json::array();
  for (std::size_t i = 0; i < result.indicators.size(); ++i) {
    nlohmann::json row = by_indicator(result.indicators[i]);
    row["year"] = result.first_year + static_cast<int>(i);
    indicators.push_back(row);
  }
  std::vector<int> change_years;
  for (int cp : result.detection.change_points) {
    change_years.push_back(result.first_year + cp);
  }
  return {{"phases", phases},
          {"boundaries", boundaries},
          {"indicators", indicators},
          {"from", result.first_year},
          {"to", result.last_year},
          {"penalty", Number(result.detection.penalty)},
          {"change_years", change_years}};
}

}  // namespace citydip::analytics
