// Countries: the FIPS 10-4 ↔ ISO 3166-1 alpha-3 table with English and Korean names, compiled in
// from data/lookups/geo_country_codes.csv (see data/lookups/PROVENANCE.md), plus common aliases
// ("South Korea", "Russia") from data/lookups/country_aliases.csv. Records store ISO3 codes; files
// may name a country by code or by name; GDELT files use FIPS codes.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace citydip {

/// One row of the country table. Historical and partial rows are kept as the table has them:
/// `iso3` is the code the row carries (may be historical or empty), `current_iso3` the country it
/// belongs to today (empty for places that are no country, e.g. "Oceans").
struct CountryEntry {
  std::string_view fips;          // FIPS 10-4 code as used by GDELT; may be empty
  std::string_view iso3;          // ISO 3166-1 alpha-3 code of the row; may be empty
  std::string_view current_iso3;  // the current ISO3 code; may be empty
  std::string_view m49;           // UN M49 numeric code; may be empty
  std::string_view name_en;       // e.g. "Republic of Korea", "The Netherlands"
  std::string_view name_ko;       // e.g. "대한민국"
};

/// Every row of the compiled table, in file order.
[[nodiscard]] std::span<const CountryEntry> CountryTable();

/// The row of a current ISO3 code (the row whose `iso3` equals its `current_iso3`), or nullptr.
/// Exact, upper-case match: "KOR".
[[nodiscard]] const CountryEntry* FindCountryByIso3(std::string_view iso3);

/// The first row carrying a FIPS 10-4 code (GDELT's country codes, e.g. "KS", "CH"), or nullptr.
/// A few FIPS codes occur twice in the table (e.g. "AX"); the first row wins.
[[nodiscard]] const CountryEntry* FindCountryByFips(std::string_view fips);

/// True when `iso3` is the current ISO3 code of a country in the table.
[[nodiscard]] bool IsCountryCode(std::string_view iso3);

/// Resolves what a person may write in a country cell to the current ISO3 code: an ISO3 code
/// (any case), an English or Korean name from the table (case-insensitive; a leading "The " and a
/// trailing parenthetical are optional: "Netherlands", "Bolivia"), or an alias ("South Korea",
/// "Korea", "Russia", "한국"). Nullopt when nothing matches.
[[nodiscard]] std::optional<std::string_view> ResolveCountry(std::string_view text);

/// The English display name of a current ISO3 code without a leading "The " ("Netherlands"), or
/// the code itself when unknown.
[[nodiscard]] std::string CountryDisplayName(std::string_view iso3);

}  // namespace citydip
