// The embedded SQLite backend of the registry store (the default). One file holds the registry;
// several processes may open it at once (WAL mode: readers never block, writers queue for up to
// 5 s before failing with kUnavailable).
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::storage::sqlite {

/// Opens the registry database at `path`, creating an empty file when `create_if_missing`.
/// The store is not migrated: call Migrate() to create or upgrade the schema (every other
/// operation fails with kFailedPrecondition until the schema is at kSchemaVersion).
/// Errors: kNotFound when the file is missing and !create_if_missing; kInvalidArgument when the
/// file is not a SQLite database; kUnavailable when it cannot be opened.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                             bool create_if_missing = true);

}  // namespace citydip::storage::sqlite
