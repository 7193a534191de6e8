#include "citydip/storage/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace citydip::storage::postgres {
namespace {

/// libpq messages are multi-line with tabs and "ERROR:  "-style prefixes; make them one line,
/// the lines joined by "; ", each starting lower-case (citydip's message style).
std::string OneLine(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string line;
    bool space = false;
    for (char c : text.substr(start, end - start)) {
      if (c == '\t' || c == '\r' || c == ' ') {
        space = !line.empty();
        continue;
      }
      if (space) {
        line += ' ';
        space = false;
      }
      line += c;
    }
    for (std::string_view prefix : {"FATAL: ", "ERROR: ", "DETAIL: ", "HINT: "}) {
      while (line.starts_with(prefix)) {
        line.erase(0, prefix.size());
      }
    }
    // "Connection refused" → "connection refused", but keep acronyms ("SSL", "TCP/IP").
    if (!line.empty() && line[0] >= 'A' && line[0] <= 'Z' &&
        (line.size() < 2 || line[1] < 'A' || line[1] > 'Z')) {
      line[0] = static_cast<char>(line[0] - 'A' + 'a');
    }
    if (!line.empty()) {
      out += (out.empty() ? "" : "; ") + line;
    }
    start = end + 1;
  }
  return out;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

struct ConninfoFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

ErrorCode CodeForSqlState(std::string_view state) {
  if (state.empty()) {
    return ErrorCode::kInternal;
  }
  const std::string_view klass = state.substr(0, 2);
  if (klass == "08" || klass == "53" || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "57014" || state == "55P03") {
    return ErrorCode::kUnavailable;
  }
  if (state == "40001" || state == "40P01") {
    return ErrorCode::kConflict;
  }
  if (state == kUniqueViolation) {
    return ErrorCode::kAlreadyExists;
  }
  if (state == kForeignKeyViolation || state == kUndefinedTable || state == "25006") {
    return ErrorCode::kFailedPrecondition;
  }
  if (klass == "23" || klass == "22") {
    return ErrorCode::kInvalidArgument;
  }
  if (klass == "28") {
    return ErrorCode::kUnauthenticated;
  }
  if (state == "42501") {
    return ErrorCode::kPermissionDenied;
  }
  return ErrorCode::kInternal;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Addresses

std::string ServerAddress::HostPort() const {
  return host + ":" + port + "/" + database;
}

std::string MaskPassword(std::string_view url) {
  // postgresql://user:secret@host/db → postgresql://user:***@host/db
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t at = url.find('@', start);
    const std::size_t slash = url.find('/', start);
    if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
      const std::size_t colon = url.find(':', start);
      if (colon != std::string_view::npos && colon < at) {
        return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
      }
    }
  }
  std::string out(url);
  // key=value form, and ?password=... in a URL
  for (std::string_view key : {"password="}) {
    std::size_t pos = out.find(key);
    while (pos != std::string::npos) {
      const std::size_t value = pos + key.size();
      std::size_t end = out.find_first_of(" &", value);
      if (end == std::string::npos) {
        end = out.size();
      }
      out.replace(value, end - value, "***");
      pos = out.find(key, value + 3);
    }
  }
  return out;
}

Result<ServerAddress> ParseServerAddress(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoFree> options(PQconninfoParse(url.c_str(), &error));
  if (!options) {
    std::string why = error != nullptr ? OneLine(error) : "out of memory";
    PQfreemem(error);
    // libpq quotes the whole URI, password included.
    for (std::size_t pos = why.find(url); pos != std::string::npos; pos = why.find(url, pos)) {
      const std::string masked = MaskPassword(url);
      why.replace(pos, url.size(), masked);
      pos += masked.size();
    }
    return Fail(ErrorCode::kInvalidArgument,
                "'" + MaskPassword(url) + "' is not a valid PostgreSQL URL: " + why +
                    " (expected postgresql://USER@HOST:PORT/DATABASE)");
  }
  ServerAddress address;
  for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    const std::string_view keyword = option->keyword;
    const std::string value = option->val != nullptr ? option->val : "";
    if (keyword == "host" || (keyword == "hostaddr" && address.host.empty())) {
      address.host = value;
    } else if (keyword == "port") {
      address.port = value;
    } else if (keyword == "dbname") {
      address.database = value;
    } else if (keyword == "user") {
      address.user = value;
    }
  }
  // libpq's defaults, for messages.
  auto from_env = [](const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
  };
  if (address.host.empty()) {
    address.host = from_env("PGHOST", "local socket");
  }
  if (address.port.empty()) {
    address.port = from_env("PGPORT", "5432");
  }
  if (address.user.empty()) {
    address.user = from_env("PGUSER", "");
  }
  if (address.database.empty()) {
    address.database = from_env("PGDATABASE", address.user);
  }
  return address;
}

// ---------------------------------------------------------------------------------------------
// Params

Params& Params::Add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

Params& Params::Add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Add(bool value) {
  values_.emplace_back(value ? "true" : "false");
  return *this;
}

Params& Params::Add(double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  values_.emplace_back(ec == std::errc() ? std::string(buffer.data(), end) : std::string("NaN"));
  return *this;
}

Params& Params::Add(std::optional<double> value) {
  return value ? Add(*value) : AddNull();
}

Params& Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::AddOrNull(std::string_view text) {
  return text.empty() ? AddNull() : Add(text);
}

// ---------------------------------------------------------------------------------------------
// Results

PgResult::PgResult(pg_result* result) : result_(result) {}

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

PgResult::~PgResult() {
  PQclear(result_);
}

int PgResult::rows() const {
  return result_ != nullptr ? PQntuples(result_) : 0;
}

int PgResult::columns() const {
  return result_ != nullptr ? PQnfields(result_) : 0;
}

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string_view PgResult::Text(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t PgResult::Affected() const {
  const char* text = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

void RowReader::Bad(std::string_view what) {
  if (error_.empty()) {
    error_ = "column " + std::to_string(column_ + 1) + " holds " + std::string(what);
  }
}

std::string RowReader::Text() {
  std::string value(result_.Text(row_, column_));
  ++column_;
  return value;
}

std::int64_t RowReader::Int64() {
  const std::string_view text = result_.Text(row_, column_);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    Bad("'" + std::string(text) + "', not an integer");
  }
  ++column_;
  return value;
}

bool RowReader::Bool() {
  const std::string_view text = result_.Text(row_, column_);
  if (text != "t" && text != "f") {
    Bad("'" + std::string(text) + "', not a boolean");
  }
  ++column_;
  return text == "t";
}

std::optional<double> RowReader::OptionalDouble() {
  if (result_.IsNull(row_, column_)) {
    ++column_;
    return std::nullopt;
  }
  const std::string_view text = result_.Text(row_, column_);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    Bad("'" + std::string(text) + "', not a number");
  }
  ++column_;
  return value;
}

Status RowReader::status() const {
  if (error_.empty()) {
    return Ok();
  }
  return Fail(ErrorCode::kInternal, "unexpected value in a PostgreSQL result: " + error_);
}

// ---------------------------------------------------------------------------------------------
// Connection

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  auto address = ParseServerAddress(url);
  if (!address) {
    return Fail(address.error());
  }
  std::unique_ptr<Connection> connection(new Connection());
  connection->address_ = *address;
  // Earlier keywords are defaults that the URL (expanded from dbname) may override.
  // A writer waiting for a row another session holds gives up after 10 s (kUnavailable, as
  // SQLite's busy timeout) instead of hanging an API request for good.
  const char* keywords[] = {"connect_timeout", "fallback_application_name",
                            "client_encoding", "options",
                            "dbname",          nullptr};
  const char* values[] = {"10", "citydip", "UTF8", "-c lock_timeout=10s", url.c_str(), nullptr};
  connection->conn_ = PQconnectdbParams(keywords, values, 1);
  if (connection->conn_ == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                "cannot connect to PostgreSQL at " + address->HostPort() + ": out of memory");
  }
  if (PQstatus(connection->conn_) != CONNECTION_OK) {
    const std::string raw = PQerrorMessage(connection->conn_);
    std::string why = OneLine(raw);
    // libpq words it 'connection to server at "h" (1.2.3.4), port 5432 failed: WHY'; we name the
    // server ourselves.
    if (const std::size_t failed = why.find(" failed: ");
        why.starts_with("connection to server") && failed != std::string::npos) {
      why = OneLine(why.substr(failed + 9));
    }
    const std::string who =
        "PostgreSQL at " + address->HostPort() +
        (address->user.empty() ? std::string() : " as user '" + address->user + "'");
    if (PQconnectionNeedsPassword(connection->conn_) != 0 ||
        Contains(raw, "authentication failed") || Contains(raw, "no password supplied") ||
        (Contains(raw, "role \"") && Contains(raw, "does not exist"))) {
      return Fail(ErrorCode::kUnauthenticated,
                  "cannot log in to " + who + ": " + why +
                      " (check the user and password in the URL, PGPASSWORD or ~/.pgpass)");
    }
    if (Contains(raw, "database \"") && Contains(raw, "does not exist")) {
      return Fail(ErrorCode::kNotFound, "cannot open " + who + ": " + why +
                                            " (create it first, e.g. createdb " +
                                            address->database + ")");
    }
    return Fail(ErrorCode::kUnavailable, "cannot connect to " + who + ": " + why);
  }
  if (PQserverVersion(connection->conn_) < 100000) {
    return Fail(ErrorCode::kFailedPrecondition,
                "server at " + address->HostPort() + " runs PostgreSQL version number " +
                    std::to_string(PQserverVersion(connection->conn_)) +
                    "; citydip needs PostgreSQL 10 or newer");
  }
  if (auto quiet = connection->ExecScript("SET client_min_messages = warning"); !quiet) {
    return Fail(quiet.error());
  }
  return connection;
}

Connection::~Connection() {
  if (conn_ != nullptr) {
    PQfinish(conn_);
  }
}

Error Connection::ConnectionLost(std::string_view detail) const {
  std::string message = "lost the connection to PostgreSQL at " + address_.HostPort();
  if (!detail.empty()) {
    message += " (" + std::string(detail) + ")";
  }
  message += "; the server rolled back the unfinished transaction";
  return Error{ErrorCode::kUnavailable, std::move(message), {}};
}

Status Connection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) {
    return Ok();
  }
  if (!reconnect_allowed_) {
    return Fail(ConnectionLost(OneLine(PQerrorMessage(conn_))));
  }
  PQreset(conn_);
  prepared_.clear();
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Fail(ErrorCode::kUnavailable, "cannot reconnect to PostgreSQL at " +
                                             address_.HostPort() + ": " +
                                             OneLine(PQerrorMessage(conn_)));
  }
  return ExecScript("SET client_min_messages = warning");
}

Error Connection::ResultError(pg_result* result, std::string_view sql) {
  last_sqlstate_.clear();
  last_constraint_.clear();
  std::string primary;
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE); state != nullptr) {
      last_sqlstate_ = state;
    }
    if (const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
        constraint != nullptr) {
      last_constraint_ = constraint;
    }
    if (const char* text = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY); text != nullptr) {
      primary = OneLine(text);
    }
  }
  if (primary.empty()) {
    primary = OneLine(PQerrorMessage(conn_));
  }
  if (PQstatus(conn_) == CONNECTION_BAD || last_sqlstate_.starts_with("08") ||
      last_sqlstate_ == "57P01" || last_sqlstate_ == "57P02") {
    return ConnectionLost(primary);
  }
  const ErrorCode code = CodeForSqlState(last_sqlstate_);
  std::string message =
      "statement refused by PostgreSQL at " + address_.HostPort() + ": " + primary;
  if (!last_sqlstate_.empty()) {
    message += " (SQLSTATE " + last_sqlstate_ + ")";
  }
  if (last_sqlstate_ == "55P03") {
    message = "record held by another session's unfinished transaction at PostgreSQL " +
              address_.HostPort() + " (" + primary + "); try again";
  }
  if (code == ErrorCode::kFailedPrecondition && last_sqlstate_ == kUndefinedTable) {
    message += "; the database has no citydip schema (run 'citydip init')";
  }
  if (code == ErrorCode::kInternal) {
    std::string_view head = sql.substr(0, 80);
    message += " in '" + std::string(head) + (sql.size() > 80 ? "...'" : "'");
  }
  return Error{code, std::move(message), {}};
}

Result<PgResult> Connection::Exec(const std::string& sql, const Params& params) {
  if (auto connected = EnsureConnected(); !connected) {
    return Fail(connected.error());
  }
  std::string name;
  if (auto found = prepared_.find(sql); found != prepared_.end()) {
    name = found->second;
  } else {
    name = "citydip_" + std::to_string(++next_statement_);
    pg_result* prepared = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
      Error error = ResultError(prepared, sql);
      PQclear(prepared);
      return Fail(std::move(error));
    }
    PQclear(prepared);
    prepared_.emplace(sql, name);
  }
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& value : params.values()) {
    values.push_back(value ? value->c_str() : nullptr);
  }
  pg_result* result = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                     values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = ResultError(result, sql);
    PQclear(result);
    return Fail(std::move(error));
  }
  return PgResult(result);
}

Status Connection::ExecScript(const std::string& sql) {
  if (auto connected = EnsureConnected(); !connected) {
    return Fail(connected.error());
  }
  pg_result* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = ResultError(result, sql);
    PQclear(result);
    return Fail(std::move(error));
  }
  PQclear(result);
  return Ok();
}

Status Connection::ForgetPreparedStatements() {
  prepared_.clear();
  return ExecScript("DEALLOCATE ALL");
}

int Connection::BackendPid() const {
  return PQbackendPID(conn_);
}

}  // namespace citydip::storage::postgres
