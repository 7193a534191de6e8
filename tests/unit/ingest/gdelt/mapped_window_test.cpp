// Plain files are read through mapped windows (internal/mapped_window.h): a file cut short while
// a window is read must not crash the process; the window reads as zeros from the cut on and
// says so. And lines are scanned the same wherever they fall against the windows' edges.
#include "citydip/ingest/gdelt/internal/mapped_window.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/mman.h>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "gdelt_test_support.h"
#include "reference_barometer.h"

namespace citydip::test {
namespace {

using ingest::gdelt::internal::MappedWindow;
namespace gdelt = ingest::gdelt;

const std::string kSample = DataPath("samples/v2/20150218230000.export.CSV");  // 2,271 rows
constexpr std::size_t kWindow = std::size_t{4} << 20;  // file_scanner.cpp's kWindow

// Sums the window's bytes, one per 512, so that every page is touched.
std::uint64_t Touch(const MappedWindow& window) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < window.size(); i += 512) {
    sum += static_cast<unsigned char>(window.data()[i]);
  }
  return sum;
}

TEST(MappedWindowTest, ReadsTheFilesBytes) {
  TempDir dir;
  const std::string path = dir.File("bytes.bin");
  std::string text(300000, 'a');
  for (std::size_t i = 0; i < text.size(); ++i) {
    text[i] = static_cast<char>('a' + i % 26);
  }
  WriteText(path, text);
  const int fd = open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  {
    auto window = MappedWindow::Map(fd, 65536, 100000);
    ASSERT_TRUE(window) << window.error().ToString();
    EXPECT_EQ(std::string(window->data(), window->size()), text.substr(65536, 100000));
    EXPECT_FALSE(window->truncated());
  }
  close(fd);
}

TEST(MappedWindowTest, AFileCutShortWhileMappedReadsAsZerosInsteadOfCrashing) {
  TempDir dir;
  const std::string path = dir.File("shrinks.bin");
  WriteText(path, std::string(1 << 20, 'x'));
  const int fd = open(path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  {
    auto window = MappedWindow::Map(fd, 0, 1 << 20);
    ASSERT_TRUE(window) << window.error().ToString();
    ASSERT_EQ(ftruncate(fd, 8192), 0);  // two pages are left
    const std::uint64_t sum = Touch(*window);
    EXPECT_TRUE(window->truncated());
    // The pages the file kept still read as the file (16 samples of 'x'); from the first missing
    // page on, every byte reads as zero.
    EXPECT_EQ(sum, 16U * 'x');
    EXPECT_EQ(window->data()[(1 << 20) - 1], 0);
  }
  {
    // The next window of the same thread starts clean.
    auto window = MappedWindow::Map(fd, 0, 8192);
    ASSERT_TRUE(window);
    EXPECT_EQ(Touch(*window), 16U * 'x');
    EXPECT_FALSE(window->truncated());
  }
  close(fd);
}

// A SIGBUS outside every window keeps its default action: the handler does not swallow it.
TEST(MappedWindowDeathTest, ASigbusOutsideTheWindowsStillEndsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  const std::string path = dir.File("other.bin");
  WriteText(path, std::string(1 << 16, 'y'));
  EXPECT_EXIT(
      {
        const int fd = open(path.c_str(), O_RDWR);
        {
          auto window = MappedWindow::Map(fd, 0, 4096);  // installs the handler
          (void)Touch(*window);
        }
        void* other = mmap(nullptr, 1 << 16, PROT_READ, MAP_PRIVATE, fd, 0);
        (void)ftruncate(fd, 0);
        volatile char byte = static_cast<const char*>(other)[40000];
        (void)byte;
        _exit(0);
      },
      ::testing::KilledBySignal(SIGBUS), "");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A plain file of several windows: a junk line (one bad row) is sized so that the first good
// line after it starts `before_edge` bytes before the first window's end, on both sides of the
// splitter's padding; a line longer than 1 MiB straddles the second edge; the file ends without a
// newline. Its aggregates are the reference's, to the row.
TEST(MappedWindowTest, LinesAroundTheWindowsEdgesAreScannedOnce) {
  const std::vector<std::string> sample = Lines(ReadText(kSample));
  for (const std::size_t before_edge : {0UL, 1UL, 2UL, 30UL, 63UL, 64UL, 65UL, 129UL, 5000UL}) {
    SCOPED_TRACE("first good line after the junk starts " + std::to_string(before_edge) +
                 " bytes before the edge");
    TempDir dir;
    std::string text;
    std::size_t next = 0;
    const auto add_sample_line = [&] {
      text += sample[next % sample.size()];
      text += '\n';
      ++next;
    };
    while (text.size() + 20000 < kWindow) {
      add_sample_line();
    }
    const std::size_t junk = kWindow - before_edge - text.size() - 1;
    text += std::string(junk, 'j');
    text += '\n';
    ASSERT_EQ(text.size(), kWindow - before_edge);
    while (text.size() + 500000 < 2 * kWindow) {
      add_sample_line();
    }
    text += std::string(1200000, 'L');  // from 500,000 bytes before the second edge
    text += '\n';
    while (text.size() < 2 * kWindow + 300000) {
      add_sample_line();
    }
    text.pop_back();  // no final newline
    const std::string path = dir.File("edges.export.CSV");
    WriteText(path, text);

    ingest::gdelt::IngestOptions options;
    options.max_bad_rows.fraction = 1.0;
    const EngineResult got = RunEngine({path}, options);
    const RefResult expected = ReferenceAggregate({path}, "month");
    ASSERT_EQ(got.report.files.size(), 1U);
    const auto& file = got.report.files[0];
    EXPECT_EQ(file.status, ingest::gdelt::FileStatus::kIngested);
    EXPECT_EQ(file.rows, static_cast<std::uint64_t>(expected.good_rows));
    EXPECT_EQ(file.bad_rows, 2U);
    EXPECT_EQ(expected.bad_rows, 2);
    ASSERT_EQ(file.examples.size(), 2U);
    EXPECT_NE(file.examples[1].message.find("line longer than 1048576 bytes"), std::string::npos);
    ExpectSameAggregates(expected, got);
  }
}

}  // namespace
}  // namespace citydip::test
