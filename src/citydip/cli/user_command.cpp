// citydip user add|list|set-role|passwd|delete, and citydip audit: users, roles and the audit log
// of the HTTP server, managed locally (whoever can open the database file acts as an admin).
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "citydip/app/auth_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/context.h"
#include "citydip/report/table.h"

namespace citydip::cli {
namespace {

struct UserOptions {
  std::string auth_db;
  std::string name;
  std::string role = "viewer";
  bool password_stdin = false;
  bool generate = false;
  bool reset = false;
  std::int64_t limit = 50;
  std::string actor;
  std::string kind;
  bool json = false;
};

// The local operator, recorded in the audit log as "cli:USER".
app::Actor LocalAdmin() {
  const char* user = std::getenv("USER");
  return app::Actor{0, std::string("cli:") + (user != nullptr && *user != '\0' ? user : "local"),
                    app::Role::kAdmin};
}

// Opens the registry first (so its schema exists when the auth tables share its file), then the
// auth store.
Result<std::unique_ptr<storage::AuthStore>> OpenAuth(CliContext& ctx, const UserOptions& options) {
  std::string auth_db = options.auth_db;
  if (auth_db.empty()) {
    auto registry = app::OpenStore(ctx.db);
    if (!registry) {
      return Fail(registry.error());
    }
    auth_db = ctx.db;
  }
  return app::OpenAuthStore(auth_db);
}

std::string ReadHidden(std::ostream& err, const std::string& prompt) {
  err << prompt << std::flush;
  termios old_settings{};
  const bool tty = tcgetattr(STDIN_FILENO, &old_settings) == 0;
  if (tty) {
    termios quiet = old_settings;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old_settings);
    err << "\n";
  }
  return line;
}

// The password: read from stdin (--password-stdin), generated (--generate-password, or when
// stdin is not a terminal, or when the prompt's answer is empty), or asked for twice.
struct Password {
  std::string text;
  bool generated = false;
};

Result<Password> ObtainPassword(CliContext& ctx,
                                const UserOptions& options,
                                const std::string& name) {
  if (options.password_stdin) {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return Password{line, false};
  }
  if (options.generate || isatty(STDIN_FILENO) == 0) {
    return Password{app::GeneratePassword(), true};
  }
  const std::string first = ReadHidden(
      *ctx.err, "password for '" + name + "' (at least 10 characters; empty: generate one): ");
  if (first.empty()) {
    return Password{app::GeneratePassword(), true};
  }
  const std::string second = ReadHidden(*ctx.err, "the same password again: ");
  if (first != second) {
    return Fail(ErrorCode::kInvalidArgument, "the two passwords differ (nothing was changed)",
                "password");
  }
  return Password{first, false};
}

void PrintPassword(CliContext& ctx, const Password& password) {
  if (password.generated) {
    *ctx.out << "password: " << password.text << "\n"
             << "(shown once: only a hash is stored; change it with `citydip user passwd`)\n";
  }
}

void Add(CliContext& ctx, const UserOptions& options) {
  auto role = app::ParseRole(options.role);
  if (!Check(ctx, role)) {
    return;
  }
  // Check the name before asking for a password.
  if (!Check(ctx, app::CheckUserName(options.name))) {
    return;
  }
  auto store = OpenAuth(ctx, options);
  if (!Check(ctx, store)) {
    return;
  }
  auto password = ObtainPassword(ctx, options, options.name);
  if (!Check(ctx, password)) {
    return;
  }
  app::AuthService auth;
  auto existing = (*store)->FindUser(options.name);
  if (!Check(ctx, existing)) {
    return;
  }
  if (*existing && options.reset) {
    auto user = auth.UpdateUser(**store, LocalAdmin(), options.name, *role, password->text);
    if (!Check(ctx, user)) {
      return;
    }
    *ctx.out << "citydip: reset user '" << user->name << "' (" << app::RoleName(user->role)
             << ")\n";
    PrintPassword(ctx, *password);
    return;
  }
  auto user = auth.AddUser(**store, LocalAdmin(), options.name, *role, password->text);
  if (!Check(ctx, user)) {
    return;
  }
  *ctx.out << "citydip: added user '" << user->name << "' (" << app::RoleName(user->role) << ")\n";
  PrintPassword(ctx, *password);
}

void List(CliContext& ctx, const UserOptions& options) {
  auto store = OpenAuth(ctx, options);
  if (!Check(ctx, store)) {
    return;
  }
  app::AuthService auth;
  auto users = auth.ListUsers(**store, LocalAdmin());
  if (!Check(ctx, users)) {
    return;
  }
  if (options.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& user : *users) {
      items.push_back(app::ToJson(user));
    }
    *ctx.out << items.dump(2) << "\n";
    return;
  }
  report::Table table;
  table.AddColumn("username");
  table.AddColumn("role");
  table.AddColumn("created");
  for (const auto& user : *users) {
    table.AddRow({user.name, std::string(app::RoleName(user.role)),
                  app::ToJson(user)["created_at"].get<std::string>()});
  }
  *ctx.out << table.Render();
}

void SetRole(CliContext& ctx, const UserOptions& options) {
  auto role = app::ParseRole(options.role);
  if (!Check(ctx, role)) {
    return;
  }
  auto store = OpenAuth(ctx, options);
  if (!Check(ctx, store)) {
    return;
  }
  app::AuthService auth;
  auto user = auth.UpdateUser(**store, LocalAdmin(), options.name, *role, std::nullopt);
  if (!Check(ctx, user)) {
    return;
  }
  *ctx.out << "citydip: '" << user->name << "' is now " << app::RoleName(user->role)
           << " (its sessions were ended)\n";
}

void Passwd(CliContext& ctx, const UserOptions& options) {
  auto store = OpenAuth(ctx, options);
  if (!Check(ctx, store)) {
    return;
  }
  auto existing = (*store)->FindUser(options.name);
  if (!Check(ctx, existing)) {
    return;
  }
  if (!*existing) {
    ReportError(ctx, {ErrorCode::kNotFound, "no user named '" + options.name + "'", "username"});
    return;
  }
  auto password = ObtainPassword(ctx, options, options.name);
  if (!Check(ctx, password)) {
    return;
  }
  app::AuthService auth;
  auto user = auth.UpdateUser(**store, LocalAdmin(), options.name, std::nullopt, password->text);
  if (!Check(ctx, user)) {
    return;
  }
  *ctx.out << "citydip: changed the password of '" << user->name << "' (its sessions were ended)\n";
  PrintPassword(ctx, *password);
}

void Delete(CliContext& ctx, const UserOptions& options) {
  auto store = OpenAuth(ctx, options);
  if (!Check(ctx, store)) {
    return;
  }
  app::AuthService auth;
  if (!Check(ctx, auth.DeleteUser(**store, LocalAdmin(), options.name))) {
    return;
  }
  *ctx.out << "citydip: deleted user '" << options.name << "'\n";
}

void Audit(CliContext& ctx, const UserOptions& options) {
  auto store = OpenAuth(ctx, options);
  if (!Check(ctx, store)) {
    return;
  }
  app::AuthService auth;
  storage::AuditQuery query;
  query.actor = options.actor;
  query.kind = options.kind;
  query.limit = options.limit;
  auto page = auth.ListAudit(**store, LocalAdmin(), query);
  if (!Check(ctx, page)) {
    return;
  }
  if (options.json) {
    *ctx.out << app::ToJson(*page).dump(2) << "\n";
    return;
  }
  report::Table table;
  table.AddColumn("id", report::Align::kRight);
  table.AddColumn("at");
  table.AddColumn("actor");
  table.AddColumn("action");
  table.AddColumn("kind");
  table.AddColumn("record", report::Align::kRight);
  table.AddColumn("outcome");
  table.AddColumn("detail", report::Align::kLeft, 60);
  for (const auto& entry : page->items) {
    const auto json = app::ToJson(entry);
    table.AddRow({std::to_string(entry.id), json["at"].get<std::string>(), entry.actor,
                  entry.action, entry.kind, std::to_string(entry.record_id), entry.outcome,
                  entry.detail});
  }
  *ctx.out << table.Render();
  *ctx.out << page->items.size() << " of " << page->total << " entries\n";
}

}  // namespace

void RegisterUserCommands(CLI::App& root, CliContext& ctx) {
  auto options = std::make_shared<UserOptions>();
  CLI::App* user = root.add_subcommand(
      "user", "manage the users of `citydip serve` (roles: viewer, editor, admin)");
  user->require_subcommand(1);
  user->add_option("--auth-db", options->auth_db,
                   "where the users live: a SQLite file or a postgresql:// URL (default: the registry's database)");

  CLI::App* add = user->add_subcommand(
      "add", "add a user; the password is asked for, read (--password-stdin) or generated");
  add->add_option("name", options->name, "user name")->required();
  add->add_option("--role", options->role, "viewer, editor or admin")->capture_default_str();
  auto* from_stdin = add->add_flag("--password-stdin", options->password_stdin,
                                   "read the password from the first line of stdin");
  add->add_flag("--generate-password", options->generate, "generate a password and print it once")
      ->excludes(from_stdin);
  add->add_flag("--reset", options->reset,
                "when the user exists, set its role and password instead of failing");
  add->callback([&ctx, options] { Add(ctx, *options); });

  CLI::App* list = user->add_subcommand("list", "list users and their roles");
  list->add_flag("--json", options->json, "JSON output");
  list->callback([&ctx, options] { List(ctx, *options); });

  CLI::App* set_role = user->add_subcommand("set-role", "change a user's role");
  set_role->add_option("name", options->name, "user name")->required();
  set_role->add_option("role", options->role, "viewer, editor or admin")->required();
  set_role->callback([&ctx, options] { SetRole(ctx, *options); });

  CLI::App* passwd = user->add_subcommand("passwd", "change a user's password");
  passwd->add_option("name", options->name, "user name")->required();
  auto* passwd_stdin = passwd->add_flag("--password-stdin", options->password_stdin,
                                        "read the password from the first line of stdin");
  passwd
      ->add_flag("--generate-password", options->generate, "generate a password and print it once")
      ->excludes(passwd_stdin);
  passwd->callback([&ctx, options] { Passwd(ctx, *options); });

  CLI::App* remove = user->add_subcommand("delete", "delete a user and its sessions");
  remove->add_option("name", options->name, "user name")->required();
  remove->callback([&ctx, options] { Delete(ctx, *options); });

  CLI::App* audit = root.add_subcommand(
      "audit", "show the audit log of writes made through the HTTP API and of user changes");
  audit->add_option("--auth-db", options->auth_db,
                    "where the audit log lives: a SQLite file or a postgresql:// URL (default: the registry's database)");
  audit->add_option("--actor", options->actor, "only this user's writes");
  audit->add_option("--kind", options->kind, "only this record kind (or 'users')");
  audit->add_option("--limit", options->limit, "newest N entries")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000}));
  audit->add_flag("--json", options->json, "JSON output");
  audit->callback([&ctx, options] { Audit(ctx, *options); });
}

}  // namespace citydip::cli
