// Files already recorded are not read again; a commit that fails stops the run.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

const std::string kSample = DataPath("samples/v2/20150218230000.export.CSV");

gdelt::KnownFile KnownFrom(const gdelt::FileReport& file) {
  return {file.name, file.size, file.md5};
}

TEST(GdeltReingestTest, RecordedFilesAreANoOp) {
  const EngineResult first = RunEngine({kSample}, gdelt::IngestOptions{});
  ASSERT_EQ(first.report.ingested, 1U);
  const auto md5 = gdelt::Md5OfFile(kSample);
  ASSERT_TRUE(md5);
  EXPECT_EQ(first.report.files[0].md5, *md5);
  EXPECT_EQ(*md5, "a5d1bdc34a79f892cf0934c3e3d29065");  // md5sum of the shipped sample

  const EngineResult again =
      RunEngine({kSample}, gdelt::IngestOptions{}, {KnownFrom(first.report.files[0])});

  EXPECT_EQ(again.report.already_ingested, 1U);
  EXPECT_EQ(again.report.ingested, 0U);
  EXPECT_EQ(again.report.files[0].status, gdelt::FileStatus::kAlreadyIngested);
  EXPECT_TRUE(again.batch_files.empty());
  EXPECT_TRUE(again.pairs.empty());
}

TEST(GdeltReingestTest, SameContentUnderAnotherNameIsANoOp) {
  TempDir dir;
  const std::string copy = dir.File("copy-of-sample.CSV");
  std::filesystem::copy_file(kSample, copy);
  const EngineResult first = RunEngine({kSample}, gdelt::IngestOptions{});

  const EngineResult again =
      RunEngine({copy}, gdelt::IngestOptions{}, {KnownFrom(first.report.files[0])});

  EXPECT_EQ(again.report.files[0].status, gdelt::FileStatus::kAlreadyIngested);
  ASSERT_TRUE(again.report.files[0].error);
  EXPECT_NE(again.report.files[0].error->message.find("20150218230000.export.CSV"),
            std::string::npos);
  EXPECT_TRUE(again.batch_files.empty());
}

TEST(GdeltReingestTest, TheSameFileTwiceInOneRunIsIngestedOnce) {
  TempDir dir;
  const std::string copy = dir.File("copy.CSV");
  std::filesystem::copy_file(kSample, copy);
  const EngineResult got = RunEngine({kSample, copy}, gdelt::IngestOptions{});
  EXPECT_EQ(got.report.ingested, 1U);
  EXPECT_EQ(got.report.already_ingested, 1U);
  ExpectSameAggregates(ReferenceAggregate({kSample}, "month"), got);
}

TEST(GdeltReingestTest, AChangedFileUnderARecordedNameFails) {
  TempDir dir;
  const std::string changed = dir.File("20150218230000.export.CSV");
  WriteText(changed, ReadText(kSample).substr(0, 100000));
  const EngineResult first = RunEngine({kSample}, gdelt::IngestOptions{});

  const EngineResult again =
      RunEngine({changed}, gdelt::IngestOptions{}, {KnownFrom(first.report.files[0])});

  const gdelt::FileReport& file = again.report.files[0];
  EXPECT_EQ(file.status, gdelt::FileStatus::kFailed);
  ASSERT_TRUE(file.error);
  EXPECT_EQ(file.error->code, ErrorCode::kAlreadyExists);
  EXPECT_NE(file.error->message.find("already ingested with other content"), std::string::npos);
  EXPECT_TRUE(again.batch_files.empty());
}

TEST(GdeltReingestTest, WithoutMd5FilesAreRecognisedByNameAndSize) {
  gdelt::IngestOptions options;
  options.compute_md5 = false;
  const EngineResult first = RunEngine({kSample}, options);
  ASSERT_EQ(first.report.ingested, 1U);
  EXPECT_EQ(first.report.files[0].md5, "");
  ExpectSameAggregates(ReferenceAggregate({kSample}, "month"), first);

  const EngineResult again = RunEngine({kSample}, options, {KnownFrom(first.report.files[0])});
  EXPECT_EQ(again.report.files[0].status, gdelt::FileStatus::kAlreadyIngested);

  TempDir dir;
  const std::string changed = dir.File("20150218230000.export.CSV");
  WriteText(changed, ReadText(kSample).substr(0, 100000));
  const EngineResult other = RunEngine({changed}, options, {KnownFrom(first.report.files[0])});
  EXPECT_EQ(other.report.files[0].status, gdelt::FileStatus::kFailed);
  ASSERT_TRUE(other.report.files[0].error);
  EXPECT_NE(other.report.files[0].error->message.find("already ingested with another size"),
            std::string::npos);
}

// MD5s are computed apart from the scan (many files at once), so a file that changes between
// the two reads must fail rather than be recorded with an MD5 its rows do not come from. One
// thread hashes both files first, then scans them; committing the first touches the second.
TEST(GdeltReingestTest, AFileChangedBetweenItsMd5AndItsScanFails) {
  TempDir dir;
  const std::string first = dir.File("20150218230000.export.CSV");
  const std::string second = dir.File("20150218231500.export.CSV");
  std::filesystem::copy_file(V2EventSamples()[0], first);
  std::filesystem::copy_file(V2EventSamples()[1], second);
  gdelt::IngestOptions options;
  options.threads = 1;
  options.flush_groups = 1;  // a commit after each file
  int commits = 0;
  auto report =
      gdelt::IngestFiles({first, second}, options, {}, [&](const gdelt::IngestBatch& batch) {
        ++commits;
        EXPECT_EQ(batch.files.size(), 1U);
        // Same bytes, another modification time.
        std::filesystem::last_write_time(
            second, std::filesystem::last_write_time(second) - std::chrono::hours(1));
        return Ok();
      });
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(commits, 1);
  EXPECT_EQ(report->files[0].status, gdelt::FileStatus::kIngested);
  EXPECT_EQ(report->files[0].md5, *gdelt::Md5OfFile(first));
  EXPECT_EQ(report->files[1].status, gdelt::FileStatus::kFailed);
  ASSERT_TRUE(report->files[1].error);
  EXPECT_NE(report->files[1].error->message.find("changed while it was read"), std::string::npos);

  // Read again, unchanged, it goes in.
  const EngineResult again = RunEngine({second}, gdelt::IngestOptions{});
  EXPECT_EQ(again.report.ingested, 1U);
  EXPECT_EQ(again.report.files[0].md5, *gdelt::Md5OfFile(second));
}

// Many small files against one hashing group: scans finish before their MD5s, wait parked and
// are finished by the hashing thread. None may be lost or counted twice, whatever the threads.
TEST(GdeltReingestTest, FilesScannedBeforeTheirMd5AreAllStoredOnce) {
  TempDir dir;
  std::vector<std::string> paths;
  const std::vector<std::string> samples = V2EventSamples();
  for (int i = 0; i < 24; ++i) {
    // Distinct contents (the first lines of a sample), so that no MD5 repeats.
    const std::string text = ReadText(samples[static_cast<std::size_t>(i % 4)]);
    std::size_t end = 0;
    for (int line = 0; line < 20 + 7 * i; ++line) {
      end = text.find('\n', end) + 1;
    }
    paths.push_back(dir.File("part" + std::to_string(i) + ".export.CSV"));
    WriteText(paths.back(), text.substr(0, end));
  }
  const RefResult expected = ReferenceAggregate(paths, "month");
  for (int threads : {1, 2, 3, 8}) {
    SCOPED_TRACE(threads);
    gdelt::IngestOptions options;
    options.threads = threads;
    const EngineResult got = RunEngine(paths, options);
    EXPECT_EQ(got.report.ingested, paths.size());
    std::size_t stored = 0;
    for (const auto& batch : got.batch_files) {
      stored += batch.size();
    }
    EXPECT_EQ(stored, paths.size());
    for (const auto& file : got.report.files) {
      EXPECT_EQ(file.md5, *gdelt::Md5OfFile(file.path)) << file.name;
    }
    ExpectSameAggregates(expected, got);
  }
}

TEST(GdeltReingestTest, AFailedCommitFailsTheRunAndItsFiles) {
  gdelt::IngestOptions options;
  options.threads = 1;
  int commits = 0;
  auto report = gdelt::IngestFiles(V2EventSamples(), options, {}, [&](const gdelt::IngestBatch&) {
    ++commits;
    return Status(Fail(ErrorCode::kUnavailable, "disk full", "test.db"));
  });
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(report.error().message, "disk full");
  EXPECT_EQ(commits, 1);
}

// keep_events (the warehouse): each batch's rows come file after file with their counts, and
// mentions files, of which nothing would be kept, are skipped without being recorded.
TEST(GdeltReingestTest, KeptEventsComeWithTheirCountPerFileAndMentionsAreSkipped) {
  gdelt::IngestOptions options;
  options.keep_events = true;
  options.flush_groups = 1000000;  // one batch
  options.threads = 2;
  std::vector<std::string> paths = V2EventSamples();
  const std::vector<std::string> mentions = MentionsSamples();
  paths.insert(paths.end(), mentions.begin(), mentions.end());
  std::vector<std::size_t> per_file;
  std::vector<std::uint64_t> rows_of_files;
  std::size_t events = 0;
  auto report = gdelt::IngestFiles(paths, options, {}, [&](const gdelt::IngestBatch& batch) {
    EXPECT_EQ(batch.events_per_file.size(), batch.files.size());
    // Rows instead of aggregates.
    EXPECT_TRUE(gdelt::AllPairs(batch).empty());
    EXPECT_TRUE(batch.barometer.totals.empty());
    per_file.insert(per_file.end(), batch.events_per_file.begin(), batch.events_per_file.end());
    for (const auto* file : batch.files) {
      rows_of_files.push_back(file->rows);
    }
    events += batch.events.size();
    return Ok();
  });
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->ingested, V2EventSamples().size());
  EXPECT_EQ(report->skipped, mentions.size());
  EXPECT_EQ(report->failed, 0U);
  for (const auto& file : report->files) {
    if (file.kind == gdelt::FileKind::kMentions) {
      EXPECT_EQ(file.status, gdelt::FileStatus::kSkipped) << file.name;
      ASSERT_TRUE(file.error.has_value());
      EXPECT_NE(file.error->message.find("mentions"), std::string::npos);
    }
  }
  ASSERT_EQ(per_file.size(), V2EventSamples().size());
  std::size_t sum = 0;
  for (std::size_t i = 0; i < per_file.size(); ++i) {
    EXPECT_EQ(per_file[i], rows_of_files[i]);
    sum += per_file[i];
  }
  EXPECT_EQ(sum, events);
  EXPECT_EQ(sum, report->rows);
  EXPECT_GT(sum, 1000U);
}

// keep_events with spill_events: a file's rows go out in pieces while it is read (bounded
// memory); the pieces and the rows left for the batch add up to the file's rows, each file's
// pieces name it.
TEST(GdeltReingestTest, KeptEventsSpillWhileAFileIsRead) {
  // A 3.4 MB file (the four 15-minute samples one after another: several 1 MB read chunks),
  // and the samples themselves.
  TempDir dir;
  const std::string big = dir.File("20150218000000.export.CSV");
  {
    std::ofstream out(big, std::ios::binary);
    for (const auto& path : V2EventSamples()) {
      if (path.find(".zip") == std::string::npos) {
        std::ifstream in(path, std::ios::binary);
        out << in.rdbuf();
      }
    }
  }
  std::vector<std::string> paths = V2EventSamples();
  paths.push_back(big);
  gdelt::IngestOptions options;
  options.keep_events = true;
  options.threads = 2;
  options.spill_rows = 3000;
  std::mutex mutex;
  std::map<std::string, std::size_t> spilled;  // rows per file path
  std::size_t spills = 0;
  options.spill_events = [&](const gdelt::FileReport& file,
                             std::vector<gdelt::EventRecord>& events) -> Status {
    EXPECT_GE(events.size(), 3000U);
    std::lock_guard lock(mutex);
    spilled[file.path] += events.size();
    ++spills;
    return Ok();
  };
  std::map<std::string, std::size_t> batched;
  auto report = gdelt::IngestFiles(paths, options, {}, [&](const gdelt::IngestBatch& batch) {
    EXPECT_EQ(batch.events_per_file.size(), batch.files.size());
    for (std::size_t i = 0; i < batch.files.size(); ++i) {
      batched[batch.files[i]->path] += batch.events_per_file[i];
    }
    return Ok();
  });
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_EQ(report->ingested, paths.size());
  EXPECT_GT(spilled[big], 0U);  // the big file went out (at least partly) while it was read
  EXPECT_GE(spills, 1U);
  std::uint64_t rows = 0;
  for (const auto& file : report->files) {
    EXPECT_EQ(spilled[file.path] + batched[file.path], file.rows) << file.name;
    rows += file.rows;
  }
  EXPECT_EQ(rows, report->rows);
  // A failing spill fails the file (and only it), with the spill's error.
  options.threads = 1;
  options.spill_rows = 100;
  options.spill_events = [](const gdelt::FileReport& file, std::vector<gdelt::EventRecord>&) {
    return file.name == "20150218231500.export.CSV"
               ? Status(Fail(ErrorCode::kUnavailable, "no room"))
               : Ok();
  };
  auto partly = gdelt::IngestFiles(V2EventSamples(), options, {}, {});
  ASSERT_TRUE(partly) << partly.error().ToString();
  EXPECT_EQ(partly->failed, 1U);
  for (const auto& file : partly->files) {
    if (file.name == "20150218231500.export.CSV") {
      EXPECT_EQ(file.status, gdelt::FileStatus::kFailed);
      ASSERT_TRUE(file.error.has_value());
      EXPECT_EQ(file.error->message, "no room");
    } else {
      EXPECT_EQ(file.status, gdelt::FileStatus::kIngested) << file.name;
    }
  }
}

TEST(GdeltReingestTest, ProgressIsReportedWithTotals) {
  std::vector<gdelt::IngestProgress> seen;
  auto report = gdelt::IngestFiles(
      V2EventSamples(), gdelt::IngestOptions{}, {}, [](const gdelt::IngestBatch&) { return Ok(); },
      [&](const gdelt::IngestProgress& progress) { seen.push_back(progress); });
  ASSERT_TRUE(report);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().files_done, 5U);
  EXPECT_EQ(seen.back().files_total, 5U);
  EXPECT_EQ(seen.back().rows, 11123U);
  EXPECT_EQ(seen.back().bytes_done, seen.back().bytes_total);
}

TEST(GdeltInputsTest, DirectoriesGlobsAndFilesExpandSortedWithoutDuplicates) {
  const std::string dir = DataPath("samples/v2");
  auto files = gdelt::ExpandInputs({dir, dir + "/*.export.CSV", kSample});
  ASSERT_TRUE(files) << files.error().ToString();
  EXPECT_EQ(files->size(), 9U);  // 4 plain exports, 1 zipped export, 4 zipped mentions
  EXPECT_TRUE(std::is_sorted(files->begin(), files->end()));

  auto recursive = gdelt::ExpandInputs({DataPath("samples")});
  ASSERT_TRUE(recursive) << recursive.error().ToString();
  EXPECT_EQ(recursive->size(), 10U);  // v1 and v2 subdirectories

  auto only_glob = gdelt::ExpandInputs({dir + "/*.mentions.CSV.zip"});
  ASSERT_TRUE(only_glob);
  EXPECT_EQ(only_glob->size(), 4U);

  auto missing = gdelt::ExpandInputs({dir + "/nothing-*.zip"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto absent = gdelt::ExpandInputs({"/nonexistent/file.CSV"});
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace citydip::test
