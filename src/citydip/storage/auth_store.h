// The store of users, login sessions and the audit log ("port"), kept apart from the registry
// Store so that the registry backends stay about the registry. Backend: storage/sqlite (its own
// tables in the registry's database file, its own connection). The app layer (auth_service,
// record_service) gives the rows their meaning; this layer only keeps them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::storage {

/// A user account. `role` is the app layer's code ("viewer", "editor", "admin");
/// `password_hash` a libsodium crypto_pwhash_str string (Argon2id, salt and limits included).
struct UserRow {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  std::string password_hash;
  std::int64_t created_at = 0;  // Unix seconds, UTC
};

/// A login session. Only a hash of the bearer token is kept, so a copy of the database does not
/// hand out sessions.
struct SessionRow {
  std::string token_hash;  // hex
  std::int64_t user_id = 0;
  std::int64_t created_at = 0;  // Unix seconds, UTC
  std::int64_t expires_at = 0;  // Unix seconds, UTC
};

/// One audited write: who did what to which record, the record before and after (JSON text), and
/// how it ended. Record writes are logged ahead ("pending") and finished afterwards, because the
/// registry Store may be another connection or another database (see record_service.h).
struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;  // Unix seconds, UTC
  std::string actor;    // user name
  std::string action;   // "create", "update", "delete", "user_add", "user_update", ...
  std::string kind;     // record kind ("events") or "users"
  std::int64_t record_id = 0;
  std::string before;   // JSON text; "" when there was nothing before
  std::string after;    // JSON text; "" when nothing is left after
  std::string outcome;  // "pending", "committed", "failed", "interrupted"
  std::string detail;   // the error message of a failed write
};

/// Which audit entries to list, newest first. Empty fields do not filter.
struct AuditQuery {
  std::string actor;
  std::string kind;
  std::optional<std::int64_t> record_id;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

/// Users, sessions and audit entries. Not thread-safe: one AuthStore per thread (several may be
/// open on one database; the backend serializes writers).
///
/// Errors: kUnavailable when the database cannot be reached; kAlreadyExists for a user name that
/// is taken; kNotFound for an unknown user id.
class AuthStore {
 public:
  AuthStore() = default;
  AuthStore(const AuthStore&) = delete;
  AuthStore& operator=(const AuthStore&) = delete;
  virtual ~AuthStore() = default;

  /// Creates the tables when missing (idempotent; never touches the registry's tables).
  [[nodiscard]] virtual Status Migrate() = 0;
  /// Runs `work` in one transaction: commits when it succeeds, rolls back when it fails, so a
  /// user change and its audit entry are stored together or not at all. Not reentrant.
  [[nodiscard]] virtual Status InTransaction(const std::function<Status()>& work) = 0;

  /// Stores a new user and returns its id.
  [[nodiscard]] virtual Result<std::int64_t> InsertUser(const UserRow& user) = 0;
  /// The user with this exact name, or nullopt.
  [[nodiscard]] virtual Result<std::optional<UserRow>> FindUser(const std::string& name) = 0;
  /// The user with this id, or nullopt.
  [[nodiscard]] virtual Result<std::optional<UserRow>> GetUser(std::int64_t id) = 0;
  /// All users, by name.
  [[nodiscard]] virtual Result<std::vector<UserRow>> ListUsers() = 0;
  /// Replaces the role and password hash of the user with `user.id`.
  [[nodiscard]] virtual Status UpdateUser(const UserRow& user) = 0;
  /// Deletes a user and all of its sessions.
  [[nodiscard]] virtual Status DeleteUser(std::int64_t id) = 0;

  [[nodiscard]] virtual Status InsertSession(const SessionRow& session) = 0;
  /// The session whose token hash is `token_hash`, or nullopt (expired ones included).
  [[nodiscard]] virtual Result<std::optional<SessionRow>> FindSession(
      const std::string& token_hash) = 0;
  [[nodiscard]] virtual Status DeleteSession(const std::string& token_hash) = 0;
  /// Deletes every session of a user (after a password or role change).
  [[nodiscard]] virtual Status DeleteUserSessions(std::int64_t user_id) = 0;
  /// Deletes sessions that expired before `now`; returns how many.
  [[nodiscard]] virtual Result<std::int64_t> DeleteExpiredSessions(std::int64_t now) = 0;

  /// Appends an entry and returns its id.
  [[nodiscard]] virtual Result<std::int64_t> AppendAudit(const AuditEntry& entry) = 0;
  /// Sets the outcome, record id, after-state and detail of an entry (finishing a pending one).
  [[nodiscard]] virtual Status FinishAudit(std::int64_t id,
                                           const std::string& outcome,
                                           std::int64_t record_id,
                                           const std::string& after,
                                           const std::string& detail) = 0;
  /// The entry with this id, or nullopt.
  [[nodiscard]] virtual Result<std::optional<AuditEntry>> GetAudit(std::int64_t id) = 0;
  /// Entries matching `query`, newest first, with paging.
  [[nodiscard]] virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) = 0;
  /// Number of entries matching `query`, ignoring paging.
  [[nodiscard]] virtual Result<std::int64_t> CountAudit(const AuditQuery& query) = 0;
  /// Entries still "pending" (a write whose outcome was never recorded), oldest first.
  [[nodiscard]] virtual Result<std::vector<AuditEntry>> ListPendingAudit() = 0;
};

}  // namespace citydip::storage
