// Checks on a single record that hold whatever the record came from (a file, the HTTP API, the
// CLI): required values, value ranges, ordered date spans, known country codes, sources. Checks
// that need other records (does the city exist? is it a duplicate?) belong to the app layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/model.h"

namespace citydip {

/// One problem with one field of a record. `field` is the canonical column name of registry
/// files ("date", "partner_city", "source_url", "visit_source_url"), so callers can point at the
/// cell or form field; `message` follows the error style (lower-case, names the bad value and what
/// was expected).
struct FieldError {
  std::string field;
  std::string message;

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

/// Every problem of `record`, in column order; empty when the record is valid. Rules:
/// - every record has at least one source, and every source is an http:// or https:// URL;
/// - names that identify a record or a city are non-empty; country codes, when given, are current
///   ISO 3166-1 alpha-3 codes (City::country is required);
/// - end dates are not before start dates (an imprecise end may overlap its start);
/// - latitudes lie in [-90, 90], longitudes in [-180, 180], and come as a pair;
/// - an event has a date, a home city, an English title; its partners differ from the home city
///   and from each other; topics are not repeated;
/// - a visit claim of "yes" or "no" carries its own source; a mechanism links two or more cities.
[[nodiscard]] std::vector<FieldError> ValidateRecord(const Record& record);

/// True for an absolute http:// or https:// URL without white space.
[[nodiscard]] bool IsSourceUrl(std::string_view text);

}  // namespace citydip
