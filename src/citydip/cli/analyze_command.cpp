// analyze NAME: the analyses of docs/analyses.md (visits, phases, institutionalization,
// barometer, shocks, frameworks, agenda, governance, modality, image) and `analyze summary`.
// One subcommand per analysis, each with the common options (--home, --partner, --from, --to,
// --period, --json) and its own; the app's RunAnalysis does the work, this file only renders.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "citydip/app/analysis_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/context.h"
#include "citydip/report/table.h"

namespace citydip::cli {
namespace {

namespace an = analytics;
using report::Align;
using report::Table;

std::string Fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return "-";
  }
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Percent(double share) {
  return std::isfinite(share) ? Fixed(100.0 * share, 1) + "%" : std::string("-");
}

std::string Join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

std::string Interval(const an::stats::Estimate& estimate) {
  return Fixed(estimate.value, 3) + " [" + Fixed(estimate.ci_low, 3) + ", " +
         Fixed(estimate.ci_high, 3) + "] p=" + Fixed(estimate.p_value, 3);
}

// ---------------------------------------------------------------------------------------------
// Text renderings (one per result type)

void PrintVisits(std::ostream& out, const an::VisitsResult& r) {
  out << "officials " << r.officials << ": visited " << r.visited << ", not visited (sourced) "
      << r.not_visited << ", unknown " << r.unknown << "\n"
      << "rate confirmed " << Percent(r.rate_confirmed) << ", bounds [" << Percent(r.rate_lower)
      << ", " << Percent(r.rate_upper) << "]\n";
  if (!r.excluded_acting.empty()) {
    out << "excluded acting: " << Join(r.excluded_acting) << "\n";
  }
  Table table;
  table.AddColumn("official", Align::kLeft, 30);
  table.AddColumn("term");
  table.AddColumn("status");
  table.AddColumn("basis");
  table.AddColumn("visit events", Align::kLeft, 40);
  table.AddColumn("inbound", Align::kRight);
  for (const auto& o : r.per_official) {
    std::string events = Join(o.visit_events);
    if (!o.partial_events.empty()) {
      events += " (partial date: " + Join(o.partial_events) + ")";
    }
    table.AddRow({o.name + (o.acting ? " (acting)" : ""),
                  o.term_start.ToString() + ".." + o.term_end.ToString(),
                  std::string(an::VisitStatusName(o.status)) + (o.conflict ? " (conflict)" : ""),
                  o.basis.empty() ? "-" : o.basis, events.empty() ? "-" : events,
                  std::to_string(o.inbound_events.size())});
  }
  if (!table.empty()) {
    out << "\n" << table.Render();
  }
  out << "\nreciprocity: " << r.outbound_trips.size() << " outbound trips, "
      << r.inbound_trips.size() << " inbound trips\n";
  out << "gaps between outbound trips: " << r.gaps_days.size() << ", mean "
      << Fixed(r.gap_mean_days, 0) << " days, median " << Fixed(r.gap_median_days, 0)
      << " days, max " << Fixed(r.gap_max_days, 0) << " days\n";
}

void PrintPhases(std::ostream& out, const an::PhasesResult& r) {
  out << "years " << r.first_year << "–" << r.last_year << "\n\n";
  Table table;
  table.AddColumn("phase");
  table.AddColumn("from", Align::kRight);
  table.AddColumn("to", Align::kRight);
  table.AddColumn("exch/yr", Align::kRight);
  table.AddColumn("inst/yr", Align::kRight);
  table.AddColumn("cd/yr", Align::kRight);
  table.AddColumn("margin", Align::kRight);
  table.AddColumn("note");
  for (const auto& span : r.phases) {
    std::string note = span.quiet ? "quiet" : (span.weak ? "weak" : "");
    table.AddRow({std::string(an::PhaseName(span.phase)), std::to_string(span.from),
                  std::to_string(span.to), Fixed(span.mean_per_year[0], 1),
                  Fixed(span.mean_per_year[1], 1), Fixed(span.mean_per_year[2], 1),
                  Fixed(span.margin, 2), note});
  }
  out << table.Render();
  for (const auto& boundary : r.boundaries) {
    out << "\n"
        << boundary.year << (boundary.phase_change ? "" : " (same phase)") << ": "
        << boundary.explanation << "\n";
  }
}

void PrintInstitutionalization(std::ostream& out, const an::InstitutionalizationResult& r) {
  Table table;
  table.AddColumn("mechanism", Align::kLeft, 40);
  table.AddColumn("founded");
  table.AddColumn("held", Align::kRight);
  table.AddColumn("postp.", Align::kRight);
  table.AddColumn("canc.", Align::kRight);
  table.AddColumn("mean days", Align::kRight);
  table.AddColumn("CV", Align::kRight);
  table.AddColumn("changes survived", Align::kRight);
  table.AddColumn("fields", Align::kLeft, 40);
  for (const auto& m : r.mechanisms) {
    table.AddRow({m.name, m.founded.ToString(), std::to_string(m.held), std::to_string(m.postponed),
                  std::to_string(m.cancelled), Fixed(m.interval_mean_days, 0),
                  Fixed(m.interval_cv, 2),
                  std::to_string(m.changes_survived) + "/" + std::to_string(m.holder_changes),
                  Join(m.fields)});
  }
  if (table.empty()) {
    out << "no mechanism between the home city and the partner\n";
  } else {
    out << table.Render();
  }
  if (!r.its) {
    out << "\ninterrupted time series: no break (no --break and no dated mechanism)\n";
    return;
  }
  out << "\ninterrupted time series at " << r.its->break_period << " (" << r.its->basis << "), "
      << r.its->periods.size() << " periods\n";
  if (!r.its->fit) {
    out << "  unavailable: " << r.its->unavailable << "\n";
    return;
  }
  out << "  level change  " << Interval(r.its->fit->level_change) << "\n"
      << "  slope change  " << Interval(r.its->fit->slope_change) << "\n"
      << "  pre slope     " << Interval(r.its->fit->pre_slope) << "\n";
}

void PrintBarometer(std::ostream& out, const an::BarometerResult& r) {
  out << r.verdict_text << "\n\n";
  out << "verdict: " << an::VerdictName(r.verdict) << "\n"
      << "periods: " << r.periods.size() << " (" << (r.periods.empty() ? "" : r.periods.front())
      << ".." << (r.periods.empty() ? "" : r.periods.back()) << ")"
      << (r.differenced ? ", first differences" : "") << "\n"
      << "best lag: " << r.ccf.best.lag << " (r = " << Fixed(r.ccf.best.correlation, 3)
      << ", band ±" << Fixed(r.ccf.band, 3) << ", verdict band ±" << Fixed(r.verdict_band, 3)
      << ")\n";
  const auto granger = [&](const char* label, const an::GrangerDirection& d) {
    out << "Granger " << label << ": ";
    if (!d.result) {
      out << "unavailable (" << d.unavailable << ")\n";
      return;
    }
    out << "p = " << Fixed(d.result->test.p_value, 4)
        << " (F = " << Fixed(d.result->test.f_statistic, 3) << ", lag " << d.result->selected_lag
        << ")\n";
  };
  granger("national → city", r.national_to_city);
  granger("city → national", r.city_to_national);
  Table table;
  table.AddColumn("lag", Align::kRight);
  table.AddColumn("r", Align::kRight);
  table.AddColumn("");
  for (const auto& lag : r.ccf.lags) {
    table.AddRow({std::to_string(lag.lag), Fixed(lag.correlation, 3), lag.significant ? "*" : ""});
  }
  out << "\n" << table.Render();
}

void PrintShocks(std::ostream& out, const an::ShocksResult& r) {
  Table table;
  table.AddColumn("episode");
  table.AddColumn("from..to");
  table.AddColumn("baseline", Align::kRight);
  table.AddColumn("during", Align::kRight);
  table.AddColumn("depth", Align::kRight);
  table.AddColumn("recovery", Align::kRight);
  table.AddColumn("insulation", Align::kRight);
  table.AddColumn("inst. depth", Align::kRight);
  table.AddColumn("others depth", Align::kRight);
  for (const auto& e : r.episodes) {
    const std::string span = e.episode.from.ToString() + ".." + e.episode.to.ToString();
    if (!e.unavailable.empty()) {
      table.AddRow({e.episode.name, span, "-", "-", "-", "-", "-", "-", "-"});
      continue;
    }
    table.AddRow(
        {e.episode.name + (e.episode.origin == "built-in" ? "" : " (" + e.episode.origin + ")"),
         span + (e.truncated ? " (truncated)" : ""), Fixed(e.baseline_mean, 2),
         Fixed(e.episode_mean, 2), Percent(e.depth),
         e.recovery_periods ? std::to_string(*e.recovery_periods) : std::string("not yet"),
         e.counterfactual ? Fixed(e.counterfactual->insulation, 2) : std::string("-"),
         Percent(e.institutionalized.depth), Percent(e.others.depth)});
  }
  out << "activity per " << an::GranularityName(r.granularity) << ", " << r.periods.size()
      << " periods\n\n"
      << table.Render();
  for (const auto& e : r.episodes) {
    if (!e.unavailable.empty()) {
      out << e.episode.name << ": " << e.unavailable << "\n";
    } else if (!e.counterfactual_unavailable.empty()) {
      out << e.episode.name << ": no counterfactual (" << e.counterfactual_unavailable << ")\n";
    }
  }
}

void PrintBreakdown(std::ostream& out, const std::string& title, const an::Breakdown& b) {
  double total = 0.0;
  for (double value : b.totals) {
    total += value;
  }
  Table table;
  table.AddColumn(title);
  table.AddColumn("events", Align::kRight);
  table.AddColumn("share", Align::kRight);
  for (std::size_t i = 0; i < b.categories.size(); ++i) {
    table.AddRow(
        {b.categories[i], Fixed(b.totals[i], 0), Percent(total > 0.0 ? b.totals[i] / total : NAN)});
  }
  out << table.Render();
}

void PrintFrameworks(std::ostream& out, const std::string& name, const an::FrameworksResult& r) {
  double events = 0.0;
  for (double value : r.events) {
    events += value;
  }
  out << Fixed(events, 0) << " events over " << r.periods.size() << " "
      << an::GranularityName(r.granularity) << (r.periods.size() == 1 ? "" : "s") << "\n\n";
  if (name == "frameworks") {
    PrintBreakdown(out, "framework", r.frameworks);
    // Per period: the frameworks' counts.
    Table table;
    table.AddColumn("period");
    table.AddColumn("events", Align::kRight);
    for (const auto& category : r.frameworks.categories) {
      table.AddColumn(category, Align::kRight);
    }
    for (std::size_t p = 0; p < r.periods.size(); ++p) {
      std::vector<std::string> cells = {r.periods[p], Fixed(r.events[p], 0)};
      for (double value : r.frameworks.counts[p]) {
        cells.push_back(Fixed(value, 0));
      }
      table.AddRow(std::move(cells));
    }
    out << "\n" << table.Render();
  } else if (name == "agenda") {
    PrintBreakdown(out, "purpose", r.purposes);
    out << "\n";
    PrintBreakdown(out, "topic", r.topics);
  } else if (name == "governance") {
    PrintBreakdown(out, "level", r.levels);
    out << "\n";
    Table axes;
    axes.AddColumn("axis");
    axes.AddColumn("events", Align::kRight);
    axes.AddColumn("share of events", Align::kRight);
    for (std::size_t i = 0; i < r.axes.categories.size(); ++i) {
      axes.AddRow({r.axes.categories[i], Fixed(r.axes.totals[i], 0),
                   Percent(events > 0.0 ? r.axes.totals[i] / events : NAN)});
    }
    out << axes.Render();
  } else {
    PrintBreakdown(out, "mode", r.modes);
  }
}

void PrintPair(std::ostream& out, const an::PairImage& pair) {
  Table table;
  table.AddColumn("direction");
  table.AddColumn("mean tone", Align::kRight);
  table.AddColumn("events", Align::kRight);
  table.AddColumn("periods", Align::kRight);
  table.AddRow({pair.home + " → " + pair.partner, Fixed(pair.home_to_partner.mean, 3),
                Fixed(pair.home_to_partner.total_events, 0),
                std::to_string(pair.home_to_partner.periods.size())});
  table.AddRow({pair.partner + " → " + pair.home, Fixed(pair.partner_to_home.mean, 3),
                Fixed(pair.partner_to_home.total_events, 0),
                std::to_string(pair.partner_to_home.periods.size())});
  out << table.Render();
  out << "asymmetry (" << pair.home << "→" << pair.partner << " minus the reverse): "
      << (pair.asymmetry.mean ? Interval(*pair.asymmetry.mean)
                              : std::string("unavailable (fewer than 3 common periods)"))
      << "; correlation " << Fixed(pair.asymmetry.correlation, 3) << "\n";
}

void PrintImage(std::ostream& out, const an::ImageResult& r) {
  PrintPair(out, r.countries);
  if (r.cities) {
    out << "\n";
    PrintPair(out, *r.cities);
  } else {
    out << "\nno city pair rows in the GDELT tables\n";
  }
}

void PrintReport(std::ostream& out, const app::AnalysisReport& report) {
  out << report.name << ": " << report.home.name_en << " with " << report.partner;
  if (!report.from.empty() || !report.to.empty()) {
    out << ", " << (report.from.empty() ? "…" : report.from) << ".."
        << (report.to.empty() ? "…" : report.to);
  }
  if (!report.index.empty()) {
    out << "; index: " << report.index;
  }
  out << "\n\n";
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, an::VisitsResult>) {
          PrintVisits(out, value);
        } else if constexpr (std::is_same_v<T, an::PhasesResult>) {
          PrintPhases(out, value);
        } else if constexpr (std::is_same_v<T, an::InstitutionalizationResult>) {
          PrintInstitutionalization(out, value);
        } else if constexpr (std::is_same_v<T, an::BarometerResult>) {
          PrintBarometer(out, value);
        } else if constexpr (std::is_same_v<T, an::ShocksResult>) {
          PrintShocks(out, value);
        } else if constexpr (std::is_same_v<T, an::FrameworksResult>) {
          PrintFrameworks(out, report.name, value);
        } else {
          PrintImage(out, value);
        }
      },
      report.value);
}

void PrintSummary(std::ostream& out, const app::AnalysisSummary& summary) {
  out << summary.home.name_en << " with " << summary.partner
      << (summary.index.empty() ? std::string() : "; index: " + summary.index) << "\n\n";
  Table table;
  table.AddColumn("analysis");
  table.AddColumn("result", Align::kLeft, 130);
  for (const auto& line : summary.lines) {
    table.AddRow({line.name, line.ok ? line.headline : "unavailable: " + line.headline});
  }
  out << table.Render();
}

// ---------------------------------------------------------------------------------------------
// Options

struct Args {
  app::AnalysisRequest request;
  bool json = false;
  std::string cluster;  // --cluster: accepted with --warehouse for symmetry, not needed to read
};

void AddCommonOptions(CLI::App& command, Args& args) {
  auto& r = args.request;
  command.add_option("--home", r.home, "the home city (required), e.g. Seoul or 서울")->required();
  command.add_option("--partner", r.partner,
                     "a partner city (Beijing, Beijing,CHN) or country (CHN, China); default: any");
  command.add_option("--from", r.from, "start of the range, YYYY[-MM[-DD]] (inclusive)");
  command.add_option("--to", r.to, "end of the range, YYYY[-MM[-DD]] (inclusive)");
  command.add_option("--period", r.period, "year (default), quarter or month");
  command.add_flag("--json", args.json, "JSON output (docs/analyses.md lists the keys)");
}

void AddIndexOptions(CLI::App& command, Args& args) {
  auto& r = args.request;
  command.add_option("--index", r.index_file,
                     "national index: a period,value CSV (default: the GDELT barometer tables "
                     "when they hold the two countries)");
  command.add_option("--index-name", r.index_name,
                     "a shipped index of data/national-index by name, or gdelt");
  command.add_option("--metric", r.metric,
                     "GDELT index metric: goldstein_mean (default), tone_mean, cooperation_share "
                     "or events");
}

// Where the analyses that read the GDELT barometer (barometer, shocks, image) read it.
void AddWarehouseOptions(CLI::App& command, Args& args) {
  command.add_option(
      "--warehouse", args.request.warehouse,
      "read the GDELT barometer from a ClickHouse warehouse (SQL pushdown) instead "
      "of the --db tables: its HTTP addresses, one per shard (http://HOST:8123[,...])");
  command.add_option("--cluster", args.cluster,
                     "with --warehouse: the cluster name (accepted for symmetry; not needed)");
}

void AddOptionsFor(const std::string& name, CLI::App& command, Args& args) {
  auto& r = args.request;
  if (name == "visits" || name == "summary") {
    command.add_option("--office", r.office,
                       "the office whose holders are counted (default mayor)");
    command.add_flag("--exclude-acting", r.exclude_acting, "leave out acting officials");
    command.add_option("--trip-gap", r.trip_gap_days,
                       "visit events at most this many days apart are one trip (default 7)");
  }
  if (name == "phases" || name == "summary") {
    command.add_option("--method", r.method, "pelt (default) or binseg");
    command.add_option("--penalty", r.penalty, "penalty per change (default: BIC, 4 log n)");
    command.add_option("--min-segment", r.min_segment_years,
                       "minimum years per segment (default 2)");
  }
  if (name == "institutionalization" || name == "summary") {
    command.add_option("--break", r.break_date,
                       "the interruption, YYYY[-MM[-DD]] (default: the earliest mechanism's "
                       "founding)");
    command.add_option("--mechanism", r.mechanism,
                       "only this mechanism (English or Korean name); its founding is the break");
  }
  if (name == "barometer" || name == "shocks" || name == "summary") {
    AddIndexOptions(command, args);
  }
  if (name == "barometer" || name == "shocks" || name == "image" || name == "summary") {
    AddWarehouseOptions(command, args);
  }
  if (name == "barometer" || name == "summary") {
    command.add_option("--max-lag", r.max_lag,
                       "largest lead/lag (default 12 months, 4 quarters or 3 years)");
    command.add_option("--window", r.rolling_window,
                       "rolling-correlation window (default 24 months, 8 quarters, 5 years)");
    command.add_flag("--difference", r.difference, "correlate first differences");
    command.add_option("--weights", r.weights,
                       "event weights by type, e.g. agreement=2,forum=1.5 (default: counts)");
  }
  if (name == "shocks" || name == "summary") {
    command.add_option("--episode", r.episodes,
                       "a user episode NAME=FROM..TO, e.g. MERS=2015-05..2015-12 (repeatable)");
    command.add_flag("--no-builtin", r.no_builtin, "leave out THAAD and COVID-19");
    command.add_flag("--detect", r.detect, "also detect episodes in the index");
    command.add_option("--k-sigma", r.k_sigma, "detection: standard deviations (default 1)");
    command.add_option("--min-periods", r.min_periods, "detection: shortest run (default 3)");
    command.add_flag("--above", r.detect_above, "detection: runs above the mean instead of below");
    command.add_option("--baseline", r.baseline_periods,
                       "periods before the onset that make the baseline (default 3 years)");
  }
  if (name == "image" || name == "summary") {
    command.add_option("--home-city-id", r.home_city_id,
                       "GDELT city-actor dictionary id of the home city (default: its name)");
    command.add_option("--partner-city-id", r.partner_city_id,
                       "dictionary id of the partner city (default: its name)");
  }
}

}  // namespace

void RegisterAnalyzeCommand(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand(
      "analyze",
      "test the claims about a city's diplomacy on the registry (docs/analyses.md); --home is "
      "required");
  std::vector<std::string> names = app::AnalysisNames();
  names.push_back("summary");
  // An unknown name is a usage error that names the analyses (CLI11 alone would only say that a
  // subcommand is required).
  group->require_subcommand(0, 1);
  group->callback([&ctx, group, names] {
    if (!group->get_subcommands().empty()) {
      return;
    }
    const auto extras = group->remaining();
    std::string list;
    for (const auto& name : names) {
      list += (list.empty() ? "" : ", ") + name;
    }
    *ctx.err << "citydip: "
             << (extras.empty() ? std::string("an analysis name is required")
                                : "unknown analysis '" + extras.front() + "'")
             << " (expected " << list << ")\nRun with --help for more information.\n";
    ctx.exit_code = 2;
  });
  for (const auto& name : names) {
    auto args = std::make_shared<Args>();
    args->request.name = name;
    auto* command = group->add_subcommand(name, std::string(app::AnalysisDescription(name)));
    AddCommonOptions(*command, *args);
    AddOptionsFor(name, *command, *args);
    command->callback([&ctx, args, name] {
      args->request.db = ctx.db;
      auto store = app::OpenStore(ctx.db);
      if (!Check(ctx, store)) {
        return;
      }
      if (name == "summary") {
        auto summary = app::SummarizeAnalyses(**store, args->request);
        if (!Check(ctx, summary)) {
          return;
        }
        if (args->json) {
          *ctx.out << app::ToJson(*summary).dump(2) << "\n";
        } else {
          PrintSummary(*ctx.out, *summary);
        }
        return;
      }
      auto report = app::RunAnalysis(**store, args->request);
      if (!Check(ctx, report)) {
        return;
      }
      if (args->json) {
        *ctx.out << app::ToJson(*report).dump(2) << "\n";
      } else {
        PrintReport(*ctx.out, *report);
      }
    });
  }
  // After the subcommands are made, so that they do not inherit it: an unknown option of an
  // analysis stays a usage error.
  group->allow_extras();
}

}  // namespace citydip::cli
