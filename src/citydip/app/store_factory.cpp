#include "citydip/app/store_factory.h"

#include <string>

#include "citydip/storage/sqlite/sqlite_auth_store.h"
#include "citydip/storage/sqlite/sqlite_barometer_store.h"
#include "citydip/storage/sqlite/sqlite_store.h"
#ifdef CITYDIP_HAVE_POSTGRES
#include "citydip/storage/postgres/postgres_auth_store.h"
#include "citydip/storage/postgres/postgres_barometer_store.h"
#include "citydip/storage/postgres/postgres_store.h"
#endif

namespace citydip::app {

bool IsPostgresUrl(const std::string& db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& db, OpenMode mode) {
  Result<std::unique_ptr<storage::Store>> store;
  if (IsPostgresUrl(db)) {
#ifdef CITYDIP_HAVE_POSTGRES
    store = storage::postgres::OpenPostgresStore(db);
#else
    return Fail(ErrorCode::kFailedPrecondition,
                "this build of citydip has no PostgreSQL support (rebuild with libpq-dev)", db);
#endif
  } else {
    std::string path = db.starts_with("sqlite:") ? db.substr(7) : db;
    store = storage::sqlite::OpenSqliteStore(path);
  }
  if (!store) {
    return Fail(store.error());
  }
  auto version = (*store)->SchemaVersion();
  if (!version) {
    return Fail(version.error());
  }
  if (*version > storage::kSchemaVersion) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the database has schema version " + std::to_string(*version) +
                    ", newer than this citydip (" + std::to_string(storage::kSchemaVersion) +
                    "); upgrade citydip",
                db);
  }
  if (*version == 0 || mode == OpenMode::kInit) {
    if (auto migrated = (*store)->Migrate(); !migrated) {
      return Fail(migrated.error());
    }
  } else if (*version < storage::kSchemaVersion) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the database has schema version " + std::to_string(*version) +
                    ", older than this citydip (" + std::to_string(storage::kSchemaVersion) +
                    "); run 'citydip init' to upgrade it",
                db);
  }
  return store;
}

Result<std::unique_ptr<storage::AuthStore>> OpenAuthStore(const std::string& auth_db) {
  if (IsPostgresUrl(auth_db)) {
#ifdef CITYDIP_HAVE_POSTGRES
    return storage::postgres::OpenPostgresAuthStore(auth_db);
#else
    return Fail(ErrorCode::kFailedPrecondition,
                "this build has no PostgreSQL support (libpq was not found at build time); give "
                "a SQLite file with --auth-db",
                "--auth-db");
#endif
  }
  const std::string path = auth_db.starts_with("sqlite:") ? auth_db.substr(7) : auth_db;
  return storage::sqlite::OpenSqliteAuthStore(path, /*create_if_missing=*/true);
}

Result<std::unique_ptr<storage::BarometerStore>> OpenBarometerStore(const std::string& db) {
  if (auto registry = OpenStore(db); !registry) {
    return Fail(registry.error());
  }
  if (IsPostgresUrl(db)) {
#ifdef CITYDIP_HAVE_POSTGRES
    return storage::postgres::OpenPostgresBarometerStore(db);
#else
    return Fail(ErrorCode::kFailedPrecondition,
                "this build has no PostgreSQL support (libpq was not found at build time)", db);
#endif
  }
  const std::string path = db.starts_with("sqlite:") ? db.substr(7) : db;
  return storage::sqlite::OpenSqliteBarometerStore(path);
}

}  // namespace citydip::app
