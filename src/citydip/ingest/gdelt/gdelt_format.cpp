#include "citydip/ingest/gdelt/gdelt_format.h"

namespace citydip::ingest::gdelt {

std::string_view FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kEventsV1:
      return "events-v1";
    case FileKind::kEventsV2:
      return "events-v2";
    case FileKind::kMentions:
      return "mentions";
  }
  return "events-v2";
}

std::optional<FileKind> KindForColumnCount(std::size_t columns) {
  switch (columns) {
    case 57:
    case 58:
      return FileKind::kEventsV1;
    case 61:
      return FileKind::kEventsV2;
    case 16:
      return FileKind::kMentions;
    default:
      return std::nullopt;
  }
}

bool AcceptsColumnCount(FileKind kind, std::size_t columns) {
  const auto found = KindForColumnCount(columns);
  return found && *found == kind;
}

std::string_view ExpectedColumns(FileKind kind) {
  switch (kind) {
    case FileKind::kEventsV1:
      return "57 or 58";
    case FileKind::kEventsV2:
      return "61";
    case FileKind::kMentions:
      return "16";
  }
  return "61";
}

}  // namespace citydip::ingest::gdelt
