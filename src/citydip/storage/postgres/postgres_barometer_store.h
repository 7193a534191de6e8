// The PostgreSQL backend of the GDELT barometer store: the same tables as on SQLite
// (gdelt_files, gdelt_pairs, gdelt_period_totals, gdelt_media_volume) next to the registry's, on
// a connection of their own, so that an office keeping its registry in PostgreSQL keeps its
// barometer there too.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/barometer_store.h"

namespace citydip::storage::postgres {

/// Connects to `url` (as OpenPostgresStore) and creates the barometer tables when missing
/// (serialized with other citydips doing the same). Errors as OpenPostgresStore's.
[[nodiscard]] Result<std::unique_ptr<BarometerStore>> OpenPostgresBarometerStore(
    const std::string& url);

}  // namespace citydip::storage::postgres
