// The SQLite backend of the AuthStore: users, sessions and the audit log in tables of their own
// (auth_users, auth_sessions, auth_audit) inside the registry's database file, on a connection of
// their own (WAL mode, 5 s busy timeout, like the registry's).
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/auth_store.h"

namespace citydip::storage::sqlite {

/// Opens the auth tables of the database at `path` and creates them when missing. When the file
/// also holds the registry, create the registry schema first: the registry's migrations refuse a
/// database that already has tables of another schema.
/// Errors: kNotFound for a missing file unless `create_if_missing`, kInvalidArgument for a file
/// that is not a SQLite database, kUnavailable when it cannot be opened.
[[nodiscard]] Result<std::unique_ptr<AuthStore>> OpenSqliteAuthStore(const std::string& path,
                                                                     bool create_if_missing);

}  // namespace citydip::storage::sqlite
