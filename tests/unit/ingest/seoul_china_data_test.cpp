// The shipped reference dataset (data/seoul-china/) reads without a single diagnostic, is already
// in canonical form, and keeps the facts of the original files it was normalized from.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/ingest/registry_io.h"

namespace citydip::ingest {
namespace {

ParseOptions MaxErrors(std::size_t max) {
  ParseOptions options;
  options.max_errors = max;
  return options;
}

std::string DataPath(const std::string& name) {
  return std::string(CITYDIP_SOURCE_DIR) + "/data/seoul-china/" + name;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

ParsedFile Load(const std::string& name, ParseOptions options = {}) {
  auto parsed = ParseRecordFile(DataPath(name), options);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().ToString());
  return parsed ? *parsed : ParsedFile{};
}

template <typename T>
std::vector<T> All(const ParsedFile& parsed) {
  std::vector<T> out;
  for (const SourceRow& row : parsed.rows) {
    out.push_back(std::get<T>(row.record));
  }
  return out;
}

struct Expected {
  const char* file;
  RecordKind kind;
  std::size_t records;
};

class SeoulChinaFileTest : public ::testing::TestWithParam<Expected> {};

TEST_P(SeoulChinaFileTest, ParsesWithoutDiagnostics) {
  const Expected expected = GetParam();

  const ParsedFile parsed = Load(expected.file, MaxErrors(0));

  for (const Diagnostic& diagnostic : parsed.diagnostics) {
    ADD_FAILURE() << diagnostic.ToString();
  }
  EXPECT_EQ(parsed.kind, expected.kind);
  EXPECT_EQ(parsed.rows.size(), expected.records);
}

TEST_P(SeoulChinaFileTest, IsInCanonicalFormAndRoundTripsThroughJson) {
  const Expected expected = GetParam();
  const ParsedFile parsed = Load(expected.file);
  std::vector<Record> records;
  for (const SourceRow& row : parsed.rows) {
    records.push_back(row.record);
  }

  const std::string csv = WriteRecords(expected.kind, records, FileFormat::kCsv);
  EXPECT_EQ(csv, ReadBytes(DataPath(expected.file)));

  const std::string json = WriteRecords(expected.kind, records, FileFormat::kJson);
  auto from_json = ParseRecords("data.json", json, {});
  ASSERT_TRUE(from_json.has_value()) << from_json.error().ToString();
  ASSERT_TRUE(from_json->diagnostics.empty()) << from_json->diagnostics.front().ToString();
  std::vector<Record> again;
  for (const SourceRow& row : from_json->rows) {
    again.push_back(row.record);
  }
  EXPECT_EQ(WriteRecords(expected.kind, again, FileFormat::kJson), json);
  EXPECT_EQ(WriteRecords(expected.kind, again, FileFormat::kCsv), csv);
}

INSTANTIATE_TEST_SUITE_P(
    ShippedFiles,
    SeoulChinaFileTest,
    ::testing::Values(Expected{"cities.csv", RecordKind::kCity, 32},
                      Expected{"organizations.csv", RecordKind::kOrganization, 20},
                      Expected{"partner_relations.csv", RecordKind::kPartnerRelation, 9},
                      Expected{"memberships.csv", RecordKind::kMembership, 41},
                      Expected{"officials.csv", RecordKind::kOfficial, 14},
                      Expected{"mechanisms.csv", RecordKind::kMechanism, 1},
                      Expected{"events.csv", RecordKind::kEvent, 92}),
    [](const auto& param_info) {
      std::string name = param_info.param.file;
      return name.substr(0, name.find('.'));
    });

TEST(SeoulChinaDataTest, EveryNamedCityAndOrganizationIsDefined) {
  std::set<std::pair<std::string, std::string>> cities;
  for (const City& city : All<City>(Load("cities.csv"))) {
    cities.insert({city.name_en, city.country});
  }
  std::set<std::string> organizations;
  for (const Organization& organization : All<Organization>(Load("organizations.csv"))) {
    organizations.insert(organization.name);
  }
  std::set<std::string> mechanisms;
  for (const Mechanism& mechanism : All<Mechanism>(Load("mechanisms.csv"))) {
    mechanisms.insert(mechanism.name_en);
    for (const CityRef& city : mechanism.cities) {
      EXPECT_TRUE(cities.contains({city.name, city.country})) << city.name;
    }
  }
  const auto known = [&](const CityRef& city) {
    return cities.contains({city.name, city.country});
  };
  for (const Event& event : All<Event>(Load("events.csv"))) {
    EXPECT_TRUE(known(event.home_city)) << event.ref;
    for (const CityRef& partner : event.partner_cities) {
      EXPECT_TRUE(known(partner)) << event.ref << " " << partner.name;
    }
    if (!event.organization.empty()) {
      EXPECT_TRUE(organizations.contains(event.organization)) << event.ref;
    }
    if (!event.mechanism.empty()) {
      EXPECT_TRUE(mechanisms.contains(event.mechanism)) << event.ref;
    }
  }
  for (const Membership& membership : All<Membership>(Load("memberships.csv"))) {
    EXPECT_TRUE(known(membership.city)) << membership.city.name;
    EXPECT_TRUE(organizations.contains(membership.organization)) << membership.organization;
  }
  for (const PartnerRelation& relation : All<PartnerRelation>(Load("partner_relations.csv"))) {
    EXPECT_TRUE(known(relation.city_a) && known(relation.city_b)) << relation.city_b.name;
  }
  for (const Official& official : All<Official>(Load("officials.csv"))) {
    EXPECT_TRUE(known(official.city)) << official.name_en;
  }
}

TEST(SeoulChinaDataTest, OfficialsKeepTermsActingAndVisitClaims) {
  const auto officials = All<Official>(Load("officials.csv"));

  ASSERT_EQ(officials.size(), 14U);
  std::vector<std::string> acting;
  std::size_t yes = 0;
  for (const Official& official : officials) {
    if (official.acting) {
      acting.push_back(official.name_en);
    }
    ASSERT_EQ(official.visit_claims.size(), 1U) << official.name_en;
    EXPECT_EQ(official.visit_claims[0].partner.name, "Beijing");
    yes += official.visit_claims[0].claim == Claim::kYes ? 1 : 0;
    EXPECT_FALSE(official.sources.empty()) << official.name_en;
  }
  EXPECT_EQ(acting, (std::vector<std::string>{"Kang Duk-ki", "Kwon Young-kyu", "Seo Jung-hyup"}));
  EXPECT_EQ(yes, 6U);
  EXPECT_EQ(officials[12].term_start, PartialDate::FromParts(2020, 7, 10));
  EXPECT_EQ(officials[12].term_end, PartialDate::FromParts(2021, 4));
}

// The original shelf file uses the canonical events columns it has, so it can be read as is:
// only the four rows without a partner city fail (a partner country without a city), and every
// other row carries the same facts as its normalized row.
TEST(SeoulChinaDataTest, NormalizedEventsKeepTheOriginalFacts) {
  const ParsedFile original = Load("original/events.csv", MaxErrors(0));
  std::vector<std::size_t> failing_lines;
  for (const Diagnostic& diagnostic : original.diagnostics) {
    failing_lines.push_back(diagnostic.line);
    EXPECT_EQ(diagnostic.column_name, "partner_country");
  }
  EXPECT_EQ(failing_lines.size(), 4U);

  std::map<std::string, Event> normalized;
  for (const Event& event : All<Event>(Load("events.csv"))) {
    normalized.emplace(event.ref, event);
  }
  ASSERT_EQ(normalized.size(), 92U);
  std::size_t compared = 0;
  for (const Event& before : All<Event>(original)) {
    ASSERT_TRUE(normalized.contains(before.ref)) << before.ref;
    const Event& after = normalized.at(before.ref);
    EXPECT_EQ(after.date, before.date) << before.ref;
    EXPECT_EQ(after.home_city.name, before.home_city.name) << before.ref;
    EXPECT_EQ(after.direction, before.direction) << before.ref;
    EXPECT_EQ(after.type, before.type) << before.ref;
    EXPECT_EQ(after.framework, before.framework) << before.ref;
    EXPECT_EQ(after.mode, before.mode) << before.ref;
    EXPECT_EQ(after.level, before.level) << before.ref;
    EXPECT_EQ(after.topics, before.topics) << before.ref;
    EXPECT_EQ(after.title_en, before.title_en) << before.ref;
    EXPECT_EQ(after.title_ko, before.title_ko) << before.ref;
    EXPECT_EQ(after.sources, before.sources) << before.ref;
    EXPECT_EQ(after.partner_cities.size(), before.partner_cities.size()) << before.ref;
    for (std::size_t i = 0; i < std::min(after.partner_cities.size(), before.partner_cities.size());
         ++i) {
      EXPECT_EQ(after.partner_cities[i].country, before.partner_cities[i].country) << before.ref;
      const std::string& name = before.partner_cities[i].name;
      if (after.partner_cities[i].name != name) {
        // renamed: "Shandong Province" → "Shandong", or text kept in the notes
        const bool province = name == after.partner_cities[i].name + " Province";
        const bool in_notes = after.notes.find(name) != std::string::npos;
        EXPECT_TRUE(province || in_notes) << before.ref << " " << name;
      }
    }
    if (before.organization.empty() || before.organization == after.organization) {
      EXPECT_TRUE(after.mechanism.empty()) << before.ref;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 88U);
}

}  // namespace
}  // namespace citydip::ingest
