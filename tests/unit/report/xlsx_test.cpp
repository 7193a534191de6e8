#include "citydip/report/xlsx.h"

#include <string>

#include <gtest/gtest.h>

#include "briefing_fixture.h"
#include "citydip/report/briefing.h"

namespace citydip::report {
namespace {

TEST(XlsxTest, SheetNamesAreCleanedCutAndUnique) {
  EXPECT_EQ(SheetName("Events", {}), "Events");
  EXPECT_EQ(SheetName("a/b:c[d]*?\\", {}), "a_b_c_d____");
  EXPECT_EQ(SheetName("", {}), "Sheet");
  EXPECT_EQ(SheetName("Events", {"events"}), "Events (2)");
  EXPECT_EQ(SheetName("Events", {"Events", "Events (2)"}), "Events (3)");
  const std::string long_name(40, 'x');
  EXPECT_EQ(SheetName(long_name, {}), std::string(31, 'x'));
  EXPECT_EQ(SheetName(long_name, {std::string(31, 'x')}), std::string(27, 'x') + " (2)");
  // 31 characters, not bytes.
  std::string korean;
  for (int i = 0; i < 40; ++i) {
    korean += "가";
  }
  EXPECT_EQ(SheetName(korean, {}).size(), 31u * 3u);
}

TEST(XlsxTest, WorkbookHasASheetPerTable) {
  const Document doc = BuildBriefing(testing::MakeBriefing(), Language::kKorean);
  const auto bytes = RenderXlsx(doc);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().ToString();
  EXPECT_TRUE(bytes->starts_with("PK"));
  std::size_t tables = 0;
  for (const auto& section : doc.sections) {
    tables += section.tables.size();
  }
  // Zip entry names are stored uncompressed: the first sheet (the report's facts) plus one per
  // table.
  const std::string last = "xl/worksheets/sheet" + std::to_string(tables + 1) + ".xml";
  const std::string beyond = "xl/worksheets/sheet" + std::to_string(tables + 2) + ".xml";
  EXPECT_NE(bytes->find(last), std::string::npos);
  EXPECT_EQ(bytes->find(beyond), std::string::npos);
}

TEST(XlsxTest, UnwritablePathIsUnavailable) {
  const Document doc = BuildBriefing(testing::MakeBriefing(), Language::kEnglish);
  const auto status = WriteXlsx(doc, "/nonexistent-dir/report.xlsx");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(status.error().where, "/nonexistent-dir/report.xlsx");
}

}  // namespace
}  // namespace citydip::report
