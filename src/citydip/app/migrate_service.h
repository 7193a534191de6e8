// Copying a whole registry from one store to another (`citydip migrate --from sqlite:citydip.db
// --to postgresql://...`, and back), verified by per-kind counts and checksums.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "citydip/core/model.h"
#include "citydip/core/result.h"
#include "citydip/storage/store.h"

namespace citydip::app {

/// What was copied of one kind, and how both sides hash.
struct KindCopyReport {
  RecordKind kind = RecordKind::kCity;
  std::int64_t source_count = 0;
  std::int64_t target_count = 0;
  std::string source_sha256;  // hex, over the sorted canonical serializations (CanonicalRecord)
  std::string target_sha256;

  [[nodiscard]] bool Matches() const {
    return source_count == target_count && source_sha256 == target_sha256;
  }
};

/// One line per record that says everything the registry knows about it, independent of the
/// store: every field but the store-assigned id and version, references by natural key, as
/// compact JSON with sorted keys. Equal records (in any store) serialize equally.
[[nodiscard]] std::string CanonicalRecord(const Record& record);

/// The SHA-256 (hex) of the records' canonical serializations, sorted (so the order in which a
/// store lists them does not matter) and joined by newlines.
[[nodiscard]] std::string RecordsChecksum(const std::vector<Record>& records);

/// Counts and checksums of every kind in `registry`, in dependency order.
[[nodiscard]] std::vector<KindCopyReport> SummarizeRegistry(const Registry& registry);

/// Copies every record of `from` into `to`, in dependency order (cities first, events last),
/// inside one transaction on `to`. `from` must be at kSchemaVersion; `to` is migrated to it and
/// must hold no records. Before committing, reads everything back from `to` and compares the
/// per-kind counts and checksums with `from`'s; any difference rolls the copy back with
/// kInternal. Prints the comparison table to `report` (also when it fails). Ids and versions
/// are assigned afresh by `to`; records refer to each other by natural key, so links survive.
[[nodiscard]] Status MigrateStore(storage::Store& from, storage::Store& to, std::ostream& report);

}  // namespace citydip::app
