// init, import, export, list, show, stats: the registry commands.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "citydip/app/migrate_service.h"
#include "citydip/app/registry_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/cli/context.h"
#ifdef CITYDIP_CLI_HAS_NETWORK
#include "citydip/cli/network_command.h"
#endif
#include "citydip/core/text.h"
#include "citydip/report/table.h"

namespace citydip::cli {
namespace {

using report::Align;
using report::Table;

// Options shared by `list` (the event filters of docs/cli.md).
struct ListOptions {
  std::string kind;
  std::string home;
  std::string partner;
  std::string from;
  std::string to;
  std::string type;
  std::string framework;
  std::string mode;
  std::string level;
  std::string topic;
  std::string org;
  std::string text;
  bool include_imprecise = false;
  bool json = false;
  std::string lang = "en";
  std::int64_t limit = -1;
  std::int64_t offset = 0;
};

template <typename E>
Status ParseFilterEnum(const std::string& text, const std::string& option, std::optional<E>& out) {
  if (text.empty()) {
    return Ok();
  }
  auto value = ParseEnum<E>(text);
  if (!value) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + text + "' is not a valid " + std::string(EnumName<E>()) + " (expected " +
                    AllowedCodes<E>() + ")",
                option);
  }
  out = value;
  return Ok();
}

Status ParseDateOption(const std::string& text, const std::string& option, PartialDate& out) {
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

Result<EventFilter> BuildFilter(storage::Store& store, const ListOptions& options) {
  EventFilter filter;
  if (!options.home.empty()) {
    auto city = app::ResolveCity(store, options.home);
    if (!city) {
      return Fail(city.error());
    }
    filter.home = city->Ref();
  }
  if (!options.partner.empty()) {
    auto city = app::ResolveCity(store, options.partner);
    if (!city) {
      return Fail(city.error());
    }
    filter.partner = city->Ref();
  }
  for (const auto& status : {ParseDateOption(options.from, "--from", filter.range.from),
                             ParseDateOption(options.to, "--to", filter.range.to),
                             ParseFilterEnum(options.type, "--type", filter.type),
                             ParseFilterEnum(options.framework, "--framework", filter.framework),
                             ParseFilterEnum(options.mode, "--mode", filter.mode),
                             ParseFilterEnum(options.level, "--level", filter.level),
                             ParseFilterEnum(options.topic, "--topic", filter.topic)}) {
    if (!status) {
      return Fail(status.error());
    }
  }
  filter.include_imprecise = options.include_imprecise;
  filter.organization = options.org;
  filter.text = options.text;
  filter.limit = options.limit;
  filter.offset = options.offset;
  return filter;
}

std::string Cities(const std::vector<CityRef>& cities) {
  std::vector<std::string> names;
  for (const auto& city : cities) {
    names.push_back(city.name);
  }
  return JoinList(names);
}

std::string Title(const Event& event, const std::string& lang) {
  if (lang == "ko" && !event.title_ko.empty()) {
    return event.title_ko;
  }
  return event.title_en.empty() ? event.title_ko : event.title_en;
}

std::string RenderList(const app::ListResult& result, const std::string& lang) {
  Table table;
  switch (result.kind) {
    case RecordKind::kEvent:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("date");
      table.AddColumn(lang == "ko" ? "유형" : "type");
      table.AddColumn(lang == "ko" ? "상대 도시" : "partners", Align::kLeft, 28);
      table.AddColumn(lang == "ko" ? "급" : "level");
      table.AddColumn(lang == "ko" ? "제목" : "title", Align::kLeft, 70);
      for (const auto& record : result.items) {
        const auto& event = std::get<Event>(record);
        table.AddRow({std::to_string(event.id), event.date.ToString(),
                      std::string(lang == "ko" ? EntryOf(event.type).label_ko : ToCode(event.type)),
                      Cities(event.partner_cities),
                      event.level ? std::string(ToCode(*event.level)) : "?", Title(event, lang)});
      }
      break;
    case RecordKind::kCity:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("name");
      table.AddColumn("한국어");
      table.AddColumn("中文");
      table.AddColumn("country");
      table.AddColumn("kind");
      for (const auto& record : result.items) {
        const auto& city = std::get<City>(record);
        table.AddRow({std::to_string(city.id), city.name_en, city.name_ko, city.name_zh,
                      city.country, std::string(ToCode(city.kind))});
      }
      break;
    case RecordKind::kPartnerRelation:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("city a");
      table.AddColumn("city b");
      table.AddColumn("relation");
      table.AddColumn("since");
      table.AddColumn("status");
      for (const auto& record : result.items) {
        const auto& relation = std::get<PartnerRelation>(record);
        table.AddRow({std::to_string(relation.id), relation.city_a.name, relation.city_b.name,
                      std::string(ToCode(relation.relation)), relation.since.ToString(),
                      std::string(ToCode(relation.status))});
      }
      break;
    case RecordKind::kOrganization:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("name", Align::kLeft, 50);
      table.AddColumn("acronym");
      table.AddColumn("kind");
      table.AddColumn("founded");
      for (const auto& record : result.items) {
        const auto& org = std::get<Organization>(record);
        table.AddRow({std::to_string(org.id), org.name, org.acronym, std::string(ToCode(org.kind)),
                      org.founded.ToString()});
      }
      break;
    case RecordKind::kMembership:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("city");
      table.AddColumn("organization", Align::kLeft, 50);
      table.AddColumn("role");
      table.AddColumn("since");
      table.AddColumn("until");
      for (const auto& record : result.items) {
        const auto& membership = std::get<Membership>(record);
        table.AddRow({std::to_string(membership.id), membership.city.name, membership.organization,
                      std::string(ToCode(membership.role)), membership.since.ToString(),
                      membership.until.ToString()});
      }
      break;
    case RecordKind::kOfficial:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("name");
      table.AddColumn("이름");
      table.AddColumn("office");
      table.AddColumn("city");
      table.AddColumn("term");
      table.AddColumn("acting");
      for (const auto& record : result.items) {
        const auto& official = std::get<Official>(record);
        table.AddRow({std::to_string(official.id), official.name_en, official.name_ko,
                      official.office, official.city.name,
                      official.term_start.ToString() + " .. " + official.term_end.ToString(),
                      official.acting ? "yes" : ""});
      }
      break;
    case RecordKind::kMechanism:
      table.AddColumn("id", Align::kRight);
      table.AddColumn("name", Align::kLeft, 50);
      table.AddColumn("cities");
      table.AddColumn("founded");
      table.AddColumn("fields", Align::kLeft, 50);
      for (const auto& record : result.items) {
        const auto& mechanism = std::get<Mechanism>(record);
        table.AddRow({std::to_string(mechanism.id), mechanism.name_en, Cities(mechanism.cities),
                      mechanism.founded.ToString(), JoinList(mechanism.fields)});
      }
      break;
  }
  std::string text = table.Render();
  text += std::to_string(result.items.size()) + " of " + std::to_string(result.total) + " " +
          std::string(RecordKindName(result.kind)) + "\n";
  if (result.imprecise_excluded > 0) {
    text += std::to_string(result.imprecise_excluded) +
            " more events have imprecise dates (year or month) that overlap the range only "
            "partly; add --include-imprecise to include them\n";
  }
  return text;
}

std::string RenderProfile(const app::CityProfile& profile, const std::string& lang) {
  std::string text;
  const auto& city = profile.city;
  text += city.name_en;
  if (!city.name_ko.empty()) {
    text += " / " + city.name_ko;
  }
  if (!city.name_zh.empty()) {
    text += " / " + city.name_zh;
  }
  text += "  (" + city.country + ", " + std::string(ToCode(city.kind)) + ")\n\n";

  text += "Partner relations\n";
  Table relations;
  relations.AddColumn("partner");
  relations.AddColumn("relation");
  relations.AddColumn("since");
  relations.AddColumn("status");
  for (const auto& relation : profile.relations) {
    const auto& other = relation.city_a.name == city.name_en ? relation.city_b : relation.city_a;
    relations.AddRow({other.name, std::string(ToCode(relation.relation)), relation.since.ToString(),
                      std::string(ToCode(relation.status))});
  }
  text += relations.empty() ? "  (none recorded)\n" : relations.Render();

  text += "\nCity-network memberships\n";
  Table memberships;
  memberships.AddColumn("organization", Align::kLeft, 50);
  memberships.AddColumn("role");
  memberships.AddColumn("since");
  memberships.AddColumn("until");
  for (const auto& membership : profile.memberships) {
    memberships.AddRow({membership.organization, std::string(ToCode(membership.role)),
                        membership.since.ToString(), membership.until.ToString()});
  }
  text += memberships.empty() ? "  (none recorded)\n" : memberships.Render();

  text += "\nMechanisms\n";
  Table mechanisms;
  mechanisms.AddColumn("name", Align::kLeft, 50);
  mechanisms.AddColumn("founded");
  mechanisms.AddColumn("fields", Align::kLeft, 50);
  for (const auto& mechanism : profile.mechanisms) {
    mechanisms.AddRow(
        {mechanism.name_en, mechanism.founded.ToString(), JoinList(mechanism.fields)});
  }
  text += mechanisms.empty() ? "  (none recorded)\n" : mechanisms.Render();

  text += "\nEvents per year\n";
  Table years;
  years.AddColumn("year");
  years.AddColumn("events", Align::kRight);
  years.AddColumn("");
  for (const auto& [year, count] : profile.events_per_year) {
    years.AddRow({std::to_string(year), std::to_string(count),
                  std::string(static_cast<std::size_t>(std::min<std::int64_t>(count, 40)), '#')});
  }
  text += years.empty() ? "  (none recorded)\n" : years.Render();

  text += "\nMayor-level visits and agreements\n";
  Table visits;
  visits.AddColumn("date");
  visits.AddColumn("direction");
  visits.AddColumn("type");
  visits.AddColumn("title", Align::kLeft, 70);
  for (const auto& event : profile.official_visits) {
    visits.AddRow({event.date.ToString(),
                   event.direction ? std::string(ToCode(*event.direction)) : "?",
                   std::string(ToCode(event.type)), Title(event, lang)});
  }
  text += visits.empty() ? "  (none recorded)\n" : visits.Render();
  return text;
}

std::string RenderStats(const app::Stats& stats) {
  std::string text;
  Table counts;
  counts.AddColumn("records");
  counts.AddColumn("count", Align::kRight);
  const auto add = [&](const char* name, std::int64_t count) {
    counts.AddRow({name, std::to_string(count)});
  };
  add("cities", stats.counts.cities);
  add("organizations", stats.counts.organizations);
  add("partner relations", stats.counts.partner_relations);
  add("memberships", stats.counts.memberships);
  add("officials (terms)", stats.counts.officials);
  add("mechanisms", stats.counts.mechanisms);
  add("events", stats.counts.events);
  text += counts.Render();

  text += "\nEvents per type\n";
  Table types;
  types.AddColumn("type");
  types.AddColumn("events", Align::kRight);
  for (const auto& [type, count] : stats.events_per_type) {
    types.AddRow({type, std::to_string(count)});
  }
  text += types.Render();

  text += "\nEvents per partner city\n";
  Table partners;
  partners.AddColumn("partner");
  partners.AddColumn("events", Align::kRight);
  for (const auto& [partner, count] : stats.events_per_partner) {
    partners.AddRow({partner, std::to_string(count)});
  }
  text += partners.Render();

  text += "\nEvents per year: ";
  bool first = true;
  for (const auto& [year, count] : stats.events_per_year) {
    text += (first ? "" : ", ") + std::to_string(year) + ": " + std::to_string(count);
    first = false;
  }
  text += "\n\nOfficials' visit claims: " + std::to_string(stats.supported_claims) +
          " supported by events, " + std::to_string(stats.unsupported_claims.size()) +
          " not supported\n";
  for (const auto& claim : stats.unsupported_claims) {
    text += "  - " + claim + "\n";
  }
  return text;
}

Result<RecordKind> ParseKindOption(const std::string& text) {
  auto kind = ParseRecordKind(text);
  if (!kind) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + text + "' is not a record kind (expected cities, partner_relations, " +
                    "organizations, memberships, officials, mechanisms or events)");
  }
  return *kind;
}

}  // namespace

void RegisterRegistryCommands(CLI::App& root, CliContext& ctx) {
  auto* init = root.add_subcommand("init", "create the registry database or upgrade its schema");
  init->callback([&ctx] {
    auto store = app::OpenStore(ctx.db, app::OpenMode::kInit);
    if (!Check(ctx, store)) {
      return;
    }
    auto version = (*store)->SchemaVersion();
    if (Check(ctx, version)) {
      *ctx.out << "citydip: " << ctx.db << " is at schema version " << *version << "\n";
    }
  });

  // import
  struct ImportArgs {
    std::string kind;
    std::size_t max_errors = 20;
    bool create_cities = false;
    bool json = false;
    std::vector<std::string> files;
  };
  auto import_args = std::make_shared<ImportArgs>();
  auto* import =
      root.add_subcommand("import", "import records from CSV or JSON files, all or nothing");
  import->add_option(
      "--kind", import_args->kind,
      "record kind (default: detected from the header): cities, partner_relations, "
      "organizations, memberships, officials, mechanisms, events; twinning for Wikidata "
      "twin-town pairs (12-column TSV)");
  import->add_option("--max-errors", import_args->max_errors, "errors listed at most")
      ->capture_default_str();
  import->add_flag("--create-cities", import_args->create_cities,
                   "create cities the files name but the registry lacks");
  import->add_flag("--json", import_args->json, "machine-readable summary");
  import->add_option("files", import_args->files, "CSV or JSON files")->required();
  import->callback([&ctx, import_args] {
#ifdef CITYDIP_CLI_HAS_NETWORK
    if (import_args->kind == "twinning") {  // Wikidata twin-town pairs (network_command.cpp)
      RunTwinningImport(ctx, import_args->files, import_args->max_errors, import_args->json);
  return;
}
#endif
app::ImportOptions options;
options.max_errors = import_args->max_errors;
options.create_cities = import_args->create_cities;
if (!import_args->kind.empty()) {
  auto kind = ParseKindOption(import_args->kind);
  if (!Check(ctx, kind)) {
    return;
  }
  options.kind = *kind;
}
auto store = app::OpenStore(ctx.db);
if (!Check(ctx, store)) {
  return;
}
auto report = app::ImportFiles(**store, import_args->files, options);
if (!Check(ctx, report)) {
  return;
}
if (import_args->json) {
  *ctx.out << app::ToJson(*report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
           << "\n";
  return;
}
for (const auto& line : report->skipped) {
  *ctx.err << "citydip: " << line << "\n";
}
std::string summary;
for (const auto& [kind, count] : report->imported) {
  summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " +
             std::string(RecordKindName(kind));
}
*ctx.out << "imported " << (summary.empty() ? "nothing new" : summary);
if (!report->skipped.empty()) {
  *ctx.out << "; " << report->skipped.size() << " duplicates skipped";
}
*ctx.out << "\n";
}  // namespace citydip::cli
);

// export
struct ExportArgs {
  std::string kind;
  std::string format = "csv";
  std::string output;
};
auto export_args = std::make_shared<ExportArgs>();
auto* exporter = root.add_subcommand("export", "write every record of a kind as CSV or JSON");
exporter->add_option("--kind", export_args->kind, "record kind")->required();
exporter->add_option("--format", export_args->format, "csv or json")
    ->check(CLI::IsMember({"csv", "json"}))
    ->capture_default_str();
exporter->add_option("-o,--output", export_args->output, "output file (default: stdout)");
exporter->callback([&ctx, export_args] {
  auto kind = ParseKindOption(export_args->kind);
  if (!Check(ctx, kind)) {
    return;
  }
  auto store = app::OpenStore(ctx.db);
  if (!Check(ctx, store)) {
    return;
  }
  const auto format =
      export_args->format == "json" ? ingest::FileFormat::kJson : ingest::FileFormat::kCsv;
  auto text = app::ExportRecords(**store, *kind, format);
  if (!Check(ctx, text)) {
    return;
  }
  if (export_args->output.empty()) {
    *ctx.out << *text;
    return;
  }
  std::ofstream file(export_args->output, std::ios::binary);
  file << *text;
  file.close();
  if (!file) {
    ReportError(ctx, Error{ErrorCode::kUnavailable, "cannot write the file", export_args->output});
  }
});

// list
auto list_args = std::make_shared<ListOptions>();
auto* list = root.add_subcommand("list", "list records of a kind, with filters for events");
list->add_option("kind", list_args->kind, "record kind, e.g. events")->required();
list->add_option("--home", list_args->home, "home city");
list->add_option("--partner", list_args->partner, "partner city");
list->add_option("--from", list_args->from, "from date: YYYY, YYYY-MM or YYYY-MM-DD");
list->add_option("--to", list_args->to, "to date (inclusive): YYYY, YYYY-MM or YYYY-MM-DD");
list->add_flag("--include-imprecise",
               list_args->include_imprecise,
               "also include events whose year- or month-precise date overlaps the range partly");
list->add_option("--type", list_args->type, "event type, e.g. leader_visit");
list->add_option("--framework", list_args->framework, "bilateral, multilateral, ...");
list->add_option("--mode", list_args->mode, "offline, online or blended");
list->add_option("--level", list_args->level, "mayor, council, department, ...");
list->add_option("--topic", list_args->topic, "economy, culture, environment, ...");
list->add_option("--org", list_args->org, "organization name");
list->add_option("--q", list_args->text, "text in titles or notes");
list->add_option("--limit", list_args->limit, "at most N records");
list->add_option("--offset", list_args->offset, "skip the first N records");
list->add_option("--lang", list_args->lang, "en or ko")->check(CLI::IsMember({"en", "ko"}));
list->add_flag("--json", list_args->json, "JSON: {\"items\": [...], \"total\": N}");
list->callback([&ctx, list_args] {
  auto kind = ParseKindOption(list_args->kind);
  if (!Check(ctx, kind)) {
    return;
  }
  auto store = app::OpenStore(ctx.db);
  if (!Check(ctx, store)) {
    return;
  }
  auto filter = BuildFilter(**store, *list_args);
  if (!Check(ctx, filter)) {
    return;
  }
  auto result = app::ListRecords(**store, *kind, *filter);
  if (!Check(ctx, result)) {
    return;
  }
  if (list_args->json) {
    *ctx.out << app::ToJson(*result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
             << "\n";
  } else {
    *ctx.out << RenderList(*result, list_args->lang);
  }
});

// show city
struct ShowArgs {
  std::string name;
  bool json = false;
  std::string lang = "en";
};
auto show_args = std::make_shared<ShowArgs>();
auto* show = root.add_subcommand("show", "show one record in full");
show->require_subcommand(1);
auto* show_city = show->add_subcommand("city",
                                       "a partner profile: relations, memberships, "
                                       "events per year, officials' visits, mechanisms");
show_city->add_option("name", show_args->name, "city name (English, Korean or Chinese)")
    ->required();
show_city->add_flag("--json", show_args->json, "JSON output");
show_city->add_option("--lang", show_args->lang, "en or ko")->check(CLI::IsMember({"en", "ko"}));
show_city->callback([&ctx, show_args] {
  auto store = app::OpenStore(ctx.db);
  if (!Check(ctx, store)) {
    return;
  }
  auto profile = app::ShowCity(**store, show_args->name);
  if (!Check(ctx, profile)) {
    return;
  }
  if (show_args->json) {
    *ctx.out << app::ToJson(*profile).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
             << "\n";
  } else {
    *ctx.out << RenderProfile(*profile, show_args->lang);
  }
});

// stats
auto stats_json = std::make_shared<bool>(false);
auto* stats = root.add_subcommand("stats", "registry statistics and checks of visit claims");
stats->add_flag("--json", *stats_json, "JSON output (docs/cli.md)");
stats->callback([&ctx, stats_json] {
  auto store = app::OpenStore(ctx.db);
  if (!Check(ctx, store)) {
    return;
  }
  auto result = app::ComputeStats(**store);
  if (!Check(ctx, result)) {
    return;
  }
  if (*stats_json) {
    *ctx.out << app::ToJson(*result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
             << "\n";
  } else {
    *ctx.out << RenderStats(*result);
  }
});

// migrate
struct MigrateArgs {
  std::string from;
  std::string to;
};
auto migrate_args = std::make_shared<MigrateArgs>();
auto* migrate = root.add_subcommand(
    "migrate",
    "copy a whole registry to another database (SQLite <-> PostgreSQL), verified by per-kind "
    "counts and checksums; the target must be empty");
migrate
    ->add_option("--from",
                 migrate_args->from,
                 "source: a SQLite file (sqlite:PATH) or a postgresql:// URL")
    ->required();
migrate
    ->add_option("--to",
                 migrate_args->to,
                 "target: a SQLite file (sqlite:PATH) or a postgresql:// URL")
    ->required();
migrate->callback([&ctx, migrate_args] {
  if (migrate_args->from == migrate_args->to) {
    ReportError(ctx, Error{ErrorCode::kInvalidArgument,
                           "--from and --to name the same database (expected two databases)", ""});
    return;
  }
  auto from = app::OpenStore(migrate_args->from);
  if (!Check(ctx, from)) {
    return;
  }
  auto to = app::OpenStore(migrate_args->to, app::OpenMode::kInit);
  if (!Check(ctx, to)) {
    return;
  }
  auto status = app::MigrateStore(**from, **to, *ctx.out);
  if (!Check(ctx, status)) {
    return;
  }
  *ctx.out << "citydip: copied " << migrate_args->from << " to " << migrate_args->to
           << "; counts and checksums match\n";
});
}

}  // namespace citydip::cli
