// Create, read, update and delete single registry records (the HTTP API's use cases), with the
// importer's validation and an audit entry for every write.
//
// A record travels as one JSON object of the import format (docs/data-model.md: the canonical
// columns as keys, lists as arrays) plus "record_id" and "version". Its fields are checked by
// the importer's parser (ingest::ParseRecords) and the shared rules (citydip::ValidateRecord), so
// a form shows the same messages as `citydip import`, each attached to its column.
//
// Audit consistency: the audit log lives in the AuthStore, which may be another connection or
// another database than the registry Store, so a record write and its audit entry cannot share a
// transaction. Writes are therefore logged ahead: (1) an audit entry "pending" with the
// before-state is committed; only then (2) the record write runs in a Store transaction that
// re-reads the record and refuses when it changed since the before-state was taken; then (3) the
// entry is finished as "committed" with the after-state, or "failed" with the error. No write
// happens without an entry; an entry left "pending" by a crash between (2) and (3) is settled by
// ReconcilePendingAudit at the next server start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "citydip/app/auth_service.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/core/validation.h"
#include "citydip/storage/auth_store.h"
#include "citydip/storage/store.h"

namespace citydip::app {

/// A failed write: the error, and for invalid input every problem attached to its field
/// (canonical column names, as in import messages).
struct WriteError {
  Error error;
  std::vector<FieldError> fields;
};

template <typename T>
using WriteResult = tl::expected<T, WriteError>;

/// A stored record with its JSON form (import format + "record_id" + "version").
struct StoredRecord {
  Record record;
  nlohmann::json json;
};

/// The JSON object of one record: the import format's object plus "record_id" and "version".
[[nodiscard]] nlohmann::json RecordToJson(const Record& record);

/// Parses one JSON object of the import format into a record of `kind` ("record_id" and
/// "version" are ignored). Every problem is reported with its field, in the importer's words.
[[nodiscard]] WriteResult<Record> ParseRecordJson(RecordKind kind, const nlohmann::json& object);

/// The record of `kind` with `id` (kNotFound "no event with id 42").
[[nodiscard]] Result<StoredRecord> GetRecord(storage::Store& store, RecordKind kind, RecordId id);

/// Stores a new record (editors and admins). References must resolve to stored records; a
/// record whose natural key is taken is kAlreadyExists.
[[nodiscard]] WriteResult<StoredRecord> CreateRecord(storage::Store& store,
                                                     storage::AuthStore& audit,
                                                     const AuthService& auth,
                                                     const Actor& actor,
                                                     RecordKind kind,
                                                     const nlohmann::json& body);

/// Replaces the record `id` with `body` (editors and admins). `body` must carry the "version"
/// the client read; an older one is kConflict.
[[nodiscard]] WriteResult<StoredRecord> UpdateRecord(storage::Store& store,
                                                     storage::AuthStore& audit,
                                                     const AuthService& auth,
                                                     const Actor& actor,
                                                     RecordKind kind,
                                                     RecordId id,
                                                     const nlohmann::json& body);

/// Deletes the record `id` (editors and admins). When `version` is given it must be the stored
/// one. A city or organization others still name is kFailedPrecondition.
[[nodiscard]] WriteResult<void> DeleteRecord(storage::Store& store,
                                             storage::AuthStore& audit,
                                             const AuthService& auth,
                                             const Actor& actor,
                                             RecordKind kind,
                                             RecordId id,
                                             std::optional<std::int64_t> version);

/// Settles audit entries a crash left "pending": an update or delete is "committed" when the
/// store shows it happened and "failed" when not; a create (whose id was never learnt) becomes
/// "interrupted". Returns how many entries were settled. Run with no other writer on the registry
/// (at server start).
[[nodiscard]] Result<std::int64_t> ReconcilePendingAudit(storage::Store& store,
                                                         storage::AuthStore& audit);

/// The list filters as text: the query parameters of GET /api/KIND (the options of `citydip list`).
/// Empty fields do not filter.
struct FilterText {
  std::string home;               // a city name ("Beijing", "Beijing,CHN", a Korean name)
  std::string partner;            // likewise
  std::string from;               // a date: YYYY, YYYY-MM or YYYY-MM-DD
  std::string to;                 // likewise
  std::string type;               // an event type code
  std::string framework;          // a framework code
  std::string mode;               // a mode code
  std::string level;              // a level code
  std::string topic;              // a topic code
  std::string org;                // an organization name
  std::string text;               // case-insensitive full-text search of titles and notes
  std::string include_imprecise;  // "1"/"true" includes partly overlapping imprecise dates
  std::string limit;              // page size (1-10000; default 100)
  std::string offset;             // first item (default 0)
};

/// Checks and resolves list filters. kInvalidArgument names the parameter in `where` ("type")
/// and says what was expected; an unknown city is kNotFound.
[[nodiscard]] Result<EventFilter> BuildEventFilter(storage::Store& store, const FilterText& text);

/// One page of a listing: the records' JSON objects, how many match in all, and (events) how many
/// imprecise dates the range left out.
struct RecordPage {
  nlohmann::json items = nlohmann::json::array();
  std::int64_t total = 0;
  std::int64_t imprecise_excluded = 0;
};

/// Lists records of `kind` like `citydip list` (ListRecords), and for every kind applies
/// `filter.text` as a case-insensitive search of the record's text fields (events: titles and
/// notes, as the store does).
[[nodiscard]] Result<RecordPage> SearchRecords(storage::Store& store,
                                               RecordKind kind,
                                               const EventFilter& filter);

/// The fields of every record kind, for forms and the OpenAPI document:
/// {"events": {"fields": [{"name", "required", "list", "boolean"?, "vocabulary"?, "default"?}]}}.
[[nodiscard]] nlohmann::json RecordSchemaJson();

/// Every vocabulary with its codes and labels:
/// {"event_type": [{"code", "en", "ko"}], ...} (the names are EnumName with '_' for ' ').
[[nodiscard]] nlohmann::json VocabulariesJson();

/// The JSON error body of the API: {"error": {"code", "message", "where", "fields"?}}.
[[nodiscard]] nlohmann::json ToJson(const WriteError& error);
/// The JSON error body for a plain error.
[[nodiscard]] nlohmann::json ErrorToJson(const Error& error);

}  // namespace citydip::app
