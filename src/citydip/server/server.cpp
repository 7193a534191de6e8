#include "citydip/server/server.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <sys/socket.h>

#include "citydip/app/record_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/app/warehouse_factory.h"
#include "citydip/server/internal/server_impl.h"
#include "citydip/server/internal/static_files.h"

namespace citydip::server {
namespace {

// Connections the kernel queues for accept(); the kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 1024;

}  // namespace
namespace internal {

ServerState::ServerState(ServerOptions server_options)
    : options(std::move(server_options)),
      auth(options.auth),
      stores([this] { return app::OpenStore(options.db); }),
      auth_stores([this] { return app::OpenAuthStore(options.auth_db); }) {}

Result<storage::Store*> RequestContext::Registry() {
  if (!registry_) {
    auto lease = server_.stores.Acquire();
    if (!lease) {
      return Fail(lease.error());
    }
    registry_.emplace(std::move(*lease));
  }
  return &**registry_;
}

Result<storage::AuthStore*> RequestContext::Auth() {
  if (!auth_) {
    auto lease = server_.auth_stores.Acquire();
    if (!lease) {
      return Fail(lease.error());
    }
    auth_.emplace(std::move(*lease));
  }
  return &**auth_;
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SendJson(httplib::Response& response, int status, const nlohmann::json& json) {
  response.status = status;
  response.set_content(Dump(json), "application/json");
}

void SendError(httplib::Response& response, const Error& error, int status) {
  SendJson(response, status != 0 ? status : HttpStatusFor(error.code), app::ErrorToJson(error));
}

void SendNotInstalled(httplib::Response& response,
                      const std::string& feature,
                      const std::string& missing) {
  SendError(
      response,
      {ErrorCode::kFailedPrecondition,
       "not part of this build of citydip: " + feature + " (" + missing + " is not installed)",
       "feature"},
      501);
}

Result<nlohmann::json> ParseJsonBody(const httplib::Request& request, int& status_on_error) {
  status_on_error = 400;
  const std::string type = request.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    // Also what keeps cross-site forms out: they cannot send application/json without a CORS
    // preflight, which this server never grants.
    status_on_error = 415;
    return Fail(ErrorCode::kInvalidArgument,
                "the request body must be JSON (expected Content-Type: application/json, got '" +
                    type + "')",
                "Content-Type");
  }
  try {
    return nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& error) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("the request body is not valid JSON: ") + error.what(), "body");
  }
}

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::string RequestToken(const httplib::Request& request) {
  const std::string authorization = request.get_header_value("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0) {
    return authorization.substr(7);
  }
  const std::string cookies = request.get_header_value("Cookie");
  const std::string prefix = std::string(kSessionCookie) + "=";
  std::size_t start = 0;
  while (start < cookies.size()) {
    std::size_t end = cookies.find(';', start);
    if (end == std::string::npos) {
      end = cookies.size();
    }
    std::string_view cookie(cookies.data() + start, end - start);
    while (!cookie.empty() && cookie.front() == ' ') {
      cookie.remove_prefix(1);
    }
    if (cookie.substr(0, prefix.size()) == prefix) {
      return std::string(cookie.substr(prefix.size()));
    }
    start = end + 1;
  }
  return "";
}

httplib::Server::Handler Route(ServerState& server, Access access, ApiHandler handler) {
  return [&server, access, handler = std::move(handler)](const httplib::Request& request,
                                                         httplib::Response& response) {
    RequestContext context(server, request, response);
    if (access != Access::kPublic) {
      const std::string token = RequestToken(request);
      if (!token.empty()) {
        auto store = context.Auth();
        if (!store) {
          SendError(response, store.error());
          return;
        }
        auto user = server.auth.Authenticate(**store, token);
        if (!user) {
          SendError(response, user.error());
          return;
        }
        context.actor = user->AsActor();
        context.authenticated = true;
      } else if (access == Access::kRead && server.options.public_read) {
        context.actor = app::Actor{0, "anonymous", app::Role::kViewer};
      } else {
        SendError(response, {ErrorCode::kUnauthenticated,
                             "this needs a login (POST /api/login, then send the token as "
                             "'Authorization: Bearer TOKEN' or the session cookie)",
                             "Authorization"});
        return;
      }
    }
    handler(context);
  };
}

void RegisterStaticRoutes(ServerState& server) {
  server.http.Get("/api/openapi.json", [&server](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, OpenApiDocument(server.options));
  });
  // Anything else under /api is an unknown endpoint, whatever the method.
  const auto unknown = [](const httplib::Request& req, httplib::Response& res) {
    SendError(res, {ErrorCode::kNotFound,
                    "no API endpoint " + req.method + " " + req.path + " (see /api/openapi.json)",
                    "path"});
  };
  server.http.Get("/api(/.*)?", unknown);
  server.http.Post("/api(/.*)?", unknown);
  server.http.Put("/api(/.*)?", unknown);
  server.http.Delete("/api(/.*)?", unknown);
  server.http.Patch("/api(/.*)?", unknown);
  server.http.Get("/.*", [&server](const httplib::Request& req, httplib::Response& res) {
    if (server.web_root.empty()) {
      SendError(res, {ErrorCode::kNotFound,
                      "this server has no dashboard (start it with --web-root DIR)", "path"});
      return;
    }
    auto file = ReadStaticFile(server.web_root, req.path);
    if (!file) {
      SendError(res, file.error());
      return;
    }
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::move(file->content), file->content_type);
  });
}

}  // namespace internal

class ServerImpl : public internal::ServerState {
 public:
  using ServerState::ServerState;
};

Server::Server(std::unique_ptr<ServerImpl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options) {
  if (options.auth_db.empty()) {
    options.auth_db = options.db;  // a SQLite file or a PostgreSQL database alike
  }
  auto impl = std::make_unique<ServerImpl>(std::move(options));
  internal::ServerState& state = *impl;

  // Open both stores once now: bad paths fail at start, not at the first request; the registry
  // schema exists before the auth tables; a crash's pending audit entries are settled.
  {
    auto store = state.stores.Acquire();
    if (!store) {
      return Fail(store.error());
    }
    auto auth = state.auth_stores.Acquire();
    if (!auth) {
      return Fail(auth.error());
    }
    if (auto settled = app::ReconcilePendingAudit(**store, **auth); !settled) {
      return Fail(settled.error());
    }
  }
  if (!state.options.warehouse.empty()) {
    // A bad address list fails at start (the shards are asked per request: one may come back).
    auto warehouse =
        app::OpenEventWarehouse(state.options.warehouse, state.options.warehouse_table);
    if (!warehouse) {
      return Fail(warehouse.error());
    }
  }
  if (!state.options.web_root.empty()) {
    auto root = internal::CanonicalWebRoot(state.options.web_root);
    if (!root) {
      return Fail(root.error());
    }
    state.web_root = *root;
  }

  auto& http = state.http;
  const int threads = state.options.threads > 0 ? state.options.threads : 1;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(state.options.max_body_bytes);
  // Debian's cpp-httplib is a compiled library that listens with a backlog of 5 (its
  // CPPHTTPLIB_LISTEN_BACKLOG is fixed when the library is built, not by our headers). A few dozen
  // clients reconnecting at once overflow such an accept queue: the kernel drops the handshake's
  // last ACK, and a client that already sent its request reads nothing (bench/api_load saw this
  // as requests without any answer). So the socket is recorded here and Bind() listens again on
  // it with a deep queue, which Linux allows on a listening socket.
  http.set_socket_options([&state](socket_t sock) {
    httplib::default_socket_options(sock);
    state.listen_socket = static_cast<int>(sock);
  });
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      // Scripts and data only from this server; ECharts sets element styles from script.
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
  });
  const std::size_t max_body = state.options.max_body_bytes;
  // Errors raised by httplib itself (413, 400 for a malformed request line, 404/405 for no
  // route) get the same JSON body as ours.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        const int status = res.status;
        Error error{ErrorCode::kInvalidArgument, "bad request", ""};
        if (status == 413) {
          error = {ErrorCode::kResourceExhausted,
                   "the request body is larger than " + std::to_string(max_body) +
                       " bytes (the server's limit)",
                   "body"};
        } else if (status == 404) {
          error = {ErrorCode::kNotFound, "no resource " + req.method + " " + req.path, "path"};
        } else if (status == 405) {
          error = {ErrorCode::kInvalidArgument, "method " + req.method + " is not allowed here",
                   "method"};
        } else if (status == 414) {
          error = {ErrorCode::kResourceExhausted, "the request URI is too long", "path"};
        } else if (status >= 500) {
          error = {ErrorCode::kInternal, "internal server error", ""};
        }
        res.set_content(internal::Dump(app::ErrorToJson(error)), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr exception) {
        std::string what = "unknown exception";
        try {
          if (exception) {
            std::rethrow_exception(exception);
          }
        } catch (const std::exception& error) {  // the server's catch-all boundary
          what = error.what();
        } catch (...) {
          what = "unknown exception";
        }
        internal::SendError(res, {ErrorCode::kInternal, "internal error: " + what, ""}, 500);
      });
  http.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/", 0) == 0 && !res.has_header("Cache-Control")) {
      res.set_header("Cache-Control", "no-store");
    }
  });
  if (state.options.log) {
    http.set_logger([log = state.options.log](const httplib::Request& req,
                                              const httplib::Response& res) {
      log(req.remote_addr + " " + req.method + " " + req.path + " " + std::to_string(res.status));
    });
  }

  internal::RegisterAuthRoutes(state);
  internal::RegisterAnalysisRoutes(state);
  internal::RegisterRecordRoutes(state);
  internal::RegisterStaticRoutes(state);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  const auto& options = impl_->options;
  int port = 0;
  if (options.port == 0) {
    port = impl_->http.bind_to_any_port(options.bind);
    if (port < 0) {
      port = 0;
    }
  } else if (impl_->http.bind_to_port(options.bind, options.port)) {
    port = options.port;
  }
  if (port <= 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot listen on " + options.bind + ":" + std::to_string(options.port) +
                    " (the port is taken or the address is not one of this machine's)",
                "--port");
  }
  if (const int sock = impl_->listen_socket.load();
      sock >= 0 && ::listen(sock, kListenBacklog) != 0) {
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot deepen the listen queue: ") + std::strerror(errno), "--port");
  }
  impl_->port = port;
  return port;
}

Status Server::Run() {
  if (!impl_->http.listen_after_bind()) {
    return Fail(ErrorCode::kUnavailable,
                "the server stopped listening on " + impl_->options.bind + ":" +
                    std::to_string(impl_->port.load()),
                "--port");
  }
  return Ok();
}

void Server::Stop() {
  if (impl_ != nullptr) {
    impl_->http.stop();
  }
}

bool Server::IsRunning() const {
  return impl_->http.is_running();
}

}  // namespace citydip::server
