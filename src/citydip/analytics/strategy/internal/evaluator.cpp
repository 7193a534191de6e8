#include "citydip/analytics/strategy/internal/evaluator.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "citydip/analytics/strategy/internal/calendar.h"
#include "citydip/core/text.h"

namespace citydip::analytics::strategy::internal {

namespace {

constexpr double kEpsilon = 1e-9;
constexpr std::size_t kMaxGapItems = 3;
constexpr double kDaysPerYear = 365.2425;

template <typename T>
bool AnyOf(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <typename T>
bool OptionalIn(const std::vector<T>& allowed, const std::optional<T>& value) {
  return allowed.empty() ||
         (value && std::find(allowed.begin(), allowed.end(), *value) != allowed.end());
}

template <typename T>
bool Intersects(const std::vector<T>& allowed, const std::vector<T>& values) {
  if (allowed.empty()) {
    return true;
  }
  return std::any_of(values.begin(), values.end(), [&](const T& value) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  });
}

bool DateActive(const PartialDate& since, const PartialDate& until, DayNumber day) {
  return (since.empty() || since.FirstDay() <= day) && (until.empty() || until.LastDay() >= day);
}

std::string Span(const PartialDate& since, const PartialDate& until) {
  if (since.empty() && until.empty()) {
    return "";
  }
  return " (" + since.ToString() + "–" + until.ToString() + ")";
}

std::string Either(const std::string& preferred, const std::string& fallback) {
  return preferred.empty() ? fallback : preferred;
}

}  // namespace

int RoleRank(MembershipRole role) {
  switch (role) {
    case MembershipRole::kPresident:
      return 0;
    case MembershipRole::kSecretariatHost:
      return 1;
    case MembershipRole::kFounder:
      return 2;
    case MembershipRole::kBoard:
      return 3;
    case MembershipRole::kMember:
      return 4;
    case MembershipRole::kObserver:
      return 5;
  }
  return 6;
}

Evaluator::Evaluator(const StrategyPlan& plan,
                     const RegistryIndex& index,
                     const AnalysisInputs& inputs)
    : plan_(plan), index_(index), inputs_(inputs) {}

void Evaluator::Problem(SourcePos pos, std::string message) {
  problems_.emplace_back(pos, std::move(message));
}

void Evaluator::ResolveCityName(const NameRef& name, std::string_view what) {
  if (name.name.empty() || cities_.count(name.name) != 0) {
    return;
  }
  auto city = index_.ResolveCity(name.name);
  if (!city) {
    Problem(name.pos, std::string(what) + ": " + city.error().message);
    return;
  }
  cities_.emplace(name.name, CityKey{ToLowerAscii((*city)->name_en), (*city)->country});
}

void Evaluator::ResolveFilter(const Filter& filter, std::string_view what) {
  for (const auto& partner : filter.partners) {
    ResolveCityName(partner, what);
  }
  for (const auto& city : filter.cities) {
    if (city.name != "home" && city.name != "partner") {
      ResolveCityName(city, what);
    }
  }
  for (const auto& name : filter.organizations) {
    if (const Organization* organization = index_.FindOrganization(name.name)) {
      organizations_.emplace(name.name, organization->name);
    } else {
      Problem(name.pos, std::string(what) + ": unknown organization '" + name.name +
                            "' (no registry organization has that name or acronym)");
    }
  }
  for (const auto& name : filter.mechanisms) {
    if (const Mechanism* mechanism = index_.FindMechanism(name.name)) {
      mechanisms_.emplace(name.name, mechanism->name_en);
    } else {
      Problem(name.pos, std::string(what) + ": unknown mechanism '" + name.name +
                            "' (no registry mechanism has that English or Korean name)");
    }
  }
}

Status Evaluator::Resolve() {
  problems_.clear();
  if (auto city = index_.ResolveCity(plan_.home.name); city) {
    home_ = {ToLowerAscii((*city)->name_en), (*city)->country};
    home_ref_ = (*city)->Ref();
  } else {
    Problem(plan_.home.pos, "home: " + city.error().message);
  }
  for (const auto& partner : plan_.partners) {
    ResolveCityName(partner, "partners");
    if (auto key = CityKeyOf(partner)) {
      plan_cities_.insert(*key);
    }
  }
  plan_countries_.insert(plan_.partner_countries.begin(), plan_.partner_countries.end());
  ResolveCityName(plan_.scenario.partner, "scenario partner");

  std::string known_metrics;
  for (const auto& [name, value] : inputs_.metrics) {
    known_metrics += (known_metrics.empty() ? "" : ", ") + name;
  }
  std::string known_kinds;
  for (const auto& kind : inputs_.opportunity_kinds) {
    known_kinds += (known_kinds.empty() ? "" : ", ") + kind;
  }
  for (const auto& strategy : plan_.strategies) {
    for (const auto& action : strategy.actions) {
      for (const auto& kind : action.opportunities) {
        if (std::find(inputs_.opportunity_kinds.begin(), inputs_.opportunity_kinds.end(),
                      kind.name) == inputs_.opportunity_kinds.end()) {
          Problem(kind.pos, "action '" + action.id + "': unknown opportunity kind '" + kind.name +
                                "' (expected " + (known_kinds.empty() ? "none" : known_kinds) +
                                ")");
        }
      }
      for (const auto& kpi : action.kpis) {
        const std::string what = "kpi '" + kpi.id + "'";
        ResolveFilter(kpi.where, what);
        ResolveFilter(kpi.among, what);
        if (kpi.subject == Subject::kMetric && inputs_.metrics.count(kpi.metric.name) == 0) {
          Problem(kpi.metric.pos,
                  what + ": unknown metric '" + kpi.metric.name + "' (expected " +
                      (known_metrics.empty() ? "none: no analysis metrics were supplied"
                                             : known_metrics) +
                      ")");
        }
      }
    }
  }
  if (problems_.empty()) {
    return Ok();
  }
  std::stable_sort(problems_.begin(), problems_.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
  });
  Error error{ErrorCode::kInvalidData, problems_.front().second,
              FormatWhere(plan_.file, problems_.front().first)};
  for (std::size_t i = 1; i < problems_.size(); ++i) {
    error.message +=
        "\n" + FormatWhere(plan_.file, problems_[i].first) + ": " + problems_[i].second;
  }
  return Fail(std::move(error));
}

std::optional<CityKey> Evaluator::CityKeyOf(const NameRef& name) const {
  const auto it = cities_.find(name.name);
  if (it == cities_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string Evaluator::OrganizationName(const NameRef& name) const {
  const auto it = organizations_.find(name.name);
  return it == organizations_.end() ? name.name : it->second;
}

std::string Evaluator::MechanismName(const NameRef& name) const {
  const auto it = mechanisms_.find(name.name);
  return it == mechanisms_.end() ? name.name : it->second;
}

bool Evaluator::InScope(const CityKey& key, const Filter& filter) const {
  if (IsHome(key)) {
    return false;
  }
  const auto matches = [&](const std::set<CityKey>& cities,
                           const std::set<std::string>& countries) {
    if (cities.empty() && countries.empty()) {
      return true;
    }
    return cities.count(key) != 0 || (!key.second.empty() && countries.count(key.second) != 0);
  };
  if (!matches(plan_cities_, plan_countries_)) {
    return false;
  }
  if (filter.partners.empty() && filter.partner_countries.empty()) {
    return true;
  }
  std::set<CityKey> cities;
  for (const auto& partner : filter.partners) {
    if (auto resolved = CityKeyOf(partner)) {
      cities.insert(*resolved);
    }
  }
  const std::set<std::string> countries(filter.partner_countries.begin(),
                                        filter.partner_countries.end());
  return matches(cities, countries);
}

bool Evaluator::EventMatches(const Event& event, const Filter& filter) const {
  if (filter.statuses.empty() ? event.status != EventStatus::kHeld
                              : !AnyOf(filter.statuses, event.status)) {
    return false;
  }
  if (!AnyOf(filter.types, event.type) || !AnyOf(filter.frameworks, event.framework) ||
      !AnyOf(filter.modes, event.mode) || !OptionalIn(filter.levels, event.level) ||
      !OptionalIn(filter.directions, event.direction) || !Intersects(filter.topics, event.topics)) {
    return false;
  }
  if (!filter.stakeholders.empty()) {
    std::vector<StakeholderKind> kinds;
    for (const auto& stakeholder : event.stakeholders) {
      kinds.push_back(stakeholder.kind);
    }
    if (!Intersects(filter.stakeholders, kinds)) {
      return false;
    }
  }
  if (!filter.organizations.empty()) {
    const std::string organization = ToLowerAscii(event.organization);
    const bool found = !organization.empty() &&
                       std::any_of(filter.organizations.begin(), filter.organizations.end(),
                                   [&](const NameRef& name) {
                                     const Organization* record =
                                         index_.FindOrganization(OrganizationName(name));
                                     return ToLowerAscii(OrganizationName(name)) == organization ||
                                            (record != nullptr && !record->acronym.empty() &&
                                             ToLowerAscii(record->acronym) == organization);
                                   });
    if (!found) {
      return false;
    }
  }
  if (!filter.mechanisms.empty()) {
    const std::string mechanism = ToLowerAscii(event.mechanism);
    if (mechanism.empty() ||
        std::none_of(filter.mechanisms.begin(), filter.mechanisms.end(), [&](const NameRef& name) {
          return ToLowerAscii(MechanismName(name)) == mechanism;
        })) {
      return false;
    }
  }
  const DayNumber day = MidpointDay(event.date);
  if ((!filter.from.empty() && day < filter.from.FirstDay()) ||
      (!filter.to.empty() && day > filter.to.LastDay())) {
    return false;
  }
  // Another city of the event in scope.
  const auto in_scope = [&](const CityRef& city) { return InScope(index_.KeyOf(city), filter); };
  return in_scope(event.home_city) ||
         std::any_of(event.partner_cities.begin(), event.partner_cities.end(), in_scope);
}

bool Evaluator::MembershipActive(const Membership& membership, DayNumber day) const {
  return DateActive(membership.since, membership.until, day);
}

std::optional<MembershipRole> Evaluator::HomeRole(const std::string& organization,
                                                  DayNumber day) const {
  std::optional<MembershipRole> best;
  const std::string lower = ToLowerAscii(organization);
  for (const auto& membership : index_.registry().memberships) {
    if (ToLowerAscii(membership.organization) == lower && IsHome(index_.KeyOf(membership.city)) &&
        MembershipActive(membership, day) &&
        (!best || RoleRank(membership.role) < RoleRank(*best))) {
      best = membership.role;
    }
  }
  return best;
}

bool Evaluator::MembershipMatches(const Membership& membership,
                                  const Filter& filter,
                                  DayNumber day) const {
  if (!MembershipActive(membership, day) || !AnyOf(filter.roles, membership.role)) {
    return false;
  }
  const CityKey city = index_.KeyOf(membership.city);
  if (filter.cities.empty()) {
    if (!IsHome(city)) {
      return false;
    }
  } else if (std::none_of(filter.cities.begin(), filter.cities.end(), [&](const NameRef& name) {
               if (name.name == "home") {
                 return IsHome(city);
               }
               if (name.name == "partner") {
                 return InScope(city, filter);
               }
               return CityKeyOf(name) == city;
             })) {
    return false;
  }
  const Organization* organization = index_.FindOrganization(membership.organization);
  if (!filter.organizations.empty() &&
      (organization == nullptr ||
       std::none_of(
           filter.organizations.begin(), filter.organizations.end(),
           [&](const NameRef& name) { return OrganizationName(name) == organization->name; }))) {
    return false;
  }
  if (!filter.org_kinds.empty() &&
      (organization == nullptr || !AnyOf(filter.org_kinds, organization->kind))) {
    return false;
  }
  return true;
}

bool Evaluator::PartnerIsMember(const std::string& organization,
                                const Filter& filter,
                                DayNumber day) const {
  const std::string lower = ToLowerAscii(organization);
  const Organization* record = index_.FindOrganization(organization);
  const std::string acronym = record != nullptr ? ToLowerAscii(record->acronym) : "";
  return std::any_of(index_.registry().memberships.begin(), index_.registry().memberships.end(),
                     [&](const Membership& membership) {
                       const std::string name = ToLowerAscii(membership.organization);
                       return (name == lower || (!acronym.empty() && name == acronym)) &&
                              MembershipActive(membership, day) &&
                              InScope(index_.KeyOf(membership.city), filter);
                     });
}

bool Evaluator::OrganizationMatches(const Organization& organization,
                                    const Filter& filter,
                                    DayNumber day,
                                    bool check_partner_member) const {
  if (!AnyOf(filter.org_kinds, organization.kind)) {
    return false;
  }
  if (!organization.founded.empty() && organization.founded.FirstDay() > day) {
    return false;
  }
  if (!filter.organizations.empty() &&
      std::none_of(
          filter.organizations.begin(), filter.organizations.end(),
          [&](const NameRef& name) { return OrganizationName(name) == organization.name; })) {
    return false;
  }
  if (!filter.home_roles.empty()) {
    const std::string lower = ToLowerAscii(organization.name);
    const bool holds = std::any_of(
        index_.registry().memberships.begin(), index_.registry().memberships.end(),
        [&](const Membership& membership) {
          return ToLowerAscii(membership.organization) == lower &&
                 IsHome(index_.KeyOf(membership.city)) && MembershipActive(membership, day) &&
                 AnyOf(filter.home_roles, membership.role);
        });
    if (!holds) {
      return false;
    }
  }
  if (check_partner_member && filter.partner_member &&
      PartnerIsMember(organization.name, filter, day) != *filter.partner_member) {
    return false;
  }
  return true;
}

bool Evaluator::MechanismMatches(const Mechanism& mechanism,
                                 const Filter& filter,
                                 DayNumber day) const {
  if (!DateActive(mechanism.founded, mechanism.ended, day)) {
    return false;
  }
  if (!filter.mechanisms.empty() &&
      std::none_of(filter.mechanisms.begin(), filter.mechanisms.end(),
                   [&](const NameRef& name) { return MechanismName(name) == mechanism.name_en; })) {
    return false;
  }
  bool has_home = false;
  bool has_partner = false;
  for (const auto& city : mechanism.cities) {
    const CityKey key = index_.KeyOf(city);
    has_home = has_home || IsHome(key);
    has_partner = has_partner || InScope(key, filter);
  }
  return has_home && has_partner;
}

bool Evaluator::RelationMatches(const PartnerRelation& relation,
                                const Filter& filter,
                                DayNumber day) const {
  const CityKey a = index_.KeyOf(relation.city_a);
  const CityKey b = index_.KeyOf(relation.city_b);
  const bool home_a = IsHome(a);
  if (!(home_a || IsHome(b)) || !InScope(home_a ? b : a, filter)) {
    return false;
  }
  if (filter.relation_statuses.empty() ? relation.status != RelationStatus::kActive
                                       : !AnyOf(filter.relation_statuses, relation.status)) {
    return false;
  }
  return AnyOf(filter.relations, relation.relation) &&
         DateActive(relation.since, relation.until, day);
}

Selection Evaluator::Select(Subject subject,
                            const std::vector<const Filter*>& filters,
                            const Period& period) const {
  Selection selection;
  const Registry& registry = index_.registry();
  const DayNumber day = period.to;
  const auto all = [&](auto&& matches) {
    return std::all_of(filters.begin(), filters.end(),
                       [&](const Filter* filter) { return matches(*filter); });
  };
  switch (subject) {
    case Subject::kEvents:
      for (const auto& event : registry.events) {
        if (event.date.empty() || !period.Contains(MidpointDay(event.date))) {
          continue;
        }
        const bool involves_home =
            IsHome(index_.KeyOf(event.home_city)) ||
            std::any_of(event.partner_cities.begin(), event.partner_cities.end(),
                        [&](const CityRef& city) { return IsHome(index_.KeyOf(city)); });
        if (involves_home &&
            all([&](const Filter& filter) { return EventMatches(event, filter); })) {
          selection.events.push_back(&event);
        }
      }
      break;
    case Subject::kMemberships:
      for (const auto& membership : registry.memberships) {
        if (all([&](const Filter& filter) { return MembershipMatches(membership, filter, day); })) {
          selection.memberships.push_back(&membership);
        }
      }
      break;
    case Subject::kOrganizations:
      for (const auto& organization : registry.organizations) {
        if (all([&](const Filter& filter) {
              return OrganizationMatches(organization, filter, day, true);
            })) {
          selection.organizations.push_back(&organization);
        }
      }
      break;
    case Subject::kMechanisms:
      for (const auto& mechanism : registry.mechanisms) {
        if (all([&](const Filter& filter) { return MechanismMatches(mechanism, filter, day); })) {
          selection.mechanisms.push_back(&mechanism);
        }
      }
      break;
    case Subject::kRelations:
      for (const auto& relation : registry.partner_relations) {
        if (all([&](const Filter& filter) { return RelationMatches(relation, filter, day); })) {
          selection.relations.push_back(&relation);
        }
      }
      break;
    case Subject::kMetric:
      break;
  }
  return selection;
}

std::size_t Evaluator::Count(Subject subject, const Selection& selection) const {
  switch (subject) {
    case Subject::kEvents:
      return selection.events.size();
    case Subject::kMemberships: {
      // A city holding several roles in one organization is one membership.
      std::set<std::pair<CityKey, std::string>> pairs;
      for (const auto* membership : selection.memberships) {
        pairs.emplace(index_.KeyOf(membership->city), ToLowerAscii(membership->organization));
      }
      return pairs.size();
    }
    case Subject::kOrganizations:
      return selection.organizations.size();
    case Subject::kMechanisms:
      return selection.mechanisms.size();
    case Subject::kRelations:
      return selection.relations.size();
    case Subject::kMetric:
      break;
  }
  return 0;
}

std::size_t Evaluator::Distinct(Subject subject,
                                const Selection& selection,
                                const std::string& by,
                                const Filter& filter) const {
  std::set<std::string> values;
  const auto city = [&](const CityRef& ref) {
    const CityKey key = index_.KeyOf(ref);
    if (InScope(key, filter)) {
      values.insert(key.first + "\x1f" + key.second);
    }
  };
  switch (subject) {
    case Subject::kEvents:
      for (const auto* event : selection.events) {
        if (by == "partner") {
          city(event->home_city);
          for (const auto& partner : event->partner_cities) {
            city(partner);
          }
        } else if (by == "type") {
          values.emplace(ToCode(event->type));
        } else if (by == "framework") {
          values.emplace(ToCode(event->framework));
        } else if (by == "mode") {
          values.emplace(ToCode(event->mode));
        } else if (by == "level" && event->level) {
          values.emplace(ToCode(*event->level));
        } else if (by == "direction" && event->direction) {
          values.emplace(ToCode(*event->direction));
        } else if (by == "topic") {
          for (auto topic : event->topics) {
            values.emplace(ToCode(topic));
          }
        } else if (by == "stakeholder") {
          for (const auto& stakeholder : event->stakeholders) {
            values.emplace(ToCode(stakeholder.kind));
          }
        } else if (by == "organization" && !event->organization.empty()) {
          values.insert(ToLowerAscii(event->organization));
        } else if (by == "mechanism" && !event->mechanism.empty()) {
          values.insert(ToLowerAscii(event->mechanism));
        } else if (by == "year") {
          values.insert(std::to_string(event->date.year()));
        }
      }
      break;
    case Subject::kMemberships:
      for (const auto* membership : selection.memberships) {
        if (by == "organization") {
          values.insert(ToLowerAscii(membership->organization));
        } else if (by == "city") {
          const CityKey key = index_.KeyOf(membership->city);
          values.insert(key.first + "\x1f" + key.second);
        } else if (by == "role") {
          values.emplace(ToCode(membership->role));
        }
      }
      break;
    case Subject::kMechanisms:
      for (const auto* mechanism : selection.mechanisms) {
        if (by == "field") {
          for (const auto& field : mechanism->fields) {
            values.insert(ToLowerAscii(Trim(field)));
          }
        } else if (by == "partner") {
          for (const auto& member : mechanism->cities) {
            city(member);
          }
        }
      }
      break;
    case Subject::kRelations:
      for (const auto* relation : selection.relations) {
        if (by == "partner") {
          city(relation->city_a);
          city(relation->city_b);
        } else if (by == "relation") {
          values.emplace(ToCode(relation->relation));
        }
      }
      break;
    case Subject::kOrganizations:
    case Subject::kMetric:
      break;
  }
  return values.size();
}

std::optional<double> Evaluator::Value(const Kpi& kpi,
                                       const Period& period,
                                       std::string& note,
                                       Selection* selection) const {
  const auto keep = [&](Selection chosen) {
    if (selection != nullptr) {
      *selection = std::move(chosen);
    }
  };
  switch (kpi.measure) {
    case Measure::kCount: {
      Selection chosen = Select(kpi.subject, {&kpi.where}, period);
      const auto count = static_cast<double>(Count(kpi.subject, chosen));
      keep(std::move(chosen));
      return count;
    }
    case Measure::kShare: {
      const Selection all = Select(kpi.subject, {&kpi.among}, period);
      const std::size_t denominator = Count(kpi.subject, all);
      Selection chosen = Select(kpi.subject, {&kpi.among, &kpi.where}, period);
      const std::size_t numerator = Count(kpi.subject, chosen);
      keep(std::move(chosen));
      if (denominator == 0) {
        note = "no " + std::string(SubjectName(kpi.subject)) +
               " to take a share of in the period (nothing matches 'among')";
        return std::nullopt;
      }
      return static_cast<double>(numerator) / static_cast<double>(denominator);
    }
    case Measure::kRate: {
      if (!period.from) {
        note = "a rate needs a period with a start";
        return std::nullopt;
      }
      Selection chosen = Select(kpi.subject, {&kpi.where}, period);
      const auto count = static_cast<double>(Count(kpi.subject, chosen));
      keep(std::move(chosen));
      const double years = static_cast<double>(period.to - *period.from + 1) / kDaysPerYear;
      return count / years;
    }
    case Measure::kTrend: {
      if (!period.from) {
        note = "a trend needs a window";
        return std::nullopt;
      }
      // Yearly blocks ending at the period's end, oldest first; the slope of their counts.
      const int blocks = std::max(
          2, static_cast<int>(
                 std::lround(static_cast<double>(period.to - *period.from + 1) / kDaysPerYear)));
      std::vector<double> counts;
      for (int k = 0; k < blocks; ++k) {
        const Period block{AddMonths(period.to, -(blocks - k) * 12) + 1,
                           AddMonths(period.to, -(blocks - k - 1) * 12)};
        counts.push_back(
            static_cast<double>(Count(kpi.subject, Select(kpi.subject, {&kpi.where}, block))));
      }
      const double mean_x = (blocks - 1) / 2.0;
      double mean_y = 0.0;
      for (double count : counts) {
        mean_y += count / blocks;
      }
      double sxy = 0.0;
      double sxx = 0.0;
      for (int k = 0; k < blocks; ++k) {
        sxy += (k - mean_x) * (counts[static_cast<std::size_t>(k)] - mean_y);
        sxx += (k - mean_x) * (k - mean_x);
      }
      keep(Select(kpi.subject, {&kpi.where}, period));
      return sxy / sxx;
    }
    case Measure::kDistinct: {
      Selection chosen = Select(kpi.subject, {&kpi.where}, period);
      const auto count = static_cast<double>(Distinct(kpi.subject, chosen, kpi.by, kpi.where));
      keep(std::move(chosen));
      return count;
    }
    case Measure::kMetric:
      break;
  }
  return std::nullopt;
}

bool Evaluator::HasData(const Kpi& kpi, DayNumber as_of, std::string& note) const {
  const Registry& registry = index_.registry();
  switch (kpi.subject) {
    case Subject::kEvents: {
      // Any status counts as coverage: a cancelled exchange is still a recorded one.
      Filter any_status;
      for (const auto& entry : EnumEntries<EventStatus>()) {
        any_status.statuses.push_back(entry.value);
      }
      const bool covered =
          !Select(Subject::kEvents, {&any_status}, Period{std::nullopt, as_of}).events.empty();
      if (!covered) {
        note = "the registry holds no events of " + home_ref_.name +
               " with partners in scope up to the as-of date";
      }
      return covered;
    }
    case Subject::kMemberships:
      if (registry.memberships.empty()) {
        note = "the registry holds no memberships";
        return false;
      }
      return true;
    case Subject::kOrganizations:
      if (registry.organizations.empty()) {
        note = "the registry holds no organizations";
        return false;
      }
      return true;
    case Subject::kMechanisms:
      if (registry.mechanisms.empty()) {
        note = "the registry holds no mechanisms";
        return false;
      }
      return true;
    case Subject::kRelations:
      if (registry.partner_relations.empty()) {
        note = "the registry holds no partner relations";
        return false;
      }
      return true;
    case Subject::kMetric:
      break;
  }
  return true;
}

std::vector<Evidence> Evaluator::EvidenceOf(Subject subject,
                                            const Selection& selection,
                                            std::size_t max,
                                            std::size_t& total) const {
  std::vector<Evidence> out;
  switch (subject) {
    case Subject::kEvents: {
      std::vector<const Event*> events = selection.events;
      std::stable_sort(events.begin(), events.end(), [](const Event* a, const Event* b) {
        if (a->date != b->date) {
          return a->date > b->date;
        }
        return a->id > b->id;
      });
      for (const auto* event : events) {
        out.push_back({"event", event->id, event->ref, event->date.ToString(),
                       Either(event->title_en, event->title_ko),
                       Either(event->title_ko, event->title_en), event->sources});
      }
      break;
    }
    case Subject::kMemberships: {
      std::vector<const Membership*> memberships = selection.memberships;
      std::stable_sort(
          memberships.begin(), memberships.end(),
          [](const Membership* a, const Membership* b) { return a->since > b->since; });
      for (const auto* membership : memberships) {
        const Label city = index_.LabelOf(membership->city);
        const auto& role = EntryOf(membership->role);
        const std::string span = Span(membership->since, membership->until);
        out.push_back(
            {"membership", membership->id, "", membership->since.ToString(),
             city.en + ": " + std::string(role.label_en) + " of " + membership->organization + span,
             city.ko + ": " + membership->organization + " " + std::string(role.label_ko) + span,
             membership->sources});
      }
      break;
    }
    case Subject::kOrganizations:
      for (const auto* organization : selection.organizations) {
        out.push_back({"organization", organization->id, "", organization->founded.ToString(),
                       organization->name, organization->name, organization->sources});
      }
      break;
    case Subject::kMechanisms:
      for (const auto* mechanism : selection.mechanisms) {
        std::string fields = JoinList(mechanism->fields);
        const std::string span = Span(mechanism->founded, mechanism->ended);
        out.push_back({"mechanism", mechanism->id, "", mechanism->founded.ToString(),
                       mechanism->name_en + span + (fields.empty() ? "" : ": " + fields),
                       Either(mechanism->name_ko, mechanism->name_en) + span +
                           (fields.empty() ? "" : ": " + fields),
                       mechanism->sources});
      }
      break;
    case Subject::kRelations:
      for (const auto* relation : selection.relations) {
        const Label a = index_.LabelOf(relation->city_a);
        const Label b = index_.LabelOf(relation->city_b);
        const auto& kind = EntryOf(relation->relation);
        const std::string since = relation->since.ToString();
        out.push_back({"relation", relation->id, "", since,
                       a.en + " – " + b.en + ": " + std::string(kind.label_en) +
                           (since.empty() ? "" : " since " + since),
                       a.ko + " – " + b.ko + ": " + std::string(kind.label_ko) +
                           (since.empty() ? "" : " (" + since + "~)"),
                       relation->sources});
      }
      break;
    case Subject::kMetric:
      break;
  }
  total = out.size();
  if (out.size() > max) {
    out.resize(max);
  }
  return out;
}

std::vector<CityKey> Evaluator::ScopePartners(const Filter& filter, DayNumber day) const {
  std::vector<std::pair<std::pair<int, DayNumber>, CityKey>> related;
  for (const auto& relation : index_.registry().partner_relations) {
    const CityKey a = index_.KeyOf(relation.city_a);
    const CityKey b = index_.KeyOf(relation.city_b);
    if (!(IsHome(a) || IsHome(b)) || relation.status == RelationStatus::kEnded ||
        (!relation.since.empty() && relation.since.FirstDay() > day)) {
      continue;
    }
    const CityKey other = IsHome(a) ? b : a;
    if (InScope(other, filter)) {
      related.push_back({{static_cast<int>(relation.relation),
                          relation.since.empty() ? day : relation.since.FirstDay()},
                         other});
    }
  }
  std::stable_sort(related.begin(), related.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<CityKey> out;
  const auto add = [&](const CityKey& key) {
    if (std::find(out.begin(), out.end(), key) == out.end()) {
      out.push_back(key);
    }
  };
  for (const auto& name : filter.partners) {
    if (auto key = CityKeyOf(name); key && InScope(*key, filter)) {
      add(*key);
    }
  }
  for (const auto& item : related) {
    add(item.second);
  }
  for (const auto& name : plan_.partners) {
    if (auto key = CityKeyOf(name); key && InScope(*key, filter)) {
      add(*key);
    }
  }
  return out;
}

void Evaluator::FindGaps(const Kpi& kpi, const Period& period, KpiResult& result) const {
  if (kpi.direction != TargetDirection::kIncrease || result.status == KpiStatus::kMet) {
    return;
  }
  const Registry& registry = index_.registry();
  const DayNumber day = period.to;
  const std::vector<CityKey> partners = ScopePartners(kpi.where, day);
  const auto add_partner = [&](const CityKey& key) {
    if (result.gap_partners.size() < kMaxGapItems) {
      result.gap_partners.push_back(index_.LabelOf(key));
    }
  };
  const auto add_organization = [&](const std::string& name) {
    if (result.gap_organizations.size() < kMaxGapItems &&
        std::find(result.gap_organizations.begin(), result.gap_organizations.end(), name) ==
            result.gap_organizations.end()) {
      result.gap_organizations.push_back(name);
    }
  };
  // Organizations, strongest home role first, in which the home city and one of `cities` are
  // both active members: venues for meeting them.
  const auto shared_networks = [&](const std::vector<CityKey>& cities) {
    std::vector<std::pair<int, std::string>> venues;
    for (const auto& organization : registry.organizations) {
      const auto role = HomeRole(organization.name, day);
      if (!role || !AnyOf(kpi.where.org_kinds, organization.kind)) {
        continue;
      }
      const std::string lower = ToLowerAscii(organization.name);
      const bool shared = std::any_of(
          registry.memberships.begin(), registry.memberships.end(), [&](const Membership& m) {
            return ToLowerAscii(m.organization) == lower && MembershipActive(m, day) &&
                   std::find(cities.begin(), cities.end(), index_.KeyOf(m.city)) != cities.end();
          });
      if (shared) {
        venues.emplace_back(RoleRank(*role), organization.name);
      }
    }
    std::stable_sort(venues.begin(), venues.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& venue : venues) {
      add_organization(venue.second);
    }
  };

  switch (kpi.subject) {
    case Subject::kEvents: {
      // Sessions of a mechanism: only its member cities can hold them.
      std::vector<CityKey> candidates = partners;
      if (!kpi.where.mechanisms.empty()) {
        std::erase_if(candidates, [&](const CityKey& key) {
          return std::none_of(
              kpi.where.mechanisms.begin(), kpi.where.mechanisms.end(), [&](const NameRef& name) {
                const Mechanism* mechanism = index_.FindMechanism(MechanismName(name));
                return mechanism != nullptr &&
                       std::any_of(mechanism->cities.begin(), mechanism->cities.end(),
                                   [&](const CityRef& city) { return index_.KeyOf(city) == key; });
              });
        });
      }
      // Partners with the fewest matching events in the period, quietest first.
      std::vector<std::pair<std::size_t, CityKey>> activity;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        Filter narrowed = kpi.where;
        narrowed.partners.clear();
        narrowed.partner_countries.clear();
        std::size_t count = 0;
        for (const auto* event : Select(Subject::kEvents, {&narrowed}, period).events) {
          const auto names_partner = [&](const CityRef& city) {
            return index_.KeyOf(city) == candidates[i];
          };
          if (names_partner(event->home_city) ||
              std::any_of(event->partner_cities.begin(), event->partner_cities.end(),
                          names_partner)) {
            ++count;
          }
        }
        activity.emplace_back(count, candidates[i]);
      }
      std::stable_sort(activity.begin(), activity.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<CityKey> quiet;
      for (const auto& [count, key] : activity) {
        add_partner(key);
        quiet.push_back(key);
      }
      if (quiet.size() > kMaxGapItems) {
        quiet.resize(kMaxGapItems);
      }
      for (const auto& name : kpi.where.organizations) {
        add_organization(OrganizationName(name));
      }
      for (const auto& name : kpi.where.mechanisms) {
        add_organization(MechanismName(name));
      }
      const bool multilateral =
          std::any_of(kpi.where.frameworks.begin(), kpi.where.frameworks.end(),
                      [](Framework framework) { return framework != Framework::kBilateral; }) ||
          std::find(kpi.where.types.begin(), kpi.where.types.end(),
                    EventType::kMultilateralMeeting) != kpi.where.types.end();
      if (result.gap_organizations.empty() && multilateral) {
        shared_networks(quiet);
      }
      break;
    }
    case Subject::kMemberships: {
      // Organizations partners belong to and the home city does not.
      for (const auto& organization : registry.organizations) {
        if (!AnyOf(kpi.where.org_kinds, organization.kind) || HomeRole(organization.name, day)) {
          continue;
        }
        if (PartnerIsMember(organization.name, kpi.where, day)) {
          add_organization(organization.name);
        }
      }
      break;
    }
    case Subject::kOrganizations: {
      // With partner_member = true: the networks that meet every other condition but that no
      // partner has joined, and the partners to invite.
      if (kpi.where.partner_member.value_or(false)) {
        // The networks the home city leads most strongly first.
        const bool share = kpi.measure == Measure::kShare;
        std::vector<std::pair<int, std::string>> open;
        for (const auto& organization : registry.organizations) {
          if (OrganizationMatches(organization, kpi.where, day, false) &&
              (!share || OrganizationMatches(organization, kpi.among, day, true)) &&
              !PartnerIsMember(organization.name, kpi.where, day)) {
            const auto role = HomeRole(organization.name, day);
            open.emplace_back(role ? RoleRank(*role) : RoleRank(MembershipRole::kObserver) + 1,
                              organization.name);
          }
        }
        std::stable_sort(open.begin(), open.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& item : open) {
          add_organization(item.second);
        }
        for (const auto& key : partners) {
          add_partner(key);
        }
      } else if (!kpi.where.home_roles.empty()) {
        shared_networks(partners);
      }
      break;
    }
    case Subject::kMechanisms: {
      for (const auto* mechanism : Select(kpi.subject, {&kpi.where}, period).mechanisms) {
        add_organization(mechanism->name_en);
      }
      for (const auto& key : partners) {
        const bool has_mechanism = std::any_of(
            registry.mechanisms.begin(), registry.mechanisms.end(), [&](const Mechanism& m) {
              return DateActive(m.founded, m.ended, day) &&
                     std::any_of(m.cities.begin(), m.cities.end(),
                                 [&](const CityRef& c) { return index_.KeyOf(c) == key; });
            });
        if (!has_mechanism) {
          add_partner(key);
        }
      }
      break;
    }
    case Subject::kRelations: {
      // Cities in scope the home city meets without a relation, most met first.
      std::map<CityKey, std::size_t> met;
      const Filter none;
      for (const auto* event :
           Select(Subject::kEvents, {&none}, Period{std::nullopt, day}).events) {
        const auto note = [&](const CityRef& city) {
          const CityKey key = index_.KeyOf(city);
          if (InScope(key, kpi.where) &&
              std::find(partners.begin(), partners.end(), key) == partners.end()) {
            ++met[key];
          }
        };
        note(event->home_city);
        for (const auto& partner : event->partner_cities) {
          note(partner);
        }
      }
      std::vector<std::pair<std::size_t, CityKey>> ranked;
      for (const auto& [key, count] : met) {
        ranked.emplace_back(count, key);
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (const auto& [count, key] : ranked) {
        add_partner(key);
      }
      break;
    }
    case Subject::kMetric:
      break;
  }
}

KpiResult Evaluator::Evaluate(const Kpi& kpi, DayNumber as_of, std::size_t max_evidence) const {
  KpiResult result;
  result.id = kpi.id;
  result.name_en = kpi.name_en;
  result.name_ko = kpi.name_ko;
  result.subject = kpi.subject;
  result.measure = kpi.measure;
  result.target = kpi.target;
  result.direction = kpi.direction;
  result.weight = kpi.weight;
  result.owner = kpi.owner;
  result.unit = kpi.unit;

  const int window = kpi.window_months.value_or(plan_.window_months);
  const bool explicit_period = !kpi.where.from.empty() || !kpi.where.to.empty();
  Period period{std::nullopt, as_of};
  if (explicit_period) {
    if (!kpi.where.from.empty()) {
      period.from = kpi.where.from.FirstDay();
    }
    if (!kpi.where.to.empty()) {
      period.to = std::min(as_of, kpi.where.to.LastDay());
    }
  } else if (window > 0) {
    period.from = AddMonths(as_of, -window) + 1;
  }
  const bool state = kpi.subject != Subject::kEvents && kpi.subject != Subject::kMetric;
  if (period.from && !state) {
    result.from = DateOfDay(*period.from);
  }
  if (kpi.subject != Subject::kMetric) {
    result.to = DateOfDay(period.to);
  }

  if (kpi.subject == Subject::kMetric) {
    const MetricValue& metric = inputs_.metrics.at(kpi.metric.name);
    result.value = metric.value;
    result.previous = metric.previous;
    result.note = metric.note;
    result.evidence_total = metric.evidence.size();
    result.evidence.assign(metric.evidence.begin(),
                           metric.evidence.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                         max_evidence, metric.evidence.size())));
  } else {
    std::string note;
    if (!HasData(kpi, as_of, note)) {
      result.note = note;
    } else {
      Selection selection;
      result.value = Value(kpi, period, note, &selection);
      result.note = note;
      result.evidence = EvidenceOf(kpi.subject, selection, max_evidence, result.evidence_total);
      if (!explicit_period && window > 0) {
        const Period previous{AddMonths(as_of, -2 * window) + 1, AddMonths(as_of, -window)};
        std::string ignored;
        result.previous = Value(kpi, previous, ignored, nullptr);
      }
    }
  }

  if (result.value) {
    const double value = *result.value;
    const double target = kpi.target;
    const bool increase = kpi.direction == TargetDirection::kIncrease;
    const bool met = increase ? value >= target - kEpsilon : value <= target + kEpsilon;
    double progress = 0.0;
    if (met) {
      progress = 1.0;
    } else if (increase) {
      const double base = kpi.baseline.value_or(0.0);
      progress = target - base > kEpsilon ? (value - base) / (target - base) : 0.0;
    } else if (kpi.baseline) {
      const double base = *kpi.baseline;
      progress = base - target > kEpsilon ? (base - value) / (base - target) : 0.0;
    } else if (target > 0 && value > 0) {
      progress = target / value;
    }
    result.progress = std::clamp(progress, 0.0, 1.0);
    if (met) {
      result.status = KpiStatus::kMet;
    } else if (*result.progress >= kpi.on_track.value_or(plan_.on_track) - kEpsilon) {
      result.status = KpiStatus::kOnTrack;
    } else {
      result.status = KpiStatus::kBehind;
    }
    if (result.previous) {
      const double change = value - *result.previous;
      if (std::abs(change) <= kEpsilon * std::max(1.0, std::abs(value))) {
        result.trend = Trend::kFlat;
      } else {
        result.trend = change > 0 ? Trend::kUp : Trend::kDown;
      }
    }
  }
  if (kpi.subject != Subject::kMetric) {
    FindGaps(kpi, period, result);
  }
  return result;
}

}  // namespace citydip::analytics::strategy::internal
