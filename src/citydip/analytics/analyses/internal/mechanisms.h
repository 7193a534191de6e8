// Mechanisms and officials in an analysis' scope (shared by phases, institutionalization and
// shocks).
#pragma once

#include <vector>

#include "citydip/analytics/analyses/common.h"
#include "citydip/core/model.h"

namespace citydip::analytics::internal {

/// Mechanisms that include the home city and, when a partner is selected, a selected partner.
[[nodiscard]] std::vector<const Mechanism*> MechanismsInScope(const Registry& registry,
                                                              const Scope& scope);

/// True when the event is a session of `mechanism` (names compared ignoring ASCII case).
[[nodiscard]] bool IsSessionOf(const Event& event, const Mechanism& mechanism);

/// The home city's holders of `office` (case-insensitive), by term start.
[[nodiscard]] std::vector<const Official*> OfficeHolders(const Registry& registry,
                                                         const CityRef& home,
                                                         std::string_view office);

}  // namespace citydip::analytics::internal
