// The PostgreSQL backend of the registry store (libpq). Several citydip processes and threads —
// one Store each — may edit one database at once: every write is a transaction of its own (or a
// savepoint inside InTransaction), and updates carry the record's version, so a stale edit fails
// with kConflict instead of overwriting someone else's.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::storage::postgres {

/// Connects to the database named by `url` (postgresql://USER[:PASSWORD]@HOST:PORT/DB, any form
/// libpq accepts; the password may also come from PGPASSWORD or ~/.pgpass). Does not create or
/// check the schema (see Store::SchemaVersion and Store::Migrate).
///
/// Fails with kInvalidArgument for a malformed URL, kUnauthenticated when the server rejects the
/// credentials, kNotFound when the database does not exist, kUnavailable when the server cannot
/// be reached; every message names host:port/database and never the password.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);

}  // namespace citydip::storage::postgres
