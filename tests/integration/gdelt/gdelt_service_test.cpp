// The GDELT use cases through the database: what is read back is the reference barometer.
#include "citydip/app/gdelt_service.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "citydip/app/store_factory.h"
#include "gdelt_test_support.h"
#include "reference_barometer.h"

namespace citydip::test {
namespace {

std::vector<std::string> EventSamples() {
  auto paths = V2EventSamples();
  paths.push_back(V1Sample());
  return paths;
}

app::GdeltIngestRequest IngestRequest(const std::string& db, std::vector<std::string> inputs) {
  app::GdeltIngestRequest request;
  request.db = db;
  request.inputs = std::move(inputs);
  request.cities = DataPath("city_actors.csv");
  return request;
}

app::GdeltSeries Series(const std::string& db,
                        const std::string& period,
                        bool cities = false,
                        bool normalize = false) {
  app::GdeltSeriesRequest request;
  request.db = db;
  request.all = true;
  request.period = period;
  request.city_pairs = cities;
  request.normalize = normalize;
  auto series = app::ReadGdeltSeries(request);
  EXPECT_TRUE(series) << series.error().ToString();
  return series ? *series : app::GdeltSeries{};
}

// The series read from the database equals the reference aggregation of the same files.
void ExpectSeriesMatches(const RefResult& expected,
                         const app::GdeltSeries& series,
                         const std::string& kind) {
  std::size_t expected_rows = 0;
  for (const auto& [key, ref] : expected.pairs) {
    if (std::get<0>(key) != kind) {
      continue;
    }
    ++expected_rows;
    const auto found = std::find_if(series.rows.begin(), series.rows.end(), [&](const auto& row) {
      return row.period == std::get<1>(key) && row.actor1 == std::get<2>(key) &&
             row.actor2 == std::get<3>(key);
    });
    ASSERT_NE(found, series.rows.end()) << std::get<1>(key) << " " << std::get<2>(key);
    EXPECT_EQ(found->events, static_cast<double>(ref.events));
    EXPECT_EQ(found->root_events, static_cast<double>(ref.root_events));
    EXPECT_EQ(found->mentions, static_cast<double>(ref.mentions));
    EXPECT_EQ(found->sources, static_cast<double>(ref.sources));
    EXPECT_EQ(found->articles, static_cast<double>(ref.articles));
    for (std::size_t q = 0; q < 4; ++q) {
      EXPECT_EQ(found->quad[q], static_cast<double>(ref.quad[q]));
    }
    for (std::size_t r = 0; r < 20; ++r) {
      EXPECT_EQ(found->root[r], static_cast<double>(ref.root[r]));
    }
    EXPECT_TRUE(Near(ref.goldstein_sum, found->goldstein_sum));
    ASSERT_TRUE(found->goldstein_mean);
    EXPECT_TRUE(Near(ref.goldstein_sum / static_cast<double>(ref.events), *found->goldstein_mean));
    ASSERT_TRUE(found->tone_mean);
    EXPECT_TRUE(Near(ref.tone_sum / static_cast<double>(ref.events), *found->tone_mean));
    if (ref.mentions > 0) {
      ASSERT_TRUE(found->goldstein_mentions_weighted);
      EXPECT_TRUE(Near(ref.goldstein_mentions_sum / static_cast<double>(ref.mentions),
                       *found->goldstein_mentions_weighted));
    }
  }
  EXPECT_EQ(series.rows.size(), expected_rows);
}

std::vector<RefCity> ShippedCities() {
  auto dictionary = gdelt::CityDictionary::Load(DataPath("city_actors.csv"));
  std::vector<RefCity> cities;
  for (const auto& city : dictionary->cities()) {
    cities.push_back({city.id, city.country, city.actor_names, city.feature_ids, city.adm1_codes,
                      city.actor_types});
  }
  return cities;
}

TEST(GdeltServiceTest, IngestedSamplesReadBackAsTheReferenceBarometer) {
  TempDir dir;
  const std::string db = dir.File("citydip.db");
  auto ingested = app::IngestGdelt(IngestRequest(db, EventSamples()));
  ASSERT_TRUE(ingested) << ingested.error().ToString();
  EXPECT_TRUE(ingested->ok());
  EXPECT_EQ(ingested->report.ingested, 6U);
  EXPECT_EQ(ingested->cities, 11U);

  const RefResult expected = ReferenceAggregate(EventSamples(), "month", ShippedCities());
  ExpectSeriesMatches(expected, Series(db, "month"), "country");
  ExpectSeriesMatches(expected, Series(db, "month", /*cities=*/true), "city");
  // Rolled up from months to years, the sums are the yearly reference.
  ExpectSeriesMatches(ReferenceAggregate(EventSamples(), "year"), Series(db, "year"), "country");
}

TEST(GdeltServiceTest, ReingestingIsANoOp) {
  TempDir dir;
  const std::string db = dir.File("citydip.db");
  ASSERT_TRUE(app::IngestGdelt(IngestRequest(db, EventSamples())));
  const auto before = app::SeriesToCsv(Series(db, "month"));

  auto second = app::IngestGdelt(IngestRequest(db, EventSamples()));
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_TRUE(second->ok());
  EXPECT_EQ(second->report.already_ingested, 6U);
  EXPECT_EQ(second->report.ingested, 0U);
  EXPECT_EQ(app::SeriesToCsv(Series(db, "month")), before);
}

TEST(GdeltServiceTest, AFailedFileIsNotRecordedAndLeavesNoAggregates) {
  TempDir dir;
  const std::string db = dir.File("citydip.db");
  const std::string corrupt = dir.File("20150218230000.export.CSV.zip");
  WriteZip(corrupt, "20150218230000.export.CSV",
           ReadText(DataPath("samples/v2/20150218230000.export.CSV")));
  std::string bytes = ReadText(corrupt);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  WriteText(corrupt, bytes);
  const std::string good = DataPath("samples/v2/20150218231500.export.CSV");

  auto result = app::IngestGdelt(IngestRequest(db, {corrupt, good}));

  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_FALSE(result->ok());
  EXPECT_EQ(result->report.failed, 1U);
  auto store = app::OpenBarometerStore(db);
  ASSERT_TRUE(store);
  auto files = (*store)->ListFiles();
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 1U);
  EXPECT_EQ((*files)[0].name, "20150218231500.export.CSV");
  EXPECT_EQ((*files)[0].md5, *gdelt::Md5OfFile(good));
  ExpectSeriesMatches(ReferenceAggregate({good}, "month"), Series(db, "month"), "country");
}

TEST(GdeltServiceTest, OnePairIsAMonthlySeriesWithZeroMonths) {
  TempDir dir;
  const std::string db = dir.File("citydip.db");
  ASSERT_TRUE(app::IngestGdelt(IngestRequest(db, EventSamples())));
  app::GdeltSeriesRequest request;
  request.db = db;
  request.from = "kor";  // codes are case-insensitive
  request.to = "CHN";

  auto series = app::ReadGdeltSeries(request);

  ASSERT_TRUE(series) << series.error().ToString();
  const RefResult expected = ReferenceAggregate(EventSamples(), "month");
  ASSERT_EQ(series->rows.size(), expected.totals.size());  // every month with data
  for (const auto& row : series->rows) {
    EXPECT_EQ(row.actor1, "KOR");
    EXPECT_EQ(row.actor2, "CHN");
    // The samples hold no KOR -> CHN event (see data/gdelt/PROVENANCE.md).
    EXPECT_EQ(row.events, 0);
    EXPECT_FALSE(row.goldstein_mean);
  }
  const std::string csv = app::SeriesToCsv(*series);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "period,actor1,actor2,events,root_events,goldstein_sum,goldstein_mean,"
            "goldstein_mentions_weighted,tone_mean,mentions,sources,articles,quad1,quad2,quad3,"
            "quad4");
  EXPECT_NE(csv.find("\n2015-02,KOR,CHN,0,0,0,,,,0,0,0,0,0,0,0\n"), std::string::npos) << csv;

  request.from = "USA";
  request.to = "USA";
  auto usa = app::ReadGdeltSeries(request);
  ASSERT_TRUE(usa);
  const auto feb = std::find_if(usa->rows.begin(), usa->rows.end(),
                                [](const auto& row) { return row.period == "2015-02"; });
  ASSERT_NE(feb, usa->rows.end());
  EXPECT_EQ(feb->events,
            static_cast<double>(expected.pairs.at({"country", "2015-02", "USA", "USA"}).events));
}

TEST(GdeltServiceTest, NormalizedSeriesAreSharesOfThePeriodsTotals) {
  TempDir dir;
  const std::string db = dir.File("citydip.db");
  ASSERT_TRUE(app::IngestGdelt(IngestRequest(db, EventSamples())));
  const RefResult expected = ReferenceAggregate(EventSamples(), "month");

  const app::GdeltSeries series = Series(db, "month", false, /*normalize=*/true);

  ASSERT_FALSE(series.rows.empty());
  EXPECT_TRUE(series.normalized);
  for (const auto& row : series.rows) {
    const RefStats& ref = expected.pairs.at({"country", row.period, row.actor1, row.actor2});
    const RefTotals& totals = expected.totals.at(row.period);
    EXPECT_TRUE(
        Near(static_cast<double>(ref.events) / static_cast<double>(totals.events), row.events));
    EXPECT_TRUE(Near(static_cast<double>(ref.mentions) / static_cast<double>(totals.mentions),
                     row.mentions));
    EXPECT_TRUE(
        Near(static_cast<double>(ref.quad[3]) / static_cast<double>(totals.events), row.quad[3]));
    ASSERT_TRUE(row.goldstein_mean);  // means are not normalized
    EXPECT_TRUE(Near(ref.goldstein_sum / static_cast<double>(ref.events), *row.goldstein_mean));
  }
}

TEST(GdeltServiceTest, DailyDataRollUpAndCoarseDataDoNotSplit) {
  TempDir dir;
  const std::string daily = dir.File("daily.db");
  auto request = IngestRequest(daily, EventSamples());
  request.period = "day";
  ASSERT_TRUE(app::IngestGdelt(request));
  const std::string monthly = dir.File("monthly.db");
  ASSERT_TRUE(app::IngestGdelt(IngestRequest(monthly, EventSamples())));
  // Rolled up from daily rows, sums are added in another order than when aggregated by month
  // directly: the same rows, values equal up to rounding (checked against the reference).
  EXPECT_EQ(Series(daily, "month").rows.size(), Series(monthly, "month").rows.size());
  ExpectSeriesMatches(ReferenceAggregate(EventSamples(), "month"), Series(daily, "month"),
                      "country");
  ExpectSeriesMatches(ReferenceAggregate(EventSamples(), "day"), Series(daily, "day"), "country");

  app::GdeltSeriesRequest by_day;
  by_day.db = monthly;
  by_day.all = true;
  by_day.period = "day";
  auto refused = app::ReadGdeltSeries(by_day);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("ingested by month"), std::string::npos);
}

TEST(GdeltServiceTest, MentionsGiveMediaVolumeAndBadOptionsAreRefused) {
  TempDir dir;
  const std::string db = dir.File("citydip.db");
  auto mentions = app::IngestGdelt(IngestRequest(db, MentionsSamples()));
  ASSERT_TRUE(mentions) << mentions.error().ToString();
  EXPECT_EQ(mentions->report.rows, 37208U);
  auto store = app::OpenBarometerStore(db);
  ASSERT_TRUE(store);
  auto media = (*store)->QueryMedia();
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 1U);
  EXPECT_EQ((*media)[0].period_start, "2015-02-01");
  EXPECT_EQ((*media)[0].mentions, 37208);

  auto series = app::ReadGdeltMedia(db, "month");
  ASSERT_TRUE(series) << series.error().ToString();
  ASSERT_EQ(series->rows.size(), 1U);
  const RefResult expected = ReferenceAggregate(MentionsSamples(), "month");
  const RefMedia& ref = expected.media.at("2015-02");
  EXPECT_EQ(series->rows[0].period, "2015-02");
  EXPECT_EQ(series->rows[0].mentions, ref.mentions);
  for (std::size_t t = 0; t < 6; ++t) {
    EXPECT_EQ(series->rows[0].by_type[t], ref.by_type[t]);
  }
  EXPECT_TRUE(Near(ref.doc_tone_sum / static_cast<double>(ref.mentions),
                   series->rows[0].doc_tone_mean));
  const std::string csv = app::MediaToCsv(*series);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "period,mentions,web,citation_only,core,dtic,jstor,non_textual,doc_tone_mean,"
            "confidence_mean");
  EXPECT_EQ(app::ReadGdeltMedia(db, "day").error().code, ErrorCode::kFailedPrecondition);

  auto bad_period = IngestRequest(db, EventSamples());
  bad_period.period = "week";
  EXPECT_EQ(app::IngestGdelt(bad_period).error().code, ErrorCode::kInvalidArgument);
  auto bad_limit = IngestRequest(db, EventSamples());
  bad_limit.max_bad_rows = "lots";
  EXPECT_EQ(app::IngestGdelt(bad_limit).error().code, ErrorCode::kInvalidArgument);
  auto bad_cities = IngestRequest(db, EventSamples());
  bad_cities.cities = dir.File("missing.csv");
  EXPECT_EQ(app::IngestGdelt(bad_cities).error().code, ErrorCode::kNotFound);
  app::GdeltSeriesRequest no_pair;
  no_pair.db = db;
  EXPECT_EQ(app::ReadGdeltSeries(no_pair).error().code, ErrorCode::kInvalidArgument);
  // A PostgreSQL registry keeps its barometer there (tests/integration/gdelt_postgres); one
  // that cannot be reached is `unavailable`, and nothing is read before that is known.
  auto postgres = IngestRequest("postgresql://nobody@127.0.0.1:1/x", EventSamples());
  EXPECT_EQ(app::IngestGdelt(postgres).error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace citydip::test
