// Plain-text tables for terminals: columns aligned by display width, so Korean and Chinese
// names (two columns per character) line up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace citydip::report {

enum class Align : std::uint8_t { kLeft, kRight };

/// A table of text cells. Cells longer than `max_width` display columns are cut with "…".
class Table {
 public:
  /// Adds a column; numbers read best right-aligned.
  void AddColumn(std::string header, Align align = Align::kLeft, std::size_t max_width = 60);
  /// Adds a row; missing trailing cells are empty, extra cells are ignored.
  void AddRow(std::vector<std::string> cells);
  [[nodiscard]] bool empty() const { return rows_.empty(); }

  /// The header, a rule, and the rows, each line ending in '\n'.
  [[nodiscard]] std::string Render() const;

 private:
  struct Column {
    std::string header;
    Align align;
    std::size_t max_width;
  };
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// Cuts `text` to at most `width` display columns, ending in "…" when cut.
[[nodiscard]] std::string Truncate(const std::string& text, std::size_t width);

}  // namespace citydip::report
