// The barometer tables: per period and directed pair (countries or cities), the sums GDELT's
// event rows give, from which counts, sums and means are read. Sums, not means, are kept so
// that files, threads and periods add up exactly; means are computed when a series is shown.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/ingest/gdelt/gdelt_format.h"
#include "citydip/ingest/gdelt/period.h"

namespace citydip::ingest::gdelt {

/// Adds the sums of `from` into `into`: any two types with PairStats' fields (PairStats, the
/// reader's copy with 32-bit counts, the store's BarometerSums).
template <typename Into, typename From>
void AddPairSums(Into& into, const From& from) {
  into.events += from.events;
  into.root_events += from.root_events;
  into.goldstein_sum += from.goldstein_sum;
  into.goldstein_mentions_sum += from.goldstein_mentions_sum;
  into.tone_sum += from.tone_sum;
  into.mentions += from.mentions;
  into.sources += from.sources;
  into.articles += from.articles;
  for (std::size_t i = 0; i < into.quad.size(); ++i) {
    into.quad[i] += from.quad[i];
  }
  for (std::size_t i = 0; i < into.root.size(); ++i) {
    into.root[i] += from.root[i];
  }
}

/// The sums of one (period, actor1, actor2) group.
struct PairStats {
  std::int64_t events = 0;
  std::int64_t root_events = 0;  // IsRootEvent = 1
  double goldstein_sum = 0;
  double goldstein_mentions_sum = 0;             // Σ GoldsteinScale × NumMentions
  double tone_sum = 0;                           // Σ AvgTone
  std::int64_t mentions = 0;                     // Σ NumMentions
  std::int64_t sources = 0;                      // Σ NumSources
  std::int64_t articles = 0;                     // Σ NumArticles
  std::array<std::int64_t, 4> quad{};            // rows with QuadClass 1..4
  std::array<std::int64_t, kCameoRoots> root{};  // rows with EventRootCode 01..20

  void Add(const PairStats& other);
  /// Σ Goldstein / events; 0 without events.
  [[nodiscard]] double GoldsteinMean() const;
  /// Σ Goldstein × NumMentions / Σ NumMentions; 0 without mentions.
  [[nodiscard]] double GoldsteinMentionsWeighted() const;
  /// Σ AvgTone / events; 0 without events.
  [[nodiscard]] double ToneMean() const;

  friend bool operator==(const PairStats&, const PairStats&) = default;
};

/// Every event row of a period, whether or not it has a country pair: the denominators of
/// volume normalization ("share of coverage").
struct PeriodTotals {
  std::int64_t events = 0;
  std::int64_t mentions = 0;
  std::int64_t sources = 0;
  std::int64_t articles = 0;

  void Add(const PeriodTotals& other);
  friend bool operator==(const PeriodTotals&, const PeriodTotals&) = default;
};

/// The media-volume side, from GDELT 2.0 mentions files, per period of MentionTimeDate.
struct MediaVolume {
  std::int64_t mentions = 0;
  std::array<std::int64_t, kMentionTypes> by_type{};  // MentionType 1..6
  double doc_tone_sum = 0;                            // Σ MentionDocTone
  std::int64_t confidence_sum = 0;                    // Σ Confidence

  void Add(const MediaVolume& other);
  friend bool operator==(const MediaVolume&, const MediaVolume&) = default;
};

/// Countries are CAMEO actor country codes (Actor1CountryCode, e.g. KOR); cities are ids from
/// the city-actor dictionary (e.g. seoul).
enum class PairKind : std::uint8_t { kCountry, kCity };

/// "country" or "city".
[[nodiscard]] std::string_view PairKindName(PairKind kind);

struct PairRow {
  PairKind kind = PairKind::kCountry;
  DayNumber period_start = 0;
  std::string actor1;
  std::string actor2;
  PairStats stats;
};

struct TotalsRow {
  DayNumber period_start = 0;
  PeriodTotals totals;
};

struct MediaRow {
  DayNumber period_start = 0;
  MediaVolume volume;
};

/// Aggregates of one or more files at one period granularity; pairs grouped by kind, then by
/// actors and period.
struct Barometer {
  Period period = Period::kMonth;
  std::vector<PairRow> pairs;
  std::vector<TotalsRow> totals;
  std::vector<MediaRow> media;

  [[nodiscard]] bool empty() const { return pairs.empty() && totals.empty() && media.empty(); }
};

}  // namespace citydip::ingest::gdelt
