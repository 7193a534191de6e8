#include "citydip/core/date.h"

#include <gtest/gtest.h>

namespace citydip {
namespace {

PartialDate D(const char* text) {
  return PartialDate::Parse(text).value();
}

TEST(PartialDateTest, ParsesThreePrecisions) {
  EXPECT_EQ(D("2013").precision(), DatePrecision::kYear);
  EXPECT_EQ(D("2013-05").precision(), DatePrecision::kMonth);
  EXPECT_EQ(D("2013-05-13").precision(), DatePrecision::kDay);
  EXPECT_EQ(D("2013-05-13").ToString(), "2013-05-13");
  EXPECT_EQ(D("2013-05").ToString(), "2013-05");
}

TEST(PartialDateTest, RejectsMalformedDatesWithTheExpectedForms) {
  for (const char* bad : {"13", "2013-13", "2013-02-29", "2013/05/01", "20130501", "abcd", ""}) {
    const auto parsed = PartialDate::Parse(bad);

    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find("expected YYYY, YYYY-MM or YYYY-MM-DD"),
              std::string::npos);
  }
  EXPECT_TRUE(PartialDate::Parse("2012-02-29").has_value());
}

TEST(PartialDateTest, SpansCoverEveryDayTheDateMayMean) {
  EXPECT_EQ(D("2013").FirstDay(), D("2013-01-01").FirstDay());
  EXPECT_EQ(D("2013").LastDay(), D("2013-12-31").LastDay());
  EXPECT_EQ(D("2012-02").LastDay(), D("2012-02-29").LastDay());
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
}

TEST(PartialDateTest, SortsChronologicallyCoarserFirst) {
  EXPECT_LT(D("2013"), D("2013-01"));
  EXPECT_LT(D("2013-01"), D("2013-01-01"));
  EXPECT_LT(D("2012-12-31"), D("2013"));
  EXPECT_LT(PartialDate(), D("1000"));
}

TEST(DateRangeTest, ImpreciseDatesOnlyPartlyInsideAreReportedAsPartial) {
  const DateRange range{D("2013-05"), PartialDate()};

  EXPECT_EQ(range.Match(D("2013")), RangeMatch::kPartial);
  EXPECT_EQ(range.Match(D("2013-05")), RangeMatch::kInside);
  EXPECT_EQ(range.Match(D("2013-04-30")), RangeMatch::kOutside);
  EXPECT_EQ(range.Match(D("2014")), RangeMatch::kInside);
  EXPECT_EQ(range.Match(D("2012")), RangeMatch::kOutside);
}

TEST(DateRangeTest, ToMonthEndsAtTheMonthsLastDay) {
  const DateRange range{PartialDate(), D("2013-05")};

  EXPECT_EQ(range.Match(D("2013-05-31")), RangeMatch::kInside);
  EXPECT_EQ(range.Match(D("2013-06-01")), RangeMatch::kOutside);
  EXPECT_EQ(range.Match(D("2013")), RangeMatch::kPartial);
}

}  // namespace
}  // namespace citydip
