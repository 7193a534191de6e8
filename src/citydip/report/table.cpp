#include "citydip/report/table.h"

#include <algorithm>

#include "citydip/core/text.h"

namespace citydip::report {

void Table::AddColumn(std::string header, Align align, std::size_t max_width) {
  columns_.push_back({std::move(header), align, max_width});
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Truncate(const std::string& text, std::size_t width) {
  if (DisplayWidth(text) <= width) {
    return text;
  }
  // Cut at code point boundaries until the text plus the ellipsis fits.
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t next = pos + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) {
      ++next;
    }
    const std::string candidate = out + text.substr(pos, next - pos);
    if (DisplayWidth(candidate) + 1 > width) {
      break;
    }
    out = candidate;
    pos = next;
  }
  return out + "…";
}

std::string Table::Render() const {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows_.size());
  std::vector<std::size_t> widths(columns_.size());
  for (std::size_t col = 0; col < columns_.size(); ++col) {
    widths[col] = DisplayWidth(columns_[col].header);
  }
  for (const auto& row : rows_) {
    std::vector<std::string> cut(columns_.size());
    for (std::size_t col = 0; col < columns_.size(); ++col) {
      cut[col] = Truncate(row[col], columns_[col].max_width);
      widths[col] = std::max(widths[col], DisplayWidth(cut[col]));
    }
    cells.push_back(std::move(cut));
  }
  std::string out;
  const auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t col = 0; col < columns_.size(); ++col) {
      if (col > 0) {
        line += "  ";
      }
      const bool last = col + 1 == columns_.size();
      if (columns_[col].align == Align::kRight) {
        line += PadLeft(row[col], widths[col]);
      } else {
        line += last ? row[col] : PadRight(row[col], widths[col]);
      }
    }
    out += line;
    out += '\n';
  };
  std::vector<std::string> header;
  for (const auto& column : columns_) {
    header.push_back(column.header);
  }
  emit(header);
  std::string rule;
  for (std::size_t col = 0; col < columns_.size(); ++col) {
    if (col > 0) {
      rule += "  ";
    }
    for (std::size_t dash = 0; dash < widths[col]; ++dash) {
      rule += "-";
    }
  }
  out += rule + "\n";
  for (const auto& row : cells) {
    emit(row);
  }
  return out;
}

}  // namespace citydip::report
