#include "citydip/report/xlsx.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "citydip/core/text.h"
#include "citydip/report/html.h"
#include "citydip/report/internal/temp_dir.h"

namespace citydip::report {
namespace {

constexpr double kDefaultWidth = 14;
constexpr double kMaxWidth = 100;

/// The workbook's formats.
struct Formats {
  lxw_format* header = nullptr;
  lxw_format* text = nullptr;
  lxw_format* link = nullptr;
  lxw_format* title = nullptr;
  lxw_format* missing = nullptr;
};

Error XlsxError(lxw_error error, const std::string& path) {
  const ErrorCode code =
      error == LXW_ERROR_CREATING_XLSX_FILE || error == LXW_ERROR_CREATING_TMPFILE
          ? ErrorCode::kUnavailable
          : ErrorCode::kInternal;
  const std::string message =
      code == ErrorCode::kUnavailable
          ? "cannot write the file"
          : std::string("cannot write the workbook: ") + lxw_strerror(error);
  return Error{code, message, path};
}

/// Excel keeps at most 32767 characters in a cell.
std::string CellText(const std::string& text) {
  constexpr std::size_t kMax = 32767;
  if (text.size() <= kMax) {
    return text;
  }
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return text.substr(0, cut);
}

void WriteCell(
    lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const Cell& cell, const Formats& formats) {
  if (cell.number) {
    worksheet_write_number(sheet, row, col, *cell.number, nullptr);
    return;
  }
  if (!cell.links.empty()) {
    // One web URL: a hyperlink. Several: the URLs as text, one per line.
    if (cell.links.size() == 1 && cell.text.empty() && IsWebUrl(cell.links.front()) &&
        worksheet_write_url(sheet, row, col, cell.links.front().c_str(), formats.link) ==
            LXW_NO_ERROR) {
      return;
    }
    std::string text = cell.text;
    for (const auto& url : cell.links) {
      if (!text.empty()) {
        text += "\n";
      }
      text += url;
    }
    worksheet_write_string(sheet, row, col, CellText(text).c_str(), formats.text);
    return;
  }
  if (!cell.text.empty()) {
    worksheet_write_string(sheet, row, col, CellText(cell.text).c_str(), formats.text);
  }
}

void WriteHeader(lxw_worksheet* sheet,
                 const std::vector<std::string>& headers,
                 const std::vector<double>& widths,
                 const Formats& formats) {
  for (std::size_t col = 0; col < headers.size(); ++col) {
    const auto c = static_cast<lxw_col_t>(col);
    worksheet_write_string(sheet, 0, c, CellText(headers[col]).c_str(), formats.header);
    const double width = col < widths.size() ? widths[col] : kDefaultWidth;
    worksheet_set_column(sheet, c, c, std::min(width, kMaxWidth), nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
}

Status Write(const Document& document, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    return Fail(ErrorCode::kUnavailable, "cannot write the file", path);
  }
  Formats formats;
  formats.header = workbook_add_format(workbook);
  format_set_bold(formats.header);
  format_set_bg_color(formats.header, 0xEEF2F6);
  format_set_bottom(formats.header, LXW_BORDER_THIN);
  formats.text = workbook_add_format(workbook);
  format_set_text_wrap(formats.text);
  format_set_align(formats.text, LXW_ALIGN_VERTICAL_TOP);
  formats.link = workbook_add_format(workbook);
  format_set_underline(formats.link, LXW_UNDERLINE_SINGLE);
  format_set_font_color(formats.link, LXW_COLOR_BLUE);
  format_set_align(formats.link, LXW_ALIGN_VERTICAL_TOP);
  formats.missing = workbook_add_format(workbook);
  format_set_font_color(formats.missing, 0x9A3412);
  format_set_text_wrap(formats.missing);

  lxw_doc_properties properties{};
  std::string title = document.title;
  std::string author = "citydip";
  properties.title = title.data();
  properties.author = author.data();
  workbook_set_properties(workbook, &properties);

  std::vector<std::string> taken;
  // The first sheet: the report's facts and each section's data status.
  const std::string meta_name = SheetName(document.meta_sheet, taken);
  taken.push_back(meta_name);
  lxw_worksheet* meta = workbook_add_worksheet(workbook, meta_name.c_str());
  WriteHeader(meta, {document.label_field, document.label_value}, {28, 90}, formats);
  lxw_row_t row = 1;
  worksheet_write_string(meta, row, 0, "title", formats.text);
  worksheet_write_string(meta, row++, 1, CellText(document.title).c_str(), formats.text);
  for (const auto& [field, value] : document.meta) {
    worksheet_write_string(meta, row, 0, CellText(field).c_str(), formats.text);
    worksheet_write_string(meta, row++, 1, CellText(value).c_str(), formats.text);
  }
  ++row;
  worksheet_write_string(meta, row, 0, CellText(document.label_section).c_str(), formats.header);
  worksheet_write_string(meta, row++, 1, CellText(document.label_missing).c_str(), formats.header);
  for (const auto& section : document.sections) {
    worksheet_write_string(meta, row, 0, CellText(section.title).c_str(), formats.text);
    if (!section.missing.empty()) {
      worksheet_write_string(meta, row, 1, CellText(section.missing).c_str(), formats.missing);
    }
    ++row;
  }

  for (const auto& section : document.sections) {
    for (const auto& table : section.tables) {
      const std::string name = SheetName(table.sheet.empty() ? table.title : table.sheet, taken);
      taken.push_back(name);
      lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
      if (sheet == nullptr) {
        workbook_close(workbook);
        return Fail(ErrorCode::kInternal, "cannot add the sheet '" + name + "'", path);
      }
      WriteHeader(sheet, table.headers, table.widths, formats);
      if (table.rows.empty()) {
        worksheet_write_string(sheet, 1, 0, CellText(table.empty_note).c_str(), formats.missing);
        continue;
      }
      for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& cells = table.rows[r];
        for (std::size_t col = 0; col < table.headers.size() && col < cells.size(); ++col) {
          WriteCell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(col), cells[col],
                    formats);
        }
      }
      if (!table.headers.empty()) {
        worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                             static_cast<lxw_col_t>(table.headers.size() - 1));
      }
    }
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return Fail(XlsxError(error, path));
  }
  return Ok();
}

}  // namespace

std::string SheetName(const std::string& wanted, const std::vector<std::string>& taken) {
  std::string clean;
  for (const char c : wanted) {
    clean += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  }
  while (!clean.empty() && clean.front() == '\'') {
    clean.erase(0, 1);
  }
  if (clean.empty()) {
    clean = "Sheet";
  }
  // Excel counts characters (UTF-16 units; the names here are in the BMP): cut at 31 code points.
  const auto cut = [](const std::string& text, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        if (chars == max_chars) {
          return text.substr(0, i);
        }
        ++chars;
      }
    }
    return text;
  };
  const auto is_taken = [&](const std::string& name) {
    return std::any_of(taken.begin(), taken.end(), [&](const std::string& other) {
      return ToLowerAscii(other) == ToLowerAscii(name);
    });
  };
  std::string name = cut(clean, 31);
  for (int n = 2; is_taken(name); ++n) {
    const std::string suffix = " (" + std::to_string(n) + ")";
    name = cut(clean, 31 - suffix.size()) + suffix;
  }
  return name;
}

Status WriteXlsx(const Document& document, const std::string& path) {
  return Write(document, path);
}

Result<std::string> RenderXlsx(const Document& document) {
  auto dir = internal::TempDir::Create();
  if (!dir) {
    return Fail(dir.error());
  }
  const std::string path = dir->path() + "/report.xlsx";
  if (auto status = Write(document, path); !status) {
    return Fail(status.error());
  }
  return internal::ReadFileBytes(path);
}

}  // namespace citydip::report
