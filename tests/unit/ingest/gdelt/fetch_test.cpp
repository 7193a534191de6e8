// The fetch client against a local HTTP server on 127.0.0.1 serving fixture files built from the
// shipped samples: one download resumes from a partial file, one answers 503 twice, one is
// served damaged (its MD5 does not match the list).
#include "citydip/ingest/gdelt/fetch.h"

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "gdelt_fetch_server.h"
#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

TEST(GdeltFetchTest, ParsesTheMasterFileListAndV1Index) {
  const std::string list =
      "150383 297a16b493de7cf6ca809a7cc31d0b93 "
      "http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\n"
      "318084 bb27f78ba45f69a17ea6ed7755e9f8ff "
      "http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip\n"
      "10768507 ea8dde0beb0ba98810a92db068c0ce99 "
      "http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip\n";
  auto events = gdelt::ParseMasterFileList(list, false);
  ASSERT_TRUE(events) << events.error().ToString();
  ASSERT_EQ(events->size(), 1U);
  EXPECT_EQ((*events)[0].name, "20150218230000.export.CSV.zip");
  EXPECT_EQ((*events)[0].path, "/gdeltv2/20150218230000.export.CSV.zip");
  EXPECT_EQ((*events)[0].size, 150383U);
  EXPECT_EQ((*events)[0].md5, "297a16b493de7cf6ca809a7cc31d0b93");
  EXPECT_EQ((*events)[0].first_day, DaysFromCivil(2015, 2, 18));
  auto with_mentions = gdelt::ParseMasterFileList(list, true);
  ASSERT_TRUE(with_mentions);
  EXPECT_EQ(with_mentions->size(), 2U);

  auto bad = gdelt::ParseMasterFileList("150383 nothex http://x/y.export.CSV.zip\n", false);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "masterfilelist.txt:1");

  auto v1 = gdelt::ParseV1Index(
      "0123456789abcdef0123456789abcdef  20130401.export.CSV.zip\n"
      "0123456789abcdef0123456789abcdef  200601.zip\n"
      "0123456789abcdef0123456789abcdef  1979.zip\n"
      "0123456789abcdef0123456789abcdef  GDELT.MASTERREDUCEDV2.1979-2013.zip\n");
  ASSERT_TRUE(v1) << v1.error().ToString();
  ASSERT_EQ(v1->size(), 3U);
  EXPECT_EQ((*v1)[1].first_day, DaysFromCivil(2006, 1, 1));
  EXPECT_EQ((*v1)[1].last_day, DaysFromCivil(2006, 1, 31));
  EXPECT_EQ((*v1)[2].last_day, DaysFromCivil(1979, 12, 31));
  EXPECT_EQ((*v1)[0].path, "/events/20130401.export.CSV.zip");
}

TEST(GdeltFetchTest, ParsesDates) {
  EXPECT_EQ(*gdelt::ParseFetchDate("2015-02-18"), DaysFromCivil(2015, 2, 18));
  EXPECT_EQ(*gdelt::ParseFetchDate("20150218"), DaysFromCivil(2015, 2, 18));
  for (const char* bad : {"2015-02-30", "18.02.2015", "2015-2-18", "1970-01-01", ""}) {
    EXPECT_FALSE(gdelt::ParseFetchDate(bad)) << bad;
  }
}

TEST(GdeltFetchTest, ResumesRetriesAndRejectsDamagedFiles) {
  TempDir dir;
  FetchServer server(dir.File("served"));
  ASSERT_TRUE(server.Start());
  // A partial download of the first file, as an interrupted run leaves it.
  const std::string download_dir = dir.File("downloads");
  std::filesystem::create_directories(download_dir);
  const FetchServer::Served& first = server.file("20150218230000.export.CSV.zip");
  WriteText(download_dir + "/20150218230000.export.CSV.zip.part",
            first.bytes.substr(0, first.bytes.size() / 2));

  gdelt::FetchOptions options;
  options.base_url = server.base_url();
  options.dir = download_dir;
  options.since = DaysFromCivil(2015, 2, 18);
  options.until = DaysFromCivil(2015, 2, 18);
  options.backoff = std::chrono::milliseconds(1);
  std::vector<std::string> log;
  options.log = [&](const std::string& line) { log.push_back(line); };
  auto report = gdelt::FetchFiles(options);

  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->listed, 4U);  // the 2018 file is outside the range, mentions and GKG skipped
  ASSERT_EQ(report->files.size(), 3U);
  EXPECT_EQ(report->files[0].remote.name, "20150218230000.export.CSV.zip");
  EXPECT_TRUE(report->files[0].resumed);
  EXPECT_EQ(server.range_of("20150218230000.export.CSV.zip"),
            "bytes=" + std::to_string(first.bytes.size() / 2) + "-");
  EXPECT_EQ(report->files[1].remote.name, "20150218231500.export.CSV.zip");
  EXPECT_EQ(report->files[1].attempts, 3);  // two 503 answers, then the file
  EXPECT_EQ(server.requests_of("20150218231500.export.CSV.zip"), 3);
  EXPECT_EQ(report->files[2].remote.name, "20150218234500.export.CSV.zip");
  for (const auto& file : report->files) {
    EXPECT_EQ(ReadText(file.local_path), server.file(file.remote.name).bytes);
    EXPECT_FALSE(std::filesystem::exists(file.local_path + ".part"));
  }
  ASSERT_EQ(report->failures.size(), 1U);
  EXPECT_EQ(report->failures[0].code, ErrorCode::kInvalidData);
  EXPECT_NE(report->failures[0].message.find("20150218233000.export.CSV.zip"), std::string::npos);
  EXPECT_NE(report->failures[0].message.find("MD5"), std::string::npos)
      << report->failures[0].message;
  EXPECT_FALSE(std::filesystem::exists(download_dir + "/20150218233000.export.CSV.zip"));
  EXPECT_FALSE(std::filesystem::exists(download_dir + "/20150218233000.export.CSV.zip.part"));

  // A second run finds the verified files on disk and asks only for the damaged one again.
  server.ResetCounts();
  auto again = gdelt::FetchFiles(options);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->files.size(), 3U);
  for (const auto& file : again->files) {
    EXPECT_FALSE(file.downloaded) << file.remote.name;
  }
  EXPECT_EQ(server.requests_of("20150218230000.export.CSV.zip"), 0);
  EXPECT_EQ(again->failures.size(), 1U);
}

TEST(GdeltFetchTest, AMissingListOrFileIsReported) {
  TempDir dir;
  FetchServer server(dir.File("served"));
  ASSERT_TRUE(server.Start());
  gdelt::FetchOptions options;
  options.base_url = server.base_url() + "/nothing-here";
  options.dir = dir.File("downloads");
  options.since = DaysFromCivil(2015, 2, 18);
  options.backoff = std::chrono::milliseconds(1);
  auto report = gdelt::FetchFiles(options);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);

  options.base_url = "ftp://example.org";
  auto bad_url = gdelt::FetchFiles(options);
  ASSERT_FALSE(bad_url);
  EXPECT_EQ(bad_url.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace citydip::test
