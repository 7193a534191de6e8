// The per-thread file reader of the GDELT engine: reads one plain or zipped file through reused
// buffers, detects its kind, splits rows and fields with a SIMD scan and adds every good row to
// the file's own hash tables. Internal to the GDELT reader.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
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

/// The aggregates of one file (or of a batch of files).
struct FileAggregates {
  FlatTable<PairKey, PairStats, PairKeyHash> countries;
  FlatTable<PairKey, PairStats, PairKeyHash> cities;
  FlatTable<std::int32_t, PeriodTotals, PeriodHash> totals;
  FlatTable<std::int32_t, MediaVolume, PeriodHash> media;
  std::vector<EventRecord> events;  // only with ScanConfig::keep_events

  void Clear();
  void MergeFrom(const FileAggregates& other);
  [[nodiscard]] std::size_t groups() const;
  /// Approximate heap bytes held.
  [[nodiscard]] std::size_t MemoryBytes() const;
  /// Sorted rows, with country codes unpacked and city indices turned into dictionary ids.
  [[nodiscard]] Barometer ToBarometer(Period period, const CityDictionary* dictionary) const;
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
