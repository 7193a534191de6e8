#include "store_conformance.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "citydip/core/taxonomy.h"

namespace citydip::storage::testing {
namespace {

using ::testing::HasSubstr;

PartialDate D(const char* text) {
  return PartialDate::Parse(text).value();
}

// ---- Dumps: every field of a record as text, so that a mismatch shows which field differs ------

std::string Str(const PartialDate& date) {
  return date.empty() ? "-" : date.ToString();
}
std::string Str(const CityRef& ref) {
  return ref.name + "/" + ref.country;
}
std::string Str(const std::optional<double>& value) {
  return value ? std::to_string(*value) : "-";
}
template <typename E>
std::string Str(const std::optional<E>& value) {
  return value ? std::string(ToCode(*value)) : "-";
}
std::string Str(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& value : values) {
    out += value + ";";
  }
  return out + "]";
}
std::string Str(const std::vector<CityRef>& values) {
  std::string out = "[";
  for (const auto& value : values) {
    out += Str(value) + ";";
  }
  return out + "]";
}

std::string Dump(const City& c) {
  return "id=" + std::to_string(c.id) + " name_en=" + c.name_en + " name_ko=" + c.name_ko +
         " name_zh=" + c.name_zh + " country=" + c.country +
         " kind=" + std::string(ToCode(c.kind)) + " lat=" + Str(c.lat) + " lon=" + Str(c.lon) +
         " wikidata=" + c.wikidata_id + " sources=" + Str(c.sources) +
         " version=" + std::to_string(c.version);
}
std::string Dump(const PartnerRelation& r) {
  return "id=" + std::to_string(r.id) + " a=" + Str(r.city_a) + " b=" + Str(r.city_b) +
         " relation=" + std::string(ToCode(r.relation)) + " since=" + Str(r.since) +
         " until=" + Str(r.until) + " status=" + std::string(ToCode(r.status)) +
         " sources=" + Str(r.sources) + " version=" + std::to_string(r.version);
}
std::string Dump(const Organization& o) {
  return "id=" + std::to_string(o.id) + " name=" + o.name + " acronym=" + o.acronym +
         " kind=" + std::string(ToCode(o.kind)) +
         " secretariat=" + (o.secretariat_city ? Str(*o.secretariat_city) : "-") +
         " founded=" + Str(o.founded) + " sources=" + Str(o.sources) +
         " version=" + std::to_string(o.version);
}
std::string Dump(const Membership& m) {
  return "id=" + std::to_string(m.id) + " city=" + Str(m.city) + " org=" + m.organization +
         " role=" + std::string(ToCode(m.role)) + " since=" + Str(m.since) +
         " until=" + Str(m.until) + " sources=" + Str(m.sources) +
         " version=" + std::to_string(m.version);
}
std::string Dump(const Official& o) {
  std::string claims;
  for (const VisitClaim& claim : o.visit_claims) {
    claims += "{" + Str(claim.partner) + " " + std::string(ToCode(claim.claim)) + " " +
              Str(claim.sources) + "}";
  }
  return "id=" + std::to_string(o.id) + " name_en=" + o.name_en + " name_ko=" + o.name_ko +
         " office=" + o.office + " city=" + Str(o.city) + " term=" + Str(o.term_start) + ".." +
         Str(o.term_end) + " acting=" + (o.acting ? "1" : "0") + " claims=" + claims +
         " sources=" + Str(o.sources) + " version=" + std::to_string(o.version);
}
std::string Dump(const Mechanism& m) {
  return "id=" + std::to_string(m.id) + " name_en=" + m.name_en + " name_ko=" + m.name_ko +
         " cities=" + Str(m.cities) + " founded=" + Str(m.founded) + " ended=" + Str(m.ended) +
         " fields=" + Str(m.fields) + " sources=" + Str(m.sources) +
         " version=" + std::to_string(m.version);
}
std::string Dump(const Event& e) {
  std::string topics;
  for (const Topic topic : e.topics) {
    topics += std::string(ToCode(topic)) + ";";
  }
  std::string stakeholders;
  for (const Stakeholder& s : e.stakeholders) {
    stakeholders += s.name + ":" + std::string(ToCode(s.kind)) + ";";
  }
  return "id=" + std::to_string(e.id) + " ref=" + e.ref + " date=" + Str(e.date) +
         " home=" + Str(e.home_city) + " partners=" + Str(e.partner_cities) +
         " direction=" + Str(e.direction) + " type=" + std::string(ToCode(e.type)) +
         " framework=" + std::string(ToCode(e.framework)) + " mode=" + std::string(ToCode(e.mode)) +
         " level=" + Str(e.level) + " topics=" + topics + " org=" + e.organization +
         " mechanism=" + e.mechanism + " status=" + std::string(ToCode(e.status)) +
         " officials=" + Str(e.officials) + " stakeholders=" + stakeholders +
         " title_en=" + e.title_en + " title_ko=" + e.title_ko + " notes=" + e.notes +
         " sources=" + Str(e.sources) + " verified=" + (e.verified ? "1" : "0") +
         " version=" + std::to_string(e.version);
}
std::string Dump(const Record& record) {
  return std::visit([](const auto& value) { return Dump(value); }, record);
}

// ---- Synthetic registry pieces
// --------------------------------------------------------------------

City MakeCity(std::string name, std::string country) {
  City city;
  city.name_en = std::move(name);
  city.country = std::move(country);
  city.sources = {"https://example.org/city/" + city.name_en};
  return city;
}

Event MakeEvent(std::string ref, const char* date, std::string title = "") {
  Event event;
  event.ref = std::move(ref);
  event.date = D(date);
  event.home_city = {"Seoul", "KOR"};
  event.partner_cities = {{"Beijing", "CHN"}};
  event.type = EventType::kDelegationVisit;
  event.title_en = title.empty() ? "Visit " + event.ref : std::move(title);
  event.sources = {"https://example.org/event/" + event.ref};
  return event;
}

template <typename T>
T As(const Result<Record>& record) {
  EXPECT_TRUE(record.has_value()) << (record ? "" : record.error().ToString());
  if (!record) {
    return T{};
  }
  EXPECT_TRUE(std::holds_alternative<T>(*record));
  return std::holds_alternative<T>(*record) ? std::get<T>(*record) : T{};
}

// Inserts `record` and fails the test when that fails.
RecordId MustInsert(Store& store, const Record& record) {
  auto id = store.Insert(record);
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().ToString()) << " for " << Dump(record);
  return id.value_or(0);
}

// Seoul, Beijing, Shanghai, Tokyo; Metropolis; one mechanism; two officials.
void SeedBasics(Store& store) {
  City seoul = MakeCity("Seoul", "KOR");
  seoul.name_ko = "서울";
  MustInsert(store, seoul);
  MustInsert(store, MakeCity("Beijing", "CHN"));
  MustInsert(store, MakeCity("Shanghai", "CHN"));
  MustInsert(store, MakeCity("Tokyo", "JPN"));
  Organization metropolis;
  metropolis.name = "World Association of the Major Metropolises";
  metropolis.acronym = "Metropolis";
  metropolis.sources = {"https://example.org/org/metropolis"};
  MustInsert(store, metropolis);
  Organization net;
  net.name = "Synthetic Cities Network";
  net.acronym = "SCN";
  net.sources = {"https://example.org/org/scn"};
  MustInsert(store, net);
  Mechanism council;
  council.name_en = "Seoul-Beijing Test Council";
  council.name_ko = "서울-베이징 시험 위원회";
  council.cities = {{"Seoul", "KOR"}, {"Beijing", "CHN"}};
  council.sources = {"https://example.org/mechanism/1"};
  MustInsert(store, council);
  Official first;
  first.name_en = "Test Mayor";
  first.city = {"Seoul", "KOR"};
  first.term_start = D("2011-10");
  first.term_end = D("2020-07");
  first.sources = {"https://example.org/official/1"};
  MustInsert(store, first);
  Official deputy = first;
  deputy.name_en = "Test Deputy";
  deputy.office = "vice_mayor";
  MustInsert(store, deputy);
}

std::vector<std::string> Refs(const Result<std::vector<Event>>& events) {
  EXPECT_TRUE(events.has_value()) << (events ? "" : events.error().ToString());
  std::vector<std::string> refs;
  if (events) {
    for (const Event& event : *events) {
      refs.push_back(event.ref);
    }
  }
  return refs;
}

Counts MustCount(Store& store) {
  auto counts = store.CountAll();
  EXPECT_TRUE(counts.has_value()) << (counts ? "" : counts.error().ToString());
  return counts.value_or(Counts{});
}

std::string DumpCounts(const Counts& c) {
  return std::to_string(c.cities) + "/" + std::to_string(c.organizations) + "/" +
         std::to_string(c.partner_relations) + "/" + std::to_string(c.memberships) + "/" +
         std::to_string(c.officials) + "/" + std::to_string(c.mechanisms) + "/" +
         std::to_string(c.events);
}

}  // namespace

std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

void StoreConformanceTest::SetUp() {
  auto database = GetParam().create_database();
  ASSERT_TRUE(database.has_value()) << database.error().ToString();
  database_ = std::move(*database);
  auto store = database_->Open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  store_ = std::move(*store);
  auto migrated = store_->Migrate();
  ASSERT_TRUE(migrated.has_value()) << migrated.error().ToString();
}

void StoreConformanceTest::TearDown() {
  store_.reset();
  database_.reset();
}

// ---- Schema -------------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, MigratesAnEmptyDatabaseAndRemigratesWithoutChange) {
  auto fresh = GetParam().create_database();
  ASSERT_TRUE(fresh.has_value()) << fresh.error().ToString();
  auto store = (*fresh)->Open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();

  EXPECT_EQ((*store)->SchemaVersion().value(), 0);
  const auto before = (*store)->CountAll();
  ASSERT_FALSE(before.has_value());
  EXPECT_EQ(before.error().code, ErrorCode::kFailedPrecondition);

  ASSERT_TRUE((*store)->Migrate().has_value());
  EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
  MustInsert(**store, MakeCity("Seoul", "KOR"));
  const auto again = (*store)->Migrate();

  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
  EXPECT_EQ(MustCount(**store).cities, 1);
}

TEST_P(StoreConformanceTest, RefusesADatabaseWithANewerSchemaNamingBothVersions) {
  const int newer = kSchemaVersion + 1;
  ASSERT_TRUE(
      database()
          .Execute("INSERT INTO schema_migrations (version) VALUES (" + std::to_string(newer) + ")")
          .has_value());
  auto other = database().Open();
  ASSERT_TRUE(other.has_value()) << other.error().ToString();

  const auto migrated = (*other)->Migrate();
  const auto listed = (*other)->ListEvents(EventFilter{});

  EXPECT_EQ((*other)->SchemaVersion().value(), newer);
  ASSERT_FALSE(migrated.has_value());
  EXPECT_EQ(migrated.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(migrated.error().message, HasSubstr(std::to_string(newer)));
  EXPECT_THAT(migrated.error().message, HasSubstr(std::to_string(kSchemaVersion)));
  ASSERT_FALSE(listed.has_value());
  EXPECT_EQ(listed.error().code, ErrorCode::kFailedPrecondition);
}

// ---- Round trips of every kind ------------------------------------------------------------------

TEST_P(StoreConformanceTest, CityRoundTripsEveryField) {
  City city = MakeCity("Seoul", "KOR");
  city.name_ko = "서울";
  city.name_zh = "首尔";
  city.kind = CityKind::kMunicipality;
  city.lat = 37.5665;
  city.lon = 126.978;
  city.wikidata_id = "Q8684";
  city.sources = {"https://example.org/a", "https://example.org/b"};

  city.id = MustInsert(store(), city);
  city.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kCity, city.id).value()), Dump(city));

  city.name_en = "Seoul Special City";
  city.lat.reset();
  city.lon.reset();
  city.kind = CityKind::kCity;
  city.sources = {"https://example.org/c"};
  ASSERT_TRUE(store().Update(city).has_value());
  city.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kCity, city.id).value()), Dump(city));

  ASSERT_TRUE(store().Delete(RecordKind::kCity, city.id).has_value());
  const auto gone = store().Get(RecordKind::kCity, city.id);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, PartnerRelationRoundTripsWithCountriesFilledIn) {
  SeedBasics(store());
  PartnerRelation relation;
  relation.city_a = {"Seoul", ""};
  relation.city_b = {"Beijing", ""};
  relation.relation = RelationKind::kSister;
  relation.since = D("1993-10-23");
  relation.until = D("2030");
  relation.status = RelationStatus::kDormant;
  relation.sources = {"https://example.org/r1", "https://example.org/r2"};

  relation.id = MustInsert(store(), relation);
  PartnerRelation expected = relation;
  expected.city_a.country = "KOR";
  expected.city_b.country = "CHN";
  expected.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kPartnerRelation, relation.id).value()), Dump(expected));

  expected.city_b = {"Shanghai", "CHN"};
  expected.relation = RelationKind::kFriendship;
  expected.until = PartialDate();
  expected.status = RelationStatus::kActive;
  expected.sources = {"https://example.org/r3"};
  ASSERT_TRUE(store().Update(expected).has_value());
  expected.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kPartnerRelation, relation.id).value()), Dump(expected));

  ASSERT_TRUE(store().Delete(RecordKind::kPartnerRelation, relation.id).has_value());
  EXPECT_EQ(store().Get(RecordKind::kPartnerRelation, relation.id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, OrganizationRoundTripsWithAndWithoutSecretariat) {
  SeedBasics(store());
  Organization organization;
  organization.name = "Test Network of Cities";
  organization.acronym = "TNC";
  organization.kind = OrgKind::kPlatform;
  organization.secretariat_city = CityRef{"Seoul", ""};
  organization.founded = D("2004-05");
  organization.sources = {"https://example.org/o1"};

  organization.id = MustInsert(store(), organization);
  Organization expected = organization;
  expected.secretariat_city = CityRef{"Seoul", "KOR"};
  expected.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kOrganization, organization.id).value()), Dump(expected));

  expected.secretariat_city.reset();
  expected.acronym = "";
  expected.kind = OrgKind::kForum;
  expected.founded = PartialDate();
  ASSERT_TRUE(store().Update(expected).has_value());
  expected.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kOrganization, organization.id).value()), Dump(expected));

  ASSERT_TRUE(store().Delete(RecordKind::kOrganization, organization.id).has_value());
  EXPECT_EQ(store().Get(RecordKind::kOrganization, organization.id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MembershipRoundTrips) {
  SeedBasics(store());
  Membership membership;
  membership.city = {"Seoul", "KOR"};
  membership.organization = "World Association of the Major Metropolises";
  membership.role = MembershipRole::kFounder;
  membership.since = D("1985");
  membership.until = D("2020-12-31");
  membership.sources = {"https://example.org/m1", "https://example.org/m2"};

  membership.id = MustInsert(store(), membership);
  membership.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kMembership, membership.id).value()), Dump(membership));

  membership.organization = "Synthetic Cities Network";
  membership.role = MembershipRole::kBoard;
  membership.until = PartialDate();
  ASSERT_TRUE(store().Update(membership).has_value());
  membership.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kMembership, membership.id).value()), Dump(membership));

  ASSERT_TRUE(store().Delete(RecordKind::kMembership, membership.id).has_value());
  EXPECT_EQ(store().Get(RecordKind::kMembership, membership.id).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MembershipNamedByAcronymIsStoredUnderTheFullName) {
  SeedBasics(store());
  Membership membership;
  membership.city = {"Seoul", "KOR"};
  membership.organization = "Metropolis";
  membership.sources = {"https://example.org/m1"};

  const RecordId id = MustInsert(store(), membership);

  EXPECT_EQ(As<Membership>(store().Get(RecordKind::kMembership, id)).organization,
            "World Association of the Major Metropolises");
}

TEST_P(StoreConformanceTest, OfficialRoundTripsWithVisitClaimsAndTheirSources) {
  SeedBasics(store());
  Official official;
  official.name_en = "Round Trip";
  official.name_ko = "왕복";
  official.office = "mayor";
  official.city = {"Seoul", "KOR"};
  official.term_start = D("2011-10-27");
  official.term_end = D("2020-07-09");
  official.acting = true;
  official.visit_claims = {
      {{"Beijing", "CHN"}, Claim::kYes, {"https://example.org/c1", "https://example.org/c2"}},
      {{"Tokyo", ""}, Claim::kNo, {"https://example.org/c3"}},
      {{"Shanghai", "CHN"}, Claim::kUnknown, {}},
  };
  official.sources = {"https://example.org/o1"};

  official.id = MustInsert(store(), official);
  Official expected = official;
  expected.visit_claims[1].partner.country = "JPN";
  expected.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kOfficial, official.id).value()), Dump(expected));

  expected.visit_claims = {{{"Tokyo", "JPN"}, Claim::kYes, {"https://example.org/c4"}}};
  expected.acting = false;
  expected.term_end = PartialDate();
  expected.office = "acting_mayor";
  ASSERT_TRUE(store().Update(expected).has_value());
  expected.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kOfficial, official.id).value()), Dump(expected));

  ASSERT_TRUE(store().Delete(RecordKind::kOfficial, official.id).has_value());
  EXPECT_EQ(store().Get(RecordKind::kOfficial, official.id).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MechanismRoundTripsWithCitiesAndFields) {
  SeedBasics(store());
  Mechanism mechanism;
  mechanism.name_en = "Round Trip Committee";
  mechanism.name_ko = "왕복 위원회";
  mechanism.cities = {{"Shanghai", "CHN"}, {"Seoul", "KOR"}, {"Tokyo", "JPN"}};
  mechanism.founded = D("2013-07");
  mechanism.ended = D("2019");
  mechanism.fields = {"economy", "environment", "culture"};
  mechanism.sources = {"https://example.org/k1", "https://example.org/k2"};

  mechanism.id = MustInsert(store(), mechanism);
  mechanism.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kMechanism, mechanism.id).value()), Dump(mechanism));

  mechanism.cities = {{"Seoul", "KOR"}, {"Beijing", "CHN"}};
  mechanism.fields = {};
  mechanism.ended = PartialDate();
  ASSERT_TRUE(store().Update(mechanism).has_value());
  mechanism.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kMechanism, mechanism.id).value()), Dump(mechanism));

  ASSERT_TRUE(store().Delete(RecordKind::kMechanism, mechanism.id).has_value());
  EXPECT_EQ(store().Get(RecordKind::kMechanism, mechanism.id).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, EventRoundTripsEveryField) {
  SeedBasics(store());
  Event event;
  event.ref = "E001";
  event.date = D("2013-05-13");
  event.home_city = {"Seoul", ""};
  event.partner_cities = {{"Shanghai", "CHN"}, {"Beijing", ""}};
  event.direction = Direction::kOutbound;
  event.type = EventType::kLeaderVisit;
  event.framework = Framework::kBilateralWithinMultilateral;
  event.mode = Mode::kBlended;
  event.level = Level::kMayor;
  event.topics = {Topic::kEnvironment, Topic::kEconomy};
  event.organization = "World Association of the Major Metropolises";
  event.mechanism = "Seoul-Beijing Test Council";
  event.status = EventStatus::kPostponed;
  event.officials = {"Test Mayor", "Test Deputy"};
  event.stakeholders = {{"Test Chamber", StakeholderKind::kBusiness},
                        {"Test University", StakeholderKind::kAcademia}};
  event.title_en = "Mayor visits two partners";
  event.title_ko = "시장 방문";
  event.notes = "synthetic test event";
  event.sources = {"https://example.org/e1", "https://example.org/e2"};
  event.verified = false;

  event.id = MustInsert(store(), event);
  Event expected = event;
  expected.home_city.country = "KOR";
  expected.partner_cities[1].country = "CHN";
  expected.version = 1;
  EXPECT_EQ(Dump(store().Get(RecordKind::kEvent, event.id).value()), Dump(expected));

  expected.ref = "E001b";
  expected.date = D("2014");
  expected.partner_cities = {{"Tokyo", "JPN"}};
  expected.direction.reset();
  expected.level.reset();
  expected.topics = {Topic::kCulture};
  expected.organization = "";
  expected.mechanism = "";
  expected.officials = {};
  expected.stakeholders = {{"Test NGO", StakeholderKind::kCivilSociety}};
  expected.status = EventStatus::kHeld;
  expected.notes = "";
  expected.sources = {"https://example.org/e3"};
  expected.verified = true;
  ASSERT_TRUE(store().Update(expected).has_value());
  expected.version = 2;
  EXPECT_EQ(Dump(store().Get(RecordKind::kEvent, event.id).value()), Dump(expected));

  ASSERT_TRUE(store().Delete(RecordKind::kEvent, event.id).has_value());
  EXPECT_EQ(store().Get(RecordKind::kEvent, event.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(MustCount(store()).events, 0);
}

// ---- Versions and missing records -------------------------------------------------------------

TEST_P(StoreConformanceTest, StaleUpdateFromAnotherSessionConflicts) {
  const RecordId id = MustInsert(store(), MakeCity("Seoul", "KOR"));
  auto other = database().Open();
  ASSERT_TRUE(other.has_value()) << other.error().ToString();
  City mine = As<City>(store().Get(RecordKind::kCity, id));
  City theirs = As<City>((*other)->Get(RecordKind::kCity, id));

  theirs.name_ko = "서울";
  ASSERT_TRUE((*other)->Update(theirs).has_value());
  mine.name_zh = "首尔";
  const auto stale = store().Update(mine);

  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message, "record was changed by someone else (version 2, yours 1)");
  const City stored = As<City>(store().Get(RecordKind::kCity, id));
  EXPECT_EQ(stored.name_ko, "서울");
  EXPECT_EQ(stored.name_zh, "");
  City fresh = stored;
  fresh.name_zh = "首尔";
  ASSERT_TRUE(store().Update(fresh).has_value());
  EXPECT_EQ(As<City>(store().Get(RecordKind::kCity, id)).version, 3);
}

TEST_P(StoreConformanceTest, StaleEventUpdateLeavesTheEventUnchanged) {
  SeedBasics(store());
  Event event = MakeEvent("E1", "2013-05-01");
  event.id = MustInsert(store(), event);
  event.version = 1;
  ASSERT_TRUE(store().Update(event).has_value());

  event.partner_cities = {{"Tokyo", "JPN"}};
  const auto stale = store().Update(event);

  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  const Event stored = As<Event>(store().Get(RecordKind::kEvent, event.id));
  EXPECT_EQ(stored.version, 2);
  ASSERT_EQ(stored.partner_cities.size(), 1U);
  EXPECT_EQ(stored.partner_cities[0].name, "Beijing");
}

TEST_P(StoreConformanceTest, UnknownIdsAreNotFound) {
  City city = MakeCity("Nowhere", "KOR");
  city.id = 4242;
  city.version = 1;

  const auto got = store().Get(RecordKind::kEvent, 4242);
  const auto updated = store().Update(city);
  const auto deleted = store().Delete(RecordKind::kOfficial, 4242);

  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(got.error().message, HasSubstr("4242"));
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(deleted.has_value());
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
}

// ---- References ---------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, UnknownReferencesAreNamedAndNothingIsStored) {
  SeedBasics(store());
  const Counts before = MustCount(store());
  Event bad_partner = MakeEvent("E1", "2013");
  bad_partner.partner_cities = {{"Pekin", "CHN"}};
  Event bad_home = MakeEvent("E2", "2013");
  bad_home.home_city = {"Soul", ""};
  Event bad_org = MakeEvent("E3", "2013");
  bad_org.organization = "No Such Network";
  Event bad_mechanism = MakeEvent("E4", "2013");
  bad_mechanism.mechanism = "No Such Council";
  Event bad_official = MakeEvent("E5", "2013");
  bad_official.officials = {"Test Mayor", "Nobody"};
  Membership bad_membership;
  bad_membership.city = {"Seoul", "KOR"};
  bad_membership.organization = "No Such Network";
  bad_membership.sources = {"https://example.org/m"};
  Mechanism bad_cities;
  bad_cities.name_en = "Broken";
  bad_cities.cities = {{"Seoul", "KOR"}, {"Atlantis", "GRC"}};
  bad_cities.sources = {"https://example.org/k"};

  struct Case {
    Record record;
    std::string message;
  };
  const std::vector<Case> cases = {
      {bad_partner, "unknown city 'Pekin' (country CHN)"},
      {bad_home, "unknown city 'Soul'"},
      {bad_org, "unknown organization 'No Such Network'"},
      {bad_mechanism, "unknown mechanism 'No Such Council'"},
      {bad_official, "unknown official 'Nobody'"},
      {bad_membership, "unknown organization 'No Such Network'"},
      {bad_cities, "unknown city 'Atlantis' (country GRC)"},
  };
  for (const Case& c : cases) {
    const auto inserted = store().Insert(c.record);

    ASSERT_FALSE(inserted.has_value()) << c.message;
    EXPECT_EQ(inserted.error().code, ErrorCode::kInvalidArgument) << c.message;
    EXPECT_EQ(inserted.error().message, c.message);
  }
  EXPECT_EQ(DumpCounts(MustCount(store())), DumpCounts(before));
}

TEST_P(StoreConformanceTest, AmbiguousCityNameListsItsCountries) {
  MustInsert(store(), MakeCity("Seoul", "KOR"));
  MustInsert(store(), MakeCity("Cordoba", "ESP"));
  MustInsert(store(), MakeCity("Cordoba", "ARG"));
  Event event = MakeEvent("E1", "2013");
  event.partner_cities = {{"Cordoba", ""}};

  const auto found = store().FindCity({"Cordoba", ""});
  const auto inserted = store().Insert(event);
  event.partner_cities = {{"Cordoba", "ARG"}};
  const auto with_country = store().Insert(event);

  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(found.error().message, HasSubstr("'Cordoba'"));
  EXPECT_THAT(found.error().message, HasSubstr("ARG, ESP"));
  ASSERT_FALSE(inserted.has_value());
  EXPECT_EQ(inserted.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(inserted.error().message, HasSubstr("ARG, ESP"));
  EXPECT_TRUE(with_country.has_value());
}

TEST_P(StoreConformanceTest, FindCityMatchesExactNameFirstThenIgnoringCase) {
  MustInsert(store(), MakeCity("Gwangju", "KOR"));
  MustInsert(store(), MakeCity("GWANGJU", "USA"));

  const auto exact = store().FindCity({"Gwangju", ""});
  const auto with_country = store().FindCity({"gwangju", "USA"});
  const auto folded = store().FindCity({"gwangju", ""});
  const auto missing = store().FindCity({"Atlantis", ""});

  ASSERT_TRUE(exact.has_value() && exact->has_value());
  EXPECT_EQ((*exact)->country, "KOR");
  ASSERT_TRUE(with_country.has_value() && with_country->has_value());
  EXPECT_EQ((*with_country)->name_en, "GWANGJU");
  ASSERT_FALSE(folded.has_value());
  EXPECT_EQ(folded.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreConformanceTest, FindsOrganizationsByNameOrAcronymAndMechanismsByEitherName) {
  SeedBasics(store());

  const auto by_name = store().FindOrganization("World Association of the Major Metropolises");
  const auto by_acronym = store().FindOrganization("SCN");
  const auto no_org = store().FindOrganization("UCLG");
  const auto by_english = store().FindMechanism("Seoul-Beijing Test Council");
  const auto by_korean = store().FindMechanism("서울-베이징 시험 위원회");
  const auto no_mechanism = store().FindMechanism("Nothing");

  ASSERT_TRUE(by_name.has_value() && by_name->has_value());
  EXPECT_EQ((*by_name)->acronym, "Metropolis");
  ASSERT_TRUE(by_acronym.has_value() && by_acronym->has_value());
  EXPECT_EQ((*by_acronym)->name, "Synthetic Cities Network");
  ASSERT_TRUE(no_org.has_value());
  EXPECT_FALSE(no_org->has_value());
  ASSERT_TRUE(by_english.has_value() && by_english->has_value());
  ASSERT_TRUE(by_korean.has_value() && by_korean->has_value());
  EXPECT_EQ((*by_korean)->name_en, "Seoul-Beijing Test Council");
  ASSERT_EQ((*by_korean)->cities.size(), 2U);
  EXPECT_EQ((*by_korean)->cities[1], (CityRef{"Beijing", "CHN"}));
  ASSERT_TRUE(no_mechanism.has_value());
  EXPECT_FALSE(no_mechanism->has_value());
}

// ---- Duplicates ---------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, RecordsWhoseNaturalKeyIsTakenAlreadyExist) {
  SeedBasics(store());
  ASSERT_TRUE(store().Insert(MakeEvent("E1", "2013")).has_value());
  PartnerRelation relation;
  relation.city_a = {"Seoul", "KOR"};
  relation.city_b = {"Beijing", "CHN"};
  relation.since = D("1993");
  relation.sources = {"https://example.org/r"};
  ASSERT_TRUE(store().Insert(relation).has_value());
  PartnerRelation reversed = relation;
  std::swap(reversed.city_a, reversed.city_b);
  Organization organization;
  organization.name = "Synthetic Cities Network";
  organization.sources = {"https://example.org/o"};
  Mechanism mechanism;
  mechanism.name_en = "Seoul-Beijing Test Council";
  mechanism.sources = {"https://example.org/k"};
  const Counts before = MustCount(store());

  for (const Record& record : std::vector<Record>{MakeCity("Seoul", "KOR"), organization, mechanism,
                                                  MakeEvent("E1", "2014"), relation, reversed}) {
    const auto inserted = store().Insert(record);

    ASSERT_FALSE(inserted.has_value()) << Dump(record);
    EXPECT_EQ(inserted.error().code, ErrorCode::kAlreadyExists) << Dump(record);
    EXPECT_THAT(inserted.error().message, HasSubstr("already exists"));
  }
  EXPECT_EQ(DumpCounts(MustCount(store())), DumpCounts(before));
  EXPECT_TRUE(store().Insert(MakeCity("Seoul", "USA")).has_value());
}

TEST_P(StoreConformanceTest, UpdateOntoATakenKeyAlreadyExists) {
  const RecordId seoul = MustInsert(store(), MakeCity("Seoul", "KOR"));
  MustInsert(store(), MakeCity("Busan", "KOR"));
  City city = As<City>(store().Get(RecordKind::kCity, seoul));

  city.name_en = "Busan";
  const auto updated = store().Update(city);

  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(As<City>(store().Get(RecordKind::kCity, seoul)).name_en, "Seoul");
}

TEST_P(StoreConformanceTest, FindsADuplicateEventByDateHomePartnersTypeAndTitle) {
  SeedBasics(store());
  Event stored = MakeEvent("E1", "2013-05-13", "Mayor Visits Beijing");
  stored.partner_cities = {{"Beijing", "CHN"}, {"Shanghai", "CHN"}};
  const RecordId id = MustInsert(store(), stored);
  MustInsert(store(), MakeEvent("E2", "2013-05", "Mayor Visits Beijing"));

  Event same = stored;
  same.ref = "";
  same.partner_cities = {{"Shanghai", ""}, {"Beijing", "CHN"}};
  same.title_en = "  mayor visits   BEIJING ";
  same.notes = "other notes do not matter";
  Event other_date = same;
  other_date.date = D("2013-05-14");
  Event other_partners = same;
  other_partners.partner_cities = {{"Beijing", "CHN"}};
  Event other_type = same;
  other_type.type = EventType::kForum;
  Event other_title = same;
  other_title.title_en = "Mayor visits Beijing again";
  Event unknown_city = same;
  unknown_city.partner_cities = {{"Atlantis", "GRC"}};
  Event itself = stored;
  itself.id = id;

  const auto found = store().FindDuplicateEvent(same);

  ASSERT_TRUE(found.has_value()) << found.error().ToString();
  EXPECT_EQ(*found, std::optional<RecordId>(id));
  for (const Event& event :
       {other_date, other_partners, other_type, other_title, unknown_city, itself}) {
    const auto none = store().FindDuplicateEvent(event);
    ASSERT_TRUE(none.has_value()) << none.error().ToString();
    EXPECT_FALSE(none->has_value()) << Dump(event);
  }
}

// A bulk import asks for the duplicate of every row inside one transaction (a backend may then
// answer from a set of keys): stored events, events inserted earlier in the same transaction and
// events updated in it are all found; other events are not.
TEST_P(StoreConformanceTest, FindsDuplicatesAcrossABulkTransaction) {
  SeedBasics(store());
  constexpr int kStored = 300;
  const auto day = [](int i) {  // a different day for each i < 336
    char text[16];
    std::snprintf(text, sizeof text, "2000-%02d-%02d", 1 + (i / 28) % 12, 1 + i % 28);
    return std::string(text);
  };
  ASSERT_TRUE(store().InTransaction([&]() -> Status {
    for (int i = 0; i < kStored; ++i) {
      if (auto id = store().Insert(MakeEvent("B" + std::to_string(i), day(i).c_str())); !id) {
        return Fail(id.error());
      }
    }
    return Ok();
  }));
  RecordId updated_id = 0;
  const auto status = store().InTransaction([&]() -> Status {
    // Many questions, so that a backend's bulk path (if any) is taken.
    for (int i = 0; i < kStored; ++i) {
      Event copy = MakeEvent("", day(i).c_str(), "Visit B" + std::to_string(i));
      auto found = store().FindDuplicateEvent(copy);
      if (!found) {
        return Fail(found.error());
      }
      EXPECT_TRUE(found->has_value()) << i;
      Event fresh = MakeEvent("", day(i).c_str(), "Another visit " + std::to_string(i));
      auto none = store().FindDuplicateEvent(fresh);
      if (!none) {
        return Fail(none.error());
      }
      EXPECT_FALSE(none->has_value()) << i;
    }
    // Inserted in this transaction: found.
    auto id = store().Insert(MakeEvent("N1", "2020-02-02", "New in this transaction"));
    if (!id) {
      return Fail(id.error());
    }
    auto found = store().FindDuplicateEvent(MakeEvent("", "2020-02-02", "New in this transaction"));
    EXPECT_TRUE(found && found->has_value());
    // Updated in this transaction: found under its new title, no longer under the old one.
    auto stored = store().Get(RecordKind::kEvent, *id);
    if (!stored) {
      return Fail(stored.error());
    }
    Event changed = std::get<Event>(*stored);
    changed.title_en = "Renamed in this transaction";
    if (auto done = store().Update(changed); !done) {
      return Fail(done.error());
    }
    updated_id = *id;
    auto renamed =
        store().FindDuplicateEvent(MakeEvent("", "2020-02-02", "Renamed in this transaction"));
    EXPECT_TRUE(renamed && renamed->has_value());
    auto old_title =
        store().FindDuplicateEvent(MakeEvent("", "2020-02-02", "New in this transaction"));
    EXPECT_TRUE(old_title && !old_title->has_value());
    return Ok();
  });
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_NE(updated_id, 0);
}

// ---- Transactions -------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, TransactionCommitsAllWrites) {
  const auto status = store().InTransaction([&]() -> Status {
    for (const char* name : {"Seoul", "Beijing", "Tokyo"}) {
      if (auto id = store().Insert(MakeCity(name, "KOR")); !id) {
        return Fail(id.error());
      }
    }
    return Ok();
  });

  ASSERT_TRUE(status.has_value()) << status.error().ToString();
  EXPECT_EQ(MustCount(store()).cities, 3);
}

TEST_P(StoreConformanceTest, FailingTransactionLeavesTheDatabaseUnchanged) {
  SeedBasics(store());
  const Counts before = MustCount(store());
  const RecordId seoul = store().FindCity({"Seoul", "KOR"}).value()->id;

  const auto status = store().InTransaction([&]() -> Status {
    if (auto id = store().Insert(MakeCity("Busan", "KOR")); !id) {
      return Fail(id.error());
    }
    if (auto id = store().Insert(MakeEvent("E1", "2013")); !id) {
      return Fail(id.error());
    }
    City city = As<City>(store().Get(RecordKind::kCity, seoul));
    city.name_ko = "changed";
    if (auto s = store().Update(city); !s) {
      return s;
    }
    const auto officials = store().List(RecordKind::kOfficial);
    if (!officials) {
      return Fail(officials.error());
    }
    if (auto s = store().Delete(RecordKind::kOfficial, IdOf(officials->front())); !s) {
      return s;
    }
    return Fail(ErrorCode::kInvalidData, "row 3 is bad", "events.csv:3");
  });

  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(status.error().where, "events.csv:3");
  EXPECT_EQ(DumpCounts(MustCount(store())), DumpCounts(before));
  EXPECT_FALSE(store().FindCity({"Busan", "KOR"}).value().has_value());
  EXPECT_EQ(As<City>(store().Get(RecordKind::kCity, seoul)).name_ko, "서울");
}

TEST_P(StoreConformanceTest, ThrowingTransactionRollsBackAndIsInternal) {
  const auto status = store().InTransaction([&]() -> Status {
    (void)store().Insert(MakeCity("Seoul", "KOR"));
    throw std::runtime_error("boom");
  });

  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_THAT(status.error().message, HasSubstr("boom"));
  EXPECT_EQ(MustCount(store()).cities, 0);
  EXPECT_TRUE(store().Insert(MakeCity("Seoul", "KOR")).has_value());
}

TEST_P(StoreConformanceTest, FailedWriteInsideATransactionLeavesNoPartRecord) {
  SeedBasics(store());
  Event bad = MakeEvent("E2", "2013");
  bad.topics = {Topic::kCulture};
  bad.officials = {"Nobody"};

  const auto status = store().InTransaction([&]() -> Status {
    if (auto id = store().Insert(MakeEvent("E1", "2013")); !id) {
      return Fail(id.error());
    }
    const auto failed = store().Insert(bad);
    EXPECT_FALSE(failed.has_value());
    return Ok();  // the caller chose to skip the bad row
  });

  ASSERT_TRUE(status.has_value()) << status.error().ToString();
  EXPECT_EQ(Refs(store().ListEvents(EventFilter{})), (std::vector<std::string>{"E1"}));
  EventFilter culture;
  culture.topic = Topic::kCulture;
  EXPECT_EQ(store().CountEvents(culture).value(), 0);
}

TEST_P(StoreConformanceTest, TransactionsDoNotNest) {
  const auto status = store().InTransaction([&]() -> Status {
    (void)store().Insert(MakeCity("Seoul", "KOR"));
    return store().InTransaction([]() { return Ok(); });
  });

  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(MustCount(store()).cities, 0);
}

// ---- Deleting referenced records ----------------------------------------------------------------

TEST_P(StoreConformanceTest, ReferencedRecordsCannotBeDeleted) {
  SeedBasics(store());
  Event event = MakeEvent("E1", "2013");
  event.organization = "Synthetic Cities Network";
  event.officials = {"Test Mayor"};
  event.mechanism = "Seoul-Beijing Test Council";
  const RecordId event_id = MustInsert(store(), event);
  const RecordId beijing = store().FindCity({"Beijing", "CHN"}).value()->id;
  const RecordId network = store().FindOrganization("SCN").value()->id;

  const auto city = store().Delete(RecordKind::kCity, beijing);
  const auto organization = store().Delete(RecordKind::kOrganization, network);

  ASSERT_FALSE(city.has_value());
  EXPECT_EQ(city.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(city.error().message, HasSubstr("Beijing"));
  EXPECT_THAT(city.error().message, HasSubstr("referenced"));
  ASSERT_FALSE(organization.has_value());
  EXPECT_EQ(organization.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store().Delete(RecordKind::kEvent, event_id).has_value());
  EXPECT_TRUE(store().Delete(RecordKind::kOrganization, network).has_value());
  EXPECT_FALSE(store().Delete(RecordKind::kCity, beijing).has_value());  // still in the mechanism
  EXPECT_TRUE(
      store().Delete(RecordKind::kCity, store().FindCity({"Tokyo", ""}).value()->id).has_value());
}

// ---- Listing events -----------------------------------------------------------------------------

class EventFilterFixture {
 public:
  // E1..E8 with one distinguishing attribute each; see the expectations in the tests.
  static void Seed(Store& store) {
    SeedBasics(store);
    Event e1 = MakeEvent("E1", "2012-03-01", "Cultural week in Beijing");
    e1.type = EventType::kCulturalExchange;
    e1.topics = {Topic::kCulture};
    Event e2 = MakeEvent("E2", "2013-05-13", "Mayor meets mayor");
    e2.type = EventType::kLeaderVisit;
    e2.level = Level::kMayor;
    e2.topics = {Topic::kEconomy, Topic::kEnvironment};
    e2.partner_cities = {{"Beijing", "CHN"}, {"Shanghai", "CHN"}};
    Event e3 = MakeEvent("E3", "2014-07-02", "Online smart city forum");
    e3.type = EventType::kForum;
    e3.mode = Mode::kOnline;
    e3.framework = Framework::kMultilateral;
    e3.organization = "World Association of the Major Metropolises";
    e3.topics = {Topic::kSmartCity};
    e3.partner_cities = {{"Shanghai", "CHN"}, {"Tokyo", "JPN"}};
    Event e4 = MakeEvent("E4", "2015-01-20", "Air quality talks");
    e4.home_city = {"Tokyo", "JPN"};
    e4.partner_cities = {{"Beijing", "CHN"}};
    e4.topics = {Topic::kEnvironment};
    e4.notes = "Fine DUST was the main item";
    Event e5 = MakeEvent("E5", "2016-09-09", "Youth camp");
    e5.type = EventType::kYouthExchange;
    e5.level = Level::kDepartment;
    e5.title_ko = "청소년 교류 캠프";
    Event e6 = MakeEvent("E6", "2017-11-30", "Delegation to Shanghai");
    e6.partner_cities = {{"Shanghai", "CHN"}};
    e6.framework = Framework::kBilateralWithinMultilateral;
    e6.organization = "Synthetic Cities Network";
    e6.mode = Mode::kBlended;
    for (const Event& event : {e1, e2, e3, e4, e5, e6}) {
      MustInsert(store, event);
    }
  }
};

TEST_P(StoreConformanceTest, EveryFilterFieldSelectsItsEvents) {
  EventFilterFixture::Seed(store());
  struct Case {
    std::string name;
    EventFilter filter;
    std::vector<std::string> refs;
  };
  std::vector<Case> cases;
  auto add = [&](std::string name, std::vector<std::string> refs, auto&& set) {
    EventFilter filter;
    set(filter);
    cases.push_back({std::move(name), filter, std::move(refs)});
  };
  add("none", {"E1", "E2", "E3", "E4", "E5", "E6"}, [](EventFilter&) {});
  add("home", {"E4"}, [](EventFilter& f) { f.home = CityRef{"Tokyo", ""}; });
  add("partner", {"E2", "E3", "E6"}, [](EventFilter& f) {
    f.partner = CityRef{"Shanghai", "CHN"};
  });
  add("partner tokyo", {"E3"}, [](EventFilter& f) { f.partner = CityRef{"tokyo", ""}; });
  add("range", {"E2", "E3", "E4"}, [](EventFilter& f) { f.range = {D("2013"), D("2015")}; });
  add("type", {"E2"}, [](EventFilter& f) { f.type = EventType::kLeaderVisit; });
  add("framework", {"E3"}, [](EventFilter& f) { f.framework = Framework::kMultilateral; });
  add("framework within", {"E6"},
      [](EventFilter& f) { f.framework = Framework::kBilateralWithinMultilateral; });
  add("mode", {"E3"}, [](EventFilter& f) { f.mode = Mode::kOnline; });
  add("mode offline", {"E1", "E2", "E4", "E5"}, [](EventFilter& f) { f.mode = Mode::kOffline; });
  add("level", {"E5"}, [](EventFilter& f) { f.level = Level::kDepartment; });
  add("topic", {"E2", "E4"}, [](EventFilter& f) { f.topic = Topic::kEnvironment; });
  add("organization", {"E3"},
      [](EventFilter& f) { f.organization = "World Association of the Major Metropolises"; });
  add("organization acronym", {"E6"}, [](EventFilter& f) { f.organization = "SCN"; });
  add("text title", {"E1"}, [](EventFilter& f) { f.text = "CULTURAL"; });
  add("text korean", {"E5"}, [](EventFilter& f) { f.text = "청소년"; });
  add("text notes", {"E4"}, [](EventFilter& f) { f.text = "fine dust"; });
  add("text with wildcards", {}, [](EventFilter& f) { f.text = "%_"; });
  add("combined", {"E2"}, [](EventFilter& f) {
    f.home = CityRef{"Seoul", "KOR"};
    f.partner = CityRef{"Beijing", "CHN"};
    f.topic = Topic::kEconomy;
    f.range.from = D("2013-05");
  });

  for (const Case& c : cases) {
    const auto events = store().ListEvents(c.filter);
    const auto count = store().CountEvents(c.filter);

    EXPECT_EQ(Refs(events), c.refs) << c.name;
    ASSERT_TRUE(count.has_value()) << c.name << ": " << count.error().ToString();
    EXPECT_EQ(*count, static_cast<std::int64_t>(c.refs.size())) << c.name;
  }
}

TEST_P(StoreConformanceTest, ListedEventsCarryAllTheirLists) {
  EventFilterFixture::Seed(store());
  EventFilter filter;
  filter.type = EventType::kLeaderVisit;

  const auto events = store().ListEvents(filter);

  ASSERT_TRUE(events.has_value()) << events.error().ToString();
  ASSERT_EQ(events->size(), 1U);
  const Event& e2 = events->front();
  EXPECT_EQ(Str(e2.partner_cities), "[Beijing/CHN;Shanghai/CHN;]");
  EXPECT_EQ(e2.topics, (std::vector<Topic>{Topic::kEconomy, Topic::kEnvironment}));
  EXPECT_EQ(e2.sources, (std::vector<std::string>{"https://example.org/event/E2"}));
  EXPECT_EQ(e2.home_city, (CityRef{"Seoul", "KOR"}));
}

TEST_P(StoreConformanceTest, FilterNamingAnUnknownCityOrOrganizationIsInvalid) {
  SeedBasics(store());
  EventFilter city;
  city.partner = CityRef{"Pekin", "CHN"};
  EventFilter organization;
  organization.organization = "No Such Network";

  const auto by_city = store().ListEvents(city);
  const auto by_organization = store().CountEvents(organization);

  ASSERT_FALSE(by_city.has_value());
  EXPECT_EQ(by_city.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(by_city.error().message, HasSubstr("unknown city 'Pekin' (country CHN)"));
  ASSERT_FALSE(by_organization.has_value());
  EXPECT_EQ(by_organization.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, ImpreciseDatesOnlyPartlyInRangeNeedIncludeImprecise) {
  SeedBasics(store());
  for (const char* date : {"2012", "2013", "2013-05", "2013-05-13", "2013-06", "2014"}) {
    MustInsert(store(), MakeEvent(date, date));
  }
  struct Case {
    const char* from;
    const char* to;
    bool imprecise;
    std::vector<std::string> refs;
  };
  const std::vector<Case> cases = {
      {"2013-05", "", false, {"2013-05", "2013-05-13", "2013-06", "2014"}},
      {"2013-05", "", true, {"2013", "2013-05", "2013-05-13", "2013-06", "2014"}},
      {"", "2013-05", false, {"2012", "2013-05", "2013-05-13"}},
      {"", "2013-05", true, {"2012", "2013", "2013-05", "2013-05-13"}},
      {"2013-05", "2013-05", false, {"2013-05", "2013-05-13"}},
      {"2013-05", "2013-05", true, {"2013", "2013-05", "2013-05-13"}},
      {"2013-05-13", "2013-05-13", false, {"2013-05-13"}},
      {"2013-05-13", "2013-05-13", true, {"2013", "2013-05", "2013-05-13"}},
      {"2013", "2013", false, {"2013", "2013-05", "2013-05-13", "2013-06"}},
      {"2015", "", true, {}},
  };
  for (const Case& c : cases) {
    EventFilter filter;
    filter.range.from = *c.from ? D(c.from) : PartialDate();
    filter.range.to = *c.to ? D(c.to) : PartialDate();
    filter.include_imprecise = c.imprecise;
    const std::string name = std::string(c.from) + ".." + c.to + (c.imprecise ? " +imprecise" : "");

    EXPECT_EQ(Refs(store().ListEvents(filter)), c.refs) << name;
    EXPECT_EQ(store().CountEvents(filter).value(), static_cast<std::int64_t>(c.refs.size()))
        << name;
  }
}

TEST_P(StoreConformanceTest, EventsAreOrderedByFirstDayThenPrecisionThenId) {
  SeedBasics(store());
  for (const auto& [ref, date] :
       std::vector<std::pair<std::string, const char*>>{{"a", "2013-01-01"},
                                                        {"b", "2013"},
                                                        {"c", "2013-01"},
                                                        {"d", "2012-12-31"},
                                                        {"e", "2013-01-01"},
                                                        {"f", "2013-02"}}) {
    MustInsert(store(), MakeEvent(ref, date));
  }

  EXPECT_EQ(Refs(store().ListEvents(EventFilter{})),
            (std::vector<std::string>{"d", "b", "c", "a", "e", "f"}));
}

TEST_P(StoreConformanceTest, PagesWithLimitAndOffsetWhileCountIgnoresThem) {
  SeedBasics(store());
  std::vector<std::string> all;
  for (int i = 1; i <= 10; ++i) {
    char date[16];
    std::snprintf(date, sizeof date, "2013-%02d-01", i);
    const std::string ref = "E" + std::to_string(i);
    MustInsert(store(), MakeEvent(ref, date));
    all.push_back(ref);
  }
  auto page = [&](std::int64_t limit, std::int64_t offset) {
    EventFilter filter;
    filter.limit = limit;
    filter.offset = offset;
    return Refs(store().ListEvents(filter));
  };

  EXPECT_EQ(page(3, 0), (std::vector<std::string>{"E1", "E2", "E3"}));
  EXPECT_EQ(page(3, 3), (std::vector<std::string>{"E4", "E5", "E6"}));
  EXPECT_EQ(page(3, 9), (std::vector<std::string>{"E10"}));
  EXPECT_EQ(page(0, 0), (std::vector<std::string>{}));
  EXPECT_EQ(page(-1, 8), (std::vector<std::string>{"E9", "E10"}));
  EXPECT_EQ(page(-1, 0), all);
  EventFilter paged;
  paged.limit = 2;
  paged.offset = 5;
  paged.range.from = D("2013-03");
  EXPECT_EQ(Refs(store().ListEvents(paged)), (std::vector<std::string>{"E8", "E9"}));
  EXPECT_EQ(store().CountEvents(paged).value(), 8);
}

TEST_P(StoreConformanceTest, NegativePagingIsInvalid) {
  EventFilter offset;
  offset.offset = -1;
  EventFilter limit;
  limit.limit = -2;

  const auto by_offset = store().ListEvents(offset);
  const auto by_limit = store().ListEvents(limit);

  ASSERT_FALSE(by_offset.has_value());
  EXPECT_EQ(by_offset.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(by_offset.error().message, HasSubstr("-1"));
  ASSERT_FALSE(by_limit.has_value());
  EXPECT_EQ(by_limit.error().code, ErrorCode::kInvalidArgument);
}

// ---- Whole registry -----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, LoadRegistryReturnsEverythingWithNaturalKeys) {
  EventFilterFixture::Seed(store());
  PartnerRelation relation;
  relation.city_a = {"Seoul", ""};
  relation.city_b = {"Tokyo", ""};
  relation.sources = {"https://example.org/r"};
  MustInsert(store(), relation);
  Membership membership;
  membership.city = {"Beijing", ""};
  membership.organization = "SCN";
  membership.sources = {"https://example.org/m"};
  MustInsert(store(), membership);
  Official official = std::get<Official>(store().List(RecordKind::kOfficial).value().front());
  official.visit_claims = {{{"Beijing", ""}, Claim::kYes, {"https://example.org/v"}}};
  ASSERT_TRUE(store().Update(official).has_value());

  const auto registry = store().LoadRegistry();

  ASSERT_TRUE(registry.has_value()) << registry.error().ToString();
  EXPECT_EQ(registry->cities.size(), 4U);
  EXPECT_EQ(registry->organizations.size(), 2U);
  EXPECT_EQ(registry->mechanisms.size(), 1U);
  EXPECT_EQ(registry->officials.size(), 2U);
  ASSERT_EQ(registry->partner_relations.size(), 1U);
  EXPECT_EQ(registry->partner_relations[0].city_b, (CityRef{"Tokyo", "JPN"}));
  ASSERT_EQ(registry->memberships.size(), 1U);
  EXPECT_EQ(registry->memberships[0].city, (CityRef{"Beijing", "CHN"}));
  EXPECT_EQ(registry->memberships[0].organization, "Synthetic Cities Network");
  ASSERT_EQ(registry->officials[0].visit_claims.size(), 1U);
  EXPECT_EQ(registry->officials[0].visit_claims[0].partner, (CityRef{"Beijing", "CHN"}));
  EXPECT_EQ(registry->officials[0].visit_claims[0].sources,
            (std::vector<std::string>{"https://example.org/v"}));
  ASSERT_EQ(registry->events.size(), 6U);
  EXPECT_EQ(registry->events[2].ref, "E3");
  EXPECT_EQ(Str(registry->events[2].partner_cities), "[Shanghai/CHN;Tokyo/JPN;]");
  EXPECT_EQ(registry->events[2].organization, "World Association of the Major Metropolises");
  for (const Event& event : registry->events) {
    EXPECT_EQ(Dump(event), Dump(As<Event>(store().Get(RecordKind::kEvent, event.id))));
  }
}

TEST_P(StoreConformanceTest, CountAllCountsEveryKind) {
  EventFilterFixture::Seed(store());
  PartnerRelation relation;
  relation.city_a = {"Seoul", "KOR"};
  relation.city_b = {"Tokyo", "JPN"};
  relation.sources = {"https://example.org/r"};
  MustInsert(store(), relation);

  const Counts counts = MustCount(store());

  EXPECT_EQ(counts.cities, 4);
  EXPECT_EQ(counts.organizations, 2);
  EXPECT_EQ(counts.partner_relations, 1);
  EXPECT_EQ(counts.memberships, 0);
  EXPECT_EQ(counts.officials, 2);
  EXPECT_EQ(counts.mechanisms, 1);
  EXPECT_EQ(counts.events, 6);
}

TEST_P(StoreConformanceTest, ListsCitiesByCountryThenNameAndEventsByDate) {
  EventFilterFixture::Seed(store());

  const auto cities = store().List(RecordKind::kCity);
  const auto events = store().List(RecordKind::kEvent);

  ASSERT_TRUE(cities.has_value()) << cities.error().ToString();
  std::vector<std::string> names;
  for (const Record& record : *cities) {
    names.push_back(std::get<City>(record).name_en);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Beijing", "Shanghai", "Tokyo", "Seoul"}));
  ASSERT_TRUE(events.has_value()) << events.error().ToString();
  ASSERT_EQ(events->size(), 6U);
  EXPECT_EQ(std::get<Event>(events->front()).ref, "E1");
  EXPECT_EQ(std::get<Event>(events->back()).ref, "E6");
}

// ---- Validation ---------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, RecordsMissingWhatTheStoreNeedsAreInvalid) {
  SeedBasics(store());
  Event no_source = MakeEvent("E1", "2013");
  no_source.sources.clear();
  Event no_date = MakeEvent("E2", "2013");
  no_date.date = PartialDate();
  Event self_partner = MakeEvent("E3", "2013");
  self_partner.partner_cities = {{"Seoul", ""}};
  City bad_country = MakeCity("Seoul", "Korea");
  City bad_lat = MakeCity("Pole", "NOR");
  bad_lat.lat = 91;

  struct Case {
    Record record;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{no_source, "sources"},
                                         {no_date, "date"},
                                         {self_partner, "partner_cities"},
                                         {bad_country, "country"},
                                         {bad_lat, "lat"}}) {
    const auto inserted = store().Insert(c.record);

    ASSERT_FALSE(inserted.has_value()) << c.field;
    EXPECT_EQ(inserted.error().code, ErrorCode::kInvalidArgument) << c.field;
    EXPECT_EQ(inserted.error().where, c.field);
  }
  EXPECT_EQ(MustCount(store()).events, 0);
}

}  // namespace citydip::storage::testing
