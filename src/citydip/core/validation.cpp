#include "citydip/core/validation.h"

#include <charconv>
#include <cmath>
#include <string>

#include "citydip/core/countries.h"
#include "citydip/core/text.h"

namespace citydip {
namespace {

// Shortest text that reads back as the same double.
std::string FormatNumber(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

class Checker {
 public:
  void Add(std::string_view field, std::string message) {
    errors_.push_back({std::string(field), std::move(message)});
  }

  void RequireText(std::string_view value, std::string_view field, std::string_view what) {
    if (Trim(value).empty()) {
      Add(field, "missing value (expected " + std::string(what) + ")");
    }
  }

  void Country(std::string_view code, std::string_view field, bool required) {
    if (code.empty()) {
      if (required) {
        Add(field,
            "missing value (expected an ISO 3166-1 alpha-3 country code such as KOR or CHN)");
      }
      return;
    }
    if (!IsCountryCode(code)) {
      Add(field, "'" + std::string(code) +
                     "' is not a known country code (expected an ISO 3166-1 alpha-3 code such as "
                     "KOR or CHN)");
    }
  }

  void City(const CityRef& ref,
            std::string_view name_field,
            std::string_view country_field,
            std::string_view what) {
    RequireText(ref.name, name_field, "the English name of " + std::string(what));
    Country(ref.country, country_field, false);
  }

  void Span(const PartialDate& start,
            const PartialDate& end,
            std::string_view start_field,
            std::string_view end_field) {
    if (!start.empty() && !end.empty() && end.LastDay() < start.FirstDay()) {
      Add(end_field, "end " + end.ToString() + " is before start " + start.ToString() +
                         " (expected " + std::string(end_field) + " on or after " +
                         std::string(start_field) + ")");
    }
  }

  void Sources(const std::vector<std::string>& sources,
               std::string_view field,
               bool required,
               std::string_view what) {
    if (sources.empty() && required) {
      Add(field, "missing value (expected at least one source URL" +
                     (what.empty() ? std::string() : " for " + std::string(what)) + ")");
    }
    for (const std::string& source : sources) {
      if (!IsSourceUrl(source)) {
        Add(field,
            "'" + source + "' is not a valid source URL (expected an http:// or https:// URL)");
      }
    }
  }

  void Entries(const std::vector<std::string>& values,
               std::string_view field,
               std::string_view what) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (Trim(values[i]).empty()) {
        Add(field,
            "entry " + std::to_string(i + 1) + " is empty (expected " + std::string(what) + ")");
      }
    }
  }

  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

bool SameCity(const CityRef& a, const CityRef& b) {
  if (ToLowerAscii(Trim(a.name)) != ToLowerAscii(Trim(b.name))) {
    return false;
  }
  return a.country.empty() || b.country.empty() || a.country == b.country;
}

std::string Quoted(const CityRef& ref) {
  return "'" + ref.name + "'";
}

void Check(const City& city, Checker& check) {
  check.RequireText(city.name_en, "name_en", "the English name of the city");
  check.Country(city.country, "country", true);
  if (city.lat && !(std::isfinite(*city.lat) && *city.lat >= -90 && *city.lat <= 90)) {
    check.Add("lat",
              "latitude " + FormatNumber(*city.lat) + " is out of range (expected -90 to 90)");
  }
  if (city.lon && !(std::isfinite(*city.lon) && *city.lon >= -180 && *city.lon <= 180)) {
    check.Add("lon",
              "longitude " + FormatNumber(*city.lon) + " is out of range (expected -180 to 180)");
  }
  if (city.lat.has_value() != city.lon.has_value()) {
    check.Add(city.lat ? "lon" : "lat", city.lat ? "missing value (expected a longitude to go with "
                                                   "the latitude)"
                                                 : "missing value (expected a latitude to go with "
                                                   "the longitude)");
  }
  if (!city.wikidata_id.empty()) {
    const std::string_view id = city.wikidata_id;
    const bool digits = id.size() >= 2 && id[0] == 'Q' &&
                        id.find_first_not_of("0123456789", 1) == std::string_view::npos;
    if (!digits) {
      check.Add("wikidata_id", "'" + city.wikidata_id +
                                   "' is not a valid Wikidata id (expected Q followed by digits, "
                                   "e.g. Q8684)");
    }
  }
  check.Sources(city.sources, "source_url", true, "");
}

void Check(const PartnerRelation& relation, Checker& check) {
  check.City(relation.city_a, "city_a", "country_a", "the first city");
  check.City(relation.city_b, "city_b", "country_b", "the partner city");
  if (!relation.city_a.name.empty() && SameCity(relation.city_a, relation.city_b)) {
    check.Add("city_b", Quoted(relation.city_b) +
                            " cannot be its own partner (expected two different cities)");
  }
  check.Span(relation.since, relation.until, "since", "until");
  check.Sources(relation.sources, "source_url", true, "");
}

void Check(const Organization& organization, Checker& check) {
  check.RequireText(organization.name, "name", "the name of the organization");
  if (organization.secretariat_city) {
    check.City(*organization.secretariat_city, "secretariat_city", "secretariat_country",
               "the secretariat city");
  }
  check.Sources(organization.sources, "source_url", true, "");
}

void Check(const Membership& membership, Checker& check) {
  check.City(membership.city, "city", "country", "the member city");
  check.RequireText(membership.organization, "organization", "the name of the organization");
  check.Span(membership.since, membership.until, "since", "until");
  check.Sources(membership.sources, "source_url", true, "");
}

void Check(const Official& official, Checker& check) {
  check.RequireText(official.name_en, "name_en", "the English name of the official");
  check.City(official.city, "city", "country", "the official's city");
  check.RequireText(official.office, "office", "the office, e.g. mayor");
  check.Span(official.term_start, official.term_end, "term_start", "term_end");
  check.Sources(official.sources, "source_url", true, "");
  for (const VisitClaim& claim : official.visit_claims) {
    check.RequireText(claim.partner.name, "visit_partner",
                      "the English name of the city the claim is about");
    const bool asserts = claim.claim != Claim::kUnknown;
    check.Sources(claim.sources, "visit_source_url", asserts,
                  "the visit claim '" + std::string(ToCode(claim.claim)) + "'");
  }
}

void Check(const Mechanism& mechanism, Checker& check) {
  check.RequireText(mechanism.name_en, "name_en", "the English name of the mechanism");
  if (mechanism.cities.size() < 2) {
    check.Add("cities", "a mechanism links at least two cities (got " +
                            std::to_string(mechanism.cities.size()) + ")");
  }
  for (std::size_t i = 0; i < mechanism.cities.size(); ++i) {
    const CityRef& city = mechanism.cities[i];
    check.City(city, "cities", "countries", "each city");
    for (std::size_t j = 0; j < i; ++j) {
      if (!city.name.empty() && SameCity(mechanism.cities[j], city)) {
        check.Add("cities", "city " + Quoted(city) + " is listed twice");
      }
    }
  }
  check.Span(mechanism.founded, mechanism.ended, "founded", "ended");
  check.Entries(mechanism.fields, "fields", "a field such as economy");
  check.Sources(mechanism.sources, "source_url", true, "");
}

void Check(const Event& event, Checker& check) {
  if (event.date.empty()) {
    check.Add("date", "missing value (expected a date: YYYY, YYYY-MM or YYYY-MM-DD)");
  }
  check.City(event.home_city, "home_city", "home_country", "the home city");
  for (std::size_t i = 0; i < event.partner_cities.size(); ++i) {
    const CityRef& partner = event.partner_cities[i];
    check.City(partner, "partner_city", "partner_country", "each partner city");
    if (partner.name.empty()) {
      continue;
    }
    if (SameCity(partner, event.home_city)) {
      check.Add("partner_city", "partner city " + Quoted(partner) +
                                    " is the home city (expected a different city)");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (SameCity(event.partner_cities[j], partner)) {
        check.Add("partner_city", "partner city " + Quoted(partner) + " is listed twice");
      }
    }
  }
  for (std::size_t i = 0; i < event.topics.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (event.topics[j] == event.topics[i]) {
        check.Add("topics", "topic '" + std::string(ToCode(event.topics[i])) + "' is listed twice");
      }
    }
  }
  check.Entries(event.officials, "officials", "an official's English name");
  for (const Stakeholder& stakeholder : event.stakeholders) {
    if (Trim(stakeholder.name).empty()) {
      check.Add("stakeholders",
                "missing stakeholder name (expected kind:Name, e.g. "
                "business:Bank of China)");
    }
  }
  check.RequireText(event.title_en, "title_en", "an English title");
  check.Sources(event.sources, "source_url", true, "");
}

}  // namespace

bool IsSourceUrl(std::string_view text) {
  const std::string lower = ToLowerAscii(text.substr(0, 8));
  std::size_t scheme = 0;
  if (lower.starts_with("https://")) {
    scheme = 8;
  } else if (lower.starts_with("http://")) {
    scheme = 7;
  } else {
    return false;
  }
  if (text.size() <= scheme) {
    return false;
  }
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
  }
  return true;
}

std::vector<FieldError> ValidateRecord(const Record& record) {
  Checker check;
  std::visit([&](const auto& value) { Check(value, check); }, record);
  return check.Take();
}

}  // namespace citydip
