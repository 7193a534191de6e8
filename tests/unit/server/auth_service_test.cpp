// AuthService and the SQLite AuthStore: password hashing, tokens, sessions, roles, the login
// limiter and the audit entries of user changes, on a real database file.
#include "citydip/app/auth_service.h"

#include <sodium.h>

#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/app/store_factory.h"
#include "test_support.h"

namespace citydip::app {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    db_ = dir_.File("registry.db");
    auto registry = OpenStore(db_);
    ASSERT_TRUE(registry) << registry.error().ToString();
    auto store = OpenAuthStore(db_);
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    AuthOptions options;
    options.password_cost = testing::FastCost();
    options.clock = [this] { return now_; };
    auth_ = std::make_unique<AuthService>(options);
  }

  const Actor kRoot{0, "cli:test", Role::kAdmin};
  testing::TempDir dir_;
  std::string db_;
  std::int64_t now_ = 1'700'000'000;
  std::unique_ptr<storage::AuthStore> store_;
  std::unique_ptr<AuthService> auth_;
};

TEST(PasswordHashTest, DefaultCostIsArgon2idInteractive) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash) << hash.error().ToString();
  // libsodium's INTERACTIVE limits: 64 MiB, 2 passes.
  EXPECT_THAT(*hash, StartsWith("$argon2id$v=19$m=65536,t=2,"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
}

TEST(PasswordHashTest, SamePasswordGetsDifferentSalts) {
  auto first = HashPassword("correct horse battery", testing::FastCost());
  auto second = HashPassword("correct horse battery", testing::FastCost());
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

TEST(PasswordHashTest, GarbageHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "anything"));
  EXPECT_FALSE(VerifyPassword("not a hash", "not a hash"));
  EXPECT_FALSE(VerifyPassword(std::string(500, 'x'), "x"));
}

TEST(TokenTest, TokensAreRandomAndOnlyTheirHashIsKept) {
  const std::string a = NewToken();
  const std::string b = NewToken();
  EXPECT_EQ(a.size(), 43U);  // 32 bytes, base64url without padding
  EXPECT_NE(a, b);
  EXPECT_EQ(HashToken(a), HashToken(a));
  EXPECT_NE(HashToken(a), HashToken(b));
  EXPECT_EQ(HashToken(a).size(), 64U);
  EXPECT_EQ(HashToken(a).find(a), std::string::npos);
}

TEST(PasswordRulesTest, ShortPasswordsAndOddNamesAreRefused) {
  EXPECT_EQ(CheckPassword("short").error().message,
            "the password has 5 characters (expected at least 10)");
  EXPECT_TRUE(CheckPassword("ten chars!"));
  EXPECT_TRUE(CheckPassword("서울특별시청한국어비밀"));  // 11 characters, 33 bytes
  EXPECT_FALSE(CheckPassword("서울시청"));
  EXPECT_FALSE(CheckPassword(std::string(1025, 'a')));
  EXPECT_FALSE(CheckPassword("bad\xff utf-8 password"));
  EXPECT_TRUE(CheckUserName("ana.kim-2@seoul"));
  EXPECT_THAT(CheckUserName("robert'); DROP TABLE auth_users;--").error().message,
              HasSubstr("is not a valid user name"));
  EXPECT_FALSE(CheckUserName(""));
  EXPECT_FALSE(CheckUserName(std::string(65, 'a')));
}

TEST(PasswordRulesTest, GeneratedPasswordsPassTheRules) {
  const std::string password = GeneratePassword();
  EXPECT_EQ(password.size(), 20U);
  EXPECT_TRUE(CheckPassword(password));
  EXPECT_NE(password, GeneratePassword());
}

TEST(RoleTest, RolesAreOrdered) {
  EXPECT_TRUE(RequireRole({1, "a", Role::kAdmin}, Role::kEditor, "write records"));
  EXPECT_TRUE(RequireRole({1, "e", Role::kEditor}, Role::kEditor, "write records"));
  auto denied = RequireRole({1, "v", Role::kViewer}, Role::kEditor, "write records");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(denied.error().message,
            "user 'v' (role viewer) may not write records (needs role editor)");
  EXPECT_EQ(ParseRole("owner").error().message,
            "'owner' is not a valid role (expected viewer, editor, admin)");
}

TEST_F(AuthServiceTest, LoginOpensASessionThatAuthenticates) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kEditor, "ana's long password"));
  auto login = auth_->Login(*store_, "ana", "ana's long password", "127.0.0.1");
  ASSERT_TRUE(login) << login.error().ToString();
  EXPECT_EQ(login->user.role, Role::kEditor);
  auto user = auth_->Authenticate(*store_, login->token);
  ASSERT_TRUE(user) << user.error().ToString();
  EXPECT_EQ(user->name, "ana");
  // Only the hash is stored: the token itself does not find a session.
  auto raw = store_->FindSession(login->token);
  ASSERT_TRUE(raw);
  EXPECT_FALSE(raw->has_value());
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserFailAlike) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kEditor, "ana's long password"));
  auto wrong = auth_->Login(*store_, "ana", "not the password", "127.0.0.1");
  auto unknown = auth_->Login(*store_, "nobody", "not the password", "127.0.0.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthServiceTest, FailedLoginsAreRateLimitedPerNameAndAddress) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kEditor, "ana's long password"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(auth_->Login(*store_, "ana", "guess " + std::to_string(i), "10.0.0.9").error().code,
              ErrorCode::kUnauthenticated);
  }
  // Locked now, even with the right password...
  auto locked = auth_->Login(*store_, "ana", "ana's long password", "10.0.0.9");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kResourceExhausted);
  EXPECT_THAT(locked.error().message,
              HasSubstr("too many failed logins for 'ana' from 10.0.0.9; try again in 300 s"));
  // ...but not from another address,
  EXPECT_TRUE(auth_->Login(*store_, "ana", "ana's long password", "10.0.0.10"));
  // and no longer once the window has passed.
  now_ += 301;
  EXPECT_TRUE(auth_->Login(*store_, "ana", "ana's long password", "10.0.0.9"));
}

TEST_F(AuthServiceTest, SessionsExpire) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  auto login = auth_->Login(*store_, "ana", "ana's long password", "127.0.0.1");
  ASSERT_TRUE(login);
  now_ += 8 * 3600 - 1;
  EXPECT_TRUE(auth_->Authenticate(*store_, login->token));
  now_ += 1;
  auto expired = auth_->Authenticate(*store_, login->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  auto login = auth_->Login(*store_, "ana", "ana's long password", "127.0.0.1");
  ASSERT_TRUE(login);
  ASSERT_TRUE(auth_->Logout(*store_, login->token));
  EXPECT_FALSE(auth_->Authenticate(*store_, login->token));
  EXPECT_TRUE(auth_->Logout(*store_, login->token));  // twice is fine
  EXPECT_FALSE(auth_->Authenticate(*store_, "made-up-token"));
  EXPECT_FALSE(auth_->Authenticate(*store_, ""));
}

TEST_F(AuthServiceTest, OnlyAdminsManageUsers) {
  const Actor editor{7, "ed", Role::kEditor};
  auto added = auth_->AddUser(*store_, editor, "eve", Role::kAdmin, "eve's long password");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(auth_->ListUsers(*store_, editor));
  EXPECT_FALSE(auth_->ListAudit(*store_, editor, {}));
  auto users = auth_->ListUsers(*store_, kRoot);
  ASSERT_TRUE(users);
  EXPECT_TRUE(users->empty());
}

TEST_F(AuthServiceTest, DuplicateNamesAreRefused) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  auto again = auth_->AddUser(*store_, kRoot, "ana", Role::kAdmin, "another long password");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().message, "user 'ana' already exists");
}

TEST_F(AuthServiceTest, PasswordChangeEndsSessionsAndRoleChangeTakesEffect) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  auto login = auth_->Login(*store_, "ana", "ana's long password", "127.0.0.1");
  ASSERT_TRUE(login);
  auto updated =
      auth_->UpdateUser(*store_, kRoot, "ana", Role::kEditor, std::string("a new long password"));
  ASSERT_TRUE(updated) << updated.error().ToString();
  EXPECT_EQ(updated->role, Role::kEditor);
  EXPECT_FALSE(auth_->Authenticate(*store_, login->token));
  EXPECT_FALSE(auth_->Login(*store_, "ana", "ana's long password", "127.0.0.1"));
  EXPECT_TRUE(auth_->Login(*store_, "ana", "a new long password", "127.0.0.1"));
}

TEST_F(AuthServiceTest, TheLastAdminStays) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "root", Role::kAdmin, "root's long password"));
  auto demoted = auth_->UpdateUser(*store_, kRoot, "root", Role::kEditor, std::nullopt);
  ASSERT_FALSE(demoted);
  EXPECT_EQ(demoted.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(demoted.error().message, "'root' is the last admin (add another admin first)");
  EXPECT_FALSE(auth_->DeleteUser(*store_, kRoot, "root"));
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "second", Role::kAdmin, "second long password"));
  EXPECT_TRUE(auth_->DeleteUser(*store_, kRoot, "root"));
}

TEST_F(AuthServiceTest, UserChangesAreAuditedWithoutPasswords) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  ASSERT_TRUE(auth_->UpdateUser(*store_, kRoot, "ana", Role::kEditor, std::nullopt));
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "bob", Role::kAdmin, "bob's long password"));
  ASSERT_TRUE(auth_->DeleteUser(*store_, kRoot, "ana"));
  auto page = auth_->ListAudit(*store_, kRoot, {});
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_EQ(page->total, 4);
  // Newest first.
  EXPECT_EQ(page->items[0].action, "user_delete");
  EXPECT_EQ(page->items[0].before, R"({"name":"ana","role":"editor"})");
  EXPECT_EQ(page->items[0].after, "");
  EXPECT_EQ(page->items[2].action, "user_update");
  EXPECT_EQ(page->items[2].before, R"({"name":"ana","role":"viewer"})");
  EXPECT_EQ(page->items[2].after, R"({"name":"ana","role":"editor"})");
  EXPECT_EQ(page->items[3].action, "user_add");
  EXPECT_EQ(page->items[3].actor, "cli:test");
  EXPECT_EQ(page->items[3].outcome, "committed");
  for (const auto& entry : page->items) {
    EXPECT_EQ(entry.before.find("argon2"), std::string::npos);
    EXPECT_EQ(entry.after.find("argon2"), std::string::npos);
  }
}

TEST_F(AuthServiceTest, AFailedUserChangeLeavesNoAuditEntry) {
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  ASSERT_FALSE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  ASSERT_FALSE(auth_->UpdateUser(*store_, kRoot, "nobody", Role::kViewer, std::nullopt));
  auto page = auth_->ListAudit(*store_, kRoot, {});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 1);
}

TEST_F(AuthServiceTest, AuthTablesLiveBesideTheRegistry) {
  // Reopening the registry (its schema check) after the auth tables were added still works.
  ASSERT_TRUE(auth_->AddUser(*store_, kRoot, "ana", Role::kViewer, "ana's long password"));
  auto reopened = OpenStore(db_);
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  auto init = OpenStore(db_, OpenMode::kInit);
  ASSERT_TRUE(init) << init.error().ToString();
  auto again = OpenAuthStore(db_);
  ASSERT_TRUE(again);
  auto found = (*again)->FindUser("ana");
  ASSERT_TRUE(found && found->has_value());
}

// A postgresql:// URL is an auth store in PostgreSQL (tested against a real cluster in
// postgres_store_test); an unreachable server is `unavailable`, naming where it looked.
TEST_F(AuthServiceTest, PostgresUrlsAreAuthStoresAndAnUnreachableOneIsUnavailable) {
  auto store = OpenAuthStore("postgresql://nobody@127.0.0.1:1/citydip");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << store.error().ToString();
  EXPECT_NE(store.error().ToString().find("127.0.0.1"), std::string::npos)
      << store.error().ToString();
}

}  // namespace
}  // namespace citydip::app
