// `citydip migrate` as an app-layer function: copying a registry from SQLite to PostgreSQL and
// back between real databases (a temporary SQLite file, a throwaway PostgreSQL cluster), verified
// by counts and checksums, all-or-nothing.
//
// All data here is synthetic test data (real place names, example.org URLs, no claimed facts).
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/app/migrate_service.h"
#include "citydip/storage/postgres/postgres_store.h"
#include "citydip/storage/sqlite/sqlite_store.h"
#include "support/postgres_cluster.h"

namespace citydip::app {
namespace {

using test_support::PostgresCluster;
using test_support::PostgresEnvironment;
using ::testing::HasSubstr;

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

PartialDate D(const char* text) {
  return PartialDate::Parse(text).value();
}

template <typename T>
void MustInsert(storage::Store& store, const T& record) {
  auto id = store.Insert(record);
  ASSERT_TRUE(id.has_value()) << id.error().ToString();
}

/// A small registry using every kind and every field (synthetic).
void SeedRegistry(storage::Store& store) {
  City seoul;
  seoul.name_en = "Seoul";
  seoul.name_ko = "서울";
  seoul.name_zh = "首尔";
  seoul.country = "KOR";
  seoul.kind = CityKind::kMunicipality;
  seoul.lat = 37.5665;
  seoul.lon = 126.978;
  seoul.wikidata_id = "Q8684";
  seoul.sources = {"https://example.org/city/seoul", "https://example.org/city/seoul-2"};
  MustInsert(store, seoul);
  for (const auto& [name, country] : {std::pair{"Beijing", "CHN"},
                                      {"Shanghai", "CHN"},
                                      {"Tokyo", "JPN"},
                                      {"Cordoba", "ARG"},
                                      {"Cordoba", "ESP"}}) {
    City city;
    city.name_en = name;
    city.country = country;
    city.sources = {std::string("https://example.org/city/") + name};
    MustInsert(store, city);
  }
  Organization network;
  network.name = "Synthetic Cities Network";
  network.acronym = "SCN";
  network.kind = OrgKind::kCityNetwork;
  network.secretariat_city = CityRef{"Seoul", "KOR"};
  network.founded = D("2004-05");
  network.sources = {"https://example.org/org/scn"};
  MustInsert(store, network);
  PartnerRelation sister;
  sister.city_a = {"Seoul", "KOR"};
  sister.city_b = {"Beijing", "CHN"};
  sister.since = D("1993-10-23");
  sister.sources = {"https://example.org/relation/1"};
  MustInsert(store, sister);
  PartnerRelation friendship = sister;
  friendship.city_b = {"Cordoba", "ESP"};
  friendship.relation = RelationKind::kFriendship;
  friendship.status = RelationStatus::kDormant;
  friendship.until = D("2020");
  MustInsert(store, friendship);
  Membership membership;
  membership.city = {"Seoul", "KOR"};
  membership.organization = "SCN";
  membership.role = MembershipRole::kFounder;
  membership.since = D("2004");
  membership.sources = {"https://example.org/membership/1"};
  MustInsert(store, membership);
  Official mayor;
  mayor.name_en = "Test Mayor";
  mayor.name_ko = "시험 시장";
  mayor.city = {"Seoul", "KOR"};
  mayor.term_start = D("2011-10-27");
  mayor.term_end = D("2014-06-30");
  mayor.visit_claims = {{{"Beijing", "CHN"}, Claim::kYes, {"https://example.org/claim/1"}},
                        {{"Tokyo", "JPN"}, Claim::kNo, {}}};
  mayor.sources = {"https://example.org/official/1"};
  MustInsert(store, mayor);
  Official second_term = mayor;
  second_term.term_start = D("2014-07-01");
  second_term.term_end = D("2018-06-30");
  second_term.visit_claims.clear();
  MustInsert(store, second_term);
  Mechanism council;
  council.name_en = "Seoul-Beijing Test Council";
  council.name_ko = "서울-베이징 시험 위원회";
  council.cities = {{"Seoul", "KOR"}, {"Beijing", "CHN"}};
  council.founded = D("2013");
  council.fields = {"economy", "environment"};
  council.sources = {"https://example.org/mechanism/1"};
  MustInsert(store, council);
  for (int i = 1; i <= 12; ++i) {
    Event event;
    event.ref = "E" + std::to_string(i);
    event.date = i % 3 == 0   ? PartialDate::FromParts(2010 + i)
                 : i % 3 == 1 ? PartialDate::FromParts(2010 + i, 5)
                              : PartialDate::FromParts(2010 + i, 5, 13);
    event.home_city = {"Seoul", "KOR"};
    event.partner_cities = {{"Beijing", "CHN"}};
    if (i % 4 == 0) {
      event.partner_cities.push_back({"Shanghai", "CHN"});
    }
    event.direction = i % 2 == 0 ? std::optional(Direction::kOutbound) : std::nullopt;
    event.type = i % 2 == 0 ? EventType::kLeaderVisit : EventType::kCommitteeMeeting;
    event.level = i % 2 == 0 ? std::optional(Level::kMayor) : std::nullopt;
    event.topics = {Topic::kEconomy, Topic::kEnvironment};
    event.organization = i % 5 == 0 ? "Synthetic Cities Network" : "";
    event.mechanism = i % 2 == 1 ? "Seoul-Beijing Test Council" : "";
    event.officials =
        i % 2 == 0 ? std::vector<std::string>{"Test Mayor"} : std::vector<std::string>{};
    event.stakeholders = {{"Seoul Business Agency", StakeholderKind::kBusiness}};
    event.title_en = "Synthetic exchange " + std::to_string(i);
    event.title_ko = "시험 교류 " + std::to_string(i);
    event.notes = "line one\nline two, \"quoted\"";
    event.sources = {"https://example.org/event/" + std::to_string(i)};
    event.verified = i % 6 != 0;
    MustInsert(store, event);
  }
}

class MigrateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = PostgresEnvironment::Cluster();
    ASSERT_NE(cluster_, nullptr) << PostgresEnvironment::StartError();
    char pattern[] = "/tmp/citydip-migrate-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<storage::Store> OpenSqlite(const std::string& name, bool migrate = true) {
    auto store = storage::sqlite::OpenSqliteStore(dir_ + "/" + name);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    if (!store) {
      return nullptr;
    }
    if (migrate) {
      auto migrated = (*store)->Migrate();
      EXPECT_TRUE(migrated.has_value()) << migrated.error().ToString();
    }
    return std::move(*store);
  }

  std::unique_ptr<storage::Store> OpenPostgres(std::string* url_out = nullptr) {
    auto database = cluster_->CreateDatabase("migrate");
    EXPECT_TRUE(database.has_value()) << database.error().ToString();
    if (!database) {
      return nullptr;
    }
    const std::string url = cluster_->Url(*database);
    if (url_out != nullptr) {
      *url_out = url;
    }
    auto store = storage::postgres::OpenPostgresStore(url);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
  }

  static std::vector<KindCopyReport> Summary(storage::Store& store) {
    auto registry = store.LoadRegistry();
    EXPECT_TRUE(registry.has_value()) << registry.error().ToString();
    return SummarizeRegistry(registry.value_or(Registry{}));
  }

  PostgresCluster* cluster_ = nullptr;
  std::string dir_;
};

TEST_F(MigrateStoreTest, CopiesSqliteToPostgresAndBackWithEqualCountsAndChecksums) {
  auto sqlite = OpenSqlite("source.db");
  ASSERT_NE(sqlite, nullptr);
  SeedRegistry(*sqlite);
  auto postgres = OpenPostgres();
  ASSERT_NE(postgres, nullptr);
  std::ostringstream there;

  auto forward = MigrateStore(*sqlite, *postgres, there);

  ASSERT_TRUE(forward.has_value()) << forward.error().ToString() << "\n" << there.str();
  const auto source = Summary(*sqlite);
  const auto copy = Summary(*postgres);
  ASSERT_EQ(source.size(), copy.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    EXPECT_GT(source[i].source_count, 0) << RecordKindName(source[i].kind);
    EXPECT_EQ(source[i].source_count, copy[i].source_count) << RecordKindName(source[i].kind);
    EXPECT_EQ(source[i].source_sha256, copy[i].source_sha256) << RecordKindName(source[i].kind);
    EXPECT_THAT(there.str(), HasSubstr(source[i].source_sha256.substr(0, 16)));
  }
  EXPECT_THAT(there.str(), HasSubstr("events"));
  EXPECT_THAT(there.str(), HasSubstr("verified"));

  auto back = OpenSqlite("back.db");
  ASSERT_NE(back, nullptr);
  std::ostringstream back_report;
  auto backward = MigrateStore(*postgres, *back, back_report);

  ASSERT_TRUE(backward.has_value()) << backward.error().ToString() << "\n" << back_report.str();
  const auto round_trip = Summary(*back);
  for (std::size_t i = 0; i < source.size(); ++i) {
    EXPECT_EQ(source[i].source_count, round_trip[i].source_count);
    EXPECT_EQ(source[i].source_sha256, round_trip[i].source_sha256)
        << RecordKindName(source[i].kind);
  }
}

TEST_F(MigrateStoreTest, ChecksumsSeeAChangedField) {
  auto sqlite = OpenSqlite("source.db");
  ASSERT_NE(sqlite, nullptr);
  SeedRegistry(*sqlite);
  const auto before = Summary(*sqlite);
  auto found = sqlite->FindCity({"Tokyo", "JPN"});
  ASSERT_TRUE(found.has_value() && found->has_value());
  City tokyo = **found;
  tokyo.name_ko = "도쿄";
  ASSERT_TRUE(sqlite->Update(tokyo).has_value());

  const auto after = Summary(*sqlite);

  EXPECT_NE(before[0].source_sha256, after[0].source_sha256) << "cities";
  EXPECT_EQ(before.back().source_sha256, after.back().source_sha256) << "events unchanged";
}

TEST_F(MigrateStoreTest, RefusesATargetThatAlreadyHoldsRecords) {
  auto sqlite = OpenSqlite("source.db");
  ASSERT_NE(sqlite, nullptr);
  SeedRegistry(*sqlite);
  auto postgres = OpenPostgres();
  ASSERT_NE(postgres, nullptr);
  ASSERT_TRUE(postgres->Migrate().has_value());
  City existing;
  existing.name_en = "Busan";
  existing.country = "KOR";
  MustInsert(*postgres, existing);
  std::ostringstream report;

  auto copied = MigrateStore(*sqlite, *postgres, report);

  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(copied.error().message, HasSubstr("already holds 1 records"));
  EXPECT_EQ(postgres->CountAll().value_or(storage::Counts{}).cities, 1);
}

TEST_F(MigrateStoreTest, RefusesAnUnmigratedSource) {
  auto empty = OpenSqlite("empty.db", /*migrate=*/false);
  ASSERT_NE(empty, nullptr);
  auto postgres = OpenPostgres();
  ASSERT_NE(postgres, nullptr);
  std::ostringstream report;

  auto copied = MigrateStore(*empty, *postgres, report);

  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(copied.error().message, HasSubstr("schema version 0"));
}

TEST_F(MigrateStoreTest, ConnectionLostDuringTheCopyLeavesTheTargetEmpty) {
  auto sqlite = OpenSqlite("source.db");
  ASSERT_NE(sqlite, nullptr);
  SeedRegistry(*sqlite);
  std::string url;
  auto admin = OpenPostgres(&url);
  ASSERT_NE(admin, nullptr);
  ASSERT_TRUE(admin->Migrate().has_value());
  const std::string application = "citydip_migrate_victim_" + std::to_string(getpid());
  auto target = storage::postgres::OpenPostgresStore(url + "?application_name=" + application);
  ASSERT_TRUE(target.has_value()) << target.error().ToString();
  // Ends the target's session as soon as it has written its first event, from another session.
  ASSERT_TRUE(cluster_->Execute(
      "CREATE FUNCTION kill_importer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "PERFORM pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = '" +
          application +
          "'; RETURN NEW; END $$; "
          "CREATE TRIGGER kill_importer AFTER INSERT ON events FOR EACH ROW "
          "EXECUTE FUNCTION kill_importer()",
      url.substr(url.rfind('/') + 1)));
  std::ostringstream report;

  auto copied = MigrateStore(*sqlite, **target, report);

  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, ErrorCode::kUnavailable) << copied.error().ToString();
  EXPECT_THAT(copied.error().message, HasSubstr("lost the connection"));
  const auto counts = admin->CountAll();
  ASSERT_TRUE(counts.has_value()) << counts.error().ToString();
  EXPECT_EQ(counts->cities + counts->organizations + counts->partner_relations +
                counts->memberships + counts->officials + counts->mechanisms + counts->events,
            0)
      << "nothing half-written";
}

}  // namespace
}  // namespace citydip::app
