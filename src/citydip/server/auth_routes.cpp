// POST /api/login, POST /api/logout, GET /api/me, /api/users (admins), GET /api/audit (admins).
#include <string>

#include "citydip/app/auth_service.h"
#include "citydip/server/internal/server_impl.h"

namespace citydip::server::internal {
namespace {

std::string SessionCookie(const std::string& token, std::int64_t max_age) {
  // HttpOnly: scripts cannot read it; SameSite=Strict: other sites cannot make the browser send
  // it. No Secure flag: the server speaks plain HTTP (on loopback by default); put a TLS proxy in
  // front for anything else.
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; " +
         "Max-Age=" + std::to_string(max_age);
}

// A string member of a JSON body, or a 400 naming it.
Result<std::string> StringField(const nlohmann::json& body, const char* name, bool required) {
  if (!body.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "the request body is not a JSON object", "body");
  }
  if (!body.contains(name) || body[name].is_null()) {
    if (required) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string("\"") + name + "\" is missing (expected a string)", name);
    }
    return std::string();
  }
  if (!body[name].is_string()) {
    return Fail(
        ErrorCode::kInvalidArgument,
        std::string("\"") + name + "\" is " + body[name].type_name() + " (expected a string)",
        name);
  }
  return body[name].get<std::string>();
}

bool ParseBodyOrReply(RequestContext& context, nlohmann::json& body) {
  int status = 400;
  auto parsed = ParseJsonBody(context.request(), status);
  if (!parsed) {
    SendError(context.response(), parsed.error(), status);
    return false;
  }
  body = std::move(*parsed);
  return true;
}

void Login(RequestContext& context) {
  nlohmann::json body;
  if (!ParseBodyOrReply(context, body)) {
    return;
  }
  auto name = StringField(body, "username", true);
  auto password = name ? StringField(body, "password", true) : Result<std::string>(std::string());
  for (const auto* field : {&name, &password}) {
    if (!*field) {
      SendError(context.response(), field->error());
      return;
    }
  }
  auto store = context.Auth();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto login =
      context.server().auth.Login(**store, *name, *password, context.request().remote_addr);
  if (!login) {
    if (login.error().code == ErrorCode::kResourceExhausted) {
      context.response().set_header(
          "Retry-After", std::to_string(context.server().options.auth.failed_login_window));
    }
    SendError(context.response(), login.error());
    return;
  }
  const std::int64_t max_age = login->expires_at - context.server().auth.Now();
  context.response().set_header("Set-Cookie", SessionCookie(login->token, max_age));
  nlohmann::json reply = app::ToJson(login->user);
  reply["token"] = login->token;
  reply["expires_in"] = max_age;
  SendJson(context.response(), 200, reply);
}

void Logout(RequestContext& context) {
  const std::string token = RequestToken(context.request());
  if (!token.empty()) {
    auto store = context.Auth();
    if (!store) {
      SendError(context.response(), store.error());
      return;
    }
    if (auto ended = context.server().auth.Logout(**store, token); !ended) {
      SendError(context.response(), ended.error());
      return;
    }
  }
  context.response().set_header("Set-Cookie", SessionCookie("", 0));
  context.response().status = 204;
}

void Me(RequestContext& context) {
  nlohmann::json reply = {{"username", context.actor.name},
                          {"role", app::RoleName(context.actor.role)},
                          {"authenticated", context.authenticated},
                          {"public_read", context.server().options.public_read}};
  SendJson(context.response(), 200, reply);
}

void ListUsers(RequestContext& context) {
  auto store = context.Auth();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto users = context.server().auth.ListUsers(**store, context.actor);
  SendResult(context.response(), users, [](const std::vector<app::User>& list) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& user : list) {
      items.push_back(app::ToJson(user));
    }
    return nlohmann::json{{"items", items}, {"total", list.size()}};
  });
}

void AddUser(RequestContext& context) {
  // The role check comes first, so a viewer learns nothing from validation messages.
  if (auto allowed = app::RequireRole(context.actor, app::Role::kAdmin, "manage users"); !allowed) {
    SendError(context.response(), allowed.error());
    return;
  }
  nlohmann::json body;
  if (!ParseBodyOrReply(context, body)) {
    return;
  }
  auto name = StringField(body, "username", true);
  auto role_text = name ? StringField(body, "role", true) : Result<std::string>(std::string());
  auto password =
      role_text ? StringField(body, "password", false) : Result<std::string>(std::string());
  for (const auto* field : {&name, &role_text, &password}) {
    if (!*field) {
      SendError(context.response(), field->error());
      return;
    }
  }
  auto role = app::ParseRole(*role_text);
  if (!role) {
    SendError(context.response(), role.error());
    return;
  }
  const bool generated = password->empty();
  const std::string secret = generated ? app::GeneratePassword() : *password;
  auto store = context.Auth();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto user = context.server().auth.AddUser(**store, context.actor, *name, *role, secret);
  if (!user) {
    SendError(context.response(), user.error());
    return;
  }
  nlohmann::json reply = app::ToJson(*user);
  if (generated) {
    reply["password"] = secret;  // shown once; only its hash is stored
  }
  context.response().set_header("Location", "/api/users/" + user->name);
  SendJson(context.response(), 201, reply);
}

void UpdateUser(RequestContext& context) {
  if (auto allowed = app::RequireRole(context.actor, app::Role::kAdmin, "manage users"); !allowed) {
    SendError(context.response(), allowed.error());
    return;
  }
  nlohmann::json body;
  if (!ParseBodyOrReply(context, body)) {
    return;
  }
  auto role_text = StringField(body, "role", false);
  auto password =
      role_text ? StringField(body, "password", false) : Result<std::string>(std::string());
  for (const auto* field : {&role_text, &password}) {
    if (!*field) {
      SendError(context.response(), field->error());
      return;
    }
  }
  std::optional<app::Role> role;
  if (!role_text->empty()) {
    auto parsed = app::ParseRole(*role_text);
    if (!parsed) {
      SendError(context.response(), parsed.error());
      return;
    }
    role = *parsed;
  }
  std::optional<std::string> new_password;
  if (!password->empty()) {
    new_password = *password;
  }
  auto store = context.Auth();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto user = context.server().auth.UpdateUser(
      **store, context.actor, context.request().matches[1].str(), role, new_password);
  SendResult(context.response(), user, [](const app::User& value) { return app::ToJson(value); });
}

void DeleteUser(RequestContext& context) {
  auto store = context.Auth();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto deleted =
      context.server().auth.DeleteUser(**store, context.actor, context.request().matches[1].str());
  if (!deleted) {
    SendError(context.response(), deleted.error());
    return;
  }
  context.response().status = 204;
}

void ListAudit(RequestContext& context) {
  const auto& request = context.request();
  storage::AuditQuery query;
  query.actor = request.get_param_value("actor");
  query.kind = request.get_param_value("kind");
  for (const auto& [name, target] :
       {std::pair<const char*, std::int64_t*>{"limit", &query.limit}, {"offset", &query.offset}}) {
    const std::string text = request.get_param_value(name);
    if (text.empty()) {
      continue;
    }
    auto value = ParseInt64(text);
    if (!value) {
      SendError(
          context.response(),
          {ErrorCode::kInvalidArgument,
           std::string(name) + " '" + text + "' is not valid (expected a whole number)", name});
      return;
    }
    *target = *value;
  }
  if (const std::string id = request.get_param_value("record_id"); !id.empty()) {
    auto value = ParseInt64(id);
    if (!value) {
      SendError(context.response(),
                {ErrorCode::kInvalidArgument,
                 "record_id '" + id + "' is not valid (expected a whole number)", "record_id"});
      return;
    }
    query.record_id = *value;
  }
  auto store = context.Auth();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto page = context.server().auth.ListAudit(**store, context.actor, query);
  SendResult(context.response(), page,
             [](const app::AuditPage& value) { return app::ToJson(value); });
}

}  // namespace

void RegisterAuthRoutes(ServerState& server) {
  auto& http = server.http;
  http.Get("/api/health", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"status", "ok"}, {"service", "citydip"}});
  });
  http.Post("/api/login", Route(server, Access::kPublic, Login));
  http.Post("/api/logout", Route(server, Access::kPublic, Logout));
  http.Get("/api/me", Route(server, Access::kRead, Me));
  http.Get("/api/users", Route(server, Access::kLogin, ListUsers));
  http.Post("/api/users", Route(server, Access::kLogin, AddUser));
  http.Put("/api/users/([A-Za-z0-9._@-]+)", Route(server, Access::kLogin, UpdateUser));
  http.Delete("/api/users/([A-Za-z0-9._@-]+)", Route(server, Access::kLogin, DeleteUser));
  http.Get("/api/audit", Route(server, Access::kLogin, ListAudit));
}

}  // namespace citydip::server::internal
