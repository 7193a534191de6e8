#include "citydip/storage/sqlite/sqlite_auth_store.h"

#include <exception>
#include <string_view>
#include <utility>

#include "citydip/storage/sqlite/connection.h"

namespace citydip::storage::sqlite {
namespace {

// Own tables, created idempotently: the registry's migrations never see them as theirs, and they
// never change a registry table. STRICT keeps the column types honest.
constexpr std::string_view kAuthSchema = R"sql(
CREATE TABLE IF NOT EXISTS auth_users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS auth_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS auth_sessions_user ON auth_sessions (user_id);
CREATE TABLE IF NOT EXISTS auth_audit (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  kind      TEXT NOT NULL,
  record_id INTEGER NOT NULL DEFAULT 0,
  before    TEXT NOT NULL DEFAULT '',
  after     TEXT NOT NULL DEFAULT '',
  outcome   TEXT NOT NULL,
  detail    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX IF NOT EXISTS auth_audit_record ON auth_audit (kind, record_id);
CREATE INDEX IF NOT EXISTS auth_audit_outcome ON auth_audit (outcome);
)sql";

constexpr std::string_view kUserColumns = "id, name, role, password_hash, created_at";
constexpr std::string_view kAuditColumns =
    "id, at, actor, action, kind, record_id, before, after, outcome, detail";

UserRow ReadUser(const Statement& stmt) {
  UserRow user;
  user.id = stmt.Int(0);
  user.name = std::string(stmt.Text(1));
  user.role = std::string(stmt.Text(2));
  user.password_hash = std::string(stmt.Text(3));
  user.created_at = stmt.Int(4);
  return user;
}

AuditEntry ReadAudit(const Statement& stmt) {
  AuditEntry entry;
  entry.id = stmt.Int(0);
  entry.at = stmt.Int(1);
  entry.actor = std::string(stmt.Text(2));
  entry.action = std::string(stmt.Text(3));
  entry.kind = std::string(stmt.Text(4));
  entry.record_id = stmt.Int(5);
  entry.before = std::string(stmt.Text(6));
  entry.after = std::string(stmt.Text(7));
  entry.outcome = std::string(stmt.Text(8));
  entry.detail = std::string(stmt.Text(9));
  return entry;
}

// The WHERE clause and parameters of an audit query (values are always bound, never spliced).
std::string AuditWhere(const AuditQuery& query, SqlParams& params) {
  std::string where = " WHERE 1 = 1";
  if (!query.actor.empty()) {
    where += " AND actor = ?";
    params.emplace_back(query.actor);
  }
  if (!query.kind.empty()) {
    where += " AND kind = ?";
    params.emplace_back(query.kind);
  }
  if (query.record_id) {
    where += " AND record_id = ?";
    params.emplace_back(*query.record_id);
  }
  return where;
}

class SqliteAuthStore final : public AuthStore {
 public:
  explicit SqliteAuthStore(std::unique_ptr<Connection> connection) : db_(std::move(connection)) {}

  Status Migrate() override { return db_->ExecScript(std::string(kAuthSchema)); }

  Status InTransaction(const std::function<Status()>& work) override {
    if (auto begun = db_->Exec("BEGIN IMMEDIATE"); !begun) {
      return begun;
    }
    Status status;
    try {
      status = work();
    } catch (const std::exception& error) {  // roll back, then report; we do not throw
      status = Fail(ErrorCode::kInternal, std::string("unexpected exception: ") + error.what());
    }
    if (!status) {
      if (!db_->AutoCommit()) {
        (void)db_->Exec("ROLLBACK");
      }
      return status;
    }
    if (auto committed = db_->Exec("COMMIT"); !committed) {
      if (!db_->AutoCommit()) {
        (void)db_->Exec("ROLLBACK");
      }
      return committed;
    }
    return Ok();
  }

  Result<std::int64_t> InsertUser(const UserRow& user) override {
    auto stmt = db_->Prepare(
        "INSERT INTO auth_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)");
    if (!stmt) {
      return Fail(stmt.error());
    }
    if (auto status = stmt->Bind(user.name, user.role, user.password_hash, user.created_at).Run();
        !status) {
      if (status.error().code == ErrorCode::kAlreadyExists) {
        return Fail(ErrorCode::kAlreadyExists, "user '" + user.name + "' already exists", "name");
      }
      return Fail(status.error());
    }
    return db_->LastInsertId();
  }

  Result<std::optional<UserRow>> FindUser(const std::string& name) override {
    return OneUser("SELECT " + std::string(kUserColumns) + " FROM auth_users WHERE name = ?", name);
  }

  Result<std::optional<UserRow>> GetUser(std::int64_t id) override {
    return OneUser("SELECT " + std::string(kUserColumns) + " FROM auth_users WHERE id = ?", id);
  }

  Result<std::vector<UserRow>> ListUsers() override {
    return ReadRows(*db_, "SELECT " + std::string(kUserColumns) + " FROM auth_users ORDER BY name",
                    {}, ReadUser);
  }

  Status UpdateUser(const UserRow& user) override {
    auto stmt = db_->Prepare("UPDATE auth_users SET role = ?, password_hash = ? WHERE id = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    if (auto status = stmt->Bind(user.role, user.password_hash, user.id).Run(); !status) {
      return status;
    }
    if (db_->Changes() == 0) {
      return Fail(ErrorCode::kNotFound, "no user with id " + std::to_string(user.id), "id");
    }
    return Ok();
  }

  Status DeleteUser(std::int64_t id) override {
    // Sessions go with the user (ON DELETE CASCADE, foreign keys are on for every connection).
    auto stmt = db_->Prepare("DELETE FROM auth_users WHERE id = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    if (auto status = stmt->Bind(id).Run(); !status) {
      return status;
    }
    if (db_->Changes() == 0) {
      return Fail(ErrorCode::kNotFound, "no user with id " + std::to_string(id), "id");
    }
    return Ok();
  }

  Status InsertSession(const SessionRow& session) override {
    auto stmt = db_->Prepare(
        "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)");
    if (!stmt) {
      return Fail(stmt.error());
    }
    return stmt->Bind(session.token_hash, session.user_id, session.created_at, session.expires_at)
        .Run();
  }

  Result<std::optional<SessionRow>> FindSession(const std::string& token_hash) override {
    auto stmt = db_->Prepare(
        "SELECT token_hash, user_id, created_at, expires_at FROM auth_sessions "
        "WHERE token_hash = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(token_hash);
    auto row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return std::optional<SessionRow>();
    }
    SessionRow session;
    session.token_hash = std::string(stmt->Text(0));
    session.user_id = stmt->Int(1);
    session.created_at = stmt->Int(2);
    session.expires_at = stmt->Int(3);
    return std::optional<SessionRow>(std::move(session));
  }

  Status DeleteSession(const std::string& token_hash) override {
    auto stmt = db_->Prepare("DELETE FROM auth_sessions WHERE token_hash = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    return stmt->Bind(token_hash).Run();
  }

  Status DeleteUserSessions(std::int64_t user_id) override {
    auto stmt = db_->Prepare("DELETE FROM auth_sessions WHERE user_id = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    return stmt->Bind(user_id).Run();
  }

  Result<std::int64_t> DeleteExpiredSessions(std::int64_t now) override {
    auto stmt = db_->Prepare("DELETE FROM auth_sessions WHERE expires_at < ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    if (auto status = stmt->Bind(now).Run(); !status) {
      return Fail(status.error());
    }
    return db_->Changes();
  }

  Result<std::int64_t> AppendAudit(const AuditEntry& entry) override {
    auto stmt = db_->Prepare(
        "INSERT INTO auth_audit (at, actor, action, kind, record_id, before, after, outcome, "
        "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) {
      return Fail(stmt.error());
    }
    if (auto status = stmt->Bind(entry.at, entry.actor, entry.action, entry.kind, entry.record_id,
                                 entry.before, entry.after, entry.outcome, entry.detail)
                          .Run();
        !status) {
      return Fail(status.error());
    }
    return db_->LastInsertId();
  }

  Status FinishAudit(std::int64_t id,
                     const std::string& outcome,
                     std::int64_t record_id,
                     const std::string& after,
                     const std::string& detail) override {
    auto stmt = db_->Prepare(
        "UPDATE auth_audit SET outcome = ?, record_id = ?, after = ?, detail = ? WHERE id = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    if (auto status = stmt->Bind(outcome, record_id, after, detail, id).Run(); !status) {
      return status;
    }
    if (db_->Changes() == 0) {
      return Fail(ErrorCode::kNotFound, "no audit entry with id " + std::to_string(id), "id");
    }
    return Ok();
  }

  Result<std::optional<AuditEntry>> GetAudit(std::int64_t id) override {
    auto stmt =
        db_->Prepare("SELECT " + std::string(kAuditColumns) + " FROM auth_audit WHERE id = ?");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(id);
    auto row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return std::optional<AuditEntry>();
    }
    return std::optional<AuditEntry>(ReadAudit(*stmt));
  }

  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) override {
    SqlParams params;
    std::string sql = "SELECT " + std::string(kAuditColumns) + " FROM auth_audit" +
                      AuditWhere(query, params) + " ORDER BY id DESC LIMIT ? OFFSET ?";
    params.emplace_back(query.limit < 0 ? std::int64_t{-1} : query.limit);
    params.emplace_back(query.offset < 0 ? std::int64_t{0} : query.offset);
    return ManyAudit(sql, params);
  }

  Result<std::int64_t> CountAudit(const AuditQuery& query) override {
    SqlParams params;
    const std::string sql = "SELECT count(*) FROM auth_audit" + AuditWhere(query, params);
    auto stmt = db_->Prepare(sql);
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindAll(params);
    auto row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    return stmt->Int(0);
  }

  Result<std::vector<AuditEntry>> ListPendingAudit() override {
    return ManyAudit("SELECT " + std::string(kAuditColumns) +
                         " FROM auth_audit WHERE outcome = 'pending' ORDER BY id",
                     {});
  }

 private:
  template <typename Key>
  Result<std::optional<UserRow>> OneUser(const std::string& sql, const Key& key) {
    auto stmt = db_->Prepare(sql);
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(key);
    auto row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return std::optional<UserRow>();
    }
    return std::optional<UserRow>(ReadUser(*stmt));
  }

  Result<std::vector<AuditEntry>> ManyAudit(const std::string& sql, const SqlParams& params) {
    return ReadRows(*db_, sql, params, ReadAudit);
  }

  std::unique_ptr<Connection> db_;
};

}  // namespace

Result<std::unique_ptr<AuthStore>> OpenSqliteAuthStore(const std::string& path,
                                                       bool create_if_missing) {
  auto connection = Connection::Open(path, create_if_missing);
  if (!connection) {
    return Fail(connection.error());
  }
  auto store = std::make_unique<SqliteAuthStore>(std::move(*connection));
  if (auto migrated = store->Migrate(); !migrated) {
    return Fail(migrated.error());
  }
  return std::unique_ptr<AuthStore>(std::move(store));
}

}  // namespace citydip::storage::sqlite
