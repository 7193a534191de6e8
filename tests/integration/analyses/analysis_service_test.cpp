// app/analysis_service over a temporary SQLite file: every analysis on the reference data, the
// errors adapters report, the national index from a file, a shipped name or the GDELT tables.
#include "citydip/app/analysis_service.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "support/synthetic_barometer.h"

namespace citydip::test {
namespace {

namespace fs = std::filesystem;

class AnalysisServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "citydip-analyses-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_ = (dir_ / "registry.db").string();
    auto store = app::OpenStore(db_);
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    const fs::path data = fs::path(CITYDIP_SOURCE_DIR) / "data" / "seoul-china";
    std::vector<std::string> files;
    for (const char* kind : {"cities", "organizations", "partner_relations", "memberships",
                             "officials", "mechanisms", "events"}) {
      files.push_back((data / (std::string(kind) + ".csv")).string());
    }
    auto imported = app::ImportFiles(*store_, files, {});
    ASSERT_TRUE(imported) << imported.error().ToString();
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    ::unsetenv("CITYDIP_DATA_DIR");
  }

  app::AnalysisRequest Request(const std::string& name, const std::string& partner = "Beijing") {
    app::AnalysisRequest request;
    request.name = name;
    request.db = db_;
    request.home = "Seoul";
    request.partner = partner;
    return request;
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Monthly KOR↔CHN barometer rows 2003-01..2023-12 (both directions) and a Seoul→Beijing city
  // pair, with a tone that differs by direction (tests/support/synthetic_barometer.h).
  void CommitGdelt() {
    auto barometer = app::OpenBarometerStore(db_);
    ASSERT_TRUE(barometer) << barometer.error().ToString();
    auto committed =
        (*barometer)
            ->Commit(test_support::SyntheticKorChnBarometer(2003, 2023, /*with_cities=*/true));
    ASSERT_TRUE(committed) << committed.error().ToString();
  }

  fs::path dir_;
  std::string db_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(AnalysisServiceTest, VisitsReportWhatTheReferenceDataSupport) {
  auto report = app::RunAnalysis(*store_, Request("visits"));
  ASSERT_TRUE(report) << report.error().ToString();
  const auto json = app::ToJson(*report);
  EXPECT_EQ(json["analysis"], "visits");
  EXPECT_EQ(json["officials"], 14);
  EXPECT_EQ(json["visited"], 6);
  EXPECT_EQ(json["unknown"], 8);
  EXPECT_NEAR(json["rate_confirmed"].get<double>(), 6.0 / 14.0, 1e-12);
  EXPECT_NE(json["rate_confirmed"].get<double>(), 0.684);
  EXPECT_EQ(json["scope"]["home"]["name"], "Seoul");
  EXPECT_EQ(json["scope"]["partner"], "Beijing (CHN)");
  EXPECT_EQ(app::Headline(*report).rfind("6 of 14 officials visited", 0), 0u);
}

TEST_F(AnalysisServiceTest, EveryAnalysisButImageRunsOnTheReferenceData) {
  const std::string index = std::string(CITYDIP_SOURCE_DIR) +
                            "/data/national-index/china-kor-friction-goldstein-monthly.csv";
  for (const auto& name : app::AnalysisNames()) {
    auto request = Request(name);
    request.index_file = index;
    auto report = app::RunAnalysis(*store_, request);
    if (name == "image") {
      ASSERT_FALSE(report);
      EXPECT_EQ(report.error().code, ErrorCode::kFailedPrecondition);
      EXPECT_NE(report.error().message.find("no GDELT rows for KOR–CHN"), std::string::npos);
      continue;
    }
    ASSERT_TRUE(report) << name << ": " << report.error().ToString();
    EXPECT_EQ(app::ToJson(*report)["analysis"], name);
    EXPECT_FALSE(app::Headline(*report).empty()) << name;
  }
}

TEST_F(AnalysisServiceTest, BadRequestsAreErrorValues) {
  auto unknown = app::RunAnalysis(*store_, Request("influence"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message.find("expected visits, phases"), std::string::npos);

  auto request = Request("visits");
  request.home = "";
  auto no_home = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(no_home);
  EXPECT_EQ(no_home.error().where, "home");

  request.home = "Atlantis";
  auto atlantis = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(atlantis);
  EXPECT_EQ(atlantis.error().code, ErrorCode::kNotFound);

  request = Request("phases", "Narnia");
  auto narnia = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(narnia);
  EXPECT_EQ(narnia.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(narnia.error().where, "partner");

  request = Request("phases", "China");  // a country name
  EXPECT_TRUE(app::RunAnalysis(*store_, request));

  request = Request("barometer", "CHN");
  auto no_index = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(no_index);
  EXPECT_EQ(no_index.error().code, ErrorCode::kFailedPrecondition);

  request.index_file = Write("bad.csv", "period,value\n2015-01,1.0\n2015-02,abc\n");
  auto bad = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(bad.error().ToString().rfind(request.index_file + ":3:9:", 0), 0u)
      << bad.error().ToString();

  request.index_file.clear();
  request.index_name = "../../etc/passwd";
  auto traversal = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(traversal);
  EXPECT_EQ(traversal.error().code, ErrorCode::kInvalidArgument);

  request = Request("shocks");
  request.episodes = {"MERS=2015-05"};
  auto episode = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(episode);
  EXPECT_EQ(episode.error().where, "episode");

  request = Request("institutionalization");
  request.mechanism = "Joint Committee";
  auto mechanism = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(mechanism);
  EXPECT_EQ(mechanism.error().code, ErrorCode::kNotFound);
}

TEST_F(AnalysisServiceTest, ShippedIndexesAreFoundByNameOnly) {
  ASSERT_EQ(::setenv("CITYDIP_DATA_DIR", (std::string(CITYDIP_SOURCE_DIR) + "/data").c_str(), 1),
            0);
  auto request = Request("barometer", "CHN");
  request.index_name = "china-kor-friction-goldstein-monthly";
  auto report = app::RunAnalysis(*store_, request);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_NE(report->index.find("china-kor-friction-goldstein-monthly.csv"), std::string::npos);
  request.index_name = "no-such-index";
  auto missing = app::RunAnalysis(*store_, request);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("aiddata-china-kor-sister-cities-yearly"),
            std::string::npos);

  auto catalog = app::DescribeAnalysisInputs(*store_, db_);
  ASSERT_TRUE(catalog) << catalog.error().ToString();
  ASSERT_FALSE(catalog->home_cities.empty());
  EXPECT_EQ(catalog->home_cities.front().first.name, "Seoul");
  ASSERT_EQ(catalog->indexes.size(), 4u);
  for (const auto& source : catalog->indexes) {
    EXPECT_TRUE(source.usable) << source.name << ": " << source.note;
  }
}

TEST_F(AnalysisServiceTest, TheGdeltTablesGiveTheIndexAndTheImage) {
  CommitGdelt();
  auto request = Request("barometer", "CHN");
  request.period = "quarter";
  auto barometer = app::RunAnalysis(*store_, request);
  ASSERT_TRUE(barometer) << barometer.error().ToString();
  EXPECT_EQ(barometer->index, "GDELT KOR–CHN goldstein_mean (barometer tables)");
  const auto json = app::ToJson(*barometer);
  EXPECT_EQ(json["series"]["periods"].front(), "2003-Q1");
  EXPECT_TRUE(json["granger"].contains("national_to_city"));

  auto image = app::RunAnalysis(*store_, Request("image"));
  ASSERT_TRUE(image) << image.error().ToString();
  const auto tone = app::ToJson(*image);
  ASSERT_TRUE(tone["countries"]["asymmetry"]["mean"].is_object()) << tone["countries"].dump();
  EXPECT_EQ(tone["countries"]["home"], "KOR");
  EXPECT_EQ(tone["countries"]["partner"], "CHN");
  // KOR→CHN tone is 1 + 0.1 w, CHN→KOR −1 + 0.1 w: the asymmetry is exactly 2.
  EXPECT_NEAR(tone["countries"]["asymmetry"]["mean"]["estimate"].get<double>(), 2.0, 1e-9);
  ASSERT_FALSE(tone["cities"].is_null());
  // Seoul→Beijing 2 + 0.1 w, Beijing→Seoul 0.5 + 0.2 w: about 1.5 (w averages near 0).
  ASSERT_TRUE(tone["cities"]["asymmetry"]["mean"].is_object()) << tone["cities"].dump();
  EXPECT_NEAR(tone["cities"]["asymmetry"]["mean"]["estimate"].get<double>(), 1.5, 0.2);

  auto catalog = app::DescribeAnalysisInputs(*store_, db_);
  ASSERT_TRUE(catalog);
  ASSERT_FALSE(catalog->indexes.empty());
  EXPECT_EQ(catalog->indexes.back().name, "gdelt");
  EXPECT_TRUE(catalog->indexes.back().usable) << catalog->indexes.back().note;
  EXPECT_EQ(catalog->indexes.back().periods, 252u);
}

TEST_F(AnalysisServiceTest, SummaryHasOneLinePerAnalysis) {
  auto request = Request("summary");
  request.index_file = std::string(CITYDIP_SOURCE_DIR) +
                       "/data/national-index/china-kor-friction-goldstein-monthly.csv";
  auto summary = app::SummarizeAnalyses(*store_, request);
  ASSERT_TRUE(summary) << summary.error().ToString();
  ASSERT_EQ(summary->lines.size(), app::AnalysisNames().size());
  for (const auto& line : summary->lines) {
    EXPECT_EQ(line.ok, line.name != "image") << line.name << ": " << line.headline;
    EXPECT_FALSE(line.headline.empty());
  }
  request.home = "Atlantis";
  EXPECT_FALSE(app::SummarizeAnalyses(*store_, request));
}

}  // namespace
}  // namespace citydip::test
