// Calendar dates with a precision (year, month or day), as sources give them: "2013",
// "2013-05", "2013-05-13". A date stands for the span of days it may mean.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "citydip/core/result.h"

namespace citydip {

enum class DatePrecision : std::uint8_t { kYear, kMonth, kDay };

/// Days since 1970-01-01 in the proleptic Gregorian calendar.
using DayNumber = std::int32_t;

/// Converts a civil date to a day number (Howard Hinnant's days_from_civil).
[[nodiscard]] DayNumber DaysFromCivil(int year, int month, int day);
/// Number of days in a month (leap years included).
[[nodiscard]] int DaysInMonth(int year, int month);

/// A date of year, month or day precision. Month and day are 0 when not given.
class PartialDate {
 public:
  PartialDate() = default;

  /// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (years 1000–9999). Fails with kInvalidArgument
  /// naming the text and the expected forms.
  [[nodiscard]] static Result<PartialDate> Parse(std::string_view text);
  /// Builds a date from parts; month/day 0 lower the precision. No validation: use Parse for input.
  [[nodiscard]] static PartialDate FromParts(int year, int month = 0, int day = 0);

  [[nodiscard]] int year() const { return year_; }
  [[nodiscard]] int month() const { return month_; }
  [[nodiscard]] int day() const { return day_; }
  [[nodiscard]] DatePrecision precision() const;
  /// True for a default-constructed (empty) date.
  [[nodiscard]] bool empty() const { return year_ == 0; }

  /// The first and last day this date may mean ("2013" → 2013-01-01 .. 2013-12-31).
  [[nodiscard]] DayNumber FirstDay() const;
  [[nodiscard]] DayNumber LastDay() const;

  /// "YYYY", "YYYY-MM" or "YYYY-MM-DD"; "" when empty.
  [[nodiscard]] std::string ToString() const;

  /// Orders by first day, then by precision (coarser first), so sorting is chronological.
  friend std::strong_ordering operator<=>(const PartialDate& a, const PartialDate& b);
  friend bool operator==(const PartialDate& a, const PartialDate& b) = default;

 private:
  int year_ = 0;
  int month_ = 0;
  int day_ = 0;
};

/// How an imprecise date relates to a range.
enum class RangeMatch : std::uint8_t {
  kInside,   // every day the date may mean is in the range
  kPartial,  // some days are in the range, some are not (only possible for imprecise dates)
  kOutside,  // no day is in the range
};

/// An inclusive range of days; an empty bound is open. `--from 2013-05` starts at 2013-05-01 and
/// `--to 2013-05` ends at 2013-05-31.
struct DateRange {
  PartialDate from;
  PartialDate to;

  /// Where `date` falls. An empty date is kOutside unless the range is fully open.
  [[nodiscard]] RangeMatch Match(const PartialDate& date) const;
  [[nodiscard]] bool IsOpen() const { return from.empty() && to.empty(); }
};

}  // namespace citydip
