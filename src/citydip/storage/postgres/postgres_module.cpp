// The entry point of citydip-postgres.so (see postgres_module.h).
#include "citydip/storage/postgres/postgres_module.h"

#include "citydip/storage/postgres/postgres_auth_store.h"
#include "citydip/storage/postgres/postgres_barometer_store.h"
#include "citydip/storage/postgres/postgres_store.h"

extern "C" __attribute__((visibility("default"))) const citydip::storage::postgres::PostgresModule*
citydip_postgres_module() {
  using namespace citydip::storage::postgres;
  static const PostgresModule kModule{kPostgresModuleAbi, &OpenPostgresStore,
                                      &OpenPostgresAuthStore, &OpenPostgresBarometerStore};
  return &kModule;
}
