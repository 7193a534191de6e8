#include "citydip/analytics/network/graph_export.h"

#include <charconv>
#include <vector>

namespace citydip::analytics::network {
namespace {

// Shortest text that reads back as the same double.
std::string Number(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

// Escapes XML special characters and drops the control characters XML 1.0 forbids.
std::string Xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
          out += c;
        }
    }
  }
  return out;
}

// Quotes a CSV field when it needs it (RFC 4180).
std::string Csv(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  return out + "\"";
}

struct Attribute {
  std::string id;
  std::string type;  // GraphML/GEXF type: string, double, int
};

std::vector<Attribute> NodeAttributes(const ExportMetrics& metrics) {
  std::vector<Attribute> attributes = {
      {"name", "string"}, {"country", "string"}, {"lat", "double"}, {"lon", "double"}};
  if (metrics.centrality != nullptr) {
    attributes.push_back({"degree", "int"});
    attributes.push_back({"betweenness", "double"});
    attributes.push_back({"eigenvector", "double"});
  }
  if (metrics.communities != nullptr) {
    attributes.push_back({"community", "int"});
  }
  return attributes;
}

// The node's attribute values in NodeAttributes order; "" means absent.
std::vector<std::string> NodeValues(const CityGraph& graph,
                                    std::size_t v,
                                    const ExportMetrics& metrics) {
  const GraphVertex& vertex = graph.vertices()[v];
  std::vector<std::string> values = {vertex.city.name, vertex.city.country,
                                     vertex.lat ? Number(*vertex.lat) : "",
                                     vertex.lon ? Number(*vertex.lon) : ""};
  if (metrics.centrality != nullptr) {
    const CityCentrality& c = metrics.centrality->cities[v];
    values.push_back(std::to_string(c.degree));
    values.push_back(Number(c.betweenness));
    values.push_back(Number(c.eigenvector));
  }
  if (metrics.communities != nullptr) {
    values.push_back(std::to_string(metrics.communities->membership[v]));
  }
  return values;
}

const std::vector<Attribute>& EdgeAttributes() {
  static const std::vector<Attribute> attributes = {
      {"relation", "string"}, {"since", "string"}, {"relations", "int"}};
  return attributes;
}

std::vector<std::string> EdgeValues(const GraphEdge& edge) {
  return {std::string(ToCode(edge.relation)), edge.since.ToString(),
          std::to_string(edge.relation_count)};
}

}  // namespace

Result<GraphFormat> ParseGraphFormat(std::string_view text) {
  if (text == "graphml") {
    return GraphFormat::kGraphMl;
  }
  if (text == "gexf") {
    return GraphFormat::kGexf;
  }
  if (text == "csv") {
    return GraphFormat::kCsvEdges;
  }
  if (text == "csv-nodes") {
    return GraphFormat::kCsvNodes;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) +
                  "' is not an export format (expected graphml, gexf, csv, "
                  "csv-nodes)");
}

std::string ToGraphMl(const CityGraph& graph, const ExportMetrics& metrics) {
  const auto node_attributes = NodeAttributes(metrics);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
      "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
      "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  for (const Attribute& a : node_attributes) {
    out += "  <key id=\"" + a.id + "\" for=\"node\" attr.name=\"" + a.id + "\" attr.type=\"" +
           a.type + "\"/>\n";
  }
  for (const Attribute& a : EdgeAttributes()) {
    out += "  <key id=\"e_" + a.id + "\" for=\"edge\" attr.name=\"" + a.id + "\" attr.type=\"" +
           a.type + "\"/>\n";
  }
  out += "  <graph id=\"citydip\" edgedefault=\"undirected\">\n";
  for (std::size_t v = 0; v < graph.vertex_count(); ++v) {
    out += "    <node id=\"n" + std::to_string(v) + "\">";
    const auto values = NodeValues(graph, v, metrics);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].empty()) {
        out += "<data key=\"" + node_attributes[i].id + "\">" + Xml(values[i]) + "</data>";
      }
    }
    out += "</node>\n";
  }
  for (std::size_t e = 0; e < graph.edge_count(); ++e) {
    const GraphEdge& edge = graph.edges()[e];
    out += "    <edge id=\"e" + std::to_string(e) + "\" source=\"n" + std::to_string(edge.a) +
           "\" target=\"n" + std::to_string(edge.b) + "\">";
    const auto values = EdgeValues(edge);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].empty()) {
        out += "<data key=\"e_" + EdgeAttributes()[i].id + "\">" + Xml(values[i]) + "</data>";
      }
    }
    out += "</edge>\n";
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

std::string ToGexf(const CityGraph& graph, const ExportMetrics& metrics) {
  const auto node_attributes = NodeAttributes(metrics);
  auto gexf_type = [](const std::string& type) { return type == "int" ? "integer" : type; };
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://www.gexf.net/1.2draft\" "
      "xmlns:viz=\"http://www.gexf.net/1.2draft/viz\" version=\"1.2\">\n"
      "  <meta>\n    <creator>citydip</creator>\n"
      "    <description>cities tied by partner relations</description>\n  </meta>\n"
      "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
      "    <attributes class=\"node\">\n";
  // The label carries the name; lat and lon are also the viz position.
  for (std::size_t i = 1; i < node_attributes.size(); ++i) {
    out += "      <attribute id=\"" + node_attributes[i].id + "\" title=\"" +
           node_attributes[i].id + "\" type=\"" + gexf_type(node_attributes[i].type) + "\"/>\n";
  }
  out += "    </attributes>\n    <attributes class=\"edge\">\n";
  for (const Attribute& a : EdgeAttributes()) {
    out += "      <attribute id=\"" + a.id + "\" title=\"" + a.id + "\" type=\"" +
           gexf_type(a.type) + "\"/>\n";
  }
  out += "    </attributes>\n    <nodes>\n";
  for (std::size_t v = 0; v < graph.vertex_count(); ++v) {
    const GraphVertex& vertex = graph.vertices()[v];
    const auto values = NodeValues(graph, v, metrics);
    out += "      <node id=\"n" + std::to_string(v) + "\" label=\"" + Xml(vertex.city.name) +
           "\">\n        <attvalues>";
    for (std::size_t i = 1; i < values.size(); ++i) {
      if (!values[i].empty()) {
        out += "<attvalue for=\"" + node_attributes[i].id + "\" value=\"" + Xml(values[i]) + "\"/>";
      }
    }
    out += "</attvalues>\n";
    if (vertex.lat && vertex.lon) {
      out += "        <viz:position x=\"" + Number(*vertex.lon) + "\" y=\"" + Number(*vertex.lat) +
             "\" z=\"0\"/>\n";
    }
    out += "      </node>\n";
  }
  out += "    </nodes>\n    <edges>\n";
  for (std::size_t e = 0; e < graph.edge_count(); ++e) {
    const GraphEdge& edge = graph.edges()[e];
    out += "      <edge id=\"e" + std::to_string(e) + "\" source=\"n" + std::to_string(edge.a) +
           "\" target=\"n" + std::to_string(edge.b) + "\"><attvalues>";
    const auto values = EdgeValues(edge);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].empty()) {
        out +=
            "<attvalue for=\"" + EdgeAttributes()[i].id + "\" value=\"" + Xml(values[i]) + "\"/>";
      }
    }
    out += "</attvalues></edge>\n";
  }
  out += "    </edges>\n  </graph>\n</gexf>\n";
  return out;
}

std::string ToEdgeCsv(const CityGraph& graph) {
  std::string out = "city_a,country_a,city_b,country_b,relation,since,relations\n";
  for (const GraphEdge& edge : graph.edges()) {
    const CityRef& a = graph.vertices()[edge.a].city;
    const CityRef& b = graph.vertices()[edge.b].city;
    out += Csv(a.name) + "," + Csv(a.country) + "," + Csv(b.name) + "," + Csv(b.country) + "," +
           std::string(ToCode(edge.relation)) + "," + edge.since.ToString() + "," +
           std::to_string(edge.relation_count) + "\n";
  }
  return out;
}

std::string ToNodeCsv(const CityGraph& graph, const ExportMetrics& metrics) {
  const auto attributes = NodeAttributes(metrics);
  std::string out;
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    out += (i == 0 ? "" : ",") + attributes[i].id;
  }
  out += "\n";
  for (std::size_t v = 0; v < graph.vertex_count(); ++v) {
    const auto values = NodeValues(graph, v, metrics);
    for (std::size_t i = 0; i < values.size(); ++i) {
      out += (i == 0 ? "" : ",") + Csv(values[i]);
    }
    out += "\n";
  }
  return out;
}

std::string ExportGraph(const CityGraph& graph, GraphFormat format, const ExportMetrics& metrics) {
  switch (format) {
    case GraphFormat::kGraphMl:
      return ToGraphMl(graph, metrics);
    case GraphFormat::kGexf:
      return ToGexf(graph, metrics);
    case GraphFormat::kCsvEdges:
      return ToEdgeCsv(graph);
    case GraphFormat::kCsvNodes:
      return ToNodeCsv(graph, metrics);
  }
  return {};
}

}  // namespace citydip::analytics::network
