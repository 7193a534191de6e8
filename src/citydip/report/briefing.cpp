#include "citydip/report/briefing.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "citydip/core/taxonomy.h"

namespace citydip::report {
namespace {

/// An English and a Korean text; Pick chooses by language.
struct Text {
  std::string_view en;
  std::string_view ko;
};

class Labels {
 public:
  explicit Labels(Language language) : korean_(language == Language::kKorean) {}
  [[nodiscard]] bool korean() const { return korean_; }
  [[nodiscard]] std::string operator()(Text text) const {
    return std::string(korean_ ? text.ko : text.en);
  }
  [[nodiscard]] std::string Pick(const std::string& en, const std::string& ko) const {
    if (korean_) {
      return ko.empty() ? en : ko;
    }
    return en.empty() ? ko : en;
  }
  template <typename E>
  [[nodiscard]] std::string Vocab(E value) const {
    const auto& entry = EntryOf(value);
    return std::string(korean_ ? entry.label_ko : entry.label_en);
  }
  template <typename E>
  [[nodiscard]] std::string Vocab(const std::optional<E>& value) const {
    return value ? Vocab(*value) : (*this)({"unknown", "미상"});
  }

 private:
  bool korean_;
};

std::string Fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return "-";
  }
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, decimals);
  return {buffer, result.ptr};
}

Cell Count(std::int64_t value) {
  return Cell::Number(static_cast<double>(value), std::to_string(value));
}

std::string CityName(const City& city, const Labels& l) {
  return l.Pick(city.name_en, city.name_ko);
}

/// "Beijing / 베이징": both names, the chosen language first.
std::string BothNames(const City& city, const Labels& l) {
  if (city.name_ko.empty() || city.name_ko == city.name_en) {
    return city.name_en;
  }
  return l.korean() ? city.name_ko + " / " + city.name_en : city.name_en + " / " + city.name_ko;
}

std::string RefName(const CityRef& ref) {
  return ref.country.empty() ? ref.name : ref.name + " (" + ref.country + ")";
}

std::string JoinText(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

std::string DateText(const PartialDate& date) {
  return date.empty() ? "" : date.ToString();
}

std::string RangeText(const DateRange& range, const Labels& l) {
  if (range.IsOpen()) {
    return l({"all years", "전체 기간"});
  }
  const std::string from = range.from.empty() ? "…" : range.from.ToString();
  const std::string to = range.to.empty() ? "…" : range.to.ToString();
  return from + " – " + to;
}

std::string EventTitle(const Event& event, const Labels& l) {
  return l.Pick(event.title_en, event.title_ko);
}

std::string MissingText(const std::string& why, const Labels& l) {
  return l({"Not available: ", "자료 없음: "}) + why;
}

// --- sections ---------------------------------------------------------------------------------

Section Overview(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "overview";
  section.title = l({"Overview", "개요"});
  const CityRef home = data.home.Ref();
  std::vector<std::string> relations;
  for (const auto& relation : data.relations) {
    if (relation.city_a == home || relation.city_b == home) {
      std::string text = l.Vocab(relation.relation);
      if (!relation.since.empty()) {
        text += l.korean() ? " · " + relation.since.ToString() + "부터"
                           : " since " + relation.since.ToString();
      }
      text += " (" + l.Vocab(relation.status) + ")";
      relations.push_back(text);
    }
  }
  std::size_t visits = data.visits.size();
  DataTable table;
  table.sheet = "Key figures";
  table.title = l({"Key figures", "주요 지표"});
  table.headers = {l({"Indicator", "지표"}), l({"Value", "값"})};
  table.widths = {40, 60};
  table.rows.push_back({l({"Home city", "본 도시"}), BothNames(data.home, l)});
  table.rows.push_back({l({"Partner city", "상대 도시"}), BothNames(data.partner, l)});
  table.rows.push_back({l({"Partner country", "상대 국가"}), data.partner.country});
  table.rows.push_back(
      {l({"Relation with the home city", "본 도시와의 관계"}),
       relations.empty() ? l({"none recorded", "기록 없음"}) : JoinText(relations, "; ")});
  table.rows.push_back({l({"Events between the two (period)", "두 도시 간 교류 (기간 내)"}),
                        Count(static_cast<std::int64_t>(data.events.size()))});
  if (!data.events.empty()) {
    table.rows.push_back(
        {l({"First and latest event", "첫 교류와 최근 교류"}),
         DateText(data.events.front().date) + " – " + DateText(data.events.back().date)});
  }
  table.rows.push_back(
      {l({"Mayor-level visits and meetings (period)", "시장급 방문·회담 (기간 내)"}),
       Count(static_cast<std::int64_t>(visits))});
  table.rows.push_back({l({"Standing mechanisms", "상설 협의체"}),
                        Count(static_cast<std::int64_t>(data.mechanisms.size()))});
  table.rows.push_back({l({"Partner's network memberships", "상대 도시의 도시 네트워크 가입"}),
                        Count(static_cast<std::int64_t>(data.memberships.size()))});
  section.paragraphs.push_back(
      l.korean() ? "이 보고서는 citydip 등록부에 기록된 " + CityName(data.home, l) + "–" +
                       CityName(data.partner, l) +
                       " 교류를 정리한 것입니다. 모든 기록에는 출처 URL이 붙어 있습니다."
                 : "This briefing sums up what the citydip registry records of " +
                       CityName(data.home, l) + "'s relation with " + CityName(data.partner, l) +
                       ". Every record row carries its source URLs.");
  section.tables.push_back(std::move(table));
  return section;
}

Section Profile(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "profile";
  section.title = l({"Partner profile", "상대 도시 프로필"});
  const std::string sources_header = l({"Sources", "출처"});

  DataTable city;
  city.sheet = "Profile";
  city.title = BothNames(data.partner, l);
  city.headers = {l({"Field", "항목"}), l({"Value", "값"}), sources_header};
  city.widths = {24, 40, 60};
  const City& partner = data.partner;
  city.rows.push_back(
      {l({"English name", "영문 이름"}), partner.name_en, Cell::Links(partner.sources)});
  city.rows.push_back(
      {l({"Korean name", "한국어 이름"}), partner.name_ko, Cell::Links(partner.sources)});
  if (!partner.name_zh.empty()) {
    city.rows.push_back(
        {l({"Chinese name", "중국어 이름"}), partner.name_zh, Cell::Links(partner.sources)});
  }
  city.rows.push_back({l({"Country", "국가"}), partner.country, Cell::Links(partner.sources)});
  city.rows.push_back({l({"Kind", "유형"}), l.Vocab(partner.kind), Cell::Links(partner.sources)});
  if (!partner.wikidata_id.empty()) {
    city.rows.push_back({"Wikidata", partner.wikidata_id,
                         Cell::Links({"https://www.wikidata.org/wiki/" + partner.wikidata_id})});
  }
  section.tables.push_back(std::move(city));

  DataTable relations;
  relations.sheet = "Relations";
  relations.title = l({"Partner relations", "결연 관계"});
  relations.headers = {l({"City", "도시"}),  l({"City", "도시"}),  l({"Relation", "관계"}),
                       l({"Since", "시작"}), l({"Until", "종료"}), l({"Status", "상태"}),
                       sources_header};
  relations.widths = {20, 20, 18, 12, 12, 12, 60};
  relations.empty_note = l({"No partner relation recorded.", "기록된 결연 관계가 없습니다."});
  for (const auto& relation : data.relations) {
    relations.rows.push_back({RefName(relation.city_a), RefName(relation.city_b),
                              l.Vocab(relation.relation), DateText(relation.since),
                              DateText(relation.until), l.Vocab(relation.status),
                              Cell::Links(relation.sources)});
  }
  section.tables.push_back(std::move(relations));

  DataTable memberships;
  memberships.sheet = "Memberships";
  memberships.title = l({"City-network memberships", "도시 네트워크 가입"});
  memberships.headers = {l({"Organization", "기구"}), l({"Role", "역할"}), l({"Since", "시작"}),
                         l({"Until", "종료"}), sources_header};
  memberships.widths = {40, 18, 12, 12, 60};
  memberships.empty_note = l({"No membership recorded.", "기록된 가입 정보가 없습니다."});
  for (const auto& membership : data.memberships) {
    memberships.rows.push_back({membership.organization, l.Vocab(membership.role),
                                DateText(membership.since), DateText(membership.until),
                                Cell::Links(membership.sources)});
  }
  section.tables.push_back(std::move(memberships));

  DataTable mechanisms;
  mechanisms.sheet = "Mechanisms";
  mechanisms.title = l({"Standing mechanisms", "상설 협의체"});
  mechanisms.headers = {l({"Name", "이름"}),  l({"Cities", "도시"}), l({"Founded", "설립"}),
                        l({"Ended", "종료"}), l({"Fields", "분야"}), sources_header};
  mechanisms.widths = {40, 30, 12, 12, 30, 60};
  mechanisms.empty_note = l({"No standing mechanism recorded.", "기록된 상설 협의체가 없습니다."});
  for (const auto& mechanism : data.mechanisms) {
    std::vector<std::string> cities;
    for (const auto& ref : mechanism.cities) {
      cities.push_back(ref.name);
    }
    mechanisms.rows.push_back({l.Pick(mechanism.name_en, mechanism.name_ko), JoinText(cities),
                               DateText(mechanism.founded), DateText(mechanism.ended),
                               JoinText(mechanism.fields), Cell::Links(mechanism.sources)});
  }
  section.tables.push_back(std::move(mechanisms));

  DataTable per_year;
  per_year.sheet = "Events per year";
  per_year.title = l({"Events per year", "연도별 교류"});
  per_year.headers = {l({"Year", "연도"}), l({"Events naming the partner", "상대 도시 관련 교류"}),
                      l({"With the home city (period)", "본 도시와의 교류 (기간 내)"})};
  per_year.widths = {10, 28, 30};
  per_year.empty_note = l({"No event recorded.", "기록된 교류가 없습니다."});
  std::map<int, std::int64_t> with_home;
  for (const auto& event : data.events) {
    if (!event.date.empty()) {
      ++with_home[event.date.year()];
    }
  }
  std::set<int> years;
  for (const auto& [year, count] : data.partner_events_per_year) {
    years.insert(year);
  }
  for (const auto& [year, count] : with_home) {
    years.insert(year);
  }
  for (const int year : years) {
    const auto all = data.partner_events_per_year.find(year);
    const auto home = with_home.find(year);
    per_year.rows.push_back({Cell::Number(year, std::to_string(year)),
                             Count(all == data.partner_events_per_year.end() ? 0 : all->second),
                             Count(home == with_home.end() ? 0 : home->second)});
  }
  section.tables.push_back(std::move(per_year));

  DataTable visits;
  visits.sheet = "Visits";
  visits.title = l({"Mayor-level visits and meetings", "시장급 방문·회담"});
  visits.headers = {l({"Date", "날짜"}),  l({"Type", "유형"}),      l({"Direction", "방향"}),
                    l({"Title", "제목"}), l({"Officials", "인사"}), sources_header};
  visits.widths = {12, 18, 18, 60, 30, 60};
  visits.empty_note = l({"No mayor-level visit recorded.", "기록된 시장급 방문이 없습니다."});
  for (const auto& event : data.visits) {
    visits.rows.push_back({DateText(event.date), l.Vocab(event.type), l.Vocab(event.direction),
                           EventTitle(event, l), JoinText(event.officials),
                           Cell::Links(event.sources)});
  }
  section.tables.push_back(std::move(visits));
  return section;
}

Section Events(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "events";
  section.title = l({"Exchanges between the two cities", "두 도시 간 교류 기록"});
  section.paragraphs.push_back(l({"Period: ", "기간: "}) + RangeText(data.range, l) + ". " +
                               (l.korean()
                                    ? "날짜가 부정확한 기록(연·월 단위)도 기간과 겹치면 포함합니다."
                                    : "Events dated only to a year or month are included "
                                      "when they overlap the period."));
  if (!data.events.empty()) {
    std::map<int, std::int64_t> per_year;
    for (const auto& event : data.events) {
      if (!event.date.empty()) {
        ++per_year[event.date.year()];
      }
    }
    if (!per_year.empty()) {
      BarChart chart;
      chart.title = l({"Events per year", "연도별 교류 건수"});
      chart.y_label = l({"events", "건"});
      for (int year = per_year.begin()->first; year <= per_year.rbegin()->first; ++year) {
        const auto found = per_year.find(year);
        chart.bars.emplace_back(std::to_string(year),
                                found == per_year.end() ? 0.0 : static_cast<double>(found->second));
      }
      section.charts.push_back(std::move(chart));
    }
    std::map<EventType, std::int64_t> per_type;
    for (const auto& event : data.events) {
      ++per_type[event.type];
    }
    BarChart types;
    types.title = l({"Events by type", "유형별 교류 건수"});
    types.y_label = l({"events", "건"});
    for (const auto& [type, count] : per_type) {
      types.bars.emplace_back(l.Vocab(type), static_cast<double>(count));
    }
    section.charts.push_back(std::move(types));
  }
  DataTable events;
  events.sheet = "Events";
  events.title = l({"Events with their sources", "교류 기록과 출처"});
  events.headers = {l({"ID", "ID"}),       l({"Date", "날짜"}),
                    l({"Type", "유형"}),   l({"Direction", "방향"}),
                    l({"Level", "급"}),    l({"Framework", "틀"}),
                    l({"Title", "제목"}),  l({"Organization / mechanism", "기구·협의체"}),
                    l({"Status", "상태"}), l({"Sources", "출처"})};
  events.widths = {8, 12, 18, 18, 14, 16, 60, 30, 10, 60};
  events.empty_note = l({"No event between the two cities is recorded in this period.",
                         "이 기간에 기록된 두 도시 간 교류가 없습니다."});
  for (const auto& event : data.events) {
    std::string venue = event.organization;
    if (!event.mechanism.empty()) {
      venue += (venue.empty() ? "" : "; ") + event.mechanism;
    }
    events.rows.push_back({event.ref, DateText(event.date), l.Vocab(event.type),
                           l.Vocab(event.direction), l.Vocab(event.level), l.Vocab(event.framework),
                           EventTitle(event, l), venue, l.Vocab(event.status),
                           Cell::Links(event.sources)});
  }
  section.tables.push_back(std::move(events));
  return section;
}

Section Stats(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "stats";
  section.title = l({"Registry statistics", "등록부 통계"});
  if (!data.stats.data) {
    section.missing = MissingText(data.stats.missing, l);
    return section;
  }
  const BriefingStats& stats = *data.stats.data;
  section.paragraphs.push_back(l({"Counts over the whole registry, not only the two cities.",
                                  "두 도시뿐 아니라 등록부 전체의 집계입니다."}));
  DataTable counts;
  counts.sheet = "Stats";
  counts.title = l({"Records per kind", "종류별 기록 수"});
  counts.headers = {l({"Kind", "종류"}), l({"Records", "건수"})};
  counts.widths = {24, 12};
  for (const auto& [kind, count] : stats.counts) {
    counts.rows.push_back({kind, Count(count)});
  }
  section.tables.push_back(std::move(counts));

  DataTable types;
  types.sheet = "Events by type";
  types.title = l({"Events per type", "유형별 교류"});
  types.headers = {l({"Type", "유형"}), l({"Events", "건수"})};
  types.widths = {28, 12};
  types.empty_note = l({"No event recorded.", "기록된 교류가 없습니다."});
  for (const auto& [code, count] : stats.events_per_type) {
    const auto type = ParseEnum<EventType>(code);
    types.rows.push_back({type ? l.Vocab(*type) : code, Count(count)});
  }
  section.tables.push_back(std::move(types));

  DataTable claims;
  claims.sheet = "Visit claims";
  claims.title = l(
      {"Officials' visit claims checked against the events", "공직자 방문 주장과 교류 기록 대조"});
  claims.headers = {l({"Check", "대조"}), l({"Result", "결과"})};
  claims.widths = {30, 90};
  claims.rows.push_back({l({"Claims supported by events", "교류 기록으로 뒷받침되는 주장"}),
                         Count(stats.supported_claims)});
  for (const auto& line : stats.unsupported_claims) {
    claims.rows.push_back({l({"Unsupported claim", "뒷받침되지 않는 주장"}), line});
  }
  section.tables.push_back(std::move(claims));
  return section;
}

Section Scorecard(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "scorecard";
  section.title = l({"Strategy scorecard", "전략 성과표"});
  if (!data.scorecard.data) {
    section.missing = MissingText(data.scorecard.missing, l);
    return section;
  }
  const BriefingScorecard& card = *data.scorecard.data;
  std::string summary = l.Pick(card.name_en, card.name_ko) + " — " + l({"as of ", "기준일 "}) +
                        card.as_of + " — " + l({"overall ", "종합 "}) +
                        (card.score ? Fixed(*card.score, 0) + "/100" : "-") + " (" +
                        l.Pick(card.status_en, card.status_ko) + ")";
  section.paragraphs.push_back(summary);
  DataTable table;
  table.sheet = "Scorecard";
  table.title = l({"Strategies, actions and KPIs", "전략·과제·성과지표"});
  table.headers = {l({"Level", "구분"}),  l({"ID", "ID"}),      l({"Name", "이름"}),
                   l({"Status", "상태"}), l({"Score", "점수"}), l({"Value", "값"}),
                   l({"Target", "목표"}), l({"Trend", "추세"}), l({"Evidence", "근거"}),
                   l({"Sources", "출처"})};
  table.widths = {10, 14, 50, 12, 8, 12, 12, 8, 60, 60};
  table.empty_note = l({"The plan has no strategy.", "계획에 전략이 없습니다."});
  for (const auto& line : card.lines) {
    const std::string level = line.depth == 0   ? l({"strategy", "전략"})
                              : line.depth == 1 ? l({"action", "과제"})
                                                : l({"KPI", "지표"});
    const std::string indent = line.depth == 0 ? "" : line.depth == 1 ? "  " : "    ";
    std::string evidence = l.Pick(line.evidence_en, line.evidence_ko);
    if (!line.note.empty()) {
      evidence = line.note + (evidence.empty() ? "" : " — " + evidence);
    }
    table.rows.push_back({level, line.id, indent + l.Pick(line.name_en, line.name_ko),
                          l.Pick(line.status_en, line.status_ko),
                          line.score ? Cell::Number(*line.score, Fixed(*line.score, 0)) : Cell("-"),
                          line.value, line.target, line.trend, evidence,
                          Cell::Links(line.sources)});
  }
  section.tables.push_back(std::move(table));
  return section;
}

std::string OpportunityKindLabel(const std::string& kind, const Labels& l) {
  if (kind == "invite") {
    return l({"invite to a network the home city leads", "본 도시가 이끄는 네트워크에 초청"});
  }
  if (kind == "unused_venue") {
    return l({"shared network, no bilateral meeting in it", "공동 가입 네트워크 미활용"});
  }
  if (kind == "missed_meeting") {
    return l({"met at a multilateral event, no bilateral meeting", "다자 행사에서 양자 회담 없음"});
  }
  return kind;
}

Section Network(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "network";
  section.title = l({"Network opportunities", "네트워크 기회"});
  if (!data.network.data) {
    section.missing = MissingText(data.network.missing, l);
    return section;
  }
  const BriefingNetwork& network = *data.network.data;
  section.paragraphs.push_back(l({"Memberships current as of ", "회원 자격 기준일: "}) +
                               (network.as_of.empty() ? l({"today", "오늘"}) : network.as_of) +
                               ".");
  DataTable networks;
  networks.sheet = "Networks";
  networks.title = l({"City networks of the two cities", "두 도시의 도시 네트워크"});
  networks.headers = {l({"Relation", "구분"}), l({"Organizations", "기구"})};
  networks.widths = {40, 90};
  const std::string none = l({"none", "없음"});
  const auto list = [&](const std::vector<std::string>& items) {
    return items.empty() ? none : JoinText(items, "; ");
  };
  networks.rows.push_back({l({"Both are members", "공동 가입"}), list(network.shared)});
  networks.rows.push_back(
      {l({"Led by the home city, partner not a member", "본 도시가 이끌고 상대 도시는 미가입"}),
       list(network.led_by_home_without_partner)});
  networks.rows.push_back({l({"Partner only", "상대 도시만 가입"}), list(network.partner_only)});
  section.tables.push_back(std::move(networks));

  DataTable openings;
  openings.sheet = "Opportunities";
  openings.title = l({"Openings, best first", "기회 (우선순위순)"});
  openings.headers = {l({"Kind", "유형"}),  l({"Organization", "기구"}), l({"Reason", "근거"}),
                      l({"Score", "점수"}), l({"Event", "행사"}),        l({"Date", "날짜"})};
  openings.widths = {36, 36, 70, 8, 20, 12};
  openings.empty_note = l({"No opening found.", "발견된 기회가 없습니다."});
  for (const auto& item : network.opportunities) {
    openings.rows.push_back({OpportunityKindLabel(item.kind, l), item.organization, item.reason,
                             Cell::Number(item.score, Fixed(item.score, 2)), item.event,
                             item.date});
  }
  section.tables.push_back(std::move(openings));
  return section;
}

Section Analyses(const BriefingData& data, const Labels& l) {
  Section section;
  section.id = "analyses";
  section.title = l({"Analyses", "분석"});
  if (!data.analyses.data) {
    section.missing = MissingText(data.analyses.missing, l);
    return section;
  }
  const BriefingAnalyses& analyses = *data.analyses.data;
  section.paragraphs.push_back(l({"National index: ", "국가 관계 지수: "}) +
                               (analyses.index.empty() ? l({"none", "없음"}) : analyses.index) +
                               ".");
  DataTable table;
  table.sheet = "Analyses";
  table.title = l({"Key result of each analysis", "분석별 핵심 결과"});
  table.headers = {l({"Analysis", "분석"}), l({"Ran", "실행"}), l({"Result", "결과"})};
  table.widths = {24, 8, 100};
  table.empty_note = l({"No analysis ran.", "실행된 분석이 없습니다."});
  for (const auto& line : analyses.lines) {
    table.rows.push_back(
        {line.name, line.ok ? l({"yes", "예"}) : l({"no", "아니오"}), line.headline});
  }
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace

Cell Cell::Number(double value, std::string text) {
  Cell cell(std::move(text));
  cell.number = value;
  return cell;
}

Cell Cell::Links(std::vector<std::string> urls) {
  Cell cell;
  cell.links = std::move(urls);
  return cell;
}

Result<Language> ParseLanguage(std::string_view code) {
  if (code == "en") {
    return Language::kEnglish;
  }
  if (code == "ko") {
    return Language::kKorean;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "'" + std::string(code) + "' is not a report language (expected en, ko)");
}

std::string_view LanguageCode(Language language) {
  return language == Language::kKorean ? "ko" : "en";
}

Document BuildBriefing(const BriefingData& data, Language language) {
  const Labels l(language);
  Document doc;
  doc.lang = std::string(LanguageCode(language));
  doc.title = l.korean() ? CityName(data.home, l) + "–" + CityName(data.partner, l) + " 교류 브리핑"
                         : CityName(data.home, l) + "–" + CityName(data.partner, l) + " briefing";
  doc.subtitle =
      l.korean()
          ? CityName(data.home, l) + "의 " + CityName(data.partner, l) + " 도시외교 현황"
          : "City diplomacy of " + CityName(data.home, l) + " with " + CityName(data.partner, l);
  doc.meta = {
      {l({"Home city", "본 도시"}), BothNames(data.home, l) + " (" + data.home.country + ")"},
      {l({"Partner city", "상대 도시"}),
       BothNames(data.partner, l) + " (" + data.partner.country + ")"},
      {l({"Period", "기간"}), RangeText(data.range, l)},
      {l({"Generated on", "작성일"}), data.generated_on},
      {l({"Source", "자료"}), l({"citydip registry (every record with its sources)",
                                 "citydip 등록부 (모든 기록에 출처 포함)"})},
  };
  doc.label_field = l({"Field", "항목"});
  doc.label_value = l({"Value", "값"});
  doc.label_section = l({"Section", "절"});
  doc.label_missing = l({"Missing data", "누락된 자료"});
  doc.label_contents = l({"Contents", "목차"});
  doc.sections.push_back(Overview(data, l));
  doc.sections.push_back(Profile(data, l));
  doc.sections.push_back(Events(data, l));
  doc.sections.push_back(Stats(data, l));
  doc.sections.push_back(Scorecard(data, l));
  doc.sections.push_back(Network(data, l));
  doc.sections.push_back(Analyses(data, l));
  doc.footer =
      l({"Made by citydip from its registry. Figures are only as complete as the "
         "records; a missing section means its data are not in this database.",
         "citydip 등록부로 작성했습니다. 수치는 기록된 범위 안에서만 완전하며, 빠진 "
         "절은 이 데이터베이스에 해당 자료가 없다는 뜻입니다."});
  return doc;
}

}  // namespace citydip::report
