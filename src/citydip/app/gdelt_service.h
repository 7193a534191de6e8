// GDELT use cases: ingest files into the barometer tables, read a barometer series, fetch new
// files from GDELT (or a mirror) and ingest them. Adapters (CLI) parse options into these
// requests and render the results.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "citydip/core/result.h"
#include "citydip/ingest/gdelt/gdelt_ingest.h"

namespace citydip::app {

struct GdeltIngestRequest {
  std::string db;
  std::vector<std::string> inputs;  // files, directories, glob patterns
  std::string period = "month";     // day, month, quarter, year
  std::string countries;            // "KOR,CHN": keep country pairs touching these; "" all
  int threads = 0;                  // 0: one per core
  std::string max_bad_rows = "1%";
  /// City-actor dictionary; empty: $CITYDIP_DATA_DIR/gdelt/city_actors.csv, else
  /// data/gdelt/city_actors.csv under the working directory, else no city pairs.
  std::string cities;
  bool no_cities = false;
  bool no_md5 = false;  // recognise files by name and size only (faster for plain files)
  std::function<void(const ingest::gdelt::IngestProgress&)> progress;
  /// --warehouse URL[,URL...]: store the event rows in the ClickHouse warehouse (one HTTP address
  /// per shard) instead of local aggregates. The warehouse keeps the registry of the files it
  /// holds (`db` is not used then). "" for local.
  std::string warehouse;
  /// --cluster NAME: with `warehouse`, create its tables first when missing (as warehouse init).
  std::string cluster;
  std::string warehouse_table = "gdelt_events";  // the Distributed table (tests use their own)
  std::size_t warehouse_batch_rows = 100000;     // rows per INSERT
};

struct GdeltIngestResult {
  ingest::gdelt::IngestReport report;
  std::string cities_path;  // the dictionary used ("" for none)
  std::size_t cities = 0;   // cities in it

  /// False when a file failed (as a whole or with too many bad rows): exit code 1.
  [[nodiscard]] bool ok() const { return report.failed == 0; }
};

/// Ingests GDELT files into the barometer tables of `db`, skipping recorded files. Fails with
/// kInvalidArgument for bad options, kNotFound for inputs matching nothing, kUnavailable when the
/// database cannot be written (files of batches stored before stay recorded).
[[nodiscard]] Result<GdeltIngestResult> IngestGdelt(const GdeltIngestRequest& request);

struct GdeltSeriesRequest {
  std::string db;
  std::optional<std::string> from;  // actor1: a CAMEO country code (KOR) or a city id (seoul)
  std::optional<std::string> to;    // actor2
  bool all = false;                 // every pair
  bool city_pairs = false;
  std::string period = "month";
  bool normalize = false;
  /// --warehouse URL[,URL...]: compute the barometer by SQL in the ClickHouse warehouse (country
  /// or city pairs; every shard must answer). "" reads the local tables of `db`.
  std::string warehouse;
  std::string warehouse_table = "gdelt_events";
};

/// One row of a barometer series. Count-like values are doubles so that normalized shares and
/// raw counts share one type; means are empty (nullopt) for periods without events.
struct GdeltSeriesRow {
  std::string period;  // "2015-02" (month), "2015-02-18", "2015-Q1", "2015"
  std::string actor1;
  std::string actor2;
  double events = 0;
  double root_events = 0;
  double goldstein_sum = 0;
  std::optional<double> goldstein_mean;
  std::optional<double> goldstein_mentions_weighted;
  std::optional<double> tone_mean;
  double mentions = 0;
  double sources = 0;
  double articles = 0;
  std::array<double, 4> quad{};
  std::array<double, 20> root{};
  /// Σ AvgTone, never normalized (with `events`, what analyses pool across periods).
  double tone_sum = 0;
};

struct GdeltSeries {
  std::string period;  // the granularity shown
  std::string kind;    // country or city
  bool normalized = false;
  std::vector<GdeltSeriesRow> rows;
};

/// Reads the barometer of one pair (--from/--to; periods with data but no such event are zero
/// rows) or of every pair (--all), summed to `period`. With `normalize`, events, root events,
/// QuadClass and CAMEO root counts and the Goldstein sum are divided by the period's total
/// events, mentions, sources and articles by the period's totals of those (share of coverage);
/// means are unchanged. Fails with kInvalidArgument for bad options and kFailedPrecondition when
/// the stored data are coarser than `period`.
[[nodiscard]] Result<GdeltSeries> ReadGdeltSeries(const GdeltSeriesRequest& request);

/// `citydip warehouse init`: creates the warehouse's tables on every shard.
struct WarehouseInitRequest {
  std::string urls;     // http://HOST:PORT[,...], one per shard
  std::string cluster;  // a <remote_servers> cluster of the servers' configuration
  std::string table = "gdelt_events";
};

/// Creates on each shard the local MergeTree table of events (partitioned by month) and the
/// Distributed table over the cluster. Idempotent. Fails with kInvalidArgument for bad options,
/// kUnavailable naming a shard that cannot be reached, kFailedPrecondition for an undeclared
/// cluster.
[[nodiscard]] Status InitWarehouse(const WarehouseInitRequest& request);

/// The series as CSV with the header
/// period,actor1,actor2,events,root_events,goldstein_sum,goldstein_mean,
/// goldstein_mentions_weighted,tone_mean,mentions,sources,articles,quad1,quad2,quad3,quad4
[[nodiscard]] std::string SeriesToCsv(const GdeltSeries& series);
/// The series as a JSON object {period, kind, normalized, rows: [...]} (rows also carry the
/// CAMEO root counts as "cameo_roots": {"01": n, ...}).
[[nodiscard]] std::string SeriesToJson(const GdeltSeries& series);

/// The media-volume side: GDELT 2.0 mentions per period of MentionTimeDate.
struct GdeltMediaRow {
  std::string period;
  std::int64_t mentions = 0;
  std::array<std::int64_t, 6> by_type{};  // MentionType 1 WEB .. 6 NONTEXTUALSOURCE
  double doc_tone_mean = 0;
  double confidence_mean = 0;
};

struct GdeltMediaSeries {
  std::string period;
  std::vector<GdeltMediaRow> rows;
};

/// The mentions volume by `period` (from ingested mentions files). Fails like ReadGdeltSeries.
[[nodiscard]] Result<GdeltMediaSeries> ReadGdeltMedia(const std::string& db,
                                                      const std::string& period);

/// CSV with the header period,mentions,web,citation_only,core,dtic,jstor,non_textual,
/// doc_tone_mean,confidence_mean
[[nodiscard]] std::string MediaToCsv(const GdeltMediaSeries& series);
/// {period, rows: [...]} with the CSV's columns as keys.
[[nodiscard]] std::string MediaToJson(const GdeltMediaSeries& series);

struct GdeltFetchRequest {
  std::string db;
  std::string since;  // YYYY-MM-DD (or YYYYMMDD)
  std::string until;  // inclusive; "" = up to now
  std::string base_url = "http://data.gdeltproject.org";
  std::string dir = "gdelt-data";
  std::string version = "2";  // "2": 15-minute exports via gdeltv2/masterfilelist.txt; "1": daily
  bool mentions = false;      // also fetch GDELT 2.0 mentions
  bool ingest = true;
  /// Period, countries, threads, limits, dictionary; `warehouse` (and `cluster`) ingest into the
  /// ClickHouse warehouse instead of the local tables (refused with `ingest` false).
  GdeltIngestRequest ingest_options;
  std::function<void(const std::string&)> log;  // one line per file fetched or skipped
};

struct GdeltFetchResult {
  std::size_t listed = 0;       // files of the list in the date range
  std::size_t downloaded = 0;   // fetched now
  std::size_t present = 0;      // already complete on disk
  std::vector<Error> failures;  // files that could not be fetched (after retries)
  std::optional<GdeltIngestResult> ingested;

  [[nodiscard]] bool ok() const { return failures.empty() && (!ingested || ingested->ok()); }
};

/// Reads GDELT's master file list (v2) or index (v1) under `base_url`, downloads the files in
/// the date range that are missing from `dir` (resuming partial downloads, checking sizes and
/// MD5s against the list, retrying 429 and 5xx with backoff) and ingests them.
[[nodiscard]] Result<GdeltFetchResult> FetchGdelt(const GdeltFetchRequest& request);

}  // namespace citydip::app
