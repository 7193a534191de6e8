// The city network as files other tools read: GraphML (yEd, Cytoscape, networkx, igraph), GEXF
// (Gephi) and CSV edge and node lists. Pure string generation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "citydip/analytics/network/city_graph.h"
#include "citydip/analytics/network/metrics.h"
#include "citydip/core/result.h"

namespace citydip::analytics::network {

enum class GraphFormat : std::uint8_t { kGraphMl, kGexf, kCsvEdges, kCsvNodes };

/// Parses "graphml", "gexf", "csv" (the edge list) or "csv-nodes"; kInvalidArgument otherwise.
[[nodiscard]] Result<GraphFormat> ParseGraphFormat(std::string_view text);

/// Optional per-city measures written as node attributes.
struct ExportMetrics {
  const CentralityResult* centrality = nullptr;  // degree, betweenness, eigenvector
  const Communities* communities = nullptr;      // community
};

/// GraphML 1.0: nodes carry name, country, lat, lon (when known) and the given metrics; edges
/// carry relation, since and the number of relations merged into the tie.
[[nodiscard]] std::string ToGraphMl(const CityGraph& graph, const ExportMetrics& metrics = {});

/// GEXF 1.2 (Gephi): the same attributes, plus viz:position x = longitude, y = latitude so a
/// geographic layout is one click away.
[[nodiscard]] std::string ToGexf(const CityGraph& graph, const ExportMetrics& metrics = {});

/// RFC 4180 CSV, one tie per row:
/// city_a,country_a,city_b,country_b,relation,since,relations
[[nodiscard]] std::string ToEdgeCsv(const CityGraph& graph);

/// RFC 4180 CSV, one city per row: name,country,lat,lon[,degree,betweenness,eigenvector]
/// [,community].
[[nodiscard]] std::string ToNodeCsv(const CityGraph& graph, const ExportMetrics& metrics = {});

/// Dispatches on `format`.
[[nodiscard]] std::string ExportGraph(const CityGraph& graph,
                                      GraphFormat format,
                                      const ExportMetrics& metrics = {});

}  // namespace citydip::analytics::network
