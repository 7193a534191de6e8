#include "citydip/analytics/network/metrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "citydip/analytics/network/internal/igraph_util.h"

namespace citydip::analytics::network {
namespace {

using internal::CheckIgraph;
using internal::Graph;
using internal::Igraph;
using internal::IgraphLock;
using internal::IntVector;
using internal::RealVector;

Error OutOfMemory(std::string_view what) {
  return Error{ErrorCode::kResourceExhausted, "cannot allocate " + std::string(what), "igraph"};
}

// Renumbers communities 0, 1, ... by decreasing size, ties by their smallest vertex.
Communities Canonical(const IntVector& raw) {
  const std::size_t n = raw.size();
  std::map<igraph_integer_t, std::pair<std::size_t, std::size_t>> info;  // id → (size, first)
  for (std::size_t v = 0; v < n; ++v) {
    auto [it, inserted] = info.try_emplace(raw[v], std::make_pair(std::size_t{0}, v));
    ++it->second.first;
  }
  std::vector<std::pair<igraph_integer_t, std::pair<std::size_t, std::size_t>>> order(info.begin(),
                                                                                      info.end());
  std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
    if (x.second.first != y.second.first) {
      return x.second.first > y.second.first;
    }
    return x.second.second < y.second.second;
  });
  std::map<igraph_integer_t, std::size_t> renumber;
  Communities communities;
  for (std::size_t i = 0; i < order.size(); ++i) {
    renumber[order[i].first] = i;
    communities.sizes.push_back(order[i].second.first);
  }
  communities.membership.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    communities.membership[v] = renumber[raw[v]];
  }
  return communities;
}

// Modularity of `membership` on `graph`, under the lock. 0 for a graph without ties (networkx
// would divide by zero).
Result<double> ModularityLocked(const Graph& graph,
                                const CityGraph& city_graph,
                                const std::vector<std::size_t>& membership,
                                double resolution) {
  if (city_graph.edge_count() == 0) {
    return 0.0;
  }
  IntVector groups(static_cast<igraph_integer_t>(membership.size()));
  if (!groups.ok()) {
    return Fail(OutOfMemory("a membership vector"));
  }
  for (std::size_t v = 0; v < membership.size(); ++v) {
    VECTOR(*groups.get())
    [static_cast<igraph_integer_t>(v)] = static_cast<igraph_integer_t>(membership[v]);
  }
  igraph_real_t q = 0;
  if (auto s = CheckIgraph(Igraph().modularity(graph.get(), groups.get(), nullptr, resolution,
                                               IGRAPH_UNDIRECTED, &q),
                           "igraph_modularity");
      !s) {
    return Fail(s.error());
  }
  return q;
}

}  // namespace

Result<CentralityResult> ComputeCentrality(const CityGraph& city_graph) {
  const std::size_t n = city_graph.vertex_count();
  CentralityResult result;
  result.cities.resize(n);
  const auto degrees = city_graph.Degrees();
  for (std::size_t v = 0; v < n; ++v) {
    result.cities[v].vertex = v;
    result.cities[v].degree = degrees[v];
  }
  if (city_graph.edge_count() == 0) {
    return result;  // no paths through anyone, no leading eigenvector
  }

  IgraphLock lock;
  if (!lock.ok()) {
    return Fail(lock.status().error());
  }
  auto graph = Graph::Create(n, city_graph.EdgePairs());
  if (!graph) {
    return Fail(graph.error());
  }

  RealVector betweenness;
  if (!betweenness.ok()) {
    return Fail(OutOfMemory("the betweenness vector"));
  }
  if (auto s = CheckIgraph(Igraph().betweenness((*graph)->get(), betweenness.get(),
                                                Igraph().vss_all(), IGRAPH_UNDIRECTED, nullptr),
                           "igraph_betweenness");
      !s) {
    return Fail(s.error());
  }
  // igraph counts each unordered pair once, as networkx's unnormalized undirected value does.
  const double scale =
      n > 2 ? 2.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2)) : 0.0;
  for (std::size_t v = 0; v < n; ++v) {
    result.cities[v].betweenness = betweenness[v] * scale;
  }

  RealVector eigenvector;
  if (!eigenvector.ok()) {
    return Fail(OutOfMemory("the eigenvector"));
  }
  igraph_real_t eigenvalue = 0;
  if (auto s = CheckIgraph(
          Igraph().eigenvector_centrality((*graph)->get(), eigenvector.get(), &eigenvalue,
                                          IGRAPH_UNDIRECTED, /*scale=*/false, nullptr, nullptr),
          "igraph_eigenvector_centrality");
      !s) {
    return Fail(s.error());
  }
  // Unit Euclidean norm and a non-negative sign, as networkx returns it.
  double norm = 0;
  double sum = 0;
  for (std::size_t v = 0; v < n; ++v) {
    norm += eigenvector[v] * eigenvector[v];
    sum += eigenvector[v];
  }
  norm = std::sqrt(norm);
  const double factor = norm > 0 ? (sum < 0 ? -1.0 : 1.0) / norm : 0.0;
  for (std::size_t v = 0; v < n; ++v) {
    // Entries off the leading component are zero up to rounding; keep them non-negative.
    result.cities[v].eigenvector = std::max(0.0, eigenvector[v] * factor);
  }
  result.eigenvalue = eigenvalue;
  return result;
}

std::string_view CommunityAlgorithmName(CommunityAlgorithm algorithm) {
  return algorithm == CommunityAlgorithm::kLeiden ? "leiden" : "louvain";
}

Result<CommunityAlgorithm> ParseCommunityAlgorithm(std::string_view text) {
  if (text == "leiden") {
    return CommunityAlgorithm::kLeiden;
  }
  if (text == "louvain") {
    return CommunityAlgorithm::kLouvain;
  }
  return Fail(ErrorCode::kInvalidArgument, "'" + std::string(text) +
                                               "' is not a community algorithm (expected leiden, "
                                               "louvain)");
}

Result<Communities> DetectCommunities(const CityGraph& city_graph,
                                      const CommunityOptions& options) {
  if (!(options.resolution > 0) || !std::isfinite(options.resolution)) {
    return Fail(ErrorCode::kInvalidArgument, "resolution " + std::to_string(options.resolution) +
                                                 " is out of range (expected a positive number)");
  }
  const std::size_t n = city_graph.vertex_count();
  IgraphLock lock;
  if (!lock.ok()) {
    return Fail(lock.status().error());
  }
  auto graph = Graph::Create(n, city_graph.EdgePairs());
  if (!graph) {
    return Fail(graph.error());
  }
  IntVector membership(static_cast<igraph_integer_t>(n));
  if (!membership.ok()) {
    return Fail(OutOfMemory("the membership vector"));
  }
  if (city_graph.edge_count() == 0) {
    for (std::size_t v = 0; v < n; ++v) {
      VECTOR(*membership.get())
      [static_cast<igraph_integer_t>(v)] = static_cast<igraph_integer_t>(v);
    }
  } else {
    if (auto s =
            CheckIgraph(Igraph().rng_seed(Igraph().rng_default(), options.seed), "igraph_rng_seed");
        !s) {
      return Fail(s.error());
    }
    if (options.algorithm == CommunityAlgorithm::kLouvain) {
      if (auto s = CheckIgraph(
              Igraph().community_multilevel((*graph)->get(), nullptr, options.resolution,
                                            membership.get(), nullptr, nullptr),
              "igraph_community_multilevel");
          !s) {
        return Fail(s.error());
      }
    } else {
      // Leiden optimizes the CPM quality; with node weights = degrees and resolution γ/(2m) that
      // quality is modularity at resolution γ (igraph's documented recipe).
      RealVector node_weights(static_cast<igraph_integer_t>(n));
      if (!node_weights.ok()) {
        return Fail(OutOfMemory("the node weights"));
      }
      const auto degrees = city_graph.Degrees();
      for (std::size_t v = 0; v < n; ++v) {
        VECTOR(*node_weights.get())
        [static_cast<igraph_integer_t>(v)] = static_cast<double>(degrees[v]);
      }
      const double two_m = 2.0 * static_cast<double>(city_graph.edge_count());
      igraph_integer_t clusters = 0;
      igraph_real_t quality = 0;
      if (auto s = CheckIgraph(
              Igraph().community_leiden((*graph)->get(), nullptr, node_weights.get(),
                                        options.resolution / two_m, /*beta=*/0.01, /*start=*/false,
                                        /*n_iterations=*/-1, membership.get(), &clusters, &quality),
              "igraph_community_leiden");
          !s) {
        return Fail(s.error());
      }
    }
  }
  Communities communities = Canonical(membership);
  auto q = ModularityLocked(**graph, city_graph, communities.membership, options.resolution);
  if (!q) {
    return Fail(q.error());
  }
  communities.modularity = *q;
  return communities;
}

Result<double> Modularity(const CityGraph& city_graph,
                          const std::vector<std::size_t>& membership,
                          double resolution) {
  if (membership.size() != city_graph.vertex_count()) {
    return Fail(ErrorCode::kInvalidArgument,
                "membership has " + std::to_string(membership.size()) + " entries (expected " +
                    std::to_string(city_graph.vertex_count()) + ", one per city)");
  }
  IgraphLock lock;
  if (!lock.ok()) {
    return Fail(lock.status().error());
  }
  auto graph = Graph::Create(city_graph.vertex_count(), city_graph.EdgePairs());
  if (!graph) {
    return Fail(graph.error());
  }
  return ModularityLocked(**graph, city_graph, membership, resolution);
}

Result<std::vector<std::size_t>> ShortestPath(const CityGraph& city_graph,
                                              std::size_t from,
                                              std::size_t to) {
  const std::size_t n = city_graph.vertex_count();
  if (from >= n || to >= n) {
    return Fail(ErrorCode::kInvalidArgument, "vertex " + std::to_string(std::max(from, to)) +
                                                 " is out of range (expected 0.." +
                                                 std::to_string(n == 0 ? 0 : n - 1) + ")");
  }
  if (from == to) {
    return std::vector<std::size_t>{from};
  }
  IgraphLock lock;
  if (!lock.ok()) {
    return Fail(lock.status().error());
  }
  auto graph = Graph::Create(n, city_graph.EdgePairs());
  if (!graph) {
    return Fail(graph.error());
  }
  IntVector vertices;
  if (!vertices.ok()) {
    return Fail(OutOfMemory("the path"));
  }
  if (auto s =
          CheckIgraph(Igraph().get_shortest_path((*graph)->get(), vertices.get(), nullptr,
                                                 static_cast<igraph_integer_t>(from),
                                                 static_cast<igraph_integer_t>(to), IGRAPH_ALL),
                      "igraph_get_shortest_path");
      !s) {
    return Fail(s.error());
  }
  if (vertices.size() == 0) {
    return Fail(ErrorCode::kNotFound, "no chain of ties connects " +
                                          DescribeCity(city_graph.vertices()[from].city) + " and " +
                                          DescribeCity(city_graph.vertices()[to].city));
  }
  std::vector<std::size_t> path;
  path.reserve(vertices.size());
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    path.push_back(static_cast<std::size_t>(vertices[i]));
  }
  return path;
}

Result<Components> ConnectedComponents(const CityGraph& city_graph) {
  const std::size_t n = city_graph.vertex_count();
  IgraphLock lock;
  if (!lock.ok()) {
    return Fail(lock.status().error());
  }
  auto graph = Graph::Create(n, city_graph.EdgePairs());
  if (!graph) {
    return Fail(graph.error());
  }
  IntVector membership;
  IntVector sizes;
  if (!membership.ok() || !sizes.ok()) {
    return Fail(OutOfMemory("the component vectors"));
  }
  igraph_integer_t count = 0;
  if (auto s = CheckIgraph(Igraph().connected_components((*graph)->get(), membership.get(),
                                                         sizes.get(), &count, IGRAPH_WEAK),
                           "igraph_connected_components");
      !s) {
    return Fail(s.error());
  }
  Communities canonical = Canonical(membership);
  return Components{std::move(canonical.membership), std::move(canonical.sizes)};
}

std::vector<CountryAggregate> AggregateByCountry(const CityGraph& graph,
                                                 const CentralityResult* centrality) {
  const auto degrees = graph.Degrees();
  std::map<std::string, CountryAggregate> by_country;
  std::map<std::string, std::map<std::string, std::size_t>> partners;
  for (std::size_t v = 0; v < graph.vertex_count(); ++v) {
    const std::string& country = graph.vertices()[v].city.country;
    CountryAggregate& aggregate = by_country[country];
    aggregate.country = country;
    ++aggregate.cities;
    if (aggregate.cities == 1 || degrees[v] > aggregate.most_connected_degree) {
      aggregate.most_connected_city = v;
      aggregate.most_connected_degree = degrees[v];
    }
    if (centrality != nullptr && v < centrality->cities.size()) {
      aggregate.betweenness_sum =
          aggregate.betweenness_sum.value_or(0.0) + centrality->cities[v].betweenness;
    }
  }
  for (const GraphEdge& edge : graph.edges()) {
    const std::string& ca = graph.vertices()[edge.a].city.country;
    const std::string& cb = graph.vertices()[edge.b].city.country;
    if (ca == cb) {
      ++by_country[ca].ties;
      ++by_country[ca].domestic_ties;
      continue;
    }
    for (const auto& [self, other] : {std::pair{&ca, &cb}, std::pair{&cb, &ca}}) {
      CountryAggregate& aggregate = by_country[*self];
      ++aggregate.ties;
      ++aggregate.international_ties;
      ++partners[*self][*other];
    }
  }
  std::vector<CountryAggregate> out;
  out.reserve(by_country.size());
  for (auto& [country, aggregate] : by_country) {
    const auto& counts = partners[country];
    aggregate.partner_countries = counts.size();
    std::vector<std::pair<std::string, std::size_t>> ranked(counts.begin(), counts.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    ranked.resize(std::min<std::size_t>(ranked.size(), 5));
    aggregate.top_partner_countries = std::move(ranked);
    out.push_back(std::move(aggregate));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& x, const auto& y) { return x.ties > y.ties; });
  return out;
}

}  // namespace citydip::analytics::network
