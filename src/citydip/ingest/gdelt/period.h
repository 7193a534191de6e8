// Barometer periods: the calendar span (day, month, quarter or year of SQLDATE, the event's date)
// that aggregates are summed over. A period is identified by the day number of its first day,
// which sorts chronologically and rolls up from finer to coarser periods.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "citydip/core/date.h"
#include "citydip/core/result.h"

namespace citydip::ingest::gdelt {

/// The span aggregates are summed over, from finest to coarsest.
enum class Period : std::uint8_t { kDay, kMonth, kQuarter, kYear };

/// "day", "month", "quarter" or "year".
[[nodiscard]] std::string_view PeriodName(Period period);
/// Parses a period name; fails with kInvalidArgument naming the text and the allowed names.
[[nodiscard]] Result<Period> ParsePeriod(std::string_view text);

/// The first day of the period containing the civil date (no validation of the date).
[[nodiscard]] DayNumber PeriodStart(Period period, int year, int month, int day);
/// The first day of the `period` containing `day`.
[[nodiscard]] DayNumber PeriodStartOf(Period period, DayNumber day);

/// True when a finer-or-equal period `from` can be summed up into `to` (day → anything,
/// month → quarter or year, quarter → year).
[[nodiscard]] bool CanRollUp(Period from, Period to);

/// The label of the period starting on `start`: "2015-02-18" (day), "2015-02" (month),
/// "2015-Q1" (quarter), "2015" (year).
[[nodiscard]] std::string PeriodLabel(Period period, DayNumber start);

/// "YYYY-MM-DD" of a day number (the stored form of a period start).
[[nodiscard]] std::string IsoDate(DayNumber day);
/// Parses "YYYY-MM-DD" back to a day number; nullopt when malformed.
[[nodiscard]] std::optional<DayNumber> ParseIsoDate(std::string_view text);

/// The civil date of a day number (Howard Hinnant's civil_from_days).
struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};
[[nodiscard]] CivilDate CivilFromDays(DayNumber day);

}  // namespace citydip::ingest::gdelt
