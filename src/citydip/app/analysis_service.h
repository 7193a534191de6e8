// The analyses of `citydip analyze NAME` and GET /api/analyses/NAME (docs/analyses.md): resolve
// the home city and the partner against the registry, load the registry, read the national index
// (a `period,value` CSV, a shipped index, or the GDELT barometer tables), call the pure analysis
// (analytics/analyses) and hand back its result. Adapters parse options into an AnalysisRequest
// and render the report; they hold no rule of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/analytics/analyses/analyses.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::app {

/// The analysis names, in the order `analyze summary` runs them: visits, phases,
/// institutionalization, barometer, shocks, frameworks, agenda, governance, modality, image.
[[nodiscard]] const std::vector<std::string>& AnalysisNames();

/// One line of help per analysis name (for `analyze --help` and GET /api/analyses).
[[nodiscard]] std::string_view AnalysisDescription(std::string_view name);

/// What `citydip analyze NAME` and GET /api/analyses/NAME take. Text fields are parsed here, so
/// that both adapters report bad values with the same messages; empty fields take the defaults.
struct AnalysisRequest {
  std::string name;  // one of AnalysisNames()
  /// The database (--db): where the GDELT barometer tables are read from (SQLite only).
  std::string db;
  /// --warehouse URL[,URL...]: read the GDELT barometer from the ClickHouse warehouse instead of
  /// the tables of `db` (summed there by month, as the local tables store it by default; every
  /// shard must answer, an unreachable one is an error, never a missing index). "" for the
  /// local tables.
  std::string warehouse;
  std::string warehouse_table = "gdelt_events";  // the Distributed table (tests use their own)

  // Scope (every analysis except image uses the home city; image uses its country).
  std::string home;     // required: an English, Korean or Chinese city name, optionally ",CTY"
  std::string partner;  // a city (name[,CTY]) or a country (ISO3 code or English name); "": any
  std::string from;     // YYYY[-MM[-DD]]
  std::string to;
  std::string period;  // year, quarter or month; "": year

  // visits
  std::string office;  // "": mayor
  bool exclude_acting = false;
  std::optional<int> trip_gap_days;

  // phases
  std::string method;  // pelt (default) or binseg
  std::optional<double> penalty;
  std::optional<int> min_segment_years;

  // institutionalization
  std::string break_date;  // --break DATE
  std::string mechanism;  // only this mechanism (English or Korean name); its founding is the break

  // barometer and shocks: the national index. At most one of index_file and index_name.
  std::string index_file;  // a `period,value` CSV (--index FILE)
  /// A shipped index of DataDirectory()/national-index by file name (with or without .csv), or
  /// "gdelt" for the barometer tables. Never a path (the server takes this one).
  std::string index_name;
  /// Neither file nor name: the GDELT tables when they hold the pair's countries, else no index
  /// (the barometer then fails, shocks go without counterfactual and detection).
  std::string
      metric;  // GDELT metric: goldstein_mean (default), tone_mean, cooperation_share, events
  std::optional<int> max_lag;
  std::optional<int> rolling_window;
  bool difference = false;
  std::string weights;  // "agreement=2,forum=1.5": event weights by type

  // shocks
  std::vector<std::string> episodes;  // "NAME=FROM..TO", e.g. "MERS=2015-05..2015-12"
  bool no_builtin = false;            // leave out THAAD and COVID-19
  bool detect = false;                // detect episodes in the index
  std::optional<double> k_sigma;
  std::optional<int> min_periods;
  bool detect_above = false;  // detect runs above (instead of below) the mean
  std::optional<int> baseline_periods;

  // image
  std::string home_city_id;     // city-actor dictionary id; "": the home city's name, lower case
  std::string partner_city_id;  // "": the partner city's name, lower case (none for a country)
};

using AnalysisValue = std::variant<analytics::VisitsResult,
                                   analytics::PhasesResult,
                                   analytics::InstitutionalizationResult,
                                   analytics::BarometerResult,
                                   analytics::ShocksResult,
                                   analytics::FrameworksResult,
                                   analytics::ImageResult>;

/// One analysis run: what it was run on and its result.
struct AnalysisReport {
  std::string name;
  City home;
  std::string partner;  // PartnerSelector::Label()
  std::string from;
  std::string to;
  std::string period;
  std::string index;  // the national index used ("" for none)
  AnalysisValue value;
};

/// Runs one analysis on the registry in `store` (and the GDELT tables of request.db where it
/// needs them). Fails with kInvalidArgument for an unknown name or a bad option value,
/// kNotFound for an unknown city, country, mechanism, index file or shipped index,
/// kInvalidData (FILE:LINE:COLUMN) for a malformed index file, kFailedPrecondition when the data
/// the analysis needs are missing (no national index, no GDELT rows for image), and whatever the
/// analysis itself reports.
[[nodiscard]] Result<AnalysisReport> RunAnalysis(storage::Store& store,
                                                 const AnalysisRequest& request);

/// The analysis's JSON (the library's ToJson; agenda, governance and modality keep only their
/// section of the frameworks result), plus "analysis" (the name) and "scope" {home, partner,
/// from, to, period, index}.
[[nodiscard]] nlohmann::json ToJson(const AnalysisReport& report);

/// One line of `citydip analyze summary`: the analysis's key number, or why it could not run.
struct AnalysisHeadline {
  std::string name;
  bool ok = false;
  std::string headline;  // the key number in words, or the error's message
};

struct AnalysisSummary {
  City home;
  std::string partner;
  std::string index;  // the index the barometer and shocks used ("" none)
  std::vector<AnalysisHeadline> lines;
};

/// Runs every analysis with the same request (the name is ignored) and gives one headline each;
/// an analysis that fails gives its error as the line. Fails only when the scope itself is bad
/// (unknown home city or partner, bad dates or period).
[[nodiscard]] Result<AnalysisSummary> SummarizeAnalyses(storage::Store& store,
                                                        const AnalysisRequest& request);

/// The key number of one report in words (what `summary` prints for it).
[[nodiscard]] std::string Headline(const AnalysisReport& report);

[[nodiscard]] nlohmann::json ToJson(const AnalysisSummary& summary);

/// What the analyses can run on: the names, the cities that are home to events (with their event
/// counts, most first) and the national indexes available (shipped files and the GDELT tables),
/// each with whether it can be aligned (consecutive periods, at least 8) and, when not, why.
struct IndexSource {
  std::string name;  // the file name without .csv, or "gdelt"
  std::string granularity;
  std::string first;
  std::string last;
  std::size_t periods = 0;
  bool usable = false;
  std::string note;  // why not usable
};

struct AnalysisCatalog {
  std::vector<std::pair<CityRef, std::int64_t>> home_cities;
  std::vector<IndexSource> indexes;
};

/// The GDELT index is described for the events' most common home country and foreign partner
/// country (e.g. KOR–CHN), from the barometer tables of `db` when it has them, or from the
/// ClickHouse warehouse at `warehouse` (URL[,URL...]) when given (unreachable: the index is
/// listed as not usable, with the reason).
[[nodiscard]] Result<AnalysisCatalog> DescribeAnalysisInputs(
    storage::Store& store,
    const std::string& db,
    const std::string& warehouse = {},
    const std::string& warehouse_table = "gdelt_events");

[[nodiscard]] nlohmann::json ToJson(const AnalysisCatalog& catalog);

}  // namespace citydip::app
