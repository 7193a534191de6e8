// The GDELT event warehouse ("port"): a distributed column store that keeps GDELT event rows
// (the columns the barometer reads) and computes the barometer sums by pushing the GROUP BY down
// to its shards. For users whose history outgrows one machine. Backend: storage/clickhouse
// (clickhouse_warehouse.h), named only by the app's factory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "citydip/core/result.h"
#include "citydip/storage/barometer_store.h"

namespace citydip::storage {

/// One GDELT event row as stored: the columns the barometer reads.
struct WarehouseEvent {
  std::string date;  // SQLDATE as "YYYY-MM-DD"
  std::string actor1_country;
  std::string actor2_country;
  bool is_root = false;
  int root_code = 1;  // EventRootCode 1..20
  int quad = 1;       // QuadClass 1..4
  double goldstein = 0;
  double tone = 0;
  std::uint64_t mentions = 0;
  std::uint64_t sources = 0;
  std::uint64_t articles = 0;
  /// The city-actor dictionary id each actor was attributed to at ingest ("" for none).
  std::string actor1_city;
  std::string actor2_city;
  /// The load (one attempt to store one file) the row belongs to: see EventWarehouse.
  std::uint64_t load_id = 0;
};

/// A file whose rows the warehouse holds: its registry of ingested files (name, size, MD5), kept
/// with the rows so that every client of the warehouse sees the same registry.
struct WarehouseFile {
  std::uint64_t load_id = 0;
  std::string name;  // base name, e.g. 20150218230000.export.CSV.zip
  std::uint64_t size = 0;
  std::string md5;   // "" when ingested with --no-md5
  std::string kind;  // events-v1, events-v2
  std::uint64_t rows = 0;
  std::uint64_t bad_rows = 0;
  std::string ingested_at;  // UTC "YYYY-MM-DD HH:MM:SS", set by the warehouse
};

/// Exactly once: a file's rows are stored under a fresh load id (NewLoadId), then the file is
/// committed (CommitFiles, a single insert). Queries count only the rows of committed loads
/// (and rows stored before loads were tracked, load id 0), so rows of a file whose ingest
/// failed or was killed half-way are never counted, and re-ingesting it adds it once. When two
/// clients commit the same file name, only the load with the smallest id counts.
///
/// Errors: kUnavailable naming the shard when one cannot be reached or fails a statement (no
/// partial result is ever returned: a query needs every shard); kInvalidArgument for a bad
/// granularity.
class EventWarehouse {
 public:
  EventWarehouse() = default;
  EventWarehouse(const EventWarehouse&) = delete;
  EventWarehouse& operator=(const EventWarehouse&) = delete;
  virtual ~EventWarehouse() = default;

  /// Creates, on every shard, the local table of events (partitioned by month) and the
  /// distributed table over the shards of `cluster` (declared in the servers' configuration).
  /// Idempotent; tables of an older layout get the missing columns (empty in existing rows).
  [[nodiscard]] virtual Status Init(const std::string& cluster) = 0;
  /// A fresh, random, non-zero load id (no server call).
  [[nodiscard]] virtual std::uint64_t NewLoadId() = 0;
  /// Appends rows (each with its load id) through the distributed table; returns once they are
  /// on their shards. They are not counted until their load is committed.
  [[nodiscard]] virtual Status Insert(const std::vector<WarehouseEvent>& events) = 0;
  /// Records `files` (their rows inserted before, under each file's load_id) in one insert: all
  /// of them are counted from then on, or none.
  [[nodiscard]] virtual Status CommitFiles(const std::vector<WarehouseFile>& files) = 0;
  /// Best effort after a failure: asks every shard to delete the rows of these uncommitted loads
  /// (they are not counted anyway; this frees their space).
  virtual void DiscardLoads(const std::vector<std::uint64_t>& load_ids) = 0;
  /// The committed files, one per name (the earliest load), ordered by name.
  [[nodiscard]] virtual Result<std::vector<WarehouseFile>> ListFiles() = 0;
  /// Pair sums of query.kind ("country": country codes, "city": dictionary ids; both actors
  /// non-empty) summed by `granularity` (day, month, quarter, year), filtered by
  /// query.actor1/actor2, ordered by actor1, actor2, period.
  [[nodiscard]] virtual Result<std::vector<BarometerPairRow>> QueryPairs(
      const PairQuery& query, const std::string& granularity) = 0;
  /// Every row's totals by `granularity`, ordered by period.
  [[nodiscard]] virtual Result<std::vector<BarometerTotalsRow>> QueryTotals(
      const std::string& granularity) = 0;
  /// Rows counted (of committed loads; for reports and tests).
  [[nodiscard]] virtual Result<std::int64_t> CountEvents() = 0;
};

}  // namespace citydip::storage
