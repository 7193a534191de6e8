#include "citydip/app/report_service.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <utility>

#include "citydip/app/registry_service.h"
#include "citydip/report/html.h"
#include "citydip/report/pdf.h"
#include "citydip/report/xlsx.h"

// The optional services: compiled in when citydip_app has their sources (see CMakeLists.txt).
#if defined(CITYDIP_REPORT_HAS_STRATEGY)
#include "citydip/app/strategy_service.h"
#endif
#if defined(CITYDIP_REPORT_HAS_NETWORK)
#include "citydip/app/network_service.h"
#endif
#if defined(CITYDIP_REPORT_HAS_ANALYSIS) && __has_include("citydip/app/analysis_service.h")
#include "citydip/app/analysis_service.h"
#define CITYDIP_REPORT_WITH_ANALYSES 1
#endif

namespace citydip::app {
namespace {

PartialDate Today() {
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
  return PartialDate::FromParts(static_cast<int>(day.year()),
                                static_cast<int>(static_cast<unsigned>(day.month())),
                                static_cast<int>(static_cast<unsigned>(day.day())));
}

Result<PartialDate> ParseOptionalDate(const std::string& text, std::string_view option) {
  if (text.empty()) {
    return PartialDate{};
  }
  auto date = PartialDate::Parse(text);
  if (!date) {
    return Fail(ErrorCode::kInvalidArgument, date.error().message, std::string(option));
  }
  return *date;
}

bool SameCity(const CityRef& a, const CityRef& b) {
  return a.name == b.name && a.country == b.country;
}

bool NamesCity(const Event& event, const CityRef& city) {
  return SameCity(event.home_city, city) ||
         std::any_of(event.partner_cities.begin(), event.partner_cities.end(),
                     [&](const CityRef& other) { return SameCity(other, city); });
}

/// The events with `home` as home city and `partner` among the partners, within the range
/// (imprecise dates overlapping it included).
Result<std::vector<Event>> EventsBetween(storage::Store& store,
                                         const City& home,
                                         const City& partner,
                                         const DateRange& range) {
  EventFilter filter;
  filter.home = home.Ref();
  filter.partner = partner.Ref();
  filter.range = range;
  filter.include_imprecise = true;
  auto listed = ListRecords(store, RecordKind::kEvent, filter);
  if (!listed) {
    return Fail(listed.error());
  }
  std::vector<Event> events;
  for (const auto& record : listed->items) {
    events.push_back(std::get<Event>(record));
  }
  return events;
}

#if defined(CITYDIP_REPORT_HAS_STRATEGY)
void AddScorecard(storage::Store& store,
                  const ReportRequest& request,
                  const PartialDate& as_of,
                  report::BriefingData& data) {
  namespace strategy = analytics::strategy;
  StrategyRequest strategy_request;
  strategy_request.strategy_path = request.strategy_path;
  strategy_request.as_of = as_of;
  strategy_request.max_evidence = 3;
  auto scored = ScoreStrategy(store, strategy_request);
  if (!scored) {
    data.scorecard.missing = "the strategy plan could not be scored: " + scored.error().ToString();
    return;
  }
  const strategy::Scorecard& card = scored->scorecard;
  if (card.home.en != data.home.name_en) {
    data.scorecard.missing = "the strategy plan " + scored->strategy_path + " is for " +
                             card.home.en + ", not " + data.home.name_en;
    return;
  }
  const auto evidence_lines = [](const std::vector<strategy::Evidence>& evidence,
                                 report::ScorecardLine& line) {
    std::set<std::string> seen;
    for (const auto& item : evidence) {
      const std::string prefix = item.date.empty() ? "" : item.date + " ";
      if (!line.evidence_en.empty()) {
        line.evidence_en += "; ";
        line.evidence_ko += "; ";
      }
      line.evidence_en += prefix + item.text_en;
      line.evidence_ko += prefix + (item.text_ko.empty() ? item.text_en : item.text_ko);
      for (const auto& source : item.sources) {
        if (seen.insert(source).second) {
          line.sources.push_back(source);
        }
      }
    }
  };
  report::BriefingScorecard out;
  out.name_en = card.name_en;
  out.name_ko = card.name_ko;
  out.home = card.home.en;
  out.as_of = card.as_of.ToString();
  out.score = card.score;
  out.status_en = std::string(strategy::KpiStatusLabel(card.status, false));
  out.status_ko = std::string(strategy::KpiStatusLabel(card.status, true));
  for (const auto& strategy_result : card.strategies) {
    report::ScorecardLine line;
    line.depth = 0;
    line.id = strategy_result.id;
    line.name_en = strategy_result.name_en;
    line.name_ko = strategy_result.name_ko;
    line.status = std::string(strategy::KpiStatusName(strategy_result.status));
    line.status_en = std::string(strategy::KpiStatusLabel(strategy_result.status, false));
    line.status_ko = std::string(strategy::KpiStatusLabel(strategy_result.status, true));
    line.score = strategy_result.score;
    out.lines.push_back(std::move(line));
    for (const auto& action : strategy_result.actions) {
      report::ScorecardLine action_line;
      action_line.depth = 1;
      action_line.id = action.id;
      action_line.name_en = action.name_en;
      action_line.name_ko = action.name_ko;
      action_line.status = std::string(strategy::KpiStatusName(action.status));
      action_line.status_en = std::string(strategy::KpiStatusLabel(action.status, false));
      action_line.status_ko = std::string(strategy::KpiStatusLabel(action.status, true));
      action_line.score = action.score;
      out.lines.push_back(std::move(action_line));
      for (const auto& kpi : action.kpis) {
        report::ScorecardLine kpi_line;
        kpi_line.depth = 2;
        kpi_line.id = kpi.id;
        kpi_line.name_en = kpi.name_en;
        kpi_line.name_ko = kpi.name_ko;
        kpi_line.status = std::string(strategy::KpiStatusName(kpi.status));
        kpi_line.status_en = std::string(strategy::KpiStatusLabel(kpi.status, false));
        kpi_line.status_ko = std::string(strategy::KpiStatusLabel(kpi.status, true));
        if (kpi.progress) {
          kpi_line.score = *kpi.progress * 100.0;
        }
        if (kpi.value) {
          kpi_line.value = strategy::FormatValue(kpi.measure, *kpi.value, kpi.unit);
        }
        kpi_line.target =
            std::string(kpi.direction == strategy::TargetDirection::kDecrease ? "≤ " : "≥ ") +
            strategy::FormatValue(kpi.measure, kpi.target, kpi.unit);
        kpi_line.trend = std::string(strategy::TrendName(kpi.trend));
        kpi_line.note = kpi.note;
        evidence_lines(kpi.evidence, kpi_line);
        out.lines.push_back(std::move(kpi_line));
      }
    }
  }
  data.scorecard.data = std::move(out);
}
#endif

#if defined(CITYDIP_REPORT_HAS_NETWORK)
void AddNetwork(storage::Store& store, const PartialDate& as_of, report::BriefingData& data) {
  OpportunityRequest opportunity_request;
  opportunity_request.home = data.home.name_en + "," + data.home.country;
  opportunity_request.partner = data.partner.name_en + "," + data.partner.country;
  opportunity_request.as_of = as_of;
  auto found = NetworkOpportunities(store, opportunity_request);
  if (!found) {
    data.network.missing =
        "the network openings could not be computed: " + found.error().ToString();
    return;
  }
  report::BriefingNetwork out;
  out.as_of = found->as_of.ToString();
  const CityRef partner = data.partner.Ref();
  for (const auto& networks : found->partners) {
    if (SameCity(networks.partner, partner)) {
      out.shared = networks.shared;
      out.led_by_home_without_partner = networks.led_by_home_without_partner;
      out.partner_only = networks.partner_only;
    }
  }
  for (const auto& opportunity : found->opportunities) {
    if (!SameCity(opportunity.partner, partner)) {
      continue;
    }
    report::BriefingOpportunity item;
    item.kind = std::string(analytics::network::OpportunityKindCode(opportunity.kind));
    item.organization = opportunity.organization;
    item.partner = opportunity.partner.name;
    item.reason = opportunity.reason;
    item.score = opportunity.score;
    item.event = opportunity.event;
    item.date = opportunity.date.ToString();
    out.opportunities.push_back(std::move(item));
  }
  data.network.data = std::move(out);
}
#endif

#if defined(CITYDIP_REPORT_WITH_ANALYSES)
void AddAnalyses(storage::Store& store, const ReportRequest& request, report::BriefingData& data) {
  AnalysisRequest analysis_request;
  analysis_request.db = request.db;
  analysis_request.home = data.home.name_en + "," + data.home.country;
  analysis_request.partner = data.partner.name_en + "," + data.partner.country;
  analysis_request.from = request.from;
  analysis_request.to = request.to;
  auto summary = SummarizeAnalyses(store, analysis_request);
  if (!summary) {
    data.analyses.missing = "the analyses could not run: " + summary.error().ToString();
    return;
  }
  report::BriefingAnalyses out;
  out.index = summary->index;
  for (const auto& line : summary->lines) {
    out.lines.push_back({line.name, line.ok, line.headline});
  }
  data.analyses.data = std::move(out);
}
#endif

}  // namespace

Result<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "html") {
    return ReportFormat::kHtml;
  }
  if (text == "pdf") {
    return ReportFormat::kPdf;
  }
  if (text == "xlsx") {
    return ReportFormat::kXlsx;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) + "' is not a report format (expected html, pdf, xlsx)",
              "--format");
}

std::string_view ReportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::kPdf:
      return "pdf";
    case ReportFormat::kXlsx:
      return "xlsx";
    case ReportFormat::kHtml:
      break;
  }
  return "html";
}

std::string_view ReportMimeType(ReportFormat format) {
  switch (format) {
    case ReportFormat::kPdf:
      return "application/pdf";
    case ReportFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ReportFormat::kHtml:
      break;
  }
  return "text/html; charset=utf-8";
}

Result<report::BriefingData> GatherBriefing(storage::Store& store, const ReportRequest& request) {
  if (request.home.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a home city is required", "--home");
  }
  if (request.partner.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a partner city is required", "--partner");
  }
  auto from = ParseOptionalDate(request.from, "--from");
  if (!from) {
    return Fail(from.error());
  }
  auto to = ParseOptionalDate(request.to, "--to");
  if (!to) {
    return Fail(to.error());
  }
  if (!from->empty() && !to->empty() && to->LastDay() < from->FirstDay()) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "the period ends (" + to->ToString() + ") before it starts (" + from->ToString() + ")",
        "--to");
  }
  auto as_of = ParseOptionalDate(request.as_of, "--as-of");
  if (!as_of) {
    return Fail(as_of.error());
  }
  auto home = ResolveCity(store, request.home);
  if (!home) {
    return Fail(Error{home.error().code, home.error().message, "--home"});
  }
  auto profile = ShowCity(store, request.partner);
  if (!profile) {
    return Fail(Error{profile.error().code, profile.error().message, "--partner"});
  }
  if (SameCity(home->Ref(), profile->city.Ref())) {
    return Fail(ErrorCode::kInvalidArgument,
                "the partner is the home city (" + home->name_en + "); name another city",
                "--partner");
  }

  report::BriefingData data;
  data.home = *home;
  data.partner = profile->city;
  data.range = DateRange{*from, *to};
  data.generated_on = Today().ToString();
  data.relations = profile->relations;
  data.memberships = profile->memberships;
  data.mechanisms = profile->mechanisms;
  data.partner_events_per_year = profile->events_per_year;
  for (const auto& visit : profile->official_visits) {
    if (data.range.Match(visit.date) != RangeMatch::kOutside) {
      data.visits.push_back(visit);
    }
  }
  std::sort(data.visits.begin(), data.visits.end(),
            [](const Event& a, const Event& b) { return a.date < b.date; });

  // Events both ways: the home city hosting the partner, and (rarer in a home city's registry)
  // the partner as home city naming the home city.
  auto outward = EventsBetween(store, data.home, data.partner, data.range);
  if (!outward) {
    return Fail(outward.error());
  }
  auto inward = EventsBetween(store, data.partner, data.home, data.range);
  if (!inward) {
    return Fail(inward.error());
  }
  std::set<RecordId> seen;
  for (auto* list : {&*outward, &*inward}) {
    for (auto& event : *list) {
      if (seen.insert(event.id).second && NamesCity(event, data.partner.Ref())) {
        data.events.push_back(std::move(event));
      }
    }
  }
  std::stable_sort(data.events.begin(), data.events.end(),
                   [](const Event& a, const Event& b) { return a.date < b.date; });

  auto stats = ComputeStats(store);
  if (stats) {
    report::BriefingStats out;
    out.counts = {{"cities", stats->counts.cities},
                  {"organizations", stats->counts.organizations},
                  {"partner_relations", stats->counts.partner_relations},
                  {"memberships", stats->counts.memberships},
                  {"officials", stats->counts.officials},
                  {"mechanisms", stats->counts.mechanisms},
                  {"events", stats->counts.events}};
    out.events_per_type = stats->events_per_type;
    out.supported_claims = stats->supported_claims;
    out.unsupported_claims = stats->unsupported_claims;
    data.stats.data = std::move(out);
  } else {
    data.stats.missing = stats.error().ToString();
  }

#if defined(CITYDIP_REPORT_HAS_STRATEGY)
  AddScorecard(store, request, *as_of, data);
#else
  data.scorecard.missing = "this build of citydip has no strategy engine";
#endif
#if defined(CITYDIP_REPORT_HAS_NETWORK)
  AddNetwork(store, *as_of, data);
#else
  data.network.missing = "this build of citydip has no network analysis";
#endif
#if defined(CITYDIP_REPORT_WITH_ANALYSES)
  AddAnalyses(store, request, data);
#else
  data.analyses.missing = "this build of citydip has no analyses (citydip analyze)";
#endif
  return data;
}

Result<RenderedReport> RenderReport(storage::Store& store, const ReportRequest& request) {
  auto language = report::ParseLanguage(request.lang);
  if (!language) {
    return Fail(Error{language.error().code, language.error().message, "--lang"});
  }
  if (request.format == ReportFormat::kPdf) {
    // Before gathering: a missing Chromium is the first thing to tell.
    if (auto chromium = report::FindChromium(); !chromium) {
      return Fail(chromium.error());
    }
  }
  auto data = GatherBriefing(store, request);
  if (!data) {
    return Fail(data.error());
  }
  const report::Document document = report::BuildBriefing(*data, *language);
  RenderedReport rendered;
  rendered.format = request.format;
  for (const auto& [part, why] :
       {std::pair{"stats", &data->stats.missing}, std::pair{"scorecard", &data->scorecard.missing},
        std::pair{"network", &data->network.missing},
        std::pair{"analyses", &data->analyses.missing}}) {
    if (!why->empty()) {
      rendered.missing.push_back(std::string(part) + ": " + *why);
    }
  }
  switch (request.format) {
    case ReportFormat::kHtml:
      rendered.bytes = report::RenderHtml(document);
      break;
    case ReportFormat::kPdf: {
      auto pdf = report::RenderPdf(report::RenderHtml(document));
      if (!pdf) {
        return Fail(pdf.error());
      }
      rendered.bytes = std::move(*pdf);
      break;
    }
    case ReportFormat::kXlsx: {
      auto xlsx = report::RenderXlsx(document);
      if (!xlsx) {
        return Fail(xlsx.error());
      }
      rendered.bytes = std::move(*xlsx);
      break;
    }
  }
  return rendered;
}

Result<RenderedReport> WriteReport(storage::Store& store,
                                   const ReportRequest& request,
                                   const std::string& path) {
  if (path.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "an output file is required", "-o");
  }
  auto rendered = RenderReport(store, request);
  if (!rendered) {
    return Fail(rendered.error());
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    return Fail(ErrorCode::kUnavailable, "cannot write the file", path);
  }
  file.write(rendered->bytes.data(), static_cast<std::streamsize>(rendered->bytes.size()));
  file.close();
  if (!file) {
    return Fail(ErrorCode::kUnavailable, "cannot write the file", path);
  }
  return rendered;
}

}  // namespace citydip::app
