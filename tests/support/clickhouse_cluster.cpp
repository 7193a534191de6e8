#include "support/clickhouse_cluster.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "support/server_process.h"

namespace citydip::test_support {
namespace {

namespace fs = std::filesystem;

constexpr const char* kServer = CITYDIP_CLICKHOUSE_SERVER;
constexpr const char* kSetpriv = "/usr/bin/setpriv";
constexpr const char* kPidFile = "citydip.pid";

// True when GET /ping on 127.0.0.1:port answers "Ok.".
bool Ping(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  timeval timeout{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    static constexpr char kRequest[] = "GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, kRequest, sizeof kRequest - 1) == static_cast<ssize_t>(sizeof kRequest - 1)) {
      std::string answer;
      char buffer[512];
      ssize_t n = 0;
      while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        answer.append(buffer, static_cast<std::size_t>(n));
      }
      ok = answer.find(" 200 ") != std::string::npos && answer.find("Ok.") != std::string::npos;
    }
  }
  close(fd);
  return ok;
}

void ChownTree(const std::string& path, uid_t uid, gid_t gid) {
  (void)!chown(path.c_str(), uid, gid);
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
    (void)!lchown(entry.path().c_str(), uid, gid);
  }
}

}  // namespace

Result<std::unique_ptr<ClickHouseCluster>> ClickHouseCluster::Start(int shards) {
  if (access(kServer, X_OK) != 0) {
    return Fail(ErrorCode::kUnavailable, std::string("clickhouse-server not found at ") + kServer +
                                             " (install it: scripts/install-deps)");
  }
  std::unique_ptr<ClickHouseCluster> cluster(new ClickHouseCluster());
  cluster->as_clickhouse_user_ = geteuid() == 0;
  std::string pattern = (fs::temp_directory_path() / "citydip-clickhouse-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot create a temporary directory: ") + std::strerror(errno));
  }
  cluster->root_dir_ = pattern;
  // mkdtemp makes 0700: the `clickhouse` user must be able to enter it.
  chmod(cluster->root_dir_.c_str(), 0755);
  cluster->StartWatchdog();
  for (int i = 0; i < shards; ++i) {
    Shard shard;
    shard.dir = cluster->root_dir_ + "/shard" + std::to_string(i + 1);
    for (const char* sub : {"", "/data", "/tmp", "/user_files", "/format_schemas"}) {
      fs::create_directories(shard.dir + sub);
    }
    cluster->shards_.push_back(std::move(shard));
  }
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {
    for (auto& shard : cluster->shards_) {
      shard.http_port = FreePort();
      shard.tcp_port = FreePort();
    }
    bool all = true;
    for (int i = 0; i < shards && all; ++i) {
      if (auto written = cluster->WriteConfig(i); !written) {
        return Fail(written.error());
      }
    }
    if (cluster->as_clickhouse_user_) {
      const passwd* user = getpwnam("clickhouse");
      if (user == nullptr) {
        return Fail(ErrorCode::kUnavailable, "no `clickhouse` user (install clickhouse-server)");
      }
      for (const auto& shard : cluster->shards_) {
        ChownTree(shard.dir, user->pw_uid, user->pw_gid);
      }
    }
    for (int i = 0; i < shards && all; ++i) {
      if (auto launched = cluster->Launch(i); !launched) {
        last_error = launched.error().message;
        all = false;
      }
    }
    if (all) {
      return cluster;
    }
    for (int i = 0; i < shards; ++i) {
      (void)cluster->StopShard(i);
    }
  }
  return Fail(ErrorCode::kUnavailable, "clickhouse-server did not start: " + last_error);
}

Status ClickHouseCluster::WriteConfig(int index) const {
  const Shard& shard = shards_[static_cast<std::size_t>(index)];
  std::string remote = "<remote_servers><" + std::string(kClusterName) + ">";
  for (const auto& other : shards_) {
    remote += "<shard><replica><host>127.0.0.1</host><port>" + std::to_string(other.tcp_port) +
              "</port></replica></shard>";
  }
  remote += "</" + std::string(kClusterName) + "></remote_servers>";
  std::ofstream config(shard.dir + "/config.xml", std::ios::trunc);
  config << "<?xml version=\"1.0\"?>\n<yandex>\n"
         << "<logger><level>information</level><log>" << shard.dir << "/server.log</log>"
         << "<errorlog>" << shard.dir << "/error.log</errorlog><console>0</console></logger>\n"
         << "<listen_host>127.0.0.1</listen_host>\n"
         << "<http_port>" << shard.http_port << "</http_port>\n"
         << "<tcp_port>" << shard.tcp_port << "</tcp_port>\n"
         << "<path>" << shard.dir << "/data/</path>\n"
         << "<tmp_path>" << shard.dir << "/tmp/</tmp_path>\n"
         << "<user_files_path>" << shard.dir << "/user_files/</user_files_path>\n"
         << "<format_schema_path>" << shard.dir << "/format_schemas/</format_schema_path>\n"
         << "<users_config>" << shard.dir << "/users.xml</users_config>\n"
         << "<default_profile>default</default_profile>\n"
         << "<default_database>default</default_database>\n"
         << "<timezone>UTC</timezone>\n"
         << "<mark_cache_size>268435456</mark_cache_size>\n"
         << "<uncompressed_cache_size>268435456</uncompressed_cache_size>\n"
         << "<max_concurrent_queries>50</max_concurrent_queries>\n"
         << remote << "\n</yandex>\n";
  std::ofstream users(shard.dir + "/users.xml", std::ios::trunc);
  users << "<?xml version=\"1.0\"?>\n<yandex>\n"
        << "<profiles><default><max_memory_usage>2000000000</max_memory_usage>"
        << "<max_threads>2</max_threads></default></profiles>\n"
        << "<users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip>"
        << "</networks><profile>default</profile><quota>default</quota></default></users>\n"
        << "<quotas><default><interval><duration>3600</duration><queries>0</queries>"
        << "<errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows>"
        << "<execution_time>0</execution_time></interval></default></quotas>\n</yandex>\n";
  if (!config || !users) {
    return Fail(ErrorCode::kUnavailable, "cannot write the configuration in " + shard.dir);
  }
  return Ok();
}

Status ClickHouseCluster::Launch(int index) {
  Shard& shard = shards_[static_cast<std::size_t>(index)];
  std::vector<std::string> argv;
  if (as_clickhouse_user_) {
    argv = {kSetpriv, "--reuid=clickhouse", "--regid=clickhouse", "--init-groups", kServer};
  } else {
    argv = {kServer};
  }
  argv.push_back("--config-file=" + shard.dir + "/config.xml");
  std::vector<char*> args;
  for (auto& arg : argv) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  const std::string output = shard.dir + "/stdout.log";
  const pid_t pid = fork();
  if (pid < 0) {
    return Fail(ErrorCode::kUnavailable, std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int out = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
    }
    close_range(3, ~0U, 0);
    execv(args[0], args.data());
    _exit(127);
  }
  shard.pid = pid;
  {
    std::ofstream pid_file(shard.dir + "/" + kPidFile, std::ios::trunc);
    pid_file << pid << "\n";
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Ping(shard.http_port)) {
      return Ok();
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      shard.pid = -1;
      std::error_code ignored;
      fs::remove(shard.dir + "/" + kPidFile, ignored);
      return Fail(ErrorCode::kUnavailable,
                  "shard " + std::to_string(index + 1) + " exited at start-up:\n" +
                      Tail(ReadFile(output), 3000) + "\n" + ServerLog(index));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Fail(ErrorCode::kUnavailable, "shard " + std::to_string(index + 1) +
                                           " does not answer /ping:\n" + ServerLog(index));
}

void ClickHouseCluster::StartWatchdog() {
  // Waits for EOF on stdin (this process closed the pipe, or died), then kills the servers still
  // recorded and removes the directory.
  const std::string script = "cat >/dev/null; for f in " + ShellQuote(root_dir_) + "/shard*/" +
                             kPidFile + "; do [ -f \"$f\" ] && kill -9 \"$(cat \"$f\")\"; done; " +
                             "sleep 1; rm -rf " + ShellQuote(root_dir_);
  watchdog_.Start(script);
}

Status ClickHouseCluster::StopShard(int index) {
  Shard& shard = shards_.at(static_cast<std::size_t>(index));
  if (shard.pid <= 0) {
    return Ok();
  }
  kill(shard.pid, SIGTERM);
  int status = 0;
  bool gone = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t done = waitpid(shard.pid, &status, WNOHANG);
    if (done == shard.pid || (done < 0 && errno == ECHILD)) {
      gone = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!gone) {
    kill(shard.pid, SIGKILL);
    while (waitpid(shard.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  shard.pid = -1;
  std::error_code ignored;
  fs::remove(shard.dir + "/" + kPidFile, ignored);
  return Ok();
}

Status ClickHouseCluster::StartShard(int index) {
  if (shards_.at(static_cast<std::size_t>(index)).pid > 0) {
    return Ok();
  }
  return Launch(index);
}

ClickHouseCluster::~ClickHouseCluster() {
  (void)Stop();
}

Status ClickHouseCluster::Stop() {
  for (int i = 0; i < shards(); ++i) {
    (void)StopShard(i);
  }
  if (!root_dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(root_dir_, ignored);
    root_dir_.clear();
  }
  watchdog_.Release();  // the watchdog finds nothing left to do and exits
  return Ok();
}

std::string ClickHouseCluster::Url(int shard) const {
  return "http://127.0.0.1:" +
         std::to_string(shards_.at(static_cast<std::size_t>(shard)).http_port);
}

std::string ClickHouseCluster::Urls() const {
  std::string out;
  for (int i = 0; i < shards(); ++i) {
    out += (i > 0 ? "," : "") + Url(i);
  }
  return out;
}

std::string ClickHouseCluster::ServerLog(int shard) const {
  const std::string& dir = shards_.at(static_cast<std::size_t>(shard)).dir;
  return "server log:\n" + Tail(ReadFile(dir + "/server.log"), 3000) + "\nerror log:\n" +
         Tail(ReadFile(dir + "/error.log"), 3000);
}

namespace {

std::mutex g_mutex;
std::unique_ptr<ClickHouseCluster> g_cluster;
std::string g_error;
bool g_tried = false;

}  // namespace

ClickHouseCluster* ClickHouseEnvironment::Cluster() {
  std::lock_guard lock(g_mutex);
  if (!g_tried) {
    g_tried = true;
    auto cluster = ClickHouseCluster::Start(2);
    if (cluster) {
      g_cluster = std::move(*cluster);
    } else {
      g_error = cluster.error().message;
    }
  }
  return g_cluster.get();
}

const std::string& ClickHouseEnvironment::StartError() {
  return g_error;
}

void ClickHouseEnvironment::TearDown() {
  std::lock_guard lock(g_mutex);
  if (g_cluster) {
    (void)g_cluster->Stop();
    g_cluster.reset();
  }
}

}  // namespace citydip::test_support
