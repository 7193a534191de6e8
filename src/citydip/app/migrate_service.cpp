#include "citydip/app/migrate_service.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace citydip::app {
namespace {

using nlohmann::json;

json Ref(const CityRef& ref) {
  return json::array({ref.name, ref.country});
}

json Refs(const std::vector<CityRef>& refs) {
  json out = json::array();
  for (const CityRef& ref : refs) {
    out.push_back(Ref(ref));
  }
  return out;
}

template <typename E>
json Code(E value) {
  return std::string(ToCode(value));
}

template <typename E>
json OptionalCode(const std::optional<E>& value) {
  return value ? Code(*value) : json(nullptr);
}

json OptionalNumber(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json Canonical(const City& city) {
  return {{"name_en", city.name_en},         {"name_ko", city.name_ko},
          {"name_zh", city.name_zh},         {"country", city.country},
          {"kind", Code(city.kind)},         {"lat", OptionalNumber(city.lat)},
          {"lon", OptionalNumber(city.lon)}, {"wikidata_id", city.wikidata_id},
          {"sources", city.sources}};
}

json Canonical(const PartnerRelation& relation) {
  return {{"city_a", Ref(relation.city_a)},      {"city_b", Ref(relation.city_b)},
          {"relation", Code(relation.relation)}, {"since", relation.since.ToString()},
          {"until", relation.until.ToString()},  {"status", Code(relation.status)},
          {"sources", relation.sources}};
}

json Canonical(const Organization& organization) {
  return {{"name", organization.name},
          {"acronym", organization.acronym},
          {"kind", Code(organization.kind)},
          {"secretariat_city",
           organization.secretariat_city ? Ref(*organization.secretariat_city) : json(nullptr)},
          {"founded", organization.founded.ToString()},
          {"sources", organization.sources}};
}

json Canonical(const Membership& membership) {
  return {{"city", Ref(membership.city)},         {"organization", membership.organization},
          {"role", Code(membership.role)},        {"since", membership.since.ToString()},
          {"until", membership.until.ToString()}, {"sources", membership.sources}};
}

json Canonical(const Official& official) {
  json claims = json::array();
  for (const VisitClaim& claim : official.visit_claims) {
    claims.push_back({{"partner", Ref(claim.partner)},
                      {"claim", Code(claim.claim)},
                      {"sources", claim.sources}});
  }
  return {{"name_en", official.name_en},
          {"name_ko", official.name_ko},
          {"office", official.office},
          {"city", Ref(official.city)},
          {"term_start", official.term_start.ToString()},
          {"term_end", official.term_end.ToString()},
          {"acting", official.acting},
          {"visit_claims", claims},
          {"sources", official.sources}};
}

json Canonical(const Mechanism& mechanism) {
  return {{"name_en", mechanism.name_en},        {"name_ko", mechanism.name_ko},
          {"cities", Refs(mechanism.cities)},    {"founded", mechanism.founded.ToString()},
          {"ended", mechanism.ended.ToString()}, {"fields", mechanism.fields},
          {"sources", mechanism.sources}};
}

json Canonical(const Event& event) {
  json topics = json::array();
  for (Topic topic : event.topics) {
    topics.push_back(Code(topic));
  }
  json stakeholders = json::array();
  for (const Stakeholder& stakeholder : event.stakeholders) {
    stakeholders.push_back({{"name", stakeholder.name}, {"kind", Code(stakeholder.kind)}});
  }
  return {{"ref", event.ref},
          {"date", event.date.ToString()},
          {"home_city", Ref(event.home_city)},
          {"partner_cities", Refs(event.partner_cities)},
          {"direction", OptionalCode(event.direction)},
          {"type", Code(event.type)},
          {"framework", Code(event.framework)},
          {"mode", Code(event.mode)},
          {"level", OptionalCode(event.level)},
          {"topics", topics},
          {"organization", event.organization},
          {"mechanism", event.mechanism},
          {"status", Code(event.status)},
          {"officials", event.officials},
          {"stakeholders", stakeholders},
          {"title_en", event.title_en},
          {"title_ko", event.title_ko},
          {"notes", event.notes},
          {"sources", event.sources},
          {"verified", event.verified}};
}

std::string Sha256Hex(const std::string& data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

template <typename T>
std::vector<Record> AsRecords(const std::vector<T>& values) {
  return {values.begin(), values.end()};
}

std::vector<Record> RecordsOf(const Registry& registry, RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return AsRecords(registry.cities);
    case RecordKind::kPartnerRelation:
      return AsRecords(registry.partner_relations);
    case RecordKind::kOrganization:
      return AsRecords(registry.organizations);
    case RecordKind::kMembership:
      return AsRecords(registry.memberships);
    case RecordKind::kOfficial:
      return AsRecords(registry.officials);
    case RecordKind::kMechanism:
      return AsRecords(registry.mechanisms);
    case RecordKind::kEvent:
      return AsRecords(registry.events);
  }
  return {};
}

std::int64_t Total(const storage::Counts& counts) {
  return counts.cities + counts.organizations + counts.partner_relations + counts.memberships +
         counts.officials + counts.mechanisms + counts.events;
}

std::string Pad(std::string text, std::size_t width, bool right) {
  if (text.size() >= width) {
    return text;
  }
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

void PrintTable(const std::vector<KindCopyReport>& kinds, std::ostream& report) {
  report << Pad("kind", 18, false) << Pad("source", 8, true) << Pad("target", 8, true) << "  "
         << Pad("sha256 (source)", 18, false) << "sha256 (target)\n";
  std::int64_t source_total = 0;
  std::int64_t target_total = 0;
  bool all_match = true;
  for (const KindCopyReport& kind : kinds) {
    report << Pad(std::string(RecordKindName(kind.kind)), 18, false)
           << Pad(std::to_string(kind.source_count), 8, true)
           << Pad(std::to_string(kind.target_count), 8, true) << "  "
           << Pad(kind.source_sha256.substr(0, 16), 18, false)
           << Pad(kind.target_sha256.substr(0, 16), 18, false)
           << (kind.Matches() ? "ok" : "DIFFERS") << "\n";
    source_total += kind.source_count;
    target_total += kind.target_count;
    all_match = all_match && kind.Matches();
  }
  report << Pad("total", 18, false) << Pad(std::to_string(source_total), 8, true)
         << Pad(std::to_string(target_total), 8, true) << "  " << Pad("", 36, false)
         << (all_match ? "verified" : "NOT VERIFIED") << "\n";
}

}  // namespace

std::string CanonicalRecord(const Record& record) {
  json value = std::visit([](const auto& r) { return Canonical(r); }, record);
  value["record"] = std::string(RecordKindName(KindOf(record)));
  // The store validated the text as UTF-8; replace rather than throw should a byte slip by.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string RecordsChecksum(const std::vector<Record>& records) {
  std::vector<std::string> lines;
  lines.reserve(records.size());
  for (const Record& record : records) {
    lines.push_back(CanonicalRecord(record));
  }
  std::sort(lines.begin(), lines.end());
  std::string joined;
  for (const std::string& line : lines) {
    joined += line;
    joined += '\n';
  }
  return Sha256Hex(joined);
}

std::vector<KindCopyReport> SummarizeRegistry(const Registry& registry) {
  std::vector<KindCopyReport> out;
  for (RecordKind kind : AllRecordKinds()) {
    const std::vector<Record> records = RecordsOf(registry, kind);
    KindCopyReport summary;
    summary.kind = kind;
    summary.source_count = static_cast<std::int64_t>(records.size());
    summary.source_sha256 = RecordsChecksum(records);
    out.push_back(std::move(summary));
  }
  return out;
}

Status MigrateStore(storage::Store& from, storage::Store& to, std::ostream& report) {
  if (sodium_init() < 0) {
    return Fail(ErrorCode::kInternal, "libsodium could not be initialized");
  }
  auto source_version = from.SchemaVersion();
  if (!source_version) {
    return Fail(source_version.error());
  }
  if (*source_version != storage::kSchemaVersion) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the source database has schema version " + std::to_string(*source_version) +
                    ", not " + std::to_string(storage::kSchemaVersion) +
                    " (run 'citydip init' on it first)",
                "--from");
  }
  if (auto migrated = to.Migrate(); !migrated) {
    return migrated;
  }
  auto target_counts = to.CountAll();
  if (!target_counts) {
    return Fail(target_counts.error());
  }
  if (const std::int64_t present = Total(*target_counts); present > 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the target database already holds " + std::to_string(present) +
                    " records; migrate copies into an empty database only",
                "--to");
  }
  auto registry = from.LoadRegistry();  // one snapshot of the source
  if (!registry) {
    return Fail(registry.error());
  }
  std::vector<KindCopyReport> kinds = SummarizeRegistry(*registry);

  Status copied = to.InTransaction([&]() -> Status {
    for (RecordKind kind : AllRecordKinds()) {
      const std::vector<Record> records = RecordsOf(*registry, kind);
      for (std::size_t i = 0; i < records.size(); ++i) {
        auto id = to.Insert(records[i]);
        if (!id) {
          Error error = id.error();
          error.message = "copying " + std::string(RecordKindName(kind)) + " record " +
                          std::to_string(i + 1) + " of " + std::to_string(records.size()) +
                          " (source id " + std::to_string(IdOf(records[i])) + "): " + error.message;
          return Fail(std::move(error));
        }
      }
    }
    // Verify before committing: what the target now holds, read back through its own queries.
    auto written = to.LoadRegistry();
    if (!written) {
      return Fail(written.error());
    }
    const std::vector<KindCopyReport> target = SummarizeRegistry(*written);
    std::string differing;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      kinds[i].target_count = target[i].source_count;
      kinds[i].target_sha256 = target[i].source_sha256;
      if (!kinds[i].Matches()) {
        differing += (differing.empty() ? "" : ", ") + std::string(RecordKindName(kinds[i].kind));
      }
    }
    if (!differing.empty()) {
      return Fail(ErrorCode::kInternal, "the copy differs from the source in " + differing +
                                            "; nothing was written to the target");
    }
    return Ok();
  });
  PrintTable(kinds, report);
  return copied;
}

}  // namespace citydip::app
