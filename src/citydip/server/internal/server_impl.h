// What the server's route files share: the server's state, the per-request context (who is
// asking, borrowed store connections) and the JSON reply helpers. Internal to the server module.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "citydip/app/auth_service.h"
#include "citydip/app/store_factory.h"  // storage::Store and storage::AuthStore, as the app hands them out
#include "citydip/core/result.h"
#include "citydip/server/internal/pool.h"
#include "citydip/server/server.h"

namespace citydip::server::internal {

/// The name of the session cookie.
inline constexpr std::string_view kSessionCookie = "citydip_session";

class ServerState {
 public:
  explicit ServerState(ServerOptions server_options);

  ServerOptions options;
  app::AuthService auth;
  Pool<storage::Store> stores;
  Pool<storage::AuthStore> auth_stores;
  httplib::Server http;
  std::string web_root;  // canonical; empty without a dashboard
  std::atomic<int> port{0};
  // The listening socket, recorded when httplib creates it (see Server::Bind).
  std::atomic<int> listen_socket{-1};
};

/// Who may call a route.
enum class Access : std::uint8_t {
  kPublic,  // anyone (health, login, the OpenAPI document)
  kRead,    // a logged-in user, or anyone when the deployment has --public-read
  kLogin,   // a logged-in user (the app layer then checks the role)
};

/// One request being served.
class RequestContext {
 public:
  RequestContext(ServerState& server, const httplib::Request& request, httplib::Response& response)
      : server_(server), request_(request), response_(response) {}

  [[nodiscard]] ServerState& server() const { return server_; }
  [[nodiscard]] const httplib::Request& request() const { return request_; }
  [[nodiscard]] httplib::Response& response() const { return response_; }

  /// The caller (set by the access check).
  app::Actor actor;
  /// Whether the caller logged in (false for the anonymous reader of --public-read).
  bool authenticated = false;

  /// The registry store borrowed for this request.
  [[nodiscard]] Result<storage::Store*> Registry();
  /// The auth store borrowed for this request.
  [[nodiscard]] Result<storage::AuthStore*> Auth();

 private:
  ServerState& server_;
  const httplib::Request& request_;
  httplib::Response& response_;
  std::optional<Pool<storage::Store>::Lease> registry_;
  std::optional<Pool<storage::AuthStore>::Lease> auth_;
};

using ApiHandler = std::function<void(RequestContext&)>;

/// Wraps a handler with the access check: 401 when a login is needed and missing or expired.
[[nodiscard]] httplib::Server::Handler Route(ServerState& server,
                                             Access access,
                                             ApiHandler handler);

/// Serializes JSON for the wire: invalid UTF-8 is replaced, never thrown about.
[[nodiscard]] std::string Dump(const nlohmann::json& json);
/// Sends `json` with `status` as application/json.
void SendJson(httplib::Response& response, int status, const nlohmann::json& json);
/// Sends {"error": {"code", "message", "where"}} with the error's status (or `status` when
/// given).
void SendError(httplib::Response& response, const Error& error, int status = 0);
/// Sends a Result: the value as JSON with `status`, or the error.
template <typename T, typename F>
void SendResult(httplib::Response& response,
                const Result<T>& result,
                F&& to_json,
                int status = 200) {
  if (!result) {
    SendError(response, result.error());
    return;
  }
  SendJson(response, status, to_json(*result));
}

/// The JSON object of a request body. kInvalidArgument (415 for a wrong Content-Type) naming
/// the position of a syntax error.
[[nodiscard]] Result<nlohmann::json> ParseJsonBody(const httplib::Request& request,
                                                   int& status_on_error);

/// A decimal integer (optional '-', digits only), or nullopt.
[[nodiscard]] std::optional<std::int64_t> ParseInt64(std::string_view text);

/// The bearer token of a request (Authorization: Bearer, else the session cookie), or "".
[[nodiscard]] std::string RequestToken(const httplib::Request& request);

/// A 501 reply for a feature this build does not have, naming what is missing.
void SendNotInstalled(httplib::Response& response,
                      const std::string& feature,
                      const std::string& missing);

// Route groups (one file each), registered in this order by Server::Create.
void RegisterAuthRoutes(ServerState& server);      // login, logout, me, users, audit
void RegisterAnalysisRoutes(ServerState& server);  // stats, profile, analyses, networks, GDELT
void RegisterRecordRoutes(ServerState& server);    // schema and /api/KIND[/ID]
void RegisterStaticRoutes(ServerState& server);    // the OpenAPI document, the dashboard

/// The OpenAPI 3 document of the API (docs/http-api.md is its prose).
[[nodiscard]] nlohmann::json OpenApiDocument(const ServerOptions& options);

}  // namespace citydip::server::internal
