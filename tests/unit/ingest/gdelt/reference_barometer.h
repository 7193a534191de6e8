// A second, deliberately simple implementation of the GDELT barometer for the tests: whole
// files read with std::getline, fields split one by one, numbers read with std::stod / stoll,
// std::map for the groups, zip members inflated with zlib (not ISA-L). It shares no code with
// the engine, so agreement means both read GDELT the same way.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace citydip::test {

struct RefStats {
  std::int64_t events = 0;
  std::int64_t root_events = 0;
  double goldstein_sum = 0;
  double goldstein_mentions_sum = 0;
  double tone_sum = 0;
  std::int64_t mentions = 0;
  std::int64_t sources = 0;
  std::int64_t articles = 0;
  std::array<std::int64_t, 4> quad{};
  std::array<std::int64_t, 20> root{};
};

struct RefTotals {
  std::int64_t events = 0;
  std::int64_t mentions = 0;
  std::int64_t sources = 0;
  std::int64_t articles = 0;
};

struct RefMedia {
  std::int64_t mentions = 0;
  std::array<std::int64_t, 6> by_type{};
  double doc_tone_sum = 0;
  std::int64_t confidence_sum = 0;
};

/// One city of the reference dictionary.
struct RefCity {
  std::string id;
  std::string country;
  std::vector<std::string> names;
  std::vector<std::string> features;
  std::vector<std::string> adm1;
  std::vector<std::string> types;
};

/// (kind "country"/"city", period label, actor1, actor2)
using RefKey = std::tuple<std::string, std::string, std::string, std::string>;

struct RefResult {
  std::map<RefKey, RefStats> pairs;
  std::map<std::string, RefTotals> totals;  // by period label
  std::map<std::string, RefMedia> media;    // by period label
  std::int64_t good_rows = 0;
  std::int64_t bad_rows = 0;
};

/// The bytes of a plain file, or of the only member of a .zip (inflated with zlib).
[[nodiscard]] std::string ReadGdeltFile(const std::string& path);

/// Writes a single-member zip (deflated with zlib, or stored) for fixtures.
void WriteZip(const std::string& path,
              const std::string& member_name,
              const std::string& content,
              bool deflate = true);

/// The period label of a YYYYMMDD date for "day", "month", "quarter" or "year".
[[nodiscard]] std::string RefPeriodLabel(const std::string& yyyymmdd, const std::string& period);

/// Aggregates the files' rows the reference way. Rows the engine must reject (wrong column
/// count, bad numbers, invalid UTF-8) are counted in bad_rows and skipped.
[[nodiscard]] RefResult ReferenceAggregate(const std::vector<std::string>& paths,
                                           const std::string& period,
                                           const std::vector<RefCity>& cities = {},
                                           const std::vector<std::string>& countries = {});

}  // namespace citydip::test
