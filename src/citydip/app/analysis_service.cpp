#include "citydip/app/analysis_service.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <type_traits>
#include <utility>

#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/app/strategy_service.h"
#include "citydip/app/warehouse_factory.h"
#include "citydip/core/countries.h"
#include "citydip/core/taxonomy.h"
#include "citydip/core/text.h"

namespace citydip::app {
namespace {

namespace an = analytics;

constexpr std::size_t kMinIndexPeriods = 8;  // what the barometer needs in common
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Parsing the request

Result<PartialDate> ParseDateOption(const std::string& text, const std::string& option) {
  if (text.empty()) {
    return PartialDate();
  }
  auto date = PartialDate::Parse(std::string(Trim(text)));
  if (!date) {
    return Fail(ErrorCode::kInvalidArgument, date.error().message, option);
  }
  return *date;
}

Result<an::PartnerSelector> ResolvePartner(storage::Store& store, const std::string& text) {
  an::PartnerSelector selector;
  const std::string trimmed(Trim(text));
  if (trimmed.empty()) {
    return selector;
  }
  auto city = ResolveCity(store, trimmed);
  if (city) {
    selector.city = city->Ref();
    return selector;
  }
  if (city.error().code != ErrorCode::kNotFound) {
    return Fail(city.error());
  }
  if (auto code = ResolveCountry(trimmed)) {
    selector.country = std::string(*code);
    return selector;
  }
  return Fail(ErrorCode::kNotFound,
              "no city or country named '" + trimmed +
                  "' (expected a city of the registry, e.g. Beijing or Beijing,CHN, or a country, "
                  "e.g. CHN or China)",
              "partner");
}

Result<std::map<EventType, double>> ParseWeights(const std::string& text) {
  std::map<EventType, double> weights;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    const std::string entry(Trim(item));
    if (entry.empty()) {
      continue;
    }
    const auto equals = entry.find('=');
    const auto type = ParseEnum<EventType>(Trim(entry.substr(0, equals)));
    if (equals == std::string::npos || !type) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "weight '" + entry + "' is not TYPE=NUMBER with TYPE one of " + AllowedCodes<EventType>(),
          "weights");
    }
    const std::string number(Trim(entry.substr(equals + 1)));
    std::size_t used = 0;
    double value = 0.0;
    try {
      value = std::stod(number, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != number.size() || !std::isfinite(value) || value < 0.0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "weight '" + entry + "' is not TYPE=NUMBER with a number of 0 or more",
                  "weights");
    }
    weights[*type] = value;
  }
  return weights;
}

// "NAME=FROM..TO"
Result<an::Episode> ParseEpisode(const std::string& text) {
  const auto equals = text.find('=');
  const auto dots = text.find("..", equals == std::string::npos ? 0 : equals);
  const auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "episode '" + text + "' is not NAME=FROM..TO (e.g. MERS=2015-05..2015-12)",
                "episode");
  };
  if (equals == std::string::npos || dots == std::string::npos || equals == 0) {
    return bad();
  }
  an::Episode episode;
  episode.name = std::string(Trim(text.substr(0, equals)));
  episode.origin = "user";
  auto from = PartialDate::Parse(std::string(Trim(text.substr(equals + 1, dots - equals - 1))));
  auto to = PartialDate::Parse(std::string(Trim(text.substr(dots + 2))));
  if (episode.name.empty() || !from || !to) {
    return bad();
  }
  episode.from = *from;
  episode.to = *to;
  return episode;
}

bool KnownName(std::string_view name) {
  const auto& names = AnalysisNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string NameList() {
  std::string list;
  for (const auto& name : AnalysisNames()) {
    list += (list.empty() ? "" : ", ") + name;
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Reading the national index

Result<std::string> ReadTextFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Fail(ErrorCode::kNotFound, "cannot read the national index (no such file)", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "cannot open the national index", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kUnavailable, "cannot read the national index", path);
  }
  return text.str();
}

Result<an::IndexSeries> LoadIndexFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text) {
    return Fail(text.error());
  }
  auto series = an::ParseIndexCsv(*text, path);
  if (!series) {
    Error error = series.error();
    error.code = ErrorCode::kInvalidData;
    return Fail(error);
  }
  return series;
}

std::string IndexFolder() {
  return DataDirectory() + "/national-index";
}

// The shipped index files, sorted by name.
std::vector<std::filesystem::path> ShippedIndexes() {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  const std::string folder = IndexFolder();
  if (!std::filesystem::is_directory(folder, error)) {
    return files;
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.is_regular_file(error) && ToLowerAscii(entry.path().extension().string()) == ".csv") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::string> ShippedIndexPath(const std::string& name) {
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
      name.find("..") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "index '" + name + "' is not the name of a shipped index (a file name, not a path)",
                "index");
  }
  const std::string stem = name.ends_with(".csv") ? name.substr(0, name.size() - 4) : name;
  std::string names;
  for (const auto& path : ShippedIndexes()) {
    if (path.stem().string() == stem) {
      return path.string();
    }
    names += (names.empty() ? "" : ", ") + path.stem().string();
  }
  return Fail(ErrorCode::kNotFound,
              "no shipped national index named '" + name + "' (expected gdelt" +
                  (names.empty() ? std::string() : ", " + names) + ")",
              "index");
}

// The label of a stored period in the form PeriodOfLabel reads at its own granularity.
std::string StoredLabel(const storage::BarometerPairRow& row) {
  const std::string& start = row.period_start;  // YYYY-MM-DD
  if (start.size() < 10) {
    return start;
  }
  if (row.granularity == "year") {
    return start.substr(0, 4);
  }
  if (row.granularity == "quarter") {
    const int month = std::atoi(start.substr(5, 2).c_str());
    return start.substr(0, 4) + "-Q" + std::to_string((month - 1) / 3 + 1);
  }
  if (row.granularity == "month") {
    return start.substr(0, 7);
  }
  return start.substr(0, 10);
}

an::PairAggregate ToAggregate(const storage::BarometerPairRow& row) {
  an::PairAggregate aggregate;
  aggregate.period = StoredLabel(row);
  aggregate.city_level = row.kind == "city";
  aggregate.actor1 = row.actor1;
  aggregate.actor2 = row.actor2;
  aggregate.events = static_cast<double>(row.sums.events);
  aggregate.goldstein_sum = row.sums.goldstein_sum;
  aggregate.tone_sum = row.sums.tone_sum;
  aggregate.cooperation_events = static_cast<double>(row.sums.quad[0] + row.sums.quad[1]);
  return aggregate;
}

// Where the GDELT barometer is read: the warehouse when the request names one, else the
// barometer tables of the database.
struct GdeltSource {
  std::string db;
  std::string warehouse;
  std::string warehouse_table;

  static GdeltSource Of(const AnalysisRequest& request) {
    return GdeltSource{request.db, request.warehouse, request.warehouse_table};
  }
  [[nodiscard]] bool warehoused() const { return !warehouse.empty(); }
};

// The period the warehouse sums by for the analyses: month, the finest analysis period and the
// local ingest's default, so that the analyses get the very rows (and evidence keys) they get
// from tables ingested by default; coarser periods add them up in the analysis.
constexpr const char* kWarehouseAnalysisPeriod = "month";

// The GDELT rows between two actors (both directions) at one level; empty when the database (SQLite
// or PostgreSQL) has no barometer tables. From a warehouse, the
// rows are summed there by month, and every shard must answer.
Result<std::vector<an::PairAggregate>> ReadGdeltPairs(const GdeltSource& source,
                                                      const std::string& kind,
                                                      const std::string& a,
                                                      const std::string& b) {
  std::vector<an::PairAggregate> rows;
  if (a.empty() || b.empty()) {
    return rows;
  }
  std::unique_ptr<storage::BarometerStore> store;
  std::unique_ptr<storage::EventWarehouse> warehouse;
  if (source.warehoused()) {
    auto opened = OpenEventWarehouse(source.warehouse, source.warehouse_table);
    if (!opened) {
      return Fail(opened.error());
    }
    warehouse = std::move(*opened);
  } else {
    if (source.db.empty()) {
      return rows;
    }
    auto opened = OpenBarometerStore(source.db);
    if (!opened) {
      return Fail(opened.error());
    }
    store = std::move(*opened);
  }
  for (const auto& [actor1, actor2] : {std::pair{a, b}, std::pair{b, a}}) {
    storage::PairQuery query;
    query.kind = kind;
    query.actor1 = actor1;
    query.actor2 = actor2;
    auto pairs = warehouse ? warehouse->QueryPairs(query, kWarehouseAnalysisPeriod)
                           : store->QueryPairs(query);
    if (!pairs) {
      return Fail(pairs.error());
    }
    for (const auto& row : *pairs) {
      rows.push_back(ToAggregate(row));
    }
  }
  return rows;
}

struct LoadedIndex {
  an::IndexSeries series;
  std::string description;  // "" without an index
};

// The index the request names, else the GDELT tables' when they hold the pair, else none.
Result<LoadedIndex> LoadNationalIndex(const AnalysisRequest& request,
                                      const std::string& home_country,
                                      const std::string& partner_country,
                                      an::Granularity period) {
  if (!request.index_file.empty() && !request.index_name.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "give the national index as a file or a name, not both", "index");
  }
  auto metric = an::ParseGdeltMetric(request.metric.empty() ? "goldstein_mean" : request.metric);
  if (!metric) {
    return Fail(metric.error().code, metric.error().message, "metric");
  }
  LoadedIndex loaded;
  std::string path = request.index_file;
  if (!request.index_name.empty() && request.index_name != "gdelt") {
    auto shipped = ShippedIndexPath(request.index_name);
    if (!shipped) {
      return Fail(shipped.error());
    }
    path = *shipped;
  }
  if (!path.empty()) {
    auto series = LoadIndexFile(path);
    if (!series) {
      return Fail(series.error());
    }
    loaded.series = std::move(*series);
    loaded.description = path;
    return loaded;
  }
  const bool gdelt_required = request.index_name == "gdelt";
  if (home_country.empty() || partner_country.empty()) {
    if (gdelt_required) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the GDELT index needs a partner country (give --partner a city or a country)",
                  "partner");
    }
    return loaded;
  }
  const GdeltSource source = GdeltSource::Of(request);
  auto rows = ReadGdeltPairs(source, "country", home_country, partner_country);
  if (!rows) {
    // A warehouse the user named must answer: an unreachable shard is never "no index".
    if (gdelt_required || source.warehoused()) {
      return Fail(rows.error());
    }
    return loaded;  // the GDELT tables are an optional source
  }
  if (rows->empty()) {
    if (gdelt_required) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "no GDELT rows for " + home_country + "–" + partner_country +
                      (source.warehoused() ? " in the warehouse" : " in the database") +
                      " (ingest GDELT files with `citydip gdelt ingest`)",
                  "index");
    }
    return loaded;
  }
  auto series = an::NationalIndexFromGdelt(*rows, home_country, partner_country, *metric, period);
  if (!series) {
    return Fail(series.error());
  }
  loaded.series = std::move(*series);
  loaded.description = "GDELT " + home_country + "–" + partner_country + " " +
                       std::string(an::GdeltMetricName(*metric)) +
                       (source.warehoused() ? " (warehouse)" : " (barometer tables)");
  return loaded;
}

Error NoIndexError(const std::string& home_country, const std::string& partner_country) {
  const std::string pair = home_country.empty() || partner_country.empty()
                               ? std::string("the two countries")
                               : home_country + "–" + partner_country;
  return Error{ErrorCode::kFailedPrecondition,
               "no national index: pass --index FILE (a period,value CSV, e.g. "
               "data/national-index/china-kor-friction-goldstein-monthly.csv) or ingest GDELT "
               "data for " +
                   pair + " (`citydip gdelt ingest`)",
               "index"};
}

// ---------------------------------------------------------------------------------------------
// Running

struct Prepared {
  City home;
  an::Scope scope;
  Registry registry;
  std::string partner_country;  // the partner's country ("" for any partner)
};

Result<Prepared> Prepare(storage::Store& store, const AnalysisRequest& request) {
  if (Trim(request.home).empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the home city is missing (expected a city name, e.g. Seoul: --home, or ?home= on "
                "the server)",
                "home");
  }
  Prepared prepared;
  auto home = ResolveCity(store, std::string(Trim(request.home)));
  if (!home) {
    Error error = home.error();
    error.where = "home";
    return Fail(error);
  }
  prepared.home = *home;
  auto partner = ResolvePartner(store, request.partner);
  if (!partner) {
    return Fail(partner.error());
  }
  auto from = ParseDateOption(request.from, "from");
  if (!from) {
    return Fail(from.error());
  }
  auto to = ParseDateOption(request.to, "to");
  if (!to) {
    return Fail(to.error());
  }
  auto period = an::ParseGranularity(request.period.empty() ? "year" : request.period);
  if (!period) {
    return Fail(period.error().code, period.error().message, "period");
  }
  prepared.scope.home = home->Ref();
  prepared.scope.partner = *partner;
  prepared.scope.range = {*from, *to};
  prepared.scope.period = *period;
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  prepared.registry = std::move(*registry);
  if (partner->city) {
    prepared.partner_country = an::CityDirectory(prepared.registry).CountryOf(*partner->city);
  } else {
    prepared.partner_country = partner->country;
  }
  if (auto valid = an::ValidateScope(prepared.registry, prepared.scope); !valid) {
    return Fail(valid.error());
  }
  return prepared;
}

template <typename T>
Result<AnalysisValue> Wrap(Result<T> result) {
  if (!result) {
    return Fail(result.error());
  }
  return AnalysisValue(std::move(*result));
}

Result<AnalysisValue> RunVisits(const Prepared& prepared, const AnalysisRequest& request) {
  an::VisitsOptions options;
  options.scope = prepared.scope;
  if (!request.office.empty()) {
    options.office = request.office;
  }
  options.exclude_acting = request.exclude_acting;
  if (request.trip_gap_days) {
    options.trip_gap_days = *request.trip_gap_days;
  }
  return Wrap(an::AnalyzeVisits(prepared.registry, options));
}

Result<AnalysisValue> RunPhases(const Prepared& prepared, const AnalysisRequest& request) {
  an::PhasesOptions options;
  options.scope = prepared.scope;
  if (request.method == "binseg" || request.method == "binary") {
    options.method = an::stats::ChangePointMethod::kBinarySegmentation;
  } else if (!request.method.empty() && request.method != "pelt") {
    return Fail(ErrorCode::kInvalidArgument,
                "method '" + request.method + "' is not valid (expected pelt or binseg)", "method");
  }
  options.penalty = request.penalty;
  if (request.min_segment_years) {
    options.min_segment_years = *request.min_segment_years;
  }
  return Wrap(an::AnalyzePhases(prepared.registry, options));
}

bool SameName(std::string_view a, std::string_view b) {
  return ToLowerAscii(Trim(a)) == ToLowerAscii(Trim(b));
}

Result<AnalysisValue> RunInstitutionalization(const Prepared& prepared,
                                              const AnalysisRequest& request) {
  an::InstitutionalizationOptions options;
  options.scope = prepared.scope;
  if (!request.office.empty()) {
    options.office = request.office;
  }
  if (!request.break_date.empty()) {
    auto date = ParseDateOption(request.break_date, "break");
    if (!date) {
      return Fail(date.error());
    }
    options.break_date = *date;
  }
  const Mechanism* chosen = nullptr;
  if (!request.mechanism.empty()) {
    std::string names;
    for (const auto& mechanism : prepared.registry.mechanisms) {
      if (SameName(mechanism.name_en, request.mechanism) ||
          (!mechanism.name_ko.empty() && Trim(mechanism.name_ko) == Trim(request.mechanism))) {
        chosen = &mechanism;
        break;
      }
      names += (names.empty() ? "" : "; ") + mechanism.name_en;
    }
    if (chosen == nullptr) {
      return Fail(ErrorCode::kNotFound,
                  "no mechanism named '" + request.mechanism + "' (expected one of: " +
                      (names.empty() ? std::string("none recorded") : names) + ")",
                  "mechanism");
    }
    if (!options.break_date) {
      if (chosen->founded.empty()) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "mechanism '" + chosen->name_en + "' has no founding date; give --break DATE",
                    "mechanism");
      }
      options.break_date = chosen->founded;
    }
  }
  auto result = an::AnalyzeInstitutionalization(prepared.registry, options);
  if (!result) {
    return Fail(result.error());
  }
  if (chosen != nullptr) {
    std::erase_if(result->mechanisms, [&](const an::MechanismReport& report) {
      return !SameName(report.name, chosen->name_en);
    });
    if (result->its && request.break_date.empty()) {
      result->its->basis =
          "founding of " + chosen->name_en + " (" + chosen->founded.ToString() + ")";
    }
  }
  return AnalysisValue(std::move(*result));
}

Result<AnalysisValue> RunBarometer(const Prepared& prepared,
                                   const AnalysisRequest& request,
                                   const LoadedIndex& index) {
  if (index.series.empty()) {
    return Fail(NoIndexError(prepared.home.country, prepared.partner_country));
  }
  an::BarometerOptions options;
  options.scope = prepared.scope;
  auto weights = ParseWeights(request.weights);
  if (!weights) {
    return Fail(weights.error());
  }
  options.type_weights = std::move(*weights);
  options.max_lag = request.max_lag;
  options.rolling_window = request.rolling_window;
  options.difference = request.difference;
  options.index_name = index.description;
  auto result = an::AnalyzeBarometer(prepared.registry, index.series, options);
  if (!result) {
    Error error = result.error();
    if (error.where.empty()) {
      error.where = index.description;
    }
    return Fail(error);
  }
  return AnalysisValue(std::move(*result));
}

Result<AnalysisValue> RunShocks(const Prepared& prepared,
                                const AnalysisRequest& request,
                                const LoadedIndex& index) {
  an::ShocksOptions options;
  options.scope = prepared.scope;
  options.builtin = !request.no_builtin;
  for (const auto& text : request.episodes) {
    auto episode = ParseEpisode(text);
    if (!episode) {
      return Fail(episode.error());
    }
    options.episodes.push_back(std::move(*episode));
  }
  if (request.detect) {
    if (index.series.empty()) {
      return Fail(NoIndexError(prepared.home.country, prepared.partner_country));
    }
    an::ShockDetection detection;
    if (request.k_sigma) {
      detection.k_sigma = *request.k_sigma;
    }
    if (request.min_periods) {
      detection.min_periods = *request.min_periods;
    }
    detection.below = !request.detect_above;
    options.detect = detection;
  }
  options.baseline_periods = request.baseline_periods;
  if (!options.builtin && options.episodes.empty() && !options.detect) {
    return Fail(ErrorCode::kInvalidArgument,
                "no episodes: --no-builtin needs --episode NAME=FROM..TO or --detect", "episode");
  }
  return Wrap(an::AnalyzeShocks(prepared.registry, index.series, options));
}

std::string CityId(const std::string& given, const std::string& name) {
  if (!given.empty()) {
    return ToLowerAscii(Trim(given));
  }
  return ToLowerAscii(name);
}

Result<AnalysisValue> RunImage(const Prepared& prepared, const AnalysisRequest& request) {
  if (prepared.partner_country.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "image needs a partner country (give --partner a city or a country, e.g. CHN)",
                "partner");
  }
  an::ImageOptions options;
  options.home_country = prepared.home.country;
  options.partner_country = prepared.partner_country;
  options.period = prepared.scope.period;
  options.range = prepared.scope.range;
  const GdeltSource source = GdeltSource::Of(request);
  auto rows = ReadGdeltPairs(source, "country", options.home_country, options.partner_country);
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "no GDELT rows for " + options.home_country + "–" + options.partner_country +
                    " in the database (image reads the GDELT barometer tables: ingest GDELT "
                    "files with `citydip gdelt ingest`)",
                request.db);
  }
  options.home_city = CityId(request.home_city_id, prepared.home.name_en);
  if (prepared.scope.partner.city || !request.partner_city_id.empty()) {
    options.partner_city =
        CityId(request.partner_city_id,
               prepared.scope.partner.city ? prepared.scope.partner.city->name : std::string());
    auto cities = ReadGdeltPairs(source, "city", options.home_city, options.partner_city);
    if (!cities) {
      return Fail(cities.error());
    }
    rows->insert(rows->end(), cities->begin(), cities->end());
  } else {
    options.home_city.clear();
  }
  return Wrap(an::AnalyzeImage(*rows, options));
}

bool NeedsIndex(std::string_view name) {
  return name == "barometer" || name == "shocks";
}

Result<AnalysisReport> RunPrepared(const Prepared& prepared,
                                   const AnalysisRequest& request,
                                   const LoadedIndex* index) {
  AnalysisReport report;
  report.name = request.name;
  report.home = prepared.home;
  report.partner = prepared.scope.partner.Label();
  report.from = prepared.scope.range.from.ToString();
  report.to = prepared.scope.range.to.ToString();
  report.period = std::string(an::GranularityName(prepared.scope.period));
  Result<AnalysisValue> value = Fail(ErrorCode::kInternal, "analysis not run");
  const std::string& name = request.name;
  if (name == "visits") {
    value = RunVisits(prepared, request);
  } else if (name == "phases") {
    value = RunPhases(prepared, request);
    report.period = "year";
  } else if (name == "institutionalization") {
    value = RunInstitutionalization(prepared, request);
  } else if (name == "barometer" || name == "shocks") {
    LoadedIndex own;
    if (index == nullptr) {
      auto loaded = LoadNationalIndex(request, prepared.home.country, prepared.partner_country,
                                      prepared.scope.period);
      if (!loaded) {
        return Fail(loaded.error());
      }
      own = std::move(*loaded);
      index = &own;
    }
    report.index = index->description;
    value = name == "barometer" ? RunBarometer(prepared, request, *index)
                                : RunShocks(prepared, request, *index);
  } else if (name == "frameworks" || name == "agenda" || name == "governance" ||
             name == "modality") {
    value = Wrap(an::AnalyzeFrameworks(prepared.registry, prepared.scope));
  } else if (name == "image") {
    value = RunImage(prepared, request);
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown analysis '" + name + "' (expected " + NameList() + ")", "name");
  }
  if (!value) {
    return Fail(value.error());
  }
  report.value = std::move(*value);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Headlines

std::string Fixed(double value, int digits) {
  if (!std::isfinite(value)) {
    return "n/a";
  }
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

std::string Percent(double share) {
  return std::isfinite(share) ? Fixed(100.0 * share, 1) + "%" : std::string("n/a");
}

std::string Signed(double value, int digits) {
  return std::isfinite(value) && value >= 0.0 ? "+" + Fixed(value, digits) : Fixed(value, digits);
}

std::string BreakdownShares(const an::Breakdown& breakdown, std::size_t top) {
  double total = 0.0;
  for (double value : breakdown.totals) {
    total += value;
  }
  if (total <= 0.0) {
    return "no events";
  }
  std::vector<std::size_t> order(breakdown.totals.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return breakdown.totals[a] > breakdown.totals[b];
  });
  std::string out;
  for (std::size_t i = 0; i < order.size() && i < top; ++i) {
    if (breakdown.totals[order[i]] <= 0.0) {
      break;
    }
    out += (out.empty() ? "" : ", ") + breakdown.categories[order[i]] + " " +
           Percent(breakdown.totals[order[i]] / total);
  }
  return out;
}

double TotalOf(const an::Breakdown& breakdown, std::string_view category) {
  for (std::size_t i = 0; i < breakdown.categories.size(); ++i) {
    if (breakdown.categories[i] == category) {
      return breakdown.totals[i];
    }
  }
  return 0.0;
}

std::string VisitsHeadline(const an::VisitsResult& r) {
  if (r.officials == 0) {
    return "no officials in office in the range";
  }
  return std::to_string(r.visited) + " of " + std::to_string(r.officials) + " officials visited (" +
         Percent(r.rate_confirmed) + " confirmed; bounds " + Percent(r.rate_lower) + "–" +
         Percent(r.rate_upper) + "), " + std::to_string(r.unknown) + " unknown, " +
         std::to_string(r.not_visited) + " sourced no";
}

std::string PhasesHeadline(const an::PhasesResult& r) {
  std::string out;
  for (const auto& span : r.phases) {
    out += (out.empty() ? "" : "; ") + std::string(an::PhaseName(span.phase)) + " " +
           std::to_string(span.from) + "–" + std::to_string(span.to) + (span.weak ? " (weak)" : "");
  }
  return std::to_string(r.phases.size()) + (r.phases.size() == 1 ? " phase: " : " phases: ") + out;
}

std::string InstitutionalizationHeadline(const an::InstitutionalizationResult& r) {
  int held = 0;
  for (const auto& mechanism : r.mechanisms) {
    held += mechanism.held;
  }
  std::string out = std::to_string(r.mechanisms.size()) +
                    (r.mechanisms.size() == 1 ? " mechanism, " : " mechanisms, ") +
                    std::to_string(held) + " held sessions";
  if (!r.its) {
    return out + "; no break for the time series";
  }
  if (!r.its->fit) {
    return out + "; ITS unavailable: " + r.its->unavailable;
  }
  const auto& level = r.its->fit->level_change;
  const auto& slope = r.its->fit->slope_change;
  return out + "; ITS at " + r.its->break_period + ": level " + Signed(level.value, 2) + " [" +
         Fixed(level.ci_low, 2) + ", " + Fixed(level.ci_high, 2) + "], slope " +
         Signed(slope.value, 2) + " [" + Fixed(slope.ci_low, 2) + ", " + Fixed(slope.ci_high, 2) +
         "] per period";
}

std::string GrangerP(const an::GrangerDirection& direction) {
  return direction.result ? Fixed(direction.result->test.p_value, 3) : std::string("n/a");
}

std::string BarometerHeadline(const an::BarometerResult& r) {
  return std::string(an::VerdictName(r.verdict)) + ": best lag " + std::to_string(r.ccf.best.lag) +
         " (r = " + Fixed(r.ccf.best.correlation, 2) + ", " + std::to_string(r.periods.size()) +
         " " + std::string(an::GranularityName(r.granularity)) + "s); Granger p national→city " +
         GrangerP(r.national_to_city) + ", city→national " + GrangerP(r.city_to_national);
}

std::string ShocksHeadline(const an::ShocksResult& r) {
  std::string out;
  for (const auto& e : r.episodes) {
    std::string line = e.episode.name + ": ";
    if (!e.unavailable.empty()) {
      line += "outside the data";
    } else {
      line += "drop " + Percent(e.depth) + ", recovery " +
              (e.recovery_periods ? std::to_string(*e.recovery_periods) + " " +
                                        std::string(an::GranularityName(r.granularity)) +
                                        (*e.recovery_periods == 1 ? "" : "s")
                                  : std::string("not yet"));
      if (e.counterfactual) {
        line += ", insulation " + Fixed(e.counterfactual->insulation, 2);
      }
    }
    out += (out.empty() ? "" : "; ") + line;
  }
  return out.empty() ? std::string("no episodes") : out;
}

std::string FrameworksHeadline(const std::string& name, const an::FrameworksResult& r) {
  if (name == "agenda") {
    const double ps = TotalOf(r.purposes, "problem_solving");
    const double rb = TotalOf(r.purposes, "relationship_building");
    return "problem-solving / relationship-building " + (rb > 0.0 ? Fixed(ps / rb, 2) : "n/a") +
           "; topics " + BreakdownShares(r.topics, 3);
  }
  if (name == "governance") {
    double events = 0.0;
    for (double value : r.events) {
      events += value;
    }
    return "vertical " + Percent(events > 0 ? TotalOf(r.axes, "vertical") / events : kNaN) +
           ", horizontal " + Percent(events > 0 ? TotalOf(r.axes, "horizontal") / events : kNaN) +
           "; levels " + BreakdownShares(r.levels, 3);
  }
  if (name == "modality") {
    return BreakdownShares(r.modes, 3);
  }
  return BreakdownShares(r.frameworks, 3);
}

std::string ImageHeadline(const an::ImageResult& r) {
  const auto& c = r.countries;
  std::string out = "tone " + c.home + "→" + c.partner + " " + Fixed(c.home_to_partner.mean, 2) +
                    ", " + c.partner + "→" + c.home + " " + Fixed(c.partner_to_home.mean, 2);
  if (c.asymmetry.mean) {
    out += ", asymmetry " + Signed(c.asymmetry.mean->value, 2) + " [" +
           Fixed(c.asymmetry.mean->ci_low, 2) + ", " + Fixed(c.asymmetry.mean->ci_high, 2) + "]";
  } else {
    out += ", asymmetry n/a (fewer than 3 periods with both directions)";
  }
  return out;
}

// Keeps only `section` of a frameworks JSON (and its period keys).
nlohmann::json Section(nlohmann::json json, const std::string& section) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* key : {"period", "periods", "events"}) {
    if (json.contains(key)) {
      out[key] = json[key];
    }
  }
  const std::string key = section == "modality" ? "modality" : section;
  out[key] = json.contains(key) ? json[key] : nlohmann::json();
  return out;
}

}  // namespace

const std::vector<std::string>& AnalysisNames() {
  static const std::vector<std::string> names = {
      "visits",     "phases", "institutionalization", "barometer", "shocks",
      "frameworks", "agenda", "governance",           "modality",  "image"};
  return names;
}

std::string_view AnalysisDescription(std::string_view name) {
  if (name == "visits") {
    return "which of the home city's officials visited the partner while in office; reciprocity "
           "and gaps";
  }
  if (name == "phases") {
    return "exchange & cooperation, institutionalization, city diplomacy: yearly change points";
  }
  if (name == "institutionalization") {
    return "standing mechanisms (sessions, regularity, continuity) and an interrupted time series";
  }
  if (name == "barometer") {
    return "city activity against a national relations index: lead/lag, Granger, verdict";
  }
  if (name == "shocks") {
    return "activity drops during THAAD, COVID-19 or other episodes; recovery; insulation";
  }
  if (name == "frameworks") {
    return "bilateral, multilateral, bilateral-within-multilateral shares (and the sections below)";
  }
  if (name == "agenda") {
    return "topic mix and problem-solving vs relationship-building events";
  }
  if (name == "governance") {
    return "levels taking part; vertical (central-local) and horizontal shares";
  }
  if (name == "modality") {
    return "offline, online and blended events";
  }
  if (name == "image") {
    return "GDELT media tone in both directions and its asymmetry";
  }
  if (name == "summary") {
    return "every analysis, one line each";
  }
  return "";
}

Result<AnalysisReport> RunAnalysis(storage::Store& store, const AnalysisRequest& request) {
  if (!KnownName(request.name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown analysis '" + request.name + "' (expected " + NameList() + ")", "name");
  }
  auto prepared = Prepare(store, request);
  if (!prepared) {
    return Fail(prepared.error());
  }
  return RunPrepared(*prepared, request, nullptr);
}

nlohmann::json ToJson(const AnalysisReport& report) {
  nlohmann::json json =
      std::visit([](const auto& value) { return an::ToJson(value); }, report.value);
  if (report.name == "agenda" || report.name == "governance" || report.name == "modality") {
    json = Section(std::move(json), report.name);
  }
  json["analysis"] = report.name;
  json["scope"] = {
      {"home", {{"name", report.home.name_en}, {"country", report.home.country}}},
      {"partner", report.partner},
      {"from", report.from.empty() ? nlohmann::json() : nlohmann::json(report.from)},
      {"to", report.to.empty() ? nlohmann::json() : nlohmann::json(report.to)},
      {"period", report.period},
      {"index", report.index.empty() ? nlohmann::json() : nlohmann::json(report.index)}};
  return json;
}

std::string Headline(const AnalysisReport& report) {
  return std::visit(
      [&](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, an::VisitsResult>) {
          return VisitsHeadline(value);
        } else if constexpr (std::is_same_v<T, an::PhasesResult>) {
          return PhasesHeadline(value);
        } else if constexpr (std::is_same_v<T, an::InstitutionalizationResult>) {
          return InstitutionalizationHeadline(value);
        } else if constexpr (std::is_same_v<T, an::BarometerResult>) {
          return BarometerHeadline(value);
        } else if constexpr (std::is_same_v<T, an::ShocksResult>) {
          return ShocksHeadline(value);
        } else if constexpr (std::is_same_v<T, an::FrameworksResult>) {
          return FrameworksHeadline(report.name, value);
        } else {
          return ImageHeadline(value);
        }
      },
      report.value);
}

Result<AnalysisSummary> SummarizeAnalyses(storage::Store& store, const AnalysisRequest& request) {
  auto prepared = Prepare(store, request);
  if (!prepared) {
    return Fail(prepared.error());
  }
  AnalysisSummary summary;
  summary.home = prepared->home;
  summary.partner = prepared->scope.partner.Label();
  // One index for the barometer and the shocks (read once).
  auto index = LoadNationalIndex(request, prepared->home.country, prepared->partner_country,
                                 prepared->scope.period);
  if (!index) {
    return Fail(index.error());
  }
  summary.index = index->description;
  for (const auto& name : AnalysisNames()) {
    AnalysisRequest one = request;
    one.name = name;
    auto report = RunPrepared(*prepared, one, NeedsIndex(name) ? &*index : nullptr);
    AnalysisHeadline line;
    line.name = name;
    line.ok = report.has_value();
    line.headline = report ? Headline(*report) : report.error().message;
    summary.lines.push_back(std::move(line));
  }
  return summary;
}

nlohmann::json ToJson(const AnalysisSummary& summary) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : summary.lines) {
    lines.push_back({{"name", line.name}, {"ok", line.ok}, {"headline", line.headline}});
  }
  return {{"analysis", "summary"},
          {"home", {{"name", summary.home.name_en}, {"country", summary.home.country}}},
          {"partner", summary.partner},
          {"index", summary.index.empty() ? nlohmann::json() : nlohmann::json(summary.index)},
          {"analyses", lines}};
}

// ---------------------------------------------------------------------------------------------
// What the analyses can run on

namespace {

IndexSource DescribeIndex(std::string name, const Result<an::IndexSeries>& series) {
  IndexSource source;
  source.name = std::move(name);
  if (!series) {
    source.note = series.error().ToString();
    return source;
  }
  source.periods = series->size();
  if (series->empty()) {
    source.note = "no periods";
    return source;
  }
  source.first = series->front().first;
  source.last = series->back().first;
  auto first = an::Period::Parse(source.first);
  if (!first) {
    source.note = first.error().message;
    return source;
  }
  source.granularity = std::string(an::GranularityName(first->granularity));
  auto aligned = an::AlignIndex(*series, first->granularity);
  if (!aligned) {
    source.note = aligned.error().message;
  } else if (aligned->values.size() < kMinIndexPeriods) {
    source.note = "only " + std::to_string(aligned->values.size()) + " " + source.granularity +
                  (aligned->values.size() == 1 ? "" : "s") + " (the barometer needs at least " +
                  std::to_string(kMinIndexPeriods) + ")";
  } else {
    source.usable = true;
  }
  return source;
}

template <typename Map>
std::string MostCommon(const Map& counts) {
  std::string best;
  std::int64_t most = 0;
  for (const auto& [key, count] : counts) {
    if (count > most) {
      best = key;
      most = count;
    }
  }
  return best;
}

}  // namespace

Result<AnalysisCatalog> DescribeAnalysisInputs(storage::Store& store,
                                               const std::string& db,
                                               const std::string& warehouse,
                                               const std::string& warehouse_table) {
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  AnalysisCatalog catalog;
  std::map<std::pair<std::string, std::string>, std::int64_t> homes;
  std::map<std::string, std::int64_t> home_countries;
  std::map<std::string, std::int64_t> partner_countries;
  const an::CityDirectory directory(*registry);
  for (const auto& event : registry->events) {
    const std::string country = directory.CountryOf(event.home_city);
    ++homes[{event.home_city.name, country}];
    ++home_countries[country];
    for (const auto& partner : event.partner_cities) {
      const std::string partner_country = directory.CountryOf(partner);
      if (partner_country != country) {
        ++partner_countries[partner_country];
      }
    }
  }
  for (const auto& [key, count] : homes) {
    catalog.home_cities.push_back({CityRef{key.first, key.second}, count});
  }
  std::stable_sort(catalog.home_cities.begin(), catalog.home_cities.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& path : ShippedIndexes()) {
    catalog.indexes.push_back(DescribeIndex(path.stem().string(), LoadIndexFile(path.string())));
  }
  const std::string home = MostCommon(home_countries);
  const std::string partner = MostCommon(partner_countries);
  if (!home.empty() && !partner.empty() && (!db.empty() || !warehouse.empty())) {
    auto rows =
        ReadGdeltPairs(GdeltSource{db, warehouse, warehouse_table}, "country", home, partner);
    if (!rows && !warehouse.empty()) {
      // A warehouse that does not answer is said, not hidden (the analyses would fail too).
      IndexSource source = DescribeIndex("gdelt", Fail(rows.error()));
      source.note = home + "–" + partner + ": " + source.note;
      catalog.indexes.push_back(std::move(source));
    } else if (rows && !rows->empty()) {
      // The monthly series when the tables allow it, else the yearly one.
      auto series = an::NationalIndexFromGdelt(
          *rows, home, partner, an::GdeltMetric::kGoldsteinMean, an::Granularity::kMonth);
      if (!series) {
        series = an::NationalIndexFromGdelt(*rows, home, partner, an::GdeltMetric::kGoldsteinMean,
                                            an::Granularity::kYear);
      }
      IndexSource source = DescribeIndex("gdelt", series);
      source.note = home + "–" + partner + (source.note.empty() ? "" : ": " + source.note);
      catalog.indexes.push_back(std::move(source));
    }
  }
  return catalog;
}

nlohmann::json ToJson(const AnalysisCatalog& catalog) {
  nlohmann::json analyses = nlohmann::json::array();
  for (const auto& name : AnalysisNames()) {
    analyses.push_back({{"name", name}, {"description", AnalysisDescription(name)}});
  }
  nlohmann::json homes = nlohmann::json::array();
  for (const auto& [city, events] : catalog.home_cities) {
    homes.push_back({{"name", city.name}, {"country", city.country}, {"events", events}});
  }
  nlohmann::json indexes = nlohmann::json::array();
  for (const auto& source : catalog.indexes) {
    indexes.push_back({{"name", source.name},
                       {"granularity", source.granularity},
                       {"first", source.first},
                       {"last", source.last},
                       {"periods", source.periods},
                       {"usable", source.usable},
                       {"note", source.note}});
  }
  return {{"analyses", analyses}, {"home_cities", homes}, {"indexes", indexes}};
}

}  // namespace citydip::app
