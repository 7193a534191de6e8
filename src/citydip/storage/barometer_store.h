// The GDELT barometer store ("port"): the files `citydip gdelt ingest` has recorded and the
// aggregate tables it keeps (country and city pairs per period, period totals, media volume).
// Separate from the registry Store: its own tables on the same database, opened with its own
// connection. Backends: storage/sqlite and storage/postgres (*_barometer_store.h), named only by
// the app's factory.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::storage {

/// A GDELT file as recorded: re-ingesting a recorded name or MD5 is a no-op.
struct GdeltFileRecord {
  std::string name;  // base name, e.g. 20150218230000.export.CSV.zip
  std::int64_t size = 0;
  std::string md5;          // hex MD5 of the file's bytes; "" when ingested with --no-md5
  std::string kind;         // events-v1, events-v2 or mentions
  std::string granularity;  // the period the file was aggregated by: day, month, quarter, year
  std::int64_t rows = 0;
  std::int64_t bad_rows = 0;
  std::string ingested_at;  // UTC, "YYYY-MM-DDTHH:MM:SSZ"; set by the store on Commit
};

/// The sums of one (kind, granularity, period, actor1, actor2) group.
struct BarometerSums {
  std::int64_t events = 0;
  std::int64_t root_events = 0;
  double goldstein_sum = 0;
  double goldstein_mentions_sum = 0;  // Σ GoldsteinScale × NumMentions
  double tone_sum = 0;
  std::int64_t mentions = 0;
  std::int64_t sources = 0;
  std::int64_t articles = 0;
  std::array<std::int64_t, 4> quad{};
  std::array<std::int64_t, 20> root{};
};

struct BarometerPairRow {
  std::string kind;          // "country" (CAMEO codes) or "city" (dictionary ids)
  std::string granularity;   // day, month, quarter or year
  std::string period_start;  // first day of the period, "YYYY-MM-DD"
  std::string actor1;
  std::string actor2;
  BarometerSums sums;
};

/// Every event row of a period (the denominators of normalization).
struct BarometerTotalsRow {
  std::string granularity;
  std::string period_start;
  std::int64_t events = 0;
  std::int64_t mentions = 0;
  std::int64_t sources = 0;
  std::int64_t articles = 0;
};

/// GDELT 2.0 mentions per period of MentionTimeDate.
struct MediaVolumeRow {
  std::string granularity;
  std::string period_start;
  std::int64_t mentions = 0;
  std::array<std::int64_t, 6> by_type{};
  double doc_tone_sum = 0;
  std::int64_t confidence_sum = 0;
};

/// What one Commit writes: files and the aggregates of exactly those files.
struct BarometerBatch {
  std::vector<GdeltFileRecord> files;
  std::vector<BarometerPairRow> pairs;
  /// Pair rows after `pairs`, for a batch too large to hold converted at once: each call
  /// replaces the vector's contents with the next rows, and returns false (the vector then
  /// unused) when there are none left. Called within the Commit's transaction; null for none.
  std::function<bool(std::vector<BarometerPairRow>&)> more_pairs;
  std::vector<BarometerTotalsRow> totals;
  std::vector<MediaVolumeRow> media;
};

/// Which pair rows to read; empty fields do not filter.
struct PairQuery {
  std::string kind = "country";
  std::optional<std::string> actor1;
  std::optional<std::string> actor2;
};

/// The summed columns of the backends' tables, in the order of BarometerSums / the rows' fields
/// (both backends create, write and read them by these lists).
/// gdelt_pairs: events, root_events, goldstein_sum, goldstein_mentions_sum, tone_sum, mentions,
/// sources, articles, quad1..quad4, root01..root20.
[[nodiscard]] const std::vector<std::string>& BarometerPairValueColumns();
/// gdelt_period_totals: events, mentions, sources, articles.
[[nodiscard]] const std::vector<std::string>& BarometerTotalsValueColumns();
/// gdelt_media_volume: mentions, type1..type6, doc_tone_sum, confidence_sum.
[[nodiscard]] const std::vector<std::string>& BarometerMediaValueColumns();

/// For the backends' Commit: calls write(rows) with batch.pairs, then with each chunk that
/// batch.more_pairs gives, and stops at the first error.
[[nodiscard]] Status ForEachPairChunk(
    const BarometerBatch& batch,
    const std::function<Status(const std::vector<BarometerPairRow>&)>& write);

/// Errors: kUnavailable when the database cannot be opened, read or written (busy beyond the
/// timeout, disk full); kAlreadyExists when a Commit names a file (name or MD5) already recorded.
class BarometerStore {
 public:
  BarometerStore() = default;
  BarometerStore(const BarometerStore&) = delete;
  BarometerStore& operator=(const BarometerStore&) = delete;
  virtual ~BarometerStore() = default;

  /// Creates the barometer tables when missing (in one transaction).
  [[nodiscard]] virtual Status Migrate() = 0;
  /// Every recorded file, by name.
  [[nodiscard]] virtual Result<std::vector<GdeltFileRecord>> ListFiles() = 0;
  /// In one transaction: records the files and adds the batch's sums to the stored ones. On any
  /// error nothing is written.
  [[nodiscard]] virtual Status Commit(const BarometerBatch& batch) = 0;
  /// Pair rows matching `query`, ordered by actor1, actor2, granularity, period_start.
  [[nodiscard]] virtual Result<std::vector<BarometerPairRow>> QueryPairs(
      const PairQuery& query) = 0;
  /// Every period total, ordered by granularity and period_start.
  [[nodiscard]] virtual Result<std::vector<BarometerTotalsRow>> QueryTotals() = 0;
  /// Every media-volume row, ordered by granularity and period_start.
  [[nodiscard]] virtual Result<std::vector<MediaVolumeRow>> QueryMedia() = 0;
};

}  // namespace citydip::storage
