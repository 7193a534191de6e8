#include "citydip/analytics/network/metrics.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "network_test_support.h"

namespace citydip::analytics::network {
namespace {

using testing::MakeCity;
using testing::MakeRelation;
using testing::ReadReferenceNodes;
using testing::ReadText;
using testing::ReferenceDir;
using testing::RegistryFromEdgeCsv;

CityGraph ReferenceGraph(const std::string& name) {
  const std::string isolated = ReferenceDir() + "/" + name + "_isolated.csv";
  const bool has_isolated = std::ifstream(isolated).good();
  return CityGraph::Build(RegistryFromEdgeCsv(ReferenceDir() + "/" + name + "_edges.csv",
                                              has_isolated ? isolated : ""));
}

nlohmann::json ReferenceSummary(const std::string& name) {
  return nlohmann::json::parse(ReadText(ReferenceDir() + "/" + name + "_summary.json"));
}

// Compares citydip's centralities with networkx's, city by city.
void ExpectCentralitiesMatchNetworkx(const std::string& name) {
  const CityGraph graph = ReferenceGraph(name);
  const auto nodes = ReadReferenceNodes(ReferenceDir() + "/" + name + "_nodes.tsv");
  ASSERT_EQ(graph.vertex_count(), nodes.size());
  const auto summary = ReferenceSummary(name);
  ASSERT_EQ(graph.edge_count(), summary["edges"].get<std::size_t>());

  const auto result = ComputeCentrality(graph);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_NEAR(result->eigenvalue, summary["eigenvalue"].get<double>(), 1e-8);
  for (const auto& node : nodes) {
    const auto vertex = graph.Find({node.name, node.country});
    ASSERT_TRUE(vertex) << node.name;
    const CityCentrality& c = result->cities[*vertex];
    EXPECT_EQ(c.degree, node.degree) << node.name;
    EXPECT_NEAR(c.betweenness, node.betweenness, 1e-12) << node.name;
    EXPECT_NEAR(c.eigenvector, node.eigenvector, 1e-8) << node.name;
  }
}

// Our modularity of networkx's partition equals networkx's, and our communities are at least as
// modular as networkx's Louvain (partitions may differ: compare the quality, with tolerance).
void ExpectCommunitiesMatchNetworkx(const std::string& name, double tolerance) {
  const CityGraph graph = ReferenceGraph(name);
  const auto nodes = ReadReferenceNodes(ReferenceDir() + "/" + name + "_nodes.tsv");
  const auto summary = ReferenceSummary(name);
  std::vector<std::size_t> networkx_partition(graph.vertex_count(), 0);
  for (const auto& node : nodes) {
    networkx_partition[*graph.Find({node.name, node.country})] = node.louvain_community;
  }
  const auto q = Modularity(graph, networkx_partition);
  ASSERT_TRUE(q) << q.error().ToString();
  EXPECT_NEAR(*q, summary["louvain_modularity_by_seed"]["1"].get<double>(), 1e-9);

  double best = 0;
  double worst = 1;
  for (const auto& [seed, value] : summary["louvain_modularity_by_seed"].items()) {
    best = std::max(best, value.get<double>());
    worst = std::min(worst, value.get<double>());
  }
  for (auto algorithm : {CommunityAlgorithm::kLeiden, CommunityAlgorithm::kLouvain}) {
    const auto communities = DetectCommunities(graph, {.algorithm = algorithm});
    ASSERT_TRUE(communities) << communities.error().ToString();
    EXPECT_GE(communities->modularity, worst - tolerance) << CommunityAlgorithmName(algorithm);
    EXPECT_LE(communities->modularity, best + tolerance) << CommunityAlgorithmName(algorithm);
    // The reported modularity is the partition's.
    const auto recomputed = Modularity(graph, communities->membership);
    ASSERT_TRUE(recomputed);
    EXPECT_NEAR(communities->modularity, *recomputed, 1e-12);
  }
}

TEST(NetworkMetricsTest, CentralitiesMatchNetworkxOnKarateClub) {
  ExpectCentralitiesMatchNetworkx("karate");
}

TEST(NetworkMetricsTest, CentralitiesMatchNetworkxOnDisconnectedSyntheticGraph) {
  ExpectCentralitiesMatchNetworkx("synthetic");
}

TEST(NetworkMetricsTest, CommunitiesAsModularAsNetworkxOnKarateClub) {
  ExpectCommunitiesMatchNetworkx("karate", 0.01);
}

TEST(NetworkMetricsTest, CommunitiesAsModularAsNetworkxOnSyntheticGraph) {
  ExpectCommunitiesMatchNetworkx("synthetic", 1e-9);
}

TEST(NetworkMetricsTest, LeidenRecoversTheCliquesOfTheSyntheticRing) {
  const CityGraph graph = ReferenceGraph("synthetic");
  for (auto algorithm : {CommunityAlgorithm::kLeiden, CommunityAlgorithm::kLouvain}) {
    const auto communities = DetectCommunities(graph, {.algorithm = algorithm});
    ASSERT_TRUE(communities);
    for (int c = 0; c < 6; ++c) {
      std::set<std::size_t> ids;
      for (int i = 0; i < 5; ++i) {
        const std::string name = "c" + std::to_string(c) + "-" + std::to_string(i);
        ids.insert(communities->membership[*graph.Find({name, "SYN"})]);
      }
      EXPECT_EQ(ids.size(), 1U) << "clique " << c << " split by "
                                << CommunityAlgorithmName(algorithm);
    }
    // Six cliques, the path and the isolated city: eight communities, largest first.
    EXPECT_EQ(communities->sizes.size(), 8U);
    EXPECT_TRUE(std::is_sorted(communities->sizes.rbegin(), communities->sizes.rend()));
    EXPECT_EQ(communities->sizes.back(), 1U);
  }
}

TEST(NetworkMetricsTest, SameSeedGivesSamePartition) {
  const CityGraph graph = ReferenceGraph("karate");
  for (auto algorithm : {CommunityAlgorithm::kLeiden, CommunityAlgorithm::kLouvain}) {
    const auto first = DetectCommunities(graph, {.algorithm = algorithm, .seed = 7});
    const auto second = DetectCommunities(graph, {.algorithm = algorithm, .seed = 7});
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->membership, second->membership);
    EXPECT_DOUBLE_EQ(first->modularity, second->modularity);
  }
}

TEST(NetworkMetricsTest, RejectsNonPositiveResolution) {
  const CityGraph graph = ReferenceGraph("karate");
  const auto result = DetectCommunities(graph, {.resolution = 0});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(result.error().message.find("resolution"), std::string::npos);
}

TEST(NetworkMetricsTest, ParsesCommunityAlgorithmNames) {
  EXPECT_EQ(ParseCommunityAlgorithm("leiden").value(), CommunityAlgorithm::kLeiden);
  EXPECT_EQ(ParseCommunityAlgorithm("louvain").value(), CommunityAlgorithm::kLouvain);
  const auto bad = ParseCommunityAlgorithm("girvan");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "'girvan' is not a community algorithm (expected leiden, louvain)");
}

TEST(NetworkMetricsTest, ModularityRejectsWrongSizedPartition) {
  const CityGraph graph = ReferenceGraph("karate");
  const auto q = Modularity(graph, {0, 1});
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
}

TEST(NetworkMetricsTest, GraphWithoutTiesHasZeroCentralities) {
  Registry registry;
  registry.cities = {MakeCity("Seoul", "KOR"), MakeCity("Beijing", "CHN"),
                     MakeCity("Tokyo", "JPN")};
  const CityGraph graph = CityGraph::Build(registry);
  const auto result = ComputeCentrality(graph);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->cities.size(), 3U);
  for (const auto& c : result->cities) {
    EXPECT_EQ(c.degree, 0U);
    EXPECT_EQ(c.betweenness, 0);
    EXPECT_EQ(c.eigenvector, 0);
  }
  const auto communities = DetectCommunities(graph);
  ASSERT_TRUE(communities);
  EXPECT_EQ(communities->sizes, (std::vector<std::size_t>{1, 1, 1}));
  EXPECT_EQ(communities->modularity, 0);
}

TEST(NetworkMetricsTest, StarCenterCarriesAllBetweenness) {
  Registry registry;
  registry.cities = {MakeCity("Hub", "AAA"), MakeCity("A", "BBB"), MakeCity("B", "BBB"),
                     MakeCity("C", "CCC")};
  for (const char* leaf : {"A", "B"}) {
    registry.partner_relations.push_back(MakeRelation({"Hub", "AAA"}, {leaf, "BBB"}));
  }
  registry.partner_relations.push_back(MakeRelation({"Hub", "AAA"}, {"C", "CCC"}));
  const auto result = ComputeCentrality(CityGraph::Build(registry));
  ASSERT_TRUE(result);
  // Three leaf pairs, all through the hub: 3 * 2 / ((4-1)(4-2)) = 1.
  EXPECT_DOUBLE_EQ(result->cities[0].betweenness, 1.0);
  EXPECT_DOUBLE_EQ(result->cities[1].betweenness, 0.0);
  // Star K1,3: eigenvalue sqrt(3); hub 1/sqrt(2), leaves 1/sqrt(6).
  EXPECT_NEAR(result->eigenvalue, std::sqrt(3.0), 1e-10);
  EXPECT_NEAR(result->cities[0].eigenvector, 1 / std::sqrt(2.0), 1e-10);
  EXPECT_NEAR(result->cities[3].eigenvector, 1 / std::sqrt(6.0), 1e-10);
}

TEST(NetworkMetricsTest, ShortestPathNamesIntermediateCities) {
  const CityGraph graph = ReferenceGraph("synthetic");
  const auto from = *graph.Find({"c0-2", "SYN"});
  const auto to = *graph.Find({"c2-3", "SYN"});
  const auto path = ShortestPath(graph, from, to);
  ASSERT_TRUE(path) << path.error().ToString();
  // c0-2 → c0-0 → c1-1 → c1-0 → c2-1 → c2-3: within a clique, then the bridges.
  ASSERT_EQ(path->size(), 6U);
  EXPECT_EQ(path->front(), from);
  EXPECT_EQ(path->back(), to);
  for (std::size_t i = 0; i + 1 < path->size(); ++i) {
    const auto a = std::min((*path)[i], (*path)[i + 1]);
    const auto b = std::max((*path)[i], (*path)[i + 1]);
    const bool tied = std::any_of(graph.edges().begin(), graph.edges().end(),
                                  [&](const GraphEdge& e) { return e.a == a && e.b == b; });
    EXPECT_TRUE(tied) << "step " << i << " is not a tie";
  }
  EXPECT_EQ(graph.vertices()[(*path)[1]].city.name, "c0-0");
  EXPECT_EQ(graph.vertices()[(*path)[2]].city.name, "c1-1");
}

TEST(NetworkMetricsTest, ShortestPathFailsBetweenComponents) {
  const CityGraph graph = ReferenceGraph("synthetic");
  const auto path = ShortestPath(graph, *graph.Find({"c0-0", "SYN"}), *graph.Find({"p0", "PTH"}));
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(path.error().message, "no chain of ties connects c0-0 (SYN) and p0 (PTH)");
}

TEST(NetworkMetricsTest, ShortestPathToItselfIsOneCity) {
  const CityGraph graph = ReferenceGraph("synthetic");
  const auto v = *graph.Find({"alone", "ISO"});
  EXPECT_EQ(ShortestPath(graph, v, v).value(), std::vector<std::size_t>{v});
  const auto bad = ShortestPath(graph, v, graph.vertex_count());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(NetworkMetricsTest, ComponentsAreNumberedBySize) {
  const auto components = ConnectedComponents(ReferenceGraph("synthetic"));
  ASSERT_TRUE(components);
  EXPECT_EQ(components->sizes, (std::vector<std::size_t>{30, 4, 1}));
}

TEST(NetworkMetricsTest, AggregatesTiesPerCountry) {
  Registry registry;
  registry.cities = {MakeCity("Seoul", "KOR"),   MakeCity("Busan", "KOR"),
                     MakeCity("Beijing", "CHN"), MakeCity("Shanghai", "CHN"),
                     MakeCity("Tokyo", "JPN"),   MakeCity("Daegu", "KOR")};
  registry.partner_relations = {MakeRelation({"Seoul", "KOR"}, {"Beijing", "CHN"}),
                                MakeRelation({"Busan", "KOR"}, {"Shanghai", "CHN"}),
                                MakeRelation({"Seoul", "KOR"}, {"Tokyo", "JPN"}),
                                MakeRelation({"Seoul", "KOR"}, {"Busan", "KOR"})};
  const CityGraph graph = CityGraph::Build(registry);
  const auto centrality = ComputeCentrality(graph);
  ASSERT_TRUE(centrality);
  const auto aggregates = AggregateByCountry(graph, &*centrality);
  ASSERT_EQ(aggregates.size(), 3U);
  const CountryAggregate& korea = aggregates[0];
  EXPECT_EQ(korea.country, "KOR");
  EXPECT_EQ(korea.cities, 3U);
  EXPECT_EQ(korea.ties, 4U);
  EXPECT_EQ(korea.domestic_ties, 1U);
  EXPECT_EQ(korea.international_ties, 3U);
  EXPECT_EQ(korea.partner_countries, 2U);
  ASSERT_EQ(korea.top_partner_countries.size(), 2U);
  EXPECT_EQ(korea.top_partner_countries[0], (std::pair<std::string, std::size_t>{"CHN", 2}));
  EXPECT_EQ(graph.vertices()[korea.most_connected_city].city.name, "Seoul");
  EXPECT_EQ(korea.most_connected_degree, 3U);
  ASSERT_TRUE(korea.betweenness_sum);
  EXPECT_GT(*korea.betweenness_sum, 0);
  EXPECT_EQ(aggregates[1].country, "CHN");
  EXPECT_EQ(aggregates[1].ties, 2U);
  EXPECT_EQ(aggregates[2].country, "JPN");
  EXPECT_FALSE(AggregateByCountry(graph).front().betweenness_sum);
}

}  // namespace
}  // namespace citydip::analytics::network
