// The PostgreSQL backend as a loadable module, citydip-postgres.so: libpq and what it pulls in
// (Kerberos, LDAP, GnuTLS, some twenty shared libraries) are loaded only by a process that opens a
// postgresql:// database, not by every `citydip` start (docs/decisions/0003-lazy-backends.md).
// The module is built with citydip and exports one C function returning this table; the store
// factory (app/store_factory.cpp) loads it with dlopen.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/auth_store.h"
#include "citydip/storage/barometer_store.h"
#include "citydip/storage/store.h"

namespace citydip::storage::postgres {

/// The file name of the module (next to the citydip binary, or in $CITYDIP_MODULE_DIR).
inline constexpr const char* kPostgresModuleFile = "citydip-postgres.so";
/// The symbol the module exports: `const PostgresModule* citydip_postgres_module()`.
inline constexpr const char* kPostgresModuleEntry = "citydip_postgres_module";
/// Bumped whenever this table changes. C++ types (Result, the store interfaces) cross the boundary:
/// a module belongs to the citydip build it came with, installed next to its binary.
inline constexpr const char* kPostgresModuleAbi = "citydip-postgres-module/1";

/// The openers of postgres_store.h, postgres_auth_store.h and postgres_barometer_store.h.
struct PostgresModule {
  const char* abi;  // kPostgresModuleAbi of the module's build
  Result<std::unique_ptr<Store>> (*open_store)(const std::string& url);
  Result<std::unique_ptr<AuthStore>> (*open_auth_store)(const std::string& url);
  Result<std::unique_ptr<BarometerStore>> (*open_barometer_store)(const std::string& url);
};

}  // namespace citydip::storage::postgres
