// The network use cases and commands end to end on a real (temporary) SQLite registry holding the
// shipped Seoul–China reference data: Wikidata twin-town rows (real rows of data/twinning)
// imported into the same graph, the membership openings for Seoul and Beijing (known from
// data/seoul-china/memberships.csv), the commands' JSON, and bad input rejected with FILE:LINE.
#include "citydip/app/network_service.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/cli.h"
#include "citydip/ingest/twinning.h"

namespace citydip::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSource = CITYDIP_SOURCE_DIR;

class NetworkServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("citydip-network-" + std::to_string(::getpid()) + "-" +
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

  // The header and the rows of data/twinning/germany.tsv whose sister city is `sister`.
  std::string RealRowsWithSister(const std::string& sister) const {
    std::ifstream in(kSource + "/data/twinning/germany.tsv");
    std::string line;
    std::string out;
    std::getline(in, line);
    out += line + "\n";
    while (std::getline(in, line)) {
      if (line.find("\t" + sister + "\t") != std::string::npos) {
        out += line + "\n";
      }
    }
    return out;
  }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
  }

  int Run(std::vector<std::string> args, std::string& out, std::string& err) const {
    args.insert(args.begin(), {"citydip", "--db", db_});
    std::vector<const char*> argv;
    for (const auto& arg : args) {
      argv.push_back(arg.c_str());
    }
    std::ostringstream out_stream;
    std::ostringstream err_stream;
    const int code =
        cli::RunCli(static_cast<int>(argv.size()), argv.data(), out_stream, err_stream);
    out = out_stream.str();
    err = err_stream.str();
    return code;
  }

  fs::path dir_;
  std::string db_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(NetworkServiceTest, TwinningPairsJoinTheRegistryGraph) {
  // Cologne–Beijing and Berlin–Beijing (Wikidata P190): Beijing is the registry's Beijing.
  const std::string file = Write("beijing.tsv", RealRowsWithSister("Beijing"));
  const auto report = ImportTwinning(*store_, {file}, {});
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->rows, 2U);
  EXPECT_EQ(report->relations_created, 2U);
  EXPECT_EQ(report->cities_created, 2U);   // Cologne, Berlin
  EXPECT_EQ(report->cities_existing, 1U);  // Beijing (CHN) of data/seoul-china

  const auto path = NetworkPath(*store_, "Seoul", "Cologne");
  ASSERT_TRUE(path) << path.error().ToString();
  ASSERT_EQ(path->cities.size(), 3U);
  EXPECT_EQ(path->cities[1], (CityRef{"Beijing", "CHN"}));
  EXPECT_EQ(path->ties[0], RelationKind::kSister);

  // Importing again adds nothing.
  const auto again = ImportTwinning(*store_, {file}, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->relations_created, 0U);
  EXPECT_EQ(again->relations_existing, 2U);
  EXPECT_EQ(again->cities_created, 0U);
}

TEST_F(NetworkServiceTest, BadTwinningFileChangesNothing) {
  const auto before = store_->CountAll();
  ASSERT_TRUE(before);
  std::string text = RealRowsWithSister("Beijing");
  text += "Bonn\tGermany\tfifty\t7.1\t\tLille\t50.6\t3.1\t\tFrance\t300\tEU\n";  // line 4
  const std::string file = Write("bad.tsv", text);
  const auto report = ImportTwinning(*store_, {file}, {});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidData);
  EXPECT_THAT(report.error().message,
              HasSubstr(file + ":4: column 'originlat': 'fifty' is not a coordinate"));
  EXPECT_THAT(report.error().message, HasSubstr("1 error; nothing was imported"));
  const auto after = store_->CountAll();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->partner_relations, before->partner_relations);
  EXPECT_EQ(after->cities, before->cities);
}

TEST_F(NetworkServiceTest, BeijingsOpeningsFollowTheShippedMemberships) {
  OpportunityRequest request;
  request.home = "Seoul";
  request.partner = "Beijing";
  request.as_of = PartialDate::Parse("2025-06-01").value();
  const auto report = NetworkOpportunities(*store_, request);
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_EQ(report->partners.size(), 1U);
  // Seoul leads Metropolis (board, president 2024–2026), WeGO (founder, president, secretariat),
  // CityNet (secretariat, president) and ICLEI (secretariat); Beijing is in none of them.
  std::set<std::string> invites;
  for (const auto& o : report->opportunities) {
    EXPECT_EQ(o.partner, (CityRef{"Beijing", "CHN"}));
    if (o.kind == analytics::network::OpportunityKind::kInvite) {
      invites.insert(o.organization);
    }
  }
  EXPECT_EQ(invites, (std::set<std::string>{"CityNet", "ICLEI", "Metropolis",
                                            "World Smart Sustainable Cities Organization"}));
  // Both are founders of BeSeTo and members of C40.
  EXPECT_EQ(report->partners[0].shared,
            (std::vector<std::string>{"Beijing-Seoul-Tokyo cooperation", "C40 Cities"}));
}

TEST_F(NetworkServiceTest, CommandsPrintTheDocumentedJson) {
  std::string out;
  std::string err;
  ASSERT_EQ(Run({"network", "opportunities", "--home", "Seoul", "--json"}, out, err), 0) << err;
  const auto opportunities = nlohmann::json::parse(out);
  ASSERT_TRUE(opportunities["opportunities"].is_array());
  ASSERT_FALSE(opportunities["opportunities"].empty());
  for (const auto& o : opportunities["opportunities"]) {
    for (const char* key : {"organization", "kind", "partner", "reason"}) {
      EXPECT_TRUE(o.contains(key)) << key;
    }
    EXPECT_TRUE(o["kind"] == "invite" || o["kind"] == "unused_venue" ||
                o["kind"] == "missed_meeting")
        << o["kind"];
  }

  ASSERT_EQ(Run({"network", "centrality", "--json"}, out, err), 0) << err;
  const auto centrality = nlohmann::json::parse(out);
  const auto counts = store_->CountAll();
  ASSERT_TRUE(counts);
  ASSERT_EQ(centrality["cities"].size(), static_cast<std::size_t>(counts->cities));
  for (const char* key : {"name", "country", "degree", "betweenness", "eigenvector"}) {
    EXPECT_TRUE(centrality["cities"][0].contains(key)) << key;
  }
  EXPECT_EQ(centrality["cities"][0]["name"], "Seoul");  // the hub of the registry

  ASSERT_EQ(Run({"network", "centrality", "--top", "3"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("Seoul"));

  ASSERT_EQ(Run({"network", "communities", "--algorithm", "louvain", "--json"}, out, err), 0)
      << err;
  // The shipped partner relations form a star around Seoul: no split of a star has positive
  // modularity, so the best partition is one community with modularity 0.
  const auto communities = nlohmann::json::parse(out);
  EXPECT_NEAR(communities["modularity"].get<double>(), 0.0, 1e-12) << out;

  ASSERT_EQ(Run({"network", "path", "Beijing", "Shanghai"}, out, err), 0) << err;
  EXPECT_EQ(out, "2 ties: Beijing (CHN) —sister— Seoul (KOR) —friendship— Shanghai (CHN)\n");

  ASSERT_EQ(Run({"network", "countries", "--json"}, out, err), 0) << err;
  EXPECT_EQ(nlohmann::json::parse(out)["countries"][0]["country"], "CHN");

  for (const char* format : {"graphml", "gexf", "csv", "csv-nodes"}) {
    ASSERT_EQ(Run({"network", "export", "--format", format, "--metrics"}, out, err), 0) << err;
    EXPECT_FALSE(out.empty()) << format;
  }
  EXPECT_THAT(out, HasSubstr("name,country,lat,lon,degree,betweenness,eigenvector,community"));
}

TEST_F(NetworkServiceTest, CommandsRejectBadInput) {
  std::string out;
  std::string err;
  EXPECT_EQ(Run({"network", "path", "Seoul", "Atlantis"}, out, err), 1);
  EXPECT_THAT(err, HasSubstr("no city named 'Atlantis'"));
  EXPECT_EQ(Run({"network", "export", "--format", "dot"}, out, err), 1);
  EXPECT_THAT(err, HasSubstr("'dot' is not an export format"));
  EXPECT_EQ(Run({"network", "communities", "--algorithm", "girvan"}, out, err), 1);
  EXPECT_EQ(Run({"network", "centrality", "--sort", "pagerank"}, out, err), 1);
  EXPECT_EQ(Run({"network", "opportunities", "--partner", "Seoul"}, out, err), 1);
  EXPECT_THAT(err, HasSubstr("is the home city"));
  EXPECT_EQ(Run({"network", "opportunities", "--as-of", "2025-13"}, out, err), 1);
}

TEST_F(NetworkServiceTest, ImportKindTwinningReportsFileAndLine) {
  std::string out;
  std::string err;
  const std::string good = Write("good.tsv", RealRowsWithSister("Beijing"));
  ASSERT_EQ(Run({"import", "--kind", "twinning", good}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("imported 2 partner_relations and 2 cities from 2 rows"));

  const std::string bad =
      Write("bad.tsv", RealRowsWithSister("Beijing") +
                           "Bonn\tGermny\t50.7\t7.1\t\tLille\t50.6\t3.1\t\tFrance\t300\tEU\n");
  EXPECT_EQ(Run({"import", "--kind", "twinning", bad}, out, err), 1);
  EXPECT_THAT(err, HasSubstr(bad + ":4: column 'origincountry': unknown country 'Germny'"));
}

// Issue item 5, through the registry import: a membership naming an unknown organization and a
// relation of a city with itself are rejected with FILE:LINE.
TEST_F(NetworkServiceTest, RegistryImportRejectsUnknownOrganizationAndSelfRelation) {
  std::string out;
  std::string err;
  const std::string memberships =
      Write("memberships.csv",
            "city,country,organization,role,since,until,source_url\n"
            "Seoul,KOR,Metropolis,member,1987,,https://example.org/a\n"
            "Seoul,KOR,No Such Network,member,2001,,https://example.org/b\n");
  EXPECT_EQ(Run({"import", memberships}, out, err), 1);
  EXPECT_THAT(err, HasSubstr(memberships + ":3"));
  EXPECT_THAT(err, HasSubstr("No Such Network"));

  const std::string relations =
      Write("partner_relations.csv",
            "city_a,country_a,city_b,country_b,relation,since,until,status,source_url\n"
            "Seoul,KOR,Seoul,KOR,sister,2001,,active,https://example.org/c\n");
  EXPECT_EQ(Run({"import", relations}, out, err), 1);
  EXPECT_THAT(err, HasSubstr(relations + ":2"));
  EXPECT_THAT(err, HasSubstr("its own partner"));
}

}  // namespace
}  // namespace citydip::app
