// A report as plain data: sections of paragraphs, bar charts and tables, each table also an
// Excel sheet. The HTML (html.h) and Excel (xlsx.h) renderers read the same document, so both
// formats always hold the same facts. Built by BuildBriefing (briefing.h); renderers know nothing
// of the registry.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace citydip::report {

/// One table cell: text, links (source URLs, shown as links; only http and https URLs become
/// links) and, for numeric cells, the number (right-aligned in HTML, a number in Excel).
struct Cell {
  std::string text;
  std::vector<std::string> links;
  std::optional<double> number;

  Cell() = default;
  Cell(std::string text_value) : text(std::move(text_value)) {}  // NOLINT: implicit on purpose
  Cell(const char* text_value) : text(text_value) {}             // NOLINT: implicit on purpose
  [[nodiscard]] static Cell Number(double value, std::string text);
  [[nodiscard]] static Cell Links(std::vector<std::string> urls);
};

/// A table; also one sheet of the Excel workbook.
struct DataTable {
  /// The Excel sheet name: at most 31 characters, none of []:*?/\ (unique in a document).
  std::string sheet;
  std::string title;
  std::vector<std::string> headers;
  /// Column widths in characters (Excel); missing widths default to 14.
  std::vector<double> widths;
  std::vector<std::vector<Cell>> rows;
  /// Shown instead of the rows when there are none ("no mechanisms recorded").
  std::string empty_note;
};

/// A bar chart (rendered as inline SVG).
struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::pair<std::string, double>> bars;  // label, value (>= 0)
};

struct Section {
  std::string id;  // HTML anchor
  std::string title;
  /// Non-empty when the section's data are missing: why, in plain words (the section then shows
  /// only this).
  std::string missing;
  std::vector<std::string> paragraphs;
  std::vector<BarChart> charts;
  std::vector<DataTable> tables;
};

struct Document {
  std::string lang = "en";  // "en" or "ko": the HTML lang attribute
  std::string title;
  std::string subtitle;
  /// Key facts about the report itself (home, partner, period, generated on, ...): the header
  /// of the HTML and the first sheet of the workbook.
  std::vector<std::pair<std::string, std::string>> meta;
  std::string meta_sheet = "Report";
  /// Labels of the workbook's first sheet and of the section status lines.
  std::string label_field = "Field";
  std::string label_value = "Value";
  std::string label_section = "Section";
  std::string label_missing = "Missing data";
  std::string label_contents = "Contents";
  std::vector<Section> sections;
  std::string footer;
};

}  // namespace citydip::report
