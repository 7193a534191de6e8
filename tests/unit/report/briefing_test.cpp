#include "citydip/report/briefing.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "briefing_fixture.h"

namespace citydip::report {
namespace {

const DataTable* FindTable(const Document& doc, const std::string& sheet) {
  for (const auto& section : doc.sections) {
    for (const auto& table : section.tables) {
      if (table.sheet == sheet) {
        return &table;
      }
    }
  }
  return nullptr;
}

const Section* FindSection(const Document& doc, const std::string& id) {
  for (const auto& section : doc.sections) {
    if (section.id == id) {
      return &section;
    }
  }
  return nullptr;
}

TEST(BriefingTest, ParsesLanguages) {
  EXPECT_EQ(ParseLanguage("en").value(), Language::kEnglish);
  EXPECT_EQ(ParseLanguage("ko").value(), Language::kKorean);
  const auto bad = ParseLanguage("fr");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("expected en, ko"), std::string::npos);
}

TEST(BriefingTest, TitlesAndLabelsFollowTheLanguage) {
  const auto data = testing::MakeBriefing();
  const Document en = BuildBriefing(data, Language::kEnglish);
  const Document ko = BuildBriefing(data, Language::kKorean);

  EXPECT_EQ(en.lang, "en");
  EXPECT_EQ(en.title, "Seoul–Beijing briefing");
  EXPECT_EQ(ko.lang, "ko");
  EXPECT_EQ(ko.title, "서울–베이징 교류 브리핑");
  EXPECT_EQ(FindSection(ko, "profile")->title, "상대 도시 프로필");
  // Vocabulary labels come from core/taxonomy.
  const DataTable* events = FindTable(ko, "Events");
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->rows[0][2].text, EntryOf(EventType::kLeaderVisit).label_ko);
  EXPECT_EQ(events->rows[0][6].text, "자매결연 체결");
  EXPECT_EQ(FindTable(en, "Events")->rows[0][6].text, "Sister-city agreement signed");
}

TEST(BriefingTest, EveryRecordRowKeepsItsSources) {
  const Document doc = BuildBriefing(testing::MakeBriefing(), Language::kEnglish);
  for (const char* sheet : {"Relations", "Memberships", "Mechanisms", "Visits", "Events"}) {
    const DataTable* table = FindTable(doc, sheet);
    ASSERT_NE(table, nullptr) << sheet;
    ASSERT_FALSE(table->rows.empty()) << sheet;
    EXPECT_EQ(table->headers.back(), "Sources") << sheet;
    for (const auto& row : table->rows) {
      ASSERT_EQ(row.size(), table->headers.size()) << sheet;
      EXPECT_FALSE(row.back().links.empty()) << sheet;
    }
  }
  EXPECT_EQ(FindTable(doc, "Events")->rows[2].back().links.front(),
            "https://example.org/e3?a=1&b=2");
}

TEST(BriefingTest, MissingPartsSayWhy) {
  const Document doc = BuildBriefing(testing::MakeBriefing(), Language::kEnglish);
  EXPECT_EQ(FindSection(doc, "scorecard")->missing, "Not available: no strategy file");
  EXPECT_EQ(FindSection(doc, "network")->missing, "Not available: no network in this build");
  EXPECT_EQ(FindSection(doc, "analyses")->missing, "Not available: no analyses in this build");
  EXPECT_TRUE(FindSection(doc, "stats")->missing.empty());
  const Document ko = BuildBriefing(testing::MakeBriefing(), Language::kKorean);
  EXPECT_EQ(FindSection(ko, "scorecard")->missing, "자료 없음: no strategy file");
}

TEST(BriefingTest, EmptyTablesHaveANote) {
  auto data = testing::MakeBriefing();
  data.events.clear();
  data.mechanisms.clear();
  const Document doc = BuildBriefing(data, Language::kEnglish);
  EXPECT_TRUE(FindTable(doc, "Events")->rows.empty());
  EXPECT_FALSE(FindTable(doc, "Events")->empty_note.empty());
  EXPECT_FALSE(FindTable(doc, "Mechanisms")->empty_note.empty());
  EXPECT_TRUE(FindSection(doc, "events")->charts.empty());
}

TEST(BriefingTest, EventsPerYearChartFillsTheGaps) {
  const Document doc = BuildBriefing(testing::MakeBriefing(), Language::kEnglish);
  const Section* events = FindSection(doc, "events");
  ASSERT_FALSE(events->charts.empty());
  const BarChart& chart = events->charts.front();
  ASSERT_EQ(chart.bars.size(), 2014u - 1993u + 1u);
  EXPECT_EQ(chart.bars.front(), (std::pair<std::string, double>{"1993", 1}));
  EXPECT_EQ(chart.bars[1].second, 0);
  EXPECT_EQ(chart.bars.back().second, 1);
}

TEST(BriefingTest, SheetNamesAreUniqueAndValid) {
  const Document doc = BuildBriefing(testing::MakeBriefing(), Language::kKorean);
  std::vector<std::string> sheets;
  for (const auto& section : doc.sections) {
    for (const auto& table : section.tables) {
      EXPECT_LE(table.sheet.size(), 31u);
      EXPECT_EQ(table.sheet.find_first_of("[]:*?/\\"), std::string::npos);
      EXPECT_EQ(std::count(sheets.begin(), sheets.end(), table.sheet), 0) << table.sheet;
      sheets.push_back(table.sheet);
    }
  }
  EXPECT_NE(std::find(sheets.begin(), sheets.end(), "Profile"), sheets.end());
  EXPECT_NE(std::find(sheets.begin(), sheets.end(), "Stats"), sheets.end());
}

}  // namespace
}  // namespace citydip::report
