#include "citydip/core/validation.h"

#include <gtest/gtest.h>

namespace citydip {
namespace {

Event ValidEvent() {
  Event event;
  event.date = PartialDate::FromParts(2013, 4, 21);
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = {{"Beijing", "CHN"}};
  event.type = EventType::kLeaderVisit;
  event.title_en = "Park visits Beijing";
  event.sources = {"https://example.org/a"};
  return event;
}

TEST(ValidationTest, AcceptsAValidEvent) {
  EXPECT_TRUE(ValidateRecord(ValidEvent()).empty());
}

TEST(ValidationTest, EventNeedsDateHomeTitleAndSource) {
  Event event;
  const auto errors = ValidateRecord(event);

  EXPECT_EQ(errors, (std::vector<FieldError>{
                        {"date", "missing value (expected a date: YYYY, YYYY-MM or YYYY-MM-DD)"},
                        {"home_city", "missing value (expected the English name of the home city)"},
                        {"title_en", "missing value (expected an English title)"},
                        {"source_url", "missing value (expected at least one source URL)"}}));
}

TEST(ValidationTest, PartnersDifferFromHomeAndEachOther) {
  Event event = ValidEvent();
  event.partner_cities = {{"Seoul", ""}, {"Beijing", "CHN"}, {"beijing", "CHN"}};

  EXPECT_EQ(
      ValidateRecord(event),
      (std::vector<FieldError>{
          {"partner_city", "partner city 'Seoul' is the home city (expected a different city)"},
          {"partner_city", "partner city 'beijing' is listed twice"}}));
}

TEST(ValidationTest, SourcesMustBeHttpUrls) {
  Event event = ValidEvent();
  event.sources = {"www.example.org", "https://example.org/ok"};

  EXPECT_EQ(ValidateRecord(event),
            (std::vector<FieldError>{{"source_url",
                                      "'www.example.org' is not a valid source URL (expected an "
                                      "http:// or https:// URL)"}}));
  EXPECT_TRUE(IsSourceUrl("HTTP://EXAMPLE.ORG"));
  EXPECT_FALSE(IsSourceUrl("https://"));
  EXPECT_FALSE(IsSourceUrl("https://a b"));
}

TEST(ValidationTest, TermEndMayNotPrecedeTermStart) {
  Official official;
  official.name_en = "Kim";
  official.city = {"Seoul", "KOR"};
  official.sources = {"https://example.org"};
  official.term_start = PartialDate::FromParts(1993, 3);
  official.term_end = PartialDate::FromParts(1993, 3, 4);  // within the start month: fine
  EXPECT_TRUE(ValidateRecord(official).empty());

  official.term_end = PartialDate::FromParts(1993, 2, 28);
  EXPECT_EQ(ValidateRecord(official),
            (std::vector<FieldError>{
                {"term_end",
                 "end 1993-02-28 is before start 1993-03 (expected term_end on or after "
                 "term_start)"}}));
}

TEST(ValidationTest, AVisitClaimOfYesOrNoCarriesItsSource) {
  Official official;
  official.name_en = "Kim";
  official.city = {"Seoul", "KOR"};
  official.sources = {"https://example.org"};
  official.visit_claims = {{{"Beijing", ""}, Claim::kUnknown, {}}};
  EXPECT_TRUE(ValidateRecord(official).empty());

  official.visit_claims = {{{"Beijing", ""}, Claim::kYes, {}}};
  EXPECT_EQ(ValidateRecord(official),
            (std::vector<FieldError>{
                {"visit_source_url",
                 "missing value (expected at least one source URL for the visit claim 'yes')"}}));
}

TEST(ValidationTest, CityCoordinatesAndCountry) {
  City city;
  city.name_en = "Seoul";
  city.country = "XKR";
  city.lat = 95.5;
  city.wikidata_id = "8684";
  city.sources = {"https://example.org"};

  EXPECT_EQ(
      ValidateRecord(city),
      (std::vector<FieldError>{
          {"country",
           "'XKR' is not a known country code (expected an ISO 3166-1 alpha-3 code such as "
           "KOR or CHN)"},
          {"lat", "latitude 95.5 is out of range (expected -90 to 90)"},
          {"lon", "missing value (expected a longitude to go with the latitude)"},
          {"wikidata_id",
           "'8684' is not a valid Wikidata id (expected Q followed by digits, e.g. Q8684)"}}));
}

TEST(ValidationTest, MechanismLinksTwoCitiesAndRelationTwoDifferentOnes) {
  Mechanism mechanism;
  mechanism.name_en = "Council";
  mechanism.cities = {{"Seoul", "KOR"}};
  mechanism.sources = {"https://example.org"};
  EXPECT_EQ(ValidateRecord(mechanism),
            (std::vector<FieldError>{{"cities", "a mechanism links at least two cities (got 1)"}}));

  PartnerRelation relation;
  relation.city_a = {"Seoul", "KOR"};
  relation.city_b = {"Seoul", "KOR"};
  relation.sources = {"https://example.org"};
  EXPECT_EQ(ValidateRecord(relation),
            (std::vector<FieldError>{
                {"city_b", "'Seoul' cannot be its own partner (expected two different cities)"}}));
}

}  // namespace
}  // namespace citydip
