// What the throwaway-server harnesses (postgres_cluster, clickhouse_cluster) share: quoting for
// the commands they log, a free loopback port, and reading a server's log for a failure message.
#pragma once

#include <cstddef>
#include <string>

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

}  // namespace citydip::test_support
