// The ClickHouse backend of the GDELT event warehouse: on every shard a local MergeTree table of
// event rows (partitioned by month of SQLDATE) and a Distributed table over the cluster's shards;
// rows are inserted and the barometer is read through the Distributed table of the first shard.
// SQL for ClickHouse 18.16 (Debian 12) and later.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/event_warehouse.h"

namespace citydip::storage::clickhouse {

struct WarehouseOptions {
  std::string urls;                    // "http://HOST:PORT[,http://HOST:PORT...]", one per shard
  std::string database = "default";    // database of both tables, on every shard
  std::string table = "gdelt_events";  // the Distributed table; the local one adds "_local"
};

/// Fails with kInvalidArgument for a bad address list or table name. Does not connect.
[[nodiscard]] Result<std::unique_ptr<EventWarehouse>> OpenClickHouseWarehouse(
    const WarehouseOptions& options);

}  // namespace citydip::storage::clickhouse
