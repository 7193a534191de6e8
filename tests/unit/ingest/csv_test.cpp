#include "citydip/ingest/csv.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/ingest/json_locator.h"

namespace citydip::ingest {
namespace {

std::vector<std::string> Values(const CsvRecord& record) {
  std::vector<std::string> values;
  for (const CsvField& field : record.fields) {
    values.push_back(field.value);
  }
  return values;
}

// CountCsvRecords tells how many rows a streamed import will bring without reading them.
TEST(CsvTest, CountsTheRecordsReadCsvReturns) {
  for (const std::string text :
       {"", "\n\n", "a,b\n1,2\n", "a,b\r\n1,2", "a\r1\r\r2\r", "a\n  \n\t\n,\n",
        "a,b\n\"x\ny\",2\n3,\"\"\"\n\"\"\"\n", "a,b\n  \"q\"  ,1\n", "a,b\nx\"y,\"z\"\n\n",
        "a,b\n\"q\"x\"y,1\n2,3\n", "a,b\n\"\",\"\"\n\"\"\n"}) {
    EXPECT_EQ(CountCsvRecords(text), ReadCsv(text).records.size()) << text;
  }
  // Inside an unterminated quote the reader stops; the count takes it as one more record.
  EXPECT_EQ(CountCsvRecords("a,b\n\"open,1\n2,3\n"), 2U);
  EXPECT_EQ(ReadCsv("a,b\n\"open,1\n2,3\n").records.size(), 1U);
}

TEST(CsvTest, ReadsQuotedCommasQuotesAndLineBreaks) {
  const CsvDocument document =
      ReadCsv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line 1\r\nline 2\"\r\n");

  ASSERT_TRUE(document.problems.empty());
  ASSERT_EQ(document.records.size(), 2U);
  EXPECT_EQ(Values(document.records[1]),
            (std::vector<std::string>{"x, y", "say \"hi\"", "line 1\nline 2"}));
}

TEST(CsvTest, KeepsPhysicalLineNumbersAcrossQuotedLineBreaks) {
  const CsvDocument document = ReadCsv("h1,h2\n\"a\nb\nc\",d\n\ne,f\n");

  ASSERT_EQ(document.records.size(), 3U);
  EXPECT_EQ(document.records[1].line, 2U);
  EXPECT_EQ(document.records[1].fields[1].line, 4U);  // "d" follows the closing quote on line 4
  EXPECT_EQ(document.records[2].line, 6U);            // line 5 is empty and skipped
}

TEST(CsvTest, AcceptsLfCrlfAndCrLineEnds) {
  for (const char* text : {"a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "a,b\n1,2"}) {
    const CsvDocument document = ReadCsv(text);
    ASSERT_EQ(document.records.size(), 2U) << text;
    EXPECT_EQ(Values(document.records[1]), (std::vector<std::string>{"1", "2"})) << text;
  }
}

TEST(CsvTest, TrimsUnquotedFieldsButNotQuotedOnes) {
  const CsvDocument document = ReadCsv("a,b,c\n  x , \" y \" ,\n");

  ASSERT_EQ(document.records.size(), 2U);
  EXPECT_EQ(Values(document.records[1]), (std::vector<std::string>{"x", " y ", ""}));
  EXPECT_TRUE(document.records[1].fields[1].quoted);
}

TEST(CsvTest, ReportsAnUnterminatedQuoteAtTheLineWhereItOpens) {
  const CsvDocument document = ReadCsv("a,b\n1,2\n3,\"open\n4,5\n");

  EXPECT_TRUE(document.truncated);
  ASSERT_EQ(document.records.size(), 2U);
  ASSERT_EQ(document.problems.size(), 1U);
  EXPECT_EQ(document.problems[0].line, 3U);
  EXPECT_EQ(document.problems[0].field, 1U);
  EXPECT_EQ(document.problems[0].record, 2U);
  EXPECT_EQ(document.problems[0].message,
            "unterminated quoted field (expected a closing '\"' before the end of the file)");
}

TEST(CsvTest, ReportsTextAfterAClosingQuoteAndGoesOn) {
  const CsvDocument document = ReadCsv("a,b\n\"x\"y,2\n3,4\n");

  ASSERT_EQ(document.records.size(), 3U);
  EXPECT_TRUE(document.records[1].malformed);
  EXPECT_FALSE(document.records[2].malformed);
  ASSERT_EQ(document.problems.size(), 1U);
  EXPECT_EQ(document.problems[0].message,
            "unexpected 'y' after a closing quote (expected ',' or the end of the line; write a "
            "quote inside a quoted field as \"\")");
}

TEST(CsvTest, WritesQuotesOnlyWhereNeeded) {
  std::string out;
  AppendCsvRecord(out, {"plain", "a,b", "say \"hi\"", "two\nlines", " padded", "", "서울"});

  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",,서울\n");
}

TEST(CsvTest, WrittenRecordsReadBackUnchanged) {
  const std::vector<std::string> fields = {"a,b", "\"", "x\ny", " lead", "trail ", "", "서울;北京"};
  std::string out;
  AppendCsvRecord(out, fields);

  const CsvDocument document = ReadCsv(out);

  ASSERT_EQ(document.records.size(), 1U);
  EXPECT_EQ(Values(document.records[0]), fields);
}

TEST(JsonLocatorTest, LinesAndColumnsCountCharactersAndInvalidBytes) {
  const std::string text = "a\n서울,\xff\xfe!\r\nx";

  EXPECT_EQ(LineAndColumnOf(text, 0), (std::pair<std::size_t, std::size_t>{1, 1}));
  EXPECT_EQ(LineAndColumnOf(text, 2), (std::pair<std::size_t, std::size_t>{2, 1}));
  EXPECT_EQ(LineAndColumnOf(text, 9), (std::pair<std::size_t, std::size_t>{2, 4}));   // 0xff
  EXPECT_EQ(LineAndColumnOf(text, 10), (std::pair<std::size_t, std::size_t>{2, 5}));  // 0xfe
  EXPECT_EQ(LineAndColumnOf(text, 14), (std::pair<std::size_t, std::size_t>{3, 1}));  // after CRLF
}

TEST(JsonLocatorTest, FindsTheLinesOfElementsAndKeys) {
  const std::string text =
      "[\n  {\"a\": 1,\n   \"b\": [\"x\", {\"c\": 2}]},\n  \"s\", {\n\"d\": null}\n]";

  const auto elements = LocateJsonArrayElements(text);

  ASSERT_EQ(elements.size(), 3U);
  EXPECT_EQ(elements[0].line, 2U);
  EXPECT_EQ(elements[0].LineOf("a"), 2U);
  EXPECT_EQ(elements[0].LineOf("b"), 3U);
  EXPECT_EQ(elements[0].key_lines.size(), 2U);  // "c" is nested, not a key of the element
  EXPECT_EQ(elements[1].line, 4U);
  EXPECT_TRUE(elements[1].key_lines.empty());
  EXPECT_EQ(elements[2].line, 4U);
  EXPECT_EQ(elements[2].LineOf("d"), 5U);
  EXPECT_TRUE(LocateJsonArrayElements("{\"a\": 1}").empty());
}

}  // namespace
}  // namespace citydip::ingest
