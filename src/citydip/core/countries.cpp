#include "citydip/core/countries.h"

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "citydip/core/text.h"

namespace citydip {
namespace {

// Generated at build time from data/lookups/ by gen_countries.cmake.
constexpr CountryEntry kCountries[] = {
#include "countries_table.inc"
};

struct Alias {
  std::string_view alias;
  std::string_view iso3;
};

constexpr Alias kAliases[] = {
#include "country_aliases.inc"
};

std::string_view StripThe(std::string_view name) {
  if (name.size() > 4 && (name.substr(0, 4) == "The " || name.substr(0, 4) == "the ")) {
    name.remove_prefix(4);
  }
  return name;
}

// "Bolivia (Plurinational State of)" -> "Bolivia"; empty when there is no trailing parenthetical.
std::string_view StripParenthetical(std::string_view name) {
  if (name.empty() || name.back() != ')') {
    return {};
  }
  const std::size_t open = name.rfind(" (");
  if (open == std::string_view::npos || open == 0) {
    return {};
  }
  return name.substr(0, open);
}

std::string Key(std::string_view text) {
  return ToLowerAscii(Trim(text));
}

struct Indexes {
  std::unordered_map<std::string_view, const CountryEntry*> by_iso3;
  std::unordered_map<std::string_view, const CountryEntry*> by_fips;
  // lower-cased names and codes -> current ISO3
  std::unordered_map<std::string, std::string_view> by_name;
};

const Indexes& BuildIndexes() {
  static const Indexes kIndexes = [] {
    Indexes indexes;
    for (const CountryEntry& entry : kCountries) {
      if (!entry.iso3.empty() && entry.iso3 == entry.current_iso3) {
        indexes.by_iso3.emplace(entry.iso3, &entry);
      }
      if (!entry.fips.empty()) {
        indexes.by_fips.emplace(entry.fips, &entry);  // first row wins
      }
    }
    // Names of current countries, then derived short forms that are unambiguous.
    std::unordered_map<std::string, std::string_view> derived;
    std::unordered_set<std::string> ambiguous;
    for (const auto& [iso3, entry] : indexes.by_iso3) {
      indexes.by_name.emplace(Key(iso3), iso3);
      indexes.by_name.emplace(Key(entry->name_en), iso3);
      indexes.by_name.emplace(Key(entry->name_ko), iso3);
      const std::string_view without_the = StripThe(entry->name_en);
      for (std::string_view form : {without_the, StripParenthetical(without_the)}) {
        if (form.empty()) {
          continue;
        }
        const std::string key = Key(form);
        const auto [it, inserted] = derived.emplace(key, iso3);
        if (!inserted && it->second != iso3) {
          ambiguous.insert(key);
        }
      }
    }
    for (const auto& [key, iso3] : derived) {
      if (!ambiguous.contains(key)) {
        indexes.by_name.emplace(key, iso3);
      }
    }
    for (const Alias& alias : kAliases) {
      const auto found = indexes.by_iso3.find(alias.iso3);
      if (found != indexes.by_iso3.end()) {
        indexes.by_name.emplace(Key(alias.alias), found->first);
      }
    }
    return indexes;
  }();
  return kIndexes;
}

}  // namespace

std::span<const CountryEntry> CountryTable() {
  return kCountries;
}

const CountryEntry* FindCountryByIso3(std::string_view iso3) {
  const auto& index = BuildIndexes().by_iso3;
  const auto found = index.find(iso3);
  return found == index.end() ? nullptr : found->second;
}

const CountryEntry* FindCountryByFips(std::string_view fips) {
  const auto& index = BuildIndexes().by_fips;
  const auto found = index.find(fips);
  return found == index.end() ? nullptr : found->second;
}

bool IsCountryCode(std::string_view iso3) {
  return FindCountryByIso3(iso3) != nullptr;
}

std::optional<std::string_view> ResolveCountry(std::string_view text) {
  const auto& index = BuildIndexes().by_name;
  const auto found = index.find(Key(text));
  if (found == index.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::string CountryDisplayName(std::string_view iso3) {
  const CountryEntry* entry = FindCountryByIso3(iso3);
  return std::string(entry == nullptr ? iso3 : StripThe(entry->name_en));
}

}  // namespace citydip
