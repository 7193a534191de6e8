#include "citydip/storage/sqlite/sqlite_barometer_store.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/storage/sqlite/connection.h"

namespace citydip::storage::sqlite {
namespace {

// The barometer tables: name and definition (what follows the name in CREATE TABLE).
//
// The CHECKs spell out `x = 'a' OR x = 'b'` rather than `x IN ('a', 'b')`: SQLite evaluates an
// IN list through an ephemeral table built on each execution of a statement, which made the
// multi-row upserts of the ingest's final write markedly slower (25k pair rows: ~90 ms against
// ~52 ms). Databases created with the IN form are rebuilt by Migrate().
struct Table {
  std::string_view name;
  std::string_view definition;
};

constexpr Table kTables[] = {
    {"gdelt_files", R"sql((
  name TEXT NOT NULL PRIMARY KEY,
  size INTEGER NOT NULL CHECK (size >= 0),
  md5 TEXT UNIQUE,  -- NULL when ingested with --no-md5
  kind TEXT NOT NULL CHECK (kind = 'events-v1' OR kind = 'events-v2' OR kind = 'mentions'),
  granularity TEXT NOT NULL CHECK (granularity = 'day' OR granularity = 'month' OR
                                   granularity = 'quarter' OR granularity = 'year'),
  rows INTEGER NOT NULL,
  bad_rows INTEGER NOT NULL,
  ingested_at TEXT NOT NULL
))sql"},
    {"gdelt_pairs", R"sql((
  kind TEXT NOT NULL CHECK (kind = 'country' OR kind = 'city'),
  actor1 TEXT NOT NULL,
  actor2 TEXT NOT NULL,
  granularity TEXT NOT NULL CHECK (granularity = 'day' OR granularity = 'month' OR
                                   granularity = 'quarter' OR granularity = 'year'),
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
) WITHOUT ROWID)sql"},
    {"gdelt_period_totals", R"sql((
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  events INTEGER NOT NULL,
  mentions INTEGER NOT NULL,
  sources INTEGER NOT NULL,
  articles INTEGER NOT NULL,
  PRIMARY KEY (granularity, period_start)
) WITHOUT ROWID)sql"},
    {"gdelt_media_volume", R"sql((
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  mentions INTEGER NOT NULL,
  type1 INTEGER NOT NULL, type2 INTEGER NOT NULL, type3 INTEGER NOT NULL,
  type4 INTEGER NOT NULL, type5 INTEGER NOT NULL, type6 INTEGER NOT NULL,
  doc_tone_sum REAL NOT NULL,
  confidence_sum INTEGER NOT NULL,
  PRIMARY KEY (granularity, period_start)
) WITHOUT ROWID)sql"},
};

// `name` as an SQL identifier.
std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

// The first column of `sql`'s rows, with `parameter` bound to its one parameter.
Result<std::vector<std::string>> TextColumn(Connection& conn,
                                            const std::string& sql,
                                            const std::string& parameter) {
  return ReadRows(conn, sql, {parameter},
                  [](const Statement& row) { return std::string(row.Text(0)); });
}

// Replaces `table` (whose stored definition is out of date) by one created from its current
// definition, keeping every row (and, for a rowid table, every rowid) and the indexes and
// triggers defined on it; inside the caller's transaction. The new table is created under a
// temporary name and renamed over the old one with legacy_alter_table on, so that views and
// triggers naming the table (which point nowhere between the DROP and the RENAME) neither fail
// the RENAME nor get rewritten.
Status RebuildTable(Connection& conn, const Table& table) {
  const std::string name(table.name);
  const std::string rebuilt = name + "_rebuild";
  auto names = TextColumn(conn, "SELECT name FROM pragma_table_info(?) ORDER BY cid", name);
  if (!names) {
    return Fail(names.error());
  }
  std::vector<std::string> columns;
  for (const auto& column : *names) {
    columns.push_back(Quoted(column));
  }
  // CREATE INDEX / CREATE TRIGGER statements on the table.
  auto dependents = TextColumn(conn,
                               "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN "
                               "('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
                               name);
  if (!dependents) {
    return Fail(dependents.error());
  }
  std::string column_list =
      table.definition.find("WITHOUT ROWID") == std::string_view::npos ? "rowid" : "";
  for (const auto& column : columns) {
    column_list += (column_list.empty() ? "" : ", ") + column;
  }
  std::string script =
      "CREATE TABLE " + Quoted(rebuilt) + " " + std::string(table.definition) + ";\n";
  script += "INSERT INTO " + Quoted(rebuilt) + " (" + column_list + ") SELECT " + column_list +
            " FROM " + Quoted(name) + ";\n";
  script += "DROP TABLE " + Quoted(name) + ";\n";
  script += "PRAGMA legacy_alter_table = ON;\n";
  script += "ALTER TABLE " + Quoted(rebuilt) + " RENAME TO " + Quoted(name) + ";\n";
  Status done = conn.ExecScript(script);
  (void)conn.ExecScript("PRAGMA legacy_alter_table = OFF");
  for (const auto& sql : *dependents) {
    if (!done) {
      break;
    }
    done = conn.ExecScript(sql);
  }
  return done;
}

// Rebuilds the tables whose stored definition still has a CHECK with an IN list.
Status RebuildOutdatedTables(Connection& conn) {
  for (const Table& table : kTables) {
    std::string stored;
    {
      auto stmt = conn.Prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?");
      if (!stmt) {
        return Fail(stmt.error());
      }
      stmt->Bind(std::string(table.name));
      auto row = stmt->Step();
      if (!row) {
        return Fail(row.error());
      }
      if (!*row) {
        continue;  // not created yet
      }
      stored = stmt->Text(0);
    }
    if (stored.find(" IN (") == std::string::npos) {
      continue;
    }
    if (auto rebuilt = RebuildTable(conn, table); !rebuilt) {
      return rebuilt;
    }
  }
  return Ok();
}

std::string CreateTablesScript() {
  std::string script;
  for (const Table& table : kTables) {
    script += "CREATE TABLE IF NOT EXISTS " + std::string(table.name) + " " +
              std::string(table.definition) + ";\n";
  }
  return script;
}

// INSERT ... VALUES (row), (row), ... ON CONFLICT (key) DO UPDATE SET value = value +
// excluded.value, for every value, with `rows` rows of parameters.
std::string UpsertSql(const std::string& table,
                      const std::vector<std::string>& keys,
                      const std::vector<std::string>& values,
                      std::size_t rows) {
  std::string columns;
  std::string marks;
  for (const auto& column : keys) {
    columns += (columns.empty() ? "" : ", ") + column;
    marks += marks.empty() ? "?" : ", ?";
  }
  for (const auto& column : values) {
    columns += ", " + column;
    marks += ", ?";
  }
  std::string sql = "INSERT INTO " + table + " (" + columns + ") VALUES ";
  for (std::size_t row = 0; row < rows; ++row) {
    sql += (row > 0 ? ", (" : "(") + marks + ")";
  }
  sql += " ON CONFLICT (";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    sql += (i > 0 ? ", " : "") + keys[i];
  }
  sql += ") DO UPDATE SET ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += (i > 0 ? ", " : "") + values[i] + " = " + values[i] + " + excluded." + values[i];
  }
  return sql;
}

// Rows per upsert statement. One statement per row spends most of its time on the statement
// itself (step, reset, and, before they were spelled as ORs, the CHECK constraints' IN lists,
// evaluated per execution); 64 rows of the 37 pair columns take 2,368 of SQLite's 32,766
// parameters.
constexpr std::size_t kUpsertRows = 64;

// Upserts `rows` through statements of kUpsertRows rows (and one for the rest);
// bind(statement, first_parameter, row) binds one row.
template <typename Row, typename BindRow>
Status UpsertAll(Connection& conn,
                 const std::string& table,
                 const std::vector<std::string>& keys,
                 const std::vector<std::string>& values,
                 const std::vector<Row>& rows,
                 BindRow bind) {
  const int columns = static_cast<int>(keys.size() + values.size());
  const std::string full =
      rows.size() >= kUpsertRows ? UpsertSql(table, keys, values, kUpsertRows) : std::string();
  std::size_t at = 0;
  while (at < rows.size()) {
    const std::size_t count = std::min(kUpsertRows, rows.size() - at);
    auto upsert = conn.Prepare(count == kUpsertRows ? full : UpsertSql(table, keys, values, count));
    if (!upsert) {
      return Fail(upsert.error());
    }
    upsert->NoCopy();  // the rows outlive the statement's run
    for (std::size_t i = 0; i < count; ++i) {
      bind(*upsert, static_cast<int>(i) * columns + 1, rows[at + i]);
    }
    if (auto run = upsert->Run(); !run) {
      return run;
    }
    at += count;
  }
  return Ok();
}

std::string SelectList(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& column : columns) {
    out += (out.empty() ? "" : ", ") + column;
  }
  return out;
}

class SqliteBarometerStore final : public BarometerStore {
 public:
  explicit SqliteBarometerStore(std::unique_ptr<Connection> connection)
      : conn_(std::move(connection)) {}

  Status Migrate() override {
    if (auto begun = conn_->Exec("BEGIN IMMEDIATE"); !begun) {
      return begun;
    }
    if (auto rebuilt = RebuildOutdatedTables(*conn_); !rebuilt) {
      (void)conn_->Exec("ROLLBACK");
      return rebuilt;
    }
    static const std::string kCreateTables = CreateTablesScript();
    if (auto created = conn_->ExecScript(kCreateTables); !created) {
      (void)conn_->Exec("ROLLBACK");
      return created;
    }
    if (auto committed = conn_->Exec("COMMIT"); !committed) {
      (void)conn_->Exec("ROLLBACK");
      return committed;
    }
    return Ok();
  }

  Result<std::vector<GdeltFileRecord>> ListFiles() override {
    return ReadRows(
        *conn_,
        "SELECT name, size, md5, kind, granularity, rows, bad_rows, ingested_at FROM gdelt_files "
        "ORDER BY name",
        {}, [](const Statement& row) {
          GdeltFileRecord file;
          file.name = row.Text(0);
          file.size = row.Int(1);
          file.md5 = row.Text(2);
          file.kind = row.Text(3);
          file.granularity = row.Text(4);
          file.rows = row.Int(5);
          file.bad_rows = row.Int(6);
          file.ingested_at = row.Text(7);
          return file;
        });
  }

  Status Commit(const BarometerBatch& batch) override {
    if (auto begun = conn_->Exec("BEGIN IMMEDIATE"); !begun) {
      return begun;
    }
    Status written = Write(batch);
    if (written) {
      written = conn_->Exec("COMMIT");
    }
    if (!written && !conn_->AutoCommit()) {
      (void)conn_->Exec("ROLLBACK");
    }
    return written;
  }

  Result<std::vector<BarometerPairRow>> QueryPairs(const PairQuery& query) override {
    std::string sql = "SELECT kind, actor1, actor2, granularity, period_start, " +
                      SelectList(BarometerPairValueColumns()) + " FROM gdelt_pairs WHERE kind = ?";
    SqlParams params = {query.kind};
    if (query.actor1) {
      sql += " AND actor1 = ?";
      params.emplace_back(*query.actor1);
    }
    if (query.actor2) {
      sql += " AND actor2 = ?";
      params.emplace_back(*query.actor2);
    }
    sql += " ORDER BY actor1, actor2, granularity, period_start";
    return ReadRows(*conn_, sql, params, [](const Statement& row) {
      BarometerPairRow out;
      out.kind = row.Text(0);
      out.actor1 = row.Text(1);
      out.actor2 = row.Text(2);
      out.granularity = row.Text(3);
      out.period_start = row.Text(4);
      BarometerSums& s = out.sums;
      s.events = row.Int(5);
      s.root_events = row.Int(6);
      s.goldstein_sum = row.Double(7);
      s.goldstein_mentions_sum = row.Double(8);
      s.tone_sum = row.Double(9);
      s.mentions = row.Int(10);
      s.sources = row.Int(11);
      s.articles = row.Int(12);
      for (int q = 0; q < 4; ++q) {
        s.quad[static_cast<std::size_t>(q)] = row.Int(13 + q);
      }
      for (int r = 0; r < 20; ++r) {
        s.root[static_cast<std::size_t>(r)] = row.Int(17 + r);
      }
      return out;
    });
  }

  Result<std::vector<BarometerTotalsRow>> QueryTotals() override {
    return ReadRows(*conn_,
                    "SELECT granularity, period_start, events, mentions, sources, articles "
                    "FROM gdelt_period_totals ORDER BY granularity, period_start",
                    {}, [](const Statement& row) {
                      return BarometerTotalsRow{std::string(row.Text(0)),
                                                std::string(row.Text(1)),
                                                row.Int(2),
                                                row.Int(3),
                                                row.Int(4),
                                                row.Int(5)};
                    });
  }

  Result<std::vector<MediaVolumeRow>> QueryMedia() override {
    return ReadRows(*conn_,
                    "SELECT granularity, period_start, " +
                        SelectList(BarometerMediaValueColumns()) +
                        " FROM gdelt_media_volume ORDER BY granularity, period_start",
                    {}, [](const Statement& row) {
                      MediaVolumeRow out;
                      out.granularity = row.Text(0);
                      out.period_start = row.Text(1);
                      out.mentions = row.Int(2);
                      for (int t = 0; t < 6; ++t) {
                        out.by_type[static_cast<std::size_t>(t)] = row.Int(3 + t);
                      }
                      out.doc_tone_sum = row.Double(9);
                      out.confidence_sum = row.Int(10);
                      return out;
                    });
  }

 private:
  Status Write(const BarometerBatch& batch) {
    {
      auto insert = conn_->Prepare(
          "INSERT INTO gdelt_files (name, size, md5, kind, granularity, rows, bad_rows, "
          "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
      if (!insert) {
        return Fail(insert.error());
      }
      for (const auto& file : batch.files) {
        insert->Bind(file.name, file.size,
                     file.md5.empty() ? std::nullopt : std::optional<std::string>(file.md5),
                     file.kind, file.granularity, file.rows, file.bad_rows);
        if (auto run = insert->Run(); !run) {
          Error error = run.error();
          if (error.code == ErrorCode::kAlreadyExists) {
            error.message = "the file '" + file.name + "' (MD5 " + file.md5 +
                            ") is already recorded; nothing of this batch was stored";
          }
          return Fail(std::move(error));
        }
      }
    }
    if (auto pairs = ForEachPairChunk(
            batch, [&](const std::vector<BarometerPairRow>& rows) { return WritePairs(rows); });
        !pairs) {
      return pairs;
    }
    static const std::vector<std::string> kPeriodKeys = {"granularity", "period_start"};
    if (auto totals = UpsertAll(*conn_, "gdelt_period_totals", kPeriodKeys,
                                BarometerTotalsValueColumns(), batch.totals,
                                [](Statement& upsert, int first, const BarometerTotalsRow& row) {
                                  upsert.BindAt(first, std::string_view(row.granularity));
                                  upsert.BindAt(first + 1, std::string_view(row.period_start));
                                  upsert.BindAt(first + 2, row.events);
                                  upsert.BindAt(first + 3, row.mentions);
                                  upsert.BindAt(first + 4, row.sources);
                                  upsert.BindAt(first + 5, row.articles);
                                });
        !totals) {
      return totals;
    }
    if (auto media = UpsertAll(*conn_, "gdelt_media_volume", kPeriodKeys,
                               BarometerMediaValueColumns(), batch.media,
                               [](Statement& upsert, int first, const MediaVolumeRow& row) {
                                 int index = first;
                                 upsert.BindAt(index++, std::string_view(row.granularity));
                                 upsert.BindAt(index++, std::string_view(row.period_start));
                                 upsert.BindAt(index++, row.mentions);
                                 for (std::int64_t value : row.by_type) {
                                   upsert.BindAt(index++, value);
                                 }
                                 upsert.BindAt(index++, row.doc_tone_sum);
                                 upsert.BindAt(index++, row.confidence_sum);
                               });
        !media) {
      return media;
    }
    return Ok();
  }

  Status WritePairs(const std::vector<BarometerPairRow>& rows) {
    static const std::vector<std::string> kPairKeys = {"kind", "actor1", "actor2", "granularity",
                                                       "period_start"};
    return UpsertAll(
        *conn_, "gdelt_pairs", kPairKeys, BarometerPairValueColumns(), rows,
        [](Statement& upsert, int first, const BarometerPairRow& row) {
          const BarometerSums& s = row.sums;
          int index = first;
          for (const std::string* key :
               {&row.kind, &row.actor1, &row.actor2, &row.granularity, &row.period_start}) {
            upsert.BindAt(index++, std::string_view(*key));
          }
          for (std::int64_t value : {s.events, s.root_events}) {
            upsert.BindAt(index++, value);
          }
          for (double value : {s.goldstein_sum, s.goldstein_mentions_sum, s.tone_sum}) {
            upsert.BindAt(index++, value);
          }
          for (std::int64_t value : {s.mentions, s.sources, s.articles}) {
            upsert.BindAt(index++, value);
          }
          for (std::int64_t value : s.quad) {
            upsert.BindAt(index++, value);
          }
          for (std::int64_t value : s.root) {
            upsert.BindAt(index++, value);
          }
        });
  }

  std::unique_ptr<Connection> conn_;
};

}  // namespace

Result<std::unique_ptr<BarometerStore>> OpenSqliteBarometerStore(const std::string& path) {
  auto connection = Connection::Open(path, /*create_if_missing=*/true);
  if (!connection) {
    return Fail(connection.error());
  }
  // A smaller page cache than the registry's: the barometer writes in large sorted batches. And
  // no memory map: an upsert by day touches pages all over the pair table (whose key ends with
  // the period), and mapped pages count in the process's memory, up to the whole file; read
  // through the page cache, they stay within its 16 MiB.
  for (const char* pragma : {"PRAGMA cache_size=-16384", "PRAGMA mmap_size=0"}) {
    if (auto set = (*connection)->Exec(pragma); !set) {
      return Fail(set.error());
    }
  }
  auto store = std::make_unique<SqliteBarometerStore>(std::move(*connection));
  if (auto migrated = store->Migrate(); !migrated) {
    return Fail(migrated.error());
  }
  return std::unique_ptr<BarometerStore>(std::move(store));
}

}  // namespace citydip::storage::sqlite
