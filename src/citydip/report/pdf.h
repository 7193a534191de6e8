// PDF through Debian's headless Chromium: the HTML is printed by
// `chromium --headless --no-sandbox --disable-gpu --print-to-pdf=FILE file://...` with a private
// profile directory. Korean text needs fonts-noto-cjk.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "citydip/core/result.h"

namespace citydip::report {

/// The Chromium executable: $CITYDIP_CHROMIUM when set (a path or a name looked up in PATH), else
/// the first of chromium, chromium-browser, google-chrome on PATH. kFailedPrecondition naming the
/// packages to install when there is none.
[[nodiscard]] Result<std::string> FindChromium();

/// Prints `html` (a whole document) to PDF and returns the PDF's bytes. kFailedPrecondition when
/// Chromium is missing, kUnavailable when it fails or runs longer than `timeout`.
[[nodiscard]] Result<std::string> RenderPdf(
    const std::string& html, std::chrono::seconds timeout = std::chrono::seconds(180));

/// The number of pages of a PDF (its /Type /Page objects); 0 when it is not a PDF.
[[nodiscard]] std::size_t CountPdfPages(const std::string& pdf);

}  // namespace citydip::report
