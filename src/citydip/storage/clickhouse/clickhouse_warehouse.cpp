#include "citydip/storage/clickhouse/clickhouse_warehouse.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <random>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "citydip/storage/clickhouse/clickhouse_http.h"

namespace citydip::storage::clickhouse {
namespace {

bool IsIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 64 || (name.front() >= '0' && name.front() <= '9')) {
    return false;
  }
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// A string literal in single quotes.
std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += '\'';
  return out;
}

// A TabSeparated field (escaping tab, newline and backslash).
void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        out += c;
    }
  }
}

template <typename T>
void AppendNumber(std::string& out, T value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

// One TabSeparated field: text escaped, numbers as they are.
void AppendField(std::string& out, std::string_view text) {
  AppendEscaped(out, text);
}
template <typename T>
requires std::is_arithmetic_v<T>
void AppendField(std::string& out, T value) {
  AppendNumber(out, value);
}

// One TabSeparated row.
template <typename First, typename... Rest>
void AppendRow(std::string& out, const First& first, const Rest&... rest) {
  AppendField(out, first);
  ((out += '\t', AppendField(out, rest)), ...);
  out += '\n';
}

// The SQL expression of a period's first day.
Result<std::string> PeriodExpression(const std::string& granularity) {
  if (granularity == "day") {
    return std::string("date");
  }
  if (granularity == "month") {
    return std::string("toStartOfMonth(date)");
  }
  if (granularity == "quarter") {
    return std::string("toStartOfQuarter(date)");
  }
  if (granularity == "year") {
    return std::string("toStartOfYear(date)");
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + granularity + "' is not a period (expected day, month, quarter or year)");
}

// A TabSeparated field as written by ClickHouse, unescaped (file names may hold any byte).
std::string Unescaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    switch (next) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case '0':
        out += '\0';
        break;
      default:
        out += next;  // \\, \' and any other escaped byte
    }
  }
  return out;
}

// Splits a TabSeparated answer into rows of fields (escaped values are unescaped by the reader:
// see Unescaped).
std::vector<std::vector<std::string_view>> SplitRows(std::string_view text) {
  std::vector<std::vector<std::string_view>> rows;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.empty()) {
      continue;
    }
    auto& fields = rows.emplace_back();
    while (true) {
      const std::size_t tab = line.find('\t');
      fields.push_back(line.substr(0, tab));
      if (tab == std::string_view::npos) {
        break;
      }
      line.remove_prefix(tab + 1);
    }
  }
  return rows;
}

template <typename T>
bool ParseField(std::string_view text, T& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// The number of columns the pair query returns.
constexpr std::size_t kPairColumns = 11 + 4 + 20;

// The columns of the event tables, in the order of CREATE TABLE and of the INSERTs. Columns added
// after the first layout come last: `Init` adds them to older tables (ALTER TABLE appends).
constexpr const char* kColumns =
    "date, actor1_country, actor2_country, is_root, root_code, quad, goldstein, tone, mentions, "
    "sources, articles, actor1_city, actor2_city, load_id";

// The columns of the files tables, in the order of the INSERTs (ingested_at is set by default).
constexpr const char* kFileColumns = "load_id, name, size, md5, kind, rows, bad_rows";

// Columns of later layouts, added to older tables by `Init`.
struct AddedColumn {
  const char* name;
  const char* type;
};
constexpr AddedColumn kAddedColumns[] = {
    {"actor1_city", "String"}, {"actor2_city", "String"}, {"load_id", "UInt64"}};

class ClickHouseWarehouse final : public EventWarehouse {
 public:
  ClickHouseWarehouse(ClickHouseHttp http, WarehouseOptions options)
      : http_(std::move(http)), options_(std::move(options)) {
    distributed_ = options_.database + "." + options_.table;
    local_ = options_.database + "." + options_.table + "_local";
    files_ = options_.database + "." + options_.table + "_files";
    files_local_ = options_.database + "." + options_.table + "_files_local";
    // Rows count when their load is committed (the earliest load of a file name when two
    // clients committed the same file), or when stored before loads were tracked (0). GLOBAL:
    // the coordinator reads the files once and sends the set to every shard.
    visible_ = "(load_id = 0 OR load_id GLOBAL IN (SELECT min(load_id) FROM " + files_ +
               " GROUP BY name))";
  }

  Status Init(const std::string& cluster) override {
    if (!IsIdentifier(cluster)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--cluster '" + cluster +
                      "' is not a cluster name (expected the name of a <remote_servers> entry of "
                      "the servers' configuration, letters, digits and _)");
    }
    if (auto ping = http_.PingAll(); !ping) {
      return ping;
    }
    const std::string local =
        "CREATE TABLE IF NOT EXISTS " + local_ +
        " (date Date, actor1_country String, actor2_country String, is_root UInt8, "
        "root_code UInt8, quad UInt8, goldstein Float64, tone Float64, mentions UInt64, "
        "sources UInt64, articles UInt64, actor1_city String, actor2_city String, "
        "load_id UInt64) "
        "ENGINE = MergeTree() PARTITION BY toYYYYMM(date) "
        "ORDER BY (actor1_country, actor2_country, date)";
    const std::string distributed = "CREATE TABLE IF NOT EXISTS " + distributed_ + " AS " + local_ +
                                    " ENGINE = Distributed(" + cluster + ", " + options_.database +
                                    ", " + options_.table + "_local, rand())";
    // The registry of committed files. A constant sharding key keeps every file row on the
    // cluster's first shard, so that one commit is one insert into one table: all its files or
    // none (a split insert could commit some files of a batch and not others).
    const std::string files_local =
        "CREATE TABLE IF NOT EXISTS " + files_local_ +
        " (load_id UInt64, name String, size UInt64, md5 String, kind String, rows UInt64, "
        "bad_rows UInt64, ingested_at DateTime DEFAULT now()) "
        "ENGINE = MergeTree() ORDER BY (name, load_id)";
    const std::string files = "CREATE TABLE IF NOT EXISTS " + files_ + " AS " + files_local_ +
                              " ENGINE = Distributed(" + cluster + ", " + options_.database + ", " +
                              options_.table + "_files_local, 0)";
    for (const std::string* statement : {&local, &distributed, &files_local, &files}) {
      if (auto done = http_.ExecuteOnAll(*statement); !done) {
        return done;
      }
    }
    if (auto upgraded = AddMissingColumns(); !upgraded) {
      return upgraded;
    }
    // The cluster must name these very shards: a mistyped cluster would otherwise fail only on
    // the first query.
    auto known =
        http_.Execute(0, "SELECT count() FROM system.clusters WHERE cluster = " + Quote(cluster) +
                             " FORMAT TabSeparated");
    if (!known) {
      return Fail(known.error());
    }
    std::int64_t replicas = 0;
    const std::string_view text(*known);
    if (!ParseField(text.substr(0, text.find('\n')), replicas) || replicas == 0) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "the cluster '" + cluster + "' is not declared in the <remote_servers> of " +
                      http_.shards().front() + " (expected it in the servers' configuration)",
                  http_.shards().front());
    }
    return Ok();
  }

  Status Insert(const std::vector<WarehouseEvent>& events) override {
    if (events.empty()) {
      return Ok();
    }
    std::string body;
    body.reserve(events.size() * 64);
    for (const auto& e : events) {
      AppendRow(body, e.date, e.actor1_country, e.actor2_country, e.is_root ? 1 : 0, e.root_code,
                e.quad, e.goldstein, e.tone, e.mentions, e.sources, e.articles, e.actor1_city,
                e.actor2_city, e.load_id);
    }
    if (auto done = InsertSync(distributed_, kColumns, body); !done) {
      return Fail(OlderLayout(done.error()));
    }
    return Ok();
  }

  std::uint64_t NewLoadId() override {
    std::uint64_t id = 0;
    while (id == 0) {
      id = random_();
    }
    return id;
  }

  Status CommitFiles(const std::vector<WarehouseFile>& files) override {
    if (files.empty()) {
      return Ok();
    }
    std::string body;
    for (const auto& f : files) {
      AppendRow(body, f.load_id, f.name, f.size, f.md5, f.kind, f.rows, f.bad_rows);
    }
    return InsertSync(files_, kFileColumns, body);
  }

  void DiscardLoads(const std::vector<std::uint64_t>& load_ids) override {
    if (load_ids.empty()) {
      return;
    }
    std::string list;
    for (const std::uint64_t id : load_ids) {
      if (!list.empty()) {
        list += ", ";
      }
      AppendNumber(list, id);
    }
    // A mutation, run in the background by each shard; failures are ignored (the rows are not
    // counted either way).
    for (std::size_t shard = 0; shard < http_.shards().size(); ++shard) {
      (void)http_.Execute(shard,
                          "ALTER TABLE " + local_ + " DELETE WHERE load_id IN (" + list + ")");
    }
  }

  Result<std::vector<WarehouseFile>> ListFiles() override {
    auto answer =
        Run("SELECT name, min(load_id) AS first, argMin(size, load_id), argMin(md5, load_id), "
            "argMin(kind, load_id), argMin(rows, load_id), argMin(bad_rows, load_id), "
            "toString(argMin(ingested_at, load_id)) FROM " +
            files_ + " GROUP BY name ORDER BY name FORMAT TabSeparated");
    if (!answer) {
      return Fail(answer.error());
    }
    std::vector<WarehouseFile> files;
    for (const auto& fields : SplitRows(*answer)) {
      WarehouseFile file;
      if (fields.size() != 8 || !ParseField(fields[1], file.load_id) ||
          !ParseField(fields[2], file.size) || !ParseField(fields[5], file.rows) ||
          !ParseField(fields[6], file.bad_rows)) {
        return BadAnswer("files query");
      }
      file.name = Unescaped(fields[0]);
      file.md5 = Unescaped(fields[3]);
      file.kind = Unescaped(fields[4]);
      file.ingested_at = std::string(fields[7]);
      files.push_back(std::move(file));
    }
    return files;
  }

  Result<std::vector<BarometerPairRow>> QueryPairs(const PairQuery& query,
                                                   const std::string& granularity) override {
    auto period = PeriodExpression(granularity);
    if (!period) {
      return Fail(period.error());
    }
    if (query.kind != "country" && query.kind != "city") {
      return Fail(ErrorCode::kInvalidArgument,
                  "'" + query.kind + "' is not a pair kind (expected country or city)");
    }
    // City pairs: the dictionary ids stored with each row at ingest, by the local engine's rules.
    const std::string actor1 = query.kind == "city" ? "actor1_city" : "actor1_country";
    const std::string actor2 = query.kind == "city" ? "actor2_city" : "actor2_country";
    std::vector<BarometerPairRow> rows;
    std::string sql = "SELECT toString(" + *period + ") AS period, " + actor1 + ", " + actor2 +
                      ", count(), sum(is_root), sum(goldstein), sum(goldstein * mentions), "
                      "sum(tone), sum(mentions), sum(sources), sum(articles)";
    for (int q = 1; q <= 4; ++q) {
      sql += ", countIf(quad = " + std::to_string(q) + ")";
    }
    for (int r = 1; r <= 20; ++r) {
      sql += ", countIf(root_code = " + std::to_string(r) + ")";
    }
    sql += " FROM " + distributed_ + " WHERE " + actor1 + " != '' AND " + actor2 + " != '' AND " +
           visible_;
    if (query.actor1) {
      sql += " AND " + actor1 + " = " + Quote(*query.actor1);
    }
    if (query.actor2) {
      sql += " AND " + actor2 + " = " + Quote(*query.actor2);
    }
    sql += " GROUP BY period, " + actor1 + ", " + actor2 + " ORDER BY " + actor1 + ", " + actor2 +
           ", period FORMAT TabSeparated";
    auto answer = Run(sql);
    if (!answer) {
      return Fail(OlderLayout(answer.error()));
    }
    for (const auto& fields : SplitRows(*answer)) {
      if (fields.size() != kPairColumns) {
        return BadAnswer("pair query");
      }
      BarometerPairRow row;
      row.kind = query.kind;
      row.granularity = granularity;
      row.period_start = std::string(fields[0]);
      row.actor1 = std::string(fields[1]);
      row.actor2 = std::string(fields[2]);
      BarometerSums& s = row.sums;
      bool ok = ParseField(fields[3], s.events) && ParseField(fields[4], s.root_events) &&
                ParseField(fields[5], s.goldstein_sum) &&
                ParseField(fields[6], s.goldstein_mentions_sum) &&
                ParseField(fields[7], s.tone_sum) && ParseField(fields[8], s.mentions) &&
                ParseField(fields[9], s.sources) && ParseField(fields[10], s.articles);
      for (std::size_t q = 0; q < 4; ++q) {
        ok = ok && ParseField(fields[11 + q], s.quad[q]);
      }
      for (std::size_t r = 0; r < 20; ++r) {
        ok = ok && ParseField(fields[15 + r], s.root[r]);
      }
      if (!ok) {
        return BadAnswer("pair query");
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<std::vector<BarometerTotalsRow>> QueryTotals(const std::string& granularity) override {
    auto period = PeriodExpression(granularity);
    if (!period) {
      return Fail(period.error());
    }
    auto answer = Run("SELECT toString(" + *period +
                      ") AS period, count(), sum(mentions), sum(sources), sum(articles) FROM " +
                      distributed_ + " WHERE " + visible_ +
                      " GROUP BY period ORDER BY period FORMAT TabSeparated");
    if (!answer) {
      return Fail(OlderLayout(answer.error()));
    }
    std::vector<BarometerTotalsRow> rows;
    for (const auto& fields : SplitRows(*answer)) {
      BarometerTotalsRow row;
      row.granularity = granularity;
      if (fields.size() != 5 || !ParseField(fields[1], row.events) ||
          !ParseField(fields[2], row.mentions) || !ParseField(fields[3], row.sources) ||
          !ParseField(fields[4], row.articles)) {
        return BadAnswer("totals query");
      }
      row.period_start = std::string(fields[0]);
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<std::int64_t> CountEvents() override {
    auto answer =
        Run("SELECT count() FROM " + distributed_ + " WHERE " + visible_ + " FORMAT TabSeparated");
    if (!answer) {
      return Fail(OlderLayout(answer.error()));
    }
    std::int64_t count = 0;
    const std::string_view text(*answer);
    if (!ParseField(text.substr(0, text.find('\n')), count)) {
      return BadAnswer("count query");
    }
    return count;
  }

 private:
  // INSERTs `body` (TabSeparated rows of `columns`) through the distributed `table`,
  // synchronously: a success means the rows are on their shards.
  Status InsertSync(const std::string& table, const char* columns, const std::string& body) {
    if (auto ping = http_.PingAll(); !ping) {
      return ping;
    }
    auto done = http_.Execute(0, "INSERT INTO " + table + " (" + columns + ") FORMAT TabSeparated",
                              body, {{"insert_distributed_sync", "1"}});
    if (!done) {
      return Fail(done.error());
    }
    return Ok();
  }

  // A query through the distributed table, which needs every shard: they are checked first so
  // that the error names the one that is down (ClickHouse would fail too, less clearly; it never
  // skips an unavailable shard unless told to).
  Result<std::string> Run(const std::string& sql) {
    if (auto ping = http_.PingAll(); !ping) {
      return Fail(ping.error());
    }
    return http_.Execute(0, sql, {}, {{"skip_unavailable_shards", "0"}});
  }

  // Adds the columns of later layouts to the local and the distributed table of every shard that
  // lacks them (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: system.columns is read first).
  // Existing rows read the new columns as empty.
  Status AddMissingColumns() {
    for (std::size_t shard = 0; shard < http_.shards().size(); ++shard) {
      for (const std::string& table : {local_, distributed_}) {
        const std::string name = table.substr(table.find('.') + 1);
        auto columns = http_.Execute(
            shard, "SELECT name FROM system.columns WHERE database = " + Quote(options_.database) +
                       " AND table = " + Quote(name) + " FORMAT TabSeparated");
        if (!columns) {
          return Fail(columns.error());
        }
        const auto present = SplitRows(*columns);
        for (const AddedColumn& column : kAddedColumns) {
          const bool found = std::any_of(present.begin(), present.end(), [&](const auto& row) {
            return !row.empty() && row.front() == column.name;
          });
          if (found) {
            continue;
          }
          auto added = http_.Execute(
              shard, "ALTER TABLE " + table + " ADD COLUMN " + column.name + " " + column.type);
          if (!added) {
            return Fail(added.error());
          }
        }
      }
    }
    return Ok();
  }

  // An error naming a column of a later layout: the tables were made by an older citydip.
  static Error OlderLayout(Error error) {
    for (const AddedColumn& column : kAddedColumns) {
      if (error.message.find(column.name) != std::string::npos) {
        error.code = ErrorCode::kFailedPrecondition;
        error.message =
            "the warehouse tables were created by an older citydip, without the column '" +
            std::string(column.name) +
            "' (run `citydip warehouse init` to add it): " + error.message;
        break;
      }
    }
    return error;
  }

  Unexpected<Error> BadAnswer(const std::string& what) const {
    return Fail(ErrorCode::kInternal, "unexpected answer of ClickHouse to the barometer " + what,
                http_.shards().front());
  }

  ClickHouseHttp http_;
  WarehouseOptions options_;
  std::string distributed_;
  std::string local_;
  std::string files_;
  std::string files_local_;
  std::string visible_;  // the condition of counted rows
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace

Result<std::unique_ptr<EventWarehouse>> OpenClickHouseWarehouse(const WarehouseOptions& options) {
  auto http = ClickHouseHttp::Parse(options.urls);
  if (!http) {
    return Fail(http.error());
  }
  if (!IsIdentifier(options.database) || !IsIdentifier(options.table)) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + options.database + "." + options.table +
                    "' is not a table name (expected letters, digits and _)");
  }
  return std::unique_ptr<EventWarehouse>(
      std::make_unique<ClickHouseWarehouse>(std::move(*http), options));
}

}  // namespace citydip::storage::clickhouse
