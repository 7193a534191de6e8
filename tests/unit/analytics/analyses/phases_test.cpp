#include "citydip/analytics/analyses/phases.h"

#include <gtest/gtest.h>

#include "registry_builder.h"

namespace citydip::analytics {
namespace {

using testing::Beijing;
using testing::D;
using testing::RegistryBuilder;
using testing::SeoulBeijing;

// Synthetic relation with known phases: 2000–2009 courtesy calls and cultural exchanges only;
// 2010–2019 agreements and committee sessions (and a mechanism founded in 2010); 2020–2029
// multilateral meetings and forums.
RegistryBuilder ThreePhases() {
  RegistryBuilder b;
  for (int y = 2000; y < 2030; ++y) {
    const std::string year = std::to_string(y);
    if (y < 2010) {
      b.AddEvent(year + "-03-01", EventType::kCourtesyCall);
      b.AddEvent(year + "-06-01", EventType::kCulturalExchange);
      b.AddEvent(year + "-09-01", EventType::kTourismPromotion);
      if (y % 2 == 0) {
        b.AddEvent(year + "-11-01", EventType::kYouthExchange);
      }
    } else if (y < 2020) {
      b.AddEvent(year + "-03-01", EventType::kAgreement);
      b.AddEvent(year + "-06-01", EventType::kCommitteeMeeting).mechanism = "Joint Council";
      b.AddEvent(year + "-09-01", EventType::kCommitteeMeeting).mechanism = "Joint Council";
      b.AddEvent(year + "-10-01", EventType::kCourtesyCall);
    } else {
      b.AddEvent(year + "-03-01", EventType::kMultilateralMeeting).framework =
          Framework::kMultilateral;
      b.AddEvent(year + "-06-01", EventType::kForum);
      b.AddEvent(year + "-09-01", EventType::kForum).organization = "Metropolis";
      b.AddEvent(year + "-10-01", EventType::kMultilateralMeeting).framework =
          Framework::kMultilateral;
    }
  }
  b.AddMechanism("Joint Council", "2010-01");
  return b;
}

TEST(PhasesTest, IndicatorOfFollowsTheDocumentedRules) {
  Event e;
  e.type = EventType::kAgreement;
  EXPECT_EQ(IndicatorOf(e), Phase::kInstitutionalization);
  e.framework = Framework::kMultilateral;  // e.g. a network's founding charter
  EXPECT_EQ(IndicatorOf(e), Phase::kInstitutionalization);
  e = Event{};
  e.type = EventType::kCourtesyCall;
  EXPECT_EQ(IndicatorOf(e), Phase::kExchangeCooperation);
  e.mechanism = "Joint Council";
  EXPECT_EQ(IndicatorOf(e), Phase::kInstitutionalization);
  e = Event{};
  e.type = EventType::kForum;
  EXPECT_EQ(IndicatorOf(e), Phase::kCityDiplomacy);
  e = Event{};
  e.type = EventType::kTourismPromotion;
  e.framework = Framework::kMultilateral;  // a network's tourism fair is still tourism
  EXPECT_EQ(IndicatorOf(e), Phase::kExchangeCooperation);
  e = Event{};
  e.type = EventType::kOnlineMeeting;
  EXPECT_EQ(IndicatorOf(e), Phase::kExchangeCooperation);
  e.organization = "Metropolis";
  EXPECT_EQ(IndicatorOf(e), Phase::kCityDiplomacy);
}

TEST(PhasesTest, FindsTheKnownPhasesAndExplainsTheBoundaries) {
  const RegistryBuilder b = ThreePhases();
  PhasesOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzePhases(b.registry(), options);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->first_year, 2000);
  EXPECT_EQ(r->last_year, 2029);
  ASSERT_EQ(r->phases.size(), 3u);
  EXPECT_EQ(r->phases[0].phase, Phase::kExchangeCooperation);
  EXPECT_EQ(r->phases[0].from, 2000);
  EXPECT_EQ(r->phases[0].to, 2009);
  EXPECT_EQ(r->phases[1].phase, Phase::kInstitutionalization);
  EXPECT_EQ(r->phases[1].from, 2010);
  EXPECT_EQ(r->phases[1].to, 2019);
  EXPECT_EQ(r->phases[2].phase, Phase::kCityDiplomacy);
  EXPECT_EQ(r->phases[2].to, 2029);
  ASSERT_EQ(r->boundaries.size(), 2u);
  EXPECT_EQ(r->boundaries[0].year, 2010);
  EXPECT_TRUE(r->boundaries[0].phase_change);
  EXPECT_NE(r->boundaries[0].explanation.find("institutionalization rose"), std::string::npos)
      << r->boundaries[0].explanation;
  EXPECT_NE(r->boundaries[1].explanation.find("city_diplomacy rose"), std::string::npos);
  // The mechanism's founding is evidence for the institutionalization phase.
  const auto& ev = r->phases[1].evidence;
  EXPECT_NE(std::find(ev.begin(), ev.end(), "mechanism:Joint Council"), ev.end());
  EXPECT_DOUBLE_EQ(r->indicators[10][static_cast<std::size_t>(Phase::kInstitutionalization)],
                   4.0);  // agreement + 2 sessions + the founding
}

TEST(PhasesTest, JsonListsPhasesWithNameFromToEvidence) {
  const RegistryBuilder b = ThreePhases();
  PhasesOptions options;
  options.scope = SeoulBeijing();
  const auto json = ToJson(*AnalyzePhases(b.registry(), options));
  ASSERT_EQ(json["phases"].size(), 3u);
  EXPECT_EQ(json["phases"][1]["name"], "institutionalization");
  EXPECT_EQ(json["phases"][1]["from"], 2010);
  EXPECT_EQ(json["phases"][1]["to"], 2019);
  EXPECT_TRUE(json["phases"][1]["evidence"]["records"].is_array());
  EXPECT_EQ(json["change_years"], (std::vector<int>{2010, 2020}));
}

TEST(PhasesTest, SteadyRelationIsOnePhase) {
  RegistryBuilder b;
  for (int y = 2000; y < 2012; ++y) {
    b.AddEvent(std::to_string(y) + "-05-01", EventType::kCourtesyCall);
  }
  PhasesOptions options;
  options.scope = SeoulBeijing();
  auto r = AnalyzePhases(b.registry(), options);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->phases.size(), 1u);
  EXPECT_EQ(r->phases[0].phase, Phase::kExchangeCooperation);
  EXPECT_TRUE(r->boundaries.empty());
}

TEST(PhasesTest, FailsWithoutAnyEventOrWithTooFewYears) {
  RegistryBuilder b;
  PhasesOptions options;
  options.scope = SeoulBeijing();
  auto none = AnalyzePhases(b.registry(), options);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("nothing to segment"), std::string::npos);
  b.AddEvent("2001-01-01", EventType::kForum);
  options.min_segment_years = 3;
  EXPECT_FALSE(AnalyzePhases(b.registry(), options));
  options.min_segment_years = 0;
  EXPECT_FALSE(AnalyzePhases(b.registry(), options));
}

}  // namespace
}  // namespace citydip::analytics
