// The SQLite implementation of the GDELT barometer store: its own tables (gdelt_files,
// gdelt_pairs, gdelt_period_totals, gdelt_media_volume) in the registry's database file, on its
// own connection (WAL, busy timeout).
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/barometer_store.h"

namespace citydip::storage::sqlite {

/// Opens (creating when missing) the database at `path` and creates the barometer tables.
/// kUnavailable when it cannot be opened; kInvalidArgument when the file is not a database.
[[nodiscard]] Result<std::unique_ptr<BarometerStore>> OpenSqliteBarometerStore(
    const std::string& path);

}  // namespace citydip::storage::sqlite
