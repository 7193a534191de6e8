#include "citydip/ingest/twinning.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "citydip/core/text.h"

namespace citydip::ingest {
namespace {

enum Column : std::size_t {
  kOriginCity,
  kOriginCountry,
  kOriginLat,
  kOriginLon,
  kOriginPopulation,
  kSisterCity,
  kSisterLat,
  kSisterLon,
  kSisterPopulation,
  kSisterCountry,
  kDistance,
  kEu,
  kColumnCount,
};

// Wikidata's English country labels (as of the 2017 snapshot) that a table of ISO names may not
// carry, with their ISO 3166-1 alpha-3 codes. XKX (Kosovo) is the user-assigned code the
// European Commission and the IMF use; ISO 3166-1 has none.
const std::map<std::string, std::string, std::less<>>& WikidataCountryLabels() {
  static const std::map<std::string, std::string, std::less<>> labels = {
      {"Cape Verde", "CPV"},
      {"Curaçao", "CUW"},
      {"Czech Republic", "CZE"},
      {"Democratic Republic of the Congo", "COD"},
      {"East Timor", "TLS"},
      {"Falkland Islands", "FLK"},
      {"Faroe Islands", "FRO"},
      {"Gaza Strip", "PSE"},
      {"Ivory Coast", "CIV"},
      {"Kingdom of the Netherlands", "NLD"},
      {"Kosovo", "XKX"},
      {"North Korea", "PRK"},
      {"Palestine", "PSE"},
      {"Palestinian National Authority", "PSE"},
      {"Palestinian territories", "PSE"},
      {"People's Republic of China", "CHN"},
      {"Republic of Macedonia", "MKD"},
      {"Republic of the Congo", "COG"},
      {"Russia", "RUS"},
      {"Sao Tomé and Príncipe", "STP"},
      {"South Korea", "KOR"},
      {"Swaziland", "SWZ"},
      {"Taiwan", "TWN"},
      {"Turkey", "TUR"},
      {"United States of America", "USA"},
      {"Western Sahara", "ESH"},
  };
  return labels;
}

// Wikidata "countries" of cities that are no current country: former states and unrecognized
// territories. Rows naming them are left out (and counted), not rejected.
const std::unordered_set<std::string>& FormerOrUnrecognized() {
  static const std::unordered_set<std::string> names = {
      "Austria-Hungary", "Austrian Empire", "Kingdom of Hungary", "Luhansk People's Republic",
      "Prussia",         "Somaliland",      "Transnistria"};
  return names;
}

// Wikidata's SPARQL service names an "unknown value" by a blank node such as "t430222130".
bool IsBlankNode(std::string_view text) {
  if (text.size() < 2 || text[0] != 't') {
    return false;
  }
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

// An item without an English label is named by its id ("Q12875763").
bool IsWikidataId(std::string_view text) {
  if (text.size() < 2 || text[0] != 'Q') {
    return false;
  }
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      cells.push_back(line.substr(start));
      return cells;
    }
    cells.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kRadians = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRadians;
  const double dlon = (lon2 - lon1) * kRadians;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRadians) * std::cos(lat2 * kRadians) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

// Rows farther apart than this name different places (homonyms).
constexpr double kHomonymKm = 25.0;

}  // namespace

struct TwinningReader::Index {
  std::unordered_map<std::string, std::size_t> cities;  // name + '\t' + country → city
  std::unordered_set<std::uint64_t> pairs;              // (min, max) city indices
  std::unordered_set<std::size_t> homonyms;             // cities counted in merged_homonyms
};

const std::vector<std::string>& TwinningColumns() {
  static const std::vector<std::string> columns = {"origincityLabel",
                                                   "origincountry",
                                                   "originlat",
                                                   "originlong",
                                                   "originpopulation",
                                                   "sistercityLabel",
                                                   "destinationlat",
                                                   "destinationlong",
                                                   "destinationpopulation",
                                                   "destination_countryLabel",
                                                   "dist",
                                                   "eu"};
  return columns;
}

bool LooksLikeTwinning(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") {
    content.remove_prefix(3);
  }
  std::string_view first = content.substr(0, content.find('\n'));
  if (!first.empty() && first.back() == '\r') {
    first.remove_suffix(1);
  }
  const auto cells = SplitTabs(first);
  const auto& columns = TwinningColumns();
  if (cells.size() != columns.size()) {
    return false;
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i] != columns[i]) {
      return false;
    }
  }
  return true;
}

TwinningReader::TwinningReader(TwinningOptions options)
    : options_(std::move(options)), index_(std::make_shared<Index>()) {}

TwinningData TwinningReader::Take() {
  TwinningData out = std::move(data_);
  data_ = TwinningData();
  index_ = std::make_shared<Index>();
  return out;
}

void TwinningReader::AddError(std::string_view path,
                              std::size_t line,
                              std::size_t column,
                              std::string message) {
  ++data_.error_count;
  if (data_.diagnostics.size() < options_.max_errors) {
    Diagnostic diagnostic;
    diagnostic.file = std::string(path);
    diagnostic.line = line;
    diagnostic.column = column;
    if (column > 0 && column <= kColumnCount) {
      diagnostic.column_name = TwinningColumns()[column - 1];
    }
    diagnostic.message = std::move(message);
    data_.diagnostics.push_back(std::move(diagnostic));
  }
}

Status TwinningReader::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::ifstream probe(path);
    return Fail(probe.good() ? ErrorCode::kUnavailable : ErrorCode::kNotFound,
                "cannot open '" + path + "' (expected a readable twinning TSV file)", path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kUnavailable, "cannot read '" + path + "'", path);
  }
  Read(path, buffer.str());
  return Ok();
}

void TwinningReader::Read(std::string_view path, std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") {
    content.remove_prefix(3);
  }
  std::size_t line = 0;
  std::size_t start = 0;
  bool header_seen = false;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) {
      end = content.size();
    }
    std::string_view text = content.substr(start, end - start);
    start = end + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
    if (!header_seen) {
      header_seen = true;
      if (!LooksLikeTwinning(text)) {
        std::string expected;
        for (const auto& column : TwinningColumns()) {
          expected += (expected.empty() ? "" : "<TAB>") + column;
        }
        AddError(path, line, 0,
                 "the header is not the twinning header (expected " + expected + ")");
        return;  // nothing else can be read reliably
      }
      continue;
    }
    if (Trim(text).empty()) {
      continue;
    }
    ReadRow(path, line, text);
  }
  if (!header_seen) {
    AddError(path, 1, 0, "the file is empty (expected the twinning header and rows)");
  }
}

std::size_t TwinningReader::AddCity(const std::string& name,
                                    const std::string& country,
                                    std::optional<double> lat,
                                    std::optional<double> lon,
                                    std::string_view path,
                                    std::size_t line) {
  const std::string key = name + '\t' + country;
  if (auto it = index_->cities.find(key); it != index_->cities.end()) {
    const City& city = data_.cities[it->second];
    if (lat && lon && city.lat && city.lon &&
        DistanceKm(*lat, *lon, *city.lat, *city.lon) > kHomonymKm &&
        index_->homonyms.insert(it->second).second) {
      ++data_.merged_homonyms;
    }
    return it->second;
  }
  City city;
  city.name_en = name;
  city.country = country;
  city.kind = CityKind::kCity;
  city.lat = lat;
  city.lon = lon;
  if (IsWikidataId(name)) {
    city.wikidata_id = name;
  }
  city.sources = options_.sources;
  index_->cities.emplace(key, data_.cities.size());
  data_.cities.push_back(std::move(city));
  data_.city_origins.push_back({std::string(path), line});
  return data_.cities.size() - 1;
}

void TwinningReader::ReadRow(std::string_view path, std::size_t line, std::string_view text) {
  ++data_.rows;
  if (auto bad = FindInvalidUtf8(text)) {
    const std::size_t column =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + *bad, '\t')) + 1;
    AddError(path, line, column,
             "invalid UTF-8 at byte " + std::to_string(*bad + 1) + " (expected UTF-8 text)");
    return;
  }
  const auto cells = SplitTabs(text);
  if (cells.size() != kColumnCount) {
    AddError(path, line, 0,
             "found " + std::to_string(cells.size()) +
                 " tab-separated columns (expected 12: the twinning header's columns)");
    return;
  }
  const std::size_t errors_before = data_.error_count;
  auto text_cell = [&](Column column, std::string_view what) {
    const std::string value(Trim(cells[column]));
    if (value.empty()) {
      AddError(path, line, column + 1, "missing " + std::string(what));
    }
    return value;
  };
  auto coordinate = [&](Column column, double limit) -> std::optional<double> {
    const std::string_view cell = Trim(cells[column]);
    if (cell.empty()) {
      return std::nullopt;
    }
    auto value = ParseNumber(cell);
    if (!value || std::abs(*value) > limit) {
      const std::string range = limit == 90 ? "-90..90" : "-180..180";
      AddError(
          path, line, column + 1,
          "'" + std::string(cell) + "' is not a coordinate (expected a number in " + range + ")");
      return std::nullopt;
    }
    return value;
  };
  auto non_negative = [&](Column column, std::string_view what) {
    const std::string_view cell = Trim(cells[column]);
    if (cell.empty()) {
      return;
    }
    auto value = ParseNumber(cell);
    if (!value || *value < 0) {
      AddError(path, line, column + 1,
               "'" + std::string(cell) + "' is not a " + std::string(what) +
                   " (expected a number of 0 or more, or nothing)");
    }
  };

  const std::string origin = text_cell(kOriginCity, "origin city name");
  const std::string origin_country_label = text_cell(kOriginCountry, "origin country");
  const auto origin_lat = coordinate(kOriginLat, 90);
  const auto origin_lon = coordinate(kOriginLon, 180);
  non_negative(kOriginPopulation, "population");
  const std::string sister = text_cell(kSisterCity, "sister city name");
  const auto sister_lat = coordinate(kSisterLat, 90);
  const auto sister_lon = coordinate(kSisterLon, 180);
  non_negative(kSisterPopulation, "population");
  const std::string sister_country_label = text_cell(kSisterCountry, "sister city country");
  non_negative(kDistance, "distance in km");
  const std::string_view eu = Trim(cells[kEu]);
  if (eu != "EU" && eu != "Non-EU") {
    AddError(path, line, kEu + 1,
             "'" + std::string(eu) + "' is not an EU flag (expected EU, Non-EU)");
  }
  if (data_.error_count != errors_before) {
    return;
  }

  // Countries: the resolver, then Wikidata's own labels; former states and unknown values are
  // left out with a note, anything else is an error.
  std::optional<std::string> skip_reason;
  auto country = [&](const std::string& label, Column column) -> std::optional<std::string> {
    if (auto code = options_.resolve_country(label)) {
      return code;
    }
    const auto& labels = WikidataCountryLabels();
    if (auto it = labels.find(label); it != labels.end()) {
      return it->second;
    }
    if (FormerOrUnrecognized().count(label) > 0) {
      skip_reason = "country '" + label + "' is a former state or an unrecognized territory";
      return std::nullopt;
    }
    if (IsBlankNode(label)) {
      skip_reason = "country '" + label + "' is a Wikidata unknown value";
      return std::nullopt;
    }
    AddError(path, line, column + 1,
             "unknown country '" + label +
                 "' (expected a country name such as 'Germany' or an ISO 3166-1 code)");
    return std::nullopt;
  };
  const auto origin_country = country(origin_country_label, kOriginCountry);
  const auto sister_country = country(sister_country_label, kSisterCountry);
  if (data_.error_count != errors_before) {
    return;
  }
  if (skip_reason) {
    ++data_.skipped_count;
    if (data_.skipped.size() < options_.max_errors) {
      data_.skipped.push_back(
          {std::string(path), line, 0, "", *skip_reason + "; the row is left out"});
    }
    return;
  }
  if (origin == sister && *origin_country == *sister_country) {
    ++data_.self_pairs;
    return;
  }
  const auto a = AddCity(origin, *origin_country, origin_lat, origin_lon, path, line);
  const auto b = AddCity(sister, *sister_country, sister_lat, sister_lon, path, line);
  const std::uint64_t key = (static_cast<std::uint64_t>(std::min(a, b)) << 32U) |
                            static_cast<std::uint64_t>(std::max(a, b));
  if (!index_->pairs.insert(key).second) {
    ++data_.duplicate_pairs;
    return;
  }
  PartnerRelation relation;
  relation.city_a = data_.cities[a].Ref();
  relation.city_b = data_.cities[b].Ref();
  relation.relation = RelationKind::kSister;
  relation.status = RelationStatus::kActive;
  relation.sources = options_.sources;
  data_.relations.push_back(std::move(relation));
  data_.relation_origins.push_back({std::string(path), line});
}

}  // namespace citydip::ingest
