// The canonical columns of each registry file kind (module-internal; see registry_io.h).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "citydip/core/model.h"

namespace citydip::ingest {

/// One canonical column: whether a file must have it, and whether it holds a list ("a; b" in CSV,
/// an array in JSON).
struct ColumnSpec {
  std::string_view name;
  bool required = false;
  bool list = false;
};

/// The columns of a kind, in canonical order.
[[nodiscard]] std::span<const ColumnSpec> ColumnSpecsOf(RecordKind kind);

/// The index of `name` among the kind's columns, or -1.
[[nodiscard]] int ColumnIndexOf(RecordKind kind, std::string_view name);

/// "a, b, c": the kind's column names, for messages.
[[nodiscard]] std::string ColumnListText(RecordKind kind);

}  // namespace citydip::ingest
