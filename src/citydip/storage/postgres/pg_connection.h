// A thin layer over libpq for the PostgreSQL store: one connection with cached prepared
// statements, text-format parameters and results, and the mapping of PostgreSQL errors
// (SQLSTATE classes, lost connections, failed logins) to citydip error codes with messages that
// name the server. Private to storage/postgres.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "citydip/core/result.h"

struct pg_conn;
struct pg_result;

namespace citydip::storage::postgres {

/// Where a URL points, for messages (never includes the password).
struct ServerAddress {
  std::string host;  // "127.0.0.1", or "local socket" when the URL names no host
  std::string port;  // "5432" when the URL names none
  std::string database;
  std::string user;

  /// "127.0.0.1:5432/citydip".
  [[nodiscard]] std::string HostPort() const;
};

/// Parses `url` with libpq's own parser (postgresql://, postgres:// or key=value). Fails with
/// kInvalidArgument naming the URL (password masked) and libpq's complaint.
[[nodiscard]] Result<ServerAddress> ParseServerAddress(const std::string& url);

/// `url` with any password replaced by "***", for messages.
[[nodiscard]] std::string MaskPassword(std::string_view url);

/// Text-format statement parameters ($1, $2, ...); nullopt is SQL NULL.
class Params {
 public:
  Params& Add(std::string_view text);
  Params& Add(const char* text) { return Add(std::string_view(text)); }
  Params& Add(const std::string& text) { return Add(std::string_view(text)); }
  Params& Add(std::int64_t value);
  Params& Add(int value) { return Add(static_cast<std::int64_t>(value)); }
  Params& Add(bool value);
  /// Shortest text that reads back as the same double.
  Params& Add(double value);
  Params& Add(std::optional<double> value);
  Params& AddNull();
  /// Text, or NULL when `text` is empty.
  Params& AddOrNull(std::string_view text);

  [[nodiscard]] const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

/// An owned query result (text format).
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  [[nodiscard]] int rows() const;
  [[nodiscard]] int columns() const;
  [[nodiscard]] bool IsNull(int row, int column) const;
  [[nodiscard]] std::string_view Text(int row, int column) const;
  /// Rows changed by an INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t Affected() const;

 private:
  pg_result* result_ = nullptr;
};

/// Reads one row's columns in order, remembering the first malformed value (kInternal).
class RowReader {
 public:
  RowReader(const PgResult& result, int row) : result_(result), row_(row) {}

  [[nodiscard]] bool IsNull() const { return result_.IsNull(row_, column_); }
  std::string Text();
  std::int64_t Int64();
  bool Bool();
  std::optional<double> OptionalDouble();
  /// NULL reads as "".
  std::string TextOrEmpty() { return Text(); }
  void Skip() { ++column_; }

  /// Ok, or the first column that could not be read.
  [[nodiscard]] Status status() const;

 private:
  void Bad(std::string_view what);

  const PgResult& result_;
  int row_ = 0;
  int column_ = 0;
  std::string error_;
};

/// One libpq connection.
class Connection {
 public:
  /// Connects. kInvalidArgument for a malformed URL, kUnauthenticated for rejected credentials,
  /// kNotFound for a missing database, kUnavailable when the server cannot be reached; every
  /// message names host:port and database.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(const std::string& url);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Runs one statement as a cached prepared statement with text parameters.
  [[nodiscard]] Result<PgResult> Exec(const std::string& sql, const Params& params = {});
  /// Runs one or more statements without parameters (simple query protocol: DDL, BEGIN, ...).
  [[nodiscard]] Status ExecScript(const std::string& sql);

  /// The SQLSTATE of the last failed statement ("" when it had none, e.g. a lost connection).
  [[nodiscard]] const std::string& last_sqlstate() const { return last_sqlstate_; }
  /// The constraint named by the last failed statement, if any.
  [[nodiscard]] const std::string& last_constraint() const { return last_constraint_; }

  /// Whether a lost connection may be re-established before the next statement (not inside a
  /// transaction, where the server has already rolled the work back).
  void set_reconnect_allowed(bool allowed) { reconnect_allowed_ = allowed; }
  /// Forgets cached prepared statements (after DDL that changes the tables they use).
  [[nodiscard]] Status ForgetPreparedStatements();

  /// The server's process id for this session.
  [[nodiscard]] int BackendPid() const;
  [[nodiscard]] const ServerAddress& address() const { return address_; }

 private:
  Connection() = default;

  [[nodiscard]] Status EnsureConnected();
  [[nodiscard]] Error ResultError(pg_result* result, std::string_view sql);
  [[nodiscard]] Error ConnectionLost(std::string_view detail) const;

  pg_conn* conn_ = nullptr;
  ServerAddress address_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
  int next_statement_ = 0;
  bool reconnect_allowed_ = true;
  std::string last_sqlstate_;
  std::string last_constraint_;
};

/// SQLSTATE values the store reacts to.
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kUndefinedTable = "42P01";

}  // namespace citydip::storage::postgres
