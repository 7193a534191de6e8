// The SQLite barometer store: files and sums are written in one transaction, sums add up.
#include <filesystem>

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

TEST(BarometerStoreTest, ANonDatabaseFileIsRefused) {
  TempDir dir;
  WriteText(dir.File("not.db"), std::string(4096, 'x'));
  auto store = storage::sqlite::OpenSqliteBarometerStore(dir.File("not.db"));
  ASSERT_FALSE(store);
}

}  // namespace
}  // namespace citydip::test
