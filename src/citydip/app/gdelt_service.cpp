#include "citydip/app/gdelt_service.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "citydip/app/store_factory.h"
#include "citydip/app/warehouse_factory.h"
#include "citydip/core/text.h"
#include "citydip/ingest/gdelt/city_dictionary.h"
#include "citydip/ingest/gdelt/fetch.h"
#include "citydip/ingest/gdelt/period.h"
#include "citydip/storage/barometer_store.h"
#include "citydip/storage/event_warehouse.h"

namespace citydip::app {
namespace {

namespace gdelt = ingest::gdelt;

storage::BarometerSums ToSums(const gdelt::PairStats& stats) {
  storage::BarometerSums sums;
  gdelt::AddPairSums(sums, stats);
  return sums;
}

void AddSums(storage::BarometerSums& into, const storage::BarometerSums& from) {
  gdelt::AddPairSums(into, from);
}

// The file registry's records of a batch's files, aggregated by `granularity`.
std::vector<storage::GdeltFileRecord> FileRecords(const gdelt::IngestBatch& batch,
                                                  const std::string& granularity) {
  std::vector<storage::GdeltFileRecord> records;
  for (const gdelt::FileReport* file : batch.files) {
    storage::GdeltFileRecord record;
    record.name = file->name;
    record.size = static_cast<std::int64_t>(file->size);
    record.md5 = file->md5;
    record.kind = file->kind ? std::string(gdelt::FileKindName(*file->kind)) : "events-v2";
    record.granularity = granularity;
    record.rows = static_cast<std::int64_t>(file->rows);
    record.bad_rows = static_cast<std::int64_t>(file->bad_rows);
    records.push_back(std::move(record));
  }
  return records;
}

// The store's batch for `batch`, which must outlive it: its pair rows are made and converted a
// chunk at a time while the store writes them, never all held at once.
storage::BarometerBatch ToStorage(const gdelt::IngestBatch& batch) {
  storage::BarometerBatch out;
  const std::string granularity(gdelt::PeriodName(batch.barometer.period));
  out.files = FileRecords(batch, granularity);
  out.more_pairs = [&batch, granularity, rows = std::vector<gdelt::PairRow>()](
                       std::vector<storage::BarometerPairRow>& chunk) mutable {
    chunk.clear();
    if (!batch.next_pairs || !batch.next_pairs(rows)) {
      return false;
    }
    for (gdelt::PairRow& row : rows) {
      chunk.push_back(storage::BarometerPairRow{
          std::string(gdelt::PairKindName(row.kind)), granularity, gdelt::IsoDate(row.period_start),
          std::move(row.actor1), std::move(row.actor2), ToSums(row.stats)});
    }
    return true;
  };
  for (const auto& row : batch.barometer.totals) {
    out.totals.push_back(storage::BarometerTotalsRow{granularity, gdelt::IsoDate(row.period_start),
                                                     row.totals.events, row.totals.mentions,
                                                     row.totals.sources, row.totals.articles});
  }
  for (const auto& row : batch.barometer.media) {
    storage::MediaVolumeRow media;
    media.granularity = granularity;
    media.period_start = gdelt::IsoDate(row.period_start);
    media.mentions = row.volume.mentions;
    media.by_type = row.volume.by_type;
    media.doc_tone_sum = row.volume.doc_tone_sum;
    media.confidence_sum = row.volume.confidence_sum;
    out.media.push_back(std::move(media));
  }
  return out;
}

// The dictionary a request names, or the default one when it can be found.
Result<std::optional<std::pair<std::string, gdelt::CityDictionary>>> LoadCities(
    const GdeltIngestRequest& request) {
  if (request.no_cities) {
    return std::nullopt;
  }
  std::string path = request.cities;
  if (path.empty()) {
    std::vector<std::string> candidates;
    if (const char* dir = std::getenv("CITYDIP_DATA_DIR"); dir != nullptr && *dir != '\0') {
      candidates.push_back(std::string(dir) + "/gdelt/city_actors.csv");
    }
    candidates.emplace_back("data/gdelt/city_actors.csv");
    for (const auto& candidate : candidates) {
      std::error_code error;
      if (std::filesystem::is_regular_file(candidate, error)) {
        path = candidate;
        break;
      }
    }
    if (path.empty()) {
      return std::nullopt;
    }
  }
  auto dictionary = gdelt::CityDictionary::Load(path);
  if (!dictionary) {
    return Fail(dictionary.error());
  }
  return std::make_pair(path, std::move(*dictionary));
}

}  // namespace

namespace {

// `cities`: the dictionary the row's city indices point into (null without one).
storage::WarehouseEvent ToWarehouse(const gdelt::EventRecord& event,
                                    const gdelt::CityDictionary* cities) {
  storage::WarehouseEvent out;
  out.date = gdelt::IsoDate(event.date);
  out.actor1_country = gdelt::CountryCodeText(event.actor1_country);
  out.actor2_country = gdelt::CountryCodeText(event.actor2_country);
  out.is_root = event.is_root;
  out.root_code = event.root_code;
  out.quad = event.quad;
  out.goldstein = event.goldstein;
  out.tone = event.tone;
  out.mentions = event.mentions;
  out.sources = event.sources;
  out.articles = event.articles;
  if (cities != nullptr) {
    const auto& list = cities->cities();
    const auto id = [&](std::int32_t index) {
      return index >= 0 && static_cast<std::size_t>(index) < list.size()
                 ? list[static_cast<std::size_t>(index)].id
                 : std::string();
    };
    out.actor1_city = id(event.actor1_city);
    out.actor2_city = id(event.actor2_city);
  }
  return out;
}

// A file as the warehouse's registry records it, under load `load_id`.
storage::WarehouseFile WarehouseFileOf(const gdelt::FileReport& file, std::uint64_t load_id) {
  storage::WarehouseFile out;
  out.load_id = load_id;
  out.name = file.name;
  out.size = file.size;
  out.md5 = file.md5;
  out.kind = file.kind ? std::string(gdelt::FileKindName(*file.kind)) : "events-v2";
  out.rows = file.rows;
  out.bad_rows = file.bad_rows;
  return out;
}

// The load id of each file whose rows went to the warehouse while it was read (rows spilled
// before its batch), shared by the reading threads and the commits.
class FileLoads {
 public:
  explicit FileLoads(storage::EventWarehouse& warehouse) : warehouse_(warehouse) {}

  // The file's load id: the one its spilled rows carry, else a fresh one.
  std::uint64_t Of(const gdelt::FileReport& file) {
    std::lock_guard lock(mutex_);
    auto [it, added] = by_path_.try_emplace(file.path, 0);
    if (added) {
      it->second = warehouse_.NewLoadId();
    }
    return it->second;
  }

  // Called before a commit of `loads` is sent: whatever its answer, they may be committed.
  void CommitAttempted(const std::vector<std::uint64_t>& loads) {
    std::lock_guard lock(mutex_);
    attempted_.insert(loads.begin(), loads.end());
  }

  // At the end of a run, failed or not: the loads no commit was attempted for (files that
  // failed, were skipped or found already ingested after rows were spilled, batches whose rows
  // failed to go in) are certainly not committed; their rows are never counted, and their
  // deletion is asked for. Loads of a failed commit are kept: it may have been stored.
  void DiscardNeverCommitted() {
    std::vector<std::uint64_t> loads;
    std::lock_guard lock(mutex_);
    for (const auto& [path, load] : by_path_) {
      if (!attempted_.contains(load)) {
        loads.push_back(load);
      }
    }
    warehouse_.DiscardLoads(loads);
  }

 private:
  storage::EventWarehouse& warehouse_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> by_path_;
  std::unordered_set<std::uint64_t> attempted_;
};

// Sends rows of one load, in inserts of at most `batch_rows` rows.
Status InsertRows(storage::EventWarehouse& warehouse,
                  const std::vector<gdelt::EventRecord>& events,
                  const gdelt::CityDictionary* cities,
                  std::uint64_t load,
                  std::size_t batch_rows) {
  std::vector<storage::WarehouseEvent> rows;
  rows.reserve(std::min(events.size(), batch_rows));
  for (std::size_t i = 0; i < events.size(); ++i) {
    rows.push_back(ToWarehouse(events[i], cities));
    rows.back().load_id = load;
    if (rows.size() == batch_rows || i + 1 == events.size()) {
      if (auto inserted = warehouse.Insert(rows); !inserted) {
        return inserted;
      }
      rows.clear();
    }
  }
  return Ok();
}

// Stores a batch in the warehouse exactly once: each file's rows under its load id (rows spilled
// while the file was read carry it already), in inserts of at most `batch_rows` rows, then all
// the batch's files in one commit. Rows of a failed batch are never counted (their loads are
// not committed); FileLoads::DiscardNeverCommitted asks for their deletion.
Status StoreInWarehouse(storage::EventWarehouse& warehouse,
                        FileLoads& file_loads,
                        const gdelt::IngestBatch& batch,
                        const gdelt::CityDictionary* cities,
                        std::size_t batch_rows) {
  if (batch.events_per_file.size() != batch.files.size()) {
    return Fail(ErrorCode::kInternal, "a warehouse batch without its rows per file");
  }
  std::vector<storage::WarehouseFile> files;
  std::vector<std::uint64_t> loads;
  std::vector<storage::WarehouseEvent> rows;
  rows.reserve(std::min(batch.events.size(), batch_rows));
  std::size_t next = 0;
  for (std::size_t i = 0; i < batch.files.size(); ++i) {
    const std::uint64_t load = file_loads.Of(*batch.files[i]);
    loads.push_back(load);
    files.push_back(WarehouseFileOf(*batch.files[i], load));
    const std::size_t end = next + batch.events_per_file[i];
    if (end > batch.events.size()) {
      return Fail(ErrorCode::kInternal, "a warehouse batch with fewer rows than its files gave");
    }
    for (; next < end; ++next) {
      rows.push_back(ToWarehouse(batch.events[next], cities));
      rows.back().load_id = load;
      if (rows.size() == batch_rows) {
        if (auto inserted = warehouse.Insert(rows); !inserted) {
          return inserted;
        }
        rows.clear();
      }
    }
  }
  if (auto inserted = warehouse.Insert(rows); !inserted) {
    return inserted;
  }
  // From here the rows are kept whatever the answer: a commit that timed out may have been
  // stored. Uncommitted, they are not counted either way.
  file_loads.CommitAttempted(loads);
  return warehouse.CommitFiles(files);
}

}  // namespace

Status InitWarehouse(const WarehouseInitRequest& request) {
  if (request.cluster.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no cluster given (expected --cluster NAME, a <remote_servers> entry of the "
                "servers' configuration)");
  }
  auto warehouse = OpenEventWarehouse(request.urls, request.table);
  if (!warehouse) {
    return Fail(warehouse.error());
  }
  return (*warehouse)->Init(request.cluster);
}

Result<GdeltIngestResult> IngestGdelt(const GdeltIngestRequest& request) {
  if (!request.warehouse.empty() && !request.countries.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--countries cannot be combined with --warehouse (the warehouse keeps every "
                "row; choose pairs when reading the series)");
  }
  if (request.warehouse.empty() && !request.cluster.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "--cluster needs --warehouse");
  }
  if (request.warehouse_batch_rows == 0) {
    return Fail(ErrorCode::kInvalidArgument, "the warehouse batch size must be positive");
  }
  auto period = gdelt::ParsePeriod(request.period);
  if (!period) {
    return Fail(period.error());
  }
  auto countries = gdelt::ParseCountryList(request.countries);
  if (!countries) {
    return Fail(countries.error());
  }
  auto limit = gdelt::BadRowLimit::Parse(request.max_bad_rows);
  if (!limit) {
    return Fail(limit.error());
  }
  if (request.threads < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "--threads " + std::to_string(request.threads) + " (expected 0 or more)");
  }
  if (request.inputs.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no input (expected GDELT files, directories or globs)");
  }
  auto paths = gdelt::ExpandInputs(request.inputs);
  if (!paths) {
    return Fail(paths.error());
  }
  std::unique_ptr<storage::EventWarehouse> warehouse;
  if (!request.warehouse.empty()) {
    auto opened = OpenEventWarehouse(request.warehouse, request.warehouse_table);
    if (!opened) {
      return Fail(opened.error());
    }
    warehouse = std::move(*opened);
    if (!request.cluster.empty()) {
      if (auto created = warehouse->Init(request.cluster); !created) {
        return Fail(created.error());
      }
    }
  }
  // The warehouse keeps each row's city attribution by the same dictionary and rules.
  auto cities = LoadCities(request);
  if (!cities) {
    return Fail(cities.error());
  }
  // The files already stored: the warehouse keeps its own registry (shared by every client
  // of the warehouse), the local tables theirs.
  std::vector<gdelt::KnownFile> known;
  std::unique_ptr<storage::BarometerStore> store;
  if (warehouse) {
    auto recorded = warehouse->ListFiles();
    if (!recorded) {
      return Fail(recorded.error());
    }
    for (const auto& file : *recorded) {
      known.push_back({file.name, file.size, file.md5});
    }
  } else {
    auto opened = OpenBarometerStore(request.db);
    if (!opened) {
      return Fail(opened.error());
    }
    store = std::move(*opened);
    auto recorded = store->ListFiles();
    if (!recorded) {
      return Fail(recorded.error());
    }
    known.reserve(recorded->size());
    for (const auto& file : *recorded) {
      known.push_back({file.name, static_cast<std::uint64_t>(file.size), file.md5});
    }
  }
  GdeltIngestResult result;
  gdelt::IngestOptions options;
  options.period = *period;
  options.countries = *countries;
  options.threads = request.threads;
  options.max_bad_rows = *limit;
  options.compute_md5 = !request.no_md5;
  if (*cities) {
    result.cities_path = (*cities)->first;
    result.cities = (*cities)->second.cities().size();
    options.cities = &(*cities)->second;
  }
  gdelt::CommitFn commit;
  std::unique_ptr<FileLoads> file_loads;
  if (warehouse) {
    file_loads = std::make_unique<FileLoads>(*warehouse);
    // Rows go to the warehouse (synchronously, in batches), then the files to its registry: a
    // file counts only once all its rows are on their shards.
    options.period = gdelt::Period::kDay;
    options.keep_events = true;
    options.flush_groups = request.warehouse_batch_rows;
    // A big file's rows go out while it is read (memory stays bounded), under its load id.
    options.spill_rows = request.warehouse_batch_rows;
    options.spill_events = [&](const gdelt::FileReport& file,
                               std::vector<gdelt::EventRecord>& events) {
      return InsertRows(*warehouse, events, options.cities, file_loads->Of(file),
                        request.warehouse_batch_rows);
    };
    commit = [&](const gdelt::IngestBatch& batch) {
      return StoreInWarehouse(*warehouse, *file_loads, batch, options.cities,
                              request.warehouse_batch_rows);
    };
  } else {
    commit = [&](const gdelt::IngestBatch& batch) { return store->Commit(ToStorage(batch)); };
  }
  auto report = gdelt::IngestFiles(*paths, options, known, commit, request.progress);
  if (file_loads) {
    file_loads->DiscardNeverCommitted();
  }
  if (!report) {
    return Fail(report.error());
  }
  result.report = std::move(*report);
  return result;
}

Result<GdeltSeries> ReadGdeltSeries(const GdeltSeriesRequest& request) {
  auto period = gdelt::ParsePeriod(request.period);
  if (!period) {
    return Fail(period.error());
  }
  const bool pair = request.from.has_value() || request.to.has_value();
  if (request.all == pair) {
    return Fail(ErrorCode::kInvalidArgument,
                request.all ? "--all cannot be combined with --from/--to"
                            : "no pair given (expected --from A --to B, or --all)");
  }
  const auto normalize_actor = [&](const std::string& actor) {
    return request.city_pairs ? ToLowerAscii(actor) : [&] {
      std::string upper(actor);
      for (char& c : upper) {
        c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
      }
      return upper;
    }();
  };
  storage::PairQuery query;
  query.kind = request.city_pairs ? "city" : "country";
  if (request.from) {
    query.actor1 = normalize_actor(*request.from);
  }
  if (request.to) {
    query.actor2 = normalize_actor(*request.to);
  }
  Result<std::vector<storage::BarometerPairRow>> pairs = std::vector<storage::BarometerPairRow>{};
  Result<std::vector<storage::BarometerTotalsRow>> totals =
      std::vector<storage::BarometerTotalsRow>{};
  if (!request.warehouse.empty()) {
    // SQL pushdown: the warehouse sums by the requested period itself; the same rules as the
    // local tables apply to its sums below.
    auto warehouse = OpenEventWarehouse(request.warehouse, request.warehouse_table);
    if (!warehouse) {
      return Fail(warehouse.error());
    }
    const std::string granularity(gdelt::PeriodName(*period));
    pairs = (*warehouse)->QueryPairs(query, granularity);
    if (pairs) {
      totals = (*warehouse)->QueryTotals(granularity);
    }
  } else {
    auto store = OpenBarometerStore(request.db);
    if (!store) {
      return Fail(store.error());
    }
    pairs = (*store)->QueryPairs(query);
    if (pairs) {
      totals = (*store)->QueryTotals();
    }
  }
  if (!pairs) {
    return Fail(pairs.error());
  }
  if (!totals) {
    return Fail(totals.error());
  }
  // Stored rows roll up into the requested period only from a finer or equal one.
  std::set<std::string> too_coarse;
  const auto roll = [&](const std::string& granularity,
                        const std::string& start) -> std::optional<DayNumber> {
    auto stored = gdelt::ParsePeriod(granularity);
    const auto day = gdelt::ParseIsoDate(start);
    if (!stored || !day) {
      return std::nullopt;
    }
    if (!gdelt::CanRollUp(*stored, *period)) {
      too_coarse.insert(granularity);
      return std::nullopt;
    }
    return gdelt::PeriodStartOf(*period, *day);
  };
  std::map<DayNumber, storage::BarometerTotalsRow> period_totals;
  for (const auto& row : *totals) {
    if (const auto start = roll(row.granularity, row.period_start)) {
      auto& sum = period_totals[*start];
      sum.events += row.events;
      sum.mentions += row.mentions;
      sum.sources += row.sources;
      sum.articles += row.articles;
    }
  }
  std::map<std::tuple<std::string, std::string, DayNumber>, storage::BarometerSums> groups;
  for (const auto& row : *pairs) {
    if (const auto start = roll(row.granularity, row.period_start)) {
      AddSums(groups[{row.actor1, row.actor2, *start}], row.sums);
    }
  }
  if (!too_coarse.empty()) {
    std::string list;
    for (const auto& name : too_coarse) {
      list += (list.empty() ? "" : ", ") + name;
    }
    return Fail(ErrorCode::kFailedPrecondition,
                "some data were ingested by " + list + " and cannot be shown by " + request.period +
                    " (ask for that period or a coarser one)",
                request.db);
  }
  // One pair: every period with data is a row, with zeros when the pair had no event.
  if (request.from && request.to) {
    for (const auto& [start, sum] : period_totals) {
      groups.try_emplace({*query.actor1, *query.actor2, start});
    }
  }
  GdeltSeries series;
  series.period = std::string(gdelt::PeriodName(*period));
  series.kind = query.kind;
  series.normalized = request.normalize;
  for (const auto& [key, sums] : groups) {
    const auto& [actor1, actor2, start] = key;
    GdeltSeriesRow row;
    row.period = gdelt::PeriodLabel(*period, start);
    row.actor1 = actor1;
    row.actor2 = actor2;
    const auto events = static_cast<double>(sums.events);
    row.events = events;
    row.root_events = static_cast<double>(sums.root_events);
    row.goldstein_sum = sums.goldstein_sum;
    row.tone_sum = sums.tone_sum;
    if (sums.events > 0) {
      row.goldstein_mean = sums.goldstein_sum / events;
      row.tone_mean = sums.tone_sum / events;
    }
    if (sums.mentions > 0) {
      row.goldstein_mentions_weighted =
          sums.goldstein_mentions_sum / static_cast<double>(sums.mentions);
    }
    row.mentions = static_cast<double>(sums.mentions);
    row.sources = static_cast<double>(sums.sources);
    row.articles = static_cast<double>(sums.articles);
    for (std::size_t q = 0; q < 4; ++q) {
      row.quad[q] = static_cast<double>(sums.quad[q]);
    }
    for (std::size_t r = 0; r < 20; ++r) {
      row.root[r] = static_cast<double>(sums.root[r]);
    }
    if (request.normalize) {
      const auto found = period_totals.find(start);
      const storage::BarometerTotalsRow total =
          found != period_totals.end() ? found->second : storage::BarometerTotalsRow{};
      const auto share = [](double value, std::int64_t denominator) {
        return denominator > 0 ? value / static_cast<double>(denominator) : 0.0;
      };
      row.events = share(row.events, total.events);
      row.root_events = share(row.root_events, total.events);
      row.goldstein_sum = share(row.goldstein_sum, total.events);
      row.mentions = share(row.mentions, total.mentions);
      row.sources = share(row.sources, total.sources);
      row.articles = share(row.articles, total.articles);
      for (auto& value : row.quad) {
        value = share(value, total.events);
      }
      for (auto& value : row.root) {
        value = share(value, total.events);
      }
    }
    series.rows.push_back(std::move(row));
  }
  return series;
}

namespace {

// Shortest round-trip text of a number; integers without a decimal point.
std::string Number(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

std::string Optional(const std::optional<double>& value) {
  return value ? Number(*value) : std::string();
}

}  // namespace

std::string SeriesToCsv(const GdeltSeries& series) {
  std::string out =
      "period,actor1,actor2,events,root_events,goldstein_sum,goldstein_mean,"
      "goldstein_mentions_weighted,tone_mean,mentions,sources,articles,quad1,quad2,quad3,quad4\n";
  for (const auto& row : series.rows) {
    const std::vector<std::string> cells = {row.period,
                                            row.actor1,
                                            row.actor2,
                                            Number(row.events),
                                            Number(row.root_events),
                                            Number(row.goldstein_sum),
                                            Optional(row.goldstein_mean),
                                            Optional(row.goldstein_mentions_weighted),
                                            Optional(row.tone_mean),
                                            Number(row.mentions),
                                            Number(row.sources),
                                            Number(row.articles),
                                            Number(row.quad[0]),
                                            Number(row.quad[1]),
                                            Number(row.quad[2]),
                                            Number(row.quad[3])};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += (i > 0 ? "," : "") + cells[i];
    }
    out += '\n';
  }
  return out;
}

std::string SeriesToJson(const GdeltSeries& series) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  const auto optional = [](const std::optional<double>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  for (const auto& row : series.rows) {
    nlohmann::ordered_json roots = nlohmann::ordered_json::object();
    for (std::size_t r = 0; r < row.root.size(); ++r) {
      roots[(r < 9 ? "0" : "") + std::to_string(r + 1)] = row.root[r];
    }
    rows.push_back({{"period", row.period},
                    {"actor1", row.actor1},
                    {"actor2", row.actor2},
                    {"events", row.events},
                    {"root_events", row.root_events},
                    {"goldstein_sum", row.goldstein_sum},
                    {"goldstein_mean", optional(row.goldstein_mean)},
                    {"goldstein_mentions_weighted", optional(row.goldstein_mentions_weighted)},
                    {"tone_mean", optional(row.tone_mean)},
                    {"mentions", row.mentions},
                    {"sources", row.sources},
                    {"articles", row.articles},
                    {"quad1", row.quad[0]},
                    {"quad2", row.quad[1]},
                    {"quad3", row.quad[2]},
                    {"quad4", row.quad[3]},
                    {"cameo_roots", roots}});
  }
  nlohmann::ordered_json out = {{"period", series.period},
                                {"kind", series.kind},
                                {"normalized", series.normalized},
                                {"rows", rows}};
  return out.dump(2) + "\n";
}

Result<GdeltMediaSeries> ReadGdeltMedia(const std::string& db, const std::string& period_name) {
  auto period = gdelt::ParsePeriod(period_name);
  if (!period) {
    return Fail(period.error());
  }
  auto store = OpenBarometerStore(db);
  if (!store) {
    return Fail(store.error());
  }
  auto rows = (*store)->QueryMedia();
  if (!rows) {
    return Fail(rows.error());
  }
  std::map<DayNumber, storage::MediaVolumeRow> sums;
  std::set<std::string> too_coarse;
  for (const auto& row : *rows) {
    const auto stored = gdelt::ParsePeriod(row.granularity);
    const auto day = gdelt::ParseIsoDate(row.period_start);
    if (!stored || !day) {
      continue;
    }
    if (!gdelt::CanRollUp(*stored, *period)) {
      too_coarse.insert(row.granularity);
      continue;
    }
    auto& sum = sums[gdelt::PeriodStartOf(*period, *day)];
    sum.mentions += row.mentions;
    for (std::size_t t = 0; t < sum.by_type.size(); ++t) {
      sum.by_type[t] += row.by_type[t];
    }
    sum.doc_tone_sum += row.doc_tone_sum;
    sum.confidence_sum += row.confidence_sum;
  }
  if (!too_coarse.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "some mentions were ingested by " + *too_coarse.begin() +
                    " and cannot be shown by " + period_name +
                    " (ask for that period or a coarser one)",
                db);
  }
  GdeltMediaSeries series;
  series.period = period_name;
  for (const auto& [start, sum] : sums) {
    GdeltMediaRow row;
    row.period = gdelt::PeriodLabel(*period, start);
    row.mentions = sum.mentions;
    row.by_type = sum.by_type;
    if (sum.mentions > 0) {
      row.doc_tone_mean = sum.doc_tone_sum / static_cast<double>(sum.mentions);
      row.confidence_mean =
          static_cast<double>(sum.confidence_sum) / static_cast<double>(sum.mentions);
    }
    series.rows.push_back(std::move(row));
  }
  return series;
}

std::string MediaToCsv(const GdeltMediaSeries& series) {
  std::string out =
      "period,mentions,web,citation_only,core,dtic,jstor,non_textual,doc_tone_mean,"
      "confidence_mean\n";
  for (const auto& row : series.rows) {
    out += row.period + "," + std::to_string(row.mentions);
    for (auto count : row.by_type) {
      out += "," + std::to_string(count);
    }
    out += "," + Number(row.doc_tone_mean) + "," + Number(row.confidence_mean) + "\n";
  }
  return out;
}

std::string MediaToJson(const GdeltMediaSeries& series) {
  static constexpr const char* kTypes[] = {"web",  "citation_only", "core",
                                           "dtic", "jstor",         "non_textual"};
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : series.rows) {
    nlohmann::ordered_json item = {{"period", row.period}, {"mentions", row.mentions}};
    for (std::size_t t = 0; t < row.by_type.size(); ++t) {
      item[kTypes[t]] = row.by_type[t];
    }
    item["doc_tone_mean"] = row.doc_tone_mean;
    item["confidence_mean"] = row.confidence_mean;
    rows.push_back(std::move(item));
  }
  nlohmann::ordered_json out = {{"period", series.period}, {"rows", rows}};
  return out.dump(2) + "\n";
}

Result<GdeltFetchResult> FetchGdelt(const GdeltFetchRequest& request) {
  auto since = gdelt::ParseFetchDate(request.since);
  if (!since) {
    return Fail(since.error());
  }
  gdelt::FetchOptions options;
  options.since = *since;
  if (!request.until.empty()) {
    auto until = gdelt::ParseFetchDate(request.until);
    if (!until) {
      return Fail(until.error());
    }
    if (*until < *since) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--until " + request.until + " is before --since " + request.since);
    }
    options.until = *until;
  }
  if (request.version != "1" && request.version != "2") {
    return Fail(ErrorCode::kInvalidArgument,
                "--gdelt-version '" + request.version + "' (expected 1 or 2)");
  }
  options.version = request.version == "1" ? 1 : 2;
  if (!request.ingest_options.warehouse.empty()) {
    // Refused before anything is downloaded.
    if (!request.ingest) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--warehouse cannot be combined with --no-ingest (it says where to ingest)");
    }
    if (!request.ingest_options.countries.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--countries cannot be combined with --warehouse (the warehouse keeps every "
                  "row; choose pairs when reading the series)");
    }
    auto warehouse = OpenEventWarehouse(request.ingest_options.warehouse,
                                        request.ingest_options.warehouse_table);
    if (!warehouse) {
      return Fail(warehouse.error());
    }
  }
  options.base_url = request.base_url;
  options.dir = request.dir;
  options.mentions = request.mentions;
  options.log = request.log;
  if (const char* backoff = std::getenv("CITYDIP_FETCH_BACKOFF_MS");
      backoff != nullptr && *backoff != '\0') {
    options.backoff = std::chrono::milliseconds(std::atoi(backoff));  // tests: no long waits
  }
  auto fetched = gdelt::FetchFiles(options);
  if (!fetched) {
    return Fail(fetched.error());
  }
  GdeltFetchResult result;
  result.listed = fetched->listed;
  result.failures = fetched->failures;
  std::vector<std::string> paths;
  for (const auto& file : fetched->files) {
    (file.downloaded ? result.downloaded : result.present) += 1;
    paths.push_back(file.local_path);
  }
  if (request.ingest && !paths.empty()) {
    GdeltIngestRequest ingest = request.ingest_options;
    ingest.db = request.db;
    ingest.inputs = paths;
    auto ingested = IngestGdelt(ingest);
    if (!ingested) {
      return Fail(ingested.error());
    }
    result.ingested = std::move(*ingested);
  }
  return result;
}

}  // namespace citydip::app
