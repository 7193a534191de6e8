#include "citydip/core/countries.h"

#include <gtest/gtest.h>

namespace citydip {
namespace {

TEST(CountriesTest, TableIsCompiledInWithEveryRow) {
  // data/lookups/geo_country_codes.csv has 295 rows below its header.
  EXPECT_EQ(CountryTable().size(), 295U);
  const CountryEntry* korea = FindCountryByIso3("KOR");
  ASSERT_NE(korea, nullptr);
  EXPECT_EQ(korea->fips, "KS");
  EXPECT_EQ(korea->name_en, "Republic of Korea");
  EXPECT_EQ(korea->name_ko, "대한민국");
  EXPECT_EQ(korea->m49, "410");
}

TEST(CountriesTest, ResolvesCodesNamesAndAliases) {
  EXPECT_EQ(ResolveCountry("CHN"), "CHN");
  EXPECT_EQ(ResolveCountry("chn"), "CHN");
  EXPECT_EQ(ResolveCountry("China"), "CHN");
  EXPECT_EQ(ResolveCountry(" japan "), "JPN");
  EXPECT_EQ(ResolveCountry("South Korea"), "KOR");
  EXPECT_EQ(ResolveCountry("Korea"), "KOR");
  EXPECT_EQ(ResolveCountry("Republic of Korea"), "KOR");
  EXPECT_EQ(ResolveCountry("대한민국"), "KOR");
  EXPECT_EQ(ResolveCountry("한국"), "KOR");
  EXPECT_EQ(ResolveCountry("North Korea"), "PRK");
  EXPECT_EQ(ResolveCountry("Netherlands"), "NLD");    // "The Netherlands" in the table
  EXPECT_EQ(ResolveCountry("Bolivia"), "BOL");        // "Bolivia (Plurinational State of)"
  EXPECT_EQ(ResolveCountry("Côte d'Ivoire"), "CIV");  // the table's '' is undone
  EXPECT_EQ(ResolveCountry("United States"), "USA");
  EXPECT_FALSE(ResolveCountry("Chna").has_value());
  EXPECT_FALSE(ResolveCountry("").has_value());
  EXPECT_FALSE(ResolveCountry("Virgin Islands").has_value());  // British or U.S.: ambiguous
}

TEST(CountriesTest, MapsGdeltFipsCodesToIso3) {
  ASSERT_NE(FindCountryByFips("CH"), nullptr);
  EXPECT_EQ(FindCountryByFips("CH")->current_iso3, "CHN");
  EXPECT_EQ(FindCountryByFips("KS")->current_iso3, "KOR");
  EXPECT_EQ(FindCountryByFips("JA")->current_iso3, "JPN");
  EXPECT_EQ(FindCountryByFips("ZZ"), nullptr);
}

TEST(CountriesTest, KnowsOnlyCurrentIso3Codes) {
  EXPECT_TRUE(IsCountryCode("KOR"));
  EXPECT_TRUE(IsCountryCode("HKG"));
  EXPECT_FALSE(IsCountryCode("kor"));
  EXPECT_FALSE(IsCountryCode("DDR"));  // German Democratic Republic (former)
  EXPECT_FALSE(IsCountryCode(""));
  EXPECT_EQ(CountryDisplayName("NLD"), "Netherlands");
  EXPECT_EQ(CountryDisplayName("XYZ"), "XYZ");
}

}  // namespace
}  // namespace citydip
