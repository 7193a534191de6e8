// Opens the GDELT event warehouse named by --warehouse: a list of ClickHouse HTTP addresses, one
// per shard. With store_factory.cpp, the only code that names a storage backend.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/event_warehouse.h"

namespace citydip::app {

/// The Distributed table of the warehouse (its local tables add "_local").
inline constexpr const char* kDefaultWarehouseTable = "gdelt_events";

/// Opens (without connecting) the warehouse at `urls` ("http://HOST:PORT[,...]"), keeping events
/// in `table` of the default database. Fails with kInvalidArgument for a bad address or table,
/// kFailedPrecondition when this build has no ClickHouse support.
[[nodiscard]] Result<std::unique_ptr<storage::EventWarehouse>> OpenEventWarehouse(
    const std::string& urls, const std::string& table = kDefaultWarehouseTable);

}  // namespace citydip::app
