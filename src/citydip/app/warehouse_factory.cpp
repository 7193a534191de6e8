#include "citydip/app/warehouse_factory.h"

#ifdef CITYDIP_HAVE_CLICKHOUSE
#include "citydip/storage/clickhouse/clickhouse_warehouse.h"
#endif

namespace citydip::app {

Result<std::unique_ptr<storage::EventWarehouse>> OpenEventWarehouse(const std::string& urls,
                                                                    const std::string& table) {
#ifdef CITYDIP_HAVE_CLICKHOUSE
  storage::clickhouse::WarehouseOptions options;
  options.urls = urls;
  options.table = table.empty() ? std::string(kDefaultWarehouseTable) : table;
  return storage::clickhouse::OpenClickHouseWarehouse(options);
#else
  (void)table;
  return Fail(ErrorCode::kFailedPrecondition,
              "this citydip was built without ClickHouse support (cpp-httplib missing)", urls);
#endif
}

}  // namespace citydip::app
