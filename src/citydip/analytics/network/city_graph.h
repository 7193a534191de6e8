// The network of cities tied by partner relations (sister-city, friendship and partnership
// agreements): one vertex per city, one undirected edge per pair of cities with at least one
// relation. The shipped registry and imported twinning pairs (Wikidata P190) share this graph.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics::network {

/// A city in the graph.
struct GraphVertex {
  CityRef city;
  std::optional<double> lat;
  std::optional<double> lon;
};

/// A tie between two cities. Several relations between the same pair (e.g. a friendship that
/// became a sister-city agreement) make one tie; it keeps the closest kind (sister before
/// friendship before partnership) and the earliest known start.
struct GraphEdge {
  std::size_t a = 0;  // the vertex with the smaller index
  std::size_t b = 0;
  RelationKind relation = RelationKind::kSister;
  PartialDate since;
  std::size_t relation_count = 1;
};

/// Which relations and cities make the graph.
struct GraphOptions {
  /// Include relations whose status is `ended` (off: a network of current ties).
  bool include_ended = false;
  /// Include registry cities that have no tie (they count in the normalization of betweenness,
  /// as isolated nodes do in networkx).
  bool include_isolated = true;
};

/// An undirected simple graph of cities; vertex indices are stable positions in vertices().
class CityGraph {
 public:
  /// Builds the graph from a registry's cities and partner relations. Relations naming a city
  /// missing from registry.cities add that city; self-ties are ignored.
  [[nodiscard]] static CityGraph Build(const Registry& registry, const GraphOptions& options = {});

  [[nodiscard]] const std::vector<GraphVertex>& vertices() const { return vertices_; }
  [[nodiscard]] const std::vector<GraphEdge>& edges() const { return edges_; }
  [[nodiscard]] std::size_t vertex_count() const { return vertices_.size(); }
  [[nodiscard]] std::size_t edge_count() const { return edges_.size(); }

  /// The vertex of `ref`: exact name and country; an empty country matches the only city of that
  /// name. Names then match ASCII case-insensitively. kNotFound for an unknown city,
  /// kInvalidArgument listing the countries when a name without country is ambiguous.
  [[nodiscard]] Result<std::size_t> Find(const CityRef& ref) const;

  /// The (a, b) vertex pairs of all edges, in edge order (for igraph and exports).
  [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> EdgePairs() const;
  /// The degree of every vertex.
  [[nodiscard]] std::vector<std::size_t> Degrees() const;

 private:
  std::size_t AddVertex(const CityRef& ref, std::optional<double> lat, std::optional<double> lon);

  std::vector<GraphVertex> vertices_;
  std::vector<GraphEdge> edges_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;  // (name, country) → vertex
};

/// "Name (CTY)", or "Name" without a country; how cities are shown in reasons and paths.
[[nodiscard]] std::string DescribeCity(const CityRef& city);

}  // namespace citydip::analytics::network
