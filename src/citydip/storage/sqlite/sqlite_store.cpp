#include "citydip/storage/sqlite/sqlite_store.h"

#include <algorithm>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "citydip/core/text.h"
#include "citydip/storage/sqlite/connection.h"
#include "citydip/storage/sqlite/schema.h"
#include "citydip/storage/store_support.h"

// Early returns for Status and Result values; local to this file.
#define CITYDIP_CONCAT_INNER(a, b) a##b
#define CITYDIP_CONCAT(a, b) CITYDIP_CONCAT_INNER(a, b)
#define CITYDIP_RETURN_IF_ERROR(expr)          \
  do {                                         \
    if (auto status_ = (expr); !status_) {     \
      return Fail(std::move(status_).error()); \
    }                                          \
  } while (false)
#define CITYDIP_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp) {                                         \
    return Fail(std::move(tmp).error());              \
  }                                                   \
  lhs = std::move(*tmp)
#define CITYDIP_ASSIGN_OR_RETURN(lhs, expr) \
  CITYDIP_ASSIGN_OR_RETURN_IMPL(CITYDIP_CONCAT(result_, __LINE__), lhs, expr)

namespace citydip::storage::sqlite {
namespace {

// ---- Reading stored values ----------------------------------------------------------------------

template <typename E>
Result<E> ReadEnum(std::string_view code) {
  if (auto value = ParseEnum<E>(code)) {
    return *value;
  }
  return Fail(ErrorCode::kInternal, "stored " + std::string(EnumName<E>()) + " '" +
                                        std::string(code) +
                                        "' is not a known code (written by a newer build?)");
}

template <typename E>
Result<std::optional<E>> ReadOptionalEnum(const Statement& row, int column) {
  if (row.IsNull(column)) {
    return std::optional<E>();
  }
  CITYDIP_ASSIGN_OR_RETURN(E value, ReadEnum<E>(row.Text(column)));
  return std::optional<E>(value);
}

Result<PartialDate> ReadDate(std::string_view text) {
  if (text.empty()) {
    return PartialDate();
  }
  auto date = PartialDate::Parse(text);
  if (!date) {
    return Fail(ErrorCode::kInternal, "stored date '" + std::string(text) + "' is invalid");
  }
  return *date;
}

template <typename E>
std::optional<std::string_view> OptionalCode(const std::optional<E>& value) {
  if (!value) {
    return std::nullopt;
  }
  return ToCode(*value);
}

CityRef ReadCityRef(const Statement& row, int column) {
  return CityRef{std::string(row.Text(column)), std::string(row.Text(column + 1))};
}

// ---- Selections: which rows of a kind to load ---------------------------------------------------

// A WHERE clause on the kind's main table (alias x), an optional LIMIT clause and the parameters
// of WHERE then LIMIT. List tables are then loaded with one query each for all selected records,
// not one per record.
struct Selection {
  std::string where;
  std::string limit;
  SqlParams params;
  std::string order;  // empty: the kind's usual order

  [[nodiscard]] bool All() const { return where.empty() && limit.empty(); }
};

Selection ById(RecordId id) {
  return Selection{"WHERE x.id = ?", "", {SqlValue(id)}, ""};
}

// The LIKE pattern for a case-insensitive substring (SQLite's LIKE folds ASCII case, as
// ToLowerAscii does), with the pattern characters of `text` escaped by '\'.
std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  return pattern + "%";
}

template <typename T>
struct Batch {
  std::vector<T> records;
  std::unordered_map<RecordId, std::size_t> index;

  void Add(T record) {
    index.emplace(record.id, records.size());
    records.push_back(std::move(record));
  }
  T* Find(RecordId id) {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &records[it->second];
  }
};

// Whose list rows to load after the main rows: everybody's (a full load), or those of the loaded
// records, passed as one JSON array of ids and joined to the list table's primary key. Loading by
// id list runs the filter once, not once per list table (a text filter scans every event).
// List rows come back in no particular order; PlaceAt puts them at their position.
struct OwnerFilter {
  bool all = true;
  SqlParams params;

  // The FROM clause: the list table as `c`, restricted to the owners.
  [[nodiscard]] std::string From(std::string_view table, std::string_view owner) const {
    if (all) {
      return std::string(table) + " c";
    }
    return "json_each(?) AS j CROSS JOIN " + std::string(table) + " c ON c." + std::string(owner) +
           " = j.value";
  }
};

// Stores a list row at its position (positions are 0, 1, ... per owner).
template <typename V>
void PlaceAt(std::vector<V>& list, std::int64_t position, V value) {
  const auto index = static_cast<std::size_t>(position);
  if (index >= list.size()) {
    list.resize(index + 1);
  }
  list[index] = std::move(value);
}

template <typename T>
OwnerFilter OwnersOf(const Selection& selection, const Batch<T>& batch) {
  if (selection.All()) {
    return {};
  }
  std::string json = "[";
  for (const T& record : batch.records) {
    if (json.size() > 1) {
      json += ',';
    }
    json += std::to_string(record.id);
  }
  json += ']';
  return {false, {SqlValue(std::move(json))}};
}

// A list table: rows (owner, position, item columns...) that belong to one record, in order.
// The SQL is spelled out so that the statement cache is hit without building strings.
struct ListTable {
  std::string_view table;
  std::string_view owner;
  std::string_view column;  // the first item column
  std::string_view insert_sql;
  std::string_view delete_sql;
};

#define CITYDIP_LIST_TABLE(name, table, owner, columns, placeholders)                          \
  constexpr ListTable name {                                                                   \
    table, owner, columns,                                                                     \
        "INSERT INTO " table " (" owner ", position, " columns ") VALUES (?, ?, " placeholders \
        ")",                                                                                   \
        "DELETE FROM " table " WHERE " owner " = ?"                                            \
  }
CITYDIP_LIST_TABLE(kCitySources, "city_sources", "city_id", "url", "?");
CITYDIP_LIST_TABLE(kRelationSources, "partner_relation_sources", "partner_relation_id", "url", "?");
CITYDIP_LIST_TABLE(kOrganizationSources, "organization_sources", "organization_id", "url", "?");
CITYDIP_LIST_TABLE(kMembershipSources, "membership_sources", "membership_id", "url", "?");
CITYDIP_LIST_TABLE(kOfficialSources, "official_sources", "official_id", "url", "?");
CITYDIP_LIST_TABLE(kMechanismSources, "mechanism_sources", "mechanism_id", "url", "?");
CITYDIP_LIST_TABLE(kMechanismFields, "mechanism_fields", "mechanism_id", "field", "?");
CITYDIP_LIST_TABLE(kMechanismCities, "mechanism_cities", "mechanism_id", "city_id", "?");
CITYDIP_LIST_TABLE(kEventSources, "event_sources", "event_id", "url", "?");
CITYDIP_LIST_TABLE(kEventTopics, "event_topics", "event_id", "topic", "?");
CITYDIP_LIST_TABLE(kEventPartners, "event_partners", "event_id", "city_id", "?");
CITYDIP_LIST_TABLE(kEventOfficials, "event_officials", "event_id", "official_id", "?");
CITYDIP_LIST_TABLE(kEventStakeholders, "event_stakeholders", "event_id", "name, kind", "?, ?");
CITYDIP_LIST_TABLE(
    kVisitClaims, "official_visit_claims", "official_id", "partner_city_id, claim", "?, ?");
CITYDIP_LIST_TABLE(kVisitClaimSources, "official_visit_claim_sources", "claim_id", "url", "?");
#undef CITYDIP_LIST_TABLE

std::string_view TableOf(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return "cities";
    case RecordKind::kPartnerRelation:
      return "partner_relations";
    case RecordKind::kOrganization:
      return "organizations";
    case RecordKind::kMembership:
      return "memberships";
    case RecordKind::kOfficial:
      return "officials";
    case RecordKind::kMechanism:
      return "mechanisms";
    case RecordKind::kEvent:
      return "events";
  }
  return "events";
}

// What still refers to a record of a kind, for a clear message before a delete is refused.
struct ReferenceCheck {
  std::string_view noun;
  std::string_view sql;  // counts the referring records of the record with id ?1
};

std::vector<ReferenceCheck> ReferenceChecks(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return {
          {"events",
           "SELECT count(*) FROM events WHERE home_city_id = ?1 OR id IN "
           "(SELECT event_id FROM event_partners WHERE city_id = ?1)"},
          {"partner relations",
           "SELECT count(*) FROM partner_relations WHERE city_a_id = ?1 OR city_b_id = ?1"},
          {"organizations", "SELECT count(*) FROM organizations WHERE secretariat_city_id = ?1"},
          {"memberships", "SELECT count(*) FROM memberships WHERE city_id = ?1"},
          {"officials",
           "SELECT count(*) FROM officials WHERE city_id = ?1 OR id IN "
           "(SELECT official_id FROM official_visit_claims WHERE partner_city_id = ?1)"},
          {"mechanisms",
           "SELECT count(*) FROM mechanisms WHERE id IN "
           "(SELECT mechanism_id FROM mechanism_cities WHERE city_id = ?1)"},
      };
    case RecordKind::kOrganization:
      return {
          {"events", "SELECT count(*) FROM events WHERE organization_id = ?1"},
          {"memberships", "SELECT count(*) FROM memberships WHERE organization_id = ?1"},
      };
    case RecordKind::kOfficial:
      return {{"events", "SELECT count(*) FROM event_officials WHERE official_id = ?1"}};
    case RecordKind::kMechanism:
      return {{"events", "SELECT count(*) FROM events WHERE mechanism_id = ?1"}};
    case RecordKind::kPartnerRelation:
    case RecordKind::kMembership:
    case RecordKind::kEvent:
      return {};
  }
  return {};
}

// How a record is named in messages, as a SQL expression over its table.
std::string_view LabelSql(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return "SELECT '''' || name_en || ''' (country ' || country || ')' FROM cities WHERE id = ?";
    case RecordKind::kOrganization:
      return "SELECT '''' || name || '''' FROM organizations WHERE id = ?";
    case RecordKind::kOfficial:
      return "SELECT '''' || name_en || '''' FROM officials WHERE id = ?";
    case RecordKind::kMechanism:
      return "SELECT '''' || name_en || '''' FROM mechanisms WHERE id = ?";
    case RecordKind::kPartnerRelation:
      return "SELECT id FROM partner_relations WHERE id = ?";
    case RecordKind::kMembership:
      return "SELECT id FROM memberships WHERE id = ?";
    case RecordKind::kEvent:
      return "SELECT id FROM events WHERE id = ?";
  }
  return "SELECT id FROM events WHERE id = ?";
}

// A unique violation becomes kAlreadyExists naming the record; other errors pass unchanged.
Error Existing(Error error, const std::string& what) {
  if (error.code == ErrorCode::kAlreadyExists) {
    return Error{ErrorCode::kAlreadyExists, what + " already exists", {}};
  }
  return error;
}

std::string DescribeSpan(std::string_view kind_code, const PartialDate& since) {
  std::string out = "(" + std::string(kind_code);
  if (!since.empty()) {
    out += ", since " + since.ToString();
  }
  return out + ")";
}

struct Candidate {
  RecordId id;
  std::string label;
};

// ---- The store ----------------------------------------------------------------------------------

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Connection> connection) : conn_(std::move(connection)) {}

  ~SqliteStore() override {
    // Lets SQLite refresh its planner statistics where queries of this session would gain from
    // them; must never block a closing process for long. Only after a session that changed rows:
    // statistics go stale through writes, and PRAGMA optimize re-analyzes a table whenever one of
    // its indexes has no statistics (an empty partial index of events, say), so a read-only
    // session (`citydip list`) would write sqlite_stat1 and sync the file on every close.
    if (conn_->TotalChanges() == 0) {
      return;
    }
    (void)conn_->Exec("PRAGMA busy_timeout=100");
    (void)conn_->Exec("PRAGMA analysis_limit=1000");
    (void)conn_->Exec("PRAGMA optimize");
  }

  Result<int> SchemaVersion() override { return ReadSchemaVersion(*conn_); }

  Status Migrate() override {
    if (write_locked_ || reading_) {
      return Fail(ErrorCode::kFailedPrecondition, "cannot migrate inside a transaction");
    }
    CITYDIP_RETURN_IF_ERROR(MigrateSchema(*conn_));
    schema_ready_ = true;
    return Ok();
  }

  Status InTransaction(const std::function<Status()>& work) override {
    if (write_locked_ || reading_) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "transactions do not nest (InTransaction called inside a transaction)");
    }
    CITYDIP_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE"));
    write_locked_ = true;
    in_transaction_ = true;
    poisoned_ = false;
    ref_cache_.clear();
    ResetDuplicateKeys();
    Status result = Ok();
    try {
      result = work();
    } catch (const std::exception& e) {
      result = Fail(ErrorCode::kInternal,
                    std::string("the transaction's work threw an exception: ") + e.what());
    } catch (...) {
      result = Fail(ErrorCode::kInternal, "the transaction's work threw an exception");
    }
    if (result && !poisoned_) {
      result = RestoreDeferredIndexes();
    }
    deferred_indexes_.clear();  // on failure the rollback brings them back
    write_locked_ = false;
    in_transaction_ = false;
    ref_cache_.clear();
    ResetDuplicateKeys();
    if (poisoned_ && result) {
      result = Fail(ErrorCode::kUnavailable,
                    "the transaction was aborted by an earlier database error; nothing was stored",
                    conn_->path());
    }
    poisoned_ = false;
    return Finish(std::move(result));
  }

  // A bulk load of events into a table not much larger than the load: the secondary indexes of
  // events are dropped inside the transaction and built again, each by one sort, just before
  // COMMIT (see InTransaction). Measured on 100,000 events: keeping an index of events up to
  // date row by row costs about 1.8 µs per row, building it once about 1.2 µs per stored row, so
  // the rebuild pays when the load is at least kBulkRowsPerStoredRow times the rows already
  // stored. (The list tables' indexes measured no faster rebuilt, so they are kept up to date.)
  // Unique indexes stay, since they enforce constraints as rows arrive. A failed transaction rolls
  // back the drops with everything else; a crash leaves the indexes as they were committed.
  static constexpr std::size_t kBulkRowsMin = 10000;
  static constexpr std::size_t kBulkRowsPerStoredRow = 2;

  Status PrepareBulkInsert(RecordKind kind, std::size_t rows) override {
    if (!in_transaction_ || kind != RecordKind::kEvent || rows < kBulkRowsMin ||
        !deferred_indexes_.empty()) {
      return Ok();
    }
    std::int64_t stored = 0;
    CITYDIP_RETURN_IF_ERROR(
        ForEachRow("SELECT count(*) FROM events", {}, [&](const Statement& row) -> Status {
          stored = row.Int(0);
          return Ok();
        }));
    if (rows < kBulkRowsPerStoredRow * static_cast<std::size_t>(stored)) {
      return Ok();
    }
    std::vector<std::pair<std::string, std::string>> indexes;  // name, CREATE statement
    CITYDIP_RETURN_IF_ERROR(ForEachRow(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        "tbl_name = 'events' AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
        {}, [&](const Statement& row) -> Status {
          indexes.emplace_back(row.Text(0), row.Text(1));
          return Ok();
        }));
    for (const auto& [name, sql] : indexes) {
      std::string quoted = "\"";
      for (char c : name) {
        quoted += c;
        if (c == '"') {
          quoted += '"';
        }
      }
      quoted += '"';
      if (auto dropped = conn_->Exec("DROP INDEX " + quoted); !dropped) {
        poisoned_ = true;  // the transaction must not commit without its indexes
        return dropped;
      }
      deferred_indexes_.emplace_back(sql);
    }
    // Without the indexes, duplicate questions are answered from the set of stored keys at once.
    duplicate_questions_ = kDuplicateKeysAfter;
    return Ok();
  }

  // Builds the indexes PrepareBulkInsert dropped, inside the still open transaction.
  Status RestoreDeferredIndexes() {
    for (const std::string& sql : deferred_indexes_) {
      CITYDIP_RETURN_IF_ERROR(conn_->ExecScript(sql));
    }
    deferred_indexes_.clear();
    return Ok();
  }

  // Inserts run without a savepoint (they are the bulk of an import): references are resolved
  // before anything is written, the main row is one atomic statement, and when a list row fails
  // after it the main row is deleted again (its lists cascade).
  Result<RecordId> Insert(const Record& record) override {
    CITYDIP_RETURN_IF_ERROR(storage::ValidateRecord(record));
    return Write(
        [&]() -> Result<RecordId> {
          if (KindOf(record) != RecordKind::kEvent) {
            ref_cache_.clear();  // a new city, say, can make a cached name ambiguous
          }
          main_row_id_ = 0;
          auto id = std::visit([&](const auto& value) { return InsertRow(value); }, record);
          if (!id && main_row_id_ != 0) {
            const bool undone =
                !conn_->AutoCommit() &&
                RunWith("DELETE FROM " + std::string(TableOf(KindOf(record))) + " WHERE id = ?",
                        main_row_id_)
                    .has_value();
            if (!undone) {
              poisoned_ = true;
            }
          }
          return id;
        },
        /*savepoint=*/false);
  }

  Status Update(const Record& record) override {
    CITYDIP_RETURN_IF_ERROR(storage::ValidateRecord(record));
    return Write([&]() -> Status {
      if (KindOf(record) != RecordKind::kEvent) {
        ref_cache_.clear();
      }
      return std::visit([&](const auto& value) { return UpdateRow(value); }, record);
    });
  }

  Status Delete(RecordKind kind, RecordId id) override {
    return Write([&]() -> Status {
      if (kind != RecordKind::kEvent) {
        ref_cache_.clear();
      }
      return DeleteRow(kind, id);
    });
  }

  Result<Record> Get(RecordKind kind, RecordId id) override {
    return Read([&]() -> Result<Record> {
      CITYDIP_ASSIGN_OR_RETURN(std::vector<Record> records, LoadKind(kind, ById(id)));
      if (records.empty()) {
        return Fail(RecordNotFoundError(kind, id));
      }
      return std::move(records.front());
    });
  }

  Result<std::optional<City>> FindCity(const CityRef& ref) override {
    return Read([&]() -> Result<std::optional<City>> {
      CITYDIP_ASSIGN_OR_RETURN(std::optional<RecordId> id, LookupCity(ref, ""));
      if (!id) {
        return std::optional<City>();
      }
      CITYDIP_ASSIGN_OR_RETURN(std::vector<City> cities, LoadCities(ById(*id)));
      return FirstOf(std::move(cities));
    });
  }

  Result<std::optional<Organization>> FindOrganization(const std::string& name) override {
    return Read([&]() -> Result<std::optional<Organization>> {
      CITYDIP_ASSIGN_OR_RETURN(std::optional<RecordId> id, LookupOrganization(name, ""));
      if (!id) {
        return std::optional<Organization>();
      }
      CITYDIP_ASSIGN_OR_RETURN(std::vector<Organization> found, LoadOrganizations(ById(*id)));
      return FirstOf(std::move(found));
    });
  }

  Result<std::optional<Mechanism>> FindMechanism(const std::string& name) override {
    return Read([&]() -> Result<std::optional<Mechanism>> {
      CITYDIP_ASSIGN_OR_RETURN(std::optional<RecordId> id, LookupMechanism(name, ""));
      if (!id) {
        return std::optional<Mechanism>();
      }
      CITYDIP_ASSIGN_OR_RETURN(std::vector<Mechanism> found, LoadMechanisms(ById(*id)));
      return FirstOf(std::move(found));
    });
  }

  Result<std::optional<RecordId>> FindDuplicateEvent(const Event& event) override {
    return Read([&]() { return DuplicateOf(event); });
  }

  Result<std::vector<Event>> ListEvents(const EventFilter& filter) override {
    CITYDIP_RETURN_IF_ERROR(ValidateEventFilter(filter));
    return Read([&]() -> Result<std::vector<Event>> {
      CITYDIP_ASSIGN_OR_RETURN(Selection selection, EventSelection(filter, /*paged=*/true));
      return LoadEvents(selection);
    });
  }

  Result<std::int64_t> CountEvents(const EventFilter& filter) override {
    CITYDIP_RETURN_IF_ERROR(ValidateEventFilter(filter));
    return Read([&]() -> Result<std::int64_t> {
      CITYDIP_ASSIGN_OR_RETURN(Selection selection, EventSelection(filter, /*paged=*/false));
      CITYDIP_ASSIGN_OR_RETURN(Statement stmt,
                               conn_->Prepare("SELECT count(*) FROM events x " + selection.where));
      stmt.BindAll(selection.params);
      CITYDIP_ASSIGN_OR_RETURN(bool row, stmt.Step());
      return row ? stmt.Int(0) : 0;
    });
  }

  Result<std::vector<Record>> List(RecordKind kind) override {
    return Read([&]() { return LoadKind(kind, Selection{}); });
  }

  Result<Registry> LoadRegistry() override {
    return Read([&]() -> Result<Registry> {
      Registry registry;
      const Selection all;
      CITYDIP_ASSIGN_OR_RETURN(registry.cities, LoadCities(all));
      CITYDIP_ASSIGN_OR_RETURN(registry.partner_relations, LoadRelations(all));
      CITYDIP_ASSIGN_OR_RETURN(registry.organizations, LoadOrganizations(all));
      CITYDIP_ASSIGN_OR_RETURN(registry.memberships, LoadMemberships(all));
      CITYDIP_ASSIGN_OR_RETURN(registry.officials, LoadOfficials(all));
      CITYDIP_ASSIGN_OR_RETURN(registry.mechanisms, LoadMechanisms(all));
      CITYDIP_ASSIGN_OR_RETURN(registry.events, LoadEvents(all));
      return registry;
    });
  }

  Result<Counts> CountAll() override {
    return Read([&]() -> Result<Counts> {
      CITYDIP_ASSIGN_OR_RETURN(
          Statement stmt,
          conn_->Prepare("SELECT (SELECT count(*) FROM cities), (SELECT count(*) FROM "
                         "organizations), (SELECT count(*) FROM partner_relations), (SELECT "
                         "count(*) FROM memberships), (SELECT count(*) FROM officials), (SELECT "
                         "count(*) FROM mechanisms), (SELECT count(*) FROM events)"));
      CITYDIP_ASSIGN_OR_RETURN(bool row, stmt.Step());
      Counts counts;
      if (row) {
        counts.cities = stmt.Int(0);
        counts.organizations = stmt.Int(1);
        counts.partner_relations = stmt.Int(2);
        counts.memberships = stmt.Int(3);
        counts.officials = stmt.Int(4);
        counts.mechanisms = stmt.Int(5);
        counts.events = stmt.Int(6);
      }
      return counts;
    });
  }

 private:
  template <typename T>
  static std::optional<T> FirstOf(std::vector<T> records) {
    if (records.empty()) {
      return std::nullopt;
    }
    return std::move(records.front());
  }

  // ---- Transactions and scopes ------------------------------------------------------------------

  Status EnsureSchema() {
    if (schema_ready_) {
      return Ok();
    }
    CITYDIP_ASSIGN_OR_RETURN(const int version, ReadSchemaVersion(*conn_));
    if (version > kSchemaVersion) {
      return Fail(NewerSchemaError(version, conn_->path()));
    }
    if (version < kSchemaVersion) {
      return Fail(OutdatedSchemaError(version, conn_->path()));
    }
    schema_ready_ = true;
    return Ok();
  }

  // Records the id of the main row an insert just wrote (see Insert).
  RecordId MainRowInserted() {
    main_row_id_ = conn_->LastInsertId();
    return main_row_id_;
  }

  // Commits when `result` is a success, else rolls back; returns the first error.
  Status Finish(Status result) {
    if (result) {
      if (auto committed = conn_->Exec("COMMIT"); !committed) {
        if (!conn_->AutoCommit()) {
          (void)conn_->Exec("ROLLBACK");
        }
        return committed;
      }
      return Ok();
    }
    if (!conn_->AutoCommit()) {
      (void)conn_->Exec("ROLLBACK");
    }
    return result;
  }

  // Runs a write atomically: in its own IMMEDIATE transaction, or inside the caller's transaction
  // under a savepoint, so that a failed write leaves nothing behind either way.
  // `savepoint` false: the body undoes its own partial work on failure (see Insert).
  template <typename F>
  auto Write(F&& body, bool savepoint = true) -> decltype(body()) {
    using R = decltype(body());
    CITYDIP_RETURN_IF_ERROR(EnsureSchema());
    if (write_locked_) {
      if (poisoned_ || conn_->AutoCommit()) {
        poisoned_ = true;
        return Fail(ErrorCode::kUnavailable,
                    "the transaction was aborted by an earlier database error and will be rolled "
                    "back",
                    conn_->path());
      }
      if (!savepoint) {
        return body();
      }
      CITYDIP_RETURN_IF_ERROR(conn_->Exec("SAVEPOINT citydip_write"));
      R result = body();
      if (result) {
        CITYDIP_RETURN_IF_ERROR(conn_->Exec("RELEASE citydip_write"));
      } else if (!conn_->AutoCommit()) {
        (void)conn_->Exec("ROLLBACK TO citydip_write");
        (void)conn_->Exec("RELEASE citydip_write");
      }
      return result;
    }
    if (reading_) {
      return Fail(ErrorCode::kInternal, "a write was attempted inside a read");
    }
    CITYDIP_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE"));
    write_locked_ = true;
    ref_cache_.clear();
    R result = body();
    write_locked_ = false;
    ref_cache_.clear();
    Status status = result ? Ok() : Status(Fail(result.error()));
    CITYDIP_RETURN_IF_ERROR(Finish(std::move(status)));
    return result;
  }

  // Runs reads on one snapshot of the database.
  template <typename F>
  auto Read(F&& body) -> decltype(body()) {
    CITYDIP_RETURN_IF_ERROR(EnsureSchema());
    if (write_locked_ || reading_) {
      return body();
    }
    CITYDIP_RETURN_IF_ERROR(conn_->Exec("BEGIN"));
    reading_ = true;
    auto result = body();
    reading_ = false;
    if (!conn_->AutoCommit()) {
      if (auto ended = conn_->Exec("COMMIT"); !ended) {
        (void)conn_->Exec("ROLLBACK");
      }
    }
    return result;
  }

  // ---- Statements -------------------------------------------------------------------------------

  template <typename Fn>
  Status ForEachRow(const std::string& sql, const SqlParams& params, Fn&& on_row) {
    CITYDIP_ASSIGN_OR_RETURN(Statement stmt, conn_->Prepare(sql));
    stmt.BindAll(params);
    for (;;) {
      CITYDIP_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) {
        return Ok();
      }
      CITYDIP_RETURN_IF_ERROR(on_row(stmt));
    }
  }

  template <typename... Args>
  Result<std::vector<Candidate>> Candidates(std::string_view sql, const Args&... args) {
    CITYDIP_ASSIGN_OR_RETURN(Statement stmt, conn_->Prepare(sql));
    stmt.Bind(args...);
    std::vector<Candidate> out;
    for (;;) {
      CITYDIP_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) {
        return out;
      }
      out.push_back({stmt.Int(0), std::string(stmt.Text(1))});
    }
  }

  // Binds and runs in one call, so the text arguments outlive the run: no copies needed.
  Status RunWith(std::string_view sql, const auto&... args) {
    CITYDIP_ASSIGN_OR_RETURN(Statement stmt, conn_->Prepare(sql));
    return stmt.NoCopy().Bind(args...).Run();
  }

  // ---- Reference resolution ---------------------------------------------------------------------

  // Cached only while this store holds the write lock: nobody else can change the answer then,
  // and every write of a non-event record clears the cache.
  std::optional<RecordId> Cached(const std::string& key) const {
    if (!write_locked_) {
      return std::nullopt;
    }
    auto it = ref_cache_.find(key);
    if (it == ref_cache_.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  void Remember(const std::string& key, RecordId id) {
    if (write_locked_) {
      ref_cache_.emplace(key, id);
    }
  }

  // The id of the city `ref` names; nullopt when there is none; an error when it is ambiguous.
  Result<std::optional<RecordId>> LookupCity(const CityRef& ref, std::string_view field) {
    std::string key = "c\x1f" + ref.name + "\x1f" + ref.country;
    if (auto id = Cached(key)) {
      return id;
    }
    std::vector<Candidate> found;
    if (!ref.country.empty()) {
      CITYDIP_ASSIGN_OR_RETURN(
          found, Candidates("SELECT id, country FROM cities WHERE name_en = ? AND country = ?",
                            ref.name, ref.country));
      if (found.empty()) {
        CITYDIP_ASSIGN_OR_RETURN(found, Candidates("SELECT id, country FROM cities WHERE name_en "
                                                   "= ? COLLATE NOCASE AND country = ? COLLATE "
                                                   "NOCASE ORDER BY country, name_en",
                                                   ref.name, ref.country));
      }
    } else {
      CITYDIP_ASSIGN_OR_RETURN(
          found, Candidates("SELECT id, country FROM cities WHERE name_en = ? ORDER BY country",
                            ref.name));
      if (found.empty()) {
        CITYDIP_ASSIGN_OR_RETURN(found,
                                 Candidates("SELECT id, country FROM cities WHERE name_en = ? "
                                            "COLLATE NOCASE ORDER BY country, name_en",
                                            ref.name));
      }
    }
    if (found.empty()) {
      return std::optional<RecordId>();
    }
    if (found.size() > 1) {
      std::vector<std::string> countries;
      for (const Candidate& candidate : found) {
        countries.push_back(candidate.label);
      }
      return Fail(AmbiguousCityError(ref, countries, field));
    }
    Remember(key, found.front().id);
    return std::optional<RecordId>(found.front().id);
  }

  Result<RecordId> ResolveCity(const CityRef& ref, std::string_view field) {
    CITYDIP_ASSIGN_OR_RETURN(std::optional<RecordId> id, LookupCity(ref, field));
    if (!id) {
      return Fail(UnknownCityError(ref, field));
    }
    return *id;
  }

  // Tries the queries in order; the first that finds something decides. Several matches of one
  // query are ambiguous.
  Result<std::optional<RecordId>> LookupByName(std::string_view what,
                                               const std::string& name,
                                               std::string_view field,
                                               std::initializer_list<std::string_view> queries) {
    for (std::string_view sql : queries) {
      CITYDIP_ASSIGN_OR_RETURN(std::vector<Candidate> found, Candidates(sql, name));
      if (found.size() == 1) {
        return std::optional<RecordId>(found.front().id);
      }
      if (found.size() > 1) {
        std::string list;
        for (const Candidate& candidate : found) {
          list += (list.empty() ? "'" : ", '") + candidate.label + "'";
        }
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(what) + " '" + name + "' is ambiguous: it matches " + list +
                        " (give the full name)",
                    std::string(field));
      }
    }
    return std::optional<RecordId>();
  }

  Result<std::optional<RecordId>> LookupOrganization(const std::string& name,
                                                     std::string_view field) {
    std::string key = "o\x1f" + name;
    if (auto id = Cached(key)) {
      return id;
    }
    CITYDIP_ASSIGN_OR_RETURN(
        std::optional<RecordId> id,
        LookupByName("organization", name, field,
                     {"SELECT id, name FROM organizations WHERE name = ?",
                      "SELECT id, name FROM organizations WHERE acronym = ?1 AND ?1 <> '' "
                      "ORDER BY name",
                      "SELECT id, name FROM organizations WHERE name = ? COLLATE NOCASE "
                      "ORDER BY name",
                      "SELECT id, name FROM organizations WHERE acronym = ?1 COLLATE NOCASE "
                      "AND ?1 <> '' ORDER BY name"}));
    if (id) {
      Remember(key, *id);
    }
    return id;
  }

  Result<std::optional<RecordId>> LookupMechanism(const std::string& name, std::string_view field) {
    std::string key = "m\x1f" + name;
    if (auto id = Cached(key)) {
      return id;
    }
    CITYDIP_ASSIGN_OR_RETURN(
        std::optional<RecordId> id,
        LookupByName("mechanism", name, field,
                     {"SELECT id, name_en FROM mechanisms WHERE name_en = ?",
                      "SELECT id, name_en FROM mechanisms WHERE name_ko = ?1 AND ?1 <> '' "
                      "ORDER BY name_en",
                      "SELECT id, name_en FROM mechanisms WHERE name_en = ? COLLATE NOCASE "
                      "ORDER BY name_en"}));
    if (id) {
      Remember(key, *id);
    }
    return id;
  }

  Result<RecordId> ResolveOrganization(const std::string& name, std::string_view field) {
    CITYDIP_ASSIGN_OR_RETURN(std::optional<RecordId> id, LookupOrganization(name, field));
    if (!id) {
      return Fail(UnknownReferenceError("organization", name, field));
    }
    return *id;
  }

  Result<RecordId> ResolveMechanism(const std::string& name, std::string_view field) {
    CITYDIP_ASSIGN_OR_RETURN(std::optional<RecordId> id, LookupMechanism(name, field));
    if (!id) {
      return Fail(UnknownReferenceError("mechanism", name, field));
    }
    return *id;
  }

  // An event names officials by English name only. When several officials share the name (two
  // terms of one mayor, say), the one in office on the event's date is taken, else the first.
  Result<RecordId> ResolveOfficial(const std::string& name, const PartialDate& when) {
    struct Term {
      RecordId id;
      std::string start;
      std::string end;
    };
    std::vector<Term> terms;
    for (std::string_view sql :
         {"SELECT id, term_start, term_end FROM officials WHERE name_en = ? ORDER BY id",
          "SELECT id, term_start, term_end FROM officials WHERE name_en = ? COLLATE NOCASE "
          "ORDER BY id"}) {
      CITYDIP_RETURN_IF_ERROR(
          ForEachRow(std::string(sql), {SqlValue(name)}, [&](const Statement& row) -> Status {
            terms.push_back({row.Int(0), std::string(row.Text(1)), std::string(row.Text(2))});
            return Ok();
          }));
      if (!terms.empty()) {
        break;
      }
    }
    if (terms.empty()) {
      return Fail(UnknownReferenceError("official", name, "officials"));
    }
    if (terms.size() > 1 && !when.empty()) {
      for (const Term& term : terms) {
        CITYDIP_ASSIGN_OR_RETURN(PartialDate start, ReadDate(term.start));
        CITYDIP_ASSIGN_OR_RETURN(PartialDate end, ReadDate(term.end));
        const bool started = start.empty() || start.FirstDay() <= when.FirstDay();
        const bool not_ended = end.empty() || end.LastDay() >= when.FirstDay();
        if (started && not_ended) {
          return term.id;
        }
      }
    }
    return terms.front().id;
  }

  // ---- Lists ------------------------------------------------------------------------------------

  // Inserts one row (owner, position, item columns...) per item of `items`. One statement per
  // row: a multi-row INSERT needs a statement journal and measured slower. `bind(stmt, index,
  // item)` binds an item's own columns from parameter `index` on.
  template <typename T, typename Bind>
  Status InsertListRows(const ListTable& list,
                        RecordId owner,
                        const std::vector<T>& items,
                        Bind&& bind) {
    if (items.empty()) {
      return Ok();
    }
    CITYDIP_ASSIGN_OR_RETURN(Statement stmt, conn_->Prepare(list.insert_sql));
    stmt.NoCopy();  // the items outlive the statement
    std::int64_t position = 0;
    for (const T& item : items) {
      stmt.BindAt(1, owner);
      stmt.BindAt(2, position++);
      bind(stmt, 3, item);
      CITYDIP_RETURN_IF_ERROR(stmt.Run());
    }
    return Ok();
  }

  Status WriteTextList(const ListTable& list,
                       RecordId owner,
                       const std::vector<std::string>& values) {
    return InsertListRows(
        list, owner, values,
        [](Statement& stmt, int index, const std::string& value) { stmt.BindAt(index, value); });
  }

  Status WriteIdList(const ListTable& list, RecordId owner, const std::vector<RecordId>& ids) {
    return InsertListRows(list, owner, ids,
                          [](Statement& stmt, int index, RecordId id) { stmt.BindAt(index, id); });
  }

  Status ClearList(const ListTable& list, RecordId owner) {
    return RunWith(list.delete_sql, owner);
  }

  template <typename T>
  Status LoadTextList(Batch<T>& batch,
                      const OwnerFilter& owners,
                      const ListTable& list,
                      std::vector<std::string> T::*member) {
    const std::string sql = "SELECT c." + std::string(list.owner) + ", c.position, c." +
                            std::string(list.column) + " FROM " +
                            owners.From(list.table, list.owner);
    return ForEachRow(sql, owners.params, [&](const Statement& row) -> Status {
      if (T* record = batch.Find(row.Int(0))) {
        PlaceAt(record->*member, row.Int(1), std::string(row.Text(2)));
      }
      return Ok();
    });
  }

  // Loads the cities of a list of city ids, as (owner, position, city).
  template <typename Fn>
  Status LoadCityList(const OwnerFilter& owners, const ListTable& list, Fn&& on_city) {
    const std::string sql = "SELECT c." + std::string(list.owner) +
                            ", c.position, k.name_en, k.country FROM " +
                            owners.From(list.table, list.owner) + " JOIN cities k ON k.id = c." +
                            std::string(list.column);
    return ForEachRow(sql, owners.params, [&](const Statement& row) -> Status {
      on_city(row.Int(0), row.Int(1), ReadCityRef(row, 2));
      return Ok();
    });
  }

  // ---- Version checks and errors ----------------------------------------------------------------

  // After an UPDATE ... WHERE id = ? AND version = ?: no row changed means a missing record or a
  // stale version.
  Status CheckUpdated(RecordKind kind, RecordId id, std::int64_t yours) {
    if (conn_->Changes() > 0) {
      return Ok();
    }
    CITYDIP_ASSIGN_OR_RETURN(
        Statement stmt,
        conn_->Prepare("SELECT version FROM " + std::string(TableOf(kind)) + " WHERE id = ?"));
    stmt.Bind(id);
    CITYDIP_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) {
      return Fail(RecordNotFoundError(kind, id));
    }
    return Fail(VersionConflictError(stmt.Int(0), yours));
  }

  // ---- Cities -----------------------------------------------------------------------------------

  Result<RecordId> InsertRow(const City& city) {
    auto inserted = RunWith(
        "INSERT INTO cities (name_en, name_ko, name_zh, country, kind, lat, lon, wikidata_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        city.name_en, city.name_ko, city.name_zh, city.country, ToCode(city.kind), city.lat,
        city.lon, city.wikidata_id);
    if (!inserted) {
      return Fail(Existing(inserted.error(), "city " + DescribeCityRef(city.Ref())));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteTextList(kCitySources, id, city.sources));
    return id;
  }

  Status UpdateRow(const City& city) {
    auto updated = RunWith(
        "UPDATE cities SET name_en = ?, name_ko = ?, name_zh = ?, country = ?, kind = ?, lat = ?, "
        "lon = ?, wikidata_id = ?, version = version + 1 WHERE id = ? AND version = ?",
        city.name_en, city.name_ko, city.name_zh, city.country, ToCode(city.kind), city.lat,
        city.lon, city.wikidata_id, city.id, city.version);
    if (!updated) {
      return Fail(Existing(updated.error(), "city " + DescribeCityRef(city.Ref())));
    }
    CITYDIP_RETURN_IF_ERROR(CheckUpdated(RecordKind::kCity, city.id, city.version));
    CITYDIP_RETURN_IF_ERROR(ClearList(kCitySources, city.id));
    return WriteTextList(kCitySources, city.id, city.sources);
  }

  Result<std::vector<City>> LoadCities(const Selection& selection) {
    Batch<City> batch;
    const std::string sql =
        "SELECT x.id, x.name_en, x.name_ko, x.name_zh, x.country, x.kind, x.lat, x.lon, "
        "x.wikidata_id, x.version FROM cities x " +
        selection.where + " ORDER BY x.country, x.name_en, x.id";
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      City city;
      city.id = row.Int(0);
      city.name_en = row.Text(1);
      city.name_ko = row.Text(2);
      city.name_zh = row.Text(3);
      city.country = row.Text(4);
      CITYDIP_ASSIGN_OR_RETURN(city.kind, ReadEnum<CityKind>(row.Text(5)));
      city.lat = row.OptionalDouble(6);
      city.lon = row.OptionalDouble(7);
      city.wikidata_id = row.Text(8);
      city.version = row.Int(9);
      batch.Add(std::move(city));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    CITYDIP_RETURN_IF_ERROR(LoadTextList(batch, owners, kCitySources, &City::sources));
    return std::move(batch.records);
  }

  // ---- Partner relations ------------------------------------------------------------------------

  Result<std::pair<RecordId, RecordId>> ResolvePair(const PartnerRelation& relation) {
    CITYDIP_ASSIGN_OR_RETURN(const RecordId a, ResolveCity(relation.city_a, "city_a"));
    CITYDIP_ASSIGN_OR_RETURN(const RecordId b, ResolveCity(relation.city_b, "city_b"));
    if (a == b) {
      return Fail(ErrorCode::kInvalidArgument,
                  "city " + DescribeCityRef(relation.city_a) + " cannot be its own partner",
                  "city_b");
    }
    return std::make_pair(a, b);
  }

  static std::string Describe(const PartnerRelation& relation) {
    return "partner relation " + DescribeCityRef(relation.city_a) + " – " +
           DescribeCityRef(relation.city_b) + " " +
           DescribeSpan(ToCode(relation.relation), relation.since);
  }

  Result<RecordId> InsertRow(const PartnerRelation& relation) {
    CITYDIP_ASSIGN_OR_RETURN(const auto ids, ResolvePair(relation));
    auto inserted = RunWith(
        "INSERT INTO partner_relations (city_a_id, city_b_id, relation, since, until, status) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ids.first, ids.second, ToCode(relation.relation), relation.since.ToString(),
        relation.until.ToString(), ToCode(relation.status));
    if (!inserted) {
      return Fail(Existing(inserted.error(), Describe(relation)));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteTextList(kRelationSources, id, relation.sources));
    return id;
  }

  Status UpdateRow(const PartnerRelation& relation) {
    CITYDIP_ASSIGN_OR_RETURN(const auto ids, ResolvePair(relation));
    auto updated = RunWith(
        "UPDATE partner_relations SET city_a_id = ?, city_b_id = ?, relation = ?, since = ?, "
        "until = ?, status = ?, version = version + 1 WHERE id = ? AND version = ?",
        ids.first, ids.second, ToCode(relation.relation), relation.since.ToString(),
        relation.until.ToString(), ToCode(relation.status), relation.id, relation.version);
    if (!updated) {
      return Fail(Existing(updated.error(), Describe(relation)));
    }
    CITYDIP_RETURN_IF_ERROR(
        CheckUpdated(RecordKind::kPartnerRelation, relation.id, relation.version));
    CITYDIP_RETURN_IF_ERROR(ClearList(kRelationSources, relation.id));
    return WriteTextList(kRelationSources, relation.id, relation.sources);
  }

  Result<std::vector<PartnerRelation>> LoadRelations(const Selection& selection) {
    Batch<PartnerRelation> batch;
    const std::string sql =
        "SELECT x.id, a.name_en, a.country, b.name_en, b.country, x.relation, x.since, x.until, "
        "x.status, x.version FROM partner_relations x JOIN cities a ON a.id = x.city_a_id "
        "JOIN cities b ON b.id = x.city_b_id " +
        selection.where + " ORDER BY x.id";
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      PartnerRelation relation;
      relation.id = row.Int(0);
      relation.city_a = ReadCityRef(row, 1);
      relation.city_b = ReadCityRef(row, 3);
      CITYDIP_ASSIGN_OR_RETURN(relation.relation, ReadEnum<RelationKind>(row.Text(5)));
      CITYDIP_ASSIGN_OR_RETURN(relation.since, ReadDate(row.Text(6)));
      CITYDIP_ASSIGN_OR_RETURN(relation.until, ReadDate(row.Text(7)));
      CITYDIP_ASSIGN_OR_RETURN(relation.status, ReadEnum<RelationStatus>(row.Text(8)));
      relation.version = row.Int(9);
      batch.Add(std::move(relation));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    CITYDIP_RETURN_IF_ERROR(
        LoadTextList(batch, owners, kRelationSources, &PartnerRelation::sources));
    return std::move(batch.records);
  }

  // ---- Organizations ----------------------------------------------------------------------------

  Result<std::optional<RecordId>> ResolveSecretariat(const Organization& organization) {
    if (!organization.secretariat_city) {
      return std::optional<RecordId>();
    }
    CITYDIP_ASSIGN_OR_RETURN(const RecordId id,
                             ResolveCity(*organization.secretariat_city, "secretariat_city"));
    return std::optional<RecordId>(id);
  }

  Result<RecordId> InsertRow(const Organization& organization) {
    CITYDIP_ASSIGN_OR_RETURN(const std::optional<RecordId> secretariat,
                             ResolveSecretariat(organization));
    auto inserted = RunWith(
        "INSERT INTO organizations (name, acronym, kind, secretariat_city_id, founded) "
        "VALUES (?, ?, ?, ?, ?)",
        organization.name, organization.acronym, ToCode(organization.kind), secretariat,
        organization.founded.ToString());
    if (!inserted) {
      return Fail(Existing(inserted.error(), "organization '" + organization.name + "'"));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteTextList(kOrganizationSources, id, organization.sources));
    return id;
  }

  Status UpdateRow(const Organization& organization) {
    CITYDIP_ASSIGN_OR_RETURN(const std::optional<RecordId> secretariat,
                             ResolveSecretariat(organization));
    auto updated = RunWith(
        "UPDATE organizations SET name = ?, acronym = ?, kind = ?, secretariat_city_id = ?, "
        "founded = ?, version = version + 1 WHERE id = ? AND version = ?",
        organization.name, organization.acronym, ToCode(organization.kind), secretariat,
        organization.founded.ToString(), organization.id, organization.version);
    if (!updated) {
      return Fail(Existing(updated.error(), "organization '" + organization.name + "'"));
    }
    CITYDIP_RETURN_IF_ERROR(
        CheckUpdated(RecordKind::kOrganization, organization.id, organization.version));
    CITYDIP_RETURN_IF_ERROR(ClearList(kOrganizationSources, organization.id));
    return WriteTextList(kOrganizationSources, organization.id, organization.sources);
  }

  Result<std::vector<Organization>> LoadOrganizations(const Selection& selection) {
    Batch<Organization> batch;
    const std::string sql =
        "SELECT x.id, x.name, x.acronym, x.kind, s.name_en, s.country, x.founded, x.version "
        "FROM organizations x LEFT JOIN cities s ON s.id = x.secretariat_city_id " +
        selection.where + " ORDER BY x.name, x.id";
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      Organization organization;
      organization.id = row.Int(0);
      organization.name = row.Text(1);
      organization.acronym = row.Text(2);
      CITYDIP_ASSIGN_OR_RETURN(organization.kind, ReadEnum<OrgKind>(row.Text(3)));
      if (!row.IsNull(4)) {
        organization.secretariat_city = ReadCityRef(row, 4);
      }
      CITYDIP_ASSIGN_OR_RETURN(organization.founded, ReadDate(row.Text(6)));
      organization.version = row.Int(7);
      batch.Add(std::move(organization));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    CITYDIP_RETURN_IF_ERROR(
        LoadTextList(batch, owners, kOrganizationSources, &Organization::sources));
    return std::move(batch.records);
  }

  // ---- Memberships ------------------------------------------------------------------------------

  static std::string Describe(const Membership& membership) {
    return "membership of " + DescribeCityRef(membership.city) + " in '" + membership.organization +
           "' " + DescribeSpan(ToCode(membership.role), membership.since);
  }

  Result<RecordId> InsertRow(const Membership& membership) {
    CITYDIP_ASSIGN_OR_RETURN(const RecordId city, ResolveCity(membership.city, "city"));
    CITYDIP_ASSIGN_OR_RETURN(const RecordId organization,
                             ResolveOrganization(membership.organization, "organization"));
    auto inserted = RunWith(
        "INSERT INTO memberships (city_id, organization_id, role, since, until) "
        "VALUES (?, ?, ?, ?, ?)",
        city, organization, ToCode(membership.role), membership.since.ToString(),
        membership.until.ToString());
    if (!inserted) {
      return Fail(Existing(inserted.error(), Describe(membership)));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteTextList(kMembershipSources, id, membership.sources));
    return id;
  }

  Status UpdateRow(const Membership& membership) {
    CITYDIP_ASSIGN_OR_RETURN(const RecordId city, ResolveCity(membership.city, "city"));
    CITYDIP_ASSIGN_OR_RETURN(const RecordId organization,
                             ResolveOrganization(membership.organization, "organization"));
    auto updated = RunWith(
        "UPDATE memberships SET city_id = ?, organization_id = ?, role = ?, since = ?, "
        "until = ?, version = version + 1 WHERE id = ? AND version = ?",
        city, organization, ToCode(membership.role), membership.since.ToString(),
        membership.until.ToString(), membership.id, membership.version);
    if (!updated) {
      return Fail(Existing(updated.error(), Describe(membership)));
    }
    CITYDIP_RETURN_IF_ERROR(
        CheckUpdated(RecordKind::kMembership, membership.id, membership.version));
    CITYDIP_RETURN_IF_ERROR(ClearList(kMembershipSources, membership.id));
    return WriteTextList(kMembershipSources, membership.id, membership.sources);
  }

  Result<std::vector<Membership>> LoadMemberships(const Selection& selection) {
    Batch<Membership> batch;
    const std::string sql =
        "SELECT x.id, c.name_en, c.country, o.name, x.role, x.since, x.until, x.version "
        "FROM memberships x JOIN cities c ON c.id = x.city_id "
        "JOIN organizations o ON o.id = x.organization_id " +
        selection.where + " ORDER BY x.id";
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      Membership membership;
      membership.id = row.Int(0);
      membership.city = ReadCityRef(row, 1);
      membership.organization = row.Text(3);
      CITYDIP_ASSIGN_OR_RETURN(membership.role, ReadEnum<MembershipRole>(row.Text(4)));
      CITYDIP_ASSIGN_OR_RETURN(membership.since, ReadDate(row.Text(5)));
      CITYDIP_ASSIGN_OR_RETURN(membership.until, ReadDate(row.Text(6)));
      membership.version = row.Int(7);
      batch.Add(std::move(membership));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    CITYDIP_RETURN_IF_ERROR(LoadTextList(batch, owners, kMembershipSources, &Membership::sources));
    return std::move(batch.records);
  }

  // ---- Officials --------------------------------------------------------------------------------

  static std::string Describe(const Official& official) {
    std::string out = "official '" + official.name_en + "' (" + official.office + " of " +
                      DescribeCityRef(official.city);
    if (!official.term_start.empty()) {
      out += ", term from " + official.term_start.ToString();
    }
    return out + ")";
  }

  Status WriteVisitClaims(RecordId official, const std::vector<VisitClaim>& claims) {
    std::int64_t position = 0;
    for (const VisitClaim& claim : claims) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId partner, ResolveCity(claim.partner, "visit_claims"));
      CITYDIP_RETURN_IF_ERROR(
          RunWith(kVisitClaims.insert_sql, official, position++, partner, ToCode(claim.claim)));
      const RecordId claim_id = conn_->LastInsertId();
      CITYDIP_RETURN_IF_ERROR(InsertListRows(
          kVisitClaimSources, claim_id, claim.sources,
          [](Statement& stmt, int index, const std::string& url) { stmt.BindAt(index, url); }));
    }
    return Ok();
  }

  Result<RecordId> InsertRow(const Official& official) {
    CITYDIP_ASSIGN_OR_RETURN(const RecordId city, ResolveCity(official.city, "city"));
    auto inserted = RunWith(
        "INSERT INTO officials (name_en, name_ko, office, city_id, term_start, term_end, acting) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        official.name_en, official.name_ko, official.office, city, official.term_start.ToString(),
        official.term_end.ToString(), official.acting);
    if (!inserted) {
      return Fail(Existing(inserted.error(), Describe(official)));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteVisitClaims(id, official.visit_claims));
    CITYDIP_RETURN_IF_ERROR(WriteTextList(kOfficialSources, id, official.sources));
    return id;
  }

  Status UpdateRow(const Official& official) {
    CITYDIP_ASSIGN_OR_RETURN(const RecordId city, ResolveCity(official.city, "city"));
    auto updated = RunWith(
        "UPDATE officials SET name_en = ?, name_ko = ?, office = ?, city_id = ?, term_start = ?, "
        "term_end = ?, acting = ?, version = version + 1 WHERE id = ? AND version = ?",
        official.name_en, official.name_ko, official.office, city, official.term_start.ToString(),
        official.term_end.ToString(), official.acting, official.id, official.version);
    if (!updated) {
      return Fail(Existing(updated.error(), Describe(official)));
    }
    CITYDIP_RETURN_IF_ERROR(CheckUpdated(RecordKind::kOfficial, official.id, official.version));
    CITYDIP_RETURN_IF_ERROR(ClearList(kVisitClaims, official.id));
    CITYDIP_RETURN_IF_ERROR(WriteVisitClaims(official.id, official.visit_claims));
    CITYDIP_RETURN_IF_ERROR(ClearList(kOfficialSources, official.id));
    return WriteTextList(kOfficialSources, official.id, official.sources);
  }

  Result<std::vector<Official>> LoadOfficials(const Selection& selection) {
    Batch<Official> batch;
    const std::string sql =
        "SELECT x.id, x.name_en, x.name_ko, x.office, c.name_en, c.country, x.term_start, "
        "x.term_end, x.acting, x.version FROM officials x JOIN cities c ON c.id = x.city_id " +
        selection.where + " ORDER BY x.id";
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      Official official;
      official.id = row.Int(0);
      official.name_en = row.Text(1);
      official.name_ko = row.Text(2);
      official.office = row.Text(3);
      official.city = ReadCityRef(row, 4);
      CITYDIP_ASSIGN_OR_RETURN(official.term_start, ReadDate(row.Text(6)));
      CITYDIP_ASSIGN_OR_RETURN(official.term_end, ReadDate(row.Text(7)));
      official.acting = row.Int(8) != 0;
      official.version = row.Int(9);
      batch.Add(std::move(official));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    // Visit claims, then their sources (claim id -> (official, position of the claim)).
    std::unordered_map<RecordId, std::pair<Official*, std::int64_t>> claims;
    CITYDIP_RETURN_IF_ERROR(
        ForEachRow("SELECT c.official_id, c.position, c.id, k.name_en, k.country, c.claim FROM " +
                       owners.From("official_visit_claims", "official_id") +
                       " JOIN cities k ON k.id = c.partner_city_id",
                   owners.params, [&](const Statement& row) -> Status {
                     Official* official = batch.Find(row.Int(0));
                     if (official == nullptr) {
                       return Ok();
                     }
                     VisitClaim claim;
                     claim.partner = ReadCityRef(row, 3);
                     CITYDIP_ASSIGN_OR_RETURN(claim.claim, ReadEnum<Claim>(row.Text(5)));
                     claims.emplace(row.Int(2), std::make_pair(official, row.Int(1)));
                     PlaceAt(official->visit_claims, row.Int(1), std::move(claim));
                     return Ok();
                   }));
    if (!claims.empty()) {
      CITYDIP_RETURN_IF_ERROR(
          ForEachRow("SELECT s.claim_id, s.position, s.url FROM " +
                         owners.From("official_visit_claims", "official_id") +
                         " JOIN official_visit_claim_sources s ON s.claim_id = c.id",
                     owners.params, [&](const Statement& row) -> Status {
                       auto it = claims.find(row.Int(0));
                       if (it != claims.end()) {
                         auto& [official, position] = it->second;
                         PlaceAt(official->visit_claims[static_cast<std::size_t>(position)].sources,
                                 row.Int(1), std::string(row.Text(2)));
                       }
                       return Ok();
                     }));
    }
    CITYDIP_RETURN_IF_ERROR(LoadTextList(batch, owners, kOfficialSources, &Official::sources));
    return std::move(batch.records);
  }

  // ---- Mechanisms -------------------------------------------------------------------------------

  Result<std::vector<RecordId>> ResolveCities(const std::vector<CityRef>& refs,
                                              std::string_view field) {
    std::vector<RecordId> ids;
    ids.reserve(refs.size());
    for (const CityRef& ref : refs) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id, ResolveCity(ref, field));
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "city " + DescribeCityRef(ref) + " is listed twice", std::string(field));
      }
      ids.push_back(id);
    }
    return ids;
  }

  Status WriteMechanismLists(RecordId id,
                             const Mechanism& mechanism,
                             const std::vector<RecordId>& cities) {
    CITYDIP_RETURN_IF_ERROR(WriteIdList(kMechanismCities, id, cities));
    CITYDIP_RETURN_IF_ERROR(WriteTextList(kMechanismFields, id, mechanism.fields));
    return WriteTextList(kMechanismSources, id, mechanism.sources);
  }

  Result<RecordId> InsertRow(const Mechanism& mechanism) {
    CITYDIP_ASSIGN_OR_RETURN(const std::vector<RecordId> cities,
                             ResolveCities(mechanism.cities, "cities"));
    auto inserted =
        RunWith("INSERT INTO mechanisms (name_en, name_ko, founded, ended) VALUES (?, ?, ?, ?)",
                mechanism.name_en, mechanism.name_ko, mechanism.founded.ToString(),
                mechanism.ended.ToString());
    if (!inserted) {
      return Fail(Existing(inserted.error(), "mechanism '" + mechanism.name_en + "'"));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteMechanismLists(id, mechanism, cities));
    return id;
  }

  Status UpdateRow(const Mechanism& mechanism) {
    CITYDIP_ASSIGN_OR_RETURN(const std::vector<RecordId> cities,
                             ResolveCities(mechanism.cities, "cities"));
    auto updated = RunWith(
        "UPDATE mechanisms SET name_en = ?, name_ko = ?, founded = ?, ended = ?, "
        "version = version + 1 WHERE id = ? AND version = ?",
        mechanism.name_en, mechanism.name_ko, mechanism.founded.ToString(),
        mechanism.ended.ToString(), mechanism.id, mechanism.version);
    if (!updated) {
      return Fail(Existing(updated.error(), "mechanism '" + mechanism.name_en + "'"));
    }
    CITYDIP_RETURN_IF_ERROR(CheckUpdated(RecordKind::kMechanism, mechanism.id, mechanism.version));
    for (const ListTable* list : {&kMechanismCities, &kMechanismFields, &kMechanismSources}) {
      CITYDIP_RETURN_IF_ERROR(ClearList(*list, mechanism.id));
    }
    return WriteMechanismLists(mechanism.id, mechanism, cities);
  }

  Result<std::vector<Mechanism>> LoadMechanisms(const Selection& selection) {
    Batch<Mechanism> batch;
    const std::string sql =
        "SELECT x.id, x.name_en, x.name_ko, x.founded, x.ended, x.version FROM mechanisms x " +
        selection.where + " ORDER BY x.id";
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      Mechanism mechanism;
      mechanism.id = row.Int(0);
      mechanism.name_en = row.Text(1);
      mechanism.name_ko = row.Text(2);
      CITYDIP_ASSIGN_OR_RETURN(mechanism.founded, ReadDate(row.Text(3)));
      CITYDIP_ASSIGN_OR_RETURN(mechanism.ended, ReadDate(row.Text(4)));
      mechanism.version = row.Int(5);
      batch.Add(std::move(mechanism));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    CITYDIP_RETURN_IF_ERROR(LoadCityList(owners, kMechanismCities,
                                         [&](RecordId owner, std::int64_t position, CityRef city) {
                                           if (Mechanism* mechanism = batch.Find(owner)) {
                                             PlaceAt(mechanism->cities, position, std::move(city));
                                           }
                                         }));
    CITYDIP_RETURN_IF_ERROR(LoadTextList(batch, owners, kMechanismFields, &Mechanism::fields));
    CITYDIP_RETURN_IF_ERROR(LoadTextList(batch, owners, kMechanismSources, &Mechanism::sources));
    return std::move(batch.records);
  }

  // ---- Events -----------------------------------------------------------------------------------

  struct EventIds {
    RecordId home = 0;
    std::vector<RecordId> partners;
    std::optional<RecordId> organization;
    std::optional<RecordId> mechanism;
    std::vector<RecordId> officials;
  };

  Result<EventIds> ResolveEvent(const Event& event) {
    EventIds ids;
    CITYDIP_ASSIGN_OR_RETURN(ids.home, ResolveCity(event.home_city, "home_city"));
    CITYDIP_ASSIGN_OR_RETURN(ids.partners, ResolveCities(event.partner_cities, "partner_cities"));
    for (std::size_t i = 0; i < ids.partners.size(); ++i) {
      if (ids.partners[i] == ids.home) {
        return Fail(
            ErrorCode::kInvalidArgument,
            "partner city " + DescribeCityRef(event.partner_cities[i]) + " is the home city",
            "partner_cities");
      }
    }
    if (!event.organization.empty()) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id,
                               ResolveOrganization(event.organization, "organization"));
      ids.organization = id;
    }
    if (!event.mechanism.empty()) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id, ResolveMechanism(event.mechanism, "mechanism"));
      ids.mechanism = id;
    }
    for (const std::string& name : event.officials) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id, ResolveOfficial(name, event.date));
      ids.officials.push_back(id);
    }
    return ids;
  }

  Status WriteEventLists(RecordId id, const Event& event, const EventIds& ids) {
    CITYDIP_RETURN_IF_ERROR(WriteIdList(kEventPartners, id, ids.partners));
    CITYDIP_RETURN_IF_ERROR(InsertListRows(
        kEventTopics, id, event.topics,
        [](Statement& stmt, int index, Topic topic) { stmt.BindAt(index, ToCode(topic)); }));
    CITYDIP_RETURN_IF_ERROR(WriteIdList(kEventOfficials, id, ids.officials));
    CITYDIP_RETURN_IF_ERROR(
        InsertListRows(kEventStakeholders, id, event.stakeholders,
                       [](Statement& stmt, int index, const Stakeholder& stakeholder) {
                         stmt.BindAt(index, stakeholder.name);
                         stmt.BindAt(index + 1, ToCode(stakeholder.kind));
                       }));
    return WriteTextList(kEventSources, id, event.sources);
  }

  static std::string Describe(const Event& event) { return "event '" + event.ref + "'"; }

  Result<RecordId> InsertRow(const Event& event) {
    CITYDIP_ASSIGN_OR_RETURN(const EventIds ids, ResolveEvent(event));
    const std::string title_key = DuplicateTitleKey(event.title_en);
    auto inserted = RunWith(
        "INSERT INTO events (ref, date, first_day, last_day, precision, home_city_id, direction, "
        "type, framework, mode, level, organization_id, mechanism_id, status, title_en, "
        "title_ko, title_key, notes, verified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        event.ref, event.date.ToString(), event.date.FirstDay(), event.date.LastDay(),
        static_cast<int>(event.date.precision()), ids.home, OptionalCode(event.direction),
        ToCode(event.type), ToCode(event.framework), ToCode(event.mode), OptionalCode(event.level),
        ids.organization, ids.mechanism, ToCode(event.status), event.title_en, event.title_ko,
        title_key, event.notes, event.verified);
    if (!inserted) {
      return Fail(Existing(inserted.error(), Describe(event)));
    }
    const RecordId id = MainRowInserted();
    CITYDIP_RETURN_IF_ERROR(WriteEventLists(id, event, ids));
    NoteDuplicateKey(ids.home, event, title_key);
    return id;
  }

  Status UpdateRow(const Event& event) {
    CITYDIP_ASSIGN_OR_RETURN(const EventIds ids, ResolveEvent(event));
    const std::string title_key = DuplicateTitleKey(event.title_en);
    auto updated = RunWith(
        "UPDATE events SET ref = ?, date = ?, first_day = ?, last_day = ?, precision = ?, "
        "home_city_id = ?, direction = ?, type = ?, framework = ?, mode = ?, level = ?, "
        "organization_id = ?, mechanism_id = ?, status = ?, title_en = ?, title_ko = ?, "
        "title_key = ?, notes = ?, verified = ?, version = version + 1 "
        "WHERE id = ? AND version = ?",
        event.ref, event.date.ToString(), event.date.FirstDay(), event.date.LastDay(),
        static_cast<int>(event.date.precision()), ids.home, OptionalCode(event.direction),
        ToCode(event.type), ToCode(event.framework), ToCode(event.mode), OptionalCode(event.level),
        ids.organization, ids.mechanism, ToCode(event.status), event.title_en, event.title_ko,
        title_key, event.notes, event.verified, event.id, event.version);
    if (!updated) {
      return Fail(Existing(updated.error(), Describe(event)));
    }
    CITYDIP_RETURN_IF_ERROR(CheckUpdated(RecordKind::kEvent, event.id, event.version));
    NoteDuplicateKey(ids.home, event, title_key);
    for (const ListTable* list :
         {&kEventPartners, &kEventTopics, &kEventOfficials, &kEventStakeholders, &kEventSources}) {
      CITYDIP_RETURN_IF_ERROR(ClearList(*list, event.id));
    }
    return WriteEventLists(event.id, event, ids);
  }

  Result<std::vector<Event>> LoadEvents(const Selection& selection) {
    Batch<Event> batch;
    // CROSS JOIN keeps events the outer loop: left to itself the planner may walk the (few)
    // cities and reach events through events_home, a random lookup per event on a full scan.
    const std::string sql =
        "SELECT x.id, x.ref, x.date, h.name_en, h.country, x.direction, x.type, x.framework, "
        "x.mode, x.level, o.name, m.name_en, x.status, x.title_en, x.title_ko, x.notes, "
        "x.verified, x.version FROM events x CROSS JOIN cities h ON h.id = x.home_city_id "
        "LEFT JOIN organizations o ON o.id = x.organization_id "
        "LEFT JOIN mechanisms m ON m.id = x.mechanism_id " +
        selection.where + " " +
        (selection.order.empty() ? std::string(kEventOrder) : selection.order) + " " +
        selection.limit;
    CITYDIP_RETURN_IF_ERROR(ForEachRow(sql, selection.params, [&](const Statement& row) -> Status {
      Event event;
      event.id = row.Int(0);
      event.ref = row.Text(1);
      CITYDIP_ASSIGN_OR_RETURN(event.date, ReadDate(row.Text(2)));
      event.home_city = ReadCityRef(row, 3);
      CITYDIP_ASSIGN_OR_RETURN(event.direction, ReadOptionalEnum<Direction>(row, 5));
      CITYDIP_ASSIGN_OR_RETURN(event.type, ReadEnum<EventType>(row.Text(6)));
      CITYDIP_ASSIGN_OR_RETURN(event.framework, ReadEnum<Framework>(row.Text(7)));
      CITYDIP_ASSIGN_OR_RETURN(event.mode, ReadEnum<Mode>(row.Text(8)));
      CITYDIP_ASSIGN_OR_RETURN(event.level, ReadOptionalEnum<Level>(row, 9));
      event.organization = row.Text(10);
      event.mechanism = row.Text(11);
      CITYDIP_ASSIGN_OR_RETURN(event.status, ReadEnum<EventStatus>(row.Text(12)));
      event.title_en = row.Text(13);
      event.title_ko = row.Text(14);
      event.notes = row.Text(15);
      event.verified = row.Int(16) != 0;
      event.version = row.Int(17);
      batch.Add(std::move(event));
      return Ok();
    }));
    if (batch.records.empty()) {
      return std::move(batch.records);
    }
    const OwnerFilter owners = OwnersOf(selection, batch);
    CITYDIP_RETURN_IF_ERROR(LoadCityList(
        owners, kEventPartners, [&](RecordId owner, std::int64_t position, CityRef city) {
          if (Event* event = batch.Find(owner)) {
            PlaceAt(event->partner_cities, position, std::move(city));
          }
        }));
    CITYDIP_RETURN_IF_ERROR(ForEachRow(
        "SELECT c.event_id, c.position, c.topic FROM " + owners.From("event_topics", "event_id"),
        owners.params, [&](const Statement& row) -> Status {
          if (Event* event = batch.Find(row.Int(0))) {
            CITYDIP_ASSIGN_OR_RETURN(const Topic topic, ReadEnum<Topic>(row.Text(2)));
            PlaceAt(event->topics, row.Int(1), topic);
          }
          return Ok();
        }));
    CITYDIP_RETURN_IF_ERROR(ForEachRow("SELECT c.event_id, c.position, o.name_en FROM " +
                                           owners.From("event_officials", "event_id") +
                                           " JOIN officials o ON o.id = c.official_id",
                                       owners.params, [&](const Statement& row) -> Status {
                                         if (Event* event = batch.Find(row.Int(0))) {
                                           PlaceAt(event->officials, row.Int(1),
                                                   std::string(row.Text(2)));
                                         }
                                         return Ok();
                                       }));
    CITYDIP_RETURN_IF_ERROR(ForEachRow(
        "SELECT c.event_id, c.position, c.name, c.kind FROM " +
            owners.From("event_stakeholders", "event_id"),
        owners.params, [&](const Statement& row) -> Status {
          if (Event* event = batch.Find(row.Int(0))) {
            Stakeholder stakeholder;
            stakeholder.name = row.Text(2);
            CITYDIP_ASSIGN_OR_RETURN(stakeholder.kind, ReadEnum<StakeholderKind>(row.Text(3)));
            PlaceAt(event->stakeholders, row.Int(1), std::move(stakeholder));
          }
          return Ok();
        }));
    CITYDIP_RETURN_IF_ERROR(LoadTextList(batch, owners, kEventSources, &Event::sources));
    return std::move(batch.records);
  }

  static constexpr std::string_view kEventOrder = "ORDER BY x.first_day, x.precision, x.id";

  // The WHERE clause (and, when `paged`, the LIMIT clause) for an event filter. References in
  // the filter must resolve: an unknown city or organization is kInvalidArgument.
  Result<Selection> EventSelection(const EventFilter& filter, bool paged) {
    Selection selection;
    std::vector<std::string> conditions;
    auto add = [&](std::string condition, auto... values) {
      conditions.push_back(std::move(condition));
      (selection.params.emplace_back(values), ...);
    };
    if (filter.home) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id, ResolveCity(*filter.home, "home"));
      add("x.home_city_id = ?", id);
    }
    if (filter.partner) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id, ResolveCity(*filter.partner, "partner"));
      add("x.id IN (SELECT event_id FROM event_partners WHERE city_id = ?)", id);
    }
    // Inside the range: first_day >= from and last_day <= to. Overlapping it (imprecise dates
    // included): last_day >= from and first_day <= to. The redundant bounds on first_day let the
    // date indexes bound their scan (no date spans more than a year).
    const DayBounds bounds = FilterDayBounds(filter);
    if (bounds.first) {
      const std::int64_t from = *bounds.first;
      if (filter.include_imprecise) {
        add("x.last_day >= ? AND x.first_day >= ?", from, from - 366);
      } else {
        add("x.first_day >= ?", from);
      }
    }
    if (bounds.last) {
      const std::int64_t to = *bounds.last;
      if (filter.include_imprecise) {
        add("x.first_day <= ?", to);
      } else {
        add("x.last_day <= ? AND x.first_day <= ?", to, to);
      }
    }
    if (filter.type) {
      add("x.type = ?", std::string(ToCode(*filter.type)));
    }
    if (filter.framework) {
      add("x.framework = ?", std::string(ToCode(*filter.framework)));
    }
    if (filter.mode) {
      add("x.mode = ?", std::string(ToCode(*filter.mode)));
    }
    if (filter.level) {
      add("x.level = ?", std::string(ToCode(*filter.level)));
    }
    if (filter.topic) {
      add("x.id IN (SELECT event_id FROM event_topics WHERE topic = ?)",
          std::string(ToCode(*filter.topic)));
    }
    if (!filter.organization.empty()) {
      CITYDIP_ASSIGN_OR_RETURN(const RecordId id,
                               ResolveOrganization(filter.organization, "organization"));
      add("x.organization_id = ?", id);
    }
    if (!Trim(filter.text).empty()) {
      // Text is matched by a scan; "+" keeps the planner from walking events_date in order (a
      // table lookup per event) just to avoid sorting the few matches.
      selection.order = "ORDER BY +x.first_day, x.precision, x.id";
      const std::string pattern = ContainsPattern(Trim(filter.text));
      add("(x.title_en LIKE ? ESCAPE '\\' OR x.title_ko LIKE ? ESCAPE '\\' OR "
          "x.notes LIKE ? ESCAPE '\\')",
          pattern, pattern, pattern);
    }
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      selection.where += (i == 0 ? "WHERE " : " AND ") + conditions[i];
    }
    if (paged && (filter.limit >= 0 || filter.offset > 0)) {
      selection.limit = "LIMIT ? OFFSET ?";
      selection.params.emplace_back(std::int64_t{filter.limit});
      selection.params.emplace_back(std::int64_t{filter.offset});
    }
    return selection;
  }

  Result<std::optional<RecordId>> DuplicateOf(const Event& event) {
    if (event.date.empty()) {
      return std::optional<RecordId>();
    }
    CITYDIP_ASSIGN_OR_RETURN(const std::optional<RecordId> home,
                             LookupCity(event.home_city, "home_city"));
    if (!home) {
      return std::optional<RecordId>();
    }
    CITYDIP_ASSIGN_OR_RETURN(const bool maybe, MayHaveDuplicate(*home, event));
    if (!maybe) {
      return std::optional<RecordId>();
    }
    std::vector<RecordId> partners;
    for (const CityRef& ref : event.partner_cities) {
      CITYDIP_ASSIGN_OR_RETURN(const std::optional<RecordId> id, LookupCity(ref, "partner_cities"));
      if (!id) {
        return std::optional<RecordId>();
      }
      partners.push_back(*id);
    }
    std::sort(partners.begin(), partners.end());
    std::vector<RecordId> candidates;
    CITYDIP_RETURN_IF_ERROR(
        ForEachRow("SELECT x.id FROM events x WHERE x.home_city_id = ? AND x.first_day = ? AND "
                   "x.precision = ? AND x.type = ? AND x.title_key = ? AND x.id <> ? ORDER BY x.id",
                   {SqlValue(*home), SqlValue(std::int64_t{event.date.FirstDay()}),
                    SqlValue(static_cast<std::int64_t>(event.date.precision())),
                    SqlValue(std::string(ToCode(event.type))),
                    SqlValue(DuplicateTitleKey(event.title_en)), SqlValue(event.id)},
                   [&](const Statement& row) -> Status {
                     candidates.push_back(row.Int(0));
                     return Ok();
                   }));
    for (const RecordId candidate : candidates) {
      std::vector<RecordId> stored;
      CITYDIP_RETURN_IF_ERROR(ForEachRow("SELECT city_id FROM event_partners WHERE event_id = ?",
                                         {SqlValue(candidate)},
                                         [&](const Statement& row) -> Status {
                                           stored.push_back(row.Int(0));
                                           return Ok();
                                         }));
      std::sort(stored.begin(), stored.end());
      if (stored == partners) {
        return std::optional<RecordId>(candidate);
      }
    }
    return std::optional<RecordId>();
  }

  // Bulk imports ask for the duplicate of every row. After kDuplicateKeysAfter such questions in
  // one transaction, the duplicate keys (home city, first day, precision, type, title key) of all
  // stored events are read once into a set, and a row whose key is not in it skips the query.
  // Valid for the transaction only (BEGIN IMMEDIATE: no other writer meanwhile); keys of rows
  // inserted or updated since are added; a stale key (a row deleted or changed since) only costs
  // the exact query. Single writes (the API) never load the set.
  static constexpr int kDuplicateKeysAfter = 256;

  static std::string DuplicateKey(RecordId home,
                                  std::int64_t first_day,
                                  std::int64_t precision,
                                  std::string_view type,
                                  std::string_view title_key) {
    std::string key = std::to_string(home) + '|' + std::to_string(first_day) + '|' +
                      std::to_string(precision) + '|';
    key.append(type);
    key += '|';
    key.append(title_key);
    return key;
  }

  static std::string DuplicateKey(RecordId home, const Event& event) {
    return DuplicateKey(home, event.date.FirstDay(), static_cast<int>(event.date.precision()),
                        ToCode(event.type), DuplicateTitleKey(event.title_en));
  }

  void ResetDuplicateKeys() {
    duplicate_keys_.clear();
    duplicate_keys_loaded_ = false;
    duplicate_questions_ = 0;
  }

  void NoteDuplicateKey(RecordId home, const Event& event, std::string_view title_key) {
    if (duplicate_keys_loaded_ && !event.date.empty()) {
      duplicate_keys_.insert(DuplicateKey(home, event.date.FirstDay(),
                                          static_cast<int>(event.date.precision()),
                                          ToCode(event.type), title_key));
    }
  }

  // False when `event` certainly has no stored duplicate; true when the exact query must tell.
  Result<bool> MayHaveDuplicate(RecordId home, const Event& event) {
    if (!in_transaction_) {
      return true;
    }
    if (!duplicate_keys_loaded_ && ++duplicate_questions_ > kDuplicateKeysAfter) {
      CITYDIP_RETURN_IF_ERROR(
          ForEachRow("SELECT home_city_id, first_day, precision, type, title_key FROM events", {},
                     [&](const Statement& row) -> Status {
                       duplicate_keys_.insert(DuplicateKey(row.Int(0), row.Int(1), row.Int(2),
                                                           row.Text(3), row.Text(4)));
                       return Ok();
                     }));
      duplicate_keys_loaded_ = true;
    }
    return !duplicate_keys_loaded_ || duplicate_keys_.contains(DuplicateKey(home, event));
  }

  // ---- Generic ----------------------------------------------------------------------------------

  template <typename T>
  static std::vector<Record> ToRecords(std::vector<T> values) {
    std::vector<Record> out;
    out.reserve(values.size());
    for (T& value : values) {
      out.emplace_back(std::move(value));
    }
    return out;
  }

  Result<std::vector<Record>> LoadKind(RecordKind kind, const Selection& selection) {
    switch (kind) {
      case RecordKind::kCity:
        return LoadCities(selection).map(ToRecords<City>);
      case RecordKind::kPartnerRelation:
        return LoadRelations(selection).map(ToRecords<PartnerRelation>);
      case RecordKind::kOrganization:
        return LoadOrganizations(selection).map(ToRecords<Organization>);
      case RecordKind::kMembership:
        return LoadMemberships(selection).map(ToRecords<Membership>);
      case RecordKind::kOfficial:
        return LoadOfficials(selection).map(ToRecords<Official>);
      case RecordKind::kMechanism:
        return LoadMechanisms(selection).map(ToRecords<Mechanism>);
      case RecordKind::kEvent:
        return LoadEvents(selection).map(ToRecords<Event>);
    }
    return Fail(ErrorCode::kInternal, "unknown record kind");
  }

  Status DeleteRow(RecordKind kind, RecordId id) {
    std::string label;
    {
      CITYDIP_ASSIGN_OR_RETURN(Statement stmt, conn_->Prepare(LabelSql(kind)));
      stmt.Bind(id);
      CITYDIP_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) {
        return Fail(RecordNotFoundError(kind, id));
      }
      label = stmt.Text(0);
    }
    std::string uses;
    for (const ReferenceCheck& check : ReferenceChecks(kind)) {
      CITYDIP_ASSIGN_OR_RETURN(Statement stmt, conn_->Prepare(check.sql));
      stmt.Bind(id);
      CITYDIP_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (row && stmt.Int(0) > 0) {
        uses += (uses.empty() ? "" : ", ") + std::to_string(stmt.Int(0)) + " " +
                std::string(check.noun);
      }
    }
    if (!uses.empty()) {
      return Fail(ErrorCode::kFailedPrecondition, std::string(RecordKindNoun(kind)) + " " + label +
                                                      " is still referenced by " + uses +
                                                      " (delete or change those first)");
    }
    auto deleted = RunWith("DELETE FROM " + std::string(TableOf(kind)) + " WHERE id = ?", id);
    if (!deleted) {
      Error error = deleted.error();
      if (error.code == ErrorCode::kFailedPrecondition) {
        error.message = std::string(RecordKindNoun(kind)) + " " + label +
                        " is still referenced by other records (" + error.message + ")";
      }
      return Fail(std::move(error));
    }
    return Ok();
  }

  std::unique_ptr<Connection> conn_;
  bool schema_ready_ = false;
  bool write_locked_ = false;  // inside BEGIN IMMEDIATE (InTransaction or one write)
  bool reading_ = false;       // inside a read snapshot
  bool poisoned_ = false;      // a write inside InTransaction failed and could not be undone
  RecordId main_row_id_ = 0;   // the main row of the insert in progress, once written
  std::unordered_map<std::string, RecordId> ref_cache_;
  bool in_transaction_ = false;                // inside InTransaction
  std::vector<std::string> deferred_indexes_;  // CREATE INDEX statements (PrepareBulkInsert)
  // See MayHaveDuplicate.
  std::unordered_set<std::string> duplicate_keys_;
  bool duplicate_keys_loaded_ = false;
  int duplicate_questions_ = 0;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create_if_missing) {
  CITYDIP_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                           Connection::Open(path, create_if_missing));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(connection)));
}

}  // namespace citydip::storage::sqlite
