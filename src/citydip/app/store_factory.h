// Opens the registry named by --db: a SQLite file path (optionally "sqlite:PATH") or a
// postgresql:// URL. The only code that names the storage backends.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::app {

enum class OpenMode : std::uint8_t {
  kReadWrite,  // create the schema on an empty database; refuse an older one (run `init`)
  kInit,       // create or upgrade the schema (`citydip init`)
};

/// Opens the store and checks its schema. Fails with kUnavailable when it cannot be reached,
/// kFailedPrecondition when its schema is newer than this build or older (asking for `init`).
[[nodiscard]] Result<std::unique_ptr<storage::Store>> OpenStore(
    const std::string& db, OpenMode mode = OpenMode::kReadWrite);

/// True when `db` names a PostgreSQL database rather than a SQLite file.
[[nodiscard]] bool IsPostgresUrl(const std::string& db);

}  // namespace citydip::app
