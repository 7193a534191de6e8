// Reading and writing registry records as CSV (RFC 4180) and JSON (an array of objects), with
// validation that reports every bad value as FILE:LINE: column 'NAME': ... (no database here:
// references to cities and organizations are resolved by the app layer).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::ingest {

enum class FileFormat : std::uint8_t { kCsv, kJson };

/// One problem found in an input file.
struct Diagnostic {
  std::string file;
  std::size_t line = 0;     // 1-based physical line where the record (or the bad cell) starts
  std::size_t column = 0;   // 1-based column index; 0 when the problem concerns the whole row
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

/// Receives decoded rows as they come (see ParseOptions::on_rows): the file's kind, the number
/// of records the file holds (an upper bound of its rows), and the next rows in file order.
using RowSink = std::function<void(RecordKind kind, std::size_t records, std::vector<SourceRow>&&)>;

struct ParseOptions {
  std::optional<RecordKind> kind;    // --kind; otherwise detected from the header / keys
  std::optional<FileFormat> format;  // otherwise from the extension, then the content
  std::size_t max_errors = 20;       // --max-errors; 0 keeps every diagnostic
  /// When set, clean rows are handed to `on_rows` in chunks of `chunk_rows` while the file is
  /// decoded, instead of being kept in ParsedFile::rows, so a caller can store them meanwhile.
  /// Officials come in one chunk at the end (a later row can add a visit claim to an earlier
  /// one). Diagnostics are still returned in the ParsedFile; a file with any must not be
  /// imported, whatever was handed over.
  RowSink on_rows;
  std::size_t chunk_rows = 2048;
};

/// Parses `content` (the bytes of the file named `path`, used in messages). Fails only when the
/// kind cannot be determined or the format is unreadable as a whole (malformed JSON, an empty
/// file without --kind); row-level problems are collected in `diagnostics`, in file order. A UTF-8
/// byte order mark is skipped. Invalid UTF-8 is reported (line, column, byte offset) and stops the
/// parse; `kind` then comes from --kind or a readable CSV header, else it is kEvent.
[[nodiscard]] Result<ParsedFile> ParseRecords(std::string_view path,
                                              std::string_view content,
                                              const ParseOptions& options);

/// The kind of a CSV registry file from its first line (or --kind), without parsing the rest;
/// nullopt when that cannot tell (a JSON file, an unreadable or unrecognized header): parse it.
[[nodiscard]] std::optional<RecordKind> PeekRecordKind(const std::string& path,
                                                       const ParseOptions& options);

/// Reads and parses a file. Fails with kNotFound / kUnavailable when it cannot be read.
[[nodiscard]] Result<ParsedFile> ParseRecordFile(const std::string& path,
                                                 const ParseOptions& options);

/// Writes records of one kind in the canonical column order. Export → import → export is
/// byte-identical. CSV: LF line ends, fields quoted only when needed, lists joined by "; ".
/// JSON: an array of objects (keys in column order, two-space indent), lists as arrays, absent
/// dates, numbers and optional codes as null. An official with several visit claims becomes one
/// row per claim (reading merges them back). Records of another kind are skipped.
[[nodiscard]] std::string WriteRecords(RecordKind kind,
                                       const std::vector<Record>& records,
                                       FileFormat format);

/// The JSON export's array of objects as a value (keys sorted, as nlohmann::json keeps them), for
/// callers that embed records in a larger document.
[[nodiscard]] nlohmann::json RecordsAsJson(RecordKind kind, const std::vector<Record>& records);

/// The canonical column names of a kind, in order (the header of a CSV export).
[[nodiscard]] const std::vector<std::string>& ColumnsOf(RecordKind kind);

/// The columns a file of this kind must have (in canonical order); the others may be absent.
[[nodiscard]] const std::vector<std::string>& RequiredColumnsOf(RecordKind kind);

/// The format a path's extension names (".csv", ".json", any case), or nullopt.
[[nodiscard]] std::optional<FileFormat> FormatFromPath(std::string_view path);

/// The kind whose canonical columns best cover `columns` (a CSV header or the JSON keys): the most
/// known columns, then the fewest missing required ones. Fails with kInvalidArgument when no
/// column is known or two kinds fit equally well (pass --kind then).
[[nodiscard]] Result<RecordKind> DetectRecordKind(const std::vector<std::string>& columns);

}  // namespace citydip::ingest
