#include "citydip/ingest/twinning.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace citydip::ingest {
namespace {

const char kHeader[] =
    "origincityLabel\torigincountry\toriginlat\toriginlong\toriginpopulation\tsistercityLabel\t"
    "destinationlat\tdestinationlong\tdestinationpopulation\tdestination_countryLabel\tdist\teu\n";

std::optional<std::string> TestCountries(std::string_view label) {
  static const std::map<std::string, std::string, std::less<>> table = {
      {"Germany", "DEU"}, {"France", "FRA"}, {"Italy", "ITA"}, {"Hungary", "HUN"}};
  if (auto it = table.find(label); it != table.end()) {
    return it->second;
  }
  return std::nullopt;
}

TwinningData Parse(const std::string& body, std::size_t max_errors = 20) {
  TwinningReader reader({.resolve_country = TestCountries, .max_errors = max_errors});
  reader.Read("pairs.tsv", std::string(kHeader) + body);
  return reader.Take();
}

TEST(TwinningTest, RowsBecomeCitiesAndSisterRelations) {
  const auto data = Parse(
      "Cologne\tGermany\t50.94\t6.96\t1060582\tBeijing\t39.9\t116.39\t21516000\t"
      "People's Republic of China\t7783\tNon-EU\n"
      "Cologne\tGermany\t50.94\t6.96\t1060582\tLille\t50.63\t3.06\t232741\tFrance\t250\tEU\n");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.rows, 2U);
  ASSERT_EQ(data.cities.size(), 3U);
  EXPECT_EQ(data.cities[0].name_en, "Cologne");
  EXPECT_EQ(data.cities[0].country, "DEU");
  EXPECT_DOUBLE_EQ(*data.cities[0].lat, 50.94);
  EXPECT_EQ(data.cities[1].Ref(), (CityRef{"Beijing", "CHN"}));  // Wikidata's label for China
  EXPECT_EQ(data.cities[1].sources,
            std::vector<std::string>{"https://www.wikidata.org/wiki/Property:P190"});
  ASSERT_EQ(data.relations.size(), 2U);
  EXPECT_EQ(data.relations[0].city_a, (CityRef{"Cologne", "DEU"}));
  EXPECT_EQ(data.relations[0].city_b, (CityRef{"Beijing", "CHN"}));
  EXPECT_EQ(data.relations[0].relation, RelationKind::kSister);
  EXPECT_EQ(data.relations[0].status, RelationStatus::kActive);
  EXPECT_EQ(data.relation_origins[1].line, 3U);
  EXPECT_EQ(data.city_origins[2].file, "pairs.tsv");
}

TEST(TwinningTest, DropsRepeatedPairsInEitherDirectionAcrossFiles) {
  TwinningReader reader({.resolve_country = TestCountries});
  reader.Read("germany.tsv",
              std::string(kHeader) +
                  "Cologne\tGermany\t50.94\t6.96\t1\tLille\t50.63\t3.06\t2\tFrance\t250\tEU\n"
                  "Cologne\tGermany\t50.94\t6.96\t1\tLille\t50.63\t3.06\t2\tFrance\t250\tEU\n");
  reader.Read("france.tsv",
              std::string(kHeader) +
                  "Lille\tFrance\t50.63\t3.06\t2\tCologne\t50.94\t6.96\t1\tGermany\t250\tEU\n");
  const auto& data = reader.data();
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.rows, 3U);
  EXPECT_EQ(data.relations.size(), 1U);
  EXPECT_EQ(data.duplicate_pairs, 2U);
  EXPECT_EQ(data.cities.size(), 2U);
}

TEST(TwinningTest, DropsSelfPairsOfHomonyms) {
  const auto data =
      Parse("Falkenstein\tGermany\t50.47\t12.37\t\tFalkenstein\t49.1\t12.49\t\tGermany\t153\tEU\n");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.self_pairs, 1U);
  EXPECT_TRUE(data.relations.empty());
  EXPECT_TRUE(data.cities.empty());
}

TEST(TwinningTest, CountsHomonymsMergedByNameAndCountry) {
  const auto data = Parse(
      "Friedberg\tGermany\t50.34\t8.76\t\tLille\t50.63\t3.06\t\tFrance\t1\tEU\n"
      "Friedberg\tGermany\t48.35\t10.98\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n"
      "Vilnius\tGermany\t54.68\t25.28\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n"
      "Vilnius\tGermany\t54.73\t25.38\t\tLille\t50.63\t3.06\t\tFrance\t1\tEU\n");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.merged_homonyms, 1U);  // the two Friedbergs; Vilnius' rows are 8 km apart
  EXPECT_EQ(data.cities.size(), 4U);
  EXPECT_EQ(data.relations.size(), 4U);
}

TEST(TwinningTest, LeavesOutFormerStatesAndUnknownValuesWithANote) {
  const auto data = Parse(
      "Graz\tGermany\t47\t15\t\tTrieste\t45.6\t13.7\t\tAustria-Hungary\t1\tNon-EU\n"
      "Graz\tGermany\t47\t15\t\tSomewhere\t45.6\t13.7\t\tt430222130\t1\tNon-EU\n"
      "Graz\tGermany\t47\t15\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.skipped_count, 2U);
  ASSERT_EQ(data.skipped.size(), 2U);
  EXPECT_EQ(data.skipped[0].ToString(),
            "pairs.tsv:2: country 'Austria-Hungary' is a former state or an unrecognized "
            "territory; the row is left out");
  EXPECT_EQ(data.skipped[1].line, 3U);
  EXPECT_EQ(data.relations.size(), 1U);
  EXPECT_EQ(data.cities.size(), 2U);  // left-out rows create no city
}

TEST(TwinningTest, UnknownCountryIsAnErrorWithFileLineAndColumn) {
  const auto data = Parse("Graz\tGermny\t47\t15\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n");
  ASSERT_FALSE(data.ok());
  ASSERT_EQ(data.diagnostics.size(), 1U);
  EXPECT_EQ(data.diagnostics[0].ToString(),
            "pairs.tsv:2: column 'origincountry': unknown country 'Germny' (expected a country "
            "name such as 'Germany' or an ISO 3166-1 code)");
  EXPECT_EQ(data.diagnostics[0].column, 2U);
  EXPECT_TRUE(data.relations.empty());
}

TEST(TwinningTest, RejectsMalformedRowsNamingTheProblem) {
  const auto data = Parse(
      "Graz\tGermany\t47\t15\n"                                            // line 2
      "Graz\tGermany\tninety\t15\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n"  // line 3
      "Graz\tGermany\t47\t15\t\tLyon\t45.76\t200\t\tFrance\t1\tEU\n"       // line 4
      "\tGermany\t47\t15\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n"          // line 5
      "Graz\tGermany\t47\t15\t-5\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\n"    // line 6
      "Graz\tGermany\t47\t15\t\tLyon\t45.76\t4.83\t\tFrance\t1\tmaybe\n"   // line 7
      "Graz\tGermany\t47\t15\t\tLy\xff"
      "on\t45.76\t4.83\t\tFrance\t1\tEU\n");  // line 8
  ASSERT_FALSE(data.ok());
  ASSERT_EQ(data.diagnostics.size(), 7U);
  EXPECT_EQ(data.diagnostics[0].ToString(),
            "pairs.tsv:2: found 4 tab-separated columns (expected 12: the twinning header's "
            "columns)");
  EXPECT_EQ(data.diagnostics[1].ToString(),
            "pairs.tsv:3: column 'originlat': 'ninety' is not a coordinate (expected a number in "
            "-90..90)");
  EXPECT_EQ(data.diagnostics[2].ToString(),
            "pairs.tsv:4: column 'destinationlong': '200' is not a coordinate (expected a number "
            "in -180..180)");
  EXPECT_EQ(data.diagnostics[3].ToString(),
            "pairs.tsv:5: column 'origincityLabel': missing origin city name");
  EXPECT_EQ(data.diagnostics[4].column_name, "originpopulation");
  EXPECT_EQ(data.diagnostics[5].ToString(),
            "pairs.tsv:7: column 'eu': 'maybe' is not an EU flag (expected EU, Non-EU)");
  EXPECT_EQ(data.diagnostics[6].ToString(),
            "pairs.tsv:8: column 'sistercityLabel': invalid UTF-8 at byte 23 (expected UTF-8 "
            "text)");
}

TEST(TwinningTest, CapsDiagnosticsButCountsAll) {
  std::string body;
  for (int i = 0; i < 30; ++i) {
    body += "Graz\tGermany\n";
  }
  const auto data = Parse(body, 5);
  EXPECT_EQ(data.error_count, 30U);
  EXPECT_EQ(data.diagnostics.size(), 5U);
}

TEST(TwinningTest, RejectsAnotherHeader) {
  TwinningReader reader({.resolve_country = TestCountries});
  reader.Read("events.csv", "date,home_city,partner_cities\n2013-05-01,Seoul,Beijing\n");
  const auto& data = reader.data();
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.diagnostics[0].line, 1U);
  EXPECT_NE(data.diagnostics[0].message.find("the header is not the twinning header (expected "
                                             "origincityLabel<TAB>origincountry"),
            std::string::npos);
  EXPECT_TRUE(data.relations.empty());
}

TEST(TwinningTest, EmptyFileIsAnError) {
  TwinningReader reader({.resolve_country = TestCountries});
  reader.Read("empty.tsv", "");
  EXPECT_FALSE(reader.data().ok());
  EXPECT_EQ(reader.data().diagnostics[0].ToString(),
            "empty.tsv:1: the file is empty (expected the twinning header and rows)");
}

TEST(TwinningTest, AcceptsCrLfAndByteOrderMark) {
  TwinningReader reader({.resolve_country = TestCountries});
  std::string header = kHeader;
  header.insert(header.size() - 1, "\r");
  reader.Read("crlf.tsv", "\xEF\xBB\xBF" + header +
                              "Graz\tGermany\t47\t15\t\tLyon\t45.76\t4.83\t\tFrance\t1\tEU\r\n");
  ASSERT_TRUE(reader.data().ok()) << reader.data().diagnostics[0].ToString();
  EXPECT_EQ(reader.data().relations.size(), 1U);
  EXPECT_TRUE(LooksLikeTwinning(kHeader));
  EXPECT_FALSE(LooksLikeTwinning("name,country\n"));
}

TEST(TwinningTest, UnlabelledWikidataItemKeepsItsId) {
  const auto data = Parse("Graz\tGermany\t47\t15\t\tQ12875763\t45.76\t4.83\t\tFrance\t1\tEU\n");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.cities[1].name_en, "Q12875763");
  EXPECT_EQ(data.cities[1].wikidata_id, "Q12875763");
}

TEST(TwinningTest, MissingFileIsNotFound) {
  TwinningReader reader({.resolve_country = TestCountries});
  const auto status = reader.ReadFile("/nonexistent/pairs.tsv");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace citydip::ingest
