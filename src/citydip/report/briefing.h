// The briefing on a home city's relation with a partner city (`citydip report`): what the app
// gathers from the registry and the analyses, as plain data, and how it becomes a Document with
// English or Korean labels. Every record row keeps its source URLs; every part that could not be
// computed carries the reason, and its section says so. Docs: docs/reports.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/core/date.h"
#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/report/document.h"

namespace citydip::report {

enum class Language : std::uint8_t { kEnglish, kKorean };
/// "en" or "ko"; kInvalidArgument otherwise.
[[nodiscard]] Result<Language> ParseLanguage(std::string_view code);
[[nodiscard]] std::string_view LanguageCode(Language language);

/// Registry statistics (app::ComputeStats).
struct BriefingStats {
  std::vector<std::pair<std::string, std::int64_t>> counts;  // kind name, records
  std::map<std::string, std::int64_t> events_per_type;       // event type code, events
  std::int64_t supported_claims = 0;
  std::vector<std::string> unsupported_claims;
};

/// One line of the strategy scorecard: a strategy (depth 0), an action (1) or a KPI (2).
struct ScorecardLine {
  int depth = 0;
  std::string id;
  std::string name_en;
  std::string name_ko;
  std::string status;  // met, on_track, behind, no_data
  std::string status_en;
  std::string status_ko;
  std::optional<double> score;  // 0..100 (strategies, actions; KPIs: progress × 100)
  std::string value;            // formatted, KPIs only
  std::string target;
  std::string trend;  // up, down, flat, unknown
  std::string note;
  std::string evidence_en;  // the latest evidence, as text
  std::string evidence_ko;
  std::vector<std::string> sources;
};

struct BriefingScorecard {
  std::string name_en;
  std::string name_ko;
  std::string home;  // the plan's home city
  std::string as_of;
  std::optional<double> score;
  std::string status_en;
  std::string status_ko;
  std::vector<ScorecardLine> lines;
};

struct BriefingOpportunity {
  std::string kind;  // invite, unused_venue, missed_meeting
  std::string organization;
  std::string partner;
  std::string reason;
  double score = 0;
  std::string event;
  std::string date;
};

/// The networks of the partner as seen from the home city, and the openings.
struct BriefingNetwork {
  std::string as_of;
  std::vector<std::string> shared;
  std::vector<std::string> led_by_home_without_partner;
  std::vector<std::string> partner_only;
  std::vector<BriefingOpportunity> opportunities;
};

struct BriefingAnalysis {
  std::string name;
  bool ok = false;
  std::string headline;  // the key number in words, or why it could not run
};

struct BriefingAnalyses {
  std::string index;  // the national index used ("" none)
  std::vector<BriefingAnalysis> lines;
};

/// A part that may be missing: its data, or why not.
template <typename T>
struct Part {
  std::optional<T> data;
  std::string missing;
};

struct BriefingData {
  City home;
  City partner;
  DateRange range;  // the --from/--to of the events (open: all)
  std::string generated_on;
  // The partner profile (app::ShowCity of the partner).
  std::vector<PartnerRelation> relations;
  std::vector<Membership> memberships;
  std::vector<Mechanism> mechanisms;
  std::map<int, std::int64_t> partner_events_per_year;  // all events naming the partner
  std::vector<Event> visits;                            // mayor-level, within the range
  // The events between the home city and the partner within the range, oldest first.
  std::vector<Event> events;
  Part<BriefingStats> stats;
  Part<BriefingScorecard> scorecard;
  Part<BriefingNetwork> network;
  Part<BriefingAnalyses> analyses;
};

/// The briefing as a document with labels in `language`.
[[nodiscard]] Document BuildBriefing(const BriefingData& data, Language language);

}  // namespace citydip::report
