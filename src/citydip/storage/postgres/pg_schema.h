// The PostgreSQL schema of the registry, as numbered migrations. Migration N upgrades a database
// of schema version N-1; the last one is storage::kSchemaVersion. The tables mirror the SQLite
// backend's: one table per kind, references stored as foreign keys to ids (so a renamed city
// stays linked) and resolved back to natural keys when read.
#pragma once

#include <string_view>
#include <vector>

namespace citydip::storage::postgres {

/// One schema step.
struct Migration {
  int version = 0;
  std::string_view sql;
};

/// All migrations in order, the last one being kSchemaVersion.
[[nodiscard]] const std::vector<Migration>& Migrations();

/// Creates the version bookkeeping: one row per applied migration (as on SQLite).
inline constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

/// The advisory lock key that serializes concurrent migrations of one database.
inline constexpr long long kMigrationLockKey = 0x63697479646970;  // "citydip"

}  // namespace citydip::storage::postgres
