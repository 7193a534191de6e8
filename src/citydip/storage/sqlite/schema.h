// The SQLite schema as a list of forward migrations, and the version bookkeeping
// (`schema_migrations`, one row per applied migration). Internal to the SQLite backend.
#pragma once

#include <string_view>
#include <vector>

#include "citydip/core/result.h"
#include "citydip/storage/sqlite/connection.h"

namespace citydip::storage::sqlite {

/// One forward migration: the SQL that takes the schema from `version - 1` to `version`.
struct Migration {
  int version;
  std::string_view sql;
};

/// All migrations, in order; the last one's version is kSchemaVersion.
[[nodiscard]] const std::vector<Migration>& Migrations();

/// The highest applied migration; 0 when the database has no `schema_migrations` table.
[[nodiscard]] Result<int> ReadSchemaVersion(Connection& connection);

/// Applies the missing migrations in one IMMEDIATE transaction. Idempotent. Refuses (with
/// kFailedPrecondition naming both versions) a database whose version is newer than
/// kSchemaVersion, and a SQLite database with tables that is not a citydip database.
[[nodiscard]] Status MigrateSchema(Connection& connection);

}  // namespace citydip::storage::sqlite
