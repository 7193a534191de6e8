// Registry use cases: import and export files, list and filter records, city profiles and
// statistics. Called by the CLI and the HTTP server alike.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/ingest/registry_io.h"
#include "citydip/storage/store.h"

namespace citydip::app {

struct ImportOptions {
  std::optional<RecordKind> kind;  // --kind; otherwise detected per file
  std::size_t max_errors = 20;     // --max-errors: diagnostics listed at most
  bool create_cities = false;      // --create-cities: create unknown cities instead of failing
};

struct ImportReport {
  /// Records stored, per kind.
  std::map<RecordKind, std::int64_t> imported;
  /// Duplicates that were reported and skipped ("FILE:LINE: duplicate of ...").
  std::vector<std::string> skipped;
  /// Cities created because of --create-cities ("Name (CTY)").
  std::vector<std::string> created_cities;
};

/// Imports files all-or-nothing: parses every file, resolves every reference, and stores all
/// records in one transaction. Any bad value anywhere fails the whole import with kInvalidData,
/// listing up to `max_errors` problems as FILE:LINE: ...; the database is then unchanged.
/// Duplicates of stored records (same natural key; for events the same date, cities, type and
/// title) are skipped and reported. Files are applied in dependency order (cities first).
[[nodiscard]] Result<ImportReport> ImportFiles(storage::Store& store,
                                               const std::vector<std::string>& paths,
                                               const ImportOptions& options);

/// Every record of `kind` in the canonical format.
[[nodiscard]] Result<std::string> ExportRecords(storage::Store& store,
                                                RecordKind kind,
                                                ingest::FileFormat format);

/// Filters for `list KIND` (events use all fields; other kinds use home/partner as "names this
/// city", org, and the date range on since/term/founded dates).
struct ListResult {
  RecordKind kind = RecordKind::kEvent;
  std::vector<Record> items;
  std::int64_t total = 0;
  /// Events whose imprecise date overlaps the range only partly and were left out (they are
  /// included with include_imprecise).
  std::int64_t imprecise_excluded = 0;
};
[[nodiscard]] Result<ListResult> ListRecords(storage::Store& store,
                                             RecordKind kind,
                                             const EventFilter& filter);

/// Resolves a city name given on the command line ("Beijing", "Beijing,CHN", or a Korean name).
[[nodiscard]] Result<City> ResolveCity(storage::Store& store, const std::string& text);

/// A partner profile: everything the registry knows about one city.
struct CityProfile {
  City city;
  std::vector<PartnerRelation> relations;
  std::vector<Membership> memberships;
  std::vector<Mechanism> mechanisms;
  std::map<int, std::int64_t> events_per_year;  // events naming the city (home or partner)
  std::vector<Event> official_visits;           // mayor-level visits between it and its partners
  std::vector<Event> recent_events;             // the latest 10
};
[[nodiscard]] Result<CityProfile> ShowCity(storage::Store& store, const std::string& name);

/// Registry statistics and the check of officials' visit claims against events.
struct Stats {
  storage::Counts counts;
  std::map<std::string, std::int64_t> events_per_type;
  std::map<int, std::int64_t> events_per_year;
  std::map<std::string, std::int64_t> events_per_partner;
  /// Claims of a visit ("yes") that no event supports, as readable lines.
  std::vector<std::string> unsupported_claims;
  /// Claims that events support.
  std::int64_t supported_claims = 0;
};
[[nodiscard]] Result<Stats> ComputeStats(storage::Store& store);

/// Whether `event` is an official visit of `official` to `partner` while in office: outbound,
/// level mayor, a visiting type, a date overlapping the term, the partner among its cities.
[[nodiscard]] bool IsVisitInOffice(const Event& event,
                                   const Official& official,
                                   const CityRef& partner);

// JSON forms (stable; documented in docs/cli.md and docs/http-api.md).
[[nodiscard]] nlohmann::json RecordsToJson(RecordKind kind, const std::vector<Record>& records);
[[nodiscard]] nlohmann::json ToJson(const ListResult& result);
[[nodiscard]] nlohmann::json ToJson(const CityProfile& profile);
[[nodiscard]] nlohmann::json ToJson(const Stats& stats);
[[nodiscard]] nlohmann::json ToJson(const ImportReport& report);

}  // namespace citydip::app
