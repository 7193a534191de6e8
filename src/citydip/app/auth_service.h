// Users, roles, login sessions and the audit log: who may read, write and manage the registry.
// Roles are ordered: viewer (read) < editor (write records) < admin (manage users, read the
// audit log). Passwords are stored as libsodium Argon2id hashes (crypto_pwhash_str); a login
// hands out a random bearer token of which only a BLAKE2b hash is stored. Called by the HTTP
// server (login, every request) and the CLI (`citydip user ...`).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/core/result.h"
#include "citydip/storage/auth_store.h"

namespace citydip::app {

/// A user's role. Each role may do everything the lower ones may.
enum class Role : std::uint8_t { kViewer, kEditor, kAdmin };

/// "viewer", "editor", "admin".
[[nodiscard]] std::string_view RoleName(Role role);
/// Parses a role name; kInvalidArgument naming the text and the allowed names.
[[nodiscard]] Result<Role> ParseRole(std::string_view text);

/// Who makes a request: a logged-in user, or the anonymous reader of a `--public-read`
/// deployment (id 0, name "anonymous", role viewer), or a local administrator at the command line
/// (id 0, name "cli").
struct Actor {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kViewer;
};

/// A stored user, without its password hash.
struct User {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::int64_t created_at = 0;  // Unix seconds, UTC

  [[nodiscard]] Actor AsActor() const { return {id, name, role}; }
};

/// Fails with kPermissionDenied unless `actor` has at least `needed`, naming the action
/// ("write records") and the role it needs.
[[nodiscard]] Status RequireRole(const Actor& actor, Role needed, std::string_view action);

/// Argon2id cost. The default is libsodium's INTERACTIVE limits (2 passes, 64 MiB).
struct PasswordCost {
  unsigned long long ops_limit = 0;  // 0: crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t mem_limit = 0;         // 0: crypto_pwhash_MEMLIMIT_INTERACTIVE
};

/// Hashes a password (Argon2id with a random salt; the result carries salt and cost).
[[nodiscard]] Result<std::string> HashPassword(std::string_view password,
                                               const PasswordCost& cost = {});
/// True when `password` matches `hash` (constant-time inside libsodium).
[[nodiscard]] bool VerifyPassword(const std::string& hash, std::string_view password);
/// A random password of 20 characters from an unambiguous alphabet (about 110 bits).
[[nodiscard]] std::string GeneratePassword();
/// Fails with kInvalidArgument when a password is shorter than 10 characters, longer than 1024
/// bytes or not valid UTF-8.
[[nodiscard]] Status CheckPassword(std::string_view password);
/// Fails with kInvalidArgument unless a user name is 1–64 characters of letters, digits, '.',
/// '_', '-' and '@'.
[[nodiscard]] Status CheckUserName(std::string_view name);

/// A random bearer token: 32 bytes from libsodium's CSPRNG, base64url without padding.
[[nodiscard]] std::string NewToken();
/// The hex BLAKE2b-256 hash of a token, as stored.
[[nodiscard]] std::string HashToken(std::string_view token);

/// Counts failed logins per user name and client address in a sliding window, so that password
/// guessing is slowed down per account and per source. Thread-safe.
class LoginLimiter {
 public:
  /// `max_failures` failures within `window_seconds` lock further attempts until the oldest
  /// failure leaves the window.
  LoginLimiter(int max_failures, std::int64_t window_seconds);

  /// kResourceExhausted "too many failed logins for 'NAME' from ADDRESS; try again in N s" when
  /// locked, else Ok.
  [[nodiscard]] Status Check(const std::string& name, const std::string& client, std::int64_t now);
  void RecordFailure(const std::string& name, const std::string& client, std::int64_t now);
  /// A successful login clears the failures of that name and address.
  void RecordSuccess(const std::string& name, const std::string& client);

 private:
  int max_failures_;
  std::int64_t window_seconds_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::int64_t>> failures_;  // key: name + '\n' + client
};

struct AuthOptions {
  std::int64_t session_seconds = 8 * 3600;  // a login lasts a working day
  int max_failed_logins = 5;                // per user name and client address ...
  std::int64_t failed_login_window = 300;   // ... within this many seconds
  PasswordCost password_cost;
  /// Unix seconds now; the system clock when empty (tests set it).
  std::function<std::int64_t()> clock;
};

/// A successful login: the bearer token (shown once, never stored) and the session's end.
struct LoginResult {
  std::string token;
  User user;
  std::int64_t expires_at = 0;
};

/// One page of the audit log.
struct AuditPage {
  std::vector<storage::AuditEntry> items;
  std::int64_t total = 0;
};

/// The use cases around users and sessions. Thread-safe (the login limiter is shared); the
/// AuthStore passed to each call must belong to the calling thread.
class AuthService {
 public:
  explicit AuthService(AuthOptions options = {});

  /// Unix seconds now (the options' clock).
  [[nodiscard]] std::int64_t Now() const;

  /// Adds a user; `by` is recorded in the audit log. Only admins may add users (the CLI acts as
  /// a local admin). kAlreadyExists for a taken name.
  [[nodiscard]] Result<User> AddUser(storage::AuthStore& store,
                                     const Actor& by,
                                     const std::string& name,
                                     Role role,
                                     const std::string& password);
  /// Changes a user's role and/or password (admins only). Ends the user's sessions. Refuses to
  /// take the admin role from the last admin.
  [[nodiscard]] Result<User> UpdateUser(storage::AuthStore& store,
                                        const Actor& by,
                                        const std::string& name,
                                        std::optional<Role> role,
                                        const std::optional<std::string>& password);
  /// Deletes a user and its sessions (admins only). Refuses to delete the last admin.
  [[nodiscard]] Status DeleteUser(storage::AuthStore& store,
                                  const Actor& by,
                                  const std::string& name);
  /// All users (admins only).
  [[nodiscard]] Result<std::vector<User>> ListUsers(storage::AuthStore& store, const Actor& by);

  /// Checks a password and opens a session. Wrong name and wrong password fail alike with
  /// kUnauthenticated "wrong user name or password" (and take the same time); too many failures
  /// for the name from `client` fail with kResourceExhausted before the password is checked.
  [[nodiscard]] Result<LoginResult> Login(storage::AuthStore& store,
                                          const std::string& name,
                                          const std::string& password,
                                          const std::string& client);
  /// The user whose live session `token` opened; kUnauthenticated for an unknown or expired
  /// token or a deleted user.
  [[nodiscard]] Result<User> Authenticate(storage::AuthStore& store, std::string_view token);
  /// Ends the session of `token` (unknown tokens are fine: logging out twice is not an error).
  [[nodiscard]] Status Logout(storage::AuthStore& store, std::string_view token);

  /// Audit entries, newest first (admins only).
  [[nodiscard]] Result<AuditPage> ListAudit(storage::AuthStore& store,
                                            const Actor& by,
                                            const storage::AuditQuery& query);

 private:
  [[nodiscard]] Status AuditUserChange(storage::AuthStore& store,
                                       const Actor& by,
                                       const std::string& action,
                                       std::int64_t user_id,
                                       const nlohmann::json& before,
                                       const nlohmann::json& after);
  [[nodiscard]] Result<std::int64_t> CountAdmins(storage::AuthStore& store);

  AuthOptions options_;
  LoginLimiter limiter_;
  std::string dummy_hash_;  // verified against when the user does not exist (same timing)
};

/// JSON forms (docs/http-api.md).
[[nodiscard]] nlohmann::json ToJson(const User& user);
[[nodiscard]] nlohmann::json ToJson(const storage::AuditEntry& entry);
[[nodiscard]] nlohmann::json ToJson(const AuditPage& page);

}  // namespace citydip::app
