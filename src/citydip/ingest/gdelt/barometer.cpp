#include "citydip/ingest/gdelt/barometer.h"

namespace citydip::ingest::gdelt {

void PairStats::Add(const PairStats& other) {
  AddPairSums(*this, other);
}

double PairStats::GoldsteinMean() const {
  return events == 0 ? 0.0 : goldstein_sum / static_cast<double>(events);
}

double PairStats::GoldsteinMentionsWeighted() const {
  return mentions == 0 ? 0.0 : goldstein_mentions_sum / static_cast<double>(mentions);
}

double PairStats::ToneMean() const {
  return events == 0 ? 0.0 : tone_sum / static_cast<double>(events);
}

void PeriodTotals::Add(const PeriodTotals& other) {
  events += other.events;
  mentions += other.mentions;
  sources += other.sources;
  articles += other.articles;
}

void MediaVolume::Add(const MediaVolume& other) {
  mentions += other.mentions;
  for (std::size_t i = 0; i < by_type.size(); ++i) {
    by_type[i] += other.by_type[i];
  }
  doc_tone_sum += other.doc_tone_sum;
  confidence_sum += other.confidence_sum;
}

std::string_view PairKindName(PairKind kind) {
  return kind == PairKind::kCity ? "city" : "country";
}

}  // namespace citydip::ingest::gdelt
