// Helpers shared by the network tests: small registries and the reference files of
// tests/reference/network.
#pragma once

#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/core/model.h"
#include "citydip/ingest/csv.h"

namespace citydip::analytics::network::testing {

inline std::string ReferenceDir() {
  return std::string(CITYDIP_SOURCE_DIR) + "/tests/reference/network";
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline City MakeCity(std::string name, std::string country) {
  City city;
  city.name_en = std::move(name);
  city.country = std::move(country);
  city.sources = {"https://example.org/test"};
  return city;
}

inline PartnerRelation MakeRelation(const CityRef& a,
                                    const CityRef& b,
                                    RelationKind kind = RelationKind::kSister) {
  PartnerRelation relation;
  relation.city_a = a;
  relation.city_b = b;
  relation.relation = kind;
  relation.sources = {"https://example.org/test"};
  return relation;
}

/// A registry holding the ties of an edge CSV (city_a,country_a,city_b,country_b,...) and the
/// cities of an optional node CSV (name,country) — the reference graphs.
inline Registry RegistryFromEdgeCsv(const std::string& edges_path,
                                    const std::string& isolated_path = "") {
  Registry registry;
  std::map<std::pair<std::string, std::string>, bool> seen;
  auto add_city = [&](const std::string& name, const std::string& country) {
    if (seen.emplace(std::make_pair(name, country), true).second) {
      registry.cities.push_back(MakeCity(name, country));
    }
  };
  const auto document = ingest::ReadCsv(ReadText(edges_path));
  EXPECT_TRUE(document.problems.empty()) << edges_path;
  for (std::size_t r = 1; r < document.records.size(); ++r) {
    const auto& f = document.records[r].fields;
    add_city(f.at(0).value, f.at(1).value);
    add_city(f.at(2).value, f.at(3).value);
    registry.partner_relations.push_back(
        MakeRelation({f[0].value, f[1].value}, {f[2].value, f[3].value}));
  }
  if (!isolated_path.empty()) {
    const auto nodes = ingest::ReadCsv(ReadText(isolated_path));
    for (std::size_t r = 1; r < nodes.records.size(); ++r) {
      add_city(nodes.records[r].fields.at(0).value, nodes.records[r].fields.at(1).value);
    }
  }
  return registry;
}

/// One row of GRAPH_nodes.tsv.
struct ReferenceNode {
  std::string name;
  std::string country;
  std::size_t degree = 0;
  double betweenness = 0;
  double eigenvector = 0;
  std::size_t louvain_community = 0;
};

inline std::vector<ReferenceNode> ReadReferenceNodes(const std::string& path) {
  std::vector<ReferenceNode> nodes;
  std::istringstream in(ReadText(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab = line.find('\t'); tab != std::string::npos;
         tab = line.find('\t', start)) {
      cells.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    cells.push_back(line.substr(start));
    EXPECT_EQ(cells.size(), 6U) << path << ": " << line;
    if (cells.size() != 6) {
      continue;
    }
    nodes.push_back({cells[0], cells[1], std::stoul(cells[2]), std::stod(cells[3]),
                     std::stod(cells[4]), std::stoul(cells[5])});
  }
  return nodes;
}

}  // namespace citydip::analytics::network::testing
