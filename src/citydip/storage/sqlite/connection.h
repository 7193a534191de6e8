// A thin owner of one SQLite connection: opening with citydip's settings, a cache of prepared
// statements keyed by their SQL text, typed binding and reading, and the one mapping from SQLite
// result codes to citydip errors. Internal to the SQLite backend.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "citydip/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace citydip::storage::sqlite {

/// A parameter value for SQL assembled at run time (filters).
using SqlValue = std::variant<std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

class Connection;

/// A prepared statement borrowed from the connection's cache (or, when the cached one is in use
/// further up the stack, a private one). Reset and unbound when it goes out of scope.
class Statement {
 public:
  Statement(Connection* connection, sqlite3_stmt* stmt, bool* in_use);
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  /// Binds text without copying it from now on (for this borrow): every bound text must then
  /// stay alive until the statement has run. For hot paths (an import binds millions of strings);
  /// by default text is copied.
  Statement& NoCopy() {
    copy_text_ = false;
    return *this;
  }

  /// Binds the arguments to parameters 1, 2, ... in order.
  template <typename... Args>
  Statement& Bind(const Args&... args) {
    int index = 0;
    (BindAt(++index, args), ...);
    return *this;
  }
  /// Binds `params` to parameters 1, 2, ... in order.
  Statement& BindAll(const SqlParams& params);

  void BindAt(int index, std::int64_t value);
  void BindAt(int index, int value);
  void BindAt(int index, bool value);
  void BindAt(int index, double value);
  void BindAt(int index, std::string_view value);
  void BindAt(int index, const std::string& value) { BindAt(index, std::string_view(value)); }
  void BindAt(int index, const char* value) { BindAt(index, std::string_view(value)); }
  void BindAt(int index, std::nullopt_t);
  void BindAt(int index, const SqlValue& value);
  template <typename T>
  void BindAt(int index, const std::optional<T>& value) {
    if (value) {
      BindAt(index, *value);
    } else {
      BindAt(index, std::nullopt);
    }
  }

  /// Advances to the next row: true when a row is available, false when done.
  [[nodiscard]] Result<bool> Step();
  /// Runs the statement to completion (writes) and resets it, keeping the bindings, so that it
  /// can be bound and run again.
  [[nodiscard]] Status Run();
  /// Resets the statement to run again (bindings are kept).
  void Reset();

  [[nodiscard]] std::int64_t Int(int column) const;
  [[nodiscard]] double Double(int column) const;
  [[nodiscard]] std::optional<double> OptionalDouble(int column) const;
  [[nodiscard]] std::optional<std::int64_t> OptionalInt(int column) const;
  /// The column's text; "" for NULL. Valid until the next Step.
  [[nodiscard]] std::string_view Text(int column) const;
  [[nodiscard]] bool IsNull(int column) const;

 private:
  Connection* connection_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag; nullptr for a private statement (finalized here)
  bool copy_text_ = true;
};

/// One open database. Not thread-safe.
class Connection {
 public:
  /// Opens (or, when `create_if_missing`, creates) the database at `path` in WAL mode with
  /// foreign keys on, synchronous=NORMAL, a 5 s busy timeout, a 64 MiB page cache and reads
  /// through mmap (so a cold `list` does not copy every page it touches). A file that is not a
  /// SQLite database is kInvalidArgument naming the path; a missing file without
  /// `create_if_missing` is kNotFound.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                                bool create_if_missing);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// The cached prepared statement for `sql` (prepared on first use).
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  /// Runs one or more statements without caching (schema scripts).
  [[nodiscard]] Status ExecScript(const std::string& sql);
  /// Prepares (cached) and runs a statement without parameters.
  [[nodiscard]] Status Exec(std::string_view sql);

  [[nodiscard]] std::int64_t LastInsertId() const;
  [[nodiscard]] std::int64_t Changes() const;
  /// Rows inserted, updated or deleted through this connection since it was opened.
  [[nodiscard]] std::int64_t TotalChanges() const;
  /// True when no transaction is open (SQLite may end one by itself after some errors).
  [[nodiscard]] bool AutoCommit() const;
  [[nodiscard]] const std::string& path() const { return path_; }

  /// The citydip error for a SQLite result code, with the connection's message: busy and I/O
  /// errors are kUnavailable, unique violations kAlreadyExists, foreign key violations
  /// kFailedPrecondition, "not a database" kInvalidArgument, a missing table kFailedPrecondition.
  [[nodiscard]] Error ErrorFrom(int rc, std::string_view doing) const;

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> cache_;
};

/// Runs `sql` with `params` bound and returns `read(statement)` for each of its rows, in order.
template <typename Read>
auto ReadRows(Connection& conn, std::string_view sql, const SqlParams& params, Read read)
    -> Result<std::vector<std::invoke_result_t<Read&, const Statement&>>> {
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->BindAll(params);
  std::vector<std::invoke_result_t<Read&, const Statement&>> rows;
  while (true) {
    auto row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return rows;
    }
    rows.push_back(read(std::as_const(*stmt)));
  }
}

}  // namespace citydip::storage::sqlite
