#include "citydip/storage/sqlite/sqlite_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include "store_conformance.h"

namespace citydip::storage::sqlite {
namespace {

using ::testing::HasSubstr;
using testing::StoreConformanceTest;
namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with its contents when destroyed.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "citydip-sqlite-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      fs::remove_all(path_, ignored);
    }
  }

  [[nodiscard]] bool ok() const { return !path_.empty(); }
  [[nodiscard]] std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// Runs SQL on the file with a connection of its own (not the store's), returning the first
// column of the first row ("" when there is none) or the SQLite error text.
Result<std::string> RawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return Fail(ErrorCode::kUnavailable, message, path);
  }
  sqlite3_busy_timeout(db, 5000);
  std::string first;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int columns, char** values, char**) {
        auto* text = static_cast<std::string*>(out);
        if (text->empty() && columns > 0 && values[0] != nullptr) {
          *text = values[0];
        }
        return 0;
      },
      &first, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) {
    return Fail(ErrorCode::kInternal, message, path);
  }
  return first;
}

class SqliteTestDatabase final : public testing::TestDatabase {
 public:
  SqliteTestDatabase() : path_(dir_.File("registry.db")) {}

  Result<std::unique_ptr<Store>> Open() override { return OpenSqliteStore(path_); }
  Status Execute(const std::string& sql) override {
    auto done = RawQuery(path_, sql);
    if (!done) {
      return Fail(done.error());
    }
    return Ok();
  }

 private:
  TempDir dir_;
  std::string path_;
};

testing::StoreFactory SqliteStoreFactory() {
  return {"Sqlite", []() -> Result<std::unique_ptr<testing::TestDatabase>> {
            return std::make_unique<SqliteTestDatabase>();
          }};
}

INSTANTIATE_TEST_SUITE_P(Sqlite,
                         StoreConformanceTest,
                         ::testing::Values(SqliteStoreFactory()),
                         testing::StoreFactoryName);

// ---- SQLite specifics ---------------------------------------------------------------------------

Event SyntheticEvent(int i) {
  Event event;
  event.ref = "S" + std::to_string(i);
  event.date = PartialDate::FromParts(2000 + i % 20, 1 + i % 12, 1 + i % 28);
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = {{"Beijing", "CHN"}};
  event.type = EventType::kDelegationVisit;
  event.topics = {Topic::kEconomy};
  event.title_en = "synthetic event " + std::to_string(i);
  event.sources = {"https://example.org/synthetic/" + std::to_string(i)};
  return event;
}

// A migrated registry with two cities and `events` synthetic events; returns its counts.
Counts Seed(const std::string& path, int events) {
  auto store = OpenSqliteStore(path);
  EXPECT_TRUE(store.has_value());
  EXPECT_TRUE((*store)->Migrate().has_value());
  for (const char* name : {"Seoul", "Beijing"}) {
    City city;
    city.name_en = name;
    city.country = std::string(name) == "Seoul" ? "KOR" : "CHN";
    EXPECT_TRUE((*store)->Insert(city).has_value());
  }
  const auto status = (*store)->InTransaction([&]() -> Status {
    for (int i = 0; i < events; ++i) {
      if (auto id = (*store)->Insert(SyntheticEvent(i)); !id) {
        return Fail(id.error());
      }
    }
    return Ok();
  });
  EXPECT_TRUE(status.has_value()) << status.error().ToString();
  return (*store)->CountAll().value();
}

std::string DumpCounts(const Counts& c) {
  return std::to_string(c.cities) + " cities, " + std::to_string(c.events) + " events";
}

TEST(SqliteStoreTest, RefusesAFileThatIsNotADatabaseNamingIt) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("notes.db");
  std::ofstream(path) << "these are notes, not a database\n";

  const auto store = OpenSqliteStore(path);

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_THAT(store.error().message, HasSubstr("not a SQLite database"));
}

TEST(SqliteStoreTest, RefusesAMissingFileWhenNotAskedToCreateIt) {
  TempDir dir;
  const std::string path = dir.File("missing.db");

  const auto store = OpenSqliteStore(path, /*create_if_missing=*/false);

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_FALSE(fs::exists(path));
}

TEST(SqliteStoreTest, UnreachableDirectoryIsUnavailable) {
  const auto store = OpenSqliteStore("/nonexistent-citydip-dir/registry.db");

  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr("/nonexistent-citydip-dir/registry.db"));
}

TEST(SqliteStoreTest, CreatesAWalDatabaseWithForeignKeys) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value()) << store.error().ToString();

  ASSERT_TRUE((*store)->Migrate().has_value());

  EXPECT_EQ(RawQuery(path, "PRAGMA journal_mode").value(), "wal");
  EXPECT_EQ(RawQuery(path, "SELECT max(version) FROM schema_migrations").value(),
            std::to_string(kSchemaVersion));
  EXPECT_EQ(
      RawQuery(path, "SELECT count(*) FROM pragma_foreign_key_list('event_partners')").value(),
      "2");
}

TEST(SqliteStoreTest, RefusesToMigrateADatabaseOfAnotherApplication) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.has_value());
  }
  ASSERT_TRUE(RawQuery(path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)").has_value());
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value());

  const auto migrated = (*store)->Migrate();

  ASSERT_FALSE(migrated.has_value());
  EXPECT_EQ(migrated.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(migrated.error().message, HasSubstr("not a citydip database"));
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'events'").value(),
            "0");
}

// WAL mode: a reader on another connection is not blocked by an open write transaction and sees
// the last committed state until the writer commits.
TEST(SqliteStoreTest, ReadersSeeTheCommittedStateWhileAWriterIsInATransaction) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  const Counts before = Seed(path, 5);
  auto writer = OpenSqliteStore(path);
  auto reader = OpenSqliteStore(path);
  ASSERT_TRUE(writer.has_value() && reader.has_value());
  Result<Counts> during = Counts{};

  const auto status = (*writer)->InTransaction([&]() -> Status {
    for (int i = 100; i < 110; ++i) {
      if (auto id = (*writer)->Insert(SyntheticEvent(i)); !id) {
        return Fail(id.error());
      }
    }
    during = (*reader)->CountAll();
    return Ok();
  });

  ASSERT_TRUE(status.has_value()) << status.error().ToString();
  ASSERT_TRUE(during.has_value()) << during.error().ToString();
  EXPECT_EQ(during->events, before.events);
  EXPECT_EQ((*reader)->CountAll().value().events, before.events + 10);
}

// The names and definitions of every index, to compare a database before and after.
std::string IndexDefinitions(const std::string& path) {
  return RawQuery(path,
                  "SELECT group_concat(name || ': ' || sql, char(10)) FROM (SELECT name, sql FROM "
                  "sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
      .value();
}

// Inserts events first .. first + count - 1 in one transaction announced as a bulk load.
Status BulkInsert(Store& store, int first, int count, bool fail_at_end = false) {
  return store.InTransaction([&]() -> Status {
    if (auto bulk = store.PrepareBulkInsert(RecordKind::kEvent, static_cast<std::size_t>(count));
        !bulk) {
      return bulk;
    }
    for (int i = first; i < first + count; ++i) {
      if (auto id = store.Insert(SyntheticEvent(i)); !id) {
        return Fail(id.error());
      }
    }
    if (fail_at_end) {
      return Fail(ErrorCode::kInvalidArgument, "the caller's last row was bad");
    }
    return Ok();
  });
}

// A bulk load maintains the secondary indexes once, at the end: afterwards every index exists
// with its definition, the file is intact and queries use the indexes again.
// A session that only reads writes nothing when it closes: PRAGMA optimize would re-analyze
// events on every close (its empty partial indexes never get statistics) and commit the result.
TEST(SqliteStoreTest, AReadOnlySessionLeavesThePlannerStatisticsAlone) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  Seed(path, 30);
  ASSERT_TRUE(RawQuery(path, "ANALYZE; DELETE FROM sqlite_stat1").has_value());
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.has_value());
    EventFilter filter;
    filter.type = EventType::kDelegationVisit;
    filter.range = {PartialDate::FromParts(2001, 1, 1), PartialDate::FromParts(2010, 12, 31)};
    auto events = (*store)->ListEvents(filter);
    ASSERT_TRUE(events.has_value()) << events.error().ToString();
    EXPECT_FALSE(events->empty());
    ASSERT_TRUE((*store)->CountEvents(filter).has_value());
  }
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sqlite_stat1").value(), "0");

  // A session that writes still refreshes them.
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE((*store)->Insert(SyntheticEvent(1000)).has_value());
    EventFilter filter;
    filter.type = EventType::kDelegationVisit;
    ASSERT_TRUE((*store)->ListEvents(filter).has_value());
  }
  EXPECT_NE(RawQuery(path, "SELECT count(*) FROM sqlite_stat1").value(), "0");
}

TEST(SqliteStoreBulkTest, ABulkLoadLeavesEveryIndexAsItWas) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  Seed(path, 3);
  const std::string indexes = IndexDefinitions(path);
  ASSERT_THAT(indexes, HasSubstr("events_type: CREATE INDEX"));
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value());

  // Whatever the writer does to its indexes inside the transaction, other connections see the
  // committed schema.
  std::string during;
  const auto status = (*store)->InTransaction([&]() -> Status {
    if (auto bulk = (*store)->PrepareBulkInsert(RecordKind::kEvent, 20000); !bulk) {
      return bulk;
    }
    for (int i = 10; i < 20010; ++i) {
      if (auto id = (*store)->Insert(SyntheticEvent(i)); !id) {
        return Fail(id.error());
      }
    }
    during = IndexDefinitions(path);  // another connection: the committed schema
    return Ok();
  });

  ASSERT_TRUE(status.has_value()) << status.error().ToString();
  EXPECT_EQ(during, indexes);
  EXPECT_EQ(IndexDefinitions(path), indexes);
  EXPECT_EQ(RawQuery(path, "PRAGMA integrity_check").value(), "ok");
  EXPECT_EQ((*store)->CountAll().value().events, 20003);
  // INDEXED BY fails when the index is missing or cannot serve the query.
  EXPECT_EQ(RawQuery(path,
                     "SELECT count(*) FROM events INDEXED BY events_type "
                     "WHERE type = 'delegation_visit' AND first_day > 0")
                .value(),
            "20003");
}

TEST(SqliteStoreBulkTest, AFailedBulkLoadLeavesTheDatabaseAndItsIndexesUnchanged) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  const Counts before = Seed(path, 3);
  const std::string indexes = IndexDefinitions(path);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value());

  const auto status = BulkInsert(**store, 10, 12000, /*fail_at_end=*/true);

  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(IndexDefinitions(path), indexes);
  EXPECT_EQ(DumpCounts((*store)->CountAll().value()), DumpCounts(before));
  // The same store goes on working with its indexes.
  ASSERT_TRUE(BulkInsert(**store, 10, 100).has_value());
  EXPECT_EQ(IndexDefinitions(path), indexes);
}

// Within a bulk load, duplicates (answered without the dropped indexes) and unique ids are still
// refused.
TEST(SqliteStoreBulkTest, ABulkLoadStillRefusesDuplicatesAndRepeatedIds) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  Seed(path, 3);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value());
  Result<RecordId> same_id = RecordId{0};
  std::optional<std::string> duplicate;
  const auto status = (*store)->InTransaction([&]() -> Status {
    if (auto bulk = (*store)->PrepareBulkInsert(RecordKind::kEvent, 10000); !bulk) {
      return bulk;
    }
    for (int i = 10; i < 10010; ++i) {
      if (auto id = (*store)->Insert(SyntheticEvent(i)); !id) {
        return Fail(id.error());
      }
    }
    same_id = (*store)->Insert(SyntheticEvent(10));
    Event copy = SyntheticEvent(1);  // stored before the load, under another id
    copy.ref = "other";
    auto found = (*store)->FindDuplicateEvent(copy);
    if (!found) {
      return Fail(found.error());
    }
    duplicate = *found ? std::optional<std::string>("found") : std::nullopt;
    return Ok();
  });
  ASSERT_TRUE(status.has_value()) << status.error().ToString();
  ASSERT_FALSE(same_id.has_value());
  EXPECT_EQ(same_id.error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(duplicate.has_value());
}

// Small loads, and loads into a table much larger than the load, keep the indexes up to date
// row by row (nothing to observe but the result; the decision is the store's).
TEST(SqliteStoreBulkTest, ASmallLoadIsAnOrdinaryTransaction) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  Seed(path, 3);
  const std::string indexes = IndexDefinitions(path);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value());
  ASSERT_TRUE(BulkInsert(**store, 10, 50).has_value());
  EXPECT_EQ(IndexDefinitions(path), indexes);
  EXPECT_EQ((*store)->CountAll().value().events, 53);
}

// A writer killed with SIGKILL in the middle of a large transaction must leave the file intact
// and exactly as it was before the transaction began. The transaction is made big enough (events
// with long notes) that SQLite spills uncommitted pages into the WAL before the kill, so recovery
// has uncommitted frames to discard, not just an untouched file.
TEST(SqliteStoreCrashTest, WriterKilledMidTransactionLeavesTheDatabaseAsBefore) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  const Counts before = Seed(path, 200);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    auto store = OpenSqliteStore(path);
    if (!store) {
      ::_exit(2);
    }
    (void)(*store)->InTransaction([&]() -> Status {
      bool told = false;
      for (int i = 1000;; ++i) {
        Event event = SyntheticEvent(i);
        event.notes = std::string(8000, static_cast<char>('a' + i % 26));
        if (!(*store)->Insert(event)) {
          ::_exit(3);
        }
        if (told || i % 100 != 0) {
          continue;
        }
        std::error_code error;
        const auto wal = fs::file_size(path + "-wal", error);
        const bool spilled = !error && wal > (4 << 20);
        if (spilled || i > 1000 + 60000) {  // tell the parent to kill us, and carry on
          const char byte = spilled ? 's' : 'n';
          (void)!::write(ready[1], &byte, 1);
          told = true;
        }
      }
    });
    ::_exit(4);
  }
  ::close(ready[1]);
  char byte = 0;
  const ssize_t got = ::read(ready[0], &byte, 1);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(ready[0]);

  ASSERT_EQ(got, 1) << "the child exited early with status " << status;
  EXPECT_EQ(byte, 's') << "the open transaction never reached the WAL";
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA integrity_check").value(), "ok");
  EXPECT_EQ(RawQuery(path, "PRAGMA foreign_key_check").value(), "");
  EXPECT_EQ(DumpCounts((*store)->CountAll().value()), DumpCounts(before));
  EventFilter noted;
  noted.text = "aaaaaaaa";
  EXPECT_EQ((*store)->CountEvents(noted).value(), 0);
  EXPECT_TRUE((*store)->Insert(SyntheticEvent(999999)).has_value());
}

// A process that ends without committing (no unwinding, no rollback) loses only its open
// transaction; what it committed before stays.
TEST(SqliteStoreCrashTest, ExitBeforeCommitKeepsOnlyCommittedWork) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  const Counts before = Seed(path, 10);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenSqliteStore(path);
    if (!store) {
      ::_exit(2);
    }
    const auto committed = (*store)->InTransaction([&]() -> Status {
      for (int i = 100; i < 150; ++i) {
        if (auto id = (*store)->Insert(SyntheticEvent(i)); !id) {
          return Fail(id.error());
        }
      }
      return Ok();
    });
    if (!committed) {
      ::_exit(3);
    }
    (void)(*store)->InTransaction([&]() -> Status {
      for (int i = 200; i < 250; ++i) {
        (void)(*store)->Insert(SyntheticEvent(i));
      }
      ::_exit(0);
    });
    ::_exit(4);
  }
  int status = 0;
  ::waitpid(child, &status, 0);

  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA integrity_check").value(), "ok");
  EXPECT_EQ((*store)->CountAll().value().events, before.events + 50);
}

// Several processes write to one file at once: writers queue (busy timeout) instead of failing.
TEST(SqliteStoreConcurrencyTest, WritersInSeveralProcessesAllSucceed) {
  TempDir dir;
  const std::string path = dir.File("registry.db");
  const Counts before = Seed(path, 0);
  constexpr int kWriters = 3;
  constexpr int kEventsEach = 150;

  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto store = OpenSqliteStore(path);
      if (!store) {
        ::_exit(2);
      }
      for (int i = 0; i < kEventsEach; ++i) {
        const int n = 10000 * (w + 1) + i;
        if (i % 2 == 0) {
          if (!(*store)->Insert(SyntheticEvent(n))) {
            ::_exit(3);
          }
        } else if (!(*store)->InTransaction([&]() -> Status {
                     auto id = (*store)->Insert(SyntheticEvent(n));
                     return id ? Ok() : Status(Fail(id.error()));
                   })) {
          ::_exit(4);
        }
        if (!(*store)->CountAll()) {
          ::_exit(5);
        }
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer status " << status;
  }

  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.has_value());
  EXPECT_EQ((*store)->CountAll().value().events, before.events + kWriters * kEventsEach);
}

}  // namespace
}  // namespace citydip::storage::sqlite
