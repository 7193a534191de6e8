#include "citydip/ingest/gdelt/period.h"

#include <charconv>
#include <string>

namespace citydip::ingest::gdelt {

std::string_view PeriodName(Period period) {
  switch (period) {
    case Period::kDay:
      return "day";
    case Period::kMonth:
      return "month";
    case Period::kQuarter:
      return "quarter";
    case Period::kYear:
      return "year";
  }
  return "month";
}

Result<Period> ParsePeriod(std::string_view text) {
  for (Period period : {Period::kDay, Period::kMonth, Period::kQuarter, Period::kYear}) {
    if (text == PeriodName(period)) {
      return period;
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(text) + "' is not a period (expected day, month, quarter or year)");
}

DayNumber PeriodStart(Period period, int year, int month, int day) {
  switch (period) {
    case Period::kDay:
      return DaysFromCivil(year, month, day);
    case Period::kMonth:
      return DaysFromCivil(year, month, 1);
    case Period::kQuarter:
      return DaysFromCivil(year, (month - 1) / 3 * 3 + 1, 1);
    case Period::kYear:
      return DaysFromCivil(year, 1, 1);
  }
  return DaysFromCivil(year, month, 1);
}

CivilDate CivilFromDays(DayNumber day) {
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = doy - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = yoe + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

DayNumber PeriodStartOf(Period period, DayNumber day) {
  const CivilDate date = CivilFromDays(day);
  return PeriodStart(period, date.year, date.month, date.day);
}

bool CanRollUp(Period from, Period to) {
  return static_cast<int>(from) <= static_cast<int>(to);
}

namespace {

void AppendNumber(std::string& out, int value, int width) {
  char buffer[16];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  const auto length = static_cast<int>(end - buffer);
  for (int i = length; i < width; ++i) {
    out += '0';
  }
  out.append(buffer, end);
}

}  // namespace

std::string PeriodLabel(Period period, DayNumber start) {
  const CivilDate date = CivilFromDays(start);
  std::string out;
  AppendNumber(out, date.year, 4);
  switch (period) {
    case Period::kDay:
      out += '-';
      AppendNumber(out, date.month, 2);
      out += '-';
      AppendNumber(out, date.day, 2);
      break;
    case Period::kMonth:
      out += '-';
      AppendNumber(out, date.month, 2);
      break;
    case Period::kQuarter:
      out += "-Q";
      AppendNumber(out, (date.month - 1) / 3 + 1, 1);
      break;
    case Period::kYear:
      break;
  }
  return out;
}

std::string IsoDate(DayNumber day) {
  return PeriodLabel(Period::kDay, day);
}

std::optional<DayNumber> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int parts[3] = {0, 0, 0};
  const std::string_view pieces[3] = {text.substr(0, 4), text.substr(5, 2), text.substr(8, 2)};
  for (int i = 0; i < 3; ++i) {
    for (char c : pieces[i]) {
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
    }
    std::from_chars(pieces[i].data(), pieces[i].data() + pieces[i].size(), parts[i]);
  }
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > DaysInMonth(parts[0], parts[1])) {
    return std::nullopt;
  }
  return DaysFromCivil(parts[0], parts[1], parts[2]);
}

}  // namespace citydip::ingest::gdelt
