// The barometer of the real GDELT samples, checked against the reference implementation.
#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/city_dictionary.h"
#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "gdelt_test_support.h"
#include "reference_barometer.h"

namespace citydip::test {
namespace {

TEST(GdeltAggregationTest, RealV2SamplesMatchTheReferenceByMonth) {
  gdelt::IngestOptions options;
  const EngineResult got = RunEngine(V2EventSamples(), options);

  const RefResult expected = ReferenceAggregate(V2EventSamples(), "month");
  EXPECT_EQ(got.report.rows, 2271U + 2102U + 2084U + 2252U + 2414U);
  EXPECT_EQ(got.report.bad_rows, 0U);
  EXPECT_EQ(got.report.ingested, 5U);
  EXPECT_EQ(static_cast<std::int64_t>(got.report.rows), expected.good_rows);
  for (const auto& file : got.report.files) {
    EXPECT_EQ(file.kind, gdelt::FileKind::kEventsV2) << file.path;
    EXPECT_EQ(file.md5.size(), 32U);
  }
  ExpectSameAggregates(expected, got);
  EXPECT_GT(got.pairs.size(), 500U);  // the check covered many groups
}

TEST(GdeltAggregationTest, V1SampleMixing57And58ColumnsMatchesTheReference) {
  gdelt::IngestOptions options;
  const EngineResult got = RunEngine({V1Sample()}, options);

  const RefResult expected = ReferenceAggregate({V1Sample()}, "month");
  ASSERT_EQ(got.report.files.size(), 1U);
  EXPECT_EQ(got.report.files[0].kind, gdelt::FileKind::kEventsV1);
  EXPECT_EQ(got.report.rows, 710U);  // 509 rows of 58 columns and 201 of 57
  EXPECT_EQ(got.report.bad_rows, 0U);
  ExpectSameAggregates(expected, got);
  // The sample's SQLDATEs reach back to 1982: its periods span decades.
  EXPECT_TRUE(got.totals.contains("1982-01"));
  EXPECT_TRUE(got.totals.contains("2016-07"));
}

TEST(GdeltAggregationTest, EveryPeriodMatchesTheReference) {
  for (const std::string period : {"day", "month", "quarter", "year"}) {
    SCOPED_TRACE(period);
    gdelt::IngestOptions options;
    options.period = *gdelt::ParsePeriod(period);
    const EngineResult got = RunEngine(AllEventSamples(), options);
    ExpectSameAggregates(ReferenceAggregate(AllEventSamples(), period), got);
  }
}

TEST(GdeltAggregationTest, MentionsSamplesGiveTheMediaVolume) {
  gdelt::IngestOptions options;
  options.period = gdelt::Period::kDay;
  const EngineResult got = RunEngine(MentionsSamples(), options);

  EXPECT_EQ(got.report.rows, 8462U + 8857U + 9709U + 10180U);
  EXPECT_EQ(got.report.bad_rows, 0U);
  for (const auto& file : got.report.files) {
    EXPECT_EQ(file.kind, gdelt::FileKind::kMentions) << file.path;
  }
  EXPECT_TRUE(got.pairs.empty());
  ASSERT_EQ(got.media.size(), 1U);  // every MentionTimeDate is 2015-02-18
  EXPECT_EQ(got.media.begin()->first, "2015-02-18");
  ExpectSameAggregates(ReferenceAggregate(MentionsSamples(), "day"), got);
}

// A test dictionary (not shipped) built so that every rule fires on the samples: names with
// and without a country, a type filter, FeatureIDs and ADM1 codes; and the same for the
// reference implementation.
std::vector<gdelt::CityActor> TestCities() {
  return {
      {"washington", "Washington", "", "USA", {"WASHINGTON"}, {"531871"}, {"USDC"}, {}},
      {"usgov", "US government", "", "USA", {"UNITED STATES"}, {}, {}, {"GOV"}},
      {"police", "Police", "", "", {"POLICE"}, {}, {}, {}},
      {"school", "School", "", "", {"SCHOOL"}, {}, {}, {}},
      {"cairo", "Egypt", "", "EGY", {"EGYPTIAN", "EGYPT"}, {}, {}, {}},
      {"tripoli", "Libya", "", "LBY", {"LIBYA"}, {}, {}, {}},
      {"california", "California", "", "USA", {}, {}, {"USCA"}, {}},
      {"texas", "Texas", "", "USA", {}, {}, {"USTX"}, {}},
      {"newyork", "New York", "", "USA", {}, {}, {"USNY"}, {}},
  };
}
std::vector<RefCity> ReferenceCities(const std::vector<gdelt::CityActor>& cities) {
  std::vector<RefCity> reference;
  for (const auto& city : cities) {
    reference.push_back({city.id, city.country, city.actor_names, city.feature_ids, city.adm1_codes,
                         city.actor_types});
  }
  return reference;
}

TEST(GdeltAggregationTest, CityPairsFollowTheDictionaryRules) {
  const std::vector<gdelt::CityActor> cities = TestCities();
  const std::vector<RefCity> reference = ReferenceCities(cities);
  auto dictionary = gdelt::CityDictionary::FromCities(cities);
  ASSERT_TRUE(dictionary) << dictionary.error().ToString();
  gdelt::IngestOptions options;
  options.cities = &*dictionary;
  const EngineResult got = RunEngine(AllEventSamples(), options);

  const RefResult expected = ReferenceAggregate(AllEventSamples(), "month", reference);
  ExpectSameAggregates(expected, got);
  std::size_t city_groups = 0;
  for (const auto& [key, stats] : got.pairs) {
    city_groups += std::get<0>(key) == "city" ? 1 : 0;
  }
  EXPECT_GT(city_groups, 20U);
}

// Every row splitter this CPU has (AVX-512, AVX2, SSE2) gives the reference's aggregates, with
// tab positions kept up to AvgTone only (no dictionary) and up to the geography (cities).
class GdeltScanKernelTest : public ::testing::TestWithParam<gdelt::ScanKernel> {};

TEST_P(GdeltScanKernelTest, EveryKernelGivesTheReferenceAggregates) {
  if (!gdelt::ScanKernelSupported(GetParam())) {
    GTEST_SKIP() << "this CPU lacks the instruction set";
  }
  auto dictionary = gdelt::CityDictionary::FromCities(TestCities());
  ASSERT_TRUE(dictionary) << dictionary.error().ToString();
  for (const bool cities : {false, true}) {
    SCOPED_TRACE(cities ? "cities" : "countries only");
    gdelt::IngestOptions options;
    options.scan_kernel = GetParam();
    options.cities = cities ? &*dictionary : nullptr;
    const EngineResult got = RunEngine(AllEventSamples(), options);
    ExpectSameAggregates(
        ReferenceAggregate(AllEventSamples(), "month",
                           cities ? ReferenceCities(TestCities()) : std::vector<RefCity>{}),
        got);
  }
  gdelt::IngestOptions options;
  options.scan_kernel = GetParam();
  const EngineResult media = RunEngine(MentionsSamples(), options);
  gdelt::IngestOptions generic_options;
  generic_options.scan_kernel = gdelt::ScanKernel::kGeneric;
  const EngineResult generic = RunEngine(MentionsSamples(), generic_options);
  EXPECT_EQ(media.report.rows, generic.report.rows);
  ASSERT_EQ(media.media.size(), generic.media.size());
  for (const auto& [period, volume] : generic.media) {
    ASSERT_TRUE(media.media.contains(period)) << period;
    EXPECT_EQ(media.media.at(period).mentions, volume.mentions) << period;
    EXPECT_EQ(media.media.at(period).doc_tone_sum, volume.doc_tone_sum) << period;
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels,
                         GdeltScanKernelTest,
                         ::testing::Values(gdelt::ScanKernel::kGeneric,
                                           gdelt::ScanKernel::kAvx2,
                                           gdelt::ScanKernel::kAvx512),
                         ScanKernelName);

TEST(GdeltAggregationTest, ShippedDictionaryFindsSeoulAndBeijingActors) {
  auto dictionary = gdelt::CityDictionary::Load(DataPath("city_actors.csv"));
  ASSERT_TRUE(dictionary) << dictionary.error().ToString();
  gdelt::IngestOptions options;
  options.cities = &*dictionary;
  const EngineResult got = RunEngine(AllEventSamples(), options);

  std::vector<RefCity> reference;
  for (const auto& city : dictionary->cities()) {
    reference.push_back({city.id, city.country, city.actor_names, city.feature_ids, city.adm1_codes,
                         city.actor_types});
  }
  ExpectSameAggregates(ReferenceAggregate(AllEventSamples(), "month", reference), got);
}

TEST(GdeltAggregationTest, CountriesFilterKeepsPairsWithEitherCountryAndAllTotals) {
  gdelt::IngestOptions options;
  options.countries = {"KOR", "CHN"};
  const EngineResult got = RunEngine(AllEventSamples(), options);

  const RefResult expected = ReferenceAggregate(AllEventSamples(), "month", {}, {"KOR", "CHN"});
  ExpectSameAggregates(expected, got);
  ASSERT_FALSE(got.pairs.empty());
  for (const auto& [key, stats] : got.pairs) {
    const bool kept = std::get<2>(key) == "KOR" || std::get<2>(key) == "CHN" ||
                      std::get<3>(key) == "KOR" || std::get<3>(key) == "CHN";
    EXPECT_TRUE(kept) << std::get<2>(key) << "->" << std::get<3>(key);
  }
  // Totals (the normalization denominators) still count every row.
  std::int64_t events = 0;
  for (const auto& [label, totals] : got.totals) {
    events += totals.events;
  }
  EXPECT_EQ(events, 11123 + 710);
}

TEST(GdeltAggregationTest, ThreadsAndBatchSizesGiveTheSameAggregates) {
  const RefResult expected = ReferenceAggregate(AllEventSamples(), "month");
  for (int threads : {1, 2, 3}) {
    for (std::size_t flush : {std::size_t{40}, std::size_t{100000}}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + " flush " + std::to_string(flush));
      gdelt::IngestOptions options;
      options.threads = threads;
      options.flush_groups = flush;
      const EngineResult got = RunEngine(AllEventSamples(), options);
      ExpectSameAggregates(expected, got);
      std::size_t files = 0;
      for (const auto& batch : got.batch_files) {
        files += batch.size();
      }
      EXPECT_EQ(files, 6U);  // every file in exactly one batch
      if (flush == 40) {
        EXPECT_GT(got.batch_files.size(), 1U);
      } else {
        EXPECT_EQ(got.batch_files.size(), 1U);
      }
    }
  }
}

// The engine counts a batch's rows in 32 bits and commits a batch before a file would bring it
// past max_batch_rows; with a limit below two files' rows, every file is its own batch, and the
// sums are still those of the reference.
TEST(GdeltAggregationTest, ABatchIsCommittedBeforeItsRowCountWouldOverflow) {
  const RefResult expected = ReferenceAggregate(AllEventSamples(), "month");
  gdelt::IngestOptions options;
  options.threads = 2;
  options.max_batch_rows = 2600;  // more rows than any one sample file has, fewer than any two
  const EngineResult got = RunEngine(AllEventSamples(), options);
  ExpectSameAggregates(expected, got);
  std::size_t largest = 0;
  for (const auto& file : got.report.files) {
    EXPECT_EQ(file.status, gdelt::FileStatus::kIngested) << file.path;
    largest = std::max<std::size_t>(largest, file.rows);
  }
  ASSERT_LE(largest, options.max_batch_rows);
  EXPECT_EQ(got.batch_files.size(), 6U);
  for (const auto& batch : got.batch_files) {
    EXPECT_EQ(batch.size(), 1U);
  }
}

TEST(GdeltAggregationTest, SampleGoldsteinValuesAreTheOfficialScaleOfTheirEventCodes) {
  // Cross-checks the shipped samples against the shipped official lookup: GDELT derives
  // GoldsteinScale from EventCode, so every row must agree.
  std::map<std::string, double> scale;
  std::istringstream lookup(ReadText(DataPath("lookups/CAMEO.goldsteinscale.txt")));
  std::string line;
  std::getline(lookup, line);  // header
  while (std::getline(lookup, line)) {
    const auto tab = line.find('\t');
    scale[line.substr(0, tab)] = std::stod(line.substr(tab + 1));
  }
  EXPECT_EQ(scale.size(), 311U);
  std::size_t rows = 0;
  for (const auto& path : AllEventSamples()) {
    std::istringstream in(ReadGdeltFile(path));
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      std::stringstream split(line);
      std::string field;
      while (std::getline(split, field, '\t')) {
        fields.push_back(field);
      }
      ASSERT_TRUE(scale.contains(fields[26])) << path << ": " << fields[26];
      EXPECT_DOUBLE_EQ(scale[fields[26]], std::stod(fields[30])) << path << ": " << fields[26];
      ++rows;
    }
  }
  EXPECT_EQ(rows, 11123U + 710U);
}

}  // namespace
}  // namespace citydip::test
