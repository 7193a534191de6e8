// The briefing report (`citydip report`, docs/reports.md): a home city's relation with a partner
// city as HTML, PDF or Excel. Gathers the data through the other app services (the partner
// profile, the events between the two, registry statistics and, when this build has them, the
// strategy scorecard, network opportunities and analyses), hands them to report/ as plain data
// and returns or writes the rendered file. A part that cannot be computed does not fail the
// report: its section says why.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/result.h"
#include "citydip/report/briefing.h"
#include "citydip/storage/store.h"

namespace citydip::app {

enum class ReportFormat : std::uint8_t { kHtml, kPdf, kXlsx };
/// "html", "pdf" or "xlsx"; kInvalidArgument naming the allowed ones otherwise.
[[nodiscard]] Result<ReportFormat> ParseReportFormat(std::string_view text);
[[nodiscard]] std::string_view ReportFormatName(ReportFormat format);
/// The MIME type (for the HTTP API).
[[nodiscard]] std::string_view ReportMimeType(ReportFormat format);

/// What `citydip report` and GET /api/report take; text fields are parsed here so that both
/// adapters report bad values with the same messages.
struct ReportRequest {
  std::string home;     // required: an English, Korean or Chinese city name, optionally ",CTY"
  std::string partner;  // required, likewise
  std::string from;     // YYYY[-MM[-DD]]; "": open
  std::string to;
  std::string lang = "en";  // en or ko
  ReportFormat format = ReportFormat::kHtml;
  /// The database (--db): where the analyses read the GDELT barometer tables.
  std::string db;
  /// The strategy file for the scorecard; "": the default (app::DefaultStrategyPath()).
  std::string strategy_path;
  /// The scorecard's and the network's reference date; "": today.
  std::string as_of;
};

/// Everything the report shows, as plain data. kInvalidArgument for bad dates, language or an
/// empty city; kNotFound for an unknown city; kInvalidArgument when home and partner are the same.
[[nodiscard]] Result<report::BriefingData> GatherBriefing(storage::Store& store,
                                                          const ReportRequest& request);

struct RenderedReport {
  ReportFormat format = ReportFormat::kHtml;
  std::string bytes;
  /// The sections without data, as "section: why" (also shown in the report).
  std::vector<std::string> missing;
};

/// Gathers and renders the report. kFailedPrecondition for PDF when Chromium is not installed.
[[nodiscard]] Result<RenderedReport> RenderReport(storage::Store& store,
                                                  const ReportRequest& request);

/// Renders the report and writes it to `path` (kUnavailable "cannot write the file" when it
/// cannot be written; the file is only created once the report is rendered).
[[nodiscard]] Result<RenderedReport> WriteReport(storage::Store& store,
                                                 const ReportRequest& request,
                                                 const std::string& path);

}  // namespace citydip::app
