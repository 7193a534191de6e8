// A throwaway cluster of Debian's clickhouse-server (18.16) for tests: N shards on free
// 127.0.0.1 ports, each with its own configuration and data under one fresh temporary directory,
// declared to each other as the cluster "citydip_test" (<remote_servers>). Each server is a
// child of the test process (as root through `setpriv --reuid=clickhouse`, which execs, so the
// recorded PID is the server's) and is stopped by that PID: by Stop(), by the destructor, by
// ClickHouseEnvironment::TearDown (also after failed tests) and — should the test process die
// without unwinding — by a watchdog process that waits for the test process to go away.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/types.h>

#include "citydip/core/result.h"
#include "support/server_process.h"

namespace citydip::test_support {

class ClickHouseCluster {
 public:
  static constexpr const char* kClusterName = "citydip_test";

  /// Starts `shards` servers and waits until each answers /ping. Fails with kUnavailable (naming
  /// the server's log) when the binary is missing or a server does not come up.
  [[nodiscard]] static Result<std::unique_ptr<ClickHouseCluster>> Start(int shards = 2);

  ClickHouseCluster(const ClickHouseCluster&) = delete;
  ClickHouseCluster& operator=(const ClickHouseCluster&) = delete;
  ~ClickHouseCluster();

  /// Stops every server (SIGTERM, then SIGKILL after 15 s) and removes the directory.
  /// Idempotent.
  Status Stop();
  /// Stops one shard's server only (to test failures); StartShard starts it again.
  Status StopShard(int shard);
  Status StartShard(int shard);

  /// http://127.0.0.1:PORT of each shard, comma-separated (what --warehouse takes).
  [[nodiscard]] std::string Urls() const;
  [[nodiscard]] std::string Url(int shard) const;
  [[nodiscard]] int shards() const { return static_cast<int>(shards_.size()); }
  [[nodiscard]] const std::string& root_dir() const { return root_dir_; }
  /// The shard's server log (for failure messages).
  [[nodiscard]] std::string ServerLog(int shard) const;

 private:
  struct Shard {
    std::string dir;
    int http_port = 0;
    int tcp_port = 0;
    pid_t pid = -1;
  };

  ClickHouseCluster() = default;
  [[nodiscard]] Status WriteConfig(int shard) const;
  [[nodiscard]] Status Launch(int shard);
  void StartWatchdog();

  std::string root_dir_;
  std::vector<Shard> shards_;
  bool as_clickhouse_user_ = false;  // root: the servers run as the `clickhouse` user
  test_support::Watchdog watchdog_;
};

/// The GoogleTest global environment owning the process's cluster: started on first use,
/// stopped in TearDown (which GoogleTest runs after all tests, failed or not). Register it with
/// `::testing::AddGlobalTestEnvironment(new ClickHouseEnvironment)`.
class ClickHouseEnvironment : public ::testing::Environment {
 public:
  /// The running 2-shard cluster, starting it if needed; nullptr (see StartError()) on failure.
  static ClickHouseCluster* Cluster();
  static const std::string& StartError();

  void TearDown() override;
};

}  // namespace citydip::test_support
