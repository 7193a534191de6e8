// The SQLite barometer store: files and sums are written in one transaction, sums add up.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/storage/sqlite/sqlite_barometer_store.h"
#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

storage::BarometerBatch Batch(const std::string& file,
                              const std::string& md5,
                              std::int64_t events) {
  storage::BarometerBatch batch;
  batch.files.push_back({file, 100, md5, "events-v2", "month", events, 0, ""});
  storage::BarometerPairRow row;
  row.kind = "country";
  row.granularity = "month";
  row.period_start = "2015-02-01";
  row.actor1 = "KOR";
  row.actor2 = "CHN";
  row.sums.events = events;
  row.sums.goldstein_sum = 1.5 * static_cast<double>(events);
  row.sums.quad = {events, 0, 0, 0};
  row.sums.root[3] = events;
  batch.pairs.push_back(row);
  batch.totals.push_back({"month", "2015-02-01", 10 * events, 3, 2, 1});
  storage::MediaVolumeRow media;
  media.granularity = "day";
  media.period_start = "2015-02-18";
  media.mentions = events;
  media.by_type[0] = events;
  batch.media.push_back(media);
  return batch;
}

TEST(BarometerStoreTest, CommitsAddUpAndAFailedCommitWritesNothing) {
  TempDir dir;
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("test.db"));
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->Commit(Batch("a.export.CSV", "00000000000000000000000000000001", 2)));
  ASSERT_TRUE((*store)->Commit(Batch("b.export.CSV", "00000000000000000000000000000002", 3)));

  // A batch naming a recorded file is refused as a whole.
  auto again = (*store)->Commit(Batch("a.export.CSV", "00000000000000000000000000000003", 100));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  auto same_md5 = (*store)->Commit(Batch("c.export.CSV", "00000000000000000000000000000002", 100));
  ASSERT_FALSE(same_md5);
  EXPECT_EQ(same_md5.error().code, ErrorCode::kAlreadyExists);

  auto files = (*store)->ListFiles();
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 2U);
  EXPECT_EQ((*files)[0].name, "a.export.CSV");
  EXPECT_EQ((*files)[0].kind, "events-v2");
  EXPECT_EQ((*files)[0].ingested_at.size(), 20U);  // 2025-01-01T00:00:00Z
  auto pairs = (*store)->QueryPairs({"country", "KOR", "CHN"});
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 1U);
  EXPECT_EQ((*pairs)[0].sums.events, 5);
  EXPECT_DOUBLE_EQ((*pairs)[0].sums.goldstein_sum, 7.5);
  EXPECT_EQ((*pairs)[0].sums.quad[0], 5);
  EXPECT_EQ((*pairs)[0].sums.root[3], 5);
  auto totals = (*store)->QueryTotals();
  ASSERT_TRUE(totals);
  ASSERT_EQ(totals->size(), 1U);
  EXPECT_EQ((*totals)[0].events, 50);
  auto media = (*store)->QueryMedia();
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 1U);
  EXPECT_EQ((*media)[0].mentions, 5);
  auto none = (*store)->QueryPairs({"city", std::nullopt, std::nullopt});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

// Rows are written many to a statement: every column of every row must land in its own place,
// for batches of several statements and a partial last one, and add up with rows already there.
TEST(BarometerStoreTest, LargeBatchesKeepEveryColumnOfEveryRow) {
  // Values distinct per row and per column, so that a row or column written one place off
  // shows.
  const auto pair_row = [](int i, std::int64_t scale) {
    storage::BarometerPairRow row;
    row.kind = i % 5 == 0 ? "city" : "country";
    row.granularity = i % 3 == 0 ? "day" : "month";
    row.period_start =
        "2015-" + std::string(i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1) + "-01";
    row.actor1 = "A" + std::to_string(i);
    row.actor2 = "B" + std::to_string(i * 7);
    storage::BarometerSums& s = row.sums;
    s.events = scale * (1000 + i);
    s.root_events = scale * (2000 + i);
    s.goldstein_sum = static_cast<double>(scale) * (0.25 + i);
    s.goldstein_mentions_sum = static_cast<double>(scale) * (0.5 + 2 * i);
    s.tone_sum = static_cast<double>(scale) * (-0.75 - i);
    s.mentions = scale * (3000 + i);
    s.sources = scale * (4000 + i);
    s.articles = scale * (5000 + i);
    for (int q = 0; q < 4; ++q) {
      s.quad[static_cast<std::size_t>(q)] = scale * (6000 + 100 * q + i);
    }
    for (int r = 0; r < 20; ++r) {
      s.root[static_cast<std::size_t>(r)] = scale * (7000 + 100 * r + i);
    }
    return row;
  };
  const auto batch_of = [&](const std::string& file, const std::string& md5, int first, int count,
                            std::int64_t scale) {
    storage::BarometerBatch batch;
    batch.files.push_back({file, 100, md5, "events-v2", "month", count, 0, ""});
    for (int i = first; i < first + count; ++i) {
      batch.pairs.push_back(pair_row(i, scale));
      const std::string day = "2016-01-01+" + std::to_string(i);
      batch.totals.push_back(
          {"day", day, scale * i, scale * (i + 1), scale * (i + 2), scale * (i + 3)});
      storage::MediaVolumeRow media;
      media.granularity = "day";
      media.period_start = day;
      media.mentions = scale * i;
      for (int t = 0; t < 6; ++t) {
        media.by_type[static_cast<std::size_t>(t)] = scale * (10 * t + i);
      }
      media.doc_tone_sum = static_cast<double>(scale) * (0.125 * i);
      media.confidence_sum = scale * (9 * i);
      batch.media.push_back(media);
    }
    return batch;
  };
  TempDir dir;
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("test.db"));
  ASSERT_TRUE(store) << store.error().ToString();
  // 0..199 once; 100..330 again with twice the values: 100..199 add up, 200..330 are new.
  ASSERT_TRUE(
      (*store)->Commit(batch_of("a.export.CSV", "00000000000000000000000000000001", 0, 200, 1)));
  ASSERT_TRUE(
      (*store)->Commit(batch_of("b.export.CSV", "00000000000000000000000000000002", 100, 231, 2)));

  const auto expected_scale = [](int i) -> std::int64_t { return i < 100 ? 1 : i < 200 ? 3 : 2; };
  std::vector<storage::BarometerPairRow> got;
  for (const char* kind : {"country", "city"}) {
    auto pairs = (*store)->QueryPairs({kind, std::nullopt, std::nullopt});
    ASSERT_TRUE(pairs) << pairs.error().ToString();
    got.insert(got.end(), pairs->begin(), pairs->end());
  }
  ASSERT_EQ(got.size(), 331U);
  for (const auto& row : got) {
    const int i = std::stoi(row.actor1.substr(1));
    const storage::BarometerPairRow want = pair_row(i, expected_scale(i));
    SCOPED_TRACE(row.actor1);
    EXPECT_EQ(row.kind, want.kind);
    EXPECT_EQ(row.granularity, want.granularity);
    EXPECT_EQ(row.period_start, want.period_start);
    EXPECT_EQ(row.actor2, want.actor2);
    EXPECT_EQ(row.sums.events, want.sums.events);
    EXPECT_EQ(row.sums.root_events, want.sums.root_events);
    EXPECT_DOUBLE_EQ(row.sums.goldstein_sum, want.sums.goldstein_sum);
    EXPECT_DOUBLE_EQ(row.sums.goldstein_mentions_sum, want.sums.goldstein_mentions_sum);
    EXPECT_DOUBLE_EQ(row.sums.tone_sum, want.sums.tone_sum);
    EXPECT_EQ(row.sums.mentions, want.sums.mentions);
    EXPECT_EQ(row.sums.sources, want.sums.sources);
    EXPECT_EQ(row.sums.articles, want.sums.articles);
    EXPECT_EQ(row.sums.quad, want.sums.quad);
    EXPECT_EQ(row.sums.root, want.sums.root);
  }
  auto totals = (*store)->QueryTotals();
  ASSERT_TRUE(totals);
  ASSERT_EQ(totals->size(), 331U);
  for (const auto& row : *totals) {
    const int i = std::stoi(row.period_start.substr(row.period_start.find('+') + 1));
    const std::int64_t k = expected_scale(i);
    SCOPED_TRACE(row.period_start);
    EXPECT_EQ(row.events, k * i);
    EXPECT_EQ(row.mentions, k * (i + 1));
    EXPECT_EQ(row.sources, k * (i + 2));
    EXPECT_EQ(row.articles, k * (i + 3));
  }
  auto media = (*store)->QueryMedia();
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 331U);
  for (const auto& row : *media) {
    const int i = std::stoi(row.period_start.substr(row.period_start.find('+') + 1));
    const std::int64_t k = expected_scale(i);
    SCOPED_TRACE(row.period_start);
    EXPECT_EQ(row.mentions, k * i);
    for (int t = 0; t < 6; ++t) {
      EXPECT_EQ(row.by_type[static_cast<std::size_t>(t)], k * (10 * t + i));
    }
    EXPECT_DOUBLE_EQ(row.doc_tone_sum, static_cast<double>(k) * (0.125 * i));
    EXPECT_EQ(row.confidence_sum, k * (9 * i));
  }
}

TEST(BarometerStoreTest, ANonDatabaseFileIsRefused) {
  TempDir dir;
  WriteText(dir.File("not.db"), std::string(4096, 'x'));
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("not.db"));
  ASSERT_FALSE(store);
}

}  // namespace
}  // namespace citydip::test
