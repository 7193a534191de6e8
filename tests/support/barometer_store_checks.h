// Checks both barometer backends share (GoogleTest assertions; SYNTHETIC rows).
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/storage/barometer_store.h"
#include "support/synthetic_barometer.h"

namespace citydip::test_support {

// Pair rows handed over in chunks (BarometerBatch::more_pairs) are written in the Commit's
// transaction: all of them, or, when one of them is refused, nothing of the batch. `store` has no
// rows yet; `first` and `refused` each hold one KOR -> CHN row, `first` with 2 events and files
// that `refused` does not name.
inline void ExpectPairChunksCommitAtomically(storage::BarometerStore& store,
                                             storage::BarometerBatch first,
                                             storage::BarometerBatch refused) {
  int calls = 0;
  first.more_pairs = SyntheticPairChunks(3, 150, /*bad_last=*/false, &calls);
  ASSERT_TRUE(store.Commit(first));
  EXPECT_EQ(calls, 3);
  auto pairs = store.QueryPairs({"country", std::nullopt, std::nullopt});
  ASSERT_TRUE(pairs) << pairs.error().ToString();
  ASSERT_EQ(pairs->size(), 1U + 450U);
  for (const auto& row : *pairs) {
    if (row.actor1 != "KOR") {
      EXPECT_EQ(row.actor2, "Y" + row.actor1.substr(1));
      EXPECT_EQ(row.sums.events, 1);
    }
  }

  int refused_calls = 0;
  refused.more_pairs = SyntheticPairChunks(2, 10, /*bad_last=*/true, &refused_calls);
  ASSERT_FALSE(store.Commit(refused));
  auto files = store.ListFiles();
  ASSERT_TRUE(files);
  EXPECT_EQ(files->size(), 1U);
  auto after = store.QueryPairs({"country", std::nullopt, std::nullopt});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 451U);
  auto kor = store.QueryPairs({"country", "KOR", "CHN"});
  ASSERT_TRUE(kor);
  ASSERT_EQ(kor->size(), 1U);
  EXPECT_EQ((*kor)[0].sums.events, 2);
}

}  // namespace citydip::test_support
