#include "citydip/storage/sqlite/connection.h"

#include <sqlite3.h>

#include <mutex>
#include <utility>

#include <sys/stat.h>

namespace citydip::storage::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// SQLite's global memory statistics take a mutex on every allocation; citydip never reads them.
// Must run before SQLite initializes (it fails harmlessly afterwards).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

bool FileExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

}  // namespace

// ---- Statement ----------------------------------------------------------------------------------

Statement::Statement(Connection* connection, sqlite3_stmt* stmt, bool* in_use)
    : connection_(connection), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(other.stmt_),
      in_use_(other.in_use_),
      copy_text_(other.copy_text_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) {
    return;
  }
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::BindAll(const SqlParams& params) {
  int index = 0;
  for (const SqlValue& value : params) {
    BindAt(++index, value);
  }
  return *this;
}

void Statement::BindAt(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}
void Statement::BindAt(int index, int value) {
  sqlite3_bind_int64(stmt_, index, value);
}
void Statement::BindAt(int index, bool value) {
  sqlite3_bind_int64(stmt_, index, value ? 1 : 0);
}
void Statement::BindAt(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
}
void Statement::BindAt(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
}

void Statement::BindAt(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                      copy_text_ ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8);
}

void Statement::BindAt(int index, const SqlValue& value) {
  std::visit([&](const auto& v) { BindAt(index, v); }, value);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return Fail(connection_->ErrorFrom(rc, "cannot run statement"));
}

Status Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      Reset();
      return Ok();
    }
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Statement::Double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::optional<double> Statement::OptionalDouble(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Double(column);
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Int(column);
}

std::string_view Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Connection ---------------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     bool create_if_missing) {
  if (!create_if_missing && !FileExists(path)) {
    return Fail(ErrorCode::kNotFound,
                "database '" + path + "' does not exist (create it with `citydip migrate`)", path);
  }
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | (create_if_missing ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Fail(ErrorCode::kUnavailable, "cannot open database '" + path + "': " + message, path);
  }
  auto connection = std::unique_ptr<Connection>(new Connection(db, path));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);

  // The first statement reads the file header: this is where a file that is not a database fails.
  auto journal = connection->Prepare("PRAGMA journal_mode=WAL");
  if (!journal) {
    return Fail(journal.error());
  }
  auto row = journal->Step();
  if (!row) {
    return Fail(row.error());
  }
  const std::string mode(*row ? journal->Text(0) : std::string_view());
  if (mode != "wal" && mode != "memory") {
    return Fail(ErrorCode::kUnavailable,
                "cannot switch database '" + path + "' to WAL journal mode (it stays in '" + mode +
                    "' mode)",
                path);
  }
  // synchronous=NORMAL is crash-safe for commits in WAL mode (a power loss may lose the last
  // commits, never corrupt the file); foreign keys are off by default in SQLite.
  for (const char* pragma :
       {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536",
        "PRAGMA temp_store=MEMORY", "PRAGMA mmap_size=268435456"}) {
    if (auto status = connection->Exec(pragma); !status) {
      return Fail(status.error());
    }
  }
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) {
    sqlite3_finalize(cached.stmt);
  }
  sqlite3_close(db_);
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  const bool cache = it == cache_.end();
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Fail(ErrorFrom(rc, "cannot prepare statement"));
  }
  if (!cache) {
    return Statement(this, stmt, nullptr);
  }
  auto [inserted, ok] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
  return Statement(this, stmt, &inserted->second.in_use);
}

Status Connection::ExecScript(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    sqlite3_free(message);
    return Fail(ErrorFrom(rc, "cannot run script"));
  }
  return Ok();
}

Status Connection::Exec(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  return stmt->Run();
}

std::int64_t Connection::LastInsertId() const {
  return sqlite3_last_insert_rowid(db_);
}
std::int64_t Connection::Changes() const {
  return sqlite3_changes64(db_);
}
std::int64_t Connection::TotalChanges() const {
  return sqlite3_total_changes64(db_);
}
bool Connection::AutoCommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

Error Connection::ErrorFrom(int rc, std::string_view doing) const {
  const std::string detail = sqlite3_errmsg(db_);
  const std::string message = std::string(doing) + ": " + detail;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ErrorCode::kUnavailable,
              "database is locked by another process (gave up after " +
                  std::to_string(kBusyTimeoutMs / 1000) + " s): " + detail,
              path_};
    case SQLITE_NOTADB:
      return {ErrorCode::kInvalidArgument,
              "'" + path_ + "' is not a SQLite database (" + detail + ")", path_};
    case SQLITE_CORRUPT:
      return {ErrorCode::kUnavailable, "database file '" + path_ + "' is corrupt (" + detail + ")",
              path_};
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return {ErrorCode::kUnavailable, message, path_};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return {ErrorCode::kAlreadyExists, message, path_};
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return {ErrorCode::kFailedPrecondition, message, path_};
      }
      return {ErrorCode::kInvalidArgument, message, path_};
    case SQLITE_ERROR:
      if (detail.starts_with("no such table")) {
        return {ErrorCode::kFailedPrecondition,
                "database '" + path_ + "' has no citydip schema (" + detail +
                    "); run `citydip migrate` first",
                path_};
      }
      return {ErrorCode::kInternal, message, path_};
    default:
      return {ErrorCode::kInternal, message, path_};
  }
}

}  // namespace citydip::storage::sqlite
