#include "citydip/analytics/analyses/frameworks.h"

#include <gtest/gtest.h>

#include "registry_builder.h"

namespace citydip::analytics {
namespace {

using testing::RegistryBuilder;
using testing::SeoulBeijing;

TEST(FrameworksTest, ClassifyPurposeFollowsTheDocumentedRules) {
  Event e;
  e.type = EventType::kCommitteeMeeting;
  EXPECT_EQ(ClassifyPurpose(e), Purpose::kProblemSolving);
  e.type = EventType::kCourtesyCall;
  EXPECT_EQ(ClassifyPurpose(e), Purpose::kRelationshipBuilding);
  e.type = EventType::kAgreement;
  e.topics = {Topic::kCulture};
  EXPECT_EQ(ClassifyPurpose(e), Purpose::kRelationshipBuilding);
  e.topics = {Topic::kCulture, Topic::kEnvironment};
  EXPECT_EQ(ClassifyPurpose(e), Purpose::kProblemSolving);
  e.type = EventType::kLeaderVisit;
  EXPECT_EQ(ClassifyPurpose(e), Purpose::kOther);
}

TEST(FrameworksTest, VerticalAndHorizontalFromLevelAndStakeholders) {
  Event e;
  e.level = Level::kMayor;
  EXPECT_FALSE(IsVertical(e));
  EXPECT_FALSE(IsHorizontal(e));
  e.stakeholders = {{"Ministry of Foreign Affairs", StakeholderKind::kCentralGovernment}};
  EXPECT_TRUE(IsVertical(e));
  EXPECT_FALSE(IsHorizontal(e));
  e.stakeholders.push_back({"Korea Chamber of Commerce", StakeholderKind::kBusiness});
  EXPECT_TRUE(IsHorizontal(e));
  Event council;
  council.level = Level::kCouncil;
  EXPECT_TRUE(IsHorizontal(council));
}

TEST(FrameworksTest, CountsSharesAndRatiosPerPeriod) {
  RegistryBuilder b;
  auto& e1 = b.AddEvent("2014-03-01", EventType::kCommitteeMeeting);
  e1.topics = {Topic::kEnvironment, Topic::kTransport};
  b.AddEvent("2014-05-01", EventType::kCourtesyCall).topics = {Topic::kCulture};
  auto& e3 = b.AddEvent("2015-06-01", EventType::kMultilateralMeeting);
  e3.framework = Framework::kMultilateral;
  e3.mode = Mode::kOnline;
  e3.level = Level::kDepartment;
  auto& e4 = b.AddEvent("2015-09-01", EventType::kForum);
  e4.framework = Framework::kBilateralWithinMultilateral;
  e4.mode = Mode::kBlended;
  e4.level.reset();
  auto r = AnalyzeFrameworks(b.registry(), SeoulBeijing());
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->periods, (std::vector<std::string>{"2014", "2015"}));
  EXPECT_EQ(r->events, (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(r->frameworks.counts[0], (std::vector<double>{2.0, 0.0, 0.0}));
  EXPECT_EQ(r->frameworks.counts[1], (std::vector<double>{0.0, 1.0, 1.0}));
  EXPECT_EQ(r->purposes.totals, (std::vector<double>{3.0, 1.0, 0.0}));
  EXPECT_EQ(r->modes.counts[1], (std::vector<double>{0.0, 1.0, 1.0}));
  EXPECT_DOUBLE_EQ(r->levels.totals.back(), 1.0);  // one event without a level
  EXPECT_DOUBLE_EQ(r->axes.totals[1], 1.0);        // the department-level event
  const auto json = ToJson(*r);
  EXPECT_DOUBLE_EQ(json["frameworks"]["overall"]["shares"]["bilateral"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(json["agenda"]["problem_solving_ratio"]["overall"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(json["agenda"]["problem_solving_ratio"]["by_period"][0]["ratio"].get<double>(),
                   1.0);
  EXPECT_TRUE(json["agenda"]["problem_solving_ratio"]["by_period"][1]["ratio"].is_null());
  EXPECT_DOUBLE_EQ(json["modality"]["periods"][1]["shares"]["online"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(json["governance"]["horizontal_share"]["overall"].get<double>(), 0.25);
  EXPECT_EQ(json["frameworks"]["evidence"]["multilateral"], (std::vector<std::string>{"E3"}));
  EXPECT_DOUBLE_EQ(json["agenda"]["topics"]["overall"]["counts"]["environment"].get<double>(), 1.0);
}

TEST(FrameworksTest, YearDatedEventSpreadsOverQuarters) {
  RegistryBuilder b;
  b.AddEvent("2014", EventType::kForum);
  auto r = AnalyzeFrameworks(b.registry(), SeoulBeijing(Granularity::kQuarter));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->periods.size(), 4u);
  EXPECT_DOUBLE_EQ(r->frameworks.counts[2][0], 0.25);
  EXPECT_DOUBLE_EQ(r->frameworks.totals[0], 1.0);
}

TEST(FrameworksTest, NoEventsGivesNoPeriodsAndInvalidScopeFails) {
  RegistryBuilder b;
  auto r = AnalyzeFrameworks(b.registry(), SeoulBeijing());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->periods.empty());
  EXPECT_TRUE(ToJson(*r)["agenda"]["problem_solving_ratio"]["overall"].is_null());
  Scope bad = SeoulBeijing();
  bad.home.name = "";
  EXPECT_FALSE(AnalyzeFrameworks(b.registry(), bad));
}

}  // namespace
}  // namespace citydip::analytics
