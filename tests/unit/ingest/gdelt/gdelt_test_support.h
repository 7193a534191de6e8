// Helpers shared by the GDELT tests: temporary directories, file writing, and running the engine
// with its batches merged into maps keyed like the reference implementation's.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "reference_barometer.h"

namespace citydip::test {

namespace gdelt = citydip::ingest::gdelt;

inline std::string DataPath(const std::string& relative) {
  return std::string(CITYDIP_SOURCE_DIR) + "/data/gdelt/" + relative;
}

/// The shipped GDELT 2.0 event samples (4 plain 15-minute files and one zipped).
inline std::vector<std::string> V2EventSamples() {
  return {DataPath("samples/v2/20150218230000.export.CSV"),
          DataPath("samples/v2/20150218231500.export.CSV"),
          DataPath("samples/v2/20150218233000.export.CSV"),
          DataPath("samples/v2/20150218234500.export.CSV"),
          DataPath("samples/v2/20180101000000.export.CSV.zip")};
}
inline std::string V1Sample() {
  return DataPath("samples/v1/gdelt-v1-sample.export.CSV");
}
/// The v2 event samples, then the v1 one.
inline std::vector<std::string> AllEventSamples() {
  auto paths = V2EventSamples();
  paths.push_back(V1Sample());
  return paths;
}
inline std::vector<std::string> MentionsSamples() {
  return {DataPath("samples/v2/20150218230000.mentions.CSV.zip"),
          DataPath("samples/v2/20150218231500.mentions.CSV.zip"),
          DataPath("samples/v2/20150218233000.mentions.CSV.zip"),
          DataPath("samples/v2/20150218234500.mentions.CSV.zip")};
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// Names the instances of a test parameterized by row splitter.
inline std::string ScanKernelName(const ::testing::TestParamInfo<gdelt::ScanKernel>& info) {
  switch (info.param) {
    case gdelt::ScanKernel::kAuto:
      return "Auto";
    case gdelt::ScanKernel::kGeneric:
      return "Generic";
    case gdelt::ScanKernel::kAvx2:
      return "Avx2";
    case gdelt::ScanKernel::kAvx512:
      return "Avx512";
  }
  return "Unknown";
}

/// A fresh directory under the build tree, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(CITYDIP_BINARY_DIR) / "test-tmp" / "gdelt" /
            (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string File(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

/// The engine's output merged over all batches, keyed like RefResult.
struct EngineResult {
  std::map<RefKey, gdelt::PairStats> pairs;
  std::map<std::string, gdelt::PeriodTotals> totals;
  std::map<std::string, gdelt::MediaVolume> media;
  std::vector<std::vector<std::string>> batch_files;  // names of the files of each batch
  gdelt::IngestReport report;
};

inline EngineResult RunEngine(const std::vector<std::string>& paths,
                              const gdelt::IngestOptions& options,
                              const std::vector<gdelt::KnownFile>& known = {}) {
  EngineResult result;
  auto report = gdelt::IngestFiles(paths, options, known, [&](const gdelt::IngestBatch& batch) {
    std::vector<std::string> names;
    for (const auto* file : batch.files) {
      names.push_back(file->name);
    }
    result.batch_files.push_back(names);
    const gdelt::Period period = batch.barometer.period;
    EXPECT_TRUE(batch.barometer.pairs.empty());  // they come from next_pairs
    for (const auto& row : gdelt::AllPairs(batch)) {
      result
          .pairs[{std::string(gdelt::PairKindName(row.kind)),
                  gdelt::PeriodLabel(period, row.period_start), row.actor1, row.actor2}]
          .Add(row.stats);
    }
    for (const auto& row : batch.barometer.totals) {
      result.totals[gdelt::PeriodLabel(period, row.period_start)].Add(row.totals);
    }
    for (const auto& row : batch.barometer.media) {
      result.media[gdelt::PeriodLabel(period, row.period_start)].Add(row.volume);
    }
    return Ok();
  });
  EXPECT_TRUE(report.has_value()) << (report ? "" : report.error().ToString());
  if (report) {
    result.report = std::move(*report);
  }
  return result;
}

inline ::testing::AssertionResult Near(double expected, double actual) {
  const double tolerance = 1e-9 * std::max(1.0, std::abs(expected));
  if (std::abs(expected - actual) <= tolerance) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected " << expected << ", got " << actual << " (tolerance " << tolerance << ")";
}

/// Counts exactly equal and sums within 1e-9 (relative, or absolute below 1).
inline void ExpectSameAggregates(const RefResult& expected, const EngineResult& actual) {
  ASSERT_EQ(expected.pairs.size(), actual.pairs.size());
  for (const auto& [key, ref] : expected.pairs) {
    const auto found = actual.pairs.find(key);
    ASSERT_NE(found, actual.pairs.end())
        << std::get<0>(key) << " " << std::get<1>(key) << " " << std::get<2>(key) << "->"
        << std::get<3>(key) << " missing";
    const gdelt::PairStats& got = found->second;
    const std::string where = std::get<0>(key) + " " + std::get<1>(key) + " " + std::get<2>(key) +
                              "->" + std::get<3>(key);
    EXPECT_EQ(ref.events, got.events) << where;
    EXPECT_EQ(ref.root_events, got.root_events) << where;
    EXPECT_EQ(ref.mentions, got.mentions) << where;
    EXPECT_EQ(ref.sources, got.sources) << where;
    EXPECT_EQ(ref.articles, got.articles) << where;
    for (std::size_t q = 0; q < 4; ++q) {
      EXPECT_EQ(ref.quad[q], got.quad[q]) << where << " quad " << q + 1;
    }
    for (std::size_t r = 0; r < 20; ++r) {
      EXPECT_EQ(ref.root[r], got.root[r]) << where << " root " << r + 1;
    }
    EXPECT_TRUE(Near(ref.goldstein_sum, got.goldstein_sum)) << where;
    EXPECT_TRUE(Near(ref.goldstein_mentions_sum, got.goldstein_mentions_sum)) << where;
    EXPECT_TRUE(Near(ref.tone_sum, got.tone_sum)) << where;
  }
  ASSERT_EQ(expected.totals.size(), actual.totals.size());
  for (const auto& [label, ref] : expected.totals) {
    const auto found = actual.totals.find(label);
    ASSERT_NE(found, actual.totals.end()) << label;
    EXPECT_EQ(ref.events, found->second.events) << label;
    EXPECT_EQ(ref.mentions, found->second.mentions) << label;
    EXPECT_EQ(ref.sources, found->second.sources) << label;
    EXPECT_EQ(ref.articles, found->second.articles) << label;
  }
  ASSERT_EQ(expected.media.size(), actual.media.size());
  for (const auto& [label, ref] : expected.media) {
    const auto found = actual.media.find(label);
    ASSERT_NE(found, actual.media.end()) << label;
    EXPECT_EQ(ref.mentions, found->second.mentions) << label;
    EXPECT_EQ(ref.confidence_sum, found->second.confidence_sum) << label;
    for (std::size_t t = 0; t < 6; ++t) {
      EXPECT_EQ(ref.by_type[t], found->second.by_type[t]) << label << " type " << t + 1;
    }
    EXPECT_TRUE(Near(ref.doc_tone_sum, found->second.doc_tone_sum)) << label;
  }
}

}  // namespace citydip::test
