#include "citydip/storage/store_support.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "citydip/core/text.h"
#include "citydip/storage/store.h"

namespace citydip::storage {
namespace {

Unexpected<Error> Invalid(std::string message, std::string_view field) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::string(field));
}

Status RequireText(std::string_view value, std::string_view field, std::string_view noun) {
  if (Trim(value).empty()) {
    return Invalid("missing " + std::string(noun) + " (expected a non-empty text)", field);
  }
  return Ok();
}

Status RequireCity(const CityRef& ref, std::string_view field) {
  if (Trim(ref.name).empty()) {
    return Invalid("missing city name (expected the English name of a stored city)", field);
  }
  return Ok();
}

Status RequireEntries(const std::vector<std::string>& values, std::string_view field) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (Trim(values[i]).empty()) {
      return Invalid("entry " + std::to_string(i + 1) + " is empty (expected a non-empty text)",
                     field);
    }
  }
  return Ok();
}

Status RequireOrderedSpan(const PartialDate& since,
                          const PartialDate& until,
                          std::string_view field) {
  if (!since.empty() && !until.empty() && until.LastDay() < since.FirstDay()) {
    return Invalid("end " + until.ToString() + " is before start " + since.ToString(), field);
  }
  return Ok();
}

Status Validate(const City& city) {
  if (auto s = RequireText(city.name_en, "name_en", "English name"); !s) {
    return s;
  }
  const bool alpha3 =
      city.country.size() == 3 && std::all_of(city.country.begin(), city.country.end(),
                                              [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!alpha3) {
    return Invalid(
        "'" + city.country + "' is not a country code (expected ISO 3166-1 alpha-3, e.g. KOR, CHN)",
        "country");
  }
  if (city.lat && !(std::isfinite(*city.lat) && *city.lat >= -90 && *city.lat <= 90)) {
    return Invalid("latitude " + std::to_string(*city.lat) + " is out of range (expected -90..90)",
                   "lat");
  }
  if (city.lon && !(std::isfinite(*city.lon) && *city.lon >= -180 && *city.lon <= 180)) {
    return Invalid(
        "longitude " + std::to_string(*city.lon) + " is out of range (expected -180..180)", "lon");
  }
  return RequireEntries(city.sources, "sources");
}

Status Validate(const PartnerRelation& relation) {
  if (auto s = RequireCity(relation.city_a, "city_a"); !s) {
    return s;
  }
  if (auto s = RequireCity(relation.city_b, "city_b"); !s) {
    return s;
  }
  if (relation.city_a == relation.city_b) {
    return Invalid("city " + DescribeCityRef(relation.city_a) + " cannot be its own partner",
                   "city_b");
  }
  if (auto s = RequireOrderedSpan(relation.since, relation.until, "until"); !s) {
    return s;
  }
  return RequireEntries(relation.sources, "sources");
}

Status Validate(const Organization& organization) {
  if (auto s = RequireText(organization.name, "name", "organization name"); !s) {
    return s;
  }
  if (organization.secretariat_city) {
    if (auto s = RequireCity(*organization.secretariat_city, "secretariat_city"); !s) {
      return s;
    }
  }
  return RequireEntries(organization.sources, "sources");
}

Status Validate(const Membership& membership) {
  if (auto s = RequireCity(membership.city, "city"); !s) {
    return s;
  }
  if (auto s = RequireText(membership.organization, "organization", "organization name"); !s) {
    return s;
  }
  if (auto s = RequireOrderedSpan(membership.since, membership.until, "until"); !s) {
    return s;
  }
  return RequireEntries(membership.sources, "sources");
}

Status Validate(const Official& official) {
  if (auto s = RequireText(official.name_en, "name_en", "English name"); !s) {
    return s;
  }
  if (auto s = RequireText(official.office, "office", "office"); !s) {
    return s;
  }
  if (auto s = RequireCity(official.city, "city"); !s) {
    return s;
  }
  if (auto s = RequireOrderedSpan(official.term_start, official.term_end, "term_end"); !s) {
    return s;
  }
  for (const VisitClaim& claim : official.visit_claims) {
    if (auto s = RequireCity(claim.partner, "visit_claims"); !s) {
      return s;
    }
    if (auto s = RequireEntries(claim.sources, "visit_claims"); !s) {
      return s;
    }
  }
  return RequireEntries(official.sources, "sources");
}

Status Validate(const Mechanism& mechanism) {
  if (auto s = RequireText(mechanism.name_en, "name_en", "English name"); !s) {
    return s;
  }
  for (const CityRef& city : mechanism.cities) {
    if (auto s = RequireCity(city, "cities"); !s) {
      return s;
    }
  }
  if (auto s = RequireOrderedSpan(mechanism.founded, mechanism.ended, "ended"); !s) {
    return s;
  }
  if (auto s = RequireEntries(mechanism.fields, "fields"); !s) {
    return s;
  }
  return RequireEntries(mechanism.sources, "sources");
}

Status Validate(const Event& event) {
  if (event.date.empty()) {
    return Invalid("missing date (expected YYYY, YYYY-MM or YYYY-MM-DD)", "date");
  }
  if (auto s = RequireCity(event.home_city, "home_city"); !s) {
    return s;
  }
  for (std::size_t i = 0; i < event.partner_cities.size(); ++i) {
    const CityRef& partner = event.partner_cities[i];
    if (auto s = RequireCity(partner, "partner_cities"); !s) {
      return s;
    }
    if (partner == event.home_city) {
      return Invalid("partner city " + DescribeCityRef(partner) + " is the home city",
                     "partner_cities");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (event.partner_cities[j] == partner) {
        return Invalid("partner city " + DescribeCityRef(partner) + " is listed twice",
                       "partner_cities");
      }
    }
  }
  if (auto s = RequireEntries(event.officials, "officials"); !s) {
    return s;
  }
  for (const Stakeholder& stakeholder : event.stakeholders) {
    if (auto s = RequireText(stakeholder.name, "stakeholders", "stakeholder name"); !s) {
      return s;
    }
  }
  if (event.sources.empty()) {
    return Invalid("missing source (expected at least one URL)", "sources");
  }
  return RequireEntries(event.sources, "sources");
}

}  // namespace

std::string_view RecordKindNoun(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCity:
      return "city";
    case RecordKind::kPartnerRelation:
      return "partner relation";
    case RecordKind::kOrganization:
      return "organization";
    case RecordKind::kMembership:
      return "membership";
    case RecordKind::kOfficial:
      return "official";
    case RecordKind::kMechanism:
      return "mechanism";
    case RecordKind::kEvent:
      return "event";
  }
  return "record";
}

std::string DescribeCityRef(const CityRef& ref) {
  std::string out = "'" + ref.name + "'";
  if (!ref.country.empty()) {
    out += " (country " + ref.country + ")";
  }
  return out;
}

Error UnknownCityError(const CityRef& ref, std::string_view field) {
  return Error{ErrorCode::kInvalidArgument, "unknown city " + DescribeCityRef(ref),
               std::string(field)};
}

Error AmbiguousCityError(const CityRef& ref,
                         const std::vector<std::string>& countries,
                         std::string_view field) {
  std::string list;
  for (const std::string& country : countries) {
    list += list.empty() ? country : ", " + country;
  }
  return Error{ErrorCode::kInvalidArgument,
               "city '" + ref.name + "' is ambiguous: it exists in " + list + " (give the country)",
               std::string(field)};
}

Error UnknownReferenceError(std::string_view what, std::string_view name, std::string_view field) {
  return Error{ErrorCode::kInvalidArgument,
               "unknown " + std::string(what) + " '" + std::string(name) + "'", std::string(field)};
}

Error VersionConflictError(std::int64_t stored, std::int64_t yours) {
  return Error{ErrorCode::kConflict,
               "record was changed by someone else (version " + std::to_string(stored) +
                   ", yours " + std::to_string(yours) + ")",
               {}};
}

Error RecordNotFoundError(RecordKind kind, RecordId id) {
  return Error{ErrorCode::kNotFound,
               "no " + std::string(RecordKindNoun(kind)) + " with id " + std::to_string(id),
               {}};
}

Error NewerSchemaError(int database_version, std::string_view database) {
  return Error{ErrorCode::kFailedPrecondition,
               "database schema version " + std::to_string(database_version) +
                   " is newer than this build supports (version " + std::to_string(kSchemaVersion) +
                   "); upgrade citydip",
               std::string(database)};
}

Error OutdatedSchemaError(int database_version, std::string_view database) {
  return Error{ErrorCode::kFailedPrecondition,
               "database schema version " + std::to_string(database_version) +
                   " is not the version this build uses (version " +
                   std::to_string(kSchemaVersion) + "); run `citydip migrate` first",
               std::string(database)};
}

Status ValidateRecord(const Record& record) {
  return std::visit([](const auto& value) { return Validate(value); }, record);
}

Status ValidateEventFilter(const EventFilter& filter) {
  if (filter.limit < -1) {
    return Invalid("limit " + std::to_string(filter.limit) +
                       " is negative (expected -1 for no limit, or 0 or more)",
                   "limit");
  }
  if (filter.offset < 0) {
    return Invalid("offset " + std::to_string(filter.offset) + " is negative (expected 0 or more)",
                   "offset");
  }
  return Ok();
}

DayBounds FilterDayBounds(const EventFilter& filter) {
  DayBounds bounds;
  if (!filter.range.from.empty()) {
    bounds.first = filter.range.from.FirstDay();
  }
  if (!filter.range.to.empty()) {
    bounds.last = filter.range.to.LastDay();
  }
  return bounds;
}

std::string DuplicateTitleKey(std::string_view title) {
  std::string out;
  bool space = false;
  for (char c : Trim(title)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return ToLowerAscii(out);
}

}  // namespace citydip::storage
