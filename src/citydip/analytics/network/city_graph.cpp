#include "citydip/analytics/network/city_graph.h"

#include <algorithm>
#include <unordered_map>

#include "citydip/core/text.h"

namespace citydip::analytics::network {
namespace {

// Closeness of a relation kind: lower is closer (sister before friendship before partnership).
int Closeness(RelationKind kind) {
  return static_cast<int>(kind);
}

std::uint64_t PairKey(std::size_t a, std::size_t b) {
  return (static_cast<std::uint64_t>(a) << 32U) | static_cast<std::uint64_t>(b);
}

}  // namespace

std::string DescribeCity(const CityRef& city) {
  return city.country.empty() ? city.name : city.name + " (" + city.country + ")";
}

std::size_t CityGraph::AddVertex(const CityRef& ref,
                                 std::optional<double> lat,
                                 std::optional<double> lon) {
  auto [it, inserted] = index_.try_emplace({ref.name, ref.country}, vertices_.size());
  if (inserted) {
    vertices_.push_back({ref, lat, lon});
  }
  return it->second;
}

CityGraph CityGraph::Build(const Registry& registry, const GraphOptions& options) {
  CityGraph graph;
  for (const City& city : registry.cities) {
    graph.AddVertex(city.Ref(), city.lat, city.lon);
  }
  std::unordered_map<std::uint64_t, std::size_t> edge_index;
  std::vector<bool> touched(graph.vertices_.size(), false);
  auto vertex_of = [&graph](const CityRef& ref) {
    if (auto found = graph.Find(ref)) {
      return *found;
    }
    return graph.AddVertex(ref, std::nullopt, std::nullopt);
  };
  for (const PartnerRelation& relation : registry.partner_relations) {
    if (relation.status == RelationStatus::kEnded && !options.include_ended) {
      continue;
    }
    std::size_t a = vertex_of(relation.city_a);
    std::size_t b = vertex_of(relation.city_b);
    if (a == b) {
      continue;
    }
    if (a > b) {
      std::swap(a, b);
    }
    touched.resize(graph.vertices_.size(), false);
    touched[a] = true;
    touched[b] = true;
    auto [it, inserted] = edge_index.try_emplace(PairKey(a, b), graph.edges_.size());
    if (inserted) {
      graph.edges_.push_back({a, b, relation.relation, relation.since, 1});
      continue;
    }
    GraphEdge& edge = graph.edges_[it->second];
    ++edge.relation_count;
    if (Closeness(relation.relation) < Closeness(edge.relation)) {
      edge.relation = relation.relation;
    }
    if (!relation.since.empty() && (edge.since.empty() || relation.since < edge.since)) {
      edge.since = relation.since;
    }
  }
  if (!options.include_isolated) {
    touched.resize(graph.vertices_.size(), false);
    std::vector<std::size_t> remap(graph.vertices_.size(), 0);
    std::vector<GraphVertex> kept;
    graph.index_.clear();
    for (std::size_t v = 0; v < graph.vertices_.size(); ++v) {
      if (touched[v]) {
        remap[v] = kept.size();
        graph.index_[{graph.vertices_[v].city.name, graph.vertices_[v].city.country}] = kept.size();
        kept.push_back(std::move(graph.vertices_[v]));
      }
    }
    graph.vertices_ = std::move(kept);
    for (GraphEdge& edge : graph.edges_) {
      edge.a = remap[edge.a];
      edge.b = remap[edge.b];
    }
  }
  return graph;
}

Result<std::size_t> CityGraph::Find(const CityRef& ref) const {
  if (!ref.country.empty()) {
    if (auto it = index_.find({ref.name, ref.country}); it != index_.end()) {
      return it->second;
    }
  }
  // By name: exact first, then case-insensitive; the country, when given, must agree.
  for (const bool fold_case : {false, true}) {
    const std::string wanted = fold_case ? ToLowerAscii(ref.name) : ref.name;
    std::vector<std::size_t> matches;
    for (std::size_t v = 0; v < vertices_.size(); ++v) {
      const CityRef& city = vertices_[v].city;
      if (!ref.country.empty() && city.country != ref.country) {
        continue;
      }
      if ((fold_case ? ToLowerAscii(city.name) : city.name) == wanted) {
        matches.push_back(v);
      }
    }
    if (matches.size() == 1) {
      return matches.front();
    }
    if (matches.size() > 1) {
      std::vector<std::string> countries;
      for (std::size_t v : matches) {
        countries.push_back(vertices_[v].city.country);
      }
      std::sort(countries.begin(), countries.end());
      std::string list;
      for (const auto& country : countries) {
        list += (list.empty() ? "" : ", ") + country;
      }
      return Fail(ErrorCode::kInvalidArgument,
                  "city '" + ref.name + "' is ambiguous: it exists in " + list +
                      " (give the country, e.g. '" + ref.name + "," + countries.front() + "')");
    }
  }
  return Fail(ErrorCode::kNotFound, "city " + DescribeCity(ref) + " is not in the network");
}

std::vector<std::pair<std::size_t, std::size_t>> CityGraph::EdgePairs() const {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  pairs.reserve(edges_.size());
  for (const GraphEdge& edge : edges_) {
    pairs.emplace_back(edge.a, edge.b);
  }
  return pairs;
}

std::vector<std::size_t> CityGraph::Degrees() const {
  std::vector<std::size_t> degrees(vertices_.size(), 0);
  for (const GraphEdge& edge : edges_) {
    ++degrees[edge.a];
    ++degrees[edge.b];
  }
  return degrees;
}

}  // namespace citydip::analytics::network
