#include "citydip/analytics/strategy/internal/registry_index.h"

#include <iterator>
#include <set>

#include "citydip/core/countries.h"
#include "citydip/core/text.h"

namespace citydip::analytics::strategy::internal {

RegistryIndex::RegistryIndex(const Registry& registry) : registry_(registry) {
  for (const auto& city : registry.cities) {
    const std::string lower = ToLowerAscii(city.name_en);
    by_key_.emplace(CityKey{lower, city.country}, &city);
    by_lower_name_.emplace(lower, &city);
  }
}

Result<const City*> RegistryIndex::ResolveCity(std::string_view text) const {
  std::string name(Trim(text));
  std::string country;
  if (const auto comma = name.rfind(','); comma != std::string::npos) {
    const std::string country_text(Trim(std::string_view(name).substr(comma + 1)));
    name = std::string(Trim(std::string_view(name).substr(0, comma)));
    const auto code = ResolveCountry(country_text);
    if (!code) {
      return Fail(ErrorCode::kInvalidArgument,
                  "'" + country_text + "' in '" + std::string(text) + "' is not a known country");
    }
    country = std::string(*code);
  }
  const std::string lower = ToLowerAscii(name);
  std::vector<const City*> candidates;
  auto collect = [&](auto&& matches) {
    for (const auto& city : registry_.cities) {
      if ((country.empty() || city.country == country) && matches(city)) {
        candidates.push_back(&city);
      }
    }
  };
  collect([&](const City& city) { return city.name_en == name; });
  if (candidates.empty()) {
    collect([&](const City& city) { return ToLowerAscii(city.name_en) == lower; });
  }
  if (candidates.empty()) {
    collect([&](const City& city) {
      return (!city.name_ko.empty() && city.name_ko == name) ||
             (!city.name_zh.empty() && city.name_zh == name);
    });
  }
  if (candidates.empty()) {
    return Fail(ErrorCode::kNotFound, "unknown city '" + std::string(text) +
                                          "' (no registry city has that name" +
                                          (country.empty() ? "" : " in " + country) + ")");
  }
  if (candidates.size() > 1) {
    std::set<std::string> countries;
    for (const auto* city : candidates) {
      countries.insert(city->country);
    }
    std::string list;
    for (const auto& code : countries) {
      list += (list.empty() ? "" : ", ") + code;
    }
    return Fail(ErrorCode::kInvalidArgument, "city '" + std::string(text) +
                                                 "' is ambiguous (countries: " + list +
                                                 "); write it as 'Name,CTY'");
  }
  return candidates.front();
}

CityKey RegistryIndex::KeyOf(const CityRef& ref) const {
  const std::string lower = ToLowerAscii(ref.name);
  if (!ref.country.empty()) {
    return {lower, ref.country};
  }
  const auto [first, last] = by_lower_name_.equal_range(lower);
  if (first != last && std::next(first) == last) {
    return {lower, first->second->country};
  }
  return {lower, ""};
}

const City* RegistryIndex::CityOf(const CityKey& key) const {
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : it->second;
}

Label RegistryIndex::LabelOf(const CityKey& key) const {
  if (const City* city = CityOf(key)) {
    return {city->name_en, city->name_ko.empty() ? city->name_en : city->name_ko};
  }
  return {key.first, key.first};
}

Label RegistryIndex::LabelOf(const CityRef& ref) const {
  if (const City* city = CityOf(KeyOf(ref))) {
    return {city->name_en, city->name_ko.empty() ? city->name_en : city->name_ko};
  }
  return {ref.name, ref.name};
}

const Organization* RegistryIndex::FindOrganization(std::string_view name) const {
  const std::string lower = ToLowerAscii(Trim(name));
  for (const auto& organization : registry_.organizations) {
    if (ToLowerAscii(organization.name) == lower) {
      return &organization;
    }
  }
  for (const auto& organization : registry_.organizations) {
    if (!organization.acronym.empty() && ToLowerAscii(organization.acronym) == lower) {
      return &organization;
    }
  }
  return nullptr;
}

const Mechanism* RegistryIndex::FindMechanism(std::string_view name) const {
  const std::string lower = ToLowerAscii(Trim(name));
  for (const auto& mechanism : registry_.mechanisms) {
    if (ToLowerAscii(mechanism.name_en) == lower ||
        (!mechanism.name_ko.empty() && mechanism.name_ko == Trim(name))) {
      return &mechanism;
    }
  }
  return nullptr;
}

}  // namespace citydip::analytics::strategy::internal
