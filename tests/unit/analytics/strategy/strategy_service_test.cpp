// The strategy use cases end to end: the reference data imported into a fresh SQLite registry
// (a real database in a temporary folder), the default strategy file scored and turned into
// recommendations, the scenario model run on a SYNTHETIC national index written for the test, the
// watch check, and the CLI rejecting a malformed strategy file with FILE:LINE:COL.
#include "citydip/app/strategy_service.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/cli.h"

namespace citydip::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSource = CITYDIP_SOURCE_DIR;

class StrategyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("citydip-strategy-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "registry.db").string();
    auto store = OpenStore(db_, OpenMode::kInit);
    ASSERT_TRUE(store) << store.error().ToString();
    std::vector<std::string> files;
    for (const char* name : {"cities", "organizations", "partner_relations", "memberships",
                             "officials", "mechanisms", "events"}) {
      files.push_back(kSource + "/data/seoul-china/" + name + ".csv");
    }
    auto imported = ImportFiles(**store, files, {});
    ASSERT_TRUE(imported) << imported.error().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // A SYNTHETIC monthly index 2005-01..2025-06 (a smooth wave, not real data) for the scenario.
  std::string WriteSyntheticIndex(double last_value) const {
    const std::string path = (dir_ / "index.csv").string();
    std::ofstream out(path);
    out << "# synthetic test index, not real data\nperiod,value\n";
    int month = 0;
    for (int year = 2005; year <= 2025; ++year) {
      for (int m = 1; m <= 12 && !(year == 2025 && m > 6); ++m, ++month) {
        const bool last = year == 2025 && m == 6;
        const double value = last ? last_value : 10.0 + 2.0 * std::sin(month / 7.0);
        out << year << "-" << (m < 10 ? "0" : "") << m << "," << value << "\n";
      }
    }
    return path;
  }

  fs::path dir_;
  std::string db_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(StrategyServiceTest, ScoresTheDefaultPlanOnTheReferenceRegistry) {
  StrategyRequest request;
  request.strategy_path = kSource + "/data/strategy/seoul-china.toml";
  request.index_path = WriteSyntheticIndex(10.0);
  request.as_of = PartialDate::FromParts(2025, 12, 31);
  auto report = ScoreStrategy(*store_, request);
  ASSERT_TRUE(report) << report.error().ToString();
  const auto json = ScorecardToJson(*report);
  ASSERT_EQ(json.at("strategies").size(), 4u);
  for (const auto& strategy : json.at("strategies")) {
    ASSERT_EQ(strategy.at("actions").size(), 3u);
    for (const auto& action : strategy.at("actions")) {
      const std::string status = action.at("status");
      EXPECT_THAT((std::vector<std::string>{"met", "on_track", "behind", "no_data"}),
                  ::testing::Contains(status));
      for (const auto& kpi : action.at("kpis")) {
        EXPECT_TRUE(kpi.contains("name") && kpi.contains("value") && kpi.contains("target") &&
                    kpi.contains("status"));
      }
    }
  }
  EXPECT_EQ(json.at("as_of"), "2025-12-31");
  // The metrics computed from the analyses have values on the reference data.
  std::map<std::string, nlohmann::json> kpis;
  for (const auto& strategy : json.at("strategies")) {
    for (const auto& action : strategy.at("actions")) {
      for (const auto& kpi : action.at("kpis")) {
        kpis[kpi.at("id")] = kpi;
      }
    }
  }
  EXPECT_FALSE(kpis.at("S1.problem-solving-share").at("value").is_null());
  EXPECT_FALSE(kpis.at("G2.horizontal-share").at("value").is_null());
  EXPECT_FALSE(kpis.at("I1.continuity").at("value").is_null())
      << kpis.at("I1.continuity").at("note");
  // The synthetic index's latest value equals the wave's level: about 0 sd.
  ASSERT_FALSE(kpis.at("S3.national-climate").at("value").is_null());
  EXPECT_LT(std::fabs(kpis.at("S3.national-climate").at("value").get<double>()), 1.0);
}

TEST_F(StrategyServiceTest, RecommendsInvitingBeijingIntoNetworksSeoulLeads) {
  StrategyRequest request;
  request.strategy_path = kSource + "/data/strategy/seoul-china.toml";
  request.as_of = PartialDate::FromParts(2025, 12, 31);
  auto report = RecommendStrategy(*store_, request);
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_FALSE(report->recommendations.empty());
  const auto json = RecommendationsToJson(*report);
  bool invite = false;
  double previous_gap = 1e9;
  for (const auto& item : json.at("recommendations")) {
    EXPECT_LE(item.at("gap").get<double>(), previous_gap + 1e-12);
    previous_gap = item.at("gap").get<double>();
    const std::string text = item.at("text_en");
    if (item.at("kpi") == "M2.beijing-in-led-networks") {
      invite = true;
      EXPECT_EQ(item.at("action"), "M2");
      // "Invite Beijing into NETWORK, which Seoul presides and Beijing has not joined."
      EXPECT_THAT(text, ::testing::ContainsRegex("Invite Beijing into [^,]+, which Seoul "
                                                 "[a-z ]+ and Beijing has not joined\\."));
      EXPECT_FALSE(item.at("organizations").empty());
    }
  }
  EXPECT_TRUE(invite);
}

TEST_F(StrategyServiceTest, RunsTheScenarioOnASyntheticIndexWithBacktests) {
  ScenarioRequest request;
  request.strategy_path = kSource + "/data/strategy/seoul-china.toml";
  request.index_path = WriteSyntheticIndex(10.0);
  request.partner = "Beijing";
  request.lags = {1};
  request.simulations = 500;
  request.as_of = PartialDate::FromParts(2025, 6, 30);
  auto report = RunScenarioModel(*store_, request);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->home.name_en, "Seoul");
  EXPECT_EQ(report->partner.name_en, "Beijing");
  const auto json = ToJson(*report);
  EXPECT_TRUE(json.at("baseline").at("expected_total").is_number());
  EXPECT_TRUE(json.at("scenario").at("expected_total").is_number());
  EXPECT_EQ(json.at("scenario").at("interval").size(), 2u);
  EXPECT_EQ(json.at("model").at("lags"), nlohmann::json::array({1}));
  EXPECT_EQ(json.at("horizon").at("first_period"), "2025-07");
  ASSERT_EQ(json.at("backtest").size(), 2u);
  EXPECT_EQ(json.at("backtest")[0].at("episode"), "THAAD");
  EXPECT_EQ(json.at("backtest")[1].at("episode"), "COVID-19");
  for (const auto& test : json.at("backtest")) {
    EXPECT_TRUE(test.at("error").is_number()) << test.dump();
  }
}

TEST_F(StrategyServiceTest, ScenarioNeedsAnIndex) {
  ScenarioRequest request;
  request.strategy_path = kSource + "/data/strategy/seoul-china.toml";
  request.index_path = (dir_ / "missing.csv").string();
  auto report = RunScenarioModel(*store_, request);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(report.error().message, HasSubstr("missing.csv"));
}

TEST_F(StrategyServiceTest, WatchFlagsALowLatestIndex) {
  WatchRequest request;
  request.strategy_path = kSource + "/data/strategy/seoul-china.toml";
  request.index_path = WriteSyntheticIndex(6.0);
  auto low = WatchNationalIndex(request);
  ASSERT_TRUE(low) << low.error().ToString();
  EXPECT_TRUE(low->result.warning);
  EXPECT_DOUBLE_EQ(low->result.threshold_sd, -1.5);  // the default file's warning_sd
  EXPECT_EQ(low->result.latest_period, "2025-06");
  EXPECT_EQ(ToJson(*low).at("warning"), true);

  request.index_path = WriteSyntheticIndex(10.0);
  auto calm = WatchNationalIndex(request);
  ASSERT_TRUE(calm);
  EXPECT_FALSE(calm->result.warning);
}

TEST_F(StrategyServiceTest, CliRejectsAMalformedStrategyFileWithItsLine) {
  const std::string bad = (dir_ / "bad.toml").string();
  {
    std::ofstream out(bad);
    out << "home = \"Seoul\"\n\n[[strategy]]\nid = \"s\"\nname_en = \"S\"\nname_ko = \"S\"\n\n"
           "[[strategy.action]]\nid = \"a\"\nname_en = \"A\"\nname_ko = \"A\"\n\n"
           "[[strategy.action.kpi]]\nid = \"k\"\nname_en = \"K\"\nname_ko = \"K\"\n"
           "measure = \"count\"\nwhere = { organization = \"No Such Network\" }\ntarget = 1\n";
  }
  const std::vector<std::string> args = {"citydip", "--db",       db_, "strategy",
                                         "score",   "--strategy", bad};
  std::vector<const char*> argv;
  for (const auto& arg : args) {
    argv.push_back(arg.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  EXPECT_EQ(code, 1);
  EXPECT_THAT(err.str(),
              HasSubstr(bad + ":18:26: kpi 'k': unknown organization 'No Such Network'"));

  // A TOML syntax error too.
  {
    std::ofstream out_file(bad);
    out_file << "home = \"Seoul\"\nstrategy = [\n";
  }
  std::ostringstream err2;
  EXPECT_EQ(cli::RunCli(static_cast<int>(argv.size()), argv.data(), out, err2), 1);
  EXPECT_THAT(err2.str(), HasSubstr(bad + ":2:"));
  EXPECT_THAT(err2.str(), HasSubstr("not valid TOML"));
}

TEST_F(StrategyServiceTest, CliScoresAndAcceptsANegativeShock) {
  const std::string index = WriteSyntheticIndex(10.0);
  const std::string plan = kSource + "/data/strategy/seoul-china.toml";
  const auto run = [&](std::vector<std::string> args, std::string& output) {
    args.insert(args.begin(), {"citydip", "--db", db_});
    std::vector<const char*> argv;
    for (const auto& arg : args) {
      argv.push_back(arg.c_str());
    }
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
    output = out.str() + err.str();
    return code;
  };
  std::string output;
  EXPECT_EQ(
      run({"strategy", "score", "--strategy", plan, "--as-of", "2025-12-31", "--json"}, output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"strategies\""));
  EXPECT_EQ(
      run({"strategy", "score", "--strategy", plan, "--as-of", "2025", "--lang", "ko"}, output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("다자화"));
  EXPECT_EQ(run({"scenario", "--strategy", plan, "--partner", "Beijing", "--index", index,
                 "--index-shock", "-2sd", "--months", "12", "--lags", "1", "--simulations", "200",
                 "--as-of", "2025-06-30", "--json"},
                output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"expected_total\""));
  EXPECT_EQ(run({"watch", "--index", index, "--threshold", "-1.5sd", "--json"}, output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"warning\": false"));
  EXPECT_EQ(
      run({"scenario", "--strategy", plan, "--index", index, "--index-shock", "down"}, output), 1);
  EXPECT_THAT(output, HasSubstr("--index-shock"));
}

}  // namespace
}  // namespace citydip::app
