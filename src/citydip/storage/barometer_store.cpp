#include "citydip/storage/barometer_store.h"

#include <string>
#include <vector>

namespace citydip::storage {

const std::vector<std::string>& BarometerPairValueColumns() {
  static const std::vector<std::string> kColumns = [] {
    std::vector<std::string> columns = {
        "events",   "root_events", "goldstein_sum", "goldstein_mentions_sum",
        "tone_sum", "mentions",    "sources",       "articles",
        "quad1",    "quad2",       "quad3",         "quad4"};
    for (int i = 1; i <= 20; ++i) {
      columns.push_back(std::string("root") + (i < 10 ? "0" : "") + std::to_string(i));
    }
    return columns;
  }();
  return kColumns;
}

const std::vector<std::string>& BarometerTotalsValueColumns() {
  static const std::vector<std::string> kColumns = {"events", "mentions", "sources", "articles"};
  return kColumns;
}

const std::vector<std::string>& BarometerMediaValueColumns() {
  static const std::vector<std::string> kColumns = {"mentions", "type1",        "type2",
                                                    "type3",    "type4",        "type5",
                                                    "type6",    "doc_tone_sum", "confidence_sum"};
  return kColumns;
}

Status ForEachPairChunk(const BarometerBatch& batch,
                        const std::function<Status(const std::vector<BarometerPairRow>&)>& write) {
  if (auto written = write(batch.pairs); !written) {
    return written;
  }
  if (batch.more_pairs) {
    std::vector<BarometerPairRow> chunk;
    while (batch.more_pairs(chunk)) {
      if (auto written = write(chunk); !written) {
        return written;
      }
    }
  }
  return Ok();
}

}  // namespace citydip::storage
