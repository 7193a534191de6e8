// A small ClickHouse client over the HTTP interface (port 8123 by default): runs a statement on
// one shard of a list and returns the body of the answer. Debian ships no C++ ClickHouse client
// library; the HTTP interface needs only cpp-httplib.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::storage::clickhouse {

/// The shards of a warehouse, each an HTTP base URL such as http://127.0.0.1:8123.
class ClickHouseHttp {
 public:
  /// Parses "URL[,URL...]"; fails with kInvalidArgument naming a URL that is not http://HOST:PORT
  /// (https is not supported by this build).
  [[nodiscard]] static Result<ClickHouseHttp> Parse(const std::string& urls);

  [[nodiscard]] const std::vector<std::string>& shards() const { return shards_; }

  /// Runs `sql` on shard `shard` (its text is the POST body, or `body` follows it with the
  /// statement in the URL for an INSERT ... FORMAT); `settings` become URL parameters. Returns
  /// the answer's body. Fails with kUnavailable naming the shard when it cannot be reached, with
  /// kFailedPrecondition when a table is missing (asking for `warehouse init`), and with
  /// kUnavailable (the server's message) when it answers with another error.
  [[nodiscard]] Result<std::string> Execute(
      std::size_t shard,
      const std::string& sql,
      const std::string& body = {},
      const std::vector<std::pair<std::string, std::string>>& settings = {}) const;

  /// Runs `sql` on every shard in turn; stops at the first failure.
  [[nodiscard]] Status ExecuteOnAll(const std::string& sql) const;

  /// GET /ping on every shard; fails with kUnavailable naming the first shard that does not
  /// answer "Ok.".
  [[nodiscard]] Status PingAll() const;

 private:
  std::vector<std::string> shards_;
};

}  // namespace citydip::storage::clickhouse
