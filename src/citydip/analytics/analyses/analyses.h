// The seven analyses of `citydip analyze NAME` as pure functions over a loaded registry (and, where
// needed, a national index series or the GDELT barometer tables). Each returns a result struct
// that cites the records its numbers rest on, and has a ToJson with the documented keys
// (docs/analyses.md).
//
//   visits               AnalyzeVisits(registry, VisitsOptions)
//   phases               AnalyzePhases(registry, PhasesOptions)
//   institutionalization AnalyzeInstitutionalization(registry, InstitutionalizationOptions)
//   barometer            AnalyzeBarometer(registry, IndexSeries, BarometerOptions)
//   shocks               AnalyzeShocks(registry, IndexSeries (may be empty), ShocksOptions)
//   frameworks / agenda / governance / modality
//                        AnalyzeFrameworks(registry, Scope)
//   image                AnalyzeImage(std::vector<PairAggregate>, ImageOptions)
//
// Shared inputs: Scope (home, partner, range, period), IndexSeries with ParseIndexCsv /
// NationalIndexFromGdelt, PairAggregate (one row of the GDELT barometer tables).
#pragma once

#include "citydip/analytics/analyses/barometer.h"
#include "citydip/analytics/analyses/common.h"
#include "citydip/analytics/analyses/frameworks.h"
#include "citydip/analytics/analyses/image.h"
#include "citydip/analytics/analyses/institutionalization.h"
#include "citydip/analytics/analyses/phases.h"
#include "citydip/analytics/analyses/shocks.h"
#include "citydip/analytics/analyses/visits.h"
