#include "citydip/ingest/csv.h"

#include "citydip/core/text.h"

namespace citydip::ingest {
namespace {

bool IsLineBreak(char c) {
  return c == '\n' || c == '\r';
}

// Consumes one line break (CRLF, LF or CR) at `pos`.
std::size_t SkipLineBreak(std::string_view text, std::size_t pos) {
  if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
    return pos + 2;
  }
  return pos + 1;
}

std::string Printable(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) {
    return std::string(1, c);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0x0F];
}

}  // namespace

CsvDocument ReadCsv(std::string_view text) {
  CsvDocument document;
  CsvReader reader(text);
  CsvRecord record;
  while (reader.Next(record, document.problems)) {
    document.records.push_back(std::move(record));
  }
  document.truncated = reader.truncated();
  return document;
}

std::size_t CountCsvRecords(std::string_view text) {
  std::size_t records = 0;
  bool quoted = false;      // inside a quoted field
  bool content = false;     // the record so far is more than white space
  bool field_start = true;  // only white space since the field began: a quote opens a field
  const std::size_t size = text.size();
  for (std::size_t pos = 0; pos < size; ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < size && text[pos + 1] == '"') {
          ++pos;  // a doubled quote inside the field
        } else {
          quoted = false;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        quoted = field_start;
        content = true;
        field_start = false;
        break;
      case ',':
        content = true;
        field_start = true;
        break;
      case '\n':
      case '\r':
        records += content ? 1 : 0;
        content = false;
        field_start = true;
        break;
      case ' ':
      case '\t':
        break;
      default:
        content = true;
        field_start = false;
    }
  }
  return records + (content ? 1 : 0);
}

bool CsvReader::Next(CsvRecord& out, std::vector<CsvProblem>& problems) {
  const std::string_view text = text_;
  std::size_t pos = pos_;
  std::size_t line = line_;
  const std::size_t size = text.size();
  while (pos < size) {
    if (IsLineBreak(text[pos])) {  // an empty line
      pos = SkipLineBreak(text, pos);
      ++line;
      continue;
    }
    CsvRecord record;
    record.line = line;
    while (true) {
      CsvField field;
      field.line = line;
      std::size_t start = pos;
      while (start < size && (text[start] == ' ' || text[start] == '\t')) {
        ++start;  // white space before an opening quote is not part of the field
      }
      if (start < size && text[start] == '"') {
        field.quoted = true;
        pos = start + 1;
        bool closed = false;
        while (pos < size) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < size && text[pos + 1] == '"') {
              field.value += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (IsLineBreak(c)) {
            field.value += '\n';
            pos = SkipLineBreak(text, pos);
            ++line;
            continue;
          }
          field.value += c;
          ++pos;
        }
        if (!closed) {
          problems.push_back(
              {records_, field.line, record.fields.size(),
               "unterminated quoted field (expected a closing '\"' before the end of the file)"});
          truncated_ = true;
          pos_ = size;
          line_ = line;
          return false;
        }
        while (pos < size && (text[pos] == ' ' || text[pos] == '\t')) {
          ++pos;
        }
        if (pos < size && text[pos] != ',' && !IsLineBreak(text[pos])) {
          problems.push_back(
              {records_, line, record.fields.size(),
               "unexpected '" + Printable(text[pos]) +
                   "' after a closing quote (expected ',' or the end of the line; write a quote "
                   "inside a quoted field as \"\")"});
          record.malformed = true;
          while (pos < size && text[pos] != ',' && !IsLineBreak(text[pos])) {
            ++pos;
          }
        }
      } else {
        start = pos;
        while (pos < size && text[pos] != ',' && !IsLineBreak(text[pos])) {
          ++pos;
        }
        field.value = std::string(Trim(text.substr(start, pos - start)));
      }
      record.fields.push_back(std::move(field));
      if (pos < size && text[pos] == ',') {
        ++pos;
        continue;  // another field follows, possibly empty at the end of the line
      }
      if (pos < size) {
        pos = SkipLineBreak(text, pos);
        ++line;
      }
      break;
    }
    const bool blank =
        record.fields.size() == 1 && !record.fields[0].quoted && record.fields[0].value.empty();
    if (!blank) {  // a line of white space only
      pos_ = pos;
      line_ = line;
      ++records_;
      out = std::move(record);
      return true;
    }
  }
  pos_ = pos;
  line_ = line;
  return false;
}

void AppendCsvField(std::string& out, std::string_view value) {
  bool quote = false;
  for (char c : value) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote && !value.empty() && Trim(value).size() != value.size()) {
    quote = true;
  }
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
}

void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    AppendCsvField(out, fields[i]);
  }
  out += '\n';
}

}  // namespace citydip::ingest
