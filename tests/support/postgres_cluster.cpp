#include "support/postgres_cluster.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include "support/server_process.h"

namespace citydip::test_support {
namespace {

constexpr const char* kDefaultBinDir = "/usr/lib/postgresql/15/bin";
constexpr const char* kPasswordGroup = "citydip_password_login";

std::string JoinCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) {
      out += ' ';
    }
    out += ShellQuote(arg);
  }
  return out;
}

/// Runs argv (no shell), capturing stdout and stderr together. Returns the exit status (or -1
/// when the program could not be started).
int RunCommand(const std::vector<std::string>& argv, std::string& output) {
  output.clear();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    output = std::strerror(errno);
    return -1;
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    output = std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
    }
    execv(args[0], args.data());
    static constexpr char kMessage[] = "exec failed\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    _exit(127);
  }
  close(fds[1]);
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

struct PgConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultCloser {
  void operator()(PGresult* result) const { PQclear(result); }
};

}  // namespace

Result<std::unique_ptr<PostgresCluster>> PostgresCluster::Start() {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  if (auto initialized = cluster->Initialize(); !initialized) {
    return Fail(initialized.error());
  }
  if (auto started = cluster->StartServer(); !started) {
    // A stale template (another PostgreSQL build, say): start from a fresh initdb instead.
    if (auto initialized = cluster->InitializeDataDirectory(); !initialized) {
      return Fail(initialized.error());
    }
    if (auto restarted = cluster->StartServer(); !restarted) {
      return Fail(restarted.error());
    }
  }
  if (auto role = cluster->Execute(std::string("CREATE ROLE ") + kPasswordGroup + " NOLOGIN");
      !role) {
    return Fail(role.error());
  }
  return cluster;
}

std::vector<std::string> PostgresCluster::AsServerUser(std::vector<std::string> argv) const {
  if (!as_postgres_user_) {
    return argv;
  }
  std::vector<std::string> wrapped = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

Status PostgresCluster::Initialize() {
  const char* bin_env = std::getenv("CITYDIP_PG_BIN_DIR");
  bin_dir_ = bin_env != nullptr && *bin_env != '\0' ? bin_env : kDefaultBinDir;
  if (access((bin_dir_ + "/initdb").c_str(), X_OK) != 0) {
    return Fail(
        ErrorCode::kUnavailable,
        "no PostgreSQL server binaries in " + bin_dir_ +
            " (install postgresql-15 with scripts/install-deps, or set CITYDIP_PG_BIN_DIR)");
  }
  as_postgres_user_ = geteuid() == 0;
  // /dev/shm when it is roomy (a server in memory starts and copies much faster), else /tmp;
  // never $TMPDIR: when we are root the `postgres` user must be able to reach the directory.
  std::string pattern = "/tmp/citydip-pg-XXXXXX";
  struct statvfs shm {};
  if (statvfs("/dev/shm", &shm) == 0 &&
      static_cast<unsigned long long>(shm.f_bavail) * shm.f_frsize >= (1ULL << 30)) {
    pattern = "/dev/shm/citydip-pg-XXXXXX";
  }
  if (mkdtemp(pattern.data()) == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot create a temporary directory: ") + std::strerror(errno));
  }
  root_dir_ = pattern;
  if (as_postgres_user_) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) {
      return Fail(ErrorCode::kUnavailable,
                  "running as root, but there is no 'postgres' user to run the server as "
                  "(initdb refuses root; install postgresql-15)");
    }
    if (chown(root_dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot hand " + root_dir_ + " to the postgres user: " + std::strerror(errno));
    }
  }
  // The watchdog first: from here on, a crash of this process still removes the directory.
  StartWatchdog();

  if (CopyFromTemplate()) {
    return Ok();
  }
  if (auto initialized = InitializeDataDirectory(); !initialized) {
    return initialized;
  }
  SaveAsTemplate();
  return Ok();
}

Status PostgresCluster::InitializeDataDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(root_dir_ + "/data", ignored);
  std::string output;
  const std::vector<std::string> initdb = AsServerUser(
      {bin_dir_ + "/initdb", "-D", root_dir_ + "/data", "-U", "postgres", "--auth=trust", "-E",
       "UTF8", "--locale=C.UTF-8", "--wal-segsize=1", "--no-sync", "--no-instructions"});
  if (int rc = RunCommand(initdb, output); rc != 0) {
    return Fail(ErrorCode::kUnavailable, "initdb failed (exit " + std::to_string(rc) + "): " +
                                             JoinCommand(initdb) + "\n" + Tail(output, 2000));
  }
  // Trust everyone over the socket and TCP, except members of the password group, who must
  // authenticate with SCRAM (the wrong-credentials tests). Rewriting the existing file keeps
  // its owner.
  std::ofstream hba(root_dir_ + "/data/pg_hba.conf", std::ios::trunc);
  hba << "local all all trust\n"
      << "host all +" << kPasswordGroup << " 127.0.0.1/32 scram-sha-256\n"
      << "host all all 127.0.0.1/32 trust\n";
  hba.close();
  if (!hba) {
    return Fail(ErrorCode::kUnavailable, "cannot write " + root_dir_ + "/data/pg_hba.conf");
  }
  return Ok();
}

std::string PostgresCluster::TemplateDir() const {
  // initdb takes a second or more, and ctest runs every test in its own process: the first
  // process of a build keeps its fresh data directory, the others copy it. Per user, since the
  // server refuses a data directory that another user owns; versioned with this file's setup.
#ifdef CITYDIP_BINARY_DIR
  const char* disabled = std::getenv("CITYDIP_PG_NO_TEMPLATE");
  if (disabled != nullptr && *disabled != '\0') {
    return {};
  }
  return std::string(CITYDIP_BINARY_DIR) + "/pg-test-template-v2-uid" + std::to_string(geteuid());
#else
  return {};
#endif
}

bool PostgresCluster::CopyFromTemplate() {
  const std::string source = TemplateDir();
  if (source.empty() || !std::filesystem::exists(source + "/data/PG_VERSION")) {
    return false;
  }
  std::string output;
  return RunCommand({"/bin/cp", "-a", source + "/data", root_dir_ + "/data"}, output) == 0;
}

void PostgresCluster::SaveAsTemplate() {
  const std::string target = TemplateDir();
  if (target.empty() || std::filesystem::exists(target)) {
    return;
  }
  const std::string staging = target + ".tmp." + std::to_string(getpid());
  std::error_code ignored;
  std::filesystem::create_directories(staging, ignored);
  std::string output;
  if (RunCommand({"/bin/cp", "-a", root_dir_ + "/data", staging + "/data"}, output) != 0 ||
      rename(staging.c_str(), target.c_str()) != 0) {
    std::filesystem::remove_all(staging, ignored);  // another process was first: use theirs
  }
}

Status PostgresCluster::StartServer() {
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = FreePort();
    if (port <= 0) {
      return Fail(ErrorCode::kUnavailable, "cannot find a free TCP port on 127.0.0.1");
    }
    const std::string options = "-p " + std::to_string(port) + " -k " + root_dir_ +
                                " -c listen_addresses=127.0.0.1 -c fsync=off"
                                " -c synchronous_commit=off -c full_page_writes=off"
                                " -c max_connections=200";
    const std::vector<std::string> start =
        AsServerUser({bin_dir_ + "/pg_ctl", "-D", root_dir_ + "/data", "-l", root_dir_ + "/log",
                      "-o", options, "-w", "-t", "60", "start"});
    std::string output;
    const int rc = RunCommand(start, output);
    if (rc == 0) {
      port_ = port;
      running_ = true;
      return Ok();
    }
    last_error = "pg_ctl start failed (exit " + std::to_string(rc) + "): " + JoinCommand(start) +
                 "\n" + Tail(output, 2000) + "\nserver log:\n" + Tail(ServerLog(), 2000);
  }
  return Fail(ErrorCode::kUnavailable, last_error);
}

void PostgresCluster::StartWatchdog() {
  const std::string pid_file = root_dir_ + "/data/postmaster.pid";
  const std::string stop =
      JoinCommand(AsServerUser({bin_dir_ + "/pg_ctl", "-D", root_dir_ + "/data", "-m", "immediate",
                                "-w", "-t", "30", "stop"}));
  // Waits for EOF on stdin, which comes when this process closes the pipe — normally after its
  // own Stop(), or when it dies in any way at all.
  const std::string script = "cat >/dev/null; if [ -f " + ShellQuote(pid_file) + " ]; then " +
                             stop + "; fi; rm -rf " + ShellQuote(root_dir_);
  watchdog_.Start(script);
}

PostgresCluster::~PostgresCluster() {
  (void)Stop();
}

Status PostgresCluster::Stop() {
  Status status = Ok();
  if (running_) {
    std::string output;
    const std::vector<std::string> fast = AsServerUser(
        {bin_dir_ + "/pg_ctl", "-D", root_dir_ + "/data", "-m", "fast", "-w", "-t", "30", "stop"});
    if (RunCommand(fast, output) != 0) {
      const std::vector<std::string> immediate =
          AsServerUser({bin_dir_ + "/pg_ctl", "-D", root_dir_ + "/data", "-m", "immediate", "-w",
                        "-t", "30", "stop"});
      std::string second;
      if (RunCommand(immediate, second) != 0) {
        status = Fail(ErrorCode::kUnavailable,
                      "pg_ctl stop failed: " + Tail(output, 2000) + "\n" + Tail(second, 2000));
      }
    }
    running_ = false;
  }
  if (!root_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(root_dir_, ignored);
  }
  watchdog_.Release();  // the watchdog finds nothing left to do and exits
  return status;
}

std::string PostgresCluster::Url(const std::string& database, const std::string& user) const {
  return "postgresql://" + user + "@" + host_ + ":" + std::to_string(port_) + "/" + database;
}

Status PostgresCluster::Execute(const std::string& sql,
                                const std::string& database,
                                const std::string& schema) {
  if (auto value = QueryValue(sql, database, schema); !value) {
    return Fail(value.error());
  }
  return Ok();
}

Result<std::string> PostgresCluster::QueryValue(const std::string& sql,
                                                const std::string& database,
                                                const std::string& schema) {
  if (!running_) {
    return Fail(ErrorCode::kUnavailable, "the test cluster is not running");
  }
  std::unique_ptr<PGconn, PgConnCloser> conn(PQconnectdb(Url(database).c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Fail(ErrorCode::kUnavailable,
                "cannot connect to the test cluster: " + std::string(PQerrorMessage(conn.get())));
  }
  if (!schema.empty()) {
    std::unique_ptr<PGresult, PgResultCloser> set(
        PQexec(conn.get(), ("SET search_path TO " + schema).c_str()));
    if (PQresultStatus(set.get()) != PGRES_COMMAND_OK) {
      return Fail(ErrorCode::kInternal,
                  "cannot use schema " + schema + ": " + PQerrorMessage(conn.get()));
    }
  }
  std::unique_ptr<PGresult, PgResultCloser> result(PQexec(conn.get(), sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Fail(ErrorCode::kInternal,
                "test cluster SQL failed: " + sql + ": " + PQerrorMessage(conn.get()));
  }
  if (status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0 && PQnfields(result.get()) > 0) {
    return std::string(PQgetvalue(result.get(), 0, 0));
  }
  return std::string();
}

Result<std::string> PostgresCluster::CreateDatabase(const std::string& prefix) {
  const std::string name =
      prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(++database_counter_);
  if (auto created = Execute("CREATE DATABASE " + name); !created) {
    return Fail(created.error());
  }
  return name;
}

Result<PostgresCluster::Sandbox> PostgresCluster::CreateSandbox(const std::string& prefix) {
  Sandbox sandbox;
  sandbox.database = "postgres";  // exists already: CREATE DATABASE costs a second
  sandbox.schema =
      prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(++database_counter_);
  if (auto created = Execute("CREATE SCHEMA " + sandbox.schema, sandbox.database); !created) {
    return Fail(created.error());
  }
  sandbox.url = Url(sandbox.database) + "?options=-c%20search_path%3D" + sandbox.schema;
  return sandbox;
}

void PostgresCluster::DropSandbox(const Sandbox& sandbox) {
  if (running_) {
    (void)Execute("SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS " + sandbox.schema + " CASCADE",
                  sandbox.database);
  }
}

Status PostgresCluster::CreatePasswordRole(const std::string& name, const std::string& password) {
  std::string quoted = "'";
  for (char c : password) {
    quoted += c;
    if (c == '\'') {
      quoted += '\'';
    }
  }
  quoted += "'";
  return Execute("CREATE ROLE " + name + " LOGIN PASSWORD " + quoted + " IN ROLE " +
                 kPasswordGroup);
}

std::string PostgresCluster::ServerLog() const {
  return ReadFile(root_dir_ + "/log");
}

namespace {

std::mutex& EnvironmentMutex() {
  static std::mutex mutex;
  return mutex;
}

struct EnvironmentState {
  bool tried = false;
  std::unique_ptr<PostgresCluster> cluster;
  std::string error;
};

EnvironmentState& State() {
  static EnvironmentState state;
  return state;
}

}  // namespace

PostgresCluster* PostgresEnvironment::Cluster() {
  std::lock_guard lock(EnvironmentMutex());
  EnvironmentState& state = State();
  if (!state.tried) {
    state.tried = true;
    auto started = PostgresCluster::Start();
    if (started) {
      state.cluster = std::move(*started);
    } else {
      state.error = started.error().ToString();
    }
  }
  return state.cluster.get();
}

const std::string& PostgresEnvironment::StartError() {
  std::lock_guard lock(EnvironmentMutex());
  return State().error;
}

void PostgresEnvironment::TearDown() {
  std::lock_guard lock(EnvironmentMutex());
  if (State().cluster) {
    auto stopped = State().cluster->Stop();
    EXPECT_TRUE(stopped.has_value()) << stopped.error().ToString();
    State().cluster.reset();
  }
}

}  // namespace citydip::test_support
