#include "citydip/analytics/analyses/internal/mechanisms.h"

#include <algorithm>

#include "citydip/core/text.h"

namespace citydip::analytics::internal {

std::vector<const Mechanism*> MechanismsInScope(const Registry& registry, const Scope& scope) {
  const CityDirectory directory(registry);
  std::vector<const Mechanism*> out;
  for (const auto& m : registry.mechanisms) {
    const bool has_home = std::any_of(m.cities.begin(), m.cities.end(),
                                      [&](const CityRef& c) { return SameCity(scope.home, c); });
    const bool has_partner =
        scope.partner.Any() || std::any_of(m.cities.begin(), m.cities.end(), [&](const CityRef& c) {
          return !SameCity(scope.home, c) && directory.Selects(scope.partner, c);
        });
    if (has_home && has_partner) {
      out.push_back(&m);
    }
  }
  return out;
}

bool IsSessionOf(const Event& event, const Mechanism& mechanism) {
  return !event.mechanism.empty() &&
         ToLowerAscii(Trim(event.mechanism)) == ToLowerAscii(Trim(mechanism.name_en));
}

std::vector<const Official*> OfficeHolders(const Registry& registry,
                                           const CityRef& home,
                                           std::string_view office) {
  const std::string wanted = ToLowerAscii(Trim(office));
  std::vector<const Official*> out;
  for (const auto& o : registry.officials) {
    if (SameCity(home, o.city) && ToLowerAscii(Trim(o.office)) == wanted) {
      out.push_back(&o);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Official* a, const Official* b) {
    return a->term_start < b->term_start;
  });
  return out;
}

}  // namespace citydip::analytics::internal
