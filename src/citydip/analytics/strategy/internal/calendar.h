// Day arithmetic the scorecard needs beyond core/date.h and analyses/common.h: whole-month steps
// and where an imprecise date counts.
#pragma once

#include "citydip/core/date.h"

namespace citydip::analytics::strategy::internal {

/// The same day `months` months later (earlier when negative), clamped to the month's last day.
[[nodiscard]] DayNumber AddMonths(DayNumber day, int months);
/// A day-precision date.
[[nodiscard]] PartialDate DateOfDay(DayNumber day);
/// The middle day of the span a date may mean ("2013" → 2013-07-02); where imprecise dates count.
[[nodiscard]] DayNumber MidpointDay(const PartialDate& date);

}  // namespace citydip::analytics::strategy::internal
