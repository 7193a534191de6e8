// Fetching GDELT files over HTTP: GDELT 2.0's master file list (gdeltv2/masterfilelist.txt,
// "SIZE MD5 URL" lines) or GDELT 1.0's index (events/md5sums, "MD5  NAME" lines), then every
// listed file in a date range that is not complete on disk yet: partial downloads resume with a
// Range request, sizes and MD5s are checked against the list, 429 and 5xx answers are retried
// with exponential backoff (Retry-After is honoured). Network I/O only; no database.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/result.h"

namespace citydip::ingest::gdelt {

/// A file named by GDELT's list.
struct RemoteFile {
  std::string name;  // e.g. 20150218230000.export.CSV.zip
  std::string path;  // under the base URL, e.g. /gdeltv2/20150218230000.export.CSV.zip
  std::optional<std::uint64_t> size;  // v2 lists give sizes, v1 md5sums do not
  std::string md5;                    // lower-case hex
  DayNumber first_day = 0;            // the span of days the file covers
  DayNumber last_day = 0;
};

/// Parses GDELT 2.0's masterfilelist.txt, keeping event exports (and mentions when asked).
/// Lines that are not "SIZE MD5 URL" are kInvalidData naming the line.
[[nodiscard]] Result<std::vector<RemoteFile>> ParseMasterFileList(std::string_view text,
                                                                  bool mentions);
/// Parses GDELT 1.0's events/md5sums: daily YYYYMMDD.export.CSV.zip, monthly YYYYMM.zip and
/// yearly YYYY.zip files (other names are skipped).
[[nodiscard]] Result<std::vector<RemoteFile>> ParseV1Index(std::string_view text);

/// Parses "YYYY-MM-DD" or "YYYYMMDD"; kInvalidArgument naming the text.
[[nodiscard]] Result<DayNumber> ParseFetchDate(std::string_view text);

struct FetchOptions {
  std::string base_url = "http://data.gdeltproject.org";  // scheme://host[:port][/prefix]
  std::string dir = "gdelt-data";
  int version = 2;  // 2: gdeltv2/masterfilelist.txt, 1: events/md5sums
  bool mentions = false;
  DayNumber since = 0;
  std::optional<DayNumber> until;          // inclusive
  int max_attempts = 5;                    // per file, for 429, 5xx and network errors
  std::chrono::milliseconds backoff{500};  // doubled after every failed attempt
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::seconds timeout{120};
  std::function<void(const std::string&)> log;  // progress lines; may be empty
};

/// A listed file that is complete and verified on disk.
struct FetchedFile {
  RemoteFile remote;
  std::string local_path;
  bool downloaded = false;  // fetched now (false: it was already complete)
  bool resumed = false;     // continued from a partial download
  int attempts = 0;
};

struct FetchReport {
  std::size_t listed = 0;  // files of the list in the date range
  std::vector<FetchedFile> files;
  std::vector<Error> failures;  // files that could not be fetched and verified
};

/// Reads the list and fetches the missing files of the range into `dir` (created when missing).
/// Fails only when the list itself cannot be read or parsed, or `dir` cannot be created; a file
/// that fails is reported in `failures` and left out.
[[nodiscard]] Result<FetchReport> FetchFiles(const FetchOptions& options);

}  // namespace citydip::ingest::gdelt
