// The per-thread file reader of the GDELT engine: reads one plain or zipped file through reused
// buffers, detects its kind, splits rows and fields with a SIMD scan and adds every good row to
// the file's own hash tables. Internal to the GDELT reader.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/ingest/gdelt/barometer.h"
#include "citydip/ingest/gdelt/city_dictionary.h"
#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "citydip/ingest/gdelt/internal/flat_table.h"

namespace citydip::ingest::gdelt::internal {

/// Packs a country code of 1–4 bytes into 32 bits (0 for empty); longer codes are not packable.
[[nodiscard]] inline std::uint32_t PackCode(const char* data, std::size_t size) {
  std::uint32_t packed = 0;
  for (std::size_t i = 0; i < size; ++i) {
    packed = (packed << 8) | static_cast<unsigned char>(data[i]);
  }
  return packed;
}
[[nodiscard]] std::string UnpackCode(std::uint32_t packed);

/// PairStats with 32-bit counts, for the reader's own tables: a group takes 168 bytes instead of
/// 272, so that a daily file's hash table (some 10,000 groups) stays in the core's cache while it
/// is read, and merging it into the batch, then sorting the batch out, touch less memory. No
/// count can overflow: a file adds at most ScanConfig::max_file_rows (< 2^32) rows, and a batch
/// is committed before its rows would pass kMaxBatchRows.
struct PairSums {
  std::uint32_t events = 0;
  std::uint32_t root_events = 0;
  std::array<std::uint32_t, 4> quad{};
  double goldstein_sum = 0;
  double goldstein_mentions_sum = 0;
  double tone_sum = 0;
  std::int64_t mentions = 0;
  std::int64_t sources = 0;
  std::int64_t articles = 0;
  std::array<std::uint32_t, kCameoRoots> root{};

  void Add(const PairSums& other);
  [[nodiscard]] PairStats ToStats() const;
};

/// The most rows a batch of files adds up (the limit of PairSums' counts).
inline constexpr std::uint64_t kMaxBatchRows = 0xFFFFFFFFU;

/// The permit to hold a big table (ScanConfig::big_groups): taken by the table that grows past
/// the threshold, it moves with the table (into the batch) and is given back when the table is
/// cleared or destroyed. Permits are few, so that however many big files come, at most that many
/// big tables are held at once.
class BigTablePermit {
 public:
  using Permits = std::counting_semaphore<>;

  BigTablePermit() = default;
  BigTablePermit(BigTablePermit&& other) noexcept
      : permits_(std::exchange(other.permits_, nullptr)) {}
  BigTablePermit& operator=(BigTablePermit&& other) noexcept {
    if (this != &other) {
      Release();
      permits_ = std::exchange(other.permits_, nullptr);
    }
    return *this;
  }
  BigTablePermit(const BigTablePermit&) = delete;
  BigTablePermit& operator=(const BigTablePermit&) = delete;
  ~BigTablePermit() { Release(); }

  [[nodiscard]] bool held() const { return permits_ != nullptr; }
  /// Waits for a free permit and takes it.
  void Take(Permits& permits) {
    permits.acquire();
    permits_ = &permits;
  }
  void Release() {
    if (permits_ != nullptr) {
      std::exchange(permits_, nullptr)->release();
    }
  }

 private:
  Permits* permits_ = nullptr;
};

/// A table cleared for the next file keeps its room up to this many entries (a daily file makes a
/// few thousand to tens of thousands of groups); a bigger one gives its memory back.
inline constexpr std::size_t kKeptEntries = std::size_t{1} << 16;

/// The aggregates of one file (or of a batch of files).
struct FileAggregates {
  FlatTable<PairKey, PairSums, PairKeyHash> countries;
  FlatTable<PairKey, PairSums, PairKeyHash> cities;
  FlatTable<std::int32_t, PeriodTotals, PeriodHash> totals;
  FlatTable<std::int32_t, MediaVolume, PeriodHash> media;
  std::vector<EventRecord> events;  // only with ScanConfig::keep_events
  BigTablePermit permit;            // held while the pair tables are big

  /// Empties the tables (a big one gives its memory back) and gives back the permit.
  void Clear();
  void MergeFrom(const FileAggregates& other);
  [[nodiscard]] std::size_t groups() const;
  /// Groups of the pair tables (countries and cities): what max_file_groups bounds.
  [[nodiscard]] std::size_t pair_groups() const { return countries.size() + cities.size(); }
  /// Approximate heap bytes held.
  [[nodiscard]] std::size_t MemoryBytes() const;
  /// The period totals and media volumes, sorted by period; no pairs (see SortedPairs).
  [[nodiscard]] Barometer PeriodRows(Period period) const;
  /// Every row, sorted: PeriodRows and the pairs of SortedPairs, with country codes unpacked and
  /// city indices turned into dictionary ids.
  [[nodiscard]] Barometer ToBarometer(Period period, const CityDictionary* dictionary) const;
};

/// The pair rows of aggregates in Barometer order (by kind, then the packed actors, then the
/// period), a chunk at a time: only the order (4 bytes a group) is held, and each chunk's rows
/// (some 330 bytes each, with their strings) are made when asked for. The aggregates must outlive
/// it and stay unchanged.
class SortedPairs {
 public:
  static constexpr std::size_t kChunk = 4096;

  SortedPairs(const FileAggregates& aggregates, const CityDictionary* dictionary);
  /// Fills `chunk` (cleared first) with the next rows, at most `max_rows`; false once none is
  /// left.
  bool Next(std::vector<PairRow>& chunk, std::size_t max_rows);

 private:
  const FileAggregates* aggregates_;
  const CityDictionary* dictionary_;
  std::vector<std::uint32_t> countries_;  // entry indices, in order
  std::vector<std::uint32_t> cities_;
  std::size_t next_ = 0;  // over countries_, then cities_
};

/// What every file of a run is read with.
struct ScanConfig {
  Period period = Period::kMonth;
  std::vector<std::uint32_t> countries;  // packed --countries codes; empty keeps all
  const CityDictionary* cities = nullptr;
  BadRowLimit limit;
  std::size_t examples_per_reason = 5;
  ScanKernel kernel = ScanKernel::kAuto;
  std::size_t max_file_groups = 400000;
  /// A file whose pair tables grow past this many groups takes a permit from `permits` first
  /// (waiting for one when none is free); null: no permits.
  std::size_t big_groups = 0;
  BigTablePermit::Permits* permits = nullptr;
  /// Good rows one file may add up; a file beyond fails. Checked after each read chunk (at most
  /// 2 MiB, so at most 2 Mi rows), which keeps PairSums' 32-bit counts from overflowing.
  std::uint64_t max_file_rows = 0xFFFFFFFFU - (std::uint64_t{4} << 20);
  bool keep_events = false;  // keep every good event row (FileAggregates::events), no aggregate
  /// IngestOptions::spill_events and spill_rows (null: keep every row of the file).
  const std::function<Status(const FileReport&, std::vector<EventRecord>&)>* spill_events = nullptr;
  std::size_t spill_rows = 0;
};

/// Live counters shared by the threads (for progress).
struct ScanCounters {
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> rows{0};
};

/// Reads files one at a time, reusing its buffers. One per thread.
class FileScanner {
 public:
  FileScanner();
  ~FileScanner();
  FileScanner(const FileScanner&) = delete;
  FileScanner& operator=(const FileScanner&) = delete;

  /// Reads `report.path` into `out` (cleared first) and fills the rest of `report`. Returns
  /// false, with report.error set, when the file failed as a whole or had too many bad rows.
  bool Scan(const ScanConfig& config,
            FileAggregates& out,
            FileReport& report,
            ScanCounters& counters);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace citydip::ingest::gdelt::internal
