// Bulk ingestion of GDELT files into barometer aggregates: files, directories and globs; plain
// .CSV or single-member .zip; GDELT 1.0/2.0 events and 2.0 mentions detected per file from the
// column count. Whole files are spread over threads, each with reused buffers and its own hash
// tables; a file's aggregates join the shared batch only once the whole file succeeded, and a
// batch is handed to the caller (which stores it in one transaction) with the files it covers.
// No database here: the caller passes what is already recorded and a commit callback.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/result.h"
#include "citydip/ingest/gdelt/barometer.h"
#include "citydip/ingest/gdelt/city_dictionary.h"
#include "citydip/ingest/gdelt/gdelt_format.h"
#include "citydip/ingest/gdelt/period.h"

namespace citydip::ingest::gdelt {

/// Why a row was skipped.
enum class BadRowReason : std::uint8_t {
  kColumnCount,  // a row with the wrong number of tab-separated columns (or an endless line)
  kNonNumeric,   // a number or date column that is empty or not a number
  kOutOfRange,   // a number or code outside its domain (QuadClass 7, SQLDATE 20151345, ...)
  kInvalidUtf8,  // bytes that are not UTF-8
};
inline constexpr std::size_t kBadRowReasons = 4;

/// "wrong column count", "non-numeric value", "out-of-range value", "invalid UTF-8".
[[nodiscard]] std::string_view BadRowReasonName(BadRowReason reason);

/// One skipped row, for the report.
struct BadRowExample {
  std::string file;
  std::uint64_t line = 0;  // 1-based
  int column = 0;          // 1-based; 0 for the whole row
  BadRowReason reason = BadRowReason::kColumnCount;
  std::string message;

  /// "FILE:LINE: column N: MESSAGE" (or "FILE:LINE: MESSAGE").
  [[nodiscard]] std::string ToString() const;
};

/// --max-bad-rows: a share of a file's rows ("1%", "0.5%") or a count ("100"). A file with more
/// bad rows fails (it is not recorded and its aggregates are dropped).
struct BadRowLimit {
  double fraction = 0.01;
  std::optional<std::uint64_t> count;

  /// Parses "N%" or "N"; fails with kInvalidArgument naming the text.
  [[nodiscard]] static Result<BadRowLimit> Parse(std::string_view text);
  /// True when `bad` of `total` rows is more than allowed.
  [[nodiscard]] bool Exceeded(std::uint64_t bad, std::uint64_t total) const;
  /// "1%" or "100".
  [[nodiscard]] std::string ToString() const;
};

enum class FileStatus : std::uint8_t {
  kIngested,         // read and added to the batch handed to the commit callback
  kAlreadyIngested,  // the same content (MD5) was recorded before: a no-op
  kSkipped,          // not for this store (mentions with keep_events): not recorded, no error
  kFailed,           // nothing of it was kept (see error)
};

/// What happened to one input file.
struct FileReport {
  std::string path;
  std::string name;  // the base name, recorded in the database
  std::uint64_t size = 0;
  std::string md5;  // hex of the file's bytes as given (the .zip, not its member); "" with --no-md5
  std::optional<FileKind> kind;
  FileStatus status = FileStatus::kFailed;
  std::uint64_t rows = 0;      // rows aggregated
  std::uint64_t bad_rows = 0;  // rows skipped
  std::array<std::uint64_t, kBadRowReasons> bad_by_reason{};
  std::vector<BadRowExample> examples;  // the first few per reason, in line order
  std::uint64_t data_bytes = 0;         // bytes of CSV scanned (inflated size for a .zip)
  std::optional<Error> error;           // why it failed, or why it was skipped
};

/// A file recorded by an earlier run.
struct KnownFile {
  std::string name;
  std::uint64_t size = 0;
  std::string md5;
};

/// One good event row, as a warehouse stores it (IngestOptions::keep_events): the columns the
/// barometer reads, after the same validation as the aggregates.
struct EventRecord {
  DayNumber date = 0;                // SQLDATE
  std::uint32_t actor1_country = 0;  // CAMEO code of 1-4 bytes, packed (CountryCodeText); 0: none
  std::uint32_t actor2_country = 0;
  bool is_root = false;
  std::uint8_t root_code = 1;  // EventRootCode 1..20
  std::uint8_t quad = 1;       // QuadClass 1..4
  double goldstein = 0;
  double tone = 0;
  std::uint64_t mentions = 0;
  std::uint64_t sources = 0;
  std::uint64_t articles = 0;
  /// The city each actor is attributed to: an index into IngestOptions::cities, or -1 (none, or
  /// no dictionary). The same rules as the city-pair tables, which count a row when both are set.
  std::int32_t actor1_city = -1;
  std::int32_t actor2_city = -1;
};

/// The text of a packed EventRecord country code ("" for 0).
[[nodiscard]] std::string CountryCodeText(std::uint32_t packed);

/// What the commit callback stores in one transaction: the files and the aggregates of exactly
/// those files.
struct IngestBatch {
  std::vector<const FileReport*> files;
  /// The period totals and media volumes of those files. Its pairs stay empty: they come from
  /// next_pairs.
  Barometer barometer;
  /// Hands out the pair rows of those files in Barometer order, a chunk at a time: fills `chunk`
  /// (cleared first) and returns false once none is left. A batch by day may have hundreds of
  /// thousands of pair rows; they are never all made at once. Each row comes once; call it only
  /// during the commit callback. Empty with keep_events.
  std::function<bool(std::vector<PairRow>& chunk)> next_pairs;
  /// Every good event row of those files, when IngestOptions::keep_events is set (else empty),
  /// file after file in the order of `files`.
  std::vector<EventRecord> events;
  /// With keep_events: how many of `events` each file gave, in the order of `files`.
  std::vector<std::size_t> events_per_file;
};

/// Every pair row next_pairs has left, at once (for small batches and tests).
[[nodiscard]] std::vector<PairRow> AllPairs(const IngestBatch& batch);

/// A progress snapshot, reported a few times a second while files are read.
struct IngestProgress {
  std::uint64_t files_done = 0;
  std::uint64_t files_total = 0;
  std::uint64_t rows = 0;
  std::uint64_t bytes_done = 0;   // input bytes read (compressed for .zip)
  std::uint64_t bytes_total = 0;  // sum of input file sizes
  double seconds = 0;
};

/// The row splitter's instruction set. kAuto takes the widest this CPU has (AVX-512 with VBMI2,
/// AVX2, else SSE2); the others are for tests and benchmarks (one the CPU lacks falls back to
/// kGeneric).
enum class ScanKernel : std::uint8_t { kAuto, kGeneric, kAvx2, kAvx512 };
[[nodiscard]] bool ScanKernelSupported(ScanKernel kernel);

struct IngestOptions {
  Period period = Period::kMonth;
  /// --countries: keep only country pairs with Actor1 or Actor2 in this list (CAMEO codes such as
  /// KOR). Period totals always count every row. Empty keeps all pairs.
  std::vector<std::string> countries;
  /// Worker threads; 0 = one per core.
  int threads = 0;
  BadRowLimit max_bad_rows;
  /// Cities for the city-pair tables; null or empty for none.
  const CityDictionary* cities = nullptr;
  /// Commit once the batch holds this many groups, and before a file would bring it past them
  /// (a bigger file makes a batch of its own). It is also the size of a big file: at most one
  /// file at a time (read, waiting for its MD5, or committed) may have more pair groups, a
  /// thread whose file grows beyond waiting until the previous big file is committed. So memory
  /// stays bounded whatever the input: about 200 bytes a group, for the tables of one big file
  /// and of one smaller file per thread, besides the batch.
  std::size_t flush_groups = 100000;
  /// Commit the batch before a file would bring its rows past this many. The engine counts a
  /// batch's rows in 32 bits; the default, 2^32 - 1, is also the most it accepts.
  std::uint64_t max_batch_rows = 0xFFFFFFFFU;
  /// Bad-row examples kept per reason.
  std::size_t examples_per_reason = 5;
  /// Compute each file's MD5 (the identity a re-ingest is recognised by). Off (--no-md5), files
  /// are recognised by name and size only, and MD5s are recorded empty. MD5 is a chain (about
  /// 0.5 GB/s per file); files are hashed many at once in SIMD lanes, apart from the scan, and
  /// still take a fifth to a third of the time of plain files.
  bool compute_md5 = true;
  ScanKernel scan_kernel = ScanKernel::kAuto;  // for tests and benchmarks
  /// The most (period, pair) groups one file may make. A file's aggregates stay in memory until
  /// the whole file succeeded (about 200 bytes a group), so this bounds memory whatever the
  /// input: a file beyond it fails, asking for a coarser --period. 15-minute and daily GDELT
  /// files make a few thousand to tens of thousands of groups.
  std::size_t max_file_groups = 400000;
  /// Good rows one file may add up: a file beyond fails (asking to split it). The engine counts
  /// a file's rows in 32 bits; the default, 2^32 - 4 Mi, is also the most it accepts, far above
  /// any GDELT file (a daily file has about 200,000 rows).
  std::uint64_t max_file_rows = 0xFFFFFFFFU - (std::uint64_t{4} << 20);
  /// Hand every good event row to the commit callback (IngestBatch::events), for a warehouse
  /// that stores rows, *instead of* aggregating them (IngestBatch::barometer stays empty). Rows
  /// count as groups for flush_groups, so a batch holds about flush_groups rows. Only the rows
  /// of files that succeeded are handed on.
  /// Mentions files are skipped with it (FileStatus::kSkipped; nothing of theirs would be kept).
  bool keep_events = false;
  /// With keep_events: once a file being read holds at least `spill_rows` rows, they are handed
  /// to `spill_events` (from the reading thread; the file's report names it) and dropped, so
  /// that memory stays bounded whatever the file's size. The rows left at the end come with the
  /// file's batch (IngestBatch::events_per_file counts those only). Rows are spilled before the
  /// file is known to succeed: the callee must be able to forget the rows of a file that is not
  /// committed (IngestReport says which files were). A failed spill fails the file.
  std::function<Status(const FileReport&, std::vector<EventRecord>&)> spill_events;
  std::size_t spill_rows = 100000;
};

/// The outcome of a run.
struct IngestReport {
  std::vector<FileReport> files;  // in input order
  std::uint64_t rows = 0;
  std::uint64_t bad_rows = 0;
  std::array<std::uint64_t, kBadRowReasons> bad_by_reason{};
  /// The first examples per reason over all files, in file then line order.
  std::vector<BadRowExample> examples;
  std::uint64_t input_bytes = 0;  // bytes of the files read
  std::uint64_t data_bytes = 0;   // bytes of CSV scanned
  std::size_t ingested = 0;
  std::size_t already_ingested = 0;
  std::size_t skipped = 0;
  std::size_t failed = 0;
  int threads = 0;
  double seconds = 0;
};

using CommitFn = std::function<Status(const IngestBatch&)>;
using ProgressFn = std::function<void(const IngestProgress&)>;

/// Expands files, directories (their *.csv and *.zip files, any case, recursively) and glob
/// patterns into a sorted list without duplicates. Fails with kNotFound naming an input that
/// matches nothing.
[[nodiscard]] Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& inputs);

/// Reads `paths` and hands the aggregates of the files that succeeded to `commit`, in batches.
/// Files whose name or content is in `known` are not read again. Fails only when `commit`
/// fails (files of batches committed before stay recorded) or the options are invalid; a file
/// that fails is reported in the result.
[[nodiscard]] Result<IngestReport> IngestFiles(const std::vector<std::string>& paths,
                                               const IngestOptions& options,
                                               const std::vector<KnownFile>& known,
                                               const CommitFn& commit,
                                               const ProgressFn& progress = {});

/// Parses a --countries list ("KOR,CHN"): comma-separated CAMEO country codes of 3 upper-case
/// letters. Fails with kInvalidArgument naming the bad code.
[[nodiscard]] Result<std::vector<std::string>> ParseCountryList(std::string_view text);

/// The hex MD5 of a file's bytes. kNotFound / kUnavailable when it cannot be read.
[[nodiscard]] Result<std::string> Md5OfFile(const std::string& path);

}  // namespace citydip::ingest::gdelt
