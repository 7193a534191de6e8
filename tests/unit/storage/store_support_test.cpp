#include "citydip/storage/store_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/storage/store.h"

namespace citydip::storage {
namespace {

using ::testing::HasSubstr;

PartialDate D(const char* text) {
  return PartialDate::Parse(text).value();
}

Event ValidEvent() {
  Event event;
  event.date = D("2013-05");
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = {{"Beijing", "CHN"}};
  event.sources = {"https://example.org/e"};
  return event;
}

TEST(StoreSupportTest, DescribesCityReferencesWithAndWithoutCountry) {
  EXPECT_EQ(DescribeCityRef({"Pekin", "CHN"}), "'Pekin' (country CHN)");
  EXPECT_EQ(DescribeCityRef({"Pekin", ""}), "'Pekin'");
}

TEST(StoreSupportTest, WordsReferenceAndVersionErrors) {
  const Error unknown = UnknownCityError({"Pekin", "CHN"}, "partner_cities");
  const Error ambiguous = AmbiguousCityError({"Cordoba", ""}, {"ARG", "ESP"}, "home_city");
  const Error conflict = VersionConflictError(5, 3);
  const Error missing = RecordNotFoundError(RecordKind::kPartnerRelation, 7);
  const Error newer = NewerSchemaError(kSchemaVersion + 1, "registry.db");

  EXPECT_EQ(unknown.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.ToString(), "partner_cities: unknown city 'Pekin' (country CHN)");
  EXPECT_EQ(ambiguous.message,
            "city 'Cordoba' is ambiguous: it exists in ARG, ESP (give the country)");
  EXPECT_EQ(conflict.code, ErrorCode::kConflict);
  EXPECT_EQ(conflict.message, "record was changed by someone else (version 5, yours 3)");
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.message, "no partner relation with id 7");
  EXPECT_EQ(newer.code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(newer.message, HasSubstr("version " + std::to_string(kSchemaVersion + 1)));
  EXPECT_THAT(newer.message, HasSubstr("(version " + std::to_string(kSchemaVersion) + ")"));
  EXPECT_EQ(UnknownReferenceError("mechanism", "X", "mechanism").message, "unknown mechanism 'X'");
}

TEST(StoreSupportTest, AcceptsAMinimalValidRecordOfEachKind) {
  City city;
  city.name_en = "Seoul";
  city.country = "KOR";
  PartnerRelation relation;
  relation.city_a = {"Seoul", "KOR"};
  relation.city_b = {"Beijing", ""};
  Organization organization;
  organization.name = "Metropolis";
  Membership membership;
  membership.city = {"Seoul", ""};
  membership.organization = "Metropolis";
  Official official;
  official.name_en = "Mayor";
  official.city = {"Seoul", ""};
  Mechanism mechanism;
  mechanism.name_en = "Council";

  for (const Record& record : std::vector<Record>{city, relation, organization, membership,
                                                  official, mechanism, ValidEvent()}) {
    const auto status = ValidateRecord(record);
    EXPECT_TRUE(status.has_value()) << status.error().ToString();
  }
}

TEST(StoreSupportTest, RejectsWhatTheStoreCannotKeepNamingTheField) {
  City bad_country;
  bad_country.name_en = "Seoul";
  bad_country.country = "kor";
  City bad_lon = bad_country;
  bad_lon.country = "KOR";
  bad_lon.lon = 181;
  City empty_source = bad_lon;
  empty_source.lon.reset();
  empty_source.sources = {"https://example.org", " "};
  PartnerRelation self;
  self.city_a = {"Seoul", "KOR"};
  self.city_b = {"Seoul", "KOR"};
  PartnerRelation backwards;
  backwards.city_a = {"Seoul", "KOR"};
  backwards.city_b = {"Beijing", "CHN"};
  backwards.since = D("2013");
  backwards.until = D("2012-12");
  Event no_date = ValidEvent();
  no_date.date = PartialDate();
  Event no_home = ValidEvent();
  no_home.home_city = {" ", "KOR"};
  Event twice = ValidEvent();
  twice.partner_cities = {{"Beijing", "CHN"}, {"Beijing", "CHN"}};
  Event no_sources = ValidEvent();
  no_sources.sources.clear();
  Official no_office;
  no_office.name_en = "Mayor";
  no_office.office = "";
  no_office.city = {"Seoul", ""};

  struct Case {
    Record record;
    std::string field;
    std::string message_part;
  };
  for (const Case& c : std::vector<Case>{
           {bad_country, "country", "'kor' is not a country code"},
           {bad_lon, "lon", "out of range"},
           {empty_source, "sources", "entry 2 is empty"},
           {self, "city_b", "cannot be its own partner"},
           {backwards, "until", "end 2012-12 is before start 2013"},
           {no_date, "date", "missing date"},
           {no_home, "home_city", "missing city name"},
           {twice, "partner_cities", "listed twice"},
           {no_sources, "sources", "at least one URL"},
           {no_office, "office", "missing office"},
       }) {
    const auto status = ValidateRecord(c.record);

    ASSERT_FALSE(status.has_value()) << c.field;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().where, c.field);
    EXPECT_THAT(status.error().message, HasSubstr(c.message_part));
  }
}

TEST(StoreSupportTest, ChecksPagingAndComputesDayBounds) {
  EventFilter filter;
  filter.range = {D("2013-05"), D("2013-06")};
  EventFilter negative;
  negative.offset = -3;

  const DayBounds bounds = FilterDayBounds(filter);
  const DayBounds open = FilterDayBounds(EventFilter{});

  EXPECT_TRUE(ValidateEventFilter(filter).has_value());
  EXPECT_FALSE(ValidateEventFilter(negative).has_value());
  EXPECT_EQ(bounds.first, D("2013-05-01").FirstDay());
  EXPECT_EQ(bounds.last, D("2013-06-30").LastDay());
  EXPECT_FALSE(open.first.has_value());
  EXPECT_FALSE(open.last.has_value());
}

TEST(StoreSupportTest, DuplicateTitleKeyIgnoresCaseAndSpacing) {
  EXPECT_EQ(DuplicateTitleKey("  Mayor   Visits\tBEIJING "), "mayor visits beijing");
  EXPECT_EQ(DuplicateTitleKey("서울  시장"), "서울 시장");
  EXPECT_EQ(DuplicateTitleKey(""), "");
}

}  // namespace
}  // namespace citydip::storage
