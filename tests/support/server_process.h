// What the throwaway-server harnesses (postgres_cluster, clickhouse_cluster) share: quoting for
// the commands they log, a free loopback port, reading a server's log for a failure message, and
// the watchdog that cleans up after a test process however it ends.
#pragma once

#include <cstddef>
#include <string>

#include <sys/types.h>

namespace citydip::test_support {

/// `text` single-quoted for a POSIX shell (for commands shown in messages).
[[nodiscard]] std::string ShellQuote(const std::string& text);

/// A port on 127.0.0.1 that was free a moment ago (a server may still lose a race for it: the
/// harnesses retry), or -1.
[[nodiscard]] int FreePort();

/// The whole file; "" when it cannot be read.
[[nodiscard]] std::string ReadFile(const std::string& path);

/// The last `max` characters of `text` (with "..." in front when cut).
[[nodiscard]] std::string Tail(const std::string& text, std::size_t max);

/// Cleans up after a test server even when the test process dies (a crash, a kill, a timeout):
/// `/bin/sh -c script` runs in its own session, ignoring SIGINT and SIGTERM, with its stdin on a
/// pipe whose write end this process holds. The script begins with `cat >/dev/null`, which
/// returns when that pipe closes (Release(), or this process's end in any way); what follows in
/// the script (stop the server, remove its directory) runs then.
class Watchdog {
 public:
  Watchdog() = default;
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() { Release(); }

  /// Starts `script`; without a pipe or a process there is no watchdog (the harness still works,
  /// only a crash then leaves its directory behind).
  void Start(const std::string& script);
  /// Closes the pipe and waits for the script to finish.
  void Release();

 private:
  int fd_ = -1;  // the write end of the script's stdin
  pid_t pid_ = -1;
};

}  // namespace citydip::test_support
