// network opportunities|centrality|communities|path|countries|export: the city network of the
// registry (partner relations, shipped and imported from Wikidata) and the membership network.
#include "citydip/cli/network_command.h"

#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "citydip/app/network_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/context.h"
#include "citydip/core/countries.h"
#include "citydip/report/table.h"

namespace citydip::cli {
namespace {

namespace network = analytics::network;
using report::Align;
using report::Table;

std::string Fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

std::string Describe(const CityRef& city) {
  return city.country.empty() ? city.name : city.name + " (" + city.country + ")";
}

Status ParseDate(const std::string& text, const std::string& option, PartialDate& out) {
  if (text.empty()) {
    return Ok();
  }
  auto date = PartialDate::Parse(text);
  if (!date) {
    return Fail(ErrorCode::kInvalidArgument, date.error().message, option);
  }
  out = *date;
  return Ok();
}

// Writes `text` to `path`, or to ctx.out when the path is empty.
void Emit(CliContext& ctx, const std::string& text, const std::string& path) {
  if (path.empty()) {
    *ctx.out << text;
    return;
  }
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file) {
    ReportError(ctx, Error{ErrorCode::kUnavailable, "cannot write the file", path});
    return;
  }
  if (!ctx.quiet) {
    *ctx.err << "citydip: wrote " << path << "\n";
  }
}

void RegisterOpportunities(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string home = "Seoul";
    std::string partner;
    std::string as_of;
    std::size_t top = 0;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* command = group.add_subcommand(
      "opportunities",
      "where bilateral ties can move into city networks: invite partners into networks the home "
      "city leads, use shared networks, meet on multilateral occasions");
  command->add_option("--home", args->home, "home city")->capture_default_str();
  command->add_option("--partner", args->partner, "one partner city (default: all partners)");
  command->add_option("--as-of", args->as_of,
                      "memberships current at this date, YYYY[-MM[-DD]] (default: today)");
  command->add_option("--top", args->top, "list at most N (default: all)");
  command->add_flag("--json", args->json, "JSON output");
  command->callback([&ctx, args] {
    app::OpportunityRequest request;
    request.home = args->home;
    request.partner = args->partner;
    if (!Check(ctx, ParseDate(args->as_of, "--as-of", request.as_of))) {
      return;
    }
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto result = app::NetworkOpportunities(**store, request);
    if (!Check(ctx, result)) {
      return;
    }
    if (args->top > 0 && result->opportunities.size() > args->top) {
      result->opportunities.resize(args->top);
    }
    if (args->json) {
      *ctx.out << app::ToJson(*result).dump(2) << "\n";
      return;
    }
    std::string leads;
    for (const auto& n : result->home_networks) {
      if (n.leads) {
        leads += (leads.empty() ? "" : ", ") + n.organization + " (" +
                 std::string(EntryOf(n.role).label_en) + ")";
      }
    }
    *ctx.out << Describe(result->home) << " leads: " << (leads.empty() ? "no network" : leads)
             << "\n\n";
    Table partners;
    partners.AddColumn("partner");
    partners.AddColumn("relation");
    partners.AddColumn("shared networks", Align::kLeft, 50);
    partners.AddColumn("led by home, partner absent", Align::kLeft, 50);
    for (const auto& p : result->partners) {
      auto join = [](const std::vector<std::string>& names) {
        std::string out;
        for (const auto& name : names) {
          out += (out.empty() ? "" : ", ") + name;
        }
        return out.empty() ? std::string("-") : out;
      };
      partners.AddRow({Describe(p.partner),
                       p.relation ? std::string(ToCode(*p.relation)) : std::string("-"),
                       join(p.shared), join(p.led_by_home_without_partner)});
    }
    if (!partners.empty()) {
      *ctx.out << partners.Render() << "\n";
    }
    if (result->opportunities.empty()) {
      *ctx.out << "no opportunities found\n";
      return;
    }
    int rank = 0;
    for (const auto& o : result->opportunities) {
      *ctx.out << std::setw(3) << ++rank << ". [" << network::OpportunityKindCode(o.kind) << "] "
               << (o.organization.empty() ? "" : o.organization + " — ") << Describe(o.partner)
               << " (score " << Fixed(o.score, 2) << ")\n     " << o.reason << "\n";
    }
  });
}

void RegisterCentrality(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::size_t top = 0;
    std::string sort = "degree";
    std::string city;
    bool include_ended = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* command = group.add_subcommand(
      "centrality",
      "degree, betweenness (normalized as networkx does) and eigenvector centrality of every city");
  command->add_option("--top", args->top, "list the first N cities (default: all)");
  command->add_option("--sort", args->sort, "degree, betweenness or eigenvector")
      ->capture_default_str();
  command->add_option("--city", args->city, "also show where this city ranks");
  command->add_flag("--include-ended", args->include_ended, "count ended relations as ties");
  command->add_flag("--json", args->json, "JSON output");
  command->callback([&ctx, args] {
    app::CentralityRequest request;
    auto sort = app::ParseCentralitySort(args->sort);
    if (!Check(ctx, sort)) {
      return;
    }
    request.sort = *sort;
    request.top = args->top;
    request.city = args->city;
    request.network.include_ended = args->include_ended;
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto result = app::NetworkCentrality(**store, request);
    if (!Check(ctx, result)) {
      return;
    }
    if (args->json) {
      *ctx.out << app::ToJson(*result).dump(2) << "\n";
      return;
    }
    *ctx.out << result->cities << " cities, " << result->ties << " ties, " << result->components
             << " components (largest: " << result->largest_component << " cities)\n\n";
    Table table;
    table.AddColumn("#", Align::kRight);
    table.AddColumn("city");
    table.AddColumn("country");
    table.AddColumn("degree", Align::kRight);
    table.AddColumn("betweenness", Align::kRight);
    table.AddColumn("eigenvector", Align::kRight);
    std::size_t position = 0;
    for (const auto& row : result->rows) {
      table.AddRow({std::to_string(++position), row.city.name, row.city.country,
                    std::to_string(row.degree), Fixed(row.betweenness, 6),
                    Fixed(row.eigenvector, 6)});
    }
    *ctx.out << table.Render();
    if (result->city) {
      const auto& c = *result->city;
      *ctx.out << "\n"
               << Describe(c.city) << ": degree " << c.degree << " (rank " << c.degree_rank
               << "), betweenness " << Fixed(c.betweenness, 6) << " (rank " << c.betweenness_rank
               << "), eigenvector " << Fixed(c.eigenvector, 6) << " (rank " << c.eigenvector_rank
               << ") of " << result->cities << " cities\n";
    }
  });
}

void RegisterCommunities(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string algorithm = "leiden";
    double resolution = 1.0;
    std::uint64_t seed = 1;
    std::size_t members = 10;
    std::size_t top = 20;
    bool include_ended = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* command = group.add_subcommand(
      "communities", "groups of cities more tied to each other than to the rest (modularity)");
  command->add_option("--algorithm", args->algorithm, "leiden or louvain")->capture_default_str();
  command->add_option("--resolution", args->resolution, "modularity resolution")
      ->capture_default_str();
  command->add_option("--seed", args->seed, "random seed (same seed, same partition)")
      ->capture_default_str();
  command->add_option("--members", args->members, "members listed per community (0: all)")
      ->capture_default_str();
  command->add_option("--top", args->top, "communities listed (0: all)")->capture_default_str();
  command->add_flag("--include-ended", args->include_ended, "count ended relations as ties");
  command->add_flag("--json", args->json, "JSON output");
  command->callback([&ctx, args] {
    auto algorithm = network::ParseCommunityAlgorithm(args->algorithm);
    if (!Check(ctx, algorithm)) {
      return;
    }
    app::CommunityRequest request;
    request.options = {*algorithm, args->resolution, args->seed};
    request.members = args->members;
    request.network.include_ended = args->include_ended;
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto result = app::NetworkCommunities(**store, request);
    if (!Check(ctx, result)) {
      return;
    }
    if (args->top > 0 && result->rows.size() > args->top) {
      result->rows.resize(args->top);
    }
    if (args->json) {
      *ctx.out << app::ToJson(*result).dump(2) << "\n";
      return;
    }
    *ctx.out << network::CommunityAlgorithmName(result->options.algorithm) << ": "
             << result->communities << " communities among " << result->cities
             << " cities, modularity " << Fixed(result->modularity, 4) << "\n\n";
    for (const auto& row : result->rows) {
      std::string countries;
      for (const auto& [country, count] : row.countries) {
        countries += (countries.empty() ? "" : ", ") + country + " " + std::to_string(count);
      }
      std::string members;
      for (const auto& city : row.members) {
        members += (members.empty() ? "" : ", ") + Describe(city);
      }
      *ctx.out << "#" << row.id << "  " << row.size << " cities  [" << countries << "]\n    "
               << members << (row.members.size() < row.size ? ", ..." : "") << "\n";
    }
  });
}

void RegisterPath(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string from;
    std::string to;
    bool include_ended = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* command = group.add_subcommand("path", "the shortest chain of ties between two cities");
  command->add_option("city_a", args->from, "first city (\"Seoul\", \"Beijing,CHN\")")->required();
  command->add_option("city_b", args->to, "second city")->required();
  command->add_flag("--include-ended", args->include_ended, "count ended relations as ties");
  command->add_flag("--json", args->json, "JSON output");
  command->callback([&ctx, args] {
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto result = app::NetworkPath(**store, args->from, args->to, {args->include_ended});
    if (!Check(ctx, result)) {
      return;
    }
    if (args->json) {
      *ctx.out << app::ToJson(*result).dump(2) << "\n";
      return;
    }
    *ctx.out << result->ties.size() << (result->ties.size() == 1 ? " tie" : " ties") << ": ";
    for (std::size_t i = 0; i < result->cities.size(); ++i) {
      if (i > 0) {
        *ctx.out << " —" << ToCode(result->ties[i - 1]) << "— ";
      }
      *ctx.out << Describe(result->cities[i]);
    }
    *ctx.out << "\n";
  });
}

void RegisterCountries(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::size_t top = 30;
    bool include_ended = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* command = group.add_subcommand(
      "countries", "ties per country: domestic and international, partner countries, brokerage");
  command->add_option("--top", args->top, "countries listed (0: all)")->capture_default_str();
  command->add_flag("--include-ended", args->include_ended, "count ended relations as ties");
  command->add_flag("--json", args->json, "JSON output");
  command->callback([&ctx, args] {
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto result = app::NetworkCountries(**store, {args->include_ended});
    if (!Check(ctx, result)) {
      return;
    }
    if (args->top > 0 && result->countries.size() > args->top) {
      result->countries.resize(args->top);
    }
    if (args->json) {
      *ctx.out << app::ToJson(*result).dump(2) << "\n";
      return;
    }
    Table table;
    table.AddColumn("country");
    table.AddColumn("cities", Align::kRight);
    table.AddColumn("ties", Align::kRight);
    table.AddColumn("domestic", Align::kRight);
    table.AddColumn("international", Align::kRight);
    table.AddColumn("partner countries", Align::kRight);
    table.AddColumn("top partners", Align::kLeft, 40);
    table.AddColumn("betweenness sum", Align::kRight);
    table.AddColumn("most connected", Align::kLeft, 30);
    for (const auto& c : result->countries) {
      std::string partners;
      for (const auto& [country, ties] : c.top_partner_countries) {
        partners += (partners.empty() ? "" : ", ") + country + " " + std::to_string(ties);
      }
      table.AddRow({c.country.empty() ? "-" : c.country, std::to_string(c.cities),
                    std::to_string(c.ties), std::to_string(c.domestic_ties),
                    std::to_string(c.international_ties), std::to_string(c.partner_countries),
                    partners, Fixed(c.betweenness_sum.value_or(0), 4),
                    result->cities[c.most_connected_city].name + " (" +
                        std::to_string(c.most_connected_degree) + ")"});
    }
    *ctx.out << table.Render();
  });
}

void RegisterExport(CLI::App& group, CliContext& ctx) {
  struct Args {
    std::string format = "graphml";
    std::string output;
    bool metrics = false;
    bool include_ended = false;
  };
  auto args = std::make_shared<Args>();
  auto* command =
      group.add_subcommand("export", "the network as GraphML, GEXF (Gephi) or CSV edge/node lists");
  command->add_option("--format", args->format, "graphml, gexf, csv (edges) or csv-nodes")
      ->capture_default_str();
  command->add_option("-o,--output", args->output, "output file (default: stdout)");
  command->add_flag("--metrics", args->metrics,
                    "add degree, betweenness, eigenvector and Leiden community to the cities");
  command->add_flag("--include-ended", args->include_ended, "count ended relations as ties");
  command->callback([&ctx, args] {
    auto format = network::ParseGraphFormat(args->format);
    if (!Check(ctx, format)) {
      return;
    }
    auto store = app::OpenStore(ctx.db);
    if (!Check(ctx, store)) {
      return;
    }
    auto text = app::ExportNetwork(**store, {{args->include_ended}, *format, args->metrics});
    if (!Check(ctx, text)) {
      return;
    }
    Emit(ctx, *text, args->output);
  });
}

}  // namespace

void RunTwinningImport(CliContext& ctx,
                       const std::vector<std::string>& files,
                       std::size_t max_errors,
                       bool json) {
  auto store = app::OpenStore(ctx.db);
  if (!Check(ctx, store)) {
    return;
  }
  auto report = app::ImportTwinning(**store, files, {max_errors});
  if (!Check(ctx, report)) {
    return;
  }
  if (json) {
    *ctx.out << app::ToJson(*report).dump(2) << "\n";
    return;
  }
  if (!ctx.quiet) {
    for (const auto& line : report->skipped) {
      *ctx.err << "citydip: " << line << "\n";
    }
    if (report->skipped_count > report->skipped.size()) {
      *ctx.err << "citydip: ... and " << report->skipped_count - report->skipped.size()
               << " more rows left out\n";
    }
  }
  *ctx.out << "imported " << report->relations_created << " partner_relations and "
           << report->cities_created << " cities from " << report->rows << " rows in "
           << report->files << (report->files == 1 ? " file" : " files") << " ("
           << report->duplicate_pairs << " repeated pairs, " << report->self_pairs
           << " self-pairs, " << report->skipped_count << " rows with a former or unknown country "
           << "left out; " << report->relations_existing << " pairs and " << report->cities_existing
           << " cities were already in the registry; " << report->merged_homonyms
           << " names stand for places more than 25 km apart)\n";
}

void RegisterNetworkCommand(CLI::App& root, CliContext& ctx) {
  auto* group = root.add_subcommand(
      "network",
      "the city network: partner relations (shipped and Wikidata twin towns) and "
      "city-network memberships");
  group->require_subcommand(1);
  RegisterOpportunities(*group, ctx);
  RegisterCentrality(*group, ctx);
  RegisterCommunities(*group, ctx);
  RegisterPath(*group, ctx);
  RegisterCountries(*group, ctx);
  RegisterExport(*group, ctx);
}

}  // namespace citydip::cli
