// Evaluates KPIs: resolves the plan's names against the registry, then selects, counts and
// compares records per KPI (docs/strategy.md describes the query language this implements).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "citydip/analytics/strategy/internal/registry_index.h"
#include "citydip/analytics/strategy/model.h"
#include "citydip/analytics/strategy/scorecard.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics::strategy::internal {

/// An inclusive range of days; no `from` means all history.
struct Period {
  std::optional<DayNumber> from;
  DayNumber to = 0;

  [[nodiscard]] bool Contains(DayNumber day) const { return (!from || day >= *from) && day <= to; }
};

/// The records one KPI query selects (only the subject's vector is filled).
struct Selection {
  std::vector<const Event*> events;
  std::vector<const Membership*> memberships;
  std::vector<const Organization*> organizations;
  std::vector<const Mechanism*> mechanisms;
  std::vector<const PartnerRelation*> relations;
};

/// The rank of a membership role as leadership (president first); lower is stronger.
[[nodiscard]] int RoleRank(MembershipRole role);

class Evaluator {
 public:
  Evaluator(const StrategyPlan& plan, const RegistryIndex& index, const AnalysisInputs& inputs);

  /// Resolves every name of the plan; all problems in one kInvalidData error (FILE:LINE:COL).
  [[nodiscard]] Status Resolve();

  /// The home city (after Resolve).
  [[nodiscard]] const CityRef& home() const { return home_ref_; }

  /// Evaluates one KPI at `as_of` (value, previous, progress, status, trend, evidence, gap
  /// candidates; not the weighted gap).
  [[nodiscard]] KpiResult Evaluate(const Kpi& kpi, DayNumber as_of, std::size_t max_evidence) const;

  /// Whether a city is a partner in the plan's scope (not the home city).
  [[nodiscard]] bool InPlanScope(const CityRef& city) const {
    return InScope(index_.KeyOf(city), Filter{});
  }

  /// The home city's strongest active role in an organization at `day`, or nullopt.
  [[nodiscard]] std::optional<MembershipRole> HomeRole(const std::string& organization,
                                                       DayNumber day) const;

 private:
  void Problem(SourcePos pos, std::string message);
  void ResolveCityName(const NameRef& name, std::string_view what);
  void ResolveFilter(const Filter& filter, std::string_view what);

  [[nodiscard]] bool IsHome(const CityKey& key) const { return key == home_; }
  [[nodiscard]] bool InScope(const CityKey& key, const Filter& filter) const;
  [[nodiscard]] bool EventMatches(const Event& event, const Filter& filter) const;
  [[nodiscard]] bool MembershipActive(const Membership& membership, DayNumber day) const;
  [[nodiscard]] bool MembershipMatches(const Membership& membership,
                                       const Filter& filter,
                                       DayNumber day) const;
  [[nodiscard]] bool OrganizationMatches(const Organization& organization,
                                         const Filter& filter,
                                         DayNumber day,
                                         bool check_partner_member) const;
  [[nodiscard]] bool MechanismMatches(const Mechanism& mechanism,
                                      const Filter& filter,
                                      DayNumber day) const;
  [[nodiscard]] bool RelationMatches(const PartnerRelation& relation,
                                     const Filter& filter,
                                     DayNumber day) const;
  [[nodiscard]] bool PartnerIsMember(const std::string& organization,
                                     const Filter& filter,
                                     DayNumber day) const;

  [[nodiscard]] Selection Select(Subject subject,
                                 const std::vector<const Filter*>& filters,
                                 const Period& period) const;
  [[nodiscard]] std::size_t Count(Subject subject, const Selection& selection) const;
  [[nodiscard]] std::size_t Distinct(Subject subject,
                                     const Selection& selection,
                                     const std::string& by,
                                     const Filter& filter) const;
  /// The KPI's value over `period` (nullopt with `note` set when undefined).
  [[nodiscard]] std::optional<double> Value(const Kpi& kpi,
                                            const Period& period,
                                            std::string& note,
                                            Selection* selection) const;
  [[nodiscard]] bool HasData(const Kpi& kpi, DayNumber as_of, std::string& note) const;
  [[nodiscard]] std::vector<Evidence> EvidenceOf(Subject subject,
                                                 const Selection& selection,
                                                 std::size_t max,
                                                 std::size_t& total) const;
  void FindGaps(const Kpi& kpi, const Period& period, KpiResult& result) const;
  /// Partner cities in the KPI's scope that the home city has a relation with (sister first),
  /// then the cities the plan or the KPI names.
  [[nodiscard]] std::vector<CityKey> ScopePartners(const Filter& filter, DayNumber day) const;

  [[nodiscard]] std::string OrganizationName(const NameRef& name) const;
  [[nodiscard]] std::string MechanismName(const NameRef& name) const;
  [[nodiscard]] std::optional<CityKey> CityKeyOf(const NameRef& name) const;

  const StrategyPlan& plan_;
  const RegistryIndex& index_;
  const AnalysisInputs& inputs_;
  CityKey home_;
  CityRef home_ref_;
  std::set<CityKey> plan_cities_;
  std::set<std::string> plan_countries_;
  std::map<std::string, CityKey> cities_;             // as written → key
  std::map<std::string, std::string> organizations_;  // as written → registry name
  std::map<std::string, std::string> mechanisms_;     // as written → registry English name
  std::vector<std::pair<SourcePos, std::string>> problems_;
};

}  // namespace citydip::analytics::strategy::internal
