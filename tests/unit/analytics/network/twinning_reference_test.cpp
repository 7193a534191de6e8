// The whole twin-town network of data/twinning (Wikidata P190), read by the twinning reader and
// measured by citydip, against networkx's values for the same graph
// (tests/reference/network/twinning_*; see make_reference.py).
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "citydip/analytics/network/metrics.h"
#include "citydip/core/countries.h"
#include "citydip/ingest/twinning.h"
#include "network_test_support.h"

namespace citydip::analytics::network {
namespace {

using testing::ReadReferenceNodes;
using testing::ReadText;
using testing::ReferenceDir;
using testing::RegistryFromEdgeCsv;

std::optional<std::string> Country(std::string_view label) {
  if (auto code = ResolveCountry(label)) {
    return std::string(*code);
  }
  return std::nullopt;
}

ingest::TwinningData ReadShippedTwinning() {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CITYDIP_SOURCE_DIR) + "/data/twinning")) {
    if (entry.path().extension() == ".tsv") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files.size(), 25U);
  ingest::TwinningReader reader({.resolve_country = Country});
  for (const auto& file : files) {
    EXPECT_TRUE(reader.ReadFile(file));
  }
  return reader.Take();
}

std::set<std::string> EdgeKeys(const CityGraph& graph) {
  std::set<std::string> keys;
  for (const auto& edge : graph.edges()) {
    std::string a =
        graph.vertices()[edge.a].city.name + "\t" + graph.vertices()[edge.a].city.country;
    std::string b =
        graph.vertices()[edge.b].city.name + "\t" + graph.vertices()[edge.b].city.country;
    keys.insert(a < b ? a + "\n" + b : b + "\n" + a);
  }
  return keys;
}

class TwinningReferenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new ingest::TwinningData(ReadShippedTwinning());
    Registry registry;
    registry.cities = data_->cities;
    registry.partner_relations = data_->relations;
    graph_ = new CityGraph(CityGraph::Build(registry));
  }
  static void TearDownTestSuite() {
    delete graph_;
    delete data_;
  }
  static ingest::TwinningData* data_;
  static CityGraph* graph_;
};

ingest::TwinningData* TwinningReferenceTest::data_ = nullptr;
CityGraph* TwinningReferenceTest::graph_ = nullptr;

TEST_F(TwinningReferenceTest, ShippedFilesReadAsDocumented) {
  ASSERT_TRUE(data_->ok()) << data_->diagnostics[0].ToString();
  EXPECT_EQ(data_->rows, 24926U);
  EXPECT_EQ(data_->relations.size(), 15919U);
  EXPECT_EQ(data_->cities.size(), 12541U);
  EXPECT_EQ(data_->duplicate_pairs, 8961U);
  EXPECT_EQ(data_->self_pairs, 30U);
  EXPECT_EQ(data_->skipped_count, 16U);
}

TEST_F(TwinningReferenceTest, GraphIsTheOneTheReferenceWasComputedOn) {
  const CityGraph reference =
      CityGraph::Build(RegistryFromEdgeCsv(ReferenceDir() + "/twinning_edges.csv"));
  const auto ours = EdgeKeys(*graph_);
  const auto theirs = EdgeKeys(reference);
  std::vector<std::string> only_ours;
  std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(),
                      std::back_inserter(only_ours));
  std::vector<std::string> only_theirs;
  std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(),
                      std::back_inserter(only_theirs));
  EXPECT_TRUE(only_ours.empty() && only_theirs.empty())
      << only_ours.size()
      << " ties only in citydip's graph (first: " << (only_ours.empty() ? "" : only_ours[0])
      << "), " << only_theirs.size()
      << " only in twinning_edges.csv (first: " << (only_theirs.empty() ? "" : only_theirs[0])
      << "); regenerate tests/reference/network/twinning_* (see make_reference.py)";
  EXPECT_EQ(graph_->vertex_count(), reference.vertex_count());
}

TEST_F(TwinningReferenceTest, CentralitiesMatchNetworkx) {
  const auto nodes = ReadReferenceNodes(ReferenceDir() + "/twinning_nodes.tsv");
  ASSERT_EQ(nodes.size(), graph_->vertex_count());
  const auto summary = nlohmann::json::parse(ReadText(ReferenceDir() + "/twinning_summary.json"));
  const auto result = ComputeCentrality(*graph_);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_NEAR(result->eigenvalue, summary["eigenvalue"].get<double>(), 1e-8);
  double worst_betweenness = 0;
  double worst_eigenvector = 0;
  for (const auto& node : nodes) {
    const auto vertex = graph_->Find({node.name, node.country});
    ASSERT_TRUE(vertex) << node.name << " (" << node.country << ")";
    const CityCentrality& c = result->cities[*vertex];
    ASSERT_EQ(c.degree, node.degree) << node.name;
    worst_betweenness = std::max(worst_betweenness, std::abs(c.betweenness - node.betweenness));
    worst_eigenvector = std::max(worst_eigenvector, std::abs(c.eigenvector - node.eigenvector));
  }
  EXPECT_LT(worst_betweenness, 1e-12);
  EXPECT_LT(worst_eigenvector, 1e-8);
}

TEST_F(TwinningReferenceTest, CommunitiesAsModularAsNetworkx) {
  const auto nodes = ReadReferenceNodes(ReferenceDir() + "/twinning_nodes.tsv");
  const auto summary = nlohmann::json::parse(ReadText(ReferenceDir() + "/twinning_summary.json"));
  std::vector<std::size_t> networkx_partition(graph_->vertex_count(), 0);
  for (const auto& node : nodes) {
    networkx_partition[*graph_->Find({node.name, node.country})] = node.louvain_community;
  }
  const auto q = Modularity(*graph_, networkx_partition);
  ASSERT_TRUE(q);
  EXPECT_NEAR(*q, summary["louvain_modularity_by_seed"]["1"].get<double>(), 1e-9);
  double best = 0;
  for (const auto& [seed, value] : summary["louvain_modularity_by_seed"].items()) {
    best = std::max(best, value.get<double>());
  }
  for (auto algorithm : {CommunityAlgorithm::kLeiden, CommunityAlgorithm::kLouvain}) {
    const auto communities = DetectCommunities(*graph_, {.algorithm = algorithm});
    ASSERT_TRUE(communities);
    // Different optimizers find different partitions; their quality must agree within 0.005.
    EXPECT_NEAR(communities->modularity, best, 0.005) << CommunityAlgorithmName(algorithm);
  }
}

TEST_F(TwinningReferenceTest, SeoulReachesBeijingThroughEurope) {
  const auto seoul = graph_->Find({"Seoul", "KOR"});
  const auto beijing = graph_->Find({"Beijing", "CHN"});
  ASSERT_TRUE(seoul && beijing);
  const auto path = ShortestPath(*graph_, *seoul, *beijing);
  ASSERT_TRUE(path) << path.error().ToString();
  // No direct Seoul–Beijing pair in these European-origin data: at least one city in between.
  EXPECT_GE(path->size(), 3U);
}

}  // namespace
}  // namespace citydip::analytics::network
