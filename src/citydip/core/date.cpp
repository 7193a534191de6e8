#include "citydip/core/date.h"

#include <charconv>
#include <cstdio>

namespace citydip {
namespace {

bool IsLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool ParseDigits(std::string_view text, int& out) {
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

DayNumber DaysFromCivil(int year, int month, int day) {
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeap(year)) {
    return 29;
  }
  return kDays[month - 1];
}

Result<PartialDate> PartialDate::Parse(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + std::string(text) + "' is not a valid date" +
                    (why.empty() ? std::string() : " (" + std::string(why) + ")") +
                    " (expected YYYY, YYYY-MM or YYYY-MM-DD)");
  };
  PartialDate date;
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) {
    return bad("");
  }
  if (!ParseDigits(text.substr(0, 4), date.year_) || date.year_ < 1000) {
    return bad("");
  }
  if (text.size() >= 7) {
    if (text[4] != '-' || !ParseDigits(text.substr(5, 2), date.month_)) {
      return bad("");
    }
    if (date.month_ < 1 || date.month_ > 12) {
      return bad("month out of range");
    }
  }
  if (text.size() == 10) {
    if (text[7] != '-' || !ParseDigits(text.substr(8, 2), date.day_)) {
      return bad("");
    }
    if (date.day_ < 1 || date.day_ > DaysInMonth(date.year_, date.month_)) {
      return bad("day out of range");
    }
  }
  return date;
}

PartialDate PartialDate::FromParts(int year, int month, int day) {
  PartialDate date;
  date.year_ = year;
  date.month_ = month;
  date.day_ = month == 0 ? 0 : day;
  return date;
}

DatePrecision PartialDate::precision() const {
  if (day_ != 0) {
    return DatePrecision::kDay;
  }
  return month_ != 0 ? DatePrecision::kMonth : DatePrecision::kYear;
}

DayNumber PartialDate::FirstDay() const {
  return DaysFromCivil(year_, month_ == 0 ? 1 : month_, day_ == 0 ? 1 : day_);
}

DayNumber PartialDate::LastDay() const {
  const int month = month_ == 0 ? 12 : month_;
  const int day = day_ == 0 ? DaysInMonth(year_, month) : day_;
  return DaysFromCivil(year_, month, day);
}

std::string PartialDate::ToString() const {
  char buffer[16];
  if (empty()) {
    return {};
  }
  if (month_ == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d", year_);
  } else if (day_ == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year_, month_);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year_, month_, day_);
  }
  return buffer;
}

std::strong_ordering operator<=>(const PartialDate& a, const PartialDate& b) {
  if (a.empty() || b.empty()) {
    return b.empty() <=> a.empty();  // empty dates sort first
  }
  if (auto order = a.FirstDay() <=> b.FirstDay(); order != 0) {
    return order;
  }
  return static_cast<int>(a.precision()) <=> static_cast<int>(b.precision());
}

RangeMatch DateRange::Match(const PartialDate& date) const {
  if (date.empty()) {
    return IsOpen() ? RangeMatch::kInside : RangeMatch::kOutside;
  }
  const DayNumber first = date.FirstDay();
  const DayNumber last = date.LastDay();
  const DayNumber lo = from.empty() ? INT32_MIN : from.FirstDay();
  const DayNumber hi = to.empty() ? INT32_MAX : to.LastDay();
  if (last < lo || first > hi) {
    return RangeMatch::kOutside;
  }
  if (first >= lo && last <= hi) {
    return RangeMatch::kInside;
  }
  return RangeMatch::kPartial;
}

}  // namespace citydip
