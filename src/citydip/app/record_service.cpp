#include "citydip/app/record_service.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "citydip/app/registry_service.h"
#include "citydip/core/text.h"
#include "citydip/ingest/registry_io.h"
#include "citydip/storage/store_support.h"

namespace citydip::app {
namespace {

constexpr std::string_view kBodyName = "request body";
constexpr const char* kClaimColumns[] = {"visit_partner", "visit_claim", "visit_source_url"};

// JSON text for the audit log; invalid UTF-8 is replaced rather than thrown about.
std::string Text(const nlohmann::json& json) {
  return json.is_null() ? "" : json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

WriteError Failure(Error error, std::vector<FieldError> fields = {}) {
  return WriteError{std::move(error), std::move(fields)};
}

tl::unexpected<WriteError> FailWrite(Error error, std::vector<FieldError> fields = {}) {
  return tl::unexpected<WriteError>(Failure(std::move(error), std::move(fields)));
}

// One invalid-input error from field problems: the first problem is the message, every problem
// is listed in `fields`.
tl::unexpected<WriteError> Invalid(std::vector<FieldError> fields) {
  Error error{ErrorCode::kInvalidArgument, fields.front().message, fields.front().field};
  if (fields.size() > 1) {
    error.message += " (and " + std::to_string(fields.size() - 1) + " more)";
  }
  return FailWrite(std::move(error), std::move(fields));
}

void AddUnique(std::vector<FieldError>& fields, FieldError problem) {
  if (std::find(fields.begin(), fields.end(), problem) == fields.end()) {
    fields.push_back(std::move(problem));
  }
}

// A city reference inside a record, with the column it comes from (for messages).
struct CityUse {
  CityRef* ref;
  std::string_view column;
};

std::vector<CityUse> CityUses(Record& record) {
  std::vector<CityUse> uses;
  std::visit(
      [&](auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, PartnerRelation>) {
          uses.push_back({&value.city_a, "city_a"});
          uses.push_back({&value.city_b, "city_b"});
        } else if constexpr (std::is_same_v<T, Organization>) {
          if (value.secretariat_city) {
            uses.push_back({&*value.secretariat_city, "secretariat_city"});
          }
        } else if constexpr (std::is_same_v<T, Membership>) {
          uses.push_back({&value.city, "city"});
        } else if constexpr (std::is_same_v<T, Official>) {
          uses.push_back({&value.city, "city"});
          for (auto& claim : value.visit_claims) {
            uses.push_back({&claim.partner, "visit_partner"});
          }
        } else if constexpr (std::is_same_v<T, Mechanism>) {
          for (auto& city : value.cities) {
            uses.push_back({&city, "cities"});
          }
        } else if constexpr (std::is_same_v<T, Event>) {
          uses.push_back({&value.home_city, "home_city"});
          for (auto& city : value.partner_cities) {
            uses.push_back({&city, "partner_city"});
          }
        }
      },
      record);
  return uses;
}

// Completes name-only city references and reports unknown or ambiguous ones at their column, in
// the importer's words.
Result<std::vector<FieldError>> ResolveCities(storage::Store& store, Record& record) {
  std::vector<FieldError> problems;
  for (const auto& use : CityUses(record)) {
    if (use.ref->name.empty()) {
      continue;  // ValidateRecord reports missing names
    }
    auto found = store.FindCity(*use.ref);
    if (!found) {
      if (found.error().code != ErrorCode::kInvalidArgument) {
        return Fail(found.error());
      }
      AddUnique(problems, {std::string(use.column), found.error().message});
      continue;
    }
    if (!*found) {
      AddUnique(problems,
                {std::string(use.column), "unknown city " + storage::DescribeCityRef(*use.ref) +
                                              " (expected a city in the registry; add it first)"});
      continue;
    }
    use.ref->name = (*found)->name_en;
    use.ref->country = (*found)->country;
  }
  return problems;
}

// The column a store error points at: the store names model fields ("partner_cities"), forms
// know columns ("partner_city").
std::string ColumnOf(RecordKind kind, const std::string& where) {
  if (where.empty()) {
    return "";
  }
  const auto& columns = ingest::ColumnsOf(kind);
  if (std::find(columns.begin(), columns.end(), where) != columns.end()) {
    return where;
  }
  static const std::pair<std::string_view, std::string_view> kAliases[] = {
      {"partner_cities", "partner_city"},
      {"sources", "source_url"},
      {"type", "event_type"},
      {"ref", "id"},
      {"term", "term_start"},
      {"name", "name_en"},
      {"visit_claims", "visit_partner"},
  };
  for (const auto& [field, column] : kAliases) {
    if (where == field && std::find(columns.begin(), columns.end(), column) != columns.end()) {
      return std::string(column);
    }
  }
  return where;
}

// A store error on a write: bad references become field problems, the rest stays as it is.
WriteError StoreFailure(RecordKind kind, Error error) {
  if (error.code == ErrorCode::kInvalidArgument) {
    std::vector<FieldError> fields{{ColumnOf(kind, error.where), error.message}};
    error.where = fields.front().field;
    return Failure(std::move(error), std::move(fields));
  }
  return Failure(std::move(error));
}

Record WithIdentity(Record record, RecordId id, std::int64_t version) {
  std::visit(
      [&](auto& value) {
        value.id = id;
        value.version = version;
      },
      record);
  return record;
}

std::int64_t VersionOf(const Record& record) {
  return std::visit([](const auto& value) { return value.version; }, record);
}

// Parses and checks a body and resolves its references: the record as the store will take it.
WriteResult<Record> PrepareRecord(storage::Store& store,
                                  RecordKind kind,
                                  const nlohmann::json& body) {
  auto record = ParseRecordJson(kind, body);
  if (!record) {
    return record;
  }
  auto problems = ResolveCities(store, *record);
  if (!problems) {
    return FailWrite(problems.error());
  }
  if (!problems->empty()) {
    return Invalid(std::move(*problems));
  }
  return record;
}

Result<std::int64_t> BodyVersion(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("version")) {
    return Fail(ErrorCode::kInvalidArgument,
                "the update has no \"version\" (expected the version you read, for example "
                "from GET)",
                "version");
  }
  const auto& version = body["version"];
  if (!version.is_number_integer() || version.get<std::int64_t>() < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "version " + Text(version) + " is not valid (expected a whole number, 0 or more)",
                "version");
  }
  return version.get<std::int64_t>();
}

// Step (1) of a logged-ahead write: the pending audit entry, committed before the write.
Result<std::int64_t> BeginAudit(storage::AuthStore& audit,
                                const AuthService& auth,
                                const Actor& actor,
                                std::string_view action,
                                RecordKind kind,
                                RecordId id,
                                const nlohmann::json& before) {
  storage::AuditEntry entry;
  entry.at = auth.Now();
  entry.actor = actor.name;
  entry.action = std::string(action);
  entry.kind = std::string(RecordKindName(kind));
  entry.record_id = id;
  entry.before = Text(before);
  entry.outcome = "pending";
  return audit.AppendAudit(entry);
}

// Step (3): the outcome. When even this fails the entry stays "pending" and is settled by
// ReconcilePendingAudit; the write itself has happened (or not) either way, so it is reported.
void FinishAudit(storage::AuthStore& audit,
                 std::int64_t entry,
                 bool committed,
                 RecordId id,
                 const nlohmann::json& after,
                 const std::string& detail) {
  (void)audit.FinishAudit(entry, committed ? "committed" : "failed", id, Text(after), detail);
}

}  // namespace

nlohmann::json RecordToJson(const Record& record) {
  const nlohmann::json rows = RecordsToJson(KindOf(record), {record});
  nlohmann::json json = rows.empty() ? nlohmann::json::object() : rows[0];
  // Files hold an official with several visit claims as one row per claim; one JSON object
  // holds them as "visit_claims" instead of the three claim columns.
  if (rows.size() > 1) {
    nlohmann::json claims = nlohmann::json::array();
    for (const auto& row : rows) {
      nlohmann::json claim = nlohmann::json::object();
      for (const char* key : kClaimColumns) {
        if (row.contains(key)) {
          claim[key] = row[key];
        }
      }
      claims.push_back(std::move(claim));
    }
    for (const char* key : kClaimColumns) {
      json.erase(key);
    }
    json["visit_claims"] = std::move(claims);
  }
  json["record_id"] = IdOf(record);
  json["version"] = VersionOf(record);
  return json;
}

WriteResult<Record> ParseRecordJson(RecordKind kind, const nlohmann::json& object) {
  if (!object.is_object()) {
    return FailWrite({ErrorCode::kInvalidArgument,
                      "the request body is " + std::string(object.type_name()) +
                          " (expected a JSON object with the fields of one " +
                          std::string(storage::RecordKindNoun(kind)) + ")",
                      "body"});
  }
  nlohmann::json fields = object;
  fields.erase("record_id");
  fields.erase("version");
  // Several visit claims ("visit_claims") become one row per claim, as in files.
  nlohmann::json rows = nlohmann::json::array();
  if (kind == RecordKind::kOfficial && fields.contains("visit_claims")) {
    const nlohmann::json claims = fields["visit_claims"];
    fields.erase("visit_claims");
    if (!claims.is_array() ||
        !std::all_of(claims.begin(), claims.end(), [](const auto& c) { return c.is_object(); })) {
      return Invalid(
          {{"visit_claims", "visit_claims is " + std::string(claims.type_name()) +
                                " (expected an array of objects with visit_partner, visit_claim, "
                                "visit_source_url)"}});
    }
    for (const auto& claim : claims) {
      nlohmann::json row = fields;
      for (const auto& [key, value] : claim.items()) {
        row[key] = value;
      }
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) {
    rows.push_back(fields);
  }
  ingest::ParseOptions options;
  options.kind = kind;
  options.format = ingest::FileFormat::kJson;
  options.max_errors = 0;
  const std::string text = rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto parsed = ingest::ParseRecords(kBodyName, text, options);
  if (!parsed) {
    return FailWrite(parsed.error());
  }
  std::vector<FieldError> problems;
  for (const auto& diagnostic : parsed->diagnostics) {
    std::string field = diagnostic.column_name;
    if (field.empty()) {
      // Row-level messages such as a missing key name the column in quotes: point at it, so a
      // form shows the message beside the field.
      for (const auto& column : ingest::ColumnsOf(kind)) {
        if (diagnostic.message.find("'" + column + "'") != std::string::npos) {
          field = column;
          break;
        }
      }
    }
    AddUnique(problems, {field, diagnostic.message});
  }
  if (problems.empty() && parsed->rows.size() != 1) {
    return FailWrite({ErrorCode::kInvalidArgument,
                      "the request body holds " + std::to_string(parsed->rows.size()) +
                          " records (expected one)",
                      "body"});
  }
  if (problems.empty()) {
    for (auto& problem : ValidateRecord(parsed->rows.front().record)) {
      AddUnique(problems, std::move(problem));
    }
  }
  if (!problems.empty()) {
    return Invalid(std::move(problems));
  }
  return std::move(parsed->rows.front().record);
}

Result<StoredRecord> GetRecord(storage::Store& store, RecordKind kind, RecordId id) {
  auto record = store.Get(kind, id);
  if (!record) {
    return Fail(record.error());
  }
  nlohmann::json json = RecordToJson(*record);
  return StoredRecord{std::move(*record), std::move(json)};
}

WriteResult<StoredRecord> CreateRecord(storage::Store& store,
                                       storage::AuthStore& audit,
                                       const AuthService& auth,
                                       const Actor& actor,
                                       RecordKind kind,
                                       const nlohmann::json& body) {
  if (auto allowed = RequireRole(actor, Role::kEditor, "write records"); !allowed) {
    return FailWrite(allowed.error());
  }
  auto record = PrepareRecord(store, kind, body);
  if (!record) {
    return tl::unexpected<WriteError>(record.error());
  }
  if (const auto* event = std::get_if<Event>(&*record)) {
    auto duplicate = store.FindDuplicateEvent(*event);
    if (!duplicate) {
      return FailWrite(duplicate.error());
    }
    if (*duplicate) {
      return FailWrite({ErrorCode::kAlreadyExists,
                        "duplicate of event #" + std::to_string(**duplicate) +
                            " (same date, cities, type and title)",
                        "title_en"});
    }
  }
  auto entry = BeginAudit(audit, auth, actor, "create", kind, 0, nullptr);
  if (!entry) {
    return FailWrite(entry.error());
  }
  StoredRecord stored;
  auto status = store.InTransaction([&]() -> Status {
    auto id = store.Insert(*record);
    if (!id) {
      return Fail(id.error());
    }
    auto fresh = store.Get(kind, *id);
    if (!fresh) {
      return Fail(fresh.error());
    }
    stored.record = std::move(*fresh);
    return Ok();
  });
  if (!status) {
    FinishAudit(audit, *entry, false, 0, nullptr, status.error().message);
    return tl::unexpected<WriteError>(StoreFailure(kind, status.error()));
  }
  stored.json = RecordToJson(stored.record);
  FinishAudit(audit, *entry, true, IdOf(stored.record), stored.json, "");
  return stored;
}

WriteResult<StoredRecord> UpdateRecord(storage::Store& store,
                                       storage::AuthStore& audit,
                                       const AuthService& auth,
                                       const Actor& actor,
                                       RecordKind kind,
                                       RecordId id,
                                       const nlohmann::json& body) {
  if (auto allowed = RequireRole(actor, Role::kEditor, "write records"); !allowed) {
    return FailWrite(allowed.error());
  }
  auto version = BodyVersion(body);
  auto record = PrepareRecord(store, kind, body);
  if (!record || !version) {
    std::vector<FieldError> fields;
    if (!version) {
      fields.push_back({version.error().where, version.error().message});
    }
    if (!record) {
      if (record.error().fields.empty()) {
        return tl::unexpected<WriteError>(record.error());
      }
      fields.insert(fields.end(), record.error().fields.begin(), record.error().fields.end());
    }
    return Invalid(std::move(fields));
  }
  auto before = store.Get(kind, id);
  if (!before) {
    return FailWrite(before.error());
  }
  const std::int64_t before_version = VersionOf(*before);
  const nlohmann::json before_json = RecordToJson(*before);
  if (*version != before_version) {
    return FailWrite(storage::VersionConflictError(before_version, *version));
  }
  auto entry = BeginAudit(audit, auth, actor, "update", kind, id, before_json);
  if (!entry) {
    return FailWrite(entry.error());
  }
  StoredRecord stored;
  auto status = store.InTransaction([&]() -> Status {
    // The before-state in the audit entry must be the state this write replaces.
    auto current = store.Get(kind, id);
    if (!current) {
      return Fail(current.error());
    }
    if (VersionOf(*current) != before_version) {
      return Fail(storage::VersionConflictError(VersionOf(*current), *version));
    }
    if (auto updated = store.Update(WithIdentity(*record, id, *version)); !updated) {
      return updated;
    }
    auto fresh = store.Get(kind, id);
    if (!fresh) {
      return Fail(fresh.error());
    }
    stored.record = std::move(*fresh);
    return Ok();
  });
  if (!status) {
    FinishAudit(audit, *entry, false, id, nullptr, status.error().message);
    return tl::unexpected<WriteError>(StoreFailure(kind, status.error()));
  }
  stored.json = RecordToJson(stored.record);
  FinishAudit(audit, *entry, true, id, stored.json, "");
  return stored;
}

WriteResult<void> DeleteRecord(storage::Store& store,
                               storage::AuthStore& audit,
                               const AuthService& auth,
                               const Actor& actor,
                               RecordKind kind,
                               RecordId id,
                               std::optional<std::int64_t> version) {
  if (auto allowed = RequireRole(actor, Role::kEditor, "write records"); !allowed) {
    return FailWrite(allowed.error());
  }
  auto before = store.Get(kind, id);
  if (!before) {
    return FailWrite(before.error());
  }
  const std::int64_t before_version = VersionOf(*before);
  if (version && *version != before_version) {
    return FailWrite(storage::VersionConflictError(before_version, *version));
  }
  auto entry = BeginAudit(audit, auth, actor, "delete", kind, id, RecordToJson(*before));
  if (!entry) {
    return FailWrite(entry.error());
  }
  auto status = store.InTransaction([&]() -> Status {
    auto current = store.Get(kind, id);
    if (!current) {
      return Fail(current.error());
    }
    if (VersionOf(*current) != before_version) {
      return Fail(storage::VersionConflictError(VersionOf(*current), before_version));
    }
    return store.Delete(kind, id);
  });
  if (!status) {
    FinishAudit(audit, *entry, false, id, nullptr, status.error().message);
    return tl::unexpected<WriteError>(StoreFailure(kind, status.error()));
  }
  FinishAudit(audit, *entry, true, id, nullptr, "");
  return {};
}

Result<std::int64_t> ReconcilePendingAudit(storage::Store& store, storage::AuthStore& audit) {
  auto pending = audit.ListPendingAudit();
  if (!pending) {
    return Fail(pending.error());
  }
  std::int64_t settled = 0;
  for (const auto& entry : *pending) {
    const auto kind = ParseRecordKind(entry.kind);
    std::string outcome = "interrupted";
    std::string detail = "the server stopped during this write; its outcome is unknown";
    nlohmann::json after;
    if (kind && entry.record_id != 0 && (entry.action == "update" || entry.action == "delete")) {
      auto current = store.Get(*kind, entry.record_id);
      if (!current && current.error().code != ErrorCode::kNotFound) {
        return Fail(current.error());
      }
      const auto before = nlohmann::json::parse(entry.before, nullptr, false);
      const std::int64_t before_version =
          before.is_object() && before.contains("version") && before["version"].is_number_integer()
              ? before["version"].get<std::int64_t>()
              : -1;
      if (entry.action == "delete") {
        outcome = current ? "failed" : "committed";
      } else if (current) {
        outcome = VersionOf(*current) > before_version ? "committed" : "failed";
        if (outcome == "committed") {
          after = RecordToJson(*current);
        }
      } else {
        outcome = "failed";
      }
      detail = "settled after a restart: the server stopped before recording the outcome";
    }
    if (auto finished = audit.FinishAudit(entry.id, outcome, entry.record_id, Text(after), detail);
        !finished) {
      return Fail(finished.error());
    }
    ++settled;
  }
  return settled;
}

namespace {

template <typename E>
Status ParseFilterEnum(const std::string& text, const char* parameter, std::optional<E>& out) {
  if (text.empty()) {
    return Ok();
  }
  auto value = ParseEnum<E>(text);
  if (!value) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + text + "' is not a valid " + std::string(EnumName<E>()) + " (expected " +
                    AllowedCodes<E>() + ")",
                parameter);
  }
  out = value;
  return Ok();
}

Status ParseFilterDate(const std::string& text, const char* parameter, PartialDate& out) {
  if (text.empty()) {
    return Ok();
  }
  auto date = PartialDate::Parse(text);
  if (!date) {
    return Fail(ErrorCode::kInvalidArgument, date.error().message, parameter);
  }
  out = *date;
  return Ok();
}

Result<std::int64_t> ParseCount(const std::string& text,
                                const char* parameter,
                                std::int64_t fallback,
                                std::int64_t min,
                                std::int64_t max) {
  if (text.empty()) {
    return fallback;
  }
  std::int64_t value = 0;
  const bool digits = text.size() <= 12 && std::all_of(text.begin(), text.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    for (char c : text) {
      value = value * 10 + (c - '0');
    }
  }
  if (!digits || value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(parameter) + " '" + text + "' is not valid (expected a whole number " +
                    "from " + std::to_string(min) + " to " + std::to_string(max) + ")",
                parameter);
  }
  return value;
}

template <typename E>
nlohmann::json VocabularyJson() {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& entry : EnumEntries<E>()) {
    entries.push_back({{"code", entry.code}, {"en", entry.label_en}, {"ko", entry.label_ko}});
  }
  return entries;
}

template <typename E>
std::string VocabularyName() {
  std::string name(EnumName<E>());
  std::replace(name.begin(), name.end(), ' ', '_');
  return name;
}

Record DefaultRecord(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return City{};
    case RecordKind::kPartnerRelation:
      return PartnerRelation{};
    case RecordKind::kOrganization:
      return Organization{};
    case RecordKind::kMembership:
      return Membership{};
    case RecordKind::kOfficial:
      return Official{};
    case RecordKind::kMechanism:
      return Mechanism{};
    case RecordKind::kEvent:
      return Event{};
  }
  return Event{};
}

// The vocabulary a column takes its values from, or "" for free text.
std::string ColumnVocabulary(RecordKind kind, std::string_view column) {
  struct Entry {
    RecordKind kind;
    std::string_view column;
    std::string vocabulary;
  };
  static const std::vector<Entry> kEntries = {
      {RecordKind::kCity, "kind", VocabularyName<CityKind>()},
      {RecordKind::kPartnerRelation, "relation", VocabularyName<RelationKind>()},
      {RecordKind::kPartnerRelation, "status", VocabularyName<RelationStatus>()},
      {RecordKind::kOrganization, "kind", VocabularyName<OrgKind>()},
      {RecordKind::kMembership, "role", VocabularyName<MembershipRole>()},
      {RecordKind::kOfficial, "visit_claim", VocabularyName<Claim>()},
      {RecordKind::kEvent, "direction", VocabularyName<Direction>()},
      {RecordKind::kEvent, "event_type", VocabularyName<EventType>()},
      {RecordKind::kEvent, "framework", VocabularyName<Framework>()},
      {RecordKind::kEvent, "mode", VocabularyName<Mode>()},
      {RecordKind::kEvent, "level", VocabularyName<Level>()},
      {RecordKind::kEvent, "topics", VocabularyName<Topic>()},
      {RecordKind::kEvent, "status", VocabularyName<EventStatus>()},
  };
  for (const auto& entry : kEntries) {
    if (entry.kind == kind && entry.column == column) {
      return entry.vocabulary;
    }
  }
  return "";
}

}  // namespace

Result<EventFilter> BuildEventFilter(storage::Store& store, const FilterText& text) {
  EventFilter filter;
  if (!text.home.empty()) {
    auto city = ResolveCity(store, text.home);
    if (!city) {
      Error error = city.error();
      error.where = "home";
      return Fail(std::move(error));
    }
    filter.home = city->Ref();
  }
  if (!text.partner.empty()) {
    auto city = ResolveCity(store, text.partner);
    if (!city) {
      Error error = city.error();
      error.where = "partner";
      return Fail(std::move(error));
    }
    filter.partner = city->Ref();
  }
  for (const auto& status : {ParseFilterDate(text.from, "from", filter.range.from),
                             ParseFilterDate(text.to, "to", filter.range.to),
                             ParseFilterEnum(text.type, "type", filter.type),
                             ParseFilterEnum(text.framework, "framework", filter.framework),
                             ParseFilterEnum(text.mode, "mode", filter.mode),
                             ParseFilterEnum(text.level, "level", filter.level),
                             ParseFilterEnum(text.topic, "topic", filter.topic)}) {
    if (!status) {
      return Fail(status.error());
    }
  }
  if (!text.include_imprecise.empty()) {
    if (text.include_imprecise == "1" || text.include_imprecise == "true") {
      filter.include_imprecise = true;
    } else if (text.include_imprecise != "0" && text.include_imprecise != "false") {
      return Fail(ErrorCode::kInvalidArgument,
                  "include_imprecise '" + text.include_imprecise +
                      "' is not valid (expected true, false, 1 or 0)",
                  "include_imprecise");
    }
  }
  auto limit = ParseCount(text.limit, "limit", 100, 1, 10000);
  if (!limit) {
    return Fail(limit.error());
  }
  auto offset = ParseCount(text.offset, "offset", 0, 0, 1000000000);
  if (!offset) {
    return Fail(offset.error());
  }
  filter.organization = text.org;
  filter.text = text.text;
  filter.limit = *limit;
  filter.offset = *offset;
  return filter;
}

namespace {

// Whether any string in `json` contains `needle` (already lower-cased), ASCII case-insensitively.
bool ContainsText(const nlohmann::json& json, const std::string& needle) {
  if (json.is_string()) {
    return ToLowerAscii(json.get<std::string>()).find(needle) != std::string::npos;
  }
  if (json.is_array() || json.is_object()) {
    for (const auto& item : json) {
      if (ContainsText(item, needle)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

Result<RecordPage> SearchRecords(storage::Store& store,
                                 RecordKind kind,
                                 const EventFilter& filter) {
  RecordPage page;
  if (kind == RecordKind::kEvent || filter.text.empty()) {
    auto listed = ListRecords(store, kind, filter);
    if (!listed) {
      return Fail(listed.error());
    }
    for (const auto& record : listed->items) {
      page.items.push_back(RecordToJson(record));
    }
    page.total = listed->total;
    page.imprecise_excluded = listed->imprecise_excluded;
    return page;
  }
  EventFilter all = filter;
  all.limit = -1;
  all.offset = 0;
  auto listed = ListRecords(store, kind, all);
  if (!listed) {
    return Fail(listed.error());
  }
  const std::string needle = ToLowerAscii(filter.text);
  std::int64_t index = 0;
  for (const auto& record : listed->items) {
    nlohmann::json json = RecordToJson(record);
    if (!ContainsText(json, needle)) {
      continue;
    }
    if (index >= filter.offset && (filter.limit < 0 || index < filter.offset + filter.limit)) {
      page.items.push_back(std::move(json));
    }
    ++index;
  }
  page.total = index;
  return page;
}

nlohmann::json RecordSchemaJson() {
  nlohmann::json schema = nlohmann::json::object();
  for (RecordKind kind : AllRecordKinds()) {
    // Which columns are lists is the writer's business: ask it, so forms never drift from files.
    const nlohmann::json sample = RecordsToJson(kind, {DefaultRecord(kind)});
    const nlohmann::json& object =
        sample.is_array() && !sample.empty() ? sample[0] : nlohmann::json::object();
    const auto& required = ingest::RequiredColumnsOf(kind);
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& column : ingest::ColumnsOf(kind)) {
      nlohmann::json field = {
          {"name", column},
          {"required", std::find(required.begin(), required.end(), column) != required.end()},
          {"list", object.contains(column) && object[column].is_array()}};
      if (object.contains(column) && object[column].is_boolean()) {
        field["boolean"] = true;
      }
      // The value a new record starts with (the model's default, as the writer writes it).
      if (object.contains(column) && !object[column].is_null() &&
          !(object[column].is_string() && object[column].get<std::string>().empty()) &&
          !(object[column].is_array() && object[column].empty())) {
        field["default"] = object[column];
      }
      if (const auto vocabulary = ColumnVocabulary(kind, column); !vocabulary.empty()) {
        field["vocabulary"] = vocabulary;
      }
      fields.push_back(std::move(field));
    }
    schema[std::string(RecordKindName(kind))] = {{"fields", std::move(fields)}};
  }
  return schema;
}

nlohmann::json VocabulariesJson() {
  nlohmann::json json = nlohmann::json::object();
  json[VocabularyName<CityKind>()] = VocabularyJson<CityKind>();
  json[VocabularyName<RelationKind>()] = VocabularyJson<RelationKind>();
  json[VocabularyName<RelationStatus>()] = VocabularyJson<RelationStatus>();
  json[VocabularyName<OrgKind>()] = VocabularyJson<OrgKind>();
  json[VocabularyName<MembershipRole>()] = VocabularyJson<MembershipRole>();
  json[VocabularyName<Direction>()] = VocabularyJson<Direction>();
  json[VocabularyName<EventType>()] = VocabularyJson<EventType>();
  json[VocabularyName<Framework>()] = VocabularyJson<Framework>();
  json[VocabularyName<Mode>()] = VocabularyJson<Mode>();
  json[VocabularyName<Level>()] = VocabularyJson<Level>();
  json[VocabularyName<Topic>()] = VocabularyJson<Topic>();
  json[VocabularyName<StakeholderKind>()] = VocabularyJson<StakeholderKind>();
  json[VocabularyName<EventStatus>()] = VocabularyJson<EventStatus>();
  json[VocabularyName<Claim>()] = VocabularyJson<Claim>();
  return json;
}

nlohmann::json ErrorToJson(const Error& error) {
  return {
      {"error",
       {{"code", ErrorCodeName(error.code)}, {"message", error.message}, {"where", error.where}}}};
}

nlohmann::json ToJson(const WriteError& error) {
  nlohmann::json json = ErrorToJson(error.error);
  if (!error.fields.empty()) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& field : error.fields) {
      fields.push_back({{"field", field.field}, {"message", field.message}});
    }
    json["error"]["fields"] = fields;
  }
  return json;
}

}  // namespace citydip::app
