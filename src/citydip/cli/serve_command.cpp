// citydip serve: the HTTP API and the dashboard (docs/http-api.md).
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "citydip/cli/context.h"
#include "citydip/server/server.h"

namespace citydip::cli {
namespace {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  bool public_read = false;
  std::string web_root;
  std::string auth_db;
  std::size_t max_body = 1024 * 1024;
  int threads = 8;
  bool log_requests = false;
  std::string warehouse;
};

// The dashboard shipped with this binary: $CITYDIP_WEB_ROOT, else web/ next to the executable
// (the build copies it there), else the installed share/citydip/web.
std::string DefaultWebRoot() {
  if (const char* env = std::getenv("CITYDIP_WEB_ROOT"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    return "";
  }
  for (const auto& candidate :
       {exe.parent_path() / "web", exe.parent_path().parent_path() / "share/citydip/web"}) {
    if (std::filesystem::is_regular_file(candidate / "index.html", error)) {
      return candidate.string();
    }
  }
  return "";
}

bool IsLoopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost" ||
         address.rfind("127.", 0) == 0;
}

// Stops the server on SIGINT/SIGTERM. The signals are blocked in every thread and taken by one
// waiting thread, so the server is stopped from ordinary code, not from a signal handler.
class SignalStopper {
 public:
  explicit SignalStopper(server::Server& server) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    waiter_ = std::thread([this, &server] {
      const timespec tick{0, 200 * 1000 * 1000};
      while (!done_) {
        if (sigtimedwait(&signals_, nullptr, &tick) > 0) {
          server.Stop();
          return;
        }
      }
    });
  }
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;
  ~SignalStopper() {
    done_ = true;
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

void RunServe(CliContext& ctx, const ServeOptions& options) {
  server::ServerOptions server_options;
  server_options.db = ctx.db;
  server_options.auth_db = options.auth_db;
  server_options.bind = options.bind;
  server_options.port = options.port;
  server_options.public_read = options.public_read;
  server_options.web_root = options.web_root.empty() ? DefaultWebRoot() : options.web_root;
  server_options.max_body_bytes = options.max_body;
  server_options.threads = options.threads;
  server_options.warehouse = options.warehouse;
  if (options.log_requests) {
    auto mutex = std::make_shared<std::mutex>();
    server_options.log = [&ctx, mutex](const std::string& line) {
      std::lock_guard lock(*mutex);
      *ctx.err << line << "\n";
    };
  }
  const bool has_dashboard = !server_options.web_root.empty();
  const std::string web_root = server_options.web_root;

  auto server = server::Server::Create(std::move(server_options));
  if (!Check(ctx, server)) {
    return;
  }
  // Block the stop signals before the worker threads start, so that they inherit the mask.
  SignalStopper stopper(**server);
  auto port = (*server)->Bind();
  if (!Check(ctx, port)) {
    return;
  }
  const std::string host =
      options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
  *ctx.out << "citydip: serving http://" << host << ":" << *port << "/ (registry " << ctx.db
           << (options.public_read ? ", public reads" : ", reads need a login") << ")\n";
  if (!options.warehouse.empty()) {
    *ctx.out << "citydip: GDELT barometer from the warehouse " << options.warehouse << "\n";
  }
  if (has_dashboard) {
    *ctx.out << "citydip: dashboard from " << web_root << "\n";
  } else {
    *ctx.out << "citydip: no dashboard found (API only; build it or pass --web-root DIR)\n";
  }
  if (!IsLoopback(options.bind)) {
    *ctx.err << "citydip: warning: listening on " << options.bind
             << " over plain HTTP; passwords and tokens cross the network unencrypted (put a "
                "TLS proxy in front)\n";
  }
  *ctx.out << "citydip: press Ctrl-C to stop" << std::endl;
  if (!Check(ctx, (*server)->Run())) {
    return;
  }
  *ctx.out << "citydip: stopped\n";
}

}  // namespace

void RegisterServeCommand(CLI::App& root, CliContext& ctx) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = root.add_subcommand(
      "serve", "serve the JSON API (/api) and the dashboard over HTTP (docs/http-api.md)");
  serve->add_option("--bind", options->bind, "address to listen on (default: this machine only)")
      ->capture_default_str();
  serve->add_option("--port", options->port, "port (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_flag("--public-read", options->public_read,
                  "let anyone read without logging in (writes still need a login)");
  serve->add_option("--web-root", options->web_root,
                    "the dashboard's directory (default: web/ next to the citydip binary)");
  serve->add_option("--auth-db", options->auth_db,
                    "where users, sessions and the audit log live: a SQLite file or a "
                    "postgresql:// URL (default: the registry's database)");
  serve->add_option("--max-body", options->max_body, "largest request body accepted, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} * 1024 * 1024));
  serve->add_option("--threads", options->threads, "worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  serve->add_option("--warehouse", options->warehouse,
                    "read the GDELT barometer of the series and analyses from this ClickHouse "
                    "warehouse (URL[,URL...], one per shard; docs/scale-out.md)");
  serve->add_flag("--log", options->log_requests, "print one line per request on stderr");
  serve->callback([&ctx, options] { RunServe(ctx, *options); });
}

}  // namespace citydip::cli
