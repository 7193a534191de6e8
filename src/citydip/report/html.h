// A Document as one self-contained, printable HTML file: inline CSS, charts as inline SVG, no
// script and nothing loaded from the network. Every text is escaped; only http(s) URLs become
// links.
#pragma once

#include <string>
#include <string_view>

#include "citydip/report/document.h"

namespace citydip::report {

/// Escapes & < > " ' for HTML text and attribute values.
[[nodiscard]] std::string EscapeHtml(std::string_view text);

/// True for an http:// or https:// URL without characters that could break out of an attribute.
[[nodiscard]] bool IsWebUrl(std::string_view url);

/// A vertical bar chart as an inline <svg> element (labels thinned out when there are many bars).
[[nodiscard]] std::string BarChartSvg(const BarChart& chart);

/// The whole HTML document (UTF-8).
[[nodiscard]] std::string RenderHtml(const Document& document);

}  // namespace citydip::report
