// Measures of the city network computed with igraph: centralities (as networkx defines and
// normalizes them, so figures compare with the Python tools analysts use), communities,
// shortest chains of ties, and aggregates per country.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "citydip/analytics/network/city_graph.h"
#include "citydip/core/result.h"

namespace citydip::analytics::network {

/// The centralities of one city.
struct CityCentrality {
  std::size_t vertex = 0;
  std::size_t degree = 0;
  /// Shortest-path betweenness normalized as networkx does for undirected graphs: the number of
  /// shortest paths through the city (pairs counted once) times 2 / ((n-1)(n-2)); 0 when n < 3.
  double betweenness = 0;
  /// The city's entry of the adjacency matrix's leading eigenvector, scaled to unit Euclidean
  /// norm with non-negative entries (networkx's eigenvector_centrality). On a disconnected graph
  /// this is concentrated on the component with the largest eigenvalue; 0 elsewhere.
  double eigenvector = 0;
};

/// Centralities of every vertex, in vertex order.
struct CentralityResult {
  std::vector<CityCentrality> cities;
  /// The leading eigenvalue of the adjacency matrix (0 for a graph without ties).
  double eigenvalue = 0;
};

/// Computes degree, betweenness and eigenvector centrality of every city. kInternal when igraph
/// fails (e.g. ARPACK does not converge).
[[nodiscard]] Result<CentralityResult> ComputeCentrality(const CityGraph& graph);

enum class CommunityAlgorithm : std::uint8_t { kLeiden, kLouvain };

/// "leiden" or "louvain".
[[nodiscard]] std::string_view CommunityAlgorithmName(CommunityAlgorithm algorithm);
/// Parses "leiden" or "louvain"; kInvalidArgument naming the value otherwise.
[[nodiscard]] Result<CommunityAlgorithm> ParseCommunityAlgorithm(std::string_view text);

struct CommunityOptions {
  CommunityAlgorithm algorithm = CommunityAlgorithm::kLeiden;
  /// The modularity resolution γ (1 is classic Newman–Girvan modularity).
  double resolution = 1.0;
  /// Seed of igraph's random number generator: the same seed gives the same partition.
  std::uint64_t seed = 1;
};

/// A partition of the cities into communities.
struct Communities {
  /// membership[v] is the community of vertex v; communities are numbered 0, 1, ... by
  /// decreasing size (ties: by smallest vertex index), so the numbering is stable.
  std::vector<std::size_t> membership;
  /// Sizes of communities 0, 1, ...
  std::vector<std::size_t> sizes;
  /// Newman–Girvan modularity of the partition at the chosen resolution.
  double modularity = 0;
};

/// Finds communities maximizing modularity (Leiden or Louvain). Deterministic for a fixed seed.
[[nodiscard]] Result<Communities> DetectCommunities(const CityGraph& graph,
                                                    const CommunityOptions& options = {});

/// Modularity of a given partition (membership per vertex), as networkx's
/// community.modularity computes it. kInvalidArgument when the sizes differ.
[[nodiscard]] Result<double> Modularity(const CityGraph& graph,
                                        const std::vector<std::size_t>& membership,
                                        double resolution = 1.0);

/// The shortest chain of ties from `from` to `to`: the vertices in order, both ends included.
/// kNotFound when no chain connects them. Among several shortest chains the one breadth-first
/// search meets first (lowest vertex indices first) is returned, so the answer is stable.
[[nodiscard]] Result<std::vector<std::size_t>> ShortestPath(const CityGraph& graph,
                                                            std::size_t from,
                                                            std::size_t to);

/// Connected components: component[v] for every vertex, numbered by decreasing size.
struct Components {
  std::vector<std::size_t> component;
  std::vector<std::size_t> sizes;
};
[[nodiscard]] Result<Components> ConnectedComponents(const CityGraph& graph);

/// The network seen per country (ISO 3166-1 alpha-3; "" for cities without a country).
struct CountryAggregate {
  std::string country;
  std::size_t cities = 0;
  /// Ties with at least one end in the country; domestic ties have both ends in it.
  std::size_t ties = 0;
  std::size_t domestic_ties = 0;
  std::size_t international_ties = 0;
  /// Distinct other countries reached by a tie.
  std::size_t partner_countries = 0;
  /// The most frequent partner countries with their tie counts (at most 5; ties broken by code).
  std::vector<std::pair<std::string, std::size_t>> top_partner_countries;
  /// The city with most ties (vertex index) and its degree.
  std::size_t most_connected_city = 0;
  std::size_t most_connected_degree = 0;
  /// Sum of the cities' normalized betweenness (when centralities were given): the country's
  /// share of brokerage in the network.
  std::optional<double> betweenness_sum;
};

/// Aggregates per country, sorted by ties (descending), then country code. `centrality`, when
/// given, must be ComputeCentrality(graph).
[[nodiscard]] std::vector<CountryAggregate> AggregateByCountry(
    const CityGraph& graph, const CentralityResult* centrality = nullptr);

}  // namespace citydip::analytics::network
