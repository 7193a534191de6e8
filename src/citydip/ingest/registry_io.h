// Reading and writing registry records as CSV (RFC 4180) and JSON (an array of objects), with
// validation that reports every bad value as FILE:LINE: column 'NAME': ... (no database here:
// references to cities and organizations are resolved by the app layer).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::ingest {

enum class FileFormat : std::uint8_t { kCsv, kJson };

/// One problem found in an input file.
struct Diagnostic {
  std::string file;
  std::size_t line = 0;    // 1-based physical line where the record (or the bad cell) starts
  std::size_t column = 0;  // 1-based column index; 0 when the problem concerns the whole row
  std::string column_name;  // empty when the problem concerns the whole row or file
  std::string message;      // e.g. "'visitt' is not a valid event type (expected agreement, ...)"

  /// "FILE:LINE: column 'NAME': MESSAGE" (or "FILE:LINE: MESSAGE" without a column).
  [[nodiscard]] std::string ToString() const;
};

/// A parsed record with the line it came from (for messages raised later, e.g. unknown city).
struct SourceRow {
  Record record;
  std::size_t line = 0;
};

/// A parsed input file: its kind and records, or the diagnostics that rejected it.
struct ParsedFile {
  std::string path;
  RecordKind kind = RecordKind::kEvent;
  FileFormat format = FileFormat::kCsv;
  std::vector<SourceRow> rows;
  /// Every problem found, up to `max_errors`; a file with any diagnostic must not be imported.
  std::vector<Diagnostic> diagnostics;
  /// Total problems found (may exceed diagnostics.size() when capped).
  std::size_t error_count = 0;
};

struct ParseOptions {
  std::optional<RecordKind> kind;        // --kind; otherwise detected from the header / keys
  std::optional<FileFormat> format;      // otherwise from the extension, then the content
  std::size_t max_errors = 20;           // --max-errors
};

/// Parses `content` (the bytes of the file named `path`, used in messages). Fails only when the
/// kind cannot be determined or the format is unreadable as a whole; row-level problems are
/// collected in `diagnostics`.
[[nodiscard]] Result<ParsedFile> ParseRecords(std::string_view path, std::string_view content,
                                              const ParseOptions& options);

/// Reads and parses a file. Fails with kNotFound / kUnavailable when it cannot be read.
[[nodiscard]] Result<ParsedFile> ParseRecordFile(const std::string& path,
                                                 const ParseOptions& options);

/// Writes records of one kind in the canonical column order. Export → import → export is
/// byte-identical.
[[nodiscard]] std::string WriteRecords(RecordKind kind, const std::vector<Record>& records,
                                       FileFormat format);

/// The canonical column names of a kind, in order (the header of a CSV export).
[[nodiscard]] const std::vector<std::string>& ColumnsOf(RecordKind kind);

}  // namespace citydip::ingest
