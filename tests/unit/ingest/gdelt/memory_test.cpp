// What keeps the engine's memory bounded whatever the input: the hash tables' entry blocks, the
// pair rows handed out a chunk at a time, the permit a big file's tables take, and the batch
// committed before a file would bring it past flush_groups.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "citydip/ingest/gdelt/internal/file_scanner.h"
#include "citydip/ingest/gdelt/internal/flat_table.h"
#include "gdelt_test_support.h"

namespace citydip::test {
namespace {

using gdelt::internal::PairKey;
using gdelt::internal::PairKeyHash;

struct Count {
  std::int64_t value = 0;
  void Add(const Count& other) { value += other.value; }
};
using Table = gdelt::internal::FlatTable<PairKey, Count, PairKeyHash>;

PairKey KeyOf(std::uint32_t i) {
  return PairKey{static_cast<std::int32_t>(i % 97), i, i * 7 + 1};
}

// Entries span several blocks, keep their insertion order and their addresses while the table
// grows, and merge by key.
TEST(GdeltFlatTableTest, EntriesSpanBlocksAndStayPut) {
  constexpr std::uint32_t kEntries = 3 * Table::kBlock + 5;
  Table table;
  std::vector<const Count*> addresses;
  for (std::uint32_t i = 0; i < kEntries; ++i) {
    Count& count = table[KeyOf(i)];
    count.value = i;
    addresses.push_back(&count);
  }
  ASSERT_EQ(table.size(), kEntries);
  for (std::uint32_t i = 0; i < kEntries; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(table.EntryAt(i).first, KeyOf(i));
    EXPECT_EQ(&table[KeyOf(i)], addresses[i]);  // found again, never moved
    EXPECT_EQ(table[KeyOf(i)].value, i);
  }
  std::uint32_t seen = 0;
  table.ForEach([&](const PairKey& key, const Count& count) {
    EXPECT_EQ(key, KeyOf(seen));
    EXPECT_EQ(count.value, seen);
    ++seen;
  });
  EXPECT_EQ(seen, kEntries);

  Table other;
  other[KeyOf(1)].value = 100;
  other[KeyOf(kEntries)].value = 5;  // new
  table.MergeFrom(other);
  EXPECT_EQ(table.size(), kEntries + 1);
  EXPECT_EQ(table[KeyOf(1)].value, 101);
  EXPECT_EQ(table[KeyOf(kEntries)].value, 5);
}

// Cleared, a table keeps its room up to keep_entries (reused by the next file, with fresh values)
// and gives a bigger one back.
TEST(GdeltFlatTableTest, ClearKeepsSmallRoomAndGivesBigRoomBack) {
  Table table;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    table[KeyOf(i)].value = 1;
  }
  const std::size_t used = table.MemoryBytes();
  ASSERT_GE(used, 2000 * sizeof(Table::Entry));
  table.Clear(/*keep_entries=*/4096);
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.MemoryBytes(), used);
  EXPECT_EQ(table[KeyOf(3)].value, 0);  // a reused entry starts from zero
  EXPECT_EQ(table.size(), 1U);

  for (std::uint32_t i = 0; i < 2000; ++i) {
    table[KeyOf(i)].value = 1;
  }
  table.Clear(/*keep_entries=*/1000);
  EXPECT_TRUE(table.empty());
  EXPECT_LT(table.MemoryBytes(), used / 8);
  EXPECT_EQ(table[KeyOf(3)].value, 0);
}

// Pair rows handed out a few at a time come in the order, and with the sums, of the whole
// Barometer: countries first, then cities.
TEST(GdeltSortedPairsTest, ChunksAddUpToTheWholeBarometer) {
  auto dictionary = gdelt::CityDictionary::Parse(
      "id,name_en,name_ko,country,actor_names,feature_ids,adm1_codes,actor_types,note\n"
      "seoul,Seoul,서울,KOR,SEOUL,,,,\n"
      "beijing,Beijing,베이징,CHN,BEIJING,,,,\n",
      "cities.csv");
  ASSERT_TRUE(dictionary) << dictionary.error().ToString();
  gdelt::internal::FileAggregates aggregates;
  for (std::uint32_t i = 0; i < 50; ++i) {
    const std::uint32_t actor1 = gdelt::internal::PackCode("KOR", 3) + (i % 7);
    aggregates.countries[PairKey{static_cast<std::int32_t>(16000 - i), actor1, i}].events = i + 1;
  }
  aggregates.cities[PairKey{16000, 1, 0}].events = 3;
  aggregates.cities[PairKey{16000, 0, 1}].events = 4;
  const gdelt::Barometer whole = aggregates.ToBarometer(gdelt::Period::kDay, &*dictionary);
  ASSERT_EQ(whole.pairs.size(), 52U);

  gdelt::internal::SortedPairs pairs(aggregates, &*dictionary);
  std::vector<gdelt::PairRow> chunk;
  std::vector<gdelt::PairRow> all;
  std::vector<std::size_t> sizes;
  while (pairs.Next(chunk, 8)) {
    sizes.push_back(chunk.size());
    all.insert(all.end(), chunk.begin(), chunk.end());
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{8, 8, 8, 8, 8, 8, 4}));
  EXPECT_FALSE(pairs.Next(chunk, 8));
  EXPECT_TRUE(chunk.empty());
  ASSERT_EQ(all.size(), whole.pairs.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(all[i].kind, whole.pairs[i].kind);
    EXPECT_EQ(all[i].period_start, whole.pairs[i].period_start);
    EXPECT_EQ(all[i].actor1, whole.pairs[i].actor1);
    EXPECT_EQ(all[i].actor2, whole.pairs[i].actor2);
    EXPECT_EQ(all[i].stats, whole.pairs[i].stats);
  }
  EXPECT_EQ(all[50].kind, gdelt::PairKind::kCity);
  EXPECT_EQ(all[50].actor1, "seoul");
  EXPECT_EQ(all[50].actor2, "beijing");
  EXPECT_EQ(all[51].actor1, "beijing");
}

// A file whose tables grow past big_groups takes the permit; a second one waits at that size
// until the first's tables are cleared, then goes on to the same aggregates as read alone.
TEST(GdeltBigTablePermitTest, ASecondBigFileWaitsUntilTheFirstIsCleared) {
  gdelt::internal::ScanConfig config;
  config.period = gdelt::Period::kDay;
  config.big_groups = 20;  // each sample makes hundreds of country-pair groups
  gdelt::internal::BigTablePermit::Permits permits(1);
  config.permits = &permits;
  gdelt::internal::ScanCounters counters;

  gdelt::internal::FileScanner first_scanner;
  gdelt::internal::FileAggregates first;
  gdelt::FileReport first_report;
  first_report.path = V2EventSamples()[0];
  ASSERT_TRUE(first_scanner.Scan(config, first, first_report, counters));
  ASSERT_GT(first.pair_groups(), config.big_groups);
  EXPECT_TRUE(first.permit.held());

  gdelt::internal::FileAggregates second;
  gdelt::FileReport second_report;
  second_report.path = V2EventSamples()[1];
  std::atomic<bool> done{false};
  bool scanned = false;
  std::thread reader([&] {
    gdelt::internal::FileScanner scanner;
    scanned = scanner.Scan(config, second, second_report, counters);
    done.store(true);
  });
  // It cannot finish while the first holds the permit (a scan of the sample takes about a
  // millisecond; the wait only makes a wrong pass unlikely, never a right one fail).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(done.load());
  first.Clear();
  EXPECT_FALSE(first.permit.held());
  reader.join();
  ASSERT_TRUE(scanned) << (second_report.error ? second_report.error->ToString() : "");
  EXPECT_TRUE(second.permit.held());

  // The same aggregates as without permits.
  gdelt::internal::ScanConfig unbounded = config;
  unbounded.permits = nullptr;
  gdelt::internal::FileAggregates alone;
  gdelt::FileReport alone_report;
  alone_report.path = V2EventSamples()[1];
  ASSERT_TRUE(first_scanner.Scan(unbounded, alone, alone_report, counters));
  EXPECT_FALSE(alone.permit.held());
  const gdelt::Barometer got = second.ToBarometer(config.period, nullptr);
  const gdelt::Barometer want = alone.ToBarometer(config.period, nullptr);
  ASSERT_EQ(got.pairs.size(), want.pairs.size());
  for (std::size_t i = 0; i < got.pairs.size(); ++i) {
    EXPECT_EQ(got.pairs[i].stats, want.pairs[i].stats) << i;
  }
  EXPECT_EQ(got.totals.size(), want.totals.size());
}

// With every file bigger than flush_groups, on 3 threads with MD5s (so that files also wait for
// their hash holding the permit): each file is a batch of its own, the run ends, and the
// aggregates are the reference's.
TEST(GdeltBigTablePermitTest, BigFilesAreCommittedOneAtATime) {
  gdelt::IngestOptions options;
  options.threads = 3;
  options.period = gdelt::Period::kDay;
  options.flush_groups = 20;
  const EngineResult got = RunEngine(AllEventSamples(), options);
  ExpectSameAggregates(ReferenceAggregate(AllEventSamples(), "day"), got);
  std::set<std::string> names;
  for (const auto& batch : got.batch_files) {
    EXPECT_EQ(batch.size(), 1U);
    names.insert(batch.begin(), batch.end());
  }
  EXPECT_EQ(names.size(), AllEventSamples().size());
}

// A batch is committed before a file would bring it past flush_groups, so that it never holds
// more (besides one file bigger than that): with a limit between one and two files' groups,
// every batch is one file.
TEST(GdeltBatchTest, ABatchIsCommittedBeforeAFileWouldBringItPastFlushGroups) {
  gdelt::IngestOptions options;
  options.threads = 1;
  options.period = gdelt::Period::kDay;
  std::vector<std::string> paths = V2EventSamples();
  paths.pop_back();  // the 4 plain 15-minute files of one day
  // Each file alone, and any two together.
  std::size_t largest = 0;
  std::size_t smallest_two = SIZE_MAX;
  std::vector<std::size_t> groups;
  for (const auto& path : paths) {
    options.flush_groups = 1000000;
    const EngineResult one = RunEngine({path}, options);
    groups.push_back(one.pairs.size() + one.totals.size());
    largest = std::max(largest, groups.back());
  }
  for (std::size_t i = 0; i + 1 < paths.size(); ++i) {
    const EngineResult two = RunEngine({paths[i], paths[i + 1]}, options);
    smallest_two = std::min(smallest_two, two.pairs.size() + two.totals.size());
  }
  ASSERT_LT(largest, smallest_two);
  options.flush_groups = largest;
  const EngineResult got = RunEngine(paths, options);
  ExpectSameAggregates(ReferenceAggregate(paths, "day"), got);
  EXPECT_EQ(got.batch_files.size(), paths.size());
  for (const auto& batch : got.batch_files) {
    EXPECT_EQ(batch.size(), 1U);
  }
}

}  // namespace
}  // namespace citydip::test
