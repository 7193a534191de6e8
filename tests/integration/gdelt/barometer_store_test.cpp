// The SQLite barometer store: files and sums are written in one transaction, sums add up.
#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/storage/sqlite/sqlite_barometer_store.h"
#include "gdelt_test_support.h"
#include "support/barometer_store_checks.h"
#include "support/synthetic_barometer.h"

namespace citydip::test {
namespace {

storage::BarometerBatch Batch(const std::string& file,
                              const std::string& md5,
                              std::int64_t events) {
  storage::BarometerBatch batch;
  batch.files.push_back({file, 100, md5, "events-v2", "month", events, 0, ""});
  storage::BarometerPairRow row;
  row.kind = "country";
  row.granularity = "month";
  row.period_start = "2015-02-01";
  row.actor1 = "KOR";
  row.actor2 = "CHN";
  row.sums.events = events;
  row.sums.goldstein_sum = 1.5 * static_cast<double>(events);
  row.sums.quad = {events, 0, 0, 0};
  row.sums.root[3] = events;
  batch.pairs.push_back(row);
  batch.totals.push_back({"month", "2015-02-01", 10 * events, 3, 2, 1});
  storage::MediaVolumeRow media;
  media.granularity = "day";
  media.period_start = "2015-02-18";
  media.mentions = events;
  media.by_type[0] = events;
  batch.media.push_back(media);
  return batch;
}

TEST(BarometerStoreTest, CommitsAddUpAndAFailedCommitWritesNothing) {
  TempDir dir;
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("test.db"));
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->Commit(Batch("a.export.CSV", "00000000000000000000000000000001", 2)));
  ASSERT_TRUE((*store)->Commit(Batch("b.export.CSV", "00000000000000000000000000000002", 3)));

  // A batch naming a recorded file is refused as a whole.
  auto again = (*store)->Commit(Batch("a.export.CSV", "00000000000000000000000000000003", 100));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  auto same_md5 = (*store)->Commit(Batch("c.export.CSV", "00000000000000000000000000000002", 100));
  ASSERT_FALSE(same_md5);
  EXPECT_EQ(same_md5.error().code, ErrorCode::kAlreadyExists);

  auto files = (*store)->ListFiles();
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 2U);
  EXPECT_EQ((*files)[0].name, "a.export.CSV");
  EXPECT_EQ((*files)[0].kind, "events-v2");
  EXPECT_EQ((*files)[0].ingested_at.size(), 20U);  // 2025-01-01T00:00:00Z
  auto pairs = (*store)->QueryPairs({"country", "KOR", "CHN"});
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 1U);
  EXPECT_EQ((*pairs)[0].sums.events, 5);
  EXPECT_DOUBLE_EQ((*pairs)[0].sums.goldstein_sum, 7.5);
  EXPECT_EQ((*pairs)[0].sums.quad[0], 5);
  EXPECT_EQ((*pairs)[0].sums.root[3], 5);
  auto totals = (*store)->QueryTotals();
  ASSERT_TRUE(totals);
  ASSERT_EQ(totals->size(), 1U);
  EXPECT_EQ((*totals)[0].events, 50);
  auto media = (*store)->QueryMedia();
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 1U);
  EXPECT_EQ((*media)[0].mentions, 5);
  auto none = (*store)->QueryPairs({"city", std::nullopt, std::nullopt});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

// Pair rows handed over in chunks are written in the Commit's transaction (the shared check).
TEST(BarometerStoreTest, PairRowsGivenInChunksAreWrittenInTheSameTransaction) {
  TempDir dir;
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("test.db"));
  ASSERT_TRUE(store) << store.error().ToString();
  test_support::ExpectPairChunksCommitAtomically(
      **store, Batch("a.export.CSV", "00000000000000000000000000000001", 2),
      Batch("b.export.CSV", "00000000000000000000000000000002", 5));
}

// Rows are written many to a statement: every column of every row must land in its own place,
// for batches of several statements and a partial last one, and add up with rows already there.
TEST(BarometerStoreTest, LargeBatchesKeepEveryColumnOfEveryRow) {
  // Values distinct per row and per column, so that a row or column written one place off
  // shows.
  const auto pair_row = [](int i, std::int64_t scale) {
    storage::BarometerPairRow row;
    row.kind = i % 5 == 0 ? "city" : "country";
    row.granularity = i % 3 == 0 ? "day" : "month";
    row.period_start =
        "2015-" + std::string(i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1) + "-01";
    row.actor1 = "A" + std::to_string(i);
    row.actor2 = "B" + std::to_string(i * 7);
    storage::BarometerSums& s = row.sums;
    s.events = scale * (1000 + i);
    s.root_events = scale * (2000 + i);
    s.goldstein_sum = static_cast<double>(scale) * (0.25 + i);
    s.goldstein_mentions_sum = static_cast<double>(scale) * (0.5 + 2 * i);
    s.tone_sum = static_cast<double>(scale) * (-0.75 - i);
    s.mentions = scale * (3000 + i);
    s.sources = scale * (4000 + i);
    s.articles = scale * (5000 + i);
    for (int q = 0; q < 4; ++q) {
      s.quad[static_cast<std::size_t>(q)] = scale * (6000 + 100 * q + i);
    }
    for (int r = 0; r < 20; ++r) {
      s.root[static_cast<std::size_t>(r)] = scale * (7000 + 100 * r + i);
    }
    return row;
  };
  const auto batch_of = [&](const std::string& file, const std::string& md5, int first, int count,
                            std::int64_t scale) {
    storage::BarometerBatch batch;
    batch.files.push_back({file, 100, md5, "events-v2", "month", count, 0, ""});
    for (int i = first; i < first + count; ++i) {
      batch.pairs.push_back(pair_row(i, scale));
      const std::string day = "2016-01-01+" + std::to_string(i);
      batch.totals.push_back(
          {"day", day, scale * i, scale * (i + 1), scale * (i + 2), scale * (i + 3)});
      storage::MediaVolumeRow media;
      media.granularity = "day";
      media.period_start = day;
      media.mentions = scale * i;
      for (int t = 0; t < 6; ++t) {
        media.by_type[static_cast<std::size_t>(t)] = scale * (10 * t + i);
      }
      media.doc_tone_sum = static_cast<double>(scale) * (0.125 * i);
      media.confidence_sum = scale * (9 * i);
      batch.media.push_back(media);
    }
    return batch;
  };
  TempDir dir;
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("test.db"));
  ASSERT_TRUE(store) << store.error().ToString();
  // 0..199 once; 100..330 again with twice the values: 100..199 add up, 200..330 are new.
  ASSERT_TRUE(
      (*store)->Commit(batch_of("a.export.CSV", "00000000000000000000000000000001", 0, 200, 1)));
  ASSERT_TRUE(
      (*store)->Commit(batch_of("b.export.CSV", "00000000000000000000000000000002", 100, 231, 2)));

  const auto expected_scale = [](int i) -> std::int64_t { return i < 100 ? 1 : i < 200 ? 3 : 2; };
  std::vector<storage::BarometerPairRow> got;
  for (const char* kind : {"country", "city"}) {
    auto pairs = (*store)->QueryPairs({kind, std::nullopt, std::nullopt});
    ASSERT_TRUE(pairs) << pairs.error().ToString();
    got.insert(got.end(), pairs->begin(), pairs->end());
  }
  ASSERT_EQ(got.size(), 331U);
  for (const auto& row : got) {
    const int i = std::stoi(row.actor1.substr(1));
    const storage::BarometerPairRow want = pair_row(i, expected_scale(i));
    SCOPED_TRACE(row.actor1);
    EXPECT_EQ(row.kind, want.kind);
    EXPECT_EQ(row.granularity, want.granularity);
    EXPECT_EQ(row.period_start, want.period_start);
    EXPECT_EQ(row.actor2, want.actor2);
    EXPECT_EQ(row.sums.events, want.sums.events);
    EXPECT_EQ(row.sums.root_events, want.sums.root_events);
    EXPECT_DOUBLE_EQ(row.sums.goldstein_sum, want.sums.goldstein_sum);
    EXPECT_DOUBLE_EQ(row.sums.goldstein_mentions_sum, want.sums.goldstein_mentions_sum);
    EXPECT_DOUBLE_EQ(row.sums.tone_sum, want.sums.tone_sum);
    EXPECT_EQ(row.sums.mentions, want.sums.mentions);
    EXPECT_EQ(row.sums.sources, want.sums.sources);
    EXPECT_EQ(row.sums.articles, want.sums.articles);
    EXPECT_EQ(row.sums.quad, want.sums.quad);
    EXPECT_EQ(row.sums.root, want.sums.root);
  }
  auto totals = (*store)->QueryTotals();
  ASSERT_TRUE(totals);
  ASSERT_EQ(totals->size(), 331U);
  for (const auto& row : *totals) {
    const int i = std::stoi(row.period_start.substr(row.period_start.find('+') + 1));
    const std::int64_t k = expected_scale(i);
    SCOPED_TRACE(row.period_start);
    EXPECT_EQ(row.events, k * i);
    EXPECT_EQ(row.mentions, k * (i + 1));
    EXPECT_EQ(row.sources, k * (i + 2));
    EXPECT_EQ(row.articles, k * (i + 3));
  }
  auto media = (*store)->QueryMedia();
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 331U);
  for (const auto& row : *media) {
    const int i = std::stoi(row.period_start.substr(row.period_start.find('+') + 1));
    const std::int64_t k = expected_scale(i);
    SCOPED_TRACE(row.period_start);
    EXPECT_EQ(row.mentions, k * i);
    for (int t = 0; t < 6; ++t) {
      EXPECT_EQ(row.by_type[static_cast<std::size_t>(t)], k * (10 * t + i));
    }
    EXPECT_DOUBLE_EQ(row.doc_tone_sum, static_cast<double>(k) * (0.125 * i));
    EXPECT_EQ(row.confidence_sum, k * (9 * i));
  }
}

// The barometer tables as they were first created, with CHECK (x IN (...)) constraints.
constexpr const char* kOldSchema = R"sql(
CREATE TABLE IF NOT EXISTS gdelt_files (
  name TEXT NOT NULL PRIMARY KEY,
  size INTEGER NOT NULL CHECK (size >= 0),
  md5 TEXT UNIQUE,  -- NULL when ingested with --no-md5
  kind TEXT NOT NULL CHECK (kind IN ('events-v1', 'events-v2', 'mentions')),
  granularity TEXT NOT NULL CHECK (granularity IN ('day', 'month', 'quarter', 'year')),
  rows INTEGER NOT NULL,
  bad_rows INTEGER NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gdelt_pairs (
  kind TEXT NOT NULL CHECK (kind IN ('country', 'city')),
  actor1 TEXT NOT NULL,
  actor2 TEXT NOT NULL,
  granularity TEXT NOT NULL CHECK (granularity IN ('day', 'month', 'quarter', 'year')),
  period_start TEXT NOT NULL,
  events INTEGER NOT NULL,
  root_events INTEGER NOT NULL,
  goldstein_sum REAL NOT NULL,
  goldstein_mentions_sum REAL NOT NULL,
  tone_sum REAL NOT NULL,
  mentions INTEGER NOT NULL,
  sources INTEGER NOT NULL,
  articles INTEGER NOT NULL,
  quad1 INTEGER NOT NULL, quad2 INTEGER NOT NULL, quad3 INTEGER NOT NULL, quad4 INTEGER NOT NULL,
  root01 INTEGER NOT NULL, root02 INTEGER NOT NULL, root03 INTEGER NOT NULL,
  root04 INTEGER NOT NULL, root05 INTEGER NOT NULL, root06 INTEGER NOT NULL,
  root07 INTEGER NOT NULL, root08 INTEGER NOT NULL, root09 INTEGER NOT NULL,
  root10 INTEGER NOT NULL, root11 INTEGER NOT NULL, root12 INTEGER NOT NULL,
  root13 INTEGER NOT NULL, root14 INTEGER NOT NULL, root15 INTEGER NOT NULL,
  root16 INTEGER NOT NULL, root17 INTEGER NOT NULL, root18 INTEGER NOT NULL,
  root19 INTEGER NOT NULL, root20 INTEGER NOT NULL,
  PRIMARY KEY (kind, actor1, actor2, granularity, period_start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS gdelt_period_totals (
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  events INTEGER NOT NULL,
  mentions INTEGER NOT NULL,
  sources INTEGER NOT NULL,
  articles INTEGER NOT NULL,
  PRIMARY KEY (granularity, period_start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS gdelt_media_volume (
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  mentions INTEGER NOT NULL,
  type1 INTEGER NOT NULL, type2 INTEGER NOT NULL, type3 INTEGER NOT NULL,
  type4 INTEGER NOT NULL, type5 INTEGER NOT NULL, type6 INTEGER NOT NULL,
  doc_tone_sum REAL NOT NULL,
  confidence_sum INTEGER NOT NULL,
  PRIMARY KEY (granularity, period_start)
) WITHOUT ROWID;
)sql";

// A connection of the test's own to a database file, apart from the store's.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }

  // Runs `sql`; "" on success, else SQLite's message.
  std::string Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) {
      return "";
    }
    std::string message = error != nullptr ? error : "error";
    sqlite3_free(error);
    return message.empty() ? "error" : message;
  }

  // Every row of `sql`, each column as its type and exact value (a REAL by its bits).
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return rows;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row += "i:" + std::to_string(sqlite3_column_int64(stmt, c));
            break;
          case SQLITE_FLOAT: {
            const double value = sqlite3_column_double(stmt, c);
            std::uint64_t bits = 0;
            std::memcpy(&bits, &value, sizeof bits);
            row += "r:" + std::to_string(bits);
            break;
          }
          case SQLITE_NULL:
            row += "null";
            break;
          default:
            row += "t:" + std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)));
        }
        row += '|';
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }

  // The first column of the first row of `sql` as text ("" when none).
  std::string Text(const std::string& sql) {
    const auto rows = Rows(sql);
    return rows.empty() ? "" : rows[0];
  }

 private:
  sqlite3* db_ = nullptr;
};

// Every row of every barometer table (gdelt_files with its rowids), in key order.
std::map<std::string, std::vector<std::string>> Contents(RawDb& db) {
  return {
      {"gdelt_files", db.Rows("SELECT rowid, * FROM gdelt_files ORDER BY rowid")},
      {"gdelt_pairs",
       db.Rows("SELECT * FROM gdelt_pairs ORDER BY kind, actor1, actor2, granularity, "
               "period_start")},
      {"gdelt_period_totals",
       db.Rows("SELECT * FROM gdelt_period_totals ORDER BY granularity, period_start")},
      {"gdelt_media_volume",
       db.Rows("SELECT * FROM gdelt_media_volume ORDER BY granularity, period_start")},
  };
}

// A database made with the CHECK (x IN (...)) tables is rebuilt once with the OR form (which
// SQLite checks without building an ephemeral table per statement), keeping every row exactly,
// the indexes and views made on the tables, and the checks themselves.
TEST(BarometerStoreTest, OldCheckInListTablesAreRebuiltKeepingEveryRow) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  std::map<std::string, std::vector<std::string>> before;
  {
    RawDb db(path);
    ASSERT_EQ(db.Exec(kOldSchema), "");
    std::string sql =
        "INSERT INTO gdelt_files VALUES ('a.export.CSV', 10, '0123', 'events-v2', 'day', 5, 1, "
        "'2025-01-01T00:00:00Z'), ('b.export.CSV', 20, NULL, 'events-v1', 'month', 6, 0, "
        "'2025-01-02T00:00:00Z'), ('c.mentions.CSV', 0, NULL, 'mentions', 'year', 7, 2, "
        "'2025-01-03T00:00:00Z'), ('d.export.CSV', 30, 'ab', 'events-v2', 'quarter', 8, 3, "
        "'2025-01-04T00:00:00Z');"
        // A gap in the rowids, which must stay where it is.
        "DELETE FROM gdelt_files WHERE name = 'b.export.CSV';";
    for (int i = 0; i < 5; ++i) {
      sql += "INSERT INTO gdelt_pairs VALUES ('" + std::string(i % 2 == 0 ? "country" : "city") +
             "', 'A" + std::to_string(i) + "', 'B" + std::to_string(i) + "', '" +
             std::string(i < 3 ? "day" : "quarter") + "', '2015-0" + std::to_string(i + 1) + "-01'";
      for (int c = 0; c < 32; ++c) {
        sql += c >= 2 && c <= 4 ? ", " + std::to_string(0.1 * (i + 1) * (c + 1) - 3.7)
                                : ", " + std::to_string(1000 * i + c);
      }
      sql += ");";
    }
    sql +=
        "INSERT INTO gdelt_period_totals VALUES ('day', '2015-01-01', 1, 2, 3, 4), "
        "('month', '2015-01-01', 5, 6, 7, 8);"
        "INSERT INTO gdelt_media_volume VALUES ('day', '2015-01-01', 1, 2, 3, 4, 5, 6, 7, -0.3, "
        "8), ('month', '2015-01-01', 9, 10, 11, 12, 13, 14, 15, 1e-300, 16);"
        // What a user may have added: an index on a rebuilt table and a view over one.
        "CREATE INDEX pairs_by_period ON gdelt_pairs (period_start);"
        "CREATE VIEW file_names AS SELECT name FROM gdelt_files;";
    ASSERT_EQ(db.Exec(sql), "");
    before = Contents(db);
    ASSERT_EQ(before["gdelt_files"].size(), 3U);
    ASSERT_EQ(before["gdelt_pairs"].size(), 5U);
    ASSERT_EQ(before["gdelt_period_totals"].size(), 2U);
    ASSERT_EQ(before["gdelt_media_volume"].size(), 2U);
  }

  {
    auto store = storage::sqlite::OpenSqliteBarometerStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
  }
  std::string schema_version;
  {
    RawDb db(path);
    EXPECT_EQ(Contents(db), before);
    for (const char* table :
         {"gdelt_files", "gdelt_pairs", "gdelt_period_totals", "gdelt_media_volume"}) {
      const std::string sql =
          db.Text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" +
                  std::string(table) + "'");
      EXPECT_FALSE(sql.empty()) << table;
      EXPECT_EQ(sql.find(" IN ("), std::string::npos) << sql;
    }
    EXPECT_EQ(db.Text("SELECT count(*) FROM sqlite_master WHERE name LIKE '%rebuild%'"), "i:0|");
    EXPECT_EQ(db.Text("SELECT tbl_name FROM sqlite_master WHERE name = 'pairs_by_period'"),
              "t:gdelt_pairs|");
    EXPECT_EQ(db.Rows("SELECT * FROM file_names ORDER BY name").size(), 3U);
    // The checks still hold.
    std::string zeros;  // the 32 value columns
    for (int c = 0; c < 32; ++c) {
      zeros += ", 0";
    }
    const std::string pair_values = ", 'X', 'Y', 'day', '2015-01-01'" + zeros + ")";
    EXPECT_NE(db.Exec("INSERT INTO gdelt_pairs VALUES ('planet'" + pair_values), "");
    EXPECT_NE(db.Exec("INSERT INTO gdelt_pairs VALUES ('City'" + pair_values), "");
    EXPECT_NE(db.Exec("INSERT INTO gdelt_files VALUES ('e', 1, NULL, 'events-v3', 'day', 0, 0, "
                      "'')"),
              "");
    EXPECT_NE(db.Exec("INSERT INTO gdelt_files VALUES ('e', 1, NULL, 'mentions', 'week', 0, 0, "
                      "'')"),
              "");
    EXPECT_NE(db.Exec("INSERT INTO gdelt_files VALUES ('e', -1, NULL, 'mentions', 'day', 0, 0, "
                      "'')"),
              "");
    EXPECT_NE(db.Exec("INSERT INTO gdelt_files VALUES ('a.export.CSV', 1, NULL, 'mentions', "
                      "'day', 0, 0, '')"),
              "");  // the primary key
    EXPECT_NE(db.Exec("INSERT INTO gdelt_files VALUES ('e', 1, '0123', 'mentions', 'day', 0, 0, "
                      "'')"),
              "");  // the unique MD5
    EXPECT_NE(db.Exec("INSERT INTO gdelt_pairs VALUES ('city', 'A1', 'B1', 'day', '2015-02-01'" +
                      zeros + ")"),
              "");  // the primary key
    EXPECT_EQ(db.Exec("INSERT INTO gdelt_pairs VALUES ('city'" + pair_values + ";" +
                      "DELETE FROM gdelt_pairs WHERE actor1 = 'X'"),
              "");
    schema_version = db.Text("PRAGMA schema_version");
  }

  // Opening again rebuilds nothing; the store reads and adds to the rebuilt tables.
  {
    auto store = storage::sqlite::OpenSqliteBarometerStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
    auto pairs = (*store)->QueryPairs({"city", "A1", "B1"});
    ASSERT_TRUE(pairs) << pairs.error().ToString();
    ASSERT_EQ(pairs->size(), 1U);
    EXPECT_EQ((*pairs)[0].sums.events, 1000);
    EXPECT_EQ((*pairs)[0].sums.root[19], 1031);
    auto files = (*store)->ListFiles();
    ASSERT_TRUE(files);
    ASSERT_EQ(files->size(), 3U);
    EXPECT_EQ((*files)[1].md5, "");
  }
  {
    RawDb db(path);
    EXPECT_EQ(db.Text("PRAGMA schema_version"), schema_version);
    EXPECT_EQ(Contents(db), before);
  }

  // A new database gets the OR form from the start.
  {
    auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("new.db"));
    ASSERT_TRUE(store) << store.error().ToString();
  }
  RawDb fresh(dir.File("new.db"));
  EXPECT_EQ(fresh.Text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'gdelt%' AND type = "
                       "'table' AND sql NOT LIKE '% IN (%'"),
            "i:4|");
}

TEST(BarometerStoreTest, ANonDatabaseFileIsRefused) {
  TempDir dir;
  WriteText(dir.File("not.db"), std::string(4096, 'x'));
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("not.db"));
  ASSERT_FALSE(store);
}

}  // namespace
}  // namespace citydip::test
