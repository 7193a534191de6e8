// Warehouse ingest benchmark (issue 9): one big GDELT 2.0 file of SYNTHETIC rows
// (bench/gen_gdelt.py, not real GDELT) ingested by `citydip gdelt ingest --warehouse` into a
// throwaway 2-shard ClickHouse cluster started here (tests/support/clickhouse_cluster.h), and
// the same file loaded by ClickHouse itself (its TabSeparated parser, all 61 columns, through a
// Distributed table, `insert_distributed_sync=1`) in the same run. Prints rows/s, citydip's peak
// RSS (which must stay bounded whatever the file size: rows are sent while the file is read) and
// the ratio. Checks that the warehouse counts exactly the rows citydip reported.
//
//   build/bench/warehouse_ingest [--rows 2000000] [--citydip build/citydip] [--gen
//   bench/gen_gdelt.py]
//
// Not a test: figures only.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>

#include "citydip/storage/clickhouse/clickhouse_http.h"
#include "support/clickhouse_cluster.h"

namespace {

struct Run {
  int exit_code = -1;
  double seconds = 0;
  long max_rss_kib = 0;
};

// Runs argv as a child; its wall time and peak RSS (wait4).
Run Spawn(const std::vector<std::string>& args, const std::string& log) {
  Run run;
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (std::freopen(log.c_str(), "w", stdout) == nullptr ||
        std::freopen(log.c_str(), "a", stderr) == nullptr) {
      _exit(127);
    }
    std::vector<char*> argv;
    for (const auto& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.max_rss_kib = usage.ru_maxrss;
  return run;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 2000000;
  std::string citydip = std::string(CITYDIP_BINARY_DIR) + "/citydip";
  std::string gen = std::string(CITYDIP_SOURCE_DIR) + "/bench/gen_gdelt.py";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rows") {
      rows = std::atol(argv[i + 1]);
    } else if (flag == "--citydip") {
      citydip = argv[i + 1];
    } else if (flag == "--gen") {
      gen = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: warehouse_ingest [--rows N] [--citydip PATH] [--gen PATH]\n");
      return 2;
    }
  }
  auto cluster = citydip::test_support::ClickHouseCluster::Start(2);
  if (!cluster) {
    std::fprintf(stderr, "warehouse_ingest: %s\n", cluster.error().ToString().c_str());
    return 1;
  }
  const std::string dir = (*cluster)->root_dir() + "/bench";
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/20150218000000.export.CSV";
  std::fprintf(stderr, "warehouse_ingest: generating %ld SYNTHETIC rows ...\n", rows);
  const Run made =
      Spawn({"/usr/bin/python3", gen, "--rows", std::to_string(rows), "--jobs", "2", "-o", file},
            dir + "/gen.log");
  if (made.exit_code != 0) {
    std::fprintf(stderr, "warehouse_ingest: the generator failed: %s\n",
                 ReadAll(dir + "/gen.log").c_str());
    return 1;
  }
  const double megabytes = static_cast<double>(std::filesystem::file_size(file)) / 1e6;
  const std::string urls = (*cluster)->Urls();
  const std::string cluster_name = citydip::test_support::ClickHouseCluster::kClusterName;
  Run init = Spawn({citydip, "warehouse", "init", "--clickhouse", urls, "--cluster", cluster_name},
                   dir + "/init.log");
  if (init.exit_code != 0) {
    std::fprintf(stderr, "warehouse_ingest: init failed: %s\n", ReadAll(dir + "/init.log").c_str());
    return 1;
  }
  std::fprintf(stderr, "warehouse_ingest: citydip gdelt ingest --warehouse ...\n");
  const Run ours = Spawn({citydip, "--db", dir + "/registry.db", "gdelt", "ingest", "--no-md5",
                          "--warehouse", urls, file},
                         dir + "/ingest.log");
  if (ours.exit_code != 0) {
    std::fprintf(stderr, "warehouse_ingest: the ingest failed: %s\n",
                 ReadAll(dir + "/ingest.log").c_str());
    return 1;
  }
  auto http = citydip::storage::clickhouse::ClickHouseHttp::Parse(urls);
  if (!http) {
    return 1;
  }
  auto counted = http->Execute(0, "SELECT count() FROM default.gdelt_events", {},
                               {{"skip_unavailable_shards", "0"}});
  const long stored = counted ? std::atol(counted->c_str()) : -1;

  // The peer: ClickHouse's own TabSeparated loader, every column, through a Distributed table.
  std::string columns;
  for (int c = 0; c < 61; ++c) {
    columns += (c == 0 ? "" : ", ") + std::string("c") + std::to_string(c) + " String";
  }
  const std::string local =
      "CREATE TABLE default.peer_local (" + columns + ") ENGINE = MergeTree() ORDER BY tuple()";
  const std::string distributed =
      "CREATE TABLE default.peer AS default.peer_local ENGINE = "
      "Distributed(" +
      cluster_name + ", default, peer_local, rand())";
  if (!http->ExecuteOnAll(local) || !http->ExecuteOnAll(distributed)) {
    std::fprintf(stderr, "warehouse_ingest: cannot create the peer's tables\n");
    return 1;
  }
  const std::string body = ReadAll(file);
  std::fprintf(stderr, "warehouse_ingest: ClickHouse INSERT ... FORMAT TabSeparated ...\n");
  const auto peer_started = std::chrono::steady_clock::now();
  // In inserts of 100,000 rows, as citydip sends them.
  for (std::size_t start = 0; start < body.size();) {
    std::size_t end = start;
    for (int line = 0; line < 100000 && end < body.size(); ++line) {
      const std::size_t newline = body.find('\n', end);
      end = newline == std::string::npos ? body.size() : newline + 1;
    }
    auto peer = http->Execute(0, "INSERT INTO default.peer FORMAT TabSeparated",
                              body.substr(start, end - start), {{"insert_distributed_sync", "1"}});
    if (!peer) {
      std::fprintf(stderr, "warehouse_ingest: the peer failed: %s\n",
                   peer.error().ToString().c_str());
      return 1;
    }
    start = end;
  }
  const double peer_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - peer_started).count();
  auto peer_counted =
      http->Execute(0, "SELECT count() FROM default.peer", {}, {{"skip_unavailable_shards", "0"}});
  const long peer_rows = peer_counted ? std::atol(peer_counted->c_str()) : -1;

  std::printf("input: %ld SYNTHETIC GDELT 2.0 rows, %.1f MB, one file; 2 shards on this machine\n",
              rows, megabytes);
  std::printf(
      "citydip gdelt ingest --warehouse: %.2f s, %.0f rows/s, %.1f MB/s, peak RSS %.1f MiB "
      "(%ld rows counted by the warehouse)\n",
      ours.seconds, static_cast<double>(stored) / ours.seconds, megabytes / ours.seconds,
      static_cast<double>(ours.max_rss_kib) / 1024.0, stored);
  std::printf(
      "ClickHouse INSERT FORMAT TabSeparated (61 columns): %.2f s, %.0f rows/s (%ld rows)\n",
      peer_seconds, static_cast<double>(peer_rows) / peer_seconds, peer_rows);
  std::printf("ratio (citydip rows/s / ClickHouse rows/s): %.2f\n",
              (static_cast<double>(stored) / ours.seconds) /
                  (static_cast<double>(peer_rows) / peer_seconds));
  if (stored != rows) {
    std::printf("MISMATCH: the generator wrote %ld rows, the warehouse counts %ld\n", rows, stored);
    return 1;
  }
  return 0;
}
