#include "citydip/ingest/gdelt/city_dictionary.h"

#include <fstream>
#include <set>
#include <sstream>

#include "citydip/core/text.h"
#include "citydip/ingest/csv.h"

namespace citydip::ingest::gdelt {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool IsUpperCode(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

bool HasControl(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

// Checks one city; `where` is "PATH:LINE" or "city N".
Status ValidateCity(const CityActor& city, const std::string& where) {
  const auto bad = [&](std::string message) {
    return Fail(ErrorCode::kInvalidArgument, std::move(message), where);
  };
  if (city.id.empty()) {
    return bad("column 'id': empty (expected a lower-case key such as seoul)");
  }
  for (char c : city.id) {
    if (!IsIdChar(c)) {
      return bad("column 'id': '" + city.id +
                 "' is not a valid key (expected lower-case letters, digits, '_' or '-')");
    }
  }
  if (city.name_en.empty()) {
    return bad("column 'name_en': empty for city '" + city.id + "' (expected an English name)");
  }
  if (!city.country.empty() && (city.country.size() != 3 || !IsUpperCode(city.country))) {
    return bad("column 'country': '" + city.country +
               "' is not a country code (expected 3 upper-case letters such as KOR)");
  }
  if (city.actor_names.empty() && city.feature_ids.empty() && city.adm1_codes.empty()) {
    return bad("city '" + city.id +
               "' has no actor_names, feature_ids or adm1_codes (expected at least one)");
  }
  for (const auto& name : city.actor_names) {
    if (HasControl(name) || ToLowerAscii(name) == name) {
      return bad("column 'actor_names': '" + name +
                 "' is not a GDELT actor name (expected upper case, such as SEOUL)");
    }
  }
  for (const auto& feature : city.feature_ids) {
    if (HasControl(feature) || feature.find(' ') != std::string::npos) {
      return bad("column 'feature_ids': '" + feature +
                 "' is not a FeatureID (expected a GNS id such as -716583)");
    }
  }
  for (const auto& code : city.adm1_codes) {
    if (code.size() != 4 || !IsUpperCode(code)) {
      return bad("column 'adm1_codes': '" + code +
                 "' is not a FIPS ADM1 code (expected 4 characters such as KS11)");
    }
  }
  for (const auto& type : city.actor_types) {
    if (type.size() != 3 || !IsUpperCode(type)) {
      return bad("column 'actor_types': '" + type +
                 "' is not a CAMEO actor type (expected 3 upper-case letters such as GOV)");
    }
  }
  return Ok();
}

}  // namespace

std::size_t CityDictionary::Prefilter::Slot(std::string_view text) {
  const auto first = static_cast<unsigned char>(text.front());
  const auto last = static_cast<unsigned char>(text.back());
  return (first * 31U + last * 7U + text.size() * 131U) & 1023U;
}

void CityDictionary::Prefilter::Add(std::string_view text) {
  const std::size_t slot = Slot(text);
  bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
}

bool CityDictionary::Prefilter::MayContain(std::string_view text) const {
  if (text.empty()) {
    return false;
  }
  const std::size_t slot = Slot(text);
  return (bits[slot >> 6] >> (slot & 63)) & 1U;
}

Result<CityDictionary> CityDictionary::FromCities(std::vector<CityActor> cities) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < cities.size(); ++i) {
    const std::string where = "city " + std::to_string(i + 1);
    if (auto valid = ValidateCity(cities[i], where); !valid) {
      return Fail(valid.error());
    }
    if (!ids.insert(cities[i].id).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  "duplicate city id '" + cities[i].id + "' (expected each id once)", where);
    }
  }
  CityDictionary dictionary;
  dictionary.cities_ = std::move(cities);
  dictionary.BuildIndexes();
  return dictionary;
}

Result<CityDictionary> CityDictionary::Parse(std::string_view text, std::string_view path) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  // Comments become empty lines, which the CSV reader skips while keeping line numbers.
  std::string cleaned;
  cleaned.reserve(text.size());
  while (!text.empty()) {
    const std::size_t line_end = text.find('\n');
    const std::string_view line = text.substr(0, line_end);
    if (!line.starts_with('#')) {
      cleaned.append(line);
    }
    if (line_end == std::string_view::npos) {
      break;
    }
    cleaned += '\n';
    text.remove_prefix(line_end + 1);
  }
  const std::string file(path);
  if (const auto invalid = FindInvalidUtf8(cleaned)) {
    return Fail(ErrorCode::kInvalidArgument,
                "invalid UTF-8 at byte " + std::to_string(*invalid) + " (expected UTF-8 text)",
                file);
  }
  const CsvDocument document = ReadCsv(cleaned);
  if (!document.problems.empty()) {
    const CsvProblem& problem = document.problems.front();
    return Fail(ErrorCode::kInvalidArgument, problem.message,
                file + ":" + std::to_string(problem.line));
  }
  if (document.records.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no header (expected the columns id,name_en,name_ko,country,actor_names,"
                "feature_ids,adm1_codes,actor_types,note)",
                file);
  }
  // Map header names to positions; every column must be present.
  const CsvRecord& header = document.records.front();
  std::array<int, kColumns.size()> position{};
  position.fill(-1);
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      if (header.fields[i].value == kColumns[c]) {
        position[c] = static_cast<int>(i);
      }
    }
  }
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    if (position[c] < 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "missing column '" + std::string(kColumns[c]) +
                      "' in the header (expected id,name_en,name_ko,country,actor_names,"
                      "feature_ids,adm1_codes,actor_types,note)",
                  file + ":" + std::to_string(header.line));
    }
  }
  std::vector<CityActor> cities;
  std::set<std::string> ids;
  for (std::size_t r = 1; r < document.records.size(); ++r) {
    const CsvRecord& record = document.records[r];
    const auto cell = [&](std::size_t column) -> std::string {
      const auto index = static_cast<std::size_t>(position[column]);
      return index < record.fields.size() ? std::string(Trim(record.fields[index].value))
                                          : std::string();
    };
    CityActor city;
    city.id = cell(0);
    city.name_en = cell(1);
    city.name_ko = cell(2);
    city.country = cell(3);
    city.actor_names = SplitList(cell(4));
    city.feature_ids = SplitList(cell(5));
    city.adm1_codes = SplitList(cell(6));
    city.actor_types = SplitList(cell(7));
    const std::string where = file + ":" + std::to_string(record.line);
    if (auto valid = ValidateCity(city, where); !valid) {
      return Fail(valid.error());
    }
    if (!ids.insert(city.id).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  "duplicate city id '" + city.id + "' (expected each id once)", where);
    }
    cities.push_back(std::move(city));
  }
  CityDictionary dictionary;
  dictionary.cities_ = std::move(cities);
  dictionary.BuildIndexes();
  return dictionary;
}

Result<CityDictionary> CityDictionary::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "cannot open the city-actor dictionary", path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kUnavailable, "cannot read the city-actor dictionary", path);
  }
  return Parse(content.str(), path);
}

void CityDictionary::BuildIndexes() {
  for (std::size_t i = 0; i < cities_.size(); ++i) {
    const int index = static_cast<int>(i);
    for (const auto& name : cities_[i].actor_names) {
      by_name_[name].push_back(index);
      name_filter_.Add(name);
    }
    for (const auto& feature : cities_[i].feature_ids) {
      by_feature_[feature].push_back(index);
      feature_filter_.Add(feature);
    }
    for (const auto& code : cities_[i].adm1_codes) {
      by_adm1_[code].push_back(index);
      adm1_filter_.Add(code);
    }
  }
}

bool CityDictionary::PassesFilters(const CityActor& city,
                                   const ActorFields& actor,
                                   bool check_country) const {
  if (check_country && !actor.country.empty() && !city.country.empty() &&
      actor.country != city.country) {
    return false;
  }
  if (city.actor_types.empty()) {
    return true;
  }
  for (const auto& type : city.actor_types) {
    for (std::string_view actor_type : actor.types) {
      if (actor_type == type) {
        return true;
      }
    }
  }
  return false;
}

int CityDictionary::Match(const ActorFields& actor) const {
  if (name_filter_.MayContain(actor.name)) {
    if (const auto found = by_name_.find(actor.name); found != by_name_.end()) {
      for (int index : found->second) {
        if (PassesFilters(cities_[static_cast<std::size_t>(index)], actor, true)) {
          return index;
        }
      }
    }
  }
  if (feature_filter_.MayContain(actor.feature_id)) {
    if (const auto found = by_feature_.find(actor.feature_id); found != by_feature_.end()) {
      for (int index : found->second) {
        if (PassesFilters(cities_[static_cast<std::size_t>(index)], actor, false)) {
          return index;
        }
      }
    }
  }
  if (adm1_filter_.MayContain(actor.adm1)) {
    if (const auto found = by_adm1_.find(actor.adm1); found != by_adm1_.end()) {
      for (int index : found->second) {
        if (PassesFilters(cities_[static_cast<std::size_t>(index)], actor, false)) {
          return index;
        }
      }
    }
  }
  return -1;
}

}  // namespace citydip::ingest::gdelt
