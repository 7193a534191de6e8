#include "citydip/storage/postgres/postgres_store.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/core/text.h"
#include "citydip/storage/postgres/pg_connection.h"
#include "citydip/storage/postgres/pg_schema.h"
#include "citydip/storage/store_support.h"

namespace citydip::storage::postgres {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Values ↔ text

/// A JSON array of strings; fails for text that is not valid UTF-8 (PostgreSQL would refuse it).
Result<std::string> ToJsonArray(const std::vector<std::string>& values, std::string_view field) {
  for (const std::string& value : values) {
    if (auto bad = FindInvalidUtf8(value)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "invalid UTF-8 at byte " + std::to_string(*bad) + " of '" + value + "'",
                  std::string(field));
    }
  }
  return json(values).dump();
}

Status CheckUtf8(std::string_view value, std::string_view field) {
  if (auto bad = FindInvalidUtf8(value)) {
    return Fail(ErrorCode::kInvalidArgument,
                "invalid UTF-8 at byte " + std::to_string(*bad) + " (expected UTF-8 text)",
                std::string(field));
  }
  return Ok();
}

/// Reads back what ToJsonArray (or a json_agg) wrote, accumulating the first problem in `error`.
class JsonReader {
 public:
  json Parse(std::string_view text, std::string_view column) {
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded()) {
      Bad(column, "not JSON");
      return json::array();
    }
    if (!value.is_array()) {
      Bad(column, "not a JSON array");
      return json::array();
    }
    return value;
  }

  std::string String(const json& value, std::string_view column) {
    if (!value.is_string()) {
      Bad(column, "a non-string element");
      return {};
    }
    return value.get<std::string>();
  }

  std::vector<std::string> Strings(std::string_view text, std::string_view column) {
    std::vector<std::string> out;
    for (const json& item : Parse(text, column)) {
      out.push_back(String(item, column));
    }
    return out;
  }

  CityRef City(const json& pair, std::string_view column) {
    if (!pair.is_array() || pair.size() < 2) {
      Bad(column, "a malformed city reference");
      return {};
    }
    return {String(pair[0], column), String(pair[1], column)};
  }

  std::vector<CityRef> Cities(std::string_view text, std::string_view column) {
    std::vector<CityRef> out;
    for (const json& item : Parse(text, column)) {
      out.push_back(City(item, column));
    }
    return out;
  }

  template <typename E>
  E Enum(std::string_view code, std::string_view column) {
    if (auto value = ParseEnum<E>(code)) {
      return *value;
    }
    Bad(column, "'" + std::string(code) + "', not a " + std::string(EnumName<E>()));
    return E{};
  }

  PartialDate Date(std::string_view text, std::string_view column) {
    if (text.empty()) {
      return {};
    }
    auto date = PartialDate::Parse(text);
    if (!date) {
      Bad(column, "'" + std::string(text) + "', not a date");
      return {};
    }
    return *date;
  }

  void Bad(std::string_view column, std::string_view what) {
    if (error_.empty()) {
      error_ = "column " + std::string(column) + " holds " + std::string(what);
    }
  }

  [[nodiscard]] Status status() const {
    if (error_.empty()) {
      return Ok();
    }
    return Fail(ErrorCode::kInternal, "unexpected value in the PostgreSQL database: " + error_);
  }

 private:
  std::string error_;
};

/// "{1,2,3}", a bigint[] literal.
std::string IdArray(const std::vector<RecordId>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i == 0 ? "" : ",") + std::to_string(ids[i]);
  }
  return out + "}";
}

int PrecisionRank(const PartialDate& date) {
  return static_cast<int>(date.precision());
}

// ---------------------------------------------------------------------------------------------
// SELECTs, one per kind, each row decoded by the matching Read* function below.

constexpr std::string_view kSelectCities =
    "SELECT c.id, c.name_en, c.name_ko, c.name_zh, c.country, c.kind, c.lat, c.lon, "
    "c.wikidata_id, c.sources::text, c.version FROM cities c";
constexpr std::string_view kOrderCities =
    " ORDER BY c.country COLLATE \"C\", c.name_en COLLATE \"C\", c.id";

constexpr std::string_view kSelectRelations =
    "SELECT r.id, a.name_en, a.country, b.name_en, b.country, r.relation, r.since, r.until, "
    "r.status, r.sources::text, r.version FROM partner_relations r "
    "JOIN cities a ON a.id = r.city_a_id JOIN cities b ON b.id = r.city_b_id";
constexpr std::string_view kOrderRelations = " ORDER BY r.id";

constexpr std::string_view kSelectOrganizations =
    "SELECT o.id, o.name, o.acronym, o.kind, s.name_en, s.country, o.founded, o.sources::text, "
    "o.version FROM organizations o LEFT JOIN cities s ON s.id = o.secretariat_city_id";
constexpr std::string_view kOrderOrganizations = " ORDER BY o.name COLLATE \"C\", o.id";

constexpr std::string_view kSelectMemberships =
    "SELECT m.id, c.name_en, c.country, o.name, m.role, m.since, m.until, m.sources::text, "
    "m.version FROM memberships m JOIN cities c ON c.id = m.city_id "
    "JOIN organizations o ON o.id = m.organization_id";
constexpr std::string_view kOrderMemberships = " ORDER BY m.id";

constexpr std::string_view kSelectOfficials =
    "SELECT f.id, f.name_en, f.name_ko, f.office, c.name_en, c.country, f.term_start, "
    "f.term_end, f.acting, "
    "(SELECT COALESCE(json_agg(json_build_array(p.name_en, p.country, v.claim, v.sources) "
    "ORDER BY v.position), '[]')::text FROM official_visit_claims v "
    "JOIN cities p ON p.id = v.partner_city_id WHERE v.official_id = f.id), "
    "f.sources::text, f.version FROM officials f JOIN cities c ON c.id = f.city_id";
constexpr std::string_view kOrderOfficials = " ORDER BY f.id";

constexpr std::string_view kSelectMechanisms =
    "SELECT m.id, m.name_en, m.name_ko, "
    "(SELECT COALESCE(json_agg(json_build_array(c.name_en, c.country) ORDER BY mc.position), "
    "'[]')::text FROM mechanism_cities mc JOIN cities c ON c.id = mc.city_id "
    "WHERE mc.mechanism_id = m.id), "
    "m.founded, m.ended, m.fields::text, m.sources::text, m.version FROM mechanisms m";
constexpr std::string_view kOrderMechanisms = " ORDER BY m.id";

constexpr std::string_view kSelectEvents =
    "SELECT e.id, e.ref, e.date, h.name_en, h.country, "
    "(SELECT COALESCE(json_agg(json_build_array(c.name_en, c.country) ORDER BY p.position), "
    "'[]')::text FROM event_partners p JOIN cities c ON c.id = p.city_id "
    "WHERE p.event_id = e.id), "
    "e.direction, e.type, e.framework, e.mode, e.level, e.topics::text, o.name, m.name_en, "
    "e.status, "
    "(SELECT COALESCE(json_agg(f.name_en ORDER BY eo.position), '[]')::text "
    "FROM event_officials eo JOIN officials f ON f.id = eo.official_id "
    "WHERE eo.event_id = e.id), "
    "e.stakeholders::text, e.title_en, e.title_ko, e.notes, e.sources::text, e.verified, "
    "e.version FROM events e JOIN cities h ON h.id = e.home_city_id "
    "LEFT JOIN organizations o ON o.id = e.organization_id "
    "LEFT JOIN mechanisms m ON m.id = e.mechanism_id";
constexpr std::string_view kOrderEvents = " ORDER BY e.first_day, e.precision, e.id";

struct KindSql {
  std::string_view select;
  std::string_view order;
  std::string_view table;
  std::string_view alias;
};

KindSql SqlFor(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return {kSelectCities, kOrderCities, "cities", "c"};
    case RecordKind::kPartnerRelation:
      return {kSelectRelations, kOrderRelations, "partner_relations", "r"};
    case RecordKind::kOrganization:
      return {kSelectOrganizations, kOrderOrganizations, "organizations", "o"};
    case RecordKind::kMembership:
      return {kSelectMemberships, kOrderMemberships, "memberships", "m"};
    case RecordKind::kOfficial:
      return {kSelectOfficials, kOrderOfficials, "officials", "f"};
    case RecordKind::kMechanism:
      return {kSelectMechanisms, kOrderMechanisms, "mechanisms", "m"};
    case RecordKind::kEvent:
      return {kSelectEvents, kOrderEvents, "events", "e"};
  }
  return {kSelectEvents, kOrderEvents, "events", "e"};
}

Result<City> ReadCity(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  City city;
  city.id = r.Int64();
  city.name_en = r.Text();
  city.name_ko = r.Text();
  city.name_zh = r.Text();
  city.country = r.Text();
  city.kind = j.Enum<CityKind>(r.Text(), "cities.kind");
  city.lat = r.OptionalDouble();
  city.lon = r.OptionalDouble();
  city.wikidata_id = r.Text();
  city.sources = j.Strings(r.Text(), "cities.sources");
  city.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return city;
}

Result<PartnerRelation> ReadRelation(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  PartnerRelation relation;
  relation.id = r.Int64();
  relation.city_a.name = r.Text();
  relation.city_a.country = r.Text();
  relation.city_b.name = r.Text();
  relation.city_b.country = r.Text();
  relation.relation = j.Enum<RelationKind>(r.Text(), "partner_relations.relation");
  relation.since = j.Date(r.Text(), "partner_relations.since");
  relation.until = j.Date(r.Text(), "partner_relations.until");
  relation.status = j.Enum<RelationStatus>(r.Text(), "partner_relations.status");
  relation.sources = j.Strings(r.Text(), "partner_relations.sources");
  relation.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return relation;
}

Result<Organization> ReadOrganization(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  Organization organization;
  organization.id = r.Int64();
  organization.name = r.Text();
  organization.acronym = r.Text();
  organization.kind = j.Enum<OrgKind>(r.Text(), "organizations.kind");
  if (r.IsNull()) {
    r.Skip();
    r.Skip();
  } else {
    CityRef city;
    city.name = r.Text();
    city.country = r.Text();
    organization.secretariat_city = std::move(city);
  }
  organization.founded = j.Date(r.Text(), "organizations.founded");
  organization.sources = j.Strings(r.Text(), "organizations.sources");
  organization.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return organization;
}

Result<Membership> ReadMembership(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  Membership membership;
  membership.id = r.Int64();
  membership.city.name = r.Text();
  membership.city.country = r.Text();
  membership.organization = r.Text();
  membership.role = j.Enum<MembershipRole>(r.Text(), "memberships.role");
  membership.since = j.Date(r.Text(), "memberships.since");
  membership.until = j.Date(r.Text(), "memberships.until");
  membership.sources = j.Strings(r.Text(), "memberships.sources");
  membership.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return membership;
}

Result<Official> ReadOfficial(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  Official official;
  official.id = r.Int64();
  official.name_en = r.Text();
  official.name_ko = r.Text();
  official.office = r.Text();
  official.city.name = r.Text();
  official.city.country = r.Text();
  official.term_start = j.Date(r.Text(), "officials.term_start");
  official.term_end = j.Date(r.Text(), "officials.term_end");
  official.acting = r.Bool();
  for (const json& item : j.Parse(r.Text(), "official_visit_claims")) {
    VisitClaim claim;
    if (!item.is_array() || item.size() != 4) {
      j.Bad("official_visit_claims", "a malformed claim");
      continue;
    }
    claim.partner = {j.String(item[0], "official_visit_claims"),
                     j.String(item[1], "official_visit_claims")};
    claim.claim = j.Enum<Claim>(j.String(item[2], "official_visit_claims.claim"),
                                "official_visit_claims.claim");
    for (const json& source : item[3]) {
      claim.sources.push_back(j.String(source, "official_visit_claims.sources"));
    }
    official.visit_claims.push_back(std::move(claim));
  }
  official.sources = j.Strings(r.Text(), "officials.sources");
  official.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return official;
}

Result<Mechanism> ReadMechanism(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  Mechanism mechanism;
  mechanism.id = r.Int64();
  mechanism.name_en = r.Text();
  mechanism.name_ko = r.Text();
  mechanism.cities = j.Cities(r.Text(), "mechanism_cities");
  mechanism.founded = j.Date(r.Text(), "mechanisms.founded");
  mechanism.ended = j.Date(r.Text(), "mechanisms.ended");
  mechanism.fields = j.Strings(r.Text(), "mechanisms.fields");
  mechanism.sources = j.Strings(r.Text(), "mechanisms.sources");
  mechanism.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return mechanism;
}

Result<Event> ReadEvent(const PgResult& rows, int row) {
  RowReader r(rows, row);
  JsonReader j;
  Event event;
  event.id = r.Int64();
  event.ref = r.Text();
  event.date = j.Date(r.Text(), "events.date");
  event.home_city.name = r.Text();
  event.home_city.country = r.Text();
  event.partner_cities = j.Cities(r.Text(), "event_partners");
  if (r.IsNull()) {
    r.Skip();
  } else {
    event.direction = j.Enum<Direction>(r.Text(), "events.direction");
  }
  event.type = j.Enum<EventType>(r.Text(), "events.type");
  event.framework = j.Enum<Framework>(r.Text(), "events.framework");
  event.mode = j.Enum<Mode>(r.Text(), "events.mode");
  if (r.IsNull()) {
    r.Skip();
  } else {
    event.level = j.Enum<Level>(r.Text(), "events.level");
  }
  for (const std::string& topic : j.Strings(r.Text(), "events.topics")) {
    event.topics.push_back(j.Enum<Topic>(topic, "events.topics"));
  }
  event.organization = r.Text();  // NULL reads as ""
  event.mechanism = r.Text();
  event.status = j.Enum<EventStatus>(r.Text(), "events.status");
  event.officials = j.Strings(r.Text(), "event_officials");
  for (const json& item : j.Parse(r.Text(), "events.stakeholders")) {
    if (!item.is_object() || !item.contains("name") || !item.contains("kind")) {
      j.Bad("events.stakeholders", "a malformed stakeholder");
      continue;
    }
    Stakeholder stakeholder;
    stakeholder.name = j.String(item["name"], "events.stakeholders");
    stakeholder.kind = j.Enum<StakeholderKind>(j.String(item["kind"], "events.stakeholders"),
                                               "events.stakeholders");
    event.stakeholders.push_back(std::move(stakeholder));
  }
  event.title_en = r.Text();
  event.title_ko = r.Text();
  event.notes = r.Text();
  event.sources = j.Strings(r.Text(), "events.sources");
  event.verified = r.Bool();
  event.version = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  if (auto s = j.status(); !s) {
    return Fail(s.error());
  }
  return event;
}

Result<Record> ReadRecord(RecordKind kind, const PgResult& rows, int row) {
  auto wrap = [](auto result) -> Result<Record> {
    if (!result) {
      return Fail(result.error());
    }
    return Record(std::move(*result));
  };
  switch (kind) {
    case RecordKind::kCity:
      return wrap(ReadCity(rows, row));
    case RecordKind::kPartnerRelation:
      return wrap(ReadRelation(rows, row));
    case RecordKind::kOrganization:
      return wrap(ReadOrganization(rows, row));
    case RecordKind::kMembership:
      return wrap(ReadMembership(rows, row));
    case RecordKind::kOfficial:
      return wrap(ReadOfficial(rows, row));
    case RecordKind::kMechanism:
      return wrap(ReadMechanism(rows, row));
    case RecordKind::kEvent:
      return wrap(ReadEvent(rows, row));
  }
  return Fail(ErrorCode::kInternal, "unknown record kind");
}

/// Which table a foreign key constraint belongs to, for "still referenced by ..." messages.
std::string ReferencingTable(std::string_view constraint) {
  static constexpr std::pair<std::string_view, std::string_view> kTables[] = {
      {"event_partners", "events (as a partner city)"},
      {"event_officials", "events (as a participant)"},
      {"events", "events"},
      {"official_visit_claims", "officials (in a visit claim)"},
      {"officials", "officials"},
      {"mechanism_cities", "mechanisms"},
      {"memberships", "memberships"},
      {"partner_relations", "partner relations"},
      {"organizations", "organizations (as secretariat city)"},
  };
  for (const auto& [prefix, name] : kTables) {
    if (constraint.starts_with(prefix)) {
      return std::string(name);
    }
  }
  return "other records";
}

/// The natural key of a record, for "already exists" messages.
std::string DescribeKey(const Record& record) {
  struct Visitor {
    std::string operator()(const City& c) const { return DescribeCityRef(c.Ref()); }
    std::string operator()(const PartnerRelation& r) const {
      return DescribeCityRef(r.city_a) + " – " + DescribeCityRef(r.city_b) + " (" +
             std::string(ToCode(r.relation)) +
             (r.since.empty() ? std::string() : ", since " + r.since.ToString()) + ")";
    }
    std::string operator()(const Organization& o) const { return "'" + o.name + "'"; }
    std::string operator()(const Membership& m) const {
      return DescribeCityRef(m.city) + " in '" + m.organization + "' (" +
             std::string(ToCode(m.role)) +
             (m.since.empty() ? std::string() : ", since " + m.since.ToString()) + ")";
    }
    std::string operator()(const Official& o) const {
      return "'" + o.name_en + "' (" + o.office + " of " + DescribeCityRef(o.city) +
             (o.term_start.empty() ? std::string() : ", from " + o.term_start.ToString()) + ")";
    }
    std::string operator()(const Mechanism& m) const { return "'" + m.name_en + "'"; }
    std::string operator()(const Event& e) const { return "with ref '" + e.ref + "'"; }
  };
  return std::visit(Visitor{}, record);
}

/// A query counting the records that refer to the record with id $1, and what they are.
struct ReferenceCheck {
  std::string_view noun;
  std::string_view sql;
};

/// The same checks as the SQLite backend's, so both word "still referenced" alike.
std::vector<ReferenceCheck> ReferenceChecks(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return {
          {"events",
           "SELECT count(*) FROM events WHERE home_city_id = $1 OR id IN "
           "(SELECT event_id FROM event_partners WHERE city_id = $1)"},
          {"partner relations",
           "SELECT count(*) FROM partner_relations WHERE city_a_id = $1 OR city_b_id = $1"},
          {"organizations", "SELECT count(*) FROM organizations WHERE secretariat_city_id = $1"},
          {"memberships", "SELECT count(*) FROM memberships WHERE city_id = $1"},
          {"officials",
           "SELECT count(*) FROM officials WHERE city_id = $1 OR id IN "
           "(SELECT official_id FROM official_visit_claims WHERE partner_city_id = $1)"},
          {"mechanisms",
           "SELECT count(*) FROM mechanisms WHERE id IN "
           "(SELECT mechanism_id FROM mechanism_cities WHERE city_id = $1)"},
      };
    case RecordKind::kOrganization:
      return {
          {"events", "SELECT count(*) FROM events WHERE organization_id = $1"},
          {"memberships", "SELECT count(*) FROM memberships WHERE organization_id = $1"},
      };
    case RecordKind::kOfficial:
      return {{"events", "SELECT count(*) FROM event_officials WHERE official_id = $1"}};
    case RecordKind::kMechanism:
      return {{"events", "SELECT count(*) FROM events WHERE mechanism_id = $1"}};
    case RecordKind::kPartnerRelation:
    case RecordKind::kMembership:
    case RecordKind::kEvent:
      return {};
  }
  return {};
}

/// How a record is named in messages ("'Beijing' (country CHN)"), as a query by id. Locks the
/// row, so that nobody changes what is being deleted meanwhile.
std::string_view LabelSql(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return "SELECT '''' || name_en || ''' (country ' || country || ')' FROM cities "
             "WHERE id = $1 FOR UPDATE";
    case RecordKind::kOrganization:
      return "SELECT '''' || name || '''' FROM organizations WHERE id = $1 FOR UPDATE";
    case RecordKind::kOfficial:
      return "SELECT '''' || name_en || '''' FROM officials WHERE id = $1 FOR UPDATE";
    case RecordKind::kMechanism:
      return "SELECT '''' || name_en || '''' FROM mechanisms WHERE id = $1 FOR UPDATE";
    case RecordKind::kPartnerRelation:
      return "SELECT id::text FROM partner_relations WHERE id = $1 FOR UPDATE";
    case RecordKind::kMembership:
      return "SELECT id::text FROM memberships WHERE id = $1 FOR UPDATE";
    case RecordKind::kEvent:
      return "SELECT id::text FROM events WHERE id = $1 FOR UPDATE";
  }
  return "SELECT id::text FROM events WHERE id = $1 FOR UPDATE";
}

// ---------------------------------------------------------------------------------------------
// The store

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<Connection> connection) : db_(std::move(connection)) {}

  Result<int> SchemaVersion() override;
  Status Migrate() override;
  Status InTransaction(const std::function<Status()>& work) override;

  Result<RecordId> Insert(const Record& record) override;
  Status Update(const Record& record) override;
  Status Delete(RecordKind kind, RecordId id) override;
  Result<Record> Get(RecordKind kind, RecordId id) override;

  Result<std::optional<City>> FindCity(const CityRef& ref) override {
    if (auto s = RequireSchema(); !s) {
      return Fail(s.error());
    }
    return FindCityIn(ref, "");
  }
  Result<std::optional<Organization>> FindOrganization(const std::string& name) override;
  Result<std::optional<Mechanism>> FindMechanism(const std::string& name) override;
  Result<std::optional<RecordId>> FindDuplicateEvent(const Event& event) override;

  Result<std::vector<Event>> ListEvents(const EventFilter& filter) override;
  Result<std::int64_t> CountEvents(const EventFilter& filter) override;
  Result<std::vector<Record>> List(RecordKind kind) override;
  Result<Registry> LoadRegistry() override;
  Result<Counts> CountAll() override;

 private:
  /// Fails unless the schema is at kSchemaVersion (checked once per store, like SQLite).
  [[nodiscard]] Status RequireSchema();
  /// Runs `work` atomically: its own transaction, or a savepoint inside InTransaction (so that a
  /// failed statement does not poison the caller's transaction, as on SQLite).
  [[nodiscard]] Status Atomically(const std::function<Status()>& work);
  [[nodiscard]] Status RollbackQuietly();

  [[nodiscard]] Result<std::optional<City>> FindCityIn(const CityRef& ref, std::string_view field);
  [[nodiscard]] Result<RecordId> ResolveCity(const CityRef& ref, std::string_view field);
  [[nodiscard]] Result<std::vector<RecordId>> ResolveCities(const std::vector<CityRef>& refs,
                                                            std::string_view field);
  [[nodiscard]] Result<RecordId> ResolveOrganization(const std::string& name,
                                                     std::string_view field);
  [[nodiscard]] Result<RecordId> ResolveMechanism(const std::string& name, std::string_view field);
  [[nodiscard]] Result<RecordId> ResolveOfficial(const std::string& name, const PartialDate& when);
  /// Tries the queries (id, label by $1) in order; the first that finds something decides, and
  /// several matches of one query are ambiguous (kInvalidArgument listing them).
  [[nodiscard]] Result<std::optional<RecordId>> LookupByName(
      std::string_view what,
      const std::string& name,
      std::string_view field,
      std::initializer_list<std::string_view> queries);
  [[nodiscard]] Result<std::optional<RecordId>> LookupOrganization(const std::string& name,
                                                                   std::string_view field);
  [[nodiscard]] Result<std::optional<RecordId>> LookupMechanism(const std::string& name,
                                                                std::string_view field);

  /// Writes a record: INSERT when `id` is 0, else a version-checked UPDATE. Returns the id.
  [[nodiscard]] Result<RecordId> Write(const City& city, RecordId id, std::int64_t version);
  [[nodiscard]] Result<RecordId> Write(const PartnerRelation& relation,
                                       RecordId id,
                                       std::int64_t version);
  [[nodiscard]] Result<RecordId> Write(const Organization& organization,
                                       RecordId id,
                                       std::int64_t version);
  [[nodiscard]] Result<RecordId> Write(const Membership& membership,
                                       RecordId id,
                                       std::int64_t version);
  [[nodiscard]] Result<RecordId> Write(const Official& official, RecordId id, std::int64_t version);
  [[nodiscard]] Result<RecordId> Write(const Mechanism& mechanism,
                                       RecordId id,
                                       std::int64_t version);
  [[nodiscard]] Result<RecordId> Write(const Event& event, RecordId id, std::int64_t version);

  /// Runs the INSERT (id 0) or the version-checked UPDATE built from `columns` and `params`
  /// (the column values, in order) and maps "nothing updated" to kNotFound or kConflict.
  [[nodiscard]] Result<RecordId> Upsert(RecordKind kind,
                                        const std::vector<std::string>& columns,
                                        Params params,
                                        RecordId id,
                                        std::int64_t version,
                                        const Record& record);

  /// The WHERE clause and parameters of an event filter ("" when nothing filters).
  [[nodiscard]] Result<std::string> EventWhere(const EventFilter& filter, Params& params);

  [[nodiscard]] Result<std::vector<Record>> Query(RecordKind kind,
                                                  const std::string& sql,
                                                  const Params& params);

  std::string where() const { return db_->address().HostPort(); }

  std::unique_ptr<Connection> db_;
  bool in_transaction_ = false;
  bool schema_ok_ = false;
};

// --- schema ----------------------------------------------------------------------------------

Result<int> PostgresStore::SchemaVersion() {
  auto exists = db_->Exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) {
    return Fail(exists.error());
  }
  if (exists->Text(0, 0) != "t") {
    return 0;
  }
  auto version = db_->Exec("SELECT COALESCE(max(version), 0) FROM schema_migrations");
  if (!version) {
    return Fail(version.error());
  }
  RowReader r(*version, 0);
  const std::int64_t value = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  return static_cast<int>(value);
}

Status PostgresStore::RequireSchema() {
  if (schema_ok_) {
    return Ok();
  }
  auto version = SchemaVersion();
  if (!version) {
    return Fail(version.error());
  }
  if (*version > kSchemaVersion) {
    return Fail(NewerSchemaError(*version, where()));
  }
  if (*version < kSchemaVersion) {
    return Fail(OutdatedSchemaError(*version, where()));
  }
  schema_ok_ = true;
  return Ok();
}

Status PostgresStore::Migrate() {
  Status migrated = Atomically([&]() -> Status {
    // Two citydips migrating the same database at once: the second waits, then finds it done.
    if (auto lock = db_->Exec("SELECT pg_advisory_xact_lock($1)",
                              Params().Add(static_cast<std::int64_t>(kMigrationLockKey)));
        !lock) {
      return Fail(lock.error());
    }
    auto tables = db_->Exec(
        "SELECT to_regclass('schema_migrations') IS NOT NULL, "
        "(SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
        "AND tablename NOT LIKE 'auth\\_%')");  // the AuthStore's tables may come first
    if (!tables) {
      return Fail(tables.error());
    }
    if (tables->Text(0, 0) != "t") {
      if (tables->Text(0, 1) != "0") {
        return Fail(ErrorCode::kFailedPrecondition,
                    "database " + where() +
                        " is not a citydip database (its schema has tables but no "
                        "schema_migrations)",
                    where());
      }
      if (auto s = db_->ExecScript(std::string(kCreateMigrationsTable)); !s) {
        return s;
      }
    }
    auto current = SchemaVersion();
    if (!current) {
      return Fail(current.error());
    }
    if (*current > kSchemaVersion) {
      return Fail(NewerSchemaError(*current, where()));
    }
    for (const Migration& migration : Migrations()) {
      if (migration.version <= *current) {
        continue;
      }
      if (auto s = db_->ExecScript(std::string(migration.sql)); !s) {
        Error error = s.error();
        error.message = "migration to schema version " + std::to_string(migration.version) +
                        " failed: " + error.message;
        return Fail(std::move(error));
      }
      if (auto s = db_->Exec("INSERT INTO schema_migrations (version) VALUES ($1)",
                             Params().Add(migration.version));
          !s) {
        return Fail(s.error());
      }
    }
    return Ok();
  });
  if (!migrated) {
    return migrated;
  }
  schema_ok_ = false;
  // Statements prepared against the old tables would fail with "cached plan must not change".
  return db_->ForgetPreparedStatements();
}

// --- transactions ----------------------------------------------------------------------------

Status PostgresStore::RollbackQuietly() {
  return db_->ExecScript("ROLLBACK");
}

Status PostgresStore::InTransaction(const std::function<Status()>& work) {
  if (in_transaction_) {
    return Fail(ErrorCode::kFailedPrecondition,
                "a transaction is already open on this store (InTransaction is not reentrant)");
  }
  if (auto begun = db_->ExecScript("BEGIN"); !begun) {
    return begun;
  }
  in_transaction_ = true;
  db_->set_reconnect_allowed(false);
  auto finish = [&] {
    in_transaction_ = false;
    db_->set_reconnect_allowed(true);
  };
  Status result = Ok();
  try {
    result = work();
  } catch (const std::exception& e) {
    result = Fail(ErrorCode::kInternal,
                  std::string("the transaction's work threw an exception: ") + e.what());
  } catch (...) {
    result = Fail(ErrorCode::kInternal, "the transaction's work threw an exception");
  }
  if (!result) {
    (void)RollbackQuietly();
    finish();
    return result;
  }
  Status committed = db_->ExecScript("COMMIT");
  finish();
  if (!committed && committed.error().code == ErrorCode::kUnavailable) {
    Error error = committed.error();
    error.message += " (the commit may or may not have been applied)";
    return Fail(std::move(error));
  }
  return committed;
}

Status PostgresStore::Atomically(const std::function<Status()>& work) {
  if (in_transaction_) {
    if (auto s = db_->ExecScript("SAVEPOINT citydip_op"); !s) {
      return s;
    }
    Status result = work();
    if (result) {
      return db_->ExecScript("RELEASE SAVEPOINT citydip_op");
    }
    (void)db_->ExecScript("ROLLBACK TO SAVEPOINT citydip_op; RELEASE SAVEPOINT citydip_op");
    return result;
  }
  if (auto s = db_->ExecScript("BEGIN"); !s) {
    return s;
  }
  db_->set_reconnect_allowed(false);
  Status result = work();
  if (result) {
    result = db_->ExecScript("COMMIT");
  } else {
    (void)RollbackQuietly();
  }
  db_->set_reconnect_allowed(true);
  return result;
}

// --- references ------------------------------------------------------------------------------

Result<std::optional<City>> PostgresStore::FindCityIn(const CityRef& ref, std::string_view field) {
  // The exact English name (and country) first, then ASCII case-insensitively, as on SQLite.
  const std::string country_clause = ref.country.empty() ? " AND $2 = ''" : " AND c.country = $2";
  const std::string folded_country_clause =
      ref.country.empty() ? " AND $2 = ''"
                          : " AND lower(c.country COLLATE \"C\") = lower($2::text COLLATE \"C\")";
  for (const bool exact : {true, false}) {
    const std::string sql =
        std::string(kSelectCities) +
        (exact ? " WHERE c.name_en = $1" + country_clause
               : " WHERE lower(c.name_en COLLATE \"C\") = lower($1::text COLLATE \"C\")" +
                     folded_country_clause) +
        std::string(kOrderCities);
    auto rows = db_->Exec(sql, Params().Add(ref.name).Add(ref.country));
    if (!rows) {
      return Fail(rows.error());
    }
    if (rows->rows() == 0) {
      continue;
    }
    if (rows->rows() > 1) {
      std::vector<std::string> countries;
      for (int i = 0; i < rows->rows(); ++i) {
        countries.emplace_back(rows->Text(i, 4));
      }
      return Fail(AmbiguousCityError(ref, countries, field));
    }
    auto city = ReadCity(*rows, 0);
    if (!city) {
      return Fail(city.error());
    }
    return std::optional<City>(std::move(*city));
  }
  return std::optional<City>();
}

Result<RecordId> PostgresStore::ResolveCity(const CityRef& ref, std::string_view field) {
  auto city = FindCityIn(ref, field);
  if (!city) {
    return Fail(city.error());
  }
  if (!*city) {
    return Fail(UnknownCityError(ref, field));
  }
  return (*city)->id;
}

Result<std::vector<RecordId>> PostgresStore::ResolveCities(const std::vector<CityRef>& refs,
                                                           std::string_view field) {
  std::vector<RecordId> ids;
  ids.reserve(refs.size());
  for (const CityRef& ref : refs) {
    auto id = ResolveCity(ref, field);
    if (!id) {
      return Fail(id.error());
    }
    ids.push_back(*id);
  }
  return ids;
}

Result<std::optional<RecordId>> PostgresStore::LookupByName(
    std::string_view what,
    const std::string& name,
    std::string_view field,
    std::initializer_list<std::string_view> queries) {
  for (std::string_view sql : queries) {
    auto rows = db_->Exec(std::string(sql), Params().Add(name));
    if (!rows) {
      return Fail(rows.error());
    }
    if (rows->rows() == 1) {
      RowReader r(*rows, 0);
      const RecordId id = r.Int64();
      if (auto s = r.status(); !s) {
        return Fail(s.error());
      }
      return std::optional<RecordId>(id);
    }
    if (rows->rows() > 1) {
      std::string list;
      for (int i = 0; i < rows->rows(); ++i) {
        list += (list.empty() ? "'" : ", '") + std::string(rows->Text(i, 1)) + "'";
      }
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(what) + " '" + name + "' is ambiguous: it matches " + list +
                      " (give the full name)",
                  std::string(field));
    }
  }
  return std::optional<RecordId>();
}

Result<std::optional<RecordId>> PostgresStore::LookupOrganization(const std::string& name,
                                                                  std::string_view field) {
  return LookupByName(
      "organization", name, field,
      {"SELECT id, name FROM organizations WHERE name = $1",
       "SELECT id, name FROM organizations WHERE acronym = $1 AND $1 <> '' "
       "ORDER BY name COLLATE \"C\"",
       "SELECT id, name FROM organizations "
       "WHERE lower(name COLLATE \"C\") = lower($1::text COLLATE \"C\") ORDER BY name COLLATE "
       "\"C\"",
       "SELECT id, name FROM organizations "
       "WHERE lower(acronym COLLATE \"C\") = lower($1::text COLLATE \"C\") AND $1 <> '' "
       "ORDER BY name COLLATE \"C\""});
}

Result<std::optional<RecordId>> PostgresStore::LookupMechanism(const std::string& name,
                                                               std::string_view field) {
  return LookupByName("mechanism", name, field,
                      {"SELECT id, name_en FROM mechanisms WHERE name_en = $1",
                       "SELECT id, name_en FROM mechanisms WHERE name_ko = $1 AND $1 <> '' "
                       "ORDER BY name_en COLLATE \"C\"",
                       "SELECT id, name_en FROM mechanisms "
                       "WHERE lower(name_en COLLATE \"C\") = lower($1::text COLLATE \"C\") "
                       "ORDER BY name_en COLLATE \"C\""});
}

Result<std::optional<Organization>> PostgresStore::FindOrganization(const std::string& name) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  auto id = LookupOrganization(name, "");
  if (!id) {
    return Fail(id.error());
  }
  if (!*id) {
    return std::optional<Organization>();
  }
  auto rows = db_->Exec(std::string(kSelectOrganizations) + " WHERE o.id = $1", Params().Add(**id));
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->rows() == 0) {
    return std::optional<Organization>();
  }
  auto organization = ReadOrganization(*rows, 0);
  if (!organization) {
    return Fail(organization.error());
  }
  return std::optional<Organization>(std::move(*organization));
}

Result<std::optional<Mechanism>> PostgresStore::FindMechanism(const std::string& name) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  auto id = LookupMechanism(name, "");
  if (!id) {
    return Fail(id.error());
  }
  if (!*id) {
    return std::optional<Mechanism>();
  }
  auto rows = db_->Exec(std::string(kSelectMechanisms) + " WHERE m.id = $1", Params().Add(**id));
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->rows() == 0) {
    return std::optional<Mechanism>();
  }
  auto mechanism = ReadMechanism(*rows, 0);
  if (!mechanism) {
    return Fail(mechanism.error());
  }
  return std::optional<Mechanism>(std::move(*mechanism));
}

Result<RecordId> PostgresStore::ResolveOrganization(const std::string& name,
                                                    std::string_view field) {
  auto found = LookupOrganization(name, field);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(UnknownReferenceError("organization", name, field));
  }
  return **found;
}

Result<RecordId> PostgresStore::ResolveMechanism(const std::string& name, std::string_view field) {
  auto found = LookupMechanism(name, field);
  if (!found) {
    return Fail(found.error());
  }
  if (!*found) {
    return Fail(UnknownReferenceError("mechanism", name, field));
  }
  return **found;
}

Result<RecordId> PostgresStore::ResolveOfficial(const std::string& name, const PartialDate& when) {
  // An event names officials by English name only. When several share the name (two terms of
  // one mayor, say), the one in office on the event's date is taken, else the first (as on
  // SQLite).
  for (const std::string_view sql :
       {"SELECT id, term_start, term_end FROM officials WHERE name_en = $1 ORDER BY id",
        "SELECT id, term_start, term_end FROM officials "
        "WHERE lower(name_en COLLATE \"C\") = lower($1::text COLLATE \"C\") ORDER BY id"}) {
    auto rows = db_->Exec(std::string(sql), Params().Add(name));
    if (!rows) {
      return Fail(rows.error());
    }
    if (rows->rows() == 0) {
      continue;
    }
    JsonReader j;
    RecordId chosen = 0;
    for (int i = 0; i < rows->rows() && chosen == 0; ++i) {
      RowReader r(*rows, i);
      const RecordId id = r.Int64();
      const PartialDate start = j.Date(r.Text(), "officials.term_start");
      const PartialDate end = j.Date(r.Text(), "officials.term_end");
      if (auto s = r.status(); !s) {
        return Fail(s.error());
      }
      const bool started = start.empty() || start.FirstDay() <= when.FirstDay();
      const bool not_ended = end.empty() || end.LastDay() >= when.FirstDay();
      if (rows->rows() == 1 || when.empty() || (started && not_ended)) {
        chosen = id;
      }
    }
    if (auto s = j.status(); !s) {
      return Fail(s.error());
    }
    if (chosen == 0) {
      RowReader first(*rows, 0);
      chosen = first.Int64();
    }
    return chosen;
  }
  return Fail(UnknownReferenceError("official", name, "officials"));
}

// --- writes ----------------------------------------------------------------------------------

Result<RecordId> PostgresStore::Upsert(RecordKind kind,
                                       const std::vector<std::string>& columns,
                                       Params params,
                                       RecordId id,
                                       std::int64_t version,
                                       const Record& record) {
  const std::string table(SqlFor(kind).table);
  std::string sql;
  if (id == 0) {
    sql = "INSERT INTO " + table + " (";
    std::string values;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += (i == 0 ? "" : ", ") + columns[i];
      values += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
    }
    sql += ") VALUES (" + values + ") RETURNING id";
  } else {
    sql = "UPDATE " + table + " SET ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += columns[i] + " = $" + std::to_string(i + 1) + ", ";
    }
    const std::size_t n = columns.size();
    sql += "version = version + 1 WHERE id = $" + std::to_string(n + 1) + " AND version = $" +
           std::to_string(n + 2) + " RETURNING id";
    params.Add(id).Add(version);
  }
  auto rows = db_->Exec(sql, params);
  if (!rows) {
    if (db_->last_sqlstate() == kUniqueViolation) {
      return Fail(ErrorCode::kAlreadyExists, std::string(RecordKindNoun(kind)) + " " +
                                                 DescribeKey(record) + " already exists");
    }
    if (db_->last_sqlstate() == kForeignKeyViolation) {
      // A referenced record was deleted between resolving and writing.
      return Fail(ErrorCode::kConflict, "a record this " + std::string(RecordKindNoun(kind)) +
                                            " refers to was deleted meanwhile; try again");
    }
    return Fail(rows.error());
  }
  if (rows->rows() == 0) {
    // No row with this id and version: tell a missing record from a stale version.
    auto stored = db_->Exec("SELECT version FROM " + table + " WHERE id = $1", Params().Add(id));
    if (!stored) {
      return Fail(stored.error());
    }
    if (stored->rows() == 0) {
      return Fail(RecordNotFoundError(kind, id));
    }
    RowReader r(*stored, 0);
    const std::int64_t current = r.Int64();
    return Fail(VersionConflictError(current, version));
  }
  RowReader r(*rows, 0);
  const RecordId written = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  return written;
}

Result<RecordId> PostgresStore::Write(const City& city, RecordId id, std::int64_t version) {
  for (const auto& [value, field] : {std::pair{&city.name_en, "name_en"},
                                     {&city.name_ko, "name_ko"},
                                     {&city.name_zh, "name_zh"},
                                     {&city.wikidata_id, "wikidata_id"}}) {
    if (auto s = CheckUtf8(*value, field); !s) {
      return Fail(s.error());
    }
  }
  auto sources = ToJsonArray(city.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(city.name_en)
      .Add(city.name_ko)
      .Add(city.name_zh)
      .Add(city.country)
      .Add(ToCode(city.kind))
      .Add(city.lat)
      .Add(city.lon)
      .Add(city.wikidata_id)
      .Add(*sources);
  return Upsert(
      RecordKind::kCity,
      {"name_en", "name_ko", "name_zh", "country", "kind", "lat", "lon", "wikidata_id", "sources"},
      std::move(params), id, version, city);
}

Result<RecordId> PostgresStore::Write(const PartnerRelation& relation,
                                      RecordId id,
                                      std::int64_t version) {
  auto a = ResolveCity(relation.city_a, "city_a");
  if (!a) {
    return Fail(a.error());
  }
  auto b = ResolveCity(relation.city_b, "city_b");
  if (!b) {
    return Fail(b.error());
  }
  if (*a == *b) {
    return Fail(ErrorCode::kInvalidArgument,
                "city " + DescribeCityRef(relation.city_a) + " cannot be its own partner",
                "city_b");
  }
  auto sources = ToJsonArray(relation.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(*a)
      .Add(*b)
      .Add(ToCode(relation.relation))
      .Add(relation.since.ToString())
      .Add(relation.until.ToString())
      .Add(ToCode(relation.status))
      .Add(*sources);
  return Upsert(RecordKind::kPartnerRelation,
                {"city_a_id", "city_b_id", "relation", "since", "until", "status", "sources"},
                std::move(params), id, version, relation);
}

Result<RecordId> PostgresStore::Write(const Organization& organization,
                                      RecordId id,
                                      std::int64_t version) {
  for (const auto& [value, field] :
       {std::pair{&organization.name, "name"}, {&organization.acronym, "acronym"}}) {
    if (auto s = CheckUtf8(*value, field); !s) {
      return Fail(s.error());
    }
  }
  std::optional<RecordId> secretariat;
  if (organization.secretariat_city) {
    auto city = ResolveCity(*organization.secretariat_city, "secretariat_city");
    if (!city) {
      return Fail(city.error());
    }
    secretariat = *city;
  }
  auto sources = ToJsonArray(organization.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(organization.name).Add(organization.acronym).Add(ToCode(organization.kind));
  if (secretariat) {
    params.Add(*secretariat);
  } else {
    params.AddNull();
  }
  params.Add(organization.founded.ToString()).Add(*sources);
  return Upsert(RecordKind::kOrganization,
                {"name", "acronym", "kind", "secretariat_city_id", "founded", "sources"},
                std::move(params), id, version, organization);
}

Result<RecordId> PostgresStore::Write(const Membership& membership,
                                      RecordId id,
                                      std::int64_t version) {
  auto city = ResolveCity(membership.city, "city");
  if (!city) {
    return Fail(city.error());
  }
  auto organization = ResolveOrganization(membership.organization, "organization");
  if (!organization) {
    return Fail(organization.error());
  }
  auto sources = ToJsonArray(membership.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(*city)
      .Add(*organization)
      .Add(ToCode(membership.role))
      .Add(membership.since.ToString())
      .Add(membership.until.ToString())
      .Add(*sources);
  return Upsert(RecordKind::kMembership,
                {"city_id", "organization_id", "role", "since", "until", "sources"},
                std::move(params), id, version, membership);
}

Result<RecordId> PostgresStore::Write(const Official& official, RecordId id, std::int64_t version) {
  for (const auto& [value, field] : {std::pair{&official.name_en, "name_en"},
                                     {&official.name_ko, "name_ko"},
                                     {&official.office, "office"}}) {
    if (auto s = CheckUtf8(*value, field); !s) {
      return Fail(s.error());
    }
  }
  auto city = ResolveCity(official.city, "city");
  if (!city) {
    return Fail(city.error());
  }
  json claims = json::array();
  for (const VisitClaim& claim : official.visit_claims) {
    auto partner = ResolveCity(claim.partner, "visit_claims");
    if (!partner) {
      return Fail(partner.error());
    }
    auto sources = ToJsonArray(claim.sources, "visit_claims");
    if (!sources) {
      return Fail(sources.error());
    }
    claims.push_back(json::array({*partner, std::string(ToCode(claim.claim)), claim.sources}));
  }
  auto sources = ToJsonArray(official.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(official.name_en)
      .Add(official.name_ko)
      .Add(official.office)
      .Add(*city)
      .Add(official.term_start.ToString())
      .Add(official.term_end.ToString())
      .Add(official.acting)
      .Add(*sources);
  auto written = Upsert(
      RecordKind::kOfficial,
      {"name_en", "name_ko", "office", "city_id", "term_start", "term_end", "acting", "sources"},
      std::move(params), id, version, official);
  if (!written) {
    return written;
  }
  if (id != 0) {
    if (auto s = db_->Exec("DELETE FROM official_visit_claims WHERE official_id = $1",
                           Params().Add(*written));
        !s) {
      return Fail(s.error());
    }
  }
  if (!claims.empty()) {
    if (auto s = db_->Exec(
            "INSERT INTO official_visit_claims (official_id, position, partner_city_id, claim, "
            "sources) SELECT $1, t.ord, (t.x->>0)::bigint, t.x->>1, t.x->2 "
            "FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(x, ord)",
            Params().Add(*written).Add(claims.dump()));
        !s) {
      return Fail(s.error());
    }
  }
  return written;
}

Result<RecordId> PostgresStore::Write(const Mechanism& mechanism,
                                      RecordId id,
                                      std::int64_t version) {
  for (const auto& [value, field] :
       {std::pair{&mechanism.name_en, "name_en"}, {&mechanism.name_ko, "name_ko"}}) {
    if (auto s = CheckUtf8(*value, field); !s) {
      return Fail(s.error());
    }
  }
  auto cities = ResolveCities(mechanism.cities, "cities");
  if (!cities) {
    return Fail(cities.error());
  }
  auto fields = ToJsonArray(mechanism.fields, "fields");
  if (!fields) {
    return Fail(fields.error());
  }
  auto sources = ToJsonArray(mechanism.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(mechanism.name_en)
      .Add(mechanism.name_ko)
      .Add(mechanism.founded.ToString())
      .Add(mechanism.ended.ToString())
      .Add(*fields)
      .Add(*sources);
  auto written = Upsert(RecordKind::kMechanism,
                        {"name_en", "name_ko", "founded", "ended", "fields", "sources"},
                        std::move(params), id, version, mechanism);
  if (!written) {
    return written;
  }
  if (id != 0) {
    if (auto s = db_->Exec("DELETE FROM mechanism_cities WHERE mechanism_id = $1",
                           Params().Add(*written));
        !s) {
      return Fail(s.error());
    }
  }
  if (!cities->empty()) {
    if (auto s = db_->Exec(
            "INSERT INTO mechanism_cities (mechanism_id, position, city_id) "
            "SELECT $1, t.ord, t.city FROM unnest($2::bigint[]) WITH ORDINALITY AS t(city, ord)",
            Params().Add(*written).Add(IdArray(*cities)));
        !s) {
      return Fail(s.error());
    }
  }
  return written;
}

Result<RecordId> PostgresStore::Write(const Event& event, RecordId id, std::int64_t version) {
  for (const auto& [value, field] : {std::pair{&event.ref, "ref"},
                                     {&event.title_en, "title_en"},
                                     {&event.title_ko, "title_ko"},
                                     {&event.notes, "notes"}}) {
    if (auto s = CheckUtf8(*value, field); !s) {
      return Fail(s.error());
    }
  }
  auto home = ResolveCity(event.home_city, "home_city");
  if (!home) {
    return Fail(home.error());
  }
  auto partners = ResolveCities(event.partner_cities, "partner_cities");
  if (!partners) {
    return Fail(partners.error());
  }
  for (RecordId partner : *partners) {
    if (partner == *home) {
      return Fail(ErrorCode::kInvalidArgument, "a partner city is the home city", "partner_cities");
    }
  }
  std::vector<RecordId> officials;
  for (const std::string& name : event.officials) {
    auto official = ResolveOfficial(name, event.date);
    if (!official) {
      return Fail(official.error());
    }
    officials.push_back(*official);
  }
  std::optional<RecordId> organization;
  if (!event.organization.empty()) {
    auto found = ResolveOrganization(event.organization, "organization");
    if (!found) {
      return Fail(found.error());
    }
    organization = *found;
  }
  std::optional<RecordId> mechanism;
  if (!event.mechanism.empty()) {
    auto found = ResolveMechanism(event.mechanism, "mechanism");
    if (!found) {
      return Fail(found.error());
    }
    mechanism = *found;
  }
  std::vector<std::string> topics;
  for (Topic topic : event.topics) {
    topics.emplace_back(ToCode(topic));
  }
  json stakeholders = json::array();
  for (const Stakeholder& stakeholder : event.stakeholders) {
    if (auto s = CheckUtf8(stakeholder.name, "stakeholders"); !s) {
      return Fail(s.error());
    }
    stakeholders.push_back(
        {{"name", stakeholder.name}, {"kind", std::string(ToCode(stakeholder.kind))}});
  }
  auto sources = ToJsonArray(event.sources, "sources");
  if (!sources) {
    return Fail(sources.error());
  }
  Params params;
  params.Add(event.ref)
      .Add(event.date.ToString())
      .Add(static_cast<std::int64_t>(event.date.FirstDay()))
      .Add(static_cast<std::int64_t>(event.date.LastDay()))
      .Add(PrecisionRank(event.date))
      .Add(*home);
  if (event.direction) {
    params.Add(ToCode(*event.direction));
  } else {
    params.AddNull();
  }
  params.Add(ToCode(event.type)).Add(ToCode(event.framework)).Add(ToCode(event.mode));
  if (event.level) {
    params.Add(ToCode(*event.level));
  } else {
    params.AddNull();
  }
  params.Add(json(topics).dump());
  if (organization) {
    params.Add(*organization);
  } else {
    params.AddNull();
  }
  if (mechanism) {
    params.Add(*mechanism);
  } else {
    params.AddNull();
  }
  params.Add(ToCode(event.status))
      .Add(stakeholders.dump())
      .Add(event.title_en)
      .Add(event.title_ko)
      .Add(DuplicateTitleKey(event.title_en))
      .Add(event.notes)
      .Add(*sources)
      .Add(event.verified);
  auto written = Upsert(RecordKind::kEvent, {"ref",
                                             "date",
                                             "first_day",
                                             "last_day",
                                             "precision",
                                             "home_city_id",
                                             "direction",
                                             "type",
                                             "framework",
                                             "mode",
                                             "level",
                                             "topics",
                                             "organization_id",
                                             "mechanism_id",
                                             "status",
                                             "stakeholders",
                                             "title_en",
                                             "title_ko",
                                             "title_key",
                                             "notes",
                                             "sources",
                                             "verified"},
                        std::move(params), id, version, event);
  if (!written) {
    return written;
  }
  if (id != 0) {
    if (auto s = db_->Exec("WITH p AS (DELETE FROM event_partners WHERE event_id = $1) "
                           "DELETE FROM event_officials WHERE event_id = $1",
                           Params().Add(*written));
        !s) {
      return Fail(s.error());
    }
  }
  if (!partners->empty()) {
    if (auto s = db_->Exec(
            "INSERT INTO event_partners (event_id, position, city_id) "
            "SELECT $1, t.ord, t.city FROM unnest($2::bigint[]) WITH ORDINALITY AS t(city, ord)",
            Params().Add(*written).Add(IdArray(*partners)));
        !s) {
      return Fail(s.error());
    }
  }
  if (!officials.empty()) {
    if (auto s = db_->Exec("INSERT INTO event_officials (event_id, position, official_id) "
                           "SELECT $1, t.ord, t.official FROM unnest($2::bigint[]) WITH ORDINALITY "
                           "AS t(official, ord)",
                           Params().Add(*written).Add(IdArray(officials)));
        !s) {
      return Fail(s.error());
    }
  }
  return written;
}

Result<RecordId> PostgresStore::Insert(const Record& record) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  if (auto s = ValidateRecord(record); !s) {
    return Fail(s.error());
  }
  RecordId id = 0;
  Status status = Atomically([&]() -> Status {
    auto written = std::visit([&](const auto& value) { return Write(value, 0, 0); }, record);
    if (!written) {
      return Fail(written.error());
    }
    id = *written;
    return Ok();
  });
  if (!status) {
    return Fail(status.error());
  }
  return id;
}

Status PostgresStore::Update(const Record& record) {
  if (auto s = RequireSchema(); !s) {
    return s;
  }
  const RecordId id = IdOf(record);
  if (id <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot update a " + std::string(RecordKindNoun(KindOf(record))) +
                    " without an id (got " + std::to_string(id) + "; insert it instead)");
  }
  if (auto s = ValidateRecord(record); !s) {
    return s;
  }
  return Atomically([&]() -> Status {
    auto written = std::visit(
        [&](const auto& value) { return Write(value, value.id, value.version); }, record);
    if (!written) {
      return Fail(written.error());
    }
    return Ok();
  });
}

Status PostgresStore::Delete(RecordKind kind, RecordId id) {
  if (auto s = RequireSchema(); !s) {
    return s;
  }
  return Atomically([&]() -> Status {
    auto label_rows = db_->Exec(std::string(LabelSql(kind)), Params().Add(id));
    if (!label_rows) {
      return Fail(label_rows.error());
    }
    if (label_rows->rows() == 0) {
      return Fail(RecordNotFoundError(kind, id));
    }
    const std::string label(label_rows->Text(0, 0));
    const std::string noun(RecordKindNoun(kind));
    std::string uses;
    for (const ReferenceCheck& check : ReferenceChecks(kind)) {
      auto count = db_->Exec(std::string(check.sql), Params().Add(id));
      if (!count) {
        return Fail(count.error());
      }
      if (count->Text(0, 0) != "0") {
        uses += (uses.empty() ? "" : ", ") + std::string(count->Text(0, 0)) + " " +
                std::string(check.noun);
      }
    }
    if (!uses.empty()) {
      return Fail(ErrorCode::kFailedPrecondition, noun + " " + label + " is still referenced by " +
                                                      uses + " (delete or change those first)");
    }
    auto rows = db_->Exec("DELETE FROM " + std::string(SqlFor(kind).table) + " WHERE id = $1",
                          Params().Add(id));
    if (!rows) {
      if (db_->last_sqlstate() == kForeignKeyViolation) {
        // Someone referred to it between the check and the delete.
        return Fail(ErrorCode::kFailedPrecondition, noun + " " + label +
                                                        " is still referenced by " +
                                                        ReferencingTable(db_->last_constraint()) +
                                                        " (delete or change those first)");
      }
      return Fail(rows.error());
    }
    if (rows->Affected() == 0) {
      return Fail(RecordNotFoundError(kind, id));
    }
    return Ok();
  });
}

// --- reads -----------------------------------------------------------------------------------

Result<std::vector<Record>> PostgresStore::Query(RecordKind kind,
                                                 const std::string& sql,
                                                 const Params& params) {
  auto rows = db_->Exec(sql, params);
  if (!rows) {
    return Fail(rows.error());
  }
  std::vector<Record> records;
  records.reserve(static_cast<std::size_t>(rows->rows()));
  for (int i = 0; i < rows->rows(); ++i) {
    auto record = ReadRecord(kind, *rows, i);
    if (!record) {
      return Fail(record.error());
    }
    records.push_back(std::move(*record));
  }
  return records;
}

Result<Record> PostgresStore::Get(RecordKind kind, RecordId id) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  const KindSql sql = SqlFor(kind);
  auto records =
      Query(kind, std::string(sql.select) + " WHERE " + std::string(sql.alias) + ".id = $1",
            Params().Add(id));
  if (!records) {
    return Fail(records.error());
  }
  if (records->empty()) {
    return Fail(RecordNotFoundError(kind, id));
  }
  return std::move(records->front());
}

Result<std::vector<Record>> PostgresStore::List(RecordKind kind) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  const KindSql sql = SqlFor(kind);
  return Query(kind, std::string(sql.select) + std::string(sql.order), Params());
}

Result<std::optional<RecordId>> PostgresStore::FindDuplicateEvent(const Event& event) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  // References that do not resolve cannot match a stored event.
  auto home = FindCityIn(event.home_city, "home_city");
  if (!home) {
    return Fail(home.error());
  }
  if (!*home) {
    return std::optional<RecordId>();
  }
  std::vector<RecordId> partners;
  for (const CityRef& ref : event.partner_cities) {
    auto city = FindCityIn(ref, "partner_cities");
    if (!city) {
      return Fail(city.error());
    }
    if (!*city) {
      return std::optional<RecordId>();
    }
    partners.push_back((*city)->id);
  }
  std::sort(partners.begin(), partners.end());
  auto rows = db_->Exec(
      "SELECT e.id FROM events e WHERE e.home_city_id = $1 AND e.date = $2 AND e.type = $3 "
      "AND e.title_key = $4 AND e.id <> $5 AND "
      "COALESCE((SELECT array_agg(p.city_id ORDER BY p.city_id) FROM event_partners p "
      "WHERE p.event_id = e.id), '{}') = $6::bigint[] ORDER BY e.id LIMIT 1",
      Params()
          .Add((*home)->id)
          .Add(event.date.ToString())
          .Add(ToCode(event.type))
          .Add(DuplicateTitleKey(event.title_en))
          .Add(event.id)
          .Add(IdArray(partners)));
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->rows() == 0) {
    return std::optional<RecordId>();
  }
  RowReader r(*rows, 0);
  const RecordId id = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  return std::optional<RecordId>(id);
}

Result<std::string> PostgresStore::EventWhere(const EventFilter& filter, Params& params) {
  std::vector<std::string> clauses;
  int next = 0;
  auto param = [&] { return "$" + std::to_string(++next); };
  if (filter.home) {
    auto id = ResolveCity(*filter.home, "home");
    if (!id) {
      return Fail(id.error());
    }
    params.Add(*id);
    clauses.push_back("e.home_city_id = " + param());
  }
  if (filter.partner) {
    auto id = ResolveCity(*filter.partner, "partner");
    if (!id) {
      return Fail(id.error());
    }
    params.Add(*id);
    clauses.push_back(
        "EXISTS (SELECT 1 FROM event_partners p WHERE p.event_id = e.id AND p.city_id = " +
        param() + ")");
  }
  const DayBounds bounds = FilterDayBounds(filter);
  // Inside the range: the whole span; with include_imprecise, any overlap.
  if (bounds.first) {
    params.Add(static_cast<std::int64_t>(*bounds.first));
    clauses.push_back((filter.include_imprecise ? "e.last_day >= " : "e.first_day >= ") + param());
  }
  if (bounds.last) {
    params.Add(static_cast<std::int64_t>(*bounds.last));
    clauses.push_back((filter.include_imprecise ? "e.first_day <= " : "e.last_day <= ") + param());
  }
  if (filter.type) {
    params.Add(ToCode(*filter.type));
    clauses.push_back("e.type = " + param());
  }
  if (filter.framework) {
    params.Add(ToCode(*filter.framework));
    clauses.push_back("e.framework = " + param());
  }
  if (filter.mode) {
    params.Add(ToCode(*filter.mode));
    clauses.push_back("e.mode = " + param());
  }
  if (filter.level) {
    params.Add(ToCode(*filter.level));
    clauses.push_back("e.level = " + param());
  }
  if (filter.topic) {
    params.Add(ToCode(*filter.topic));
    clauses.push_back("e.topics @> jsonb_build_array(" + param() + "::text)");
  }
  if (!filter.organization.empty()) {
    auto id = ResolveOrganization(filter.organization, "organization");
    if (!id) {
      return Fail(id.error());
    }
    params.Add(*id);
    clauses.push_back("e.organization_id = " + param());
  }
  if (!filter.text.empty()) {
    // ASCII case folding only (COLLATE "C"), whatever the server's locale: as on SQLite.
    params.Add(ToLowerAscii(filter.text));
    const std::string p = param();
    clauses.push_back("(strpos(lower(e.title_en COLLATE \"C\"), " + p +
                      ") > 0 OR strpos(lower(e.title_ko COLLATE \"C\"), " + p +
                      ") > 0 OR strpos(lower(e.notes COLLATE \"C\"), " + p + ") > 0)");
  }
  std::string where;
  for (const std::string& clause : clauses) {
    where += (where.empty() ? " WHERE " : " AND ") + clause;
  }
  return where;
}

Result<std::vector<Event>> PostgresStore::ListEvents(const EventFilter& filter) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  if (auto s = ValidateEventFilter(filter); !s) {
    return Fail(s.error());
  }
  Params params;
  auto where = EventWhere(filter, params);
  if (!where) {
    return Fail(where.error());
  }
  std::string sql = std::string(kSelectEvents) + *where + std::string(kOrderEvents);
  const int used = static_cast<int>(params.values().size());
  if (filter.limit >= 0) {
    params.Add(filter.limit);
    sql += " LIMIT $" + std::to_string(used + 1);
  }
  if (filter.offset > 0) {
    params.Add(filter.offset);
    sql += " OFFSET $" + std::to_string(static_cast<int>(params.values().size()));
  }
  auto records = Query(RecordKind::kEvent, sql, params);
  if (!records) {
    return Fail(records.error());
  }
  std::vector<Event> events;
  events.reserve(records->size());
  for (Record& record : *records) {
    events.push_back(std::get<Event>(std::move(record)));
  }
  return events;
}

Result<std::int64_t> PostgresStore::CountEvents(const EventFilter& filter) {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  Params params;
  auto where = EventWhere(filter, params);
  if (!where) {
    return Fail(where.error());
  }
  auto rows = db_->Exec("SELECT count(*) FROM events e" + *where, params);
  if (!rows) {
    return Fail(rows.error());
  }
  RowReader r(*rows, 0);
  const std::int64_t count = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  return count;
}

Result<Registry> PostgresStore::LoadRegistry() {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  Registry registry;
  auto load = [&]() -> Status {
    for (RecordKind kind : AllRecordKinds()) {
      auto records = List(kind);
      if (!records) {
        return Fail(records.error());
      }
      for (Record& record : *records) {
        std::visit(
            [&](auto&& value) {
              using T = std::decay_t<decltype(value)>;
              if constexpr (std::is_same_v<T, City>) {
                registry.cities.push_back(std::move(value));
              } else if constexpr (std::is_same_v<T, PartnerRelation>) {
                registry.partner_relations.push_back(std::move(value));
              } else if constexpr (std::is_same_v<T, Organization>) {
                registry.organizations.push_back(std::move(value));
              } else if constexpr (std::is_same_v<T, Membership>) {
                registry.memberships.push_back(std::move(value));
              } else if constexpr (std::is_same_v<T, Official>) {
                registry.officials.push_back(std::move(value));
              } else if constexpr (std::is_same_v<T, Mechanism>) {
                registry.mechanisms.push_back(std::move(value));
              } else {
                registry.events.push_back(std::move(value));
              }
            },
            std::move(record));
      }
    }
    return Ok();
  };
  if (in_transaction_) {
    if (auto s = load(); !s) {
      return Fail(s.error());
    }
    return registry;
  }
  // One snapshot for all seven kinds, so a concurrent import is seen whole or not at all.
  if (auto s = db_->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s) {
    return Fail(s.error());
  }
  db_->set_reconnect_allowed(false);
  Status loaded = load();
  (void)db_->ExecScript(loaded ? "COMMIT" : "ROLLBACK");
  db_->set_reconnect_allowed(true);
  if (!loaded) {
    return Fail(loaded.error());
  }
  return registry;
}

Result<Counts> PostgresStore::CountAll() {
  if (auto s = RequireSchema(); !s) {
    return Fail(s.error());
  }
  auto rows = db_->Exec(
      "SELECT (SELECT count(*) FROM cities), (SELECT count(*) FROM organizations), "
      "(SELECT count(*) FROM partner_relations), (SELECT count(*) FROM memberships), "
      "(SELECT count(*) FROM officials), (SELECT count(*) FROM mechanisms), "
      "(SELECT count(*) FROM events)");
  if (!rows) {
    return Fail(rows.error());
  }
  RowReader r(*rows, 0);
  Counts counts;
  counts.cities = r.Int64();
  counts.organizations = r.Int64();
  counts.partner_relations = r.Int64();
  counts.memberships = r.Int64();
  counts.officials = r.Int64();
  counts.mechanisms = r.Int64();
  counts.events = r.Int64();
  if (auto s = r.status(); !s) {
    return Fail(s.error());
  }
  return counts;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  auto connection = Connection::Open(url);
  if (!connection) {
    return Fail(connection.error());
  }
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(*connection)));
}

}  // namespace citydip::storage::postgres
