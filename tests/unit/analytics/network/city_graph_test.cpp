#include "citydip/analytics/network/city_graph.h"

#include <gtest/gtest.h>

#include "network_test_support.h"

namespace citydip::analytics::network {
namespace {

using testing::MakeCity;
using testing::MakeRelation;

Registry SmallRegistry() {
  Registry registry;
  registry.cities = {MakeCity("Seoul", "KOR"),    MakeCity("Beijing", "CHN"),
                     MakeCity("Tokyo", "JPN"),    MakeCity("Valencia", "ESP"),
                     MakeCity("Valencia", "VEN"), MakeCity("Lonely", "FRA")};
  return registry;
}

TEST(CityGraphTest, OneTiePerPairWhateverTheDirection) {
  Registry registry = SmallRegistry();
  PartnerRelation friendship =
      MakeRelation({"Seoul", "KOR"}, {"Beijing", "CHN"}, RelationKind::kFriendship);
  friendship.since = PartialDate::FromParts(1993, 10);
  PartnerRelation sister = MakeRelation({"Beijing", "CHN"}, {"Seoul", "KOR"});
  sister.since = PartialDate::FromParts(2013);
  registry.partner_relations = {friendship, sister};

  const CityGraph graph = CityGraph::Build(registry);

  ASSERT_EQ(graph.edge_count(), 1U);
  const GraphEdge& edge = graph.edges()[0];
  EXPECT_EQ(edge.relation, RelationKind::kSister);          // the closer kind
  EXPECT_EQ(edge.since, PartialDate::FromParts(1993, 10));  // the earlier start
  EXPECT_EQ(edge.relation_count, 2U);
  EXPECT_LT(edge.a, edge.b);
}

TEST(CityGraphTest, EndedRelationsAreLeftOutUnlessAsked) {
  Registry registry = SmallRegistry();
  PartnerRelation ended = MakeRelation({"Seoul", "KOR"}, {"Tokyo", "JPN"});
  ended.status = RelationStatus::kEnded;
  registry.partner_relations = {ended};

  EXPECT_EQ(CityGraph::Build(registry).edge_count(), 0U);
  EXPECT_EQ(CityGraph::Build(registry, {.include_ended = true}).edge_count(), 1U);
}

TEST(CityGraphTest, IsolatedCitiesAreKeptUnlessAsked) {
  Registry registry = SmallRegistry();
  registry.partner_relations = {MakeRelation({"Seoul", "KOR"}, {"Tokyo", "JPN"})};

  EXPECT_EQ(CityGraph::Build(registry).vertex_count(), 6U);
  const CityGraph ties_only = CityGraph::Build(registry, {.include_isolated = false});
  ASSERT_EQ(ties_only.vertex_count(), 2U);
  ASSERT_EQ(ties_only.edge_count(), 1U);
  EXPECT_EQ(ties_only.vertices()[ties_only.edges()[0].a].city.name, "Seoul");
  EXPECT_EQ(ties_only.vertices()[ties_only.edges()[0].b].city.name, "Tokyo");
  EXPECT_TRUE(ties_only.Find({"Tokyo", "JPN"}));
  EXPECT_FALSE(ties_only.Find({"Lonely", "FRA"}));
}

TEST(CityGraphTest, SelfTiesAreIgnoredAndUnknownCitiesAdded) {
  Registry registry = SmallRegistry();
  registry.partner_relations = {MakeRelation({"Seoul", "KOR"}, {"Seoul", "KOR"}),
                                MakeRelation({"Seoul", "KOR"}, {"Hanoi", "VNM"})};
  const CityGraph graph = CityGraph::Build(registry);
  EXPECT_EQ(graph.edge_count(), 1U);
  ASSERT_EQ(graph.vertex_count(), 7U);
  EXPECT_EQ(graph.vertices().back().city, (CityRef{"Hanoi", "VNM"}));
}

TEST(CityGraphTest, RelationWithoutCountryResolvesTheOnlyCityOfThatName) {
  Registry registry = SmallRegistry();
  registry.partner_relations = {MakeRelation({"Seoul", ""}, {"Tokyo", ""})};
  const CityGraph graph = CityGraph::Build(registry);
  EXPECT_EQ(graph.vertex_count(), 6U);
  EXPECT_EQ(graph.Degrees()[0], 1U);
}

TEST(CityGraphTest, FindsCitiesByNameAndCountry) {
  const CityGraph graph = CityGraph::Build(SmallRegistry());
  EXPECT_EQ(graph.Find({"Valencia", "VEN"}).value(), 4U);
  EXPECT_EQ(graph.Find({"Seoul", ""}).value(), 0U);
  EXPECT_EQ(graph.Find({"seoul", ""}).value(), 0U);
  EXPECT_EQ(graph.Find({"BEIJING", "CHN"}).value(), 1U);
}

TEST(CityGraphTest, AmbiguousNameAsksForTheCountry) {
  const auto found = CityGraph::Build(SmallRegistry()).Find({"Valencia", ""});
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(found.error().message,
            "city 'Valencia' is ambiguous: it exists in ESP, VEN (give the country, e.g. "
            "'Valencia,ESP')");
}

TEST(CityGraphTest, UnknownCityIsNotFound) {
  const CityGraph graph = CityGraph::Build(SmallRegistry());
  const auto found = graph.Find({"Pekin", "CHN"});
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(found.error().message, "city Pekin (CHN) is not in the network");
  EXPECT_FALSE(graph.Find({"Seoul", "CHN"}));  // the country must agree
}

}  // namespace
}  // namespace citydip::analytics::network
