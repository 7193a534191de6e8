// The GDELT barometer kept in PostgreSQL (a registry given as a postgresql:// URL): a batch is
// written whole or not at all, sums add up, a recorded file is refused, and ingesting the shipped
// samples gives the very series the SQLite engine gives.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/app/analysis_service.h"
#include "citydip/app/gdelt_service.h"
#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/storage/postgres/postgres_barometer_store.h"
#include "gdelt_test_support.h"
#include "support/barometer_store_checks.h"
#include "support/postgres_cluster.h"
#include "support/synthetic_barometer.h"

namespace citydip::test {
namespace {

using test_support::PostgresEnvironment;

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

std::string SandboxUrl(const std::string& prefix) {
  auto* cluster = PostgresEnvironment::Cluster();
  EXPECT_NE(cluster, nullptr) << PostgresEnvironment::StartError();
  if (cluster == nullptr) {
    return "";
  }
  auto sandbox = cluster->CreateSandbox(prefix);
  EXPECT_TRUE(sandbox) << sandbox.error().ToString();
  return sandbox ? sandbox->url : "";
}

storage::BarometerBatch Batch(const std::string& file, const std::string& md5, std::int64_t n) {
  storage::BarometerBatch batch;
  batch.files.push_back({file, 100, md5, "events-v2", "month", n, 0, ""});
  storage::BarometerPairRow row;
  row.kind = "country";
  row.granularity = "month";
  row.period_start = "2015-02-01";
  row.actor1 = "KOR";
  row.actor2 = "CHN";
  row.sums.events = n;
  row.sums.goldstein_sum = 1.5 * static_cast<double>(n);
  row.sums.tone_sum = 0.1 * static_cast<double>(n);
  row.sums.quad = {n, 0, 0, 0};
  row.sums.root[19] = n;
  batch.pairs.push_back(row);
  batch.totals.push_back({"month", "2015-02-01", 10 * n, 3, 2, 1});
  storage::MediaVolumeRow media;
  media.granularity = "day";
  media.period_start = "2015-02-18";
  media.mentions = n;
  media.by_type[5] = n;
  media.doc_tone_sum = -2.25;
  batch.media.push_back(media);
  return batch;
}

TEST(PostgresBarometerStoreTest, CommitsAddUpAndARefusedBatchWritesNothing) {
  const std::string url = SandboxUrl("barometer");
  ASSERT_FALSE(url.empty());
  auto store = storage::postgres::OpenPostgresBarometerStore(url);
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->Commit(Batch("a.export.CSV", "00000000000000000000000000000001", 2)));
  ASSERT_TRUE((*store)->Commit(Batch("b.export.CSV", "", 3)));  // --no-md5
  ASSERT_TRUE((*store)->Commit(Batch("c.export.CSV", "", 4)));  // two files without MD5

  auto again = (*store)->Commit(Batch("a.export.CSV", "00000000000000000000000000000009", 100));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message.find("a.export.CSV"), std::string::npos);
  auto same_md5 = (*store)->Commit(Batch("d.export.CSV", "00000000000000000000000000000001", 100));
  ASSERT_FALSE(same_md5);
  EXPECT_EQ(same_md5.error().code, ErrorCode::kAlreadyExists);

  auto files = (*store)->ListFiles();
  ASSERT_TRUE(files) << files.error().ToString();
  ASSERT_EQ(files->size(), 3U);
  EXPECT_EQ((*files)[0].name, "a.export.CSV");
  EXPECT_EQ((*files)[0].md5, "00000000000000000000000000000001");
  EXPECT_EQ((*files)[1].md5, "");
  EXPECT_EQ((*files)[0].ingested_at.size(), 20U);  // 2026-11-30T08:00:00Z
  auto pairs = (*store)->QueryPairs({"country", "KOR", "CHN"});
  ASSERT_TRUE(pairs) << pairs.error().ToString();
  ASSERT_EQ(pairs->size(), 1U);
  EXPECT_EQ((*pairs)[0].sums.events, 9);
  EXPECT_DOUBLE_EQ((*pairs)[0].sums.goldstein_sum, 13.5);
  EXPECT_EQ((*pairs)[0].sums.quad[0], 9);
  EXPECT_EQ((*pairs)[0].sums.root[19], 9);
  auto totals = (*store)->QueryTotals();
  ASSERT_TRUE(totals);
  ASSERT_EQ(totals->size(), 1U);
  EXPECT_EQ((*totals)[0].events, 90);
  auto media = (*store)->QueryMedia();
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 1U);
  EXPECT_EQ((*media)[0].mentions, 9);
  EXPECT_EQ((*media)[0].by_type[5], 9);
  EXPECT_DOUBLE_EQ((*media)[0].doc_tone_sum, -6.75);
  auto none = (*store)->QueryPairs({"city", std::nullopt, std::nullopt});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

// Pair rows handed over in chunks are written in the Commit's transaction (the shared check).
TEST(PostgresBarometerStoreTest, PairRowsGivenInChunksAreWrittenInTheSameTransaction) {
  const std::string url = SandboxUrl("chunks");
  ASSERT_FALSE(url.empty());
  auto store = storage::postgres::OpenPostgresBarometerStore(url);
  ASSERT_TRUE(store) << store.error().ToString();
  test_support::ExpectPairChunksCommitAtomically(
      **store, Batch("a.export.CSV", "00000000000000000000000000000001", 2),
      Batch("b.export.CSV", "00000000000000000000000000000002", 5));
}

TEST(PostgresBarometerStoreTest, AnUnreachableServerIsUnavailable) {
  auto store = storage::postgres::OpenPostgresBarometerStore("postgresql://x@127.0.0.1:1/none");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

app::GdeltIngestRequest Ingest(const std::string& db) {
  app::GdeltIngestRequest request;
  request.db = db;
  request.inputs = V2EventSamples();
  request.inputs.push_back(V1Sample());
  request.cities = DataPath("city_actors.csv");
  return request;
}

std::string SeriesCsv(const std::string& db, const std::string& period, bool cities) {
  app::GdeltSeriesRequest request;
  request.db = db;
  request.all = true;
  request.period = period;
  request.city_pairs = cities;
  auto series = app::ReadGdeltSeries(request);
  EXPECT_TRUE(series) << series.error().ToString();
  return series ? app::SeriesToCsv(*series) : "";
}

// Two series CSVs hold the same rows and values: text fields equal, numbers equal up to the last
// bits (ingest threads may commit files in another order, so sums are added in another order).
void ExpectSameSeries(const std::string& a, const std::string& b, const std::string& what) {
  auto split = [](const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find(sep, start), text.size());
      parts.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return parts;
  };
  const auto rows_a = split(a, '\n');
  const auto rows_b = split(b, '\n');
  ASSERT_EQ(rows_a.size(), rows_b.size()) << what;
  for (std::size_t r = 0; r < rows_a.size(); ++r) {
    const auto fields_a = split(rows_a[r], ',');
    const auto fields_b = split(rows_b[r], ',');
    ASSERT_EQ(fields_a.size(), fields_b.size()) << what << " row " << r;
    for (std::size_t f = 0; f < fields_a.size(); ++f) {
      if (fields_a[f] == fields_b[f]) {
        continue;
      }
      char* end_a = nullptr;
      char* end_b = nullptr;
      const double x = std::strtod(fields_a[f].c_str(), &end_a);
      const double y = std::strtod(fields_b[f].c_str(), &end_b);
      ASSERT_TRUE(*end_a == '\0' && *end_b == '\0')
          << what << " row " << r << ": " << fields_a[f] << " vs " << fields_b[f];
      EXPECT_NEAR(x, y, 1e-12 * std::max(1.0, std::abs(y)))
          << what << " row " << r << ": " << rows_a[r] << " vs " << rows_b[r];
    }
  }
}

TEST(PostgresBarometerStoreTest, IngestedSamplesGiveTheSameSeriesAsOnSqlite) {
  const std::string url = SandboxUrl("gdelt");
  ASSERT_FALSE(url.empty());
  TempDir dir;
  const std::string file = dir.File("gdelt.db");
  auto on_pg = app::IngestGdelt(Ingest(url));
  ASSERT_TRUE(on_pg) << on_pg.error().ToString();
  auto on_sqlite = app::IngestGdelt(Ingest(file));
  ASSERT_TRUE(on_sqlite) << on_sqlite.error().ToString();
  for (const char* period : {"month", "year"}) {
    for (const bool cities : {false, true}) {
      const std::string pg = SeriesCsv(url, period, cities);
      EXPECT_GT(pg.size(), 200U);
      ExpectSameSeries(pg, SeriesCsv(file, period, cities),
                       std::string(period) + (cities ? " cities" : " countries"));
    }
  }
  // Re-ingesting the same files is a no-op there too.
  auto again = app::IngestGdelt(Ingest(url));
  ASSERT_TRUE(again) << again.error().ToString();
  ExpectSameSeries(SeriesCsv(url, "month", false), SeriesCsv(file, "month", false), "again");
}

// The reference registry and the synthetic barometer in `db`; the analysis `name` run on it.
nlohmann::json AnalysisOn(const std::string& db, const std::string& name) {
  auto store = app::OpenStore(db);
  EXPECT_TRUE(store) << store.error().ToString();
  if (!store) {
    return nullptr;
  }
  const std::filesystem::path data =
      std::filesystem::path(CITYDIP_SOURCE_DIR) / "data" / "seoul-china";
  std::vector<std::string> files;
  for (const char* kind : {"cities", "organizations", "partner_relations", "memberships",
                           "officials", "mechanisms", "events"}) {
    files.push_back((data / (std::string(kind) + ".csv")).string());
  }
  if (auto imported = app::ImportFiles(**store, files, {}); !imported) {
    ADD_FAILURE() << imported.error().ToString();
    return nullptr;
  }
  auto barometer = app::OpenBarometerStore(db);
  EXPECT_TRUE(barometer) << barometer.error().ToString();
  if (!barometer) {
    return nullptr;
  }
  if (auto committed =
          (*barometer)
              ->Commit(test_support::SyntheticKorChnBarometer(2010, 2019, /*with_cities=*/false));
      !committed) {
    ADD_FAILURE() << committed.error().ToString();
    return nullptr;
  }
  app::AnalysisRequest request;
  request.name = name;
  request.db = db;
  request.home = "Seoul";
  request.partner = name == "barometer" ? "CHN" : "Beijing";
  request.period = "quarter";
  auto result = app::RunAnalysis(**store, request);
  EXPECT_TRUE(result) << result.error().ToString();
  return result ? app::ToJson(*result) : nlohmann::json(nullptr);
}

// The analyses read the GDELT barometer kept in PostgreSQL as they read SQLite's.
TEST(PostgresBarometerStoreTest, AnalysesReadTheBarometerAsOnSqlite) {
  TempDir dir;
  for (const std::string name : {"barometer", "image"}) {
    const std::string url = SandboxUrl("analyses_" + name);
    ASSERT_FALSE(url.empty());
    const nlohmann::json on_pg = AnalysisOn(url, name);
    const nlohmann::json on_sqlite = AnalysisOn(dir.File(name + ".db"), name);
    ASSERT_TRUE(on_pg.is_object()) << name;
    EXPECT_EQ(on_pg.dump(), on_sqlite.dump()) << name;
    if (name == "barometer") {
      EXPECT_EQ(on_pg["series"]["periods"].front(), "2010-Q1");
    } else {
      EXPECT_EQ(on_pg["countries"]["home"], "KOR");
      // KOR→CHN tone is 1 + 0.1 w, CHN→KOR −1 + 0.1 w: the asymmetry is exactly 2.
      EXPECT_NEAR(on_pg["countries"]["asymmetry"]["mean"]["estimate"].get<double>(), 2.0, 1e-9);
    }
  }
}

}  // namespace
}  // namespace citydip::test
