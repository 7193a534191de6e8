// The PostgreSQL store: the conformance suite (as for SQLite) plus what only a server database
// has — concurrent editors on several connections, lost connections, logins, and a server that is
// not there. Every test gets a fresh database in a throwaway cluster that this binary starts
// (tests/support/postgres_cluster.h) and stops at the end, also when a test fails.
//
// All data here is synthetic test data (real place names, example.org URLs, no claimed facts).
#include "citydip/storage/postgres/postgres_store.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "citydip/storage/postgres/postgres_auth_store.h"
#include "citydip/storage/store.h"
#include "store_conformance.h"
#include "support/postgres_cluster.h"
#include "support/server_process.h"

namespace citydip::storage::postgres {
namespace {

using storage::testing::StoreConformanceTest;
using test_support::PostgresCluster;
using test_support::PostgresEnvironment;
using ::testing::HasSubstr;
using ::testing::Not;

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

/// A fresh, empty registry database for one test: a private schema in the test cluster (see
/// PostgresCluster::CreateSandbox), dropped when destroyed.
class PostgresTestDatabase {
 public:
  static Result<std::unique_ptr<PostgresTestDatabase>> Create() {
    PostgresCluster* cluster = PostgresEnvironment::Cluster();
    if (cluster == nullptr) {
      return Fail(ErrorCode::kUnavailable, "the test PostgreSQL cluster did not start: " +
                                               PostgresEnvironment::StartError());
    }
    auto sandbox = cluster->CreateSandbox("store");
    if (!sandbox) {
      return Fail(sandbox.error());
    }
    return std::unique_ptr<PostgresTestDatabase>(new PostgresTestDatabase(cluster, *sandbox));
  }

  ~PostgresTestDatabase() { cluster_->DropSandbox(sandbox_); }

  /// The URL, with extra `key=value` parameters appended.
  [[nodiscard]] std::string Url(const std::string& extra = "") const {
    return extra.empty() ? sandbox_.url : sandbox_.url + "&" + extra;
  }
  [[nodiscard]] Result<std::unique_ptr<Store>> Open() const { return OpenPostgresStore(Url()); }
  [[nodiscard]] Status Execute(const std::string& sql) const {
    return cluster_->Execute(sql, sandbox_.database, sandbox_.schema);
  }
  [[nodiscard]] Result<std::string> QueryValue(const std::string& sql) const {
    return cluster_->QueryValue(sql, sandbox_.database, sandbox_.schema);
  }
  /// The database name, as it appears in error messages.
  [[nodiscard]] const std::string& name() const { return sandbox_.database; }
  [[nodiscard]] const std::string& schema() const { return sandbox_.schema; }
  [[nodiscard]] PostgresCluster& cluster() const { return *cluster_; }

 private:
  PostgresTestDatabase(PostgresCluster* cluster, PostgresCluster::Sandbox sandbox)
      : cluster_(cluster), sandbox_(std::move(sandbox)) {}

  PostgresCluster* cluster_;
  PostgresCluster::Sandbox sandbox_;
};

class ConformanceDatabase : public storage::testing::TestDatabase {
 public:
  explicit ConformanceDatabase(std::unique_ptr<PostgresTestDatabase> database)
      : database_(std::move(database)) {}
  Result<std::unique_ptr<Store>> Open() override { return database_->Open(); }
  Status Execute(const std::string& sql) override { return database_->Execute(sql); }

 private:
  std::unique_ptr<PostgresTestDatabase> database_;
};

storage::testing::StoreFactory PostgresStoreFactory() {
  return {"Postgres", []() -> Result<std::unique_ptr<storage::testing::TestDatabase>> {
            auto database = PostgresTestDatabase::Create();
            if (!database) {
              return Fail(database.error());
            }
            return std::unique_ptr<storage::testing::TestDatabase>(
                std::make_unique<ConformanceDatabase>(std::move(*database)));
          }};
}

INSTANTIATE_TEST_SUITE_P(Postgres,
                         StoreConformanceTest,
                         ::testing::Values(PostgresStoreFactory()),
                         storage::testing::StoreFactoryName);

// --- records used below ------------------------------------------------------------------------

City MakeCity(const std::string& name, const std::string& country) {
  City city;
  city.name_en = name;
  city.country = country;
  city.sources = {"https://example.org/cities/" + name};
  return city;
}

Event MakeEvent(const std::string& ref, const std::string& date) {
  Event event;
  event.ref = ref;
  event.date = *PartialDate::Parse(date);
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = {{"Beijing", "CHN"}};
  event.type = EventType::kDelegationVisit;
  event.title_en = "Synthetic event " + ref;
  event.sources = {"https://example.org/events/" + ref};
  return event;
}

bool PortAcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = PostgresTestDatabase::Create();
    ASSERT_TRUE(database.has_value()) << database.error().ToString();
    database_ = std::move(*database);
    auto store = database_->Open();
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    store_ = std::move(*store);
    auto migrated = store_->Migrate();
    ASSERT_TRUE(migrated.has_value()) << migrated.error().ToString();
    for (const City& city :
         {MakeCity("Seoul", "KOR"), MakeCity("Beijing", "CHN"), MakeCity("Shanghai", "CHN")}) {
      auto id = store_->Insert(city);
      ASSERT_TRUE(id.has_value()) << id.error().ToString();
    }
  }

  /// A second, independent session on the same database (another editor).
  std::unique_ptr<Store> OpenAnother() {
    auto store = database_->Open();
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
  }

  City GetCity(Store& store, const std::string& name, const std::string& country) {
    auto found = store.FindCity({name, country});
    EXPECT_TRUE(found.has_value() && found->has_value()) << name;
    return found && *found ? **found : City{};
  }

  std::unique_ptr<PostgresTestDatabase> database_;
  std::unique_ptr<Store> store_;
};

// --- schema ------------------------------------------------------------------------------------

TEST_F(PostgresStoreTest, EmptyDatabaseHasSchemaVersionZeroAndMigrateCreatesTheSchema) {
  auto fresh = PostgresTestDatabase::Create();
  ASSERT_TRUE(fresh.has_value()) << fresh.error().ToString();
  auto store = (*fresh)->Open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();

  EXPECT_EQ((*store)->SchemaVersion().value_or(-1), 0);
  auto before = (*store)->CountAll();
  ASSERT_FALSE(before.has_value());
  EXPECT_EQ(before.error().code, ErrorCode::kFailedPrecondition);

  ASSERT_TRUE((*store)->Migrate().has_value());
  EXPECT_EQ((*store)->SchemaVersion().value_or(-1), kSchemaVersion);
  ASSERT_TRUE((*store)->Migrate().has_value()) << "Migrate is idempotent";
  EXPECT_EQ((*fresh)->QueryValue("SELECT count(*) FROM schema_migrations").value_or(""), "1");
  EXPECT_EQ((*store)->CountAll().value_or(Counts{.cities = -1}).cities, 0);
}

TEST_F(PostgresStoreTest, ConcurrentMigrationsOfOneDatabaseAllSucceedOnce) {
  auto fresh = PostgresTestDatabase::Create();
  ASSERT_TRUE(fresh.has_value()) << fresh.error().ToString();
  constexpr int kSessions = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kSessions; ++i) {
    auto store = (*fresh)->Open();
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    stores.push_back(std::move(*store));
  }
  std::vector<Status> results(kSessions);
  std::vector<std::thread> threads;
  for (int i = 0; i < kSessions; ++i) {
    threads.emplace_back([&, i] { results[i] = stores[i]->Migrate(); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const Status& result : results) {
    EXPECT_TRUE(result.has_value()) << result.error().ToString();
  }
  EXPECT_EQ((*fresh)->QueryValue("SELECT count(*) FROM schema_migrations").value_or(""), "1");
}

TEST_F(PostgresStoreTest, NewerSchemaVersionIsRefusedNamingBothVersions) {
  ASSERT_TRUE(database_->Execute("INSERT INTO schema_migrations (version) VALUES (99)"));
  auto store = database_->Open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();

  EXPECT_EQ((*store)->SchemaVersion().value_or(-1), 99);
  auto migrated = (*store)->Migrate();
  ASSERT_FALSE(migrated.has_value());
  EXPECT_EQ(migrated.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(migrated.error().message, HasSubstr("99"));
  EXPECT_THAT(migrated.error().message, HasSubstr(std::to_string(kSchemaVersion)));
  auto listed = (*store)->List(RecordKind::kCity);
  ASSERT_FALSE(listed.has_value());
  EXPECT_EQ(listed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(database_->QueryValue("SELECT max(version) FROM schema_migrations").value_or(""), "99")
      << "a refused migration changes nothing";
}

TEST_F(PostgresStoreTest, ForeignTablesWithoutCitydipSchemaAreRefused) {
  auto fresh = PostgresTestDatabase::Create();
  ASSERT_TRUE(fresh.has_value()) << fresh.error().ToString();
  ASSERT_TRUE((*fresh)->Execute("CREATE TABLE payroll (id INTEGER)"));
  auto store = (*fresh)->Open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();

  auto migrated = (*store)->Migrate();
  ASSERT_FALSE(migrated.has_value());
  EXPECT_EQ(migrated.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(migrated.error().message, HasSubstr("not a citydip database"));
  EXPECT_EQ((*fresh)->QueryValue("SELECT to_regclass('cities') IS NULL").value_or(""), "t");
}

// --- optimistic concurrency --------------------------------------------------------------------

TEST_F(PostgresStoreTest, SecondEditorWithStaleVersionGetsConflictAndNothingIsOverwritten) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  City mine = GetCity(*store_, "Seoul", "KOR");
  City theirs = GetCity(*other, "Seoul", "KOR");
  ASSERT_EQ(mine.version, theirs.version);

  mine.name_ko = "서울";
  ASSERT_TRUE(store_->Update(mine).has_value());
  theirs.name_ko = "서울특별시";
  auto stale = other->Update(theirs);

  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(HttpStatusFor(stale.error().code), 409);
  EXPECT_THAT(stale.error().message, HasSubstr("changed by someone else"));
  const City stored = GetCity(*other, "Seoul", "KOR");
  EXPECT_EQ(stored.name_ko, "서울");
  EXPECT_EQ(stored.version, mine.version + 1);
}

TEST_F(PostgresStoreTest, UpdateBlockedByAnOpenTransactionConflictsOnceThatCommits) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  City first = GetCity(*store_, "Beijing", "CHN");
  City second = first;
  Status blocked_result = Ok();
  std::thread blocked;

  // The first editor's update holds the row until its transaction commits; the second editor's
  // update of the same version waits for it and then finds the version gone.
  auto committed = store_->InTransaction([&]() -> Status {
    first.name_ko = "베이징";
    if (auto s = store_->Update(first); !s) {
      return s;
    }
    blocked = std::thread([&] {
      second.name_ko = "北京";
      blocked_result = other->Update(second);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return Ok();
  });
  blocked.join();

  ASSERT_TRUE(committed.has_value()) << committed.error().ToString();
  ASSERT_FALSE(blocked_result.has_value());
  EXPECT_EQ(blocked_result.error().code, ErrorCode::kConflict);
  EXPECT_EQ(GetCity(*other, "Beijing", "CHN").name_ko, "베이징");
}

TEST_F(PostgresStoreTest, UpdateWaitingTooLongForAHeldRecordIsUnavailable) {
  // Another session's transaction keeps the row; the waiting editor gives up after its
  // lock_timeout (10 s by default, 300 ms here) instead of hanging.
  auto impatient = OpenPostgresStore(database_->Url() + "%20-c%20lock_timeout%3D300ms");
  ASSERT_TRUE(impatient.has_value()) << impatient.error().ToString();
  City holder = GetCity(*store_, "Seoul", "KOR");
  City waiter = holder;
  Status waited = Ok();

  auto committed = store_->InTransaction([&]() -> Status {
    holder.name_ko = "서울";
    if (auto s = store_->Update(holder); !s) {
      return s;
    }
    waiter.name_ko = "汉城";
    waited = (*impatient)->Update(waiter);  // same thread: it cannot wait for us to commit
    return Ok();
  });

  ASSERT_TRUE(committed.has_value()) << committed.error().ToString();
  ASSERT_FALSE(waited.has_value());
  EXPECT_EQ(waited.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(waited.error().message, HasSubstr("another session's unfinished transaction"));
  EXPECT_EQ(GetCity(*store_, "Seoul", "KOR").name_ko, "서울");
}

TEST_F(PostgresStoreTest, ConcurrentEditorsRetryingOnConflictLoseNoUpdate) {
  constexpr int kEditors = 8;
  constexpr int kEditsEach = 15;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kEditors; ++i) {
    stores.push_back(OpenAnother());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::atomic<int> conflicts = 0;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int editor = 0; editor < kEditors; ++editor) {
    threads.emplace_back([&, editor] {
      Store& store = *stores[editor];
      for (int edit = 0; edit < kEditsEach; ++edit) {
        for (;;) {  // read, modify, write; on a conflict read again
          auto found = store.FindCity({"Shanghai", "CHN"});
          if (!found || !*found) {
            ++failures;
            return;
          }
          City city = **found;
          city.sources.push_back("https://example.org/edits/" + std::to_string(editor) + "/" +
                                 std::to_string(edit));
          auto updated = store.Update(city);
          if (updated) {
            break;
          }
          if (updated.error().code != ErrorCode::kConflict) {
            ++failures;
            return;
          }
          ++conflicts;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(failures.load(), 0);
  const City city = GetCity(*store_, "Shanghai", "CHN");
  const std::set<std::string> sources(city.sources.begin(), city.sources.end());
  EXPECT_EQ(city.sources.size(), 1u + kEditors * kEditsEach);
  EXPECT_EQ(sources.size(), city.sources.size()) << "no edit applied twice";
  EXPECT_EQ(city.version, 1 + kEditors * kEditsEach);
  for (int editor = 0; editor < kEditors; ++editor) {
    for (int edit = 0; edit < kEditsEach; ++edit) {
      EXPECT_TRUE(sources.contains("https://example.org/edits/" + std::to_string(editor) + "/" +
                                   std::to_string(edit)));
    }
  }
}

TEST_F(PostgresStoreTest, ConcurrentInsertsOfOneNaturalKeyStoreItOnce) {
  constexpr int kEditors = 6;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kEditors; ++i) {
    stores.push_back(OpenAnother());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::vector<Result<RecordId>> results(kEditors, RecordId{0});
  std::vector<std::thread> threads;
  for (int i = 0; i < kEditors; ++i) {
    threads.emplace_back([&, i] { results[i] = stores[i]->Insert(MakeCity("Tianjin", "CHN")); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  int stored = 0;
  for (const auto& result : results) {
    if (result) {
      ++stored;
    } else {
      EXPECT_EQ(result.error().code, ErrorCode::kAlreadyExists) << result.error().ToString();
    }
  }
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(store_->CountAll().value_or(Counts{}).cities, 4);
}

TEST_F(PostgresStoreTest, RenamedCityStaysLinkedToItsEventsAndFiltersFollow) {
  // References are stored as ids, so an edit of a city's name reaches every record naming it.
  ASSERT_TRUE(store_->Insert(MakeEvent("E1", "2013-05")).has_value());
  City beijing = GetCity(*store_, "Beijing", "CHN");
  beijing.name_en = "Peking";
  ASSERT_TRUE(store_->Update(beijing).has_value());

  EventFilter filter;
  filter.partner = CityRef{"Peking", "CHN"};
  auto events = store_->ListEvents(filter);

  ASSERT_TRUE(events.has_value()) << events.error().ToString();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().partner_cities, (std::vector<CityRef>{{"Peking", "CHN"}}));
  filter.partner = CityRef{"Beijing", "CHN"};
  auto old_name = store_->ListEvents(filter);
  ASSERT_FALSE(old_name.has_value());
  EXPECT_EQ(old_name.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PostgresStoreTest, TextSearchFoldsAsciiCaseOnlyWhateverTheServerLocale) {
  Event event = MakeEvent("E1", "2013-05");
  event.title_en = "SMART City Forum";
  event.title_ko = "스마트 도시 포럼";
  ASSERT_TRUE(store_->Insert(event).has_value());
  EventFilter filter;

  filter.text = "smart city";
  const auto latin = store_->CountEvents(filter);
  filter.text = "도시";
  const auto hangul = store_->CountEvents(filter);
  filter.text = "metropolis";
  const auto none = store_->CountEvents(filter);

  EXPECT_EQ(latin.value_or(-1), 1);
  EXPECT_EQ(hangul.value_or(-1), 1);
  EXPECT_EQ(none.value_or(-1), 0);
}

// --- transactions ------------------------------------------------------------------------------

TEST_F(PostgresStoreTest, FailedStatementInsideTransactionDoesNotAbortTheRest) {
  // On PostgreSQL a failed statement poisons the whole transaction; the store confines it to a
  // savepoint so that callers see the same behaviour as on SQLite.
  auto committed = store_->InTransaction([&]() -> Status {
    if (auto id = store_->Insert(MakeCity("Busan", "KOR")); !id) {
      return Fail(id.error());
    }
    auto duplicate = store_->Insert(MakeCity("Seoul", "KOR"));
    if (duplicate || duplicate.error().code != ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kInternal, "expected kAlreadyExists for the duplicate");
    }
    if (auto id = store_->Insert(MakeCity("Incheon", "KOR")); !id) {
      return Fail(id.error());
    }
    return Ok();
  });

  ASSERT_TRUE(committed.has_value()) << committed.error().ToString();
  EXPECT_EQ(store_->CountAll().value_or(Counts{}).cities, 5);
}

TEST_F(PostgresStoreTest, FailingTransactionLeavesNothingAndOthersNeverSeeItsWrites) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  std::int64_t seen_by_other = -1;
  auto failed = store_->InTransaction([&]() -> Status {
    for (const char* name : {"Daegu", "Gwangju", "Daejeon"}) {
      if (auto id = store_->Insert(MakeCity(name, "KOR")); !id) {
        return Fail(id.error());
      }
    }
    seen_by_other = other->CountAll().value_or(Counts{.cities = -1}).cities;
    return Fail(ErrorCode::kInvalidData, "events.csv:7: synthetic failure after three rows");
  });

  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(seen_by_other, 3);
  EXPECT_EQ(store_->CountAll().value_or(Counts{}).cities, 3);
}

TEST_F(PostgresStoreTest, ConnectionKilledMidImportFailsClearlyAndWritesNothing) {
  const std::string application = "citydip_victim_" + database_->schema();
  auto victim = OpenPostgresStore(database_->Url("application_name=" + application));
  ASSERT_TRUE(victim.has_value()) << victim.error().ToString();

  auto imported = (*victim)->InTransaction([&]() -> Status {
    for (const char* name : {"Suzhou", "Hangzhou", "Nanjing"}) {
      if (auto id = (*victim)->Insert(MakeCity(name, "CHN")); !id) {
        return Fail(id.error());
      }
    }
    // An administrator (or a network failure) ends the session in the middle of the import.
    auto killed = database_->cluster().QueryValue(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = '" +
        application + "'");
    if (!killed || *killed != "1") {
      return Fail(ErrorCode::kInternal, "could not terminate the importing session");
    }
    for (const char* name : {"Wuhan", "Chengdu"}) {
      if (auto id = (*victim)->Insert(MakeCity(name, "CHN")); !id) {
        return Fail(id.error());
      }
    }
    return Ok();
  });

  ASSERT_FALSE(imported.has_value());
  EXPECT_EQ(imported.error().code, ErrorCode::kUnavailable) << imported.error().ToString();
  EXPECT_THAT(imported.error().message, HasSubstr("lost the connection"));
  EXPECT_THAT(imported.error().message, HasSubstr(database_->name()));
  EXPECT_EQ(store_->CountAll().value_or(Counts{}).cities, 3) << "nothing half-written";
  // The same store reconnects for its next piece of work.
  auto after = (*victim)->CountAll();
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  EXPECT_EQ(after->cities, 3);
}

// --- connecting --------------------------------------------------------------------------------

TEST(PostgresConnectTest, UnreachableServerIsUnavailableNamingHostAndPort) {
  const int port = test_support::FreePort();  // nothing listens on it
  ASSERT_GT(port, 0);
  const std::string url = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/citydip";

  auto store = OpenPostgresStore(url);

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(store.error().message, HasSubstr("refused"));
  EXPECT_EQ(ExitCodeFor(store.error().code), 3);
}

TEST(PostgresConnectTest, MalformedUrlIsInvalidArgument) {
  auto store = OpenPostgresStore("postgresql://editor:s3cret@[::1/citydip");

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(store.error().message, HasSubstr("not a valid PostgreSQL URL"));
  EXPECT_THAT(store.error().message, Not(HasSubstr("s3cret")));
}

TEST(PostgresConnectTest, WrongPasswordIsUnauthenticatedWithoutEchoingIt) {
  PostgresCluster* cluster = PostgresEnvironment::Cluster();
  ASSERT_NE(cluster, nullptr) << PostgresEnvironment::StartError();
  ASSERT_TRUE(cluster->CreatePasswordRole("wrong_pw_editor", "correct horse"));
  const std::string base = "@127.0.0.1:" + std::to_string(cluster->port()) + "/postgres";

  auto wrong = OpenPostgresStore("postgresql://wrong_pw_editor:battery%20staple" + base);
  auto right = OpenPostgresStore("postgresql://wrong_pw_editor:correct%20horse" + base);

  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_THAT(wrong.error().message, HasSubstr("password authentication failed"));
  EXPECT_THAT(wrong.error().message, HasSubstr("wrong_pw_editor"));
  EXPECT_THAT(wrong.error().message, HasSubstr("127.0.0.1:" + std::to_string(cluster->port())));
  EXPECT_THAT(wrong.error().message, Not(HasSubstr("battery")));
  EXPECT_TRUE(right.has_value()) << right.error().ToString();
}

TEST(PostgresConnectTest, MissingPasswordIsUnauthenticated) {
  PostgresCluster* cluster = PostgresEnvironment::Cluster();
  ASSERT_NE(cluster, nullptr) << PostgresEnvironment::StartError();
  ASSERT_TRUE(cluster->CreatePasswordRole("no_pw_editor", "secret"));

  auto store =
      OpenPostgresStore("postgresql://no_pw_editor@127.0.0.1:" + std::to_string(cluster->port()) +
                        "/postgres?passfile=/nonexistent/pgpass");

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnauthenticated) << store.error().ToString();
}

TEST(PostgresConnectTest, MissingDatabaseIsNotFoundNamingIt) {
  PostgresCluster* cluster = PostgresEnvironment::Cluster();
  ASSERT_NE(cluster, nullptr) << PostgresEnvironment::StartError();

  auto store = OpenPostgresStore(cluster->Url("no_such_registry"));

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(store.error().message, HasSubstr("no_such_registry"));
}

// --- the auth store ----------------------------------------------------------------------------

class PostgresAuthStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = PostgresTestDatabase::Create();
    ASSERT_TRUE(database.has_value()) << database.error().ToString();
    database_ = std::move(*database);
    auto auth = OpenPostgresAuthStore(database_->Url());
    ASSERT_TRUE(auth.has_value()) << auth.error().ToString();
    auth_ = std::move(*auth);
  }

  UserRow MakeUser(const std::string& name) {
    UserRow user;
    user.name = name;
    user.role = "editor";
    user.password_hash = "$argon2id$synthetic$" + name;
    user.created_at = 1700000000;
    return user;
  }

  std::unique_ptr<PostgresTestDatabase> database_;
  std::unique_ptr<AuthStore> auth_;
};

TEST_F(PostgresAuthStoreTest, KeepsUsersAndTheirSessions) {
  auto id = auth_->InsertUser(MakeUser("kim"));
  ASSERT_TRUE(id.has_value()) << id.error().ToString();
  auto duplicate = auth_->InsertUser(MakeUser("kim"));
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  EXPECT_THAT(duplicate.error().message, HasSubstr("'kim'"));
  ASSERT_TRUE(auth_->InsertUser(MakeUser("lee")).has_value());

  UserRow kim = auth_->FindUser("kim").value().value();
  kim.role = "admin";
  ASSERT_TRUE(auth_->UpdateUser(kim).has_value());
  EXPECT_EQ(auth_->GetUser(*id).value().value().role, "admin");
  auto users = auth_->ListUsers();
  ASSERT_TRUE(users.has_value());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ(users->front().name, "kim");
  EXPECT_FALSE(auth_->FindUser("park").value().has_value());
  UserRow ghost = MakeUser("ghost");
  ghost.id = 999;
  EXPECT_EQ(auth_->UpdateUser(ghost).error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(auth_->InsertSession({"aa11", *id, 100, 200}).has_value());
  ASSERT_TRUE(auth_->InsertSession({"bb22", *id, 100, 900}).has_value());
  EXPECT_EQ(auth_->FindSession("aa11").value().value().expires_at, 200);
  EXPECT_EQ(auth_->DeleteExpiredSessions(500).value_or(-1), 1);
  EXPECT_FALSE(auth_->FindSession("aa11").value().has_value());
  ASSERT_TRUE(auth_->DeleteUser(*id).has_value());
  EXPECT_FALSE(auth_->FindSession("bb22").value().has_value()) << "sessions go with the user";
  EXPECT_EQ(auth_->DeleteUser(*id).error().code, ErrorCode::kNotFound);
}

TEST_F(PostgresAuthStoreTest, KeepsTheAuditLogNewestFirstWithFiltersAndPaging) {
  for (int i = 1; i <= 5; ++i) {
    AuditEntry entry;
    entry.at = 1700000000 + i;
    entry.actor = i % 2 == 0 ? "kim" : "lee";
    entry.action = "update";
    entry.kind = "events";
    entry.record_id = i;
    entry.before = R"({"title_en":"old"})";
    entry.outcome = "pending";
    auto id = auth_->AppendAudit(entry);
    ASSERT_TRUE(id.has_value()) << id.error().ToString();
    if (i != 3) {
      ASSERT_TRUE(auth_->FinishAudit(*id, "committed", i, R"({"title_en":"새"})", "").has_value());
    }
  }
  AuditQuery by_kim;
  by_kim.actor = "kim";
  AuditQuery all;
  all.limit = -1;
  AuditQuery page;
  page.limit = 2;
  page.offset = 1;

  EXPECT_EQ(auth_->CountAudit(by_kim).value_or(-1), 2);
  EXPECT_EQ(auth_->ListAudit(all).value().size(), 5u);
  const auto paged = auth_->ListAudit(page).value();
  ASSERT_EQ(paged.size(), 2u);
  EXPECT_EQ(paged[0].record_id, 4);
  EXPECT_EQ(paged[1].record_id, 3);
  const auto pending = auth_->ListPendingAudit().value();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].record_id, 3);
  EXPECT_EQ(auth_->GetAudit(paged[0].id).value().value().after, R"({"title_en":"새"})");
  EXPECT_EQ(auth_->FinishAudit(12345, "failed", 0, "", "x").error().code, ErrorCode::kNotFound);
}

TEST_F(PostgresAuthStoreTest, FailingTransactionStoresNeitherUserNorAudit) {
  auto status = auth_->InTransaction([&]() -> Status {
    if (auto id = auth_->InsertUser(MakeUser("choi")); !id) {
      return Fail(id.error());
    }
    AuditEntry entry;
    entry.actor = "admin";
    entry.action = "user_add";
    entry.kind = "users";
    entry.outcome = "committed";
    if (auto id = auth_->AppendAudit(entry); !id) {
      return Fail(id.error());
    }
    return Fail(ErrorCode::kInvalidArgument, "synthetic failure");
  });

  ASSERT_FALSE(status.has_value());
  EXPECT_FALSE(auth_->FindUser("choi").value().has_value());
  EXPECT_EQ(auth_->CountAudit(AuditQuery{}).value_or(-1), 0);
}

TEST_F(PostgresAuthStoreTest, RegistryMigratesBesideTheAuthTables) {
  auto store = database_->Open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();

  auto migrated = (*store)->Migrate();

  ASSERT_TRUE(migrated.has_value()) << migrated.error().ToString();
  auto again = OpenPostgresAuthStore(database_->Url());
  EXPECT_TRUE(again.has_value()) << again.error().ToString();
}

// --- the harness itself ------------------------------------------------------------------------

TEST(PostgresClusterTest, StopShutsTheServerDownAndRemovesItsFiles) {
  auto cluster = PostgresCluster::Start();
  ASSERT_TRUE(cluster.has_value()) << cluster.error().ToString();
  const int port = (*cluster)->port();
  const std::string root = (*cluster)->root_dir();
  ASSERT_TRUE(PortAcceptsConnections(port));

  ASSERT_TRUE((*cluster)->Stop().has_value());

  EXPECT_FALSE(PortAcceptsConnections(port));
  EXPECT_FALSE(std::filesystem::exists(root));
}

TEST(PostgresClusterTest, WatchdogStopsTheServerWhenTheTestProcessDies) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A test process that crashes: starts a cluster and dies without any cleanup.
    close(fds[0]);
    auto cluster = PostgresCluster::Start();
    std::string message =
        cluster ? std::to_string((*cluster)->port()) + " " + (*cluster)->root_dir() : "error";
    (void)!write(fds[1], message.data(), message.size());
    close(fds[1]);
    _exit(0);  // no destructors, no TearDown
  }
  close(fds[1]);
  char buffer[512] = {};
  const ssize_t n = read(fds[0], buffer, sizeof buffer - 1);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_GT(n, 0);
  const std::string message(buffer, static_cast<std::size_t>(n));
  ASSERT_NE(message, "error");
  const int port = std::stoi(message.substr(0, message.find(' ')));
  const std::string root = message.substr(message.find(' ') + 1);

  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = !PortAcceptsConnections(port) && !std::filesystem::exists(root);
    if (!gone) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_TRUE(gone) << "the server on port " << port << " or " << root << " outlived its process";
}

}  // namespace
}  // namespace citydip::storage::postgres
