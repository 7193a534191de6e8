#include "citydip/analytics/strategy/internal/calendar.h"

#include <algorithm>

#include "citydip/analytics/analyses/common.h"

namespace citydip::analytics::strategy::internal {

DayNumber AddMonths(DayNumber day, int months) {
  const CivilDate civil = CivilFromDays(day);
  const int index = civil.year * 12 + (civil.month - 1) + months;
  // Floor division, so that stepping back across year 0 stays correct.
  const int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  const int month = index - year * 12 + 1;
  return DaysFromCivil(year, month, std::min(civil.day, DaysInMonth(year, month)));
}

PartialDate DateOfDay(DayNumber day) {
  const CivilDate civil = CivilFromDays(day);
  return PartialDate::FromParts(civil.year, civil.month, civil.day);
}

DayNumber MidpointDay(const PartialDate& date) {
  return date.FirstDay() + (date.LastDay() - date.FirstDay()) / 2;
}

}  // namespace citydip::analytics::strategy::internal
