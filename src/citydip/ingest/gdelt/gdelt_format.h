// The GDELT tab-separated formats citydip reads, told apart by their column count:
// GDELT 1.0 daily event exports (57 columns; 58 with SOURCEURL from 2013-04-01), GDELT 2.0
// 15-minute event exports (61 columns: 1.0's plus three *Geo_ADM2Code) and GDELT 2.0 mentions
// (16 columns). Column positions below are 0-based, from the GDELT event and mentions codebooks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace citydip::ingest::gdelt {

enum class FileKind : std::uint8_t { kEventsV1, kEventsV2, kMentions };

/// "events-v1", "events-v2" or "mentions" (as recorded in the database).
[[nodiscard]] std::string_view FileKindName(FileKind kind);
/// The kind a row with `columns` tab-separated fields belongs to, or nullopt.
[[nodiscard]] std::optional<FileKind> KindForColumnCount(std::size_t columns);
/// True when a row of `columns` fields is valid in a file of `kind` (1.0 files mix 57 and 58).
[[nodiscard]] bool AcceptsColumnCount(FileKind kind, std::size_t columns);
/// "57 or 58", "61" or "16", for messages.
[[nodiscard]] std::string_view ExpectedColumns(FileKind kind);

/// Where the columns the barometer reads are in an event row. The first 35 columns are the same
/// in GDELT 1.0 and 2.0; the geographic blocks differ by the ADM2 column.
struct EventLayout {
  int sql_date = 1;
  int actor1_name = 6;
  int actor1_country = 7;
  int actor1_type1 = 12;  // Type1Code; Type2Code and Type3Code follow
  int actor2_name = 16;
  int actor2_country = 17;
  int actor2_type1 = 22;
  int is_root_event = 25;
  int event_root_code = 28;
  int quad_class = 29;
  int goldstein = 30;
  int num_mentions = 31;
  int num_sources = 32;
  int num_articles = 33;
  int avg_tone = 34;
  int actor1_adm1;
  int actor1_feature_id;
  int actor2_adm1;
  int actor2_feature_id;
  /// The highest column index read (fields after it are only counted).
  int last_used;
};

/// GDELT 1.0 daily exports: Actor1Geo_* at 35–41, Actor2Geo_* at 42–48.
inline constexpr EventLayout kEventsV1Layout{.actor1_adm1 = 38,
                                             .actor1_feature_id = 41,
                                             .actor2_adm1 = 45,
                                             .actor2_feature_id = 48,
                                             .last_used = 48};
/// GDELT 2.0 exports: Actor1Geo_* at 35–42 (ADM2 at 39), Actor2Geo_* at 43–50.
inline constexpr EventLayout kEventsV2Layout{.actor1_adm1 = 38,
                                             .actor1_feature_id = 42,
                                             .actor2_adm1 = 46,
                                             .actor2_feature_id = 50,
                                             .last_used = 50};

/// GDELT 2.0 mentions columns read by the media-volume aggregation.
struct MentionsLayout {
  static constexpr int kGlobalEventId = 0;
  static constexpr int kMentionTimeDate = 2;
  static constexpr int kMentionType = 3;
  static constexpr int kConfidence = 11;
  static constexpr int kDocTone = 13;
  static constexpr int kLastUsed = 13;
};

/// Number of MentionType values (1 WEB, 2 CITATIONONLY, 3 CORE, 4 DTIC, 5 JSTOR,
/// 6 NONTEXTUALSOURCE).
inline constexpr int kMentionTypes = 6;
/// Number of CAMEO root codes (01–20).
inline constexpr int kCameoRoots = 20;

}  // namespace citydip::ingest::gdelt
