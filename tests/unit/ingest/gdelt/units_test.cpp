// Periods, limits, country lists, the city-actor dictionary and the zip directory reader.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/city_dictionary.h"
#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "citydip/ingest/gdelt/internal/file_scanner.h"
#include "citydip/ingest/gdelt/period.h"
#include "citydip/ingest/gdelt/zip_reader.h"
#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

TEST(GdeltPeriodTest, LabelsAndStarts) {
  EXPECT_EQ(
      gdelt::PeriodLabel(gdelt::Period::kDay, gdelt::PeriodStart(gdelt::Period::kDay, 2015, 2, 18)),
      "2015-02-18");
  EXPECT_EQ(gdelt::PeriodLabel(gdelt::Period::kMonth,
                               gdelt::PeriodStart(gdelt::Period::kMonth, 2015, 2, 18)),
            "2015-02");
  EXPECT_EQ(gdelt::PeriodLabel(gdelt::Period::kQuarter,
                               gdelt::PeriodStart(gdelt::Period::kQuarter, 2015, 8, 31)),
            "2015-Q3");
  EXPECT_EQ(gdelt::PeriodLabel(gdelt::Period::kYear,
                               gdelt::PeriodStart(gdelt::Period::kYear, 1982, 1, 2)),
            "1982");
  EXPECT_EQ(gdelt::PeriodStart(gdelt::Period::kQuarter, 2015, 8, 31), DaysFromCivil(2015, 7, 1));
  EXPECT_EQ(gdelt::PeriodStartOf(gdelt::Period::kMonth, DaysFromCivil(2016, 2, 29)),
            DaysFromCivil(2016, 2, 1));
}

TEST(GdeltPeriodTest, CivilDatesRoundTrip) {
  for (DayNumber day = DaysFromCivil(1900, 1, 1); day < DaysFromCivil(2100, 1, 1); day += 17) {
    const auto civil = gdelt::CivilFromDays(day);
    ASSERT_EQ(DaysFromCivil(civil.year, civil.month, civil.day), day);
    ASSERT_EQ(gdelt::ParseIsoDate(gdelt::IsoDate(day)), day);
  }
  EXPECT_FALSE(gdelt::ParseIsoDate("2015-02-30"));
  EXPECT_FALSE(gdelt::ParseIsoDate("2015-2-3"));
}

TEST(GdeltPeriodTest, ParseAndRollUp) {
  EXPECT_EQ(*gdelt::ParsePeriod("quarter"), gdelt::Period::kQuarter);
  const auto bad = gdelt::ParsePeriod("week");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "'week' is not a period (expected day, month, quarter or year)");
  EXPECT_TRUE(gdelt::CanRollUp(gdelt::Period::kDay, gdelt::Period::kYear));
  EXPECT_TRUE(gdelt::CanRollUp(gdelt::Period::kMonth, gdelt::Period::kMonth));
  EXPECT_FALSE(gdelt::CanRollUp(gdelt::Period::kYear, gdelt::Period::kMonth));
}

TEST(GdeltLimitTest, ParsesPercentagesAndCounts) {
  const auto percent = gdelt::BadRowLimit::Parse("2.5%");
  ASSERT_TRUE(percent);
  EXPECT_DOUBLE_EQ(percent->fraction, 0.025);
  EXPECT_FALSE(percent->Exceeded(25, 1000));
  EXPECT_TRUE(percent->Exceeded(26, 1000));
  EXPECT_EQ(percent->ToString(), "2.5%");
  const auto count = gdelt::BadRowLimit::Parse("0");
  ASSERT_TRUE(count);
  EXPECT_TRUE(count->Exceeded(1, 1000000));
  EXPECT_FALSE(count->Exceeded(0, 10));
  for (const char* text : {"", "abc", "-1", "101%", "5x"}) {
    const auto bad = gdelt::BadRowLimit::Parse(text);
    ASSERT_FALSE(bad) << text;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(GdeltLimitTest, ParsesCountryLists) {
  EXPECT_EQ(*gdelt::ParseCountryList("KOR, CHN"), (std::vector<std::string>{"KOR", "CHN"}));
  const auto bad = gdelt::ParseCountryList("KOR,korea");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "--countries: 'korea' is not a CAMEO country code (expected 3 upper-case letters "
            "such as KOR)");
}

TEST(CityDictionaryTest, ShippedDictionaryLoads) {
  auto dictionary = gdelt::CityDictionary::Load(DataPath("city_actors.csv"));
  ASSERT_TRUE(dictionary) << dictionary.error().ToString();
  ASSERT_GE(dictionary->cities().size(), 2U);
  EXPECT_EQ(dictionary->cities()[0].id, "seoul");
  EXPECT_EQ(dictionary->cities()[0].name_ko, "서울");
  EXPECT_EQ(dictionary->cities()[0].adm1_codes, std::vector<std::string>{"KS11"});
  EXPECT_EQ(dictionary->cities()[1].id, "beijing");
  EXPECT_EQ(dictionary->cities()[1].adm1_codes, std::vector<std::string>{"CH22"});
}

TEST(CityDictionaryTest, ShippedIdentifiersExistInTheLookupsAndSamples) {
  // Every ADM1 code is in the FIPS ADM1 table and every FeatureID and actor name occurs in the
  // shipped samples: nothing in the dictionary is made up.
  auto dictionary = gdelt::CityDictionary::Load(DataPath("city_actors.csv"));
  ASSERT_TRUE(dictionary);
  const std::string adm1_table = ReadText(DataPath("lookups/fips_adm1_codes.csv"));
  std::string samples = ReadText(V1Sample());
  for (const auto& path : V2EventSamples()) {
    samples += ReadGdeltFile(path);
  }
  for (const auto& city : dictionary->cities()) {
    for (const auto& code : city.adm1_codes) {
      EXPECT_NE(adm1_table.find("\n" + code + ","), std::string::npos) << city.id << " " << code;
    }
    for (const auto& feature : city.feature_ids) {
      EXPECT_NE(samples.find("\t" + feature + "\t"), std::string::npos)
          << city.id << " " << feature;
    }
    for (const auto& name : city.actor_names) {
      EXPECT_NE(samples.find("\t" + name + "\t" + city.country + "\t"), std::string::npos)
          << city.id << " " << name;
    }
  }
}

TEST(CityDictionaryTest, MatchPrefersNamesThenFeaturesThenAdm1) {
  auto dictionary = gdelt::CityDictionary::FromCities({
      {"seoul", "Seoul", "", "KOR", {"SEOUL"}, {"-716583"}, {"KS11"}, {}},
      {"seoul-gov", "Seoul (government)", "", "KOR", {"SEOUL CITY"}, {}, {}, {"GOV"}},
      {"beijing", "Beijing", "", "CHN", {"BEIJING"}, {"-1898541"}, {"CH22"}, {}},
  });
  ASSERT_TRUE(dictionary) << dictionary.error().ToString();
  gdelt::ActorFields actor;
  actor.name = "SEOUL";
  actor.country = "KOR";
  EXPECT_EQ(dictionary->Match(actor), 0);
  actor.country = "USA";  // a SEOUL actor of another country is not the city
  EXPECT_EQ(dictionary->Match(actor), -1);
  actor.country = "";
  EXPECT_EQ(dictionary->Match(actor), 0);
  actor = {};
  actor.adm1 = "CH22";
  EXPECT_EQ(dictionary->Match(actor), 2);
  actor.feature_id = "-716583";  // the FeatureID wins over the ADM1 code
  EXPECT_EQ(dictionary->Match(actor), 0);
  actor = {};
  actor.name = "SEOUL CITY";
  EXPECT_EQ(dictionary->Match(actor), -1);  // the type filter wants GOV
  actor.types = {"", "GOV", ""};
  EXPECT_EQ(dictionary->Match(actor), 1);
  actor = {};
  EXPECT_EQ(dictionary->Match(actor), -1);
}

TEST(CityDictionaryTest, BadFilesNameTheLineAndCell) {
  const std::string header =
      "id,name_en,name_ko,country,actor_names,feature_ids,adm1_codes,actor_types,note\n";
  auto bad_adm1 = gdelt::CityDictionary::Parse(
      "# comment\n" + header + "seoul,Seoul,,KOR,SEOUL,,KS1,,\n", "cities.csv");
  ASSERT_FALSE(bad_adm1);
  EXPECT_EQ(bad_adm1.error().ToString(),
            "cities.csv:3: column 'adm1_codes': 'KS1' is not a FIPS ADM1 code (expected 4 "
            "characters such as KS11)");
  auto duplicate = gdelt::CityDictionary::Parse(
      header + "seoul,Seoul,,KOR,SEOUL,,,,\nseoul,Seoul,,KOR,SEOUL,,,,\n", "cities.csv");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().ToString(),
            "cities.csv:3: duplicate city id 'seoul' (expected each id once)");
  auto nothing = gdelt::CityDictionary::Parse(header + "x,X,,,,,,,\n", "cities.csv");
  ASSERT_FALSE(nothing);
  EXPECT_NE(nothing.error().message.find("has no actor_names, feature_ids or adm1_codes"),
            std::string::npos);
  auto lower = gdelt::CityDictionary::Parse(header + "x,X,,,seoul,,,,\n", "cities.csv");
  ASSERT_FALSE(lower);
  EXPECT_NE(lower.error().message.find("expected upper case"), std::string::npos);
  auto missing_column = gdelt::CityDictionary::Parse("id,name_en\nx,X\n", "cities.csv");
  ASSERT_FALSE(missing_column);
  EXPECT_EQ(missing_column.error().where, "cities.csv:1");
  auto absent = gdelt::CityDictionary::Load("/nonexistent/cities.csv");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
}

TEST(ZipReaderTest, ReadsTheMemberOfAShippedZip) {
  const std::string path = DataPath("samples/v2/20180101000000.export.CSV.zip");
  const int fd = open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const auto size = static_cast<std::uint64_t>(lseek(fd, 0, SEEK_END));
  auto member = gdelt::ReadSingleMember(fd, size, path);
  close(fd);
  ASSERT_TRUE(member) << member.error().ToString();
  EXPECT_EQ(member->name, "20180101000000.export.CSV");
  EXPECT_EQ(member->method, 8);
  EXPECT_EQ(member->uncompressed_size, 957007U);  // the original file's size
}

TEST(ZipReaderTest, InflaterDecodesInSmallSteps) {
  TempDir dir;
  const std::string text = ReadText(DataPath("samples/v2/20150218230000.export.CSV"));
  const std::string zip = dir.File("x.zip");
  WriteZip(zip, "x.CSV", text);
  const std::string bytes = ReadText(zip);
  const int fd = open(zip.c_str(), O_RDONLY);
  auto member = gdelt::ReadSingleMember(fd, bytes.size(), zip);
  close(fd);
  ASSERT_TRUE(member);
  gdelt::Inflater inflater;
  std::string out;
  std::vector<std::uint8_t> chunk(4096);
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data()) + member->data_offset;
  std::size_t fed = 0;
  while (!inflater.Finished()) {
    if (inflater.NeedsInput() && fed < member->compressed_size) {
      const std::size_t piece = std::min<std::size_t>(1000, member->compressed_size - fed);
      inflater.Feed(data + fed, piece);
      fed += piece;
    }
    auto got = inflater.Inflate(chunk.data(), chunk.size());
    ASSERT_TRUE(got);
    out.append(reinterpret_cast<const char*>(chunk.data()), *got);
  }
  EXPECT_EQ(out, text);
  EXPECT_EQ(inflater.Crc32(), member->crc32);
  EXPECT_EQ(gdelt::Crc32(0, reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
            member->crc32);
}

// Pairs come out of the aggregates ordered by packed actor1, then packed actor2, then period
// (days before 1970 are negative), whatever the order they were added in.
TEST(GdeltToBarometerTest, PairsComeOutByActorsThenPeriod) {
  using gdelt::internal::PairKey;
  std::vector<std::uint32_t> codes;
  for (std::string_view code : {"A", "AB", "ABC", "USA", "Z", "\xC3\x89", "\xFF\xFF\xFF\xFF"}) {
    codes.push_back(gdelt::internal::PackCode(code.data(), code.size()));
  }
  std::vector<PairKey> keys;
  for (std::uint32_t actor1 : codes) {
    for (std::uint32_t actor2 : codes) {
      for (std::int32_t period : {INT32_MIN, -25000, -1, 0, 1, 16000, INT32_MAX}) {
        keys.push_back(PairKey{period, actor1, actor2});
      }
    }
  }
  std::mt19937 random(7);
  std::shuffle(keys.begin(), keys.end(), random);
  gdelt::internal::FileAggregates aggregates;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    aggregates.countries[keys[i]].events = static_cast<std::int64_t>(i);
  }
  std::vector<std::size_t> want(keys.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    want[i] = i;
  }
  std::sort(want.begin(), want.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(keys[a].actor1, keys[a].actor2, keys[a].period) <
           std::tie(keys[b].actor1, keys[b].actor2, keys[b].period);
  });
  const gdelt::Barometer barometer = aggregates.ToBarometer(gdelt::Period::kDay, nullptr);
  ASSERT_EQ(barometer.pairs.size(), keys.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const PairKey& key = keys[want[i]];
    const gdelt::PairRow& row = barometer.pairs[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(row.actor1, gdelt::internal::UnpackCode(key.actor1));
    EXPECT_EQ(row.actor2, gdelt::internal::UnpackCode(key.actor2));
    EXPECT_EQ(row.period_start, key.period);
    EXPECT_EQ(row.stats.events, static_cast<std::int64_t>(want[i]));
  }
}

}  // namespace
}  // namespace citydip::test
