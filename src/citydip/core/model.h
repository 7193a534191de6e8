// The registry's domain model: cities, their partner relations, organizations and memberships,
// officials, standing mechanisms and events (exchanges). Every record keeps its sources.
//
// Records refer to each other by natural key (a city by English name and country, an
// organization or mechanism by name), so that files, analyses and reports read the same way; the
// store maps keys to its own ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/taxonomy.h"

namespace citydip {

/// A store-assigned id; 0 until stored.
using RecordId = std::int64_t;

/// Refers to a city by English name and ISO 3166-1 alpha-3 country. An empty country means
/// "the only city of that name" and is resolved by the store (ambiguous names are an error).
struct CityRef {
  std::string name;
  std::string country;

  friend bool operator==(const CityRef&, const CityRef&) = default;
};

struct City {
  RecordId id = 0;
  std::string name_en;
  std::string name_ko;
  std::string name_zh;  // optional
  std::string country;  // ISO 3166-1 alpha-3, e.g. KOR, CHN
  CityKind kind = CityKind::kCity;
  std::optional<double> lat;
  std::optional<double> lon;
  std::string wikidata_id;           // optional, e.g. Q8684
  std::vector<std::string> sources;  // URLs
  std::int64_t version = 0;          // bumped on every update (optimistic concurrency)

  [[nodiscard]] CityRef Ref() const { return {name_en, country}; }
};

struct PartnerRelation {
  RecordId id = 0;
  CityRef city_a;
  CityRef city_b;
  RelationKind relation = RelationKind::kSister;
  PartialDate since;
  PartialDate until;
  RelationStatus status = RelationStatus::kActive;
  std::vector<std::string> sources;
  std::int64_t version = 0;
};

struct Organization {
  RecordId id = 0;
  std::string name;
  std::string acronym;
  OrgKind kind = OrgKind::kCityNetwork;
  std::optional<CityRef> secretariat_city;
  PartialDate founded;
  std::vector<std::string> sources;
  std::int64_t version = 0;
};

struct Membership {
  RecordId id = 0;
  CityRef city;
  std::string organization;  // Organization::name
  MembershipRole role = MembershipRole::kMember;
  PartialDate since;
  PartialDate until;
  std::vector<std::string> sources;
  std::int64_t version = 0;
};

/// A sourced statement that an official did (or did not) visit a partner while in office, as
/// a document claims it; checked against the events.
struct VisitClaim {
  CityRef partner;
  Claim claim = Claim::kUnknown;
  std::vector<std::string> sources;

  friend bool operator==(const VisitClaim&, const VisitClaim&) = default;
};

struct Official {
  RecordId id = 0;
  std::string name_en;
  std::string name_ko;
  std::string office = "mayor";
  CityRef city;
  PartialDate term_start;  // empty: unknown
  PartialDate term_end;    // empty: in office (or unknown)
  bool acting = false;
  std::vector<VisitClaim> visit_claims;
  std::vector<std::string> sources;
  std::int64_t version = 0;
};

/// A standing institution between cities, e.g. the Seoul–Beijing Integration Council (2013).
struct Mechanism {
  RecordId id = 0;
  std::string name_en;
  std::string name_ko;
  std::vector<CityRef> cities;
  PartialDate founded;
  PartialDate ended;
  std::vector<std::string> fields;  // its fields or teams (economy, environment, ...)
  std::vector<std::string> sources;
  std::int64_t version = 0;
};

/// A named body taking part in an event, with its kind (the layers of multilayered governance).
struct Stakeholder {
  std::string name;
  StakeholderKind kind = StakeholderKind::kLocalGovernment;

  friend bool operator==(const Stakeholder&, const Stakeholder&) = default;
};

/// One exchange between a home city and one or more partner cities.
struct Event {
  RecordId id = 0;
  std::string ref;  // the source file's id ("E001"); optional, unique when given
  PartialDate date;
  CityRef home_city;
  std::vector<CityRef> partner_cities;
  std::optional<Direction> direction;  // unknown when the source does not say
  EventType type = EventType::kOther;
  Framework framework = Framework::kBilateral;
  Mode mode = Mode::kOffline;
  std::optional<Level> level;  // unknown when the source does not say
  std::vector<Topic> topics;
  std::string organization;  // Organization::name, optional
  std::string mechanism;     // Mechanism::name_en, optional: a session of that mechanism
  EventStatus status = EventStatus::kHeld;
  std::vector<std::string> officials;  // Official::name_en of participating officials
  std::vector<Stakeholder> stakeholders;
  std::string title_en;
  std::string title_ko;
  std::string notes;
  std::vector<std::string> sources;  // at least one URL
  bool verified = true;              // curated by a person (true) or derived by a machine
  std::int64_t version = 0;
};

/// The kinds of record, as named on the command line and in the API.
enum class RecordKind : std::uint8_t {
  kCity,
  kPartnerRelation,
  kOrganization,
  kMembership,
  kOfficial,
  kMechanism,
  kEvent
};

/// "cities", "partner_relations", "organizations", "memberships", "officials", "mechanisms",
/// "events" (the plural is the name in files, the CLI and the API).
[[nodiscard]] std::string_view RecordKindName(RecordKind kind);
/// Accepts the plural, the singular and "partners"/"relations" for partner relations.
[[nodiscard]] std::optional<RecordKind> ParseRecordKind(std::string_view name);
/// All kinds, in dependency order (cities first, events last).
[[nodiscard]] const std::vector<RecordKind>& AllRecordKinds();

/// Any registry record.
using Record =
    std::variant<City, PartnerRelation, Organization, Membership, Official, Mechanism, Event>;

/// The kind of a record.
[[nodiscard]] RecordKind KindOf(const Record& record);
/// The id of a record (0 when not stored yet).
[[nodiscard]] RecordId IdOf(const Record& record);

/// Everything in a registry, as loaded for analyses and exports.
struct Registry {
  std::vector<City> cities;
  std::vector<PartnerRelation> partner_relations;
  std::vector<Organization> organizations;
  std::vector<Membership> memberships;
  std::vector<Official> officials;
  std::vector<Mechanism> mechanisms;
  std::vector<Event> events;
};

/// Filters for listing events (and, where they apply, other records). Empty fields do not filter.
struct EventFilter {
  std::optional<CityRef> home;
  std::optional<CityRef> partner;
  DateRange range;
  /// Include events whose imprecise date only partly overlaps the range (e.g. an event dated
  /// "2013" for `--from 2013-05`). Off by default.
  bool include_imprecise = false;
  std::optional<EventType> type;
  std::optional<Framework> framework;
  std::optional<Mode> mode;
  std::optional<Level> level;
  std::optional<Topic> topic;
  std::string organization;
  std::string text;  // case-insensitive substring of titles and notes
  std::int64_t limit = -1;
  std::int64_t offset = 0;
};

}  // namespace citydip
