#include "citydip/app/registry_service.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "citydip/core/text.h"

namespace citydip::app {
namespace {

// A city reference inside a record, with the column it came from (for messages).
struct CityUse {
  CityRef* ref;
  std::string column;
  std::string country_column;
};

std::vector<CityUse> CityUses(Record& record) {
  std::vector<CityUse> uses;
  std::visit(
      [&](auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, PartnerRelation>) {
          uses.push_back({&value.city_a, "city_a", "country_a"});
          uses.push_back({&value.city_b, "city_b", "country_b"});
        } else if constexpr (std::is_same_v<T, Organization>) {
          if (value.secretariat_city) {
            uses.push_back({&*value.secretariat_city, "secretariat_city", "secretariat_country"});
          }
        } else if constexpr (std::is_same_v<T, Membership>) {
          uses.push_back({&value.city, "city", "country"});
        } else if constexpr (std::is_same_v<T, Official>) {
          uses.push_back({&value.city, "city", "country"});
          for (auto& claim : value.visit_claims) {
            uses.push_back({&claim.partner, "visit_partner", ""});
          }
        } else if constexpr (std::is_same_v<T, Mechanism>) {
          for (auto& city : value.cities) {
            uses.push_back({&city, "cities", "countries"});
          }
        } else if constexpr (std::is_same_v<T, Event>) {
          uses.push_back({&value.home_city, "home_city", "home_country"});
          for (auto& city : value.partner_cities) {
            uses.push_back({&city, "partner_city", "partner_country"});
          }
        }
      },
      record);
  return uses;
}

std::string CityLabel(const CityRef& ref) {
  return ref.country.empty() ? "'" + ref.name + "'" : "'" + ref.name + "' (" + ref.country + ")";
}

// Collects problems of an import, capped at max_errors but counting all.
class Problems {
 public:
  explicit Problems(std::size_t max) : max_(max) {}
  void Add(std::string line) {
    ++count_;
    if (lines_.size() < max_) {
      lines_.push_back(std::move(line));
    }
  }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] Error ToError() const {
    std::string message;
    for (const auto& line : lines_) {
      message += line + "\n";
    }
    if (count_ > lines_.size()) {
      message += "... and " + std::to_string(count_ - lines_.size()) + " more\n";
    }
    message +=
        std::to_string(count_) + (count_ == 1 ? " error" : " errors") + "; nothing was imported";
    return Error{ErrorCode::kInvalidData, message, ""};
  }

 private:
  std::size_t max_;
  std::size_t count_ = 0;
  std::vector<std::string> lines_;
};

std::string Where(const std::string& file, std::size_t line) {
  return file + ":" + std::to_string(line);
}

// Whether a record's natural key is already stored (then the row is a duplicate and skipped).
Result<std::optional<std::string>> FindStoredDuplicate(storage::Store& store,
                                                       const Record& record) {
  if (const auto* city = std::get_if<City>(&record)) {
    auto found = store.FindCity(city->Ref());
    if (!found) {
      return Fail(found.error());
    }
    if (*found && (*found)->country == city->country && (*found)->name_en == city->name_en) {
      return std::optional<std::string>("city " + CityLabel(city->Ref()) + " already exists");
    }
  } else if (const auto* org = std::get_if<Organization>(&record)) {
    auto found = store.FindOrganization(org->name);
    if (!found) {
      return Fail(found.error());
    }
    if (*found && (*found)->name == org->name) {
      return std::optional<std::string>("organization '" + org->name + "' already exists");
    }
  } else if (const auto* mechanism = std::get_if<Mechanism>(&record)) {
    auto found = store.FindMechanism(mechanism->name_en);
    if (!found) {
      return Fail(found.error());
    }
    if (*found) {
      return std::optional<std::string>("mechanism '" + mechanism->name_en + "' already exists");
    }
  } else if (const auto* event = std::get_if<Event>(&record)) {
    auto found = store.FindDuplicateEvent(*event);
    if (!found) {
      return Fail(found.error());
    }
    if (*found) {
      return std::optional<std::string>("duplicate of event #" + std::to_string(**found) +
                                        " (same date, cities, type and title)");
    }
  }
  return std::optional<std::string>();
}

bool NamesCity(const Record& record, const CityRef& city) {
  Record copy = record;
  for (const auto& use : CityUses(copy)) {
    if (use.ref->name == city.name && (city.country.empty() || use.ref->country == city.country)) {
      return true;
    }
  }
  return false;
}

// The date span a non-event record is filtered on.
PartialDate DateOf(const Record& record) {
  return std::visit(
      [](const auto& value) -> PartialDate {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, PartnerRelation> || std::is_same_v<T, Membership>) {
          return value.since;
        } else if constexpr (std::is_same_v<T, Official>) {
          return value.term_start;
        } else if constexpr (std::is_same_v<T, Mechanism> || std::is_same_v<T, Organization>) {
          return value.founded;
        } else if constexpr (std::is_same_v<T, Event>) {
          return value.date;
        } else {
          return PartialDate();
        }
      },
      record);
}

bool IsVisitType(EventType type) {
  switch (type) {
    case EventType::kLeaderVisit:
    case EventType::kAgreement:
    case EventType::kCommitteeMeeting:
    case EventType::kForum:
    case EventType::kMultilateralMeeting:
    case EventType::kDelegationVisit:
      return true;
    default:
      return false;
  }
}

}  // namespace

namespace {

// Stores parsed rows one by one inside the import's transaction: resolves their city references
// (creating cities with --create-cities), skips stored duplicates, and collects the problems.
class RowImporter {
 public:
  RowImporter(storage::Store& store, const ImportOptions& options, ImportReport& report)
      : store_(store), options_(options), report_(report), problems_(options.max_errors) {}

  // Fails only on a database error (the transaction must end); bad rows become problems.
  Status Add(const std::string& path, RecordKind kind, ingest::SourceRow& row) {
    const std::string where = Where(path, row.line);
    bool row_ok = true;
    for (const auto& use : CityUses(row.record)) {
      std::pair<std::string, std::string> key{use.ref->name, use.ref->country};
      if (auto hit = resolved_.find(key); hit != resolved_.end()) {
        *use.ref = hit->second;
        continue;
      }
      auto found = store_.FindCity(*use.ref);
      if (!found) {
        problems_.Add(where + ": column '" + use.column + "': " + found.error().message);
        row_ok = false;
        continue;
      }
      if (*found) {
        use.ref->country = (*found)->country;  // complete name-only references
        use.ref->name = (*found)->name_en;
        resolved_.emplace(std::move(key), *use.ref);
        continue;
      }
      if (!options_.create_cities) {
        problems_.Add(where + ": column '" + use.column + "': unknown city " + CityLabel(*use.ref) +
                      " (expected a city in the registry; import it first or use "
                      "--create-cities)");
        row_ok = false;
        continue;
      }
      if (use.ref->country.empty()) {
        problems_.Add(where + ": column '" + use.column + "': cannot create city '" +
                      use.ref->name + "' without a country (expected column '" +
                      use.country_column + "')");
        row_ok = false;
        continue;
      }
      City city;
      city.name_en = use.ref->name;
      city.country = use.ref->country;
      if (auto id = store_.Insert(city); !id) {
        return Fail(id.error());
      }
      resolved_.clear();
      report_.created_cities.push_back(use.ref->name + " (" + use.ref->country + ")");
      ++report_.imported[RecordKind::kCity];
    }
    if (!row_ok) {
      return Ok();
    }
    auto duplicate = FindStoredDuplicate(store_, row.record);
    if (!duplicate) {
      problems_.Add(where + ": " + duplicate.error().message);
      return Ok();
    }
    if (*duplicate) {
      report_.skipped.push_back(where + ": " + **duplicate + "; skipped");
      return Ok();
    }
    if (kind == RecordKind::kCity) {
      resolved_.clear();
    }
    auto id = store_.Insert(row.record);
    if (!id) {
      if (id.error().code == ErrorCode::kAlreadyExists) {
        report_.skipped.push_back(where + ": " + id.error().message + "; skipped");
        return Ok();
      }
      if (id.error().code == ErrorCode::kInvalidArgument) {
        problems_.Add(where + ": " + id.error().message);
        return Ok();
      }
      return Fail(id.error());
    }
    ++report_.imported[kind];
    return Ok();
  }

  [[nodiscard]] const Problems& problems() const { return problems_; }

 private:
  storage::Store& store_;
  const ImportOptions& options_;
  ImportReport& report_;
  Problems problems_;
  // City references resolved so far in this transaction, keyed by the reference as written
  // (name, country). Most rows name the same few cities; resolving each through the store costs
  // several queries. Cleared whenever a city is added, since a new city can make a name-only
  // reference ambiguous.
  std::map<std::pair<std::string, std::string>, CityRef> resolved_;
};

// The parse problems of the files, in the order the files were named.
void AddParseProblems(const std::vector<Result<ingest::ParsedFile>>& parsed, Problems& problems) {
  for (const auto& file : parsed) {
    if (!file) {
      problems.Add(file.error().ToString());
      continue;
    }
    for (const auto& diagnostic : file->diagnostics) {
      problems.Add(diagnostic.ToString());
    }
    for (std::size_t extra = file->diagnostics.size(); extra < file->error_count; ++extra) {
      problems.Add(file->path + ": (further error)");
    }
  }
}

std::size_t KindRank(RecordKind kind) {
  const auto& order = AllRecordKinds();
  return static_cast<std::size_t>(std::find(order.begin(), order.end(), kind) - order.begin());
}

// Chunks of rows from the parsing thread to the storing one, at most kMaxChunks waiting.
struct RowChunk {
  std::size_t file = 0;
  RecordKind kind = RecordKind::kEvent;
  std::size_t records = 0;
  std::vector<ingest::SourceRow> rows;
};

class ChunkQueue {
 public:
  static constexpr std::size_t kMaxChunks = 8;

  void Push(RowChunk chunk) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return cancelled_ || chunks_.size() < kMaxChunks; });
    if (!cancelled_) {
      chunks_.push_back(std::move(chunk));
      ready_.notify_one();
    }
  }
  // The next chunk; nullopt once the producer is done and everything was taken.
  std::optional<RowChunk> Pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !chunks_.empty(); });
    if (chunks_.empty()) {
      return std::nullopt;
    }
    RowChunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    space_.notify_one();
    return chunk;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  // The consumer is gone: pushes are dropped from now on.
  void Cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    chunks_.clear();
    space_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::deque<RowChunk> chunks_;
  bool closed_ = false;
  bool cancelled_ = false;
};

// Every file parsed first, then stored (JSON files, headers that need the full parse).
Result<ImportReport> ImportParsedFiles(storage::Store& store,
                                       const std::vector<std::string>& paths,
                                       const ImportOptions& options,
                                       const ingest::ParseOptions& parse_options) {
  std::vector<Result<ingest::ParsedFile>> parsed;
  for (const auto& path : paths) {
    parsed.push_back(ingest::ParseRecordFile(path, parse_options));
  }
  Problems problems(options.max_errors);
  AddParseProblems(parsed, problems);
  if (!problems.empty()) {
    return Fail(problems.ToError());
  }
  std::vector<ingest::ParsedFile*> files;
  std::size_t event_rows = 0;
  for (auto& file : parsed) {
    files.push_back(&*file);
    event_rows += file->kind == RecordKind::kEvent ? file->rows.size() : 0;
  }
  // Dependency order: cities before the records that name them, and so on.
  std::stable_sort(files.begin(), files.end(), [](const auto* a, const auto* b) {
    return KindRank(a->kind) < KindRank(b->kind);
  });
  ImportReport report;
  RowImporter importer(store, options, report);
  auto status = store.InTransaction([&]() -> Status {
    if (auto bulk = store.PrepareBulkInsert(RecordKind::kEvent, event_rows); !bulk) {
      return bulk;
    }
    for (auto* file : files) {
      for (auto& row : file->rows) {
        if (auto added = importer.Add(file->path, file->kind, row); !added) {
          return added;
        }
      }
    }
    if (!importer.problems().empty()) {
      return Fail(importer.problems().ToError());
    }
    return Ok();
  });
  if (!status) {
    return Fail(status.error());
  }
  return report;
}

}  // namespace

Result<ImportReport> ImportFiles(storage::Store& store,
                                 const std::vector<std::string>& paths,
                                 const ImportOptions& options) {
  ingest::ParseOptions parse_options;
  parse_options.kind = options.kind;
  parse_options.max_errors = options.max_errors;

  // CSV files whose kind the first line tells are parsed on a second thread while this one
  // stores the rows already decoded, in dependency order (cities before the records that name
  // them, and so on). The outcome is that of parsing everything first: any parse problem fails
  // the import with exactly the parse problems, in the order the files were named, and the
  // transaction (with whatever was stored meanwhile) is rolled back.
  std::vector<std::size_t> order;
  std::vector<RecordKind> kinds;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    auto kind = ingest::PeekRecordKind(paths[i], parse_options);
    if (!kind) {
      return ImportParsedFiles(store, paths, options, parse_options);
    }
    kinds.push_back(*kind);
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return KindRank(kinds[a]) < KindRank(kinds[b]);
  });

  std::vector<Result<ingest::ParsedFile>> parsed(paths.size(),
                                                 Fail(ErrorCode::kInternal, "not parsed"));
  ChunkQueue queue;
  std::thread parser([&] {
    for (const std::size_t i : order) {
      ingest::ParseOptions file_options = parse_options;
      file_options.on_rows = [&, i](RecordKind kind, std::size_t records,
                                    std::vector<ingest::SourceRow>&& rows) {
        queue.Push({i, kind, records, std::move(rows)});
      };
      parsed[i] = ingest::ParseRecordFile(paths[i], file_options);
    }
    queue.Close();
  });

  ImportReport report;
  RowImporter importer(store, options, report);
  auto status = store.InTransaction([&]() -> Status {
    std::optional<Status> failed;  // a database error: drain the queue, then end
    std::size_t bulk_file = paths.size();
    while (auto chunk = queue.Pop()) {
      if (failed) {
        continue;
      }
      if (chunk->kind != kinds[chunk->file]) {
        failed = Fail(ErrorCode::kInternal, "the kind of " + paths[chunk->file] +
                                                " changed between its first line and its parse");
        continue;
      }
      if (chunk->kind == RecordKind::kEvent && bulk_file != chunk->file) {
        bulk_file = chunk->file;
        if (auto bulk = store.PrepareBulkInsert(RecordKind::kEvent, chunk->records); !bulk) {
          failed = bulk;
          continue;
        }
      }
      for (auto& row : chunk->rows) {
        if (auto added = importer.Add(paths[chunk->file], chunk->kind, row); !added) {
          failed = added;
          break;
        }
      }
    }
    if (failed) {
      return *failed;
    }
    Problems parse_problems(options.max_errors);
    AddParseProblems(parsed, parse_problems);
    if (!parse_problems.empty()) {
      return Fail(parse_problems.ToError());
    }
    if (!importer.problems().empty()) {
      return Fail(importer.problems().ToError());
    }
    return Ok();
  });
  queue.Cancel();  // the transaction may have ended without draining (it could not begin)
  parser.join();
  if (!status) {
    return Fail(status.error());
  }
  return report;
}

Result<std::string> ExportRecords(storage::Store& store,
                                  RecordKind kind,
                                  ingest::FileFormat format) {
  auto records = store.List(kind);
  if (!records) {
    return Fail(records.error());
  }
  return ingest::WriteRecords(kind, *records, format);
}

Result<City> ResolveCity(storage::Store& store, const std::string& text) {
  CityRef ref;
  const auto comma = text.find(',');
  ref.name = std::string(Trim(text.substr(0, comma)));
  if (comma != std::string::npos) {
    ref.country = std::string(Trim(text.substr(comma + 1)));
  }
  auto found = store.FindCity(ref);
  if (!found) {
    return Fail(found.error());
  }
  if (*found) {
    return **found;
  }
  // Korean or Chinese names.
  auto cities = store.List(RecordKind::kCity);
  if (!cities) {
    return Fail(cities.error());
  }
  for (const auto& record : *cities) {
    const auto& city = std::get<City>(record);
    if ((city.name_ko == ref.name || city.name_zh == ref.name) &&
        (ref.country.empty() || ref.country == city.country)) {
      return city;
    }
  }
  return Fail(ErrorCode::kNotFound, "no city named '" + text +
                                        "' in the registry (expected an English, Korean or " +
                                        "Chinese city name, optionally followed by ,COUNTRY)");
}

Result<ListResult> ListRecords(storage::Store& store, RecordKind kind, const EventFilter& filter) {
  ListResult result;
  result.kind = kind;
  if (kind == RecordKind::kEvent) {
    auto events = store.ListEvents(filter);
    if (!events) {
      return Fail(events.error());
    }
    auto total = store.CountEvents(filter);
    if (!total) {
      return Fail(total.error());
    }
    result.total = *total;
    for (auto& event : *events) {
      result.items.emplace_back(std::move(event));
    }
    if (!filter.include_imprecise && !filter.range.IsOpen()) {
      EventFilter wider = filter;
      wider.include_imprecise = true;
      auto with_imprecise = store.CountEvents(wider);
      if (!with_imprecise) {
        return Fail(with_imprecise.error());
      }
      result.imprecise_excluded = *with_imprecise - *total;
    }
    return result;
  }
  auto records = store.List(kind);
  if (!records) {
    return Fail(records.error());
  }
  std::vector<Record> kept;
  for (auto& record : *records) {
    if (filter.home && !NamesCity(record, *filter.home)) {
      continue;
    }
    if (filter.partner && !NamesCity(record, *filter.partner)) {
      continue;
    }
    if (!filter.organization.empty()) {
      const auto* membership = std::get_if<Membership>(&record);
      if (membership == nullptr ||
          ToLowerAscii(membership->organization) != ToLowerAscii(filter.organization)) {
        continue;
      }
    }
    if (!filter.range.IsOpen()) {
      const auto match = filter.range.Match(DateOf(record));
      if (match == RangeMatch::kOutside ||
          (match == RangeMatch::kPartial && !filter.include_imprecise)) {
        continue;
      }
    }
    kept.push_back(std::move(record));
  }
  result.total = static_cast<std::int64_t>(kept.size());
  const auto begin = std::min<std::size_t>(
      static_cast<std::size_t>(std::max<std::int64_t>(0, filter.offset)), kept.size());
  auto end = kept.size();
  if (filter.limit >= 0) {
    end = std::min(kept.size(), begin + static_cast<std::size_t>(filter.limit));
  }
  result.items.assign(std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(begin)),
                      std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(end)));
  return result;
}

bool IsVisitInOffice(const Event& event, const Official& official, const CityRef& partner) {
  if (event.direction != Direction::kOutbound || event.level != Level::kMayor ||
      !IsVisitType(event.type) || event.date.empty() || event.status != EventStatus::kHeld) {
    return false;
  }
  if (event.home_city.name != official.city.name) {
    return false;
  }
  const bool names_partner =
      std::any_of(event.partner_cities.begin(), event.partner_cities.end(),
                  [&](const CityRef& city) { return city.name == partner.name; });
  if (!names_partner) {
    return false;
  }
  const DateRange term{official.term_start, official.term_end};
  return term.Match(event.date) != RangeMatch::kOutside;
}

Result<CityProfile> ShowCity(storage::Store& store, const std::string& name) {
  auto city = ResolveCity(store, name);
  if (!city) {
    return Fail(city.error());
  }
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  CityProfile profile;
  profile.city = *city;
  const CityRef ref = city->Ref();
  const auto same = [&](const CityRef& other) {
    return other.name == ref.name && other.country == ref.country;
  };
  for (const auto& relation : registry->partner_relations) {
    if (same(relation.city_a) || same(relation.city_b)) {
      profile.relations.push_back(relation);
    }
  }
  for (const auto& membership : registry->memberships) {
    if (same(membership.city)) {
      profile.memberships.push_back(membership);
    }
  }
  for (const auto& mechanism : registry->mechanisms) {
    if (std::any_of(mechanism.cities.begin(), mechanism.cities.end(), same)) {
      profile.mechanisms.push_back(mechanism);
    }
  }
  std::vector<Event> events;
  for (const auto& event : registry->events) {
    const bool home = same(event.home_city);
    const bool partner =
        std::any_of(event.partner_cities.begin(), event.partner_cities.end(), same);
    if (!home && !partner) {
      continue;
    }
    events.push_back(event);
    if (!event.date.empty()) {
      ++profile.events_per_year[event.date.year()];
    }
    if (event.level == Level::kMayor &&
        (event.type == EventType::kLeaderVisit || event.type == EventType::kAgreement ||
         event.type == EventType::kCommitteeMeeting)) {
      profile.official_visits.push_back(event);
    }
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return b.date < a.date; });
  events.resize(std::min<std::size_t>(events.size(), 10));
  profile.recent_events = std::move(events);
  return profile;
}

Result<Stats> ComputeStats(storage::Store& store) {
  auto registry = store.LoadRegistry();
  if (!registry) {
    return Fail(registry.error());
  }
  auto counts = store.CountAll();
  if (!counts) {
    return Fail(counts.error());
  }
  Stats stats;
  stats.counts = *counts;
  for (const auto& event : registry->events) {
    ++stats.events_per_type[std::string(ToCode(event.type))];
    if (!event.date.empty()) {
      ++stats.events_per_year[event.date.year()];
    }
    std::set<std::string> partners;
    for (const auto& partner : event.partner_cities) {
      partners.insert(partner.name);
    }
    for (const auto& partner : partners) {
      ++stats.events_per_partner[partner];
    }
  }
  for (const auto& official : registry->officials) {
    for (const auto& claim : official.visit_claims) {
      if (claim.claim != Claim::kYes) {
        continue;
      }
      const bool supported = std::any_of(
          registry->events.begin(), registry->events.end(),
          [&](const Event& event) { return IsVisitInOffice(event, official, claim.partner); });
      if (supported) {
        ++stats.supported_claims;
      } else {
        stats.unsupported_claims.push_back(
            official.name_en + " (" + official.term_start.ToString() + " .. " +
            (official.term_end.empty() ? std::string("") : official.term_end.ToString()) +
            "): claimed visit to " + claim.partner.name +
            " has no supporting event (outbound, mayor level, in office)" +
            (claim.sources.empty() ? std::string() : "; claim source: " + claim.sources.front()));
      }
    }
  }
  return stats;
}

nlohmann::json RecordsToJson(RecordKind kind, const std::vector<Record>& records) {
  return ingest::RecordsAsJson(kind, records);
}

nlohmann::json ToJson(const ListResult& result) {
  nlohmann::json json;
  json["items"] = RecordsToJson(result.kind, result.items);
  // Stored ids let API clients address records; the file format itself has none.
  for (std::size_t index = 0; index < result.items.size(); ++index) {
    json["items"][index]["record_id"] = IdOf(result.items[index]);
  }
  json["total"] = result.total;
  if (result.kind == RecordKind::kEvent) {
    json["imprecise_excluded"] = result.imprecise_excluded;
  }
  return json;
}

nlohmann::json ToJson(const CityProfile& profile) {
  nlohmann::json json;
  json["city"] = RecordsToJson(RecordKind::kCity, {profile.city})[0];
  std::vector<Record> records(profile.relations.begin(), profile.relations.end());
  json["relations"] = RecordsToJson(RecordKind::kPartnerRelation, records);
  records.assign(profile.memberships.begin(), profile.memberships.end());
  json["memberships"] = RecordsToJson(RecordKind::kMembership, records);
  records.assign(profile.mechanisms.begin(), profile.mechanisms.end());
  json["mechanisms"] = RecordsToJson(RecordKind::kMechanism, records);
  json["events_per_year"] = nlohmann::json::object();
  for (const auto& [year, count] : profile.events_per_year) {
    json["events_per_year"][std::to_string(year)] = count;
  }
  records.assign(profile.official_visits.begin(), profile.official_visits.end());
  json["official_visits"] = RecordsToJson(RecordKind::kEvent, records);
  records.assign(profile.recent_events.begin(), profile.recent_events.end());
  json["recent_events"] = RecordsToJson(RecordKind::kEvent, records);
  return json;
}

nlohmann::json ToJson(const Stats& stats) {
  nlohmann::json json;
  json["counts"] = {{"cities", stats.counts.cities},
                    {"organizations", stats.counts.organizations},
                    {"partner_relations", stats.counts.partner_relations},
                    {"memberships", stats.counts.memberships},
                    {"officials", stats.counts.officials},
                    {"mechanisms", stats.counts.mechanisms},
                    {"events", stats.counts.events}};
  json["events_per_type"] = stats.events_per_type;
  json["events_per_year"] = nlohmann::json::object();
  for (const auto& [year, count] : stats.events_per_year) {
    json["events_per_year"][std::to_string(year)] = count;
  }
  json["events_per_partner"] = stats.events_per_partner;
  json["visit_claims"] = {{"supported", stats.supported_claims},
                          {"unsupported", stats.unsupported_claims}};
  return json;
}

nlohmann::json ToJson(const ImportReport& report) {
  nlohmann::json json;
  json["imported"] = nlohmann::json::object();
  for (const auto& [kind, count] : report.imported) {
    json["imported"][std::string(RecordKindName(kind))] = count;
  }
  json["skipped"] = report.skipped;
  json["created_cities"] = report.created_cities;
  return json;
}

}  // namespace citydip::app
