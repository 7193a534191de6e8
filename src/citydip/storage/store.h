// The registry store interface ("port"): what citydip needs from a database. Backends:
// storage/sqlite (embedded default) and storage/postgres. Only app/store_factory.cpp names them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::storage {

/// The schema version this build writes. `Migrate()` upgrades older databases to it and refuses
/// newer ones.
inline constexpr int kSchemaVersion = 1;

/// Number of records of each kind.
struct Counts {
  std::int64_t cities = 0;
  std::int64_t organizations = 0;
  std::int64_t partner_relations = 0;
  std::int64_t memberships = 0;
  std::int64_t officials = 0;
  std::int64_t mechanisms = 0;
  std::int64_t events = 0;
};

/// A registry database. Not thread-safe: one Store per thread (open several on one database for
/// concurrency; the backend serializes writers).
///
/// Errors: kUnavailable when the database cannot be opened, read or written; kFailedPrecondition
/// when its schema is newer than this build; kInvalidArgument for a reference that does not
/// resolve (unknown city, organization, mechanism) or is ambiguous; kAlreadyExists for a record
/// whose natural key is taken; kNotFound for an unknown id; kConflict when an update's version
/// is not the stored one.
class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  /// The schema version of the open database; 0 for an empty database.
  [[nodiscard]] virtual Result<int> SchemaVersion() = 0;
  /// Creates the schema or upgrades it to kSchemaVersion, in one transaction.
  [[nodiscard]] virtual Status Migrate() = 0;

  /// Runs `work` in one transaction: commits when it succeeds, rolls back when it fails (or
  /// throws), so the database is unchanged. Not reentrant.
  [[nodiscard]] virtual Status InTransaction(const std::function<Status()>& work) = 0;
  /// Tells the store, inside InTransaction, that about `rows` records of `kind` are about to be
  /// inserted, so it may choose a faster way to load them (the SQLite store then maintains the
  /// secondary indexes of events once, at the end). Changes nothing visible; the default does
  /// nothing.
  [[nodiscard]] virtual Status PrepareBulkInsert(RecordKind kind, std::size_t rows) {
    (void)kind;
    (void)rows;
    return Ok();
  }

  /// Stores a new record and returns its id. References (CityRef, organization and mechanism
  /// names, official names) must resolve to stored records.
  [[nodiscard]] virtual Result<RecordId> Insert(const Record& record) = 0;
  /// Replaces the stored record with the same kind and id, when its `version` matches the stored
  /// one; the stored version is then incremented.
  [[nodiscard]] virtual Status Update(const Record& record) = 0;
  /// Deletes a record. A city or organization still referenced by others is kFailedPrecondition.
  [[nodiscard]] virtual Status Delete(RecordKind kind, RecordId id) = 0;
  /// The record of `kind` with `id`.
  [[nodiscard]] virtual Result<Record> Get(RecordKind kind, RecordId id) = 0;

  /// The city `ref` names, or nullopt. An empty country matches any country: when several
  /// cities have the name, fails with kInvalidArgument listing their countries. Names match the
  /// English name exactly, or else case-insensitively.
  [[nodiscard]] virtual Result<std::optional<City>> FindCity(const CityRef& ref) = 0;
  /// The organization with this name or acronym, or nullopt.
  [[nodiscard]] virtual Result<std::optional<Organization>> FindOrganization(
      const std::string& name) = 0;
  /// The mechanism with this English or Korean name, or nullopt.
  [[nodiscard]] virtual Result<std::optional<Mechanism>> FindMechanism(const std::string& name) = 0;
  /// The id of a stored event with the same date, home city, partner cities, type and English
  /// title (the duplicate key), or nullopt.
  [[nodiscard]] virtual Result<std::optional<RecordId>> FindDuplicateEvent(const Event& event) = 0;

  /// Events matching `filter`, ordered by date then id, with `limit`/`offset` paging.
  [[nodiscard]] virtual Result<std::vector<Event>> ListEvents(const EventFilter& filter) = 0;
  /// Number of events matching `filter`, ignoring limit and offset.
  [[nodiscard]] virtual Result<std::int64_t> CountEvents(const EventFilter& filter) = 0;
  /// All records of `kind`, in a stable order (cities by country and name, events by date).
  [[nodiscard]] virtual Result<std::vector<Record>> List(RecordKind kind) = 0;
  /// Everything, for analyses and exports.
  [[nodiscard]] virtual Result<Registry> LoadRegistry() = 0;
  /// Number of records of each kind.
  [[nodiscard]] virtual Result<Counts> CountAll() = 0;
};

}  // namespace citydip::storage
