#include "citydip/report/html.h"

#include <string>

#include <gtest/gtest.h>

#include "briefing_fixture.h"
#include "citydip/report/briefing.h"

namespace citydip::report {
namespace {

std::size_t Occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(HtmlTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("서울"), "서울");
}

TEST(HtmlTest, OnlyWebUrlsAreLinks) {
  EXPECT_TRUE(IsWebUrl("https://example.org/a?b=1&c=2"));
  EXPECT_TRUE(IsWebUrl("http://example.org"));
  EXPECT_FALSE(IsWebUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsWebUrl("https://example.org/\"onmouseover=\"x"));
  EXPECT_FALSE(IsWebUrl("ftp://example.org"));
}

TEST(HtmlTest, ScriptInATitleIsShownLiterally) {
  const std::string html = RenderHtml(BuildBriefing(testing::MakeBriefing(), Language::kEnglish));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;visit&quot;"),
            std::string::npos);
  // A javascript: source is text, not a link; a web source is a link with its & escaped.
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
  EXPECT_NE(html.find("<span>javascript:alert(1)</span>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://example.org/e3?a=1&amp;b=2\">"), std::string::npos);
}

TEST(HtmlTest, KoreanReportIsSelfContained) {
  const std::string html = RenderHtml(BuildBriefing(testing::MakeBriefing(), Language::kKorean));
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("<html lang=\"ko\">"), std::string::npos);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<h1>서울–베이징 교류 브리핑</h1>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;방문&lt;/b&gt;"), std::string::npos);
  // Inline CSS and SVG; nothing to load: no script, stylesheet link, image, font or import.
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  for (const char* external : {"<script", "<link", "<img", "<iframe", "src=", "@import", "url("}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  // Every href is a source link (http or https) or an anchor.
  for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    const std::string target = html.substr(at + 6, 8);
    EXPECT_TRUE(target.starts_with("#") || target.starts_with("http")) << target;
  }
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

TEST(HtmlTest, MissingSectionsAreShown) {
  const std::string html = RenderHtml(BuildBriefing(testing::MakeBriefing(), Language::kEnglish));
  EXPECT_NE(html.find("<p class=\"missing\">Not available: no strategy file</p>"),
            std::string::npos);
  EXPECT_EQ(Occurrences(html, "class=\"missing\""), 3u);
}

TEST(HtmlTest, BarChartHasOneBarPerValue) {
  BarChart chart;
  chart.title = "Events <per> year";
  for (int year = 2000; year < 2010; ++year) {
    chart.bars.emplace_back(std::to_string(year), year % 3);
  }
  const std::string svg = BarChartSvg(chart);
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_EQ(Occurrences(svg, "<rect"), 10u);
  EXPECT_NE(svg.find("<title>Events &lt;per&gt; year</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>2003: 2</title>"), std::string::npos);

  BarChart types;
  types.bars = {{"leader visit", 3}, {"forum", 1}};
  EXPECT_EQ(Occurrences(BarChartSvg(types), "<rect"), 2u);

  BarChart empty;
  EXPECT_EQ(Occurrences(BarChartSvg(empty), "<rect"), 0u);
}

}  // namespace
}  // namespace citydip::report
