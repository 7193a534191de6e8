#include "citydip/analytics/network/opportunities.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "citydip/analytics/network/city_graph.h"
#include "citydip/analytics/network/internal/igraph_util.h"

namespace citydip::analytics::network {
namespace {

using internal::CheckIgraph;
using internal::Igraph;
using internal::IgraphLock;
using internal::IntVector;

// Days a bilateral meeting may lie before or after a multilateral event and still count as held
// on its occasion (congresses last several days; sources date them by their first day).
constexpr DayNumber kOccasionSlackDays = 3;

bool SameCity(const CityRef& a, const CityRef& b) {
  return a.name == b.name && (a.country == b.country || a.country.empty() || b.country.empty());
}

bool Involves(const Event& event, const CityRef& city) {
  if (SameCity(event.home_city, city)) {
    return true;
  }
  return std::any_of(event.partner_cities.begin(), event.partner_cities.end(),
                     [&city](const CityRef& partner) { return SameCity(partner, city); });
}

bool CurrentAt(const PartialDate& since, const PartialDate& until, const PartialDate& as_of) {
  if (as_of.empty()) {
    return until.empty();
  }
  const bool started = since.empty() || since.FirstDay() <= as_of.LastDay();
  const bool not_ended = until.empty() || until.LastDay() >= as_of.FirstDay();
  return started && not_ended;
}

bool IsLeadingRole(MembershipRole role) {
  return role == MembershipRole::kPresident || role == MembershipRole::kBoard ||
         role == MembershipRole::kSecretariatHost || role == MembershipRole::kFounder;
}

// Seniority for choosing the role to name: president, secretariat host, board, founder,
// member, observer.
int Seniority(MembershipRole role) {
  switch (role) {
    case MembershipRole::kPresident:
      return 5;
    case MembershipRole::kSecretariatHost:
      return 4;
    case MembershipRole::kBoard:
      return 3;
    case MembershipRole::kFounder:
      return 2;
    case MembershipRole::kMember:
      return 1;
    case MembershipRole::kObserver:
      return 0;
  }
  return 0;
}

double RoleWeight(MembershipRole role) {
  switch (role) {
    case MembershipRole::kPresident:
    case MembershipRole::kSecretariatHost:
      return 0.5;
    case MembershipRole::kBoard:
    case MembershipRole::kFounder:
      return 0.25;
    case MembershipRole::kMember:
    case MembershipRole::kObserver:
      return 0;
  }
  return 0;
}

double RelationBonus(const std::optional<RelationKind>& relation) {
  if (!relation) {
    return 0;
  }
  switch (*relation) {
    case RelationKind::kSister:
      return 0.5;
    case RelationKind::kFriendship:
      return 0.25;
    case RelationKind::kPartnership:
      return 0;
  }
  return 0;
}

int KindOrder(OpportunityKind kind) {
  switch (kind) {
    case OpportunityKind::kMissedMeeting:
      return 0;
    case OpportunityKind::kUnusedVenue:
      return 1;
    case OpportunityKind::kInvite:
      return 2;
  }
  return 3;
}

std::string RolePhrase(MembershipRole role, const std::string& organization) {
  switch (role) {
    case MembershipRole::kPresident:
      return "is president of " + organization;
    case MembershipRole::kSecretariatHost:
      return "hosts the secretariat of " + organization;
    case MembershipRole::kBoard:
      return "sits on the board of " + organization;
    case MembershipRole::kFounder:
      return "is a founding member of " + organization;
    case MembershipRole::kMember:
      return "is a member of " + organization;
    case MembershipRole::kObserver:
      return "is an observer in " + organization;
  }
  return "is in " + organization;
}

// What one city's current membership of one organization looks like.
struct Tie {
  MembershipRole role = MembershipRole::kMember;
  PartialDate since;       // earliest start among current rows (empty: unknown)
  PartialDate role_since;  // start of the row giving `role`
  bool leads = false;
};

// The registry's memberships, read at one date, as a bipartite igraph graph: vertices 0..C-1 are
// cities, C..C+O-1 organizations; an edge is a current membership.
class MembershipNetwork {
 public:
  MembershipNetwork(const Registry& registry, const PartialDate& as_of) {
    for (const City& city : registry.cities) {
      CityIndex(city.Ref());
    }
    for (const Organization& org : registry.organizations) {
      OrgIndex(org.name);
      if (!org.acronym.empty()) {
        acronyms_.emplace(org.acronym, org.name);
      }
    }
    for (const Membership& membership : registry.memberships) {
      const std::size_t city = CityIndex(membership.city);
      const std::size_t org = OrgIndex(Canonical(membership.organization));
      if (!CurrentAt(membership.since, membership.until, as_of)) {
        if (!membership.until.empty() &&
            (as_of.empty() || membership.until.LastDay() < as_of.FirstDay())) {
          PartialDate& left = left_[{city, org}];
          if (left.empty() || left < membership.until) {
            left = membership.until;
          }
        }
        continue;
      }
      auto [it, inserted] = ties_.try_emplace({city, org});
      Tie& tie = it->second;
      if (inserted || Seniority(membership.role) > Seniority(tie.role)) {
        tie.role = membership.role;
        tie.role_since = membership.since;
      }
      if (inserted ||
          (!membership.since.empty() && (tie.since.empty() || membership.since < tie.since))) {
        tie.since = membership.since;
      }
      tie.leads = tie.leads || IsLeadingRole(membership.role);
    }
    // A secretariat city leads its organization even without a membership row saying so.
    for (const Organization& org : registry.organizations) {
      if (!org.secretariat_city) {
        continue;
      }
      const std::size_t city = CityIndex(*org.secretariat_city);
      auto [it, inserted] = ties_.try_emplace({city, OrgIndex(org.name)});
      it->second.leads = true;
      if (inserted || Seniority(MembershipRole::kSecretariatHost) > Seniority(it->second.role)) {
        it->second.role = MembershipRole::kSecretariatHost;
        it->second.role_since = PartialDate();
      }
    }
  }

  // Builds the igraph graph; call under IgraphLock.
  Status BuildGraph() {
    const std::size_t cities = cities_.size();
    const std::size_t vertices = cities + organizations_.size();
    igraph_vector_bool_t types;
    if (Igraph().vector_bool_init(&types, static_cast<igraph_integer_t>(vertices)) !=
        IGRAPH_SUCCESS) {
      return Fail(ErrorCode::kResourceExhausted, "cannot allocate the bipartite types", "igraph");
    }
    for (std::size_t v = cities; v < vertices; ++v) {
      VECTOR(types)[static_cast<igraph_integer_t>(v)] = true;
    }
    IntVector edges(static_cast<igraph_integer_t>(2 * ties_.size()));
    if (!edges.ok()) {
      Igraph().vector_bool_destroy(&types);
      return Fail(ErrorCode::kResourceExhausted, "cannot allocate the membership edges", "igraph");
    }
    igraph_integer_t i = 0;
    for (const auto& [key, tie] : ties_) {
      VECTOR(*edges.get())[i++] = static_cast<igraph_integer_t>(key.first);
      VECTOR(*edges.get())[i++] = static_cast<igraph_integer_t>(cities + key.second);
    }
    auto status = CheckIgraph(Igraph().create_bipartite(&graph_, &types, edges.get(), false),
                              "igraph_create_bipartite");
    Igraph().vector_bool_destroy(&types);
    if (!status) {
      return status;
    }
    created_ = true;
    return Ok();
  }

  MembershipNetwork(const MembershipNetwork&) = delete;
  MembershipNetwork& operator=(const MembershipNetwork&) = delete;
  ~MembershipNetwork() {
    if (created_) {
      Igraph().destroy(&graph_);
    }
  }

  // The organizations `city` is a current member of (its neighbours in the bipartite graph).
  Result<std::set<std::size_t>> OrganizationsOf(std::size_t city) const {
    IntVector neighbours;
    if (!neighbours.ok()) {
      return Fail(ErrorCode::kResourceExhausted, "cannot allocate a neighbour list", "igraph");
    }
    if (auto s = CheckIgraph(Igraph().neighbors(&graph_, neighbours.get(),
                                                static_cast<igraph_integer_t>(city), IGRAPH_ALL),
                             "igraph_neighbors");
        !s) {
      return Fail(s.error());
    }
    std::set<std::size_t> orgs;
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
      orgs.insert(static_cast<std::size_t>(neighbours[i]) - cities_.size());
    }
    return orgs;
  }

  std::optional<std::size_t> FindCity(const CityRef& ref) const {
    if (auto it = city_index_.find({ref.name, ref.country}); it != city_index_.end()) {
      return it->second;
    }
    std::optional<std::size_t> found;
    for (std::size_t c = 0; c < cities_.size(); ++c) {
      if (SameCity(cities_[c], ref)) {
        if (found) {
          return std::nullopt;  // ambiguous without a country
        }
        found = c;
      }
    }
    return found;
  }

  std::optional<std::size_t> FindOrganization(const std::string& name) const {
    if (auto it = org_index_.find(Canonical(name)); it != org_index_.end()) {
      return it->second;
    }
    return std::nullopt;
  }

  const Tie* TieOf(std::size_t city, std::size_t org) const {
    auto it = ties_.find({city, org});
    return it == ties_.end() ? nullptr : &it->second;
  }

  const PartialDate* LeftAt(std::size_t city, std::size_t org) const {
    auto it = left_.find({city, org});
    return it == left_.end() ? nullptr : &it->second;
  }

  const CityRef& city(std::size_t c) const { return cities_[c]; }
  const std::string& organization(std::size_t o) const { return organizations_[o]; }

 private:
  std::string Canonical(const std::string& name) const {
    if (org_index_.count(name) == 0) {
      if (auto it = acronyms_.find(name); it != acronyms_.end()) {
        return it->second;
      }
    }
    return name;
  }

  std::size_t CityIndex(const CityRef& ref) {
    if (auto it = city_index_.find({ref.name, ref.country}); it != city_index_.end()) {
      return it->second;
    }
    if (ref.country.empty()) {
      if (auto found = FindCity(ref)) {
        return *found;
      }
    }
    city_index_[{ref.name, ref.country}] = cities_.size();
    cities_.push_back(ref);
    return cities_.size() - 1;
  }

  std::size_t OrgIndex(const std::string& name) {
    auto [it, inserted] = org_index_.try_emplace(name, organizations_.size());
    if (inserted) {
      organizations_.push_back(name);
    }
    return it->second;
  }

  std::vector<CityRef> cities_;
  std::map<std::pair<std::string, std::string>, std::size_t> city_index_;
  std::vector<std::string> organizations_;
  std::map<std::string, std::size_t> org_index_;
  std::map<std::string, std::string> acronyms_;
  std::map<std::pair<std::size_t, std::size_t>, Tie> ties_;          // (city, org) → tie
  std::map<std::pair<std::size_t, std::size_t>, PartialDate> left_;  // ended memberships
  igraph_t graph_{};
  bool created_ = false;
};

bool IsBilateral(const Event& event) {
  return event.status == EventStatus::kHeld &&
         (event.framework == Framework::kBilateral ||
          event.framework == Framework::kBilateralWithinMultilateral);
}

bool IsMultilateral(const Event& event) {
  return event.status == EventStatus::kHeld && event.framework == Framework::kMultilateral;
}

bool SameOccasion(const Event& multilateral, const Event& bilateral) {
  if (!multilateral.organization.empty() && !bilateral.organization.empty() &&
      multilateral.organization != bilateral.organization) {
    return false;
  }
  return bilateral.date.FirstDay() <= multilateral.date.LastDay() + kOccasionSlackDays &&
         multilateral.date.FirstDay() <= bilateral.date.LastDay() + kOccasionSlackDays;
}

std::string SinceText(const PartialDate& date) {
  return date.empty() ? std::string() : " since " + date.ToString();
}

// "Seoul (since 1987)", or "Seoul" when the start is unknown.
std::string WithSince(const std::string& name, const PartialDate& since) {
  return since.empty() ? name : name + " (since " + since.ToString() + ")";
}

std::string EventLabel(const Event& event) {
  if (!event.title_en.empty()) {
    return "'" + event.title_en + "'";
  }
  return event.ref.empty() ? "an event" : "event " + event.ref;
}

}  // namespace

std::string_view OpportunityKindCode(OpportunityKind kind) {
  switch (kind) {
    case OpportunityKind::kInvite:
      return "invite";
    case OpportunityKind::kUnusedVenue:
      return "unused_venue";
    case OpportunityKind::kMissedMeeting:
      return "missed_meeting";
  }
  return "invite";
}

Result<OpportunityReport> FindOpportunities(const Registry& registry,
                                            const OpportunityOptions& options) {
  // Resolve the cities against the registry first, so errors name what the user typed.
  const CityGraph relations = CityGraph::Build(registry, {.include_ended = false});
  auto home_vertex = relations.Find(options.home);
  if (!home_vertex) {
    return Fail(home_vertex.error());
  }
  OpportunityReport report;
  report.home = relations.vertices()[*home_vertex].city;
  report.as_of = options.as_of;

  // Partners and the closest relation each has with the home city.
  std::map<std::size_t, std::optional<RelationKind>> partner_relation;
  for (const GraphEdge& edge : relations.edges()) {
    if (edge.a == *home_vertex || edge.b == *home_vertex) {
      partner_relation[edge.a == *home_vertex ? edge.b : edge.a] = edge.relation;
    }
  }
  std::vector<std::size_t> partner_vertices;
  if (options.partner) {
    auto partner = relations.Find(*options.partner);
    if (!partner) {
      return Fail(partner.error());
    }
    if (*partner == *home_vertex) {
      return Fail(ErrorCode::kInvalidArgument, "partner " + DescribeCity(report.home) +
                                                   " is the home city (expected another city)");
    }
    partner_vertices.push_back(*partner);
  } else {
    for (const auto& [vertex, relation] : partner_relation) {
      partner_vertices.push_back(vertex);
    }
  }

  MembershipNetwork network(registry, options.as_of);
  IgraphLock lock;
  if (!lock.ok()) {
    return Fail(lock.status().error());
  }
  if (auto s = network.BuildGraph(); !s) {
    return Fail(s.error());
  }
  const auto home = network.FindCity(report.home);
  std::set<std::size_t> home_orgs;
  if (home) {
    auto orgs = network.OrganizationsOf(*home);
    if (!orgs) {
      return Fail(orgs.error());
    }
    home_orgs = std::move(*orgs);
  }
  for (std::size_t org : home_orgs) {
    const Tie* tie = network.TieOf(*home, org);
    report.home_networks.push_back({network.organization(org), tie->role, tie->leads});
  }

  std::vector<const Event*> bilateral;
  std::vector<const Event*> multilateral;
  for (const Event& event : registry.events) {
    if (!Involves(event, report.home)) {
      continue;
    }
    if (IsBilateral(event)) {
      bilateral.push_back(&event);
    } else if (IsMultilateral(event)) {
      multilateral.push_back(&event);
    }
  }

  const std::string home_name = report.home.name;
  for (std::size_t partner_vertex : partner_vertices) {
    PartnerNetworks summary;
    summary.partner = relations.vertices()[partner_vertex].city;
    if (auto it = partner_relation.find(partner_vertex); it != partner_relation.end()) {
      summary.relation = it->second;
    }
    const double bonus = RelationBonus(summary.relation);
    const std::string& partner_name = summary.partner.name;
    const auto partner = network.FindCity(summary.partner);
    std::set<std::size_t> partner_orgs;
    if (partner) {
      auto orgs = network.OrganizationsOf(*partner);
      if (!orgs) {
        return Fail(orgs.error());
      }
      partner_orgs = std::move(*orgs);
    }
    std::vector<const Event*> pair_bilateral;
    for (const Event* event : bilateral) {
      if (Involves(*event, summary.partner)) {
        pair_bilateral.push_back(event);
      }
    }
    std::vector<const Event*> pair_multilateral;
    for (const Event* event : multilateral) {
      if (Involves(*event, summary.partner)) {
        pair_multilateral.push_back(event);
      }
    }

    for (std::size_t org : home_orgs) {
      const std::string& org_name = network.organization(org);
      const Tie* home_tie = network.TieOf(*home, org);
      if (partner_orgs.count(org) == 0) {
        if (!home_tie->leads) {
          continue;
        }
        summary.led_by_home_without_partner.push_back(org_name);
        std::string reason = home_name + " " + RolePhrase(home_tie->role, org_name) +
                             SinceText(home_tie->role_since) + " and " + partner_name;
        const PartialDate* left = partner ? network.LeftAt(*partner, org) : nullptr;
        reason += left != nullptr ? " left it in " + left->ToString() : " is not a member";
        report.opportunities.push_back({OpportunityKind::kInvite,
                                        org_name,
                                        summary.partner,
                                        std::move(reason),
                                        1.0 + RoleWeight(home_tie->role) + bonus,
                                        "",
                                        {}});
        continue;
      }
      summary.shared.push_back(org_name);
      const auto inside =
          std::find_if(pair_bilateral.begin(), pair_bilateral.end(), [&](const Event* event) {
            auto event_org = network.FindOrganization(event->organization);
            return event_org && *event_org == org;
          });
      if (inside != pair_bilateral.end()) {
        continue;
      }
      const auto attended = static_cast<std::size_t>(std::count_if(
          pair_multilateral.begin(), pair_multilateral.end(), [&](const Event* event) {
            auto event_org = network.FindOrganization(event->organization);
            return event_org && *event_org == org;
          }));
      const Tie* partner_tie = network.TieOf(*partner, org);
      std::string reason = WithSince(home_name, home_tie->since) + " and " +
                           WithSince(partner_name, partner_tie->since) + " are both members of " +
                           org_name + "; no bilateral meeting of the two inside it is recorded";
      if (attended > 0) {
        reason += " although both attended " + std::to_string(attended) +
                  (attended == 1 ? " multilateral event" : " multilateral events") + " of it";
      }
      const double live = std::min(1.0, 0.25 * static_cast<double>(attended));
      report.opportunities.push_back({OpportunityKind::kUnusedVenue,
                                      org_name,
                                      summary.partner,
                                      std::move(reason),
                                      2.0 + live + bonus,
                                      "",
                                      {}});
    }
    for (std::size_t org : partner_orgs) {
      if (home_orgs.count(org) == 0) {
        summary.partner_only.push_back(network.organization(org));
      }
    }

    for (const Event* event : pair_multilateral) {
      const bool met = std::any_of(pair_bilateral.begin(), pair_bilateral.end(),
                                   [&](const Event* b) { return SameOccasion(*event, *b); });
      if (met) {
        continue;
      }
      std::string where = event->date.ToString();
      if (!event->organization.empty()) {
        where += ", " + event->organization;
      }
      std::string reason = partner_name + " attended " + EventLabel(*event) + " (" + where +
                           ") with " + home_name +
                           "; no bilateral meeting of the two is recorded on that occasion";
      std::string organization = event->organization;
      if (auto event_org = network.FindOrganization(event->organization)) {
        organization = network.organization(*event_org);
      }
      report.opportunities.push_back({OpportunityKind::kMissedMeeting, std::move(organization),
                                      summary.partner, std::move(reason), 3.0 + bonus,
                                      event->ref.empty() ? event->title_en : event->ref,
                                      event->date});
    }
    report.partners.push_back(std::move(summary));
  }

  std::stable_sort(report.opportunities.begin(), report.opportunities.end(),
                   [](const Opportunity& x, const Opportunity& y) {
                     if (std::abs(x.score - y.score) > 1e-9) {
                       return x.score > y.score;
                     }
                     if (x.kind != y.kind) {
                       return KindOrder(x.kind) < KindOrder(y.kind);
                     }
                     if (x.date != y.date) {
                       return y.date < x.date;
                     }
                     if (x.organization != y.organization) {
                       return x.organization < y.organization;
                     }
                     return x.partner.name < y.partner.name;
                   });
  return report;
}

}  // namespace citydip::analytics::network
