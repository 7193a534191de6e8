#include "citydip/analytics/analyses/image.h"

#include <gtest/gtest.h>

namespace citydip::analytics {
namespace {

// Synthetic barometer rows: KOR→CHN tone −1 per event, CHN→KOR tone −3 per event, so the
// asymmetry is +2 in every month; plus a Seoul→Beijing city row in two months.
std::vector<PairAggregate> Rows() {
  std::vector<PairAggregate> rows;
  for (int m = 1; m <= 6; ++m) {
    const std::string period = "2016-0" + std::to_string(m);
    rows.push_back({period, false, "KOR", "CHN", 10.0 * m, 0, -10.0 * m, 0});
    rows.push_back({period, false, "CHN", "KOR", 5.0, 0, -15.0 + 0.1 * m, 0});
    rows.push_back({period, false, "KOR", "JPN", 7.0, 0, 70.0, 0});
  }
  rows.push_back({"2016-01", true, "seoul", "beijing", 2.0, 0, 4.0, 0});
  rows.push_back({"2016-02", true, "beijing", "seoul", 4.0, 0, -4.0, 0});
  return rows;
}

ImageOptions KorChn() {
  ImageOptions options;
  options.home_country = "KOR";
  options.partner_country = "CHN";
  options.period = Granularity::kMonth;
  return options;
}

TEST(ImageTest, ToneInBothDirectionsAndAsymmetry) {
  auto r = AnalyzeImage(Rows(), KorChn());
  ASSERT_TRUE(r) << r.error().ToString();
  const auto& c = r->countries;
  ASSERT_EQ(c.home_to_partner.periods.size(), 6u);
  EXPECT_DOUBLE_EQ(c.home_to_partner.tone[0], -1.0);
  EXPECT_DOUBLE_EQ(c.home_to_partner.mean, -1.0);
  EXPECT_NEAR(c.partner_to_home.tone[0], -2.98, 1e-12);
  ASSERT_EQ(c.asymmetry.difference.size(), 6u);
  EXPECT_NEAR(c.asymmetry.difference[5], -1.0 - (-15.0 + 0.6) / 5.0, 1e-12);
  ASSERT_TRUE(c.asymmetry.mean);
  EXPECT_NEAR(c.asymmetry.mean->value, 2.0 - 0.07, 1e-12);
  EXPECT_LT(c.asymmetry.mean->ci_low, c.asymmetry.mean->value);
  EXPECT_GT(c.asymmetry.mean->ci_high, c.asymmetry.mean->value);
  EXPECT_FALSE(r->cities);  // no city ids asked for
}

TEST(ImageTest, CityPairWhenTheDictionaryFoundThem) {
  ImageOptions options = KorChn();
  options.home_city = "seoul";
  options.partner_city = "Beijing";
  auto r = AnalyzeImage(Rows(), options);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->cities);
  EXPECT_DOUBLE_EQ(r->cities->home_to_partner.mean, 2.0);
  EXPECT_DOUBLE_EQ(r->cities->partner_to_home.mean, -1.0);
  EXPECT_TRUE(r->cities->asymmetry.difference.empty());  // no month has both directions
  const auto json = ToJson(*r);
  EXPECT_TRUE(json["cities"]["asymmetry"]["mean"].is_null());
  EXPECT_EQ(json["countries"]["home"], "KOR");
}

TEST(ImageTest, QuarterlyAggregationAndRange) {
  ImageOptions options = KorChn();
  options.period = Granularity::kQuarter;
  options.range.from = *PartialDate::Parse("2016-04");
  auto r = AnalyzeImage(Rows(), options);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->countries.home_to_partner.periods, (std::vector<std::string>{"2016-Q2"}));
  EXPECT_DOUBLE_EQ(r->countries.home_to_partner.events[0], 40.0 + 50.0 + 60.0);
}

TEST(ImageTest, FailsWithoutRowsOrCodes) {
  ImageOptions options = KorChn();
  options.partner_country = "USA";
  auto none = AnalyzeImage(Rows(), options);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  options.partner_country = "";
  EXPECT_FALSE(AnalyzeImage(Rows(), options));
  std::vector<PairAggregate> coarse = {{"2016", false, "KOR", "CHN", 1, 0, 1, 0}};
  auto bad = AnalyzeImage(coarse, KorChn());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("coarser"), std::string::npos);
}

}  // namespace
}  // namespace citydip::analytics
