#include "citydip/app/store_factory.h"

#include <string>

#include "citydip/storage/sqlite/sqlite_auth_store.h"
#include "citydip/storage/sqlite/sqlite_barometer_store.h"
#include "citydip/storage/sqlite/sqlite_store.h"
#ifdef CITYDIP_HAVE_POSTGRES
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "citydip/storage/postgres/postgres_module.h"
#endif

namespace citydip::app {
#ifdef CITYDIP_HAVE_POSTGRES
namespace {

using storage::postgres::PostgresModule;

// Where the backend modules are: $CITYDIP_MODULE_DIR when set (the tests set it), else the
// directory of the running citydip binary.
std::string ModuleDir() {
  if (const char* dir = std::getenv("CITYDIP_MODULE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string(".") : exe.parent_path().string();
}

Result<const PostgresModule*> LoadPostgresModule() {
  const std::string path = ModuleDir() + "/" + storage::postgres::kPostgresModuleFile;
  // Kept loaded for the life of the process: the stores it makes run its code.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return Fail(ErrorCode::kFailedPrecondition,
                "cannot load the PostgreSQL backend of this citydip (" +
                    std::string(why != nullptr ? why : "unknown error") + "); it is the file " +
                    storage::postgres::kPostgresModuleFile +
                    " installed next to the citydip binary (or in $CITYDIP_MODULE_DIR)",
                path);
  }
  using Entry = const PostgresModule* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, storage::postgres::kPostgresModuleEntry));
  const PostgresModule* module = entry != nullptr ? entry() : nullptr;
  if (module == nullptr || module->abi == nullptr ||
      std::string_view(module->abi) != storage::postgres::kPostgresModuleAbi) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the PostgreSQL backend module does not belong to this citydip build (expected "
                "the " +
                    std::string(storage::postgres::kPostgresModuleFile) + " built with it)",
                path);
  }
  return module;
}

// Loaded once, at the first postgresql:// URL.
Result<const PostgresModule*> Postgres() {
  static const Result<const PostgresModule*> kModule = LoadPostgresModule();
  return kModule;
}

}  // namespace
#endif

bool IsPostgresUrl(const std::string& db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& db, OpenMode mode) {
  Result<std::unique_ptr<storage::Store>> store;
  if (IsPostgresUrl(db)) {
#ifdef CITYDIP_HAVE_POSTGRES
    auto postgres = Postgres();
    if (!postgres) {
      return Fail(postgres.error());
    }
    store = (*postgres)->open_store(db);
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
    auto postgres = Postgres();
    if (!postgres) {
      return Fail(postgres.error());
    }
    return (*postgres)->open_auth_store(auth_db);
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
    auto postgres = Postgres();
    if (!postgres) {
      return Fail(postgres.error());
    }
    return (*postgres)->open_barometer_store(db);
#else
    return Fail(ErrorCode::kFailedPrecondition,
                "this build has no PostgreSQL support (libpq was not found at build time)", db);
#endif
  }
  const std::string path = db.starts_with("sqlite:") ? db.substr(7) : db;
  return storage::sqlite::OpenSqliteBarometerStore(path);
}

}  // namespace citydip::app
