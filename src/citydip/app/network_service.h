// Network use cases: import Wikidata twin-town pairs (`citydip import --kind twinning`), and read
// the city network of the registry — centralities, communities, shortest chains of ties,
// per-country aggregates, exports for Gephi — and the openings for multilateral diplomacy
// (`citydip network ...`). The shipped registry and the imported pairs share one graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/network/city_graph.h"
#include "citydip/analytics/network/graph_export.h"
#include "citydip/analytics/network/metrics.h"
#include "citydip/analytics/network/opportunities.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::app {

struct TwinningImportOptions {
  std::size_t max_errors = 20;  // --max-errors: problems listed at most
};

/// What a twinning import did.
struct TwinningImportReport {
  std::size_t files = 0;
  std::size_t rows = 0;
  std::size_t cities_created = 0;
  /// Cities of the files already in the registry (matched by name and country).
  std::size_t cities_existing = 0;
  std::size_t relations_created = 0;
  /// Pairs already in the registry (in either direction, any relation kind).
  std::size_t relations_existing = 0;
  std::size_t duplicate_pairs = 0;
  std::size_t self_pairs = 0;
  std::size_t merged_homonyms = 0;
  /// Rows left out (former states, unknown values): their number and the first few as
  /// "FILE:LINE: why".
  std::size_t skipped_count = 0;
  std::vector<std::string> skipped;
};

/// Imports twinning TSV files (ingest/twinning.h) all-or-nothing: parses every file, then in one
/// transaction creates the cities not yet in the registry and a sister-city relation for every
/// pair not yet tied. Any malformed row fails the whole import with kInvalidData listing up to
/// max_errors problems as FILE:LINE: column 'NAME': ...; the database is then unchanged.
[[nodiscard]] Result<TwinningImportReport> ImportTwinning(storage::Store& store,
                                                          const std::vector<std::string>& paths,
                                                          const TwinningImportOptions& options);

/// Which relations make the network.
struct NetworkOptions {
  bool include_ended = false;  // --include-ended
};

/// The registry's city network (cities without ties included).
[[nodiscard]] Result<analytics::network::CityGraph> LoadCityGraph(storage::Store& store,
                                                                  const NetworkOptions& options);

enum class CentralitySort : std::uint8_t { kDegree, kBetweenness, kEigenvector };
/// Parses "degree", "betweenness", "eigenvector".
[[nodiscard]] Result<CentralitySort> ParseCentralitySort(std::string_view text);

struct CentralityRequest {
  NetworkOptions network;
  /// At most this many cities (0: all), after sorting.
  std::size_t top = 0;
  CentralitySort sort = CentralitySort::kDegree;
  /// Also report where this city ranks ("Seoul", "Beijing,CHN"); empty: none.
  std::string city;
};

/// One city's centralities with its rank (1-based) by each measure.
struct CentralityRow {
  CityRef city;
  std::size_t degree = 0;
  double betweenness = 0;
  double eigenvector = 0;
  std::size_t degree_rank = 0;
  std::size_t betweenness_rank = 0;
  std::size_t eigenvector_rank = 0;
};

struct CentralityReport {
  std::size_t cities = 0;
  std::size_t ties = 0;
  std::size_t components = 0;
  std::size_t largest_component = 0;
  double eigenvalue = 0;
  CentralitySort sort = CentralitySort::kDegree;
  std::vector<CentralityRow> rows;    // sorted, cut to `top`
  std::optional<CentralityRow> city;  // the requested city
};

/// Degree, betweenness (networkx-normalized) and eigenvector centrality of every city. Ranks
/// count ties as equal (competition ranking: 1, 2, 2, 4).
[[nodiscard]] Result<CentralityReport> NetworkCentrality(storage::Store& store,
                                                         const CentralityRequest& request);

struct CommunityRequest {
  NetworkOptions network;
  analytics::network::CommunityOptions options;
  /// Members listed per community (most ties first; 0: all).
  std::size_t members = 10;
  /// Communities smaller than this are counted but not listed (isolated cities are communities
  /// of one).
  std::size_t min_size = 2;
};

struct CommunityRow {
  std::size_t id = 0;
  std::size_t size = 0;
  std::vector<std::pair<std::string, std::size_t>> countries;  // most cities first, at most 5
  std::vector<CityRef> members;                                // most ties first
  std::vector<std::size_t> member_degrees;
};

struct CommunityReport {
  analytics::network::CommunityOptions options;
  double modularity = 0;
  std::size_t communities = 0;  // all, including those too small to list
  std::size_t cities = 0;
  std::vector<CommunityRow> rows;
};

[[nodiscard]] Result<CommunityReport> NetworkCommunities(storage::Store& store,
                                                         const CommunityRequest& request);

struct PathReport {
  std::vector<CityRef> cities;     // from, intermediate cities, to
  std::vector<RelationKind> ties;  // the kind of each step
};

/// The shortest chain of ties between two cities named as on the command line ("Seoul",
/// "Beijing,CHN"). kNotFound when a city is unknown or no chain connects them.
[[nodiscard]] Result<PathReport> NetworkPath(storage::Store& store,
                                             const std::string& from,
                                             const std::string& to,
                                             const NetworkOptions& options = {});

struct CountryReport {
  std::vector<analytics::network::CountryAggregate> countries;
  std::vector<CityRef> cities;  // indexed by vertex, to name most_connected_city
};

/// Per-country aggregates with each country's share of betweenness.
[[nodiscard]] Result<CountryReport> NetworkCountries(storage::Store& store,
                                                     const NetworkOptions& options = {});

struct ExportRequest {
  NetworkOptions network;
  analytics::network::GraphFormat format = analytics::network::GraphFormat::kGraphMl;
  /// Add degree, betweenness, eigenvector and the Leiden community as node attributes.
  bool metrics = false;
};

/// The network as GraphML, GEXF or CSV text.
[[nodiscard]] Result<std::string> ExportNetwork(storage::Store& store,
                                                const ExportRequest& request);

struct OpportunityRequest {
  std::string home = "Seoul";
  std::string partner;  // empty: all partners
  PartialDate as_of;    // empty: today
};

/// Membership-network openings for a home city (analytics/network/opportunities.h).
[[nodiscard]] Result<analytics::network::OpportunityReport> NetworkOpportunities(
    storage::Store& store, const OpportunityRequest& request);

// JSON forms (documented in docs/networks.md).
[[nodiscard]] nlohmann::json ToJson(const TwinningImportReport& report);
[[nodiscard]] nlohmann::json ToJson(const CentralityReport& report);
[[nodiscard]] nlohmann::json ToJson(const CommunityReport& report);
[[nodiscard]] nlohmann::json ToJson(const PathReport& report);
[[nodiscard]] nlohmann::json ToJson(const CountryReport& report);
[[nodiscard]] nlohmann::json ToJson(const analytics::network::OpportunityReport& report);

}  // namespace citydip::app
