// Monthly barometer rows made up for tests (SYNTHETIC: not GDELT data): KOR↔CHN in both
// directions, optionally a Seoul↔Beijing city pair, with a tone that differs by direction, and
// 1,000 events per month in the period totals.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "citydip/storage/barometer_store.h"

namespace citydip::test_support {

// KOR→CHN tone is 1 + 0.1 w and CHN→KOR −1 + 0.1 w (w = (12 year + month) mod 7 − 3), so the
// country asymmetry is exactly 2; Seoul→Beijing 2 + 0.1 w, Beijing→Seoul 0.5 + 0.2 w.
inline storage::BarometerBatch SyntheticKorChnBarometer(int first_year,
                                                        int last_year,
                                                        bool with_cities) {
  storage::BarometerBatch batch;
  batch.files.push_back({"synthetic.export.CSV", 1, "", "events-v2", "month", 1, 0, ""});
  for (int year = first_year; year <= last_year; ++year) {
    for (int month = 1; month <= 12; ++month) {
      char start[16];
      std::snprintf(start, sizeof(start), "%04d-%02d-01", year, month);
      const double wave = (year * 12 + month) % 7 - 3.0;
      for (const auto& [a1, a2, kind, tone] :
           {std::tuple{"KOR", "CHN", "country", 1.0}, std::tuple{"CHN", "KOR", "country", -1.0},
            std::tuple{"seoul", "beijing", "city", 2.0},
            std::tuple{"beijing", "seoul", "city", 0.5 + 0.1 * wave}}) {
        if (!with_cities && std::string_view(kind) == "city") {
          continue;
        }
        storage::BarometerPairRow row;
        row.kind = kind;
        row.granularity = "month";
        row.period_start = start;
        row.actor1 = a1;
        row.actor2 = a2;
        row.sums.events = 10;
        row.sums.goldstein_sum = 10.0 * wave;
        row.sums.tone_sum = 10.0 * (tone + 0.1 * wave);
        row.sums.quad = {4, 2, 3, 1};
        batch.pairs.push_back(row);
      }
      batch.totals.push_back({"month", start, 1000, 0, 0, 0});
    }
  }
  return batch;
}

// A BarometerBatch::more_pairs giving `chunks` chunks of `rows` country pair rows each, then
// none: X<n> -> Y<n> (n = 0, 1, ...), each 1 event in 2015-03; with `bad_last`, the last chunk's
// last row has a kind no table accepts. `calls` counts the chunks given.
inline std::function<bool(std::vector<storage::BarometerPairRow>&)> SyntheticPairChunks(
    int chunks, int rows, bool bad_last, int* calls) {
  return [=](std::vector<storage::BarometerPairRow>& chunk) {
    chunk.clear();
    if (*calls == chunks) {
      return false;
    }
    for (int i = 0; i < rows; ++i) {
      const int n = *calls * rows + i;
      storage::BarometerPairRow row;
      row.kind = bad_last && *calls == chunks - 1 && i == rows - 1 ? "bogus" : "country";
      row.granularity = "month";
      row.period_start = "2015-03-01";
      row.actor1 = "X" + std::to_string(n);
      row.actor2 = "Y" + std::to_string(n);
      row.sums.events = 1;
      chunk.push_back(row);
    }
    ++*calls;
    return true;
  };
}

}  // namespace citydip::test_support
