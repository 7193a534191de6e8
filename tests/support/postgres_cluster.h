// A throwaway PostgreSQL 15 cluster for tests: initdb into a fresh temporary directory, pg_ctl on
// a free 127.0.0.1 port, and stopped again by its own pg_ctl, so that `make test` needs no
// running server and leaves none behind. Works as root (the server runs as the `postgres` user,
// since initdb refuses root) and as an ordinary user (the server runs as that user).
//
// The cluster is stopped by the destructor, by PostgresEnvironment::TearDown (also after failed
// tests), and — should the test process die without unwinding (a crash, SIGKILL from a ctest
// timeout) — by a watchdog process that waits for the test process to go away.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/core/result.h"
#include "support/server_process.h"

namespace citydip::test_support {

/// One running PostgreSQL cluster owned by this process.
class PostgresCluster {
 public:
  /// Runs initdb and pg_ctl start. Fails with kUnavailable (naming the command and its output)
  /// when the binaries are missing or the server does not come up.
  [[nodiscard]] static Result<std::unique_ptr<PostgresCluster>> Start();

  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  /// Stops the server (pg_ctl stop -m immediate if a fast stop fails) and removes its files.
  ~PostgresCluster();

  /// Stops the server and removes the temporary directory. Idempotent.
  Status Stop();

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& host() const { return host_; }
  [[nodiscard]] bool running() const { return running_; }
  /// The temporary directory holding the data directory, the socket and the log.
  [[nodiscard]] const std::string& root_dir() const { return root_dir_; }

  /// postgresql://USER@127.0.0.1:PORT/DATABASE (the superuser is "postgres").
  [[nodiscard]] std::string Url(const std::string& database,
                                const std::string& user = "postgres") const;

  /// Runs `sql` as the superuser on `database` (several statements are allowed), with
  /// `schema` first on the search path when given.
  [[nodiscard]] Status Execute(const std::string& sql,
                               const std::string& database = "postgres",
                               const std::string& schema = "");
  /// The first column of the first row of `sql`'s result, as text ("" for NULL).
  [[nodiscard]] Result<std::string> QueryValue(const std::string& sql,
                                               const std::string& database = "postgres",
                                               const std::string& schema = "");

  /// Creates a new, empty database with a unique name and returns its name.
  [[nodiscard]] Result<std::string> CreateDatabase(const std::string& prefix = "test");

  /// A private, empty schema in the cluster's "postgres" database: as good as a fresh database
  /// for citydip (which keeps to its search path) and much cheaper to make.
  struct Sandbox {
    std::string database;
    std::string schema;
    /// postgresql://postgres@127.0.0.1:PORT/DATABASE?options=-c%20search_path%3DSCHEMA
    std::string url;
  };
  [[nodiscard]] Result<Sandbox> CreateSandbox(const std::string& prefix = "test");
  /// Drops a sandbox's schema and everything in it (best effort).
  void DropSandbox(const Sandbox& sandbox);

  /// Creates a login role that must authenticate with `password` (SCRAM over TCP; other roles
  /// are trusted), owning nothing.
  [[nodiscard]] Status CreatePasswordRole(const std::string& name, const std::string& password);

  /// The server log so far (for failure messages).
  [[nodiscard]] std::string ServerLog() const;

 private:
  PostgresCluster() = default;

  [[nodiscard]] Status Initialize();
  [[nodiscard]] Status InitializeDataDirectory();
  /// Where an initialized data directory is kept for the next test process ("" for none).
  [[nodiscard]] std::string TemplateDir() const;
  [[nodiscard]] bool CopyFromTemplate();
  void SaveAsTemplate();
  [[nodiscard]] Status StartServer();
  void StartWatchdog();
  [[nodiscard]] std::vector<std::string> AsServerUser(std::vector<std::string> argv) const;

  std::string bin_dir_;
  std::string root_dir_;  // the temporary directory: data/, the socket and the log
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  bool running_ = false;
  bool as_postgres_user_ = false;  // true when we are root and run the server as `postgres`
  test_support::Watchdog watchdog_;
  int database_counter_ = 0;
};

/// A GoogleTest global environment owning the process's cluster: started on first use, stopped
/// in TearDown (which GoogleTest runs after all tests, failed or not). Register it in a test file
/// with `::testing::AddGlobalTestEnvironment(new PostgresEnvironment)`.
class PostgresEnvironment : public ::testing::Environment {
 public:
  /// The running cluster, starting it if needed; nullptr (see StartError()) when it cannot start.
  static PostgresCluster* Cluster();
  /// Why the cluster could not start.
  static const std::string& StartError();

  void TearDown() override;
};

}  // namespace citydip::test_support
