// The GDELT barometer on a 2-shard ClickHouse cluster (issue 9): the real samples ingested into
// the warehouse give the same series as the local engine (counts exact, sums within 1e-9
// relative); a stopped shard is a clear error and never a partial result.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "citydip/app/gdelt_service.h"
#include "citydip/storage/clickhouse/clickhouse_http.h"
#include "citydip/storage/clickhouse/clickhouse_warehouse.h"
#include "support/clickhouse_cluster.h"

namespace citydip::test {
namespace {

using test_support::ClickHouseCluster;
using test_support::ClickHouseEnvironment;

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClickHouseEnvironment);

std::string DataPath(const std::string& relative) {
  return std::string(CITYDIP_SOURCE_DIR) + "/data/gdelt/" + relative;
}

std::vector<std::string> V2EventSamples() {
  return {DataPath("samples/v2/20150218230000.export.CSV"),
          DataPath("samples/v2/20150218231500.export.CSV"),
          DataPath("samples/v2/20150218233000.export.CSV"),
          DataPath("samples/v2/20150218234500.export.CSV"),
          DataPath("samples/v2/20180101000000.export.CSV.zip")};
}

std::string V1Sample() {
  return DataPath("samples/v1/gdelt-v1-sample.export.CSV");
}

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(CITYDIP_BINARY_DIR) / "test-tmp" / "warehouse" /
            (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

::testing::AssertionResult Near(double expected, double actual) {
  const double tolerance = 1e-9 * std::max(1.0, std::abs(expected));
  if (std::abs(expected - actual) <= tolerance) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected " << expected << ", got " << actual << " (tolerance " << tolerance << ")";
}

::testing::AssertionResult NearOptional(const std::optional<double>& expected,
                                        const std::optional<double>& actual) {
  if (expected.has_value() != actual.has_value()) {
    return ::testing::AssertionFailure() << "one mean is empty, the other not";
  }
  return expected ? Near(*expected, *actual) : ::testing::AssertionSuccess();
}

class WarehouseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = ClickHouseEnvironment::Cluster();
    ASSERT_NE(cluster_, nullptr) << ClickHouseEnvironment::StartError();
  }

  [[nodiscard]] Status Init(const std::string& table = "gdelt_events") const {
    app::WarehouseInitRequest request;
    request.urls = cluster_->Urls();
    request.cluster = ClickHouseCluster::kClusterName;
    request.table = table;
    return app::InitWarehouse(request);
  }

  [[nodiscard]] Result<app::GdeltIngestResult> IngestToWarehouse(
      const std::string& db, std::vector<std::string> inputs) const {
    app::GdeltIngestRequest request;
    request.db = db;
    request.inputs = std::move(inputs);
    request.warehouse = cluster_->Urls();
    request.warehouse_batch_rows = 1000;  // several INSERTs even for the samples
    return app::IngestGdelt(request);
  }

  [[nodiscard]] Result<app::GdeltSeries> WarehouseSeries(app::GdeltSeriesRequest request) const {
    request.warehouse = cluster_->Urls();
    return app::ReadGdeltSeries(request);
  }

  ClickHouseCluster* cluster_ = nullptr;
};

app::GdeltIngestResult IngestLocally(const std::string& db, std::vector<std::string> inputs) {
  app::GdeltIngestRequest request;
  request.db = db;
  request.inputs = std::move(inputs);
  request.period = "day";  // rolls up to every period
  request.no_cities = true;
  auto result = app::IngestGdelt(request);
  EXPECT_TRUE(result) << result.error().ToString();
  return result ? *result : app::GdeltIngestResult{};
}

app::GdeltSeriesRequest AllPairs(const std::string& db, const std::string& period) {
  app::GdeltSeriesRequest request;
  request.db = db;
  request.all = true;
  request.period = period;
  return request;
}

void ExpectSameSeries(const app::GdeltSeries& local, const app::GdeltSeries& warehouse) {
  EXPECT_EQ(local.period, warehouse.period);
  EXPECT_EQ(local.kind, warehouse.kind);
  EXPECT_EQ(local.normalized, warehouse.normalized);
  ASSERT_EQ(local.rows.size(), warehouse.rows.size());
  for (std::size_t i = 0; i < local.rows.size(); ++i) {
    const auto& a = local.rows[i];
    const auto& b = warehouse.rows[i];
    SCOPED_TRACE(a.period + " " + a.actor1 + " -> " + a.actor2);
    ASSERT_EQ(a.period, b.period);
    ASSERT_EQ(a.actor1, b.actor1);
    ASSERT_EQ(a.actor2, b.actor2);
    if (local.normalized) {
      EXPECT_TRUE(Near(a.events, b.events));
      EXPECT_TRUE(Near(a.root_events, b.root_events));
      EXPECT_TRUE(Near(a.mentions, b.mentions));
    } else {
      EXPECT_EQ(a.events, b.events);
      EXPECT_EQ(a.root_events, b.root_events);
      EXPECT_EQ(a.mentions, b.mentions);
      EXPECT_EQ(a.sources, b.sources);
      EXPECT_EQ(a.articles, b.articles);
      EXPECT_EQ(a.quad, b.quad);
      EXPECT_EQ(a.root, b.root);
    }
    EXPECT_TRUE(Near(a.goldstein_sum, b.goldstein_sum));
    EXPECT_TRUE(Near(a.tone_sum, b.tone_sum));
    EXPECT_TRUE(NearOptional(a.goldstein_mean, b.goldstein_mean));
    EXPECT_TRUE(NearOptional(a.goldstein_mentions_weighted, b.goldstein_mentions_weighted));
    EXPECT_TRUE(NearOptional(a.tone_mean, b.tone_mean));
  }
}

std::uint64_t RowsOf(const app::GdeltIngestResult& result) {
  return result.report.rows;
}

// Compares every period and a single pair (with zero rows and normalization) with the local
// engine on the same files.
void CompareWithLocalEngine(
    const std::function<Result<app::GdeltSeries>(app::GdeltSeriesRequest)>& warehouse_series,
    const std::string& local_db) {
  for (const std::string period : {"day", "month", "quarter", "year"}) {
    SCOPED_TRACE(period);
    auto local = app::ReadGdeltSeries(AllPairs(local_db, period));
    ASSERT_TRUE(local) << local.error().ToString();
    auto remote = warehouse_series(AllPairs(local_db, period));
    ASSERT_TRUE(remote) << remote.error().ToString();
    ASSERT_FALSE(local->rows.empty());
    ExpectSameSeries(*local, *remote);
  }
  // The pair with the most events, by month, raw and normalized.
  auto all = app::ReadGdeltSeries(AllPairs(local_db, "year"));
  ASSERT_TRUE(all);
  const auto top =
      std::max_element(all->rows.begin(), all->rows.end(),
                       [](const auto& a, const auto& b) { return a.events < b.events; });
  for (const bool normalize : {false, true}) {
    app::GdeltSeriesRequest request;
    request.db = local_db;
    request.from = top->actor1;
    request.to = top->actor2;
    request.period = "month";
    request.normalize = normalize;
    auto local = app::ReadGdeltSeries(request);
    ASSERT_TRUE(local) << local.error().ToString();
    auto remote = warehouse_series(request);
    ASSERT_TRUE(remote) << remote.error().ToString();
    ExpectSameSeries(*local, *remote);
    const std::string local_csv = app::SeriesToCsv(*local);
    const std::string remote_csv = app::SeriesToCsv(*remote);
    EXPECT_EQ(local_csv.substr(0, local_csv.find('\n')),
              remote_csv.substr(0, remote_csv.find('\n')));
  }
}

TEST_F(WarehouseTest, InitCreatesTheTablesOnEveryShardAndIsIdempotent) {
  ASSERT_TRUE(Init()) << Init().error().ToString();
  ASSERT_TRUE(Init());  // again: a no-op
  auto http = storage::clickhouse::ClickHouseHttp::Parse(cluster_->Urls());
  ASSERT_TRUE(http);
  ASSERT_EQ(http->shards().size(), 2U);
  for (std::size_t shard = 0; shard < 2; ++shard) {
    for (const char* table : {"gdelt_events_local", "gdelt_events"}) {
      auto exists = http->Execute(shard, std::string("EXISTS TABLE default.") + table);
      ASSERT_TRUE(exists) << exists.error().ToString();
      EXPECT_EQ(*exists, "1\n") << table << " on shard " << shard;
    }
    auto engine = http->Execute(
        shard,
        "SELECT partition_key FROM system.tables WHERE database = 'default' AND name = "
        "'gdelt_events_local'");
    ASSERT_TRUE(engine);
    EXPECT_EQ(*engine, "toYYYYMM(date)\n");
  }
  // A cluster the servers do not declare is refused.
  app::WarehouseInitRequest request;
  request.urls = cluster_->Urls();
  request.cluster = "no_such_cluster";
  request.table = "other_events";
  const Status refused = app::InitWarehouse(request);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("no_such_cluster"), std::string::npos)
      << refused.error().ToString();
  // Bad addresses are refused before any connection.
  request.urls = "127.0.0.1:8123";
  request.cluster = ClickHouseCluster::kClusterName;
  const Status bad = app::InitWarehouse(request);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(WarehouseTest, V2SamplesGiveTheLocalEnginesSeries) {
  TempDir dir;
  ASSERT_TRUE(Init());
  const auto local = IngestLocally(dir.File("local.db"), V2EventSamples());
  ASSERT_TRUE(local.ok());
  auto remote = IngestToWarehouse(dir.File("registry.db"), V2EventSamples());
  ASSERT_TRUE(remote) << remote.error().ToString();
  EXPECT_TRUE(remote->ok());
  EXPECT_EQ(remote->report.ingested, V2EventSamples().size());
  EXPECT_EQ(RowsOf(*remote), RowsOf(local));
  EXPECT_GT(RowsOf(local), 1000U);
  // Every row is on a shard, and both shards hold some (rand() sharding).
  auto warehouse = storage::clickhouse::OpenClickHouseWarehouse({cluster_->Urls()});
  ASSERT_TRUE(warehouse);
  auto count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(static_cast<std::uint64_t>(*count), RowsOf(local));
  auto http = storage::clickhouse::ClickHouseHttp::Parse(cluster_->Urls());
  for (std::size_t shard = 0; shard < 2; ++shard) {
    auto rows = http->Execute(shard, "SELECT count() FROM default.gdelt_events_local");
    ASSERT_TRUE(rows);
    EXPECT_NE(*rows, "0\n") << "shard " << shard;
  }
  CompareWithLocalEngine([&](app::GdeltSeriesRequest request) { return WarehouseSeries(request); },
                         dir.File("local.db"));
}

TEST_F(WarehouseTest, V1SampleGivesTheLocalEnginesSeries) {
  TempDir dir;
  ASSERT_TRUE(Init("v1_events"));
  const auto local = IngestLocally(dir.File("local.db"), {V1Sample()});
  ASSERT_TRUE(local.ok());
  app::GdeltIngestRequest request;
  request.db = dir.File("registry.db");
  request.inputs = {V1Sample()};
  request.warehouse = cluster_->Urls();
  request.warehouse_table = "v1_events";
  auto remote = app::IngestGdelt(request);
  ASSERT_TRUE(remote) << remote.error().ToString();
  EXPECT_TRUE(remote->ok());
  EXPECT_EQ(RowsOf(*remote), RowsOf(local));
  // The same bad-row handling as the local engine.
  EXPECT_EQ(remote->report.bad_rows, local.report.bad_rows);
  CompareWithLocalEngine(
      [&](app::GdeltSeriesRequest series) {
        series.warehouse = cluster_->Urls();
        series.warehouse_table = "v1_events";
        return app::ReadGdeltSeries(series);
      },
      dir.File("local.db"));
}

TEST_F(WarehouseTest, ReingestingRecordedFilesAddsNoRows) {
  TempDir dir;
  ASSERT_TRUE(Init());
  auto first = IngestToWarehouse(dir.File("registry.db"), V2EventSamples());
  ASSERT_TRUE(first) << first.error().ToString();
  auto warehouse = storage::clickhouse::OpenClickHouseWarehouse({cluster_->Urls()});
  ASSERT_TRUE(warehouse);
  const auto before = (*warehouse)->CountEvents();
  ASSERT_TRUE(before);
  auto second = IngestToWarehouse(dir.File("registry.db"), V2EventSamples());
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ(second->report.ingested, 0U);
  EXPECT_EQ(second->report.already_ingested, V2EventSamples().size());
  const auto after = (*warehouse)->CountEvents();
  ASSERT_TRUE(after);
  EXPECT_EQ(*before, *after);
}

TEST_F(WarehouseTest, AFileOverItsBadRowLimitSendsNoRow) {
  TempDir dir;
  ASSERT_TRUE(Init("bad_events"));
  // 100 good rows of a real sample, then 5 rows with a QuadClass of 7: 5% bad rows.
  std::string text;
  {
    std::FILE* in = std::fopen(V2EventSamples()[0].c_str(), "rb");
    ASSERT_NE(in, nullptr);
    char line[65536];
    for (int i = 0; i < 100 && std::fgets(line, sizeof line, in) != nullptr; ++i) {
      text += line;
    }
    std::fclose(in);
  }
  const std::string first = text.substr(0, text.find('\n'));
  std::vector<std::string> fields;
  for (std::size_t start = 0;;) {
    const std::size_t tab = first.find('\t', start);
    fields.push_back(first.substr(start, tab - start));
    if (tab == std::string::npos) {
      break;
    }
    start = tab + 1;
  }
  fields[29] = "7";  // QuadClass
  std::string bad;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    bad += (i > 0 ? "\t" : "") + fields[i];
  }
  for (int i = 0; i < 5; ++i) {
    text += bad + "\n";
  }
  const std::string path = dir.File("20150218230000.export.CSV");
  {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  }
  app::GdeltIngestRequest request;
  request.db = dir.File("registry.db");
  request.inputs = {path};
  request.warehouse = cluster_->Urls();
  request.warehouse_table = "bad_events";
  auto result = app::IngestGdelt(request);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_FALSE(result->ok());
  EXPECT_EQ(result->report.failed, 1U);
  EXPECT_EQ(result->report.bad_rows, 5U);
  storage::clickhouse::WarehouseOptions options;
  options.urls = cluster_->Urls();
  options.table = "bad_events";
  auto warehouse = storage::clickhouse::OpenClickHouseWarehouse(options);
  ASSERT_TRUE(warehouse);
  auto count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(*count, 0);
  // With a looser limit the 100 good rows are stored and the 5 bad ones skipped.
  request.max_bad_rows = "10%";
  auto loose = app::IngestGdelt(request);
  ASSERT_TRUE(loose) << loose.error().ToString();
  EXPECT_TRUE(loose->ok());
  count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 100);
}

TEST_F(WarehouseTest, OptionsTheWarehouseCannotHonourAreRefused) {
  TempDir dir;
  app::GdeltIngestRequest ingest;
  ingest.db = dir.File("registry.db");
  ingest.inputs = V2EventSamples();
  ingest.warehouse = cluster_->Urls();
  ingest.countries = "KOR";
  auto refused = app::IngestGdelt(ingest);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  app::GdeltSeriesRequest series = AllPairs(dir.File("registry.db"), "month");
  series.city_pairs = true;
  auto cities = WarehouseSeries(series);
  ASSERT_FALSE(cities);
  EXPECT_EQ(cities.error().code, ErrorCode::kInvalidArgument);
  // A table that was never created: asks for `warehouse init`.
  series.city_pairs = false;
  series.warehouse_table = "never_created";
  auto missing = WarehouseSeries(series);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition) << missing.error().ToString();
  EXPECT_NE(missing.error().message.find("warehouse init"), std::string::npos);
}

#ifdef CITYDIP_CLI_PATH
int RunCli(const std::string& args, const std::string& out_file) {
  const std::string command =
      std::string(CITYDIP_CLI_PATH) + " " + args + " >" + out_file + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadAll(const std::string& path) {
  std::string text;
  if (FILE* file = std::fopen(path.c_str(), "rb")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
      text.append(buffer, n);
    }
    std::fclose(file);
  }
  return text;
}

TEST_F(WarehouseTest, CliInitIngestAndSeries) {
  TempDir dir;
  const std::string out = dir.File("out.txt");
  ASSERT_EQ(RunCli("warehouse init --clickhouse " + cluster_->Urls() + " --cluster " +
                       ClickHouseCluster::kClusterName,
                   out),
            0)
      << ReadAll(out);
  const std::string inputs = DataPath("samples/v2");
  ASSERT_EQ(RunCli("--db " + dir.File("registry.db") + " gdelt ingest --warehouse " +
                       cluster_->Urls() + " " + inputs,
                   out),
            0)
      << ReadAll(out);
  EXPECT_NE(ReadAll(out).find("ingested 9 files"), std::string::npos) << ReadAll(out);
  ASSERT_EQ(RunCli("--db " + dir.File("registry.db") +
                       " gdelt series --all --format csv --warehouse " + cluster_->Urls(),
                   out),
            0)
      << ReadAll(out);
  const std::string remote = ReadAll(out);
  ASSERT_EQ(RunCli("--db " + dir.File("local.db") + " gdelt ingest --no-cities " + inputs, out), 0)
      << ReadAll(out);
  ASSERT_EQ(RunCli("--db " + dir.File("local.db") + " gdelt series --all --format csv", out), 0)
      << ReadAll(out);
  const std::string local = ReadAll(out);
  EXPECT_EQ(std::count(remote.begin(), remote.end(), '\n'),
            std::count(local.begin(), local.end(), '\n'));
  EXPECT_EQ(remote.substr(0, remote.find('\n')), local.substr(0, local.find('\n')));
}
#endif

// Last in the file: it stops a shard (each test process has its own cluster).
TEST_F(WarehouseTest, AStoppedShardIsAClearErrorAndNoPartialResult) {
  TempDir dir;
  ASSERT_TRUE(Init());
  auto ingested = IngestToWarehouse(dir.File("registry.db"), V2EventSamples());
  ASSERT_TRUE(ingested) << ingested.error().ToString();
  auto before = WarehouseSeries(AllPairs(dir.File("registry.db"), "month"));
  ASSERT_TRUE(before) << before.error().ToString();
  ASSERT_TRUE(cluster_->StopShard(1));
  auto series = WarehouseSeries(AllPairs(dir.File("registry.db"), "month"));
  ASSERT_FALSE(series) << "a series with a shard down must not be given";
  EXPECT_EQ(series.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(series.error().message.find(cluster_->Url(1)), std::string::npos)
      << series.error().ToString();
  // An ingest fails the same way and records nothing.
  auto refused = IngestToWarehouse(dir.File("other.db"), {V1Sample()});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find(cluster_->Url(1)), std::string::npos)
      << refused.error().ToString();
  // Back up: the same series as before (the shard's data survived the stop).
  ASSERT_TRUE(cluster_->StartShard(1)) << cluster_->ServerLog(1);
  auto after = WarehouseSeries(AllPairs(dir.File("registry.db"), "month"));
  ASSERT_TRUE(after) << after.error().ToString();
  ExpectSameSeries(*before, *after);
}

}  // namespace
}  // namespace citydip::test
