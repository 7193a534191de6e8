// Lookups over a Registry shared by the scorecard and the recommendations: cities by name (as a
// person writes them in a strategy file) and by reference, organizations, mechanisms.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/analytics/strategy/scorecard.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics::strategy::internal {

/// A city's identity for comparisons: lower-cased English name and ISO3 country ("" unknown).
using CityKey = std::pair<std::string, std::string>;

class RegistryIndex {
 public:
  explicit RegistryIndex(const Registry& registry);

  /// The city a person means by `text`: "Name" or "Name,CTY" (code or country name); the English
  /// name exactly, else case-insensitively, else the Korean or Chinese name. kNotFound when no
  /// city matches, kInvalidArgument listing the countries when several do.
  [[nodiscard]] Result<const City*> ResolveCity(std::string_view text) const;

  /// The key of a reference as records hold it; an empty country is filled in when the name
  /// belongs to exactly one registry city.
  [[nodiscard]] CityKey KeyOf(const CityRef& ref) const;
  /// The registry city of a key, or nullptr.
  [[nodiscard]] const City* CityOf(const CityKey& key) const;
  /// English and Korean names of a reference (the English one twice when the registry lacks it).
  [[nodiscard]] Label LabelOf(const CityRef& ref) const;
  [[nodiscard]] Label LabelOf(const CityKey& key) const;

  /// The organization named `name` or with that acronym (case-insensitive), or nullptr.
  [[nodiscard]] const Organization* FindOrganization(std::string_view name) const;
  /// The mechanism with that English or Korean name (case-insensitive), or nullptr.
  [[nodiscard]] const Mechanism* FindMechanism(std::string_view name) const;

  [[nodiscard]] const Registry& registry() const { return registry_; }

 private:
  const Registry& registry_;
  std::map<CityKey, const City*> by_key_;
  std::multimap<std::string, const City*> by_lower_name_;
};

}  // namespace citydip::analytics::strategy::internal
