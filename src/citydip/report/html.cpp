#include "citydip/report/html.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace citydip::report {
namespace {

std::string Num(double value, int decimals = 1) {
  if (!std::isfinite(value)) {
    return "0";
  }
  if (std::fabs(value - std::round(value)) < 1e-9) {
    return std::to_string(static_cast<long long>(std::llround(value)));
  }
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, decimals);
  return {buffer, result.ptr};
}

/// A round axis maximum at or above `max` and its tick step.
std::pair<double, double> AxisScale(double max) {
  if (max <= 0) {
    return {1, 1};
  }
  const double raw = max / 4;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw) {
      break;
    }
  }
  step = std::max(step, 1.0);
  return {std::ceil(max / step) * step, step};
}

constexpr std::string_view kBarColor = "#2f6690";

std::string VerticalBars(const BarChart& chart) {
  const double width = 720;
  const double height = 240;
  const double left = 44;
  const double right = 12;
  const double top = 24;
  const double bottom = 36;
  const double plot_w = width - left - right;
  const double plot_h = height - top - bottom;
  double max = 0;
  for (const auto& bar : chart.bars) {
    max = std::max(max, bar.second);
  }
  const auto [axis_max, step] = AxisScale(max);
  const std::size_t n = std::max<std::size_t>(chart.bars.size(), 1);
  const double slot = plot_w / static_cast<double>(n);
  const double bar_w = std::max(1.0, slot * 0.72);
  const std::size_t every = (n + 24) / 25;  // at most 25 labels

  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
                    "\" role=\"img\" aria-label=\"" + EscapeHtml(chart.title) + "\">\n";
  svg += "<title>" + EscapeHtml(chart.title) + "</title>\n";
  for (double tick = 0; tick <= axis_max + 1e-9; tick += step) {
    const double y = top + plot_h - tick / axis_max * plot_h;
    svg += "<line x1=\"" + Num(left) + "\" x2=\"" + Num(width - right) + "\" y1=\"" + Num(y) +
           "\" y2=\"" + Num(y) + "\" class=\"grid\"/>";
    svg += "<text x=\"" + Num(left - 6) + "\" y=\"" + Num(y + 4) +
           "\" text-anchor=\"end\" class=\"tick\">" + Num(tick) + "</text>\n";
  }
  if (!chart.y_label.empty()) {
    svg += "<text x=\"" + Num(left) + "\" y=\"" + Num(top - 10) + "\" class=\"tick\">" +
           EscapeHtml(chart.y_label) + "</text>\n";
  }
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const auto& [label, value] = chart.bars[i];
    const double h = std::max(0.0, value) / axis_max * plot_h;
    const double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
    const double y = top + plot_h - h;
    svg += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(bar_w) +
           "\" height=\"" + Num(h) + "\" fill=\"" + std::string(kBarColor) + "\"><title>" +
           EscapeHtml(label) + ": " + Num(value) + "</title></rect>";
    if (value > 0 && n <= 40) {
      svg += "<text x=\"" + Num(x + bar_w / 2) + "\" y=\"" + Num(y - 3) +
             "\" text-anchor=\"middle\" class=\"value\">" + Num(value) + "</text>";
    }
    if (i % every == 0) {
      svg += "<text x=\"" + Num(x + bar_w / 2) + "\" y=\"" + Num(top + plot_h + 14) +
             "\" text-anchor=\"middle\" class=\"tick\">" + EscapeHtml(label) + "</text>";
    }
    svg += "\n";
  }
  svg += "<line x1=\"" + Num(left) + "\" x2=\"" + Num(width - right) + "\" y1=\"" +
         Num(top + plot_h) + "\" y2=\"" + Num(top + plot_h) + "\" class=\"axis\"/>\n";
  svg += "</svg>";
  return svg;
}

std::string HorizontalBars(const BarChart& chart) {
  const double width = 720;
  const double left = 230;
  const double right = 40;
  const double row = 22;
  const double top = 8;
  const double height = top * 2 + row * static_cast<double>(chart.bars.size());
  double max = 0;
  for (const auto& bar : chart.bars) {
    max = std::max(max, bar.second);
  }
  if (max <= 0) {
    max = 1;
  }
  const double plot_w = width - left - right;
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
                    "\" role=\"img\" aria-label=\"" + EscapeHtml(chart.title) + "\">\n";
  svg += "<title>" + EscapeHtml(chart.title) + "</title>\n";
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const auto& [label, value] = chart.bars[i];
    const double y = top + row * static_cast<double>(i);
    const double w = std::max(0.0, value) / max * plot_w;
    svg += "<text x=\"" + Num(left - 8) + "\" y=\"" + Num(y + row * 0.68) +
           "\" text-anchor=\"end\" class=\"tick\">" + EscapeHtml(label) + "</text>";
    svg += "<rect x=\"" + Num(left) + "\" y=\"" + Num(y + 3) + "\" width=\"" + Num(w) +
           "\" height=\"" + Num(row - 6) + "\" fill=\"" + std::string(kBarColor) + "\"><title>" +
           EscapeHtml(label) + ": " + Num(value) + "</title></rect>";
    svg += "<text x=\"" + Num(left + w + 4) + "\" y=\"" + Num(y + row * 0.68) +
           "\" class=\"value\">" + Num(value) + "</text>\n";
  }
  svg += "</svg>";
  return svg;
}

constexpr std::string_view kStyle = R"css(
:root { --ink: #1b1f24; --muted: #5b6570; --line: #d5dbe1; --accent: #2f6690; --warn: #9a3412; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Noto Sans", "Malgun Gothic",
       "Apple SD Gothic Neo", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px;
       padding: 24px; font-size: 13px; line-height: 1.45; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; color: var(--accent); border-bottom: 1px solid var(--line);
     padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 10px; font-size: 15px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
nav ol { columns: 2; margin: 4px 0 0; padding-left: 20px; }
nav a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eef2f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.links a { display: block; word-break: break-all; color: var(--accent); font-size: 11px; }
.missing { border-left: 4px solid var(--warn); background: #fff7ed; padding: 6px 10px; color: var(--warn); }
.empty { color: var(--muted); font-style: italic; }
svg.chart { width: 100%; max-width: 720px; height: auto; display: block; margin: 6px 0 12px; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { stroke: var(--ink); stroke-width: 1; }
svg.chart text { font-size: 10px; fill: var(--muted); font-family: inherit; }
svg.chart text.value { fill: var(--ink); }
footer { margin-top: 28px; border-top: 1px solid var(--line); padding-top: 8px; color: var(--muted);
         font-size: 11px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5px; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, svg.chart { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
}
)css";

void AppendCell(std::string& out, const Cell& cell) {
  if (!cell.links.empty()) {
    out += "<td class=\"links\">";
    if (!cell.text.empty()) {
      out += EscapeHtml(cell.text);
    }
    for (const auto& url : cell.links) {
      if (IsWebUrl(url)) {
        out += "<a href=\"" + EscapeHtml(url) + "\">" + EscapeHtml(url) + "</a>";
      } else {
        out += "<span>" + EscapeHtml(url) + "</span>";
      }
    }
    out += "</td>";
    return;
  }
  out += cell.number ? "<td class=\"num\">" : "<td>";
  out += EscapeHtml(cell.text);
  out += "</td>";
}

void AppendTable(std::string& out, const DataTable& table) {
  if (!table.title.empty()) {
    out += "<h3>" + EscapeHtml(table.title) + "</h3>\n";
  }
  if (table.rows.empty()) {
    out += "<p class=\"empty\">" + EscapeHtml(table.empty_note) + "</p>\n";
    return;
  }
  out += "<table>\n<thead><tr>";
  for (const auto& header : table.headers) {
    out += "<th>" + EscapeHtml(header) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t col = 0; col < table.headers.size(); ++col) {
      AppendCell(out, col < row.size() ? row[col] : Cell());
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool IsWebUrl(std::string_view url) {
  const bool web = url.starts_with("https://") || url.starts_with("http://");
  if (!web) {
    return false;
  }
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' ||
           c == '\\';
  });
}

std::string BarChartSvg(const BarChart& chart) {
  const bool long_labels = std::any_of(chart.bars.begin(), chart.bars.end(),
                                       [](const auto& bar) { return bar.first.size() > 6; });
  return long_labels ? HorizontalBars(chart) : VerticalBars(chart);
}

std::string RenderHtml(const Document& document) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"" + EscapeHtml(document.lang) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"citydip\">\n";
  out += "<title>" + EscapeHtml(document.title) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + EscapeHtml(document.title) + "</h1>\n";
  if (!document.subtitle.empty()) {
    out += "<p class=\"subtitle\">" + EscapeHtml(document.subtitle) + "</p>\n";
  }
  out += "<dl class=\"meta\">\n";
  for (const auto& [field, value] : document.meta) {
    out += "<dt>" + EscapeHtml(field) + "</dt><dd>" + EscapeHtml(value) + "</dd>\n";
  }
  out += "</dl>\n</header>\n";
  out += "<nav><strong>" + EscapeHtml(document.label_contents) + "</strong><ol>\n";
  for (const auto& section : document.sections) {
    out += "<li><a href=\"#" + EscapeHtml(section.id) + "\">" + EscapeHtml(section.title) +
           "</a></li>\n";
  }
  out += "</ol></nav>\n";
  for (const auto& section : document.sections) {
    out += "<section id=\"" + EscapeHtml(section.id) + "\">\n<h2>" + EscapeHtml(section.title) +
           "</h2>\n";
    if (!section.missing.empty()) {
      out += "<p class=\"missing\">" + EscapeHtml(section.missing) + "</p>\n</section>\n";
      continue;
    }
    for (const auto& paragraph : section.paragraphs) {
      out += "<p>" + EscapeHtml(paragraph) + "</p>\n";
    }
    for (const auto& chart : section.charts) {
      out += "<h3>" + EscapeHtml(chart.title) + "</h3>\n" + BarChartSvg(chart) + "\n";
    }
    for (const auto& table : section.tables) {
      AppendTable(out, table);
    }
    out += "</section>\n";
  }
  if (!document.footer.empty()) {
    out += "<footer>" + EscapeHtml(document.footer) + "</footer>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace citydip::report
