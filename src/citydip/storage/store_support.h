// Helpers shared by the store backends, so that every backend validates records, words its errors
// and applies the duplicate-key and date-range rules the same way (the conformance tests in
// tests/unit/storage check the wording).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"

namespace citydip::storage {

/// The singular noun of a kind for messages: "city", "partner relation", ...
[[nodiscard]] std::string_view RecordKindNoun(RecordKind kind);

/// "'Pekin' (country CHN)", or "'Pekin'" when the reference has no country.
[[nodiscard]] std::string DescribeCityRef(const CityRef& ref);

/// kInvalidArgument "unknown city 'Pekin' (country CHN)"; `field` (e.g. "partner_cities") is the
/// error's location, so an importer can prefix its file and line.
[[nodiscard]] Error UnknownCityError(const CityRef& ref, std::string_view field);
/// kInvalidArgument "city 'Cordoba' is ambiguous: it exists in ARG, ESP (give the country)".
[[nodiscard]] Error AmbiguousCityError(const CityRef& ref,
                                       const std::vector<std::string>& countries,
                                       std::string_view field);
/// kInvalidArgument "unknown organization 'UCLGG'" (`what` is "organization", "mechanism",
/// "official").
[[nodiscard]] Error UnknownReferenceError(std::string_view what,
                                          std::string_view name,
                                          std::string_view field);
/// kConflict "record was changed by someone else (version N, yours M)".
[[nodiscard]] Error VersionConflictError(std::int64_t stored, std::int64_t yours);
/// kNotFound "no event with id 42".
[[nodiscard]] Error RecordNotFoundError(RecordKind kind, RecordId id);
/// kFailedPrecondition for a database whose schema is newer than this build, naming both
/// versions.
[[nodiscard]] Error NewerSchemaError(int database_version, std::string_view database);
/// kFailedPrecondition for a database that has not been migrated to kSchemaVersion.
[[nodiscard]] Error OutdatedSchemaError(int database_version, std::string_view database);

/// Checks what the store needs of a record before resolving its references: required names and
/// keys are non-empty, a country is three upper-case letters, coordinates are in range, an event
/// has a date and at least one source, list entries are non-empty. kInvalidArgument naming the
/// field and the bad value. (Not the full rules of citydip::ValidateRecord in core/validation.h;
/// a file that includes both must call this one as storage::ValidateRecord.)
[[nodiscard]] Status ValidateRecord(const Record& record);

/// Checks limit (-1 or more) and offset (0 or more) of a filter.
[[nodiscard]] Status ValidateEventFilter(const EventFilter& filter);

/// The inclusive day bounds of a filter's range; an open bound is nullopt.
struct DayBounds {
  std::optional<DayNumber> first;
  std::optional<DayNumber> last;
};
/// `--from 2013-05` starts at 2013-05-01, `--to 2013-05` ends at 2013-05-31.
[[nodiscard]] DayBounds FilterDayBounds(const EventFilter& filter);

/// The English title as compared by the duplicate key: trimmed, inner white space collapsed to one
/// space, ASCII lower-cased.
[[nodiscard]] std::string DuplicateTitleKey(std::string_view title);

}  // namespace citydip::storage
