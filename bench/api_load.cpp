// API load benchmark (issue 8): 32 concurrent writers and 32 concurrent readers for 30 s against
// `citydip serve` on PostgreSQL (a throwaway 127.0.0.1 cluster started here) and on SQLite,
// printing throughput, p50/p99 latency and errors for each. The data are SYNTHETIC test events.
//
//   build/bench/api_load [--seconds 30] [--writers 32] [--readers 32] [--backend
//   both|sqlite|postgres]
//
// Writers create an event (POST) and update it (PUT with its version); readers list a filtered
// page and fetch one event. Each backend starts from an empty registry. Not a test: figures only.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "support/live_api.h"
#include "support/postgres_cluster.h"

namespace {

using citydip::test_support::LiveApi;
using citydip::test_support::LoadOptions;
using citydip::test_support::LoadReport;
using citydip::test_support::OpStats;

void PrintRow(const char* backend, const char* op, const OpStats& stats, double seconds) {
  const auto total = stats.ok + stats.conflicts + stats.errors + stats.connection_errors;
  std::printf("%-10s %-6s %10.0f %9lld %8.2f %8.2f %9.2f %7lld %7lld %7lld\n", backend, op,
              static_cast<double>(stats.ok) / seconds, static_cast<long long>(total), stats.p50_ms,
              stats.p99_ms, stats.max_ms, static_cast<long long>(stats.conflicts),
              static_cast<long long>(stats.errors),
              static_cast<long long>(stats.connection_errors));
  if (!stats.first_error.empty()) {
    std::printf("           first error: %s\n", stats.first_error.c_str());
  }
}

bool RunOne(const char* backend,
            const std::string& db,
            const LoadOptions& options,
            LoadReport& report) {
  auto api = LiveApi::Start(db, /*threads=*/options.writers + options.readers);
  if (!api) {
    std::fprintf(stderr, "api_load: %s: %s\n", backend, api.error().ToString().c_str());
    return false;
  }
  auto token = (*api)->LoginEditor();
  if (!token) {
    std::fprintf(stderr, "api_load: %s: %s\n", backend, token.error().ToString().c_str());
    return false;
  }
  std::fprintf(stderr, "api_load: %s: %d writers, %d readers for %.0f s ...\n", backend,
               options.writers, options.readers, options.seconds);
  report = citydip::test_support::RunLoad((*api)->port(), *token, options);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  LoadOptions options;
  std::string backend = "both";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--seconds") {
      options.seconds = std::atof(argv[i + 1]);
    } else if (flag == "--writers") {
      options.writers = std::atoi(argv[i + 1]);
    } else if (flag == "--readers") {
      options.readers = std::atoi(argv[i + 1]);
    } else if (flag == "--backend") {
      backend = argv[i + 1];
    } else {
      std::fprintf(stderr,
                   "usage: api_load [--seconds S] [--writers N] [--readers N] "
                   "[--backend both|sqlite|postgres]\n");
      return 2;
    }
  }

  LoadReport sqlite_report;
  LoadReport pg_report;
  bool have_sqlite = false;
  bool have_pg = false;
  if (backend == "both" || backend == "sqlite") {
    std::string dir = (std::filesystem::temp_directory_path() / "citydip-api-load-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    have_sqlite = RunOne("sqlite", dir + "/registry.db", options, sqlite_report);
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  if (backend == "both" || backend == "postgres") {
    auto cluster = citydip::test_support::PostgresCluster::Start();
    if (!cluster) {
      std::fprintf(stderr, "api_load: postgres: %s\n", cluster.error().ToString().c_str());
    } else {
      auto database = (*cluster)->CreateDatabase("api_load");
      if (!database) {
        std::fprintf(stderr, "api_load: postgres: %s\n", database.error().ToString().c_str());
      } else {
        have_pg = RunOne("postgresql", (*cluster)->Url(*database), options, pg_report);
      }
      (void)(*cluster)->Stop();
    }
  }

  std::printf("\nAPI load: %d writers + %d readers, SYNTHETIC events\n", options.writers,
              options.readers);
  std::printf("%-10s %-6s %10s %9s %8s %8s %9s %7s %7s %7s\n", "backend", "op", "ok/s", "requests",
              "p50 ms", "p99 ms", "max ms", "409s", "errors", "no-resp");
  if (have_sqlite) {
    PrintRow("sqlite", "write", sqlite_report.writes, sqlite_report.seconds);
    PrintRow("sqlite", "read", sqlite_report.reads, sqlite_report.seconds);
  }
  if (have_pg) {
    PrintRow("postgresql", "write", pg_report.writes, pg_report.seconds);
    PrintRow("postgresql", "read", pg_report.reads, pg_report.seconds);
  }
  if (have_sqlite && have_pg && sqlite_report.writes.ok > 0 && sqlite_report.reads.ok > 0) {
    std::printf("ratio postgresql/sqlite: writes %.2fx, reads %.2fx (throughput)\n",
                (static_cast<double>(pg_report.writes.ok) / pg_report.seconds) /
                    (static_cast<double>(sqlite_report.writes.ok) / sqlite_report.seconds),
                (static_cast<double>(pg_report.reads.ok) / pg_report.seconds) /
                    (static_cast<double>(sqlite_report.reads.ok) / sqlite_report.seconds));
  }
  auto failures = [](const LoadReport& r) {
    return r.writes.errors + r.reads.errors + r.writes.connection_errors +
           r.reads.connection_errors;
  };
  const bool clean =
      (!have_sqlite || failures(sqlite_report) == 0) && (!have_pg || failures(pg_report) == 0);
  return (have_sqlite || have_pg) && clean ? 0 : 1;
}
