// The GDELT barometer on a 2-shard ClickHouse cluster (issue 9): the real samples ingested into
// the warehouse give the same series as the local engine (counts exact, sums within 1e-9
// relative); a stopped shard is a clear error and never a partial result.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "citydip/app/analysis_service.h"
#include "citydip/app/gdelt_service.h"
#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "citydip/server/server.h"
#include "citydip/storage/clickhouse/clickhouse_http.h"
#include "citydip/storage/clickhouse/clickhouse_warehouse.h"
#include "gdelt_test_support.h"
#include "support/clickhouse_cluster.h"

// Last: <resolv.h>, which httplib includes, defines `_res`, a name Eigen (analysis_service.h)
// uses.
#include <httplib.h>

namespace citydip::test {
namespace {

using test_support::ClickHouseCluster;
using test_support::ClickHouseEnvironment;

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClickHouseEnvironment);

// The shipped city-actor dictionary, named explicitly so that both engines use the same one.
std::string Cities() {
  return DataPath("city_actors.csv");
}

::testing::AssertionResult NearOptional(const std::optional<double>& expected,
                                        const std::optional<double>& actual) {
  if (expected.has_value() != actual.has_value()) {
    return ::testing::AssertionFailure() << "one mean is empty, the other not";
  }
  return expected ? Near(*expected, *actual) : ::testing::AssertionSuccess();
}

// The Seoul–China reference registry, imported into a new SQLite file at `path`.
std::unique_ptr<storage::Store> OpenRegistry(const std::string& path) {
  auto store = app::OpenStore(path);
  EXPECT_TRUE(store) << store.error().ToString();
  if (!store) {
    return nullptr;
  }
  const std::string data = std::string(CITYDIP_SOURCE_DIR) + "/data/seoul-china/";
  std::vector<std::string> files;
  for (const char* kind : {"cities", "organizations", "partner_relations", "memberships",
                           "officials", "mechanisms", "events"}) {
    files.push_back(data + kind + ".csv");
  }
  auto imported = app::ImportFiles(**store, files, {});
  EXPECT_TRUE(imported) << imported.error().ToString();
  return std::move(*store);
}

// The tab-separated fields of a GDELT row.
std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  for (std::size_t start = 0;;) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) {
      return fields;
    }
    start = tab + 1;
  }
}

// SYNTHETIC GDELT 2.0 rows for the analyses, which need KOR<->CHN rows over many months (the
// real samples have none): the real sample rows that touch KOR or CHN, with their Goldstein,
// tone and counts kept, re-dated to the 15th of each month 2015-01..2017-12 (a varying subset
// per month, so that the means vary), their countries set to KOR -> CHN or CHN -> KOR
// by row, and every fourth row's actors named SEOUL and BEIJING (city pairs for `image`).
std::string WriteSyntheticKorChnFile(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t f = 0; f < 4; ++f) {
    std::ifstream in(V2EventSamples()[f]);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> fields = SplitTabs(line);
      if (fields.size() == 61 && (fields[7] == "KOR" || fields[7] == "CHN" || fields[17] == "KOR" ||
                                  fields[17] == "CHN")) {
        rows.push_back(std::move(fields));
      }
    }
  }
  std::string text;
  for (int m = 0; m < 36; ++m) {
    const int year = 2015 + m / 12;
    const int month = m % 12 + 1;
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02d15", year, month);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      // About a quarter of the rows left out, a different set each month (with no period of
      // 3 or 12 months: a quarterly or yearly index that came out constant would make the
      // correlations depend on rounding).
      const std::uint64_t draw = (i + 1) * (static_cast<std::uint64_t>(m) + 3) * 2654435761U;
      if ((draw >> 7) % 4 == 0) {
        continue;
      }
      auto fields = rows[i];
      fields[1] = date;
      fields[2] = std::string(date).substr(0, 6);
      fields[3] = std::string(date).substr(0, 4);
      const bool kor_first = i % 2 == 0;
      fields[7] = kor_first ? "KOR" : "CHN";
      fields[17] = kor_first ? "CHN" : "KOR";
      if (i % 4 < 2) {
        fields[6] = kor_first ? "SEOUL" : "BEIJING";
        fields[16] = kor_first ? "BEIJING" : "SEOUL";
      }
      for (std::size_t c = 0; c < fields.size(); ++c) {
        text += (c > 0 ? "\t" : "") + fields[c];
      }
      text += '\n';
    }
  }
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Two JSON documents equal but for numbers within 1e-9 relative.
::testing::AssertionResult SameJson(const nlohmann::json& a,
                                    const nlohmann::json& b,
                                    const std::string& where = "$") {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    if (std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(x))) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << where << ": " << x << " vs " << y;
  }
  if (a.type() != b.type()) {
    return ::testing::AssertionFailure() << where << ": " << a.dump() << " vs " << b.dump();
  }
  if (a.is_object()) {
    if (a.size() != b.size()) {
      return ::testing::AssertionFailure() << where << ": keys differ";
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) {
        return ::testing::AssertionFailure() << where << ": no " << it.key();
      }
      if (auto same = SameJson(it.value(), b.at(it.key()), where + "." + it.key()); !same) {
        return same;
      }
    }
    return ::testing::AssertionSuccess();
  }
  if (a.is_array()) {
    if (a.size() != b.size()) {
      return ::testing::AssertionFailure()
             << where << ": " << a.size() << " vs " << b.size() << " items";
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (auto same = SameJson(a[i], b[i], where + "[" + std::to_string(i) + "]"); !same) {
        return same;
      }
    }
    return ::testing::AssertionSuccess();
  }
  if (a != b) {
    return ::testing::AssertionFailure() << where << ": " << a.dump() << " vs " << b.dump();
  }
  return ::testing::AssertionSuccess();
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
    request.cities = Cities();
    return app::IngestGdelt(request);
  }

  // The warehouse of the Distributed table `table` (not connected yet).
  [[nodiscard]] std::unique_ptr<storage::EventWarehouse> OpenTable(
      const std::string& table = "gdelt_events") const {
    storage::clickhouse::WarehouseOptions options;
    options.urls = cluster_->Urls();
    options.table = table;
    auto opened = storage::clickhouse::OpenClickHouseWarehouse(options);
    EXPECT_TRUE(opened) << opened.error().ToString();
    return opened ? std::move(*opened) : nullptr;
  }

  // Asks shard 0 the count `sql` until it answers 0 (discarded loads are deleted by a background
  // mutation), for at most 10 s; returns the last answer.
  [[nodiscard]] std::string WaitForNoRows(const std::string& sql) const {
    auto http = storage::clickhouse::ClickHouseHttp::Parse(cluster_->Urls());
    std::string answer = "?";
    for (int i = 0; http && i < 200 && answer != "0\n"; ++i) {
      auto counted = http->Execute(0, sql, {}, {{"skip_unavailable_shards", "0"}});
      answer = counted ? *counted : counted.error().ToString();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return answer;
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
  request.cities = Cities();
  auto result = app::IngestGdelt(request);
  EXPECT_TRUE(result) << result.error().ToString();
  return result ? *result : app::GdeltIngestResult{};
}

app::GdeltSeriesRequest AllPairs(const std::string& db,
                                 const std::string& period,
                                 bool city_pairs = false) {
  app::GdeltSeriesRequest request;
  request.db = db;
  request.all = true;
  request.period = period;
  request.city_pairs = city_pairs;
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

// Two series CSVs with the same header and, line by line, the same period, pair and event count
// (the sums are compared by ExpectSameSeries: their last digits may differ with the order of
// addition).
void ExpectSameCsvKeys(const std::string& local, const std::string& remote) {
  const auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = text.find('\n', start);
      std::string line = text.substr(start, end - start);
      std::size_t comma = 0;
      for (int i = 0; i < 4 && comma != std::string::npos; ++i) {
        comma = line.find(',', comma == 0 ? 0 : comma + 1);
      }
      // The header whole; rows up to the events column.
      out.push_back(out.empty() ? line : line.substr(0, comma));
      start = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
  };
  const auto a = lines(local);
  const auto b = lines(remote);
  EXPECT_GT(a.size(), 1U);
  EXPECT_EQ(a, b);
}

std::uint64_t RowsOf(const app::GdeltIngestResult& result) {
  return result.report.rows;
}

// Compares every period and a single pair (with zero rows and normalization) with the local
// engine on the same files, for country pairs or city pairs.
void CompareWithLocalEngine(
    const std::function<Result<app::GdeltSeries>(app::GdeltSeriesRequest)>& warehouse_series,
    const std::string& local_db,
    bool city_pairs = false) {
  SCOPED_TRACE(city_pairs ? "city pairs" : "country pairs");
  for (const std::string period : {"day", "month", "quarter", "year"}) {
    SCOPED_TRACE(period);
    auto local = app::ReadGdeltSeries(AllPairs(local_db, period, city_pairs));
    ASSERT_TRUE(local) << local.error().ToString();
    auto remote = warehouse_series(AllPairs(local_db, period, city_pairs));
    ASSERT_TRUE(remote) << remote.error().ToString();
    ASSERT_FALSE(local->rows.empty());
    ExpectSameSeries(*local, *remote);
  }
  // The pair with the most events, by month, raw and normalized.
  auto all = app::ReadGdeltSeries(AllPairs(local_db, "year", city_pairs));
  ASSERT_TRUE(all);
  const auto top =
      std::max_element(all->rows.begin(), all->rows.end(),
                       [](const auto& a, const auto& b) { return a.events < b.events; });
  for (const bool normalize : {false, true}) {
    app::GdeltSeriesRequest request;
    request.db = local_db;
    request.from = top->actor1;
    request.to = top->actor2;
    request.city_pairs = city_pairs;
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
  CompareWithLocalEngine([&](app::GdeltSeriesRequest request) { return WarehouseSeries(request); },
                         dir.File("local.db"), /*city_pairs=*/true);
  // The city series as printed: the same header, rows, keys and counts.
  auto local_csv = app::ReadGdeltSeries(AllPairs(dir.File("local.db"), "month", true));
  auto remote_csv = WarehouseSeries(AllPairs(dir.File("local.db"), "month", true));
  ASSERT_TRUE(local_csv && remote_csv);
  ExpectSameCsvKeys(app::SeriesToCsv(*local_csv), app::SeriesToCsv(*remote_csv));
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
  request.cities = Cities();
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
  CompareWithLocalEngine(
      [&](app::GdeltSeriesRequest series) {
        series.warehouse = cluster_->Urls();
        series.warehouse_table = "v1_events";
        return app::ReadGdeltSeries(series);
      },
      dir.File("local.db"), /*city_pairs=*/true);
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

// Another client (its own --db) ingesting the same files: the warehouse's own registry knows
// them, so nothing is stored twice.
TEST_F(WarehouseTest, TheWarehouseKeepsItsOwnRegistryOfFiles) {
  TempDir dir;
  ASSERT_TRUE(Init());
  auto first = IngestToWarehouse(dir.File("one.db"), V2EventSamples());
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_EQ(first->report.ingested, V2EventSamples().size());
  auto warehouse = storage::clickhouse::OpenClickHouseWarehouse({cluster_->Urls()});
  ASSERT_TRUE(warehouse);
  auto files = (*warehouse)->ListFiles();
  ASSERT_TRUE(files) << files.error().ToString();
  ASSERT_EQ(files->size(), V2EventSamples().size());
  std::uint64_t rows = 0;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto& file = (*files)[i];
    EXPECT_EQ(file.name, std::filesystem::path(V2EventSamples()[i]).filename().string());
    EXPECT_EQ(file.size, std::filesystem::file_size(V2EventSamples()[i]));
    auto md5 = ingest::gdelt::Md5OfFile(V2EventSamples()[i]);
    ASSERT_TRUE(md5);
    EXPECT_EQ(file.md5, *md5);
    EXPECT_EQ(file.kind, "events-v2");
    EXPECT_NE(file.load_id, 0U);
    EXPECT_FALSE(file.ingested_at.empty());
    rows += file.rows;
  }
  EXPECT_EQ(rows, RowsOf(*first));
  // The other client: a fresh local registry, the same warehouse.
  auto second = IngestToWarehouse(dir.File("two.db"), V2EventSamples());
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ(second->report.ingested, 0U);
  EXPECT_EQ(second->report.already_ingested, V2EventSamples().size());
  auto count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count);
  EXPECT_EQ(static_cast<std::uint64_t>(*count), RowsOf(*first));
  // The warehouse ingest leaves the local registry alone.
  EXPECT_FALSE(std::filesystem::exists(dir.File("two.db")));
}

// Rows count only once their file is committed; a file committed twice (two clients racing)
// counts once.
TEST_F(WarehouseTest, OnlyCommittedLoadsAreCountedAndEachFileOnce) {
  ASSERT_TRUE(Init("load_events"));
  auto opened = OpenTable("load_events");
  ASSERT_NE(opened, nullptr);
  storage::EventWarehouse& warehouse = *opened;
  const auto rows_of = [](std::uint64_t load, int count) {
    std::vector<storage::WarehouseEvent> rows(static_cast<std::size_t>(count));
    for (auto& row : rows) {
      row.date = "2016-07-08";
      row.actor1_country = "KOR";
      row.actor2_country = "CHN";
      row.goldstein = -2.5;
      row.mentions = 3;
      row.load_id = load;
    }
    return rows;
  };
  const std::uint64_t a = warehouse.NewLoadId();
  const std::uint64_t b = warehouse.NewLoadId();
  const std::uint64_t orphan = warehouse.NewLoadId();
  ASSERT_NE(a, b);
  ASSERT_NE(a, 0U);
  ASSERT_TRUE(warehouse.Insert(rows_of(a, 7)));
  ASSERT_TRUE(warehouse.Insert(rows_of(b, 7)));
  ASSERT_TRUE(warehouse.Insert(rows_of(orphan, 5)));  // a client killed before its commit
  auto count = warehouse.CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(*count, 0) << "rows of uncommitted loads are not counted";
  storage::WarehouseFile file;
  file.name = "odd\tname\\with 'quotes'.CSV";
  file.size = 1234;
  file.md5 = "0123456789abcdef0123456789abcdef";
  file.kind = "events-v2";
  file.rows = 7;
  file.load_id = a;
  ASSERT_TRUE(warehouse.CommitFiles({file}));
  file.load_id = b;
  ASSERT_TRUE(warehouse.CommitFiles({file}));
  count = warehouse.CountEvents();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 7);
  auto pairs = warehouse.QueryPairs({"country", "KOR", "CHN"}, "month");
  ASSERT_TRUE(pairs) << pairs.error().ToString();
  ASSERT_EQ(pairs->size(), 1U);
  EXPECT_EQ((*pairs)[0].sums.events, 7);
  EXPECT_EQ((*pairs)[0].sums.mentions, 21);
  auto totals = warehouse.QueryTotals("year");
  ASSERT_TRUE(totals);
  ASSERT_EQ(totals->size(), 1U);
  EXPECT_EQ((*totals)[0].events, 7);
  auto files = warehouse.ListFiles();
  ASSERT_TRUE(files) << files.error().ToString();
  ASSERT_EQ(files->size(), 1U);
  EXPECT_EQ((*files)[0].name, file.name);  // read back unescaped
  EXPECT_EQ((*files)[0].load_id, std::min(a, b));
  EXPECT_EQ((*files)[0].size, 1234U);
  // The orphan's rows are deleted on request.
  warehouse.DiscardLoads({orphan});
  EXPECT_EQ(WaitForNoRows("SELECT count() FROM default.load_events WHERE load_id = " +
                          std::to_string(orphan)),
            "0\n");
}

// A forwarding proxy in front of a shard that fails the `fail_at`-th statement starting with
// `prefix` (a connection or a server lost half-way through a batch); with `after_forwarding`, the
// statement reaches the shard and only its answer is lost.
class FailingProxy {
 public:
  static constexpr const char* kRowInsert = "INSERT INTO default.gdelt_events (";
  static constexpr const char* kCommit = "INSERT INTO default.gdelt_events_files (";

  FailingProxy(std::string target,
               int fail_at,
               std::string prefix = kRowInsert,
               bool after_forwarding = false)
      : client_(std::move(target)),
        fail_at_(fail_at),
        prefix_(std::move(prefix)),
        after_forwarding_(after_forwarding) {
    server_.Get("/ping", [this](const httplib::Request&, httplib::Response& res) {
      auto answer = client_.Get("/ping");
      res.status = answer ? answer->status : 502;
      res.set_content(answer ? answer->body : "", "text/plain");
    });
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string query = req.get_param_value("query");
      if (query.rfind(prefix_, 0) == 0 && ++inserts_ == fail_at_) {
        if (after_forwarding_) {
          (void)client_.Post(req.target, req.body, "text/plain");
        }
        res.status = 503;
        res.set_content("injected failure", "text/plain");
        return;
      }
      auto answer = client_.Post(req.target, req.body, "text/plain");
      if (answer && answer->status == 200 && query.rfind(kRowInsert, 0) == 0) {
        ++forwarded_inserts_;
      }
      res.status = answer ? answer->status : 502;
      res.set_content(answer ? answer->body : "", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~FailingProxy() {
    server_.stop();
    thread_.join();
  }
  FailingProxy(const FailingProxy&) = delete;
  FailingProxy& operator=(const FailingProxy&) = delete;

  [[nodiscard]] std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// INSERTs the shard stored.
  [[nodiscard]] int forwarded_inserts() const { return forwarded_inserts_.load(); }

 private:
  httplib::Server server_;
  httplib::Client client_;
  int fail_at_;
  std::string prefix_;
  bool after_forwarding_;
  std::atomic<int> inserts_{0};
  std::atomic<int> forwarded_inserts_{0};
  int port_ = 0;
  std::thread thread_;
};

// Issue 9's exactly-once rule: an ingest that fails after some of a batch's rows reached the
// shards leaves nothing counted, and ingesting the files again stores each row once.
TEST_F(WarehouseTest, AnIngestFailingHalfWayCountsNothingAndAReingestCountsOnce) {
  TempDir dir;
  ASSERT_TRUE(Init());
  const auto local = IngestLocally(dir.File("local.db"), V2EventSamples());
  ASSERT_TRUE(local.ok());
  auto warehouse = storage::clickhouse::OpenClickHouseWarehouse({cluster_->Urls()});
  ASSERT_TRUE(warehouse);
  {
    // Inserts go through the first URL: the proxy lets one batch of rows through, then fails.
    FailingProxy proxy(cluster_->Url(0), 2);
    app::GdeltIngestRequest request;
    request.db = dir.File("registry.db");
    request.inputs = {V2EventSamples()[0]};
    request.warehouse = proxy.Url() + "," + cluster_->Url(1);
    request.warehouse_batch_rows = 500;
    request.cities = Cities();
    auto failed = app::IngestGdelt(request);
    ASSERT_TRUE(failed) << failed.error().ToString();
    EXPECT_FALSE(failed->ok()) << "the file must fail";
    ASSERT_EQ(failed->report.files.size(), 1U);
    ASSERT_TRUE(failed->report.files[0].error.has_value());
    EXPECT_NE(failed->report.files[0].error->message.find("injected failure"), std::string::npos)
        << failed->report.files[0].error->ToString();
    // 500 rows reached the shards...
    EXPECT_EQ(proxy.forwarded_inserts(), 1);
  }
  // ...but none is counted, and the file is not recorded.
  auto count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(*count, 0);
  auto files = (*warehouse)->ListFiles();
  ASSERT_TRUE(files);
  EXPECT_TRUE(files->empty());
  {
    // The rows all stored, the commit lost: nothing counted either.
    FailingProxy proxy(cluster_->Url(0), 1, FailingProxy::kCommit);
    app::GdeltIngestRequest request;
    request.inputs = V2EventSamples();
    request.warehouse = proxy.Url() + "," + cluster_->Url(1);
    request.cities = Cities();
    request.threads = 1;
    auto failed = app::IngestGdelt(request);
    if (failed) {
      EXPECT_FALSE(failed->ok());
    } else {
      EXPECT_NE(failed.error().message.find("injected failure"), std::string::npos)
          << failed.error().ToString();
    }
    EXPECT_GE(proxy.forwarded_inserts(), 1);
  }
  count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0);
  // Again, without the failure: every file once, the local engine's numbers.
  auto again = IngestToWarehouse(dir.File("registry.db"), V2EventSamples());
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_TRUE(again->ok());
  EXPECT_EQ(again->report.ingested, V2EventSamples().size());
  count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count);
  EXPECT_EQ(static_cast<std::uint64_t>(*count), RowsOf(local));
  CompareWithLocalEngine([&](app::GdeltSeriesRequest request) { return WarehouseSeries(request); },
                         dir.File("local.db"));
}

// A commit whose answer is lost may have been stored: its rows must stay (never deleted as if
// uncommitted), and a re-ingest finds the files already ingested.
TEST_F(WarehouseTest, ACommitWhoseAnswerIsLostKeepsItsRows) {
  TempDir dir;
  ASSERT_TRUE(Init());
  const auto local = IngestLocally(dir.File("local.db"), V2EventSamples());
  ASSERT_TRUE(local.ok());
  {
    FailingProxy proxy(cluster_->Url(0), 1, FailingProxy::kCommit, /*after_forwarding=*/true);
    app::GdeltIngestRequest request;
    request.inputs = V2EventSamples();
    request.warehouse = proxy.Url() + "," + cluster_->Url(1);
    request.cities = Cities();
    auto answered = app::IngestGdelt(request);
    if (answered) {
      EXPECT_FALSE(answered->ok()) << "the lost answer is a failure";
    }
  }
  auto warehouse = OpenTable();
  ASSERT_NE(warehouse, nullptr);
  // Stored after all: counted, and still counted a while later (no deletion was asked for).
  for (int i = 0; i < 4; ++i) {
    auto count = warehouse->CountEvents();
    ASSERT_TRUE(count) << count.error().ToString();
    EXPECT_EQ(static_cast<std::uint64_t>(*count), RowsOf(local)) << "after " << i * 500 << " ms";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  auto again = IngestToWarehouse(dir.File("registry.db"), V2EventSamples());
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->report.ingested, 0U);
  EXPECT_EQ(again->report.already_ingested, V2EventSamples().size());
  CompareWithLocalEngine([&](app::GdeltSeriesRequest series) { return WarehouseSeries(series); },
                         dir.File("local.db"));
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
  std::vector<std::string> fields = SplitTabs(first);
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
  // Rows go out while the file is read (10 at a time): its good rows reach the shards before
  // the bad-row limit fails the file.
  request.warehouse_batch_rows = 10;
  auto result = app::IngestGdelt(request);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_FALSE(result->ok());
  EXPECT_EQ(result->report.failed, 1U);
  EXPECT_EQ(result->report.bad_rows, 5U);
  auto warehouse = OpenTable("bad_events");
  ASSERT_NE(warehouse, nullptr);
  auto count = warehouse->CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(*count, 0);
  // The failed file's rows are deleted from the shards.
  EXPECT_EQ(WaitForNoRows("SELECT count() FROM default.bad_events"), "0\n");
  // With a looser limit the 100 good rows are stored and the 5 bad ones skipped.
  request.max_bad_rows = "10%";
  auto loose = app::IngestGdelt(request);
  ASSERT_TRUE(loose) << loose.error().ToString();
  EXPECT_TRUE(loose->ok());
  count = warehouse->CountEvents();
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
  // A table that was never created: asks for `warehouse init`.
  series.warehouse_table = "never_created";
  auto missing = WarehouseSeries(series);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition) << missing.error().ToString();
  EXPECT_NE(missing.error().message.find("warehouse init"), std::string::npos);
}

TEST_F(WarehouseTest, TheAnalysesReadTheWarehouseLikeTheLocalTables) {
  TempDir dir;
  ASSERT_TRUE(Init("analysis_events"));
  const std::string file = WriteSyntheticKorChnFile(dir.File("20150101000000.export.CSV"));
  // Locally: the registry and the barometer tables in one file (ingested by month, the default).
  auto store = OpenRegistry(dir.File("registry.db"));
  ASSERT_NE(store, nullptr);
  app::GdeltIngestRequest local_ingest;
  local_ingest.db = dir.File("registry.db");
  local_ingest.inputs = {file};
  local_ingest.cities = Cities();
  auto local = app::IngestGdelt(local_ingest);
  ASSERT_TRUE(local) << local.error().ToString();
  ASSERT_TRUE(local->ok());
  // The warehouse: the same file; its registry of files elsewhere.
  app::GdeltIngestRequest remote_ingest = local_ingest;
  remote_ingest.db = dir.File("files.db");
  remote_ingest.warehouse = cluster_->Urls();
  remote_ingest.warehouse_table = "analysis_events";
  auto remote = app::IngestGdelt(remote_ingest);
  ASSERT_TRUE(remote) << remote.error().ToString();
  ASSERT_TRUE(remote->ok());
  ASSERT_EQ(remote->report.rows, local->report.rows);

  struct Case {
    std::string name;
    std::string partner;
    std::string period;
  };
  const std::vector<Case> cases = {{"barometer", "CHN", "month"},
                                   {"barometer", "Beijing", "quarter"},
                                   {"shocks", "CHN", "month"},
                                   {"image", "Beijing", "month"},
                                   {"image", "CHN", "year"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name + " " + c.partner + " " + c.period);
    app::AnalysisRequest request;
    request.name = c.name;
    request.db = dir.File("registry.db");
    request.home = "Seoul";
    request.partner = c.partner;
    request.period = c.period;
    request.from = "2015";
    request.to = "2017";
    if (c.name == "shocks") {
      request.detect = true;
    }
    auto on_tables = app::RunAnalysis(*store, request);
    ASSERT_TRUE(on_tables) << on_tables.error().ToString();
    request.warehouse = cluster_->Urls();
    request.warehouse_table = "analysis_events";
    auto on_warehouse = app::RunAnalysis(*store, request);
    ASSERT_TRUE(on_warehouse) << on_warehouse.error().ToString();
    auto a = app::ToJson(*on_tables);
    auto b = app::ToJson(*on_warehouse);
    if (c.name != "image") {
      EXPECT_NE(on_tables->index.find("(barometer tables)"), std::string::npos) << on_tables->index;
      EXPECT_NE(on_warehouse->index.find("(warehouse)"), std::string::npos) << on_warehouse->index;
      // The index's source is named; everything else is the same.
      for (auto* json : {&a, &b}) {
        json->erase("index");
        (*json)["scope"].erase("index");
      }
    }
    EXPECT_TRUE(SameJson(a, b));
    EXPECT_EQ(app::Headline(*on_tables), app::Headline(*on_warehouse));
  }
  // The summary (every analysis) too.
  app::AnalysisRequest summary;
  summary.db = dir.File("registry.db");
  summary.home = "Seoul";
  summary.partner = "Beijing";
  summary.period = "month";
  auto on_tables = app::SummarizeAnalyses(*store, summary);
  ASSERT_TRUE(on_tables) << on_tables.error().ToString();
  summary.warehouse = cluster_->Urls();
  summary.warehouse_table = "analysis_events";
  auto on_warehouse = app::SummarizeAnalyses(*store, summary);
  ASSERT_TRUE(on_warehouse) << on_warehouse.error().ToString();
  ASSERT_EQ(on_tables->lines.size(), on_warehouse->lines.size());
  for (std::size_t i = 0; i < on_tables->lines.size(); ++i) {
    EXPECT_EQ(on_tables->lines[i].name, on_warehouse->lines[i].name);
    EXPECT_EQ(on_tables->lines[i].ok, on_warehouse->lines[i].ok) << on_tables->lines[i].name;
    EXPECT_EQ(on_tables->lines[i].headline, on_warehouse->lines[i].headline);
  }
  // A warehouse that cannot be reached is an error, never an analysis without its index.
  app::AnalysisRequest unreachable;
  unreachable.name = "barometer";
  unreachable.db = dir.File("registry.db");
  unreachable.home = "Seoul";
  unreachable.partner = "CHN";
  unreachable.warehouse = "http://127.0.0.1:1";
  auto refused = app::RunAnalysis(*store, unreachable);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().ToString();
  unreachable.name = "shocks";  // shocks run without an index, but not without a named source
  refused = app::RunAnalysis(*store, unreachable);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().ToString();
}

// A running `citydip serve --warehouse`: the API's GDELT series and analyses are the warehouse's,
// the same JSON as the use cases give; an unreachable warehouse is a 503 naming it, never an
// answer without the index.
class ServedWarehouse {
 public:
  explicit ServedWarehouse(server::ServerOptions options) {
    options.bind = "127.0.0.1";
    options.port = 0;
    options.public_read = true;
    auto created = server::Server::Create(std::move(options));
    EXPECT_TRUE(created) << created.error().ToString();
    if (!created) {
      return;
    }
    server_ = std::move(*created);
    auto port = server_->Bind();
    EXPECT_TRUE(port) << port.error().ToString();
    port_ = port ? *port : 0;
    thread_ = std::thread([this] { (void)server_->Run(); });
    for (int i = 0; i < 500 && !server_->IsRunning(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~ServedWarehouse() {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
  }
  ServedWarehouse(const ServedWarehouse&) = delete;
  ServedWarehouse& operator=(const ServedWarehouse&) = delete;

  // GET `path`: status and body parsed as JSON.
  std::pair<int, nlohmann::json> Get(const std::string& path) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    auto answer = client.Get(path.c_str());
    if (!answer) {
      return {0, nullptr};
    }
    return {answer->status, nlohmann::json::parse(answer->body, nullptr, false)};
  }

 private:
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(WarehouseTest, TheApiServedWithAWarehouseReadsIt) {
  TempDir dir;
  ASSERT_TRUE(Init("api_events"));
  const std::string file = WriteSyntheticKorChnFile(dir.File("20150101000000.export.CSV"));
  auto store = OpenRegistry(dir.File("registry.db"));
  ASSERT_NE(store, nullptr);
  app::GdeltIngestRequest ingest;
  ingest.inputs = {file};
  ingest.cities = Cities();
  ingest.warehouse = cluster_->Urls();
  ingest.warehouse_table = "api_events";
  auto ingested = app::IngestGdelt(ingest);
  ASSERT_TRUE(ingested && ingested->ok());

  server::ServerOptions options;
  options.db = dir.File("registry.db");
  options.warehouse = cluster_->Urls();
  options.warehouse_table = "api_events";
  {
    ServedWarehouse served(options);
    // The barometer analysis: the use case's JSON on the warehouse (the registry's own tables
    // hold no GDELT row, so this can only come from the warehouse).
    app::AnalysisRequest request;
    request.name = "barometer";
    request.db = dir.File("registry.db");
    request.home = "Seoul";
    request.partner = "CHN";
    request.period = "month";
    request.from = "2015";
    request.to = "2017";
    request.warehouse = cluster_->Urls();
    request.warehouse_table = "api_events";
    auto expected = app::RunAnalysis(*store, request);
    ASSERT_TRUE(expected) << expected.error().ToString();
    EXPECT_NE(expected->index.find("(warehouse)"), std::string::npos) << expected->index;
    auto [status, body] =
        served.Get("/api/analyses/barometer?home=Seoul&partner=CHN&period=month&from=2015&to=2017");
    ASSERT_EQ(status, 200) << body.dump();
    EXPECT_TRUE(SameJson(app::ToJson(*expected), body)) << body.dump().substr(0, 400);
    // The series.
    app::GdeltSeriesRequest series;
    series.from = "KOR";
    series.to = "CHN";
    series.warehouse = cluster_->Urls();
    series.warehouse_table = "api_events";
    auto expected_series = app::ReadGdeltSeries(series);
    ASSERT_TRUE(expected_series) << expected_series.error().ToString();
    ASSERT_FALSE(expected_series->rows.empty());
    auto [series_status, series_body] = served.Get("/api/gdelt/series?from=KOR&to=CHN");
    ASSERT_EQ(series_status, 200) << series_body.dump();
    EXPECT_TRUE(SameJson(nlohmann::json::parse(app::SeriesToJson(*expected_series)), series_body));
    // The catalog lists the warehouse's index as usable.
    auto [catalog_status, catalog] = served.Get("/api/analyses");
    ASSERT_EQ(catalog_status, 200) << catalog.dump();
    bool listed = false;
    for (const auto& index : catalog["indexes"]) {
      if (index["name"] == "gdelt") {
        listed = true;
        EXPECT_TRUE(index["usable"].get<bool>()) << index.dump();
      }
    }
    EXPECT_TRUE(listed) << catalog.dump();
  }
  {
    // A warehouse that does not answer: 503 naming it; the catalog says why the index is out.
    options.warehouse = "http://127.0.0.1:1";
    ServedWarehouse served(options);
    auto [status, body] = served.Get("/api/analyses/barometer?home=Seoul&partner=CHN");
    EXPECT_EQ(status, 503) << body.dump();
    EXPECT_NE(body.dump().find("127.0.0.1:1"), std::string::npos) << body.dump();
    auto [series_status, series_body] = served.Get("/api/gdelt/series?from=KOR&to=CHN");
    EXPECT_EQ(series_status, 503) << series_body.dump();
    auto [catalog_status, catalog] = served.Get("/api/analyses");
    ASSERT_EQ(catalog_status, 200) << catalog.dump();
    bool listed = false;
    for (const auto& index : catalog["indexes"]) {
      if (index["name"] == "gdelt") {
        listed = true;
        EXPECT_FALSE(index["usable"].get<bool>());
        EXPECT_NE(index["note"].get<std::string>().find("127.0.0.1:1"), std::string::npos)
            << index.dump();
      }
    }
    EXPECT_TRUE(listed) << catalog.dump();
  }
  // A bad address list fails at start.
  options.warehouse = "not a url";
  auto refused = server::Server::Create(options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << refused.error().ToString();
}

// `gdelt fetch --warehouse`: a local GDELT mirror (an HTTP server on 127.0.0.1) lists and serves
// the real 2018 sample; the fetched file goes into the warehouse, as `gdelt ingest --warehouse`.
TEST_F(WarehouseTest, FetchIngestsIntoTheWarehouse) {
  TempDir dir;
  ASSERT_TRUE(Init("fetched_events"));
  const std::string name = "20180101000000.export.CSV.zip";
  const std::string sample = DataPath("samples/v2/" + name);
  std::string bytes;
  {
    std::ifstream in(sample, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto md5 = ingest::gdelt::Md5OfFile(sample);
  ASSERT_TRUE(md5);
  httplib::Server mirror;
  mirror.Get("/gdeltv2/masterfilelist.txt", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::to_string(bytes.size()) + " " + *md5 +
                        " http://data.gdeltproject.org/gdeltv2/" + name + "\n",
                    "text/plain");
  });
  mirror.Get("/gdeltv2/" + name, [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(bytes, "application/zip");
  });
  const int port = mirror.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread serving([&] { mirror.listen_after_bind(); });
  for (int i = 0; i < 500 && !mirror.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  app::GdeltFetchRequest request;
  request.db = dir.File("registry.db");
  request.since = "2018-01-01";
  request.until = "2018-01-01";
  request.base_url = "http://127.0.0.1:" + std::to_string(port);
  request.dir = dir.File("downloads");
  request.ingest_options.warehouse = cluster_->Urls();
  request.ingest_options.warehouse_table = "fetched_events";
  request.ingest_options.cities = Cities();
  auto fetched = app::FetchGdelt(request);
  // Refused before any download: --no-ingest says the opposite of --warehouse.
  app::GdeltFetchRequest no_ingest = request;
  no_ingest.ingest = false;
  no_ingest.dir = dir.File("never");
  auto refused = app::FetchGdelt(no_ingest);
  mirror.stop();
  serving.join();
  ASSERT_TRUE(fetched) << fetched.error().ToString();
  EXPECT_TRUE(fetched->ok());
  EXPECT_EQ(fetched->downloaded, 1U);
  ASSERT_TRUE(fetched->ingested.has_value());
  EXPECT_EQ(fetched->ingested->report.ingested, 1U);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir.File("never")));
  // The rows are in the warehouse, with the local engine's series (countries and cities).
  const auto local = IngestLocally(dir.File("local.db"), {sample});
  storage::clickhouse::WarehouseOptions options;
  options.urls = cluster_->Urls();
  options.table = "fetched_events";
  auto warehouse = storage::clickhouse::OpenClickHouseWarehouse(options);
  ASSERT_TRUE(warehouse);
  auto count = (*warehouse)->CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(static_cast<std::uint64_t>(*count), RowsOf(local));
  for (const bool city_pairs : {false, true}) {
    auto expected = app::ReadGdeltSeries(AllPairs(dir.File("local.db"), "month", city_pairs));
    app::GdeltSeriesRequest series = AllPairs(dir.File("local.db"), "month", city_pairs);
    series.warehouse = cluster_->Urls();
    series.warehouse_table = "fetched_events";
    auto actual = app::ReadGdeltSeries(series);
    ASSERT_TRUE(expected && actual);
    ExpectSameSeries(*expected, *actual);
  }
}

TEST_F(WarehouseTest, InitAddsTheCityColumnsToTablesOfTheOlderLayout) {
  TempDir dir;
  auto http = storage::clickhouse::ClickHouseHttp::Parse(cluster_->Urls());
  ASSERT_TRUE(http);
  // The tables as the first warehouse release made them (no city columns), with one row.
  ASSERT_TRUE(http->ExecuteOnAll(
      "CREATE TABLE default.old_events_local (date Date, actor1_country String, actor2_country "
      "String, is_root UInt8, root_code UInt8, quad UInt8, goldstein Float64, tone Float64, "
      "mentions UInt64, sources UInt64, articles UInt64) ENGINE = MergeTree() PARTITION BY "
      "toYYYYMM(date) ORDER BY (actor1_country, actor2_country, date)"));
  ASSERT_TRUE(http->ExecuteOnAll(
      std::string("CREATE TABLE default.old_events AS default.old_events_local ENGINE = "
                  "Distributed(") +
      ClickHouseCluster::kClusterName + ", default, old_events_local, rand())"));
  ASSERT_TRUE(http->Execute(0,
                            "INSERT INTO default.old_events_local VALUES ('2015-02-18', 'KOR', "
                            "'CHN', 1, 4, 1, 3.5, 2.25, 10, 1, 10)"));
  app::GdeltIngestRequest ingest;
  ingest.db = dir.File("registry.db");
  ingest.inputs = V2EventSamples();
  ingest.warehouse = cluster_->Urls();
  ingest.warehouse_table = "old_events";
  ingest.cities = Cities();
  // Before the upgrade: the ingest asks for `warehouse init` and records no file.
  auto refused = app::IngestGdelt(ingest);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition) << refused.error().ToString();
  EXPECT_NE(refused.error().message.find("warehouse init"), std::string::npos)
      << refused.error().ToString();
  // Init adds the columns to both tables of every shard, and again is a no-op.
  ASSERT_TRUE(Init("old_events")) << Init("old_events").error().ToString();
  ASSERT_TRUE(Init("old_events")) << Init("old_events").error().ToString();
  for (std::size_t shard = 0; shard < 2; ++shard) {
    for (const char* table : {"old_events_local", "old_events"}) {
      auto columns = http->Execute(
          shard, std::string("SELECT name FROM system.columns WHERE database = 'default' AND "
                             "table = '") +
                     table + "' AND name LIKE '%_city' ORDER BY name");
      ASSERT_TRUE(columns) << columns.error().ToString();
      EXPECT_EQ(*columns, "actor1_city\nactor2_city\n") << table << " on shard " << shard;
      auto load = http->Execute(shard, std::string("SELECT type FROM system.columns WHERE "
                                                   "database = 'default' AND table = '") +
                                           table + "' AND name = 'load_id'");
      ASSERT_TRUE(load) << load.error().ToString();
      EXPECT_EQ(*load, "UInt64\n") << table << " on shard " << shard;
    }
  }
  // The old row is kept, with no city.
  auto old = http->Execute(0,
                           "SELECT actor1_country, actor1_city, actor2_city FROM "
                           "default.old_events FORMAT TabSeparated",
                           {}, {{"skip_unavailable_shards", "0"}});
  ASSERT_TRUE(old) << old.error().ToString();
  EXPECT_EQ(*old, "KOR\t\t\n");
  // Stored before loads were tracked (load id 0), it is counted.
  auto upgraded = OpenTable("old_events");
  ASSERT_NE(upgraded, nullptr);
  auto count = upgraded->CountEvents();
  ASSERT_TRUE(count) << count.error().ToString();
  EXPECT_EQ(*count, 1);
  // Then the files go in with their cities (without the old row, which is not in the samples).
  ASSERT_TRUE(http->Execute(0, "TRUNCATE TABLE default.old_events_local"));
  auto ingested = app::IngestGdelt(ingest);
  ASSERT_TRUE(ingested) << ingested.error().ToString();
  EXPECT_TRUE(ingested->ok());
  const auto local = IngestLocally(dir.File("local.db"), V2EventSamples());
  CompareWithLocalEngine(
      [&](app::GdeltSeriesRequest series) {
        series.warehouse = cluster_->Urls();
        series.warehouse_table = "old_events";
        return app::ReadGdeltSeries(series);
      },
      dir.File("local.db"), /*city_pairs=*/true);
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
  // The CLI writes to the default tables: drop them (with the rows other tests of this process
  // stored; after a TRUNCATE, rows reappeared once the last test restarted a shard).
  if (auto http = storage::clickhouse::ClickHouseHttp::Parse(cluster_->Urls())) {
    (void)http->ExecuteOnAll("DROP TABLE IF EXISTS default.gdelt_events");
    (void)http->ExecuteOnAll("DROP TABLE IF EXISTS default.gdelt_events_local");
  }
  ASSERT_EQ(RunCli("warehouse init --clickhouse " + cluster_->Urls() + " --cluster " +
                       ClickHouseCluster::kClusterName,
                   out),
            0)
      << ReadAll(out);
  const std::string inputs = DataPath("samples/v2");
  ASSERT_EQ(RunCli("--db " + dir.File("registry.db") + " gdelt ingest --cities " + Cities() +
                       " --warehouse " + cluster_->Urls() + " " + inputs,
                   out),
            0)
      << ReadAll(out);
  // The 5 events files; the 4 mentions files are left out (the warehouse keeps events).
  EXPECT_NE(ReadAll(out).find("ingested 5 files"), std::string::npos) << ReadAll(out);
  EXPECT_NE(ReadAll(out).find("skipped: 4 mentions files"), std::string::npos) << ReadAll(out);
  ASSERT_EQ(RunCli("--db " + dir.File("registry.db") +
                       " gdelt series --all --format csv --warehouse " + cluster_->Urls(),
                   out),
            0)
      << ReadAll(out);
  const std::string remote = ReadAll(out);
  ASSERT_EQ(
      RunCli("--db " + dir.File("local.db") + " gdelt ingest --cities " + Cities() + " " + inputs,
             out),
      0)
      << ReadAll(out);
  ASSERT_EQ(RunCli("--db " + dir.File("local.db") + " gdelt series --all --format csv", out), 0)
      << ReadAll(out);
  const std::string local = ReadAll(out);
  EXPECT_EQ(std::count(remote.begin(), remote.end(), '\n'),
            std::count(local.begin(), local.end(), '\n'));
  EXPECT_EQ(remote.substr(0, remote.find('\n')), local.substr(0, local.find('\n')));
  // City pairs, by pushdown and locally.
  ASSERT_EQ(
      RunCli("--db " + dir.File("registry.db") +
                 " gdelt series --all --city-pairs --format csv --warehouse " + cluster_->Urls(),
             out),
      0)
      << ReadAll(out);
  const std::string remote_cities = ReadAll(out);
  ASSERT_EQ(
      RunCli("--db " + dir.File("local.db") + " gdelt series --all --city-pairs --format csv", out),
      0)
      << ReadAll(out);
  ExpectSameCsvKeys(ReadAll(out), remote_cities);
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
  // The analyses that read the barometer fail the same way.
  auto store = OpenRegistry(dir.File("analyses.db"));
  ASSERT_NE(store, nullptr);
  app::AnalysisRequest analysis;
  analysis.name = "barometer";
  analysis.db = dir.File("analyses.db");
  analysis.home = "Seoul";
  analysis.partner = "CHN";
  analysis.warehouse = cluster_->Urls();
  auto failed = app::RunAnalysis(*store, analysis);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(failed.error().message.find(cluster_->Url(1)), std::string::npos)
      << failed.error().ToString();
  // Back up: the same series as before (the shard's data survived the stop).
  ASSERT_TRUE(cluster_->StartShard(1)) << cluster_->ServerLog(1);
  auto after = WarehouseSeries(AllPairs(dir.File("registry.db"), "month"));
  ASSERT_TRUE(after) << after.error().ToString();
  ExpectSameSeries(*before, *after);
}

}  // namespace
}  // namespace citydip::test
