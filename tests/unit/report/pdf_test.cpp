#include "citydip/report/pdf.h"

#include <stdlib.h>

#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "briefing_fixture.h"
#include "citydip/report/briefing.h"
#include "citydip/report/html.h"

namespace citydip::report {
namespace {

/// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name); old != nullptr) {
      old_ = old;
    }
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(PdfTest, CountsPages) {
  EXPECT_EQ(CountPdfPages(""), 0u);
  EXPECT_EQ(CountPdfPages("<html>/Type /Page</html>"), 0u);
  EXPECT_EQ(CountPdfPages("%PDF-1.4\n<</Type /Pages /Count 2>>\n<</Type /Page>>\n<</Type/Page\n>>"),
            2u);
}

TEST(PdfTest, MissingChromiumNamesWhatToInstall) {
  const ScopedEnv chromium("CITYDIP_CHROMIUM", "/nonexistent/chromium");
  const auto found = FindChromium();
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(found.error().message.find("chromium fonts-noto-cjk"), std::string::npos);

  const auto pdf = RenderPdf("<!DOCTYPE html><p>x</p>");
  ASSERT_FALSE(pdf.has_value());
  EXPECT_EQ(pdf.error().code, ErrorCode::kFailedPrecondition);

  const ScopedEnv path("PATH", "/nonexistent");
  const ScopedEnv none("CITYDIP_CHROMIUM", "");
  const auto nothing = FindChromium();
  ASSERT_FALSE(nothing.has_value());
  EXPECT_NE(nothing.error().message.find("chromium is not installed"), std::string::npos);
}

TEST(PdfTest, PrintsTheBriefingWithChromium) {
  if (!FindChromium()) {
    GTEST_SKIP() << "chromium is not installed";
  }
  const auto pdf = RenderPdf(RenderHtml(BuildBriefing(testing::MakeBriefing(), Language::kKorean)));
  ASSERT_TRUE(pdf.has_value()) << pdf.error().ToString();
  EXPECT_TRUE(pdf->starts_with("%PDF"));
  EXPECT_GE(CountPdfPages(*pdf), 1u);
}

}  // namespace
}  // namespace citydip::report
