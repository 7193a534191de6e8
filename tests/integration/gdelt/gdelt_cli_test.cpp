// The citydip binary: `gdelt ingest`, `gdelt series` and `gdelt fetch`, their output and exit
// codes (0 ok, 1 a file failed or bad input, 2 usage).
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gdelt_fetch_server.h"
#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the citydip binary with `args` (already shell-quoted where needed).
CliRun Citydip(const std::string& args, const std::string& env = "") {
  // One file per call and process: ctest runs the tests of this binary in parallel processes.
  static int calls = 0;
  const std::filesystem::path tmp = std::filesystem::path(CITYDIP_BINARY_DIR) / "test-tmp" /
                                    ("gdelt-cli-stderr-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(++calls) + ".txt");
  std::filesystem::create_directories(tmp.parent_path());
  const std::string command =
      env + " " + std::string(CITYDIP_CLI_PATH) + " " + args + " 2>" + tmp.string();
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.out.append(buffer.data(), got);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = ReadText(tmp.string());
  std::error_code ignored;
  std::filesystem::remove(tmp, ignored);
  return run;
}

std::string Quote(const std::string& text) {
  return "'" + text + "'";
}

TEST(GdeltCliTest, IngestSeriesAndReingest) {
  TempDir dir;
  const std::string db = "--db " + Quote(dir.File("citydip.db"));
  const std::string samples = Quote(DataPath("samples/v2")) + " " + Quote(DataPath("samples/v1"));

  const CliRun ingest =
      Citydip(db + " gdelt ingest --cities " + Quote(DataPath("city_actors.csv")) + " " + samples);
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.out.find("ingested 10 files: 49,041 rows"), std::string::npos) << ingest.out;
  EXPECT_EQ(ingest.err, "");  // not a terminal: no progress line

  const CliRun csv = Citydip(db + " gdelt series --from KOR --to CHN --format csv");
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "period,actor1,actor2,events,root_events,goldstein_sum,goldstein_mean,"
            "goldstein_mentions_weighted,tone_mean,mentions,sources,articles,quad1,quad2,quad3,"
            "quad4");
  EXPECT_NE(csv.out.find("\n2015-02,KOR,CHN,"), std::string::npos);

  const CliRun table = Citydip(db + " gdelt series --from KOR --to CHN");
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("KOR (Republic of Korea, 대한민국) -> CHN (China, 중국)"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("goldstein_mean"), std::string::npos);

  const CliRun json = Citydip(db + " gdelt series --all --period year --format json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("\"cameo_roots\""), std::string::npos);

  const CliRun again = Citydip(db + " gdelt ingest " + samples);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already ingested (no-op): 10 files"), std::string::npos) << again.out;
}

TEST(GdeltCliTest, AFailedFileExitsWithOneAndIsNotRecorded) {
  TempDir dir;
  const std::string db = "--db " + Quote(dir.File("citydip.db"));
  const std::string broken = dir.File("broken.export.CSV.zip");
  WriteZip(broken, "broken.export.CSV", ReadText(DataPath("samples/v2/20150218230000.export.CSV")));
  std::filesystem::resize_file(broken, std::filesystem::file_size(broken) / 2);
  std::string bad_rows = ReadText(DataPath("samples/v2/20150218231500.export.CSV"));
  bad_rows.insert(0, "1\t2\t3\n");  // one row of 3 columns: 1 of 2,103 rows, within 1 %
  const std::string some_bad = dir.File("some-bad.export.CSV");
  WriteText(some_bad, bad_rows);

  const CliRun run =
      Citydip(db + " gdelt ingest --no-cities " + Quote(broken) + " " + Quote(some_bad));

  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("ingested 1 file: 2,102 rows"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find(broken + ": truncated or not a zip file"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(some_bad + ":1: found 3 tab-separated columns"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("1 file failed and was not recorded"), std::string::npos) << run.err;

  const CliRun strict = Citydip(db + " gdelt ingest --max-bad-rows 0 " + Quote(broken));
  EXPECT_EQ(strict.exit_code, 1);
  const CliRun usage = Citydip(db + " gdelt ingest --period weekly " + Quote(some_bad));
  EXPECT_EQ(usage.exit_code, 1) << usage.err;
  EXPECT_NE(usage.err.find("'weekly' is not a period"), std::string::npos) << usage.err;
  const CliRun missing = Citydip(db + " gdelt series");
  EXPECT_EQ(missing.exit_code, 1);
}

TEST(GdeltCliTest, FetchDownloadsVerifiesAndIngests) {
  TempDir dir;
  FetchServer server(dir.File("served"));
  ASSERT_TRUE(server.Start());
  const std::string db = "--db " + Quote(dir.File("citydip.db"));

  const CliRun run =
      Citydip(db + " gdelt fetch --since 2015-02-18 --until 2015-02-18 --base-url " +
                  server.base_url() + " --dir " + Quote(dir.File("downloads")) + " --no-cities",
              "CITYDIP_FETCH_BACKOFF_MS=1");

  // One listed file is served damaged: it is reported, not ingested, and the exit code is 1.
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("fetched 3 of 4 listed files (0 already on disk, 1 failed)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("ingested 3 files"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("20150218233000.export.CSV.zip: cannot fetch a verified copy"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("HTTP 503, retrying"), std::string::npos) << run.err;

  const CliRun series = Citydip(db + " gdelt series --from USA --to USA --format csv");
  EXPECT_EQ(series.exit_code, 0);
  EXPECT_NE(series.out.find("\n2015-02,USA,USA,"), std::string::npos) << series.out;
}

}  // namespace
}  // namespace citydip::test
