// The HTTP server behind `citydip serve`: the JSON API under /api (docs/http-api.md, with an
// OpenAPI 3 document at /api/openapi.json) and the dashboard's static files (web/). One process,
// a pool of worker threads, each request on a registry Store and an AuthStore of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "citydip/app/auth_service.h"
#include "citydip/core/result.h"

namespace citydip::server {

struct ServerOptions {
  /// The registry (--db): a SQLite file or a postgresql:// URL.
  std::string db = "citydip.db";
  /// Where users, sessions and the audit log live (--auth-db): a SQLite file. Empty: the
  /// registry's own file (required for a PostgreSQL registry).
  std::string auth_db;
  /// Address and port to listen on. The default keeps the server on this machine; port 0 picks
  /// a free port (tests).
  std::string bind = "127.0.0.1";
  int port = 8080;
  /// --warehouse URL[,URL...]: the GDELT barometer of /api/gdelt/series and /api/analyses is
  /// read from this ClickHouse warehouse instead of the registry's tables ("" for those).
  std::string warehouse;
  std::string warehouse_table = "gdelt_events";  // its Distributed table
  /// Lets anyone read without logging in (--public-read); writes always need a login.
  bool public_read = false;
  /// The dashboard's files (index.html, js/, css/, vendor/). Empty: no dashboard, API only.
  std::string web_root;
  /// Requests with a larger body are refused with 413 before they are read.
  std::size_t max_body_bytes = 1024 * 1024;
  /// Worker threads (each holds a registry connection while it works).
  int threads = 8;
  /// Session length, login rate limit, password cost, clock.
  app::AuthOptions auth;
  /// Receives one line per request ("ADDRESS METHOD PATH STATUS"); none when empty.
  std::function<void(const std::string&)> log;
};

class ServerImpl;

/// An HTTP server. Create, Bind, then Run (blocks until Stop is called from another thread or a
/// signal handler).
class Server {
 public:
  /// Opens the stores once to check them (migrating the auth tables and settling audit entries
  /// a crash left pending). Fails with the store's error when the registry cannot be opened.
  [[nodiscard]] static Result<std::unique_ptr<Server>> Create(ServerOptions options);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  /// Binds the listening socket; returns the port (the chosen one for port 0). kUnavailable
  /// naming the address when it is taken or not local.
  [[nodiscard]] Result<int> Bind();
  /// Serves until Stop(). Bind first.
  [[nodiscard]] Status Run();
  /// Stops serving; Run returns. Thread-safe.
  void Stop();
  /// True once Run is accepting connections.
  [[nodiscard]] bool IsRunning() const;

 private:
  explicit Server(std::unique_ptr<ServerImpl> impl);
  std::unique_ptr<ServerImpl> impl_;
};

}  // namespace citydip::server
