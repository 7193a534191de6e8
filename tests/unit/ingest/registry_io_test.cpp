#include "citydip/ingest/registry_io.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace citydip::ingest {
namespace {

constexpr const char* kEventTypes =
    "agreement, leader_visit, delegation_visit, committee_meeting, forum, cultural_exchange, "
    "academic_exchange, youth_exchange, economic_mission, tourism_promotion, "
    "multilateral_meeting, online_meeting, courtesy_call, other";
constexpr const char* kEventColumns =
    "id, date, home_city, home_country, partner_city, partner_country, direction, event_type, "
    "framework, mode, level, topics, organization, mechanism, status, officials, stakeholders, "
    "title_en, title_ko, notes, verified, source_url";

ParseOptions MaxErrors(std::size_t max) {
  ParseOptions options;
  options.max_errors = max;
  return options;
}

ParseOptions KindOption(RecordKind kind) {
  ParseOptions options;
  options.kind = kind;
  return options;
}

ParseOptions FormatOption(FileFormat format) {
  ParseOptions options;
  options.format = format;
  return options;
}

std::string FixturePath(const std::string& name) {
  return std::string(CITYDIP_SOURCE_DIR) + "/tests/fixtures/registry/" + name;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

// Parses a fixture under its bare name, so messages read "bad_enum.csv:2: ...".
ParsedFile ParseFixture(const std::string& name, ParseOptions options = {}) {
  auto parsed = ParseRecords(name, ReadBytes(FixturePath(name)), options);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().ToString());
  return parsed ? *parsed : ParsedFile{};
}

std::vector<std::string> Messages(const ParsedFile& parsed) {
  std::vector<std::string> messages;
  for (const Diagnostic& diagnostic : parsed.diagnostics) {
    messages.push_back(diagnostic.ToString());
  }
  return messages;
}

std::vector<Record> RecordsOf(const ParsedFile& parsed) {
  std::vector<Record> records;
  for (const SourceRow& row : parsed.rows) {
    records.push_back(row.record);
  }
  return records;
}

// ------------------------------------------------------------------------------------------
// Sample records of every kind, with the awkward values: commas, quotes, line breaks, Korean
// and Chinese text, lists, empty optional values, several visit claims.

std::vector<Record> SampleRecords(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity: {
      City seoul;
      seoul.name_en = "Seoul";
      seoul.name_ko = "서울";
      seoul.name_zh = "首尔";
      seoul.country = "KOR";
      seoul.lat = 37.5665;
      seoul.lon = 126.978;
      seoul.wikidata_id = "Q8684";
      seoul.sources = {"https://example.org/seoul", "https://example.org/a,b"};
      City shandong;
      shandong.name_en = "Shandong";
      shandong.country = "CHN";
      shandong.kind = CityKind::kProvince;
      shandong.lat = -0.5;
      shandong.lon = 1e-7;
      shandong.sources = {"https://example.org/shandong"};
      return {seoul, shandong};
    }
    case RecordKind::kPartnerRelation: {
      PartnerRelation beijing;
      beijing.city_a = {"Seoul", "KOR"};
      beijing.city_b = {"Beijing", "CHN"};
      beijing.since = PartialDate::FromParts(1993, 10, 23);
      beijing.sources = {"https://example.org/1"};
      PartnerRelation old;
      old.city_a = {"Seoul", ""};
      old.city_b = {"Tianjin", "CHN"};
      old.relation = RelationKind::kFriendship;
      old.since = PartialDate::FromParts(2009);
      old.until = PartialDate::FromParts(2020, 5);
      old.status = RelationStatus::kEnded;
      old.sources = {"https://example.org/2", "https://example.org/3"};
      return {beijing, old};
    }
    case RecordKind::kOrganization: {
      Organization wego;
      wego.name = "World Smart Sustainable Cities Organization";
      wego.acronym = "WeGO";
      wego.secretariat_city = CityRef{"Seoul", "KOR"};
      wego.founded = PartialDate::FromParts(2010, 9, 7);
      wego.sources = {"https://example.org/wego"};
      Organization festival;
      festival.name = "BeSeTo Theatre Festival, \"3rd\"";
      festival.kind = OrgKind::kEvent;
      festival.sources = {"https://example.org/festival"};
      return {wego, festival};
    }
    case RecordKind::kMembership: {
      Membership member;
      member.city = {"Guangzhou", "CHN"};
      member.organization = "Metropolis";
      member.role = MembershipRole::kSecretariatHost;
      member.sources = {"https://example.org/m"};
      Membership president;
      president.city = {"Seoul", ""};
      president.organization = "Metropolis";
      president.role = MembershipRole::kPresident;
      president.since = PartialDate::FromParts(2024);
      president.until = PartialDate::FromParts(2026);
      president.sources = {"https://example.org/p"};
      return {member, president};
    }
    case RecordKind::kOfficial: {
      Official park;
      park.name_en = "Park Won-soon";
      park.name_ko = "박원순";
      park.city = {"Seoul", "KOR"};
      park.term_start = PartialDate::FromParts(2011, 10, 27);
      park.term_end = PartialDate::FromParts(2020, 7);
      park.sources = {"https://example.org/term"};
      park.visit_claims = {
          {{"Beijing", ""}, Claim::kYes, {"https://example.org/v1"}},
          {{"Shanghai", "CHN"}, Claim::kUnknown, {}},
          {{"Tokyo", ""}, Claim::kNo, {"https://example.org/v2", "https://x.org"}}};
      Official acting;
      acting.name_en = "Kang Duk-ki";
      acting.name_ko = "강덕기 (시장 직무대리)";
      acting.city = {"Seoul", "KOR"};
      acting.office = "acting mayor";
      acting.acting = true;
      acting.sources = {"https://example.org/acting"};
      return {park, acting};
    }
    case RecordKind::kMechanism: {
      Mechanism council;
      council.name_en = "Seoul-Beijing Integration Council";
      council.name_ko = "서울-베이징 통합위원회";
      council.cities = {{"Seoul", "KOR"}, {"Beijing", "CHN"}};
      council.founded = PartialDate::FromParts(2013);
      council.fields = {"economy", "culture"};
      council.sources = {"https://example.org/council"};
      Mechanism besteto;
      besteto.name_en = "BeSeTo council";
      besteto.cities = {{"Seoul", "KOR"}, {"Beijing", ""}, {"Tokyo", "JPN"}};
      besteto.founded = PartialDate::FromParts(1995, 3);
      besteto.ended = PartialDate::FromParts(2001);
      besteto.sources = {"https://example.org/beseto"};
      return {council, besteto};
    }
    case RecordKind::kEvent: {
      Event full;
      full.ref = "E001";
      full.date = PartialDate::FromParts(2013, 4, 21);
      full.home_city = {"Seoul", "KOR"};
      full.partner_cities = {{"Beijing", "CHN"}, {"Tokyo", "JPN"}};
      full.direction = Direction::kThirdPlace;
      full.type = EventType::kMultilateralMeeting;
      full.framework = Framework::kBilateralWithinMultilateral;
      full.mode = Mode::kBlended;
      full.level = Level::kViceMayor;
      full.topics = {Topic::kSmartCity, Topic::kEconomy};
      full.organization = "WeGO";
      full.mechanism = "Seoul-Beijing Integration Council";
      full.status = EventStatus::kPostponed;
      full.officials = {"Park Won-soon", "Chen Jining"};
      full.stakeholders = {{"Bank of China", StakeholderKind::kBusiness},
                           {"Seoul Council", StakeholderKind::kCouncil}};
      full.title_en = "Summit, \"the first\"";
      full.title_ko = "정상회의, 첫 회의";
      full.notes = "line one\nline two, with a comma";
      full.verified = false;
      full.sources = {"https://example.org/e1", "https://example.org/e1b"};
      Event minimal;
      minimal.date = PartialDate::FromParts(2019, 5);
      minimal.home_city = {"Seoul", ""};
      minimal.type = EventType::kCourtesyCall;
      minimal.title_en = "Ambassador's call";
      minimal.sources = {"https://example.org/e2"};
      Event shared_country = minimal;
      shared_country.date = PartialDate::FromParts(2020);
      shared_country.partner_cities = {{"Beijing", "CHN"}, {"Chongqing", "CHN"}};
      return {full, minimal, shared_country};
    }
  }
  return {};
}

class RoundTripTest : public ::testing::TestWithParam<std::tuple<RecordKind, FileFormat>> {};

TEST_P(RoundTripTest, WriteParseWriteIsByteIdentical) {
  const auto [kind, format] = GetParam();
  const std::string name = format == FileFormat::kCsv ? "records.csv" : "records.json";
  const std::string first = WriteRecords(kind, SampleRecords(kind), format);

  auto parsed = ParseRecords(name, first, {});

  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_TRUE(parsed->diagnostics.empty()) << Messages(*parsed).front();
  EXPECT_EQ(parsed->kind, kind);  // detected from the header or keys
  EXPECT_EQ(parsed->rows.size(), SampleRecords(kind).size());
  EXPECT_EQ(WriteRecords(kind, RecordsOf(*parsed), format), first);
}

TEST_P(RoundTripTest, CsvAndJsonCarryTheSameRecords) {
  const auto [kind, format] = GetParam();
  const FileFormat other = format == FileFormat::kCsv ? FileFormat::kJson : FileFormat::kCsv;
  const std::string original = WriteRecords(kind, SampleRecords(kind), format);

  auto converted =
      ParseRecords("x", WriteRecords(kind, SampleRecords(kind), other), FormatOption(other));

  ASSERT_TRUE(converted.has_value()) << converted.error().ToString();
  ASSERT_TRUE(converted->diagnostics.empty()) << Messages(*converted).front();
  EXPECT_EQ(WriteRecords(kind, RecordsOf(*converted), format), original);
}

INSTANTIATE_TEST_SUITE_P(EveryKind,
                         RoundTripTest,
                         ::testing::Combine(::testing::Values(RecordKind::kCity,
                                                              RecordKind::kPartnerRelation,
                                                              RecordKind::kOrganization,
                                                              RecordKind::kMembership,
                                                              RecordKind::kOfficial,
                                                              RecordKind::kMechanism,
                                                              RecordKind::kEvent),
                                            ::testing::Values(FileFormat::kCsv, FileFormat::kJson)),
                         [](const auto& param_info) {
                           return std::string(RecordKindName(std::get<0>(param_info.param))) +
                                  (std::get<1>(param_info.param) == FileFormat::kCsv ? "_csv"
                                                                                     : "_json");
                         });

TEST(RegistryIoTest, ExportUsesTheCanonicalColumns) {
  const std::string csv = WriteRecords(RecordKind::kEvent, {}, FileFormat::kCsv);
  EXPECT_EQ(csv,
            "id,date,home_city,home_country,partner_city,partner_country,direction,event_type,"
            "framework,mode,level,topics,organization,mechanism,status,officials,stakeholders,"
            "title_en,title_ko,notes,verified,source_url\n");
  EXPECT_EQ(WriteRecords(RecordKind::kEvent, {}, FileFormat::kJson), "[]\n");
  EXPECT_EQ(ColumnsOf(RecordKind::kMembership),
            (std::vector<std::string>{"city", "country", "organization", "role", "since", "until",
                                      "source_url"}));
}

TEST(RegistryIoTest, WritesAnOfficialWithSeveralVisitClaimsAsOneRowPerClaim) {
  const std::string csv = WriteRecords(RecordKind::kOfficial,
                                       {SampleRecords(RecordKind::kOfficial)[0]}, FileFormat::kCsv);

  EXPECT_EQ(csv,
            "name_en,name_ko,city,country,office,acting,term_start,term_end,source_url,"
            "visit_partner,visit_claim,visit_source_url\n"
            "Park Won-soon,박원순,Seoul,KOR,mayor,false,2011-10-27,2020-07,"
            "https://example.org/term,Beijing,yes,https://example.org/v1\n"
            "Park Won-soon,박원순,Seoul,KOR,mayor,false,2011-10-27,2020-07,"
            "https://example.org/term,Shanghai,unknown,\n"
            "Park Won-soon,박원순,Seoul,KOR,mayor,false,2011-10-27,2020-07,"
            "https://example.org/term,Tokyo,no,https://example.org/v2; https://x.org\n");
}

TEST(RegistryIoTest, WritesTypedJson) {
  const std::string json =
      WriteRecords(RecordKind::kCity, {SampleRecords(RecordKind::kCity)[1]}, FileFormat::kJson);

  EXPECT_EQ(
      json,
      "[\n  {\n    \"name_en\": \"Shandong\",\n    \"name_ko\": \"\",\n    \"name_zh\": \"\",\n"
      "    \"country\": \"CHN\",\n    \"kind\": \"province\",\n    \"lat\": -0.5,\n"
      "    \"lon\": 1e-07,\n    \"wikidata_id\": \"\",\n"
      "    \"source_url\": [\n      \"https://example.org/shandong\"\n    ]\n  }\n]\n");
}

// ------------------------------------------------------------------------------------------
// Every class of bad input, with its exact message.

TEST(RegistryIoTest, BadEnumListsTheAllowedValues) {
  const ParsedFile parsed = ParseFixture("bad_enum.csv");

  EXPECT_EQ(
      Messages(parsed),
      (std::vector<std::string>{std::string("bad_enum.csv:2: column 'event_type': 'visitt' is "
                                            "not a valid event type (expected ") +
                                kEventTypes + ")"}));
  EXPECT_EQ(parsed.diagnostics[0].column, 8U);
  EXPECT_TRUE(parsed.rows.empty());
}

TEST(RegistryIoTest, BadDateUsesTheDateParserMessage) {
  const ParsedFile parsed = ParseFixture("bad_date.csv");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                "bad_date.csv:2: column 'date': '2013-13-01' is not a valid date (month out of "
                "range) (expected YYYY, YYYY-MM or YYYY-MM-DD)"}));
}

TEST(RegistryIoTest, InvalidUtf8NamesLineColumnAndByteOffset) {
  const ParsedFile parsed = ParseFixture("invalid_utf8.csv");

  // The cell holds "서울" in EUC-KR: four bytes, none valid UTF-8 where they stand.
  EXPECT_EQ(parsed.error_count, 4U);
  ASSERT_FALSE(parsed.diagnostics.empty());
  EXPECT_EQ(parsed.diagnostics[0].ToString(),
            "invalid_utf8.csv:2: invalid UTF-8 byte 0xbc at column 108 (byte offset 313; "
            "expected UTF-8 text: save the file as UTF-8)");
  EXPECT_EQ(parsed.diagnostics[3].ToString(),
            "invalid_utf8.csv:2: invalid UTF-8 byte 0xef at column 111 (byte offset 316; "
            "expected UTF-8 text: save the file as UTF-8)");
  EXPECT_EQ(parsed.kind, RecordKind::kEvent);  // still named from the header
  EXPECT_TRUE(parsed.rows.empty());
}

TEST(RegistryIoTest, MissingRequiredColumnIsReportedOnce) {
  const ParsedFile parsed = ParseFixture("missing_column.csv");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                "missing_column.csv:1: missing required column 'date' (required for events: "
                "date, home_city, event_type, title_en, source_url)"}));
  EXPECT_EQ(parsed.error_count, 1U);  // no "missing value" for the date of every row
}

TEST(RegistryIoTest, WrongColumnCountNamesBothCounts) {
  const ParsedFile parsed = ParseFixture("wrong_column_count.csv");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                "wrong_column_count.csv:2: wrong number of fields: 23 (expected 22, as in the "
                "header; quote fields that contain commas)"}));
}

TEST(RegistryIoTest, UnterminatedQuotePointsAtTheOpeningLine) {
  const ParsedFile parsed = ParseFixture("unterminated_quote.csv");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                "unterminated_quote.csv:2: column 'title_en': unterminated quoted field (expected "
                "a closing '\"' before the end of the file)"}));
  EXPECT_TRUE(parsed.rows.empty());
}

TEST(RegistryIoTest, UnknownColumnsAreNamedWithASuggestion) {
  const ParsedFile parsed = ParseFixture("unknown_column.csv");

  EXPECT_EQ(parsed.kind, RecordKind::kEvent);
  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                std::string("unknown_column.csv:1: unknown column 'titel_en' (did you mean "
                            "'title_en'? expected one of ") +
                    kEventColumns + ")",
                std::string("unknown_column.csv:1: unknown column 'remarks' (expected one of ") +
                    kEventColumns + ")"}));
}

TEST(RegistryIoTest, DuplicateRowWithinTheFile) {
  const ParsedFile parsed = ParseFixture("duplicate_row.csv");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                "duplicate_row.csv:4: duplicate row: same date, home_city, partner_city, "
                "event_type and title_en as line 2"}));
  EXPECT_EQ(parsed.rows.size(), 2U);
}

// With on_rows, clean rows are handed over in chunks, in file order, while the diagnostics stay
// in the result (the caller must not import a file that has any).
TEST(RegistryIoTest, StreamedRowsComeInChunksInFileOrder) {
  std::vector<std::vector<std::size_t>> chunks;
  ParseOptions options;
  options.chunk_rows = 1;
  options.on_rows = [&](RecordKind kind, std::size_t records, std::vector<SourceRow>&& rows) {
    EXPECT_EQ(kind, RecordKind::kEvent);
    EXPECT_EQ(records, 3U);
    std::vector<std::size_t> lines;
    for (const SourceRow& row : rows) {
      lines.push_back(row.line);
    }
    chunks.push_back(lines);
  };
  const ParsedFile parsed = ParseFixture("duplicate_row.csv", options);

  EXPECT_EQ(chunks, (std::vector<std::vector<std::size_t>>{{2}, {3}}));
  EXPECT_TRUE(parsed.rows.empty());
  EXPECT_EQ(parsed.error_count, 1U);  // the duplicate of line 2 on line 4
}

// A later official's row can add a visit claim to an earlier one: officials come in one chunk.
TEST(RegistryIoTest, StreamedOfficialsComeInOneChunkAtTheEnd) {
  const std::string csv =
      WriteRecords(RecordKind::kOfficial, SampleRecords(RecordKind::kOfficial), FileFormat::kCsv);
  int calls = 0;
  std::size_t rows_seen = 0;
  ParseOptions options;
  options.chunk_rows = 1;
  options.on_rows = [&](RecordKind, std::size_t, std::vector<SourceRow>&& rows) {
    ++calls;
    rows_seen += rows.size();
  };
  auto parsed = ParseRecords("officials.csv", csv, options);
  ASSERT_TRUE(parsed.has_value());
  auto whole = ParseRecords("officials.csv", csv, {});
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(rows_seen, whole->rows.size());
}

TEST(RegistryIoTest, PeekRecordKindReadsOnlyWhatTheFirstLineTells) {
  const std::string dir = ::testing::TempDir();
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
    return dir + "/" + name;
  };
  const std::string events = write("peek_events.csv",
                                   "\xEF\xBB\xBFid,date,home_city,partner_city,"
                                   "event_type,title_en,source_url\r\nE1,2013,Seoul,Beijing\n");
  const std::string cities = write("peek_cities.csv", "name_en,country,source_url\n");
  const std::string quoted = write("peek_quoted.csv", "\"name_en\",country,source_url\n");
  const std::string unknown = write("peek_unknown.csv", "foo,bar\n");
  const std::string json = write("peek.json", "[{\"name_en\": \"Seoul\"}]");

  EXPECT_EQ(PeekRecordKind(events, {}), RecordKind::kEvent);
  EXPECT_EQ(PeekRecordKind(cities, {}), RecordKind::kCity);
  EXPECT_EQ(PeekRecordKind(quoted, {}), std::nullopt);  // left to the full parse
  EXPECT_EQ(PeekRecordKind(unknown, {}), std::nullopt);
  EXPECT_EQ(PeekRecordKind(json, {}), std::nullopt);
  EXPECT_EQ(PeekRecordKind(dir + "/missing.csv", {}), std::nullopt);
  ParseOptions as_cities;
  as_cities.kind = RecordKind::kCity;
  EXPECT_EQ(PeekRecordKind(unknown, as_cities), RecordKind::kCity);
}

TEST(RegistryIoTest, ByteOrderMarkAndCrlfAreAccepted) {
  const ParsedFile parsed = ParseFixture("bom_crlf.csv");

  EXPECT_TRUE(parsed.diagnostics.empty()) << Messages(parsed).front();
  EXPECT_EQ(parsed.kind, RecordKind::kCity);
  ASSERT_EQ(parsed.rows.size(), 2U);
  const auto& seoul = std::get<City>(parsed.rows[0].record);
  EXPECT_EQ(seoul.name_en, "Seoul");  // not "\xEF\xBB\xBFname_en" trouble
  EXPECT_EQ(seoul.name_ko, "서울");
  const auto& beijing = std::get<City>(parsed.rows[1].record);
  EXPECT_EQ(beijing.country, "CHN");  // "China" resolved
  EXPECT_EQ(beijing.kind, CityKind::kMunicipality);
  EXPECT_EQ(parsed.rows[1].line, 3U);
}

TEST(RegistryIoTest, QuotedLineBreaksKeepLaterLineNumbersRight) {
  const ParsedFile parsed = ParseFixture("quoted_newline.csv");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{"quoted_newline.csv:5: column 'verified': 'maybe' is not a "
                                      "valid boolean (expected true or false)"}));
  ASSERT_EQ(parsed.rows.size(), 1U);
  const auto& event = std::get<Event>(parsed.rows[0].record);
  EXPECT_EQ(event.title_en, "A visit, with \"quotes\"");
  EXPECT_EQ(event.notes, "first line\nsecond line\nthird line");
}

TEST(RegistryIoTest, MaxErrorsCapsTheListButCountsEverything) {
  const ParsedFile capped = ParseFixture("many_errors.csv", MaxErrors(5));

  EXPECT_EQ(capped.diagnostics.size(), 5U);
  EXPECT_EQ(capped.error_count, 30U);
  EXPECT_EQ(capped.diagnostics.front().line, 2U);
  EXPECT_EQ(capped.diagnostics.back().line, 6U);

  const ParsedFile all = ParseFixture("many_errors.csv", MaxErrors(0));
  EXPECT_EQ(all.diagnostics.size(), 30U);
  EXPECT_EQ(all.error_count, 30U);
}

TEST(RegistryIoTest, CollectsEveryErrorOfARowInColumnOrder) {
  const std::string csv =
      "date,home_city,home_country,partner_city,partner_country,event_type,level,topics,"
      "title_en,source_url\n"
      "2013-02-29,Seoul,Korea,Beijing; Tokyo,CHN; JPN; USA,visit,boss,economy; fun,,"
      "ftp://x\n";

  auto parsed = ParseRecords("e.csv", csv, {});

  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{
                "e.csv:2: column 'date': '2013-02-29' is not a valid date (day out of range) "
                "(expected YYYY, YYYY-MM or YYYY-MM-DD)",
                "e.csv:2: column 'partner_country': 3 countries for 2 cities (expected one "
                "country for all cities or one per city, in the order of column 'partner_city')",
                std::string("e.csv:2: column 'event_type': 'visit' is not a valid event type "
                            "(expected ") +
                    kEventTypes + ")",
                "e.csv:2: column 'level': 'boss' is not a valid level (expected "
                "central_government, mayor, vice_mayor, council, department, agency, "
                "civil_society, business, media, academia)",
                "e.csv:2: column 'topics': 'fun' is not a valid topic (expected economy, "
                "culture, education, environment, tourism, youth, health, smart_city, "
                "transport, governance, other)",
                "e.csv:2: column 'title_en': missing value (expected an English title)",
                "e.csv:2: column 'source_url': 'ftp://x' is not a valid source URL (expected an "
                "http:// or https:// URL)"}));
}

TEST(RegistryIoTest, CountryCellsTakeCodesAndNames) {
  const std::string csv =
      "name_en,country,source_url\n"
      "Seoul,South Korea,https://e.org/1\n"
      "Tokyo,jpn,https://e.org/2\n"
      "Atlantis,Atlantis,https://e.org/3\n";

  auto parsed = ParseRecords("c.csv", csv, KindOption(RecordKind::kCity));

  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->rows.size(), 2U);
  EXPECT_EQ(std::get<City>(parsed->rows[0].record).country, "KOR");
  EXPECT_EQ(std::get<City>(parsed->rows[1].record).country, "JPN");
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{
                "c.csv:4: column 'country': 'Atlantis' is not a valid country (expected an ISO "
                "3166-1 alpha-3 code such as CHN or an English name such as China)"}));
}

TEST(RegistryIoTest, StakeholdersAreKindColonName) {
  const std::string csv =
      "date,home_city,event_type,stakeholders,title_en,source_url\n"
      "2018,Seoul,forum,business:Bank of China; media : KBS,T,https://e.org\n"
      "2018,Seoul,forum,Bank of China; bank:KB,U,https://e.org\n";

  auto parsed = ParseRecords("s.csv", csv, {});

  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->rows.size(), 1U);
  EXPECT_EQ(std::get<Event>(parsed->rows[0].record).stakeholders,
            (std::vector<Stakeholder>{{"Bank of China", StakeholderKind::kBusiness},
                                      {"KBS", StakeholderKind::kMedia}}));
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{
                "s.csv:3: column 'stakeholders': 'Bank of China' is not a valid stakeholder "
                "(expected kind:Name, with kind one of central_government, local_government, "
                "council, business, media, academia, civil_society)",
                "s.csv:3: column 'stakeholders': 'bank' is not a valid stakeholder kind "
                "(expected central_government, local_government, council, business, media, "
                "academia, civil_society)"}));
}

TEST(RegistryIoTest, OfficialRowsMergeVisitClaimsOrReportConflicts) {
  const std::string header =
      "name_en,city,term_start,source_url,visit_partner,visit_claim,visit_source_url\n";
  const std::string csv = header +
                          "Cho Soon,Seoul,1995-07-01,https://e.org/t,Beijing,yes,https://e.org/v\n"
                          "Cho Soon,Seoul,1995-07-01,https://e.org/t,Tokyo,unknown,\n"
                          "Cho Soon,Seoul,1995-07-01,https://e.org/t,Beijing,no,https://e.org/w\n"
                          "Cho Soon,Seoul,1995-07-01,https://e.org/OTHER,Seoul,no,https://e.org/w\n"
                          "Goh Kun,Seoul,1998-07,https://e.org/g,,yes,https://e.org/x\n";

  auto parsed = ParseRecords("o.csv", csv, {});

  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->rows.size(), 1U);
  const auto& official = std::get<Official>(parsed->rows[0].record);
  ASSERT_EQ(official.visit_claims.size(), 2U);
  EXPECT_EQ(official.visit_claims[1].partner.name, "Tokyo");
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{
                "o.csv:4: duplicate row: the official of line 2 already has a visit claim about "
                "'Beijing'",
                "o.csv:5: duplicate row: same name_en, city and term_start as line 2 but other "
                "values differ (expected identical official columns on rows that add visit "
                "claims)",
                "o.csv:6: column 'visit_partner': missing value (expected the city the visit "
                "claim is about, e.g. Beijing)"}));
}

TEST(RegistryIoTest, DuplicateEventIdsAreReported) {
  const std::string csv =
      "id,date,home_city,event_type,title_en,source_url\n"
      "E1,2018,Seoul,forum,One,https://e.org\n"
      "E1,2019,Seoul,forum,Two,https://e.org\n";

  auto parsed = ParseRecords("d.csv", csv, {});

  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{"d.csv:3: column 'id': 'E1' is already the id of line 2 "
                                      "(expected a unique id)"}));
}

TEST(RegistryIoTest, PartnerCountryNeedsPartnerCities) {
  const std::string csv =
      "date,home_city,partner_city,partner_country,event_type,title_en,source_url\n"
      "2015,Seoul,,China,courtesy_call,Ambassador,https://e.org\n";

  auto parsed = ParseRecords("p.csv", csv, {});

  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{
                "p.csv:2: column 'partner_country': 'China' is given without a city (expected "
                "the cities in column 'partner_city')"}));
}

// ------------------------------------------------------------------------------------------
// JSON.

TEST(RegistryIoTest, JsonAcceptsArraysStringsAndNames) {
  const ParsedFile parsed = ParseFixture("events_valid.json");

  EXPECT_EQ(parsed.format, FileFormat::kJson);
  EXPECT_TRUE(parsed.diagnostics.empty()) << Messages(parsed).front();
  ASSERT_EQ(parsed.rows.size(), 1U);
  const auto& event = std::get<Event>(parsed.rows[0].record);
  EXPECT_EQ(event.home_city, (CityRef{"Seoul", "KOR"}));
  EXPECT_EQ(event.partner_cities, (std::vector<CityRef>{{"Beijing", "CHN"}, {"Tokyo", "JPN"}}));
  EXPECT_EQ(event.topics, (std::vector<Topic>{Topic::kEconomy, Topic::kCulture}));
  EXPECT_FALSE(event.verified);
  EXPECT_EQ(parsed.rows[0].line, 2U);
}

TEST(RegistryIoTest, JsonProblemsPointAtTheKeyLine) {
  const ParsedFile parsed = ParseFixture("events_bad.json");

  EXPECT_EQ(Messages(parsed),
            (std::vector<std::string>{
                "events_bad.json:4: column 'date': '2013-02-30' is not a valid date (day out of "
                "range) (expected YYYY, YYYY-MM or YYYY-MM-DD)",
                "events_bad.json:15: column 'level': a list is not valid here (expected a single "
                "value)",
                std::string("events_bad.json:16: unknown key 'colour' (expected one of ") +
                    kEventColumns + ")"}));
}

TEST(RegistryIoTest, MalformedJsonFailsWithLineAndColumn) {
  auto parsed = ParseRecords("bad.json", "[\n  {\"date\": 2013,}\n]\n", {});

  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(parsed.error().where, "bad.json:2:17");
  EXPECT_EQ(parsed.error().message.rfind("invalid JSON: ", 0), 0U) << parsed.error().message;
}

TEST(RegistryIoTest, JsonValueOfTheWrongShapeIsReportedOnce) {
  const std::string json =
      R"([{"date": "2018", "home_city": "Seoul", "event_type": "Forum",
           "title_en": {"en": "x"}, "source_url": [["https://e.org"]]}])";

  auto parsed = ParseRecords("w.json", json, {});

  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(Messages(*parsed),
            (std::vector<std::string>{
                "w.json:2: column 'title_en': a JSON object is not valid here (expected a string, "
                "a number, true/false or null)",
                "w.json:2: column 'source_url': list element 1 is a JSON array (expected a "
                "string)"}));  // no "missing value" on top; "Forum" is accepted as "forum"
}

TEST(RegistryIoTest, JsonMustBeAnArrayOfObjects) {
  auto object = ParseRecords("o.json", "{\"date\": \"2013\"}", {});
  ASSERT_FALSE(object.has_value());
  EXPECT_EQ(object.error().message,
            "the top level is a JSON object (expected a JSON array of objects, one per record)");

  auto strings = ParseRecords("s.json", "[\"a\"]", KindOption(RecordKind::kEvent));
  ASSERT_TRUE(strings.has_value());
  EXPECT_EQ(Messages(*strings),
            (std::vector<std::string>{"s.json:1: element 1 is a JSON string (expected an object "
                                      "with the keys of events)"}));
}

// ------------------------------------------------------------------------------------------
// Kinds, formats, files.

TEST(RegistryIoTest, KindComesFromTheOptionOrTheColumns) {
  EXPECT_EQ(DetectRecordKind({"date", "home_city", "title_en"}), RecordKind::kEvent);
  EXPECT_EQ(DetectRecordKind({"city_a", "city_b"}), RecordKind::kPartnerRelation);

  const auto ambiguous = DetectRecordKind({"name_en", "name_ko", "source_url"});
  ASSERT_FALSE(ambiguous.has_value());
  EXPECT_EQ(ambiguous.error().message,
            "cannot tell the record kind: the columns (name_en, name_ko, source_url) fit cities, "
            "officials, mechanisms equally well (expected --kind)");

  auto parsed = ParseRecords("x.csv", "name_en,name_ko,source_url\n", {});
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().where, "x.csv:1");

  auto forced =
      ParseRecords("x.csv", "name_en,name_ko,source_url\n", KindOption(RecordKind::kMechanism));
  ASSERT_TRUE(forced.has_value());
  EXPECT_EQ(forced->kind, RecordKind::kMechanism);
  EXPECT_EQ(Messages(*forced),
            (std::vector<std::string>{"x.csv:1: missing required column 'cities' (required for "
                                      "mechanisms: name_en, cities, source_url)"}));
}

TEST(RegistryIoTest, FormatComesFromTheOptionTheExtensionOrTheContent) {
  EXPECT_EQ(FormatFromPath("a/b/events.CSV"), FileFormat::kCsv);
  EXPECT_EQ(FormatFromPath("events.json"), FileFormat::kJson);
  EXPECT_EQ(FormatFromPath("dir.json/events"), std::nullopt);

  auto sniffed = ParseRecords("stdin",
                              "  [{\"name\": \"C40\", \"kind\": \"city_network\", "
                              "\"source_url\": \"https://c40.org\"}]",
                              {});
  ASSERT_TRUE(sniffed.has_value());
  EXPECT_EQ(sniffed->format, FileFormat::kJson);
  EXPECT_EQ(sniffed->kind, RecordKind::kOrganization);
}

TEST(RegistryIoTest, EmptyFilesNeedAKind) {
  auto empty = ParseRecords("e.csv", "", {});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);

  auto header_only = ParseRecords("e.csv", "name,kind,source_url\n", {});
  ASSERT_TRUE(header_only.has_value());
  EXPECT_TRUE(header_only->rows.empty());
  EXPECT_TRUE(header_only->diagnostics.empty());
}

TEST(RegistryIoTest, MissingFileIsNotFound) {
  auto parsed = ParseRecordFile(FixturePath("no_such_file.csv"), {});

  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kNotFound);
}

TEST(RegistryIoTest, ReadsAFileFromDisk) {
  auto parsed = ParseRecordFile(FixturePath("bom_crlf.csv"), {});

  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->rows.size(), 2U);
  EXPECT_EQ(parsed->path, FixturePath("bom_crlf.csv"));
}

}  // namespace
}  // namespace citydip::ingest
