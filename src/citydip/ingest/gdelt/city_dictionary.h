// The city-actor dictionary: which GDELT actors count as a city, for the city-pair barometer.
// A CSV file (data/gdelt/city_actors.csv) that users may edit; one row per city with GDELT
// actor names (Actor1Name such as SEOUL), geographic FeatureIDs and FIPS ADM1 codes of the
// actor's location, and an optional actor type filter (e.g. GOV). Precision limits are
// documented in data/gdelt/README.md: "SEOUL" often names the South Korean government, and a
// location only says where an actor was reported, not whom it represents.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::ingest::gdelt {

/// One city of the dictionary.
struct CityActor {
  std::string id;                        // stable key used in the barometer tables, e.g. "seoul"
  std::string name_en;                   // e.g. "Seoul"
  std::string name_ko;                   // e.g. "서울"
  std::string country;                   // CAMEO/ISO3 country code, e.g. "KOR"; may be empty
  std::vector<std::string> actor_names;  // GDELT Actor*Name values, upper case ("SEOUL")
  std::vector<std::string> feature_ids;  // Actor*Geo_FeatureID values ("-716583")
  std::vector<std::string> adm1_codes;   // Actor*Geo_ADM1Code values ("KS11")
  std::vector<std::string> actor_types;  // optional: Actor*Type{1,2,3}Code filter ("GOV")
};

/// The fields of one actor (Actor1 or Actor2) of an event row.
struct ActorFields {
  std::string_view name;
  std::string_view country;
  std::array<std::string_view, 3> types;
  std::string_view adm1;
  std::string_view feature_id;
};

/// A loaded dictionary; cheap to query from many threads at once (read-only).
class CityDictionary {
 public:
  /// The column names of the CSV file, in order.
  static constexpr std::array<std::string_view, 9> kColumns = {
      "id",          "name_en",    "name_ko",     "country", "actor_names",
      "feature_ids", "adm1_codes", "actor_types", "note"};

  CityDictionary() = default;

  /// Parses the CSV text of a dictionary file named `path` (used in messages). Lines starting
  /// with '#' are comments; multi-valued cells are ';'-separated. Fails with kInvalidArgument
  /// naming PATH:LINE and the bad cell.
  [[nodiscard]] static Result<CityDictionary> Parse(std::string_view text, std::string_view path);
  /// Reads and parses a dictionary file; kNotFound when it does not exist.
  [[nodiscard]] static Result<CityDictionary> Load(const std::string& path);
  /// Builds a dictionary from entries (validated like a file).
  [[nodiscard]] static Result<CityDictionary> FromCities(std::vector<CityActor> cities);

  [[nodiscard]] const std::vector<CityActor>& cities() const { return cities_; }
  [[nodiscard]] bool empty() const { return cities_.empty(); }

  /// The index of the city `actor` is attributed to, or -1. The actor name is tried first (its
  /// country code, when present, must be the city's country), then the location's FeatureID,
  /// then its ADM1 code; the first candidate that passes the city's actor type filter wins.
  [[nodiscard]] int Match(const ActorFields& actor) const;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  using Index = std::unordered_map<std::string, std::vector<int>, StringHash, std::equal_to<>>;

  // A 1024-bit filter on (length, first and last byte): most actors are rejected with one load.
  struct Prefilter {
    std::array<std::uint64_t, 16> bits{};
    static std::size_t Slot(std::string_view text);
    void Add(std::string_view text);
    [[nodiscard]] bool MayContain(std::string_view text) const;
  };

  [[nodiscard]] bool PassesFilters(const CityActor& city,
                                   const ActorFields& actor,
                                   bool check_country) const;
  void BuildIndexes();

  std::vector<CityActor> cities_;
  Index by_name_;
  Index by_feature_;
  Index by_adm1_;
  Prefilter name_filter_;
  Prefilter feature_filter_;
  Prefilter adm1_filter_;
};

}  // namespace citydip::ingest::gdelt
