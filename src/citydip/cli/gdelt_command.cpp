// gdelt ingest | series | fetch: the GDELT monitoring commands.
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "citydip/app/gdelt_service.h"
#include "citydip/cli/context.h"
#include "citydip/core/countries.h"
#include "citydip/report/table.h"

namespace citydip::cli {
namespace {

namespace gdelt = ingest::gdelt;
using report::Align;
using report::Table;

// "1,234,567"
std::string Grouped(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Duration(double seconds) {
  if (seconds < 60) {
    return Fixed(seconds, seconds < 10 ? 1 : 0) + "s";
  }
  const auto whole = static_cast<long>(seconds);
  return std::to_string(whole / 60) + "m" + std::to_string(whole % 60) + "s";
}

// Progress on a terminal only: files, rows, MB/s, ETA, rewritten in place on stderr.
class ProgressLine {
 public:
  explicit ProgressLine(const CliContext& ctx)
      : enabled_(!ctx.quiet && ctx.err == &std::cerr && isatty(STDERR_FILENO) == 1) {}

  [[nodiscard]] bool enabled() const { return enabled_; }

  void Show(const gdelt::IngestProgress& progress) {
    if (!enabled_ || progress.seconds <= 0) {
      return;
    }
    const double rate = static_cast<double>(progress.bytes_done) / progress.seconds;
    std::string line = "  files " + std::to_string(progress.files_done) + "/" +
                       std::to_string(progress.files_total) + "  rows " + Grouped(progress.rows) +
                       "  " + Fixed(rate / 1e6, 0) + " MB/s";
    if (rate > 0 && progress.bytes_total > progress.bytes_done) {
      line += "  ETA " +
              Duration(static_cast<double>(progress.bytes_total - progress.bytes_done) / rate);
    }
    std::cerr << "\r" << line << "\x1b[K" << std::flush;
    shown_ = true;
  }

  void Done() {
    if (shown_) {
      std::cerr << "\r\x1b[K" << std::flush;
    }
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

// The summary of an ingest run on stdout, problems on stderr; exit code 1 when a file failed.
void PrintIngestReport(CliContext& ctx, const app::GdeltIngestResult& result) {
  const gdelt::IngestReport& report = result.report;
  const double seconds = report.seconds > 0 ? report.seconds : 1e-9;
  *ctx.out << "ingested " << report.ingested << " file" << (report.ingested == 1 ? "" : "s") << ": "
           << Grouped(report.rows) << " rows, "
           << Fixed(static_cast<double>(report.data_bytes) / 1e6, 1) << " MB of CSV in "
           << Fixed(report.seconds, 2) << " s ("
           << Fixed(static_cast<double>(report.data_bytes) / seconds / 1e6, 0) << " MB/s, "
           << report.threads << " thread" << (report.threads == 1 ? "" : "s") << ")\n";
  if (report.already_ingested > 0) {
    *ctx.out << "already ingested (no-op): " << report.already_ingested << " file"
             << (report.already_ingested == 1 ? "" : "s") << "\n";
  }
  if (report.skipped > 0) {
    *ctx.out << "skipped: " << report.skipped << " mentions file"
             << (report.skipped == 1 ? "" : "s")
             << " (the warehouse keeps event rows; ingest mentions without --warehouse)\n";
  }
  if (!result.cities_path.empty()) {
    *ctx.out << "city pairs from " << result.cities_path << " (" << result.cities << " cities)\n";
  }
  if (report.bad_rows > 0) {
    std::string reasons;
    for (std::size_t r = 0; r < gdelt::kBadRowReasons; ++r) {
      if (report.bad_by_reason[r] > 0) {
        reasons += (reasons.empty() ? "" : ", ") +
                   std::string(gdelt::BadRowReasonName(static_cast<gdelt::BadRowReason>(r))) + " " +
                   Grouped(report.bad_by_reason[r]);
      }
    }
    *ctx.err << "citydip: skipped " << Grouped(report.bad_rows) << " bad row"
             << (report.bad_rows == 1 ? "" : "s") << " (" << reasons << "); first examples:\n";
    for (const auto& example : report.examples) {
      *ctx.err << "  " << example.ToString() << "\n";
    }
  }
  for (const auto& file : report.files) {
    if (file.status == gdelt::FileStatus::kFailed && file.error) {
      *ctx.err << "citydip: " << file.error->ToString() << "\n";
    }
  }
  if (report.failed > 0) {
    *ctx.err << "citydip: " << report.failed << " file" << (report.failed == 1 ? "" : "s")
             << " failed and " << (report.failed == 1 ? "was" : "were") << " not recorded\n";
    ctx.exit_code = ExitCodeFor(ErrorCode::kInvalidData);
  }
}

std::string CountryCaption(const std::string& code) {
  if (const CountryEntry* country = FindCountryByIso3(code)) {
    return code + " (" + std::string(country->name_en) + ", " + std::string(country->name_ko) + ")";
  }
  return code;
}

std::string TableNumber(double value, bool normalized) {
  if (normalized) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.6g", value);
    return buffer;
  }
  return Grouped(static_cast<std::uint64_t>(value));
}

std::string TableMean(const std::optional<double>& value) {
  return value ? Fixed(*value, 3) : std::string("-");
}

void PrintSeriesTable(CliContext& ctx,
                      const app::GdeltSeries& series,
                      const app::GdeltSeriesRequest& request) {
  if (request.from && request.to && series.kind == "country") {
    *ctx.out << CountryCaption(series.rows.empty() ? *request.from : series.rows[0].actor1)
             << " -> " << CountryCaption(series.rows.empty() ? *request.to : series.rows[0].actor2);
  } else if (request.from || request.to) {
    *ctx.out << (request.from ? *request.from : std::string("*")) << " -> "
             << (request.to ? *request.to : std::string("*"));
  } else {
    *ctx.out << "all " << series.kind << " pairs";
  }
  *ctx.out << ", GDELT events by " << series.period
           << (series.normalized ? " (counts as shares of the period's events, mentions, "
                                   "sources and articles)"
                                 : "")
           << "\n";
  if (series.rows.empty()) {
    *ctx.out << "no data (ingest GDELT files with `citydip gdelt ingest`)\n";
    return;
  }
  Table table;
  table.AddColumn("period");
  table.AddColumn("actor1");
  table.AddColumn("actor2");
  for (const char* numeric :
       {"events", "root", "goldstein_sum", "goldstein_mean", "goldstein_w", "tone_mean", "mentions",
        "sources", "articles", "q1", "q2", "q3", "q4"}) {
    table.AddColumn(numeric, Align::kRight);
  }
  const bool n = series.normalized;
  for (const auto& row : series.rows) {
    table.AddRow({row.period, row.actor1, row.actor2, TableNumber(row.events, n),
                  TableNumber(row.root_events, n),
                  n ? TableNumber(row.goldstein_sum, true) : Fixed(row.goldstein_sum, 1),
                  TableMean(row.goldstein_mean), TableMean(row.goldstein_mentions_weighted),
                  TableMean(row.tone_mean), TableNumber(row.mentions, n),
                  TableNumber(row.sources, n), TableNumber(row.articles, n),
                  TableNumber(row.quad[0], n), TableNumber(row.quad[1], n),
                  TableNumber(row.quad[2], n), TableNumber(row.quad[3], n)});
  }
  *ctx.out << table.Render();
}

void PrintMediaTable(CliContext& ctx, const app::GdeltMediaSeries& series) {
  *ctx.out << "GDELT 2.0 mentions by " << series.period << " (MentionTimeDate)\n";
  if (series.rows.empty()) {
    *ctx.out << "no data (ingest GDELT 2.0 mentions files with `citydip gdelt ingest`)\n";
    return;
  }
  Table table;
  table.AddColumn("period");
  for (const char* numeric : {"mentions", "web", "citation_only", "core", "dtic", "jstor",
                              "non_textual", "doc_tone_mean", "confidence_mean"}) {
    table.AddColumn(numeric, Align::kRight);
  }
  for (const auto& row : series.rows) {
    std::vector<std::string> cells = {row.period,
                                      Grouped(static_cast<std::uint64_t>(row.mentions))};
    for (auto count : row.by_type) {
      cells.push_back(Grouped(static_cast<std::uint64_t>(count)));
    }
    cells.push_back(Fixed(row.doc_tone_mean, 3));
    cells.push_back(Fixed(row.confidence_mean, 1));
    table.AddRow(std::move(cells));
  }
  *ctx.out << table.Render();
}

// Options `ingest` and `fetch` share.
struct IngestArgs {
  std::string period = "month";
  std::string countries;
  int threads = 0;
  std::string max_bad_rows = "1%";
  std::string cities;
  bool no_cities = false;
  bool no_md5 = false;
};

void AddIngestOptions(CLI::App* command, IngestArgs& args) {
  command->add_option("--period", args.period, "day, month, quarter or year (of SQLDATE)")
      ->capture_default_str();
  command->add_option("--countries", args.countries,
                      "keep only country pairs with one of these CAMEO codes, e.g. KOR,CHN");
  command->add_option("--threads", args.threads, "worker threads (0: one per core)")
      ->capture_default_str();
  command
      ->add_option("--max-bad-rows", args.max_bad_rows,
                   "bad rows a file may have: a share (1%) or a count (100)")
      ->capture_default_str();
  command->add_option("--cities", args.cities,
                      "city-actor dictionary (default: data/gdelt/city_actors.csv)");
  command->add_flag("--no-cities", args.no_cities, "no city pairs");
  command->add_flag("--no-md5", args.no_md5,
                    "do not hash files (it costs a fifth to a third of the time of plain files): "
                    "recognise them by name and size only");
}

app::GdeltIngestRequest ToRequest(const CliContext& ctx, const IngestArgs& args) {
  app::GdeltIngestRequest request;
  request.db = ctx.db;
  request.period = args.period;
  request.countries = args.countries;
  request.threads = args.threads;
  request.max_bad_rows = args.max_bad_rows;
  request.cities = args.cities;
  request.no_cities = args.no_cities;
  request.no_md5 = args.no_md5;
  return request;
}

}  // namespace

void RegisterGdeltCommand(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand(
      "gdelt", "GDELT monitoring: ingest event files into barometer tables, read series, fetch");
  group->require_subcommand(1);

  // gdelt ingest
  struct IngestCommandArgs {
    IngestArgs options;
    std::vector<std::string> paths;
    std::string warehouse;
    std::string cluster;
  };
  auto ingest_args = std::make_shared<IngestCommandArgs>();
  auto* ingest = group->add_subcommand(
      "ingest",
      "aggregate GDELT 1.0/2.0 event files and 2.0 mentions (.CSV or .zip; files, directories, "
      "globs); files already recorded are skipped");
  AddIngestOptions(ingest, ingest_args->options);
  ingest->add_option("paths", ingest_args->paths, "files, directories or glob patterns")
      ->required();
  ingest->add_option("--warehouse", ingest_args->warehouse,
                     "store the event rows in a ClickHouse warehouse instead: its HTTP addresses, "
                     "one per shard (http://HOST:8123[,...]); it keeps its own registry of files "
                     "(--db is not used)");
  ingest->add_option("--cluster", ingest_args->cluster,
                     "with --warehouse: create the warehouse tables on this cluster first when "
                     "missing (as `warehouse init`)");
  ingest->callback([&ctx, ingest_args] {
    app::GdeltIngestRequest request = ToRequest(ctx, ingest_args->options);
    request.inputs = ingest_args->paths;
    request.warehouse = ingest_args->warehouse;
    request.cluster = ingest_args->cluster;
    ProgressLine progress(ctx);
    if (progress.enabled()) {
      request.progress = [&progress](const gdelt::IngestProgress& now) { progress.Show(now); };
    }
    auto result = app::IngestGdelt(request);
    progress.Done();
    if (!Check(ctx, result)) {
      return;
    }
    PrintIngestReport(ctx, *result);
  });

  // gdelt series
  struct SeriesArgs {
    std::string from;
    std::string to;
    bool all = false;
    bool city_pairs = false;
    std::string period = "month";
    bool normalize = false;
    bool media = false;
    std::string format = "table";
    std::string warehouse;
    std::string cluster;
  };
  auto series_args = std::make_shared<SeriesArgs>();
  auto* series = group->add_subcommand("series", "print a barometer series from the database");
  series->add_option("--from", series_args->from,
                     "actor 1: a CAMEO country code (KOR) or, with --city-pairs, a city id");
  series->add_option("--to", series_args->to, "actor 2");
  series->add_flag("--all", series_args->all, "every pair");
  series->add_flag("--city-pairs", series_args->city_pairs,
                   "city pairs (from the city-actor dictionary) instead of countries");
  series->add_option("--period", series_args->period, "day, month, quarter or year")
      ->capture_default_str();
  series->add_flag("--normalize", series_args->normalize,
                   "divide counts by the period's totals (share of coverage)");
  series->add_flag("--media", series_args->media,
                   "the media volume (GDELT 2.0 mentions per period) instead of a pair series");
  series->add_option("--format", series_args->format, "table, csv or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "csv", "json"}));
  series->add_option("--warehouse", series_args->warehouse,
                     "compute the series in a ClickHouse warehouse (SQL pushdown through its "
                     "Distributed table): its HTTP addresses, one per shard");
  series->add_option("--cluster", series_args->cluster,
                     "with --warehouse: the cluster name (accepted for symmetry; not needed)");
  series->callback([&ctx, series_args] {
    if (series_args->media) {
      if (!series_args->from.empty() || !series_args->to.empty() || series_args->all ||
          series_args->city_pairs || series_args->normalize || !series_args->warehouse.empty()) {
        ReportError(ctx, Error{ErrorCode::kInvalidArgument,
                               "--media takes only --period and --format", "gdelt series"});
        return;
      }
      auto media = app::ReadGdeltMedia(ctx.db, series_args->period);
      if (!Check(ctx, media)) {
        return;
      }
      if (series_args->format == "csv") {
        *ctx.out << app::MediaToCsv(*media);
      } else if (series_args->format == "json") {
        *ctx.out << app::MediaToJson(*media);
      } else {
        PrintMediaTable(ctx, *media);
      }
      return;
    }
    app::GdeltSeriesRequest request;
    request.db = ctx.db;
    if (!series_args->from.empty()) {
      request.from = series_args->from;
    }
    if (!series_args->to.empty()) {
      request.to = series_args->to;
    }
    request.all = series_args->all;
    request.city_pairs = series_args->city_pairs;
    request.period = series_args->period;
    request.normalize = series_args->normalize;
    request.warehouse = series_args->warehouse;
    auto result = app::ReadGdeltSeries(request);
    if (!Check(ctx, result)) {
      return;
    }
    if (series_args->format == "csv") {
      *ctx.out << app::SeriesToCsv(*result);
    } else if (series_args->format == "json") {
      *ctx.out << app::SeriesToJson(*result);
    } else {
      PrintSeriesTable(ctx, *result, request);
    }
  });

  // gdelt fetch
  struct FetchArgs {
    IngestArgs options;
    std::string since;
    std::string until;
    std::string base_url = "http://data.gdeltproject.org";
    std::string dir = "gdelt-data";
    std::string version = "2";
    bool mentions = false;
    bool no_ingest = false;
    std::string warehouse;
    std::string cluster;
  };
  auto fetch_args = std::make_shared<FetchArgs>();
  auto* fetch = group->add_subcommand(
      "fetch",
      "download the GDELT files of a date range that are missing from --dir (resuming, checking "
      "MD5s against GDELT's list, retrying 429/5xx) and ingest them");
  fetch->add_option("--since", fetch_args->since, "first day, YYYY-MM-DD")->required();
  fetch->add_option("--until", fetch_args->until, "last day, YYYY-MM-DD (default: no limit)");
  fetch->add_option("--base-url", fetch_args->base_url, "GDELT server or mirror")
      ->capture_default_str();
  fetch->add_option("--dir", fetch_args->dir, "where the files are kept")->capture_default_str();
  fetch
      ->add_option("--gdelt-version", fetch_args->version,
                   "2: 15-minute files (gdeltv2/masterfilelist.txt); 1: daily files "
                   "(events/md5sums)")
      ->capture_default_str();
  fetch->add_flag("--mentions", fetch_args->mentions, "also fetch GDELT 2.0 mentions files");
  fetch->add_flag("--no-ingest", fetch_args->no_ingest, "only download");
  AddIngestOptions(fetch, fetch_args->options);
  fetch->add_option("--warehouse", fetch_args->warehouse,
                    "ingest into a ClickHouse warehouse instead (as `gdelt ingest --warehouse`): "
                    "its HTTP addresses, one per shard");
  fetch->add_option("--cluster", fetch_args->cluster,
                    "with --warehouse: create the warehouse tables on this cluster first when "
                    "missing (as `warehouse init`)");
  fetch->callback([&ctx, fetch_args] {
    app::GdeltFetchRequest request;
    request.db = ctx.db;
    request.since = fetch_args->since;
    request.until = fetch_args->until;
    request.base_url = fetch_args->base_url;
    request.dir = fetch_args->dir;
    request.version = fetch_args->version;
    request.mentions = fetch_args->mentions;
    request.ingest = !fetch_args->no_ingest;
    request.ingest_options = ToRequest(ctx, fetch_args->options);
    request.ingest_options.warehouse = fetch_args->warehouse;
    request.ingest_options.cluster = fetch_args->cluster;
    if (!ctx.quiet) {
      request.log = [&ctx](const std::string& line) { *ctx.err << "  " << line << "\n"; };
    }
    ProgressLine progress(ctx);
    if (progress.enabled()) {
      request.ingest_options.progress = [&progress](const gdelt::IngestProgress& now) {
        progress.Show(now);
      };
    }
    auto result = app::FetchGdelt(request);
    progress.Done();
    if (!Check(ctx, result)) {
      return;
    }
    *ctx.out << "fetched " << result->downloaded << " of " << result->listed << " listed files ("
             << result->present << " already on disk, " << result->failures.size() << " failed)\n";
    for (const auto& failure : result->failures) {
      *ctx.err << "citydip: " << failure.ToString() << "\n";
    }
    if (result->ingested) {
      PrintIngestReport(ctx, *result->ingested);
    }
    if (!result->failures.empty()) {
      ctx.exit_code = ExitCodeFor(result->failures.front().code);
    }
  });
}

void RegisterWarehouseCommand(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand(
      "warehouse", "the GDELT event warehouse on a ClickHouse cluster (`gdelt ... --warehouse`)");
  group->require_subcommand(1);
  auto request = std::make_shared<app::WarehouseInitRequest>();
  auto* init = group->add_subcommand(
      "init",
      "create on every shard the local MergeTree table of GDELT events (by month) and the "
      "Distributed table over the cluster");
  init->add_option("--clickhouse", request->urls,
                   "the shards' HTTP addresses: http://HOST:8123[,http://HOST:8123...]")
      ->required();
  init->add_option("--cluster", request->cluster,
                   "the cluster of the servers' <remote_servers> configuration")
      ->required();
  init->callback([&ctx, request] {
    const Status done = app::InitWarehouse(*request);
    if (!Check(ctx, done)) {
      return;
    }
    *ctx.out << "warehouse ready: " << request->table << " on cluster " << request->cluster << "\n";
  });
}

}  // namespace citydip::cli
