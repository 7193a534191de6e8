#include "citydip/app/auth_service.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <utility>

#include "citydip/core/text.h"

namespace citydip::app {
namespace {

constexpr std::size_t kMinPasswordLength = 10;
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxUserNameLength = 64;
constexpr std::size_t kTokenBytes = 32;

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string IsoTime(std::int64_t seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  std::array<char, 32> buffer{};
  const auto size = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer.data(), size);
}

Result<User> ToUser(const storage::UserRow& row) {
  auto role = ParseRole(row.role);
  if (!role) {
    return Fail(ErrorCode::kInternal,
                "user '" + row.name + "' has an unknown stored role '" + row.role + "'", "role");
  }
  return User{row.id, row.name, *role, row.created_at};
}

nlohmann::json UserState(const storage::UserRow& row) {
  return {{"name", row.name}, {"role", row.role}};
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

Result<Role> ParseRole(std::string_view text) {
  for (Role role : {Role::kViewer, Role::kEditor, Role::kAdmin}) {
    if (RoleName(role) == text) {
      return role;
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) + "' is not a valid role (expected viewer, editor, admin)",
              "role");
}

Status RequireRole(const Actor& actor, Role needed, std::string_view action) {
  if (actor.role >= needed) {
    return Ok();
  }
  return Fail(ErrorCode::kPermissionDenied, "user '" + actor.name + "' (role " +
                                                std::string(RoleName(actor.role)) + ") may not " +
                                                std::string(action) + " (needs role " +
                                                std::string(RoleName(needed)) + ")");
}

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  if (!SodiumReady()) {
    return Fail(ErrorCode::kInternal, "libsodium could not be initialized");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  const auto ops = cost.ops_limit != 0 ? cost.ops_limit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const auto mem = cost.mem_limit != 0 ? cost.mem_limit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), ops, mem) != 0) {
    return Fail(ErrorCode::kResourceExhausted,
                "cannot hash the password: not enough memory for Argon2id (" +
                    std::to_string(mem / (1024 * 1024)) + " MiB)");
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (!SodiumReady() || hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  std::copy(hash.begin(), hash.end(), stored.begin());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

std::string GeneratePassword() {
  // No 0/O, 1/l/I: the password may be read off a terminal and typed.
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  (void)SodiumReady();
  std::string password;
  for (int i = 0; i < 20; ++i) {
    password += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return password;
}

Status CheckPassword(std::string_view password) {
  if (FindInvalidUtf8(password)) {
    return Fail(ErrorCode::kInvalidArgument, "the password is not valid UTF-8", "password");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "the password is " + std::to_string(password.size()) + " bytes long (expected " +
                    std::to_string(kMaxPasswordBytes) + " at most)",
                "password");
  }
  // Characters, not bytes: a Korean passphrase counts what a person types.
  const auto characters = static_cast<std::size_t>(
      std::count_if(password.begin(), password.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  if (characters < kMinPasswordLength) {
    return Fail(ErrorCode::kInvalidArgument,
                "the password has " + std::to_string(characters) +
                    " characters (expected at least " + std::to_string(kMinPasswordLength) + ")",
                "password");
  }
  return Ok();
}

Status CheckUserName(std::string_view name) {
  const bool allowed = !name.empty() && name.size() <= kMaxUserNameLength &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
                                c == '@';
                       });
  if (!allowed) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + std::string(name) +
                    "' is not a valid user name (expected 1-64 letters, digits, '.', '_', '-', "
                    "'@')",
                "username");
  }
  return Ok();
}

std::string NewToken() {
  (void)SodiumReady();
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string out(sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

std::string HashToken(std::string_view token) {
  (void)SodiumReady();
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(hash.data(), hash.size());
}

// ---- LoginLimiter -------------------------------------------------------------------------------

LoginLimiter::LoginLimiter(int max_failures, std::int64_t window_seconds)
    : max_failures_(max_failures), window_seconds_(window_seconds) {}

Status LoginLimiter::Check(const std::string& name, const std::string& client, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(name + '\n' + client);
  if (it == failures_.end()) {
    return Ok();
  }
  auto& times = it->second;
  std::erase_if(times, [&](std::int64_t t) { return t <= now - window_seconds_; });
  if (static_cast<int>(times.size()) < max_failures_) {
    return Ok();
  }
  const std::int64_t wait = times.front() + window_seconds_ - now;
  return Fail(ErrorCode::kResourceExhausted,
              "too many failed logins for '" + name + "' from " + client + "; try again in " +
                  std::to_string(std::max<std::int64_t>(wait, 1)) + " s",
              "username");
}

void LoginLimiter::RecordFailure(const std::string& name,
                                 const std::string& client,
                                 std::int64_t now) {
  std::lock_guard lock(mutex_);
  // Bound the memory an attacker can make us spend on made-up names.
  if (failures_.size() > 100000) {
    std::erase_if(failures_, [&](const auto& entry) {
      return entry.second.empty() || entry.second.back() <= now - window_seconds_;
    });
  }
  auto& times = failures_[name + '\n' + client];
  times.push_back(now);
  if (static_cast<int>(times.size()) > max_failures_) {
    times.erase(times.begin());
  }
}

void LoginLimiter::RecordSuccess(const std::string& name, const std::string& client) {
  std::lock_guard lock(mutex_);
  failures_.erase(name + '\n' + client);
}

// ---- AuthService --------------------------------------------------------------------------------

AuthService::AuthService(AuthOptions options)
    : options_(std::move(options)),
      limiter_(options_.max_failed_logins, options_.failed_login_window) {
  // A hash of a random password with the same cost, so that an unknown name costs as much as a
  // wrong password.
  if (auto hash = HashPassword(NewToken(), options_.password_cost)) {
    dummy_hash_ = *hash;
  }
}

std::int64_t AuthService::Now() const {
  return options_.clock ? options_.clock() : SystemNow();
}

Status AuthService::AuditUserChange(storage::AuthStore& store,
                                    const Actor& by,
                                    const std::string& action,
                                    std::int64_t user_id,
                                    const nlohmann::json& before,
                                    const nlohmann::json& after) {
  storage::AuditEntry entry;
  entry.at = Now();
  entry.actor = by.name;
  entry.action = action;
  entry.kind = "users";
  entry.record_id = user_id;
  entry.before =
      before.is_null() ? "" : before.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  entry.after =
      after.is_null() ? "" : after.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  entry.outcome = "committed";
  auto id = store.AppendAudit(entry);
  if (!id) {
    return Fail(id.error());
  }
  return Ok();
}

Result<std::int64_t> AuthService::CountAdmins(storage::AuthStore& store) {
  auto users = store.ListUsers();
  if (!users) {
    return Fail(users.error());
  }
  return static_cast<std::int64_t>(std::count_if(
      users->begin(), users->end(),
      [](const storage::UserRow& user) { return user.role == RoleName(Role::kAdmin); }));
}

Result<User> AuthService::AddUser(storage::AuthStore& store,
                                  const Actor& by,
                                  const std::string& name,
                                  Role role,
                                  const std::string& password) {
  if (auto allowed = RequireRole(by, Role::kAdmin, "manage users"); !allowed) {
    return Fail(allowed.error());
  }
  if (auto ok = CheckUserName(name); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = CheckPassword(password); !ok) {
    return Fail(ok.error());
  }
  auto hash = HashPassword(password, options_.password_cost);
  if (!hash) {
    return Fail(hash.error());
  }
  storage::UserRow row;
  row.name = name;
  row.role = std::string(RoleName(role));
  row.password_hash = *hash;
  row.created_at = Now();
  auto status = store.InTransaction([&]() -> Status {
    auto id = store.InsertUser(row);
    if (!id) {
      return Fail(id.error());
    }
    row.id = *id;
    return AuditUserChange(store, by, "user_add", row.id, nullptr, UserState(row));
  });
  if (!status) {
    return Fail(status.error());
  }
  return ToUser(row);
}

Result<User> AuthService::UpdateUser(storage::AuthStore& store,
                                     const Actor& by,
                                     const std::string& name,
                                     std::optional<Role> role,
                                     const std::optional<std::string>& password) {
  if (auto allowed = RequireRole(by, Role::kAdmin, "manage users"); !allowed) {
    return Fail(allowed.error());
  }
  if (password) {
    if (auto ok = CheckPassword(*password); !ok) {
      return Fail(ok.error());
    }
  }
  std::string new_hash;
  if (password) {
    auto hash = HashPassword(*password, options_.password_cost);
    if (!hash) {
      return Fail(hash.error());
    }
    new_hash = *hash;
  }
  storage::UserRow updated;
  auto status = store.InTransaction([&]() -> Status {
    auto found = store.FindUser(name);
    if (!found) {
      return Fail(found.error());
    }
    if (!*found) {
      return Fail(ErrorCode::kNotFound, "no user named '" + name + "'", "username");
    }
    const storage::UserRow before = **found;
    updated = before;
    if (role) {
      updated.role = std::string(RoleName(*role));
    }
    if (password) {
      updated.password_hash = new_hash;
    }
    if (before.role == RoleName(Role::kAdmin) && updated.role != before.role) {
      auto admins = CountAdmins(store);
      if (!admins) {
        return Fail(admins.error());
      }
      if (*admins <= 1) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "'" + name + "' is the last admin (add another admin first)", "role");
      }
    }
    if (auto ok = store.UpdateUser(updated); !ok) {
      return ok;
    }
    if (auto ok = store.DeleteUserSessions(updated.id); !ok) {
      return ok;
    }
    nlohmann::json after = UserState(updated);
    if (password) {
      after["password_changed"] = true;
    }
    return AuditUserChange(store, by, "user_update", updated.id, UserState(before), after);
  });
  if (!status) {
    return Fail(status.error());
  }
  return ToUser(updated);
}

Status AuthService::DeleteUser(storage::AuthStore& store,
                               const Actor& by,
                               const std::string& name) {
  if (auto allowed = RequireRole(by, Role::kAdmin, "manage users"); !allowed) {
    return allowed;
  }
  return store.InTransaction([&]() -> Status {
    auto found = store.FindUser(name);
    if (!found) {
      return Fail(found.error());
    }
    if (!*found) {
      return Fail(ErrorCode::kNotFound, "no user named '" + name + "'", "username");
    }
    if ((*found)->role == RoleName(Role::kAdmin)) {
      auto admins = CountAdmins(store);
      if (!admins) {
        return Fail(admins.error());
      }
      if (*admins <= 1) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "'" + name + "' is the last admin (add another admin first)", "username");
      }
    }
    if (auto ok = store.DeleteUser((*found)->id); !ok) {
      return ok;
    }
    return AuditUserChange(store, by, "user_delete", (*found)->id, UserState(**found), nullptr);
  });
}

Result<std::vector<User>> AuthService::ListUsers(storage::AuthStore& store, const Actor& by) {
  if (auto allowed = RequireRole(by, Role::kAdmin, "manage users"); !allowed) {
    return Fail(allowed.error());
  }
  auto rows = store.ListUsers();
  if (!rows) {
    return Fail(rows.error());
  }
  std::vector<User> users;
  for (const auto& row : *rows) {
    auto user = ToUser(row);
    if (!user) {
      return Fail(user.error());
    }
    users.push_back(std::move(*user));
  }
  return users;
}

Result<LoginResult> AuthService::Login(storage::AuthStore& store,
                                       const std::string& name,
                                       const std::string& password,
                                       const std::string& client) {
  const std::int64_t now = Now();
  if (auto allowed = limiter_.Check(name, client, now); !allowed) {
    return Fail(allowed.error());
  }
  auto found = store.FindUser(name);
  if (!found) {
    return Fail(found.error());
  }
  // Verify against a dummy hash for unknown names, so both failures take as long.
  const bool match = VerifyPassword(*found ? (*found)->password_hash : dummy_hash_, password);
  if (!*found || !match) {
    limiter_.RecordFailure(name, client, now);
    return Fail(ErrorCode::kUnauthenticated, "wrong user name or password", "password");
  }
  limiter_.RecordSuccess(name, client);
  auto user = ToUser(**found);
  if (!user) {
    return Fail(user.error());
  }
  (void)store.DeleteExpiredSessions(now);  // housekeeping; a failure here does not stop a login
  LoginResult result;
  result.token = NewToken();
  result.user = *user;
  result.expires_at = now + options_.session_seconds;
  storage::SessionRow session;
  session.token_hash = HashToken(result.token);
  session.user_id = user->id;
  session.created_at = now;
  session.expires_at = result.expires_at;
  if (auto stored = store.InsertSession(session); !stored) {
    return Fail(stored.error());
  }
  return result;
}

Result<User> AuthService::Authenticate(storage::AuthStore& store, std::string_view token) {
  const auto unauthenticated = [] {
    return Fail(ErrorCode::kUnauthenticated, "the session is unknown or has expired (log in again)",
                "token");
  };
  if (token.empty() || token.size() > 256) {
    return unauthenticated();
  }
  const std::string hash = HashToken(token);
  auto session = store.FindSession(hash);
  if (!session) {
    return Fail(session.error());
  }
  // The lookup is by hash, so timing tells nothing about a valid token; the constant-time compare
  // is a second line in case a backend ever matches loosely (collation, prefix).
  if (!*session || (*session)->token_hash.size() != hash.size() ||
      sodium_memcmp((*session)->token_hash.data(), hash.data(), hash.size()) != 0) {
    return unauthenticated();
  }
  if ((*session)->expires_at <= Now()) {
    (void)store.DeleteSession(hash);
    return unauthenticated();
  }
  auto row = store.GetUser((*session)->user_id);
  if (!row) {
    return Fail(row.error());
  }
  if (!*row) {
    return unauthenticated();
  }
  return ToUser(**row);
}

Status AuthService::Logout(storage::AuthStore& store, std::string_view token) {
  if (token.empty()) {
    return Ok();
  }
  return store.DeleteSession(HashToken(token));
}

Result<AuditPage> AuthService::ListAudit(storage::AuthStore& store,
                                         const Actor& by,
                                         const storage::AuditQuery& query) {
  if (auto allowed = RequireRole(by, Role::kAdmin, "read the audit log"); !allowed) {
    return Fail(allowed.error());
  }
  if (query.limit < 0 || query.limit > 1000 || query.offset < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "limit " + std::to_string(query.limit) + " and offset " +
                    std::to_string(query.offset) +
                    " are out of range (expected limit 0-1000, offset 0 or more)",
                "limit");
  }
  AuditPage page;
  auto items = store.ListAudit(query);
  if (!items) {
    return Fail(items.error());
  }
  auto total = store.CountAudit(query);
  if (!total) {
    return Fail(total.error());
  }
  page.items = std::move(*items);
  page.total = *total;
  return page;
}

// ---- JSON ---------------------------------------------------------------------------------------

nlohmann::json ToJson(const User& user) {
  return {{"id", user.id},
          {"username", user.name},
          {"role", RoleName(user.role)},
          {"created_at", IsoTime(user.created_at)}};
}

nlohmann::json ToJson(const storage::AuditEntry& entry) {
  const auto parse = [](const std::string& text) -> nlohmann::json {
    if (text.empty()) {
      return nullptr;
    }
    auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    return value.is_discarded() ? nlohmann::json(text) : value;
  };
  return {{"id", entry.id},
          {"at", IsoTime(entry.at)},
          {"actor", entry.actor},
          {"action", entry.action},
          {"kind", entry.kind},
          {"record_id", entry.record_id},
          {"before", parse(entry.before)},
          {"after", parse(entry.after)},
          {"outcome", entry.outcome},
          {"detail", entry.detail}};
}

nlohmann::json ToJson(const AuditPage& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& entry : page.items) {
    items.push_back(ToJson(entry));
  }
  return {{"items", items}, {"total", page.total}};
}

}  // namespace citydip::app
