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
};

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
  /// Appends rows through the distributed table; returns once they are on their shards.
  [[nodiscard]] virtual Status Insert(const std::vector<WarehouseEvent>& events) = 0;
  /// Pair sums of query.kind ("country": country codes, "city": dictionary ids; both actors
  /// non-empty) summed by `granularity` (day, month, quarter, year), filtered by
  /// query.actor1/actor2, ordered by actor1, actor2, period.
  [[nodiscard]] virtual Result<std::vector<BarometerPairRow>> QueryPairs(
      const PairQuery& query, const std::string& granularity) = 0;
  /// Every row's totals by `granularity`, ordered by period.
  [[nodiscard]] virtual Result<std::vector<BarometerTotalsRow>> QueryTotals(
      const std::string& granularity) = 0;
  /// Rows stored (for reports and tests).
  [[nodiscard]] virtual Result<std::int64_t> CountEvents() = 0;
};

}  // namespace citydip::storage
