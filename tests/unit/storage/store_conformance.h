// The store conformance suite: what every registry Store backend must do, written once against
// the Store interface. A backend's test binary compiles store_conformance.cpp in and instantiates
// the suite with a StoreFactory for its databases:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(SqliteStoreFactory()), StoreFactoryName);
//
// All data in this suite is synthetic test data (the city names are real places, but no fact
// about them is claimed; the URLs are example.org).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::storage::testing {

/// One fresh, empty database made for one test; dropped (files removed) when destroyed.
class TestDatabase {
 public:
  TestDatabase() = default;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  virtual ~TestDatabase() = default;

  /// A new Store open on this database (call it twice for two concurrent sessions).
  [[nodiscard]] virtual Result<std::unique_ptr<Store>> Open() = 0;
  /// Runs `sql` on the database behind the store's back (e.g. to fake a newer schema). The suite
  /// only uses SQL that SQLite and PostgreSQL read alike.
  [[nodiscard]] virtual Status Execute(const std::string& sql) = 0;
};

/// How a backend makes databases for the suite.
struct StoreFactory {
  std::string name;  // "Sqlite", "Postgres": the instantiation's name
  /// Creates a fresh, empty database (schema version 0).
  std::function<Result<std::unique_ptr<TestDatabase>>()> create_database;
};

/// For INSTANTIATE_TEST_SUITE_P: names the instantiation after the backend.
std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info);

/// The fixture: a fresh database per test, migrated and open as `store()`.
class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// The migrated store of this test's database.
  Store& store() { return *store_; }
  /// This test's database (to open a second session or run raw SQL).
  TestDatabase& database() { return *database_; }

 private:
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<Store> store_;
};

}  // namespace citydip::storage::testing
