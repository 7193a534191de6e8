// A real `citydip serve` in this process, on a free 127.0.0.1 port, over any registry (a SQLite
// file or a postgresql:// URL), with a few cities and an editor account; and a load generator of
// concurrent API writers and readers. Used by the concurrency tests (tests/integration/
// concurrency) and by the API load benchmark (bench/api_load.cpp). No mocks: the store, the
// auth store and the HTTP server are the ones `citydip serve` runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "citydip/core/result.h"
#include "citydip/server/server.h"

namespace citydip::test_support {

class LiveApi {
 public:
  /// Loads cities Seoul, Beijing, Shanghai (synthetic test records) into `db` and adds the user
  /// "editor" (password kEditorPassword), then starts the server with `threads` workers.
  [[nodiscard]] static Result<std::unique_ptr<LiveApi>> Start(const std::string& db,
                                                              int threads = 8);

  LiveApi(const LiveApi&) = delete;
  LiveApi& operator=(const LiveApi&) = delete;
  ~LiveApi();

  [[nodiscard]] int port() const { return port_; }
  /// Logs in as the editor; returns the bearer token.
  [[nodiscard]] Result<std::string> LoginEditor() const;

  static constexpr const char* kEditorPassword = "editor password!";

 private:
  LiveApi() = default;

  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

/// An event as the API takes it (JSON text): Seoul → Beijing, dated 2013-05-13, titled `title`.
[[nodiscard]] std::string EventJson(const std::string& title);

/// Latency figures of one kind of request.
struct OpStats {
  std::int64_t ok = 0;                 // 2xx
  std::int64_t conflicts = 0;          // 409 (expected under contention for the same record)
  std::int64_t errors = 0;             // any other HTTP status
  std::int64_t connection_errors = 0;  // no response: the connection failed or was reset
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  std::string first_error;  // the first unexpected status and body, for the report
};

struct LoadOptions {
  int writers = 32;
  int readers = 32;
  double seconds = 30;
};

struct LoadReport {
  OpStats writes;  // each writer: create an event (POST), then update it (PUT with its version)
  OpStats reads;   // each reader: a filtered, paged list, then one record by id
  double seconds = 0;
};

/// Runs writers and readers against the server on `port` for `options.seconds`.
[[nodiscard]] LoadReport RunLoad(int port, const std::string& token, const LoadOptions& options);

/// `writers` threads each add 1 to a counter kept in one shared event's title, `increments`
/// times, by read-modify-write with the record's version, retrying on 409. Returns the final
/// counter (writers * increments when no update is lost) and the number of conflicts seen.
struct CounterResult {
  std::int64_t final_value = -1;
  std::int64_t successful_updates = 0;
  std::int64_t conflicts = 0;
  std::string error;  // non-empty when a request failed unexpectedly
};
[[nodiscard]] CounterResult RunCounter(int port,
                                       const std::string& token,
                                       int writers,
                                       int increments);

}  // namespace citydip::test_support
