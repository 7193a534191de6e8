// RFC 4180 CSV, read and written byte-exactly: fields separated by ',', records by CRLF, LF or CR;
// quoted fields may hold commas, doubled quotes and line breaks. Reading keeps the physical line of
// every record and field, so messages can point at the right line even after a quoted line break.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace citydip::ingest {

/// One field as read. Unquoted fields are trimmed of surrounding white space; quoted fields keep
/// their content exactly, except that line breaks inside them become "\n".
struct CsvField {
  std::string value;
  std::size_t line = 0;  // 1-based physical line where the field starts
  bool quoted = false;
};

/// One record (row) as read.
struct CsvRecord {
  std::size_t line = 0;  // 1-based physical line where the record starts
  std::vector<CsvField> fields;
  bool malformed = false;  // a field had text after its closing quote (see CsvProblem)
};

/// A problem that breaks the CSV syntax itself.
struct CsvProblem {
  std::size_t record = 0;  // index of the record in CsvDocument::records (records.size() when the
                           // record could not be completed)
  std::size_t line = 0;
  std::size_t field = 0;  // 0-based index of the field in its record
  std::string message;
};

/// The records of a document. After an unterminated quote nothing more can be read: `records`
/// holds what came before, `problems` ends with the unterminated quote and `truncated` is set.
struct CsvDocument {
  std::vector<CsvRecord> records;
  std::vector<CsvProblem> problems;
  bool truncated = false;
};

/// Reads CSV text (without a byte order mark). Empty lines between records are skipped.
[[nodiscard]] CsvDocument ReadCsv(std::string_view text);

/// The number of records ReadCsv would return, counted without reading them (one more when the
/// text ends inside a quoted field).
[[nodiscard]] std::size_t CountCsvRecords(std::string_view text);

/// Reads CSV text record by record, as ReadCsv does all at once, so that a large file need not be
/// held as a document. `text` must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  /// Reads the next record into `record` and appends its problems to `problems` (their `record`
  /// counts the records returned before it). False at the end of the text, or after an
  /// unterminated quote (then the last problem says so and truncated() is true).
  bool Next(CsvRecord& record, std::vector<CsvProblem>& problems);

  /// The number of records returned so far.
  [[nodiscard]] std::size_t records() const { return records_; }
  [[nodiscard]] bool truncated() const { return truncated_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t records_ = 0;
  bool truncated_ = false;
};

/// Appends one field, quoted when it holds a comma, a quote, a line break or surrounding white
/// space (which an unquoted field would lose).
void AppendCsvField(std::string& out, std::string_view value);

/// Appends one record terminated by "\n".
void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields);

}  // namespace citydip::ingest
