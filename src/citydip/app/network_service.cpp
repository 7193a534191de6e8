#include "citydip/app/network_service.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "citydip/app/registry_service.h"
#include "citydip/core/countries.h"
#include "citydip/core/text.h"
#include "citydip/ingest/twinning.h"

namespace citydip::app {
namespace {

namespace network = analytics::network;

PartialDate Today() {
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
  return PartialDate::FromParts(static_cast<int>(day.year()),
                                static_cast<int>(static_cast<unsigned>(day.month())),
                                static_cast<int>(static_cast<unsigned>(day.day())));
}

std::string CityKey(const std::string& name, const std::string& country) {
  return name + '\t' + country;
}

std::string PairKey(const std::string& a, const std::string& b) {
  return a < b ? a + '\n' + b : b + '\n' + a;
}

std::optional<std::string> ResolveCountryLabel(std::string_view label) {
  if (auto code = ResolveCountry(label)) {
    return std::string(*code);
  }
  return std::nullopt;
}

// The error of an import rejected for its rows, worded as the registry import words it.
Error RejectedImport(const std::vector<ingest::Diagnostic>& diagnostics, std::size_t count) {
  std::string message;
  for (const auto& diagnostic : diagnostics) {
    message += diagnostic.ToString() + "\n";
  }
  if (count > diagnostics.size()) {
    message += "... and " + std::to_string(count - diagnostics.size()) + " more\n";
  }
  message += std::to_string(count) + (count == 1 ? " error" : " errors") + "; nothing was imported";
  return Error{ErrorCode::kInvalidData, message, ""};
}

nlohmann::json CityJson(const CityRef& city) {
  return {{"name", city.name}, {"country", city.country}};
}

// Competition ranks (1, 2, 2, 4) of `values`, larger first.
template <typename T>
std::vector<std::size_t> Ranks(const std::vector<T>& values) {
  std::vector<std::size_t> order(values.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  std::vector<std::size_t> ranks(values.size(), 0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    ranks[order[i]] =
        (i > 0 && values[order[i]] == values[order[i - 1]]) ? ranks[order[i - 1]] : i + 1;
  }
  return ranks;
}

Result<CityRef> ResolveRef(storage::Store& store, const std::string& text) {
  auto city = ResolveCity(store, text);
  if (!city) {
    return Fail(city.error());
  }
  return city->Ref();
}

}  // namespace

Result<TwinningImportReport> ImportTwinning(storage::Store& store,
                                            const std::vector<std::string>& paths,
                                            const TwinningImportOptions& options) {
  if (paths.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no twinning files given (expected one or more TSV "
                "files)");
  }
  ingest::TwinningReader reader(
      {.resolve_country = ResolveCountryLabel, .max_errors = options.max_errors});
  for (const auto& path : paths) {
    if (auto status = reader.ReadFile(path); !status) {
      return Fail(status.error());
    }
  }
  ingest::TwinningData data = reader.Take();
  if (!data.ok()) {
    return Fail(RejectedImport(data.diagnostics, data.error_count));
  }

  TwinningImportReport report;
  report.files = paths.size();
  report.rows = data.rows;
  report.duplicate_pairs = data.duplicate_pairs;
  report.self_pairs = data.self_pairs;
  report.merged_homonyms = data.merged_homonyms;
  report.skipped_count = data.skipped_count;
  for (const auto& skipped : data.skipped) {
    report.skipped.push_back(skipped.ToString());
  }

  auto status = store.InTransaction([&]() -> Status {
    auto stored_cities = store.List(RecordKind::kCity);
    if (!stored_cities) {
      return Fail(stored_cities.error());
    }
    // Existing cities by exact name and country, then case-insensitively (as FindCity matches).
    std::unordered_map<std::string, CityRef> exact;
    std::unordered_map<std::string, CityRef> folded;
    for (const auto& record : *stored_cities) {
      const City& city = std::get<City>(record);
      exact.emplace(CityKey(city.name_en, city.country), city.Ref());
      folded.emplace(CityKey(ToLowerAscii(city.name_en), city.country), city.Ref());
    }
    // What each parsed city is called in the registry.
    std::vector<CityRef> canonical(data.cities.size());
    for (std::size_t i = 0; i < data.cities.size(); ++i) {
      const City& city = data.cities[i];
      auto it = exact.find(CityKey(city.name_en, city.country));
      if (it == exact.end()) {
        it = folded.find(CityKey(ToLowerAscii(city.name_en), city.country));
        if (it == folded.end()) {
          auto id = store.Insert(city);
          if (!id) {
            const auto& origin = data.city_origins[i];
            return Fail(ErrorCode::kInvalidData, id.error().ToString(),
                        origin.file + ":" + std::to_string(origin.line));
          }
          ++report.cities_created;
          canonical[i] = city.Ref();
          exact.emplace(CityKey(city.name_en, city.country), city.Ref());
          folded.emplace(CityKey(ToLowerAscii(city.name_en), city.country), city.Ref());
          continue;
        }
      }
      ++report.cities_existing;
      canonical[i] = it->second;
    }
    std::unordered_map<std::string, std::size_t> index;  // parsed city key → position
    for (std::size_t i = 0; i < data.cities.size(); ++i) {
      index.emplace(CityKey(data.cities[i].name_en, data.cities[i].country), i);
    }

    auto stored_relations = store.List(RecordKind::kPartnerRelation);
    if (!stored_relations) {
      return Fail(stored_relations.error());
    }
    std::unordered_set<std::string> tied;
    for (const auto& record : *stored_relations) {
      const auto& relation = std::get<PartnerRelation>(record);
      tied.insert(PairKey(CityKey(relation.city_a.name, relation.city_a.country),
                          CityKey(relation.city_b.name, relation.city_b.country)));
    }
    for (std::size_t r = 0; r < data.relations.size(); ++r) {
      PartnerRelation relation = data.relations[r];
      relation.city_a = canonical[index.at(CityKey(relation.city_a.name, relation.city_a.country))];
      relation.city_b = canonical[index.at(CityKey(relation.city_b.name, relation.city_b.country))];
      if (relation.city_a == relation.city_b) {
        ++report.self_pairs;  // two names differing only in case, merged with a stored city
        continue;
      }
      const std::string key = PairKey(CityKey(relation.city_a.name, relation.city_a.country),
                                      CityKey(relation.city_b.name, relation.city_b.country));
      if (!tied.insert(key).second) {
        ++report.relations_existing;
        continue;
      }
      auto id = store.Insert(relation);
      if (!id) {
        const auto& origin = data.relation_origins[r];
        return Fail(ErrorCode::kInvalidData, id.error().ToString(),
                    origin.file + ":" + std::to_string(origin.line));
      }
      ++report.relations_created;
    }
    return Ok();
  });
  if (!status) {
    return Fail(status.error());
  }
  return report;
}

Result<network::CityGraph> LoadCityGraph(storage::Store& store, const NetworkOptions& options) {
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  return network::CityGraph::Build(
      *registry, {.include_ended = options.include_ended, .include_isolated = true});
}

Result<CentralitySort> ParseCentralitySort(std::string_view text) {
  if (text == "degree") {
    return CentralitySort::kDegree;
  }
  if (text == "betweenness") {
    return CentralitySort::kBetweenness;
  }
  if (text == "eigenvector") {
    return CentralitySort::kEigenvector;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) +
                  "' is not a centrality to sort by (expected degree, betweenness, eigenvector)");
}

Result<CentralityReport> NetworkCentrality(storage::Store& store,
                                           const CentralityRequest& request) {
  std::optional<CityRef> wanted;
  if (!request.city.empty()) {
    auto ref = ResolveRef(store, request.city);
    if (!ref) {
      return Fail(ref.error());
    }
    wanted = *ref;
  }
  auto graph = LoadCityGraph(store, request.network);
  if (!graph) {
    return Fail(graph.error());
  }
  auto centrality = network::ComputeCentrality(*graph);
  if (!centrality) {
    return Fail(centrality.error());
  }
  auto components = network::ConnectedComponents(*graph);
  if (!components) {
    return Fail(components.error());
  }
  CentralityReport report;
  report.cities = graph->vertex_count();
  report.ties = graph->edge_count();
  report.components = components->sizes.size();
  report.largest_component = components->sizes.empty() ? 0 : components->sizes.front();
  report.eigenvalue = centrality->eigenvalue;
  report.sort = request.sort;

  const std::size_t n = graph->vertex_count();
  std::vector<std::size_t> degree(n);
  std::vector<double> betweenness(n);
  std::vector<double> eigenvector(n);
  for (std::size_t v = 0; v < n; ++v) {
    degree[v] = centrality->cities[v].degree;
    betweenness[v] = centrality->cities[v].betweenness;
    eigenvector[v] = centrality->cities[v].eigenvector;
  }
  const auto degree_rank = Ranks(degree);
  const auto betweenness_rank = Ranks(betweenness);
  const auto eigenvector_rank = Ranks(eigenvector);
  std::vector<CentralityRow> rows(n);
  for (std::size_t v = 0; v < n; ++v) {
    rows[v] = {graph->vertices()[v].city,
               degree[v],
               betweenness[v],
               eigenvector[v],
               degree_rank[v],
               betweenness_rank[v],
               eigenvector_rank[v]};
  }
  if (wanted) {
    auto vertex = graph->Find(*wanted);
    if (!vertex) {
      return Fail(vertex.error());
    }
    report.city = rows[*vertex];
  }
  auto rank_of = [&](const CentralityRow& row) {
    switch (request.sort) {
      case CentralitySort::kDegree:
        return row.degree_rank;
      case CentralitySort::kBetweenness:
        return row.betweenness_rank;
      case CentralitySort::kEigenvector:
        return row.eigenvector_rank;
    }
    return row.degree_rank;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const CentralityRow& a, const CentralityRow& b) {
    if (rank_of(a) != rank_of(b)) {
      return rank_of(a) < rank_of(b);
    }
    if (a.city.country != b.city.country) {
      return a.city.country < b.city.country;
    }
    return a.city.name < b.city.name;
  });
  if (request.top > 0 && rows.size() > request.top) {
    rows.resize(request.top);
  }
  report.rows = std::move(rows);
  return report;
}

Result<CommunityReport> NetworkCommunities(storage::Store& store, const CommunityRequest& request) {
  auto graph = LoadCityGraph(store, request.network);
  if (!graph) {
    return Fail(graph.error());
  }
  auto communities = network::DetectCommunities(*graph, request.options);
  if (!communities) {
    return Fail(communities.error());
  }
  CommunityReport report;
  report.options = request.options;
  report.modularity = communities->modularity;
  report.communities = communities->sizes.size();
  report.cities = graph->vertex_count();
  const auto degrees = graph->Degrees();
  std::vector<std::vector<std::size_t>> members(communities->sizes.size());
  for (std::size_t v = 0; v < graph->vertex_count(); ++v) {
    members[communities->membership[v]].push_back(v);
  }
  for (std::size_t c = 0; c < members.size(); ++c) {
    if (communities->sizes[c] < request.min_size) {
      break;  // numbered by decreasing size
    }
    CommunityRow row;
    row.id = c;
    row.size = communities->sizes[c];
    std::map<std::string, std::size_t> countries;
    for (std::size_t v : members[c]) {
      ++countries[graph->vertices()[v].city.country];
    }
    row.countries.assign(countries.begin(), countries.end());
    std::stable_sort(row.countries.begin(), row.countries.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    row.countries.resize(std::min<std::size_t>(row.countries.size(), 5));
    auto& list = members[c];
    std::stable_sort(list.begin(), list.end(),
                     [&](std::size_t a, std::size_t b) { return degrees[a] > degrees[b]; });
    if (request.members > 0 && list.size() > request.members) {
      list.resize(request.members);
    }
    for (std::size_t v : list) {
      row.members.push_back(graph->vertices()[v].city);
      row.member_degrees.push_back(degrees[v]);
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

Result<PathReport> NetworkPath(storage::Store& store,
                               const std::string& from,
                               const std::string& to,
                               const NetworkOptions& options) {
  auto from_ref = ResolveRef(store, from);
  if (!from_ref) {
    return Fail(from_ref.error());
  }
  auto to_ref = ResolveRef(store, to);
  if (!to_ref) {
    return Fail(to_ref.error());
  }
  auto graph = LoadCityGraph(store, options);
  if (!graph) {
    return Fail(graph.error());
  }
  auto a = graph->Find(*from_ref);
  auto b = graph->Find(*to_ref);
  if (!a || !b) {
    return Fail(!a ? a.error() : b.error());
  }
  auto path = network::ShortestPath(*graph, *a, *b);
  if (!path) {
    return Fail(path.error());
  }
  std::map<std::pair<std::size_t, std::size_t>, RelationKind> kinds;
  for (std::size_t i = 0; i + 1 < path->size(); ++i) {
    kinds[{std::min((*path)[i], (*path)[i + 1]), std::max((*path)[i], (*path)[i + 1])}] =
        RelationKind::kSister;
  }
  for (const auto& edge : graph->edges()) {
    if (auto it = kinds.find({edge.a, edge.b}); it != kinds.end()) {
      it->second = edge.relation;
    }
  }
  PathReport report;
  for (std::size_t i = 0; i < path->size(); ++i) {
    report.cities.push_back(graph->vertices()[(*path)[i]].city);
    if (i + 1 < path->size()) {
      report.ties.push_back(
          kinds.at({std::min((*path)[i], (*path)[i + 1]), std::max((*path)[i], (*path)[i + 1])}));
    }
  }
  return report;
}

Result<CountryReport> NetworkCountries(storage::Store& store, const NetworkOptions& options) {
  auto graph = LoadCityGraph(store, options);
  if (!graph) {
    return Fail(graph.error());
  }
  auto centrality = network::ComputeCentrality(*graph);
  if (!centrality) {
    return Fail(centrality.error());
  }
  CountryReport report;
  report.countries = network::AggregateByCountry(*graph, &*centrality);
  for (const auto& vertex : graph->vertices()) {
    report.cities.push_back(vertex.city);
  }
  return report;
}

Result<std::string> ExportNetwork(storage::Store& store, const ExportRequest& request) {
  auto graph = LoadCityGraph(store, request.network);
  if (!graph) {
    return Fail(graph.error());
  }
  if (!request.metrics) {
    return network::ExportGraph(*graph, request.format);
  }
  auto centrality = network::ComputeCentrality(*graph);
  if (!centrality) {
    return Fail(centrality.error());
  }
  auto communities = network::DetectCommunities(*graph);
  if (!communities) {
    return Fail(communities.error());
  }
  return network::ExportGraph(*graph, request.format, {&*centrality, &*communities});
}

Result<network::OpportunityReport> NetworkOpportunities(storage::Store& store,
                                                        const OpportunityRequest& request) {
  auto home = ResolveRef(store, request.home);
  if (!home) {
    return Fail(home.error());
  }
  network::OpportunityOptions options;
  options.home = *home;
  if (!request.partner.empty()) {
    auto partner = ResolveRef(store, request.partner);
    if (!partner) {
      return Fail(partner.error());
    }
    options.partner = *partner;
  }
  options.as_of = request.as_of.empty() ? Today() : request.as_of;
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  return network::FindOpportunities(*registry, options);
}

nlohmann::json ToJson(const TwinningImportReport& report) {
  return {{"files", report.files},
          {"rows", report.rows},
          {"cities_created", report.cities_created},
          {"cities_existing", report.cities_existing},
          {"relations_created", report.relations_created},
          {"relations_existing", report.relations_existing},
          {"duplicate_pairs", report.duplicate_pairs},
          {"self_pairs", report.self_pairs},
          {"merged_homonyms", report.merged_homonyms},
          {"skipped_count", report.skipped_count},
          {"skipped", report.skipped}};
}

namespace {

std::string_view SortName(CentralitySort sort) {
  switch (sort) {
    case CentralitySort::kDegree:
      return "degree";
    case CentralitySort::kBetweenness:
      return "betweenness";
    case CentralitySort::kEigenvector:
      return "eigenvector";
  }
  return "degree";
}

nlohmann::json RowJson(const CentralityRow& row) {
  return {{"name", row.city.name},
          {"country", row.city.country},
          {"degree", row.degree},
          {"betweenness", row.betweenness},
          {"eigenvector", row.eigenvector},
          {"degree_rank", row.degree_rank},
          {"betweenness_rank", row.betweenness_rank},
          {"eigenvector_rank", row.eigenvector_rank}};
}

}  // namespace

nlohmann::json ToJson(const CentralityReport& report) {
  nlohmann::json cities = nlohmann::json::array();
  for (const auto& row : report.rows) {
    cities.push_back(RowJson(row));
  }
  nlohmann::json out = {
      {"nodes", report.cities},          {"ties", report.ties},
      {"components", report.components}, {"largest_component", report.largest_component},
      {"eigenvalue", report.eigenvalue}, {"sort", SortName(report.sort)},
      {"cities", std::move(cities)}};
  if (report.city) {
    out["city"] = RowJson(*report.city);
  }
  return out;
}

nlohmann::json ToJson(const CommunityReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : report.rows) {
    nlohmann::json countries = nlohmann::json::array();
    for (const auto& [country, count] : row.countries) {
      countries.push_back({{"country", country}, {"cities", count}});
    }
    nlohmann::json members = nlohmann::json::array();
    for (std::size_t i = 0; i < row.members.size(); ++i) {
      nlohmann::json member = CityJson(row.members[i]);
      member["degree"] = row.member_degrees[i];
      members.push_back(std::move(member));
    }
    rows.push_back({{"id", row.id},
                    {"size", row.size},
                    {"countries", std::move(countries)},
                    {"members", std::move(members)}});
  }
  return {{"algorithm", network::CommunityAlgorithmName(report.options.algorithm)},
          {"resolution", report.options.resolution},
          {"seed", report.options.seed},
          {"modularity", report.modularity},
          {"communities_total", report.communities},
          {"cities", report.cities},
          {"communities", std::move(rows)}};
}

nlohmann::json ToJson(const PathReport& report) {
  nlohmann::json cities = nlohmann::json::array();
  for (const auto& city : report.cities) {
    cities.push_back(CityJson(city));
  }
  nlohmann::json ties = nlohmann::json::array();
  for (auto kind : report.ties) {
    ties.push_back(ToCode(kind));
  }
  return {{"from", CityJson(report.cities.front())},
          {"to", CityJson(report.cities.back())},
          {"length", report.ties.size()},
          {"cities", std::move(cities)},
          {"ties", std::move(ties)}};
}

nlohmann::json ToJson(const CountryReport& report) {
  nlohmann::json countries = nlohmann::json::array();
  for (const auto& c : report.countries) {
    nlohmann::json partners = nlohmann::json::array();
    for (const auto& [country, ties] : c.top_partner_countries) {
      partners.push_back({{"country", country}, {"ties", ties}});
    }
    nlohmann::json row = {{"country", c.country},
                          {"name", CountryDisplayName(c.country)},
                          {"cities", c.cities},
                          {"ties", c.ties},
                          {"domestic_ties", c.domestic_ties},
                          {"international_ties", c.international_ties},
                          {"partner_countries", c.partner_countries},
                          {"top_partner_countries", std::move(partners)}};
    if (c.most_connected_city < report.cities.size()) {
      row["most_connected_city"] = CityJson(report.cities[c.most_connected_city]);
      row["most_connected_city"]["degree"] = c.most_connected_degree;
    }
    if (c.betweenness_sum) {
      row["betweenness_sum"] = *c.betweenness_sum;
    }
    countries.push_back(std::move(row));
  }
  return {{"countries", std::move(countries)}};
}

nlohmann::json ToJson(const network::OpportunityReport& report) {
  nlohmann::json home_networks = nlohmann::json::array();
  for (const auto& n : report.home_networks) {
    home_networks.push_back(
        {{"organization", n.organization}, {"role", ToCode(n.role)}, {"leads", n.leads}});
  }
  nlohmann::json partners = nlohmann::json::array();
  for (const auto& p : report.partners) {
    nlohmann::json row = CityJson(p.partner);
    row["relation"] = p.relation ? nlohmann::json(ToCode(*p.relation)) : nlohmann::json(nullptr);
    row["shared_networks"] = p.shared;
    row["led_by_home_without_partner"] = p.led_by_home_without_partner;
    row["partner_only_networks"] = p.partner_only;
    partners.push_back(std::move(row));
  }
  nlohmann::json opportunities = nlohmann::json::array();
  for (const auto& o : report.opportunities) {
    nlohmann::json row = {{"organization", o.organization},
                          {"kind", network::OpportunityKindCode(o.kind)},
                          {"partner", o.partner.name},
                          {"partner_country", o.partner.country},
                          {"reason", o.reason},
                          {"score", o.score}};
    if (!o.event.empty()) {
      row["event"] = o.event;
      row["date"] = o.date.ToString();
    }
    opportunities.push_back(std::move(row));
  }
  return {{"home", CityJson(report.home)},
          {"as_of", report.as_of.ToString()},
          {"home_networks", std::move(home_networks)},
          {"partners", std::move(partners)},
          {"opportunities", std::move(opportunities)}};
}

}  // namespace citydip::app
