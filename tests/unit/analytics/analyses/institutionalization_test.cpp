#include "citydip/analytics/analyses/institutionalization.h"

#include <gtest/gtest.h>

#include "registry_builder.h"

namespace citydip::analytics {
namespace {

using testing::D;
using testing::RegistryBuilder;
using testing::SeoulBeijing;

// Synthetic: a council founded 2013-04 with sessions 2013-10-01, 2014-10-01, 2016-04-01 (held),
// 2017 (postponed) and 2020-05 (cancelled); mayors M1 2011..2014-06, M2 2014-07..2018-06,
// M3 2018-07..; yearly activity 2005–2020: 1 or 2 events a year before 2013, 5 or 6 after.
RegistryBuilder Council() {
  RegistryBuilder b;
  b.AddMayor("M1", "2011-01", "2014-06");
  b.AddMayor("M2", "2014-07", "2018-06");
  b.AddMayor("M3", "2018-07", "");
  auto& m = b.AddMechanism("Seoul-Beijing Council", "2013-04");
  m.fields = {"economy", "environment"};
  const auto session = [&](const std::string& date, EventStatus status) {
    auto& e = b.AddEvent(date, EventType::kCommitteeMeeting);
    e.mechanism = "Seoul-Beijing Council";
    e.status = status;
    e.topics = {Topic::kEnvironment, Topic::kCulture};
    return e;
  };
  session("2013-10-01", EventStatus::kHeld);
  session("2014-10-01", EventStatus::kHeld);
  session("2016-04-01", EventStatus::kHeld);
  session("2017", EventStatus::kPostponed);
  session("2020-05", EventStatus::kCancelled);
  // Background activity, so that the yearly series has a known level shift at 2013.
  for (int y = 2005; y <= 2020; ++y) {
    const int target = (y < 2013 ? 1 : 5) + (y % 2);
    int have = 0;
    for (const auto& e : b.registry().events) {
      have += e.date.year() == y && e.status == EventStatus::kHeld ? 1 : 0;
    }
    for (int k = have; k < target; ++k) {
      b.AddEvent(std::to_string(y) + "-0" + std::to_string(k + 1) + "-15",
                 EventType::kCulturalExchange);
    }
  }
  return b;
}

TEST(InstitutionalizationTest, CountsSessionsIntervalsAndFields) {
  const RegistryBuilder b = Council();
  InstitutionalizationOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeInstitutionalization(b.registry(), options);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->mechanisms.size(), 1u);
  const auto& m = r->mechanisms[0];
  EXPECT_EQ(m.held, 3);
  EXPECT_EQ(m.postponed, 1);
  EXPECT_EQ(m.cancelled, 1);
  EXPECT_EQ(m.session_events.size(), 5u);
  const double d1 = DaysFromCivil(2014, 10, 1) - DaysFromCivil(2013, 10, 1);
  const double d2 = DaysFromCivil(2016, 4, 1) - DaysFromCivil(2014, 10, 1);
  ASSERT_EQ(m.intervals_days, (std::vector<double>{d1, d2}));
  EXPECT_DOUBLE_EQ(m.interval_mean_days, (d1 + d2) / 2.0);
  const double sd = std::fabs(d1 - d2) / std::sqrt(2.0);
  EXPECT_NEAR(m.interval_cv, sd / ((d1 + d2) / 2.0), 1e-12);
  EXPECT_EQ(m.fields, (std::vector<std::string>{"economy", "environment", "culture"}));
}

TEST(InstitutionalizationTest, ContinuityAcrossChangesOfMayor) {
  const RegistryBuilder b = Council();
  InstitutionalizationOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeInstitutionalization(b.registry(), options);
  ASSERT_TRUE(r);
  const auto& m = r->mechanisms[0];
  ASSERT_EQ(m.by_holder.size(), 3u);
  EXPECT_EQ(m.by_holder[0].sessions, 1);  // M1 (to 2014-06): 2013-10
  EXPECT_EQ(m.by_holder[1].sessions, 2);  // M2: 2014-10, 2016-04
  EXPECT_EQ(m.by_holder[2].sessions, 0);
  EXPECT_EQ(m.holder_changes, 2);
  ASSERT_EQ(m.successions.size(), 2u);
  EXPECT_EQ(m.successions[0].holder, "M2");
  EXPECT_TRUE(m.successions[0].survived);
  EXPECT_EQ(m.successions[1].holder, "M3");
  EXPECT_FALSE(m.successions[1].survived);
  EXPECT_EQ(m.changes_survived, 1);
}

TEST(InstitutionalizationTest, ItsRecoversTheKnownLevelShiftAtTheFounding) {
  const RegistryBuilder b = Council();
  InstitutionalizationOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeInstitutionalization(b.registry(), options);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->its);
  ASSERT_TRUE(r->its->fit) << r->its->unavailable;
  EXPECT_EQ(r->its->break_period, "2013");
  EXPECT_NE(r->its->basis.find("founding of Seoul-Beijing Council"), std::string::npos);
  // Activity alternates 1,2 before and 5,6 after: level change 4 (plus the alternation).
  EXPECT_NEAR(r->its->fit->level_change.value, 4.0, 0.6);
  EXPECT_GT(r->its->fit->level_change.ci_low, 0.0);
  EXPECT_NEAR(r->its->fit->slope_change.value, 0.0, 0.2);
  const auto json = ToJson(*r);
  EXPECT_TRUE(json["its"]["level_change"]["ci"].is_array());
  EXPECT_TRUE(json["its"]["slope_change"].contains("estimate"));
}

TEST(InstitutionalizationTest, BreakOptionOverridesTheFounding) {
  const RegistryBuilder b = Council();
  InstitutionalizationOptions options;
  options.scope = SeoulBeijing();
  options.break_date = D("2009-06");
  auto r = AnalyzeInstitutionalization(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->its->break_period, "2009");
  EXPECT_EQ(r->its->basis, "--break 2009-06");
}

TEST(InstitutionalizationTest, UnestimableItsIsReportedNotFailed) {
  const RegistryBuilder b = Council();
  InstitutionalizationOptions options;
  options.scope = SeoulBeijing();
  options.break_date = D("2020-01");  // only one year after the break
  auto r = AnalyzeInstitutionalization(b.registry(), options);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->its);
  EXPECT_FALSE(r->its->fit);
  EXPECT_FALSE(r->its->unavailable.empty());
  EXPECT_TRUE(ToJson(*r)["its"]["level_change"].is_null());
}

TEST(InstitutionalizationTest, NoMechanismAndNoBreakMeansNoIts) {
  RegistryBuilder b;
  b.AddEvent("2010-01-01", EventType::kForum);
  InstitutionalizationOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzeInstitutionalization(b.registry(), options);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->mechanisms.empty());
  EXPECT_FALSE(r->its);
  EXPECT_TRUE(ToJson(*r)["its"].is_null());
  options.break_date = PartialDate();
  EXPECT_FALSE(AnalyzeInstitutionalization(b.registry(), options));
}

}  // namespace
}  // namespace citydip::analytics
