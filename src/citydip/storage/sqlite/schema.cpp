#include "citydip/storage/sqlite/schema.h"

#include <string>

#include "citydip/storage/store.h"
#include "citydip/storage/store_support.h"

namespace citydip::storage::sqlite {
namespace {

// Conventions: integer ids; references are foreign keys (RESTRICT: a referenced city cannot be
// deleted), list tables cascade with their owner and keep the order in `position`; vocabulary
// values are stored as their stable codes; dates as their text ("2013-05", "" when empty), event
// dates also as the first and last day they may mean (days since 1970-01-01) for range queries.
// Every event filter has an index; those on optional columns are partial (an import does not pay
// for the many events without a level, organization or mechanism; `col = ?` still uses them).
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE cities (
  id          INTEGER PRIMARY KEY,
  name_en     TEXT NOT NULL CHECK (name_en <> ''),
  name_ko     TEXT NOT NULL DEFAULT '',
  name_zh     TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  lat         REAL,
  lon         REAL,
  wikidata_id TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  UNIQUE (name_en, country)
) STRICT;
CREATE INDEX cities_name_nocase ON cities (name_en COLLATE NOCASE);
CREATE TABLE city_sources (
  city_id  INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  url      TEXT NOT NULL,
  PRIMARY KEY (city_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE partner_relations (
  id        INTEGER PRIMARY KEY,
  city_a_id INTEGER NOT NULL REFERENCES cities (id),
  city_b_id INTEGER NOT NULL REFERENCES cities (id),
  relation  TEXT NOT NULL,
  since     TEXT NOT NULL DEFAULT '',
  until     TEXT NOT NULL DEFAULT '',
  status    TEXT NOT NULL,
  version   INTEGER NOT NULL DEFAULT 1,
  CHECK (city_a_id <> city_b_id)
) STRICT;
CREATE UNIQUE INDEX partner_relations_key
  ON partner_relations (min(city_a_id, city_b_id), max(city_a_id, city_b_id), relation, since);
CREATE INDEX partner_relations_city_a ON partner_relations (city_a_id);
CREATE INDEX partner_relations_city_b ON partner_relations (city_b_id);
CREATE TABLE partner_relation_sources (
  partner_relation_id INTEGER NOT NULL REFERENCES partner_relations (id) ON DELETE CASCADE,
  position            INTEGER NOT NULL,
  url                 TEXT NOT NULL,
  PRIMARY KEY (partner_relation_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE organizations (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE CHECK (name <> ''),
  acronym             TEXT NOT NULL DEFAULT '',
  kind                TEXT NOT NULL,
  secretariat_city_id INTEGER REFERENCES cities (id),
  founded             TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX organizations_name_nocase ON organizations (name COLLATE NOCASE);
CREATE INDEX organizations_acronym ON organizations (acronym COLLATE NOCASE);
CREATE INDEX organizations_secretariat ON organizations (secretariat_city_id);
CREATE TABLE organization_sources (
  organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  url             TEXT NOT NULL,
  PRIMARY KEY (organization_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE memberships (
  id              INTEGER PRIMARY KEY,
  city_id         INTEGER NOT NULL REFERENCES cities (id),
  organization_id INTEGER NOT NULL REFERENCES organizations (id),
  role            TEXT NOT NULL,
  since           TEXT NOT NULL DEFAULT '',
  until           TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1,
  UNIQUE (city_id, organization_id, role, since)
) STRICT;
CREATE INDEX memberships_organization ON memberships (organization_id);
CREATE TABLE membership_sources (
  membership_id INTEGER NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  url           TEXT NOT NULL,
  PRIMARY KEY (membership_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE officials (
  id         INTEGER PRIMARY KEY,
  name_en    TEXT NOT NULL CHECK (name_en <> ''),
  name_ko    TEXT NOT NULL DEFAULT '',
  office     TEXT NOT NULL,
  city_id    INTEGER NOT NULL REFERENCES cities (id),
  term_start TEXT NOT NULL DEFAULT '',
  term_end   TEXT NOT NULL DEFAULT '',
  acting     INTEGER NOT NULL DEFAULT 0,
  version    INTEGER NOT NULL DEFAULT 1,
  UNIQUE (name_en, office, city_id, term_start)
) STRICT;
CREATE INDEX officials_name_nocase ON officials (name_en COLLATE NOCASE);
CREATE INDEX officials_city ON officials (city_id);
CREATE TABLE official_sources (
  official_id INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  url         TEXT NOT NULL,
  PRIMARY KEY (official_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE official_visit_claims (
  id              INTEGER PRIMARY KEY,
  official_id     INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  partner_city_id INTEGER NOT NULL REFERENCES cities (id),
  claim           TEXT NOT NULL,
  UNIQUE (official_id, position)
) STRICT;
CREATE INDEX official_visit_claims_partner ON official_visit_claims (partner_city_id);
CREATE TABLE official_visit_claim_sources (
  claim_id INTEGER NOT NULL REFERENCES official_visit_claims (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  url      TEXT NOT NULL,
  PRIMARY KEY (claim_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE mechanisms (
  id      INTEGER PRIMARY KEY,
  name_en TEXT NOT NULL UNIQUE CHECK (name_en <> ''),
  name_ko TEXT NOT NULL DEFAULT '',
  founded TEXT NOT NULL DEFAULT '',
  ended   TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX mechanisms_name_nocase ON mechanisms (name_en COLLATE NOCASE);
CREATE INDEX mechanisms_name_ko ON mechanisms (name_ko);
CREATE TABLE mechanism_cities (
  mechanism_id INTEGER NOT NULL REFERENCES mechanisms (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  city_id      INTEGER NOT NULL REFERENCES cities (id),
  PRIMARY KEY (mechanism_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX mechanism_cities_city ON mechanism_cities (city_id);
CREATE TABLE mechanism_fields (
  mechanism_id INTEGER NOT NULL REFERENCES mechanisms (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  field        TEXT NOT NULL,
  PRIMARY KEY (mechanism_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE mechanism_sources (
  mechanism_id INTEGER NOT NULL REFERENCES mechanisms (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  url          TEXT NOT NULL,
  PRIMARY KEY (mechanism_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  id              INTEGER PRIMARY KEY,
  ref             TEXT NOT NULL DEFAULT '',
  date            TEXT NOT NULL,
  first_day       INTEGER NOT NULL,
  last_day        INTEGER NOT NULL,
  precision       INTEGER NOT NULL,
  home_city_id    INTEGER NOT NULL REFERENCES cities (id),
  direction       TEXT,
  type            TEXT NOT NULL,
  framework       TEXT NOT NULL,
  mode            TEXT NOT NULL,
  level           TEXT,
  organization_id INTEGER REFERENCES organizations (id),
  mechanism_id    INTEGER REFERENCES mechanisms (id),
  status          TEXT NOT NULL,
  title_en        TEXT NOT NULL DEFAULT '',
  title_ko        TEXT NOT NULL DEFAULT '',
  title_key       TEXT NOT NULL DEFAULT '',
  notes           TEXT NOT NULL DEFAULT '',
  verified        INTEGER NOT NULL DEFAULT 1,
  version         INTEGER NOT NULL DEFAULT 1,
  CHECK (first_day <= last_day)
) STRICT;
CREATE UNIQUE INDEX events_ref ON events (ref) WHERE ref <> '';
CREATE INDEX events_date ON events (first_day, last_day);
CREATE INDEX events_home ON events (home_city_id, first_day);
CREATE INDEX events_type ON events (type, first_day);
CREATE INDEX events_framework ON events (framework, first_day);
CREATE INDEX events_mode ON events (mode, first_day);
CREATE INDEX events_level ON events (level, first_day) WHERE level IS NOT NULL;
CREATE INDEX events_organization ON events (organization_id, first_day)
  WHERE organization_id IS NOT NULL;
CREATE INDEX events_mechanism ON events (mechanism_id) WHERE mechanism_id IS NOT NULL;
CREATE TABLE event_partners (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  city_id  INTEGER NOT NULL REFERENCES cities (id),
  PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_partners_city ON event_partners (city_id, event_id);
CREATE TABLE event_topics (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  topic    TEXT NOT NULL,
  PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_topics_topic ON event_topics (topic, event_id);
CREATE TABLE event_officials (
  event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  official_id INTEGER NOT NULL REFERENCES officials (id),
  PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_officials_official ON event_officials (official_id);
CREATE TABLE event_stakeholders (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT NOT NULL,
  kind     TEXT NOT NULL,
  PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE event_sources (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  url      TEXT NOT NULL,
  PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;
)sql";

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
)sql";

Result<bool> HasMigrationsTable(Connection& connection) {
  auto stmt = connection.Prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (!stmt) {
    return Fail(stmt.error());
  }
  auto row = stmt->Step();
  if (!row) {
    return Fail(row.error());
  }
  return stmt->Int(0) > 0;
}

Result<std::int64_t> CountTables(Connection& connection) {
  auto stmt = connection.Prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  if (!stmt) {
    return Fail(stmt.error());
  }
  auto row = stmt->Step();
  if (!row) {
    return Fail(row.error());
  }
  return stmt->Int(0);
}

Status ApplyMissing(Connection& connection) {
  auto has_table = HasMigrationsTable(connection);
  if (!has_table) {
    return Fail(has_table.error());
  }
  if (!*has_table) {
    auto tables = CountTables(connection);
    if (!tables) {
      return Fail(tables.error());
    }
    if (*tables > 0) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "database '" + connection.path() +
                      "' is not a citydip database (it has tables but no schema_migrations)",
                  connection.path());
    }
    if (auto s = connection.ExecScript(std::string(kCreateMigrationsTable)); !s) {
      return s;
    }
  }
  auto current = ReadSchemaVersion(connection);
  if (!current) {
    return Fail(current.error());
  }
  if (*current > kSchemaVersion) {
    return Fail(NewerSchemaError(*current, connection.path()));
  }
  for (const Migration& migration : Migrations()) {
    if (migration.version <= *current) {
      continue;
    }
    if (auto s = connection.ExecScript(std::string(migration.sql)); !s) {
      Error error = s.error();
      error.message = "migration to schema version " + std::to_string(migration.version) +
                      " failed: " + error.message;
      return Fail(std::move(error));
    }
    auto record = connection.Prepare("INSERT INTO schema_migrations (version) VALUES (?)");
    if (!record) {
      return Fail(record.error());
    }
    if (auto s = record->Bind(migration.version).Run(); !s) {
      return s;
    }
  }
  return Ok();
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {{1, kMigration1}};
  return kMigrations;
}

Result<int> ReadSchemaVersion(Connection& connection) {
  auto has_table = HasMigrationsTable(connection);
  if (!has_table) {
    return Fail(has_table.error());
  }
  if (!*has_table) {
    return 0;
  }
  auto stmt = connection.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!stmt) {
    return Fail(stmt.error());
  }
  auto row = stmt->Step();
  if (!row) {
    return Fail(row.error());
  }
  return static_cast<int>(stmt->Int(0));
}

Status MigrateSchema(Connection& connection) {
  if (auto s = connection.Exec("BEGIN IMMEDIATE"); !s) {
    return s;
  }
  Status result = ApplyMissing(connection);
  if (result) {
    result = connection.Exec("COMMIT");
  }
  if (!result && !connection.AutoCommit()) {
    (void)connection.Exec("ROLLBACK");
  }
  return result;
}

}  // namespace citydip::storage::sqlite
