#include "citydip/storage/postgres/postgres_barometer_store.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/storage/postgres/pg_connection.h"
#include "citydip/storage/postgres/pg_schema.h"

namespace citydip::storage::postgres {
namespace {

constexpr std::int64_t kBarometerMigrationLockKey = kMigrationLockKey + 2;

// The SQLite tables (storage/sqlite/sqlite_barometer_store.cpp) in PostgreSQL types.
constexpr std::string_view kBarometerSchema = R"sql(
CREATE TABLE IF NOT EXISTS gdelt_files (
  name TEXT NOT NULL PRIMARY KEY,
  size BIGINT NOT NULL CHECK (size >= 0),
  md5 TEXT UNIQUE,  -- NULL when ingested with --no-md5
  kind TEXT NOT NULL CHECK (kind IN ('events-v1', 'events-v2', 'mentions')),
  granularity TEXT NOT NULL CHECK (granularity IN ('day', 'month', 'quarter', 'year')),
  rows BIGINT NOT NULL,
  bad_rows BIGINT NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gdelt_pairs (
  kind TEXT NOT NULL CHECK (kind IN ('country', 'city')),
  actor1 TEXT NOT NULL,
  actor2 TEXT NOT NULL,
  granularity TEXT NOT NULL CHECK (granularity IN ('day', 'month', 'quarter', 'year')),
  period_start TEXT NOT NULL,
  events BIGINT NOT NULL,
  root_events BIGINT NOT NULL,
  goldstein_sum DOUBLE PRECISION NOT NULL,
  goldstein_mentions_sum DOUBLE PRECISION NOT NULL,
  tone_sum DOUBLE PRECISION NOT NULL,
  mentions BIGINT NOT NULL,
  sources BIGINT NOT NULL,
  articles BIGINT NOT NULL,
  quad1 BIGINT NOT NULL, quad2 BIGINT NOT NULL, quad3 BIGINT NOT NULL, quad4 BIGINT NOT NULL,
  root01 BIGINT NOT NULL, root02 BIGINT NOT NULL, root03 BIGINT NOT NULL,
  root04 BIGINT NOT NULL, root05 BIGINT NOT NULL, root06 BIGINT NOT NULL,
  root07 BIGINT NOT NULL, root08 BIGINT NOT NULL, root09 BIGINT NOT NULL,
  root10 BIGINT NOT NULL, root11 BIGINT NOT NULL, root12 BIGINT NOT NULL,
  root13 BIGINT NOT NULL, root14 BIGINT NOT NULL, root15 BIGINT NOT NULL,
  root16 BIGINT NOT NULL, root17 BIGINT NOT NULL, root18 BIGINT NOT NULL,
  root19 BIGINT NOT NULL, root20 BIGINT NOT NULL,
  PRIMARY KEY (kind, actor1, actor2, granularity, period_start)
);
CREATE TABLE IF NOT EXISTS gdelt_period_totals (
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  events BIGINT NOT NULL,
  mentions BIGINT NOT NULL,
  sources BIGINT NOT NULL,
  articles BIGINT NOT NULL,
  PRIMARY KEY (granularity, period_start)
);
CREATE TABLE IF NOT EXISTS gdelt_media_volume (
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  mentions BIGINT NOT NULL,
  type1 BIGINT NOT NULL, type2 BIGINT NOT NULL, type3 BIGINT NOT NULL,
  type4 BIGINT NOT NULL, type5 BIGINT NOT NULL, type6 BIGINT NOT NULL,
  doc_tone_sum DOUBLE PRECISION NOT NULL,
  confidence_sum BIGINT NOT NULL,
  PRIMARY KEY (granularity, period_start)
);
)sql";

std::string Join(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& column : columns) {
    out += (out.empty() ? "" : ", ") + column;
  }
  return out;
}

// INSERT INTO table (keys, values) VALUES (...), (...) ON CONFLICT (keys) DO UPDATE SET
// value = table.value + EXCLUDED.value, for `rows` rows. A batch holds each key once (the
// aggregation sums per key), so one statement never touches a row twice.
std::string UpsertSql(const std::string& table,
                      const std::vector<std::string>& keys,
                      const std::vector<std::string>& values,
                      std::size_t rows) {
  const std::size_t width = keys.size() + values.size();
  std::string sql = "INSERT INTO " + table + " (" + Join(keys) + ", " + Join(values) + ") VALUES ";
  int next = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r > 0 ? ", (" : "(";
    for (std::size_t c = 0; c < width; ++c) {
      sql += (c > 0 ? ", $" : "$") + std::to_string(++next);
    }
    sql += ")";
  }
  sql += " ON CONFLICT (" + Join(keys) + ") DO UPDATE SET ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += (i > 0 ? ", " : "") + values[i] + " = " + table + "." + values[i] + " + EXCLUDED." +
           values[i];
  }
  return sql;
}

// Rows per statement: few round trips, well under PostgreSQL's 65,535 parameters.
constexpr std::size_t kRowsPerStatement = 500;

class PostgresBarometerStore final : public BarometerStore {
 public:
  explicit PostgresBarometerStore(std::unique_ptr<Connection> connection)
      : db_(std::move(connection)) {}

  Status Migrate() override {
    return Atomically([&]() -> Status {
      if (auto lock = db_->Exec("SELECT pg_advisory_xact_lock($1)",
                                Params().Add(kBarometerMigrationLockKey));
          !lock) {
        return Fail(lock.error());
      }
      return db_->ExecScript(std::string(kBarometerSchema));
    });
  }

  Result<std::vector<GdeltFileRecord>> ListFiles() override {
    auto result = db_->Exec(
        "SELECT name, size, md5, kind, granularity, rows, bad_rows, ingested_at FROM gdelt_files "
        "ORDER BY name");
    if (!result) {
      return Fail(result.error());
    }
    std::vector<GdeltFileRecord> files;
    for (int i = 0; i < result->rows(); ++i) {
      RowReader row(*result, i);
      GdeltFileRecord file;
      file.name = row.Text();
      file.size = row.Int64();
      file.md5 = row.TextOrEmpty();
      file.kind = row.Text();
      file.granularity = row.Text();
      file.rows = row.Int64();
      file.bad_rows = row.Int64();
      file.ingested_at = row.Text();
      if (auto status = row.status(); !status) {
        return Fail(status.error());
      }
      files.push_back(std::move(file));
    }
    return files;
  }

  Status Commit(const BarometerBatch& batch) override {
    return Atomically([&]() { return Write(batch); });
  }

  Result<std::vector<BarometerPairRow>> QueryPairs(const PairQuery& query) override {
    std::string sql = "SELECT kind, actor1, actor2, granularity, period_start, " +
                      Join(BarometerPairValueColumns()) + " FROM gdelt_pairs WHERE kind = $1";
    Params params;
    params.Add(query.kind);
    int next = 1;
    if (query.actor1) {
      params.Add(*query.actor1);
      sql += " AND actor1 = $" + std::to_string(++next);
    }
    if (query.actor2) {
      params.Add(*query.actor2);
      sql += " AND actor2 = $" + std::to_string(++next);
    }
    // COLLATE "C": byte order, as SQLite sorts text.
    sql += " ORDER BY actor1 COLLATE \"C\", actor2 COLLATE \"C\", granularity, period_start";
    auto result = db_->Exec(sql, params);
    if (!result) {
      return Fail(result.error());
    }
    std::vector<BarometerPairRow> rows;
    rows.reserve(static_cast<std::size_t>(result->rows()));
    for (int i = 0; i < result->rows(); ++i) {
      RowReader row(*result, i);
      BarometerPairRow out;
      out.kind = row.Text();
      out.actor1 = row.Text();
      out.actor2 = row.Text();
      out.granularity = row.Text();
      out.period_start = row.Text();
      BarometerSums& s = out.sums;
      s.events = row.Int64();
      s.root_events = row.Int64();
      s.goldstein_sum = row.OptionalDouble().value_or(0);
      s.goldstein_mentions_sum = row.OptionalDouble().value_or(0);
      s.tone_sum = row.OptionalDouble().value_or(0);
      s.mentions = row.Int64();
      s.sources = row.Int64();
      s.articles = row.Int64();
      for (auto& quad : s.quad) {
        quad = row.Int64();
      }
      for (auto& root : s.root) {
        root = row.Int64();
      }
      if (auto status = row.status(); !status) {
        return Fail(status.error());
      }
      rows.push_back(std::move(out));
    }
    return rows;
  }

  Result<std::vector<BarometerTotalsRow>> QueryTotals() override {
    auto result = db_->Exec(
        "SELECT granularity, period_start, events, mentions, sources, articles "
        "FROM gdelt_period_totals ORDER BY granularity, period_start");
    if (!result) {
      return Fail(result.error());
    }
    std::vector<BarometerTotalsRow> rows;
    for (int i = 0; i < result->rows(); ++i) {
      RowReader row(*result, i);
      BarometerTotalsRow out;
      out.granularity = row.Text();
      out.period_start = row.Text();
      out.events = row.Int64();
      out.mentions = row.Int64();
      out.sources = row.Int64();
      out.articles = row.Int64();
      if (auto status = row.status(); !status) {
        return Fail(status.error());
      }
      rows.push_back(std::move(out));
    }
    return rows;
  }

  Result<std::vector<MediaVolumeRow>> QueryMedia() override {
    auto result =
        db_->Exec("SELECT granularity, period_start, " + Join(BarometerMediaValueColumns()) +
                  " FROM gdelt_media_volume ORDER BY granularity, period_start");
    if (!result) {
      return Fail(result.error());
    }
    std::vector<MediaVolumeRow> rows;
    for (int i = 0; i < result->rows(); ++i) {
      RowReader row(*result, i);
      MediaVolumeRow out;
      out.granularity = row.Text();
      out.period_start = row.Text();
      out.mentions = row.Int64();
      for (auto& type : out.by_type) {
        type = row.Int64();
      }
      out.doc_tone_sum = row.OptionalDouble().value_or(0);
      out.confidence_sum = row.Int64();
      if (auto status = row.status(); !status) {
        return Fail(status.error());
      }
      rows.push_back(std::move(out));
    }
    return rows;
  }

 private:
  // Runs `work` in a transaction: all of it or nothing (a lost connection rolls back on the
  // server; no reconnect inside).
  Status Atomically(const std::function<Status()>& work) {
    if (auto begun = db_->ExecScript("BEGIN"); !begun) {
      return begun;
    }
    db_->set_reconnect_allowed(false);
    Status result = work();
    if (result) {
      result = db_->ExecScript("COMMIT");
    } else {
      (void)db_->ExecScript("ROLLBACK");
    }
    db_->set_reconnect_allowed(true);
    return result;
  }

  // Upserts `items` in statements of kRowsPerStatement rows; `add` appends one item's values.
  template <typename T, typename AddRow>
  Status UpsertAll(const std::string& table,
                   const std::vector<std::string>& keys,
                   const std::vector<std::string>& values,
                   const std::vector<T>& items,
                   AddRow add) {
    for (std::size_t start = 0; start < items.size(); start += kRowsPerStatement) {
      const std::size_t count = std::min(kRowsPerStatement, items.size() - start);
      Params params;
      for (std::size_t i = start; i < start + count; ++i) {
        add(params, items[i]);
      }
      if (auto run = db_->Exec(UpsertSql(table, keys, values, count), params); !run) {
        return Fail(run.error());
      }
    }
    return Ok();
  }

  Status Write(const BarometerBatch& batch) {
    for (const auto& file : batch.files) {
      Params params;
      params.Add(file.name)
          .Add(file.size)
          .AddOrNull(file.md5)
          .Add(file.kind)
          .Add(file.granularity)
          .Add(file.rows)
          .Add(file.bad_rows);
      auto inserted = db_->Exec(
          "INSERT INTO gdelt_files (name, size, md5, kind, granularity, rows, bad_rows, "
          "ingested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
          params);
      if (!inserted) {
        Error error = inserted.error();
        if (error.code == ErrorCode::kAlreadyExists) {
          error.message = "the file '" + file.name + "' (MD5 " + file.md5 +
                          ") is already recorded; nothing of this batch was stored";
        }
        return Fail(std::move(error));
      }
    }
    static const std::vector<std::string> kPairKeys = {"kind", "actor1", "actor2", "granularity",
                                                       "period_start"};
    Status pairs = ForEachPairChunk(batch, [&](const std::vector<BarometerPairRow>& rows) {
      return UpsertAll(
          "gdelt_pairs", kPairKeys, BarometerPairValueColumns(), rows,
          [](Params& p, const BarometerPairRow& row) {
            const BarometerSums& s = row.sums;
            p.Add(row.kind)
                .Add(row.actor1)
                .Add(row.actor2)
                .Add(row.granularity)
                .Add(row.period_start);
            p.Add(s.events).Add(s.root_events).Add(s.goldstein_sum).Add(s.goldstein_mentions_sum);
            p.Add(s.tone_sum).Add(s.mentions).Add(s.sources).Add(s.articles);
            for (const auto quad : s.quad) {
              p.Add(quad);
            }
            for (const auto root : s.root) {
              p.Add(root);
            }
          });
    });
    if (!pairs) {
      return pairs;
    }
    static const std::vector<std::string> kPeriodKeys = {"granularity", "period_start"};
    Status totals =
        UpsertAll("gdelt_period_totals", kPeriodKeys, BarometerTotalsValueColumns(), batch.totals,
                  [](Params& p, const BarometerTotalsRow& row) {
                    p.Add(row.granularity).Add(row.period_start);
                    p.Add(row.events).Add(row.mentions).Add(row.sources).Add(row.articles);
                  });
    if (!totals) {
      return totals;
    }
    return UpsertAll("gdelt_media_volume", kPeriodKeys, BarometerMediaValueColumns(), batch.media,
                     [](Params& p, const MediaVolumeRow& row) {
                       p.Add(row.granularity).Add(row.period_start).Add(row.mentions);
                       for (const auto type : row.by_type) {
                         p.Add(type);
                       }
                       p.Add(row.doc_tone_sum).Add(row.confidence_sum);
                     });
  }

  std::unique_ptr<Connection> db_;
};

}  // namespace

Result<std::unique_ptr<BarometerStore>> OpenPostgresBarometerStore(const std::string& url) {
  auto connection = Connection::Open(url);
  if (!connection) {
    return Fail(connection.error());
  }
  auto store = std::make_unique<PostgresBarometerStore>(std::move(*connection));
  if (auto migrated = store->Migrate(); !migrated) {
    return Fail(migrated.error());
  }
  return std::unique_ptr<BarometerStore>(std::move(store));
}

}  // namespace citydip::storage::postgres
