#include "citydip/core/text.h"

#include <gtest/gtest.h>

namespace citydip {
namespace {

TEST(TextTest, FindsTheFirstInvalidUtf8Byte) {
  EXPECT_FALSE(FindInvalidUtf8("서울 Seoul").has_value());
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2U);
  EXPECT_EQ(FindInvalidUtf8("a\xc0\xaf"), 1U);     // overlong
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0U);  // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xe2\x82"), 0U);      // truncated
}

TEST(TextTest, KoreanTakesTwoColumns) {
  EXPECT_EQ(DisplayWidth("Seoul"), 5U);
  EXPECT_EQ(DisplayWidth("서울"), 4U);
  EXPECT_EQ(DisplayWidth("北京"), 4U);
  EXPECT_EQ(PadRight("서울", 6), "서울  ");
  EXPECT_EQ(PadLeft("7", 3), "  7");
}

TEST(TextTest, SplitsMultiValuedCells) {
  EXPECT_EQ(SplitList("a; b;c;; "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitList("").empty());
  EXPECT_EQ(JoinList({"a", "b"}), "a; b");
}

}  // namespace
}  // namespace citydip
