// Writing registry records in the canonical columns: CSV (RFC 4180, LF line ends) and JSON (an
// array of objects, keys in column order, two-space indent). Deterministic, so that export →
// import → export is byte-identical.
#include <charconv>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/core/text.h"
#include "citydip/ingest/csv.h"
#include "citydip/ingest/registry_columns.h"
#include "citydip/ingest/registry_io.h"

namespace citydip::ingest {
namespace {

using Json = nlohmann::ordered_json;

// One output cell, typed so that JSON can say null, true or 37.5 where CSV writes text.
struct Null {};
using Value = std::variant<Null, std::string, bool, double, std::vector<std::string>>;
using Row = std::vector<Value>;

std::string FormatDouble(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

Value Date(const PartialDate& date) {
  if (date.empty()) {
    return Null{};
  }
  return date.ToString();
}

template <typename E>
Value OptionalEnum(const std::optional<E>& value) {
  if (!value) {
    return Null{};
  }
  return std::string(ToCode(*value));
}

template <typename E>
Value EnumValue(E value) {
  return std::string(ToCode(value));
}

Value Number(const std::optional<double>& value) {
  if (!value) {
    return Null{};
  }
  return *value;
}

// The country cell parallel to a list of cities: nothing when no city has one, one country when
// all share it, else one per city.
Value CountriesOf(const std::vector<CityRef>& cities) {
  std::vector<std::string> countries;
  bool all_same = true;
  for (const CityRef& city : cities) {
    if (!countries.empty() && city.country != countries.front()) {
      all_same = false;
    }
    countries.push_back(city.country);
  }
  if (countries.empty() || (all_same && countries.front().empty())) {
    return std::vector<std::string>{};
  }
  if (all_same) {
    return std::vector<std::string>{countries.front()};
  }
  return countries;
}

Value NamesOf(const std::vector<CityRef>& cities) {
  std::vector<std::string> names;
  names.reserve(cities.size());
  for (const CityRef& city : cities) {
    names.push_back(city.name);
  }
  return names;
}

std::vector<Row> Encode(const City& city) {
  return {{city.name_en, city.name_ko, city.name_zh, city.country, EnumValue(city.kind),
           Number(city.lat), Number(city.lon), city.wikidata_id, city.sources}};
}

std::vector<Row> Encode(const PartnerRelation& relation) {
  return {{relation.city_a.name, relation.city_a.country, relation.city_b.name,
           relation.city_b.country, EnumValue(relation.relation), Date(relation.since),
           Date(relation.until), EnumValue(relation.status), relation.sources}};
}

std::vector<Row> Encode(const Organization& organization) {
  const CityRef secretariat = organization.secretariat_city.value_or(CityRef{});
  return {{organization.name, organization.acronym, EnumValue(organization.kind), secretariat.name,
           secretariat.country, Date(organization.founded), organization.sources}};
}

std::vector<Row> Encode(const Membership& membership) {
  return {{membership.city.name, membership.city.country, membership.organization,
           EnumValue(membership.role), Date(membership.since), Date(membership.until),
           membership.sources}};
}

// One row per visit claim (the official's columns repeated), or one row without a claim; reading
// merges the rows of one official back together.
std::vector<Row> Encode(const Official& official) {
  const Row base = {official.name_en,          official.name_ko,        official.city.name,
                    official.city.country,     official.office,         official.acting,
                    Date(official.term_start), Date(official.term_end), official.sources};
  std::vector<Row> rows;
  if (official.visit_claims.empty()) {
    Row row = base;
    row.insert(row.end(), {std::string(), Null{}, std::vector<std::string>{}});
    rows.push_back(std::move(row));
  }
  for (const VisitClaim& claim : official.visit_claims) {
    Row row = base;
    row.insert(row.end(), {claim.partner.name, EnumValue(claim.claim), claim.sources});
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> Encode(const Mechanism& mechanism) {
  return {{mechanism.name_en, mechanism.name_ko, NamesOf(mechanism.cities),
           CountriesOf(mechanism.cities), Date(mechanism.founded), Date(mechanism.ended),
           mechanism.fields, mechanism.sources}};
}

std::vector<Row> Encode(const Event& event) {
  std::vector<std::string> topics;
  for (Topic topic : event.topics) {
    topics.emplace_back(ToCode(topic));
  }
  std::vector<std::string> stakeholders;
  for (const Stakeholder& stakeholder : event.stakeholders) {
    stakeholders.push_back(std::string(ToCode(stakeholder.kind)) + ":" + stakeholder.name);
  }
  return {{event.ref,
           Date(event.date),
           event.home_city.name,
           event.home_city.country,
           NamesOf(event.partner_cities),
           CountriesOf(event.partner_cities),
           OptionalEnum(event.direction),
           EnumValue(event.type),
           EnumValue(event.framework),
           EnumValue(event.mode),
           OptionalEnum(event.level),
           topics,
           event.organization,
           event.mechanism,
           EnumValue(event.status),
           event.officials,
           stakeholders,
           event.title_en,
           event.title_ko,
           event.notes,
           event.verified,
           event.sources}};
}

std::string CsvText(const Value& value) {
  struct Visitor {
    std::string operator()(Null) const { return {}; }
    std::string operator()(const std::string& text) const { return text; }
    std::string operator()(bool flag) const { return flag ? "true" : "false"; }
    std::string operator()(double number) const { return FormatDouble(number); }
    std::string operator()(const std::vector<std::string>& list) const { return JoinList(list); }
  };
  return std::visit(Visitor{}, value);
}

template <typename J>
J JsonValue(const Value& value) {
  struct Visitor {
    J operator()(Null) const { return nullptr; }
    J operator()(const std::string& text) const { return text; }
    J operator()(bool flag) const { return flag; }
    J operator()(double number) const { return number; }
    J operator()(const std::vector<std::string>& list) const {
      J array = J::array();
      for (const std::string& item : list) {
        array.push_back(item);
      }
      return array;
    }
  };
  return std::visit(Visitor{}, value);
}

// The rows of the records of `kind`, in order (an official with several visit claims gives one
// row per claim).
std::vector<Row> RowsOf(RecordKind kind, const std::vector<Record>& records) {
  std::vector<Row> rows;
  for (const Record& record : records) {
    if (KindOf(record) != kind) {
      continue;  // a caller's mix-up; the file holds one kind
    }
    auto encoded = std::visit([](const auto& value) { return Encode(value); }, record);
    for (Row& row : encoded) {
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

template <typename J>
J JsonRows(const std::vector<std::string>& columns, const std::vector<Row>& rows) {
  J array = J::array();
  for (const Row& row : rows) {
    J object = J::object();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      object[columns[i]] = JsonValue<J>(row[i]);
    }
    array.push_back(std::move(object));
  }
  return array;
}

}  // namespace

std::string WriteRecords(RecordKind kind, const std::vector<Record>& records, FileFormat format) {
  const std::vector<std::string>& columns = ColumnsOf(kind);
  const std::vector<Row> rows = RowsOf(kind, records);
  if (format == FileFormat::kCsv) {
    std::string out;
    AppendCsvRecord(out, columns);
    std::vector<std::string> fields(columns.size());
    for (const Row& row : rows) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        fields[i] = CsvText(row[i]);
      }
      AppendCsvRecord(out, fields);
    }
    return out;
  }
  // Invalid UTF-8 cannot come from an import (it is rejected there); replace rather than throw.
  return JsonRows<Json>(columns, rows).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

nlohmann::json RecordsAsJson(RecordKind kind, const std::vector<Record>& records) {
  return JsonRows<nlohmann::json>(ColumnsOf(kind), RowsOf(kind, records));
}

}  // namespace citydip::ingest
