// Bad input: bad rows are counted per reason and reported as FILE:LINE while the rest of the file
// is ingested; a file that fails as a whole (or has too many bad rows) leaves nothing behind.
#include <filesystem>

#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "gdelt_test_support.h"
#include "reference_barometer.h"

namespace citydip::test {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

std::string SetField(const std::string& line, std::size_t index, const std::string& value) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) {
      break;
    }
    start = tab + 1;
  }
  fields.at(index) = value;
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += (i > 0 ? "\t" : "") + fields[i];
  }
  return out;
}

std::string DropLastColumn(const std::string& line) {
  return line.substr(0, line.rfind('\t'));
}

const std::string kSample = DataPath("samples/v2/20150218230000.export.CSV");  // 2,271 rows

// The sample with 10 bad rows: 6 with 60 columns, 2 non-numeric, 1 out of range, 1 bad UTF-8.
std::string SampleWithBadRows() {
  std::vector<std::string> lines = SplitLines(ReadText(kSample));
  for (std::size_t index : {100, 110, 120, 130, 140, 150}) {
    lines[index] = DropLastColumn(lines[index]);
  }
  lines[200] = SetField(lines[200], 30, "abc");       // GoldsteinScale
  lines[500] = SetField(lines[500], 31, "");          // NumMentions
  lines[300] = SetField(lines[300], 29, "7");         // QuadClass
  lines[400] = SetField(lines[400], 6, "SE\xC3OUL");  // Actor1Name: a lead byte without tail
  return JoinLines(lines);
}

std::vector<const gdelt::BadRowExample*> ExamplesOf(const gdelt::FileReport& file,
                                                    gdelt::BadRowReason reason) {
  std::vector<const gdelt::BadRowExample*> out;
  for (const auto& example : file.examples) {
    if (example.reason == reason) {
      out.push_back(&example);
    }
  }
  return out;
}

TEST(GdeltBadInputTest, BadRowsAreCountedPerReasonReportedAndTheRestIsIngested) {
  TempDir dir;
  const std::string path = dir.File("bad-rows.export.CSV");
  WriteText(path, SampleWithBadRows());

  const EngineResult got = RunEngine({path}, gdelt::IngestOptions{});

  ASSERT_EQ(got.report.files.size(), 1U);
  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kIngested);
  EXPECT_EQ(file.rows, 2271U - 10U);
  EXPECT_EQ(file.bad_rows, 10U);
  EXPECT_EQ(file.bad_by_reason[0], 6U);  // wrong column count
  EXPECT_EQ(file.bad_by_reason[1], 2U);  // non-numeric
  EXPECT_EQ(file.bad_by_reason[2], 1U);  // out of range
  EXPECT_EQ(file.bad_by_reason[3], 1U);  // invalid UTF-8
  // The first 5 examples of a reason, as FILE:LINE.
  const auto columns = ExamplesOf(file, gdelt::BadRowReason::kColumnCount);
  ASSERT_EQ(columns.size(), 5U);
  EXPECT_EQ(columns[0]->line, 101U);
  EXPECT_EQ(columns[4]->line, 141U);
  EXPECT_EQ(columns[0]->ToString(),
            path + ":101: found 60 tab-separated columns (expected 61 for a events-v2 file)");
  const auto numbers = ExamplesOf(file, gdelt::BadRowReason::kNonNumeric);
  ASSERT_EQ(numbers.size(), 2U);
  EXPECT_EQ(numbers[0]->line, 201U);
  EXPECT_EQ(numbers[0]->column, 31);
  EXPECT_EQ(numbers[0]->message,
            "column 31 (GoldsteinScale): 'abc' is not a number (expected a number from -10 to 10)");
  EXPECT_EQ(numbers[1]->line, 501U);
  EXPECT_EQ(numbers[1]->column, 32);
  const auto range = ExamplesOf(file, gdelt::BadRowReason::kOutOfRange);
  ASSERT_EQ(range.size(), 1U);
  EXPECT_EQ(range[0]->ToString(),
            path + ":301: column 30 (QuadClass): '7' is out of range (expected 1 to 4)");
  const auto utf8 = ExamplesOf(file, gdelt::BadRowReason::kInvalidUtf8);
  ASSERT_EQ(utf8.size(), 1U);
  EXPECT_EQ(utf8[0]->line, 401U);
  EXPECT_EQ(utf8[0]->column, 7);
  // The run's summary holds the same counts and examples.
  EXPECT_EQ(got.report.bad_rows, 10U);
  EXPECT_EQ(got.report.examples.size(), 5U + 2U + 1U + 1U);
  // Every good row is in the aggregates.
  const RefResult expected = ReferenceAggregate({path}, "month");
  EXPECT_EQ(expected.bad_rows, 10);
  ExpectSameAggregates(expected, got);
}

// NumMentions, NumSources and NumArticles are counts up to 2^31 - 1 (so that their sums cannot
// overflow): the largest one is a good row, one more is out of range, and the rest is ingested.
TEST(GdeltBadInputTest, CountsBeyondTheirRangeAreBadRows) {
  std::vector<std::string> lines = SplitLines(ReadText(kSample));
  lines[250] = SetField(lines[250], 31, "2147483647");   // NumMentions: the largest
  lines[251] = SetField(lines[251], 32, "2147483648");   // NumSources: one more
  lines[252] = SetField(lines[252], 33, "99999999999");  // NumArticles
  TempDir dir;
  const std::string path = dir.File("counts.export.CSV");
  WriteText(path, JoinLines(lines));
  const EngineResult got = RunEngine({path}, gdelt::IngestOptions{});
  ASSERT_EQ(got.report.files.size(), 1U);
  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kIngested);
  EXPECT_EQ(file.rows, 2271U - 2U);
  EXPECT_EQ(file.bad_by_reason[static_cast<std::size_t>(gdelt::BadRowReason::kOutOfRange)], 2U);
  const auto range = ExamplesOf(file, gdelt::BadRowReason::kOutOfRange);
  ASSERT_EQ(range.size(), 2U);
  EXPECT_EQ(range[0]->ToString(), path +
                                      ":252: column 33 (NumSources): '2147483648' is out of range "
                                      "(expected a count up to 2147483647)");
  EXPECT_EQ(range[1]->line, 253U);
  EXPECT_EQ(range[1]->column, 34);
  const RefResult expected = ReferenceAggregate({path}, "month");
  EXPECT_EQ(expected.bad_rows, 2);
  ExpectSameAggregates(expected, got);
  std::int64_t mentions = 0;
  for (const auto& [label, totals] : got.totals) {
    mentions += totals.mentions;
  }
  EXPECT_GT(mentions, std::int64_t{2147483647});  // the largest count is in the sums
}

// Every row splitter counts the same bad rows at the same lines, with rows of many tabs (a block
// of 64 tabs, rows of 161 and 201 columns) and valid UTF-8 beside the invalid byte.
class GdeltBadInputKernelTest : public ::testing::TestWithParam<gdelt::ScanKernel> {};

TEST_P(GdeltBadInputKernelTest, EveryKernelCountsTheSameBadRows) {
  if (!gdelt::ScanKernelSupported(GetParam())) {
    GTEST_SKIP() << "this CPU lacks the instruction set";
  }
  std::vector<std::string> lines = SplitLines(SampleWithBadRows());
  lines[600] += std::string(100, '\t');
  lines[700] = std::string(200, '\t');
  lines[800] = SetField(lines[800], 6, "SE\xC3\x93UL");  // valid UTF-8: a good row
  TempDir dir;
  const std::string path = dir.File("kernels.export.CSV");
  WriteText(path, JoinLines(lines));
  gdelt::IngestOptions options;
  options.scan_kernel = GetParam();
  const EngineResult got = RunEngine({path}, options);
  options.scan_kernel = gdelt::ScanKernel::kGeneric;
  const EngineResult generic = RunEngine({path}, options);

  ASSERT_EQ(got.report.files.size(), 1U);
  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.rows, 2271U - 12U);
  EXPECT_EQ(file.bad_by_reason[0], 8U);  // wrong column count, with the two rows of tabs
  EXPECT_EQ(file.bad_by_reason, generic.report.files[0].bad_by_reason);
  ASSERT_EQ(file.examples.size(), generic.report.files[0].examples.size());
  for (std::size_t i = 0; i < file.examples.size(); ++i) {
    EXPECT_EQ(file.examples[i].ToString(), generic.report.files[0].examples[i].ToString());
  }
  ExpectSameAggregates(ReferenceAggregate({path}, "month"), got);
}

INSTANTIATE_TEST_SUITE_P(Kernels,
                         GdeltBadInputKernelTest,
                         ::testing::Values(gdelt::ScanKernel::kGeneric,
                                           gdelt::ScanKernel::kAvx2,
                                           gdelt::ScanKernel::kAvx512),
                         ScanKernelName);

TEST(GdeltBadInputTest, TooManyBadRowsFailTheFileAndKeepNothingOfIt) {
  TempDir dir;
  const std::string bad = dir.File("bad-rows.export.CSV");
  WriteText(bad, SampleWithBadRows());
  const std::string good = DataPath("samples/v2/20150218231500.export.CSV");
  gdelt::IngestOptions options;
  options.max_bad_rows = *gdelt::BadRowLimit::Parse("5");

  const EngineResult got = RunEngine({bad, good}, options);

  EXPECT_EQ(got.report.failed, 1U);
  EXPECT_EQ(got.report.ingested, 1U);
  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kFailed);
  ASSERT_TRUE(file.error);
  EXPECT_EQ(file.error->code, ErrorCode::kInvalidData);
  EXPECT_EQ(file.error->ToString(),
            bad +
                ": 10 of 2271 rows are bad (more than --max-bad-rows 5); the file was not "
                "ingested");
  ASSERT_EQ(got.batch_files.size(), 1U);
  EXPECT_EQ(got.batch_files[0], std::vector<std::string>{"20150218231500.export.CSV"});
  ExpectSameAggregates(ReferenceAggregate({good}, "month"), got);
}

TEST(GdeltBadInputTest, APercentLimitCountsAgainstTheFilesRows) {
  TempDir dir;
  std::vector<std::string> lines = SplitLines(ReadText(kSample));
  lines.resize(100);
  lines[50] = DropLastColumn(lines[50]);  // 1 bad row of 100: above 0.5 %, within 1 %
  const std::string path = dir.File("small.export.CSV");
  WriteText(path, JoinLines(lines));
  gdelt::IngestOptions options;

  options.max_bad_rows = *gdelt::BadRowLimit::Parse("1%");
  EXPECT_EQ(RunEngine({path}, options).report.files[0].status, gdelt::FileStatus::kIngested);
  options.max_bad_rows = *gdelt::BadRowLimit::Parse("0.5%");
  EXPECT_EQ(RunEngine({path}, options).report.files[0].status, gdelt::FileStatus::kFailed);
}

TEST(GdeltBadInputTest, TruncatedZipFailsAndTheOtherFilesAreIngested) {
  TempDir dir;
  const std::string zip = dir.File("20150218230000.export.CSV.zip");
  WriteZip(zip, "20150218230000.export.CSV", ReadText(kSample));
  std::filesystem::resize_file(zip, std::filesystem::file_size(zip) * 6 / 10);
  const std::string good = DataPath("samples/v2/20150218231500.export.CSV");

  const EngineResult got = RunEngine({zip, good}, gdelt::IngestOptions{});

  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kFailed);
  ASSERT_TRUE(file.error);
  EXPECT_EQ(file.error->code, ErrorCode::kInvalidData);
  EXPECT_NE(file.error->message.find("truncated or not a zip file"), std::string::npos)
      << file.error->message;
  EXPECT_EQ(file.error->where, zip);
  EXPECT_EQ(got.report.ingested, 1U);
  ExpectSameAggregates(ReferenceAggregate({good}, "month"), got);
}

TEST(GdeltBadInputTest, CorruptZipDataFailsTheWholeFile) {
  TempDir dir;
  const std::string zip = dir.File("corrupt.export.CSV.zip");
  WriteZip(zip, "corrupt.export.CSV", ReadText(kSample));
  std::string bytes = ReadText(zip);
  // Damage the compressed data well after its start: rows before it were already scanned.
  for (std::size_t i = bytes.size() * 2 / 3; i < bytes.size() * 2 / 3 + 16; ++i) {
    bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  }
  WriteText(zip, bytes);

  const EngineResult got = RunEngine({zip}, gdelt::IngestOptions{});

  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kFailed);
  ASSERT_TRUE(file.error);
  EXPECT_NE(file.error->message.find("corrupt zip"), std::string::npos) << file.error->message;
  EXPECT_TRUE(got.batch_files.empty());
  EXPECT_TRUE(got.pairs.empty());
}

TEST(GdeltBadInputTest, StoredAndDeflatedZipsReadLikeThePlainFile) {
  TempDir dir;
  const std::string stored = dir.File("stored.export.CSV.zip");
  WriteZip(stored, "stored.export.CSV", ReadText(kSample), /*deflate=*/false);
  const EngineResult got = RunEngine({stored}, gdelt::IngestOptions{});
  EXPECT_EQ(got.report.files[0].status, gdelt::FileStatus::kIngested);
  EXPECT_EQ(got.report.files[0].data_bytes, std::filesystem::file_size(kSample));
  ExpectSameAggregates(ReferenceAggregate({kSample}, "month"), got);
}

TEST(GdeltBadInputTest, FilesOfAnotherFormatFail) {
  TempDir dir;
  const std::string lookup = DataPath("lookups/CAMEO.eventcodes.txt");  // 2 columns
  std::string gkg;
  for (int row = 0; row < 20; ++row) {
    gkg += "20150218230000-" + std::to_string(row);
    for (int column = 1; column < 27; ++column) {
      gkg += "\tx";
    }
    gkg += '\n';
  }
  const std::string gkg_path = dir.File("20150218230000.gkg.csv");
  WriteText(gkg_path, gkg);
  std::string binary;
  for (int i = 0; i < 5000; ++i) {
    binary += static_cast<char>((i * 7919) % 256);
  }
  const std::string binary_path = dir.File("binary.csv");
  WriteText(binary_path, binary);
  const std::string empty_path = dir.File("empty.export.CSV");
  WriteText(empty_path, "");
  const std::string fake_zip = dir.File("fake.export.CSV.zip");
  WriteText(fake_zip, ReadText(kSample).substr(0, 5000));

  const EngineResult got =
      RunEngine({lookup, gkg_path, binary_path, empty_path, fake_zip}, gdelt::IngestOptions{});

  ASSERT_EQ(got.report.files.size(), 5U);
  for (const auto& file : got.report.files) {
    EXPECT_EQ(file.status, gdelt::FileStatus::kFailed) << file.path;
    ASSERT_TRUE(file.error) << file.path;
    EXPECT_EQ(file.error->code, ErrorCode::kInvalidData) << file.path;
  }
  EXPECT_EQ(got.report.files[0].error->message,
            "not a GDELT file: line 1 has 2 tab-separated columns (expected 57 or 58 for GDELT "
            "1.0 events, 61 for GDELT 2.0 events, 16 for GDELT 2.0 mentions)");
  EXPECT_NE(got.report.files[1].error->message.find("line 1 has 27 tab-separated columns"),
            std::string::npos);
  EXPECT_NE(got.report.files[2].error->message.find("not a GDELT file"), std::string::npos);
  EXPECT_EQ(got.report.files[3].error->message,
            "empty file (expected GDELT event or mentions rows)");
  EXPECT_NE(got.report.files[4].error->message.find("not a zip"), std::string::npos);
  EXPECT_TRUE(got.batch_files.empty());
}

TEST(GdeltBadInputTest, LastLineWithoutNewlineAndEndlessLines) {
  TempDir dir;
  std::vector<std::string> lines = SplitLines(ReadText(kSample));
  lines.insert(lines.begin() + 1000, std::string(3 << 20, 'x'));  // 3 MiB, no tab
  std::string text = JoinLines(lines);
  text.pop_back();  // no final newline
  const std::string path = dir.File("odd.export.CSV");
  WriteText(path, text);

  const EngineResult got = RunEngine({path}, gdelt::IngestOptions{});

  const gdelt::FileReport& file = got.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kIngested);
  EXPECT_EQ(file.rows, 2271U);
  EXPECT_EQ(file.bad_rows, 1U);
  ASSERT_EQ(file.examples.size(), 1U);
  EXPECT_EQ(file.examples[0].line, 1001U);
  EXPECT_EQ(file.examples[0].message, "line longer than 1048576 bytes (expected a GDELT row)");
  ExpectSameAggregates(ReferenceAggregate({kSample}, "month"), got);
}

TEST(GdeltBadInputTest, AFileWithTooManyGroupsFailsInsteadOfExhaustingMemory) {
  gdelt::IngestOptions options;
  options.period = gdelt::Period::kDay;
  options.max_file_groups = 50;
  const EngineResult got = RunEngine({V1Sample(), kSample}, options);
  for (const auto& file : got.report.files) {
    EXPECT_EQ(file.status, gdelt::FileStatus::kFailed) << file.path;
    ASSERT_TRUE(file.error);
    EXPECT_EQ(file.error->code, ErrorCode::kResourceExhausted);
    EXPECT_NE(file.error->message.find("coarser --period"), std::string::npos);
  }
  EXPECT_TRUE(got.batch_files.empty());
}

// A file's groups count its rows in 32 bits: a file with more good rows than max_file_rows fails
// as a whole (nothing of it is handed on), and the other files are still ingested.
TEST(GdeltBadInputTest, AFileWithMoreRowsThanTheEngineCountsFailsAsAWhole) {
  gdelt::IngestOptions options;
  options.max_file_rows = 1000;  // the v1 sample has 710 rows, the v2 one 2,271
  const EngineResult got = RunEngine({V1Sample(), kSample}, options);
  ASSERT_EQ(got.report.files.size(), 2U);
  std::vector<std::string> ingested;
  for (const auto& file : got.report.files) {
    if (file.status == gdelt::FileStatus::kIngested) {
      EXPECT_LE(file.rows, options.max_file_rows) << file.path;
      ingested.push_back(file.path);
      continue;
    }
    EXPECT_EQ(file.status, gdelt::FileStatus::kFailed) << file.path;
    ASSERT_TRUE(file.error);
    EXPECT_EQ(file.error->code, ErrorCode::kResourceExhausted);
    EXPECT_NE(file.error->message.find("more than 1000 good rows"), std::string::npos)
        << file.error->message;
    EXPECT_NE(file.error->message.find("split it"), std::string::npos);
  }
  ASSERT_EQ(ingested.size(), 1U);
  ExpectSameAggregates(ReferenceAggregate(ingested, "month"), got);
}

// Damaged copies of a real file (cut anywhere, bytes overwritten with tabs, newlines, high
// bytes, zeros; plain and zipped): the engine never crashes, and every file either fails as a
// whole or is ingested with its bad rows counted.
TEST(GdeltBadInputTest, DamagedFilesNeverCrashTheReader) {
  TempDir dir;
  const std::string original = ReadText(kSample).substr(0, 200000);
  std::uint64_t state = 20250117;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  std::vector<std::string> paths;
  for (int i = 0; i < 60; ++i) {
    std::string bytes = original;
    if (i % 3 == 0) {
      bytes.resize(1 + next() % (bytes.size() - 1));
    }
    for (int k = 0; k < 20; ++k) {
      static constexpr char kNasty[] = {'\t', '\n', '\xC3', '\xFF', '\0', '-', '.', '9'};
      bytes[next() % bytes.size()] = kNasty[next() % sizeof(kNasty)];
    }
    const std::string name = "damaged-" + std::to_string(i) + ".export.CSV";
    if (i % 2 == 0) {
      WriteText(dir.File(name), bytes);
      paths.push_back(dir.File(name));
    } else {
      WriteZip(dir.File(name + ".zip"), name, original);
      std::string zip = ReadText(dir.File(name + ".zip"));
      if (i % 4 == 1) {
        zip.resize(next() % zip.size());
      } else {
        for (int k = 0; k < 5; ++k) {
          zip[next() % zip.size()] = static_cast<char>(next());
        }
      }
      WriteText(dir.File(name + ".zip"), zip);
      paths.push_back(dir.File(name + ".zip"));
    }
  }
  gdelt::IngestOptions options;
  options.max_bad_rows = *gdelt::BadRowLimit::Parse("100%");
  const EngineResult got = RunEngine(paths, options);
  ASSERT_EQ(got.report.files.size(), paths.size());
  for (const auto& file : got.report.files) {
    if (file.status == gdelt::FileStatus::kFailed) {
      EXPECT_TRUE(file.error) << file.path;
    } else {
      EXPECT_EQ(file.status, gdelt::FileStatus::kIngested) << file.path;
      EXPECT_GT(file.rows + file.bad_rows, 0U) << file.path;
    }
  }
  EXPECT_GT(got.report.ingested, 10U);
  EXPECT_GT(got.report.failed, 5U);
}

TEST(GdeltBadInputTest, MissingFileFailsWithNotFound) {
  const EngineResult got = RunEngine({"/nonexistent/x.export.CSV"}, gdelt::IngestOptions{});
  ASSERT_TRUE(got.report.files[0].error);
  EXPECT_EQ(got.report.files[0].error->code, ErrorCode::kNotFound);
  EXPECT_EQ(got.report.failed, 1U);
}

}  // namespace
}  // namespace citydip::test
