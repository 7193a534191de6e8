// Where bilateral diplomacy can move into multilateral city networks: the bipartite network of
// cities and organizations (memberships with roles and periods) read for one home city and its
// partners. The report behind citydip found Seoul's China diplomacy almost purely bilateral:
// most Chinese partners are not in the networks Seoul leads, and shared networks are rarely used
// for bilateral meetings. These are the three openings it names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::analytics::network {

enum class OpportunityKind : std::uint8_t {
  /// The home city leads a network (president, board, secretariat host, founder) the partner is
  /// not a member of: invite the partner.
  kInvite,
  /// Both cities are members of a network, and no bilateral meeting of the two inside it is
  /// recorded: an unused venue.
  kUnusedVenue,
  /// The partner attended a multilateral event with the home city, and no bilateral meeting of
  /// the two is recorded on that occasion.
  kMissedMeeting,
};

/// "invite", "unused_venue", "missed_meeting".
[[nodiscard]] std::string_view OpportunityKindCode(OpportunityKind kind);

/// One opening, with the reason in words.
struct Opportunity {
  OpportunityKind kind = OpportunityKind::kInvite;
  /// Organization::name; for a missed meeting the event's organization ("" when it has none).
  std::string organization;
  CityRef partner;
  std::string reason;
  /// Ranking score (higher first); see FindOpportunities for how it is made.
  double score = 0;
  /// For a missed meeting: the event's ref (or its English title when it has no ref) and date.
  std::string event;
  PartialDate date;
};

/// The networks of one partner as seen from the home city.
struct PartnerNetworks {
  CityRef partner;
  /// The closest non-ended relation kind with the home city, when there is one.
  std::optional<RelationKind> relation;
  /// Networks both are members of at the reference date.
  std::vector<std::string> shared;
  /// Networks the home city leads and the partner is not a member of.
  std::vector<std::string> led_by_home_without_partner;
  /// Networks the partner is a member of and the home city is not.
  std::vector<std::string> partner_only;
};

/// A membership of the home city that is current at the reference date, with its leading role.
struct HomeNetwork {
  std::string organization;
  MembershipRole role = MembershipRole::kMember;  // the most senior current role
  bool leads = false;
};

struct OpportunityOptions {
  CityRef home{};
  /// Only this partner; otherwise every city with a non-ended partner relation with the home city.
  std::optional<CityRef> partner{};
  /// Memberships current at this date count. Empty: memberships without an end date count.
  PartialDate as_of{};
};

struct OpportunityReport {
  CityRef home{};
  /// The reference date memberships were read at (empty: open memberships).
  PartialDate as_of{};
  std::vector<HomeNetwork> home_networks;
  std::vector<PartnerNetworks> partners;
  /// Ranked, best first.
  std::vector<Opportunity> opportunities;
};

/// Builds the bipartite city–organization network with igraph and lists the openings for
/// `options.home` and its partners.
///
/// A city leads a network when a current membership has role president, board, secretariat
/// host or founder, or the organization's secretariat city is the city. A bilateral meeting is a
/// held event of framework bilateral or bilateral-within-multilateral naming both cities; it is
/// "inside" a network when its organization is that network, and "on the occasion" of a
/// multilateral event when their dates are at most 3 days apart (imprecise dates: their spans)
/// and their organizations do not differ.
///
/// Score: missed meeting 3, unused venue 2 + 0.25 per multilateral event of that network both
/// attended (at most 1), invite 1 + 0.5 (president, secretariat host) or 0.25 (founder, board);
/// plus 0.5 for a sister-city partner and 0.25 for a friendship-city partner. Ties: kind
/// (missed meeting, unused venue, invite), later event first, organization, partner name.
///
/// kNotFound when the home city or the partner is not in the registry; kInvalidArgument when
/// the partner is the home city.
[[nodiscard]] Result<OpportunityReport> FindOpportunities(const Registry& registry,
                                                          const OpportunityOptions& options);

}  // namespace citydip::analytics::network
