// Opens the registry named by --db: a SQLite file path (optionally "sqlite:PATH") or a
// postgresql:// URL. The only code that names the storage backends.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/auth_store.h"
#include "citydip/storage/barometer_store.h"
#include "citydip/storage/store.h"

namespace citydip::app {

enum class OpenMode : std::uint8_t {
  kReadWrite,  // create the schema on an empty database; refuse an older one (run `init`)
  kInit,       // create or upgrade the schema (`citydip init`)
};

/// Opens the store and checks its schema. Fails with kUnavailable when it cannot be reached,
/// kFailedPrecondition when its schema is newer than this build or older (asking for `init`).
[[nodiscard]] Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& db,
                                                                OpenMode mode = OpenMode::kReadWrite);

/// True when `db` names a PostgreSQL database rather than a SQLite file.
[[nodiscard]] bool IsPostgresUrl(const std::string& db);

/// Opens the users/sessions/audit store: the SQLite file `auth_db` (optionally "sqlite:PATH";
/// created when missing) or a postgresql:// URL (its auth tables are created when missing).
/// When it is the registry's own file, open the registry with OpenStore first, so that the
/// registry schema exists before the auth tables.
[[nodiscard]] Result<std::unique_ptr<storage::AuthStore>> OpenAuthStore(const std::string& auth_db);

/// Opens the GDELT barometer tables of the database named by --db (a SQLite file, optionally
/// "sqlite:PATH", or a postgresql:// URL), opening the registry with OpenStore first so that an
/// empty database gets the registry schema before the barometer tables.
[[nodiscard]] Result<std::unique_ptr<storage::BarometerStore>> OpenBarometerStore(
    const std::string& db);

}  // namespace citydip::app
