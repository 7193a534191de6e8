// Reading registry files: CSV or JSON → rows of cells by canonical column → records, with every
// problem reported as FILE:LINE: column 'NAME': MESSAGE. Value checks that do not depend on the
// file format come from core/validation.h.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/core/countries.h"
#include "citydip/core/text.h"
#include "citydip/core/validation.h"
#include "citydip/ingest/csv.h"
#include "citydip/ingest/json_locator.h"
#include "citydip/ingest/registry_columns.h"
#include "citydip/ingest/registry_io.h"

namespace citydip::ingest {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------------
// Cells and rows, independent of the file format.

struct InCell {
  bool present = false;  // the column exists for this row
  bool bad = false;      // its value was already reported as unusable
  std::string text;
  std::optional<std::vector<std::string>> list;  // a JSON array
  std::size_t line = 0;
  std::size_t position = 0;  // 1-based column (CSV) or key position (JSON)
};

struct InRow {
  std::size_t line = 0;
  std::vector<InCell> cells;                 // by canonical column index
  std::vector<Diagnostic> pre;               // problems found while reading the row
  bool decodable = true;                     // false when the row's cells cannot be trusted
  std::set<std::string, std::less<>> quiet;  // columns already reported missing
};

struct RawFile {
  RecordKind kind = RecordKind::kEvent;
  std::vector<Diagnostic> leading;  // header problems
  std::vector<InRow> rows;
  std::vector<Diagnostic> trailing;  // e.g. an unterminated quote at the end
  // CSV: the rows after `rows`, read one per call as they are decoded (the file is not held as a
  // document). False at the end, once the trailing problems are in `trailing`.
  std::function<bool(InRow& row, std::vector<Diagnostic>& trailing)> next_row;
  std::size_t more_rows = 0;  // an upper bound of the rows next_row gives
};

// Collects diagnostics in order, keeping the first `max` (all when 0) and counting all.
class Sink {
 public:
  explicit Sink(std::size_t max) : max_(max) {}

  void Add(Diagnostic diagnostic) {
    ++count_;
    if (max_ == 0 || kept_.size() < max_) {
      kept_.push_back(std::move(diagnostic));
    }
  }

  [[nodiscard]] std::size_t count() const { return count_; }
  std::vector<Diagnostic> Take() { return std::move(kept_); }

 private:
  std::size_t max_;
  std::size_t count_ = 0;
  std::vector<Diagnostic> kept_;
};

Diagnostic MakeDiagnostic(std::string_view file,
                          std::size_t line,
                          std::size_t column,
                          std::string_view column_name,
                          std::string message) {
  Diagnostic diagnostic;
  diagnostic.file = std::string(file);
  diagnostic.line = line;
  diagnostic.column = column;
  diagnostic.column_name = std::string(column_name);
  diagnostic.message = std::move(message);
  return diagnostic;
}

std::string FormatDouble(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string UnknownColumnMessage(RecordKind kind, std::string_view name, std::string_view noun) {
  std::string suggestion;
  std::size_t best = 3;
  for (const ColumnSpec& spec : ColumnSpecsOf(kind)) {
    const std::size_t distance = EditDistance(name, spec.name);
    if (distance < best) {
      best = distance;
      suggestion = std::string(spec.name);
    }
  }
  std::string message = "unknown " + std::string(noun) + " '" + std::string(name) + "' (";
  if (!suggestion.empty()) {
    message += "did you mean '" + suggestion + "'? ";
  }
  return message + "expected one of " + ColumnListText(kind) + ")";
}

std::string MissingColumnMessage(RecordKind kind, std::string_view name, std::string_view noun) {
  std::string required;
  for (const std::string& column : RequiredColumnsOf(kind)) {
    required += (required.empty() ? "" : ", ") + column;
  }
  return "missing required " + std::string(noun) + " '" + std::string(name) + "' (required for " +
         std::string(RecordKindName(kind)) + ": " + required + ")";
}

// ---------------------------------------------------------------------------------------------
// UTF-8: every invalid sequence, with its line and column.

void CheckUtf8(std::string_view path,
               std::string_view content,
               std::size_t offset_base,
               Sink& sink) {
  std::size_t start = 0;
  while (start < content.size()) {
    const auto invalid = FindInvalidUtf8(content.substr(start));
    if (!invalid) {
      return;
    }
    const std::size_t offset = start + *invalid;
    const auto [line, column] = LineAndColumnOf(content, offset);
    static constexpr char kHex[] = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(content[offset]);
    sink.Add(MakeDiagnostic(path, line, 0, "",
                            std::string("invalid UTF-8 byte 0x") + kHex[byte >> 4] +
                                kHex[byte & 0x0F] + " at column " + std::to_string(column) +
                                " (byte offset " + std::to_string(offset + offset_base) +
                                "; expected UTF-8 text: save the file as UTF-8)"));
    start = offset + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV → rows.

// A CSV file's rows after the header, read record by record (RawFile::next_row).
class CsvRowSource {
 public:
  CsvRowSource(std::string_view path,
               CsvReader reader,
               std::vector<CsvProblem> problems,
               std::vector<std::string> names,
               std::vector<int> index_of,
               std::set<std::string, std::less<>> missing,
               std::size_t column_count)
      : path_(path),
        reader_(reader),
        problems_(std::move(problems)),
        names_(std::move(names)),
        index_of_(std::move(index_of)),
        missing_(std::move(missing)),
        column_count_(column_count) {}

  // The problems of record `record` (0 is the header), in order, as diagnostics.
  void ProblemsOf(std::size_t record, std::vector<Diagnostic>& out) {
    while (next_problem_ < problems_.size() && problems_[next_problem_].record == record) {
      const CsvProblem& problem = problems_[next_problem_];
      out.push_back(MakeDiagnostic(path_, problem.line, problem.field + 1,
                                   record == 0 ? std::string() : ColumnName(problem.field),
                                   problem.message));
      ++next_problem_;
    }
    if (next_problem_ == problems_.size()) {  // keep only problems still to report
      problems_.clear();
      next_problem_ = 0;
    }
  }

  bool Next(InRow& row, std::vector<Diagnostic>& trailing) {
    CsvRecord record;
    if (!reader_.Next(record, problems_)) {
      ProblemsOf(reader_.records(), trailing);
      return false;
    }
    row = InRow();
    row.line = record.line;
    row.quiet = missing_;
    ProblemsOf(reader_.records() - 1, row.pre);
    if (record.malformed) {
      row.decodable = false;
    } else if (record.fields.size() != names_.size()) {
      row.pre.push_back(
          MakeDiagnostic(path_, record.line, 0, "",
                         "wrong number of fields: " + std::to_string(record.fields.size()) +
                             " (expected " + std::to_string(names_.size()) +
                             ", as in the header; quote fields that contain commas)"));
      row.decodable = false;
    } else {
      row.cells.resize(column_count_);
      for (std::size_t i = 0; i < record.fields.size(); ++i) {
        if (index_of_[i] < 0) {
          continue;
        }
        InCell& cell = row.cells[static_cast<std::size_t>(index_of_[i])];
        cell.present = true;
        cell.text = std::move(record.fields[i].value);
        cell.line = record.fields[i].line;
        cell.position = i + 1;
      }
    }
    return true;
  }

 private:
  [[nodiscard]] std::string ColumnName(std::size_t field) const {
    return field < names_.size() ? names_[field] : std::string();
  }

  std::string_view path_;
  CsvReader reader_;
  std::vector<CsvProblem> problems_;
  std::size_t next_problem_ = 0;
  std::vector<std::string> names_;
  std::vector<int> index_of_;
  std::set<std::string, std::less<>> missing_;
  std::size_t column_count_;
};

Result<RawFile> ReadCsvFile(std::string_view path,
                            std::string_view content,
                            const ParseOptions& options) {
  RawFile file;
  CsvReader reader(content);
  std::vector<CsvProblem> problems;
  CsvRecord header;
  if (!reader.Next(header, problems)) {
    if (reader.truncated()) {
      return Fail(ErrorCode::kInvalidData, problems.back().message,
                  std::string(path) + ":" + std::to_string(problems.back().line));
    }
    if (!options.kind) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the file is empty (expected a header line with the columns of a registry "
                  "file, e.g. " +
                      ColumnListText(RecordKind::kEvent) + ")",
                  std::string(path));
    }
    file.kind = *options.kind;
    file.leading.push_back(MakeDiagnostic(
        path, 1, 0, "",
        "the file is empty (expected a header line: " + ColumnListText(file.kind) + ")"));
    return file;
  }

  std::vector<std::string> names;
  for (const CsvField& field : header.fields) {
    names.push_back(ToLowerAscii(Trim(field.value)));
  }
  if (options.kind) {
    file.kind = *options.kind;
  } else {
    auto detected = DetectRecordKind(names);
    if (!detected) {
      return Fail(detected.error().code, detected.error().message,
                  std::string(path) + ":" + std::to_string(header.line));
    }
    file.kind = *detected;
  }
  const RecordKind kind = file.kind;

  // Header: map each position to a canonical column; report unknown, unnamed and repeated ones.
  std::vector<int> index_of(names.size(), -1);
  std::map<int, std::size_t> seen;  // canonical index -> header position
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      file.leading.push_back(MakeDiagnostic(path, header.line, i + 1, "",
                                            "column " + std::to_string(i + 1) +
                                                " of the header has no name (expected one of " +
                                                ColumnListText(kind) + ")"));
      continue;
    }
    const int index = ColumnIndexOf(kind, names[i]);
    if (index < 0) {
      file.leading.push_back(MakeDiagnostic(path, header.line, i + 1, "",
                                            UnknownColumnMessage(kind, names[i], "column")));
      continue;
    }
    if (const auto found = seen.find(index); found != seen.end()) {
      file.leading.push_back(MakeDiagnostic(
          path, header.line, i + 1, "",
          "column '" + names[i] + "' appears twice in the header (columns " +
              std::to_string(found->second + 1) + " and " + std::to_string(i + 1) + ")"));
      continue;
    }
    seen.emplace(index, i);
    index_of[i] = index;
  }
  std::set<std::string, std::less<>> missing;
  for (const std::string& required : RequiredColumnsOf(kind)) {
    if (!seen.contains(ColumnIndexOf(kind, required))) {
      file.leading.push_back(
          MakeDiagnostic(path, header.line, 0, "", MissingColumnMessage(kind, required, "column")));
      missing.insert(required);
    }
  }

  auto rows = std::make_shared<CsvRowSource>(path, reader, std::move(problems), std::move(names),
                                             std::move(index_of), std::move(missing),
                                             ColumnSpecsOf(kind).size());
  rows->ProblemsOf(0, file.leading);
  file.more_rows = CountCsvRecords(content) - 1;  // the header is one
  file.next_row = [rows](InRow& row, std::vector<Diagnostic>& trailing) {
    return rows->Next(row, trailing);
  };
  return file;
}

// ---------------------------------------------------------------------------------------------
// JSON → rows.

std::string JsonTypeName(const Json& value) {
  return value.type_name();
}

std::optional<std::string> ScalarText(const Json& value) {
  if (value.is_string()) {
    return value.get_ref<const std::string&>();
  }
  if (value.is_number_unsigned()) {
    return std::to_string(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) {
    return std::to_string(value.get<std::int64_t>());
  }
  if (value.is_number_float()) {
    return FormatDouble(value.get<double>());
  }
  if (value.is_boolean()) {
    return std::string(value.get<bool>() ? "true" : "false");
  }
  if (value.is_null()) {
    return std::string();
  }
  return std::nullopt;
}

std::string JsonErrorDetail(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." → the
  // part after the position, which our own line:column replaces.
  const std::size_t column = what.find("column ");
  const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

Result<RawFile> ReadJsonFile(std::string_view path,
                             std::string_view content,
                             const ParseOptions& options) {
  RawFile file;
  Json document;
  try {
    document = Json::parse(content.begin(), content.end());
  } catch (const Json::parse_error& error) {
    const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    const auto [line, column] = LineAndColumnOf(content, offset);
    return Fail(ErrorCode::kInvalidData, "invalid JSON: " + JsonErrorDetail(error.what()),
                std::string(path) + ":" + std::to_string(line) + ":" + std::to_string(column));
  } catch (const std::exception& error) {
    return Fail(ErrorCode::kInvalidData, std::string("invalid JSON: ") + error.what(),
                std::string(path));
  }
  if (!document.is_array()) {
    return Fail(ErrorCode::kInvalidData,
                "the top level is a JSON " + JsonTypeName(document) +
                    " (expected a JSON array of objects, one per record)",
                std::string(path));
  }
  const std::vector<JsonElementLocation> locations = LocateJsonArrayElements(content);
  const auto line_of = [&](std::size_t element) {
    return element < locations.size() ? locations[element].line : 0;
  };

  if (options.kind) {
    file.kind = *options.kind;
  } else {
    std::vector<std::string> keys;
    for (const Json& element : document) {
      if (!element.is_object()) {
        continue;
      }
      for (const auto& item : element.items()) {
        const std::string key = ToLowerAscii(item.key());
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
          keys.push_back(key);
        }
      }
    }
    if (keys.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "cannot tell the record kind of a JSON array without objects (expected --kind)",
                  std::string(path));
    }
    auto detected = DetectRecordKind(keys);
    if (!detected) {
      return Fail(detected.error().code, detected.error().message, std::string(path));
    }
    file.kind = *detected;
  }
  const RecordKind kind = file.kind;
  const auto specs = ColumnSpecsOf(kind);

  std::set<std::string> reported_unknown;
  for (std::size_t e = 0; e < document.size(); ++e) {
    const Json& element = document[e];
    InRow row;
    row.line = line_of(e);
    if (!element.is_object()) {
      row.pre.push_back(MakeDiagnostic(
          path, row.line, 0, "",
          "element " + std::to_string(e + 1) + " is a JSON " + JsonTypeName(element) +
              " (expected an object with the keys of " + std::string(RecordKindName(kind)) + ")"));
      row.decodable = false;
      file.rows.push_back(std::move(row));
      continue;
    }
    row.cells.resize(specs.size());
    std::size_t position = 0;
    for (const auto& item : element.items()) {
      ++position;
      const std::string key = ToLowerAscii(item.key());
      const std::size_t key_line =
          e < locations.size() ? locations[e].LineOf(item.key()) : row.line;
      const int index = ColumnIndexOf(kind, key);
      if (index < 0) {
        if (reported_unknown.insert(key).second) {
          row.pre.push_back(
              MakeDiagnostic(path, key_line, position, "", UnknownColumnMessage(kind, key, "key")));
        }
        continue;
      }
      const ColumnSpec& spec = specs[static_cast<std::size_t>(index)];
      InCell& cell = row.cells[static_cast<std::size_t>(index)];
      cell.present = true;
      cell.line = key_line;
      cell.position = position;
      const Json& value = item.value();
      if (value.is_array()) {
        if (!spec.list) {
          cell.bad = true;
          row.pre.push_back(MakeDiagnostic(path, key_line, position, key,
                                           "a list is not valid here (expected a single value)"));
          continue;
        }
        std::vector<std::string> list;
        for (std::size_t i = 0; i < value.size(); ++i) {
          auto text = ScalarText(value[i]);
          if (!text || value[i].is_null()) {
            cell.bad = true;
            row.pre.push_back(MakeDiagnostic(path, key_line, position, key,
                                             "list element " + std::to_string(i + 1) +
                                                 " is a JSON " + JsonTypeName(value[i]) +
                                                 " (expected a string)"));
            break;
          }
          list.push_back(std::move(*text));
        }
        cell.list = std::move(list);
        continue;
      }
      auto text = ScalarText(value);
      if (!text) {
        cell.bad = true;
        row.pre.push_back(MakeDiagnostic(
            path, key_line, position, key,
            "a JSON " + JsonTypeName(value) +
                " is not valid here (expected a string, a number, true/false or null)"));
        continue;
      }
      cell.text = std::move(*text);
    }
    for (const ColumnSpec& spec : specs) {
      if (spec.required &&
          !row.cells[static_cast<std::size_t>(ColumnIndexOf(kind, spec.name))].present) {
        row.pre.push_back(
            MakeDiagnostic(path, row.line, 0, "", MissingColumnMessage(kind, spec.name, "key")));
        row.quiet.insert(std::string(spec.name));
      }
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// Rows → records.

class RowReader {
 public:
  RowReader(std::string_view path, RecordKind kind, const InRow& row)
      : path_(path), kind_(kind), row_(row) {
    const auto specs = ColumnSpecsOf(kind);
    for (std::size_t i = 0; i < row.cells.size() && i < specs.size(); ++i) {
      if (row.cells[i].bad) {
        failed_.insert(std::string(specs[i].name));  // reported while reading the row
      }
    }
  }

  const InCell* Cell(std::string_view column) const {
    const int index = ColumnIndexOf(kind_, column);
    if (index < 0 || static_cast<std::size_t>(index) >= row_.cells.size()) {
      return nullptr;
    }
    const InCell& cell = row_.cells[static_cast<std::size_t>(index)];
    return cell.present && !cell.bad ? &cell : nullptr;
  }

  void Error(std::string_view column, std::string message) {
    const int index = ColumnIndexOf(kind_, column);
    const InCell* cell = index >= 0 && static_cast<std::size_t>(index) < row_.cells.size()
                             ? &row_.cells[static_cast<std::size_t>(index)]
                             : nullptr;
    const bool located = cell != nullptr && cell->present;
    diagnostics_.push_back(MakeDiagnostic(path_, located ? cell->line : row_.line,
                                          located ? cell->position : 0, column,
                                          std::move(message)));
    failed_.insert(std::string(column));
  }

  void RowError(std::string message) {
    diagnostics_.push_back(MakeDiagnostic(path_, row_.line, 0, "", std::move(message)));
    failed_.insert("");
  }

  [[nodiscard]] bool Failed(std::string_view column) const {
    return failed_.contains(column) || row_.quiet.contains(column);
  }
  [[nodiscard]] bool AnyError() const { return !failed_.empty(); }

  // The row's diagnostics in column order (whole-row ones last).
  std::vector<Diagnostic> TakeDiagnostics() {
    std::stable_sort(
        diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
          const auto rank = [](const Diagnostic& d) { return d.column == 0 ? SIZE_MAX : d.column; };
          return rank(a) < rank(b);
        });
    return std::move(diagnostics_);
  }

  // Free text, as written.
  std::string Text(std::string_view column) {
    const InCell* cell = Cell(column);
    if (cell == nullptr) {
      return {};
    }
    if (cell->list) {
      return JoinList(*cell->list);
    }
    return cell->text;
  }

  // A value to be parsed: trimmed.
  std::string Token(std::string_view column) { return std::string(Trim(Text(column))); }

  std::vector<std::string> List(std::string_view column) {
    const InCell* cell = Cell(column);
    if (cell == nullptr) {
      return {};
    }
    if (cell->list) {
      std::vector<std::string> values;
      for (const std::string& value : *cell->list) {
        if (!Trim(value).empty()) {
          values.emplace_back(Trim(value));
        }
      }
      return values;
    }
    return SplitList(cell->text);
  }

  // A list whose positions matter (countries parallel to cities): empty entries are kept.
  std::vector<std::string> Positional(std::string_view column) {
    const InCell* cell = Cell(column);
    if (cell == nullptr) {
      return {};
    }
    std::vector<std::string> values;
    if (cell->list) {
      for (const std::string& value : *cell->list) {
        values.emplace_back(Trim(value));
      }
      return values;
    }
    std::string_view rest = cell->text;
    if (Trim(rest).empty()) {
      return {};
    }
    while (true) {
      const std::size_t semicolon = rest.find(';');
      values.emplace_back(Trim(rest.substr(0, semicolon)));
      if (semicolon == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(semicolon + 1);
    }
    return values;
  }

  template <typename E>
  std::optional<E> Enum(std::string_view column) {
    const std::string token = Token(column);
    if (token.empty()) {
      return std::nullopt;
    }
    auto value = ParseEnum<E>(ToLowerAscii(token));  // codes are lower-case
    if (!value) {
      Error(column, BadEnum<E>(token));
    }
    return value;
  }

  template <typename E>
  E RequiredEnum(std::string_view column, E fallback) {
    const InCell* cell = Cell(column);
    if (cell != nullptr && Token(column).empty()) {
      Error(column, "missing value (expected one of " + AllowedCodes<E>() + ")");
      return fallback;
    }
    return Enum<E>(column).value_or(fallback);
  }

  template <typename E>
  std::vector<E> Enums(std::string_view column) {
    std::vector<E> values;
    for (const std::string& item : List(column)) {
      if (auto value = ParseEnum<E>(ToLowerAscii(item))) {
        values.push_back(*value);
      } else {
        Error(column, BadEnum<E>(item));
      }
    }
    return values;
  }

  PartialDate Date(std::string_view column) {
    const std::string token = Token(column);
    if (token.empty()) {
      return {};
    }
    auto date = PartialDate::Parse(token);
    if (!date) {
      Error(column, date.error().message);
      return {};
    }
    return *date;
  }

  std::optional<double> Number(std::string_view column,
                               std::string_view noun,
                               std::string_view range) {
    const std::string token = Token(column);
    if (token.empty()) {
      return std::nullopt;
    }
    double value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (error != std::errc() || end != token.data() + token.size()) {
      Error(column, "'" + token + "' is not a valid " + std::string(noun) + " (expected a number " +
                        std::string(range) + ")");
      return std::nullopt;
    }
    return value;
  }

  bool Bool(std::string_view column, bool fallback) {
    const std::string token = ToLowerAscii(Token(column));
    if (token.empty()) {
      return fallback;
    }
    if (token == "true") {
      return true;
    }
    if (token == "false") {
      return false;
    }
    Error(column, "'" + Token(column) + "' is not a valid boolean (expected true or false)");
    return fallback;
  }

  std::optional<std::string> CountryValue(std::string_view column, const std::string& text) {
    if (text.empty()) {
      return std::string();
    }
    if (auto iso3 = ResolveCountry(text)) {
      return std::string(*iso3);
    }
    Error(column, "'" + text +
                      "' is not a valid country (expected an ISO 3166-1 alpha-3 code such as CHN "
                      "or an English name such as China)");
    return std::nullopt;
  }

  std::string Country(std::string_view column) {
    return CountryValue(column, Token(column)).value_or(std::string());
  }

  CityRef City(std::string_view name_column, std::string_view country_column) {
    return {Token(name_column), Country(country_column)};
  }

  // Cities with a parallel country column: one country for all, or one per city.
  std::vector<CityRef> Cities(std::string_view name_column, std::string_view country_column) {
    std::vector<CityRef> cities;
    for (std::string& name : List(name_column)) {
      cities.push_back({std::move(name), {}});
    }
    std::vector<std::string> countries;
    bool ok = true;
    for (const std::string& text : Positional(country_column)) {
      auto iso3 = CountryValue(country_column, text);
      ok = ok && iso3.has_value();
      countries.push_back(iso3.value_or(std::string()));
    }
    if (!ok || countries.empty()) {
      return cities;
    }
    if (cities.empty()) {
      Error(country_column, "'" + Text(country_column) +
                                "' is given without a city (expected the "
                                "cities in column '" +
                                std::string(name_column) + "')");
      return cities;
    }
    if (countries.size() == 1) {
      for (CityRef& city : cities) {
        city.country = countries.front();
      }
    } else if (countries.size() == cities.size()) {
      for (std::size_t i = 0; i < cities.size(); ++i) {
        cities[i].country = countries[i];
      }
    } else {
      Error(country_column, std::to_string(countries.size()) + " countries for " +
                                std::to_string(cities.size()) +
                                " cities (expected one country for all cities or one per city, "
                                "in the order of column '" +
                                std::string(name_column) + "')");
    }
    return cities;
  }

  std::vector<Stakeholder> Stakeholders(std::string_view column) {
    std::vector<Stakeholder> stakeholders;
    for (const std::string& item : List(column)) {
      const std::size_t colon = item.find(':');
      if (colon == std::string::npos) {
        Error(column, "'" + item +
                          "' is not a valid stakeholder (expected kind:Name, with kind one of " +
                          AllowedCodes<StakeholderKind>() + ")");
        continue;
      }
      const std::string code(Trim(std::string_view(item).substr(0, colon)));
      auto kind = ParseEnum<StakeholderKind>(ToLowerAscii(code));
      if (!kind) {
        Error(column, BadEnum<StakeholderKind>(code));
        continue;
      }
      stakeholders.push_back({std::string(Trim(std::string_view(item).substr(colon + 1))), *kind});
    }
    return stakeholders;
  }

 private:
  template <typename E>
  static std::string BadEnum(std::string_view token) {
    return "'" + std::string(token) + "' is not a valid " + std::string(EnumName<E>()) +
           " (expected " + AllowedCodes<E>() + ")";
  }

  std::string_view path_;
  RecordKind kind_;
  const InRow& row_;
  std::vector<Diagnostic> diagnostics_;
  std::set<std::string, std::less<>> failed_;
};

Record DecodeCity(RowReader& in) {
  City city;
  city.name_en = in.Token("name_en");
  city.name_ko = in.Token("name_ko");
  city.name_zh = in.Token("name_zh");
  city.country = in.Country("country");
  city.kind = in.Enum<CityKind>("kind").value_or(CityKind::kCity);
  city.lat = in.Number("lat", "latitude", "from -90 to 90");
  city.lon = in.Number("lon", "longitude", "from -180 to 180");
  city.wikidata_id = in.Token("wikidata_id");
  city.sources = in.List("source_url");
  return city;
}

Record DecodePartnerRelation(RowReader& in) {
  PartnerRelation relation;
  relation.city_a = in.City("city_a", "country_a");
  relation.city_b = in.City("city_b", "country_b");
  relation.relation = in.RequiredEnum<RelationKind>("relation", RelationKind::kSister);
  relation.since = in.Date("since");
  relation.until = in.Date("until");
  relation.status = in.Enum<RelationStatus>("status").value_or(RelationStatus::kActive);
  relation.sources = in.List("source_url");
  return relation;
}

Record DecodeOrganization(RowReader& in) {
  Organization organization;
  organization.name = in.Token("name");
  organization.acronym = in.Token("acronym");
  organization.kind = in.RequiredEnum<OrgKind>("kind", OrgKind::kOther);
  CityRef secretariat = in.City("secretariat_city", "secretariat_country");
  if (!secretariat.name.empty()) {
    organization.secretariat_city = std::move(secretariat);
  } else if (!secretariat.country.empty()) {
    in.Error("secretariat_country",
             "'" + in.Token("secretariat_country") +
                 "' is given without a city (expected the city in column 'secretariat_city')");
  }
  organization.founded = in.Date("founded");
  organization.sources = in.List("source_url");
  return organization;
}

Record DecodeMembership(RowReader& in) {
  Membership membership;
  membership.city = in.City("city", "country");
  membership.organization = in.Token("organization");
  membership.role = in.Enum<MembershipRole>("role").value_or(MembershipRole::kMember);
  membership.since = in.Date("since");
  membership.until = in.Date("until");
  membership.sources = in.List("source_url");
  return membership;
}

Record DecodeOfficial(RowReader& in) {
  Official official;
  official.name_en = in.Token("name_en");
  official.name_ko = in.Token("name_ko");
  official.city = in.City("city", "country");
  const std::string office = in.Token("office");
  official.office = office.empty() ? std::string("mayor") : office;
  official.acting = in.Bool("acting", false);
  official.term_start = in.Date("term_start");
  official.term_end = in.Date("term_end");
  official.sources = in.List("source_url");
  const std::string partner = in.Token("visit_partner");
  const std::optional<Claim> claim = in.Enum<Claim>("visit_claim");
  std::vector<std::string> claim_sources = in.List("visit_source_url");
  if (!partner.empty()) {
    official.visit_claims.push_back(
        {CityRef{partner, {}}, claim.value_or(Claim::kUnknown), std::move(claim_sources)});
  } else if (claim || !claim_sources.empty()) {
    in.Error("visit_partner",
             "missing value (expected the city the visit claim is about, e.g. Beijing)");
  }
  return official;
}

Record DecodeMechanism(RowReader& in) {
  Mechanism mechanism;
  mechanism.name_en = in.Token("name_en");
  mechanism.name_ko = in.Token("name_ko");
  mechanism.cities = in.Cities("cities", "countries");
  mechanism.founded = in.Date("founded");
  mechanism.ended = in.Date("ended");
  mechanism.fields = in.List("fields");
  mechanism.sources = in.List("source_url");
  return mechanism;
}

Record DecodeEvent(RowReader& in) {
  Event event;
  event.ref = in.Token("id");
  event.date = in.Date("date");
  event.home_city = in.City("home_city", "home_country");
  event.partner_cities = in.Cities("partner_city", "partner_country");
  event.direction = in.Enum<Direction>("direction");
  event.type = in.RequiredEnum<EventType>("event_type", EventType::kOther);
  event.framework = in.Enum<Framework>("framework").value_or(Framework::kBilateral);
  event.mode = in.Enum<Mode>("mode").value_or(Mode::kOffline);
  event.level = in.Enum<Level>("level");
  event.topics = in.Enums<Topic>("topics");
  event.organization = in.Token("organization");
  event.mechanism = in.Token("mechanism");
  event.status = in.Enum<EventStatus>("status").value_or(EventStatus::kHeld);
  event.officials = in.List("officials");
  event.stakeholders = in.Stakeholders("stakeholders");
  event.title_en = in.Token("title_en");
  event.title_ko = in.Token("title_ko");
  event.notes = in.Text("notes");
  event.verified = in.Bool("verified", true);
  event.sources = in.List("source_url");
  return event;
}

Record Decode(RecordKind kind, RowReader& in) {
  switch (kind) {
    case RecordKind::kCity:
      return DecodeCity(in);
    case RecordKind::kPartnerRelation:
      return DecodePartnerRelation(in);
    case RecordKind::kOrganization:
      return DecodeOrganization(in);
    case RecordKind::kMembership:
      return DecodeMembership(in);
    case RecordKind::kOfficial:
      return DecodeOfficial(in);
    case RecordKind::kMechanism:
      return DecodeMechanism(in);
    case RecordKind::kEvent:
      return DecodeEvent(in);
  }
  return DecodeEvent(in);
}

// ---------------------------------------------------------------------------------------------
// Duplicates within a file (the app checks against the database as well).

constexpr char kSep = '\x1f';

std::string CityKey(const CityRef& city) {
  return ToLowerAscii(city.name) + kSep + city.country;
}

struct DuplicateKey {
  std::string key;
  std::string what;  // the columns that make the key, for the message
};

std::optional<DuplicateKey> KeyOf(const Record& record) {
  struct Visitor {
    std::optional<DuplicateKey> operator()(const City& city) const {
      return DuplicateKey{CityKey(city.Ref()), "name_en and country"};
    }
    std::optional<DuplicateKey> operator()(const PartnerRelation& relation) const {
      std::string a = CityKey(relation.city_a);
      std::string b = CityKey(relation.city_b);
      if (b < a) {
        std::swap(a, b);
      }
      return DuplicateKey{a + kSep + b + kSep + std::string(ToCode(relation.relation)) + kSep +
                              relation.since.ToString(),
                          "cities, relation and since"};
    }
    std::optional<DuplicateKey> operator()(const Organization& organization) const {
      return DuplicateKey{ToLowerAscii(organization.name), "name"};
    }
    std::optional<DuplicateKey> operator()(const Membership& membership) const {
      return DuplicateKey{CityKey(membership.city) + kSep + ToLowerAscii(membership.organization) +
                              kSep + std::string(ToCode(membership.role)) + kSep +
                              membership.since.ToString(),
                          "city, country, organization, role and since"};
    }
    std::optional<DuplicateKey> operator()(const Official&) const {
      return std::nullopt;  // merged or reported by MergeOfficial
    }
    std::optional<DuplicateKey> operator()(const Mechanism& mechanism) const {
      return DuplicateKey{ToLowerAscii(mechanism.name_en), "name_en"};
    }
    std::optional<DuplicateKey> operator()(const Event& event) const {
      std::vector<std::string> partners;
      for (const CityRef& partner : event.partner_cities) {
        partners.push_back(CityKey(partner));
      }
      std::sort(partners.begin(), partners.end());
      std::string key = event.date.ToString() + kSep + CityKey(event.home_city) + kSep;
      for (const std::string& partner : partners) {
        key += partner + ';';
      }
      key += kSep + std::string(ToCode(event.type)) + kSep + ToLowerAscii(Trim(event.title_en));
      return DuplicateKey{std::move(key), "date, home_city, partner_city, event_type and title_en"};
    }
  };
  return std::visit(Visitor{}, record);
}

bool SameOfficialColumns(const Official& a, const Official& b) {
  return a.name_en == b.name_en && a.name_ko == b.name_ko && a.city == b.city &&
         a.office == b.office && a.acting == b.acting && a.term_start == b.term_start &&
         a.term_end == b.term_end && a.sources == b.sources;
}

class DuplicateFinder {
 public:
  explicit DuplicateFinder(std::vector<SourceRow>& rows) : rows_(rows) {}

  // Adds the row to `rows` unless it repeats an earlier one (then reports it), or merges an
  // official's row that only adds a visit claim.
  void Accept(Record record, std::size_t line, RowReader& in) {
    if (const auto* event = std::get_if<Event>(&record); event != nullptr && !event->ref.empty()) {
      const auto [it, inserted] = refs_.emplace(event->ref, line);
      if (!inserted) {
        in.Error("id", "'" + event->ref + "' is already the id of line " +
                           std::to_string(it->second) + " (expected a unique id)");
        return;
      }
    }
    if (auto* official = std::get_if<Official>(&record)) {
      MergeOfficial(std::move(*official), line, in);
      return;
    }
    if (auto key = KeyOf(record)) {
      const auto [it, inserted] = keys_.emplace(key->key, line);
      if (!inserted) {
        in.RowError("duplicate row: same " + key->what + " as line " + std::to_string(it->second));
        return;
      }
    }
    rows_.push_back({std::move(record), line});
  }

 private:
  void MergeOfficial(Official official, std::size_t line, RowReader& in) {
    const std::string key = ToLowerAscii(official.name_en) + kSep + CityKey(official.city) + kSep +
                            official.term_start.ToString();
    const auto found = officials_.find(key);
    if (found == officials_.end()) {
      officials_.emplace(key, rows_.size());
      rows_.push_back({std::move(official), line});
      return;
    }
    SourceRow& first_row = rows_[found->second];
    auto& first = std::get<Official>(first_row.record);
    const std::string first_line = std::to_string(first_row.line);
    if (!SameOfficialColumns(first, official)) {
      in.RowError("duplicate row: same name_en, city and term_start as line " + first_line +
                  " but other values differ (expected identical official columns on rows that "
                  "add visit claims)");
      return;
    }
    if (official.visit_claims.empty()) {
      in.RowError("duplicate row: same name_en, city and term_start as line " + first_line);
      return;
    }
    const VisitClaim& claim = official.visit_claims.front();
    for (const VisitClaim& existing : first.visit_claims) {
      if (CityKey(existing.partner) == CityKey(claim.partner)) {
        in.RowError("duplicate row: the official of line " + first_line +
                    " already has a visit claim about '" + claim.partner.name + "'");
        return;
      }
    }
    first.visit_claims.push_back(claim);
  }

  std::vector<SourceRow>& rows_;
  std::unordered_map<std::string, std::size_t> keys_;
  std::unordered_map<std::string, std::size_t> refs_;
  std::unordered_map<std::string, std::size_t> officials_;  // key -> index in rows_
};

void DecodeRows(std::string_view path,
                RawFile& raw,
                ParsedFile& parsed,
                Sink& sink,
                const RowSink& parsed_options_on_rows,
                std::size_t chunk_rows) {
  for (const Diagnostic& diagnostic : raw.leading) {
    sink.Add(diagnostic);
  }
  DuplicateFinder duplicates(parsed.rows);
  const RowSink& on_rows = parsed_options_on_rows;
  const bool stream = on_rows && raw.kind != RecordKind::kOfficial;
  const std::size_t chunk = std::max<std::size_t>(1, chunk_rows);
  const std::size_t records = raw.rows.size() + raw.more_rows;
  const auto decode = [&](const InRow& row) {
    if (stream && parsed.rows.size() >= chunk) {
      on_rows(raw.kind, records, std::move(parsed.rows));
      parsed.rows.clear();
    }
    for (const Diagnostic& diagnostic : row.pre) {
      sink.Add(diagnostic);
    }
    if (!row.decodable) {
      return;
    }
    RowReader in(path, raw.kind, row);
    Record record = Decode(raw.kind, in);
    for (FieldError& error : ValidateRecord(record)) {
      if (!in.Failed(error.field)) {
        in.Error(error.field, std::move(error.message));
      }
    }
    const bool clean = !in.AnyError() && row.pre.empty();
    if (clean) {
      duplicates.Accept(std::move(record), row.line, in);
    }
    for (Diagnostic& diagnostic : in.TakeDiagnostics()) {
      sink.Add(std::move(diagnostic));
    }
  };
  for (const InRow& row : raw.rows) {
    decode(row);
  }
  if (raw.next_row) {
    InRow row;
    while (raw.next_row(row, raw.trailing)) {
      decode(row);
    }
  }
  for (const Diagnostic& diagnostic : raw.trailing) {
    sink.Add(diagnostic);
  }
  if (on_rows && !parsed.rows.empty()) {
    on_rows(raw.kind, records, std::move(parsed.rows));
    parsed.rows.clear();
  }
}

FileFormat SniffFormat(std::string_view content) {
  const std::string_view trimmed = Trim(content);
  if (!trimmed.empty() && (trimmed.front() == '[' || trimmed.front() == '{')) {
    return FileFormat::kJson;
  }
  return FileFormat::kCsv;
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
  }
  out += ": ";
  if (!column_name.empty()) {
    out += "column '" + column_name + "': ";
  }
  return out + message;
}

Result<ParsedFile> ParseRecords(std::string_view path,
                                std::string_view content,
                                const ParseOptions& options) {
  ParsedFile parsed;
  parsed.path = std::string(path);
  std::size_t offset_base = 0;
  if (content.starts_with(kBom)) {
    content.remove_prefix(kBom.size());
    offset_base = kBom.size();
  }
  parsed.format =
      options.format ? *options.format : FormatFromPath(path).value_or(SniffFormat(content));
  Sink sink(options.max_errors);

  CheckUtf8(path, content, offset_base, sink);
  if (sink.count() > 0) {
    // The rest of the file cannot be trusted; still name its kind when the header says it.
    parsed.kind = options.kind.value_or(RecordKind::kEvent);
    if (!options.kind && parsed.format == FileFormat::kCsv) {
      CsvDocument document = ReadCsv(content.substr(0, content.find_first_of("\r\n")));
      if (!document.records.empty()) {
        std::vector<std::string> names;
        for (const CsvField& field : document.records.front().fields) {
          names.push_back(ToLowerAscii(Trim(field.value)));
        }
        if (auto kind = DetectRecordKind(names)) {
          parsed.kind = *kind;
        }
      }
    }
    parsed.error_count = sink.count();
    parsed.diagnostics = sink.Take();
    return parsed;
  }

  auto raw = parsed.format == FileFormat::kCsv ? ReadCsvFile(path, content, options)
                                               : ReadJsonFile(path, content, options);
  if (!raw) {
    return Fail(raw.error());
  }
  parsed.kind = raw->kind;
  DecodeRows(path, *raw, parsed, sink, options.on_rows, options.chunk_rows);
  parsed.error_count = sink.count();
  parsed.diagnostics = sink.Take();
  return parsed;
}

std::optional<RecordKind> PeekRecordKind(const std::string& path, const ParseOptions& options) {
  const auto format = options.format ? options.format : FormatFromPath(path);
  if (format == FileFormat::kJson) {
    return std::nullopt;
  }
  if (options.kind) {
    return options.kind;
  }
  std::ifstream stream(path, std::ios::binary);
  std::string first;
  if (!stream || !std::getline(stream, first)) {
    return std::nullopt;
  }
  std::string_view line = first;
  if (line.starts_with(kBom)) {
    line.remove_prefix(kBom.size());
  }
  if (!format && SniffFormat(line) != FileFormat::kCsv) {
    return std::nullopt;
  }
  if (line.find('"') != std::string_view::npos || FindInvalidUtf8(line).has_value()) {
    return std::nullopt;  // a quoted header may span lines; let the parse judge it
  }
  const CsvDocument document = ReadCsv(line);
  if (document.records.empty() || !document.problems.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const CsvField& field : document.records.front().fields) {
    names.push_back(ToLowerAscii(Trim(field.value)));
  }
  auto kind = DetectRecordKind(names);
  return kind ? std::optional<RecordKind>(*kind) : std::nullopt;
}

Result<ParsedFile> ParseRecordFile(const std::string& path, const ParseOptions& options) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    if (error && error != std::errc::no_such_file_or_directory) {
      return Fail(ErrorCode::kUnavailable, "cannot read the file: " + error.message(), path);
    }
    return Fail(ErrorCode::kNotFound, "no such file (expected a CSV or JSON registry file)", path);
  }
  if (std::filesystem::is_directory(status)) {
    return Fail(ErrorCode::kInvalidArgument,
                "is a directory (expected a CSV or JSON registry file)", path);
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return Fail(ErrorCode::kUnavailable, "cannot open the file for reading", path);
  }
  // One read into a string of the file's size (a file that changes meanwhile is read as it is).
  std::string content(static_cast<std::size_t>(std::filesystem::file_size(path, error)), '\0');
  if (error) {
    return Fail(ErrorCode::kUnavailable, "cannot read the file: " + error.message(), path);
  }
  stream.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(stream.gcount()));
  if (stream.bad()) {
    return Fail(ErrorCode::kUnavailable, "reading the file failed", path);
  }
  return ParseRecords(path, content, options);
}

}  // namespace citydip::ingest
