// A Document as an Excel workbook (libxlsxwriter): a first sheet with the report's facts and which
// sections lack data, then one sheet per table, each with a bold, frozen header row, column widths
// set and source URLs as hyperlinks.
#pragma once

#include <string>
#include <vector>

#include "citydip/core/result.h"
#include "citydip/report/document.h"

namespace citydip::report {

/// Writes the workbook to `path`. kUnavailable when the file cannot be written.
[[nodiscard]] Status WriteXlsx(const Document& document, const std::string& path);

/// The workbook's bytes (written through a temporary file).
[[nodiscard]] Result<std::string> RenderXlsx(const Document& document);

/// A valid, unique sheet name from `wanted`: forbidden characters []:*?/\ replaced, cut to 31
/// characters (whole UTF-8 code points), "Sheet" when empty, " (2)"... appended when taken.
[[nodiscard]] std::string SheetName(const std::string& wanted,
                                    const std::vector<std::string>& taken);

}  // namespace citydip::report
