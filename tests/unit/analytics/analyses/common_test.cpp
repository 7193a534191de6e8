#include "citydip/analytics/analyses/common.h"

#include <gtest/gtest.h>

#include "registry_builder.h"

namespace citydip::analytics {
namespace {

using testing::D;
using testing::RegistryBuilder;

TEST(PeriodTest, ParsesYearQuarterMonthAndGdeltMonth) {
  auto year = Period::Parse("2013");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->granularity, Granularity::kYear);
  auto quarter = Period::Parse("2013-Q2");
  ASSERT_TRUE(quarter);
  EXPECT_EQ(quarter->sub, 2);
  EXPECT_EQ(quarter->ToString(), "2013-Q2");
  auto month = Period::Parse("201305");
  ASSERT_TRUE(month);
  EXPECT_EQ(month->ToString(), "2013-05");
  EXPECT_EQ(Period::Parse("2013-05")->Ordinal(), month->Ordinal());
}

TEST(PeriodTest, RejectsMalformedPeriodsNamingTheText) {
  for (const char* bad : {"", "13", "2013-13", "2013-Q5", "2013/05", "2013-5", "abcd"}) {
    auto p = Period::Parse(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_NE(p.error().message.find("expected YYYY"), std::string::npos);
  }
}

TEST(PeriodTest, OrdinalsRoundTripAndAreConsecutive) {
  for (auto g : {Granularity::kYear, Granularity::kQuarter, Granularity::kMonth}) {
    const Period start = Period::Containing(DaysFromCivil(2015, 11, 20), g);
    for (int k = 0; k < 30; ++k) {
      const Period p = Period::FromOrdinal(g, start.Ordinal() + k);
      EXPECT_EQ(p.Ordinal(), start.Ordinal() + k);
      EXPECT_EQ(Period::Containing(p.FirstDay(), g), p);
      EXPECT_EQ(Period::Containing(p.LastDay(), g), p);
      EXPECT_EQ(Period::FromOrdinal(g, p.Ordinal() + 1).FirstDay(), p.LastDay() + 1);
    }
  }
  EXPECT_EQ(Period::Parse("2016-08")->CoarsenTo(Granularity::kQuarter)->ToString(), "2016-Q3");
  EXPECT_FALSE(Period::Parse("2016")->CoarsenTo(Granularity::kMonth));
}

TEST(CivilFromDaysTest, InvertsDaysFromCivil) {
  for (DayNumber d = DaysFromCivil(1999, 12, 25); d < DaysFromCivil(2001, 3, 5); ++d) {
    const CivilDate c = CivilFromDays(d);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(IsoDate(DaysFromCivil(2020, 2, 29)), "2020-02-29");
}

TEST(GranularityTest, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(*ParseGranularity("quarter"), Granularity::kQuarter);
  auto bad = ParseGranularity("week");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'week'"), std::string::npos);
}

TEST(SameCityTest, IgnoresCaseAndMissingCountry) {
  EXPECT_TRUE(SameCity({"seoul", ""}, {"Seoul", "KOR"}));
  EXPECT_TRUE(SameCity({"Seoul", "KOR"}, {"SEOUL", "KOR"}));
  EXPECT_FALSE(SameCity({"Seoul", "KOR"}, {"Seoul", "USA"}));
  EXPECT_FALSE(SameCity({"Busan", ""}, {"Seoul", ""}));
}

TEST(SelectEventsTest, FiltersHomePartnerStatusAndRangeWithImpreciseDates) {
  RegistryBuilder b;
  b.AddEvent("2013-05-10", EventType::kForum);  // E1 in
  b.AddEvent("2013", EventType::kForum);        // E2 partial overlap
  b.AddEvent("2013-06-01", EventType::kForum).status = EventStatus::kCancelled;  // E3
  b.AddEvent("2013-07-01", EventType::kForum, testing::Tokyo());                 // E4 other country
  b.AddEvent("2013-08-01", EventType::kForum, CityRef{"Shanghai", ""});  // E5 country resolved
  b.AddEvent("2014-01-01", EventType::kForum);                           // E6 out of range
  Scope scope;
  scope.home = testing::Seoul();
  scope.partner.country = "CHN";
  scope.range = {D("2013-05"), D("2013-12")};
  std::vector<std::string> keys;
  for (const Event* e : SelectEvents(b.registry(), scope)) {
    keys.push_back(EventKey(*e));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"E2", "E1", "E5"}));
  EventSelection strict;
  strict.include_partial = false;
  strict.held_only = false;
  keys.clear();
  for (const Event* e : SelectEvents(b.registry(), scope, strict)) {
    keys.push_back(EventKey(*e));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"E1", "E3", "E5"}));
}

TEST(ActivitySeriesTest, SpreadsCoarseDatesAndCountsOnlyTheInsidePart) {
  RegistryBuilder b;
  b.AddEvent("2013-05-10", EventType::kForum);
  b.AddEvent("2013", EventType::kForum);  // spread over 4 quarters
  std::vector<const Event*> events;
  for (const auto& e : b.registry().events) {
    events.push_back(&e);
  }
  const int first = Period::Parse("2013-Q2")->Ordinal();
  const ActivitySeries s = BuildActivitySeries(events, Granularity::kQuarter, first, first + 2);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s.values[0], 1.25);
  EXPECT_DOUBLE_EQ(s.values[1], 0.25);
  EXPECT_DOUBLE_EQ(s.values[2], 0.25);
  EXPECT_EQ(s.spread_events, 1);
  EXPECT_EQ(s.Label(0), "2013-Q2");
  EXPECT_EQ(s.evidence[0], (std::vector<std::string>{"E1", "E2"}));
}

TEST(ValidateScopeTest, RejectsMissingHomeBadCountryInvertedRangeAndUnknownHome) {
  RegistryBuilder b;
  Scope scope;
  EXPECT_EQ(ValidateScope(b.registry(), scope).error().code, ErrorCode::kInvalidArgument);
  scope.home = testing::Seoul();
  EXPECT_TRUE(ValidateScope(b.registry(), scope));
  scope.partner.country = "China";
  EXPECT_FALSE(ValidateScope(b.registry(), scope));
  scope.partner.country = "CHN";
  scope.range = {D("2020"), D("2019")};
  auto inverted = ValidateScope(b.registry(), scope);
  ASSERT_FALSE(inverted);
  EXPECT_NE(inverted.error().message.find("after it ends"), std::string::npos);
  scope.range = {};
  scope.home = {"Atlantis", ""};
  auto unknown = ValidateScope(b.registry(), scope);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST(AlignIndexTest, AveragesMonthsIntoQuarters) {
  const IndexSeries index = {{"2015-01", 1}, {"2015-02", 2}, {"2015-03", 3}, {"2015-04", 10}};
  auto q = AlignIndex(index, Granularity::kQuarter);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->first_ordinal, Period::Parse("2015-Q1")->Ordinal());
  ASSERT_EQ(q->values.size(), 2u);
  EXPECT_DOUBLE_EQ(q->values[0], 2.0);
  EXPECT_DOUBLE_EQ(q->values[1], 10.0);
}

TEST(AlignIndexTest, RejectsGapsDuplicatesMixedAndCoarserIndex) {
  auto gap = AlignIndex({{"2015-01", 1}, {"2015-03", 2}}, Granularity::kMonth);
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.error().message.find("no value for 2015-02"), std::string::npos);
  auto dup = AlignIndex({{"2015-01", 1}, {"201501", 2}}, Granularity::kMonth);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
  EXPECT_FALSE(AlignIndex({{"2015-01", 1}, {"2015", 2}}, Granularity::kYear));
  auto coarse = AlignIndex({{"2015", 1}, {"2016", 2}}, Granularity::kMonth);
  ASSERT_FALSE(coarse);
  EXPECT_NE(coarse.error().message.find("--period month"), std::string::npos);
  EXPECT_FALSE(AlignIndex({}, Granularity::kYear));
}

TEST(ParseIndexCsvTest, ReadsHeaderCommentsBomAndCrlf) {
  auto index = ParseIndexCsv(
      "\xEF\xBB\xBFperiod,value\r\n# comment\r\n2015-01,1.5\r\n\r\n2015-02,-2\r\n", "index.csv");
  ASSERT_TRUE(index) << index.error().ToString();
  ASSERT_EQ(index->size(), 2u);
  EXPECT_EQ((*index)[1].first, "2015-02");
  EXPECT_DOUBLE_EQ((*index)[1].second, -2.0);
}

TEST(ParseIndexCsvTest, ErrorsNameFileLineAndColumn) {
  auto header = ParseIndexCsv("month,score\n2015-01,1\n", "x.csv");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().where, "x.csv:1:1");
  auto number = ParseIndexCsv("period,value\n2015-01,abc\n", "x.csv");
  ASSERT_FALSE(number);
  EXPECT_EQ(number.error().where, "x.csv:2:9");
  EXPECT_NE(number.error().message.find("'abc' is not a number"), std::string::npos);
  auto period = ParseIndexCsv("period,value\n2015-1,3\n", "x.csv");
  ASSERT_FALSE(period);
  EXPECT_EQ(period.error().where, "x.csv:2:1");
  auto fields = ParseIndexCsv("period,value\n2015-01,3,4\n", "x.csv");
  ASSERT_FALSE(fields);
  EXPECT_EQ(fields.error().where, "x.csv:2:1");
  EXPECT_FALSE(ParseIndexCsv("", "x.csv"));
  EXPECT_FALSE(ParseIndexCsv("period,value\n", "x.csv"));
}

TEST(NationalIndexFromGdeltTest, PoolsBothDirectionsPerPeriod) {
  const std::vector<PairAggregate> rows = {
      {"2016-07", false, "KOR", "CHN", 10, -20, 5, 4},
      {"2016-07", false, "CHN", "KOR", 30, -40, -15, 6},
      {"2016-07", false, "KOR", "JPN", 99, 99, 99, 99},
      {"2016-07", true, "seoul", "beijing", 5, 5, 5, 5},
      {"2016-08", false, "CHN", "KOR", 4, 8, 2, 4},
  };
  const auto index = [&](GdeltMetric metric) {
    auto r = NationalIndexFromGdelt(rows, "KOR", "CHN", metric, Granularity::kMonth);
    EXPECT_TRUE(r);
    return *r;
  };
  const auto goldstein = index(GdeltMetric::kGoldsteinMean);
  ASSERT_EQ(goldstein.size(), 2u);
  EXPECT_EQ(goldstein[0].first, "2016-07");
  EXPECT_DOUBLE_EQ(goldstein[0].second, -60.0 / 40.0);
  EXPECT_DOUBLE_EQ(index(GdeltMetric::kCooperationShare)[0].second, 10.0 / 40.0);
  EXPECT_DOUBLE_EQ(index(GdeltMetric::kToneMean)[1].second, 0.5);
  EXPECT_DOUBLE_EQ(index(GdeltMetric::kEvents)[1].second, 4.0);
  EXPECT_EQ(*ParseGdeltMetric("tone_mean"), GdeltMetric::kToneMean);
  EXPECT_FALSE(ParseGdeltMetric("tone"));
}

TEST(NationalIndexFromGdeltTest, RollsDaysAndMonthsUpBySummingBeforeDividing) {
  const std::vector<PairAggregate> rows = {
      {"2016-07-01", false, "KOR", "CHN", 1, -10, 0, 0},
      {"2016-08-31", false, "CHN", "KOR", 9, 0, 0, 0},
      {"2016-10", false, "CHN", "KOR", 2, 4, 0, 0},
  };
  auto q = NationalIndexFromGdelt(rows, "KOR", "CHN", GdeltMetric::kGoldsteinMean,
                                  Granularity::kQuarter);
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ((*q)[0].first, "2016-Q3");
  EXPECT_DOUBLE_EQ((*q)[0].second, -1.0);  // (−10 + 0) / (1 + 9), not the mean of −10 and 0
  EXPECT_EQ((*q)[1].first, "2016-Q4");
  auto bad = NationalIndexFromGdelt({{"2016", false, "KOR", "CHN", 1, 1, 1, 1}}, "KOR", "CHN",
                                    GdeltMetric::kEvents, Granularity::kMonth);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("coarser"), std::string::npos);
}

TEST(PeriodOfLabelTest, AcceptsPeriodsAndDays) {
  EXPECT_EQ(PeriodOfLabel("2016-07-18", Granularity::kMonth)->ToString(), "2016-07");
  EXPECT_EQ(PeriodOfLabel("2016-Q3", Granularity::kYear)->ToString(), "2016");
  EXPECT_FALSE(PeriodOfLabel("2016-07-32", Granularity::kMonth));
  EXPECT_FALSE(PeriodOfLabel("2016-Q3", Granularity::kMonth));
}

}  // namespace
}  // namespace citydip::analytics
