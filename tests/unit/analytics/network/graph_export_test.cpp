#include "citydip/analytics/network/graph_export.h"

#include <string>

#include <gtest/gtest.h>

#include "network_test_support.h"

namespace citydip::analytics::network {
namespace {

using testing::MakeCity;
using testing::MakeRelation;

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

CityGraph SmallGraph() {
  Registry registry;
  City seoul = MakeCity("Seoul", "KOR");
  seoul.lat = 37.5665;
  seoul.lon = 126.978;
  registry.cities = {seoul, MakeCity("Beijing", "CHN"), MakeCity("Ham & \"Eggs\" <Town>", "GBR"),
                     MakeCity("Saint-Denis, Réunion", "FRA")};
  PartnerRelation sister = MakeRelation({"Seoul", "KOR"}, {"Beijing", "CHN"});
  sister.since = PartialDate::FromParts(2013, 5);
  registry.partner_relations = {
      sister,
      MakeRelation({"Seoul", "KOR"}, {"Ham & \"Eggs\" <Town>", "GBR"}, RelationKind::kFriendship)};
  return CityGraph::Build(registry);
}

TEST(GraphExportTest, GraphMlHasEveryNodeAndEdgeWithEscapedNames) {
  const std::string xml = ToGraphMl(SmallGraph());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml", 0), 0U);
  EXPECT_EQ(Count(xml, "<node "), 4U);
  EXPECT_EQ(Count(xml, "<edge "), 2U);
  EXPECT_NE(xml.find("edgedefault=\"undirected\""), std::string::npos);
  EXPECT_NE(xml.find("<data key=\"name\">Ham &amp; &quot;Eggs&quot; &lt;Town&gt;</data>"),
            std::string::npos);
  EXPECT_NE(xml.find("<data key=\"lat\">37.5665</data><data key=\"lon\">126.978</data>"),
            std::string::npos);
  EXPECT_NE(xml.find("<edge id=\"e0\" source=\"n0\" target=\"n1\"><data key=\"e_relation\">"
                     "sister</data><data key=\"e_since\">2013-05</data>"),
            std::string::npos);
  EXPECT_EQ(xml.find("key=\"degree\""), std::string::npos);  // no metrics asked
  EXPECT_EQ(xml.substr(xml.size() - 22), "  </graph>\n</graphml>\n");
}

TEST(GraphExportTest, MetricsBecomeNodeAttributes) {
  const CityGraph graph = SmallGraph();
  const auto centrality = ComputeCentrality(graph);
  const auto communities = DetectCommunities(graph);
  ASSERT_TRUE(centrality && communities);
  const ExportMetrics metrics{&*centrality, &*communities};
  const std::string xml = ToGraphMl(graph, metrics);
  EXPECT_NE(xml.find("<key id=\"betweenness\" for=\"node\" attr.name=\"betweenness\" "
                     "attr.type=\"double\"/>"),
            std::string::npos);
  EXPECT_NE(
      xml.find("<data key=\"degree\">2</data><data key=\"betweenness\">0.3333333333333333</data>"),
      std::string::npos);
  EXPECT_EQ(Count(xml, "<data key=\"community\">"), 4U);
  const std::string csv = ToNodeCsv(graph, metrics);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "name,country,lat,lon,degree,betweenness,eigenvector,community");
}

TEST(GraphExportTest, GexfForGephiWithGeographicPositions) {
  const std::string xml = ToGexf(SmallGraph());
  EXPECT_NE(xml.find("<gexf xmlns=\"http://www.gexf.net/1.2draft\""), std::string::npos);
  EXPECT_NE(xml.find("defaultedgetype=\"undirected\""), std::string::npos);
  EXPECT_EQ(Count(xml, "<node "), 4U);
  EXPECT_EQ(Count(xml, "<edge "), 2U);
  EXPECT_NE(xml.find("label=\"Ham &amp; &quot;Eggs&quot; &lt;Town&gt;\""), std::string::npos);
  EXPECT_NE(xml.find("<viz:position x=\"126.978\" y=\"37.5665\" z=\"0\"/>"), std::string::npos);
  EXPECT_EQ(Count(xml, "<viz:position"), 1U);  // only Seoul has coordinates
  EXPECT_NE(xml.find("<attvalue for=\"relation\" value=\"friendship\"/>"), std::string::npos);
}

TEST(GraphExportTest, CsvEdgeListQuotesWhereNeeded) {
  Registry registry;
  registry.cities = {MakeCity("Saint-Denis, Réunion", "FRA"), MakeCity("Seoul", "KOR")};
  registry.partner_relations = {MakeRelation({"Saint-Denis, Réunion", "FRA"}, {"Seoul", "KOR"})};
  EXPECT_EQ(ToEdgeCsv(CityGraph::Build(registry)),
            "city_a,country_a,city_b,country_b,relation,since,relations\n"
            "\"Saint-Denis, Réunion\",FRA,Seoul,KOR,sister,,1\n");
  EXPECT_EQ(ToNodeCsv(CityGraph::Build(registry)),
            "name,country,lat,lon\n\"Saint-Denis, Réunion\",FRA,,\nSeoul,KOR,,\n");
}

TEST(GraphExportTest, ParsesFormats) {
  EXPECT_EQ(ParseGraphFormat("graphml").value(), GraphFormat::kGraphMl);
  EXPECT_EQ(ParseGraphFormat("gexf").value(), GraphFormat::kGexf);
  EXPECT_EQ(ParseGraphFormat("csv").value(), GraphFormat::kCsvEdges);
  EXPECT_EQ(ParseGraphFormat("csv-nodes").value(), GraphFormat::kCsvNodes);
  const auto bad = ParseGraphFormat("dot");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "'dot' is not an export format (expected graphml, gexf, csv, csv-nodes)");
}

TEST(GraphExportTest, EmptyGraphStillWellFormed) {
  const std::string xml = ToGraphMl(CityGraph::Build(Registry{}));
  EXPECT_EQ(Count(xml, "<node "), 0U);
  EXPECT_NE(xml.find("</graphml>"), std::string::npos);
  EXPECT_EQ(ToEdgeCsv(CityGraph::Build(Registry{})),
            "city_a,country_a,city_b,country_b,relation,since,relations\n");
}

}  // namespace
}  // namespace citydip::analytics::network
